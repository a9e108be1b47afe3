/* Unit tests of index inference: the index grammar finds the expression giving each member's
 * index (variables, sizes, offsets, reversals, integer divisions), separates positions by a
 * condition, and gives up on indices beyond its size bound. */
#include "synth_fixture.h"
#include "test.h"

/* A family over y's positions (every run, every i) with no terms; targets computed per member. */
typedef int64_t (*index_fn)(int64_t i, int64_t n);

static const char *infer(fixture *F, const scope *sc, index_fn fn) {
    family f;
    fixture_output_family(F, sc, &f);
    int64_t *target = xmalloc((size_t)f.n * sizeof *target);
    int k_n = spec_size_index(&F->sp, "N");
    for (int k = 0; k < f.n; k++) target[k] = fn(f.m[k].env[0], F->sp.runs[f.m[k].run].sizes[k_n]);
    const char *text = fixture_text(F, index_infer(&F->C, &f, target));
    free(target);
    family_free(&f);
    return text;
}

static int64_t same(int64_t i, int64_t n) { (void)n; return i; }
static int64_t size_n(int64_t i, int64_t n) { (void)i; return n; }
static int64_t next(int64_t i, int64_t n) { (void)n; return i + 1; }
static int64_t reversed(int64_t i, int64_t n) { return n - 1 - i; }
static int64_t halves(int64_t i, int64_t n) { (void)n; return i / 2; }
static int64_t cubic(int64_t i, int64_t n) { return (i * i * i + 1) % n; }

TEST(index_inference) {
    fixture F;
    REQUIRE(fixture_load(&F, SYNTH_CASES, "reverse_affine", NULL));
    REQUIRE(F.spec_ok);
    const scope *sc = fixture_context(&F, "y");
    CHECK_STR(infer(&F, sc, same), "i");
    CHECK_STR(infer(&F, sc, size_n), "N");
    CHECK_STR(infer(&F, sc, next), "i + 1");
    CHECK_STR(infer(&F, sc, reversed), "N - (i + 1)");
    CHECK_STR(infer(&F, sc, halves), "i // 2");
    CHECK(infer(&F, sc, cubic) == NULL);   /* beyond the grammar's size bound */
    CHECK(F.stats.candidates > 0 && F.stats.pruned > 0);
    fixture_free(&F);
}

TEST(index_condition) {
    fixture F;
    REQUIRE(fixture_load(&F, SYNTH_CASES, "reverse_affine", NULL));
    REQUIRE(F.spec_ok);
    const scope *sc = fixture_context(&F, "y");
    family f;
    fixture_output_family(&F, sc, &f);
    bool *truth = xmalloc((size_t)f.n * sizeof *truth);
    int k_n = spec_size_index(&F.sp, "N");
    for (int k = 0; k < f.n; k++) truth[k] = f.m[k].env[0] + 2 <= F.sp.runs[f.m[k].run].sizes[k_n];
    fexpr *c = index_infer_condition(&F.C, &f, truth);
    REQUIRE(c != NULL);
    /* whatever its form, it must hold exactly where truth does */
    for (int k = 0; k < f.n; k++) {
        double v;
        eval_point p = {f.m[k].run, 0, sc, f.m[k].env};
        CHECK(synth_eval(&F.C, c, &p, &v) && (v != 0) == truth[k]);
    }
    free(truth);
    family_free(&f);
    fixture_free(&F);
}
