/* rewrite: rule parsing, condition checks and application; see rewrite.h. */
#include "simplify/rewrite.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- parsing ------------------------------------------------------------------------------- */

static const char *skip(const char *s) {
    while (*s == ' ' || *s == '\t') s++;
    return s;
}

static bool word(const char **s, const char *w) {
    const char *t = skip(*s);
    size_t n = strlen(w);
    if (strncmp(t, w, n) != 0 || isalnum((unsigned char)t[n]) || t[n] == '_' || t[n] == '-') return false;
    *s = t + n;
    return true;
}

static bool token(const char **s, const char *tok) {
    const char *t = skip(*s);
    size_t n = strlen(tok);
    if (strncmp(t, tok, n) != 0) return false;
    *s = t + n;
    return true;
}

static int var_named(const pattern_vars *v, const char **s, bool binder) {
    const char *t = skip(*s);
    if (*t != '?') return -1;
    t++;
    size_t n = 0;
    while (isalnum((unsigned char)t[n]) || t[n] == '_') n++;
    for (int i = 0; i < v->n; i++)
        if (v->is_binder[i] == binder && strlen(v->names[i]) == n && strncmp(v->names[i], t, n) == 0) {
            *s = t + n;
            return i;
        }
    return -1;
}

static void find_bindings(const pattern *p, int node, int *bind) {
    const pnode *n = &p->nodes[node];
    if (n->kind == PK_VAR && bind[n->var] < 0) bind[n->var] = node;
    if (n->kind == PK_OP)
        for (int k = 0; k < n->n; k++) find_bindings(p, n->kids[k], bind);
}

/* Every variable the rhs uses is bound by the lhs, and every move out of a binder is
 * declared with not-free. */
static bool check_rhs(const rewrite *r, const pattern *p, char *err, size_t err_size) {
    for (int i = 0; i < p->n_nodes; i++) {
        const pnode *o = &p->nodes[i];
        if (o->kind != PK_VAR) continue;
        if (r->bind_node[o->var] < 0) {
            snprintf(err, err_size, "?%s is not bound by the left-hand side%s", r->vars.names[o->var],
                     p == &r->rhs ? "" : " (in a condition)");
            return false;
        }
        if (p != &r->rhs) continue;
        const pnode *b = &r->lhs.nodes[r->bind_node[o->var]];
        for (int d = 0; d < b->depth; d++) {
            int binder = b->scope[d];
            if (pattern_binder_index(o, binder) >= 0) continue;
            bool declared = false;
            for (int c = 0; c < r->n_conds; c++)
                declared = declared || (r->conds[c].kind == COND_NOT_FREE && r->conds[c].var == o->var && r->conds[c].var2 == binder);
            if (!declared) {
                snprintf(err, err_size, "?%s moves out of the body of ?%s without 'not-free(?%s, ?%s)'", r->vars.names[o->var],
                         r->vars.names[binder], r->vars.names[binder], r->vars.names[o->var]);
                return false;
            }
        }
    }
    return true;
}

static bool finish_rule(rewrite *r, char *err, size_t err_size) {
    for (int i = 0; i < PATTERN_MAX_VARS; i++) r->bind_node[i] = -1;
    find_bindings(&r->lhs, r->lhs.root, r->bind_node);
    if (r->lhs.nodes[r->lhs.root].kind != PK_OP) {
        snprintf(err, err_size, "the left-hand side must start with an operator");
        return false;
    }
    for (int c = 0; c < r->n_conds; c++) {
        const condition *k = &r->conds[c];
        if (k->kind == COND_EQUAL && !check_rhs(r, &k->pat, err, err_size)) return false;
        if (k->kind != COND_NOT_FREE && k->kind != COND_EQUAL && k->var >= 0 && r->bind_node[k->var] < 0) {
            snprintf(err, err_size, "condition on ?%s, which the left-hand side does not bind", r->vars.names[k->var]);
            return false;
        }
        if ((k->kind == COND_NOT_FREE || k->kind == COND_EQUAL) && r->bind_node[k->var] < 0) {
            snprintf(err, err_size, "condition on ?%s, which the left-hand side does not bind", r->vars.names[k->var]);
            return false;
        }
        if ((k->kind == COND_NONEMPTY || k->kind == COND_INDICES_WITHIN) && r->bind_node[k->var2] < 0) {
            snprintf(err, err_size, "condition on ?%s, which the left-hand side does not bind", r->vars.names[k->var2]);
            return false;
        }
    }
    return check_rhs(r, &r->rhs, err, err_size);
}

