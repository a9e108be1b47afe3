/* formula_pytorch: prints a formula as Python/PyTorch statements, one per output, over torch
 * tensors named like the inputs and parameters as Python numbers (needs `import math, torch`).
 *
 * The preferred form is a broadcast expression. Each equation is translated in a scope of
 * axes — the left side's index variables, then one axis per enclosing reduction binder — and
 * every tensor-valued sub-expression has exactly those axes (size 1 where it does not depend
 * on one; leading size-1 axes may be left to broadcasting). An access whose indices are plain
 * variables in axis order becomes slicing (x[:, None, :N]); any other access a gather with
 * torch.arange index tensors; a reduction over the innermost axis becomes .sum(dim=-1) and
 * friends; a sum of products of plain accesses becomes torch.einsum. Ranges are sliced, so the
 * text is right even when a reduction covers part of an axis.
 *
 * When no broadcast form exists (a range that depends on an outer variable, as in cumsum; an
 * output variable whose extent no tensor gives; an output that uses one printed as a
 * function), the equation falls back to an element function, e.g.
 *     y = lambda i: sum(x[k] for k in range(0, i + 1))
 * which later equations call as y(i). Such a line is preceded by a comment saying why. */
#include "formula/formula_internal.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Python precedence levels, loosest first; the same order as the formula language. */
enum { PY_TERNARY = 0, PY_OR, PY_AND, PY_NOT, PY_CMP, PY_ADD, PY_MUL, PY_NEG, PY_POW, PY_ATOM };

#define MAX_AXES 64

typedef struct pyval {
    const char *text;
    int prec;
    bool tensor;     /* a torch tensor (else a Python number) */
    bool boolean;    /* a comparison or logical result */
} pyval;

typedef struct axis {
    const char *var;
    bool binder;
    const char *lo, *hi;     /* binder: Python text of the range bounds */
    const char *size;        /* left-side variable: Python text of its extent, or NULL */
} axis;

typedef struct pyctx {
    arena *a;
    const formula *f;
    bool *is_function;       /* per equation: printed as an element function */
    bool *is_tensor;         /* per equation: its value is a tensor */
    bool *printed;           /* per equation: printed already (else used recursively) */
    bool broadcast;          /* the mode of the current translation */
    axis axes[MAX_AXES];
    int n_axes;
    const char *reason;      /* why the broadcast form failed */
} pyctx;

/* ---- names and small helpers --------------------------------------------------------- */

/* Python keywords and the names the printed code itself uses get a trailing '_'. */
static const char *py_name(pyctx *c, const char *name) {
    static const char *const reserved[] = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield", "torch", "math", "sum", "max", "min", "range", "float",
        "bool", "abs", "int",
    };
    if (!name) return "_";
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strcmp(name, reserved[i]) == 0) return arena_printf(c->a, "%s_", name);
    return name;
}

static pyval val(const char *text, int prec, bool tensor) { return (pyval){text, prec, tensor, false}; }

/* v's text, parenthesised if it binds looser than min_prec. */
static const char *wrap(pyctx *c, pyval v, int min_prec) {
    return v.prec < min_prec ? arena_printf(c->a, "(%s)", v.text) : v.text;
}

static int equation_of(const formula *f, const char *name) {
    for (int i = 0; i < f->n_eqs; i++)
        if (strcmp(f->eqs[i].output, name) == 0) return i;
    return -1;
}

/* Does e refer to the variable var (free, i.e. not rebound by an inner reduction)? */
static bool mentions(const fexpr *e, const char *var) {
    if (e->kind == FX_NAME) return strcmp(e->name, var) == 0;
    int n = e->n_args;
    if (e->kind == FX_REDUCE && e->var && strcmp(e->var, var) == 0) n = 2;   /* only the range */
    for (int i = 0; i < n; i++)
        if (mentions(e->args[i], var)) return true;
    return false;
}

static int axis_of(pyctx *c, const char *name) {
    for (int a = c->n_axes - 1; a >= 0; a--)
        if (strcmp(c->axes[a].var, name) == 0) return a;
    return -1;
}

/* Does e depend on any variable of the current scope? */
static bool depends_on_scope(pyctx *c, const fexpr *e) {
    for (int a = 0; a < c->n_axes; a++)
        if (axis_of(c, c->axes[a].var) == a && mentions(e, c->axes[a].var)) return true;
    return false;
}

