/* csv: see csv.h. */
#include "bench/csv.h"
#include "util/arena.h"
#include <stdlib.h>
#include <string.h>

void csv_append_field(strbuf *out, const char *field) {
    if (!field) field = "";
    size_t n = strlen(field);
    bool quote = strpbrk(field, ",\"\r\n") != NULL || (n && (field[0] == ' ' || field[n - 1] == ' '));
    if (!quote) { strbuf_appendn(out, field, n); return; }
    strbuf_putc(out, '"');
    for (const char *p = field; *p; p++) {
        if (*p == '"') strbuf_putc(out, '"');
        strbuf_putc(out, *p);
    }
    strbuf_putc(out, '"');
}

void csv_append_record(strbuf *out, const char *const *fields, int n) {
    for (int i = 0; i < n; i++) {
        if (i) strbuf_putc(out, ',');
        csv_append_field(out, fields[i]);
    }
    strbuf_putc(out, '\n');
}

typedef struct record_builder {
    char **fields;
    int n, cap;
} record_builder;

static void push_field(record_builder *r, strbuf *f) {
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->fields = xrealloc(r->fields, (size_t)r->cap * sizeof *r->fields);
    }
    char *text = strbuf_take(f);
    r->fields[r->n++] = text ? text : xstrdup("");
}

static void drop_builder(record_builder *r) {
    for (int i = 0; i < r->n; i++) free(r->fields[i]);
    free(r->fields);
    *r = (record_builder){0};
}

void csv_parse(const char *text, size_t len, csv_table *out) {
    memset(out, 0, sizeof *out);
    int cap = 0, line = 1, start_line = 1;
    record_builder rec = {0};
    strbuf field;
    strbuf_init(&field);
    size_t i = 0;
    bool in_record = false;
    while (i < len) {
        char ch = text[i];
        in_record = true;
        if (ch == '"' && field.len == 0) {   /* a quoted field */
            size_t j = i + 1;
            bool closed = false;
            while (j < len) {
                if (text[j] == '"') {
                    if (j + 1 < len && text[j + 1] == '"') { strbuf_putc(&field, '"'); j += 2; continue; }
                    closed = true;
                    j++;
                    break;
                }
                if (text[j] == '\n') line++;
                strbuf_putc(&field, text[j++]);
            }
            if (!closed) { i = len; break; }   /* torn inside quotes */
            if (field.len == 0) strbuf_append(&field, "");
            i = j;
            /* text after the closing quote up to the separator is kept literally */
            while (i < len && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
                strbuf_putc(&field, text[i++]);
            continue;
        }
        if (ch == ',') { push_field(&rec, &field); i++; continue; }
        if (ch == '\n' || (ch == '\r' && i + 1 < len && text[i + 1] == '\n')) {
            i += ch == '\r' ? 2 : 1;
            push_field(&rec, &field);
            if (out->n == cap) {
                cap = cap ? cap * 2 : 64;
                out->records = xrealloc(out->records, (size_t)cap * sizeof *out->records);
            }
            out->records[out->n++] = (csv_record){rec.fields, rec.n, start_line};
            rec = (record_builder){0};
            out->complete_len = i;
            in_record = false;
            start_line = ++line;
            continue;
        }
        strbuf_putc(&field, ch);
        i++;
    }
    out->torn_tail = in_record && out->complete_len < len;
    strbuf_free(&field);
    drop_builder(&rec);
}

void csv_table_free(csv_table *t) {
    for (int i = 0; i < t->n; i++) {
        for (int j = 0; j < t->records[i].n; j++) free(t->records[i].fields[j]);
        free(t->records[i].fields);
    }
    free(t->records);
    memset(t, 0, sizeof *t);
}
