/* simplify: the stage — formula into the e-graph, saturation, extraction; see simplify.h. */
#include "simplify/simplify.h"
#include "simplify/convert.h"
#include "simplify/rules.h"
#include "simplify/run.h"
#include "util/strbuf.h"
#include "util/timing.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void simplify_options_default(simplify_options *o) {
    memset(o, 0, sizeof *o);
    run_limits l;
    run_limits_default(&l);
    o->iter_limit = l.iter_limit;
    o->node_limit = l.node_limit;
    o->time_limit = l.time_limit;
}

const char *simplify_stop_name(simplify_stop s) { return run_stop_name((run_stop)s); }

/* Outputs an equation may refer to in its printed form: those its input form refers to, so
 * the definitions stay acyclic (the e-graph knows mean[i] = its definition, and would otherwise
 * happily print mean[i] = mean[i]). */
typedef struct allowed_outputs {
    const formula *f;
    uint32_t syms[32];
    int n;
} allowed_outputs;

static void collect_outputs(egraph *g, const formula *f, const fexpr *e, allowed_outputs *al) {
    if (!e) return;
    if ((e->kind == FX_ACCESS || e->kind == FX_NAME) && e->name && formula_find(f, e->name) && al->n < 32)
        al->syms[al->n++] = egraph_intern(g, e->name);
    for (int i = 0; i < e->n_args; i++) collect_outputs(g, f, e->args[i], al);
}

static bool output_allowed(void *ctx, egraph *g, const enode *n) {
    const allowed_outputs *al = ctx;
    if (n->op != EOP_ACCESS && n->op != EOP_SYM) return true;
    if (!(g->sym_flags[n->sym] & SYMF_OUTPUT) || (g->sym_flags[n->sym] & SYMF_INDEX)) return true;
    for (int i = 0; i < al->n; i++)
        if (al->syms[i] == n->sym) return true;
    return false;
}

static void describe_approximations(const approx_use *uses, int n, strbuf *out) {
    for (int i = 0; i < n; i++) {
        char lit[40];
        snprintf(lit, sizeof lit, "%.*g", constants_written_digits(uses[i].literal), uses[i].literal);
        double d = fabs(uses[i].literal - uses[i].c->value);
        strbuf_printf(out, "%s%s (%s for %s, ", i ? ", " : "", uses[i].c->rule, lit, uses[i].c->text);
        if (d == 0) strbuf_append(out, "the double nearest it: relative rounding below 1.2e-16)");
        else strbuf_printf(out, "differs by %.2g)", d);
    }
}

static void describe_fired(const ruleset *rs, const uint32_t *fired, char *out, size_t size) {
    strbuf s;
    strbuf_init(&s);
    bool *done = xcalloc((size_t)rs->n + 1, sizeof *done);
    for (int shown = 0; shown < SIMPLIFY_MAX_FIRED; shown++) {
        int best = -1;
        for (int r = 0; r < rs->n; r++)
            if (!done[r] && fired[r] && (best < 0 || fired[r] > fired[best])) best = r;
        if (best < 0) break;
        done[best] = true;
        strbuf_printf(&s, "%s%s %u", shown ? ", " : "", rs->rules[best].name, fired[best]);
    }
    snprintf(out, size, "%s", strbuf_cstr(&s));
    free(done);
    strbuf_free(&s);
}

