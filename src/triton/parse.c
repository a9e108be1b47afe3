/* parse: a recursive-descent parser over the token list of lex.c (see parse.h).
 *
 * Module level: imports become aliases, `NAME = expr` becomes a constant when the right side is
 * in our expression grammar (tried speculatively, silently dropped otherwise), functions whose
 * decorators resolve to triton.jit are parsed in full, and every other statement is skipped as
 * a logical line plus, when it ends in ':', its indented block. The bodies of top-level `try:`
 * are walked like the module itself, since that is where optional imports live.
 *
 * Inside jitted functions the statement and expression grammar of Python is parsed, and the
 * constructs Triton rejects (def, class, lambda, comprehensions, ...) are syntax errors.
 *
 * Recursion is bounded: brackets, unary operators, trailers and operator chains count towards
 * MAX_EXPR_NESTING (which also bounds the depth of the expression trees handed to later
 * stages), and nested blocks towards MAX_BLOCK_NESTING. */
#include "triton/parse.h"
#include "triton/lex.h"
#include "util/file.h"
#include "util/strbuf.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXPR_NESTING 200
#define MAX_BLOCK_NESTING 100

typedef struct parser {
    arena *a;
    const char *file;
    const token *toks;
    size_t n, pos;          /* toks[n - 1] is TOK_END; pos never passes it */
    diag *err;              /* a scratch diag while parsing speculatively */
    bool failed;
    int expr_depth, block_depth;
    const char *where;      /* completes "X is not supported ..." */
    ast_module *m;
    int cap_funcs, cap_consts, cap_aliases;
} parser;

/* Appends x to an arena array (arr, n, cap), doubling its capacity when full. */
#define PUSH(p, arr, n, cap, x)                                                                 \
    do {                                                                                        \
        if ((n) == (cap)) {                                                                     \
            int nc_ = (cap) ? (cap) * 2 : 4;                                                    \
            (arr) = arena_realloc((p)->a, (arr), sizeof *(arr) * (size_t)(cap),                \
                                  sizeof *(arr) * (size_t)nc_);                                 \
            (cap) = nc_;                                                                        \
        }                                                                                       \
        (arr)[(n)++] = (x);                                                                     \
    } while (0)

typedef struct expr_list { ast_expr **items; int n, cap; } expr_list;
typedef struct stmt_list { ast_stmt **items; int n, cap; } stmt_list;

/* ---- tokens and errors ------------------------------------------------------------------- */

static const token *cur(const parser *p) { return &p->toks[p->pos]; }
static const token *peek(const parser *p, size_t k) {
    size_t i = p->pos + k;
    return &p->toks[i < p->n ? i : p->n - 1];
}
static void advance(parser *p) {
    if (p->toks[p->pos].kind != TOK_END) p->pos++;
}
static bool is_op(const token *t, const char *s) { return t->kind == TOK_OP && strcmp(t->text, s) == 0; }
static bool is_kw(const token *t, const char *s) { return t->kind == TOK_NAME && strcmp(t->text, s) == 0; }
static bool is_plain_name(const token *t) { return t->kind == TOK_NAME && !tok_is_keyword(t); }

static void *error_at(parser *p, const token *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void *error_at(parser *p, const token *t, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(p->err, DIAG_ERROR, p->file, t->line, t->col, "%s", msg);
    p->failed = true;
    return NULL;
}

static void *unsupported(parser *p, const token *t, const char *what) {
    return error_at(p, t, "%s is not supported %s", what, p->where);
}

static bool accept_op(parser *p, const char *s) {
    if (!is_op(cur(p), s)) return false;
    advance(p);
    return true;
}

static bool expect_op(parser *p, const char *s) {
    if (accept_op(p, s)) return true;
    error_at(p, cur(p), "expected '%s'", s);
    return false;
}

/* Counts one level of nesting; false (with an error at t) past the limit. */
static bool enter(parser *p, const token *t) {
    if (++p->expr_depth >= MAX_EXPR_NESTING) {
        error_at(p, t, "expression nested too deeply");
        return false;
    }
    return true;
}
static void leave(parser *p) { p->expr_depth--; }

/* ---- speculation ------------------------------------------------------------------------- */

typedef struct speculation {
    size_t pos;
    diag *real_err;
    int expr_depth;
    diag scratch;
} speculation;

static void spec_begin(parser *p, speculation *s) {
    s->pos = p->pos;
    s->real_err = p->err;
    s->expr_depth = p->expr_depth;
    memset(&s->scratch, 0, sizeof s->scratch);
    p->err = &s->scratch;
}

/* Ends a speculative parse; when it is not kept, the parser is back where it began. */
static void spec_end(parser *p, speculation *s, bool keep) {
    p->err = s->real_err;
    p->failed = false;
    p->expr_depth = s->expr_depth;
    if (!keep) p->pos = s->pos;
}

/* ---- expressions ------------------------------------------------------------------------- */

static ast_expr *parse_expr(parser *p);
static ast_expr *parse_binary(parser *p, int min_prec);
static ast_expr *parse_factor(parser *p);

static ast_expr *new_expr(parser *p, expr_kind kind, int line, int col) {
    ast_expr *e = arena_alloc(p->a, sizeof *e);
    e->kind = kind;
    e->line = line;
    e->col = col;
    return e;
}
static ast_expr *expr_at(parser *p, expr_kind kind, const token *t) { return new_expr(p, kind, t->line, t->col); }

static void set_items(ast_expr *e, expr_list *l) {
    e->items = l->items;
    e->n_items = l->n;
}

/* Tokens that can begin an expression (to tell `a, b` from a trailing comma). */
static bool starts_expr(const token *t) {
    switch (t->kind) {
    case TOK_NAME:
        return !tok_is_keyword(t) || is_kw(t, "None") || is_kw(t, "True") || is_kw(t, "False") ||
               is_kw(t, "not") || is_kw(t, "lambda") || is_kw(t, "await") || is_kw(t, "yield");
    case TOK_NUMBER:
    case TOK_STRING:
        return true;
    case TOK_OP:
        return is_op(t, "(") || is_op(t, "[") || is_op(t, "{") || is_op(t, "-") || is_op(t, "+") ||
               is_op(t, "~") || is_op(t, "*") || is_op(t, "...");
    default:
        return false;
    }
}

static bool is_comprehension_start(const token *t) { return is_kw(t, "for") || is_kw(t, "async"); }

static bool literal_fits_u64(const char *s) {
    unsigned base = 10;
    if (s[0] == '0' && ((s[1] | 0x20) == 'x' || (s[1] | 0x20) == 'o' || (s[1] | 0x20) == 'b')) {
        base = (s[1] | 0x20) == 'x' ? 16 : (s[1] | 0x20) == 'o' ? 8 : 2;
        s += 2;
    }
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s == '_') continue;
        unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0') : (unsigned)((*s | 0x20) - 'a' + 10);
        if (v > (UINT64_MAX - d) / base) return false;
        v = v * base + d;
    }
    return true;
}

