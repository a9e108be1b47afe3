/* vc_block: blocks as terms over lane variables, and the elementwise operations on them with
 * Triton's promotion rules (the same as the interpreter's, exec/elementwise.c): bool < int <
 * float; a Python number adopts the tensor's type (float meets int: float32); `//` and `%` are
 * Python's (floor) when both operands are Python numbers and C's (truncating) on integer
 * tensors; true division and transcendental functions produce floats. */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

vt_sort vx_sort_of_class(vclass c) {
    switch (c) {
    case VC_BOOL: return VS_BOOL;
    case VC_FLOAT: return VS_REAL;
    default: return VS_INT;
    }
}

vt_sort vx_sort_of_dtype(elem_dtype d) {
    if (d == DT_BOOL) return VS_BOOL;
    return elem_dtype_is_float(d) ? VS_REAL : VS_INT;
}

vt_id vx_lane(vctx *X, int d) {
    char name[16];
    snprintf(name, sizeof name, "$L%d", d);
    return vt_var(X->s, name, VS_INT);
}

sv *sv_none(vctx *X) {
    sv *v = arena_alloc(X->a, sizeof *v);
    v->kind = SV_NONE;
    return v;
}

sv *sv_block(vctx *X, sblock *b) {
    sv *v = arena_alloc(X->a, sizeof *v);
    v->kind = SV_BLOCK;
    v->u.b = b;
    return v;
}

sblock *blk_new(vctx *X, vclass cls, elem_dtype dt, int rank, const vt_id *shape, vt_id body) {
    sblock *b = arena_alloc(X->a, sizeof *b);
    b->cls = cls;
    b->dtype = dt;
    b->buf = -1;
    b->rank = rank;
    for (int i = 0; i < rank; i++) b->shape[i] = shape[i];
    b->body = body;
    return b;
}

sv *sv_scalar(vctx *X, vclass cls, elem_dtype dt, bool py, vt_id t) {
    sblock *b = blk_new(X, cls, dt, 0, NULL, t);
    b->py = py;
    return sv_block(X, b);
}

vt_id blk_shift_lanes(vctx *X, vt_id body, int from, int by) {
    if (by == 0) return body;
    vt_id vars[VMAX_RANK + 4], vals[VMAX_RANK + 4];
    int n = 0;
    for (int d = from; d < VMAX_RANK; d++) {
        if (d + by < 0 || d + by >= VMAX_RANK + 4) continue;
        vars[n] = vx_lane(X, d);
        vals[n] = vx_lane(X, d + by);
        n++;
    }
    return vt_subst_many(X->s, body, n, vars, vals);
}

bool shape_dim_equal(vctx *X, vt_id a, vt_id b) {
    if (a == b) return true;
    nf_ctx c;
    nf_init(&c, X->s);
    bool eq = nf_term(&c, a) == nf_term(&c, b);
    nf_free(&c);
    return eq;
}

static bool is_one(vctx *X, vt_id d) {
    int64_t v;
    return vt_is_const(X->s, d, &v) && v == 1;
}

bool blk_common_shape(vctx *X, int ra, const vt_id *sa, int rb, const vt_id *sb, int *r, vt_id *out, int line) {
    int rank = ra > rb ? ra : rb;
    if (rank > VMAX_RANK) { vx_unsupported(X, X->cur_file, line, "blocks of rank above %d", VMAX_RANK); return false; }
    for (int i = 0; i < rank; i++) {
        int ia = i - (rank - ra), ib = i - (rank - rb);
        vt_id da = ia >= 0 ? sa[ia] : vt_int(X->s, 1), db = ib >= 0 ? sb[ib] : vt_int(X->s, 1);
        if (shape_dim_equal(X, da, db)) out[i] = da;
        else if (is_one(X, da)) out[i] = db;
        else if (is_one(X, db)) out[i] = da;
        else {
            vx_unsupported(X, X->cur_file, line, "broadcasting block dimensions %s and %s (not provably equal)",
                           vt_str(X->s, da), vt_str(X->s, db));
            return false;
        }
    }
    *r = rank;
    return true;
}

