/* synth: the driver of the synthesis stage (see synth.h). Outputs are lifted one after the other
 * in manifest order; each may refer to outputs lifted before or after it as long as no cycle
 * arises. With top-down search, an output is lifted in passes of growing bottom-up size bound
 * (4, 6, then the maximum), so that a piece found small near the root is not preceded by an
 * exhaustive search of a deep piece; the candidate banks persist across passes. */
#include "synth/synth_internal.h"
#include "util/timing.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

void synth_options_default(synth_options *o) {
    memset(o, 0, sizeof *o);
    o->topdown = true;
    o->prune = true;
    o->max_size = 10;
    o->max_memory_mb = 1024;
    o->seed = 1;
}

bool synth_out_of_time(synth_ctx *C) {
    if (C->timed_out) return true;
    if (C->deadline > 0 && time_now() > C->deadline) C->timed_out = true;
    return C->timed_out;
}

static bool is_output(const plan_op *op, int t) { return op->tensors[t].role == ROLE_OUTPUT || op->tensors[t].role == ROLE_INOUT; }

/* Whether `from`'s formula reaches `to` through references. */
static bool reaches(const synth_ctx *C, int from, int to, int depth) {
    if (from == to) return true;
    if (depth > C->op->n_tensors) return false;
    for (int u = 0; u < C->op->n_tensors; u++)
        if (C->references[from * C->op->n_tensors + u] && reaches(C, u, to, depth + 1)) return true;
    return false;
}

bool synth_may_reference(const synth_ctx *C, int tensor) {
    return tensor != C->current && is_output(C->op, tensor) && !reaches(C, tensor, C->current, 0);
}

int synth_first_elem(const synth_ctx *C, int run, term_id t) {
    uint64_t v;
    if (!u64map_get(&C->elem_of, ((uint64_t)run << 32) | t, &v)) return -1;
    return (int)v - 1;
}

static void index_elements(synth_ctx *C) {
    for (int r = 0; r < C->sp->n_runs; r++)
        for (int t = 0; t < C->op->n_tensors; t++) {
            const spec_tensor *st = &C->sp->runs[r].tensors[t];
            if (!st->elems) continue;
            for (int64_t k = 0; k < st->numel; k++) {
                uint64_t key = ((uint64_t)r << 32) | st->elems[k], prev;
                elem_ref ref = {t, k, u64map_get(&C->elem_of, key, &prev) ? (int)prev - 1 : -1};
                /* keep chains in manifest order of tensors: append at the end */
                if (ref.next >= 0) {
                    int q = ref.next;
                    while (C->elem_refs.items[q].next >= 0) q = C->elem_refs.items[q].next;
                    ref.next = -1;
                    vec_push(&C->elem_refs, ref);
                    C->elem_refs.items[q].next = (int)C->elem_refs.len - 1;
                    continue;
                }
                vec_push(&C->elem_refs, ref);
                u64map_put(&C->elem_of, key, C->elem_refs.len);
            }
        }
}

static bool name_taken(const plan_op *op, const char *name) {
    for (int k = 0; k < op->n_sizes; k++)
        if (strcmp(op->sizes[k].name, name) == 0) return true;
    for (int p = 0; p < op->n_params; p++)
        if (strcmp(op->params[p].name, name) == 0) return true;
    for (int t = 0; t < op->n_tensors; t++)
        if (strcmp(op->tensors[t].name, name) == 0) return true;
    return false;
}

static void choose_names(synth_ctx *C) {
    static const char *const indices[] = {"i", "j", "l", "m", "p", "q", "r", "c", "d", "e"};
    static const char *const binders[] = {"k", "s", "t", "u", "v", "w", "a", "g", "h", "o", "z"};
    int n = 0;
    for (size_t i = 0; i < sizeof indices / sizeof *indices && n < PLAN_MAX_RANK; i++)
        if (!name_taken(C->op, indices[i])) C->index_names[n++] = indices[i];
    for (; n < PLAN_MAX_RANK; n++) C->index_names[n] = arena_printf(C->a, "i%d_", n);
    n = 0;
    for (size_t i = 0; i < sizeof binders / sizeof *binders && n < SYNTH_MAX_SCOPE; i++)
        if (!name_taken(C->op, binders[i])) C->binder_names[n++] = binders[i];
    for (; n < SYNTH_MAX_SCOPE; n++) C->binder_names[n] = arena_printf(C->a, "k%d_", n);
}

/* Real constants of an output's terms (0.7071067811 in gelu): terminals of the bottom-up search.
 * Integers are left out — at a fixed size they are usually sizes folded into constants. */
