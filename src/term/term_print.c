/* term_print: renders terms in the formula language's text syntax, one term at a time
 * (term_print) or a set of roots with shared subterms bound to %k names (term_print_dag).
 * Both walk the term with an explicit stack, so the depth of a term is not limited by the
 * C stack (a 10^5-long chain of additions prints fine). */
#include "term/term.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- operator syntax -------------------------------------------------------------------- */

/* Precedence levels, loosest first. */
enum {
    PREC_TOP = 0,   /* a whole expression or a function argument: never parenthesised */
    PREC_OR = 1, PREC_AND, PREC_NOT, PREC_CMP, PREC_ADD, PREC_MUL, PREC_NEG, PREC_POW, PREC_ATOM
};

typedef enum syntax_kind { SYN_INFIX, SYN_PREFIX, SYN_CALL, SYN_LEAF } syntax_kind;
typedef struct op_syntax { syntax_kind kind; const char *text; int prec; } op_syntax;

static op_syntax syntax_of(term_op op) {
    switch (op) {
    case T_ADD: return (op_syntax){SYN_INFIX, " + ", PREC_ADD};
    case T_SUB: return (op_syntax){SYN_INFIX, " - ", PREC_ADD};
    case T_MUL: return (op_syntax){SYN_INFIX, " * ", PREC_MUL};
    case T_DIV: return (op_syntax){SYN_INFIX, " / ", PREC_MUL};
    case T_FLOORDIV: return (op_syntax){SYN_INFIX, " // ", PREC_MUL};
    case T_MOD: return (op_syntax){SYN_INFIX, " % ", PREC_MUL};
    case T_POW: return (op_syntax){SYN_INFIX, " ^ ", PREC_POW};
    case T_LT: return (op_syntax){SYN_INFIX, " < ", PREC_CMP};
    case T_LE: return (op_syntax){SYN_INFIX, " <= ", PREC_CMP};
    case T_EQ: return (op_syntax){SYN_INFIX, " == ", PREC_CMP};
    case T_NE: return (op_syntax){SYN_INFIX, " != ", PREC_CMP};
    case T_AND: return (op_syntax){SYN_INFIX, " and ", PREC_AND};
    case T_OR: return (op_syntax){SYN_INFIX, " or ", PREC_OR};
    case T_NEG: return (op_syntax){SYN_PREFIX, "-", PREC_NEG};
    case T_NOT: return (op_syntax){SYN_PREFIX, "not ", PREC_NOT};
    case T_TRUNCDIV: return (op_syntax){SYN_CALL, "tdiv", PREC_ATOM};
    case T_TRUNCMOD: return (op_syntax){SYN_CALL, "tmod", PREC_ATOM};
    case T_MAX: return (op_syntax){SYN_CALL, "max", PREC_ATOM};
    case T_MIN: return (op_syntax){SYN_CALL, "min", PREC_ATOM};
    case T_ABS: return (op_syntax){SYN_CALL, "abs", PREC_ATOM};
    case T_EXP: return (op_syntax){SYN_CALL, "exp", PREC_ATOM};
    case T_EXP2: return (op_syntax){SYN_CALL, "exp2", PREC_ATOM};
    case T_LOG: return (op_syntax){SYN_CALL, "log", PREC_ATOM};
    case T_LOG2: return (op_syntax){SYN_CALL, "log2", PREC_ATOM};
    case T_SQRT: return (op_syntax){SYN_CALL, "sqrt", PREC_ATOM};
    case T_RSQRT: return (op_syntax){SYN_CALL, "rsqrt", PREC_ATOM};
    case T_SIGMOID: return (op_syntax){SYN_CALL, "sigmoid", PREC_ATOM};
    case T_ERF: return (op_syntax){SYN_CALL, "erf", PREC_ATOM};
    case T_TANH: return (op_syntax){SYN_CALL, "tanh", PREC_ATOM};
    case T_SIN: return (op_syntax){SYN_CALL, "sin", PREC_ATOM};
    case T_COS: return (op_syntax){SYN_CALL, "cos", PREC_ATOM};
    case T_TO_REAL: return (op_syntax){SYN_CALL, "float", PREC_ATOM};
    case T_TO_INT: return (op_syntax){SYN_CALL, "int", PREC_ATOM};
    case T_SELECT: return (op_syntax){SYN_CALL, "where", PREC_ATOM};
    default: return (op_syntax){SYN_LEAF, "", PREC_ATOM};
    }
}

