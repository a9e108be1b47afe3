/* spec: symbolic execution of one variant at automatically chosen size points (see spec.h). */
#include "synth/spec.h"
#include "exec/memory.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Base values in order of preference: 3 is small, not a power of two and not a multiple of
 * the usual tile sizes; 1 comes late because every reduction over one element degenerates. */
static const int64_t base_preference[] = {3, 2, 5, 4, 6, 7, 9, 8, 1, 13, 16, 17};
#define N_PREFERENCE ((int)(sizeof base_preference / sizeof base_preference[0]))
#define MAX_BASE_ATTEMPTS 400
#define MAX_EXTRA_PER_SYMBOL 3
#define MAX_TERMS (4u << 20)      /* stop adding points once the shared store is this large */

typedef enum run_outcome { RUN_KEPT, RUN_SKIPPED, RUN_FATAL } run_outcome;

typedef struct builder {
    arena *a;
    const plan_op *op;
    const plan_variant *v;
    const exec_sources *src;
    const spec_options *o;
    spec *s;
    diag *err;
    diag first_skip;           /* why the first skipped point was skipped (reported if none runs) */
} builder;

static int64_t numel_of(const exec_buffer *b) { return exec_buffer_numel(b); }
static int64_t storage_offset(const exec_buffer *b, int64_t flat) { return exec_buffer_flat_offset(b, flat, NULL); }

static term_id element_term(term_store *ts, const exec_buffer *b, const elem *e) {
    if (e->sym) return e->u.t;
    if (b->ty.cls == VC_FLOAT) return term_real(ts, e->u.f);
    if (b->ty.cls == VC_BOOL) return term_bool(ts, e->u.i != 0);
    return term_int(ts, e->u.i);
}

/* Copies what synthesis needs out of a finished run. */
static void keep_run(builder *B, const exec_result *r, const int64_t *sizes) {
    spec *s = B->s;
    spec_run *run = &s->runs[s->n_runs++];
    memcpy(run->sizes, sizes, sizeof run->sizes);
    snprintf(run->bindings, sizeof run->bindings, "%s", r->bindings);
    run->seconds = r->seconds;
    run->tensors = arena_alloc(B->a, (size_t)(B->op->n_tensors ? B->op->n_tensors : 1) * sizeof *run->tensors);
    for (int t = 0; t < B->op->n_tensors && t < r->n_tensors; t++) {
        const exec_buffer *b = r->mem.buffers[t];
        const plan_tensor *pt = &B->op->tensors[t];
        spec_tensor *st = &run->tensors[t];
        st->name = pt->name;
        st->role = pt->role;
        st->is_float = b->ty.cls == VC_FLOAT;
        st->rank = b->rank;
        memcpy(st->shape, b->shape, sizeof(int64_t) * (size_t)b->rank);
        st->numel = numel_of(b);
        st->lo = pt->lo;
        st->hi = pt->hi;
        if (pt->role == ROLE_OUTPUT || pt->role == ROLE_INOUT) {
            st->elems = arena_alloc(B->a, (size_t)(st->numel ? st->numel : 1) * sizeof *st->elems);
            for (int64_t k = 0; k < st->numel; k++) {
                int64_t off = storage_offset(b, k);
                st->elems[k] = b->defined[off] ? element_term(s->terms, b, &b->data[off]) : TERM_NONE;
            }
        } else if (!st->is_float) {
            st->ints = arena_alloc(B->a, (size_t)(st->numel ? st->numel : 1) * sizeof *st->ints);
            for (int64_t k = 0; k < st->numel; k++) st->ints[k] = b->data[storage_offset(b, k)].u.i;
        }
    }
}

static int64_t output_elements(const plan_op *op, const exec_result *r) {
    int64_t n = 0;
    for (int t = 0; t < op->n_tensors && t < r->n_tensors; t++)
        if (op->tensors[t].role == ROLE_OUTPUT || op->tensors[t].role == ROLE_INOUT) n += numel_of(r->mem.buffers[t]);
    return n;
}

