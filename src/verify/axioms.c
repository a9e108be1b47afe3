/* axioms: every axiom of the semantics model the verifier uses, in one place. Transcendental
 * functions are uninterpreted in z3; what a proof may know about them is exactly this list.
 *
 * Definitions (applied as rewrites before proving; they are how the interpreter computes the
 * function, exec/domain_concrete.c):
 *   D1  exp2(x)    = exp(x * log(2))
 *   D2  log2(x)    = log(x) / log(2)
 *   D3  rsqrt(x)   = 1 / sqrt(x)
 *   D4  sigmoid(x) = 1 / (1 + exp(-x))
 *   D5  pow(x, n)  = x * ... * x  (n a constant integer, 0 <= n <= 8)
 * Identities (rewrites):
 *   A1  log(exp(x)) = x                               (x finite)
 *   A2  exp(a + b)  = exp(a) * exp(b)                 (a, b finite; lemmas.c splits sums)
 *   A3  log(a * b)  = log(a) + log(b)                 (a, b > 0; lemmas.c, side conditions proved)
 *   A4  exp(a - b)  = exp(a) / exp(b)                 (b finite; a may be +-inf: both sides are 0 or
 *                                                      +inf; instantiated as a fact, guarded by
 *                                                      -inf < b < inf, for every subtracted b)
 * Facts (hypotheses instantiated for every occurrence in a VC):
 *   F1  exp(x) > 0                                    (x finite; for a possibly infinite x guarded
 *                                                      by -inf < x < inf)
 *   F2  x >= 0  =>  sqrt(x) >= 0 and sqrt(x)^2 = x
 *   F3  x > 0   =>  sqrt(x) > 0
 *   F4  log(2) > 0
 *   F5  sum(k in lo..hi: f(k)) > 0 when lo < hi and f > 0 (f syntactically positive), >= 0 when f >= 0
 *   F6  max/min(k in lo..hi: f(k)) is finite when lo < hi and f is finite
 *   F7  a <= b  =>  a // d <= b // d   for d > 0 (floor division is monotone), for every pair
 *       of divisions by the same divisor in a VC
 *   F8  max(k in lo..hi: g(k)) = -inf  =>  sum(k in lo..hi: exp(g(k))) = 0   (both in the VC: every
 *       g(k) is -inf and exp(-inf) = 0; exp(g) also as its branches, ite(c, exp(x), 0) for
 *       g = ite(c, x, -inf))
 *   F9  max(k in lo..hi: f(k)) < +inf when no f(k) can be +inf or NaN (f finite or -inf, e.g. a
 *       masked load ite(mask, x, -inf)); min alike with > -inf. The fold starts at -inf and
 *       never meets +inf (so a running max of masked tiles is finite or -inf)
 * Constants (recognition of truncated literals; reported in the result):
 *   C1  a float literal within relative 1e-9 of 1/sqrt(2), sqrt(2), log(2) or 1/log(2) (= log2(e))
 *       denotes that constant. Kernels spell them 0.7071067811, 1.4426950408889634, ...
 * Definition instances of reductions (for the reductions smt.c leaves uninterpreted, and
 * harmless for the others), for every reduction R = red(k in lo..hi: f(k)) in a VC:
 *   R1  hi <= lo      =>  R = identity (0, 1, -inf, +inf)
 *   R2  hi = lo + 1   =>  R = f(lo)                      (argmax/argmin: R = lo)
 *   R3  for R' = red(k in lo..h: f(k)) in the same VC with hi = h + 1 (after normalization):
 *       h >= lo  =>  R = R' (op) f(h)            (argmax: R = f(h) > f(R') ? h : R'; argmin with <)
 *   R4  for A = argmax(k in lo..hi: f(k)) and M = max(k in lo..hi: f(k)) in the same VC (argmin
 *       and min alike): lo < hi  =>  lo <= A < hi and f(A) = M
 *   R6  for R = red(k in lo..h + d: g) and R' = red(k in lo..h: g) in the same VC (max, min,
 *       argmax, argmin; g NaN-free; d > 0 not the constant 1): with the block b(l) = g(h + l),
 *       lo <= h  =>  R = R' (op) red(l in 0..d: b(l));  argmax: lo < h  =>  R = max(lo..h: g) <
 *       max(l in 0..d: b(l)) ? h + argmax(l in 0..d: b(l)) : R', and lo = h  =>  R = h + argmax(...)
 *   R5  for two reductions of the same op and range whose bodies differ by one atom (a free
 *       variable or a closed reduction), b2 = b1[a1 := a2]:  a1 = a2  =>  R1 = R2 (congruence:
 *       e.g. a tile's argmax at the tile index `it` and at argmax(...) when the two are equal)
 * verify_options.uninterpreted_functions (the tenspiler-style baseline) drops D1-D4, A1-A4 and
 * F1-F4: transcendental functions are then bare uninterpreted functions.
 * F5, F6, F8 and F9 are theorems about finite sums and maxima (induction on hi - lo), stated here
 * because z3 does not do induction over the recursive definitions of reductions. */
