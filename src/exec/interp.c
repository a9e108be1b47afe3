/* interp: evaluation of statements and expressions of jitted functions; see interp.h. */
#include "exec/interp.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_CALL_DEPTH 64

typedef struct binding { const char *name; pyval *value; } binding;

typedef struct frame {
    interp *I;
    const ast_module *mod;
    binding *vars;
    int n_vars, cap_vars;
    pyval *ret;
} frame;

typedef enum flow { FLOW_NEXT, FLOW_RETURN, FLOW_BREAK, FLOW_CONTINUE, FLOW_FAIL } flow;

pyval *interp_fail(interp *I, diag_kind kind, int line, int col, const char *fmt, ...) {
    if (diag_failed(I->err)) return NULL;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(I->err, kind, I->file, line, col, "%s", msg);
    return NULL;
}

pyval *interp_fail_at(interp *I, diag_kind kind, const ast_expr *site, const char *fmt, ...) {
    if (diag_failed(I->err)) return NULL;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(I->err, kind, I->file, site ? site->line : 0, site ? site->col : 0, "%s", msg);
    return NULL;
}

bool interp_tick(interp *I, const ast_expr *site, uint64_t n) {
    I->steps += n;
    if (I->max_steps && I->steps > I->max_steps) {
        interp_fail_at(I, DIAG_LIMIT, site, "step limit of %llu exceeded", (unsigned long long)I->max_steps);
        return false;
    }
    if (I->max_arena_bytes && I->arena && I->arena->total > I->max_arena_bytes) {
        interp_fail_at(I, DIAG_LIMIT, site, "memory limit of %zu MiB of one program instance exceeded "
                       "(a very long loop or very large blocks?)", I->max_arena_bytes >> 20);
        return false;
    }
    return !diag_failed(I->err);
}

/* ---- variables ---- */

static pyval *frame_get(frame *f, const char *name) {
    for (int i = f->n_vars - 1; i >= 0; i--)
        if (strcmp(f->vars[i].name, name) == 0) return f->vars[i].value;
    return NULL;
}

static void frame_set(frame *f, const char *name, pyval *v) {
    for (int i = 0; i < f->n_vars; i++)
        if (strcmp(f->vars[i].name, name) == 0) { f->vars[i].value = v; return; }
    if (f->n_vars == f->cap_vars) {
        int cap = f->cap_vars ? f->cap_vars * 2 : 16;
        f->vars = arena_realloc(f->I->arena, f->vars, (size_t)f->cap_vars * sizeof(binding), (size_t)cap * sizeof(binding));
        f->cap_vars = cap;
    }
    f->vars[f->n_vars++] = (binding){name, v};
}

static pyval *eval(frame *f, const ast_expr *e);

/* A jitted function named `name` in any of the operator's modules (this one first). */
static pyval *find_jit_function(frame *f, const char *name) {
    interp *I = f->I;
    const ast_func *fn = ast_find_func(f->mod, name);
    if (fn) {
        pyval *v = arena_alloc(I->arena, sizeof *v);
        v->kind = PV_FUNC;
        v->u.func.fn = fn;
        v->u.func.mod = f->mod;
        return v;
    }
    for (int i = 0; i < I->n_modules; i++) {
        fn = ast_find_func(I->modules[i], name);
        if (fn) {
            pyval *v = arena_alloc(I->arena, sizeof *v);
            v->kind = PV_FUNC;
            v->u.func.fn = fn;
            v->u.func.mod = I->modules[i];
            return v;
        }
    }
    return NULL;
}

static pyval *eval_module_const(frame *f, const ast_const *c) {
    interp *I = f->I;
    if (I->depth >= MAX_CALL_DEPTH)
        return interp_fail(I, DIAG_LIMIT, c->line, c->col, "module constant '%s' refers to itself", c->name);
    frame g = {I, f->mod, NULL, 0, 0, NULL};
    I->depth++;
    pyval *v = eval(&g, c->value);
    I->depth--;
    return v;
}

