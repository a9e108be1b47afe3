/* patterns_multi: invariant patterns that relate several loop-carried variables (the table is in
 * patterns.c; these are its multi-variable rows):
 *
 *   running-argmax   v = where(c, e(it), v), i = where(c, f(it), i),          v: max(v0, M(n)), M(n) = max(u in 0..n: e(u))
 *                    c = v < e(it)  (max) or e(it) < v (min)                   i: v0 < M(n) ? f(argmax(u in 0..n: e(u))) : i0
 *     tile form      e(it) = max(l in 0..B: G(B*it + l)),                      M(n) = max(k in 0..B*n: G(k))
 *                    f(it) = c0 + B*it + argmax(l in 0..B: G(B*it + l))        i: v0 < M(n) ? c0 + argmax(k in 0..B*n: G(k)) : i0
 *   online-softmax   m = maximum(m, a(it)) (running-max),                    m: max(m0, M(n)), M(n) = max(u in 0..n: a(u))
 *                    z = where(m' == -inf, z, z*exp(m - m') + exp(a(it) - m')) z: m_n == -inf ? z0
 *                    with m' = m's update (also without the guard; matched in      : (z0*exp(m0) + sum(u in 0..n: exp(a(u)))) / exp(m_n)
 *                    normal form against the update built from m's, any m0, z0)
 *                    Preservation is proved by z3 with axioms A4 and F8 (axioms.c); the lane merge
 *                    after the loop (sum of z * exp(m - max m)) uses lemma online-rescale (lemmas.c).
 *   welford          c = c + w(it)  (count: running-sum, or affine-induction w = 1;  c: c_n (its own closed form)
 *                    none: w = 1, c_n = n), m = mean update, q = M2 update with       m: S(n) / max(c_n, 1)
 *                    c0 = m0 = q0 = 0; d = x(it) - m and m' = m's update, one of:     q: Q(n) - S(n) * m_n
 *                      m' = m + w*d/D, m + d/D, (m*c + w*x)/D, (m*c + x)/D,            S(n) = sum(u in 0..n: w(u)*x(u))
 *                      where(w != 0, m + d/D, m)   (D = c' or max(c', 1))             Q(n) = sum(u in 0..n: w(u)*x(u)^2)
 *                      q' = q + (x - m')*d*w, q + (x - m')*d, where(w != 0, .., q)
 *                    (matched in normal form against updates built from these shapes; x is the term
 *                    t in the sub-term t - m of m's or q's update). Preservation is proved by z3
 *                    (the sums peeled by axiom R3; S(0) = 0 by R1); a wrong coefficient fails the
 *                    shape match (and would fail preservation). The merge of the lanes after the
 *                    loop (tl.reduce with a Welford combine function) is not handled yet.
 */
#include "verify/verify_internal.h"
#include <string.h>

static vt_id ph_body(const loop_var *lv) { return lv->ph->u.b->body; }

static bool mentions_any_placeholder(vctx *X, const loop_shape *L, vt_id t) {
    for (int i = 0; i < L->n_vars; i++)
        if (L->vars[i].ph_fn && vt_contains_app(X->s, t, L->vars[i].ph_fn)) return true;
    return false;
}

static sv *closed(vctx *X, const loop_var *lv, vt_id body) {
    sblock *b = arena_alloc(X->a, sizeof *b);
    *b = *lv->init->u.b;
    b->body = body;
    return sv_block(X, b);
}

static vt_id update_body(vctx *X, const loop_shape *L, const loop_var *lv) {
    sblock *ub = blk_broadcast(X, lv->update->u.b, lv->init->u.b->rank, lv->init->u.b->shape, L->line);
    return ub ? ub->body : VT_NONE;
}

/* v = where(c, e, v) with c comparing v and e: returns e and whether it is a max. */
static vt_id match_select(vctx *X, const loop_shape *L, vt_id u, vt_id ph, vt_id *cond, bool *is_max) {
    vt_store *s = X->s;
    const vt_node *k = vt_get(s, u);
    if (k->kind != VK_ITE || k->args[2] != ph) return VT_NONE;
    vt_id c = k->args[0], e = k->args[1];
    if (mentions_any_placeholder(X, L, e)) return VT_NONE;
    const vt_node *ck = vt_get(s, c);
    if (ck->kind != VK_LT) return VT_NONE;
    if (ck->args[0] == ph && ck->args[1] == e) *is_max = true;
    else if (ck->args[0] == e && ck->args[1] == ph) *is_max = false;
    else return VT_NONE;
    *cond = c;
    return e;
}

