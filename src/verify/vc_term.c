/* vc_term: see vc_term.h. Nodes live in one growing array indexed by id; a hash table over
 * (kind, sort, op, args, constants, name) gives hash-consing. Commutative operators (+, *, and,
 * or) sort their arguments by id so that their argument order never separates equal terms. */
#include "verify/vc_term.h"
#include "util/strbuf.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vt_store {
    arena a;
    vt_node *nodes;          /* index = id; nodes[0] unused */
    size_t n, cap;
    vt_id *table;            /* hash table of ids, open addressing */
    size_t table_cap;
    const char **names;      /* interned strings, open addressing */
    size_t names_n, names_cap;
};

/* ---- rationals ---- */

static int64_t gcd64(int64_t a, int64_t b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b) { int64_t t = a % b; a = b; b = t; }
    return a ? a : 1;
}

vt_rat vt_rat_make(int64_t num, int64_t den) {
    if (den < 0) { num = -num; den = -den; }
    int64_t g = gcd64(num, den);
    return (vt_rat){num / g, den / g};
}

bool vt_rat_add(vt_rat a, vt_rat b, vt_rat *out) {
    int64_t x, y, d;
    if (__builtin_mul_overflow(a.num, b.den, &x) || __builtin_mul_overflow(b.num, a.den, &y) ||
        __builtin_add_overflow(x, y, &x) || __builtin_mul_overflow(a.den, b.den, &d))
        return false;
    *out = vt_rat_make(x, d);
    return true;
}

bool vt_rat_mul(vt_rat a, vt_rat b, vt_rat *out) {
    int64_t g1 = gcd64(a.num, b.den), g2 = gcd64(b.num, a.den), x, d;
    if (__builtin_mul_overflow(a.num / g1, b.num / g2, &x) || __builtin_mul_overflow(a.den / g2, b.den / g1, &d)) return false;
    *out = vt_rat_make(x, d);
    return true;
}

bool vt_rat_div(vt_rat a, vt_rat b, vt_rat *out) {
    if (b.num == 0) return false;
    return vt_rat_mul(a, vt_rat_make(b.den, b.num), out);
}

int vt_rat_cmp(vt_rat a, vt_rat b) {
    __int128 x = (__int128)a.num * b.den, y = (__int128)b.num * a.den;
    return x < y ? -1 : x > y ? 1 : 0;
}

bool vt_rat_from_double(double d, vt_rat *out) {
    if (!isfinite(d)) return false;
    if (d == floor(d) && fabs(d) < 9e18) { *out = vt_rat_make((int64_t)d, 1); return true; }
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
        if (strtod(buf, NULL) == d) break;
    }
    /* buf is "[-]D.DDDDe[+-]XX": mantissa digits and a decimal exponent */
    int64_t mant = 0;
    int digits_after = 0;
    bool neg = buf[0] == '-', after = false;
    const char *p = buf + (neg ? 1 : 0);
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') { after = true; continue; }
        if (__builtin_mul_overflow(mant, 10, &mant) || __builtin_add_overflow(mant, *p - '0', &mant)) return false;
        if (after) digits_after++;
    }
    int exp10 = *p == 'e' ? atoi(p + 1) : 0;
    int scale = exp10 - digits_after;   /* value = mant * 10^scale */
    int64_t num = neg ? -mant : mant, den = 1;
    for (; scale > 0; scale--)
        if (__builtin_mul_overflow(num, 10, &num)) return false;
    for (; scale < 0; scale++)
        if (__builtin_mul_overflow(den, 10, &den)) return false;
    *out = vt_rat_make(num, den);
    return true;
}

double vt_rat_to_double(vt_rat q) { return (double)q.num / (double)q.den; }

/* ---- store ---- */

vt_store *vt_store_new(void) {
    vt_store *s = xcalloc(1, sizeof *s);
    arena_init(&s->a);
    s->cap = 1024;
    s->nodes = xcalloc(s->cap, sizeof *s->nodes);
    s->n = 1;
    s->table_cap = 2048;
    s->table = xcalloc(s->table_cap, sizeof *s->table);
    s->names_cap = 256;
    s->names = xcalloc(s->names_cap, sizeof *s->names);
    return s;
}

void vt_store_free(vt_store *s) {
    if (!s) return;
    free(s->nodes);
    free(s->table);
    free(s->names);
    arena_free(&s->a);
    free(s);
}

const vt_node *vt_get(const vt_store *s, vt_id t) { return &s->nodes[t]; }
size_t vt_store_size(const vt_store *s) { return s->n - 1; }
arena *vt_arena(vt_store *s) { return &s->a; }

static uint32_t hash_str(const char *p) {
    uint32_t h = 2166136261u;
    for (; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    return h;
}

const char *vt_intern(vt_store *s, const char *name) {
    if (s->names_n * 2 >= s->names_cap) {
        size_t cap = s->names_cap * 2;
        const char **t = xcalloc(cap, sizeof *t);
        for (size_t i = 0; i < s->names_cap; i++)
            if (s->names[i]) {
                size_t j = hash_str(s->names[i]) & (cap - 1);
                while (t[j]) j = (j + 1) & (cap - 1);
                t[j] = s->names[i];
            }
        free(s->names);
        s->names = t;
        s->names_cap = cap;
    }
    size_t j = hash_str(name) & (s->names_cap - 1);
    while (s->names[j]) {
        if (strcmp(s->names[j], name) == 0) return s->names[j];
        j = (j + 1) & (s->names_cap - 1);
    }
    s->names[j] = arena_strdup(&s->a, name);
    s->names_n++;
    return s->names[j];
}

static uint32_t node_hash(const vt_node *k) {
    uint64_t h = 1469598103934665603ull;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ull)
    MIX(k->kind); MIX(k->sort); MIX(k->op); MIX(k->n);
    for (int i = 0; i < k->n; i++) MIX(k->args[i]);
    MIX((uint64_t)k->ival); MIX((uint64_t)k->q.num); MIX((uint64_t)k->q.den);
    MIX((uintptr_t)k->name);
#undef MIX
    return (uint32_t)(h ^ (h >> 32));
}

