/* patterns: the library of loop-invariant patterns. A loop with a symbolic trip count is walked
 * once for a symbolic iteration `it` with placeholders ph(lanes) for the loop-carried values
 * (vcgen.c); each pattern looks at the shape of the update (the carried value at the end of the
 * body, over placeholders and `it`) and proposes a closed form: the value after `count`
 * iterations. vcgen.c then emits the VCs init (closed form at 0 = value before the loop) and
 * preservation (closed form at it + 1 = the body applied to the closed form at it); the value
 * after the loop is the closed form at the trip count.
 *
 *   name                 loop shape (update of a carried v; e free of placeholders)      closed form after n iterations
 *   invariant            v = v                                                            v0
 *   affine-induction     v = v + c          (c free of `it`: pointers, offsets, counters) v0 + n*c
 *   running-sum          v = v + e(it)      (also where(m, v + e, v): e := where(m, e, 0)) v0 + sum(u in 0..n: e(u))
 *   running-product      v = v * e(it)                                                    v0 * prod(u in 0..n: e(u))
 *   running-max          v = maximum(v, e(it)) or maximum(e(it), v)                       max(v0, max(u in 0..n: e(u)))
 *   running-min          v = minimum(v, e(it)) ...                                        min(v0, min(u in 0..n: e(u)))
 *   overwritten          v = e(it)          (e free of placeholders: v is not read)       n == 0 ? v0 : e(n - 1)
 *
 * Per-lane block accumulators (acc[BLOCK_M, BLOCK_N] += tile), grid-stride loops (no carried
 * values: `it` is just another quantified variable of the stores), matmul partial products
 * (acc += dot(a, b): a running sum whose e is itself a sum over the K tile) and masked last
 * iterations are instances of these shapes; reductions of the accumulator after the loop are
 * handled by the tiling lemmas (lemmas.c).
 *
 * Ablation `no_patterns` (verify_options.no_patterns): only the generic prefix template
 * (running-sum, the Tenspiler-style "v == F(prefix)") and invariant remain. */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

/* Replaces every fn(args) in t by body[params := args]. */
typedef struct fsub { vctx *X; const char *fn; int n; const vt_id *params; vt_id body; vt_id *key, *val; size_t cap, cnt; } fsub;

static bool fs_get(fsub *f, vt_id k, vt_id *v) {
    if (!f->cap) return false;
    size_t j = (k * 2654435761u) & (f->cap - 1);
    while (f->key[j]) {
        if (f->key[j] == k) { *v = f->val[j]; return true; }
        j = (j + 1) & (f->cap - 1);
    }
    return false;
}

static void fs_put(fsub *f, vt_id k, vt_id v) {
    if (f->cnt * 2 >= f->cap) {
        vt_id *ok = f->key, *ov = f->val;
        size_t oc = f->cap;
        f->cap = oc ? oc * 2 : 256;
        f->key = xcalloc(f->cap, sizeof *f->key);
        f->val = xcalloc(f->cap, sizeof *f->val);
        f->cnt = 0;
        for (size_t i = 0; i < oc; i++)
            if (ok[i]) fs_put(f, ok[i], ov[i]);
        free(ok);
        free(ov);
    }
    size_t j = (k * 2654435761u) & (f->cap - 1);
    while (f->key[j] && f->key[j] != k) j = (j + 1) & (f->cap - 1);
    if (!f->key[j]) f->cnt++;
    f->key[j] = k;
    f->val[j] = v;
}

static vt_id fs_rec(fsub *f, vt_id t) {
    vt_store *s = f->X->s;
    const vt_node *k = vt_get(s, t);
    if (k->n == 0) return t;
    vt_id r;
    if (fs_get(f, t, &r)) return r;
    int n = k->n;
    vt_id buf[16], *a = n <= 16 ? buf : xcalloc((size_t)n, sizeof *a);
    bool changed = false;
    for (int i = 0; i < n; i++) {
        a[i] = fs_rec(f, vt_get(s, t)->args[i]);
        changed = changed || a[i] != vt_get(s, t)->args[i];
    }
    k = vt_get(s, t);
    if (k->kind == VK_APP && k->name == vt_intern(s, f->fn)) {
        /* args are relative to this position; the substitution shifts them under body's binders */
        r = vt_subst_many(s, f->body, n < f->n ? n : f->n, f->params, a);
    } else {
        r = changed ? vt_rebuild(s, t, n, a) : t;
    }
    if (a != buf) free(a);
    fs_put(f, t, r);
    return r;
}

vt_id subst_fn(vctx *X, vt_id t, const char *fn, int n_params, const vt_id *params, vt_id body) {
    fsub f = {X, fn, n_params, params, body, NULL, NULL, 0, 0};
    vt_id r = fs_rec(&f, t);
    free(f.key);
    free(f.val);
    return r;
}

