/* Unit tests of the e-graph engine: hash-consing, union-find, congruence closure after a
 * deferred rebuild, the analysis (exact constant folding, facts, free variables), de Bruijn
 * binders and rebinding, e-matching, extraction. */
#include "simplify/binder.h"
#include "simplify/convert.h"
#include "simplify/egraph.h"
#include "simplify/extract.h"
#include "simplify/machine.h"
#include "simplify/rewrite.h"
#include "test.h"
#include "util/strbuf.h"
#include <math.h>

static eclass_id op1(egraph *g, eop op, eclass_id a) { return egraph_add_op(g, op, 1, &a); }
static eclass_id op2(egraph *g, eop op, eclass_id a, eclass_id b) {
    eclass_id k[2] = {a, b};
    return egraph_add_op(g, op, 2, k);
}
static eclass_id access1(egraph *g, const char *name, eclass_id i) {
    enode n = {0};
    n.op = EOP_ACCESS;
    n.n = 1;
    n.sym = egraph_intern(g, name);
    n.kids[0] = i;
    return egraph_add(g, &n);
}

TEST(simplify_egraph_hashcons_shares_equal_terms) {
    egraph g;
    egraph_init(&g);
    eclass_id x = egraph_add_sym(&g, "x"), y = egraph_add_sym(&g, "y");
    eclass_id a = op2(&g, EOP_ADD, x, y), b = op2(&g, EOP_ADD, x, y), c = op2(&g, EOP_ADD, y, x);
    CHECK(a == b);
    CHECK(a != c);
    CHECK(g.n_nodes == 4);
    CHECK(egraph_add_sym(&g, "x") == x);
    enode probe = {0};
    probe.op = EOP_MUL;
    probe.n = 2;
    probe.kids[0] = x;
    probe.kids[1] = y;
    CHECK(egraph_lookup(&g, &probe) == ECLASS_NONE);
    CHECK(g.n_nodes == 4);   /* lookups never add */
    egraph_free(&g);
}

TEST(simplify_egraph_congruence_after_rebuild) {
    egraph g;
    egraph_init(&g);
    eclass_id a = egraph_add_sym(&g, "a"), b = egraph_add_sym(&g, "b");
    eclass_id fa = op1(&g, EOP_EXP, a), fb = op1(&g, EOP_EXP, b);
    eclass_id gfa = op1(&g, EOP_LOG, fa), gfb = op1(&g, EOP_LOG, fb);
    CHECK(egraph_find(&g, fa) != egraph_find(&g, fb));
    CHECK(egraph_union(&g, a, b));
    CHECK(!egraph_union(&g, a, b));   /* already one class */
    egraph_rebuild(&g);
    CHECK(egraph_find(&g, fa) == egraph_find(&g, fb));     /* exp(a) = exp(b) */
    CHECK(egraph_find(&g, gfa) == egraph_find(&g, gfb));   /* and upwards */
    CHECK(g.live_classes == 3);
    CHECK(g.clean);
    /* every class list is canonical and duplicate-free */
    const id_list *l = &egraph_class(&g, fa)->nodes;
    CHECK(l->len == 1);
    egraph_free(&g);
}

TEST(simplify_egraph_union_by_size_keeps_bigger_root) {
    egraph g;
    egraph_init(&g);
    eclass_id a = egraph_add_sym(&g, "a"), b = egraph_add_sym(&g, "b"), c = egraph_add_sym(&g, "c");
    egraph_union(&g, b, c);   /* size 2 */
    eclass_id root_bc = egraph_find(&g, b);
    egraph_union(&g, a, b);   /* a (size 1) joins */
    CHECK(egraph_find(&g, a) == root_bc);
    egraph_free(&g);
}

