/* results: results.csv — the contract's columns, reading a results file (tolerating the torn last
 * row a killed driver leaves), and appending rows durably (one write and fsync per row, under a
 * mutex, so that rows of concurrent jobs never interleave and a crash loses at most the row being
 * written). A job is identified by its key (suite, op, tool, config, rep); run_id is not part of
 * it, so that shards and resumed runs line up. */
#ifndef VLIFT_BENCH_RESULTS_H
#define VLIFT_BENCH_RESULTS_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum result_column {
    RC_RUN_ID, RC_SUITE, RC_OP, RC_CATEGORY, RC_TOOL, RC_CONFIG, RC_REP, RC_STATUS, RC_STAGE, RC_BLOCKS,
    RC_T_SYMEXEC, RC_T_SYNTH, RC_T_VERIFY, RC_T_SIMPLIFY, RC_T_CHECK, RC_T_TOTAL, RC_PEAK_RSS_KB,
    RC_CANDIDATES, RC_SMT_QUERIES, RC_SIZE_LIFTED, RC_SIZE_SIMPLIFIED, RC_MATCHES_EXPECTED, RC_FORMULA,
    RC_MESSAGE, N_RESULT_COLUMNS
} result_column;

extern const char *const result_columns[N_RESULT_COLUMNS];   /* "run_id", "suite", ... */

typedef struct result_row {
    char *f[N_RESULT_COLUMNS];      /* heap strings, never NULL */
} result_row;

typedef struct results_set {
    result_row *rows;
    int n, cap;
} results_set;

/* Reads a results.csv. The header must be exactly the contract's; every row needs all columns
 * and a known status. A torn last row (no final newline) is dropped; with repair the file is
 * rewritten without it (atomically) and *dropped_tail tells. Errors name the file and line. */
bool results_read(const char *path, bool repair, results_set *out, bool *dropped_tail, char *err, size_t err_size);
void results_add(results_set *set, result_row row);   /* takes ownership of row's strings */
void results_free(results_set *set);
void result_row_free(result_row *row);
result_row result_row_copy(const result_row *row);

/* Orders rows by (suite, op, tool, config, rep as a number). */
int result_row_compare(const result_row *a, const result_row *b);
void results_sort(results_set *set);
/* "suite/op/tool/config/rep" into buf: the job's identity. */
void result_job_key(const char *suite, const char *op, const char *tool, const char *config, int rep, char *buf,
                    size_t size);
void result_row_key(const result_row *row, char *buf, size_t size);

/* Writes every row, with the header, to path via a temporary file and rename. */
bool results_write_file(const char *path, const results_set *set, char *err, size_t err_size);

typedef struct results_writer {
    int fd;
    const char *path;     /* for messages; owned by the caller */
    pthread_mutex_t lock;
} results_writer;

/* Opens path for appending, writing the header when the file is new or empty. */
bool results_writer_open(results_writer *w, const char *path, char *err, size_t err_size);
/* Appends one row durably (write + fsync, serialized), or nothing: when the write fails (a full
 * disk, a file-size limit) the file is truncated back to its previous end, so it never holds a
 * torn row before whole ones, and err says why ("cannot append to PATH: No space left ..."). */
bool results_writer_append(results_writer *w, const result_row *row, char *err, size_t err_size);
void results_writer_close(results_writer *w);

#endif
