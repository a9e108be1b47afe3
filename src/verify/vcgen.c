/* vcgen: verification-condition generation for one kernel launch. The kernel's syntax tree is
 * walked once for a symbolic program (program ids are variables pid0..pid2 ranging over the
 * grid) with symbolic sizes and block sizes; values are blocks over lane variables
 * (vc_block.c). Memory accesses are recorded with their quantified variables and activity
 * condition (path condition and mask); postcond.c turns them into post-condition, coverage and
 * bounds VCs.
 *
 * Control flow: constexpr branches are decided; branches on symbolic scalars split the path
 * and merge the variables with if-then-else; `return` under a condition leaves the rest of the
 * function under its negation. Loops with a constant trip count are unrolled; loops with a
 * symbolic trip count are walked once for a symbolic iteration `it` with placeholder values
 * for the loop-carried variables, and the pattern library (patterns.c) proposes closed forms
 * whose init and preservation are emitted as VCs; after the loop the variables hold the closed
 * form at the trip count (exit holds by construction: the loop runs exactly that many times). */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 32
#define MAX_UNROLL 8

typedef enum flow { FLOW_NEXT, FLOW_RETURN, FLOW_BREAK, FLOW_CONTINUE, FLOW_FAIL } flow;

static sv *eval(wframe *f, const ast_expr *e);
static flow exec_body(wframe *f, ast_stmt **body, int n);

static vctx *FX(wframe *f) { return f->W->X; }

static sv *fail_at(wframe *f, int line, const char *fmt, const char *arg) {
    vx_unsupported(FX(f), FX(f)->cur_file, line, fmt, arg);
    return NULL;
}

/* ---- variables ---- */

static sv *frame_get(wframe *f, const char *name) {
    for (int i = f->n_vars - 1; i >= 0; i--)
        if (strcmp(f->vars[i].name, name) == 0) return f->vars[i].value;
    return NULL;
}

static void frame_set(wframe *f, const char *name, sv *v) {
    for (int i = 0; i < f->n_vars; i++)
        if (strcmp(f->vars[i].name, name) == 0) { f->vars[i].value = v; return; }
    if (f->n_vars == f->cap_vars) {
        int cap = f->cap_vars ? f->cap_vars * 2 : 16;
        f->vars = arena_realloc(FX(f)->a, f->vars, (size_t)f->cap_vars * sizeof *f->vars, (size_t)cap * sizeof *f->vars);
        f->cap_vars = cap;
    }
    f->vars[f->n_vars++] = (wbinding){name, v};
}

typedef struct env_copy { wbinding *vars; int n; } env_copy;

static env_copy env_save(wframe *f) {
    env_copy c;
    c.n = f->n_vars;
    c.vars = arena_alloc(FX(f)->a, (size_t)(c.n + 1) * sizeof *c.vars);
    memcpy(c.vars, f->vars, (size_t)c.n * sizeof *c.vars);
    return c;
}

static void env_restore(wframe *f, env_copy c) {
    f->n_vars = 0;
    for (int i = 0; i < c.n; i++) frame_set(f, c.vars[i].name, c.vars[i].value);
}

static sv *env_lookup(env_copy c, const char *name) {
    for (int i = c.n - 1; i >= 0; i--)
        if (strcmp(c.vars[i].name, name) == 0) return c.vars[i].value;
    return NULL;
}

/* ---- merging values of two paths ---- */

static sv *merge(wframe *f, int line, vt_id c, sv *a, sv *b) {
    vctx *X = FX(f);
    if (a == b) return a;
    if (!a || !b) return a ? a : b;
    if (a->kind == SV_BLOCK && b->kind == SV_BLOCK) {
        sv *cond = sv_scalar(X, VC_BOOL, DT_BOOL, false, c);
        sv *r = op_where_sv(X, line, cond, a, b);
        if (r && a->u.b->py && b->u.b->py) r->u.b->py = true;
        return r;
    }
    if (a->kind == SV_TUPLE && b->kind == SV_TUPLE && a->u.t.n == b->u.t.n) {
        sv **items = arena_alloc(X->a, (size_t)(a->u.t.n + 1) * sizeof *items);
        for (int i = 0; i < a->u.t.n; i++)
            if (!(items[i] = merge(f, line, c, a->u.t.items[i], b->u.t.items[i]))) return NULL;
        sv *t = arena_alloc(X->a, sizeof *t);
        t->kind = SV_TUPLE;
        t->u.t.items = items;
        t->u.t.n = a->u.t.n;
        return t;
    }
    if (a->kind == b->kind) {
        switch (a->kind) {
        case SV_NONE: return a;
        case SV_DTYPE: if (a->u.dt.cls == b->u.dt.cls && a->u.dt.dtype == b->u.dt.dtype) return a; break;
        case SV_STR: if (strcmp(a->u.str, b->u.str) == 0) return a; break;
        case SV_FUNC: if (a->u.f.fn == b->u.f.fn) return a; break;
        case SV_MODULE: if (strcmp(a->u.module, b->u.module) == 0) return a; break;
        case SV_BPTR: {
            sbptr *p = a->u.bp, *q = b->u.bp;
            if (p->buf != q->buf || p->rank != q->rank) break;
            sbptr *m = arena_alloc(X->a, sizeof *m);
            *m = *p;
            m->base = vt_ite(X->s, c, p->base, q->base);
            for (int d = 0; d < p->rank; d++) {
                m->shape[d] = vt_ite(X->s, c, p->shape[d], q->shape[d]);
                m->strides[d] = vt_ite(X->s, c, p->strides[d], q->strides[d]);
                m->offsets[d] = vt_ite(X->s, c, p->offsets[d], q->offsets[d]);
                if (!shape_dim_equal(X, p->bshape[d], q->bshape[d])) return fail_at(f, line, "%s", "block pointers of different block shapes on two paths");
            }
            sv *r = arena_alloc(X->a, sizeof *r);
            r->kind = SV_BPTR;
            r->u.bp = m;
            return r;
        }
        default: break;
        }
    }
    return fail_at(f, line, "%s", "a variable holding values of different kinds on two paths");
}

/* ---- names ---- */

