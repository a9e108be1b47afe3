/* enumerate: bottom-up search. A bank holds candidate expressions of the grammar (grammar.c)
 * for one scope, enumerated by size, each with its value vector at a fixed sample of positions
 * (run and index values) under SYNTH_OE_ASSIGN assignments of the inputs. Observational
 * equivalence keeps one candidate per distinct value vector; shape and type rules prune the
 * rest: an access's output index may only index a dimension of the same extent; index variables
 * are positions, combined with + - * and compared, never used as reals; functions of sizes and
 * parameters alone are not expanded; transcendental functions are not nested; a reduction's body
 * must use its binder and its range must have the extent of the dimensions the binder indexes.
 *
 * Every family lifted at the same scope and positions (all pieces of one output) shares the
 * bank, so a lookup that fails costs a hash probe once the bank is built. Reduction bodies live
 * in a child bank whose positions are the parent's extended by every binder value; there a
 * candidate may be undefined (NaN) where the binder runs past a tensor's extent, and a piece of
 * size two or more that does not use the binder is dropped (it could be computed outside). A
 * level is built in phases, and a lookup stops as soon as a candidate equal to its target
 * appears. */
#include "synth/guided.h"
#include "synth/synth_internal.h"
#include "util/hash.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BANK_POSITIONS 10       /* positions sampled per bank (times SYNTH_OE_ASSIGN values) */
#define MAX_LEVEL 24
#define MAX_KMAX 40             /* binder values per position in a child bank */
#define MAX_CHILD_POSITIONS 1200
#define MAX_BANK_DEPTH 2        /* nested reductions found bottom-up */
#define A SYNTH_OE_ASSIGN

typedef enum bkind { B_TERM, B_UNARY, B_BINARY, B_CMP, B_WHERE, B_REDUCE } bkind;
enum { TY_R, TY_B, TY_I };          /* real values, conditions, positions (index variables) */

typedef struct bentry {
    uint8_t kind, type, size, op;   /* type: TY_R, TY_B, TY_I */
    uint8_t transcendental;         /* root is a transcendental function */
    uint8_t scalar;                 /* depends on sizes, parameters and constants only */
    uint8_t constant;               /* a constant */
    uint16_t uses;                  /* scope variables used (bit per slot) */
    int32_t a, b, c;                /* children (B_REDUCE: a = child entry, b = range) */
    uint64_t kdims;                 /* child banks: tensor dimensions (bit 4t+d) the binder indexes */
} bentry;

struct bank {
    const scope *sc;
    uint64_t key;
    int depth;                      /* binders above the output's scope */
    int n_pos;
    member *pos;                    /* positions (term unused) */
    int L;                          /* values per entry: n_pos * A */
    size_t n_subformulas;           /* sub-formulas known when the bank was made */
    fexpr **terminal;
    int n_terminals, cap_terminals;
    bentry *e;
    double *vals;
    int n_e, cap_e;
    int level_end[MAX_LEVEL + 1];   /* entries of size s: [level_end[s-1], level_end[s]) */
    int built;                      /* levels complete */
    int phase_done;                 /* phases of level built+1 complete */
    int reduced_upto;               /* child entries the reduce phase of level built+1 has done */
    bool stopped;                   /* time or memory bound reached */
    /* the target being looked up: a new candidate equal to it interrupts the phase, which is
     * re-run later if needed (observational equivalence makes the re-run add nothing twice) */
    const double *want;
    uint64_t want_hash;
    bool interrupted;
    uint64_t *slot_hash;
    int32_t *slot_entry;            /* -1 empty */
    size_t n_slots, used_slots;
    size_t bytes;                   /* memory counted against the bound */
    /* reductions */
    bank *child;
    bool child_tried;
    int n_ranges;
    fexpr **range_lo, **range_hi;
    int64_t *range_lo_v, *range_hi_v;   /* [range * n_pos + p] */
    uint16_t *range_uses;
    uint64_t *range_kdims;          /* tensor dimensions whose extent is the range's, at every run */
    int *kmax, *child_off;
};

static bool halted(const bank *B) { return B->stopped || B->interrupted; }

/* ---- value vectors -------------------------------------------------------------------------- */

static bool same_values(const double *x, const double *y, int n) {
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) {   /* NaN (undefined) and infinities: exactly */
            if (!(x[i] == y[i] || (isnan(x[i]) && isnan(y[i])))) return false;
            continue;
        }
        double d = fabs(x[i] - y[i]), m = fmax(fabs(x[i]), fabs(y[i]));
        if (!(d <= 1e-9 * m + 1e-12)) return false;
    }
    return true;
}

/* Values rounded to about three significant digits: candidates equal up to rounding hash alike
 * (a value within 1e-9 of a rounding boundary may split a class; the cost is a duplicate). */
static uint64_t quantize(double v) {
    if (v == 0) return 0;
    if (!isfinite(v)) return isnan(v) ? 0x7ff8 : v > 0 ? 0x7ff0 : 0xfff0;
    int e;
    double m = frexp(v, &e);
    return hash_mix((uint64_t)(int64_t)llround(m * 1024.0), (uint64_t)(int64_t)e);
}

