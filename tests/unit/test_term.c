/* Unit tests of the term store: hash-consing and sharing, canonical order, typing, constant
 * folding, the normalising identities (and the unsound ones that must not fire), finiteness
 * tracking, printing with precedence, DAG printing, evaluation, and a 10^6-node stress run. */
#include "test.h"
#include "term/term.h"
#include "util/strbuf.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

/* Each test owns a store `s` and an output buffer `out`. */
#define SETUP() term_store *s = term_store_new(); strbuf out; strbuf_init(&out)
#define TEARDOWN() do { strbuf_free(&out); term_store_free(s); } while (0)
#define PRINTS(t, text)                                                         \
    do {                                                                        \
        strbuf_clear(&out);                                                     \
        term_print(s, (t), &out);                                               \
        CHECK_STR(strbuf_cstr(&out), (text));                                   \
    } while (0)

static term_id x_at(term_store *s, int64_t i) { return term_var(s, "x", 1, &i, TY_REAL); }
static term_id rvar(term_store *s, const char *name) { return term_var(s, name, 0, NULL, TY_REAL); }
static term_id ivar(term_store *s, const char *name) { return term_var(s, name, 0, NULL, TY_INT); }
static term_id bvar(term_store *s, const char *name) { return term_var(s, name, 0, NULL, TY_BOOL); }

static bool is_real(term_store *s, term_id t, double v) {
    const term_node *n = term_get(s, t);
    return n && n->op == T_CONST && n->type == TY_REAL && n->u.cval == v;
}
static bool is_int(term_store *s, term_id t, int64_t v) {
    const term_node *n = term_get(s, t);
    return n && n->op == T_CONST && n->type == TY_INT && n->u.ival == v;
}
static bool is_bool(term_store *s, term_id t, bool v) {
    const term_node *n = term_get(s, t);
    return n && n->op == T_CONST && n->type == TY_BOOL && n->u.ival == (v ? 1 : 0);
}
static bool has_op(term_store *s, term_id t, term_op op) {
    const term_node *n = term_get(s, t);
    return n && n->op == op;
}

/* ---- store, leaves and sharing ---------------------------------------------------------- */

TEST(term_leaves_are_shared) {
    SETUP();
    CHECK(term_store_size(s) == 0);
    CHECK(term_get(s, TERM_NONE) == NULL);
    term_id a = term_real(s, 1.5);
    CHECK(a != TERM_NONE);
    CHECK(term_real(s, 1.5) == a);
    CHECK(term_real(s, -0.0) == term_real(s, 0.0));
    CHECK(term_real(s, NAN) == TERM_NONE);
    CHECK(term_int(s, 1) != term_real(s, 1.0));
    CHECK(term_bool(s, true) != term_int(s, 1));
    CHECK(term_int(s, 7) == term_int(s, 7));
    CHECK(term_bool(s, false) == term_bool(s, false));
    CHECK(term_real(s, INFINITY) != term_real(s, -INFINITY));
    CHECK(term_get(s, a)->size == 1 && term_get(s, a)->n_args == 0);
    CHECK(term_get(s, term_store_size(s) + 1) == NULL);
    TEARDOWN();
}

TEST(term_variables_by_name_and_index) {
    SETUP();
    char name[8] = "x";
    int64_t idx[2] = {0, 3};
    term_id v = term_var(s, name, 2, idx, TY_REAL);
    name[0] = 'z';      /* the store keeps its own copy of the name */
    idx[1] = 4;
    CHECK(term_var(s, "x", 2, (int64_t[]){0, 3}, TY_REAL) == v);
    CHECK(term_var(s, "x", 2, idx, TY_REAL) != v);
    CHECK(term_var(s, "x", 1, idx, TY_REAL) != v);
    CHECK(term_var(s, "y", 2, (int64_t[]){0, 3}, TY_REAL) != v);
    PRINTS(v, "x[0,3]");
    const term_node *n = term_get(s, v);
    REQUIRE(n && n->op == T_VAR && n->type == TY_REAL && n->finite);
    const term_variable *info = term_var_info(s, n->u.var);
    REQUIRE(info != NULL);
    CHECK_STR(info->name, "x");
    CHECK(info->rank == 2 && info->index[0] == 0 && info->index[1] == 3 && info->type == TY_REAL);
    CHECK(term_var_info(s, (uint32_t)term_var_count(s)) == NULL);

    term_id eps = rvar(s, "eps");
    CHECK(rvar(s, "eps") == eps);
    PRINTS(eps, "eps");
    CHECK(term_var(s, "eps", 0, NULL, TY_INT) == TERM_NONE);   /* one type per variable */
    CHECK(term_var(s, "w", 5, (int64_t[]){0, 0, 0, 0, 0}, TY_REAL) == TERM_NONE);
    CHECK(term_var(s, "w", 1, NULL, TY_REAL) == TERM_NONE);
    CHECK(term_var(s, NULL, 0, NULL, TY_REAL) == TERM_NONE);
    CHECK(term_var_count(s) == 5);   /* x[0,3], x[0,4], x[0], y[0,3], eps; failures add none */
    TEARDOWN();
}

TEST(term_variable_count_and_numbers) {
    SETUP();
    term_id a = x_at(s, 0), b = x_at(s, 1), c = rvar(s, "eps");
    CHECK(term_var_count(s) == 3);
    CHECK(term_get(s, a)->u.var == 0 && term_get(s, b)->u.var == 1 && term_get(s, c)->u.var == 2);
    CHECK(x_at(s, 0) == a && term_var_count(s) == 3);
    TEARDOWN();
}

TEST(term_compound_sharing_and_size) {
    SETUP();
    term_id x = x_at(s, 0), y = x_at(s, 1);
    term_id e1 = term_bin(s, T_SUB, x, y), e2 = term_bin(s, T_SUB, x, y);
    CHECK(e1 == e2);
    size_t before = term_store_size(s);
    CHECK(term_un(s, T_EXP, e1) == term_un(s, T_EXP, e2));
    CHECK(term_store_size(s) == before + 1);
    term_id args[2] = {x, y};
    CHECK(term_make(s, T_SUB, 2, args) == e1);
    CHECK(term_get(s, e1)->size == 3);
    CHECK(term_get(s, term_un(s, T_EXP, e1))->size == 4);
    /* size is the tree size, saturating: doubling 40 times overflows 32 bits */
    term_id t = x;
    for (int i = 0; i < 40; i++) t = term_bin(s, T_ADD, t, t);
    CHECK(term_get(s, t)->size == UINT32_MAX);
    TEARDOWN();
}

TEST(term_commutative_canonical_order) {
    SETUP();
    term_id a = x_at(s, 0), b = x_at(s, 1), p = bvar(s, "p"), q = bvar(s, "q");
    term_op real_ops[] = {T_ADD, T_MUL, T_MAX, T_MIN, T_EQ, T_NE};
    for (size_t i = 0; i < sizeof real_ops / sizeof *real_ops; i++) {
        term_id ab = term_bin(s, real_ops[i], a, b), ba = term_bin(s, real_ops[i], b, a);
        CHECK(ab == ba);
        CHECK(term_get(s, ab)->args[0] == a && term_get(s, ab)->args[1] == b);
    }
    CHECK(term_bin(s, T_AND, p, q) == term_bin(s, T_AND, q, p));
    CHECK(term_bin(s, T_OR, q, p) == term_bin(s, T_OR, p, q));
    term_id sub_ab = term_bin(s, T_SUB, a, b), sub_ba = term_bin(s, T_SUB, b, a);
    CHECK(sub_ab != sub_ba);
    CHECK(term_bin(s, T_LT, a, b) != term_bin(s, T_LT, b, a));
    CHECK(term_bin(s, T_DIV, a, b) != term_bin(s, T_DIV, b, a));
    TEARDOWN();
}

