/* Unit tests of the real-arithmetic restatement of a VC (real_abstraction.c): Welford's M2
 * update is proved preserved once the running sums are plain real unknowns, a wrong update
 * and a missing hypothesis are not proved, and goals it must not restate (linear ones, or with
 * a possibly infinite atom) cost no query. */
#include "test.h"
#include "verify/verify_internal.h"

typedef struct welford_vc {
    vt_id hyps[5];
    int n_hyps;
    vt_id goal;
} welford_vc;

/* q' = q + (x - m')(x - m) keeps q = Q(n) - S(n)*m(n), m(n) = S(n)/max(n, 1), over one step
 * with the new element x = mem:x(it); the step's mean update divides by n + 1 + extra. */
static welford_vc welford_step(vt_store *s, int extra, bool empty_prefix_fact) {
    welford_vc v = {{0}, 0, 0};
    vt_id it = vt_var(s, "it", VS_INT), u = vt_var(s, "u", VS_INT);
    vt_id xu = vt_app1(s, "mem:x", VS_REAL, u), x = vt_app1(s, "mem:x", VS_REAL, it);
    vt_id zero = vt_int(s, 0), one = vt_int(s, 1), rzero = vt_real_int(s, 0), rone = vt_real_int(s, 1);
    vt_id S = vt_red_over(s, VR_SUM, u, zero, it, xu), Q = vt_red_over(s, VR_SUM, u, zero, it, vt_mul(s, xu, xu));
    vt_id it1 = vt_add(s, it, one);
    vt_id S1 = vt_red_over(s, VR_SUM, u, zero, it1, xu), Q1 = vt_red_over(s, VR_SUM, u, zero, it1, vt_mul(s, xu, xu));
    vt_id n = vt_toreal(s, it), n1 = vt_add(s, n, rone);
    vt_id m = vt_div(s, S, vt_max(s, n, rone));
    vt_id m1 = vt_add(s, m, vt_div(s, vt_sub(s, x, m), vt_add(s, n1, vt_real_int(s, extra))));
    vt_id q = vt_sub(s, Q, vt_mul(s, S, m));
    vt_id q1_closed = vt_sub(s, Q1, vt_mul(s, S1, vt_div(s, S1, vt_max(s, n1, rone))));
    v.goal = vt_eq(s, q1_closed, vt_add(s, q, vt_mul(s, vt_sub(s, x, m1), vt_sub(s, x, m))));
    /* the recursive definitions peeled once (axiom R3), and the empty prefix (R1) */
    v.hyps[v.n_hyps++] = vt_le(s, zero, it);
    v.hyps[v.n_hyps++] = vt_or(s, vt_lt(s, it, zero), vt_eq(s, S1, vt_add(s, x, S)));
    v.hyps[v.n_hyps++] = vt_or(s, vt_lt(s, it, zero), vt_eq(s, Q1, vt_add(s, vt_mul(s, x, x), Q)));
    if (empty_prefix_fact) {
        v.hyps[v.n_hyps++] = vt_or(s, vt_lt(s, zero, it), vt_eq(s, S, rzero));
        v.hyps[v.n_hyps++] = vt_or(s, vt_lt(s, zero, it), vt_eq(s, Q, rzero));
    }
    return v;
}

TEST(verify_real_abstraction_proves_welford_m2_step) {
    vt_store *s = vt_store_new();
    smt_ctx *z = smt_new(s, 5000);
    char why[256];
    welford_vc v = welford_step(s, 0, true);
    CHECK(real_abstraction_check(s, z, v.n_hyps, v.hyps, v.goal, why, sizeof why) == SMT_UNSAT);
    /* a mean update divided by n + 2 breaks the identity */
    welford_vc wrong = welford_step(s, 1, true);
    CHECK(real_abstraction_check(s, z, wrong.n_hyps, wrong.hyps, wrong.goal, why, sizeof why) == SMT_UNKNOWN);
    /* without S(0) = 0 the first step (n = 0, where max(n, 1) is 1, not n) is not proved */
    welford_vc bare = welford_step(s, 0, false);
    CHECK(real_abstraction_check(s, z, bare.n_hyps, bare.hyps, bare.goal, why, sizeof why) == SMT_UNKNOWN);
    smt_free(z);
    vt_store_free(s);
}

TEST(verify_real_abstraction_declines_linear_and_infinite_goals) {
    vt_store *s = vt_store_new();
    smt_ctx *z = smt_new(s, 5000);
    char why[256];
    vt_id a = vt_var(s, "a", VS_REAL), b = vt_var(s, "b", VS_REAL), k = vt_var(s, "k", VS_INT);
    /* linear: left to the other attempts, no query */
    CHECK(real_abstraction_check(s, z, 0, NULL, vt_le(s, a, vt_add(s, a, vt_real_int(s, 1))), why, sizeof why) == SMT_UNKNOWN);
    /* a max over a possibly empty range may be -inf: not a finite unknown */
    vt_id mx = vt_red_over(s, VR_MAX, k, vt_int(s, 0), vt_var(s, "n", VS_INT), vt_app1(s, "mem:x", VS_REAL, k));
    CHECK(vt_get(s, mx)->maybe_inf);
    CHECK(real_abstraction_check(s, z, 0, NULL, vt_le(s, vt_mul(s, mx, a), vt_mul(s, a, b)), why, sizeof why) == SMT_UNKNOWN);
    CHECK(smt_get_stats(z).queries == 0);
    smt_free(z);
    vt_store_free(s);
}