static void collect_constants(synth_ctx *C, int tensor) {
    C->spec_constants.len = 0;
    u64map seen;
    u64map_init(&seen);
    VEC(term_id) stack = {0};
    for (int r = 0; r < C->sp->n_runs; r++) {
        const spec_tensor *st = &C->sp->runs[r].tensors[tensor];
        for (int64_t k = 0; k < st->numel; k++) vec_push(&stack, st->elems[k]);
    }
    while (stack.len && C->spec_constants.len < 8) {
        term_id t = stack.items[--stack.len];
        if (t == TERM_NONE || u64map_get(&seen, t, NULL)) continue;
        u64map_put(&seen, t, 1);
        const term_node *n = term_get(C->ts, t);
        if (n->op == T_CONST && n->type == TY_REAL && isfinite(n->u.cval) && n->u.cval != floor(n->u.cval)) {
            bool known = n->u.cval == 0.5;
            for (size_t i = 0; i < C->spec_constants.len; i++) known = known || C->spec_constants.items[i] == n->u.cval;
            if (!known) vec_push(&C->spec_constants, n->u.cval);
        }
        for (int i = 0; i < n->n_args; i++) vec_push(&stack, n->args[i]);
    }
    vec_free(&stack);
    u64map_free(&seen);
}

static void mark_references(synth_ctx *C, int from, const fexpr *e) {
    if (!e) return;
    if (e->kind == FX_ACCESS) {
        int t = spec_tensor_index(C->sp, e->name);
        if (t >= 0 && is_output(C->op, t)) C->references[from * C->op->n_tensors + t] = true;
    }
    for (int i = 0; i < e->n_args; i++) mark_references(C, from, e->args[i]);
}

fexpr *lift_output(synth_ctx *C, const scope *sc) {
    family all;
    family_init(&all, sc);
    for (int r = 0; r < C->sp->n_runs; r++) {
        if (!synth_run_in_bound(C, r)) continue;
        const spec_tensor *st = &C->sp->runs[r].tensors[sc->output];
        int64_t env[SYNTH_MAX_SCOPE] = {0};
        for (int64_t flat = 0; flat < st->numel; flat++) {
            int64_t rem = flat;
            for (int d = st->rank - 1; d >= 0; d--) {
                env[d] = rem % st->shape[d];
                rem /= st->shape[d];
            }
            family_add(&all, st->elems[flat], r, env);
        }
    }
    int max = C->opt->max_size > 0 ? C->opt->max_size : 10;
    fexpr *e = NULL;
    if (C->opt->topdown) {
        int caps[] = {4, 6, max};
        for (size_t p = 0; p < sizeof caps / sizeof *caps && !e && !C->timed_out && !C->memory_exhausted; p++) {
            if (caps[p] > max || (p > 0 && caps[p] <= caps[p - 1])) continue;
            C->size_cap = caps[p];
            e = topdown_lift(C, &all);
        }
    } else {
        C->size_cap = max;
        e = bottomup_find(C, &all);
        if (e) C->stats->bottomup_pieces++;
    }
    family_free(&all);
    return e;
}

/* Bounded synthesis over growing list bounds (Tenspiler's loop): fit the runs whose sizes are all
 * <= the bound, check the result against every run (the "full check" of the candidate), and on
 * a failure raise the bound to the next power of two and search again. *c and why: the last
 * check. */
static fexpr *lift_with_growing_bounds(synth_ctx *C, const scope *sc, check_outcome *c, char *why, int why_size) {
    int64_t largest = 0;
    for (int r = 0; r < C->sp->n_runs; r++)
        for (int k = 0; k < C->sp->n_sizes; k++)
            if (C->sp->runs[r].sizes[k] > largest) largest = C->sp->runs[r].sizes[k];
    fexpr *e = NULL;
    *c = CHECK_FAILED;
    for (int64_t bound = 2;; bound *= 2) {
        C->run_bound = bound >= largest ? 0 : bound;
        bool any = false;
        for (int r = 0; r < C->sp->n_runs && !any; r++) any = synth_run_in_bound(C, r);
        if (any) {
            banks_free(C);   /* the banks' positions belong to the previous bound's runs */
            C->memory_exhausted = false;
            e = lift_output(C, sc);
            C->run_bound = 0;
            if (e) *c = check_output(C, sc->output, sc, e, why, why_size);
            if (e && *c != CHECK_FAILED) return e;
        }
        if (bound >= largest || C->timed_out) break;
    }
    C->run_bound = 0;
    if (e && *c == CHECK_FAILED) return e;   /* the caller reports the failed check */
    return NULL;
}

int formula_node_count(const formula *f) {
    int n = 0;
    for (int q = 0; f && q < f->n_eqs; q++) n += fx_size(f->eqs[q].rhs);
    return n;
}

const char *synth_check_kind(const synth_stats *s) { return s->outputs_numeric ? "numeric" : "exact"; }

