/* vc_term: the terms verification conditions are written in — hash-consed, typed (Bool, Int,
 * Real), with exact rational constants, the extended-real constants ±inf, uninterpreted
 * function applications (tensor memories, transcendental functions, unspecified values) and
 * bounded reductions `red(k in lo..hi: body)` whose binder is a de Bruijn index (locally
 * nameless: a reduction's body refers to its own binder as bvar 0, to the binder around it as
 * bvar 1, ...). Alpha-equivalent terms are therefore the same term (the same id), which is what
 * lets a reduction produced by the kernel meet the one written in the formula.
 *
 * Constructors fold constants and apply only identities that hold in the extended reals of the
 * semantics model (x + 0 = x, x * 1 = x; x * 0 = 0 only for terms that cannot be infinite);
 * heavier rewriting lives in normalize.c and lemmas.c. Every term of a store lives until the
 * store is freed. */
#ifndef VLIFT_VC_TERM_H
#define VLIFT_VC_TERM_H
#include "util/arena.h"
#include <stdbool.h>
#include <stdint.h>

struct strbuf;

typedef uint32_t vt_id;             /* 0 is "no term" */
#define VT_NONE 0u

typedef enum vt_sort { VS_BOOL, VS_INT, VS_REAL } vt_sort;

typedef enum vt_kind {
    VK_BOOLC,      /* ival 0/1 */
    VK_INTC,       /* ival */
    VK_REALC,      /* q (exact rational) */
    VK_INF,        /* ival +1 / -1: the extended reals' +inf / -inf */
    VK_VAR,        /* free variable: name, sort */
    VK_BVAR,       /* bound variable: ival = de Bruijn index (always Int) */
    VK_ADD,        /* n-ary sum, Int or Real */
    VK_MUL,        /* n-ary product, Int or Real */
    VK_DIV,        /* Real division a / b (b = 0: an unspecified real, as in z3) */
    VK_FDIV,       /* Int floor division (Python //) */
    VK_FMOD,       /* Int floor modulo (Python %) */
    VK_TDIV,       /* Int truncating division (C /, Triton integer tensors) */
    VK_TMOD,       /* Int truncating modulo (C %) */
    VK_MAX, VK_MIN,/* binary, the interpreter's semantics: a > b ? a : b / a < b ? a : b */
    VK_ITE,        /* args: condition, then, else */
    VK_LT, VK_LE, VK_EQ,   /* comparisons of two Int or two Real terms */
    VK_AND, VK_OR, /* n-ary */
    VK_NOT,
    VK_TOREAL,     /* Int -> Real */
    VK_TOINT,      /* Real -> Int, truncating */
    VK_APP,        /* uninterpreted function `name` applied to args; sort given */
    VK_RED,        /* reduction op (vt_red_op): args lo, hi, body (binds bvar 0, Int); ival 1: the
                      range is known to be nonempty (so a max/min of finite values is finite) */
} vt_kind;

typedef enum vt_red_op { VR_SUM, VR_PROD, VR_MAX, VR_MIN, VR_ARGMAX, VR_ARGMIN } vt_red_op;

typedef struct vt_rat { int64_t num, den; } vt_rat;   /* den > 0, reduced */

typedef struct vt_node {
    vt_kind kind;
    vt_sort sort;
    int op;                 /* VK_RED: vt_red_op */
    int n;                  /* number of args */
    const vt_id *args;
    int64_t ival;
    vt_rat q;
    const char *name;       /* VK_VAR / VK_APP: interned */
    uint32_t hash;
    uint32_t depth;         /* 1 + number of loose bound-variable levels: 0 = locally closed */
    bool maybe_inf;         /* may evaluate to +-inf or NaN (static over-approximation) */
} vt_node;

typedef struct vt_store vt_store;

vt_store *vt_store_new(void);
void vt_store_free(vt_store *s);
const vt_node *vt_get(const vt_store *s, vt_id t);
size_t vt_store_size(const vt_store *s);
arena *vt_arena(vt_store *s);     /* for callers' allocations that live as long as the terms */
const char *vt_intern(vt_store *s, const char *name);