sblock *blk_broadcast(vctx *X, sblock *b, int rank, const vt_id *shape, int line) {
    if (b->rank == rank) {
        bool same = true;
        for (int i = 0; i < rank; i++) same = same && shape_dim_equal(X, b->shape[i], shape[i]);
        if (same) return b;
    }
    if (rank < b->rank) { vx_unsupported(X, X->cur_file, line, "broadcasting a block to a lower rank"); return NULL; }
    int pad = rank - b->rank;
    for (int i = 0; i < b->rank; i++)
        if (!shape_dim_equal(X, b->shape[i], shape[i + pad]) && !is_one(X, b->shape[i])) {
            vx_unsupported(X, X->cur_file, line, "cannot broadcast dimension %s to %s", vt_str(X->s, b->shape[i]), vt_str(X->s, shape[i + pad]));
            return NULL;
        }
    sblock *o = arena_alloc(X->a, sizeof *o);
    *o = *b;
    o->rank = rank;
    for (int i = 0; i < rank; i++) o->shape[i] = shape[i];
    o->body = blk_shift_lanes(X, b->body, 0, pad);
    return o;
}

sblock *sv_as_block(vctx *X, sv *v, int line, const char *what) {
    if (v && v->kind == SV_BLOCK) return v->u.b;
    if (v && v->kind == SV_NONE) { vx_unsupported(X, X->cur_file, line, "%s is None", what); return NULL; }
    vx_unsupported(X, X->cur_file, line, "%s must be a tensor or a number", what);
    return NULL;
}

static int float_rank(elem_dtype d) { return d == DT_FLOAT64 ? 3 : d == DT_FLOAT32 ? 2 : 1; }

typedef struct vtype2 { vclass cls; elem_dtype dt; } vtype2;

static vtype2 promote(const sblock *a, const sblock *b) {
    if (a->cls == VC_PTR) return (vtype2){a->cls, a->dtype};
    if (b->cls == VC_PTR) return (vtype2){b->cls, b->dtype};
    if (a->py != b->py) {
        const sblock *num = a->py ? a : b, *tensor = a->py ? b : a;
        if (num->cls == VC_FLOAT && tensor->cls != VC_FLOAT) return (vtype2){VC_FLOAT, DT_FLOAT32};
        if (num->cls == VC_INT && tensor->cls == VC_BOOL) return (vtype2){VC_INT, DT_INT32};
        return (vtype2){tensor->cls, tensor->dtype};
    }
    if (a->cls == VC_FLOAT && b->cls == VC_FLOAT)
        return float_rank(a->dtype) >= float_rank(b->dtype) ? (vtype2){a->cls, a->dtype} : (vtype2){b->cls, b->dtype};
    if (a->cls == VC_FLOAT) return (vtype2){a->cls, a->dtype};
    if (b->cls == VC_FLOAT) return (vtype2){b->cls, b->dtype};
    if (a->cls == VC_INT && b->cls == VC_INT)
        return (a->dtype == DT_INT64 || b->dtype == DT_INT64) ? (vtype2){VC_INT, DT_INT64} : (vtype2){a->cls, a->dtype};
    if (a->cls == VC_INT) return (vtype2){a->cls, a->dtype};
    if (b->cls == VC_INT) return (vtype2){b->cls, b->dtype};
    return (vtype2){a->cls, a->dtype};
}

static vt_id conv(vctx *X, vt_id t, vclass from, vclass to) {
    if (from == to || (from == VC_PTR && to == VC_INT) || (from == VC_INT && to == VC_PTR)) return t;
    return vt_convert(X->s, t, vx_sort_of_class(to));
}

/* Broadcasts a and b to their common shape. */
static bool pair(vctx *X, int line, sblock **a, sblock **b) {
    int r;
    vt_id shape[VMAX_RANK];
    if (!blk_common_shape(X, (*a)->rank, (*a)->shape, (*b)->rank, (*b)->shape, &r, shape, line)) return false;
    *a = blk_broadcast(X, *a, r, shape, line);
    *b = *a ? blk_broadcast(X, *b, r, shape, line) : NULL;
    return *a && *b;
}