TEST(term_node_pointers_stay_valid) {
    SETUP();
    const term_node *first = term_get(s, x_at(s, 0));
    for (int64_t i = 1; i < 20000; i++) term_bin(s, T_ADD, x_at(s, i), x_at(s, 0));
    CHECK(first->op == T_VAR && first->u.var == 0);   /* ASan would flag a moved node */
    CHECK(term_get(s, x_at(s, 0)) == first);
    const term_variable *v = term_var_info(s, 0);
    for (int64_t i = 20000; i < 25000; i++) x_at(s, i);
    CHECK(term_var_info(s, 0) == v);
    TEARDOWN();
}

/* ---- typing ----------------------------------------------------------------------------- */

TEST(term_type_errors_give_none) {
    SETUP();
    term_id r = rvar(s, "r"), i = ivar(s, "i"), b = bvar(s, "b");
    CHECK(term_bin(s, T_ADD, r, i) == TERM_NONE);
    CHECK(term_bin(s, T_ADD, b, b) == TERM_NONE);
    CHECK(term_bin(s, T_DIV, i, i) == TERM_NONE);
    CHECK(term_bin(s, T_FLOORDIV, r, r) == TERM_NONE);
    CHECK(term_bin(s, T_MOD, r, r) == TERM_NONE);
    CHECK(term_bin(s, T_TRUNCDIV, r, r) == TERM_NONE);
    CHECK(term_bin(s, T_TRUNCMOD, i, r) == TERM_NONE);
    CHECK(term_un(s, T_EXP, i) == TERM_NONE);
    CHECK(term_un(s, T_SQRT, b) == TERM_NONE);
    CHECK(term_un(s, T_TO_REAL, r) == TERM_NONE);
    CHECK(term_un(s, T_TO_INT, i) == TERM_NONE);
    CHECK(term_un(s, T_NEG, b) == TERM_NONE);
    CHECK(term_un(s, T_ABS, b) == TERM_NONE);
    CHECK(term_bin(s, T_LT, r, i) == TERM_NONE);
    CHECK(term_bin(s, T_AND, r, r) == TERM_NONE);
    CHECK(term_bin(s, T_OR, b, i) == TERM_NONE);
    CHECK(term_un(s, T_NOT, i) == TERM_NONE);
    CHECK(term_select(s, i, r, r) == TERM_NONE);
    CHECK(term_select(s, b, r, i) == TERM_NONE);
    CHECK(term_bin(s, T_MAX, r, i) == TERM_NONE);
    CHECK(term_bin(s, T_POW, b, b) == TERM_NONE);
    /* malformed calls */
    CHECK(term_bin(s, T_ADD, r, TERM_NONE) == TERM_NONE);
    CHECK(term_un(s, T_EXP, 12345) == TERM_NONE);
    CHECK(term_un(s, T_ADD, r) == TERM_NONE);
    CHECK(term_bin(s, T_EXP, r, r) == TERM_NONE);
    CHECK(term_make(s, T_CONST, 0, NULL) == TERM_NONE);
    CHECK(term_make(s, T_VAR, 0, NULL) == TERM_NONE);
    CHECK(term_make(s, T_OP_COUNT, 1, &r) == TERM_NONE);
    CHECK(term_make(s, T_SELECT, 2, (term_id[]){b, r}) == TERM_NONE);
    TEARDOWN();
}

TEST(term_result_types) {
    SETUP();
    term_id r = rvar(s, "r"), i = ivar(s, "i"), b = bvar(s, "b");
    CHECK(term_get(s, term_bin(s, T_ADD, i, i))->type == TY_INT);
    CHECK(term_get(s, term_bin(s, T_MUL, r, r))->type == TY_REAL);
    CHECK(term_get(s, term_bin(s, T_LT, i, i))->type == TY_BOOL);
    CHECK(term_get(s, term_bin(s, T_LE, r, r))->type == TY_BOOL);
    CHECK(term_get(s, term_bin(s, T_EQ, b, term_bool(s, true)))->type == TY_BOOL);
    CHECK(term_get(s, term_un(s, T_TO_REAL, i))->type == TY_REAL);
    CHECK(term_get(s, term_un(s, T_TO_INT, r))->type == TY_INT);
    CHECK(term_get(s, term_select(s, b, i, term_int(s, 3)))->type == TY_INT);
    CHECK(term_get(s, term_bin(s, T_FLOORDIV, i, term_int(s, 4)))->type == TY_INT);
    CHECK(term_get(s, term_un(s, T_ABS, i))->type == TY_INT);
    CHECK(term_get(s, term_bin(s, T_POW, i, i))->type == TY_INT);
    TEARDOWN();
}

/* ---- constant folding ------------------------------------------------------------------- */

static term_id rbin(term_store *s, term_op op, double a, double b) {
    return term_bin(s, op, term_real(s, a), term_real(s, b));
}
static term_id run(term_store *s, term_op op, double a) { return term_un(s, op, term_real(s, a)); }
static term_id ibin(term_store *s, term_op op, int64_t a, int64_t b) {
    return term_bin(s, op, term_int(s, a), term_int(s, b));
}

TEST(term_fold_real_arithmetic) {
    SETUP();
    CHECK(is_real(s, rbin(s, T_ADD, 1.5, 2), 3.5));
    CHECK(is_real(s, rbin(s, T_SUB, 1, 3), -2));
    CHECK(is_real(s, rbin(s, T_MUL, -2, 3), -6));
    CHECK(is_real(s, rbin(s, T_DIV, 1, 4), 0.25));
    CHECK(is_real(s, rbin(s, T_MAX, 1, 4), 4));
    CHECK(is_real(s, rbin(s, T_MIN, 1, 4), 1));
    CHECK(is_real(s, rbin(s, T_POW, 2, 10), 1024));
    CHECK(is_real(s, run(s, T_NEG, 2), -2));
    CHECK(is_real(s, run(s, T_NEG, 0), 0));
    CHECK(is_real(s, run(s, T_ABS, -3), 3));
    CHECK(is_real(s, run(s, T_EXP, 0), 1));
    CHECK(is_real(s, run(s, T_EXP2, 3), 8));
    CHECK(is_real(s, run(s, T_LOG, 1), 0));
    CHECK(is_real(s, run(s, T_LOG2, 8), 3));
    CHECK(is_real(s, run(s, T_SQRT, 9), 3));
    CHECK(is_real(s, run(s, T_RSQRT, 4), 0.5));
    CHECK(is_real(s, run(s, T_SIGMOID, 0), 0.5));
    CHECK(is_real(s, run(s, T_ERF, 0), 0));
    CHECK(is_real(s, run(s, T_TANH, 0), 0));
    CHECK(is_real(s, run(s, T_SIN, 0), 0));
    CHECK(is_real(s, run(s, T_COS, 0), 1));
    double v;
    CHECK(term_const_value(s, run(s, T_EXP, 1), &v) && v == exp(1.0));
    TEARDOWN();
}

