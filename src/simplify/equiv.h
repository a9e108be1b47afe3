/* equiv: numeric agreement of two formulas on random inputs — the tests' (and the simplify
 * command's) evidence that a simplified formula still computes what its input did, without a
 * manifest. Sizes (names used as range bounds, or given) take small values; scalar parameters
 * random values in [0.5, 1.5]; tensor elements random values in [-2, 2], or integers in [0, 3)
 * for tensors used inside an index expression (targets such as t[i] in x[i, t[i]]). Every
 * output is compared at every index point in [0, 3)^rank with |a - b| <= 1e-9 + 1e-6 |b|
 * (loose enough for a printed named constant that replaced a truncated literal). Points where
 * both sides are undefined or non-finite are skipped; one side alone failing is a mismatch. */
#ifndef VLIFT_SIMPLIFY_EQUIV_H
#define VLIFT_SIMPLIFY_EQUIV_H
#include "formula/formula.h"
#include <stddef.h>
#include <stdint.h>

/* True when a and b agree at every compared point of `trials` random draws (and at least one
 * point was compared); otherwise false with the first disagreement in why. */
bool equiv_numeric(const formula *a, const formula *b, uint64_t seed, int trials, char *why, size_t why_size);

#endif
