/* results: see results.h. */
#include "bench/results.h"
#include "bench/csv.h"
#include "bench/status.h"
#include "util/arena.h"
#include "util/file.h"
#include "util/strbuf.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const result_columns[N_RESULT_COLUMNS] = {
    "run_id",     "suite",         "op",          "category", "tool",    "config",   "rep",
    "status",     "stage",         "blocks",      "t_symexec", "t_synth", "t_verify", "t_simplify",
    "t_check",    "t_total",       "peak_rss_kb", "candidates", "smt_queries", "size_lifted",
    "size_simplified", "matches_expected", "formula", "message",
};

void results_add(results_set *set, result_row row) {
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 64;
        set->rows = xrealloc(set->rows, (size_t)set->cap * sizeof *set->rows);
    }
    set->rows[set->n++] = row;
}

void result_row_free(result_row *row) {
    for (int c = 0; c < N_RESULT_COLUMNS; c++) free(row->f[c]);
    memset(row, 0, sizeof *row);
}

result_row result_row_copy(const result_row *row) {
    result_row copy;
    for (int c = 0; c < N_RESULT_COLUMNS; c++) copy.f[c] = xstrdup(row->f[c] ? row->f[c] : "");
    return copy;
}

void results_free(results_set *set) {
    for (int i = 0; i < set->n; i++) result_row_free(&set->rows[i]);
    free(set->rows);
    memset(set, 0, sizeof *set);
}

int result_row_compare(const result_row *a, const result_row *b) {
    static const result_column order[] = {RC_SUITE, RC_OP, RC_TOOL, RC_CONFIG};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int c = strcmp(a->f[order[i]], b->f[order[i]]);
        if (c) return c;
    }
    long ra = atol(a->f[RC_REP]), rb = atol(b->f[RC_REP]);
    return (ra > rb) - (ra < rb);
}

static int compare_rows(const void *a, const void *b) { return result_row_compare(a, b); }

void results_sort(results_set *set) {
    if (set->n > 1) qsort(set->rows, (size_t)set->n, sizeof *set->rows, compare_rows);
}

void result_job_key(const char *suite, const char *op, const char *tool, const char *config, int rep, char *buf,
                    size_t size) {
    snprintf(buf, size, "%s/%s/%s/%s/%d", suite, op, tool, config, rep);
}

void result_row_key(const result_row *row, char *buf, size_t size) {
    result_job_key(row->f[RC_SUITE], row->f[RC_OP], row->f[RC_TOOL], row->f[RC_CONFIG], atoi(row->f[RC_REP]), buf, size);
}

static void append_header(strbuf *s) { csv_append_record(s, result_columns, N_RESULT_COLUMNS); }

static void append_row(strbuf *s, const result_row *row) {
    csv_append_record(s, (const char *const *)row->f, N_RESULT_COLUMNS);
}

bool results_write_file(const char *path, const results_set *set, char *err, size_t err_size) {
    strbuf s;
    strbuf_init(&s);
    append_header(&s);
    for (int i = 0; i < set->n; i++) append_row(&s, &set->rows[i]);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    for (size_t done = 0; ok && done < s.len;) {
        ssize_t n = write(fd, s.data + done, s.len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) ok = false;
        else done += (size_t)n;
    }
    ok = ok && fsync(fd) == 0;
    if (fd >= 0) close(fd);
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    strbuf_free(&s);
    return ok;
}