static sv *jit_function(wframe *f, const char *name) {
    vctx *X = FX(f);
    const ast_func *fn = ast_find_func(f->mod, name);
    const ast_module *mod = f->mod;
    for (int i = 0; !fn && i < X->src->n; i++) {
        fn = ast_find_func(X->src->modules[i], name);
        mod = X->src->modules[i];
    }
    if (!fn) return NULL;
    sv *v = arena_alloc(X->a, sizeof *v);
    v->kind = SV_FUNC;
    v->u.f.fn = fn;
    v->u.f.mod = mod;
    return v;
}

static sv *module_value(vctx *X, const char *path) {
    sv *v = arena_alloc(X->a, sizeof *v);
    v->kind = SV_MODULE;
    v->u.module = path;
    return v;
}

static sv *builtin_value(vctx *X, const builtin_def *def, sv *self) {
    sv *v = arena_alloc(X->a, sizeof *v);
    v->kind = SV_BUILTIN;
    v->u.bi.def = def;
    v->u.bi.self = self;
    return v;
}

static sv *eval_module_const(wframe *f, const ast_const *c) {
    wctx *W = f->W;
    if (W->depth >= MAX_DEPTH) return fail_at(f, c->line, "module constant '%s' refers to itself", c->name);
    wframe g = {W, f->mod, NULL, 0, 0, NULL, VT_NONE};
    W->depth++;
    sv *v = eval(&g, c->value);
    W->depth--;
    return v;
}

static sv *lookup_name(wframe *f, const ast_expr *e) {
    vctx *X = FX(f);
    sv *v = frame_get(f, e->name);
    if (v) return v;
    const ast_const *c = ast_find_const(f->mod, e->name);
    if (c) return eval_module_const(f, c);
    const char *target = ast_alias_target(f->mod, e->name);
    if (target) {
        if (builtin_namespace_of(target)) return module_value(X, target);
        const char *last = strrchr(target, '.');
        sv *fn = jit_function(f, last ? last + 1 : target);
        return fn ? fn : module_value(X, target);
    }
    v = jit_function(f, e->name);
    if (v) return v;
    const builtin_def *def = builtin_lookup(NS_PY, e->name);
    if (def) return builtin_value(X, def, NULL);
    return fail_at(f, e->line, "name '%s' is not defined", e->name);
}

/* ---- attributes and subscripts ---- */

static const struct { const char *name; vclass cls; elem_dtype dtype; } dtype_attrs[] = {
    {"float32", VC_FLOAT, DT_FLOAT32}, {"float16", VC_FLOAT, DT_FLOAT16}, {"bfloat16", VC_FLOAT, DT_BFLOAT16},
    {"float64", VC_FLOAT, DT_FLOAT64}, {"int1", VC_BOOL, DT_BOOL}, {"int8", VC_INT, DT_INT8},
    {"int16", VC_INT, DT_INT16}, {"int32", VC_INT, DT_INT32}, {"int64", VC_INT, DT_INT64},
    {"uint8", VC_INT, DT_INT8}, {"uint16", VC_INT, DT_INT16}, {"uint32", VC_INT, DT_INT32}, {"uint64", VC_INT, DT_INT64},
};

static sv *dtype_value(vctx *X, vclass cls, elem_dtype dt) {
    sv *v = arena_alloc(X->a, sizeof *v);
    v->kind = SV_DTYPE;
    v->u.dt.cls = cls;
    v->u.dt.dtype = dt;
    return v;
}

static sv *eval_attr(wframe *f, const ast_expr *e) {
    vctx *X = FX(f);
    sv *obj = eval(f, e->lhs);
    if (!obj) return NULL;
    const char *name = e->name;
    if (obj->kind == SV_MODULE) {
        unsigned ns = builtin_namespace_of(obj->u.module);
        if (ns & NS_TL)
            for (size_t i = 0; i < sizeof dtype_attrs / sizeof dtype_attrs[0]; i++)
                if (strcmp(dtype_attrs[i].name, name) == 0) return dtype_value(X, dtype_attrs[i].cls, dtype_attrs[i].dtype);
        const builtin_def *def = ns ? builtin_lookup(ns, name) : NULL;
        if (def) return builtin_value(X, def, NULL);
        const char *path = arena_printf(X->a, "%s.%s", obj->u.module, name);
        if (builtin_namespace_of(path)) return module_value(X, path);
        return fail_at(f, e->line, "%s", path);
    }
    if (obj->kind == SV_BLOCK) {
        sblock *b = obj->u.b;
        if (strcmp(name, "dtype") == 0 || strcmp(name, "type") == 0) return dtype_value(X, b->cls, b->dtype);
        if (strcmp(name, "shape") == 0) {
            sv **dims = arena_alloc(X->a, (size_t)(b->rank + 1) * sizeof *dims);
            for (int i = 0; i < b->rank; i++) dims[i] = sv_scalar(X, VC_INT, DT_INT32, true, b->shape[i]);
            sv *t = arena_alloc(X->a, sizeof *t);
            t->kind = SV_TUPLE;
            t->u.t.items = dims;
            t->u.t.n = b->rank;
            return t;
        }
        if (strcmp(name, "T") == 0) {
            const builtin_def *def = builtin_lookup(NS_TL, "trans");
            return builtin_call_sym(f, def, NULL, 1, &obj, 0, NULL, NULL, e->line);
        }
        const builtin_def *def = builtin_lookup(NS_METHOD, name);
        if (def) return builtin_value(X, def, obj);
        return fail_at(f, e->line, "tensor attribute '%s'", name);
    }
    if (obj->kind == SV_DTYPE) {
        if (strcmp(name, "element_ty") == 0) {
            if (obj->u.dt.cls != VC_PTR) return fail_at(f, e->line, "%s", "element_ty of a non-pointer type");
            vtype t = vtype_of_dtype(obj->u.dt.dtype);
            return dtype_value(X, t.cls, t.dtype);
        }
        if (strncmp(name, "is_", 3) == 0) {
            const builtin_def *def = builtin_lookup(NS_METHOD, "__dtype_predicate");
            sv *pair = arena_alloc(X->a, sizeof *pair);
            sv **items = arena_alloc(X->a, 2 * sizeof *items);
            items[0] = obj;
            items[1] = arena_alloc(X->a, sizeof(sv));
            items[1]->kind = SV_STR;
            items[1]->u.str = name;
            pair->kind = SV_TUPLE;
            pair->u.t.items = items;
            pair->u.t.n = 2;
            return builtin_value(X, def, pair);
        }
        return fail_at(f, e->line, "dtype attribute '%s'", name);
    }
    if (obj->kind == SV_BPTR && (strcmp(name, "type") == 0 || strcmp(name, "dtype") == 0))
        return dtype_value(X, VC_PTR, obj->u.bp->dtype);
    return fail_at(f, e->line, "attribute '%s'", name);
}

