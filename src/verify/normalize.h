/* normalize: a canonical form for vc_term terms, so that equal index arithmetic and equal
 * real-valued expressions become the same term (the same id): sums of monomials with exact
 * rational coefficients over canonical atoms (variables, applications, reductions with
 * normalized bodies, divisions, ...), conversions to Real pushed down to the atoms, and integer
 * floor division / modulo simplified: (q*d + r) // d = q + r // d, and r // d = 0, r % d = r when
 * 0 <= r < d is proved. Proofs of such range facts use interval reasoning over the known ranges
 * of variables first and, when that is not enough, the optional prover callback (z3 under the
 * caller's hypotheses). Terms that may be infinite are never rearranged as polynomials
 * (inf - inf is not 0): only their finite sub-terms are.
 *
 * Divisibility facts given by the caller (x % d == 0, a hypothesis such as a precondition
 * K % BLOCK_K == 0) are used as the factorization x = d * (x // d): (x + r) // d = x // d + r // d,
 * (x + r) % d = r % d, x % d = 0, and d * (x // d) = x.
 *
 * Every rewrite here is an identity of integer or real arithmetic; none has side conditions
 * other than the range facts it proves and the divisibility facts the caller asserts. */
#ifndef VLIFT_NORMALIZE_H
#define VLIFT_NORMALIZE_H
#include "verify/vc_term.h"

/* Proves `fact` (a Bool term) under the caller's hypotheses; false when not proved. */
typedef bool (*nf_prover)(void *ctx, vt_id fact);
/* A lower bound of an Int term known to the caller (facts proved once about program-map
 * expressions such as a swizzle's group size); false when none. */
typedef bool (*nf_lower_hint)(void *ctx, vt_id term, int64_t *lo);

typedef struct nf_range { vt_id var, lo, hi; } nf_range;   /* lo <= var < hi (either may be NONE) */

typedef struct nf_divisible { vt_id x, d; } nf_divisible;   /* x % d == 0, both in normal form */

typedef struct nf_ctx {
    vt_store *s;
    nf_range *ranges;          /* known ranges of variables (lanes, program ids, sizes >= 1, ...) */
    int n_ranges, cap_ranges;
    nf_prover prove;           /* may be NULL */
    nf_lower_hint hint;        /* may be NULL; called with prove_ctx */
    void *prove_ctx;
    nf_divisible *divisible;   /* divisibility facts (hypotheses of the caller) */
    int n_divisible, cap_divisible;
    /* memo of normalized terms for this context */
    vt_id *memo_key, *memo_val;
    size_t memo_cap, memo_n;
} nf_ctx;

void nf_init(nf_ctx *c, vt_store *s);
void nf_free(nf_ctx *c);
void nf_add_range(nf_ctx *c, vt_id var, vt_id lo, vt_id hi);
void nf_clear_memo(nf_ctx *c);
/* Asserts x % d == 0 (x a monomial in normal form, d >= 1 where it is used): the caller's
 * hypothesis, which every later normalization in this context assumes. */
void nf_add_divisible(nf_ctx *c, vt_id x, vt_id d);
/* Recognizes a divisibility hypothesis in normal form, `0 == x % d` (either side order). */
bool nf_is_divisible_fact(const nf_ctx *c, vt_id h, vt_id *x, vt_id *d);

vt_id nf_term(nf_ctx *c, vt_id t);

/* Facts about an Int term from the ranges: proved a >= 0, a > 0, a < b, a <= b. The
 * prover is consulted when interval reasoning does not settle it. */
bool nf_nonneg(nf_ctx *c, vt_id a);
bool nf_positive(nf_ctx *c, vt_id a);
bool nf_less(nf_ctx *c, vt_id a, vt_id b);
bool nf_leq(nf_ctx *c, vt_id a, vt_id b);
/* A constant value of a normalized Int term, if it is one. */
bool nf_const(nf_ctx *c, vt_id t, int64_t *v);

/* Polynomial view (for lemmas and decomposition): t = sum of coef_i * mono_i, mono_i a product
 * of atoms (VT_NONE for the constant monomial). Returns the number of monomials, at most max. */
typedef struct nf_mono { vt_rat coef; vt_id mono; } nf_mono;
int nf_poly(nf_ctx *c, vt_id t, nf_mono *out, int max);
/* The quotient of monomial m by monomial d when d divides m (as a product of atoms), else NONE. */
vt_id nf_mono_div(nf_ctx *c, vt_id m, vt_id d);
vt_id nf_from_poly(nf_ctx *c, vt_sort sort, const nf_mono *m, int n);

#endif