/* Runs the variant symbolically at one point. A point where a precondition fails, the kernel
 * faults or a limit is hit is skipped; an unsupported construct or bad input ends the spec. */
static run_outcome try_point(builder *B, const int64_t *sizes, bool bounded) {
    spec *s = B->s;
    if (s->n_runs >= (B->o->max_runs ? B->o->max_runs : SPEC_MAX_RUNS)) return RUN_SKIPPED;
    for (int r = 0; r < s->n_runs; r++)
        if (memcmp(s->runs[r].sizes, sizes, sizeof s->runs[r].sizes) == 0) return RUN_SKIPPED;
    exec_size es[SPEC_MAX_SIZES];
    for (int k = 0; k < s->n_sizes; k++) es[k] = (exec_size){B->op->sizes[k].name, sizes[k]};
    exec_options eo = {0};
    eo.mode = EXEC_SYMBOLIC;
    eo.seed = 1;
    eo.sizes = es;
    eo.n_sizes = s->n_sizes;
    eo.terms = s->terms;
    exec_result r;
    s->attempts++;
    bool ok = exec_operator(B->op, B->v, B->src, &eo, &r);
    run_outcome out = RUN_KEPT;
    if (!ok) {
        if (!r.precondition_failed && (r.err.kind == DIAG_UNSUPPORTED || r.err.kind == DIAG_ERROR)) {
            *B->err = r.err;
            out = RUN_FATAL;
        } else {
            if (B->first_skip.kind == DIAG_NONE) B->first_skip = r.err;
            out = RUN_SKIPPED;
        }
    } else {
        int64_t limit = B->o->max_output_elements ? B->o->max_output_elements : 600;
        if (bounded && output_elements(B->op, &r) > limit) out = RUN_SKIPPED;
        else keep_run(B, &r, sizes);
    }
    s->seconds += r.seconds;
    exec_result_free(&r);
    return out;
}

/* Calls try_point on every combination of preference ranks whose sum is `left`, symbols from k
 * on, until one is kept. */
static run_outcome search_base(builder *B, int64_t *sizes, int k, int left, int *budget) {
    int n = B->s->n_sizes;
    if (k == n - 1) {
        if (left >= N_PREFERENCE) return RUN_SKIPPED;
        if ((*budget)-- <= 0) return RUN_SKIPPED;
        sizes[k] = base_preference[left];
        return try_point(B, sizes, false);
    }
    for (int r = 0; r <= left && r < N_PREFERENCE; r++) {
        sizes[k] = base_preference[r];
        run_outcome o = search_base(B, sizes, k + 1, left - r, budget);
        if (o != RUN_SKIPPED) return o;
        if (*budget <= 0) break;
    }
    return RUN_SKIPPED;
}

/* The largest integer constexpr of a run between 2 and 16 (tile sizes; larger values are not
 * tiles one can exceed at spec sizes), or 2. */
static int64_t largest_block(const spec *s, const spec_run *run) {
    int64_t best = 2;
    const char *p = run->bindings;
    while (*p) {
        const char *eq = strchr(p, '=');
        if (!eq) break;
        const char *end = strstr(eq, ", ");
        size_t name_len = (size_t)(eq - p);
        bool is_size = false;
        for (int k = 0; k < s->n_sizes; k++)
            is_size = is_size || (strlen(s->op->sizes[k].name) == name_len && strncmp(s->op->sizes[k].name, p, name_len) == 0);
        char *num_end;
        long long v = strtoll(eq + 1, &num_end, 10);
        bool is_int = num_end != eq + 1 && (num_end == end || *num_end == 0);
        if (!is_size && is_int && v >= 2 && v <= 16 && v > best) best = v;
        if (!end) break;
        p = end + 2;
    }
    return best;
}

