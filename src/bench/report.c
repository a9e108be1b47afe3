/* report: the `vlift report` command — tables and figures from a results directory.
 *
 * Tables go to DIR/tables/, each in Markdown (.md) and LaTeX (.tex, booktabs), headed by a
 * comment with the command that produced it:
 *   main       operator x tool: the status (most frequent over repetitions) and the median
 *              total time — the paper's main table
 *   success    per tool and category: VERIFIED, LIFTED, other, total, solved %
 *   stages     per operator and tool: each stage's time as median (mean ± σ) over repetitions
 *   simplify   per tool: formula sizes before and after simplification (total and reduction),
 *              the median simplification time, and matches with the expected formulas
 *   ablation, baselines, published   comparisons with vlift/full and with published figures
 *              (report_paper.h)
 *   summary.csv  the same numbers, one row per operator x tool, for other programs (plain CSV:
 *              no comment line; its producer is recorded in the .dat and table headers)
 * Figures (plot.h) go to DIR/plots/ and are copied to the plots directory (--plots-dir, default
 * the repository's plots/ when it exists). The success counts are also printed.
 *
 * --paper: status cells use one-letter codes (V verified, L lifted, R refuted, W wrong,
 * U unsupported, T timeout, M out of memory, C crash, E error, - not run) with a legend, and the
 * figures are drawn at a column-friendly size. */
#include "bench/cli.h"
#include "bench/csv.h"
#include "bench/plot.h"
#include "bench/results.h"
#include "bench/report_paper.h"
#include "bench/summary.h"
#include "bench/table.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char report_help[] =
    "usage: vlift report DIR [--paper] [--plots-dir D | --no-plots]\n"
    "\n"
    "Reads DIR/results.csv and writes tables to DIR/tables/ (Markdown and LaTeX: main = operator x\n"
    "tool status and median time, success = counts per tool and category, stages = per-stage\n"
    "times as median (mean ± sd) over repetitions; simplify = per tool, formula sizes before and\n"
    "after simplification, median simplification time, matches with the expected formulas;\n"
    "ablation and baselines = each configuration vs\n"
    "vlift/full: successes lost and time added; published = published figures beside ours;\n"
    "summary.csv) and figures to DIR/plots/ (PNG and\n"
    "SVG via gnuplot: success rate, cactus, stage breakdown, scatter of vlift vs each other tool),\n"
    "copied to the plots directory (--plots-dir; default: plots/ when it exists). gnuplot templates\n"
    "are read from $VLIFT_PLOTS_DIR, <dir of vlift>/../plots or ./plots.\n"
    "\n"
    "  --paper       one-letter status codes in the tables and figures sized for a paper column\n"
    "  --plots-dir D also copy the figures to D\n"
    "  --no-plots    tables only\n";

static const char *const paper_codes[N_STATUSES] = {"V", "L", "R", "W", "U", "T", "M", "C", "E", "-"};

static const job_group *find_group(const summary *s, const char *suite, const char *op, const char *label) {
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->groups[i].suite, suite) && !strcmp(s->groups[i].op, op) && !strcmp(s->groups[i].label, label))
            return &s->groups[i];
    return NULL;
}

static void status_cell(char *buf, size_t size, const job_group *g, bool paper) {
    if (!g) { snprintf(buf, size, "%s", paper ? "" : "n/a"); return; }
    char t[32];
    format_seconds(t, sizeof t, g->total.median);
    const char *stage = g->representative ? g->representative->f[RC_STAGE] : "";
    if (paper) snprintf(buf, size, "%s %s", paper_codes[g->status], t);
    else if (g->status == ST_TIMEOUT && *stage) snprintf(buf, size, "TIMEOUT (%s) %s s", stage, t);
    else snprintf(buf, size, "%s %s s", status_name(g->status), t);
}

