/* Unit tests of query isolation (smt.h): with it on, each query runs in a forked process; its
 * answers are the in-process ones, a SAT answer still gives a model, and a query that does not
 * stop at its limit (fault injection: VLIFT_FAULT_SMT=hang) is killed and answers UNKNOWN. */
#include "test.h"
#include "util/timing.h"
#include "verify/smt.h"
#include <stdlib.h>
#include <string.h>

TEST(verify_smt_isolation_answers_and_models) {
    vt_store *s = vt_store_new();
    smt_ctx *z = smt_new(s, 5000);
    smt_set_query_isolation(z, true);
    vt_id n = vt_var(s, "n", VS_INT);
    vt_id hyp = vt_le(s, vt_int(s, 3), n);
    char why[200];
    CHECK(smt_check(z, 1, &hyp, vt_lt(s, vt_int(s, 2), n), why, sizeof why) == SMT_UNSAT);
    /* n <= 3 is not valid under 3 <= n: the model (made again in this process) has n > 3 */
    CHECK(smt_check(z, 1, &hyp, vt_le(s, n, vt_int(s, 3)), why, sizeof why) == SMT_SAT);
    int64_t v = 0;
    CHECK(smt_model_int(z, n, &v));
    CHECK(v > 3);
    smt_free(z);
    vt_store_free(s);
}

TEST(verify_smt_isolation_kills_a_query_that_overruns) {
    vt_store *s = vt_store_new();
    smt_ctx *z = smt_new(s, 300);
    vt_id n = vt_var(s, "n", VS_INT);
    vt_id hyp = vt_le(s, vt_int(s, 3), n);
    vt_id goal = vt_lt(s, vt_int(s, 2), n);
    char why[200] = "";
    setenv("VLIFT_FAULT_SMT", "hang", 1);
    /* without isolation the fault is not consulted: the query is answered in this process */
    CHECK(smt_check(z, 1, &hyp, goal, why, sizeof why) == SMT_UNSAT);
    smt_set_query_isolation(z, true);
    double t0 = time_now();
    smt_answer a = smt_check(z, 1, &hyp, goal, why, sizeof why);
    double took = time_now() - t0;
    unsetenv("VLIFT_FAULT_SMT");
    CHECK(a == SMT_UNKNOWN);
    CHECK(strstr(why, "killed") != NULL);
    CHECK(took < 30);   /* bounded: 0.3 s of CPU, at most 1.2 s of wall time, plus the fork */
    /* the context is still usable */
    CHECK(smt_check(z, 1, &hyp, goal, why, sizeof why) == SMT_UNSAT);
    smt_free(z);
    vt_store_free(s);
}
