/* csv: RFC 4180 fields — writing one record, reading a whole file of records. A field is quoted
 * when it contains a comma, a double quote, CR or LF, or starts or ends with a space; quotes
 * inside are doubled. Records end with LF (CRLF is accepted when reading). Reading tells apart
 * the complete records from a torn last one (no final newline, or an unterminated quote: what a
 * writer killed mid-row leaves), so that callers can drop it. */
#ifndef VLIFT_BENCH_CSV_H
#define VLIFT_BENCH_CSV_H
#include "util/strbuf.h"
#include <stdbool.h>
#include <stddef.h>

/* Appends fields[0..n) as one record, with the final "\n". */
void csv_append_record(strbuf *out, const char *const *fields, int n);
void csv_append_field(strbuf *out, const char *field);   /* one field, quoted as needed */

typedef struct csv_record {
    char **fields;
    int n;
    int line;            /* 1-based line where it starts */
} csv_record;

typedef struct csv_table {
    csv_record *records;
    int n;
    size_t complete_len; /* bytes of text covered by the complete records */
    bool torn_tail;      /* text ended inside a record (it is not in records) */
} csv_table;

/* Parses text[0..len). Never fails: malformed quoting (a quote followed by something other than
 * a quote, comma or newline) is kept literally, as most readers do. */
void csv_parse(const char *text, size_t len, csv_table *out);
void csv_table_free(csv_table *t);

#endif
