/* interp: the tree-walking interpreter of @triton.jit functions, one program instance at a
 * time, over a value domain (see domain.h). It evaluates Python statements and expressions on
 * pyvals, delegates tensor built-ins to the built-in table (builtins.c) and memory accesses to
 * the buffers of the launch (memory.h). Every failure fills the diag with the kernel position:
 * UNSUPPORTED for constructs it does not model, RUNTIME for kernel bugs (out-of-bounds access,
 * conflicting writes), ERROR for wrong programs (unknown names, bad arguments), LIMIT when the
 * step, memory or recursion budget is exhausted. */
#ifndef VLIFT_INTERP_H
#define VLIFT_INTERP_H
#include "exec/memory.h"
#include "triton/ast.h"
#include "util/diag.h"

typedef struct interp {
    value_domain *dom;
    exec_memory *mem;
    const ast_module **modules;   /* the operator's sources: jitted calls resolve across them */
    int n_modules;
    arena *arena;                 /* per program instance */
    int64_t pid[3], grid[3];
    int32_t program_linear;       /* 1-based linear program id, for write-conflict reports */
    int depth;                    /* jitted call depth */
    uint64_t steps, max_steps;
    size_t max_arena_bytes;       /* bound on `arena` (0: none): values live until the program
                                     instance ends, so a long loop or huge blocks grow it */
    diag *err;
    const char *file;             /* source file of the code being executed */
} interp;

typedef struct call_args {
    int n;
    pyval **pos;
    int n_kw;
    const char **kw_names;
    pyval **kw_values;
    const ast_expr *site;         /* the call expression, for error positions */
} call_args;

typedef pyval *(*builtin_fn)(interp *I, const builtin_def *def, pyval *self, call_args *args);

/* Namespaces a built-in is reachable from. */
enum {
    NS_TL = 1,          /* triton.language */
    NS_MATH = 2,        /* triton.language.math */
    NS_LIBDEVICE = 4,   /* libdevice (any path), tl_extra_shim */
    NS_TLE = 8,         /* FlagGems' triton_lang_extension */
    NS_TRITON = 16,     /* triton */
    NS_PY = 32,         /* Python built-ins: range, min, max, len, int, float, abs, print */
    NS_METHOD = 64,     /* tensor methods: x.to(...) */
};

struct builtin_def {
    const char *name;
    unsigned namespaces;
    const char *signature;   /* parameter names, "=" marks optional ones: "x, axis=, keep_dims=" */
    builtin_fn fn;
    int code;                /* per-built-in selector (math_fn, arith_op, reduction kind) */
};

const builtin_def *builtin_lookup(unsigned ns, const char *name);
/* The namespace bit of a canonical module path ("triton.language" -> NS_TL, ...); 0 if unknown. */
unsigned builtin_namespace_of(const char *module_path);

/* Runs a jitted function with bound arguments; returns its value (PV_NONE if none) or NULL on
 * failure (err filled). */
pyval *interp_call_function(interp *I, const ast_module *mod, const ast_func *fn, call_args *args);

/* Failure helpers: set the diag at the given AST position in the current file; return NULL. */
pyval *interp_fail(interp *I, diag_kind kind, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
pyval *interp_fail_at(interp *I, diag_kind kind, const ast_expr *site, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool interp_tick(interp *I, const ast_expr *site, uint64_t n);   /* step and memory budget */

/* Binds call arguments to a built-in's signature: out[i] is the value of the i-th parameter or
 * NULL when absent. Fails on unknown keywords, missing required or surplus arguments. */
bool builtin_bind(interp *I, const builtin_def *def, call_args *args, pyval **out, int max_out);

/* Elementwise machinery (elementwise.c). */
block *as_block(interp *I, pyval *v, const ast_expr *site, const char *what);
pyval *op_binary(interp *I, const ast_expr *site, int binop, pyval *a, pyval *b);   /* binop_kind */
pyval *op_arith(interp *I, const ast_expr *site, arith_op op, pyval *a, pyval *b);
pyval *op_compare(interp *I, const ast_expr *site, cmp_kind op, pyval *a, pyval *b);
pyval *op_math(interp *I, const ast_expr *site, math_fn fn, pyval *x);
pyval *op_where(interp *I, const ast_expr *site, pyval *c, pyval *a, pyval *b);
pyval *op_convert(interp *I, const ast_expr *site, pyval *x, vtype to);
pyval *op_logical(interp *I, const ast_expr *site, bool is_or, pyval *a, pyval *b);
block *broadcast_to(interp *I, const ast_expr *site, block *b, int rank, const int64_t *shape);
/* Concrete integer value of a rank-0 (or single-lane) value; fails when symbolic. */
bool pv_to_int(interp *I, const ast_expr *site, pyval *v, int64_t *out, const char *what);
bool pv_truth(interp *I, const ast_expr *site, pyval *v, bool *out);
/* A tuple/list of ints (or a single int) as a shape or axis list. */
int pv_int_list(interp *I, const ast_expr *site, pyval *v, int64_t *out, int max, const char *what);

/* Built-in groups (one file each), referenced by the table in builtins.c. */
pyval *bi_load(interp *I, const builtin_def *def, pyval *self, call_args *args);
pyval *bi_store(interp *I, const builtin_def *def, pyval *self, call_args *args);
pyval *bi_make_block_ptr(interp *I, const builtin_def *def, pyval *self, call_args *args);
pyval *bi_advance(interp *I, const builtin_def *def, pyval *self, call_args *args);
pyval *bi_reduce_builtin(interp *I, const builtin_def *def, pyval *self, call_args *args);
pyval *bi_argreduce(interp *I, const builtin_def *def, pyval *self, call_args *args);
pyval *bi_reduce_combine(interp *I, const builtin_def *def, pyval *self, call_args *args);
pyval *bi_scan(interp *I, const builtin_def *def, pyval *self, call_args *args);
pyval *bi_dot(interp *I, const builtin_def *def, pyval *self, call_args *args);

enum reduce_kind { RK_SUM, RK_MAX, RK_MIN, RK_PROD, RK_XOR_SUM };
enum scan_kind { SK_CUMSUM, SK_CUMPROD };

#endif
