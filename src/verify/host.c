/* host: the manifest's host-side expressions (shapes, strides, grids, argument bindings,
 * constexprs, preconditions, `when` guards) evaluated symbolically: sizes are Int variables,
 * float parameters Real variables, and the result is a vc_term. The Python subset and the
 * functions are those of exec/host_expr.c; next_pow2 and ceil_sqrt become uninterpreted
 * functions whose defining inequalities are added to the verification's hypotheses. */
#include "verify/verify_internal.h"
#include "triton/parse.h"
#include <stdio.h>
#include <string.h>

void hscope_init(hscope *s, const hscope *parent) {
    memset(s, 0, sizeof *s);
    s->parent = parent;
}

void hscope_free(hscope *s) {
    free(s->items);
    s->items = NULL;
    s->n = s->cap = 0;
}

void hscope_set(hscope *s, const char *name, hval v) {
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->items[i].name, name) == 0) { s->items[i].v = v; return; }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->items = xrealloc(s->items, (size_t)s->cap * sizeof *s->items);
    }
    s->items[s->n++] = (hscope_item){name, v};
}

const hval *hscope_get(const hscope *s, const char *name) {
    for (; s; s = s->parent)
        for (int i = s->n - 1; i >= 0; i--)
            if (strcmp(s->items[i].name, name) == 0) return &s->items[i].v;
    return NULL;
}

typedef struct hctx {
    vctx *X;
    const plan_expr *src;
    const hscope *scope;
} hctx;

static bool fail(hctx *c, const ast_expr *e, const char *fmt, const char *arg) {
    if (!diag_failed(&c->X->err))
        diag_set(&c->X->err, DIAG_ERROR, c->src->file, e->line, e->col, fmt, arg);
    return false;
}

static hval hint(vt_id t) { hval v = {HK_INT, t, -1, NULL}; return v; }
static hval hreal(vt_id t) { hval v = {HK_REAL, t, -1, NULL}; return v; }
static hval hbool(vt_id t) { hval v = {HK_BOOL, t, -1, NULL}; return v; }

static bool numeric(const hval *v) { return v->kind == HK_INT || v->kind == HK_REAL || v->kind == HK_BOOL; }

static vt_id as_int(vctx *X, const hval *v) { return vt_convert(X->s, v->t, VS_INT); }

static bool ev(hctx *c, const ast_expr *e, hval *out);

