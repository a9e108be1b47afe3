/* merge: the `vlift merge` command — one results directory from several (the shards of one run,
 * or separate runs). Rows are united by job key (suite, op, tool, config, rep); a job present
 * in several inputs must have identical rows there (apart from run_id), else the merge fails —
 * two different measurements of one job are a mistake to notice, not to paper over. Rows keep
 * their run_id unless --run-id gives a new one. The output is ordered by job key; logs are
 * hard-linked (or copied) into OUT/logs; OUT/meta.yaml lists the inputs with each one's own
 * meta.yaml nested under it. */
#include "bench/cli.h"
#include "bench/meta.h"
#include "bench/results.h"
#include "util/arena.h"
#include "util/file.h"
#include "util/strbuf.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char merge_help[] =
    "usage: vlift merge DIR... -o OUT [--run-id ID]\n"
    "\n"
    "Merges the results directories (shards of one run, or separate runs) into OUT: results.csv\n"
    "with every job once (ordered by suite, op, tool, config, rep), logs/, and meta.yaml listing\n"
    "the inputs. A job found in several inputs must have identical rows (run_id aside). Rows keep\n"
    "their run_id unless --run-id is given. OUT must not hold results yet.\n"
    "Exit status: 0 merged, 2 bad input (missing or malformed results, conflicting rows).\n";

static bool same_row(const result_row *a, const result_row *b) {
    for (int c = 0; c < N_RESULT_COLUMNS; c++)
        if (c != RC_RUN_ID && strcmp(a->f[c], b->f[c])) return false;
    return true;
}

static bool link_or_copy(const char *from, const char *to) {
    return link(from, to) == 0 || file_copy(from, to);
}

/* Links every log of dir/logs into out_logs that is not there yet; returns how many. */
static int merge_logs(const char *dir, const char *out_logs) {
    char logs[PATH_MAX + 8];
    snprintf(logs, sizeof logs, "%s/logs", dir);
    DIR *d = opendir(logs);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char from[2 * PATH_MAX], to[2 * PATH_MAX];
        snprintf(from, sizeof from, "%s/%s", logs, e->d_name);
        snprintf(to, sizeof to, "%s/%s", out_logs, e->d_name);
        if (access(to, F_OK) == 0) continue;
        if (link_or_copy(from, to)) n++;
        else fprintf(stderr, "vlift merge: warning: cannot copy %s\n", from);
    }
    closedir(d);
    return n;
}

static void nested_text(strbuf *y, const char *text, int indent) {
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n) strbuf_printf(y, "%*s%.*s\n", indent, "", (int)n, line);
        if (!end) break;
        line = end + 1;
    }
}

