/* lift: the pipeline of stages for one variant and the classification of its outcome (see
 * lift.h). */
#include "lift/lift.h"
#include "check/crosscheck.h"
#include "util/timing.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const status_names[] = {"VERIFIED", "LIFTED", "NOT_RUN", "REFUTED", "TIMEOUT", "UNSUPPORTED", "ERROR", "WRONG"};
static const char *const stage_names[LS_COUNT] = {"symexec", "synth", "verify", "simplify", "check"};

const char *lift_status_name(lift_status s) { return (unsigned)s < sizeof status_names / sizeof *status_names ? status_names[s] : "?"; }
const char *lift_stage_name(lift_stage s) { return (unsigned)s < LS_COUNT ? stage_names[s] : "?"; }
lift_status lift_status_worst(lift_status a, lift_status b) { return a > b ? a : b; }

void lift_options_default(lift_options *o) {
    memset(o, 0, sizeof *o);
    for (int s = 0; s < LS_COUNT; s++) o->stages[s] = true;
    synth_options_default(&o->synth);
    verify_options_default(&o->verify);
    simplify_options_default(&o->simplify);
    o->seed = 1;
    o->event_fd = -1;
}

/* A stage event for the harness (VLIFT_EVENT_FD): "start STAGE", or "end STAGE SECONDS" with
 * the time of this entry into the stage only (a variant enters symexec, synth and verify again
 * after a counterexample, and every variant enters every stage; the harness adds them up). */
static void event(const lift_options *o, const char *what, lift_stage s, double seconds) {
    if (o->event_fd < 0) return;
    char line[64];
    int n = seconds < 0 ? snprintf(line, sizeof line, "%s %s\n", what, stage_names[s])
                        : snprintf(line, sizeof line, "%s %s %.6f\n", what, stage_names[s], seconds);
    if (write(o->event_fd, line, (size_t)n) < 0) { /* the reader went away: events are optional */ }
}

/* Copies text into a fixed buffer, cut at its size. */
static void set_text(char *dst, size_t size, const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na > size - 1) na = size - 1;
    memcpy(dst, a, na);
    if (nb > size - 1 - na) nb = size - 1 - na;
    memcpy(dst + na, b, nb);
    dst[na + nb] = 0;
}

static void fail(lift_result *r, lift_status st, lift_stage stage, const char *msg) {
    r->status = st;
    r->stage = stage_names[stage];
    set_text(r->message, sizeof r->message, msg, "");
}

static lift_status status_of_diag(const diag *d) { return d->kind == DIAG_UNSUPPORTED ? LIFT_UNSUPPORTED : LIFT_ERROR; }

static bool same_point(const spec *sp, int run, const size_point *p) {
    for (int k = 0; k < p->n; k++) {
        int s = spec_size_index(sp, p->sizes[k].name);
        if (s < 0 || sp->runs[run].sizes[s] != p->sizes[k].value) return false;
    }
    return true;
}

/* The cross-check's size points: check-suite's points for the operator minus those synthesis saw. */
static int unseen_points(const plan_op *op, const spec *sp, size_point *points, int max) {
    size_point all[64];
    int n_all = crosscheck_size_points(op, all, 64), n = 0;
    for (int i = 0; i < n_all && n < max; i++) {
        bool seen = false;
        for (int r = 0; r < sp->n_runs && !seen; r++) seen = same_point(sp, r, &all[i]);
        if (!seen) points[n++] = all[i];
    }
    return n;
}

static void run_check(const plan_op *op, const plan_variant *v, const exec_sources *src, const lift_options *o,
                      const spec *sp, lift_result *r) {
    size_point points[64];
    int n = unseen_points(op, sp, points, 64);
    crosscheck_options co = {o->seed, 1e-7, 1e-9, EXEC_INPUTS_UNIFORM};
    crosscheck_result cr;
    crosscheck_variant(op, v, src, r->f, points, n, &co, &cr);
    r->check_points = cr.points_run;
    r->check_elements = cr.elements;
    if (cr.ok) return;
    if (cr.points_run == 0 && cr.mismatches == 0 && strstr(cr.message, "preconditions hold at none")) {
        /* the variant applies at none of the unseen sizes: nothing to compare, not a failure */
        set_text(r->message, sizeof r->message, "cross-check: ", cr.message);
        return;
    }
    char msg[1100];
    set_text(msg, sizeof msg, "cross-check at unseen sizes: ", cr.message);
    bool kernel_failed = cr.mismatches == 0 && strstr(cr.message, "the kernel failed");
    fail(r, kernel_failed ? LIFT_ERROR : LIFT_WRONG, LS_CHECK, msg);
}

