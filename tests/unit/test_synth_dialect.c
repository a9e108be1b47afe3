/* Unit tests of the baselines' synthesis changes: grammar dialects (TensIR, TACO), bounded
 * synthesis over growing bounds, checking on examples only, and guided production costs and
 * their training data with the operator under test left out. */
#include "synth/guided.h"
#include "synth_fixture.h"
#include "test.h"
#include <stdlib.h>
#include <unistd.h>

static const char *lift_with(fixture *F, const char *op, synth_grammar g, bool bounds, bool numeric, const synth_weights *w,
                             synth_result *r) {
    if (!fixture_load(F, SYNTH_CASES, op, NULL) || !F->spec_ok) return NULL;
    F->opt.topdown = false;
    F->opt.max_size = 6;
    F->opt.grammar = g;
    F->opt.growing_bounds = bounds;
    F->opt.numeric_check_only = numeric;
    F->opt.weights = w;
    return fixture_synth(F, r);
}

TEST(dialect_taco_has_sums_only) {
    fixture F;
    synth_result r;
    CHECK_STR(lift_with(&F, "row_sum", SYNTH_GRAMMAR_TACO, false, false, NULL, &r), "y[i] = sum(k in 0..N: x[i,k])");
    fixture_free(&F);
    /* a running max needs a max reduction, which TACO's index notation lacks */
    CHECK(lift_with(&F, "running_max", SYNTH_GRAMMAR_TACO, false, false, NULL, &r) == NULL);
    CHECK(r.status == SYNTH_NO_FORMULA);
    fixture_free(&F);
}

TEST(dialect_tensir_has_reduce_max) {
    fixture F;
    synth_result r;
    CHECK_STR(lift_with(&F, "running_max", SYNTH_GRAMMAR_TENSIR, false, false, NULL, &r), "y[i] = max(k in 0..i+1: x[k])");
    fixture_free(&F);
}

TEST(growing_bounds_reach_every_run) {
    fixture F;
    synth_result r;
    CHECK_STR(lift_with(&F, "fused_elementwise", SYNTH_GRAMMAR_TENSIR, true, false, NULL, &r), "z[i] = 1 + x[i] * y[i]");
    fixture_free(&F);
    CHECK_STR(lift_with(&F, "row_sum", SYNTH_GRAMMAR_TENSIR, true, false, NULL, &r), "y[i] = sum(k in 0..N: x[i,k])");
    fixture_free(&F);
}

TEST(numeric_check_only_never_exact) {
    fixture F;
    synth_result r;
    CHECK_STR(lift_with(&F, "product", SYNTH_GRAMMAR_TACO, false, true, NULL, &r), "z[i] = x[i] * y[i]");
    CHECK(r.stats.outputs_numeric == 1 && r.stats.outputs_exact == 0);
    fixture_free(&F);
    CHECK_STR(lift_with(&F, "product", SYNTH_GRAMMAR_TACO, false, false, NULL, &r), "z[i] = x[i] * y[i]");
    CHECK(r.stats.outputs_exact == 1);
    fixture_free(&F);
}

static const char *write_weights(char *path, size_t size) {
    snprintf(path, size, "/tmp/vlift-guided-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    const char text[] = "# test weights\n"
                        "a\top1\tbinary:*\t4\n"
                        "a\top1\treduce:sum\t1\n"
                        "b\top2\tbinary:*\t3\n"
                        "b\top2\tbinary:+\t1\n"
                        "c\top1\tbinary:max\t100\n";
    ssize_t n = write(fd, text, sizeof text - 1);
    close(fd);
    return n == (ssize_t)(sizeof text - 1) ? path : NULL;
}

TEST(guided_weights_leave_out_the_operator_under_test) {
    char path[64];
    REQUIRE(write_weights(path, sizeof path));
    synth_weights w;
    char err[512] = "";
    /* op1 is left out in every suite (also c's, whose max would dominate), suite b as well */
    CHECK(!guided_weights_load(path, "b", "op1", &w, err, sizeof err));
    CHECK(strstr(err, "no training formula left") != NULL);
    CHECK(guided_weights_load(path, "a", NULL, &w, err, sizeof err));
    CHECK(w.formulas == 2 && w.left_out == 1);
    const char *bin[] = {"+", "-", "*", "/", "pow", "max", "min"};
    /* counts (+0.5): * 3.5, + 1.5, max 100.5: max is likeliest, * is 28.7 times less likely */
    CHECK(guided_cost(&w, "binary", "max", bin, 7) == 1);
    CHECK(guided_cost(&w, "binary", "*", bin, 7) == GUIDED_MAX_COST);
    CHECK(guided_weights_load(path, NULL, "op1", &w, err, sizeof err));
    CHECK(w.formulas == 1 && w.left_out == 2);
    CHECK(guided_cost(&w, "binary", "*", bin, 7) == 1);   /* 3.5 */
    CHECK(guided_cost(&w, "binary", "+", bin, 7) == 2);   /* 1.5: log2(3.5/1.5) = 1.2 */
    CHECK(guided_cost(&w, "binary", "-", bin, 7) == 3);   /* 0.5: log2(7) = 2.8 */
    CHECK(guided_cost(NULL, "binary", "-", bin, 7) == 1);
    unlink(path);
    CHECK(!guided_weights_load("/nonexistent/weights.tsv", NULL, NULL, &w, err, sizeof err));
    CHECK(strstr(err, "/nonexistent/weights.tsv") != NULL);
}

TEST(guided_search_follows_costs) {
    char path[64];
    REQUIRE(write_weights(path, sizeof path));
    synth_weights w;
    char err[512];
    REQUIRE(guided_weights_load(path, NULL, "op1", &w, err, sizeof err));
    fixture F;
    synth_result r, plain;
    /* + costs 2 here: 1 + x*y has cost 6 instead of size 5, still within the bound of 6 */
    CHECK_STR(lift_with(&F, "fused_elementwise", SYNTH_GRAMMAR_FULL, false, false, &w, &r), "z[i] = 1 + x[i] * y[i]");
    fixture_free(&F);
    CHECK_STR(lift_with(&F, "fused_elementwise", SYNTH_GRAMMAR_FULL, false, false, NULL, &plain), "z[i] = 1 + x[i] * y[i]");
    fixture_free(&F);
    CHECK(r.stats.candidates != plain.stats.candidates);
    unlink(path);
}
