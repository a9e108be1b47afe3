/* smt: see smt.h. The only file that includes z3.h.
 *
 * Reference counting: the context is created with Z3_mk_context_rc; every AST we keep is
 * inc_ref'd once and recorded, and all are dec_ref'd when the context is freed (one
 * verification). Errors: a no-op error handler is installed and Z3_get_error_code is checked
 * after each query, so no error state lives outside the context. */
#include "verify/smt.h"
#include "util/child.h"
#include "util/timing.h"
#include "util/vec.h"
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <z3.h>

typedef struct ext { Z3_ast v, k; } ext;   /* k == NULL: finite */
typedef struct env { const Z3_ast *b; int n; } env;

typedef struct fn_entry {
    const char *name;      /* interned */
    int arity;
    vt_sort sort;
    Z3_func_decl decl;
    Z3_func_decl kind_decl;   /* result kind for maybe-infinite arguments / unspecified values */
} fn_entry;

typedef struct red_entry {
    int op;
    vt_id body;
    int n_loose;
    Z3_func_decl v, k;        /* k: for extended-real results */
} red_entry;

struct smt_ctx {
    vt_store *s;
    Z3_context z;
    unsigned timeout_ms;
    double deadline;          /* time_now() after which no query starts (0: none) */
    Z3_sort int_s, real_s, bool_s;
    VEC(Z3_ast) refs;
    Z3_ast *cache_v, *cache_k;
    uint8_t *cached;
    size_t cache_cap;
    VEC(fn_entry) fns;
    VEC(red_entry) reds;
    Z3_model model;
    Z3_solver sat_solver;     /* the last query, when a forked child answered SAT: the model is
                                 made in this process on first use (query isolation) */
    unsigned sat_timeout_ms;
    bool isolate_queries;
    smt_stats stats;
    int fresh;
    bool failed;              /* an unsupported term was met while translating */
    char why[256];
};

static void on_z3_error(Z3_context z, Z3_error_code e) { (void)z; (void)e; }

const char *smt_answer_name(smt_answer a) {
    static const char *n[] = {"unsat", "sat", "unknown", "error"};
    return n[a];
}

static Z3_ast keep(smt_ctx *c, Z3_ast a) {
    if (!a) return a;
    Z3_inc_ref(c->z, a);
    vec_push(&c->refs, a);
    return a;
}

smt_ctx *smt_new(vt_store *s, unsigned timeout_ms) {
    smt_ctx *c = xcalloc(1, sizeof *c);
    c->s = s;
    c->timeout_ms = timeout_ms;
    Z3_config cfg = Z3_mk_config();
    Z3_set_param_value(cfg, "model", "true");
    c->z = Z3_mk_context_rc(cfg);
    Z3_del_config(cfg);
    Z3_set_error_handler(c->z, on_z3_error);
    c->int_s = Z3_mk_int_sort(c->z);
    c->real_s = Z3_mk_real_sort(c->z);
    c->bool_s = Z3_mk_bool_sort(c->z);
    Z3_inc_ref(c->z, Z3_sort_to_ast(c->z, c->int_s));
    Z3_inc_ref(c->z, Z3_sort_to_ast(c->z, c->real_s));
    Z3_inc_ref(c->z, Z3_sort_to_ast(c->z, c->bool_s));
    return c;
}

void smt_free(smt_ctx *c) {
    if (!c) return;
    if (c->model) Z3_model_dec_ref(c->z, c->model);
    if (c->sat_solver) Z3_solver_dec_ref(c->z, c->sat_solver);
    for (size_t i = 0; i < c->refs.len; i++) Z3_dec_ref(c->z, c->refs.items[i]);
    for (size_t i = 0; i < c->fns.len; i++) {
        Z3_dec_ref(c->z, Z3_func_decl_to_ast(c->z, c->fns.items[i].decl));
        if (c->fns.items[i].kind_decl) Z3_dec_ref(c->z, Z3_func_decl_to_ast(c->z, c->fns.items[i].kind_decl));
    }
    for (size_t i = 0; i < c->reds.len; i++) {
        Z3_dec_ref(c->z, Z3_func_decl_to_ast(c->z, c->reds.items[i].v));
        if (c->reds.items[i].k) Z3_dec_ref(c->z, Z3_func_decl_to_ast(c->z, c->reds.items[i].k));
    }
    Z3_dec_ref(c->z, Z3_sort_to_ast(c->z, c->int_s));
    Z3_dec_ref(c->z, Z3_sort_to_ast(c->z, c->real_s));
    Z3_dec_ref(c->z, Z3_sort_to_ast(c->z, c->bool_s));
    vec_free(&c->refs);
    vec_free(&c->fns);
    vec_free(&c->reds);
    free(c->cache_v);
    free(c->cache_k);
    free(c->cached);
    Z3_del_context(c->z);
    free(c);
}

void smt_set_timeout(smt_ctx *c, unsigned timeout_ms) { c->timeout_ms = timeout_ms; }
void smt_set_deadline(smt_ctx *c, double deadline) { c->deadline = deadline; }
void smt_set_query_isolation(smt_ctx *c, bool on) { c->isolate_queries = on; }
smt_stats smt_get_stats(const smt_ctx *c) { return c->stats; }

const char *smt_z3_version(char *buf, int size) {
    unsigned a, b, cc, d;
    Z3_get_version(&a, &b, &cc, &d);
    snprintf(buf, (size_t)size, "%u.%u.%u", a, b, cc);
    return buf;
}

/* ---- small builders ---- */

