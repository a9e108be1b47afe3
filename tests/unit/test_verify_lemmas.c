/* Unit tests of lemma rules of src/verify/lemmas.c that need no prover: unit-range (a reduction
 * over exactly one element is that element) and exp-inf (exp(-inf) = 0), and that they do not
 * fire where they would be wrong (a range of two elements, or of a length not provably 1;
 * exp(+inf), exp of a possibly infinite value). */
#include "test.h"
#include "verify/verify_internal.h"

typedef struct lfix { vctx X; arena a; nf_ctx nf; verify_options opt; } lfix;

static void lfix_init(lfix *f) {
    memset(f, 0, sizeof *f);
    arena_init(&f->a);
    f->X.a = &f->a;
    verify_options_default(&f->opt);
    f->X.opt = &f->opt;
    f->X.s = vt_store_new();
    nf_init(&f->nf, f->X.s);
}

static void lfix_free(lfix *f) {
    nf_free(&f->nf);
    vec_free(&f->X.patterns_used);
    vt_store_free(f->X.s);
    arena_free(&f->a);
}

/* a prover with no hypotheses and no z3 behind its normalizer: only rules without side
 * conditions to prove can fire */
static vt_id rw(lfix *f, vt_id t) {
    vprover p;
    memset(&p, 0, sizeof p);
    p.X = &f->X;
    p.nf = &f->nf;
    return lemmas_rewrite(&f->X, &p, nf_term(&f->nf, t));
}
static vt_id nf(lfix *f, vt_id t) { return nf_term(&f->nf, t); }

TEST(verify_lemma_unit_range_is_the_element) {
    lfix f;
    lfix_init(&f);
    vt_store *s = f.X.s;
    vt_id k = vt_var(s, "k", VS_INT), a = vt_var(s, "a", VS_INT), N = vt_var(s, "N", VS_INT);
    nf_add_range(&f.nf, N, vt_int(s, 1), VT_NONE);
    vt_id g = vt_app1(s, "mem:x", VS_REAL, vt_add(s, vt_mul(s, N, k), a));
    /* sum, max over a..a+1 and argmax over it */
    vt_id hi = vt_add(s, a, vt_int(s, 1));
    vt_id at_a = nf(&f, vt_subst(s, g, k, a));
    CHECK(rw(&f, vt_red_over(s, VR_SUM, k, a, hi, g)) == at_a);
    CHECK(rw(&f, vt_red_over(s, VR_MAX, k, a, hi, g)) == at_a);
    CHECK(rw(&f, vt_red_over(s, VR_ARGMAX, k, a, hi, g)) == nf(&f, a));
    /* must not fire: two elements, or an extent that is only possibly 1 */
    vt_id two = vt_red_over(s, VR_SUM, k, a, vt_add(s, a, vt_int(s, 2)), g);
    CHECK(rw(&f, two) != at_a);
    CHECK(vt_kind_of(s, rw(&f, two)) == VK_RED);
    vt_id maybe = vt_red_over(s, VR_SUM, k, vt_int(s, 0), N, g);
    CHECK(vt_kind_of(s, rw(&f, maybe)) == VK_RED);
    lfix_free(&f);
}

TEST(verify_lemma_exp_of_minus_inf_is_zero_only) {
    lfix f;
    lfix_init(&f);
    vt_store *s = f.X.s;
    vt_id x = vt_app1(s, "mem:x", VS_REAL, vt_int(s, 0));
    vt_id e_minus = vt_app1(s, "exp", VS_REAL, vt_inf(s, -1));
    vt_id e_plus = vt_app1(s, "exp", VS_REAL, vt_inf(s, 1));
    vt_id zero = vt_real_int(s, 0);
    CHECK(rw(&f, e_minus) == zero);
    CHECK(rw(&f, vt_add(s, vt_app1(s, "exp", VS_REAL, x), e_minus)) == nf(&f, vt_app1(s, "exp", VS_REAL, x)));
    CHECK(rw(&f, e_plus) != zero);
    /* exp of a value that is only possibly -inf stays */
    vt_id c = vt_lt(s, vt_var(s, "i", VS_INT), vt_var(s, "N", VS_INT));
    vt_id masked = vt_app1(s, "exp", VS_REAL, vt_ite(s, c, x, vt_inf(s, -1)));
    CHECK(rw(&f, masked) != zero);
    lfix_free(&f);
}

/* The normal form's online-softmax simplifications: exp(0) = 1, and `m == -inf` is false for
 * a max seeded by a finite value only. */