static pyval *lookup_name(frame *f, const ast_expr *e) {
    interp *I = f->I;
    const char *name = e->name;
    pyval *v = frame_get(f, name);
    if (v) return v;
    const ast_const *c = ast_find_const(f->mod, name);
    if (c) return eval_module_const(f, c);
    const char *target = ast_alias_target(f->mod, name);
    if (target) {
        if (builtin_namespace_of(target)) return pv_module(I->arena, target);
        /* `from .helpers import combine` naming a jitted function of another source */
        const char *last = strrchr(target, '.');
        pyval *fn = find_jit_function(f, last ? last + 1 : target);
        if (fn) return fn;
        return pv_module(I->arena, target);
    }
    v = find_jit_function(f, name);
    if (v) return v;
    const builtin_def *def = builtin_lookup(NS_PY, name);
    if (def) {
        v = arena_alloc(I->arena, sizeof *v);
        v->kind = PV_BUILTIN;
        v->u.builtin.def = def;
        return v;
    }
    return interp_fail_at(I, DIAG_ERROR, e, "name '%s' is not defined", name);
}

/* ---- attributes ---- */

static const struct { const char *name; vclass cls; elem_dtype dtype; } dtype_attrs[] = {
    {"float32", VC_FLOAT, DT_FLOAT32}, {"float16", VC_FLOAT, DT_FLOAT16},
    {"bfloat16", VC_FLOAT, DT_BFLOAT16}, {"float64", VC_FLOAT, DT_FLOAT64},
    {"int1", VC_BOOL, DT_BOOL}, {"int8", VC_INT, DT_INT8}, {"int16", VC_INT, DT_INT16},
    {"int32", VC_INT, DT_INT32}, {"int64", VC_INT, DT_INT64}, {"uint8", VC_INT, DT_INT8},
    {"uint16", VC_INT, DT_INT16}, {"uint32", VC_INT, DT_INT32}, {"uint64", VC_INT, DT_INT64},
};

static pyval *bound_builtin(interp *I, const builtin_def *def, pyval *self) {
    pyval *v = arena_alloc(I->arena, sizeof *v);
    v->kind = PV_BUILTIN;
    v->u.builtin.def = def;
    v->u.builtin.self = self;
    return v;
}

static pyval *eval_attr(frame *f, const ast_expr *e) {
    interp *I = f->I;
    pyval *obj = eval(f, e->lhs);
    if (!obj) return NULL;
    const char *name = e->name;
    if (obj->kind == PV_MODULE) {
        unsigned ns = builtin_namespace_of(obj->u.module);
        if (ns & NS_TL)
            for (size_t i = 0; i < sizeof dtype_attrs / sizeof dtype_attrs[0]; i++)
                if (strcmp(dtype_attrs[i].name, name) == 0)
                    return pv_dtype(I->arena, (vtype){dtype_attrs[i].cls, dtype_attrs[i].dtype});
        const builtin_def *def = ns ? builtin_lookup(ns, name) : NULL;
        if (def) return bound_builtin(I, def, NULL);
        const char *path = arena_printf(I->arena, "%s.%s", obj->u.module, name);
        if (builtin_namespace_of(path)) return pv_module(I->arena, path);
        return interp_fail_at(I, DIAG_UNSUPPORTED, e, "%s", path);
    }
    if (obj->kind == PV_BLOCK) {
        block *b = obj->u.blk;
        if (strcmp(name, "dtype") == 0 || strcmp(name, "type") == 0) return pv_dtype(I->arena, b->ty);
        if (strcmp(name, "shape") == 0) {
            pyval *dims[MAX_RANK];
            for (int i = 0; i < b->rank; i++) dims[i] = pv_int(I->arena, b->shape[i], true);
            return pv_tuple(I->arena, b->rank, dims);
        }
        if (strcmp(name, "T") == 0) {
            const builtin_def *def = builtin_lookup(NS_TL, "trans");
            call_args args = {1, &obj, 0, NULL, NULL, e};
            return def->fn(I, def, NULL, &args);
        }
        const builtin_def *def = builtin_lookup(NS_METHOD, name);
        if (def) return bound_builtin(I, def, obj);
        return interp_fail_at(I, DIAG_UNSUPPORTED, e, "tensor attribute '%s'", name);
    }
    if (obj->kind == PV_DTYPE) {
        vtype t = obj->u.dtype;
        if (strcmp(name, "element_ty") == 0) {
            if (t.cls != VC_PTR) return interp_fail_at(I, DIAG_ERROR, e, "element_ty of a non-pointer type");
            return pv_dtype(I->arena, vtype_of_dtype(t.dtype));
        }
        if (strcmp(name, "is_ptr") == 0 || strncmp(name, "is_", 3) == 0) {
            const builtin_def *def = builtin_lookup(NS_METHOD, "__dtype_predicate");
            pyval *self = pv_tuple(I->arena, 2, (pyval *[]){obj, pv_str(I->arena, name)});
            return bound_builtin(I, def, self);
        }
        return interp_fail_at(I, DIAG_UNSUPPORTED, e, "dtype attribute '%s'", name);
    }
    if (obj->kind == PV_BLOCKPTR && (strcmp(name, "type") == 0 || strcmp(name, "dtype") == 0))
        return pv_dtype(I->arena, obj->u.bptr->ty);   /* the pointer type: .element_ty gives the data type */
    return interp_fail_at(I, DIAG_UNSUPPORTED, e, "attribute '%s' of a %s", name, pykind_name(obj->kind));
}

