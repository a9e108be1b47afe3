/* expected: comparison of a lifted formula with the manifest's expected one (the CSV column
 * matches_expected). First structurally, in a canonical text where index variables are named by
 * position, sums/products/max/min chains are flattened and their operands sorted, and a > b is
 * b < a; then, if that differs, numerically: both formulas evaluated on the same random inputs at
 * check-suite's size points. */
#include "check/crosscheck.h"
#include "exec/host_expr.h"
#include "lift/lift.h"
#include "util/hash.h"
#include "util/strbuf.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- canonical text ---------------------------------------------------------------------------- */

typedef struct names {
    const char *bound[16];
    int n;
} names;

static void canon(const fexpr *e, names *nm, strbuf *out);

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool chain_member(const fexpr *e, int kind, int op, const char *fn) {
    if (kind == FX_BINOP) return e->kind == FX_BINOP && e->op == op;
    return e->kind == FX_CALL && e->n_args == 2 && strcmp(e->name, fn) == 0;
}

static void collect_chain(const fexpr *e, int kind, int op, const char *fn, names *nm, char ***items, int *n, int *cap) {
    if (chain_member(e, kind, op, fn)) {
        collect_chain(e->args[0], kind, op, fn, nm, items, n, cap);
        collect_chain(e->args[1], kind, op, fn, nm, items, n, cap);
        return;
    }
    strbuf s;
    strbuf_init(&s);
    canon(e, nm, &s);
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 8;
        *items = xrealloc(*items, (size_t)*cap * sizeof **items);
    }
    (*items)[(*n)++] = strbuf_take(&s);
}

/* An associative-commutative chain: operands in sorted order. */
static void canon_chain(const fexpr *e, int kind, int op, const char *fn, names *nm, strbuf *out) {
    char **items = NULL;
    int n = 0, cap = 0;
    collect_chain(e, kind, op, fn, nm, &items, &n, &cap);
    qsort(items, (size_t)n, sizeof *items, cmp_str);
    if (kind == FX_BINOP) strbuf_printf(out, "%c(", op);
    else strbuf_printf(out, "%s(", fn);
    for (int i = 0; i < n; i++) {
        strbuf_printf(out, "%s%s", i ? "," : "", items[i]);
        free(items[i]);
    }
    strbuf_putc(out, ')');
    free(items);
}

static void canon(const fexpr *e, names *nm, strbuf *out) {
    switch (e->kind) {
    case FX_NUM: strbuf_printf(out, "%.17g", e->num); return;
    case FX_NAME:
        for (int i = nm->n - 1; i >= 0; i--)
            if (strcmp(nm->bound[i], e->name) == 0) { strbuf_printf(out, "$%d", i); return; }
        strbuf_append(out, e->name);
        return;
    case FX_BINOP:
        if (e->op == '+' || e->op == '*') { canon_chain(e, FX_BINOP, e->op, NULL, nm, out); return; }
        strbuf_printf(out, "%s(", e->op == FOP_FLOORDIV ? "//" : (char[]){(char)e->op, 0});
        canon(e->args[0], nm, out);
        strbuf_putc(out, ',');
        canon(e->args[1], nm, out);
        strbuf_putc(out, ')');
        return;
    case FX_CALL:
        if (e->n_args == 2 && (strcmp(e->name, "max") == 0 || strcmp(e->name, "min") == 0)) {
            canon_chain(e, FX_CALL, 0, e->name, nm, out);
            return;
        }
        break;
    case FX_CMP: {
        /* a > b is b < a */
        static const char *const text[] = {"<", "<=", "<", "<=", "==", "!="};
        bool swap = e->op == FC_GT || e->op == FC_GE;
        strbuf_printf(out, "cmp%s(", text[e->op]);
        canon(e->args[swap ? 1 : 0], nm, out);
        strbuf_putc(out, ',');
        canon(e->args[swap ? 0 : 1], nm, out);
        strbuf_putc(out, ')');
        return;
    }
    case FX_REDUCE: {
        strbuf_printf(out, "%s(", e->name);
        canon(e->args[0], nm, out);
        strbuf_append(out, "..");
        canon(e->args[1], nm, out);
        strbuf_putc(out, ':');
        if (nm->n < 16) nm->bound[nm->n++] = e->var;
        canon(e->args[2], nm, out);
        nm->n--;
        strbuf_putc(out, ')');
        return;
    }
    default: break;
    }
    static const char *const kinds[] = {"num", "name", "", "binop", "neg", "cmp", "and", "or", "not", "where", "", "red"};
    const char *head = e->kind == FX_ACCESS || e->kind == FX_CALL ? e->name : kinds[e->kind];
    strbuf_printf(out, "%s%c", head, e->kind == FX_ACCESS ? '[' : '(');
    for (int i = 0; i < e->n_args; i++) {
        if (i) strbuf_putc(out, ',');
        canon(e->args[i], nm, out);
    }
    strbuf_putc(out, e->kind == FX_ACCESS ? ']' : ')');
}

static char *canon_equation(const fequation *q) {
    names nm = {{0}, 0};
    for (int i = 0; i < q->n_indices && i < 16; i++) nm.bound[nm.n++] = q->indices[i];
    strbuf s;
    strbuf_init(&s);
    strbuf_printf(&s, "%s/%d=", q->output, q->n_indices);
    canon(q->rhs, &nm, &s);
    return strbuf_take(&s);
}

