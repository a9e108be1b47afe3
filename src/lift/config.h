/* config: the named configurations of `vlift lift --config NAME` (and of `config:` in a suite's
 * tools) — vlift itself, its ablations and the re-implemented baselines, each a set of changes
 * to the pipeline's options. One table (config.c) says what every name changes.
 *
 *   full             every stage, vlift's grammar, top-down + bottom-up, the pattern library
 *   no-topdown       ablation: bottom-up enumeration of whole right-hand sides only
 *   no-prune         ablation: no observational-equivalence or shape pruning
 *   no-patterns      ablation: the generic prefix-invariant template instead of the patterns
 *   no-simplify      ablation: no e-graph simplification (the lifted formula is printed)
 *   tenspiler-style  re-implementation of Tenspiler's method: TensIR grammar, bottom-up only,
 *                    bounded synthesis over growing list bounds, the fixed invariant template,
 *                    full SMT check, no simplification
 *   c2taco-style     re-implementation of C2TACO's: TACO grammar, bottom-up only, checked on
 *                    input/output examples only, no proof (at best LIFTED), no simplification
 *   guided           re-implementation of guided tensor lifting: bottom-up enumeration ordered by
 *                    production costs -log2 p learned from formulas lifted in other suites
 *                    (synth/guided.h), bounded checking only (at best LIFTED) */
#ifndef VLIFT_LIFT_CONFIG_H
#define VLIFT_LIFT_CONFIG_H
#include "lift/lift.h"
#include <stddef.h>

/* Whether NAME is a configuration. */
bool lift_config_known(const char *name);
/* The names, comma-separated ("full, no-topdown, ..."), for messages. */
const char *lift_config_names(void);

/* Applies configuration NAME to o for operator op of suite suite. Configurations that need data
 * (guided: the learned weights, leaving out `suite` and `op`) allocate it in a. False with a
 * message in err when the data cannot be loaded. */
bool lift_config_apply(const char *name, const char *suite, const char *op, arena *a, lift_options *o, char *err,
                       size_t err_size);

/* Where guided reads its weights: $VLIFT_GUIDED_WEIGHTS, else suites/guided_weights.tsv next to
 * the build directory of the running binary (<dir of vlift>/../suites/), else in the current
 * directory. */
const char *lift_config_weights_path(char *buf, size_t size);

#endif
