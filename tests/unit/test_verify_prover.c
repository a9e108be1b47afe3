/* Unit tests of discharge's side-condition prover as the normalizer's source of lower bounds
 * (fact_hint): a side condition `c < t` / `c <= t` the prover proved bounds t for the
 * normalizer, so 0 <= q*min(g, 3) + r follows without z3 once 0 < min(g, 3) is proved; a
 * failed proof gives no bound, and one made under a withdrawn hypothesis is forgotten. The
 * cache is filled by hand here (no z3): the test is of the lookup, not of the proofs. */
#include "test.h"
#include "verify/verify_internal.h"

TEST(verify_prover_proved_side_condition_bounds_an_atom) {
    vt_store *s = vt_store_new();
    vctx X;
    memset(&X, 0, sizeof X);
    X.s = s;
    nf_ctx nf;
    vprover p;
    vprover_init(&p, &X, &nf, NULL, 0, NULL, 0);
    nf.prove = NULL;   /* the normalizer's own reasoning only */
    vt_id q = vt_var(s, "q", VS_INT), g = vt_var(s, "g", VS_INT), r = vt_var(s, "r", VS_INT);
    nf_add_range(&nf, q, vt_int(s, 0), VT_NONE);
    nf_add_range(&nf, r, vt_int(s, 0), VT_NONE);   /* g: no range, so min(g, 3) has no bound */
    vt_id group = nf_term(&nf, vt_min(s, g, vt_int(s, 3)));
    vt_id sum = vt_add(s, vt_mul(s, q, group), r);
    CHECK(!nf_nonneg(&nf, sum));

    /* a failed proof of 0 < min(g, 3) bounds nothing */
    p.cache_fact[0] = vt_lt(s, vt_int(s, 0), group);
    p.cache_ok[0] = false;
    p.n_cache = 1;
    nf_clear_memo(&nf);
    CHECK(!nf_nonneg(&nf, sum));

    /* proved under an assumed hypothesis: a bound while it holds, forgotten at restore */
    vprover_mark mark;
    CHECK(vprover_assume(&p, vt_lt(s, vt_int(s, 0), g), &mark));
    p.cache_fact[p.n_cache] = vt_lt(s, vt_int(s, 0), group);
    p.cache_ok[p.n_cache++] = true;
    CHECK(nf_nonneg(&nf, sum));
    vprover_restore(&p, &mark);
    CHECK(!nf_nonneg(&nf, sum));

    /* proved outright: the sum is nonnegative without z3 */
    p.cache_fact[p.n_cache] = vt_le(s, vt_int(s, 1), group);
    p.cache_ok[p.n_cache++] = true;
    nf_clear_memo(&nf);
    CHECK(nf_nonneg(&nf, sum));
    nf_free(&nf);
    vprover_free(&p);
    vt_store_free(s);
}
