/* discharge: proves one VC. Pipeline: the hypotheses (global facts about sizes and block sizes,
 * the VC's variable ranges, its own hypotheses) and the goal are expanded with the definitions
 * of axioms.c, normalized (normalize.c) and rewritten with the lemmas of lemmas.c (whose side
 * conditions are proved here, by z3, under the same hypotheses); a goal that becomes `true` is
 * proved; otherwise the axiom facts about the goal's atoms are added and z3 decides
 * hypotheses => goal. UNSAT is the only outcome that counts as proved. */
#include "verify/verify_internal.h"
#include "util/timing.h"
#include <stdio.h>
#include <string.h>

/* Side conditions of normalization and lemmas: z3 under the context's hypotheses, with a
 * short timeout, answers cached. */
/* The verification's per-query z3 limit (ms); the shorter attempts here are capped below it. */
static unsigned query_timeout_ms(const vctx *X) {
    return (unsigned)((X->opt && X->opt->query_timeout_s > 0 ? X->opt->query_timeout_s : 10.0) * 1000);
}

/* Does t mention only sizes, parameters and block sizes (no lanes, program ids, iterations)? */
static bool only_globals(vctx *X, vt_id t) {
    vt_id vars[32];
    int n = vt_free_vars(X->s, t, vars, 32);
    if (n > 32) return false;
    for (int i = 0; i < n; i++) {
        bool global = false;
        for (size_t k = 0; k < X->global_ranges.len && !global; k++) global = X->global_ranges.items[k].var == vars[i];
        if (!global) return false;
    }
    return true;
}

/* Is the (normalized) fact one of the hypotheses or a conjunct of one? */
static bool among_hyps(vprover *d, vt_id fact) {
    vt_store *s = d->X->s;
    for (int i = 0; i < d->n_hyps; i++) {
        vt_id h = d->hyps[i];
        if (h == fact) return true;
        const vt_node *k = vt_get(s, h);
        if (k->kind == VK_AND)
            for (int j = 0; j < k->n; j++)
                if (k->args[j] == fact) return true;
    }
    return false;
}

/* The ranges the normalizer learned after the prover was set up (reduction binders, the witness
 * solver's remainder unknowns) that bear on `fact`: those of the variables in it, and of the
 * variables in those ranges' bounds. Not the others: a binder's range stays in the normalizer
 * after its reduction is left, and with `0 <= k < n` among the hypotheses `0 < n` is valid for
 * any k, so a fact about n alone would be proved for an empty range too (a mutant that loses
 * softmax's -inf guard verified that way, through a max over a possibly empty range marked
 * nonempty). Writes at most two hypotheses per range to out; returns how many. */
static int binder_ranges(vprover *d, vt_id fact, vt_id *out) {
    if (!d->nf) return 0;
    vt_store *s = d->X->s;
    int first = d->nf_ranges_at_init, n_ranges = d->nf->n_ranges;
    if (n_ranges <= first) return 0;
    bool *used = xcalloc((size_t)(n_ranges - first), sizeof *used);
    bool grew = true;
    while (grew) {
        grew = false;
        for (int i = n_ranges - 1; i >= first; i--) {
            if (used[i - first]) continue;
            const nf_range *r = &d->nf->ranges[i];
            bool bears = vt_contains_var(s, fact, r->var);
            for (int j = first; j < n_ranges && !bears; j++) {
                const nf_range *u = &d->nf->ranges[j];
                if (!used[j - first]) continue;
                bears = (u->lo && vt_contains_var(s, u->lo, r->var)) || (u->hi && vt_contains_var(s, u->hi, r->var));
            }
            if (bears) used[i - first] = grew = true;
        }
    }
    int n = 0;
    for (int i = first; i < n_ranges; i++) {
        if (!used[i - first]) continue;
        const nf_range *r = &d->nf->ranges[i];
        if (r->lo) out[n++] = vt_le(s, r->lo, r->var);
        if (r->hi) out[n++] = vt_lt(s, r->var, r->hi);
    }
    free(used);
    return n;
}

