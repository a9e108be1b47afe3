/* real_abstraction: a VC restated as nonlinear real arithmetic, for z3's complete procedure
 * for it (nlsat). Welford's M2 update is preserved by a rational identity in a handful of
 * values (the running sums S and Q, the new element x, the step count n): pure real
 * arithmetic, decided by nlsat in milliseconds. The same query with the sums as recursive
 * functions, the count as an integer and the memory as uninterpreted functions is mixed
 * theory, where z3 has only incomplete nonlinear heuristics and runs out of time.
 *
 * The restatement:
 *   - a real atom that cannot be infinite (a memory read, a sum, exp(...)) becomes a fresh
 *     real variable, one per distinct atom; an atom that may be +-inf or NaN stops the
 *     restatement (a finite variable would have fewer models than it);
 *   - an integer variable v becomes the real variable for real(v); + * max min ite and the
 *     comparisons carry over exactly (they mean the same on integers viewed as reals);
 *   - integer atoms (divisions, remainders, function values) become fresh real variables;
 *   - every integer-valued variable gets the two facts r <= 0 | r >= 1 and r <= -1 | r >= 0,
 *     true of every integer (what integrality is usually needed for: 0 <= it < 1 means 0);
 *   - a hypothesis that cannot be restated is dropped, and so are hypotheses sharing no
 *     variable with the goal (transitively): fewer hypotheses, fewer models excluded.
 * Every model of the original negated VC gives one of the restated one (each variable takes
 * its atom's value), so UNSAT here is UNSAT there. SAT here means nothing: the caller goes
 * on to its other attempts. */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

#define RA_MAX_VARS 256

typedef struct ra_ctx {
    vt_store *s;
    vt_id *memo;              /* translation of input terms (ids below cap); 0 = not yet */
    size_t cap;
    int n_atoms;
    VEC(vt_id) integral;      /* real variables that stand for integers */
    bool failed;
} ra_ctx;

static vt_id fresh_atom(ra_ctx *c, vt_sort sort, bool integral) {
    char name[32];
    snprintf(name, sizeof name, "$ra%d", c->n_atoms++);
    vt_id v = vt_var(c->s, name, sort == VS_BOOL ? VS_BOOL : VS_REAL);
    if (integral) vec_push(&c->integral, v);
    return v;
}

static vt_id translate(ra_ctx *c, vt_id t);

static vt_id translate_node(ra_ctx *c, vt_id t) {
    vt_store *s = c->s;
    const vt_node *k = vt_get(s, t);
    vt_sort sort = k->sort;
    int n = k->n;
    switch (k->kind) {
    case VK_BOOLC: case VK_REALC: return t;
    case VK_INTC: return vt_real_int(s, k->ival);
    case VK_INF: case VK_BVAR: c->failed = true; return t;
    case VK_VAR: {
        if (sort != VS_INT) return t;
        char name[160];
        snprintf(name, sizeof name, "$ri:%s", k->name);
        vt_id r = vt_var(s, name, VS_REAL);
        vec_push(&c->integral, r);
        return r;
    }
    case VK_FDIV: case VK_FMOD: case VK_TDIV: case VK_TMOD: case VK_TOINT:
        return fresh_atom(c, VS_INT, true);
    case VK_APP: case VK_RED:
        if (k->depth != 0 || (sort == VS_REAL && k->maybe_inf)) { c->failed = true; return t; }
        return fresh_atom(c, sort, sort == VS_INT);
    case VK_TOREAL: return translate(c, k->args[0]);
    default: break;
    }
    vt_id args[64];
    if (n > 64) { c->failed = true; return t; }
    for (int i = 0; i < n; i++) {
        args[i] = translate(c, vt_get(s, t)->args[i]);
        if (c->failed) return t;
    }
    /* what is left (+ * / max min ite, comparisons, connectives) carries over as it is; only
     * integer sums and products become real ones */
    if (vt_get(s, t)->kind == VK_ADD) return vt_addn(s, sort == VS_INT ? VS_REAL : sort, n, args);
    if (vt_get(s, t)->kind == VK_MUL) return vt_muln(s, sort == VS_INT ? VS_REAL : sort, n, args);
    return vt_rebuild(s, t, n, args);
}