static sv *eval_subscript(wframe *f, const ast_expr *e) {
    vctx *X = FX(f);
    sv *obj = eval(f, e->lhs);
    if (!obj) return NULL;
    if (obj->kind == SV_TUPLE) {
        if (e->n_items != 1 || e->items[0]->kind == EX_SLICE || e->items[0]->kind == EX_NONE)
            return fail_at(f, e->line, "%s", "tuple subscript other than an integer index");
        sv *iv = eval(f, e->items[0]);
        int64_t k;
        if (!iv || iv->kind != SV_BLOCK || !vt_is_const(X->s, iv->u.b->body, &k)) return fail_at(f, e->line, "%s", "tuple index that is not a constant");
        if (k < 0) k += obj->u.t.n;
        if (k < 0 || k >= obj->u.t.n) return fail_at(f, e->line, "%s", "tuple index out of range");
        return obj->u.t.items[k];
    }
    sblock *b = sv_as_block(X, obj, e->line, "subscripted value");
    if (!b) return NULL;
    int n_slices = 0;
    bool ellipsis = false;
    for (int i = 0; i < e->n_items; i++) {
        const ast_expr *it = e->items[i];
        if (it->kind == EX_SLICE) {
            if (it->slice[0] || it->slice[1] || it->slice[2]) return fail_at(f, it->line, "%s", "tensor slicing with bounds");
            n_slices++;
        } else if (it->kind == EX_ELLIPSIS) ellipsis = true;
        else if (it->kind != EX_NONE) return fail_at(f, it->line, "%s", "tensor indexing other than ':' and None");
    }
    if (n_slices > b->rank || (!ellipsis && n_slices != b->rank))
        return fail_at(f, e->line, "%s", "subscript does not match the block's rank");
    /* new axes shift the lanes of the dimensions after them */
    sblock *o = arena_alloc(X->a, sizeof *o);
    *o = *b;
    int rank = 0, src = 0;
    vt_id body = b->body;
    for (int i = 0; i < e->n_items; i++) {
        const ast_expr *it = e->items[i];
        if (rank >= VMAX_RANK) return fail_at(f, e->line, "%s", "blocks of rank above 4");
        if (it->kind == EX_SLICE) { o->shape[rank++] = b->shape[src++]; continue; }
        if (it->kind == EX_NONE) {
            body = blk_shift_lanes(X, body, rank, 1);
            o->shape[rank++] = vt_int(X->s, 1);
            continue;
        }
        for (int k = 0; k < b->rank - n_slices; k++) {
            if (rank >= VMAX_RANK) return fail_at(f, e->line, "%s", "blocks of rank above 4");
            o->shape[rank++] = b->shape[src++];
        }
    }
    o->rank = rank;
    o->body = body;
    return sv_block(X, o);
}

/* ---- calls ---- */

static sv *eval_call(wframe *f, const ast_expr *e) {
    vctx *X = FX(f);
    sv *callee = eval(f, e->lhs);
    if (!callee) return NULL;
    int cap = e->n_items + 8, n_pos = 0;
    sv **pos = arena_alloc(X->a, (size_t)cap * sizeof *pos);
    for (int i = 0; i < e->n_items; i++) {
        const ast_expr *a = e->items[i];
        if (a->kind == EX_STARRED) {
            sv *t = eval(f, a->lhs);
            if (!t) return NULL;
            if (t->kind != SV_TUPLE) return fail_at(f, a->line, "%s", "*argument that is not a tuple");
            if (n_pos + t->u.t.n >= cap) {
                int nc = n_pos + t->u.t.n + 8;
                pos = arena_realloc(X->a, pos, (size_t)cap * sizeof *pos, (size_t)nc * sizeof *pos);
                cap = nc;
            }
            for (int k = 0; k < t->u.t.n; k++) pos[n_pos++] = t->u.t.items[k];
            continue;
        }
        if (n_pos >= cap) {
            pos = arena_realloc(X->a, pos, (size_t)cap * sizeof *pos, (size_t)(cap * 2) * sizeof *pos);
            cap *= 2;
        }
        if (!(pos[n_pos++] = eval(f, a))) return NULL;
    }
    const char **kw_names = arena_alloc(X->a, (size_t)(e->n_kwargs + 1) * sizeof *kw_names);
    sv **kw_values = arena_alloc(X->a, (size_t)(e->n_kwargs + 1) * sizeof *kw_values);
    for (int i = 0; i < e->n_kwargs; i++) {
        if (!e->kwargs[i].name) return fail_at(f, e->line, "%s", "**kwargs in a call");
        kw_names[i] = e->kwargs[i].name;
        if (!(kw_values[i] = eval(f, e->kwargs[i].value))) return NULL;
    }
    if (callee->kind == SV_BUILTIN)
        return builtin_call_sym(f, callee->u.bi.def, callee->u.bi.self, n_pos, pos, e->n_kwargs, kw_names, kw_values, e->line);
    if (callee->kind == SV_FUNC) {
        const char *file = X->cur_file;
        sv *r = walk_call_function(f, callee->u.f.mod, callee->u.f.fn, n_pos, pos, e->n_kwargs, kw_names, kw_values, e->line);
        X->cur_file = file;
        return r;
    }
    if (callee->kind == SV_MODULE) return fail_at(f, e->line, "call of '%s'", callee->u.module);
    return fail_at(f, e->line, "%s", "calling a value that is not a function");
}

/* ---- expressions ---- */

static bool is_python_scalar(const sv *v) {
    return v->kind != SV_BLOCK || (v->u.b->py && v->u.b->rank == 0);
}

