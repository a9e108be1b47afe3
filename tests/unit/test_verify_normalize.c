/* Unit tests of the verifier's normal form (src/verify/normalize.c): idempotence, the
 * documented simplifications, and a randomized soundness check against the concrete evaluator
 * (vc_eval.c) — every rewrite must preserve the value at every point of the variables' ranges. */
#include "test.h"
#include "verify/normalize.h"
#include "util/rng.h"
#include <math.h>

typedef struct tvars { vt_id v[3]; int64_t lo[3], hi[3]; } tvars;

static vt_id random_int_term(vt_store *s, rng *r, const tvars *tv, int depth) {
    int pick = (int)(rng_next(r) % (depth <= 0 ? 2 : 12));
    if (pick == 0) return tv->v[rng_next(r) % 3];
    if (pick == 1) return vt_int(s, (int64_t)(rng_next(r) % 9) - 3);
    vt_id a = random_int_term(s, r, tv, depth - 1), b = random_int_term(s, r, tv, depth - 1);
    switch (pick) {
    case 2: return vt_add(s, a, b);
    case 3: return vt_sub(s, a, b);
    case 4: return vt_mul(s, a, b);
    case 5: return vt_fdiv(s, a, b);
    case 6: return vt_fmod(s, a, b);
    case 7: return vt_tdiv(s, a, b);
    case 8: return vt_tmod(s, a, b);
    case 9: return vt_max(s, a, b);
    case 10: return vt_min(s, a, b);
    default: return vt_ite(s, vt_lt(s, a, b), a, vt_cdiv(s, b, vt_int(s, 4)));
    }
}

static bool same(double x, double y) {
    if (isnan(x) && isnan(y)) return true;
    if (isinf(x) || isinf(y)) return x == y;
    return fabs(x - y) <= 1e-9 * (1 + fabs(x) + fabs(y));
}

TEST(verify_normalize_random_int_terms_keep_their_value) {
    vt_store *s = vt_store_new();
    rng r;
    rng_seed(&r, 42);
    tvars tv = {{vt_var(s, "a", VS_INT), vt_var(s, "b", VS_INT), vt_var(s, "c", VS_INT)}, {0, 1, -5}, {10, 8, 5}};
    nf_ctx nf;
    nf_init(&nf, s);
    for (int i = 0; i < 3; i++) nf_add_range(&nf, tv.v[i], vt_int(s, tv.lo[i]), vt_int(s, tv.hi[i]));
    int checked = 0, bad = 0;
    for (int t = 0; t < 400; t++) {
        vt_id term = random_int_term(s, &r, &tv, 4), n = nf_term(&nf, term);
        CHECK(nf_term(&nf, n) == n);   /* idempotent */
        for (int k = 0; k < 30; k++) {
            double vals[3];
            for (int i = 0; i < 3; i++) vals[i] = (double)(tv.lo[i] + (int64_t)(rng_next(&r) % (uint64_t)(tv.hi[i] - tv.lo[i])));
            vt_env env = {tv.v, vals, 3, 7};
            double x, y;
            if (!vt_eval(s, term, &env, &x)) continue;
            bool ok = vt_eval(s, n, &env, &y) && same(x, y);
            if (!ok && bad++ < 3)
                printf("    %s\n    -> %s\n    at a=%g b=%g c=%g: %g vs %g\n", vt_str(s, term), vt_str(s, n), vals[0], vals[1], vals[2], x, y);
            checked++;
        }
    }
    CHECK(bad == 0);
    CHECK(checked > 5000);
    nf_free(&nf);
    vt_store_free(s);
}

static vt_id random_real_term(vt_store *s, rng *r, const vt_id *x, int depth) {
    int pick = (int)(rng_next(r) % (depth <= 0 ? 2 : 9));
    if (pick == 0) return x[rng_next(r) % 2];
    if (pick == 1) return vt_real(s, vt_rat_make((int64_t)(rng_next(r) % 7) - 3, 2));
    vt_id a = random_real_term(s, r, x, depth - 1), b = random_real_term(s, r, x, depth - 1);
    switch (pick) {
    case 2: return vt_add(s, a, b);
    case 3: return vt_sub(s, a, b);
    case 4: return vt_mul(s, a, b);
    case 5: return vt_div(s, a, vt_app1(s, "exp", VS_REAL, b));
    case 6: return vt_app1(s, "exp", VS_REAL, a);
    case 7: return vt_div(s, a, vt_add(s, b, vt_real_int(s, 3)));
    default: return vt_max(s, a, b);
    }
}