static bool parse_condition(arena *a, const char **s, rewrite *r, char *err, size_t err_size) {
    if (r->n_conds == REWRITE_MAX_CONDS) {
        snprintf(err, err_size, "too many conditions");
        return false;
    }
    condition *c = &r->conds[r->n_conds];
    memset(c, 0, sizeof *c);
    c->var = c->var2 = -1;
    static const struct { const char *name; cond_kind kind; int args; } preds[] = {
        {"nonzero", COND_NONZERO, 1}, {"positive", COND_POSITIVE, 1}, {"nonneg", COND_NONNEG, 1},
        {"finite", COND_FINITE, 1},   {"const", COND_CONST, 1},       {"integer", COND_INTEGER, 1},
        {"not-free", COND_NOT_FREE, 2}, {"nonempty", COND_NONEMPTY, 2}, {"indices-within", COND_INDICES_WITHIN, 2},
    };
    for (size_t i = 0; i < sizeof preds / sizeof preds[0]; i++) {
        if (!word(s, preds[i].name)) continue;
        c->kind = preds[i].kind;
        bool ok = token(s, "(");
        if (c->kind == COND_NOT_FREE) {
            ok = ok && (c->var2 = var_named(&r->vars, s, true)) >= 0 && token(s, ",") && (c->var = var_named(&r->vars, s, false)) >= 0;
        } else {
            ok = ok && (c->var = var_named(&r->vars, s, false)) >= 0;
            if (ok && preds[i].args == 2) ok = token(s, ",") && (c->var2 = var_named(&r->vars, s, false)) >= 0;
        }
        if (!ok || !token(s, ")")) {
            snprintf(err, err_size, "bad %s(...) condition (binders and variables must appear in the rule)", preds[i].name);
            return false;
        }
        r->n_conds++;
        return true;
    }
    c->kind = COND_EQUAL;
    if ((c->var = var_named(&r->vars, s, false)) < 0 || !token(s, "==")) {
        snprintf(err, err_size, "expected a condition (nonzero(?x), not-free(?k, ?x), ?x == PATTERN, ...) at '%.20s'", skip(*s));
        return false;
    }
    if (!pattern_parse(a, s, &r->vars, &c->pat, err, err_size)) return false;
    r->n_conds++;
    return true;
}

static bool parse_rule(arena *a, const char *line, ruleset *rs, int *cap, char *err, size_t err_size) {
    const char *s = skip(line);
    const char *colon = strchr(s, ':');
    if (!colon || colon == s) {
        snprintf(err, err_size, "expected 'name: lhs => rhs'");
        return false;
    }
    for (const char *t = s; t < colon; t++)
        if (!isalnum((unsigned char)*t) && *t != '-' && *t != '_') {
            snprintf(err, err_size, "bad rule name '%.*s'", (int)(colon - s), s);
            return false;
        }
    rewrite r;
    memset(&r, 0, sizeof r);
    r.name = arena_strndup(a, s, (size_t)(colon - s));
    s = colon + 1;
    if (!pattern_parse(a, &s, &r.vars, &r.lhs, err, err_size)) return false;
    bool both = token(&s, "<=>");
    if (!both && !token(&s, "=>")) {
        snprintf(err, err_size, "expected '=>' or '<=>' at '%.20s'", skip(s));
        return false;
    }
    if (!pattern_parse(a, &s, &r.vars, &r.rhs, err, err_size)) return false;
    if (word(&s, "if")) {
        do {
            if (!parse_condition(a, &s, &r, err, err_size)) return false;
        } while (word(&s, "and"));
    }
    s = skip(s);
    if (*s && *s != '#') {
        snprintf(err, err_size, "unexpected '%.20s'", s);
        return false;
    }
    rewrite dirs[2];
    int n_dirs = both ? 2 : 1;
    dirs[0] = r;
    if (both) {
        dirs[1] = r;
        dirs[1].lhs = r.rhs;
        dirs[1].rhs = r.lhs;
        dirs[1].name = arena_printf(a, "%s-rev", r.name);
    }
    for (int d = 0; d < n_dirs; d++) {
        if (!finish_rule(&dirs[d], err, err_size)) return false;
        strbuf t;
        strbuf_init(&t);
        pattern_print(&dirs[d].lhs, &dirs[d].vars, &t);
        strbuf_append(&t, " => ");
        pattern_print(&dirs[d].rhs, &dirs[d].vars, &t);
        dirs[d].text = arena_strdup(a, strbuf_cstr(&t));
        strbuf_free(&t);
        if (rs->n == *cap) {
            int nc = *cap ? 2 * *cap : 64;
            rs->rules = arena_realloc(a, rs->rules, (size_t)*cap * sizeof *rs->rules, (size_t)nc * sizeof *rs->rules);
            *cap = nc;
        }
        rs->rules[rs->n++] = dirs[d];
    }
    return true;
}