static inline vt_kind vt_kind_of(const vt_store *s, vt_id t) { return vt_get(s, t)->kind; }
static inline vt_sort vt_sort_of(const vt_store *s, vt_id t) { return vt_get(s, t)->sort; }

/* ---- rationals (exact; false on int64 overflow) ---- */
vt_rat vt_rat_make(int64_t num, int64_t den);
bool vt_rat_add(vt_rat a, vt_rat b, vt_rat *out);
bool vt_rat_mul(vt_rat a, vt_rat b, vt_rat *out);
bool vt_rat_div(vt_rat a, vt_rat b, vt_rat *out);
int vt_rat_cmp(vt_rat a, vt_rat b);
/* The rational a decimal literal denotes: the shortest decimal string that reads back as d
 * (a kernel's 0.1 is the real 1/10). False when not representable in int64 parts. */
bool vt_rat_from_double(double d, vt_rat *out);
double vt_rat_to_double(vt_rat q);

/* ---- constructors ---- */
vt_id vt_bool(vt_store *s, bool v);
vt_id vt_int(vt_store *s, int64_t v);
vt_id vt_real(vt_store *s, vt_rat q);
vt_id vt_real_int(vt_store *s, int64_t v);
vt_id vt_inf(vt_store *s, int sign);
vt_id vt_var(vt_store *s, const char *name, vt_sort sort);
vt_id vt_bvar(vt_store *s, int index);
vt_id vt_add(vt_store *s, vt_id a, vt_id b);
vt_id vt_sub(vt_store *s, vt_id a, vt_id b);
vt_id vt_mul(vt_store *s, vt_id a, vt_id b);
vt_id vt_neg(vt_store *s, vt_id a);
vt_id vt_addn(vt_store *s, vt_sort sort, int n, const vt_id *args);
vt_id vt_muln(vt_store *s, vt_sort sort, int n, const vt_id *args);
vt_id vt_div(vt_store *s, vt_id a, vt_id b);
vt_id vt_fdiv(vt_store *s, vt_id a, vt_id b);
vt_id vt_fmod(vt_store *s, vt_id a, vt_id b);
vt_id vt_tdiv(vt_store *s, vt_id a, vt_id b);
vt_id vt_tmod(vt_store *s, vt_id a, vt_id b);
vt_id vt_cdiv(vt_store *s, vt_id a, vt_id b);      /* (a + b - 1) // b */
vt_id vt_max(vt_store *s, vt_id a, vt_id b);
vt_id vt_min(vt_store *s, vt_id a, vt_id b);
vt_id vt_ite(vt_store *s, vt_id c, vt_id a, vt_id b);
vt_id vt_lt(vt_store *s, vt_id a, vt_id b);
vt_id vt_le(vt_store *s, vt_id a, vt_id b);
vt_id vt_gt(vt_store *s, vt_id a, vt_id b);
vt_id vt_ge(vt_store *s, vt_id a, vt_id b);
vt_id vt_eq(vt_store *s, vt_id a, vt_id b);
vt_id vt_ne(vt_store *s, vt_id a, vt_id b);
/* Agreement of two values: equal, or both NaN. IEEE's == is false for NaN, so it is the wrong
 * relation between a value a kernel writes and the value it should write (an unspecified value
 * agrees with itself). Equality when neither can be NaN, else the application VT_SAME. */
#define VT_SAME "same"
vt_id vt_same(vt_store *s, vt_id a, vt_id b);
vt_id vt_and(vt_store *s, vt_id a, vt_id b);
vt_id vt_or(vt_store *s, vt_id a, vt_id b);
vt_id vt_andn(vt_store *s, int n, const vt_id *args);
vt_id vt_orn(vt_store *s, int n, const vt_id *args);
vt_id vt_not(vt_store *s, vt_id a);
vt_id vt_implies(vt_store *s, vt_id a, vt_id b);
vt_id vt_toreal(vt_store *s, vt_id a);
vt_id vt_toint(vt_store *s, vt_id a);
vt_id vt_app(vt_store *s, const char *fn, vt_sort sort, int n, const vt_id *args);
vt_id vt_app1(vt_store *s, const char *fn, vt_sort sort, vt_id a);
/* A reduction over k in lo..hi whose body is given with bvar 0 for k. */
vt_id vt_red(vt_store *s, vt_red_op op, vt_id lo, vt_id hi, vt_id body);
/* A max/min over a range proved nonempty (lemmas.c proves lo < hi first): finite when its
 * body is. */