static int compare_name_tokens(const void *x, const void *y) {
    const token *a = *(const token *const *)x, *b = *(const token *const *)y;
    int c = strcmp(a->text, b->text);
    return c ? c : (a < b ? -1 : a > b);
}

/* The first token (in source order) whose name already appeared among names[0..n), or NULL.
 * Sorting keeps this O(n log n) for calls or signatures with very many names. */
static const token *first_repeated_name(parser *p, const token **names, int n) {
    if (n < 2) return NULL;
    const token **sorted = arena_alloc(p->a, sizeof *sorted * (size_t)n);
    memcpy(sorted, names, sizeof *sorted * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, compare_name_tokens);
    const token *first = NULL;
    for (int i = 1; i < n; i++)
        if (strcmp(sorted[i]->text, sorted[i - 1]->text) == 0 && (!first || sorted[i] < first)) first = sorted[i];
    return first;
}

/* Adjacent string literals concatenated into one EX_STR. When an f-string is involved the
 * result keeps f-string source text, so braces of the plain parts are doubled. */
static ast_expr *parse_strings(parser *p) {
    const token *first = cur(p);
    bool any_f = false;
    for (size_t i = p->pos; i < p->n && p->toks[i].kind == TOK_STRING; i++) {
        if (p->toks[i].is_fstring) any_f = true;
        if (p->toks[i].is_bytes != first->is_bytes)
            return error_at(p, &p->toks[i], "cannot mix bytes and nonbytes literals");
    }
    strbuf sb;
    strbuf_init(&sb);
    for (; cur(p)->kind == TOK_STRING; advance(p)) {
        const token *t = cur(p);
        if (!any_f || t->is_fstring) {
            strbuf_appendn(&sb, t->str_value, t->str_len);
            continue;
        }
        for (size_t i = 0; i < t->str_len; i++) {
            char c = t->str_value[i];
            strbuf_putc(&sb, c);
            if (c == '{' || c == '}') strbuf_putc(&sb, c);
        }
    }
    ast_expr *e = expr_at(p, EX_STR, first);
    e->str = arena_strndup(p->a, strbuf_cstr(&sb), sb.len);
    e->is_fstring = any_f;
    strbuf_free(&sb);
    return e;
}

static ast_expr *parse_number(parser *p) {
    const token *t = cur(p);
    if (t->num == NUM_IMAG) return unsupported(p, t, "a complex number");
    ast_expr *e;
    if (t->num == NUM_INT) {
        if (t->int_overflow && !literal_fits_u64(t->text))
            return error_at(p, t, "integer literal is too large for 64 bits");
        e = expr_at(p, EX_INT, t);
        e->ival = t->ival;  /* literals in (INT64_MAX, UINT64_MAX] wrap, as Triton's uint64 */
    } else {
        e = expr_at(p, EX_FLOAT, t);
    }
    e->fval = t->fval;
    e->str = t->text;
    advance(p);
    return e;
}

/* '*' bitwise_or | expression: an element of a tuple, list, call or subscript. */
static ast_expr *parse_star_expr(parser *p) {
    const token *t = cur(p);
    if (!is_op(t, "*")) return parse_expr(p);
    advance(p);
    ast_expr *e = expr_at(p, EX_STARRED, t);
    e->lhs = parse_binary(p, 1);
    return e->lhs ? e : NULL;
}

/* ( ... ) [ ... ]: a tuple/parenthesised expression or a list, after the opening bracket. */
static ast_expr *parse_sequence(parser *p, const token *open, const char *close, bool is_list) {
    if (accept_op(p, close)) return expr_at(p, is_list ? EX_LIST : EX_TUPLE, open);
    ast_expr *first = parse_star_expr(p);
    if (!first) return NULL;
    if (is_comprehension_start(cur(p))) return unsupported(p, cur(p), is_list ? "a list comprehension" : "a generator expression");
    if (!is_list && is_op(cur(p), close)) {
        if (first->kind == EX_STARRED) return error_at(p, open, "cannot use starred expression here");
        advance(p);
        return first;
    }
    expr_list items = {0};
    PUSH(p, items.items, items.n, items.cap, first);
    while (accept_op(p, ",")) {
        if (is_op(cur(p), close)) break;
        ast_expr *e = parse_star_expr(p);
        if (!e) return NULL;
        PUSH(p, items.items, items.n, items.cap, e);
    }
    if (!expect_op(p, close)) return NULL;
    ast_expr *e = expr_at(p, is_list ? EX_LIST : EX_TUPLE, open);
    set_items(e, &items);
    return e;
}

static ast_expr *parse_dict(parser *p, const token *open) {
    ast_expr *e = expr_at(p, EX_DICT, open);
    if (accept_op(p, "}")) return e;
    expr_list items = {0};
    while (true) {
        if (is_op(cur(p), "**")) return unsupported(p, cur(p), "dict unpacking");
        ast_expr *k = parse_expr(p);
        if (!k) return NULL;
        if (items.n == 0 && !is_op(cur(p), ":")) {
            if (is_comprehension_start(cur(p))) return unsupported(p, cur(p), "a set comprehension");
            return unsupported(p, open, "a set");
        }
        if (!expect_op(p, ":")) return NULL;
        ast_expr *v = parse_expr(p);
        if (!v) return NULL;
        if (is_comprehension_start(cur(p))) return unsupported(p, cur(p), "a dict comprehension");
        PUSH(p, items.items, items.n, items.cap, k);
        PUSH(p, items.items, items.n, items.cap, v);
        if (!accept_op(p, ",")) break;
        if (is_op(cur(p), "}")) break;
    }
    if (!expect_op(p, "}")) return NULL;
    set_items(e, &items);
    return e;
}

static ast_expr *parse_atom(parser *p) {
    const token *t = cur(p);
    switch (t->kind) {
    case TOK_NAME: {
        if (is_kw(t, "None") || is_kw(t, "True") || is_kw(t, "False")) {
            ast_expr *e = expr_at(p, t->text[0] == 'N' ? EX_NONE : EX_BOOL, t);
            e->ival = t->text[0] == 'T';
            advance(p);
            return e;
        }
        if (is_kw(t, "lambda") || is_kw(t, "yield") || is_kw(t, "await")) return unsupported(p, t, t->text);
        if (tok_is_keyword(t)) return error_at(p, t, "invalid syntax");
        ast_expr *e = expr_at(p, EX_NAME, t);
        e->name = t->text;
        advance(p);
        return e;
    }
    case TOK_NUMBER:
        return parse_number(p);
    case TOK_STRING:
        return parse_strings(p);
    case TOK_OP: {
        if (is_op(t, "...")) {
            advance(p);
            return expr_at(p, EX_ELLIPSIS, t);
        }
        bool paren = is_op(t, "("), list = is_op(t, "["), brace = is_op(t, "{");
        if (!paren && !list && !brace) break;
        if (!enter(p, t)) return NULL;
        advance(p);
        ast_expr *e = brace ? parse_dict(p, t) : parse_sequence(p, t, paren ? ")" : "]", list);
        leave(p);
        return e;
    }
    default:
        break;
    }
    return error_at(p, t, "invalid syntax");
}

