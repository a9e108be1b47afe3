/* compare: the `vlift compare` command — the regression verdict between two runs, for nightly
 * use. Operators are compared per (suite, op, tool, config) on the summary of their
 * repetitions (summary.h). A regression is:
 *   - a worse status: VERIFIED > LIFTED > everything else (a move within "everything else",
 *     e.g. TIMEOUT -> CRASH, is not one);
 *   - any WRONG in the new run (a soundness bug is always a regression);
 *   - with the same status in both runs, a median total time that grew by more than
 *     --time-threshold (default 1.5x), unless both times are below --min-time (default 0.1 s:
 *     noise);
 *   - an operator x tool of the old run missing from the new one.
 * Improvements and new operators are listed too; success rates are printed side by side.
 * Exit 1 on any regression, 0 otherwise, 2 on bad input. */
#include "bench/cli.h"
#include "bench/results.h"
#include "bench/summary.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char compare_help[] =
    "usage: vlift compare OLD NEW [--time-threshold R] [--min-time S]\n"
    "\n"
    "OLD and NEW are results directories (or results.csv files). Lists operators whose status got\n"
    "worse (VERIFIED > LIFTED > everything else; any WRONG counts), whose median total time grew\n"
    "by more than R times (default 1.5; times below S seconds, default 0.1, are ignored), or that\n"
    "are missing from NEW; prints success rates per tool side by side.\n"
    "Exit status: 1 when there is a regression, 0 when there is none, 2 on bad input.\n";

static bool load(const char *arg, results_set *set, char *err, size_t err_size) {
    char path[PATH_MAX + 32];
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) snprintf(path, sizeof path, "%s/results.csv", arg);
    else snprintf(path, sizeof path, "%s", arg);
    bool dropped = false;
    if (!results_read(path, false, set, &dropped, err, err_size)) return false;
    if (dropped) fprintf(stderr, "vlift compare: warning: ignoring the torn last row of %s\n", path);
    return true;
}

static const job_group *find(const summary *s, const job_group *like) {
    for (int i = 0; i < s->n; i++) {
        const job_group *g = &s->groups[i];
        if (!strcmp(g->suite, like->suite) && !strcmp(g->op, like->op) && !strcmp(g->label, like->label)) return g;
    }
    return NULL;
}

static void describe_status(char *buf, size_t size, const job_group *g) {
    const char *stage = g->representative ? g->representative->f[RC_STAGE] : "";
    if (*stage && !status_solved(g->status)) snprintf(buf, size, "%s (%s)", status_name(g->status), stage);
    else snprintf(buf, size, "%s", status_name(g->status));
}

static void rates(const summary *s, const char *label, int *verified, int *lifted, int *total) {
    *verified = *lifted = *total = 0;
    for (int i = 0; i < s->n; i++) {
        if (strcmp(s->groups[i].label, label)) continue;
        (*total)++;
        *verified += s->groups[i].status == ST_VERIFIED;
        *lifted += s->groups[i].status == ST_LIFTED;
    }
}

static bool parse_positive(const char *text, double *out) {
    char *end;
    double v = strtod(text, &end);
    if (*end || end == text || !isfinite(v) || v < 0) return false;
    *out = v;
    return true;
}