/* Tile form of a running argmax: e(it) = max(l in 0..B: T(it, l)) and
 * f(it) = c0 + B*it + argmax(l in 0..B: T(it, l)) with T(it, l) = G(B*it + l), i.e. each
 * iteration looks at the next B elements of one sequence G. Then the values seen after n
 * iterations are G(0..B*n) and the closed forms are flat: M(n) = max(k in 0..B*n: G(k)) and
 * index c0 + argmax(k in 0..B*n: G(k)) (both the kernel and argmax keep the first extremal
 * element). Returns false when e and f do not have that form. */
static bool tile_form(vctx *X, const loop_shape *L, vt_id e, vt_id f, bool is_max, vt_id *M, vt_id *A) {
    vt_store *s = X->s;
    const vt_node *ke = vt_get(s, e);
    vt_red_op vop = is_max ? VR_MAX : VR_MIN, aop = is_max ? VR_ARGMAX : VR_ARGMIN;
    if (ke->kind != VK_RED || ke->op != (int)vop || !vt_is_zero(s, ke->args[0])) return false;
    vt_id B = ke->args[1], tbody = ke->args[2];
    if (vt_contains_var(s, B, L->it)) return false;
    vt_id tile_arg = vt_red(s, aop, vt_int(s, 0), B, tbody);
    const vt_node *kf = vt_get(s, f);
    if (kf->kind != VK_ADD) return false;
    bool found = false;
    vt_id rest[16];
    int nr = 0;
    for (int i = 0; i < kf->n && nr < 16; i++) {
        if (!found && kf->args[i] == tile_arg) { found = true; continue; }
        rest[nr++] = kf->args[i];
    }
    if (!found || nr != kf->n - 1) return false;
    nf_ctx nf;
    nf_init(&nf, s);
    /* c0 = f - argmax(...) - B*it must be free of it */
    vt_id c0 = nf_term(&nf, vt_sub(s, vt_addn(s, VS_INT, nr, rest), vt_mul(s, B, L->it)));
    /* G(k) = T(it, k - B*it) must be free of it */
    vt_id kvar = vt_var(s, vx_fresh(X, "k"), VS_INT);
    vt_id G = nf_term(&nf, vt_open(s, tbody, vt_sub(s, kvar, vt_mul(s, B, L->it))));
    nf_free(&nf);
    if (vt_contains_var(s, c0, L->it) || vt_contains_var(s, G, L->it)) return false;
    vt_id hi = vt_mul(s, B, L->count);
    *M = vt_red_over(s, vop, kvar, vt_int(s, 0), hi, G);
    *A = vt_add(s, c0, vt_red_over(s, aop, kvar, vt_int(s, 0), hi, G));
    return true;
}

