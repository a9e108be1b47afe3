/* builtins: the one table of everything a kernel can call — Triton's tl.* (and the same
 * functions under tl.math, libdevice, tl_extra_shim and FlagGems' tle), a few Python
 * built-ins, and tensor methods — plus the small built-ins themselves. Memory access,
 * reductions, scans and dot live in their own files and are referenced here. */
#include "exec/interp.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- argument binding ---- */

bool builtin_bind(interp *I, const builtin_def *def, call_args *args, pyval **out, int max_out) {
    const char *names[16];
    int name_len[16];
    bool optional[16];
    int n = 0;
    for (const char *p = def->signature; *p && n < 16;) {
        while (*p == ' ' || *p == ',') p++;
        if (!*p) break;
        const char *start = p;
        while (*p && *p != ',' && *p != '=') p++;
        names[n] = start;
        name_len[n] = (int)(p - start);
        optional[n] = *p == '=';
        while (*p && *p != ',') p++;
        n++;
    }
    if (n > max_out) n = max_out;
    for (int i = 0; i < max_out; i++) out[i] = NULL;
    if (args->n > n) {
        interp_fail_at(I, DIAG_ERROR, args->site, "%s() takes at most %d arguments, %d given", def->name, n, args->n);
        return false;
    }
    for (int i = 0; i < args->n; i++) out[i] = args->pos[i];
    for (int k = 0; k < args->n_kw; k++) {
        int p = -1;
        for (int i = 0; i < n; i++)
            if ((int)strlen(args->kw_names[k]) == name_len[i] && strncmp(names[i], args->kw_names[k], (size_t)name_len[i]) == 0) p = i;
        if (p < 0) {
            interp_fail_at(I, DIAG_ERROR, args->site, "%s() has no parameter '%s'", def->name, args->kw_names[k]);
            return false;
        }
        out[p] = args->kw_values[k];
    }
    for (int i = 0; i < n; i++)
        if (!out[i] && !optional[i]) {
            interp_fail_at(I, DIAG_ERROR, args->site, "%s() is missing argument '%.*s'", def->name, name_len[i], names[i]);
            return false;
        }
    return true;
}

static bool is_none(const pyval *v) { return !v || v->kind == PV_NONE; }

static bool get_dtype(interp *I, const ast_expr *site, pyval *v, vtype *out) {
    if (v && v->kind == PV_DTYPE) { *out = v->u.dtype; return true; }
    if (v && v->kind == PV_STR) {
        elem_dtype d;
        if (elem_dtype_parse(v->u.str, &d)) { *out = vtype_of_dtype(d); return true; }
    }
    interp_fail_at(I, DIAG_ERROR, site, "expected a dtype");
    return false;
}

/* ---- program grid ---- */

static pyval *bi_program_id(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[1];
    int64_t axis;
    if (!builtin_bind(I, def, args, a, 1) || !pv_to_int(I, args->site, a[0], &axis, "axis")) return NULL;
    if (axis < 0 || axis > 2) return interp_fail_at(I, DIAG_ERROR, args->site, "axis must be 0, 1 or 2");
    int64_t v = def->code == 0 ? I->pid[axis] : I->grid[axis];
    return pv_int(I->arena, v, false);
}

/* ---- tensor creation ---- */

static pyval *bi_arange(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[2];
    int64_t lo, hi;
    if (!builtin_bind(I, def, args, a, 2) || !pv_to_int(I, args->site, a[0], &lo, "arange start") ||
        !pv_to_int(I, args->site, a[1], &hi, "arange end"))
        return NULL;
    int64_t n = hi - lo;
    if (n <= 0 || (n & (n - 1)) != 0)
        return interp_fail_at(I, DIAG_ERROR, args->site, "arange(%lld, %lld): the range must be a positive power of 2", (long long)lo, (long long)hi);
    if (n > (1 << 24)) return interp_fail_at(I, DIAG_LIMIT, args->site, "arange of %lld lanes is too large", (long long)n);
    block *b = block_new(I->arena, (vtype){VC_INT, DT_INT32}, 1, &n);
    for (int64_t k = 0; k < n; k++) b->data[k] = elem_int(lo + k);
    return pv_block(I->arena, b);
}

