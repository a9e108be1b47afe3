/* Unit tests of the rule syntax (every parse error) and of the soundness of every built-in rule:
 * both sides are evaluated on random values of their variables that satisfy the rule's
 * conditions — variables under a binder are random functions of the bound variables they may
 * depend on (not-free removes one), range bounds are small integers (empty ranges included) —
 * and must agree: equal, or both undefined (non-finite). */
#include "simplify/rewrite.h"
#include "simplify/rules.h"
#include "test.h"
#include "util/arena.h"
#include "util/hash.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- parsing --------------------------------------------------------------------------------- */

static bool parses(const char *text, char *err, size_t n) {
    arena a;
    arena_init(&a);
    ruleset rs;
    bool ok = ruleset_parse(&a, text, &rs, err, n);
    arena_free(&a);
    return ok;
}

TEST(simplify_rules_builtin_parse) {
    arena a;
    arena_init(&a);
    ruleset rs;
    char err[300] = "";
    bool ok = ruleset_parse(&a, rules_builtin(), &rs, err, sizeof err);
    if (!ok) printf("    %s\n", err);
    CHECK(ok);
    CHECK(rs.n > 60);
    /* bidirectional rules give a -rev twin */
    bool found = false;
    for (int i = 0; i < rs.n; i++) found = found || strcmp(rs.rules[i].name, "rsqrt-def-rev") == 0;
    CHECK(found);
    arena_free(&a);
}

TEST(simplify_rules_syntax_errors) {
    char err[300];
    CHECK(parses("# only a comment\n\n", err, sizeof err));
    CHECK(!parses("no colon here", err, sizeof err));
    CHECK(strstr(err, "line 1") != NULL);
    CHECK(!parses("bad name!: ?a => ?a", err, sizeof err));
    CHECK(!parses("r: ?a + ?b ?b", err, sizeof err));                  /* no arrow */
    CHECK(!parses("r: ?a + => ?a", err, sizeof err));                  /* missing operand */
    CHECK(!parses("r: frob(?a) => ?a", err, sizeof err));              /* unknown function */
    CHECK(strstr(err, "frob") != NULL);
    CHECK(!parses("r: ?a => ?a + 0", err, sizeof err));                /* lhs must be an operator */
    CHECK(!parses("r: exp(?a) => ?b", err, sizeof err));               /* ?b unbound */
    CHECK(strstr(err, "?b") != NULL);
    CHECK(!parses("r: ?a * 0 <=> 0", err, sizeof err));                /* not reversible */
    CHECK(!parses("r: exp(?a) => ?a if wobbly(?a)", err, sizeof err)); /* unknown condition */
    CHECK(!parses("r: exp(?a) => ?a if nonzero(?z)", err, sizeof err));
    CHECK(!parses("r: exp(?a) => ?a trailing", err, sizeof err));
    CHECK(!parses("r: exp(?a) => exp(?a)\nr: log(?a) => log(?a)", err, sizeof err));   /* duplicate */
    CHECK(strstr(err, "line 2") != NULL);
    CHECK(!parses("r: sum(?k in 0..?n: ?k) => ?k", err, sizeof err));                  /* binder outside */
    CHECK(!parses("r: sum(?k in 0..?n ?x) => ?x", err, sizeof err));
    CHECK(!parses("r: foo(?k in 0..?n: ?x) => ?x", err, sizeof err));                  /* unknown reduction */
    /* moving a variable out of a binder needs not-free */
    CHECK(!parses("r: sum(?k in ?lo..?hi: ?c * ?f) => ?c * sum(?k in ?lo..?hi: ?f)", err, sizeof err));
    CHECK(strstr(err, "not-free") != NULL);
    CHECK(parses("r: sum(?k in ?lo..?hi: ?c * ?f) => ?c * sum(?k in ?lo..?hi: ?f) if not-free(?k, ?c)", err, sizeof err));
    CHECK(!parses("r: exp(?a) => ?a if not-free(?a, ?a)", err, sizeof err));           /* ?a is no binder */
    CHECK(!parses("r: exp(?a) => ?a if ?a == ", err, sizeof err));
    CHECK(!parses("r: exp(?a) => ?a if ?q == exp(?a)", err, sizeof err));
    CHECK(!parses("r: exp(?a) => ?a if nonzero(?a) and nonzero(?a) and nonzero(?a) and nonzero(?a) and nonzero(?a)", err,
                  sizeof err));   /* too many conditions */
    CHECK(parses("r: where(?m == -inf, ?a, ?b) => ?b if finite(?m)\ns: max(?a, ?b) <=> max(?b, ?a)", err, sizeof err));
    /* limits of the pattern language */
    CHECK(!parses("r: where(?a, ?b, ?c, ?d) => ?a", err, sizeof err));
    CHECK(strstr(err, "too many arguments") != NULL);
    CHECK(!parses("r: ?a+?b+?c+?d+?e+?f+?g+?h+?i+?j+?k+?l+?m+?n+?o+?p+?q => ?a", err, sizeof err));
    CHECK(strstr(err, "too many pattern variables") != NULL);
    char deep[600] = "r: ";
    for (int i = 0; i < 9; i++) snprintf(deep + strlen(deep), sizeof deep - strlen(deep), "sum(?k%d in 0..?n: ", i);
    strcat(deep, "?x");
    for (int i = 0; i < 9; i++) strcat(deep, ")");
    strcat(deep, " => ?n");
    CHECK(!parses(deep, err, sizeof err));
    CHECK(strstr(err, "nested too deeply") != NULL);
    char big[2000] = "r: exp(?a)";
    for (int i = 0; i < 70; i++) strcat(big, " + 1");
    strcat(big, " => ?a");
    CHECK(!parses(big, err, sizeof err));
    CHECK(strstr(err, "too large") != NULL);
    CHECK(!parses("r: exp(?a) => ?a if not-free(?k, ?a)", err, sizeof err));   /* ?k: no such binder */
    CHECK(!parses("r: exp(?a) => ?a if nonempty(?a)", err, sizeof err));
    CHECK(!parses("r: exp(?a) => ?a if indices-within(?a, ?z)", err, sizeof err));
}

