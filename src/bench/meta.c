/* meta: see meta.h. meta.yaml is written by hand (a flat, predictable layout) and read back
 * with yaml_tree, like the manifests. */
#include "bench/meta.h"
#include "bench/manifest.h"
#include "bench/sha256.h"
#include "bench/yaml_tree.h"
#include "util/arena.h"
#include "util/file.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

void meta_utc_now(char *buf, size_t size) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void meta_yaml_string(strbuf *out, const char *text) {
    if (!text) { strbuf_append(out, "null"); return; }
    strbuf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\') { strbuf_putc(out, '\\'); strbuf_putc(out, (char)*p); }
        else if (*p == '\n') strbuf_append(out, "\\n");
        else if (*p == '\t') strbuf_append(out, "\\t");
        else if (*p < 0x20 || *p == 0x7f) strbuf_printf(out, "\\x%02x", *p);
        else strbuf_putc(out, (char)*p);
    }
    strbuf_putc(out, '"');
}

/* The first line of a command's output, or NULL. */
static char *first_line_of(const char *command) {
    FILE *p = popen(command, "r");
    if (!p) return NULL;
    char line[512];
    char *result = NULL;
    if (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\r\n")] = 0;
        if (*line) result = xstrdup(line);
    }
    char rest[512];
    while (fgets(rest, sizeof rest, p)) {}
    if (pclose(p) != 0 && result) {
        free(result);
        result = NULL;
    }
    return result;
}

static char *os_release_name(void) {
    FILE *f = fopen("/etc/os-release", "r");
    if (!f) return NULL;
    char line[512], *name = NULL;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "PRETTY_NAME=", 12)) {
            char *v = line + 12;
            v[strcspn(v, "\r\n")] = 0;
            if (*v == '"') { v++; v[strcspn(v, "\"")] = 0; }
            name = xstrdup(v);
            break;
        }
    fclose(f);
    return name;
}

static char *cpu_model(void) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return NULL;
    char line[512], *model = NULL;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
            char *v = strchr(line, ':') + 1;
            while (*v == ' ' || *v == '\t') v++;
            v[strcspn(v, "\r\n")] = 0;
            model = xstrdup(v);
            break;
        }
    fclose(f);
    return model;
}

static long memory_total_mb(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f) return 0;
    char line[256];
    long kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemTotal: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb / 1024;
}

void meta_collect_system(meta_system *s, const char *vlift_path) {
    memset(s, 0, sizeof *s);
    char command[4300];
    snprintf(command, sizeof command, "'%s' --version 2>/dev/null", vlift_path);
    s->vlift_version = first_line_of(command);
    s->git_revision = first_line_of("git rev-parse HEAD 2>/dev/null");
    if (s->git_revision) {
        char *dirty = first_line_of("git status --porcelain --untracked-files=no 2>/dev/null");
        s->git_dirty = dirty != NULL;
        free(dirty);
    }
    s->z3_version = first_line_of("pkg-config --modversion z3 2>/dev/null || dpkg-query -W -f='${Version}\\n' "
                                  "libz3-4 2>/dev/null");
    s->gnuplot_version = first_line_of("gnuplot --version 2>/dev/null");
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    s->host = xstrdup(host);
    struct utsname u;
    char *release = os_release_name();
    char os[700];
    if (uname(&u) == 0) snprintf(os, sizeof os, "%s %s %s%s%s", u.sysname, u.release, u.machine, release ? "; " : "", release ? release : "");
    else snprintf(os, sizeof os, "%s", release ? release : "unknown");
    free(release);
    s->os = xstrdup(os);
    s->cpu = cpu_model();
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    s->cores = cores > 0 ? (int)cores : 1;
    s->memory_mb = memory_total_mb();
}

void meta_system_free(meta_system *s) {
    free(s->vlift_version); free(s->git_revision); free(s->z3_version); free(s->gnuplot_version);
    free(s->host); free(s->os); free(s->cpu);
    memset(s, 0, sizeof *s);
}

static void string_list(strbuf *out, const char *const *items, int n) {
    strbuf_putc(out, '[');
    for (int i = 0; i < n; i++) {
        if (i) strbuf_append(out, ", ");
        meta_yaml_string(out, items[i]);
    }
    strbuf_append(out, "]\n");
}

static void settings_yaml(strbuf *out, const job_settings *s) {
    strbuf_putc(out, '{');
    const char *sep = "";
    for (int i = 0; i < N_STAGES; i++)
        if (s->stage_s[i] > 0) { strbuf_printf(out, "%s%s: %g", sep, stage_name((bench_stage)i), s->stage_s[i]); sep = ", "; }
    if (s->wall_s > 0) { strbuf_printf(out, "%swall: %g", sep, s->wall_s); sep = ", "; }
    if (s->memory_mb > 0) { strbuf_printf(out, "%smemory_mb: %lld", sep, (long long)s->memory_mb); sep = ", "; }
    if (s->reps > 0) strbuf_printf(out, "%sreps: %d", sep, s->reps);
    strbuf_append(out, "}\n");
}

static void hashed_files(strbuf *out, const meta_file *files, int n) {
    if (n == 0) { strbuf_append(out, " []\n"); return; }
    strbuf_putc(out, '\n');
    for (int i = 0; i < n; i++) {
        char hex[65];
        strbuf_append(out, "  - {path: ");
        meta_yaml_string(out, files[i].path);
        if (files[i].suite) {
            strbuf_append(out, ", suite: ");
            meta_yaml_string(out, files[i].suite);
        }
        strbuf_append(out, ", sha256: ");
        meta_yaml_string(out, sha256_file_hex(files[i].path, hex) ? hex : NULL);
        strbuf_append(out, "}\n");
    }
}

