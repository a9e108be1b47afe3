/* term: the hash-consed term store — node storage, interning of nodes, variables and names,
 * type checking, constant folding and the normalising identities applied on construction.
 * Printing is in term_print.c, numeric evaluation in term_eval.c. */
#include "term/term.h"
#include "util/arena.h"
#include "util/hash.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---- chunked storage -------------------------------------------------------------------- */

/* Nodes and variables live in fixed-size chunks that never move, so a pointer returned by
 * term_get or term_var_info stays valid while more terms are built (callers routinely hold
 * a node while constructing its rewrite). Only the small table of chunk pointers grows. */
#define NODE_CHUNK_BITS 12
#define NODE_CHUNK_SIZE (1u << NODE_CHUNK_BITS)
#define VAR_CHUNK_BITS 10
#define VAR_CHUNK_SIZE (1u << VAR_CHUNK_BITS)
#define TABLE_MIN_CAP 1024u

/* An open-addressing set of ids (linear probing, power-of-two capacity, load <= 1/2).
 * Each slot keeps the entry's hash so that probing rarely touches the entries themselves
 * and growing never recomputes hashes. Id 0 marks an empty slot. */
typedef struct table_slot { uint32_t id, hash; } table_slot;
typedef struct id_table { table_slot *slots; uint32_t cap, count; } id_table;

typedef struct var_key {      /* what identifies a variable: interned name and index */
    const char *name;
    int rank;
    const int64_t *index;
} var_key;

struct term_store {
    term_node **node_chunks;
    uint32_t n_node_chunks, cap_node_chunks;
    uint32_t n_nodes;             /* including the reserved id 0 */
    id_table nodes;               /* ids of non-variable nodes, by (op, type, args, payload) */

    term_variable **var_chunks;
    uint32_t n_var_chunks, cap_var_chunks;
    uint32_t n_vars;
    id_table vars;                /* var number + 1, keyed by (name, rank, index) */

    char **names;                 /* interned variable names, owned by the store */
    uint32_t n_names, cap_names;
    id_table name_set;            /* name number + 1, keyed by the text */
};

/* Zeroed slot arrays. Large ones are placed on transparent huge pages where the kernel
 * offers them: probes land at random over tens of megabytes, and with 4 KiB pages nearly
 * every probe would also miss the TLB. */
static table_slot *alloc_slots(uint32_t cap) {
    size_t bytes = (size_t)cap * sizeof(table_slot);
#ifdef MADV_HUGEPAGE
    const size_t huge = (size_t)2 << 20;
    if (bytes >= huge) {
        void *p = NULL;
        if (posix_memalign(&p, huge, bytes) == 0) {
            madvise(p, bytes, MADV_HUGEPAGE);
            memset(p, 0, bytes);
            return p;
        }
    }
#endif
    return xcalloc(cap, sizeof(table_slot));
}

static void table_init(id_table *t) {
    t->cap = TABLE_MIN_CAP;
    t->count = 0;
    t->slots = alloc_slots(t->cap);
}

static uint32_t fold_hash(uint64_t h) { return (uint32_t)(h ^ (h >> 32)); }

