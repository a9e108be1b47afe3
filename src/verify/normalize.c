/* normalize: see normalize.h. */
#include "verify/normalize.h"
#include <stdlib.h>
#include <string.h>

#define MAX_MONOS 48

void nf_init(nf_ctx *c, vt_store *s) {
    memset(c, 0, sizeof *c);
    c->s = s;
}

void nf_free(nf_ctx *c) {
    free(c->ranges);
    free(c->divisible);
    free(c->memo_key);
    free(c->memo_val);
    memset(c, 0, sizeof *c);
}

void nf_clear_memo(nf_ctx *c) {
    if (c->memo_key) memset(c->memo_key, 0, c->memo_cap * sizeof *c->memo_key);
    c->memo_n = 0;
}

void nf_add_range(nf_ctx *c, vt_id var, vt_id lo, vt_id hi) {
    if (c->n_ranges == c->cap_ranges) {
        c->cap_ranges = c->cap_ranges ? c->cap_ranges * 2 : 16;
        c->ranges = xrealloc(c->ranges, (size_t)c->cap_ranges * sizeof *c->ranges);
    }
    c->ranges[c->n_ranges++] = (nf_range){var, lo, hi};
    nf_clear_memo(c);
}

void nf_add_divisible(nf_ctx *c, vt_id x, vt_id d) {
    for (int i = 0; i < c->n_divisible; i++)
        if (c->divisible[i].x == x && c->divisible[i].d == d) return;
    if (c->n_divisible == c->cap_divisible) {
        c->cap_divisible = c->cap_divisible ? c->cap_divisible * 2 : 4;
        c->divisible = xrealloc(c->divisible, (size_t)c->cap_divisible * sizeof *c->divisible);
    }
    c->divisible[c->n_divisible++] = (nf_divisible){x, d};
    nf_clear_memo(c);
}

bool nf_is_divisible_fact(const nf_ctx *c, vt_id h, vt_id *x, vt_id *d) {
    const vt_store *s = c->s;
    const vt_node *k = vt_get(s, h);
    if (k->kind != VK_EQ) return false;
    int64_t z;
    vt_id m = VT_NONE;
    if (vt_is_const(s, k->args[0], &z) && z == 0) m = k->args[1];
    else if (vt_is_const(s, k->args[1], &z) && z == 0) m = k->args[0];
    if (!m || vt_kind_of(s, m) != VK_FMOD) return false;
    vt_id xx = vt_get(s, m)->args[0];
    vt_kind xk = vt_kind_of(s, xx);
    if (xk == VK_ADD || xk == VK_INTC) return false;   /* x must be a monomial */
    *x = xx;
    *d = vt_get(s, m)->args[1];
    return true;
}

static bool memo_get(nf_ctx *c, vt_id t, vt_id *out) {
    if (!c->memo_cap) return false;
    size_t j = (t * 2654435761u) & (c->memo_cap - 1);
    while (c->memo_key[j]) {
        if (c->memo_key[j] == t) { *out = c->memo_val[j]; return true; }
        j = (j + 1) & (c->memo_cap - 1);
    }
    return false;
}

static void memo_put(nf_ctx *c, vt_id t, vt_id v) {
    if (c->memo_n * 2 >= c->memo_cap) {
        size_t old_cap = c->memo_cap;
        vt_id *ok = c->memo_key, *ov = c->memo_val;
        c->memo_cap = old_cap ? old_cap * 2 : 1024;
        c->memo_key = xcalloc(c->memo_cap, sizeof *c->memo_key);
        c->memo_val = xcalloc(c->memo_cap, sizeof *c->memo_val);
        c->memo_n = 0;
        for (size_t i = 0; i < old_cap; i++)
            if (ok[i]) memo_put(c, ok[i], ov[i]);
        free(ok);
        free(ov);
    }
    size_t j = (t * 2654435761u) & (c->memo_cap - 1);
    while (c->memo_key[j] && c->memo_key[j] != t) j = (j + 1) & (c->memo_cap - 1);
    if (!c->memo_key[j]) c->memo_n++;
    c->memo_key[j] = t;
    c->memo_val[j] = v;
}

/* ---- polynomials ---- */

typedef struct poly { nf_mono m[MAX_MONOS]; int n; bool overflow; vt_sort sort; } poly;

static const nf_range *range_of(const nf_ctx *c, vt_id v);

static int mono_cmp(const void *a, const void *b) {
    vt_id x = ((const nf_mono *)a)->mono, y = ((const nf_mono *)b)->mono;
    return x < y ? -1 : x > y;
}

static void poly_add_mono(poly *p, vt_rat c, vt_id mono) {
    if (c.num == 0) return;
    for (int i = 0; i < p->n; i++)
        if (p->m[i].mono == mono) {
            vt_rat r;
            if (!vt_rat_add(p->m[i].coef, c, &r)) { p->overflow = true; return; }
            p->m[i].coef = r;
            return;
        }
    if (p->n == MAX_MONOS) { p->overflow = true; return; }
    p->m[p->n++] = (nf_mono){c, mono};
}

static void poly_compact(poly *p) {
    int w = 0;
    for (int i = 0; i < p->n; i++)
        if (p->m[i].coef.num != 0) p->m[w++] = p->m[i];
    p->n = w;
    qsort(p->m, (size_t)p->n, sizeof p->m[0], mono_cmp);
}

static vt_id mono_mul(vt_store *s, vt_sort sort, vt_id a, vt_id b) {
    if (!a) return b;
    if (!b) return a;
    vt_id v[2] = {a, b};
    return vt_muln(s, sort, 2, v);
}

static vt_id coef_term(vt_store *s, vt_sort sort, vt_rat q) {
    return sort == VS_INT ? vt_int(s, q.num / q.den) : vt_real(s, q);
}

vt_id nf_from_poly(nf_ctx *c, vt_sort sort, const nf_mono *m, int n) {
    vt_store *s = c->s;
    vt_id items[MAX_MONOS + 1];
    int k = 0;
    for (int i = 0; i < n && k < MAX_MONOS; i++) {
        if (m[i].coef.num == 0) continue;
        vt_id ct = coef_term(s, sort, m[i].coef);
        items[k++] = m[i].mono ? vt_mul(s, ct, m[i].mono) : ct;
    }
    return vt_addn(s, sort, k, items);
}

static vt_id poly_term(nf_ctx *c, const poly *p) { return nf_from_poly(c, p->sort, p->m, p->n); }