/* ---- soundness ------------------------------------------------------------------------------- */

typedef struct valuation {
    const rewrite *r;
    uint64_t seed;
    bool integer[PATTERN_MAX_VARS];     /* range bounds and integer(?n) */
    int int_value[PATTERN_MAX_VARS];
    uint64_t depends[PATTERN_MAX_VARS]; /* binder variables a variable's value may depend on */
    bool defined[PATTERN_MAX_VARS];     /* computed from a ?x == PATTERN condition */
    double fixed[PATTERN_MAX_VARS];
    int env[PATTERN_MAX_VARS];          /* current values of binder variables */
    bool set[PATTERN_MAX_VARS];
    bool broken;                        /* a variable was used where a binder it needs is not set */
} valuation;

static double unit01(uint64_t h) { return (double)(h >> 11) * (1.0 / 9007199254740992.0); }

static double eval_pattern(valuation *V, const pattern *p, int node);

static bool has_cond(const rewrite *r, cond_kind k, int var) {
    for (int i = 0; i < r->n_conds; i++)
        if (r->conds[i].kind == k && r->conds[i].var == var) return true;
    return false;
}

static double var_value(valuation *V, int var) {
    if (V->integer[var]) return V->int_value[var];
    if (V->defined[var]) return V->fixed[var];
    uint64_t h = hash_mix(V->seed, (uint64_t)var + 1);
    for (int b = 0; b < PATTERN_MAX_VARS; b++) {
        if (!((V->depends[var] >> b) & 1)) continue;
        if (!V->set[b]) {
            V->broken = true;
            return NAN;
        }
        h = hash_mix(h, (uint64_t)V->env[b] + 1000 * (uint64_t)b);
    }
    double u = unit01(h), v;
    const rewrite *r = V->r;
    if (has_cond(r, COND_POSITIVE, var)) v = 0.1 + 2.9 * u;
    else if (has_cond(r, COND_NONNEG, var)) v = 3 * u;
    else if (has_cond(r, COND_NONZERO, var)) v = (u < 0.5 ? -1 : 1) * (0.1 + 5.8 * fabs(u - 0.5));
    else if (u < 0.06) v = 0;   /* edge cases: 0 and 1 now and then */
    else if (u < 0.12) v = 1;
    else v = -3 + 6 * (u - 0.12) / 0.88;
    return v;
}

