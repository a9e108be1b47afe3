/* counterexample: turns a satisfiable VC into evidence on the concrete interpreter. The model's
 * sizes, block sizes (rounded up to powers of two, as tl.arange needs) and input values (the
 * model's memory functions at every element) are replayed through exec_operator and the
 * outputs compared with the formula (check/crosscheck.h). A disagreement is a counterexample:
 * "at M=.., N=..: y[..]: kernel gives A, formula gives B". When the model's replay agrees (a
 * spurious model: the VC was too weak, not the kernel wrong) the same sizes and then the
 * operator's check sizes are tried with random inputs; only a concrete disagreement refutes.
 *
 * Testing comes first too (counterexample_by_testing): before any VC is generated the variant
 * runs at the operator's check sizes with three kinds of inputs, and a disagreement there (or
 * an out-of-bounds access or write conflict) is the same concrete counterexample, found in
 * milliseconds instead of after a proof attempt that can run out of time or meet a construct
 * the VC generator does not support. */
#include "verify/verify_internal.h"
#include "check/crosscheck.h"
#include <stdio.h>
#include <string.h>

#define MAX_REPLAY_SIZE 48
#define MAX_REPLAY_ELEMENTS 4096

static int64_t pow2_at_least(int64_t v) {
    int64_t p = 1;
    while (p < v && p < ((int64_t)1 << 20)) p <<= 1;
    return p;
}

/* A copy of the variant with generalized block sizes replaced by values. */
static plan_variant *variant_with_blocks(vctx *X, arena *a, const int64_t *values) {
    plan_variant *v = arena_alloc(a, sizeof *v);
    *v = *X->variant;
    v->constexprs = arena_alloc(a, (size_t)(v->n_constexprs + 1) * sizeof *v->constexprs);
    memcpy(v->constexprs, X->variant->constexprs, (size_t)v->n_constexprs * sizeof *v->constexprs);
    for (size_t g = 0; g < X->generalized.len; g++)
        for (int i = 0; i < v->n_constexprs; i++)
            if (strcmp(v->constexprs[i].name, X->generalized.items[g]) == 0)
                v->constexprs[i].value.text = arena_printf(a, "%lld", (long long)values[g]);
    return v;
}

static bool try_point(vctx *X, const plan_op *op, const plan_variant *v, const size_point *p, uint64_t seed, char *msg, int size,
                      const char *origin, counterexample_point *where) {
    crosscheck_options co = {seed, 1e-6, 1e-9, EXEC_INPUTS_UNIFORM};
    crosscheck_result cr;
    /* only concrete evidence refutes (a point where the preconditions fail is none) */
    if (crosscheck_variant(op, v, X->src, X->f, p, 1, &co, &cr) || !crosscheck_refutes(&cr)) return false;
    snprintf(msg, (size_t)size, "%s (%s)", cr.message, origin);
    where->sizes = *p;
    where->manifest_blocks = v == X->variant || X->generalized.len == 0;
    return true;
}