static pyval *make_full(interp *I, const ast_expr *site, pyval *shape_v, pyval *value, pyval *dtype_v) {
    int64_t shape[MAX_RANK];
    int rank = shape_v->kind == PV_TUPLE && shape_v->u.tuple.n == 0 ? 0 : pv_int_list(I, site, shape_v, shape, MAX_RANK, "shape");
    if (rank < 0) return NULL;
    int64_t total = 1;
    for (int i = 0; i < rank; i++) {
        if (shape[i] <= 0) return interp_fail_at(I, DIAG_ERROR, site, "shape entries must be positive");
        total *= shape[i];
        if (total > (1 << 24)) return interp_fail_at(I, DIAG_LIMIT, site, "block of more than 2^24 lanes");
    }
    vtype t;
    if (!get_dtype(I, site, dtype_v, &t)) return NULL;
    pyval *cv = op_convert(I, site, value, t);
    if (!cv) return NULL;
    block *src = as_block(I, cv, site, "fill value");
    if (!src || src->n != 1) return src ? interp_fail_at(I, DIAG_ERROR, site, "fill value must be a scalar") : NULL;
    block *b = block_new(I->arena, t, rank, shape);
    for (int64_t k = 0; k < b->n; k++) b->data[k] = src->data[0];
    return pv_block(I->arena, b);
}

static pyval *bi_full(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[3];
    if (!builtin_bind(I, def, args, a, 3)) return NULL;
    return make_full(I, args->site, a[0], a[1], a[2]);
}

static pyval *bi_zeros(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[2];
    if (!builtin_bind(I, def, args, a, 2)) return NULL;
    return make_full(I, args->site, a[0], pv_int(I->arena, 0, true), a[1]);
}

static pyval *bi_zeros_like(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[2];
    if (!builtin_bind(I, def, args, a, 2)) return NULL;
    block *x = as_block(I, a[0], args->site, "zeros_like argument");
    if (!x) return NULL;
    pyval *dims[MAX_RANK];
    for (int i = 0; i < x->rank; i++) dims[i] = pv_int(I->arena, x->shape[i], true);
    pyval *dt = is_none(a[1]) ? pv_dtype(I->arena, x->ty) : a[1];
    return make_full(I, args->site, pv_tuple(I->arena, x->rank, dims), pv_int(I->arena, 0, true), dt);
}

/* ---- elementwise ---- */

static pyval *bi_where(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[3];
    if (!builtin_bind(I, def, args, a, 3)) return NULL;
    return op_where(I, args->site, a[0], a[1], a[2]);
}

static pyval *bi_binary(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[3];
    if (!builtin_bind(I, def, args, a, 3)) return NULL;
    pyval *x = a[0], *y = a[1];
    if ((arith_op)def->code == AR_TRUEDIV) {   /* fdiv/div_rn: floating-point division */
        vtype f32 = {VC_FLOAT, DT_FLOAT32};
        if (x->kind == PV_BLOCK && x->u.blk->ty.cls != VC_FLOAT) x = op_convert(I, args->site, x, f32);
        if (x && y->kind == PV_BLOCK && y->u.blk->ty.cls != VC_FLOAT) y = op_convert(I, args->site, y, f32);
        if (!x || !y) return NULL;
    }
    return op_arith(I, args->site, (arith_op)def->code, x, y);
}

static pyval *bi_math(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[2];
    if (!builtin_bind(I, def, args, a, 2)) return NULL;
    return op_math(I, args->site, (math_fn)def->code, a[0]);
}

static pyval *bi_clamp(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[4];
    if (!builtin_bind(I, def, args, a, 4)) return NULL;
    pyval *lo = op_arith(I, args->site, AR_MAX, a[0], a[1]);
    return lo ? op_arith(I, args->site, AR_MIN, lo, a[2]) : NULL;
}

