/* isolate: verify_formula (verify.h) with a hard time bound. z3 4.8 does not always stop at
 * Z3_interrupt: some rewriting and recursive-function loops never poll it (a softmax query once
 * ran for 15 minutes past its 10 s limit, with the watchdog's interrupt long delivered). So
 * when a time limit is set, the proof runs in a forked child that is killed when it overruns;
 * the result comes back through a pipe. verify_result is flat: its only pointers are to static
 * strings, whose addresses the child shares with the parent (fork, not exec).
 *
 * Each z3 query is isolated too, in its own process (smt.h), so a stuck query costs only its
 * own answer; this bound stays for what runs outside z3 (rewriting, lemmas).
 *
 * Fault injection for the tests (tests/e2e/verify_isolation.sh): VLIFT_FAULT_PROVER=hang makes
 * the child spin without polling anything, =crash makes it abort. */
#include "verify/verify_internal.h"
#include "util/file.h"
#include "util/timing.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Rewriting between queries does not poll the deadline, so a proof may end a little after
 * it; only a child this late is stuck. */
static double grace_seconds(double timeout_s) { return 5 + 0.1 * timeout_s; }

static void killed_result(verify_result *r, const verify_options *opt, double seconds, const char *why) {
    memset(r, 0, sizeof *r);
    r->status = VERIFY_TIMEOUT;
    r->blocks = "symbolic";
    r->seconds = seconds;
    snprintf(r->message, sizeof r->message, "%s (verification time limit %.0f s)", why, opt->timeout_s);
}

bool verify_formula(const plan_op *op, const plan_variant *variant, const exec_sources *src, const formula *f,
                    const verify_options *opt, verify_result *r) {
    verify_options dflt;
    if (!opt) { verify_options_default(&dflt); opt = &dflt; }
    int fds[2];
    if (opt->timeout_s <= 0 || pipe2(fds, O_CLOEXEC) != 0) return verify_formula_in_process(op, variant, src, f, opt, r);
    fflush(NULL); /* nothing buffered is written twice */
    double t0 = time_now();
    pid_t child = fork();
    if (child < 0) {
        close(fds[0]);
        close(fds[1]);
        return verify_formula_in_process(op, variant, src, f, opt, r);
    }
    if (child == 0) {
        close(fds[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        const char *fault = getenv("VLIFT_FAULT_PROVER");
        if (fault && strcmp(fault, "hang") == 0)
            for (volatile unsigned long spin = 0;; spin++) {}
        if (fault && strcmp(fault, "crash") == 0) abort();
        verify_result mine;
        verify_options mine_opt = *opt;
        mine_opt.in_prover_process = true;
        verify_formula_in_process(op, variant, src, f, &mine_opt, &mine);
        _exit(fd_write_all(fds[1], &mine, sizeof mine) ? 0 : 1);
    }
    close(fds[1]);
    verify_result got;
    size_t have = 0;
    double end = t0 + opt->timeout_s + grace_seconds(opt->timeout_s);
    bool overran = false;
    while (have < sizeof got) {
        int left_ms = (int)((end - time_now()) * 1000);
        if (left_ms <= 0) { overran = true; break; }
        struct pollfd pfd = {fds[0], POLLIN, 0};
        int n = poll(&pfd, 1, left_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) { overran = true; break; }
        if (n < 0) break;
        ssize_t k = read(fds[0], (char *)&got + have, sizeof got - have);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        have += (size_t)k;
    }
    close(fds[0]);
    if (overran) kill(child, SIGKILL);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    double seconds = time_now() - t0;
    if (overran) {
        killed_result(r, opt, seconds, "the prover did not stop at its time limit (z3 ignored the interrupt) and was killed");
        return true;
    }
    if (have < sizeof got) {
        char why[120];
        if (WIFSIGNALED(status)) snprintf(why, sizeof why, "the prover died with signal %d", WTERMSIG(status));
        else snprintf(why, sizeof why, "the prover exited (status %d) without a result", WEXITSTATUS(status));
        killed_result(r, opt, seconds, why);
        r->status = VERIFY_ERROR;
        return false;
    }
    *r = got;
    return r->status != VERIFY_ERROR;
}
