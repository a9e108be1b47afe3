/* formula_parse: the lexer and recursive-descent parser of the formula language (grammar in
 * formula.h). Errors carry exact file:line:col positions; nesting is bounded so that no input
 * can exhaust the C stack of the parser or of the stages that walk the tree afterwards. */
#include "formula/formula_internal.h"
#include "util/arena.h"
#include "util/diag.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Recursion of the parser itself (parentheses, arguments, unary chains) ... */
#define MAX_PARSE_DEPTH 200
/* ... and height of the resulting tree, which also grows through flat chains (a + b + c ...)
 * that the parser handles iteratively but printers and the evaluator walk recursively. */
#define MAX_TREE_HEIGHT 1000

/* ---- tokens ------------------------------------------------------------------------------ */

typedef enum tok_kind {
    TK_EOF, TK_SEP,          /* TK_SEP: a newline outside brackets, or ';' */
    TK_NUM, TK_IDENT,
    TK_LPAREN, TK_RPAREN, TK_LBRACK, TK_RBRACK, TK_COMMA, TK_COLON, TK_DOTDOT, TK_ASSIGN,
    TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_SLASHSLASH, TK_PERCENT, TK_CARET,
    TK_LT, TK_LE, TK_GT, TK_GE, TK_EQ, TK_NE,
} tok_kind;

typedef struct token {
    tok_kind kind;
    int line, col;
    const char *start;   /* into the text */
    int len;
    double num;          /* TK_NUM */
} token;

typedef struct parser {
    arena *a;
    const char *file;
    diag *err;
    token *toks;
    int n_toks, cap_toks;
    int pos;             /* next token */
    int depth;           /* current parse recursion */
} parser;

/* The tree height of every node is kept next to it (parser-allocated nodes only). */
typedef struct pnode {
    fexpr e;
    int height;
} pnode;

static bool failed(parser *p) { return diag_failed(p->err); }

static void error_at(parser *p, int line, int col, const char *fmt, const char *arg) {
    /* one-argument convenience wrapper keeps call sites short */
    char msg[400];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    diag_set(p->err, DIAG_ERROR, p->file, line, col, "%s", msg);
}

static void push_token(parser *p, token t) {
    if (p->n_toks == p->cap_toks) {
        p->cap_toks = p->cap_toks ? p->cap_toks * 2 : 64;
        p->toks = xrealloc(p->toks, (size_t)p->cap_toks * sizeof *p->toks);
    }
    p->toks[p->n_toks++] = t;
}

static bool is_ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of the number starting at s ("12", "1.5", "1e-5", ".5", "2."), 0 if none. A '.'
 * followed by another '.' is a range, not a decimal point: 0..N is 0, .., N. */
static int number_length(const char *s) {
    int n = 0;
    bool digits = false;
    while (is_digit(s[n])) n++, digits = true;
    if (s[n] == '.' && s[n + 1] != '.') {
        n++;
        while (is_digit(s[n])) n++, digits = true;
    }
    if (!digits) return 0;
    if (s[n] == 'e' || s[n] == 'E') {
        int m = n + 1;
        if (s[m] == '+' || s[m] == '-') m++;
        if (is_digit(s[m])) {
            while (is_digit(s[m])) m++;
            n = m;
        }
    }
    return n;
}

/* Splits text into tokens. Newlines inside () or [] are plain white space, so an expression
 * may continue on the next line there. */