static bool give_up(pyctx *c, const char *reason) {
    if (!c->reason) c->reason = reason;
    return false;
}

/* A number as Python text. */
static pyval py_number(pyctx *c, double v) {
    if (isnan(v)) return val("math.nan", PY_ATOM, false);
    if (isinf(v)) return val(v > 0 ? "math.inf" : "-math.inf", v > 0 ? PY_ATOM : PY_NEG, false);
    char buf[48];
    formula_format_number(v, buf, sizeof buf);
    return val(arena_strdup(c->a, buf), v < 0 ? PY_NEG : PY_ATOM, false);
}

/* ---- the translation ------------------------------------------------------------------- */

static bool tr(pyctx *c, const fexpr *e, pyval *out);

/* The slice of axis a in a subscript: ":" for an output variable, "lo:hi" for a binder. */
static const char *axis_slice(pyctx *c, int a) {
    const axis *x = &c->axes[a];
    if (!x->binder) return ":";
    if (strcmp(x->lo, "0") == 0) return arena_printf(c->a, ":%s", x->hi);
    return arena_printf(c->a, "%s:%s", x->lo, x->hi);
}

/* name[entries], dropping leading None (broadcasting adds them) and trailing ':'. */
static const char *subscript(pyctx *c, const char *name, const char **entries, int n) {
    int first = 0;
    while (first < n && strcmp(entries[first], "None") == 0) first++;
    while (n > first && strcmp(entries[n - 1], ":") == 0) n--;
    if (first >= n) return name;
    strbuf s;
    strbuf_init(&s);
    strbuf_printf(&s, "%s[", name);
    for (int i = first; i < n; i++) strbuf_printf(&s, "%s%s", i > first ? ", " : "", entries[i]);
    strbuf_putc(&s, ']');
    const char *text = arena_strdup(c->a, strbuf_cstr(&s));
    strbuf_free(&s);
    return text;
}

/* Variable of axis a as an index tensor over the current axes. */
static bool arange(pyctx *c, int a, pyval *out) {
    const axis *x = &c->axes[a];
    const char *base;
    if (x->binder) base = arena_printf(c->a, "torch.arange(%s, %s)", x->lo, x->hi);
    else if (x->size) base = arena_printf(c->a, "torch.arange(%s)", x->size);
    else return give_up(c, arena_printf(c->a, "no tensor is indexed by plain '%s' to give its extent", x->var));
    int trailing = c->n_axes - 1 - a;
    if (trailing > 0) {
        strbuf s;
        strbuf_init(&s);
        strbuf_printf(&s, "%s.reshape(-1", base);
        for (int i = 0; i < trailing; i++) strbuf_append(&s, ", 1");
        strbuf_putc(&s, ')');
        base = arena_strdup(c->a, strbuf_cstr(&s));
        strbuf_free(&s);
    }
    *out = val(base, PY_ATOM, true);
    return true;
}

static bool tr_name(pyctx *c, const fexpr *e, pyval *out) {
    int a = axis_of(c, e->name);
    if (a >= 0) {
        if (c->broadcast) return arange(c, a, out);
        *out = val(py_name(c, e->name), PY_ATOM, false);
        return true;
    }
    int q = equation_of(c->f, e->name);
    if (c->broadcast && q >= 0 && !c->printed[q])
        return give_up(c, arena_printf(c->a, "'%s' is defined recursively", e->name));
    *out = val(py_name(c, e->name), PY_ATOM, q >= 0 && c->is_tensor[q]);
    return true;
}

