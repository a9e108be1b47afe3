/* index: inference of index expressions — which element of an input (or output) a family of
 * terms reads, where a reduction's range starts and ends, and which positions a piecewise
 * formula's condition selects. The index grammar (see grammar.c) is enumerated by size with
 * observational equivalence on a sample of the family's members; the first expression that
 * gives the target at the sampled members is then checked at every member. */
#include "synth/synth_internal.h"
#include "util/hash.h"
#include <string.h>

#define MAX_SAMPLE 48
#define MAX_CANDIDATES 60000

typedef enum atom_kind { ATOM_VAR, ATOM_SIZE, ATOM_PARAM, ATOM_INT_INPUT, ATOM_CONST } atom_kind;

typedef struct atom {
    atom_kind kind;
    int slot;                  /* ATOM_VAR: scope slot; ATOM_SIZE: size index; ATOM_PARAM: param index;
                                  ATOM_INT_INPUT: tensor */
    int vars[PLAN_MAX_RANK];   /* ATOM_INT_INPUT: scope slots of its indices */
    int64_t value;             /* ATOM_CONST */
} atom;

typedef struct icand {
    int op;                    /* 0: atom a; else '+', '-', '*', FOP_FLOORDIV, '%' */
    int a, b;
    int size;
} icand;

typedef struct index_search {
    synth_ctx *C;
    const family *f;
    int sample[MAX_SAMPLE];
    int n_sample;
    atom *atoms;
    int n_atoms;
    icand *cands;
    int64_t *vals;             /* [cand * n_sample + s] */
    int n_cands, cap_cands;
    u64map seen;               /* value-vector hash -> 1 + candidate */
} index_search;

static const int ops[] = {'+', '-', '*', FOP_FLOORDIV, '%'};
#define N_OPS ((int)(sizeof ops / sizeof ops[0]))

static int64_t floordiv(int64_t x, int64_t y) {
    int64_t q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) q--;
    return q;
}

static bool apply(int op, int64_t x, int64_t y, int64_t *out) {
    switch (op) {
    case '+': return !__builtin_add_overflow(x, y, out);
    case '-': return !__builtin_sub_overflow(x, y, out);
    case '*': return !__builtin_mul_overflow(x, y, out);
    case FOP_FLOORDIV: if (y == 0) return false; *out = floordiv(x, y); return true;
    default: if (y == 0) return false; *out = x - floordiv(x, y) * y; return true;
    }
}

static bool atom_value(index_search *S, const atom *at, const member *m, int64_t *out) {
    const spec_run *run = &S->C->sp->runs[m->run];
    switch (at->kind) {
    case ATOM_VAR: *out = m->env[at->slot]; return true;
    case ATOM_SIZE: *out = run->sizes[at->slot]; return true;
    case ATOM_PARAM: *out = (int64_t)S->C->op->params[at->slot].value; return true;
    case ATOM_CONST: *out = at->value; return true;
    case ATOM_INT_INPUT: {
        const spec_tensor *st = &run->tensors[at->slot];
        int64_t flat = 0;
        for (int d = 0; d < st->rank; d++) {
            int64_t i = m->env[at->vars[d]];
            if (i < 0 || i >= st->shape[d]) return false;
            flat = flat * st->shape[d] + i;
        }
        *out = st->ints[flat];
        return true;
    }
    }
    return false;
}

static bool cand_value(index_search *S, int c, const member *m, int64_t *out) {
    const icand *k = &S->cands[c];
    if (k->op == 0) return atom_value(S, &S->atoms[k->a], m, out);
    int64_t x, y;
    return cand_value(S, k->a, m, &x) && cand_value(S, k->b, m, &y) && apply(k->op, x, y, out);
}

