/* host_expr: see host_expr.h. Expressions are parsed with the Python expression parser, so
 * their syntax is Python's and their errors carry manifest positions. */
#include "exec/host_expr.h"
#include "triton/parse.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void host_scope_init(host_scope *s, const host_scope *parent, const exec_memory *mem) {
    s->items = NULL;
    s->n = s->cap = 0;
    s->parent = parent;
    s->mem = mem;
}

void host_scope_free(host_scope *s) {
    free(s->items);
    s->items = NULL;
    s->n = s->cap = 0;
}

void host_scope_set(host_scope *s, const char *name, host_value v) {
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->items[i].name, name) == 0) { s->items[i].value = v; return; }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->items = xrealloc(s->items, (size_t)s->cap * sizeof *s->items);
    }
    s->items[s->n++] = (host_binding){name, v};
}

const host_value *host_scope_get(const host_scope *s, const char *name) {
    for (; s; s = s->parent)
        for (int i = s->n - 1; i >= 0; i--)
            if (strcmp(s->items[i].name, name) == 0) return &s->items[i].value;
    return NULL;
}

void host_value_format(const host_value *v, char *buf, int size) {
    switch (v->kind) {
    case HV_INT: snprintf(buf, (size_t)size, "%lld", (long long)v->i); break;
    case HV_FLOAT: snprintf(buf, (size_t)size, "%g", v->f); break;
    case HV_BOOL: snprintf(buf, (size_t)size, "%s", v->i ? "True" : "False"); break;
    case HV_NONE: snprintf(buf, (size_t)size, "None"); break;
    case HV_STR: snprintf(buf, (size_t)size, "'%s'", v->s); break;
    case HV_TENSOR: snprintf(buf, (size_t)size, "<tensor %d%+lld>", v->buf, (long long)v->i); break;
    }
}

typedef struct host_eval_ctx {
    const plan_expr *src;
    const host_scope *scope;
    diag *err;
    const char *file;
    int depth;
} host_eval_ctx;

static bool fail(host_eval_ctx *c, const ast_expr *e, const char *fmt, const char *arg) {
    diag_set(c->err, DIAG_ERROR, c->file, e->line, e->col, fmt, arg);
    return false;
}

static bool numeric(const host_value *v) { return v->kind == HV_INT || v->kind == HV_BOOL || v->kind == HV_FLOAT; }
static double as_f(const host_value *v) { return v->kind == HV_FLOAT ? v->f : (double)v->i; }
static host_value hv_int(int64_t i) { host_value v = {0}; v.kind = HV_INT; v.i = i; return v; }
static host_value hv_float(double f) { host_value v = {0}; v.kind = HV_FLOAT; v.f = f; return v; }
static host_value hv_bool(bool b) { host_value v = {0}; v.kind = HV_BOOL; v.i = b; return v; }

static int64_t floordiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static bool ev(host_eval_ctx *c, const ast_expr *e, host_value *out);

static bool arith(host_eval_ctx *c, const ast_expr *e, int op, host_value a, host_value b, host_value *out) {
    if (a.kind == HV_TENSOR || b.kind == HV_TENSOR) {   /* pointer arithmetic: tensor ± int */
        host_value t = a.kind == HV_TENSOR ? a : b, n = a.kind == HV_TENSOR ? b : a;
        if (n.kind != HV_INT || (op != OP_ADD && !(op == OP_SUB && a.kind == HV_TENSOR)))
            return fail(c, e, "invalid arithmetic on a tensor%s", "");
        t.i += op == OP_ADD ? n.i : -n.i;
        *out = t;
        return true;
    }
    if (!numeric(&a) || !numeric(&b)) return fail(c, e, "operator '%s' needs numbers", binop_symbol(op));
    bool ints = a.kind != HV_FLOAT && b.kind != HV_FLOAT;
    if (ints) {
        int64_t x = a.i, y = b.i;
        switch (op) {
        case OP_ADD: *out = hv_int(x + y); return true;
        case OP_SUB: *out = hv_int(x - y); return true;
        case OP_MUL: *out = hv_int(x * y); return true;
        case OP_TRUEDIV: if (!y) break; *out = hv_float((double)x / (double)y); return true;
        case OP_FLOORDIV: if (!y) break; *out = hv_int(floordiv(x, y)); return true;
        case OP_MOD: if (!y) break; *out = hv_int(x - floordiv(x, y) * y); return true;
        case OP_POW: {
            if (y < 0) { *out = hv_float(pow((double)x, (double)y)); return true; }
            int64_t r = 1;
            for (int64_t k = 0; k < y && k < 64; k++) r *= x;
            *out = hv_int(r);
            return true;
        }
        case OP_LSHIFT: *out = hv_int(y >= 0 && y < 63 ? x << y : 0); return true;
        case OP_RSHIFT: *out = hv_int(y >= 0 && y < 63 ? x >> y : 0); return true;
        case OP_BITAND: *out = hv_int(x & y); return true;
        case OP_BITOR: *out = hv_int(x | y); return true;
        case OP_BITXOR: *out = hv_int(x ^ y); return true;
        default: return fail(c, e, "operator '%s' is not supported here", binop_symbol(op));
        }
        return fail(c, e, "division by zero%s", "");
    }
    double x = as_f(&a), y = as_f(&b);
    switch (op) {
    case OP_ADD: *out = hv_float(x + y); return true;
    case OP_SUB: *out = hv_float(x - y); return true;
    case OP_MUL: *out = hv_float(x * y); return true;
    case OP_TRUEDIV: *out = hv_float(x / y); return true;
    case OP_FLOORDIV: *out = hv_float(floor(x / y)); return true;
    case OP_MOD: *out = hv_float(x - floor(x / y) * y); return true;
    case OP_POW: *out = hv_float(pow(x, y)); return true;
    default: return fail(c, e, "operator '%s' needs integers", binop_symbol(op));
    }
}