static bool prove_side(void *ctx, vt_id fact) {
    vprover *d = ctx;
    vctx *X = d->X;
    for (int i = 0; i < d->n_cache; i++)
        if (d->cache_fact[i] == fact && (d->cache_ok[i] || i >= d->cache_floor)) return d->cache_ok[i];
    if (d->nf && !d->in_side) {
        /* the fact in normal form: often literally a hypothesis (a mask) */
        d->in_side = true;
        vt_id nfact = nf_term(d->nf, fact);
        d->in_side = false;
        if (vt_is_const(X->s, nfact, NULL)) {
            int64_t v;
            vt_is_const(X->s, nfact, &v);
            if (v) return true;
        }
        if (among_hyps(d, nfact)) return true;
    }
    /* a fact about sizes alone that failed once is not retried by this prover (not across
     * provers: a VC's own hypotheses, e.g. a loop index below a tile count, can make one
     * provable) */
    for (size_t i = 0; i < d->side_failed.len && !d->assumed; i++)
        if (d->side_failed.items[i] == fact) return false;
    /* a side condition z3 could not decide in its time once is not tried again in this proof
     * (a heuristic that only costs proofs, never soundness: in mm the same bound on the swizzled
     * tile index timed out under 30 VCs' hypotheses, 30 s of a 54 s proof) */
    for (size_t i = 0; i < X->side_timed_out.len; i++)
        if (X->side_timed_out.items[i] == fact) {
            if (X->opt && X->opt->debug) fprintf(stderr, "  [side] %s: unknown before, not retried\n", vt_str(X->s, fact));
            return false;
        }
    /* a bounded number of z3 queries (answers above are free) */
    if (d->z3_budget && d->z3_calls >= d->z3_budget) return false;
    d->z3_calls++;
    vt_id facts[64];
    int nf = axioms_facts(X, NULL, fact, facts, 64);
    int extra = d->nf ? d->nf->n_ranges - d->nf_ranges_at_init : 0;
    int n = d->n_hyps + nf;
    vt_id *h = xcalloc((size_t)(n + 2 * (extra > 0 ? extra : 0)) + 1, sizeof *h);
    memcpy(h, d->hyps, (size_t)d->n_hyps * sizeof *h);
    memcpy(h + d->n_hyps, facts, (size_t)nf * sizeof *h);
    n += binder_ranges(d, fact, h + n);
    unsigned saved = query_timeout_ms(X);
    double t0 = time_now();
    smt_answer a;
    if (d->nf && falsify_side(X->s, d->nf, n, h, fact, fact)) {
        a = SMT_SAT;   /* a concrete point refutes it: z3 would only say sat, slower */
    } else {
        smt_set_timeout(X->smt, saved < 1000 ? saved : 1000);
        char why[256];
        a = smt_check(X->smt, n, h, fact, why, sizeof why);
        smt_set_timeout(X->smt, saved);
    }
    free(h);
    if (X->opt && X->opt->debug) fprintf(stderr, "  [side] %s: %s (%.2fs)\n", vt_str(X->s, fact), smt_answer_name(a), time_now() - t0);
    if (a != SMT_UNSAT && !d->assumed && only_globals(X, fact)) vec_push(&d->side_failed, fact);
    if (a == SMT_UNKNOWN) vec_push(&X->side_timed_out, fact);
    if (d->n_cache < VPROVER_CACHE) {
        d->cache_fact[d->n_cache] = fact;
        d->cache_ok[d->n_cache++] = a == SMT_UNSAT;
    }
    return a == SMT_UNSAT;
}

static bool fact_hint(void *ctx, vt_id term, int64_t *lo);

