/* guided: the probabilistic grammar of the guided-style baseline (a re-implementation of the idea
 * of "Guided Tensor Lifting", 2025, without a language model). Each production of the bottom-up
 * grammar (a unary function, a binary operator, a reduction) gets a probability learned from
 * formulas lifted in OTHER operator sets; enumeration then orders candidates by cost instead of
 * AST size, where a production costs 1 + floor(log2(p_best / p)) (capped at GUIDED_MAX_COST) —
 * the integer form of the A* cost -log2 p: the likeliest production of its class costs 1, each
 * halving of probability one more. Learning counts the productions of the training formulas
 * (`vlift guided-weights`, driven by scripts/learn-guided-weights.sh); the table keeps the
 * counts per training formula (suite, operator), so that loading can leave out the suite and the
 * operator under test.
 *
 * Weights file: '#' comments, then one line per (suite, operator, production) with a tab between
 * the fields: `suite  op  production  count`; productions are `unary:exp`, `unary:neg`,
 * `unary:sq`, `binary:+`, `binary:max`, `reduce:sum`, `where`. */
#ifndef VLIFT_SYNTH_GUIDED_H
#define VLIFT_SYNTH_GUIDED_H
#include "formula/formula.h"
#include "synth/synth.h"
#include <stddef.h>

#define GUIDED_MAX_PRODUCTIONS 64
#define GUIDED_MAX_COST 3

struct synth_weights {
    int n;                                       /* productions with a count */
    char names[GUIDED_MAX_PRODUCTIONS][24];      /* "unary:exp", ... */
    double count[GUIDED_MAX_PRODUCTIONS];
    int formulas;                                /* training formulas counted */
    int left_out;                                /* training formulas left out */
};

/* Reads a weights file, leaving out every formula of suite `exclude_suite` and every formula of
 * an operator named `exclude_op` (either may be NULL). False with a file:line message in err on
 * a missing or malformed file. */
bool guided_weights_load(const char *path, const char *exclude_suite, const char *exclude_op, synth_weights *w, char *err,
                         size_t err_size);

/* Adds one to the count of every production occurring in f (each occurrence). */
void guided_count_formula(const formula *f, synth_weights *w);

/* The cost of production `name` of class `cls` ("unary", "binary", "reduce"): 1 for the likeliest
 * of its class, up to GUIDED_MAX_COST; 1 when w is NULL (unguided enumeration). Probabilities are
 * add-1/2 smoothed over the productions of the grammar's class (n_class of them). */
int guided_cost(const synth_weights *w, const char *cls, const char *name, const char *const *class_names, int n_class);

/* `vlift guided-weights FILE...`: reads lines `suite<TAB>op<TAB>formula` and prints the weights
 * file (production counts per training formula) on stdout. */
int cmd_guided_weights(int argc, char **argv);

#endif
