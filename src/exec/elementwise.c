/* elementwise: broadcasting, type promotion and lane-wise operations on blocks, through the
 * value domain. Promotion follows Triton's classes: bool < int < float; pointer ± int is a
 * pointer; a Python number combined with a tensor takes the tensor's type; `//` and `%` use
 * Python semantics only when both operands are Python numbers, C semantics otherwise. */
#include "exec/interp.h"
#include <stdio.h>
#include <string.h>

block *as_block(interp *I, pyval *v, const ast_expr *site, const char *what) {
    if (v && v->kind == PV_BLOCK) return v->u.blk;
    interp_fail_at(I, DIAG_ERROR, site, "%s must be a tensor or number, got %s", what,
                   v ? pykind_name(v->kind) : "nothing");
    return NULL;
}

block *broadcast_to(interp *I, const ast_expr *site, block *b, int rank, const int64_t *shape) {
    if (b->rank == rank) {
        bool same = true;
        for (int i = 0; i < rank; i++) same = same && b->shape[i] == shape[i];
        if (same) return b;
    }
    int r;
    int64_t out_shape[MAX_RANK];
    if (rank > MAX_RANK || !shape_broadcast(b->rank, b->shape, rank, shape, &r, out_shape) || r != rank) {
        char s1[64], s2[64];
        shape_format(b->rank, b->shape, s1, sizeof s1);
        shape_format(rank, shape, s2, sizeof s2);
        interp_fail_at(I, DIAG_ERROR, site, "cannot broadcast shape %s to %s", s1, s2);
        return NULL;
    }
    for (int i = 0; i < rank; i++)
        if (out_shape[i] != shape[i]) {
            char s1[64], s2[64];
            shape_format(b->rank, b->shape, s1, sizeof s1);
            shape_format(rank, shape, s2, sizeof s2);
            interp_fail_at(I, DIAG_ERROR, site, "cannot broadcast shape %s to %s", s1, s2);
            return NULL;
        }
    block *out = block_new(I->arena, b->ty, rank, shape);
    out->py = b->py;
    for (int64_t k = 0; k < out->n; k++) out->data[k] = b->data[broadcast_index(b, rank, shape, k)];
    return out;
}

static int float_rank(elem_dtype d) {
    switch (d) {
    case DT_FLOAT64: return 3;
    case DT_FLOAT32: return 2;
    default: return 1;
    }
}

/* Common operand type of a binary arithmetic/comparison operation. */
static vtype promote(const block *a, const block *b) {
    if (a->ty.cls == VC_PTR) return a->ty;
    if (b->ty.cls == VC_PTR) return b->ty;
    if (a->py != b->py) {   /* a Python number adopts the tensor's type, except float meets int */
        const block *num = a->py ? a : b, *tensor = a->py ? b : a;
        if (num->ty.cls == VC_FLOAT && tensor->ty.cls != VC_FLOAT) return (vtype){VC_FLOAT, DT_FLOAT32};
        if (num->ty.cls == VC_INT && tensor->ty.cls == VC_BOOL) return (vtype){VC_INT, DT_INT32};
        return tensor->ty;
    }
    if (a->ty.cls == VC_FLOAT && b->ty.cls == VC_FLOAT)
        return float_rank(a->ty.dtype) >= float_rank(b->ty.dtype) ? a->ty : b->ty;
    if (a->ty.cls == VC_FLOAT) return a->ty;
    if (b->ty.cls == VC_FLOAT) return b->ty;
    if (a->ty.cls == VC_INT && b->ty.cls == VC_INT)
        return (a->ty.dtype == DT_INT64 || b->ty.dtype == DT_INT64) ? (vtype){VC_INT, DT_INT64} : a->ty;
    if (a->ty.cls == VC_INT) return a->ty;
    if (b->ty.cls == VC_INT) return b->ty;
    return a->ty;   /* both bool */
}

static bool convert_lane(interp *I, const ast_expr *site, vclass from, vclass to, elem in, elem *out) {
    if (from == to) { *out = in; return true; }
    if (!I->dom->ops->convert(I->dom, from, to, in, out)) {
        interp_fail_at(I, DIAG_UNSUPPORTED, site, "%s", I->dom->why);
        return false;
    }
    return true;
}

