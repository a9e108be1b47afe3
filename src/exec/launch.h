/* launch: runs one variant of an operator as the host would — allocates its tensors, evaluates
 * sizes, constexprs and preconditions, and executes its launch sequence (kernel launches over a
 * grid, guarded steps, recursive calls of other variants) in the concrete or symbolic domain.
 * This is the entry point of `vlift run` and `vlift spec` and of every later stage that needs
 * the kernel's behaviour at a fixed size. */
#ifndef VLIFT_LAUNCH_H
#define VLIFT_LAUNCH_H
#include "exec/interp.h"
#include "exec/plan.h"
#include "util/rng.h"

typedef enum exec_mode { EXEC_CONCRETE, EXEC_SYMBOLIC } exec_mode;

#define EXEC_DEFAULT_MAX_MEMORY_MB 1024

typedef struct exec_size { const char *name; int64_t value; } exec_size;

/* How concrete input values are drawn inside each tensor's range [lo, hi]. Uniform values
 * almost never tie and rarely make a whole row one sign, so tests that look for a wrong kernel
 * also draw from the low quarter of the range (a row of negatives when lo < 0) and from three
 * values only (ties for argmax/argmin, equal neighbours for scans). */
typedef enum exec_input_shape {
    EXEC_INPUTS_UNIFORM = 0,
    EXEC_INPUTS_LOW_QUARTER,
    EXEC_INPUTS_THREE_VALUES,
} exec_input_shape;

typedef struct exec_options {
    exec_mode mode;
    uint64_t seed;             /* inputs and unspecified values are drawn from it */
    exec_input_shape inputs;   /* concrete mode: how input values are drawn (default uniform) */
    uint64_t max_steps;        /* 0: default (10^8 statements and operations) */
    int64_t max_elements;      /* per buffer; 0: default (2^26) */
    int64_t max_memory_mb;     /* interpreter memory of one program instance (its values and
                                  blocks); 0: default (EXEC_DEFAULT_MAX_MEMORY_MB) */
    const exec_size *sizes;    /* overrides of the operator's default sizes */
    int n_sizes;
    term_store *terms;         /* symbolic mode: build terms in this store (shared by several
                                  runs, e.g. specs at several sizes); NULL: a store of the result's own */
} exec_options;

/* Parsed sources of an operator (parse once, run many times). */
typedef struct exec_sources {
    const ast_module **modules;
    int n;
} exec_sources;

bool exec_load_sources(arena *a, const plan_op *op, exec_sources *out, diag *err);

typedef struct exec_result {
    exec_memory mem;           /* buffers 0..n_tensors-1 are the operator's tensors in manifest order */
    int n_tensors;
    term_store *terms;         /* symbolic mode: the store holding every term of the result */
    bool owns_terms;           /* ... created for this run (freed with the result) */
    char bindings[512];        /* "M=4, N=8, TILE_N=8": the top-level sizes and constexprs */
    uint64_t steps;
    int n_launches;
    int64_t n_programs;
    double seconds;
    bool precondition_failed;  /* the variant does not apply at these sizes (err says which) */
    diag err;
} exec_result;

/* Runs `variant` of `op`. Returns false with r->err filled on any failure (r must still be
 * freed). */
bool exec_operator(const plan_op *op, const plan_variant *variant, const exec_sources *src,
                   const exec_options *opt, exec_result *r);
void exec_result_free(exec_result *r);

#endif
