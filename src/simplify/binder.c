/* binder: renumbering the bound variables of a class; see binder.h. */
#include "simplify/binder.h"
#include "util/arena.h"
#include "util/hash.h"
#include <stdlib.h>
#include <string.h>

#define WORK_BUDGET 4000     /* e-nodes visited per rebinding */
#define IN_PROGRESS (ECLASS_NONE - 1)
#define FAILED (ECLASS_NONE - 2)

typedef struct memo_entry {
    eclass_id cls;
    int cutoff;
    eclass_id result;        /* ECLASS_NONE: empty slot */
} memo_entry;

typedef struct rebinder {
    egraph *g;
    const bvar_map *m;
    bool add;
    int budget;
    memo_entry *memo;
    uint32_t cap, used;
} rebinder;

bool bvar_map_is_identity(const bvar_map *m) {
    if (m->old_depth != m->new_depth) return false;
    for (int j = 0; j < m->old_depth; j++)
        if (m->map[j] != j) return false;
    return true;
}

bool binder_may_occur(egraph *g, eclass_id c, int index) {
    uint64_t f = egraph_data(g, c)->free_bvars;
    return index >= 63 ? (f >> 63) != 0 : ((f >> index) & 1) != 0;
}

static memo_entry *memo_find(rebinder *R, eclass_id c, int cutoff) {
    uint32_t mask = R->cap - 1, j = (uint32_t)hash_mix(c, (uint64_t)cutoff) & mask;
    while (R->memo[j].result != ECLASS_NONE && !(R->memo[j].cls == c && R->memo[j].cutoff == cutoff)) j = (j + 1) & mask;
    return &R->memo[j];
}

static void memo_put(rebinder *R, eclass_id c, int cutoff, eclass_id result) {
    if (2 * (R->used + 1) > R->cap) {
        memo_entry *old = R->memo;
        uint32_t old_cap = R->cap;
        R->cap = old_cap ? 2 * old_cap : 64;
        R->memo = xmalloc(R->cap * sizeof *R->memo);
        for (uint32_t i = 0; i < R->cap; i++) R->memo[i].result = ECLASS_NONE;
        R->used = 0;
        for (uint32_t i = 0; i < old_cap; i++)
            if (old[i].result != ECLASS_NONE) memo_put(R, old[i].cls, old[i].cutoff, old[i].result);
        free(old);
    }
    memo_entry *e = memo_find(R, c, cutoff);
    if (e->result == ECLASS_NONE) R->used++;
    e->cls = c;
    e->cutoff = cutoff;
    e->result = result;
}

/* New index of bound variable j seen under `cutoff` binders of the term itself; -1 if it may
 * not occur. */
static int64_t new_index(const bvar_map *m, int64_t j, int cutoff) {
    if (j < cutoff) return j;
    int64_t t = j - cutoff;
    if (t < m->old_depth) return m->map[t] < 0 ? -1 : m->map[t] + cutoff;
    int64_t r = t - m->old_depth + m->new_depth + cutoff;
    return r < 0 ? -1 : r;
}

static eclass_id rebind(rebinder *R, eclass_id c, int cutoff) {
    egraph *g = R->g;
    c = egraph_find(g, c);
    uint64_t f = egraph_data(g, c)->free_bvars;
    if (cutoff >= 63 || (f >> cutoff) == 0) return c;   /* nothing to renumber */
    /* a variable every e-node of c mentions cannot be dropped: fail without searching */
    for (int t = 0; t < R->m->old_depth && cutoff + t < 63; t++)
        if (R->m->map[t] < 0 && ((f >> (cutoff + t)) & 1)) return ECLASS_NONE;
    if (R->cap) {
        memo_entry *e = memo_find(R, c, cutoff);
        if (e->result != ECLASS_NONE) return e->result == IN_PROGRESS || e->result == FAILED ? ECLASS_NONE : e->result;
    }
    memo_put(R, c, cutoff, IN_PROGRESS);
    /* a copy: adding nodes may merge classes and grow c's list */
    const id_list *l = &g->classes[c].nodes;
    uint32_t n_nodes = l->len;
    uint32_t *nodes = xmalloc((n_nodes ? n_nodes : 1) * sizeof *nodes);
    memcpy(nodes, l->items, n_nodes * sizeof *nodes);
    eclass_id result = ECLASS_NONE;
    for (uint32_t i = 0; i < n_nodes && result == ECLASS_NONE && R->budget > 0; i++) {
        R->budget--;
        enode nn = g->nodes[nodes[i]];
        bool ok = true;
        if (nn.op == EOP_BVAR) {
            int64_t j = new_index(R->m, nn.sym, cutoff);
            ok = j >= 0;
            nn.sym = (uint32_t)j;
        }
        for (int k = 0; k < nn.n && ok; k++) {
            eclass_id kid = rebind(R, nn.kids[k], cutoff + (eop_binds_kid((eop)nn.op, k) ? 1 : 0));
            ok = kid != ECLASS_NONE;
            nn.kids[k] = kid;
        }
        if (ok) result = R->add ? egraph_add(g, &nn) : egraph_lookup(g, &nn);
    }
    free(nodes);
    /* a failure may be due to a class still in progress higher up; remembering it only costs
     * completeness, never soundness */
    memo_put(R, c, cutoff, result == ECLASS_NONE ? FAILED : result);
    return result;
}

eclass_id binder_rebind(egraph *g, eclass_id c, const bvar_map *m, bool add) {
    if (bvar_map_is_identity(m)) return egraph_find(g, c);
    rebinder R = {g, m, add, WORK_BUDGET, NULL, 0, 0};
    eclass_id r = rebind(&R, c, 0);
    free(R.memo);
    return r;
}