static Z3_ast I(smt_ctx *c, int64_t v) { return keep(c, Z3_mk_int64(c->z, v, c->int_s)); }
static Z3_ast RZ(smt_ctx *c) { return keep(c, Z3_mk_int(c->z, 0, c->real_s)); }
static Z3_ast T(smt_ctx *c) { return keep(c, Z3_mk_true(c->z)); }
static Z3_ast F(smt_ctx *c) { return keep(c, Z3_mk_false(c->z)); }
static Z3_ast ITE(smt_ctx *c, Z3_ast a, Z3_ast b, Z3_ast d) { return keep(c, Z3_mk_ite(c->z, a, b, d)); }
static Z3_ast EQ(smt_ctx *c, Z3_ast a, Z3_ast b) { return keep(c, Z3_mk_eq(c->z, a, b)); }
static Z3_ast NOT(smt_ctx *c, Z3_ast a) { return keep(c, Z3_mk_not(c->z, a)); }
static Z3_ast LT(smt_ctx *c, Z3_ast a, Z3_ast b) { return keep(c, Z3_mk_lt(c->z, a, b)); }
static Z3_ast LE(smt_ctx *c, Z3_ast a, Z3_ast b) { return keep(c, Z3_mk_le(c->z, a, b)); }
static Z3_ast AND2(smt_ctx *c, Z3_ast a, Z3_ast b) { Z3_ast v[2] = {a, b}; return keep(c, Z3_mk_and(c->z, 2, v)); }
static Z3_ast OR2(smt_ctx *c, Z3_ast a, Z3_ast b) { Z3_ast v[2] = {a, b}; return keep(c, Z3_mk_or(c->z, 2, v)); }
static Z3_ast ADD2(smt_ctx *c, Z3_ast a, Z3_ast b) { Z3_ast v[2] = {a, b}; return keep(c, Z3_mk_add(c->z, 2, v)); }
static Z3_ast SUB2(smt_ctx *c, Z3_ast a, Z3_ast b) { Z3_ast v[2] = {a, b}; return keep(c, Z3_mk_sub(c->z, 2, v)); }
static Z3_ast MUL2(smt_ctx *c, Z3_ast a, Z3_ast b) { Z3_ast v[2] = {a, b}; return keep(c, Z3_mk_mul(c->z, 2, v)); }
static Z3_ast KEQ(smt_ctx *c, Z3_ast k, int v) { return EQ(c, k, I(c, v)); }

static void fail(smt_ctx *c, const char *why) {
    if (!c->failed) snprintf(c->why, sizeof c->why, "%s", why);
    c->failed = true;
}

/* ---- extended reals ---- */

static Z3_ast kind_of(smt_ctx *c, ext a) { return a.k ? a.k : I(c, 0); }
static Z3_ast is_fin(smt_ctx *c, ext a) { return a.k ? KEQ(c, a.k, 0) : T(c); }
static Z3_ast is_nan(smt_ctx *c, ext a) { return a.k ? KEQ(c, a.k, 2) : F(c); }
static ext fin(Z3_ast v) { return (ext){v, NULL}; }
/* An unconstrained kind (an uninterpreted function's) read as one of the four: an integer
 * outside -1..2 would be a value below -inf or above +inf (the order compares kinds), which
 * gave models no execution has. Out-of-range reads as NaN; every kind function is still
 * reachable, so nothing is lost. */
static Z3_ast valid_kind(smt_ctx *c, Z3_ast k) { return ITE(c, AND2(c, LE(c, I(c, -1), k), LE(c, k, I(c, 2))), k, I(c, 2)); }

static Z3_ast sgn(smt_ctx *c, Z3_ast v) {
    return ITE(c, LT(c, RZ(c), v), I(c, 1), ITE(c, LT(c, v, RZ(c)), I(c, -1), I(c, 0)));
}
/* the sign of an extended value (NaN: 0) */
static Z3_ast ext_sign(smt_ctx *c, ext a) {
    if (!a.k) return sgn(c, a.v);
    return ITE(c, KEQ(c, a.k, 0), sgn(c, a.v), ITE(c, KEQ(c, a.k, 2), I(c, 0), a.k));
}

static ext ext_add(smt_ctx *c, ext a, ext b) {
    Z3_ast v = ADD2(c, a.v, b.v);
    if (!a.k && !b.k) return fin(v);
    Z3_ast ka = kind_of(c, a), kb = kind_of(c, b);
    Z3_ast opposite = EQ(c, MUL2(c, ka, kb), I(c, -1));
    Z3_ast nan = OR2(c, OR2(c, is_nan(c, a), is_nan(c, b)), opposite);
    Z3_ast k = ITE(c, nan, I(c, 2), ITE(c, KEQ(c, ka, 0), kb, ka));
    return (ext){v, k};
}

static ext ext_mul(smt_ctx *c, ext a, ext b) {
    Z3_ast v = MUL2(c, a.v, b.v);
    if (!a.k && !b.k) return fin(v);
    Z3_ast inf_a = AND2(c, NOT(c, is_fin(c, a)), NOT(c, is_nan(c, a)));
    Z3_ast inf_b = AND2(c, NOT(c, is_fin(c, b)), NOT(c, is_nan(c, b)));
    Z3_ast sa = ext_sign(c, a), sb = ext_sign(c, b);
    Z3_ast zero_times_inf = OR2(c, AND2(c, inf_a, KEQ(c, sb, 0)), AND2(c, inf_b, KEQ(c, sa, 0)));
    Z3_ast nan = OR2(c, OR2(c, is_nan(c, a), is_nan(c, b)), zero_times_inf);
    Z3_ast k = ITE(c, nan, I(c, 2), ITE(c, OR2(c, inf_a, inf_b), MUL2(c, sa, sb), I(c, 0)));
    return (ext){v, k};
}

static ext ext_div(smt_ctx *c, ext a, ext b) {
    Z3_ast v = keep(c, Z3_mk_div(c->z, a.v, b.v));
    if (!a.k && !b.k) return fin(v);
    Z3_ast inf_a = AND2(c, NOT(c, is_fin(c, a)), NOT(c, is_nan(c, a)));
    Z3_ast inf_b = AND2(c, NOT(c, is_fin(c, b)), NOT(c, is_nan(c, b)));
    Z3_ast sb = ext_sign(c, b);
    /* inf/inf, NaN, inf/0 -> NaN; inf/x -> signed inf; x/inf -> 0 */
    Z3_ast nan = OR2(c, OR2(c, is_nan(c, a), is_nan(c, b)), OR2(c, AND2(c, inf_a, inf_b), AND2(c, inf_a, KEQ(c, sb, 0))));
    Z3_ast k = ITE(c, nan, I(c, 2), ITE(c, inf_a, MUL2(c, ext_sign(c, a), sb), I(c, 0)));
    Z3_ast val = ITE(c, inf_b, RZ(c), v);
    return (ext){val, k};
}

