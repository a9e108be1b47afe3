/* Unit tests of candidate checking: exact term equality after AC normalisation where the kernel
 * computes the formula's terms (one-tile softmax), numeric agreement where it does not (online
 * softmax, the textbook form), and failures with the disagreeing member. */
#include "synth_fixture.h"
#include "test.h"

static check_outcome check_text(const char *variant, const char *text, char *why, int why_size) {
    fixture F;
    if (!fixture_load(&F, SOFTMAX, "softmax", variant) || !F.spec_ok) return CHECK_FAILED;
    const scope *sc = fixture_context(&F, "y");
    diag err = {0};
    formula *f = formula_parse(&F.a, "test", 1, 1, text, &err);
    check_outcome c = f ? check_output(&F.C, sc->output, sc, f->eqs[0].rhs, why, why_size) : CHECK_FAILED;
    fixture_free(&F);
    return c;
}

#define STABLE "y[i,j] = exp(x[i,j] - max(k in 0..N: x[i,k])) / sum(k in 0..N: exp(x[i,k] - max(s in 0..N: x[i,s])))"
#define TEXTBOOK "y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))"

TEST(check_exact_and_numeric) {
    char why[256] = "";
    CHECK(check_text("one_tile", STABLE, why, sizeof why) == CHECK_EXACT);
    CHECK(check_text("online", STABLE, why, sizeof why) == CHECK_NUMERIC);     /* rescaled sums */
    CHECK(check_text("one_tile", TEXTBOOK, why, sizeof why) == CHECK_NUMERIC);  /* equal only as reals */
    CHECK(check_text("one_tile", "y[i,j] = exp(x[i,j]) / N", why, sizeof why) == CHECK_FAILED);
    CHECK(strstr(why, "member 0: spec") != NULL);
    CHECK(check_text("one_tile", "y[i,j] = x[i,N+j]", why, sizeof why) == CHECK_FAILED);
    CHECK_STR(why, "the formula is undefined at member 0");
}

TEST(check_ac_normal_form) {
    fixture F;
    REQUIRE(fixture_load(&F, SYNTH_CASES, "row_sum", NULL));
    REQUIRE(F.spec_ok);
    fixture_context(&F, "y");
    term_store *ts = F.sp.terms;
    term_id v[3];
    for (int64_t k = 0; k < 3; k++) v[k] = term_var(ts, "x", 2, (int64_t[]){0, k}, TY_REAL);
    term_id left = term_bin(ts, T_ADD, term_bin(ts, T_ADD, v[0], v[1]), v[2]);
    term_id right = term_bin(ts, T_ADD, v[0], term_bin(ts, T_ADD, v[1], v[2]));
    CHECK(left != right);
    CHECK(term_ac_normal(&F.C, left) == term_ac_normal(&F.C, right));
    term_id m1 = term_bin(ts, T_MAX, v[0], term_bin(ts, T_MAX, v[1], v[2]));
    term_id m2 = term_bin(ts, T_MAX, term_bin(ts, T_MAX, v[2], v[0]), v[1]);
    CHECK(term_ac_normal(&F.C, m1) == term_ac_normal(&F.C, m2));
    /* not associative-commutative: no change of meaning */
    CHECK(term_ac_normal(&F.C, term_bin(ts, T_SUB, v[0], v[1])) != term_ac_normal(&F.C, term_bin(ts, T_SUB, v[1], v[0])));
    /* AC inside other operators */
    term_id e1 = term_un(ts, T_EXP, left), e2 = term_un(ts, T_EXP, right);
    CHECK(term_ac_normal(&F.C, e1) == term_ac_normal(&F.C, e2));
    fixture_free(&F);
}

TEST(check_formula_as_term) {
    fixture F;
    REQUIRE(fixture_load(&F, SYNTH_CASES, "row_sum", NULL));
    REQUIRE(F.spec_ok);
    const scope *sc = fixture_context(&F, "y");
    diag err = {0};
    formula *f = formula_parse(&F.a, "test", 1, 1, "y[i] = sum(k in 0..N: x[i,k]) + argmax(k in 0..N: x[i,k])", &err);
    REQUIRE(f);
    int64_t env[SYNTH_MAX_SCOPE] = {1};
    eval_point p = {0, 0, sc, env};
    /* argmax has no term form: the check falls back to numbers */
    CHECK(fexpr_to_term(&F.C, f->eqs[0].rhs, &p) == TERM_NONE);
    CHECK(fexpr_to_term(&F.C, f->eqs[0].rhs->args[0], &p) != TERM_NONE);
    fixture_free(&F);
}