static ast_expr *parse_call(parser *p, ast_expr *fn, const token *open) {
    ast_expr *e = expr_at(p, EX_CALL, open);
    e->line = fn->line;
    e->col = fn->col;
    e->lhs = fn;
    expr_list args = {0};
    int cap_kw = 0, n_names = 0, cap_names = 0;
    const token **names = NULL;  /* keyword names, to reject repeats */
    bool seen_keyword = false, seen_kwargs = false;
    while (!is_op(cur(p), ")")) {
        const token *t = cur(p);
        if (is_op(t, "**")) {
            advance(p);
            ast_expr *v = parse_expr(p);
            if (!v) return NULL;
            PUSH(p, e->kwargs, e->n_kwargs, cap_kw, ((ast_kwarg){NULL, v}));
            seen_kwargs = true;
        } else if (is_plain_name(t) && is_op(peek(p, 1), "=")) {
            PUSH(p, names, n_names, cap_names, t);
            advance(p);
            advance(p);
            ast_expr *v = parse_expr(p);
            if (!v) return NULL;
            PUSH(p, e->kwargs, e->n_kwargs, cap_kw, ((ast_kwarg){t->text, v}));
            seen_keyword = true;
        } else {
            bool starred = is_op(t, "*");
            ast_expr *v = parse_star_expr(p);
            if (!v) return NULL;
            if (is_comprehension_start(cur(p))) return unsupported(p, cur(p), "a generator expression");
            if (!starred && seen_kwargs) return error_at(p, t, "positional argument follows keyword argument unpacking");
            if (!starred && seen_keyword) return error_at(p, t, "positional argument follows keyword argument");
            if (starred && seen_kwargs) return error_at(p, t, "iterable argument unpacking follows keyword argument unpacking");
            PUSH(p, args.items, args.n, args.cap, v);
        }
        if (!accept_op(p, ",")) break;
    }
    if (!expect_op(p, ")")) return NULL;
    const token *repeat = first_repeated_name(p, names, n_names);
    if (repeat) return error_at(p, repeat, "keyword argument repeated: %s", repeat->text);
    set_items(e, &args);
    return e;
}

/* One subscript item: an expression or a slice lo:hi:step with every part optional. */
static ast_expr *parse_subscript_item(parser *p) {
    const token *t = cur(p);
    ast_expr *lo = NULL;
    if (!is_op(t, ":")) {
        lo = parse_star_expr(p);
        if (!lo || !is_op(cur(p), ":")) return lo;
    }
    ast_expr *s = expr_at(p, EX_SLICE, t);
    s->slice[0] = lo;
    advance(p);  /* ':' */
    if (!is_op(cur(p), ":") && !is_op(cur(p), ",") && !is_op(cur(p), "]")) {
        if (!(s->slice[1] = parse_expr(p))) return NULL;
    }
    if (accept_op(p, ":") && !is_op(cur(p), ",") && !is_op(cur(p), "]")) {
        if (!(s->slice[2] = parse_expr(p))) return NULL;
    }
    return s;
}

static ast_expr *parse_subscript(parser *p, ast_expr *obj, const token *open) {
    ast_expr *e = expr_at(p, EX_SUBSCRIPT, open);
    e->line = obj->line;
    e->col = obj->col;
    e->lhs = obj;
    expr_list items = {0};
    do {
        if (is_op(cur(p), "]") && items.n > 0) break;
        ast_expr *item = parse_subscript_item(p);
        if (!item) return NULL;
        PUSH(p, items.items, items.n, items.cap, item);
    } while (accept_op(p, ","));
    if (!expect_op(p, "]")) return NULL;
    set_items(e, &items);
    return e;
}

/* atom ('.' NAME | '(' args ')' | '[' subscripts ']')* */
static ast_expr *parse_primary(parser *p) {
    ast_expr *e = parse_atom(p);
    int chain = 0;
    while (e) {
        const token *t = cur(p);
        bool dot = is_op(t, "."), call = is_op(t, "("), sub = is_op(t, "[");
        if (!dot && !call && !sub) break;
        if (!enter(p, t)) return NULL;
        chain++;
        advance(p);
        if (dot) {
            const token *name = cur(p);
            if (!is_plain_name(name)) return error_at(p, name, "invalid syntax");
            ast_expr *attr = new_expr(p, EX_ATTR, e->line, e->col);
            attr->lhs = e;
            attr->name = name->text;
            advance(p);
            e = attr;
        } else if (call) {
            e = parse_call(p, e, t);
        } else {
            e = parse_subscript(p, e, t);
        }
    }
    p->expr_depth -= chain;
    return e;
}

/* primary ['**' factor]: right-associative, and tighter than a unary minus on its left. */
static ast_expr *parse_power(parser *p) {
    ast_expr *base = parse_primary(p);
    if (!base || !is_op(cur(p), "**")) return base;
    const token *t = cur(p);
    if (!enter(p, t)) return NULL;
    advance(p);
    ast_expr *exp = parse_factor(p);
    leave(p);
    if (!exp) return NULL;
    ast_expr *e = new_expr(p, EX_BINOP, base->line, base->col);
    e->op = OP_POW;
    e->lhs = base;
    e->rhs = exp;
    return e;
}

static ast_expr *parse_factor(parser *p) {
    const token *t = cur(p);
    int op = is_op(t, "-") ? UN_NEG : is_op(t, "+") ? UN_POS : is_op(t, "~") ? UN_INVERT : -1;
    if (op < 0) return parse_power(p);
    if (!enter(p, t)) return NULL;
    advance(p);
    ast_expr *operand = parse_factor(p);
    leave(p);
    if (!operand) return NULL;
    ast_expr *e = expr_at(p, EX_UNARY, t);
    e->op = op;
    e->lhs = operand;
    return e;
}

/* Binding strength of the binary operator at t (0: not one). */
static int binop_prec(const token *t, binop_kind *op) {
    static const struct { const char *text; binop_kind op; int prec; } table[] = {
        {"|", OP_BITOR, 1}, {"^", OP_BITXOR, 2}, {"&", OP_BITAND, 3},
        {"<<", OP_LSHIFT, 4}, {">>", OP_RSHIFT, 4}, {"+", OP_ADD, 5}, {"-", OP_SUB, 5},
        {"*", OP_MUL, 6}, {"/", OP_TRUEDIV, 6}, {"//", OP_FLOORDIV, 6}, {"%", OP_MOD, 6},
        {"@", OP_MATMUL, 6},
    };
    if (t->kind != TOK_OP) return 0;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (strcmp(t->text, table[i].text) == 0) {
            *op = table[i].op;
            return table[i].prec;
        }
    return 0;
}

