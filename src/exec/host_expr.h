/* host_expr: evaluation of the host-side expressions of a manifest (sizes, grids, argument
 * bindings, constexpr choices, preconditions, guards) — a small Python subset over integers,
 * floats, booleans, None, strings and tensors (a tensor is a pointer to its first element).
 * Errors point into the manifest (file:line:col of the expression). */
#ifndef VLIFT_HOST_EXPR_H
#define VLIFT_HOST_EXPR_H
#include "exec/memory.h"
#include "exec/plan.h"
#include "util/diag.h"

typedef enum host_kind { HV_INT, HV_FLOAT, HV_BOOL, HV_NONE, HV_STR, HV_TENSOR } host_kind;

typedef struct host_value {
    host_kind kind;
    int64_t i;              /* HV_INT, HV_BOOL; HV_TENSOR: element offset */
    double f;               /* HV_FLOAT */
    const char *s;          /* HV_STR */
    int buf;                /* HV_TENSOR: buffer id */
    const char *param;      /* HV_FLOAT/HV_INT read straight from a scalar parameter */
    bool symbolic;          /* ... that is symbolic in specs */
} host_value;

typedef struct host_binding { const char *name; host_value value; } host_binding;

typedef struct host_scope {
    host_binding *items;
    int n, cap;
    const struct host_scope *parent;   /* looked up when a name is not bound here */
    const exec_memory *mem;            /* for stride()/size()/numel() of tensors */
} host_scope;

void host_scope_init(host_scope *s, const host_scope *parent, const exec_memory *mem);
void host_scope_free(host_scope *s);
void host_scope_set(host_scope *s, const char *name, host_value v);
const host_value *host_scope_get(const host_scope *s, const char *name);

bool host_eval(arena *a, const plan_expr *e, const host_scope *scope, host_value *out, diag *err);
/* Convenience: an integer (bools count as 0/1) / a truth value. */
bool host_eval_int(arena *a, const plan_expr *e, const host_scope *scope, int64_t *out, diag *err);
bool host_eval_bool(arena *a, const plan_expr *e, const host_scope *scope, bool *out, diag *err);
void host_value_format(const host_value *v, char *buf, int size);

#endif
