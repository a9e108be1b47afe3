/* memory_ops: tl.load, tl.store, tl.make_block_ptr and tl.advance — the only built-ins that
 * touch buffers. Every active lane is bounds-checked against its buffer (an unmasked access
 * outside it is a kernel bug and is reported with the kernel line); masked-off lanes take
 * `other` or an unspecified value; stores record which program wrote each element so that two
 * programs storing different values to one element are reported. */
#include "exec/interp.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static bool is_none(const pyval *v) { return !v || v->kind == PV_NONE; }

static void describe_element(const exec_buffer *b, int64_t off, char *buf, int size) {
    int64_t idx[MAX_RANK];
    if (b->rank > 0 && exec_buffer_logical_index(b, off, idx)) {
        exec_buffer_format_element(b, idx, buf, size);
    } else {
        snprintf(buf, (size_t)size, "%s (element offset %lld)", b->name, (long long)off);
    }
}

static exec_buffer *checked_buffer(interp *I, const ast_expr *site, elem p, const char *what) {
    if (p.buf < 0 || p.buf >= I->mem->n) {
        interp_fail_at(I, DIAG_RUNTIME, site, "%s through an invalid pointer", what);
        return NULL;
    }
    exec_buffer *b = I->mem->buffers[p.buf];
    if (p.u.i < 0 || p.u.i >= b->storage) {
        interp_fail_at(I, DIAG_RUNTIME, site, "out-of-bounds %s of '%s': element offset %lld is outside [0, %lld)",
                       what, b->name, (long long)p.u.i, (long long)b->storage);
        return NULL;
    }
    return b;
}

static elem read_element(interp *I, exec_buffer *b, int64_t off) {
    if (!b->defined[off]) return I->dom->ops->unspecified(I->dom, b->ty);
    return b->data[off];
}

static bool same_lane(elem a, elem b, vclass cls) {
    if (a.sym != b.sym) return false;
    if (a.sym) return a.u.t == b.u.t;
    if (cls == VC_FLOAT) return a.u.f == b.u.f || (isnan(a.u.f) && isnan(b.u.f));
    return a.u.i == b.u.i;
}

static bool write_element(interp *I, const ast_expr *site, exec_buffer *b, int64_t off, elem v) {
    int32_t w = b->writer[off];
    if (w && w != I->program_linear && b->defined[off] && !same_lane(b->data[off], v, b->ty.cls)) {
        char where[96];
        describe_element(b, off, where, sizeof where);
        interp_fail_at(I, DIAG_RUNTIME, site, "write conflict: programs %d and %d store different values to %s",
                       w - 1, I->program_linear - 1, where);
        return false;
    }
    b->writer[off] = I->program_linear;
    b->data[off] = v;
    b->defined[off] = 1;
    return true;
}

/* Mask lane as a concrete bool; data-dependent masks are not modelled. */
static bool mask_lane(interp *I, const ast_expr *site, block *mask, int64_t k, bool *on) {
    if (!mask) { *on = true; return true; }
    elem m = mask->data[k];
    int64_t v;
    if (mask->ty.cls == VC_FLOAT && !m.sym) { *on = m.u.f != 0; return true; }
    if (!I->dom->ops->concrete_int(I->dom, mask->ty.cls, m, &v)) {
        interp_fail_at(I, DIAG_UNSUPPORTED, site, "memory access with a mask that depends on input data");
        return false;
    }
    *on = v != 0;
    return true;
}

/* ---- block pointers ---- */

static bool get_int_tuple(interp *I, const ast_expr *site, pyval *v, int64_t *out, int n, const char *what) {
    int got = pv_int_list(I, site, v, out, MAX_RANK, what);
    if (got < 0) return false;
    if (got != n) {
        interp_fail_at(I, DIAG_ERROR, site, "%s has %d entries, expected %d", what, got, n);
        return false;
    }
    return true;
}