static bool tokenize(parser *p, const char *text, int line, int col) {
    const char *s = text;
    int bracket_depth = 0;
    while (*s) {
        char c = *s;
        if (c == '\n') {
            if (bracket_depth == 0)
                push_token(p, (token){TK_SEP, line, col, s, 1, 0});
            s++, line++, col = 1;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            s++, col++;
            continue;
        }
        if (c == '#') {
            while (*s && *s != '\n') s++, col++;
            continue;
        }
        token t = {TK_EOF, line, col, s, 1, 0};
        int n = number_length(s);
        if (n > 0) {
            char *digits = arena_strndup(p->a, s, (size_t)n);
            t.kind = TK_NUM;
            t.len = n;
            t.num = strtod(digits, NULL);
        } else if (is_ident_start(c)) {
            n = 1;
            while (is_ident_char(s[n])) n++;
            t.kind = TK_IDENT;
            t.len = n;
        } else {
            char next = s[1];
            int len = 1;
            switch (c) {
            case '(': t.kind = TK_LPAREN; bracket_depth++; break;
            case '[': t.kind = TK_LBRACK; bracket_depth++; break;
            case ')': t.kind = TK_RPAREN; if (bracket_depth > 0) bracket_depth--; break;
            case ']': t.kind = TK_RBRACK; if (bracket_depth > 0) bracket_depth--; break;
            case ',': t.kind = TK_COMMA; break;
            case ':': t.kind = TK_COLON; break;
            case ';': t.kind = TK_SEP; break;
            case '+': t.kind = TK_PLUS; break;
            case '-': t.kind = TK_MINUS; break;
            case '*': t.kind = TK_STAR; break;
            case '%': t.kind = TK_PERCENT; break;
            case '^': t.kind = TK_CARET; break;
            case '/':
                if (next == '/') t.kind = TK_SLASHSLASH, len = 2;
                else t.kind = TK_SLASH;
                break;
            case '.':
                if (next != '.') {
                    error_at(p, line, col, "unexpected '.'%s", " (a range is written lo..hi)");
                    return false;
                }
                t.kind = TK_DOTDOT, len = 2;
                break;
            case '<':
                if (next == '=') t.kind = TK_LE, len = 2;
                else t.kind = TK_LT;
                break;
            case '>':
                if (next == '=') t.kind = TK_GE, len = 2;
                else t.kind = TK_GT;
                break;
            case '=':
                if (next == '=') t.kind = TK_EQ, len = 2;
                else t.kind = TK_ASSIGN;
                break;
            case '!':
                if (next == '=') {
                    t.kind = TK_NE, len = 2;
                    break;
                }
                error_at(p, line, col, "unexpected '!'%s", " (logical negation is 'not')");
                return false;
            default: {
                char shown[16];
                if (isprint((unsigned char)c)) snprintf(shown, sizeof shown, "'%c'", c);
                else snprintf(shown, sizeof shown, "byte 0x%02x", (unsigned char)c);
                error_at(p, line, col, "unexpected character %s", shown);
                return false;
            }
            }
            t.len = len;
        }
        push_token(p, t);
        s += t.len;
        col += t.len;
    }
    push_token(p, (token){TK_EOF, line, col, s, 0, 0});
    return true;
}

/* ---- token helpers ----------------------------------------------------------------------- */

static const token *peek(parser *p) { return &p->toks[p->pos]; }
static const token *peek2(parser *p) {
    return p->pos + 1 < p->n_toks ? &p->toks[p->pos + 1] : &p->toks[p->n_toks - 1];
}
static const token *advance(parser *p) {
    const token *t = &p->toks[p->pos];
    if (t->kind != TK_EOF) p->pos++;
    return t;
}

static bool is_word(const token *t, const char *word) {
    return t->kind == TK_IDENT && (int)strlen(word) == t->len && strncmp(t->start, word, (size_t)t->len) == 0;
}

/* Words that cannot name a variable, tensor or output. Function names can: they are
 * functions only when followed by '('. */
static bool is_keyword(const token *t) {
    return is_word(t, "in") || is_word(t, "and") || is_word(t, "or") || is_word(t, "not") ||
           is_word(t, "where") || is_word(t, "inf");
}

/* "')'", "name 'foo'", "end of line": what the user sees in messages. */
static void describe(const token *t, char *buf, size_t size) {
    switch (t->kind) {
    case TK_EOF: snprintf(buf, size, "end of input"); break;
    case TK_SEP: snprintf(buf, size, *t->start == ';' ? "';'" : "end of line"); break;
    case TK_NUM: snprintf(buf, size, "number '%.*s'", t->len > 40 ? 40 : t->len, t->start); break;
    case TK_IDENT: snprintf(buf, size, "'%.*s'", t->len > 60 ? 60 : t->len, t->start); break;
    default: snprintf(buf, size, "'%.*s'", t->len, t->start); break;
    }
}

