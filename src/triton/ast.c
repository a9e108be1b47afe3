/* ast: lookups over a parsed module and the source spelling of operators (see ast.h). */
#include "triton/ast.h"
#include <string.h>

/* Later definitions shadow earlier ones, as when Python executes the module. */
const ast_func *ast_find_func(const ast_module *m, const char *name) {
    for (int i = m->n_funcs - 1; i >= 0; i--)
        if (strcmp(m->funcs[i]->name, name) == 0) return m->funcs[i];
    return NULL;
}

const ast_const *ast_find_const(const ast_module *m, const char *name) {
    for (int i = m->n_consts - 1; i >= 0; i--)
        if (strcmp(m->consts[i].name, name) == 0) return &m->consts[i];
    return NULL;
}

const char *ast_alias_target(const ast_module *m, const char *local) {
    for (int i = m->n_aliases - 1; i >= 0; i--)
        if (strcmp(m->aliases[i].local, local) == 0) return m->aliases[i].target;
    return NULL;
}

const char *binop_symbol(binop_kind op) {
    switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_TRUEDIV: return "/";
    case OP_FLOORDIV: return "//";
    case OP_MOD: return "%";
    case OP_POW: return "**";
    case OP_MATMUL: return "@";
    case OP_LSHIFT: return "<<";
    case OP_RSHIFT: return ">>";
    case OP_BITAND: return "&";
    case OP_BITOR: return "|";
    case OP_BITXOR: return "^";
    }
    return "?";
}

const char *cmp_symbol(cmp_kind op) {
    switch (op) {
    case CMP_LT: return "<";
    case CMP_LE: return "<=";
    case CMP_GT: return ">";
    case CMP_GE: return ">=";
    case CMP_EQ: return "==";
    case CMP_NE: return "!=";
    case CMP_IS: return "is";
    case CMP_IS_NOT: return "is not";
    case CMP_IN: return "in";
    case CMP_NOT_IN: return "not in";
    }
    return "?";
}

const char *unary_symbol(unary_kind op) {
    switch (op) {
    case UN_NEG: return "-";
    case UN_POS: return "+";
    case UN_INVERT: return "~";
    case UN_NOT: return "not";
    }
    return "?";
}

bool ast_param_is_marker(const ast_param *p) {
    return p->name[0] == '*' || strcmp(p->name, "/") == 0;
}