pyval *bi_make_block_ptr(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[6];
    if (!builtin_bind(I, def, args, a, 6)) return NULL;
    block *base = as_block(I, a[0], args->site, "block pointer base");
    if (!base) return NULL;
    if (base->ty.cls != VC_PTR || base->n != 1) return interp_fail_at(I, DIAG_ERROR, args->site, "make_block_ptr base must be a scalar pointer");
    block_ptr *bp = arena_alloc(I->arena, sizeof *bp);
    bp->base = base->data[0];
    bp->ty = base->ty;
    int64_t shape[MAX_RANK];
    int rank = pv_int_list(I, args->site, a[1], shape, MAX_RANK, "block pointer shape");
    if (rank < 0) return NULL;
    bp->rank = rank;
    int64_t order[MAX_RANK];
    if (!get_int_tuple(I, args->site, a[2], bp->strides, rank, "strides") ||
        !get_int_tuple(I, args->site, a[3], bp->offsets, rank, "offsets") ||
        !get_int_tuple(I, args->site, a[4], bp->block_shape, rank, "block_shape") ||
        !get_int_tuple(I, args->site, a[5], order, rank, "order"))
        return NULL;
    for (int d = 0; d < rank; d++) {
        bp->shape[d] = shape[d];
        bp->order[d] = (int)order[d];
        if (bp->block_shape[d] <= 0) return interp_fail_at(I, DIAG_ERROR, args->site, "block_shape entries must be positive");
    }
    pyval *v = arena_alloc(I->arena, sizeof *v);
    v->kind = PV_BLOCKPTR;
    v->u.bptr = bp;
    return v;
}

pyval *bi_advance(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[2];
    if (!builtin_bind(I, def, args, a, 2)) return NULL;
    if (a[0]->kind != PV_BLOCKPTR) return interp_fail_at(I, DIAG_ERROR, args->site, "advance() needs a block pointer");
    block_ptr *bp = arena_alloc(I->arena, sizeof *bp);
    *bp = *a[0]->u.bptr;
    int64_t delta[MAX_RANK];
    if (!get_int_tuple(I, args->site, a[1], delta, bp->rank, "advance offsets")) return NULL;
    for (int d = 0; d < bp->rank; d++) bp->offsets[d] += delta[d];
    pyval *v = arena_alloc(I->arena, sizeof *v);
    v->kind = PV_BLOCKPTR;
    v->u.bptr = bp;
    return v;
}

/* Which dimensions boundary_check names (a bit per dimension). */
static bool boundary_dims(interp *I, const ast_expr *site, pyval *v, int rank, unsigned *bits) {
    *bits = 0;
    if (is_none(v)) return true;
    int64_t dims[MAX_RANK];
    int n = v->kind == PV_TUPLE && v->u.tuple.n == 0 ? 0 : pv_int_list(I, site, v, dims, MAX_RANK, "boundary_check");
    if (n < 0) return false;
    for (int i = 0; i < n; i++) {
        if (dims[i] < 0 || dims[i] >= rank) {
            interp_fail_at(I, DIAG_ERROR, site, "boundary_check dimension %lld out of range", (long long)dims[i]);
            return false;
        }
        *bits |= 1u << dims[i];
    }
    return true;
}

/* For lane k of a block pointer: in-bounds on the checked dims, and its element pointer. */
static bool bptr_lane(const block_ptr *bp, unsigned checked, int64_t k, elem *ptr) {
    int64_t off = bp->base.u.i;
    bool inside = true;
    for (int d = bp->rank - 1; d >= 0; d--) {
        int64_t j = k % bp->block_shape[d];
        k /= bp->block_shape[d];
        int64_t c = bp->offsets[d] + j;
        if ((checked >> d) & 1u && (c < 0 || c >= bp->shape[d])) inside = false;
        off += c * bp->strides[d];
    }
    *ptr = bp->base;
    ptr->u.i = off;
    return inside;
}