#include "verify/verify_internal.h"
#include <math.h>
#include <string.h>

static bool is_app(const vt_store *s, vt_id t, const char *name, int n) {
    const vt_node *k = vt_get(s, t);
    return k->kind == VK_APP && k->n == n && strcmp(k->name, name) == 0;
}

static vt_id log2_const(vt_store *s) { return vt_app1(s, "log", VS_REAL, vt_real_int(s, 2)); }

/* C1: the exact constant a truncated literal stands for, or NONE. */
vt_id axioms_constant(vctx *X, vt_rat q) {
    vt_store *s = X->s;
    double v = vt_rat_to_double(q);
    if (v == 0 || (q.den == 1)) return VT_NONE;
    struct { double value; int which; } known[] = {
        {0.70710678118654752440, 0}, {1.41421356237309504880, 1}, {0.69314718055994530942, 2}, {1.44269504088896340736, 3},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (fabs(v - known[i].value) > 1e-9 * known[i].value) continue;
        vt_id sqrt2 = vt_app1(s, "sqrt", VS_REAL, vt_real_int(s, 2));
        switch (known[i].which) {
        case 0: vx_note_pattern(X, "constant:1/sqrt(2)"); return vt_div(s, vt_real_int(s, 1), sqrt2);
        case 1: vx_note_pattern(X, "constant:sqrt(2)"); return sqrt2;
        case 2: vx_note_pattern(X, "constant:log(2)"); return log2_const(s);
        default: vx_note_pattern(X, "constant:log2(e)"); return vt_div(s, vt_real_int(s, 1), log2_const(s));
        }
    }
    return VT_NONE;
}

typedef struct memo { vt_id *key, *val; size_t cap, n; } memo;

static bool memo_get(memo *m, vt_id k, vt_id *v) {
    if (!m->cap) return false;
    size_t j = (k * 2654435761u) & (m->cap - 1);
    while (m->key[j]) {
        if (m->key[j] == k) { *v = m->val[j]; return true; }
        j = (j + 1) & (m->cap - 1);
    }
    return false;
}

static void memo_put(memo *m, vt_id k, vt_id v) {
    if (m->n * 2 >= m->cap) {
        memo old = *m;
        m->cap = old.cap ? old.cap * 2 : 256;
        m->n = 0;
        m->key = xcalloc(m->cap, sizeof *m->key);
        m->val = xcalloc(m->cap, sizeof *m->val);
        for (size_t i = 0; i < old.cap; i++)
            if (old.key[i]) memo_put(m, old.key[i], old.val[i]);
        free(old.key);
        free(old.val);
    }
    size_t j = (k * 2654435761u) & (m->cap - 1);
    while (m->key[j] && m->key[j] != k) j = (j + 1) & (m->cap - 1);
    if (!m->key[j]) m->n++;
    m->key[j] = k;
    m->val[j] = v;
}

