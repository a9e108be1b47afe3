/* pattern: parsing and printing rule patterns; scope maps. See pattern.h. */
#include "simplify/pattern.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATTERN_NODES 128

typedef struct pparser {
    arena *a;
    const char *s;           /* cursor */
    pattern_vars *vars;
    pnode nodes[MAX_PATTERN_NODES];
    int n;
    int8_t scope[PATTERN_MAX_SCOPE];
    int depth;
    char *err;
    size_t err_size;
    bool failed;
} pparser;

static void fail(pparser *p, const char *fmt, const char *arg) {
    if (p->failed) return;
    p->failed = true;
    char msg[160];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    snprintf(p->err, p->err_size, "%s at '%.20s'", msg, p->s);
}

static void skip_space(pparser *p) {
    while (*p->s == ' ' || *p->s == '\t') p->s++;
}

/* Whether the next token is exactly `tok` (words must end at a word boundary). */
static bool peek(pparser *p, const char *tok) {
    skip_space(p);
    size_t n = strlen(tok);
    if (strncmp(p->s, tok, n) != 0) return false;
    if (isalpha((unsigned char)tok[0]) && (isalnum((unsigned char)p->s[n]) || p->s[n] == '_')) return false;
    return true;
}

static bool accept(pparser *p, const char *tok) {
    if (!peek(p, tok)) return false;
    p->s += strlen(tok);
    return true;
}

static void expect(pparser *p, const char *tok) {
    if (!accept(p, tok)) fail(p, "expected '%s'", tok);
}

static int new_node(pparser *p, pkind kind) {
    if (p->n == MAX_PATTERN_NODES) {
        fail(p, "pattern too large%s", "");
        return 0;
    }
    pnode *n = &p->nodes[p->n];
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->depth = (uint8_t)p->depth;
    n->var = -1;
    memcpy(n->scope, p->scope, sizeof n->scope);
    return p->n++;
}

static int op_node(pparser *p, eop op, int n_kids, const int *kids) {
    int id = new_node(p, PK_OP);
    p->nodes[id].op = (uint8_t)op;
    p->nodes[id].n = (uint8_t)n_kids;
    for (int i = 0; i < n_kids; i++) p->nodes[id].kids[i] = kids[i];
    return id;
}

static int num_node(pparser *p, double v) {
    int id = new_node(p, PK_NUM);
    p->nodes[id].num = v;
    return id;
}

static int lookup_var(pattern_vars *v, const char *name, size_t len, bool binder) {
    for (int i = 0; i < v->n; i++)
        if (strlen(v->names[i]) == len && strncmp(v->names[i], name, len) == 0) return v->is_binder[i] == binder ? i : -2;
    if (v->n == PATTERN_MAX_VARS || len >= sizeof v->names[0]) return -3;
    memcpy(v->names[v->n], name, len);
    v->names[v->n][len] = 0;
    v->is_binder[v->n] = binder;
    return v->n++;
}

/* "?name": the name's extent. */
static bool read_var(pparser *p, const char **name, size_t *len) {
    skip_space(p);
    if (*p->s != '?') return false;
    const char *s = p->s + 1;
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '_') n++;
    if (!n) return false;
    *name = s;
    *len = n;
    p->s = s + n;
    return true;
}

static int expr(pparser *p);

static int reduction(pparser *p, eop op) {
    const char *name;
    size_t len;
    if (!read_var(p, &name, &len)) {
        fail(p, "expected a binder ?k%s", "");
        return 0;
    }
    int b = lookup_var(p->vars, name, len, true);
    if (b < 0) {
        fail(p, "bad binder name (used as a pattern variable, or too many variables)%s", "");
        return 0;
    }
    expect(p, "in");
    int lo = expr(p);
    expect(p, "..");
    int hi = expr(p);
    expect(p, ":");
    if (p->depth == PATTERN_MAX_SCOPE) {
        fail(p, "reductions nested too deeply%s", "");
        return 0;
    }
    p->scope[p->depth++] = (int8_t)b;
    int body = expr(p);
    p->scope[--p->depth] = 0;
    expect(p, ")");
    int kids[3] = {lo, hi, body};
    int id = op_node(p, op, 3, kids);
    p->nodes[id].var = (int8_t)b;
    return id;
}

