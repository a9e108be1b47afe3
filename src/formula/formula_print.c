/* formula_print: the text and LaTeX printers of the formula language. Text is canonical —
 * minimal parentheses by precedence, fixed spacing, shortest round-trip numbers — so that
 * printing a parsed formula is a fixed point and parses back to an equal formula. LaTeX is
 * for paper tables (math-mode content without the surrounding $). The PyTorch printer lives
 * in formula_pytorch.c. */
#include "formula/formula_internal.h"
#include "util/strbuf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Precedence levels, loosest first (formula.h). */
enum {
    PREC_TOP = 0, PREC_OR, PREC_AND, PREC_NOT, PREC_CMP, PREC_ADD, PREC_MUL, PREC_NEG, PREC_POW, PREC_ATOM
};

static const char *const cmp_text[] = {"<", "<=", ">", ">=", "==", "!="};

static int binop_prec(int op) {
    switch (op) {
    case '+': case '-': return PREC_ADD;
    case '^': return PREC_POW;
    default: return PREC_MUL;
    }
}

static bool negative_number(const fexpr *e) {
    return e->kind == FX_NUM && (e->num < 0 || (e->num == 0 && signbit(e->num)));
}

/* The precedence of e as printed: how tightly it binds. */
static int prec_of(const fexpr *e) {
    switch (e->kind) {
    case FX_NUM: return negative_number(e) ? PREC_NEG : PREC_ATOM;
    case FX_BINOP: return binop_prec(e->op);
    case FX_NEG: return PREC_NEG;
    case FX_CMP: return PREC_CMP;
    case FX_AND: return PREC_AND;
    case FX_OR: return PREC_OR;
    case FX_NOT: return PREC_NOT;
    default: return PREC_ATOM;
    }
}

static const char *binop_text(int op) {
    switch (op) {
    case '+': return "+";
    case '-': return "-";
    case '*': return "*";
    case '/': return "/";
    case '%': return "%";
    case '^': return "^";
    case FOP_FLOORDIV: return "//";
    default: return "?";
    }
}

/* ---- text -------------------------------------------------------------------------------- */

static bool is_leaf(const fexpr *e) {
    return (e->kind == FX_NUM && !negative_number(e)) || e->kind == FX_NAME;
}