void vprover_init(vprover *p, vctx *X, nf_ctx *nf, const vc_range *ranges, int n_ranges, const vt_id *hyps, int n_hyps) {
    vt_store *s = X->s;
    memset(p, 0, sizeof *p);
    p->X = X;
    int cap = 2 * ((int)X->global_ranges.len + n_ranges) + (int)X->global_hyps.len + n_hyps + 130;
    p->hyps = xcalloc((size_t)cap, sizeof *p->hyps);
    p->cap = cap;
    nf_init(nf, s);
    for (size_t i = 0; i < X->global_ranges.len; i++) {
        const vc_range *r = &X->global_ranges.items[i];
        nf_add_range(nf, r->var, r->lo, r->hi);
    }
    for (int i = 0; i < n_ranges; i++) nf_add_range(nf, ranges[i].var, ranges[i].lo, ranges[i].hi);
    /* the ranges as hypotheses, with their bounds in normal form (the comparison itself is not
     * normalized: with its own range known it would become `true`) */
    for (size_t i = 0; i < X->global_ranges.len; i++) {
        const vc_range *r = &X->global_ranges.items[i];
        if (r->lo) p->hyps[p->n_hyps++] = vt_le(s, nf_term(nf, r->lo), r->var);
        if (r->hi) p->hyps[p->n_hyps++] = vt_lt(s, r->var, nf_term(nf, r->hi));
    }
    for (int i = 0; i < n_ranges; i++) {
        const vc_range *r = &ranges[i];
        if (r->lo) p->hyps[p->n_hyps++] = vt_le(s, nf_term(nf, r->lo), r->var);
        if (r->hi) p->hyps[p->n_hyps++] = vt_lt(s, r->var, nf_term(nf, r->hi));
    }
    p->n_ranges = p->n_hyps;
    for (size_t i = 0; i < X->global_hyps.len; i++) p->hyps[p->n_hyps++] = X->global_hyps.items[i];
    for (int i = 0; i < n_hyps; i++) p->hyps[p->n_hyps++] = axioms_expand(X, hyps[i]);
    nf->prove = prove_side;
    nf->hint = fact_hint;
    nf->prove_ctx = p;
    p->nf = nf;
    p->nf_ranges_at_init = nf->n_ranges;
    p->launch = -1;
    p->z3_budget = 80;
    /* the hypotheses in normal form (each equivalent to the original given the ranges, which
     * stay as they are: normalizing a range with itself would make it `true`) */
    for (int i = p->n_ranges; i < p->n_hyps; i++) p->hyps[i] = nf_term(nf, p->hyps[i]);
    /* divisibility hypotheses (K % BLOCK_K == 0) become the normalizer's factorizations; a copy
     * stays verbatim for z3 (normalized again, the hypothesis itself would become `true`) */
    int n = p->n_hyps;
    for (int i = p->n_ranges; i < n && p->n_hyps < p->cap; i++) {
        vt_id x, d;
        if (!nf_is_divisible_fact(nf, p->hyps[i], &x, &d)) continue;
        nf_add_divisible(nf, x, d);
        p->hyps[p->n_hyps++] = p->hyps[i];
        p->n_verbatim++;
    }
}

bool vprover_assume(vprover *p, vt_id hyp, vprover_mark *m) {
    if (p->n_hyps >= p->cap) return false;
    m->n_hyps = p->n_hyps;
    m->n_cache = p->n_cache;
    m->cache_floor = p->cache_floor;
    p->cache_floor = p->n_cache;   /* what failed without the hypothesis may hold with it */
    p->assumed++;
    p->hyps[p->n_hyps++] = hyp;
    nf_clear_memo(p->nf);
    if (p->X->opt && p->X->opt->debug) fprintf(stderr, "  [assume] %s\n", vt_str(p->X->s, hyp));
    return true;
}

void vprover_restore(vprover *p, const vprover_mark *m) {
    p->n_hyps = m->n_hyps;
    p->n_cache = m->n_cache;   /* what was proved under the hypothesis is forgotten */
    p->cache_floor = m->cache_floor;
    p->assumed--;
    nf_clear_memo(p->nf);
}

/* A lower bound of `term` already known: a proved index fact of this launch, or a side
 * condition `c < term` / `c <= term` this prover proved (each proved entry of the cache holds
 * under the current hypotheses: restore drops what was proved under a withdrawn one). The side
 * conditions matter for sums of products: 0 <= q*min(g, 3) + r needs min(g, 3) >= 0, which
 * z3 proved alone but not inside the nonlinear sum. */
