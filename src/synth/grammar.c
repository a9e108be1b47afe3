/* grammar: the search space of synthesis in one place — the unary functions, binary operators,
 * comparisons, reductions and constants bottom-up enumeration combines, the constants of index
 * expressions, and the numeric meaning of each. (The shape of candidates — terminals, reduction
 * ranges, which operands each production takes — is in enumerate.c and index.c, which read
 * these tables.)
 *
 *   expr   := terminal | unary(expr) | expr binop expr | where(expr cmp expr, expr, expr)
 *           | red(k in lo..hi: expr)                    (the body must use k)
 *   unary  := exp log sqrt rsqrt abs -e e^2 sigmoid tanh erf exp2 log2 sin cos
 *             (transcendental functions are not applied to each other's results)
 *   binop  := + - * / pow max min
 *   cmp    := < <= == !=
 *   red    := sum prod max min argmax argmin ; ranges 0..S (a size), 0..v+1 and 0..v (v in scope)
 *   terminal := input[idx,...] with each idx a scope variable or 0 | output[idx,...] likewise
 *             | reductions lifted elsewhere in the same output | scope variables | sizes
 *             | parameters | 0 1 2 | real constants of the output's spec terms
 *   index  := scope variable | size | integer parameter | int_input[vars] | 0 1 2
 *             | index (+ - * // %) index                   (index.c)                        */
#include "synth/synth_internal.h"
#include <math.h>
#include <string.h>

const grammar_unary grammar_unaries[] = {
    {"exp", T_EXP, GF_TRANSCENDENTAL},   {"log", T_LOG, GF_TRANSCENDENTAL},
    {"sqrt", T_SQRT, GF_TRANSCENDENTAL}, {"rsqrt", T_RSQRT, GF_TRANSCENDENTAL},
    {"abs", T_ABS, GF_ALGEBRAIC},        {"neg", T_NEG, GF_ALGEBRAIC},
    {"sq", T_POW, GF_ALGEBRAIC},         {"sigmoid", T_SIGMOID, GF_TRANSCENDENTAL},
    {"tanh", T_TANH, GF_TRANSCENDENTAL}, {"erf", T_ERF, GF_TRANSCENDENTAL},
    {"exp2", T_EXP2, GF_TRANSCENDENTAL}, {"log2", T_LOG2, GF_TRANSCENDENTAL},
    {"sin", T_SIN, GF_TRANSCENDENTAL},   {"cos", T_COS, GF_TRANSCENDENTAL},
};
const int grammar_n_unaries = (int)(sizeof grammar_unaries / sizeof grammar_unaries[0]);

const grammar_binary grammar_binaries[] = {
    {"+", T_ADD, true}, {"-", T_SUB, false}, {"*", T_MUL, true}, {"/", T_DIV, false},
    {"pow", T_POW, false}, {"max", T_MAX, true}, {"min", T_MIN, true},
};
const int grammar_n_binaries = (int)(sizeof grammar_binaries / sizeof grammar_binaries[0]);

const fcmp grammar_cmps[] = {FC_LT, FC_LE, FC_EQ, FC_NE};
const int grammar_n_cmps = (int)(sizeof grammar_cmps / sizeof grammar_cmps[0]);

const char *const grammar_reductions[] = {"sum", "prod", "max", "min", "argmax", "argmin"};
const int grammar_n_reductions = (int)(sizeof grammar_reductions / sizeof grammar_reductions[0]);

const double grammar_constants[] = {0, 1, 2};
const int grammar_n_constants = (int)(sizeof grammar_constants / sizeof grammar_constants[0]);

const int64_t grammar_index_constants[] = {0, 1, 2};
const int grammar_n_index_constants = (int)(sizeof grammar_index_constants / sizeof grammar_index_constants[0]);

static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

static double apply_op(term_op op, double x) {
    switch (op) {
    case T_EXP: return exp(x);
    case T_LOG: return log(x);
    case T_SQRT: return sqrt(x);
    case T_RSQRT: return 1.0 / sqrt(x);
    case T_ABS: return fabs(x);
    case T_NEG: return -x;
    case T_SIGMOID: return sigmoid(x);
    case T_TANH: return tanh(x);
    case T_ERF: return erf(x);
    case T_EXP2: return exp2(x);
    case T_LOG2: return log2(x);
    case T_SIN: return sin(x);
    case T_COS: return cos(x);
    default: return NAN;
    }
}

