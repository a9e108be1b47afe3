/* postcond: from the accesses VC generation recorded to the VCs about memory:
 *   load bounds    every active load lane reads inside its tensor's storage;
 *   store bounds   every active store lane writes at a valid logical index of its tensor;
 *   post           an output written by one launch: every store lane writes the formula's
 *                  value at its logical index (so all writers of an element agree: no conflict);
 *   coverage       every element of the output is written: a witness program/iteration/lane
 *                  (witness.c) is in range, active and writes it;
 *   state          a buffer read by a later launch (or an output written by several launches):
 *                  what the launch leaves there, as a term over the buffer's index variables
 *                  built from the witnesses (compositional reasoning over launch sequences),
 *                  with a VC that every store lane agrees with it; outputs of several launches
 *                  are then compared with the formula through their final state. */
#include "verify/verify_internal.h"
#include <stdio.h>
#include <string.h>

static vt_id index_var(vctx *X, int buf, int d) {
    char name[64];
    snprintf(name, sizeof name, "i%d_%d", buf, d);
    return vt_var(X->s, name, VS_INT);
}

/* A normalizer for the terms of access a: its variables' ranges, and a prover that knows the
 * access is active (so that a masked offset (r*N + c) // N simplifies to r when c < N). */
typedef struct anf { nf_ctx nf; vprover p; } anf;

static nf_ctx *make_nf_ix(vctx *X, const vaccess *a, const vt_id *ix) {
    anf *c = arena_alloc(X->a, sizeof *c);
    vc_range r[2 * VMAX_RANK + 32];
    int n = 0;
    if (a) {
        for (int i = 0; i < a->n_q && n < 32; i++) r[n++] = a->q[i];
        for (int d = 0; d < a->rank; d++) r[n++] = (vc_range){vx_lane(X, d), vt_int(X->s, 0), a->shape[d]};
        if (ix)
            for (int d = 0; d < X->bufs[a->buf].rank; d++) r[n++] = (vc_range){ix[d], vt_int(X->s, 0), X->bufs[a->buf].shape[d]};
    }
    vprover_init(&c->p, X, &c->nf, r, n, a ? &a->active : NULL, a ? 1 : 0);
    if (a) {
        vprover_set_launch(&c->p, a->launch);
        nf_clear_memo(&c->nf);
    }
    return &c->nf;
}

static nf_ctx *make_nf(vctx *X, const vaccess *a) { return make_nf_ix(X, a, NULL); }

static void free_nf(nf_ctx *nf) {
    anf *c = (anf *)nf;
    vprover_free(&c->p);
    nf_free(&c->nf);
}

/* The initial contents of a buffer: its memory function (inputs) or garbage. */
static vt_id initial_state(vctx *X, int buf, const vt_id *ix) {
    vbuf *b = &X->bufs[buf];
    vt_id off = layout_offset(X, buf, ix);
    vt_sort sort = vx_sort_of_dtype(b->dtype);
    if (b->role == ROLE_INPUT || b->role == ROLE_INOUT) return vt_app1(X->s, b->mem, sort, off);
    char name[96];
    snprintf(name, sizeof name, "undef:init:%s", b->name);
    return vt_app1(X->s, name, sort, off);
}

vt_id buffer_read(vctx *X, int buf, vt_id offset, vt_sort sort) {
    vbuf *b = &X->bufs[buf];
    if (!b->state) return vt_app1(X->s, b->mem, sort, offset);
    nf_ctx *nf = make_nf(X, NULL);
    vt_id idx[VMAX_RANK];
    if (!layout_index(X, nf, buf, offset, idx)) {
        free_nf(nf);
        vx_unsupported(X, X->cur_file, 0, "reading tensor '%s' whose strides do not nest", b->name);
        return vt_app1(X->s, b->mem, sort, offset);
    }
    free_nf(nf);
    vt_id v = vt_subst_many(X->s, b->state, b->rank, b->idx, idx);
    return vt_convert(X->s, v, sort);
}

vt_id buffer_state_at(vctx *X, int buf, const vt_id *idx) {
    vbuf *b = &X->bufs[buf];
    if (!b->state) return vt_app1(X->s, b->mem, vx_sort_of_dtype(b->dtype), layout_offset(X, buf, idx));
    return vt_subst_many(X->s, b->state, b->rank, b->idx, idx);
}