static bool fact_hint(void *ctx, vt_id term, int64_t *lo) {
    vprover *p = ctx;
    vctx *X = p->X;
    for (size_t i = 0; i < X->facts.len; i++) {
        const vfact *f = &X->facts.items[i];
        if (f->term == term && f->launch == p->launch && f->proved) { *lo = f->lo; return true; }
    }
    for (int i = 0; i < p->n_cache; i++) {
        if (!p->cache_ok[i]) continue;
        const vt_node *k = vt_get(X->s, p->cache_fact[i]);
        int64_t c;
        if ((k->kind != VK_LT && k->kind != VK_LE) || k->args[1] != term || !vt_is_const(X->s, k->args[0], &c)) continue;
        *lo = k->kind == VK_LT ? c + 1 : c;
        return true;
    }
    return false;
}

void vprover_set_launch(vprover *p, int launch) { p->launch = launch; }

void vprover_free(vprover *p) {
    free(p->hyps);
    p->hyps = NULL;
    vec_free(&p->side_failed);
}

/* Contextual simplification: a hypothesis (or a conjunct of one) occurring in the goal is true
 * there, and its negation false. */
static vt_id assume_hyps(vctx *X, const vt_id *hyps, int n, vt_id goal) {
    vt_store *s = X->s;
    for (int i = 0; i < n; i++) {
        vt_id stack[64];
        int sp = 0;
        stack[sp++] = hyps[i];
        while (sp) {
            vt_id c = stack[--sp];
            const vt_node *k = vt_get(s, c);
            if (k->kind == VK_AND) {
                for (int j = 0; j < k->n && sp < 64; j++) stack[sp++] = k->args[j];
                continue;
            }
            if (vt_is_const(s, c, NULL)) continue;
            /* read before replacing: making terms may move the node array */
            vt_id negated = k->kind == VK_NOT ? k->args[0] : VT_NONE;
            goal = vt_replace(s, goal, c, vt_bool(s, true));
            if (negated) goal = vt_replace(s, goal, negated, vt_bool(s, false));
            else goal = vt_replace(s, goal, vt_not(s, c), vt_bool(s, false));
        }
    }
    return goal;
}

/* Integer division and modulo as fresh variables with only their defining facts
 * (0 <= x % d < d, d * (x // d) + x % d = x, for d > 0): z3 decides such linear-or-product
 * abstractions much faster than its own division theory. Sound in the direction used: if the
 * abstracted VC is valid, so is the original (the abstraction has more models). */
#define MAX_DM 48
typedef struct dm_ctx { vctx *X; vt_id atoms[MAX_DM]; int n; uint8_t *seen; } dm_ctx;

static void collect_dm(dm_ctx *c, vt_id t) {
    vt_store *s = c->X->s;
    if (c->seen[t]) return;
    c->seen[t] = 1;
    const vt_node *k = vt_get(s, t);
    if ((k->kind == VK_FDIV || k->kind == VK_FMOD || k->kind == VK_TDIV || k->kind == VK_TMOD) && k->depth == 0 && c->n < MAX_DM)
        c->atoms[c->n++] = t;
    for (int i = 0; i < vt_get(s, t)->n; i++) collect_dm(c, vt_get(s, t)->args[i]);
}

