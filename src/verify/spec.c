/* spec: a formula (formula.h) as vc_term terms — the post-condition an output must meet.
 * Index variables are the caller's index terms; reduction binders become bound variables;
 * tensor elements are reads of the tensor's memory function at the element's storage offset
 * (so the formula and the kernel read the same memory); outputs referenced by name (mean[i]
 * in layer_norm) are inlined; sizes are Int variables, float parameters Real variables and
 * non-symbolic parameters their value. The functions are those of the formula language,
 * with the same meaning as in the kernel (vx_math). */
#include "verify/verify_internal.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct sbind { const char *name; vt_id value; } sbind;

typedef struct sctx {
    vctx *X;
    const hscope *scope;      /* sizes, parameters and tensors */
    bool current;             /* tensor elements: what the buffers hold now (else initially) */
    sbind binds[32];
    int n_binds;
    int depth;
    int line;
} sctx;

static vt_id fail(sctx *c, const fexpr *e, const char *fmt, const char *arg) {
    if (!diag_failed(&c->X->err))
        diag_set(&c->X->err, DIAG_ERROR, c->X->f->file, e ? e->line : c->line, e ? e->col : 0, fmt, arg);
    return VT_NONE;
}

static vt_id tr(sctx *c, const fexpr *e);


static vt_id name_value(sctx *c, const fexpr *e) {
    vctx *X = c->X;
    vt_store *s = X->s;
    for (int i = c->n_binds - 1; i >= 0; i--)
        if (strcmp(c->binds[i].name, e->name) == 0) return c->binds[i].value;
    const hval *v = hscope_get(c->scope, e->name);
    if (v && (v->kind == HK_INT || v->kind == HK_REAL || v->kind == HK_BOOL)) return v->t;
    if (strcmp(e->name, "inf") == 0) return vt_inf(s, 1);
    return fail(c, e, "formula name '%s' is neither an index, a size nor a parameter", e->name);
}

static vt_id access(sctx *c, const fexpr *e) {
    vctx *X = c->X;
    vt_id idx[VMAX_RANK];
    if (e->n_args > VMAX_RANK) return fail(c, e, "tensor access of rank above 4: %s", e->name);
    for (int i = 0; i < e->n_args; i++) {
        idx[i] = tr(c, e->args[i]);
        if (!idx[i]) return VT_NONE;
        idx[i] = vt_convert(X->s, idx[i], VS_INT);
    }
    const fequation *eq = formula_find(X->f, e->name);
    if (eq) {
        /* another output of the formula: inline its equation */
        if (eq->n_indices != e->n_args) return fail(c, e, "wrong number of indices for '%s'", e->name);
        if (c->depth > 8) return fail(c, e, "outputs of the formula refer to each other in a cycle (%s)", e->name);
        sctx inner = {X, c->scope, c->current, {{0}}, 0, c->depth + 1, eq->line};
        for (int i = 0; i < eq->n_indices; i++) inner.binds[inner.n_binds++] = (sbind){eq->indices[i], idx[i]};
        return tr(&inner, eq->rhs);
    }
    const hval *t = hscope_get(c->scope, e->name);
    if (!t || t->kind != HK_TENSOR) return fail(c, e, "formula tensor '%s' is not a tensor of the operator", e->name);
    int b = t->buf;
    if (X->bufs[b].rank != e->n_args) return fail(c, e, "wrong number of indices for '%s'", e->name);
    if (c->current) return buffer_state_at(X, b, idx);   /* views are excluded by recursion.c */
    vt_id off = vt_add(X->s, t->t, layout_offset(X, b, idx));
    return vt_app1(X->s, X->bufs[b].mem, vx_sort_of_dtype(X->bufs[b].dtype), off);
}

