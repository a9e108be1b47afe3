/* verify_internal: the state shared by the files of the verifier (not a public contract; see
 * verify.h for that): the verification context, the tensors it knows (buffers), symbolic host
 * values, the symbolic values of kernel code (blocks over lane variables), memory accesses
 * recorded by VC generation, and the verification conditions themselves.
 *
 * Blocks are represented lane-wise: a block of shape [D0, ..., Dr-1] is one term (its body)
 * over the positional lane variables $L0 ... $Lr-1 (0 <= $Ld < Dd); a dimension of size 1 is
 * never referred to by the body. Broadcasting shares lane variables; `x[:, None]` and
 * `x[None, :]` shift them; a reduction along axis d binds $Ld. */
#ifndef VLIFT_VERIFY_INTERNAL_H
#define VLIFT_VERIFY_INTERNAL_H
#include "exec/interp.h"
#include "exec/launch.h"
#include "formula/formula.h"
#include "verify/normalize.h"
#include "verify/smt.h"
#include "verify/vc_term.h"
#include "verify/verify.h"
#include "util/vec.h"

#define VMAX_RANK 4
#define VMAX_BUFS 32

/* ---- tensors ---- */

typedef struct vbuf {
    const char *name;
    const char *out_name;     /* the operator's output whose formula it must hold (NULL: none) */
    elem_dtype dtype;
    tensor_role role;
    int rank;
    vt_id shape[VMAX_RANK], stride[VMAX_RANK];
    vt_id storage;            /* elements of storage: 1 + sum (shape_d - 1) * stride_d */
    const char *mem;          /* the uninterpreted function of its initial contents */
    /* contents after the launches so far: NONE = the initial contents; else a term over the
     * index variables idx[] (valid where `written` holds) */
    vt_id state, written;
    vt_id idx[VMAX_RANK];
    int last_writer;          /* launch number that last wrote it, -1 if none */
} vbuf;

/* ---- symbolic host values (manifest expressions) ---- */

typedef enum hkind { HK_INT, HK_REAL, HK_BOOL, HK_NONE, HK_STR, HK_TENSOR } hkind;
typedef struct hval {
    hkind kind;
    vt_id t;                  /* HK_INT/REAL/BOOL: the value; HK_TENSOR: element offset */
    int buf;                  /* HK_TENSOR */
    const char *str;          /* HK_STR */
} hval;

typedef struct hscope_item { const char *name; hval v; } hscope_item;
typedef struct hscope {
    hscope_item *items;
    int n, cap;
    const struct hscope *parent;
} hscope;

/* ---- verification conditions ---- */

typedef struct vc_range { vt_id var, lo, hi; } vc_range;    /* lo <= var < hi */

typedef struct vcond {
    const char *kind;
    int launch;               /* the launch it is about (-1: none in particular) */         /* "store", "post", "coverage", "load-bounds", "init", "preserve", ... */
    char what[200];
    int line;
    vc_range *ranges;
    int n_ranges;
    vt_id *hyps;
    int n_hyps;
    vt_id goal;
    /* optional sufficient conditions: when every part is proved (under the same ranges and
     * hypotheses), the goal holds; the VC's builder guarantees that implication. Tried before
     * the goal itself (smaller queries); the goal is the fallback. */
    vt_id *parts;
    int n_parts;
    bool split;               /* a case of a split (discharge.c): not split again */
    vt_id subst_from, subst_to;   /* in that case, equal: the one replaced by the other */
    /* outcome */
    smt_answer answer;
    char reason[256];
    double seconds;
} vcond;

/* ---- kernel values ---- */

typedef struct sblock {
    vclass cls;               /* VC_BOOL, VC_INT, VC_FLOAT, VC_PTR */
    elem_dtype dtype;         /* element dtype; the pointee for pointers */
    bool py;                  /* a Python number: // and % floor */
    int buf;                  /* VC_PTR: buffer */
    int rank;
    vt_id shape[VMAX_RANK];
    vt_id body;               /* VC_PTR: element offset */
} sblock;

typedef struct sbptr {        /* tl.make_block_ptr */
    int buf;
    elem_dtype dtype;
    vt_id base;               /* offset of the base pointer */
    int rank;
    vt_id shape[VMAX_RANK], strides[VMAX_RANK], offsets[VMAX_RANK], bshape[VMAX_RANK];
} sbptr;