/* compact: no spaces around + - * / in range bounds (0..i+1), as formulas are usually written */
static void print_text(const fexpr *e, int min_prec, bool compact, strbuf *out) {
    if (!e) {
        strbuf_append(out, "<null>");
        return;
    }
    int prec = prec_of(e);
    bool parens = prec < min_prec;
    if (parens) strbuf_putc(out, '(');
    char num[48];
    switch (e->kind) {
    case FX_NUM:
        formula_format_number(e->num, num, sizeof num);
        strbuf_append(out, num);
        break;
    case FX_NAME:
        strbuf_append(out, e->name ? e->name : "<null>");
        break;
    case FX_ACCESS: {
        /* x[i,k] when every index is a name or number, x[n, c // CG] otherwise */
        bool simple = true;
        for (int i = 0; i < e->n_args; i++) simple = simple && is_leaf(e->args[i]);
        strbuf_append(out, e->name ? e->name : "<null>");
        strbuf_putc(out, '[');
        for (int i = 0; i < e->n_args; i++) {
            if (i) strbuf_append(out, simple ? "," : ", ");
            print_text(e->args[i], PREC_TOP, compact, out);
        }
        strbuf_putc(out, ']');
        break;
    }
    case FX_BINOP: {
        /* left-associative, except ^ which groups to the right and takes a signed exponent */
        int left = prec, right = prec + 1;
        if (e->op == '^') left = PREC_ATOM, right = PREC_NEG;
        print_text(e->args[0], left, compact, out);
        bool tight = compact && e->op != '^';
        if (!tight) strbuf_putc(out, ' ');
        strbuf_append(out, binop_text(e->op));
        if (!tight) strbuf_putc(out, ' ');
        print_text(e->args[1], right, compact, out);
        break;
    }
    case FX_NEG:
        strbuf_putc(out, '-');
        /* "- -x" rather than "--x" */
        if (e->args[0]->kind == FX_NEG || negative_number(e->args[0])) strbuf_putc(out, ' ');
        print_text(e->args[0], PREC_NEG, compact, out);
        break;
    case FX_CMP:
        print_text(e->args[0], PREC_CMP + 1, compact, out);
        strbuf_printf(out, " %s ", e->op >= 0 && e->op <= FC_NE ? cmp_text[e->op] : "?");
        print_text(e->args[1], PREC_CMP + 1, compact, out);
        break;
    case FX_AND:
    case FX_OR:
        print_text(e->args[0], prec, compact, out);
        strbuf_append(out, e->kind == FX_AND ? " and " : " or ");
        print_text(e->args[1], prec + 1, compact, out);
        break;
    case FX_NOT:
        strbuf_append(out, "not ");
        print_text(e->args[0], PREC_NOT, compact, out);
        break;
    case FX_WHERE:
    case FX_CALL:
        strbuf_append(out, e->kind == FX_WHERE ? "where" : e->name ? e->name : "<null>");
        strbuf_putc(out, '(');
        for (int i = 0; i < e->n_args; i++) {
            if (i) strbuf_append(out, ", ");
            print_text(e->args[i], PREC_TOP, compact, out);
        }
        strbuf_putc(out, ')');
        break;
    case FX_REDUCE:
        strbuf_printf(out, "%s(%s in ", e->name ? e->name : "<null>", e->var ? e->var : "<null>");
        print_text(e->args[0], PREC_TOP, true, out);
        strbuf_append(out, "..");
        print_text(e->args[1], PREC_TOP, true, out);
        strbuf_append(out, ": ");
        print_text(e->args[2], PREC_TOP, compact, out);
        strbuf_putc(out, ')');
        break;
    }
    if (parens) strbuf_putc(out, ')');
}

void fexpr_print_text(const fexpr *e, strbuf *out) { print_text(e, PREC_TOP, false, out); }

static void print_lhs_text(const fequation *eq, strbuf *out) {
    strbuf_append(out, eq->output);
    for (int i = 0; i < eq->n_indices; i++) {
        strbuf_putc(out, i ? ',' : '[');
        strbuf_append(out, eq->indices[i]);
    }
    if (eq->n_indices > 0) strbuf_putc(out, ']');
}

void formula_print_text(const formula *f, strbuf *out) {
    for (int q = 0; f && q < f->n_eqs; q++) {
        if (q) strbuf_putc(out, '\n');
        print_lhs_text(&f->eqs[q], out);
        strbuf_append(out, " = ");
        fexpr_print_text(f->eqs[q].rhs, out);
    }
}

/* ---- LaTeX ------------------------------------------------------------------------------- */

/* Parameter names that are Greek letters in the papers' notation. */
static const char *greek(const char *name) {
    static const char *const letters[] = {
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
        "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi",
        "Omega",
    };
    if (strcmp(name, "eps") == 0) return "varepsilon";
    for (size_t i = 0; i < sizeof letters / sizeof *letters; i++)
        if (strcmp(name, letters[i]) == 0) return letters[i];
    return NULL;
}

/* x, \alpha, \mathrm{mean}, \mathrm{x\_out} */
static void latex_name(const char *name, strbuf *out) {
    if (!name) name = "?";
    const char *g = greek(name);
    if (g) {
        strbuf_printf(out, "\\%s", g);
    } else if (strlen(name) == 1) {
        strbuf_append(out, name);
    } else {
        strbuf_append(out, "\\mathrm{");
        for (const char *s = name; *s; s++) {
            if (*s == '_') strbuf_append(out, "\\_");
            else strbuf_putc(out, *s);
        }
        strbuf_putc(out, '}');
    }
}