/* ---- subscripts ---- */

static pyval *eval_subscript(frame *f, const ast_expr *e) {
    interp *I = f->I;
    pyval *obj = eval(f, e->lhs);
    if (!obj) return NULL;
    if (obj->kind == PV_TUPLE) {
        if (e->n_items != 1 || e->items[0]->kind == EX_SLICE || e->items[0]->kind == EX_NONE)
            return interp_fail_at(I, DIAG_UNSUPPORTED, e, "tuple subscript other than an integer index");
        pyval *iv = eval(f, e->items[0]);
        int64_t k;
        if (!iv || !pv_to_int(I, e, iv, &k, "tuple index")) return NULL;
        if (k < 0) k += obj->u.tuple.n;
        if (k < 0 || k >= obj->u.tuple.n) return interp_fail_at(I, DIAG_ERROR, e, "tuple index out of range");
        return obj->u.tuple.items[k];
    }
    block *b = as_block(I, obj, e, "subscripted value");
    if (!b) return NULL;
    /* Triton tensors accept only `:` and None (new axis) subscripts, plus one `...`. */
    int rank = 0, src = 0, n_slices = 0;
    int64_t shape[MAX_RANK + 8];
    bool has_ellipsis = false;
    for (int i = 0; i < e->n_items; i++) {
        const ast_expr *it = e->items[i];
        if (it->kind == EX_SLICE) {
            if (it->slice[0] || it->slice[1] || it->slice[2])
                return interp_fail_at(I, DIAG_UNSUPPORTED, it, "tensor slicing with bounds");
            n_slices++;
        } else if (it->kind == EX_ELLIPSIS) {
            if (has_ellipsis) return interp_fail_at(I, DIAG_ERROR, it, "more than one '...'");
            has_ellipsis = true;
        } else if (it->kind != EX_NONE) {
            return interp_fail_at(I, DIAG_UNSUPPORTED, it, "tensor indexing other than ':' and None");
        }
    }
    if (n_slices > b->rank || (!has_ellipsis && n_slices != b->rank))
        return interp_fail_at(I, DIAG_ERROR, e, "subscript has %d ':' entries for a block of rank %d", n_slices, b->rank);
    for (int i = 0; i < e->n_items; i++) {
        const ast_expr *it = e->items[i];
        if (rank >= MAX_RANK) return interp_fail_at(I, DIAG_UNSUPPORTED, e, "blocks of rank above %d", MAX_RANK);
        if (it->kind == EX_SLICE) shape[rank++] = b->shape[src++];
        else if (it->kind == EX_NONE) shape[rank++] = 1;
        else
            for (int k = 0; k < b->rank - n_slices; k++) {
                if (rank >= MAX_RANK) return interp_fail_at(I, DIAG_UNSUPPORTED, e, "blocks of rank above %d", MAX_RANK);
                shape[rank++] = b->shape[src++];
            }
    }
    block *out = arena_alloc(I->arena, sizeof *out);
    *out = *b;
    out->rank = rank;
    for (int i = 0; i < rank; i++) out->shape[i] = shape[i];
    return pv_block(I->arena, out);   /* same lanes: inserting unit axes keeps row-major order */
}