bool counterexample_explain(vctx *X, const vcond *vc, char *msg, int size, counterexample_point *where) {
    vt_store *s = X->s;
    const plan_op *op = X->op;
    arena a;
    arena_init(&a);
    size_point p = {0};
    bool have_model = true;
    for (int i = 0; i < op->n_sizes && i < CROSSCHECK_MAX_SIZES; i++) {
        int64_t v = op->sizes[i].value;
        if (!smt_model_int(X->smt, vt_var(s, op->sizes[i].name, VS_INT), &v)) have_model = false;
        if (v < 1) v = 1;
        if (v > MAX_REPLAY_SIZE) v = MAX_REPLAY_SIZE;
        p.sizes[p.n++] = (exec_size){op->sizes[i].name, v};
    }
    int64_t blocks[VMAX_BUFS] = {0};
    for (size_t g = 0; g < X->generalized.len && g < VMAX_BUFS; g++) {
        int64_t v = 0;
        if (!smt_model_int(X->smt, vt_var(s, X->generalized.items[g], VS_INT), &v) || v < 1) v = 1;
        blocks[g] = pow2_at_least(v > 64 ? 64 : v);
    }
    plan_variant *var = variant_with_blocks(X, &a, blocks);
    bool found = false;
    if (have_model) {
        /* the model's input values: run once to learn the concrete layouts */
        exec_options eo = {0};
        eo.mode = EXEC_CONCRETE;
        eo.seed = 1;
        eo.sizes = p.sizes;
        eo.n_sizes = p.n;
        exec_result run;
        bool ran = exec_operator(op, var, X->src, &eo, &run);
        if (ran) {
            plan_op *op2 = arena_alloc(&a, sizeof *op2);
            *op2 = *op;
            op2->tensors = arena_alloc(&a, (size_t)(op->n_tensors + 1) * sizeof *op2->tensors);
            memcpy(op2->tensors, op->tensors, (size_t)op->n_tensors * sizeof *op2->tensors);
            bool ok = true;
            for (int t = 0; t < op->n_tensors && ok; t++) {
                const plan_tensor *pt = &op->tensors[t];
                if (pt->role != ROLE_INPUT && pt->role != ROLE_INOUT) continue;
                const exec_buffer *b = run.mem.buffers[t];
                int64_t total = exec_buffer_numel(b), idx[MAX_RANK];
                if (total > MAX_REPLAY_ELEMENTS) { ok = false; break; }
                double *vals = arena_alloc(&a, (size_t)(total + 1) * sizeof *vals);
                for (int64_t k = 0; k < total; k++) {
                    int64_t off = exec_buffer_flat_offset(b, k, idx);
                    vt_id cell = vt_app1(s, X->bufs[hscope_get(&X->top, pt->name)->buf].mem, vx_sort_of_dtype(pt->dtype), vt_int(s, off));
                    double v = 0;
                    int64_t iv = 0;
                    if (vx_sort_of_dtype(pt->dtype) == VS_REAL) { if (!smt_model_real(X->smt, cell, &v)) v = 0; }
                    else if (smt_model_int(X->smt, cell, &iv)) v = (double)iv;
                    vals[k] = v;
                }
                op2->tensors[t].values = vals;
                op2->tensors[t].n_values = (int)total;
            }
            exec_result_free(&run);
            if (ok) found = try_point(X, op2, var, &p, 1, msg, size, "replay of the SMT model", where);
        } else {
            exec_result_free(&run);
        }
        if (!found) found = try_point(X, op, var, &p, 7, msg, size, "the model's sizes, random inputs", where);
    }
    if (!found) {
        size_point pts[64];
        int n = crosscheck_size_points(op, pts, 64);
        for (int i = 0; i < n && !found; i++) found = try_point(X, op, X->variant, &pts[i], 11 + (uint64_t)i, msg, size, "check sizes, random inputs", where);
        if (X->generalized.len)
            for (int i = 0; i < n && !found; i++) found = try_point(X, op, var, &pts[i], 31 + (uint64_t)i, msg, size, "check sizes, the model's block sizes", where);
    }
    if (!found)
        snprintf(msg, (size_t)size, "the SMT model of '%s' does not reproduce on the interpreter (a modelling gap, not a refutation)%s%s",
                 vc->what, vc->reason[0] ? ": " : "", vc->reason);
    arena_free(&a);
    return found;
}

bool counterexample_by_testing(const plan_op *op, const plan_variant *v, const exec_sources *src, const formula *f,
                               uint64_t seed, char *msg, int size, counterexample_point *where) {
    static const struct { exec_input_shape shape; const char *name; } kinds[] = {
        {EXEC_INPUTS_UNIFORM, "random inputs"},
        {EXEC_INPUTS_LOW_QUARTER, "random inputs from the low quarter of their range"},
        {EXEC_INPUTS_THREE_VALUES, "inputs drawn from three values (ties)"},
    };
    size_point pts[64];
    int n = crosscheck_size_points(op, pts, 64);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (int i = 0; i < n; i++) {
            crosscheck_options co = {seed + 101 * k + (uint64_t)i, 1e-6, 1e-9, kinds[k].shape};
            crosscheck_result cr;
            /* what is not concrete evidence (crosscheck_refutes) is left to the proof */
            if (crosscheck_variant(op, v, src, f, &pts[i], 1, &co, &cr) || !crosscheck_refutes(&cr)) continue;
            snprintf(msg, (size_t)size, "%s (testing before the proof: check sizes, %s, seed %llu)", cr.message, kinds[k].name,
                     (unsigned long long)co.seed);
            where->sizes = pts[i];
            where->manifest_blocks = true;
            return true;
        }
    return false;
}
