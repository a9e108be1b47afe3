/* summary: results.csv rows grouped into one entry per (suite, op, tool, config) over its
 * repetitions — what report and compare work on. A group's status is the most frequent status
 * of its repetitions (a tie goes to the worse one: lower rank, then later in the status list);
 * times are summarized as median, mean and sample standard deviation over the repetitions. */
#ifndef VLIFT_BENCH_SUMMARY_H
#define VLIFT_BENCH_SUMMARY_H
#include "bench/results.h"
#include "bench/status.h"
#include <stdbool.h>

typedef struct time_stats {
    int n;                 /* repetitions with a value */
    double median, mean, sd, min, max;
} time_stats;

typedef struct job_group {
    const char *suite, *op, *category, *tool, *config;   /* point into the results_set */
    char label[256];       /* "tool/config" */
    job_status status;
    int n_reps;
    int status_count[N_STATUSES];
    time_stats total;
    time_stats stage[N_STAGES];
    const result_row *representative;   /* a repetition with the group's status */
} job_group;

typedef struct summary {
    job_group *groups;     /* ordered by suite, op, tool, config */
    int n;
    char **tools;          /* distinct labels, in order of first appearance (heap) */
    int n_tools;
    char **categories;     /* distinct categories, sorted (heap) */
    int n_categories;
} summary;

/* Sorts set and groups it. set must outlive the summary. */
void summary_build(results_set *set, summary *out);
void summary_free(summary *s);
int summary_tool_index(const summary *s, const char *label);

/* Statistics of values[0..n) (values is reordered). n == 0 gives all zeros. */
time_stats stats_of(double *values, int n);

#endif