static vt_id expand(vctx *X, memo *m, vt_id t) {
    vt_store *s = X->s;
    vt_id r;
    if (memo_get(m, t, &r)) return r;
    const vt_node *k = vt_get(s, t);
    vt_kind kind = k->kind;
    int n = k->n;
    if (kind == VK_REALC) {
        r = axioms_constant(X, k->q);
        r = r ? r : t;
        memo_put(m, t, r);
        return r;
    }
    if (n == 0) return t;
    vt_id buf[16], *a = n <= 16 ? buf : xcalloc((size_t)n, sizeof *a);
    for (int i = 0; i < n; i++) a[i] = expand(X, m, vt_get(s, t)->args[i]);
    r = vt_rebuild(s, t, n, a);
    k = vt_get(s, r);
    if (k->kind == VK_APP && k->n == 1 && !X->opt->uninterpreted_functions) {
        vt_id x = k->args[0];
        if (strcmp(k->name, "exp2") == 0) r = vt_app1(s, "exp", VS_REAL, vt_mul(s, x, log2_const(s)));          /* D1 */
        else if (strcmp(k->name, "log2") == 0) r = vt_div(s, vt_app1(s, "log", VS_REAL, x), log2_const(s));   /* D2 */
        else if (strcmp(k->name, "rsqrt") == 0) r = vt_div(s, vt_real_int(s, 1), vt_app1(s, "sqrt", VS_REAL, x));   /* D3 */
        else if (strcmp(k->name, "sigmoid") == 0)                                                               /* D4 */
            r = vt_div(s, vt_real_int(s, 1), vt_add(s, vt_real_int(s, 1), vt_app1(s, "exp", VS_REAL, vt_neg(s, x))));
        else if (strcmp(k->name, "log") == 0 && is_app(s, x, "exp", 1) && !vt_get(s, vt_get(s, x)->args[0])->maybe_inf)
            r = vt_get(s, x)->args[0];                                                                          /* A1 */
    } else if (k->kind == VK_APP && k->n == 2 && strcmp(k->name, "pow") == 0) {
        vt_rat q;
        if (vt_is_rat(s, k->args[1], &q) && q.den == 1 && q.num >= 0 && q.num <= 8) {                            /* D5 */
            vt_id x = k->args[0], p = vt_real_int(s, 1);
            for (int64_t i = 0; i < q.num; i++) p = vt_mul(s, p, x);
            r = p;
        }
    }
    if (r != vt_rebuild(s, t, n, a)) r = expand(X, m, r);   /* the result may hold more to expand */
    if (a != buf) free(a);
    memo_put(m, t, r);
    return r;
}

vt_id axioms_expand(vctx *X, vt_id t) {
    memo m = {0};
    vt_id r = expand(X, &m, t);
    free(m.key);
    free(m.val);
    return r;
}

/* ---- facts ---- */

/* Syntactic sign: 2 positive, 1 nonnegative, 0 unknown. */
static int sign_of(const vt_store *s, vt_id t) {
    const vt_node *k = vt_get(s, t);
    if (k->maybe_inf) return 0;
    vt_rat q;
    if (vt_is_rat(s, t, &q)) return q.num > 0 ? 2 : q.num == 0 ? 1 : 0;
    switch (k->kind) {
    case VK_APP:
        if (strcmp(k->name, "exp") == 0) return 2;
        return 0;
    case VK_MUL: {
        int r = 2;
        /* a product with every factor appearing an even number of times is a square */
        bool square = k->n % 2 == 0;
        for (int i = 0; i + 1 < k->n && square; i += 2) square = k->args[i] == k->args[i + 1];
        if (square) return 1;
        for (int i = 0; i < k->n; i++) {
            int f = sign_of(s, k->args[i]);
            if (f == 0) return 0;
            if (f < r) r = f;
        }
        return r;
    }
    case VK_ADD: {
        int r = 2;
        bool any_pos = false;
        for (int i = 0; i < k->n; i++) {
            int f = sign_of(s, k->args[i]);
            if (f == 0) return 0;
            if (f == 2) any_pos = true;
            if (f < r) r = f;
        }
        return any_pos ? 2 : r;
    }
    case VK_DIV: {
        int a = sign_of(s, k->args[0]), b = sign_of(s, k->args[1]);
        return (a && b == 2) ? a : 0;
    }
    case VK_ITE: {
        int a = sign_of(s, k->args[1]), b = sign_of(s, k->args[2]);
        return a < b ? a : b;
    }
    case VK_RED:
        if (k->op == VR_SUM) return sign_of(s, k->args[2]) ? 1 : 0;   /* may be empty: >= 0 */
        return 0;
    case VK_TOREAL: return 0;
    default: return 0;
    }
}