static bool compare(host_eval_ctx *c, const ast_expr *e, cmp_kind op, host_value a, host_value b, bool *out) {
    if (op == CMP_IS || op == CMP_IS_NOT) {
        bool same = a.kind == b.kind && (a.kind == HV_NONE || (a.kind == HV_BOOL && a.i == b.i));
        *out = op == CMP_IS ? same : !same;
        return true;
    }
    if (!numeric(&a) || !numeric(&b)) {
        if ((op == CMP_EQ || op == CMP_NE) && a.kind == b.kind) {
            bool eq = a.kind == HV_NONE || (a.kind == HV_STR && strcmp(a.s, b.s) == 0) ||
                      (a.kind == HV_TENSOR && a.buf == b.buf && a.i == b.i);
            *out = op == CMP_EQ ? eq : !eq;
            return true;
        }
        return fail(c, e, "comparison '%s' needs numbers", cmp_symbol(op));
    }
    double x = as_f(&a), y = as_f(&b);
    bool ints = a.kind != HV_FLOAT && b.kind != HV_FLOAT;
    switch (op) {
    case CMP_LT: *out = ints ? a.i < b.i : x < y; return true;
    case CMP_LE: *out = ints ? a.i <= b.i : x <= y; return true;
    case CMP_GT: *out = ints ? a.i > b.i : x > y; return true;
    case CMP_GE: *out = ints ? a.i >= b.i : x >= y; return true;
    case CMP_EQ: *out = ints ? a.i == b.i : x == y; return true;
    case CMP_NE: *out = ints ? a.i != b.i : x != y; return true;
    default: return fail(c, e, "comparison '%s' is not supported here", cmp_symbol(op));
    }
}

static bool truthy(const host_value *v) {
    switch (v->kind) {
    case HV_FLOAT: return v->f != 0;
    case HV_NONE: return false;
    case HV_STR: return v->s[0] != 0;
    case HV_TENSOR: return true;
    default: return v->i != 0;
    }
}

static int64_t next_pow2(int64_t n) {
    int64_t p = 1;
    while (p < n && p < ((int64_t)1 << 62)) p <<= 1;
    return p;
}

static int64_t ceil_sqrt(int64_t n) {
    if (n <= 0) return 0;
    int64_t r = (int64_t)sqrt((double)n);
    while (r * r < n) r++;
    while (r > 0 && (r - 1) * (r - 1) >= n) r--;
    return r;
}

/* The callee's name: `f` or a dotted `triton.f` / `math.f`. */
static const char *callee_name(const ast_expr *fn) {
    if (fn->kind == EX_NAME) return fn->name;
    if (fn->kind == EX_ATTR && fn->lhs->kind == EX_NAME &&
        (strcmp(fn->lhs->name, "triton") == 0 || strcmp(fn->lhs->name, "math") == 0))
        return fn->name;
    return NULL;
}