typedef enum svk { SV_NONE, SV_BLOCK, SV_TUPLE, SV_STR, SV_DTYPE, SV_MODULE, SV_FUNC, SV_BUILTIN, SV_BPTR, SV_RANGE } svk;

typedef struct sv sv;
struct sv {
    svk kind;
    union {
        sblock *b;
        struct { sv **items; int n; } t;
        const char *str;
        const char *module;
        struct { const ast_func *fn; const ast_module *mod; } f;
        struct { const builtin_def *def; sv *self; } bi;
        struct { vclass cls; elem_dtype dtype; } dt;
        sbptr *bp;
        struct { vt_id lo, hi, step; } r;
    } u;
};

/* A memory access recorded by VC generation: lanes $L0..$Lrank-1 of `shape`, plus the
 * quantified program ids and loop iteration variables in q. */
typedef struct vaccess {
    bool store;
    int buf;
    int line;
    int launch;
    int rank;
    vt_id shape[VMAX_RANK];
    vt_id offset, value, active;
    vc_range *q;
    int n_q;
    vt_id *hyps;
    int n_hyps;
} vaccess;

/* What a launch left in a buffer it wrote: state(ix) over the buffer's index variables ix,
 * and where it has been written so far (written(ix)). */
typedef struct vwrite {
    int launch, buf;
    vt_id state_before, state_after, written_before, written_after;
    bool by_call;             /* the effect of a recursive call (recursion.c), not of stores */
} vwrite;

/* An aliasing configuration of the operator's tensors, the way a variant is run: tensor i uses
 * the buffer of tensor share[i] (share[i] == i: a buffer of its own; share[i] < i otherwise).
 * The top-level run has every tensor in a buffer of its own; a recursive call may bind several
 * of them to one buffer (an in-place scan binds x and y to the same temp). */
#define VMAX_CONFIGS 4
#define VMAX_CASE_BITS 3   /* condition-valued constexprs split into cases (2^3 proofs at most) */
typedef struct valias {
    int n;
    int share[VMAX_BUFS];
    /* the inputs may hold any extended real (NaN and infinities too): what a call passes on
     * may be unspecified (a block total over masked lanes), while the operator's own inputs
     * are finite reals (the semantics model). Every call configuration is proved that way. */
    bool any_inputs;
} valias;

/* A lower bound proved once for an index expression of a launch (its program ids ranging over
 * that launch's grid): a swizzle's group size >= 1, a program row >= 0. */
typedef struct vfact { int launch; vt_id term; int64_t lo; bool proved; } vfact;

/* ---- the verification context ---- */

typedef struct vctx {
    vt_store *s;
    smt_ctx *smt;
    arena *a;
    const plan_op *op;
    const plan_variant *variant;
    const exec_sources *src;
    const formula *f;
    const verify_options *opt;
    verify_result *r;
    hscope top;               /* sizes, params, tensors */
    vbuf bufs[VMAX_BUFS];
    int n_bufs;
    VEC(vt_id) global_hyps;   /* sizes >= 1, block sizes >= 1, preconditions, axioms of np2 */
    VEC(vc_range) global_ranges;
    VEC(vcond) vcs;
    VEC(vaccess) accesses;
    VEC(vwrite) writes;
    VEC(const char *) patterns_used;
    VEC(vt_id) side_timed_out;        /* side conditions z3 answered unknown (not retried) */
    VEC(vfact) facts;                 /* proved (or refuted) lower bounds of index expressions */
    VEC(const char *) generalized;    /* constexprs kept symbolic */
    VEC(const char *) fixed;          /* constexprs fixed to their manifest values */
    bool fix_all;                     /* every literal constexpr concrete (the fallback run) */
    const valias *config;             /* how the operator's tensors share buffers in this run */
    /* Boolean constexprs whose value is a condition on the sizes (EVEN_K: "K % BLOCK_K == 0")
     * are proved case by case, as Triton compiles one kernel per value: bit k of case_mask is
     * the value of the k-th such constexpr in this run, its condition (or its negation) a
     * hypothesis. */
    unsigned case_mask;
    int n_case_bits;
    char case_text[200];              /* "EVEN_K = False, ..." for the messages */
    VEC(valias) call_configs;         /* the configurations recursive calls use (recursion.c) */
    int launch;                       /* launches so far */
    int fresh;                        /* counter for fresh names */
    diag err;                         /* first UNSUPPORTED / ERROR */
    const char *cur_file;             /* the kernel source being walked (error positions) */
} vctx;