/* Broadcasts a and b to their common shape. */
static bool broadcast_pair(interp *I, const ast_expr *site, block **a, block **b) {
    int r;
    int64_t shape[MAX_RANK];
    if ((*a)->rank > MAX_RANK || (*b)->rank > MAX_RANK ||
        !shape_broadcast((*a)->rank, (*a)->shape, (*b)->rank, (*b)->shape, &r, shape) || r > MAX_RANK) {
        char s1[64], s2[64];
        shape_format((*a)->rank, (*a)->shape, s1, sizeof s1);
        shape_format((*b)->rank, (*b)->shape, s2, sizeof s2);
        interp_fail_at(I, DIAG_ERROR, site, "incompatible shapes %s and %s", s1, s2);
        return false;
    }
    *a = broadcast_to(I, site, *a, r, shape);
    *b = *a ? broadcast_to(I, site, *b, r, shape) : NULL;
    return *a && *b;
}

static pyval *pointer_arith(interp *I, const ast_expr *site, arith_op op, block *a, block *b) {
    if (b->ty.cls == VC_PTR && op == AR_ADD) { block *t = a; a = b; b = t; }
    if (a->ty.cls == VC_PTR && b->ty.cls == VC_PTR && op == AR_SUB) {
        block *out = block_new(I->arena, (vtype){VC_INT, DT_INT64}, a->rank, a->shape);
        for (int64_t k = 0; k < out->n; k++) out->data[k] = elem_int(a->data[k].u.i - b->data[k].u.i);
        return pv_block(I->arena, out);
    }
    if (a->ty.cls != VC_PTR || b->ty.cls == VC_PTR || b->ty.cls == VC_FLOAT || (op != AR_ADD && op != AR_SUB))
        return interp_fail_at(I, DIAG_ERROR, site, "invalid pointer arithmetic (%s)", arith_op_name(op));
    block *out = block_new(I->arena, a->ty, a->rank, a->shape);
    for (int64_t k = 0; k < out->n; k++) {
        int64_t off;
        if (!I->dom->ops->concrete_int(I->dom, b->ty.cls, b->data[k], &off))
            return interp_fail_at(I, DIAG_UNSUPPORTED, site, "pointer offset that depends on input data");
        elem e = a->data[k];
        e.u.i = op == AR_ADD ? e.u.i + off : e.u.i - off;
        out->data[k] = e;
    }
    return pv_block(I->arena, out);
}

pyval *op_arith(interp *I, const ast_expr *site, arith_op op, pyval *pa, pyval *pb) {
    block *a = as_block(I, pa, site, "left operand"), *b = a ? as_block(I, pb, site, "right operand") : NULL;
    if (!a || !b) return NULL;
    if (!interp_tick(I, site, 1)) return NULL;
    if (!broadcast_pair(I, site, &a, &b)) return NULL;
    if (a->ty.cls == VC_PTR || b->ty.cls == VC_PTR) return pointer_arith(I, site, op, a, b);
    bool py = a->py && b->py;
    vtype t = promote(a, b);
    bool bitwise = op == AR_BITAND || op == AR_BITOR || op == AR_BITXOR || op == AR_SHL || op == AR_SHR;
    if (t.cls == VC_BOOL && !(bitwise && op != AR_SHL && op != AR_SHR) && op != AR_MAX && op != AR_MIN)
        t = (vtype){VC_INT, DT_INT32};
    if (op == AR_TRUEDIV && t.cls != VC_FLOAT) t = (vtype){VC_FLOAT, DT_FLOAT32};
    if (bitwise && t.cls == VC_FLOAT)
        return interp_fail_at(I, DIAG_ERROR, site, "bitwise operator '%s' on floating-point values", arith_op_name(op));
    if (t.cls == VC_INT && !py) {   /* Triton integer tensors divide like C */
        if (op == AR_FLOORDIV) op = AR_TRUNCDIV;
        else if (op == AR_MOD) op = AR_TRUNCMOD;
    }
    block *out = block_new(I->arena, t, a->rank, a->shape);
    out->py = py;
    for (int64_t k = 0; k < out->n; k++) {
        elem x, y;
        if (!convert_lane(I, site, a->ty.cls, t.cls, a->data[k], &x)) return NULL;
        if (!convert_lane(I, site, b->ty.cls, t.cls, b->data[k], &y)) return NULL;
        if (!I->dom->ops->arith(I->dom, op, t.cls, x, y, &out->data[k])) {
            bool unsupported = x.sym || y.sym;
            return interp_fail_at(I, unsupported ? DIAG_UNSUPPORTED : DIAG_RUNTIME, site, "%s", I->dom->why);
        }
    }
    return pv_block(I->arena, out);
}