TEST(term_fold_infinities) {
    SETUP();
    double inf = INFINITY;
    CHECK(is_real(s, rbin(s, T_ADD, inf, 1), inf));
    CHECK(is_real(s, rbin(s, T_SUB, 1, inf), -inf));
    CHECK(is_real(s, rbin(s, T_MUL, -inf, 2), -inf));
    CHECK(is_real(s, rbin(s, T_MUL, -inf, -inf), inf));
    CHECK(is_real(s, rbin(s, T_DIV, 1, inf), 0));
    CHECK(is_real(s, rbin(s, T_MAX, -inf, 3), 3));
    CHECK(is_real(s, rbin(s, T_MIN, inf, 3), 3));
    CHECK(is_real(s, run(s, T_NEG, inf), -inf));
    CHECK(is_real(s, run(s, T_EXP, -inf), 0));
    CHECK(is_real(s, run(s, T_EXP, inf), inf));
    CHECK(is_real(s, run(s, T_EXP2, -inf), 0));
    CHECK(is_real(s, run(s, T_LOG, 0), -inf));
    CHECK(is_real(s, run(s, T_LOG2, 0), -inf));
    CHECK(is_real(s, run(s, T_LOG, inf), inf));
    CHECK(is_real(s, run(s, T_SQRT, inf), inf));
    CHECK(is_real(s, run(s, T_RSQRT, inf), 0));
    CHECK(is_real(s, run(s, T_SIGMOID, -inf), 0));
    CHECK(is_real(s, run(s, T_SIGMOID, inf), 1));
    CHECK(is_real(s, run(s, T_TANH, -inf), -1));
    CHECK(is_real(s, run(s, T_ERF, inf), 1));
    CHECK(is_real(s, run(s, T_ABS, -inf), inf));
    CHECK(is_bool(s, rbin(s, T_LT, -inf, inf), true));
    CHECK(is_bool(s, rbin(s, T_EQ, inf, inf), true));
    CHECK(!term_get(s, term_real(s, inf))->finite);
    CHECK(term_get(s, term_real(s, 1e300))->finite);
    TEARDOWN();
}

TEST(term_fold_refuses_undefined_results) {
    SETUP();
    double inf = INFINITY;
    CHECK(has_op(s, rbin(s, T_DIV, 1, 0), T_DIV));       /* division by zero stays */
    CHECK(has_op(s, rbin(s, T_DIV, 0, 0), T_DIV));
    CHECK(has_op(s, rbin(s, T_DIV, inf, 0), T_DIV));
    CHECK(has_op(s, rbin(s, T_SUB, inf, inf), T_SUB));   /* NaN in IEEE: no value */
    CHECK(has_op(s, rbin(s, T_ADD, inf, -inf), T_ADD));
    CHECK(has_op(s, rbin(s, T_MUL, 0, inf), T_MUL));
    CHECK(has_op(s, rbin(s, T_DIV, inf, inf), T_DIV));
    CHECK(has_op(s, run(s, T_SQRT, -1), T_SQRT));
    CHECK(has_op(s, run(s, T_LOG, -1), T_LOG));
    CHECK(has_op(s, run(s, T_SIN, inf), T_SIN));
    CHECK(has_op(s, run(s, T_RSQRT, 0), T_RSQRT));      /* a pole, like 1 / 0 */
    CHECK(has_op(s, rbin(s, T_POW, 0, -1), T_POW));
    CHECK(has_op(s, run(s, T_EXP, 1000), T_EXP));        /* finite in the model, inf in doubles */
    CHECK(has_op(s, rbin(s, T_MUL, 1e300, 1e300), T_MUL));
    CHECK(has_op(s, rbin(s, T_ADD, 1.7e308, 1.7e308), T_ADD));
    TEARDOWN();
}

TEST(term_fold_int_exact) {
    SETUP();
    CHECK(is_int(s, ibin(s, T_ADD, 2, 3), 5));
    CHECK(is_int(s, ibin(s, T_SUB, 2, 3), -1));
    CHECK(is_int(s, ibin(s, T_MUL, -4, 3), -12));
    CHECK(is_int(s, ibin(s, T_MAX, -4, 3), 3));
    CHECK(is_int(s, ibin(s, T_MIN, -4, 3), -4));
    CHECK(is_int(s, ibin(s, T_POW, 2, 10), 1024));
    CHECK(is_int(s, ibin(s, T_POW, -3, 3), -27));
    CHECK(is_int(s, ibin(s, T_POW, 5, 0), 1));
    CHECK(is_int(s, term_un(s, T_NEG, term_int(s, 5)), -5));
    CHECK(is_int(s, term_un(s, T_ABS, term_int(s, -5)), 5));
    /* Python floor semantics */
    CHECK(is_int(s, ibin(s, T_FLOORDIV, 7, 2), 3));
    CHECK(is_int(s, ibin(s, T_FLOORDIV, -7, 2), -4));
    CHECK(is_int(s, ibin(s, T_FLOORDIV, 7, -2), -4));
    CHECK(is_int(s, ibin(s, T_FLOORDIV, -7, -2), 3));
    CHECK(is_int(s, ibin(s, T_FLOORDIV, -6, 2), -3));
    CHECK(is_int(s, ibin(s, T_MOD, 7, 2), 1));
    CHECK(is_int(s, ibin(s, T_MOD, -7, 2), 1));
    CHECK(is_int(s, ibin(s, T_MOD, 7, -2), -1));
    CHECK(is_int(s, ibin(s, T_MOD, -7, -2), -1));
    CHECK(is_int(s, ibin(s, T_MOD, -6, 3), 0));
    /* C truncation */
    CHECK(is_int(s, ibin(s, T_TRUNCDIV, -7, 2), -3));
    CHECK(is_int(s, ibin(s, T_TRUNCDIV, 7, -2), -3));
    CHECK(is_int(s, ibin(s, T_TRUNCMOD, -7, 2), -1));
    CHECK(is_int(s, ibin(s, T_TRUNCMOD, 7, -2), 1));
    /* not folded: division by zero, overflow, negative powers */
    CHECK(has_op(s, ibin(s, T_FLOORDIV, 1, 0), T_FLOORDIV));
    CHECK(has_op(s, ibin(s, T_MOD, 1, 0), T_MOD));
    CHECK(has_op(s, ibin(s, T_TRUNCDIV, 1, 0), T_TRUNCDIV));
    CHECK(has_op(s, ibin(s, T_TRUNCMOD, 1, 0), T_TRUNCMOD));
    CHECK(has_op(s, ibin(s, T_FLOORDIV, INT64_MIN, -1), T_FLOORDIV));
    CHECK(is_int(s, ibin(s, T_MOD, INT64_MIN, -1), 0));
    CHECK(is_int(s, ibin(s, T_TRUNCMOD, INT64_MIN, -1), 0));
    CHECK(has_op(s, ibin(s, T_ADD, INT64_MAX, 1), T_ADD));
    CHECK(has_op(s, ibin(s, T_SUB, INT64_MIN, 1), T_SUB));
    CHECK(has_op(s, ibin(s, T_MUL, INT64_MAX, 2), T_MUL));
    CHECK(has_op(s, term_un(s, T_NEG, term_int(s, INT64_MIN)), T_NEG));
    CHECK(has_op(s, term_un(s, T_ABS, term_int(s, INT64_MIN)), T_ABS));
    CHECK(has_op(s, ibin(s, T_POW, 2, 64), T_POW));
    CHECK(has_op(s, ibin(s, T_POW, 2, -1), T_POW));
    TEARDOWN();
}