bool meta_write(const char *path, const meta_info *m, char *err, size_t err_size) {
    const meta_system *s = m->system;
    strbuf y;
    strbuf_init(&y);
    strbuf_append(&y, "# Written by vlift bench: how this run was made. `vlift bench --resume DIR` re-reads args.\nrun_id: ");
    meta_yaml_string(&y, m->run_id);
    strbuf_append(&y, "\nstate: ");
    meta_yaml_string(&y, m->state);
    strbuf_append(&y, "\ncommand: ");
    string_list(&y, m->command, m->n_command);
    strbuf_append(&y, "args: ");
    string_list(&y, m->args, m->n_args);
    strbuf_append(&y, "cwd: ");
    meta_yaml_string(&y, m->cwd);
    strbuf_append(&y, "\nstart_time: ");
    meta_yaml_string(&y, m->start_time);
    strbuf_append(&y, "\nend_time: ");
    meta_yaml_string(&y, m->end_time);
    strbuf_append(&y, "\nresumed: ");
    string_list(&y, m->resumed, m->n_resumed);
    strbuf_append(&y, "versions:\n  vlift: ");
    meta_yaml_string(&y, s->vlift_version);
    strbuf_append(&y, "\n  git_revision: ");
    meta_yaml_string(&y, s->git_revision);
    strbuf_printf(&y, "\n  git_dirty: %s\n  z3: ", s->git_revision ? (s->git_dirty ? "true" : "false") : "null");
    meta_yaml_string(&y, s->z3_version);
    strbuf_append(&y, "\n  libyaml: ");
    meta_yaml_string(&y, manifest_yaml_version());
    strbuf_append(&y, "\n  gnuplot: ");
    meta_yaml_string(&y, s->gnuplot_version);
    strbuf_append(&y, "\nhost:\n  name: ");
    meta_yaml_string(&y, s->host);
    strbuf_printf(&y, "\n  cores: %d\n  memory_mb: %ld\n  os: ", s->cores, s->memory_mb);
    meta_yaml_string(&y, s->os);
    strbuf_append(&y, "\n  cpu: ");
    meta_yaml_string(&y, s->cpu);
    job_settings defaults = settings_defaults();
    strbuf_append(&y, "\nlimits:\n  built_in_defaults: ");
    settings_yaml(&y, &defaults);
    strbuf_append(&y, "  command_line: ");
    settings_yaml(&y, &m->command_line);
    strbuf_printf(&y, "  grace_s: %g\n  workers: %d\n", m->grace_s, m->workers);
    strbuf_printf(&y, "shard: \"%d/%d\"\njobs: {total: %zu, in_shard: %zu, recorded: %zu}\nmanifests:", m->shard.index,
                  m->shard.count, m->jobs_total, m->jobs_in_shard, m->jobs_recorded);
    hashed_files(&y, m->manifests, m->n_manifests);
    strbuf_append(&y, "kernels:");
    hashed_files(&y, m->kernels, m->n_kernels);

    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    bool ok = f && fwrite(y.data, 1, y.len, f) == y.len;
    if (f) ok = (fflush(f) == 0 && fsync(fileno(f)) == 0 && fclose(f) == 0) && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    strbuf_free(&y);
    return ok;
}

static const ynode *map_get(const ynode *map, const char *key) {
    if (!map || map->kind != YNODE_MAPPING) return NULL;
    for (int i = 0; i < map->n; i++)
        if (map->pairs[i].key->kind == YNODE_SCALAR && !strcmp(map->pairs[i].key->text, key)) return map->pairs[i].value;
    return NULL;
}

static char *scalar_text(const ynode *v) {
    return v && v->kind == YNODE_SCALAR && v->type != YSCALAR_NULL ? xstrdup(v->text) : NULL;
}

static char **string_items(const ynode *v, int *n) {
    *n = 0;
    if (!v || v->kind != YNODE_SEQUENCE) return NULL;
    char **items = xcalloc((size_t)v->n + 1, sizeof *items);
    for (int i = 0; i < v->n; i++)
        if (v->items[i]->kind == YNODE_SCALAR) items[(*n)++] = xstrdup(v->items[i]->text);
    return items;
}

bool meta_read(const char *path, meta_record *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    arena a;
    arena_init(&a);
    size_t len;
    char *text = file_read(&a, path, &len);
    if (!text) {
        snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
        arena_free(&a);
        return false;
    }
    ynode *root = NULL;
    diag d = {0};
    if (!ytree_parse(&a, path, text, len, &root, &d) || !root || root->kind != YNODE_MAPPING) {
        if (d.kind) snprintf(err, err_size, "%s:%d:%d: %s", path, d.line, d.col, d.message);
        else snprintf(err, err_size, "%s: not a meta.yaml mapping", path);
        arena_free(&a);
        return false;
    }
    out->run_id = scalar_text(map_get(root, "run_id"));
    out->start_time = scalar_text(map_get(root, "start_time"));
    out->args = string_items(map_get(root, "args"), &out->n_args);
    out->resumed = string_items(map_get(root, "resumed"), &out->n_resumed);
    out->text = xstrdup(text);
    arena_free(&a);
    return true;
}

void meta_record_free(meta_record *m) {
    free(m->run_id);
    free(m->start_time);
    for (int i = 0; i < m->n_args; i++) free(m->args[i]);
    free(m->args);
    for (int i = 0; i < m->n_resumed; i++) free(m->resumed[i]);
    free(m->resumed);
    free(m->text);
    memset(m, 0, sizeof *m);
}
