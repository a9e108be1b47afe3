/* verify: the entry point (verify.h). First a concrete test at the check sizes
 * (counterexample.c), which can only refute. Then it sets up the symbolic world of one
 * variant — sizes, parameters, tensors with symbolic shapes and strides, constexprs (literal block sizes
 * generalized to symbols), preconditions — walks its launch sequence (vcgen.c, postcond.c),
 * discharges every VC (discharge.c) and classifies the outcome. When the proof with symbolic
 * block sizes does not go through, it is retried with the manifest's block sizes (blocks =
 * fixed). */
#include "verify/verify_internal.h"
#include "triton/parse.h"
#include "util/timing.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *verify_status_name(verify_status s) {
    static const char *n[] = {"VERIFIED", "REFUTED", "UNKNOWN", "UNSUPPORTED", "TIMEOUT", "ERROR"};
    return n[s];
}

void verify_options_default(verify_options *o) {
    memset(o, 0, sizeof *o);
    o->timeout_s = 300;
    o->query_timeout_s = 10;
    o->seed = 1;
}

/* ---- context helpers ---- */

const char *vx_fresh(vctx *X, const char *prefix) { return arena_printf(X->a, "%s%d", prefix, X->fresh++); }

void vx_unsupported(vctx *X, const char *file, int line, const char *fmt, ...) {
    if (diag_failed(&X->err)) return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(&X->err, DIAG_UNSUPPORTED, file, line, 0, "%s", msg);
}

bool vx_failed(const vctx *X) { return diag_failed(&X->err); }

vcond *vx_add_vc(vctx *X, const char *kind, int line, const char *fmt, ...) {
    vcond v = {0};
    v.kind = kind;
    v.launch = X->launch;
    v.line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v.what, sizeof v.what, fmt, ap);
    va_end(ap);
    v.goal = vt_bool(X->s, true);
    vec_push(&X->vcs, v);
    return &X->vcs.items[X->vcs.len - 1];
}

void vc_add_range(vctx *X, vcond *v, vt_id var, vt_id lo, vt_id hi) {
    v->ranges = arena_realloc(X->a, v->ranges, (size_t)v->n_ranges * sizeof *v->ranges, (size_t)(v->n_ranges + 1) * sizeof *v->ranges);
    v->ranges[v->n_ranges++] = (vc_range){var, lo, hi};
}

void vc_add_hyp(vctx *X, vcond *v, vt_id h) {
    if (!h) return;
    v->hyps = arena_realloc(X->a, v->hyps, (size_t)v->n_hyps * sizeof *v->hyps, (size_t)(v->n_hyps + 1) * sizeof *v->hyps);
    v->hyps[v->n_hyps++] = h;
}

/* name must be a string with static storage (it outlives the verification) */
void vx_note_pattern(vctx *X, const char *name) {
    for (size_t i = 0; i < X->patterns_used.len; i++)
        if (strcmp(X->patterns_used.items[i], name) == 0) return;
    vec_push(&X->patterns_used, name);
}

/* ---- block-size constexprs ---- */

static bool expr_mentions(const ast_expr *e, const char *name) {
    if (!e) return false;
    if (e->kind == EX_NAME && strcmp(e->name, name) == 0) return true;
    if (expr_mentions(e->lhs, name) || expr_mentions(e->rhs, name) || expr_mentions(e->cond, name)) return true;
    for (int i = 0; i < e->n_items; i++)
        if (expr_mentions(e->items[i], name)) return true;
    for (int i = 0; i < e->n_kwargs; i++)
        if (expr_mentions(e->kwargs[i].value, name)) return true;
    for (int i = 0; i < 3; i++)
        if (expr_mentions(e->slice[i], name)) return true;
    return false;
}

