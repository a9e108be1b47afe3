/* crosscheck: see crosscheck.h. */
#include "check/crosscheck.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

void size_point_format(const size_point *p, char *buf, int size) {
    int n = 0;
    buf[0] = 0;
    for (int i = 0; i < p->n && n < size; i++)
        n += snprintf(buf + n, (size_t)(size - n), "%s%s=%lld", i ? ", " : "", p->sizes[i].name, (long long)p->sizes[i].value);
}

static void check_values(const plan_op *op, int s, int64_t *values, int *n) {
    const plan_size *size = &op->sizes[s];
    for (int k = 0; k < op->n_check_sizes; k++)
        if (strcmp(op->check_sizes[k].name, size->name) == 0) {
            *n = op->check_sizes[k].n_values < 16 ? op->check_sizes[k].n_values : 16;
            memcpy(values, op->check_sizes[k].values, (size_t)*n * sizeof *values);
            return;
        }
    values[0] = 1;
    values[1] = size->value;
    values[2] = 2 * size->value + 3;
    *n = size->value == 1 ? 2 : 3;
    if (size->value == 1) values[1] = 5;
}

static bool same_point(const size_point *a, const size_point *b) {
    for (int i = 0; i < a->n; i++)
        if (a->sizes[i].value != b->sizes[i].value) return false;
    return true;
}

static void add_point(size_point *points, int *n, int max, const size_point *p) {
    for (int i = 0; i < *n; i++)
        if (same_point(&points[i], p)) return;
    if (*n < max) points[(*n)++] = *p;
}

int crosscheck_size_points(const plan_op *op, size_point *points, int max) {
    int n_sizes = op->n_sizes < CROSSCHECK_MAX_SIZES ? op->n_sizes : CROSSCHECK_MAX_SIZES;
    size_point base = {0}, lo = {0}, hi = {0};
    base.n = lo.n = hi.n = n_sizes;
    int64_t values[CROSSCHECK_MAX_SIZES][16];
    int n_values[CROSSCHECK_MAX_SIZES];
    for (int s = 0; s < n_sizes; s++) {
        check_values(op, s, values[s], &n_values[s]);
        base.sizes[s] = lo.sizes[s] = hi.sizes[s] = (exec_size){op->sizes[s].name, op->sizes[s].value};
        for (int k = 0; k < n_values[s]; k++) {
            if (values[s][k] < lo.sizes[s].value) lo.sizes[s].value = values[s][k];
            if (values[s][k] > hi.sizes[s].value) hi.sizes[s].value = values[s][k];
        }
    }
    int n = 0;
    add_point(points, &n, max, &base);
    for (int s = 0; s < n_sizes; s++)
        for (int k = 0; k < n_values[s]; k++) {
            size_point p = base;
            p.sizes[s].value = values[s][k];
            add_point(points, &n, max, &p);
        }
    add_point(points, &n, max, &lo);
    add_point(points, &n, max, &hi);
    return n;
}

/* ---- the formula's view of one run ---- */

typedef struct run_env {
    const plan_op *op;
    const exec_result *r;
    const size_point *point;
} run_env;

static const exec_buffer *find_tensor(const run_env *e, const char *name) {
    for (int t = 0; t < e->r->n_tensors; t++)
        if (strcmp(e->r->mem.buffers[t]->name, name) == 0) return e->r->mem.buffers[t];
    return NULL;
}

static double lane_double(const exec_buffer *b, const elem *lanes, int64_t off) {
    return b->ty.cls == VC_FLOAT ? lanes[off].u.f : (double)lanes[off].u.i;
}

static bool env_tensor(void *ctx, const char *name, int rank, const int64_t *index, double *out) {
    const run_env *e = ctx;
    const exec_buffer *b = find_tensor(e, name);
    if (!b || b->rank != rank) return false;
    int64_t off = 0;
    for (int d = 0; d < rank; d++) {
        if (index[d] < 0 || index[d] >= b->shape[d]) return false;
        off += index[d] * b->strides[d];
    }
    /* Inputs are read as given; an inout tensor's input values were kept before the run. */
    *out = lane_double(b, b->initial ? b->initial : b->data, off);
    return true;
}

static bool env_param(void *ctx, const char *name, double *out) {
    const run_env *e = ctx;
    for (int i = 0; i < e->point->n; i++)
        if (strcmp(e->point->sizes[i].name, name) == 0) { *out = (double)e->point->sizes[i].value; return true; }
    for (int i = 0; i < e->op->n_params; i++)
        if (strcmp(e->op->params[i].name, name) == 0) { *out = e->op->params[i].value; return true; }
    return false;
}

