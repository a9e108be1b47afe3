/* diag: one error message with its source position, the currency of every failing stage.
 * Text follows the `file:line:col: message` convention; stages fill a diag and return
 * failure, and only the CLI prints it. */
#ifndef VLIFT_DIAG_H
#define VLIFT_DIAG_H
#include <stdbool.h>

typedef enum diag_kind {
    DIAG_NONE = 0,
    DIAG_ERROR,        /* bad input: syntax, manifest, usage (exit 2) */
    DIAG_UNSUPPORTED,  /* a construct vlift does not model */
    DIAG_RUNTIME,      /* the kernel misbehaved: out-of-bounds access, write conflict */
    DIAG_LIMIT,        /* a resource limit was reached (steps, recursion, nodes) */
} diag_kind;

typedef struct diag {
    diag_kind kind;
    const char *file;   /* may be NULL */
    int line, col;      /* 1-based; 0 when unknown */
    char message[512];
} diag;

void diag_set(diag *d, diag_kind kind, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Formats "file:line:col: message" (parts omitted when unknown). UNSUPPORTED messages
 * read "UNSUPPORTED: <construct> at file:line". */
void diag_format(const diag *d, char *out, int size);
bool diag_failed(const diag *d);

#endif