static bool node_equal(const vt_node *a, const vt_node *b) {
    if (a->kind != b->kind || a->sort != b->sort || a->op != b->op || a->n != b->n || a->ival != b->ival ||
        a->q.num != b->q.num || a->q.den != b->q.den || a->name != b->name)
        return false;
    for (int i = 0; i < a->n; i++)
        if (a->args[i] != b->args[i]) return false;
    return true;
}

static void grow_table(vt_store *s) {
    size_t cap = s->table_cap * 2;
    vt_id *t = xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < s->table_cap; i++) {
        vt_id id = s->table[i];
        if (!id) continue;
        size_t j = s->nodes[id].hash & (cap - 1);
        while (t[j]) j = (j + 1) & (cap - 1);
        t[j] = id;
    }
    free(s->table);
    s->table = t;
    s->table_cap = cap;
}

static bool red_op_maybe_inf(int op) { return op == VR_MAX || op == VR_MIN; }

static vt_id intern_node(vt_store *s, vt_node *k) {
    k->hash = node_hash(k);
    size_t j = k->hash & (s->table_cap - 1);
    while (s->table[j]) {
        vt_id id = s->table[j];
        if (s->nodes[id].hash == k->hash && node_equal(&s->nodes[id], k)) return id;
        j = (j + 1) & (s->table_cap - 1);
    }
    /* new node: copy args into the arena, derive depth and maybe_inf */
    if (k->n) {
        vt_id *args = arena_alloc(&s->a, (size_t)k->n * sizeof *args);
        memcpy(args, k->args, (size_t)k->n * sizeof *args);
        k->args = args;
    }
    uint32_t depth = 0;
    bool inf = false;
    if (k->kind == VK_BVAR) depth = (uint32_t)k->ival + 1;
    if (k->kind == VK_INF) inf = true;
    for (int i = 0; i < k->n; i++) {
        const vt_node *c = &s->nodes[k->args[i]];
        uint32_t d = c->depth;
        if (k->kind == VK_RED && i == 2 && d > 0) d--;
        if (d > depth) depth = d;
        if (c->sort == VS_REAL && c->maybe_inf) inf = true;
    }
    if (k->kind == VK_RED) inf = s->nodes[k->args[2]].maybe_inf || (red_op_maybe_inf(k->op) && k->ival != 1);
    if (k->kind == VK_APP && strncmp(k->name, "undef", 5) == 0) inf = true;   /* garbage may be anything */
    if (k->kind == VK_APP && strncmp(k->name, "mem:", 4) == 0) inf = false;   /* inputs are finite reals */
    if (k->sort != VS_REAL) inf = false;
    k->depth = depth;
    k->maybe_inf = inf;
    if (s->n == s->cap) {
        s->cap *= 2;
        s->nodes = xrealloc(s->nodes, s->cap * sizeof *s->nodes);
    }
    vt_id id = (vt_id)s->n++;
    s->nodes[id] = *k;
    j = k->hash & (s->table_cap - 1);
    while (s->table[j]) j = (j + 1) & (s->table_cap - 1);
    s->table[j] = id;
    if (s->n * 2 >= s->table_cap) grow_table(s);
    return id;
}

static vt_id mk(vt_store *s, vt_kind kind, vt_sort sort, int op, int n, const vt_id *args) {
    vt_node k = {0};
    k.kind = kind;
    k.sort = sort;
    k.op = op;
    k.n = n;
    k.args = args;
    k.q = (vt_rat){0, 1};
    return intern_node(s, &k);
}

/* ---- leaves ---- */

vt_id vt_bool(vt_store *s, bool v) {
    vt_node k = {0};
    k.kind = VK_BOOLC; k.sort = VS_BOOL; k.ival = v ? 1 : 0; k.q = (vt_rat){0, 1};
    return intern_node(s, &k);
}

vt_id vt_int(vt_store *s, int64_t v) {
    vt_node k = {0};
    k.kind = VK_INTC; k.sort = VS_INT; k.ival = v; k.q = (vt_rat){0, 1};
    return intern_node(s, &k);
}

vt_id vt_real(vt_store *s, vt_rat q) {
    vt_node k = {0};
    k.kind = VK_REALC; k.sort = VS_REAL; k.q = vt_rat_make(q.num, q.den);
    return intern_node(s, &k);
}

vt_id vt_real_int(vt_store *s, int64_t v) { return vt_real(s, (vt_rat){v, 1}); }

vt_id vt_inf(vt_store *s, int sign) {
    vt_node k = {0};
    k.kind = VK_INF; k.sort = VS_REAL; k.ival = sign < 0 ? -1 : 1; k.q = (vt_rat){0, 1};
    return intern_node(s, &k);
}

vt_id vt_var(vt_store *s, const char *name, vt_sort sort) {
    vt_node k = {0};
    k.kind = VK_VAR; k.sort = sort; k.name = vt_intern(s, name); k.q = (vt_rat){0, 1};
    return intern_node(s, &k);
}

vt_id vt_bvar(vt_store *s, int index) {
    vt_node k = {0};
    k.kind = VK_BVAR; k.sort = VS_INT; k.ival = index; k.q = (vt_rat){0, 1};
    return intern_node(s, &k);
}

/* ---- queries ---- */

bool vt_is_const(const vt_store *s, vt_id t, int64_t *v) {
    const vt_node *n = vt_get(s, t);
    if (n->kind == VK_INTC || n->kind == VK_BOOLC) { if (v) *v = n->ival; return true; }
    return false;
}

bool vt_is_rat(const vt_store *s, vt_id t, vt_rat *q) {
    const vt_node *n = vt_get(s, t);
    if (n->kind == VK_REALC) { if (q) *q = n->q; return true; }
    if (n->kind == VK_INTC) { if (q) *q = (vt_rat){n->ival, 1}; return true; }
    return false;
}

bool vt_is_zero(const vt_store *s, vt_id t) {
    vt_rat q;
    return vt_is_rat(s, t, &q) && q.num == 0;
}

bool vt_is_one(const vt_store *s, vt_id t) {
    vt_rat q;
    return vt_is_rat(s, t, &q) && q.num == 1 && q.den == 1;
}