/* symexec: the spec at the automatically chosen sizes plus any counterexample points. */
static bool run_symexec(arena *a, const plan_op *op, const plan_variant *v, const exec_sources *src, const lift_options *o,
                        const int64_t (*extra)[SPEC_MAX_SIZES], int n_extra, spec *sp, lift_result *r) {
    event(o, "start", LS_SYMEXEC, -1);
    double t0 = time_now();
    spec_options so = {0};
    so.extra_points = extra;
    so.n_extra_points = n_extra;
    diag err = {0};
    bool ok = spec_build(a, op, v, src, &so, sp, &err);
    double took = time_now() - t0;
    r->t_stage[LS_SYMEXEC] += took;
    event(o, "end", LS_SYMEXEC, took);
    if (!ok) {
        char msg[700];
        diag_format(&err, msg, sizeof msg);
        fail(r, status_of_diag(&err), LS_SYMEXEC, msg);
        return false;
    }
    r->spec_points = sp->n_runs;
    int len = 0;
    for (int k = 0; k < sp->n_runs && len < (int)sizeof r->spec_sizes - 1; k++) {
        char point[160];
        spec_format_point(sp, k, point, sizeof point);
        len += snprintf(r->spec_sizes + len, sizeof r->spec_sizes - (size_t)len, "%s%s", k ? "; " : "", point);
    }
    return true;
}

/* synth: a formula for the spec; on failure the result says why. */
static bool run_synth(arena *a, const spec *sp, const lift_options *o, lift_result *r) {
    event(o, "start", LS_SYNTH, -1);
    synth_result sr;
    synth_run(a, sp, &o->synth, &sr);
    r->t_stage[LS_SYNTH] += sr.stats.seconds;
    r->synth = sr.stats;
    event(o, "end", LS_SYNTH, sr.stats.seconds);
    switch (sr.status) {
    case SYNTH_OK: break;
    case SYNTH_TIMEOUT: fail(r, LIFT_TIMEOUT, LS_SYNTH, sr.message); break;
    case SYNTH_UNSPECIFIED: fail(r, LIFT_UNSUPPORTED, LS_SYNTH, sr.message); break;
    case SYNTH_UNWRITTEN: fail(r, LIFT_ERROR, LS_SYNTH, sr.message); break;
    case SYNTH_NO_FORMULA: fail(r, LIFT_UNSUPPORTED, LS_SYNTH, sr.message); break;
    }
    if (sr.status != SYNTH_OK) return false;
    r->f = r->lifted = sr.f;
    r->size_lifted = formula_node_count(sr.f);
    r->check_kind = synth_check_kind(&sr.stats);
    return true;
}

/* One verification of formula f; its time and SMT queries add to the result's. */
static void run_verify(const plan_op *op, const plan_variant *v, const exec_sources *src, const lift_options *o, const formula *f,
                       lift_result *r) {
    event(o, "start", LS_VERIFY, -1);
    verify_options vo = o->verify;   /* the time limit covers every verification of the variant */
    if (vo.timeout_s > 0) vo.timeout_s = vo.timeout_s > r->t_stage[LS_VERIFY] + 0.1 ? vo.timeout_s - r->t_stage[LS_VERIFY] : 0.1;
    verify_formula(op, v, src, f, &vo, &r->verify);
    r->smt_queries += r->verify.smt_queries;
    r->smt_seconds += r->verify.smt_seconds;
    r->verify_ran = true;
    r->t_stage[LS_VERIFY] += r->verify.seconds;
    event(o, "end", LS_VERIFY, r->verify.seconds);
}

