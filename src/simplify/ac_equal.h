/* ac_equal: whether two formulas are equal up to commutativity and associativity — how a
 * simplified formula is compared with the manifest's expected one.
 *
 * Both sides are put in a canonical text: sums (with their inverse, subtraction and negation)
 * become sorted lists of signed terms, products (with division) sorted lists of factors with
 * exponent +-1 — the AC normal form of the abelian groups (+, -) and (*, /): a - (b + c) equals
 * a - b - c, x * (1 / y) equals x / y, -(a * b) equals (-a) * b; factors 1 are dropped. Binary
 * max and min are flattened and sorted; a > b is b < a; == and != are symmetric. Bound
 * variables are named by nesting level and equation indices by position, so alpha-renamed
 * formulas compare equal; equations are matched by output name. Nothing else is identified:
 * x * x is not x ^ 2, pow(x, 2) is not x ^ 2, 2 * x is not x + x.
 *
 * The `unfold` variant also expands the definitions sigmoid(a) = 1 / (1 + exp(-a)) and
 * rsqrt(a) = 1 / sqrt(a) on both sides (used to report spelling-only differences). */
#ifndef VLIFT_SIMPLIFY_AC_EQUAL_H
#define VLIFT_SIMPLIFY_AC_EQUAL_H
#include "formula/formula.h"

bool ac_equal_formula(const formula *a, const formula *b);
bool ac_equal_formula_unfold(const formula *a, const formula *b);
/* The canonical text of an expression (caller frees); for tests and diagnostics. */
char *ac_canonical_expr(const fexpr *e, bool unfold);

#endif
