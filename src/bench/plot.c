/* plot: see plot.h. Data files are whitespace-separated with quoted labels (gnuplot's own
 * format); gnuplot runs without a shell, its messages go to DIR/plots/gnuplot.log. */
#include "bench/plot.h"
#include "util/file.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static bool file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directory holding the templates, or false. */
static bool find_templates(char *out, size_t size) {
    const char *env = getenv("VLIFT_PLOTS_DIR");
    char probe[PATH_MAX + 32];
    if (env && *env) {
        snprintf(probe, sizeof probe, "%s/success.gp", env);
        if (file_exists(probe)) { snprintf(out, size, "%s", env); return true; }
    }
    char exe[PATH_MAX];
    if (path_exe_dir(exe, sizeof exe)) {
        snprintf(probe, sizeof probe, "%s/../plots/success.gp", exe);
        if (file_exists(probe) && (size_t)snprintf(out, size, "%s/../plots", exe) < size) return true;
    }
    if (file_exists("plots/success.gp")) { snprintf(out, size, "plots"); return true; }
    return false;
}

/* A gnuplot string literal: single quotes, with '' for a quote. */
static void gp_string(strbuf *out, const char *text) {
    strbuf_putc(out, '\'');
    for (const char *p = text; *p; p++) {
        if (*p == '\'') strbuf_putc(out, '\'');
        strbuf_putc(out, *p);
    }
    strbuf_putc(out, '\'');
}

/* A quoted label inside a data file. */
static void data_label(strbuf *out, const char *text) {
    strbuf_putc(out, '"');
    for (const char *p = text; *p; p++) strbuf_putc(out, *p == '"' ? '\'' : *p);
    strbuf_putc(out, '"');
}

typedef struct plotter {
    const plot_options *o;
    char templates[PATH_MAX];
    int made;
    bool warned;
} plotter;

static bool write_file(const char *path, const strbuf *text) {
    FILE *f = fopen(path, "w");
    if (!f) return false;
    bool ok = fwrite(text->data ? text->data : "", 1, text->len, f) == text->len;
    return fclose(f) == 0 && ok;
}

/* Writes NAME.dat, runs TEMPLATE.gp with the variables (a gnuplot statement list) and copies
 * the figures. */
static void draw(plotter *p, const char *name, const char *template_name, const strbuf *data, const char *variables) {
    const plot_options *o = p->o;
    char dat[PATH_MAX + 64], outbase[PATH_MAX + 64], template_path[PATH_MAX + 64], log_path[PATH_MAX + 64];
    snprintf(dat, sizeof dat, "%s/%s.dat", o->data_dir, name);
    snprintf(outbase, sizeof outbase, "%s/%s", o->data_dir, name);
    snprintf(template_path, sizeof template_path, "%s/%s.gp", p->templates, template_name);
    snprintf(log_path, sizeof log_path, "%s/gnuplot.log", o->data_dir);
    if (!write_file(dat, data)) {
        fprintf(stderr, "vlift report: warning: cannot write %s: %s\n", dat, strerror(errno));
        return;
    }
    strbuf vars;
    strbuf_init(&vars);
    strbuf_append(&vars, "datafile=");
    gp_string(&vars, dat);
    strbuf_append(&vars, "; outbase=");
    gp_string(&vars, outbase);
    strbuf_printf(&vars, "; width=%d; height=%d; fontsize=%d; %s", o->paper ? 640 : 960, o->paper ? 420 : 560,
                  o->paper ? 10 : 11, variables);
    char *argv[] = {"gnuplot", "-e", (char *)strbuf_cstr(&vars), template_path, NULL};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    strbuf_free(&vars);
    int status = 0;
    if (rc == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "vlift report: warning: gnuplot failed on %s (%s)\n", name,
                rc ? strerror(rc) : "see gnuplot.log in the plots directory");
        return;
    }
    /* gnuplot exits 0 after some errors inside a plot command: an empty file is the sign */
    for (int k = 0; k < 2; k++) {
        char out[PATH_MAX + 80];
        struct stat st;
        snprintf(out, sizeof out, "%s.%s", outbase, k ? "svg" : "png");
        if (stat(out, &st) != 0 || st.st_size == 0) {
            fprintf(stderr, "vlift report: warning: gnuplot wrote no %s for %s (see gnuplot.log in the plots directory)\n",
                    k ? "SVG" : "PNG", name);
            return;
        }
    }
    p->made++;
    if (!o->copy_dir) return;
    for (int k = 0; k < 2; k++) {
        const char *ext = k ? "svg" : "png";
        char from[PATH_MAX + 80], to[PATH_MAX + 80];
        snprintf(from, sizeof from, "%s.%s", outbase, ext);
        snprintf(to, sizeof to, "%s/%s.%s", o->copy_dir, name, ext);
        if (!file_copy(from, to)) fprintf(stderr, "vlift report: warning: cannot copy %s to %s\n", from, to);
    }
}

