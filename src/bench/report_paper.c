/* report_paper: the tables of `vlift report` that compare configurations with vlift's full one
 * and with published figures (see report_paper.h). */
#include "bench/report_paper.h"
#include "bench/table.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The figures published for the method and its baseline on the FlagGems-33 suite: operators
 * synthesized and verified, out of 33. Matched by the configuration that re-implements them. */
static const struct {
    const char *tool, *config, *system;
    int verified, total;
} published[] = {
    {"vlift", "full", "verified lifting (the method's paper)", 28, 33},
    {"vlift", "tenspiler-style", "Tenspiler (as reported in the method's paper)", 13, 33},
};

static bool is_full(const job_group *g) { return !strcmp(g->tool, "vlift") && !strcmp(g->config, "full"); }
static bool is_ablation(const job_group *g) { return !strcmp(g->tool, "vlift") && !strncmp(g->config, "no-", 3); }
static bool solved(job_status s) { return s == ST_VERIFIED || s == ST_LIFTED; }

static const job_group *group_of(const summary *s, const job_group *like, const char *label) {
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->groups[i].suite, like->suite) && !strcmp(s->groups[i].op, like->op) && !strcmp(s->groups[i].label, label))
            return &s->groups[i];
    return NULL;
}

static const char *full_label(const summary *s) {
    for (int i = 0; i < s->n; i++)
        if (is_full(&s->groups[i])) return s->groups[i].label;
    return NULL;
}

/* One row per tool selected by `want`, compared operator by operator with vlift/full. */
static bool versus_table(const summary *s, const char *dir, const char *base, const char *title, bool ablations,
                         const char *command, bool paper, char *err, size_t err_size) {
    const char *full = full_label(s);
    static const char *const cols[] = {"configuration", "VERIFIED", "LIFTED", "other", "VERIFIED lost", "VERIFIED gained",
                                       "solved lost", "time added (s)", "operators lost (VERIFIED by full only)"};
    table_out t;
    table_init(&t, paper);
    table_begin(&t, command, title, cols, 9, "lrrrrrrrl");
    int rows = 0;
    for (int k = 0; k < s->n_tools; k++) {
        const job_group *first = NULL;
        for (int i = 0; i < s->n && !first; i++)
            if (!strcmp(s->groups[i].label, s->tools[k])) first = &s->groups[i];
        if (!first || is_full(first) || is_ablation(first) != ablations) continue;
        int v = 0, l = 0, o = 0, lost = 0, gained = 0, solved_lost = 0, common = 0;
        double added = 0;
        strbuf names;
        strbuf_init(&names);
        for (int i = 0; i < s->n; i++) {
            const job_group *g = &s->groups[i];
            if (strcmp(g->label, s->tools[k])) continue;
            if (g->status == ST_VERIFIED) v++;
            else if (g->status == ST_LIFTED) l++;
            else o++;
            const job_group *f = full ? group_of(s, g, full) : NULL;
            if (!f) continue;
            if (f->status == ST_VERIFIED && g->status != ST_VERIFIED) {
                lost++;
                strbuf_printf(&names, "%s%s", names.len ? ", " : "", g->op);
            }
            if (f->status != ST_VERIFIED && g->status == ST_VERIFIED) gained++;
            if (solved(f->status) && !solved(g->status)) solved_lost++;
            if (solved(f->status) && solved(g->status)) {
                added += g->total.median - f->total.median;
                common++;
            }
        }
        char c[8][32];
        snprintf(c[0], sizeof c[0], "%d", v);
        snprintf(c[1], sizeof c[1], "%d", l);
        snprintf(c[2], sizeof c[2], "%d", o);
        snprintf(c[3], sizeof c[3], "%d", lost);
        snprintf(c[4], sizeof c[4], "%d", gained);
        snprintf(c[5], sizeof c[5], "%d", solved_lost);
        if (common) snprintf(c[6], sizeof c[6], "%+.2f", added);
        else snprintf(c[6], sizeof c[6], "-");
        const char *row[] = {s->tools[k], c[0], c[1], c[2], c[3], c[4], c[5], c[6], names.len ? strbuf_cstr(&names) : "-"};
        table_row(&t, row, 9);
        strbuf_free(&names);
        rows++;
    }
    table_end(&t, "Compared operator by operator with vlift/full (each group's status is the most frequent over "
                  "repetitions). VERIFIED lost/gained: operators VERIFIED by exactly one of the two; solved lost: "
                  "VERIFIED or LIFTED by full, neither here; time added: the sum over operators both solve "
                  "(VERIFIED or LIFTED) of (median total time here - median total time of full).");
    bool ok = rows == 0 || write_table(dir, base, &t, err, err_size);
    table_free(&t);
    return ok;
}

static bool published_table(const summary *s, const char *dir, const char *command, bool paper, char *err, size_t err_size) {
    static const char *const cols[] = {"tool", "system", "published VERIFIED", "ours VERIFIED", "ours LIFTED", "ours other"};
    table_out t;
    table_init(&t, paper);
    table_begin(&t, command, "Operators verified: published figures beside this run", cols, 6, "llrrrr");
    for (int k = 0; k < s->n_tools; k++) {
        int v = 0, l = 0, o = 0;
        const job_group *first = NULL;
        for (int i = 0; i < s->n; i++) {
            const job_group *g = &s->groups[i];
            if (strcmp(g->label, s->tools[k])) continue;
            if (!first) first = g;
            if (g->status == ST_VERIFIED) v++;
            else if (g->status == ST_LIFTED) l++;
            else o++;
        }
        if (!first) continue;
        const char *system = "-";
        char pub[32] = "-", ours[32], lc[16], oc[16];
        for (size_t p = 0; p < sizeof published / sizeof *published; p++)
            if (!strcmp(first->tool, published[p].tool) && !strcmp(first->config, published[p].config)) {
                system = published[p].system;
                snprintf(pub, sizeof pub, "%d/%d", published[p].verified, published[p].total);
            }
        snprintf(ours, sizeof ours, "%d/%d", v, v + l + o);
        snprintf(lc, sizeof lc, "%d", l);
        snprintf(oc, sizeof oc, "%d", o);
        const char *row[] = {s->tools[k], system, pub, ours, lc, oc};
        table_row(&t, row, 6);
    }
    table_end(&t, "Published: operators of FlagGems-33 synthesized and verified, as reported by the method's paper for "
                  "itself and for Tenspiler. Ours: this run's operators by status (most frequent over repetitions); "
                  "tenspiler-style, c2taco-style and guided are re-implementations inside vlift (README, Baselines), "
                  "not the original tools.");
    bool ok = write_table(dir, "published", &t, err, err_size);
    table_free(&t);
    return ok;
}

bool report_paper_tables(const summary *s, const char *dir, const char *command, bool paper, char *err, size_t err_size) {
    return versus_table(s, dir, "ablation", "Ablations of vlift: what each removed technique costs", true, command, paper, err,
                        err_size) &&
           versus_table(s, dir, "baselines", "Re-implemented baselines and other tools against vlift (full)", false, command,
                        paper, err, err_size) &&
           published_table(s, dir, command, paper, err, err_size);
}
