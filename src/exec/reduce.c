/* reduce: reductions (tl.sum/max/min with indices, argmax/argmin, tl.reduce with a jitted
 * combine function, including tuple-valued combiners such as Welford's), scans (tl.cumsum,
 * tl.cumprod) and tl.dot. Reductions fold sequentially along the axis; in the semantics model
 * (reals) the association order of an associative combiner does not change the value. */
#include "exec/interp.h"
#include <string.h>

static bool is_none(const pyval *v) { return !v || v->kind == PV_NONE; }

/* Geometry of a reduction of `b` over `axis` (-1: all lanes). */
typedef struct red_geom {
    int64_t outer, len, inner;
    int out_rank;
    int64_t out_shape[MAX_RANK];
} red_geom;

static bool reduction_geometry(interp *I, const ast_expr *site, block *b, pyval *axis_v, pyval *keep_v, red_geom *g) {
    bool keep = false;
    if (!is_none(keep_v) && !pv_truth(I, site, keep_v, &keep)) return false;
    int64_t axis = -1;
    if (!is_none(axis_v)) {
        if (!pv_to_int(I, site, axis_v, &axis, "axis")) return false;
        if (axis < 0) axis += b->rank;
        if (axis < 0 || axis >= b->rank) {
            interp_fail_at(I, DIAG_ERROR, site, "axis %lld out of range for a block of rank %d", (long long)axis, b->rank);
            return false;
        }
    }
    if (axis < 0) {
        g->outer = 1; g->len = b->n; g->inner = 1;
        g->out_rank = keep ? b->rank : 0;
        for (int i = 0; i < g->out_rank; i++) g->out_shape[i] = 1;
        return true;
    }
    g->outer = 1; g->inner = 1; g->len = b->shape[axis];
    for (int i = 0; i < axis; i++) g->outer *= b->shape[i];
    for (int i = (int)axis + 1; i < b->rank; i++) g->inner *= b->shape[i];
    g->out_rank = 0;
    for (int i = 0; i < b->rank; i++) {
        if (i == axis && !keep) continue;
        g->out_shape[g->out_rank++] = i == axis ? 1 : b->shape[i];
    }
    return true;
}

static inline int64_t lane_at(const red_geom *g, int64_t o, int64_t j, int64_t i) {
    return (o * g->len + j) * g->inner + i;
}

static bool dom_arith(interp *I, const ast_expr *site, arith_op op, vclass cls, elem a, elem b, elem *out) {
    if (!I->dom->ops->arith(I->dom, op, cls, a, b, out)) {
        interp_fail_at(I, (a.sym || b.sym) ? DIAG_UNSUPPORTED : DIAG_RUNTIME, site, "%s", I->dom->why);
        return false;
    }
    return true;
}

static block *promoted_input(interp *I, const ast_expr *site, pyval *v, int kind) {
    block *b = as_block(I, v, site, "reduction input");
    if (!b) return NULL;
    if (b->ty.cls == VC_PTR) { interp_fail_at(I, DIAG_ERROR, site, "reduction over pointers"); return NULL; }
    if (b->ty.cls == VC_BOOL && (kind == RK_SUM || kind == RK_PROD)) {
        pyval *c = op_convert(I, site, v, (vtype){VC_INT, DT_INT32});
        return c ? c->u.blk : NULL;
    }
    return b;
}

