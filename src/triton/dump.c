/* dump: the text form of a parsed module (`vlift parse`) and of expressions. Expressions are
 * printed as fully parenthesised Python source, so precedence is visible and the output is a
 * stable, deterministic thing to compare in tests. */
#include "triton/parse.h"
#include "util/strbuf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Python-repr-like quoting: single quotes unless the text holds one and no double quote. */
static void dump_string(strbuf *out, const char *s, bool is_fstring) {
    char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
    if (is_fstring) strbuf_putc(out, 'f');
    strbuf_putc(out, q);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\') strbuf_append(out, "\\\\");
        else if (c == (unsigned char)q) strbuf_printf(out, "\\%c", q);
        else if (c == '\n') strbuf_append(out, "\\n");
        else if (c == '\t') strbuf_append(out, "\\t");
        else if (c == '\r') strbuf_append(out, "\\r");
        else if (c < 0x20 || c == 0x7F) strbuf_printf(out, "\\x%02x", c);
        else strbuf_putc(out, (char)c);
    }
    strbuf_putc(out, q);
}

/* Python's repr of a float: the shortest digits that read back as the same double, in fixed
 * notation for exponents -4..15 and scientific otherwise. */
static void dump_float(strbuf *out, double v) {
    if (isinf(v)) {
        strbuf_append(out, v > 0 ? "inf" : "-inf");
        return;
    }
    if (isnan(v)) {
        strbuf_append(out, "nan");
        return;
    }
    char buf[400];
    int digits = 0;  /* digits after the point in scientific form */
    for (; digits < 17; digits++) {
        snprintf(buf, sizeof buf, "%.*e", digits, v);
        if (strtod(buf, NULL) == v) break;
    }
    int exp = atoi(strchr(buf, 'e') + 1);
    if (exp >= -4 && exp < 16) {
        int decimals = digits - exp > 0 ? digits - exp : 0;
        snprintf(buf, sizeof buf, "%.*f", decimals, v);
        strbuf_append(out, buf);
        if (decimals == 0) strbuf_append(out, ".0");
    } else {
        strbuf_append(out, buf);
    }
}

static void dump_items(const ast_expr *e, strbuf *out) {
    for (int i = 0; i < e->n_items; i++) {
        if (i) strbuf_append(out, ", ");
        ast_dump_expr(e->items[i], out);
    }
}

static void dump_slice(const ast_expr *e, strbuf *out) {
    if (e->slice[0]) ast_dump_expr(e->slice[0], out);
    strbuf_putc(out, ':');
    if (e->slice[1]) ast_dump_expr(e->slice[1], out);
    if (e->slice[2]) {
        strbuf_putc(out, ':');
        ast_dump_expr(e->slice[2], out);
    }
}