static uint64_t coarse_hash(const double *v, int n, int type) {
    uint64_t h = hash_mix(0x77, (uint64_t)type);
    for (int i = 0; i < n; i++) h = hash_mix(h, quantize(v[i]));
    return h;
}

static void table_grow(synth_ctx *C, bank *B) {
    size_t old = B->n_slots;
    uint64_t *oh = B->slot_hash;
    int32_t *oe = B->slot_entry;
    B->n_slots = old ? old * 2 : 1024;
    B->slot_hash = xmalloc(B->n_slots * sizeof *B->slot_hash);
    B->slot_entry = xmalloc(B->n_slots * sizeof *B->slot_entry);
    C->bank_bytes += (B->n_slots - old) * 12;
    B->bytes += (B->n_slots - old) * 12;
    for (size_t i = 0; i < B->n_slots; i++) B->slot_entry[i] = -1;
    for (size_t i = 0; i < old; i++) {
        if (oe[i] < 0) continue;
        size_t j = oh[i] & (B->n_slots - 1);
        while (B->slot_entry[j] >= 0) j = (j + 1) & (B->n_slots - 1);
        B->slot_hash[j] = oh[i];
        B->slot_entry[j] = oe[i];
    }
    free(oh);
    free(oe);
}

/* Entry with the same type and values as v (first in enumeration order), or -1. Starts after
 * slot `*cursor` so that callers can iterate over equal entries (no pruning keeps several). */
static int table_find(bank *B, const double *v, int type, uint64_t h, size_t *cursor) {
    if (!B->n_slots) return -1;
    for (size_t i = *cursor; i < B->n_slots; i++) {
        size_t j = (h + i) & (B->n_slots - 1);
        if (B->slot_entry[j] < 0) return -1;
        *cursor = i + 1;
        int id = B->slot_entry[j];
        if (B->slot_hash[j] == h && B->e[id].type == type && same_values(&B->vals[(size_t)id * (size_t)B->L], v, B->L))
            return id;
    }
    return -1;
}

/* Without pruning equal candidates are all kept, and hashing them would make probe chains as
 * long as the bank: entries are then found by a scan (cursor = next entry to look at). */
static int scan_find(bank *B, const double *v, int type, size_t *cursor) {
    for (size_t id = *cursor; id < (size_t)B->n_e; id++)
        if (B->e[id].type == type && same_values(&B->vals[id * (size_t)B->L], v, B->L)) {
            *cursor = id + 1;
            return (int)id;
        }
    *cursor = (size_t)B->n_e;
    return -1;
}

static int bank_find(synth_ctx *C, bank *B, const double *v, int type, uint64_t h, size_t *cursor) {
    return C->opt->prune ? table_find(B, v, type, h, cursor) : scan_find(B, v, type, cursor);
}

/* ---- adding candidates ------------------------------------------------------------------------ */

static bool out_of_bounds(synth_ctx *C, bank *B) {
    if (C->memory_exhausted || synth_out_of_time(C)) {
        B->stopped = true;
        return true;
    }
    return false;
}

/* Adds a candidate with values v unless an equivalent one exists (or a value is undefined).
 * Returns its id or -1. */
static int add_entry(synth_ctx *C, bank *B, const bentry *proto, const double *v) {
    C->stats->candidates++;
    if ((C->stats->candidates & 255) == 0 && out_of_bounds(C, B)) return -1;
    /* Values must be finite. A child bank also holds NaN where a candidate is undefined at a
     * binder value beyond a tensor's extent (x[i,k] for k >= N when the range is 0..M); the
     * reductions over it only use binder values inside their range. */
    int defined = 0;
    for (int i = 0; i < B->L; i++) {
        if (isnan(v[i]) && B->depth > 0) continue;
        if (isnan(v[i])) return -1;
        defined++;
    }
    if (!defined) return -1;
    /* In a child bank every candidate is part of a reduction's body: a real-valued piece of size
     * two or more that does not use the binder could be computed outside the reduction. */
    if (C->opt->prune && B->depth > 0 && proto->type == TY_R && proto->size >= 2 && !(proto->uses & (1u << (B->sc->n - 1)))) {
        C->stats->pruned++;
        return -1;
    }
    uint64_t h = coarse_hash(v, B->L, proto->type);
    if (C->opt->prune) {
        size_t cursor = 0;
        if (table_find(B, v, proto->type, h, &cursor) >= 0) {
            C->stats->pruned++;
            return -1;
        }
    }
    if (B->n_e == B->cap_e) {
        size_t old = (size_t)B->cap_e;
        B->cap_e = B->cap_e ? 2 * B->cap_e : 1024;
        size_t bytes = (size_t)(B->cap_e - (int)old) * (sizeof(bentry) + (size_t)B->L * sizeof(double));
        size_t limit = (C->opt->max_memory_mb ? C->opt->max_memory_mb : 1024) << 20;
        if (C->bank_bytes + bytes > limit) {
            B->cap_e = (int)old;
            C->memory_exhausted = true;
            B->stopped = true;
            return -1;
        }
        C->bank_bytes += bytes;
        B->bytes += bytes;
        B->e = xrealloc(B->e, (size_t)B->cap_e * sizeof *B->e);
        B->vals = xrealloc(B->vals, (size_t)B->cap_e * (size_t)B->L * sizeof *B->vals);
    }
    int id = B->n_e++;
    B->e[id] = *proto;
    memcpy(&B->vals[(size_t)id * (size_t)B->L], v, (size_t)B->L * sizeof *v);
    if (C->opt->prune) {
        if (2 * (B->used_slots + 1) > B->n_slots) table_grow(C, B);
        size_t j = h & (B->n_slots - 1);
        while (B->slot_entry[j] >= 0) j = (j + 1) & (B->n_slots - 1);
        B->slot_hash[j] = h;
        B->slot_entry[j] = id;
        B->used_slots++;
    }
    if (B->want && h == B->want_hash && proto->type == TY_R && same_values(v, B->want, B->L)) B->interrupted = true;
    return id;
}

