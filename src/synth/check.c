/* check: does a candidate formula meet the spec? Two ways, and the result says which held:
 *
 *  - exact: the formula is built as a term in the spec's own store at every output element of
 *    every run (inputs as the same variables, sizes and concrete parameters as numbers) and
 *    compared by id with the kernel's term after both are put in AC-normal form (nested sums,
 *    products, max and min flattened and their operands sorted), so a tree-shaped tl.sum and a
 *    formula's left-to-right sum compare equal;
 *  - numeric: where some element has no equal term (online rescaling, Welford, argmax), the
 *    formula and the kernel's terms are evaluated on SYNTH_ASSIGN random real assignments at
 *    every element of every run and must agree to a relative 1e-9. */
#include "synth/synth_internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL_TOL 1e-9
#define ABS_TOL 1e-12

static bool agree(double want, double got) {
    if (!isfinite(want) || !isfinite(got)) return want == got || (isnan(want) && isnan(got));
    return fabs(want - got) <= REL_TOL * fmax(fabs(want), fabs(got)) + ABS_TOL;
}

bool check_family_numeric(synth_ctx *C, const family *f, const fexpr *e, char *why, int why_size) {
    for (int k = 0; k < f->n; k++)
        for (int a = 0; a < SYNTH_ASSIGN; a++) {
            double want = sample_term(C, f->m[k].t, a), got;
            eval_point p = {f->m[k].run, a, f->sc, f->m[k].env};
            if (!synth_eval(C, e, &p, &got)) {
                if (why) snprintf(why, (size_t)why_size, "the formula is undefined at member %d", k);
                return false;
            }
            if (!agree(want, got)) {
                if (why) snprintf(why, (size_t)why_size, "member %d: spec %.17g, formula %.17g", k, want, got);
                return false;
            }
        }
    return true;
}

/* ---- AC-normal form ------------------------------------------------------------------------ */

static bool is_ac(term_op op) { return op == T_ADD || op == T_MUL || op == T_MAX || op == T_MIN; }

static int cmp_id(const void *a, const void *b) {
    term_id x = *(const term_id *)a, y = *(const term_id *)b;
    return x < y ? -1 : x > y;
}

term_id term_ac_normal(synth_ctx *C, term_id t) {
    uint64_t memo;
    if (u64map_get(&C->norm, t, &memo)) return (term_id)memo;
    const term_node *n = term_get(C->ts, t);
    term_id r = t;
    if (n->op != T_CONST && n->op != T_VAR) {
        term_op op = (term_op)n->op;
        if (is_ac(op)) {
            VEC(term_id) stack = {0}, operands = {0};
            vec_push(&stack, t);
            while (stack.len) {
                term_id u = stack.items[--stack.len];
                const term_node *nu = term_get(C->ts, u);
                if (nu->op == op) {
                    for (int i = 0; i < nu->n_args; i++) vec_push(&stack, nu->args[i]);
                    continue;
                }
                vec_push(&operands, u);
            }
            for (size_t i = 0; i < operands.len; i++) operands.items[i] = term_ac_normal(C, operands.items[i]);
            qsort(operands.items, operands.len, sizeof *operands.items, cmp_id);
            r = operands.items[0];
            for (size_t i = 1; i < operands.len && r != TERM_NONE; i++) r = term_bin(C->ts, op, r, operands.items[i]);
            vec_free(&stack);
            vec_free(&operands);
        } else {
            term_id args[3] = {0, 0, 0};
            for (int i = 0; i < n->n_args; i++) args[i] = term_ac_normal(C, n->args[i]);
            r = term_make(C->ts, op, n->n_args, args);
        }
    }
    u64map_put(&C->norm, t, r);
    return r;
}

/* ---- formulas as terms ------------------------------------------------------------------------ */

typedef struct tframe {
    scope sc;                  /* names and values of the bound index variables */
    int64_t env[SYNTH_MAX_SCOPE];
    int run;
} tframe;

static term_id to_term(synth_ctx *C, const fexpr *e, tframe *fr);

static bool index_value(synth_ctx *C, const fexpr *e, tframe *fr, int64_t *out) {
    eval_point p = {fr->run, 0, &fr->sc, fr->env};
    return synth_eval_index(C, e, &p, out);
}

