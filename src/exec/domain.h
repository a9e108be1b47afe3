/* domain: the value domain interface the interpreter computes through, and its two instances.
 *
 *  - concrete: lanes are doubles, int64s and bools; used by `vlift run`, check-suite,
 *    counterexample replay and cross-checks.
 *  - symbolic: floating-point input elements and symbolic parameters are term variables and
 *    every operation on them builds a hash-consed term; lanes whose operands are all concrete
 *    (indices, masks, sizes) are computed concretely, so control flow and addressing stay
 *    concrete at a fixed size. Used by `vlift spec` and synthesis.
 *
 * The interpreter never looks inside a lane except through these operations, so a third domain
 * (e.g. SMT terms with symbolic indices) can be added without touching it. Integer and boolean
 * input tensors hold concrete (random) values in both domains (a documented limitation: gathers
 * through data-dependent indices are executed, not modelled). */
#ifndef VLIFT_DOMAIN_H
#define VLIFT_DOMAIN_H
#include "exec/value.h"
#include "util/rng.h"

typedef enum arith_op {
    AR_ADD, AR_SUB, AR_MUL,
    AR_TRUEDIV,                 /* floats only (operands promoted first) */
    AR_FLOORDIV, AR_MOD,        /* Python semantics (constexpr/Python ints, floats) */
    AR_TRUNCDIV, AR_TRUNCMOD,   /* C semantics: Triton integer tensors */
    AR_MAX, AR_MIN, AR_POW,
    AR_BITAND, AR_BITOR, AR_BITXOR, AR_SHL, AR_SHR,   /* ints; AND/OR/XOR also on bools */
} arith_op;

typedef enum math_fn {
    MF_NEG, MF_ABS, MF_EXP, MF_EXP2, MF_LOG, MF_LOG2, MF_SQRT, MF_RSQRT, MF_SIGMOID, MF_ERF,
    MF_TANH, MF_SIN, MF_COS, MF_NOT, MF_INVERT,
} math_fn;

typedef struct value_domain value_domain;

typedef struct domain_ops {
    const char *name;
    /* Operands already promoted to class `cls` (compare: operand class; result is bool).
     * Return false (and set d->why) for an operation the domain cannot represent. */
    bool (*arith)(value_domain *d, arith_op op, vclass cls, elem a, elem b, elem *out);
    bool (*math)(value_domain *d, math_fn fn, vclass cls, elem a, elem *out);
    bool (*compare)(value_domain *d, cmp_kind op, vclass cls, elem a, elem b, elem *out);
    bool (*select)(value_domain *d, vclass cls, elem c, elem a, elem b, elem *out);
    bool (*convert)(value_domain *d, vclass from, vclass to, elem a, elem *out);
    /* The value of an input tensor element (random_value drawn by the caller). */
    elem (*input)(value_domain *d, const char *tensor, int rank, const int64_t *index, vtype ty,
                  double random_value);
    /* A scalar parameter (eps, alpha): symbolic ones become variables in the symbolic domain. */
    elem (*param)(value_domain *d, const char *name, vtype ty, double value, bool symbolic);
    /* An unspecified value: a masked-off lane loaded without `other=`, or memory never written. */
    elem (*unspecified)(value_domain *d, vtype ty);
    /* A lane's concrete value as int64 / bool for control flow and addressing; false if symbolic. */
    bool (*concrete_int)(value_domain *d, vclass cls, elem a, int64_t *out);
} domain_ops;

struct value_domain {
    const domain_ops *ops;
    term_store *terms;      /* symbolic domain only */
    rng *rng;               /* unspecified values, owned by the caller */
    int64_t n_unspecified;  /* counter naming symbolic unspecified values */
    const char *why;        /* reason for the last failed operation */
};

extern const domain_ops concrete_domain_ops;
extern const domain_ops symbolic_domain_ops;

/* Concrete semantics shared by both domains (the symbolic one folds through them). */
bool concrete_arith(arith_op op, vclass cls, elem a, elem b, elem *out, const char **why);
bool concrete_math(math_fn fn, vclass cls, elem a, elem *out, const char **why);
bool concrete_compare(cmp_kind op, vclass cls, elem a, elem b, elem *out);
bool concrete_convert(vclass from, vclass to, elem a, elem *out);
double concrete_as_double(vclass cls, elem a);
const char *arith_op_name(arith_op op);
const char *math_fn_name(math_fn fn);

#endif
