/* term_eval: numeric evaluation of terms in doubles, memoised per node so that a DAG with
 * heavy sharing is evaluated in time linear in its number of distinct nodes. Used to test
 * lifted formulas against kernel runs and to check rewrites on sample points. */
#include "term/term.h"
#include "util/arena.h"
#include "util/vec.h"
#include <math.h>
#include <string.h>

struct term_evaluator {
    const term_store *s;
    double *values;        /* values[t] is valid iff stamp[t] == epoch */
    uint32_t *stamp;
    size_t cap;            /* entries in values and stamp */
    uint32_t epoch;        /* bumped by reset, so forgetting is O(1) */
    VEC(term_id) todo;     /* work stack, kept between calls */
};

term_evaluator *term_evaluator_new(const term_store *s) {
    term_evaluator *e = xcalloc(1, sizeof *e);
    e->s = s;
    e->epoch = 1;
    return e;
}

void term_evaluator_reset(term_evaluator *e) {
    if (++e->epoch == 0) {   /* wrapped: old stamps could collide with new epochs */
        memset(e->stamp, 0, e->cap * sizeof *e->stamp);
        e->epoch = 1;
    }
}

void term_evaluator_free(term_evaluator *e) {
    if (!e) return;
    free(e->values);
    free(e->stamp);
    vec_free(&e->todo);
    free(e);
}

/* The store may have grown since the last call; cover every id it has now. */
static void fit_store(term_evaluator *e) {
    size_t need = term_store_size(e->s) + 1;
    if (need <= e->cap) return;
    size_t cap = e->cap ? e->cap : 1024;
    while (cap < need) cap *= 2;
    e->values = xrealloc(e->values, cap * sizeof *e->values);
    if (!e->stamp) {
        /* calloc hands out untouched zero pages, so a one-off term_eval on a large store
         * costs only the pages its term reaches */
        e->stamp = xcalloc(cap, sizeof *e->stamp);
    } else {
        e->stamp = xrealloc(e->stamp, cap * sizeof *e->stamp);
        memset(e->stamp + e->cap, 0, (cap - e->cap) * sizeof *e->stamp);
    }
    e->cap = cap;
}

/* x as an exact int64, if it is one. */
static bool exact_int(double x, int64_t *out) {
    if (!(x >= -0x1p63 && x < 0x1p63)) return false;
    *out = (int64_t)x;
    return (double)*out == x;
}

/* Python's a // b and a % b (floor), exactly when both are int64 and the quotient fits. */
static double floor_div_mod(double a, double b, bool want_mod) {
    if (b == 0) return NAN;
    int64_t x, y;
    if (exact_int(a, &x) && exact_int(b, &y) && !(x == INT64_MIN && y == -1)) {
        int64_t q = x / y, r = x % y;
        if (r != 0 && (r < 0) != (y < 0)) q--, r += y;
        return want_mod ? (double)r : (double)q;
    }
    double q = floor(a / b);
    return want_mod ? a - b * q : q;
}

static double sigmoid(double x) {
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

static double apply(const term_node *n, const double *arg, const double *var_values) {
    double a = arg[0], b = arg[1];
    switch ((term_op)n->op) {
    case T_CONST: return n->type == TY_REAL ? n->u.cval : (double)n->u.ival;
    case T_VAR: return var_values ? var_values[n->u.var] : NAN;
    case T_ADD: return a + b;
    case T_SUB: return a - b;
    case T_MUL: return a * b;
    case T_DIV: return a / b;
    case T_NEG: return -a;
    case T_FLOORDIV: return floor_div_mod(a, b, false);
    case T_MOD: return floor_div_mod(a, b, true);
    case T_TRUNCDIV: return b == 0 ? NAN : trunc(a / b);
    case T_TRUNCMOD: return b == 0 ? NAN : fmod(a, b);
    case T_MAX: return a > b ? a : b;
    case T_MIN: return a < b ? a : b;
    case T_POW: return pow(a, b);
    case T_ABS: return fabs(a);
    case T_EXP: return exp(a);
    case T_EXP2: return exp2(a);
    case T_LOG: return log(a);
    case T_LOG2: return log2(a);
    case T_SQRT: return sqrt(a);
    case T_RSQRT: return 1.0 / sqrt(a);
    case T_SIGMOID: return sigmoid(a);
    case T_ERF: return erf(a);
    case T_TANH: return tanh(a);
    case T_SIN: return sin(a);
    case T_COS: return cos(a);
    case T_TO_REAL: return a;
    case T_TO_INT: return trunc(a);
    case T_LT: return a < b;
    case T_LE: return a <= b;
    case T_EQ: return a == b;
    case T_NE: return a != b;
    case T_AND: return a != 0 && b != 0;
    case T_OR: return a != 0 || b != 0;
    case T_NOT: return a == 0;
    case T_SELECT: return a != 0 ? b : arg[2];
    default: return NAN;
    }
}

double term_evaluator_eval(term_evaluator *e, term_id t, const double *var_values) {
    if (!term_get(e->s, t)) return NAN;
    fit_store(e);
    /* post-order without recursion: a node is computed once all its arguments are */
    vec_push(&e->todo, t);
    while (e->todo.len > 0) {
        term_id u = e->todo.items[e->todo.len - 1];
        if (e->stamp[u] == e->epoch) {
            e->todo.len--;
            continue;
        }
        const term_node *n = term_get(e->s, u);
        bool ready = true;
        for (int i = 0; i < n->n_args; i++) {
            if (e->stamp[n->args[i]] != e->epoch) {
                vec_push(&e->todo, n->args[i]);
                ready = false;
            }
        }
        if (!ready) continue;
        double arg[3] = {0, 0, 0};
        for (int i = 0; i < n->n_args; i++) arg[i] = e->values[n->args[i]];
        e->values[u] = apply(n, arg, var_values);
        e->stamp[u] = e->epoch;
        e->todo.len--;
    }
    return e->values[t];
}

double term_eval(const term_store *s, term_id t, const double *var_values) {
    term_evaluator *e = term_evaluator_new(s);
    double v = term_evaluator_eval(e, t, var_values);
    term_evaluator_free(e);
    return v;
}
