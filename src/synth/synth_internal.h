/* synth_internal: what the files of the synthesis stage share — scopes of index variables,
 * families of terms to lift, the sample points (random assignments of the inputs), the search
 * context, and the entry points of each part (grammar, index inference, evaluation, top-down,
 * bottom-up, checking). Not part of the module's contract (synth.h). */
#ifndef VLIFT_SYNTH_INTERNAL_H
#define VLIFT_SYNTH_INTERNAL_H
#include "synth/synth.h"
#include "synth/u64map.h"
#include "term/term.h"
#include "util/vec.h"

#define SYNTH_MAX_SCOPE 8      /* index variables in scope: output indices, then binders */
#define SYNTH_ASSIGN 3         /* random assignments of the inputs used when checking (the second
                                  draws from few values, so that ties and zeros occur) */
#define SYNTH_MAX_PRODUCTIONS 32   /* unary functions, binary operators, reductions: each at most */
#define SYNTH_OE_ASSIGN 2      /* the first ones, used for observational equivalence */

/* ---- scopes and families ------------------------------------------------------------------ */

typedef struct synth_ctx synth_ctx;

/* The index variables visible at a point of a formula: the lifted output's indices (n_outer of
 * them), then the binders of the enclosing reductions, outermost first. Names are chosen per
 * depth, so two scopes of one output with the same n are the same scope. */
typedef struct scope scope;
struct scope {
    int n, n_outer;
    const char *names[SYNTH_MAX_SCOPE];
    const scope *parent;       /* the scope without the innermost binder; NULL at the top */
    int output;                /* tensor index of the output being lifted */
};

/* One term to lift and where it sits: the run (size point) and the values of the scope's index
 * variables there (output element index, binder values). */
typedef struct member {
    term_id t;
    int run;
    int64_t env[SYNTH_MAX_SCOPE];
} member;

/* The same position of a formula at every output element of every run: one formula must
 * produce every member. Members are heap memory (family_free). */
typedef struct family {
    const scope *sc;
    member *m;
    int n, cap;
} family;

/* The scope inside one more reduction (its binder named for its depth); NULL when too deep. */
const scope *scope_child(synth_ctx *C, const scope *sc);

void family_init(family *f, const scope *sc);
void family_add(family *f, term_id t, int run, const int64_t *env);
void family_free(family *f);

/* ---- sample points -------------------------------------------------------------------------- */

/* Random real values for every input element and symbolic parameter, SYNTH_ASSIGN assignments.
 * An input element's value depends only on (seed, assignment, tensor, index), so a variable
 * x[0,1] has one value in every run. Integer inputs keep the concrete values of each run. */
typedef struct samples {
    uint64_t seed;
    double *var_values[SYNTH_ASSIGN];    /* by term variable number */
    size_t n_vars;
    term_evaluator *ev[SYNTH_ASSIGN];
    double *params[SYNTH_ASSIGN];        /* by the operator's parameter order */
} samples;

/* ---- the search context ---------------------------------------------------------------------- */

typedef struct bank bank;

/* One output element a term equals (chained when a term is several elements). */
typedef struct elem_ref {
    int tensor;
    int64_t flat;
    int next;                  /* index of the next elem_ref of the same term, or -1 */
} elem_ref;

struct synth_ctx {
    arena *a;                  /* formulas (the caller's arena) */
    arena scratch;             /* scopes, names and other per-stage allocations */
    const spec *sp;
    const plan_op *op;
    term_store *ts;
    const synth_options *opt;
    synth_stats *stats;
    samples smp;
    double deadline;           /* time_now() bound; 0: none */
    bool timed_out;
    bool memory_exhausted;     /* a bank reached the memory bound */
    size_t bank_bytes;
    /* outputs */
    int current;               /* tensor index of the output being lifted */
    fexpr **lifted;            /* by tensor index: the lifted right-hand side, or NULL */
    bool *references;          /* [a * n_tensors + b]: a's formula refers to output b (direct) */
    const char *index_names[PLAN_MAX_RANK];      /* names of an output's indices */
    const char *binder_names[SYNTH_MAX_SCOPE];   /* names of binders by depth */
    /* term -> output element: key (run << 32 | term), value: 1 + index into elem_refs */
    u64map elem_of;
    VEC(elem_ref) elem_refs;
    u64map sig;                /* term -> structural signature (per output: references differ) */
    u64map norm;               /* term -> AC-normal form (check.c) */
    VEC(fexpr *) subformulas;  /* reductions lifted for the current output, over its indices only */
    VEC(double) spec_constants;/* real constants of the current output's terms */
    VEC(bank *) banks;
    int size_cap;              /* bottom-up size bound of the current pass */
    /* the grammar's productions as this search may use them (dialect.c): a unary function's or
     * binary operator's cost (0: not in the dialect), whether comparisons and where exist, and
     * the reductions in the order they are tried */
    int unary_cost[SYNTH_MAX_PRODUCTIONS], binary_cost[SYNTH_MAX_PRODUCTIONS];
    bool cmp_allowed, where_allowed;
    int reductions[SYNTH_MAX_PRODUCTIONS], n_reductions;
    /* growing bounds (synth_options.growing_bounds): only runs whose sizes are all <= run_bound
     * take part in the search (0: every run) */
    int64_t run_bound;
};