static const double *values_of(const bank *B, int id) { return &B->vals[(size_t)id * (size_t)B->L]; }

/* ---- terminals -------------------------------------------------------------------------------- */

static void add_terminal(synth_ctx *C, bank *B, fexpr *e, int type, uint16_t uses, uint64_t kdims, bool scalar, bool constant) {
    double *v = xmalloc((size_t)B->L * sizeof *v);
    bool ok = true;
    for (int p = 0; p < B->n_pos && ok; p++)
        for (int a = 0; a < A && ok; a++) {
            eval_point pt = {B->pos[p].run, a, B->sc, B->pos[p].env};
            ok = synth_eval(C, e, &pt, &v[p * A + a]);
            if (!ok && B->depth > 0) {   /* undefined here (see add_entry) */
                v[p * A + a] = NAN;
                ok = true;
            }
        }
    if (ok) {
        if (B->n_terminals == B->cap_terminals) {
            B->cap_terminals = B->cap_terminals ? 2 * B->cap_terminals : 32;
            B->terminal = xrealloc(B->terminal, (size_t)B->cap_terminals * sizeof *B->terminal);
        }
        bentry proto = {B_TERM, (uint8_t)type, 1, 0, 0, scalar, constant, uses, B->n_terminals, 0, 0, kdims};
        if (add_entry(C, B, &proto, v) >= 0) B->terminal[B->n_terminals++] = e;
    }
    free(v);
}

/* Extent of a scope variable at a run: an output index ranges over the output's dimension. */
static int64_t var_extent(synth_ctx *C, const bank *B, int slot, int run) {
    if (slot >= B->sc->n_outer) return -1;   /* a binder: any extent */
    return C->sp->runs[run].tensors[B->sc->output].shape[slot];
}

/* Whether scope variable `slot` may index dimension d of a tensor: with pruning, an output index
 * only indexes a dimension of the same extent at every run (a binder fits any dimension). */
static bool var_fits(synth_ctx *C, const bank *B, int slot, int tensor, int d) {
    if (!C->opt->prune) return true;
    for (int r = 0; r < C->sp->n_runs; r++) {
        int64_t ext = var_extent(C, B, slot, r);
        if (ext >= 0 && ext != C->sp->runs[r].tensors[tensor].shape[d]) return false;
    }
    return true;
}

/* Accesses name[v0, v1, ...] with each index a scope variable that fits the dimension (no
 * variable twice), or 0 where no variable fits (a broadcast dimension). */
static void add_accesses(synth_ctx *C, bank *B, int tensor) {
    const spec_tensor *st0 = &C->sp->runs[0].tensors[tensor];
    int rank = st0->rank, n = B->sc->n;
    if (rank == 0) {
        add_terminal(C, B, fx_access(C, st0->name, 0, NULL), TY_R, 0, 0, true, false);
        return;
    }
    int options[PLAN_MAX_RANK][SYNTH_MAX_SCOPE + 1], n_options[PLAN_MAX_RANK];
    for (int d = 0; d < rank; d++) {
        n_options[d] = 0;
        for (int v = 0; v < n; v++)
            if (var_fits(C, B, v, tensor, d)) options[d][n_options[d]++] = v;
        if (!n_options[d] || !C->opt->prune) options[d][n_options[d]++] = n;   /* n: the constant 0 */
    }
    int choice[PLAN_MAX_RANK] = {0};
    for (;;) {
        bool ok = true;
        uint16_t uses = 0;
        for (int d = 0; d < rank && ok; d++) {
            int v = options[d][choice[d]];
            if (v == n) continue;
            if (uses & (1u << v)) ok = false;
            uses |= (uint16_t)(1u << v);
        }
        if (ok) {
            fexpr *idx[PLAN_MAX_RANK];
            uint64_t kdims = 0;
            for (int d = 0; d < rank; d++) {
                int v = options[d][choice[d]];
                idx[d] = v == n ? fx_num(C, 0) : fx_name(C, B->sc->names[v]);
                if (B->depth > 0 && v == n - 1 && tensor < 16) kdims |= 1ull << (tensor * PLAN_MAX_RANK + d);
            }
            add_terminal(C, B, fx_access(C, st0->name, rank, idx), TY_R, uses, kdims, false, false);
        }
        int d = rank - 1;
        while (d >= 0 && choice[d] == n_options[d] - 1) choice[d--] = 0;
        if (d < 0) break;
        choice[d]++;
    }
}

