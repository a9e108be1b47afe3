/* lemmas: sound rewrite rules on VC terms that make the kernel's side of a VC and the formula's
 * side meet. Each rule is an identity of the semantics model (reals with +-inf and NaN); the
 * rules with side conditions apply only when the side condition is proved (z3, under the VC's
 * hypotheses, through the normalizer's prover); an unproved side condition leaves the term as
 * it is (the VC may then stay UNKNOWN, never wrongly VERIFIED).
 *
 *   rule                   identity                                                   side condition
 *   ite-lift               f(.., ite(c, a, b), ..) = ite(c, f(.., a, ..), f(.., b, ..))  none; inside a branch c is
 *                                                                                      true (false) in the siblings
 *   implied-bound          inside red(k in lo..hi: ..), a linear bound a <= k or      a <= lo (hi <= b), proved
 *                          k < b (coefficient +-1) is true                            (every k of the range meets it)
 *   masked-range           red(k in lo..hi: ite(C(k) & D, g, id)) =                   id is the reduction's identity
 *                          ite(D, red(k in max(lo,a)..min(hi,b): g), id)              (0, 1, -inf, +inf), proved
 *                          where C(k) = a <= k < b (linear, coefficient +-1);         when not syntactic
 *                          ite(C, id, g) is read ite(!C, g, id) (integer C)
 *   compare-lift           inside ite-lift, cmp(ite(c, p, q), r) in a condition =     none
 *                          (c & cmp(p, r)) | (!c & cmp(q, r))   (a mask tested
 *                          through its -inf filler becomes the mask)
 *   masked-suffix-argmax   argmax(k in lo..hi: ite(k < b & D, g, -inf)) =              lo < min(hi, b) proved;
 *                          ite(D, argmax(k in lo..min(hi, b): g), lo)   (argmin: +inf)  g NaN-free
 *   tiling                 red(l in 0..B: red(s in 0..T: g(s*B + l + c))) =           B >= 1; op in sum, prod,
 *                          red(k in c..c + T*B: g(k))   (either nesting order)         max, min (commutative)
 *   linear-sum             sum(k: a + b) = sum(k: a) + sum(k: b); sum(k: c*g) =       terms finite (not maybe
 *                          c * sum(k: g) for c free of k; sum(k in lo..hi: c) =       infinite)
 *                          max(hi - lo, 0) * c
 *   concat                 red(k in a..b: g) (+) red(k in b..c: g) = red(k in a..c: g)  a <= b <= c
 *   branch context         ite(c, a, b): a is rewritten assuming c, b assuming !c     none
 *                          (when a branch holds a reduction)
 *   add-split              ite(c, a, b) + d = ite(c, a + d, b + d), when some term      none (c is true / false in
 *                          of the sum is a reduction (so that concat can meet them)   d on either side)
 *   exp-split              exp(a + b) = exp(a) * exp(b)                               a, b finite (axiom A2)
 *   log-product            log(a * b) = log(a) + log(b); log(1/a) = -log(a)           a, b > 0 (axiom A3)
 *   unit-range             red(k in lo..lo + 1: g(k)) = g(lo)   (argmax/argmin: lo)     none
 *   empty-range            red(k in lo..hi: g) = the identity (0, 1, -inf, +inf)       hi <= lo
 *   exp-inf                exp(-inf) = 0; exp(ite(c, a, b)) = ite(c, exp(a), exp(b))  none (the model's exp, smt.c)
 *   max-split              max(k: max(a, b)) = max(max(k: a), max(k: b)) (min alike)   a, b NaN-free (fold order)
 *   online-step            ite(mx == -inf, Z, Z*exp(m - mx) + exp(a - mx)) =          the equality itself, proved by
 *                          ite(mx == -inf, z0, (C + exp(a)) / exp(mx))                z3 (A4, F8) for the lane at
 *                          with Z = ite(m == -inf, z0, C / exp(m)): one more online    hand
 *                          step (an unrolled iteration) on a normaliser in closed form
 *   online-rescale         ite(m == -inf, z0, C / exp(m)) * exp(m - M) = C / exp(M)   the equality itself, proved by
 *                          (and ... * exp(m) = C): an online-softmax normaliser       z3 (A4, F8) for the lane
 *                          moved from its running max m to the max M                  at hand
 *
 * The rules are tried bottom-up (inner reductions first, so that e.g. the max inside a softmax
 * is in its final form when the sum around it is rewritten) and repeated until nothing
 * changes (bounded). */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

#define MAX_ROUNDS 6

typedef struct lctx {
    vctx *X;
    vprover *p;
    nf_ctx *nf;
    int branch_depth;
    bool changed;
    int splits;               /* add-split applications (bounded: each doubles the term) */
} lctx;

static vt_id rewrite(lctx *c, vt_id t);

static bool finite(const vt_store *s, vt_id t) { return !vt_get(s, t)->maybe_inf; }

/* Cannot be NaN: the order of a max/min fold (a > b ? a : b) only matters with NaN. */
static bool nan_free(const vt_store *s, vt_id t) {
    const vt_node *k = vt_get(s, t);
    if (!k->maybe_inf || k->kind == VK_INF) return true;
    switch (k->kind) {
    case VK_ITE: return nan_free(s, k->args[1]) && nan_free(s, k->args[2]);
    case VK_MAX: case VK_MIN: return nan_free(s, k->args[0]) && nan_free(s, k->args[1]);
    case VK_RED: return (k->op == VR_MAX || k->op == VR_MIN) && nan_free(s, k->args[2]);
    default: return false;
    }
}

static vt_id identity_of(vt_store *s, int op, vt_sort sort) {
    switch (op) {
    case VR_SUM: return vt_convert(s, vt_int(s, 0), sort);
    case VR_PROD: return vt_convert(s, vt_int(s, 1), sort);
    case VR_MAX: return sort == VS_REAL ? vt_inf(s, -1) : VT_NONE;
    case VR_MIN: return sort == VS_REAL ? vt_inf(s, 1) : VT_NONE;
    default: return VT_NONE;
    }
}

static vt_id combine(vt_store *s, int op, vt_id a, vt_id b) {
    switch (op) {
    case VR_SUM: return vt_add(s, a, b);
    case VR_PROD: return vt_mul(s, a, b);
    case VR_MAX: return vt_max(s, a, b);
    default: return vt_min(s, a, b);
    }
}

/* ---- ite-lift ---- */

