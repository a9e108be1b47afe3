/* pool: see pool.h. */
#include "bench/pool.h"
#include "util/arena.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct pool_state {
    pthread_mutex_t lock;
    pthread_cond_t finished;
    size_t next, n_tasks;
    int running;               /* workers not yet finished */
    pool_task task;
    void *ctx;
    bool (*stop)(void *ctx);
} pool_state;

static void *worker(void *arg) {
    pool_state *p = arg;
    while (true) {
        pthread_mutex_lock(&p->lock);
        bool stop = p->stop && p->stop(p->ctx);
        size_t i = p->next;
        if (!stop && i < p->n_tasks) p->next++;
        pthread_mutex_unlock(&p->lock);
        if (stop || i >= p->n_tasks) break;
        p->task(p->ctx, i);
    }
    pthread_mutex_lock(&p->lock);
    p->running--;
    pthread_cond_signal(&p->finished);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

void pool_run(int n_workers, size_t n_tasks, pool_task task, void *ctx, bool (*stop)(void *ctx), void (*tick)(void *ctx)) {
    if (n_tasks == 0) return;
    if (n_workers < 1) n_workers = 1;
    if ((size_t)n_workers > n_tasks) n_workers = (int)n_tasks;
    pool_state p = {.n_tasks = n_tasks, .task = task, .ctx = ctx, .stop = stop};
    pthread_mutex_init(&p.lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p.finished, &attr);
    pthread_condattr_destroy(&attr);
    pthread_t *threads = xcalloc((size_t)n_workers, sizeof *threads);
    int started = 0;
    pthread_mutex_lock(&p.lock);
    for (int i = 0; i < n_workers; i++) {
        if (pthread_create(&threads[i], NULL, worker, &p) != 0) break;
        started++;
        p.running++;
    }
    pthread_mutex_unlock(&p.lock);
    if (started == 0) worker(&p);   /* no threads available: run inline */
    pthread_mutex_lock(&p.lock);
    while (p.running > 0) {
        struct timespec deadline;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += 1;
        int rc = pthread_cond_timedwait(&p.finished, &p.lock, &deadline);
        if (rc == ETIMEDOUT && tick) {
            pthread_mutex_unlock(&p.lock);
            tick(ctx);
            pthread_mutex_lock(&p.lock);
        }
    }
    pthread_mutex_unlock(&p.lock);
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
    free(threads);
    pthread_cond_destroy(&p.finished);
    pthread_mutex_destroy(&p.lock);
}

int pool_default_workers(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}
