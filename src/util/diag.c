/* diag: see diag.h. */
#include "util/diag.h"
#include <stdarg.h>
#include <stdio.h>

void diag_set(diag *d, diag_kind kind, const char *file, int line, int col, const char *fmt, ...) {
    if (d->kind != DIAG_NONE) return;  /* keep the first error: later ones are consequences */
    d->kind = kind;
    d->file = file;
    d->line = line;
    d->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
}

bool diag_failed(const diag *d) { return d->kind != DIAG_NONE; }

void diag_format(const diag *d, char *out, int size) {
    const char *file = d->file ? d->file : "<input>";
    if (d->kind == DIAG_UNSUPPORTED) {
        if (d->line > 0) snprintf(out, (size_t)size, "UNSUPPORTED: %s at %s:%d", d->message, file, d->line);
        else snprintf(out, (size_t)size, "UNSUPPORTED: %s", d->message);
    } else if (d->line > 0 && d->col > 0) {
        snprintf(out, (size_t)size, "%s:%d:%d: %s", file, d->line, d->col, d->message);
    } else if (d->line > 0) {
        snprintf(out, (size_t)size, "%s:%d: %s", file, d->line, d->message);
    } else if (d->file) {
        snprintf(out, (size_t)size, "%s: %s", file, d->message);
    } else {
        snprintf(out, (size_t)size, "%s", d->message);
    }
}