static vt_id atom_of(nf_ctx *c, vt_id t);
static void poly_of(nf_ctx *c, vt_id t, poly *p);

static void poly_const(poly *p, vt_sort sort, vt_rat q) {
    p->n = 0; p->overflow = false; p->sort = sort;
    if (q.num) { p->m[0] = (nf_mono){q, VT_NONE}; p->n = 1; }
}

static void poly_atom(poly *p, vt_sort sort, vt_id atom) {
    p->n = 1; p->overflow = false; p->sort = sort;
    p->m[0] = (nf_mono){(vt_rat){1, 1}, atom};
}

/* Atoms of a monomial (a product term or a single atom). */
static int mono_atoms(const vt_store *s, vt_id mono, vt_id *out, int max) {
    if (!mono) return 0;
    const vt_node *k = vt_get(s, mono);
    if (k->kind != VK_MUL) { out[0] = mono; return 1; }
    int n = 0;
    for (int i = 0; i < k->n && n < max; i++) out[n++] = k->args[i];
    return n;
}

/* Converts each atom of an Int monomial to Real (toreal distributes over products). */
static vt_id mono_to_real(nf_ctx *c, vt_id mono) {
    vt_store *s = c->s;
    vt_id atoms[32];
    int n = mono_atoms(s, mono, atoms, 32);
    vt_id r = VT_NONE;
    for (int i = 0; i < n; i++) r = mono_mul(s, VS_REAL, r, atom_of(c, vt_toreal(s, atoms[i])));
    return r;
}

/* ---- inverses (Real) ---- */

static bool is_inverse(const vt_store *s, vt_id t, vt_id *of) {
    const vt_node *k = vt_get(s, t);
    if (k->kind != VK_DIV) return false;
    vt_rat q;
    if (!vt_is_rat(s, k->args[0], &q) || q.num != 1 || q.den != 1) return false;
    if (of) *of = k->args[1];
    return true;
}

static bool int_lower_at_least(nf_ctx *c, vt_id t, int64_t want);

/* The argument of exp(a) with a finite, else NONE. */
static vt_id finite_exp_arg(const vt_store *s, vt_id t) {
    const vt_node *k = vt_get(s, t);
    if (k->kind != VK_APP || k->n != 1 || strcmp(k->name, "exp") != 0 || vt_get(s, k->args[0])->maybe_inf) return VT_NONE;
    return k->args[0];
}

/* b is provably nonzero: syntactically positive, or proved */
static bool nonzero(nf_ctx *c, vt_id b) {
    vt_store *s = c->s;
    const vt_node *k = vt_get(s, b);
    vt_rat q;
    if (k->maybe_inf) return false;
    if (vt_is_rat(s, b, &q)) return q.num != 0;
    if (k->kind == VK_APP && k->n == 1) {
        vt_id x = k->args[0];
        if (strcmp(k->name, "exp") == 0 && !vt_get(s, x)->maybe_inf) return true;
        if (strcmp(k->name, "log") == 0 && vt_is_rat(s, x, &q) && vt_rat_cmp(q, (vt_rat){1, 1}) > 0) return true;
        if (strcmp(k->name, "sqrt") == 0 && vt_is_rat(s, x, &q) && q.num > 0) return true;
    }
    if (k->kind == VK_TOREAL && int_lower_at_least(c, k->args[0], 1)) return true;
    k = vt_get(s, b);   /* proving makes terms: the node array may move */
    if (k->kind == VK_RED && k->op == VR_SUM && k->sort == VS_REAL) {
        /* a sum of exp(finite) over a nonempty range is positive (an online normaliser) */
        vt_id lo = k->args[0], hi = k->args[1];
        return finite_exp_arg(s, k->args[2]) && nf_less(c, lo, hi);
    }
    if (is_inverse(s, b, &b)) return nonzero(c, b);
    if (k->kind == VK_MUL) {
        int n = k->n;   /* proving makes terms: the node array may move */
        for (int i = 0; i < n; i++)
            if (!nonzero(c, vt_get(s, b)->args[i])) return false;
        return true;
    }
    return false;
}

static vt_id inverse_atom(nf_ctx *c, vt_id b) {
    vt_store *s = c->s;
    vt_id of;
    if (is_inverse(s, b, &of) && nonzero(c, of)) return of;   /* 1/(1/x) = x for x != 0 */
    if (vt_kind_of(s, b) == VK_MUL && nonzero(c, b)) {
        /* 1/(x*y) = (1/x)*(1/y) for finite nonzero x, y: a normaliser moved between maxima
         * is C * (1/exp(m)) in a denominator */
        int n = vt_get(s, b)->n;
        if (n > 16) return vt_div(s, vt_real_int(s, 1), b);
        vt_id factors[16];
        for (int i = 0; i < n; i++) factors[i] = vt_get(s, b)->args[i];   /* the node array may move */
        vt_id r = vt_real_int(s, 1);
        for (int i = 0; i < n; i++) r = vt_mul(s, r, inverse_atom(c, factors[i]));
        return r;
    }
    return vt_div(s, vt_real_int(s, 1), b);
}

/* exp(a) * exp(b) = exp(a + b) = 1 for finite a, b with a + b = 0 (axiom A2): an online
 * normaliser moved to a running max m and back carries exp(m) * exp(-m). */
static bool exps_cancel(nf_ctx *c, vt_id x, vt_id y) {
    vt_store *s = c->s;
    vt_id a = finite_exp_arg(s, x), b = a ? finite_exp_arg(s, y) : VT_NONE;
    if (!b) return false;
    vt_rat q;
    vt_id sum = nf_term(c, vt_add(s, a, b));
    return vt_is_rat(s, sum, &q) && q.num == 0;
}

/* Removes pairs x * (1/x) with x != 0, and exp(a) * exp(-a), from a monomial; a constant
 * factor goes to *coef. */