static pyval *bi_cdiv(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[2];
    if (!builtin_bind(I, def, args, a, 2)) return NULL;
    pyval *one = pv_int(I->arena, 1, true);
    pyval *num = op_arith(I, args->site, AR_SUB, a[1], one);
    num = num ? op_arith(I, args->site, AR_ADD, a[0], num) : NULL;
    return num ? op_arith(I, args->site, AR_FLOORDIV, num, a[1]) : NULL;
}

static pyval *bi_to(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    pyval *a[4];
    if (!builtin_bind(I, def, args, a, 4)) return NULL;
    pyval *x = self ? self : a[0];
    pyval *dt = self ? a[0] : a[1];
    pyval *bitcast = self ? a[2] : a[3];
    bool bc = false;
    if (bitcast && !pv_truth(I, args->site, bitcast, &bc)) return NULL;
    if (bc) return interp_fail_at(I, DIAG_UNSUPPORTED, args->site, "bitcast");
    vtype t;
    if (!get_dtype(I, args->site, dt, &t)) return NULL;
    return op_convert(I, args->site, x, t);   /* float-to-float casts are the identity in the model */
}

static pyval *bi_identity_first(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[3];
    if (!builtin_bind(I, def, args, a, 3)) return NULL;
    return a[0] ? a[0] : pv_none(I->arena);
}

static pyval *bi_nothing(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self; (void)def; (void)args;
    return pv_none(I->arena);
}

static pyval *bi_static_assert(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[3];
    bool t;
    if (!builtin_bind(I, def, args, a, 3) || !pv_truth(I, args->site, a[0], &t)) return NULL;
    if (!t) {
        const char *msg = a[1] && a[1]->kind == PV_STR ? a[1]->u.str : "";
        return interp_fail_at(I, DIAG_RUNTIME, args->site, "%s failed%s%s", def->name, *msg ? ": " : "", msg);
    }
    return pv_none(I->arena);
}

static pyval *bi_device_assert(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[3];
    if (!builtin_bind(I, def, args, a, 3)) return NULL;
    block *c = as_block(I, a[0], args->site, "assert condition");
    if (!c) return NULL;
    for (int64_t k = 0; k < c->n; k++) {
        int64_t v;
        if (c->ty.cls == VC_FLOAT && !c->data[k].sym) v = c->data[k].u.f != 0;
        else if (!I->dom->ops->concrete_int(I->dom, c->ty.cls, c->data[k], &v)) continue;   /* symbolic: not checkable here */
        if (!v) return interp_fail_at(I, DIAG_RUNTIME, args->site, "device_assert failed");
    }
    return pv_none(I->arena);
}

/* ---- loops ---- */

static pyval *bi_range(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[8];
    if (!builtin_bind(I, def, args, a, 8)) return NULL;
    int64_t v[3] = {0, 0, 1};
    if (!pv_to_int(I, args->site, a[0], &v[0], "range bound")) return NULL;
    if (is_none(a[1])) { v[1] = v[0]; v[0] = 0; }
    else if (!pv_to_int(I, args->site, a[1], &v[1], "range bound")) return NULL;
    if (!is_none(a[2]) && !pv_to_int(I, args->site, a[2], &v[2], "range step")) return NULL;
    if (v[2] == 0) return interp_fail_at(I, DIAG_ERROR, args->site, "range step must not be zero");
    pyval *r = arena_alloc(I->arena, sizeof *r);
    r->kind = PV_RANGE;
    r->u.range = (range_val){v[0], v[1], v[2]};
    return r;
}

/* ---- Python built-ins ---- */

static pyval *bi_py_minmax(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    if (args->n < 2 || args->n_kw) return interp_fail_at(I, DIAG_UNSUPPORTED, args->site, "%s() other than on two or more numbers", def->name);
    pyval *acc = args->pos[0];
    for (int i = 1; acc && i < args->n; i++) acc = op_arith(I, args->site, (arith_op)def->code, acc, args->pos[i]);
    return acc;
}

