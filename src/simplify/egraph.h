/* egraph: the e-graph — e-classes of equal terms over the language of language.h, with
 *
 *   - a hash-cons from canonical e-node to its class, so every term is stored once;
 *   - a union-find over class ids (union by size, path halving);
 *   - deferred rebuilding (egg's): union only records the merge and queues the parents of the
 *     absorbed class; egraph_rebuild() restores the invariants in bulk — congruence closure
 *     (two e-nodes with the same operator and equal children end up in one class), canonical
 *     and sorted class node lists, and the analysis facts propagated to a fixpoint. The runner
 *     rebuilds once per iteration; matching needs a rebuilt graph.
 *
 * Everything is deterministic: ids are handed out in order of creation and every list is
 * processed in a fixed order, so the same input and rules give the same e-graph. Not thread
 * safe; one e-graph per simplification. */
#ifndef VLIFT_SIMPLIFY_EGRAPH_H
#define VLIFT_SIMPLIFY_EGRAPH_H
#include "simplify/analysis.h"
#include "simplify/language.h"
#include <stddef.h>

typedef struct id_list {
    uint32_t *items;
    uint32_t len, cap;
} id_list;

typedef struct eclass {
    id_list nodes;           /* node indices; canonical, sorted, distinct after a rebuild */
    id_list parents;         /* nodes that have this class as a child (may repeat) */
    class_data data;
} eclass;

typedef struct egraph {
    enode *nodes;            /* every e-node ever added, by index */
    eclass_id *node_class;   /* the class each node was added to (find() it) */
    uint32_t n_nodes, cap_nodes;

    eclass_id *uf_parent;    /* union-find over class ids */
    uint32_t *uf_size;
    eclass *classes;         /* by id; only canonical ids hold live data */
    uint32_t n_ids, cap_ids;
    uint32_t live_classes;

    uint32_t *memo;          /* hash-cons: open addressing over node indices */
    uint32_t memo_cap, memo_used;

    id_list pending;         /* nodes whose children were merged: re-canonicalize */
    id_list analysis_pending;   /* nodes whose children's data changed: re-make */

    char **syms;             /* interned names */
    uint8_t *sym_flags;      /* SYMF_* per name */
    uint32_t n_syms, cap_syms;
    uint32_t *sym_index;     /* open addressing name -> id */
    uint32_t sym_cap;

    uint64_t n_unions;       /* merges so far (the runner's "something changed") */
    uint64_t n_conflicts;    /* merges of classes with different exact constants: an unsound
                              * rule or analysis; always 0 (tests check it) */
    bool clean;              /* no union or addition since the last rebuild */
} egraph;

void egraph_init(egraph *g);
void egraph_free(egraph *g);

uint32_t egraph_intern(egraph *g, const char *name);
const char *egraph_sym_name(const egraph *g, uint32_t sym);
void egraph_set_sym_flags(egraph *g, uint32_t sym, uint8_t flags);   /* ORs flags in */
/* The bit standing for an equation index variable in class_data.free_indices (the 64th and
 * later index names share the last bit). */
uint64_t egraph_index_bit(const egraph *g, uint32_t sym);

eclass_id egraph_find(egraph *g, eclass_id c);
/* Adds n (children are canonicalized first) and returns its class; an existing equal node's
 * class if there is one. */
eclass_id egraph_add(egraph *g, const enode *n);
/* The class of n if the e-graph has it, else ECLASS_NONE; never adds. */
eclass_id egraph_lookup(egraph *g, const enode *n);
/* Merges two classes; true when they were different. Call egraph_rebuild() before matching. */
bool egraph_union(egraph *g, eclass_id a, eclass_id b);
void egraph_rebuild(egraph *g);

/* Convenience constructors. */
eclass_id egraph_add_num(egraph *g, double v);
eclass_id egraph_add_sym(egraph *g, const char *name);
eclass_id egraph_add_bvar(egraph *g, uint32_t index);
eclass_id egraph_add_op(egraph *g, eop op, int n, const eclass_id *kids);

static inline eclass *egraph_class(egraph *g, eclass_id c) { return &g->classes[egraph_find(g, c)]; }
static inline const class_data *egraph_data(egraph *g, eclass_id c) { return &egraph_class(g, c)->data; }

/* After a rebuild: the range of c's node list with operator op (nodes are sorted by op). */
void egraph_nodes_with_op(egraph *g, eclass_id c, eop op, uint32_t *first, uint32_t *end);

void id_list_push(id_list *l, uint32_t v);
void id_list_free(id_list *l);

#endif