/* ---- calls ---- */

static bool eval_call_args(frame *f, const ast_expr *e, call_args *args) {
    interp *I = f->I;
    args->site = e;
    args->n = 0;
    args->pos = arena_alloc(I->arena, (size_t)(e->n_items + 1) * sizeof(pyval *));
    for (int i = 0; i < e->n_items; i++) {
        const ast_expr *a = e->items[i];
        if (a->kind == EX_STARRED) {
            pyval *t = eval(f, a->lhs);
            if (!t) return false;
            if (t->kind != PV_TUPLE) { interp_fail_at(I, DIAG_UNSUPPORTED, a, "*argument that is not a tuple"); return false; }
            args->pos = arena_realloc(I->arena, args->pos, (size_t)(e->n_items + 1 + args->n) * sizeof(pyval *),
                                      (size_t)(e->n_items + 1 + args->n + t->u.tuple.n) * sizeof(pyval *));
            for (int k = 0; k < t->u.tuple.n; k++) args->pos[args->n++] = t->u.tuple.items[k];
            continue;
        }
        pyval *v = eval(f, a);
        if (!v) return false;
        args->pos[args->n++] = v;
    }
    args->n_kw = e->n_kwargs;
    args->kw_names = arena_alloc(I->arena, (size_t)(e->n_kwargs + 1) * sizeof(char *));
    args->kw_values = arena_alloc(I->arena, (size_t)(e->n_kwargs + 1) * sizeof(pyval *));
    for (int i = 0; i < e->n_kwargs; i++) {
        if (!e->kwargs[i].name) { interp_fail_at(I, DIAG_UNSUPPORTED, e, "**kwargs in a call"); return false; }
        args->kw_names[i] = e->kwargs[i].name;
        args->kw_values[i] = eval(f, e->kwargs[i].value);
        if (!args->kw_values[i]) return false;
    }
    return true;
}

static pyval *eval_call(frame *f, const ast_expr *e) {
    interp *I = f->I;
    pyval *callee = eval(f, e->lhs);
    if (!callee) return NULL;
    call_args args;
    if (!eval_call_args(f, e, &args)) return NULL;
    if (callee->kind == PV_BUILTIN) {
        const builtin_def *def = callee->u.builtin.def;
        return def->fn(I, def, callee->u.builtin.self, &args);
    }
    if (callee->kind == PV_FUNC) {
        const char *caller_file = I->file;
        pyval *r = interp_call_function(I, callee->u.func.mod, callee->u.func.fn, &args);
        I->file = caller_file;
        return r;
    }
    if (callee->kind == PV_DTYPE)   /* tl.float32(x) is not Triton, but dtype calls are casts in Python */
        return interp_fail_at(I, DIAG_UNSUPPORTED, e, "calling a dtype");
    if (callee->kind == PV_MODULE)
        return interp_fail_at(I, DIAG_UNSUPPORTED, e, "call of '%s' (not a @triton.jit function of the operator's sources)", callee->u.module);
    return interp_fail_at(I, DIAG_ERROR, e, "a %s is not callable", pykind_name(callee->kind));
}

/* ---- expressions ---- */

static pyval *eval_compare(frame *f, const ast_expr *e) {
    interp *I = f->I;
    pyval *left = eval(f, e->items[0]);
    if (!left) return NULL;
    pyval *result = NULL;
    for (int i = 1; i < e->n_items; i++) {
        pyval *right = eval(f, e->items[i]);
        if (!right) return NULL;
        pyval *r = op_compare(I, e, e->cmp_ops[i - 1], left, right);
        if (!r) return NULL;
        result = result ? op_logical(I, e, false, result, r) : r;
        if (!result) return NULL;
        left = right;
    }
    return result;
}

static bool is_python_scalar(const pyval *v) {
    return v->kind != PV_BLOCK || (v->u.blk->py && v->u.blk->n == 1);
}