/* The truth of a value as a Bool term (constant for Python values). */
static bool truth(wframe *f, int line, sv *v, vt_id *out) {
    vctx *X = FX(f);
    switch (v->kind) {
    case SV_NONE: *out = vt_bool(X->s, false); return true;
    case SV_TUPLE: *out = vt_bool(X->s, v->u.t.n > 0); return true;
    case SV_BLOCK: {
        sblock *b = v->u.b;
        if (b->rank != 0) {
            bool all_one = true;
            for (int i = 0; i < b->rank; i++) {
                int64_t d;
                all_one = all_one && vt_is_const(X->s, b->shape[i], &d) && d == 1;
            }
            if (!all_one) { fail_at(f, line, "%s", "truth value of a block"); return false; }
        }
        if (b->cls == VC_PTR) { *out = vt_bool(X->s, true); return true; }
        *out = vt_convert(X->s, b->body, VS_BOOL);
        return true;
    }
    default: *out = vt_bool(X->s, true); return true;
    }
}

static sv *eval_compare(wframe *f, const ast_expr *e) {
    vctx *X = FX(f);
    sv *left = eval(f, e->items[0]);
    if (!left) return NULL;
    sv *result = NULL;
    for (int i = 1; i < e->n_items; i++) {
        sv *right = eval(f, e->items[i]);
        if (!right) return NULL;
        sv *r = op_compare_sv(X, e->line, e->cmp_ops[i - 1], left, right);
        if (!r) return NULL;
        result = result ? op_logical_sv(X, e->line, false, result, r) : r;
        if (!result) return NULL;
        left = right;
    }
    return result;
}

static sv *eval_boolop(wframe *f, const ast_expr *e) {
    vctx *X = FX(f);
    bool is_or = e->op == 1;
    sv *acc = eval(f, e->items[0]);
    for (int i = 1; acc && i < e->n_items; i++) {
        if (is_python_scalar(acc)) {
            vt_id t;
            int64_t v;
            if (!truth(f, e->line, acc, &t)) return NULL;
            if (vt_is_const(X->s, t, &v)) {
                if ((v != 0) == is_or) return acc;
                acc = eval(f, e->items[i]);
                continue;
            }
        }
        sv *next = eval(f, e->items[i]);
        if (!next) return NULL;
        acc = op_logical_sv(X, e->line, is_or, acc, next);
    }
    return acc;
}

static sv *eval_sequence(wframe *f, const ast_expr *e) {
    vctx *X = FX(f);
    sv **items = arena_alloc(X->a, (size_t)(e->n_items + 1) * sizeof *items);
    for (int i = 0; i < e->n_items; i++)
        if (!(items[i] = eval(f, e->items[i]))) return NULL;
    sv *t = arena_alloc(X->a, sizeof *t);
    t->kind = SV_TUPLE;
    t->u.t.items = items;
    t->u.t.n = e->n_items;
    return t;
}

static sv *literal_float(wframe *f, const ast_expr *e) {
    vt_rat q;
    if (!vt_rat_from_double(e->fval, &q)) {
        if (e->fval == e->fval && (e->fval > 1e308 || e->fval < -1e308))
            return sv_scalar(FX(f), VC_FLOAT, DT_FLOAT32, true, vt_inf(FX(f)->s, e->fval > 0 ? 1 : -1));
        return fail_at(f, e->line, "float literal %s", e->str ? e->str : "");
    }
    vt_id known = axioms_constant(FX(f), q);   /* a truncated 1/sqrt(2), log2(e), ... */
    return sv_scalar(FX(f), VC_FLOAT, DT_FLOAT32, true, known ? known : vt_real(FX(f)->s, q));
}

static sv *eval(wframe *f, const ast_expr *e) {
    vctx *X = FX(f);
    if (vx_failed(X)) return NULL;
    switch (e->kind) {
    case EX_NAME: return lookup_name(f, e);
    case EX_INT: return sv_scalar(X, VC_INT, DT_INT32, true, vt_int(X->s, e->ival));
    case EX_FLOAT: return literal_float(f, e);
    case EX_BOOL: return sv_scalar(X, VC_BOOL, DT_BOOL, true, vt_bool(X->s, e->ival != 0));
    case EX_STR: {
        sv *v = arena_alloc(X->a, sizeof *v);
        v->kind = SV_STR;
        v->u.str = e->str;
        return v;
    }
    case EX_NONE: return sv_none(X);
    case EX_ATTR: return eval_attr(f, e);
    case EX_CALL: return eval_call(f, e);
    case EX_SUBSCRIPT: return eval_subscript(f, e);
    case EX_BINOP: {
        sv *a = eval(f, e->lhs), *b = a ? eval(f, e->rhs) : NULL;
        return b ? op_binary_sv(X, e->line, e->op, a, b) : NULL;
    }
    case EX_UNARY: {
        sv *x = eval(f, e->lhs);
        if (!x) return NULL;
        switch ((unary_kind)e->op) {
        case UN_POS: return x;
        case UN_NEG: return op_math_sv(X, e->line, MF_NEG, x);
        case UN_INVERT: return op_math_sv(X, e->line, MF_INVERT, x);
        case UN_NOT:
            if (is_python_scalar(x)) {
                vt_id t;
                if (!truth(f, e->line, x, &t)) return NULL;
                return sv_scalar(X, VC_BOOL, DT_BOOL, true, vt_not(X->s, t));
            }
            return op_math_sv(X, e->line, MF_NOT, x);
        }
        return NULL;
    }
    case EX_COMPARE: return eval_compare(f, e);
    case EX_BOOLOP: return eval_boolop(f, e);
    case EX_IFEXP: {
        sv *c = eval(f, e->cond);
        vt_id t;
        int64_t v;
        if (!c || !truth(f, e->line, c, &t)) return NULL;
        if (vt_is_const(X->s, t, &v)) return eval(f, v ? e->lhs : e->rhs);
        sv *a = eval(f, e->lhs), *b = a ? eval(f, e->rhs) : NULL;
        return b ? merge(f, e->line, t, a, b) : NULL;
    }
    case EX_TUPLE: case EX_LIST: return eval_sequence(f, e);
    default: return fail_at(f, e->line, "%s", "this kind of expression");
    }
}

/* ---- statements ---- */

static bool assign(wframe *f, const ast_expr *target, sv *v) {
    if (target->kind == EX_NAME) { frame_set(f, target->name, v); return true; }
    if (target->kind == EX_TUPLE || target->kind == EX_LIST) {
        if (v->kind != SV_TUPLE || v->u.t.n != target->n_items) { fail_at(f, target->line, "%s", "tuple unpacking mismatch"); return false; }
        for (int i = 0; i < target->n_items; i++)
            if (!assign(f, target->items[i], v->u.t.items[i])) return false;
        return true;
    }
    fail_at(f, target->line, "%s", "assignment to a subscript or attribute");
    return false;
}