static vt_id cancel_inverses(nf_ctx *c, vt_id mono, vt_rat *coef) {
    vt_store *s = c->s;
    if (!mono || vt_kind_of(s, mono) != VK_MUL) {
        vt_rat q;
        if (mono && vt_is_rat(s, mono, &q)) { vt_rat r; if (vt_rat_mul(*coef, q, &r)) { *coef = r; return VT_NONE; } }
        return mono;
    }
    const vt_node *k = vt_get(s, mono);
    vt_id atoms[64];
    int n = k->n < 64 ? k->n : 64;
    for (int i = 0; i < n; i++) atoms[i] = k->args[i];
    bool gone[64] = {0}, changed = false;
    for (int i = 0; i < n; i++) {
        vt_id of;
        if (gone[i]) continue;
        if (!is_inverse(s, atoms[i], &of)) {
            for (int j = i + 1; j < n; j++)
                if (!gone[j] && exps_cancel(c, atoms[i], atoms[j])) { gone[i] = gone[j] = true; changed = true; break; }
            continue;
        }
        for (int j = 0; j < n; j++)
            if (!gone[j] && j != i && atoms[j] == of && nonzero(c, of)) { gone[i] = gone[j] = true; changed = true; break; }
    }
    if (!changed) return mono;
    vt_id r = VT_NONE;
    for (int i = 0; i < n; i++)
        if (!gone[i]) r = r ? vt_mul(s, r, atoms[i]) : atoms[i];
    vt_rat q;
    if (r && vt_is_rat(s, r, &q)) { vt_rat rr; if (vt_rat_mul(*coef, q, &rr)) { *coef = rr; return VT_NONE; } }
    return r;
}

static void recombine_divmod(nf_ctx *c, poly *p);
static void recombine_divisible(nf_ctx *c, poly *p);
static void expose_divisible(nf_ctx *c, poly *ap, vt_id d, vt_rat dc, vt_id dm);

static void poly_of(nf_ctx *c, vt_id t, poly *p) {
    vt_store *s = c->s;
    const vt_node *k = vt_get(s, t);
    vt_sort sort = k->sort;
    p->sort = sort;
    p->overflow = false;
    p->n = 0;
    if (sort == VS_REAL && k->maybe_inf) { poly_atom(p, sort, atom_of(c, t)); return; }
    switch (k->kind) {
    case VK_INTC: poly_const(p, sort, (vt_rat){k->ival, 1}); return;
    case VK_REALC: poly_const(p, sort, k->q); return;
    case VK_ADD: {
        int n = k->n;
        poly *q = xcalloc(1, sizeof *q);
        for (int i = 0; i < n && !p->overflow; i++) {
            poly_of(c, vt_get(s, t)->args[i], q);
            if (q->overflow) p->overflow = true;
            for (int j = 0; j < q->n; j++) poly_add_mono(p, q->m[j].coef, q->m[j].mono);
        }
        free(q);
        break;
    }
    case VK_MUL: {
        int n = k->n;
        poly *acc = xcalloc(1, sizeof *acc), *q = xcalloc(1, sizeof *q), *nx = xcalloc(1, sizeof *nx);
        poly_const(acc, sort, (vt_rat){1, 1});
        for (int i = 0; i < n && !acc->overflow; i++) {
            poly_of(c, vt_get(s, t)->args[i], q);
            if (q->overflow || (long)acc->n * q->n > MAX_MONOS) { acc->overflow = true; break; }
            nx->n = 0; nx->overflow = false; nx->sort = sort;
            for (int a = 0; a < acc->n; a++)
                for (int b = 0; b < q->n; b++) {
                    vt_rat r;
                    if (!vt_rat_mul(acc->m[a].coef, q->m[b].coef, &r)) { nx->overflow = true; continue; }
                    vt_id mono = mono_mul(s, sort, acc->m[a].mono, q->m[b].mono);
                    if (sort == VS_REAL) mono = cancel_inverses(c, mono, &r);
                    poly_add_mono(nx, r, mono);
                }
            *acc = *nx;
        }
        *p = *acc;
        free(acc); free(q); free(nx);
        break;
    }
    case VK_DIV: {
        /* a / b = a * (1/b): the inverse is an atom that cancels against b when b != 0 */
        vt_id num = k->args[0];   /* normalizing makes terms: the node array may move */
        vt_id b = nf_term(c, k->args[1]);
        poly_of(c, num, p);
        if (p->overflow) break;
        vt_id inv = inverse_atom(c, b);
        for (int i = 0; i < p->n; i++) p->m[i].mono = cancel_inverses(c, mono_mul(s, sort, p->m[i].mono, inv), &p->m[i].coef);
        break;
    }
    case VK_TOREAL: {
        poly *q = xcalloc(1, sizeof *q);
        poly_of(c, k->args[0], q);
        p->overflow = q->overflow;
        for (int j = 0; j < q->n; j++) poly_add_mono(p, q->m[j].coef, q->m[j].mono ? mono_to_real(c, q->m[j].mono) : VT_NONE);
        free(q);
        break;
    }
    default: {
        vt_id a = atom_of(c, t);
        vt_kind ak = vt_kind_of(s, a);
        /* a simplification (of a division, a min) may have produced a sum or a constant */
        if (a != t && (ak == VK_ADD || ak == VK_MUL || ak == VK_INTC || ak == VK_REALC || ak == VK_TOREAL)) {
            poly_of(c, a, p);
            return;
        }
        poly_atom(p, sort, a);
        return;
    }
    }
    if (p->overflow) { poly_atom(p, sort, atom_of(c, t)); return; }
    poly_compact(p);
    if (sort == VS_INT) recombine_divmod(c, p);
    if (sort == VS_INT) recombine_divisible(c, p);
}


/* p += k * term, term in normal form (an overflowing product marks p), then compacted. */
static void poly_add_scaled(nf_ctx *c, poly *p, vt_rat k, vt_id term) {
    poly *tp = xcalloc(1, sizeof *tp);
    poly_of(c, term, tp);
    for (int t = 0; t < tp->n; t++) {
        vt_rat prod;
        if (vt_rat_mul(k, tp->m[t].coef, &prod)) poly_add_mono(p, prod, tp->m[t].mono);
        else p->overflow = true;
    }
    free(tp);
    poly_compact(p);
}

/* d * (x // d) + (x % d) = x: a pair of monomials k*K*d*(x//d) and k*K*(x%d) (K a monomial)
 * becomes k*K*x. */