static pyval *eval_boolop(frame *f, const ast_expr *e) {
    interp *I = f->I;
    bool is_or = e->op == 1;
    pyval *acc = eval(f, e->items[0]);
    for (int i = 1; acc && i < e->n_items; i++) {
        if (is_python_scalar(acc)) {   /* Python short-circuit semantics */
            bool t;
            if (!pv_truth(I, e, acc, &t)) return NULL;
            if (t == is_or) return acc;
            acc = eval(f, e->items[i]);
            continue;
        }
        pyval *next = eval(f, e->items[i]);   /* tensors: Triton's elementwise logical and/or */
        if (!next) return NULL;
        acc = op_logical(I, e, is_or, acc, next);
    }
    return acc;
}

static pyval *eval_literal_sequence(frame *f, const ast_expr *e) {
    pyval **items = arena_alloc(f->I->arena, (size_t)(e->n_items + 1) * sizeof(pyval *));
    for (int i = 0; i < e->n_items; i++)
        if (!(items[i] = eval(f, e->items[i]))) return NULL;
    return pv_tuple(f->I->arena, e->n_items, items);
}

static pyval *eval(frame *f, const ast_expr *e) {
    interp *I = f->I;
    if (diag_failed(I->err)) return NULL;
    switch (e->kind) {
    case EX_NAME: return lookup_name(f, e);
    case EX_INT: return pv_int(I->arena, e->ival, true);
    case EX_FLOAT: return pv_float(I->arena, e->fval, true);
    case EX_BOOL: return pv_bool(I->arena, e->ival != 0, true);
    case EX_STR: return pv_str(I->arena, e->str);
    case EX_NONE: return pv_none(I->arena);
    case EX_ATTR: return eval_attr(f, e);
    case EX_CALL: return eval_call(f, e);
    case EX_SUBSCRIPT: return eval_subscript(f, e);
    case EX_BINOP: {
        pyval *a = eval(f, e->lhs), *b = a ? eval(f, e->rhs) : NULL;
        return b ? op_binary(I, e, e->op, a, b) : NULL;
    }
    case EX_UNARY: {
        pyval *x = eval(f, e->lhs);
        if (!x) return NULL;
        switch ((unary_kind)e->op) {
        case UN_POS: return x;
        case UN_NEG: return op_math(I, e, MF_NEG, x);
        case UN_INVERT: return op_math(I, e, MF_INVERT, x);
        case UN_NOT:
            if (is_python_scalar(x)) {
                bool t;
                return pv_truth(I, e, x, &t) ? pv_bool(I->arena, !t, true) : NULL;
            }
            return op_math(I, e, MF_NOT, x);
        }
        return NULL;
    }
    case EX_COMPARE: return eval_compare(f, e);
    case EX_BOOLOP: return eval_boolop(f, e);
    case EX_IFEXP: {
        pyval *c = eval(f, e->cond);
        bool t;
        if (!c || !pv_truth(I, e, c, &t)) return NULL;
        return eval(f, t ? e->lhs : e->rhs);
    }
    case EX_TUPLE: case EX_LIST: return eval_literal_sequence(f, e);
    case EX_ELLIPSIS: return interp_fail_at(I, DIAG_UNSUPPORTED, e, "'...' outside a subscript");
    case EX_SLICE: return interp_fail_at(I, DIAG_UNSUPPORTED, e, "slice outside a subscript");
    case EX_DICT: return interp_fail_at(I, DIAG_UNSUPPORTED, e, "dict literal");
    case EX_STARRED: return interp_fail_at(I, DIAG_UNSUPPORTED, e, "starred expression");
    }
    return interp_fail_at(I, DIAG_UNSUPPORTED, e, "expression");
}

/* ---- statements ---- */

static bool assign(frame *f, const ast_expr *target, pyval *v) {
    interp *I = f->I;
    if (target->kind == EX_NAME) { frame_set(f, target->name, v); return true; }
    if (target->kind == EX_TUPLE || target->kind == EX_LIST) {
        if (v->kind != PV_TUPLE) { interp_fail_at(I, DIAG_ERROR, target, "cannot unpack a %s", pykind_name(v->kind)); return false; }
        if (v->u.tuple.n != target->n_items) {
            interp_fail_at(I, DIAG_ERROR, target, "cannot unpack %d values into %d targets", v->u.tuple.n, target->n_items);
            return false;
        }
        for (int i = 0; i < target->n_items; i++)
            if (!assign(f, target->items[i], v->u.tuple.items[i])) return false;
        return true;
    }
    interp_fail_at(I, DIAG_UNSUPPORTED, target, "assignment to %s", target->kind == EX_SUBSCRIPT ? "a subscript" : "an attribute");
    return false;
}