bool spec_build(arena *a, const plan_op *op, const plan_variant *v, const exec_sources *src,
                const spec_options *o, spec *out, diag *err) {
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    static const spec_options defaults = {0};
    if (!o) o = &defaults;
    out->op = op;
    out->variant = v;
    out->terms = term_store_new();
    out->n_sizes = op->n_sizes < SPEC_MAX_SIZES ? op->n_sizes : SPEC_MAX_SIZES;
    builder B = {a, op, v, src, o, out, err, {0}};
    int64_t sizes[SPEC_MAX_SIZES] = {0};
    if (op->n_sizes > SPEC_MAX_SIZES) {
        diag_set(err, DIAG_ERROR, op->manifest, op->line, op->col, "operator '%s' has more than %d size symbols", op->name, SPEC_MAX_SIZES);
        return false;
    }
    if (o->fixed_sizes) {
        memcpy(sizes, o->fixed_sizes, sizeof(int64_t) * (size_t)out->n_sizes);
        run_outcome r = try_point(&B, sizes, false);
        if (r == RUN_FATAL) return false;
        if (r == RUN_SKIPPED) {
            *err = B.first_skip;
            if (err->kind == DIAG_NONE) diag_set(err, DIAG_ERROR, NULL, 0, 0, "the spec point was skipped");
            return false;
        }
        return true;
    }
    /* The base point: the cheapest combination of preferred values that runs. */
    int budget = MAX_BASE_ATTEMPTS;
    run_outcome base = RUN_SKIPPED;
    if (out->n_sizes == 0) {
        base = try_point(&B, sizes, false);
    } else {
        for (int cost = 0; base == RUN_SKIPPED && budget > 0 && cost < N_PREFERENCE * out->n_sizes; cost++)
            base = search_base(&B, sizes, 0, cost, &budget);
    }
    if (base == RUN_FATAL) return false;
    if (base == RUN_SKIPPED) {
        char why[600] = "";
        if (B.first_skip.kind != DIAG_NONE) diag_format(&B.first_skip, why, sizeof why);
        diag_set(err, DIAG_ERROR, v->name ? op->manifest : NULL, v->line, v->col,
                 "variant '%s' of '%s' runs at none of the candidate sizes (1..17 per size symbol)%s%s", v->name,
                 op->name, why[0] ? ": " : "", why);
        return false;
    }
    for (int e = 0; e < o->n_extra_points; e++) {
        int64_t point[SPEC_MAX_SIZES] = {0};
        memcpy(point, o->extra_points[e], sizeof(int64_t) * (size_t)out->n_sizes);
        if (try_point(&B, point, false) == RUN_FATAL) return false;
    }
    /* One symbol at a time: values around the largest block. */
    int64_t base_sizes[SPEC_MAX_SIZES];
    memcpy(base_sizes, out->runs[0].sizes, sizeof base_sizes);
    int64_t block = largest_block(out, &out->runs[0]);
    /* around the block first; then, when preconditions rule those out (K % 4 == 0), the other
     * small values, so that every symbol still varies */
    int64_t wanted[4 + N_PREFERENCE] = {block + 1, 2 * block + 1, block, 2};
    memcpy(wanted + 4, base_preference, sizeof base_preference);
    for (int k = 0; k < out->n_sizes; k++) {
        int extra = 0;
        for (size_t w = 0; w < sizeof wanted / sizeof wanted[0] && extra < MAX_EXTRA_PER_SYMBOL; w++) {
            bool repeated = wanted[w] == base_sizes[k];
            for (size_t u = 0; u < w; u++) repeated = repeated || wanted[u] == wanted[w];
            if (repeated || term_store_size(out->terms) > MAX_TERMS) continue;
            int64_t point[SPEC_MAX_SIZES];
            memcpy(point, base_sizes, sizeof point);
            point[k] = wanted[w];
            run_outcome r = try_point(&B, point, true);
            if (r == RUN_FATAL) return false;
            if (r == RUN_KEPT) extra++;
        }
    }
    return true;
}

void spec_free(spec *s) {
    if (s->terms) term_store_free(s->terms);
    s->terms = NULL;
}

void spec_format_point(const spec *s, int r, char *buf, int size) {
    int n = 0;
    buf[0] = 0;
    for (int k = 0; k < s->n_sizes && n < size; k++)
        n += snprintf(buf + n, (size_t)(size - n), "%s%s=%lld", k ? ", " : "", s->op->sizes[k].name, (long long)s->runs[r].sizes[k]);
}