static vt_id translate(ra_ctx *c, vt_id t) {
    if (t < c->cap && c->memo[t]) return c->memo[t];
    vt_id r = translate_node(c, t);
    if (!c->failed && t < c->cap) c->memo[t] = r;
    return r;
}

/* A product of two non-constant reals or a division by a non-constant: the part of real
 * arithmetic z3's default procedures handle worst. */
static bool nonlinear(const vt_store *s, vt_id t, uint8_t *seen, size_t cap) {
    if (t < cap) {
        if (seen[t]) return false;
        seen[t] = 1;
    }
    const vt_node *k = vt_get(s, t);
    if (k->kind == VK_MUL && k->sort == VS_REAL) {
        int vars = 0;
        for (int i = 0; i < k->n; i++) vars += !vt_is_rat(s, k->args[i], NULL);
        if (vars >= 2) return true;
    }
    if (k->kind == VK_DIV && !vt_is_rat(s, k->args[1], NULL)) return true;
    for (int i = 0; i < k->n; i++)
        if (nonlinear(s, k->args[i], seen, cap)) return true;
    return false;
}

static bool shares_var(const vt_id *a, int na, const vt_id *b, int nb) {
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (a[i] == b[j]) return true;
    return false;
}

smt_answer real_abstraction_check(vt_store *s, smt_ctx *smt, int n_hyps, const vt_id *hyps, vt_id goal, char *reason,
                                  int reason_size) {
    ra_ctx c = {.s = s, .cap = vt_store_size(s) + 1};
    c.memo = xcalloc(c.cap, sizeof *c.memo);
    smt_answer ans = SMT_UNKNOWN;
    vt_id g = translate(&c, goal);
    vt_id *h = xcalloc((size_t)n_hyps + 1, sizeof *h);
    bool *used = xcalloc((size_t)n_hyps + 1, sizeof *used);
    uint8_t *seen = NULL;
    if (c.failed) goto done;
    size_t seen_cap = vt_store_size(s) + 1;
    seen = xcalloc(seen_cap, 1);
    if (!nonlinear(s, g, seen, seen_cap)) goto done;
    int nh = 0;
    for (int i = 0; i < n_hyps; i++) {
        c.failed = false;
        vt_id t = translate(&c, hyps[i]);
        if (!c.failed && !vt_is_const(s, t, NULL)) h[nh++] = t;
    }
    /* the cone of influence of the goal: hypotheses connected to it through shared variables */
    vt_id cone[RA_MAX_VARS];
    int n_cone = vt_free_vars(s, g, cone, RA_MAX_VARS);
    if (n_cone > RA_MAX_VARS) goto done;
    for (bool grew = true; grew;) {
        grew = false;
        for (int i = 0; i < nh; i++) {
            if (used[i]) continue;
            vt_id vars[RA_MAX_VARS];
            int nv = vt_free_vars(s, h[i], vars, RA_MAX_VARS);
            if (nv > RA_MAX_VARS || !shares_var(vars, nv, cone, n_cone)) continue;
            used[i] = grew = true;
            for (int j = 0; j < nv; j++)
                if (!shares_var(&vars[j], 1, cone, n_cone)) {
                    if (n_cone == RA_MAX_VARS) goto done;
                    cone[n_cone++] = vars[j];
                }
        }
    }
    VEC(vt_id) query = {0};
    for (int i = 0; i < nh; i++)
        if (used[i]) vec_push(&query, h[i]);
    vt_id zero = vt_real_int(s, 0), one = vt_real_int(s, 1), minus_one = vt_real_int(s, -1);
    for (size_t i = 0; i < c.integral.len; i++) {
        vt_id r = c.integral.items[i];
        if (!shares_var(&r, 1, cone, n_cone)) continue;
        vec_push(&query, vt_or(s, vt_le(s, r, zero), vt_le(s, one, r)));
        vec_push(&query, vt_or(s, vt_le(s, r, minus_one), vt_le(s, zero, r)));
    }
    ans = smt_check(smt, (int)query.len, query.items, g, reason, reason_size);
    vec_free(&query);
done:
    free(seen);
    free(used);
    free(h);
    free(c.memo);
    vec_free(&c.integral);
    return ans == SMT_UNSAT ? SMT_UNSAT : SMT_UNKNOWN;
}