/* Names assigned anywhere in a statement list (targets, augmented targets, loop targets). */
static void collect_assigned(ast_stmt **body, int n, const char **out, int *count, int max) {
    for (int i = 0; i < n; i++) {
        const ast_stmt *s = body[i];
        const ast_expr *targets[16];
        int nt = 0;
        if (s->kind == ST_ASSIGN || s->kind == ST_AUGASSIGN || s->kind == ST_ANNASSIGN || s->kind == ST_FOR)
            for (int k = 0; k < s->n_targets && nt < 16; k++) targets[nt++] = s->targets[k];
        for (int k = 0; k < nt; k++) {
            const ast_expr *t = targets[k];
            const ast_expr *stack[32];
            int sp = 0;
            stack[sp++] = t;
            while (sp) {
                const ast_expr *x = stack[--sp];
                if (x->kind == EX_NAME) {
                    bool dup = false;
                    for (int j = 0; j < *count && j < max; j++) dup = dup || strcmp(out[j], x->name) == 0;
                    if (!dup && *count < max) out[(*count)++] = x->name;
                } else if ((x->kind == EX_TUPLE || x->kind == EX_LIST)) {
                    for (int j = 0; j < x->n_items && sp < 32; j++) stack[sp++] = x->items[j];
                }
            }
        }
        if (s->kind == ST_IF || s->kind == ST_FOR || s->kind == ST_WHILE) {
            collect_assigned(s->body, s->n_body, out, count, max);
            collect_assigned(s->orelse, s->n_orelse, out, count, max);
        }
    }
}

static flow exec_if(wframe *f, const ast_stmt *s) {
    vctx *X = FX(f);
    wctx *W = f->W;
    sv *c = eval(f, s->cond);
    vt_id t;
    int64_t v;
    if (!c || !truth(f, s->line, c, &t)) return FLOW_FAIL;
    if (vt_is_const(X->s, t, &v)) return v ? exec_body(f, s->body, s->n_body) : exec_body(f, s->orelse, s->n_orelse);
    /* a symbolic condition: both paths, then merge */
    vt_id path0 = W->path;
    env_copy before = env_save(f);
    W->path = vt_and(X->s, path0, t);
    flow ft = exec_body(f, s->body, s->n_body);
    if (ft == FLOW_FAIL) return ft;
    env_copy after_then = env_save(f);
    vt_id path_then = W->path;
    env_restore(f, before);
    W->path = vt_and(X->s, path0, vt_not(X->s, t));
    flow fe = exec_body(f, s->orelse, s->n_orelse);
    if (fe == FLOW_FAIL) return fe;
    vt_id path_else = W->path;
    if (ft == FLOW_BREAK || ft == FLOW_CONTINUE || fe == FLOW_BREAK || fe == FLOW_CONTINUE) {
        fail_at(f, s->line, "%s", "break/continue under a symbolic condition");
        return FLOW_FAIL;
    }
    if (ft == FLOW_RETURN && fe == FLOW_RETURN) return FLOW_RETURN;
    if (ft == FLOW_RETURN) { W->path = path_else; return FLOW_NEXT; }
    if (fe == FLOW_RETURN) { env_restore(f, after_then); W->path = path_then; return FLOW_NEXT; }
    env_copy after_else = env_save(f);
    f->n_vars = 0;
    for (int i = 0; i < after_then.n; i++) {
        sv *a = after_then.vars[i].value, *b = env_lookup(after_else, after_then.vars[i].name);
        sv *m = b ? merge(f, s->line, t, a, b) : a;
        if (!m) return FLOW_FAIL;
        frame_set(f, after_then.vars[i].name, m);
    }
    for (int i = 0; i < after_else.n; i++)
        if (!frame_get(f, after_else.vars[i].name)) frame_set(f, after_else.vars[i].name, after_else.vars[i].value);
    W->path = vt_or(X->s, path_then, path_else);
    return FLOW_NEXT;
}

/* ---- loops ---- */

static bool range_of(wframe *f, const ast_stmt *s, sv *it, vt_id *lo, vt_id *hi, vt_id *step) {
    vctx *X = FX(f);
    if (it->kind != SV_RANGE) { fail_at(f, s->line, "%s", "for loop over something else than range / tl.range / tl.static_range"); return false; }
    *lo = it->u.r.lo;
    *hi = it->u.r.hi;
    *step = it->u.r.step;
    (void)X;
    return true;
}

static nf_ctx *launch_nf(wframe *f) {
    vctx *X = FX(f);
    nf_ctx *c = arena_alloc(X->a, sizeof *c);
    nf_init(c, X->s);
    for (size_t i = 0; i < X->global_ranges.len; i++)
        nf_add_range(c, X->global_ranges.items[i].var, X->global_ranges.items[i].lo, X->global_ranges.items[i].hi);
    for (size_t i = 0; i < f->W->q.len; i++) nf_add_range(c, f->W->q.items[i].var, f->W->q.items[i].lo, f->W->q.items[i].hi);
    return c;
}

static sv *loop_value(wframe *f, vt_id v) { return sv_scalar(FX(f), VC_INT, DT_INT32, true, v); }

static flow exec_for_unrolled(wframe *f, const ast_stmt *s, vt_id lo, vt_id step, int64_t trips) {
    vctx *X = FX(f);
    for (int64_t i = 0; i < trips; i++) {
        vt_id v = vt_add(X->s, lo, vt_mul(X->s, vt_int(X->s, i), step));
        if (!assign(f, s->targets[0], loop_value(f, v))) return FLOW_FAIL;
        flow fl = exec_body(f, s->body, s->n_body);
        if (fl == FLOW_BREAK) break;
        if (fl == FLOW_RETURN || fl == FLOW_FAIL) return fl;
    }
    return FLOW_NEXT;
}