bool results_read(const char *path, bool repair, results_set *out, bool *dropped_tail, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    if (dropped_tail) *dropped_tail = false;
    arena a;
    arena_init(&a);
    size_t len;
    char *text = file_read(&a, path, &len);
    if (!text) {
        snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
        arena_free(&a);
        return false;
    }
    csv_table t;
    csv_parse(text, len, &t);
    bool ok = true;
    if (t.n == 0) {
        snprintf(err, err_size, "%s:1: no header (expected the results.csv columns %s, %s, ...)", path, result_columns[0],
                 result_columns[1]);
        ok = false;
    } else {
        const csv_record *h = &t.records[0];
        bool header_ok = h->n == N_RESULT_COLUMNS;
        for (int c = 0; header_ok && c < N_RESULT_COLUMNS; c++) header_ok = !strcmp(h->fields[c], result_columns[c]);
        if (!header_ok) {
            snprintf(err, err_size, "%s:1: not a results.csv header (expected the %d contract columns run_id, suite, op, ...)",
                     path, N_RESULT_COLUMNS);
            ok = false;
        }
    }
    for (int i = 1; ok && i < t.n; i++) {
        const csv_record *r = &t.records[i];
        job_status st;
        if (r->n != N_RESULT_COLUMNS) {
            snprintf(err, err_size, "%s:%d: row has %d fields, expected %d", path, r->line, r->n, N_RESULT_COLUMNS);
            ok = false;
        } else if (!status_parse(r->fields[RC_STATUS], &st)) {
            snprintf(err, err_size, "%s:%d: unknown status '%.60s'", path, r->line, r->fields[RC_STATUS]);
            ok = false;
        } else if (atoi(r->fields[RC_REP]) < 1) {
            snprintf(err, err_size, "%s:%d: rep must be a positive integer, not '%.20s'", path, r->line, r->fields[RC_REP]);
            ok = false;
        } else {
            result_row row;
            for (int c = 0; c < N_RESULT_COLUMNS; c++) row.f[c] = xstrdup(r->fields[c]);
            results_add(out, row);
        }
    }
    if (ok && t.torn_tail) {
        if (dropped_tail) *dropped_tail = true;
        if (repair) {
            /* rewrite the complete prefix only, byte for byte */
            char tmp[4200];
            snprintf(tmp, sizeof tmp, "%s.tmp", path);
            int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            bool written = fd >= 0;
            for (size_t done = 0; written && done < t.complete_len;) {
                ssize_t n = write(fd, text + done, t.complete_len - done);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) written = false;
                else done += (size_t)n;
            }
            written = written && fsync(fd) == 0;
            if (fd >= 0) close(fd);
            if (!written || rename(tmp, path) != 0) {
                snprintf(err, err_size, "cannot rewrite %s without its torn last row: %s", path, strerror(errno));
                unlink(tmp);
                ok = false;
            }
        }
    }
    csv_table_free(&t);
    arena_free(&a);
    if (!ok) results_free(out);
    return ok;
}

/* Writes all of data at the end of the file, or nothing: a failed write (a full disk, a
 * file-size limit) is undone by truncating the file back to where it ended, so that the file
 * never holds a torn row followed by whole ones. errno is kept for the caller's message. */
static bool append_whole(int fd, const char *data, size_t len) {
    off_t start = lseek(fd, 0, SEEK_END);
    bool ok = start >= 0;
    for (size_t done = 0; ok && done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = ENOSPC;
        if (n <= 0) ok = false;
        else done += (size_t)n;
    }
    ok = ok && fsync(fd) == 0;
    if (!ok && start >= 0) {
        int e = errno;
        if (ftruncate(fd, start) == 0) fsync(fd);
        errno = e;
    }
    return ok;
}

bool results_writer_open(results_writer *w, const char *path, char *err, size_t err_size) {
    w->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    w->path = path;
    pthread_mutex_init(&w->lock, NULL);
    struct stat st;
    if (fstat(w->fd, &st) == 0 && st.st_size == 0) {
        strbuf s;
        strbuf_init(&s);
        append_header(&s);
        bool ok = append_whole(w->fd, s.data, s.len);
        strbuf_free(&s);
        if (!ok) {
            snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
            results_writer_close(w);
            return false;
        }
    }
    return true;
}

bool results_writer_append(results_writer *w, const result_row *row, char *err, size_t err_size) {
    strbuf s;
    strbuf_init(&s);
    append_row(&s, row);
    pthread_mutex_lock(&w->lock);
    bool ok = append_whole(w->fd, s.data, s.len);
    if (!ok) snprintf(err, err_size, "cannot append to %s: %s", w->path, strerror(errno));
    pthread_mutex_unlock(&w->lock);
    strbuf_free(&s);
    return ok;
}

void results_writer_close(results_writer *w) {
    if (w->fd >= 0) {
        close(w->fd);
        pthread_mutex_destroy(&w->lock);
    }
    w->fd = -1;
}