/* The context of one synthesis run over a spec (synth_run; unit tests drive the parts through
 * it). Formulas go to arena a; everything else is freed by synth_ctx_free. */
void synth_ctx_init(synth_ctx *C, arena *a, const spec *sp, const synth_options *o, synth_stats *stats);
void synth_ctx_free(synth_ctx *C);
/* Starts lifting an output (tensor index): its scope of index variables. */
const scope *synth_begin_output(synth_ctx *C, int tensor);
/* Lifts the current output: top-down in passes of growing size bound, or bottom-up only. */
fexpr *lift_output(synth_ctx *C, const scope *sc);

/* True (and sets timed_out) once the deadline has passed. */
bool synth_out_of_time(synth_ctx *C);
/* The output tensors a formula for the current output may refer to: not itself, and not one
 * whose formula refers (transitively) to the current output. */
bool synth_may_reference(const synth_ctx *C, int tensor);
/* Output elements equal to term t at run r (first of a chain; -1 when none). */
int synth_first_elem(const synth_ctx *C, int run, term_id t);

/* ---- fexpr construction (arena C->a) ----------------------------------------------------- */

fexpr *fx_num(synth_ctx *C, double v);
fexpr *fx_name(synth_ctx *C, const char *name);
fexpr *fx_access(synth_ctx *C, const char *name, int n, fexpr **idx);
fexpr *fx_binop(synth_ctx *C, int op, fexpr *a, fexpr *b);
fexpr *fx_neg(synth_ctx *C, fexpr *a);
fexpr *fx_call(synth_ctx *C, const char *fn, int n, fexpr **args);
fexpr *fx_cmp(synth_ctx *C, fcmp op, fexpr *a, fexpr *b);
fexpr *fx_logic(synth_ctx *C, fexpr_kind kind, fexpr *a, fexpr *b);
fexpr *fx_where(synth_ctx *C, fexpr *c, fexpr *a, fexpr *b);
fexpr *fx_reduce(synth_ctx *C, const char *red, const char *var, fexpr *lo, fexpr *hi, fexpr *body);
int fx_size(const fexpr *e);
/* Copy of e whose reductions bind the names of depth `depth` and below (C->binder_names), so that
 * e can sit inside reductions over the shallower ones without shadowing them. */
fexpr *fx_rebind(synth_ctx *C, const fexpr *e, int depth);
/* Whether e mentions index variable `name` freely (not re-bound by a reduction inside). */
bool fx_uses(const fexpr *e, const char *name);

/* ---- grammar (grammar.c): every production of the search in one place ------------------------ */

typedef enum gfn_kind { GF_TRANSCENDENTAL, GF_ALGEBRAIC } gfn_kind;
typedef struct grammar_unary {
    const char *name;          /* formula function name; "neg" is unary minus, "sq" is e ^ 2 */
    term_op op;                /* the term operator (T_NEG for neg, T_POW for sq) */
    gfn_kind kind;             /* transcendental functions are not nested in each other */
} grammar_unary;
typedef struct grammar_binary {
    const char *name;          /* "+", "-", "*", "/", "pow", "max", "min" */
    term_op op;
    bool commutative;
} grammar_binary;

extern const grammar_unary grammar_unaries[];
extern const int grammar_n_unaries;
extern const grammar_binary grammar_binaries[];
extern const int grammar_n_binaries;
extern const fcmp grammar_cmps[];
extern const int grammar_n_cmps;
extern const char *const grammar_reductions[];      /* sum prod max min argmax argmin */
extern const int grammar_n_reductions;
extern const double grammar_constants[];            /* small constants always available */
extern const int grammar_n_constants;
extern const int64_t grammar_index_constants[];     /* constants of index expressions */
extern const int grammar_n_index_constants;

/* Numeric meaning of the productions (doubles; NaN when undefined). */
double grammar_apply_unary(int u, double x);
double grammar_apply_binary(int b, double x, double y);
bool grammar_apply_cmp(fcmp c, double x, double y);
/* Reductions: identity, combine step, and for argmax/argmin the comparison. */
double grammar_reduce_identity(int r);
/* Folds value v at binder value k into the accumulator (acc, best index). */
void grammar_reduce_step(int r, double *acc, double *best, double v, int64_t k, bool first);
/* The function named in a formula (exp, log, ..., pow, max, min) applied numerically; false
 * for an unknown name or arity. */
bool grammar_call(const char *name, int n, const double *args, double *out);
/* The term operator of a formula function (T_EXP for "exp", ...); T_CONST when none. */
term_op grammar_term_op(const char *name, int n_args);
/* The formula function for a unary term operator ("exp" for T_EXP); NULL when none. */
const char *grammar_function_of(term_op op);
/* Builds the fexpr of a unary / binary production applied to its operands. */
fexpr *grammar_unary_fexpr(synth_ctx *C, int u, fexpr *x);
fexpr *grammar_binary_fexpr(synth_ctx *C, int b, fexpr *x, fexpr *y);

