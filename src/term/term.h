/* term: a hash-consed store of expressions over reals, integers and booleans, shared by
 * symbolic specs, formulas and the e-graph. Each distinct expression exists once (a term is
 * a 32-bit id into its store), so equality of terms is equality of ids. Construction
 * normalises as it goes: arguments of commutative operators are ordered by id, constants are
 * folded, and identities that hold in the semantics model (reals extended with ±inf only as
 * constants; input variables are finite) are applied: x+0, x*1, x*0, max(x,-inf), exp(-inf),
 * where(true,a,b), ... The store is not thread-safe: one per lift. */
#ifndef VLIFT_TERM_H
#define VLIFT_TERM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t term_id;
#define TERM_NONE ((term_id)0)   /* id 0 is never a valid term */

typedef enum term_type { TY_REAL, TY_INT, TY_BOOL } term_type;

typedef enum term_op {
    /* leaves */
    T_CONST,      /* value in cval (reals, may be ±inf), ival (ints), ival 0/1 (bools) */
    T_VAR,        /* an input element or parameter: var index into the store's var table */
    /* arithmetic (real or int by type) */
    T_ADD, T_SUB, T_MUL, T_DIV,          /* T_DIV is real division */
    T_NEG,
    T_FLOORDIV, T_MOD,                   /* int, Python semantics (floor) */
    T_TRUNCDIV, T_TRUNCMOD,              /* int, C semantics (Triton tensors) */
    T_MAX, T_MIN,                        /* binary */
    T_POW,
    T_ABS,
    /* transcendental (uninterpreted in SMT, with axioms) */
    T_EXP, T_EXP2, T_LOG, T_LOG2, T_SQRT, T_RSQRT, T_SIGMOID, T_ERF, T_TANH,
    T_SIN, T_COS,
    /* conversions */
    T_TO_REAL,    /* int -> real */
    T_TO_INT,     /* real -> int, truncation toward zero */
    /* comparisons (bool) */
    T_LT, T_LE, T_EQ, T_NE,              /* a > b is built as b < a */
    /* logic */
    T_AND, T_OR, T_NOT,
    T_SELECT,     /* where(c, a, b) */
    T_OP_COUNT
} term_op;

typedef struct term_node {
    uint8_t op;           /* term_op */
    uint8_t type;         /* term_type */
    uint8_t n_args;       /* 0..3 */
    uint8_t finite;       /* 1 if the value can never be ±inf/NaN in the model */
    uint32_t size;        /* tree size (saturating), for printing and cost */
    term_id args[3];
    union {
        double cval;      /* T_CONST of TY_REAL */
        int64_t ival;     /* T_CONST of TY_INT/TY_BOOL */
        uint32_t var;     /* T_VAR */
    } u;
} term_node;

/* A variable's description. The typedef is term_variable, not term_var: that identifier is
 * the constructor function below, and C gives typedefs and functions one namespace. */
typedef struct term_var {
    const char *name;     /* tensor or parameter name */
    int rank;             /* 0 for a scalar parameter */
    int64_t index[4];     /* element index for tensor elements */
    term_type type;
    term_id term;         /* the T_VAR term of this variable */
} term_variable;

typedef struct term_store term_store;

term_store *term_store_new(void);
void term_store_free(term_store *s);
size_t term_store_size(const term_store *s);     /* number of distinct terms */

/* Nodes and variables never move: the pointers stay valid until term_store_free, even while
 * more terms are built. term_get returns NULL for TERM_NONE or an id not in the store. */
const term_node *term_get(const term_store *s, term_id t);
const term_variable *term_var_info(const term_store *s, uint32_t var);
size_t term_var_count(const term_store *s);      /* variables are numbered 0..count-1 */

/* Leaves. Names are copied into the store. The same (name, index) gives the same variable;
 * asking for it again with another type is an error (TERM_NONE), as are rank > 4 and a NaN
 * constant (NaN is not a value of the model). -0.0 is stored as 0.0. */
term_id term_real(term_store *s, double v);
term_id term_int(term_store *s, int64_t v);
term_id term_bool(term_store *s, bool v);
term_id term_var(term_store *s, const char *name, int rank, const int64_t *index, term_type type);

/* Generic constructor: applies normalisation and folding. Types must agree (reals with reals,
 * ints with ints; comparisons take two operands of one type; T_SELECT takes a bool and two
 * operands of one type); a type error returns TERM_NONE. */
term_id term_make(term_store *s, term_op op, int n_args, const term_id *args);
term_id term_un(term_store *s, term_op op, term_id a);
term_id term_bin(term_store *s, term_op op, term_id a, term_id b);
term_id term_select(term_store *s, term_id c, term_id a, term_id b);

bool term_is_const(const term_store *s, term_id t);
bool term_const_value(const term_store *s, term_id t, double *out);   /* any type, as double */

/* Printing in the formula language's text syntax: x[0,3], exp(a - b), where(c, a, b), -inf,
 * with the fewest parentheses the precedences allow (or < and < not < comparisons < + - <
 * * / // % < unary - < ^; ^ is right-associative, comparisons do not chain) and negative
 * constants parenthesised as operands. term_print appends to out. Printing is iterative, so
 * deep terms do not exhaust the stack. TERM_NONE prints as <none>. */
struct strbuf;
void term_print(const term_store *s, term_id t, struct strbuf *out);
/* Prints each root as a line "root_names[i] = expr". Non-leaf subterms of size > 3 that occur
 * more than once in the printed text are bound once, on a line "%k = expr" (k = 1, 2, ...)
 * placed before the first root that uses them, and referred to as %k. A root that is itself
 * bound prints as "name = %k". Appends to out; deterministic. */
void term_print_dag(const term_store *s, const term_id *roots, int n, const char **root_names,
                    struct strbuf *out);
const char *term_op_name(term_op op);    /* short lower-case name: "add", "select", ... */

/* Evaluates a term numerically given values for the variables (indexed by var number). Reals,
 * ints and bools (0/1) all evaluate to doubles; undefined results (x / 0, log(-1)) give NaN
 * or ±inf as IEEE does. Memoised, so shared subterms are evaluated once per call; for many
 * calls over a large store, reuse a term_evaluator instead. var_values may be NULL if t has
 * no variables (variables then evaluate to NaN). */
double term_eval(const term_store *s, term_id t, const double *var_values);

/* A reusable evaluator: caches the value of every subterm it evaluates until reset, so a set
 * of roots sharing subterms (all outputs of a kernel) costs one pass. Call
 * term_evaluator_reset whenever the variable values change. Works for terms added to the
 * store after the evaluator was made. */
typedef struct term_evaluator term_evaluator;
term_evaluator *term_evaluator_new(const term_store *s);
void term_evaluator_reset(term_evaluator *e);    /* O(1): forget all cached values */
double term_evaluator_eval(term_evaluator *e, term_id t, const double *var_values);
void term_evaluator_free(term_evaluator *e);

#endif
