/* launch: see launch.h. */
#include "exec/launch.h"
#include "exec/host_expr.h"
#include "triton/parse.h"
#include "util/timing.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_CALL_DEPTH 16

typedef struct exec_ctx {
    const plan_op *op;
    const exec_sources *src;
    const exec_options *opt;
    exec_result *r;
    value_domain dom;
    rng input_rng, garbage_rng;
    arena scratch;             /* host expressions; freed at the end */
    int64_t max_elements;
} exec_ctx;

bool exec_load_sources(arena *a, const plan_op *op, exec_sources *out, diag *err) {
    out->n = op->n_sources;
    out->modules = arena_alloc(a, (size_t)(op->n_sources + 1) * sizeof(ast_module *));
    for (int i = 0; i < op->n_sources; i++) {
        out->modules[i] = parse_file(a, op->sources[i], err);
        if (!out->modules[i]) return false;
    }
    return true;
}

static diag *E(exec_ctx *X) { return &X->r->err; }

static bool eval_shape(exec_ctx *X, const plan_tensor *t, const host_scope *scope, int64_t *shape, int64_t *strides) {
    for (int d = 0; d < t->rank; d++) {
        if (!host_eval_int(&X->scratch, &t->shape[d], scope, &shape[d], E(X))) return false;
        if (shape[d] < 0) {
            diag_set(E(X), DIAG_ERROR, t->shape[d].file, t->shape[d].line, t->shape[d].col,
                     "dimension %d of tensor '%s' is negative (%lld)", d, t->name, (long long)shape[d]);
            return false;
        }
    }
    bool explicit_strides = t->rank > 0 && t->strides[0].text;
    int64_t s = 1;
    for (int d = t->rank - 1; d >= 0; d--) {
        if (explicit_strides) {
            if (!host_eval_int(&X->scratch, &t->strides[d], scope, &strides[d], E(X))) return false;
        } else {
            strides[d] = s;
            s *= shape[d] ? shape[d] : 1;
        }
    }
    return true;
}

static int allocate(exec_ctx *X, const plan_tensor *t, tensor_role role, const host_scope *scope) {
    int64_t shape[PLAN_MAX_RANK], strides[PLAN_MAX_RANK];
    if (!eval_shape(X, t, scope, shape, strides)) return -1;
    int id = exec_memory_add(&X->r->mem, t->name, vtype_of_dtype(t->dtype), role, t->rank, shape, strides, X->max_elements);
    if (id < 0) {
        diag_set(E(X), DIAG_LIMIT, X->op->manifest, t->line, t->col,
                 "tensor '%s' is larger than the limit of %lld elements", t->name, (long long)X->max_elements);
        return -1;
    }
    return id;
}

/* One random input value in [lo, hi] (integers: lo..hi) drawn as `shape` says. */
static double input_value(rng *random, exec_input_shape shape, double lo, double hi, bool is_int) {
    double v;
    if (shape == EXEC_INPUTS_LOW_QUARTER) {
        v = rng_uniform(random, lo, lo + (hi - lo) / 4 + (is_int ? 1 : 0));
    } else if (shape == EXEC_INPUTS_THREE_VALUES) {
        /* at 1/8, 3/8 and 7/8 of the range: none is 0 for a symmetric range, and no two are
         * opposite, so sums of them cancel less often */
        static const double at[3] = {0.125, 0.375, 0.875};
        v = lo + (hi - lo) * at[rng_next(random) % 3];
        if (is_int) v = floor(v + 0.5);
        return v;
    } else {
        v = rng_uniform(random, lo, hi + (is_int ? 1 : 0));
    }
    return is_int ? floor(v) : v;
}

/* Fills an input tensor: every logical element gets a random value (concrete) or its variable
 * (symbolic). */
static bool fill_input(exec_ctx *X, int id, const plan_tensor *t) {
    exec_buffer *b = X->r->mem.buffers[id];
    int64_t total = exec_buffer_numel(b), idx[MAX_RANK];
    bool is_int = b->ty.cls != VC_FLOAT;
    if (t->n_values && t->n_values != total) {
        diag_set(E(X), DIAG_ERROR, X->op->manifest, t->line, t->col,
                 "tensor '%s' lists %d values for %lld elements (%s)", t->name, t->n_values, (long long)total, X->r->bindings);
        return false;
    }
    for (int64_t flat = 0; flat < total; flat++) {
        int64_t off = exec_buffer_flat_offset(b, flat, idx);
        double v = input_value(&X->input_rng, X->opt->inputs, t->lo, t->hi, is_int);
        if (t->n_values) v = t->values[flat];
        if (b->defined[off]) continue;   /* broadcast views: first index names the element */
        b->data[off] = X->dom.ops->input(&X->dom, t->name, b->rank, idx, b->ty, v);
        b->defined[off] = 1;
    }
    if (b->role == ROLE_INOUT) {
        b->initial = xcalloc((size_t)(b->storage ? b->storage : 1), sizeof(elem));
        memcpy(b->initial, b->data, (size_t)b->storage * sizeof(elem));
    }
    return true;
}

