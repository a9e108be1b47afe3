/* witness: inverts the index map of a store for the coverage proof. Given equations
 * idx_d(q) = target_d over the store's quantified variables q (program ids, loop iterations,
 * lanes), it derives q as terms of the targets with rules, each the inverse of an addressing
 * idiom:
 *   x = t                          x := t
 *   c + e = t (c free of q)        e = t - c
 *   A = t for an atom A            A stands for t in the other equations (A = pid // W)
 *   A*m + X = t, 0 <= X < m        X = t % m,  A = t // m   (tile * size + lane; a swizzle's
 *                                                            group * GROUP_M + row in group)
 *   A // G = t1, A % G = t2        A = t1 * G + t2          (row-major tile ids)
 *   A // D = t (D known)           A = t * D + e, e a new unknown in [0, D)
 *   (c + e) % D = t                e := (t - c) % D
 * Variables no equation constrains take their lower bound. The result is only a candidate:
 * the coverage VC checks that it lies in range, is active and writes the target. */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

#define MAX_EQ 24
#define MAX_UNK 48

typedef struct wsolver {
    vctx *X;
    nf_ctx *nf;
    int n_vars;                 /* unknowns: the caller's variables, then auxiliaries */
    vt_id vars[MAX_UNK];
    vt_id values[MAX_UNK];
    vt_id lhs[MAX_EQ], rhs[MAX_EQ];
    bool done[MAX_EQ];
    int n;
    vt_id atom[MAX_EQ], atom_value[MAX_EQ];   /* atoms known to equal a term */
    int n_atoms;
    vt_id introduced[MAX_EQ];                  /* divisions already given a remainder unknown */
    int n_introduced;
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

/* t with the solved variables substituted, normalized. */
static vt_id substituted_vals(wsolver *w, vt_id t) {
    vt_store *s = w->X->s;
    for (int round = 0; round < 4; round++) {
        vt_id vars[MAX_UNK], vals[MAX_UNK];
        int n = 0;
        for (int i = 0; i < w->n_vars; i++)
            if (w->values[i]) { vars[n] = w->vars[i]; vals[n] = w->values[i]; n++; }
        vt_id r = nf_term(w->nf, vt_subst_many(s, t, n, vars, vals));
        if (r == t) break;
        t = r;
    }
    return t;
}

/* t with the solved variables and the known atoms substituted, normalized. */
static vt_id substituted(wsolver *w, vt_id t) {
    vt_store *s = w->X->s;
    for (int round = 0; round < 4; round++) {
        vt_id vars[MAX_UNK], vals[MAX_UNK];
        int n = 0;
        for (int i = 0; i < w->n_vars; i++)
            if (w->values[i]) { vars[n] = w->vars[i]; vals[n] = w->values[i]; n++; }
        vt_id r = nf_term(w->nf, vt_subst_many(s, t, n, vars, vals));
        if (w->n_atoms) r = nf_term(w->nf, vt_replace_many(s, r, w->n_atoms, w->atom, w->atom_value));
        if (r == t) break;
        t = r;
    }
    return t;
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

/* The part of lhs with unknowns (var_part) and the rest moved to the right. */
static int split_known(wsolver *w, vt_id lhs, vt_id rhs, nf_mono *var_part, vt_id *r) {
    vt_store *s = w->X->s;
    nf_mono m[48];
    int n = nf_poly(w->nf, lhs, m, 48), nv = 0;
    *r = rhs;
    for (int i = 0; i < n; i++) {
        if (m[i].mono && mentions_unknown(w, m[i].mono)) var_part[nv++] = m[i];
        else *r = vt_sub(s, *r, nf_from_poly(w->nf, VS_INT, &m[i], 1));
    }
    *r = nf_term(w->nf, *r);
    return nv;
}

/* A*m + X = r with 0 <= X < m: X = r % m and A = r // m. */
static bool split_tile(wsolver *w, int e, const nf_mono *vp, int nv, vt_id r) {
    vctx *X = w->X;
    vt_store *s = X->s;
    for (int i = 0; i < nv; i++) {
        /* X = monomial i (its coefficient 1); the others share a factor m */
        if (vp[i].coef.num != 1 || vp[i].coef.den != 1) continue;
        vt_id common[16];
        int nc = -1;
        int64_t g = 0;
        bool ok = nv > 1;
        for (int j = 0; j < nv && ok; j++) {
            if (j == i) continue;
            if (vp[j].coef.den != 1) { ok = false; break; }
            g = gcd64(g, vp[j].coef.num);
            vt_id atoms[32], freeat[32];
            int na = mono_atoms(s, vp[j].mono, atoms, 32), nfree = 0;
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
        vt_id m = nf_term(w->nf, mono_common ? vt_mul(s, vt_int(s, g > 0 ? g : 1), mono_common) : vt_int(s, g > 0 ? g : 1));
        nf_mono rest[48];
        int nr = 0;
        for (int j = 0; j < nv; j++) {
            if (j == i) continue;
            vt_id quot = mono_common ? nf_mono_div(w->nf, vp[j].mono, mono_common) : vp[j].mono;
            if (!quot) { ok = false; break; }
            if (vt_kind_of(s, quot) == VK_INTC) quot = VT_NONE;
            rest[nr++] = (nf_mono){vt_rat_make(vp[j].coef.num / (g > 0 ? g : 1), 1), quot};
        }
        if (!ok) continue;
        vt_id xi = vp[i].mono;
        int k = unknown_index(w, xi);
        if (k < 0) {
            /* a compound X must provably lie in [0, m) */
            if (!nf_nonneg(w->nf, xi) || !nf_less(w->nf, xi, m)) continue;
            push(w, xi, nf_term(w->nf, vt_fmod(s, r, m)));
        } else {
            w->values[k] = nf_term(w->nf, vt_fmod(s, r, m));
        }
        push(w, nf_from_poly(w->nf, VS_INT, rest, nr), nf_term(w->nf, vt_fdiv(s, r, m)));
        w->done[e] = true;
        return true;
    }
    return false;
}

/* One step on equation e; true when it made progress. `stuck` allows the last-resort rule. */
static bool step(wsolver *w, int e, bool stuck) {
    vctx *X = w->X;
    vt_store *s = X->s;
    vt_id lhs_v = substituted_vals(w, w->lhs[e]), rhs = substituted(w, w->rhs[e]);
    if (!mentions_unknown(w, lhs_v)) { w->done[e] = true; return true; }
    /* with the known atoms (pid // W = g) too, unless that leaves nothing to solve */
    vt_id lhs = substituted(w, w->lhs[e]);
    if (!mentions_unknown(w, lhs)) lhs = lhs_v;
    nf_mono vp[48];
    vt_id r;
    int nv = split_known(w, lhs, rhs, vp, &r);
    if (nv == 1 && vp[0].coef.den == 1 && (vp[0].coef.num == 1 || vp[0].coef.num == -1)) {
        vt_id val = vp[0].coef.num == 1 ? r : nf_term(w->nf, vt_neg(s, r));
        int k = unknown_index(w, vp[0].mono);
        if (k >= 0) { w->values[k] = val; w->done[e] = true; return true; }
        const vt_node *a = vt_get(s, vp[0].mono);
        /* the atom stands for val elsewhere */
        bool recorded = false, added = false;
        for (int i = 0; i < w->n_atoms; i++) recorded = recorded || w->atom[i] == vp[0].mono;
        if (!recorded && w->n_atoms < MAX_EQ && !mentions_unknown(w, val)) {
            w->atom[w->n_atoms] = vp[0].mono;
            w->atom_value[w->n_atoms++] = val;
            added = true;
        }
        if (a->kind == VK_FDIV || a->kind == VK_FMOD) {
            vt_kind ak = a->kind;
            /* its operands with the other known atoms substituted */
            vt_id ax = substituted(w, a->args[0]), ad = substituted(w, vt_get(s, vp[0].mono)->args[1]);
            /* A // G = t1 and A % G = t2 */
            for (int i = 0; i < w->n_atoms; i++) {
                const vt_node *b = vt_get(s, w->atom[i]);
                if ((b->kind != VK_FDIV && b->kind != VK_FMOD) || b->kind == ak) continue;
                vt_id b0 = b->args[0], b1 = b->args[1];   /* substituting makes terms: the node array may move */
                if (substituted(w, b0) != ax || substituted(w, b1) != ad) continue;
                vt_id q = ak == VK_FDIV ? val : w->atom_value[i], rem = ak == VK_FDIV ? w->atom_value[i] : val;
                w->done[e] = true;
                for (int o = 0; o < w->n; o++)
                    if (!w->done[o] && substituted_vals(w, w->lhs[o]) == substituted_vals(w, w->atom[i])) w->done[o] = true;
                push(w, ax, nf_term(w->nf, vt_add(s, vt_mul(s, q, ad), rem)));
                return true;
            }
            if (ak == VK_FMOD && !mentions_unknown(w, ad)) {
                /* (c + x) % D = t with x an unknown: x := (t - c) % D */
                nf_mono ym[48];
                vt_id c;
                int ny = split_known(w, ax, vt_int(s, 0), ym, &c);
                /* only for an x that lies in [0, D) (a lane, or a remainder unknown) */
                if (ny == 1 && ym[0].coef.num == 1 && ym[0].coef.den == 1 && unknown_index(w, ym[0].mono) >= 0 &&
                    nf_nonneg(w->nf, ym[0].mono) && nf_less(w->nf, ym[0].mono, ad)) {
                    w->values[unknown_index(w, ym[0].mono)] = nf_term(w->nf, vt_fmod(s, vt_add(s, val, c), ad));
                    w->done[e] = true;
                    return true;
                }
            }
            if (stuck && ak == VK_FDIV && !mentions_unknown(w, ad) && w->n_vars < MAX_UNK) {
                bool again = false;
                for (int i = 0; i < w->n_introduced; i++) again = again || w->introduced[i] == vp[0].mono;
                if (!again && w->n_introduced < MAX_EQ) {
                    /* A // D = t: A = t*D + e with a new unknown e in [0, D) */
                    w->introduced[w->n_introduced++] = vp[0].mono;
                    vt_id ev = vt_var(s, vx_fresh(X, "$w"), VS_INT);
                    w->vars[w->n_vars] = ev;
                    w->values[w->n_vars++] = VT_NONE;
                    nf_add_range(w->nf, ev, vt_int(s, 0), ad);
                    push(w, ax, nf_term(w->nf, vt_add(s, vt_mul(s, val, ad), ev)));
                    w->done[e] = true;
                    return true;
                }
            }
        }
        return added;
    }
    return split_tile(w, e, vp, nv, r);
}

bool witness_solve(vctx *X, nf_ctx *nf, int n_eq, const vt_id *lhs, const vt_id *target, int n_vars, const vt_id *vars,
                   const vt_id *lo, vt_id *values, char *why, int why_size) {
    wsolver *w = xcalloc(1, sizeof *w);
    w->X = X;
    w->nf = nf;
    w->n_vars = n_vars < MAX_UNK ? n_vars : MAX_UNK;
    for (int i = 0; i < w->n_vars; i++) w->vars[i] = vars[i];
    for (int i = 0; i < n_eq; i++) push(w, nf_term(nf, lhs[i]), nf_term(nf, target[i]));
    bool ok = true;
    why[0] = 0;
    for (int round = 0; round < 96; round++) {
        bool progress = false, open = false;
        for (int e = 0; e < w->n; e++) {
            if (w->done[e]) continue;
            if (step(w, e, false)) {
                progress = true;
            }
        }
        for (int e = 0; e < w->n; e++) open = open || !w->done[e];
        if (!open) break;
        if (!progress) {
            for (int e = 0; e < w->n && !progress; e++)
                if (!w->done[e] && step(w, e, true)) progress = true;
        }
        if (!progress) {
            for (int e = 0; e < w->n; e++)
                if (!w->done[e]) {
                    snprintf(why, (size_t)why_size, "cannot invert the index map %s = %s for the coverage witness",
                             vt_str(X->s, substituted(w, w->lhs[e])), vt_str(X->s, substituted(w, w->rhs[e])));
                    ok = false;
                    break;
                }
            break;
        }
    }
    if (ok) {
        /* values may mention later-solved unknowns: substitute until closed */
        for (int i = 0; i < n_vars && i < MAX_UNK; i++) {
            if (!w->values[i]) {
                /* a variable no index depends on (a lane of a broadcast dimension) takes its lower
                 * bound; one that the equations mention but could not be solved for fails */
                bool mentioned = false;
                for (int e = 0; e < n_eq; e++) mentioned = mentioned || vt_contains_var(X->s, lhs[e], vars[i]);
                if (mentioned) {
                    snprintf(why, (size_t)why_size, "the coverage witness leaves %s unsolved", vt_str(X->s, vars[i]));
                    ok = false;
                    break;
                }
                values[i] = lo[i] ? lo[i] : vt_int(X->s, 0);
                continue;
            }
            vt_id v = w->values[i];
            for (int round = 0; round < 8 && mentions_unknown(w, v); round++) v = substituted(w, v);
            for (int k = 0; k < w->n_vars; k++)
                if (!w->values[k] && vt_contains_var(X->s, v, w->vars[k])) ok = false;
            values[i] = substituted(w, v);
        }
        if (!ok && !why[0]) snprintf(why, (size_t)why_size, "the coverage witness depends on an unsolved auxiliary unknown");
    }
    if (X->opt && X->opt->debug) {
        fprintf(stderr, "  [witness] %s\n", ok ? "solved" : why);
        for (int e = 0; e < w->n; e++)
            fprintf(stderr, "    eq%d%s: %s = %s\n", e, w->done[e] ? " (done)" : "", vt_str(X->s, w->lhs[e]), vt_str(X->s, w->rhs[e]));
        for (int i = 0; i < w->n_vars; i++)
            fprintf(stderr, "    %s := %s\n", vt_str(X->s, w->vars[i]), w->values[i] ? vt_str(X->s, w->values[i]) : "?");
        for (int i = 0; i < w->n_atoms; i++)
            fprintf(stderr, "    atom %s := %s\n", vt_str(X->s, w->atom[i]), vt_str(X->s, w->atom_value[i]));
    }
    free(w);
    return ok;
}
