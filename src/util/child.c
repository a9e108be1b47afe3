/* child: see child.h. */
#include "util/child.h"
#include "util/file.h"
#include "util/timing.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double cpu_seconds(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

child_outcome child_run(void (*fn)(void *arg, void *answer), void *arg, void *answer, size_t size,
                        const child_limits *limits, int *wait_status) {
    *wait_status = 0;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return CHILD_UNAVAILABLE;
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return CHILD_UNAVAILABLE;
    }
    if (pid == 0) {
        close(fds[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        const char *fault = limits->fault_env ? getenv(limits->fault_env) : NULL;
        if (fault && strcmp(fault, "hang") == 0)
            for (volatile unsigned long spin = 0;; spin++) {}
        if (fault && strcmp(fault, "crash") == 0) abort();
        memset(answer, 0, size);
        fn(arg, answer);
        _exit(fd_write_all(fds[1], answer, size) ? 0 : 1);
    }
    close(fds[1]);
    double cpu_s = limits->cpu_s;
    clockid_t cpu_clock;
    bool have_cpu_clock = cpu_s > 0 && clock_getcpuclockid(pid, &cpu_clock) == 0;
    double wall_end = time_now() + (cpu_s > 0 && !have_cpu_clock ? cpu_s : limits->wall_s);
    size_t have = 0;
    bool killed = false;
    while (have < size) {
        /* an answer that has arrived is taken; the limits are looked at when none is there
         * (the child's CPU time every 10 ms) */
        double left = wall_end - time_now();
        int wait_ms = left > 0 ? (int)(left * 1000) + 1 : 0;
        if (have_cpu_clock && wait_ms > 10) wait_ms = 10;
        struct pollfd pfd = {fds[0], POLLIN, 0};
        int n = poll(&pfd, 1, wait_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        if (n > 0) {
            ssize_t k = read(fds[0], (char *)answer + have, size - have);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) break;
            have += (size_t)k;
            continue;
        }
        if (time_now() >= wall_end || (have_cpu_clock && cpu_seconds(cpu_clock) >= cpu_s)) {
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
    }
    close(fds[0]);
    while (waitpid(pid, wait_status, 0) < 0 && errno == EINTR) {}
    if (killed) return CHILD_KILLED;
    return have == size ? CHILD_ANSWERED : CHILD_FAILED;
}

void child_describe_end(int wait_status, const char *missing, char *buf, size_t size) {
    if (WIFSIGNALED(wait_status)) snprintf(buf, size, "died with signal %d", WTERMSIG(wait_status));
    else snprintf(buf, size, "exited (status %d) without %s", WEXITSTATUS(wait_status), missing);
}
