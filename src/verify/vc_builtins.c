/* vc_builtins: the built-ins a kernel can call (the interpreter's table, exec/builtins.c, is
 * the list of names and signatures) evaluated on symbolic values: tensor creation, memory
 * access through pointers and block pointers (recorded as accesses for postcond.c),
 * reductions as bounded reduction terms, scans as prefix reductions, tl.dot as a sum over the
 * shared dimension, and the elementwise functions. */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

static vctx *FX(wframe *f) { return f->W->X; }

static sv *fail_at(wframe *f, int line, const char *fmt, const char *arg) {
    vx_unsupported(FX(f), FX(f)->cur_file, line, fmt, arg);
    return NULL;
}

static bool is_none(const sv *v) { return !v || v->kind == SV_NONE; }

/* Binds arguments to a built-in's signature ("x, axis=, keep_dims="). */
static bool bind(wframe *f, const builtin_def *def, int n_pos, sv **pos, int n_kw, const char **kw_names, sv **kw_values,
                 sv **out, int max_out, int line) {
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
    if (n_pos > n) { fail_at(f, line, "%s() called with too many arguments", def->name); return false; }
    for (int i = 0; i < n_pos; i++) out[i] = pos[i];
    for (int k = 0; k < n_kw; k++) {
        int p = -1;
        for (int i = 0; i < n; i++)
            if ((int)strlen(kw_names[k]) == name_len[i] && strncmp(names[i], kw_names[k], (size_t)name_len[i]) == 0) p = i;
        if (p < 0) { fail_at(f, line, "unknown keyword '%s'", kw_names[k]); return false; }
        out[p] = kw_values[k];
    }
    for (int i = 0; i < n; i++)
        if (!out[i] && !optional[i]) { fail_at(f, line, "%s() is missing an argument", def->name); return false; }
    return true;
}

static bool const_int(wframe *f, sv *v, int64_t *out, int line, const char *what) {
    if (v && v->kind == SV_BLOCK && v->u.b->rank == 0 && vt_is_const(FX(f)->s, vt_convert(FX(f)->s, v->u.b->body, VS_INT), out))
        return true;
    fail_at(f, line, "%s that is not a constant", what);
    return false;
}

static bool sym_int(wframe *f, sv *v, vt_id *out, int line, const char *what) {
    if (v && v->kind == SV_BLOCK && v->u.b->rank == 0 && v->u.b->cls != VC_PTR && v->u.b->cls != VC_FLOAT) {
        *out = vt_convert(FX(f)->s, v->u.b->body, VS_INT);
        return true;
    }
    fail_at(f, line, "%s must be an integer scalar", what);
    return false;
}

/* A tuple/list of ints (or one int) as a list of terms. */
static int int_list(wframe *f, sv *v, vt_id *out, int max, int line, const char *what) {
    if (v && v->kind == SV_TUPLE) {
        if (v->u.t.n > max) { fail_at(f, line, "%s has too many entries", what); return -1; }
        for (int i = 0; i < v->u.t.n; i++)
            if (!sym_int(f, v->u.t.items[i], &out[i], line, what)) return -1;
        return v->u.t.n;
    }
    if (max < 1 || !sym_int(f, v, &out[0], line, what)) return -1;
    return 1;
}

static bool get_dtype(wframe *f, sv *v, vclass *cls, elem_dtype *dt, int line) {
    if (v && v->kind == SV_DTYPE) { *cls = v->u.dt.cls; *dt = v->u.dt.dtype; return true; }
    if (v && v->kind == SV_STR) {
        elem_dtype d;
        if (elem_dtype_parse(v->u.str, &d)) { vtype t = vtype_of_dtype(d); *cls = t.cls; *dt = t.dtype; return true; }
    }
    fail_at(f, line, "%s", "expected a dtype");
    return false;
}

static sv *tuple_of(vctx *X, int n, sv **items) {
    sv *t = arena_alloc(X->a, sizeof *t);
    t->kind = SV_TUPLE;
    t->u.t.items = arena_alloc(X->a, (size_t)(n + 1) * sizeof(sv *));
    memcpy(t->u.t.items, items, (size_t)n * sizeof(sv *));
    t->u.t.n = n;
    return t;
}

/* ---- creation ---- */

static sv *make_full(wframe *f, int line, sv *shape_v, sv *value, sv *dtype_v) {
    vctx *X = FX(f);
    vt_id shape[VMAX_RANK];
    int rank = shape_v->kind == SV_TUPLE && shape_v->u.t.n == 0 ? 0 : int_list(f, shape_v, shape, VMAX_RANK, line, "shape");
    if (rank < 0) return NULL;
    vclass cls;
    elem_dtype dt;
    if (!get_dtype(f, dtype_v, &cls, &dt, line)) return NULL;
    sv *cv = op_convert_sv(X, line, value, cls, dt);
    if (!cv) return NULL;
    if (cv->u.b->rank != 0) return fail_at(f, line, "%s", "fill value must be a scalar");
    return sv_block(X, blk_new(X, cls, dt, rank, shape, cv->u.b->body));
}

/* ---- memory ---- */

static void record(wframe *f, bool store, int buf, int rank, const vt_id *shape, vt_id offset, vt_id value, vt_id active, int line) {
    vctx *X = FX(f);
    wctx *W = f->W;
    vaccess a = {0};
    a.store = store;
    a.buf = buf;
    a.line = line;
    a.launch = W->launch;
    a.rank = rank;
    for (int d = 0; d < rank; d++) a.shape[d] = shape[d];
    a.offset = offset;
    a.value = value;
    a.active = vt_and(X->s, W->path, active);
    a.n_q = (int)W->q.len;
    a.q = arena_alloc(X->a, (size_t)(a.n_q + 1) * sizeof *a.q);
    memcpy(a.q, W->q.items, (size_t)a.n_q * sizeof *a.q);
    vec_push(&X->accesses, a);
}