static uint16_t uses_of(const scope *sc, const fexpr *e) {
    uint16_t u = 0;
    for (int i = 0; i < sc->n; i++)
        if (fx_uses(e, sc->names[i])) u |= (uint16_t)(1u << i);
    return u;
}

static void add_terminals(synth_ctx *C, bank *B) {
    const plan_op *op = C->op;
    for (int t = 0; t < op->n_tensors; t++) {
        const plan_tensor *pt = &op->tensors[t];
        bool input = pt->role == ROLE_INPUT && elem_dtype_is_float(pt->dtype);
        bool output = (pt->role == ROLE_OUTPUT || pt->role == ROLE_INOUT) && synth_may_reference(C, t);
        if (input || output) add_accesses(C, B, t);
    }
    for (size_t i = 0; i < C->subformulas.len; i++)
        add_terminal(C, B, C->subformulas.items[i], TY_R, uses_of(B->sc, C->subformulas.items[i]), 0, false, false);
    for (int i = 0; i < B->sc->n; i++) add_terminal(C, B, fx_name(C, B->sc->names[i]), TY_I, (uint16_t)(1u << i), 0, false, false);
    for (int k = 0; k < C->sp->n_sizes; k++) add_terminal(C, B, fx_name(C, op->sizes[k].name), TY_R, 0, 0, true, false);
    for (int p = 0; p < op->n_params; p++) add_terminal(C, B, fx_name(C, op->params[p].name), TY_R, 0, 0, true, false);
    for (int k = 0; k < grammar_n_constants; k++) add_terminal(C, B, fx_num(C, grammar_constants[k]), TY_R, 0, 0, true, true);
    for (size_t k = 0; k < C->spec_constants.len; k++)
        add_terminal(C, B, fx_num(C, C->spec_constants.items[k]), TY_R, 0, 0, true, true);
}

/* ---- making a bank ------------------------------------------------------------------------------ */

static uint64_t positions_key(const scope *sc, const member *pos, int n) {
    uint64_t h = hash_mix(hash_mix(0xbada55, (uint64_t)sc->output), (uint64_t)sc->n);
    for (int p = 0; p < n; p++) {
        h = hash_mix(h, (uint64_t)pos[p].run);
        for (int i = 0; i < sc->n; i++) h = hash_mix(h, (uint64_t)pos[p].env[i]);
    }
    return h;
}

static bank *bank_new(synth_ctx *C, const scope *sc, member *pos, int n_pos, int depth) {
    bank *B = xcalloc(1, sizeof *B);
    B->sc = sc;
    B->depth = depth;
    B->pos = pos;
    B->n_pos = n_pos;
    B->L = n_pos * A;
    B->key = positions_key(sc, pos, n_pos);
    B->n_subformulas = C->subformulas.len;
    add_terminals(C, B);
    B->level_end[0] = 0;
    B->level_end[1] = B->n_e;
    B->built = 1;
    return B;
}

static void bank_free(synth_ctx *C, bank *B) {
    if (!B) return;
    bank_free(C, B->child);
    C->bank_bytes -= B->bytes < C->bank_bytes ? B->bytes : C->bank_bytes;
    free(B->pos);
    free(B->terminal);
    free(B->e);
    free(B->vals);
    free(B->slot_hash);
    free(B->slot_entry);
    free(B->range_lo);
    free(B->range_hi);
    free(B->range_lo_v);
    free(B->range_hi_v);
    free(B->range_uses);
    free(B->range_kdims);
    free(B->kmax);
    free(B->child_off);
    free(B);
}

static int run_weight(const spec *sp, int r) {
    int64_t w = 0;
    for (int k = 0; k < sp->n_sizes; k++) w += sp->runs[r].sizes[k];
    return (int)w;
}

/* Positions of a top-scope family: members spread over the runs, smallest runs first (their
 * reductions are short, which keeps the child banks small). */
static int choose_positions(synth_ctx *C, const family *f, member *out) {
    int n_runs = C->sp->n_runs, order[SPEC_MAX_RUNS];
    for (int r = 0; r < n_runs; r++) order[r] = r;
    for (int x = 1; x < n_runs; x++)
        for (int y = x; y > 0 && run_weight(C->sp, order[y - 1]) > run_weight(C->sp, order[y]); y--) {
            int t = order[y];
            order[y] = order[y - 1];
            order[y - 1] = t;
        }
    static const double fractions[] = {1.0, 0.5, 0.0, 0.25, 0.75};
    int n = 0;
    for (size_t round = 0; round < sizeof fractions / sizeof *fractions && n < BANK_POSITIONS; round++)
        for (int o = 0; o < n_runs && n < BANK_POSITIONS; o++) {
            int first = -1, last = -1;
            for (int k = 0; k < f->n; k++)
                if (f->m[k].run == order[o]) {
                    if (first < 0) first = k;
                    last = k;
                }
            if (first < 0) continue;
            int pick = first + (int)(fractions[round] * (last - first) + 0.5);
            /* members of a run are not necessarily contiguous: take the nearest of this run */
            while (f->m[pick].run != order[o]) pick--;
            bool dup = false;
            for (int q = 0; q < n && !dup; q++) dup = out[q].run == f->m[pick].run && memcmp(out[q].env, f->m[pick].env, sizeof out[q].env) == 0;
            if (!dup) out[n++] = f->m[pick];
        }
    return n;
}