/* Replaces condition c by a truth value inside t (and its negation by the other). */
static vt_id assume(vt_store *s, vt_id t, vt_id c, bool value) {
    t = vt_replace(s, t, c, vt_bool(s, value));
    vt_id nc = vt_not(s, c);
    if (nc != c) t = vt_replace(s, t, nc, vt_bool(s, !value));
    return t;
}

/* assume, also with the normal form of the negation (!(0 <= k - n) is written 0 <= n - 1 - k
 * in a normalized term) */
static vt_id assume_nf(lctx *c, vt_id t, vt_id cond, bool value) {
    vt_store *s = c->X->s;
    t = assume(s, t, cond, value);
    vt_id nc = nf_term(c->nf, vt_not(s, cond));
    if (nc != cond) t = vt_replace(s, t, nc, vt_bool(s, !value));
    return t;
}

/* A comparison with a conditional operand whose condition mentions `var` becomes the
 * disjunction of the two cases: -inf == ite(k < n, x, -inf) is (k < n & -inf == x) | !(k < n),
 * i.e. !(k < n) for a finite x, a mask that masked-range can read. */
static vt_id lift_cond(lctx *c, vt_id t, vt_id var, int depth) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    if (depth > 8 || !vt_contains_var(s, t, var)) return t;
    if (k->kind == VK_AND || k->kind == VK_OR || k->kind == VK_NOT) {
        int n = k->n;
        vt_id args[16];
        if (n > 16) return t;
        for (int i = 0; i < n; i++) args[i] = lift_cond(c, vt_get(s, t)->args[i], var, depth + 1);
        return vt_rebuild(s, t, n, args);
    }
    if (k->kind != VK_EQ && k->kind != VK_LT && k->kind != VK_LE) return t;
    for (int i = 0; i < 2; i++) {
        const vt_node *a = vt_get(s, k->args[i]);
        if (a->kind != VK_ITE || a->sort == VS_BOOL || !vt_contains_var(s, a->args[0], var)) continue;
        vt_id ic = a->args[0], ta[2], ea[2];
        for (int j = 0; j < 2; j++) ta[j] = ea[j] = vt_get(s, t)->args[j];
        ta[i] = a->args[1];
        ea[i] = a->args[2];
        vt_id then = lift_cond(c, vt_rebuild(s, t, 2, ta), var, depth + 1);
        vt_id els = lift_cond(c, vt_rebuild(s, t, 2, ea), var, depth + 1);
        c->changed = true;
        return vt_or(s, vt_and(s, ic, then), vt_and(s, vt_not(s, ic), els));
    }
    return t;
}

/* Moves the conditionals of a (normalized) term to the top: a decision tree whose leaves have
 * no ite whose condition mentions `var` (conditions on other variables stay inside). */
static vt_id lift(lctx *c, vt_id t, vt_id var, int depth) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    if (depth > 12 || k->sort == VS_BOOL || k->n == 0 || k->kind == VK_RED) return t;
    if (k->kind == VK_ITE) {
        vt_id cond = k->args[0], a = k->args[1], b = k->args[2];
        if (!vt_contains_var(s, cond, var)) return t;
        cond = nf_term(c->nf, lift_cond(c, cond, var, 0));
        a = lift(c, assume_nf(c, a, cond, true), var, depth + 1);
        b = lift(c, assume_nf(c, b, cond, false), var, depth + 1);
        return vt_ite(s, cond, a, b);
    }
    if (k->kind == VK_APP && (strncmp(k->name, "mem:", 4) == 0 || strncmp(k->name, "undef:mem:", 10) == 0)) return t;   /* an index is not lifted */
    int n = k->n;
    vt_id args[16];
    if (n > 16) return t;
    for (int i = 0; i < n; i++) args[i] = lift(c, vt_get(s, t)->args[i], var, depth + 1);
    for (int i = 0; i < n; i++) {
        const vt_node *a = vt_get(s, args[i]);
        if (a->kind != VK_ITE || a->sort == VS_BOOL || !vt_contains_var(s, a->args[0], var)) continue;
        vt_id cond = a->args[0], a_then = a->args[1], a_else = a->args[2];   /* making terms may move the node array */
        vt_id ta[16], ea[16];
        for (int j = 0; j < n; j++) {
            ta[j] = j == i ? a_then : assume(s, args[j], cond, true);
            ea[j] = j == i ? a_else : assume(s, args[j], cond, false);
        }
        vt_id then = lift(c, vt_rebuild(s, t, n, ta), var, depth + 1);
        vt_id els = lift(c, vt_rebuild(s, t, n, ea), var, depth + 1);
        c->changed = true;
        return vt_ite(s, cond, then, els);
    }
    return vt_rebuild(s, t, n, args);
}

/* ---- masked-range ---- */

/* A binder constraint 0 <= p with p = a*var + rest, a = +-1: var >= -rest (a = 1) or
 * var <= rest (a = -1). */
static bool linear_bound(lctx *c, vt_id cond, vt_id var, vt_id *lo, vt_id *hi) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, cond);
    if (k->kind != VK_LE || vt_sort_of(s, k->args[0]) != VS_INT || !vt_is_zero(s, k->args[0])) return false;
    nf_mono m[48];
    int n = nf_poly(c->nf, k->args[1], m, 48);
    int at = -1;
    for (int i = 0; i < n; i++) {
        if (m[i].mono == var) { if (at >= 0) return false; at = i; }
        else if (m[i].mono && vt_contains_var(s, m[i].mono, var)) return false;
    }
    if (at < 0 || m[at].coef.den != 1 || (m[at].coef.num != 1 && m[at].coef.num != -1)) return false;
    int sign = (int)m[at].coef.num;
    m[at].coef.num = 0;
    vt_id rest = nf_from_poly(c->nf, VS_INT, m, n);
    if (sign == 1) *lo = nf_term(c->nf, vt_neg(s, rest));
    else *hi = nf_term(c->nf, vt_add(s, rest, vt_int(s, 1)));
    return true;
}

/* Is h the identity of op (syntactically, or proved)? */
static bool is_identity(lctx *c, int op, vt_id h, vt_sort sort) {
    vt_store *s = c->X->s;
    vt_id id = identity_of(s, op, sort);
    if (!id) return false;
    h = nf_term(c->nf, h);
    if (h == id) return true;
    if (vt_get(s, h)->depth != 0) return false;
    return c->nf->prove && c->nf->prove(c->nf->prove_ctx, vt_eq(s, h, id));
}