/* A placeholder standing for a loop-carried value during the symbolic iteration. */
static sv *make_placeholder(wframe *f, int line, sv *init, const char **fn_out) {
    vctx *X = FX(f);
    if (init->kind != SV_BLOCK) return NULL;
    sblock *b = init->u.b;
    const char *fn = vx_fresh(X, "ph:");
    vt_id args[VMAX_RANK];
    int n = 0;
    for (int d = 0; d < b->rank; d++) {
        int64_t one;
        if (vt_is_const(X->s, b->shape[d], &one) && one == 1) continue;   /* size-1 dims have no lane */
        args[n++] = vx_lane(X, d);
    }
    (void)line;
    vt_sort sort = b->cls == VC_PTR ? VS_INT : vx_sort_of_class(b->cls);
    sblock *p = arena_alloc(X->a, sizeof *p);
    *p = *b;
    p->body = vt_app(X->s, fn, sort, n, args);
    *fn_out = fn;
    return sv_block(X, p);
}

/* The invariant VCs state that a carried value IS its closed form: identity of values, under
 * which NaN is NaN (IEEE == would make every possibly-NaN invariant unprovable). */
static vt_id same_value(vt_store *s, vt_id a, vt_id b) {
    if (a == b) return vt_bool(s, true);
    if (vt_sort_of(s, a) != VS_REAL || (!vt_get(s, a)->maybe_inf && !vt_get(s, b)->maybe_inf)) return vt_eq(s, a, b);
    return vt_or(s, vt_eq(s, a, b), vt_and(s, vt_ne(s, a, a), vt_ne(s, b, b)));
}

static flow exec_for_symbolic(wframe *f, const ast_stmt *s, vt_id lo, vt_id trips, vt_id step) {
    vctx *X = FX(f);
    wctx *W = f->W;
    vt_store *st = X->s;
    if (s->targets[0]->kind != EX_NAME) { fail_at(f, s->line, "%s", "loop target that is not a name"); return FLOW_FAIL; }
    const char *assigned[64];
    int n_assigned = 0;
    collect_assigned(s->body, s->n_body, assigned, &n_assigned, 64);
    loop_shape L = {0};
    L.line = s->line;
    L.it = vt_var(st, vx_fresh(X, "it"), VS_INT);
    L.count = vt_var(st, vx_fresh(X, "n"), VS_INT);
    L.trips = trips;
    L.lo = lo;
    L.step = step;
    L.vars = arena_alloc(X->a, (size_t)(n_assigned + 1) * sizeof *L.vars);
    L.path = W->path;
    L.n_q = (int)W->q.len;
    L.q = arena_alloc(X->a, (size_t)(L.n_q + 1) * sizeof *L.q);
    memcpy(L.q, W->q.items, (size_t)L.n_q * sizeof *L.q);
    env_copy before = env_save(f);
    for (int i = 0; i < n_assigned; i++) {
        if (strcmp(assigned[i], s->targets[0]->name) == 0) continue;
        sv *init = frame_get(f, assigned[i]);
        if (!init) continue;   /* a local of the body */
        loop_var *lv = &L.vars[L.n_vars];
        memset(lv, 0, sizeof *lv);
        lv->name = assigned[i];
        lv->init = init;
        if (init->kind == SV_BLOCK) {
            lv->ph = make_placeholder(f, s->line, init, &lv->ph_fn);
        } else {
            lv->ph = init;    /* non-block values must not change in the loop (checked below) */
        }
        frame_set(f, lv->name, lv->ph);
        L.n_vars++;
    }
    size_t acc_start = X->accesses.len, vc_start = X->vcs.len;
    vc_range r = {L.it, vt_int(st, 0), trips};
    vec_push(&W->q, r);
    W->loop_depth++;
    if (!assign(f, s->targets[0], loop_value(f, vt_add(st, lo, vt_mul(st, L.it, step))))) return FLOW_FAIL;
    flow fl = exec_body(f, s->body, s->n_body);
    W->loop_depth--;
    W->q.len--;
    if (fl == FLOW_FAIL) return fl;
    if (fl != FLOW_NEXT) { fail_at(f, s->line, "%s", "break, continue or return inside a loop with a symbolic trip count"); return FLOW_FAIL; }
    for (int i = 0; i < L.n_vars; i++) {
        loop_var *lv = &L.vars[i];
        lv->update = frame_get(f, lv->name);
        if (lv->init->kind != SV_BLOCK && lv->update != lv->init) {
            fail_at(f, s->line, "loop-carried variable '%s' that is not a tensor", lv->name);
            return FLOW_FAIL;
        }
    }
    env_restore(f, before);
    char why[300];
    if (!patterns_propose(X, &L, why, sizeof why)) {
        fail_at(f, s->line, "%s", why);
        return FLOW_FAIL;
    }
    /* the accesses and VCs recorded inside the body: placeholders -> closed forms at `it` */
    for (size_t i = acc_start; i < X->accesses.len; i++) {
        vaccess *a = &X->accesses.items[i];
        a->offset = loop_instantiate(X, &L, a->offset, L.it);
        if (a->value) a->value = loop_instantiate(X, &L, a->value, L.it);
        a->active = loop_instantiate(X, &L, a->active, L.it);
    }
    for (size_t i = vc_start; i < X->vcs.len; i++) {
        vcond *v = &X->vcs.items[i];
        v->goal = loop_instantiate(X, &L, v->goal, L.it);
        for (int k = 0; k < v->n_hyps; k++) v->hyps[k] = loop_instantiate(X, &L, v->hyps[k], L.it);
        for (int k = 0; k < v->n_ranges; k++) {
            v->ranges[k].lo = loop_instantiate(X, &L, v->ranges[k].lo, L.it);
            v->ranges[k].hi = loop_instantiate(X, &L, v->ranges[k].hi, L.it);
        }
    }
    /* init and preservation of every closed form (exit: the closed form at the trip count) */
    for (int i = 0; i < L.n_vars; i++) {
        loop_var *lv = &L.vars[i];
        if (lv->init->kind != SV_BLOCK) continue;
        sblock *cb = lv->closed->u.b, *ib = lv->init->u.b, *ub = lv->update->u.b;
        vt_id c0 = vt_subst(st, cb->body, L.count, vt_int(st, 0));
        vcond *v = vx_add_vc(X, "init", s->line, "loop invariant of '%s' (%s) holds before the loop", lv->name, lv->pattern);
        for (int k = 0; k < L.n_q; k++) vc_add_range(X, v, L.q[k].var, L.q[k].lo, L.q[k].hi);
        for (int d = 0; d < cb->rank; d++) vc_add_range(X, v, vx_lane(X, d), vt_int(st, 0), cb->shape[d]);
        vc_add_hyp(X, v, L.path);
        sblock *ib2 = blk_broadcast(X, ib, cb->rank, cb->shape, s->line);
        if (!ib2) return FLOW_FAIL;
        v->goal = same_value(st, c0, ib2->body);
        vcond *p = vx_add_vc(X, "preserve", s->line, "loop invariant of '%s' (%s) is preserved by an iteration", lv->name, lv->pattern);
        for (int k = 0; k < L.n_q; k++) vc_add_range(X, p, L.q[k].var, L.q[k].lo, L.q[k].hi);
        vc_add_range(X, p, L.it, vt_int(st, 0), trips);
        for (int d = 0; d < cb->rank; d++) vc_add_range(X, p, vx_lane(X, d), vt_int(st, 0), cb->shape[d]);
        vc_add_hyp(X, p, L.path);
        sblock *ub2 = blk_broadcast(X, ub, cb->rank, cb->shape, s->line);
        if (!ub2) return FLOW_FAIL;
        vt_id next = vt_subst(st, cb->body, L.count, vt_add(st, L.it, vt_int(st, 1)));
        p->goal = same_value(st, next, loop_instantiate(X, &L, ub2->body, L.it));
        /* after the loop */
        sblock *out = arena_alloc(X->a, sizeof *out);
        *out = *cb;
        out->body = vt_subst(st, cb->body, L.count, trips);
        frame_set(f, lv->name, sv_block(X, out));
    }
    return FLOW_NEXT;
}