static pyval *bi_len(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[1];
    if (!builtin_bind(I, def, args, a, 1)) return NULL;
    if (a[0]->kind == PV_TUPLE) return pv_int(I->arena, a[0]->u.tuple.n, true);
    if (a[0]->kind == PV_BLOCK && a[0]->u.blk->rank > 0) return pv_int(I->arena, a[0]->u.blk->shape[0], true);
    return interp_fail_at(I, DIAG_ERROR, args->site, "len() of a %s", pykind_name(a[0]->kind));
}

static pyval *bi_py_cast(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[1];
    if (!builtin_bind(I, def, args, a, 1)) return NULL;
    if (a[0]->kind == PV_STR) {   /* float("inf"), float("-inf"), float("nan"), int("3") */
        char *end;
        double v = strtod(a[0]->u.str, &end);
        if (end == a[0]->u.str || *end) return interp_fail_at(I, DIAG_ERROR, args->site, "%s() of the string '%s'", def->name, a[0]->u.str);
        return def->code ? pv_float(I->arena, v, true) : pv_int(I->arena, (int64_t)v, true);
    }
    block *x = as_block(I, a[0], args->site, "argument");
    if (!x) return NULL;
    if (!x->py) return interp_fail_at(I, DIAG_UNSUPPORTED, args->site, "%s() of a tensor", def->name);
    pyval *r = op_convert(I, args->site, a[0], def->code ? (vtype){VC_FLOAT, DT_FLOAT32} : (vtype){VC_INT, DT_INT64});
    if (r) r->u.blk->py = true;
    return r;
}

/* ---- shape manipulation ---- */

static pyval *bi_reshape(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    pyval *a[3];
    if (!builtin_bind(I, def, args, a, 3)) return NULL;
    pyval *x = self ? self : a[0], *shape_v = self ? a[0] : a[1];
    block *b = as_block(I, x, args->site, "reshape argument");
    if (!b) return NULL;
    int64_t shape[MAX_RANK];
    int rank = pv_int_list(I, args->site, shape_v, shape, MAX_RANK, "shape");
    if (rank < 0) return NULL;
    int64_t total = 1;
    for (int i = 0; i < rank; i++) total *= shape[i];
    if (total != b->n) return interp_fail_at(I, DIAG_ERROR, args->site, "cannot reshape %lld lanes into %lld", (long long)b->n, (long long)total);
    block *out = arena_alloc(I->arena, sizeof *out);
    *out = *b;
    out->rank = rank;
    for (int i = 0; i < rank; i++) out->shape[i] = shape[i];
    return pv_block(I->arena, out);
}

static pyval *bi_broadcast_to(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[2];
    if (!builtin_bind(I, def, args, a, 2)) return NULL;
    block *b = as_block(I, a[0], args->site, "broadcast_to argument");
    int64_t shape[MAX_RANK];
    int rank = b ? pv_int_list(I, args->site, a[1], shape, MAX_RANK, "shape") : -1;
    if (rank < 0) return NULL;
    block *out = broadcast_to(I, args->site, b, rank, shape);
    return out ? pv_block(I->arena, out) : NULL;
}

static pyval *bi_expand_dims(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[2];
    int64_t axis;
    if (!builtin_bind(I, def, args, a, 2)) return NULL;
    block *b = as_block(I, a[0], args->site, "expand_dims argument");
    if (!b || !pv_to_int(I, args->site, a[1], &axis, "axis")) return NULL;
    if (axis < 0) axis += b->rank + 1;
    if (axis < 0 || axis > b->rank || b->rank >= MAX_RANK) return interp_fail_at(I, DIAG_ERROR, args->site, "invalid axis for expand_dims");
    block *out = arena_alloc(I->arena, sizeof *out);
    *out = *b;
    out->rank = b->rank + 1;
    for (int i = 0, j = 0; i < out->rank; i++) out->shape[i] = i == axis ? 1 : b->shape[j++];
    return pv_block(I->arena, out);
}

