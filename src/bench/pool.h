/* pool: a fixed pool of worker threads over a numbered list of tasks. Tasks are handed out in
 * order; a worker that finds stop(ctx) true takes no further task. While the workers run, the
 * calling thread invokes tick() about once a second (progress display). */
#ifndef VLIFT_BENCH_POOL_H
#define VLIFT_BENCH_POOL_H
#include <stdbool.h>
#include <stddef.h>

typedef void (*pool_task)(void *ctx, size_t task);

/* Runs task(ctx, i) for i in 0..n_tasks-1 on n_workers threads (at least 1, at most n_tasks)
 * and returns when all started tasks have finished. */
void pool_run(int n_workers, size_t n_tasks, pool_task task, void *ctx, bool (*stop)(void *ctx), void (*tick)(void *ctx));

/* The number of online processors (at least 1). */
int pool_default_workers(void);

#endif
