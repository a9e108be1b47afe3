/* child: runs a function in a forked child process under a hard time bound and reads back its
 * fixed-size answer through a pipe. For work that may not stop by itself (z3 does not always
 * honour its interrupt): a process can be killed where a thread cannot. The child shares the
 * parent's memory as it was at the fork, so the answer may hold pointers to static data only.
 * Fork is safe only while no other thread of the caller holds a lock the child needs. */
#ifndef VLIFT_CHILD_H
#define VLIFT_CHILD_H
#include <stddef.h>

typedef enum child_outcome {
    CHILD_ANSWERED,      /* the whole answer arrived */
    CHILD_KILLED,        /* it overran a limit and was killed (SIGKILL) */
    CHILD_FAILED,        /* it ended without the whole answer (child_describe_end says how) */
    CHILD_UNAVAILABLE,   /* no child (pipe or fork failed): the caller runs the work itself */
} child_outcome;

typedef struct child_limits {
    double wall_s;           /* wall-clock seconds from the fork */
    double cpu_s;            /* CPU seconds of the child; 0: none. Without a CPU clock for the
                                child, the wall-clock bound becomes cpu_s */
    const char *fault_env;   /* fault injection for tests: when this environment variable is
                                "hang" the child spins, "crash" it aborts; NULL: none */
} child_limits;

/* Forks; the child zeroes answer, calls fn(arg, answer), sends the size bytes and exits. The
 * parent waits for them within the limits, kills the child if it overruns, and reaps it;
 * *wait_status gets its wait status. */
child_outcome child_run(void (*fn)(void *arg, void *answer), void *arg, void *answer, size_t size,
                        const child_limits *limits, int *wait_status);

/* How a child that sent no whole answer ended: "died with signal N" or "exited (status N)
 * without <missing>". */
void child_describe_end(int wait_status, const char *missing, char *buf, size_t size);

#endif