/* Folds lanes of one output position; for max/min optionally tracks the winning index. */
static bool fold_lanes(interp *I, const ast_expr *site, block *b, const red_geom *g, int64_t o, int64_t i,
                       int kind, bool tie_left, elem *value, elem *index) {
    vclass cls = b->ty.cls;
    elem acc = b->data[lane_at(g, o, 0, i)];
    elem idx = elem_int(0);
    for (int64_t j = 1; j < g->len; j++) {
        elem x = b->data[lane_at(g, o, j, i)];
        switch (kind) {
        case RK_SUM: if (!dom_arith(I, site, AR_ADD, cls, acc, x, &acc)) return false; break;
        case RK_PROD: if (!dom_arith(I, site, AR_MUL, cls, acc, x, &acc)) return false; break;
        case RK_XOR_SUM: if (!dom_arith(I, site, AR_BITXOR, cls, acc, x, &acc)) return false; break;
        case RK_MAX: case RK_MIN: {
            if (index) {
                /* The new lane wins when strictly better (ties keep the leftmost) — or, for
                 * tie-break-right, when at least as good. */
                cmp_kind c = kind == RK_MAX ? (tie_left ? CMP_GT : CMP_GE) : (tie_left ? CMP_LT : CMP_LE);
                elem take;
                if (!I->dom->ops->compare(I->dom, c, cls, x, acc, &take) ||
                    !I->dom->ops->select(I->dom, VC_INT, take, elem_int(j), idx, &idx)) {
                    interp_fail_at(I, DIAG_UNSUPPORTED, site, "%s", I->dom->why);
                    return false;
                }
            }
            if (!dom_arith(I, site, kind == RK_MAX ? AR_MAX : AR_MIN, cls, acc, x, &acc)) return false;
            break;
        }
        }
    }
    *value = acc;
    if (index) *index = idx;
    return true;
}

static pyval *reduce_common(interp *I, const ast_expr *site, pyval *input, pyval *axis, pyval *keep, int kind,
                            bool want_values, bool want_indices, bool tie_left) {
    block *b = promoted_input(I, site, input, kind);
    red_geom g;
    if (!b || !reduction_geometry(I, site, b, axis, keep, &g)) return NULL;
    if (g.len == 0) return interp_fail_at(I, DIAG_ERROR, site, "reduction over an empty axis");
    if (!interp_tick(I, site, 1)) return NULL;
    block *vals = block_new(I->arena, b->ty, g.out_rank, g.out_shape);
    block *idxs = want_indices ? block_new(I->arena, (vtype){VC_INT, DT_INT32}, g.out_rank, g.out_shape) : NULL;
    for (int64_t o = 0; o < g.outer; o++)
        for (int64_t i = 0; i < g.inner; i++)
            if (!fold_lanes(I, site, b, &g, o, i, kind, tie_left, &vals->data[o * g.inner + i],
                            idxs ? &idxs->data[o * g.inner + i] : NULL))
                return NULL;
    if (want_values && want_indices)
        return pv_tuple(I->arena, 2, (pyval *[]){pv_block(I->arena, vals), pv_block(I->arena, idxs)});
    return pv_block(I->arena, want_indices ? idxs : vals);
}

pyval *bi_reduce_builtin(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[5];
    if (!builtin_bind(I, def, args, a, 5)) return NULL;
    if (def->code == RK_SUM) {   /* sum(input, axis, keep_dims, dtype) */
        pyval *in = a[0];
        if (!is_none(a[3])) {
            if (a[3]->kind != PV_DTYPE) return interp_fail_at(I, DIAG_ERROR, args->site, "dtype must be a dtype");
            in = op_convert(I, args->site, in, a[3]->u.dtype);
            if (!in) return NULL;
        }
        return reduce_common(I, args->site, in, a[1], a[2], RK_SUM, true, false, true);
    }
    bool with_indices = false, tie_left = true;
    if (!is_none(a[2]) && !pv_truth(I, args->site, a[2], &with_indices)) return NULL;
    if (!is_none(a[3]) && !pv_truth(I, args->site, a[3], &tie_left)) return NULL;
    return reduce_common(I, args->site, a[0], a[1], a[4], def->code, true, with_indices, tie_left);
}

pyval *bi_argreduce(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[4];
    if (!builtin_bind(I, def, args, a, 4)) return NULL;
    bool tie_left = true;
    if (!is_none(a[2]) && !pv_truth(I, args->site, a[2], &tie_left)) return NULL;
    return reduce_common(I, args->site, a[0], a[1], a[3], def->code, false, true, tie_left);
}