static sv *load_bptr(wframe *f, int line, sbptr *bp, sv *boundary, sv *padding) {
    vctx *X = FX(f);
    vt_store *s = X->s;
    unsigned checked = 0;
    if (!is_none(boundary)) {
        vt_id dims[VMAX_RANK];
        int n = boundary->kind == SV_TUPLE && boundary->u.t.n == 0 ? 0 : int_list(f, boundary, dims, VMAX_RANK, line, "boundary_check");
        if (n < 0) return NULL;
        for (int i = 0; i < n; i++) {
            int64_t d;
            if (!vt_is_const(s, dims[i], &d) || d < 0 || d >= bp->rank) return fail_at(f, line, "%s", "boundary_check dimension");
            checked |= 1u << d;
        }
    }
    vt_id inside = vt_bool(s, true), addr = bp->base;
    for (int d = 0; d < bp->rank; d++) {
        vt_id c = vt_add(s, bp->offsets[d], vx_lane(X, d));
        if ((checked >> d) & 1u) inside = vt_and(s, inside, vt_and(s, vt_le(s, vt_int(s, 0), c), vt_lt(s, c, bp->shape[d])));
        addr = vt_add(s, addr, vt_mul(s, c, bp->strides[d]));
    }
    vtype t = vtype_of_dtype(bp->dtype);
    vt_sort sort = vx_sort_of_class(t.cls);
    vt_id pad;
    if (is_none(padding) || (padding->kind == SV_STR && !padding->u.str[0])) pad = vx_undef(f->W, sort, bp->rank);
    else if (padding->kind == SV_STR && strcmp(padding->u.str, "zero") == 0) pad = vt_convert(s, vt_int(s, 0), sort);
    else return fail_at(f, line, "%s", "padding_option other than \"zero\"");
    vt_id body = vt_ite(s, inside, buffer_read(X, bp->buf, addr, sort), pad);
    record(f, false, bp->buf, bp->rank, bp->bshape, addr, VT_NONE, inside, line);
    return sv_block(X, blk_new(X, t.cls, t.dtype, bp->rank, bp->bshape, body));
}

static sv *sym_load(wframe *f, sv **a, int line) {
    vctx *X = FX(f);
    vt_store *s = X->s;
    if (a[0]->kind == SV_BPTR) {
        if (!is_none(a[1])) return fail_at(f, line, "%s", "a block-pointer load takes boundary_check, not mask");
        return load_bptr(f, line, a[0]->u.bp, a[3], a[4]);
    }
    sblock *ptr = sv_as_block(X, a[0], line, "load pointer");
    if (!ptr) return NULL;
    if (ptr->cls != VC_PTR) return fail_at(f, line, "%s", "load from a value that is not a pointer");
    vtype t = vtype_of_dtype(ptr->dtype);
    sblock *mask = NULL, *other = NULL;
    if (!is_none(a[1])) {
        sv *m = op_convert_sv(X, line, a[1], VC_BOOL, DT_BOOL);
        if (!m) return NULL;
        mask = m->u.b;
    }
    if (!is_none(a[2])) {
        sv *o = op_convert_sv(X, line, a[2], t.cls, t.dtype);
        if (!o) return NULL;
        other = o->u.b;
    }
    int rank = ptr->rank;
    vt_id shape[VMAX_RANK];
    for (int i = 0; i < rank; i++) shape[i] = ptr->shape[i];
    sblock *parts[2] = {mask, other};
    for (int p = 0; p < 2; p++) {
        if (!parts[p]) continue;
        int r;
        vt_id sh[VMAX_RANK];
        if (!blk_common_shape(X, rank, shape, parts[p]->rank, parts[p]->shape, &r, sh, line)) return NULL;
        rank = r;
        memcpy(shape, sh, sizeof sh);
    }
    ptr = blk_broadcast(X, ptr, rank, shape, line);
    if (ptr && mask) mask = blk_broadcast(X, mask, rank, shape, line);
    if (ptr && other) other = blk_broadcast(X, other, rank, shape, line);
    if (!ptr || (a[1] && !is_none(a[1]) && !mask) || (a[2] && !is_none(a[2]) && !other)) return NULL;
    vt_sort sort = vx_sort_of_class(t.cls);
    vt_id value = buffer_read(X, ptr->buf, ptr->body, sort);
    vt_id on = mask ? mask->body : vt_bool(s, true);
    vt_id body = mask ? vt_ite(s, on, value, other ? other->body : vx_undef(f->W, sort, rank)) : value;
    record(f, false, ptr->buf, rank, shape, ptr->body, VT_NONE, on, line);
    return sv_block(X, blk_new(X, t.cls, t.dtype, rank, shape, body));
}