TEST(verify_normalize_random_real_terms_keep_their_value) {
    vt_store *s = vt_store_new();
    rng r;
    rng_seed(&r, 7);
    vt_id x[2] = {vt_var(s, "x", VS_REAL), vt_var(s, "y", VS_REAL)};
    nf_ctx nf;
    nf_init(&nf, s);
    int bad = 0, checked = 0;
    for (int t = 0; t < 300; t++) {
        vt_id term = random_real_term(s, &r, x, 3), n = nf_term(&nf, term);
        CHECK(nf_term(&nf, n) == n);
        for (int k = 0; k < 10; k++) {
            double vals[2] = {rng_uniform(&r, -2, 2), rng_uniform(&r, -2, 2)};
            vt_env env = {x, vals, 2, 3};
            double a, b;
            if (!vt_eval(s, term, &env, &a) || !isfinite(a)) continue;
            bool ok = vt_eval(s, n, &env, &b) && fabs(a - b) <= 1e-6 * (1 + fabs(a));
            if (!ok && bad++ < 3) printf("    %s\n    -> %s: %g vs %g\n", vt_str(s, term), vt_str(s, n), a, b);
            checked++;
        }
    }
    CHECK(bad == 0);
    CHECK(checked > 1000);
    nf_free(&nf);
    vt_store_free(s);
}

TEST(verify_normalize_divmod_with_ranges) {
    vt_store *s = vt_store_new();
    nf_ctx nf;
    nf_init(&nf, s);
    vt_id B = vt_var(s, "B", VS_INT), L = vt_var(s, "L", VS_INT), p = vt_var(s, "p", VS_INT), N = vt_var(s, "N", VS_INT);
    nf_add_range(&nf, B, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, N, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, L, vt_int(s, 0), B);
    nf_add_range(&nf, p, vt_int(s, 0), VT_NONE);
    vt_id off = vt_add(s, vt_mul(s, p, B), L);
    CHECK(nf_term(&nf, vt_fdiv(s, off, B)) == p);                  /* (p*B + L) // B = p */
    CHECK(nf_term(&nf, vt_fmod(s, off, B)) == L);                  /* (p*B + L) % B = L */
    CHECK(nf_term(&nf, vt_tdiv(s, off, B)) == p);                  /* C division of nonnegatives */
    int64_t v;
    CHECK(nf_const(&nf, vt_cdiv(s, B, B), &v) && v == 1);          /* cdiv(B, B) = 1 */
    vt_id ns = vt_cdiv(s, N, B);
    CHECK(nf_const(&nf, vt_sub(s, ns, vt_sub(s, ns, vt_int(s, 1))), &v) && v == 1);
    CHECK(nf_term(&nf, vt_lt(s, L, B)) == vt_bool(s, true));       /* a lane is below its block */
    /* d * (x // d) + x % d = x */
    vt_id x = vt_add(s, N, p);
    CHECK(nf_term(&nf, vt_add(s, vt_mul(s, B, vt_fdiv(s, x, B)), vt_fmod(s, x, B))) == nf_term(&nf, x));
    /* a range of one value */
    vt_id q = vt_var(s, "q", VS_INT);
    nf_add_range(&nf, q, vt_int(s, 0), vt_int(s, 1));
    CHECK(nf_term(&nf, vt_add(s, q, N)) == N);
    nf_free(&nf);
    vt_store_free(s);
}

