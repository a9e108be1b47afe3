/* strbuf: see strbuf.h. */
#include "util/strbuf.h"
#include "util/arena.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(strbuf *s) { s->data = NULL; s->len = s->cap = 0; }

static void reserve(strbuf *s, size_t extra) {
    if (s->len + extra + 1 <= s->cap) return;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < s->len + extra + 1) cap *= 2;
    s->data = xrealloc(s->data, cap);
    s->cap = cap;
}

void strbuf_appendn(strbuf *s, const char *text, size_t n) {
    reserve(s, n);
    memcpy(s->data + s->len, text, n);
    s->len += n;
    s->data[s->len] = 0;
}

void strbuf_append(strbuf *s, const char *text) { strbuf_appendn(s, text, strlen(text)); }

void strbuf_putc(strbuf *s, char c) { strbuf_appendn(s, &c, 1); }

void strbuf_printf(strbuf *s, const char *fmt, ...) {
    char small[256];
    if (!fmt) fmt = "";   /* silences a false null-format warning of gcc 12 under UBSan */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    if ((size_t)n < sizeof small) {
        strbuf_appendn(s, small, (size_t)n);
        return;
    }
    reserve(s, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(s->data + s->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->len += (size_t)n;
}

void strbuf_clear(strbuf *s) {
    s->len = 0;
    if (s->data) s->data[0] = 0;
}

const char *strbuf_cstr(strbuf *s) { return s->data ? s->data : ""; }

char *strbuf_take(strbuf *s) {
    char *p = s->data ? s->data : xstrdup("");
    strbuf_init(s);
    return p;
}

void strbuf_free(strbuf *s) {
    free(s->data);
    strbuf_init(s);
}