/* ---- constants -------------------------------------------------------------------------- */

/* The shortest %g rendering of v that reads back as v, except that numbers below 1e17 whose
 * shortest form would be exponential only because they are large (100 -> "1e+02") are
 * written out in full ("100"). Small ones keep %g's style: 1e-05. */
static void format_real(double v, char *buf, size_t size) {
    if (isinf(v)) {
        snprintf(buf, size, "%s", v > 0 ? "inf" : "-inf");
        return;
    }
    int digits = 1;
    for (; digits < 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) break;
    }
    char sci[40];
    snprintf(sci, sizeof sci, "%.*e", digits - 1, v);
    int exponent = atoi(strchr(sci, 'e') + 1);
    if (exponent >= digits && exponent < 17) digits = exponent + 1;
    snprintf(buf, size, "%.*g", digits, v);
}

/* ---- the printer ------------------------------------------------------------------------ */

typedef struct print_task {
    const char *text;     /* a literal to emit, or NULL to print the term */
    term_id t;
    uint8_t min_prec;     /* parenthesise t if its precedence is lower */
    bool expand;          /* print t's body even if it is bound to a %k name */
} print_task;

typedef struct printer {
    const term_store *s;
    const uint32_t *names;   /* per term id: k if bound to %k, else 0; NULL when none */
    print_task *stack;
    size_t len, cap;
    strbuf *out;
} printer;

static void push(printer *p, print_task task) {
    if (p->len == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->stack = xrealloc(p->stack, p->cap * sizeof *p->stack);
    }
    p->stack[p->len++] = task;
}

static void push_text(printer *p, const char *text) { push(p, (print_task){text, 0, 0, false}); }
static void push_term(printer *p, term_id t, int min_prec) {
    push(p, (print_task){NULL, t, (uint8_t)min_prec, false});
}

static void print_leaf(printer *p, const term_node *n, int min_prec) {
    char buf[64];
    bool negative = false;
    if (n->op == T_VAR) {
        const term_variable *v = term_var_info(p->s, n->u.var);
        strbuf_append(p->out, v->name);
        for (int i = 0; i < v->rank; i++)
            strbuf_printf(p->out, "%c%" PRId64, i ? ',' : '[', v->index[i]);
        if (v->rank > 0) strbuf_putc(p->out, ']');
        return;
    }
    if (n->type == TY_REAL) {
        format_real(n->u.cval, buf, sizeof buf);
        negative = n->u.cval < 0;
    } else if (n->type == TY_INT) {
        snprintf(buf, sizeof buf, "%" PRId64, n->u.ival);
        negative = n->u.ival < 0;
    } else {
        snprintf(buf, sizeof buf, "%s", n->u.ival ? "true" : "false");
    }
    /* a negative constant as an operand reads as an operator: x - (-1), (-2) ^ x */
    bool parens = negative && min_prec > PREC_TOP;
    if (parens) strbuf_putc(p->out, '(');
    strbuf_append(p->out, buf);
    if (parens) strbuf_putc(p->out, ')');
}

/* Expands one term task: leaves are written at once, operators push their pieces (in
 * reverse, as the stack is last-in first-out). */
static void print_step(printer *p, print_task task) {
    const term_node *n = term_get(p->s, task.t);
    if (!n) {
        strbuf_append(p->out, "<none>");
        return;
    }
    if (p->names && p->names[task.t] && !task.expand) {
        strbuf_printf(p->out, "%%%" PRIu32, p->names[task.t]);
        return;
    }
    op_syntax syn = syntax_of((term_op)n->op);
    if (syn.kind == SYN_LEAF) {
        print_leaf(p, n, task.min_prec);
        return;
    }
    bool parens = syn.prec < task.min_prec;
    if (parens) push_text(p, ")");
    switch (syn.kind) {
    case SYN_INFIX: {
        /* left-associative by default; ^ groups to the right; comparisons do not chain */
        int left = syn.prec, right = syn.prec + 1;
        if (n->op == T_POW) left = syn.prec + 1, right = syn.prec;
        if (syn.prec == PREC_CMP) left = right = syn.prec + 1;
        push_term(p, n->args[1], right);
        push_text(p, syn.text);
        push_term(p, n->args[0], left);
        break;
    }
    case SYN_PREFIX:
        push_term(p, n->args[0], syn.prec);
        push_text(p, syn.text);
        break;
    default:   /* SYN_CALL */
        push_text(p, ")");
        for (int i = n->n_args - 1; i >= 0; i--) {
            push_term(p, n->args[i], PREC_TOP);
            if (i > 0) push_text(p, ", ");
        }
        push_text(p, "(");
        push_text(p, syn.text);
        break;
    }
    if (parens) push_text(p, "(");
}

