/* strbuf: a growable, always NUL-terminated string for building output text. */
#ifndef VLIFT_STRBUF_H
#define VLIFT_STRBUF_H
#include <stddef.h>

typedef struct strbuf {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len, cap;
} strbuf;

void strbuf_init(strbuf *s);
void strbuf_append(strbuf *s, const char *text);
void strbuf_appendn(strbuf *s, const char *text, size_t n);
void strbuf_putc(strbuf *s, char c);
void strbuf_printf(strbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_clear(strbuf *s);          /* length 0, keeps the memory */
const char *strbuf_cstr(strbuf *s);    /* never NULL */
char *strbuf_take(strbuf *s);          /* caller owns the result (free); s reset */
void strbuf_free(strbuf *s);

#endif