static pyval *bi_trans(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self; (void)def;
    if (args->n < 1) return interp_fail_at(I, DIAG_ERROR, args->site, "trans() needs a tensor");
    block *b = as_block(I, args->pos[0], args->site, "trans argument");
    if (!b) return NULL;
    int perm[MAX_RANK];
    for (int i = 0; i < b->rank; i++) perm[i] = b->rank - 1 - i;
    if (b->rank >= 2 && args->n == 1) { for (int i = 0; i < b->rank; i++) perm[i] = i; perm[b->rank - 2] = b->rank - 1; perm[b->rank - 1] = b->rank - 2; }
    if (args->n > 1) {
        int64_t p[MAX_RANK];
        int n = args->n == 2 ? pv_int_list(I, args->site, args->pos[1], p, MAX_RANK, "permutation") : args->n - 1;
        if (args->n > 2)
            for (int i = 0; i < n && i < MAX_RANK; i++)
                if (!pv_to_int(I, args->site, args->pos[i + 1], &p[i], "permutation")) return NULL;
        if (n != b->rank) return interp_fail_at(I, DIAG_ERROR, args->site, "permutation does not match the rank");
        for (int i = 0; i < n; i++) perm[i] = (int)p[i];
    }
    int64_t shape[MAX_RANK];
    for (int i = 0; i < b->rank; i++) {
        if (perm[i] < 0 || perm[i] >= b->rank) return interp_fail_at(I, DIAG_ERROR, args->site, "invalid permutation");
        shape[i] = b->shape[perm[i]];
    }
    block *out = block_new(I->arena, b->ty, b->rank, shape);
    int64_t in_strides[MAX_RANK], s = 1;
    for (int i = b->rank - 1; i >= 0; i--) { in_strides[i] = s; s *= b->shape[i]; }
    for (int64_t k = 0; k < out->n; k++) {
        int64_t rem = k, src = 0;
        for (int i = b->rank - 1; i >= 0; i--) {
            src += (rem % shape[i]) * in_strides[perm[i]];
            rem /= shape[i];
        }
        out->data[k] = b->data[src];
    }
    return pv_block(I->arena, out);
}

static pyval *bi_dtype_predicate(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)def; (void)args;
    vtype t = self->u.tuple.items[0]->u.dtype;
    const char *name = self->u.tuple.items[1]->u.str;
    bool r;
    if (strcmp(name, "is_ptr") == 0) r = t.cls == VC_PTR;
    else if (strcmp(name, "is_floating") == 0) r = t.cls == VC_FLOAT;
    else if (strcmp(name, "is_int") == 0) r = t.cls == VC_INT || t.cls == VC_BOOL;
    else if (strcmp(name, "is_fp16") == 0) r = t.cls == VC_FLOAT && t.dtype == DT_FLOAT16;
    else if (strcmp(name, "is_bf16") == 0) r = t.cls == VC_FLOAT && t.dtype == DT_BFLOAT16;
    else if (strcmp(name, "is_fp32") == 0) r = t.cls == VC_FLOAT && t.dtype == DT_FLOAT32;
    else if (strcmp(name, "is_fp64") == 0) r = t.cls == VC_FLOAT && t.dtype == DT_FLOAT64;
    else if (strcmp(name, "is_int1") == 0 || strcmp(name, "is_bool") == 0) r = t.cls == VC_BOOL;
    else if (strncmp(name, "is_int", 6) == 0 || strncmp(name, "is_uint", 7) == 0) {
        const char *bits = name + (name[3] == 'u' ? 7 : 6);
        elem_dtype want;
        char dname[16];
        snprintf(dname, sizeof dname, "int%s", bits);
        if (!elem_dtype_parse(dname, &want)) return interp_fail_at(I, DIAG_UNSUPPORTED, args->site, "dtype predicate '%s'", name);
        r = t.cls == VC_INT && t.dtype == want;
    } else return interp_fail_at(I, DIAG_UNSUPPORTED, args->site, "dtype predicate '%s'", name);
    return pv_bool(I->arena, r, true);
}

/* ---- the table ---- */