static void print_with(printer *p, term_id t, bool expand) {
    push(p, (print_task){NULL, t, PREC_TOP, expand});
    while (p->len > 0) {
        print_task task = p->stack[--p->len];
        if (task.text) strbuf_append(p->out, task.text);
        else print_step(p, task);
    }
}

void term_print(const term_store *s, term_id t, strbuf *out) {
    printer p = {s, NULL, NULL, 0, 0, out};
    print_with(&p, t, false);
    free(p.stack);
}

/* ---- DAG printing ----------------------------------------------------------------------- */

typedef struct walk_frame { term_id t; int next_arg; } walk_frame;

/* Counts, for every node reachable from the roots, how often it appears in the printed text
 * if every node were printed once: once per root naming it plus once per distinct parent
 * argument slot. (A parent printed more than once is unbound, so of size <= 3, and then its
 * arguments are leaves, which are never bound: the count is exact for what gets bound.) */
static void count_references(const term_store *s, const term_id *roots, int n, uint32_t *refs) {
    uint8_t *seen = xcalloc(term_store_size(s) + 1, 1);
    VEC(term_id) todo = {0};
    for (int i = 0; i < n; i++) {
        if (!term_get(s, roots[i])) continue;
        refs[roots[i]]++;
        if (!seen[roots[i]]) {
            seen[roots[i]] = 1;
            vec_push(&todo, roots[i]);
        }
    }
    while (todo.len > 0) {
        const term_node *node = term_get(s, todo.items[--todo.len]);
        for (int i = 0; i < node->n_args; i++) {
            term_id a = node->args[i];
            refs[a]++;
            if (!seen[a]) {
                seen[a] = 1;
                vec_push(&todo, a);
            }
        }
    }
    vec_free(&todo);
    free(seen);
}

void term_print_dag(const term_store *s, const term_id *roots, int n, const char **root_names,
                    strbuf *out) {
    size_t n_ids = term_store_size(s) + 1;
    uint32_t *refs = xcalloc(n_ids, sizeof *refs);
    uint32_t *names = xcalloc(n_ids, sizeof *names);
    uint8_t *done = xcalloc(n_ids, 1);
    count_references(s, roots, n, refs);

    printer p = {s, names, NULL, 0, 0, out};
    VEC(walk_frame) path = {0};   /* the current root-to-node path of the post-order walk */
    uint32_t n_bound = 0;
    for (int r = 0; r < n; r++) {
        /* bind the shared subterms first reached from this root, innermost first, so each
         * binding's body refers only to earlier bindings */
        if (term_get(s, roots[r]) && !done[roots[r]]) vec_push(&path, ((walk_frame){roots[r], 0}));
        while (path.len > 0) {
            walk_frame *top = &path.items[path.len - 1];
            const term_node *node = term_get(s, top->t);
            if (top->next_arg < node->n_args) {
                term_id a = node->args[top->next_arg++];
                if (!done[a]) vec_push(&path, ((walk_frame){a, 0}));   /* may move top */
                continue;
            }
            term_id t = top->t;
            path.len--;
            done[t] = 1;
            if (node->n_args > 0 && node->size > 3 && refs[t] >= 2) {
                names[t] = ++n_bound;
                strbuf_printf(out, "%%%" PRIu32 " = ", n_bound);
                print_with(&p, t, true);
                strbuf_putc(out, '\n');
            }
        }
        if (root_names && root_names[r]) strbuf_append(out, root_names[r]);
        else strbuf_printf(out, "root%d", r);
        strbuf_append(out, " = ");
        print_with(&p, roots[r], false);
        strbuf_putc(out, '\n');
    }
    vec_free(&path);
    free(p.stack);
    free(done);
    free(names);
    free(refs);
}