/* -inf < t < +inf: t is finite (false for NaN too). */
static vt_id finite_at(vt_store *s, vt_id t) { return vt_and(s, vt_lt(s, vt_inf(s, -1), t), vt_lt(s, t, vt_inf(s, 1))); }

/* -1 * b: returns b (NONE otherwise). */
static vt_id negated(const vt_store *s, vt_id t) {
    const vt_node *k = vt_get(s, t);
    if (k->kind != VK_MUL || k->n != 2) return VT_NONE;
    for (int i = 0; i < 2; i++) {
        vt_rat q;
        if (vt_is_rat(s, k->args[i], &q) && q.num == -1 && q.den == 1) return k->args[1 - i];
    }
    return VT_NONE;
}

/* R5 helpers. Atoms of a reduction body: its free variables and its closed reduction subterms
 * (not looked into). At most ATOMS_MAX, visiting at most ATOMS_VISITS nodes; false beyond. */
#define ATOMS_MAX 16
#define ATOMS_VISITS 4096
typedef struct atoms { vt_id a[ATOMS_MAX]; int n, visits; } atoms;

static bool collect_atoms(const vt_store *s, vt_id t, atoms *at) {
    if (++at->visits > ATOMS_VISITS) return false;
    const vt_node *k = vt_get(s, t);
    if (k->kind == VK_VAR || (k->kind == VK_RED && k->depth == 0)) {
        for (int i = 0; i < at->n; i++)
            if (at->a[i] == t) return true;
        if (at->n == ATOMS_MAX) return false;
        at->a[at->n++] = t;
        return true;
    }
    for (int i = 0; i < k->n; i++)
        if (!collect_atoms(s, k->args[i], at)) return false;
    return true;
}

/* Is b2 the body b1 with one atom a1 replaced by another term a2 (of the same sort, an atom of
 * b2)? Then a1 == a2 implies the two reductions over the same range are equal (congruence;
 * z3 cannot see it since reductions are function symbols keyed by their body). */
static bool atom_renaming(vt_store *s, vt_id b1, vt_id b2, vt_id *a1, vt_id *a2) {
    const vt_node *k1 = vt_get(s, b1), *k2 = vt_get(s, b2);
    if (k1->kind != k2->kind || k1->n != k2->n || k1->sort != k2->sort) return false;
    atoms x = {{0}, 0, 0}, y = {{0}, 0, 0};
    if (!collect_atoms(s, b1, &x) || !collect_atoms(s, b2, &y)) return false;
    for (int i = 0; i < x.n; i++) {
        bool shared = false;
        for (int j = 0; j < y.n && !shared; j++) shared = y.a[j] == x.a[i];
        if (shared) continue;
        for (int j = 0; j < y.n; j++) {
            bool in_x = false;
            for (int l = 0; l < x.n && !in_x; l++) in_x = x.a[l] == y.a[j];
            if (in_x || vt_sort_of(s, y.a[j]) != vt_sort_of(s, x.a[i]) || vt_get(s, y.a[j])->maybe_inf || vt_get(s, x.a[i])->maybe_inf)
                continue;
            if (vt_replace(s, b1, x.a[i], y.a[j]) == b2) { *a1 = x.a[i]; *a2 = y.a[j]; return true; }
        }
    }
    return false;
}