static vt_id masked_range(lctx *c, int op, vt_id lo, vt_id hi, vt_id var, vt_id body) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, body);
    if (k->kind != VK_ITE) return VT_NONE;
    vt_id cond = k->args[0], g = k->args[1], h = k->args[2];
    if ((op == VR_MAX || op == VR_MIN) && !nan_free(s, g)) return VT_NONE;
    /* ite(C, id, g) with C an integer comparison (exact negation) reads ite(!C, g, id) */
    if (!is_identity(c, op, h, vt_sort_of(s, body)) && is_identity(c, op, g, vt_sort_of(s, body)) &&
        vt_kind_of(s, vt_not(s, cond)) != VK_NOT) {
        vt_id t = g;
        g = h;
        h = t;
        cond = nf_term(c->nf, vt_not(s, cond));
    }
    if (!is_identity(c, op, h, vt_sort_of(s, body))) return VT_NONE;
    vt_id parts[32];
    int np = 0;
    if (vt_kind_of(s, cond) == VK_AND) {
        const vt_node *a = vt_get(s, cond);
        for (int i = 0; i < a->n && np < 32; i++) parts[np++] = a->args[i];
    } else {
        parts[np++] = cond;
    }
    vt_id new_lo = lo, new_hi = hi, outside = vt_bool(s, true);
    vt_id inside[32];
    int ni = 0;
    bool used = false;
    for (int i = 0; i < np; i++) {
        vt_id l = VT_NONE, u = VT_NONE;
        if (!vt_contains_var(s, parts[i], var)) { outside = vt_and(s, outside, parts[i]); used = true; continue; }
        if (linear_bound(c, parts[i], var, &l, &u)) {
            if (l) new_lo = nf_term(c->nf, vt_max(s, new_lo, l));
            if (u) new_hi = nf_term(c->nf, vt_min(s, new_hi, u));
            used = true;
            continue;
        }
        inside[ni++] = parts[i];
    }
    if (!used) return VT_NONE;
    vt_id rest = vt_andn(s, ni, inside);
    vt_id nb = ni ? vt_ite(s, rest, g, h) : g;
    vt_id red = vt_red_over(s, (vt_red_op)op, var, new_lo, new_hi, nb);
    vt_id id = identity_of(s, op, vt_sort_of(s, body));
    return vt_ite(s, outside, red, id);
}

/* argmax / argmin over a suffix-masked body: red(k in lo..hi: ite(k < b & D, g, id)) with id the
 * value identity (-inf for argmax, +inf for argmin) = ite(D, red(k in lo..min(hi, b): g), lo)
 * when lo < min(hi, b): the masked-off elements form a suffix of identities, which never beat
 * an earlier element (first extremal index), and when D is false every element is the
 * identity, so the first one (lo) is extremal. A mask that also bounds k from below would
 * cut a prefix (which can be extremal by being first): not rewritten. */
static vt_id masked_suffix_arg(lctx *c, int op, vt_id lo, vt_id hi, vt_id var, vt_id body) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, body);
    if (k->kind != VK_ITE) return VT_NONE;
    vt_id cond = k->args[0], g = k->args[1], h = k->args[2];
    if (!nan_free(s, g) || !is_identity(c, op == VR_ARGMAX ? VR_MAX : VR_MIN, h, vt_sort_of(s, body))) return VT_NONE;
    vt_id parts[32];
    int np = 0;
    if (vt_kind_of(s, cond) == VK_AND) {
        const vt_node *a = vt_get(s, cond);
        for (int i = 0; i < a->n && np < 32; i++) parts[np++] = a->args[i];
    } else {
        parts[np++] = cond;
    }
    vt_id new_hi = hi, outside = vt_bool(s, true);
    vt_id inside[32];
    int ni = 0;
    bool used = false;
    for (int i = 0; i < np; i++) {
        vt_id l = VT_NONE, u = VT_NONE;
        if (!vt_contains_var(s, parts[i], var)) { outside = vt_and(s, outside, parts[i]); used = true; continue; }
        if (linear_bound(c, parts[i], var, &l, &u) && u) {
            new_hi = nf_term(c->nf, vt_min(s, new_hi, u));
            used = true;
            continue;
        }
        inside[ni++] = parts[i];
    }
    if (!used || !nf_less(c->nf, lo, new_hi)) return VT_NONE;
    vt_id nb = ni ? vt_ite(s, vt_andn(s, ni, inside), g, h) : g;
    return vt_ite(s, outside, vt_red_over(s, (vt_red_op)op, var, lo, new_hi, nb), lo);
}

/* ---- implied-bound ---- */

static void collect_bounds(lctx *c, vt_id t, vt_id var, vt_id *out, int *n, int max) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    if (!vt_contains_var(s, t, var)) return;
    if (k->kind == VK_LE && k->depth == 0 && vt_sort_of(s, k->args[0]) == VS_INT) {
        for (int i = 0; i < *n; i++)
            if (out[i] == t) return;
        if (*n < max) out[(*n)++] = t;
        return;
    }
    for (int i = 0; i < k->n; i++) collect_bounds(c, vt_get(s, t)->args[i], var, out, n, max);
}

/* Facts for bounds with products of an outer binder r (range lo_r..hi_r) and a factor f >= 0
 * (a block size times a tile index): f*lo_r <= f*r <= f*(hi_r - 1). Instances of monotonicity
 * that z3's nonlinear arithmetic does not find by itself within a side condition's time. */
static vt_id product_facts(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    nf_mono m[48];
    int n = nf_poly(c->nf, t, m, 48);
    vt_id facts = vt_bool(s, true);
    for (int i = 0; i < n && i < 48; i++) {
        if (!m[i].mono) continue;
        for (int r = 0; r < c->nf->n_ranges; r++) {
            const nf_range *rg = &c->nf->ranges[r];
            if (!rg->lo || !rg->hi) continue;
            vt_id f = nf_mono_div(c->nf, m[i].mono, rg->var);
            if (!f || vt_is_const(s, f, NULL) || !nf_nonneg(c->nf, f)) continue;
            vt_id fr = vt_mul(s, f, rg->var);
            facts = vt_and(s, facts, vt_and(s, vt_le(s, vt_mul(s, f, rg->lo), fr), vt_le(s, fr, vt_mul(s, f, vt_sub(s, rg->hi, vt_int(s, 1))))));
        }
    }
    return facts;
}

