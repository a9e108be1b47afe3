/* rewrite: conditional rewrite rules and the rule syntax they are written in.
 *
 *   # comment
 *   NAME: LHS => RHS                      one direction
 *   NAME: LHS <=> RHS                     both (NAME and NAME-rev)
 *   NAME: LHS => RHS if COND and COND     guarded; conditions are checked on the match
 *
 * LHS / RHS are patterns (pattern.h). Conditions:
 *   nonzero(?x) positive(?x) nonneg(?x)   known finite and != 0 / > 0 / >= 0 (analysis.h)
 *   finite(?x)                            known to be a finite real
 *   const(?x)  integer(?x)                an exact constant / an exact integer constant
 *   not-free(?k, ?x)                      the bound variable of binder ?k does not occur in ?x
 *   nonempty(?lo, ?hi)                    lo < hi is known (a non-empty range)
 *   indices-within(?x, ?y)                the equation indices (i, j, ...) ?x depends on are among
 *                                         those ?y depends on (moving ?x into a reduction over ?y
 *                                         does not make it one reduction per output element)
 *   ?x == PATTERN                         PATTERN (built from the match) is already in ?x's class
 *
 * Binders are checked when a rule is parsed: a variable matched inside the body of ?k and used
 * outside it (moved out of a reduction) needs `not-free(?k, ?var)`, or the rule is rejected —
 * and at run time the move itself fails safely if the variable does occur (binder.h).
 *
 * A rule is sound when LHS and RHS are equal wherever the conditions hold, as functions of
 * every variable (partial functions: one side is defined exactly where the other is, in the
 * formula's domain of analysis.h). Each rule in rules.c says why it is. */
#ifndef VLIFT_SIMPLIFY_REWRITE_H
#define VLIFT_SIMPLIFY_REWRITE_H
#include "simplify/egraph.h"
#include "simplify/pattern.h"

typedef enum cond_kind {
    COND_NONZERO, COND_POSITIVE, COND_NONNEG, COND_FINITE, COND_CONST, COND_INTEGER,
    COND_NOT_FREE, COND_NONEMPTY, COND_INDICES_WITHIN, COND_EQUAL,
} cond_kind;

#define REWRITE_MAX_CONDS 4

typedef struct condition {
    cond_kind kind;
    int var, var2;           /* NOT_FREE: binder var2 must not occur in var; NONEMPTY: lo, hi;
                              * INDICES_WITHIN: var within var2 */
    pattern pat;             /* EQUAL */
} condition;

typedef struct rewrite {
    const char *name;
    const char *text;        /* the rule as written (one direction) */
    pattern lhs, rhs;
    pattern_vars vars;
    condition conds[REWRITE_MAX_CONDS];
    int n_conds;
    int bind_node[PATTERN_MAX_VARS];   /* lhs node where each variable is first matched (pre-order) */
} rewrite;

typedef struct ruleset {
    rewrite *rules;
    int n;
} ruleset;

struct arena;

/* Parses rule text (one rule per line). False with "line N: message" in err. */
bool ruleset_parse(struct arena *a, const char *text, ruleset *out, char *err, size_t err_size);

/* A match: the class the lhs matched and each variable's class (ECLASS_NONE: unused). */
typedef struct match {
    eclass_id root;
    eclass_id subst[PATTERN_MAX_VARS];
} match;

bool rewrite_conditions_hold(egraph *g, const rewrite *r, const match *m);
/* Checks the conditions, builds the rhs and merges it with the matched class. Returns true
 * when that changed the e-graph (a new class merged). */
bool rewrite_apply(egraph *g, const rewrite *r, const match *m);

#endif