/* Adds the access's quantified variables, lanes and activity to a VC. */
static void access_context(vctx *X, vcond *v, const vaccess *a, bool with_active) {
    v->launch = a->launch;
    for (int i = 0; i < a->n_q; i++) vc_add_range(X, v, a->q[i].var, a->q[i].lo, a->q[i].hi);
    for (int d = 0; d < a->rank; d++) vc_add_range(X, v, vx_lane(X, d), vt_int(X->s, 0), a->shape[d]);
    if (with_active) vc_add_hyp(X, v, a->active);
}

static const char *buf_name(vctx *X, int b) { return X->bufs[b].name; }

/* Logical index of a store; emits the store-bounds VC. */
static bool store_index(vctx *X, const vaccess *a, vt_id *idx) {
    vt_store *s = X->s;
    nf_ctx *nf = make_nf(X, a);
    bool ok = layout_index(X, nf, a->buf, a->offset, idx);
    free_nf(nf);
    if (!ok) {
        vx_unsupported(X, X->cur_file, a->line, "storing into tensor '%s' whose strides do not nest", buf_name(X, a->buf));
        return false;
    }
    const vbuf *b = &X->bufs[a->buf];
    vcond *v = vx_add_vc(X, "store-bounds", a->line, "store into %s stays inside its shape", b->name);
    access_context(X, v, a, true);
    vt_id goal = vt_eq(s, layout_offset(X, a->buf, idx), a->offset);
    for (int d = 0; d < b->rank; d++)
        goal = vt_and(s, goal, vt_and(s, vt_le(s, vt_int(s, 0), idx[d]), vt_lt(s, idx[d], b->shape[d])));
    v->goal = goal;
    return true;
}

/* The witness validity condition of store a for target index ix: in range, active, writes ix.
 * *value receives the value it writes there. */
static bool store_witness(vctx *X, const vaccess *a, const vt_id *idx, const vt_id *ix, vt_id *valid, vt_id *value, char *why,
                          int why_size) {
    vt_store *s = X->s;
    const vbuf *b = &X->bufs[a->buf];
    int n = a->n_q + a->rank;
    vt_id *vars = arena_alloc(X->a, (size_t)(n + 1) * sizeof *vars), *lo = arena_alloc(X->a, (size_t)(n + 1) * sizeof *lo);
    vt_id *vals = arena_alloc(X->a, (size_t)(n + 1) * sizeof *vals), *hi = arena_alloc(X->a, (size_t)(n + 1) * sizeof *hi);
    for (int i = 0; i < a->n_q; i++) { vars[i] = a->q[i].var; lo[i] = a->q[i].lo; hi[i] = a->q[i].hi; }
    for (int d = 0; d < a->rank; d++) { vars[a->n_q + d] = vx_lane(X, d); lo[a->n_q + d] = vt_int(s, 0); hi[a->n_q + d] = a->shape[d]; }
    nf_ctx *nf = make_nf_ix(X, a, ix);
    bool ok = witness_solve(X, nf, b->rank, idx, ix, n, vars, lo, vals, why, why_size);
    free_nf(nf);
    if (!ok) return false;
    vt_id cond = vt_bool(s, true);
    for (int i = 0; i < n; i++) {
        vt_id l = vt_subst_many(s, lo[i], n, vars, vals), h = vt_subst_many(s, hi[i], n, vars, vals);
        cond = vt_and(s, cond, vt_and(s, vt_le(s, l, vals[i]), vt_lt(s, vals[i], h)));
    }
    cond = vt_and(s, cond, vt_subst_many(s, a->active, n, vars, vals));
    for (int d = 0; d < b->rank; d++) cond = vt_and(s, cond, vt_eq(s, vt_subst_many(s, idx[d], n, vars, vals), ix[d]));
    *valid = cond;
    if (value) *value = a->value ? vt_subst_many(s, a->value, n, vars, vals) : VT_NONE;
    return true;
}

/* A launch that reads a buffer it also writes. VC generation gave every load the contents from
 * before the launch; that is what the load sees only when no other program writes the element
 * (programs run in any order) and its own program writes it only later in program order (not
 * before the load, nor in an earlier iteration of a loop around both). For every load and
 * store of one buffer: where both are active and meet at one element, the store's program ids
 * and the loop iterations around both are the load's, and the store comes after the load. */
