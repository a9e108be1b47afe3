/* equiv: evaluating two formulas on the same random inputs; see equiv.h. */
#include "simplify/equiv.h"
#include "util/hash.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_NAMES 32

typedef struct names {
    const char *s[MAX_NAMES];
    int n;
} names;

static void add_name(names *ns, const char *s) {
    for (int i = 0; i < ns->n; i++)
        if (strcmp(ns->s[i], s) == 0) return;
    if (ns->n < MAX_NAMES) ns->s[ns->n++] = s;
}

static bool has_name(const names *ns, const char *s) {
    for (int i = 0; i < ns->n; i++)
        if (strcmp(ns->s[i], s) == 0) return true;
    return false;
}

typedef struct env_ctx {
    names sizes, int_tensors, bound;
    uint64_t seed;
} env_ctx;

/* Sizes: free names in range bounds. Integer tensors: tensors read inside an index. */
static void scan(const fexpr *e, env_ctx *E, bool in_bound, bool in_index) {
    if (!e) return;
    if (e->kind == FX_NAME && (in_bound || in_index) && !has_name(&E->bound, e->name)) add_name(&E->sizes, e->name);
    if (e->kind == FX_ACCESS && in_index) add_name(&E->int_tensors, e->name);
    if (e->kind == FX_REDUCE && e->n_args == 3) {
        scan(e->args[0], E, true, in_index);
        scan(e->args[1], E, true, in_index);
        int saved = E->bound.n;
        add_name(&E->bound, e->var);
        scan(e->args[2], E, in_bound, in_index);
        E->bound.n = saved;
        return;
    }
    for (int i = 0; i < e->n_args; i++) scan(e->args[i], E, in_bound, in_index || e->kind == FX_ACCESS);
}

static double unit(uint64_t h) { return (double)(h >> 11) * (1.0 / 9007199254740992.0); }

static bool env_tensor(void *ctx, const char *name, int rank, const int64_t *index, double *out) {
    const env_ctx *E = ctx;
    if (rank == 0) return false;   /* a bare name is a parameter or a size */
    uint64_t h = hash_mix(E->seed, hash_bytes(name, strlen(name)));
    for (int d = 0; d < rank; d++) h = hash_mix(h, (uint64_t)index[d]);
    h = hash_mix(h, (uint64_t)rank);
    *out = has_name(&E->int_tensors, name) ? floor(3 * unit(h)) : -2 + 4 * unit(h);
    return true;
}

static bool env_param(void *ctx, const char *name, double *out) {
    const env_ctx *E = ctx;
    uint64_t h = hash_mix(E->seed ^ 0x5eed, hash_bytes(name, strlen(name)));
    *out = has_name(&E->sizes, name) ? 2 + floor(4 * unit(h)) : 0.5 + unit(h);
    return true;
}

bool equiv_numeric(const formula *a, const formula *b, uint64_t seed, int trials, char *why, size_t why_size) {
    if (why_size) why[0] = 0;
    env_ctx E;
    memset(&E, 0, sizeof E);
    const formula *both[2] = {a, b};
    for (int f = 0; f < 2; f++)
        for (int q = 0; q < both[f]->n_eqs; q++) {
            E.bound.n = 0;
            for (int i = 0; i < both[f]->eqs[q].n_indices; i++) add_name(&E.bound, both[f]->eqs[q].indices[i]);
            scan(both[f]->eqs[q].rhs, &E, false, false);
        }
    E.bound.n = 0;
    int compared = 0;
    for (int t = 0; t < trials; t++) {
        E.seed = hash_mix(seed, (uint64_t)t);
        formula_env env = {env_tensor, env_param, &E};
        formula_evaluator *ea = formula_evaluator_new(a, &env), *eb = formula_evaluator_new(b, &env);
        bool ok = true;
        for (int q = 0; q < a->n_eqs && ok; q++) {
            const fequation *qa = &a->eqs[q];
            const fequation *qb = formula_find(b, qa->output);
            if (!qb || qb->n_indices != qa->n_indices || qa->n_indices > 6) {
                snprintf(why, why_size, "output %s: missing or of another rank", qa->output);
                ok = false;
                break;
            }
            int rank = qa->n_indices, points = 1;
            for (int d = 0; d < rank; d++) points *= 3;
            for (int p = 0; p < points && ok; p++) {
                int64_t idx[6] = {0};
                for (int d = 0, r = p; d < rank; d++, r /= 3) idx[d] = r % 3;
                double x = 0, y = 0;
                diag ex = {0}, ey = {0};
                bool okx = formula_eval(ea, qa->output, idx, &x, &ex), oky = formula_eval(eb, qa->output, idx, &y, &ey);
                if ((!okx && !oky) || (okx && oky && !isfinite(x) && !isfinite(y))) continue;
                if (okx != oky || !isfinite(x) || !isfinite(y) || !(fabs(x - y) <= 1e-9 + 1e-6 * fabs(y))) {
                    const char *msg = !okx ? ex.message : !oky ? ey.message : "";
                    snprintf(why, why_size, "%s at index %lld,%lld,%lld (trial %d): %.17g vs %.17g%s%s", qa->output,
                             (long long)idx[0], (long long)idx[1], (long long)idx[2], t, x, y, msg[0] ? "; " : "", msg);
                    ok = false;
                    break;
                }
                compared++;
            }
        }
        formula_evaluator_free(ea);
        formula_evaluator_free(eb);
        if (!ok) return false;
    }
    if (!compared) snprintf(why, why_size, "no point could be evaluated on both sides");
    return compared > 0;
}
