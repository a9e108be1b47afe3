/* egraph: hash-cons, union-find, deferred rebuilding; see egraph.h. */
#include "simplify/egraph.h"
#include "util/arena.h"
#include "util/hash.h"
#include <stdlib.h>
#include <string.h>

#define EMPTY UINT32_MAX

void id_list_push(id_list *l, uint32_t v) {
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->len++] = v;
}

void id_list_free(id_list *l) {
    free(l->items);
    l->items = NULL;
    l->len = l->cap = 0;
}

void egraph_init(egraph *g) { memset(g, 0, sizeof *g); g->clean = true; }

void egraph_free(egraph *g) {
    for (uint32_t i = 0; i < g->n_ids; i++) {
        id_list_free(&g->classes[i].nodes);
        id_list_free(&g->classes[i].parents);
    }
    for (uint32_t i = 0; i < g->n_syms; i++) free(g->syms[i]);
    free(g->nodes);
    free(g->node_class);
    free(g->uf_parent);
    free(g->uf_size);
    free(g->classes);
    free(g->memo);
    free(g->syms);
    free(g->sym_flags);
    free(g->sym_index);
    id_list_free(&g->pending);
    id_list_free(&g->analysis_pending);
    memset(g, 0, sizeof *g);
}

/* ---- symbols ------------------------------------------------------------------------------- */

static void sym_index_insert(egraph *g, uint32_t id) {
    uint32_t mask = g->sym_cap - 1, j = (uint32_t)hash_bytes(g->syms[id], strlen(g->syms[id])) & mask;
    while (g->sym_index[j] != EMPTY) j = (j + 1) & mask;
    g->sym_index[j] = id;
}

uint32_t egraph_intern(egraph *g, const char *name) {
    if (g->sym_cap) {
        uint32_t mask = g->sym_cap - 1, j = (uint32_t)hash_bytes(name, strlen(name)) & mask;
        for (; g->sym_index[j] != EMPTY; j = (j + 1) & mask)
            if (strcmp(g->syms[g->sym_index[j]], name) == 0) return g->sym_index[j];
    }
    if (g->n_syms == g->cap_syms) {
        g->cap_syms = g->cap_syms ? 2 * g->cap_syms : 16;
        g->syms = xrealloc(g->syms, g->cap_syms * sizeof *g->syms);
        g->sym_flags = xrealloc(g->sym_flags, g->cap_syms);
    }
    uint32_t id = g->n_syms++;
    g->syms[id] = xstrdup(name);
    g->sym_flags[id] = 0;
    if (2 * g->n_syms > g->sym_cap) {
        free(g->sym_index);
        g->sym_cap = g->sym_cap ? 2 * g->sym_cap : 32;
        g->sym_index = xmalloc(g->sym_cap * sizeof *g->sym_index);
        memset(g->sym_index, 0xff, g->sym_cap * sizeof *g->sym_index);
        for (uint32_t i = 0; i < g->n_syms; i++) sym_index_insert(g, i);
    } else {
        sym_index_insert(g, id);
    }
    return id;
}

const char *egraph_sym_name(const egraph *g, uint32_t sym) { return sym < g->n_syms ? g->syms[sym] : "?"; }

void egraph_set_sym_flags(egraph *g, uint32_t sym, uint8_t flags) {
    if (sym < g->n_syms) g->sym_flags[sym] |= flags;
}

uint64_t egraph_index_bit(const egraph *g, uint32_t sym) {
    /* index variables numbered in order of interning among the flagged ones */
    uint32_t k = 0;
    for (uint32_t s = 0; s < sym && s < g->n_syms; s++) k += (g->sym_flags[s] & SYMF_INDEX) != 0;
    return 1ull << (k < 63 ? k : 63);
}

/* ---- union-find ---------------------------------------------------------------------------- */

eclass_id egraph_find(egraph *g, eclass_id c) {
    while (g->uf_parent[c] != c) {
        g->uf_parent[c] = g->uf_parent[g->uf_parent[c]];   /* path halving */
        c = g->uf_parent[c];
    }
    return c;
}

static eclass_id new_class_id(egraph *g) {
    if (g->n_ids == g->cap_ids) {
        g->cap_ids = g->cap_ids ? 2 * g->cap_ids : 64;
        g->uf_parent = xrealloc(g->uf_parent, g->cap_ids * sizeof *g->uf_parent);
        g->uf_size = xrealloc(g->uf_size, g->cap_ids * sizeof *g->uf_size);
        g->classes = xrealloc(g->classes, g->cap_ids * sizeof *g->classes);
    }
    eclass_id id = g->n_ids++;
    g->uf_parent[id] = id;
    g->uf_size[id] = 1;
    memset(&g->classes[id], 0, sizeof g->classes[id]);
    g->live_classes++;
    return id;
}

/* ---- hash-cons ----------------------------------------------------------------------------- */

static void canonicalize(egraph *g, enode *n) {
    for (int i = 0; i < n->n; i++) n->kids[i] = egraph_find(g, n->kids[i]);
}

