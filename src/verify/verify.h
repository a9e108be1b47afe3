/* verify: proves that a formula is what a kernel variant computes, for all sizes.
 *
 * Entry point: verify_formula(). It generates verification conditions (VCs) over the kernel's
 * syntax tree with symbolic sizes, symbolic block sizes (literal constexprs that size blocks
 * become symbols constrained only by the manifest's preconditions), a symbolic program id and
 * symbolic lanes; loops get invariants from the pattern library (patterns.c); the VCs are
 * normalized, rewritten with lemmas whose side conditions are proved (lemmas.c, axioms.c) and
 * discharged with z3 (smt.c). For every output tensor it proves
 *   - post-condition: every store lane writes, at a valid logical index, the formula's value;
 *   - coverage: every element of the output is written by some program and lane;
 *   - no conflict: follows, since every write of an element writes the formula's value there;
 * and for every load that it stays inside its tensor. Launch sequences are verified
 * compositionally: what a launch leaves in a buffer is the next launch's view of it.
 *
 * VERIFIED only when every VC is unsat. A satisfiable VC is replayed on the concrete
 * interpreter with the model's sizes and inputs (counterexample.c): a disagreement is a
 * counterexample (REFUTED); an agreement means the model is spurious (UNKNOWN, said so).
 *
 * Semantics model (also in the README): floats are the extended reals (IEEE +-inf and NaN
 * rules where a value may be infinite), casts between float types are the identity, integer
 * arithmetic is exact with Python // and % on Python numbers and C truncation on integer
 * tensors; sizes are integers >= 1; transcendental functions are uninterpreted with the axioms
 * of axioms.c; masked-off lanes loaded without `other=` are unspecified values. */
#ifndef VLIFT_VERIFY_H
#define VLIFT_VERIFY_H
#include "check/crosscheck.h"
#include "exec/launch.h"
#include "formula/formula.h"

typedef enum verify_status {
    VERIFY_VERIFIED,
    VERIFY_REFUTED,
    VERIFY_UNKNOWN,
    VERIFY_UNSUPPORTED,
    VERIFY_TIMEOUT,
    VERIFY_ERROR,
} verify_status;
const char *verify_status_name(verify_status s);   /* "VERIFIED", ... */

typedef struct verify_options {
    double timeout_s;          /* whole verification (0: none) */
    double query_timeout_s;    /* per SMT query (0: default 10 s) */
    bool no_patterns;          /* ablation: only the generic prefix-invariant template */
    bool uninterpreted_functions;  /* tenspiler-style: exp, log, sqrt, ... are bare uninterpreted
                                      functions — none of axioms.c's D1-D4, A1-A3, F1-F4 */
    bool fixed_blocks;         /* do not generalize literal block sizes */
    bool no_replay;            /* do not replay counterexamples */
    bool no_testing;           /* skip the concrete test before the proof (counterexample.c), which
                                  can only ever refute: for measuring what the proof alone finds */
    uint64_t seed;             /* replay inputs */
    bool debug;                /* print every VC to stderr as it is discharged (development) */
    bool in_prover_process;    /* set by isolate.c in its single-threaded prover process: each
                                  z3 query may then run in a process of its own (smt.h) */
} verify_options;

void verify_options_default(verify_options *o);

#define VERIFY_MAX_PATTERNS 12

/* Where a counterexample was found: the sizes, and whether the kernel ran with the manifest's
 * block sizes there (false: only a generalized block size shows the difference). */
typedef struct counterexample_point {
    size_point sizes;
    bool manifest_blocks;
} counterexample_point;

typedef struct verify_result {
    verify_status status;
    const char *blocks;        /* "symbolic" or "fixed" */
    const char *patterns[VERIFY_MAX_PATTERNS];
    int n_patterns;
    int vcs;                   /* verification conditions generated */
    int vcs_proved;
    int smt_queries;
    double smt_seconds;
    double seconds;
    int line;                  /* UNSUPPORTED: the construct's kernel line (0 if none) */
    char message[1024];        /* why not VERIFIED; counterexample; notes */
    char failed_vc[512];       /* the first VC that was not proved, as text */
    const char *failed_kind;   /* its kind ("post", "coverage", "load-bounds", ...; static), or NULL */
    counterexample_point cex;  /* REFUTED: where (lift reruns synthesis with these sizes) */
} verify_result;

/* Verifies formula f against one variant of op. Returns true when it ran (r->status says what
 * it found), false on bad input (r->status ERROR, r->message). */
bool verify_formula(const plan_op *op, const plan_variant *variant, const exec_sources *src, const formula *f,
                    const verify_options *opt, verify_result *r);

/* `vlift verify ...` (verify_cli.c). */
int cmd_verify(int argc, char **argv);

#endif