static void recombine_divmod(nf_ctx *c, poly *p) {
    vt_store *s = c->s;
    for (int i = 0; i < p->n; i++) {
        vt_id mono = p->m[i].mono;
        if (!mono) continue;
        /* the monomial is K * (x % d) for some factor (x % d) and cofactor monomial K */
        vt_id atoms[32];
        int na = mono_atoms(s, mono, atoms, 32);
        vt_id r = VT_NONE;
        for (int a = 0; a < na && !r; a++)
            if (vt_kind_of(s, atoms[a]) == VK_FMOD) r = atoms[a];
        if (!r) continue;
        vt_id K = nf_mono_div(c, mono, r);
        if (!K) continue;
        if (vt_kind_of(s, K) == VK_INTC) K = VT_NONE;
        const vt_node *rk = vt_get(s, r);
        vt_id x = rk->args[0], d = rk->args[1];
        vt_id q = vt_fdiv(s, x, d);
        vt_id dq = nf_term(c, K ? vt_mul(s, K, vt_mul(s, d, q)) : vt_mul(s, d, q));
        nf_mono dm[4];
        int nd = nf_poly(c, dq, dm, 4);
        if (nd != 1 || !dm[0].mono) continue;
        for (int j = 0; j < p->n; j++) {
            if (j == i || p->m[j].mono != dm[0].mono) continue;
            /* k*K*(x%d) + k*(K*d*(x//d)) = k*K*x, where K*d*(x//d) is the monomial c*mono: the
             * (x//d) monomial gives up k*c of its coefficient */
            vt_rat k = p->m[i].coef, kq;
            if (!vt_rat_mul(k, dm[0].coef, &kq)) continue;
            vt_rat rest;
            if (!vt_rat_add(p->m[j].coef, (vt_rat){-kq.num, kq.den}, &rest)) continue;
            p->m[j].coef = rest;
            p->m[i].coef = (vt_rat){0, 1};
            poly_add_scaled(c, p, k, K ? vt_mul(s, K, x) : x);
            i = -1;   /* rescan */
            break;
        }
    }
}

/* The divisibility fact (x, d) whose quotient x // d is atom a, or -1. */
static int divisible_quotient(const nf_ctx *c, vt_id a) {
    const vt_node *k = vt_get(c->s, a);
    if (k->kind != VK_FDIV) return -1;
    for (int i = 0; i < c->n_divisible; i++)
        if (c->divisible[i].x == k->args[0] && c->divisible[i].d == k->args[1]) return i;
    return -1;
}

/* d * (x // d) = x when x % d == 0 is a divisibility fact: a monomial k*R*dc*dm*(x//d), with d
 * the single monomial dc*dm, becomes k*R*x. */
static void recombine_divisible(nf_ctx *c, poly *p) {
    vt_store *s = c->s;
    if (c->n_divisible == 0) return;
    for (int i = 0; i < p->n; i++) {
        vt_id mono = p->m[i].mono;
        if (!mono || p->m[i].coef.den != 1) continue;
        vt_id atoms[32];
        int na = mono_atoms(s, mono, atoms, 32), f = -1;
        vt_id q = VT_NONE;
        for (int a = 0; a < na && f < 0; a++)
            if ((f = divisible_quotient(c, atoms[a])) >= 0) q = atoms[a];
        if (f < 0) continue;
        nf_mono dm[4];
        if (nf_poly(c, c->divisible[f].d, dm, 4) != 1 || dm[0].coef.den != 1 || dm[0].coef.num <= 0) continue;
        if (p->m[i].coef.num % dm[0].coef.num != 0) continue;
        vt_id rest = nf_mono_div(c, mono, q);   /* the constant 1 when nothing is left */
        if (!rest) continue;
        if (vt_kind_of(s, rest) == VK_INTC) rest = VT_NONE;
        vt_id rest2 = dm[0].mono ? (rest ? nf_mono_div(c, rest, dm[0].mono) : VT_NONE) : (rest ? rest : vt_int(s, 1));
        if (!rest2) continue;
        vt_rat k = {p->m[i].coef.num / dm[0].coef.num, 1};
        p->m[i].coef = (vt_rat){0, 1};
        vt_id x = c->divisible[f].x;
        poly_add_scaled(c, p, k, vt_kind_of(s, rest2) == VK_INTC ? x : vt_mul(s, rest2, x));
        i = -1;   /* rescan */
    }
}

/* With x % d == 0 a divisibility fact, x = d * (x // d): the monomials of dividend ap that
 * contain x (and are not already multiples of d) are rewritten so, for split_by to divide them.
 * Not for the dividend x itself (x // d is the atom the rewrite introduces). */
static void expose_divisible(nf_ctx *c, poly *ap, vt_id d, vt_rat dc, vt_id dm) {
    vt_store *s = c->s;
    if (c->n_divisible == 0) return;
    if (ap->n == 1 && ap->m[0].coef.num == 1 && ap->m[0].coef.den == 1 && ap->m[0].mono && vt_kind_of(s, ap->m[0].mono) != VK_MUL) {
        for (int f = 0; f < c->n_divisible; f++)
            if (c->divisible[f].x == ap->m[0].mono) return;
    }
    for (int f = 0; f < c->n_divisible; f++) {
        if (c->divisible[f].d != d) continue;
        vt_id x = c->divisible[f].x;
        if (ap->n == 1 && ap->m[0].coef.num == 1 && ap->m[0].coef.den == 1 && ap->m[0].mono == x) return;
        for (int i = 0; i < ap->n; i++) {
            vt_id mono = ap->m[i].mono;
            if (!mono) continue;
            vt_rat qc;
            bool multiple = (!dm || nf_mono_div(c, mono, dm)) && vt_rat_div(ap->m[i].coef, dc, &qc) && qc.den == 1;
            if (multiple) continue;
            vt_id rest = nf_mono_div(c, mono, x);
            if (!rest) continue;
            if (vt_kind_of(s, rest) == VK_INTC) rest = VT_NONE;
            /* mono = rest * x = rest * d * (x // d): dc*dm times an atom x // d */
            vt_id q = atom_of(c, vt_fdiv(s, x, d));
            if (vt_kind_of(s, q) != VK_FDIV) continue;
            /* built as a product directly: normalizing it would recombine d * (x // d) into x */
            vt_id nm = mono_mul(s, VS_INT, mono_mul(s, VS_INT, rest, q), dm);
            vt_rat coef;
            if (!vt_rat_mul(ap->m[i].coef, dc, &coef)) continue;
            ap->m[i] = (nf_mono){coef, nm};
        }
    }
    poly_compact(ap);
}

int nf_poly(nf_ctx *c, vt_id t, nf_mono *out, int max) {
    poly *p = xcalloc(1, sizeof *p);
    poly_of(c, t, p);
    int n = p->n < max ? p->n : max;
    memcpy(out, p->m, (size_t)n * sizeof *out);
    free(p);
    return n;
}