/* Slot holding a node equal to n, or the empty slot where it would go. Stale entries (nodes
 * whose content changed since they were inserted) are harmless: their old content has a merged
 * child id that canonical lookups never carry. */
static uint32_t memo_slot(const egraph *g, const enode *n) {
    uint32_t mask = g->memo_cap - 1, j = (uint32_t)enode_hash(n) & mask;
    while (g->memo[j] != EMPTY && !enode_equal(&g->nodes[g->memo[j]], n)) j = (j + 1) & mask;
    return j;
}

static void memo_grow(egraph *g) {
    uint32_t *old = g->memo, old_cap = g->memo_cap;
    g->memo_cap = old_cap ? 2 * old_cap : 256;
    g->memo = xmalloc(g->memo_cap * sizeof *g->memo);
    memset(g->memo, 0xff, g->memo_cap * sizeof *g->memo);
    g->memo_used = 0;
    for (uint32_t i = 0; i < old_cap; i++) {
        if (old[i] == EMPTY) continue;
        uint32_t j = memo_slot(g, &g->nodes[old[i]]);
        if (g->memo[j] == EMPTY) {   /* stale duplicates are dropped here */
            g->memo[j] = old[i];
            g->memo_used++;
        }
    }
    free(old);
}

static void memo_insert(egraph *g, uint32_t node) {
    if (2 * (g->memo_used + 1) > g->memo_cap) memo_grow(g);
    uint32_t j = memo_slot(g, &g->nodes[node]);
    if (g->memo[j] == EMPTY) {
        g->memo[j] = node;
        g->memo_used++;
    }
}

eclass_id egraph_lookup(egraph *g, const enode *n) {
    if (!g->memo_cap) return ECLASS_NONE;
    enode c = *n;
    canonicalize(g, &c);
    uint32_t j = memo_slot(g, &c);
    return g->memo[j] == EMPTY ? ECLASS_NONE : egraph_find(g, g->node_class[g->memo[j]]);
}

eclass_id egraph_add(egraph *g, const enode *n) {
    enode c = *n;
    for (int i = c.n; i < ENODE_MAX_KIDS; i++) c.kids[i] = 0;
    if (c.op == EOP_NUM && c.num == 0) c.num = 0;   /* -0 is 0 */
    canonicalize(g, &c);
    if (g->memo_cap) {
        uint32_t j = memo_slot(g, &c);
        if (g->memo[j] != EMPTY) return egraph_find(g, g->node_class[g->memo[j]]);
    }
    if (g->n_nodes == g->cap_nodes) {
        g->cap_nodes = g->cap_nodes ? 2 * g->cap_nodes : 256;
        g->nodes = xrealloc(g->nodes, g->cap_nodes * sizeof *g->nodes);
        g->node_class = xrealloc(g->node_class, g->cap_nodes * sizeof *g->node_class);
    }
    uint32_t idx = g->n_nodes++;
    g->nodes[idx] = c;
    eclass_id id = new_class_id(g);
    g->node_class[idx] = id;
    memo_insert(g, idx);
    id_list_push(&g->classes[id].nodes, idx);
    for (int i = 0; i < c.n; i++) id_list_push(&g->classes[c.kids[i]].parents, idx);
    g->classes[id].data = analysis_make(g, &c);
    g->clean = false;
    analysis_modify(g, id);
    return egraph_find(g, id);
}

/* ---- union and rebuild --------------------------------------------------------------------- */

static void append_list(id_list *into, id_list *from) {
    for (uint32_t i = 0; i < from->len; i++) id_list_push(into, from->items[i]);
    id_list_free(from);
}

bool egraph_union(egraph *g, eclass_id a, eclass_id b) {
    a = egraph_find(g, a);
    b = egraph_find(g, b);
    if (a == b) return false;
    /* union by size; on a tie the older class stays the root (determinism) */
    if (g->uf_size[a] < g->uf_size[b] || (g->uf_size[a] == g->uf_size[b] && b < a)) {
        eclass_id t = a;
        a = b;
        b = t;
    }
    const class_data *da = &g->classes[a].data, *db = &g->classes[b].data;
    if (da->has_const && db->has_const && da->value != db->value) g->n_conflicts++;
    g->uf_parent[b] = a;
    g->uf_size[a] += g->uf_size[b];
    eclass *ra = &g->classes[a], *rb = &g->classes[b];
    /* the absorbed class's parents now have a non-canonical child */
    for (uint32_t i = 0; i < rb->parents.len; i++) id_list_push(&g->pending, rb->parents.items[i]);
    class_data before = ra->data;
    bool a_changed = analysis_join(&ra->data, &rb->data);
    bool b_changed = analysis_join(&rb->data, &before);
    append_list(&ra->nodes, &rb->nodes);
    append_list(&ra->parents, &rb->parents);
    if (a_changed || b_changed)
        for (uint32_t i = 0; i < ra->parents.len; i++) id_list_push(&g->analysis_pending, ra->parents.items[i]);
    g->live_classes--;
    g->n_unions++;
    g->clean = false;
    if (a_changed) analysis_modify(g, a);
    return true;
}

/* The node's children are canonical again; a node that became equal to another one merges
 * their classes (congruence). */
