/* fx: construction of formula expressions (fexpr) in the stage's arena, their size (AST nodes)
 * and free-variable test. Lifted formulas are built only through these. */
#include "synth/synth_internal.h"
#include <string.h>

static fexpr *node(synth_ctx *C, fexpr_kind kind, int n_args) {
    fexpr *e = arena_alloc(C->a, sizeof *e);
    e->kind = kind;
    e->n_args = n_args;
    if (n_args) e->args = arena_alloc(C->a, (size_t)n_args * sizeof *e->args);
    return e;
}

fexpr *fx_num(synth_ctx *C, double v) {
    fexpr *e = node(C, FX_NUM, 0);
    e->num = v == 0 ? 0 : v;   /* no -0 */
    return e;
}

fexpr *fx_name(synth_ctx *C, const char *name) {
    fexpr *e = node(C, FX_NAME, 0);
    e->name = name;
    return e;
}

fexpr *fx_access(synth_ctx *C, const char *name, int n, fexpr **idx) {
    if (n == 0) return fx_name(C, name);   /* a scalar tensor is referred to by its name */
    fexpr *e = node(C, FX_ACCESS, n);
    e->name = name;
    for (int i = 0; i < n; i++) e->args[i] = idx[i];
    return e;
}

fexpr *fx_binop(synth_ctx *C, int op, fexpr *a, fexpr *b) {
    fexpr *e = node(C, FX_BINOP, 2);
    e->op = op;
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

fexpr *fx_neg(synth_ctx *C, fexpr *a) {
    if (a->kind == FX_NUM) return fx_num(C, -a->num);
    fexpr *e = node(C, FX_NEG, 1);
    e->args[0] = a;
    return e;
}

fexpr *fx_call(synth_ctx *C, const char *fn, int n, fexpr **args) {
    fexpr *e = node(C, FX_CALL, n);
    e->name = fn;
    for (int i = 0; i < n; i++) e->args[i] = args[i];
    return e;
}

fexpr *fx_cmp(synth_ctx *C, fcmp op, fexpr *a, fexpr *b) {
    fexpr *e = node(C, FX_CMP, 2);
    e->op = op;
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

fexpr *fx_logic(synth_ctx *C, fexpr_kind kind, fexpr *a, fexpr *b) {
    fexpr *e = node(C, kind, kind == FX_NOT ? 1 : 2);
    e->args[0] = a;
    if (kind != FX_NOT) e->args[1] = b;
    return e;
}

fexpr *fx_where(synth_ctx *C, fexpr *c, fexpr *a, fexpr *b) {
    fexpr *e = node(C, FX_WHERE, 3);
    e->args[0] = c;
    e->args[1] = a;
    e->args[2] = b;
    return e;
}

fexpr *fx_reduce(synth_ctx *C, const char *red, const char *var, fexpr *lo, fexpr *hi, fexpr *body) {
    fexpr *e = node(C, FX_REDUCE, 3);
    e->name = red;
    e->var = var;
    e->args[0] = lo;
    e->args[1] = hi;
    e->args[2] = body;
    return e;
}

int fx_size(const fexpr *e) {
    if (!e) return 0;
    int n = 1;
    for (int i = 0; i < e->n_args; i++) n += fx_size(e->args[i]);
    return n;
}

bool fx_uses(const fexpr *e, const char *name) {
    if (!e) return false;
    if (e->kind == FX_NAME) return strcmp(e->name, name) == 0;
    if (e->kind == FX_REDUCE) {
        if (fx_uses(e->args[0], name) || fx_uses(e->args[1], name)) return true;
        return strcmp(e->var, name) != 0 && fx_uses(e->args[2], name);
    }
    for (int i = 0; i < e->n_args; i++)
        if (fx_uses(e->args[i], name)) return true;
    return false;
}

/* Copy of e with name `from` replaced by fexpr `to` where free. */
static fexpr *substitute(synth_ctx *C, const fexpr *e, const char *from, const char *to) {
    if (e->kind == FX_NAME) return strcmp(e->name, from) == 0 ? fx_name(C, to) : (fexpr *)e;
    fexpr *copy = arena_alloc(C->a, sizeof *copy);
    *copy = *e;
    if (e->n_args) copy->args = arena_alloc(C->a, (size_t)e->n_args * sizeof *copy->args);
    for (int i = 0; i < e->n_args; i++) {
        bool bound_here = e->kind == FX_REDUCE && i == 2 && strcmp(e->var, from) == 0;
        copy->args[i] = bound_here ? e->args[i] : substitute(C, e->args[i], from, to);
    }
    return copy;
}

fexpr *fx_rebind(synth_ctx *C, const fexpr *e, int depth) {
    if (!e) return NULL;
    if (e->kind != FX_REDUCE) {
        bool any = false;
        for (int i = 0; i < e->n_args; i++) any = any || fx_size(e->args[i]) > 1;
        if (!any) return (fexpr *)e;
        fexpr *copy = arena_alloc(C->a, sizeof *copy);
        *copy = *e;
        copy->args = arena_alloc(C->a, (size_t)e->n_args * sizeof *copy->args);
        for (int i = 0; i < e->n_args; i++) copy->args[i] = fx_rebind(C, e->args[i], depth);
        return copy;
    }
    if (depth >= SYNTH_MAX_SCOPE) return (fexpr *)e;
    const char *name = C->binder_names[depth];
    fexpr *body = strcmp(e->var, name) == 0 ? e->args[2] : substitute(C, e->args[2], e->var, name);
    return fx_reduce(C, e->name, name, fx_rebind(C, e->args[0], depth), fx_rebind(C, e->args[1], depth),
                     fx_rebind(C, body, depth + 1));
}
