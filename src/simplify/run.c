/* run: the saturation loop and the backoff scheduler; see run.h. */
#include "simplify/run.h"
#include "simplify/machine.h"
#include "util/arena.h"
#include "util/timing.h"
#include <stdlib.h>
#include <string.h>

const char *run_stop_name(run_stop s) {
    switch (s) {
    case RUN_SATURATED: return "saturated";
    case RUN_ITER_LIMIT: return "iter";
    case RUN_NODE_LIMIT: return "nodes";
    case RUN_TIME_LIMIT: return "time";
    }
    return "?";
}

void run_limits_default(run_limits *l) {
    l->iter_limit = 30;
    l->node_limit = 10000;
    l->time_limit = 1.0;
    l->match_limit = 250;
    l->ban_length = 5;
}

typedef struct rule_state {
    int banned_until;        /* iteration from which the rule runs again */
    int times_banned;
} rule_state;

static size_t shifted(size_t v, int by) { return by >= 20 ? (size_t)1 << 40 : v << by; }

void run_rules(egraph *g, const ruleset *rs, const run_limits *lim, run_report *out) {
    double start = time_now();
    memset(out, 0, sizeof *out);
    out->fired = xcalloc((size_t)rs->n + 1, sizeof *out->fired);
    rule_state *st = xcalloc((size_t)rs->n + 1, sizeof *st);
    match_list *found = xcalloc((size_t)rs->n + 1, sizeof *found);
    op_index ix;
    memset(&ix, 0, sizeof ix);
    egraph_rebuild(g);
    run_stop stop = RUN_SATURATED;
    for (int iter = 0;; iter++) {
        if (iter >= lim->iter_limit) { stop = RUN_ITER_LIMIT; break; }
        if (g->n_nodes > lim->node_limit) { stop = RUN_NODE_LIMIT; break; }
        if (lim->time_limit > 0 && time_now() - start > lim->time_limit) { stop = RUN_TIME_LIMIT; break; }
        out->iterations = iter + 1;
        op_index_build(g, &ix);
        uint64_t unions_before = g->n_unions;
        uint32_t nodes_before = g->n_nodes;
        bool any_banned = false, timed_out = false;
        /* search: every rule sees the same e-graph */
        for (int r = 0; r < rs->n; r++) {
            found[r].len = 0;
            if (st[r].banned_until > iter) {
                any_banned = true;
                continue;
            }
            size_t threshold = shifted(lim->match_limit, st[r].times_banned);
            if (!machine_search(g, &ix, &rs->rules[r], threshold, &found[r])) {
                found[r].len = 0;
                st[r].banned_until = iter + (int)shifted((size_t)lim->ban_length, st[r].times_banned);
                st[r].times_banned++;
                any_banned = true;
            }
            if (lim->time_limit > 0 && time_now() - start > lim->time_limit) { timed_out = true; break; }
        }
        /* apply */
        bool over = false;
        for (int r = 0; r < rs->n && !over && !timed_out; r++) {
            for (size_t i = 0; i < found[r].len; i++) {
                /* a class with an exact constant already has its best term, the number: rewriting
                 * it only breeds 1 * 1 = 1 ^ 2 = 1 ^ 3 ... */
                if (egraph_data(g, found[r].items[i].root)->has_const) continue;
                if (rewrite_apply(g, &rs->rules[r], &found[r].items[i])) {
                    out->fired[r]++;
                    out->applied++;
                }
                if (g->n_nodes > lim->node_limit) { over = true; break; }
                if ((i & 63) == 63 && lim->time_limit > 0 && time_now() - start > lim->time_limit) { timed_out = true; break; }
            }
        }
        egraph_rebuild(g);
        if (timed_out) { stop = RUN_TIME_LIMIT; break; }
        if (over) { stop = RUN_NODE_LIMIT; break; }
        bool changed = g->n_unions != unions_before || g->n_nodes != nodes_before;
        if (!changed) {
            if (!any_banned) { stop = RUN_SATURATED; break; }
            for (int r = 0; r < rs->n; r++) st[r].banned_until = 0;   /* nothing else to do: lift the bans */
        }
    }
    out->stop = stop;
    out->seconds = time_now() - start;
    out->nodes = g->n_nodes;
    out->classes = g->live_classes;
    for (int r = 0; r < rs->n; r++) match_list_free(&found[r]);
    free(found);
    free(st);
    op_index_free(&ix);
}