TEST(term_fold_conversions) {
    SETUP();
    CHECK(is_real(s, term_un(s, T_TO_REAL, term_int(s, -3)), -3.0));
    CHECK(is_real(s, term_un(s, T_TO_REAL, term_int(s, (int64_t)1 << 53)), 0x1p53));
    CHECK(has_op(s, term_un(s, T_TO_REAL, term_int(s, ((int64_t)1 << 53) + 1)), T_TO_REAL));
    CHECK(has_op(s, term_un(s, T_TO_REAL, term_int(s, INT64_MAX)), T_TO_REAL));
    CHECK(is_int(s, term_un(s, T_TO_INT, term_real(s, -2.7)), -2));
    CHECK(is_int(s, term_un(s, T_TO_INT, term_real(s, 2.7)), 2));
    CHECK(has_op(s, term_un(s, T_TO_INT, term_real(s, INFINITY)), T_TO_INT));
    CHECK(has_op(s, term_un(s, T_TO_INT, term_real(s, 1e300)), T_TO_INT));
    TEARDOWN();
}

TEST(term_fold_comparisons_logic_select) {
    SETUP();
    term_id t = term_bool(s, true), f = term_bool(s, false);
    CHECK(is_bool(s, rbin(s, T_LT, 1, 2), true));
    CHECK(is_bool(s, rbin(s, T_LE, 2, 2), true));
    CHECK(is_bool(s, rbin(s, T_EQ, 2, 3), false));
    CHECK(is_bool(s, rbin(s, T_NE, 2, 3), true));
    CHECK(is_bool(s, ibin(s, T_LT, 3, 2), false));
    CHECK(is_bool(s, ibin(s, T_LE, -1, 0), true));
    CHECK(is_bool(s, ibin(s, T_EQ, 4, 4), true));
    CHECK(is_bool(s, ibin(s, T_NE, 4, 4), false));
    CHECK(is_bool(s, term_bin(s, T_EQ, t, f), false));
    CHECK(is_bool(s, term_bin(s, T_LT, f, t), true));
    CHECK(is_bool(s, term_bin(s, T_AND, t, f), false));
    CHECK(is_bool(s, term_bin(s, T_OR, t, f), true));
    CHECK(is_bool(s, term_un(s, T_NOT, t), false));
    CHECK(is_bool(s, term_un(s, T_NOT, f), true));
    term_id a = x_at(s, 0), b = x_at(s, 1);
    CHECK(term_select(s, t, a, b) == a);
    CHECK(term_select(s, f, a, b) == b);
    double v;
    CHECK(term_is_const(s, t) && term_const_value(s, t, &v) && v == 1);
    CHECK(term_const_value(s, term_int(s, -4), &v) && v == -4);
    CHECK(!term_is_const(s, a) && !term_const_value(s, a, &v));
    CHECK(!term_is_const(s, TERM_NONE));
    TEARDOWN();
}

/* ---- identities ------------------------------------------------------------------------- */

TEST(term_identities_arithmetic) {
    SETUP();
    term_id x = x_at(s, 0), y = x_at(s, 1), i = ivar(s, "i");
    term_id zero = term_real(s, 0), one = term_real(s, 1), izero = term_int(s, 0), ione = term_int(s, 1);
    CHECK(term_bin(s, T_ADD, x, zero) == x);
    CHECK(term_bin(s, T_ADD, zero, x) == x);
    CHECK(term_bin(s, T_ADD, i, izero) == i);
    CHECK(term_bin(s, T_SUB, x, zero) == x);
    CHECK(term_bin(s, T_MUL, x, one) == x);
    CHECK(term_bin(s, T_MUL, one, x) == x);
    CHECK(term_bin(s, T_MUL, ione, i) == i);
    CHECK(term_bin(s, T_MUL, x, zero) == zero);
    CHECK(term_bin(s, T_MUL, zero, term_un(s, T_EXP, x)) == zero);
    CHECK(term_bin(s, T_MUL, i, izero) == izero);
    CHECK(term_bin(s, T_DIV, x, one) == x);
    CHECK(term_bin(s, T_SUB, x, x) == zero);
    CHECK(term_bin(s, T_SUB, i, i) == izero);
    term_id xy = term_bin(s, T_ADD, x, y);
    CHECK(term_bin(s, T_SUB, xy, xy) == zero);
    CHECK(term_un(s, T_NEG, term_un(s, T_NEG, x)) == x);
    CHECK(is_real(s, term_un(s, T_NEG, term_real(s, 2.5)), -2.5));
    CHECK(term_bin(s, T_FLOORDIV, i, ione) == i);
    CHECK(term_bin(s, T_TRUNCDIV, i, ione) == i);
    CHECK(term_bin(s, T_MOD, i, ione) == izero);
    CHECK(term_bin(s, T_TRUNCMOD, i, ione) == izero);
    term_id ax = term_un(s, T_ABS, x);
    CHECK(term_un(s, T_ABS, ax) == ax);
    CHECK(term_un(s, T_ABS, term_un(s, T_NEG, x)) == ax);
    TEARDOWN();
}

TEST(term_identities_with_infinity) {
    SETUP();
    term_id x = x_at(s, 0), pinf = term_real(s, INFINITY), ninf = term_real(s, -INFINITY);
    term_id ex = term_un(s, T_EXP, x);   /* finite */
    CHECK(term_bin(s, T_ADD, x, pinf) == pinf);
    CHECK(term_bin(s, T_ADD, ninf, ex) == ninf);
    CHECK(term_bin(s, T_SUB, x, pinf) == ninf);
    CHECK(term_bin(s, T_SUB, x, ninf) == pinf);
    CHECK(term_bin(s, T_SUB, ninf, x) == ninf);
    CHECK(term_bin(s, T_SUB, pinf, x) == pinf);
    CHECK(term_bin(s, T_MAX, x, ninf) == x);
    CHECK(term_bin(s, T_MIN, pinf, x) == x);
    CHECK(term_bin(s, T_MAX, x, pinf) == pinf);
    CHECK(term_bin(s, T_MIN, x, ninf) == ninf);
    CHECK(term_bin(s, T_MAX, x, x) == x);
    CHECK(term_bin(s, T_MIN, ex, ex) == ex);
    CHECK(is_real(s, term_un(s, T_EXP, ninf), 0));
    CHECK(is_bool(s, term_bin(s, T_EQ, x, pinf), false));
    CHECK(is_bool(s, term_bin(s, T_EQ, ninf, x), false));
    CHECK(is_bool(s, term_bin(s, T_NE, x, ninf), true));
    CHECK(is_bool(s, term_bin(s, T_LT, x, pinf), true));
    CHECK(is_bool(s, term_bin(s, T_LE, x, pinf), true));
    CHECK(is_bool(s, term_bin(s, T_LT, ninf, x), true));
    CHECK(is_bool(s, term_bin(s, T_LE, ninf, x), true));
    CHECK(is_bool(s, term_bin(s, T_LT, pinf, x), false));
    CHECK(is_bool(s, term_bin(s, T_LE, pinf, x), false));
    CHECK(is_bool(s, term_bin(s, T_LT, x, ninf), false));
    CHECK(is_bool(s, term_bin(s, T_LE, x, ninf), false));
    CHECK(is_bool(s, term_bin(s, T_EQ, x, x), true));
    CHECK(is_bool(s, term_bin(s, T_LE, x, x), true));
    CHECK(is_bool(s, term_bin(s, T_LT, x, x), false));
    CHECK(is_bool(s, term_bin(s, T_NE, x, x), false));
    TEARDOWN();
}