static bool tr_access(pyctx *c, const fexpr *e, pyval *out) {
    const char *name = py_name(c, e->name);
    int q = equation_of(c->f, e->name);
    /* an output not printed yet is used recursively (c[i] = c[i-1] + x[i]): it becomes a
     * function too, as its own broadcast form fails for the same reason */
    bool function = q >= 0 && (c->is_function[q] || (!c->printed[q] && c->f->eqs[q].n_indices > 0));
    if (c->broadcast && q >= 0 && !c->printed[q])
        return give_up(c, arena_printf(c->a, "'%s' is defined recursively", e->name));
    const char **entries = arena_alloc(c->a, (size_t)(e->n_args + c->n_axes + 1) * sizeof *entries);
    if (!c->broadcast) {
        strbuf s;
        strbuf_init(&s);
        strbuf_printf(&s, "%s%c", name, function ? '(' : '[');
        for (int i = 0; i < e->n_args; i++) {
            pyval ix;
            tr(c, e->args[i], &ix);
            strbuf_printf(&s, "%s%s", i ? ", " : "", ix.text);
        }
        strbuf_putc(&s, function ? ')' : ']');
        *out = val(arena_strdup(c->a, strbuf_cstr(&s)), PY_ATOM, true);
        strbuf_free(&s);
        return true;
    }
    if (function)
        return give_up(c, arena_printf(c->a, "it uses '%s', which has no broadcast form", e->name));
    /* slicing when every index is a distinct variable or a number: x[:, :N] picks the
     * ranges, .permute puts the variables in axis order, None adds the missing axes */
    bool sliceable = true, in_order = true;
    int n = 0, last_axis = -1, n_vars = 0;
    int *var_axis = arena_alloc(c->a, (size_t)(e->n_args + 1) * sizeof *var_axis);
    bool *present = arena_alloc(c->a, (size_t)(c->n_axes + 1) * sizeof *present);
    for (int i = 0; i < e->n_args && sliceable; i++) {
        const fexpr *ix = e->args[i];
        int a = ix->kind == FX_NAME ? axis_of(c, ix->name) : -1;
        if (a >= 0) {
            if (present[a]) sliceable = false;   /* x[k, k]: a diagonal, gathered below */
            present[a] = true;
            if (a < last_axis) in_order = false;
            last_axis = a;
            var_axis[n_vars++] = a;
            entries[n++] = axis_slice(c, a);
        } else if (!depends_on_scope(c, ix)) {
            pyval v;
            if (!tr(c, ix, &v)) return false;
            if (v.tensor) sliceable = false;
            else entries[n++] = v.text;
        } else {
            sliceable = false;
        }
    }
    if (sliceable && in_order) {
        /* one subscript: the entries with None inserted before each variable's axis */
        const char **merged = arena_alloc(c->a, (size_t)(e->n_args + c->n_axes + 1) * sizeof *merged);
        int m = 0, next_axis = 0, v = 0;
        for (int i = 0; i < n; i++) {
            bool is_var = e->args[i]->kind == FX_NAME && axis_of(c, e->args[i]->name) >= 0;
            if (is_var) {
                int a = var_axis[v++];
                while (next_axis < a) merged[m++] = "None", next_axis++;
                next_axis = a + 1;
            }
            merged[m++] = entries[i];
        }
        while (next_axis < c->n_axes) merged[m++] = "None", next_axis++;
        *out = val(subscript(c, name, merged, m), PY_ATOM, true);
        return true;
    }
    if (sliceable) {
        const char *base = subscript(c, name, entries, n);
        strbuf s;
        strbuf_init(&s);
        strbuf_printf(&s, "%s.permute(", base);
        for (int k = 0, written = 0; k < c->n_axes; k++)   /* dims in axis order */
            for (int d = 0; d < n_vars; d++)
                if (var_axis[d] == k) strbuf_printf(&s, "%s%d", written++ ? ", " : "", d);
        strbuf_putc(&s, ')');
        const char **axes_entries = arena_alloc(c->a, (size_t)(c->n_axes + 1) * sizeof *axes_entries);
        for (int k = 0; k < c->n_axes; k++) axes_entries[k] = present[k] ? ":" : "None";
        *out = val(subscript(c, arena_strdup(c->a, strbuf_cstr(&s)), axes_entries, c->n_axes), PY_ATOM, true);
        strbuf_free(&s);
        return true;
    }
    /* a gather: every index an integer tensor over the axes, or a number */
    strbuf s;
    strbuf_init(&s);
    strbuf_printf(&s, "%s[", name);
    bool ok = true;
    for (int i = 0; i < e->n_args && ok; i++) {
        pyval ix;
        ok = tr(c, e->args[i], &ix);
        if (ok) strbuf_printf(&s, "%s%s", i ? ", " : "", ix.text);
    }
    strbuf_putc(&s, ']');
    *out = val(arena_strdup(c->a, strbuf_cstr(&s)), PY_ATOM, true);
    strbuf_free(&s);
    return ok;
}

