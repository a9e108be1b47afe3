/* plan: lookups over a loaded suite; see plan.h. */
#include "exec/plan.h"
#include <string.h>

const plan_op *plan_find_op(const plan_suite *s, const char *name) {
    for (int i = 0; i < s->n_ops; i++)
        if (strcmp(s->ops[i].name, name) == 0) return &s->ops[i];
    return NULL;
}

const plan_variant *plan_find_variant(const plan_op *op, const char *name) {
    for (int i = 0; i < op->n_variants; i++)
        if (strcmp(op->variants[i].name, name) == 0) return &op->variants[i];
    return NULL;
}

static const struct { const char *name; elem_dtype type; } dtype_names[] = {
    {"float32", DT_FLOAT32}, {"fp32", DT_FLOAT32}, {"float16", DT_FLOAT16}, {"fp16", DT_FLOAT16},
    {"bfloat16", DT_BFLOAT16}, {"bf16", DT_BFLOAT16}, {"float64", DT_FLOAT64}, {"fp64", DT_FLOAT64},
    {"int8", DT_INT8}, {"int16", DT_INT16}, {"int32", DT_INT32}, {"int64", DT_INT64},
    {"bool", DT_BOOL}, {"int1", DT_BOOL},
};

const char *elem_dtype_name(elem_dtype t) {
    for (size_t i = 0; i < sizeof dtype_names / sizeof dtype_names[0]; i++)
        if (dtype_names[i].type == t) return dtype_names[i].name;
    return "?";
}

bool elem_dtype_parse(const char *name, elem_dtype *out) {
    for (size_t i = 0; i < sizeof dtype_names / sizeof dtype_names[0]; i++)
        if (strcmp(dtype_names[i].name, name) == 0) { *out = dtype_names[i].type; return true; }
    return false;
}

bool elem_dtype_is_float(elem_dtype t) {
    return t == DT_FLOAT32 || t == DT_FLOAT16 || t == DT_BFLOAT16 || t == DT_FLOAT64;
}