#define ALLMATH (NS_TL | NS_MATH | NS_LIBDEVICE)
static const builtin_def builtin_table[] = {
    {"program_id", NS_TL | NS_TLE, "axis", bi_program_id, 0},
    {"num_programs", NS_TL | NS_TLE, "axis", bi_program_id, 1},
    {"arange", NS_TL, "start, end", bi_arange, 0},
    {"full", NS_TL, "shape, value, dtype", bi_full, 0},
    {"zeros", NS_TL, "shape, dtype", bi_zeros, 0},
    {"zeros_like", NS_TL, "input, dtype=", bi_zeros_like, 0},
    {"load", NS_TL, "pointer, mask=, other=, boundary_check=, padding_option=, cache_modifier=, eviction_policy=, volatile=", bi_load, 0},
    {"store", NS_TL, "pointer, value, mask=, boundary_check=, cache_modifier=, eviction_policy=", bi_store, 0},
    {"make_block_ptr", NS_TL, "base, shape, strides, offsets, block_shape, order", bi_make_block_ptr, 0},
    {"advance", NS_TL, "base, offsets", bi_advance, 0},
    {"where", NS_TL, "condition, x, y", bi_where, 0},
    {"maximum", NS_TL | NS_MATH, "x, y, propagate_nan=", bi_binary, AR_MAX},
    {"minimum", NS_TL | NS_MATH, "x, y, propagate_nan=", bi_binary, AR_MIN},
    {"fmax", NS_LIBDEVICE, "x, y", bi_binary, AR_MAX},
    {"fmin", NS_LIBDEVICE, "x, y", bi_binary, AR_MIN},
    {"clamp", NS_TL, "x, min, max, propagate_nan=", bi_clamp, 0},
    {"fdiv", NS_TL | NS_MATH, "x, y, ieee_rounding=", bi_binary, AR_TRUEDIV},
    {"div_rn", ALLMATH, "x, y", bi_binary, AR_TRUEDIV},
    {"fast_dividef", NS_LIBDEVICE, "x, y", bi_binary, AR_TRUEDIV},
    {"pow", NS_MATH | NS_LIBDEVICE, "x, y", bi_binary, AR_POW},
    {"exp", ALLMATH, "x", bi_math, MF_EXP},
    {"exp2", ALLMATH, "x", bi_math, MF_EXP2},
    {"fast_expf", NS_LIBDEVICE, "x", bi_math, MF_EXP},
    {"log", ALLMATH, "x", bi_math, MF_LOG},
    {"log2", ALLMATH, "x", bi_math, MF_LOG2},
    {"sqrt", ALLMATH, "x", bi_math, MF_SQRT},
    {"sqrt_rn", ALLMATH, "x", bi_math, MF_SQRT},
    {"rsqrt", ALLMATH, "x", bi_math, MF_RSQRT},
    {"abs", ALLMATH, "x", bi_math, MF_ABS},
    {"fabs", NS_MATH | NS_LIBDEVICE, "x", bi_math, MF_ABS},
    {"sigmoid", NS_TL | NS_MATH, "x", bi_math, MF_SIGMOID},
    {"erf", ALLMATH, "x", bi_math, MF_ERF},
    {"tanh", NS_MATH | NS_LIBDEVICE | NS_TL, "x", bi_math, MF_TANH},
    {"sin", ALLMATH, "x", bi_math, MF_SIN},
    {"cos", ALLMATH, "x", bi_math, MF_COS},
    {"sum", NS_TL, "input, axis=, keep_dims=, dtype=", bi_reduce_builtin, RK_SUM},
    {"max", NS_TL, "input, axis=, return_indices=, return_indices_tie_break_left=, keep_dims=", bi_reduce_builtin, RK_MAX},
    {"min", NS_TL, "input, axis=, return_indices=, return_indices_tie_break_left=, keep_dims=", bi_reduce_builtin, RK_MIN},
    {"argmax", NS_TL, "input, axis, tie_break_left=, keep_dims=", bi_argreduce, RK_MAX},
    {"argmin", NS_TL, "input, axis, tie_break_left=, keep_dims=", bi_argreduce, RK_MIN},
    {"reduce", NS_TL, "input, axis, combine_fn, keep_dims=", bi_reduce_combine, 0},
    {"cumsum", NS_TL, "input, axis=, reverse=", bi_scan, SK_CUMSUM},
    {"cumprod", NS_TL, "input, axis=, reverse=", bi_scan, SK_CUMPROD},
    {"dot", NS_TL, "input, other, acc=, input_precision=, allow_tf32=, max_num_imprecise_acc=, out_dtype=", bi_dot, 0},
    {"cdiv", NS_TL | NS_TRITON, "x, div", bi_cdiv, 0},
    {"cast", NS_TL, "input, dtype, fp_downcast_rounding=, bitcast=", bi_to, 0},
    {"constexpr", NS_TL, "value", bi_identity_first, 0},
    {"multiple_of", NS_TL, "input, values", bi_identity_first, 0},
    {"max_contiguous", NS_TL, "input, values", bi_identity_first, 0},
    {"max_constancy", NS_TL, "input, values", bi_identity_first, 0},
    {"static_assert", NS_TL, "cond, msg=", bi_static_assert, 0},
    {"device_assert", NS_TL, "cond, msg=, mask=", bi_device_assert, 0},
    {"static_print", NS_TL, "", bi_nothing, 0},
    {"device_print", NS_TL, "", bi_nothing, 0},
    {"debug_barrier", NS_TL, "", bi_nothing, 0},
    {"range", NS_TL | NS_PY, "arg1, arg2=, step=, num_stages=, loop_unroll_factor=, disallow_acc_multi_buffer=, flatten=, warp_specialize=", bi_range, 0},
    {"static_range", NS_TL, "arg1, arg2=, step=", bi_range, 0},
    {"reshape", NS_TL | NS_METHOD, "input, shape, can_reorder=", bi_reshape, 0},
    {"view", NS_TL, "input, shape", bi_reshape, 0},
    {"broadcast_to", NS_TL, "input, shape", bi_broadcast_to, 0},
    {"expand_dims", NS_TL, "input, axis", bi_expand_dims, 0},
    {"trans", NS_TL, "", bi_trans, 0},
    {"permute", NS_TL, "", bi_trans, 0},
    {"to", NS_METHOD, "dtype, fp_downcast_rounding=, bitcast=", bi_to, 0},
    {"__dtype_predicate", NS_METHOD, "", bi_dtype_predicate, 0},
    {"min", NS_PY, "", bi_py_minmax, AR_MIN},
    {"max", NS_PY, "", bi_py_minmax, AR_MAX},
    {"len", NS_PY, "obj", bi_len, 0},
    {"int", NS_PY, "x", bi_py_cast, 0},
    {"float", NS_PY, "x", bi_py_cast, 1},
    {"abs", NS_PY, "x", bi_math, MF_ABS},
    {"print", NS_PY, "", bi_nothing, 0},
};

const builtin_def *builtin_lookup(unsigned ns, const char *name) {
    for (size_t i = 0; i < sizeof builtin_table / sizeof builtin_table[0]; i++)
        if ((builtin_table[i].namespaces & ns) && strcmp(builtin_table[i].name, name) == 0) return &builtin_table[i];
    return NULL;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0 && (n == m || s[n - m - 1] == '.');
}

#define NS_PATH 128   /* an intermediate package on the way to one of the namespaces */

unsigned builtin_namespace_of(const char *path) {
    if (strcmp(path, "triton.language") == 0) return NS_TL;
    if (strcmp(path, "triton.language.math") == 0) return NS_MATH;
    if (strcmp(path, "triton") == 0) return NS_TRITON | NS_PATH;
    if (ends_with(path, "libdevice") || ends_with(path, "tl_extra_shim")) return NS_LIBDEVICE;
    if (ends_with(path, "triton_lang_extension")) return NS_TLE;
    if (strcmp(path, "triton.language.extra") == 0 || strcmp(path, "triton.language.extra.cuda") == 0 ||
        strcmp(path, "triton.language.extra.hip") == 0)
        return NS_PATH;
    return 0;
}