static bool arith(hctx *c, const ast_expr *e, int op, hval a, hval b, hval *out) {
    vctx *X = c->X;
    vt_store *s = X->s;
    if (a.kind == HK_TENSOR || b.kind == HK_TENSOR) {
        hval t = a.kind == HK_TENSOR ? a : b, n = a.kind == HK_TENSOR ? b : a;
        if (n.kind != HK_INT || (op != OP_ADD && !(op == OP_SUB && a.kind == HK_TENSOR)))
            return fail(c, e, "invalid arithmetic on a tensor%s", "");
        t.t = op == OP_ADD ? vt_add(s, t.t, n.t) : vt_sub(s, t.t, n.t);
        *out = t;
        return true;
    }
    if (!numeric(&a) || !numeric(&b)) return fail(c, e, "operator '%s' needs numbers", binop_symbol(op));
    bool ints = a.kind != HK_REAL && b.kind != HK_REAL;
    vt_id x = ints ? as_int(X, &a) : vt_convert(s, a.t, VS_REAL), y = ints ? as_int(X, &b) : vt_convert(s, b.t, VS_REAL);
    switch (op) {
    case OP_ADD: *out = ints ? hint(vt_add(s, x, y)) : hreal(vt_add(s, x, y)); return true;
    case OP_SUB: *out = ints ? hint(vt_sub(s, x, y)) : hreal(vt_sub(s, x, y)); return true;
    case OP_MUL: *out = ints ? hint(vt_mul(s, x, y)) : hreal(vt_mul(s, x, y)); return true;
    case OP_TRUEDIV: *out = hreal(vt_div(s, vt_convert(s, x, VS_REAL), vt_convert(s, y, VS_REAL))); return true;
    case OP_FLOORDIV:
        if (!ints) return fail(c, e, "// on floats in a manifest expression%s", "");
        *out = hint(vt_fdiv(s, x, y));
        return true;
    case OP_MOD:
        if (!ints) return fail(c, e, "%% on floats in a manifest expression%s", "");
        *out = hint(vt_fmod(s, x, y));
        return true;
    case OP_POW: {
        int64_t k;
        if (!vt_is_const(s, y, &k) || k < 0 || k > 8) return fail(c, e, "** needs a small constant exponent%s", "");
        vt_id r = ints ? vt_int(s, 1) : vt_real_int(s, 1);
        for (int64_t i = 0; i < k; i++) r = vt_mul(s, r, x);
        *out = ints ? hint(r) : hreal(r);
        return true;
    }
    default: break;
    }
    int64_t xi, yi;
    if (ints && vt_is_const(s, x, &xi) && vt_is_const(s, y, &yi)) {
        switch (op) {
        case OP_LSHIFT: *out = hint(vt_int(s, yi >= 0 && yi < 63 ? xi << yi : 0)); return true;
        case OP_RSHIFT: *out = hint(vt_int(s, yi >= 0 && yi < 63 ? xi >> yi : 0)); return true;
        case OP_BITAND: *out = hint(vt_int(s, xi & yi)); return true;
        case OP_BITOR: *out = hint(vt_int(s, xi | yi)); return true;
        case OP_BITXOR: *out = hint(vt_int(s, xi ^ yi)); return true;
        default: break;
        }
    }
    return fail(c, e, "operator '%s' on symbolic values is not supported in a manifest expression", binop_symbol(op));
}

static bool compare(hctx *c, const ast_expr *e, cmp_kind op, hval a, hval b, vt_id *out) {
    vt_store *s = c->X->s;
    if (op == CMP_IS || op == CMP_IS_NOT) {
        bool same = a.kind == b.kind && a.kind == HK_NONE;
        if (a.kind == HK_BOOL && b.kind == HK_BOOL) { *out = vt_eq(s, a.t, b.t); if (op == CMP_IS_NOT) *out = vt_not(s, *out); return true; }
        *out = vt_bool(s, op == CMP_IS ? same : !same);
        return true;
    }
    if (!numeric(&a) || !numeric(&b)) {
        if ((op == CMP_EQ || op == CMP_NE) && a.kind == b.kind) {
            bool eq = a.kind == HK_NONE || (a.kind == HK_STR && strcmp(a.str, b.str) == 0);
            if (a.kind == HK_TENSOR) { eq = a.buf == b.buf; if (eq) { *out = vt_eq(s, a.t, b.t); if (op == CMP_NE) *out = vt_not(s, *out); return true; } }
            *out = vt_bool(s, op == CMP_EQ ? eq : !eq);
            return true;
        }
        return fail(c, e, "comparison '%s' needs numbers", cmp_symbol(op));
    }
    vt_id x = a.t, y = b.t;
    switch (op) {
    case CMP_LT: *out = vt_lt(s, x, y); return true;
    case CMP_LE: *out = vt_le(s, x, y); return true;
    case CMP_GT: *out = vt_gt(s, x, y); return true;
    case CMP_GE: *out = vt_ge(s, x, y); return true;
    case CMP_EQ: *out = vt_eq(s, x, y); return true;
    case CMP_NE: *out = vt_ne(s, x, y); return true;
    default: return fail(c, e, "comparison '%s' is not supported here", cmp_symbol(op));
    }
}