/* a <= b, with the product facts of both as hypotheses when the normalizer cannot show it */
static bool leq_with_products(lctx *c, vt_id a, vt_id b) {
    if (nf_leq(c->nf, a, b)) return true;
    vt_store *s = c->X->s;
    vt_id facts = vt_and(s, product_facts(c, a), product_facts(c, b));
    if (vt_is_const(s, facts, NULL)) return false;
    return c->nf->prove && c->nf->prove(c->nf->prove_ctx, vt_implies(s, facts, vt_le(s, a, b)));
}

/* The body of red(var in lo..hi: body), opened: the linear bounds on var that the range
 * implies become true (a masked load's mask over lanes that are all in range, whose masked-off
 * value, unspecified, then drops out). */
static vt_id implied_bounds(lctx *c, vt_id lo, vt_id hi, vt_id var, vt_id body) {
    vt_store *s = c->X->s;
    vt_id atoms[16];
    int n = 0;
    collect_bounds(c, body, var, atoms, &n, 16);
    for (int i = 0; i < n; i++) {
        vt_id l = VT_NONE, u = VT_NONE;
        if (!linear_bound(c, atoms[i], var, &l, &u)) continue;
        if ((l && leq_with_products(c, l, lo)) || (u && leq_with_products(c, hi, u))) {
            body = vt_replace(s, body, atoms[i], vt_bool(s, true));
            c->changed = true;
            vx_note_pattern(c->X, "lemma:implied-bound");
        }
    }
    return n ? nf_term(c->nf, body) : body;
}

/* ---- tiling ---- */

/* outer red(l in lo1..hi1: inner red(s in lo2..hi2: g)) with g a function of s*B + l: one
 * reduction over k. The variables are free (the binders already opened). */
static vt_id tiling(lctx *c, int op, vt_id lo1, vt_id hi1, vt_id l, vt_id inner) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, inner);
    if (k->kind != VK_RED || k->op != op || (op != VR_SUM && op != VR_PROD && op != VR_MAX && op != VR_MIN)) return VT_NONE;
    vt_id lo2 = k->args[0], hi2 = k->args[1], inner_body = k->args[2];   /* making terms may move the node array */
    if (vt_contains_var(s, lo2, l) || vt_contains_var(s, hi2, l)) return VT_NONE;
    vt_id sv = vt_var(s, vx_fresh(c->X, "$s"), VS_INT);
    vt_id g = nf_term(c->nf, vt_open(s, inner_body, sv));
    if ((op == VR_MAX || op == VR_MIN) && !nan_free(s, g)) return VT_NONE;   /* reordering a fold */
    /* find the stride B: in some index the coefficient of s (divided by the coefficient of l) */
    vt_id kv = vt_var(s, vx_fresh(c->X, "$k"), VS_INT);
    /* candidates: the outer extent and the inner extent as strides */
    vt_id cands[2][2] = {{hi1, sv}, {hi2, l}};   /* (stride, slow variable) */
    for (int which = 0; which < 2; which++) {
        vt_id B = nf_term(c->nf, vt_sub(s, which == 0 ? hi1 : hi2, which == 0 ? lo1 : lo2));
        vt_id slow = which == 0 ? sv : l, fast = which == 0 ? l : sv;
        vt_id slow_lo = which == 0 ? lo2 : lo1, fast_lo = which == 0 ? lo1 : lo2;
        vt_id slow_hi = which == 0 ? hi2 : hi1;
        (void)cands;
        if (!nf_positive(c->nf, B)) continue;
        /* fast = k - slow*B  (k = slow*B + fast) */
        vt_id fast_of_k = vt_sub(s, kv, vt_mul(s, slow, B));
        vt_id g2 = nf_term(c->nf, vt_subst(s, g, fast, fast_of_k));
        if (vt_contains_var(s, g2, slow)) continue;
        /* k ranges over slow_lo*B + fast_lo .. slow_hi*B + fast_lo (for fast in fast_lo..fast_lo+B) */
        vt_id klo = nf_term(c->nf, vt_add(s, vt_mul(s, slow_lo, B), fast_lo));
        vt_id khi = nf_term(c->nf, vt_add(s, vt_mul(s, slow_hi, B), fast_lo));
        /* an empty slow range must stay empty: slow_hi >= slow_lo */
        if (!nf_leq(c->nf, slow_lo, slow_hi)) continue;
        c->changed = true;
        vx_note_pattern(c->X, "lemma:tiling");
        return vt_red_over(s, (vt_red_op)op, kv, klo, khi, g2);
    }
    return VT_NONE;
}

/* ---- linear-sum ---- */

static vt_id linear_sum(lctx *c, vt_id lo, vt_id hi, vt_id var, vt_id body) {
    vt_store *s = c->X->s;
    if (!finite(s, body) || vt_sort_of(s, body) != VS_REAL) return VT_NONE;
    nf_mono m[48];
    int n = nf_poly(c->nf, body, m, 48);
    if (n == 0) return vt_real_int(s, 0);
    if (n == 48) return VT_NONE;
    vt_id count = nf_term(c->nf, vt_toreal(s, vt_max(s, vt_sub(s, hi, lo), vt_int(s, 0))));
    vt_id terms[48];
    int nt = 0;
    bool split = n > 1;
    for (int i = 0; i < n; i++) {
        vt_id coef = vt_real(s, m[i].coef);
        if (!m[i].mono) { terms[nt++] = vt_mul(s, coef, count); split = true; continue; }
        /* factors free of the binder come out */
        const vt_node *mk = vt_get(s, m[i].mono);
        vt_id atoms[32];
        int na = 0;
        if (mk->kind == VK_MUL) for (int j = 0; j < mk->n && na < 32; j++) atoms[na++] = mk->args[j];
        else atoms[na++] = m[i].mono;
        vt_id outside = coef, inside = VT_NONE;
        for (int j = 0; j < na; j++) {
            if (vt_contains_var(s, atoms[j], var)) inside = inside ? vt_mul(s, inside, atoms[j]) : atoms[j];
            else { outside = vt_mul(s, outside, atoms[j]); split = true; }
        }
        if (!inside) { terms[nt++] = vt_mul(s, outside, count); continue; }
        terms[nt++] = vt_mul(s, outside, vt_red_over(s, VR_SUM, var, lo, hi, inside));
    }
    if (!split) return VT_NONE;
    c->changed = true;
    return vt_addn(s, VS_REAL, nt, terms);
}

/* ---- masked-difference ---- */

/* sum(k: ite(c, P, Q)) = sum(k: Q) + sum(k: ite(c, P - Q, 0)) for finite P, Q that share
 * terms (P - Q is shorter than P): a masked last tile adds its element to what every lane
 * has, and the mask then becomes a range (masked-range). */