int spec_tensor_index(const spec *s, const char *name) {
    for (int t = 0; t < s->op->n_tensors; t++)
        if (strcmp(s->op->tensors[t].name, name) == 0) return t;
    return -1;
}

int spec_size_index(const spec *s, const char *name) {
    for (int k = 0; k < s->n_sizes; k++)
        if (strcmp(s->op->sizes[k].name, name) == 0) return k;
    return -1;
}

static void format_element(const spec_tensor *t, int64_t flat, char *buf, int size) {
    int64_t idx[PLAN_MAX_RANK];
    for (int d = t->rank - 1; d >= 0; d--) {
        idx[d] = t->shape[d] ? flat % t->shape[d] : 0;
        flat = t->shape[d] ? flat / t->shape[d] : 0;
    }
    int n = snprintf(buf, (size_t)size, "%s", t->name);
    if (!t->rank) return;
    for (int d = 0; d < t->rank && n < size; d++) n += snprintf(buf + n, (size_t)(size - n), "%s%lld", d ? "," : "[", (long long)idx[d]);
    if (n < size) snprintf(buf + n, (size_t)(size - n), "]");
}

/* Marks, for every term reachable from the outputs, whether it depends on an unspecified value.
 * Iterative post-order over the DAG (terms can be deep). */
static bool depends_on_undef(const term_store *ts, term_id root, uint8_t *state) {
    /* state: 0 unknown, 1 clean, 2 depends, 3 on the stack */
    if (state[root] == 1 || state[root] == 2) return state[root] == 2;
    size_t cap = 64, n = 0;
    term_id *stack = xmalloc(cap * sizeof *stack);
    stack[n++] = root;
    while (n) {
        term_id t = stack[n - 1];
        const term_node *node = term_get(ts, t);
        if (state[t] == 0) {
            state[t] = 3;
            if (node->op == T_VAR) {
                const term_variable *v = term_var_info(ts, node->u.var);
                state[t] = strcmp(v->name, "undef") == 0 ? 2 : 1;
                n--;
                continue;
            }
            for (int i = 0; i < node->n_args; i++) {
                term_id c = node->args[i];
                if (state[c] != 0) continue;
                if (n == cap) stack = xrealloc(stack, (cap *= 2) * sizeof *stack);
                stack[n++] = c;
            }
            continue;
        }
        if (state[t] == 3) {
            uint8_t st = 1;
            for (int i = 0; i < node->n_args; i++)
                if (state[node->args[i]] == 2) st = 2;
            state[t] = st;
        }
        n--;
    }
    free(stack);
    return state[root] == 2;
}

spec_defect spec_check_outputs(const spec *s, char *why, int why_size) {
    size_t n_terms = term_store_size(s->terms) + 1;
    uint8_t *state = xcalloc(n_terms, 1);
    spec_defect defect = SPEC_DEFINED;
    bool ok = true;
    for (int r = 0; r < s->n_runs && ok; r++) {
        for (int t = 0; t < s->op->n_tensors && ok; t++) {
            const spec_tensor *st = &s->runs[r].tensors[t];
            if (!st->elems) continue;
            for (int64_t k = 0; k < st->numel && ok; k++) {
                char name[96], point[160];
                if (st->elems[k] != TERM_NONE && !depends_on_undef(s->terms, st->elems[k], state)) continue;
                format_element(st, k, name, sizeof name);
                spec_format_point(s, r, point, sizeof point);
                defect = st->elems[k] == TERM_NONE ? SPEC_UNWRITTEN : SPEC_UNSPECIFIED;
                if (st->elems[k] == TERM_NONE)
                    snprintf(why, (size_t)why_size, "output %s is never written at %s", name, point);
                else
                    snprintf(why, (size_t)why_size,
                             "output %s at %s depends on an unspecified value (a masked-off lane loaded without other=, "
                             "or memory never written)", name, point);
                ok = false;
            }
        }
    }
    free(state);
    return defect;
}