/* A symbolic step (a block size such as next_pow2(N)) that interval reasoning cannot settle:
 * proved positive by z3 under the global facts (sizes >= 1, np2's axioms, preconditions), the
 * ranges of the quantified variables in scope and the path condition (the loop only runs there). */
static bool step_positive(wframe *f, vt_id step) {
    vctx *X = FX(f);
    wctx *W = f->W;
    nf_ctx nf;
    vprover p;
    int n_hyps = W->path ? 1 : 0;
    vprover_init(&p, X, &nf, W->q.items, (int)W->q.len, &W->path, n_hyps);
    bool ok = nf_positive(&nf, nf_term(&nf, step));
    nf_free(&nf);
    vprover_free(&p);
    return ok;
}

static flow exec_for(wframe *f, const ast_stmt *s) {
    vctx *X = FX(f);
    sv *it = eval(f, s->value);
    if (!it) return FLOW_FAIL;
    if (it->kind == SV_TUPLE) {
        for (int i = 0; i < it->u.t.n; i++) {
            if (!assign(f, s->targets[0], it->u.t.items[i])) return FLOW_FAIL;
            flow fl = exec_body(f, s->body, s->n_body);
            if (fl == FLOW_BREAK) break;
            if (fl == FLOW_RETURN || fl == FLOW_FAIL) return fl;
        }
        return FLOW_NEXT;
    }
    vt_id lo, hi, step;
    if (!range_of(f, s, it, &lo, &hi, &step)) return FLOW_FAIL;
    nf_ctx *nf = launch_nf(f);
    vt_store *st = X->s;
    int64_t sc;
    vt_id trips;
    step = nf_term(nf, step);
    if (vt_is_const(st, step, &sc) && sc < 0) {
        trips = vt_cdiv(st, vt_sub(st, lo, hi), vt_int(st, -sc));
    } else if ((vt_is_const(st, step, &sc) && sc > 0) || nf_positive(nf, step) || step_positive(f, step)) {
        trips = vt_cdiv(st, vt_sub(st, hi, lo), step);
    } else {
        nf_free(nf);
        fail_at(f, s->line, "%s", "loop step that is not provably positive");
        return FLOW_FAIL;
    }
    trips = nf_term(nf, trips);
    if (!nf_nonneg(nf, trips)) trips = nf_term(nf, vt_max(st, trips, vt_int(st, 0)));
    int64_t n;
    bool concrete = vt_is_const(st, trips, &n);
    nf_free(nf);
    if (concrete && n <= 0) return FLOW_NEXT;
    if (concrete && n <= MAX_UNROLL) return exec_for_unrolled(f, s, lo, step, n);
    nf = launch_nf(f);
    lo = nf_term(nf, lo);
    nf_free(nf);
    return exec_for_symbolic(f, s, lo, trips, step);
}

static flow exec_stmt(wframe *f, const ast_stmt *s) {
    vctx *X = FX(f);
    wctx *W = f->W;
    if (vx_failed(X)) return FLOW_FAIL;
    switch (s->kind) {
    case ST_EXPR:
        if (s->value->kind == EX_STR) return FLOW_NEXT;
        return eval(f, s->value) ? FLOW_NEXT : FLOW_FAIL;
    case ST_ASSIGN: {
        sv *v = eval(f, s->value);
        if (!v) return FLOW_FAIL;
        for (int i = 0; i < s->n_targets; i++)
            if (!assign(f, s->targets[i], v)) return FLOW_FAIL;
        return FLOW_NEXT;
    }
    case ST_ANNASSIGN: {
        if (!s->value) return FLOW_NEXT;
        sv *v = eval(f, s->value);
        return v && assign(f, s->targets[0], v) ? FLOW_NEXT : FLOW_FAIL;
    }
    case ST_AUGASSIGN: {
        sv *cur = eval(f, s->targets[0]);
        sv *rhs = cur ? eval(f, s->value) : NULL;
        sv *v = rhs ? op_binary_sv(X, s->line, s->op, cur, rhs) : NULL;
        if (v && cur->kind == SV_BLOCK && v->kind == SV_BLOCK && cur->u.b->cls != VC_PTR && v->u.b->cls != cur->u.b->cls &&
            !cur->u.b->py)
            v = op_convert_sv(X, s->line, v, cur->u.b->cls, cur->u.b->dtype);   /* x += y keeps x's type */
        return v && assign(f, s->targets[0], v) ? FLOW_NEXT : FLOW_FAIL;
    }
    case ST_IF: return exec_if(f, s);
    case ST_FOR: return exec_for(f, s);
    case ST_WHILE: fail_at(f, s->line, "%s", "while loop"); return FLOW_FAIL;
    case ST_RETURN: {
        sv *v = s->value ? eval(f, s->value) : sv_none(X);
        if (!v) return FLOW_FAIL;
        if (!f->ret) { f->ret = v; f->ret_path = W->path; }
        else {
            f->ret = merge(f, s->line, W->path, v, f->ret);
            if (!f->ret) return FLOW_FAIL;
            f->ret_path = vt_or(X->s, f->ret_path, W->path);
        }
        return FLOW_RETURN;
    }
    case ST_PASS: return FLOW_NEXT;
    case ST_BREAK: return FLOW_BREAK;
    case ST_CONTINUE: return FLOW_CONTINUE;
    case ST_ASSERT: return FLOW_NEXT;   /* assertions do not change the values */
    }
    fail_at(f, s->line, "%s", "statement");
    return FLOW_FAIL;
}