static void collect_atoms(index_search *S) {
    synth_ctx *C = S->C;
    const scope *sc = S->f->sc;
    int cap = sc->n + C->sp->n_sizes + C->op->n_params + grammar_n_index_constants + 64;
    S->atoms = xcalloc((size_t)cap, sizeof *S->atoms);
    for (int i = sc->n - 1; i >= 0; i--) S->atoms[S->n_atoms++] = (atom){ATOM_VAR, i, {0}, 0};
    for (int k = 0; k < C->sp->n_sizes; k++) S->atoms[S->n_atoms++] = (atom){ATOM_SIZE, k, {0}, 0};
    for (int p = 0; p < C->op->n_params; p++) {
        const plan_param *pp = &C->op->params[p];
        if (!pp->symbolic && !elem_dtype_is_float(pp->dtype)) S->atoms[S->n_atoms++] = (atom){ATOM_PARAM, p, {0}, 0};
    }
    /* integer inputs read at scope variables, in scope order (t[i,j]) */
    for (int t = 0; t < C->op->n_tensors && S->n_atoms < cap - grammar_n_index_constants; t++) {
        const spec_tensor *st = &C->sp->runs[0].tensors[t];
        if (!st->ints || st->rank > sc->n || st->rank == 0) continue;
        int vars[PLAN_MAX_RANK];
        /* choose increasing slots: combinations of rank out of n */
        for (int d = 0; d < st->rank; d++) vars[d] = d;
        for (;;) {
            if (S->n_atoms >= cap - grammar_n_index_constants) break;
            atom at = {ATOM_INT_INPUT, t, {0}, 0};
            memcpy(at.vars, vars, sizeof vars);
            S->atoms[S->n_atoms++] = at;
            int d = st->rank - 1;
            while (d >= 0 && vars[d] == sc->n - st->rank + d) d--;
            if (d < 0) break;
            vars[d]++;
            for (int e = d + 1; e < st->rank; e++) vars[e] = vars[e - 1] + 1;
        }
    }
    for (int c = 0; c < grammar_n_index_constants; c++)
        S->atoms[S->n_atoms++] = (atom){ATOM_CONST, 0, {0}, grammar_index_constants[c]};
}

static void search_init(index_search *S, synth_ctx *C, const family *f) {
    memset(S, 0, sizeof *S);
    S->C = C;
    S->f = f;
    int n = f->n < MAX_SAMPLE ? f->n : MAX_SAMPLE;
    for (int s = 0; s < n; s++) S->sample[S->n_sample++] = (int)((int64_t)s * f->n / n);
    u64map_init(&S->seen);
    collect_atoms(S);
}

static void search_free(index_search *S) {
    free(S->atoms);
    free(S->cands);
    free(S->vals);
    u64map_free(&S->seen);
}

/* Adds a candidate when it is defined at every sampled member and its values are new. Returns
 * its index or -1. */
static int add_cand(index_search *S, icand k) {
    if (S->n_cands >= MAX_CANDIDATES) return -1;
    if (S->n_cands == S->cap_cands) {
        S->cap_cands = S->cap_cands ? 2 * S->cap_cands : 256;
        S->cands = xrealloc(S->cands, (size_t)S->cap_cands * sizeof *S->cands);
        S->vals = xrealloc(S->vals, (size_t)S->cap_cands * (size_t)S->n_sample * sizeof *S->vals);
    }
    int c = S->n_cands;
    S->cands[c] = k;
    int64_t *v = &S->vals[(size_t)c * (size_t)S->n_sample];
    uint64_t h = 0x1234;
    for (int s = 0; s < S->n_sample; s++) {
        const member *m = &S->f->m[S->sample[s]];
        bool ok;
        if (k.op == 0) ok = atom_value(S, &S->atoms[k.a], m, &v[s]);
        else ok = apply(k.op, S->vals[(size_t)k.a * (size_t)S->n_sample + (size_t)s], S->vals[(size_t)k.b * (size_t)S->n_sample + (size_t)s], &v[s]);
        if (!ok) return -1;
        h = hash_mix(h, (uint64_t)v[s]);
    }
    S->C->stats->candidates++;
    uint64_t prev;
    if (u64map_get(&S->seen, h, &prev) && memcmp(&S->vals[(prev - 1) * (size_t)S->n_sample], v, (size_t)S->n_sample * sizeof *v) == 0) {
        S->C->stats->pruned++;
        return -1;
    }
    u64map_put(&S->seen, h, (uint64_t)c + 1);
    S->n_cands++;
    return c;
}

static fexpr *cand_fexpr(index_search *S, int c) {
    synth_ctx *C = S->C;
    const icand *k = &S->cands[c];
    if (k->op) return fx_binop(C, k->op, cand_fexpr(S, k->a), cand_fexpr(S, k->b));
    const atom *at = &S->atoms[k->a];
    switch (at->kind) {
    case ATOM_VAR: return fx_name(C, S->f->sc->names[at->slot]);
    case ATOM_SIZE: return fx_name(C, C->op->sizes[at->slot].name);
    case ATOM_PARAM: return fx_name(C, C->op->params[at->slot].name);
    case ATOM_CONST: return fx_num(C, (double)at->value);
    case ATOM_INT_INPUT: {
        const spec_tensor *st = &C->sp->runs[0].tensors[at->slot];
        fexpr *idx[PLAN_MAX_RANK];
        for (int d = 0; d < st->rank; d++) idx[d] = fx_name(C, S->f->sc->names[at->vars[d]]);
        return fx_access(C, st->name, st->rank, idx);
    }
    }
    return NULL;
}