static bool running_argmax(vctx *X, loop_shape *L) {
    vt_store *s = X->s;
    for (int a = 0; a < L->n_vars; a++) {
        loop_var *va = &L->vars[a];
        if (va->closed || !va->ph_fn || va->update->kind != SV_BLOCK) continue;
        vt_id cond;
        bool is_max;
        vt_id ua = update_body(X, L, va);
        vt_id e = ua ? match_select(X, L, ua, ph_body(va), &cond, &is_max) : VT_NONE;
        if (!e) continue;
        for (int b = 0; b < L->n_vars; b++) {
            loop_var *vb = &L->vars[b];
            if (b == a || vb->closed || !vb->ph_fn || vb->update->kind != SV_BLOCK) continue;
            vt_id ub = update_body(X, L, vb);
            const vt_node *k = ub ? vt_get(s, ub) : NULL;
            if (!k || k->kind != VK_ITE || k->args[0] != cond || k->args[2] != ph_body(vb) || mentions_any_placeholder(X, L, k->args[1]))
                continue;
            vt_id f = k->args[1];
            vt_id M, fA;
            if (!tile_form(X, L, e, f, is_max, &M, &fA)) {
                vt_id uvar = vt_var(s, vx_fresh(X, "u"), VS_INT);
                vt_id eu = vt_subst(s, e, L->it, uvar);
                M = vt_red_over(s, is_max ? VR_MAX : VR_MIN, uvar, vt_int(s, 0), L->count, eu);
                vt_id A = vt_red_over(s, is_max ? VR_ARGMAX : VR_ARGMIN, uvar, vt_int(s, 0), L->count, eu);
                fA = vt_subst(s, f, L->it, A);
            }
            vt_id v0 = va->init->u.b->body, i0 = vb->init->u.b->body;
            vt_id cv = is_max ? vt_ite(s, vt_lt(s, v0, M), M, v0) : vt_ite(s, vt_lt(s, M, v0), M, v0);
            vt_id improved = is_max ? vt_lt(s, v0, M) : vt_lt(s, M, v0);
            vt_id ci = vt_ite(s, improved, fA, i0);
            va->closed = closed(X, va, cv);
            vb->closed = closed(X, vb, ci);
            va->pattern = vb->pattern = "running-argmax";
            vx_note_pattern(X, "running-argmax");
            return true;
        }
    }
    return false;
}

/* ---- online softmax ---- */

/* The update of m when it is a running max: maximum(m, a) or maximum(a, m), a free of
 * placeholders; returns a (NONE otherwise). */
static vt_id running_max_arg(vctx *X, const loop_shape *L, const loop_var *lv) {
    vt_store *s = X->s;
    vt_id u = update_body(X, L, lv);
    const vt_node *k = u ? vt_get(s, u) : NULL;
    if (!k || k->kind != VK_MAX) return VT_NONE;
    vt_id ph = ph_body(lv);
    vt_id a = k->args[0] == ph ? k->args[1] : k->args[1] == ph ? k->args[0] : VT_NONE;
    return a && !mentions_any_placeholder(X, L, a) ? a : VT_NONE;
}

/* z's update is the online rescaling of z by the running max m (update mx = maximum(m, a)):
 * where(mx == -inf, z, z*exp(m - mx) + exp(a - mx)) (guarded) or z*exp(m - mx) + exp(a - mx).
 * Compared in normal form with the update built from m's update, so that only the shape counts. */
static bool is_online_rescale(vctx *X, const loop_shape *L, const loop_var *vz, const loop_var *vm, vt_id a) {
    vt_store *s = X->s;
    vt_id uz = update_body(X, L, vz), mx = update_body(X, L, vm);
    if (!uz || !mx) return false;
    vt_id z = ph_body(vz), m = ph_body(vm);
    vt_id rescaled = vt_add(s, vt_mul(s, z, vx_math(X, MF_EXP, vt_sub(s, m, mx))), vx_math(X, MF_EXP, vt_sub(s, a, mx)));
    vt_id guarded = vt_ite(s, vt_eq(s, mx, vt_inf(s, -1)), z, rescaled);
    nf_ctx nf;
    nf_init(&nf, s);
    vt_id got = nf_term(&nf, uz);
    bool ok = got == nf_term(&nf, guarded) || got == nf_term(&nf, rescaled);
    nf_free(&nf);
    return ok;
}

/* m = maximum(m, a(it)) and z rescaled online: m_n = max(m0, max(u in 0..n: a(u))) (running-max)
 * and z_n = m_n == -inf ? z0 : (z0*exp(m0) + sum(u in 0..n: exp(a(u)))) / exp(m_n): the
 * normaliser of everything seen so far, relative to the running max. A lane that has only seen
 * -inf keeps z0 (the guard; without the guard the kernel computes NaN there and the
 * preservation VC fails unless the max is provably finite). */