vt_id nf_mono_div(nf_ctx *c, vt_id m, vt_id d) {
    vt_store *s = c->s;
    if (!d) return m ? m : VT_NONE;
    vt_id ma[32], da[32];
    int nm = mono_atoms(s, m, ma, 32), nd = mono_atoms(s, d, da, 32);
    bool used[32] = {0};
    for (int i = 0; i < nd; i++) {
        bool found = false;
        for (int j = 0; j < nm && !found; j++)
            if (!used[j] && ma[j] == da[i]) { used[j] = true; found = true; }
        if (!found) return VT_NONE;
    }
    vt_id r = VT_NONE;
    vt_sort sort = vt_sort_of(s, m);
    for (int j = 0; j < nm; j++)
        if (!used[j]) r = mono_mul(s, sort, r, ma[j]);
    return r ? r : vt_int(s, 1);   /* the quotient 1 is represented by the constant term 1 */
}

/* ---- ranges and bounds ---- */

static const nf_range *range_of(const nf_ctx *c, vt_id v) {
    for (int i = c->n_ranges - 1; i >= 0; i--)
        if (c->ranges[i].var == v) return &c->ranges[i];
    return NULL;
}

/* A constant lower bound of an atom (Int), if known. */
static bool atom_lower(nf_ctx *c, vt_id a, int64_t *lo, int depth);
static bool poly_lower(nf_ctx *c, const poly *p, int64_t *lo, int depth);

static bool term_lower(nf_ctx *c, vt_id t, int64_t *lo, int depth) {
    if (depth > 6) return false;
    poly *p = xcalloc(1, sizeof *p);
    poly_of(c, t, p);
    bool ok = poly_lower(c, p, lo, depth + 1);
    free(p);
    return ok;
}

static bool atom_lower(nf_ctx *c, vt_id a, int64_t *lo, int depth) {
    vt_store *s = c->s;
    const vt_node *k = vt_get(s, a);
    if (k->kind == VK_INTC) { *lo = k->ival; return true; }
    if (c->hint && c->hint(c->prove_ctx, a, lo)) return true;
    const nf_range *r = range_of(c, a);
    if (r && r->lo && term_lower(c, r->lo, lo, depth)) return true;
    k = vt_get(s, a);   /* term_lower makes terms: the node array may move */
    switch (k->kind) {
    case VK_FDIV: case VK_TDIV: {
        int64_t x, y, d;
        vt_id den = vt_get(s, a)->args[1];
        if (term_lower(c, k->args[0], &x, depth) && x >= 0 && term_lower(c, den, &y, depth) && y >= 1) {
            *lo = vt_is_const(s, den, &d) && d > 0 ? x / d : 0;   /* a constant divisor: floor(lo / d) */
            return true;
        }
        return false;
    }
    case VK_FMOD: {
        int64_t y;
        if (term_lower(c, k->args[1], &y, depth) && y >= 1) { *lo = 0; return true; }
        return false;
    }
    case VK_MAX: {
        int64_t x;
        if (term_lower(c, k->args[0], &x, depth)) { *lo = x; return true; }
        if (term_lower(c, vt_get(s, a)->args[1], &x, depth)) { *lo = x; return true; }
        return false;
    }
    case VK_MIN: {
        int64_t x, y;
        if (term_lower(c, k->args[0], &x, depth) && term_lower(c, vt_get(s, a)->args[1], &y, depth)) { *lo = x < y ? x : y; return true; }
        return false;
    }
    case VK_ITE: {
        int64_t x, y;
        if (term_lower(c, k->args[1], &x, depth) && term_lower(c, vt_get(s, a)->args[2], &y, depth)) { *lo = x < y ? x : y; return true; }
        return false;
    }
    case VK_RED:
        if (k->op == VR_ARGMAX || k->op == VR_ARGMIN) return term_lower(c, k->args[0], lo, depth);
        return false;
    default: return false;
    }
}

/* A constant upper bound (inclusive) of an Int atom, if known: a constant, a range with a
 * constant end, min(a, b) through either side, x % d (d > 0) through d. */
static bool atom_upper(nf_ctx *c, vt_id a, int64_t *up, int depth) {
    vt_store *s = c->s;
    if (depth > 6) return false;
    const vt_node *k = vt_get(s, a);
    if (k->kind == VK_INTC) { *up = k->ival; return true; }
    const nf_range *r = range_of(c, a);
    int64_t h;
    if (r && r->hi && vt_is_const(s, r->hi, &h)) { *up = h - 1; return true; }
    switch (k->kind) {
    case VK_MIN: {
        int64_t x, y;
        bool bx = atom_upper(c, k->args[0], &x, depth + 1), by = atom_upper(c, vt_get(s, a)->args[1], &y, depth + 1);
        if (bx && by) { *up = x < y ? x : y; return true; }
        if (bx || by) { *up = bx ? x : y; return true; }
        return false;
    }
    case VK_MAX: {
        int64_t x, y;
        if (atom_upper(c, k->args[0], &x, depth + 1) && atom_upper(c, vt_get(s, a)->args[1], &y, depth + 1)) { *up = x > y ? x : y; return true; }
        return false;
    }
    case VK_FMOD: {
        int64_t d, lo;
        vt_id den = k->args[1];
        if (term_lower(c, den, &lo, depth) && lo >= 1 && atom_upper(c, den, &d, depth + 1)) { *up = d - 1; return true; }
        return false;
    }
    default: return false;
    }
}

static bool poly_lower(nf_ctx *c, const poly *p, int64_t *lo, int depth) {
    int64_t total = 0;
    for (int i = 0; i < p->n; i++) {
        vt_rat q = p->m[i].coef;
        if (q.den != 1) return false;
        if (!p->m[i].mono) { total += q.num; continue; }
        if (q.num < 0) {
            /* a negative single atom: at least coef times its constant upper bound */
            int64_t up, prod;
            vt_id atoms[2];
            if (mono_atoms(c->s, p->m[i].mono, atoms, 2) != 1 || !atom_upper(c, atoms[0], &up, depth)) return false;
            if (__builtin_mul_overflow(up, q.num, &prod) || __builtin_add_overflow(total, prod, &total)) return false;
            continue;
        }
        vt_id atoms[32];
        int na = mono_atoms(c->s, p->m[i].mono, atoms, 32);
        int64_t prod = 1;
        for (int j = 0; j < na; j++) {
            int64_t l;
            if (!atom_lower(c, atoms[j], &l, depth) || l < 0) return false;
            if (__builtin_mul_overflow(prod, l, &prod)) return false;
        }
        if (__builtin_mul_overflow(prod, q.num, &prod) || __builtin_add_overflow(total, prod, &total)) return false;
    }
    *lo = total;
    return true;
}

