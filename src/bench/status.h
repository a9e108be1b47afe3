/* status: the vocabulary of a job's outcome — the statuses of the CSV contract (one per row) and
 * the lifter's stages (the `stage` column, the per-stage limits and the stage events). */
#ifndef VLIFT_BENCH_STATUS_H
#define VLIFT_BENCH_STATUS_H
#include <stdbool.h>

typedef enum job_status {
    ST_VERIFIED,      /* proved for all sizes */
    ST_LIFTED,        /* matches the spec at every sampled size; no unbounded proof */
    ST_REFUTED,       /* a counterexample shows the kernel differs from every formula found */
    ST_WRONG,         /* disagrees with the cross-check or the expected formula (soundness bug) */
    ST_UNSUPPORTED,   /* a construct the lifter does not model */
    ST_TIMEOUT,       /* a stage limit or the wall limit expired (column stage says which) */
    ST_OUT_OF_MEMORY,
    ST_CRASH,         /* killed by a signal the harness did not send */
    ST_ERROR,         /* bad input, or a tool that failed without a result */
    ST_NOT_RUN,       /* tool unavailable */
    N_STATUSES
} job_status;

const char *status_name(job_status s);                   /* "VERIFIED", ... */
bool status_parse(const char *name, job_status *out);     /* exact upper-case name */
bool status_parse_nocase(const char *name, job_status *out);
/* The order used by compare and the tables: VERIFIED 2 > LIFTED 1 > everything else 0. */
int status_rank(job_status s);
/* A success for counting: VERIFIED or LIFTED. */
bool status_solved(job_status s);

typedef enum bench_stage { STAGE_SYMEXEC, STAGE_SYNTH, STAGE_VERIFY, STAGE_SIMPLIFY, STAGE_CHECK, N_STAGES } bench_stage;

const char *stage_name(bench_stage s);                   /* "symexec", ... */
bool stage_parse(const char *name, bench_stage *out);

#endif