static bool main_table(const summary *s, const char *dir, const char *command, bool paper, char *err, size_t err_size) {
    bool several_suites = false;
    for (int i = 1; i < s->n; i++) several_suites |= strcmp(s->groups[i].suite, s->groups[0].suite) != 0;
    int n_cols = (several_suites ? 3 : 2) + s->n_tools;
    const char **cols = xcalloc((size_t)n_cols, sizeof *cols);
    char *align = xcalloc((size_t)n_cols + 1, 1);
    int c = 0;
    if (several_suites) { align[c] = 'l'; cols[c++] = "suite"; }
    align[c] = 'l'; cols[c++] = "operator";
    align[c] = 'l'; cols[c++] = "category";
    for (int t = 0; t < s->n_tools; t++) { align[c] = 'r'; cols[c++] = s->tools[t]; }
    table_out t;
    table_init(&t, paper);
    table_begin(&t, command,
                paper ? "Status and median total time (s) per operator and tool"
                      : "Status (most frequent over repetitions) and median total time per operator and tool",
                cols, n_cols, align);
    char (*cells)[160] = xcalloc((size_t)n_cols, sizeof *cells);
    const char **row = xcalloc((size_t)n_cols, sizeof *row);
    for (int i = 0; i < s->n; i++) {
        const job_group *g = &s->groups[i];
        if (i > 0 && !strcmp(g->suite, s->groups[i - 1].suite) && !strcmp(g->op, s->groups[i - 1].op)) continue;
        c = 0;
        if (several_suites) row[c++] = g->suite;
        row[c++] = g->op;
        row[c++] = g->category;
        for (int k = 0; k < s->n_tools; k++, c++) {
            status_cell(cells[c], sizeof cells[c], find_group(s, g->suite, g->op, s->tools[k]), paper);
            row[c] = cells[c];
        }
        table_row(&t, row, n_cols);
    }
    table_end(&t, paper ? "V verified, L lifted, R refuted, W wrong, U unsupported, T timeout, M out of memory, "
                          "C crash, E error, - not run; times are medians over repetitions in seconds."
                        : NULL);
    bool ok = write_table(dir, "main", &t, err, err_size);
    table_free(&t);
    free(cells);
    free(row);
    free(cols);
    free(align);
    return ok;
}

/* Per tool and category (and "all"): counts of VERIFIED, LIFTED, other. */
typedef struct tally {
    int verified, lifted, other;
} tally;

static tally count(const summary *s, const char *label, const char *category) {
    tally t = {0};
    for (int i = 0; i < s->n; i++) {
        const job_group *g = &s->groups[i];
        if (strcmp(g->label, label) || (category && strcmp(g->category, category))) continue;
        if (g->status == ST_VERIFIED) t.verified++;
        else if (g->status == ST_LIFTED) t.lifted++;
        else t.other++;
    }
    return t;
}

static bool success_table(const summary *s, const char *dir, const char *command, bool paper, char *err,
                          size_t err_size) {
    static const char *const cols[] = {"tool", "category", "VERIFIED", "LIFTED", "other", "total", "solved %"};
    table_out t;
    table_init(&t, paper);
    table_begin(&t, command, "Operators per tool and category by status (solved = VERIFIED or LIFTED)", cols, 7,
                "llrrrrr");
    for (int k = 0; k < s->n_tools; k++)
        for (int c = 0; c <= s->n_categories; c++) {
            const char *category = c < s->n_categories ? s->categories[c] : NULL;
            tally n = count(s, s->tools[k], category);
            int total = n.verified + n.lifted + n.other;
            if (total == 0) continue;
            char v[16], l[16], o[16], tot[16], pct[16];
            snprintf(v, sizeof v, "%d", n.verified);
            snprintf(l, sizeof l, "%d", n.lifted);
            snprintf(o, sizeof o, "%d", n.other);
            snprintf(tot, sizeof tot, "%d", total);
            snprintf(pct, sizeof pct, "%.0f", 100.0 * (n.verified + n.lifted) / total);
            const char *row[] = {s->tools[k], category ? category : "all", v, l, o, tot, pct};
            table_row(&t, row, 7);
        }
    table_end(&t, NULL);
    bool ok = write_table(dir, "success", &t, err, err_size);
    table_free(&t);
    return ok;
}