/* Range r of make_child covers 0..S (a size) or 0..v(+1) (v in scope): the tensor dimensions
 * whose extent is S, or v's extent, at every run; all when v is a binder (extent unknown). */
static uint64_t range_extent_dims(synth_ctx *C, const scope *sc, int r) {
    int v = r < C->sp->n_sizes ? -1 : (r - C->sp->n_sizes) / 2;
    if (v >= sc->n_outer) return ~0ull;
    uint64_t mask = 0;
    for (int t = 0; t < C->op->n_tensors && t < 16; t++)
        for (int d = 0; d < C->sp->runs[0].tensors[t].rank; d++) {
            bool same = true;
            for (int run = 0; run < C->sp->n_runs && same; run++) {
                const spec_run *R = &C->sp->runs[run];
                int64_t ext = v < 0 ? R->sizes[r] : R->tensors[sc->output].shape[v];
                same = ext == R->tensors[t].shape[d];
            }
            if (same) mask |= 1ull << (t * PLAN_MAX_RANK + d);
        }
    return mask;
}

/* The reduction ranges of a bank and its child bank of bodies. */
static void make_child(synth_ctx *C, bank *B) {
    const scope *sc = B->sc;
    B->child_tried = true;
    if (B->depth >= MAX_BANK_DEPTH || sc->n >= SYNTH_MAX_SCOPE || sc->n >= 15) return;
    int max_ranges = C->sp->n_sizes + 2 * sc->n;
    B->range_lo = xcalloc((size_t)max_ranges + 1, sizeof *B->range_lo);
    B->range_hi = xcalloc((size_t)max_ranges + 1, sizeof *B->range_hi);
    B->range_lo_v = xcalloc((size_t)(max_ranges + 1) * (size_t)B->n_pos, sizeof *B->range_lo_v);
    B->range_hi_v = xcalloc((size_t)(max_ranges + 1) * (size_t)B->n_pos, sizeof *B->range_hi_v);
    B->range_uses = xcalloc((size_t)max_ranges + 1, sizeof *B->range_uses);
    B->range_kdims = xcalloc((size_t)max_ranges + 1, sizeof *B->range_kdims);
    for (int r = 0; r < max_ranges; r++) {
        fexpr *hi;
        uint16_t uses = 0;
        if (r < C->sp->n_sizes) {
            hi = fx_name(C, C->op->sizes[r].name);
        } else {
            int v = (r - C->sp->n_sizes) / 2;
            bool inclusive = (r - C->sp->n_sizes) % 2 == 0;
            hi = fx_name(C, sc->names[v]);
            if (inclusive) hi = fx_binop(C, '+', hi, fx_num(C, 1));
            uses = (uint16_t)(1u << v);
        }
        bool ok = true;
        int i = B->n_ranges;
        for (int p = 0; p < B->n_pos && ok; p++) {
            eval_point pt = {B->pos[p].run, 0, sc, B->pos[p].env};
            int64_t h;
            ok = synth_eval_index(C, hi, &pt, &h) && h >= 0 && h <= MAX_KMAX;
            B->range_lo_v[(size_t)i * (size_t)B->n_pos + (size_t)p] = 0;
            B->range_hi_v[(size_t)i * (size_t)B->n_pos + (size_t)p] = h;
        }
        if (!ok) continue;
        B->range_lo[i] = fx_num(C, 0);
        B->range_hi[i] = hi;
        B->range_uses[i] = uses;
        B->range_kdims[i] = range_extent_dims(C, sc, r);
        B->n_ranges++;
    }
    if (!B->n_ranges) return;
    B->kmax = xcalloc((size_t)B->n_pos, sizeof *B->kmax);
    B->child_off = xcalloc((size_t)B->n_pos, sizeof *B->child_off);
    int total = 0;
    for (int p = 0; p < B->n_pos; p++) {
        int k = 1;
        for (int r = 0; r < B->n_ranges; r++) {
            int64_t h = B->range_hi_v[(size_t)r * (size_t)B->n_pos + (size_t)p];
            if (h > k) k = (int)h;
        }
        B->kmax[p] = k;
        B->child_off[p] = total;
        total += k;
    }
    const scope *cs = scope_child(C, sc);
    if (total > MAX_CHILD_POSITIONS || !cs) return;
    member *pos = xcalloc((size_t)total, sizeof *pos);
    for (int p = 0; p < B->n_pos; p++)
        for (int k = 0; k < B->kmax[p]; k++) {
            member *m = &pos[B->child_off[p] + k];
            *m = B->pos[p];
            m->env[sc->n] = k;
        }
    B->child = bank_new(C, cs, pos, total, B->depth + 1);
}

/* ---- levels ----------------------------------------------------------------------------------- */

/* A level (candidates of one size) is built in phases, and a lookup after each phase (or as
 * soon as a candidate equal to the target appears) stops the search before the rest of the
 * level is built. */
typedef enum phase { PH_REDUCE, PH_UNARY, PH_BINARY, PH_CMP, PH_WHERE, N_PHASES } phase;

static void run_phase(synth_ctx *C, bank *B, int s, phase ph, double *v);

