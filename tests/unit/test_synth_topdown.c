/* Unit tests of top-down lifting: reductions recognised from n-ary trees (full rows, prefixes,
 * nested, tree-shaped and loop-shaped), accesses with inferred indices, splits at the root, and
 * the structural signatures that group operands. */
#include "synth_fixture.h"
#include "test.h"

typedef struct lifted { char text[512]; synth_stats stats; } lifted;

/* The formula synthesised for an operator, as text in out (NULL when none). */
static const char *lift(const char *manifest, const char *op, const char *variant, lifted *out) {
    fixture F;
    out->text[0] = 0;
    if (!fixture_load(&F, manifest, op, variant) || !F.spec_ok) return NULL;
    synth_result r;
    const char *t = fixture_synth(&F, &r);
    if (t) snprintf(out->text, sizeof out->text, "%s", t);
    out->stats = r.stats;
    fixture_free(&F);
    return t ? out->text : NULL;
}

TEST(topdown_row_reduction) {
    lifted l;
    CHECK_STR(lift(SYNTH_CASES, "row_sum", NULL, &l), "y[i] = sum(k in 0..N: x[i,k])");
    CHECK(l.stats.bottomup_pieces == 0 && l.stats.topdown_pieces > 0);
    CHECK(l.stats.outputs_exact == 1);   /* a tile accumulator, summed: equal terms after AC normalisation */
}

TEST(topdown_prefix_reduction) {
    lifted l;
    CHECK_STR(lift(SYNTH_CASES, "running_max", NULL, &l), "y[i] = max(k in 0..i+1: x[k])");
}

TEST(topdown_reversed_index_and_parameter) {
    lifted l;
    CHECK_STR(lift(SYNTH_CASES, "reverse_affine", NULL, &l), "y[i] = alpha + x[N - (i + 1)] * 2");
}

TEST(topdown_softmax_one_tile) {
    lifted l;
    CHECK_STR(lift(SOFTMAX, "softmax", "one_tile", &l),
              "y[i,j] = exp(x[i,j] - max(k in 0..N: x[i,k])) / sum(k in 0..N: exp(x[i,k] - max(s in 0..N: x[i,s])))");
    CHECK(l.stats.bottomup_pieces == 0);
}

TEST(topdown_online_softmax_needs_bottom_up) {
    lifted l;
    /* the rescaled normaliser has no common structure across sizes: bottom-up finds it, with the
     * row max lifted from the numerator as a building block */
    CHECK_STR(lift(SOFTMAX, "softmax", "online", &l),
              "y[i,j] = exp(x[i,j] - max(k in 0..N: x[i,k])) / sum(k in 0..N: exp(x[i,k] - max(s in 0..N: x[i,s])))");
    CHECK(l.stats.bottomup_pieces == 1);
    CHECK(l.stats.outputs_numeric == 1);
}

TEST(topdown_signatures) {
    fixture F;
    REQUIRE(fixture_load(&F, SYNTH_CASES, "row_sum", NULL));
    REQUIRE(F.spec_ok);
    fixture_context(&F, "y");
    term_store *ts = F.sp.terms;
    term_id x[5];
    for (int64_t k = 0; k < 5; k++) {
        int64_t idx[2] = {0, k};
        x[k] = term_var(ts, "x", 2, idx, TY_REAL);
    }
    term_id three = term_bin(ts, T_ADD, term_bin(ts, T_ADD, x[0], x[1]), x[2]);
    term_id two = term_bin(ts, T_ADD, x[3], x[4]);
    /* sums of any number of elements of x look alike; a product does not */
    CHECK(term_signature(&F.C, three) == term_signature(&F.C, two));
    CHECK(term_signature(&F.C, three) != term_signature(&F.C, term_bin(ts, T_MUL, x[3], x[4])));
    /* constants by class: sizes folded into constants do not split a family */
    CHECK(term_signature(&F.C, term_real(ts, 3)) == term_signature(&F.C, term_real(ts, 5)));
    CHECK(term_signature(&F.C, term_real(ts, 0)) != term_signature(&F.C, term_real(ts, 1)));
    fixture_free(&F);
}

TEST(topdown_family_of_constants_and_sizes) {
    fixture F;
    REQUIRE(fixture_load(&F, SYNTH_CASES, "row_sum", NULL));
    REQUIRE(F.spec_ok);
    const scope *sc = fixture_context(&F, "y");
    F.C.size_cap = 3;
    family f;
    fixture_output_family(&F, sc, &f);
    int k_n = spec_size_index(&F.sp, "N");
    for (int k = 0; k < f.n; k++) f.m[k].t = term_real(F.sp.terms, (double)F.sp.runs[f.m[k].run].sizes[k_n] - 1);
    CHECK_STR(fixture_text(&F, topdown_lift(&F.C, &f)), "N - 1");
    for (int k = 0; k < f.n; k++) f.m[k].t = term_real(F.sp.terms, 0.25);
    CHECK_STR(fixture_text(&F, topdown_lift(&F.C, &f)), "0.25");
    family_free(&f);
    fixture_free(&F);
}