static void stats_cell(char *buf, size_t size, const time_stats *st) {
    if (st->n == 0) { snprintf(buf, size, "-"); return; }
    if (st->n == 1) { snprintf(buf, size, "%.3f", st->median); return; }
    snprintf(buf, size, "%.3f (%.3f ± %.3f)", st->median, st->mean, st->sd);
}

static bool stages_table(const summary *s, const char *dir, const char *command, bool paper, char *err,
                         size_t err_size) {
    static const char *const cols[] = {"operator", "tool", "reps", "symexec", "synth", "verify", "simplify", "check", "total"};
    table_out t;
    table_init(&t, paper);
    table_begin(&t, command, "Time per stage in seconds: median (mean ± sd) over repetitions", cols, 9, "llrrrrrrr");
    for (int i = 0; i < s->n; i++) {
        const job_group *g = &s->groups[i];
        char reps[16], cells[N_STAGES + 1][80];
        snprintf(reps, sizeof reps, "%d", g->n_reps);
        for (int k = 0; k < N_STAGES; k++) stats_cell(cells[k], sizeof cells[k], &g->stage[k]);
        stats_cell(cells[N_STAGES], sizeof cells[N_STAGES], &g->total);
        const char *row[] = {g->op, g->label, reps, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]};
        table_row(&t, row, 9);
    }
    table_end(&t, "A '-' marks a stage the tool did not report (it did not run, or the tool has no stages).");
    bool ok = write_table(dir, "stages", &t, err, err_size);
    table_free(&t);
    return ok;
}

/* Per tool, over the operators whose representative row reports formula sizes (a lifted
 * formula; size_lifted > 0): the total size before and after simplification, the reduction,
 * the median of the operators' median simplification time, and how many printed formulas match
 * the manifest's expected one (yes: up to index names and AC; equivalent: numerically; no). */
typedef struct simplify_totals {
    int ops;
    long lifted, simplified;
    int match_yes, match_equivalent, match_no;
} simplify_totals;

static simplify_totals simplify_total(const summary *s, const char *label, double *t_simplify, int *n_times) {
    simplify_totals st = {0};
    *n_times = 0;
    for (int i = 0; i < s->n; i++) {
        const job_group *g = &s->groups[i];
        if (strcmp(g->label, label) || !g->representative) continue;
        long before = atol(g->representative->f[RC_SIZE_LIFTED]), after = atol(g->representative->f[RC_SIZE_SIMPLIFIED]);
        if (before <= 0) continue;
        st.ops++;
        st.lifted += before;
        st.simplified += after;
        const char *m = g->representative->f[RC_MATCHES_EXPECTED];
        if (!strcmp(m, "yes")) st.match_yes++;
        else if (!strcmp(m, "equivalent")) st.match_equivalent++;
        else if (!strcmp(m, "no")) st.match_no++;
        if (g->stage[STAGE_SIMPLIFY].n) t_simplify[(*n_times)++] = g->stage[STAGE_SIMPLIFY].median;
    }
    return st;
}

