/* sample: the random real inputs on which candidates are compared with the spec. Values are a
 * hash of (seed, assignment, tensor, index), drawn from the tensor's manifest range, so that one
 * variable has one value in every run and the enumerator can read input elements without a
 * table. Assignment COARSE_ASSIGNMENT draws from five points of the range only (the midpoint,
 * 0 for symmetric ranges, among them): ties and zeros then occur, which tells x != 0 from true
 * and argmax's first index from another. Symbolic parameters take values in [0.1, 1.1) per
 * assignment (eps = 1e-5 would hide itself next to a variance); the others keep their manifest
 * values. */
#include "synth/synth_internal.h"
#include "util/hash.h"
#include <math.h>
#include <string.h>

static double unit(uint64_t h) { return (double)(h >> 11) * (1.0 / 9007199254740992.0); }

#define COARSE_ASSIGNMENT 1

static double input_value(uint64_t seed, int a, int tensor, int rank, const int64_t *idx, double lo, double hi) {
    uint64_t h = hash_mix(hash_mix(seed, (uint64_t)a + 1), (uint64_t)tensor + 7);
    for (int d = 0; d < rank; d++) h = hash_mix(h, (uint64_t)idx[d]);
    if (a == COARSE_ASSIGNMENT) {
        static const double points[] = {0.125, 0.375, 0.5, 0.625, 0.875};
        return lo + points[(h >> 20) % 5] * (hi - lo);
    }
    return lo + unit(h) * (hi - lo);
}

static int param_index(const plan_op *op, const char *name) {
    for (int p = 0; p < op->n_params; p++)
        if (strcmp(op->params[p].name, name) == 0) return p;
    return -1;
}

void samples_init(synth_ctx *C) {
    samples *s = &C->smp;
    const plan_op *op = C->op;
    s->seed = C->opt->seed;
    s->n_vars = term_var_count(C->ts);
    for (int a = 0; a < SYNTH_ASSIGN; a++) {
        s->params[a] = xcalloc((size_t)(op->n_params + 1), sizeof(double));
        for (int p = 0; p < op->n_params; p++) {
            const plan_param *pp = &op->params[p];
            uint64_t h = hash_mix(hash_mix(s->seed ^ 0xa5a5, (uint64_t)a), (uint64_t)p);
            if (!pp->symbolic) s->params[a][p] = pp->value;
            else if (elem_dtype_is_float(pp->dtype)) s->params[a][p] = 0.1 + unit(h);
            else s->params[a][p] = (double)(1 + (h % 4));
        }
        s->var_values[a] = xcalloc(s->n_vars + 1, sizeof(double));
        for (size_t v = 0; v < s->n_vars; v++) {
            const term_variable *info = term_var_info(C->ts, (uint32_t)v);
            double value = NAN;
            int t = spec_tensor_index(C->sp, info->name);
            int p = param_index(op, info->name);
            if (info->rank == 0 && p >= 0) value = s->params[a][p];
            else if (t >= 0 && elem_dtype_is_float(op->tensors[t].dtype))
                value = input_value(s->seed, a, t, info->rank, info->index, op->tensors[t].lo, op->tensors[t].hi);
            s->var_values[a][v] = value;
        }
        s->ev[a] = term_evaluator_new(C->ts);
    }
}

void samples_free(samples *s) {
    for (int a = 0; a < SYNTH_ASSIGN; a++) {
        free(s->params[a]);
        free(s->var_values[a]);
        if (s->ev[a]) term_evaluator_free(s->ev[a]);
        s->params[a] = s->var_values[a] = NULL;
        s->ev[a] = NULL;
    }
}

double sample_term(synth_ctx *C, term_id t, int a) {
    return term_evaluator_eval(C->smp.ev[a], t, C->smp.var_values[a]);
}

static bool flat_index(const spec_tensor *st, const int64_t *idx, int64_t *flat) {
    int64_t f = 0;
    for (int d = 0; d < st->rank; d++) {
        if (idx[d] < 0 || idx[d] >= st->shape[d]) return false;
        f = f * st->shape[d] + idx[d];
    }
    *flat = f;
    return true;
}

bool sample_input(synth_ctx *C, int run, int tensor, const int64_t *idx, int a, double *out) {
    const spec_tensor *st = &C->sp->runs[run].tensors[tensor];
    int64_t flat;
    if (!flat_index(st, idx, &flat)) return false;
    if (st->is_float) {
        const plan_tensor *pt = &C->op->tensors[tensor];
        *out = input_value(C->smp.seed, a, tensor, st->rank, idx, pt->lo, pt->hi);
    } else if (st->ints) {
        *out = (double)st->ints[flat];
    } else {
        return false;
    }
    return true;
}

bool sample_name(synth_ctx *C, int run, const char *name, int a, double *out) {
    int k = spec_size_index(C->sp, name);
    if (k >= 0) {
        *out = (double)C->sp->runs[run].sizes[k];
        return true;
    }
    int p = param_index(C->op, name);
    if (p < 0) return false;
    *out = C->smp.params[a][p];
    return true;
}

bool sample_output(synth_ctx *C, int run, int tensor, const int64_t *idx, int a, double *out) {
    const spec_tensor *st = &C->sp->runs[run].tensors[tensor];
    int64_t flat;
    if (!st->elems || !flat_index(st, idx, &flat) || st->elems[flat] == TERM_NONE) return false;
    *out = sample_term(C, st->elems[flat], a);
    return true;
}