/* Compares every output element at one point. Returns false and writes the message on the first
 * failing element (after counting all mismatches). */
static bool compare_point(const plan_op *op, const exec_result *run, const formula *f, const size_point *point,
                          const crosscheck_options *opt, crosscheck_result *r) {
    run_env env_ctx = {op, run, point};
    formula_env env = {env_tensor, env_param, &env_ctx};
    formula_evaluator *ev = formula_evaluator_new(f, &env);
    char where[128];
    size_point_format(point, where, sizeof where);
    bool ok = true;
    for (int t = 0; t < run->n_tensors && ok; t++) {
        const exec_buffer *b = run->mem.buffers[t];
        if (b->role != ROLE_OUTPUT && b->role != ROLE_INOUT) continue;
        if (!formula_find(f, b->name)) {
            snprintf(r->message, sizeof r->message, "the formula has no equation for output '%s'", b->name);
            ok = false;
            break;
        }
        int64_t total = exec_buffer_numel(b), idx[MAX_RANK];
        for (int64_t flat = 0; flat < total; flat++) {
            int64_t off = exec_buffer_flat_offset(b, flat, idx);
            char elem_name[96];
            exec_buffer_format_element(b, idx, elem_name, sizeof elem_name);
            double want;
            diag err = {0};
            if (!formula_eval(ev, b->name, idx, &want, &err)) {
                char msg[700];
                diag_format(&err, msg, sizeof msg);
                snprintf(r->message, sizeof r->message, "at %s: %s: the formula cannot be evaluated: %s", where, elem_name, msg);
                ok = false;
                break;
            }
            r->elements++;
            if (!b->defined[off]) {
                if (!r->mismatches++)
                    snprintf(r->message, sizeof r->message, "at %s: %s is never written by the kernel (formula: %.9g)", where, elem_name, want);
                continue;
            }
            double got = lane_double(b, b->data, off);
            double bound = opt->atol + opt->rtol * fabs(want);
            /* equal values agree (two infinities of one sign, whose difference is NaN, too) */
            double err_ratio = got == want ? 0 : fabs(got - want) / bound;
            if (isnan(got) != isnan(want) || (!isnan(got) && !(err_ratio <= 1.0))) {
                if (!r->mismatches++)
                    snprintf(r->message, sizeof r->message, "at %s: %s: kernel gives %.9g, formula gives %.9g", where, elem_name, got, want);
            } else if (err_ratio > r->max_error) {
                r->max_error = err_ratio;
            }
        }
        if (r->mismatches) {
            size_t len = strlen(r->message);
            snprintf(r->message + len, sizeof r->message - len, " (%lld of %lld elements of %s differ)",
                     (long long)r->mismatches, (long long)total, b->name);
            ok = false;
        }
    }
    formula_evaluator_free(ev);
    return ok;
}

bool crosscheck_variant(const plan_op *op, const plan_variant *v, const exec_sources *src, const formula *f,
                        const size_point *points, int n_points, const crosscheck_options *opt,
                        crosscheck_result *r) {
    memset(r, 0, sizeof *r);
    r->ok = true;
    for (int p = 0; p < n_points && r->ok; p++) {
        exec_options eo = {0};
        eo.mode = EXEC_CONCRETE;
        eo.seed = opt->seed + (uint64_t)p;
        eo.inputs = opt->inputs;
        eo.sizes = points[p].sizes;
        eo.n_sizes = points[p].n;
        exec_result run;
        bool ran = exec_operator(op, v, src, &eo, &run);
        if (!ran && run.precondition_failed) {
            r->points_skipped++;
            exec_result_free(&run);
            continue;
        }
        if (!ran) {
            char where[128], msg[700];
            size_point_format(&points[p], where, sizeof where);
            diag_format(&run.err, msg, sizeof msg);
            snprintf(r->message, sizeof r->message, "at %s: the kernel failed: %s", where, msg);
            r->kernel_fault = run.err.kind == DIAG_RUNTIME;
            r->ok = false;
        } else {
            r->points_run++;
            r->ok = compare_point(op, &run, f, &points[p], opt, r);
        }
        exec_result_free(&run);
    }
    if (r->ok && r->points_run == 0) {
        snprintf(r->message, sizeof r->message, "the variant's preconditions hold at none of the %d size points", n_points);
        r->ok = false;
    }
    return r->ok;
}

bool crosscheck_refutes(const crosscheck_result *r) { return !r->ok && (r->mismatches > 0 || r->kernel_fault); }
