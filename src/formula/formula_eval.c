/* formula_eval: numeric evaluation of a formula at given output indices, over an environment
 * of input tensors and parameters. At creation the formula is compiled into a private tree in
 * which every name is resolved (bound index variable -> frame slot, output -> equation) and
 * every reduction knows its free index variables. At evaluation, outputs referenced by name are
 * memoised per (output, index) and a reduction whose free variables have the same values as
 * the last time returns its cached value, which makes softmax-like formulas (a row sum inside
 * every element) linear per row. The environment must not change while an evaluator lives. */
#include "formula/formula_internal.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/hash.h"
#include <inttypes.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A recurrence that never reaches its base case (y[i] = y[i+1]) must end in an error, not a
 * stack overflow. Frame sizes differ a lot between builds (sanitizers make them 4x larger),
 * so the bound is on the stack actually used since formula_eval was entered, with a count of
 * nested evaluation steps as a backstop. */
#define MAX_EVAL_STACK (1024 * 1024)
#define MAX_EVAL_DEPTH 20000

/* ---- the compiled tree ------------------------------------------------------------------- */

typedef enum name_state { NAME_UNRESOLVED, NAME_CONSTANT } name_state;

typedef struct enode enode;
struct enode {
    const fexpr *src;
    enode **kids;
    int n_kids;
    int slot;              /* FX_NAME: frame slot of a bound index variable, else -1;
                              FX_REDUCE: the binder's slot */
    int eq;                /* FX_NAME / FX_ACCESS: index of the output equation named, else -1 */
    int fn;                /* FX_CALL: ffunc; FX_REDUCE: freduce */
    /* FX_NAME of a tensor or parameter: its value, looked up once */
    name_state state;
    double constant;
    /* FX_REDUCE: the cache of the last value, keyed by the values of its free variables */
    int *free_slots;
    int n_free;
    int64_t *cached_key;
    double cached_value;
    bool cached;
};

typedef struct compiled_eq {
    enode *rhs;
    int frame_size;        /* slots: the left side's indices, then nested binders */
} compiled_eq;

/* ---- the memo of output values ------------------------------------------------------------ */

typedef enum memo_state { MEMO_EMPTY, MEMO_PENDING, MEMO_DONE } memo_state;

typedef struct memo_entry {
    uint64_t hash;
    int eq;                /* -1: unused slot */
    memo_state state;
    size_t key;            /* offset of the index tuple in key_pool */
    double value;
} memo_entry;

struct formula_evaluator {
    const formula *f;
    formula_env env;
    arena mem;             /* the compiled tree */
    compiled_eq *eqs;
    /* memo: open addressing, capacity a power of two */
    memo_entry *memo;
    size_t memo_cap, memo_used;
    int64_t *key_pool;
    size_t key_len, key_cap;
    /* the frames of the equations being evaluated, innermost last */
    int64_t *frames;
    size_t frames_len, frames_cap;
    int depth;
    uintptr_t stack_base;  /* frame address at formula_eval's entry */
    diag *err;
};

/* ---- compilation ----------------------------------------------------------------------- */

typedef struct scope {
    const char **names;    /* per slot */
    int n;
} scope;

static int lookup_slot(const scope *s, const char *name) {
    for (int i = s->n - 1; i >= 0; i--)   /* innermost binding wins */
        if (strcmp(s->names[i], name) == 0) return i;
    return -1;
}

static int equation_index(const formula *f, const char *name) {
    for (int i = 0; i < f->n_eqs; i++)
        if (strcmp(f->eqs[i].output, name) == 0) return i;
    return -1;
}

typedef struct compiler {
    formula_evaluator *ev;
    scope sc;              /* names has room for n_slots */
    int n_slots;           /* the equation's indices plus its deepest nesting of binders */
    int frame_size;        /* the deepest slot used so far */
} compiler;

/* Compiles e with the variables of c->sc bound; marks used[s] (n_slots entries) for every
 * enclosing slot that e refers to. */
