/* lock: keeps two benchmark drivers out of one results directory. DIR/.lock is created with
 * O_EXCL and holds "PID HOST". A lock whose process is gone (same host, no such pid) is stale:
 * it is taken over with a warning. A lock from another host cannot be checked and is honoured. */
#ifndef VLIFT_BENCH_LOCK_H
#define VLIFT_BENCH_LOCK_H
#include <stdbool.h>
#include <stddef.h>

/* Takes DIR/.lock. Returns false with a message when another live driver holds it. A warning
 * about a stale lock taken over goes to *warning (empty otherwise). */
bool lock_acquire(const char *dir, char *err, size_t err_size, char *warning, size_t warning_size);
void lock_release(const char *dir);

#endif