static term_id access_term(synth_ctx *C, const fexpr *e, tframe *fr) {
    int t = spec_tensor_index(C->sp, e->name);
    if (t < 0 || e->n_args > PLAN_MAX_RANK) return TERM_NONE;
    const spec_tensor *st = &C->sp->runs[fr->run].tensors[t];
    if (st->rank != (e->kind == FX_NAME ? 0 : e->n_args)) return TERM_NONE;
    int64_t idx[PLAN_MAX_RANK], flat = 0;
    for (int d = 0; d < e->n_args; d++) {
        if (!index_value(C, e->args[d], fr, &idx[d]) || idx[d] < 0 || idx[d] >= st->shape[d]) return TERM_NONE;
        flat = flat * st->shape[d] + idx[d];
    }
    if (st->elems) return st->elems[flat];
    if (st->ints) return term_real(C->ts, (double)st->ints[flat]);
    return term_var(C->ts, st->name, st->rank, idx, TY_REAL);
}

static term_id name_term(synth_ctx *C, const char *name, tframe *fr) {
    for (int i = fr->sc.n - 1; i >= 0; i--)
        if (strcmp(fr->sc.names[i], name) == 0) return term_real(C->ts, (double)fr->env[i]);
    int k = spec_size_index(C->sp, name);
    if (k >= 0) return term_real(C->ts, (double)C->sp->runs[fr->run].sizes[k]);
    for (int p = 0; p < C->op->n_params; p++) {
        const plan_param *pp = &C->op->params[p];
        if (strcmp(pp->name, name) != 0) continue;
        if (!pp->symbolic) return term_real(C->ts, pp->value);
        return term_var(C->ts, pp->name, 0, NULL, elem_dtype_is_float(pp->dtype) ? TY_REAL : TY_INT);
    }
    return TERM_NONE;
}

static term_id scalar_tensor_term(synth_ctx *C, const fexpr *e, tframe *fr) {
    return spec_tensor_index(C->sp, e->name) >= 0 ? access_term(C, e, fr) : TERM_NONE;
}

static term_id reduce_term(synth_ctx *C, const fexpr *e, tframe *fr) {
    static const term_op ops[] = {T_ADD, T_MUL, T_MAX, T_MIN};
    static const double identity[] = {0, 1, -INFINITY, INFINITY};
    int r = -1;
    for (int k = 0; k < 4; k++)
        if (strcmp(grammar_reductions[k], e->name) == 0) r = k;
    int64_t lo, hi;
    if (r < 0 || fr->sc.n >= SYNTH_MAX_SCOPE || !index_value(C, e->args[0], fr, &lo) || !index_value(C, e->args[1], fr, &hi))
        return TERM_NONE;
    if (lo >= hi) return term_real(C->ts, identity[r]);
    term_id acc = TERM_NONE;
    int slot = fr->sc.n++;
    fr->sc.names[slot] = e->var;
    for (int64_t k = lo; k < hi; k++) {
        fr->env[slot] = k;
        term_id body = to_term(C, e->args[2], fr);
        acc = body == TERM_NONE ? TERM_NONE : acc == TERM_NONE ? body : term_bin(C->ts, ops[r], acc, body);
        if (acc == TERM_NONE) break;
    }
    fr->sc.n--;
    return acc;
}

