/* Unit tests of the side-condition falsifier (src/verify/falsify.c): it finds a point for a
 * false side condition with ranges that depend on other variables (a lane below a block size, a
 * program id below a tile count), and never for a true one or when the hypotheses exclude every
 * counterexample. */
#include "test.h"
#include "verify/verify_internal.h"

typedef struct grid_setup {
    vt_store *s;
    nf_ctx nf;
    vt_id n, block, pid, lane;
    vt_id hyps[8];
    int n_hyps;
} grid_setup;

/* 1 <= n, 1 <= block, 0 <= pid < cdiv(n, block), 0 <= lane < block, as a VC's ranges. */
static void grid_init(grid_setup *g) {
    vt_store *s = g->s = vt_store_new();
    nf_init(&g->nf, s);
    g->n = vt_var(s, "n", VS_INT);
    g->block = vt_var(s, "BLOCK", VS_INT);
    g->pid = vt_var(s, "pid0", VS_INT);
    g->lane = vt_var(s, "$L0", VS_INT);
    vt_id one = vt_int(s, 1), zero = vt_int(s, 0);
    vt_id tiles = vt_cdiv(s, g->n, g->block);
    nf_add_range(&g->nf, g->n, one, VT_NONE);
    nf_add_range(&g->nf, g->block, one, VT_NONE);
    nf_add_range(&g->nf, g->pid, zero, tiles);
    nf_add_range(&g->nf, g->lane, zero, g->block);
    g->n_hyps = 0;
    g->hyps[g->n_hyps++] = vt_le(s, one, g->n);
    g->hyps[g->n_hyps++] = vt_le(s, one, g->block);
    g->hyps[g->n_hyps++] = vt_le(s, zero, g->pid);
    g->hyps[g->n_hyps++] = vt_lt(s, g->pid, tiles);
    g->hyps[g->n_hyps++] = vt_le(s, zero, g->lane);
    g->hyps[g->n_hyps++] = vt_lt(s, g->lane, g->block);
}

static void grid_free(grid_setup *g) {
    nf_free(&g->nf);
    vt_store_free(g->s);
}

TEST(verify_falsify_finds_points_for_false_side_conditions) {
    grid_setup g;
    grid_init(&g);
    vt_store *s = g.s;
    /* a lane is not always below 2; a tile start is not always below n - 1 */
    CHECK(falsify_side(s, &g.nf, g.n_hyps, g.hyps, vt_lt(s, g.lane, vt_int(s, 2)), 1));
    vt_id start = vt_add(s, vt_mul(s, g.pid, g.block), g.lane);
    CHECK(falsify_side(s, &g.nf, g.n_hyps, g.hyps, vt_lt(s, start, vt_sub(s, g.n, vt_int(s, 1))), 2));
    /* the masked index is not always inside n without its mask */
    CHECK(falsify_side(s, &g.nf, g.n_hyps, g.hyps, vt_lt(s, start, g.n), 3));
    grid_free(&g);
}

TEST(verify_falsify_never_refutes_true_side_conditions) {
    grid_setup g;
    grid_init(&g);
    vt_store *s = g.s;
    vt_id start = vt_add(s, vt_mul(s, g.pid, g.block), g.lane);
    /* pid * BLOCK + lane < cdiv(n, BLOCK) * BLOCK holds everywhere */
    CHECK(!falsify_side(s, &g.nf, g.n_hyps, g.hyps, vt_lt(s, start, vt_mul(s, vt_cdiv(s, g.n, g.block), g.block)), 4));
    CHECK(!falsify_side(s, &g.nf, g.n_hyps, g.hyps, vt_le(s, vt_int(s, 0), start), 5));
    /* with the mask as a hypothesis the false condition above becomes true */
    g.hyps[g.n_hyps++] = vt_lt(s, start, g.n);
    CHECK(!falsify_side(s, &g.nf, g.n_hyps, g.hyps, vt_lt(s, start, g.n), 6));
    /* a fact about reals is left to z3 (the encoding's extended reals are not concrete points) */
    vt_id r = vt_var(s, "r", VS_REAL);
    CHECK(!falsify_side(s, &g.nf, g.n_hyps, g.hyps, vt_lt(s, r, vt_real(s, vt_rat_make(1, 1))), 8));
    /* contradictory hypotheses: no point satisfies them, so nothing is refuted */
    g.hyps[g.n_hyps++] = vt_lt(s, g.block, vt_int(s, 1));
    CHECK(!falsify_side(s, &g.nf, g.n_hyps, g.hyps, vt_lt(s, g.lane, vt_int(s, 2)), 7));
    grid_free(&g);
}