pyval *op_binary(interp *I, const ast_expr *site, int binop, pyval *a, pyval *b) {
    switch ((binop_kind)binop) {
    case OP_ADD: return op_arith(I, site, AR_ADD, a, b);
    case OP_SUB: return op_arith(I, site, AR_SUB, a, b);
    case OP_MUL: return op_arith(I, site, AR_MUL, a, b);
    case OP_TRUEDIV: return op_arith(I, site, AR_TRUEDIV, a, b);
    case OP_FLOORDIV: return op_arith(I, site, AR_FLOORDIV, a, b);
    case OP_MOD: return op_arith(I, site, AR_MOD, a, b);
    case OP_POW: return op_arith(I, site, AR_POW, a, b);
    case OP_LSHIFT: return op_arith(I, site, AR_SHL, a, b);
    case OP_RSHIFT: return op_arith(I, site, AR_SHR, a, b);
    case OP_BITAND: return op_arith(I, site, AR_BITAND, a, b);
    case OP_BITOR: return op_arith(I, site, AR_BITOR, a, b);
    case OP_BITXOR: return op_arith(I, site, AR_BITXOR, a, b);
    case OP_MATMUL: break;
    }
    return interp_fail_at(I, DIAG_UNSUPPORTED, site, "operator '%s'", binop_symbol((binop_kind)binop));
}

pyval *op_compare(interp *I, const ast_expr *site, cmp_kind op, pyval *pa, pyval *pb) {
    if (op == CMP_IS || op == CMP_IS_NOT) {
        bool same;
        if (pa->kind == PV_NONE || pb->kind == PV_NONE) same = pa->kind == pb->kind;
        else if (pa->kind == PV_DTYPE && pb->kind == PV_DTYPE)
            same = pa->u.dtype.cls == pb->u.dtype.cls && pa->u.dtype.dtype == pb->u.dtype.dtype;
        else same = pa == pb;
        return pv_bool(I->arena, op == CMP_IS ? same : !same, true);
    }
    if (pa->kind == PV_DTYPE || pb->kind == PV_DTYPE || pa->kind == PV_STR || pb->kind == PV_STR ||
        pa->kind == PV_NONE || pb->kind == PV_NONE) {
        bool eq;
        if (pa->kind != pb->kind) eq = false;
        else if (pa->kind == PV_DTYPE) eq = pa->u.dtype.cls == pb->u.dtype.cls && pa->u.dtype.dtype == pb->u.dtype.dtype;
        else if (pa->kind == PV_STR) eq = strcmp(pa->u.str, pb->u.str) == 0;
        else eq = true;
        if (op == CMP_EQ) return pv_bool(I->arena, eq, true);
        if (op == CMP_NE) return pv_bool(I->arena, !eq, true);
        return interp_fail_at(I, DIAG_ERROR, site, "ordering comparison of %s values", pykind_name(pa->kind));
    }
    if (op == CMP_IN || op == CMP_NOT_IN)
        return interp_fail_at(I, DIAG_UNSUPPORTED, site, "'in' operator");
    block *a = as_block(I, pa, site, "left operand"), *b = a ? as_block(I, pb, site, "right operand") : NULL;
    if (!a || !b) return NULL;
    if (!interp_tick(I, site, 1)) return NULL;
    if (!broadcast_pair(I, site, &a, &b)) return NULL;
    vtype t = promote(a, b);
    if ((a->ty.cls == VC_PTR) != (b->ty.cls == VC_PTR))
        return interp_fail_at(I, DIAG_ERROR, site, "comparison of a pointer with a number");
    block *out = block_new(I->arena, (vtype){VC_BOOL, DT_BOOL}, a->rank, a->shape);
    out->py = a->py && b->py;
    for (int64_t k = 0; k < out->n; k++) {
        elem x, y;
        if (!convert_lane(I, site, a->ty.cls, t.cls, a->data[k], &x)) return NULL;
        if (!convert_lane(I, site, b->ty.cls, t.cls, b->data[k], &y)) return NULL;
        if (!I->dom->ops->compare(I->dom, op, t.cls, x, y, &out->data[k]))
            return interp_fail_at(I, DIAG_UNSUPPORTED, site, "%s", I->dom->why);
    }
    return pv_block(I->arena, out);
}