static enode *compile(compiler *c, const fexpr *e, bool *used) {
    formula_evaluator *ev = c->ev;
    enode *n = arena_alloc(&ev->mem, sizeof *n);
    n->src = e;
    n->slot = -1;
    n->eq = -1;
    n->fn = -1;
    n->n_kids = e->n_args;
    n->kids = arena_alloc(&ev->mem, (size_t)(e->n_args > 0 ? e->n_args : 1) * sizeof *n->kids);
    switch (e->kind) {
    case FX_NAME:
        n->slot = lookup_slot(&c->sc, e->name);
        if (n->slot >= 0) used[n->slot] = true;
        else n->eq = equation_index(ev->f, e->name);
        break;
    case FX_ACCESS:
        n->eq = equation_index(ev->f, e->name);
        break;
    case FX_CALL:
        n->fn = formula_func_lookup(e->name ? e->name : "");
        break;
    case FX_REDUCE: {
        n->fn = formula_reduce_lookup(e->name ? e->name : "");
        n->slot = c->sc.n;
        bool *inner = xcalloc((size_t)c->n_slots + 1, sizeof *inner);
        /* lo and hi are in the enclosing scope; the body also sees the binder */
        for (int i = 0; i < e->n_args; i++) {
            bool binds = i == 2 && c->sc.n < c->n_slots;
            if (binds) {
                c->sc.names[c->sc.n++] = e->var ? e->var : "";
                if (c->sc.n > c->frame_size) c->frame_size = c->sc.n;
            }
            n->kids[i] = compile(c, e->args[i], inner);
            if (binds) c->sc.n--;
        }
        /* free variables: the enclosing slots that the reduction refers to */
        n->free_slots = arena_alloc(&ev->mem, (size_t)(n->slot > 0 ? n->slot : 1) * sizeof *n->free_slots);
        for (int s = 0; s < n->slot; s++) {
            if (!inner[s]) continue;
            n->free_slots[n->n_free++] = s;
            used[s] = true;
        }
        n->cached_key = arena_alloc(&ev->mem, (size_t)(n->n_free > 0 ? n->n_free : 1) * sizeof *n->cached_key);
        free(inner);
        return n;
    }
    default:
        break;
    }
    for (int i = 0; i < e->n_args; i++) n->kids[i] = compile(c, e->args[i], used);
    return n;
}

/* Number of nested binders in e: the scope needs that many slots beyond the left side. */
static int binder_depth(const fexpr *e) {
    int deepest = 0;
    for (int i = 0; i < e->n_args; i++) {
        int d = binder_depth(e->args[i]);
        if (d > deepest) deepest = d;
    }
    return deepest + (e->kind == FX_REDUCE ? 1 : 0);
}

formula_evaluator *formula_evaluator_new(const formula *f, const formula_env *env) {
    formula_evaluator *ev = xcalloc(1, sizeof *ev);
    ev->f = f;
    if (env) ev->env = *env;
    arena_init(&ev->mem);
    int n_eqs = f ? f->n_eqs : 0;
    ev->eqs = arena_alloc(&ev->mem, (size_t)(n_eqs > 0 ? n_eqs : 1) * sizeof *ev->eqs);
    for (int q = 0; q < n_eqs; q++) {
        const fequation *eq = &f->eqs[q];
        compiler c = {.ev = ev, .n_slots = eq->n_indices + binder_depth(eq->rhs)};
        c.sc.names = xcalloc((size_t)c.n_slots + 1, sizeof *c.sc.names);
        c.sc.n = eq->n_indices;
        c.frame_size = eq->n_indices;
        for (int i = 0; i < eq->n_indices; i++) c.sc.names[i] = eq->indices[i];
        bool *used = xcalloc((size_t)c.n_slots + 1, sizeof *used);
        ev->eqs[q].rhs = compile(&c, eq->rhs, used);
        ev->eqs[q].frame_size = c.frame_size;
        free(used);
        free(c.sc.names);
    }
    return ev;
}

void formula_evaluator_free(formula_evaluator *ev) {
    if (!ev) return;
    arena_free(&ev->mem);
    free(ev->memo);
    free(ev->key_pool);
    free(ev->frames);
    free(ev);
}

/* ---- errors ---------------------------------------------------------------------------- */

/* Error helpers are kept out of line: their message buffers must not enlarge the frames of
 * the recursive evaluation, whose depth is what the C stack has to hold. */
