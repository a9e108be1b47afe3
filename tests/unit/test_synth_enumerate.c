/* Unit tests of bottom-up enumeration: whole right-hand sides found without top-down search,
 * with and without pruning (observational equivalence and shape rules), the size bound and the
 * time limit as clean failures. */
#include "synth_fixture.h"
#include "test.h"

static const char *bottom_up(fixture *F, const char *op, bool prune, int max_size, double time_limit, synth_result *r) {
    if (!fixture_load(F, SYNTH_CASES, op, NULL) || !F->spec_ok) return NULL;
    F->opt.topdown = false;
    F->opt.prune = prune;
    F->opt.max_size = max_size;
    F->opt.time_limit = time_limit;
    return fixture_synth(F, r);
}

TEST(enumerate_finds_whole_formula) {
    fixture F;
    synth_result r;
    CHECK_STR(bottom_up(&F, "fused_elementwise", true, 10, 0, &r), "z[i] = 1 + x[i] * y[i]");
    CHECK(r.stats.bottomup_pieces == 1 && r.stats.topdown_pieces == 0);
    CHECK(r.stats.pruned > 0);
    fixture_free(&F);
}

TEST(enumerate_with_and_without_pruning) {
    fixture F;
    synth_result r;
    CHECK_STR(bottom_up(&F, "product", true, 10, 0, &r), "z[i] = x[i] * y[i]");
    CHECK(r.stats.pruned > 0);
    long long with_pruning = r.stats.candidates;
    fixture_free(&F);
    /* without: the same answer, more candidates, nothing pruned */
    CHECK_STR(bottom_up(&F, "product", false, 10, 0, &r), "z[i] = x[i] * y[i]");
    CHECK(r.stats.pruned == 0);
    CHECK(r.stats.candidates > with_pruning);
    fixture_free(&F);
}

TEST(enumerate_reduction) {
    fixture F;
    synth_result r;
    CHECK_STR(bottom_up(&F, "row_sum", true, 6, 0, &r), "y[i] = sum(k in 0..N: x[i,k])");
    fixture_free(&F);
    CHECK_STR(bottom_up(&F, "running_max", true, 6, 0, &r), "y[i] = max(k in 0..i+1: x[k])");
    fixture_free(&F);
}

TEST(enumerate_size_bound_is_a_clean_failure) {
    fixture F;
    synth_result r;
    CHECK(bottom_up(&F, "fused_elementwise", true, 3, 0, &r) == NULL);
    CHECK(r.status == SYNTH_NO_FORMULA);
    CHECK_STR(r.message, "no formula in the grammar matches the spec of z (bottom-up candidates up to size 3)");
    fixture_free(&F);
}

TEST(enumerate_time_limit) {
    fixture F;
    synth_result r;
    CHECK(bottom_up(&F, "truncate", true, 10, 0.05, &r) == NULL);
    CHECK(r.status == SYNTH_TIMEOUT);
    CHECK(strstr(r.message, "time limit") != NULL);
    CHECK(r.stats.seconds < 2);
    fixture_free(&F);
}

TEST(enumerate_memory_bound_is_a_clean_failure) {
    fixture F;
    synth_result r;
    REQUIRE(fixture_load(&F, SYNTH_CASES, "truncate", NULL));
    REQUIRE(F.spec_ok);
    F.opt.topdown = false;
    F.opt.max_memory_mb = 1;
    CHECK(fixture_synth(&F, &r) == NULL);
    CHECK(r.status == SYNTH_NO_FORMULA);
    CHECK(strstr(r.message, "no formula in the grammar matches the spec of y") != NULL);
    CHECK(strstr(r.message, "stopped at the candidate memory bound") != NULL);
    fixture_free(&F);
}
