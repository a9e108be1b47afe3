/* recursion: a launch sequence's `call` step by which a variant runs itself on smaller sizes
 * (FlagGems' scan-then-fan scans its block totals that way), proved by induction.
 *
 * The claim, for every configuration c the variant is run in (verify.c run_proof: the top-level
 * one, every tensor in a buffer of its own, and each one a call binds, e.g. x and y to one
 * temp) and every size vector s (sizes >= 1, preconditions hold): run in c with sizes s, the
 * variant leaves in each output buffer the formula over the initial contents of its inputs.
 * Strong induction on sum(s). The run of the variant in c with symbolic s proves the step; at a
 * call step under path condition p (the `when` guards), with the callee's sizes s' and tensors
 * as the binding gives them, this module adds the VCs, under p,
 *   call-measure   every size in s' is >= 1 and sum(s') < sum(s)
 *   call-pre       the callee's preconditions (its constexprs evaluated for s')
 *   call-shape     every tensor is a whole buffer (offset 0) whose shape and strides are the
 *                  ones the tensor's declaration gives for s'
 * records the call's configuration (so that it is proved as well) and applies the hypothesis:
 * where p holds, each output's buffer then holds the formula for s' over what the buffers held
 * before the call, and every other buffer the callee can name holds unknown values (it may
 * have written them). The callee names only the operator's tensors (bound, or inherited from
 * the caller's scope) and its own temps, fresh at every activation: being the same variant,
 * they shadow the caller's, so no other buffer changes. What a call passes on may be any
 * extended real (NaN too: the block total of masked lanes), so a call's configuration is proved
 * for inputs of any value, not only the finite reals the operator's own inputs are. Only calls of the variant itself are
 * handled; a generalized literal block size is the same symbol at every level (the claim is
 * for each of its values). */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

static int find_size(const plan_op *op, const char *name) {
    for (int i = 0; i < op->n_sizes; i++)
        if (strcmp(op->sizes[i].name, name) == 0) return i;
    return -1;
}

static int find_tensor(const plan_op *op, const char *name) {
    for (int i = 0; i < op->n_tensors; i++)
        if (strcmp(op->tensors[i].name, name) == 0) return i;
    return -1;
}

void valias_describe(const plan_op *op, const valias *c, char *out, int size) {
    int n = 0;
    out[0] = 0;
    for (int i = 0; i < c->n && n < size; i++)
        if (c->share[i] != i)
            n += snprintf(out + n, (size_t)(size - n), "%s%s = %s", n ? ", " : "", op->tensors[c->share[i]].name, op->tensors[i].name);
    if (!out[0]) snprintf(out, (size_t)size, "no tensors share a buffer");
}

static void call_vc(vctx *X, const plan_step *st, vt_id path, vt_id goal, const char *kind, const char *what) {
    vcond *v = vx_add_vc(X, kind, st->line, "%s (call of '%s' at %s:%d)", what, st->variant, X->op->manifest, st->line);
    v->launch = -1;
    vc_add_hyp(X, v, path);
    v->goal = goal;
}

/* The callee's scope: the binding over the caller's scope, then the callee's constexprs. */
static bool callee_scope(vctx *X, const plan_step *st, const hscope *scope, hscope *cs) {
    const plan_op *op = X->op;
    for (int i = 0; i < st->n_bind; i++) {
        const plan_binding *b = &st->bind[i];
        int ti = find_tensor(op, b->name), si = find_size(op, b->name);
        if (ti < 0 && si < 0) {
            vx_unsupported(X, op->manifest, st->line, "call binds '%s', which is neither a size nor a tensor of the operator", b->name);
            return false;
        }
        hval hv;
        if (!host_sym_eval(X, &b->value, scope, &hv)) return false;
        if ((ti >= 0 && hv.kind != HK_TENSOR) || (si >= 0 && hv.kind != HK_INT)) {
            vx_unsupported(X, op->manifest, st->line, "call binds %s '%s' to a value of another kind", ti >= 0 ? "tensor" : "size", b->name);
            return false;
        }
        hscope_set(cs, b->name, hv);
    }
    for (int i = 0; i < X->variant->n_constexprs; i++) {
        hval hv;
        if (!vx_constexpr_value(X, &X->variant->constexprs[i], cs, &hv)) return false;
        hscope_set(cs, X->variant->constexprs[i].name, hv);
    }
    return true;
}

/* call-measure: the sizes stay >= 1 and their sum decreases. */
static bool measure(vctx *X, const plan_step *st, const hscope *scope, const hscope *cs, vt_id path) {
    vt_store *s = X->s;
    vt_id before = vt_int(s, 0), after = vt_int(s, 0), goal = vt_bool(s, true);
    for (int i = 0; i < X->op->n_sizes; i++) {
        const hval *a = hscope_get(scope, X->op->sizes[i].name), *b = hscope_get(cs, X->op->sizes[i].name);
        if (!a || !b || a->kind != HK_INT || b->kind != HK_INT) {
            vx_unsupported(X, X->op->manifest, st->line, "size '%s' is not an integer at the call", X->op->sizes[i].name);
            return false;
        }
        before = vt_add(s, before, a->t);
        after = vt_add(s, after, b->t);
        goal = vt_and(s, goal, vt_le(s, vt_int(s, 1), b->t));
    }
    call_vc(X, st, path, vt_and(s, goal, vt_lt(s, after, before)), "call-measure", "the callee's sizes are >= 1 and their sum is smaller");
    return true;
}

