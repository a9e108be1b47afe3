/* spec: the specification synthesis works from — one operator variant executed symbolically at
 * several small sizes chosen automatically, every run building its terms in one shared term
 * store. Per run it keeps each output element as a term over the input elements and symbolic
 * parameters, the concrete values of integer inputs, and the sizes.
 *
 * Size points: every size symbol first takes a base value (3 when the variant's preconditions
 * allow, else the cheapest combination of small values that runs), then, one symbol at a time,
 * values around the variant's block sizes (the integer constexprs of the base run): above a
 * block (B+1, a partial tile), several tiles plus a partial one (2B+1), exactly one block (B)
 * and below (2). Points where a precondition fails or the kernel faults are skipped; a bound on
 * output elements per run keeps the spec small. */
#ifndef VLIFT_SYNTH_SPEC_H
#define VLIFT_SYNTH_SPEC_H
#include "exec/launch.h"
#include "term/term.h"
#include "util/arena.h"
#include "util/diag.h"

#define SPEC_MAX_RUNS 24
#define SPEC_MAX_SIZES 8

typedef struct spec_tensor {
    const char *name;
    tensor_role role;
    bool is_float;
    int rank;
    int64_t shape[PLAN_MAX_RANK];
    int64_t numel;
    term_id *elems;        /* outputs: element terms, row-major logical order; TERM_NONE when
                              the kernel never wrote the element */
    int64_t *ints;         /* integer and boolean inputs: the concrete values of the run */
    double lo, hi;         /* inputs: the manifest's value range */
} spec_tensor;

typedef struct spec_run {
    int64_t sizes[SPEC_MAX_SIZES];   /* by the operator's size order */
    char bindings[512];              /* "M=3, N=5, TILE_N=8" as the run reported them */
    spec_tensor *tensors;            /* the operator's tensors, manifest order */
    double seconds;
} spec_run;

typedef struct spec {
    const plan_op *op;
    const plan_variant *variant;
    term_store *terms;               /* owned; freed by spec_free */
    spec_run runs[SPEC_MAX_RUNS];
    int n_runs;
    int n_sizes;                     /* min(op->n_sizes, SPEC_MAX_SIZES) */
    int attempts;                    /* symbolic runs tried (including skipped points) */
    double seconds;
} spec;

typedef struct spec_options {
    int64_t max_output_elements;     /* per run; 0: 600 */
    int max_runs;                    /* 0: SPEC_MAX_RUNS */
    const int64_t *fixed_sizes;      /* tests: run only at this one point (n_sizes values) */
    /* points run right after the base point (a verifier's counterexample sizes, n_sizes values
     * each, in the operator's size order), so that synthesis must explain them too */
    const int64_t (*extra_points)[SPEC_MAX_SIZES];
    int n_extra_points;
} spec_options;

/* Builds the spec (arena a holds everything but the term store). On failure returns false with
 * err set: DIAG_UNSUPPORTED for a construct the interpreter does not model (its message names
 * the construct and line), DIAG_ERROR for bad input or a variant that applies at none of the
 * candidate sizes. out must be freed with spec_free in every case. */
bool spec_build(arena *a, const plan_op *op, const plan_variant *v, const exec_sources *src,
                const spec_options *o, spec *out, diag *err);
void spec_free(spec *s);

/* Output elements no formula can describe: one the kernel never writes, or one that depends on
 * an unspecified value (a masked-off lane loaded without other=, memory never written). On a
 * defect, why names the first such element and its size point. */
typedef enum spec_defect { SPEC_DEFINED, SPEC_UNWRITTEN, SPEC_UNSPECIFIED } spec_defect;
spec_defect spec_check_outputs(const spec *s, char *why, int why_size);

/* "M=3, N=5": the sizes of run r. */
void spec_format_point(const spec *s, int r, char *buf, int size);
/* Index of a tensor / size symbol by name, or -1. */
int spec_tensor_index(const spec *s, const char *name);
int spec_size_index(const spec *s, const char *name);

#endif