/* rank in the extended order for non-NaN values: -1, 0 (finite), 1 */
static Z3_ast ext_rank(smt_ctx *c, ext a) { return a.k ? ITE(c, KEQ(c, a.k, 0), I(c, 0), a.k) : I(c, 0); }

static Z3_ast ext_cmp(smt_ctx *c, vt_kind kind, ext a, ext b) {
    Z3_ast fv = kind == VK_LT ? LT(c, a.v, b.v) : kind == VK_LE ? LE(c, a.v, b.v) : EQ(c, a.v, b.v);
    if (!a.k && !b.k) return fv;
    Z3_ast ra = ext_rank(c, a), rb = ext_rank(c, b);
    Z3_ast both_fin = AND2(c, is_fin(c, a), is_fin(c, b));
    Z3_ast rk = kind == VK_LT ? LT(c, ra, rb) : kind == VK_LE ? LE(c, ra, rb) : EQ(c, ra, rb);
    Z3_ast nan = OR2(c, is_nan(c, a), is_nan(c, b));
    return ITE(c, nan, F(c), ITE(c, both_fin, fv, rk));
}

static ext ext_ite(smt_ctx *c, Z3_ast cond, ext a, ext b) {
    Z3_ast v = ITE(c, cond, a.v, b.v);
    if (!a.k && !b.k) return fin(v);
    return (ext){v, ITE(c, cond, kind_of(c, a), kind_of(c, b))};
}

/* the interpreter's max/min: a > b ? a : b, a < b ? a : b */
static ext ext_minmax(smt_ctx *c, bool is_max, ext a, ext b) {
    Z3_ast take_a = is_max ? ext_cmp(c, VK_LT, b, a) : ext_cmp(c, VK_LT, a, b);
    return ext_ite(c, take_a, a, b);
}

/* ---- declarations ---- */

static Z3_sort sort_of(smt_ctx *c, vt_sort s) { return s == VS_BOOL ? c->bool_s : s == VS_INT ? c->int_s : c->real_s; }

static fn_entry *get_fn(smt_ctx *c, const char *name, vt_sort sort, int n, const vt_id *args) {
    for (size_t i = 0; i < c->fns.len; i++)
        if (c->fns.items[i].name == name && c->fns.items[i].arity == n && c->fns.items[i].sort == sort) return &c->fns.items[i];
    Z3_sort dom[16], kdom[32];
    if (n > 16) { fail(c, "function of more than 16 arguments"); return NULL; }
    for (int i = 0; i < n; i++) {
        dom[i] = sort_of(c, vt_sort_of(c->s, args[i]));
        kdom[i] = dom[i];
        kdom[n + i] = c->int_s;
    }
    fn_entry e = {0};
    e.name = name;
    e.arity = n;
    e.sort = sort;
    e.decl = Z3_mk_func_decl(c->z, Z3_mk_string_symbol(c->z, name), (unsigned)n, dom, sort_of(c, sort));
    Z3_inc_ref(c->z, Z3_func_decl_to_ast(c->z, e.decl));
    if (sort == VS_REAL) {
        char kname[300];
        snprintf(kname, sizeof kname, "%s#kind", name);
        e.kind_decl = Z3_mk_func_decl(c->z, Z3_mk_string_symbol(c->z, kname), (unsigned)(2 * n), kdom, c->int_s);
        Z3_inc_ref(c->z, Z3_func_decl_to_ast(c->z, e.kind_decl));
    }
    vec_push(&c->fns, e);
    return &c->fns.items[c->fns.len - 1];
}

static ext tr(smt_ctx *c, vt_id t, const env *e);

static Z3_ast tr_plain(smt_ctx *c, vt_id t, const env *e) {
    ext r = tr(c, t, e);
    return r.v;
}

/* A Bool or Int term, or a Real one known finite. */
static Z3_ast trb(smt_ctx *c, vt_id t, const env *e) { return tr(c, t, e).v; }

static ext tr_app(smt_ctx *c, const vt_node *k, const env *e) {
    int n = k->n;
    ext a[16];
    if (n > 16) { fail(c, "function of more than 16 arguments"); return fin(I(c, 0)); }
    bool any_inf = false;
    for (int i = 0; i < n; i++) {
        a[i] = tr(c, k->args[i], e);
        if (a[i].k) any_inf = true;
    }
    if (n == 2 && strcmp(k->name, VT_SAME) == 0) return fin(OR2(c, AND2(c, is_nan(c, a[0]), is_nan(c, a[1])), ext_cmp(c, VK_EQ, a[0], a[1])));
    fn_entry *f = get_fn(c, k->name, k->sort, n, k->args);
    if (!f) return fin(I(c, 0));
    Z3_ast av[16], kv[32];
    for (int i = 0; i < n; i++) { av[i] = a[i].v; kv[i] = a[i].v; kv[n + i] = kind_of(c, a[i]); }
    Z3_ast v = keep(c, Z3_mk_app(c->z, f->decl, (unsigned)n, av));
    if (k->sort != VS_REAL) return fin(v);
    bool is_exp = strcmp(k->name, "exp") == 0 && n == 1;
    bool is_undef = strncmp(k->name, "undef", 5) == 0;
    bool is_mem = strncmp(k->name, "mem:", 4) == 0;
    if (is_mem || (!any_inf && !is_undef)) return fin(v);
    Z3_ast free_kind = valid_kind(c, keep(c, Z3_mk_app(c->z, f->kind_decl, (unsigned)(2 * n), kv)));
    if (is_undef) return (ext){v, free_kind};
    if (is_exp) {
        /* exp(-inf) = 0, exp(+inf) = +inf, exp(NaN) = NaN */
        Z3_ast k0 = a[0].k;
        Z3_ast val = ITE(c, KEQ(c, k0, 0), v, RZ(c));
        Z3_ast kind = ITE(c, KEQ(c, k0, 0), I(c, 0), ITE(c, KEQ(c, k0, -1), I(c, 0), ITE(c, KEQ(c, k0, 1), I(c, 1), I(c, 2))));
        return (ext){val, kind};
    }
    /* other functions of a non-finite argument: an unconstrained extended value */
    Z3_ast all_fin = T(c);
    for (int i = 0; i < n; i++) all_fin = AND2(c, all_fin, is_fin(c, a[i]));
    return (ext){v, ITE(c, all_fin, I(c, 0), free_kind)};
}