static int primary(pparser *p) {
    if (p->failed) return 0;
    skip_space(p);
    const char *name;
    size_t len;
    if (*p->s == '?') {
        read_var(p, &name, &len);
        /* a binder in scope is the bound variable; anything else a pattern variable */
        for (int d = p->depth - 1; d >= 0; d--) {
            const char *bn = p->vars->names[p->scope[d]];
            if (strlen(bn) == len && strncmp(bn, name, len) == 0) {
                int id = new_node(p, PK_BVAR);
                p->nodes[id].bvar = (uint8_t)(p->depth - 1 - d);
                p->nodes[id].var = p->scope[d];
                return id;
            }
        }
        int v = lookup_var(p->vars, name, len, false);
        if (v < 0) {
            fail(p, v == -2 ? "binder used outside its reduction%s" : "too many pattern variables%s", "");
            return 0;
        }
        int id = new_node(p, PK_VAR);
        p->nodes[id].var = (int8_t)v;
        return id;
    }
    if (isdigit((unsigned char)*p->s) || (*p->s == '.' && isdigit((unsigned char)p->s[1]))) {
        /* digits [. digits] [e [+-] digits] — stopping before "..", unlike strtod */
        const char *s = p->s;
        while (isdigit((unsigned char)*s)) s++;
        if (*s == '.' && s[1] != '.') {
            s++;
            while (isdigit((unsigned char)*s)) s++;
        }
        if ((*s == 'e' || *s == 'E') && (isdigit((unsigned char)s[1]) || ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2])))) {
            s += 2;
            while (isdigit((unsigned char)*s)) s++;
        }
        char buf[64];
        size_t n = (size_t)(s - p->s) < sizeof buf - 1 ? (size_t)(s - p->s) : sizeof buf - 1;
        memcpy(buf, p->s, n);
        buf[n] = 0;
        p->s = s;
        return num_node(p, strtod(buf, NULL));
    }
    if (accept(p, "inf")) return num_node(p, INFINITY);
    if (accept(p, "(")) {
        int e = expr(p);
        expect(p, ")");
        return e;
    }
    /* a function, where, or a reduction */
    const char *w = p->s;
    size_t n = 0;
    while (isalnum((unsigned char)w[n]) || w[n] == '_') n++;
    if (!n) {
        fail(p, "expected an expression%s", "");
        return 0;
    }
    char word[24];
    if (n >= sizeof word) n = sizeof word - 1;
    memcpy(word, w, n);
    word[n] = 0;
    p->s = w + n;
    expect(p, "(");
    if (p->failed) return 0;
    /* sum(?k in ...) / max(?k in ...): a binder follows */
    const char *save = p->s;
    const char *bn;
    size_t bl;
    if (read_var(p, &bn, &bl) && peek(p, "in")) {
        p->s = save;
        eop op = eop_from_reduce(word);
        if (op == EOP_COUNT) {
            fail(p, "unknown reduction '%s'", word);
            return 0;
        }
        return reduction(p, op);
    }
    p->s = save;
    int kids[ENODE_MAX_KIDS], k = 0;
    do {
        if (k == 3) {
            fail(p, "too many arguments%s", "");
            return 0;
        }
        kids[k++] = expr(p);
    } while (accept(p, ","));
    expect(p, ")");
    eop op = strcmp(word, "where") == 0 && k == 3 ? EOP_WHERE : eop_from_call(word, k);
    if (op == EOP_COUNT) {
        fail(p, "unknown function '%s' (or wrong number of arguments)", word);
        return 0;
    }
    return op_node(p, op, k, kids);
}

static int unary(pparser *p);

static int power(pparser *p) {
    int base = primary(p);
    if (!p->failed && accept(p, "^")) {
        int e = unary(p);   /* right-associative with a signed exponent, as in formulas */
        int kids[2] = {base, e};
        return op_node(p, EOP_POW, 2, kids);
    }
    return base;
}

static int unary(pparser *p) {
    skip_space(p);
    if (*p->s == '-' && p->s[1] != '>') {
        p->s++;
        int x = unary(p);
        if (p->failed) return 0;
        if (p->nodes[x].kind == PK_NUM) {   /* -1, -inf: literals */
            p->nodes[x].num = -p->nodes[x].num;
            return x;
        }
        return op_node(p, EOP_NEG, 1, &x);
    }
    return power(p);
}

static int term(pparser *p) {
    int left = unary(p);
    for (;;) {
        eop op;
        if (accept(p, "//")) op = EOP_FLOORDIV;
        else if (accept(p, "*")) op = EOP_MUL;
        else if (accept(p, "/")) op = EOP_DIV;
        else if (accept(p, "%")) op = EOP_MOD;
        else return left;
        int kids[2] = {left, unary(p)};
        left = op_node(p, op, 2, kids);
    }
}