static bool is_inf(const vt_store *s, vt_id t, int *sign) {
    const vt_node *n = vt_get(s, t);
    if (n->kind != VK_INF) return false;
    if (sign) *sign = (int)n->ival;
    return true;
}

static bool is_finite_term(const vt_store *s, vt_id t) { return !vt_get(s, t)->maybe_inf; }

/* ---- arithmetic ---- */

static int cmp_id(const void *a, const void *b) {
    vt_id x = *(const vt_id *)a, y = *(const vt_id *)b;
    return x < y ? -1 : x > y;
}

static vt_id const_of_sort(vt_store *s, vt_sort sort, vt_rat q) {
    return sort == VS_INT ? vt_int(s, q.num) : vt_real(s, q);
}

vt_id vt_addn(vt_store *s, vt_sort sort, int n, const vt_id *args) {
    vt_id buf[64], *items = buf;
    int m = 0, cap = 64;
    vt_rat c = {0, 1};
    bool folded = true;
    int inf_sign = 0, n_inf = 0;
    bool all_finite = true;
    /* flatten one level of nested sums (their own args are already flat) */
    for (int i = 0; i < n; i++) {
        const vt_node *a = vt_get(s, args[i]);
        int k0 = a->kind == VK_ADD ? a->n : 1;
        for (int k = 0; k < k0; k++) {
            vt_id x = a->kind == VK_ADD ? a->args[k] : args[i];
            vt_rat q;
            int sg;
            if (vt_is_rat(s, x, &q) && folded) {
                vt_rat r;
                if (vt_rat_add(c, q, &r)) { c = r; continue; }
                folded = false;
            }
            if (is_inf(s, x, &sg)) { n_inf++; if (!inf_sign) inf_sign = sg; else if (inf_sign != sg) inf_sign = 2; }
            else if (!is_finite_term(s, x)) all_finite = false;
            if (m + 2 >= cap) {
                int nc = cap * 2;
                vt_id *t = xcalloc((size_t)nc, sizeof *t);
                memcpy(t, items, (size_t)m * sizeof *t);
                if (items != buf) free(items);
                items = t;
                cap = nc;
            }
            items[m++] = x;
        }
    }
    vt_id r;
    if (n_inf && inf_sign != 2 && all_finite) {
        r = vt_inf(s, inf_sign);
    } else {
        if (c.num != 0) items[m++] = const_of_sort(s, sort, c);   /* cap >= m + 1 */
        if (m == 0) r = const_of_sort(s, sort, (vt_rat){0, 1});
        else if (m == 1) r = items[0];
        else {
            qsort(items, (size_t)m, sizeof *items, cmp_id);
            r = mk(s, VK_ADD, sort, 0, m, items);
        }
    }
    if (items != buf) free(items);
    return r;
}

vt_id vt_muln(vt_store *s, vt_sort sort, int n, const vt_id *args) {
    vt_id buf[64], *items = buf;
    int m = 0, cap = 64;
    vt_rat c = {1, 1};
    bool all_finite = true;
    int n_inf = 0, inf_sign = 1;
    for (int i = 0; i < n; i++) {
        const vt_node *a = vt_get(s, args[i]);
        int k0 = a->kind == VK_MUL ? a->n : 1;
        for (int k = 0; k < k0; k++) {
            vt_id x = a->kind == VK_MUL ? a->args[k] : args[i];
            vt_rat q, r;
            int sg;
            if (vt_is_rat(s, x, &q) && vt_rat_mul(c, q, &r)) { c = r; continue; }
            if (is_inf(s, x, &sg)) { n_inf++; inf_sign *= sg; }
            else if (!is_finite_term(s, x)) all_finite = false;
            if (m + 2 >= cap) {
                int nc = cap * 2;
                vt_id *t = xcalloc((size_t)nc, sizeof *t);
                memcpy(t, items, (size_t)m * sizeof *t);
                if (items != buf) free(items);
                items = t;
                cap = nc;
            }
            items[m++] = x;
        }
    }
    vt_id r;
    if (c.num == 0 && all_finite && n_inf == 0) {
        r = const_of_sort(s, sort, (vt_rat){0, 1});
    } else if (n_inf && n_inf == m && c.num != 0) {
        r = vt_inf(s, c.num < 0 ? -inf_sign : inf_sign);
    } else {
        if (!(c.num == 1 && c.den == 1)) items[m++] = const_of_sort(s, sort, c);
        if (m == 0) r = const_of_sort(s, sort, (vt_rat){1, 1});
        else if (m == 1) r = items[0];
        else {
            qsort(items, (size_t)m, sizeof *items, cmp_id);
            r = mk(s, VK_MUL, sort, 0, m, items);
        }
    }
    if (items != buf) free(items);
    return r;
}

static vt_sort arith_sort(const vt_store *s, vt_id a, vt_id b) {
    return (vt_sort_of(s, a) == VS_REAL || vt_sort_of(s, b) == VS_REAL) ? VS_REAL : VS_INT;
}

/* Operands of mixed sorts are brought to Real (Bool counts as Int). */
static void unify(vt_store *s, vt_id *a, vt_id *b) {
    if (vt_sort_of(s, *a) == VS_BOOL) *a = vt_convert(s, *a, VS_INT);
    if (vt_sort_of(s, *b) == VS_BOOL) *b = vt_convert(s, *b, VS_INT);
    vt_sort t = arith_sort(s, *a, *b);
    *a = vt_convert(s, *a, t);
    *b = vt_convert(s, *b, t);
}

vt_id vt_add(vt_store *s, vt_id a, vt_id b) {
    unify(s, &a, &b);
    vt_id v[2] = {a, b};
    return vt_addn(s, vt_sort_of(s, a), 2, v);
}

vt_id vt_mul(vt_store *s, vt_id a, vt_id b) {
    unify(s, &a, &b);
    vt_id v[2] = {a, b};
    return vt_muln(s, vt_sort_of(s, a), 2, v);
}

vt_id vt_neg(vt_store *s, vt_id a) {
    if (vt_sort_of(s, a) == VS_BOOL) a = vt_convert(s, a, VS_INT);
    int sg;
    if (is_inf(s, a, &sg)) return vt_inf(s, -sg);
    return vt_mul(s, vt_sort_of(s, a) == VS_INT ? vt_int(s, -1) : vt_real_int(s, -1), a);
}