/* ---- dialects (dialect.c): which productions a configuration's grammar has ------------------ */

/* Fills the context's production costs and reduction order from the options (grammar, weights). */
void dialect_init(synth_ctx *C);
/* Whether run r takes part in the search under the current run bound. */
bool synth_run_in_bound(const synth_ctx *C, int r);

/* ---- sample points (sample.c) -------------------------------------------------------------- */

void samples_init(synth_ctx *C);
void samples_free(samples *s);
/* Value of a spec term under assignment a (every variable of the spec has a value). */
double sample_term(synth_ctx *C, term_id t, int a);
/* Value of an input element (float inputs: the assignment's value; integer inputs: the run's
 * concrete value); false when the index is out of range. */
bool sample_input(synth_ctx *C, int run, int tensor, const int64_t *idx, int a, double *out);
/* A size (at the run) or parameter (assignment's value for symbolic ones, else the manifest's). */
bool sample_name(synth_ctx *C, int run, const char *name, int a, double *out);
/* An output element of the spec at run r, evaluated; false when out of range. */
bool sample_output(synth_ctx *C, int run, int tensor, const int64_t *idx, int a, double *out);

/* ---- evaluation of formulas at a point (eval.c) ------------------------------------------- */

typedef struct eval_point {
    int run, a;
    const scope *sc;           /* names of the bound index variables ... */
    const int64_t *env;        /* ... and their values */
} eval_point;

/* Evaluates e numerically. References to outputs read the spec's terms; names resolve to bound
 * index variables, then sizes, then parameters. False when undefined (unknown name, index out
 * of range, empty argmax). */
bool synth_eval(synth_ctx *C, const fexpr *e, const eval_point *p, double *out);
/* Same, for an index expression: the value must be an integer. */
bool synth_eval_index(synth_ctx *C, const fexpr *e, const eval_point *p, int64_t *out);

/* ---- index inference (index.c) ------------------------------------------------------------- */

/* Finds the first index expression of the index grammar (scope variables, sizes, integer
 * parameters, integer-input accesses, small constants; + - * // %) whose value at member k of
 * f is target[k] for every member. NULL when none up to the grammar's size bound. */
fexpr *index_infer(synth_ctx *C, const family *f, const int64_t *target);
/* Finds a comparison of two index expressions that is true exactly at the members where
 * truth[k] is set. NULL when none. */
fexpr *index_infer_condition(synth_ctx *C, const family *f, const bool *truth);

/* ---- top-down (topdown.c) ------------------------------------------------------------------ */

/* Lifts a family by its structure, asking the bottom-up search for the pieces it cannot split
 * (bounded by C->size_cap). NULL when no formula was found. */
fexpr *topdown_lift(synth_ctx *C, const family *f);
/* Structural signature of a term: equal for terms that differ only in which elements of a
 * tensor they read, in the values of constants of one class, and in how many operands an n-ary
 * sum/product/max/min has; an element of an output the current one may refer to is just that
 * reference. */
uint64_t term_signature(synth_ctx *C, term_id t);

/* ---- bottom-up (enumerate.c) ----------------------------------------------------------------- */

/* Looks the family up in the candidate bank of its scope and positions, enumerating candidates
 * by size up to C->size_cap. NULL when none matches (C->timed_out / C->memory_exhausted say
 * whether a bound stopped the search). */
fexpr *bottomup_find(synth_ctx *C, const family *f);
/* Frees every bank. (A bank made before a sub-formula was registered is rebuilt when next used.) */
void banks_free(synth_ctx *C);

/* ---- checking (check.c) -------------------------------------------------------------------- */

typedef enum check_outcome { CHECK_FAILED, CHECK_EXACT, CHECK_NUMERIC } check_outcome;

/* Checks e against every member of f on SYNTH_ASSIGN assignments (relative tolerance 1e-9).
 * On failure writes the first disagreement into why (may be NULL). */
bool check_family_numeric(synth_ctx *C, const family *f, const fexpr *e, char *why, int why_size);
/* Checks an output's right-hand side against its spec at every run: by term equality after
 * AC normalisation where every element allows it, else numerically. */
check_outcome check_output(synth_ctx *C, int tensor, const scope *sc, const fexpr *rhs, char *why, int why_size);
/* The AC-normal form of a term: nested sums, products, max and min flattened, operands sorted,
 * refolded; equal for terms equal up to associativity and commutativity. */
term_id term_ac_normal(synth_ctx *C, term_id t);
/* The term a formula denotes at one point (inputs as the spec's variables), or TERM_NONE when
 * it has no term form (argmax, unknown names). */
term_id fexpr_to_term(synth_ctx *C, const fexpr *e, const eval_point *p);

#endif