static bool simplify_table(const summary *s, const char *dir, const char *command, bool paper, char *err,
                           size_t err_size) {
    static const char *const cols[] = {"tool", "operators", "size lifted", "size simplified", "reduction %",
                                       "simplify median s", "expected yes", "equivalent", "no"};
    table_out t;
    table_init(&t, paper);
    table_begin(&t, command, "Formula size (AST nodes) before and after simplification, over the operators with a lifted formula",
                cols, 9, "lrrrrrrrr");
    double *times = malloc((size_t)(s->n + 1) * sizeof *times);
    for (int k = 0; k < s->n_tools && times; k++) {
        int n_times;
        simplify_totals st = simplify_total(s, s->tools[k], times, &n_times);
        if (st.ops == 0) continue;
        time_stats ts = stats_of(times, n_times);
        char c[8][32];
        snprintf(c[0], sizeof c[0], "%d", st.ops);
        snprintf(c[1], sizeof c[1], "%ld", st.lifted);
        snprintf(c[2], sizeof c[2], "%ld", st.simplified);
        snprintf(c[3], sizeof c[3], "%.1f", 100.0 * (double)(st.lifted - st.simplified) / (double)st.lifted);
        if (n_times) snprintf(c[4], sizeof c[4], "%.4f", ts.median);
        else snprintf(c[4], sizeof c[4], "-");
        snprintf(c[5], sizeof c[5], "%d", st.match_yes);
        snprintf(c[6], sizeof c[6], "%d", st.match_equivalent);
        snprintf(c[7], sizeof c[7], "%d", st.match_no);
        const char *row[] = {s->tools[k], c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
        table_row(&t, row, 9);
    }
    free(times);
    table_end(&t, "Sizes are the representative repetition's; a tool without stages or sizes (external) has no row.");
    bool ok = write_table(dir, "simplify", &t, err, err_size);
    table_free(&t);
    return ok;
}

static bool summary_csv(const summary *s, const char *dir, char *err, size_t err_size) {
    strbuf out;
    strbuf_init(&out);
    static const char *const header[] = {"suite", "op", "category", "tool", "config", "status", "reps",
                                         "t_total_median", "t_total_mean", "t_total_sd", "t_symexec_median",
                                         "t_synth_median", "t_verify_median", "t_simplify_median",
                                         "t_check_median", "formula"};
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++) {
        if (i) strbuf_putc(&out, ',');
        strbuf_append(&out, header[i]);
    }
    strbuf_putc(&out, '\n');
    for (int i = 0; i < s->n; i++) {
        const job_group *g = &s->groups[i];
        char nums[10][32];
        snprintf(nums[0], sizeof nums[0], "%d", g->n_reps);
        snprintf(nums[1], sizeof nums[1], "%.4f", g->total.median);
        snprintf(nums[2], sizeof nums[2], "%.4f", g->total.mean);
        snprintf(nums[3], sizeof nums[3], "%.4f", g->total.sd);
        for (int k = 0; k < N_STAGES; k++) {
            if (g->stage[k].n) snprintf(nums[4 + k], sizeof nums[4 + k], "%.4f", g->stage[k].median);
            else nums[4 + k][0] = 0;
        }
        const char *row[] = {g->suite, g->op, g->category, g->tool, g->config, status_name(g->status), nums[0],
                             nums[1], nums[2], nums[3], nums[4], nums[5], nums[6], nums[7], nums[8],
                             g->representative ? g->representative->f[RC_FORMULA] : ""};
        csv_append_record(&out, row, 16);
    }
    bool ok = write_text(dir, "summary.csv", &out, err, err_size);
    strbuf_free(&out);
    return ok;
}

/* The run's own command (meta.yaml's `command: ["vlift", "bench", ...]`), so that a table names
 * both commands that made it: " (results of: vlift bench ...)". Nothing when meta.yaml lacks it. */
