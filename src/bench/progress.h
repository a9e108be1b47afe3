/* progress: what the benchmark driver shows while it runs. On a terminal, one line rewritten in
 * place: `[done/total] verified V, lifted L, failed F, elapsed 00:12, ETA 00:40`; otherwise one
 * plain line per finished job (`[3/40] flaggems/softmax vlift/full rep 1: VERIFIED 0.52 s`).
 * Thread-safe: workers report finished jobs concurrently. */
#ifndef VLIFT_BENCH_PROGRESS_H
#define VLIFT_BENCH_PROGRESS_H
#include "bench/status.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct progress {
    pthread_mutex_t lock;
    FILE *out;
    bool tty, quiet;
    size_t done, total;
    size_t verified, lifted, failed;
    double started;
} progress;

void progress_init(progress *p, FILE *out, size_t total, bool quiet);
/* One finished job; label is "suite/op tool/config rep N". */
void progress_job(progress *p, const char *label, job_status status, const char *stage, double seconds,
                  const char *message);
void progress_tick(progress *p);      /* refreshes the terminal line (elapsed, ETA) */
void progress_finish(progress *p);    /* ends the terminal line */
void progress_free(progress *p);

#endif