pyval *op_math(interp *I, const ast_expr *site, math_fn fn, pyval *px) {
    block *x = as_block(I, px, site, math_fn_name(fn));
    if (!x) return NULL;
    if (!interp_tick(I, site, 1)) return NULL;
    if (x->ty.cls == VC_PTR) return interp_fail_at(I, DIAG_ERROR, site, "%s of a pointer", math_fn_name(fn));
    vtype t = x->ty;
    bool transcendental = fn != MF_NEG && fn != MF_ABS && fn != MF_NOT && fn != MF_INVERT;
    if (transcendental && t.cls != VC_FLOAT) t = (vtype){VC_FLOAT, DT_FLOAT32};
    if (fn == MF_NOT) t = (vtype){VC_BOOL, DT_BOOL};
    if (fn == MF_NEG && t.cls == VC_BOOL) t = (vtype){VC_INT, DT_INT32};
    block *out = block_new(I->arena, t, x->rank, x->shape);
    out->py = x->py;
    for (int64_t k = 0; k < out->n; k++) {
        elem v;
        vclass in_cls = fn == MF_NOT ? x->ty.cls : t.cls;
        if (!convert_lane(I, site, x->ty.cls, in_cls, x->data[k], &v)) return NULL;
        if (!I->dom->ops->math(I->dom, fn, in_cls, v, &out->data[k]))
            return interp_fail_at(I, DIAG_UNSUPPORTED, site, "%s", I->dom->why);
    }
    return pv_block(I->arena, out);
}

pyval *op_where(interp *I, const ast_expr *site, pyval *pc, pyval *pa, pyval *pb) {
    block *c = as_block(I, pc, site, "where condition");
    block *a = c ? as_block(I, pa, site, "where operand") : NULL;
    block *b = a ? as_block(I, pb, site, "where operand") : NULL;
    if (!b) return NULL;
    if (!interp_tick(I, site, 1)) return NULL;
    int r, r2;
    int64_t s1[MAX_RANK], s2[MAX_RANK];
    if (!shape_broadcast(c->rank, c->shape, a->rank, a->shape, &r, s1) || r > MAX_RANK ||
        !shape_broadcast(r, s1, b->rank, b->shape, &r2, s2) || r2 > MAX_RANK)
        return interp_fail_at(I, DIAG_ERROR, site, "incompatible shapes in where");
    c = broadcast_to(I, site, c, r2, s2);
    a = c ? broadcast_to(I, site, a, r2, s2) : NULL;
    b = a ? broadcast_to(I, site, b, r2, s2) : NULL;
    if (!b) return NULL;
    vtype t = promote(a, b);
    if ((a->ty.cls == VC_PTR) != (b->ty.cls == VC_PTR))
        return interp_fail_at(I, DIAG_ERROR, site, "where mixes pointers and numbers");
    block *out = block_new(I->arena, t, r2, s2);
    out->py = c->py && a->py && b->py;
    for (int64_t k = 0; k < out->n; k++) {
        elem cv, x, y;
        if (!convert_lane(I, site, c->ty.cls, VC_BOOL, c->data[k], &cv)) return NULL;
        if (!convert_lane(I, site, a->ty.cls, t.cls, a->data[k], &x)) return NULL;
        if (!convert_lane(I, site, b->ty.cls, t.cls, b->data[k], &y)) return NULL;
        if (!I->dom->ops->select(I->dom, t.cls, cv, x, y, &out->data[k]))
            return interp_fail_at(I, DIAG_UNSUPPORTED, site, "%s", I->dom->why);
    }
    return pv_block(I->arena, out);
}