static void repair_node(egraph *g, uint32_t idx) {
    enode *n = &g->nodes[idx];
    enode c = *n;
    canonicalize(g, &c);
    if (!enode_equal(&c, n)) *n = c;
    uint32_t j = memo_slot(g, n);
    if (g->memo[j] == EMPTY) {
        memo_insert(g, idx);
    } else if (g->memo[j] != idx) {
        egraph_union(g, g->node_class[idx], g->node_class[g->memo[j]]);
    }
}

static int cmp_u32(const void *x, const void *y) {
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static bool node_before(const egraph *g, uint32_t u, uint32_t v) {
    int c = enode_compare(&g->nodes[u], &g->nodes[v]);
    return c < 0 || (c == 0 && u < v);
}

/* Merge sort by content then index (qsort has no context argument, and the order must not
 * depend on global state). */
static void sort_nodes(const egraph *g, id_list *l) {
    uint32_t n = l->len;
    if (n < 2) return;
    uint32_t *tmp = xmalloc(n * sizeof *tmp), *src = l->items, *dst = tmp;
    for (uint32_t width = 1; width < n; width *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * width) {
            uint32_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            uint32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) dst[k++] = node_before(g, src[j], src[i]) ? src[j++] : src[i++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != l->items) memcpy(l->items, src, n * sizeof *src);
    free(tmp);
}

void egraph_rebuild(egraph *g) {
    while (g->pending.len || g->analysis_pending.len) {
        /* congruence first: it may merge more classes and queue more work */
        while (g->pending.len) {
            id_list todo = g->pending;
            memset(&g->pending, 0, sizeof g->pending);
            for (uint32_t i = 0; i < todo.len; i++) repair_node(g, todo.items[i]);
            id_list_free(&todo);
        }
        while (g->analysis_pending.len && !g->pending.len) {
            id_list todo = g->analysis_pending;
            memset(&g->analysis_pending, 0, sizeof g->analysis_pending);
            for (uint32_t i = 0; i < todo.len; i++) {
                uint32_t idx = todo.items[i];
                eclass_id c = egraph_find(g, g->node_class[idx]);
                class_data d = analysis_make(g, &g->nodes[idx]);
                if (analysis_join(&g->classes[c].data, &d)) {
                    id_list *p = &g->classes[c].parents;
                    for (uint32_t k = 0; k < p->len; k++) id_list_push(&g->analysis_pending, p->items[k]);
                    analysis_modify(g, c);
                }
            }
            id_list_free(&todo);
        }
    }
    /* canonical, sorted, duplicate-free node lists; parents without repeats */
    for (eclass_id c = 0; c < g->n_ids; c++) {
        if (g->uf_parent[c] != c) continue;
        id_list *l = &g->classes[c].nodes;
        sort_nodes(g, l);   /* contents are canonical: every node with a merged child was repaired */
        uint32_t w = 0;
        for (uint32_t i = 0; i < l->len; i++)
            if (w == 0 || !enode_equal(&g->nodes[l->items[w - 1]], &g->nodes[l->items[i]])) l->items[w++] = l->items[i];
        l->len = w;
        id_list *p = &g->classes[c].parents;
        if (p->len > 2 * (l->len + 8)) {
            /* parents repeat after many merges: keep each node once, in index order */
            qsort(p->items, p->len, sizeof *p->items, cmp_u32);
            uint32_t kept = 0;
            for (uint32_t i = 0; i < p->len; i++)
                if (kept == 0 || p->items[kept - 1] != p->items[i]) p->items[kept++] = p->items[i];
            p->len = kept;
        }
    }
    g->clean = true;
}

void egraph_nodes_with_op(egraph *g, eclass_id c, eop op, uint32_t *first, uint32_t *end) {
    id_list *l = &egraph_class(g, c)->nodes;
    uint32_t lo = 0, hi = l->len;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (g->nodes[l->items[mid]].op < op) lo = mid + 1;
        else hi = mid;
    }
    uint32_t e = lo;
    while (e < l->len && g->nodes[l->items[e]].op == op) e++;
    *first = lo;
    *end = e;
}

/* ---- convenience ---------------------------------------------------------------------------- */

eclass_id egraph_add_num(egraph *g, double v) {
    enode n = {0};
    n.op = EOP_NUM;
    n.num = v;
    return egraph_add(g, &n);
}

eclass_id egraph_add_sym(egraph *g, const char *name) {
    enode n = {0};
    n.op = EOP_SYM;
    n.sym = egraph_intern(g, name);
    return egraph_add(g, &n);
}

eclass_id egraph_add_bvar(egraph *g, uint32_t index) {
    enode n = {0};
    n.op = EOP_BVAR;
    n.sym = index;
    return egraph_add(g, &n);
}

eclass_id egraph_add_op(egraph *g, eop op, int n_kids, const eclass_id *kids) {
    enode n = {0};
    n.op = (uint8_t)op;
    n.n = (uint8_t)n_kids;
    for (int i = 0; i < n_kids && i < ENODE_MAX_KIDS; i++) n.kids[i] = kids[i];
    return egraph_add(g, &n);
}