/* verify (with counterexample-guided re-synthesis). Returns false when the variant is decided
 * (REFUTED, TIMEOUT, ERROR, or a failure while re-synthesising). */
static bool verify_lifted(arena *a, const plan_op *op, const plan_variant *v, const exec_sources *src, const lift_options *o,
                          spec *sp, lift_result *r) {
    int64_t extra[LIFT_MAX_REFINEMENTS][SPEC_MAX_SIZES];
    for (;;) {
        run_verify(op, v, src, o, r->lifted, r);
        if (r->verify.status != VERIFY_REFUTED) break;
        const counterexample_point *cex = &r->verify.cex;
        if (r->refinements >= LIFT_MAX_REFINEMENTS || !cex->manifest_blocks || cex->sizes.n == 0) break;
        /* the counterexample's sizes join the spec: synthesis must now explain them too */
        int64_t *point = extra[r->refinements];
        for (int k = 0; k < SPEC_MAX_SIZES; k++) point[k] = k < op->n_sizes ? op->sizes[k].value : 0;
        for (int i = 0; i < cex->sizes.n; i++)
            for (int k = 0; k < op->n_sizes && k < SPEC_MAX_SIZES; k++)
                if (strcmp(op->sizes[k].name, cex->sizes.sizes[i].name) == 0) point[k] = cex->sizes.sizes[i].value;
        r->refinements++;
        char refuted[1024];
        snprintf(refuted, sizeof refuted, "%s", r->verify.message);
        const formula *before = r->lifted;
        spec_free(sp);
        if (!run_symexec(a, op, v, src, o, (const int64_t (*)[SPEC_MAX_SIZES])extra, r->refinements, sp, r) ||
            !run_synth(a, sp, o, r)) {
            char msg[1200];
            snprintf(msg, sizeof msg, "%.500s; with the counterexample's sizes in the spec: %.480s", refuted, r->message);
            fail(r, LIFT_REFUTED, LS_VERIFY, msg);
            r->f = NULL;
            return false;
        }
        if (formula_equal(before, r->lifted)) {   /* cannot happen when the replay is faithful: say so */
            fail(r, LIFT_REFUTED, LS_VERIFY, refuted);
            r->f = NULL;
            return false;
        }
    }
    switch (r->verify.status) {
    case VERIFY_VERIFIED:
        r->status = LIFT_VERIFIED;
        r->verified_form = "lifted";
        return true;
    case VERIFY_REFUTED: fail(r, LIFT_REFUTED, LS_VERIFY, r->verify.message); return false;
    case VERIFY_TIMEOUT: fail(r, LIFT_TIMEOUT, LS_VERIFY, r->verify.message); return false;
    case VERIFY_ERROR: fail(r, LIFT_ERROR, LS_VERIFY, r->verify.message); return false;
    case VERIFY_UNKNOWN:
    case VERIFY_UNSUPPORTED: break;   /* lifted, not proved: the message says why */
    }
    return true;
}

/* Whether the VC that was not proved compares the kernel with the formula (a post-condition,
 * a loop invariant built from it) rather than a property of the kernel alone. */
static bool formula_obstacle(const verify_result *v) {
    static const char *const kernel_only[] = {"load-bounds", "coverage", "store-bounds"};
    if (!v->failed_kind) return true;
    for (size_t i = 0; i < sizeof kernel_only / sizeof *kernel_only; i++)
        if (strcmp(v->failed_kind, kernel_only[i]) == 0) return false;
    return true;
}

/* After simplification: the printed formula must carry the proof. */
static void verify_printed(const plan_op *op, const plan_variant *v, const exec_sources *src, const lift_options *o,
                           bool approximate, lift_result *r) {
    if (r->f == r->lifted || !r->verify_ran || formula_equal(r->f, r->lifted)) return;
    if (r->status == LIFT_VERIFIED && !approximate) return;   /* the e-graph's equality carries it */
    /* an obstacle that is not about the formula (a load out of bounds, coverage, an unmodelled
     * construct before any formula is compared) does not go away with another form of it */
    if (r->status != LIFT_VERIFIED && (r->verify.status == VERIFY_UNSUPPORTED || !formula_obstacle(&r->verify))) return;
    verify_result lifted_proof = r->verify;
    run_verify(op, v, src, o, r->f, r);
    if (r->verify.status == VERIFY_VERIFIED) {
        if (r->status != LIFT_VERIFIED) r->verified_form = "simplified";
        r->status = LIFT_VERIFIED;
        return;
    }
    if (r->status == LIFT_VERIFIED) {
        /* an approximate simplification that does not verify: print the verified formula */
        r->verify = lifted_proof;
        r->f = r->lifted;
        r->size_simplified = r->size_lifted;
        size_t n = strlen(r->simplify_info);
        snprintf(r->simplify_info + n, sizeof r->simplify_info - n, "; not printed: the approximate form did not verify");
        return;
    }
    r->verify = lifted_proof;   /* report the lifted formula's obstacle */
}