void ast_dump_expr(const ast_expr *e, strbuf *out) {
    if (!e) {
        strbuf_append(out, "<null>");
        return;
    }
    switch (e->kind) {
    case EX_NAME:
        strbuf_append(out, e->name);
        break;
    case EX_INT:
        if (e->ival < 0) strbuf_printf(out, "%llu", (unsigned long long)e->ival);  /* a uint64 literal */
        else strbuf_printf(out, "%lld", (long long)e->ival);
        break;
    case EX_FLOAT:
        dump_float(out, e->fval);
        break;
    case EX_STR:
        dump_string(out, e->str ? e->str : "", e->is_fstring);
        break;
    case EX_BOOL:
        strbuf_append(out, e->ival ? "True" : "False");
        break;
    case EX_NONE:
        strbuf_append(out, "None");
        break;
    case EX_ELLIPSIS:
        strbuf_append(out, "...");
        break;
    case EX_ATTR:
        ast_dump_expr(e->lhs, out);
        strbuf_printf(out, ".%s", e->name);
        break;
    case EX_CALL:
        ast_dump_expr(e->lhs, out);
        strbuf_putc(out, '(');
        dump_items(e, out);
        for (int i = 0; i < e->n_kwargs; i++) {
            if (i || e->n_items) strbuf_append(out, ", ");
            if (e->kwargs[i].name) strbuf_printf(out, "%s=", e->kwargs[i].name);
            else strbuf_append(out, "**");
            ast_dump_expr(e->kwargs[i].value, out);
        }
        strbuf_putc(out, ')');
        break;
    case EX_SUBSCRIPT:
        ast_dump_expr(e->lhs, out);
        strbuf_putc(out, '[');
        dump_items(e, out);
        strbuf_putc(out, ']');
        break;
    case EX_SLICE:
        dump_slice(e, out);
        break;
    case EX_BINOP:
        strbuf_putc(out, '(');
        ast_dump_expr(e->lhs, out);
        strbuf_printf(out, " %s ", binop_symbol((binop_kind)e->op));
        ast_dump_expr(e->rhs, out);
        strbuf_putc(out, ')');
        break;
    case EX_UNARY:
        strbuf_printf(out, e->op == UN_NOT ? "(%s " : "(%s", unary_symbol((unary_kind)e->op));
        ast_dump_expr(e->lhs, out);
        strbuf_putc(out, ')');
        break;
    case EX_COMPARE:
        strbuf_putc(out, '(');
        for (int i = 0; i < e->n_items; i++) {
            if (i) strbuf_printf(out, " %s ", cmp_symbol(e->cmp_ops[i - 1]));
            ast_dump_expr(e->items[i], out);
        }
        strbuf_putc(out, ')');
        break;
    case EX_BOOLOP:
        strbuf_putc(out, '(');
        for (int i = 0; i < e->n_items; i++) {
            if (i) strbuf_append(out, e->op ? " or " : " and ");
            ast_dump_expr(e->items[i], out);
        }
        strbuf_putc(out, ')');
        break;
    case EX_IFEXP:
        strbuf_putc(out, '(');
        ast_dump_expr(e->lhs, out);
        strbuf_append(out, " if ");
        ast_dump_expr(e->cond, out);
        strbuf_append(out, " else ");
        ast_dump_expr(e->rhs, out);
        strbuf_putc(out, ')');
        break;
    case EX_TUPLE:
        strbuf_putc(out, '(');
        dump_items(e, out);
        if (e->n_items == 1) strbuf_putc(out, ',');
        strbuf_putc(out, ')');
        break;
    case EX_LIST:
        strbuf_putc(out, '[');
        dump_items(e, out);
        strbuf_putc(out, ']');
        break;
    case EX_DICT:
        strbuf_putc(out, '{');
        for (int i = 0; i + 1 < e->n_items; i += 2) {
            if (i) strbuf_append(out, ", ");
            ast_dump_expr(e->items[i], out);
            strbuf_append(out, ": ");
            ast_dump_expr(e->items[i + 1], out);
        }
        strbuf_putc(out, '}');
        break;
    case EX_STARRED:
        strbuf_putc(out, '*');
        ast_dump_expr(e->lhs, out);
        break;
    }
}

static void indent(strbuf *out, int level) {
    for (int i = 0; i < level; i++) strbuf_append(out, "  ");
}

static void dump_body(ast_stmt *const *body, int n, int level, strbuf *out);

static void dump_targets_and_value(const ast_stmt *s, strbuf *out) {
    for (int i = 0; i < s->n_targets; i++) {
        ast_dump_expr(s->targets[i], out);
        strbuf_append(out, " = ");
    }
    ast_dump_expr(s->value, out);
}