/* A symbolic upper bound (inclusive) of a polynomial whose atoms are nonnegative: each atom
 * replaced by its largest value (hi - 1) where a range gives one. */
static vt_id poly_upper(nf_ctx *c, const poly *p) {
    vt_store *s = c->s;
    vt_id sum = vt_int(s, 0);
    for (int i = 0; i < p->n; i++) {
        vt_rat q = p->m[i].coef;
        if (q.den != 1) return VT_NONE;
        if (!p->m[i].mono) { sum = vt_add(s, sum, vt_int(s, q.num)); continue; }
        vt_id atoms[32];
        int na = mono_atoms(s, p->m[i].mono, atoms, 32);
        vt_id prod = vt_int(s, q.num);
        for (int j = 0; j < na; j++) {
            int64_t l;
            if (!atom_lower(c, atoms[j], &l, 0) || l < 0) return VT_NONE;
            if (q.num < 0) { prod = vt_mul(s, prod, vt_int(s, l)); continue; }   /* negative terms: at least their minimum */
            const nf_range *r = range_of(c, atoms[j]);
            vt_id up = atoms[j];
            const vt_node *ak = vt_get(s, atoms[j]);
            vt_kind akind = ak->kind;   /* making terms may move the node array */
            vt_id a0 = ak->n > 0 ? ak->args[0] : VT_NONE, a1 = ak->n > 1 ? ak->args[1] : VT_NONE;
            int64_t cu;
            if (r && r->hi) up = vt_sub(s, r->hi, vt_int(s, 1));
            else if (akind == VK_FMOD) up = vt_sub(s, a1, vt_int(s, 1));
            else if (akind == VK_MIN) up = atom_upper(c, a0, &cu, 0) ? a0 : a1;
            else if (akind == VK_FDIV) {
                /* x // d <= (hi - 1) // d for a variable x < hi and d >= 1 */
                const nf_range *xr = range_of(c, a0);
                int64_t dl;
                if (xr && xr->hi && term_lower(c, a1, &dl, 0) && dl >= 1)
                    up = vt_fdiv(s, vt_sub(s, xr->hi, vt_int(s, 1)), a1);
            }
            prod = vt_mul(s, prod, up);
        }
        sum = vt_add(s, sum, prod);
    }
    return sum;
}

bool nf_const(nf_ctx *c, vt_id t, int64_t *v) {
    vt_id n = nf_term(c, t);
    return vt_is_const(c->s, n, v);
}

/* The prover bounds its own z3 queries (discharge.c): answers it already has cost nothing. */
static bool prove(nf_ctx *c, vt_id fact) {
    if (!c->prove) return false;
    return c->prove(c->prove_ctx, fact);
}

static bool lower_at_least(nf_ctx *c, vt_id t, int64_t want) {
    int64_t lo;
    return term_lower(c, t, &lo, 0) && lo >= want;
}

static bool int_lower_at_least(nf_ctx *c, vt_id t, int64_t want) { return lower_at_least(c, t, want); }

bool nf_nonneg(nf_ctx *c, vt_id a) {
    if (lower_at_least(c, a, 0)) return true;
    return prove(c, vt_le(c->s, vt_int(c->s, 0), a));
}

bool nf_positive(nf_ctx *c, vt_id a) {
    if (lower_at_least(c, a, 1)) return true;
    return prove(c, vt_lt(c->s, vt_int(c->s, 0), a));
}

/* a < b by intervals: b - a has a positive lower bound, or b - (largest a) has. */
static bool less_by_ranges(nf_ctx *c, vt_id a, vt_id b) {
    vt_store *s = c->s;
    vt_id d = nf_term(c, vt_sub(s, b, a));
    if (lower_at_least(c, d, 1)) return true;
    poly *p = xcalloc(1, sizeof *p);
    poly_of(c, a, p);
    vt_id up = poly_upper(c, p);
    free(p);
    if (up) {
        vt_id d2 = nf_term(c, vt_sub(s, b, up));
        if (lower_at_least(c, d2, 1)) return true;
    }
    return false;
}

bool nf_less(nf_ctx *c, vt_id a, vt_id b) {
    if (less_by_ranges(c, a, b)) return true;
    int64_t bv, lo;
    if (nf_const(c, b, &bv) && lower_at_least(c, a, bv)) return false;   /* a >= b for sure */
    (void)lo;
    return prove(c, vt_lt(c->s, a, b));
}

bool nf_leq(nf_ctx *c, vt_id a, vt_id b) { return nf_less(c, a, vt_add(c->s, b, vt_int(c->s, 1))); }

/* ---- integer division and modulo ---- */

/* Splits numerator poly into q*d + r over monomials divisible by the single-monomial divisor. */
static bool split_by(nf_ctx *c, const poly *a, vt_rat dc, vt_id dm, poly *q, poly *r) {
    q->n = r->n = 0; q->overflow = r->overflow = false; q->sort = r->sort = VS_INT;
    for (int i = 0; i < a->n; i++) {
        vt_rat coef = a->m[i].coef;
        vt_id quot = dm ? (a->m[i].mono ? nf_mono_div(c, a->m[i].mono, dm) : VT_NONE) : (a->m[i].mono ? a->m[i].mono : vt_int(c->s, 1));
        vt_rat qc;
        bool coef_ok = vt_rat_div(coef, dc, &qc) && qc.den == 1;
        if (quot && coef_ok) {
            if (vt_kind_of(c->s, quot) == VK_INTC) quot = VT_NONE;   /* quotient monomial 1 */
            poly_add_mono(q, qc, quot);
        } else {
            poly_add_mono(r, coef, a->m[i].mono);
        }
    }
    poly_compact(q);
    poly_compact(r);
    return true;
}

/* A divisor that is a product a1*b of positive factors, with x = a1*q1 + r1 and 0 <= r1 < a1:
 * x // (a1*b) = q1 // b and x % (a1*b) = a1*(q1 % b) + r1 (floor division by a product is
 * repeated floor division). Tries the factors a1 of the monomial dm with the most atoms first;
 * NONE when none applies. */
