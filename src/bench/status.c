/* status: see status.h. */
#include "bench/status.h"
#include <strings.h>
#include <string.h>

static const char *const status_names[N_STATUSES] = {
    "VERIFIED", "LIFTED", "REFUTED", "WRONG", "UNSUPPORTED", "TIMEOUT", "OUT_OF_MEMORY", "CRASH", "ERROR", "NOT_RUN",
};

static const char *const stage_names[N_STAGES] = {"symexec", "synth", "verify", "simplify", "check"};

const char *status_name(job_status s) { return (unsigned)s < N_STATUSES ? status_names[s] : "?"; }

bool status_parse(const char *name, job_status *out) {
    for (int i = 0; i < N_STATUSES; i++)
        if (!strcmp(name, status_names[i])) { *out = (job_status)i; return true; }
    return false;
}

bool status_parse_nocase(const char *name, job_status *out) {
    for (int i = 0; i < N_STATUSES; i++)
        if (!strcasecmp(name, status_names[i])) { *out = (job_status)i; return true; }
    return false;
}

int status_rank(job_status s) { return s == ST_VERIFIED ? 2 : s == ST_LIFTED ? 1 : 0; }

bool status_solved(job_status s) { return s == ST_VERIFIED || s == ST_LIFTED; }

const char *stage_name(bench_stage s) { return (unsigned)s < N_STAGES ? stage_names[s] : "?"; }

bool stage_parse(const char *name, bench_stage *out) {
    for (int i = 0; i < N_STAGES; i++)
        if (!strcmp(name, stage_names[i])) { *out = (bench_stage)i; return true; }
    return false;
}
