/* dialect: the sub-grammars of synth/grammar.c that the re-implemented baselines search, and
 * the production costs of guided enumeration — which productions bottom-up enumeration may
 * combine, at what cost, and in what order.
 *
 *   full    every production of grammar.c, each of cost 1 (vlift)
 *   tensir  Tenspiler's TensIR as far as this grammar can express it: elementwise + - * /,
 *           unary maps (vec_map with an uninterpreted function: exp, log, sqrt, ... and the
 *           arithmetic neg and square), ite (where with a comparison), reduce_sum, reduce_max,
 *           reduce_mul. Not in TensIR: abs, pow, binary max/min (only through ite), min, argmax
 *           and argmin reductions.
 *   taco    C2TACO's TACO index notation: + - * /, negation and square, sum reductions (TACO's
 *           only reduction); no functions, comparisons or conditionals.
 * With learned weights (guided.h) a production's cost is 1 + floor(log2(p_best / p)); the
 * reductions are tried likeliest first. */
#include "synth/guided.h"
#include "synth/synth_internal.h"
#include <string.h>

static bool in_list(const char *name, const char *const *list) {
    for (; *list; list++)
        if (strcmp(*list, name) == 0) return true;
    return false;
}

void dialect_init(synth_ctx *C) {
    static const char *const tensir_unaries[] = {"exp", "log", "sqrt", "rsqrt", "neg", "sq", "sigmoid", "tanh", "erf",
                                                 "exp2", "log2", "sin", "cos", NULL};
    static const char *const tensir_binaries[] = {"+", "-", "*", "/", NULL};
    static const char *const tensir_reductions[] = {"sum", "max", "prod", NULL};
    static const char *const taco_unaries[] = {"neg", "sq", NULL};
    static const char *const taco_reductions[] = {"sum", NULL};
    synth_grammar g = C->opt->grammar;
    const synth_weights *w = C->opt->weights;
    const char *unames[SYNTH_MAX_PRODUCTIONS], *bnames[SYNTH_MAX_PRODUCTIONS], *rnames[SYNTH_MAX_PRODUCTIONS];
    for (int u = 0; u < grammar_n_unaries && u < SYNTH_MAX_PRODUCTIONS; u++) unames[u] = grammar_unaries[u].name;
    for (int b = 0; b < grammar_n_binaries && b < SYNTH_MAX_PRODUCTIONS; b++) bnames[b] = grammar_binaries[b].name;
    for (int r = 0; r < grammar_n_reductions && r < SYNTH_MAX_PRODUCTIONS; r++) rnames[r] = grammar_reductions[r];
    for (int u = 0; u < grammar_n_unaries && u < SYNTH_MAX_PRODUCTIONS; u++) {
        bool in = g == SYNTH_GRAMMAR_FULL || (g == SYNTH_GRAMMAR_TENSIR && in_list(unames[u], tensir_unaries)) ||
                  (g == SYNTH_GRAMMAR_TACO && in_list(unames[u], taco_unaries));
        C->unary_cost[u] = in ? guided_cost(w, "unary", unames[u], unames, grammar_n_unaries) : 0;
    }
    for (int b = 0; b < grammar_n_binaries && b < SYNTH_MAX_PRODUCTIONS; b++) {
        bool in = g == SYNTH_GRAMMAR_FULL || in_list(bnames[b], tensir_binaries);   /* TACO's are TensIR's */
        C->binary_cost[b] = in ? guided_cost(w, "binary", bnames[b], bnames, grammar_n_binaries) : 0;
    }
    C->cmp_allowed = C->where_allowed = g != SYNTH_GRAMMAR_TACO;
    C->n_reductions = 0;
    for (int r = 0; r < grammar_n_reductions && r < SYNTH_MAX_PRODUCTIONS; r++) {
        bool in = g == SYNTH_GRAMMAR_FULL || (g == SYNTH_GRAMMAR_TENSIR && in_list(rnames[r], tensir_reductions)) ||
                  (g == SYNTH_GRAMMAR_TACO && in_list(rnames[r], taco_reductions));
        if (in) C->reductions[C->n_reductions++] = r;
    }
    /* likeliest first (a stable insertion sort by cost; unguided: all cost 1, grammar order) */
    for (int i = 1; i < C->n_reductions; i++) {
        int r = C->reductions[i], c = guided_cost(w, "reduce", rnames[r], rnames, grammar_n_reductions), j = i;
        while (j > 0 && guided_cost(w, "reduce", rnames[C->reductions[j - 1]], rnames, grammar_n_reductions) > c) {
            C->reductions[j] = C->reductions[j - 1];
            j--;
        }
        C->reductions[j] = r;
    }
}

bool synth_run_in_bound(const synth_ctx *C, int r) {
    if (C->run_bound <= 0) return true;
    const spec_run *run = &C->sp->runs[r];
    for (int k = 0; k < C->sp->n_sizes; k++)
        if (run->sizes[k] > C->run_bound) return false;
    return true;
}
