/* ast: the syntax tree of the @triton.jit functions of a Python module, plus the module-level
 * names they may use (constants and import aliases). Host code is not represented: the parser
 * lexes and skips it. All nodes live in the arena of the module that owns them. */
#ifndef VLIFT_AST_H
#define VLIFT_AST_H
#include "util/arena.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ast_expr ast_expr;
typedef struct ast_stmt ast_stmt;

typedef enum expr_kind {
    EX_NAME,        /* name */
    EX_INT,         /* ival (text keeps the literal) */
    EX_FLOAT,       /* fval */
    EX_STR,         /* str (decoded), is_fstring */
    EX_BOOL,        /* ival 0/1 */
    EX_NONE,
    EX_ELLIPSIS,
    EX_ATTR,        /* obj.name */
    EX_CALL,        /* fn(args..., kw=...) ; kwargs have arg names, *args have starred */
    EX_SUBSCRIPT,   /* obj[items]; items are exprs, EX_SLICE or EX_NONE */
    EX_SLICE,       /* lo:hi:step (each may be NULL) */
    EX_BINOP,       /* lhs op rhs */
    EX_UNARY,       /* op operand: "-", "+", "~", "not" */
    EX_COMPARE,     /* items[0] ops[0] items[1] ops[1] items[2] ... (chained) */
    EX_BOOLOP,      /* op "and" / "or" over items (n >= 2) */
    EX_IFEXP,       /* body if cond else orelse */
    EX_TUPLE,       /* items */
    EX_LIST,        /* items */
    EX_DICT,        /* items: key, value, key, value ... */
    EX_STARRED,     /* *operand */
} expr_kind;

typedef enum binop_kind {
    OP_ADD, OP_SUB, OP_MUL, OP_TRUEDIV, OP_FLOORDIV, OP_MOD, OP_POW, OP_MATMUL,
    OP_LSHIFT, OP_RSHIFT, OP_BITAND, OP_BITOR, OP_BITXOR,
} binop_kind;

typedef enum cmp_kind { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE,
                        CMP_IS, CMP_IS_NOT, CMP_IN, CMP_NOT_IN } cmp_kind;

typedef enum unary_kind { UN_NEG, UN_POS, UN_INVERT, UN_NOT } unary_kind;

typedef struct ast_kwarg {
    const char *name;       /* NULL for **expr */
    ast_expr *value;
} ast_kwarg;

struct ast_expr {
    expr_kind kind;
    int line, col;
    const char *name;       /* EX_NAME identifier; EX_ATTR attribute name */
    int64_t ival;
    double fval;
    const char *str;        /* EX_STR decoded text; EX_INT/EX_FLOAT literal text */
    bool is_fstring;
    int op;                 /* binop_kind / unary_kind; EX_BOOLOP: 0 = and, 1 = or */
    ast_expr *lhs, *rhs;    /* EX_BINOP; EX_ATTR/EX_SUBSCRIPT/EX_CALL object is lhs;
                               EX_UNARY/EX_STARRED operand is lhs */
    ast_expr *cond;         /* EX_IFEXP: lhs = body, cond, rhs = orelse */
    ast_expr *slice[3];     /* EX_SLICE lo, hi, step */
    ast_expr **items;       /* EX_CALL positional args, EX_SUBSCRIPT indices, EX_COMPARE
                               operands, EX_BOOLOP/EX_TUPLE/EX_LIST/EX_DICT elements */
    int n_items;
    cmp_kind *cmp_ops;      /* EX_COMPARE: n_items - 1 operators */
    ast_kwarg *kwargs;      /* EX_CALL */
    int n_kwargs;
};

typedef enum stmt_kind {
    ST_EXPR,        /* value */
    ST_ASSIGN,      /* targets[0] = targets[1] = ... = value */
    ST_AUGASSIGN,   /* targets[0] op= value  (op is a binop_kind) */
    ST_ANNASSIGN,   /* targets[0] : annotation [= value] */
    ST_IF,          /* cond: body else orelse (elif is a nested ST_IF in orelse) */
    ST_FOR,         /* for targets[0] in value: body  (orelse unsupported by Triton) */
    ST_WHILE,       /* while cond: body */
    ST_RETURN,      /* value may be NULL */
    ST_PASS,
    ST_BREAK,
    ST_CONTINUE,
    ST_ASSERT,      /* cond, value = message or NULL */
} stmt_kind;

struct ast_stmt {
    stmt_kind kind;
    int line, col;
    ast_expr **targets;
    int n_targets;
    ast_expr *value;
    ast_expr *annotation;
    ast_expr *cond;
    int op;
    ast_stmt **body;
    int n_body;
    ast_stmt **orelse;
    int n_orelse;
};

typedef struct ast_param {
    const char *name;
    ast_expr *annotation;   /* e.g. tl.constexpr; NULL if none */
    ast_expr *default_value;
    bool is_constexpr;      /* annotation names constexpr */
    int line, col;
} ast_param;

typedef struct ast_decorator {
    const char *dotted;     /* "triton.jit", "libentry", "triton.autotune" ... (call args dropped) */
    bool is_call;
    int line, col;
} ast_decorator;

typedef struct ast_func {
    const char *name;
    int line, col;
    ast_param *params;
    int n_params;
    ast_stmt **body;
    int n_body;
    ast_decorator *decorators;
    int n_decorators;
} ast_func;

typedef struct ast_const {   /* module-level NAME = expr (or NAME: T = expr) */
    const char *name;
    ast_expr *value;
    int line, col;
} ast_const;

typedef struct ast_alias {   /* import a.b as c  /  from a.b import c as d */
    const char *local;       /* name bound in the module: "tl", "libdevice", "tle" */
    const char *target;      /* full dotted path: "triton.language", "triton.language.extra.libdevice";
                                relative imports keep their leading dots: "..utils.triton_lang_extension" */
    int line;
} ast_alias;

typedef struct ast_module {
    const char *file;
    ast_func **funcs;        /* the jitted functions, in source order */
    int n_funcs;
    ast_const *consts;       /* later assignments override earlier ones */
    int n_consts;
    ast_alias *aliases;
    int n_aliases;
} ast_module;

/* The '*' and '/' separators and *args / **kwargs are kept as parameters named "*", "/",
 * "*args", "**kwargs"; they bind no value of their own. */
bool ast_param_is_marker(const ast_param *p);
const ast_func *ast_find_func(const ast_module *m, const char *name);
const ast_const *ast_find_const(const ast_module *m, const char *name);  /* the last binding */
const char *ast_alias_target(const ast_module *m, const char *local);    /* NULL if none */

const char *binop_symbol(binop_kind op);
const char *cmp_symbol(cmp_kind op);
const char *unary_symbol(unary_kind op);

#endif