TEST(simplify_analysis_folds_only_exact_results) {
    egraph g;
    egraph_init(&g);
    eclass_id half = egraph_add_num(&g, 0.5), quarter = egraph_add_num(&g, 0.25);
    eclass_id s = op2(&g, EOP_ADD, half, quarter);
    CHECK(egraph_data(&g, s)->has_const && egraph_data(&g, s)->value == 0.75);
    CHECK(egraph_find(&g, s) == egraph_find(&g, egraph_add_num(&g, 0.75)));   /* merged with its number */
    eclass_id t = op2(&g, EOP_ADD, egraph_add_num(&g, 0.1), egraph_add_num(&g, 0.2));
    CHECK(!egraph_data(&g, t)->has_const);   /* 0.1 + 0.2 is not a double */
    CHECK(!egraph_data(&g, op1(&g, EOP_SQRT, egraph_add_num(&g, 2)))->has_const);
    CHECK(egraph_data(&g, op1(&g, EOP_SQRT, egraph_add_num(&g, 2.25)))->value == 1.5);
    CHECK(!egraph_data(&g, op2(&g, EOP_DIV, egraph_add_num(&g, 1), egraph_add_num(&g, 3)))->has_const);
    CHECK(egraph_data(&g, op2(&g, EOP_DIV, egraph_add_num(&g, 1), egraph_add_num(&g, 4)))->value == 0.25);
    CHECK(!egraph_data(&g, op2(&g, EOP_DIV, egraph_add_num(&g, 1), egraph_add_num(&g, 0)))->has_const);
    CHECK(egraph_data(&g, op2(&g, EOP_MUL, egraph_add_num(&g, 3), egraph_add_num(&g, 7)))->value == 21);
    CHECK(!egraph_data(&g, op2(&g, EOP_MUL, egraph_add_num(&g, 1e300), egraph_add_num(&g, 1e300)))->has_const);
    CHECK(egraph_data(&g, op2(&g, EOP_POW, egraph_add_num(&g, 3), egraph_add_num(&g, 4)))->value == 81);
    CHECK(egraph_data(&g, op1(&g, EOP_NEG, egraph_add_num(&g, INFINITY)))->value == -INFINITY);
    CHECK(egraph_data(&g, op2(&g, EOP_FLOORDIV, egraph_add_num(&g, -7), egraph_add_num(&g, 2)))->value == -4);
    CHECK(egraph_data(&g, op2(&g, EOP_MOD, egraph_add_num(&g, -7), egraph_add_num(&g, 2)))->value == 1);
    CHECK(egraph_data(&g, op1(&g, EOP_EXP, egraph_add_num(&g, 0)))->value == 1);
    CHECK(!egraph_data(&g, op1(&g, EOP_EXP, egraph_add_num(&g, 1)))->has_const);
    CHECK(egraph_data(&g, op1(&g, EOP_LOG2, egraph_add_num(&g, 8)))->value == 3);
    CHECK(egraph_data(&g, op2(&g, EOP_LT, egraph_add_num(&g, 1), egraph_add_num(&g, 2)))->value == 1);
    CHECK(g.n_conflicts == 0);
    egraph_free(&g);
}

TEST(simplify_analysis_facts_for_guards) {
    egraph g;
    egraph_init(&g);
    uint32_t n = egraph_intern(&g, "N"), i = egraph_intern(&g, "i");
    egraph_set_sym_flags(&g, n, SYMF_SIZE);
    egraph_set_sym_flags(&g, i, SYMF_INDEX);
    egraph_set_sym_flags(&g, egraph_intern(&g, "x"), SYMF_INPUT);
    eclass_id N = egraph_add_sym(&g, "N"), I = egraph_add_sym(&g, "i"), zero = egraph_add_num(&g, 0);
    eclass_id x = access1(&g, "x", egraph_add_bvar(&g, 0));
    const uint32_t pos = FACT_POS | FACT_FINITE | FACT_NONZERO;
    CHECK((egraph_data(&g, N)->facts & pos) == pos);
    CHECK((egraph_data(&g, I)->facts & FACT_NONNEG) && !(egraph_data(&g, I)->facts & FACT_POS));
    CHECK(egraph_data(&g, x)->facts & FACT_FINITE);
    eclass_id ex = op1(&g, EOP_EXP, x);
    CHECK((egraph_data(&g, ex)->facts & pos) == pos);
    eclass_id k3[3] = {zero, N, ex};
    eclass_id s = egraph_add_op(&g, EOP_SUM, 3, k3);   /* sum(k in 0..N: exp(x[k])) > 0 */
    CHECK((egraph_data(&g, s)->facts & pos) == pos);
    eclass_id k3e[3] = {zero, op2(&g, EOP_SUB, N, egraph_add_num(&g, 1)), ex};
    eclass_id s_maybe_empty = egraph_add_op(&g, EOP_SUM, 3, k3e);   /* 0..N-1 may be empty */
    CHECK(!(egraph_data(&g, s_maybe_empty)->facts & FACT_POS));
    eclass_id k3m[3] = {zero, N, x};
    eclass_id m = egraph_add_op(&g, EOP_RMAX, 3, k3m);   /* a maximum over a non-empty range is finite */
    CHECK(egraph_data(&g, m)->facts & FACT_FINITE);
    eclass_id cumsum_hi = op2(&g, EOP_ADD, I, egraph_add_num(&g, 1));   /* 0..i+1 is never empty */
    CHECK(analysis_nonempty_range(&g, zero, cumsum_hi));
    CHECK(!analysis_nonempty_range(&g, zero, I));
    CHECK(egraph_data(&g, op1(&g, EOP_SQRT, s))->facts & FACT_POS);
    CHECK(!(egraph_data(&g, op2(&g, EOP_DIV, x, x))->facts & FACT_FINITE));   /* x may be 0 */
    egraph_free(&g);
}