/* Is `name` used in a call that makes a block (arange, full, zeros, make_block_ptr) in e? */
static bool block_dim_use(const ast_expr *e, const char *name) {
    if (!e) return false;
    if (e->kind == EX_CALL) {
        const ast_expr *fn = e->lhs;
        const char *callee = fn->kind == EX_ATTR ? fn->name : fn->kind == EX_NAME ? fn->name : NULL;
        if (callee && (strcmp(callee, "arange") == 0 || strcmp(callee, "full") == 0 || strcmp(callee, "zeros") == 0 ||
                       strcmp(callee, "make_block_ptr") == 0)) {
            for (int i = 0; i < e->n_items; i++)
                if (expr_mentions(e->items[i], name)) return true;
            for (int i = 0; i < e->n_kwargs; i++)
                if (expr_mentions(e->kwargs[i].value, name)) return true;
        }
    }
    if (block_dim_use(e->lhs, name) || block_dim_use(e->rhs, name) || block_dim_use(e->cond, name)) return true;
    for (int i = 0; i < e->n_items; i++)
        if (block_dim_use(e->items[i], name)) return true;
    for (int i = 0; i < e->n_kwargs; i++)
        if (block_dim_use(e->kwargs[i].value, name)) return true;
    return false;
}

static bool body_block_dim_use(ast_stmt **body, int n, const char *name) {
    for (int i = 0; i < n; i++) {
        const ast_stmt *s = body[i];
        if (block_dim_use(s->value, name) || block_dim_use(s->cond, name)) return true;
        if (body_block_dim_use(s->body, s->n_body, name) || body_block_dim_use(s->orelse, s->n_orelse, name)) return true;
    }
    return false;
}

static const ast_func *find_kernel(vctx *X, const plan_step *st, const ast_module **mod) {
    for (int i = 0; i < X->src->n; i++) {
        const ast_func *fn = ast_find_func(X->src->modules[i], st->kernel);
        if (fn && (!st->source || strcmp(X->src->modules[i]->file, st->source) == 0 || strcmp(X->op->sources[i], st->source) == 0)) {
            *mod = X->src->modules[i];
            return fn;
        }
    }
    for (int i = 0; i < X->src->n; i++) {
        const ast_func *fn = ast_find_func(X->src->modules[i], st->kernel);
        if (fn) { *mod = X->src->modules[i]; return fn; }
    }
    return NULL;
}

/* A literal constexpr that sizes blocks in some launched kernel. */
static bool is_block_size(vctx *X, const char *constexpr_name) {
    for (int si = 0; si < X->variant->n_steps; si++) {
        const plan_step *st = &X->variant->steps[si];
        if (st->kind != STEP_LAUNCH) continue;
        const ast_module *mod;
        const ast_func *fn = find_kernel(X, st, &mod);
        if (!fn) continue;
        for (int p = 0; p < fn->n_params; p++) {
            const ast_param *pa = &fn->params[p];
            if (!pa->is_constexpr) continue;
            bool bound = false, explicit_arg = false;
            for (int k = 0; k < st->n_args; k++)
                if (strcmp(st->args[k].name, pa->name) == 0) {
                    explicit_arg = true;
                    bound = st->args[k].value.text && strcmp(st->args[k].value.text, constexpr_name) == 0;
                }
            if (!explicit_arg) bound = strcmp(pa->name, constexpr_name) == 0;
            if (bound && body_block_dim_use(fn->body, fn->n_body, pa->name)) return true;
        }
    }
    return false;
}

