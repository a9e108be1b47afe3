/* machine: backtracking e-matching over a persistent work list; see machine.h. */
#include "simplify/machine.h"
#include "util/arena.h"
#include <stdlib.h>
#include <string.h>

void op_index_build(egraph *g, op_index *ix) {
    if (!g->clean) egraph_rebuild(g);   /* matching needs canonical, sorted class lists */
    for (int op = 0; op < EOP_COUNT; op++) ix->by_op[op].len = 0;
    for (eclass_id c = 0; c < g->n_ids; c++) {
        if (g->uf_parent[c] != c) continue;
        const id_list *l = &g->classes[c].nodes;
        int last = -1;
        for (uint32_t i = 0; i < l->len; i++) {
            int op = g->nodes[l->items[i]].op;
            if (op != last) id_list_push(&ix->by_op[op], c);   /* lists are sorted by op */
            last = op;
        }
    }
}

void op_index_free(op_index *ix) {
    for (int op = 0; op < EOP_COUNT; op++) id_list_free(&ix->by_op[op]);
}

void match_list_free(match_list *l) {
    free(l->items);
    l->items = NULL;
    l->len = l->cap = 0;
}

/* Pattern nodes still to match, as an immutable list: each frame prepends the children of
 * the node it matched, so backtracking needs no undo. */
typedef struct todo {
    int node;
    eclass_id cls;
    const struct todo *next;
} todo;

typedef struct matcher {
    egraph *g;
    const rewrite *r;
    match cur;
    size_t limit, found;
    match_list *out;
} matcher;

static void emit(matcher *M) {
    M->found++;
    if (M->found > M->limit + 1) return;
    match_list *l = M->out;
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->len++] = M->cur;
}

static void run(matcher *M, const todo *t) {
    if (M->found > M->limit) return;
    if (!t) {
        emit(M);
        return;
    }
    egraph *g = M->g;
    const pattern *p = &M->r->lhs;
    const pnode *pn = &p->nodes[t->node];
    eclass_id c = egraph_find(g, t->cls);
    switch ((pkind)pn->kind) {
    case PK_VAR: {
        eclass_id *slot = &M->cur.subst[pn->var];
        int bind = M->r->bind_node[pn->var];
        if (bind == t->node) {   /* first sight: bind */
            *slot = c;
            run(M, t->next);
            *slot = ECLASS_NONE;
            return;
        }
        bvar_map map;
        pattern_scope_map(&p->nodes[bind], pn, &map);
        eclass_id want = binder_rebind(g, *slot, &map, false);
        if (want != ECLASS_NONE && egraph_find(g, want) == c) run(M, t->next);
        return;
    }
    case PK_NUM: {
        const class_data *d = &g->classes[c].data;
        if (d->has_const && d->value == pn->num) run(M, t->next);
        return;
    }
    case PK_BVAR: {
        enode b = {0};
        b.op = EOP_BVAR;
        b.sym = pn->bvar;
        eclass_id want = egraph_lookup(g, &b);
        if (want != ECLASS_NONE && want == c) run(M, t->next);
        return;
    }
    case PK_OP:
        break;
    }
    uint32_t first, end;
    egraph_nodes_with_op(g, c, (eop)pn->op, &first, &end);
    for (uint32_t i = first; i < end && M->found <= M->limit; i++) {
        /* the class list may not move while we iterate: matching adds nothing */
        const enode *n = &g->nodes[g->classes[c].nodes.items[i]];
        if (n->n != pn->n) continue;
        todo kids[ENODE_MAX_KIDS];
        for (int k = 0; k < n->n; k++) {
            kids[k].node = pn->kids[k];
            kids[k].cls = n->kids[k];
            kids[k].next = k + 1 < n->n ? &kids[k + 1] : t->next;
        }
        run(M, n->n ? &kids[0] : t->next);
    }
}

bool machine_search(egraph *g, const op_index *ix, const rewrite *r, size_t limit, match_list *out) {
    matcher M;
    memset(&M, 0, sizeof M);
    M.g = g;
    M.r = r;
    M.limit = limit;
    M.out = out;
    for (int i = 0; i < PATTERN_MAX_VARS; i++) M.cur.subst[i] = ECLASS_NONE;
    const pnode *root = &r->lhs.nodes[r->lhs.root];
    const id_list *cands = &ix->by_op[root->op];
    for (uint32_t i = 0; i < cands->len && M.found <= limit; i++) {
        eclass_id c = cands->items[i];
        if (egraph_find(g, c) != c) continue;
        M.cur.root = c;
        todo t = {r->lhs.root, c, NULL};
        run(&M, &t);
    }
    return M.found <= limit;
}
