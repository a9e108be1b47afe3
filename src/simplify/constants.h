/* constants: recognising the named constants kernels write as decimal literals — sqrt(2),
 * 1/sqrt(2), sqrt(2/pi), log2(e) = 1/log(2), log(2) — and how they are printed.
 *
 * This is a documented APPROXIMATION rule, never an equality of the e-graph: the literal
 * 0.7071067811 (or even the correctly rounded 0.7071067811865476) is a rational number, not
 * 1/sqrt(2), so replacing it changes the formula's value by the literal's rounding. A literal
 * is recognised only within the precision it was written with: |v - c| < one unit in the last
 * written digit (kernels truncate as often as they round: 0.7071067811 for 0.70710678118...),
 * and only with at least 6 significant digits. The simplifier applies the rule only to choose
 * the printed form and records it (simplify.h: equality "approximate: ..."). */
#ifndef VLIFT_SIMPLIFY_CONSTANTS_H
#define VLIFT_SIMPLIFY_CONSTANTS_H
#include <stdbool.h>
#include <stddef.h>

typedef struct named_constant {
    const char *rule;        /* "const-inv-sqrt2" */
    const char *text;        /* printed form in the formula language: "1 / sqrt(2)" */
    double value;            /* the double nearest the constant */
} named_constant;

/* The named constant |v| stands for, or NULL. */
const named_constant *constants_recognize(double v);
/* Whether v is the double of a constant printed as a literal (pi, e): readable as one symbol. */
bool constants_is_named_literal(double v);
/* Significant digits of the shortest decimal that reads back as v (how the literal was written). */
int constants_written_digits(double v);

#endif