static void read_write_order(vctx *X, int launch) {
    vt_store *s = X->s;
    for (size_t i = 0; i < X->accesses.len; i++) {
        const vaccess *L = &X->accesses.items[i];
        if (L->launch != launch || L->store) continue;
        for (size_t j = 0; j < X->accesses.len; j++) {
            const vaccess *S = &X->accesses.items[j];
            if (S->launch != launch || !S->store || S->buf != L->buf) continue;
            /* the store's variables renamed apart from the load's */
            int n = S->n_q + S->rank;
            vt_id *from = arena_alloc(X->a, (size_t)(n + 1) * sizeof *from), *to = arena_alloc(X->a, (size_t)(n + 1) * sizeof *to);
            for (int k = 0; k < S->n_q; k++) {
                from[k] = S->q[k].var;
                to[k] = vt_var(s, arena_printf(X->a, "%s~w", vt_get(s, S->q[k].var)->name), VS_INT);
            }
            for (int d = 0; d < S->rank; d++) {
                from[S->n_q + d] = vx_lane(X, d);
                to[S->n_q + d] = vt_var(s, arena_printf(X->a, "$L%d~w", d), VS_INT);
            }
            vcond *v = vx_add_vc(X, "read-write", L->line, "a load from %s sees no store of another program or a later step (store at line %d)",
                                 X->bufs[L->buf].name, S->line);
            access_context(X, v, L, true);
            for (int k = 0; k < S->n_q; k++)
                vc_add_range(X, v, to[k], vt_subst_many(s, S->q[k].lo, n, from, to), vt_subst_many(s, S->q[k].hi, n, from, to));
            for (int d = 0; d < S->rank; d++) vc_add_range(X, v, to[S->n_q + d], vt_int(s, 0), S->shape[d]);
            vc_add_hyp(X, v, vt_subst_many(s, S->active, n, from, to));
            vc_add_hyp(X, v, vt_eq(s, L->offset, vt_subst_many(s, S->offset, n, from, to)));
            vt_id goal = vt_bool(s, j > i);   /* recorded in program order */
            for (int k = 0; k < S->n_q && j > i; k++)
                for (int m = 0; m < L->n_q; m++)
                    if (L->q[m].var == S->q[k].var) goal = vt_and(s, goal, vt_eq(s, to[k], S->q[k].var));
            v->goal = goal;
        }
    }
}

/* Per-dimension sufficient conditions for a load-bounds VC: when the offset is syntactically
 * sum idx_d * stride_d (layout_split_offset), then 0 <= idx_d < shape_d and 0 <= stride_d for
 * every d give 0 <= offset <= sum (shape_d - 1) * stride_d = storage - 1. Each part is a small
 * query where the whole goal mixes every dimension into one nonlinear one; the parts are only
 * sufficient (an index may be out of its range while the sum is inside the storage), so the
 * whole goal stays the fallback. */
static void load_bounds_parts(vctx *X, vcond *v, const vaccess *a) {
    vt_store *s = X->s;
    const vbuf *b = &X->bufs[a->buf];
    if (b->rank < 2) return;   /* one dimension: the part would be the goal itself */
    vt_id idx[VMAX_RANK];
    nf_ctx *nf = make_nf(X, a);
    bool ok = layout_split_offset(X, nf, a->buf, a->offset, idx);
    free_nf(nf);
    if (!ok) return;
    v->parts = arena_alloc(X->a, (size_t)(3 * b->rank) * sizeof *v->parts);
    for (int d = 0; d < b->rank; d++) {
        v->parts[v->n_parts++] = vt_le(s, vt_int(s, 0), idx[d]);
        v->parts[v->n_parts++] = vt_lt(s, idx[d], b->shape[d]);
        v->parts[v->n_parts++] = vt_le(s, vt_int(s, 0), b->stride[d]);
    }
}

