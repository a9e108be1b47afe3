/* language: operator table and e-node hashing / ordering; see language.h. */
#include "simplify/language.h"
#include "formula/formula.h"
#include "util/hash.h"
#include <string.h>

static const struct {
    const char *name;
    eop_class kind;
    int arity;
} op_table[EOP_COUNT] = {
    [EOP_NUM] = {"num", EOC_LEAF, 0},        [EOP_SYM] = {"sym", EOC_LEAF, 0},
    [EOP_BVAR] = {"bvar", EOC_LEAF, 0},      [EOP_ACCESS] = {"[]", EOC_ACCESS, -1},
    [EOP_ADD] = {"+", EOC_BINARY, 2},        [EOP_SUB] = {"-", EOC_BINARY, 2},
    [EOP_MUL] = {"*", EOC_BINARY, 2},        [EOP_DIV] = {"/", EOC_BINARY, 2},
    [EOP_MOD] = {"%", EOC_BINARY, 2},        [EOP_FLOORDIV] = {"//", EOC_BINARY, 2},
    [EOP_POW] = {"^", EOC_BINARY, 2},        [EOP_NEG] = {"neg", EOC_UNARY, 1},
    [EOP_LT] = {"<", EOC_CMP, 2},            [EOP_LE] = {"<=", EOC_CMP, 2},
    [EOP_GT] = {">", EOC_CMP, 2},            [EOP_GE] = {">=", EOC_CMP, 2},
    [EOP_EQ] = {"==", EOC_CMP, 2},           [EOP_NE] = {"!=", EOC_CMP, 2},
    [EOP_AND] = {"and", EOC_LOGIC, 2},       [EOP_OR] = {"or", EOC_LOGIC, 2},
    [EOP_NOT] = {"not", EOC_LOGIC, 1},       [EOP_WHERE] = {"where", EOC_WHERE, 3},
    [EOP_EXP] = {"exp", EOC_CALL, 1},        [EOP_EXP2] = {"exp2", EOC_CALL, 1},
    [EOP_LOG] = {"log", EOC_CALL, 1},        [EOP_LOG2] = {"log2", EOC_CALL, 1},
    [EOP_SQRT] = {"sqrt", EOC_CALL, 1},      [EOP_RSQRT] = {"rsqrt", EOC_CALL, 1},
    [EOP_ABS] = {"abs", EOC_CALL, 1},        [EOP_ERF] = {"erf", EOC_CALL, 1},
    [EOP_TANH] = {"tanh", EOC_CALL, 1},      [EOP_SIGMOID] = {"sigmoid", EOC_CALL, 1},
    [EOP_SIN] = {"sin", EOC_CALL, 1},        [EOP_COS] = {"cos", EOC_CALL, 1},
    [EOP_POWF] = {"pow", EOC_CALL, 2},       [EOP_MAX] = {"max", EOC_CALL, 2},
    [EOP_MIN] = {"min", EOC_CALL, 2},
    [EOP_SUM] = {"sum", EOC_REDUCE, 3},      [EOP_PROD] = {"prod", EOC_REDUCE, 3},
    [EOP_RMAX] = {"max", EOC_REDUCE, 3},     [EOP_RMIN] = {"min", EOC_REDUCE, 3},
    [EOP_ARGMAX] = {"argmax", EOC_REDUCE, 3}, [EOP_ARGMIN] = {"argmin", EOC_REDUCE, 3},
};

const char *eop_name(eop op) { return op < EOP_COUNT ? op_table[op].name : "?"; }
eop_class eop_kind(eop op) { return op < EOP_COUNT ? op_table[op].kind : EOC_LEAF; }
int eop_arity(eop op) { return op < EOP_COUNT ? op_table[op].arity : 0; }
bool eop_is_reduce(eop op) { return op >= EOP_SUM && op <= EOP_ARGMIN; }

eop eop_from_call(const char *name, int n_args) {
    for (int op = EOP_EXP; op <= EOP_MIN; op++)
        if (strcmp(op_table[op].name, name) == 0 && op_table[op].arity == n_args) return (eop)op;
    return EOP_COUNT;
}

eop eop_from_reduce(const char *name) {
    for (int op = EOP_SUM; op <= EOP_ARGMIN; op++)
        if (strcmp(op_table[op].name, name) == 0) return (eop)op;
    return EOP_COUNT;
}

eop eop_from_binop(int op) {
    switch (op) {
    case '+': return EOP_ADD;
    case '-': return EOP_SUB;
    case '*': return EOP_MUL;
    case '/': return EOP_DIV;
    case '%': return EOP_MOD;
    case '^': return EOP_POW;
    case FOP_FLOORDIV: return EOP_FLOORDIV;
    default: return EOP_COUNT;
    }
}

eop eop_from_cmp(int c) {
    switch ((fcmp)c) {
    case FC_LT: return EOP_LT;
    case FC_LE: return EOP_LE;
    case FC_GT: return EOP_GT;
    case FC_GE: return EOP_GE;
    case FC_EQ: return EOP_EQ;
    case FC_NE: return EOP_NE;
    }
    return EOP_COUNT;
}

static uint64_t num_bits(double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

bool enode_equal(const enode *a, const enode *b) {
    if (a->op != b->op || a->n != b->n || a->sym != b->sym || num_bits(a->num) != num_bits(b->num)) return false;
    for (int i = 0; i < a->n; i++)
        if (a->kids[i] != b->kids[i]) return false;
    return true;
}

uint64_t enode_hash(const enode *n) {
    uint64_t h = hash_mix((uint64_t)n->op << 8 | n->n, n->sym);
    h = hash_mix(h, num_bits(n->num));
    for (int i = 0; i < n->n; i++) h = hash_mix(h, n->kids[i]);
    return h;
}

int enode_compare(const enode *a, const enode *b) {
    if (a->op != b->op) return a->op < b->op ? -1 : 1;
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    if (a->sym != b->sym) return a->sym < b->sym ? -1 : 1;
    uint64_t x = num_bits(a->num), y = num_bits(b->num);
    if (x != y) return x < y ? -1 : 1;
    for (int i = 0; i < a->n; i++)
        if (a->kids[i] != b->kids[i]) return a->kids[i] < b->kids[i] ? -1 : 1;
    return 0;
}
