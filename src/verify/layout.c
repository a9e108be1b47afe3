/* layout: between logical indices and storage offsets of a tensor. offset = sum idx_d * stride_d;
 * the inverse is a mixed-radix decomposition with the dimensions ordered outermost first (a
 * dimension is outer when the other's stride divides its stride, as a product of factors):
 * idx_outer = off // stride_outer, then the remainder off % stride_outer for the next one.
 * Callers check that the decomposition is exact (layout_offset(idx) == off) and in bounds;
 * the normalizer turns (pid*B + l) // B into pid when 0 <= l < B. */
#include "verify/verify_internal.h"
#include <string.h>

vt_id layout_offset(vctx *X, int buf, const vt_id *idx) {
    vt_store *s = X->s;
    const vbuf *b = &X->bufs[buf];
    vt_id off = vt_int(s, 0);
    for (int d = 0; d < b->rank; d++) off = vt_add(s, off, vt_mul(s, vt_convert(s, idx[d], VS_INT), b->stride[d]));
    return off;
}

/* Does stride b divide stride a (as monomials)? */
static bool divides(nf_ctx *nf, vt_id a, vt_id b) {
    nf_mono ma[4], mb[4];
    int na = nf_poly(nf, a, ma, 4), nb = nf_poly(nf, b, mb, 4);
    if (na != 1 || nb != 1) return false;
    if (ma[0].coef.den != 1 || mb[0].coef.den != 1 || mb[0].coef.num == 0 || ma[0].coef.num % mb[0].coef.num != 0) return false;
    if (!mb[0].mono) return true;
    if (!ma[0].mono) return false;
    return nf_mono_div(nf, ma[0].mono, mb[0].mono) != VT_NONE;
}

bool layout_index(vctx *X, nf_ctx *nf, int buf, vt_id offset, vt_id *idx) {
    vt_store *s = X->s;
    const vbuf *b = &X->bufs[buf];
    int order[VMAX_RANK], n = 0;
    for (int d = 0; d < b->rank; d++) {
        int64_t one;
        if (vt_is_const(s, b->shape[d], &one) && one == 1) { idx[d] = vt_int(s, 0); continue; }
        int64_t st;
        if (vt_is_const(s, nf_term(nf, b->stride[d]), &st) && st == 0) return false;   /* a broadcast view */
        order[n++] = d;
    }
    /* outermost first: selection by divisibility */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            vt_id si = b->stride[order[i]], sj = b->stride[order[j]];
            bool j_outer = divides(nf, sj, si) && !divides(nf, si, sj);
            if (j_outer) { int t = order[i]; order[i] = order[j]; order[j] = t; }
        }
    for (int i = 0; i + 1 < n; i++)
        if (!divides(nf, b->stride[order[i]], b->stride[order[i + 1]])) return false;
    vt_id rem = offset;
    for (int i = 0; i < n; i++) {
        vt_id st = b->stride[order[i]];
        idx[order[i]] = nf_term(nf, vt_fdiv(s, rem, st));
        rem = nf_term(nf, vt_fmod(s, rem, st));
    }
    return true;
}