bool postcond_launch(vctx *X, int launch) {
    vt_store *s = X->s;
    read_write_order(X, launch);
    /* loads stay inside their tensors */
    for (size_t i = 0; i < X->accesses.len; i++) {
        const vaccess *a = &X->accesses.items[i];
        if (a->launch != launch || a->store) continue;
        vcond *v = vx_add_vc(X, "load-bounds", a->line, "load from %s stays inside its storage", buf_name(X, a->buf));
        access_context(X, v, a, true);
        v->goal = vt_and(s, vt_le(s, vt_int(s, 0), a->offset), vt_lt(s, a->offset, X->bufs[a->buf].storage));
        load_bounds_parts(X, v, a);
    }
    /* what each written buffer holds afterwards */
    for (int b = 0; b < X->n_bufs; b++) {
        vbuf *B = &X->bufs[b];
        bool written = false;
        for (size_t i = 0; i < X->accesses.len; i++)
            written = written || (X->accesses.items[i].launch == launch && X->accesses.items[i].store && X->accesses.items[i].buf == b);
        if (!written) continue;
        for (int d = 0; d < B->rank; d++) B->idx[d] = index_var(X, b, d);
        vwrite w = {launch, b, B->state, VT_NONE, B->written, VT_NONE, false};
        if (!w.state_before) w.state_before = initial_state(X, b, B->idx);
        if (!w.written_before) w.written_before = vt_bool(s, false);
        vt_id state = w.state_before, wr = w.written_before;
        bool ok = true;
        /* later stores of a program come later in the chain's priority: build from the first */
        for (size_t i = 0; i < X->accesses.len && ok; i++) {
            const vaccess *a = &X->accesses.items[i];
            if (a->launch != launch || !a->store || a->buf != b) continue;
            vt_id idx[VMAX_RANK], valid, value;
            char why[400];
            nf_ctx *nf = make_nf(X, a);
            ok = layout_index(X, nf, b, a->offset, idx);
            free_nf(nf);
            if (!ok || !store_witness(X, a, idx, B->idx, &valid, &value, why, sizeof why)) { ok = false; break; }
            state = vt_ite(s, valid, value, state);
            wr = vt_or(s, wr, valid);
        }
        if (!ok) {
            /* the contents are unknown; fine unless something reads them later (buffer_read) */
            w.state_after = VT_NONE;
            B->state = vt_app(s, vx_fresh(X, "unknown:"), vx_sort_of_dtype(B->dtype), B->rank, B->idx);
            B->written = vt_bool(s, false);
        } else {
            w.state_after = state;
            w.written_after = wr;
            B->state = state;
            B->written = wr;
        }
        B->last_writer = launch;
        vec_push(&X->writes, w);
    }
    return !vx_failed(X);
}

/* Launches (and recursive calls) that write buffer b. */
static int writer_launches(vctx *X, int b, int *first) {
    int n = 0, last = -1;
    *first = -1;
    for (size_t w = 0; w < X->writes.len; w++) n += X->writes.items[w].by_call && X->writes.items[w].buf == b;
    for (size_t i = 0; i < X->accesses.len; i++) {
        const vaccess *a = &X->accesses.items[i];
        if (!a->store || a->buf != b) continue;
        if (a->launch != last) {
            bool seen = false;
            for (size_t j = 0; j < i; j++)
                seen = seen || (X->accesses.items[j].store && X->accesses.items[j].buf == b && X->accesses.items[j].launch == a->launch);
            if (!seen) n++;
            last = a->launch;
        }
        if (*first < 0) *first = a->launch;
    }
    return n;
}

static void output_coverage(vctx *X, int b, int launch) {
    vt_store *s = X->s;
    vbuf *B = &X->bufs[b];
    vt_id ix[VMAX_RANK];
    for (int d = 0; d < B->rank; d++) ix[d] = index_var(X, b, d);
    vcond *v = vx_add_vc(X, "coverage", 0, "every element of %s is written", B->name);
    for (int d = 0; d < B->rank; d++) vc_add_range(X, v, ix[d], vt_int(s, 0), B->shape[d]);
    vt_id any = vt_bool(s, false);
    char why[400] = "";
    for (size_t i = 0; i < X->accesses.len; i++) {
        const vaccess *a = &X->accesses.items[i];
        if (a->launch != launch || !a->store || a->buf != b) continue;
        if (!v->line) v->line = a->line;
        vt_id idx[VMAX_RANK], valid;
        nf_ctx *nf = make_nf(X, a);
        bool ok = layout_index(X, nf, b, a->offset, idx);
        free_nf(nf);
        if (!ok || !store_witness(X, a, idx, ix, &valid, NULL, why, sizeof why)) continue;
        any = vt_or(s, any, valid);
    }
    if (vt_is_const(s, any, NULL) && why[0]) snprintf(v->what, sizeof v->what, "every element of %.60s is written (%.100s)", B->name, why);
    v->goal = any;
}