vt_id vx_abs(vctx *X, vt_id t) {
    vt_store *s = X->s;
    vt_id zero = vt_sort_of(s, t) == VS_REAL ? vt_real_int(s, 0) : vt_int(s, 0);
    return vt_ite(s, vt_lt(s, t, zero), vt_neg(s, t), t);
}

vt_id vx_math(vctx *X, math_fn fn, vt_id t) {
    vt_store *s = X->s;
    static const char *names[] = {"neg", "abs", "exp", "exp2", "log", "log2", "sqrt", "rsqrt", "sigmoid", "erf",
                                  "tanh", "sin", "cos", "not", "invert"};
    if (fn == MF_NEG) return vt_neg(s, t);
    if (fn == MF_ABS) return vx_abs(X, t);
    return vt_app1(s, names[fn], VS_REAL, vt_convert(s, t, VS_REAL));
}

static vt_id int_pow(vctx *X, vt_id x, vt_id y, int line, bool *ok) {
    int64_t k;
    *ok = vt_is_const(X->s, y, &k) && k >= 0 && k <= 16;
    if (!*ok) { vx_unsupported(X, X->cur_file, line, "integer power with a non-constant exponent"); return VT_NONE; }
    vt_id r = vt_int(X->s, 1);
    for (int64_t i = 0; i < k; i++) r = vt_mul(X->s, r, x);
    return r;
}

