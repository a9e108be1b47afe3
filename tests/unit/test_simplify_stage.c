/* Unit tests of the simplification stage's contract (simplify.h): results and statistics,
 * the equality it claims, limits reached gracefully on adversarial inputs, determinism, and
 * every failure path. */
#include "simplify/ac_equal.h"
#include "simplify/constants.h"
#include "simplify/equiv.h"
#include "simplify/simplify.h"
#include "test.h"
#include "util/strbuf.h"
#include "util/timing.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static formula *parse(arena *a, const char *text) {
    diag err = {0};
    return formula_parse(a, NULL, 1, 1, text, &err);
}

static char *printed(arena *a, const formula *f) {
    strbuf s;
    strbuf_init(&s);
    formula_print_text(f, &s);
    char *r = arena_strdup(a, strbuf_cstr(&s));
    strbuf_free(&s);
    return r;
}

TEST(simplify_stage_softmax_and_statistics) {
    arena a;
    arena_init(&a);
    formula *in = parse(&a, "y[i,j] = exp(x[i,j] - max(k in 0..N: x[i,k])) / sum(k in 0..N: exp(x[i,k] - max(s in 0..N: x[i,s])))");
    REQUIRE(in);
    simplify_result r;
    REQUIRE(simplify_formula(&a, in, NULL, &r));
    CHECK_STR(printed(&a, r.f), "y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))");
    CHECK(r.size_before == 26 && r.size_after == 12);
    CHECK(r.iterations > 0 && r.enodes > 0 && r.eclasses > 0 && r.seconds > 0);
    CHECK_STR(r.equality, "egraph");
    CHECK(!r.approximate);
    CHECK(strstr(r.rules_fired, "exp-sub") != NULL);        /* found by the general rules ... */
    CHECK(strstr(r.rules_fired, "sum-factor") != NULL);     /* ... exp-sub, factoring, cancellation */
    CHECK(strstr(r.rules_fired, "cancel-div") != NULL);
    arena_free(&a);
}

TEST(simplify_stage_approximation_is_recorded) {
    arena a;
    arena_init(&a);
    formula *in = parse(&a, "out[i] = x[i] * 0.5 * (erf(x[i] * 0.7071067811) + 1)");
    REQUIRE(in);
    simplify_result r;
    REQUIRE(simplify_formula(&a, in, NULL, &r));
    CHECK(r.approximate);
    CHECK(strncmp(r.equality, "approximate: const-inv-sqrt2 (0.7071067811 for 1 / sqrt(2), differs by 8.7e-11)", 80) == 0);
    CHECK(strstr(printed(&a, r.f), "/ sqrt(2)") != NULL);
    /* without approximations the literal stays and the equality is the e-graph's */
    simplify_options opt;
    simplify_options_default(&opt);
    opt.no_approximations = true;
    REQUIRE(simplify_formula(&a, in, &opt, &r));
    CHECK(!r.approximate);
    CHECK_STR(r.equality, "egraph");
    CHECK(strstr(printed(&a, r.f), "0.7071067811") != NULL);
    arena_free(&a);
}

TEST(simplify_stage_exact_constant_is_still_an_approximation) {
    arena a;
    arena_init(&a);
    formula *in = parse(&a, "out[i] = x[i] / (exp2(-x[i] * 1.4426950408889634) + 1)");
    REQUIRE(in);
    simplify_result r;
    REQUIRE(simplify_formula(&a, in, NULL, &r));
    CHECK_STR(printed(&a, r.f), "out[i] = x[i] * sigmoid(x[i])");
    CHECK(strstr(r.equality, "approximate: const-log2e (1.4426950408889634 for 1 / log(2), the double nearest it") != NULL);
    arena_free(&a);
}

