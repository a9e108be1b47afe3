/* constants: the table of named constants and literal recognition; see constants.h. */
#include "simplify/constants.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Printed as the manifests' expected formulas spell them (the formula language has no pi,
 * so sqrt(2/pi) keeps pi as its double). */
static const named_constant table[] = {
    {"const-sqrt2", "sqrt(2)", 1.4142135623730951},
    {"const-inv-sqrt2", "1 / sqrt(2)", 0.7071067811865476},
    {"const-sqrt-2-over-pi", "sqrt(2 / 3.141592653589793)", 0.7978845608028654},
    {"const-log2e", "1 / log(2)", 1.4426950408889634},
    {"const-ln2", "log(2)", 0.6931471805599453},
};

#define MIN_DIGITS 6

int constants_written_digits(double v) {
    if (!isfinite(v) || v == 0) return 1;
    char buf[40];
    for (int d = 1; d <= 17; d++) {
        snprintf(buf, sizeof buf, "%.*g", d, v);
        if (strtod(buf, NULL) == v) return d;
    }
    return 17;
}

const named_constant *constants_recognize(double v) {
    v = fabs(v);
    if (!isfinite(v) || v == 0) return NULL;
    int digits = constants_written_digits(v);
    if (digits < MIN_DIGITS) return NULL;
    /* one unit in the last written digit */
    double unit = pow(10, floor(log10(v)) - (digits - 1));
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (fabs(v - table[i].value) < unit) return &table[i];
    return NULL;
}

bool constants_is_named_literal(double v) { return v == 3.141592653589793 || v == 2.718281828459045; }