static vt_id divide_by_factor(nf_ctx *c, vt_kind kind, const poly *ap, vt_id dm) {
    vt_store *s = c->s;
    vt_id atoms[32];
    int na = mono_atoms(s, dm, atoms, 32);
    if (na < 2 || na > 5) return VT_NONE;
    vt_id result = VT_NONE;
    poly *q = xcalloc(1, sizeof *q), *r = xcalloc(1, sizeof *r);
    for (int size = na - 1; size >= 1 && !result; size--) {
        for (unsigned mask = 1; mask < (1u << na) - 1 && !result; mask++) {
            if (__builtin_popcount(mask) != size) continue;
            vt_id a1 = VT_NONE, b = VT_NONE;
            for (int i = 0; i < na; i++) {
                if (mask & (1u << i)) a1 = mono_mul(s, VS_INT, a1, atoms[i]);
                else b = mono_mul(s, VS_INT, b, atoms[i]);
            }
            if (!nf_positive(c, a1) || !nf_positive(c, b)) continue;
            split_by(c, ap, (vt_rat){1, 1}, a1, q, r);
            if (q->n == 0) continue;
            vt_id qt = poly_term(c, q), rt = poly_term(c, r);
            if (r->n && !(nf_nonneg(c, rt) && nf_less(c, rt, a1))) continue;
            if (kind == VK_FDIV) result = nf_term(c, vt_fdiv(s, qt, b));
            else result = nf_term(c, vt_add(s, vt_mul(s, a1, vt_fmod(s, qt, b)), rt));
        }
    }
    free(q);
    free(r);
    return result;
}

static vt_id simplify_divmod(nf_ctx *c, vt_kind kind, vt_id a, vt_id d) {
    vt_store *s = c->s;
    /* C semantics coincide with Python's for a >= 0, d > 0 */
    if ((kind == VK_TDIV || kind == VK_TMOD) && nf_positive(c, d) && nf_nonneg(c, a))
        kind = kind == VK_TDIV ? VK_FDIV : VK_FMOD;
    if (kind != VK_FDIV && kind != VK_FMOD) return kind == VK_TDIV ? vt_tdiv(s, a, d) : vt_tmod(s, a, d);
    poly *dp = xcalloc(1, sizeof *dp), *ap = xcalloc(1, sizeof *ap), *q = xcalloc(1, sizeof *q), *r = xcalloc(1, sizeof *r);
    vt_id result = VT_NONE;
    poly_of(c, d, dp);
    bool positive = nf_positive(c, d);
    if (positive && dp->n == 1 && dp->m[0].coef.num > 0 && dp->m[0].coef.den == 1) {
        vt_rat dc = dp->m[0].coef;
        vt_id dm = dp->m[0].mono;
        poly_of(c, a, ap);
        for (int f = 0; f < c->n_divisible; f++)
            if (c->divisible[f].d == d && ap->n == 1 && ap->m[0].mono == c->divisible[f].x && ap->m[0].coef.den == 1 && kind == VK_FMOD) {
                /* (k*x) % d = 0 */
                result = vt_int(s, 0);
                goto done;
            }
        expose_divisible(c, ap, d, dc, dm);
        if (kind == VK_FMOD) {
            /* (x + k * (y % d)) % d = (x + k*y) % d */
            for (int i = 0; i < ap->n; i++) {
                vt_id mono = ap->m[i].mono;
                if (!mono || vt_kind_of(s, mono) != VK_FMOD) continue;
                vt_id dn = nf_term(c, d);   /* before reading the node: making terms may move the node array */
                if (vt_get(s, mono)->args[1] == dn) {
                    poly *y = xcalloc(1, sizeof *y);
                    poly_of(c, vt_get(s, mono)->args[0], y);
                    vt_rat k = ap->m[i].coef;
                    ap->m[i].coef = (vt_rat){0, 1};
                    for (int j = 0; j < y->n; j++) {
                        vt_rat prod;
                        if (vt_rat_mul(k, y->m[j].coef, &prod)) poly_add_mono(ap, prod, y->m[j].mono);
                    }
                    free(y);
                }
            }
            poly_compact(ap);
        }
        split_by(c, ap, dc, dm, q, r);
        if (q->n == 0 && dm && dc.num == 1 && (result = divide_by_factor(c, kind, ap, dm))) goto done;
        vt_id qt = poly_term(c, q), rt = poly_term(c, r);
        bool r_in_range = r->n == 0 || (nf_nonneg(c, rt) && nf_less(c, rt, d));
        /* -d <= r < 0: the quotient is one less, the remainder r + d */
        if (!r_in_range && r->n && nf_less(c, rt, vt_int(s, 0)) && nf_nonneg(c, vt_add(s, rt, d))) {
            result = kind == VK_FDIV ? nf_term(c, vt_sub(s, qt, vt_int(s, 1))) : nf_term(c, vt_add(s, rt, d));
            goto done;
        }
        if (kind == VK_FDIV) {
            if (r_in_range) result = qt;
            else if (q->n) result = nf_term(c, vt_add(s, qt, vt_fdiv(s, rt, d)));
            else result = vt_fdiv(s, rt, d);
        } else {
            if (r_in_range) result = rt;
            else result = vt_fmod(s, rt, d);
        }
    } else if (positive && dp->n > 1) {
        /* a divisor with several monomials (1 + (N-1)//T): polynomial division by its main
         * monomial, a = q*d + r, then as above */
        int main_i = -1, best = -1;
        for (int i = 0; i < dp->n; i++) {
            if (!dp->m[i].mono || dp->m[i].coef.den != 1 || dp->m[i].coef.num <= 0) continue;
            vt_id atoms[32];
            int na = mono_atoms(s, dp->m[i].mono, atoms, 32);
            if (na > best) { best = na; main_i = i; }
        }
        poly_of(c, a, ap);
        if (main_i >= 0) split_by(c, ap, dp->m[main_i].coef, dp->m[main_i].mono, q, r);
        if (main_i >= 0 && q->n) {
            vt_id qt = poly_term(c, q);
            vt_id rt = nf_term(c, vt_sub(s, a, vt_mul(s, qt, d)));
            bool r_in_range = nf_nonneg(c, rt) && nf_less(c, rt, d);
            if (kind == VK_FDIV) result = r_in_range ? qt : nf_term(c, vt_add(s, qt, vt_fdiv(s, rt, d)));
            else result = r_in_range ? rt : vt_fmod(s, rt, d);
        } else {
            result = kind == VK_FDIV ? vt_fdiv(s, a, d) : vt_fmod(s, a, d);
        }
    } else {
        result = kind == VK_FDIV ? vt_fdiv(s, a, d) : vt_fmod(s, a, d);
    }
done:
    free(dp); free(ap); free(q); free(r);
    return result;
}