static bool tensor_arg(host_eval_ctx *c, const ast_expr *e, const host_value *v, const exec_buffer **out) {
    if (v->kind != HV_TENSOR || !c->scope->mem || v->buf < 0 || v->buf >= c->scope->mem->n)
        return fail(c, e, "expected a tensor argument%s", "");
    *out = c->scope->mem->buffers[v->buf];
    return true;
}

static bool call(host_eval_ctx *c, const ast_expr *e, host_value *out) {
    const char *name = callee_name(e->lhs);
    if (!name) return fail(c, e, "only calls of the manifest functions are allowed here%s", "");
    if (e->n_kwargs) return fail(c, e, "keyword arguments are not supported in %s()", name);
    host_value args[4];
    int n = e->n_items;
    if (n > 4) return fail(c, e, "too many arguments to %s()", name);
    for (int i = 0; i < n; i++)
        if (!ev(c, e->items[i], &args[i])) return false;
    bool all_int = true;
    for (int i = 0; i < n; i++) all_int = all_int && (args[i].kind == HV_INT || args[i].kind == HV_BOOL);
    if (strcmp(name, "cdiv") == 0) {
        if (n != 2 || !all_int) return fail(c, e, "cdiv() takes two integers%s", "");
        if (args[1].i == 0) return fail(c, e, "cdiv() by zero%s", "");
        *out = hv_int(floordiv(args[0].i + args[1].i - 1, args[1].i));
        return true;
    }
    if (strcmp(name, "next_pow2") == 0 || strcmp(name, "next_power_of_2") == 0) {
        if (n != 1 || !all_int) return fail(c, e, "%s() takes one integer", name);
        *out = hv_int(next_pow2(args[0].i));
        return true;
    }
    if (strcmp(name, "ceil_sqrt") == 0) {
        if (n != 1 || !all_int) return fail(c, e, "ceil_sqrt() takes one integer%s", "");
        *out = hv_int(ceil_sqrt(args[0].i));
        return true;
    }
    if (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) {
        if (n < 2) return fail(c, e, "%s() takes at least two numbers", name);
        host_value best = args[0];
        for (int i = 0; i < n; i++) {
            if (!numeric(&args[i])) return fail(c, e, "%s() takes numbers", name);
            bool better = name[1] == 'i' ? as_f(&args[i]) < as_f(&best) : as_f(&args[i]) > as_f(&best);
            if (better) best = args[i];
        }
        *out = best;
        return true;
    }
    if (strcmp(name, "abs") == 0) {
        if (n != 1 || !numeric(&args[0])) return fail(c, e, "abs() takes one number%s", "");
        *out = args[0].kind == HV_FLOAT ? hv_float(fabs(args[0].f)) : hv_int(args[0].i < 0 ? -args[0].i : args[0].i);
        return true;
    }
    if (strcmp(name, "int") == 0 || strcmp(name, "float") == 0) {
        if (n != 1 || !numeric(&args[0])) return fail(c, e, "%s() takes one number", name);
        *out = name[0] == 'i' ? hv_int((int64_t)as_f(&args[0])) : hv_float(as_f(&args[0]));
        return true;
    }
    if (strcmp(name, "ceil") == 0 || strcmp(name, "sqrt") == 0 || strcmp(name, "log2") == 0) {
        if (n != 1 || !numeric(&args[0])) return fail(c, e, "%s() takes one number", name);
        double x = as_f(&args[0]);
        if (name[0] == 'c') *out = hv_int((int64_t)ceil(x));
        else *out = hv_float(name[0] == 's' ? sqrt(x) : log2(x));
        return true;
    }
    if (strcmp(name, "stride") == 0 || strcmp(name, "size") == 0) {
        const exec_buffer *b;
        if (n != 2 || !tensor_arg(c, e, &args[0], &b)) return n != 2 ? fail(c, e, "%s() takes a tensor and a dimension", name) : false;
        int64_t d = args[1].i;
        if (args[1].kind != HV_INT || d < -b->rank || d >= b->rank) return fail(c, e, "dimension out of range in %s()", name);
        if (d < 0) d += b->rank;
        *out = hv_int(name[1] == 't' ? b->strides[d] : b->shape[d]);
        return true;
    }
    if (strcmp(name, "numel") == 0) {
        const exec_buffer *b;
        if (n != 1 || !tensor_arg(c, e, &args[0], &b)) return n != 1 ? fail(c, e, "numel() takes a tensor%s", "") : false;
        int64_t t = 1;
        for (int d = 0; d < b->rank; d++) t *= b->shape[d];
        *out = hv_int(t);
        return true;
    }
    return fail(c, e->lhs, "unknown function '%s' (available: cdiv, next_pow2, ceil_sqrt, min, max, abs, int, float, ceil, sqrt, log2, stride, size, numel)", name);
}