static pyval *load_block_ptr(interp *I, const ast_expr *site, block_ptr *bp, pyval *boundary, pyval *padding) {
    unsigned checked;
    if (!boundary_dims(I, site, boundary, bp->rank, &checked)) return NULL;
    vtype t = vtype_of_dtype(bp->ty.dtype);
    enum { PAD_NONE, PAD_ZERO, PAD_NAN } pad = PAD_NONE;
    if (!is_none(padding)) {
        if (padding->kind != PV_STR) return interp_fail_at(I, DIAG_ERROR, site, "padding_option must be a string");
        if (strcmp(padding->u.str, "zero") == 0) pad = PAD_ZERO;
        else if (strcmp(padding->u.str, "nan") == 0) pad = PAD_NAN;
        else if (padding->u.str[0]) return interp_fail_at(I, DIAG_ERROR, site, "unknown padding_option '%s'", padding->u.str);
    }
    block *out = block_new(I->arena, t, bp->rank, bp->block_shape);
    if (!interp_tick(I, site, 1)) return NULL;
    for (int64_t k = 0; k < out->n; k++) {
        elem p;
        if (!bptr_lane(bp, checked, k, &p)) {
            if (pad == PAD_ZERO) out->data[k] = t.cls == VC_FLOAT ? elem_float(0) : elem_int(0);
            else if (pad == PAD_NAN && t.cls == VC_FLOAT) out->data[k] = elem_float(NAN);
            else out->data[k] = I->dom->ops->unspecified(I->dom, t);
            continue;
        }
        exec_buffer *b = checked_buffer(I, site, p, "load");
        if (!b) return NULL;
        out->data[k] = read_element(I, b, p.u.i);
    }
    return pv_block(I->arena, out);
}

pyval *bi_load(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[8];
    if (!builtin_bind(I, def, args, a, 8)) return NULL;
    const ast_expr *site = args->site;
    if (a[0]->kind == PV_BLOCKPTR) {
        if (!is_none(a[1])) return interp_fail_at(I, DIAG_ERROR, site, "a block-pointer load takes boundary_check, not mask");
        return load_block_ptr(I, site, a[0]->u.bptr, a[3], a[4]);
    }
    block *ptr = as_block(I, a[0], site, "load pointer");
    if (!ptr) return NULL;
    if (ptr->ty.cls != VC_PTR) return interp_fail_at(I, DIAG_ERROR, site, "load from a value that is not a pointer");
    if (!is_none(a[3])) return interp_fail_at(I, DIAG_ERROR, site, "boundary_check needs a block pointer");
    block *mask = is_none(a[1]) ? NULL : as_block(I, a[1], site, "load mask");
    if (!is_none(a[1]) && !mask) return NULL;
    vtype t = vtype_of_dtype(ptr->ty.dtype);
    block *other = NULL;
    if (!is_none(a[2])) {
        pyval *o = op_convert(I, site, a[2], t);
        if (!o) return NULL;
        other = o->u.blk;
    }
    /* Common shape of pointer, mask and other. */
    int rank = ptr->rank;
    int64_t shape[MAX_RANK];
    for (int i = 0; i < rank; i++) shape[i] = ptr->shape[i];
    block *parts[2] = {mask, other};
    for (int p = 0; p < 2; p++) {
        if (!parts[p]) continue;
        int r;
        int64_t s[MAX_RANK];
        if (!shape_broadcast(rank, shape, parts[p]->rank, parts[p]->shape, &r, s) || r > MAX_RANK)
            return interp_fail_at(I, DIAG_ERROR, site, "load %s does not broadcast with the pointer", p ? "other" : "mask");
        rank = r;
        memcpy(shape, s, sizeof s);
    }
    ptr = broadcast_to(I, site, ptr, rank, shape);
    if (ptr && mask) mask = broadcast_to(I, site, mask, rank, shape);
    if (ptr && other) other = broadcast_to(I, site, other, rank, shape);
    if (!ptr || (a[1] && !is_none(a[1]) && !mask) || (a[2] && !is_none(a[2]) && !other)) return NULL;
    if (!interp_tick(I, site, 1)) return NULL;
    block *out = block_new(I->arena, t, rank, shape);
    for (int64_t k = 0; k < out->n; k++) {
        bool on;
        if (!mask_lane(I, site, mask, k, &on)) return NULL;
        if (!on) {
            out->data[k] = other ? other->data[k] : I->dom->ops->unspecified(I->dom, t);
            continue;
        }
        exec_buffer *b = checked_buffer(I, site, ptr->data[k], mask ? "masked load" : "load");
        if (!b) return NULL;
        out->data[k] = read_element(I, b, ptr->data[k].u.i);
    }
    return pv_block(I->arena, out);
}