/* Precedence climbing over | ^ & << >> + - * / // % @ (all left-associative). */
static ast_expr *parse_binary(parser *p, int min_prec) {
    ast_expr *lhs = parse_factor(p);
    int chain = 0;
    while (lhs) {
        binop_kind op;
        int prec = binop_prec(cur(p), &op);
        if (prec == 0 || prec < min_prec) break;
        if (!enter(p, cur(p))) return NULL;
        chain++;
        advance(p);
        ast_expr *rhs = parse_binary(p, prec + 1);
        if (!rhs) return NULL;
        ast_expr *e = new_expr(p, EX_BINOP, lhs->line, lhs->col);
        e->op = (int)op;
        e->lhs = lhs;
        e->rhs = rhs;
        lhs = e;
    }
    p->expr_depth -= chain;
    return lhs;
}

/* The comparison operator at the cursor, consumed; -1 if there is none. */
static int accept_cmp_op(parser *p) {
    static const struct { const char *text; cmp_kind op; } ops[] = {
        {"<", CMP_LT}, {"<=", CMP_LE}, {">", CMP_GT}, {">=", CMP_GE}, {"==", CMP_EQ}, {"!=", CMP_NE},
    };
    const token *t = cur(p);
    if (t->kind == TOK_OP) {
        for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
            if (strcmp(t->text, ops[i].text) == 0) {
                advance(p);
                return (int)ops[i].op;
            }
        return -1;
    }
    if (is_kw(t, "in")) {
        advance(p);
        return CMP_IN;
    }
    if (is_kw(t, "not") && is_kw(peek(p, 1), "in")) {
        advance(p);
        advance(p);
        return CMP_NOT_IN;
    }
    if (is_kw(t, "is")) {
        advance(p);
        if (!is_kw(cur(p), "not")) return CMP_IS;
        advance(p);
        return CMP_IS_NOT;
    }
    return -1;
}

static ast_expr *parse_comparison(parser *p) {
    ast_expr *first = parse_binary(p, 1);
    if (!first) return NULL;
    int op = accept_cmp_op(p);
    if (op < 0) return first;
    expr_list items = {0};
    cmp_kind *ops = NULL;
    int n_ops = 0, cap_ops = 0;
    PUSH(p, items.items, items.n, items.cap, first);
    while (op >= 0) {
        PUSH(p, ops, n_ops, cap_ops, (cmp_kind)op);
        ast_expr *rhs = parse_binary(p, 1);
        if (!rhs) return NULL;
        PUSH(p, items.items, items.n, items.cap, rhs);
        op = accept_cmp_op(p);
    }
    ast_expr *e = new_expr(p, EX_COMPARE, first->line, first->col);
    set_items(e, &items);
    e->cmp_ops = ops;
    return e;
}

static ast_expr *parse_not(parser *p) {
    const token *t = cur(p);
    if (!is_kw(t, "not")) return parse_comparison(p);
    if (!enter(p, t)) return NULL;
    advance(p);
    ast_expr *operand = parse_not(p);
    leave(p);
    if (!operand) return NULL;
    ast_expr *e = expr_at(p, EX_UNARY, t);
    e->op = UN_NOT;
    e->lhs = operand;
    return e;
}

/* and/or chains are flat EX_BOOLOPs (op 0 = and, 1 = or). */
static ast_expr *parse_boolop(parser *p, bool is_or) {
    ast_expr *first = is_or ? parse_boolop(p, false) : parse_not(p);
    const char *kw = is_or ? "or" : "and";
    if (!first || !is_kw(cur(p), kw)) return first;
    expr_list items = {0};
    PUSH(p, items.items, items.n, items.cap, first);
    while (is_kw(cur(p), kw)) {
        advance(p);
        ast_expr *e = is_or ? parse_boolop(p, false) : parse_not(p);
        if (!e) return NULL;
        PUSH(p, items.items, items.n, items.cap, e);
    }
    ast_expr *e = new_expr(p, EX_BOOLOP, first->line, first->col);
    e->op = is_or;
    set_items(e, &items);
    return e;
}

static ast_expr *parse_ternary(parser *p) {
    ast_expr *body = parse_boolop(p, true);
    if (!body || !is_kw(cur(p), "if")) return body;
    const token *t = cur(p);
    if (!enter(p, t)) return NULL;
    advance(p);
    ast_expr *cond = parse_boolop(p, true);
    if (!cond) return NULL;
    if (!is_kw(cur(p), "else")) return error_at(p, cur(p), "expected 'else' after 'if' expression");
    advance(p);
    ast_expr *orelse = parse_ternary(p);
    leave(p);
    if (!orelse) return NULL;
    ast_expr *e = new_expr(p, EX_IFEXP, body->line, body->col);
    e->lhs = body;
    e->cond = cond;
    e->rhs = orelse;
    return e;
}

static ast_expr *parse_expr(parser *p) {
    ast_expr *e = parse_ternary(p);
    if (e && is_op(cur(p), ":=")) return unsupported(p, cur(p), "an assignment expression (:=)");
    return e;
}

/* star_expressions: `a`, `a, b`, `a,` (the last two are tuples). */
static ast_expr *parse_exprlist(parser *p) {
    const token *t = cur(p);
    ast_expr *first = parse_star_expr(p);
    if (!first || !is_op(cur(p), ",")) return first;
    expr_list items = {0};
    PUSH(p, items.items, items.n, items.cap, first);
    while (accept_op(p, ",") && starts_expr(cur(p))) {
        ast_expr *e = parse_star_expr(p);
        if (!e) return NULL;
        PUSH(p, items.items, items.n, items.cap, e);
    }
    ast_expr *e = expr_at(p, EX_TUPLE, t);
    set_items(e, &items);
    return e;
}

/* A for-loop target list: stops before `in`, which an expression would swallow. */
static ast_expr *parse_target_list(parser *p) {
    const token *t = cur(p);
    expr_list items = {0};
    bool comma = false;
    while (true) {
        ast_expr *e;
        const token *st = cur(p);
        if (is_op(st, "*")) {
            advance(p);
            e = expr_at(p, EX_STARRED, st);
            e->lhs = parse_binary(p, 1);
            if (!e->lhs) return NULL;
        } else {
            e = parse_binary(p, 1);
            if (!e) return NULL;
        }
        PUSH(p, items.items, items.n, items.cap, e);
        if (!is_op(cur(p), ",")) break;
        advance(p);
        comma = true;
        if (is_kw(cur(p), "in")) break;
    }
    if (!comma) return items.items[0];
    ast_expr *e = expr_at(p, EX_TUPLE, t);
    set_items(e, &items);
    return e;
}

/* ---- statements -------------------------------------------------------------------------- */

static bool parse_statement(parser *p, stmt_list *out);

static ast_stmt *new_stmt(parser *p, stmt_kind kind, const token *t) {
    ast_stmt *s = arena_alloc(p->a, sizeof *s);
    s->kind = kind;
    s->line = t->line;
    s->col = t->col;
    return s;
}

static const char *expr_description(const ast_expr *e) {
    switch (e->kind) {
    case EX_CALL: return "function call";
    case EX_INT: case EX_FLOAT: case EX_STR: return "literal";
    case EX_BOOL: return e->ival ? "True" : "False";
    case EX_NONE: return "None";
    case EX_ELLIPSIS: return "ellipsis";
    case EX_COMPARE: return "comparison";
    case EX_IFEXP: return "conditional expression";
    case EX_DICT: return "dict literal";
    default: return "expression";
    }
}