TEST(simplify_stage_constants_recognised_within_written_precision) {
    CHECK(constants_recognize(0.7071067811) != NULL);          /* truncated, 10 digits */
    CHECK(constants_recognize(0.7071067812) != NULL);          /* rounded */
    CHECK(constants_recognize(0.70710678) != NULL);
    CHECK(constants_recognize(0.7071069) == NULL);             /* wrong in the 7th digit */
    CHECK(constants_recognize(0.7071) == NULL);                /* too short to mean anything */
    CHECK(constants_recognize(0.79788456) != NULL);
    CHECK_STR(constants_recognize(0.79788456)->text, "sqrt(2 / 3.141592653589793)");
    CHECK_STR(constants_recognize(-1.4426950408889634)->rule, "const-log2e");
    CHECK_STR(constants_recognize(0.6931471805599453)->text, "log(2)");
    CHECK_STR(constants_recognize(1.4142135623730951)->text, "sqrt(2)");
    CHECK(constants_recognize(0.044715) == NULL);
    CHECK(constants_recognize(0) == NULL && constants_recognize(INFINITY) == NULL);
    CHECK(constants_written_digits(0.5) == 1 && constants_written_digits(0.7071067811) == 10);
}

TEST(simplify_stage_outputs_stay_acyclic) {
    arena a;
    arena_init(&a);
    /* mean[i] is known equal to its definition; no equation may be printed as itself */
    formula *in = parse(&a, "var[i] = (sum(k in 0..N: x[i,k] ^ 2) - mean[i] * mean[i] * N) / N; mean[i] = sum(k in 0..N: x[i,k]) / N");
    REQUIRE(in);
    simplify_result r;
    REQUIRE(simplify_formula(&a, in, NULL, &r));
    CHECK_STR(printed(&a, r.f), "var[i] = sum(k in 0..N: (x[i,k] - mean[i]) ^ 2) / N\nmean[i] = sum(k in 0..N: x[i,k]) / N");
    char why[200];
    CHECK(equiv_numeric(in, r.f, 3, 2, why, sizeof why));
    arena_free(&a);
}

TEST(simplify_stage_sizes_option_enables_guards) {
    arena a;
    arena_init(&a);
    /* M is no range bound here, so only --sizes makes it a size (>= 1, so nonzero) */
    formula *in = parse(&a, "y[i] = x[i] * M / M");
    REQUIRE(in);
    simplify_result r;
    REQUIRE(simplify_formula(&a, in, NULL, &r));
    CHECK_STR(printed(&a, r.f), "y[i] = x[i] * M / M");
    const char *sizes[] = {"M"};
    simplify_options opt;
    simplify_options_default(&opt);
    opt.sizes = sizes;
    opt.n_sizes = 1;
    REQUIRE(simplify_formula(&a, in, &opt, &r));
    CHECK_STR(printed(&a, r.f), "y[i] = x[i]");
    arena_free(&a);
}

TEST(simplify_stage_adversarial_ac_chain_stops_at_a_limit) {
    arena a;
    arena_init(&a);
    strbuf s;
    strbuf_init(&s);
    strbuf_append(&s, "y = x[0]");
    for (int k = 1; k < 24; k++) strbuf_printf(&s, " + x[%d] * w[%d]", k, k);
    formula *in = parse(&a, strbuf_cstr(&s));
    strbuf_free(&s);
    REQUIRE(in);
    simplify_options opt;
    simplify_options_default(&opt);
    opt.node_limit = 4000;
    double t0 = time_now();
    simplify_result r;
    REQUIRE(simplify_formula(&a, in, &opt, &r));
    CHECK(time_now() - t0 < 5);
    CHECK(r.stop == SIMPLIFY_NODE_LIMIT || r.stop == SIMPLIFY_ITER_LIMIT);
    CHECK(r.enodes <= 4000 + 200);   /* one application may overshoot a little */
    char why[200];
    CHECK(equiv_numeric(in, r.f, 1, 2, why, sizeof why));
    /* a time limit ends it too */
    opt.node_limit = 1000000;
    opt.iter_limit = 1000000;
    opt.time_limit = 0.05;
    t0 = time_now();
    REQUIRE(simplify_formula(&a, in, &opt, &r));
    CHECK(time_now() - t0 < 5);
    CHECK(r.stop == SIMPLIFY_TIME_LIMIT || r.stop == SIMPLIFY_NODE_LIMIT);
    CHECK_STR(simplify_stop_name(SIMPLIFY_TIME_LIMIT), "time");
    arena_free(&a);
}

