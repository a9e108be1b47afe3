/* convert: formula <-> e-graph; see convert.h. */
#include "simplify/convert.h"
#include "simplify/binder.h"
#include "util/arena.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- names --------------------------------------------------------------------------------- */

static bool is_index_name(const formula *f, const char *name) {
    for (int q = 0; q < f->n_eqs; q++)
        for (int i = 0; i < f->eqs[q].n_indices; i++)
            if (strcmp(f->eqs[q].indices[i], name) == 0) return true;
    return false;
}

static bool is_output(const formula *f, const char *name) { return formula_find(f, name) != NULL; }

typedef struct bound_names {
    const char *names[64];
    int n;
} bound_names;

static bool is_bound(const bound_names *b, const char *name) {
    for (int i = 0; i < b->n; i++)
        if (strcmp(b->names[i], name) == 0) return true;
    return false;
}

/* Flags the free names of e; range bounds are sizes when no size list is given. */
static void flag_expr(egraph *g, const formula *f, const fexpr *e, bound_names *b, bool in_bound, bool infer_sizes) {
    if (!e) return;
    if (e->kind == FX_NAME && !is_bound(b, e->name)) {
        uint32_t s = egraph_intern(g, e->name);
        if (is_index_name(f, e->name)) egraph_set_sym_flags(g, s, SYMF_INDEX);
        else if (is_output(f, e->name)) egraph_set_sym_flags(g, s, SYMF_OUTPUT);
        else if (in_bound && infer_sizes) egraph_set_sym_flags(g, s, SYMF_SIZE);
    }
    if (e->kind == FX_ACCESS && e->name)
        egraph_set_sym_flags(g, egraph_intern(g, e->name), is_output(f, e->name) ? SYMF_OUTPUT : SYMF_INPUT);
    if (e->kind == FX_REDUCE && e->n_args == 3) {
        flag_expr(g, f, e->args[0], b, true, infer_sizes);
        flag_expr(g, f, e->args[1], b, true, infer_sizes);
        if (b->n < 64) b->names[b->n++] = e->var;
        flag_expr(g, f, e->args[2], b, false, infer_sizes);
        b->n--;
        return;
    }
    for (int i = 0; i < e->n_args; i++) flag_expr(g, f, e->args[i], b, in_bound && e->kind != FX_ACCESS, infer_sizes);
}

void convert_flag_names(egraph *g, const formula *f, const char *const *sizes, int n_sizes) {
    for (int i = 0; sizes && i < n_sizes; i++)
        if (!is_index_name(f, sizes[i])) egraph_set_sym_flags(g, egraph_intern(g, sizes[i]), SYMF_SIZE);
    for (int q = 0; q < f->n_eqs; q++) {
        bound_names b = {{0}, 0};
        for (int i = 0; i < f->eqs[q].n_indices && b.n < 64; i++) b.names[b.n++] = f->eqs[q].indices[i];
        /* equation indices are free names of the e-graph, flagged as such */
        for (int i = 0; i < f->eqs[q].n_indices; i++) egraph_set_sym_flags(g, egraph_intern(g, f->eqs[q].indices[i]), SYMF_INDEX);
        b.n = 0;
        flag_expr(g, f, f->eqs[q].rhs, &b, false, sizes == NULL);
    }
}

/* ---- formula -> e-graph -------------------------------------------------------------------- */

/* A name in scope: a reduction binder (at binder level `level`) or an output's index variable
 * substituted by a class built at binder depth `depth`. */
typedef struct scope_entry {
    const char *name;
    bool binder;
    int level;
    eclass_id cls;
    int depth;
} scope_entry;

#define MAX_SCOPE 64

typedef struct walker {
    convert_ctx *ctx;
    scope_entry scope[MAX_SCOPE];
    int n_scope;
    int depth;               /* binders enclosing the current position */
    bool inlining;           /* inside an inlined output definition */
} walker;

static eclass_id walk(walker *w, const fexpr *e);

/* Records why conversion failed (the first reason wins); returns ECLASS_NONE. */
static eclass_id failf(walker *w, const char *fmt, const char *arg) {
    if (!w->ctx->err[0]) snprintf(w->ctx->err, sizeof w->ctx->err, fmt, arg ? arg : "");
    return ECLASS_NONE;
}

