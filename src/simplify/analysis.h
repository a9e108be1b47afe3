/* analysis: the e-class analysis — what is known about the value of every class, for guarded
 * rewrites and for moving terms across binders:
 *
 *   - an exact constant: folded only when the real result is exactly the double (0.5 + 0.25
 *     folds, 0.1 + 0.2 does not; sqrt(4) folds, sqrt(2) does not), so folding never rounds;
 *   - sign and definedness facts: finite (a real number, not +-inf/NaN/undefined), nonzero,
 *     positive, nonnegative, negative, integer (with a lower bound for index expressions);
 *   - the de Bruijn indices of the bound variables free in the class (binder.h), and the
 *     equation index variables (i, j, ...) it depends on.
 *
 * The domain these facts assume (the formula's domain): tensor elements and scalar parameters
 * are finite reals, sizes are integers >= 1, the equation's index variables are integers
 * >= 0. Facts are a lattice: joining the data of two merged classes only adds facts and removes
 * free variables (two equal terms share every fact either has), so propagation terminates. */
#ifndef VLIFT_SIMPLIFY_ANALYSIS_H
#define VLIFT_SIMPLIFY_ANALYSIS_H
#include "simplify/language.h"
#include <stdbool.h>
#include <stdint.h>

enum {
    FACT_FINITE = 1 << 0,    /* a finite real (defined) */
    FACT_NONZERO = 1 << 1,
    FACT_POS = 1 << 2,       /* > 0 */
    FACT_NONNEG = 1 << 3,    /* >= 0 */
    FACT_NEG = 1 << 4,       /* < 0 */
    FACT_INT = 1 << 5,       /* an integer (int_lo is a lower bound when > INT64_MIN) */
};

/* What the free names of a formula are (set per interned symbol before nodes are added). */
enum { SYMF_SIZE = 1, SYMF_INDEX = 2, SYMF_INPUT = 4, SYMF_OUTPUT = 8 };

typedef struct class_data {
    uint32_t facts;
    bool has_const;          /* value is the class's exact value */
    double value;
    uint64_t free_bvars;     /* bit i: bound variable i may occur free; bit 63 also stands for all >= 63 */
    uint64_t free_indices;   /* equation index variables the value may depend on (egraph_index_bit) */
    int64_t int_lo;          /* FACT_INT: a lower bound (INT64_MIN: unknown) */
} class_data;

struct egraph;

/* The data of one e-node from its children's (children need not be canonical). */
class_data analysis_make(struct egraph *g, const enode *n);
/* Joins from into *into; true when *into changed. */
bool analysis_join(class_data *into, const class_data *from);
/* After a class's data changed: a constant class gets its number node (and is merged with it). */
void analysis_modify(struct egraph *g, eclass_id c);

/* Facts the rule conditions ask about. */
bool analysis_nonempty_range(struct egraph *g, eclass_id lo, eclass_id hi);   /* lo < hi for sure */

/* Exact arithmetic on doubles: true (and *out) only when the real result is exactly a double. */
bool exact_add(double a, double b, double *out);
bool exact_mul(double a, double b, double *out);
bool exact_div(double a, double b, double *out);
bool exact_sqrt(double a, double *out);

#endif
