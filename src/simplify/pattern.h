/* pattern: the terms of rewrite rules — formula syntax with pattern variables:
 *
 *   exp(?a - ?b)      sum(?k in ?lo..?hi: ?c * ?f)      where(?m == -inf, ?x, ?y)
 *
 * ?name is a pattern variable (matches any class); in sum(?k in ...: body) ?k names the
 * binder, and ?k inside body is that bound variable. Numbers match classes with that exact
 * constant value (-inf included). Operators, precedence and function names are the formula
 * language's (formula.h); where(c, a, b) and binary max/min work as there, and comparisons may
 * appear in where's condition.
 *
 * Every pattern node knows its binder scope: the binder variables enclosing it, outermost
 * first. A pattern variable matched under one scope and used under another is renumbered with
 * pattern_scope_map (binder.h). */
#ifndef VLIFT_SIMPLIFY_PATTERN_H
#define VLIFT_SIMPLIFY_PATTERN_H
#include "simplify/binder.h"
#include "simplify/language.h"
#include <stddef.h>

#define PATTERN_MAX_VARS 16
#define PATTERN_MAX_SCOPE 8

typedef enum pkind { PK_VAR, PK_NUM, PK_OP, PK_BVAR } pkind;

typedef struct pnode {
    uint8_t kind;            /* pkind */
    uint8_t op;              /* PK_OP: eop */
    uint8_t n;               /* PK_OP: children */
    uint8_t depth;           /* binders enclosing this node */
    int8_t var;              /* PK_VAR: variable; PK_OP reduction: its binder variable */
    uint8_t bvar;            /* PK_BVAR: de Bruijn index at this node */
    int8_t scope[PATTERN_MAX_SCOPE];   /* binder variables enclosing the node, outermost first */
    double num;              /* PK_NUM */
    int kids[ENODE_MAX_KIDS];
} pnode;

typedef struct pattern {
    pnode *nodes;
    int n_nodes;
    int root;
} pattern;

/* Variable names shared by the two sides and the conditions of one rule. */
typedef struct pattern_vars {
    char names[PATTERN_MAX_VARS][24];
    bool is_binder[PATTERN_MAX_VARS];
    int n;
} pattern_vars;

struct arena;
struct strbuf;

/* Parses one pattern from *text (advanced past it; parsing stops before a token that cannot
 * continue the expression, such as '=>', 'if' or 'and'). Variables are looked up in / added
 * to vars. False with a message on a syntax error. */
bool pattern_parse(struct arena *a, const char **text, pattern_vars *vars, pattern *out, char *err, size_t err_size);

void pattern_print(const pattern *p, const pattern_vars *vars, struct strbuf *out);

/* The renumbering for a class matched at `from` and used at `to` (bound variables of binders
 * that enclose `from` but not `to` map to -1). */
void pattern_scope_map(const pnode *from, const pnode *to, bvar_map *m);

/* Index of binder variable b among the binders enclosing node n, innermost = 0; -1 if b does
 * not enclose n. */
int pattern_binder_index(const pnode *n, int b);

#endif