vt_id vt_red_nonempty(vt_store *s, vt_red_op op, vt_id lo, vt_id hi, vt_id body);
/* What a reduction over an empty range is, as the SMT encoding defines it (smt.c): 0 for a
 * sum, 1 for a product (in the body's sort), -inf / +inf for a real max / min. VT_NONE for
 * argmax/argmin and an integer max/min, which have none. */
vt_id vt_red_identity(vt_store *s, vt_red_op op, vt_sort body_sort);
/* The same, with the binder given as a free variable of body (closed over). */
vt_id vt_red_over(vt_store *s, vt_red_op op, vt_id var, vt_id lo, vt_id hi, vt_id body);
/* Builds a node of any kind from parts (used by generic rewriting): runs the constructor. */
vt_id vt_rebuild(vt_store *s, vt_id like, int n, const vt_id *args);

/* Converts a term to the given sort (Bool -> Int as 0/1, Int -> Real, Real -> Int truncating). */
vt_id vt_convert(vt_store *s, vt_id a, vt_sort to);

/* ---- queries ---- */
bool vt_is_const(const vt_store *s, vt_id t, int64_t *v);      /* Int/Bool constant */
bool vt_is_rat(const vt_store *s, vt_id t, vt_rat *q);          /* Real or Int constant */
bool vt_is_zero(const vt_store *s, vt_id t);
bool vt_is_one(const vt_store *s, vt_id t);
bool vt_contains_var(const vt_store *s, vt_id t, vt_id var);
bool vt_contains_app(const vt_store *s, vt_id t, const char *prefix);   /* an APP whose name starts with prefix */
/* Free variables (VK_VAR ids) of t, deduplicated, in first-occurrence order; returns count. */
int vt_free_vars(const vt_store *s, vt_id t, vt_id *out, int max);
const char *vt_red_op_name(vt_red_op op);

/* ---- binders and substitution (memoised over the DAG) ---- */
vt_id vt_open(vt_store *s, vt_id body, vt_id value);           /* body with bvar 0 := value */
vt_id vt_shift(vt_store *s, vt_id t, int by);                  /* loose bound variables + by */
vt_id vt_close(vt_store *s, vt_id t, vt_id var);               /* var := bvar 0 (for a new binder) */
/* free var := value; a value with loose bound variables (relative to t's root) is shifted
 * when it moves under t's binders */
vt_id vt_subst(vt_store *s, vt_id t, vt_id var, vt_id value);
vt_id vt_subst_many(vt_store *s, vt_id t, int n, const vt_id *vars, const vt_id *values);
/* Replaces every occurrence of the term `from` (any term) by `to`. */
vt_id vt_replace(vt_store *s, vt_id t, vt_id from, vt_id to);
vt_id vt_replace_many(vt_store *s, vt_id t, int n, const vt_id *from, const vt_id *to);   /* simultaneous */

/* ---- concrete evaluation (vc_eval.c; for tests and diagnostics) ---- */

/* Values of free variables, by id; uninterpreted functions get a deterministic pseudo-random
 * value of their name and arguments (exp, log, sqrt, ... their real meaning). */
typedef struct vt_env {
    const vt_id *vars;
    const double *values;     /* Int variables hold integral doubles */
    int n;
    uint64_t salt;            /* varies the uninterpreted functions */
} vt_env;

/* Evaluates a closed term; false on division by zero, an unbound variable or a reduction over
 * more than 10^5 elements. Booleans are 0/1; Reals may be +-inf or NaN. */
bool vt_eval(const vt_store *s, vt_id t, const vt_env *env, double *out);

/* ---- printing ---- */
void vt_print(const vt_store *s, vt_id t, struct strbuf *out);
const char *vt_str(vt_store *s, vt_id t);       /* printed into the store's arena */

#endif