double grammar_apply_unary(int u, double x) {
    if (grammar_unaries[u].op == T_POW) return x * x;   /* sq */
    return apply_op(grammar_unaries[u].op, x);
}

double grammar_apply_binary(int b, double x, double y) {
    switch (grammar_binaries[b].op) {
    case T_ADD: return x + y;
    case T_SUB: return x - y;
    case T_MUL: return x * y;
    case T_DIV: return x / y;
    case T_POW: return pow(x, y);
    case T_MAX: return x > y ? x : y;
    case T_MIN: return x < y ? x : y;
    default: return NAN;
    }
}

bool grammar_apply_cmp(fcmp c, double x, double y) {
    switch (c) {
    case FC_LT: return x < y;
    case FC_LE: return x <= y;
    case FC_GT: return x > y;
    case FC_GE: return x >= y;
    case FC_EQ: return x == y;
    default: return x != y;
    }
}

double grammar_reduce_identity(int r) {
    switch (r) {
    case 0: return 0;            /* sum */
    case 1: return 1;            /* prod */
    case 2: return -INFINITY;    /* max */
    case 3: return INFINITY;     /* min */
    default: return NAN;         /* argmax/argmin of an empty range is undefined */
    }
}

void grammar_reduce_step(int r, double *acc, double *best, double v, int64_t k, bool first) {
    switch (r) {
    case 0: *acc += v; break;
    case 1: *acc *= v; break;
    case 2: if (v > *acc) *acc = v; break;
    case 3: if (v < *acc) *acc = v; break;
    case 4: if (first || v > *acc) { *acc = v; *best = (double)k; } break;   /* first maximum */
    default: if (first || v < *acc) { *acc = v; *best = (double)k; } break;
    }
}

static const struct { const char *name; term_op op; int arity; } functions[] = {
    {"exp", T_EXP, 1},   {"exp2", T_EXP2, 1}, {"log", T_LOG, 1},     {"log2", T_LOG2, 1},
    {"sqrt", T_SQRT, 1}, {"rsqrt", T_RSQRT, 1}, {"abs", T_ABS, 1},   {"erf", T_ERF, 1},
    {"tanh", T_TANH, 1}, {"sigmoid", T_SIGMOID, 1}, {"sin", T_SIN, 1}, {"cos", T_COS, 1},
    {"pow", T_POW, 2},   {"max", T_MAX, 2},   {"min", T_MIN, 2},
};
#define N_FUNCTIONS ((int)(sizeof functions / sizeof functions[0]))

bool grammar_call(const char *name, int n, const double *args, double *out) {
    for (int f = 0; f < N_FUNCTIONS; f++) {
        if (strcmp(functions[f].name, name) != 0 || functions[f].arity != n) continue;
        if (n == 1) *out = apply_op(functions[f].op, args[0]);
        else if (functions[f].op == T_POW) *out = pow(args[0], args[1]);
        else if (functions[f].op == T_MAX) *out = args[0] > args[1] ? args[0] : args[1];
        else *out = args[0] < args[1] ? args[0] : args[1];
        return true;
    }
    return false;
}

term_op grammar_term_op(const char *name, int n_args) {
    for (int f = 0; f < N_FUNCTIONS; f++)
        if (strcmp(functions[f].name, name) == 0 && functions[f].arity == n_args) return functions[f].op;
    return T_CONST;
}

const char *grammar_function_of(term_op op) {
    for (int f = 0; f < N_FUNCTIONS; f++)
        if (functions[f].op == op) return functions[f].name;
    return NULL;
}

fexpr *grammar_unary_fexpr(synth_ctx *C, int u, fexpr *x) {
    const grammar_unary *g = &grammar_unaries[u];
    if (g->op == T_NEG) return fx_neg(C, x);
    if (g->op == T_POW) return fx_binop(C, '^', x, fx_num(C, 2));
    return fx_call(C, g->name, 1, &x);
}

fexpr *grammar_binary_fexpr(synth_ctx *C, int b, fexpr *x, fexpr *y) {
    const grammar_binary *g = &grammar_binaries[b];
    if (g->name[1] == 0) return fx_binop(C, g->name[0], x, y);   /* + - * / */
    fexpr *args[2] = {x, y};
    return fx_call(C, g->name, 2, args);
}
