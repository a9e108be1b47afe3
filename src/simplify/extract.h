/* extract: choosing, for every e-class, the term to print — the cheapest by a readability
 * cost that is monotone (an e-node costs its own weight plus its children's costs), computed
 * bottom-up to a fixpoint. Ties go to the older e-node (smaller index: closer to the input),
 * so extraction is deterministic and never rewrites what it has no reason to.
 *
 * The cost is AST size in tenths, with readability weights: a long decimal literal costs more
 * than a short one (so 1 / sqrt(2) beats 0.7071067811865476; pi counts as one symbol), exp2,
 * log2, rsqrt and pow(a, n) cost more than exp, log, 1 / sqrt and a ^ n, and ^ a little more
 * than other operators (x^2 beats x * x); a literal that rounds a named constant costs more than
 * the constant's spelling. See extract_node_cost.
 *
 * A reduction's body counts 5% more, which breaks ties between equal-sized forms in favour of
 * loop-invariant factors outside the reduction (alpha * sum(x * w), not sum(alpha * x * w)).
 * (Weighting bodies by a trip count was tried: it hoists invariants more eagerly, but then the
 * one-pass variance sum(x^2)/n - m^2 beats the textbook two-pass sum((x - m)^2)/n, so the
 * weight stays a tie-breaker; rules.c keeps work from moving into reductions instead.) */
#ifndef VLIFT_SIMPLIFY_EXTRACT_H
#define VLIFT_SIMPLIFY_EXTRACT_H
#include "simplify/egraph.h"

#define EXTRACT_INFINITE UINT64_MAX

/* Whether an e-node may be chosen (e.g. no access to an output that would make a definition
 * circular); NULL allows everything. */
typedef bool (*extract_filter)(void *ctx, egraph *g, const enode *n);

typedef struct extractor {
    uint64_t *cost;          /* by class id (canonical ids only) */
    uint32_t *best;          /* by class id: node index */
    uint32_t n;
} extractor;

uint64_t extract_node_cost(egraph *g, const enode *n);   /* the node's own weight */

void extract_compute(egraph *g, extract_filter filter, void *ctx, extractor *x);
void extract_free(extractor *x);
uint64_t extract_cost(egraph *g, const extractor *x, eclass_id c);
const enode *extract_best(egraph *g, const extractor *x, eclass_id c);   /* NULL: none allowed */

/* A whole right-hand side is not printed as a bare abbreviation (`y[i] = sigmoid(x[i])` says
 * no more than the operator's name): when the root class's best node is one, the cheapest node
 * of the class that is not an abbreviation and whose extraction does not lead back to the root
 * is chosen instead (its definition). Returns whether the root's choice changed. */
bool extract_unfold_root(egraph *g, extractor *x, eclass_id root);

#endif