/* The class of a named constant's term (its text parses as a formula expression). */
static eclass_id constant_term(walker *w, const named_constant *c) {
    arena a;
    arena_init(&a);
    diag err = {0};
    char *text = arena_printf(&a, "c = %s", c->text);
    formula *f = formula_parse(&a, NULL, 1, 1, text, &err);
    eclass_id id = ECLASS_NONE;
    if (f && f->n_eqs == 1) {
        walker inner = {w->ctx, {{0}}, 0, w->depth, true};
        bool saved = w->ctx->approximate;
        w->ctx->approximate = false;
        id = walk(&inner, f->eqs[0].rhs);
        w->ctx->approximate = saved;
    }
    arena_free(&a);
    return id;
}

static eclass_id walk_number(walker *w, double v) {
    convert_ctx *ctx = w->ctx;
    const named_constant *c = ctx->approximate ? constants_recognize(v) : NULL;
    if (!c) return egraph_add_num(ctx->g, v);
    eclass_id t = constant_term(w, c);
    if (t == ECLASS_NONE) return egraph_add_num(ctx->g, v);
    bool seen = false;
    for (int i = 0; i < ctx->n_uses; i++) seen = seen || (ctx->uses[i].c == c && ctx->uses[i].literal == fabs(v));
    if (!seen && ctx->n_uses < CONVERT_MAX_APPROX) {
        ctx->uses[ctx->n_uses].c = c;
        ctx->uses[ctx->n_uses++].literal = fabs(v);
    }
    return v < 0 ? egraph_add_op(ctx->g, EOP_NEG, 1, &t) : t;
}

/* output[args] merged with the output's definition at those indices. */
static void inline_output(walker *w, const fequation *def, const eclass_id *args, int n_args, eclass_id access) {
    /* never in an approximated copy: an approximate equality must not enter the e-graph */
    if (w->inlining || w->ctx->approximate || def->n_indices != n_args || n_args > MAX_SCOPE) return;
    walker inner;
    memset(&inner, 0, sizeof inner);
    inner.ctx = w->ctx;
    inner.depth = w->depth;
    inner.inlining = true;
    for (int i = 0; i < n_args; i++) {
        scope_entry *s = &inner.scope[inner.n_scope++];
        s->name = def->indices[i];
        s->binder = false;
        s->cls = args[i];
        s->depth = w->depth;
    }
    eclass_id rhs = walk(&inner, def->rhs);
    if (rhs != ECLASS_NONE) egraph_union(w->ctx->g, access, rhs);
}

static eclass_id walk_name(walker *w, const fexpr *e) {
    egraph *g = w->ctx->g;
    for (int i = w->n_scope - 1; i >= 0; i--) {
        const scope_entry *s = &w->scope[i];
        if (strcmp(s->name, e->name) != 0) continue;
        if (s->binder) return egraph_add_bvar(g, (uint32_t)(w->depth - 1 - s->level));
        bvar_map m = {0, w->depth - s->depth, {0}};
        return binder_rebind(g, s->cls, &m, true);
    }
    eclass_id id = egraph_add_sym(g, e->name);
    const fequation *def = formula_find(w->ctx->f, e->name);
    if (def && !is_index_name(w->ctx->f, e->name)) inline_output(w, def, NULL, 0, id);
    return id;
}

