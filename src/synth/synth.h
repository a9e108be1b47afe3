/* synth: synthesis — turns a kernel's symbolic spec (synth/spec.h) into a formula that agrees
 * with the kernel at every sampled size ("lifted"). For each output, top-down search splits the
 * family of its element terms by structure (constants, parameters, input accesses with inferred
 * index expressions, references to other outputs, reductions recognised from n-ary sum/product/
 * max/min trees over contiguous index ranges, splits at the root operator, piecewise where), and
 * the pieces it cannot split are found by bottom-up enumeration of the grammar (synth/grammar.c)
 * pruned by shape and by observational equivalence on sampled points of the spec. Every result
 * is checked against the spec at every sampled size: exactly (term equality after normalising
 * sums, products, max and min) where possible, otherwise numerically on random real inputs.
 *
 * The stage allocates its formula in the caller's arena and everything else on the heap, freed
 * before it returns; it never prints. */
#ifndef VLIFT_SYNTH_H
#define VLIFT_SYNTH_H
#include "formula/formula.h"
#include "synth/spec.h"

/* The grammar synthesis searches (synth/dialect.c). The restricted ones are the target languages
 * of the re-implemented baselines (lift/config.c). */
typedef enum synth_grammar {
    SYNTH_GRAMMAR_FULL,     /* vlift's grammar (synth/grammar.c) */
    SYNTH_GRAMMAR_TENSIR,   /* Tenspiler's TensIR: + - * /, reduce_sum/max/mul, ite, unary maps */
    SYNTH_GRAMMAR_TACO,     /* C2TACO's TACO index notation: + - * /, negation, sum reductions */
} synth_grammar;

typedef struct synth_weights synth_weights;   /* synth/guided.h */

typedef struct synth_options {
    bool topdown;           /* false: bottom-up only, over whole right-hand sides (ablation) */
    bool prune;             /* false: no observational-equivalence or shape pruning (ablation) */
    double time_limit;      /* seconds for the whole stage; <= 0: none */
    int max_size;           /* largest bottom-up candidate (AST nodes); 0: 10 */
    size_t max_memory_mb;   /* bound on the candidate banks; 0: 1024 */
    uint64_t seed;          /* random inputs of the sample points */
    synth_grammar grammar;  /* the productions bottom-up enumeration may use */
    bool growing_bounds;    /* bounded synthesis: fit the runs whose sizes are all <= a bound
                               (2, 4, 8, ...), check against every run, raise the bound when the
                               check fails (Tenspiler's bounded CEGIS over list lengths) */
    bool numeric_check_only;/* check results only on input/output examples (random inputs), never
                               by term equality (C2TACO) */
    const synth_weights *weights;   /* guided enumeration: production costs -log2 p (NULL: all 1) */
} synth_options;

void synth_options_default(synth_options *o);

typedef enum synth_status {
    SYNTH_OK,
    SYNTH_NO_FORMULA,       /* the grammar, up to its size or memory bound, has no matching formula */
    SYNTH_TIMEOUT,          /* the time limit expired */
    SYNTH_UNSPECIFIED,      /* an output element depends on an unspecified value */
    SYNTH_UNWRITTEN,        /* an output element is never written */
} synth_status;

typedef struct synth_stats {
    double seconds;
    long long candidates;   /* candidate expressions evaluated (bottom-up) or proposed (top-down) */
    long long pruned;       /* candidates dropped by observational equivalence or shape rules */
    int topdown_pieces;     /* families solved by top-down rules */
    int bottomup_pieces;    /* families solved by bottom-up enumeration */
    int outputs_exact;      /* outputs whose check held by term equality */
    int outputs_numeric;    /* ... by agreement on random inputs only */
} synth_stats;

typedef struct synth_result {
    synth_status status;
    formula *f;             /* SYNTH_OK: one equation per output, in manifest order */
    char message[512];      /* otherwise: why (names the output) */
    synth_stats stats;
} synth_result;

/* Synthesises a formula for the spec. Returns true when r->status is SYNTH_OK. */
bool synth_run(arena *a, const spec *sp, const synth_options *o, synth_result *r);

/* "exact", "numeric" or "exact+numeric": which check held for the result's outputs. */
const char *synth_check_kind(const synth_stats *s);

/* The number of AST nodes of a formula (its size as the CSV reports it). */
int formula_node_count(const formula *f);

#endif
