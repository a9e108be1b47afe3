/* jobs: a run's job list — every (tool × configuration × operator × repetition) of the given
 * manifests, filtered by --ops and --tools, with resolved limits, ordered by (suite, op, tool,
 * config, rep) and numbered in that order (the numbering shards use). */
#ifndef VLIFT_BENCH_JOBS_H
#define VLIFT_BENCH_JOBS_H
#include "bench/manifest.h"
#include "bench/runner.h"
#include "util/arena.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct bench_suite_file {
    const char *path;
    plan_suite *suite;
    manifest_harness harness;
} bench_suite_file;

typedef struct job_filter {
    const char *const *ops;     /* "op" or "suite/op"; NULL/0: all */
    int n_ops;
    const char *const *tools;   /* "tool" or "tool/config"; NULL/0: all */
    int n_tools;
} job_filter;

typedef struct job_list {
    job *items;
    size_t n;
} job_list;

/* Builds the list in a. Fails (message in err) when a filter entry matches nothing or two
 * manifests define the same operator of the same suite. cli: --limit/--reps (0 = not given). */
bool jobs_build(arena *a, const bench_suite_file *files, int n_files, const job_filter *filter, const job_settings *cli,
                job_list *out, char *err, size_t err_size);

/* Splits "a,b,c" into words (in a); empty words are dropped. */
const char **jobs_split_list(arena *a, const char *text, int *n);

#endif
