/* vc_eval: concrete evaluation of vc_term terms (vc_term.h), the reference semantics that the
 * normalizer and the lemmas are tested against: integers exact (floor and truncating division as
 * the term says), reals as doubles with IEEE infinities, the interpreter's max/min
 * (a > b ? a : b), reductions folded left to right, argmax/argmin the first extremal index,
 * transcendental functions their libm meaning, other uninterpreted functions a fixed
 * pseudo-random value of their name and arguments. */
#include "verify/vc_term.h"
#include <math.h>
#include <string.h>

typedef struct ectx {
    const vt_store *s;
    const vt_env *env;
    double bv[64];            /* bound variables, innermost last */
    int depth;
    bool ok;
} ectx;

static uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static double ev(ectx *c, vt_id t);

static int64_t fdiv64(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static double red(ectx *c, const vt_node *k) {
    double lo = ev(c, k->args[0]), hi = ev(c, k->args[1]);
    if (!c->ok) return 0;
    if (hi - lo > 100000 || c->depth >= 64) { c->ok = false; return 0; }
    int op = k->op;
    double acc = op == 0 ? 0 : op == 1 ? 1 : op == 2 ? -INFINITY : op == 3 ? INFINITY : lo;
    if (k->sort == 1 && (op == 2 || op == 3)) acc = 0;   /* an empty integer max: unspecified */
    double best = 0;
    bool first = true;
    for (double i = lo; i < hi; i++) {
        c->bv[c->depth++] = i;
        double x = ev(c, k->args[2]);
        c->depth--;
        if (!c->ok) return 0;
        switch (op) {
        case 0: acc += x; break;
        case 1: acc *= x; break;
        case 2: acc = (first && k->sort == 1) ? x : (x > acc ? x : acc); break;
        case 3: acc = (first && k->sort == 1) ? x : (x < acc ? x : acc); break;
        case 4: if (first || x > best) { best = x; acc = i; } break;
        default: if (first || x < best) { best = x; acc = i; } break;
        }
        first = false;
    }
    return acc;
}

static double app(ectx *c, const vt_node *k) {
    double a[16];
    int n = k->n < 16 ? k->n : 16;
    for (int i = 0; i < n; i++) a[i] = ev(c, k->args[i]);
    if (!c->ok) return 0;
    const char *f = k->name;
    if (n == 1) {
        if (strcmp(f, "exp") == 0) return exp(a[0]);
        if (strcmp(f, "exp2") == 0) return exp2(a[0]);
        if (strcmp(f, "log") == 0) return log(a[0]);
        if (strcmp(f, "log2") == 0) return log2(a[0]);
        if (strcmp(f, "sqrt") == 0) return sqrt(a[0]);
        if (strcmp(f, "rsqrt") == 0) return 1.0 / sqrt(a[0]);
        if (strcmp(f, "sigmoid") == 0) return 1.0 / (1.0 + exp(-a[0]));
        if (strcmp(f, "erf") == 0) return erf(a[0]);
        if (strcmp(f, "tanh") == 0) return tanh(a[0]);
        if (strcmp(f, "sin") == 0) return sin(a[0]);
        if (strcmp(f, "cos") == 0) return cos(a[0]);
    }
    if (n == 2 && strcmp(f, "pow") == 0) return pow(a[0], a[1]);
    if (n == 2 && strcmp(f, VT_SAME) == 0) return a[0] == a[1] || (isnan(a[0]) && isnan(a[1]));
    uint64_t h = c->env->salt ^ 0x1234567;
    for (const char *p = f; *p; p++) h = mix(h, (uint8_t)*p);
    for (int i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &a[i], sizeof bits);
        h = mix(h, bits);
    }
    if (k->sort == 1) return (double)(int64_t)(h % 17) - 8;   /* Int: small values */
    return (double)(h % 2001) / 1000.0 - 1.0;
}

static double ev(ectx *c, vt_id t) {
    const vt_store *s = c->s;
    const vt_node *k = vt_get(s, t);
    if (!c->ok) return 0;
    double a, b;
    switch (k->kind) {
    case VK_BOOLC: case VK_INTC: return (double)k->ival;
    case VK_REALC: return (double)k->q.num / (double)k->q.den;
    case VK_INF: return k->ival < 0 ? -INFINITY : INFINITY;
    case VK_VAR:
        for (int i = 0; i < c->env->n; i++)
            if (c->env->vars[i] == t) return c->env->values[i];
        c->ok = false;
        return 0;
    case VK_BVAR:
        if (k->ival >= c->depth) { c->ok = false; return 0; }
        return c->bv[c->depth - 1 - k->ival];
    case VK_ADD: { double r = 0; for (int i = 0; i < k->n; i++) r += ev(c, k->args[i]); return r; }
    case VK_MUL: { double r = 1; for (int i = 0; i < k->n; i++) r *= ev(c, k->args[i]); return r; }
    case VK_DIV:
        a = ev(c, k->args[0]);
        b = ev(c, k->args[1]);
        if (b == 0) { c->ok = false; return 0; }   /* unspecified in the model */
        return a / b;
    case VK_FDIV: case VK_FMOD: case VK_TDIV: case VK_TMOD: {
        a = ev(c, k->args[0]);
        b = ev(c, k->args[1]);
        if (b == 0 || !c->ok) { c->ok = false; return 0; }
        int64_t x = (int64_t)a, y = (int64_t)b;
        switch (k->kind) {
        case VK_FDIV: return (double)fdiv64(x, y);
        case VK_FMOD: return (double)(x - fdiv64(x, y) * y);
        case VK_TDIV: return (double)(x / y);
        default: return (double)(x % y);
        }
    }
    case VK_MAX: a = ev(c, k->args[0]); b = ev(c, k->args[1]); return a > b ? a : b;
    case VK_MIN: a = ev(c, k->args[0]); b = ev(c, k->args[1]); return a < b ? a : b;
    case VK_ITE: return ev(c, k->args[0]) != 0 ? ev(c, k->args[1]) : ev(c, k->args[2]);
    case VK_LT: return ev(c, k->args[0]) < ev(c, k->args[1]);
    case VK_LE: return ev(c, k->args[0]) <= ev(c, k->args[1]);
    case VK_EQ: return ev(c, k->args[0]) == ev(c, k->args[1]);
    case VK_AND: { bool r = true; for (int i = 0; i < k->n; i++) r = (ev(c, k->args[i]) != 0) && r; return r; }
    case VK_OR: { bool r = false; for (int i = 0; i < k->n; i++) r = (ev(c, k->args[i]) != 0) || r; return r; }
    case VK_NOT: return ev(c, k->args[0]) == 0;
    case VK_TOREAL: return ev(c, k->args[0]);
    case VK_TOINT: return trunc(ev(c, k->args[0]));
    case VK_APP: return app(c, k);
    case VK_RED: return red(c, k);
    }
    c->ok = false;
    return 0;
}

bool vt_eval(const vt_store *s, vt_id t, const vt_env *env, double *out) {
    ectx c = {s, env, {0}, 0, true};
    *out = ev(&c, t);
    return c.ok;
}
