/* rules: the simplifier's built-in rule set, as rule text (syntax in rewrite.h) parsed at
 * startup. Each rule is general mathematics, sound under its stated condition in the formula's
 * domain (analysis.h); rules.c says why next to each one. */
#ifndef VLIFT_SIMPLIFY_RULES_H
#define VLIFT_SIMPLIFY_RULES_H

const char *rules_builtin(void);

#endif
