/* topdown: structural lifting of a family of terms (the same position of the formula at every
 * output element of every run). Rules, in order:
 *
 *   constant      every member is the same number (also numerically: 0 * x where the store
 *                 could not prove x finite), or integers an index expression gives (N - 1)
 *   parameter     every member is the same scalar parameter
 *   access        every member is an element of one input: index expressions inferred per dim
 *   reference     every member equals an element of another output (mean[i] inside y)
 *   reduction     n-ary sum/product/max/min trees, flattened (not through referenced outputs;
 *                 identity operands such as padding zeros dropped): operands grouped by
 *                 structural signature, or else by root operator; a group whose operands read
 *                 one tensor dimension at consecutive indices — where they differ from each
 *                 other, walking two of them in lockstep — is a reduction over that range
 *                 (nested when the indices repeat), the others are fixed operands lifted
 *                 positionally
 *   root split    every member has the same root operator: lift each argument (== != and or
 *                 ordered by signature: the store orders them by id, which varies by run)
 *   piecewise     two structures (by signature, or else by root) at positions an index
 *                 condition mentioning an index variable separates: where(c, a, b)
 *
 * A family no rule splits goes to bottom-up enumeration (only at the output's own scope, where
 * the candidate bank is shared by every piece of that output). Reductions lifted over the
 * output's indices alone are registered as terminals for the bottom-up search (the row max of
 * softmax's numerator becomes a building block of its rescaled denominator). */
#include "synth/synth_internal.h"
#include "util/hash.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef VEC(term_id) term_vec;

static bool is_ac(term_op op) { return op == T_ADD || op == T_MUL || op == T_MAX || op == T_MIN; }

static const char *reduction_of(term_op op) {
    switch (op) {
    case T_ADD: return "sum";
    case T_MUL: return "prod";
    case T_MAX: return "max";
    default: return "min";
    }
}

static fexpr *combine(synth_ctx *C, term_op op, fexpr *a, fexpr *b) {
    if (!a) return b;
    switch (op) {
    case T_ADD: return fx_binop(C, '+', a, b);
    case T_MUL: return fx_binop(C, '*', a, b);
    default: {
        fexpr *args[2] = {a, b};
        return fx_call(C, op == T_MAX ? "max" : "min", 2, args);
    }
    }
}

static const term_node *node_of(synth_ctx *C, term_id t) { return term_get(C->ts, t); }

/* ---- signatures ----------------------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* An element of an output the current one may refer to, at any run: its tensor, else -1. */
static int referable_output(synth_ctx *C, term_id t) {
    for (int run = 0; run < C->sp->n_runs; run++)
        for (int r = synth_first_elem(C, run, t); r >= 0; r = C->elem_refs.items[r].next)
            if (synth_may_reference(C, C->elem_refs.items[r].tensor)) return C->elem_refs.items[r].tensor;
    return -1;
}

uint64_t term_signature(synth_ctx *C, term_id t) {
    uint64_t h;
    if (u64map_get(&C->sig, t, &h)) return h;
    const term_node *n = node_of(C, t);
    int ref = n->op == T_CONST || n->op == T_VAR ? -1 : referable_output(C, t);
    if (ref >= 0) {
        /* it becomes a reference, whatever its structure (Welford's rstd inside y) */
        h = hash_mix(7, (uint64_t)ref);
    } else if (n->op == T_CONST) {
        /* constants by class only: a size folded into a constant (3 at N = 3, 5 at N = 5) must
         * not make the same position look different from run to run */
        double v = n->type == TY_REAL ? n->u.cval : (double)n->u.ival;
        uint64_t cls = v == 0 ? 0 : v == 1 ? 1 : v == -1 ? 2 : isinf(v) ? (v > 0 ? 3 : 4) : v == floor(v) ? 5 : 6;
        h = hash_mix(hash_mix(1, n->type), cls);
    } else if (n->op == T_VAR) {
        const term_variable *v = term_var_info(C->ts, n->u.var);
        h = hash_mix(spec_tensor_index(C->sp, v->name) >= 0 && v->rank > 0 ? 2 : 3, hash_bytes(v->name, strlen(v->name)));
    } else if (is_ac((term_op)n->op)) {
        /* the set of distinct operand signatures: independent of how many operands there are */
        VEC(term_id) stack = {0};
        VEC(uint64_t) sigs = {0};
        vec_push(&stack, t);
        while (stack.len) {
            term_id u = stack.items[--stack.len];
            const term_node *nu = node_of(C, u);
            if (nu->op == n->op) {
                for (int i = 0; i < nu->n_args; i++) vec_push(&stack, nu->args[i]);
                continue;
            }
            vec_push(&sigs, term_signature(C, u));
        }
        qsort(sigs.items, sigs.len, sizeof *sigs.items, cmp_u64);
        h = hash_mix(4, n->op);
        for (size_t i = 0; i < sigs.len; i++)
            if (i == 0 || sigs.items[i] != sigs.items[i - 1]) h = hash_mix(h, sigs.items[i]);
        vec_free(&stack);
        vec_free(&sigs);
    } else {
        h = hash_mix(hash_mix(5, n->op), n->type);
        for (int i = 0; i < n->n_args; i++) h = hash_mix(h, term_signature(C, n->args[i]));
    }
    u64map_put(&C->sig, t, h);
    return h;
}