static smt_answer check_abstracted(vctx *X, int n, const vt_id *hyps, vt_id goal, bool ranges_only, char *reason, int size) {
    vt_store *s = X->s;
    dm_ctx c = {X, {0}, 0, xcalloc(vt_store_size(s) + 2, 1)};
    collect_dm(&c, goal);
    for (int i = 0; i < n; i++) collect_dm(&c, hyps[i]);
    free(c.seen);
    if (c.n == 0) return SMT_UNKNOWN;
    vt_id vars[MAX_DM], facts[2 * MAX_DM];
    int nf = 0;
    for (int i = 0; i < c.n; i++) {
        vars[i] = vt_var(s, vx_fresh(X, "dm"), VS_INT);
        const vt_node *k = vt_get(s, c.atoms[i]);
        vt_kind kind = k->kind;   /* read before making terms: the node array may move */
        vt_id x = k->args[0], d = k->args[1], pos = vt_lt(s, vt_int(s, 0), d);
        bool const_d = vt_is_const(s, d, NULL);
        if (kind == VK_TMOD || kind == VK_TDIV) {
            /* C semantics: the remainder has the dividend's sign and |r| < |d|; for d > 0 and
             * x >= 0 it is Python's */
            vt_id zero = vt_int(s, 0), nz = vt_not(s, vt_eq(s, d, zero)), xpos = vt_le(s, zero, x);
            if (kind == VK_TMOD) {
                facts[nf++] = vt_implies(s, vt_and(s, nz, xpos), vt_le(s, zero, c.atoms[i]));
                facts[nf++] = vt_implies(s, vt_and(s, pos, xpos), vt_lt(s, c.atoms[i], d));
            } else {
                vt_id dq = vt_mul(s, d, c.atoms[i]);
                if (!ranges_only || const_d)
                    facts[nf++] = vt_implies(s, vt_and(s, pos, xpos), vt_and(s, vt_le(s, dq, x), vt_lt(s, x, vt_add(s, dq, d))));
            }
        } else if (kind == VK_FMOD) {
            facts[nf++] = vt_implies(s, pos, vt_and(s, vt_le(s, vt_int(s, 0), c.atoms[i]), vt_lt(s, c.atoms[i], d)));
            vt_id q = vt_fdiv(s, x, d);
            if (!ranges_only) facts[nf++] = vt_implies(s, pos, vt_eq(s, vt_add(s, vt_mul(s, d, q), c.atoms[i]), x));
        } else if (!ranges_only || const_d) {
            /* d * q <= x < d * q + d */
            vt_id dq = vt_mul(s, d, c.atoms[i]);
            facts[nf++] = vt_implies(s, pos, vt_and(s, vt_le(s, dq, x), vt_lt(s, x, vt_add(s, dq, d))));
        }
    }
    /* the quotients used in the facts may be new atoms: abstract those too when known */
    vt_id *h = xcalloc((size_t)(n + nf + 1), sizeof *h);
    for (int i = 0; i < n; i++) h[i] = vt_replace_many(s, hyps[i], c.n, c.atoms, vars);
    for (int i = 0; i < nf; i++) h[n + i] = vt_replace_many(s, facts[i], c.n, c.atoms, vars);
    vt_id g = vt_replace_many(s, goal, c.n, c.atoms, vars);
    unsigned saved = query_timeout_ms(X);
    smt_set_timeout(X->smt, saved < 3000 ? saved : 3000);
    smt_answer a = smt_check(X->smt, n + nf, h, g, reason, size);
    smt_set_timeout(X->smt, saved);
    free(h);
    return a;
}

static smt_answer discharge_mode(vctx *X, vcond *v, vt_id goal, bool with_lemmas);

/* Loop init / preservation VCs hold by the recursive definition of the closed form: they are
 * tried first without the lemmas (which rewrite the two sides of the recursion apart), the
 * others with them first. */
static smt_answer discharge_modes(vctx *X, vcond *v, vt_id goal) {
    bool loop_vc = strcmp(v->kind, "init") == 0 || strcmp(v->kind, "preserve") == 0;
    smt_answer a = discharge_mode(X, v, goal, !loop_vc);
    if (a != SMT_UNSAT) a = discharge_mode(X, v, goal, loop_vc);
    return a;
}

/* The ranges lo < hi of max and min reductions over reals in t whose bounds are free of bound
 * variables (depth-first, distinct, at most `cap`). */
static int extremum_ranges(vt_store *s, vt_id t, vt_id *out, int n, int cap, int *budget) {
    const vt_node *k = vt_get(s, t);
    if (--*budget < 0 || k->n == 0 || n >= cap) return n;
    if (k->kind == VK_RED && (k->op == VR_MAX || k->op == VR_MIN) && k->sort == VS_REAL && k->ival != 1 &&
        vt_get(s, k->args[0])->depth == 0 && vt_get(s, k->args[1])->depth == 0) {
        vt_id lo = k->args[0], hi = k->args[1];
        vt_id r = vt_lt(s, lo, hi);
        bool seen = false;
        for (int i = 0; i < n && !seen; i++) seen = out[i] == r;
        if (!seen) out[n++] = r;
    }
    /* the node is read again each time: making terms may move the node array */
    for (int i = 0; i < vt_get(s, t)->n; i++) n = extremum_ranges(s, vt_get(s, t)->args[i], out, n, cap, budget);
    return n;
}