static vt_id truth(vctx *X, const hval *v) {
    vt_store *s = X->s;
    switch (v->kind) {
    case HK_NONE: return vt_bool(s, false);
    case HK_STR: return vt_bool(s, v->str[0] != 0);
    case HK_TENSOR: return vt_bool(s, true);
    default: return vt_convert(s, v->t, VS_BOOL);
    }
}

/* next_pow2(x) = np2(x): np2(x) >= x, np2(x) >= 1, and np2(x) < 2x for x >= 1. */
static vt_id next_pow2(vctx *X, vt_id x) {
    vt_store *s = X->s;
    int64_t v;
    if (vt_is_const(s, x, &v)) {
        int64_t p = 1;
        while (p < v && p < ((int64_t)1 << 62)) p <<= 1;
        return vt_int(s, p);
    }
    vt_id r = vt_app1(s, "np2", VS_INT, x);
    vec_push(&X->global_hyps, vt_le(s, x, r));
    vec_push(&X->global_hyps, vt_le(s, vt_int(s, 1), r));
    vec_push(&X->global_hyps, vt_implies(s, vt_le(s, vt_int(s, 1), x), vt_lt(s, r, vt_mul(s, vt_int(s, 2), x))));
    return r;
}

/* ceil_sqrt(x) = c with c*c >= x and (c-1)*(c-1) < x for x >= 1 */
static vt_id ceil_sqrt(vctx *X, vt_id x) {
    vt_store *s = X->s;
    vt_id r = vt_app1(s, "ceil_sqrt", VS_INT, x);
    vec_push(&X->global_hyps, vt_le(s, x, vt_mul(s, r, r)));
    vt_id rm = vt_sub(s, r, vt_int(s, 1));
    vec_push(&X->global_hyps, vt_implies(s, vt_le(s, vt_int(s, 1), x), vt_and(s, vt_lt(s, vt_mul(s, rm, rm), x), vt_le(s, vt_int(s, 1), r))));
    return r;
}

static const char *callee_name(const ast_expr *fn) {
    if (fn->kind == EX_NAME) return fn->name;
    if (fn->kind == EX_ATTR && fn->lhs->kind == EX_NAME &&
        (strcmp(fn->lhs->name, "triton") == 0 || strcmp(fn->lhs->name, "math") == 0))
        return fn->name;
    return NULL;
}