TEST(simplify_stage_cycling_rules_stop_at_a_limit) {
    arena a;
    arena_init(&a);
    formula *in = parse(&a, "y[i] = exp(x[i])");
    REQUIRE(in);
    simplify_options opt;
    simplify_options_default(&opt);
    /* a cycle (saturates: the e-graph absorbs it) and an unbounded generator (never saturates) */
    opt.rules = "swap: exp(?a) <=> exp(?a * 1)\none: ?a * 1 => ?a\n";
    simplify_result r;
    REQUIRE(simplify_formula(&a, in, &opt, &r));
    CHECK(r.stop == SIMPLIFY_SATURATED);
    CHECK_STR(printed(&a, r.f), "y[i] = exp(x[i])");
    opt.rules = "grow: exp(?a) => exp(?a + 1)\n";   /* unsound, but only termination matters here */
    opt.iter_limit = 12;
    REQUIRE(simplify_formula(&a, in, &opt, &r));
    CHECK(r.stop == SIMPLIFY_ITER_LIMIT);
    CHECK(r.iterations == 12);
    opt.iter_limit = 1000;
    opt.node_limit = 300;
    REQUIRE(simplify_formula(&a, in, &opt, &r));
    CHECK(r.stop == SIMPLIFY_NODE_LIMIT);
    arena_free(&a);
}

TEST(simplify_stage_is_deterministic) {
    arena a;
    arena_init(&a);
    formula *in = parse(&a, "y[i,j] = b[j] + w[j] * (x[i,j] - sum(k in 0..N: x[i,k]) / N) * rsqrt(eps + sum(k in 0..N: "
                            "(x[i,k] - sum(s in 0..N: x[i,s]) / N) * (x[i,k] - sum(s in 0..N: x[i,s]) / N)) / N)");
    REQUIRE(in);
    simplify_result r1, r2;
    REQUIRE(simplify_formula(&a, in, NULL, &r1));
    REQUIRE(simplify_formula(&a, in, NULL, &r2));
    CHECK_STR(printed(&a, r1.f), printed(&a, r2.f));
    CHECK(r1.enodes == r2.enodes && r1.iterations == r2.iterations);
    arena_free(&a);
}

TEST(simplify_stage_failures) {
    arena a;
    arena_init(&a);
    simplify_result r;
    formula empty = {0};
    CHECK(!simplify_formula(&a, &empty, NULL, &r));
    CHECK(strstr(r.message, "no equations") != NULL);
    CHECK(r.f == &empty);
    /* an access with more indices than an e-node holds */
    formula *wide = parse(&a, "y[i] = x[i,i,i,i,i,i,i,i,i]");
    REQUIRE(wide);
    CHECK(!simplify_formula(&a, wide, NULL, &r));
    CHECK(strstr(r.message, "more than 8 indices") != NULL);
    CHECK(r.f == wide && r.size_after == r.size_before);
    /* a hand-built tree with an unknown function */
    formula *f = parse(&a, "y = exp(x[0])");
    REQUIRE(f);
    f->eqs[0].rhs->name = "frobnicate";
    CHECK(!simplify_formula(&a, f, NULL, &r));
    CHECK(strstr(r.message, "unknown function 'frobnicate'") != NULL);
    /* reductions nested deeper than the binder limit */
    strbuf s;
    strbuf_init(&s);
    strbuf_append(&s, "y = ");
    for (int k = 0; k < 20; k++) strbuf_printf(&s, "sum(k%d in 0..N: ", k);
    strbuf_append(&s, "x[k0]");
    for (int k = 0; k < 20; k++) strbuf_putc(&s, ')');
    formula *deep = parse(&a, strbuf_cstr(&s));
    strbuf_free(&s);
    REQUIRE(deep);
    CHECK(!simplify_formula(&a, deep, NULL, &r));
    CHECK(strstr(r.message, "nested too deeply") != NULL);
    /* hand-built trees the parser would never produce */
    formula *m = parse(&a, "y = sum(k in 0..N: x[k]) + x[0] * 2");
    REQUIRE(m);
    fexpr *plus = m->eqs[0].rhs, *red = plus->args[0], *times = plus->args[1];
    red->name = "median";
    CHECK(!simplify_formula(&a, m, NULL, &r));
    CHECK(strstr(r.message, "malformed reduction 'median'") != NULL);
    red->name = "sum";
    times->n_args = 1;
    CHECK(!simplify_formula(&a, m, NULL, &r));
    CHECK(strstr(r.message, "malformed expression") != NULL);
    times->n_args = 2;
    times->args[1] = NULL;
    CHECK(!simplify_formula(&a, m, NULL, &r));
    CHECK(strstr(r.message, "missing expression") != NULL);
    /* rule text that does not parse */
    simplify_options opt;
    simplify_options_default(&opt);
    opt.rules = "broken rule";
    formula *ok = parse(&a, "y = x[0]");
    CHECK(!simplify_formula(&a, ok, &opt, &r));
    CHECK(strncmp(r.message, "rules: line 1", 13) == 0);
    arena_free(&a);
}