bool ruleset_parse(arena *a, const char *text, ruleset *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    int cap = 0, line_no = 0;
    const char *s = text;
    while (*s) {
        const char *end = strchr(s, '\n');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        line_no++;
        char *line = arena_strndup(a, s, len);
        const char *t = skip(line);
        if (*t && *t != '#') {
            char msg[300];
            if (!parse_rule(a, line, out, &cap, msg, sizeof msg)) {
                snprintf(err, err_size, "line %d: %s", line_no, msg);
                return false;
            }
            /* names are unique so that reports and schedules can refer to them */
            for (int i = 0; i < out->n - 1; i++)
                if (strcmp(out->rules[i].name, out->rules[out->n - 1].name) == 0) {
                    snprintf(err, err_size, "line %d: rule name '%s' used twice", line_no, out->rules[i].name);
                    return false;
                }
        }
        s += len;
        if (*s == '\n') s++;
    }
    return true;
}

/* ---- application --------------------------------------------------------------------------- */

/* The rhs (or a condition pattern) built from a match; with add == false only looked up. */
static eclass_id instantiate(egraph *g, const rewrite *r, const pattern *p, int node, const match *m, bool add) {
    const pnode *n = &p->nodes[node];
    switch ((pkind)n->kind) {
    case PK_VAR: {
        bvar_map map;
        pattern_scope_map(&r->lhs.nodes[r->bind_node[n->var]], n, &map);
        return binder_rebind(g, m->subst[n->var], &map, add);
    }
    case PK_NUM: {
        enode e = {0};
        e.op = EOP_NUM;
        e.num = n->num;
        return add ? egraph_add(g, &e) : egraph_lookup(g, &e);
    }
    case PK_BVAR: {
        enode e = {0};
        e.op = EOP_BVAR;
        e.sym = n->bvar;
        return add ? egraph_add(g, &e) : egraph_lookup(g, &e);
    }
    case PK_OP:
        break;
    }
    enode e = {0};
    e.op = n->op;
    e.n = n->n;
    for (int k = 0; k < n->n; k++) {
        e.kids[k] = instantiate(g, r, p, n->kids[k], m, add);
        if (e.kids[k] == ECLASS_NONE) return ECLASS_NONE;
    }
    return add ? egraph_add(g, &e) : egraph_lookup(g, &e);
}

static bool has_facts(egraph *g, eclass_id c, uint32_t f) { return (egraph_data(g, c)->facts & f) == f; }

bool rewrite_conditions_hold(egraph *g, const rewrite *r, const match *m) {
    for (int i = 0; i < r->n_conds; i++) {
        const condition *c = &r->conds[i];
        eclass_id x = c->var >= 0 ? m->subst[c->var] : ECLASS_NONE;
        bool ok = true;
        switch (c->kind) {
        case COND_NONZERO: ok = has_facts(g, x, FACT_NONZERO | FACT_FINITE); break;
        case COND_POSITIVE: ok = has_facts(g, x, FACT_POS | FACT_FINITE); break;
        case COND_NONNEG: ok = has_facts(g, x, FACT_NONNEG | FACT_FINITE); break;
        case COND_FINITE: ok = has_facts(g, x, FACT_FINITE); break;
        case COND_CONST: ok = egraph_data(g, x)->has_const; break;
        case COND_INTEGER: {
            const class_data *d = egraph_data(g, x);
            ok = d->has_const && isfinite(d->value) && d->value == floor(d->value);
            break;
        }
        case COND_NOT_FREE: {
            int j = pattern_binder_index(&r->lhs.nodes[r->bind_node[c->var]], c->var2);
            ok = j < 0 || !binder_may_occur(g, x, j);
            break;
        }
        case COND_NONEMPTY: ok = analysis_nonempty_range(g, x, m->subst[c->var2]); break;
        case COND_INDICES_WITHIN: {
            uint64_t a = egraph_data(g, x)->free_indices, b = egraph_data(g, m->subst[c->var2])->free_indices;
            ok = (a & ~b) == 0;
            break;
        }
        case COND_EQUAL: {
            eclass_id y = instantiate(g, r, &c->pat, c->pat.root, m, false);
            ok = y != ECLASS_NONE && egraph_find(g, y) == egraph_find(g, x);
            break;
        }
        }
        if (!ok) return false;
    }
    return true;
}

bool rewrite_apply(egraph *g, const rewrite *r, const match *m) {
    if (!rewrite_conditions_hold(g, r, m)) return false;
    uint32_t before = g->n_nodes;
    eclass_id c = instantiate(g, r, &r->rhs, r->rhs.root, m, true);
    if (c == ECLASS_NONE) return g->n_nodes != before;
    return egraph_union(g, m->root, c) || g->n_nodes != before;
}