static bool ensure_phase(synth_ctx *C, bank *B, int s, int ph) {
    if (s > MAX_LEVEL) return false;
    while (B->built < s) {
        int level = B->built + 1, last = level < s ? N_PHASES - 1 : ph;
        if (B->phase_done > last) break;
        if (out_of_bounds(C, B)) return false;
        double *v = xmalloc((size_t)B->L * sizeof *v);
        while (B->phase_done <= last && !halted(B)) {
            run_phase(C, B, level, (phase)B->phase_done, v);
            if (!halted(B)) B->phase_done++;
        }
        free(v);
        if (B->stopped) return false;
        if (B->interrupted) return true;
        if (B->phase_done == N_PHASES) {
            B->reduced_upto = 0;
            B->built = level;
            B->level_end[level] = B->n_e;
            B->phase_done = 0;
        }
    }
    return true;
}


/* Entries of size s built so far: [first, end). */
static int level_first(const bank *B, int s) { return B->level_end[s - 1]; }
static int level_stop(const bank *B, int s) { return B->built >= s ? B->level_end[s] : B->n_e; }

/* Function by function (all exp(...) first): the most common functions come first. */
static void unary_phase(synth_ctx *C, bank *B, int s, double *v) {
    for (int u = 0; u < grammar_n_unaries && !halted(B); u++) {
        const grammar_unary *g = &grammar_unaries[u];
        /* 1 unless guided; 0: not in the configuration's grammar (or beyond the cost table) */
        int cost = u < SYNTH_MAX_PRODUCTIONS ? C->unary_cost[u] : 0;
        if (!cost || s - cost < 1) continue;
        for (int x = level_first(B, s - cost); x < level_stop(B, s - cost) && !halted(B); x++) {
            if (B->e[x].type != TY_R) continue;
            if (C->opt->prune && B->e[x].scalar) {
                C->stats->pruned++;
                continue;
            }
            if (g->kind == GF_TRANSCENDENTAL && B->e[x].transcendental) continue;   /* grammar: no nesting */
            const double *vx = values_of(B, x);
            for (int i = 0; i < B->L; i++) v[i] = grammar_apply_unary(u, vx[i]);
            bentry proto = {B_UNARY, TY_R, (uint8_t)s, (uint8_t)u, g->kind == GF_TRANSCENDENTAL, 0, 0, B->e[x].uses, x, 0, 0,
                            B->e[x].kdims};
            add_entry(C, B, &proto, v);
        }
    }
}

/* Arithmetic on positions (i + 1, i + diagonal) stays an index; it meets real values only in
 * comparisons. */
static bool index_operand(const bentry *e) { return e->type == TY_I || (e->type == TY_R && e->scalar); }

static bool some_binary_costs(const synth_ctx *C, int cost) {
    for (int b = 0; b < grammar_n_binaries && b < SYNTH_MAX_PRODUCTIONS; b++)
        if (C->binary_cost[b] == cost) return true;
    return false;
}

static void binary_phase(synth_ctx *C, bank *B, int s, double *v, bool comparisons) {
    if (comparisons && !C->cmp_allowed) return;
    /* an operator of cost c combines operands whose sizes add up to s - c (comparisons cost 1) */
    for (int cost = 1; cost <= GUIDED_MAX_COST && !halted(B); cost++) {
    if (comparisons ? cost != 1 : !some_binary_costs(C, cost)) continue;
    for (int s1 = 1; s1 <= s - 1 - cost && !halted(B); s1++) {
        int s2 = s - cost - s1;
        for (int x = level_first(B, s1); x < level_stop(B, s1) && !halted(B); x++) {
            if (B->e[x].type == TY_B) continue;
            for (int y = level_first(B, s2); y < level_stop(B, s2) && !halted(B); y++) {
                bentry ex = B->e[x], ey = B->e[y];
                if (ey.type == TY_B) continue;
                bool index = ex.type == TY_I || ey.type == TY_I;
                if (index && !(index_operand(&ex) && index_operand(&ey))) continue;
                bool both_scalar = ex.scalar && ey.scalar;
                if (C->opt->prune && ((both_scalar && s > 3) || (ex.constant && ey.constant))) {
                    C->stats->pruned++;
                    continue;
                }
                uint16_t uses = ex.uses | ey.uses;
                if (!comparisons) {
                    for (int b = 0; b < grammar_n_binaries; b++) {
                        term_op op = grammar_binaries[b].op;
                        if (b >= SYNTH_MAX_PRODUCTIONS || C->binary_cost[b] != cost) continue;
                        if (index && op != T_ADD && op != T_SUB && op != T_MUL) continue;
                        if (grammar_binaries[b].commutative && (s1 > s2 || (s1 == s2 && y < x))) continue;
                        /* values may move when an entry is added: fetch them each time */
                        const double *vx = values_of(B, x), *vy = values_of(B, y);
                        for (int i = 0; i < B->L; i++) v[i] = grammar_apply_binary(b, vx[i], vy[i]);
                        bentry proto = {B_BINARY, index ? TY_I : TY_R, (uint8_t)s, (uint8_t)b, 0, both_scalar, 0, uses, x, y, 0,
                                        ex.kdims | ey.kdims};
                        add_entry(C, B, &proto, v);
                    }
                } else {
                    if (both_scalar) continue;
                    for (int c = 0; c < grammar_n_cmps; c++) {
                        bool symmetric = grammar_cmps[c] == FC_EQ || grammar_cmps[c] == FC_NE;
                        if (symmetric && (s1 > s2 || (s1 == s2 && y <= x))) continue;
                        const double *vx = values_of(B, x), *vy = values_of(B, y);
                        for (int i = 0; i < B->L; i++)
                            v[i] = isnan(vx[i]) || isnan(vy[i]) ? NAN : grammar_apply_cmp(grammar_cmps[c], vx[i], vy[i]);
                        bentry proto = {B_CMP, TY_B, (uint8_t)s, (uint8_t)c, 0, 0, 0, uses, x, y, 0, ex.kdims | ey.kdims};
                        add_entry(C, B, &proto, v);
                    }
                }
            }
        }
    }
    }
}

