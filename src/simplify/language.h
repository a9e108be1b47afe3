/* language: the e-node language of the simplifier — the formula constructs of formula.h as
 * e-graph operators with class ids as children.
 *
 * Binders. A reduction sum/prod/max/min/argmax/argmin(k in lo..hi: body) is the e-node
 * SUM(lo, hi, body): lo and hi live in the enclosing scope, body one binder deeper. Bound
 * variables are de Bruijn indices (EOP_BVAR 0 is the innermost enclosing binder, 1 the next,
 * ...), so alpha-equivalent bodies are the same e-node and hash-cons to one class. Free names
 * (the equation's index variables, sizes, scalar parameters) are EOP_SYM. A class's value is a
 * function of the bound variables free in it; every equality in the e-graph holds for all values
 * of them, which is why a class can be shared by bodies of different reductions (binder.h moves
 * a class across binders). */
#ifndef VLIFT_SIMPLIFY_LANGUAGE_H
#define VLIFT_SIMPLIFY_LANGUAGE_H
#include <stdbool.h>
#include <stdint.h>

typedef uint32_t eclass_id;
#define ECLASS_NONE UINT32_MAX

typedef enum eop {
    /* leaves */
    EOP_NUM,        /* num */
    EOP_SYM,        /* sym: interned free name */
    EOP_BVAR,       /* sym: de Bruijn index */
    /* name[kids]: sym is the interned tensor or output name */
    EOP_ACCESS,
    /* arithmetic (formula BINOP / NEG) */
    EOP_ADD, EOP_SUB, EOP_MUL, EOP_DIV, EOP_MOD, EOP_FLOORDIV, EOP_POW, EOP_NEG,
    /* comparisons and logic: values 0 / 1 */
    EOP_LT, EOP_LE, EOP_GT, EOP_GE, EOP_EQ, EOP_NE, EOP_AND, EOP_OR, EOP_NOT,
    EOP_WHERE,
    /* functions (formula CALL); EOP_POWF is pow(a, b), the same function as a ^ b */
    EOP_EXP, EOP_EXP2, EOP_LOG, EOP_LOG2, EOP_SQRT, EOP_RSQRT, EOP_ABS, EOP_ERF, EOP_TANH,
    EOP_SIGMOID, EOP_SIN, EOP_COS, EOP_POWF, EOP_MAX, EOP_MIN,
    /* reductions: kids lo, hi, body (body under one more binder) */
    EOP_SUM, EOP_PROD, EOP_RMAX, EOP_RMIN, EOP_ARGMAX, EOP_ARGMIN,
    EOP_COUNT
} eop;

typedef enum eop_class { EOC_LEAF, EOC_ACCESS, EOC_BINARY, EOC_UNARY, EOC_CMP, EOC_LOGIC, EOC_WHERE, EOC_CALL, EOC_REDUCE } eop_class;

/* Most children an e-node has (tensor ranks of formulas are at most this). */
#define ENODE_MAX_KIDS 8

typedef struct enode {
    uint8_t op;              /* eop */
    uint8_t n;               /* children */
    uint32_t sym;            /* EOP_SYM / EOP_ACCESS: name id; EOP_BVAR: index */
    double num;              /* EOP_NUM (0 is always +0) */
    eclass_id kids[ENODE_MAX_KIDS];
} enode;

/* Operator facts. */
const char *eop_name(eop op);        /* "+", "exp", "sum", ... (the formula spelling) */
eop_class eop_kind(eop op);
int eop_arity(eop op);               /* -1 for EOP_ACCESS */
bool eop_is_reduce(eop op);
/* Whether child i of an op is under the op's binder (the body of a reduction). */
static inline bool eop_binds_kid(eop op, int i) { return op >= EOP_SUM && op <= EOP_ARGMIN && i == 2; }
/* A named function defined by other operators of the language (sigmoid(a) = 1 / (1 + exp(-a)),
 * rsqrt(a) = 1 / sqrt(a)): an abbreviation, readable inside a formula but no content as a whole
 * right-hand side (extract_unfold_root). */
static inline bool eop_is_abbreviation(eop op) { return op == EOP_SIGMOID || op == EOP_RSQRT; }

/* Lookups from formula spellings; EOP_COUNT when unknown. */
eop eop_from_call(const char *name, int n_args);     /* "max" with 2 args -> EOP_MAX */
eop eop_from_reduce(const char *name);
eop eop_from_binop(int op);                          /* '+', ..., FOP_FLOORDIV, '^' */
eop eop_from_cmp(int fcmp);

/* Content equality and hash (children compared by id: canonicalize them first). */
bool enode_equal(const enode *a, const enode *b);
uint64_t enode_hash(const enode *n);
/* Total order used for deterministic iteration: op, payload, children. */
int enode_compare(const enode *a, const enode *b);

#endif