static bool fail(formula_evaluator *ev, const fexpr *at, diag_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noinline, cold));

static bool fail(formula_evaluator *ev, const fexpr *at, diag_kind kind, const char *fmt, ...) {
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(ev->err, kind, ev->f ? ev->f->file : NULL, at ? at->line : 0, at ? at->col : 0, "%s", msg);
    return false;
}

/* "y[0,3]" for messages. */
__attribute__((noinline, cold)) static void format_element(const char *name, int rank, const int64_t *index, char *buf, size_t size) {
    int n = snprintf(buf, size, "%s", name);
    for (int i = 0; i < rank && n > 0 && (size_t)n < size; i++)
        n += snprintf(buf + n, size - (size_t)n, "%c%" PRId64, i ? ',' : '[', index[i]);
    if (rank > 0 && n > 0 && (size_t)n < size) snprintf(buf + n, size - (size_t)n, "]");
}

/* An index or range bound: a finite integer (exactly representable). */
static bool as_integer(double v, int64_t *out) {
    if (!(v == v) || v != floor(v) || fabs(v) > 9007199254740992.0) return false;
    *out = (int64_t)v;
    return true;
}

/* ---- the memo -------------------------------------------------------------------------- */

static uint64_t memo_hash(int eq, int rank, const int64_t *index) {
    uint64_t h = hash_mix(0x5eed, (uint64_t)eq);
    for (int i = 0; i < rank; i++) h = hash_mix(h, (uint64_t)index[i]);
    return h;
}

/* The entry of (eq, index), or the empty slot where it would go. */
static memo_entry *memo_slot(formula_evaluator *ev, int eq, int rank, const int64_t *index, uint64_t h) {
    size_t mask = ev->memo_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        memo_entry *e = &ev->memo[i];
        if (e->eq < 0) return e;
        if (e->hash == h && e->eq == eq &&
            (rank == 0 || memcmp(ev->key_pool + e->key, index, (size_t)rank * sizeof *index) == 0))
            return e;
    }
}

static void memo_grow(formula_evaluator *ev) {
    size_t old_cap = ev->memo_cap;
    memo_entry *old = ev->memo;
    ev->memo_cap = old_cap ? old_cap * 2 : 256;
    ev->memo = xmalloc(ev->memo_cap * sizeof *ev->memo);
    for (size_t i = 0; i < ev->memo_cap; i++) ev->memo[i].eq = -1;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].eq < 0) continue;
        size_t mask = ev->memo_cap - 1, j = old[i].hash & mask;
        while (ev->memo[j].eq >= 0) j = (j + 1) & mask;
        ev->memo[j] = old[i];
    }
    free(old);
}

/* The entry of (eq, index), created (MEMO_EMPTY) if absent. Entry pointers are valid only
 * until the next insertion. */
static memo_entry *memo_get(formula_evaluator *ev, int eq, int rank, const int64_t *index) {
    if ((ev->memo_used + 1) * 2 > ev->memo_cap) memo_grow(ev);
    uint64_t h = memo_hash(eq, rank, index);
    memo_entry *e = memo_slot(ev, eq, rank, index, h);
    if (e->eq >= 0) return e;
    if (ev->key_len + (size_t)rank > ev->key_cap) {
        size_t cap = ev->key_cap ? ev->key_cap : 256;
        while (cap < ev->key_len + (size_t)rank) cap *= 2;
        ev->key_pool = xrealloc(ev->key_pool, cap * sizeof *ev->key_pool);
        ev->key_cap = cap;
    }
    if (rank > 0) memcpy(ev->key_pool + ev->key_len, index, (size_t)rank * sizeof *index);
    *e = (memo_entry){h, eq, MEMO_EMPTY, ev->key_len, 0};
    ev->key_len += (size_t)rank;
    ev->memo_used++;
    return e;
}

/* ---- evaluation ------------------------------------------------------------------------ */

static bool eval(formula_evaluator *ev, enode *n, size_t base, double *out);