sv *op_arith_sv(vctx *X, int line, arith_op op, sv *pa, sv *pb) {
    vt_store *s = X->s;
    sblock *a = sv_as_block(X, pa, line, "left operand"), *b = a ? sv_as_block(X, pb, line, "right operand") : NULL;
    if (!a || !b || !pair(X, line, &a, &b)) return NULL;
    if (a->cls == VC_PTR || b->cls == VC_PTR) {
        if (b->cls == VC_PTR && op == AR_ADD) { sblock *t = a; a = b; b = t; }
        if (a->cls == VC_PTR && b->cls == VC_PTR && op == AR_SUB) {
            if (a->buf != b->buf) { vx_unsupported(X, X->cur_file, line, "difference of pointers into different tensors"); return NULL; }
            return sv_block(X, blk_new(X, VC_INT, DT_INT64, a->rank, a->shape, vt_sub(s, a->body, b->body)));
        }
        if (a->cls != VC_PTR || b->cls == VC_PTR || b->cls == VC_FLOAT || (op != AR_ADD && op != AR_SUB)) {
            vx_unsupported(X, X->cur_file, line, "pointer arithmetic (%s)", arith_op_name(op));
            return NULL;
        }
        sblock *o = blk_new(X, VC_PTR, a->dtype, a->rank, a->shape, VT_NONE);
        o->buf = a->buf;
        vt_id off = conv(X, b->body, b->cls, VC_INT);
        o->body = op == AR_ADD ? vt_add(s, a->body, off) : vt_sub(s, a->body, off);
        return sv_block(X, o);
    }
    bool py = a->py && b->py;
    vtype2 t = promote(a, b);
    bool bitwise = op == AR_BITAND || op == AR_BITOR || op == AR_BITXOR || op == AR_SHL || op == AR_SHR;
    if (t.cls == VC_BOOL && !(bitwise && op != AR_SHL && op != AR_SHR) && op != AR_MAX && op != AR_MIN)
        t = (vtype2){VC_INT, DT_INT32};
    if (op == AR_TRUEDIV && t.cls != VC_FLOAT) t = (vtype2){VC_FLOAT, DT_FLOAT32};
    if (bitwise && t.cls == VC_FLOAT) { vx_unsupported(X, X->cur_file, line, "bitwise operator on floats"); return NULL; }
    vt_id x = conv(X, a->body, a->cls, t.cls), y = conv(X, b->body, b->cls, t.cls), r = VT_NONE;
    bool ok = true;
    switch (op) {
    case AR_ADD: r = vt_add(s, x, y); break;
    case AR_SUB: r = vt_sub(s, x, y); break;
    case AR_MUL: r = vt_mul(s, x, y); break;
    case AR_TRUEDIV: r = vt_div(s, x, y); break;
    case AR_FLOORDIV: case AR_MOD:
        if (t.cls != VC_INT) { vx_unsupported(X, X->cur_file, line, "// or %% on floats"); return NULL; }
        if (py) r = op == AR_FLOORDIV ? vt_fdiv(s, x, y) : vt_fmod(s, x, y);
        else r = op == AR_FLOORDIV ? vt_tdiv(s, x, y) : vt_tmod(s, x, y);
        break;
    case AR_TRUNCDIV: r = vt_tdiv(s, x, y); break;
    case AR_TRUNCMOD: r = vt_tmod(s, x, y); break;
    case AR_MAX: r = vt_max(s, x, y); break;
    case AR_MIN: r = vt_min(s, x, y); break;
    case AR_POW:
        if (t.cls == VC_FLOAT) { vt_id v[2] = {x, y}; r = vt_app(s, "pow", VS_REAL, 2, v); }
        else r = int_pow(X, x, y, line, &ok);
        break;
    case AR_BITAND: case AR_BITOR: case AR_BITXOR:
        if (t.cls == VC_BOOL) {
            r = op == AR_BITAND ? vt_and(s, x, y) : op == AR_BITOR ? vt_or(s, x, y) : vt_ne(s, x, y);
            break;
        }
        /* fallthrough */
    case AR_SHL: case AR_SHR: {
        int64_t xv, yv;
        if (vt_is_const(s, x, &xv) && vt_is_const(s, y, &yv)) {
            int64_t v = op == AR_BITAND ? (xv & yv) : op == AR_BITOR ? (xv | yv) : op == AR_BITXOR ? (xv ^ yv)
                      : op == AR_SHL ? (yv >= 0 && yv < 63 ? xv << yv : 0) : (yv >= 0 && yv < 63 ? xv >> yv : 0);
            r = vt_int(s, v);
            break;
        }
        if ((op == AR_SHL || op == AR_SHR) && vt_is_const(s, y, &yv) && yv >= 0 && yv < 62) {
            vt_id p = vt_int(s, (int64_t)1 << yv);
            r = op == AR_SHL ? vt_mul(s, x, p) : (py ? vt_fdiv(s, x, p) : vt_tdiv(s, x, p));
            break;
        }
        vx_unsupported(X, X->cur_file, line, "bitwise operator '%s' on symbolic integers", arith_op_name(op));
        return NULL;
    }
    }
    if (!ok) return NULL;
    sblock *o = blk_new(X, t.cls, t.dt, a->rank, a->shape, r);
    o->py = py;
    return sv_block(X, o);
}

sv *op_binary_sv(vctx *X, int line, int binop, sv *a, sv *b) {
    switch ((binop_kind)binop) {
    case OP_ADD: return op_arith_sv(X, line, AR_ADD, a, b);
    case OP_SUB: return op_arith_sv(X, line, AR_SUB, a, b);
    case OP_MUL: return op_arith_sv(X, line, AR_MUL, a, b);
    case OP_TRUEDIV: return op_arith_sv(X, line, AR_TRUEDIV, a, b);
    case OP_FLOORDIV: return op_arith_sv(X, line, AR_FLOORDIV, a, b);
    case OP_MOD: return op_arith_sv(X, line, AR_MOD, a, b);
    case OP_POW: return op_arith_sv(X, line, AR_POW, a, b);
    case OP_LSHIFT: return op_arith_sv(X, line, AR_SHL, a, b);
    case OP_RSHIFT: return op_arith_sv(X, line, AR_SHR, a, b);
    case OP_BITAND: return op_arith_sv(X, line, AR_BITAND, a, b);
    case OP_BITOR: return op_arith_sv(X, line, AR_BITOR, a, b);
    case OP_BITXOR: return op_arith_sv(X, line, AR_BITXOR, a, b);
    case OP_MATMUL: break;
    }
    vx_unsupported(X, X->cur_file, line, "operator '%s'", binop_symbol((binop_kind)binop));
    return NULL;
}

