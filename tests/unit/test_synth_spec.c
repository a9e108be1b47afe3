/* Unit tests of the spec's size points (values around the block sizes, preconditions respected,
 * every symbol varied) and of its error paths: a variant that runs nowhere, an unsupported
 * construct, outputs never written or depending on unspecified values. */
#include "synth_fixture.h"
#include "test.h"

static bool has_n(const spec *sp, int64_t n) {
    int k = spec_size_index(sp, "N");
    for (int r = 0; r < sp->n_runs; r++)
        if (sp->runs[r].sizes[k] == n) return true;
    return false;
}

TEST(spec_points_around_the_block) {
    fixture F;
    REQUIRE(fixture_load(&F, SOFTMAX, "softmax", "online"));   /* TILE_N = 4 */
    REQUIRE(F.spec_ok);
    char point[160];
    spec_format_point(&F.sp, 0, point, sizeof point);
    CHECK_STR(point, "M=3, N=3");                              /* the base point */
    CHECK(has_n(&F.sp, 5));                                     /* a partial second tile */
    CHECK(has_n(&F.sp, 9));                                     /* two tiles and a partial one */
    CHECK(has_n(&F.sp, 4));                                     /* exactly one tile */
    /* one symbol varies at a time: every run differs from the base in at most one size */
    for (int r = 1; r < F.sp.n_runs; r++) {
        int differ = 0;
        for (int k = 0; k < F.sp.n_sizes; k++) differ += F.sp.runs[r].sizes[k] != F.sp.runs[0].sizes[k];
        CHECK(differ == 1);
    }
    /* outputs are kept per run as element terms */
    const spec_tensor *y = &F.sp.runs[0].tensors[spec_tensor_index(&F.sp, "y")];
    CHECK(y->numel == 9 && y->elems[0] != TERM_NONE);
    CHECK(spec_check_outputs(&F.sp, point, sizeof point) == SPEC_DEFINED);
    fixture_free(&F);
}

TEST(spec_respects_preconditions) {
    fixture F;
    REQUIRE(fixture_load(&F, SOFTMAX, "softmax", "one_tile_fixed"));   /* TILE_N = 8 >= N */
    REQUIRE(F.spec_ok);
    int k = spec_size_index(&F.sp, "N");
    for (int r = 0; r < F.sp.n_runs; r++) CHECK(F.sp.runs[r].sizes[k] <= 8);
    CHECK(has_n(&F.sp, 8));
    CHECK(F.sp.attempts > F.sp.n_runs);   /* some candidate points were refused */
    fixture_free(&F);
}

TEST(spec_fixed_sizes) {
    fixture F;
    REQUIRE(fixture_load(&F, SYNTH_CASES, "row_sum", NULL));
    spec_free(&F.sp);
    int64_t sizes[] = {2, 6};
    spec_options o = {0};
    o.fixed_sizes = sizes;
    REQUIRE(spec_build(&F.a, F.op, F.variant, &F.src, &o, &F.sp, &F.err));
    CHECK(F.sp.n_runs == 1);
    CHECK(F.sp.runs[0].sizes[1] == 6);
    fixture_free(&F);
}

TEST(spec_variant_that_runs_nowhere) {
    fixture F;
    REQUIRE(fixture_load(&F, SYNTH_CASES, "never_runs", NULL));
    CHECK(!F.spec_ok);
    CHECK(F.err.kind == DIAG_ERROR);
    CHECK(strstr(F.err.message, "runs at none of the candidate sizes") != NULL);
    CHECK(strstr(F.err.message, "N > 1000") != NULL);
    fixture_free(&F);
}

TEST(spec_unsupported_construct) {
    fixture F;
    REQUIRE(fixture_load(&F, "tests/kernels/builtins.yaml", "uses_atomics", NULL));
    CHECK(!F.spec_ok);
    CHECK(F.err.kind == DIAG_UNSUPPORTED);
    fixture_free(&F);
}

TEST(spec_outputs_unspecified_or_unwritten) {
    fixture F;
    char why[300];
    REQUIRE(fixture_load(&F, SYNTH_CASES, "unmasked_sum", NULL));
    REQUIRE(F.spec_ok);
    CHECK(spec_check_outputs(&F.sp, why, sizeof why) == SPEC_UNSPECIFIED);
    CHECK(strstr(why, "output y at N=3 depends on an unspecified value") != NULL);
    synth_result r;
    CHECK(!synth_run(&F.a, &F.sp, &F.opt, &r) && r.status == SYNTH_UNSPECIFIED);
    fixture_free(&F);

    REQUIRE(fixture_load(&F, SYNTH_CASES, "half_store", NULL));
    REQUIRE(F.spec_ok);
    CHECK(spec_check_outputs(&F.sp, why, sizeof why) == SPEC_UNWRITTEN);
    CHECK(strstr(why, "output y[1] is never written at N=3") != NULL);
    CHECK(!synth_run(&F.a, &F.sp, &F.opt, &r) && r.status == SYNTH_UNWRITTEN);
    fixture_free(&F);
}
