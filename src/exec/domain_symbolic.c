/* domain_symbolic: the symbolic value domain. A lane is either concrete (computed exactly as in
 * the concrete domain) or a term of the lift's term store; operations with a symbolic operand
 * build terms (the store normalises and folds). See domain.h. */
#include "exec/domain.h"

static term_id to_term(value_domain *d, vclass cls, elem a) {
    if (a.sym) return a.u.t;
    switch (cls) {
    case VC_FLOAT: return term_real(d->terms, a.u.f);
    case VC_BOOL: return term_bool(d->terms, a.u.i != 0);
    default: return term_int(d->terms, a.u.i);
    }
}

/* A term that folded to a constant goes back to a concrete lane, so that addressing and
 * control flow stay concrete. */
static elem from_term(value_domain *d, vclass cls, term_id t) {
    const term_node *n = term_get(d->terms, t);
    if (n->op == T_CONST) {
        if (cls == VC_FLOAT && n->type == TY_REAL) return elem_float(n->u.cval);
        if (cls != VC_FLOAT && n->type != TY_REAL) return elem_int(n->u.ival);
    }
    return elem_term(t);
}

static bool built(value_domain *d, vclass cls, term_id t, elem *out) {
    if (t == TERM_NONE) { d->why = "operand types do not match in the symbolic domain"; return false; }
    *out = from_term(d, cls, t);
    return true;
}

static bool s_arith(value_domain *d, arith_op op, vclass cls, elem a, elem b, elem *out) {
    if (!a.sym && !b.sym) return concrete_arith(op, cls, a, b, out, &d->why);
    if (cls == VC_PTR) { d->why = "pointer arithmetic with a data-dependent offset"; return false; }
    term_id x = to_term(d, cls, a), y = to_term(d, cls, b);
    term_op top;
    switch (op) {
    case AR_ADD: top = T_ADD; break;
    case AR_SUB: top = T_SUB; break;
    case AR_MUL: top = T_MUL; break;
    case AR_TRUEDIV: top = T_DIV; break;
    case AR_MAX: top = T_MAX; break;
    case AR_MIN: top = T_MIN; break;
    case AR_POW: top = T_POW; break;
    case AR_FLOORDIV: case AR_MOD: case AR_TRUNCDIV: case AR_TRUNCMOD:
        if (cls != VC_INT) { d->why = "floor division or modulo of symbolic floating-point values"; return false; }
        top = op == AR_FLOORDIV ? T_FLOORDIV : op == AR_MOD ? T_MOD : op == AR_TRUNCDIV ? T_TRUNCDIV : T_TRUNCMOD;
        break;
    case AR_BITAND: case AR_BITOR: case AR_BITXOR:
        if (cls != VC_BOOL) { d->why = "bitwise operation on symbolic integers"; return false; }
        top = op == AR_BITAND ? T_AND : op == AR_BITOR ? T_OR : T_NE;
        break;
    default:
        d->why = "shift of a symbolic value";
        return false;
    }
    return built(d, cls, term_bin(d->terms, top, x, y), out);
}

static bool s_math(value_domain *d, math_fn fn, vclass cls, elem a, elem *out) {
    if (!a.sym) return concrete_math(fn, cls, a, out, &d->why);
    term_id x = a.u.t;
    static const term_op ops[] = {T_NEG, T_ABS, T_EXP, T_EXP2, T_LOG, T_LOG2, T_SQRT, T_RSQRT,
                                  T_SIGMOID, T_ERF, T_TANH, T_SIN, T_COS};
    if (fn == MF_NOT) {
        if (cls == VC_BOOL) return built(d, cls, term_un(d->terms, T_NOT, x), out);
        term_id zero = cls == VC_FLOAT ? term_real(d->terms, 0) : term_int(d->terms, 0);
        return built(d, VC_BOOL, term_bin(d->terms, T_EQ, x, zero), out);
    }
    if (fn == MF_INVERT) {
        if (cls == VC_BOOL) return built(d, cls, term_un(d->terms, T_NOT, x), out);
        d->why = "bitwise inversion of a symbolic integer";
        return false;
    }
    if (cls != VC_FLOAT && fn != MF_NEG && fn != MF_ABS) {
        d->why = "math function on a symbolic integer";
        return false;
    }
    return built(d, cls, term_un(d->terms, ops[fn], x), out);
}