static sv *store_bptr(wframe *f, int line, sbptr *bp, sv *value, sv *boundary) {
    vctx *X = FX(f);
    vt_store *s = X->s;
    unsigned checked = 0;
    if (!is_none(boundary)) {
        vt_id dims[VMAX_RANK];
        int n = boundary->kind == SV_TUPLE && boundary->u.t.n == 0 ? 0 : int_list(f, boundary, dims, VMAX_RANK, line, "boundary_check");
        if (n < 0) return NULL;
        for (int i = 0; i < n; i++) {
            int64_t d;
            if (!vt_is_const(s, dims[i], &d) || d < 0 || d >= bp->rank) return fail_at(f, line, "%s", "boundary_check dimension");
            checked |= 1u << d;
        }
    }
    vtype t = vtype_of_dtype(bp->dtype);
    sv *cv = op_convert_sv(X, line, value, t.cls, t.dtype);
    sblock *v = cv ? blk_broadcast(X, cv->u.b, bp->rank, bp->bshape, line) : NULL;
    if (!v) return NULL;
    vt_id inside = vt_bool(s, true), addr = bp->base;
    for (int d = 0; d < bp->rank; d++) {
        vt_id c = vt_add(s, bp->offsets[d], vx_lane(X, d));
        if ((checked >> d) & 1u) inside = vt_and(s, inside, vt_and(s, vt_le(s, vt_int(s, 0), c), vt_lt(s, c, bp->shape[d])));
        addr = vt_add(s, addr, vt_mul(s, c, bp->strides[d]));
    }
    record(f, true, bp->buf, bp->rank, bp->bshape, addr, v->body, inside, line);
    return sv_none(X);
}

static sv *sym_store(wframe *f, sv **a, int line) {
    vctx *X = FX(f);
    vt_store *s = X->s;
    if (a[0]->kind == SV_BPTR) {
        if (!is_none(a[2])) return fail_at(f, line, "%s", "a block-pointer store takes boundary_check, not mask");
        return store_bptr(f, line, a[0]->u.bp, a[1], a[3]);
    }
    sblock *ptr = sv_as_block(X, a[0], line, "store pointer");
    if (!ptr) return NULL;
    if (ptr->cls != VC_PTR) return fail_at(f, line, "%s", "store to a value that is not a pointer");
    vtype t = vtype_of_dtype(ptr->dtype);
    sv *cv = op_convert_sv(X, line, a[1], t.cls, t.dtype);
    if (!cv) return NULL;
    sblock *val = cv->u.b, *mask = NULL;
    if (!is_none(a[2])) {
        sv *m = op_convert_sv(X, line, a[2], VC_BOOL, DT_BOOL);
        if (!m) return NULL;
        mask = m->u.b;
    }
    int rank = ptr->rank;
    vt_id shape[VMAX_RANK];
    for (int i = 0; i < rank; i++) shape[i] = ptr->shape[i];
    sblock *parts[2] = {val, mask};
    for (int p = 0; p < 2; p++) {
        if (!parts[p]) continue;
        int r;
        vt_id sh[VMAX_RANK];
        if (!blk_common_shape(X, rank, shape, parts[p]->rank, parts[p]->shape, &r, sh, line)) return NULL;
        rank = r;
        memcpy(shape, sh, sizeof sh);
    }
    ptr = blk_broadcast(X, ptr, rank, shape, line);
    val = ptr ? blk_broadcast(X, val, rank, shape, line) : NULL;
    if (val && mask) mask = blk_broadcast(X, mask, rank, shape, line);
    if (!ptr || !val || (!is_none(a[2]) && !mask)) return NULL;
    record(f, true, ptr->buf, rank, shape, ptr->body, val->body, mask ? mask->body : vt_bool(s, true), line);
    return sv_none(X);
}

static sv *sym_make_block_ptr(wframe *f, sv **a, int line) {
    vctx *X = FX(f);
    sblock *base = sv_as_block(X, a[0], line, "block pointer base");
    if (!base) return NULL;
    if (base->cls != VC_PTR || base->rank != 0) return fail_at(f, line, "%s", "make_block_ptr base must be a scalar pointer");
    sbptr *bp = arena_alloc(X->a, sizeof *bp);
    bp->buf = base->buf;
    bp->dtype = base->dtype;
    bp->base = base->body;
    int rank = int_list(f, a[1], bp->shape, VMAX_RANK, line, "block pointer shape");
    if (rank < 0) return NULL;
    bp->rank = rank;
    if (int_list(f, a[2], bp->strides, VMAX_RANK, line, "strides") != rank ||
        int_list(f, a[3], bp->offsets, VMAX_RANK, line, "offsets") != rank ||
        int_list(f, a[4], bp->bshape, VMAX_RANK, line, "block_shape") != rank)
        return vx_failed(X) ? NULL : fail_at(f, line, "%s", "make_block_ptr arguments of different ranks");
    sv *v = arena_alloc(X->a, sizeof *v);
    v->kind = SV_BPTR;
    v->u.bp = bp;
    return v;
}

static sv *sym_advance(wframe *f, sv **a, int line) {
    vctx *X = FX(f);
    if (a[0]->kind != SV_BPTR) return fail_at(f, line, "%s", "advance() needs a block pointer");
    sbptr *bp = arena_alloc(X->a, sizeof *bp);
    *bp = *a[0]->u.bp;
    vt_id delta[VMAX_RANK];
    if (int_list(f, a[1], delta, VMAX_RANK, line, "advance offsets") != bp->rank) return vx_failed(X) ? NULL : fail_at(f, line, "%s", "advance offsets");
    for (int d = 0; d < bp->rank; d++) bp->offsets[d] = vt_add(X->s, bp->offsets[d], delta[d]);
    sv *v = arena_alloc(X->a, sizeof *v);
    v->kind = SV_BPTR;
    v->u.bp = bp;
    return v;
}

/* ---- reductions ---- */