/* ---- helpers ------------------------------------------------------------------------------- */

/* A member's term equals an element of an output the current one may refer to. */
static int referenced_elem(synth_ctx *C, int run, term_id t) {
    for (int r = synth_first_elem(C, run, t); r >= 0; r = C->elem_refs.items[r].next)
        if (synth_may_reference(C, C->elem_refs.items[r].tensor)) return r;
    return -1;
}

static fexpr *infer_access(synth_ctx *C, const family *f, const char *name, int rank, int64_t *const *idx) {
    fexpr *args[PLAN_MAX_RANK];
    for (int d = 0; d < rank; d++)
        if (!(args[d] = index_infer(C, f, idx[d]))) return NULL;
    return fx_access(C, name, rank, args);
}

static void flat_to_index(const spec_tensor *st, int64_t flat, int64_t *idx) {
    for (int d = st->rank - 1; d >= 0; d--) {
        idx[d] = flat % st->shape[d];
        flat /= st->shape[d];
    }
}

/* ---- leaf rules -------------------------------------------------------------------------- */

static fexpr *lift_constant(synth_ctx *C, const family *f) {
    bool all_const = true, integral = true;
    double first = 0;
    bool same = true;
    for (int k = 0; k < f->n && all_const; k++) {
        double v;
        if (!term_const_value(C->ts, f->m[k].t, &v)) { all_const = false; break; }
        if (k == 0) first = v;
        same = same && (v == first || (isnan(v) && isnan(first)));
        integral = integral && fabs(v) < 1e15 && v == floor(v);
    }
    if (all_const) {
        if (same) return fx_num(C, first);
        if (!integral) return NULL;
        int64_t *target = xmalloc((size_t)f->n * sizeof *target);
        for (int k = 0; k < f->n; k++) {
            double v;
            term_const_value(C->ts, f->m[k].t, &v);
            target[k] = (int64_t)v;
        }
        fexpr *e = index_infer(C, f, target);
        free(target);
        return e;
    }
    /* A term that is numerically constant although not folded (0 * x for an x the store could
     * not prove finite). Two assignments agreeing with the first member's value everywhere. */
    double c = sample_term(C, f->m[0].t, 0);
    if (!isfinite(c)) return NULL;
    for (int k = 0; k < f->n; k++)
        for (int a = 0; a < SYNTH_OE_ASSIGN; a++)
            if (sample_term(C, f->m[k].t, a) != c) return NULL;
    return fx_num(C, c);
}