static bool s_compare(value_domain *d, cmp_kind op, vclass cls, elem a, elem b, elem *out) {
    if (!a.sym && !b.sym) {
        if (!concrete_compare(op, cls, a, b, out)) { d->why = "comparison of pointers into different buffers"; return false; }
        return true;
    }
    term_id x = to_term(d, cls, a), y = to_term(d, cls, b), t;
    switch (op) {
    case CMP_LT: t = term_bin(d->terms, T_LT, x, y); break;
    case CMP_LE: t = term_bin(d->terms, T_LE, x, y); break;
    case CMP_GT: t = term_bin(d->terms, T_LT, y, x); break;
    case CMP_GE: t = term_bin(d->terms, T_LE, y, x); break;
    case CMP_EQ: t = term_bin(d->terms, T_EQ, x, y); break;
    case CMP_NE: t = term_bin(d->terms, T_NE, x, y); break;
    default: d->why = "identity comparison of symbolic values"; return false;
    }
    return built(d, VC_BOOL, t, out);
}

static bool s_select(value_domain *d, vclass cls, elem c, elem a, elem b, elem *out) {
    if (!c.sym) { *out = c.u.i ? a : b; return true; }
    if (cls == VC_PTR) { d->why = "data-dependent choice between pointers"; return false; }
    term_id t = term_select(d->terms, c.u.t, to_term(d, cls, a), to_term(d, cls, b));
    return built(d, cls, t, out);
}

static bool s_convert(value_domain *d, vclass from, vclass to, elem a, elem *out) {
    if (!a.sym) {
        if (!concrete_convert(from, to, a, out)) { d->why = "conversion not representable"; return false; }
        return true;
    }
    if (from == to) { *out = a; return true; }
    term_store *s = d->terms;
    term_id x = a.u.t, t;
    if (from == VC_BOOL)
        t = to == VC_FLOAT ? term_select(s, x, term_real(s, 1), term_real(s, 0))
                           : term_select(s, x, term_int(s, 1), term_int(s, 0));
    else if (to == VC_BOOL)
        t = term_bin(s, T_NE, x, from == VC_FLOAT ? term_real(s, 0) : term_int(s, 0));
    else if (to == VC_FLOAT)
        t = term_un(s, T_TO_REAL, x);
    else if (to == VC_INT)
        t = term_un(s, T_TO_INT, x);
    else {
        d->why = "conversion of a symbolic value to a pointer";
        return false;
    }
    return built(d, to, t, out);
}

static elem s_input(value_domain *d, const char *tensor, int rank, const int64_t *index, vtype ty, double v) {
    if (ty.cls != VC_FLOAT) return elem_int((int64_t)v);   /* integer inputs stay concrete */
    return elem_term(term_var(d->terms, tensor, rank, index, TY_REAL));
}

static elem s_param(value_domain *d, const char *name, vtype ty, double value, bool symbolic) {
    if (!symbolic) return ty.cls == VC_FLOAT ? elem_float(value) : elem_int((int64_t)value);
    return elem_term(term_var(d->terms, name, 0, NULL, vclass_term_type(ty.cls)));
}

static elem s_unspecified(value_domain *d, vtype ty) {
    int64_t k = d->n_unspecified++;
    return elem_term(term_var(d->terms, "undef", 1, &k, vclass_term_type(ty.cls)));
}

static bool s_concrete_int(value_domain *d, vclass cls, elem a, int64_t *out) {
    if (!a.sym) { *out = cls == VC_FLOAT ? (int64_t)a.u.f : a.u.i; return true; }
    double v;
    if (term_const_value(d->terms, a.u.t, &v)) { *out = (int64_t)v; return true; }
    return false;
}

const domain_ops symbolic_domain_ops = {
    "symbolic", s_arith, s_math, s_compare, s_select, s_convert, s_input, s_param,
    s_unspecified, s_concrete_int,
};