static Z3_ast floor_div(smt_ctx *c, Z3_ast a, Z3_ast b, bool b_positive) {
    if (b_positive) return keep(c, Z3_mk_div(c->z, a, b));
    Z3_ast na = keep(c, Z3_mk_unary_minus(c->z, a)), nb = keep(c, Z3_mk_unary_minus(c->z, b));
    return ITE(c, LE(c, I(c, 0), b), keep(c, Z3_mk_div(c->z, a, b)), keep(c, Z3_mk_div(c->z, na, nb)));
}

static Z3_ast trunc_div(smt_ctx *c, Z3_ast a, Z3_ast b) {
    Z3_ast q = floor_div(c, a, b, false);
    /* floor and truncation differ when the signs differ and the division is inexact */
    Z3_ast exact = EQ(c, MUL2(c, q, b), a);
    Z3_ast neg = keep(c, Z3_mk_xor(c->z, LT(c, a, I(c, 0)), LT(c, b, I(c, 0))));
    return ITE(c, AND2(c, neg, NOT(c, exact)), ADD2(c, q, I(c, 1)), q);
}

static bool positive_const(smt_ctx *c, vt_id t) {
    int64_t v;
    return vt_is_const(c->s, t, &v) && v > 0;
}

static ext tr_red(smt_ctx *c, vt_id t, const env *e);

static ext tr_node(smt_ctx *c, vt_id t, const env *e) {
    vt_store *s = c->s;
    const vt_node *k = vt_get(s, t);
    switch (k->kind) {
    case VK_BOOLC: return fin(k->ival ? T(c) : F(c));
    case VK_INTC: return fin(I(c, k->ival));
    case VK_REALC: {
        char buf[64];
        snprintf(buf, sizeof buf, "%lld/%lld", (long long)k->q.num, (long long)k->q.den);
        return fin(keep(c, Z3_mk_numeral(c->z, buf, c->real_s)));
    }
    case VK_INF: return (ext){RZ(c), I(c, k->ival < 0 ? -1 : 1)};
    case VK_VAR: return fin(keep(c, Z3_mk_const(c->z, Z3_mk_string_symbol(c->z, k->name), sort_of(c, k->sort))));
    case VK_BVAR:
        if (k->ival >= e->n) { fail(c, "loose bound variable"); return fin(I(c, 0)); }
        return fin(e->b[k->ival]);
    case VK_ADD: case VK_MUL: {
        ext acc = tr(c, k->args[0], e);
        for (int i = 1; i < k->n; i++) {
            ext b = tr(c, vt_get(s, t)->args[i], e);
            acc = vt_get(s, t)->kind == VK_ADD ? ext_add(c, acc, b) : ext_mul(c, acc, b);
        }
        return acc;
    }
    case VK_DIV: {
        ext a = tr(c, k->args[0], e), b = tr(c, vt_get(s, t)->args[1], e);
        return ext_div(c, a, b);
    }
    case VK_FDIV: case VK_FMOD: case VK_TDIV: case VK_TMOD: {
        vt_id ai = k->args[0], bi = k->args[1];
        vt_kind kk = k->kind;
        Z3_ast a = trb(c, ai, e), b = trb(c, bi, e);
        if (kk == VK_TDIV || kk == VK_TMOD) {
            Z3_ast q = trunc_div(c, a, b);
            return fin(kk == VK_TDIV ? q : SUB2(c, a, MUL2(c, b, q)));
        }
        if (kk == VK_FMOD && positive_const(c, bi)) return fin(keep(c, Z3_mk_mod(c->z, a, b)));
        Z3_ast q = floor_div(c, a, b, positive_const(c, bi));
        return fin(kk == VK_FDIV ? q : SUB2(c, a, MUL2(c, b, q)));
    }
    case VK_MAX: case VK_MIN: {
        bool is_max = k->kind == VK_MAX;
        ext a = tr(c, k->args[0], e), b = tr(c, vt_get(s, t)->args[1], e);
        return ext_minmax(c, is_max, a, b);
    }
    case VK_ITE: {
        Z3_ast cond = trb(c, k->args[0], e);
        ext a = tr(c, vt_get(s, t)->args[1], e), b = tr(c, vt_get(s, t)->args[2], e);
        return ext_ite(c, cond, a, b);
    }
    case VK_LT: case VK_LE: case VK_EQ: {
        vt_kind kk = k->kind;
        ext a = tr(c, k->args[0], e), b = tr(c, vt_get(s, t)->args[1], e);
        return fin(ext_cmp(c, kk, a, b));
    }
    case VK_AND: case VK_OR: {
        int n = k->n;
        bool is_and = k->kind == VK_AND;
        Z3_ast *v = xcalloc((size_t)n, sizeof *v);
        for (int i = 0; i < n; i++) v[i] = trb(c, vt_get(s, t)->args[i], e);
        Z3_ast r = keep(c, is_and ? Z3_mk_and(c->z, (unsigned)n, v) : Z3_mk_or(c->z, (unsigned)n, v));
        free(v);
        return fin(r);
    }
    case VK_NOT: return fin(NOT(c, trb(c, k->args[0], e)));
    case VK_TOREAL: return fin(keep(c, Z3_mk_int2real(c->z, trb(c, k->args[0], e))));
    case VK_TOINT: {
        Z3_ast v = tr_plain(c, k->args[0], e);
        Z3_ast fl = keep(c, Z3_mk_real2int(c->z, v));
        Z3_ast ce = keep(c, Z3_mk_unary_minus(c->z, keep(c, Z3_mk_real2int(c->z, keep(c, Z3_mk_unary_minus(c->z, v))))));
        return fin(ITE(c, LE(c, RZ(c), v), fl, ce));
    }
    case VK_APP: return tr_app(c, k, e);
    case VK_RED: return tr_red(c, t, e);
    }
    fail(c, "unknown term kind");
    return fin(I(c, 0));
}