static const char *as_tensor(pyctx *c, pyval v) {
    return v.tensor ? v.text : arena_printf(c->a, "torch.as_tensor(%s)", v.text);
}

static bool tr_logic(pyctx *c, const fexpr *e, pyval *out) {
    pyval x[2];
    for (int i = 0; i < e->n_args && i < 2; i++)
        if (!tr(c, e->args[i], &x[i])) return false;
    bool tensor = c->broadcast && (x[0].tensor || (e->kind != FX_NOT && x[1].tensor));
    if (tensor) {
        const char *fn = e->kind == FX_AND ? "logical_and" : e->kind == FX_OR ? "logical_or" : "logical_not";
        if (e->kind == FX_NOT) *out = val(arena_printf(c->a, "torch.%s(%s)", fn, as_tensor(c, x[0])), PY_ATOM, true);
        else *out = val(arena_printf(c->a, "torch.%s(%s, %s)", fn, as_tensor(c, x[0]), as_tensor(c, x[1])), PY_ATOM, true);
    } else if (e->kind == FX_NOT) {
        *out = val(arena_printf(c->a, "float(not %s)", wrap(c, x[0], PY_NOT + 1)), PY_ATOM, x[0].tensor);
        out->tensor = false;
    } else {
        *out = val(arena_printf(c->a, "float(bool(%s) %s bool(%s))", x[0].text, e->kind == FX_AND ? "and" : "or",
                                x[1].text), PY_ATOM, false);
    }
    out->boolean = true;
    return true;
}

static bool tr_where(pyctx *c, const fexpr *e, pyval *out) {
    pyval x[3];
    for (int i = 0; i < 3; i++)
        if (!tr(c, e->args[i], &x[i])) return false;
    if (c->broadcast && (x[0].tensor || x[1].tensor || x[2].tensor)) {
        const char *cond = x[0].tensor ? (x[0].boolean ? x[0].text : arena_printf(c->a, "%s != 0", wrap(c, x[0], PY_CMP + 1)))
                                       : arena_printf(c->a, "torch.as_tensor(bool(%s))", x[0].text);
        *out = val(arena_printf(c->a, "torch.where(%s, %s, %s)", cond, x[1].text, x[2].text), PY_ATOM, true);
        return true;
    }
    /* a Python conditional evaluates only the chosen branch, like the formula */
    *out = val(arena_printf(c->a, "%s if %s else %s", wrap(c, x[1], PY_OR), wrap(c, x[0], PY_OR), wrap(c, x[2], PY_TERNARY)),
               PY_TERNARY, x[1].tensor || x[2].tensor);
    return true;
}