typedef struct facts { vctx *X; nf_ctx *nf; vt_id *out; int n, max; uint8_t *seen; vt_id divs[32]; int n_divs; vt_id reds[64]; int n_reds; } facts;
static void add(facts *f, vt_id fact);

/* Cannot be NaN (a max/min fold's order only matters with NaN). */
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

/* R6: R = red(k in lo..h2: g), R' = red(k in lo..h1: g) with d = h2 - h1 not the constant 1
 * (that is R3): R is R' combined with the block red(l in 0..d: g(h1 + l)), for max / min /
 * argmax / argmin (first extremal index) of a NaN-free body. The block terms are built in the
 * normal form of the VC (they are what a tiled loop computes per iteration). */
static void block_peel(facts *f, vt_id r1, vt_id r2) {
    vt_store *s = f->X->s;
    const vt_node *a = vt_get(s, r1), *b = vt_get(s, r2);
    int op = a->op;
    if (op != b->op || a->args[0] != b->args[0] || a->args[2] != b->args[2] || op == VR_SUM || op == VR_PROD) return;
    vt_id lo = a->args[0], h1 = a->args[1], h2 = b->args[1], g = a->args[2];
    if (!nan_free(s, g)) return;
    vt_id d = nf_term(f->nf, vt_sub(s, h2, h1));
    int64_t dc;
    if (nf_const(f->nf, d, &dc) && dc <= 1) return;   /* R3, or the other order (both are tried) */
    /* r1 is the prefix (lo..h1), r2 the whole (lo..h1 + d); d > 0 is a hypothesis of the fact */
    vt_id lvar = vt_var(s, "$peel", VS_INT);
    vt_id gl = vt_open(s, g, vt_add(s, h1, lvar));
    bool arg = op == VR_ARGMAX || op == VR_ARGMIN;
    bool is_max = op == VR_MAX || op == VR_ARGMAX;
    vt_red_op vop = is_max ? VR_MAX : VR_MIN;
    vt_id zero = vt_int(s, 0);
    vt_id tile_v = nf_term(f->nf, vt_red_over(s, vop, lvar, zero, d, gl));
    vt_id pre_v = arg ? nf_term(f->nf, vt_red(s, vop, lo, h1, g)) : r1;
    vt_id better = is_max ? vt_lt(s, pre_v, tile_v) : vt_lt(s, tile_v, pre_v);
    vt_id pos = vt_lt(s, zero, d);
    if (!arg) {
        add(f, vt_implies(s, vt_and(s, pos, vt_le(s, lo, h1)), vt_eq(s, r2, vt_ite(s, better, tile_v, r1))));
        return;
    }
    vt_id tile_a = nf_term(f->nf, vt_add(s, h1, vt_red_over(s, (vt_red_op)op, lvar, zero, d, gl)));
    add(f, vt_implies(s, vt_and(s, pos, vt_lt(s, lo, h1)), vt_eq(s, r2, vt_ite(s, better, tile_a, r1))));
    add(f, vt_implies(s, vt_and(s, pos, vt_eq(s, lo, h1)), vt_eq(s, r2, tile_a)));
}


static void add(facts *f, vt_id fact) {
    if (f->n < f->max) f->out[f->n++] = fact;
}

/* A4: exp(a - b) = exp(a) / exp(b) for finite b (a may be infinite: both sides are then 0 or
 * +inf), instantiated for every subtracted term b of the exponent; and exp(b) > 0 there. */