void synth_ctx_init(synth_ctx *C, arena *a, const spec *sp, const synth_options *o, synth_stats *stats) {
    memset(C, 0, sizeof *C);
    C->a = a;
    arena_init(&C->scratch);
    C->sp = sp;
    C->op = sp->op;
    C->ts = sp->terms;
    C->opt = o;
    C->stats = stats;
    C->deadline = o->time_limit > 0 ? time_now() + o->time_limit : 0;
    u64map_init(&C->elem_of);
    u64map_init(&C->sig);
    u64map_init(&C->norm);
    dialect_init(C);
    choose_names(C);
    index_elements(C);
    samples_init(C);
    int nt = C->op->n_tensors;
    C->lifted = arena_alloc(&C->scratch, (size_t)(nt + 1) * sizeof *C->lifted);
    C->references = arena_alloc(&C->scratch, (size_t)(nt * nt + 1) * sizeof *C->references);
}

const scope *synth_begin_output(synth_ctx *C, int tensor) {
    C->current = tensor;
    C->subformulas.len = 0;
    u64map_free(&C->sig);   /* signatures see references, which depend on the output */
    banks_free(C);
    C->memory_exhausted = false;
    collect_constants(C, tensor);
    scope *sc = arena_alloc(&C->scratch, sizeof *sc);
    sc->n = sc->n_outer = C->sp->runs[0].tensors[tensor].rank;
    sc->output = tensor;
    for (int d = 0; d < sc->n; d++) sc->names[d] = C->index_names[d];
    return sc;
}

void synth_ctx_free(synth_ctx *C) {
    banks_free(C);
    samples_free(&C->smp);
    u64map_free(&C->elem_of);
    u64map_free(&C->sig);
    u64map_free(&C->norm);
    vec_free(&C->elem_refs);
    vec_free(&C->subformulas);
    vec_free(&C->spec_constants);
    arena_free(&C->scratch);
}

bool synth_run(arena *a, const spec *sp, const synth_options *o, synth_result *r) {
    memset(r, 0, sizeof *r);
    double t0 = time_now();
    spec_defect defect = spec_check_outputs(sp, r->message, sizeof r->message);
    if (defect != SPEC_DEFINED) {
        r->status = defect == SPEC_UNWRITTEN ? SYNTH_UNWRITTEN : SYNTH_UNSPECIFIED;
        r->stats.seconds = time_now() - t0;
        return false;
    }
    synth_ctx C;
    synth_ctx_init(&C, a, sp, o, &r->stats);
    int nt = C.op->n_tensors;
    const scope **scopes = arena_alloc(&C.scratch, (size_t)(nt + 1) * sizeof *scopes);
    r->status = SYNTH_OK;
    for (int t = 0; t < nt && r->status == SYNTH_OK; t++) {
        if (!is_output(C.op, t)) continue;
        const scope *sc = scopes[t] = synth_begin_output(&C, t);
        const char *name = C.op->tensors[t].name;
        char why[256] = "";
        check_outcome c = CHECK_FAILED;
        fexpr *e = o->growing_bounds ? lift_with_growing_bounds(&C, sc, &c, why, sizeof why) : lift_output(&C, sc);
        if (!e) {
            int max = o->max_size > 0 ? o->max_size : 10;
            if (C.timed_out) {
                r->status = SYNTH_TIMEOUT;
                snprintf(r->message, sizeof r->message, "synthesis time limit (%g s) reached while lifting %s", o->time_limit, name);
            } else {
                r->status = SYNTH_NO_FORMULA;
                snprintf(r->message, sizeof r->message, "no formula in the grammar matches the spec of %s (bottom-up candidates up to size %d%s)",
                         name, max, C.memory_exhausted ? ", stopped at the candidate memory bound" : "");
            }
            break;
        }
        if (!o->growing_bounds) c = check_output(&C, t, sc, e, why, sizeof why);
        if (c == CHECK_FAILED) {
            r->status = SYNTH_NO_FORMULA;
            snprintf(r->message, sizeof r->message, "the formula found for %s fails the check against the spec: %s", name, why);
            break;
        }
        if (c == CHECK_EXACT) r->stats.outputs_exact++;
        else r->stats.outputs_numeric++;
        C.lifted[t] = e;
        mark_references(&C, t, e);
    }
    if (r->status == SYNTH_OK) {
        formula *f = arena_alloc(a, sizeof *f);
        f->eqs = arena_alloc(a, (size_t)(nt + 1) * sizeof *f->eqs);
        for (int t = 0; t < nt; t++) {
            if (!is_output(C.op, t)) continue;
            fequation *q = &f->eqs[f->n_eqs++];
            q->output = C.op->tensors[t].name;
            q->n_indices = scopes[t]->n;
            q->indices = arena_alloc(a, (size_t)(q->n_indices + 1) * sizeof *q->indices);
            for (int d = 0; d < q->n_indices; d++) q->indices[d] = scopes[t]->names[d];
            q->rhs = C.lifted[t];
        }
        r->f = f;
    }
    synth_ctx_free(&C);
    r->stats.seconds = time_now() - t0;
    return r->status == SYNTH_OK;
}