/* Candidate c gives target at every member of the family. */
static bool matches_all(index_search *S, int c, const int64_t *target) {
    for (int s = 0; s < S->n_sample; s++)
        if (S->vals[(size_t)c * (size_t)S->n_sample + (size_t)s] != target[S->sample[s]]) return false;
    for (int k = 0; k < S->f->n; k++) {
        int64_t v;
        if (!cand_value(S, c, &S->f->m[k], &v) || v != target[k]) return false;
    }
    return true;
}

/* Builds the candidates of the next size (3 from atoms, 5 from sizes 1 and 3). Calls back for
 * each new one; stops when the callback says so. */
typedef bool (*visit_fn)(index_search *S, int c, void *ctx);

static int enumerate(index_search *S, int max_size, visit_fn visit, void *ctx) {
    int level_start[8] = {0}, level_end[8] = {0};
    level_start[1] = 0;
    for (int a = 0; a < S->n_atoms; a++) {
        int c = add_cand(S, (icand){0, a, 0, 1});
        if (c >= 0 && visit(S, c, ctx)) return c;
    }
    level_end[1] = S->n_cands;
    for (int size = 3; size <= max_size; size += 2) {
        level_start[size] = S->n_cands;
        for (int left = 1; left <= size - 2; left += 2) {
            int right = size - 1 - left;
            for (int o = 0; o < N_OPS; o++)
                for (int x = level_start[left]; x < level_end[left]; x++)
                    for (int y = level_start[right]; y < level_end[right]; y++) {
                        if ((ops[o] == '+' || ops[o] == '*') && left == right && y < x) continue;
                        if (synth_out_of_time(S->C)) return -1;
                        int c = add_cand(S, (icand){ops[o], x, y, size});
                        if (c >= 0 && visit(S, c, ctx)) return c;
                    }
        }
        level_end[size] = S->n_cands;
    }
    return -1;
}

static bool visit_target(index_search *S, int c, void *ctx) { return matches_all(S, c, ctx); }

fexpr *index_infer(synth_ctx *C, const family *f, const int64_t *target) {
    if (f->n == 0) return NULL;
    index_search S;
    search_init(&S, C, f);
    int c = enumerate(&S, 5, visit_target, (void *)target);
    fexpr *e = c >= 0 ? cand_fexpr(&S, c) : NULL;
    search_free(&S);
    return e;
}

static const fcmp cond_ops[] = {FC_LE, FC_LT, FC_EQ, FC_NE};

static bool cond_holds(fcmp op, int64_t x, int64_t y) {
    switch (op) {
    case FC_LT: return x < y;
    case FC_LE: return x <= y;
    case FC_EQ: return x == y;
    default: return x != y;
    }
}

static bool never(index_search *S, int c, void *ctx) {
    (void)S, (void)c, (void)ctx;
    return false;
}

fexpr *index_infer_condition(synth_ctx *C, const family *f, const bool *truth) {
    if (f->n == 0) return NULL;
    index_search S;
    search_init(&S, C, f);
    enumerate(&S, 3, never, NULL);
    fexpr *found = NULL;
    /* pairs in order of total size: atom vs atom first */
    for (int total = 2; total <= 6 && !found; total += 2) {
        for (int x = 0; x < S.n_cands && !found; x++)
            for (int y = 0; y < S.n_cands && !found; y++) {
                if (S.cands[x].size + S.cands[y].size != total || x == y) continue;
                for (int o = 0; o < 4 && !found; o++) {
                    bool ok = true;
                    for (int s = 0; s < S.n_sample && ok; s++)
                        ok = cond_holds(cond_ops[o], S.vals[(size_t)x * (size_t)S.n_sample + (size_t)s],
                                        S.vals[(size_t)y * (size_t)S.n_sample + (size_t)s]) == truth[S.sample[s]];
                    for (int k = 0; k < f->n && ok; k++) {
                        int64_t vx, vy;
                        ok = cand_value(&S, x, &f->m[k], &vx) && cand_value(&S, y, &f->m[k], &vy) &&
                             cond_holds(cond_ops[o], vx, vy) == truth[k];
                    }
                    if (ok) found = fx_cmp(C, cond_ops[o], cand_fexpr(&S, x), cand_fexpr(&S, y));
                }
            }
    }
    search_free(&S);
    return found;
}