static eclass_id walk(walker *w, const fexpr *e) {
    if (!e) return failf(w, "malformed formula (missing expression)%s", "");
    egraph *g = w->ctx->g;
    eclass_id kids[ENODE_MAX_KIDS];
    eop op = EOP_COUNT;
    switch (e->kind) {
    case FX_NUM: return walk_number(w, e->num);
    case FX_NAME: return walk_name(w, e);
    case FX_ACCESS: {
        if (e->n_args > ENODE_MAX_KIDS) return failf(w, "access to '%s' with more than 8 indices", e->name);
        for (int i = 0; i < e->n_args; i++)
            if ((kids[i] = walk(w, e->args[i])) == ECLASS_NONE) return ECLASS_NONE;
        enode n = {0};
        n.op = EOP_ACCESS;
        n.n = (uint8_t)e->n_args;
        n.sym = egraph_intern(g, e->name);
        memcpy(n.kids, kids, (size_t)e->n_args * sizeof *kids);
        eclass_id id = egraph_add(g, &n);
        const fequation *def = formula_find(w->ctx->f, e->name);
        if (def) inline_output(w, def, kids, e->n_args, id);
        return id;
    }
    case FX_BINOP: op = eop_from_binop(e->op); break;
    case FX_NEG: op = EOP_NEG; break;
    case FX_CMP: op = eop_from_cmp(e->op); break;
    case FX_AND: op = EOP_AND; break;
    case FX_OR: op = EOP_OR; break;
    case FX_NOT: op = EOP_NOT; break;
    case FX_WHERE: op = EOP_WHERE; break;
    case FX_CALL:
        op = e->name ? eop_from_call(e->name, e->n_args) : EOP_COUNT;
        if (op == EOP_COUNT) return failf(w, "unknown function '%s'", e->name ? e->name : "?");
        break;
    case FX_REDUCE: {
        op = e->name ? eop_from_reduce(e->name) : EOP_COUNT;
        if (op == EOP_COUNT || e->n_args != 3 || !e->var) return failf(w, "malformed reduction '%s'", e->name);
        if (w->n_scope == MAX_SCOPE || w->depth >= BINDER_MAX_DEPTH) return failf(w, "reductions nested too deeply%s", "");
        if ((kids[0] = walk(w, e->args[0])) == ECLASS_NONE || (kids[1] = walk(w, e->args[1])) == ECLASS_NONE) return ECLASS_NONE;
        scope_entry *s = &w->scope[w->n_scope++];
        s->name = e->var;
        s->binder = true;
        s->level = w->depth++;
        kids[2] = walk(w, e->args[2]);
        w->depth--;
        w->n_scope--;
        if (kids[2] == ECLASS_NONE) return ECLASS_NONE;
        return egraph_add_op(g, op, 3, kids);
    }
    }
    if (op == EOP_COUNT || e->n_args != eop_arity(op)) return failf(w, "malformed expression%s", "");
    for (int i = 0; i < e->n_args; i++)
        if ((kids[i] = walk(w, e->args[i])) == ECLASS_NONE) return ECLASS_NONE;
    return egraph_add_op(g, op, e->n_args, kids);
}

eclass_id convert_equation(convert_ctx *ctx, int q) {
    walker w;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    return walk(&w, ctx->f->eqs[q].rhs);
}

/* ---- e-graph -> formula -------------------------------------------------------------------- */

typedef struct builder {
    arena *a;
    egraph *g;
    const extractor *x;
    const formula *f;
    const char *binders[BINDER_MAX_DEPTH + 1];
    int depth;
    int budget;              /* nodes left: a term bigger than this is not built */
} builder;

/* Whether a name is used free in e (names, tensors); the input's own binder names are free to
 * reuse, since every binder is renamed. */
static bool name_used(const fexpr *e, const char *name) {
    if (!e) return false;
    if ((e->kind == FX_NAME || e->kind == FX_ACCESS) && e->name && strcmp(e->name, name) == 0) return true;
    if (e->kind == FX_REDUCE && e->n_args == 3 && e->var && strcmp(e->var, name) == 0)
        return name_used(e->args[0], name) || name_used(e->args[1], name);   /* shadowed in the body */
    for (int i = 0; i < e->n_args; i++)
        if (name_used(e->args[i], name)) return true;
    return false;
}

static bool taken(builder *b, const char *name) {
    for (int i = 0; i < b->depth; i++)
        if (strcmp(b->binders[i], name) == 0) return true;
    for (uint32_t s = 0; s < b->g->n_syms; s++)
        if (strcmp(b->g->syms[s], name) == 0) return true;
    for (int q = 0; q < b->f->n_eqs; q++) {
        if (strcmp(b->f->eqs[q].output, name) == 0) return true;
        for (int i = 0; i < b->f->eqs[q].n_indices; i++)
            if (strcmp(b->f->eqs[q].indices[i], name) == 0) return true;
        if (name_used(b->f->eqs[q].rhs, name)) return true;
    }
    return false;
}