__attribute__((noinline, cold)) static bool fail_cycle(formula_evaluator *ev, const fequation *def,
                                                      const int64_t *index, const fexpr *at) {
    char element[200];
    format_element(def->output, def->n_indices, index, element, sizeof element);
    return fail(ev, at, DIAG_ERROR, "cyclic definition: %s depends on itself", element);
}

/* position: 1-based index of an access, or 0 / -1 for the lower / upper bound of a range */
__attribute__((noinline, cold)) static bool fail_number(formula_evaluator *ev, const fexpr *at, int position,
                                                       const char *name, double v) {
    char shown[40];
    formula_format_number(v, shown, sizeof shown);
    if (position > 0)
        return fail(ev, at, DIAG_ERROR, "index %d of '%s' is not an integer (%s)", position, name, shown);
    return fail(ev, at, DIAG_ERROR, "%s bound of the range of %s is not an integer (%s)",
                position == 0 ? "lower" : "upper", name, shown);
}

__attribute__((noinline, cold)) static bool fail_missing(formula_evaluator *ev, const fexpr *e, const int64_t *idx) {
    double ignored;
    if (ev->env.param && ev->env.param(ev->env.ctx, e->name, &ignored))
        return fail(ev, e, DIAG_ERROR, "'%s' is a parameter, not a tensor", e->name);
    char element[200];
    format_element(e->name, e->n_args, idx, element, sizeof element);
    return fail(ev, e, DIAG_ERROR, "no value for %s: unknown tensor or index out of range", element);
}

/* output[index] (index is not inside ev->frames, which may move). */
static bool eval_output(formula_evaluator *ev, int eq, const int64_t *index, const fexpr *at, double *out) {
    const fequation *def = &ev->f->eqs[eq];
    int rank = def->n_indices;
    memo_entry *m = memo_get(ev, eq, rank, index);
    if (m->state == MEMO_DONE) {
        *out = m->value;
        return true;
    }
    if (m->state == MEMO_PENDING) return fail_cycle(ev, def, index, at);
    m->state = MEMO_PENDING;
    /* a new frame: the left side's indices, then room for the binders */
    size_t base = ev->frames_len, size = (size_t)ev->eqs[eq].frame_size;
    if (base + size > ev->frames_cap) {
        size_t cap = ev->frames_cap ? ev->frames_cap : 64;
        while (cap < base + size) cap *= 2;
        ev->frames = xrealloc(ev->frames, cap * sizeof *ev->frames);
        ev->frames_cap = cap;
    }
    if (size > 0) memset(ev->frames + base, 0, size * sizeof *ev->frames);
    if (rank > 0) memcpy(ev->frames + base, index, (size_t)rank * sizeof *index);
    ev->frames_len = base + size;
    double value = 0;
    bool ok = eval(ev, ev->eqs[eq].rhs, base, &value);
    ev->frames_len = base;
    m = memo_get(ev, eq, rank, index);   /* the table may have grown */
    m->state = ok ? MEMO_DONE : MEMO_EMPTY;   /* after an error the element may be retried */
    m->value = value;
    *out = value;
    return ok;
}

/* The indices of an access, evaluated into idx (n entries). */
static bool eval_indices(formula_evaluator *ev, enode *n, size_t base, int64_t *idx) {
    for (int i = 0; i < n->n_kids; i++) {
        double v;
        if (!eval(ev, n->kids[i], base, &v)) return false;
        if (!as_integer(v, &idx[i])) return fail_number(ev, n->kids[i]->src, i + 1, n->src->name, v);
    }
    return true;
}

static bool eval_access(formula_evaluator *ev, enode *n, size_t base, double *out) {
    const fexpr *e = n->src;
    int64_t small[8];
    int64_t *idx = n->n_kids <= 8 ? small : xmalloc((size_t)n->n_kids * sizeof *idx);
    bool ok = eval_indices(ev, n, base, idx);
    if (ok && n->eq >= 0) {
        int want = ev->f->eqs[n->eq].n_indices;
        if (want != n->n_kids)
            ok = fail(ev, e, DIAG_ERROR, "'%s' has %d ind%s, used with %d", e->name, want,
                      want == 1 ? "ex" : "ices", n->n_kids);
        else
            ok = eval_output(ev, n->eq, idx, e, out);
    } else if (ok) {
        if (!ev->env.tensor || !ev->env.tensor(ev->env.ctx, e->name, n->n_kids, idx, out)) ok = fail_missing(ev, e, idx);
    }
    if (idx != small) free(idx);
    return ok;
}