/* Whether e may be assigned to (inside a tuple or list when nested). */
static bool check_target(parser *p, const ast_expr *e, bool nested) {
    switch (e->kind) {
    case EX_NAME: case EX_ATTR: case EX_SUBSCRIPT:
        return true;
    case EX_TUPLE: case EX_LIST:
        for (int i = 0; i < e->n_items; i++)
            if (!check_target(p, e->items[i], true)) return false;
        return true;
    case EX_STARRED:
        if (!nested) {
            diag_set(p->err, DIAG_ERROR, p->file, e->line, e->col, "starred assignment target must be in a list or tuple");
            p->failed = true;
            return false;
        }
        return check_target(p, e->lhs, true);
    default:
        diag_set(p->err, DIAG_ERROR, p->file, e->line, e->col, "cannot assign to %s", expr_description(e));
        p->failed = true;
        return false;
    }
}

static bool reject_bare_starred(parser *p, const ast_expr *e) {
    if (e->kind != EX_STARRED) return true;
    diag_set(p->err, DIAG_ERROR, p->file, e->line, e->col, "cannot use starred expression here");
    p->failed = true;
    return false;
}

static int augassign_op(const token *t) {
    static const struct { const char *text; binop_kind op; } ops[] = {
        {"+=", OP_ADD}, {"-=", OP_SUB}, {"*=", OP_MUL}, {"/=", OP_TRUEDIV}, {"//=", OP_FLOORDIV},
        {"%=", OP_MOD}, {"**=", OP_POW}, {"@=", OP_MATMUL}, {"<<=", OP_LSHIFT}, {">>=", OP_RSHIFT},
        {"&=", OP_BITAND}, {"|=", OP_BITOR}, {"^=", OP_BITXOR},
    };
    if (t->kind != TOK_OP) return -1;
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (strcmp(t->text, ops[i].text) == 0) return (int)ops[i].op;
    return -1;
}

/* Statement keywords whose constructs Triton does not compile. */
static const char *unsupported_statement(const token *t) {
    static const char *const kws[] = {"def", "class", "with", "try", "del", "import", "from",
                                      "global", "nonlocal", "async", "raise"};
    if (t->kind == TOK_NAME)
        for (size_t i = 0; i < sizeof kws / sizeof *kws; i++)
            if (strcmp(t->text, kws[i]) == 0) return kws[i];
    if (is_op(t, "@")) return "a decorator";
    return NULL;
}

static ast_stmt *parse_expr_statement(parser *p) {
    const token *t = cur(p);
    ast_expr *first = parse_exprlist(p);
    if (!first) return NULL;
    if (is_op(cur(p), "=")) {
        expr_list exprs = {0};
        PUSH(p, exprs.items, exprs.n, exprs.cap, first);
        while (accept_op(p, "=")) {
            ast_expr *e = parse_exprlist(p);
            if (!e) return NULL;
            PUSH(p, exprs.items, exprs.n, exprs.cap, e);
        }
        ast_stmt *s = new_stmt(p, ST_ASSIGN, t);
        s->value = exprs.items[exprs.n - 1];
        if (!reject_bare_starred(p, s->value)) return NULL;
        s->targets = exprs.items;
        s->n_targets = exprs.n - 1;
        for (int i = 0; i < s->n_targets; i++)
            if (!check_target(p, s->targets[i], false)) return NULL;
        return s;
    }
    int aug = augassign_op(cur(p));
    if (aug >= 0) {
        if (first->kind != EX_NAME && first->kind != EX_ATTR && first->kind != EX_SUBSCRIPT)
            return error_at(p, t, "'%s' is an illegal expression for augmented assignment", expr_description(first));
        advance(p);
        ast_stmt *s = new_stmt(p, ST_AUGASSIGN, t);
        s->op = aug;
        s->targets = arena_alloc(p->a, sizeof *s->targets);
        s->targets[0] = first;
        s->n_targets = 1;
        if (!(s->value = parse_exprlist(p)) || !reject_bare_starred(p, s->value)) return NULL;
        return s;
    }
    if (is_op(cur(p), ":")) {
        if (first->kind == EX_TUPLE) return error_at(p, t, "only single target (not tuple) can be annotated");
        if (first->kind != EX_NAME && first->kind != EX_ATTR && first->kind != EX_SUBSCRIPT)
            return error_at(p, t, "illegal target for annotation");
        advance(p);
        ast_stmt *s = new_stmt(p, ST_ANNASSIGN, t);
        s->targets = arena_alloc(p->a, sizeof *s->targets);
        s->targets[0] = first;
        s->n_targets = 1;
        if (!(s->annotation = parse_expr(p))) return NULL;
        if (accept_op(p, "=") && (!(s->value = parse_exprlist(p)) || !reject_bare_starred(p, s->value)))
            return NULL;
        return s;
    }
    if (!reject_bare_starred(p, first)) return NULL;
    ast_stmt *s = new_stmt(p, ST_EXPR, t);
    s->value = first;
    return s;
}

static ast_stmt *parse_small_statement(parser *p) {
    const token *t = cur(p);
    const char *bad = unsupported_statement(t);
    if (bad) return unsupported(p, t, strcmp(bad, "from") == 0 ? "import" : bad);
    if (is_kw(t, "pass") || is_kw(t, "break") || is_kw(t, "continue")) {
        advance(p);
        return new_stmt(p, t->text[0] == 'p' ? ST_PASS : t->text[0] == 'b' ? ST_BREAK : ST_CONTINUE, t);
    }
    if (is_kw(t, "return")) {
        advance(p);
        ast_stmt *s = new_stmt(p, ST_RETURN, t);
        if (starts_expr(cur(p)) && (!(s->value = parse_exprlist(p)) || !reject_bare_starred(p, s->value)))
            return NULL;
        return s;
    }
    if (is_kw(t, "assert")) {
        advance(p);
        ast_stmt *s = new_stmt(p, ST_ASSERT, t);
        if (!(s->cond = parse_expr(p))) return NULL;
        if (accept_op(p, ",") && !(s->value = parse_expr(p))) return NULL;
        return s;
    }
    return parse_expr_statement(p);
}

/* small_stmt (';' small_stmt)* [';'] NEWLINE */
static bool parse_simple_statements(parser *p, stmt_list *out) {
    while (true) {
        ast_stmt *s = parse_small_statement(p);
        if (!s) return false;
        PUSH(p, out->items, out->n, out->cap, s);
        if (accept_op(p, ";")) {
            if (cur(p)->kind == TOK_NEWLINE) break;
            continue;
        }
        if (cur(p)->kind == TOK_NEWLINE || cur(p)->kind == TOK_END) break;
        error_at(p, cur(p), "invalid syntax");
        return false;
    }
    advance(p);  /* NEWLINE */
    return true;
}