static vt_id masked_difference(lctx *c, vt_id lo, vt_id hi, vt_id var, vt_id body) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, body);
    if (k->kind != VK_ITE || k->sort != VS_REAL || k->maybe_inf) return VT_NONE;
    vt_id cond = k->args[0], P = k->args[1], Q = k->args[2];
    if (vt_is_zero(s, Q) || vt_is_zero(s, P)) return VT_NONE;   /* finite branches: the ite is finite */
    nf_mono m[48];
    int np = nf_poly(c->nf, P, m, 48);
    vt_id d = nf_term(c->nf, vt_sub(s, P, Q));
    int nd = nf_poly(c->nf, d, m, 48);
    if (np >= 48 || nd >= np) return VT_NONE;
    c->changed = true;
    vt_id rest = vt_red_over(s, VR_SUM, var, lo, hi, vt_ite(s, cond, d, vt_real_int(s, 0)));
    return vt_add(s, vt_red_over(s, VR_SUM, var, lo, hi, Q), rest);
}

/* ---- concat ---- */

/* In a sum (or max / min), two reductions of one body over adjacent ranges become one; the
 * second may be written shifted: red(k in 0..n: g(k + b)) is red(k in b..b+n: g(k)). In a sum
 * the two may carry one common factor: F*sum(a..b: g) + F*sum(b..c: g) = F*sum(a..c: g). */
static vt_id red_and_factor(const vt_store *s, vt_id t, int op, vt_id *factor) {
    const vt_node *k = vt_get(s, t);
    *factor = VT_NONE;
    if (k->kind == VK_RED) return k->op == op ? t : VT_NONE;
    if (op != VR_SUM || k->kind != VK_MUL || k->n > 16) return VT_NONE;
    vt_id red = VT_NONE, rest[16];
    int nr = 0;
    for (int i = 0; i < k->n; i++) {
        const vt_node *a = vt_get(s, k->args[i]);
        if (a->kind == VK_RED && a->op == op && !red) red = k->args[i];
        else if (a->kind == VK_RED) return VT_NONE;
        else rest[nr++] = k->args[i];
    }
    if (!red || nr == 0) return VT_NONE;
    *factor = nr == 1 ? rest[0] : vt_muln((vt_store *)s, k->sort, nr, rest);
    return red;
}

static vt_id concat(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    int op = k->kind == VK_ADD ? VR_SUM : k->kind == VK_MAX ? VR_MAX : k->kind == VK_MIN ? VR_MIN : -1;
    if (op < 0 || k->n > 32) return VT_NONE;
    int n = k->n;
    vt_sort sort = k->sort;   /* making terms may move the node array */
    vt_id args[32];
    for (int i = 0; i < n; i++) args[i] = k->args[i];
    for (int i = 0; i < n; i++) {
        vt_id fa, fb, ra = red_and_factor(s, args[i], op, &fa);
        if (!ra) continue;
        const vt_node *a = vt_get(s, ra);
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            vt_id rb = red_and_factor(s, args[j], op, &fb);
            if (!rb || fb != fa) continue;
            a = vt_get(s, ra);   /* factors are made terms: the node array may move */
            const vt_node *b = vt_get(s, rb);
            vt_id a_lo = a->args[0], a_hi = a->args[1], b_lo = b->args[0], b_hi = b->args[1], g = a->args[2], h = b->args[2];
            vt_id merged_hi;
            if (h == g && nf_term(c->nf, a_hi) == nf_term(c->nf, b_lo)) {
                merged_hi = b_hi;
            } else {
                /* h(k) = g(k + shift) with shift = a_hi - b_lo */
                vt_id shift = nf_term(c->nf, vt_sub(s, a_hi, b_lo));
                if (vt_is_zero(s, shift)) continue;
                vt_id kv = vt_var(s, vx_fresh(c->X, "$c"), VS_INT);
                vt_id g_shifted = nf_term(c->nf, vt_subst(s, vt_open(s, g, kv), kv, vt_add(s, kv, shift)));
                if (g_shifted != nf_term(c->nf, vt_open(s, h, kv))) continue;
                merged_hi = nf_term(c->nf, vt_add(s, b_hi, shift));
            }
            if (!nf_leq(c->nf, a_lo, a_hi) || !nf_leq(c->nf, b_lo, b_hi)) continue;
            vt_id merged = vt_red(s, (vt_red_op)op, a_lo, merged_hi, g);
            if (fa) merged = vt_mul(s, fa, merged);
            vt_id rest[32];
            int nr = 0;
            for (int t2 = 0; t2 < n; t2++)
                if (t2 != i && t2 != j) rest[nr++] = args[t2];
            rest[nr++] = merged;
            c->changed = true;
            if (op == VR_SUM) return vt_addn(s, sort, nr, rest);
            vt_id r = rest[0];
            for (int t2 = 1; t2 < nr; t2++) r = combine(s, op, r, rest[t2]);
            return r;
        }
    }
    return VT_NONE;
}

/* ---- add-split ---- */

#define MAX_SPLITS 8

static bool has_red(const vt_store *s, vt_id t, int depth) {
    const vt_node *k = vt_get(s, t);
    if (k->kind == VK_RED) return true;
    if (k->kind != VK_ITE || depth > 3) return false;
    return has_red(s, k->args[1], depth + 1) || has_red(s, k->args[2], depth + 1);
}

/* A sum with a term ite(c, a, b) and a reduction among its terms (possibly inside an ite):
 * the sum on either side of c, each then open to concat. */
static vt_id add_split(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    if (k->kind != VK_ADD || k->sort != VS_REAL || k->n > 16 || c->splits >= MAX_SPLITS) return VT_NONE;
    int n = k->n, at = -1, reds = 0;
    for (int i = 0; i < n; i++) {
        const vt_node *a = vt_get(s, k->args[i]);
        if (has_red(s, k->args[i], 0)) reds++;
        if (at < 0 && a->kind == VK_ITE && has_red(s, k->args[i], 0)) at = i;
    }
    if (at < 0 || reds < 2) return VT_NONE;
    vt_id cond = vt_get(s, k->args[at])->args[0];
    vt_id ta[16], ea[16];
    for (int i = 0; i < n; i++) {
        vt_id arg = vt_get(s, t)->args[i];
        ta[i] = i == at ? vt_get(s, arg)->args[1] : assume(s, arg, cond, true);
        ea[i] = i == at ? vt_get(s, arg)->args[2] : assume(s, arg, cond, false);
    }
    c->splits++;
    c->changed = true;
    vt_id then = rewrite(c, nf_term(c->nf, vt_addn(s, VS_REAL, n, ta)));
    vt_id els = rewrite(c, nf_term(c->nf, vt_addn(s, VS_REAL, n, ea)));
    return vt_ite(s, cond, then, els);
}

