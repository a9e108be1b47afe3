/* Unit tests of the loop-invariant pattern library (src/verify/patterns.c, patterns_multi.c):
 * each pattern must propose its closed form for the loop shape it is meant for, and must NOT
 * match a near miss (e.g. an online softmax that forgets to rescale the normaliser). The
 * closed forms proposed here are only proposals; the VCs that check them are exercised by the
 * `vlift verify` runs of the FlagGems suite. */
#include "test.h"
#include "verify/verify_internal.h"

typedef struct pfix { vctx X; arena a; loop_shape L; loop_var vars[4]; } pfix;

static void pfix_init(pfix *p) {
    memset(p, 0, sizeof *p);
    arena_init(&p->a);
    p->X.a = &p->a;
    p->X.s = vt_store_new();
    p->L.it = vt_var(p->X.s, "it", VS_INT);
    p->L.count = vt_var(p->X.s, "n", VS_INT);
    p->L.trips = vt_var(p->X.s, "T", VS_INT);
    p->L.lo = vt_int(p->X.s, 0);
    p->L.step = vt_int(p->X.s, 1);
    p->L.vars = p->vars;
    p->L.path = vt_bool(p->X.s, true);
}

static void pfix_free(pfix *p) {
    vec_free(&p->X.patterns_used);
    vt_store_free(p->X.s);
    arena_free(&p->a);
}

static sv *fblock(pfix *p, vt_id body) {
    vt_id shape[1] = {vt_int(p->X.s, 4)};
    return sv_block(&p->X, blk_new(&p->X, VC_FLOAT, DT_FLOAT32, 1, shape, body));
}

/* A carried float block [4] with initial value init; returns its placeholder term. */
static vt_id add_var(pfix *p, const char *name, const char *ph_fn, vt_id init) {
    loop_var *lv = &p->vars[p->L.n_vars++];
    lv->name = name;
    lv->ph_fn = ph_fn;
    lv->init = fblock(p, init);
    vt_id lane = vx_lane(&p->X, 0);
    vt_id ph = vt_app(p->X.s, ph_fn, VS_REAL, 1, &lane);
    lv->ph = fblock(p, ph);
    return ph;
}

/* x(it, lane): an input element, possibly -inf (a masked load). */
static vt_id input(pfix *p) {
    vt_store *s = p->X.s;
    vt_id idx = vt_add(s, vt_mul(s, p->L.it, vt_int(s, 4)), vx_lane(&p->X, 0));
    vt_id x = vt_app1(s, "mem:x", VS_REAL, idx);
    return vt_ite(s, vt_lt(s, idx, vt_var(s, "N", VS_INT)), x, vt_inf(s, -1));
}

static vt_id vexp(pfix *p, vt_id t) { return vt_app1(p->X.s, "exp", VS_REAL, t); }

/* m = maximum(m, a); z = where(m' == -inf, z, z * exp(m - m') + exp(a - m')) when rescale, else
 * z + exp(a - m') (the bug: z stays relative to the old max). */
static bool online_loop(pfix *p, bool rescale, bool guard) {
    vt_store *s = p->X.s;
    vt_id m = add_var(p, "m", "ph:0", vt_inf(s, -1));
    vt_id z = add_var(p, "z", "ph:1", vt_real_int(s, 0));
    vt_id a = input(p), mx = vt_max(s, m, a);
    vt_id old = rescale ? vt_mul(s, z, vexp(p, vt_sub(s, m, mx))) : z;
    vt_id upd = vt_add(s, old, vexp(p, vt_sub(s, a, mx)));
    p->vars[0].update = fblock(p, mx);
    p->vars[1].update = fblock(p, guard ? vt_ite(s, vt_eq(s, mx, vt_inf(s, -1)), z, upd) : upd);
    char why[300];
    return patterns_propose(&p->X, &p->L, why, sizeof why);
}

TEST(verify_pattern_online_softmax_guarded) {
    pfix p;
    pfix_init(&p);
    CHECK(online_loop(&p, true, true));
    CHECK_STR(p.vars[0].pattern, "running-max");
    CHECK_STR(p.vars[1].pattern, "online-softmax");
    /* the closed form of z divides the sum of exp(a(u)) by exp(m_n) */
    REQUIRE(p.vars[1].closed);
    CHECK(vt_contains_app(p.X.s, p.vars[1].closed->u.b->body, "exp"));
    CHECK(vt_kind_of(p.X.s, p.vars[1].closed->u.b->body) == VK_ITE);
    pfix_free(&p);
}