/* Rewrites that would be wrong for an undefined or infinite x must leave the node. */
TEST(term_unsound_identities_not_applied) {
    SETUP();
    term_id x = x_at(s, 0), y = x_at(s, 1);
    term_id lx = term_un(s, T_LOG, x), q = term_bin(s, T_DIV, x, y);
    term_id zero = term_real(s, 0), pinf = term_real(s, INFINITY), ninf = term_real(s, -INFINITY);
    CHECK(!term_get(s, lx)->finite && !term_get(s, q)->finite);
    CHECK(has_op(s, term_bin(s, T_MUL, lx, zero), T_MUL));
    CHECK(has_op(s, term_bin(s, T_MUL, zero, q), T_MUL));
    CHECK(has_op(s, term_bin(s, T_SUB, lx, lx), T_SUB));
    CHECK(has_op(s, term_bin(s, T_DIV, x, x), T_DIV));
    CHECK(has_op(s, term_bin(s, T_ADD, lx, pinf), T_ADD));
    CHECK(has_op(s, term_bin(s, T_SUB, lx, pinf), T_SUB));
    CHECK(has_op(s, term_bin(s, T_SUB, ninf, lx), T_SUB));
    CHECK(has_op(s, term_bin(s, T_EQ, lx, pinf), T_EQ));
    CHECK(has_op(s, term_bin(s, T_LT, lx, pinf), T_LT));
    CHECK(has_op(s, term_bin(s, T_LE, lx, lx), T_LE));
    CHECK(has_op(s, term_bin(s, T_MAX, lx, pinf), T_MAX));
    CHECK(has_op(s, term_bin(s, T_MUL, x, pinf), T_MUL));   /* sign of x unknown */
    CHECK(has_op(s, term_un(s, T_EXP, lx), T_EXP));
    CHECK(has_op(s, term_un(s, T_LOG, term_un(s, T_EXP, x)), T_LOG));
    /* no reassociation or flattening: (x + 1) + 2 keeps both additions */
    term_id x1 = term_bin(s, T_ADD, x, term_real(s, 1));
    term_id x12 = term_bin(s, T_ADD, x1, term_real(s, 2));
    CHECK(has_op(s, x12, T_ADD) && term_get(s, x12)->args[0] == x1);
    TEARDOWN();
}

TEST(term_identities_logic_and_select) {
    SETUP();
    term_id p = bvar(s, "p"), q = bvar(s, "q"), t = term_bool(s, true), f = term_bool(s, false);
    term_id a = x_at(s, 0), b = x_at(s, 1);
    CHECK(term_bin(s, T_AND, p, t) == p);
    CHECK(term_bin(s, T_AND, t, p) == p);
    CHECK(term_bin(s, T_AND, p, f) == f);
    CHECK(term_bin(s, T_OR, p, f) == p);
    CHECK(term_bin(s, T_OR, t, p) == t);
    CHECK(term_bin(s, T_AND, p, p) == p);
    CHECK(term_bin(s, T_OR, q, q) == q);
    term_id np = term_un(s, T_NOT, p);
    CHECK(has_op(s, np, T_NOT));
    CHECK(term_un(s, T_NOT, np) == p);
    CHECK(term_select(s, p, a, a) == a);
    CHECK(term_select(s, p, t, f) == p);
    CHECK(term_select(s, p, f, t) == np);
    CHECK(has_op(s, term_select(s, p, a, b), T_SELECT));
    CHECK(has_op(s, term_select(s, p, q, f), T_SELECT));
    TEARDOWN();
}

TEST(term_finite_flags) {
    SETUP();
    term_id x = x_at(s, 0), y = x_at(s, 1), i = ivar(s, "i"), p = bvar(s, "p");
#define FIN(t) (term_get(s, (t))->finite != 0)
    CHECK(FIN(x) && FIN(i) && FIN(p));
    CHECK(FIN(term_real(s, 2)) && !FIN(term_real(s, -INFINITY)));
    CHECK(FIN(term_bin(s, T_ADD, x, y)) && FIN(term_bin(s, T_SUB, x, y)));
    CHECK(FIN(term_bin(s, T_MUL, x, y)) && FIN(term_un(s, T_NEG, x)));
    CHECK(FIN(term_bin(s, T_MAX, x, y)) && FIN(term_bin(s, T_MIN, x, y)) && FIN(term_un(s, T_ABS, x)));
    term_op finite_fns[] = {T_EXP, T_EXP2, T_SIGMOID, T_ERF, T_TANH, T_SIN, T_COS};
    for (size_t k = 0; k < sizeof finite_fns / sizeof *finite_fns; k++)
        CHECK(FIN(term_un(s, finite_fns[k], x)));
    term_op partial_fns[] = {T_LOG, T_LOG2, T_SQRT, T_RSQRT};
    for (size_t k = 0; k < sizeof partial_fns / sizeof *partial_fns; k++)
        CHECK(!FIN(term_un(s, partial_fns[k], x)));
    term_id lx = term_un(s, T_LOG, x);
    CHECK(!FIN(term_bin(s, T_DIV, x, y)) && !FIN(term_bin(s, T_POW, x, y)));
    CHECK(!FIN(term_bin(s, T_ADD, x, lx)) && !FIN(term_un(s, T_EXP, lx)));
    CHECK(!FIN(term_bin(s, T_MAX, x, term_real(s, INFINITY))));   /* it is the constant inf */
    CHECK(!FIN(term_bin(s, T_MAX, x, lx)));
    CHECK(FIN(term_select(s, p, x, y)) && !FIN(term_select(s, p, x, lx)));
    CHECK(FIN(term_un(s, T_TO_REAL, i)) && FIN(term_un(s, T_TO_INT, lx)));
    CHECK(FIN(term_bin(s, T_FLOORDIV, i, i)) && FIN(term_bin(s, T_LT, lx, x)));
#undef FIN
    TEARDOWN();
}

/* ---- printing --------------------------------------------------------------------------- */

TEST(term_print_constants_and_variables) {
    SETUP();
    PRINTS(term_real(s, 1), "1");
    PRINTS(term_real(s, 0.5), "0.5");
    PRINTS(term_real(s, 1e-5), "1e-05");
    PRINTS(term_real(s, 0.1), "0.1");
    PRINTS(term_real(s, 100), "100");
    PRINTS(term_real(s, 1024), "1024");
    PRINTS(term_real(s, 1e20), "1e+20");
    PRINTS(term_real(s, 1.0 / 3), "0.3333333333333333");
    PRINTS(term_real(s, 0.1 + 0.2), "0.30000000000000004");
    PRINTS(term_real(s, -2.5), "-2.5");
    PRINTS(term_real(s, 0.0001), "0.0001");
    PRINTS(term_real(s, 0.7978845608028654), "0.7978845608028654");
    PRINTS(term_real(s, INFINITY), "inf");
    PRINTS(term_real(s, -INFINITY), "-inf");
    PRINTS(term_int(s, 42), "42");
    PRINTS(term_int(s, -7), "-7");
    PRINTS(term_bool(s, true), "true");
    PRINTS(term_bool(s, false), "false");
    PRINTS(term_var(s, "w", 3, (int64_t[]){1, 2, 30}, TY_REAL), "w[1,2,30]");
    PRINTS(x_at(s, 5), "x[5]");
    PRINTS(ivar(s, "N"), "N");
    PRINTS(TERM_NONE, "<none>");
    /* every shortest form reads back exactly */
    double samples[] = {3.14159, 1e-300, 123456789.125, 6.02e23, 2.0 / 3, 1e16, 5e-324};
    for (size_t k = 0; k < sizeof samples / sizeof *samples; k++) {
        strbuf_clear(&out);
        term_print(s, term_real(s, samples[k]), &out);
        CHECK(strtod(strbuf_cstr(&out), NULL) == samples[k]);
    }
    TEARDOWN();
}

