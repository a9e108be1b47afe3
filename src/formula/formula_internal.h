/* formula_internal: what the parser, printers and evaluator of the formula language share —
 * the table of built-in functions and reductions (name, arity) and the text printer's number
 * format. Not part of the public API (formula.h). */
#ifndef VLIFT_FORMULA_INTERNAL_H
#define VLIFT_FORMULA_INTERNAL_H
#include "formula/formula.h"
#include <stddef.h>

typedef enum ffunc {
    FF_NONE = -1,
    FF_EXP, FF_EXP2, FF_LOG, FF_LOG2, FF_SQRT, FF_RSQRT, FF_ABS, FF_ERF, FF_TANH, FF_SIGMOID,
    FF_SIN, FF_COS, FF_POW, FF_MAX, FF_MIN,
    FF_COUNT
} ffunc;

typedef enum freduce {
    FR_NONE = -1,
    FR_SUM, FR_PROD, FR_MAX, FR_MIN, FR_ARGMAX, FR_ARGMIN,
    FR_COUNT
} freduce;

/* FF_NONE / FR_NONE when name is not a function / reduction. */
ffunc formula_func_lookup(const char *name);
freduce formula_reduce_lookup(const char *name);
int formula_func_arity(ffunc f);
const char *formula_func_name(ffunc f);

/* The shortest decimal that reads back as v ("0.5", "1e-05", "2", "inf", "-3"); integers
 * below 1e17 are written out in full. buf needs 40 bytes. */
void formula_format_number(double v, char *buf, size_t size);

#endif
