/* crosscheck: compares what a kernel computes with what a formula says, numerically. One
 * variant of an operator is run concretely (random inputs, fixed seed) at a list of size points
 * and every output element is compared with the formula evaluated on the same inputs.
 * This is `vlift check-suite` (kernel vs. the manifest's expected formula) and the final
 * CROSS-CHECK stage of lifting (kernel vs. the lifted formula at unseen sizes). */
#ifndef VLIFT_CROSSCHECK_H
#define VLIFT_CROSSCHECK_H
#include "exec/launch.h"
#include "formula/formula.h"

#define CROSSCHECK_MAX_SIZES 8

typedef struct size_point {
    exec_size sizes[CROSSCHECK_MAX_SIZES];
    int n;
} size_point;

typedef struct crosscheck_options {
    uint64_t seed;
    double rtol, atol;            /* |kernel - formula| <= atol + rtol * |formula| */
    exec_input_shape inputs;      /* how input values are drawn (default uniform) */
} crosscheck_options;

typedef struct crosscheck_result {
    bool ok;
    int points_run, points_skipped;   /* skipped: the variant's preconditions do not hold there */
    int64_t elements;                  /* output elements compared */
    int64_t mismatches;                /* at the first failing point */
    bool kernel_fault;                 /* the kernel misbehaved at a point (out-of-bounds access,
                                          write conflict, division by zero: DIAG_RUNTIME) */
    double max_error;                  /* largest |kernel - formula| / (atol + rtol*|formula|) seen, <= 1 when ok */
    char message[1024];                /* why not ok: the first mismatch ("at N=7: y[0,3]: kernel ... vs formula ...")
                                          or the kernel's / formula's error */
} crosscheck_result;

/* Is r concrete evidence against the formula: an element that differs or is never written, or
 * a kernel fault (out of bounds, write conflict) at sizes its preconditions allow? A construct
 * the interpreter does not model, a limit, or a formula that cannot be evaluated is not. */
bool crosscheck_refutes(const crosscheck_result *r);

/* The size points check-suite uses for an operator: each size symbol takes its check_sizes
 * (default: 1, its manifest default d, and 2d+3) with the other symbols at their defaults, plus
 * the points where every symbol takes its smallest and its largest value. Returns the count
 * (at most max). */
int crosscheck_size_points(const plan_op *op, size_point *points, int max);
void size_point_format(const size_point *p, char *buf, int size);

/* Runs the variant at each point and compares. Fills r; returns r->ok. */
bool crosscheck_variant(const plan_op *op, const plan_variant *v, const exec_sources *src, const formula *f,
                        const size_point *points, int n_points, const crosscheck_options *opt,
                        crosscheck_result *r);

#endif