/* The body after a compound statement's ':' — an indented block or one line. */
static bool parse_block(parser *p, ast_stmt ***body, int *n_body) {
    stmt_list list = {0};
    if (cur(p)->kind != TOK_NEWLINE) {
        if (!parse_simple_statements(p, &list)) return false;
    } else {
        advance(p);
        if (cur(p)->kind != TOK_INDENT) {
            error_at(p, cur(p), "expected an indented block");
            return false;
        }
        advance(p);
        if (++p->block_depth >= MAX_BLOCK_NESTING) {
            error_at(p, cur(p), "too many levels of indentation");
            return false;
        }
        while (cur(p)->kind != TOK_DEDENT && cur(p)->kind != TOK_END)
            if (!parse_statement(p, &list)) return false;
        advance(p);  /* DEDENT */
        p->block_depth--;
    }
    *body = list.items;
    *n_body = list.n;
    return true;
}

static bool expect_colon_block(parser *p, ast_stmt ***body, int *n_body) {
    return expect_op(p, ":") && parse_block(p, body, n_body);
}

/* if/elif/else; an elif chain is built iteratively (each elif nests in the previous orelse)
 * and counts towards the block nesting limit, since its depth is the tree's depth. */
static ast_stmt *parse_if(parser *p) {
    ast_stmt *top = NULL, *last = NULL;
    int elifs = 0;
    do {
        const token *t = cur(p);
        if (top) {
            /* this elif nests one level deeper, and its body one more */
            if (p->block_depth + 2 >= MAX_BLOCK_NESTING) return error_at(p, t, "too many elif branches");
            p->block_depth++;
            elifs++;
        }
        advance(p);
        ast_stmt *s = new_stmt(p, ST_IF, t);
        if (!(s->cond = parse_expr(p)) || !expect_colon_block(p, &s->body, &s->n_body)) return NULL;
        if (!top) {
            top = s;
        } else {
            last->orelse = arena_alloc(p->a, sizeof *last->orelse);
            last->orelse[0] = s;
            last->n_orelse = 1;
        }
        last = s;
    } while (is_kw(cur(p), "elif"));
    if (is_kw(cur(p), "else")) {
        advance(p);
        if (!expect_colon_block(p, &last->orelse, &last->n_orelse)) return NULL;
    }
    p->block_depth -= elifs;
    return top;
}

static ast_stmt *parse_loop(parser *p) {
    const token *t = cur(p);
    bool is_for = is_kw(t, "for");
    advance(p);
    ast_stmt *s = new_stmt(p, is_for ? ST_FOR : ST_WHILE, t);
    if (is_for) {
        ast_expr *target = parse_target_list(p);
        if (!target || !check_target(p, target, false)) return NULL;
        s->targets = arena_alloc(p->a, sizeof *s->targets);
        s->targets[0] = target;
        s->n_targets = 1;
        if (!is_kw(cur(p), "in")) return error_at(p, cur(p), "expected 'in'");
        advance(p);
        if (!(s->value = parse_exprlist(p))) return NULL;
    } else if (!(s->cond = parse_expr(p))) {
        return NULL;
    }
    if (!expect_colon_block(p, &s->body, &s->n_body)) return NULL;
    if (is_kw(cur(p), "else")) return unsupported(p, cur(p), is_for ? "for-else" : "while-else");
    return s;
}

static bool parse_statement(parser *p, stmt_list *out) {
    const token *t = cur(p);
    if (t->kind == TOK_INDENT) {
        error_at(p, t, "unexpected indent");
        return false;
    }
    ast_stmt *s;
    if (is_kw(t, "if")) {
        s = parse_if(p);
    } else if (is_kw(t, "for") || is_kw(t, "while")) {
        s = parse_loop(p);
    } else if (is_kw(t, "elif") || is_kw(t, "else") || is_kw(t, "except") || is_kw(t, "finally")) {
        s = error_at(p, t, "invalid syntax");
    } else {
        return parse_simple_statements(p, out);
    }
    if (!s) return false;
    PUSH(p, out->items, out->n, out->cap, s);
    return true;
}

/* ---- functions --------------------------------------------------------------------------- */

static bool annotation_is_constexpr(const ast_expr *e) {
    if (!e) return false;
    const char *last = e->kind == EX_NAME || e->kind == EX_ATTR ? e->name : NULL;
    if (e->kind == EX_STR) {  /* string annotation: "tl.constexpr" */
        last = strrchr(e->str, '.');
        last = last ? last + 1 : e->str;
    }
    return last && strcmp(last, "constexpr") == 0;
}

static bool parse_params(parser *p, ast_func *f) {
    int cap = 0, n_names = 0, cap_names = 0;
    const token **names = NULL;  /* parameter name tokens, to reject repeats */
    bool seen_default = false, seen_star = false;
    while (!is_op(cur(p), ")")) {
        const token *t = cur(p);
        ast_param prm;
        memset(&prm, 0, sizeof prm);
        prm.line = t->line;
        prm.col = t->col;
        bool named = true;
        if (is_op(t, "/") || is_op(t, "*") || is_op(t, "**")) {
            advance(p);
            bool stars = !is_op(t, "/");
            if (stars && is_plain_name(cur(p))) {
                prm.name = arena_printf(p->a, "%s%s", t->text, cur(p)->text);
                PUSH(p, names, n_names, cap_names, cur(p));
                advance(p);
            } else if (is_op(t, "**")) {
                error_at(p, cur(p), "expected parameter name");
                return false;
            } else {
                prm.name = t->text;
                named = false;
            }
            if (stars) seen_star = true;
        } else if (is_plain_name(t)) {
            prm.name = t->text;
            PUSH(p, names, n_names, cap_names, t);
            advance(p);
        } else {
            error_at(p, t, "invalid syntax");
            return false;
        }
        if (named && is_op(cur(p), ":")) {
            advance(p);
            /* `*args: *Ts` (PEP 646) */
            prm.annotation = prm.name[0] == '*' && prm.name[1] != '*' ? parse_star_expr(p) : parse_expr(p);
            if (!prm.annotation) return false;
            prm.is_constexpr = annotation_is_constexpr(prm.annotation);
        }
        if (named && prm.name[0] != '*' && accept_op(p, "=")) {
            if (!(prm.default_value = parse_expr(p))) return false;
            seen_default = true;
        } else if (named && prm.name[0] != '*' && seen_default && !seen_star) {
            error_at(p, t, "parameter without a default follows parameter with a default");
            return false;
        }
        PUSH(p, f->params, f->n_params, cap, prm);
        if (!accept_op(p, ",")) break;
    }
    if (!expect_op(p, ")")) return false;
    const token *repeat = first_repeated_name(p, names, n_names);
    if (repeat) {
        error_at(p, repeat, "duplicate argument '%s' in function definition", repeat->text);
        return false;
    }
    return true;
}