static void dump_stmt(const ast_stmt *s, int level, strbuf *out) {
    indent(out, level);
    switch (s->kind) {
    case ST_EXPR:
        ast_dump_expr(s->value, out);
        break;
    case ST_ASSIGN:
        dump_targets_and_value(s, out);
        break;
    case ST_AUGASSIGN:
        ast_dump_expr(s->targets[0], out);
        strbuf_printf(out, " %s= ", binop_symbol((binop_kind)s->op));
        ast_dump_expr(s->value, out);
        break;
    case ST_ANNASSIGN:
        ast_dump_expr(s->targets[0], out);
        strbuf_append(out, ": ");
        ast_dump_expr(s->annotation, out);
        if (s->value) {
            strbuf_append(out, " = ");
            ast_dump_expr(s->value, out);
        }
        break;
    case ST_IF: {
        /* an orelse holding exactly one if is printed as elif, iteratively */
        const ast_stmt *branch = s;
        strbuf_append(out, "if ");
        while (true) {
            ast_dump_expr(branch->cond, out);
            strbuf_append(out, ":\n");
            dump_body(branch->body, branch->n_body, level + 1, out);
            if (branch->n_orelse == 1 && branch->orelse[0]->kind == ST_IF) {
                branch = branch->orelse[0];
                indent(out, level);
                strbuf_append(out, "elif ");
                continue;
            }
            if (branch->n_orelse > 0) {
                indent(out, level);
                strbuf_append(out, "else:\n");
                dump_body(branch->orelse, branch->n_orelse, level + 1, out);
            }
            return;
        }
    }
    case ST_FOR:
        strbuf_append(out, "for ");
        ast_dump_expr(s->targets[0], out);
        strbuf_append(out, " in ");
        ast_dump_expr(s->value, out);
        strbuf_append(out, ":\n");
        dump_body(s->body, s->n_body, level + 1, out);
        return;
    case ST_WHILE:
        strbuf_append(out, "while ");
        ast_dump_expr(s->cond, out);
        strbuf_append(out, ":\n");
        dump_body(s->body, s->n_body, level + 1, out);
        return;
    case ST_RETURN:
        strbuf_append(out, "return");
        if (s->value) {
            strbuf_putc(out, ' ');
            ast_dump_expr(s->value, out);
        }
        break;
    case ST_PASS:
        strbuf_append(out, "pass");
        break;
    case ST_BREAK:
        strbuf_append(out, "break");
        break;
    case ST_CONTINUE:
        strbuf_append(out, "continue");
        break;
    case ST_ASSERT:
        strbuf_append(out, "assert ");
        ast_dump_expr(s->cond, out);
        if (s->value) {
            strbuf_append(out, ", ");
            ast_dump_expr(s->value, out);
        }
        break;
    }
    strbuf_putc(out, '\n');
}

static void dump_body(ast_stmt *const *body, int n, int level, strbuf *out) {
    for (int i = 0; i < n; i++) dump_stmt(body[i], level, out);
}

static void dump_param(const ast_param *prm, strbuf *out) {
    strbuf_append(out, prm->name);
    if (prm->annotation) {
        strbuf_append(out, ": ");
        ast_dump_expr(prm->annotation, out);
    }
    if (prm->default_value) {
        strbuf_append(out, prm->annotation ? " = " : "=");
        ast_dump_expr(prm->default_value, out);
    }
}

static void dump_func(const ast_func *f, strbuf *out) {
    for (int i = 0; i < f->n_decorators; i++)
        strbuf_printf(out, "@%s%s\n", f->decorators[i].dotted, f->decorators[i].is_call ? "(...)" : "");
    strbuf_printf(out, "def %s(", f->name);
    for (int i = 0; i < f->n_params; i++) {
        if (i) strbuf_append(out, ", ");
        dump_param(&f->params[i], out);
    }
    strbuf_printf(out, "):  # line %d\n", f->line);
    dump_body(f->body, f->n_body, 1, out);
}

void ast_dump_module(const ast_module *m, strbuf *out) {
    for (int i = 0; i < m->n_aliases; i++)
        strbuf_printf(out, "import %s = %s\n", m->aliases[i].local, m->aliases[i].target);
    for (int i = 0; i < m->n_consts; i++) {
        strbuf_printf(out, "const %s = ", m->consts[i].name);
        ast_dump_expr(m->consts[i].value, out);
        strbuf_putc(out, '\n');
    }
    for (int i = 0; i < m->n_funcs; i++) {
        if (i > 0 || m->n_aliases > 0 || m->n_consts > 0) strbuf_putc(out, '\n');
        dump_func(m->funcs[i], out);
    }
}
