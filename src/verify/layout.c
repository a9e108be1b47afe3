/* layout: between logical indices and storage offsets of a tensor. offset = sum idx_d * stride_d;
 * the inverse is a mixed-radix decomposition with the dimensions ordered outermost first (a
 * dimension is outer when the other's stride divides its stride, as a product of factors):
 * idx_outer = off // stride_outer, then the remainder off % stride_outer for the next one.
 * Callers check that the decomposition is exact (layout_offset(idx) == off) and in bounds;
 * the normalizer turns (pid*B + l) // B into pid when 0 <= l < B.
 * layout_split_offset is the syntactic inverse: it groups the monomials of an offset by the
 * stride that divides them, without divisions. */
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

/* Number of atoms of a monomial (VT_NONE: the constant monomial, 0). */
static int mono_size(nf_ctx *nf, vt_id mono) {
    if (!mono) return 0;
    const vt_node *k = vt_get(nf->s, mono);
    return k->kind == VK_MUL ? k->n : 1;
}

bool layout_split_offset(vctx *X, nf_ctx *nf, int buf, vt_id offset, vt_id *idx) {
    vt_store *s = X->s;
    const vbuf *b = &X->bufs[buf];
    enum { MAXM = 64 };
    nf_mono st[VMAX_RANK][4];
    for (int d = 0; d < b->rank; d++) {
        /* a stride must be one monomial with a positive integer coefficient */
        if (nf_poly(nf, b->stride[d], st[d], 4) != 1) return false;
        if (st[d][0].coef.den != 1 || st[d][0].coef.num <= 0) return false;
    }
    nf_mono m[MAXM], part[VMAX_RANK][MAXM];
    int n = nf_poly(nf, offset, m, MAXM), np[VMAX_RANK] = {0};
    if (n >= MAXM) return false;
    for (int i = 0; i < n; i++) {
        /* the dividing stride with the most atoms (the outermost), then the largest coefficient */
        int best = -1;
        vt_id best_q = VT_NONE;
        for (int d = 0; d < b->rank; d++) {
            if (m[i].coef.den != 1 || m[i].coef.num % st[d][0].coef.num != 0) continue;
            vt_id q = st[d][0].mono ? (m[i].mono ? nf_mono_div(nf, m[i].mono, st[d][0].mono) : VT_NONE) : m[i].mono;
            if (st[d][0].mono && !q) continue;
            if (best >= 0) {
                int a = mono_size(nf, st[d][0].mono), c = mono_size(nf, st[best][0].mono);
                if (a < c || (a == c && st[d][0].coef.num <= st[best][0].coef.num)) continue;
            }
            best = d;
            best_q = q;
        }
        if (best < 0) return false;
        /* nf_mono_div represents the quotient 1 by the constant term 1 */
        int64_t one;
        if (best_q && vt_is_const(s, best_q, &one) && one == 1) best_q = VT_NONE;
        part[best][np[best]++] = (nf_mono){vt_rat_make(m[i].coef.num / st[best][0].coef.num, 1), best_q};
    }
    for (int d = 0; d < b->rank; d++) idx[d] = nf_term(nf, nf_from_poly(nf, VS_INT, part[d], np[d]));
    /* the grouping is exact by construction; checked in normal form all the same */
    return nf_term(nf, layout_offset(X, buf, idx)) == nf_term(nf, offset);
}
