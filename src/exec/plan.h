/* plan: what an operator is and how the host launches it — the in-memory form of one suite
 * manifest entry. The manifest loader (bench/manifest.c) fills it from YAML; the interpreter
 * executes it. Expressions (sizes, grids, argument bindings, preconditions) are kept as source
 * text with their manifest position and are parsed as Python expressions when used, so that
 * their errors point at the manifest (file:line:col).
 *
 * Expression scope, innermost first: call bindings, variant constexprs (in order), sizes,
 * scalar params, tensors (a tensor name is a pointer to its first element). Functions:
 * cdiv(a,b), next_pow2(a) (= triton.next_power_of_2), ceil_sqrt(a), min, max, abs,
 * stride(t,d), size(t,d), numel(t). Integer arithmetic is Python's. */
#ifndef VLIFT_PLAN_H
#define VLIFT_PLAN_H
#include <stdbool.h>
#include <stdint.h>

#define PLAN_MAX_RANK 4

typedef struct plan_expr {
    const char *text;        /* NULL when absent */
    const char *file;        /* the manifest */
    int line, col;           /* position of text's first character */
} plan_expr;

typedef enum elem_dtype {
    DT_FLOAT32, DT_FLOAT16, DT_BFLOAT16, DT_FLOAT64,
    DT_INT8, DT_INT16, DT_INT32, DT_INT64, DT_BOOL,
} elem_dtype;

typedef enum tensor_role { ROLE_INPUT, ROLE_OUTPUT, ROLE_INOUT, ROLE_TEMP } tensor_role;

typedef struct plan_tensor {
    const char *name;
    tensor_role role;
    elem_dtype dtype;
    int rank;
    plan_expr shape[PLAN_MAX_RANK];
    plan_expr strides[PLAN_MAX_RANK];   /* all absent = contiguous row-major */
    double lo, hi;                      /* range of random input values (default -1, 1) */
    const double *values;               /* explicit input values in row-major logical order */
    int n_values;                       /* (tests and replays); 0: random */
    int line, col;
} plan_tensor;

typedef struct plan_param {           /* a scalar kernel argument such as eps or alpha */
    const char *name;
    elem_dtype dtype;
    double value;                     /* value used by concrete runs */
    bool symbolic;                    /* kept as a variable in specs (default: floats yes) */
    int line, col;
} plan_param;

typedef struct plan_size {            /* a size symbol such as M or N */
    const char *name;
    int64_t value;                    /* default for run/spec */
    int line, col;
} plan_size;

typedef struct plan_check_size {     /* sizes at which check-suite tests a size symbol */
    const char *name;
    const int64_t *values;
    int n_values;
    int line, col;
} plan_check_size;

typedef struct plan_binding {
    const char *name;
    plan_expr value;
} plan_binding;

typedef enum step_kind { STEP_LAUNCH, STEP_CALL } step_kind;

typedef struct plan_step {
    step_kind kind;
    int line, col;
    plan_expr when;                   /* optional guard; the step runs when it is true */
    /* STEP_LAUNCH */
    const char *kernel;               /* jitted function name */
    const char *source;               /* resolved path of its file (the op's first source if NULL) */
    plan_expr grid[3];                /* absent entries are 1 */
    int grid_rank;
    plan_binding *args;               /* kernel parameter -> expression; unbound parameters are
                                         looked up by their own name in scope, then defaults */
    int n_args;
    /* STEP_CALL: run another variant of the same operator (recursion allowed, depth-limited)
     * with some tensors and sizes rebound: `bind` maps a tensor name to a tensor expression
     * or a size name to an integer expression, evaluated in the caller's scope. */
    const char *variant;
    plan_binding *bind;
    int n_bind;
} plan_step;

typedef struct plan_variant {
    const char *name;
    int line, col;
    plan_binding *constexprs;         /* evaluated in order; may refer to sizes and earlier ones */
    int n_constexprs;
    plan_expr *preconditions;         /* boolean expressions over sizes and constexprs */
    int n_preconditions;
    plan_tensor *temps;               /* intermediate buffers, allocated per variant activation */
    int n_temps;
    plan_step *steps;
    int n_steps;
} plan_variant;

typedef struct plan_op {
    const char *name;
    const char *category;             /* elementwise / reduction / normalization / scan / matmul
                                         (free text for other suites) */
    const char **sources;             /* resolved paths */
    int n_sources;
    plan_size *sizes;
    int n_sizes;
    plan_param *params;
    int n_params;
    plan_tensor *tensors;             /* inputs and outputs of the operator */
    int n_tensors;
    plan_variant *variants;
    int n_variants;
    plan_expr expected;               /* expected textbook formula (text); may be absent */
    plan_check_size *check_sizes;     /* optional: per size symbol, the values check-suite uses */
    int n_check_sizes;
    const char *manifest;
    int line, col;
} plan_op;

typedef struct plan_suite {
    const char *name;
    const char *file;
    const char *source_root;          /* resolved directory */
    plan_op *ops;
    int n_ops;
} plan_suite;

const plan_op *plan_find_op(const plan_suite *s, const char *name);
const plan_variant *plan_find_variant(const plan_op *op, const char *name);
const char *elem_dtype_name(elem_dtype t);
bool elem_dtype_parse(const char *name, elem_dtype *out);   /* "float32", "fp32", "int64", ... */
bool elem_dtype_is_float(elem_dtype t);

#endif