static fexpr *lift_variable(synth_ctx *C, const family *f) {
    const term_node *n0 = node_of(C, f->m[0].t);
    if (n0->op != T_VAR) return NULL;
    const term_variable *v0 = term_var_info(C->ts, n0->u.var);
    int t = spec_tensor_index(C->sp, v0->name);
    for (int k = 1; k < f->n; k++) {
        const term_node *n = node_of(C, f->m[k].t);
        if (n->op != T_VAR) return NULL;
        const term_variable *v = term_var_info(C->ts, n->u.var);
        if (strcmp(v->name, v0->name) != 0 || v->rank != v0->rank) return NULL;
    }
    if (v0->rank == 0 && t < 0) {
        for (int p = 0; p < C->op->n_params; p++)
            if (strcmp(C->op->params[p].name, v0->name) == 0) return fx_name(C, C->op->params[p].name);
        return NULL;
    }
    if (t < 0 || strcmp(v0->name, "undef") == 0) return NULL;
    int64_t *idx[PLAN_MAX_RANK];
    for (int d = 0; d < v0->rank; d++) idx[d] = xmalloc((size_t)f->n * sizeof(int64_t));
    for (int k = 0; k < f->n; k++) {
        const term_variable *v = term_var_info(C->ts, node_of(C, f->m[k].t)->u.var);
        for (int d = 0; d < v0->rank; d++) idx[d][k] = v->index[d];
    }
    fexpr *e = infer_access(C, f, C->op->tensors[t].name, v0->rank, idx);
    for (int d = 0; d < v0->rank; d++) free(idx[d]);
    return e;
}

static fexpr *lift_reference(synth_ctx *C, const family *f) {
    int r0 = referenced_elem(C, f->m[0].run, f->m[0].t);
    if (r0 < 0) return NULL;
    /* try each output member 0 equals, in chain order */
    for (int r = r0; r >= 0; r = C->elem_refs.items[r].next) {
        int tensor = C->elem_refs.items[r].tensor;
        if (!synth_may_reference(C, tensor)) continue;
        int rank = C->sp->runs[0].tensors[tensor].rank;
        int64_t *idx[PLAN_MAX_RANK];
        for (int d = 0; d < rank; d++) idx[d] = xmalloc((size_t)f->n * sizeof(int64_t));
        bool ok = true;
        for (int k = 0; k < f->n && ok; k++) {
            ok = false;
            for (int q = synth_first_elem(C, f->m[k].run, f->m[k].t); q >= 0; q = C->elem_refs.items[q].next) {
                if (C->elem_refs.items[q].tensor != tensor) continue;
                int64_t e[PLAN_MAX_RANK];
                flat_to_index(&C->sp->runs[f->m[k].run].tensors[tensor], C->elem_refs.items[q].flat, e);
                for (int d = 0; d < rank; d++) idx[d][k] = e[d];
                ok = true;
                break;
            }
        }
        fexpr *e = ok ? infer_access(C, f, C->op->tensors[tensor].name, rank, idx) : NULL;
        for (int d = 0; d < rank; d++) free(idx[d]);
        if (e) return e;
    }
    return NULL;
}

/* ---- n-ary operators and reductions -------------------------------------------------------- */

typedef struct operand_list {
    term_vec t;               /* all operands, member after member */
    int *start, *count;        /* per member */
} operand_list;

static bool is_identity(synth_ctx *C, term_op op, term_id t) {
    if (op != T_ADD && op != T_MUL) return false;
    double id = op == T_ADD ? 0 : 1;
    for (int a = 0; a < SYNTH_OE_ASSIGN; a++)
        if (sample_term(C, t, a) != id) return false;
    return true;
}

/* The operands of the maximal tree of `op` at t, left to right; a subterm equal to an element
 * of a referable output stays one operand (it becomes a reference), and operands that are the
 * operator's identity (0 + ..., padding lanes) are dropped. */
static void flatten(synth_ctx *C, term_op op, int run, term_id t, operand_list *L) {
    VEC(term_id) stack = {0};
    vec_push(&stack, t);
    while (stack.len) {
        term_id u = stack.items[--stack.len];
        const term_node *n = node_of(C, u);
        if (n->op == op && (u == t || referenced_elem(C, run, u) < 0)) {
            for (int i = n->n_args - 1; i >= 0; i--) vec_push(&stack, n->args[i]);
            continue;
        }
        if (!is_identity(C, op, u)) vec_push(&L->t, u);
    }
    vec_free(&stack);
}

static void push_input_var(synth_ctx *C, term_id u, term_vec *out) {
    const term_variable *v = term_var_info(C->ts, node_of(C, u)->u.var);
    if (v->rank > 0 && spec_tensor_index(C->sp, v->name) >= 0) vec_push(out, u);
}