/* Reduces block b over one axis (or all when axis < 0) with op. */
static sblock *reduce_block(wframe *f, int line, sblock *b, int axis, bool keep, vt_red_op op) {
    vctx *X = FX(f);
    vt_store *s = X->s;
    if (axis < 0) {
        sblock *cur = b;
        for (int d = b->rank - 1; d >= 0; d--) {
            cur = reduce_block(f, line, cur, d, keep, op == VR_ARGMAX || op == VR_ARGMIN ? op : op);
            if (!cur) return NULL;
            if ((op == VR_ARGMAX || op == VR_ARGMIN) && d > 0) return (sblock *)fail_at(f, line, "%s", "argmax over several axes");
        }
        return cur;
    }
    vt_id lane = vx_lane(X, axis);
    vt_id body = b->body;
    if (b->cls == VC_BOOL && (op == VR_SUM || op == VR_PROD)) body = vt_convert(s, body, VS_INT);
    vt_id r = vt_red_over(s, op, lane, vt_int(s, 0), b->shape[axis], body);
    sblock *o = arena_alloc(X->a, sizeof *o);
    *o = *b;
    if (b->cls == VC_BOOL && (op == VR_SUM || op == VR_PROD)) { o->cls = VC_INT; o->dtype = DT_INT32; }
    if (op == VR_ARGMAX || op == VR_ARGMIN) { o->cls = VC_INT; o->dtype = DT_INT32; }
    o->py = false;
    if (keep) {
        o->shape[axis] = vt_int(s, 1);
        o->body = r;
    } else {
        for (int d = axis; d + 1 < b->rank; d++) o->shape[d] = b->shape[d + 1];
        o->rank = b->rank - 1;
        o->body = blk_shift_lanes(X, r, axis + 1, -1);
    }
    return o;
}

static bool axis_of(wframe *f, sv *v, int rank, int *axis, int line) {
    if (is_none(v)) { *axis = -1; return true; }
    int64_t a;
    if (!const_int(f, v, &a, line, "axis")) return false;
    if (a < 0) a += rank;
    if (a < 0 || a >= rank) { fail_at(f, line, "%s", "axis out of range"); return false; }
    *axis = (int)a;
    return true;
}

static bool flag(wframe *f, sv *v, bool dflt, bool *out, int line) {
    if (is_none(v)) { *out = dflt; return true; }
    int64_t x;
    if (!const_int(f, v, &x, line, "flag")) return false;
    *out = x != 0;
    return true;
}

static sv *sym_reduce(wframe *f, const builtin_def *def, sv **a, int line) {
    vctx *X = FX(f);
    sblock *b = sv_as_block(X, a[0], line, "reduction input");
    if (!b) return NULL;
    int axis;
    bool keep = false, with_indices = false, tie_left = true;
    if (def->code == RK_SUM) {
        if (!axis_of(f, a[1], b->rank, &axis, line) || !flag(f, a[2], false, &keep, line)) return NULL;
        if (!is_none(a[3])) {
            vclass cls;
            elem_dtype dt;
            if (!get_dtype(f, a[3], &cls, &dt, line)) return NULL;
            sv *c = op_convert_sv(X, line, a[0], cls, dt);
            if (!c) return NULL;
            b = c->u.b;
        }
        sblock *r = reduce_block(f, line, b, axis, keep, VR_SUM);
        return r ? sv_block(X, r) : NULL;
    }
    if (def->code != RK_MAX && def->code != RK_MIN) return fail_at(f, line, "reduction '%s'", def->name);
    if (!axis_of(f, a[1], b->rank, &axis, line) || !flag(f, a[2], false, &with_indices, line) ||
        !flag(f, a[3], true, &tie_left, line) || !flag(f, a[4], false, &keep, line))
        return NULL;
    if (with_indices && !tie_left) return fail_at(f, line, "%s", "return_indices_tie_break_left=False");
    sblock *v = reduce_block(f, line, b, axis, keep, def->code == RK_MAX ? VR_MAX : VR_MIN);
    if (!v) return NULL;
    if (!with_indices) return sv_block(X, v);
    if (axis < 0 && b->rank > 1) return fail_at(f, line, "%s", "max with indices over several axes");
    sblock *i = reduce_block(f, line, b, axis < 0 ? 0 : axis, keep, def->code == RK_MAX ? VR_ARGMAX : VR_ARGMIN);
    if (!i) return NULL;
    sv *items[2] = {sv_block(X, v), sv_block(X, i)};
    return tuple_of(X, 2, items);
}

static sv *sym_argreduce(wframe *f, const builtin_def *def, sv **a, int line) {
    vctx *X = FX(f);
    sblock *b = sv_as_block(X, a[0], line, "argmax input");
    int axis;
    bool tie_left, keep;
    if (!b || !axis_of(f, a[1], b->rank, &axis, line) || !flag(f, a[2], true, &tie_left, line) || !flag(f, a[3], false, &keep, line))
        return NULL;
    if (!tie_left) return fail_at(f, line, "%s", "tie_break_left=False");
    sblock *i = reduce_block(f, line, b, axis < 0 ? 0 : axis, keep, def->code == RK_MAX ? VR_ARGMAX : VR_ARGMIN);
    return i ? sv_block(X, i) : NULL;
}

/* tl.reduce with a combine function: recognized when it is +, *, max or min of its two
 * arguments (the fold is then an ordinary reduction). */