static void ensure_cache(smt_ctx *c, vt_id t) {
    if (t < c->cache_cap) return;
    size_t cap = c->cache_cap ? c->cache_cap : 1024;
    while (cap <= t) cap *= 2;
    c->cache_v = xrealloc(c->cache_v, cap * sizeof *c->cache_v);
    c->cache_k = xrealloc(c->cache_k, cap * sizeof *c->cache_k);
    c->cached = xrealloc(c->cached, cap);
    memset(c->cached + c->cache_cap, 0, cap - c->cache_cap);
    c->cache_cap = cap;
}

static ext tr(smt_ctx *c, vt_id t, const env *e) {
    const vt_node *k = vt_get(c->s, t);
    if (k->depth == 0) {
        ensure_cache(c, t);
        if (c->cached[t]) return (ext){c->cache_v[t], c->cache_k[t]};
    }
    ext r = tr_node(c, t, e);
    if (vt_get(c->s, t)->depth == 0) {
        ensure_cache(c, t);
        c->cached[t] = 1;
        c->cache_v[t] = r.v;
        c->cache_k[t] = r.k;
    }
    return r;
}

/* ---- reductions as recursive functions ---- */

static ext red_identity(smt_ctx *c, int op, vt_sort sort) {
    if (sort == VS_INT) return fin(I(c, op == VR_PROD ? 1 : 0));
    switch (op) {
    case VR_SUM: return fin(RZ(c));
    case VR_PROD: return fin(keep(c, Z3_mk_int(c->z, 1, c->real_s)));
    case VR_MAX: return (ext){RZ(c), I(c, -1)};
    case VR_MIN: return (ext){RZ(c), I(c, 1)};
    }
    return fin(I(c, 0));
}

/* The encoding of a reduction red(k in lo..hi: body) by (op, body):
 *   finite body, sum / prod:    f(lo, hi) = hi <= lo ? id : f(lo, hi - 1) op body(hi - 1)
 *   finite body, max / min:     an uninterpreted value, with kind hi <= lo ? -inf / +inf : finite
 *   argmax / argmin:            an uninterpreted index
 *   maybe-infinite body:        an uninterpreted value and kind (the identity when empty)
 * What is known about the uninterpreted ones are instances of their recursive definition
 * (axioms.c R1-R3: empty range, one element, peeling the last element) and the lemmas. z3
 * 4.8's recursive-function solver looped past its timeout, and past Z3_interrupt, on the case
 * splits of max and argmax definitions, and on definitions over extended values. */
static red_entry *get_red(smt_ctx *c, int op, vt_id body, vt_sort sort) {
    for (size_t i = 0; i < c->reds.len; i++)
        if (c->reds.items[i].op == op && c->reds.items[i].body == body) return &c->reds.items[i];
    vt_store *s = c->s;
    const vt_node *bn = vt_get(s, body);
    int n_loose = bn->depth > 1 ? (int)bn->depth - 1 : 0;
    bool is_arg = op == VR_ARGMAX || op == VR_ARGMIN;
    /* z3 4.8's recursive-function solver can loop past its timeout (and past Z3_interrupt) on the
     * case splits of max/argmax definitions: those are uninterpreted, with instances of their
     * definition added as facts (axioms.c R1-R3) */
    bool uninterpreted = (sort == VS_REAL && bn->maybe_inf) || op == VR_MAX || op == VR_MIN || is_arg;
    int n = 2 + n_loose;
    if (n > 32) { fail(c, "reduction nested too deeply"); return NULL; }
    Z3_sort dom[32];
    for (int i = 0; i < n; i++) dom[i] = c->int_s;
    int id = c->fresh++;
    char name[64];
    red_entry r = {op, body, n_loose, NULL, NULL};
    snprintf(name, sizeof name, "%s!%d", vt_red_op_name((vt_red_op)op), id);
    Z3_sort range = is_arg ? c->int_s : sort_of(c, sort);
    if (uninterpreted) {
        r.v = Z3_mk_func_decl(c->z, Z3_mk_string_symbol(c->z, name), (unsigned)n, dom, range);
        Z3_inc_ref(c->z, Z3_func_decl_to_ast(c->z, r.v));
        if (sort == VS_REAL && bn->maybe_inf && !is_arg) {
            snprintf(name, sizeof name, "%s!%d#kind", vt_red_op_name((vt_red_op)op), id);
            r.k = Z3_mk_func_decl(c->z, Z3_mk_string_symbol(c->z, name), (unsigned)n, dom, c->int_s);
            Z3_inc_ref(c->z, Z3_func_decl_to_ast(c->z, r.k));
        }
        vec_push(&c->reds, r);
        return &c->reds.items[c->reds.len - 1];
    }
    r.v = Z3_mk_rec_func_decl(c->z, Z3_mk_string_symbol(c->z, name), (unsigned)n, dom, range);
    Z3_inc_ref(c->z, Z3_func_decl_to_ast(c->z, r.v));
    vec_push(&c->reds, r);
    size_t index = c->reds.len - 1;
    Z3_ast params[32];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "p!%d!%d", id, i);
        params[i] = keep(c, Z3_mk_const(c->z, Z3_mk_string_symbol(c->z, name), c->int_s));
    }
    Z3_ast lo = params[0], hi = params[1];
    Z3_ast last = SUB2(c, hi, I(c, 1));
    Z3_ast prev_args[32];
    memcpy(prev_args, params, (size_t)n * sizeof *params);
    prev_args[1] = last;
    Z3_ast benv[33];
    for (int j = 0; j < n_loose; j++) benv[1 + j] = params[2 + j];
    env be = {benv, 1 + n_loose};
    Z3_ast prev = keep(c, Z3_mk_app(c->z, r.v, (unsigned)n, prev_args));
    Z3_ast def;
    if (is_arg) {
        benv[0] = last;
        Z3_ast at_last = tr(c, body, &be).v;
        benv[0] = prev;
        Z3_ast at_prev = tr(c, body, &be).v;
        Z3_ast better = op == VR_ARGMAX ? LT(c, at_prev, at_last) : LT(c, at_last, at_prev);
        def = ITE(c, LE(c, SUB2(c, hi, lo), I(c, 1)), lo, ITE(c, better, last, prev));
    } else if (op == VR_MAX || op == VR_MIN) {
        benv[0] = last;
        Z3_ast cur = tr(c, body, &be).v;
        benv[0] = lo;
        Z3_ast first = tr(c, body, &be).v;
        /* the interpreter's fold: acc = x > acc ? x : acc (max), x < acc ? x : acc (min) */
        Z3_ast take = op == VR_MAX ? LT(c, prev, cur) : LT(c, cur, prev);
        def = ITE(c, LE(c, hi, ADD2(c, lo, I(c, 1))), first, ITE(c, take, cur, prev));
    } else {
        benv[0] = last;
        Z3_ast cur = tr(c, body, &be).v;
        Z3_ast comb = op == VR_SUM ? ADD2(c, prev, cur) : MUL2(c, prev, cur);
        Z3_ast ident = sort == VS_INT ? I(c, op == VR_PROD ? 1 : 0) : (op == VR_PROD ? keep(c, Z3_mk_int(c->z, 1, c->real_s)) : RZ(c));
        def = ITE(c, LE(c, hi, lo), ident, comb);
    }
    Z3_add_rec_def(c->z, c->reds.items[index].v, (unsigned)n, params, def);
    return &c->reds.items[index];
}