static void exp_quotient(facts *f, vt_id t, vt_id x) {
    vt_store *s = f->X->s;
    const vt_node *k = vt_get(s, x);
    int n = k->n;
    if (n > 32) return;
    vt_id args[32];
    for (int i = 0; i < n; i++) args[i] = vt_get(s, x)->args[i];
    for (int i = 0; i < n; i++) {
        vt_id b = negated(s, args[i]);
        if (!b) continue;
        vt_id rest[32];
        int m = 0;
        for (int j = 0; j < n; j++)
            if (j != i) rest[m++] = args[j];
        vt_id eb = vt_app1(s, "exp", VS_REAL, b);
        vt_id ea = vt_app1(s, "exp", VS_REAL, vt_addn(s, VS_REAL, m, rest));
        add(f, vt_implies(s, finite_at(s, b), vt_and(s, vt_lt(s, vt_real_int(s, 0), eb), vt_eq(s, t, vt_div(s, ea, eb)))));
    }
}

/* F9: t is never `sign` * inf nor NaN: finite, the other infinity, or a conditional / max /
 * min / max- or min-reduction of such terms. */
static bool never_inf(const vt_store *s, vt_id t, int sign, int depth) {
    const vt_node *k = vt_get(s, t);
    if (!k->maybe_inf) return true;
    if (depth > 16) return false;
    switch (k->kind) {
    case VK_INF: return k->ival == -sign;
    case VK_ITE: return never_inf(s, k->args[1], sign, depth + 1) && never_inf(s, k->args[2], sign, depth + 1);
    case VK_MAX: case VK_MIN:
        for (int i = 0; i < k->n; i++)
            if (!never_inf(s, k->args[i], sign, depth + 1)) return false;
        return true;
    case VK_RED:
        /* an empty max is -inf, an empty min +inf */
        if (!((k->op == VR_MAX && sign > 0) || (k->op == VR_MIN && sign < 0))) return false;
        return never_inf(s, k->args[2], sign, depth + 1);
    default: return false;
    }
}

/* Is e = exp(g) for every value of the bound variable? Syntactically exp(g), or the two
 * conditionals of one condition whose branches are (exp-inf: exp(-inf) = 0, lemmas.c writes
 * exp(ite(c, x, -inf)) as ite(c, exp(x), 0)). */
static bool exp_of(const vt_store *s, vt_id e, vt_id g, int depth) {
    const vt_node *ek = vt_get(s, e), *gk = vt_get(s, g);
    if (ek->kind == VK_APP && ek->n == 1 && strcmp(ek->name, "exp") == 0 && ek->args[0] == g) return true;
    if (gk->kind == VK_INF && gk->ival < 0) return vt_is_zero(s, e);
    if (depth > 8 || ek->kind != VK_ITE || gk->kind != VK_ITE || ek->args[0] != gk->args[0]) return false;
    return exp_of(s, ek->args[1], gk->args[1], depth + 1) && exp_of(s, ek->args[2], gk->args[2], depth + 1);
}

/* F8: for S = sum(k in lo..hi: exp(g(k))) and M = max(k in lo..hi: g(k)) in one VC: M = -inf
 * implies S = 0 (every g(k) <= M is -inf, and exp(-inf) = 0). */
static void sum_exp_of_empty_max(facts *f, vt_id sum, vt_id max) {
    vt_store *s = f->X->s;
    const vt_node *S = vt_get(s, sum), *M = vt_get(s, max);
    if (S->args[0] != M->args[0] || S->args[1] != M->args[1]) return;
    if (!exp_of(s, S->args[2], M->args[2], 0)) return;
    add(f, vt_implies(s, vt_eq(s, max, vt_inf(s, -1)), vt_eq(s, sum, vt_real_int(s, 0))));
}