static flow exec_body(wframe *f, ast_stmt **body, int n) {
    for (int i = 0; i < n; i++) {
        flow fl = exec_stmt(f, body[i]);
        if (fl != FLOW_NEXT) return fl == FLOW_CONTINUE ? FLOW_NEXT : fl;
    }
    return FLOW_NEXT;
}

sv *walk_call_function(wframe *caller, const ast_module *mod, const ast_func *fn, int n_pos, sv **pos, int n_kw,
                       const char **kw_names, sv **kw_values, int line) {
    wctx *W = caller->W;
    vctx *X = W->X;
    if (W->depth >= MAX_DEPTH) return fail_at(caller, line, "%s", "call depth (recursive jitted functions?)");
    wframe f = {W, mod, NULL, 0, 0, NULL, VT_NONE};
    sv **vals = arena_alloc(X->a, (size_t)(fn->n_params + 1) * sizeof *vals);
    int next = 0, positional = 0;
    for (int i = 0; i < fn->n_params && !(fn->params[i].name[0] == '*' && fn->params[i].name[1] != '*'); i++)
        if (!ast_param_is_marker(&fn->params[i])) positional++;
    if (n_pos > positional) return fail_at(caller, line, "%s() called with too many positional arguments", fn->name);
    for (int i = 0; i < n_pos; i++) {
        while (ast_param_is_marker(&fn->params[next])) next++;
        vals[next++] = pos[i];
    }
    for (int k = 0; k < n_kw; k++) {
        int p = -1;
        for (int i = 0; i < fn->n_params; i++)
            if (!ast_param_is_marker(&fn->params[i]) && strcmp(fn->params[i].name, kw_names[k]) == 0) p = i;
        if (p < 0) return fail_at(caller, line, "unknown keyword argument '%s'", kw_names[k]);
        vals[p] = kw_values[k];
    }
    const char *caller_file = X->cur_file;
    X->cur_file = mod->file;
    for (int i = 0; i < fn->n_params; i++) {
        if (ast_param_is_marker(&fn->params[i])) continue;
        if (!vals[i]) {
            if (!fn->params[i].default_value) { X->cur_file = caller_file; return fail_at(caller, line, "missing argument '%s'", fn->params[i].name); }
            wframe g = {W, mod, NULL, 0, 0, NULL, VT_NONE};
            vals[i] = eval(&g, fn->params[i].default_value);
            if (!vals[i]) return NULL;
        }
        frame_set(&f, fn->params[i].name, vals[i]);
    }
    vt_id entry_path = W->path;
    W->depth++;
    flow fl = exec_body(&f, fn->body, fn->n_body);
    W->depth--;
    if (fl == FLOW_FAIL) return NULL;
    sv *r = f.ret ? f.ret : sv_none(X);
    if (f.ret && fl == FLOW_NEXT) {
        /* some paths returned, the others fell off the end: None there */
        if (f.ret->kind != SV_NONE) return fail_at(caller, fn->line, "%s() returns a value on some paths only", fn->name);
    }
    W->path = entry_path;
    X->cur_file = caller_file;
    return r;
}

/* ---- launches ---- */

sv *host_to_kernel(vctx *X, const hval *v, bool constexpr_param) {
    switch (v->kind) {
    case HK_INT: return sv_scalar(X, VC_INT, constexpr_param ? DT_INT32 : DT_INT64, constexpr_param, v->t);
    case HK_BOOL: return sv_scalar(X, VC_BOOL, DT_BOOL, true, v->t);
    case HK_REAL: return sv_scalar(X, VC_FLOAT, DT_FLOAT32, constexpr_param, v->t);
    case HK_NONE: return sv_none(X);
    case HK_STR: {
        sv *s = arena_alloc(X->a, sizeof *s);
        s->kind = SV_STR;
        s->u.str = v->str;
        return s;
    }
    case HK_TENSOR: {
        sblock *b = blk_new(X, VC_PTR, X->bufs[v->buf].dtype, 0, NULL, v->t);
        b->buf = v->buf;
        return sv_block(X, b);
    }
    }
    return sv_none(X);
}

vt_id vx_undef(wctx *W, vt_sort sort, int rank) {
    vctx *X = W->X;
    vt_id args[32];
    int n = 0;
    for (size_t i = 0; i < W->q.len && n < 24; i++) args[n++] = W->q.items[i].var;
    for (int d = 0; d < rank && n < 32; d++) args[n++] = vx_lane(X, d);
    return vt_app(X->s, vx_fresh(X, "undef:"), sort, n, args);
}

bool vcgen_launch(vctx *X, const vlaunch *L) {
    wctx W = {0};
    W.X = X;
    W.launch = X->launch;
    W.path = L->path;
    for (int d = 0; d < 3; d++) {
        char name[16];
        snprintf(name, sizeof name, "pid%d", d);
        W.pid[d] = vt_var(X->s, name, VS_INT);
        W.grid[d] = L->grid[d];
        vc_range r = {W.pid[d], vt_int(X->s, 0), L->grid[d]};
        vec_push(&W.q, r);
    }
    wframe caller = {&W, L->mod, NULL, 0, 0, NULL, VT_NONE};
    int n = L->fn->n_params;
    const char **names = arena_alloc(X->a, (size_t)(n + 1) * sizeof *names);
    sv **vals = arena_alloc(X->a, (size_t)(n + 1) * sizeof *vals);
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (ast_param_is_marker(&L->fn->params[i]) || !L->args[i]) continue;
        names[k] = L->fn->params[i].name;
        vals[k++] = L->args[i];
    }
    X->cur_file = L->mod->file;
    sv *r = walk_call_function(&caller, L->mod, L->fn, 0, NULL, k, names, vals, L->line);
    vec_free(&W.q);
    return r != NULL && !vx_failed(X);
}