TEST(term_print_every_operator) {
    SETUP();
    term_id a = rvar(s, "a"), b = rvar(s, "b"), c = bvar(s, "c"), d = bvar(s, "d");
    term_id i = ivar(s, "i"), j = ivar(s, "j");
    PRINTS(term_bin(s, T_ADD, a, b), "a + b");
    PRINTS(term_bin(s, T_SUB, a, b), "a - b");
    PRINTS(term_bin(s, T_MUL, a, b), "a * b");
    PRINTS(term_bin(s, T_DIV, a, b), "a / b");
    PRINTS(term_un(s, T_NEG, a), "-a");
    PRINTS(term_bin(s, T_FLOORDIV, i, j), "i // j");
    PRINTS(term_bin(s, T_MOD, i, j), "i % j");
    PRINTS(term_bin(s, T_TRUNCDIV, i, j), "tdiv(i, j)");
    PRINTS(term_bin(s, T_TRUNCMOD, i, j), "tmod(i, j)");
    PRINTS(term_bin(s, T_MAX, a, b), "max(a, b)");
    PRINTS(term_bin(s, T_MIN, a, b), "min(a, b)");
    PRINTS(term_bin(s, T_POW, a, b), "a ^ b");
    PRINTS(term_un(s, T_ABS, a), "abs(a)");
    PRINTS(term_un(s, T_EXP, a), "exp(a)");
    PRINTS(term_un(s, T_EXP2, a), "exp2(a)");
    PRINTS(term_un(s, T_LOG, a), "log(a)");
    PRINTS(term_un(s, T_LOG2, a), "log2(a)");
    PRINTS(term_un(s, T_SQRT, a), "sqrt(a)");
    PRINTS(term_un(s, T_RSQRT, a), "rsqrt(a)");
    PRINTS(term_un(s, T_SIGMOID, a), "sigmoid(a)");
    PRINTS(term_un(s, T_ERF, a), "erf(a)");
    PRINTS(term_un(s, T_TANH, a), "tanh(a)");
    PRINTS(term_un(s, T_SIN, a), "sin(a)");
    PRINTS(term_un(s, T_COS, a), "cos(a)");
    PRINTS(term_un(s, T_TO_REAL, i), "float(i)");
    PRINTS(term_un(s, T_TO_INT, a), "int(a)");
    PRINTS(term_bin(s, T_LT, a, b), "a < b");
    PRINTS(term_bin(s, T_LE, a, b), "a <= b");
    PRINTS(term_bin(s, T_EQ, a, b), "a == b");
    PRINTS(term_bin(s, T_NE, a, b), "a != b");
    PRINTS(term_bin(s, T_AND, c, d), "c and d");
    PRINTS(term_bin(s, T_OR, c, d), "c or d");
    PRINTS(term_un(s, T_NOT, c), "not c");
    PRINTS(term_select(s, c, a, b), "where(c, a, b)");
    CHECK_STR(term_op_name(T_SELECT), "select");
    CHECK_STR(term_op_name(T_FLOORDIV), "floordiv");
    TEARDOWN();
}

TEST(term_print_precedence) {
    SETUP();
    term_id a = rvar(s, "a"), b = rvar(s, "b"), c = rvar(s, "c");
    term_id p = bvar(s, "p"), q = bvar(s, "q"), r = bvar(s, "r");
    term_id i = ivar(s, "i"), j = ivar(s, "j");
    /* Arguments of commutative ops print in id order, i.e. creation order, so compound
     * subterms are built in separate statements (C leaves argument evaluation unordered). */
#define B(op, x, y) term_bin(s, op, x, y)
#define U(op, x) term_un(s, op, x)
    term_id a_plus_b = B(T_ADD, a, b), b_plus_c = B(T_ADD, b, c), a_minus_b = B(T_SUB, a, b);
    term_id a_lt_b = B(T_LT, a, b), b_lt_c = B(T_LT, b, c), p_or_q = B(T_OR, p, q);
    term_id p_and_q = B(T_AND, p, q), neg_a = U(T_NEG, a);
    PRINTS(B(T_SUB, a, b_plus_c), "a - (b + c)");
    PRINTS(B(T_SUB, a_plus_b, c), "a + b - c");
    PRINTS(B(T_ADD, a, B(T_SUB, b, c)), "a + (b - c)");
    PRINTS(B(T_ADD, a_minus_b, b_plus_c), "b + c + (a - b)");
    PRINTS(B(T_SUB, a_minus_b, c), "a - b - c");
    PRINTS(B(T_SUB, a, B(T_SUB, b, c)), "a - (b - c)");
    PRINTS(B(T_ADD, c, a_minus_b), "c + (a - b)");
    PRINTS(B(T_DIV, a, B(T_MUL, b, c)), "a / (b * c)");
    PRINTS(B(T_DIV, B(T_MUL, a, b), c), "a * b / c");
    PRINTS(B(T_MUL, a, B(T_DIV, b, c)), "a * (b / c)");
    PRINTS(B(T_DIV, B(T_DIV, a, b), c), "a / b / c");
    PRINTS(B(T_DIV, a_plus_b, c), "(a + b) / c");
    PRINTS(B(T_MUL, c, a_plus_b), "c * (a + b)");
    PRINTS(B(T_ADD, c, B(T_MUL, a, b)), "c + a * b");
    PRINTS(B(T_POW, a, B(T_POW, b, c)), "a ^ b ^ c");
    PRINTS(B(T_POW, B(T_POW, a, b), c), "(a ^ b) ^ c");
    PRINTS(B(T_POW, neg_a, b), "(-a) ^ b");
    PRINTS(U(T_NEG, B(T_POW, a, b)), "-a ^ b");
    PRINTS(U(T_NEG, a_plus_b), "-(a + b)");
    PRINTS(B(T_DIV, neg_a, b), "-a / b");
    PRINTS(B(T_SUB, b, neg_a), "b - -a");
    PRINTS(B(T_POW, B(T_MUL, a, b), c), "(a * b) ^ c");
    PRINTS(B(T_FLOORDIV, i, B(T_MUL, i, j)), "i // (i * j)");
    PRINTS(B(T_MOD, B(T_ADD, i, j), j), "(i + j) % j");
    PRINTS(B(T_FLOORDIV, B(T_MOD, i, j), j), "i % j // j");
    PRINTS(B(T_LT, b_plus_c, a), "b + c < a");
    PRINTS(B(T_EQ, a_lt_b, b_lt_c), "(a < b) == (b < c)");
    PRINTS(B(T_AND, p, a_lt_b), "p and a < b");
    PRINTS(B(T_AND, r, p_or_q), "r and (p or q)");
    PRINTS(B(T_AND, p_or_q, B(T_OR, q, r)), "(p or q) and (q or r)");
    PRINTS(B(T_OR, r, p_and_q), "r or p and q");
    PRINTS(B(T_OR, p_and_q, B(T_AND, q, r)), "p and q or q and r");
    PRINTS(U(T_NOT, p_and_q), "not (p and q)");
    PRINTS(U(T_NOT, a_lt_b), "not a < b");
    PRINTS(B(T_AND, r, U(T_NOT, p)), "r and not p");
    PRINTS(U(T_EXP, a_minus_b), "exp(a - b)");
    PRINTS(term_select(s, a_lt_b, a_plus_b, c), "where(a < b, a + b, c)");
    /* negative constants are parenthesised as operands, not as function arguments */
    PRINTS(B(T_ADD, a, term_real(s, -1)), "a + (-1)");
    PRINTS(B(T_DIV, term_real(s, -2), a), "(-2) / a");
    PRINTS(B(T_POW, term_real(s, -2), a), "(-2) ^ a");
    PRINTS(B(T_SUB, U(T_LOG, a), term_real(s, -INFINITY)), "log(a) - (-inf)");
    PRINTS(B(T_LT, i, term_int(s, -3)), "i < (-3)");
    PRINTS(B(T_MAX, a, term_real(s, -2.5)), "max(a, -2.5)");
    PRINTS(U(T_NEG, B(T_MUL, a, term_real(s, 0.5))), "-(a * 0.5)");
#undef B
#undef U
    TEARDOWN();
}