bool postcond_final(vctx *X) {
    vt_store *s = X->s;
    /* store bounds for every store */
    for (size_t i = 0; i < X->accesses.len; i++) {
        const vaccess *a = &X->accesses.items[i];
        vt_id idx[VMAX_RANK];
        if (a->store && !store_index(X, a, idx)) return false;
    }
    for (int b = 0; b < X->n_bufs; b++) {
        vbuf *B = &X->bufs[b];
        bool is_output = B->role == ROLE_OUTPUT || B->role == ROLE_INOUT;
        int first;
        int n_launches = writer_launches(X, b, &first);
        if (is_output && n_launches == 0) {
            vcond *v = vx_add_vc(X, "coverage", 0, "every element of %s is written (no launch writes it)", B->name);
            v->goal = vt_bool(s, false);
            continue;
        }
        if (n_launches == 0) continue;
        if (is_output && n_launches == 1 && first >= 0) {
            /* every store lane writes the formula's value at its index */
            for (size_t i = 0; i < X->accesses.len; i++) {
                const vaccess *a = &X->accesses.items[i];
                if (!a->store || a->buf != b) continue;
                vt_id idx[VMAX_RANK];
                nf_ctx *nf = make_nf(X, a);
                bool ok = layout_index(X, nf, b, a->offset, idx);
                free_nf(nf);
                if (!ok) return false;
                vt_id spec = spec_of_output(X, b, idx);
                if (!spec) return false;
                vcond *v = vx_add_vc(X, "post", a->line, "the value stored into %s is the formula's", B->name);
                access_context(X, v, a, true);
                for (int d = 0; d < B->rank; d++)
                    vc_add_hyp(X, v, vt_and(s, vt_le(s, vt_int(s, 0), idx[d]), vt_lt(s, idx[d], B->shape[d])));
                v->goal = vt_same(s, a->value, spec);
            }
            output_coverage(X, b, first);
            continue;
        }
        /* buffers with a state: every store agrees with the state its launch leaves */
        for (size_t w = 0; w < X->writes.len; w++) {
            const vwrite *wr = &X->writes.items[w];
            if (wr->buf != b) continue;
            if (!wr->state_after) {
                /* its state was not needed unless read later or compared below */
                if (is_output) { vx_unsupported(X, X->cur_file, 0, "cannot describe what the launches leave in %s", B->name); return false; }
                continue;
            }
            for (size_t i = 0; i < X->accesses.len; i++) {
                const vaccess *a = &X->accesses.items[i];
                if (!a->store || a->buf != b || a->launch != wr->launch) continue;
                vt_id idx[VMAX_RANK];
                nf_ctx *nf = make_nf(X, a);
                bool ok = layout_index(X, nf, b, a->offset, idx);
                free_nf(nf);
                if (!ok) return false;
                vcond *v = vx_add_vc(X, "state", a->line, "every store into %s agrees with what the launch leaves there", B->name);
                access_context(X, v, a, true);
                for (int d = 0; d < B->rank; d++)
                    vc_add_hyp(X, v, vt_and(s, vt_le(s, vt_int(s, 0), idx[d]), vt_lt(s, idx[d], B->shape[d])));
                v->goal = vt_same(s, a->value, vt_subst_many(s, wr->state_after, B->rank, B->idx, idx));
            }
        }
        if (is_output) {
            vt_id ix[VMAX_RANK];
            for (int d = 0; d < B->rank; d++) ix[d] = B->idx[d];
            vt_id spec = spec_of_output(X, b, ix);
            if (!spec) return false;
            vcond *v = vx_add_vc(X, "post", 0, "what the launches leave in %s is the formula", B->name);
            for (int d = 0; d < B->rank; d++) vc_add_range(X, v, ix[d], vt_int(s, 0), B->shape[d]);
            v->goal = vt_and(s, B->written, vt_same(s, B->state, spec));
        }
    }
    return !vx_failed(X);
}