static ext tr_red(smt_ctx *c, vt_id t, const env *e) {
    vt_store *s = c->s;
    const vt_node *k = vt_get(s, t);
    int op = k->op;
    vt_id lo = k->args[0], hi = k->args[1], body = k->args[2];
    vt_sort sort = vt_sort_of(s, body);
    red_entry *r = get_red(c, op, body, sort);
    if (!r) return fin(I(c, 0));
    int n = 2 + r->n_loose;
    Z3_ast args[32];
    args[0] = trb(c, lo, e);
    args[1] = trb(c, hi, e);
    for (int j = 0; j < r->n_loose; j++) {
        if (j >= e->n) { fail(c, "loose bound variable in a reduction"); return fin(I(c, 0)); }
        args[2 + j] = e->b[j];
    }
    r = get_red(c, op, body, sort);   /* the vector may have grown */
    Z3_ast v = keep(c, Z3_mk_app(c->z, r->v, (unsigned)n, args));
    Z3_ast empty = LE(c, args[1], args[0]);
    if (op == VR_ARGMAX || op == VR_ARGMIN || sort != VS_REAL) return fin(v);
    if (r->k) {
        /* uninterpreted: the identity when empty */
        ext id = red_identity(c, op, sort);
        Z3_ast kind = valid_kind(c, keep(c, Z3_mk_app(c->z, r->k, (unsigned)n, args)));
        return (ext){ITE(c, empty, id.v, v), ITE(c, empty, kind_of(c, id), kind)};
    }
    if (k->ival == 1) return fin(v);   /* proved nonempty (vt_red_nonempty) */
    if (op == VR_MAX || op == VR_MIN) return (ext){v, ITE(c, empty, I(c, op == VR_MAX ? -1 : 1), I(c, 0))};
    return fin(v);
}

/* ---- queries ---- */

/* Every check with a timeout has a watchdog thread that interrupts the context when the query
 * has used its time (z3's own `timeout` parameter is not used: see smt_check). The time is the
 * CPU time of the thread running z3, not wall-clock time, so that a query gets the same work on
 * a loaded machine as on an idle one (a 1 s side query on two busy cores used to get half a
 * second of z3 and answer unknown where the idle machine proved it); a wall-clock bound of a few
 * times the limit (and the verification's deadline) still stops a query that is not scheduled at
 * all. The watchdog's state lives on the caller's stack. */
typedef struct watchdog {
    pthread_mutex_t lock;
    pthread_cond_t done_cv;
    bool done;
    bool fired;
    Z3_context z;
    clockid_t cpu_clock;      /* the z3 thread's CPU clock */
    bool have_cpu_clock;
    double cpu_start, cpu_budget;
    struct timespec wall_deadline;
} watchdog;

