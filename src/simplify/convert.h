/* convert: between formulas (formula.h) and the e-graph.
 *
 * Into the e-graph: names bound by reductions become de Bruijn indices (language.h); other
 * names become symbols flagged as sizes, equation indices, inputs or outputs (analysis.h).
 * An access to another output of the formula (mean[i] in var[i] = ...) is merged with that
 * output's definition instantiated at the access's indices — an equality by definition — so
 * rules see through it (the two-pass variance rule needs mean[i] = sum(x[i,k]) / N); one
 * level deep, which is all a non-recursive formula needs. With `approximate`, decimal literals
 * that constants.h recognises become the named constants' terms and are recorded.
 *
 * Out of the e-graph: the extracted term of a class as an expression, bound variables named
 * k, s, t, u, ... avoiding every name of the formula and every enclosing binder. */
#ifndef VLIFT_SIMPLIFY_CONVERT_H
#define VLIFT_SIMPLIFY_CONVERT_H
#include "formula/formula.h"
#include "simplify/constants.h"
#include "simplify/extract.h"

#define CONVERT_MAX_APPROX 16

typedef struct approx_use {
    const named_constant *c;
    double literal;
} approx_use;

typedef struct convert_ctx {
    egraph *g;
    const formula *f;
    bool approximate;
    approx_use uses[CONVERT_MAX_APPROX];
    int n_uses;
    char err[256];           /* set when conversion fails (unsupported construct) */
} convert_ctx;

/* Flags every free name of f (sizes: the given names, or when sizes is NULL the names used
 * as range bounds). */
void convert_flag_names(egraph *g, const formula *f, const char *const *sizes, int n_sizes);
/* The class of equation q's right-hand side; ECLASS_NONE with ctx->err on failure. */
eclass_id convert_equation(convert_ctx *ctx, int q);

/* The extracted term of class c; NULL if none can be built (nothing allowed, too large). */
fexpr *convert_extract(arena *a, egraph *g, const extractor *x, eclass_id c, const formula *f);

/* AST nodes of a formula (every expression node counts one). */
int convert_formula_size(const formula *f);

#endif