static bool equal_up_to_ac(const formula *a, const formula *b) {
    if (a->n_eqs != b->n_eqs) return false;
    bool same = true;
    for (int i = 0; i < a->n_eqs && same; i++) {
        const fequation *qb = formula_find(b, a->eqs[i].output);
        if (!qb) return false;
        char *x = canon_equation(&a->eqs[i]), *y = canon_equation(qb);
        same = strcmp(x, y) == 0;
        free(x);
        free(y);
    }
    return same;
}

/* ---- numeric equivalence ----------------------------------------------------------------------- */

typedef struct env_ctx {
    const plan_op *op;
    const size_point *p;
    int64_t shape[16][PLAN_MAX_RANK];
    uint64_t seed;
} env_ctx;

static bool env_tensor(void *ctx, const char *name, int rank, const int64_t *index, double *out) {
    const env_ctx *E = ctx;
    for (int t = 0; t < E->op->n_tensors && t < 16; t++) {
        const plan_tensor *pt = &E->op->tensors[t];
        if (strcmp(pt->name, name) != 0) continue;
        if (pt->rank != rank) return false;
        uint64_t h = hash_mix(E->seed, (uint64_t)t + 1);
        for (int d = 0; d < rank; d++) {
            if (index[d] < 0 || index[d] >= E->shape[t][d]) return false;
            h = hash_mix(h, (uint64_t)index[d]);
        }
        double u = (double)(h >> 11) * (1.0 / 9007199254740992.0);
        *out = elem_dtype_is_float(pt->dtype) ? pt->lo + u * (pt->hi - pt->lo) : floor(pt->lo + u * (pt->hi + 1 - pt->lo));
        return true;
    }
    return false;
}

static bool env_param(void *ctx, const char *name, double *out) {
    const env_ctx *E = ctx;
    for (int i = 0; i < E->p->n; i++)
        if (strcmp(E->p->sizes[i].name, name) == 0) { *out = (double)E->p->sizes[i].value; return true; }
    for (int i = 0; i < E->op->n_params; i++)
        if (strcmp(E->op->params[i].name, name) == 0) { *out = E->op->params[i].value; return true; }
    return false;
}

static bool shapes_at(const plan_op *op, const size_point *p, env_ctx *E) {
    arena a;
    arena_init(&a);
    host_scope scope;
    host_scope_init(&scope, NULL, NULL);
    for (int i = 0; i < p->n; i++) {
        host_value v = {0};
        v.kind = HV_INT;
        v.i = p->sizes[i].value;
        host_scope_set(&scope, p->sizes[i].name, v);
    }
    bool ok = op->n_tensors <= 16;
    for (int t = 0; t < op->n_tensors && ok; t++)
        for (int d = 0; d < op->tensors[t].rank && ok; d++) {
            diag err = {0};
            ok = host_eval_int(&a, &op->tensors[t].shape[d], &scope, &E->shape[t][d], &err);
        }
    host_scope_free(&scope);
    arena_free(&a);
    return ok;
}

/* Agreement of every output element at every point; points where either formula is undefined
 * (0/0 variances at N = 1) are skipped unless both are. */
static bool numerically_equal(const plan_op *op, const formula *a, const formula *b, uint64_t seed) {
    size_point points[32];
    int n = crosscheck_size_points(op, points, 32), compared = 0;
    for (int p = 0; p < n; p++) {
        env_ctx E = {op, &points[p], {{0}}, hash_mix(seed, (uint64_t)p)};
        if (!shapes_at(op, &points[p], &E)) continue;
        formula_env env = {env_tensor, env_param, &E};
        formula_evaluator *ea = formula_evaluator_new(a, &env), *eb = formula_evaluator_new(b, &env);
        bool ok = true;
        for (int q = 0; q < a->n_eqs && ok; q++) {
            const fequation *qa = &a->eqs[q];
            int t = -1;
            for (int k = 0; k < op->n_tensors; k++)
                if (strcmp(op->tensors[k].name, qa->output) == 0) t = k;
            if (t < 0 || !formula_find(b, qa->output)) { ok = false; break; }
            int64_t total = 1, idx[PLAN_MAX_RANK];
            for (int d = 0; d < op->tensors[t].rank; d++) total *= E.shape[t][d];
            for (int64_t flat = 0; flat < total && ok; flat++) {
                int64_t rem = flat;
                for (int d = op->tensors[t].rank - 1; d >= 0; d--) {
                    idx[d] = rem % E.shape[t][d];
                    rem /= E.shape[t][d];
                }
                double x, y;
                diag err = {0};
                bool okx = formula_eval(ea, qa->output, idx, &x, &err), oky = formula_eval(eb, qa->output, idx, &y, &err);
                if (!okx || !oky || !isfinite(x) || !isfinite(y)) {
                    ok = okx == oky && (isfinite(x) == isfinite(y));
                    continue;
                }
                ok = fabs(x - y) <= 1e-9 + 1e-7 * fabs(y);
                compared++;
            }
        }
        formula_evaluator_free(ea);
        formula_evaluator_free(eb);
        if (!ok) return false;
    }
    return compared > 0;
}

const char *lift_matches_expected(const plan_op *op, const formula *f, uint64_t seed) {
    if (!f || !op->expected.text) return "";
    arena a;
    arena_init(&a);
    diag err = {0};
    formula *want = formula_parse(&a, op->expected.file, op->expected.line, op->expected.col, op->expected.text, &err);
    const char *answer = "";
    if (want) answer = equal_up_to_ac(f, want) ? "yes" : numerically_equal(op, f, want, seed) ? "equivalent" : "no";
    arena_free(&a);
    return answer;
}