TEST(verify_normalize_online_rescale_cancellations) {
    lfix f;
    lfix_init(&f);
    vt_store *s = f.X.s;
    vt_id c = vt_var(s, "c", VS_BOOL);
    vt_id x = vt_app1(s, "mem:x", VS_REAL, vt_int(s, 0)), m = vt_app1(s, "mem:x", VS_REAL, vt_int(s, 1));
    vt_id ninf = vt_inf(s, -1);
    vt_id maybe = vt_ite(s, c, m, ninf);
    CHECK(vt_is_one(s, nf(&f, vt_app1(s, "exp", VS_REAL, vt_real_int(s, 0)))));
    CHECK(nf(&f, vt_eq(s, ninf, vt_max(s, x, maybe))) == vt_bool(s, false));
    CHECK(nf(&f, vt_eq(s, ninf, maybe)) != vt_bool(s, false));
    lfix_free(&f);
}

/* concat with a common factor: F*sum(0..A: g) + F*sum(A..B: g) = F*sum(0..B: g); with different
 * factors the sums stay apart. */
TEST(verify_lemma_concat_keeps_a_common_factor) {
    lfix f;
    lfix_init(&f);
    vt_store *s = f.X.s;
    vt_id k = vt_var(s, "k", VS_INT), A = vt_var(s, "A", VS_INT), D = vt_var(s, "D", VS_INT);
    nf_add_range(&f.nf, A, vt_int(s, 0), VT_NONE);
    nf_add_range(&f.nf, D, vt_int(s, 0), VT_NONE);
    vt_id B = vt_add(s, A, D);
    vt_id g = vt_app1(s, "mem:x", VS_REAL, k);
    vt_id F = vt_app1(s, "mem:y", VS_REAL, vt_int(s, 0)), G = vt_app1(s, "mem:y", VS_REAL, vt_int(s, 1));
    vt_id lo_part = vt_red_over(s, VR_SUM, k, vt_int(s, 0), A, g), hi_part = vt_red_over(s, VR_SUM, k, A, B, g);
    vt_id whole = nf(&f, vt_mul(s, F, vt_red_over(s, VR_SUM, k, vt_int(s, 0), B, g)));
    CHECK(rw(&f, vt_add(s, vt_mul(s, F, lo_part), vt_mul(s, F, hi_part))) == whole);
    vt_id apart = rw(&f, vt_add(s, vt_mul(s, F, lo_part), vt_mul(s, G, hi_part)));
    CHECK(apart != whole && apart != nf(&f, vt_mul(s, G, vt_red_over(s, VR_SUM, k, vt_int(s, 0), B, g))));
    lfix_free(&f);
}

TEST(verify_lemma_empty_range_is_the_identity) {
    lfix f;
    lfix_init(&f);
    vt_store *s = f.X.s;
    vt_id k = vt_var(s, "k", VS_INT), a = vt_var(s, "a", VS_INT), M = vt_var(s, "M", VS_INT);
    nf_add_range(&f.nf, M, vt_int(s, 0), VT_NONE);
    vt_id g = vt_app1(s, "mem:x", VS_REAL, k);
    /* a..a and a..a-1 are empty: sum 0, product 1, max -inf, min +inf */
    CHECK(rw(&f, vt_red_over(s, VR_SUM, k, a, a, g)) == vt_real_int(s, 0));
    CHECK(rw(&f, vt_red_over(s, VR_PROD, k, a, vt_sub(s, a, vt_int(s, 1)), g)) == vt_real_int(s, 1));
    CHECK(rw(&f, vt_red_over(s, VR_MAX, k, a, a, g)) == vt_inf(s, -1));
    CHECK(rw(&f, vt_red_over(s, VR_MIN, k, a, a, g)) == vt_inf(s, 1));
    /* integers: a sum is 0; a max has no identity (the SMT encoding gives it none either) */
    vt_id gi = vt_app1(s, "mem:t", VS_INT, k);
    CHECK(rw(&f, vt_red_over(s, VR_SUM, k, a, a, gi)) == vt_int(s, 0));
    CHECK(vt_kind_of(s, rw(&f, vt_red_over(s, VR_MAX, k, a, a, gi))) == VK_RED);
    /* 0..M with M >= 0 may be empty or not: it stays a reduction */
    CHECK(vt_kind_of(s, rw(&f, vt_red_over(s, VR_MAX, k, vt_int(s, 0), M, g))) == VK_RED);
    lfix_free(&f);
}