static void where_phase(synth_ctx *C, bank *B, int s, double *v) {
    if (!C->where_allowed) return;
    for (int sc = 3; sc <= s - 3 && !halted(B); sc++)
        for (int s1 = 1; s1 <= s - 2 - sc && !halted(B); s1++) {
            int s2 = s - 1 - sc - s1;
            for (int c = level_first(B, sc); c < level_stop(B, sc) && !halted(B); c++) {
                if (B->e[c].type != TY_B) continue;
                for (int x = level_first(B, s1); x < level_stop(B, s1) && !halted(B); x++) {
                    if (B->e[x].type != TY_R) continue;
                    for (int y = level_first(B, s2); y < level_stop(B, s2) && !halted(B); y++) {
                        if (B->e[y].type != TY_R || x == y) continue;
                        const double *vc = values_of(B, c), *vx = values_of(B, x), *vy = values_of(B, y);
                        for (int i = 0; i < B->L; i++) v[i] = isnan(vc[i]) ? NAN : vc[i] != 0 ? vx[i] : vy[i];
                        bentry proto = {B_WHERE, TY_R, (uint8_t)s, 0, 0, 0, 0,
                                        (uint16_t)(B->e[c].uses | B->e[x].uses | B->e[y].uses), c, x, y,
                                        B->e[c].kdims | B->e[x].kdims | B->e[y].kdims};
                        add_entry(C, B, &proto, v);
                    }
                }
            }
        }
}

/* Reductions of size s over the bodies of size s-1, taken as the child bank builds them, phase
 * by phase (the body exp(x[i,k] - m) is reduced before the child's larger phases exist). */
static void reduce_phase(synth_ctx *C, bank *B, int s, double *v) {
    if (s < 2) return;
    if (!B->child_tried) make_child(C, B);
    bank *K = B->child;
    if (!K) return;
    uint16_t binder = (uint16_t)(1u << B->sc->n);
    for (int kph = 0; kph < N_PHASES && !halted(B); kph++) {
        if (!ensure_phase(C, K, s - 1, kph)) {
            if (K->stopped) B->stopped = true;
            return;
        }
        int first = level_first(K, s - 1) > B->reduced_upto ? level_first(K, s - 1) : B->reduced_upto;
        for (int x = first; x < level_stop(K, s - 1) && !halted(B); x++) {
            const bentry *ex = &K->e[x];
            if (ex->type != TY_R) {
                B->reduced_upto = x + 1;
                continue;
            }
            if (C->opt->prune && !(ex->uses & binder)) {
                C->stats->pruned += (long long)B->n_ranges * grammar_n_reductions;
                B->reduced_upto = x + 1;
                continue;
            }
            const double *vx = values_of(K, x);
            for (int r = 0; r < B->n_ranges && !halted(B); r++) {
                if (C->opt->prune && (ex->kdims & ~B->range_kdims[r])) {   /* the range does not fit the dimension */
                    C->stats->pruned += grammar_n_reductions;
                    continue;
                }
                for (int ri = 0; ri < C->n_reductions && !halted(B); ri++) {
                    int red = C->reductions[ri];   /* the configuration's reductions, likeliest first */
                    bool ok = true;
                    for (int p = 0; p < B->n_pos && ok; p++) {
                        int64_t lo = B->range_lo_v[(size_t)r * (size_t)B->n_pos + (size_t)p];
                        int64_t hi = B->range_hi_v[(size_t)r * (size_t)B->n_pos + (size_t)p];
                        for (int a = 0; a < A; a++) {
                            double acc = red >= 4 ? 0 : grammar_reduce_identity(red), best = NAN;
                            bool undefined = false;
                            for (int64_t k = lo; k < hi && !undefined; k++) {
                                double xv = vx[(size_t)(B->child_off[p] + k) * A + (size_t)a];
                                undefined = isnan(xv);
                                grammar_reduce_step(red, &acc, &best, xv, k, k == lo);
                            }
                            v[p * A + a] = undefined ? NAN : red >= 4 ? best : acc;
                        }
                        if (red >= 4 && lo >= hi) ok = false;
                    }
                    if (!ok) continue;
                    uint16_t uses = (uint16_t)((ex->uses & ~binder) | B->range_uses[r]);
                    bentry proto = {B_REDUCE, TY_R, (uint8_t)s, (uint8_t)red, 0, 0, 0, uses, x, r, 0, 0};
                    add_entry(C, B, &proto, v);
                }
            }
            if (!halted(B)) B->reduced_upto = x + 1;
        }
    }
}