static bool is_int_literal(const char *t) {
    if (!t || !*t) return false;
    for (const char *p = t; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return true;
}

/* ---- setup ---- */

static bool add_tensor(vctx *X, const plan_tensor *t, tensor_role role, const hscope *scope) {
    vt_store *s = X->s;
    bool is_out = role == ROLE_OUTPUT || role == ROLE_INOUT;
    if (X->n_bufs == VMAX_BUFS) { vx_unsupported(X, X->op->manifest, t->line, "more than %d tensors", VMAX_BUFS); return false; }
    if (t->rank > VMAX_RANK) { vx_unsupported(X, X->op->manifest, t->line, "tensor of rank above %d", VMAX_RANK); return false; }
    int id = X->n_bufs;
    vbuf *b = &X->bufs[id];
    memset(b, 0, sizeof *b);
    b->name = t->name;
    b->out_name = is_out ? t->name : NULL;
    b->dtype = t->dtype;
    b->role = role;
    b->rank = t->rank;
    b->last_writer = -1;
    /* "undef:" memories may hold anything (vc_term.c, smt.c) */
    b->mem = vt_intern(s, arena_printf(X->a, "%smem:%s", X->config && X->config->any_inputs ? "undef:" : "", t->name));
    for (int d = 0; d < t->rank; d++)
        if (!host_sym_int(X, &t->shape[d], scope, &b->shape[d])) return false;
    bool explicit_strides = t->rank > 0 && t->strides[0].text;
    vt_id acc = vt_int(s, 1);
    nf_ctx nf;
    nf_init(&nf, s);
    for (int d = t->rank - 1; d >= 0; d--) {
        if (explicit_strides) {
            vt_id st;
            if (!host_sym_int(X, &t->strides[d], scope, &st)) { nf_free(&nf); return false; }
            st = nf_term(&nf, st);
            nf_mono m[4];
            if (nf_poly(&nf, st, m, 4) > 1) {
                /* a stride such as N + 3: a symbol of its own with its definition as a fact */
                vt_id var = vt_var(s, arena_printf(X->a, "stride_%s_%d", t->name, d), VS_INT);
                vec_push(&X->global_hyps, vt_eq(s, var, st));
                vc_range r = {var, vt_int(s, 0), VT_NONE};
                vec_push(&X->global_ranges, r);
                st = var;
            }
            b->stride[d] = st;
        } else {
            b->stride[d] = nf_term(&nf, acc);
            acc = vt_mul(s, acc, b->shape[d]);
        }
    }
    nf_free(&nf);
    vt_id storage = vt_int(s, 1);
    for (int d = 0; d < t->rank; d++) storage = vt_add(s, storage, vt_mul(s, vt_sub(s, b->shape[d], vt_int(s, 1)), b->stride[d]));
    b->storage = storage;
    X->n_bufs++;
    hval hv = {HK_TENSOR, vt_int(s, 0), id, NULL};
    hscope_set(&X->top, t->name, hv);   /* temps too: the formula never names them */
    return true;
}

/* Tensor t in the buffer of tensor rep (an aliasing configuration of a recursive call, where
 * the call proved that both tensors' shapes and strides are the buffer's): its name denotes
 * that buffer, whose contents are then an input if either is one, and the formula of the
 * output if either is one. */
static bool share_tensor(vctx *X, const plan_tensor *rep, const plan_tensor *t) {
    vt_store *s = X->s;
    const hval *rv = hscope_get(&X->top, rep->name);
    vbuf *b = &X->bufs[rv->buf];
    bool t_out = t->role == ROLE_OUTPUT || t->role == ROLE_INOUT, t_in = t->role == ROLE_INPUT || t->role == ROLE_INOUT;
    if (t->rank != b->rank || vx_sort_of_dtype(t->dtype) != vx_sort_of_dtype(b->dtype)) {
        vx_unsupported(X, X->op->manifest, t->line, "tensors '%s' and '%s' in one buffer with different ranks or element types", rep->name, t->name);
        return false;
    }
    if (t_out && b->out_name) {
        vx_unsupported(X, X->op->manifest, t->line, "two outputs ('%s', '%s') in one buffer", b->out_name, t->name);
        return false;
    }
    for (int d = 0; d < t->rank; d++) {
        vt_id sh;
        if (!host_sym_int(X, &t->shape[d], &X->top, &sh)) return false;
        vec_push(&X->global_hyps, vt_eq(s, sh, b->shape[d]));
    }
    if (t->rank > 0 && (t->strides[0].text || rep->strides[0].text)) {
        vx_unsupported(X, X->op->manifest, t->line, "tensors with explicit strides in one buffer ('%s', '%s')", rep->name, t->name);
        return false;
    }
    if (t_out) b->out_name = t->name;
    b->name = arena_printf(X->a, "%s=%s", b->name, t->name);
    bool in = b->role == ROLE_INPUT || b->role == ROLE_INOUT || t_in;
    bool out = b->out_name != NULL;
    b->role = in && out ? ROLE_INOUT : in ? ROLE_INPUT : out ? ROLE_OUTPUT : b->role;
    hscope_set(&X->top, t->name, *rv);
    return true;
}

static bool run_steps(vctx *X, const plan_variant *v, hscope *scope, vt_id path, int depth);

static bool run_launch(vctx *X, const plan_step *st, const hscope *scope, vt_id path) {
    const ast_module *mod;
    const ast_func *fn = find_kernel(X, st, &mod);
    if (!fn) {
        diag_set(&X->err, DIAG_ERROR, X->op->manifest, st->line, st->col, "kernel '%s' is not a @triton.jit function of the operator's sources", st->kernel);
        return false;
    }
    vlaunch L = {0};
    L.mod = mod;
    L.fn = fn;
    L.path = path;
    L.line = fn->line;
    for (int d = 0; d < 3; d++) L.grid[d] = vt_int(X->s, 1);
    for (int d = 0; d < st->grid_rank; d++)
        if (!host_sym_int(X, &st->grid[d], scope, &L.grid[d])) return false;
    L.args = arena_alloc(X->a, (size_t)(fn->n_params + 1) * sizeof *L.args);
    for (int i = 0; i < fn->n_params; i++) {
        const ast_param *p = &fn->params[i];
        if (ast_param_is_marker(p)) continue;
        const plan_binding *b = NULL;
        for (int k = 0; k < st->n_args; k++)
            if (strcmp(st->args[k].name, p->name) == 0) b = &st->args[k];
        hval hv;
        if (b) {
            if (!host_sym_eval(X, &b->value, scope, &hv)) return false;
        } else if (hscope_get(scope, p->name)) {
            hv = *hscope_get(scope, p->name);
        } else if (p->default_value) {
            continue;
        } else {
            diag_set(&X->err, DIAG_ERROR, X->op->manifest, st->line, st->col, "kernel parameter '%s' of '%s' has no binding", p->name, fn->name);
            return false;
        }
        L.args[i] = host_to_kernel(X, &hv, p->is_constexpr);
    }
    vt_id grid_ok = vt_bool(X->s, true);
    for (int d = 0; d < 3; d++) grid_ok = vt_and(X->s, grid_ok, vt_le(X->s, vt_int(X->s, 1), L.grid[d]));
    (void)grid_ok;
    if (!vcgen_launch(X, &L)) return false;
    harvest_index_facts(X, X->launch);
    bool ok = postcond_launch(X, X->launch);
    X->launch++;
    return ok;
}

static bool run_steps(vctx *X, const plan_variant *v, hscope *scope, vt_id path, int depth) {
    vt_store *s = X->s;
    for (int i = 0; i < v->n_steps; i++) {
        const plan_step *st = &v->steps[i];
        vt_id p = path;
        if (st->when.text) {
            vt_id c;
            if (!host_sym_bool(X, &st->when, scope, &c)) return false;
            p = vt_and(s, path, c);
            int64_t cv;
            if (vt_is_const(s, c, &cv) && !cv) continue;
        }
        if (st->kind == STEP_LAUNCH) {
            if (!run_launch(X, st, scope, p)) return false;
        } else {
            if (!recursion_call(X, st, scope, p)) return false;
        }
    }
    (void)depth;
    return true;
}

/* A precondition `SIZE == n` (K == 1 for softmax's inner path): the variant is about that value
 * of the size only, so the size is that constant rather than a symbol. */
bool vx_size_fixed(vctx *X, const char *size, int64_t *value) {
    for (int i = 0; i < X->variant->n_preconditions; i++) {
        const plan_expr *pe = &X->variant->preconditions[i];
        diag err = {0};
        ast_expr *e = parse_expression(X->a, pe->file, pe->line, pe->col, pe->text, &err);
        if (!e || e->kind != EX_COMPARE || e->n_items != 2 || e->cmp_ops[0] != CMP_EQ) continue;
        const ast_expr *a = e->items[0], *b = e->items[1];
        if (a->kind == EX_INT) { const ast_expr *t = a; a = b; b = t; }
        if (a->kind == EX_NAME && b->kind == EX_INT && strcmp(a->name, size) == 0 && b->ival >= 1) {
            *value = b->ival;
            return true;
        }
    }
    return false;
}

static bool setup(vctx *X) {
    vt_store *s = X->s;
    const plan_op *op = X->op;
    hscope_init(&X->top, NULL);
    for (int i = 0; i < op->n_sizes; i++) {
        int64_t fixed;
        if (vx_size_fixed(X, op->sizes[i].name, &fixed)) {
            hval hv = {HK_INT, vt_int(s, fixed), -1, NULL};
            hscope_set(&X->top, op->sizes[i].name, hv);
            continue;
        }
        vt_id v = vt_var(s, op->sizes[i].name, VS_INT);
        hval hv = {HK_INT, v, -1, NULL};
        hscope_set(&X->top, op->sizes[i].name, hv);
        vc_range r = {v, vt_int(s, 1), VT_NONE};   /* sizes are >= 1 */
        vec_push(&X->global_ranges, r);
    }
    for (int i = 0; i < op->n_params; i++) {
        const plan_param *p = &op->params[i];
        hval hv = {HK_INT, VT_NONE, -1, NULL};
        if (elem_dtype_is_float(p->dtype)) {
            hv.kind = HK_REAL;
            vt_rat q;
            if (p->symbolic) hv.t = vt_var(s, p->name, VS_REAL);
            else if (vt_rat_from_double(p->value, &q)) hv.t = vt_real(s, q);
            else { vx_unsupported(X, op->manifest, p->line, "parameter value of %s", p->name); return false; }
        } else {
            hv.t = vt_int(s, (int64_t)p->value);
            if (p->symbolic) {
                hv.t = vt_var(s, p->name, VS_INT);
            }
        }
        hscope_set(&X->top, p->name, hv);
    }
    for (int i = 0; i < op->n_tensors; i++) {
        int rep = X->config ? X->config->share[i] : i;
        if (rep == i) {
            if (!add_tensor(X, &op->tensors[i], op->tensors[i].role, &X->top)) return false;
        } else if (!share_tensor(X, &op->tensors[rep], &op->tensors[i])) {
            return false;
        }
    }
    return true;
}

bool vx_constexpr_value(vctx *X, const plan_binding *c, const hscope *scope, hval *out) {
    if (!X->fix_all && is_int_literal(c->value.text) && is_block_size(X, c->name)) {
        *out = (hval){HK_INT, vt_var(X->s, c->name, VS_INT), -1, NULL};
        return true;
    }
    return host_sym_eval(X, &c->value, scope, out);
}

static bool setup_variant(vctx *X, hscope *scope) {
    vt_store *s = X->s;
    const plan_variant *v = X->variant;
    for (int i = 0; i < v->n_constexprs; i++) {
        const plan_binding *c = &v->constexprs[i];
        hval hv;
        if (!vx_constexpr_value(X, c, scope, &hv)) return false;
        if (hv.kind == HK_BOOL && vt_get(s, hv.t)->kind != VK_BOOLC && X->n_case_bits < VMAX_CASE_BITS) {
            bool value = (X->case_mask >> X->n_case_bits) & 1;
            X->n_case_bits++;
            vec_push(&X->global_hyps, value ? hv.t : vt_not(s, hv.t));
            hv.t = vt_bool(s, value);
            size_t n = strlen(X->case_text);
            snprintf(X->case_text + n, sizeof X->case_text - n, "%s%s = %s", n ? ", " : "", c->name, value ? "True" : "False");
        }
        if (is_int_literal(c->value.text) && is_block_size(X, c->name)) {
            if (X->fix_all) {
                vec_push(&X->fixed, c->name);
            } else {
                vc_range r = {hv.t, vt_int(s, 1), VT_NONE};
                vec_push(&X->global_ranges, r);
                vec_push(&X->generalized, c->name);
            }
        }
        hscope_set(scope, c->name, hv);
    }
    for (int i = 0; i < v->n_preconditions; i++) {
        vt_id c;
        if (!host_sym_bool(X, &v->preconditions[i], scope, &c)) return false;
        vec_push(&X->global_hyps, c);
    }
    for (int i = 0; i < v->n_temps; i++)
        if (!add_tensor(X, &v->temps[i], ROLE_TEMP, scope)) return false;
    /* temps are visible in the variant's scope, like the tensors */
    for (int i = 0; i < v->n_temps; i++) hscope_set(scope, v->temps[i].name, *hscope_get(&X->top, v->temps[i].name));
    return true;
}

/* ---- one attempt ---- */

typedef struct attempt {
    verify_status status;
    char message[1024];
    char failed_vc[512];
    const char *failed_kind;
    int line;
    int vcs, proved, queries;
    double smt_seconds;
    bool generalized_any, fixed_any;
    const char *patterns[VERIFY_MAX_PATTERNS];
    int n_patterns;
    counterexample_point cex;
    valias calls[VMAX_CONFIGS];   /* configurations the variant's recursive calls use */
    int n_calls;
    int n_case_bits;              /* condition-valued constexprs met (setup_variant) */
    char case_text[200];
} attempt;

static void run_attempt(const plan_op *op, const plan_variant *variant, const exec_sources *src, const formula *f,
                        const verify_options *opt, bool fix_all, const valias *config, unsigned case_mask, double deadline,
                        verify_result *r, attempt *out) {
    memset(out, 0, sizeof *out);
    vctx X;
    memset(&X, 0, sizeof X);
    arena a;
    arena_init(&a);
    X.a = &a;
    X.s = vt_store_new();
    unsigned q_ms = (unsigned)((opt->query_timeout_s > 0 ? opt->query_timeout_s : 10.0) * 1000);
    X.smt = smt_new(X.s, q_ms);
    smt_set_deadline(X.smt, deadline);
    smt_set_query_isolation(X.smt, opt->in_prover_process);
    X.op = op;
    X.variant = variant;
    X.src = src;
    X.f = f;
    X.opt = opt;
    X.r = r;
    X.fix_all = fix_all;
    X.config = config;
    X.case_mask = case_mask;
    hscope scope;
    hscope_init(&scope, &X.top);
    bool ok = setup(&X) && setup_variant(&X, &scope) && run_steps(&X, variant, &scope, vt_bool(X.s, true), 0) && postcond_final(&X);
    out->generalized_any = X.generalized.len > 0;
    out->fixed_any = X.fixed.len > 0;
    out->n_case_bits = X.n_case_bits;
    snprintf(out->case_text, sizeof out->case_text, "%s", X.case_text);
    if (!ok) {
        diag_format(&X.err, out->message, sizeof out->message);
        out->status = X.err.kind == DIAG_UNSUPPORTED ? VERIFY_UNSUPPORTED : VERIFY_ERROR;
        out->line = X.err.line;
        if (!X.err.kind) { out->status = VERIFY_ERROR; snprintf(out->message, sizeof out->message, "verification could not start"); }
    } else {
        out->status = VERIFY_VERIFIED;
        out->vcs = (int)X.vcs.len;
        for (size_t i = 0; i < X.vcs.len; i++) {
            vcond *v = &X.vcs.items[i];
            if (deadline > 0 && time_now() > deadline) {
                out->status = VERIFY_TIMEOUT;
                snprintf(out->message, sizeof out->message, "verification time limit reached after %zu of %zu VCs", i, X.vcs.len);
                break;
            }
            smt_answer ans = discharge(&X, v);
            if (ans == SMT_UNSAT) { out->proved++; continue; }
            if (deadline > 0 && time_now() >= deadline) {   /* the limit cut this VC's queries short */
                out->status = VERIFY_TIMEOUT;
                snprintf(out->message, sizeof out->message, "verification time limit reached in VC %zu of %zu (%s: %s)", i + 1,
                         X.vcs.len, v->kind, v->what);
                break;
            }
            snprintf(out->failed_vc, sizeof out->failed_vc, "%s (%s, line %d): %s", v->kind, v->what, v->line, v->reason);
            out->failed_kind = v->kind;
            out->line = v->line;
            if (ans == SMT_SAT) {
                char msg[1024] = "";
                if (!opt->no_replay && counterexample_explain(&X, v, msg, sizeof msg, &out->cex)) {
                    out->status = VERIFY_REFUTED;
                    snprintf(out->message, sizeof out->message, "%s", msg);
                } else {
                    out->status = VERIFY_UNKNOWN;
                    snprintf(out->message, sizeof out->message, "VC not proved: %s: %s%s%.700s", v->kind, v->what,
                             opt->no_replay ? "" : "; ", opt->no_replay ? "" : msg);
                }
            } else {
                out->status = VERIFY_UNKNOWN;
                snprintf(out->message, sizeof out->message, "VC %s: %s: %s (%s)", smt_answer_name(ans), v->kind, v->what, v->reason);
            }
            break;
        }
    }
    smt_stats st = smt_get_stats(X.smt);
    out->queries = st.queries;
    out->smt_seconds = st.seconds;
    for (size_t i = 0; i < X.patterns_used.len && out->n_patterns < VERIFY_MAX_PATTERNS; i++)
        out->patterns[out->n_patterns++] = X.patterns_used.items[i];   /* static strings (vx_note_pattern) */
    for (size_t i = 0; i < X.call_configs.len && out->n_calls < VMAX_CONFIGS; i++) out->calls[out->n_calls++] = X.call_configs.items[i];
    vec_free(&X.call_configs);
    hscope_free(&scope);
    hscope_free(&X.top);
    vec_free(&X.global_hyps);
    vec_free(&X.global_ranges);
    vec_free(&X.vcs);
    vec_free(&X.accesses);
    vec_free(&X.writes);
    vec_free(&X.patterns_used);
    vec_free(&X.side_timed_out);
    vec_free(&X.facts);
    vec_free(&X.generalized);
    vec_free(&X.fixed);
    smt_free(X.smt);
    vt_store_free(X.s);
    arena_free(&a);
}

static void fill(verify_result *r, const attempt *a) {
    r->status = a->status;
    r->vcs = a->vcs;
    r->vcs_proved = a->proved;
    r->smt_queries += a->queries;
    r->smt_seconds += a->smt_seconds;
    r->line = a->line;
    snprintf(r->message, sizeof r->message, "%s", a->message);
    snprintf(r->failed_vc, sizeof r->failed_vc, "%s", a->failed_vc);
    r->failed_kind = a->failed_kind;
    r->n_patterns = a->n_patterns;
    for (int i = 0; i < a->n_patterns; i++) r->patterns[i] = a->patterns[i];
    r->cex = a->cex;
}

static bool same_config(const valias *a, const valias *b) {
    if (a->n != b->n || a->any_inputs != b->any_inputs) return false;
    for (int i = 0; i < a->n; i++)
        if (a->share[i] != b->share[i]) return false;
    return true;
}

/* Adds one more proof's counts, block-size kinds and patterns (once each) to total. */
static void add_counts(attempt *total, const attempt *a) {
    total->vcs += a->vcs;
    total->proved += a->proved;
    total->queries += a->queries;
    total->smt_seconds += a->smt_seconds;
    total->generalized_any |= a->generalized_any;
    total->fixed_any |= a->fixed_any;
    for (int i = 0; i < a->n_patterns; i++) {
        bool seen = false;
        for (int k = 0; k < total->n_patterns; k++) seen = seen || strcmp(total->patterns[k], a->patterns[i]) == 0;
        if (!seen && total->n_patterns < VERIFY_MAX_PATTERNS) total->patterns[total->n_patterns++] = a->patterns[i];
    }
}

/* total fails as a did, a's message prefixed by where ("in ...: ", "when ...: "). */
static void take_failure(attempt *total, const attempt *a, const char *where) {
    total->status = a->status;
    total->line = a->line;
    snprintf(total->message, sizeof total->message, "%.200s: %.800s", where, a->message);
    snprintf(total->failed_vc, sizeof total->failed_vc, "%s", a->failed_vc);
    total->failed_kind = a->failed_kind;
    total->cex = a->cex;
}

/* One proof: the variant in its top-level configuration and, when it calls itself, in every
 * configuration its calls use. A call's effect is the induction hypothesis (recursion.c): the
 * variant is correct in that configuration for smaller sizes; the runs here prove the step for
 * every configuration that occurs, so together they prove all of them for every size (strong
 * induction on the sizes' sum, which every call provably decreases). */
static void run_proof(const plan_op *op, const plan_variant *variant, const exec_sources *src, const formula *f,
                      const verify_options *opt, bool fix_all, unsigned case_mask, double deadline, verify_result *r,
                      attempt *out) {
    valias configs[VMAX_CONFIGS];
    int n_configs = 1;
    configs[0].n = op->n_tensors;
    configs[0].any_inputs = false;
    for (int i = 0; i < op->n_tensors; i++) configs[0].share[i] = i;
    attempt total;
    memset(&total, 0, sizeof total);
    for (int c = 0; c < n_configs; c++) {
        attempt a;
        run_attempt(op, variant, src, f, opt, fix_all, &configs[c], case_mask, deadline, r, &a);
        if (c == 0) {
            total = a;
        } else {
            add_counts(&total, &a);
            if (a.status != VERIFY_VERIFIED) {
                char how[200], where[300];
                valias_describe(op, &configs[c], how, sizeof how);
                snprintf(where, sizeof where, "in the recursive call's configuration (%.100s)", how);
                take_failure(&total, &a, where);
            }
        }
        if (a.status != VERIFY_VERIFIED) break;
        for (int k = 0; k < a.n_calls; k++) {
            bool known = false;
            for (int m = 0; m < n_configs; m++) known = known || same_config(&configs[m], &a.calls[k]);
            if (known) continue;
            if (n_configs == VMAX_CONFIGS) {
                total.status = VERIFY_UNSUPPORTED;
                snprintf(total.message, sizeof total.message, "recursive calls in more than %d aliasing configurations", VMAX_CONFIGS);
                c = n_configs;
                break;
            }
            configs[n_configs++] = a.calls[k];
        }
    }
    *out = total;
}

/* The proof in every case of the condition-valued constexprs (vctx.case_mask): the first run
 * finds how many there are; then each other combination of their values is proved. The
 * variant holds when every case holds (the cases' hypotheses cover all sizes). */
static void run_cases(const plan_op *op, const plan_variant *variant, const exec_sources *src, const formula *f,
                      const verify_options *opt, bool fix_all, double deadline, verify_result *r, attempt *out) {
    run_proof(op, variant, src, f, opt, fix_all, 0, deadline, r, out);
    int bits = out->n_case_bits;
    char where[220];
    if (bits > 0 && out->status != VERIFY_VERIFIED) {
        attempt first = *out;
        snprintf(where, sizeof where, "when %.150s", first.case_text);
        take_failure(out, &first, where);
    }
    for (unsigned mask = 1; bits > 0 && out->status == VERIFY_VERIFIED && mask < (1u << bits); mask++) {
        attempt a;
        run_proof(op, variant, src, f, opt, fix_all, mask, deadline, r, &a);
        add_counts(out, &a);
        if (a.status != VERIFY_VERIFIED) {
            snprintf(where, sizeof where, "when %.150s", a.case_text);
            take_failure(out, &a, where);
        }
    }
}

bool verify_formula_in_process(const plan_op *op, const plan_variant *variant, const exec_sources *src, const formula *f,
                    const verify_options *opt, verify_result *r) {
    verify_options dflt;
    if (!opt) { verify_options_default(&dflt); opt = &dflt; }
    memset(r, 0, sizeof *r);
    double t0 = time_now();
    double deadline = opt->timeout_s > 0 ? t0 + opt->timeout_s : 0;
    if (!opt->no_testing && counterexample_by_testing(op, variant, src, f, opt->seed, r->message, sizeof r->message, &r->cex)) {
        r->status = VERIFY_REFUTED;
        r->blocks = opt->fixed_blocks ? "fixed" : "symbolic";
        r->seconds = time_now() - t0;
        return true;
    }
    attempt a;
    run_cases(op, variant, src, f, opt, opt->fixed_blocks, deadline, r, &a);
    r->blocks = a.fixed_any ? "fixed" : "symbolic";
    fill(r, &a);
    /* a refutation that needs a block size other than the manifest's says nothing about the
     * kernel as configured: the proof is retried with the manifest's block sizes */
    bool refuted_as_configured = a.status == VERIFY_REFUTED && a.cex.manifest_blocks;
    if (a.status != VERIFY_VERIFIED && !refuted_as_configured && a.generalized_any && !opt->fixed_blocks &&
        (deadline == 0 || time_now() < deadline)) {
        attempt b;
        run_cases(op, variant, src, f, opt, true, deadline, r, &b);
        if (b.status == VERIFY_VERIFIED || b.status == VERIFY_REFUTED) {
            char first[600];
            snprintf(first, sizeof first, "%.590s", a.message);
            fill(r, &b);
            r->blocks = "fixed";
            size_t n = strlen(r->message);
            if (a.status != VERIFY_REFUTED)
                snprintf(r->message + n, sizeof r->message - n, "%swith symbolic block sizes: %s", n ? "; " : "", first);
        }
    }
    r->seconds = time_now() - t0;
    return r->status != VERIFY_ERROR;
}