/* A chain too deep for a recursive printer under ASan. */
TEST(term_print_and_eval_deep_chain) {
    SETUP();
    enum { N = 200000 };
    term_id t = x_at(s, 0);
    for (int64_t k = 1; k < N; k++) t = term_bin(s, T_ADD, t, x_at(s, k));
    strbuf_clear(&out);
    term_print(s, t, &out);
    CHECK(out.len > 7 * (size_t)N);
    CHECK(strncmp(strbuf_cstr(&out), "x[0] + x[1] + x[2] + ", 21) == 0);
    double *vals = calloc(N, sizeof *vals);
    REQUIRE(vals);
    for (int k = 0; k < N; k++) vals[k] = 1;
    CHECK(term_eval(s, t, vals) == N);
    free(vals);
    TEARDOWN();
}

TEST(term_print_dag_binds_shared_subterms) {
    SETUP();
    term_id x0 = x_at(s, 0), x1 = x_at(s, 1), x2 = x_at(s, 2);
    /* three-element softmax: every output shares the max and the sum */
    term_id m = term_bin(s, T_MAX, x0, term_bin(s, T_MAX, x1, x2));
    term_id e[3], y[3];
    for (int k = 0; k < 3; k++) e[k] = term_un(s, T_EXP, term_bin(s, T_SUB, x_at(s, k), m));
    term_id e12 = term_bin(s, T_ADD, e[1], e[2]);
    term_id sum = term_bin(s, T_ADD, e[0], e12);
    for (int k = 0; k < 3; k++) y[k] = term_bin(s, T_DIV, e[k], sum);
    const char *names[] = {"y[0]", "y[1]", "y[2]"};
    term_print_dag(s, y, 3, names, &out);
    CHECK_STR(strbuf_cstr(&out),
              "%1 = max(x[0], max(x[1], x[2]))\n"
              "%2 = exp(x[0] - %1)\n"
              "%3 = exp(x[1] - %1)\n"
              "%4 = exp(x[2] - %1)\n"
              "%5 = %2 + (%3 + %4)\n"
              "y[0] = %2 / %5\n"
              "y[1] = %3 / %5\n"
              "y[2] = %4 / %5\n");
    /* deterministic: a second print is identical */
    strbuf second;
    strbuf_init(&second);
    term_print_dag(s, y, 3, names, &second);
    CHECK_STR(strbuf_cstr(&second), strbuf_cstr(&out));
    strbuf_free(&second);
    TEARDOWN();
}

TEST(term_print_dag_small_and_root_sharing) {
    SETUP();
    term_id a = rvar(s, "a"), b = rvar(s, "b");
    term_id ab = term_bin(s, T_ADD, a, b);                 /* size 3: shared but not bound */
    term_id r0 = term_bin(s, T_MUL, ab, ab);
    term_id big = term_un(s, T_EXP, term_bin(s, T_MUL, ab, a));   /* size 7 */
    term_id r1 = term_bin(s, T_ADD, big, term_real(s, 1));
    term_id roots[] = {r0, big, r1};
    const char *names[] = {"u", "v", NULL};
    term_print_dag(s, roots, 3, names, &out);
    CHECK_STR(strbuf_cstr(&out),
              "u = (a + b) * (a + b)\n"
              "%1 = exp(a * (a + b))\n"
              "v = %1\n"
              "root2 = %1 + 1\n");
    strbuf_clear(&out);
    term_print_dag(s, roots, 1, names, &out);   /* nothing shared within one root */
    CHECK_STR(strbuf_cstr(&out), "u = (a + b) * (a + b)\n");
    TEARDOWN();
}

/* ---- evaluation ------------------------------------------------------------------------- */