/* Is `fact` valid under the VC's ranges and hypotheses, the ones its prover starts from
 * (answered within a second)? */
static bool valid_under(vctx *X, const vcond *v, vt_id fact) {
    nf_ctx nf;
    vprover p;
    vprover_init(&p, X, &nf, v->ranges, v->n_ranges, v->hyps, v->n_hyps);
    unsigned saved = query_timeout_ms(X);
    smt_set_timeout(X->smt, saved < 1000 ? saved : 1000);
    char why[256];
    bool r = smt_check(X->smt, p.n_hyps, p.hyps, fact, why, sizeof why) == SMT_UNSAT;
    smt_set_timeout(X->smt, saved);
    nf_free(&nf);
    vprover_free(&p);
    return r;
}

/* A goal with a running max over a range that may be empty (an online softmax whose full tiles
 * may be none) is proved in two cases, the range empty and not: in each, the max is -inf or
 * finite, which the lemmas need to know (a binder's range cannot say it: see binder_ranges).
 * The first range whose emptiness the hypotheses leave open is split on, once. */
static smt_answer discharge_goal(vctx *X, vcond *v, vt_id goal) {
    smt_answer a = discharge_modes(X, v, goal);
    if (a == SMT_UNSAT || v->split) return a;
    int budget = 20000;
    vt_id candidates[4];
    int nc = extremum_ranges(X->s, goal, candidates, 0, 4, &budget);
    vt_id nonempty = VT_NONE;
    for (int i = 0; i < nc && !nonempty; i++)
        if (!valid_under(X, v, candidates[i]) && !valid_under(X, v, vt_not(X->s, candidates[i]))) nonempty = candidates[i];
    if (!nonempty) return a;
    /* a range that is never negative is empty when hi == lo: hi is then replaced by lo (a
     * tile count 0 makes the offsets of the tiles after it the row's start) */
    vt_id lo = vt_get(X->s, nonempty)->args[0], hi = vt_get(X->s, nonempty)->args[1];
    bool never_negative = valid_under(X, v, vt_le(X->s, lo, hi));
    vt_id *hyps = xcalloc((size_t)v->n_hyps + 1, sizeof *hyps);
    memcpy(hyps, v->hyps, (size_t)v->n_hyps * sizeof *hyps);
    vcond part = *v;
    part.hyps = hyps;
    part.n_hyps = v->n_hyps + 1;
    part.split = true;
    smt_answer b = SMT_UNSAT;
    for (int empty = 0; empty <= 1 && b == SMT_UNSAT; empty++) {
        hyps[v->n_hyps] = !empty ? nonempty : never_negative ? vt_eq(X->s, hi, lo) : vt_not(X->s, nonempty);
        if (empty && never_negative) { part.subst_from = hi; part.subst_to = lo; }
        if (X->opt && X->opt->debug) fprintf(stderr, "  [case] %s\n", vt_str(X->s, hyps[v->n_hyps]));
        b = discharge_modes(X, &part, goal);
    }
    free(hyps);
    if (b == SMT_UNSAT) {
        snprintf(v->reason, sizeof v->reason, "proved in two cases: %s and not", vt_str(X->s, nonempty));
        return SMT_UNSAT;
    }
    return a;
}

/* A VC with sufficient parts is proved when every part is; otherwise its goal is tried. */
smt_answer discharge(vctx *X, vcond *v) {
    double t0 = time_now();
    smt_answer a = v->n_parts > 0 ? SMT_UNSAT : SMT_UNKNOWN;
    for (int i = 0; i < v->n_parts && a == SMT_UNSAT; i++) a = discharge_goal(X, v, v->parts[i]);
    if (a == SMT_UNSAT) snprintf(v->reason, sizeof v->reason, "proved by its %d sufficient parts", v->n_parts);
    else a = discharge_goal(X, v, v->goal);
    v->answer = a;
    v->seconds = time_now() - t0;
    return a;
}