static sv *sym_reduce_combine(wframe *f, sv **a, int line) {
    vctx *X = FX(f);
    vt_store *s = X->s;
    if (!a[2] || a[2]->kind != SV_FUNC) return fail_at(f, line, "%s", "combine_fn must be a @triton.jit function");
    if (a[0]->kind == SV_TUPLE)
        return fail_at(f, line, "%s", "tl.reduce over a tuple of tensors (a fold with a user combine function)");
    sblock *b = sv_as_block(X, a[0], line, "reduce input");
    if (!b) return NULL;
    int axis;
    bool keep;
    if (!axis_of(f, a[1], b->rank, &axis, line) || !flag(f, a[3], false, &keep, line)) return NULL;
    vt_sort sort = b->cls == VC_PTR ? VS_INT : vx_sort_of_class(b->cls);
    vt_id x = vt_var(s, "$combine_a", sort), y = vt_var(s, "$combine_b", sort);
    sv *args[2] = {sv_scalar(X, b->cls, b->dtype, false, x), sv_scalar(X, b->cls, b->dtype, false, y)};
    sv *r = walk_call_function(f, a[2]->u.f.mod, a[2]->u.f.fn, 2, args, 0, NULL, NULL, line);
    if (!r) return NULL;
    if (r->kind != SV_BLOCK || r->u.b->rank != 0) return fail_at(f, line, "%s", "combine_fn must return one scalar");
    vt_id t = vt_convert(s, r->u.b->body, sort);
    vt_red_op op;
    if (t == vt_add(s, x, y)) op = VR_SUM;
    else if (t == vt_mul(s, x, y)) op = VR_PROD;
    else if (t == vt_max(s, x, y) || t == vt_ite(s, vt_gt(s, x, y), x, y)) op = VR_MAX;
    else if (t == vt_min(s, x, y) || t == vt_ite(s, vt_lt(s, x, y), x, y)) op = VR_MIN;
    else return fail_at(f, line, "combine function '%s' that is not +, *, max or min", a[2]->u.f.fn->name);
    sblock *o = reduce_block(f, line, b, axis, keep, op);
    return o ? sv_block(X, o) : NULL;
}

static sv *sym_scan(wframe *f, const builtin_def *def, sv **a, int line) {
    vctx *X = FX(f);
    vt_store *s = X->s;
    sblock *b = sv_as_block(X, a[0], line, "scan input");
    if (!b) return NULL;
    int axis = 0;
    bool reverse;
    if (!is_none(a[1]) && !axis_of(f, a[1], b->rank, &axis, line)) return NULL;
    if (axis < 0) axis = 0;
    if (!flag(f, a[2], false, &reverse, line)) return NULL;
    vt_id lane = vx_lane(X, axis), k = vt_var(s, vx_fresh(X, "scan"), VS_INT);
    vt_id body = b->body;
    if (b->cls == VC_BOOL) body = vt_convert(s, body, VS_INT);
    vt_id inner = vt_subst(s, body, lane, k);
    vt_id lo = reverse ? lane : vt_int(s, 0), hi = reverse ? b->shape[axis] : vt_add(s, lane, vt_int(s, 1));
    vt_id r = vt_red_over(s, def->code == SK_CUMSUM ? VR_SUM : VR_PROD, k, lo, hi, inner);
    sblock *o = arena_alloc(X->a, sizeof *o);
    *o = *b;
    if (b->cls == VC_BOOL) { o->cls = VC_INT; o->dtype = DT_INT32; }
    o->body = r;
    o->py = false;
    return sv_block(X, o);
}

static sv *sym_dot(wframe *f, sv **a, int line) {
    vctx *X = FX(f);
    vt_store *s = X->s;
    sblock *x = sv_as_block(X, a[0], line, "dot input"), *y = x ? sv_as_block(X, a[1], line, "dot input") : NULL;
    if (!y) return NULL;
    if (x->rank != 2 || y->rank != 2) return fail_at(f, line, "%s", "dot of blocks that are not rank 2");
    if (!shape_dim_equal(X, x->shape[1], y->shape[0])) return fail_at(f, line, "%s", "dot with different inner dimensions");
    bool fl = x->cls == VC_FLOAT || y->cls == VC_FLOAT;
    vclass cls = fl ? VC_FLOAT : VC_INT;
    elem_dtype dt = fl ? DT_FLOAT32 : DT_INT32;
    sv *xv = op_convert_sv(X, line, a[0], cls, dt), *yv = xv ? op_convert_sv(X, line, a[1], cls, dt) : NULL;
    if (!yv) return NULL;
    vt_id k = vt_var(s, vx_fresh(X, "dot"), VS_INT);
    vt_id l0 = vx_lane(X, 0), l1 = vx_lane(X, 1);
    vt_id xa = vt_subst(s, xv->u.b->body, l1, k);
    vt_id yb = vt_subst(s, yv->u.b->body, l0, k);
    vt_id body = vt_red_over(s, VR_SUM, k, vt_int(s, 0), x->shape[1], vt_mul(s, xa, yb));
    vt_id shape[2] = {x->shape[0], y->shape[1]};
    sblock *o = blk_new(X, cls, dt, 2, shape, body);
    if (!is_none(a[2])) {
        sv *acc = op_convert_sv(X, line, a[2], cls, dt);
        sblock *ab = acc ? blk_broadcast(X, acc->u.b, 2, shape, line) : NULL;
        if (!ab) return NULL;
        o->body = vt_add(s, ab->body, o->body);
    }
    return sv_block(X, o);
}

/* ---- shapes ---- */