static void run_phase(synth_ctx *C, bank *B, int s, phase step, double *v) {
    /* A top bank looks for the pieces top-down left over, most often reductions; a child bank
     * holds reduction bodies, mostly arithmetic on accesses: each puts those first. */
    static const phase top_order[N_PHASES] = {PH_REDUCE, PH_UNARY, PH_BINARY, PH_CMP, PH_WHERE};
    static const phase child_order[N_PHASES] = {PH_UNARY, PH_BINARY, PH_REDUCE, PH_CMP, PH_WHERE};
    phase ph = B->depth ? child_order[step] : top_order[step];
    switch (ph) {
    case PH_REDUCE: reduce_phase(C, B, s, v); break;
    case PH_UNARY: unary_phase(C, B, s, v); break;
    case PH_BINARY: binary_phase(C, B, s, v, false); break;
    case PH_CMP: binary_phase(C, B, s, v, true); break;
    default: where_phase(C, B, s, v); break;
    }
}

/* ---- candidates as formulas --------------------------------------------------------------------- */

static fexpr *entry_fexpr(synth_ctx *C, bank *B, int id) {
    const bentry *e = &B->e[id];
    switch ((bkind)e->kind) {
    case B_TERM:   /* a sub-formula inside a reduction: its binders named below the reduction's */
        return B->depth ? fx_rebind(C, B->terminal[e->a], B->sc->n - B->sc->n_outer) : B->terminal[e->a];
    case B_UNARY: return grammar_unary_fexpr(C, e->op, entry_fexpr(C, B, e->a));
    case B_BINARY: return grammar_binary_fexpr(C, e->op, entry_fexpr(C, B, e->a), entry_fexpr(C, B, e->b));
    case B_CMP: return fx_cmp(C, grammar_cmps[e->op], entry_fexpr(C, B, e->a), entry_fexpr(C, B, e->b));
    case B_WHERE: return fx_where(C, entry_fexpr(C, B, e->a), entry_fexpr(C, B, e->b), entry_fexpr(C, B, e->c));
    case B_REDUCE:
        return fx_reduce(C, grammar_reductions[e->op], B->child->sc->names[B->sc->n], B->range_lo[e->b], B->range_hi[e->b],
                         entry_fexpr(C, B->child, e->a));
    }
    return NULL;
}

/* ---- lookup --------------------------------------------------------------------------------------- */

static bank *bank_for(synth_ctx *C, const family *f) {
    member *pos = xcalloc(BANK_POSITIONS, sizeof *pos);
    int n = choose_positions(C, f, pos);
    uint64_t key = positions_key(f->sc, pos, n);
    for (size_t i = 0; i < C->banks.len; i++) {
        bank *B = C->banks.items[i];
        if (B->key == key && B->sc->output == f->sc->output && B->sc->n == f->sc->n && B->n_pos == n) {
            free(pos);
            if (B->n_subformulas == C->subformulas.len) return B;
            bank_free(C, B);   /* new terminals: rebuild */
            C->banks.items[i] = C->banks.items[--C->banks.len];
            return bank_for(C, f);
        }
    }
    bank *B = bank_new(C, f->sc, pos, n, 0);
    vec_push(&C->banks, B);
    return B;
}

fexpr *bottomup_find(synth_ctx *C, const family *f) {
    if (f->n == 0) return NULL;
    bank *B = bank_for(C, f);
    /* the family's values at the bank's positions */
    double *target = xmalloc((size_t)B->L * sizeof *target);
    bool ok = true;
    for (int p = 0; p < B->n_pos && ok; p++) {
        int k = 0;
        while (k < f->n && !(f->m[k].run == B->pos[p].run && memcmp(f->m[k].env, B->pos[p].env, sizeof f->m[k].env) == 0)) k++;
        ok = k < f->n;
        for (int a = 0; a < A && ok; a++) {
            target[p * A + a] = sample_term(C, f->m[k].t, a);
            ok = !isnan(target[p * A + a]);
        }
    }
    fexpr *found = NULL;
    uint64_t h = ok ? coarse_hash(target, B->L, TY_R) : 0;
    B->want = target;
    B->want_hash = h;
    for (int s = 1; ok && !found && s <= C->size_cap && s <= MAX_LEVEL; s++) {
        for (int ph = 0; ph < N_PHASES && !found; ph++) {
            do {
                B->interrupted = false;
                if (!ensure_phase(C, B, s, ph)) {
                    ok = false;
                    break;
                }
                size_t cursor = 0;
                for (int id; !found && (id = bank_find(C, B, target, TY_R, h, &cursor)) >= 0;) {
                    if (B->e[id].size > s) continue;
                    fexpr *e = entry_fexpr(C, B, id);
                    if (check_family_numeric(C, f, e, NULL, 0)) found = e;
                }
            } while (ok && !found && B->interrupted);
            if (!ok) break;
        }
    }
    B->want = NULL;
    B->interrupted = false;
    free(target);
    return found;
}

void banks_free(synth_ctx *C) {
    for (size_t i = 0; i < C->banks.len; i++) bank_free(C, C->banks.items[i]);
    vec_free(&C->banks);
    C->bank_bytes = 0;
}