static bool ev(host_eval_ctx *c, const ast_expr *e, host_value *out) {
    if (++c->depth > 200) return fail(c, e, "expression nested too deeply%s", "");
    bool ok = true;
    memset(out, 0, sizeof *out);
    switch (e->kind) {
    case EX_INT: *out = hv_int(e->ival); break;
    case EX_FLOAT: *out = hv_float(e->fval); break;
    case EX_BOOL: *out = hv_bool(e->ival != 0); break;
    case EX_NONE: out->kind = HV_NONE; break;
    case EX_STR: out->kind = HV_STR; out->s = e->str; break;
    case EX_NAME: {
        const host_value *v = host_scope_get(c->scope, e->name);
        if (!v) {
            if (strcmp(e->name, "inf") == 0) { *out = hv_float(INFINITY); break; }
            ok = fail(c, e, "name '%s' is not defined (not a size, constexpr, parameter or tensor)", e->name);
            break;
        }
        *out = *v;
        break;
    }
    case EX_BINOP: {
        host_value a, b;
        ok = ev(c, e->lhs, &a) && ev(c, e->rhs, &b) && arith(c, e, e->op, a, b, out);
        break;
    }
    case EX_UNARY: {
        host_value a;
        if (!(ok = ev(c, e->lhs, &a))) break;
        if (e->op == UN_NOT) { *out = hv_bool(!truthy(&a)); break; }
        if (!numeric(&a)) { ok = fail(c, e, "unary '%s' needs a number", unary_symbol(e->op)); break; }
        if (e->op == UN_NEG) *out = a.kind == HV_FLOAT ? hv_float(-a.f) : hv_int(-a.i);
        else if (e->op == UN_POS) *out = a;
        else if (a.kind == HV_FLOAT) ok = fail(c, e, "'~' needs an integer%s", "");
        else *out = hv_int(~a.i);
        break;
    }
    case EX_COMPARE: {
        host_value left, right;
        bool all = true, r = false;
        if (!(ok = ev(c, e->items[0], &left))) break;
        for (int i = 1; ok && i < e->n_items; i++) {
            ok = ev(c, e->items[i], &right) && compare(c, e, e->cmp_ops[i - 1], left, right, &r);
            all = all && r;
            left = right;
        }
        *out = hv_bool(all);
        break;
    }
    case EX_BOOLOP: {
        bool is_or = e->op == 1;
        for (int i = 0; ok && i < e->n_items; i++) {
            ok = ev(c, e->items[i], out);
            if (ok && truthy(out) == is_or) break;
        }
        break;
    }
    case EX_IFEXP: {
        host_value cond;
        ok = ev(c, e->cond, &cond) && ev(c, truthy(&cond) ? e->lhs : e->rhs, out);
        break;
    }
    case EX_CALL: ok = call(c, e, out); break;
    default:
        ok = fail(c, e, "this kind of expression is not allowed in a manifest%s", "");
    }
    c->depth--;
    return ok;
}

bool host_eval(arena *a, const plan_expr *pe, const host_scope *scope, host_value *out, diag *err) {
    if (!pe->text) {
        diag_set(err, DIAG_ERROR, pe->file, pe->line, pe->col, "missing expression");
        return false;
    }
    ast_expr *e = parse_expression(a, pe->file, pe->line, pe->col, pe->text, err);
    if (!e) return false;
    host_eval_ctx c = {pe, scope, err, pe->file, 0};
    return ev(&c, e, out);
}

bool host_eval_int(arena *a, const plan_expr *pe, const host_scope *scope, int64_t *out, diag *err) {
    host_value v;
    if (!host_eval(a, pe, scope, &v, err)) return false;
    if (v.kind == HV_FLOAT && v.f == floor(v.f) && fabs(v.f) < 9e18) { *out = (int64_t)v.f; return true; }
    if (v.kind != HV_INT && v.kind != HV_BOOL) {
        diag_set(err, DIAG_ERROR, pe->file, pe->line, pe->col, "expected an integer: %s", pe->text);
        return false;
    }
    *out = v.i;
    return true;
}

bool host_eval_bool(arena *a, const plan_expr *pe, const host_scope *scope, bool *out, diag *err) {
    host_value v;
    if (!host_eval(a, pe, scope, &v, err)) return false;
    *out = truthy(&v);
    return true;
}
