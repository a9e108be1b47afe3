/* table: the tables of `vlift report` — each written as Markdown (.md) and LaTeX (.tex,
 * booktabs) side by side, headed by a comment with the exact command that produced it. */
#ifndef VLIFT_BENCH_TABLE_H
#define VLIFT_BENCH_TABLE_H
#include "util/strbuf.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct table_out {
    strbuf md, tex;
    bool paper;
} table_out;

void table_init(table_out *t, bool paper);
void table_free(table_out *t);
/* The producing command, a title, the header row (tex_align: one of l/r per column). */
void table_begin(table_out *t, const char *command, const char *title, const char *const *columns, int n, const char *tex_align);
void table_row(table_out *t, const char *const *cells, int n);
/* Closes the table; note (may be NULL) follows it in both files. */
void table_end(table_out *t, const char *note);
/* Writes DIR/BASE.md and DIR/BASE.tex. */
bool write_table(const char *dir, const char *base, table_out *t, char *err, size_t err_size);
bool write_text(const char *dir, const char *name, strbuf *text, char *err, size_t err_size);
/* Seconds with 2, 1 or 0 decimals by magnitude. */
void format_seconds(char *buf, size_t size, double t);

#endif
