/* extract: readability cost and the bottom-up cheapest-term fixpoint; see extract.h. */
#include "simplify/extract.h"
#include "simplify/constants.h"
#include "util/arena.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Significant digits of the shortest decimal that reads back as v. */
static int significant_digits(double v) {
    if (!isfinite(v) || v == 0) return 1;
    char buf[40];
    for (int d = 1; d <= 17; d++) {
        snprintf(buf, sizeof buf, "%.*g", d, v);
        if (strtod(buf, NULL) == v) return d;
    }
    return 17;
}

uint64_t extract_node_cost(egraph *g, const enode *n) {
    (void)g;
    switch ((eop)n->op) {
    case EOP_NUM: {
        if (constants_is_named_literal(n->num)) return 10;   /* pi is one symbol, however it is spelled */
        if (constants_recognize(n->num)) return 100;          /* a magic number standing for a named one */
        int d = significant_digits(n->num);
        return 10 + (d > 3 ? 4 * (uint64_t)(d - 3) : 0);
    }
    case EOP_POW: return 15;
    case EOP_POWF: return 25;
    case EOP_EXP2: case EOP_LOG2: return 30;
    case EOP_RSQRT: return 35;
    default: return 10;
    }
}

static uint64_t add_cost(uint64_t a, uint64_t b) { return a > EXTRACT_INFINITE - b ? EXTRACT_INFINITE : a + b; }

void extract_compute(egraph *g, extract_filter filter, void *ctx, extractor *x) {
    x->n = g->n_ids;
    x->cost = xmalloc((x->n ? x->n : 1) * sizeof *x->cost);
    x->best = xmalloc((x->n ? x->n : 1) * sizeof *x->best);
    for (uint32_t c = 0; c < x->n; c++) {
        x->cost[c] = EXTRACT_INFINITE;
        x->best[c] = UINT32_MAX;
    }
    bool changed = true;
    while (changed) {
        changed = false;
        for (eclass_id c = 0; c < g->n_ids; c++) {
            if (g->uf_parent[c] != c) continue;
            const id_list *l = &g->classes[c].nodes;
            for (uint32_t i = 0; i < l->len; i++) {
                uint32_t idx = l->items[i];
                const enode *n = &g->nodes[idx];
                uint64_t cost = extract_node_cost(g, n);
                for (int k = 0; k < n->n && cost != EXTRACT_INFINITE; k++) {
                    uint64_t kid = x->cost[egraph_find(g, n->kids[k])];
                    /* a reduction's body counts 5% more: of two equal-sized forms, the one with
                     * loop-invariant factors outside the reduction (c * sum(f)) wins */
                    if (eop_binds_kid((eop)n->op, k)) kid = add_cost(kid, kid / 20);
                    cost = add_cost(cost, kid);
                }
                if (cost == EXTRACT_INFINITE || (filter && !filter(ctx, g, n))) continue;
                if (cost < x->cost[c] || (cost == x->cost[c] && idx < x->best[c])) {
                    x->cost[c] = cost;
                    x->best[c] = idx;
                    changed = true;
                }
            }
        }
    }
}

void extract_free(extractor *x) {
    free(x->cost);
    free(x->best);
    memset(x, 0, sizeof *x);
}

uint64_t extract_cost(egraph *g, const extractor *x, eclass_id c) { return x->cost[egraph_find(g, c)]; }

const enode *extract_best(egraph *g, const extractor *x, eclass_id c) {
    uint32_t b = x->best[egraph_find(g, c)];
    return b == UINT32_MAX ? NULL : &g->nodes[b];
}

/* Whether the extraction below class c (by x's choices) reaches class target. */
static bool reaches(egraph *g, const extractor *x, eclass_id c, eclass_id target, int depth) {
    c = egraph_find(g, c);
    if (c == target) return true;
    if (depth > 200 || x->best[c] == UINT32_MAX) return depth > 200;   /* too deep: assume it does */
    const enode *n = &g->nodes[x->best[c]];
    for (int k = 0; k < n->n; k++)
        if (reaches(g, x, n->kids[k], target, depth + 1)) return true;
    return false;
}

bool extract_unfold_root(egraph *g, extractor *x, eclass_id root) {
    root = egraph_find(g, root);
    if (x->best[root] == UINT32_MAX || !eop_is_abbreviation((eop)g->nodes[x->best[root]].op)) return false;
    const id_list *l = &g->classes[root].nodes;
    uint32_t chosen = UINT32_MAX;
    uint64_t chosen_cost = EXTRACT_INFINITE;
    for (uint32_t i = 0; i < l->len; i++) {
        const enode *n = &g->nodes[l->items[i]];
        if (eop_is_abbreviation((eop)n->op)) continue;
        uint64_t cost = extract_node_cost(g, n);
        bool cyclic = false;
        for (int k = 0; k < n->n && !cyclic; k++) {
            cyclic = reaches(g, x, n->kids[k], root, 0);
            cost = add_cost(cost, x->cost[egraph_find(g, n->kids[k])]);
        }
        if (cyclic || cost == EXTRACT_INFINITE) continue;
        if (cost < chosen_cost || (cost == chosen_cost && l->items[i] < chosen)) chosen = l->items[i], chosen_cost = cost;
    }
    if (chosen == UINT32_MAX) return false;
    x->best[root] = chosen;
    x->cost[root] = chosen_cost;
    return true;
}
