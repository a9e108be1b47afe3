/* eval: numeric evaluation of a (partial) formula at one sample point — a run, an assignment of
 * the inputs and values of the scope's index variables. Input elements come from the samples,
 * references to outputs from the spec's terms (a candidate for one output may use the others'
 * exact values), names resolve to bound variables, then sizes, then parameters. */
#include "synth/synth_internal.h"
#include <math.h>
#include <string.h>

#define MAX_BOUND (SYNTH_MAX_SCOPE + 8)

typedef struct frame {
    const char *names[MAX_BOUND];
    int64_t values[MAX_BOUND];
    int n;
} frame;

static bool eval(synth_ctx *C, const fexpr *e, int run, int a, frame *fr, double *out);

static bool eval_int(synth_ctx *C, const fexpr *e, int run, int a, frame *fr, int64_t *out) {
    double v;
    if (!eval(C, e, run, a, fr, &v) || !(fabs(v) < 9e15) || v != floor(v)) return false;
    *out = (int64_t)v;
    return true;
}

static bool eval_access(synth_ctx *C, const fexpr *e, int run, int a, frame *fr, double *out) {
    int t = spec_tensor_index(C->sp, e->name);
    if (t < 0 && e->kind == FX_NAME) return false;
    if (t < 0 || e->n_args > PLAN_MAX_RANK) return false;
    const spec_tensor *st = &C->sp->runs[run].tensors[t];
    if (st->rank != (e->kind == FX_NAME ? 0 : e->n_args)) return false;
    int64_t idx[PLAN_MAX_RANK];
    for (int d = 0; d < e->n_args; d++)
        if (!eval_int(C, e->args[d], run, a, fr, &idx[d])) return false;
    if (st->role == ROLE_OUTPUT || st->role == ROLE_INOUT) return sample_output(C, run, t, idx, a, out);
    return sample_input(C, run, t, idx, a, out);
}

static int64_t floordiv(int64_t x, int64_t y) {
    int64_t q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) q--;
    return q;
}

static bool eval(synth_ctx *C, const fexpr *e, int run, int a, frame *fr, double *out) {
    double x, y;
    switch (e->kind) {
    case FX_NUM:
        *out = e->num;
        return true;
    case FX_NAME:
        for (int i = fr->n - 1; i >= 0; i--)
            if (strcmp(fr->names[i], e->name) == 0) {
                *out = (double)fr->values[i];
                return true;
            }
        if (sample_name(C, run, e->name, a, out)) return true;
        return eval_access(C, e, run, a, fr, out);   /* a scalar tensor */
    case FX_ACCESS:
        return eval_access(C, e, run, a, fr, out);
    case FX_BINOP:
        if (e->op == '%' || e->op == FOP_FLOORDIV) {
            int64_t p, q;
            if (!eval_int(C, e->args[0], run, a, fr, &p) || !eval_int(C, e->args[1], run, a, fr, &q) || q == 0) return false;
            *out = (double)(e->op == '%' ? p - floordiv(p, q) * q : floordiv(p, q));
            return true;
        }
        if (!eval(C, e->args[0], run, a, fr, &x) || !eval(C, e->args[1], run, a, fr, &y)) return false;
        switch (e->op) {
        case '+': *out = x + y; break;
        case '-': *out = x - y; break;
        case '*': *out = x * y; break;
        case '/': *out = x / y; break;
        case '^': *out = pow(x, y); break;
        default: return false;
        }
        return true;
    case FX_NEG:
        if (!eval(C, e->args[0], run, a, fr, &x)) return false;
        *out = -x;
        return true;
    case FX_CMP:
        if (!eval(C, e->args[0], run, a, fr, &x) || !eval(C, e->args[1], run, a, fr, &y)) return false;
        *out = grammar_apply_cmp((fcmp)e->op, x, y);
        return true;
    case FX_AND:
    case FX_OR:
        if (!eval(C, e->args[0], run, a, fr, &x) || !eval(C, e->args[1], run, a, fr, &y)) return false;
        *out = e->kind == FX_AND ? (x != 0 && y != 0) : (x != 0 || y != 0);
        return true;
    case FX_NOT:
        if (!eval(C, e->args[0], run, a, fr, &x)) return false;
        *out = x == 0;
        return true;
    case FX_WHERE:
        if (!eval(C, e->args[0], run, a, fr, &x)) return false;
        return eval(C, e->args[x != 0 ? 1 : 2], run, a, fr, out);
    case FX_CALL: {
        double args[2];
        if (e->n_args < 1 || e->n_args > 2) return false;
        for (int i = 0; i < e->n_args; i++)
            if (!eval(C, e->args[i], run, a, fr, &args[i])) return false;
        return grammar_call(e->name, e->n_args, args, out);
    }
    case FX_REDUCE: {
        int r = -1;
        for (int k = 0; k < grammar_n_reductions; k++)
            if (strcmp(grammar_reductions[k], e->name) == 0) r = k;
        int64_t lo, hi;
        if (r < 0 || fr->n == MAX_BOUND || !eval_int(C, e->args[0], run, a, fr, &lo) || !eval_int(C, e->args[1], run, a, fr, &hi))
            return false;
        double acc = grammar_reduce_identity(r), best = NAN;
        if (r >= 4) acc = 0;
        fr->names[fr->n] = e->var;
        fr->n++;
        bool ok = true;
        for (int64_t k = lo; k < hi && ok; k++) {
            fr->values[fr->n - 1] = k;
            double v;
            ok = eval(C, e->args[2], run, a, fr, &v);
            if (ok) grammar_reduce_step(r, &acc, &best, v, k, k == lo);
        }
        fr->n--;
        if (!ok) return false;
        *out = r >= 4 ? best : acc;
        return r < 4 || lo < hi;
    }
    }
    return false;
}

static void frame_of(const eval_point *p, frame *fr) {
    fr->n = 0;
    for (int i = 0; p->sc && i < p->sc->n && i < MAX_BOUND; i++) {
        fr->names[fr->n] = p->sc->names[i];
        fr->values[fr->n++] = p->env[i];
    }
}

bool synth_eval(synth_ctx *C, const fexpr *e, const eval_point *p, double *out) {
    frame fr;
    frame_of(p, &fr);
    return eval(C, e, p->run, p->a, &fr, out);
}

bool synth_eval_index(synth_ctx *C, const fexpr *e, const eval_point *p, int64_t *out) {
    frame fr;
    frame_of(p, &fr);
    return eval_int(C, e, p->run, p->a, &fr, out);
}