static bool online_softmax(vctx *X, loop_shape *L) {
    vt_store *s = X->s;
    bool found = false;
    for (int iz = 0; iz < L->n_vars; iz++) {
        loop_var *vz = &L->vars[iz];
        if (vz->closed || !vz->ph_fn || vz->update->kind != SV_BLOCK || vt_sort_of(s, ph_body(vz)) != VS_REAL) continue;
        for (int im = 0; im < L->n_vars; im++) {
            loop_var *vm = &L->vars[im];
            if (im == iz || !vm->ph_fn || vm->update->kind != SV_BLOCK) continue;
            if (vm->closed && strcmp(vm->pattern, "running-max") != 0) continue;
            vt_id a = running_max_arg(X, L, vm);
            if (!a || !is_online_rescale(X, L, vz, vm, a)) continue;
            vt_id m0 = vm->init->u.b->body, z0 = vz->init->u.b->body;
            vt_id uvar = vt_var(s, vx_fresh(X, "u"), VS_INT);
            vt_id au = vt_subst(s, a, L->it, uvar);
            vt_id mn = vm->closed ? vm->closed->u.b->body
                                  : vt_max(s, m0, vt_red_over(s, VR_MAX, uvar, vt_int(s, 0), L->count, au));
            vt_id S = vt_red_over(s, VR_SUM, uvar, vt_int(s, 0), L->count, vx_math(X, MF_EXP, au));
            vt_id carried = vt_is_zero(s, z0) ? S : vt_add(s, vt_mul(s, z0, vx_math(X, MF_EXP, m0)), S);
            vt_id zn = vt_ite(s, vt_eq(s, mn, vt_inf(s, -1)), z0, vt_div(s, carried, vx_math(X, MF_EXP, mn)));
            if (!vm->closed) {
                vm->closed = closed(X, vm, mn);
                vm->pattern = "running-max";
            }
            vz->closed = closed(X, vz, zn);
            vz->pattern = "online-softmax";
            vx_note_pattern(X, "online-softmax");
            found = true;
            break;
        }
    }
    return found;
}


/* ---- Welford mean / M2 / count ---- */

/* Is t = -1 * ph (normal form of a negated placeholder)? */
static bool is_neg_of(vctx *X, vt_id t, vt_id ph) {
    vt_store *s = X->s;
    const vt_node *k = vt_get(s, t);
    vt_rat q;
    if (k->kind != VK_MUL || k->n != 2) return false;
    int at = k->args[0] == ph ? 0 : k->args[1] == ph ? 1 : -1;
    return at >= 0 && vt_is_rat(s, k->args[1 - at], &q) && q.num == -1 && q.den == 1;
}

/* The value x of a sub-term x - m (x free of placeholders) somewhere in t; NONE if none. */
static vt_id find_delta_value(vctx *X, const loop_shape *L, vt_id t, vt_id ph_m, int depth) {
    vt_store *s = X->s;
    const vt_node *k = vt_get(s, t);
    if (k->n == 0 || depth > 24) return VT_NONE;
    if (k->kind == VK_ADD) {
        int at = -1;
        for (int i = 0; i < k->n; i++)
            if (is_neg_of(X, k->args[i], ph_m)) at = i;
        if (at >= 0 && k->n <= 32) {
            vt_id rest[32];
            int n = 0;
            for (int i = 0; i < k->n; i++)
                if (i != at) rest[n++] = k->args[i];
            vt_id x = vt_addn(s, k->sort, n, rest);
            if (!mentions_any_placeholder(X, L, x)) return x;
        }
    }
    for (int i = 0; i < vt_get(s, t)->n; i++) {   /* making terms may move the node array */
        vt_id r = find_delta_value(X, L, vt_get(s, t)->args[i], ph_m, depth + 1);
        if (r) return r;
    }
    return VT_NONE;
}

static bool nf_same(nf_ctx *nf, vt_id got, const vt_id *cands, int n) {
    vt_id g = nf_term(nf, got);
    for (int i = 0; i < n; i++)
        if (cands[i] && nf_term(nf, cands[i]) == g) return true;
    return false;
}

/* m's update is a Welford mean update of m with value x, weight w (Real), old count c and new
 * count c1 (Real terms), for one of the shapes in the table above. */