TEST(verify_pattern_online_softmax_unguarded) {
    pfix p;
    pfix_init(&p);
    CHECK(online_loop(&p, true, false));
    CHECK_STR(p.vars[1].pattern, "online-softmax");
    pfix_free(&p);
}

TEST(verify_pattern_online_softmax_rejects_missing_rescale) {
    pfix p;
    pfix_init(&p);
    CHECK(!online_loop(&p, false, true));
    CHECK(p.vars[1].closed == NULL);
    pfix_free(&p);
}

TEST(verify_pattern_overwritten_and_its_near_miss) {
    vt_store *s;
    pfix p;
    pfix_init(&p);
    s = p.X.s;
    add_var(&p, "o", "ph:0", vt_real_int(s, 0));
    p.vars[0].update = fblock(&p, vexp(&p, input(&p)));   /* o = exp(x[it]): the old o is not read */
    char why[300];
    CHECK(patterns_propose(&p.X, &p.L, why, sizeof why));
    CHECK_STR(p.vars[0].pattern, "overwritten");
    pfix_free(&p);

    pfix_init(&p);
    s = p.X.s;
    vt_id o = add_var(&p, "o", "ph:0", vt_real_int(s, 0));
    p.vars[0].update = fblock(&p, vt_add(s, vt_mul(s, o, o), input(&p)));   /* o = o*o + x: no pattern */
    CHECK(!patterns_propose(&p.X, &p.L, why, sizeof why));
    CHECK(strstr(why, "no invariant pattern matches") != NULL);
    pfix_free(&p);
}

/* A Welford loop over x(it) (lanes [4]): cnt += 1, m = m + (x - m) / (cnt + 1) (with the
 * coefficient `coef` in place of 1 before the division: coef != 1 is the bug),
 * q = q + (x - m') * (x - m). The count is an int block. */
static bool welford_loop(pfix *p, int64_t coef) {
    vt_store *s = p->X.s;
    vt_id shape[1] = {vt_int(s, 4)};
    loop_var *vc = &p->vars[p->L.n_vars++];
    vc->name = "cnt";
    vc->ph_fn = "ph:2";
    vc->init = sv_block(&p->X, blk_new(&p->X, VC_INT, DT_INT32, 1, shape, vt_int(s, 0)));
    vt_id lane = vx_lane(&p->X, 0);
    vt_id c = vt_app(s, "ph:2", VS_INT, 1, &lane);
    vc->ph = sv_block(&p->X, blk_new(&p->X, VC_INT, DT_INT32, 1, shape, c));
    vc->update = sv_block(&p->X, blk_new(&p->X, VC_INT, DT_INT32, 1, shape, vt_add(s, c, vt_int(s, 1))));
    vt_id m = add_var(p, "m", "ph:0", vt_real_int(s, 0));
    vt_id q = add_var(p, "q", "ph:1", vt_real_int(s, 0));
    vt_id x = vt_app1(s, "mem:x", VS_REAL, vt_add(s, vt_mul(s, p->L.it, vt_int(s, 4)), lane));
    vt_id c1 = vt_toreal(s, vt_add(s, c, vt_int(s, 1)));
    vt_id m1 = vt_add(s, m, vt_div(s, vt_mul(s, vt_real_int(s, coef), vt_sub(s, x, m)), c1));
    p->vars[1].update = fblock(p, m1);
    p->vars[2].update = fblock(p, vt_add(s, q, vt_mul(s, vt_sub(s, x, m1), vt_sub(s, x, m))));
    char why[300];
    return patterns_propose(&p->X, &p->L, why, sizeof why);
}

TEST(verify_pattern_welford) {
    pfix p;
    pfix_init(&p);
    CHECK(welford_loop(&p, 1));
    CHECK_STR(p.vars[0].pattern, "affine-induction");
    CHECK_STR(p.vars[1].pattern, "welford");
    CHECK_STR(p.vars[2].pattern, "welford");
    /* m_n = S(n) / max(n, 1): a sum of the inputs over a guarded count */
    REQUIRE(p.vars[1].closed);
    CHECK(vt_kind_of(p.X.s, p.vars[1].closed->u.b->body) == VK_DIV);
    CHECK(vt_contains_app(p.X.s, p.vars[2].closed->u.b->body, "mem:x"));
    pfix_free(&p);
}

TEST(verify_pattern_welford_rejects_wrong_coefficient) {
    pfix p;
    pfix_init(&p);
    CHECK(!welford_loop(&p, 2));   /* m + 2*(x - m)/(c + 1): not a mean */
    CHECK(p.vars[1].closed == NULL);
    pfix_free(&p);
}