/* "expected X, found Y" at the current token. */
static void expected(parser *p, const char *what) {
    const token *t = peek(p);
    char found[100], msg[300];
    describe(t, found, sizeof found);
    snprintf(msg, sizeof msg, "%s, found %s", what, found);
    error_at(p, t->line, t->col, "%s", msg);
}

static bool expect(parser *p, tok_kind kind, const char *what) {
    if (peek(p)->kind == kind) {
        advance(p);
        return true;
    }
    expected(p, what);
    return false;
}

static const char *token_text(parser *p, const token *t) {
    return arena_strndup(p->a, t->start, (size_t)t->len);
}

/* ---- nodes ------------------------------------------------------------------------------- */

static int height_of(const fexpr *e) { return ((const pnode *)e)->height; }

static fexpr *new_node(parser *p, fexpr_kind kind, const token *at) {
    pnode *n = arena_alloc(p->a, sizeof *n);
    n->e.kind = kind;
    n->e.line = at->line;
    n->e.col = at->col;
    n->height = 1;
    return &n->e;
}

/* Attaches children (copied into the arena) and checks the height bound. */
static fexpr *with_args(parser *p, fexpr *e, fexpr **args, int n) {
    if (!e) return NULL;
    e->args = arena_alloc(p->a, (size_t)(n > 0 ? n : 1) * sizeof *e->args);
    int h = 0;
    for (int i = 0; i < n; i++) {
        e->args[i] = args[i];
        if (height_of(args[i]) > h) h = height_of(args[i]);
    }
    e->n_args = n;
    ((pnode *)e)->height = h + 1;
    if (h + 1 > MAX_TREE_HEIGHT) {
        char limit[16];
        snprintf(limit, sizeof limit, "%d", MAX_TREE_HEIGHT);
        error_at(p, e->line, e->col, "expression nested too deeply (more than %s levels)", limit);
        return NULL;
    }
    return e;
}

/* A binary node is positioned where its left operand starts, like every other node. */
static fexpr *binary(parser *p, fexpr_kind kind, int op, fexpr *l, fexpr *r) {
    fexpr *e = new_node(p, kind, &(token){.line = l->line, .col = l->col});
    e->op = op;
    fexpr *args[2] = {l, r};
    return with_args(p, e, args, 2);
}

static fexpr *unary(parser *p, fexpr_kind kind, const token *at, fexpr *x) {
    return with_args(p, new_node(p, kind, at), &x, 1);
}

/* ---- expressions ------------------------------------------------------------------------- */

static fexpr *parse_expr(parser *p);
static fexpr *parse_unary(parser *p);

static bool enter(parser *p) {
    if (++p->depth > MAX_PARSE_DEPTH) {
        const token *t = peek(p);
        char limit[16];
        snprintf(limit, sizeof limit, "%d", MAX_PARSE_DEPTH);
        error_at(p, t->line, t->col, "expression nested too deeply (more than %s levels)", limit);
        return false;
    }
    return true;
}

/* A growable list of argument expressions, heap-allocated while parsing. */
typedef struct arg_list {
    fexpr **items;
    int n, cap;
} arg_list;

static void arg_push(arg_list *l, fexpr *e) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->items = xrealloc(l->items, (size_t)l->cap * sizeof *l->items);
    }
    l->items[l->n++] = e;
}

/* expr {',' expr} up to (not including) the closing token. */
static bool parse_args(parser *p, arg_list *args, tok_kind close, const char *close_text) {
    for (;;) {
        fexpr *e = parse_expr(p);
        if (!e) return false;
        arg_push(args, e);
        if (peek(p)->kind == TK_COMMA) {
            advance(p);
            continue;
        }
        if (peek(p)->kind == close) {
            advance(p);
            return true;
        }
        char what[64];
        snprintf(what, sizeof what, "expected ',' or '%s'", close_text);
        expected(p, what);
        return false;
    }
}