static term_id to_term(synth_ctx *C, const fexpr *e, tframe *fr) {
    term_id x, y, c;
    switch (e->kind) {
    case FX_NUM: return term_real(C->ts, e->num);
    case FX_NAME: {
        term_id t = name_term(C, e->name, fr);
        return t ? t : scalar_tensor_term(C, e, fr);
    }
    case FX_ACCESS: return access_term(C, e, fr);
    case FX_BINOP: {
        term_op op;
        switch (e->op) {
        case '+': op = T_ADD; break;
        case '-': op = T_SUB; break;
        case '*': op = T_MUL; break;
        case '/': op = T_DIV; break;
        case '^': op = T_POW; break;
        default: {   /* // and % compute indices: their value as a number */
            int64_t v;
            return index_value(C, e, fr, &v) ? term_real(C->ts, (double)v) : TERM_NONE;
        }
        }
        x = to_term(C, e->args[0], fr);
        y = x ? to_term(C, e->args[1], fr) : TERM_NONE;
        return y ? term_bin(C->ts, op, x, y) : TERM_NONE;
    }
    case FX_NEG:
        x = to_term(C, e->args[0], fr);
        return x ? term_un(C->ts, T_NEG, x) : TERM_NONE;
    case FX_CMP: {
        x = to_term(C, e->args[0], fr);
        y = x ? to_term(C, e->args[1], fr) : TERM_NONE;
        if (!y) return TERM_NONE;
        switch ((fcmp)e->op) {
        case FC_LT: return term_bin(C->ts, T_LT, x, y);
        case FC_LE: return term_bin(C->ts, T_LE, x, y);
        case FC_GT: return term_bin(C->ts, T_LT, y, x);
        case FC_GE: return term_bin(C->ts, T_LE, y, x);
        case FC_EQ: return term_bin(C->ts, T_EQ, x, y);
        default: return term_bin(C->ts, T_NE, x, y);
        }
    }
    case FX_AND:
    case FX_OR:
        x = to_term(C, e->args[0], fr);
        y = x ? to_term(C, e->args[1], fr) : TERM_NONE;
        return y ? term_bin(C->ts, e->kind == FX_AND ? T_AND : T_OR, x, y) : TERM_NONE;
    case FX_NOT:
        x = to_term(C, e->args[0], fr);
        return x ? term_un(C->ts, T_NOT, x) : TERM_NONE;
    case FX_WHERE:
        c = to_term(C, e->args[0], fr);
        x = c ? to_term(C, e->args[1], fr) : TERM_NONE;
        y = x ? to_term(C, e->args[2], fr) : TERM_NONE;
        return y ? term_select(C->ts, c, x, y) : TERM_NONE;
    case FX_CALL: {
        term_op op = grammar_term_op(e->name, e->n_args);
        if (op == T_CONST) return TERM_NONE;
        term_id args[2] = {0, 0};
        for (int i = 0; i < e->n_args; i++)
            if (!(args[i] = to_term(C, e->args[i], fr))) return TERM_NONE;
        return term_make(C->ts, op, e->n_args, args);
    }
    case FX_REDUCE:
        return reduce_term(C, e, fr);
    }
    return TERM_NONE;
}

term_id fexpr_to_term(synth_ctx *C, const fexpr *e, const eval_point *p) {
    tframe fr;
    memset(&fr, 0, sizeof fr);
    fr.run = p->run;
    if (p->sc) {
        fr.sc = *p->sc;
        memcpy(fr.env, p->env, sizeof(int64_t) * (size_t)p->sc->n);
    }
    return to_term(C, e, &fr);
}

/* ---- whole outputs ------------------------------------------------------------------------------ */

check_outcome check_output(synth_ctx *C, int tensor, const scope *sc, const fexpr *rhs, char *why, int why_size) {
    family all;
    family_init(&all, sc);
    bool exact = !C->opt->numeric_check_only;   /* input/output examples only: never by terms */
    for (int r = 0; r < C->sp->n_runs; r++) {
        const spec_tensor *st = &C->sp->runs[r].tensors[tensor];
        int64_t env[SYNTH_MAX_SCOPE] = {0};
        for (int64_t flat = 0; flat < st->numel; flat++) {
            int64_t rem = flat;
            for (int d = st->rank - 1; d >= 0; d--) {
                env[d] = rem % st->shape[d];
                rem /= st->shape[d];
            }
            family_add(&all, st->elems[flat], r, env);
            if (!exact) continue;
            eval_point p = {r, 0, sc, env};
            term_id t = fexpr_to_term(C, rhs, &p);
            exact = t != TERM_NONE && term_ac_normal(C, t) == term_ac_normal(C, st->elems[flat]);
        }
    }
    check_outcome out = CHECK_EXACT;
    if (!exact) out = check_family_numeric(C, &all, rhs, why, why_size) ? CHECK_NUMERIC : CHECK_FAILED;
    family_free(&all);
    return out;
}
