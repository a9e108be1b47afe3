/* summary: see summary.h. */
#include "bench/summary.h"
#include "util/arena.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

time_stats stats_of(double *values, int n) {
    time_stats t = {0};
    t.n = n;
    if (n == 0) return t;
    qsort(values, (size_t)n, sizeof *values, compare_doubles);
    t.min = values[0];
    t.max = values[n - 1];
    t.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += values[i];
    t.mean = sum / n;
    double sq = 0;
    for (int i = 0; i < n; i++) sq += (values[i] - t.mean) * (values[i] - t.mean);
    t.sd = n > 1 ? sqrt(sq / (n - 1)) : 0;
    return t;
}

/* A number cell, or false when empty or not a number. */
static bool cell_number(const char *text, double *out) {
    if (!text || !*text) return false;
    char *end;
    double v = strtod(text, &end);
    if (*end || !isfinite(v)) return false;
    *out = v;
    return true;
}

static bool same_group(const result_row *a, const result_row *b) {
    return !strcmp(a->f[RC_SUITE], b->f[RC_SUITE]) && !strcmp(a->f[RC_OP], b->f[RC_OP]) &&
           !strcmp(a->f[RC_TOOL], b->f[RC_TOOL]) && !strcmp(a->f[RC_CONFIG], b->f[RC_CONFIG]);
}

static int add_unique(char ***list, int *n, const char *text) {
    for (int i = 0; i < *n; i++)
        if (!strcmp((*list)[i], text)) return i;
    *list = xrealloc(*list, (size_t)(*n + 1) * sizeof **list);
    (*list)[*n] = xstrdup(text);
    return (*n)++;
}

static int compare_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void summary_build(results_set *set, summary *out) {
    memset(out, 0, sizeof *out);
    results_sort(set);
    out->groups = xcalloc((size_t)set->n + 1, sizeof *out->groups);
    double *values = xcalloc((size_t)set->n + 1, sizeof *values);
    for (int i = 0; i < set->n;) {
        int end = i + 1;
        while (end < set->n && same_group(&set->rows[i], &set->rows[end])) end++;
        job_group *g = &out->groups[out->n++];
        const result_row *first = &set->rows[i];
        g->suite = first->f[RC_SUITE];
        g->op = first->f[RC_OP];
        g->category = first->f[RC_CATEGORY];
        g->tool = first->f[RC_TOOL];
        g->config = first->f[RC_CONFIG];
        snprintf(g->label, sizeof g->label, "%s/%s", g->tool, g->config);
        g->n_reps = end - i;
        for (int r = i; r < end; r++) {
            job_status st = ST_ERROR;
            status_parse(set->rows[r].f[RC_STATUS], &st);
            g->status_count[st]++;
        }
        int best = -1;
        for (int st = 0; st < N_STATUSES; st++) {
            if (!g->status_count[st]) continue;
            if (best < 0 || g->status_count[st] > g->status_count[best] ||
                (g->status_count[st] == g->status_count[best] &&
                 (status_rank((job_status)st) < status_rank((job_status)best) ||
                  (status_rank((job_status)st) == status_rank((job_status)best) && st > best))))
                best = st;
        }
        g->status = (job_status)best;
        for (int r = i; r < end; r++)
            if (!strcmp(set->rows[r].f[RC_STATUS], status_name(g->status))) { g->representative = &set->rows[r]; break; }
        int n = 0;
        for (int r = i; r < end; r++)
            if (cell_number(set->rows[r].f[RC_T_TOTAL], &values[n])) n++;
        g->total = stats_of(values, n);
        for (int s = 0; s < N_STAGES; s++) {
            n = 0;
            for (int r = i; r < end; r++)
                if (cell_number(set->rows[r].f[RC_T_SYMEXEC + s], &values[n])) n++;
            g->stage[s] = stats_of(values, n);
        }
        add_unique(&out->tools, &out->n_tools, g->label);
        add_unique(&out->categories, &out->n_categories, g->category);
        i = end;
    }
    /* vlift's own configurations first (the reference column), the others after them */
    int front = 0;
    for (int i = 0; i < out->n_tools; i++)
        if (!strncmp(out->tools[i], "vlift/", 6)) {
            char *t = out->tools[i];
            memmove(out->tools + front + 1, out->tools + front, (size_t)(i - front) * sizeof *out->tools);
            out->tools[front++] = t;
        }
    if (out->n_categories > 1) qsort(out->categories, (size_t)out->n_categories, sizeof *out->categories, compare_text);
    free(values);
}

void summary_free(summary *s) {
    for (int i = 0; i < s->n_tools; i++) free(s->tools[i]);
    for (int i = 0; i < s->n_categories; i++) free(s->categories[i]);
    free(s->tools);
    free(s->categories);
    free(s->groups);
    memset(s, 0, sizeof *s);
}

int summary_tool_index(const summary *s, const char *label) {
    for (int i = 0; i < s->n_tools; i++)
        if (!strcmp(s->tools[i], label)) return i;
    return -1;
}