static sv *sym_trans(wframe *f, int n_pos, sv **pos, int line) {
    vctx *X = FX(f);
    if (n_pos != 1) return fail_at(f, line, "%s", "trans/permute with a permutation");
    sblock *b = sv_as_block(X, pos[0], line, "trans argument");
    if (!b) return NULL;
    if (b->rank != 2) return fail_at(f, line, "%s", "trans of a block that is not rank 2");
    vt_id l[2] = {vx_lane(X, 0), vx_lane(X, 1)}, sw[2] = {vx_lane(X, 1), vx_lane(X, 0)};
    sblock *o = arena_alloc(X->a, sizeof *o);
    *o = *b;
    o->shape[0] = b->shape[1];
    o->shape[1] = b->shape[0];
    o->body = vt_subst_many(X->s, b->body, 2, l, sw);
    return sv_block(X, o);
}

static sv *sym_expand_dims(wframe *f, sv **a, int line) {
    vctx *X = FX(f);
    sblock *b = sv_as_block(X, a[0], line, "expand_dims argument");
    int64_t axis;
    if (!b || !const_int(f, a[1], &axis, line, "axis")) return NULL;
    if (axis < 0) axis += b->rank + 1;
    if (axis < 0 || axis > b->rank || b->rank >= VMAX_RANK) return fail_at(f, line, "%s", "invalid axis for expand_dims");
    sblock *o = arena_alloc(X->a, sizeof *o);
    *o = *b;
    o->rank = b->rank + 1;
    for (int i = 0, j = 0; i < o->rank; i++) o->shape[i] = i == axis ? vt_int(X->s, 1) : b->shape[j++];
    o->body = blk_shift_lanes(X, b->body, (int)axis, 1);
    return sv_block(X, o);
}

static sv *sym_broadcast_to(wframe *f, sv **a, int line) {
    vctx *X = FX(f);
    sblock *b = sv_as_block(X, a[0], line, "broadcast_to argument");
    vt_id shape[VMAX_RANK];
    int rank = b ? int_list(f, a[1], shape, VMAX_RANK, line, "shape") : -1;
    if (rank < 0) return NULL;
    sblock *o = blk_broadcast(X, b, rank, shape, line);
    return o ? sv_block(X, o) : NULL;
}

/* reshape that only adds or removes dimensions of size 1 */
static sv *sym_reshape(wframe *f, sv *x, sv *shape_v, int line) {
    vctx *X = FX(f);
    sblock *b = sv_as_block(X, x, line, "reshape argument");
    vt_id shape[VMAX_RANK];
    int rank = b ? int_list(f, shape_v, shape, VMAX_RANK, line, "shape") : -1;
    if (rank < 0) return NULL;
    /* map the non-unit dimensions in order */
    int src[VMAX_RANK], ns = 0, dst[VMAX_RANK], nd = 0;
    for (int i = 0; i < b->rank; i++) { int64_t v; if (!(vt_is_const(X->s, b->shape[i], &v) && v == 1)) src[ns++] = i; }
    for (int i = 0; i < rank; i++) { int64_t v; if (!(vt_is_const(X->s, shape[i], &v) && v == 1)) dst[nd++] = i; }
    if (ns != nd) return fail_at(f, line, "%s", "reshape that merges or splits dimensions");
    vt_id from[VMAX_RANK], to[VMAX_RANK];
    for (int i = 0; i < ns; i++) {
        if (!shape_dim_equal(X, b->shape[src[i]], shape[dst[i]])) return fail_at(f, line, "%s", "reshape that merges or splits dimensions");
        from[i] = vx_lane(X, src[i]);
        to[i] = vx_lane(X, dst[i]);
    }
    sblock *o = arena_alloc(X->a, sizeof *o);
    *o = *b;
    o->rank = rank;
    for (int i = 0; i < rank; i++) o->shape[i] = shape[i];
    o->body = vt_subst_many(X->s, b->body, ns, from, to);
    return sv_block(X, o);
}

static sv *sym_dtype_predicate(wframe *f, sv *self) {
    vctx *X = FX(f);
    vclass cls = self->u.t.items[0]->u.dt.cls;
    elem_dtype dt = self->u.t.items[0]->u.dt.dtype;
    const char *name = self->u.t.items[1]->u.str;
    bool r;
    if (strcmp(name, "is_ptr") == 0) r = cls == VC_PTR;
    else if (strcmp(name, "is_floating") == 0) r = cls == VC_FLOAT;
    else if (strcmp(name, "is_int") == 0) r = cls == VC_INT || cls == VC_BOOL;
    else if (strcmp(name, "is_fp16") == 0) r = cls == VC_FLOAT && dt == DT_FLOAT16;
    else if (strcmp(name, "is_bf16") == 0) r = cls == VC_FLOAT && dt == DT_BFLOAT16;
    else if (strcmp(name, "is_fp32") == 0) r = cls == VC_FLOAT && dt == DT_FLOAT32;
    else if (strcmp(name, "is_fp64") == 0) r = cls == VC_FLOAT && dt == DT_FLOAT64;
    else if (strcmp(name, "is_int1") == 0 || strcmp(name, "is_bool") == 0) r = cls == VC_BOOL;
    else if (strncmp(name, "is_int", 6) == 0 || strncmp(name, "is_uint", 7) == 0) {
        const char *bits = name + (name[3] == 'u' ? 7 : 6);
        char dname[16];
        elem_dtype want;
        snprintf(dname, sizeof dname, "int%s", bits);
        if (!elem_dtype_parse(dname, &want)) return fail_at(f, 0, "dtype predicate '%s'", name);
        r = cls == VC_INT && dt == want;
    } else return fail_at(f, 0, "dtype predicate '%s'", name);
    return sv_scalar(X, VC_BOOL, DT_BOOL, true, vt_bool(X->s, r));
}