TEST(verify_normalize_inverse_cancels_only_when_nonzero) {
    vt_store *s = vt_store_new();
    nf_ctx nf;
    nf_init(&nf, s);
    vt_id x = vt_var(s, "x", VS_REAL), y = vt_var(s, "y", VS_REAL);
    vt_id e = vt_app1(s, "exp", VS_REAL, y);
    /* exp(y) > 0: (x / exp(y)) * exp(y) = x */
    CHECK(nf_term(&nf, vt_mul(s, vt_div(s, x, e), e)) == x);
    /* y may be 0: (x / y) * y stays */
    CHECK(nf_term(&nf, vt_mul(s, vt_div(s, x, y), y)) != x);
    nf_free(&nf);
    vt_store_free(s);
}

/* 1/(a*b) = (1/a)*(1/b) only when both are nonzero; a sum of exp over a range is nonzero only
 * when the range is provably nonempty. */
TEST(verify_normalize_inverse_of_products_and_exp_sums) {
    vt_store *s = vt_store_new();
    nf_ctx nf;
    nf_init(&nf, s);
    vt_id x = vt_var(s, "x", VS_REAL), y = vt_var(s, "y", VS_REAL), z = vt_var(s, "z", VS_REAL);
    vt_id ey = vt_app1(s, "exp", VS_REAL, y), ez = vt_app1(s, "exp", VS_REAL, z);
    vt_id one = vt_real_int(s, 1);
    /* 1/(exp(y) * (1/exp(z))) = exp(z) / exp(y) */
    vt_id moved = vt_div(s, one, vt_mul(s, ey, vt_div(s, one, ez)));
    CHECK(nf_term(&nf, moved) == nf_term(&nf, vt_div(s, ez, ey)));
    /* x may be 0: 1/(x * (1/exp(z))) is not split, so (x/x) does not appear to cancel */
    vt_id unsure = vt_mul(s, x, vt_div(s, one, vt_mul(s, x, vt_div(s, one, ez))));
    CHECK(nf_term(&nf, unsure) != nf_term(&nf, ez));
    /* sum(k in 0..n: exp(k*y)): nonzero when 1 <= n, else not known to be */
    vt_id n = vt_var(s, "n", VS_INT), m = vt_var(s, "m", VS_INT), k = vt_var(s, "k", VS_INT);
    vt_id body = vt_app1(s, "exp", VS_REAL, vt_mul(s, vt_toreal(s, k), y));
    vt_id sum_n = vt_red_over(s, VR_SUM, k, vt_int(s, 0), n, body);
    vt_id sum_m = vt_red_over(s, VR_SUM, k, vt_int(s, 0), m, body);
    nf_add_range(&nf, n, vt_int(s, 1), vt_int(s, 10));
    nf_add_range(&nf, m, vt_int(s, 0), vt_int(s, 10));
    CHECK(nf_term(&nf, vt_mul(s, vt_div(s, x, sum_n), sum_n)) == x);
    CHECK(nf_term(&nf, vt_mul(s, vt_div(s, x, sum_m), sum_m)) != x);
    nf_free(&nf);
    vt_store_free(s);
}

/* Divisibility facts (x % d == 0 asserted by the caller): the documented rewrites, and every
 * rewrite keeps the value at points where the fact holds (a = b * k). */
