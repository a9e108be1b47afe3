/* formula: the formula language in which lifted and expected results are written — index
 * notation with bounded reductions, one equation per output:
 *
 *   y[i,j]  = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))          # softmax
 *   mean[i] = sum(k in 0..N: x[i,k]) / N                        # an output used by name
 *   rstd[i] = 1 / sqrt(sum(k in 0..N: (x[i,k] - mean[i])^2) / N + eps)
 *   y[i]    = sum(k in 0..i+1: x[k])                            # cumsum
 *   out     = sqrt(sum(k in 0..n: x[k]^2))                      # scalar output
 *
 * Grammar (equations separated by newlines or ';', '#' starts a comment):
 *   equation  := NAME [ '[' IDENT {',' IDENT} ']' ] '=' expr
 *   expr      := 'where' '(' expr ',' expr ',' expr ')' | or-expr with the usual precedence:
 *                or < and < not < comparisons (< <= > >= == !=) < + - < * / // % < unary - < ^
 *                (^ is power, right-associative; -x^2 is -(x^2); comparisons do not chain;
 *                where(...) is also accepted as a primary, e.g. 2 * where(c, a, b))
 *   primary   := NUMBER | 'inf' | NAME | NAME '[' expr {',' expr} ']' | '(' expr ')'
 *              | FUNC '(' expr {',' expr} ')'
 *              | RED '(' IDENT 'in' expr '..' expr ':' expr ')'      (half-open range lo..hi)
 *   FUNC      := exp exp2 log log2 sqrt rsqrt abs erf tanh sigmoid sin cos pow max min
 *                (max/min with two arguments are binary)
 *   RED       := sum prod max min argmax argmin
 * A bare NAME is an index variable when bound (equation indices, reduction binders), else a
 * parameter (a size such as N, or a scalar argument such as eps). NAME[...] is an element of an
 * input tensor or of another output defined in the same formula.
 * Semantics: reals; index expressions are integers (Python // and % on them); argmax/argmin
 * return the first index of the extremum; a reduction over an empty range is the identity
 * (0, 1, -inf, +inf) and argmax/argmin of an empty range is an error. */
#ifndef VLIFT_FORMULA_H
#define VLIFT_FORMULA_H
#include "util/arena.h"
#include "util/diag.h"
#include <stdbool.h>
#include <stdint.h>

struct strbuf;

typedef enum fexpr_kind {
    FX_NUM,        /* num */
    FX_NAME,       /* name: an index variable or a parameter (resolved at evaluation) */
    FX_ACCESS,     /* name[args]: tensor or output element */
    FX_BINOP,      /* op: '+', '-', '*', '/', '%', '^' ; args[0], args[1] */
    FX_NEG,        /* args[0] */
    FX_CMP,        /* op: FC_LT, FC_LE, FC_GT, FC_GE, FC_EQ, FC_NE */
    FX_AND, FX_OR, FX_NOT,
    FX_WHERE,      /* args[0] ? args[1] : args[2] */
    FX_CALL,       /* name (function), args */
    FX_REDUCE,     /* name (sum/prod/max/min/argmax/argmin), var, args[0] = lo, args[1] = hi, args[2] = body */
} fexpr_kind;

typedef enum fcmp { FC_LT, FC_LE, FC_GT, FC_GE, FC_EQ, FC_NE } fcmp;

typedef struct fexpr fexpr;
struct fexpr {
    fexpr_kind kind;
    int line, col;
    double num;
    const char *name;
    const char *var;       /* FX_REDUCE binder */
    int op;
    fexpr **args;
    int n_args;
};

typedef struct fequation {
    const char *output;
    const char **indices;   /* the left-hand side's index variables */
    int n_indices;
    fexpr *rhs;
    int line, col;
} fequation;

typedef struct formula {
    fequation *eqs;
    int n_eqs;
    const char *file;       /* the file positions refer to (evaluation errors); may be NULL */
} formula;

/* op of an FX_BINOP for floor division '//' (Python semantics, for index expressions such as
 * c // CG); the other operators use their character. */
#define FOP_FLOORDIV 0x2F2F

/* Structural equality: same tree, names and numbers; source positions are ignored. */
bool fexpr_equal(const fexpr *a, const fexpr *b);
bool formula_equal(const formula *a, const formula *b);

/* Parses formula text. line/col are the position of text's first character in `file` (a
 * manifest, usually), so errors read file:line:col. */
formula *formula_parse(arena *a, const char *file, int line, int col, const char *text, diag *err);
const fequation *formula_find(const formula *f, const char *output);

/* Printers. Text is the syntax above (parses back to an equal formula); LaTeX for paper
 * tables; PyTorch as an expression over torch tensors named like the inputs. */
void formula_print_text(const formula *f, struct strbuf *out);
void fexpr_print_text(const fexpr *e, struct strbuf *out);
void formula_print_latex(const formula *f, struct strbuf *out);
void formula_print_pytorch(const formula *f, struct strbuf *out);

/* Numeric evaluation. Tensor elements and parameters come from the environment; outputs of the
 * formula referenced by name are evaluated recursively (memoised within one evaluator). */
typedef struct formula_env {
    /* Element of an input tensor; false if the name is unknown or the index out of range
     * (the evaluator reports which). */
    bool (*tensor)(void *ctx, const char *name, int rank, const int64_t *index, double *out);
    /* A parameter or size; false if unknown. */
    bool (*param)(void *ctx, const char *name, double *out);
    void *ctx;
} formula_env;

typedef struct formula_evaluator formula_evaluator;
formula_evaluator *formula_evaluator_new(const formula *f, const formula_env *env);
void formula_evaluator_free(formula_evaluator *ev);
/* Value of output[index]; false with err filled (position of the offending sub-expression) on
 * an unknown name, an index out of range, a wrong number of indices, an empty argmax. */
bool formula_eval(formula_evaluator *ev, const char *output, const int64_t *index, double *out, diag *err);

#endif