sv *op_compare_sv(vctx *X, int line, cmp_kind op, sv *pa, sv *pb) {
    vt_store *s = X->s;
    if (op == CMP_IS || op == CMP_IS_NOT) {
        bool same;
        if (pa->kind == SV_NONE || pb->kind == SV_NONE) same = pa->kind == pb->kind;
        else if (pa->kind == SV_DTYPE && pb->kind == SV_DTYPE) same = pa->u.dt.cls == pb->u.dt.cls && pa->u.dt.dtype == pb->u.dt.dtype;
        else same = pa == pb;
        return sv_scalar(X, VC_BOOL, DT_BOOL, true, vt_bool(s, op == CMP_IS ? same : !same));
    }
    if (pa->kind == SV_DTYPE || pb->kind == SV_DTYPE || pa->kind == SV_STR || pb->kind == SV_STR ||
        pa->kind == SV_NONE || pb->kind == SV_NONE) {
        bool eq;
        if (pa->kind != pb->kind) eq = false;
        else if (pa->kind == SV_DTYPE) eq = pa->u.dt.cls == pb->u.dt.cls && pa->u.dt.dtype == pb->u.dt.dtype;
        else if (pa->kind == SV_STR) eq = strcmp(pa->u.str, pb->u.str) == 0;
        else eq = true;
        if (op == CMP_EQ || op == CMP_NE) return sv_scalar(X, VC_BOOL, DT_BOOL, true, vt_bool(s, op == CMP_EQ ? eq : !eq));
        vx_unsupported(X, X->cur_file, line, "ordering comparison of non-numbers");
        return NULL;
    }
    if (op == CMP_IN || op == CMP_NOT_IN) { vx_unsupported(X, X->cur_file, line, "'in' operator"); return NULL; }
    sblock *a = sv_as_block(X, pa, line, "left operand"), *b = a ? sv_as_block(X, pb, line, "right operand") : NULL;
    if (!a || !b || !pair(X, line, &a, &b)) return NULL;
    if ((a->cls == VC_PTR) != (b->cls == VC_PTR)) { vx_unsupported(X, X->cur_file, line, "comparison of a pointer with a number"); return NULL; }
    if (a->cls == VC_PTR && a->buf != b->buf) { vx_unsupported(X, X->cur_file, line, "comparison of pointers into different tensors"); return NULL; }
    vtype2 t = promote(a, b);
    vclass cls = t.cls == VC_PTR ? VC_INT : t.cls == VC_BOOL ? VC_INT : t.cls;
    vt_id x = conv(X, a->body, a->cls == VC_PTR ? VC_INT : a->cls, cls), y = conv(X, b->body, b->cls == VC_PTR ? VC_INT : b->cls, cls), r;
    switch (op) {
    case CMP_LT: r = vt_lt(s, x, y); break;
    case CMP_LE: r = vt_le(s, x, y); break;
    case CMP_GT: r = vt_gt(s, x, y); break;
    case CMP_GE: r = vt_ge(s, x, y); break;
    case CMP_EQ: r = vt_eq(s, x, y); break;
    default: r = vt_ne(s, x, y); break;
    }
    sblock *o = blk_new(X, VC_BOOL, DT_BOOL, a->rank, a->shape, r);
    o->py = a->py && b->py;
    return sv_block(X, o);
}

