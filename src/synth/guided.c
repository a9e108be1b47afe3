/* guided: learned production weights for the guided-style baseline (see guided.h). */
#include "synth/guided.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int find_production(const synth_weights *w, const char *name) {
    for (int i = 0; i < w->n; i++)
        if (strcmp(w->names[i], name) == 0) return i;
    return -1;
}

static void add_count(synth_weights *w, const char *name, double k) {
    int i = find_production(w, name);
    if (i < 0) {
        if (w->n == GUIDED_MAX_PRODUCTIONS || strlen(name) >= sizeof w->names[0]) return;
        i = w->n++;
        snprintf(w->names[i], sizeof w->names[i], "%s", name);
        w->count[i] = 0;
    }
    w->count[i] += k;
}

/* ---- learning: productions of a formula ---- */

static void count_expr(const fexpr *e, synth_weights *w) {
    if (!e) return;
    char name[40] = "";
    switch (e->kind) {
    case FX_NEG: snprintf(name, sizeof name, "unary:neg"); break;
    case FX_BINOP:
        if (e->op == '^' && e->args[1]->kind == FX_NUM && e->args[1]->num == 2) snprintf(name, sizeof name, "unary:sq");
        else if (e->op == '^') snprintf(name, sizeof name, "binary:pow");
        else snprintf(name, sizeof name, "binary:%c", (char)e->op);
        break;
    case FX_CALL: snprintf(name, sizeof name, "%s:%s", e->n_args == 1 ? "unary" : "binary", e->name); break;
    case FX_REDUCE: snprintf(name, sizeof name, "reduce:%s", e->name); break;
    case FX_WHERE: snprintf(name, sizeof name, "where"); break;
    default: break;
    }
    if (name[0]) add_count(w, name, 1);
    for (int i = 0; i < e->n_args; i++) count_expr(e->args[i], w);
}

void guided_count_formula(const formula *f, synth_weights *w) {
    for (int q = 0; f && q < f->n_eqs; q++) count_expr(f->eqs[q].rhs, w);
    w->formulas++;
}

/* ---- loading ---- */

bool guided_weights_load(const char *path, const char *exclude_suite, const char *exclude_op, synth_weights *w, char *err,
                         size_t err_size) {
    memset(w, 0, sizeof *w);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_size, "%s: cannot read the guided weights: %s (regenerate with scripts/learn-guided-weights.sh)", path,
                 strerror(errno));
        return false;
    }
    char line[512], last[256] = "";
    bool last_excluded = false;
    int lineno = 0;
    bool ok = true;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *fields[4];
        int n = 0;
        for (char *p = line, *tab; n < 4; p = tab + 1) {
            fields[n++] = p;
            tab = strchr(p, '\t');
            if (!tab) break;
            *tab = 0;
        }
        char *end;
        double k = n == 4 ? strtod(fields[3], &end) : 0;
        if (n != 4 || end == fields[3] || *end || k < 0) {
            snprintf(err, err_size, "%s:%d:1: expected 'suite<TAB>op<TAB>production<TAB>count'", path, lineno);
            ok = false;
            break;
        }
        char key[256];
        snprintf(key, sizeof key, "%s\t%s", fields[0], fields[1]);
        bool excluded = (exclude_suite && strcmp(fields[0], exclude_suite) == 0) || (exclude_op && strcmp(fields[1], exclude_op) == 0);
        if (strcmp(key, last) != 0) {   /* a new training formula */
            snprintf(last, sizeof last, "%s", key);
            last_excluded = excluded;
            if (excluded) w->left_out++;
            else w->formulas++;
        }
        if (!last_excluded) add_count(w, fields[2], k);
    }
    fclose(f);
    if (ok && w->formulas == 0) {
        snprintf(err, err_size, "%s: no training formula left after leaving out the operator under test", path);
        ok = false;
    }
    return ok;
}

/* ---- costs ---- */

int guided_cost(const synth_weights *w, const char *cls, const char *name, const char *const *class_names, int n_class) {
    if (!w) return 1;
    char full[48];
    double best = 0, mine = 0;
    for (int i = 0; i < n_class; i++) {
        snprintf(full, sizeof full, "%s:%s", cls, class_names[i]);
        int k = find_production(w, full);
        double c = (k >= 0 ? w->count[k] : 0) + 0.5;
        if (c > best) best = c;
        if (strcmp(class_names[i], name) == 0) mine = c;
    }
    if (mine <= 0) return GUIDED_MAX_COST;
    int cost = 1 + (int)floor(log2(best / mine));
    return cost > GUIDED_MAX_COST ? GUIDED_MAX_COST : cost;
}

/* ---- `vlift guided-weights` ---- */

static const char guided_help[] =
    "usage: vlift guided-weights FILE...\n"
    "\n"
    "Learns the production weights of the guided-style baseline (--config guided): reads lines\n"
    "'suite<TAB>op<TAB>formula' (formulas lifted in the training suites; equations separated by\n"
    "'; ') and prints, per training formula, the count of each grammar production it uses, one\n"
    "line 'suite<TAB>op<TAB>production<TAB>count' each. scripts/learn-guided-weights.sh makes the\n"
    "input from `vlift lift --json` runs and writes suites/guided_weights.tsv.\n";

int cmd_guided_weights(int argc, char **argv) {
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(guided_help, stdout);
            return 0;
        }
    if (argc == 0) {
        fprintf(stderr, "vlift guided-weights: expected a file of 'suite<TAB>op<TAB>formula' lines\n(see 'vlift guided-weights --help')\n");
        return 2;
    }
    printf("# production counts of formulas lifted in the training suites (vlift guided-weights)\n");
    for (int i = 0; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "vlift guided-weights: %s: %s\n", argv[i], strerror(errno));
            return 2;
        }
        char line[8192];
        int lineno = 0;
        while (fgets(line, sizeof line, f)) {
            lineno++;
            line[strcspn(line, "\r\n")] = 0;
            if (!line[0] || line[0] == '#') continue;
            char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
            if (!t2) {
                fprintf(stderr, "%s:%d:1: expected 'suite<TAB>op<TAB>formula'\n", argv[i], lineno);
                fclose(f);
                return 2;
            }
            *t1 = *t2 = 0;
            arena a;
            arena_init(&a);
            diag err = {0};
            formula *fm = formula_parse(&a, argv[i], lineno, (int)(t2 - line) + 2, t2 + 1, &err);
            if (!fm) {
                char msg[700];
                diag_format(&err, msg, sizeof msg);
                fprintf(stderr, "%s\n", msg);
                arena_free(&a);
                fclose(f);
                return 2;
            }
            synth_weights w = {0};
            guided_count_formula(fm, &w);
            for (int p = 0; p < w.n; p++) printf("%s\t%s\t%s\t%g\n", line, t1 + 1, w.names[p], w.count[p]);
            arena_free(&a);
        }
        fclose(f);
    }
    return 0;
}