bool simplify_formula(arena *a, const formula *in, const simplify_options *opt_in, simplify_result *out) {
    double t0 = time_now();
    memset(out, 0, sizeof *out);
    out->f = (formula *)in;
    out->size_before = out->size_after = convert_formula_size(in);
    snprintf(out->equality, sizeof out->equality, "egraph");
    simplify_options defaults;
    simplify_options_default(&defaults);
    const simplify_options *opt = opt_in ? opt_in : &defaults;
    if (!in || in->n_eqs == 0) {
        snprintf(out->message, sizeof out->message, "no equations to simplify");
        return false;
    }

    arena scratch;
    arena_init(&scratch);
    ruleset rs;
    char err[300];
    if (!ruleset_parse(&scratch, opt->rules ? opt->rules : rules_builtin(), &rs, err, sizeof err)) {
        snprintf(out->message, sizeof out->message, "rules: %.240s", err);
        arena_free(&scratch);
        return false;
    }

    egraph g;
    egraph_init(&g);
    convert_flag_names(&g, in, opt->sizes, opt->n_sizes);
    int n = in->n_eqs;
    eclass_id *exact = xcalloc((size_t)n, sizeof *exact), *approx = xcalloc((size_t)n, sizeof *approx);
    approx_use(*uses)[CONVERT_MAX_APPROX] = xcalloc((size_t)n, sizeof *uses);
    int *n_uses = xcalloc((size_t)n, sizeof *n_uses);
    bool ok = true;
    convert_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.g = &g;
    cx.f = in;
    for (int q = 0; q < n && ok; q++) ok = (exact[q] = convert_equation(&cx, q)) != ECLASS_NONE;
    for (int q = 0; q < n && ok; q++) {
        approx[q] = ECLASS_NONE;
        if (opt->no_approximations) continue;
        convert_ctx ax;
        memset(&ax, 0, sizeof ax);
        ax.g = &g;
        ax.f = in;
        ax.approximate = true;
        eclass_id r = convert_equation(&ax, q);
        if (r != ECLASS_NONE && ax.n_uses) {
            approx[q] = r;
            n_uses[q] = ax.n_uses;
            memcpy(uses[q], ax.uses, sizeof ax.uses);
        }
    }
    if (!ok) snprintf(out->message, sizeof out->message, "%s", cx.err[0] ? cx.err : "cannot convert the formula");

    run_report rep;
    memset(&rep, 0, sizeof rep);
    if (ok) {
        run_limits lim;
        run_limits_default(&lim);
        lim.iter_limit = opt->iter_limit;
        lim.node_limit = opt->node_limit;
        lim.time_limit = opt->time_limit;
        run_rules(&g, &rs, &lim, &rep);
        out->iterations = rep.iterations;
        out->stop = (simplify_stop)rep.stop;
        out->enodes = rep.nodes;
        out->eclasses = rep.classes;
        out->conflicts = g.n_conflicts;
        describe_fired(&rs, rep.fired, out->rules_fired, sizeof out->rules_fired);
    }

    if (ok) {
        formula *f = arena_alloc(a, sizeof *f);
        *f = *in;
        f->eqs = arena_alloc(a, (size_t)n * sizeof *f->eqs);
        strbuf eq_text;
        strbuf_init(&eq_text);
        int n_approx = 0;
        for (int q = 0; q < n; q++) {
            f->eqs[q] = in->eqs[q];
            allowed_outputs al = {in, {0}, 0};
            collect_outputs(&g, in, in->eqs[q].rhs, &al);
            extractor x;
            extract_compute(&g, output_allowed, &al, &x);
            eclass_id root = exact[q];
            bool use_approx = approx[q] != ECLASS_NONE && extract_cost(&g, &x, approx[q]) < extract_cost(&g, &x, exact[q]);
            if (use_approx) root = approx[q];
            extract_unfold_root(&g, &x, root);
            fexpr *rhs = convert_extract(a, &g, &x, root, in);
            extract_free(&x);
            if (!rhs) continue;   /* keep the input's right-hand side */
            f->eqs[q].rhs = rhs;
            if (use_approx) {
                if (n_approx++) strbuf_append(&eq_text, ", ");
                describe_approximations(uses[q], n_uses[q], &eq_text);
            }
        }
        out->f = f;
        out->size_after = convert_formula_size(f);
        if (n_approx) {
            out->approximate = true;
            snprintf(out->equality, sizeof out->equality, "approximate: %s", strbuf_cstr(&eq_text));
        }
        strbuf_free(&eq_text);
    }

    free(rep.fired);
    free(exact);
    free(approx);
    free(uses);
    free(n_uses);
    egraph_free(&g);
    arena_free(&scratch);
    out->seconds = time_now() - t0;
    return ok;
}