/* ---- branch context ---- */

/* Does t contain a reduction (a bounded search of its DAG)? */
static bool contains_red(const vt_store *s, vt_id t, int *budget) {
    if (--*budget < 0) return false;
    const vt_node *k = vt_get(s, t);
    if (k->kind == VK_RED) return true;
    for (int i = 0; i < k->n; i++)
        if (contains_red(s, vt_get(s, t)->args[i], budget)) return true;
    return false;
}

static vt_id rewrite_assuming(lctx *c, vt_id t, vt_id cond) {
    vprover_mark m;
    if (!vprover_assume(c->p, cond, &m)) return rewrite(c, t);
    /* the facts the branch makes provable get a prover budget of their own */
    int calls = c->p->z3_calls;
    c->p->z3_calls = 0;
    c->branch_depth++;
    vt_id r = rewrite(c, nf_term(c->nf, t));
    c->branch_depth--;
    c->p->z3_calls = calls;
    vprover_restore(c->p, &m);
    return r;
}

/* ---- exp / log ---- */

static vt_id exp_split(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    if (k->kind != VK_APP || k->n != 1 || strcmp(k->name, "exp") != 0 || c->X->opt->uninterpreted_functions) return VT_NONE;
    vt_id x = k->args[0];
    if (!finite(s, x)) return VT_NONE;
    nf_mono m[48];
    int n = nf_poly(c->nf, x, m, 48);
    if (n < 2 || n == 48) return VT_NONE;
    vt_id prod = vt_real_int(s, 1);
    for (int i = 0; i < n; i++) prod = vt_mul(s, prod, vt_app1(s, "exp", VS_REAL, nf_from_poly(c->nf, VS_REAL, &m[i], 1)));
    c->changed = true;
    return prod;
}

static bool positive(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    vt_rat q;
    if (vt_is_rat(s, t, &q)) return q.num > 0;
    if (k->kind == VK_APP && strcmp(k->name, "exp") == 0 && finite(s, k->args[0])) return true;
    if (k->depth != 0 || !c->nf->prove) return false;
    return c->nf->prove(c->nf->prove_ctx, vt_lt(s, vt_real_int(s, 0), t));
}

static vt_id log_product(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    if (k->kind != VK_APP || k->n != 1 || strcmp(k->name, "log") != 0 || c->X->opt->uninterpreted_functions) return VT_NONE;
    vt_id x = k->args[0];
    const vt_node *xk = vt_get(s, x);
    if (xk->kind == VK_APP && xk->n == 1 && strcmp(xk->name, "exp") == 0 && finite(s, xk->args[0])) {
        c->changed = true;
        return xk->args[0];
    }
    if (xk->kind == VK_DIV) {
        vt_rat q;
        vt_id den = xk->args[1];   /* proving makes terms: the node array may move */
        if (vt_is_rat(s, xk->args[0], &q) && q.num == 1 && q.den == 1 && positive(c, den)) {
            c->changed = true;
            return vt_neg(s, vt_app1(s, "log", VS_REAL, den));
        }
        return VT_NONE;
    }
    if (xk->kind != VK_MUL) return VT_NONE;
    int n = xk->n;
    vt_id factors[32];
    if (n > 32) return VT_NONE;
    for (int i = 0; i < n; i++) factors[i] = vt_get(s, x)->args[i];
    for (int i = 0; i < n; i++)
        if (!positive(c, factors[i])) return VT_NONE;
    vt_id sum = vt_real_int(s, 0);
    for (int i = 0; i < n; i++) sum = vt_add(s, sum, vt_app1(s, "log", VS_REAL, factors[i]));
    c->changed = true;
    return sum;
}

/* ---- online-rescale ---- */

static bool is_exp_of(const vt_store *s, vt_id t, vt_id *arg) {
    const vt_node *k = vt_get(s, t);
    if (k->kind != VK_APP || k->n != 1 || strcmp(k->name, "exp") != 0) return false;
    *arg = k->args[0];
    return true;
}

/* E = C / exp(m) or C * (1 / exp(m)) (normal form): returns C. */
static vt_id over_exp(lctx *c, vt_id e, vt_id m) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, e);
    vt_id a;
    if (k->kind == VK_DIV && is_exp_of(s, k->args[1], &a) && a == m) return k->args[0];
    if (k->kind != VK_MUL || k->n > 32) return VT_NONE;
    for (int i = 0; i < k->n; i++) {
        const vt_node *f = vt_get(s, k->args[i]);
        if (f->kind != VK_DIV || !vt_is_one(s, f->args[0]) || !is_exp_of(s, f->args[1], &a) || a != m) continue;
        vt_id rest[32];
        int n = 0;
        for (int j = 0; j < k->n; j++)
            if (j != i) rest[n++] = vt_get(s, e)->args[j];
        return vt_muln(s, VS_REAL, n, rest);
    }
    return VT_NONE;
}

/* In a product, Z * exp(m - M) with Z = ite(m == -inf, z0, C / exp(m)) (an online-softmax
 * normaliser relative to its running max m, moved to the max M) becomes C / exp(M); with
 * exp(m) instead of exp(m - M) it becomes C. The two are equal only when a lane that saw no
 * finite value has C = 0 and M is finite: that equality is the side condition, proved by z3
 * (axioms A4, F8). */
