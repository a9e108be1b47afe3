/* falsify: a quick search for a concrete point where every hypothesis holds and a side condition
 * fails, tried before z3 is asked to prove the side condition. Most side conditions the
 * normalizer and the lemmas ask about are simply false under the VC's hypotheses (is this lane
 * below that block size?), and z3 takes 0.1-1 s to say sat, or runs out of time on the
 * nonlinear ones (a symbolic swizzle). Sizes, block sizes and program ids are drawn small, each
 * variable inside the range the normalizer knows for it once its bounds can be evaluated, and
 * a point counts only if every hypothesis evaluates (vc_eval.c) to true there. A point found
 * here only ever makes a side condition "not proved" sooner, so a wrong one could cost a proof,
 * never make one. Only integer facts are tried (see integer_only). */
#include "verify/verify_internal.h"
#include "util/rng.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FALSIFY_VARS 64
#define FALSIFY_TRIES 48

/* A small value for a variable with no usable range: sizes and block sizes are mostly small,
 * often powers of two. */
static double small_int(rng *random, int64_t lo) {
    uint64_t r = rng_next(random);
    int64_t v = (r & 1) ? (int64_t)1 << (int)((r >> 1) % 5) : (int64_t)((r >> 1) % 13);
    return (double)(lo + v);
}

static int add_vars(const vt_store *s, vt_id t, vt_id *vars, int n) {
    vt_id found[FALSIFY_VARS];
    int k = vt_free_vars(s, t, found, FALSIFY_VARS);
    if (k > FALSIFY_VARS) return -1;
    for (int i = 0; i < k; i++) {
        bool seen = false;
        for (int j = 0; j < n && !seen; j++) seen = vars[j] == found[i];
        if (seen) continue;
        if (n == FALSIFY_VARS) return -1;
        vars[n++] = found[i];
    }
    return n;
}

/* Evaluates t where only the first n_set variables have values; false when it needs others. */
static bool eval_with(const vt_store *s, vt_id t, const vt_id *vars, const double *values, int n_set, double *out) {
    vt_env env = {vars, values, n_set, 0};
    return vt_eval(s, t, &env, out) && !isnan(*out);
}

/* Is t built from integers and booleans only (no reals, no uninterpreted values)? Only such
 * facts are tried: there the concrete evaluator's arithmetic is exactly z3's, while reals and
 * uninterpreted functions (loads, exp, masked reductions) follow the SMT encoding's extended
 * reals and axioms, which a concrete point does not model. */
static bool integer_only(const vt_store *s, vt_id t) {
    vt_id stack[256];
    int sp = 0, visited = 0;
    stack[sp++] = t;
    while (sp > 0) {
        const vt_node *k = vt_get(s, stack[--sp]);
        if (k->sort == VS_REAL || k->kind == VK_APP || k->kind == VK_RED || ++visited > 4096) return false;
        for (int i = 0; i < k->n; i++) {
            if (sp == 256) return false;
            stack[sp++] = k->args[i];
        }
    }
    return true;
}

bool falsify_side(const vt_store *s, const nf_ctx *nf, int n_hyps, const vt_id *hyps, vt_id fact, uint64_t seed) {
    if (!integer_only(s, fact)) return false;
    vt_id vars[FALSIFY_VARS];
    int n = add_vars(s, fact, vars, 0);
    for (int i = 0; i < n_hyps && n >= 0; i++) n = add_vars(s, hyps[i], vars, n);
    if (n <= 0) return false;
    rng random;
    rng_seed(&random, seed);
    vt_id order[FALSIFY_VARS];
    double values[FALSIFY_VARS];
    for (int attempt = 0; attempt < FALSIFY_TRIES; attempt++) {
        /* assign in dependency order: a variable whose range bounds evaluate under the values so
         * far is drawn inside them; when none can be, the first open one gets a small value */
        bool set[FALSIFY_VARS] = {0};
        int n_set = 0;
        bool rejected = false;
        while (n_set < n && !rejected) {
            bool progress = false;
            for (int i = 0; i < n && !rejected; i++) {
                if (set[i]) continue;
                bool bounded = false, blocked = false;
                double lo = 0, hi = 0;
                bool have_lo = false, have_hi = false;
                for (int r = 0; r < nf->n_ranges; r++) {
                    const nf_range *rg = &nf->ranges[r];
                    if (rg->var != vars[i]) continue;
                    double v;
                    if (rg->lo) {
                        if (eval_with(s, rg->lo, order, values, n_set, &v)) { lo = have_lo && lo > v ? lo : v; have_lo = true; }
                        else blocked = true;
                    }
                    if (rg->hi) {
                        if (eval_with(s, rg->hi, order, values, n_set, &v)) { hi = have_hi && hi < v ? hi : v; have_hi = true; }
                        else blocked = true;
                    }
                    bounded = true;
                }
                if (blocked) continue;
                double value;
                if (vt_get(s, vars[i])->sort == VS_REAL) {
                    value = (double)(int64_t)(rng_next(&random) % 13) / 2.0 - 3.0;
                } else if (bounded && have_lo && have_hi) {
                    if (hi <= lo || hi - lo > 1e9) { rejected = true; break; }
                    value = lo + (double)(rng_next(&random) % (uint64_t)(hi - lo));
                } else if (bounded && have_hi) {
                    value = hi - 1 - (double)(rng_next(&random) % 4);
                } else {
                    value = small_int(&random, have_lo ? (int64_t)lo : 0);
                }
                order[n_set] = vars[i];
                values[n_set++] = value;
                set[i] = true;
                progress = true;
            }
            if (!progress && !rejected) {
                /* nothing had evaluable bounds: give the first open variable a small value */
                for (int i = 0; i < n; i++)
                    if (!set[i]) {
                        order[n_set] = vars[i];
                        values[n_set++] = vt_get(s, vars[i])->sort == VS_REAL ? 0.5 : small_int(&random, 0);
                        set[i] = true;
                        break;
                    }
            }
        }
        if (rejected) continue;
        /* the fact first: most points satisfy it, and then the hypotheses need no evaluation */
        double f;
        if (!eval_with(s, fact, order, values, n_set, &f) || f != 0) continue;
        bool holds = true;
        for (int i = 0; i < n_hyps && holds; i++) {
            double v;
            holds = eval_with(s, hyps[i], order, values, n_set, &v) && v != 0;
        }
        if (holds) return true;
    }
    return false;
}