void lift_variant(arena *a, const plan_op *op, const plan_variant *v, const exec_sources *src, const lift_options *o,
                  lift_result *r) {
    memset(r, 0, sizeof *r);
    r->variant = v->name;
    r->status = LIFT_LIFTED;
    r->stage = "";
    r->check_kind = "";
    r->matches_expected = "";
    r->verified_form = "";
    spec sp;
    if (!run_symexec(a, op, v, src, o, NULL, 0, &sp, r)) {
        spec_free(&sp);
        return;
    }
    if (!o->stages[LS_SYNTH]) {
        fail(r, LIFT_NOT_RUN, LS_SYNTH, "stages after symexec not requested");
        spec_free(&sp);
        return;
    }
    if (!run_synth(a, &sp, o, r) || (o->stages[LS_VERIFY] && !verify_lifted(a, op, v, src, o, &sp, r))) {
        spec_free(&sp);
        return;
    }
    /* simplify: the printed formula becomes the simplified one */
    if (o->stages[LS_SIMPLIFY]) {
        event(o, "start", LS_SIMPLIFY, -1);
        simplify_options so = o->simplify;
        const char **sizes = arena_alloc(a, (size_t)(op->n_sizes + 1) * sizeof *sizes);
        for (int k = 0; k < op->n_sizes; k++) sizes[k] = op->sizes[k].name;
        so.sizes = sizes;
        so.n_sizes = op->n_sizes;
        simplify_result simp;
        bool simplified = simplify_formula(a, r->lifted, &so, &simp);
        r->t_stage[LS_SIMPLIFY] = simp.seconds;
        event(o, "end", LS_SIMPLIFY, r->t_stage[LS_SIMPLIFY]);
        if (simplified) {
            r->f = simp.f;
            r->size_simplified = simp.size_after;
            /* the equality note, how saturation ended, and (as room allows) the rules that fired */
            int n = snprintf(r->simplify_info, sizeof r->simplify_info, "%.300s, %s after %d iterations, %u e-nodes",
                             simp.equality, simplify_stop_name(simp.stop), simp.iterations, simp.enodes);
            if (simp.rules_fired[0] && n > 0 && (size_t)n < sizeof r->simplify_info)
                snprintf(r->simplify_info + n, sizeof r->simplify_info - (size_t)n, "; rules: %.300s", simp.rules_fired);
            if (o->stages[LS_VERIFY]) verify_printed(op, v, src, o, strcmp(simp.equality, "egraph") != 0, r);
        } else {
            /* a construct the e-graph does not model: print the lifted formula as it is */
            r->size_simplified = r->size_lifted;
            snprintf(r->simplify_info, sizeof r->simplify_info, "not simplified: %s", simp.message);
        }
    }
    if (r->verify_ran && r->status == LIFT_LIFTED)
        snprintf(r->message, sizeof r->message, "not verified (%s): %.900s", verify_status_name(r->verify.status),
                 r->verify.message);
    /* check */
    if (o->stages[LS_CHECK]) {
        event(o, "start", LS_CHECK, -1);
        double t0 = time_now();
        run_check(op, v, src, o, &sp, r);
        r->t_stage[LS_CHECK] = time_now() - t0;
        event(o, "end", LS_CHECK, r->t_stage[LS_CHECK]);
    }
    r->matches_expected = lift_matches_expected(op, r->f, o->seed);
    spec_free(&sp);
}