TEST(verify_normalize_divisibility_facts) {
    vt_store *s = vt_store_new();
    nf_ctx nf;
    nf_init(&nf, s);
    vt_id K = vt_var(s, "K", VS_INT), B = vt_var(s, "B", VS_INT);
    nf_add_range(&nf, K, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, B, vt_int(s, 1), VT_NONE);
    vt_id fact = nf_term(&nf, vt_eq(s, vt_fmod(s, K, B), vt_int(s, 0))), x, d;
    CHECK(nf_is_divisible_fact(&nf, fact, &x, &d) && x == K && d == B);
    nf_add_divisible(&nf, x, d);
    vt_id q = vt_fdiv(s, K, B);
    CHECK(nf_term(&nf, vt_fmod(s, K, B)) == vt_int(s, 0));
    CHECK(nf_term(&nf, vt_fdiv(s, vt_sub(s, K, vt_int(s, 1)), B)) == nf_term(&nf, vt_sub(s, q, vt_int(s, 1))));
    CHECK(nf_term(&nf, vt_mul(s, B, vt_cdiv(s, K, B))) == K);   /* B * cdiv(K, B) = K */
    /* without the fact none of that holds */
    nf_ctx plain;
    nf_init(&plain, s);
    nf_add_range(&plain, K, vt_int(s, 1), VT_NONE);
    nf_add_range(&plain, B, vt_int(s, 1), VT_NONE);
    CHECK(nf_term(&plain, vt_mul(s, B, vt_cdiv(s, K, B))) != K);
    nf_free(&plain);
    nf_free(&nf);

    /* randomized: a multiple of b */
    rng r;
    rng_seed(&r, 99);
    tvars tv = {{vt_var(s, "a", VS_INT), vt_var(s, "b", VS_INT), vt_var(s, "c", VS_INT)}, {0, 1, -5}, {40, 8, 5}};
    nf_init(&nf, s);
    for (int i = 0; i < 3; i++) nf_add_range(&nf, tv.v[i], vt_int(s, tv.lo[i]), vt_int(s, tv.hi[i]));
    nf_add_divisible(&nf, tv.v[0], tv.v[1]);
    int checked = 0, bad = 0;
    for (int t = 0; t < 400; t++) {
        vt_id term = random_int_term(s, &r, &tv, 4), n = nf_term(&nf, term);
        for (int k = 0; k < 30; k++) {
            double vals[3];
            vals[1] = (double)(1 + (int64_t)(rng_next(&r) % 7));
            vals[0] = vals[1] * (double)(rng_next(&r) % 5);
            vals[2] = (double)(-5 + (int64_t)(rng_next(&r) % 10));
            vt_env env = {tv.v, vals, 3, 7};
            double a, b;
            if (!vt_eval(s, term, &env, &a)) continue;
            bool ok = vt_eval(s, n, &env, &b) && same(a, b);
            if (!ok && bad++ < 3)
                printf("    %s\n    -> %s\n    at a=%g b=%g c=%g: %g vs %g\n", vt_str(s, term), vt_str(s, n), vals[0], vals[1], vals[2], a, b);
            checked++;
        }
    }
    CHECK(bad == 0);
    CHECK(checked > 5000);
    nf_free(&nf);
    vt_store_free(s);
}

/* Interval reasoning with constant upper bounds: x % min(g, 2) < 2, (i // B) * min(g, 2) + w
 * below 2 * (1 + (N - 1) // B) when w < min(g, 2) and i < N; but not x % g < 2. */
TEST(verify_normalize_constant_upper_bounds) {
    vt_store *s = vt_store_new();
    nf_ctx nf;
    nf_init(&nf, s);
    vt_id p = vt_var(s, "p", VS_INT), g = vt_var(s, "g", VS_INT), B = vt_var(s, "B", VS_INT), N = vt_var(s, "N", VS_INT);
    vt_id i = vt_var(s, "i", VS_INT), w = vt_var(s, "w", VS_INT);
    nf_add_range(&nf, p, vt_int(s, 0), VT_NONE);
    nf_add_range(&nf, g, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, B, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, N, vt_int(s, 1), VT_NONE);
    nf_add_range(&nf, i, vt_int(s, 0), N);
    vt_id m = vt_min(s, g, vt_int(s, 2));
    nf_add_range(&nf, w, vt_int(s, 0), m);
    CHECK(nf_term(&nf, vt_lt(s, vt_fmod(s, p, m), vt_int(s, 2))) == vt_bool(s, true));
    vt_id lhs = vt_add(s, vt_mul(s, vt_fdiv(s, i, B), m), w);
    vt_id rhs = vt_mul(s, vt_int(s, 2), vt_add(s, vt_int(s, 1), vt_fdiv(s, vt_sub(s, N, vt_int(s, 1)), B)));
    CHECK(nf_term(&nf, vt_lt(s, lhs, rhs)) == vt_bool(s, true));
    CHECK(nf_term(&nf, vt_lt(s, vt_fmod(s, p, g), vt_int(s, 2))) != vt_bool(s, true));
    nf_free(&nf);
    vt_store_free(s);
}