static vt_id online_rescale(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    if (k->kind != VK_MUL || k->n > 32 || k->sort != VS_REAL || k->depth != 0 || !c->nf->prove) return VT_NONE;
    int n = k->n;
    vt_id args[32];
    for (int i = 0; i < n; i++) args[i] = k->args[i];
    for (int i = 0; i < n; i++) {
        const vt_node *z = vt_get(s, args[i]);
        if (z->kind != VK_ITE) continue;
        const vt_node *cond = vt_get(s, z->args[0]);
        if (cond->kind != VK_EQ) continue;
        vt_id m = vt_kind_of(s, cond->args[0]) == VK_INF ? cond->args[1] : vt_kind_of(s, cond->args[1]) == VK_INF ? cond->args[0] : VT_NONE;
        vt_id C = m ? over_exp(c, z->args[2], m) : VT_NONE;
        if (!C) continue;
        for (int j = 0; j < n; j++) {
            vt_id x;
            if (j == i || !is_exp_of(s, args[j], &x)) continue;
            vt_id M = VT_NONE;
            if (x != m) {
                const vt_node *xk = vt_get(s, x);
                if (xk->kind != VK_ADD || xk->n != 2) continue;
                int at = xk->args[0] == m ? 0 : xk->args[1] == m ? 1 : -1;
                if (at < 0) continue;
                const vt_node *neg = vt_get(s, xk->args[1 - at]);
                vt_rat q;
                if (neg->kind != VK_MUL || neg->n != 2 || !vt_is_rat(s, neg->args[0], &q) || q.num != -1 || q.den != 1) continue;
                M = neg->args[1];
            }
            vt_id pair = vt_mul(s, args[i], args[j]);
            vt_id moved = M ? vt_div(s, C, vt_app1(s, "exp", VS_REAL, M)) : C;
            if (!c->nf->prove(c->nf->prove_ctx, vt_eq(s, pair, moved))) continue;
            vt_id rest[32];
            int nr = 0;
            for (int l = 0; l < n; l++)
                if (l != i && l != j) rest[nr++] = args[l];
            rest[nr++] = moved;
            c->changed = true;
            vx_note_pattern(c->X, "lemma:online-rescale");
            return vt_muln(s, VS_REAL, nr, rest);
        }
    }
    return VT_NONE;
}

static bool mentions(vt_store *s, vt_id t, vt_id sub) {
    return vt_replace(s, t, sub, vt_var(s, "$probe", vt_sort_of(s, sub))) != t;
}

/* Z = ite(m == -inf, z0, C / exp(m)) (either order of ==): fills m, z0, C. */
static bool online_normaliser(lctx *c, vt_id Z, vt_id *m, vt_id *z0, vt_id *C) {
    vt_store *s = c->X->s;
    const vt_node *z = vt_get(s, Z);
    if (z->kind != VK_ITE) return false;
    const vt_node *cond = vt_get(s, z->args[0]);
    if (cond->kind != VK_EQ) return false;
    vt_id mm = vt_kind_of(s, cond->args[0]) == VK_INF ? cond->args[1] : vt_kind_of(s, cond->args[1]) == VK_INF ? cond->args[0] : VT_NONE;
    vt_id zz0 = z->args[1];   /* over_exp makes terms: the node array may move */
    vt_id CC = mm ? over_exp(c, z->args[2], mm) : VT_NONE;
    if (!CC) return false;
    *m = mm;
    *z0 = zz0;
    *C = CC;
    return true;
}

/* ite(mx == -inf, Z, E) with Z an online normaliser (online_normaliser) and E = Z*exp(m - mx) +
 * exp(q) (the kernel's rescaling step, unrolled; Z*exp(m - mx) may already read C / exp(mx)): becomes ite(mx == -inf, z0, (C + exp(a)) /
 * exp(mx)) with a = q + mx, the same closed form one element further. The match only proposes;
 * the equality is proved by z3 (axioms A4, F8) before it is used. */
static vt_id online_step(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    if (k->kind != VK_ITE || k->sort != VS_REAL || k->depth != 0 || !c->nf->prove) return VT_NONE;
    vt_id guard = k->args[0], Z = k->args[1], E = k->args[2];   /* making terms may move the node array */
    const vt_node *cond = vt_get(s, guard);
    if (cond->kind != VK_EQ) return VT_NONE;
    vt_id mx = vt_kind_of(s, cond->args[0]) == VK_INF ? cond->args[1] : vt_kind_of(s, cond->args[1]) == VK_INF ? cond->args[0] : VT_NONE;
    vt_id m, z0, C;
    if (!mx || !online_normaliser(c, Z, &m, &z0, &C)) return VT_NONE;
    (void)m;
    const vt_node *e = vt_get(s, E);
    if (e->kind != VK_ADD || e->n != 2) return VT_NONE;
    vt_id summands[2] = {e->args[0], e->args[1]};
    for (int i = 0; i < 2; i++) {
        vt_id q;
        /* the other summand is Z rescaled (possibly already moved by online-rescale): not
         * matched, the proof below decides */
        if (!is_exp_of(s, summands[i], &q) || mentions(s, summands[i], Z)) continue;
        /* q = a - mx, written a + (-1 * mx) (possibly infinite terms are not rearranged) */
        const vt_node *qk = vt_get(s, q);
        vt_id a = VT_NONE;
        for (int j = 0; qk->kind == VK_ADD && qk->n == 2 && j < 2; j++) {
            const vt_node *neg = vt_get(s, qk->args[j]);
            vt_rat r;
            if (neg->kind == VK_MUL && neg->n == 2 && vt_is_rat(s, neg->args[0], &r) && r.num == -1 && r.den == 1 && neg->args[1] == mx)
                a = qk->args[1 - j];
        }
        if (!a) continue;
        vt_id exp_a = vt_app1(s, "exp", VS_REAL, a);
        vt_id cand = vt_ite(s, guard, z0, vt_div(s, vt_add(s, C, exp_a), vt_app1(s, "exp", VS_REAL, mx)));
        if (!c->nf->prove(c->nf->prove_ctx, vt_eq(s, t, cand))) return VT_NONE;
        c->changed = true;
        vx_note_pattern(c->X, "lemma:online-step");
        return nf_term(c->nf, cand);
    }
    return VT_NONE;
}

/* ---- the traversal ---- */

