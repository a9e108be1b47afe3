/* json: see json.h. A recursive-descent parser over a cursor; nesting is bounded so that a
 * hostile tool output cannot exhaust the stack. */
#include "bench/json.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64

typedef struct cursor {
    const char *p, *start, *end;
    char *err;
    size_t err_size;
} cursor;

static bool fail(cursor *c, const char *what) {
    snprintf(c->err, c->err_size, "offset %zu: %s", (size_t)(c->p - c->start), what);
    return false;
}

static void skip_ws(cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

static int hex_digit(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static bool read_hex4(cursor *c, unsigned *out) {
    if (c->end - c->p < 4) return fail(c, "truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(c->p[i]);
        if (d < 0) return fail(c, "bad \\u escape");
        v = v * 16 + (unsigned)d;
    }
    c->p += 4;
    *out = v;
    return true;
}

static void put_utf8(strbuf *s, unsigned cp) {
    char b[4];
    int n;
    if (cp < 0x80) { b[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { b[0] = (char)(0xC0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    strbuf_appendn(s, b, (size_t)n);
}

/* At the opening quote; on success *out is the decoded string (heap) unless out is NULL. */
static bool parse_string(cursor *c, char **out) {
    strbuf s;
    strbuf_init(&s);
    c->p++;
    while (true) {
        if (c->p >= c->end) { strbuf_free(&s); return fail(c, "unterminated string"); }
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '"') { c->p++; break; }
        if (ch < 0x20) { strbuf_free(&s); return fail(c, "control character in string"); }
        if (ch != '\\') { strbuf_putc(&s, (char)ch); c->p++; continue; }
        c->p++;
        if (c->p >= c->end) { strbuf_free(&s); return fail(c, "unterminated escape"); }
        char e = *c->p++;
        switch (e) {
        case '"': strbuf_putc(&s, '"'); break;
        case '\\': strbuf_putc(&s, '\\'); break;
        case '/': strbuf_putc(&s, '/'); break;
        case 'b': strbuf_putc(&s, '\b'); break;
        case 'f': strbuf_putc(&s, '\f'); break;
        case 'n': strbuf_putc(&s, '\n'); break;
        case 'r': strbuf_putc(&s, '\r'); break;
        case 't': strbuf_putc(&s, '\t'); break;
        case 'u': {
            unsigned cp;
            if (!read_hex4(c, &cp)) { strbuf_free(&s); return false; }
            if (cp >= 0xD800 && cp <= 0xDBFF) {   /* a high surrogate needs its low half */
                unsigned lo;
                if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u') { strbuf_free(&s); return fail(c, "lone surrogate"); }
                c->p += 2;
                if (!read_hex4(c, &lo)) { strbuf_free(&s); return false; }
                if (lo < 0xDC00 || lo > 0xDFFF) { strbuf_free(&s); return fail(c, "bad surrogate pair"); }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                strbuf_free(&s);
                return fail(c, "lone surrogate");
            }
            put_utf8(&s, cp);
            break;
        }
        default: strbuf_free(&s); c->p--; return fail(c, "bad escape");
        }
    }
    if (out) {
        *out = strbuf_take(&s);
        if (!*out) *out = xstrdup("");
    } else {
        strbuf_free(&s);
    }
    return true;
}

static bool parse_number(cursor *c, double *out) {
    const char *q = c->p;
    if (q < c->end && *q == '-') q++;
    if (q >= c->end || !(*q >= '0' && *q <= '9')) return fail(c, "bad number");
    if (*q == '0') q++;
    else while (q < c->end && *q >= '0' && *q <= '9') q++;
    if (q < c->end && *q == '.') {
        q++;
        if (q >= c->end || !(*q >= '0' && *q <= '9')) return fail(c, "bad number");
        while (q < c->end && *q >= '0' && *q <= '9') q++;
    }
    if (q < c->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < c->end && (*q == '+' || *q == '-')) q++;
        if (q >= c->end || !(*q >= '0' && *q <= '9')) return fail(c, "bad number");
        while (q < c->end && *q >= '0' && *q <= '9') q++;
    }
    char buf[64];
    size_t n = (size_t)(q - c->p);
    if (n >= sizeof buf) return fail(c, "number too long");
    memcpy(buf, c->p, n);
    buf[n] = 0;
    *out = strtod(buf, NULL);
    c->p = q;
    return true;
}

static bool literal(cursor *c, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n)) return fail(c, "unexpected character");
    c->p += n;
    return true;
}

static bool parse_value(cursor *c, json_member *m, int depth);

/* Parses an object or array whose content is discarded (m == NULL) or, for the top-level object,
 * kept in o. */
static bool parse_object(cursor *c, json_object *o, int depth) {
    if (depth > JSON_MAX_DEPTH) return fail(c, "nesting too deep");
    c->p++;
    skip_ws(c);
    if (c->p < c->end && *c->p == '}') { c->p++; return true; }
    int cap = 0;
    while (true) {
        skip_ws(c);
        if (c->p >= c->end || *c->p != '"') return fail(c, "expected a key string");
        json_member m = {0};
        if (!parse_string(c, o ? &m.key : NULL)) return false;
        skip_ws(c);
        if (c->p >= c->end || *c->p != ':') { free(m.key); return fail(c, "expected ':'"); }
        c->p++;
        skip_ws(c);
        if (!parse_value(c, o ? &m : NULL, depth)) { free(m.key); return false; }
        if (o) {
            if (o->n == cap) {
                cap = cap ? cap * 2 : 16;
                o->members = xrealloc(o->members, (size_t)cap * sizeof *o->members);
            }
            o->members[o->n++] = m;
        }
        skip_ws(c);
        if (c->p < c->end && *c->p == ',') { c->p++; continue; }
        if (c->p < c->end && *c->p == '}') { c->p++; return true; }
        return fail(c, "expected ',' or '}'");
    }
}

static bool parse_array(cursor *c, int depth) {
    if (depth > JSON_MAX_DEPTH) return fail(c, "nesting too deep");
    c->p++;
    skip_ws(c);
    if (c->p < c->end && *c->p == ']') { c->p++; return true; }
    while (true) {
        skip_ws(c);
        if (!parse_value(c, NULL, depth)) return false;
        skip_ws(c);
        if (c->p < c->end && *c->p == ',') { c->p++; continue; }
        if (c->p < c->end && *c->p == ']') { c->p++; return true; }
        return fail(c, "expected ',' or ']'");
    }
}

/* m == NULL: validate and discard. */
static bool parse_value(cursor *c, json_member *m, int depth) {
    if (c->p >= c->end) return fail(c, "expected a value");
    json_member discard;
    if (!m) m = &discard;
    memset(&m->kind, 0, sizeof *m - offsetof(json_member, kind));
    switch (*c->p) {
    case '"':
        m->kind = JSON_STRING;
        return parse_string(c, m == &discard ? NULL : &m->str);
    case '{': m->kind = JSON_NESTED; return parse_object(c, NULL, depth + 1);
    case '[': m->kind = JSON_NESTED; return parse_array(c, depth + 1);
    case 't': m->kind = JSON_BOOL; m->boolean = true; return literal(c, "true");
    case 'f': m->kind = JSON_BOOL; return literal(c, "false");
    case 'n': m->kind = JSON_NULL; return literal(c, "null");
    default: m->kind = JSON_NUMBER; return parse_number(c, &m->num);
    }
}

bool json_parse_object(const char *text, size_t len, json_object *out, char *err, size_t err_size) {
    cursor c = {text, text, text + len, err, err_size};
    out->members = NULL;
    out->n = 0;
    skip_ws(&c);
    if (c.p >= c.end || *c.p != '{') {
        fail(&c, "expected '{'");
        return false;
    }
    bool ok = parse_object(&c, out, 0);
    if (ok) {
        skip_ws(&c);
        if (c.p != c.end) ok = fail(&c, "text after the object");
    }
    if (!ok) json_object_free(out);
    return ok;
}

void json_object_free(json_object *o) {
    for (int i = 0; i < o->n; i++) {
        free(o->members[i].key);
        free(o->members[i].str);
    }
    free(o->members);
    o->members = NULL;
    o->n = 0;
}

const json_member *json_get(const json_object *o, const char *key) {
    for (int i = o->n - 1; i >= 0; i--)
        if (!strcmp(o->members[i].key, key)) return &o->members[i];
    return NULL;
}

char *json_get_text(const json_object *o, const char *key) {
    const json_member *m = json_get(o, key);
    if (!m) return NULL;
    char buf[64];
    switch (m->kind) {
    case JSON_STRING: return xstrdup(m->str);
    case JSON_BOOL: return xstrdup(m->boolean ? "true" : "false");
    case JSON_NUMBER:
        if (m->num == floor(m->num) && fabs(m->num) < 1e15) snprintf(buf, sizeof buf, "%.0f", m->num);
        else snprintf(buf, sizeof buf, "%.9g", m->num);
        return xstrdup(buf);
    default: return NULL;
    }
}

bool json_get_number(const json_object *o, const char *key, double *out) {
    const json_member *m = json_get(o, key);
    if (!m) return false;
    if (m->kind == JSON_NUMBER) { *out = m->num; return true; }
    if (m->kind != JSON_STRING || !*m->str) return false;
    char *end;
    double v = strtod(m->str, &end);
    if (*end || !isfinite(v)) return false;
    *out = v;
    return true;
}