/* ---- dispatch ---- */

sv *builtin_call_sym(wframe *f, const builtin_def *def, sv *self, int n_pos, sv **pos, int n_kw, const char **kw_names,
                     sv **kw_values, int line) {
    vctx *X = FX(f);
    vt_store *s = X->s;
    wctx *W = f->W;
    const char *name = def->name;
    sv *a[10];
    if (strcmp(name, "__dtype_predicate") == 0) return sym_dtype_predicate(f, self);
    if (strcmp(name, "trans") == 0 || strcmp(name, "permute") == 0) return sym_trans(f, n_pos, pos, line);
    if ((strcmp(name, "min") == 0 || strcmp(name, "max") == 0) && def->namespaces == NS_PY) {
        if (n_pos < 2 || n_kw) return fail_at(f, line, "%s() other than on two or more numbers", name);
        sv *acc = pos[0];
        for (int i = 1; acc && i < n_pos; i++) acc = op_arith_sv(X, line, (arith_op)def->code, acc, pos[i]);
        return acc;
    }
    if (strcmp(name, "static_print") == 0 || strcmp(name, "device_print") == 0 || strcmp(name, "debug_barrier") == 0 ||
        strcmp(name, "print") == 0 || strcmp(name, "static_assert") == 0 || strcmp(name, "device_assert") == 0)
        return sv_none(X);
    /* methods get their receiver as the first argument */
    int np = n_pos;
    sv **pp = pos;
    if (self && strcmp(name, "to") != 0) {
        pp = arena_alloc(X->a, (size_t)(n_pos + 2) * sizeof *pp);
        pp[0] = self;
        memcpy(pp + 1, pos, (size_t)n_pos * sizeof *pp);
        np = n_pos + 1;
    }
    if (!bind(f, def, np, pp, n_kw, kw_names, kw_values, a, 10, line)) return NULL;
    if (strcmp(name, "program_id") == 0 || strcmp(name, "num_programs") == 0) {
        int64_t axis;
        if (!const_int(f, a[0], &axis, line, "axis")) return NULL;
        if (axis < 0 || axis > 2) return fail_at(f, line, "%s", "axis must be 0, 1 or 2");
        return sv_scalar(X, VC_INT, DT_INT32, false, def->code == 0 ? W->pid[axis] : W->grid[axis]);
    }
    if (strcmp(name, "arange") == 0) {
        vt_id lo, hi;
        if (!sym_int(f, a[0], &lo, line, "arange start") || !sym_int(f, a[1], &hi, line, "arange end")) return NULL;
        vt_id n = vt_sub(s, hi, lo);
        return sv_block(X, blk_new(X, VC_INT, DT_INT32, 1, &n, vt_add(s, lo, vx_lane(X, 0))));
    }
    if (strcmp(name, "full") == 0) return make_full(f, line, a[0], a[1], a[2]);
    if (strcmp(name, "zeros") == 0) return make_full(f, line, a[0], sv_scalar(X, VC_INT, DT_INT32, true, vt_int(s, 0)), a[1]);
    if (strcmp(name, "zeros_like") == 0) {
        sblock *x = sv_as_block(X, a[0], line, "zeros_like argument");
        if (!x) return NULL;
        vclass cls = x->cls;
        elem_dtype dt = x->dtype;
        if (!is_none(a[1]) && !get_dtype(f, a[1], &cls, &dt, line)) return NULL;
        vt_id zero = vt_convert(s, vt_int(s, 0), vx_sort_of_class(cls));
        return sv_block(X, blk_new(X, cls, dt, x->rank, x->shape, zero));
    }
    if (strcmp(name, "load") == 0) return sym_load(f, a, line);
    if (strcmp(name, "store") == 0) return sym_store(f, a, line);
    if (strcmp(name, "make_block_ptr") == 0) return sym_make_block_ptr(f, a, line);
    if (strcmp(name, "advance") == 0) return sym_advance(f, a, line);
    if (strcmp(name, "where") == 0) return op_where_sv(X, line, a[0], a[1], a[2]);
    static const char *const binary[] = {"maximum", "minimum", "fmax", "fmin", "fdiv", "div_rn", "fast_dividef", "pow"};
    static const char *const math[] = {"exp", "exp2", "fast_expf", "log", "log2", "sqrt", "sqrt_rn", "rsqrt", "abs", "fabs",
                                       "sigmoid", "erf", "tanh", "sin", "cos"};
    bool is_binary = false, is_math = false;
    for (size_t i = 0; i < sizeof binary / sizeof binary[0]; i++) is_binary = is_binary || strcmp(name, binary[i]) == 0;
    for (size_t i = 0; i < sizeof math / sizeof math[0]; i++) is_math = is_math || strcmp(name, math[i]) == 0;
    if (is_binary) {
        sv *x = a[0], *y = a[1];
        if ((arith_op)def->code == AR_TRUEDIV) {
            if (x->kind == SV_BLOCK && x->u.b->cls != VC_FLOAT) x = op_convert_sv(X, line, x, VC_FLOAT, DT_FLOAT32);
            if (x && y->kind == SV_BLOCK && y->u.b->cls != VC_FLOAT) y = op_convert_sv(X, line, y, VC_FLOAT, DT_FLOAT32);
            if (!x || !y) return NULL;
        }
        return op_arith_sv(X, line, (arith_op)def->code, x, y);
    }
    if (is_math) return op_math_sv(X, line, (math_fn)def->code, a[0]);
    if (strcmp(name, "clamp") == 0) {
        sv *lo = op_arith_sv(X, line, AR_MAX, a[0], a[1]);
        return lo ? op_arith_sv(X, line, AR_MIN, lo, a[2]) : NULL;
    }
    if (def->fn == bi_reduce_builtin) return sym_reduce(f, def, a, line);
    if (def->fn == bi_argreduce) return sym_argreduce(f, def, a, line);
    if (def->fn == bi_reduce_combine) return sym_reduce_combine(f, a, line);
    if (def->fn == bi_scan) return sym_scan(f, def, a, line);
    if (def->fn == bi_dot) return sym_dot(f, a, line);
    if (strcmp(name, "cdiv") == 0) {
        sv *one = sv_scalar(X, VC_INT, DT_INT32, true, vt_int(s, 1));
        sv *num = op_arith_sv(X, line, AR_SUB, a[1], one);
        num = num ? op_arith_sv(X, line, AR_ADD, a[0], num) : NULL;
        if (!num) return NULL;
        /* cdiv is Python's floor division even on tensors (it is written with //) */
        sblock *nb = num->u.b, *db = sv_as_block(X, a[1], line, "cdiv divisor");
        if (!db) return NULL;
        sblock *o = arena_alloc(X->a, sizeof *o);
        *o = *nb;
        o->body = vt_fdiv(s, nb->body, vt_convert(s, db->body, VS_INT));
        if (nb->rank != 0 || db->rank != 0) return op_arith_sv(X, line, AR_FLOORDIV, num, a[1]);
        return sv_block(X, o);
    }
    if (strcmp(name, "cast") == 0 || strcmp(name, "to") == 0) {
        sv *x = self ? self : a[0], *dt = self ? a[0] : a[1], *bitcast = self ? a[2] : a[3];
        bool bc = false;
        if (!flag(f, bitcast, false, &bc, line)) return NULL;
        if (bc) return fail_at(f, line, "%s", "bitcast");
        vclass cls;
        elem_dtype d;
        if (!get_dtype(f, dt, &cls, &d, line)) return NULL;
        return op_convert_sv(X, line, x, cls, d);
    }
    if (strcmp(name, "constexpr") == 0 || strcmp(name, "multiple_of") == 0 || strcmp(name, "max_contiguous") == 0 ||
        strcmp(name, "max_constancy") == 0)
        return a[0] ? a[0] : sv_none(X);
    if (strcmp(name, "range") == 0 || strcmp(name, "static_range") == 0) {
        vt_id v[3] = {vt_int(s, 0), VT_NONE, vt_int(s, 1)};
        if (!sym_int(f, a[0], &v[0], line, "range bound")) return NULL;
        if (is_none(a[1])) { v[1] = v[0]; v[0] = vt_int(s, 0); }
        else if (!sym_int(f, a[1], &v[1], line, "range bound")) return NULL;
        if (!is_none(a[2]) && !sym_int(f, a[2], &v[2], line, "range step")) return NULL;
        sv *r = arena_alloc(X->a, sizeof *r);
        r->kind = SV_RANGE;
        r->u.r.lo = v[0];
        r->u.r.hi = v[1];
        r->u.r.step = v[2];
        return r;
    }
    if (strcmp(name, "reshape") == 0 || strcmp(name, "view") == 0) return sym_reshape(f, a[0], a[1], line);
    if (strcmp(name, "broadcast_to") == 0) return sym_broadcast_to(f, a, line);
    if (strcmp(name, "expand_dims") == 0) return sym_expand_dims(f, a, line);
    if (strcmp(name, "len") == 0) {
        if (a[0]->kind == SV_TUPLE) return sv_scalar(X, VC_INT, DT_INT32, true, vt_int(s, a[0]->u.t.n));
        if (a[0]->kind == SV_BLOCK && a[0]->u.b->rank > 0) return sv_scalar(X, VC_INT, DT_INT32, true, a[0]->u.b->shape[0]);
        return fail_at(f, line, "%s", "len() of this value");
    }
    if (strcmp(name, "int") == 0 || strcmp(name, "float") == 0) {
        if (a[0]->kind == SV_STR) {
            if (def->code && (strcmp(a[0]->u.str, "inf") == 0 || strcmp(a[0]->u.str, "-inf") == 0))
                return sv_scalar(X, VC_FLOAT, DT_FLOAT32, true, vt_inf(s, a[0]->u.str[0] == '-' ? -1 : 1));
            double v;
            char *end;
            v = strtod(a[0]->u.str, &end);
            vt_rat q;
            if (*end || !vt_rat_from_double(v, &q)) return fail_at(f, line, "%s() of this string", name);
            return def->code ? sv_scalar(X, VC_FLOAT, DT_FLOAT32, true, vt_real(s, q)) : sv_scalar(X, VC_INT, DT_INT64, true, vt_int(s, q.num / q.den));
        }
        sblock *x = sv_as_block(X, a[0], line, "argument");
        if (!x) return NULL;
        sv *r = op_convert_sv(X, line, a[0], def->code ? VC_FLOAT : VC_INT, def->code ? DT_FLOAT32 : DT_INT64);
        if (r) r->u.b->py = x->py;
        return r;
    }
    return fail_at(f, line, "built-in '%s'", name);
}