vt_id vt_sub(vt_store *s, vt_id a, vt_id b) { return vt_add(s, a, vt_neg(s, b)); }

vt_id vt_div(vt_store *s, vt_id a, vt_id b) {
    a = vt_convert(s, a, VS_REAL);
    b = vt_convert(s, b, VS_REAL);
    vt_rat x = {0, 1}, y = {0, 1}, r;
    if (vt_is_rat(s, b, &y) && y.num == 1 && y.den == 1) return a;
    if (vt_is_rat(s, a, &x) && vt_is_rat(s, b, &y) && y.num != 0 && vt_rat_div(x, y, &r)) return vt_real(s, r);
    if (vt_is_rat(s, b, &y) && y.num != 0 && is_finite_term(s, a) && vt_rat_div((vt_rat){1, 1}, y, &r))
        return vt_mul(s, a, vt_real(s, r));   /* division by a nonzero constant is a product */
    vt_id v[2] = {a, b};
    return mk(s, VK_DIV, VS_REAL, 0, 2, v);
}

static int64_t floordiv64(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static vt_id int_binop(vt_store *s, vt_kind kind, vt_id a, vt_id b) {
    a = vt_convert(s, a, VS_INT);
    b = vt_convert(s, b, VS_INT);
    int64_t x = 0, y = 0;
    bool cx = vt_is_const(s, a, &x), cy = vt_is_const(s, b, &y);
    if (cy && y != 0 && !(y == -1 && cx && x == INT64_MIN)) {
        if (cx) {
            switch (kind) {
            case VK_FDIV: return vt_int(s, floordiv64(x, y));
            case VK_FMOD: return vt_int(s, x - floordiv64(x, y) * y);
            case VK_TDIV: return vt_int(s, x / y);
            case VK_TMOD: return vt_int(s, x % y);
            default: break;
            }
        }
        if (y == 1) return kind == VK_FDIV || kind == VK_TDIV ? a : vt_int(s, 0);
    }
    vt_id v[2] = {a, b};
    return mk(s, kind, VS_INT, 0, 2, v);
}

vt_id vt_fdiv(vt_store *s, vt_id a, vt_id b) { return int_binop(s, VK_FDIV, a, b); }
vt_id vt_fmod(vt_store *s, vt_id a, vt_id b) { return int_binop(s, VK_FMOD, a, b); }
vt_id vt_tdiv(vt_store *s, vt_id a, vt_id b) { return int_binop(s, VK_TDIV, a, b); }
vt_id vt_tmod(vt_store *s, vt_id a, vt_id b) { return int_binop(s, VK_TMOD, a, b); }

vt_id vt_cdiv(vt_store *s, vt_id a, vt_id b) {
    return vt_fdiv(s, vt_sub(s, vt_add(s, a, b), vt_int(s, 1)), b);
}

static vt_id minmax(vt_store *s, vt_kind kind, vt_id a, vt_id b) {
    unify(s, &a, &b);
    if (a == b && is_finite_term(s, a)) return a;
    vt_rat x = {0, 1}, y = {0, 1};
    if (vt_is_rat(s, a, &x) && vt_is_rat(s, b, &y)) {
        int c = vt_rat_cmp(x, y);
        return kind == VK_MAX ? (c > 0 ? a : b) : (c < 0 ? a : b);
    }
    int sa = 0, sb = 0;
    bool ia = is_inf(s, a, &sa), ib = is_inf(s, b, &sb);
    /* max(-inf, x) = x for any x; max(x, -inf) = x unless x is NaN; max(+inf, x) = +inf unless x NaN */
    if (kind == VK_MAX) {
        if (ia && sa < 0) return b;
        if (ib && sb < 0 && is_finite_term(s, a)) return a;
        if ((ia && sa > 0 && is_finite_term(s, b)) || (ib && sb > 0 && is_finite_term(s, a))) return vt_inf(s, 1);
    } else {
        if (ia && sa > 0) return b;
        if (ib && sb > 0 && is_finite_term(s, a)) return a;
        if ((ia && sa < 0 && is_finite_term(s, b)) || (ib && sb < 0 && is_finite_term(s, a))) return vt_inf(s, -1);
    }
    vt_id v[2] = {a, b};
    return mk(s, kind, vt_sort_of(s, a), 0, 2, v);
}

vt_id vt_max(vt_store *s, vt_id a, vt_id b) { return minmax(s, VK_MAX, a, b); }
vt_id vt_min(vt_store *s, vt_id a, vt_id b) { return minmax(s, VK_MIN, a, b); }

vt_id vt_ite(vt_store *s, vt_id c, vt_id a, vt_id b) {
    c = vt_convert(s, c, VS_BOOL);
    int64_t cv;
    if (vt_is_const(s, c, &cv)) return cv ? a : b;
    if (vt_sort_of(s, a) != vt_sort_of(s, b)) unify(s, &a, &b);
    if (a == b) return a;
    if (vt_sort_of(s, a) == VS_BOOL) {
        int64_t x = 0, y = 0;
        if (vt_is_const(s, a, &x) && vt_is_const(s, b, &y)) return x ? c : vt_not(s, c);
    }
    if (vt_kind_of(s, c) == VK_NOT) return vt_ite(s, vt_get(s, c)->args[0], b, a);
    vt_id v[3] = {c, a, b};
    return mk(s, VK_ITE, vt_sort_of(s, a), 0, 3, v);
}

/* ---- comparisons and logic ---- */

static vt_id compare(vt_store *s, vt_kind kind, vt_id a, vt_id b) {
    unify(s, &a, &b);
    vt_rat x = {0, 1}, y = {0, 1};
    int sa = 0, sb = 0;
    bool ka = vt_is_rat(s, a, &x) || is_inf(s, a, &sa), kb = vt_is_rat(s, b, &y) || is_inf(s, b, &sb);
    if (ka && kb) {
        int c;
        if (sa && sb) c = (sa > sb) - (sa < sb);
        else if (sa) c = sa;
        else if (sb) c = -sb;
        else c = vt_rat_cmp(x, y);
        return vt_bool(s, kind == VK_LT ? c < 0 : kind == VK_LE ? c <= 0 : c == 0);
    }
    if (a == b && is_finite_term(s, a)) return vt_bool(s, kind != VK_LT);
    /* an infinity against a finite term (never NaN) is decided by the infinity's sign */
    if ((sa && !kb && is_finite_term(s, b)) || (sb && !ka && is_finite_term(s, a)))
        return vt_bool(s, kind != VK_EQ && (sa ? sa < 0 : sb > 0));
    vt_id v[2] = {a, b};
    if (kind == VK_EQ && b < a) { v[0] = b; v[1] = a; }   /* equality is symmetric */
    return mk(s, kind, VS_BOOL, 0, 2, v);
}

vt_id vt_lt(vt_store *s, vt_id a, vt_id b) { return compare(s, VK_LT, a, b); }
vt_id vt_le(vt_store *s, vt_id a, vt_id b) { return compare(s, VK_LE, a, b); }
vt_id vt_gt(vt_store *s, vt_id a, vt_id b) { return compare(s, VK_LT, b, a); }
vt_id vt_ge(vt_store *s, vt_id a, vt_id b) { return compare(s, VK_LE, b, a); }
vt_id vt_eq(vt_store *s, vt_id a, vt_id b) {
    if (vt_sort_of(s, a) == VS_BOOL && vt_sort_of(s, b) == VS_BOOL) {
        if (a == b) return vt_bool(s, true);
        int64_t x;
        if (vt_is_const(s, a, &x)) return x ? b : vt_not(s, b);
        if (vt_is_const(s, b, &x)) return x ? a : vt_not(s, a);
        return vt_or(s, vt_and(s, a, b), vt_and(s, vt_not(s, a), vt_not(s, b)));
    }
    return compare(s, VK_EQ, a, b);
}
vt_id vt_ne(vt_store *s, vt_id a, vt_id b) { return vt_not(s, vt_eq(s, a, b)); }

vt_id vt_same(vt_store *s, vt_id a, vt_id b) {
    if (a == b) return vt_bool(s, true);
    if (vt_sort_of(s, a) != VS_REAL || vt_sort_of(s, b) != VS_REAL || (is_finite_term(s, a) && is_finite_term(s, b))) return vt_eq(s, a, b);
    vt_id v[2] = {a < b ? a : b, a < b ? b : a};
    return vt_app(s, VT_SAME, VS_BOOL, 2, v);
}

static vt_id logic(vt_store *s, vt_kind kind, int n, const vt_id *args) {
    bool is_and = kind == VK_AND;
    vt_id buf[64], *items = buf;
    int m = 0, cap = 64;
    for (int i = 0; i < n; i++) {
        vt_id a0 = vt_convert(s, args[i], VS_BOOL);
        const vt_node *a = vt_get(s, a0);
        int k0 = a->kind == kind ? a->n : 1;
        for (int k = 0; k < k0; k++) {
            vt_id x = a->kind == kind ? a->args[k] : a0;
            int64_t v;
            if (vt_is_const(s, x, &v)) {
                if ((v != 0) == is_and) continue;
                if (items != buf) free(items);
                return vt_bool(s, !is_and);
            }
            if (m == cap) {
                int nc = cap * 2;
                vt_id *t = xcalloc((size_t)nc, sizeof *t);
                memcpy(t, items, (size_t)m * sizeof *t);
                if (items != buf) free(items);
                items = t;
                cap = nc;
            }
            items[m++] = x;
        }
    }
    qsort(items, (size_t)m, sizeof *items, cmp_id);
    int w = 0;
    for (int i = 0; i < m; i++)
        if (w == 0 || items[w - 1] != items[i]) items[w++] = items[i];
    m = w;
    /* x and not x */
    for (int i = 0; i < m; i++) {
        const vt_node *x = vt_get(s, items[i]);
        if (x->kind != VK_NOT) continue;
        for (int j = 0; j < m; j++)
            if (items[j] == x->args[0]) {
                if (items != buf) free(items);
                return vt_bool(s, !is_and);
            }
    }
    vt_id r = m == 0 ? vt_bool(s, is_and) : m == 1 ? items[0] : mk(s, kind, VS_BOOL, 0, m, items);
    if (items != buf) free(items);
    return r;
}

vt_id vt_andn(vt_store *s, int n, const vt_id *args) { return logic(s, VK_AND, n, args); }
vt_id vt_orn(vt_store *s, int n, const vt_id *args) { return logic(s, VK_OR, n, args); }
vt_id vt_and(vt_store *s, vt_id a, vt_id b) { vt_id v[2] = {a, b}; return logic(s, VK_AND, 2, v); }
vt_id vt_or(vt_store *s, vt_id a, vt_id b) { vt_id v[2] = {a, b}; return logic(s, VK_OR, 2, v); }

vt_id vt_not(vt_store *s, vt_id a) {
    a = vt_convert(s, a, VS_BOOL);
    int64_t v;
    if (vt_is_const(s, a, &v)) return vt_bool(s, !v);
    if (vt_kind_of(s, a) == VK_NOT) return vt_get(s, a)->args[0];
    /* integer comparisons negate exactly; real ones do not (NaN) */
    const vt_node *n = vt_get(s, a);
    if ((n->kind == VK_LT || n->kind == VK_LE) && vt_sort_of(s, n->args[0]) == VS_INT)
        return n->kind == VK_LT ? vt_le(s, n->args[1], n->args[0]) : vt_lt(s, n->args[1], n->args[0]);
    return mk(s, VK_NOT, VS_BOOL, 0, 1, &a);
}

vt_id vt_implies(vt_store *s, vt_id a, vt_id b) { return vt_or(s, vt_not(s, a), b); }

/* ---- conversions ---- */

vt_id vt_toreal(vt_store *s, vt_id a) {
    if (vt_sort_of(s, a) == VS_REAL) return a;
    if (vt_sort_of(s, a) == VS_BOOL) a = vt_convert(s, a, VS_INT);
    int64_t v;
    if (vt_is_const(s, a, &v)) return vt_real_int(s, v);
    return mk(s, VK_TOREAL, VS_REAL, 0, 1, &a);
}

vt_id vt_toint(vt_store *s, vt_id a) {
    if (vt_sort_of(s, a) != VS_REAL) return vt_convert(s, a, VS_INT);
    vt_rat q;
    if (vt_is_rat(s, a, &q)) return vt_int(s, q.num / q.den);   /* C truncation */
    if (vt_kind_of(s, a) == VK_TOREAL) return vt_get(s, a)->args[0];
    return mk(s, VK_TOINT, VS_INT, 0, 1, &a);
}

vt_id vt_convert(vt_store *s, vt_id a, vt_sort to) {
    vt_sort from = vt_sort_of(s, a);
    if (from == to) return a;
    if (to == VS_REAL) return vt_toreal(s, a);
    if (to == VS_INT) {
        if (from == VS_BOOL) return vt_ite(s, a, vt_int(s, 1), vt_int(s, 0));
        return vt_toint(s, a);
    }
    /* to Bool: nonzero */
    if (from == VS_INT) return vt_not(s, vt_eq(s, a, vt_int(s, 0)));
    return vt_not(s, vt_eq(s, a, vt_real_int(s, 0)));
}

/* ---- applications and reductions ---- */

vt_id vt_app(vt_store *s, const char *fn, vt_sort sort, int n, const vt_id *args) {
    vt_node k = {0};
    k.kind = VK_APP; k.sort = sort; k.n = n; k.args = args; k.name = vt_intern(s, fn); k.q = (vt_rat){0, 1};
    return intern_node(s, &k);
}

vt_id vt_app1(vt_store *s, const char *fn, vt_sort sort, vt_id a) { return vt_app(s, fn, sort, 1, &a); }

const char *vt_red_op_name(vt_red_op op) {
    static const char *names[] = {"sum", "prod", "max", "min", "argmax", "argmin"};
    return names[op];
}

vt_id vt_red(vt_store *s, vt_red_op op, vt_id lo, vt_id hi, vt_id body) {
    lo = vt_convert(s, lo, VS_INT);
    hi = vt_convert(s, hi, VS_INT);
    int64_t l, h;
    if (vt_is_const(s, lo, &l) && vt_is_const(s, hi, &h) && h <= l) {
        switch (op) {
        case VR_SUM: return vt_sort_of(s, body) == VS_INT ? vt_int(s, 0) : vt_real_int(s, 0);
        case VR_PROD: return vt_sort_of(s, body) == VS_INT ? vt_int(s, 1) : vt_real_int(s, 1);
        case VR_MAX: if (vt_sort_of(s, body) == VS_REAL) return vt_inf(s, -1); break;
        case VR_MIN: if (vt_sort_of(s, body) == VS_REAL) return vt_inf(s, 1); break;
        default: break;
        }
    }
    if (op == VR_SUM || op == VR_PROD || op == VR_MAX || op == VR_MIN)
        if (vt_sort_of(s, body) == VS_BOOL) body = vt_convert(s, body, VS_INT);
    vt_id v[3] = {lo, hi, body};
    vt_sort sort = (op == VR_ARGMAX || op == VR_ARGMIN) ? VS_INT : vt_sort_of(s, body);
    return mk(s, VK_RED, sort, op, 3, v);
}

vt_id vt_red_identity(vt_store *s, vt_red_op op, vt_sort body_sort) {
    if (op == VR_SUM) return vt_convert(s, vt_int(s, 0), body_sort);
    if (op == VR_PROD) return vt_convert(s, vt_int(s, 1), body_sort);
    if (op == VR_MAX && body_sort == VS_REAL) return vt_inf(s, -1);
    if (op == VR_MIN && body_sort == VS_REAL) return vt_inf(s, 1);
    return VT_NONE;
}

vt_id vt_red_nonempty(vt_store *s, vt_red_op op, vt_id lo, vt_id hi, vt_id body) {
    vt_id r = vt_red(s, op, lo, hi, body);
    const vt_node *k = vt_get(s, r);
    if (k->kind != VK_RED || k->ival == 1) return r;
    vt_node n = {0};
    n.kind = VK_RED;
    n.sort = k->sort;
    n.op = k->op;
    n.n = 3;
    n.args = k->args;
    n.ival = 1;
    n.q = (vt_rat){0, 1};
    return intern_node(s, &n);
}

vt_id vt_red_over(vt_store *s, vt_red_op op, vt_id var, vt_id lo, vt_id hi, vt_id body) {
    return vt_red(s, op, lo, hi, vt_close(s, body, var));
}

vt_id vt_rebuild(vt_store *s, vt_id like, int n, const vt_id *a) {
    const vt_node *k = vt_get(s, like);
    switch (k->kind) {
    case VK_BOOLC: case VK_INTC: case VK_REALC: case VK_INF: case VK_VAR: case VK_BVAR: return like;
    case VK_ADD: return vt_addn(s, k->sort, n, a);
    case VK_MUL: return vt_muln(s, k->sort, n, a);
    case VK_DIV: return vt_div(s, a[0], a[1]);
    case VK_FDIV: return vt_fdiv(s, a[0], a[1]);
    case VK_FMOD: return vt_fmod(s, a[0], a[1]);
    case VK_TDIV: return vt_tdiv(s, a[0], a[1]);
    case VK_TMOD: return vt_tmod(s, a[0], a[1]);
    case VK_MAX: return vt_max(s, a[0], a[1]);
    case VK_MIN: return vt_min(s, a[0], a[1]);
    case VK_ITE: return vt_ite(s, a[0], a[1], a[2]);
    case VK_LT: return vt_lt(s, a[0], a[1]);
    case VK_LE: return vt_le(s, a[0], a[1]);
    case VK_EQ: return vt_eq(s, a[0], a[1]);
    case VK_AND: return vt_andn(s, n, a);
    case VK_OR: return vt_orn(s, n, a);
    case VK_NOT: return vt_not(s, a[0]);
    case VK_TOREAL: return vt_toreal(s, a[0]);
    case VK_TOINT: return vt_toint(s, a[0]);
    case VK_APP: return vt_app(s, k->name, k->sort, n, a);
    case VK_RED:
        return k->ival == 1 ? vt_red_nonempty(s, (vt_red_op)k->op, a[0], a[1], a[2]) : vt_red(s, (vt_red_op)k->op, a[0], a[1], a[2]);
    }
    return like;
}

/* ---- traversals ---- */

/* A memo table for one traversal: key (id, depth) -> result. */
typedef struct memo { uint64_t *keys; vt_id *vals; size_t cap, n; } memo;

static void memo_init(memo *m) { m->cap = 256; m->n = 0; m->keys = xcalloc(m->cap, 8); m->vals = xcalloc(m->cap, sizeof(vt_id)); }
static void memo_free(memo *m) { free(m->keys); free(m->vals); }
static uint64_t memo_key(vt_id t, uint32_t depth) { return ((uint64_t)t << 20 | depth) + 1; }

static bool memo_get(const memo *m, uint64_t k, vt_id *v) {
    size_t j = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (m->cap - 1);
    while (m->keys[j]) {
        if (m->keys[j] == k) { *v = m->vals[j]; return true; }
        j = (j + 1) & (m->cap - 1);
    }
    return false;
}

static void memo_put(memo *m, uint64_t k, vt_id v) {
    if (m->n * 2 >= m->cap) {
        memo old = *m;
        m->cap *= 2;
        m->n = 0;
        m->keys = xcalloc(m->cap, 8);
        m->vals = xcalloc(m->cap, sizeof(vt_id));
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i]) memo_put(m, old.keys[i], old.vals[i]);
        memo_free(&old);
    }
    size_t j = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (m->cap - 1);
    while (m->keys[j] && m->keys[j] != k) j = (j + 1) & (m->cap - 1);
    if (!m->keys[j]) m->n++;
    m->keys[j] = k;
    m->vals[j] = v;
}