/* The lanes a placeholder of this block takes (dimensions of size 1 have none). */
static int ph_params(vctx *X, const sblock *b, vt_id *out) {
    int n = 0;
    for (int d = 0; d < b->rank; d++) {
        int64_t one;
        if (vt_is_const(X->s, b->shape[d], &one) && one == 1) continue;
        out[n++] = vx_lane(X, d);
    }
    return n;
}

vt_id loop_instantiate(vctx *X, const loop_shape *L, vt_id t, vt_id at) {
    for (int i = 0; i < L->n_vars; i++) {
        const loop_var *lv = &L->vars[i];
        if (!lv->ph_fn || !lv->closed) continue;
        vt_id params[VMAX_RANK];
        int n = ph_params(X, lv->init->u.b, params);
        vt_id body = vt_subst(X->s, lv->closed->u.b->body, L->count, at);
        t = subst_fn(X, t, lv->ph_fn, n, params, body);
    }
    return t;
}

/* ---- matching helpers ---- */

static bool mentions_placeholder(vctx *X, const loop_shape *L, vt_id t) {
    for (int i = 0; i < L->n_vars; i++)
        if (L->vars[i].ph_fn && vt_contains_app(X->s, t, L->vars[i].ph_fn)) return true;
    return false;
}

static vt_id ph_term(vctx *X, const loop_var *lv) {
    vt_id params[VMAX_RANK];
    int n = ph_params(X, lv->init->u.b, params);
    return lv->ph->u.b->body;
    (void)n;
}

static sv *closed_block(vctx *X, const loop_var *lv, vt_id body) {
    sblock *b = arena_alloc(X->a, sizeof *b);
    *b = *lv->init->u.b;
    b->body = body;
    return sv_block(X, b);
}

static vt_id identity(vctx *X, vt_red_op op, vt_sort sort) {
    vt_store *s = X->s;
    switch (op) {
    case VR_SUM: return vt_convert(s, vt_int(s, 0), sort);
    case VR_PROD: return vt_convert(s, vt_int(s, 1), sort);
    case VR_MAX: return sort == VS_REAL ? vt_inf(s, -1) : VT_NONE;
    case VR_MIN: return sort == VS_REAL ? vt_inf(s, 1) : VT_NONE;
    default: return VT_NONE;
    }
}

/* update = op(ph, e) with e free of placeholders? Returns e (or NONE). Handles the masked form
 * where(m, op(ph, e), ph) as op(ph, where(m, e, identity)). */
static vt_id match_running(vctx *X, const loop_shape *L, vt_id update, vt_id ph, vt_red_op op) {
    vt_store *s = X->s;
    const vt_node *k = vt_get(s, update);
    if (k->kind == VK_ITE && k->args[2] == ph) {
        vt_id c = k->args[0], inner = match_running(X, L, k->args[1], ph, op);
        vt_id id = inner ? identity(X, op, vt_sort_of(s, inner)) : VT_NONE;
        if (!inner || !id || mentions_placeholder(X, L, c)) return VT_NONE;
        return vt_ite(s, c, inner, id);
    }
    vt_kind want = op == VR_SUM ? VK_ADD : op == VR_PROD ? VK_MUL : op == VR_MAX ? VK_MAX : VK_MIN;
    if (k->kind != want) return VT_NONE;
    if (op == VR_MAX || op == VR_MIN) {
        vt_id other = k->args[0] == ph ? k->args[1] : k->args[1] == ph ? k->args[0] : VT_NONE;
        if (!other || mentions_placeholder(X, L, other)) return VT_NONE;
        /* maximum(e, v) = maximum(v, e) unless one is NaN; the preservation VC checks the form */
        return other;
    }
    /* n-ary sum/product: ph exactly once, the rest free of placeholders */
    int at = -1;
    for (int i = 0; i < k->n; i++)
        if (k->args[i] == ph) { if (at >= 0) return VT_NONE; at = i; }
    if (at < 0) return VT_NONE;
    vt_id rest[64];
    int n = 0;
    for (int i = 0; i < k->n && n < 64; i++)
        if (i != at) rest[n++] = k->args[i];
    vt_id e = op == VR_SUM ? vt_addn(s, k->sort, n, rest) : vt_muln(s, k->sort, n, rest);
    return mentions_placeholder(X, L, e) ? VT_NONE : e;
}