/* call-shape for op tensor ti bound to buffer hv->buf in the callee's scope. */
static bool tensor_matches(vctx *X, const plan_step *st, int ti, const hval *hv, const hscope *cs, vt_id path) {
    vt_store *s = X->s;
    const plan_tensor *t = &X->op->tensors[ti];
    const vbuf *B = &X->bufs[hv->buf];
    if (t->rank != B->rank || vx_sort_of_dtype(t->dtype) != vx_sort_of_dtype(B->dtype)) {
        vx_unsupported(X, X->op->manifest, st->line, "call binds tensor '%s' to '%s' of another rank or element type", t->name, B->name);
        return false;
    }
    vt_id goal = vt_eq(s, hv->t, vt_int(s, 0));
    vt_id acc = vt_int(s, 1), shape[VMAX_RANK];
    for (int d = 0; d < t->rank; d++) {
        if (!host_sym_int(X, &t->shape[d], cs, &shape[d])) return false;
        goal = vt_and(s, goal, vt_eq(s, shape[d], B->shape[d]));
    }
    for (int d = t->rank - 1; d >= 0; d--) {
        vt_id stride = acc;
        if (t->strides[0].text && !host_sym_int(X, &t->strides[d], cs, &stride)) return false;
        goal = vt_and(s, goal, vt_eq(s, stride, B->stride[d]));
        acc = vt_mul(s, acc, shape[d]);
    }
    char what[160];
    snprintf(what, sizeof what, "tensor '%s' is all of '%s', with the shape and strides it is declared with", t->name, B->name);
    call_vc(X, st, path, goal, "call-shape", what);
    return true;
}

static vt_id index_var(vctx *X, int buf, int d) {
    char name[64];
    snprintf(name, sizeof name, "i%d_%d", buf, d);   /* the names postcond.c gives them */
    return vt_var(X->s, name, VS_INT);
}

bool recursion_call(vctx *X, const plan_step *st, const hscope *scope, vt_id path) {
    vt_store *s = X->s;
    const plan_op *op = X->op;
    const plan_variant *callee = plan_find_variant(op, st->variant);
    if (!callee) {
        diag_set(&X->err, DIAG_ERROR, op->manifest, st->line, st->col, "unknown variant '%s'", st->variant);
        return false;
    }
    if (callee != X->variant) {
        vx_unsupported(X, op->manifest, st->line, "call of another variant ('%s'): only a variant's calls of itself are proved (by induction)",
                       st->variant);
        return false;
    }
    hscope cs;
    hscope_init(&cs, scope);
    bool ok = callee_scope(X, st, scope, &cs) && measure(X, st, scope, &cs, path);
    for (int i = 0; ok && i < callee->n_preconditions; i++) {
        vt_id c;
        ok = host_sym_bool(X, &callee->preconditions[i], &cs, &c);
        if (ok) {
            char what[160];
            snprintf(what, sizeof what, "precondition '%.100s' holds for the callee", callee->preconditions[i].text);
            call_vc(X, st, path, c, "call-pre", what);
        }
    }
    /* the tensors, the configuration they make, and the buffers the callee can change */
    valias cfg = {op->n_tensors, {0}, true};
    int bufs[VMAX_BUFS];
    for (int i = 0; ok && i < op->n_tensors; i++) {
        const hval *hv = hscope_get(&cs, op->tensors[i].name);
        if (!hv || hv->kind != HK_TENSOR) {
            vx_unsupported(X, op->manifest, st->line, "tensor '%s' is not a tensor at the call", op->tensors[i].name);
            ok = false;
            break;
        }
        bufs[i] = hv->buf;
        cfg.share[i] = i;
        for (int j = 0; j < i; j++)
            if (bufs[j] == bufs[i] && cfg.share[i] == i) cfg.share[i] = j;
        ok = tensor_matches(X, st, i, hv, &cs, path);
    }
    if (ok) {
        bool known = false;
        for (size_t k = 0; k < X->call_configs.len; k++) {
            const valias *c = &X->call_configs.items[k];
            known = known || memcmp(c->share, cfg.share, (size_t)cfg.n * sizeof cfg.share[0]) == 0;
        }
        if (!known) vec_push(&X->call_configs, cfg);
    }
    /* the hypothesis: the new contents, all computed from the contents before the call */
    vt_id after[VMAX_BUFS] = {0};
    bool output[VMAX_BUFS] = {0};
    for (int i = 0; ok && i < op->n_tensors; i++) {
        int b = bufs[i];
        vbuf *B = &X->bufs[b];
        for (int d = 0; d < B->rank; d++) B->idx[d] = index_var(X, b, d);
        const plan_tensor *t = &op->tensors[i];
        if (t->role == ROLE_OUTPUT || t->role == ROLE_INOUT) {
            if (output[b]) {
                vx_unsupported(X, op->manifest, st->line, "call binds two outputs to one buffer ('%s')", B->name);
                ok = false;
                break;
            }
            output[b] = true;
            after[b] = spec_in_scope(X, t->name, &cs, true, B->idx);
            ok = after[b] != VT_NONE;
        } else if (!output[b] && !after[b]) {
            after[b] = vt_app(s, vx_fresh(X, "havoc:"), vx_sort_of_dtype(B->dtype), B->rank, B->idx);
        }
    }
    for (int b = 0; ok && b < X->n_bufs; b++) {
        if (!after[b]) continue;
        vbuf *B = &X->bufs[b];
        vwrite w = {X->launch, b, buffer_state_at(X, b, B->idx), VT_NONE, B->written ? B->written : vt_bool(s, false), VT_NONE, true};
        w.state_after = vt_ite(s, path, after[b], w.state_before);
        w.written_after = output[b] ? vt_or(s, path, w.written_before) : w.written_before;
        B->state = w.state_after;
        B->written = w.written_after;
        B->last_writer = X->launch;
        vec_push(&X->writes, w);
    }
    X->launch++;
    hscope_free(&cs);
    return ok && !vx_failed(X);
}