static double eval_reduce(valuation *V, const pattern *p, const pnode *n) {
    double lo = eval_pattern(V, p, n->kids[0]), hi = eval_pattern(V, p, n->kids[1]);
    if (lo != floor(lo) || hi != floor(hi)) return NAN;
    int b = n->var;
    bool saved_set = V->set[b];
    int saved = V->env[b];
    double acc = 0, best = NAN;
    int arg = -1;
    switch ((eop)n->op) {
    case EOP_PROD: acc = 1; break;
    case EOP_RMAX: acc = -INFINITY; break;
    case EOP_RMIN: acc = INFINITY; break;
    default: break;
    }
    for (int k = (int)lo; k < (int)hi; k++) {
        V->env[b] = k;
        V->set[b] = true;
        double x = eval_pattern(V, p, n->kids[2]);
        switch ((eop)n->op) {
        case EOP_SUM: acc += x; break;
        case EOP_PROD: acc *= x; break;
        case EOP_RMAX: acc = x > acc ? x : acc; break;
        case EOP_RMIN: acc = x < acc ? x : acc; break;
        default:
            if (arg < 0 || (n->op == EOP_ARGMAX ? x > best : x < best)) best = x, arg = k;
            break;
        }
    }
    V->env[b] = saved;
    V->set[b] = saved_set;
    if (n->op == EOP_ARGMAX || n->op == EOP_ARGMIN) return arg < 0 ? NAN : arg;
    return acc;
}

static double python_mod(double a, double b) {
    double r = fmod(a, b);
    return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
}

static double eval_pattern(valuation *V, const pattern *p, int node) {
    const pnode *n = &p->nodes[node];
    switch ((pkind)n->kind) {
    case PK_NUM: return n->num;
    case PK_VAR: return var_value(V, n->var);
    case PK_BVAR: return V->set[n->var] ? V->env[n->var] : (V->broken = true, NAN);
    case PK_OP: break;
    }
    if (eop_is_reduce((eop)n->op)) return eval_reduce(V, p, n);
    double a = n->n > 0 ? eval_pattern(V, p, n->kids[0]) : 0, b = n->n > 1 ? eval_pattern(V, p, n->kids[1]) : 0;
    switch ((eop)n->op) {
    case EOP_ADD: return a + b;
    case EOP_SUB: return a - b;
    case EOP_MUL: return a * b;
    case EOP_DIV: return a / b;
    case EOP_MOD: return python_mod(a, b);
    case EOP_FLOORDIV: return floor(a / b);
    case EOP_POW: case EOP_POWF: return pow(a, b);
    case EOP_NEG: return -a;
    case EOP_LT: return a < b;
    case EOP_LE: return a <= b;
    case EOP_GT: return a > b;
    case EOP_GE: return a >= b;
    case EOP_EQ: return a == b;
    case EOP_NE: return a != b;
    case EOP_AND: return a != 0 && b != 0;
    case EOP_OR: return a != 0 || b != 0;
    case EOP_NOT: return a == 0;
    case EOP_WHERE: return a != 0 ? b : eval_pattern(V, p, n->kids[2]);
    case EOP_EXP: return exp(a);
    case EOP_EXP2: return exp2(a);
    case EOP_LOG: return log(a);
    case EOP_LOG2: return log2(a);
    case EOP_SQRT: return sqrt(a);
    case EOP_RSQRT: return 1 / sqrt(a);
    case EOP_ABS: return fabs(a);
    case EOP_ERF: return erf(a);
    case EOP_TANH: return tanh(a);
    case EOP_SIGMOID: return 1 / (1 + exp(-a));
    case EOP_SIN: return sin(a);
    case EOP_COS: return cos(a);
    case EOP_MAX: return a > b ? a : b;
    case EOP_MIN: return a < b ? a : b;
    default: return NAN;
    }
}

/* Which binders each variable may depend on, which are integers, which are defined by an
 * equality condition; then integer values satisfying the conditions. */
