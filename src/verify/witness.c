/* witness: inverts the index map of a store for the coverage proof. Given equations
 * idx_d(q) = target_d over the store's quantified variables q (program ids, loop iterations,
 * lanes), it derives q as terms of the targets with a few rules, each the inverse of an
 * addressing idiom:
 *   x = t                        x := t
 *   c + e = t (c free of q)      e = t - c
 *   A*m + x = t                  x := t % m,  A = t // m       (tile * size + lane)
 *   A // G = t1, A % G = t2      A = t1 * G + t2               (row-major tile ids)
 * Variables no equation constrains take their lower bound. The result is only a candidate:
 * the coverage VC checks that it lies in range, is active and writes the target. */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

#define MAX_EQ 16

typedef struct wsolver {
    vctx *X;
    nf_ctx *nf;
    int n_vars;
    const vt_id *vars;
    vt_id *values;
    vt_id lhs[MAX_EQ], rhs[MAX_EQ];
    bool done[MAX_EQ];
    int n;
} wsolver;

static bool mentions_unknown(wsolver *w, vt_id t) {
    for (int i = 0; i < w->n_vars; i++)
        if (!w->values[i] && vt_contains_var(w->X->s, t, w->vars[i])) return true;
    return false;
}

static int unknown_index(wsolver *w, vt_id t) {
    for (int i = 0; i < w->n_vars; i++)
        if (!w->values[i] && w->vars[i] == t) return i;
    return -1;
}

static vt_id substituted(wsolver *w, vt_id t) {
    vt_id vars[32], vals[32];
    int n = 0;
    for (int i = 0; i < w->n_vars && n < 32; i++)
        if (w->values[i]) { vars[n] = w->vars[i]; vals[n] = w->values[i]; n++; }
    return nf_term(w->nf, vt_subst_many(w->X->s, t, n, vars, vals));
}

static void push(wsolver *w, vt_id lhs, vt_id rhs) {
    if (w->n < MAX_EQ) {
        w->lhs[w->n] = lhs;
        w->rhs[w->n] = rhs;
        w->done[w->n] = false;
        w->n++;
    }
}

static int mono_atoms(const vt_store *s, vt_id mono, vt_id *out, int max) {
    if (!mono) return 0;
    const vt_node *k = vt_get(s, mono);
    if (k->kind != VK_MUL) { out[0] = mono; return 1; }
    int n = 0;
    for (int i = 0; i < k->n && n < max; i++) out[n++] = k->args[i];
    return n;
}

static int64_t gcd64(int64_t a, int64_t b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b) { int64_t t = a % b; a = b; b = t; }
    return a;
}

