/* analysis: constant folding without rounding, sign/definedness facts and free bound
 * variables of e-classes; see analysis.h. */
#include "simplify/analysis.h"
#include "simplify/egraph.h"
#include <float.h>
#include <math.h>

/* ---- exact arithmetic ---------------------------------------------------------------------- */

/* A finite double whose neighbourhood has no underflow: products and quotients there have an
 * exactly representable error term, so fma tells whether the operation rounded. */
static bool normal_or_zero(double v) { return v == 0 || (isfinite(v) && fabs(v) >= DBL_MIN); }

bool exact_add(double a, double b, double *out) {
    double s = a + b;
    if (isnan(s)) return false;
    if (isinf(a) || isinf(b)) {   /* inf + finite, inf + inf of one sign */
        *out = s;
        return true;
    }
    if (!isfinite(s)) return false;   /* overflow */
    double bb = s - a, err = (a - (s - bb)) + (b - bb);   /* TwoSum */
    if (err != 0) return false;
    *out = s;
    return true;
}

bool exact_mul(double a, double b, double *out) {
    double p = a * b;
    if (isnan(p)) return false;
    if (isinf(a) || isinf(b)) {
        *out = p;
        return true;
    }
    if (!normal_or_zero(p) || (p == 0 && a != 0 && b != 0) || fma(a, b, -p) != 0) return false;
    *out = p;
    return true;
}

bool exact_div(double a, double b, double *out) {
    if (b == 0 || !isfinite(a) || !isfinite(b)) return false;
    double q = a / b;
    if (!normal_or_zero(q) || (q == 0 && a != 0) || fma(q, b, -a) != 0) return false;
    *out = q;
    return true;
}

bool exact_sqrt(double a, double *out) {
    if (!(a >= 0) || !isfinite(a)) return false;
    double r = sqrt(a);
    if (fma(r, r, -a) != 0) return false;
    *out = r;
    return true;
}

/* a ^ b for a constant integer exponent 0..64 by repeated exact multiplication. */
static bool exact_pow(double a, double b, double *out) {
    if (!(b >= 0 && b <= 64 && b == floor(b))) return false;
    double r = 1;
    for (int i = 0; i < (int)b; i++)
        if (!exact_mul(r, a, &r)) return false;
    *out = r;
    return true;
}

static bool integral(double v) { return isfinite(v) && v == floor(v); }

/* Python's // and % on integers. */
static bool int_floordiv_mod(double a, double b, bool mod, double *out) {
    if (!integral(a) || !integral(b) || b == 0 || fabs(a) > 9e15 || fabs(b) > 9e15) return false;
    long long x = (long long)a, y = (long long)b, q = x / y, r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) {
        q--;
        r += y;
    }
    *out = mod ? (double)r : (double)q;
    return true;
}

/* ---- facts --------------------------------------------------------------------------------- */

static class_data num_data(double v) {
    class_data d = {0};
    d.int_lo = INT64_MIN;
    if (isnan(v)) return d;
    d.has_const = true;
    d.value = v;
    if (isfinite(v)) d.facts |= FACT_FINITE;
    if (v > 0) d.facts |= FACT_POS | FACT_NONZERO | FACT_NONNEG;
    if (v < 0) d.facts |= FACT_NEG | FACT_NONZERO;
    if (v == 0) d.facts |= FACT_NONNEG;
    if (integral(v)) {
        d.facts |= FACT_INT;
        if (fabs(v) < 1e15) d.int_lo = (int64_t)v;
    }
    return d;
}

static uint64_t body_free(uint64_t f) { return (f >> 1) | (f & (1ull << 63)); }

static bool has(const class_data *d, uint32_t f) { return (d->facts & f) == f; }

/* The sign of a product or quotient from its operands' signs. */
static uint32_t product_signs(const class_data *a, const class_data *b) {
    uint32_t f = 0;
    bool ap = has(a, FACT_POS), an = has(a, FACT_NEG), bp = has(b, FACT_POS), bn = has(b, FACT_NEG);
    if ((ap && bp) || (an && bn)) f |= FACT_POS | FACT_NONNEG | FACT_NONZERO;
    if ((ap && bn) || (an && bp)) f |= FACT_NEG | FACT_NONZERO;
    return f;
}