TEST(term_eval_operators) {
    SETUP();
    term_id a = rvar(s, "a"), b = rvar(s, "b"), i = ivar(s, "i"), j = ivar(s, "j"), p = bvar(s, "p");
    /* var numbers follow creation order: a=0, b=1, i=2, j=3, p=4 */
    double v[] = {1.5, -2.0, -7, 2, 1};
#define EV(t) term_eval(s, (t), v)
    CHECK_NEAR(EV(a), 1.5, 0);
    CHECK_NEAR(EV(term_bin(s, T_ADD, a, b)), -0.5, 0);
    CHECK_NEAR(EV(term_bin(s, T_SUB, a, b)), 3.5, 0);
    CHECK_NEAR(EV(term_bin(s, T_MUL, a, b)), -3, 0);
    CHECK_NEAR(EV(term_bin(s, T_DIV, a, b)), -0.75, 0);
    CHECK_NEAR(EV(term_un(s, T_NEG, a)), -1.5, 0);
    CHECK_NEAR(EV(term_bin(s, T_MAX, a, b)), 1.5, 0);
    CHECK_NEAR(EV(term_bin(s, T_MIN, a, b)), -2, 0);
    CHECK_NEAR(EV(term_bin(s, T_POW, b, term_real(s, 3))), -8, 0);
    CHECK_NEAR(EV(term_un(s, T_ABS, b)), 2, 0);
    CHECK_NEAR(EV(term_un(s, T_EXP, a)), exp(1.5), 1e-15);
    CHECK_NEAR(EV(term_un(s, T_EXP2, b)), 0.25, 0);
    CHECK_NEAR(EV(term_un(s, T_LOG, a)), log(1.5), 1e-15);
    CHECK_NEAR(EV(term_un(s, T_LOG2, term_bin(s, T_MUL, a, term_real(s, 4)))), log2(6), 1e-15);
    CHECK_NEAR(EV(term_un(s, T_SQRT, a)), sqrt(1.5), 1e-15);
    CHECK_NEAR(EV(term_un(s, T_RSQRT, a)), 1 / sqrt(1.5), 1e-15);
    CHECK_NEAR(EV(term_un(s, T_SIGMOID, b)), 1 / (1 + exp(2.0)), 1e-15);
    CHECK_NEAR(EV(term_un(s, T_ERF, a)), erf(1.5), 1e-15);
    CHECK_NEAR(EV(term_un(s, T_TANH, a)), tanh(1.5), 1e-15);
    CHECK_NEAR(EV(term_un(s, T_SIN, a)), sin(1.5), 1e-15);
    CHECK_NEAR(EV(term_un(s, T_COS, a)), cos(1.5), 1e-15);
    CHECK_NEAR(EV(term_bin(s, T_FLOORDIV, i, j)), -4, 0);
    CHECK_NEAR(EV(term_bin(s, T_MOD, i, j)), 1, 0);
    CHECK_NEAR(EV(term_bin(s, T_TRUNCDIV, i, j)), -3, 0);
    CHECK_NEAR(EV(term_bin(s, T_TRUNCMOD, i, j)), -1, 0);
    CHECK_NEAR(EV(term_un(s, T_TO_REAL, i)), -7, 0);
    CHECK_NEAR(EV(term_un(s, T_TO_INT, b)), -2, 0);
    CHECK_NEAR(EV(term_un(s, T_TO_INT, term_un(s, T_NEG, a))), -1, 0);
    CHECK_NEAR(EV(term_bin(s, T_LT, b, a)), 1, 0);
    CHECK_NEAR(EV(term_bin(s, T_LE, a, b)), 0, 0);
    CHECK_NEAR(EV(term_bin(s, T_EQ, i, term_int(s, -7))), 1, 0);
    CHECK_NEAR(EV(term_bin(s, T_NE, i, term_int(s, -7))), 0, 0);
    term_id bl = term_bin(s, T_LT, b, a);
    CHECK_NEAR(EV(term_bin(s, T_AND, p, term_un(s, T_NOT, bl))), 0, 0);
    CHECK_NEAR(EV(term_bin(s, T_OR, p, term_un(s, T_NOT, bl))), 1, 0);
    CHECK_NEAR(EV(term_select(s, p, a, b)), 1.5, 0);
    CHECK_NEAR(EV(term_select(s, term_un(s, T_NOT, p), a, b)), -2, 0);
    CHECK(EV(term_real(s, -INFINITY)) == -INFINITY);
    CHECK_NEAR(EV(term_bool(s, true)), 1, 0);
    CHECK(isnan(EV(term_bin(s, T_FLOORDIV, i, term_int(s, 0)))));
    CHECK(isnan(term_eval(s, TERM_NONE, v)));
    CHECK(isnan(term_eval(s, a, NULL)));
#undef EV
    TEARDOWN();
}

TEST(term_eval_shared_dag_is_linear) {
    SETUP();
    /* t_{k+1} = m + m with m = t_k * 0.5: tree size 2^k, 2k distinct nodes, value x */
    term_id t = x_at(s, 0), half = term_real(s, 0.5);
    for (int k = 0; k < 5000; k++) {
        term_id m = term_bin(s, T_MUL, t, half);
        t = term_bin(s, T_ADD, m, m);
    }
    CHECK(term_get(s, t)->size == UINT32_MAX);
    double v[] = {3.25};
    clock_t start = clock();
    CHECK_NEAR(term_eval(s, t, v), 3.25, 0);
    CHECK((double)(clock() - start) / CLOCKS_PER_SEC < 1.0);
    TEARDOWN();
}

TEST(term_evaluator_reuse_and_reset) {
    SETUP();
    term_id a = rvar(s, "a"), b = rvar(s, "b");
    term_id sum = term_bin(s, T_ADD, a, b);
    term_evaluator *e = term_evaluator_new(s);
    double v1[] = {1, 2}, v2[] = {10, 20};
    CHECK_NEAR(term_evaluator_eval(e, sum, v1), 3, 0);
    CHECK_NEAR(term_evaluator_eval(e, term_bin(s, T_MUL, sum, a), v1), 3, 0);   /* built later */
    term_evaluator_reset(e);
    CHECK_NEAR(term_evaluator_eval(e, sum, v2), 30, 0);
    for (int64_t k = 0; k < 5000; k++) x_at(s, k);   /* the store grows past the cache */
    term_id late = term_bin(s, T_SUB, x_at(s, 4999), a);
    double *vals = calloc(term_var_count(s), sizeof *vals);
    REQUIRE(vals);
    vals[0] = 1;
    vals[term_get(s, x_at(s, 4999))->u.var] = 5;
    term_evaluator_reset(e);
    CHECK_NEAR(term_evaluator_eval(e, late, vals), 4, 0);
    free(vals);
    term_evaluator_free(e);
    TEARDOWN();
}

/* ---- scale ------------------------------------------------------------------------------ */

/* Sanitizer builds run several times slower; the budgets below are for plain -O1. */
#if defined(__SANITIZE_ADDRESS__)
#define TIME_SCALE 6.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TIME_SCALE 6.0
#endif
#endif
#ifndef TIME_SCALE
#define TIME_SCALE 1.0
#endif

static double cpu_seconds_since(clock_t start) { return (double)(clock() - start) / CLOCKS_PER_SEC; }

/* 10^6 distinct nodes (5*10^5 variables, each plus a constant), then every one built again,
 * arguments swapped: all must come back as the same ids without growing the store. */
TEST(term_stress_million_nodes) {
    SETUP();
    enum { N = 500000 };
    clock_t start = clock();
    term_id one = term_real(s, 1);
    term_id *sums = malloc(N * sizeof *sums);
    REQUIRE(sums);
    for (int64_t k = 0; k < N; k++) sums[k] = term_bin(s, T_ADD, x_at(s, k), one);
    CHECK(term_store_size(s) == 2 * (size_t)N + 1);
    CHECK(term_var_count(s) == N);
    int mismatches = 0;
    for (int64_t k = 0; k < N; k++) mismatches += term_bin(s, T_ADD, one, x_at(s, k)) != sums[k];
    CHECK(mismatches == 0);
    CHECK(term_store_size(s) == 2 * (size_t)N + 1);
    CHECK(cpu_seconds_since(start) < 0.6 * TIME_SCALE);   /* about 0.2 s at -O1 */
    free(sums);
    TEARDOWN();
}

/* 2*10^6 distinct nodes over a few leaves: x[i] + c[j] and x[i] * c[j] for 1000 x 1000. */
TEST(term_stress_two_million_nodes) {
    SETUP();
    enum { N = 1000 };
    clock_t start = clock();
    term_id xs[N], cs[N];
    for (int k = 0; k < N; k++) xs[k] = x_at(s, k), cs[k] = term_real(s, 2 + k);
    size_t leaves = term_store_size(s);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            term_bin(s, T_ADD, xs[i], cs[j]);
            term_bin(s, T_MUL, cs[j], xs[i]);
        }
    CHECK(term_store_size(s) == leaves + 2 * (size_t)N * N);
    int mismatches = 0;
    for (int i = 0; i < N; i += 7)
        for (int j = 0; j < N; j++) {
            term_id t = term_bin(s, T_MUL, xs[i], cs[j]);
            const term_node *n = term_get(s, t);
            term_id lo = xs[i] < cs[j] ? xs[i] : cs[j], hi = xs[i] ^ cs[j] ^ lo;
            mismatches += n->op != T_MUL || n->args[0] != lo || n->args[1] != hi;
        }
    CHECK(mismatches == 0);
    CHECK(term_store_size(s) == leaves + 2 * (size_t)N * N);
    CHECK(cpu_seconds_since(start) < 1.0 * TIME_SCALE);   /* about 0.4 s at -O1 */
    TEARDOWN();
}
