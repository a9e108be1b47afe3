/* lock: keeps two benchmark drivers out of one results directory.
 *
 * The exclusion itself is an flock() on the directory, held for the whole run: the kernel
 * drops it when the driver dies, so there is no window in which a half-written lock file
 * could be mistaken for a stale one. DIR/.lock holds "PID HOST" for people and for the
 * message given to a refused driver. A .lock left by a driver that was killed is stale (its
 * writer no longer holds the flock) and is taken over with a warning. A .lock written on
 * another host is honoured, since flock may not reach across a network file system. */
#ifndef VLIFT_BENCH_LOCK_H
#define VLIFT_BENCH_LOCK_H
#include <stdbool.h>
#include <stddef.h>

typedef struct bench_lock {
    int dir_fd; /* holds the flock; -1 when not held */
    char path[4200];
} bench_lock;

/* Takes DIR's lock. Returns false with a message when another driver holds it. A warning
 * about a stale lock taken over goes to *warning (empty otherwise). */
bool lock_acquire(bench_lock *lock, const char *dir, char *err, size_t err_size, char *warning,
                  size_t warning_size);
/* Removes DIR/.lock and drops the flock; a no-op on a lock not held. */
void lock_release(bench_lock *lock);

#endif