pyval *op_convert(interp *I, const ast_expr *site, pyval *px, vtype to) {
    block *x = as_block(I, px, site, "cast operand");
    if (!x) return NULL;
    if (x->ty.cls == VC_PTR || to.cls == VC_PTR) {
        if (x->ty.cls == VC_PTR && to.cls == VC_PTR && x->ty.dtype == to.dtype) return px;
        return interp_fail_at(I, DIAG_UNSUPPORTED, site, "pointer cast");
    }
    block *out = block_new(I->arena, to, x->rank, x->shape);
    for (int64_t k = 0; k < out->n; k++)
        if (!convert_lane(I, site, x->ty.cls, to.cls, x->data[k], &out->data[k])) return NULL;
    return pv_block(I->arena, out);
}

pyval *op_logical(interp *I, const ast_expr *site, bool is_or, pyval *pa, pyval *pb) {
    pyval *a = op_convert(I, site, pa, (vtype){VC_BOOL, DT_BOOL});
    pyval *b = a ? op_convert(I, site, pb, (vtype){VC_BOOL, DT_BOOL}) : NULL;
    if (!b) return NULL;
    return op_arith(I, site, is_or ? AR_BITOR : AR_BITAND, a, b);
}

bool pv_to_int(interp *I, const ast_expr *site, pyval *v, int64_t *out, const char *what) {
    if (!v || v->kind != PV_BLOCK || v->u.blk->n != 1 || v->u.blk->ty.cls == VC_PTR) {
        interp_fail_at(I, DIAG_ERROR, site, "%s must be an integer scalar", what);
        return false;
    }
    block *b = v->u.blk;
    if (b->ty.cls == VC_FLOAT && !b->data[0].sym && b->data[0].u.f != (double)(int64_t)b->data[0].u.f) {
        interp_fail_at(I, DIAG_ERROR, site, "%s must be an integer, got %g", what, b->data[0].u.f);
        return false;
    }
    if (!I->dom->ops->concrete_int(I->dom, b->ty.cls, b->data[0], out)) {
        interp_fail_at(I, DIAG_UNSUPPORTED, site, "%s that depends on input data", what);
        return false;
    }
    return true;
}

bool pv_truth(interp *I, const ast_expr *site, pyval *v, bool *out) {
    switch (v->kind) {
    case PV_NONE: *out = false; return true;
    case PV_TUPLE: *out = v->u.tuple.n > 0; return true;
    case PV_STR: *out = v->u.str[0] != 0; return true;
    case PV_BLOCK: break;
    default: *out = true; return true;
    }
    block *b = v->u.blk;
    if (b->n != 1) {
        interp_fail_at(I, DIAG_ERROR, site, "the truth value of a block with %lld lanes is ambiguous", (long long)b->n);
        return false;
    }
    elem e;
    if (b->ty.cls == VC_FLOAT && !b->data[0].sym) { *out = b->data[0].u.f != 0; return true; }
    if (b->ty.cls == VC_PTR) { *out = true; return true; }
    e = b->data[0];
    int64_t iv;
    if (!I->dom->ops->concrete_int(I->dom, b->ty.cls, e, &iv)) {
        interp_fail_at(I, DIAG_UNSUPPORTED, site, "branch on a condition that depends on input data");
        return false;
    }
    *out = iv != 0;
    return true;
}

int pv_int_list(interp *I, const ast_expr *site, pyval *v, int64_t *out, int max, const char *what) {
    if (v->kind == PV_TUPLE) {
        if (v->u.tuple.n > max) {
            interp_fail_at(I, DIAG_ERROR, site, "%s has more than %d entries", what, max);
            return -1;
        }
        for (int i = 0; i < v->u.tuple.n; i++)
            if (!pv_to_int(I, site, v->u.tuple.items[i], &out[i], what)) return -1;
        return v->u.tuple.n;
    }
    if (max < 1 || !pv_to_int(I, site, v, &out[0], what)) return -1;
    return 1;
}