static void prepare(valuation *V, const rewrite *r, uint64_t seed) {
    memset(V, 0, sizeof *V);
    V->r = r;
    V->seed = seed;
    for (int v = 0; v < r->vars.n; v++) {
        if (r->vars.is_binder[v] || r->bind_node[v] < 0) continue;
        const pnode *b = &r->lhs.nodes[r->bind_node[v]];
        for (int d = 0; d < b->depth; d++) V->depends[v] |= 1ull << b->scope[d];
    }
    for (int i = 0; i < r->n_conds; i++) {
        const condition *c = &r->conds[i];
        if (c->kind == COND_NOT_FREE) V->depends[c->var] &= ~(1ull << c->var2);
        if (c->kind == COND_INTEGER || c->kind == COND_NONEMPTY) V->integer[c->var] = true;
        if (c->kind == COND_NONEMPTY) V->integer[c->var2] = true;
        if (c->kind == COND_CONST) V->depends[c->var] = 0;
        if (c->kind == COND_EQUAL) V->defined[c->var] = true;
    }
    for (int i = 0; i < r->lhs.n_nodes; i++) {   /* range bounds are integers */
        const pnode *n = &r->lhs.nodes[i];
        if (n->kind != PK_OP || !eop_is_reduce((eop)n->op)) continue;
        for (int k = 0; k < 2; k++)
            if (r->lhs.nodes[n->kids[k]].kind == PK_VAR) V->integer[r->lhs.nodes[n->kids[k]].var] = true;
    }
    for (int v = 0; v < r->vars.n; v++) {
        if (!V->integer[v]) continue;
        uint64_t h = hash_mix(seed, 77 + (uint64_t)v);
        V->int_value[v] = (int)(h % 6) - (has_cond(r, COND_POSITIVE, v) || has_cond(r, COND_NONZERO, v) ? -1 : 0);
        if (has_cond(r, COND_INTEGER, v) && !has_cond(r, COND_POSITIVE, v)) V->int_value[v] = (int)(h % 9) - 3;
    }
    for (int i = 0; i < r->n_conds; i++) {   /* nonempty: hi > lo */
        const condition *c = &r->conds[i];
        if (c->kind == COND_NONEMPTY && V->int_value[c->var2] <= V->int_value[c->var])
            V->int_value[c->var2] = V->int_value[c->var] + 1 + (int)(seed % 3);
    }
    for (int i = 0; i < r->n_conds; i++) {   /* ?x == PATTERN */
        const condition *c = &r->conds[i];
        if (c->kind == COND_EQUAL) V->fixed[c->var] = eval_pattern(V, &c->pat, c->pat.root);
    }
}

static bool agree(double x, double y) {
    if (!isfinite(x) || !isfinite(y)) return !isfinite(x) && !isfinite(y);
    return fabs(x - y) <= 1e-9 * (1 + fabs(x) + fabs(y));
}

TEST(simplify_rules_are_sound_on_random_values) {
    arena a;
    arena_init(&a);
    ruleset rs;
    char err[300];
    REQUIRE(ruleset_parse(&a, rules_builtin(), &rs, err, sizeof err));
    for (int r = 0; r < rs.n; r++) {
        const rewrite *rw = &rs.rules[r];
        int compared = 0, bad = 0;
        for (uint64_t t = 0; t < 200 && bad == 0; t++) {
            valuation V;
            prepare(&V, rw, hash_mix(0xfeed, t * 131 + (uint64_t)r));
            double x = eval_pattern(&V, &rw->lhs, rw->lhs.root);
            double y = eval_pattern(&V, &rw->rhs, rw->rhs.root);
            if (V.broken) {
                printf("    rule %s uses a variable outside the binders it depends on\n", rw->name);
                bad++;
                break;
            }
            if (!isfinite(x) && !isfinite(y)) continue;
            compared++;
            if (!agree(x, y)) {
                printf("    rule %s (%s): %.17g vs %.17g (trial %llu)\n", rw->name, rw->text, x, y, (unsigned long long)t);
                bad++;
            }
        }
        CHECK(bad == 0);
        if (compared < 20) printf("    rule %s: only %d defined samples\n", rw->name, compared);
        CHECK(compared >= 20);
    }
    arena_free(&a);
}

/* The property test itself catches an unsound rule (a test of the test). */
TEST(simplify_rules_soundness_check_catches_a_bad_rule) {
    arena a;
    arena_init(&a);
    ruleset wrong;
    char err[300];
    REQUIRE(ruleset_parse(&a, "wrong: exp(?a + ?b) => exp(?a) + exp(?b)\n", &wrong, err, sizeof err));
    int bad = 0;
    for (uint64_t t = 0; t < 50; t++) {
        valuation V;
        prepare(&V, &wrong.rules[0], t);
        if (!agree(eval_pattern(&V, &wrong.rules[0].lhs, wrong.rules[0].lhs.root),
                   eval_pattern(&V, &wrong.rules[0].rhs, wrong.rules[0].rhs.root)))
            bad++;
    }
    CHECK(bad > 0);
    arena_free(&a);
}
