/* simplify: the SIMPLIFICATION stage — turns a lifted (verified) formula into its textbook form
 * by equality saturation: the formula goes into an e-graph (egraph.h), the rule set (rules.c,
 * in the rule syntax of rewrite.h) is applied until saturation or a limit (run.h), and the
 * cheapest equivalent formula by a readability cost is extracted (extract.h). Max-subtraction
 * in softmax, exp2(x * log2(e)), rsqrt, 1 / (1 + exp(-x)), one-pass variances and dead -inf
 * guards disappear this way; general rules only, nothing keyed on operator names.
 *
 * How the result is known equal to the input (simplify_result.equality):
 *   "egraph"              every rewrite applied is an equality under its proved side condition
 *                         (analysis.h facts), so the e-graph's own equality proves it;
 *   "approximate: ..."    a documented approximation was used to choose the printed form: a
 *                         decimal literal recognised as a named constant (constants.h), e.g.
 *                         0.7071067811 printed as 1 / sqrt(2). Then the printed formula differs
 *                         from the input by that rounding; the caller re-verifies it or reports it.
 * Approximations never enter the e-graph's equalities: when the input has recognisable literals
 * a second copy of each equation, with the literals replaced, saturates alongside (sharing every
 * common subterm), and the cheaper of the two roots is printed.
 *
 * Domain assumed by guarded rules: inputs and parameters are finite reals, sizes are integers
 * >= 1 (simplify_options.sizes, or the names used as range bounds), equation indices >= 0.
 * The stage never prints; it is deterministic (same input, same output). */
#ifndef VLIFT_SIMPLIFY_H
#define VLIFT_SIMPLIFY_H
#include "formula/formula.h"
#include "util/arena.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct simplify_options {
    int iter_limit;              /* saturation iterations (default 30) */
    uint32_t node_limit;         /* e-nodes (default 10000) */
    double time_limit;           /* seconds of saturation (default 1.0; <= 0: none) */
    const char *const *sizes;    /* names of sizes (>= 1); NULL: the names used as range bounds */
    int n_sizes;
    bool no_approximations;      /* never print a recognised constant */
    const char *rules;           /* rule text replacing the built-in rules (tests); NULL: built-in */
} simplify_options;

void simplify_options_default(simplify_options *o);

typedef enum simplify_stop {
    SIMPLIFY_SATURATED, SIMPLIFY_ITER_LIMIT, SIMPLIFY_NODE_LIMIT, SIMPLIFY_TIME_LIMIT
} simplify_stop;
const char *simplify_stop_name(simplify_stop s);    /* "saturated", "iter", "nodes", "time" */

#define SIMPLIFY_MAX_FIRED 24

typedef struct simplify_result {
    formula *f;                  /* the simplified formula (in the caller's arena); the input when
                                  * simplification failed */
    int size_before, size_after; /* AST nodes */
    int iterations;
    uint32_t enodes, eclasses;
    uint64_t conflicts;          /* merged classes with different constants: 0 unless a rule is unsound */
    simplify_stop stop;
    double seconds;              /* the whole stage */
    bool approximate;
    char equality[512];          /* "egraph" or "approximate: <rule> (<literal> for <constant>, ...)" */
    /* rules whose application changed the e-graph, with counts, most first: "exp-sub 3, ..." */
    char rules_fired[512];
    char message[256];           /* why simplification failed (false return) */
} simplify_result;

/* Simplifies every equation of `in`. False (out->f = in, message set) when the formula uses
 * a construct the e-graph does not model or the rule text does not parse; limits are not
 * failures (out->stop says which one ended saturation). */
bool simplify_formula(arena *a, const formula *in, const simplify_options *opt, simplify_result *out);

/* `vlift simplify "FORMULA" ...`: the command line (simplify_cli.c). */
int cmd_simplify(int argc, char **argv);

#endif