static bool call(hctx *c, const ast_expr *e, hval *out) {
    vctx *X = c->X;
    vt_store *s = X->s;
    const char *name = callee_name(e->lhs);
    if (!name) return fail(c, e, "only calls of the manifest functions are allowed here%s", "");
    hval a[4];
    int n = e->n_items;
    if (n > 4 || e->n_kwargs) return fail(c, e, "unsupported call of %s()", name);
    for (int i = 0; i < n; i++)
        if (!ev(c, e->items[i], &a[i])) return false;
    if (strcmp(name, "cdiv") == 0 && n == 2) { *out = hint(vt_cdiv(s, as_int(X, &a[0]), as_int(X, &a[1]))); return true; }
    if ((strcmp(name, "next_pow2") == 0 || strcmp(name, "next_power_of_2") == 0) && n == 1) {
        *out = hint(next_pow2(X, as_int(X, &a[0])));
        return true;
    }
    if (strcmp(name, "ceil_sqrt") == 0 && n == 1) { *out = hint(ceil_sqrt(X, as_int(X, &a[0]))); return true; }
    if ((strcmp(name, "min") == 0 || strcmp(name, "max") == 0) && n >= 2) {
        bool is_min = name[1] == 'i';
        hval best = a[0];
        for (int i = 1; i < n; i++) {
            if (!numeric(&a[i]) || !numeric(&best)) return fail(c, e, "%s() takes numbers", name);
            bool ints = best.kind != HK_REAL && a[i].kind != HK_REAL;
            vt_id x = ints ? as_int(X, &best) : vt_convert(s, best.t, VS_REAL), y = ints ? as_int(X, &a[i]) : vt_convert(s, a[i].t, VS_REAL);
            /* Python's min/max keep the first of equal values; the value is the same */
            vt_id v = is_min ? vt_ite(s, vt_lt(s, y, x), y, x) : vt_ite(s, vt_lt(s, x, y), y, x);
            best = ints ? hint(v) : hreal(v);
        }
        *out = best;
        return true;
    }
    if (strcmp(name, "abs") == 0 && n == 1 && numeric(&a[0])) {
        vt_id x = a[0].kind == HK_REAL ? a[0].t : as_int(X, &a[0]);
        vt_id zero = a[0].kind == HK_REAL ? vt_real_int(s, 0) : vt_int(s, 0);
        vt_id v = vt_ite(s, vt_lt(s, x, zero), vt_neg(s, x), x);
        *out = a[0].kind == HK_REAL ? hreal(v) : hint(v);
        return true;
    }
    if ((strcmp(name, "int") == 0 || strcmp(name, "float") == 0) && n == 1 && numeric(&a[0])) {
        *out = name[0] == 'i' ? hint(vt_convert(s, a[0].t, VS_INT)) : hreal(vt_convert(s, a[0].t, VS_REAL));
        return true;
    }
    if ((strcmp(name, "stride") == 0 || strcmp(name, "size") == 0) && n == 2) {
        int64_t d;
        if (a[0].kind != HK_TENSOR || a[1].kind != HK_INT || !vt_is_const(s, a[1].t, &d))
            return fail(c, e, "%s() takes a tensor and a constant dimension", name);
        const vbuf *b = &X->bufs[a[0].buf];
        if (d < 0) d += b->rank;
        if (d < 0 || d >= b->rank) return fail(c, e, "dimension out of range in %s()", name);
        *out = hint(name[1] == 't' ? b->stride[d] : b->shape[d]);
        return true;
    }
    if (strcmp(name, "numel") == 0 && n == 1 && a[0].kind == HK_TENSOR) {
        const vbuf *b = &X->bufs[a[0].buf];
        vt_id t = vt_int(s, 1);
        for (int d = 0; d < b->rank; d++) t = vt_mul(s, t, b->shape[d]);
        *out = hint(t);
        return true;
    }
    return fail(c, e->lhs, "unknown or unsupported function '%s' in a manifest expression", name);
}

