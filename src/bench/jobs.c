/* jobs: see jobs.h. */
#include "bench/jobs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char **jobs_split_list(arena *a, const char *text, int *n) {
    *n = 0;
    size_t count = 1;
    for (const char *p = text; *p; p++) count += *p == ',';
    const char **words = arena_alloc(a, count * sizeof *words);
    for (const char *p = text; ; ) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len) words[(*n)++] = arena_strndup(a, p, len);
        if (!comma) break;
        p = comma + 1;
    }
    return words;
}

static bool matches_op(const char *entry, const char *suite, const char *op) {
    const char *slash = strchr(entry, '/');
    if (!slash) return !strcmp(entry, op);
    return strlen(suite) == (size_t)(slash - entry) && !strncmp(entry, suite, (size_t)(slash - entry)) && !strcmp(slash + 1, op);
}

static bool matches_tool(const char *entry, const bench_tool *t) {
    const char *slash = strchr(entry, '/');
    if (!slash) return !strcmp(entry, t->name);
    return strlen(t->name) == (size_t)(slash - entry) && !strncmp(entry, t->name, (size_t)(slash - entry)) &&
           !strcmp(slash + 1, t->config);
}

static int compare_jobs(const void *pa, const void *pb) {
    const job *a = pa, *b = pb;
    int c = strcmp(a->suite, b->suite);
    if (!c) c = strcmp(a->op->name, b->op->name);
    if (!c) c = strcmp(a->tool->name, b->tool->name);
    if (!c) c = strcmp(a->tool->config, b->tool->config);
    if (!c) c = (a->rep > b->rep) - (a->rep < b->rep);
    return c;
}

bool jobs_build(arena *a, const bench_suite_file *files, int n_files, const job_filter *filter, const job_settings *cli,
                job_list *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    bool *op_used = arena_alloc(a, (size_t)(filter->n_ops + 1) * sizeof *op_used);
    bool *tool_used = arena_alloc(a, (size_t)(filter->n_tools + 1) * sizeof *tool_used);
    /* the same operator of the same suite in two manifests would make two jobs with one key */
    for (int f = 0; f < n_files; f++)
        for (int g = 0; g < f; g++) {
            if (strcmp(files[f].suite->name, files[g].suite->name)) continue;
            for (int i = 0; i < files[f].suite->n_ops; i++)
                if (plan_find_op(files[g].suite, files[f].suite->ops[i].name)) {
                    snprintf(err, err_size, "operator '%s' of suite '%s' is defined in both %s and %s",
                             files[f].suite->ops[i].name, files[f].suite->name, files[g].path, files[f].path);
                    return false;
                }
        }
    size_t cap = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        for (int f = 0; f < n_files; f++) {
            const bench_suite_file *file = &files[f];
            for (int o = 0; o < file->suite->n_ops; o++) {
                const plan_op *op = &file->suite->ops[o];
                bool op_selected = filter->n_ops == 0;
                for (int k = 0; k < filter->n_ops; k++)
                    if (matches_op(filter->ops[k], file->suite->name, op->name)) op_selected = op_used[k] = true;
                if (!op_selected) continue;
                for (int t = 0; t < file->harness.n_tools; t++) {
                    const bench_tool *tool = &file->harness.tools[t];
                    bool tool_selected = filter->n_tools == 0;
                    for (int k = 0; k < filter->n_tools; k++)
                        if (matches_tool(filter->tools[k], tool)) tool_selected = tool_used[k] = true;
                    if (!tool_selected) continue;
                    const job_settings *levels[] = {&file->harness.defaults, &tool->settings,
                                                    &file->harness.op_settings[o], cli};
                    job_settings s = settings_resolve(levels, 4);
                    for (int rep = 1; rep <= s.reps; rep++, n++) {
                        if (pass == 0) continue;
                        job *j = &out->items[n];
                        j->suite = file->suite->name;
                        j->manifest = file->path;
                        j->op = op;
                        j->tool = tool;
                        j->rep = rep;
                        j->limits = s;
                        j->name = arena_printf(a, "%s__%s__%s__%s__%d", j->suite, op->name, tool->name, tool->config, rep);
                    }
                }
            }
        }
        if (pass == 0) {
            cap = n;
            out->items = arena_alloc(a, (cap ? cap : 1) * sizeof *out->items);
        }
        out->n = n;
    }
    for (int k = 0; k < filter->n_ops; k++)
        if (!op_used[k]) {
            snprintf(err, err_size, "--ops: no operator '%s' in the given manifests", filter->ops[k]);
            return false;
        }
    for (int k = 0; k < filter->n_tools; k++)
        if (!tool_used[k]) {
            snprintf(err, err_size, "--tools: no tool '%s' in the given manifests (write NAME or NAME/CONFIG)",
                     filter->tools[k]);
            return false;
        }
    qsort(out->items, out->n, sizeof *out->items, compare_jobs);
    for (size_t i = 0; i < out->n; i++) out->items[i].index = i;
    return true;
}