static const ast_func *find_kernel(exec_ctx *X, const plan_step *s, const ast_module **mod_out) {
    const char *want = s->source ? s->source : X->op->sources[0];
    for (int i = 0; i < X->src->n; i++) {
        const ast_module *m = X->src->modules[i];
        if (strcmp(m->file, want) != 0 && !(s->source && strcmp(X->op->sources[i], s->source) == 0)) continue;
        const ast_func *fn = ast_find_func(m, s->kernel);
        if (fn) { *mod_out = m; return fn; }
    }
    for (int i = 0; i < X->src->n; i++) {   /* any source of the operator */
        const ast_func *fn = ast_find_func(X->src->modules[i], s->kernel);
        if (fn) { *mod_out = X->src->modules[i]; return fn; }
    }
    char names[256] = "";
    int n = 0;
    for (int i = 0; i < X->src->n; i++)
        for (int k = 0; k < X->src->modules[i]->n_funcs && n < (int)sizeof names - 40; k++)
            n += snprintf(names + n, sizeof names - (size_t)n, "%s%s", n ? ", " : "", X->src->modules[i]->funcs[k]->name);
    diag_set(E(X), DIAG_ERROR, X->op->manifest, s->line, s->col, "kernel '%s' is not a @triton.jit function of the operator's sources (found: %s)",
             s->kernel, n ? names : "none");
    return NULL;
}

/* A host value as the kernel sees it. */
static pyval *to_kernel_value(exec_ctx *X, arena *a, const host_value *v, const ast_param *p) {
    bool py = p->is_constexpr;
    switch (v->kind) {
    case HV_INT: return pv_int(a, v->i, py);
    case HV_BOOL: return pv_bool(a, v->i != 0, true);
    case HV_FLOAT:
        if (v->param && v->symbolic && !py) {
            vtype t = {VC_FLOAT, DT_FLOAT32};
            return pv_block(a, block_scalar(a, t, X->dom.ops->param(&X->dom, v->param, t, v->f, true)));
        }
        return pv_float(a, v->f, py);
    case HV_NONE: return pv_none(a);
    case HV_STR: return pv_str(a, v->s);
    case HV_TENSOR: {
        exec_buffer *b = X->r->mem.buffers[v->buf];
        return pv_block(a, block_scalar(a, (vtype){VC_PTR, b->ty.dtype}, elem_ptr(v->buf, v->i)));
    }
    }
    return pv_none(a);
}

