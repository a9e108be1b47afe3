/* run: equality saturation — the runner that applies a rule set to an e-graph until nothing
 * changes or a limit is reached, and its backoff scheduler.
 *
 * One iteration: search every rule that is not banned (all searches see the same e-graph),
 * then apply every match, then rebuild once. Limits are checked between phases and while
 * applying: iterations, e-nodes, wall-clock seconds; the stop reason says which ended the run
 * (saturated: an iteration changed nothing and no rule was banned). Matches rooted in a class
 * with an exact constant are not applied: folding already gave the class its number.
 *
 * Backoff scheduling (egg's BackoffScheduler): a rule whose matches in one iteration exceed
 * its threshold (match_limit << times_banned) is banned for ban_length << times_banned
 * iterations and its matches are dropped. Commutativity and associativity, which match
 * everywhere, thus run in bursts instead of exploding the graph, while cheap targeted rules keep
 * running every iteration. When nothing changes but rules are banned, the bans are lifted
 * early rather than reporting saturation. */
#ifndef VLIFT_SIMPLIFY_RUN_H
#define VLIFT_SIMPLIFY_RUN_H
#include "simplify/rewrite.h"

typedef enum run_stop { RUN_SATURATED, RUN_ITER_LIMIT, RUN_NODE_LIMIT, RUN_TIME_LIMIT } run_stop;
const char *run_stop_name(run_stop s);   /* "saturated", "iter", "nodes", "time" */

typedef struct run_limits {
    int iter_limit;
    uint32_t node_limit;
    double time_limit;          /* seconds; <= 0: none */
    size_t match_limit;         /* scheduler: matches per rule per iteration before a ban */
    int ban_length;             /* scheduler: iterations of the first ban */
} run_limits;

void run_limits_default(run_limits *l);   /* 30 iterations, 10000 nodes, 1 s, 250 matches, 5 */

typedef struct run_report {
    run_stop stop;
    int iterations;
    double seconds;
    uint32_t nodes, classes;
    uint64_t applied;           /* matches whose application changed the e-graph */
    uint32_t *fired;            /* per rule: such applications (caller frees) */
} run_report;

void run_rules(egraph *g, const ruleset *rs, const run_limits *lim, run_report *out);

#endif
