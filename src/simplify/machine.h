/* machine: e-matching — finding every substitution under which a rule's left-hand side
 * occurs in the e-graph. Candidate roots come from an index of the classes holding each
 * operator (built once per iteration after the rebuild); below the root, each pattern node
 * enumerates the class's e-nodes of its operator (a binary search in the sorted class list),
 * binds variables on first sight and compares them afterwards (a variable seen again under
 * other binders is compared after renumbering, binder.h). Matches come out in a fixed order:
 * classes by id, e-nodes by content. */
#ifndef VLIFT_SIMPLIFY_MACHINE_H
#define VLIFT_SIMPLIFY_MACHINE_H
#include "simplify/rewrite.h"

typedef struct op_index {
    id_list by_op[EOP_COUNT];   /* canonical classes having an e-node of each operator, by id */
} op_index;

void op_index_build(egraph *g, op_index *ix);   /* rebuilds g first if needed */
void op_index_free(op_index *ix);

typedef struct match_list {
    match *items;
    size_t len, cap;
} match_list;

void match_list_free(match_list *l);

/* Appends the matches of r's left-hand side. Stops and returns false once more than `limit`
 * were found (the scheduler then bans the rule for a while). */
bool machine_search(egraph *g, const op_index *ix, const rewrite *r, size_t limit, match_list *out);

#endif