static int64_t add_lo(int64_t a, int64_t b) {
    if (a == INT64_MIN || b == INT64_MIN) return INT64_MIN;
    if ((b > 0 && a > INT64_MAX / 2) || a < INT64_MIN / 2 || b < INT64_MIN / 2 || b > INT64_MAX / 2) return INT64_MIN;
    return a + b;
}

bool analysis_nonempty_range(egraph *g, eclass_id lo, eclass_id hi) {
    const class_data *l = egraph_data(g, lo), *h = egraph_data(g, hi);
    if (!l->has_const || !integral(l->value)) return false;
    if (h->has_const) return h->value > l->value;
    return has(h, FACT_INT) && h->int_lo != INT64_MIN && (double)h->int_lo > l->value;
}

/* The class's value is exactly v. */
static void fold_value(class_data *d, double v) {
    class_data c = num_data(v);
    d->has_const = c.has_const;
    d->value = v;
    d->facts |= c.facts;
    if (c.int_lo > d->int_lo) d->int_lo = c.int_lo;
}

/* For fold_if(&d, exact_op(..., &v), &v): v is read only after the call set it (argument
 * evaluation order is unspecified, so v must not be passed by value). */
static void fold_if(class_data *d, bool ok, const double *v) {
    if (ok) fold_value(d, *v);
}