static void collect(facts *f, vt_id t) {
    vt_store *s = f->X->s;
    if (f->seen[t]) return;
    f->seen[t] = 1;
    int n = vt_get(s, t)->n;   /* collecting makes terms: the node array may move */
    for (int i = 0; i < n; i++) collect(f, vt_get(s, t)->args[i]);
    const vt_node *k = vt_get(s, t);
    if (k->depth != 0) return;   /* facts only about closed terms */
    if (k->kind == VK_FDIV) {                                                                                      /* F7 */
        vt_id a = k->args[0], d = k->args[1];
        for (int i = 0; i < f->n_divs; i++) {
            const vt_node *o = vt_get(s, f->divs[i]);
            if (o->args[1] != d) continue;
            vt_id b = o->args[0], pos = vt_lt(s, vt_int(s, 0), d);
            add(f, vt_implies(s, vt_and(s, pos, vt_le(s, a, b)), vt_le(s, t, f->divs[i])));
            add(f, vt_implies(s, vt_and(s, pos, vt_le(s, b, a)), vt_le(s, f->divs[i], t)));
        }
        if (f->n_divs < 32) f->divs[f->n_divs++] = t;
        k = vt_get(s, t);
    }
    vt_id zero = vt_real_int(s, 0);
    k = vt_get(s, t);   /* making terms may move the node array */
    if (k->kind == VK_APP && k->n == 1 && !f->X->opt->uninterpreted_functions) {
        vt_id x = k->args[0];
        const char *fn = k->name;   /* interned: does not move with the node array */
        if (strcmp(fn, "exp") == 0 && !vt_get(s, x)->maybe_inf) add(f, vt_lt(s, zero, t));                  /* F1 */
        if (strcmp(fn, "exp") == 0 && vt_get(s, x)->maybe_inf) add(f, vt_implies(s, finite_at(s, x), vt_lt(s, zero, t)));
        if (strcmp(fn, "exp") == 0 && vt_kind_of(s, x) == VK_ADD) exp_quotient(f, t, x);                  /* A4 */
        if (strcmp(fn, "sqrt") == 0) {
            add(f, vt_implies(s, vt_le(s, zero, x), vt_and(s, vt_le(s, zero, t), vt_eq(s, vt_mul(s, t, t), x))));   /* F2 */
            add(f, vt_implies(s, vt_lt(s, zero, x), vt_lt(s, zero, t)));                                            /* F3 */
        }
        if (strcmp(fn, "log") == 0 && vt_is_rat(s, x, NULL)) {
            vt_rat q;
            vt_is_rat(s, x, &q);
            if (q.num == 2 && q.den == 1) add(f, vt_lt(s, zero, t));                                              /* F4 */
        }
        k = vt_get(s, t);
    }
    if (k->kind == VK_RED) {
        vt_id lo = k->args[0], hi = k->args[1], body = k->args[2];
        int op = k->op;
        int64_t ival = k->ival;   /* making terms may move the node array */
        bool arg = op == VR_ARGMAX || op == VR_ARGMIN;
        vt_sort bs = vt_sort_of(s, body);
        vt_id ident = vt_red_identity(s, (vt_red_op)op, bs);
        if (ident && ival != 1) add(f, vt_implies(s, vt_le(s, hi, lo), vt_eq(s, t, ident)));                   /* R1 */
        vt_id one = vt_eq(s, hi, vt_add(s, lo, vt_int(s, 1)));
        add(f, vt_implies(s, one, vt_eq(s, t, arg ? lo : vt_open(s, body, lo))));                                 /* R2 */
        for (int i = 0; i < f->n_reds; i++) {                                                                      /* R3 */
            const vt_node *o = vt_get(s, f->reds[i]);
            if (o->op != op || o->args[2] != body || o->args[0] != lo) continue;
            vt_id h1 = o->args[1], h2 = hi, big = t, small = f->reds[i];
            nf_ctx nf;
            nf_init(&nf, s);
            int64_t d;
            bool ok = nf_const(&nf, vt_sub(s, h2, h1), &d);
            nf_free(&nf);
            if (!ok || (d != 1 && d != -1)) continue;
            if (d == -1) { big = f->reds[i]; small = t; vt_id tmp = h1; h1 = h2; h2 = tmp; }
            vt_id last = vt_open(s, body, h1), step;
            switch (op) {
            case VR_SUM: step = vt_add(s, small, last); break;
            case VR_PROD: step = vt_mul(s, small, last); break;
            case VR_MAX: step = vt_ite(s, vt_lt(s, small, last), last, small); break;
            case VR_MIN: step = vt_ite(s, vt_lt(s, last, small), last, small); break;
            case VR_ARGMAX: step = vt_ite(s, vt_lt(s, vt_open(s, body, small), last), h1, small); break;
            default: step = vt_ite(s, vt_lt(s, last, vt_open(s, body, small)), h1, small); break;
            }
            add(f, vt_implies(s, vt_le(s, lo, h1), vt_eq(s, big, step)));
        }
        for (int i = 0; i < f->n_reds; i++) {                                                                      /* R4 */
            const vt_node *o = vt_get(s, f->reds[i]);
            if (o->args[0] != lo || o->args[1] != hi || o->args[2] != body) continue;
            int a_op = arg ? op : o->op, m_op = arg ? o->op : op;
            if (!((a_op == VR_ARGMAX && m_op == VR_MAX) || (a_op == VR_ARGMIN && m_op == VR_MIN))) continue;
            vt_id A = arg ? t : f->reds[i], Mx = arg ? f->reds[i] : t;
            vt_id in_range = vt_and(s, vt_le(s, lo, A), vt_lt(s, A, hi));
            add(f, vt_implies(s, vt_lt(s, lo, hi), vt_and(s, in_range, vt_eq(s, vt_open(s, body, A), Mx))));
        }
        for (int i = 0; i < f->n_reds && f->nf; i++) {                                                             /* R6 */
            block_peel(f, f->reds[i], t);
            block_peel(f, t, f->reds[i]);
        }
        for (int i = 0; i < f->n_reds; i++) {                                                                      /* R5 */
            const vt_node *o = vt_get(s, f->reds[i]);
            if (o->op != op || o->args[0] != lo || o->args[1] != hi || o->args[2] == body) continue;
            vt_id a1, a2;
            if (atom_renaming(s, o->args[2], body, &a1, &a2)) add(f, vt_implies(s, vt_eq(s, a1, a2), vt_eq(s, f->reds[i], t)));
        }
        for (int i = 0; i < f->n_reds; i++) {                                                                      /* F8 */
            const vt_node *o = vt_get(s, f->reds[i]);
            if (op == VR_SUM && o->op == VR_MAX) sum_exp_of_empty_max(f, t, f->reds[i]);
            if (op == VR_MAX && o->op == VR_SUM) sum_exp_of_empty_max(f, f->reds[i], t);
        }
        if (f->n_reds < 64) f->reds[f->n_reds++] = t;
        k = vt_get(s, t);
    }
    if (k->kind == VK_RED && k->sort == VS_REAL) {
        vt_id lo = k->args[0], hi = k->args[1], body = k->args[2];
        int op = k->op;   /* making terms may move the node array */
        vt_id nonempty = vt_lt(s, lo, hi);
        if (op == VR_SUM) {                                                                                     /* F5 */
            int sg = sign_of(s, body);
            if (sg == 2) add(f, vt_implies(s, nonempty, vt_lt(s, zero, t)));
            if (sg >= 1) add(f, vt_le(s, zero, t));
        }
        if ((op == VR_MAX || op == VR_MIN) && !vt_get(s, body)->maybe_inf)                                   /* F6 */
            add(f, vt_implies(s, nonempty, vt_and(s, vt_lt(s, vt_inf(s, -1), t), vt_lt(s, t, vt_inf(s, 1)))));
        else if (op == VR_MAX && never_inf(s, body, 1, 0)) add(f, vt_lt(s, t, vt_inf(s, 1)));                 /* F9 */
        else if (op == VR_MIN && never_inf(s, body, -1, 0)) add(f, vt_lt(s, vt_inf(s, -1), t));
    }
}

int axioms_facts(vctx *X, nf_ctx *nf, vt_id t, vt_id *out, int max) {
    facts f = {X, nf, out, 0, max, xcalloc(vt_store_size(X->s) + 2, 1), {0}, 0, {0}, 0};
    collect(&f, t);
    free(f.seen);
    return f.n;
}