static bool eval_name(formula_evaluator *ev, enode *n, size_t base, double *out) {
    const fexpr *e = n->src;
    if (n->slot >= 0) {
        *out = (double)ev->frames[base + (size_t)n->slot];
        return true;
    }
    if (n->eq >= 0) {
        int want = ev->f->eqs[n->eq].n_indices;
        if (want != 0)
            return fail(ev, e, DIAG_ERROR, "'%s' has %d ind%s, used without indices", e->name, want,
                        want == 1 ? "ex" : "ices");
        return eval_output(ev, n->eq, NULL, e, out);
    }
    if (n->state == NAME_CONSTANT) {
        *out = n->constant;
        return true;
    }
    int64_t none = 0;
    if ((ev->env.tensor && ev->env.tensor(ev->env.ctx, e->name, 0, &none, &n->constant)) ||
        (ev->env.param && ev->env.param(ev->env.ctx, e->name, &n->constant))) {
        n->state = NAME_CONSTANT;
        *out = n->constant;
        return true;
    }
    return fail(ev, e, DIAG_ERROR, "unknown name '%s'", e->name);
}

/* Python's float % and //: the remainder takes the divisor's sign. Integers are computed
 * exactly. */
static double python_mod(double a, double b) {
    int64_t x, y;
    if (as_integer(a, &x) && as_integer(b, &y) && y != 0) {
        int64_t r = x % y;
        if (r != 0 && ((r < 0) != (y < 0))) r += y;
        return (double)r;
    }
    double r = fmod(a, b);
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

static double python_floordiv(double a, double b) {
    int64_t x, y;
    if (as_integer(a, &x) && as_integer(b, &y) && y != 0) {
        int64_t q = x / y;
        if (x % y != 0 && ((x < 0) != (y < 0))) q--;
        return (double)q;
    }
    return floor(a / b);
}

static bool eval_binop(formula_evaluator *ev, enode *n, size_t base, double *out) {
    double a, b;
    if (!eval(ev, n->kids[0], base, &a) || !eval(ev, n->kids[1], base, &b)) return false;
    switch (n->src->op) {
    case '+': *out = a + b; return true;
    case '-': *out = a - b; return true;
    case '*': *out = a * b; return true;
    case '/': *out = a / b; return true;
    case '%': *out = python_mod(a, b); return true;
    case FOP_FLOORDIV: *out = python_floordiv(a, b); return true;
    case '^': *out = pow(a, b); return true;
    default: return fail(ev, n->src, DIAG_ERROR, "unknown operator %d", n->src->op);
    }
}

static bool eval_call(formula_evaluator *ev, enode *n, size_t base, double *out) {
    double x[2] = {0, 0};
    int arity = formula_func_arity((ffunc)n->fn);
    if (n->fn < 0 || arity != n->n_kids)
        return fail(ev, n->src, DIAG_ERROR, "unknown function '%s' with %d arguments",
                    n->src->name ? n->src->name : "?", n->n_kids);
    for (int i = 0; i < arity; i++)
        if (!eval(ev, n->kids[i], base, &x[i])) return false;
    switch ((ffunc)n->fn) {
    case FF_EXP: *out = exp(x[0]); break;
    case FF_EXP2: *out = exp2(x[0]); break;
    case FF_LOG: *out = log(x[0]); break;
    case FF_LOG2: *out = log2(x[0]); break;
    case FF_SQRT: *out = sqrt(x[0]); break;
    case FF_RSQRT: *out = 1 / sqrt(x[0]); break;
    case FF_ABS: *out = fabs(x[0]); break;
    case FF_ERF: *out = erf(x[0]); break;
    case FF_TANH: *out = tanh(x[0]); break;
    case FF_SIGMOID: *out = 1 / (1 + exp(-x[0])); break;
    case FF_SIN: *out = sin(x[0]); break;
    case FF_COS: *out = cos(x[0]); break;
    case FF_POW: *out = pow(x[0], x[1]); break;
    /* NaN propagates, as in torch.maximum / torch.minimum */
    case FF_MAX: *out = isnan(x[0]) || isnan(x[1]) ? NAN : x[0] > x[1] ? x[0] : x[1]; break;
    case FF_MIN: *out = isnan(x[0]) || isnan(x[1]) ? NAN : x[0] < x[1] ? x[0] : x[1]; break;
    default: return fail(ev, n->src, DIAG_ERROR, "unknown function '%s'", n->src->name);
    }
    return true;
}

static bool eval_bound(formula_evaluator *ev, enode *n, int which, size_t base, int64_t *out) {
    double v;
    if (!eval(ev, n->kids[which], base, &v)) return false;
    if (as_integer(v, out)) return true;
    return fail_number(ev, n->kids[which]->src, which == 0 ? 0 : -1, n->src->name, v);
}

static bool eval_reduce(formula_evaluator *ev, enode *n, size_t base, double *out) {
    const int64_t *frame = ev->frames + base;
    if (n->cached) {
        bool same = true;
        for (int i = 0; i < n->n_free && same; i++) same = frame[n->free_slots[i]] == n->cached_key[i];
        if (same) {
            *out = n->cached_value;
            return true;
        }
    }
    int64_t lo, hi;
    if (!eval_bound(ev, n, 0, base, &lo) || !eval_bound(ev, n, 1, base, &hi)) return false;
    freduce kind = (freduce)n->fn;
    double acc = kind == FR_PROD ? 1 : kind == FR_MAX ? -INFINITY : kind == FR_MIN ? INFINITY : 0;
    double best = 0;
    int64_t best_at = lo;
    bool any = false;
    size_t slot = base + (size_t)n->slot;
    for (int64_t k = lo; k < hi; k++) {
        ev->frames[slot] = k;   /* not through a pointer: nested outputs may move the frames */
        double v;
        if (!eval(ev, n->kids[2], base, &v)) return false;
        switch (kind) {
        case FR_SUM: acc += v; break;
        case FR_PROD: acc *= v; break;
        case FR_MAX: acc = isnan(v) || isnan(acc) ? NAN : v > acc ? v : acc; break;
        case FR_MIN: acc = isnan(v) || isnan(acc) ? NAN : v < acc ? v : acc; break;
        case FR_ARGMAX: case FR_ARGMIN: {
            /* the first extremum; a NaN counts as the extremum, as in torch.argmax */
            bool better = kind == FR_ARGMAX ? v > best : v < best;
            if (!any || (isnan(v) && !isnan(best)) || (!isnan(best) && better)) best = v, best_at = k;
            break;
        }
        default:
            return fail(ev, n->src, DIAG_ERROR, "unknown reduction '%s'", n->src->name ? n->src->name : "?");
        }
        any = true;
    }
    if (kind == FR_ARGMAX || kind == FR_ARGMIN) {
        if (!any)
            return fail(ev, n->src, DIAG_ERROR, "%s over an empty range (%" PRId64 "..%" PRId64 ")",
                        n->src->name, lo, hi);
        acc = (double)best_at;
    } else if ((int)kind < 0 || kind >= FR_COUNT) {
        return fail(ev, n->src, DIAG_ERROR, "unknown reduction '%s'", n->src->name ? n->src->name : "?");
    }
    frame = ev->frames + base;
    for (int i = 0; i < n->n_free; i++) n->cached_key[i] = frame[n->free_slots[i]];
    n->cached_value = acc;
    n->cached = true;
    *out = acc;
    return true;
}

/* Children each kind needs (-1: any); trees built by hand rather than parsed may be wrong. */
static int arity_of(fexpr_kind kind) {
    switch (kind) {
    case FX_NUM: case FX_NAME: return 0;
    case FX_NEG: case FX_NOT: return 1;
    case FX_BINOP: case FX_CMP: case FX_AND: case FX_OR: return 2;
    case FX_WHERE: case FX_REDUCE: return 3;
    default: return -1;
    }
}

static bool eval_node(formula_evaluator *ev, enode *n, size_t base, double *out) {
    const fexpr *e = n->src;
    double a, b;
    int arity = arity_of(e->kind);
    if ((arity >= 0 && n->n_kids != arity) || (e->kind == FX_ACCESS && n->n_kids == 0) ||
        ((e->kind == FX_ACCESS || e->kind == FX_NAME) && !e->name))
        return fail(ev, e, DIAG_ERROR, "malformed expression (kind %d with %d arguments)", (int)e->kind, n->n_kids);
    switch (e->kind) {
    case FX_NUM: *out = e->num; return true;
    case FX_NAME: return eval_name(ev, n, base, out);
    case FX_ACCESS: return eval_access(ev, n, base, out);
    case FX_BINOP: return eval_binop(ev, n, base, out);
    case FX_NEG:
        if (!eval(ev, n->kids[0], base, &a)) return false;
        *out = -a;
        return true;
    case FX_CMP:
        if (!eval(ev, n->kids[0], base, &a) || !eval(ev, n->kids[1], base, &b)) return false;
        switch ((fcmp)e->op) {
        case FC_LT: *out = a < b; break;
        case FC_LE: *out = a <= b; break;
        case FC_GT: *out = a > b; break;
        case FC_GE: *out = a >= b; break;
        case FC_EQ: *out = a == b; break;
        case FC_NE: *out = a != b; break;
        default: return fail(ev, e, DIAG_ERROR, "unknown comparison %d", e->op);
        }
        return true;
    /* and, or and where evaluate only what decides the result, so a guarded access such as
     * where(i > 0, y[i-1], 0) never touches y[-1] */
    case FX_AND:
    case FX_OR:
        if (!eval(ev, n->kids[0], base, &a)) return false;
        if ((a != 0) == (e->kind == FX_OR)) {
            *out = e->kind == FX_OR;
            return true;
        }
        if (!eval(ev, n->kids[1], base, &b)) return false;
        *out = b != 0;
        return true;
    case FX_NOT:
        if (!eval(ev, n->kids[0], base, &a)) return false;
        *out = a == 0;
        return true;
    case FX_WHERE:
        if (!eval(ev, n->kids[0], base, &a)) return false;
        return eval(ev, n->kids[a != 0 ? 1 : 2], base, out);
    case FX_CALL: return eval_call(ev, n, base, out);
    case FX_REDUCE: return eval_reduce(ev, n, base, out);
    }
    return fail(ev, e, DIAG_ERROR, "unknown expression kind %d", (int)e->kind);
}

/* Stack used since formula_eval was entered (the stack grows down on every supported target;
 * the absolute difference keeps this right either way). */
static size_t stack_used(const formula_evaluator *ev) {
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    return here < ev->stack_base ? ev->stack_base - here : here - ev->stack_base;
}

static bool eval(formula_evaluator *ev, enode *n, size_t base, double *out) {
    if (ev->depth >= MAX_EVAL_DEPTH || stack_used(ev) > MAX_EVAL_STACK)
        return fail(ev, n->src, DIAG_LIMIT, "evaluation nested too deeply (%d levels; "
                    "a recursive definition without a base case?)", ev->depth);
    ev->depth++;
    bool ok = eval_node(ev, n, base, out);
    ev->depth--;
    return ok;
}

bool formula_eval(formula_evaluator *ev, const char *output, const int64_t *index, double *out, diag *err) {
    diag scratch = {0};
    ev->err = err ? err : &scratch;
    *out = 0;
    int eq = ev->f && output ? equation_index(ev->f, output) : -1;
    if (eq < 0) {
        diag_set(ev->err, DIAG_ERROR, ev->f ? ev->f->file : NULL, 0, 0, "unknown output '%s'",
                 output ? output : "(null)");
        return false;
    }
    int rank = ev->f->eqs[eq].n_indices;
    int64_t small[8] = {0};
    int64_t *copy = rank <= 8 ? small : xmalloc((size_t)rank * sizeof *copy);
    if (rank > 0) memcpy(copy, index, (size_t)rank * sizeof *copy);
    ev->depth = 0;
    ev->stack_base = (uintptr_t)__builtin_frame_address(0);
    bool ok = eval_output(ev, eq, copy, ev->f->eqs[eq].rhs, out);
    if (copy != small) free(copy);
    return ok;
}