static void append_bench_command(const char *dir, strbuf *command) {
    char path[PATH_MAX + 32], line[4096];
    snprintf(path, sizeof path, "%s/meta.yaml", dir);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "command: [", 10) != 0) continue;
        strbuf_append(command, " (results of:");
        for (char *p = line + 10; *p && *p != ']';) {   /* the quoted words, unescaped */
            if (*p != '"') { p++; continue; }
            strbuf_putc(command, ' ');
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1]) p++;
                strbuf_putc(command, *p);
            }
            if (*p) p++;
        }
        strbuf_putc(command, ')');
        break;
    }
    fclose(f);
}

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cmd_report(int argc, char **argv) {
    const char *dir = NULL, *plots_dir = NULL;
    bool paper = false, no_plots = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(report_help, stdout); return 0; }
        if (!strcmp(argv[i], "--paper")) paper = true;
        else if (!strcmp(argv[i], "--no-plots")) no_plots = true;
        else if (!strcmp(argv[i], "--plots-dir")) {
            if (i + 1 >= argc) { fprintf(stderr, "vlift report: --plots-dir needs a directory\n"); return 2; }
            plots_dir = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "vlift report: unknown option '%s'\n(see 'vlift report --help')\n", argv[i]);
            return 2;
        } else if (!dir) dir = argv[i];
        else { fprintf(stderr, "vlift report: expected one results directory\n(see 'vlift report --help')\n"); return 2; }
    }
    if (!dir) { fprintf(stderr, "vlift report: expected a results directory\n(see 'vlift report --help')\n"); return 2; }
    char path[PATH_MAX + 32], err[PATH_MAX + 300];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    results_set set;
    if (!results_read(path, false, &set, NULL, err, sizeof err)) {
        fprintf(stderr, "vlift report: %s\n", err);
        return 2;
    }
    if (set.n == 0) {
        fprintf(stderr, "vlift report: %s has no rows\n", path);
        results_free(&set);
        return 2;
    }
    strbuf command;
    strbuf_init(&command);
    strbuf_append(&command, "vlift report");
    for (int i = 0; i < argc; i++) strbuf_printf(&command, " %s", argv[i]);
    append_bench_command(dir, &command);
    summary s;
    summary_build(&set, &s);
    char tables[PATH_MAX + 16], plots[PATH_MAX + 16];
    snprintf(tables, sizeof tables, "%s/tables", dir);
    snprintf(plots, sizeof plots, "%s/plots", dir);
    int rc = 0;
    if ((mkdir(tables, 0755) != 0 && errno != EEXIST) ||
        !main_table(&s, tables, strbuf_cstr(&command), paper, err, sizeof err) ||
        !success_table(&s, tables, strbuf_cstr(&command), paper, err, sizeof err) ||
        !stages_table(&s, tables, strbuf_cstr(&command), paper, err, sizeof err) ||
        !simplify_table(&s, tables, strbuf_cstr(&command), paper, err, sizeof err) ||
        !summary_csv(&s, tables, err, sizeof err) ||
        !report_paper_tables(&s, tables, strbuf_cstr(&command), paper, err, sizeof err)) {
        if (!*err) snprintf(err, sizeof err, "cannot create %s: %s", tables, strerror(errno));
        fprintf(stderr, "vlift report: %s\n", err);
        rc = 2;
    }
    if (rc == 0) {
        printf("run %s: %d rows, %d operator x tool results\n", set.rows[0].f[RC_RUN_ID], set.n, s.n);
        for (int k = 0; k < s.n_tools; k++) {
            tally n = count(&s, s.tools[k], NULL);
            printf("  %-28s verified %d, lifted %d, other %d of %d\n", s.tools[k], n.verified, n.lifted, n.other,
                   n.verified + n.lifted + n.other);
        }
        double *times = malloc((size_t)(s.n + 1) * sizeof *times);
        for (int k = 0; k < s.n_tools && times; k++) {
            int n_times;
            simplify_totals st = simplify_total(&s, s.tools[k], times, &n_times);
            if (st.ops)
                printf("  %-28s simplified %ld -> %ld AST nodes over %d operators (%.1f%% smaller); expected formula: %d yes, %d equivalent, %d no\n",
                       s.tools[k], st.lifted, st.simplified, st.ops, 100.0 * (double)(st.lifted - st.simplified) / (double)st.lifted,
                       st.match_yes, st.match_equivalent, st.match_no);
        }
        free(times);
        printf("tables: %s/{main,success,stages,simplify,ablation,baselines,published}.{md,tex}, %s/summary.csv\n", tables, tables);
    }
    if (rc == 0 && !no_plots) {
        if (mkdir(plots, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "vlift report: cannot create %s: %s\n", plots, strerror(errno));
            rc = 2;
        } else {
            if (!plots_dir && is_dir("plots")) plots_dir = "plots";
            plot_options po = {.data_dir = plots, .copy_dir = plots_dir, .paper = paper, .command = strbuf_cstr(&command)};
            int made = plot_all(&s, &po);
            if (made > 0) printf("plots: %d figures in %s%s%s\n", made, plots, plots_dir ? " and " : "", plots_dir ? plots_dir : "");
        }
    }
    strbuf_free(&command);
    summary_free(&s);
    results_free(&set);
    return rc;
}