static void latex_number(double v, strbuf *out) {
    char buf[48];
    if (isinf(v)) {
        strbuf_append(out, v > 0 ? "\\infty" : "-\\infty");
        return;
    }
    if (isnan(v)) {
        strbuf_append(out, "\\mathrm{NaN}");
        return;
    }
    formula_format_number(v, buf, sizeof buf);
    char *e = strchr(buf, 'e');
    if (!e) {
        strbuf_append(out, buf);
        return;
    }
    /* 2.5e-07 -> 2.5 \cdot 10^{-7}; 1e-05 -> 10^{-5} */
    *e = 0;
    int exponent = atoi(e + 1);
    if (strcmp(buf, "1") == 0) strbuf_printf(out, "10^{%d}", exponent);
    else if (strcmp(buf, "-1") == 0) strbuf_printf(out, "-10^{%d}", exponent);
    else strbuf_printf(out, "%s \\cdot 10^{%d}", buf, exponent);
}

/* How tightly e binds in LaTeX. Fractions, roots and brace groups need no parentheses as
 * operands, but do as the base of a power. */
static int latex_prec(const fexpr *e) {
    if (e->kind == FX_BINOP && e->op == '/') return PREC_POW;
    if (e->kind == FX_BINOP && e->op == FOP_FLOORDIV) return PREC_ATOM;
    if (e->kind == FX_NUM && fabs(e->num) != INFINITY && !isnan(e->num)) {
        char buf[48];
        formula_format_number(e->num, buf, sizeof buf);
        if (strchr(buf, 'e')) return PREC_MUL;   /* 2.5 \cdot 10^{-7} */
    }
    if (e->kind == FX_CALL && e->name) {
        ffunc f = formula_func_lookup(e->name);
        if (f == FF_POW || f == FF_EXP2) return PREC_POW;
        if (f == FF_RSQRT || f == FF_SQRT) return PREC_POW;
    }
    return prec_of(e);
}

static void print_latex(const fexpr *e, int min_prec, bool trailing, strbuf *out);

static void latex_group(const fexpr *e, strbuf *out) { print_latex(e, PREC_TOP, false, out); }

static void latex_call_args(const fexpr *e, strbuf *out) {
    strbuf_append(out, "\\left(");
    for (int i = 0; i < e->n_args; i++) {
        if (i) strbuf_append(out, ", ");
        latex_group(e->args[i], out);
    }
    strbuf_append(out, "\\right)");
}

static void latex_power(const fexpr *base, const fexpr *exponent, strbuf *out) {
    print_latex(base, PREC_ATOM, false, out);
    strbuf_append(out, "^{");
    latex_group(exponent, out);
    strbuf_putc(out, '}');
}

/* The last value of a half-open range's upper bound: N -> N - 1, i + 1 -> i, N + 2 -> N + 1,
 * 4 -> 3. */
static void latex_last(const fexpr *hi, strbuf *out) {
    if (hi->kind == FX_NUM && fabs(hi->num) < 1e15 && hi->num == floor(hi->num)) {
        latex_number(hi->num - 1, out);
    } else if (hi->kind == FX_BINOP && hi->op == '+' && hi->args[1]->kind == FX_NUM && hi->args[1]->num >= 1 &&
               hi->args[1]->num < 1e15 && hi->args[1]->num == floor(hi->args[1]->num)) {
        print_latex(hi->args[0], PREC_ADD, hi->args[1]->num != 1, out);   /* N + 2 -> N + 1 */
        if (hi->args[1]->num != 1) strbuf_printf(out, " + %.0f", hi->args[1]->num - 1);
    } else {
        print_latex(hi, PREC_ADD, false, out);
        strbuf_append(out, " - 1");
    }
}