typedef enum xform_kind { XF_OPEN, XF_CLOSE, XF_SUBST, XF_REPLACE, XF_SHIFT } xform_kind;

typedef struct xform {
    vt_store *s;
    xform_kind kind;
    int n;
    const vt_id *from, *to;    /* vars (subst/close: from[0]) and values */
    int shift;                 /* XF_SHIFT: amount */
    memo m;
} xform;

vt_id vt_shift(vt_store *s, vt_id t, int by);

static vt_id xf(xform *x, vt_id t, uint32_t depth) {
    vt_store *s = x->s;
    const vt_node *k = vt_get(s, t);
    /* subtrees that cannot contain what we replace */
    if ((x->kind == XF_OPEN || x->kind == XF_SHIFT) && k->depth <= depth) return t;
    if (x->kind == XF_REPLACE)
        for (int i = 0; i < x->n; i++)
            if (t == x->from[i]) return x->to[i];
    if (k->kind == VK_VAR) {
        if (x->kind == XF_SUBST) {
            /* a value with loose bound variables is shifted past the binders it moves under */
            for (int i = 0; i < x->n; i++)
                if (t == x->from[i]) return depth && vt_get(s, x->to[i])->depth ? vt_shift(s, x->to[i], (int)depth) : x->to[i];
        } else if (x->kind == XF_CLOSE && t == x->from[0]) {
            return vt_bvar(s, (int)depth);
        }
        return t;
    }
    if (k->kind == VK_BVAR) {
        uint32_t i = (uint32_t)k->ival;
        if (x->kind == XF_OPEN) {
            if (i == depth) return depth && vt_get(s, x->to[0])->depth ? vt_shift(s, x->to[0], (int)depth) : x->to[0];
            if (i > depth) return vt_bvar(s, (int)i - 1);
            return t;
        }
        if (x->kind == XF_CLOSE && i >= depth) return vt_bvar(s, (int)i + 1);
        if (x->kind == XF_SHIFT && i >= depth) return vt_bvar(s, (int)i + x->shift);
        return t;
    }
    if (k->n == 0) return t;
    uint64_t key = memo_key(t, depth);
    vt_id r;
    if (memo_get(&x->m, key, &r)) return r;
    vt_id buf[16], *a = k->n <= 16 ? buf : xcalloc((size_t)k->n, sizeof *a);
    bool changed = false;
    for (int i = 0; i < k->n; i++) {
        a[i] = xf(x, k->args[i], depth + (k->kind == VK_RED && i == 2 ? 1 : 0));
        k = vt_get(s, t);   /* the node array may have moved */
        changed = changed || a[i] != k->args[i];
    }
    r = changed ? vt_rebuild(s, t, k->n, a) : t;
    if (a != buf) free(a);
    memo_put(&x->m, key, r);
    return r;
}