static bool run_launch(exec_ctx *X, const plan_step *s, const host_scope *scope) {
    const ast_module *mod = NULL;
    const ast_func *fn = find_kernel(X, s, &mod);
    if (!fn) return false;
    int64_t grid[3] = {1, 1, 1};
    for (int d = 0; d < s->grid_rank; d++) {
        if (!host_eval_int(&X->scratch, &s->grid[d], scope, &grid[d], E(X))) return false;
        if (grid[d] < 0) {
            diag_set(E(X), DIAG_ERROR, s->grid[d].file, s->grid[d].line, s->grid[d].col, "grid dimension %d is negative", d);
            return false;
        }
    }
    /* Bind each kernel parameter: explicit argument, same-named scope entry, or its default. */
    host_value *vals = arena_alloc(&X->scratch, (size_t)(fn->n_params + 1) * sizeof *vals);
    bool *bound = arena_alloc(&X->scratch, (size_t)(fn->n_params + 1));
    for (int i = 0; i < fn->n_params; i++) {
        if (ast_param_is_marker(&fn->params[i])) continue;
        const plan_binding *b = NULL;
        for (int k = 0; k < s->n_args; k++)
            if (strcmp(s->args[k].name, fn->params[i].name) == 0) b = &s->args[k];
        if (b) {
            if (!host_eval(&X->scratch, &b->value, scope, &vals[i], E(X))) return false;
            bound[i] = true;
        } else if (host_scope_get(scope, fn->params[i].name)) {
            vals[i] = *host_scope_get(scope, fn->params[i].name);
            bound[i] = true;
        } else if (!fn->params[i].default_value) {
            diag_set(E(X), DIAG_ERROR, X->op->manifest, s->line, s->col,
                     "kernel parameter '%s' of '%s' has no binding (add it to args)", fn->params[i].name, fn->name);
            return false;
        }
    }
    for (int k = 0; k < s->n_args; k++) {
        bool known = false;
        for (int i = 0; i < fn->n_params; i++) known = known || strcmp(s->args[k].name, fn->params[i].name) == 0;
        if (!known) {
            diag_set(E(X), DIAG_ERROR, s->args[k].value.file, s->args[k].value.line, s->args[k].value.col,
                     "'%s' is not a parameter of kernel '%s'", s->args[k].name, fn->name);
            return false;
        }
    }
    exec_memory_new_launch(&X->r->mem);
    X->r->n_launches++;
    interp I = {0};
    I.dom = &X->dom;
    I.mem = &X->r->mem;
    I.modules = X->src->modules;
    I.n_modules = X->src->n;
    I.max_steps = X->opt->max_steps ? X->opt->max_steps : 100000000ull;
    I.max_arena_bytes = (size_t)(X->opt->max_memory_mb > 0 ? X->opt->max_memory_mb : EXEC_DEFAULT_MAX_MEMORY_MB) << 20;
    I.steps = X->r->steps;
    I.err = E(X);
    I.grid[0] = grid[0]; I.grid[1] = grid[1]; I.grid[2] = grid[2];
    arena program_arena;
    arena_init(&program_arena);
    bool ok = true;
    int32_t linear = 0;
    for (int64_t z = 0; ok && z < grid[2]; z++)
        for (int64_t y = 0; ok && y < grid[1]; y++)
            for (int64_t x = 0; ok && x < grid[0]; x++) {
                I.pid[0] = x; I.pid[1] = y; I.pid[2] = z;
                I.program_linear = ++linear;
                I.arena = &program_arena;
                I.file = mod->file;
                I.depth = 0;
                call_args args = {0};
                args.pos = NULL;
                args.kw_names = arena_alloc(&program_arena, (size_t)(fn->n_params + 1) * sizeof(char *));
                args.kw_values = arena_alloc(&program_arena, (size_t)(fn->n_params + 1) * sizeof(pyval *));
                for (int i = 0; i < fn->n_params; i++) {
                    if (!bound[i]) continue;
                    args.kw_names[args.n_kw] = fn->params[i].name;
                    args.kw_values[args.n_kw++] = to_kernel_value(X, &program_arena, &vals[i], &fn->params[i]);
                }
                ok = interp_call_function(&I, mod, fn, &args) != NULL;
                X->r->n_programs++;
                arena_free(&program_arena);
            }
    X->r->steps = I.steps;
    arena_free(&program_arena);
    return ok;
}

static bool run_variant(exec_ctx *X, const plan_variant *v, host_scope *scope, int depth, bool top);

static bool run_call(exec_ctx *X, const plan_step *s, const host_scope *caller, int depth) {
    const plan_variant *callee = plan_find_variant(X->op, s->variant);
    if (!callee) {
        diag_set(E(X), DIAG_ERROR, X->op->manifest, s->line, s->col, "unknown variant '%s'", s->variant);
        return false;
    }
    if (depth + 1 > MAX_CALL_DEPTH) {
        diag_set(E(X), DIAG_LIMIT, X->op->manifest, s->line, s->col, "call depth above %d (unbounded recursion in the launch sequence?)", MAX_CALL_DEPTH);
        return false;
    }
    host_scope scope;
    host_scope_init(&scope, caller, &X->r->mem);
    bool ok = true;
    for (int i = 0; ok && i < s->n_bind; i++) {
        host_value hv;
        ok = host_eval(&X->scratch, &s->bind[i].value, caller, &hv, E(X));
        if (ok) host_scope_set(&scope, s->bind[i].name, hv);
    }
    ok = ok && run_variant(X, callee, &scope, depth + 1, false);
    host_scope_free(&scope);
    return ok;
}

static void append_binding(exec_result *r, const char *name, const host_value *v) {
    size_t n = strlen(r->bindings);
    char val[64];
    host_value_format(v, val, sizeof val);
    snprintf(r->bindings + n, sizeof r->bindings - n, "%s%s=%s", n ? ", " : "", name, val);
}