static bool tr_call(pyctx *c, const fexpr *e, pyval *out) {
    ffunc f = formula_func_lookup(e->name ? e->name : "");
    if (f == FF_NONE || formula_func_arity(f) != e->n_args)
        return give_up(c, "unknown function");
    pyval x[2];
    for (int i = 0; i < e->n_args; i++)
        if (!tr(c, e->args[i], &x[i])) return false;
    bool t = x[0].tensor;
    const char *a0 = x[0].text;
    switch (f) {
    case FF_POW:
        *out = val(arena_printf(c->a, "%s ** %s", wrap(c, x[0], PY_ATOM), wrap(c, x[1], PY_NEG)), PY_POW,
                   t || x[1].tensor);
        return true;
    case FF_MAX:
    case FF_MIN: {
        const char *which = f == FF_MAX ? "max" : "min";
        if (x[0].tensor && x[1].tensor)
            *out = val(arena_printf(c->a, "torch.%s(%s, %s)", f == FF_MAX ? "maximum" : "minimum", a0, x[1].text), PY_ATOM, true);
        else if (x[0].tensor || x[1].tensor)   /* max(t, s) bounds t from below: clamp(t, min=s) */
            *out = val(arena_printf(c->a, "torch.clamp(%s, %s=%s)", x[0].tensor ? a0 : x[1].text,
                                    f == FF_MAX ? "min" : "max", x[0].tensor ? x[1].text : a0), PY_ATOM, true);
        else
            *out = val(arena_printf(c->a, "%s(%s, %s)", which, a0, x[1].text), PY_ATOM, false);
        return true;
    }
    case FF_RSQRT:
        *out = t ? val(arena_printf(c->a, "torch.rsqrt(%s)", a0), PY_ATOM, true)
                 : val(arena_printf(c->a, "1 / math.sqrt(%s)", a0), PY_MUL, false);
        return true;
    case FF_SIGMOID:
        *out = t ? val(arena_printf(c->a, "torch.sigmoid(%s)", a0), PY_ATOM, true)
                 : val(arena_printf(c->a, "1 / (1 + math.exp(-%s))", wrap(c, x[0], PY_NEG)), PY_MUL, false);
        return true;
    case FF_EXP2:
        *out = t ? val(arena_printf(c->a, "torch.exp2(%s)", a0), PY_ATOM, true)
                 : val(arena_printf(c->a, "2 ** %s", wrap(c, x[0], PY_NEG)), PY_POW, false);
        return true;
    case FF_ABS:
        *out = val(arena_printf(c->a, "%s(%s)", t ? "torch.abs" : "abs", a0), PY_ATOM, t);
        return true;
    default: {
        /* exp log log2 sqrt erf tanh sin cos: the same name in torch and math */
        *out = val(arena_printf(c->a, "%s.%s(%s)", t ? "torch" : "math", formula_func_name(f), a0), PY_ATOM, t);
        return true;
    }
    }
}

/* sum(k in lo..hi: A[.., k, ..] * B[.., k, ..] * ...) as torch.einsum; false (and nothing
 * said) when the reduction does not have that shape. Called with the binder's axis pushed. */
static bool try_einsum(pyctx *c, const fexpr *e, pyval *out) {
    const fexpr *factors[16];
    int n_factors = 0;
    const fexpr *stack[32];
    int sp = 0;
    stack[sp++] = e->args[2];
    while (sp > 0) {   /* flatten the product tree, left to right */
        const fexpr *x = stack[--sp];
        if (x->kind == FX_BINOP && x->op == '*' && sp + 2 <= 32) {
            stack[sp++] = x->args[1];
            stack[sp++] = x->args[0];
        } else if (x->kind == FX_ACCESS && n_factors < 16) {
            factors[n_factors++] = x;
        } else {
            return false;
        }
    }
    if (n_factors < 2) return false;
    int binder = c->n_axes - 1;
    char letter[MAX_AXES];
    bool used_letter[128] = {false};
    bool appears[MAX_AXES] = {false};
    for (int f = 0; f < n_factors; f++) {
        int q = equation_of(c->f, factors[f]->name);
        if (q >= 0 && (c->is_function[q] || !c->is_tensor[q])) return false;
        for (int i = 0; i < factors[f]->n_args; i++) {
            const fexpr *ix = factors[f]->args[i];
            int a = ix->kind == FX_NAME ? axis_of(c, ix->name) : -1;
            if (a < 0) return false;
            for (int j = 0; j < i; j++)   /* a repeated variable would be a diagonal */
                if (factors[f]->args[j]->kind == FX_NAME && strcmp(factors[f]->args[j]->name, ix->name) == 0) return false;
            appears[a] = true;
        }
    }
    if (!appears[binder]) return false;
    /* letters: a variable's own name when it is one letter, else the first free letter */
    for (int a = 0; a < c->n_axes; a++) {
        letter[a] = 0;
        const char *v = c->axes[a].var;
        if (appears[a] && strlen(v) == 1 && ((v[0] >= 'a' && v[0] <= 'z') || (v[0] >= 'A' && v[0] <= 'Z')) &&
            !used_letter[(int)v[0]])
            letter[a] = v[0], used_letter[(int)v[0]] = true;
    }
    const char *pool = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int a = 0; a < c->n_axes; a++) {
        if (!appears[a] || letter[a]) continue;
        for (const char *p = pool; *p && !letter[a]; p++)
            if (!used_letter[(int)*p]) letter[a] = *p, used_letter[(int)*p] = true;
        if (!letter[a]) return false;
    }
    strbuf spec, operands;
    strbuf_init(&spec);
    strbuf_init(&operands);
    for (int f = 0; f < n_factors; f++) {
        if (f) strbuf_putc(&spec, ',');
        const char **entries = arena_alloc(c->a, (size_t)(factors[f]->n_args + 1) * sizeof *entries);
        for (int i = 0; i < factors[f]->n_args; i++) {
            int a = axis_of(c, factors[f]->args[i]->name);
            strbuf_putc(&spec, letter[a]);
            entries[i] = axis_slice(c, a);
        }
        strbuf_printf(&operands, ", %s", subscript(c, py_name(c, factors[f]->name), entries, factors[f]->n_args));
    }
    strbuf_append(&spec, "->");
    /* the result has the outer axes that appear; the others are size-1 (None) */
    const char **entries = arena_alloc(c->a, (size_t)(binder + 1) * sizeof *entries);
    for (int a = 0; a < binder; a++) {
        if (appears[a]) strbuf_putc(&spec, letter[a]);
        entries[a] = appears[a] ? ":" : "None";
    }
    const char *call = arena_printf(c->a, "torch.einsum('%s'%s)", strbuf_cstr(&spec), strbuf_cstr(&operands));
    *out = val(subscript(c, call, entries, binder), PY_ATOM, true);
    strbuf_free(&spec);
    strbuf_free(&operands);
    return true;
}