static vt_id run_xform(vt_store *s, xform_kind kind, vt_id t, int n, const vt_id *from, const vt_id *to) {
    xform x = {s, kind, n, from, to, 0, {0}};
    memo_init(&x.m);
    vt_id r = xf(&x, t, 0);
    memo_free(&x.m);
    return r;
}

vt_id vt_shift(vt_store *s, vt_id t, int by) {
    if (by == 0 || vt_get(s, t)->depth == 0) return t;
    xform x = {s, XF_SHIFT, 0, NULL, NULL, by, {0}};
    memo_init(&x.m);
    vt_id r = xf(&x, t, 0);
    memo_free(&x.m);
    return r;
}

vt_id vt_open(vt_store *s, vt_id body, vt_id value) { return run_xform(s, XF_OPEN, body, 1, NULL, &value); }
vt_id vt_close(vt_store *s, vt_id t, vt_id var) { return run_xform(s, XF_CLOSE, t, 1, &var, NULL); }
vt_id vt_subst(vt_store *s, vt_id t, vt_id var, vt_id value) { return run_xform(s, XF_SUBST, t, 1, &var, &value); }
vt_id vt_subst_many(vt_store *s, vt_id t, int n, const vt_id *vars, const vt_id *values) {
    return n ? run_xform(s, XF_SUBST, t, n, vars, values) : t;
}
vt_id vt_replace(vt_store *s, vt_id t, vt_id from, vt_id to) { return run_xform(s, XF_REPLACE, t, 1, &from, &to); }
vt_id vt_replace_many(vt_store *s, vt_id t, int n, const vt_id *from, const vt_id *to) {
    return n ? run_xform(s, XF_REPLACE, t, n, from, to) : t;
}