TEST(simplify_binders_alpha_equivalent_bodies_meet) {
    arena a;
    arena_init(&a);
    diag err = {0};
    formula *f = formula_parse(&a, NULL, 1, 1, "y[i] = sum(k in 0..N: x[i,k]) + sum(s in 0..N: x[i,s])", &err);
    REQUIRE(f);
    egraph g;
    egraph_init(&g);
    convert_flag_names(&g, f, NULL, 0);
    convert_ctx cx = {0};
    cx.g = &g;
    cx.f = f;
    eclass_id root = convert_equation(&cx, 0);
    REQUIRE(root != ECLASS_NONE);
    const enode *plus = &g.nodes[egraph_class(&g, root)->nodes.items[0]];
    CHECK(plus->op == EOP_ADD);
    CHECK(egraph_find(&g, plus->kids[0]) == egraph_find(&g, plus->kids[1]));   /* one class: alpha-equivalent */
    CHECK(egraph_data(&g, root)->free_bvars == 0);
    egraph_free(&g);
    arena_free(&a);
}

TEST(simplify_binders_shadowing_and_free_variables) {
    arena a;
    arena_init(&a);
    diag err = {0};
    /* the inner k shadows the outer one: the body x[k] refers to the inner binder */
    formula *f = formula_parse(&a, NULL, 1, 1, "y = sum(k in 0..N: max(k in 0..N: x[k]) + x[k])", &err);
    REQUIRE(f);
    egraph g;
    egraph_init(&g);
    convert_flag_names(&g, f, NULL, 0);
    convert_ctx cx = {0};
    cx.g = &g;
    cx.f = f;
    eclass_id root = convert_equation(&cx, 0);
    REQUIRE(root != ECLASS_NONE);
    const enode *sum = &g.nodes[egraph_class(&g, root)->nodes.items[0]];
    REQUIRE(sum->op == EOP_SUM);
    const enode *body = &g.nodes[egraph_class(&g, sum->kids[2])->nodes.items[0]];
    REQUIRE(body->op == EOP_ADD);
    CHECK(egraph_data(&g, body->kids[0])->free_bvars == 0);   /* max(...) is closed */
    CHECK(egraph_data(&g, body->kids[1])->free_bvars == 1);   /* x[k]: bound variable 0 */
    CHECK(egraph_data(&g, sum->kids[2])->free_bvars == 1);
    egraph_free(&g);
    arena_free(&a);
}

TEST(simplify_binders_rebind_shifts_and_refuses_captured) {
    egraph g;
    egraph_init(&g);
    eclass_id b0 = egraph_add_bvar(&g, 0), b1 = egraph_add_bvar(&g, 1);
    eclass_id t = op2(&g, EOP_ADD, access1(&g, "x", b1), egraph_add_num(&g, 1));   /* x[#1] + 1 */
    /* out of one binder: #1 becomes #0 */
    bvar_map out = {1, 0, {-1}};
    eclass_id moved = binder_rebind(&g, t, &out, true);
    REQUIRE(moved != ECLASS_NONE);
    eclass_id want = op2(&g, EOP_ADD, access1(&g, "x", b0), egraph_add_num(&g, 1));
    CHECK(egraph_find(&g, moved) == egraph_find(&g, want));
    /* a term mentioning the binder it leaves cannot move */
    CHECK(binder_rebind(&g, access1(&g, "x", b0), &out, true) == ECLASS_NONE);
    /* into one binder: #0 becomes #1; a closed class is its own rebinding */
    bvar_map in = {0, 1, {0}};
    CHECK(egraph_find(&g, binder_rebind(&g, b0, &in, true)) == egraph_find(&g, b1));
    eclass_id closed = egraph_add_num(&g, 7);
    CHECK(binder_rebind(&g, closed, &in, false) == egraph_find(&g, closed));
    /* lookup mode adds nothing */
    uint32_t before = g.n_nodes;
    bvar_map in2 = {0, 5, {0}};
    CHECK(binder_rebind(&g, t, &in2, false) == ECLASS_NONE);
    CHECK(g.n_nodes == before);
    /* swapping two binders: map[0] = 1, map[1] = 0 */
    bvar_map swap = {2, 2, {1, 0}};
    CHECK(egraph_find(&g, binder_rebind(&g, b1, &swap, true)) == egraph_find(&g, b0));
    egraph_free(&g);
}