static bool run_variant(exec_ctx *X, const plan_variant *v, host_scope *scope, int depth, bool top) {
    for (int i = 0; i < v->n_constexprs; i++) {
        host_value hv;
        if (!host_eval(&X->scratch, &v->constexprs[i].value, scope, &hv, E(X))) return false;
        host_scope_set(scope, v->constexprs[i].name, hv);
        if (top) append_binding(X->r, v->constexprs[i].name, &hv);
    }
    for (int i = 0; i < v->n_preconditions; i++) {
        bool holds;
        if (!host_eval_bool(&X->scratch, &v->preconditions[i], scope, &holds, E(X))) return false;
        if (!holds) {
            if (top) X->r->precondition_failed = true;
            diag_set(E(X), DIAG_ERROR, v->preconditions[i].file, v->preconditions[i].line, v->preconditions[i].col,
                     "precondition '%s' of variant '%s' does not hold (%s)", v->preconditions[i].text, v->name, X->r->bindings);
            return false;
        }
    }
    for (int i = 0; i < v->n_temps; i++) {
        int id = allocate(X, &v->temps[i], ROLE_TEMP, scope);
        if (id < 0) return false;
        host_value hv = {0};
        hv.kind = HV_TENSOR;
        hv.buf = id;
        host_scope_set(scope, v->temps[i].name, hv);
    }
    for (int i = 0; i < v->n_steps; i++) {
        const plan_step *s = &v->steps[i];
        if (s->when.text) {
            bool go;
            if (!host_eval_bool(&X->scratch, &s->when, scope, &go, E(X))) return false;
            if (!go) continue;
        }
        bool ok = s->kind == STEP_LAUNCH ? run_launch(X, s, scope) : run_call(X, s, scope, depth);
        if (!ok) return false;
    }
    return true;
}

bool exec_operator(const plan_op *op, const plan_variant *variant, const exec_sources *src,
                   const exec_options *opt, exec_result *r) {
    memset(r, 0, sizeof *r);
    exec_memory_init(&r->mem);
    double t0 = time_now();
    exec_ctx X = {0};
    X.op = op;
    X.src = src;
    X.opt = opt;
    X.r = r;
    X.max_elements = opt->max_elements ? opt->max_elements : ((int64_t)1 << 26);
    arena_init(&X.scratch);
    rng_seed(&X.input_rng, opt->seed);
    rng_seed(&X.garbage_rng, opt->seed ^ 0x5bd1e995u);
    X.dom.rng = &X.garbage_rng;
    if (opt->mode == EXEC_SYMBOLIC) {
        r->owns_terms = opt->terms == NULL;
        r->terms = opt->terms ? opt->terms : term_store_new();
        X.dom.ops = &symbolic_domain_ops;
        X.dom.terms = r->terms;
    } else {
        X.dom.ops = &concrete_domain_ops;
    }
    host_scope scope;
    host_scope_init(&scope, NULL, &r->mem);
    bool ok = true;
    /* Sizes: defaults, then overrides (which must name a size). */
    for (int i = 0; i < opt->n_sizes && ok; i++) {
        bool known = false;
        for (int k = 0; k < op->n_sizes; k++) known = known || strcmp(op->sizes[k].name, opt->sizes[i].name) == 0;
        if (!known) {
            diag_set(&r->err, DIAG_ERROR, NULL, 0, 0, "operator '%s' has no size '%s'", op->name, opt->sizes[i].name);
            ok = false;
        }
    }
    for (int k = 0; ok && k < op->n_sizes; k++) {
        host_value hv = {0};
        hv.kind = HV_INT;
        hv.i = op->sizes[k].value;
        for (int i = 0; i < opt->n_sizes; i++)
            if (strcmp(op->sizes[k].name, opt->sizes[i].name) == 0) hv.i = opt->sizes[i].value;
        if (hv.i < 0) {
            diag_set(&r->err, DIAG_ERROR, NULL, 0, 0, "size %s must not be negative", op->sizes[k].name);
            ok = false;
        }
        host_scope_set(&scope, op->sizes[k].name, hv);
        append_binding(r, op->sizes[k].name, &hv);
    }
    for (int k = 0; ok && k < op->n_params; k++) {
        const plan_param *p = &op->params[k];
        host_value hv = {0};
        if (elem_dtype_is_float(p->dtype)) { hv.kind = HV_FLOAT; hv.f = p->value; }
        else { hv.kind = HV_INT; hv.i = (int64_t)p->value; }
        hv.param = p->name;
        hv.symbolic = p->symbolic;
        host_scope_set(&scope, p->name, hv);
    }
    for (int k = 0; ok && k < op->n_tensors; k++) {
        const plan_tensor *t = &op->tensors[k];
        int id = allocate(&X, t, t->role, &scope);
        if (id < 0) { ok = false; break; }
        if ((t->role == ROLE_INPUT || t->role == ROLE_INOUT) && !fill_input(&X, id, t)) { ok = false; break; }
        host_value hv = {0};
        hv.kind = HV_TENSOR;
        hv.buf = id;
        host_scope_set(&scope, t->name, hv);
    }
    r->n_tensors = ok ? op->n_tensors : r->mem.n;
    ok = ok && run_variant(&X, variant, &scope, 0, true);
    host_scope_free(&scope);
    arena_free(&X.scratch);
    r->seconds = time_now() - t0;
    return ok;
}

void exec_result_free(exec_result *r) {
    exec_memory_free(&r->mem);
    if (r->terms && r->owns_terms) term_store_free(r->terms);
    r->terms = NULL;
}