static smt_answer discharge_mode(vctx *X, vcond *v, vt_id goal, bool with_lemmas) {
    vt_store *s = X->s;
    double t0 = time_now();
    nf_ctx nf;
    vprover p;
    vprover_init(&p, X, &nf, v->ranges, v->n_ranges, v->hyps, v->n_hyps);
    vprover_set_launch(&p, v->launch);
    nf_clear_memo(&nf);
    for (int i = p.n_ranges; i < p.n_hyps - p.n_verbatim; i++) p.hyps[i] = nf_term(&nf, p.hyps[i]);
    goal = axioms_expand(X, goal);
    goal = nf_term(&nf, goal);
    if (v->subst_from) {
        /* a case where subst_from == subst_to (discharge_goal): one replaced by the other, in
         * normal form, everywhere but in that equation itself */
        vt_id from = nf_term(&nf, v->subst_from), to = nf_term(&nf, v->subst_to);
        if (from != to) {
            goal = nf_term(&nf, vt_replace(s, goal, from, to));
            for (int i = p.n_ranges; i < p.n_hyps; i++) p.hyps[i] = nf_term(&nf, vt_replace(s, p.hyps[i], from, to));
        }
        if (p.n_hyps < p.cap) p.hyps[p.n_hyps++] = vt_eq(s, v->subst_from, v->subst_to);   /* as given: its normal form may be `true` */
    }
    goal = assume_hyps(X, p.hyps + p.n_ranges, p.n_hyps - p.n_ranges, goal);
    if (with_lemmas) {
        goal = lemmas_rewrite(X, &p, goal);
        goal = nf_term(&nf, goal);
    }
    smt_answer ans;
    int64_t b;
    int n = p.n_hyps;
    if (vt_is_const(s, goal, &b) && b) {
        ans = SMT_UNSAT;
    } else {
        int nfacts = axioms_facts(X, &nf, goal, p.hyps + n, p.cap - n);
        /* cheapest first: nonlinear real arithmetic alone (Welford's M2 identity: nlsat decides
         * it at once; no query when the goal is linear), divisions as bounded unknowns, then
         * with their identities, then z3's own theories */
        unsigned saved = query_timeout_ms(X);
        smt_set_timeout(X->smt, saved < 2000 ? saved : 2000);
        double t1 = time_now();
        ans = real_abstraction_check(s, X->smt, n + nfacts, p.hyps, goal, v->reason, sizeof v->reason);
        smt_set_timeout(X->smt, saved);
        if (X->opt && X->opt->debug && ans == SMT_UNSAT) fprintf(stderr, "  [real] proved as real arithmetic (%.2fs)\n", time_now() - t1);
        if (ans != SMT_UNSAT) ans = check_abstracted(X, n + nfacts, p.hyps, goal, true, v->reason, sizeof v->reason);
        if (ans != SMT_UNSAT) ans = check_abstracted(X, n + nfacts, p.hyps, goal, false, v->reason, sizeof v->reason);
        if (ans != SMT_UNSAT) ans = smt_check(X->smt, n + nfacts, p.hyps, goal, v->reason, sizeof v->reason);
        n += nfacts;
        if (ans == SMT_SAT) snprintf(v->reason, sizeof v->reason, "counterexample to: %s", vt_str(s, goal));
    }
    v->answer = ans;
    if (X->opt && X->opt->debug) {
        /* development aid (verify_options.debug, `vlift verify --debug`): each VC as proved */
        fprintf(stderr, "[vc %s line %d] %s: %s (%.2fs)\n  goal: %s\n", v->kind, v->line, v->what, smt_answer_name(ans),
                time_now() - t0, vt_str(s, goal));
        for (int i = 0; i < n; i++) fprintf(stderr, "  hyp: %s\n", vt_str(s, p.hyps[i]));
    }
    nf_free(&nf);
    vprover_free(&p);
    return ans;
}

/* ---- index facts ---- */