int cmd_compare(int argc, char **argv) {
    const char *paths[2] = {NULL, NULL};
    int n_paths = 0;
    double threshold = 1.5, min_time = 0.1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(compare_help, stdout); return 0; }
        if (!strcmp(a, "--time-threshold") || !strcmp(a, "--min-time")) {
            double v;
            if (i + 1 >= argc || !parse_positive(argv[i + 1], &v) || (a[2] == 't' && v < 1)) {
                fprintf(stderr, "vlift compare: %s needs a number%s\n(see 'vlift compare --help')\n", a,
                        a[2] == 't' ? " >= 1" : " >= 0");
                return 2;
            }
            if (a[2] == 't') threshold = v;
            else min_time = v;
            i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "vlift compare: unknown option '%s'\n(see 'vlift compare --help')\n", a);
            return 2;
        } else if (n_paths < 2) {
            paths[n_paths++] = a;
        } else {
            fprintf(stderr, "vlift compare: expected OLD and NEW, got a third argument '%s'\n", a);
            return 2;
        }
    }
    if (n_paths != 2) {
        fprintf(stderr, "vlift compare: expected OLD and NEW results directories\n(see 'vlift compare --help')\n");
        return 2;
    }
    results_set old_set, new_set;
    char err[PATH_MAX + 300];
    if (!load(paths[0], &old_set, err, sizeof err)) {
        fprintf(stderr, "vlift compare: %s\n", err);
        return 2;
    }
    if (!load(paths[1], &new_set, err, sizeof err)) {
        fprintf(stderr, "vlift compare: %s\n", err);
        results_free(&old_set);
        return 2;
    }
    summary old_s, new_s;
    summary_build(&old_set, &old_s);
    summary_build(&new_set, &new_s);
    printf("compare %s (run %s) -> %s (run %s)\n", paths[0], old_set.n ? old_set.rows[0].f[RC_RUN_ID] : "-", paths[1],
           new_set.n ? new_set.rows[0].f[RC_RUN_ID] : "-");
    int regressions = 0, improvements = 0, added = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) printf("\nimprovements:\n");
        else printf("\nregressions (time threshold %gx, ignoring times below %g s):\n", threshold, min_time);
        int listed = 0;
        for (int i = 0; i < old_s.n; i++) {
            const job_group *o = &old_s.groups[i], *n = find(&new_s, o);
            char before[64], after[64], what[300] = "";
            bool regression = false, improvement = false;
            if (!n) {
                regression = true;
                snprintf(what, sizeof what, "missing from the new run (was %s)", status_name(o->status));
            } else {
                describe_status(before, sizeof before, o);
                describe_status(after, sizeof after, n);
                int ro = status_rank(o->status), rn = status_rank(n->status);
                if (n->status == ST_WRONG || rn < ro) {
                    regression = true;
                    snprintf(what, sizeof what, "status %s -> %s", before, after);
                } else if (rn > ro) {
                    improvement = true;
                    snprintf(what, sizeof what, "status %s -> %s", before, after);
                }
                double to = o->total.median, tn = n->total.median;
                if (!regression && o->total.n && n->total.n && fmax(to, tn) >= min_time && tn > threshold * to &&
                    n->status == o->status) {
                    regression = true;
                    snprintf(what, sizeof what, "time %.3f s -> %.3f s (x%.2f)", to, tn, to > 0 ? tn / to : INFINITY);
                } else if (!regression && !improvement && o->total.n && n->total.n && fmax(to, tn) >= min_time &&
                           to > threshold * tn && n->status == o->status) {
                    improvement = true;
                    snprintf(what, sizeof what, "time %.3f s -> %.3f s (x%.2f)", to, tn, to > 0 ? tn / to : 0);
                }
            }
            if ((pass == 0 && regression) || (pass == 1 && improvement)) {
                printf("  %s/%s %s: %s\n", o->suite, o->op, o->label, what);
                listed++;
            }
            if (pass == 0) regressions += regression;
            else improvements += improvement;
        }
        if (pass == 1)
            for (int i = 0; i < new_s.n; i++)
                if (!find(&old_s, &new_s.groups[i])) {
                    printf("  %s/%s %s: new (%s)\n", new_s.groups[i].suite, new_s.groups[i].op, new_s.groups[i].label,
                           status_name(new_s.groups[i].status));
                    added++;
                    listed++;
                }
        if (!listed) printf("  none\n");
    }
    printf("\nsuccess rates (verified + lifted of operators):\n  %-28s %-22s %-22s\n", "tool", "old", "new");
    char **labels = NULL;
    int n_labels = 0;
    for (int pass = 0; pass < 2; pass++) {
        const summary *s = pass ? &new_s : &old_s;
        for (int t = 0; t < s->n_tools; t++) {
            bool seen = false;
            for (int k = 0; k < n_labels && !seen; k++) seen = !strcmp(labels[k], s->tools[t]);
            if (seen) continue;
            labels = realloc(labels, (size_t)(n_labels + 1) * sizeof *labels);
            if (!labels) abort();
            labels[n_labels++] = s->tools[t];
        }
    }
    for (int k = 0; k < n_labels; k++) {
        int v[2], l[2], tot[2];
        rates(&old_s, labels[k], &v[0], &l[0], &tot[0]);
        rates(&new_s, labels[k], &v[1], &l[1], &tot[1]);
        char cell[2][64];
        for (int p = 0; p < 2; p++) {
            if (tot[p]) snprintf(cell[p], sizeof cell[p], "%d + %d of %d (%.0f%%)", v[p], l[p], tot[p], 100.0 * (v[p] + l[p]) / tot[p]);
            else snprintf(cell[p], sizeof cell[p], "-");
        }
        printf("  %-28s %-22s %-22s\n", labels[k], cell[0], cell[1]);
    }
    free(labels);
    printf("\n%d regression%s, %d improvement%s, %d new\n", regressions, regressions == 1 ? "" : "s", improvements,
           improvements == 1 ? "" : "s", added);
    summary_free(&old_s);
    summary_free(&new_s);
    results_free(&old_set);
    results_free(&new_set);
    return regressions ? 1 : 0;
}