TEST(simplify_equiv_detects_differences) {
    arena a;
    arena_init(&a);
    formula *f = parse(&a, "y[i] = sum(k in 0..N: x[i,k])"), *g = parse(&a, "y[i] = sum(k in 0..N-1: x[i,k])");
    formula *h = parse(&a, "z[i] = sum(k in 0..N: x[i,k])"), *u = parse(&a, "y[i] = log(-1 - x[i] * x[i])");
    char why[300];
    CHECK(equiv_numeric(f, f, 1, 2, why, sizeof why));
    CHECK(!equiv_numeric(f, g, 1, 2, why, sizeof why));
    CHECK(strstr(why, "y at index") != NULL);
    CHECK(!equiv_numeric(f, h, 1, 2, why, sizeof why));
    CHECK(strstr(why, "missing") != NULL);
    CHECK(!equiv_numeric(u, u, 1, 2, why, sizeof why));   /* never defined: nothing compared */
    CHECK(strstr(why, "no point") != NULL);
    arena_free(&a);
}

TEST(simplify_ac_equal_cases) {
    arena a;
    arena_init(&a);
    struct { const char *x, *y; bool eq; } cases[] = {
        {"y[i] = a[i] + b[i] + c[i]", "y[i] = c[i] + (b[i] + a[i])", true},
        {"y[i] = x[i] / y[i] * w[i]", "y[i] = w[i] * x[i] / y[i]", true},
        {"y[i] = x[i] * (1 / y[i])", "y[i] = x[i] / y[i]", true},
        {"y[i] = a[i] - (b[i] + c[i])", "y[i] = a[i] - b[i] - c[i]", true},
        {"y[i] = -(a[i] * b[i])", "y[i] = -a[i] * b[i]", true},
        {"y[i] = max(a[i], max(b[i], 0))", "y[i] = max(max(0, a[i]), b[i])", true},
        {"y[i] = where(i > j, 1, 0)", "y[i] = where(j < i, 1, 0)", true},
        {"y[i] = sum(k in 0..N: x[i,k])", "y[j] = sum(s in 0..N: x[j,s])", true},
        {"y[i] = x[i] * x[i]", "y[i] = x[i] ^ 2", false},
        {"y[i] = x[i] - y[i]", "y[i] = y[i] - x[i]", false},
        {"y[i] = x[i] / y[i]", "y[i] = y[i] / x[i]", false},
        {"y[i] = pow(x[i], 2)", "y[i] = x[i] ^ 2", false},
        {"y[i] = sum(k in 0..N: x[i,k])", "y[i] = sum(k in 0..M: x[i,k])", false},
        {"y[i] = x[i]; z[i] = w[i]", "z[i] = w[i]; y[i] = x[i]", true},
        {"y[i] = x[i]", "y[i,j] = x[i]", false},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        formula *x = parse(&a, cases[c].x), *y = parse(&a, cases[c].y);
        REQUIRE(x && y);
        if (ac_equal_formula(x, y) != cases[c].eq) printf("    case %zu: %s vs %s\n", c, cases[c].x, cases[c].y);
        CHECK(ac_equal_formula(x, y) == cases[c].eq);
    }
    formula *s1 = parse(&a, "y[i] = sigmoid(x[i])"), *s2 = parse(&a, "y[i] = 1 / (1 + exp(-x[i]))");
    CHECK(!ac_equal_formula(s1, s2));
    CHECK(ac_equal_formula_unfold(s1, s2));
    formula *r1 = parse(&a, "y[i] = x[i] * rsqrt(v[i])"), *r2 = parse(&a, "y[i] = x[i] / sqrt(v[i])");
    CHECK(ac_equal_formula_unfold(r1, r2));
    char *c = ac_canonical_expr(s2->eqs[0].rhs, false);
    CHECK_STR(c, "*(/+(+1,+exp(-x[i])))");
    free(c);
    arena_free(&a);
}