static bool tr_reduce(pyctx *c, const fexpr *e, pyval *out) {
    freduce kind = formula_reduce_lookup(e->name ? e->name : "");
    if (kind == FR_NONE) return give_up(c, "unknown reduction");
    if (c->broadcast && (depends_on_scope(c, e->args[0]) || depends_on_scope(c, e->args[1])))
        return give_up(c, arena_printf(c->a, "the range of %s depends on another variable", e->name));
    pyval lo, hi;
    if (!tr(c, e->args[0], &lo) || !tr(c, e->args[1], &hi)) return false;
    const char *var = py_name(c, e->var);
    if (c->n_axes >= MAX_AXES) return give_up(c, "reductions nested too deeply");
    if (!c->broadcast) {
        /* range() needs integers: a bound read from a tensor is converted */
        const char *range = arena_printf(c->a, "range(%s, %s)", lo.tensor ? arena_printf(c->a, "int(%s)", lo.text) : lo.text,
                                         hi.tensor ? arena_printf(c->a, "int(%s)", hi.text) : hi.text);
        c->axes[c->n_axes++] = (axis){e->var, true, lo.text, hi.text, NULL};
        pyval body;
        tr(c, e->args[2], &body);
        c->n_axes--;
        const char *t = NULL;
        switch (kind) {
        case FR_SUM: t = arena_printf(c->a, "sum(%s for %s in %s)", body.text, var, range); break;
        case FR_PROD: t = arena_printf(c->a, "math.prod(%s for %s in %s)", body.text, var, range); break;
        case FR_MAX: t = arena_printf(c->a, "max((%s for %s in %s), default=-math.inf)", body.text, var, range); break;
        case FR_MIN: t = arena_printf(c->a, "min((%s for %s in %s), default=math.inf)", body.text, var, range); break;
        /* max/min return the first extremum, as argmax must; an empty range raises */
        case FR_ARGMAX: t = arena_printf(c->a, "max(%s, key=lambda %s: float(%s))", range, var, body.text); break;
        case FR_ARGMIN: t = arena_printf(c->a, "min(%s, key=lambda %s: float(%s))", range, var, body.text); break;
        default: break;
        }
        *out = val(t, PY_ATOM, body.tensor && kind != FR_ARGMAX && kind != FR_ARGMIN);
        return true;
    }
    if (lo.tensor || hi.tensor)
        return give_up(c, arena_printf(c->a, "the range of %s depends on tensor data", e->name));
    if (!mentions(e->args[2], e->var))
        return give_up(c, arena_printf(c->a, "the body of %s does not depend on '%s'", e->name, e->var));
    c->axes[c->n_axes++] = (axis){e->var, true, wrap(c, lo, PY_ADD), wrap(c, hi, PY_ADD), NULL};
    bool ok = true;
    if (kind == FR_SUM && try_einsum(c, e, out)) {
        c->n_axes--;
        return true;
    }
    pyval body;
    ok = tr(c, e->args[2], &body);
    c->n_axes--;
    if (!ok) return false;
    if (!body.tensor) return give_up(c, "a reduction body is not a tensor");
    static const char *const method[] = {
        [FR_SUM] = "sum", [FR_PROD] = "prod", [FR_MAX] = "amax", [FR_MIN] = "amin",
        [FR_ARGMAX] = "argmax", [FR_ARGMIN] = "argmin",
    };
    const char *t = arena_printf(c->a, "%s.%s(dim=-1)", wrap(c, body, PY_ATOM), method[kind]);
    if ((kind == FR_ARGMAX || kind == FR_ARGMIN) && strcmp(lo.text, "0") != 0) {
        *out = val(arena_printf(c->a, "%s + %s", t, wrap(c, lo, PY_MUL)), PY_ADD, true);   /* indices from lo */
        return true;
    }
    *out = val(t, PY_ATOM, true);
    return true;
}

