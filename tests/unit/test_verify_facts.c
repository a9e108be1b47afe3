/* Unit tests of the verifier's reduction facts (axioms.c R5, R6) and the division rules of the
 * normal form added with them (normalize.c: division by a product, K*d*(x//d) + K*(x%d) = K*x).
 * Facts are checked for soundness by evaluating them (vc_eval.c, argmax = first extremal
 * index) at every point of small ranges, on a body with many ties; a wrong variant of the argmax
 * step (keeping the last tie) must be caught by the same evaluation. */
#include "test.h"
#include "verify/verify_internal.h"
#include <math.h>

/* g(k) = k < N ? (7k mod 5) : -inf, as a reduction body over kv (ties every five elements). */
static vt_id tie_body(vt_store *s, vt_id kv, vt_id N) {
    vt_id val = vt_toreal(s, vt_fmod(s, vt_mul(s, vt_int(s, 7), kv), vt_int(s, 5)));
    return vt_ite(s, vt_lt(s, kv, N), val, vt_inf(s, -1));
}

static bool holds_everywhere(vt_store *s, vt_id fact, const vt_id *vars, int *bad_B, int *bad_n, int *bad_N) {
    for (int B = 1; B <= 4; B++)
        for (int n = 0; n <= 4; n++)
            for (int N = 1; N <= 12; N++) {
                double vals[3] = {B, n, N}, x;
                vt_env env = {vars, vals, 3, 1};
                if (!vt_eval(s, fact, &env, &x)) continue;
                if (x == 0) { *bad_B = B; *bad_n = n; *bad_N = N; return false; }
            }
    return true;
}

TEST(verify_facts_block_peel_of_argmax_is_sound_and_first_index) {
    vt_store *s = vt_store_new();
    vt_id B = vt_var(s, "B", VS_INT), n = vt_var(s, "n", VS_INT), N = vt_var(s, "N", VS_INT), kv = vt_var(s, "k", VS_INT);
    vt_id vars[3] = {B, n, N};
    vctx X;
    memset(&X, 0, sizeof X);
    X.s = s;
    nf_ctx nf;
    nf_init(&nf, s);
    nf_add_range(&nf, B, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, n, vt_int(s, 0), VT_NONE);
    nf_add_range(&nf, N, vt_int(s, 1), VT_NONE);
    vt_id g = tie_body(s, kv, N), zero = vt_int(s, 0);
    vt_id h1 = vt_mul(s, B, n), h2 = vt_add(s, vt_mul(s, B, n), B);
    vt_id A1 = vt_red_over(s, VR_ARGMAX, kv, zero, h1, g), A2 = vt_red_over(s, VR_ARGMAX, kv, zero, h2, g);
    vt_id M1 = vt_red_over(s, VR_MAX, kv, zero, h1, g), M2 = vt_red_over(s, VR_MAX, kv, zero, h2, g);
    vt_id goal = nf_term(&nf, vt_and(s, vt_eq(s, A1, A2), vt_eq(s, M1, M2)));
    vt_id facts[256];
    int nfacts = axioms_facts(&X, &nf, goal, facts, 256);
    CHECK(nfacts > 0);
    /* the block of the step: argmax(l in 0..B: g(B*n + l)) appears in some fact */
    vt_id lv = vt_var(s, "l", VS_INT);
    vt_id gl = vt_subst(s, g, kv, vt_add(s, h1, lv));
    vt_id tile_a = nf_term(&nf, vt_red_over(s, VR_ARGMAX, lv, zero, B, gl));
    vt_id tile_m = nf_term(&nf, vt_red_over(s, VR_MAX, lv, zero, B, gl));
    vt_id probe = vt_var(s, "probe", VS_INT);
    bool mentions_tile = false;
    for (int i = 0; i < nfacts; i++) {
        int b1 = 0, b2 = 0, b3 = 0;
        bool ok = holds_everywhere(s, facts[i], vars, &b1, &b2, &b3);
        if (!ok) printf("    unsound fact %s at B=%d n=%d N=%d\n", vt_str(s, facts[i]), b1, b2, b3);
        CHECK(ok);
        if (vt_replace(s, facts[i], tile_a, probe) != facts[i]) mentions_tile = true;
    }
    CHECK(mentions_tile);
    /* keeping the last tie instead (<=) is wrong, and these ranges show it */
    vt_id Mp = nf_term(&nf, M1), Ap = nf_term(&nf, A1), Aw = nf_term(&nf, A2);
    vt_id wrong = vt_implies(s, vt_lt(s, zero, n), vt_eq(s, Aw, vt_ite(s, vt_le(s, Mp, tile_m), nf_term(&nf, vt_add(s, h1, tile_a)), Ap)));
    int b1 = 0, b2 = 0, b3 = 0;
    CHECK(!holds_everywhere(s, wrong, vars, &b1, &b2, &b3));
    nf_free(&nf);
    vt_store_free(s);
}