static vt_id rewrite_red(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    int op = k->op;
    vt_id lo_raw = k->args[0], hi_raw = k->args[1], body_raw = k->args[2];   /* making terms may move the node array */
    vt_id lo = nf_term(c->nf, lo_raw), hi = nf_term(c->nf, hi_raw);
    /* empty-range: the operator's identity (what the SMT encoding gives it) */
    vt_id identity = vt_red_identity(s, (vt_red_op)op, vt_sort_of(s, body_raw));
    if (identity && nf_leq(c->nf, hi, lo)) {
        c->changed = true;
        return identity;
    }
    /* unit-range: one element (a loop whose trip count is provably 1, a one-lane block) */
    int64_t extent;
    if (nf_const(c->nf, nf_term(c->nf, vt_sub(s, hi, lo)), &extent) && extent == 1) {
        c->changed = true;
        if (op == VR_ARGMAX || op == VR_ARGMIN) return lo;
        return rewrite(c, nf_term(c->nf, vt_open(s, body_raw, lo)));
    }
    vt_id var = vt_var(s, vx_fresh(c->X, "$r"), VS_INT);
    nf_add_range(c->nf, var, lo, hi);
    vt_id body = nf_term(c->nf, vt_open(s, body_raw, var));
    /* nested reductions of one operator are tiled before the inner one's masks are turned into
     * ranges (which would make its range depend on the outer variable) */
    if ((op == VR_SUM || op == VR_PROD || op == VR_MAX || op == VR_MIN) && vt_kind_of(s, body) == VK_RED) {
        vt_id flat = tiling(c, op, lo, hi, var, body);
        if (flat) return rewrite(c, nf_term(c->nf, flat));
    }
    body = implied_bounds(c, lo, hi, var, body);
    body = rewrite(c, body);
    vt_id r = VT_NONE;
    const vt_node *bk = vt_get(s, body);
    if ((op == VR_MAX && bk->kind == VK_MAX) || (op == VR_MIN && bk->kind == VK_MIN)) {
        /* max-split: one reduction per argument (each may then tile or lose its mask) */
        bool ok = bk->n >= 2 && bk->n <= 16;
        for (int i = 0; ok && i < bk->n; i++) ok = nan_free(s, bk->args[i]);
        if (ok) {
            int n = bk->n;
            vt_id parts[16] = {0};
            for (int i = 0; i < n; i++) parts[i] = vt_red_over(s, (vt_red_op)op, var, lo, hi, vt_get(s, body)->args[i]);
            vt_id m = parts[0];
            for (int i = 1; i < n; i++) m = combine(s, op, m, parts[i]);
            c->changed = true;
            vx_note_pattern(c->X, "lemma:max-split");
            return rewrite(c, nf_term(c->nf, m));
        }
    }
    if (op == VR_SUM && (r = masked_difference(c, lo, hi, var, body))) {
        vx_note_pattern(c->X, "lemma:masked-difference");
        return rewrite(c, nf_term(c->nf, r));
    }
    if (op == VR_SUM || op == VR_PROD || op == VR_MAX || op == VR_MIN) {
        vt_id lifted = nf_term(c->nf, lift(c, body, var, 0));
        r = masked_range(c, op, lo, hi, var, lifted);
        if (r) { c->changed = true; vx_note_pattern(c->X, "lemma:masked-range"); }
        if (!r) r = tiling(c, op, lo, hi, var, body);
        if (!r && op == VR_SUM) r = linear_sum(c, lo, hi, var, body);
        if (!r) r = vt_red_over(s, (vt_red_op)op, var, lo, hi, lifted != body ? lifted : body);
    } else {
        vt_id lifted = nf_term(c->nf, lift(c, body, var, 0));
        r = masked_suffix_arg(c, op, lo, hi, var, lifted);
        if (r) { c->changed = true; vx_note_pattern(c->X, "lemma:masked-suffix-argmax"); }
        else r = vt_red_over(s, (vt_red_op)op, var, lo, hi, body);
    }
    /* a max/min over a range that is provably nonempty is finite when its body is */
    const vt_node *rk = vt_get(s, r);
    if (rk->kind == VK_RED && (rk->op == VR_MAX || rk->op == VR_MIN) && rk->ival != 1 && nf_less(c->nf, rk->args[0], rk->args[1])) {
        rk = vt_get(s, r);   /* proving makes terms: the node array may move */
        r = vt_red_nonempty(s, (vt_red_op)rk->op, rk->args[0], rk->args[1], rk->args[2]);
        c->changed = true;
    }
    return r;
}

static vt_id rewrite(lctx *c, vt_id t) {
    vt_store *s = c->X->s;
    const vt_node *k = vt_get(s, t);
    if (k->n == 0) return t;
    if (k->kind == VK_RED) return rewrite_red(c, t);
    int budget = 400;
    if (k->kind == VK_ITE && k->sort != VS_BOOL && k->depth == 0 && c->branch_depth < 4 && contains_red(s, t, &budget)) {
        vt_id cond = rewrite(c, k->args[0]), a = vt_get(s, t)->args[1], b = vt_get(s, t)->args[2];
        a = rewrite_assuming(c, a, cond);
        b = rewrite_assuming(c, b, vt_not(s, cond));
        return vt_ite(s, cond, a, b);
    }
    int n = k->n;
    vt_id buf[16], *a = n <= 16 ? buf : xcalloc((size_t)n, sizeof *a);
    for (int i = 0; i < n; i++) a[i] = rewrite(c, vt_get(s, t)->args[i]);
    vt_id r = vt_rebuild(s, t, n, a);
    if (a != buf) free(a);
    vt_id x;
    const vt_node *rk = vt_get(s, r);
    if (rk->kind == VK_APP && rk->n == 1 && strcmp(rk->name, "exp") == 0 && vt_kind_of(s, rk->args[0]) == VK_INF &&
        vt_get(s, rk->args[0])->ival < 0) {
        c->changed = true;   /* exp-inf */
        return vt_real_int(s, 0);
    }
    if (rk->kind == VK_APP && rk->n == 1 && strcmp(rk->name, "exp") == 0 && vt_kind_of(s, rk->args[0]) == VK_ITE) {
        const vt_node *ik = vt_get(s, rk->args[0]);
        vt_id cond = ik->args[0], a = ik->args[1], b = ik->args[2];
        c->changed = true;   /* exp of a conditional: both branches, each rewritten */
        return vt_ite(s, cond, rewrite(c, vt_app1(s, "exp", VS_REAL, a)), rewrite(c, vt_app1(s, "exp", VS_REAL, b)));
    }
    if ((x = online_step(c, r))) return rewrite(c, x);   /* its exp(a): a masked a becomes a masked exp */
    if ((x = online_rescale(c, r))) r = x;
    else if ((x = exp_split(c, r))) r = x;
    else if ((x = log_product(c, r))) r = x;
    else if ((x = concat(c, r))) r = x;
    else if ((x = add_split(c, r))) r = x;
    return r;
}

vt_id lemmas_rewrite(vctx *X, vprover *p, vt_id t) {
    nf_ctx *nf = p->nf;
    lctx c = {X, p, nf, 0, false, 0};
    for (int round = 0; round < MAX_ROUNDS; round++) {
        c.changed = false;
        vt_id r = nf_term(nf, rewrite(&c, t));
        if (r == t || !c.changed) { t = r; break; }
        t = r;
    }
    return t;
}
