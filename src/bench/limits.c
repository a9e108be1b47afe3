/* limits: see limits.h. */
#include "bench/limits.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const limit_keys[] = {"symexec", "synth", "verify", "simplify", "check", "wall", "memory_mb", NULL};

job_settings settings_defaults(void) {
    job_settings s = {0};
    s.wall_s = LIMITS_DEFAULT_WALL_S;
    s.memory_mb = LIMITS_DEFAULT_MEMORY_MB;
    s.reps = LIMITS_DEFAULT_REPS;
    return s;
}

void settings_apply(job_settings *base, const job_settings *over) {
    for (int i = 0; i < N_STAGES; i++)
        if (over->stage_s[i] > 0) base->stage_s[i] = over->stage_s[i];
    if (over->wall_s > 0) base->wall_s = over->wall_s;
    if (over->memory_mb > 0) base->memory_mb = over->memory_mb;
    if (over->reps > 0) base->reps = over->reps;
}

job_settings settings_resolve(const job_settings *const *levels, int n_levels) {
    job_settings s = settings_defaults();
    for (int i = 0; i < n_levels; i++)
        if (levels[i]) settings_apply(&s, levels[i]);
    return s;
}

bool settings_set(job_settings *s, const char *key, const char *value, char *err, size_t err_size) {
    char *end;
    errno = 0;
    if (!strcmp(key, "memory_mb")) {
        long long mb = strtoll(value, &end, 10);
        if (errno || end == value || *end || mb <= 0) {
            snprintf(err, err_size, "limit 'memory_mb' must be a positive integer (MiB), not '%s'", value);
            return false;
        }
        s->memory_mb = mb;
        return true;
    }
    double seconds = strtod(value, &end);
    bool ok = !errno && end != value && !*end && isfinite(seconds) && seconds > 0;
    bench_stage st;
    if (!strcmp(key, "wall")) {
        if (ok) s->wall_s = seconds;
    } else if (stage_parse(key, &st)) {
        if (ok) s->stage_s[st] = seconds;
    } else {
        snprintf(err, err_size,
                 "unknown limit '%s' (expected one of: symexec, synth, verify, simplify, check, wall, memory_mb)", key);
        return false;
    }
    if (!ok) snprintf(err, err_size, "limit '%s' must be a positive number of seconds, not '%s'", key, value);
    return ok;
}

bool settings_set_option(job_settings *s, const char *option, char *err, size_t err_size) {
    const char *eq = strchr(option, '=');
    if (!eq || eq == option) {
        snprintf(err, err_size, "--limit takes KEY=VALUE (e.g. synth=10, wall=60, memory_mb=2048), not '%s'", option);
        return false;
    }
    char key[32];
    size_t n = (size_t)(eq - option);
    if (n >= sizeof key) n = sizeof key - 1;
    memcpy(key, option, n);
    key[n] = 0;
    return settings_set(s, key, eq + 1, err, err_size);
}