/* tl.reduce(input, axis, combine_fn): input is a block or a tuple of same-shaped blocks;
 * combine_fn takes 2k scalars and returns k (a tuple when k > 1). */
pyval *bi_reduce_combine(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[4];
    if (!builtin_bind(I, def, args, a, 4)) return NULL;
    const ast_expr *site = args->site;
    if (a[2]->kind != PV_FUNC) return interp_fail_at(I, DIAG_ERROR, site, "combine_fn must be a @triton.jit function");
    int k = a[0]->kind == PV_TUPLE ? a[0]->u.tuple.n : 1;
    if (k < 1 || k > 8) return interp_fail_at(I, DIAG_UNSUPPORTED, site, "reduce over %d tensors", k);
    block *in[8];
    for (int c = 0; c < k; c++) {
        in[c] = as_block(I, a[0]->kind == PV_TUPLE ? a[0]->u.tuple.items[c] : a[0], site, "reduce input");
        if (!in[c]) return NULL;
        if (in[c]->n != in[0]->n || in[c]->rank != in[0]->rank)
            return interp_fail_at(I, DIAG_ERROR, site, "reduce inputs must have one shape");
    }
    red_geom g;
    if (!reduction_geometry(I, site, in[0], a[1], a[3], &g)) return NULL;
    block *out[8] = {0};
    pyval **cargs = arena_alloc(I->arena, (size_t)(2 * k) * sizeof(pyval *));
    const ast_func *fn = a[2]->u.func.fn;
    const ast_module *mod = a[2]->u.func.mod;
    for (int64_t o = 0; o < g.outer; o++)
        for (int64_t i = 0; i < g.inner; i++) {
            pyval *acc[8];
            for (int c = 0; c < k; c++)
                acc[c] = pv_block(I->arena, block_scalar(I->arena, in[c]->ty, in[c]->data[lane_at(&g, o, 0, i)]));
            for (int64_t j = 1; j < g.len; j++) {
                for (int c = 0; c < k; c++) {
                    cargs[c] = acc[c];
                    cargs[k + c] = pv_block(I->arena, block_scalar(I->arena, in[c]->ty, in[c]->data[lane_at(&g, o, j, i)]));
                }
                call_args ca = {2 * k, cargs, 0, NULL, NULL, site};
                const char *file = I->file;
                pyval *r = interp_call_function(I, mod, fn, &ca);
                I->file = file;
                if (!r) return NULL;
                int rk = r->kind == PV_TUPLE ? r->u.tuple.n : 1;
                if (rk != k) return interp_fail_at(I, DIAG_ERROR, site, "combine_fn returned %d values for %d inputs", rk, k);
                for (int c = 0; c < k; c++) {
                    acc[c] = r->kind == PV_TUPLE ? r->u.tuple.items[c] : r;
                    block *ab = as_block(I, acc[c], site, "combine_fn result");
                    if (!ab) return NULL;
                    if (ab->n != 1) return interp_fail_at(I, DIAG_ERROR, site, "combine_fn must return scalars");
                }
            }
            for (int c = 0; c < k; c++) {
                block *ab = acc[c]->u.blk;
                if (!out[c]) out[c] = block_new(I->arena, ab->ty, g.out_rank, g.out_shape);
                elem e = ab->data[0];
                if (ab->ty.cls != out[c]->ty.cls) {
                    pyval *cv = op_convert(I, site, acc[c], out[c]->ty);
                    if (!cv) return NULL;
                    e = cv->u.blk->data[0];
                }
                out[c]->data[o * g.inner + i] = e;
            }
        }
    if (k == 1) return pv_block(I->arena, out[0]);
    pyval *items[8];
    for (int c = 0; c < k; c++) items[c] = pv_block(I->arena, out[c]);
    return pv_tuple(I->arena, k, items);
}