static flow exec_body(frame *f, ast_stmt **body, int n);

static flow exec_for(frame *f, const ast_stmt *s) {
    interp *I = f->I;
    pyval *it = eval(f, s->value);
    if (!it) return FLOW_FAIL;
    if (it->kind == PV_TUPLE) {   /* static iteration over a tuple */
        for (int i = 0; i < it->u.tuple.n; i++) {
            if (!assign(f, s->targets[0], it->u.tuple.items[i])) return FLOW_FAIL;
            flow fl = exec_body(f, s->body, s->n_body);
            if (fl == FLOW_BREAK) break;
            if (fl == FLOW_RETURN || fl == FLOW_FAIL) return fl;
        }
        return FLOW_NEXT;
    }
    if (it->kind != PV_RANGE) {
        interp_fail_at(I, DIAG_UNSUPPORTED, s->value, "for loop over a %s (expected range, tl.range or tl.static_range)", pykind_name(it->kind));
        return FLOW_FAIL;
    }
    range_val r = it->u.range;
    for (int64_t i = r.start; r.step > 0 ? i < r.stop : i > r.stop; i += r.step) {
        if (!interp_tick(I, s->value, 1)) return FLOW_FAIL;
        /* Loop variables of range() over runtime bounds are tensors in Triton; over constexpr
         * bounds they are Python ints. Both behave alike for indices (never negative). */
        if (!assign(f, s->targets[0], pv_int(I->arena, i, true))) return FLOW_FAIL;
        flow fl = exec_body(f, s->body, s->n_body);
        if (fl == FLOW_BREAK) break;
        if (fl == FLOW_RETURN || fl == FLOW_FAIL) return fl;
    }
    return FLOW_NEXT;
}

static flow exec_stmt(frame *f, const ast_stmt *s) {
    interp *I = f->I;
    if (!interp_tick(I, NULL, 1)) {
        if (I->err->line == 0) { I->err->line = s->line; I->err->col = s->col; }
        return FLOW_FAIL;
    }
    switch (s->kind) {
    case ST_EXPR:
        if (s->value->kind == EX_STR) return FLOW_NEXT;   /* docstring */
        return eval(f, s->value) ? FLOW_NEXT : FLOW_FAIL;
    case ST_ASSIGN: {
        pyval *v = eval(f, s->value);
        if (!v) return FLOW_FAIL;
        for (int i = 0; i < s->n_targets; i++)
            if (!assign(f, s->targets[i], v)) return FLOW_FAIL;
        return FLOW_NEXT;
    }
    case ST_ANNASSIGN: {
        if (!s->value) return FLOW_NEXT;
        pyval *v = eval(f, s->value);
        return v && assign(f, s->targets[0], v) ? FLOW_NEXT : FLOW_FAIL;
    }
    case ST_AUGASSIGN: {
        pyval *cur = eval(f, s->targets[0]);
        pyval *rhs = cur ? eval(f, s->value) : NULL;
        pyval *v = rhs ? op_binary(I, s->value, s->op, cur, rhs) : NULL;
        return v && assign(f, s->targets[0], v) ? FLOW_NEXT : FLOW_FAIL;
    }
    case ST_IF: {
        pyval *c = eval(f, s->cond);
        bool t;
        if (!c || !pv_truth(I, s->cond, c, &t)) return FLOW_FAIL;
        return t ? exec_body(f, s->body, s->n_body) : exec_body(f, s->orelse, s->n_orelse);
    }
    case ST_FOR: return exec_for(f, s);
    case ST_WHILE:
        for (;;) {
            pyval *c = eval(f, s->cond);
            bool t;
            if (!c || !pv_truth(I, s->cond, c, &t)) return FLOW_FAIL;
            if (!t) return FLOW_NEXT;
            flow fl = exec_body(f, s->body, s->n_body);
            if (fl == FLOW_BREAK) return FLOW_NEXT;
            if (fl == FLOW_RETURN || fl == FLOW_FAIL) return fl;
            if (!interp_tick(I, s->cond, 1)) return FLOW_FAIL;
        }
    case ST_RETURN:
        f->ret = s->value ? eval(f, s->value) : pv_none(I->arena);
        return f->ret ? FLOW_RETURN : FLOW_FAIL;
    case ST_PASS: return FLOW_NEXT;
    case ST_BREAK: return FLOW_BREAK;
    case ST_CONTINUE: return FLOW_CONTINUE;
    case ST_ASSERT: {
        pyval *c = eval(f, s->cond);
        bool t;
        if (!c || !pv_truth(I, s->cond, c, &t)) return FLOW_FAIL;
        if (!t) {
            interp_fail(I, DIAG_RUNTIME, s->line, s->col, "assertion failed");
            return FLOW_FAIL;
        }
        return FLOW_NEXT;
    }
    }
    interp_fail(I, DIAG_UNSUPPORTED, s->line, s->col, "statement");
    return FLOW_FAIL;
}