static vt_id power(sctx *c, const fexpr *e, vt_id x, vt_id y) {
    vt_store *s = c->X->s;
    vt_rat q;
    if (vt_is_rat(s, y, &q) && q.den == 1 && q.num >= 0 && q.num <= 16) {
        vt_id r = vt_sort_of(s, x) == VS_INT ? vt_int(s, 1) : vt_real_int(s, 1);
        for (int64_t i = 0; i < q.num; i++) r = vt_mul(s, r, x);
        return r;
    }
    (void)e;
    vt_id v[2] = {vt_convert(s, x, VS_REAL), vt_convert(s, y, VS_REAL)};
    return vt_app(s, "pow", VS_REAL, 2, v);
}

static vt_id call(sctx *c, const fexpr *e) {
    vctx *X = c->X;
    vt_store *s = X->s;
    vt_id a[3] = {0};
    if (e->n_args > 3) return fail(c, e, "function %s with too many arguments", e->name);
    for (int i = 0; i < e->n_args; i++)
        if (!(a[i] = tr(c, e->args[i]))) return VT_NONE;
    const char *n = e->name;
    if ((strcmp(n, "max") == 0 || strcmp(n, "min") == 0) && e->n_args == 2)
        return n[1] == 'a' ? vt_max(s, a[0], a[1]) : vt_min(s, a[0], a[1]);
    if (strcmp(n, "pow") == 0 && e->n_args == 2) return power(c, e, a[0], a[1]);
    if (e->n_args != 1) return fail(c, e, "function %s with this number of arguments", n);
    static const struct { const char *name; math_fn fn; } fns[] = {
        {"exp", MF_EXP}, {"exp2", MF_EXP2}, {"log", MF_LOG}, {"log2", MF_LOG2}, {"sqrt", MF_SQRT},
        {"rsqrt", MF_RSQRT}, {"abs", MF_ABS}, {"erf", MF_ERF}, {"tanh", MF_TANH}, {"sigmoid", MF_SIGMOID},
        {"sin", MF_SIN}, {"cos", MF_COS},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (strcmp(fns[i].name, n) == 0) return vx_math(X, fns[i].fn, fns[i].fn == MF_ABS ? a[0] : vt_convert(s, a[0], VS_REAL));
    return fail(c, e, "unknown function %s", n);
}

static vt_id tr(sctx *c, const fexpr *e) {
    vctx *X = c->X;
    vt_store *s = X->s;
    switch (e->kind) {
    case FX_NUM: {
        vt_rat q;
        if (e->num == floor(e->num) && fabs(e->num) < 1e15) return vt_int(s, (int64_t)e->num);
        if (!vt_rat_from_double(e->num, &q)) return fail(c, e, "number %s is not representable", "");
        return vt_real(s, q);
    }
    case FX_NAME: return name_value(c, e);
    case FX_ACCESS: return access(c, e);
    case FX_BINOP: {
        vt_id a = tr(c, e->args[0]), b = a ? tr(c, e->args[1]) : VT_NONE;
        if (!b) return VT_NONE;
        switch (e->op) {
        case '+': return vt_add(s, a, b);
        case '-': return vt_sub(s, a, b);
        case '*': return vt_mul(s, a, b);
        case '/': return vt_div(s, vt_convert(s, a, VS_REAL), vt_convert(s, b, VS_REAL));
        case '%': return vt_fmod(s, a, b);
        case '^': return power(c, e, a, b);
        case FOP_FLOORDIV: return vt_fdiv(s, a, b);
        default: return fail(c, e, "operator %s", "");
        }
    }
    case FX_NEG: {
        vt_id a = tr(c, e->args[0]);
        return a ? vt_neg(s, a) : VT_NONE;
    }
    case FX_CMP: {
        vt_id a = tr(c, e->args[0]), b = a ? tr(c, e->args[1]) : VT_NONE;
        if (!b) return VT_NONE;
        switch (e->op) {
        case FC_LT: return vt_lt(s, a, b);
        case FC_LE: return vt_le(s, a, b);
        case FC_GT: return vt_gt(s, a, b);
        case FC_GE: return vt_ge(s, a, b);
        case FC_EQ: return vt_eq(s, a, b);
        default: return vt_ne(s, a, b);
        }
    }
    case FX_AND: case FX_OR: {
        vt_id a = tr(c, e->args[0]), b = a ? tr(c, e->args[1]) : VT_NONE;
        if (!b) return VT_NONE;
        return e->kind == FX_AND ? vt_and(s, a, b) : vt_or(s, a, b);
    }
    case FX_NOT: {
        vt_id a = tr(c, e->args[0]);
        return a ? vt_not(s, a) : VT_NONE;
    }
    case FX_WHERE: {
        vt_id a = tr(c, e->args[0]), b = a ? tr(c, e->args[1]) : VT_NONE, d = b ? tr(c, e->args[2]) : VT_NONE;
        return d ? vt_ite(s, a, b, d) : VT_NONE;
    }
    case FX_CALL: return call(c, e);
    case FX_REDUCE: {
        static const struct { const char *name; vt_red_op op; } reds[] = {
            {"sum", VR_SUM}, {"prod", VR_PROD}, {"max", VR_MAX}, {"min", VR_MIN}, {"argmax", VR_ARGMAX}, {"argmin", VR_ARGMIN}};
        int k = -1;
        for (int i = 0; i < 6; i++)
            if (strcmp(reds[i].name, e->name) == 0) k = i;
        if (k < 0) return fail(c, e, "reduction %s", e->name);
        vt_id lo = tr(c, e->args[0]), hi = lo ? tr(c, e->args[1]) : VT_NONE;
        if (!hi) return VT_NONE;
        if (c->n_binds >= 32) return fail(c, e, "reductions nested too deeply%s", "");
        vt_id var = vt_var(s, vx_fresh(X, "k"), VS_INT);
        c->binds[c->n_binds++] = (sbind){e->var, var};
        vt_id body = tr(c, e->args[2]);
        c->n_binds--;
        if (!body) return VT_NONE;
        if (reds[k].op != VR_ARGMAX && reds[k].op != VR_ARGMIN && vt_sort_of(s, body) == VS_INT) body = vt_toreal(s, body);
        return vt_red_over(s, reds[k].op, var, vt_convert(s, lo, VS_INT), vt_convert(s, hi, VS_INT), body);
    }
    }
    return fail(c, e, "formula expression%s", "");
}

vt_id spec_of_output(vctx *X, int buf, const vt_id *idx) {
    const char *name = X->bufs[buf].out_name ? X->bufs[buf].out_name : X->bufs[buf].name;
    return spec_in_scope(X, name, &X->top, false, idx);
}

vt_id spec_in_scope(vctx *X, const char *name, const hscope *scope, bool current, const vt_id *idx) {
    const hval *out = hscope_get(scope, name);
    if (!out || out->kind != HK_TENSOR) {
        if (!diag_failed(&X->err)) diag_set(&X->err, DIAG_ERROR, X->f->file, 0, 0, "output '%s' is not a tensor of the operator", name);
        return VT_NONE;
    }
    int buf = out->buf;
    const fequation *eq = formula_find(X->f, name);
    if (!eq) {
        if (!diag_failed(&X->err)) diag_set(&X->err, DIAG_ERROR, X->f->file, 0, 0, "the formula has no equation for output '%s'", name);
        return VT_NONE;
    }
    if (eq->n_indices != X->bufs[buf].rank) {
        if (!diag_failed(&X->err))
            diag_set(&X->err, DIAG_ERROR, X->f->file, eq->line, eq->col, "equation of '%s' has %d indices, the tensor has rank %d", name,
                     eq->n_indices, X->bufs[buf].rank);
        return VT_NONE;
    }
    sctx c = {X, scope, current, {{0}}, 0, 0, eq->line};
    for (int i = 0; i < eq->n_indices; i++) c.binds[c.n_binds++] = (sbind){eq->indices[i], idx[i]};
    vt_id r = tr(&c, eq->rhs);
    if (r && vt_sort_of(X->s, r) != vx_sort_of_dtype(X->bufs[buf].dtype))
        r = vt_convert(X->s, r, vx_sort_of_dtype(X->bufs[buf].dtype));
    return r;
}