/* One step on equation e; true when it made progress. */
static bool step(wsolver *w, int e) {
    vctx *X = w->X;
    vt_store *s = X->s;
    vt_id lhs = substituted(w, w->lhs[e]), rhs = substituted(w, w->rhs[e]);
    if (!mentions_unknown(w, lhs)) { w->done[e] = true; return true; }
    nf_mono m[48];
    int n = nf_poly(w->nf, lhs, m, 48);
    /* move the parts free of unknowns to the right */
    nf_mono var_part[48];
    int nv = 0;
    vt_id r = rhs;
    for (int i = 0; i < n; i++) {
        vt_id mono_t = nf_from_poly(w->nf, VS_INT, &m[i], 1);
        if (m[i].mono && mentions_unknown(w, m[i].mono)) var_part[nv++] = m[i];
        else r = vt_sub(s, r, mono_t);
    }
    r = nf_term(w->nf, r);
    if (nv == 1 && var_part[0].coef.den == 1 && (var_part[0].coef.num == 1 || var_part[0].coef.num == -1)) {
        int k = unknown_index(w, var_part[0].mono);
        vt_id val = var_part[0].coef.num == 1 ? r : nf_term(w->nf, vt_neg(s, r));
        if (k >= 0) { w->values[k] = val; w->done[e] = true; return true; }
        /* a single atom A // G or A % G: look for its partner */
        const vt_node *a = vt_get(s, var_part[0].mono);
        if (a->kind == VK_FDIV || a->kind == VK_FMOD) {
            for (int o = 0; o < w->n; o++) {
                if (o == e || w->done[o]) continue;
                vt_id l2 = substituted(w, w->lhs[o]);
                nf_mono m2[4];
                int n2 = nf_poly(w->nf, l2, m2, 4);
                vt_id r2 = substituted(w, w->rhs[o]);
                nf_mono vp2 = {{0, 1}, VT_NONE};
                int cnt = 0;
                for (int i = 0; i < n2; i++) {
                    if (m2[i].mono && mentions_unknown(w, m2[i].mono)) { vp2 = m2[i]; cnt++; }
                    else r2 = vt_sub(s, r2, nf_from_poly(w->nf, VS_INT, &m2[i], 1));
                }
                if (cnt != 1 || vp2.coef.num != 1 || vp2.coef.den != 1) continue;
                const vt_node *b = vt_get(s, vp2.mono);
                if (b->kind == a->kind || (b->kind != VK_FDIV && b->kind != VK_FMOD) || b->args[0] != a->args[0] || b->args[1] != a->args[1])
                    continue;
                vt_id q = a->kind == VK_FDIV ? val : nf_term(w->nf, r2), rem = a->kind == VK_FDIV ? nf_term(w->nf, r2) : val;
                vt_id whole = nf_term(w->nf, vt_add(s, vt_mul(s, q, a->args[1]), rem));
                vt_id inner = a->args[0];
                w->done[e] = w->done[o] = true;
                push(w, inner, whole);
                return true;
            }
        }
        return false;
    }
    /* A*m + x = r: a lane-like variable x with coefficient 1 and a common factor m of the rest */
    for (int i = 0; i < nv; i++) {
        if (var_part[i].coef.num != 1 || var_part[i].coef.den != 1) continue;
        int k = unknown_index(w, var_part[i].mono);
        if (k < 0) continue;
        /* the unknown-free factors common to every other monomial */
        vt_id common[16];
        int nc = -1;
        int64_t g = 0;
        bool ok = true;
        for (int j = 0; j < nv && ok; j++) {
            if (j == i) continue;
            if (var_part[j].coef.den != 1) { ok = false; break; }
            g = gcd64(g, var_part[j].coef.num);
            vt_id atoms[32], freeat[32];
            int na = mono_atoms(s, var_part[j].mono, atoms, 32), nfree = 0;
            for (int t = 0; t < na; t++)
                if (!mentions_unknown(w, atoms[t])) freeat[nfree++] = atoms[t];
            if (nc < 0) {
                nc = nfree < 16 ? nfree : 16;
                memcpy(common, freeat, (size_t)nc * sizeof *common);
            } else {
                int keep = 0;
                bool used[32] = {0};
                for (int c = 0; c < nc; c++) {
                    bool found = false;
                    for (int t = 0; t < nfree && !found; t++)
                        if (!used[t] && freeat[t] == common[c]) { used[t] = true; found = true; }
                    if (found) common[keep++] = common[c];
                }
                nc = keep;
            }
        }
        if (!ok || nc < 0 || (nc == 0 && g <= 1)) continue;
        vt_id mono_common = VT_NONE;
        for (int c = 0; c < nc; c++) mono_common = mono_common ? vt_mul(s, mono_common, common[c]) : common[c];
        if (mono_common) mono_common = nf_term(w->nf, mono_common);
        vt_id mterm = nf_term(w->nf, mono_common ? vt_mul(s, vt_int(s, g > 0 ? g : 1), mono_common) : vt_int(s, g > 0 ? g : 1));
        /* rest / m */
        nf_mono rest[48];
        int nr = 0;
        for (int j = 0; j < nv; j++) {
            if (j == i) continue;
            vt_id quot = mono_common ? nf_mono_div(w->nf, var_part[j].mono, mono_common) : var_part[j].mono;
            vt_rat qc = vt_rat_make(var_part[j].coef.num / (g > 0 ? g : 1), 1);
            if (!quot) { ok = false; break; }
            if (vt_kind_of(s, quot) == VK_INTC) quot = VT_NONE;
            rest[nr++] = (nf_mono){qc, quot};
        }
        if (!ok) continue;
        w->values[k] = nf_term(w->nf, vt_fmod(s, r, mterm));
        push(w, nf_from_poly(w->nf, VS_INT, rest, nr), nf_term(w->nf, vt_fdiv(s, r, mterm)));
        w->done[e] = true;
        return true;
    }
    return false;
}

bool witness_solve(vctx *X, nf_ctx *nf, int n_eq, const vt_id *lhs, const vt_id *target, int n_vars, const vt_id *vars,
                   const vt_id *lo, vt_id *values, char *why, int why_size) {
    wsolver w = {0};
    w.X = X;
    w.nf = nf;
    w.n_vars = n_vars;
    w.vars = vars;
    w.values = values;
    for (int i = 0; i < n_vars; i++) values[i] = VT_NONE;
    for (int i = 0; i < n_eq; i++) push(&w, nf_term(nf, lhs[i]), nf_term(nf, target[i]));
    for (int round = 0; round < 64; round++) {
        bool progress = false, open = false;
        for (int e = 0; e < w.n; e++) {
            if (w.done[e]) continue;
            if (step(&w, e)) progress = true;
            else open = true;
        }
        if (!open) break;
        if (!progress) {
            for (int e = 0; e < w.n; e++)
                if (!w.done[e]) {
                    snprintf(why, (size_t)why_size, "cannot invert the index map %s = %s for the coverage witness",
                             vt_str(X->s, substituted(&w, w.lhs[e])), vt_str(X->s, substituted(&w, w.rhs[e])));
                    return false;
                }
        }
    }
    for (int i = 0; i < n_vars; i++)
        if (!values[i]) values[i] = lo[i] ? lo[i] : vt_int(X->s, 0);
    return true;
}