static bool ev(hctx *c, const ast_expr *e, hval *out) {
    vctx *X = c->X;
    vt_store *s = X->s;
    memset(out, 0, sizeof *out);
    out->buf = -1;
    switch (e->kind) {
    case EX_INT: *out = hint(vt_int(s, e->ival)); return true;
    case EX_FLOAT: {
        vt_rat q;
        if (!vt_rat_from_double(e->fval, &q)) return fail(c, e, "float literal %s is not representable", e->str ? e->str : "");
        *out = hreal(vt_real(s, q));
        return true;
    }
    case EX_BOOL: *out = hbool(vt_bool(s, e->ival != 0)); return true;
    case EX_NONE: out->kind = HK_NONE; return true;
    case EX_STR: out->kind = HK_STR; out->str = e->str; return true;
    case EX_NAME: {
        const hval *v = hscope_get(c->scope, e->name);
        if (!v) {
            if (strcmp(e->name, "inf") == 0) { *out = hreal(vt_inf(s, 1)); return true; }
            if (strcmp(e->name, "True") == 0 || strcmp(e->name, "False") == 0) { *out = hbool(vt_bool(s, e->name[0] == 'T')); return true; }
            return fail(c, e, "name '%s' is not defined (not a size, constexpr, parameter or tensor)", e->name);
        }
        *out = *v;
        return true;
    }
    case EX_BINOP: {
        hval a, b;
        return ev(c, e->lhs, &a) && ev(c, e->rhs, &b) && arith(c, e, e->op, a, b, out);
    }
    case EX_UNARY: {
        hval a;
        if (!ev(c, e->lhs, &a)) return false;
        if (e->op == UN_NOT) { *out = hbool(vt_not(s, truth(X, &a))); return true; }
        if (!numeric(&a)) return fail(c, e, "unary '%s' needs a number", unary_symbol(e->op));
        if (e->op == UN_NEG) { *out = a; out->t = vt_neg(s, a.kind == HK_BOOL ? as_int(X, &a) : a.t); if (a.kind == HK_BOOL) out->kind = HK_INT; }
        else if (e->op == UN_POS) *out = a;
        else return fail(c, e, "'~' in a manifest expression%s", "");
        return true;
    }
    case EX_COMPARE: {
        hval left, right;
        vt_id all = vt_bool(s, true), r;
        if (!ev(c, e->items[0], &left)) return false;
        for (int i = 1; i < e->n_items; i++) {
            if (!ev(c, e->items[i], &right) || !compare(c, e, e->cmp_ops[i - 1], left, right, &r)) return false;
            all = vt_and(s, all, r);
            left = right;
        }
        *out = hbool(all);
        return true;
    }
    case EX_BOOLOP: {
        bool is_or = e->op == 1;
        vt_id acc = vt_bool(s, !is_or);
        for (int i = 0; i < e->n_items; i++) {
            hval v;
            if (!ev(c, e->items[i], &v)) return false;
            acc = is_or ? vt_or(s, acc, truth(X, &v)) : vt_and(s, acc, truth(X, &v));
        }
        *out = hbool(acc);
        return true;
    }
    case EX_IFEXP: {
        hval cond, a, b;
        if (!ev(c, e->cond, &cond)) return false;
        vt_id ct = truth(X, &cond);
        int64_t cv;
        if (vt_is_const(s, ct, &cv)) return ev(c, cv ? e->lhs : e->rhs, out);
        if (!ev(c, e->lhs, &a) || !ev(c, e->rhs, &b)) return false;
        if (!numeric(&a) || !numeric(&b)) return fail(c, e, "a conditional expression over non-numbers%s", "");
        hkind k = (a.kind == HK_REAL || b.kind == HK_REAL) ? HK_REAL : (a.kind == HK_BOOL && b.kind == HK_BOOL) ? HK_BOOL : HK_INT;
        vt_sort so = k == HK_REAL ? VS_REAL : k == HK_BOOL ? VS_BOOL : VS_INT;
        out->kind = k;
        out->t = vt_ite(s, ct, vt_convert(s, a.t, so), vt_convert(s, b.t, so));
        return true;
    }
    case EX_CALL: return call(c, e, out);
    default: return fail(c, e, "this kind of expression is not allowed in a manifest%s", "");
    }
}

bool host_sym_eval(vctx *X, const plan_expr *pe, const hscope *scope, hval *out) {
    if (!pe->text) {
        diag_set(&X->err, DIAG_ERROR, pe->file, pe->line, pe->col, "missing expression");
        return false;
    }
    ast_expr *e = parse_expression(X->a, pe->file, pe->line, pe->col, pe->text, &X->err);
    if (!e) return false;
    hctx c = {X, pe, scope};
    return ev(&c, e, out);
}

bool host_sym_int(vctx *X, const plan_expr *e, const hscope *scope, vt_id *out) {
    hval v;
    if (!host_sym_eval(X, e, scope, &v)) return false;
    if (v.kind != HK_INT && v.kind != HK_BOOL) {
        diag_set(&X->err, DIAG_ERROR, e->file, e->line, e->col, "expected an integer: %s", e->text);
        return false;
    }
    *out = vt_convert(X->s, v.t, VS_INT);
    return true;
}

bool host_sym_bool(vctx *X, const plan_expr *e, const hscope *scope, vt_id *out) {
    hval v;
    if (!host_sym_eval(X, e, scope, &v)) return false;
    *out = truth(X, &v);
    return true;
}