static bool tr(pyctx *c, const fexpr *e, pyval *out) {
    static const char *const cmp_py[] = {"<", "<=", ">", ">=", "==", "!="};
    pyval x[2];
    *out = val("None", PY_ATOM, false);
    switch (e->kind) {
    case FX_NUM:
        *out = py_number(c, e->num);
        return true;
    case FX_NAME:
        return tr_name(c, e, out);
    case FX_ACCESS:
        return tr_access(c, e, out);
    case FX_BINOP: {
        if (!tr(c, e->args[0], &x[0]) || !tr(c, e->args[1], &x[1])) return false;
        int prec = e->op == '^' ? PY_POW : e->op == '+' || e->op == '-' ? PY_ADD : PY_MUL;
        const char *op = e->op == '^' ? "**" : e->op == FOP_FLOORDIV ? "//" : e->op == '+' ? "+" : e->op == '-' ? "-"
                       : e->op == '*' ? "*" : e->op == '/' ? "/" : "%";
        int left = e->op == '^' ? PY_ATOM : prec, right = e->op == '^' ? PY_NEG : prec + 1;
        *out = val(arena_printf(c->a, "%s %s %s", wrap(c, x[0], left), op, wrap(c, x[1], right)), prec,
                   x[0].tensor || x[1].tensor);
        return true;
    }
    case FX_NEG:
        if (!tr(c, e->args[0], &x[0])) return false;
        *out = val(arena_printf(c->a, "-%s", wrap(c, x[0], PY_NEG)), PY_NEG, x[0].tensor);
        return true;
    case FX_CMP:
        if (!tr(c, e->args[0], &x[0]) || !tr(c, e->args[1], &x[1])) return false;
        *out = val(arena_printf(c->a, "%s %s %s", wrap(c, x[0], PY_CMP + 1), e->op >= 0 && e->op <= FC_NE ? cmp_py[e->op] : "?",
                                wrap(c, x[1], PY_CMP + 1)), PY_CMP, x[0].tensor || x[1].tensor);
        out->boolean = true;
        return true;
    case FX_AND: case FX_OR: case FX_NOT:
        return tr_logic(c, e, out);
    case FX_WHERE:
        return tr_where(c, e, out);
    case FX_CALL:
        return tr_call(c, e, out);
    case FX_REDUCE:
        return tr_reduce(c, e, out);
    }
    return give_up(c, "unknown expression");
}

/* ---- equations --------------------------------------------------------------------------- */

/* The extent of left-side variable var: name.shape[d] of a tensor indexed by plain var. */
static const char *find_extent(pyctx *c, const fexpr *e, const char *var) {
    if (e->kind == FX_REDUCE && e->var && strcmp(e->var, var) == 0) {
        for (int i = 0; i < 2; i++) {
            const char *s = find_extent(c, e->args[i], var);
            if (s) return s;
        }
        return NULL;
    }
    if (e->kind == FX_ACCESS) {
        int q = equation_of(c->f, e->name);
        bool tensor = q < 0 || (!c->is_function[q] && c->is_tensor[q]);
        for (int i = 0; tensor && i < e->n_args; i++)
            if (e->args[i]->kind == FX_NAME && strcmp(e->args[i]->name, var) == 0)
                return arena_printf(c->a, "%s.shape[%d]", py_name(c, e->name), i);
    }
    for (int i = 0; i < e->n_args; i++) {
        const char *s = find_extent(c, e->args[i], var);
        if (s) return s;
    }
    return NULL;
}

