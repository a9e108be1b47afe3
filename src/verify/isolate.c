/* isolate: verify_formula (verify.h) with a hard time bound. z3 4.8 does not always stop at
 * Z3_interrupt: some rewriting and recursive-function loops never poll it (a softmax query once
 * ran for 15 minutes past its 10 s limit, with the watchdog's interrupt long delivered). So
 * when a time limit is set, the proof runs in a forked child that is killed when it overruns
 * (util/child.h); the result comes back through a pipe. verify_result is flat: its only pointers are to static
 * strings, whose addresses the child shares with the parent (fork, not exec).
 *
 * Each z3 query is isolated too, in its own process (smt.h), so a stuck query costs only its
 * own answer; this bound stays for what runs outside z3 (rewriting, lemmas).
 *
 * Fault injection for the tests (tests/e2e/verify_isolation.sh): VLIFT_FAULT_PROVER=hang makes
 * the child spin without polling anything, =crash makes it abort. */
#include "verify/verify_internal.h"
#include "util/child.h"
#include "util/timing.h"
#include <stdio.h>
#include <string.h>

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

/* What the prover process runs: the proof, with each z3 query in a process of its own. */
typedef struct prover_call {
    const plan_op *op;
    const plan_variant *variant;
    const exec_sources *src;
    const formula *f;
    const verify_options *opt;
} prover_call;

static void prove_in_child(void *arg, void *answer) {
    const prover_call *call = arg;
    verify_options mine = *call->opt;
    mine.in_prover_process = true;
    verify_formula_in_process(call->op, call->variant, call->src, call->f, &mine, answer);
}

bool verify_formula(const plan_op *op, const plan_variant *variant, const exec_sources *src, const formula *f,
                    const verify_options *opt, verify_result *r) {
    verify_options dflt;
    if (!opt) { verify_options_default(&dflt); opt = &dflt; }
    if (opt->timeout_s <= 0) return verify_formula_in_process(op, variant, src, f, opt, r);
    double t0 = time_now();
    prover_call call = {op, variant, src, f, opt};
    child_limits limits = {opt->timeout_s + grace_seconds(opt->timeout_s), 0, "VLIFT_FAULT_PROVER"};
    verify_result got;
    int status;
    child_outcome how = child_run(prove_in_child, &call, &got, sizeof got, &limits, &status);
    if (how == CHILD_UNAVAILABLE) return verify_formula_in_process(op, variant, src, f, opt, r);
    double seconds = time_now() - t0;
    if (how == CHILD_KILLED) {
        killed_result(r, opt, seconds, "the prover did not stop at its time limit (z3 ignored the interrupt) and was killed");
        return true;
    }
    if (how == CHILD_FAILED) {
        char end[100], why[120];
        child_describe_end(status, "a result", end, sizeof end);
        snprintf(why, sizeof why, "the prover %s", end);
        killed_result(r, opt, seconds, why);
        r->status = VERIFY_ERROR;
        return false;
    }
    *r = got;
    return r->status != VERIFY_ERROR;
}