static int sum(pparser *p) {
    int left = term(p);
    for (;;) {
        eop op;
        skip_space(p);
        if (accept(p, "+")) op = EOP_ADD;
        else if (*p->s == '-' && p->s[1] != '>' && accept(p, "-")) op = EOP_SUB;
        else return left;
        int kids[2] = {left, term(p)};
        left = op_node(p, op, 2, kids);
    }
}

static int expr(pparser *p) {
    if (p->failed) return 0;
    int left = sum(p);
    static const struct { const char *tok; eop op; } cmps[] = {
        {"<=>", EOP_COUNT}, {"<=", EOP_LE}, {">=", EOP_GE}, {"==", EOP_EQ}, {"!=", EOP_NE}, {"<", EOP_LT}, {">", EOP_GT},
    };
    for (size_t i = 0; i < sizeof cmps / sizeof cmps[0]; i++) {
        if (!peek(p, cmps[i].tok)) continue;
        if (cmps[i].op == EOP_COUNT) return left;   /* the rule arrow, not a comparison */
        accept(p, cmps[i].tok);
        int kids[2] = {left, sum(p)};
        return op_node(p, cmps[i].op, 2, kids);
    }
    return left;
}

bool pattern_parse(arena *a, const char **text, pattern_vars *vars, pattern *out, char *err, size_t err_size) {
    pparser *p = xcalloc(1, sizeof *p);
    p->a = a;
    p->s = *text;
    p->vars = vars;
    p->err = err;
    p->err_size = err_size;
    int root = expr(p);
    bool ok = !p->failed;
    if (ok) {
        out->nodes = arena_alloc(a, (size_t)p->n * sizeof *out->nodes);
        memcpy(out->nodes, p->nodes, (size_t)p->n * sizeof *out->nodes);
        out->n_nodes = p->n;
        out->root = root;
        *text = p->s;
    }
    free(p);
    return ok;
}

/* ---- printing ------------------------------------------------------------------------------ */

static void print_node(const pattern *p, const pattern_vars *v, int i, strbuf *out) {
    const pnode *n = &p->nodes[i];
    char buf[48];
    switch ((pkind)n->kind) {
    case PK_VAR:
    case PK_BVAR:
        strbuf_printf(out, "?%s", v->names[n->var]);
        return;
    case PK_NUM:
        if (isinf(n->num)) strbuf_append(out, n->num > 0 ? "inf" : "-inf");
        else {
            snprintf(buf, sizeof buf, "%.17g", n->num);
            strbuf_append(out, buf);
        }
        return;
    case PK_OP:
        break;
    }
    eop op = (eop)n->op;
    switch (eop_kind(op)) {
    case EOC_BINARY:
    case EOC_CMP:
    case EOC_LOGIC:
        if (n->n == 2) {
            strbuf_putc(out, '(');
            print_node(p, v, n->kids[0], out);
            strbuf_printf(out, " %s ", eop_name(op));
            print_node(p, v, n->kids[1], out);
            strbuf_putc(out, ')');
            return;
        }
        break;
    case EOC_UNARY:
        strbuf_append(out, "-");
        print_node(p, v, n->kids[0], out);
        return;
    case EOC_REDUCE:
        strbuf_printf(out, "%s(?%s in ", eop_name(op), v->names[n->var]);
        print_node(p, v, n->kids[0], out);
        strbuf_append(out, "..");
        print_node(p, v, n->kids[1], out);
        strbuf_append(out, ": ");
        print_node(p, v, n->kids[2], out);
        strbuf_putc(out, ')');
        return;
    default:
        break;
    }
    strbuf_printf(out, "%s(", op == EOP_NOT ? "not" : eop_name(op));
    for (int k = 0; k < n->n; k++) {
        if (k) strbuf_append(out, ", ");
        print_node(p, v, n->kids[k], out);
    }
    strbuf_putc(out, ')');
}

void pattern_print(const pattern *p, const pattern_vars *vars, strbuf *out) { print_node(p, vars, p->root, out); }

/* ---- scopes -------------------------------------------------------------------------------- */

int pattern_binder_index(const pnode *n, int b) {
    for (int d = n->depth - 1; d >= 0; d--)
        if (n->scope[d] == b) return n->depth - 1 - d;
    return -1;
}

void pattern_scope_map(const pnode *from, const pnode *to, bvar_map *m) {
    memset(m, 0, sizeof *m);
    m->old_depth = from->depth;
    m->new_depth = to->depth;
    for (int j = 0; j < from->depth; j++) {
        int b = from->scope[from->depth - 1 - j];
        m->map[j] = pattern_binder_index(to, b);
    }
}