/* verify.c */
const char *vx_fresh(vctx *X, const char *prefix);
void vx_unsupported(vctx *X, const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
bool vx_failed(const vctx *X);
vcond *vx_add_vc(vctx *X, const char *kind, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void vc_add_range(vctx *X, vcond *v, vt_id var, vt_id lo, vt_id hi);
void vc_add_hyp(vctx *X, vcond *v, vt_id h);
void vx_note_pattern(vctx *X, const char *name);
vt_id vx_lane(vctx *X, int d);                 /* $Ld */
vt_sort vx_sort_of_class(vclass c);
vt_sort vx_sort_of_dtype(elem_dtype d);

/* The value of a variant's constexpr in scope: a literal block size that this run generalizes
 * is its symbol (the same at every level of a recursion), anything else is evaluated. */
bool vx_constexpr_value(vctx *X, const plan_binding *c, const hscope *scope, hval *out);
/* Sizes fixed to a constant by a precondition `SIZE == c` (verify.c). */
bool vx_size_fixed(vctx *X, const char *size, int64_t *value);

/* recursion.c: a `call` step of the variant itself, by induction over the recursion */
bool recursion_call(vctx *X, const plan_step *st, const hscope *scope, vt_id path);
/* "x = y" for the tensors a configuration puts in one buffer ("" when none share) */
void valias_describe(const plan_op *op, const valias *c, char *out, int size);

/* host.c: manifest expressions, symbolically */
void hscope_init(hscope *s, const hscope *parent);
void hscope_free(hscope *s);
void hscope_set(hscope *s, const char *name, hval v);
const hval *hscope_get(const hscope *s, const char *name);
bool host_sym_eval(vctx *X, const plan_expr *e, const hscope *scope, hval *out);
bool host_sym_int(vctx *X, const plan_expr *e, const hscope *scope, vt_id *out);
bool host_sym_bool(vctx *X, const plan_expr *e, const hscope *scope, vt_id *out);

/* vcgen.c: one kernel launch — the walker over the kernel's syntax tree */
typedef struct wbinding { const char *name; sv *value; } wbinding;

typedef struct wframe {
    struct wctx *W;
    const ast_module *mod;
    wbinding *vars;
    int n_vars, cap_vars;
    sv *ret;                  /* merged return value of the paths that returned */
    vt_id ret_path;           /* paths (Bool) on which the function has returned */
} wframe;

typedef struct wctx {
    vctx *X;
    int launch;
    vt_id pid[3], grid[3];
    VEC(vc_range) q;          /* quantified variables in scope: program ids, loop iterations */
    vt_id path;               /* current path condition */
    int depth;                /* jitted call depth */
    int loop_depth;
} wctx;

sv *walk_call_function(wframe *caller, const ast_module *mod, const ast_func *fn, int n_pos, sv **pos, int n_kw,
                       const char **kw_names, sv **kw_values, int line);
/* vc_builtins.c: the built-ins of triton.language (and libdevice, tle, Python) on symbolic values */
sv *builtin_call_sym(wframe *f, const builtin_def *def, sv *self, int n_pos, sv **pos, int n_kw, const char **kw_names,
                     sv **kw_values, int line);
vt_id buffer_read(vctx *X, int buf, vt_id offset, vt_sort sort);   /* postcond.c */
vt_id vx_undef(wctx *W, vt_sort sort, int rank);                    /* a fresh unspecified value per lane */

typedef struct vlaunch {
    const ast_module *mod;
    const ast_func *fn;
    sv **args;                /* per kernel parameter (NULL: use its default) */
    vt_id grid[3];
    vt_id path;               /* host-level path condition (when guards) */
    int line;
} vlaunch;
bool vcgen_launch(vctx *X, const vlaunch *L);
sv *host_to_kernel(vctx *X, const hval *v, bool constexpr_param);

/* vc_block.c: the block algebra and elementwise operations (Triton's promotion rules) */
sv *sv_none(vctx *X);
sv *sv_block(vctx *X, sblock *b);
sv *sv_scalar(vctx *X, vclass cls, elem_dtype dt, bool py, vt_id t);
sblock *blk_new(vctx *X, vclass cls, elem_dtype dt, int rank, const vt_id *shape, vt_id body);
vt_id blk_shift_lanes(vctx *X, vt_id body, int from, int by);   /* $Ld -> $L(d+by) for d >= from */
sblock *blk_broadcast(vctx *X, sblock *b, int rank, const vt_id *shape, int line);
bool blk_common_shape(vctx *X, int ra, const vt_id *sa, int rb, const vt_id *sb, int *r, vt_id *out, int line);
bool shape_dim_equal(vctx *X, vt_id a, vt_id b);
sblock *sv_as_block(vctx *X, sv *v, int line, const char *what);
sv *op_arith_sv(vctx *X, int line, arith_op op, sv *a, sv *b);
sv *op_binary_sv(vctx *X, int line, int binop, sv *a, sv *b);
sv *op_compare_sv(vctx *X, int line, cmp_kind op, sv *a, sv *b);
sv *op_math_sv(vctx *X, int line, math_fn fn, sv *a);
sv *op_where_sv(vctx *X, int line, sv *c, sv *a, sv *b);
sv *op_convert_sv(vctx *X, int line, sv *a, vclass cls, elem_dtype dt);
sv *op_logical_sv(vctx *X, int line, bool is_or, sv *a, sv *b);
vt_id vx_abs(vctx *X, vt_id t);
vt_id vx_math(vctx *X, math_fn fn, vt_id t);     /* a math function on a Real term */

/* patterns.c: loop invariants */
typedef struct loop_var {
    const char *name;
    sv *init;                 /* value before the loop */
    sv *ph;                   /* placeholder value used while walking the body */
    const char *ph_fn;        /* its function name ("ph:k"): placeholder terms are ph_fn(lanes) */
    sv *update;               /* value at the end of the body, over placeholders and `it` */
    sv *closed;               /* closed form after `count` iterations (a value over `count`) */
    const char *pattern;
} loop_var;

typedef struct loop_shape {
    int line;
    vt_id it, count, trips, lo, step;
    loop_var *vars;
    int n_vars;
    vc_range *q;              /* quantified variables around the loop (pids, outer iterations) */
    int n_q;
    vt_id path;
} loop_shape;

/* Proposes a closed form for every loop-carried variable (fills vars[].closed / pattern).
 * Returns false (with the reason) when no pattern applies to some variable. */
bool patterns_propose(vctx *X, loop_shape *L, char *why, int why_size);
/* Substitutes closed forms (at iteration count `at`) for the placeholders in term t. */
vt_id loop_instantiate(vctx *X, const loop_shape *L, vt_id t, vt_id at);
vt_id subst_fn(vctx *X, vt_id t, const char *fn, int n_params, const vt_id *params, vt_id body);

/* spec.c: the formula as terms. The value the formula gives output `buf` at index idx (NONE
 * with X->err set when the formula cannot be translated). */
vt_id spec_of_output(vctx *X, int buf, const vt_id *idx);
/* The formula's value for output `out_name` at idx, with the sizes, parameters and tensors of
 * scope; tensor elements are the buffers' initial contents (current = false) or what the
 * launches so far left there (current = true: a recursive call's input). */
vt_id spec_in_scope(vctx *X, const char *out_name, const hscope *scope, bool current, const vt_id *idx);
/* What buffer buf holds at logical index idx after the launches so far. */
vt_id buffer_state_at(vctx *X, int buf, const vt_id *idx);

/* layout.c: storage offsets and logical indices. Decomposes an element offset of buffer buf
 * into its logical index (mixed radix over the strides, outermost first); false when the
 * strides do not nest. */
bool layout_index(vctx *X, nf_ctx *nf, int buf, vt_id offset, vt_id *idx);
vt_id layout_offset(vctx *X, int buf, const vt_id *idx);
/* Splits an offset of buffer buf syntactically into per-dimension indices: its monomials (in
 * normal form) grouped by the stride that divides them, so that offset == sum idx_d * stride_d
 * is an identity (checked in normal form). No divisions are introduced, so an offset built as
 * row * stride_row + col is split into row and col as they are. False when a monomial is
 * divisible by no stride or a stride is not one monomial with a positive coefficient. */
bool layout_split_offset(vctx *X, nf_ctx *nf, int buf, vt_id offset, vt_id *idx);

/* witness.c: for coverage, the program / loop iteration / lane that writes a given element:
 * solves idx_d(q) = target_d for the quantified variables q. Fills values[] (aligned with
 * vars[]); false when some variable cannot be solved for. */
bool witness_solve(vctx *X, nf_ctx *nf, int n_eq, const vt_id *lhs, const vt_id *target, int n_vars, const vt_id *vars,
                   const vt_id *lo, vt_id *values, char *why, int why_size);

/* postcond.c: post-conditions, coverage, bounds and buffer states after each launch */
bool postcond_launch(vctx *X, int launch);
bool postcond_final(vctx *X);

/* discharge.c: proving a VC (axioms, normalization, lemmas, z3) */
smt_answer discharge(vctx *X, vcond *v);
/* A prover for side conditions under the global facts, some variable ranges and hypotheses;
 * vprover_init also initializes nf with those ranges and attaches the prover to it. */
#define VPROVER_CACHE 64
typedef struct vprover {
    vctx *X;
    vt_id *hyps;
    int n_hyps, n_ranges, cap;
    int n_verbatim;           /* trailing hypotheses kept as they are (divisibility facts) */
    vt_id cache_fact[VPROVER_CACHE];
    bool cache_ok[VPROVER_CACHE];
    int n_cache;
    nf_ctx *nf;               /* the normalizer it serves (facts are normalized first) */
    bool in_side;
    int launch;
    int nf_ranges_at_init;
    int assumed;              /* hypotheses assumed for a branch (vprover_assume) */
    int cache_floor;          /* failed proofs cached below it were made without them */
    VEC(vt_id) side_failed;   /* side conditions over sizes alone not proved without assumptions */
    int z3_calls, z3_budget;  /* side conditions sent to z3 (cached answers are free); 0: no limit */
} vprover;
void vprover_init(vprover *p, vctx *X, nf_ctx *nf, const vc_range *ranges, int n_ranges, const vt_id *hyps, int n_hyps);
/* The launch whose proved index facts the normalizer may use (vprover.launch, default -1). */
void vprover_set_launch(vprover *p, int launch);
/* Proves (once per launch and term) lower bounds of the divisors and dividends of the integer
 * divisions in the launch's accesses: divisor >= 1, dividend >= 0. */
void harvest_index_facts(vctx *X, int launch);
void vprover_free(vprover *p);
/* Assumes a hypothesis for a while (a branch of an ite, lemmas.c): false when there is no room.
 * Normal forms and cached proofs made under it are dropped by vprover_restore. */
typedef struct vprover_mark { int n_hyps, n_cache, cache_floor; } vprover_mark;
bool vprover_assume(vprover *p, vt_id hyp, vprover_mark *m);
void vprover_restore(vprover *p, const vprover_mark *m);

/* real_abstraction.c: the VC hyps => goal restated as nonlinear real arithmetic (atoms as fresh
 * real variables, integers as reals) and given to z3 under its current timeout: UNSAT when
 * the restatement is proved (then the VC holds), UNKNOWN otherwise, and without a query when
 * the goal is linear or mentions a possibly infinite atom. */
smt_answer real_abstraction_check(vt_store *s, smt_ctx *smt, int n_hyps, const vt_id *hyps, vt_id goal, char *reason,
                                  int reason_size);
/* falsify.c: a concrete point where every hypothesis holds and the side condition `fact` is
 * false (variables drawn inside the normalizer's ranges); true when one was found. */
bool falsify_side(const vt_store *s, const nf_ctx *nf, int n_hyps, const vt_id *hyps, vt_id fact, uint64_t seed);

/* counterexample.c: evidence on the concrete interpreter. _explain replays a satisfiable VC's
 * model (then random inputs at its sizes and at the check sizes); _by_testing runs the variant
 * at the check sizes before any proof. Each is true with msg ("at ..: y[..]: kernel gives A,
 * formula gives B (how it was found)") and where filled only on a concrete disagreement. */
bool counterexample_explain(vctx *X, const vcond *vc, char *msg, int size, counterexample_point *where);
bool counterexample_by_testing(const plan_op *op, const plan_variant *v, const exec_sources *src, const formula *f,
                               uint64_t seed, char *msg, int size, counterexample_point *where);

/* axioms.c */
vt_id axioms_expand(vctx *X, vt_id t);
vt_id axioms_constant(vctx *X, vt_rat q);      /* C1: the constant a truncated literal denotes, or NONE */
int axioms_facts(vctx *X, nf_ctx *nf, vt_id t, vt_id *out, int max);   /* nf: for R6 (NULL: without) */

/* verify.c: verify_formula without the process around it (isolate.c) */
bool verify_formula_in_process(const plan_op *op, const plan_variant *variant, const exec_sources *src,
                               const formula *f, const verify_options *opt, verify_result *r);

/* lemmas.c */
vt_id lemmas_rewrite(vctx *X, vprover *p, vt_id t);   /* p->nf normalizes */

#endif
