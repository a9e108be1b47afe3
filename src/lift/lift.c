/* lift: the pipeline of stages for one variant and the classification of its outcome (see
 * lift.h). */
#include "lift/lift.h"
#include "check/crosscheck.h"
#include "util/timing.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const status_names[] = {"LIFTED", "NOT_RUN", "TIMEOUT", "UNSUPPORTED", "ERROR", "WRONG"};
static const char *const stage_names[LS_COUNT] = {"symexec", "synth", "verify", "simplify", "check"};

const char *lift_status_name(lift_status s) { return (unsigned)s < sizeof status_names / sizeof *status_names ? status_names[s] : "?"; }
const char *lift_stage_name(lift_stage s) { return (unsigned)s < LS_COUNT ? stage_names[s] : "?"; }
lift_status lift_status_worst(lift_status a, lift_status b) { return a > b ? a : b; }

void lift_options_default(lift_options *o) {
    memset(o, 0, sizeof *o);
    for (int s = 0; s < LS_COUNT; s++) o->stages[s] = true;
    o->stages[LS_VERIFY] = false;   /* not wired in this version */
    synth_options_default(&o->synth);
    simplify_options_default(&o->simplify);
    o->seed = 1;
    o->event_fd = -1;
}

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
    crosscheck_options co = {o->seed, 1e-7, 1e-9};
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

void lift_variant(arena *a, const plan_op *op, const plan_variant *v, const exec_sources *src, const lift_options *o,
                  lift_result *r) {
    memset(r, 0, sizeof *r);
    r->variant = v->name;
    r->status = LIFT_LIFTED;
    r->stage = "";
    r->check_kind = "";
    r->matches_expected = "";
    /* symexec */
    event(o, "start", LS_SYMEXEC, -1);
    double t0 = time_now();
    spec sp;
    diag err = {0};
    bool ok = spec_build(a, op, v, src, NULL, &sp, &err);
    r->t_stage[LS_SYMEXEC] = time_now() - t0;
    event(o, "end", LS_SYMEXEC, r->t_stage[LS_SYMEXEC]);
    if (!ok) {
        char msg[700];
        diag_format(&err, msg, sizeof msg);
        fail(r, status_of_diag(&err), LS_SYMEXEC, msg);
        spec_free(&sp);
        return;
    }
    r->spec_points = sp.n_runs;
    int len = 0;
    for (int k = 0; k < sp.n_runs && len < (int)sizeof r->spec_sizes - 1; k++) {
        char point[160];
        spec_format_point(&sp, k, point, sizeof point);
        len += snprintf(r->spec_sizes + len, sizeof r->spec_sizes - (size_t)len, "%s%s", k ? "; " : "", point);
    }
    if (!o->stages[LS_SYNTH]) {
        fail(r, LIFT_NOT_RUN, LS_SYNTH, "stages after symexec not requested");
        spec_free(&sp);
        return;
    }
    /* synth */
    event(o, "start", LS_SYNTH, -1);
    synth_result sr;
    synth_run(a, &sp, &o->synth, &sr);
    r->t_stage[LS_SYNTH] = sr.stats.seconds;
    r->synth = sr.stats;
    event(o, "end", LS_SYNTH, r->t_stage[LS_SYNTH]);
    switch (sr.status) {
    case SYNTH_OK: break;
    case SYNTH_TIMEOUT: fail(r, LIFT_TIMEOUT, LS_SYNTH, sr.message); break;
    case SYNTH_UNSPECIFIED: fail(r, LIFT_UNSUPPORTED, LS_SYNTH, sr.message); break;
    case SYNTH_UNWRITTEN: fail(r, LIFT_ERROR, LS_SYNTH, sr.message); break;
    case SYNTH_NO_FORMULA: fail(r, LIFT_UNSUPPORTED, LS_SYNTH, sr.message); break;
    }
    if (sr.status != SYNTH_OK) {
        spec_free(&sp);
        return;
    }
    r->f = r->lifted = sr.f;
    r->size_lifted = formula_node_count(sr.f);
    r->check_kind = synth_check_kind(&sr.stats);
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
        } else {
            /* a construct the e-graph does not model: print the lifted formula as it is */
            r->size_simplified = r->size_lifted;
            snprintf(r->simplify_info, sizeof r->simplify_info, "not simplified: %s", simp.message);
        }
    }
    /* check */
    if (o->stages[LS_CHECK]) {
        event(o, "start", LS_CHECK, -1);
        t0 = time_now();
        run_check(op, v, src, o, &sp, r);
        r->t_stage[LS_CHECK] = time_now() - t0;
        event(o, "end", LS_CHECK, r->t_stage[LS_CHECK]);
    }
    r->matches_expected = lift_matches_expected(op, r->f, o->seed);
    spec_free(&sp);
}