static bool is_mean_update(vctx *X, nf_ctx *nf, vt_id um, vt_id m, vt_id x, vt_id w, vt_id c, vt_id c1, vt_id c1_int,
                           bool unit_w) {
    vt_store *s = X->s;
    vt_id one = vt_real_int(s, 1);
    /* the guard max(c', 1) taken on the integer count or on its conversion */
    vt_id Ds[3] = {c1, vt_max(s, c1, one), c1_int ? vt_toreal(s, vt_max(s, c1_int, vt_int(s, 1))) : VT_NONE};
    vt_id d = vt_sub(s, x, m);
    for (int i = 0; i < 3; i++) {
        if (!Ds[i]) continue;
        vt_id D = Ds[i];
        vt_id plain = vt_add(s, m, vt_div(s, d, D));
        vt_id cands[5] = {vt_add(s, m, vt_div(s, vt_mul(s, w, d), D)), vt_div(s, vt_add(s, vt_mul(s, m, c), vt_mul(s, w, x)), D),
                          vt_ite(s, vt_ne(s, w, vt_real_int(s, 0)), plain, m), unit_w ? plain : VT_NONE,
                          /* x itself zero where w is (a masked load with other=0): checked by preservation */
                          vt_div(s, vt_add(s, vt_mul(s, m, c), x), D)};
        if (nf_same(nf, um, cands, 5)) return true;
    }
    return false;
}

static bool is_m2_update(vctx *X, nf_ctx *nf, vt_id uq, vt_id q, vt_id m, vt_id um, vt_id x, vt_id w, bool unit_w) {
    vt_store *s = X->s;
    vt_id prod = vt_mul(s, vt_sub(s, x, um), vt_sub(s, x, m));
    vt_id plain = vt_add(s, q, prod);
    vt_id cands[3] = {vt_add(s, q, vt_mul(s, prod, w)), vt_ite(s, vt_ne(s, w, vt_real_int(s, 0)), plain, q), unit_w ? plain : VT_NONE};
    return nf_same(nf, uq, cands, 3);
}

static bool zero_init(vctx *X, const loop_var *lv) {
    vt_rat q;
    return vt_is_rat(X->s, lv->init->u.b->body, &q) && q.num == 0;
}