int cmd_merge(int argc, char **argv) {
    const char *out = NULL, *run_id = NULL;
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int n_inputs = 0, rc = 0;
    if (!inputs) abort();
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(merge_help, stdout); free(inputs); return 0; }
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--run-id")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "vlift merge: %s needs a value\n(see 'vlift merge --help')\n", a);
                free(inputs);
                return 2;
            }
            if (a[1] == 'o' || a[2] == 'o') out = argv[++i];
            else run_id = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "vlift merge: unknown option '%s'\n(see 'vlift merge --help')\n", a);
            free(inputs);
            return 2;
        } else {
            inputs[n_inputs++] = a;
        }
    }
    if (!out || n_inputs == 0) {
        fprintf(stderr, "vlift merge: expected DIR... -o OUT\n(see 'vlift merge --help')\n");
        free(inputs);
        return 2;
    }
    char path[PATH_MAX + 32], err[PATH_MAX + 300];
    snprintf(path, sizeof path, "%s/results.csv", out);
    if (access(path, F_OK) == 0) {
        fprintf(stderr, "vlift merge: %s already holds results; choose a new output directory\n", out);
        free(inputs);
        return 2;
    }
    results_set merged = {0};
    results_set *sets = calloc((size_t)n_inputs, sizeof *sets);
    if (!sets) abort();
    for (int k = 0; k < n_inputs && rc == 0; k++) {
        snprintf(path, sizeof path, "%s/results.csv", inputs[k]);
        bool dropped = false;
        if (!results_read(path, false, &sets[k], &dropped, err, sizeof err)) {
            fprintf(stderr, "vlift merge: %s\n", err);
            rc = 2;
        } else if (dropped) {
            fprintf(stderr, "vlift merge: warning: ignoring the torn last row of %s\n", path);
        }
    }
    /* all rows, sorted; then duplicates are neighbours */
    for (int k = 0; k < n_inputs && rc == 0; k++)
        for (int i = 0; i < sets[k].n; i++) results_add(&merged, result_row_copy(&sets[k].rows[i]));
    results_sort(&merged);
    int kept = 0, duplicates = 0, total = merged.n;
    for (int i = 0; i < total && rc == 0; i++) {
        if (kept > 0 && result_row_compare(&merged.rows[kept - 1], &merged.rows[i]) == 0) {
            if (!same_row(&merged.rows[kept - 1], &merged.rows[i])) {
                char key[1200];
                result_row_key(&merged.rows[i], key, sizeof key);
                fprintf(stderr, "vlift merge: job %s has different results in two inputs (status %s vs %s)\n", key,
                        merged.rows[kept - 1].f[RC_STATUS], merged.rows[i].f[RC_STATUS]);
                rc = 2;
            }
            result_row_free(&merged.rows[i]);   /* zeroes it */
            duplicates++;
            continue;
        }
        if (kept != i) {
            merged.rows[kept] = merged.rows[i];
            memset(&merged.rows[i], 0, sizeof merged.rows[i]);
        }
        kept++;
    }
    for (int i = kept; i < total; i++)   /* after a conflict: the rows not reached */
        if (merged.rows[i].f[0]) result_row_free(&merged.rows[i]);
    merged.n = kept;
    if (rc == 0 && run_id)
        for (int i = 0; i < merged.n; i++) {
            free(merged.rows[i].f[RC_RUN_ID]);
            merged.rows[i].f[RC_RUN_ID] = strdup(run_id);
        }
    char logs[PATH_MAX + 8];
    snprintf(logs, sizeof logs, "%s/logs", out);
    if (rc == 0 && ((mkdir(out, 0755) != 0 && errno != EEXIST) || (mkdir(logs, 0755) != 0 && errno != EEXIST))) {
        fprintf(stderr, "vlift merge: cannot create %s: %s\n", out, strerror(errno));
        rc = 2;
    }
    snprintf(path, sizeof path, "%s/results.csv", out);
    if (rc == 0 && !results_write_file(path, &merged, err, sizeof err)) {
        fprintf(stderr, "vlift merge: %s\n", err);
        rc = 2;
    }
    if (rc == 0) {
        int n_logs = 0;
        for (int k = 0; k < n_inputs; k++) n_logs += merge_logs(inputs[k], logs);
        /* meta.yaml: the inputs, each with its own meta nested */
        const char *common = merged.n ? merged.rows[0].f[RC_RUN_ID] : "";
        for (int i = 1; i < merged.n && common; i++)
            if (strcmp(merged.rows[i].f[RC_RUN_ID], common)) common = NULL;
        strbuf y;
        strbuf_init(&y);
        char now[32];
        meta_utc_now(now, sizeof now);
        strbuf_append(&y, "# Written by vlift merge: the inputs, each with its own meta.yaml under 'meta'.\nrun_id: ");
        meta_yaml_string(&y, run_id ? run_id : common);
        strbuf_append(&y, "\nstate: \"merged\"\nmerged_at: ");
        meta_yaml_string(&y, now);
        strbuf_append(&y, "\ncommand: [\"vlift\", \"merge\"");
        for (int i = 0; i < argc; i++) {
            strbuf_append(&y, ", ");
            meta_yaml_string(&y, argv[i]);
        }
        strbuf_printf(&y, "]\nrows: %d\nsources:\n", merged.n);
        for (int k = 0; k < n_inputs; k++) {
            strbuf_append(&y, "  - dir: ");
            meta_yaml_string(&y, inputs[k]);
            strbuf_printf(&y, "\n    rows: %d\n    run_id: ", sets[k].n);
            meta_yaml_string(&y, sets[k].n ? sets[k].rows[0].f[RC_RUN_ID] : NULL);
            char meta_path[PATH_MAX + 16];
            snprintf(meta_path, sizeof meta_path, "%s/meta.yaml", inputs[k]);
            meta_record m;
            if (meta_read(meta_path, &m, err, sizeof err)) {
                strbuf_append(&y, "\n    meta:\n");
                nested_text(&y, m.text, 6);
                meta_record_free(&m);
            } else {
                strbuf_append(&y, "\n    meta: null\n");
            }
        }
        snprintf(path, sizeof path, "%s/meta.yaml", out);
        FILE *f = fopen(path, "w");
        if (!f || fwrite(y.data, 1, y.len, f) != y.len || fclose(f) != 0) {
            fprintf(stderr, "vlift merge: cannot write %s: %s\n", path, strerror(errno));
            rc = 2;
        }
        strbuf_free(&y);
        if (rc == 0)
            printf("merged %d inputs: %d jobs (%d duplicate rows dropped), %d logs -> %s\n", n_inputs, merged.n, duplicates,
                   n_logs, out);
    }
    for (int k = 0; k < n_inputs; k++) results_free(&sets[k]);
    free(sets);
    results_free(&merged);
    free(inputs);
    return rc;
}