/* RED '(' IDENT 'in' lo '..' hi ':' body ')', positioned after the '('. */
static fexpr *parse_reduction(parser *p, const token *name) {
    char *red = (char *)token_text(p, name);
    char what[128];
    const token *var = advance(p);   /* the caller checked: IDENT followed by 'in' */
    if (is_keyword(var)) {
        error_at(p, var->line, var->col, "'%s' cannot name a reduction variable", token_text(p, var));
        return NULL;
    }
    advance(p);   /* 'in' */
    fexpr *lo = parse_expr(p);
    if (!lo) return NULL;
    snprintf(what, sizeof what, "expected '..' in the range of %s", red);
    if (!expect(p, TK_DOTDOT, what)) return NULL;
    fexpr *hi = parse_expr(p);
    if (!hi) return NULL;
    if (peek(p)->kind != TK_COLON) {
        const token *t = peek(p);
        error_at(p, t->line, t->col, "expected ':' after the range of %s", red);
        return NULL;
    }
    advance(p);
    fexpr *body = parse_expr(p);
    if (!body) return NULL;
    snprintf(what, sizeof what, "expected ')' to close %s", red);
    if (!expect(p, TK_RPAREN, what)) return NULL;
    fexpr *e = new_node(p, FX_REDUCE, name);
    e->name = red;
    e->var = token_text(p, var);
    fexpr *args[3] = {lo, hi, body};
    return with_args(p, e, args, 3);
}

/* NAME '(' ... ')': a function call, a reduction, or where. */
static fexpr *parse_call(parser *p, const token *name) {
    char *fname = (char *)token_text(p, name);
    advance(p);   /* '(' */
    bool binder = peek(p)->kind == TK_IDENT && is_word(peek2(p), "in");
    freduce red = formula_reduce_lookup(fname);
    ffunc fn = formula_func_lookup(fname);
    bool is_where = strcmp(fname, "where") == 0;
    if (!is_where && red == FR_NONE && fn == FF_NONE) {
        error_at(p, name->line, name->col, "unknown function '%s'", fname);
        return NULL;
    }
    if (binder && red != FR_NONE) return parse_reduction(p, name);
    if (red != FR_NONE && fn == FF_NONE) {
        char msg[200];
        snprintf(msg, sizeof msg, "'%s' takes a binder: %s(k in lo..hi: body)", fname, fname);
        error_at(p, name->line, name->col, "%s", msg);
        return NULL;
    }
    arg_list args = {0};
    if (peek(p)->kind == TK_RPAREN) advance(p);   /* no arguments: reported below */
    else if (!parse_args(p, &args, TK_RPAREN, ")")) {
        free(args.items);
        return NULL;
    }
    int want = is_where ? 3 : formula_func_arity(fn);
    if (args.n != want) {
        free(args.items);
        char msg[200];
        if (fn == FF_MAX || fn == FF_MIN)
            snprintf(msg, sizeof msg, "'%s' takes 2 arguments or a binder", fname);
        else
            snprintf(msg, sizeof msg, "'%s' takes %d argument%s", fname, want, want == 1 ? "" : "s");
        error_at(p, name->line, name->col, "%s", msg);
        return NULL;
    }
    fexpr *e = new_node(p, is_where ? FX_WHERE : FX_CALL, name);
    if (!is_where) e->name = fname;
    e = with_args(p, e, args.items, args.n);
    free(args.items);
    return e;
}

static fexpr *parse_primary(parser *p) {
    const token *t = peek(p);
    switch (t->kind) {
    case TK_NUM: {
        advance(p);
        fexpr *e = new_node(p, FX_NUM, t);
        e->num = t->num;
        return e;
    }
    case TK_LPAREN: {
        advance(p);
        fexpr *e = parse_expr(p);
        if (e && !expect(p, TK_RPAREN, "expected ')'")) return NULL;
        return e;
    }
    case TK_IDENT:
        break;
    default:
        expected(p, "expected an expression");
        return NULL;
    }
    if (is_word(t, "inf")) {
        advance(p);
        fexpr *e = new_node(p, FX_NUM, t);
        e->num = INFINITY;
        return e;
    }
    if (is_word(t, "where") && peek2(p)->kind != TK_LPAREN) {
        advance(p);
        expected(p, "expected '(' after 'where'");
        return NULL;
    }
    if (peek2(p)->kind == TK_LPAREN) {
        advance(p);
        return parse_call(p, t);
    }
    if (is_keyword(t)) {
        expected(p, "expected an expression");
        return NULL;
    }
    advance(p);
    if (peek(p)->kind == TK_LBRACK) {
        advance(p);
        fexpr *e = new_node(p, FX_ACCESS, t);
        e->name = token_text(p, t);
        arg_list args = {0};
        if (!parse_args(p, &args, TK_RBRACK, "]")) {
            free(args.items);
            return NULL;
        }
        e = with_args(p, e, args.items, args.n);
        free(args.items);
        return e;
    }
    fexpr *e = new_node(p, FX_NAME, t);
    e->name = token_text(p, t);
    return e;
}