typedef struct hv_ctx { vctx *X; int launch; const vaccess *a; uint8_t *seen; } hv_ctx;

static bool known(vctx *X, int launch, vt_id term) {
    for (size_t i = 0; i < X->facts.len; i++)
        if (X->facts.items[i].term == term && X->facts.items[i].launch == launch) return true;
    return false;
}

static void try_fact(hv_ctx *h, vt_id term, int64_t lo) {
    vctx *X = h->X;
    vt_store *s = X->s;
    if (vt_is_const(s, term, NULL) || known(X, h->launch, term)) return;
    vt_id raw = term;
    /* only expressions of program ids and sizes: valid wherever the launch's grid is */
    vt_id vars[32];
    int n = vt_free_vars(s, term, vars, 32);
    if (n > 32) return;
    for (int i = 0; i < n; i++) {
        const char *name = vt_get(s, vars[i])->name;
        bool pid = strncmp(name, "pid", 3) == 0;
        bool global = false;
        for (size_t k = 0; k < X->global_ranges.len && !global; k++) global = X->global_ranges.items[k].var == vars[i];
        if (!pid && !global) return;
    }
    vc_range r[3];
    int nr = 0;
    for (int i = 0; i < h->a->n_q && nr < 3; i++)
        if (strncmp(vt_get(s, h->a->q[i].var)->name, "pid", 3) == 0) r[nr++] = h->a->q[i];
    nf_ctx nf;
    vprover p;
    vprover_init(&p, X, &nf, r, nr, NULL, 0);
    vprover_set_launch(&p, h->launch);
    term = nf_term(&nf, raw);   /* facts are about normalized atoms (that is where they are looked up) */
    if (vt_is_const(s, term, NULL) || known(X, h->launch, term)) { nf_free(&nf); vprover_free(&p); return; }
    unsigned saved = query_timeout_ms(X);
    smt_set_timeout(X->smt, saved < 3000 ? saved : 3000);
    char why[256];
    /* divisions as unknowns with their defining facts first (a swizzle's group size needs only
     * those and products), then z3's own division theory */
    vt_id goal = vt_le(s, vt_int(s, lo), term);
    smt_answer ans = check_abstracted(X, p.n_hyps, p.hyps, goal, false, why, sizeof why);
    if (ans != SMT_UNSAT) {
        smt_set_timeout(X->smt, saved < 3000 ? saved : 3000);
        ans = smt_check(X->smt, p.n_hyps, p.hyps, goal, why, sizeof why);
    }
    smt_set_timeout(X->smt, saved);
    vfact f = {h->launch, term, lo, ans == SMT_UNSAT};
    vec_push(&X->facts, f);
    if (X->opt && X->opt->debug) fprintf(stderr, "  [fact] %lld <= %s: %s\n", (long long)lo, vt_str(s, term), smt_answer_name(ans));
    nf_free(&nf);
    vprover_free(&p);
}

static void harvest(hv_ctx *h, vt_id t) {
    vt_store *s = h->X->s;
    if (h->seen[t]) return;
    h->seen[t] = 1;
    const vt_node *k = vt_get(s, t);
    int n = k->n;   /* harvesting makes terms: the node array may move */
    for (int i = 0; i < n; i++) harvest(h, vt_get(s, t)->args[i]);
    k = vt_get(s, t);
    if ((k->kind == VK_FDIV || k->kind == VK_FMOD || k->kind == VK_TDIV || k->kind == VK_TMOD) && k->depth == 0) {
        vt_id x = k->args[0], d = k->args[1];
        try_fact(h, d, 1);
        try_fact(h, x, 0);
    }
}

void harvest_index_facts(vctx *X, int launch) {
    for (size_t i = 0; i < X->accesses.len; i++) {
        const vaccess *a = &X->accesses.items[i];
        if (a->launch != launch) continue;
        hv_ctx h = {X, launch, a, xcalloc(vt_store_size(X->s) + 2, 1)};
        harvest(&h, a->offset);
        harvest(&h, a->active);
        if (a->value) harvest(&h, a->value);
        free(h.seen);
    }
}