TEST(verify_facts_congruence_of_reductions_is_sound) {
    vt_store *s = vt_store_new();
    vt_id B = vt_var(s, "B", VS_INT), n = vt_var(s, "n", VS_INT), N = vt_var(s, "N", VS_INT), kv = vt_var(s, "k", VS_INT);
    vt_id vars[3] = {B, n, N};
    vctx X;
    memset(&X, 0, sizeof X);
    X.s = s;
    /* the argmax of the block at n and at argmax(u in 0..N: u % 3): one body with n, one with the inner argmax */
    vt_id uv = vt_var(s, "u", VS_INT);
    vt_id inner = vt_red_over(s, VR_ARGMAX, uv, vt_int(s, 0), N, vt_toreal(s, vt_fmod(s, uv, vt_int(s, 3))));
    vt_id g_n = tie_body(s, vt_add(s, vt_mul(s, B, n), kv), N);
    vt_id g_i = vt_subst(s, g_n, n, inner);
    vt_id R1 = vt_red_over(s, VR_ARGMAX, kv, vt_int(s, 0), B, g_n), R2 = vt_red_over(s, VR_ARGMAX, kv, vt_int(s, 0), B, g_i);
    vt_id goal = vt_eq(s, R1, R2);
    vt_id facts[64];
    int nfacts = axioms_facts(&X, NULL, goal, facts, 64);
    bool congruence = false;
    for (int i = 0; i < nfacts; i++) {
        int b1 = 0, b2 = 0, b3 = 0;
        CHECK(holds_everywhere(s, facts[i], vars, &b1, &b2, &b3));
        if (facts[i] == vt_implies(s, vt_eq(s, n, inner), vt_eq(s, R1, R2)) || facts[i] == vt_implies(s, vt_eq(s, inner, n), vt_eq(s, R2, R1)))
            congruence = true;
    }
    CHECK(congruence);
    vt_store_free(s);
}

TEST(verify_normalize_divides_by_a_product_and_recombines) {
    vt_store *s = vt_store_new();
    vt_id G = vt_var(s, "G", VS_INT), C = vt_var(s, "C", VS_INT), H = vt_var(s, "H", VS_INT);
    vt_id p = vt_var(s, "p", VS_INT), l0 = vt_var(s, "l0", VS_INT), l1 = vt_var(s, "l1", VS_INT);
    nf_ctx nf;
    nf_init(&nf, s);
    nf_add_range(&nf, G, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, C, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, H, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, p, vt_int(s, 0), VT_NONE);
    nf_add_range(&nf, l0, vt_int(s, 0), C);
    nf_add_range(&nf, l1, vt_int(s, 0), H);
    vt_id CH = vt_mul(s, C, H), GCH = vt_mul(s, G, CH);
    vt_id x = vt_add(s, vt_add(s, vt_mul(s, CH, p), vt_mul(s, H, l0)), l1);
    vt_id q = nf_term(&nf, vt_fdiv(s, x, GCH)), r = nf_term(&nf, vt_fmod(s, x, GCH));
    CHECK(q == nf_term(&nf, vt_fdiv(s, p, G)));
    CHECK(r == nf_term(&nf, vt_add(s, vt_mul(s, CH, vt_fmod(s, p, G)), vt_add(s, vt_mul(s, H, l0), l1))));
    /* G*C*H*(p // G) + C*H*(p % G) = C*H*p */
    vt_id back = vt_add(s, vt_mul(s, GCH, vt_fdiv(s, p, G)), vt_mul(s, CH, vt_fmod(s, p, G)));
    CHECK(nf_term(&nf, back) == nf_term(&nf, vt_mul(s, CH, p)));
    /* and the values agree everywhere in small ranges */
    vt_id vars[6] = {G, C, H, p, l0, l1};
    int bad = 0;
    for (int g = 1; g <= 3; g++)
        for (int c = 1; c <= 3; c++)
            for (int h = 1; h <= 3; h++)
                for (int pp = 0; pp <= 7; pp++)
                    for (int a = 0; a < c; a++)
                        for (int b = 0; b < h; b++) {
                            double vals[6] = {g, c, h, pp, a, b}, u, v, w, z;
                            vt_env env = {vars, vals, 6, 1};
                            if (!vt_eval(s, vt_fdiv(s, x, GCH), &env, &u) || !vt_eval(s, q, &env, &v)) continue;
                            if (!vt_eval(s, vt_fmod(s, x, GCH), &env, &w) || !vt_eval(s, r, &env, &z)) continue;
                            if (u != v || w != z) bad++;
                        }
    CHECK(bad == 0);
    nf_free(&nf);
    vt_store_free(s);
}