/* def NAME '(' params ')' ['->' expr] ':' block, for a jitted function. */
static ast_func *parse_function(parser *p, ast_decorator *decorators, int n_decorators) {
    const token *t = cur(p);
    advance(p);  /* def */
    if (!is_plain_name(cur(p))) return error_at(p, cur(p), "invalid syntax");
    ast_func *f = arena_alloc(p->a, sizeof *f);
    f->name = cur(p)->text;
    f->line = t->line;
    f->col = t->col;
    f->decorators = decorators;
    f->n_decorators = n_decorators;
    advance(p);
    if (!expect_op(p, "(") || !parse_params(p, f)) return NULL;
    if (accept_op(p, "->") && !parse_expr(p)) return NULL;
    if (!expect_colon_block(p, &f->body, &f->n_body)) return NULL;
    return f;
}

/* ---- module level ------------------------------------------------------------------------ */

static void add_alias(parser *p, const char *local, const char *target, int line) {
    PUSH(p, p->m->aliases, p->m->n_aliases, p->cap_aliases, ((ast_alias){local, target, line}));
}

/* NAME ('.' NAME)* as one string. */
static const char *parse_dotted(parser *p) {
    if (!is_plain_name(cur(p))) return error_at(p, cur(p), "invalid syntax");
    strbuf sb;
    strbuf_init(&sb);
    strbuf_append(&sb, cur(p)->text);
    advance(p);
    while (is_op(cur(p), ".") && is_plain_name(peek(p, 1))) {
        advance(p);
        strbuf_putc(&sb, '.');
        strbuf_append(&sb, cur(p)->text);
        advance(p);
    }
    const char *s = arena_strdup(p->a, strbuf_cstr(&sb));
    strbuf_free(&sb);
    return s;
}

/* import a.b [as c] (',' ...)* */
static bool parse_import(parser *p) {
    advance(p);
    do {
        const token *t = cur(p);
        const char *dotted = parse_dotted(p);
        if (!dotted) return false;
        if (is_kw(cur(p), "as")) {
            advance(p);
            if (!is_plain_name(cur(p))) return error_at(p, cur(p), "invalid syntax") != NULL;
            add_alias(p, cur(p)->text, dotted, t->line);
            advance(p);
        } else {
            const char *top = arena_strndup(p->a, dotted, strcspn(dotted, "."));
            add_alias(p, top, top, t->line);
        }
    } while (accept_op(p, ","));
    return true;
}

/* from [.]* [a.b] import (c [as d], ... | '(' ... ')' | '*') */
static bool parse_from_import(parser *p) {
    advance(p);
    strbuf module;
    strbuf_init(&module);
    while (is_op(cur(p), ".") || is_op(cur(p), "...")) {
        strbuf_append(&module, cur(p)->text);
        advance(p);
    }
    size_t dots = module.len;
    if (is_plain_name(cur(p))) {
        const char *dotted = parse_dotted(p);
        strbuf_append(&module, dotted);
        strbuf_putc(&module, '.');
    } else if (dots == 0) {
        strbuf_free(&module);
        return error_at(p, cur(p), "invalid syntax") != NULL;
    }
    const char *prefix = arena_strdup(p->a, strbuf_cstr(&module));
    strbuf_free(&module);
    if (!is_kw(cur(p), "import")) return error_at(p, cur(p), "expected 'import'") != NULL;
    advance(p);
    if (accept_op(p, "*")) return true;  /* binds names we cannot know */
    bool paren = accept_op(p, "(");
    do {
        if (paren && is_op(cur(p), ")")) break;
        const token *t = cur(p);
        if (!is_plain_name(t)) return error_at(p, t, "invalid syntax") != NULL;
        const char *target = arena_printf(p->a, "%s%s", prefix, t->text);
        advance(p);
        const char *local = t->text;
        if (is_kw(cur(p), "as")) {
            advance(p);
            if (!is_plain_name(cur(p))) return error_at(p, cur(p), "invalid syntax") != NULL;
            local = cur(p)->text;
            advance(p);
        }
        add_alias(p, local, target, t->line);
    } while (accept_op(p, ","));
    return !paren || expect_op(p, ")");
}

static bool at_statement_end(const parser *p) {
    const token *t = cur(p);
    return t->kind == TOK_NEWLINE || t->kind == TOK_END || is_op(t, ";");
}

/* Skips to the end of the current simple statement (';' or NEWLINE, not consumed). */
static void skip_small_statement(parser *p) {
    while (!at_statement_end(p)) advance(p);
}

/* NAME [: annotation] = [NAME =]* expr  — a constant when everything parses. */
static void try_constant(parser *p) {
    speculation spec;
    spec_begin(p, &spec);
    const token *names[64];
    int n_names = 0;
    if (is_op(peek(p, 1), ":")) {
        names[n_names++] = cur(p);
        advance(p);
        advance(p);
        if (!parse_expr(p) || !is_op(cur(p), "=")) p->failed = true;
        advance(p);
    } else {
        while (n_names < 64 && is_plain_name(cur(p)) && is_op(peek(p, 1), "=")) {
            names[n_names++] = cur(p);
            advance(p);
            advance(p);
        }
    }
    ast_expr *value = p->failed ? NULL : parse_exprlist(p);
    bool ok = value && !p->failed && at_statement_end(p) && value->kind != EX_STARRED;
    spec_end(p, &spec, ok);
    if (!ok) {
        skip_small_statement(p);
        return;
    }
    for (int i = 0; i < n_names; i++)
        PUSH(p, p->m->consts, p->m->n_consts, p->cap_consts,
             ((ast_const){names[i]->text, value, names[i]->line, names[i]->col}));
}

/* Skips the block after a line ending in ':' (cursor on its INDENT). */
static void skip_block(parser *p) {
    int depth = 0;
    do {
        if (cur(p)->kind == TOK_INDENT) depth++;
        else if (cur(p)->kind == TOK_DEDENT) depth--;
        else if (cur(p)->kind == TOK_END) return;
        advance(p);
    } while (depth > 0);
}

/* Skips the rest of a logical line and, when it ends in ':', the block it opens. */
static bool skip_statement(parser *p) {
    const token *last = NULL;
    while (cur(p)->kind != TOK_NEWLINE && cur(p)->kind != TOK_END) {
        last = cur(p);
        advance(p);
    }
    advance(p);
    if (last && is_op(last, ":")) {
        if (cur(p)->kind != TOK_INDENT) return error_at(p, cur(p), "expected an indented block") != NULL;
        skip_block(p);
    }
    return true;
}

/* A line of simple statements at module level: imports and constants are kept, anything
 * else is skipped up to the next ';' — and when the line ends in ':' (`match x:`), its block. */