static flow exec_body(frame *f, ast_stmt **body, int n) {
    for (int i = 0; i < n; i++) {
        flow fl = exec_stmt(f, body[i]);
        if (fl != FLOW_NEXT) return fl == FLOW_CONTINUE ? FLOW_NEXT : fl;
    }
    return FLOW_NEXT;
}

pyval *interp_call_function(interp *I, const ast_module *mod, const ast_func *fn, call_args *args) {
    if (I->depth >= MAX_CALL_DEPTH)
        return interp_fail_at(I, DIAG_LIMIT, args->site, "call depth above %d (recursive jitted functions?)", MAX_CALL_DEPTH);
    frame f = {I, mod, NULL, 0, 0, NULL};
    const char *call_file = I->file;
    /* Positional arguments fill the parameters before a bare '*' (the '/' marker and *args /
     * **kwargs are not parameters of their own: Triton does not pass variadic arguments). */
    pyval **vals = arena_alloc(I->arena, (size_t)(fn->n_params + 1) * sizeof(pyval *));
    int next = 0, positional = 0;
    for (int i = 0; i < fn->n_params && !(fn->params[i].name[0] == '*' && fn->params[i].name[1] != '*'); i++)
        if (!ast_param_is_marker(&fn->params[i])) positional++;
    if (args->n > positional)
        return interp_fail_at(I, DIAG_ERROR, args->site, "%s() takes %d positional arguments, %d given", fn->name, positional, args->n);
    for (int i = 0; i < args->n; i++) {
        while (ast_param_is_marker(&fn->params[next])) next++;
        vals[next++] = args->pos[i];
    }
    for (int k = 0; k < args->n_kw; k++) {
        int p = -1;
        for (int i = 0; i < fn->n_params; i++)
            if (!ast_param_is_marker(&fn->params[i]) && strcmp(fn->params[i].name, args->kw_names[k]) == 0) p = i;
        if (p < 0) return interp_fail_at(I, DIAG_ERROR, args->site, "%s() has no parameter '%s'", fn->name, args->kw_names[k]);
        if (vals[p]) return interp_fail_at(I, DIAG_ERROR, args->site, "%s() got two values for '%s'", fn->name, args->kw_names[k]);
        vals[p] = args->kw_values[k];
    }
    I->file = mod->file;
    for (int i = 0; i < fn->n_params; i++) {
        if (ast_param_is_marker(&fn->params[i])) continue;
        if (!vals[i]) {
            if (!fn->params[i].default_value) {
                I->file = call_file;
                return interp_fail_at(I, DIAG_ERROR, args->site, "%s() is missing argument '%s'", fn->name, fn->params[i].name);
            }
            frame g = {I, mod, NULL, 0, 0, NULL};
            vals[i] = eval(&g, fn->params[i].default_value);
            if (!vals[i]) return NULL;
        }
        frame_set(&f, fn->params[i].name, vals[i]);
    }
    I->depth++;
    flow fl = exec_body(&f, fn->body, fn->n_body);
    I->depth--;
    if (fl == FLOW_FAIL) return NULL;
    if (fl == FLOW_BREAK || fl == FLOW_CONTINUE)
        return interp_fail(I, DIAG_ERROR, fn->line, fn->col, "break/continue outside a loop");
    return f.ret ? f.ret : pv_none(I->arena);
}