static void latex_reduce(const fexpr *e, strbuf *out) {
    const char *name = e->name ? e->name : "?";
    freduce kind = formula_reduce_lookup(name);
    if (kind == FR_SUM || kind == FR_PROD) {
        strbuf_append(out, kind == FR_SUM ? "\\sum_{" : "\\prod_{");
        latex_name(e->var, out);
        strbuf_putc(out, '=');
        latex_group(e->args[0], out);
        strbuf_append(out, "}^{");
        latex_last(e->args[1], out);
        strbuf_append(out, "} ");
    } else {
        static const char *const ops[] = {
            [FR_MAX] = "\\max", [FR_MIN] = "\\min",
            [FR_ARGMAX] = "\\operatorname{argmax}", [FR_ARGMIN] = "\\operatorname{argmin}",
        };
        strbuf_append(out, kind >= FR_MAX && kind <= FR_ARGMIN ? ops[kind] : "\\operatorname{?}");
        strbuf_append(out, "_{");
        print_latex(e->args[0], PREC_CMP + 1, false, out);
        strbuf_append(out, " \\le ");
        latex_name(e->var, out);
        strbuf_append(out, " < ");
        print_latex(e->args[1], PREC_CMP + 1, false, out);
        strbuf_append(out, "} ");
    }
    print_latex(e->args[2], PREC_MUL, false, out);
}

static void latex_call(const fexpr *e, strbuf *out) {
    ffunc f = formula_func_lookup(e->name ? e->name : "");
    const fexpr *x = e->n_args > 0 ? e->args[0] : NULL;
    if (!x || formula_func_arity(f) != e->n_args) {
        strbuf_append(out, "\\operatorname{");
        strbuf_append(out, e->name ? e->name : "?");
        strbuf_putc(out, '}');
        latex_call_args(e, out);
        return;
    }
    switch (f) {
    case FF_SQRT: strbuf_append(out, "\\sqrt{"); latex_group(x, out); strbuf_putc(out, '}'); return;
    case FF_RSQRT: strbuf_append(out, "\\frac{1}{\\sqrt{"); latex_group(x, out); strbuf_append(out, "}}"); return;
    case FF_ABS: strbuf_append(out, "\\left|"); latex_group(x, out); strbuf_append(out, "\\right|"); return;
    case FF_EXP2: strbuf_append(out, "2^{"); latex_group(x, out); strbuf_putc(out, '}'); return;
    case FF_POW: latex_power(x, e->args[1], out); return;
    case FF_EXP: strbuf_append(out, "\\exp"); break;
    case FF_LOG: strbuf_append(out, "\\log"); break;
    case FF_LOG2: strbuf_append(out, "\\log_{2}"); break;
    case FF_ERF: strbuf_append(out, "\\operatorname{erf}"); break;
    case FF_TANH: strbuf_append(out, "\\tanh"); break;
    case FF_SIGMOID: strbuf_append(out, "\\sigma"); break;
    case FF_SIN: strbuf_append(out, "\\sin"); break;
    case FF_COS: strbuf_append(out, "\\cos"); break;
    case FF_MAX: strbuf_append(out, "\\max"); break;
    case FF_MIN: strbuf_append(out, "\\min"); break;
    default: strbuf_append(out, "\\operatorname{?}"); break;
    }
    latex_call_args(e, out);
}

/* trailing: more of the enclosing expression follows at the same level, so a big operator
 * (\sum, \max_k) must be closed off with parentheses or its body would seem to extend. */