/* ---- atoms ---- */

/* t cannot be -inf: finite, or a max with an argument that cannot be (max(a, b) >= a). */
static bool never_minus_inf(const vt_store *s, vt_id t) {
    const vt_node *k = vt_get(s, t);
    if (!k->maybe_inf) return true;
    if (k->kind == VK_INF) return k->ival > 0;
    if (k->kind == VK_MAX) return never_minus_inf(s, k->args[0]) || never_minus_inf(s, k->args[1]);
    return false;
}

static bool is_minus_inf(const vt_store *s, vt_id t) {
    const vt_node *k = vt_get(s, t);
    return k->kind == VK_INF && k->ival < 0;
}

static vt_id atom_of(nf_ctx *c, vt_id t) {
    vt_store *s = c->s;
    vt_id memo;
    if (memo_get(c, t, &memo)) return memo;
    const vt_node *k = vt_get(s, t);
    if (k->kind == VK_VAR && k->sort == VS_INT) {
        /* a variable whose range is one value (a program id over a grid dimension of 1) */
        const nf_range *r = range_of(c, t);
        int64_t lo, hi;
        if (r && r->lo && r->hi && vt_is_const(s, r->lo, &lo) && vt_is_const(s, r->hi, &hi) && hi == lo + 1) return vt_int(s, lo);
        return t;
    }
    vt_kind kind = k->kind;
    int n = k->n;
    vt_id r = t;
    if (n > 0) {
        vt_id buf[16], *a = n <= 16 ? buf : xcalloc((size_t)n, sizeof *a);
        for (int i = 0; i < n; i++) a[i] = nf_term(c, vt_get(s, t)->args[i]);
        switch (kind) {
        case VK_FDIV: case VK_FMOD: case VK_TDIV: case VK_TMOD:
            r = simplify_divmod(c, kind, a[0], a[1]);
            break;
        case VK_MAX: case VK_MIN:
            r = vt_rebuild(s, t, n, a);
            if (vt_sort_of(s, a[0]) == VS_INT && vt_kind_of(s, r) == kind) {
                if (nf_leq(c, a[0], a[1])) r = kind == VK_MAX ? a[1] : a[0];
                else if (nf_leq(c, a[1], a[0])) r = kind == VK_MAX ? a[0] : a[1];
            }
            break;
        case VK_LT: case VK_LE: case VK_EQ:
            if (vt_sort_of(s, a[0]) == VS_INT) {
                /* compare the difference with 0 */
                vt_id d = nf_term(c, vt_sub(s, a[1], a[0]));
                int64_t v;
                if (vt_is_const(s, d, &v)) { r = vt_bool(s, kind == VK_LT ? v > 0 : kind == VK_LE ? v >= 0 : v == 0); break; }
                if (kind != VK_EQ) {
                    /* canonical: 0 <= p  (a < b is 0 <= b - a - 1), so that normalizing is idempotent */
                    if (lower_at_least(c, d, kind == VK_LT ? 1 : 0) ||
                        (kind == VK_LT ? less_by_ranges(c, a[0], a[1]) : less_by_ranges(c, a[0], vt_add(s, a[1], vt_int(s, 1))))) {
                        r = vt_bool(s, true);
                        break;
                    }
                    vt_id p = kind == VK_LT ? nf_term(c, vt_sub(s, d, vt_int(s, 1))) : d;
                    int64_t pv;
                    if (vt_is_const(s, p, &pv)) { r = vt_bool(s, pv >= 0); break; }
                    r = vt_le(s, vt_int(s, 0), p);
                    break;
                }
                r = vt_eq(s, vt_int(s, 0), d);
                break;
            }
            /* a guard `m == -inf` on a value that cannot be -inf (a running max seeded by a
             * finite element) */
            if (kind == VK_EQ && ((is_minus_inf(s, a[0]) && never_minus_inf(s, a[1])) || (is_minus_inf(s, a[1]) && never_minus_inf(s, a[0])))) {
                r = vt_bool(s, false);
                break;
            }
            r = vt_rebuild(s, t, n, a);
            break;
        default: {
            vt_rat q;
            if (kind == VK_APP && n == 1 && strcmp(vt_get(s, t)->name, "exp") == 0 && vt_is_rat(s, a[0], &q) && q.num == 0) {
                r = vt_real_int(s, 1);   /* exp(0) = 1 */
                break;
            }
            r = vt_rebuild(s, t, n, a);
            break;
        }
        }
        if (a != buf) free(a);
    }
    memo_put(c, t, r);
    return r;
}

vt_id nf_term(nf_ctx *c, vt_id t) {
    vt_store *s = c->s;
    const vt_node *k = vt_get(s, t);
    if (k->kind == VK_VAR && k->sort == VS_INT) {
        /* a variable whose range is one value (a program id over a grid dimension of 1) */
        const nf_range *r = range_of(c, t);
        int64_t lo, hi;
        if (r && r->lo && r->hi && vt_is_const(s, r->lo, &lo) && vt_is_const(s, r->hi, &hi) && hi == lo + 1) return vt_int(s, lo);
        return t;
    }
    if (k->sort == VS_BOOL || (k->sort == VS_REAL && k->maybe_inf && k->kind != VK_ADD && k->kind != VK_MUL)) {
        if (k->n == 0) return t;
        return atom_of(c, t);
    }
    if (k->kind == VK_VAR || k->kind == VK_BVAR || k->kind == VK_INTC || k->kind == VK_REALC || k->kind == VK_INF) return t;
    vt_id memo;
    if (memo_get(c, t + 0x80000000u, &memo)) return memo;
    vt_id r;
    if (k->sort == VS_REAL && k->maybe_inf) {
        r = atom_of(c, t);
    } else {
        poly *p = xcalloc(1, sizeof *p);
        poly_of(c, t, p);
        r = poly_term(c, p);
        free(p);
    }
    memo_put(c, t + 0x80000000u, r);
    return r;
}