TEST(simplify_binders_inside_reduction_bodies_keep_their_own) {
    egraph g;
    egraph_init(&g);
    /* sum(#0 in 0..3: x[#0] * y[#1]) moved out of one binder: #1 -> #0, the sum's own #0 stays */
    eclass_id body = op2(&g, EOP_MUL, access1(&g, "x", egraph_add_bvar(&g, 0)), access1(&g, "y", egraph_add_bvar(&g, 1)));
    eclass_id k[3] = {egraph_add_num(&g, 0), egraph_add_num(&g, 3), body};
    eclass_id s = egraph_add_op(&g, EOP_SUM, 3, k);
    CHECK(egraph_data(&g, s)->free_bvars == 1);   /* only y's variable escapes */
    bvar_map out = {1, 0, {-1}};
    CHECK(binder_rebind(&g, s, &out, true) == ECLASS_NONE);   /* it is the one that would leave */
    bvar_map in = {0, 1, {0}};
    eclass_id deeper = binder_rebind(&g, s, &in, true);
    REQUIRE(deeper != ECLASS_NONE);
    CHECK(egraph_data(&g, deeper)->free_bvars == 2);   /* y[#2] inside the sum = #1 outside */
    egraph_free(&g);
}

TEST(simplify_machine_finds_every_match_in_order) {
    arena a;
    arena_init(&a);
    ruleset rs;
    char err[200];
    REQUIRE(ruleset_parse(&a, "comm: ?a + ?b => ?b + ?a\nsq: ?a * ?a => ?a ^ 2\n", &rs, err, sizeof err));
    egraph g;
    egraph_init(&g);
    eclass_id x = egraph_add_sym(&g, "x"), y = egraph_add_sym(&g, "y");
    op2(&g, EOP_ADD, x, y);
    op2(&g, EOP_ADD, y, x);
    op2(&g, EOP_MUL, x, x);
    op2(&g, EOP_MUL, x, y);
    egraph_rebuild(&g);
    op_index ix = {0};
    op_index_build(&g, &ix);
    match_list found = {0};
    CHECK(machine_search(&g, &ix, &rs.rules[0], 100, &found));
    CHECK(found.len == 2);
    match_list sq = {0};
    CHECK(machine_search(&g, &ix, &rs.rules[1], 100, &sq));
    CHECK(sq.len == 1);   /* x * x, not x * y (non-linear variable) */
    match_list limited = {0};
    CHECK(!machine_search(&g, &ix, &rs.rules[0], 1, &limited));   /* over the limit: the scheduler bans */
    match_list_free(&found);
    match_list_free(&sq);
    match_list_free(&limited);
    op_index_free(&ix);
    egraph_free(&g);
    arena_free(&a);
}

TEST(simplify_extract_prefers_cheapest_then_oldest) {
    egraph g;
    egraph_init(&g);
    eclass_id x = egraph_add_sym(&g, "x"), xi = access1(&g, "x", egraph_add_sym(&g, "i"));
    eclass_id xx = op2(&g, EOP_MUL, xi, xi), sq = op2(&g, EOP_POW, xi, egraph_add_num(&g, 2));
    eclass_id small = op2(&g, EOP_MUL, x, x);
    egraph_union(&g, small, op2(&g, EOP_POW, x, egraph_add_num(&g, 2)));
    egraph_union(&g, xx, sq);
    eclass_id r = op1(&g, EOP_RSQRT, x), inv = op2(&g, EOP_DIV, egraph_add_num(&g, 1), op1(&g, EOP_SQRT, x));
    egraph_union(&g, r, inv);
    eclass_id ab = op2(&g, EOP_ADD, x, egraph_add_sym(&g, "y")), ba = op2(&g, EOP_ADD, egraph_add_sym(&g, "y"), x);
    egraph_union(&g, ba, ab);
    egraph_rebuild(&g);
    extractor ex;
    extract_compute(&g, NULL, NULL, &ex);
    CHECK(extract_best(&g, &ex, xx)->op == EOP_POW);     /* x[i]^2 over x[i] * x[i] */
    CHECK(extract_best(&g, &ex, small)->op == EOP_MUL);  /* but x * x over x^2 */
    CHECK(extract_best(&g, &ex, r)->op == EOP_DIV);    /* 1 / sqrt(x) over rsqrt(x) */
    const enode *sum = extract_best(&g, &ex, ab);      /* a tie: the older node, x + y */
    CHECK(sum->op == EOP_ADD && egraph_find(&g, sum->kids[0]) == egraph_find(&g, x));
    extract_free(&ex);
    egraph_free(&g);
}