static const char *fresh_binder(builder *b) {
    static const char *const names[] = {"k", "s", "t", "u", "v", "w", "r", "q", "p", "m"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!taken(b, names[i])) return names[i];
    for (int n = 2;; n++) {
        char *s = arena_printf(b->a, "k%d", n);
        if (!taken(b, s)) return s;
    }
}

static fexpr *mk(builder *b, fexpr_kind kind, int n_args) {
    fexpr *e = arena_alloc(b->a, sizeof *e);
    e->kind = kind;
    e->n_args = n_args;
    if (n_args) e->args = arena_alloc(b->a, (size_t)n_args * sizeof *e->args);
    return e;
}

static fexpr *build(builder *b, eclass_id c) {
    if (--b->budget < 0) return NULL;
    const enode *n = extract_best(b->g, b->x, c);
    if (!n) return NULL;
    eop op = (eop)n->op;
    fexpr *e = NULL;
    switch (op) {
    case EOP_NUM:
        if (n->num < 0 || (n->num == 0 && signbit(n->num))) {   /* -3 prints and parses as -(3) */
            e = mk(b, FX_NEG, 1);
            e->args[0] = mk(b, FX_NUM, 0);
            e->args[0]->num = -n->num;
            return e;
        }
        e = mk(b, FX_NUM, 0);
        e->num = n->num;
        return e;
    case EOP_SYM:
        e = mk(b, FX_NAME, 0);
        e->name = arena_strdup(b->a, egraph_sym_name(b->g, n->sym));
        return e;
    case EOP_BVAR:
        if ((int)n->sym >= b->depth) return NULL;
        e = mk(b, FX_NAME, 0);
        e->name = b->binders[b->depth - 1 - (int)n->sym];
        return e;
    case EOP_ACCESS:
        e = mk(b, FX_ACCESS, n->n);
        e->name = arena_strdup(b->a, egraph_sym_name(b->g, n->sym));
        break;
    default:
        break;
    }
    switch (eop_kind(op)) {
    case EOC_BINARY:
        e = mk(b, FX_BINOP, 2);
        e->op = op == EOP_FLOORDIV ? FOP_FLOORDIV : eop_name(op)[0];
        break;
    case EOC_UNARY: e = mk(b, FX_NEG, 1); break;
    case EOC_CMP: {
        static const int cmps[] = {FC_LT, FC_LE, FC_GT, FC_GE, FC_EQ, FC_NE};
        e = mk(b, FX_CMP, 2);
        e->op = cmps[op - EOP_LT];
        break;
    }
    case EOC_LOGIC: e = mk(b, op == EOP_AND ? FX_AND : op == EOP_OR ? FX_OR : FX_NOT, n->n); break;
    case EOC_WHERE: e = mk(b, FX_WHERE, 3); break;
    case EOC_CALL:
        e = mk(b, FX_CALL, n->n);
        e->name = eop_name(op);
        break;
    case EOC_REDUCE: {
        e = mk(b, FX_REDUCE, 3);
        e->name = eop_name(op);
        if (!(e->args[0] = build(b, n->kids[0])) || !(e->args[1] = build(b, n->kids[1]))) return NULL;
        if (b->depth == BINDER_MAX_DEPTH) return NULL;
        e->var = fresh_binder(b);
        b->binders[b->depth++] = e->var;
        e->args[2] = build(b, n->kids[2]);
        b->depth--;
        return e->args[2] ? e : NULL;
    }
    case EOC_ACCESS: break;   /* made above */
    case EOC_LEAF: return NULL;
    }
    for (int k = 0; k < n->n; k++)
        if (!(e->args[k] = build(b, n->kids[k]))) return NULL;
    return e;
}

fexpr *convert_extract(arena *a, egraph *g, const extractor *x, eclass_id c, const formula *f) {
    builder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.g = g;
    b.x = x;
    b.f = f;
    b.budget = 100000;
    return build(&b, c);
}

static int expr_size(const fexpr *e) {
    if (!e) return 0;
    int n = 1;
    for (int i = 0; i < e->n_args; i++) n += expr_size(e->args[i]);
    return n;
}

int convert_formula_size(const formula *f) {
    int n = 0;
    for (int q = 0; f && q < f->n_eqs; q++) n += expr_size(f->eqs[q].rhs);
    return n;
}