static void table_grow(id_table *t) {
    uint32_t cap = t->cap * 2, mask = cap - 1;
    table_slot *slots = alloc_slots(cap);
    for (uint32_t i = 0; i < t->cap; i++) {
        table_slot e = t->slots[i];
        if (!e.id) continue;
        uint32_t j = e.hash & mask;
        while (slots[j].id) j = (j + 1) & mask;
        slots[j] = e;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

/* Claims the empty slot found by a failed lookup; grows first if that would overfill. */
static void table_insert(id_table *t, table_slot *empty, uint32_t hash, uint32_t id) {
    if ((t->count + 1) * 2 > t->cap) {
        table_grow(t);
        uint32_t mask = t->cap - 1, j = hash & mask;
        while (t->slots[j].id) j = (j + 1) & mask;
        empty = &t->slots[j];
    }
    empty->id = id;
    empty->hash = hash;
    t->count++;
}

/* ---- node access ------------------------------------------------------------------------ */

static inline term_node *node_at(const term_store *s, term_id t) {
    return &s->node_chunks[t >> NODE_CHUNK_BITS][t & (NODE_CHUNK_SIZE - 1)];
}

static inline bool valid_id(const term_store *s, term_id t) { return t != TERM_NONE && t < s->n_nodes; }

const term_node *term_get(const term_store *s, term_id t) {
    return valid_id(s, t) ? node_at(s, t) : NULL;
}

size_t term_store_size(const term_store *s) { return s->n_nodes - 1; }
size_t term_var_count(const term_store *s) { return s->n_vars; }

static inline term_variable *var_at(const term_store *s, uint32_t v) {
    return &s->var_chunks[v >> VAR_CHUNK_BITS][v & (VAR_CHUNK_SIZE - 1)];
}

const term_variable *term_var_info(const term_store *s, uint32_t var) {
    return var < s->n_vars ? var_at(s, var) : NULL;
}

static uint64_t payload_bits(const term_node *n) {
    uint64_t bits;
    memcpy(&bits, &n->u, sizeof bits);   /* unions are zero-filled before use, see intern */
    return bits;
}

static uint32_t node_hash(const term_node *n) {
    uint64_t h = hash_mix((uint64_t)n->op | (uint64_t)n->type << 8 | (uint64_t)n->n_args << 16,
                          n->args[0]);
    h = hash_mix(h, (uint64_t)n->args[1] << 32 | n->args[2]);
    return fold_hash(hash_mix(h, payload_bits(n)));
}

static bool node_equal(const term_node *a, const term_node *b) {
    return a->op == b->op && a->type == b->type && a->n_args == b->n_args &&
           a->args[0] == b->args[0] && a->args[1] == b->args[1] && a->args[2] == b->args[2] &&
           payload_bits(a) == payload_bits(b);
}

/* Adds a copy of *node under the next id, without looking for an equal one. */
static term_id append_node(term_store *s, const term_node *node) {
    if (s->n_nodes == UINT32_MAX) { fputs("vlift: term store full\n", stderr); exit(3); }
    term_id id = s->n_nodes;
    uint32_t chunk = id >> NODE_CHUNK_BITS;
    if (chunk == s->n_node_chunks) {
        if (s->n_node_chunks == s->cap_node_chunks) {
            s->cap_node_chunks = s->cap_node_chunks ? s->cap_node_chunks * 2 : 16;
            s->node_chunks = xrealloc(s->node_chunks, s->cap_node_chunks * sizeof *s->node_chunks);
        }
        s->node_chunks[s->n_node_chunks++] = xmalloc(NODE_CHUNK_SIZE * sizeof(term_node));
    }
    *node_at(s, id) = *node;
    s->n_nodes++;
    return id;
}

/* Returns the id of the node equal to *key, adding a copy of it if there is none.
 * key->size and key->finite are derived by the caller and not part of the identity.
 * Variable nodes do not go through here: the variable table already makes them unique. */
static term_id intern_hashed(term_store *s, const term_node *key, uint32_t hash) {
    uint32_t mask = s->nodes.cap - 1;
    table_slot *slot = &s->nodes.slots[hash & mask];
    for (; slot->id; slot = &s->nodes.slots[(uint32_t)(slot - s->nodes.slots + 1) & mask])
        if (slot->hash == hash && node_equal(node_at(s, slot->id), key)) return slot->id;
    term_id id = append_node(s, key);
    table_insert(&s->nodes, slot, hash, id);
    return id;
}

static term_id intern(term_store *s, const term_node *key) { return intern_hashed(s, key, node_hash(key)); }

/* ---- store lifetime --------------------------------------------------------------------- */

term_store *term_store_new(void) {
    term_store *s = xcalloc(1, sizeof *s);
    table_init(&s->nodes);
    table_init(&s->vars);
    table_init(&s->name_set);
    /* id 0 is TERM_NONE: occupy it with a node that no lookup can match (op T_OP_COUNT) */
    s->node_chunks = xmalloc(16 * sizeof *s->node_chunks);
    s->cap_node_chunks = 16;
    s->node_chunks[0] = xmalloc(NODE_CHUNK_SIZE * sizeof(term_node));
    s->n_node_chunks = 1;
    memset(node_at(s, 0), 0, sizeof(term_node));
    node_at(s, 0)->op = T_OP_COUNT;
    s->n_nodes = 1;
    return s;
}

void term_store_free(term_store *s) {
    if (!s) return;
    for (uint32_t i = 0; i < s->n_node_chunks; i++) free(s->node_chunks[i]);
    for (uint32_t i = 0; i < s->n_var_chunks; i++) free(s->var_chunks[i]);
    for (uint32_t i = 0; i < s->n_names; i++) free(s->names[i]);
    free(s->node_chunks);
    free(s->var_chunks);
    free(s->names);
    free(s->nodes.slots);
    free(s->vars.slots);
    free(s->name_set.slots);
    free(s);
}

/* ---- leaves ----------------------------------------------------------------------------- */

static term_node leaf(term_op op, term_type type) {
    term_node n;
    memset(&n, 0, sizeof n);   /* zero the union's unused bytes: they are hashed */
    n.op = (uint8_t)op;
    n.type = (uint8_t)type;
    n.finite = 1;
    n.size = 1;
    return n;
}

term_id term_real(term_store *s, double v) {
    if (isnan(v)) return TERM_NONE;   /* NaN is not a value of the model */
    term_node n = leaf(T_CONST, TY_REAL);
    n.u.cval = v == 0 ? 0.0 : v;      /* -0 and +0 are the same real */
    n.finite = isfinite(v) ? 1 : 0;
    return intern(s, &n);
}

term_id term_int(term_store *s, int64_t v) {
    term_node n = leaf(T_CONST, TY_INT);
    n.u.ival = v;
    return intern(s, &n);
}

term_id term_bool(term_store *s, bool v) {
    term_node n = leaf(T_CONST, TY_BOOL);
    n.u.ival = v ? 1 : 0;
    return intern(s, &n);
}

static const char *intern_name(term_store *s, const char *name) {
    uint32_t hash = fold_hash(hash_bytes(name, strlen(name))), mask = s->name_set.cap - 1;
    table_slot *slot = &s->name_set.slots[hash & mask];
    for (; slot->id; slot = &s->name_set.slots[(uint32_t)(slot - s->name_set.slots + 1) & mask])
        if (slot->hash == hash && strcmp(s->names[slot->id - 1], name) == 0)
            return s->names[slot->id - 1];
    if (s->n_names == s->cap_names) {
        s->cap_names = s->cap_names ? s->cap_names * 2 : 16;
        s->names = xrealloc(s->names, s->cap_names * sizeof *s->names);
    }
    s->names[s->n_names++] = xstrdup(name);
    table_insert(&s->name_set, slot, hash, s->n_names);
    return s->names[s->n_names - 1];
}

static uint32_t var_hash(const var_key *k) {
    uint64_t h = hash_mix((uint64_t)(uintptr_t)k->name, (uint64_t)k->rank);
    for (int i = 0; i < k->rank; i++) h = hash_mix(h, (uint64_t)k->index[i]);
    return fold_hash(h);
}

static bool var_matches(const term_variable *v, const var_key *k) {
    if (v->name != k->name || v->rank != k->rank) return false;   /* names are interned */
    for (int i = 0; i < k->rank; i++)
        if (v->index[i] != k->index[i]) return false;
    return true;
}

term_id term_var(term_store *s, const char *name, int rank, const int64_t *index, term_type type) {
    if (!name || rank < 0 || rank > 4 || (rank > 0 && !index) || (unsigned)type > TY_BOOL)
        return TERM_NONE;
    var_key key = {intern_name(s, name), rank, index};
    uint32_t hash = var_hash(&key), mask = s->vars.cap - 1;
    table_slot *slot = &s->vars.slots[hash & mask];
    for (; slot->id; slot = &s->vars.slots[(uint32_t)(slot - s->vars.slots + 1) & mask]) {
        const term_variable *v = var_at(s, slot->id - 1);
        if (slot->hash == hash && var_matches(v, &key))
            return v->type == type ? v->term : TERM_NONE;   /* one variable, one type */
    }
    uint32_t var = s->n_vars;
    uint32_t chunk = var >> VAR_CHUNK_BITS;
    if (chunk == s->n_var_chunks) {
        if (s->n_var_chunks == s->cap_var_chunks) {
            s->cap_var_chunks = s->cap_var_chunks ? s->cap_var_chunks * 2 : 16;
            s->var_chunks = xrealloc(s->var_chunks, s->cap_var_chunks * sizeof *s->var_chunks);
        }
        s->var_chunks[s->n_var_chunks++] = xmalloc(VAR_CHUNK_SIZE * sizeof(term_variable));
    }
    term_variable *v = var_at(s, var);
    memset(v, 0, sizeof *v);
    v->name = key.name;
    v->rank = rank;
    for (int i = 0; i < rank; i++) v->index[i] = index[i];
    v->type = type;
    s->n_vars++;
    table_insert(&s->vars, slot, hash, var + 1);
    term_node n = leaf(T_VAR, type);
    n.u.var = var;
    v->term = append_node(s, &n);   /* a new variable is a new node */
    return v->term;
}

/* ---- constant inspection ---------------------------------------------------------------- */

bool term_is_const(const term_store *s, term_id t) {
    return valid_id(s, t) && node_at(s, t)->op == T_CONST;
}

bool term_const_value(const term_store *s, term_id t, double *out) {
    if (!term_is_const(s, t)) return false;
    const term_node *n = node_at(s, t);
    *out = n->type == TY_REAL ? n->u.cval : (double)n->u.ival;
    return true;
}

static bool real_const(const term_store *s, term_id t, double *v) {
    const term_node *n = node_at(s, t);
    if (n->op != T_CONST || n->type != TY_REAL) return false;
    *v = n->u.cval;
    return true;
}

static bool bool_const(const term_store *s, term_id t, bool *v) {
    const term_node *n = node_at(s, t);
    if (n->op != T_CONST || n->type != TY_BOOL) return false;
    *v = n->u.ival != 0;
    return true;
}

static bool is_const_value(const term_store *s, term_id t, double v) {
    const term_node *n = node_at(s, t);
    if (n->op != T_CONST) return false;
    return n->type == TY_REAL ? n->u.cval == v : n->type == TY_INT && (double)n->u.ival == v;
}

/* +1 for the constant +inf, -1 for -inf, 0 otherwise */
static int inf_sign(const term_store *s, term_id t) {
    double v;
    if (!real_const(s, t, &v) || !isinf(v)) return 0;
    return v > 0 ? 1 : -1;
}

static bool is_finite(const term_store *s, term_id t) { return node_at(s, t)->finite; }

static term_id zero_of(term_store *s, term_type type) {
    return type == TY_REAL ? term_real(s, 0.0) : term_int(s, 0);
}

/* ---- operator signatures ---------------------------------------------------------------- */

static int op_arity(term_op op) {
    switch (op) {
    case T_CONST: case T_VAR: return 0;
    case T_NEG: case T_ABS:
    case T_EXP: case T_EXP2: case T_LOG: case T_LOG2: case T_SQRT: case T_RSQRT:
    case T_SIGMOID: case T_ERF: case T_TANH: case T_SIN: case T_COS:
    case T_TO_REAL: case T_TO_INT: case T_NOT: return 1;
    case T_SELECT: return 3;
    default: return 2;
    }
}

static bool is_commutative(term_op op) {
    switch (op) {
    case T_ADD: case T_MUL: case T_MAX: case T_MIN: case T_EQ: case T_NE: case T_AND: case T_OR:
        return true;
    default:
        return false;
    }
}

/* Result type of op applied to args, or -1 on a type error. */
static int result_type(const term_store *s, term_op op, const term_id *args) {
    int a = node_at(s, args[0])->type;
    int b = op_arity(op) > 1 ? node_at(s, args[1])->type : -1;
    bool numeric = a == TY_REAL || a == TY_INT;
    switch (op) {
    case T_ADD: case T_SUB: case T_MUL: case T_MAX: case T_MIN: case T_POW:
        return numeric && a == b ? a : -1;
    case T_DIV:
        return a == TY_REAL && b == TY_REAL ? TY_REAL : -1;
    case T_NEG: case T_ABS:
        return numeric ? a : -1;
    case T_FLOORDIV: case T_MOD: case T_TRUNCDIV: case T_TRUNCMOD:
        return a == TY_INT && b == TY_INT ? TY_INT : -1;
    case T_EXP: case T_EXP2: case T_LOG: case T_LOG2: case T_SQRT: case T_RSQRT:
    case T_SIGMOID: case T_ERF: case T_TANH: case T_SIN: case T_COS:
        return a == TY_REAL ? TY_REAL : -1;
    case T_TO_REAL:
        return a == TY_INT ? TY_REAL : -1;
    case T_TO_INT:
        return a == TY_REAL ? TY_INT : -1;
    case T_LT: case T_LE: case T_EQ: case T_NE:
        return a == b ? TY_BOOL : -1;
    case T_AND: case T_OR:
        return a == TY_BOOL && b == TY_BOOL ? TY_BOOL : -1;
    case T_NOT:
        return a == TY_BOOL ? TY_BOOL : -1;
    case T_SELECT: {
        int c = node_at(s, args[2])->type;
        return a == TY_BOOL && b == c ? b : -1;
    }
    default:
        return -1;
    }
}

/* Whether the node's value is a finite number in the model, given its arguments'. Division,
 * logarithms, roots and powers may be undefined or infinite even on finite inputs. */
static bool node_finite(const term_store *s, term_op op, term_type type, int n, const term_id *args) {
    if (type != TY_REAL) return true;   /* ints and bools are always finite */
    switch (op) {
    case T_ADD: case T_SUB: case T_MUL: case T_NEG: case T_MAX: case T_MIN: case T_ABS:
    case T_EXP: case T_EXP2: case T_SIGMOID: case T_ERF: case T_TANH: case T_SIN: case T_COS:
    case T_TO_REAL:
        for (int i = 0; i < n; i++)
            if (!is_finite(s, args[i])) return false;
        return true;
    case T_SELECT:
        return is_finite(s, args[1]) && is_finite(s, args[2]);
    default:
        return false;
    }
}

/* ---- constant folding ------------------------------------------------------------------- */

static double sigmoid(double x) {
    /* the two forms avoid exp overflow on either side */
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

/* Folds an op over real constants. Folding is refused when the double result is NaN (no
 * value in the model: inf - inf, 0 * inf, sqrt(-1)), when a division is by zero, and when
 * finite inputs give an infinite result (an overflow of doubles, or a pole such as rsqrt(0)
 * or 0 ^ -1), except log(0) = log2(0) = -inf, which kernels rely on. */
static term_id fold_real(term_store *s, term_op op, int n, const term_id *args) {
    double x = node_at(s, args[0])->u.cval, y = n > 1 ? node_at(s, args[1])->u.cval : 0.0, r;
    switch (op) {
    case T_ADD: r = x + y; break;
    case T_SUB: r = x - y; break;
    case T_MUL: r = x * y; break;
    case T_DIV:
        if (y == 0) return TERM_NONE;
        r = x / y;
        break;
    case T_NEG: r = -x; break;
    case T_MAX: r = x > y ? x : y; break;
    case T_MIN: r = x < y ? x : y; break;
    case T_POW: r = pow(x, y); break;
    case T_ABS: r = fabs(x); break;
    case T_EXP: r = exp(x); break;
    case T_EXP2: r = exp2(x); break;
    case T_LOG: r = log(x); break;
    case T_LOG2: r = log2(x); break;
    case T_SQRT: r = sqrt(x); break;
    case T_RSQRT: r = 1.0 / sqrt(x); break;
    case T_SIGMOID: r = sigmoid(x); break;
    case T_ERF: r = erf(x); break;
    case T_TANH: r = tanh(x); break;
    case T_SIN: r = sin(x); break;
    case T_COS: r = cos(x); break;
    case T_TO_INT: {
        if (!isfinite(x)) return TERM_NONE;
        double t = trunc(x);
        if (t < -0x1p63 || t >= 0x1p63) return TERM_NONE;
        return term_int(s, (int64_t)t);
    }
    case T_LT: return term_bool(s, x < y);
    case T_LE: return term_bool(s, x <= y);
    case T_EQ: return term_bool(s, x == y);
    case T_NE: return term_bool(s, x != y);
    default: return TERM_NONE;
    }
    if (isnan(r)) return TERM_NONE;
    bool finite_inputs = isfinite(x) && isfinite(y);
    bool log_of_zero = (op == T_LOG || op == T_LOG2) && x == 0;
    if (finite_inputs && !isfinite(r) && !log_of_zero) return TERM_NONE;
    return term_real(s, r);
}

/* Integer power by squaring; false on overflow or a negative exponent. */
static bool int_pow(int64_t base, int64_t exp, int64_t *out) {
    if (exp < 0) return false;
    int64_t result = 1;
    while (exp > 0) {
        if (exp & 1 && __builtin_mul_overflow(result, base, &result)) return false;
        exp >>= 1;
        if (exp > 0 && __builtin_mul_overflow(base, base, &base)) return false;
    }
    *out = result;
    return true;
}

/* Folds an op over int constants exactly; overflow and division by zero are not folded. */
static term_id fold_int(term_store *s, term_op op, int n, const term_id *args) {
    int64_t x = node_at(s, args[0])->u.ival, y = n > 1 ? node_at(s, args[1])->u.ival : 0, r;
    switch (op) {
    case T_ADD: if (__builtin_add_overflow(x, y, &r)) return TERM_NONE; break;
    case T_SUB: if (__builtin_sub_overflow(x, y, &r)) return TERM_NONE; break;
    case T_MUL: if (__builtin_mul_overflow(x, y, &r)) return TERM_NONE; break;
    case T_NEG: if (x == INT64_MIN) return TERM_NONE; r = -x; break;
    case T_ABS: if (x == INT64_MIN) return TERM_NONE; r = x < 0 ? -x : x; break;
    case T_MAX: r = x > y ? x : y; break;
    case T_MIN: r = x < y ? x : y; break;
    case T_POW: if (!int_pow(x, y, &r)) return TERM_NONE; break;
    case T_FLOORDIV: case T_TRUNCDIV:
        if (y == 0 || (x == INT64_MIN && y == -1)) return TERM_NONE;
        r = x / y;   /* C truncates; Python floors when the signs differ and it is inexact */
        if (op == T_FLOORDIV && x % y != 0 && (x < 0) != (y < 0)) r--;
        break;
    case T_MOD: case T_TRUNCMOD:
        if (y == 0) return TERM_NONE;
        r = y == -1 ? 0 : x % y;   /* x % -1 is 0, and INT64_MIN % -1 would trap */
        if (op == T_MOD && r != 0 && (r < 0) != (y < 0)) r += y;
        break;
    case T_TO_REAL: {
        double d = (double)x;   /* fold only when the double is the exact integer */
        if (d >= 0x1p63 || (int64_t)d != x) return TERM_NONE;
        return term_real(s, d);
    }
    case T_LT: return term_bool(s, x < y);
    case T_LE: return term_bool(s, x <= y);
    case T_EQ: return term_bool(s, x == y);
    case T_NE: return term_bool(s, x != y);
    default: return TERM_NONE;
    }
    return term_int(s, r);
}

static term_id fold_bool(term_store *s, term_op op, int n, const term_id *args) {
    int64_t x = node_at(s, args[0])->u.ival, y = n > 1 ? node_at(s, args[1])->u.ival : 0;
    switch (op) {
    case T_AND: return term_bool(s, x && y);
    case T_OR: return term_bool(s, x || y);
    case T_NOT: return term_bool(s, !x);
    case T_LT: return term_bool(s, x < y);
    case T_LE: return term_bool(s, x <= y);
    case T_EQ: return term_bool(s, x == y);
    case T_NE: return term_bool(s, x != y);
    default: return TERM_NONE;
    }
}

/* The folded constant for op over args, or TERM_NONE if some argument is not a constant or
 * the result is not folded. A select needs only its condition to be constant. */
static term_id fold(term_store *s, term_op op, int n, const term_id *args) {
    bool c;
    if (op == T_SELECT) return bool_const(s, args[0], &c) ? args[c ? 1 : 2] : TERM_NONE;
    for (int i = 0; i < n; i++)
        if (node_at(s, args[i])->op != T_CONST) return TERM_NONE;
    switch (node_at(s, args[0])->type) {
    case TY_REAL: return fold_real(s, op, n, args);
    case TY_INT: return fold_int(s, op, n, args);
    default: return fold_bool(s, op, n, args);
    }
}

/* ---- identities ------------------------------------------------------------------------- */

/* Rewrites applied on construction. Each is exact in the model: real numbers, ±inf only as
 * constants, input variables finite; "x finite" means the node's finite flag is set, so x
 * cannot be ±inf or undefined (a division, log, root or power never counts as finite).
 * Arguments of commutative ops are already ordered, so both sides are checked.
 *
 *   x + 0 -> x            0 + x -> x            x - 0 -> x           x * 1 -> x
 *   x * 0 -> 0  (x finite; ints are always finite)                   x / 1 -> x
 *   x - x -> 0  (x finite)                      -(-x) -> x
 *   a + inf -> inf, a + -inf -> -inf            (a finite)
 *   a - inf -> -inf, a - -inf -> inf            (a finite)
 *   inf - a -> inf, -inf - a -> -inf            (a finite)
 *   x // 1 -> x, tdiv(x, 1) -> x, x % 1 -> 0, tmod(x, 1) -> 0     (ints)
 *   max(x, -inf) -> x     min(x, inf) -> x      max(x, x) -> x       min(x, x) -> x
 *   max(x, inf) -> inf    min(x, -inf) -> -inf  (x finite)
 *   abs(abs x) -> abs x   abs(-x) -> abs x
 *   t == ±inf -> false    t != ±inf -> true     (t finite)
 *   t < inf, t <= inf, -inf < t, -inf <= t -> true                   (t finite)
 *   t < -inf, t <= -inf, inf < t, inf <= t -> false                  (t finite)
 *   x == x, x <= x -> true    x != x, x < x -> false                 (x finite)
 *   x and true -> x       x and false -> false  x or false -> x      x or true -> true
 *   x and x -> x          x or x -> x           not not x -> x
 *   where(c, a, a) -> a   where(true, a, b) -> a (folding)           where(false, a, b) -> b
 *   where(c, true, false) -> c                  where(c, false, true) -> not c
 *
 * Not applied, because they fail for some value of the model or round differently in
 * doubles: reassociation of constants ((x + 1) + 2), x * 0 for non-finite x, x / x,
 * log(exp x) with exp(log x), and flattening of sums. */
static term_id apply_identities(term_store *s, term_op op, term_type type, const term_id *args) {
    term_id a = args[0], b = args[1];
    const term_node *na = node_at(s, a);
    switch (op) {
    case T_ADD:
        if (is_const_value(s, b, 0)) return a;
        if (is_const_value(s, a, 0)) return b;
        if (inf_sign(s, b) && is_finite(s, a)) return b;
        if (inf_sign(s, a) && is_finite(s, b)) return a;
        return TERM_NONE;
    case T_SUB:
        if (is_const_value(s, b, 0)) return a;
        if (a == b && na->finite) return zero_of(s, type);
        if (inf_sign(s, b) && is_finite(s, a)) return term_real(s, inf_sign(s, b) > 0 ? -INFINITY : INFINITY);
        if (inf_sign(s, a) && is_finite(s, b)) return a;
        return TERM_NONE;
    case T_MUL:
        if (is_const_value(s, b, 1)) return a;
        if (is_const_value(s, a, 1)) return b;
        if (is_const_value(s, b, 0) && na->finite) return b;
        if (is_const_value(s, a, 0) && is_finite(s, b)) return a;
        return TERM_NONE;
    case T_DIV: case T_FLOORDIV: case T_TRUNCDIV:
        return is_const_value(s, b, 1) ? a : TERM_NONE;
    case T_MOD: case T_TRUNCMOD:
        return is_const_value(s, b, 1) ? term_int(s, 0) : TERM_NONE;
    case T_NEG:
        return na->op == T_NEG ? na->args[0] : TERM_NONE;
    case T_MAX: case T_MIN: {
        int absorbing = op == T_MAX ? 1 : -1;   /* max(x, inf) = inf; min(x, -inf) = -inf */
        if (a == b) return a;
        if (inf_sign(s, b) == -absorbing) return a;
        if (inf_sign(s, a) == -absorbing) return b;
        if (inf_sign(s, b) == absorbing && na->finite) return b;
        if (inf_sign(s, a) == absorbing && is_finite(s, b)) return a;
        return TERM_NONE;
    }
    case T_ABS:
        if (na->op == T_ABS) return a;
        if (na->op == T_NEG) return term_un(s, T_ABS, na->args[0]);
        return TERM_NONE;
    case T_LT: case T_LE: case T_EQ: case T_NE: {
        if (a == b && na->finite) return term_bool(s, op == T_EQ || op == T_LE);
        int ia = inf_sign(s, a), ib = inf_sign(s, b);
        if (!(ia && is_finite(s, b)) && !(ib && na->finite)) return TERM_NONE;
        if (op == T_EQ || op == T_NE) return term_bool(s, op == T_NE);
        /* one side is ±inf, the other finite, so < and <= agree */
        return term_bool(s, ib > 0 || ia < 0);
    }
    case T_AND: case T_OR: {
        bool c, neutral = op == T_AND;   /* true is neutral for and, false for or */
        if (a == b) return a;
        if (bool_const(s, b, &c)) return c == neutral ? a : b;
        if (bool_const(s, a, &c)) return c == neutral ? b : a;
        return TERM_NONE;
    }
    case T_NOT:
        return na->op == T_NOT ? na->args[0] : TERM_NONE;
    case T_SELECT: {
        term_id c = args[2];
        bool vb, vc;
        if (b == c) return b;
        if (bool_const(s, b, &vb) && bool_const(s, c, &vc) && vb != vc)
            return vb ? a : term_un(s, T_NOT, a);
        return TERM_NONE;
    }
    default:
        return TERM_NONE;
    }
}

/* ---- construction ----------------------------------------------------------------------- */

term_id term_make(term_store *s, term_op op, int n_args, const term_id *args) {
    if ((unsigned)op >= T_OP_COUNT || op == T_CONST || op == T_VAR) return TERM_NONE;
    if (n_args != op_arity(op) || !args) return TERM_NONE;
    term_id a[3] = {0, 0, 0};
    for (int i = 0; i < n_args; i++) {
        if (!valid_id(s, args[i])) return TERM_NONE;
        a[i] = args[i];
    }
    int type = result_type(s, op, a);
    if (type < 0) return TERM_NONE;
    if (is_commutative(op) && a[1] < a[0]) {
        term_id t = a[0];
        a[0] = a[1];
        a[1] = t;
    }
    term_node n;
    memset(&n, 0, sizeof n);
    n.op = (uint8_t)op;
    n.type = (uint8_t)type;
    n.n_args = (uint8_t)n_args;
    for (int i = 0; i < n_args; i++) n.args[i] = a[i];
    /* In a large store the table probe is a cache miss: start loading the slot now so that
     * it arrives while folding and the identities are tried. */
    uint32_t hash = node_hash(&n);
    __builtin_prefetch(&s->nodes.slots[hash & (s->nodes.cap - 1)]);

    term_id r = fold(s, op, n_args, a);
    if (r == TERM_NONE) r = apply_identities(s, op, (term_type)type, a);
    if (r != TERM_NONE) return r;

    n.finite = node_finite(s, op, (term_type)type, n_args, a);
    uint64_t size = 1;
    for (int i = 0; i < n_args; i++) size += node_at(s, a[i])->size;
    n.size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
    return intern_hashed(s, &n, hash);
}

term_id term_un(term_store *s, term_op op, term_id a) { return term_make(s, op, 1, &a); }

term_id term_bin(term_store *s, term_op op, term_id a, term_id b) {
    term_id args[2] = {a, b};
    return term_make(s, op, 2, args);
}

term_id term_select(term_store *s, term_id c, term_id a, term_id b) {
    term_id args[3] = {c, a, b};
    return term_make(s, T_SELECT, 3, args);
}

const char *term_op_name(term_op op) {
    static const char *const names[T_OP_COUNT] = {
        [T_CONST] = "const", [T_VAR] = "var",
        [T_ADD] = "add", [T_SUB] = "sub", [T_MUL] = "mul", [T_DIV] = "div", [T_NEG] = "neg",
        [T_FLOORDIV] = "floordiv", [T_MOD] = "mod", [T_TRUNCDIV] = "truncdiv",
        [T_TRUNCMOD] = "truncmod", [T_MAX] = "max", [T_MIN] = "min", [T_POW] = "pow",
        [T_ABS] = "abs", [T_EXP] = "exp", [T_EXP2] = "exp2", [T_LOG] = "log", [T_LOG2] = "log2",
        [T_SQRT] = "sqrt", [T_RSQRT] = "rsqrt", [T_SIGMOID] = "sigmoid", [T_ERF] = "erf",
        [T_TANH] = "tanh", [T_SIN] = "sin", [T_COS] = "cos", [T_TO_REAL] = "to_real",
        [T_TO_INT] = "to_int", [T_LT] = "lt", [T_LE] = "le", [T_EQ] = "eq", [T_NE] = "ne",
        [T_AND] = "and", [T_OR] = "or", [T_NOT] = "not", [T_SELECT] = "select",
    };
    return (unsigned)op < T_OP_COUNT ? names[op] : "?";
}