static void data_header(strbuf *d, const plot_options *o, const char *what) {
    strbuf_printf(d, "# %s\n# generated by: %s\n", what, o->command);
}

/* ---- the figures ---- */

static bool solved(const job_group *g) { return status_solved(g->status); }

static void success_figure(plotter *p, const summary *s) {
    strbuf d;
    strbuf_init(&d);
    data_header(&d, p->o, "solved % (VERIFIED or LIFTED) per category (rows) and tool (columns)");
    strbuf_append(&d, "category");
    for (int t = 0; t < s->n_tools; t++) {
        strbuf_putc(&d, ' ');
        data_label(&d, s->tools[t]);
    }
    strbuf_putc(&d, '\n');
    for (int c = 0; c <= s->n_categories; c++) {
        const char *category = c < s->n_categories ? s->categories[c] : NULL;
        data_label(&d, category ? category : "all");
        for (int t = 0; t < s->n_tools; t++) {
            int total = 0, ok = 0;
            for (int i = 0; i < s->n; i++) {
                const job_group *g = &s->groups[i];
                if (strcmp(g->label, s->tools[t]) || (category && strcmp(g->category, category))) continue;
                total++;
                ok += solved(g);
            }
            if (total) strbuf_printf(&d, " %.1f", 100.0 * ok / total);
            else strbuf_append(&d, " NaN");
        }
        strbuf_putc(&d, '\n');
    }
    char vars[64];
    snprintf(vars, sizeof vars, "ntools=%d", s->n_tools);
    draw(p, "success", "success", &d, vars);
    strbuf_free(&d);
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void tool_words(strbuf *vars, const char *name, const summary *s, const int *which, int n) {
    strbuf_printf(vars, "%s='", name);
    for (int i = 0; i < n; i++) {
        if (i) strbuf_putc(vars, ' ');
        for (const char *c = s->tools[which ? which[i] : i]; *c; c++) strbuf_putc(vars, *c == '\'' || *c == ' ' ? '_' : *c);
    }
    strbuf_append(vars, "'; ");
}

static void cactus_figure(plotter *p, const summary *s) {
    strbuf d, vars;
    strbuf_init(&d);
    strbuf_init(&vars);
    data_header(&d, p->o, "one block per tool: operators solved (k) within time t (s), fastest first");
    double *times = xcalloc((size_t)s->n + 1, sizeof *times);
    int any = 0;
    double tmax = 0.001;
    for (int t = 0; t < s->n_tools; t++) {
        int n = 0;
        for (int i = 0; i < s->n; i++)
            if (!strcmp(s->groups[i].label, s->tools[t]) && solved(&s->groups[i])) times[n++] = s->groups[i].total.median;
        qsort(times, (size_t)n, sizeof *times, compare_doubles);
        strbuf_printf(&d, "%s# %s\nk t\n", t ? "\n\n" : "", s->tools[t]);
        for (int k = 0; k < n; k++) {
            double t_k = times[k] > 0.001 ? times[k] : 0.001;
            strbuf_printf(&d, "%d %.4f\n", k + 1, t_k);
            if (t_k > tmax) tmax = t_k;
        }
        if (n == 0) strbuf_append(&d, "0 NaN\n");
        any += n;
    }
    free(times);
    tool_words(&vars, "tools", s, NULL, s->n_tools);
    strbuf_printf(&vars, "ntools=%d; nops=%d; empty=%d; tmax=%g", s->n_tools, s->n / (s->n_tools ? s->n_tools : 1),
                  any == 0, tmax);
    draw(p, "cactus", "cactus", &d, strbuf_cstr(&vars));
    strbuf_free(&d);
    strbuf_free(&vars);
}

static void stages_figure(plotter *p, const summary *s) {
    strbuf d;
    strbuf_init(&d);
    data_header(&d, p->o, "median seconds per stage, per operator (and tool when several report stages)");
    int tools_with_stages = 0;
    for (int t = 0; t < s->n_tools; t++) {
        bool has = false;
        for (int i = 0; i < s->n && !has; i++)
            for (int k = 0; k < N_STAGES; k++) has |= !strcmp(s->groups[i].label, s->tools[t]) && s->groups[i].stage[k].n > 0;
        tools_with_stages += has;
    }
    strbuf_append(&d, "operator");
    for (int k = 0; k < N_STAGES; k++) strbuf_printf(&d, " %s", stage_name((bench_stage)k));
    strbuf_putc(&d, '\n');
    int rows = 0;
    for (int i = 0; i < s->n; i++) {
        const job_group *g = &s->groups[i];
        bool has = false;
        for (int k = 0; k < N_STAGES; k++) has |= g->stage[k].n > 0;
        if (!has) continue;
        char label[600];
        if (tools_with_stages > 1) snprintf(label, sizeof label, "%s (%s)", g->op, g->label);
        else snprintf(label, sizeof label, "%s", g->op);
        data_label(&d, label);
        for (int k = 0; k < N_STAGES; k++) strbuf_printf(&d, " %.4f", g->stage[k].n ? g->stage[k].median : 0.0);
        strbuf_putc(&d, '\n');
        rows++;
    }
    if (rows == 0) strbuf_append(&d, "\"(none)\" 0 0 0 0 0\n");
    char vars[64];
    snprintf(vars, sizeof vars, "nrows=%d; empty=%d", rows, rows == 0);
    draw(p, "stages", "stages", &d, vars);
    strbuf_free(&d);
}

static void scatter_figures(plotter *p, const summary *s) {
    if (s->n_tools < 2) return;
    int ref = -1;
    for (int t = 0; t < s->n_tools && ref < 0; t++)
        if (!strcmp(s->tools[t], "vlift/full")) ref = t;
    for (int t = 0; t < s->n_tools && ref < 0; t++)
        if (!strncmp(s->tools[t], "vlift/", 6)) ref = t;
    if (ref < 0) ref = 0;
    double cap = 0.01;
    for (int i = 0; i < s->n; i++)
        if (s->groups[i].total.median > cap) cap = s->groups[i].total.median;
    cap *= 1.5;   /* unsolved operators are drawn on this line, above every measured time */
    for (int t = 0; t < s->n_tools; t++) {
        if (t == ref) continue;
        strbuf d, vars;
        strbuf_init(&d);
        strbuf_init(&vars);
        data_header(&d, p->o, "operator, reference tool time, other tool time (s); unsolved at the 'unsolved' line");
        strbuf_append(&d, "operator x y\n");
        int points = 0;
        for (int i = 0; i < s->n; i++) {
            const job_group *a = &s->groups[i];
            if (strcmp(a->label, s->tools[ref])) continue;
            for (int j = 0; j < s->n; j++) {
                const job_group *b = &s->groups[j];
                if (strcmp(b->label, s->tools[t]) || strcmp(a->suite, b->suite) || strcmp(a->op, b->op)) continue;
                double x = solved(a) ? fmax(a->total.median, 0.001) : cap;
                double y = solved(b) ? fmax(b->total.median, 0.001) : cap;
                data_label(&d, a->op);
                strbuf_printf(&d, " %.4f %.4f\n", x, y);
                points++;
            }
        }
        char name[300];
        snprintf(name, sizeof name, "scatter_%s", s->tools[t]);
        for (char *c = name; *c; c++)
            if (*c == '/') *c = '_';
        int pair[2] = {ref, t};
        tool_words(&vars, "tools", s, pair, 2);
        strbuf_printf(&vars, "cap=%g; npoints=%d", cap, points);
        if (points) draw(p, name, "scatter", &d, strbuf_cstr(&vars));
        strbuf_free(&d);
        strbuf_free(&vars);
    }
}

int plot_all(const summary *s, const plot_options *o) {
    plotter p = {.o = o};
    if (!find_templates(p.templates, sizeof p.templates)) {
        fprintf(stderr, "vlift report: warning: gnuplot templates not found (set VLIFT_PLOTS_DIR); no figures\n");
        return 0;
    }
    plot_options local = *o;
    char real_data[PATH_MAX], real_copy[PATH_MAX];
    if (o->copy_dir && realpath(o->data_dir, real_data) && realpath(o->copy_dir, real_copy) && !strcmp(real_data, real_copy))
        local.copy_dir = NULL;   /* copying a file onto itself would truncate it */
    o = &local;
    p.o = o;
    if (o->copy_dir) {
        struct stat st;
        if (stat(o->copy_dir, &st) != 0 && mkdir(o->copy_dir, 0755) != 0) {
            fprintf(stderr, "vlift report: warning: cannot create %s: %s\n", o->copy_dir, strerror(errno));
            return 0;
        }
    }
    char log_path[PATH_MAX + 32];
    snprintf(log_path, sizeof log_path, "%s/gnuplot.log", o->data_dir);
    unlink(log_path);
    /* is gnuplot there at all? */
    char *argv[] = {"gnuplot", "--version", NULL};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    if (rc == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "vlift report: warning: gnuplot is not installed (scripts/install-deps.sh installs it); no figures\n");
        return 0;
    }
    success_figure(&p, s);
    cactus_figure(&p, s);
    stages_figure(&p, s);
    scatter_figures(&p, s);
    return p.made;
}