/* power := primary ['^' unary]   (right-associative; the exponent may be negated: 2^-k) */
static fexpr *parse_power(parser *p) {
    fexpr *base = parse_primary(p);
    if (!base || peek(p)->kind != TK_CARET) return base;
    advance(p);
    if (!enter(p)) return NULL;
    fexpr *exponent = parse_unary(p);
    p->depth--;
    if (!exponent) return NULL;
    return binary(p, FX_BINOP, '^', base, exponent);
}

/* unary := '-' unary | power */
static fexpr *parse_unary(parser *p) {
    if (peek(p)->kind != TK_MINUS) return parse_power(p);
    if (!enter(p)) return NULL;
    const token *op = advance(p);
    fexpr *x = parse_unary(p);
    p->depth--;
    return x ? unary(p, FX_NEG, op, x) : NULL;
}

static fexpr *parse_mul(parser *p) {
    fexpr *e = parse_unary(p);
    while (e) {
        tok_kind k = peek(p)->kind;
        int op = k == TK_STAR ? '*' : k == TK_SLASH ? '/' : k == TK_PERCENT ? '%'
               : k == TK_SLASHSLASH ? FOP_FLOORDIV : 0;
        if (!op) break;
        advance(p);
        fexpr *r = parse_unary(p);
        e = r ? binary(p, FX_BINOP, op, e, r) : NULL;
    }
    return e;
}

static fexpr *parse_add(parser *p) {
    fexpr *e = parse_mul(p);
    while (e) {
        tok_kind k = peek(p)->kind;
        if (k != TK_PLUS && k != TK_MINUS) break;
        advance(p);
        fexpr *r = parse_mul(p);
        e = r ? binary(p, FX_BINOP, k == TK_PLUS ? '+' : '-', e, r) : NULL;
    }
    return e;
}

static int comparison_of(tok_kind k) {
    switch (k) {
    case TK_LT: return FC_LT;
    case TK_LE: return FC_LE;
    case TK_GT: return FC_GT;
    case TK_GE: return FC_GE;
    case TK_EQ: return FC_EQ;
    case TK_NE: return FC_NE;
    default: return -1;
    }
}

/* cmp := add [CMPOP add]   (a < b < c is rejected rather than given a surprising meaning) */
static fexpr *parse_cmp(parser *p) {
    fexpr *e = parse_add(p);
    if (!e) return NULL;
    int op = comparison_of(peek(p)->kind);
    if (op < 0) return e;
    advance(p);
    fexpr *r = parse_add(p);
    if (!r) return NULL;
    e = binary(p, FX_CMP, op, e, r);
    const token *next = peek(p);
    if (e && comparison_of(next->kind) >= 0) {
        error_at(p, next->line, next->col, "comparisons do not chain%s", "; use parentheses or 'and'");
        return NULL;
    }
    return e;
}

static fexpr *parse_not(parser *p) {
    if (!is_word(peek(p), "not")) return parse_cmp(p);
    if (!enter(p)) return NULL;
    const token *op = advance(p);
    fexpr *x = parse_not(p);
    p->depth--;
    return x ? unary(p, FX_NOT, op, x) : NULL;
}

static fexpr *parse_and(parser *p) {
    fexpr *e = parse_not(p);
    while (e && is_word(peek(p), "and")) {
        advance(p);
        fexpr *r = parse_not(p);
        e = r ? binary(p, FX_AND, 0, e, r) : NULL;
    }
    return e;
}