/* Depth-first order in which every output comes after the outputs it uses (a cycle keeps
 * the written order for the rest). */
static void order_visit(const formula *f, int q, int *state, int *order, int *n);

static void order_refs(const formula *f, const fexpr *e, int *state, int *order, int *n) {
    if (e->kind == FX_NAME || e->kind == FX_ACCESS) {
        int q = equation_of(f, e->name);
        if (q >= 0) order_visit(f, q, state, order, n);
    }
    for (int i = 0; i < e->n_args; i++) order_refs(f, e->args[i], state, order, n);
}

static void order_visit(const formula *f, int q, int *state, int *order, int *n) {
    if (state[q]) return;
    state[q] = 1;
    order_refs(f, f->eqs[q].rhs, state, order, n);
    order[(*n)++] = q;
}

static void print_equation(pyctx *c, int q, strbuf *out) {
    const fequation *eq = &c->f->eqs[q];
    const char *name = py_name(c, eq->output);
    /* the broadcast form */
    c->broadcast = true;
    c->reason = NULL;
    c->n_axes = 0;
    for (int i = 0; i < eq->n_indices && i < MAX_AXES; i++) {
        c->axes[c->n_axes++] = (axis){eq->indices[i], false, NULL, NULL, find_extent(c, eq->rhs, eq->indices[i])};
        if (!mentions(eq->rhs, eq->indices[i]))
            give_up(c, arena_printf(c->a, "the right side does not depend on '%s', so its extent is unknown", eq->indices[i]));
    }
    if (eq->n_indices > MAX_AXES) give_up(c, "too many indices");
    pyval v;
    if (!c->reason && tr(c, eq->rhs, &v)) {
        strbuf_printf(out, "%s = %s\n", name, v.text);
        c->is_tensor[q] = v.tensor;
        return;
    }
    /* the element function */
    const char *reason = c->reason ? c->reason : "no broadcast form";
    c->broadcast = false;
    c->n_axes = 0;
    for (int i = 0; i < eq->n_indices && i < MAX_AXES; i++) c->axes[c->n_axes++] = (axis){eq->indices[i], false, NULL, NULL, NULL};
    tr(c, eq->rhs, &v);
    if (eq->n_indices == 0) {
        strbuf_printf(out, "# %s: computed element by element (%s)\n%s = %s\n", eq->output, reason, name, v.text);
        c->is_tensor[q] = v.tensor;
        return;
    }
    strbuf_printf(out, "# %s: no broadcast form (%s); %s(", eq->output, reason, name);
    for (int i = 0; i < eq->n_indices; i++) strbuf_printf(out, "%s%s", i ? ", " : "", py_name(c, eq->indices[i]));
    strbuf_printf(out, ") computes one element\n%s = lambda ", name);
    for (int i = 0; i < eq->n_indices; i++) strbuf_printf(out, "%s%s", i ? ", " : "", py_name(c, eq->indices[i]));
    strbuf_printf(out, ": %s\n", v.text);
    c->is_function[q] = true;
}

void formula_print_pytorch(const formula *f, strbuf *out) {
    if (!f || f->n_eqs == 0) return;
    arena a;
    arena_init(&a);
    pyctx c = {.a = &a, .f = f};
    c.is_function = arena_alloc(&a, (size_t)f->n_eqs * sizeof *c.is_function);
    c.is_tensor = arena_alloc(&a, (size_t)f->n_eqs * sizeof *c.is_tensor);
    c.printed = arena_alloc(&a, (size_t)f->n_eqs * sizeof *c.printed);
    int *state = arena_alloc(&a, (size_t)f->n_eqs * sizeof *state);
    int *order = arena_alloc(&a, (size_t)f->n_eqs * sizeof *order);
    int n = 0;
    for (int q = 0; q < f->n_eqs; q++) order_visit(f, q, state, order, &n);
    strbuf_append(out, "# PyTorch (import math, torch): inputs are tensors, parameters Python numbers\n");
    for (int i = 0; i < n; i++) {
        print_equation(&c, order[i], out);
        c.printed[order[i]] = true;
    }
    arena_free(&a);
}