static pyval *store_block_ptr(interp *I, const ast_expr *site, block_ptr *bp, pyval *value, pyval *boundary) {
    unsigned checked;
    if (!boundary_dims(I, site, boundary, bp->rank, &checked)) return NULL;
    vtype t = vtype_of_dtype(bp->ty.dtype);
    pyval *cv = op_convert(I, site, value, t);
    block *v = cv ? broadcast_to(I, site, cv->u.blk, bp->rank, bp->block_shape) : NULL;
    if (!v || !interp_tick(I, site, 1)) return NULL;
    for (int64_t k = 0; k < v->n; k++) {
        elem p;
        if (!bptr_lane(bp, checked, k, &p)) continue;
        exec_buffer *b = checked_buffer(I, site, p, "store");
        if (!b || !write_element(I, site, b, p.u.i, v->data[k])) return NULL;
    }
    return pv_none(I->arena);
}

pyval *bi_store(interp *I, const builtin_def *def, pyval *self, call_args *args) {
    (void)self;
    pyval *a[6];
    if (!builtin_bind(I, def, args, a, 6)) return NULL;
    const ast_expr *site = args->site;
    if (a[0]->kind == PV_BLOCKPTR) {
        if (!is_none(a[2])) return interp_fail_at(I, DIAG_ERROR, site, "a block-pointer store takes boundary_check, not mask");
        return store_block_ptr(I, site, a[0]->u.bptr, a[1], a[3]);
    }
    block *ptr = as_block(I, a[0], site, "store pointer");
    if (!ptr) return NULL;
    if (ptr->ty.cls != VC_PTR) return interp_fail_at(I, DIAG_ERROR, site, "store to a value that is not a pointer");
    if (!is_none(a[3])) return interp_fail_at(I, DIAG_ERROR, site, "boundary_check needs a block pointer");
    vtype t = vtype_of_dtype(ptr->ty.dtype);
    pyval *cv = op_convert(I, site, a[1], t);
    if (!cv) return NULL;
    block *val = cv->u.blk;
    block *mask = is_none(a[2]) ? NULL : as_block(I, a[2], site, "store mask");
    if (!is_none(a[2]) && !mask) return NULL;
    /* The pointer's shape rules: value and mask broadcast to it (Triton broadcasts the pointer
     * too when the value is larger). */
    int rank = ptr->rank;
    int64_t shape[MAX_RANK];
    for (int i = 0; i < rank; i++) shape[i] = ptr->shape[i];
    block *parts[2] = {val, mask};
    for (int p = 0; p < 2; p++) {
        if (!parts[p]) continue;
        int r;
        int64_t s[MAX_RANK];
        if (!shape_broadcast(rank, shape, parts[p]->rank, parts[p]->shape, &r, s) || r > MAX_RANK)
            return interp_fail_at(I, DIAG_ERROR, site, "store %s does not broadcast with the pointer", p ? "mask" : "value");
        rank = r;
        memcpy(shape, s, sizeof s);
    }
    ptr = broadcast_to(I, site, ptr, rank, shape);
    val = ptr ? broadcast_to(I, site, val, rank, shape) : NULL;
    if (val && mask) mask = broadcast_to(I, site, mask, rank, shape);
    if (!ptr || !val || (!is_none(a[2]) && !mask)) return NULL;
    if (!interp_tick(I, site, 1)) return NULL;
    for (int64_t k = 0; k < ptr->n; k++) {
        bool on;
        if (!mask_lane(I, site, mask, k, &on)) return NULL;
        if (!on) continue;
        exec_buffer *b = checked_buffer(I, site, ptr->data[k], mask ? "masked store" : "store");
        if (!b || !write_element(I, site, b, ptr->data[k].u.i, val->data[k])) return NULL;
    }
    return pv_none(I->arena);
}
