/* domain_concrete: the concrete value domain (doubles, int64, bool) and the concrete semantics
 * the symbolic domain folds through. Floats are modelled by doubles (the reals of the
 * semantics model, approximately); integer arithmetic is exact int64 with Python (floor) or C
 * (truncation) division as the operator asks. */
#include "exec/domain.h"
#include <math.h>

const char *arith_op_name(arith_op op) {
    static const char *names[] = {"+", "-", "*", "/", "//", "%", "//", "%", "maximum", "minimum",
                                  "pow", "&", "|", "^", "<<", ">>"};
    return names[op];
}

const char *math_fn_name(math_fn fn) {
    static const char *names[] = {"neg", "abs", "exp", "exp2", "log", "log2", "sqrt", "rsqrt",
                                  "sigmoid", "erf", "tanh", "sin", "cos", "not", "invert"};
    return names[fn];
}

double concrete_as_double(vclass cls, elem a) {
    return cls == VC_FLOAT ? a.u.f : (double)a.u.i;
}

static int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b) {
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

bool concrete_arith(arith_op op, vclass cls, elem a, elem b, elem *out, const char **why) {
    *out = (elem){0};
    if (cls == VC_FLOAT) {
        double x = a.u.f, y = b.u.f, r;
        switch (op) {
        case AR_ADD: r = x + y; break;
        case AR_SUB: r = x - y; break;
        case AR_MUL: r = x * y; break;
        case AR_TRUEDIV: r = x / y; break;
        case AR_FLOORDIV: r = floor(x / y); break;
        case AR_MOD: r = x - floor(x / y) * y; break;
        case AR_TRUNCDIV: r = trunc(x / y); break;
        case AR_TRUNCMOD: r = fmod(x, y); break;
        case AR_MAX: r = x > y ? x : y; break;   /* NaN handling is not modelled */
        case AR_MIN: r = x < y ? x : y; break;
        case AR_POW: r = pow(x, y); break;
        default: *why = "bitwise operation on floating-point values"; return false;
        }
        out->u.f = r;
        return true;
    }
    int64_t x = a.u.i, y = b.u.i, r;
    switch (op) {
    case AR_ADD: r = (int64_t)((uint64_t)x + (uint64_t)y); break;
    case AR_SUB: r = (int64_t)((uint64_t)x - (uint64_t)y); break;
    case AR_MUL: r = (int64_t)((uint64_t)x * (uint64_t)y); break;
    case AR_FLOORDIV: case AR_MOD: case AR_TRUNCDIV: case AR_TRUNCMOD:
        if (y == 0) { *why = "integer division by zero"; return false; }
        if (y == -1 && x == INT64_MIN) { *why = "integer overflow in division"; return false; }
        r = op == AR_FLOORDIV ? floor_div(x, y) : op == AR_MOD ? floor_mod(x, y)
          : op == AR_TRUNCDIV ? x / y : x % y;
        break;
    case AR_MAX: r = x > y ? x : y; break;
    case AR_MIN: r = x < y ? x : y; break;
    case AR_POW: {
        if (y < 0) { *why = "negative integer exponent"; return false; }
        r = 1;
        for (int64_t k = 0; k < y && k < 64; k++) r = (int64_t)((uint64_t)r * (uint64_t)x);
        break;
    }
    case AR_BITAND: r = x & y; break;
    case AR_BITOR: r = x | y; break;
    case AR_BITXOR: r = x ^ y; break;
    case AR_SHL: r = (y < 0 || y > 63) ? 0 : (int64_t)((uint64_t)x << y); break;
    case AR_SHR: r = (y < 0 || y > 63) ? (x < 0 ? -1 : 0) : x >> y; break;
    default: *why = "true division on integers"; return false;
    }
    out->u.i = cls == VC_BOOL ? (r != 0) : r;
    return true;
}

bool concrete_math(math_fn fn, vclass cls, elem a, elem *out, const char **why) {
    *out = (elem){0};
    if (cls != VC_FLOAT) {
        int64_t x = a.u.i;
        switch (fn) {
        case MF_NEG: out->u.i = (int64_t)(0 - (uint64_t)x); return true;
        case MF_ABS: out->u.i = x < 0 ? (int64_t)(0 - (uint64_t)x) : x; return true;
        case MF_NOT: out->u.i = x == 0; return true;
        case MF_INVERT: out->u.i = cls == VC_BOOL ? !x : ~x; return true;
        default: *why = "math function on an integer tensor"; return false;
        }
    }
    double x = a.u.f, r;
    switch (fn) {
    case MF_NEG: r = -x; break;
    case MF_ABS: r = fabs(x); break;
    case MF_EXP: r = exp(x); break;
    case MF_EXP2: r = exp2(x); break;
    case MF_LOG: r = log(x); break;
    case MF_LOG2: r = log2(x); break;
    case MF_SQRT: r = sqrt(x); break;
    case MF_RSQRT: r = 1.0 / sqrt(x); break;
    case MF_SIGMOID: r = 1.0 / (1.0 + exp(-x)); break;
    case MF_ERF: r = erf(x); break;
    case MF_TANH: r = tanh(x); break;
    case MF_SIN: r = sin(x); break;
    case MF_COS: r = cos(x); break;
    case MF_NOT: out->u.i = x == 0; return true;
    default: *why = "bitwise inversion of a floating-point value"; return false;
    }
    out->u.f = r;
    return true;
}

bool concrete_compare(cmp_kind op, vclass cls, elem a, elem b, elem *out) {
    bool r;
    if (cls == VC_FLOAT) {
        double x = a.u.f, y = b.u.f;
        switch (op) {
        case CMP_LT: r = x < y; break;
        case CMP_LE: r = x <= y; break;
        case CMP_GT: r = x > y; break;
        case CMP_GE: r = x >= y; break;
        case CMP_EQ: r = x == y; break;
        case CMP_NE: r = x != y; break;
        default: return false;
        }
    } else {
        int64_t x = a.u.i, y = b.u.i;
        if (cls == VC_PTR && a.buf != b.buf && op != CMP_EQ && op != CMP_NE) return false;
        bool same_buf = cls != VC_PTR || a.buf == b.buf;
        switch (op) {
        case CMP_LT: r = x < y; break;
        case CMP_LE: r = x <= y; break;
        case CMP_GT: r = x > y; break;
        case CMP_GE: r = x >= y; break;
        case CMP_EQ: r = same_buf && x == y; break;
        case CMP_NE: r = !(same_buf && x == y); break;
        default: return false;
        }
    }
    *out = elem_bool(r);
    return true;
}

bool concrete_convert(vclass from, vclass to, elem a, elem *out) {
    *out = (elem){0};
    if (from == to) { *out = a; return true; }
    if (from == VC_PTR || to == VC_PTR) return false;
    if (to == VC_FLOAT) { out->u.f = (double)a.u.i; return true; }
    if (to == VC_BOOL) { out->u.i = from == VC_FLOAT ? a.u.f != 0 : a.u.i != 0; return true; }
    /* to int */
    if (from == VC_FLOAT) {
        double t = trunc(a.u.f);
        if (!(t > -9.2e18 && t < 9.2e18)) return false;   /* NaN/inf/out of range: undefined */
        out->u.i = (int64_t)t;
    } else {
        out->u.i = a.u.i;
    }
    return true;
}

static bool c_arith(value_domain *d, arith_op op, vclass cls, elem a, elem b, elem *out) {
    return concrete_arith(op, cls, a, b, out, &d->why);
}
static bool c_math(value_domain *d, math_fn fn, vclass cls, elem a, elem *out) {
    return concrete_math(fn, cls, a, out, &d->why);
}
static bool c_compare(value_domain *d, cmp_kind op, vclass cls, elem a, elem b, elem *out) {
    if (!concrete_compare(op, cls, a, b, out)) { d->why = "comparison of pointers into different buffers"; return false; }
    return true;
}
static bool c_select(value_domain *d, vclass cls, elem c, elem a, elem b, elem *out) {
    (void)d; (void)cls;
    *out = c.u.i ? a : b;
    return true;
}
static bool c_convert(value_domain *d, vclass from, vclass to, elem a, elem *out) {
    if (!concrete_convert(from, to, a, out)) { d->why = "conversion not representable"; return false; }
    return true;
}
static elem c_input(value_domain *d, const char *tensor, int rank, const int64_t *index, vtype ty, double v) {
    (void)d; (void)tensor; (void)rank; (void)index;
    if (ty.cls == VC_FLOAT) return elem_float(v);
    return elem_int((int64_t)v);
}
static elem c_param(value_domain *d, const char *name, vtype ty, double value, bool symbolic) {
    (void)d; (void)name; (void)symbolic;
    return ty.cls == VC_FLOAT ? elem_float(value) : elem_int((int64_t)value);
}
/* Garbage that shows: large magnitude, random sign, so a result that depends on it is wrong. */
static elem c_unspecified(value_domain *d, vtype ty) {
    double g = rng_uniform(d->rng, 100.0, 1000.0) * ((rng_next(d->rng) & 1) ? 1 : -1);
    if (ty.cls == VC_FLOAT) return elem_float(g);
    if (ty.cls == VC_BOOL) return elem_bool(g > 0);
    return elem_int((int64_t)g);
}
static bool c_concrete_int(value_domain *d, vclass cls, elem a, int64_t *out) {
    (void)d;
    *out = cls == VC_FLOAT ? (int64_t)a.u.f : a.u.i;
    return true;
}

const domain_ops concrete_domain_ops = {
    "concrete", c_arith, c_math, c_compare, c_select, c_convert, c_input, c_param,
    c_unspecified, c_concrete_int,
};