pyval *bi_scan(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[3];
    if (!builtin_bind(I, def, args, a, 3)) return NULL;
    const ast_expr *site = args->site;
    block *b = promoted_input(I, site, a[0], def->code == SK_CUMSUM ? RK_SUM : RK_PROD);
    if (!b) return NULL;
    bool reverse = false;
    if (!is_none(a[2]) && !pv_truth(I, site, a[2], &reverse)) return NULL;
    pyval *axis = is_none(a[1]) ? pv_int(I->arena, 0, true) : a[1];
    red_geom g;
    if (!reduction_geometry(I, site, b, axis, NULL, &g)) return NULL;
    if (!interp_tick(I, site, 1)) return NULL;
    block *out = block_new(I->arena, b->ty, b->rank, b->shape);
    arith_op op = def->code == SK_CUMSUM ? AR_ADD : AR_MUL;
    for (int64_t o = 0; o < g.outer; o++)
        for (int64_t i = 0; i < g.inner; i++) {
            elem acc = {0};
            for (int64_t s = 0; s < g.len; s++) {
                int64_t j = reverse ? g.len - 1 - s : s;
                elem x = b->data[lane_at(&g, o, j, i)];
                if (s == 0) acc = x;
                else if (!dom_arith(I, site, op, b->ty.cls, acc, x, &acc)) return NULL;
                out->data[lane_at(&g, o, j, i)] = acc;
            }
        }
    return pv_block(I->arena, out);
}

pyval *bi_dot(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[7];
    if (!builtin_bind(I, def, args, a, 7)) return NULL;
    const ast_expr *site = args->site;
    block *x = as_block(I, a[0], site, "dot input"), *y = x ? as_block(I, a[1], site, "dot input") : NULL;
    if (!y) return NULL;
    if (x->rank != y->rank || (x->rank != 2 && x->rank != 3))
        return interp_fail_at(I, DIAG_ERROR, site, "dot needs two blocks of rank 2 (or 3, batched)");
    int r = x->rank;
    int64_t batch = r == 3 ? x->shape[0] : 1;
    int64_t m = x->shape[r - 2], kk = x->shape[r - 1], n = y->shape[r - 1];
    if (y->shape[r - 2] != kk || (r == 3 && y->shape[0] != batch))
        return interp_fail_at(I, DIAG_ERROR, site, "dot: inner dimensions %lld and %lld differ", (long long)kk, (long long)y->shape[r - 2]);
    if (kk < 1) return interp_fail_at(I, DIAG_ERROR, site, "dot over an empty dimension");
    vtype t = (x->ty.cls == VC_FLOAT || y->ty.cls == VC_FLOAT) ? (vtype){VC_FLOAT, DT_FLOAT32} : (vtype){VC_INT, DT_INT32};
    pyval *xv = op_convert(I, site, a[0], t), *yv = xv ? op_convert(I, site, a[1], t) : NULL;
    if (!yv) return NULL;
    x = xv->u.blk;
    y = yv->u.blk;
    int64_t shape[3] = {batch, m, n};
    block *out = block_new(I->arena, t, r, r == 3 ? shape : shape + 1);
    block *acc = NULL;
    if (!is_none(a[2])) {
        pyval *av = op_convert(I, site, a[2], t);
        acc = av ? broadcast_to(I, site, av->u.blk, out->rank, out->shape) : NULL;
        if (!acc) return NULL;
    }
    if (!interp_tick(I, site, (uint64_t)(batch * m * n))) return NULL;
    for (int64_t bb = 0; bb < batch; bb++)
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < n; j++) {
                elem sum = {0};
                for (int64_t k = 0; k < kk; k++) {
                    elem p;
                    if (!dom_arith(I, site, AR_MUL, t.cls, x->data[(bb * m + i) * kk + k], y->data[(bb * kk + k) * n + j], &p))
                        return NULL;
                    if (k == 0) sum = p;
                    else if (!dom_arith(I, site, AR_ADD, t.cls, sum, p, &sum)) return NULL;
                }
                int64_t o = (bb * m + i) * n + j;
                if (acc && !dom_arith(I, site, AR_ADD, t.cls, acc->data[o], sum, &sum)) return NULL;
                out->data[o] = sum;
            }
    return pv_block(I->arena, out);
}
