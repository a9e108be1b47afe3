/* Tests of shard parsing and assignment (src/bench/shard.c) and of limit resolution and
 * command-line limits (src/bench/limits.c). */
#include "bench/limits.h"
#include "bench/shard.h"
#include "test.h"
#include <string.h>

TEST(bench_shard_parse) {
    shard s;
    char err[200];
    CHECK(shard_parse("0/1", &s, err, sizeof err) && s.index == 0 && s.count == 1);
    CHECK(shard_parse("3/4", &s, err, sizeof err) && s.index == 3 && s.count == 4);
    static const char *const bad[] = {"4/4", "-1/4", "1/0", "1", "/4", "1/", "a/b", "1/4x", "1//4", " 1/4", "1/+4", NULL};
    for (int i = 0; bad[i]; i++) {
        bool ok = shard_parse(bad[i], &s, err, sizeof err);
        if (ok) printf("    accepted %s\n", bad[i]);
        CHECK(!ok && strstr(err, "--shard takes i/n"));
    }
}

TEST(bench_shard_partition) {
    for (int n = 1; n <= 7; n++) {
        int sizes[7] = {0};
        for (size_t k = 0; k < 100; k++) {
            int owners = 0;
            for (int i = 0; i < n; i++)
                if (shard_contains((shard){i, n}, k)) { owners++; sizes[i]++; }
            CHECK(owners == 1);
            CHECK(shard_contains((shard){(int)(k % (size_t)n), n}, k));
        }
        for (int i = 0; i < n; i++) CHECK(sizes[i] >= 100 / n && sizes[i] <= 100 / n + 1);
    }
}

TEST(bench_limits_resolution_order) {
    job_settings suite = {0}, tool = {0}, op = {0}, cli = {0};
    suite.stage_s[STAGE_SYNTH] = 10;
    suite.stage_s[STAGE_VERIFY] = 20;
    suite.wall_s = 100;
    suite.reps = 3;
    tool.stage_s[STAGE_VERIFY] = 30;
    tool.memory_mb = 1024;
    op.stage_s[STAGE_VERIFY] = 40;
    op.wall_s = 200;
    cli.stage_s[STAGE_SYNTH] = 5;
    const job_settings *levels[] = {&suite, &tool, &op, &cli};
    job_settings s = settings_resolve(levels, 4);
    CHECK(s.stage_s[STAGE_SYNTH] == 5);      /* command line beats the suite */
    CHECK(s.stage_s[STAGE_VERIFY] == 40);    /* operator beats tool beats suite */
    CHECK(s.stage_s[STAGE_SYMEXEC] == 0);    /* never set: no stage limit */
    CHECK(s.wall_s == 200 && s.memory_mb == 1024 && s.reps == 3);
    const job_settings *none[] = {NULL, NULL};
    s = settings_resolve(none, 2);
    CHECK(s.wall_s == LIMITS_DEFAULT_WALL_S && s.memory_mb == LIMITS_DEFAULT_MEMORY_MB && s.reps == 1);
}

TEST(bench_limits_command_line) {
    job_settings s = {0};
    char err[300];
    CHECK(settings_set_option(&s, "synth=2.5", err, sizeof err) && s.stage_s[STAGE_SYNTH] == 2.5);
    CHECK(settings_set_option(&s, "wall=60", err, sizeof err) && s.wall_s == 60);
    CHECK(settings_set_option(&s, "memory_mb=2048", err, sizeof err) && s.memory_mb == 2048);
    CHECK(settings_set_option(&s, "check=1e-1", err, sizeof err) && s.stage_s[STAGE_CHECK] == 0.1);
    CHECK(!settings_set_option(&s, "synth", err, sizeof err) && strstr(err, "KEY=VALUE"));
    CHECK(!settings_set_option(&s, "=3", err, sizeof err) && strstr(err, "KEY=VALUE"));
    CHECK(!settings_set_option(&s, "sinth=3", err, sizeof err) && strstr(err, "unknown limit 'sinth'"));
    CHECK(!settings_set_option(&s, "wall=0", err, sizeof err) && strstr(err, "positive number"));
    CHECK(!settings_set_option(&s, "wall=-1", err, sizeof err) && strstr(err, "positive number"));
    CHECK(!settings_set_option(&s, "wall=inf", err, sizeof err) && strstr(err, "positive number"));
    CHECK(!settings_set_option(&s, "verify=10s", err, sizeof err) && strstr(err, "positive number"));
    CHECK(!settings_set_option(&s, "memory_mb=1.5", err, sizeof err) && strstr(err, "positive integer"));
    CHECK(s.wall_s == 60 && s.memory_mb == 2048);   /* failures leave the settings alone */
}