/* Every input-tensor variable reachable from t. */
static void all_vars(synth_ctx *C, term_id t, u64map *seen, term_vec *out) {
    term_vec stack = {0};
    vec_push(&stack, t);
    while (stack.len) {
        term_id u = stack.items[--stack.len];
        if (u64map_get(seen, u, NULL)) continue;
        u64map_put(seen, u, 1);
        const term_node *n = node_of(C, u);
        if (n->op == T_VAR) push_input_var(C, u, out);
        for (int i = 0; i < n->n_args; i++) vec_push(&stack, n->args[i]);
    }
    vec_free(&stack);
}

/* The variables where operand o differs from a sibling operand ref of the same signature: both
 * are walked in lockstep, shared subterms (the row max inside exp(x[k] - max)) are skipped, and
 * where the structures part, all of o's variables there count. */
static void private_vars(synth_ctx *C, term_id o, term_id ref, term_vec *out) {
    u64map seen;
    u64map_init(&seen);
    term_vec stack = {0};
    vec_push(&stack, o);
    vec_push(&stack, ref);
    while (stack.len) {
        term_id b = stack.items[--stack.len], a = stack.items[--stack.len];
        if (a == b || u64map_get(&seen, a, NULL)) continue;
        const term_node *na = node_of(C, a), *nb = node_of(C, b);
        if (na->op == T_VAR) {
            u64map_put(&seen, a, 1);
            push_input_var(C, a, out);
            continue;
        }
        if (na->op != nb->op || na->n_args != nb->n_args || nb->op == T_VAR) {
            all_vars(C, a, &seen, out);
            continue;
        }
        u64map_put(&seen, a, 1);
        for (int i = 0; i < na->n_args; i++) {
            vec_push(&stack, na->args[i]);
            vec_push(&stack, nb->args[i]);
        }
    }
    vec_free(&stack);
    u64map_free(&seen);
}

typedef struct group {
    const family *f;
    term_op op;
    term_id *ops;              /* operands, member after member */
    int *start, *count;        /* per member */
    int total;
    /* private variables per operand */
    term_id **vars;
    int *n_vars;
} group;

static void group_free(group *g) {
    for (int i = 0; i < g->total; i++) free(g->vars ? g->vars[i] : NULL);
    free(g->vars);
    free(g->n_vars);
    free(g->ops);
    free(g->start);
    free(g->count);
}

static void compute_private_vars(synth_ctx *C, group *g) {
    g->vars = xcalloc((size_t)g->total + 1, sizeof *g->vars);
    g->n_vars = xcalloc((size_t)g->total + 1, sizeof *g->n_vars);
    for (int k = 0; k < g->f->n; k++)
        for (int j = 0; j < g->count[k]; j++) {
            term_vec v = {0};
            term_id o = g->ops[g->start[k] + j];
            if (g->count[k] >= 2) {
                private_vars(C, o, g->ops[g->start[k] + (j == 0 ? 1 : 0)], &v);
            } else {
                u64map seen;
                u64map_init(&seen);
                all_vars(C, o, &seen, &v);
                u64map_free(&seen);
            }
            g->vars[g->start[k] + j] = v.items;
            g->n_vars[g->start[k] + j] = (int)v.len;
        }
}

/* The index at dimension d of tensor T that every private variable of T in operand i reads;
 * false when none or several. */