/* Generic visited-set walk. */
typedef struct walk { const vt_store *s; uint8_t *seen; } walk;

static bool contains_var_rec(walk *w, vt_id t, vt_id var) {
    if (t == var) return true;
    if (w->seen[t]) return false;
    w->seen[t] = 1;
    const vt_node *k = vt_get(w->s, t);
    for (int i = 0; i < k->n; i++)
        if (contains_var_rec(w, k->args[i], var)) return true;
    return false;
}

bool vt_contains_var(const vt_store *s, vt_id t, vt_id var) {
    walk w = {s, xcalloc(s->n, 1)};
    bool r = contains_var_rec(&w, t, var);
    free(w.seen);
    return r;
}

static bool contains_app_rec(walk *w, vt_id t, const char *prefix, size_t len) {
    if (w->seen[t]) return false;
    w->seen[t] = 1;
    const vt_node *k = vt_get(w->s, t);
    if (k->kind == VK_APP && strncmp(k->name, prefix, len) == 0) return true;
    for (int i = 0; i < k->n; i++)
        if (contains_app_rec(w, k->args[i], prefix, len)) return true;
    return false;
}

bool vt_contains_app(const vt_store *s, vt_id t, const char *prefix) {
    walk w = {s, xcalloc(s->n, 1)};
    bool r = contains_app_rec(&w, t, prefix, strlen(prefix));
    free(w.seen);
    return r;
}