/* Tries m = vars[im], q = vars[iq] with count vars[ic] (ic < 0: no count variable, w = 1). */
static bool welford_triple(vctx *X, loop_shape *L, nf_ctx *nf, int ic, int im, int iq) {
    vt_store *s = X->s;
    loop_var *vm = &L->vars[im], *vq = &L->vars[iq], *vc = ic >= 0 ? &L->vars[ic] : NULL;
    vt_id m = ph_body(vm), q = ph_body(vq);
    vt_id um = update_body(X, L, vm), uq = update_body(X, L, vq);
    if (!um || !uq) return false;
    vt_id c_at_it, c_at_next, w, c_closed;
    if (vc) {
        /* the count: its closed form was found by running-sum / affine-induction */
        c_closed = vc->closed->u.b->body;
        c_at_it = vt_subst(s, c_closed, L->count, L->it);
        vt_id uc = update_body(X, L, vc);
        if (!uc) return false;
        w = nf_term(nf, vt_sub(s, uc, ph_body(vc)));
        if (mentions_any_placeholder(X, L, w) || vt_sort_of(s, w) == VS_BOOL) return false;
        c_at_next = nf_term(nf, vt_add(s, c_at_it, w));   /* the count's update, as the kernel writes it */
    } else {
        c_closed = L->count;
        c_at_it = L->it;
        c_at_next = vt_add(s, L->it, vt_int(s, 1));
        w = vt_int(s, 1);
    }
    vt_id wr = nf_term(nf, vt_sort_of(s, w) == VS_REAL ? w : vt_toreal(s, w));
    vt_rat wq;
    bool unit_w = vt_is_rat(s, wr, &wq) && wq.num == 1 && wq.den == 1;
    vt_id cr = vt_sort_of(s, c_at_it) == VS_REAL ? c_at_it : vt_toreal(s, c_at_it);
    vt_id c1r = vt_sort_of(s, c_at_next) == VS_REAL ? c_at_next : vt_toreal(s, c_at_next);
    /* the placeholders of the count in the updates are its closed form at `it` */
    if (vc) {
        vt_id params[VMAX_RANK];
        int n = 0;
        const sblock *cb = vc->init->u.b;
        for (int d = 0; d < cb->rank; d++) {
            int64_t one;
            if (vt_is_const(s, cb->shape[d], &one) && one == 1) continue;
            params[n++] = vx_lane(X, d);
        }
        um = subst_fn(X, um, vc->ph_fn, n, params, c_at_it);
        uq = subst_fn(X, uq, vc->ph_fn, n, params, c_at_it);
    }
    vt_id x = find_delta_value(X, L, um, m, 0);
    if (!x) x = find_delta_value(X, L, uq, m, 0);
    if (!x || vt_sort_of(s, x) != VS_REAL) return false;
    if (!is_mean_update(X, nf, um, m, x, wr, cr, c1r, vt_sort_of(s, c_at_next) == VS_INT ? c_at_next : VT_NONE, unit_w)) return false;
    if (!is_m2_update(X, nf, uq, q, m, um, x, wr, unit_w)) return false;
    vt_id uvar = vt_var(s, vx_fresh(X, "u"), VS_INT);
    vt_id wx = vt_subst(s, unit_w ? x : vt_mul(s, wr, x), L->it, uvar);
    vt_id wxx = vt_subst(s, unit_w ? vt_mul(s, x, x) : vt_mul(s, wr, vt_mul(s, x, x)), L->it, uvar);
    vt_id S = vt_red_over(s, VR_SUM, uvar, vt_int(s, 0), L->count, wx);
    vt_id uvar2 = vt_var(s, vx_fresh(X, "u"), VS_INT);
    vt_id Q = vt_red_over(s, VR_SUM, uvar2, vt_int(s, 0), L->count, vt_subst(s, wxx, uvar, uvar2));
    vt_id cn = vt_sort_of(s, c_closed) == VS_REAL ? c_closed : vt_toreal(s, c_closed);
    vt_id mn = vt_div(s, S, vt_max(s, cn, vt_real_int(s, 1)));
    vt_id qn = vt_sub(s, Q, vt_mul(s, S, mn));
    vm->closed = closed(X, vm, mn);
    vq->closed = closed(X, vq, qn);
    vm->pattern = vq->pattern = "welford";
    vx_note_pattern(X, "welford");
    return true;
}

static bool is_count_candidate(vctx *X, const loop_var *lv) {
    if (!lv->ph_fn || !lv->closed || !lv->pattern || !zero_init(X, lv)) return false;
    return strcmp(lv->pattern, "running-sum") == 0 || strcmp(lv->pattern, "affine-induction") == 0;
}

/* Mean m and M2 q (real, carried, zero before the loop, no closed form yet), with a count c among
 * the variables with running-sum / affine-induction closed forms (or none). */
static bool welford(vctx *X, loop_shape *L) {
    vt_store *s = X->s;
    bool found = false;
    nf_ctx nf;
    nf_init(&nf, s);
    for (int im = 0; im < L->n_vars; im++) {
        loop_var *vm = &L->vars[im];
        if (vm->closed || !vm->ph_fn || vm->update->kind != SV_BLOCK || vt_sort_of(s, ph_body(vm)) != VS_REAL || !zero_init(X, vm)) continue;
        for (int iq = 0; iq < L->n_vars && !vm->closed; iq++) {
            loop_var *vq = &L->vars[iq];
            if (iq == im || vq->closed || !vq->ph_fn || vq->update->kind != SV_BLOCK || vt_sort_of(s, ph_body(vq)) != VS_REAL ||
                !zero_init(X, vq))
                continue;
            for (int ic = -1; ic < L->n_vars; ic++) {
                if (ic >= 0 && (ic == im || ic == iq || !is_count_candidate(X, &L->vars[ic]))) continue;
                if (welford_triple(X, L, &nf, ic, im, iq)) { found = true; break; }
            }
        }
    }
    nf_free(&nf);
    return found;
}

bool patterns_multi(vctx *X, loop_shape *L, char *why, int why_size) {
    (void)why;
    (void)why_size;
    for (int round = 0; round < 4; round++)
        if (!running_argmax(X, L)) break;
    online_softmax(X, L);
    welford(X, L);
    return true;
}