static bool operand_key(synth_ctx *C, const group *g, int i, const char *tensor, int d, int64_t *key) {
    bool found = false;
    for (int v = 0; v < g->n_vars[i]; v++) {
        const term_variable *info = term_var_info(C->ts, node_of(C, g->vars[i][v])->u.var);
        if (strcmp(info->name, tensor) != 0 || info->rank <= d) continue;
        if (found && info->index[d] != *key) return false;
        *key = info->index[d];
        found = true;
    }
    return found;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Reduction over dimension d of tensor T: each member's operand keys must form a contiguous
 * range, each key taken once (distinct) or equally often (nested, the inner reduction's
 * operands folded into one body term per key). */
static fexpr *try_binder(synth_ctx *C, const group *g, const char *tensor, int d, bool nested) {
    const family *f = g->f;
    int64_t *keys = xmalloc((size_t)(g->total + 1) * sizeof *keys);
    int64_t *lo = xmalloc((size_t)f->n * sizeof *lo), *hi = xmalloc((size_t)f->n * sizeof *hi);
    int64_t *sorted = xmalloc((size_t)(g->total + 1) * sizeof *sorted);
    bool ok = true, repeats = false, several_keys = false;
    for (int k = 0; k < f->n && ok; k++) {
        int n = g->count[k];
        for (int j = 0; j < n && ok; j++) ok = operand_key(C, g, g->start[k] + j, tensor, d, &keys[g->start[k] + j]);
        if (!ok) break;
        memcpy(sorted, &keys[g->start[k]], (size_t)n * sizeof *sorted);
        qsort(sorted, (size_t)n, sizeof *sorted, cmp_i64);
        /* runs of equal keys, consecutive values, equal run lengths */
        int run_len = 1;
        while (run_len < n && sorted[run_len] == sorted[0]) run_len++;
        if (run_len > 1) repeats = true;
        if (!nested && run_len > 1) ok = false;
        for (int j = 0; j < n && ok; j++) ok = sorted[j] == sorted[0] + j / run_len;
        ok = ok && n % run_len == 0;
        lo[k] = sorted[0];
        hi[k] = sorted[n - 1] + 1;
        if (hi[k] - lo[k] >= 2) several_keys = true;
    }
    fexpr *result = NULL;
    if (ok && several_keys && (!nested || repeats)) {
        int64_t *width = xmalloc((size_t)f->n * sizeof *width);
        for (int k = 0; k < f->n; k++) width[k] = hi[k] - lo[k];
        fexpr *lo_e = index_infer(C, f, lo);
        bool rebase = lo_e && !(lo_e->kind == FX_NUM && lo_e->num == 0);
        fexpr *hi_e = rebase ? index_infer(C, f, width) : index_infer(C, f, hi);
        const scope *body_sc = scope_child(C, f->sc);
        if (lo_e && hi_e && body_sc) {
            family body;
            family_init(&body, body_sc);
            int64_t env[SYNTH_MAX_SCOPE];
            for (int k = 0; k < f->n; k++) {
                memcpy(env, f->m[k].env, sizeof env);
                int n = g->count[k];
                for (int64_t key = lo[k]; key < hi[k]; key++) {
                    env[f->sc->n] = key - (rebase ? lo[k] : 0);
                    term_id folded = TERM_NONE;   /* the operands with this key, folded in order */
                    for (int j = 0; j < n; j++) {
                        if (keys[g->start[k] + j] != key) continue;
                        term_id o = g->ops[g->start[k] + j];
                        folded = folded == TERM_NONE ? o : term_bin(C->ts, g->op, folded, o);
                    }
                    family_add(&body, folded, f->m[k].run, env);
                }
            }
            fexpr *body_e = topdown_lift(C, &body);
            family_free(&body);
            if (body_e && fx_uses(body_e, body_sc->names[f->sc->n])) {
                result = fx_reduce(C, reduction_of(g->op), body_sc->names[f->sc->n], rebase ? fx_num(C, 0) : lo_e, hi_e, body_e);
            }
        }
        free(width);
    }
    free(keys);
    free(lo);
    free(hi);
    free(sorted);
    return result;
}

static fexpr *try_reduction(synth_ctx *C, const group *g) {
    for (int nested = 0; nested < 2; nested++)
        for (int t = 0; t < C->op->n_tensors; t++) {
            const plan_tensor *pt = &C->op->tensors[t];
            if (pt->role != ROLE_INPUT || !elem_dtype_is_float(pt->dtype)) continue;
            for (int d = 0; d < pt->rank; d++) {
                if (synth_out_of_time(C)) return NULL;
                fexpr *e = try_binder(C, g, pt->name, d, nested);
                if (e) return e;
            }
        }
    return NULL;
}

/* The smallest (tensor, index) among an operand's variables: orders repeated operands. */
static int compare_vars(synth_ctx *C, const group *g, int a, int b) {
    term_id va = g->n_vars[a] ? g->vars[a][0] : 0, vb = g->n_vars[b] ? g->vars[b][0] : 0;
    for (int i = 1; i < g->n_vars[a]; i++) va = g->vars[a][i] < va ? g->vars[a][i] : va;
    for (int i = 1; i < g->n_vars[b]; i++) vb = g->vars[b][i] < vb ? g->vars[b][i] : vb;
    if (!va || !vb) return (int)va - (int)vb;
    const term_variable *x = term_var_info(C->ts, node_of(C, va)->u.var), *y = term_var_info(C->ts, node_of(C, vb)->u.var);
    int c = strcmp(x->name, y->name);
    if (c) return c;
    for (int d = 0; d < x->rank && d < y->rank; d++)
        if (x->index[d] != y->index[d]) return x->index[d] < y->index[d] ? -1 : 1;
    return 0;
}

/* A group with the same number of operands c in every member, none of them a reduction: c
 * fixed operands, ordered by the elements they read. */
static fexpr *lift_repeated(synth_ctx *C, group *g, int c) {
    int *order = xmalloc((size_t)c * sizeof *order);
    fexpr *result = NULL;
    family *parts = xcalloc((size_t)c, sizeof *parts);
    for (int j = 0; j < c; j++) family_init(&parts[j], g->f->sc);
    for (int k = 0; k < g->f->n; k++) {
        for (int j = 0; j < c; j++) order[j] = g->start[k] + j;
        for (int x = 1; x < c; x++)   /* insertion sort: groups are small */
            for (int y = x; y > 0 && compare_vars(C, g, order[y - 1], order[y]) > 0; y--) {
                int tmp = order[y];
                order[y] = order[y - 1];
                order[y - 1] = tmp;
            }
        for (int j = 0; j < c; j++) family_add(&parts[j], g->ops[order[j]], g->f->m[k].run, g->f->m[k].env);
    }
    bool ok = true;
    for (int j = 0; j < c && ok; j++) {
        fexpr *e = topdown_lift(C, &parts[j]);
        ok = e != NULL;
        result = ok ? combine(C, g->op, result, e) : NULL;
    }
    for (int j = 0; j < c; j++) family_free(&parts[j]);
    free(parts);
    free(order);
    return ok ? result : NULL;
}

static fexpr *lift_group(synth_ctx *C, group *g) {
    bool all_one = true, same_count = true;
    for (int k = 0; k < g->f->n; k++) {
        all_one = all_one && g->count[k] == 1;
        same_count = same_count && g->count[k] == g->count[0];
    }
    if (all_one) {
        family single;
        family_init(&single, g->f->sc);
        for (int k = 0; k < g->f->n; k++) family_add(&single, g->ops[g->start[k]], g->f->m[k].run, g->f->m[k].env);
        fexpr *e = topdown_lift(C, &single);
        family_free(&single);
        return e;
    }
    compute_private_vars(C, g);
    fexpr *e = try_reduction(C, g);
    if (e) {
        /* a reduction over the output's indices alone is a building block for bottom-up */
        bool outer_only = true;
        for (int i = g->f->sc->n_outer; i < g->f->sc->n; i++) outer_only = outer_only && !fx_uses(e, g->f->sc->names[i]);
        bool known = false;
        for (size_t i = 0; i < C->subformulas.len; i++) known = known || fexpr_equal(C->subformulas.items[i], e);
        if (outer_only && !known) vec_push(&C->subformulas, e);
        return e;
    }
    if (same_count) return lift_repeated(C, g, g->count[0]);
    return NULL;
}

/* The root of a term as a grouping key: operator, and the name of a variable. Coarser than the
 * signature: pairs eps with eps and a quotient with a quotient whatever lies below. */
static uint64_t root_key(synth_ctx *C, term_id t) {
    const term_node *n = node_of(C, t);
    int ref = n->op == T_CONST || n->op == T_VAR ? -1 : referable_output(C, t);
    if (ref >= 0) return hash_mix(7, (uint64_t)ref);
    if (n->op == T_VAR) return term_signature(C, t);
    return hash_mix(8, n->op);
}

/* Operands grouped by a key (the signature, or else the root); each group a fixed operand or a
 * reduction. */
static fexpr *lift_ac_keyed(synth_ctx *C, const family *f, term_op op, const operand_list *L, bool by_root) {
    VEC(uint64_t) keys = {0};
    uint64_t *op_key = xmalloc((L->t.len + 1) * sizeof *op_key);
    for (size_t i = 0; i < L->t.len; i++) {
        op_key[i] = by_root ? root_key(C, L->t.items[i]) : term_signature(C, L->t.items[i]);
        bool seen = false;
        for (size_t s = 0; s < keys.len && !seen; s++) seen = keys.items[s] == op_key[i];
        if (!seen) vec_push(&keys, op_key[i]);
    }
    bool ok = keys.len > 0 && keys.len <= 16;
    /* every member has every kind of operand */
    for (size_t s = 0; s < keys.len && ok; s++)
        for (int k = 0; k < f->n && ok; k++) {
            bool has = false;
            for (int j = L->start[k]; j < L->start[k] + L->count[k] && !has; j++) has = op_key[j] == keys.items[s];
            ok = has;
        }
    fexpr *result = NULL;
    for (size_t s = 0; s < keys.len && ok; s++) {
        group g = {f, op, xmalloc((L->t.len + 1) * sizeof(term_id)), xcalloc((size_t)f->n, sizeof(int)),
                   xcalloc((size_t)f->n, sizeof(int)), 0, NULL, NULL};
        for (int k = 0; k < f->n; k++) {
            g.start[k] = g.total;
            for (int j = L->start[k]; j < L->start[k] + L->count[k]; j++)
                if (op_key[j] == keys.items[s]) g.ops[g.total++] = L->t.items[j];
            g.count[k] = g.total - g.start[k];
        }
        fexpr *e = lift_group(C, &g);
        ok = e != NULL;
        result = ok ? combine(C, op, result, e) : NULL;
        group_free(&g);
    }
    vec_free(&keys);
    free(op_key);
    return ok ? result : NULL;
}

static fexpr *lift_ac(synth_ctx *C, const family *f, term_op op) {
    operand_list L = {{0}, xcalloc((size_t)f->n, sizeof(int)), xcalloc((size_t)f->n, sizeof(int))};
    for (int k = 0; k < f->n; k++) {
        L.start[k] = (int)L.t.len;
        flatten(C, op, f->m[k].run, f->m[k].t, &L);
        L.count[k] = (int)L.t.len - L.start[k];
    }
    fexpr *e = lift_ac_keyed(C, f, op, &L, false);
    if (!e && !synth_out_of_time(C)) e = lift_ac_keyed(C, f, op, &L, true);
    vec_free(&L.t);
    free(L.start);
    free(L.count);
    return e;
}

/* ---- root split and piecewise ---------------------------------------------------------------- */

static fexpr *compose(synth_ctx *C, term_op op, fexpr **a) {
    switch (op) {
    case T_SUB: return fx_binop(C, '-', a[0], a[1]);
    case T_DIV: return fx_binop(C, '/', a[0], a[1]);
    case T_FLOORDIV: return fx_binop(C, FOP_FLOORDIV, a[0], a[1]);
    case T_MOD: return fx_binop(C, '%', a[0], a[1]);
    case T_POW: return fx_call(C, "pow", 2, a);
    case T_NEG: return fx_neg(C, a[0]);
    case T_TO_REAL: return a[0];
    case T_LT: return fx_cmp(C, FC_LT, a[0], a[1]);
    case T_LE: return fx_cmp(C, FC_LE, a[0], a[1]);
    case T_EQ: return fx_cmp(C, FC_EQ, a[0], a[1]);
    case T_NE: return fx_cmp(C, FC_NE, a[0], a[1]);
    case T_AND: return fx_logic(C, FX_AND, a[0], a[1]);
    case T_OR: return fx_logic(C, FX_OR, a[0], a[1]);
    case T_NOT: return fx_logic(C, FX_NOT, a[0], NULL);
    case T_SELECT: return fx_where(C, a[0], a[1], a[2]);
    default: {
        const char *fn = grammar_function_of(op);
        return fn ? fx_call(C, fn, 1, a) : NULL;
    }
    }
}

static fexpr *lift_root_split(synth_ctx *C, const family *f) {
    const term_node *n0 = node_of(C, f->m[0].t);
    term_op op = (term_op)n0->op;
    if (op == T_CONST || op == T_VAR || is_ac(op) || op == T_TRUNCDIV || op == T_TRUNCMOD || op == T_TO_INT) return NULL;
    for (int k = 1; k < f->n; k++)
        if (node_of(C, f->m[k].t)->op != op) return NULL;
    /* the store orders the arguments of == != and or by id, which differs from run to run:
     * order them by signature instead */
    bool commutative = op == T_EQ || op == T_NE || op == T_AND || op == T_OR;
    fexpr *args[3] = {NULL, NULL, NULL};
    for (int i = 0; i < n0->n_args; i++) {
        family part;
        family_init(&part, f->sc);
        for (int k = 0; k < f->n; k++) {
            const term_node *n = node_of(C, f->m[k].t);
            int a = i;
            if (commutative) {   /* constants last, else by signature */
                bool c0 = node_of(C, n->args[0])->op == T_CONST, c1 = node_of(C, n->args[1])->op == T_CONST;
                bool swap = c0 != c1 ? c0 : term_signature(C, n->args[0]) > term_signature(C, n->args[1]);
                if (swap) a = 1 - i;
            }
            family_add(&part, n->args[a], f->m[k].run, f->m[k].env);
        }
        args[i] = topdown_lift(C, &part);
        family_free(&part);
        if (!args[i]) return NULL;
    }
    return compose(C, op, args);
}

/* Members in two classes by a key (signature, or else root): where(condition, a, b) when an index
 * condition separates them. */
static fexpr *lift_piecewise_keyed(synth_ctx *C, const family *f, bool by_root) {
    uint64_t s0 = by_root ? root_key(C, f->m[0].t) : term_signature(C, f->m[0].t), s1 = s0;
    bool *first = xmalloc((size_t)f->n * sizeof *first);
    bool ok = true;
    for (int k = 0; k < f->n && ok; k++) {
        uint64_t s = by_root ? root_key(C, f->m[k].t) : term_signature(C, f->m[k].t);
        if (s != s0 && s1 == s0) s1 = s;
        first[k] = s == s0;
        ok = s == s0 || s == s1;
    }
    fexpr *result = NULL;
    if (ok && s1 != s0) {
        fexpr *cond = index_infer_condition(C, f, first);
        /* the split must depend on the position, not only on the sizes (tile boundaries) */
        bool positional = false;
        for (int i = 0; cond && i < f->sc->n; i++) positional = positional || fx_uses(cond, f->sc->names[i]);
        if (cond && positional) {
            family a, b;
            family_init(&a, f->sc);
            family_init(&b, f->sc);
            for (int k = 0; k < f->n; k++) family_add(first[k] ? &a : &b, f->m[k].t, f->m[k].run, f->m[k].env);
            fexpr *ea = topdown_lift(C, &a);
            fexpr *eb = ea ? topdown_lift(C, &b) : NULL;
            if (ea && eb) result = fx_where(C, cond, ea, eb);
            family_free(&a);
            family_free(&b);
        }
    }
    free(first);
    return result;
}

static fexpr *lift_piecewise(synth_ctx *C, const family *f) {
    fexpr *e = lift_piecewise_keyed(C, f, false);
    return e ? e : lift_piecewise_keyed(C, f, true);
}

/* ---- the rules in order ------------------------------------------------------------------------ */

fexpr *topdown_lift(synth_ctx *C, const family *f) {
    if (f->n == 0 || synth_out_of_time(C)) return NULL;
    C->stats->candidates++;
    fexpr *e = lift_constant(C, f);
    if (!e) e = lift_variable(C, f);
    if (!e) e = lift_reference(C, f);
    if (!e) {
        term_op ac = T_CONST;
        for (int k = 0; k < f->n && ac == T_CONST; k++) {
            term_op op = (term_op)node_of(C, f->m[k].t)->op;
            if (is_ac(op)) ac = op;
        }
        if (ac != T_CONST) e = lift_ac(C, f, ac);
    }
    if (!e) e = lift_root_split(C, f);
    if (!e) e = lift_piecewise(C, f);
    if (e) {
        C->stats->topdown_pieces++;
        return e;
    }
    /* the pieces top-down cannot split: bottom-up, at the output's own scope */
    if (f->sc->n != f->sc->n_outer || synth_out_of_time(C)) return NULL;
    e = bottomup_find(C, f);
    if (e) C->stats->bottomup_pieces++;
    return e;
}
