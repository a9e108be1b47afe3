/* formula: the parts of the formula language shared by every stage — looking up equations,
 * structural equality of expressions and formulas, the table of built-in functions, and the
 * canonical number format. */
#include "formula/formula_internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; int arity; } func_table[FF_COUNT] = {
    [FF_EXP] = {"exp", 1},     [FF_EXP2] = {"exp2", 1},   [FF_LOG] = {"log", 1},
    [FF_LOG2] = {"log2", 1},   [FF_SQRT] = {"sqrt", 1},   [FF_RSQRT] = {"rsqrt", 1},
    [FF_ABS] = {"abs", 1},     [FF_ERF] = {"erf", 1},     [FF_TANH] = {"tanh", 1},
    [FF_SIGMOID] = {"sigmoid", 1}, [FF_SIN] = {"sin", 1}, [FF_COS] = {"cos", 1},
    [FF_POW] = {"pow", 2},     [FF_MAX] = {"max", 2},     [FF_MIN] = {"min", 2},
};

static const char *const reduce_names[FR_COUNT] = {
    [FR_SUM] = "sum", [FR_PROD] = "prod", [FR_MAX] = "max", [FR_MIN] = "min",
    [FR_ARGMAX] = "argmax", [FR_ARGMIN] = "argmin",
};

ffunc formula_func_lookup(const char *name) {
    for (int f = 0; f < FF_COUNT; f++)
        if (strcmp(func_table[f].name, name) == 0) return (ffunc)f;
    return FF_NONE;
}

freduce formula_reduce_lookup(const char *name) {
    for (int r = 0; r < FR_COUNT; r++)
        if (strcmp(reduce_names[r], name) == 0) return (freduce)r;
    return FR_NONE;
}

int formula_func_arity(ffunc f) { return f >= 0 && f < FF_COUNT ? func_table[f].arity : 0; }
const char *formula_func_name(ffunc f) { return f >= 0 && f < FF_COUNT ? func_table[f].name : "?"; }

const fequation *formula_find(const formula *f, const char *output) {
    if (!f || !output) return NULL;
    for (int i = 0; i < f->n_eqs; i++)
        if (strcmp(f->eqs[i].output, output) == 0) return &f->eqs[i];
    return NULL;
}

static bool same_string(const char *a, const char *b) {
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

bool fexpr_equal(const fexpr *a, const fexpr *b) {
    if (a == b) return true;
    if (!a || !b || a->kind != b->kind || a->n_args != b->n_args) return false;
    switch (a->kind) {
    case FX_NUM:
        /* NaN equals NaN here: equality is about the written formula, not arithmetic */
        if (!(a->num == b->num || (isnan(a->num) && isnan(b->num)))) return false;
        break;
    case FX_NAME: case FX_ACCESS: case FX_CALL:
        if (!same_string(a->name, b->name)) return false;
        break;
    case FX_BINOP: case FX_CMP:
        if (a->op != b->op) return false;
        break;
    case FX_REDUCE:
        if (!same_string(a->name, b->name) || !same_string(a->var, b->var)) return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < a->n_args; i++)
        if (!fexpr_equal(a->args[i], b->args[i])) return false;
    return true;
}

bool formula_equal(const formula *a, const formula *b) {
    if (a == b) return true;
    if (!a || !b || a->n_eqs != b->n_eqs) return false;
    for (int e = 0; e < a->n_eqs; e++) {
        const fequation *x = &a->eqs[e], *y = &b->eqs[e];
        if (!same_string(x->output, y->output) || x->n_indices != y->n_indices) return false;
        for (int i = 0; i < x->n_indices; i++)
            if (!same_string(x->indices[i], y->indices[i])) return false;
        if (!fexpr_equal(x->rhs, y->rhs)) return false;
    }
    return true;
}

void formula_format_number(double v, char *buf, size_t size) {
    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, size, "%s", v > 0 ? "inf" : "-inf");
        return;
    }
    /* integers are written out in full while that stays exact and short (100, not 1e+02) */
    if (v == floor(v) && fabs(v) < 1e17) {
        snprintf(buf, size, "%.0f", v);
        if (strcmp(buf, "-0") == 0) snprintf(buf, size, "-0.0");
        return;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) return;
    }
}
