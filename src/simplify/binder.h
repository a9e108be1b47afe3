/* binder: moving a class across binders. A class matched inside the body of a reduction
 * refers to that reduction's bound variable as de Bruijn index 0, to the next enclosing one as
 * 1, ...; used in another binder context (a factor pulled out of a sum, a term pushed into
 * one, a nest of reductions rearranged) its bound variables must be renumbered. A bvar_map
 * says how: the class was seen under old_depth binders of a rule's left-hand side and is used
 * under new_depth binders of its right-hand side; map[j] is the new index of old binder j
 * (counted from the innermost, 0..old_depth-1) or -1 when that binder does not enclose the new
 * position — then the class must not mention it, and rebinding fails if it does. Variables
 * bound outside the rule's pattern (index >= old_depth) move by new_depth - old_depth.
 *
 * A class without free bound variables is its own rebinding (the common case: max(k: x[i,k])
 * is the same class inside and outside a sum). Otherwise a representative e-node whose
 * children can all be rebound is rebuilt (recursively, memoised, with a work budget so cyclic
 * or huge classes cannot stall a rewrite). Failure is always safe: the rewrite is skipped. */
#ifndef VLIFT_SIMPLIFY_BINDER_H
#define VLIFT_SIMPLIFY_BINDER_H
#include "simplify/egraph.h"

#define BINDER_MAX_DEPTH 16

typedef struct bvar_map {
    int old_depth, new_depth;
    int map[BINDER_MAX_DEPTH];
} bvar_map;

bool bvar_map_is_identity(const bvar_map *m);
/* The class c re-expressed under m; with add == false nothing is added to the e-graph (then
 * ECLASS_NONE also when the rebound term is not there yet). ECLASS_NONE on failure. */
eclass_id binder_rebind(egraph *g, eclass_id c, const bvar_map *m, bool add);
/* Whether bound variable `index` (relative to c's context) may occur free in c. */
bool binder_may_occur(egraph *g, eclass_id c, int index);

#endif