static fexpr *parse_or(parser *p) {
    fexpr *e = parse_and(p);
    while (e && is_word(peek(p), "or")) {
        advance(p);
        fexpr *r = parse_and(p);
        e = r ? binary(p, FX_OR, 0, e, r) : NULL;
    }
    return e;
}

static fexpr *parse_expr(parser *p) {
    if (!enter(p)) return NULL;
    fexpr *e = parse_or(p);
    p->depth--;
    return failed(p) ? NULL : e;
}

/* ---- equations --------------------------------------------------------------------------- */

static bool parse_equation(parser *p, fequation *eq) {
    const token *name = peek(p);
    if (name->kind != TK_IDENT || is_keyword(name)) {
        expected(p, "expected an output name");
        return false;
    }
    advance(p);
    eq->output = token_text(p, name);
    eq->line = name->line;
    eq->col = name->col;
    if (peek(p)->kind == TK_LBRACK) {
        advance(p);
        int cap = 0;
        for (;;) {
            const token *ix = peek(p);
            if (ix->kind != TK_IDENT || is_keyword(ix)) {
                expected(p, "expected an index variable");
                return false;
            }
            advance(p);
            const char *var = token_text(p, ix);
            for (int i = 0; i < eq->n_indices; i++) {
                if (strcmp(eq->indices[i], var) == 0) {
                    error_at(p, ix->line, ix->col, "index variable '%s' repeated on the left side", var);
                    return false;
                }
            }
            if (eq->n_indices == cap) {
                int new_cap = cap ? cap * 2 : 4;
                eq->indices = arena_realloc(p->a, eq->indices, (size_t)cap * sizeof *eq->indices,
                                            (size_t)new_cap * sizeof *eq->indices);
                cap = new_cap;
            }
            eq->indices[eq->n_indices++] = var;
            if (peek(p)->kind == TK_COMMA) {
                advance(p);
                continue;
            }
            if (!expect(p, TK_RBRACK, "expected ',' or ']' after an index variable")) return false;
            break;
        }
    }
    if (!expect(p, TK_ASSIGN, "expected '=' after the left side")) return false;
    eq->rhs = parse_expr(p);
    if (!eq->rhs) return false;
    tok_kind k = peek(p)->kind;
    if (k != TK_SEP && k != TK_EOF) {
        expected(p, "expected an operator or the end of the equation");
        return false;
    }
    return true;
}

formula *formula_parse(arena *a, const char *file, int line, int col, const char *text, diag *err) {
    parser p = {.a = a, .file = file, .err = err};
    formula *f = NULL;
    if (!text) text = "";
    if (line < 1) line = 1;
    if (col < 1) col = 1;
    if (!tokenize(&p, text, line, col)) goto done;
    f = arena_alloc(a, sizeof *f);
    f->file = file;
    int cap = 0;
    for (;;) {
        while (peek(&p)->kind == TK_SEP) advance(&p);
        if (peek(&p)->kind == TK_EOF) break;
        fequation eq = {0};
        const token *start = peek(&p);
        if (!parse_equation(&p, &eq)) {
            f = NULL;
            goto done;
        }
        if (formula_find(f, eq.output)) {
            error_at(&p, start->line, start->col, "duplicate equation for '%s'", eq.output);
            f = NULL;
            goto done;
        }
        if (f->n_eqs == cap) {
            int new_cap = cap ? cap * 2 : 4;
            f->eqs = arena_realloc(a, f->eqs, (size_t)cap * sizeof *f->eqs, (size_t)new_cap * sizeof *f->eqs);
            cap = new_cap;
        }
        f->eqs[f->n_eqs++] = eq;
    }
    if (f->n_eqs == 0) {
        error_at(&p, line, col, "empty formula%s", " (expected an equation such as y[i] = x[i])");
        f = NULL;
    }
done:
    free(p.toks);
    if (!f && !diag_failed(err))   /* defensive: a failure always says why */
        diag_set(err, DIAG_ERROR, file, line, col, "invalid formula");
    return f;
}
