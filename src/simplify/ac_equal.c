/* ac_equal: canonical text modulo commutativity and associativity; see ac_equal.h. */
#include "simplify/ac_equal.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct canon_ctx {
    const char *indices[16];     /* equation index names, by position */
    int n_indices;
    const char *binders[64];     /* reduction binders, outermost first */
    int depth;
    bool unfold;
} canon_ctx;

typedef struct items {
    char **s;
    int n, cap;
} items;

static void push(items *it, char *s) {
    if (it->n == it->cap) {
        it->cap = it->cap ? 2 * it->cap : 8;
        it->s = xrealloc(it->s, (size_t)it->cap * sizeof *it->s);
    }
    it->s[it->n++] = s;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Joins sorted items as head(a,b,...) and frees them. */
static char *join(const char *head, items *it) {
    qsort(it->s, (size_t)it->n, sizeof *it->s, cmp_str);
    strbuf s;
    strbuf_init(&s);
    strbuf_printf(&s, "%s(", head);
    for (int i = 0; i < it->n; i++) {
        strbuf_printf(&s, "%s%s", i ? "," : "", it->s[i]);
        free(it->s[i]);
    }
    strbuf_putc(&s, ')');
    free(it->s);
    it->s = NULL;
    it->n = it->cap = 0;
    return strbuf_take(&s);
}

static char *canon(const fexpr *e, canon_ctx *c);

/* sigmoid(a) = 1 / (1 + exp(-a)) and rsqrt(a) = 1 / sqrt(a), built in u, when unfolding. */
typedef struct unfolded {
    fexpr one, neg, ex, sum, root, div;
    fexpr *neg_args[1], *ex_args[1], *sum_args[2], *root_args[1], *div_args[2];
} unfolded;

static const fexpr *unfold(const fexpr *e, const canon_ctx *c, unfolded *u) {
    if (!c->unfold || e->kind != FX_CALL || e->n_args != 1 || !e->name) return e;
    bool sigmoid = strcmp(e->name, "sigmoid") == 0;
    if (!sigmoid && strcmp(e->name, "rsqrt") != 0) return e;
    memset(u, 0, sizeof *u);
    u->one.kind = FX_NUM;
    u->one.num = 1;
    u->neg_args[0] = e->args[0];
    u->neg.kind = FX_NEG, u->neg.n_args = 1, u->neg.args = u->neg_args;
    u->ex_args[0] = &u->neg;
    u->ex.kind = FX_CALL, u->ex.name = "exp", u->ex.n_args = 1, u->ex.args = u->ex_args;
    u->sum_args[0] = &u->one;
    u->sum_args[1] = &u->ex;
    u->sum.kind = FX_BINOP, u->sum.op = '+', u->sum.n_args = 2, u->sum.args = u->sum_args;
    u->root_args[0] = e->args[0];
    u->root.kind = FX_CALL, u->root.name = "sqrt", u->root.n_args = 1, u->root.args = u->root_args;
    u->div_args[0] = &u->one;
    u->div_args[1] = sigmoid ? &u->sum : &u->root;
    u->div.kind = FX_BINOP, u->div.op = '/', u->div.n_args = 2, u->div.args = u->div_args;
    return &u->div;
}


/* e's canonical text and whether it carries a minus sign outside it. */
static char *canon_signed(const fexpr *e, canon_ctx *c, bool *negative);

static bool is_sum(const fexpr *e) { return e->kind == FX_NEG || (e->kind == FX_BINOP && (e->op == '+' || e->op == '-')); }
static bool is_product(const fexpr *e) { return e->kind == FX_BINOP && (e->op == '*' || e->op == '/'); }

static void collect_sum(const fexpr *e, bool negative, canon_ctx *c, items *terms) {
    unfolded u;
    e = unfold(e, c, &u);
    if (e->kind == FX_BINOP && (e->op == '+' || e->op == '-')) {
        collect_sum(e->args[0], negative, c, terms);
        collect_sum(e->args[1], e->op == '-' ? !negative : negative, c, terms);
        return;
    }
    if (e->kind == FX_NEG) {
        collect_sum(e->args[0], !negative, c, terms);
        return;
    }
    bool neg = false;
    char *t = canon_signed(e, c, &neg);
    strbuf s;
    strbuf_init(&s);
    strbuf_printf(&s, "%c%s", neg != negative ? '-' : '+', t);
    free(t);
    push(terms, strbuf_take(&s));
}

static void collect_product(const fexpr *e, bool inverse, canon_ctx *c, items *factors, bool *negative) {
    unfolded u;
    e = unfold(e, c, &u);
    if (is_product(e)) {
        collect_product(e->args[0], inverse, c, factors, negative);
        collect_product(e->args[1], e->op == '/' ? !inverse : inverse, c, factors, negative);
        return;
    }
    if (e->kind == FX_NEG) {
        *negative = !*negative;
        collect_product(e->args[0], inverse, c, factors, negative);
        return;
    }
    bool neg = false;
    char *t = canon_signed(e, c, &neg);
    if (neg) *negative = !*negative;
    if (strcmp(t, "1") == 0) {   /* the unit: x * 1 and 1 / x carry no factor 1 */
        free(t);
        return;
    }
    strbuf s;
    strbuf_init(&s);
    strbuf_printf(&s, "%s%s", inverse ? "/" : "", t);
    free(t);
    push(factors, strbuf_take(&s));
}

static char *canon_signed(const fexpr *e, canon_ctx *c, bool *negative) {
    *negative = false;
    unfolded u;
    e = unfold(e, c, &u);
    if (e->kind == FX_NUM && (e->num < 0 || (e->num == 0 && signbit(e->num)))) {
        fexpr pos = *e;
        pos.num = -e->num;
        *negative = true;
        return canon(&pos, c);
    }
    if (is_sum(e)) {
        items terms = {0};
        collect_sum(e, false, c, &terms);
        if (terms.n == 1) {   /* a lone signed term */
            *negative = terms.s[0][0] == '-';
            char *r = xstrdup(terms.s[0] + 1);
            free(terms.s[0]);
            free(terms.s);
            return r;
        }
        return join("+", &terms);
    }
    if (is_product(e)) {
        items factors = {0};
        collect_product(e, false, c, &factors, negative);
        if (factors.n == 0) return (free(factors.s), xstrdup("1"));
        if (factors.n == 1 && factors.s[0][0] != '/') {
            char *r = factors.s[0];
            free(factors.s);
            return r;
        }
        return join("*", &factors);
    }
    return canon(e, c);
}

static void collect_chain(const fexpr *e, const char *fn, canon_ctx *c, items *it) {
    if (e->kind == FX_CALL && e->n_args == 2 && strcmp(e->name, fn) == 0) {
        collect_chain(e->args[0], fn, c, it);
        collect_chain(e->args[1], fn, c, it);
        return;
    }
    push(it, canon(e, c));
}

static char *canon(const fexpr *e, canon_ctx *c) {
    strbuf s;
    strbuf_init(&s);
    if (!e) return xstrdup("<null>");
    switch (e->kind) {
    case FX_NUM:
        if (isinf(e->num)) strbuf_append(&s, e->num > 0 ? "inf" : "-inf");
        else strbuf_printf(&s, "%.17g", e->num);
        return strbuf_take(&s);
    case FX_NAME:
        for (int i = c->depth - 1; i >= 0; i--)
            if (strcmp(c->binders[i], e->name) == 0) {
                strbuf_printf(&s, "$%d", i);
                return strbuf_take(&s);
            }
        for (int i = 0; i < c->n_indices; i++)
            if (strcmp(c->indices[i], e->name) == 0) {
                strbuf_printf(&s, "#%d", i);
                return strbuf_take(&s);
            }
        strbuf_append(&s, e->name);
        return strbuf_take(&s);
    case FX_BINOP:
    case FX_NEG:
        if (is_sum(e) || is_product(e)) {
            bool neg;
            char *t = canon_signed(e, c, &neg);
            strbuf_printf(&s, "%s%s", neg ? "-" : "", t);
            free(t);
            return strbuf_take(&s);
        }
        break;
    case FX_CALL:
        if (e->n_args == 2 && (strcmp(e->name, "max") == 0 || strcmp(e->name, "min") == 0)) {
            items it = {0};
            collect_chain(e, e->name, c, &it);
            strbuf_free(&s);
            return join(e->name, &it);
        }
        if (unfold(e, c, &(unfolded){0}) != e) {
            strbuf_free(&s);
            bool neg;
            char *t = canon_signed(e, c, &neg);   /* unfolds, then canonicalises the quotient */
            strbuf_printf(&s, "%s%s", neg ? "-" : "", t);
            free(t);
            return strbuf_take(&s);
        }
        break;
    case FX_CMP: {
        static const char *const text[] = {"<", "<=", "<", "<=", "==", "!="};
        bool swap = e->op == FC_GT || e->op == FC_GE;
        char *x = canon(e->args[swap ? 1 : 0], c), *y = canon(e->args[swap ? 0 : 1], c);
        bool symmetric = e->op == FC_EQ || e->op == FC_NE;
        if (symmetric && strcmp(x, y) > 0) {
            char *t = x;
            x = y;
            y = t;
        }
        strbuf_printf(&s, "cmp%s(%s,%s)", e->op >= 0 && e->op <= FC_NE ? text[e->op] : "?", x, y);
        free(x);
        free(y);
        return strbuf_take(&s);
    }
    case FX_REDUCE: {
        char *lo = canon(e->args[0], c), *hi = canon(e->args[1], c);
        strbuf_printf(&s, "%s(%s..%s:", e->name, lo, hi);
        free(lo);
        free(hi);
        if (c->depth < 64) c->binders[c->depth++] = e->var;
        char *body = canon(e->args[2], c);
        c->depth--;
        strbuf_printf(&s, "%s)", body);
        free(body);
        return strbuf_take(&s);
    }
    default:
        break;
    }
    static const char *const heads[] = {"num", "name", "", "binop", "neg", "cmp", "and", "or", "not", "where", "", "red"};
    const char *head = e->kind == FX_ACCESS || e->kind == FX_CALL ? e->name : heads[e->kind];
    if (e->kind == FX_BINOP) head = e->op == FOP_FLOORDIV ? "//" : e->op == '%' ? "%" : "^";
    strbuf_printf(&s, "%s%c", head ? head : "?", e->kind == FX_ACCESS ? '[' : '(');
    for (int i = 0; i < e->n_args; i++) {
        char *t = canon(e->args[i], c);
        strbuf_printf(&s, "%s%s", i ? "," : "", t);
        free(t);
    }
    strbuf_putc(&s, e->kind == FX_ACCESS ? ']' : ')');
    return strbuf_take(&s);
}

char *ac_canonical_expr(const fexpr *e, bool unfold) {
    canon_ctx c;
    memset(&c, 0, sizeof c);
    c.unfold = unfold;
    return canon(e, &c);
}

static char *canon_equation(const fequation *q, bool unfold) {
    canon_ctx c;
    memset(&c, 0, sizeof c);
    c.unfold = unfold;
    for (int i = 0; i < q->n_indices && i < 16; i++) c.indices[c.n_indices++] = q->indices[i];
    return canon(q->rhs, &c);
}

static bool equal(const formula *a, const formula *b, bool unfold) {
    if (!a || !b || a->n_eqs != b->n_eqs) return false;
    for (int i = 0; i < a->n_eqs; i++) {
        const fequation *qa = &a->eqs[i], *qb = formula_find(b, qa->output);
        if (!qb || qa->n_indices != qb->n_indices) return false;
        char *x = canon_equation(qa, unfold), *y = canon_equation(qb, unfold);
        bool same = strcmp(x, y) == 0;
        free(x);
        free(y);
        if (!same) return false;
    }
    return true;
}

bool ac_equal_formula(const formula *a, const formula *b) { return equal(a, b, false); }
bool ac_equal_formula_unfold(const formula *a, const formula *b) { return equal(a, b, true); }
