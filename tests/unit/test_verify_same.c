/* Unit tests of value agreement (vt_same, vc_term.h) as z3 decides it (smt.c): a value agrees
 * with itself even when it may be NaN, where IEEE's == does not; for values that cannot be NaN
 * agreement is plain equality. */
#include "test.h"
#include "verify/smt.h"

TEST(verify_same_folds_identical_and_finite_terms) {
    vt_store *s = vt_store_new();
    vt_id x = vt_var(s, "x", VS_REAL), y = vt_var(s, "y", VS_REAL);
    vt_id u = vt_app1(s, "undef:t", VS_REAL, vt_var(s, "k", VS_INT));
    CHECK(vt_same(s, u, u) == vt_bool(s, true));
    CHECK(vt_same(s, x, y) == vt_eq(s, x, y));      /* finite: equality */
    CHECK(vt_same(s, u, x) != vt_eq(s, u, x));      /* may be NaN: agreement */
    CHECK(vt_same(s, u, x) == vt_same(s, x, u));    /* symmetric */
    vt_store_free(s);
}

TEST(verify_same_holds_for_nan_where_equality_does_not) {
    vt_store *s = vt_store_new();
    smt_ctx *z = smt_new(s, 5000);
    vt_id k = vt_var(s, "k", VS_INT);
    /* an unspecified value at k and at 1: the same value when k = 1, possibly NaN */
    vt_id a = vt_app1(s, "undef:t", VS_REAL, k), b = vt_app1(s, "undef:t", VS_REAL, vt_int(s, 1));
    vt_id hyp = vt_eq(s, k, vt_int(s, 1));
    char why[200];
    CHECK(smt_check(z, 1, &hyp, vt_same(s, a, b), why, sizeof why) == SMT_UNSAT);
    CHECK(smt_check(z, 1, &hyp, vt_eq(s, a, b), why, sizeof why) == SMT_SAT);
    /* different points are not known to agree */
    vt_id c = vt_app1(s, "undef:t", VS_REAL, vt_int(s, 2));
    CHECK(smt_check(z, 1, &hyp, vt_same(s, a, c), why, sizeof why) == SMT_SAT);
    /* +inf agrees with +inf, not with -inf */
    vt_id p = vt_inf(s, 1), m = vt_inf(s, -1);
    vt_id h2 = vt_eq(s, a, p);
    CHECK(smt_check(z, 1, &h2, vt_same(s, a, p), why, sizeof why) == SMT_UNSAT);
    CHECK(smt_check(z, 1, &h2, vt_same(s, a, m), why, sizeof why) == SMT_SAT);
    smt_free(z);
    vt_store_free(s);
}