static double clock_seconds(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* CLOCK_REALTIME `seconds` from now (pthread_cond_timedwait's clock). */
static struct timespec realtime_after(double seconds) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    time_t whole = (time_t)seconds;
    t.tv_sec += whole;
    t.tv_nsec += (long)((seconds - (double)whole) * 1e9);
    if (t.tv_nsec >= 1000000000L) { t.tv_sec++; t.tv_nsec -= 1000000000L; }
    return t;
}

static bool timespec_before(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *watchdog_main(void *arg) {
    watchdog *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->done) {
        /* wake every 10 ms (or at the wall deadline) to look at the CPU clock */
        struct timespec next = realtime_after(0.010);
        bool wall_last = !w->have_cpu_clock || timespec_before(&w->wall_deadline, &next);
        int rc = pthread_cond_timedwait(&w->done_cv, &w->lock, wall_last ? &w->wall_deadline : &next);
        if (w->done) break;
        bool out_of_cpu = w->have_cpu_clock && clock_seconds(w->cpu_clock) - w->cpu_start >= w->cpu_budget;
        if ((rc == ETIMEDOUT && wall_last) || out_of_cpu) {
            w->fired = true;
            Z3_interrupt(w->z);
            break;
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* Runs the check in this thread, interrupted by a watchdog after cpu_s of the thread's CPU time
 * or wall_s of wall-clock time (cpu_s == 0: no limit). */
static Z3_lbool check_in_process(smt_ctx *c, Z3_solver sol, double cpu_s, double wall_s) {
    watchdog w;
    pthread_t th;
    bool have_watchdog = false;
    if (cpu_s > 0) {
        memset(&w, 0, sizeof w);
        pthread_mutex_init(&w.lock, NULL);
        pthread_cond_init(&w.done_cv, NULL);
        w.z = c->z;
        w.cpu_budget = cpu_s;
        w.have_cpu_clock = pthread_getcpuclockid(pthread_self(), &w.cpu_clock) == 0;
        if (w.have_cpu_clock) w.cpu_start = clock_seconds(w.cpu_clock);
        w.wall_deadline = realtime_after(w.have_cpu_clock ? wall_s : cpu_s);
        have_watchdog = pthread_create(&th, NULL, watchdog_main, &w) == 0;
    }
    Z3_lbool r = Z3_solver_check(c->z, sol);
    if (have_watchdog) {
        pthread_mutex_lock(&w.lock);
        w.done = true;
        pthread_cond_signal(&w.done_cv);
        pthread_mutex_unlock(&w.lock);
        pthread_join(th, NULL);
        pthread_cond_destroy(&w.done_cv);
        pthread_mutex_destroy(&w.lock);
    }
    return r;
}

/* What a query's child process sends back. */
typedef struct child_answer {
    int lbool;             /* Z3_lbool */
    int z3_error;          /* 0: none */
    char reason[200];      /* z3's error message or reason for unknown */
} child_answer;

/* Query isolation: z3 4.8 does not always stop at Z3_interrupt (some rewriting, nlsat and
 * recursive-function loops never poll it; a query once ran 25 s past a 3 s limit). A process
 * can be killed where a thread cannot, so the check runs in a forked child (util/child.h) that
 * is killed when it has used cpu_s of CPU time or wall_s of wall-clock time; the rest of the
 * verification goes on with UNKNOWN for that query. Only the answer comes back; a model is made
 * again in this process when it is asked for (smt_model_*). Fork is only safe while no other
 * thread of this process is inside z3 or holds a lock, which is why the verifier turns
 * isolation on only in its own single-threaded prover process (isolate.c).
 *
 * Fault injection for the tests: VLIFT_FAULT_SMT=hang makes the child spin without answering. */
typedef struct query_call { smt_ctx *c; Z3_solver sol; } query_call;

static void query_in_child(void *arg, void *answer) {
    const query_call *q = arg;
    child_answer *a = answer;
    Z3_lbool r = Z3_solver_check(q->c->z, q->sol);
    a->lbool = (int)r;
    Z3_error_code ec = Z3_get_error_code(q->c->z);
    if (ec != Z3_OK) {
        a->z3_error = 1;
        snprintf(a->reason, sizeof a->reason, "%s", Z3_get_error_msg(q->c->z, ec));
    } else if (r == Z3_L_UNDEF) {
        snprintf(a->reason, sizeof a->reason, "%s", Z3_solver_get_reason_unknown(q->c->z, q->sol));
    }
}

static child_outcome check_in_child(smt_ctx *c, Z3_solver sol, double cpu_s, double wall_s, child_answer *out) {
    query_call q = {c, sol};
    child_limits limits = {wall_s, cpu_s, "VLIFT_FAULT_SMT"};
    int status;
    child_outcome how = child_run(query_in_child, &q, out, sizeof *out, &limits, &status);
    if (how == CHILD_FAILED) {
        char end[120];
        child_describe_end(status, "an answer", end, sizeof end);
        out->lbool = (int)Z3_L_UNDEF;
        out->z3_error = 1;
        snprintf(out->reason, sizeof out->reason, "the query's process %s", end);
        how = CHILD_ANSWERED;
    }
    return how;
}

static void drop_model(smt_ctx *c) {
    if (c->model) { Z3_model_dec_ref(c->z, c->model); c->model = NULL; }
    if (c->sat_solver) { Z3_solver_dec_ref(c->z, c->sat_solver); c->sat_solver = NULL; }
}

static void take_model(smt_ctx *c, Z3_solver sol) {
    c->model = Z3_solver_get_model(c->z, sol);
    if (c->model) Z3_model_inc_ref(c->z, c->model);
    if (c->model && getenv("VLIFT_SMT_DUMP")) fprintf(stderr, "---- model\n%s\n", Z3_model_to_string(c->z, c->model));
}

smt_answer smt_check(smt_ctx *c, int n_hyps, const vt_id *hyps, vt_id goal, char *reason, int reason_size) {
    double t0 = time_now();
    /* a query never runs past the verification's deadline */
    unsigned timeout_ms = c->timeout_ms;
    if (c->deadline > 0) {
        double left_ms = (c->deadline - t0) * 1000;
        if (left_ms < 1) {
            if (reason) snprintf(reason, (size_t)reason_size, "verification time limit reached");
            return SMT_UNKNOWN;
        }
        if (!timeout_ms || left_ms < timeout_ms) timeout_ms = (unsigned)left_ms;
    }
    c->stats.queries++;
    drop_model(c);
    c->failed = false;
    env e0 = {NULL, 0};
    Z3_solver sol = Z3_mk_solver(c->z);
    Z3_solver_inc_ref(c->z, sol);
    Z3_params p = Z3_mk_params(c->z);
    Z3_params_inc_ref(c->z, p);
    /* no z3 `timeout` parameter: z3 4.8.10-4.8.12's scoped_timer (which implements it) can
     * deadlock when it expires (Z3Prover/z3 PR #5371); the watchdog or the query's process
     * limits are the only timers */
    Z3_solver_set_params(c->z, sol, p);
    for (int i = 0; i < n_hyps; i++) Z3_solver_assert(c->z, sol, trb(c, hyps[i], &e0));
    Z3_solver_assert(c->z, sol, NOT(c, trb(c, goal, &e0)));
    smt_answer ans;
    if (c->failed) {
        ans = SMT_ERROR;
        if (reason) snprintf(reason, (size_t)reason_size, "cannot encode: %s", c->why);
    } else {
        /* the time is CPU time (see watchdog); wall-clock time is bounded by 4x that, never past
         * the verification's deadline */
        double cpu_s = timeout_ms / 1000.0;
        double wall_s = 4.0 * cpu_s;
        if (c->deadline > 0 && c->deadline - t0 < wall_s) wall_s = c->deadline - t0;
        if (getenv("VLIFT_SMT_DUMP")) fprintf(stderr, "---- query\n%s\n", Z3_solver_to_string(c->z, sol));
        child_answer got;
        /* isolation costs a fork and a cold copy of z3's state per query (cumsum's 129 small
         * queries: 1.9 s -> 4.4 s; mm: 52 s -> 57 s). Running the first quarter second in this
         * process and only the rest in a child was cheaper but did not help: softmax's hanging
         * query entered its loop inside the first slice. */
        child_outcome how = c->isolate_queries && timeout_ms ? check_in_child(c, sol, cpu_s, wall_s, &got) : CHILD_UNAVAILABLE;
        if (how == CHILD_KILLED) {
            ans = SMT_UNKNOWN;
            if (reason) snprintf(reason, (size_t)reason_size, "timeout (z3 did not stop at its %.1f s limit; its process was killed)", cpu_s);
        } else {
            Z3_lbool r;
            bool z3_error;
            if (how == CHILD_ANSWERED) {
                r = (Z3_lbool)got.lbool;
                z3_error = got.z3_error != 0;
            } else {
                r = check_in_process(c, sol, cpu_s, wall_s);
                Z3_error_code ec = Z3_get_error_code(c->z);
                z3_error = ec != Z3_OK;
                snprintf(got.reason, sizeof got.reason, "%s",
                         z3_error ? Z3_get_error_msg(c->z, ec) : r == Z3_L_UNDEF ? Z3_solver_get_reason_unknown(c->z, sol) : "");
            }
            if (z3_error) {
                ans = SMT_ERROR;
                if (reason) snprintf(reason, (size_t)reason_size, "z3 error: %s", got.reason);
            } else if (r == Z3_L_FALSE) {
                ans = SMT_UNSAT;
            } else if (r == Z3_L_TRUE) {
                ans = SMT_SAT;
                if (how == CHILD_ANSWERED) {
                    Z3_solver_inc_ref(c->z, sol);
                    c->sat_solver = sol;
                    c->sat_timeout_ms = timeout_ms;
                } else {
                    take_model(c, sol);
                }
            } else {
                ans = SMT_UNKNOWN;
                if (reason) snprintf(reason, (size_t)reason_size, "%s", got.reason);
            }
        }
    }
    Z3_params_dec_ref(c->z, p);
    Z3_solver_dec_ref(c->z, sol);
    c->stats.seconds += time_now() - t0;
    return ans;
}

/* The model of a SAT answer that came from a query's child: the same check again in this
 * process (z3 is deterministic, so it is SAT again, as fast), under the watchdog. */
static void make_model(smt_ctx *c) {
    if (c->model || !c->sat_solver) return;
    double t0 = time_now();
    double cpu_s = c->sat_timeout_ms / 1000.0;
    if (check_in_process(c, c->sat_solver, cpu_s, 4.0 * cpu_s) == Z3_L_TRUE && Z3_get_error_code(c->z) == Z3_OK)
        take_model(c, c->sat_solver);
    Z3_solver_dec_ref(c->z, c->sat_solver);
    c->sat_solver = NULL;
    c->stats.seconds += time_now() - t0;
}

static bool model_eval(smt_ctx *c, vt_id term, Z3_ast *out, bool *finite_value) {
    make_model(c);
    if (!c->model || vt_get(c->s, term)->depth != 0) return false;
    env e0 = {NULL, 0};
    c->failed = false;
    ext v = tr(c, term, &e0);
    if (c->failed) return false;
    Z3_ast r = NULL;
    if (!Z3_model_eval(c->z, c->model, v.v, true, &r) || !r) return false;
    keep(c, r);
    *finite_value = true;
    if (v.k) {
        Z3_ast kr = NULL;
        int64_t kv = 0;
        if (!Z3_model_eval(c->z, c->model, v.k, true, &kr) || !kr) return false;
        keep(c, kr);
        if (!Z3_get_numeral_int64(c->z, kr, &kv) || kv != 0) *finite_value = false;
    }
    *out = r;
    return true;
}

bool smt_model_int(smt_ctx *c, vt_id term, int64_t *out) {
    Z3_ast r;
    bool f;
    if (!model_eval(c, term, &r, &f)) return false;
    if (vt_sort_of(c->s, term) == VS_BOOL) {
        Z3_lbool b = Z3_get_bool_value(c->z, r);
        if (b == Z3_L_UNDEF) return false;
        *out = b == Z3_L_TRUE;
        return true;
    }
    return Z3_get_numeral_int64(c->z, r, out);
}

bool smt_model_real(smt_ctx *c, vt_id term, double *out) {
    Z3_ast r;
    bool f;
    if (!model_eval(c, term, &r, &f) || !f) return false;
    if (!Z3_is_numeral_ast(c->z, r) && !Z3_is_algebraic_number(c->z, r)) return false;
    Z3_string d = Z3_get_numeral_decimal_string(c->z, r, 17);
    if (!d) return false;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", d);
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '?') buf[n - 1] = 0;   /* an approximation of an algebraic number */
    *out = strtod(buf, NULL);
    return true;
}