sv *op_math_sv(vctx *X, int line, math_fn fn, sv *px) {
    vt_store *s = X->s;
    sblock *x = sv_as_block(X, px, line, math_fn_name(fn));
    if (!x) return NULL;
    if (x->cls == VC_PTR) { vx_unsupported(X, X->cur_file, line, "%s of a pointer", math_fn_name(fn)); return NULL; }
    vclass cls = x->cls;
    elem_dtype dt = x->dtype;
    bool transcendental = fn != MF_NEG && fn != MF_ABS && fn != MF_NOT && fn != MF_INVERT;
    if (transcendental && cls != VC_FLOAT) { cls = VC_FLOAT; dt = DT_FLOAT32; }
    if (fn == MF_NOT) { cls = VC_BOOL; dt = DT_BOOL; }
    if (fn == MF_NEG && cls == VC_BOOL) { cls = VC_INT; dt = DT_INT32; }
    vt_id r;
    switch (fn) {
    case MF_NOT: r = vt_not(s, x->body); break;
    case MF_INVERT:
        if (x->cls == VC_BOOL) { r = vt_not(s, x->body); break; }
        vx_unsupported(X, X->cur_file, line, "bitwise inversion of an integer");
        return NULL;
    case MF_NEG: r = vt_neg(s, conv(X, x->body, x->cls, cls)); break;
    case MF_ABS: r = vx_abs(X, conv(X, x->body, x->cls, cls)); break;
    default: r = vx_math(X, fn, conv(X, x->body, x->cls, VC_FLOAT)); break;
    }
    sblock *o = blk_new(X, cls, dt, x->rank, x->shape, r);
    o->py = x->py;
    return sv_block(X, o);
}

sv *op_where_sv(vctx *X, int line, sv *pc, sv *pa, sv *pb) {
    vt_store *s = X->s;
    sblock *c = sv_as_block(X, pc, line, "where condition");
    sblock *a = c ? sv_as_block(X, pa, line, "where operand") : NULL;
    sblock *b = a ? sv_as_block(X, pb, line, "where operand") : NULL;
    if (!b) return NULL;
    int r1, r2;
    vt_id s1[VMAX_RANK], s2[VMAX_RANK];
    if (!blk_common_shape(X, c->rank, c->shape, a->rank, a->shape, &r1, s1, line) ||
        !blk_common_shape(X, r1, s1, b->rank, b->shape, &r2, s2, line))
        return NULL;
    c = blk_broadcast(X, c, r2, s2, line);
    a = c ? blk_broadcast(X, a, r2, s2, line) : NULL;
    b = a ? blk_broadcast(X, b, r2, s2, line) : NULL;
    if (!b) return NULL;
    if ((a->cls == VC_PTR) != (b->cls == VC_PTR) || (a->cls == VC_PTR && a->buf != b->buf)) {
        vx_unsupported(X, X->cur_file, line, "where over pointers into different tensors");
        return NULL;
    }
    vtype2 t = promote(a, b);
    vt_id cond = conv(X, c->body, c->cls, VC_BOOL);
    vt_id r = vt_ite(s, cond, conv(X, a->body, a->cls, t.cls), conv(X, b->body, b->cls, t.cls));
    sblock *o = blk_new(X, t.cls, t.dt, r2, s2, r);
    o->py = c->py && a->py && b->py;
    if (t.cls == VC_PTR) o->buf = a->buf;
    return sv_block(X, o);
}

sv *op_convert_sv(vctx *X, int line, sv *px, vclass cls, elem_dtype dt) {
    sblock *x = sv_as_block(X, px, line, "cast operand");
    if (!x) return NULL;
    if (x->cls == VC_PTR || cls == VC_PTR) {
        if (x->cls == VC_PTR && cls == VC_PTR && x->dtype == dt) return px;
        vx_unsupported(X, X->cur_file, line, "pointer cast");
        return NULL;
    }
    sblock *o = blk_new(X, cls, dt, x->rank, x->shape, conv(X, x->body, x->cls, cls));
    return sv_block(X, o);
}

sv *op_logical_sv(vctx *X, int line, bool is_or, sv *pa, sv *pb) {
    sv *a = op_convert_sv(X, line, pa, VC_BOOL, DT_BOOL);
    sv *b = a ? op_convert_sv(X, line, pb, VC_BOOL, DT_BOOL) : NULL;
    if (!b) return NULL;
    return op_arith_sv(X, line, is_or ? AR_BITOR : AR_BITAND, a, b);
}