static bool try_running(vctx *X, loop_shape *L, loop_var *lv, vt_id update, bool generic_only) {
    vt_store *s = X->s;
    static const struct { vt_red_op op; const char *name; } ops[] = {
        {VR_SUM, "running-sum"}, {VR_PROD, "running-product"}, {VR_MAX, "running-max"}, {VR_MIN, "running-min"}};
    vt_id ph = ph_term(X, lv);
    for (int i = 0; i < 4; i++) {
        if (generic_only && ops[i].op != VR_SUM) continue;
        vt_id e = match_running(X, L, update, ph, ops[i].op);
        if (!e) continue;
        vt_id u = vt_var(s, vx_fresh(X, "u"), VS_INT);
        vt_id red = vt_red_over(s, ops[i].op, u, vt_int(s, 0), L->count, vt_subst(s, e, L->it, u));
        vt_id init = lv->init->u.b->body;
        vt_id body;
        switch (ops[i].op) {
        case VR_SUM: body = vt_add(s, init, red); break;
        case VR_PROD: body = vt_mul(s, init, red); break;
        case VR_MAX: body = vt_max(s, init, red); break;
        default: body = vt_min(s, init, red); break;
        }
        lv->closed = closed_block(X, lv, body);
        lv->pattern = generic_only ? "generic-prefix" : ops[i].name;
        return true;
    }
    return false;
}

/* Patterns over several variables at once (running argmax, online softmax, Welford):
 * patterns_multi.c. */
bool patterns_multi(vctx *X, loop_shape *L, char *why, int why_size);

/* The update of lv with the closed forms found so far substituted (at iteration `it`), so that
 * e.g. an accumulator fed by loads through an induction pointer (a_ptrs += BK) matches. */
static vt_id update_with_known(vctx *X, loop_shape *L, vt_id update) {
    for (int i = 0; i < L->n_vars; i++) {
        const loop_var *o = &L->vars[i];
        if (!o->ph_fn || !o->closed) continue;
        vt_id params[VMAX_RANK];
        int n = ph_params(X, o->init->u.b, params);
        update = subst_fn(X, update, o->ph_fn, n, params, vt_subst(X->s, o->closed->u.b->body, L->count, L->it));
    }
    return update;
}

bool patterns_propose(vctx *X, loop_shape *L, char *why, int why_size) {
    vt_store *s = X->s;
    bool generic_only = X->opt && X->opt->no_patterns;
    nf_ctx nf;
    nf_init(&nf, s);
    /* rounds: a variable may match once the ones it depends on have closed forms */
    for (int round = 0; round <= L->n_vars; round++) {
        bool progress = false;
        for (int i = 0; i < L->n_vars; i++) {
            loop_var *lv = &L->vars[i];
            if (lv->closed || lv->pattern) continue;
            if (lv->init->kind != SV_BLOCK) { lv->pattern = "invariant"; progress = true; continue; }
            if (lv->update->kind != SV_BLOCK) {
                snprintf(why, (size_t)why_size, "loop-carried '%s' changes kind in the loop", lv->name);
                nf_free(&nf);
                return false;
            }
            sblock *ub = blk_broadcast(X, lv->update->u.b, lv->init->u.b->rank, lv->init->u.b->shape, L->line);
            if (!ub) { nf_free(&nf); return false; }
            vt_id update = update_with_known(X, L, ub->body), ph = ph_term(X, lv);
            if (update == ph) {
                lv->closed = lv->init;
                lv->pattern = "invariant";
            } else if (!generic_only) {
                /* affine induction: update - ph free of placeholders and of `it` */
                vt_id c = nf_term(&nf, vt_sub(s, update, ph));
                if (vt_sort_of(s, update) != VS_BOOL && !mentions_placeholder(X, L, c) && !vt_contains_var(s, c, L->it)) {
                    lv->closed = closed_block(X, lv, vt_add(s, lv->init->u.b->body, vt_mul(s, L->count, c)));
                    lv->pattern = "affine-induction";
                }
            }
            if (!lv->closed) try_running(X, L, lv, update, generic_only);
            if (!lv->closed && !generic_only && !mentions_placeholder(X, L, update)) {
                /* overwritten: every iteration assigns a value that does not read the old one */
                vt_id last = vt_subst(s, update, L->it, vt_sub(s, L->count, vt_int(s, 1)));
                lv->closed = closed_block(X, lv, vt_ite(s, vt_eq(s, L->count, vt_int(s, 0)), lv->init->u.b->body, last));
                lv->pattern = "overwritten";
            }
            if (lv->closed) { vx_note_pattern(X, lv->pattern); progress = true; }
        }
        if (!progress) break;
    }
    if (!generic_only && !patterns_multi(X, L, why, why_size)) { nf_free(&nf); return false; }
    for (int i = 0; i < L->n_vars; i++) {
        loop_var *lv = &L->vars[i];
        if (lv->closed || (lv->init->kind != SV_BLOCK && lv->pattern)) continue;
        sblock *ub = lv->update->kind == SV_BLOCK ? lv->update->u.b : NULL;
        snprintf(why, (size_t)why_size, "no invariant pattern matches the update of loop-carried '%s': %s", lv->name,
                 ub ? vt_str(s, update_with_known(X, L, ub->body)) : "(not a tensor)");
        nf_free(&nf);
        return false;
    }
    nf_free(&nf);
    return true;
}