static void free_vars_rec(walk *w, vt_id t, vt_id *out, int max, int *n) {
    if (w->seen[t]) return;
    w->seen[t] = 1;
    const vt_node *k = vt_get(w->s, t);
    if (k->kind == VK_VAR) {
        if (*n < max) out[*n] = t;
        (*n)++;
        return;
    }
    for (int i = 0; i < k->n; i++) free_vars_rec(w, k->args[i], out, max, n);
}

int vt_free_vars(const vt_store *s, vt_id t, vt_id *out, int max) {
    walk w = {s, xcalloc(s->n, 1)};
    int n = 0;
    free_vars_rec(&w, t, out, max, &n);
    free(w.seen);
    return n;
}

/* ---- printing ---- */

static void print_rec(const vt_store *s, vt_id t, int depth, strbuf *o);

static void print_args(const vt_store *s, const vt_node *k, const char *sep, int depth, strbuf *o) {
    strbuf_putc(o, '(');
    for (int i = 0; i < k->n; i++) {
        if (i) strbuf_append(o, sep);
        print_rec(s, k->args[i], depth, o);
    }
    strbuf_putc(o, ')');
}

static void print_rec(const vt_store *s, vt_id t, int depth, strbuf *o) {
    const vt_node *k = vt_get(s, t);
    switch (k->kind) {
    case VK_BOOLC: strbuf_append(o, k->ival ? "true" : "false"); return;
    case VK_INTC: strbuf_printf(o, "%" PRId64, k->ival); return;
    case VK_REALC:
        if (k->q.den == 1) strbuf_printf(o, "%" PRId64 ".0", k->q.num);
        else strbuf_printf(o, "%" PRId64 "/%" PRId64, k->q.num, k->q.den);
        return;
    case VK_INF: strbuf_append(o, k->ival < 0 ? "-inf" : "inf"); return;
    case VK_VAR: strbuf_append(o, k->name); return;
    case VK_BVAR: strbuf_printf(o, "k%d", depth - 1 - (int)k->ival); return;
    case VK_ADD: print_args(s, k, " + ", depth, o); return;
    case VK_MUL: print_args(s, k, "*", depth, o); return;
    case VK_DIV: print_args(s, k, " / ", depth, o); return;
    case VK_FDIV: print_args(s, k, " // ", depth, o); return;
    case VK_FMOD: print_args(s, k, " % ", depth, o); return;
    case VK_TDIV: strbuf_append(o, "tdiv"); print_args(s, k, ", ", depth, o); return;
    case VK_TMOD: strbuf_append(o, "tmod"); print_args(s, k, ", ", depth, o); return;
    case VK_MAX: strbuf_append(o, "max"); print_args(s, k, ", ", depth, o); return;
    case VK_MIN: strbuf_append(o, "min"); print_args(s, k, ", ", depth, o); return;
    case VK_ITE: strbuf_append(o, "ite"); print_args(s, k, ", ", depth, o); return;
    case VK_LT: print_args(s, k, " < ", depth, o); return;
    case VK_LE: print_args(s, k, " <= ", depth, o); return;
    case VK_EQ: print_args(s, k, " == ", depth, o); return;
    case VK_AND: print_args(s, k, " & ", depth, o); return;
    case VK_OR: print_args(s, k, " | ", depth, o); return;
    case VK_NOT: strbuf_append(o, "!"); print_args(s, k, "", depth, o); return;
    case VK_TOREAL: strbuf_append(o, "real"); print_args(s, k, "", depth, o); return;
    case VK_TOINT: strbuf_append(o, "int"); print_args(s, k, "", depth, o); return;
    case VK_APP: strbuf_append(o, k->name); print_args(s, k, ", ", depth, o); return;
    case VK_RED:
        strbuf_printf(o, "%s%s(k%d in ", vt_red_op_name((vt_red_op)k->op), k->ival == 1 ? "1" : "", depth);
        print_rec(s, k->args[0], depth, o);
        strbuf_append(o, "..");
        print_rec(s, k->args[1], depth, o);
        strbuf_append(o, ": ");
        print_rec(s, k->args[2], depth + 1, o);
        strbuf_putc(o, ')');
        return;
    }
}

void vt_print(const vt_store *s, vt_id t, strbuf *out) {
    if (t == VT_NONE) { strbuf_append(out, "<none>"); return; }
    print_rec(s, t, 0, out);
}

const char *vt_str(vt_store *s, vt_id t) {
    strbuf b;
    strbuf_init(&b);
    vt_print(s, t, &b);
    const char *r = arena_strdup(&s->a, strbuf_cstr(&b));
    strbuf_free(&b);
    return r;
}