static void print_latex(const fexpr *e, int min_prec, bool trailing, strbuf *out) {
    if (!e) {
        strbuf_append(out, "?");
        return;
    }
    bool parens = latex_prec(e) < min_prec || (e->kind == FX_REDUCE && trailing);
    if (parens) {
        strbuf_append(out, "\\left(");
        trailing = false;
    }
    static const char *const cmp_latex[] = {"<", "\\le", ">", "\\ge", "=", "\\ne"};
    switch (e->kind) {
    case FX_NUM:
        latex_number(e->num, out);
        break;
    case FX_NAME:
        latex_name(e->name, out);
        break;
    case FX_ACCESS:
        latex_name(e->name, out);
        strbuf_append(out, "_{");
        for (int i = 0; i < e->n_args; i++) {
            if (i) strbuf_putc(out, ',');
            latex_group(e->args[i], out);
        }
        strbuf_putc(out, '}');
        break;
    case FX_BINOP:
        switch (e->op) {
        case '/':
            strbuf_append(out, "\\frac{");
            latex_group(e->args[0], out);
            strbuf_append(out, "}{");
            latex_group(e->args[1], out);
            strbuf_putc(out, '}');
            break;
        case FOP_FLOORDIV:
            strbuf_append(out, "\\left\\lfloor \\frac{");
            latex_group(e->args[0], out);
            strbuf_append(out, "}{");
            latex_group(e->args[1], out);
            strbuf_append(out, "} \\right\\rfloor");
            break;
        case '^':
            latex_power(e->args[0], e->args[1], out);
            break;
        default: {
            int prec = binop_prec(e->op);
            print_latex(e->args[0], prec, true, out);
            strbuf_append(out, e->op == '*' ? " \\cdot " : e->op == '%' ? " \\bmod " : e->op == '+' ? " + " : " - ");
            print_latex(e->args[1], prec + 1, trailing, out);
            break;
        }
        }
        break;
    case FX_NEG:
        strbuf_putc(out, '-');
        print_latex(e->args[0], PREC_NEG, trailing, out);
        break;
    case FX_CMP:
        print_latex(e->args[0], PREC_CMP + 1, true, out);
        strbuf_printf(out, " %s ", e->op >= 0 && e->op <= FC_NE ? cmp_latex[e->op] : "?");
        print_latex(e->args[1], PREC_CMP + 1, trailing, out);
        break;
    case FX_AND:
    case FX_OR:
        print_latex(e->args[0], latex_prec(e), true, out);
        strbuf_append(out, e->kind == FX_AND ? " \\land " : " \\lor ");
        print_latex(e->args[1], latex_prec(e) + 1, trailing, out);
        break;
    case FX_NOT:
        strbuf_append(out, "\\lnot ");
        print_latex(e->args[0], PREC_NOT, trailing, out);
        break;
    case FX_WHERE:
        strbuf_append(out, "\\mathrm{where}");
        latex_call_args(e, out);
        break;
    case FX_CALL:
        latex_call(e, out);
        break;
    case FX_REDUCE:
        latex_reduce(e, out);
        break;
    }
    if (parens) strbuf_append(out, "\\right)");
}

/* Equations are separated by ",\quad" so that several fit one table cell. A where() that
 * is a whole right side becomes a cases block. */
void formula_print_latex(const formula *f, strbuf *out) {
    for (int q = 0; f && q < f->n_eqs; q++) {
        const fequation *eq = &f->eqs[q];
        if (q) strbuf_append(out, ",\\quad\n");
        latex_name(eq->output, out);
        if (eq->n_indices > 0) {
            strbuf_append(out, "_{");
            for (int i = 0; i < eq->n_indices; i++) {
                if (i) strbuf_putc(out, ',');
                latex_name(eq->indices[i], out);
            }
            strbuf_putc(out, '}');
        }
        strbuf_append(out, " = ");
        const fexpr *r = eq->rhs;
        if (r->kind == FX_WHERE && r->n_args == 3) {
            strbuf_append(out, "\\begin{cases} ");
            latex_group(r->args[1], out);
            strbuf_append(out, " & \\text{if } ");
            latex_group(r->args[0], out);
            strbuf_append(out, " \\\\ ");
            latex_group(r->args[2], out);
            strbuf_append(out, " & \\text{otherwise} \\end{cases}");
        } else {
            latex_group(r, out);
        }
    }
}