class_data analysis_make(egraph *g, const enode *n) {
    class_data d = {0};
    d.int_lo = INT64_MIN;
    const class_data *k[ENODE_MAX_KIDS] = {0};
    for (int i = 0; i < n->n; i++) {
        k[i] = egraph_data(g, n->kids[i]);
        d.free_bvars |= eop_binds_kid((eop)n->op, i) ? body_free(k[i]->free_bvars) : k[i]->free_bvars;
        d.free_indices |= k[i]->free_indices;
    }
    const class_data *a = k[0], *b = k[1];
    bool consts = n->n > 0;
    for (int i = 0; i < n->n; i++) consts = consts && k[i]->has_const;
    double v = 0;
    uint32_t both_finite = a && b && has(a, FACT_FINITE) && has(b, FACT_FINITE) ? FACT_FINITE : 0;
    uint32_t a_finite = a && has(a, FACT_FINITE) ? FACT_FINITE : 0;
    switch ((eop)n->op) {
    case EOP_NUM:
        return num_data(n->num);
    case EOP_SYM: {
        uint8_t fl = n->sym < g->n_syms ? g->sym_flags[n->sym] : 0;
        if (fl & SYMF_SIZE) {
            d.facts = FACT_FINITE | FACT_INT | FACT_POS | FACT_NONZERO | FACT_NONNEG;
            d.int_lo = 1;
        } else if (fl & SYMF_INDEX) {
            d.facts = FACT_FINITE | FACT_INT | FACT_NONNEG;
            d.int_lo = 0;
            d.free_indices = egraph_index_bit(g, n->sym);
        } else if (!(fl & SYMF_OUTPUT)) {
            d.facts = FACT_FINITE;   /* a scalar parameter */
        }
        return d;
    }
    case EOP_BVAR:
        d.facts = FACT_FINITE | FACT_INT;
        d.free_bvars = 1ull << (n->sym < 63 ? n->sym : 63);
        return d;
    case EOP_ACCESS: {
        uint8_t fl = n->sym < g->n_syms ? g->sym_flags[n->sym] : 0;
        if (!(fl & SYMF_OUTPUT)) d.facts = FACT_FINITE;   /* inputs are finite; outputs get facts from their definitions */
        return d;
    }
    case EOP_ADD:
        d.facts = both_finite;
        if ((has(a, FACT_POS) && has(b, FACT_NONNEG)) || (has(a, FACT_NONNEG) && has(b, FACT_POS)))
            d.facts |= FACT_POS | FACT_NONZERO | FACT_NONNEG;
        if (has(a, FACT_NONNEG) && has(b, FACT_NONNEG)) d.facts |= FACT_NONNEG;
        if (has(a, FACT_NEG) && has(b, FACT_NEG)) d.facts |= FACT_NEG | FACT_NONZERO;
        if (has(a, FACT_INT) && has(b, FACT_INT)) {
            d.facts |= FACT_INT;
            d.int_lo = add_lo(a->int_lo, b->int_lo);
        }
        if (consts) fold_if(&d, exact_add(a->value, b->value, &v), &v);
        return d;
    case EOP_SUB:
        d.facts = both_finite;
        if ((has(a, FACT_POS) && has(b, FACT_NEG)) || (has(a, FACT_NONNEG) && has(b, FACT_NEG)))
            d.facts |= FACT_POS | FACT_NONZERO | FACT_NONNEG;
        if (has(a, FACT_INT) && has(b, FACT_INT)) {
            d.facts |= FACT_INT;
            if (b->has_const && fabs(b->value) < 1e15) d.int_lo = add_lo(a->int_lo, -(int64_t)b->value);
        }
        if (consts) fold_if(&d, exact_add(a->value, -b->value, &v), &v);
        return d;
    case EOP_MUL:
        d.facts = both_finite | product_signs(a, b);
        if (has(a, FACT_NONZERO) && has(b, FACT_NONZERO)) d.facts |= FACT_NONZERO;
        if (has(a, FACT_NONNEG) && has(b, FACT_NONNEG)) d.facts |= FACT_NONNEG;
        if (has(a, FACT_INT) && has(b, FACT_INT)) {
            d.facts |= FACT_INT;
            if (a->int_lo >= 0 && b->int_lo >= 0 && a->int_lo < (1 << 30) && b->int_lo < (1 << 30)) d.int_lo = a->int_lo * b->int_lo;
        }
        if (consts) fold_if(&d, exact_mul(a->value, b->value, &v), &v);
        return d;
    case EOP_DIV:
        if (both_finite && has(b, FACT_NONZERO)) d.facts |= FACT_FINITE;
        if (has(b, FACT_FINITE)) d.facts |= product_signs(a, b);
        if (has(a, FACT_NONZERO) && has(b, FACT_FINITE)) d.facts |= FACT_NONZERO;
        if (has(a, FACT_NONNEG) && has(b, FACT_POS | FACT_FINITE)) d.facts |= FACT_NONNEG;
        if (consts) fold_if(&d, exact_div(a->value, b->value, &v), &v);
        return d;
    case EOP_MOD:
    case EOP_FLOORDIV:
        if (both_finite && has(b, FACT_NONZERO)) d.facts |= FACT_FINITE;
        if (has(a, FACT_INT) && has(b, FACT_INT)) d.facts |= FACT_INT;
        if (n->op == EOP_MOD && has(b, FACT_POS) && has(&d, FACT_INT)) {
            d.facts |= FACT_NONNEG;
            d.int_lo = 0;
        }
        if (n->op == EOP_FLOORDIV && has(a, FACT_NONNEG) && has(b, FACT_POS) && has(&d, FACT_INT)) {
            d.facts |= FACT_NONNEG;
            d.int_lo = 0;
        }
        if (consts) fold_if(&d, int_floordiv_mod(a->value, b->value, n->op == EOP_MOD, &v), &v);
        return d;
    case EOP_POW:
    case EOP_POWF: {
        bool int_exp = b->has_const && integral(b->value) && b->value >= 0 && b->value <= 64;
        bool even = int_exp && fmod(b->value, 2) == 0;
        if (has(a, FACT_FINITE) && int_exp) d.facts |= FACT_FINITE;
        if (has(a, FACT_POS | FACT_FINITE) && has(b, FACT_FINITE)) d.facts |= FACT_FINITE | FACT_POS | FACT_NONZERO | FACT_NONNEG;
        if (even) d.facts |= FACT_NONNEG;
        if (int_exp && has(a, FACT_NONZERO)) d.facts |= FACT_NONZERO;
        if (even && has(a, FACT_NONZERO)) d.facts |= FACT_POS;
        if (int_exp && has(a, FACT_NONNEG)) d.facts |= FACT_NONNEG;
        if (int_exp && has(a, FACT_INT)) d.facts |= FACT_INT;
        if (consts) fold_if(&d, exact_pow(a->value, b->value, &v), &v);
        return d;
    }
    case EOP_NEG:
        d.facts = a->facts & (FACT_FINITE | FACT_NONZERO | FACT_INT);
        if (has(a, FACT_POS)) d.facts |= FACT_NEG;
        if (has(a, FACT_NEG)) d.facts |= FACT_POS | FACT_NONNEG;
        if (consts) fold_value(&d, -a->value);
        return d;
    case EOP_LT: case EOP_LE: case EOP_GT: case EOP_GE: case EOP_EQ: case EOP_NE:
    case EOP_AND: case EOP_OR: case EOP_NOT: {
        d.facts = FACT_FINITE | FACT_INT | FACT_NONNEG;
        d.int_lo = 0;
        if (!consts) return d;
        double x = a->value, y = b ? b->value : 0, r;
        switch ((eop)n->op) {
        case EOP_LT: r = x < y; break;
        case EOP_LE: r = x <= y; break;
        case EOP_GT: r = x > y; break;
        case EOP_GE: r = x >= y; break;
        case EOP_EQ: r = x == y; break;
        case EOP_NE: r = x != y; break;
        case EOP_AND: r = x != 0 && y != 0; break;
        case EOP_OR: r = x != 0 || y != 0; break;
        default: r = x == 0; break;
        }
        fold_value(&d, r);
        return d;
    }
    case EOP_WHERE: {
        if (a->has_const) {   /* the class is the chosen branch */
            const class_data *c = a->value != 0 ? b : k[2];
            d.facts = c->facts;
            d.int_lo = c->int_lo;
            if (c->has_const) fold_value(&d, c->value);
            return d;
        }
        const class_data *c = k[2];
        d.facts = b->facts & c->facts;
        d.int_lo = b->int_lo < c->int_lo ? b->int_lo : c->int_lo;
        if (b->has_const && c->has_const && b->value == c->value) fold_value(&d, b->value);
        return d;
    }
    case EOP_EXP:
    case EOP_EXP2:
        d.facts = a_finite | FACT_POS | FACT_NONZERO | FACT_NONNEG;
        if (consts && n->op == EOP_EXP && a->value == 0) fold_value(&d, 1);
        if (consts && n->op == EOP_EXP2 && integral(a->value) && fabs(a->value) <= 1000) fold_value(&d, ldexp(1, (int)a->value));
        return d;
    case EOP_LOG:
    case EOP_LOG2:
        if (has(a, FACT_POS | FACT_FINITE)) d.facts |= FACT_FINITE;
        if (consts && a->value > 1) d.facts |= FACT_POS | FACT_NONZERO | FACT_NONNEG;
        if (consts && a->value > 0 && a->value < 1) d.facts |= FACT_NEG | FACT_NONZERO;
        if (consts && a->value == 1) fold_value(&d, 0);
        if (consts && n->op == EOP_LOG2 && a->value > 0 && isfinite(a->value)) {
            int e;
            if (frexp(a->value, &e) == 0.5) fold_value(&d, e - 1);   /* an exact power of two */
        }
        return d;
    case EOP_SQRT:
        d.facts = FACT_NONNEG;
        if (has(a, FACT_POS)) d.facts |= FACT_POS | FACT_NONZERO;
        if (has(a, FACT_FINITE | FACT_NONNEG)) d.facts |= FACT_FINITE;
        if (consts) fold_if(&d, exact_sqrt(a->value, &v), &v);
        return d;
    case EOP_RSQRT:
        if (has(a, FACT_POS | FACT_FINITE)) d.facts = FACT_FINITE | FACT_POS | FACT_NONZERO | FACT_NONNEG;
        if (consts && exact_sqrt(a->value, &v)) fold_if(&d, exact_div(1, v, &v), &v);
        return d;
    case EOP_ABS:
        d.facts = FACT_NONNEG | (a->facts & (FACT_FINITE | FACT_NONZERO | FACT_INT));
        if (has(a, FACT_NONZERO)) d.facts |= FACT_POS;
        if (has(a, FACT_INT)) d.int_lo = 0;
        if (consts) fold_value(&d, fabs(a->value));
        return d;
    case EOP_ERF:
    case EOP_TANH:
        d.facts = a_finite | (a->facts & (FACT_POS | FACT_NEG | FACT_NONZERO | FACT_NONNEG));
        if (consts && a->value == 0) fold_value(&d, 0);
        return d;
    case EOP_SIGMOID:
        d.facts = FACT_POS | FACT_NONZERO | FACT_NONNEG | a_finite;
        return d;
    case EOP_SIN:
    case EOP_COS:
        d.facts = a_finite;
        if (consts && a->value == 0) fold_value(&d, n->op == EOP_COS ? 1 : 0);
        return d;
    case EOP_MAX:
    case EOP_MIN: {
        d.facts = both_finite;
        bool mx = n->op == EOP_MAX;
        uint32_t either = a->facts | b->facts, both = a->facts & b->facts;
        uint32_t up = mx ? either : both, down = mx ? both : either;
        if (up & FACT_POS) d.facts |= FACT_POS | FACT_NONZERO | FACT_NONNEG;
        if (up & FACT_NONNEG) d.facts |= FACT_NONNEG;
        if (down & FACT_NEG) d.facts |= FACT_NEG | FACT_NONZERO;
        if (both & FACT_INT) {
            d.facts |= FACT_INT;
            d.int_lo = mx ? (a->int_lo > b->int_lo ? a->int_lo : b->int_lo) : (a->int_lo < b->int_lo ? a->int_lo : b->int_lo);
        }
        if (consts) fold_value(&d, mx ? fmax(a->value, b->value) : fmin(a->value, b->value));
        return d;
    }
    case EOP_SUM:
    case EOP_PROD:
    case EOP_RMAX:
    case EOP_RMIN:
    case EOP_ARGMAX:
    case EOP_ARGMIN: {
        const class_data *body = k[2];
        bool nonempty = analysis_nonempty_range(g, n->kids[0], n->kids[1]);
        switch ((eop)n->op) {
        case EOP_SUM:
            d.facts = body->facts & (FACT_FINITE | FACT_NONNEG | FACT_INT);
            if (nonempty) d.facts |= body->facts & (FACT_POS | FACT_NEG);
            if (d.facts & (FACT_POS | FACT_NEG)) d.facts |= FACT_NONZERO;
            break;
        case EOP_PROD:
            d.facts = body->facts & (FACT_FINITE | FACT_NONZERO | FACT_POS | FACT_NONNEG | FACT_INT);
            break;
        case EOP_RMAX:
        case EOP_RMIN:
            if (nonempty) d.facts = body->facts & (FACT_FINITE | FACT_NONZERO | FACT_POS | FACT_NONNEG | FACT_NEG | FACT_INT);
            break;
        default:   /* argmax / argmin: an index in lo..hi */
            if (nonempty) {
                d.facts = FACT_FINITE | FACT_INT;
                d.int_lo = egraph_data(g, n->kids[0])->int_lo;
                if (d.int_lo >= 0) d.facts |= FACT_NONNEG;
            }
            break;
        }
        return d;
    }
    case EOP_COUNT:
        break;
    }
    return d;
}

bool analysis_join(class_data *into, const class_data *from) {
    class_data old = *into;
    into->facts |= from->facts;
    if (!into->has_const && from->has_const) {
        into->has_const = true;
        into->value = from->value;
    }
    into->free_bvars &= from->free_bvars;
    into->free_indices &= from->free_indices;
    if (from->int_lo > into->int_lo) into->int_lo = from->int_lo;
    return old.facts != into->facts || old.has_const != into->has_const || old.free_bvars != into->free_bvars ||
           old.free_indices != into->free_indices || old.int_lo != into->int_lo;
}

void analysis_modify(egraph *g, eclass_id c) {
    c = egraph_find(g, c);
    const class_data *d = &g->classes[c].data;
    if (!d->has_const) return;
    double v = d->value;
    const id_list *l = &g->classes[c].nodes;
    for (uint32_t i = 0; i < l->len; i++) {
        const enode *n = &g->nodes[l->items[i]];
        if (n->op == EOP_NUM && (n->num == v)) return;
    }
    egraph_union(g, c, egraph_add_num(g, v));
}
