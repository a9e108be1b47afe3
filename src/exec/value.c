/* value: constructors and shape helpers; see value.h. */
#include "exec/value.h"
#include <stdio.h>
#include <string.h>

term_type vclass_term_type(vclass c) {
    switch (c) {
    case VC_BOOL: return TY_BOOL;
    case VC_INT: return TY_INT;
    default: return TY_REAL;
    }
}

vtype vtype_of_dtype(elem_dtype d) {
    vtype t = {VC_FLOAT, d};
    if (d == DT_BOOL) t.cls = VC_BOOL;
    else if (!elem_dtype_is_float(d)) t.cls = VC_INT;
    return t;
}

const char *vtype_name(vtype t, char *buf, int size) {
    if (t.cls == VC_PTR) snprintf(buf, (size_t)size, "pointer<%s>", elem_dtype_name(t.dtype));
    else snprintf(buf, (size_t)size, "%s", elem_dtype_name(t.dtype));
    return buf;
}

block *block_new(arena *a, vtype ty, int rank, const int64_t *shape) {
    block *b = arena_alloc(a, sizeof *b);
    b->ty = ty;
    b->rank = rank;
    b->n = 1;
    for (int i = 0; i < rank; i++) {
        b->shape[i] = shape[i];
        b->n *= shape[i];
    }
    b->data = arena_alloc(a, (size_t)(b->n ? b->n : 1) * sizeof(elem));
    return b;
}

block *block_scalar(arena *a, vtype ty, elem e) {
    block *b = block_new(a, ty, 0, NULL);
    b->data[0] = e;
    return b;
}

pyval *pv_block(arena *a, block *b) {
    pyval *v = arena_alloc(a, sizeof *v);
    v->kind = PV_BLOCK;
    v->u.blk = b;
    return v;
}

pyval *pv_none(arena *a) {
    pyval *v = arena_alloc(a, sizeof *v);
    v->kind = PV_NONE;
    return v;
}

pyval *pv_tuple(arena *a, int n, pyval **items) {
    pyval *v = arena_alloc(a, sizeof *v);
    v->kind = PV_TUPLE;
    v->u.tuple.n = n;
    v->u.tuple.items = arena_alloc(a, (size_t)(n ? n : 1) * sizeof(pyval *));
    if (n) memcpy(v->u.tuple.items, items, (size_t)n * sizeof(pyval *));
    return v;
}

pyval *pv_str(arena *a, const char *s) {
    pyval *v = arena_alloc(a, sizeof *v);
    v->kind = PV_STR;
    v->u.str = s;
    return v;
}

static pyval *pv_scalar(arena *a, vtype t, elem e, bool py) {
    block *b = block_scalar(a, t, e);
    b->py = py;
    return pv_block(a, b);
}

pyval *pv_int(arena *a, int64_t v, bool py) {
    return pv_scalar(a, (vtype){VC_INT, py ? DT_INT64 : DT_INT32}, elem_int(v), py);
}
pyval *pv_float(arena *a, double v, bool py) {
    return pv_scalar(a, (vtype){VC_FLOAT, DT_FLOAT32}, elem_float(v), py);
}
pyval *pv_bool(arena *a, bool v, bool py) {
    return pv_scalar(a, (vtype){VC_BOOL, DT_BOOL}, elem_bool(v), py);
}

pyval *pv_dtype(arena *a, vtype t) {
    pyval *v = arena_alloc(a, sizeof *v);
    v->kind = PV_DTYPE;
    v->u.dtype = t;
    return v;
}

pyval *pv_module(arena *a, const char *ns) {
    pyval *v = arena_alloc(a, sizeof *v);
    v->kind = PV_MODULE;
    v->u.module = ns;
    return v;
}

const char *pykind_name(pykind k) {
    static const char *names[] = {"None", "tensor", "tuple", "str", "module", "function",
                                  "built-in function", "dtype", "block pointer", "range"};
    return names[k];
}

bool shape_broadcast(int ra, const int64_t *sa, int rb, const int64_t *sb, int *rank, int64_t *shape) {
    int r = ra > rb ? ra : rb;
    for (int i = 0; i < r; i++) {
        int ia = i - (r - ra), ib = i - (r - rb);
        int64_t da = ia >= 0 ? sa[ia] : 1, db = ib >= 0 ? sb[ib] : 1;
        if (da != db && da != 1 && db != 1) return false;
        shape[i] = da == 1 ? db : da;
    }
    *rank = r;
    return true;
}

int64_t broadcast_index(const block *from, int rank, const int64_t *to_shape, int64_t flat) {
    if (from->n == 1) return 0;
    int64_t idx = 0, stride = 1;
    for (int i = rank - 1; i >= 0; i--) {
        int64_t coord = flat % to_shape[i];
        flat /= to_shape[i];
        int fi = i - (rank - from->rank);
        if (fi >= 0) {
            if (from->shape[fi] != 1) idx += coord * stride;
            stride *= from->shape[fi];
        }
    }
    return idx;
}

void shape_format(int rank, const int64_t *shape, char *buf, int size) {
    int n = snprintf(buf, (size_t)size, "[");
    for (int i = 0; i < rank && n < size; i++)
        n += snprintf(buf + n, (size_t)(size - n), "%s%lld", i ? ", " : "", (long long)shape[i]);
    if (n < size) snprintf(buf + n, (size_t)(size - n), "]");
}