static bool module_simple_line(parser *p) {
    while (true) {
        const token *t = cur(p);
        if (is_kw(t, "import")) {
            if (!parse_import(p)) return false;
        } else if (is_kw(t, "from")) {
            if (!parse_from_import(p)) return false;
        } else if (is_plain_name(t) && (is_op(peek(p, 1), "=") || is_op(peek(p, 1), ":"))) {
            try_constant(p);
        } else {
            skip_small_statement(p);
        }
        if (accept_op(p, ";")) {
            if (cur(p)->kind == TOK_NEWLINE) break;
            continue;
        }
        if (cur(p)->kind == TOK_NEWLINE || cur(p)->kind == TOK_END) break;
        return error_at(p, cur(p), "invalid syntax") != NULL;
    }
    bool opens_block = p->pos > 0 && is_op(&p->toks[p->pos - 1], ":");
    advance(p);
    if (opens_block) {
        if (cur(p)->kind != TOK_INDENT) return error_at(p, cur(p), "expected an indented block") != NULL;
        skip_block(p);
    }
    return true;
}

static bool resolves_to_triton_jit(parser *p, const char *dotted) {
    size_t head = strcspn(dotted, ".");
    char *first = arena_strndup(p->a, dotted, head);
    const char *target = ast_alias_target(p->m, first);
    const char *full = target ? arena_printf(p->a, "%s%s", target, dotted + head) : dotted;
    return strcmp(full, "triton.jit") == 0 || strcmp(full, "triton.runtime.jit") == 0 ||
           strcmp(full, "triton.runtime.jit.jit") == 0;
}

/* Skips a bracketed group starting at the cursor (the lexer guarantees it is balanced). */
static void skip_brackets(parser *p) {
    int depth = 0;
    do {
        const token *t = cur(p);
        if (t->kind == TOK_END) return;
        if (is_op(t, "(") || is_op(t, "[") || is_op(t, "{")) depth++;
        else if (is_op(t, ")") || is_op(t, "]") || is_op(t, "}")) depth--;
        advance(p);
    } while (depth > 0);
}

/* '@' lines, then the def (parsed when jitted, skipped otherwise) or class. */
static bool module_decorated(parser *p) {
    ast_decorator *decs = NULL;
    int n = 0, cap = 0;
    bool jit = false;
    while (is_op(cur(p), "@")) {
        const token *at = cur(p);
        advance(p);
        ast_decorator d = {"", false, at->line, at->col};
        bool plain = is_plain_name(cur(p));
        if (plain) d.dotted = parse_dotted(p);
        if (is_op(cur(p), "(")) {
            d.is_call = true;
            skip_brackets(p);  /* arguments hold lambdas, dicts, comprehensions: never parsed */
        }
        if (cur(p)->kind != TOK_NEWLINE) {
            plain = false;  /* a general expression decorator such as @a[0].b */
            while (cur(p)->kind != TOK_NEWLINE && cur(p)->kind != TOK_END) advance(p);
        }
        advance(p);
        if (plain && resolves_to_triton_jit(p, d.dotted)) jit = true;
        PUSH(p, decs, n, cap, d);
    }
    const token *t = cur(p);
    if (is_kw(t, "def") && jit) {
        ast_func *f = parse_function(p, decs, n);
        if (!f) return false;
        PUSH(p, p->m->funcs, p->m->n_funcs, p->cap_funcs, f);
        return true;
    }
    if (is_kw(t, "def") || is_kw(t, "class") || is_kw(t, "async")) return skip_statement(p);
    return error_at(p, t, "invalid syntax") != NULL;
}

/* Module statements until END (or, inside a try body, the closing DEDENT). */
static bool walk_module(parser *p) {
    while (true) {
        const token *t = cur(p);
        bool ok;
        if (t->kind == TOK_END || t->kind == TOK_DEDENT) return true;
        if (t->kind == TOK_INDENT) return error_at(p, t, "unexpected indent") != NULL;
        if (t->kind == TOK_NEWLINE) {
            advance(p);
            continue;
        }
        if (is_op(t, "@")) {
            ok = module_decorated(p);
        } else if (is_kw(t, "try") && is_op(peek(p, 1), ":") && peek(p, 2)->kind == TOK_NEWLINE &&
                   peek(p, 3)->kind == TOK_INDENT) {
            /* the try body runs at import time: its imports and kernels are module-level */
            for (int i = 0; i < 4; i++) advance(p);
            if (++p->block_depth >= MAX_BLOCK_NESTING) return error_at(p, cur(p), "too many levels of indentation") != NULL;
            ok = walk_module(p);
            p->block_depth--;
            advance(p);  /* DEDENT */
        } else if (is_kw(t, "import") || is_kw(t, "from") || is_plain_name(t)) {
            ok = module_simple_line(p);
        } else {
            ok = skip_statement(p);
        }
        if (!ok || p->failed) return false;
    }
}

static void init_parser(parser *p, arena *a, const char *file, const token_list *toks, diag *err, const char *where) {
    memset(p, 0, sizeof *p);
    p->a = a;
    p->file = file;
    p->toks = toks->items;
    p->n = toks->len;
    p->err = err;
    p->where = where;
}

ast_module *parse_module(arena *a, const char *file, const char *src, size_t len, diag *err) {
    token_list toks;
    if (!lex_python(a, file, src, len, &toks, err)) return NULL;
    parser p;
    init_parser(&p, a, file, &toks, err, "in a @triton.jit function");
    p.m = arena_alloc(a, sizeof *p.m);
    p.m->file = file ? arena_strdup(a, file) : NULL;
    if (!walk_module(&p) || p.failed) return NULL;
    return p.m;
}

ast_module *parse_file(arena *a, const char *path, diag *err) {
    size_t len = 0;
    char *src = file_read(a, path, &len);
    if (!src) {
        int e = errno;
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(e));
        return NULL;
    }
    return parse_module(a, path, src, len, err);
}

/* Moves a position in the expression text to its place in the enclosing file. */
static void shift_position(int *line, int *col, int line0, int col0) {
    if (*line == 1) *col += col0 - 1;
    *line += line0 - 1;
}

ast_expr *parse_expression(arena *a, const char *file, int line, int col, const char *text, diag *err) {
    if (line < 1) line = 1;
    if (col < 1) col = 1;
    token_list toks;
    diag lex_err;
    memset(&lex_err, 0, sizeof lex_err);
    if (!lex_python(a, file, text, strlen(text), &toks, &lex_err)) {
        shift_position(&lex_err.line, &lex_err.col, line, col);
        diag_set(err, lex_err.kind, lex_err.file, lex_err.line, lex_err.col, "%s", lex_err.message);
        return NULL;
    }
    for (size_t i = 0; i < toks.len; i++) shift_position(&toks.items[i].line, &toks.items[i].col, line, col);
    parser p;
    init_parser(&p, a, file, &toks, err, "in this expression");
    while (cur(&p)->kind == TOK_INDENT) advance(&p);  /* leading whitespace */
    const token *t = cur(&p);
    if (t->kind == TOK_NEWLINE || t->kind == TOK_END || t->kind == TOK_DEDENT)
        return error_at(&p, t, "expected an expression");
    ast_expr *e = parse_exprlist(&p);
    if (!e || !reject_bare_starred(&p, e)) return NULL;
    while (cur(&p)->kind == TOK_NEWLINE || cur(&p)->kind == TOK_DEDENT) advance(&p);
    if (cur(&p)->kind != TOK_END) return error_at(&p, cur(&p), "invalid syntax");
    return e;
}
