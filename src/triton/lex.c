/* lex: the Python 3 tokenizer (see lex.h). The source is first normalised (BOM dropped, CRLF
 * and CR turned into LF, as Python's universal newlines do), then scanned once left to right.
 * Columns are 1-based and count code points, so a caret lines up with what an editor shows.
 * The only recursion is for f-strings nested inside f-string replacement fields, and it is
 * depth-limited; everything else is iterative, so no input can exhaust the stack. */
#include "triton/lex.h"
#include "util/vec.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FSTRING_MAX_NESTING 200

typedef struct open_bracket {
    char ch;
    int line, col;
} open_bracket;

typedef struct lexer {
    arena *a;
    const char *file;
    const char *src;        /* normalised source, NUL-terminated */
    size_t len, pos;
    int line;               /* line of src[pos] */
    size_t line_start;      /* offset of the first byte of that line */
    size_t col_cache_pos;   /* column cache: the column of col_cache_pos on line col_cache_line */
    int col_cache_line, col_cache_col;
    diag *err;
    bool failed;
    VEC(token) toks;
    VEC(int) indents;       /* indentation columns (tabs to multiples of 8) */
    VEC(int) alt_indents;   /* the same with tabs counted as 1, to detect tab/space ambiguity */
    VEC(open_bracket) brackets;
    bool line_has_tokens;   /* the current logical line produced a token (so it needs a NEWLINE) */
} lexer;

/* Result of scanning a string body: unterminated strings are reported by the string whose
 * quote is left open, so the nested scanners tell their caller rather than report. */
typedef enum scan_result { SCAN_OK, SCAN_UNTERMINATED, SCAN_ERROR } scan_result;

static const char *const KEYWORDS[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
    "return", "try", "while", "with", "yield",
};

/* Longest first, so that the first prefix match is the longest operator. */
static const char *const OPERATORS[] = {
    "**=", "//=", ">>=", "<<=", "...",
    "!=", "->", ":=", "**", "//", ">>", "<<", "<=", ">=", "==",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
    "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">",
    "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=",
};

/* ---- positions and errors ---------------------------------------------------------------- */

static int col_of(lexer *lx, size_t pos) {
    size_t from = lx->line_start;
    int col = 1;
    if (lx->col_cache_line == lx->line && lx->col_cache_pos >= lx->line_start && lx->col_cache_pos <= pos) {
        from = lx->col_cache_pos;
        col = lx->col_cache_col;
    }
    for (size_t i = from; i < pos; i++)
        if (((unsigned char)lx->src[i] & 0xC0) != 0x80) col++;  /* skip UTF-8 continuation bytes */
    lx->col_cache_line = lx->line;
    lx->col_cache_pos = pos;
    lx->col_cache_col = col;
    return col;
}

static bool fail(lexer *lx, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool fail(lexer *lx, int line, int col, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(lx->err, DIAG_ERROR, lx->file, line, col, "%s", msg);
    lx->failed = true;
    return false;
}

static bool fail_here(lexer *lx, size_t pos, const char *msg) {
    return fail(lx, lx->line, col_of(lx, pos), "%s", msg);
}

/* Steps over the '\n' at lx->pos. */
static void pass_newline(lexer *lx) {
    lx->pos++;
    lx->line++;
    lx->line_start = lx->pos;
}

/* ---- character classes ------------------------------------------------------------------- */

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_id_start(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
static bool is_id_char(int c) { return is_id_start(c) || is_digit(c); }
static int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
static unsigned char at(const lexer *lx, size_t pos) {
    return pos < lx->len ? (unsigned char)lx->src[pos] : 0;
}

/* ---- tokens ------------------------------------------------------------------------------ */

static token *emit(lexer *lx, tok_kind kind, size_t start, size_t end, int line, int col) {
    token t;
    memset(&t, 0, sizeof t);
    t.kind = kind;
    t.line = line;
    t.col = col;
    t.text = arena_strndup(lx->a, lx->src + start, end - start);
    t.len = end - start;
    vec_push(&lx->toks, t);
    if (kind != TOK_NEWLINE && kind != TOK_INDENT && kind != TOK_DEDENT && kind != TOK_END)
        lx->line_has_tokens = true;
    return &lx->toks.items[lx->toks.len - 1];
}

/* ---- numbers ----------------------------------------------------------------------------- */

static bool is_soft_number_suffix_keyword(const char *s, size_t n) {
    /* CPython accepts (with a warning) a number immediately followed by these keywords,
     * e.g. `1if x else 2`; so do we. */
    static const char *const kw[] = {"and", "else", "for", "if", "in", "is", "not", "or"};
    for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
        if (strlen(kw[i]) == n && memcmp(kw[i], s, n) == 0) return true;
    return false;
}

/* A number must not run into an identifier character. */
static bool check_number_end(lexer *lx, const char *what) {
    size_t p = lx->pos;
    if (!is_id_char(at(lx, p))) return true;
    size_t e = p;
    while (is_id_char(at(lx, e))) e++;
    if (is_soft_number_suffix_keyword(lx->src + p, e - p)) return true;
    return fail(lx, lx->line, col_of(lx, p), "invalid %s literal", what);
}

/* digitpart: digit (['_'] digit)*; lx->pos is at a digit. */
static bool scan_digitpart(lexer *lx) {
    while (true) {
        unsigned char c = at(lx, lx->pos);
        if (is_digit(c)) {
            lx->pos++;
        } else if (c == '_') {
            if (!is_digit(at(lx, lx->pos + 1)))
                return fail(lx, lx->line, col_of(lx, lx->pos), "invalid decimal literal");
            lx->pos++;
        } else {
            return true;
        }
    }
}

/* The literal without underscores (and without a trailing j), for strtod. */
static char *strip_underscores(lexer *lx, size_t start, size_t end) {
    char *buf = arena_alloc(lx->a, end - start + 1);
    size_t n = 0;
    for (size_t i = start; i < end; i++) {
        char c = lx->src[i];
        if (c != '_' && c != 'j' && c != 'J') buf[n++] = c;
    }
    buf[n] = 0;
    return buf;
}

static bool scan_prefixed_int(lexer *lx, size_t start, int line, int col) {
    char kind = (char)(at(lx, start + 1) | 0x20);
    int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
    const char *what = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
    lx->pos = start + 2;
    uint64_t value = 0;
    double fvalue = 0;
    bool overflow = false;
    int digits = 0;
    while (true) {
        unsigned char c = at(lx, lx->pos);
        if (c == '_') {
            int d = hex_value(at(lx, lx->pos + 1));
            if (d < 0 || d >= base) {
                if (d >= 0 && is_digit(at(lx, lx->pos + 1)))
                    return fail(lx, lx->line, col_of(lx, lx->pos + 1), "invalid digit '%c' in %s literal",
                                at(lx, lx->pos + 1), what);
                return fail(lx, lx->line, col_of(lx, lx->pos), "invalid %s literal", what);
            }
            lx->pos++;
            continue;
        }
        int d = hex_value(c);
        if (d < 0 || d >= base) {
            if (d >= 0 && is_digit(c))
                return fail(lx, lx->line, col_of(lx, lx->pos), "invalid digit '%c' in %s literal", c, what);
            break;
        }
        if (value > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) overflow = true;
        value = value * (uint64_t)base + (uint64_t)d;
        fvalue = fvalue * base + d;
        digits++;
        lx->pos++;
    }
    if (digits == 0) return fail(lx, lx->line, col_of(lx, lx->pos), "invalid %s literal", what);
    if (!check_number_end(lx, what)) return false;
    token *t = emit(lx, TOK_NUMBER, start, lx->pos, line, col);
    t->num = NUM_INT;
    t->ival = (int64_t)value;  /* modulo 2^64 when it does not fit */
    t->int_overflow = overflow || value > (uint64_t)INT64_MAX;
    t->fval = overflow ? fvalue : (double)value;
    return true;
}

static bool scan_number(lexer *lx) {
    size_t start = lx->pos;
    int line = lx->line, col = col_of(lx, start);
    unsigned char c0 = at(lx, start), c1 = (unsigned char)(at(lx, start + 1) | 0x20);
    if (c0 == '0' && (c1 == 'x' || c1 == 'o' || c1 == 'b')) return scan_prefixed_int(lx, start, line, col);

    bool is_float = false, is_imag = false;
    if (c0 != '.' && !scan_digitpart(lx)) return false;
    if (at(lx, lx->pos) == '.') {
        is_float = true;
        lx->pos++;
        if (is_digit(at(lx, lx->pos)) && !scan_digitpart(lx)) return false;
    }
    unsigned char c = at(lx, lx->pos);
    if (c == 'e' || c == 'E') {
        size_t e = lx->pos + 1;
        bool has_sign = at(lx, e) == '+' || at(lx, e) == '-';
        if (has_sign) e++;
        if (is_digit(at(lx, e))) {
            is_float = true;
            lx->pos = e;
            if (!scan_digitpart(lx)) return false;
        } else if (has_sign) {
            return fail(lx, lx->line, col_of(lx, lx->pos), "invalid decimal literal");
        }
        /* otherwise `1else` (allowed) or `1e` (an error): left to check_number_end */
    }
    c = at(lx, lx->pos);
    if (c == 'j' || c == 'J') {
        is_imag = true;
        lx->pos++;
    }
    if (!is_float && !is_imag && c0 == '0') {
        for (size_t i = start; i < lx->pos; i++)
            if (lx->src[i] != '0' && lx->src[i] != '_')
                return fail(lx, line, col,
                            "leading zeros in decimal integer literals are not permitted; "
                            "use an 0o prefix for octal integers");
    }
    if (!check_number_end(lx, is_imag ? "imaginary" : "decimal")) return false;

    token *t = emit(lx, TOK_NUMBER, start, lx->pos, line, col);
    char *digits = strip_underscores(lx, start, lx->pos);
    t->fval = strtod(digits, NULL);
    if (is_imag) {
        t->num = NUM_IMAG;
    } else if (is_float) {
        t->num = NUM_FLOAT;
    } else {
        t->num = NUM_INT;
        uint64_t value = 0;
        bool overflow = false;
        for (const char *d = digits; *d; d++) {
            uint64_t digit = (uint64_t)(*d - '0');
            if (value > (UINT64_MAX - digit) / 10) overflow = true;
            value = value * 10 + digit;
        }
        t->ival = (int64_t)value;
        t->int_overflow = overflow || value > (uint64_t)INT64_MAX;
    }
    return true;
}

/* ---- strings ----------------------------------------------------------------------------- */

/* Prefix letters (any case) that may precede a quote: r u b f br rb fr rf. */
static bool string_prefix(const char *s, size_t n, bool *is_raw, bool *is_bytes, bool *is_f) {
    if (n == 0 || n > 2) return false;
    bool r = false, b = false, f = false, u = false;
    for (size_t i = 0; i < n; i++) {
        char c = (char)(s[i] | 0x20);
        bool *flag = c == 'r' ? &r : c == 'b' ? &b : c == 'f' ? &f : c == 'u' ? &u : NULL;
        if (!flag || *flag) return false;
        *flag = true;
    }
    if (u && n > 1) return false;
    if (b && f) return false;
    *is_raw = r;
    *is_bytes = b;
    *is_f = f;
    return true;
}

static scan_result scan_string_body(lexer *lx, bool is_f, int depth, size_t *body_start, size_t *body_end);

/* Steps over a backslash and the character it escapes (a newline continues the line). */
static void skip_escape(lexer *lx) {
    lx->pos++;
    if (lx->pos >= lx->len) return;
    if (lx->src[lx->pos] == '\n') pass_newline(lx);
    else lx->pos++;
}

static scan_result scan_fstring_field(lexer *lx, char quote, bool triple, int depth);

/* The format spec after ':' in a replacement field: literal text with nested fields, ended by
 * '}'. A closing quote of the enclosing string ends the field early (left to the caller). */
static scan_result scan_format_spec(lexer *lx, char quote, bool triple, int depth) {
    while (true) {
        if (lx->pos >= lx->len) return SCAN_UNTERMINATED;
        char c = lx->src[lx->pos];
        if (c == '\n') {
            if (!triple) return SCAN_UNTERMINATED;
            pass_newline(lx);
        } else if (c == quote && (!triple || (at(lx, lx->pos + 1) == quote && at(lx, lx->pos + 2) == quote))) {
            return SCAN_OK;
        } else if (c == '{') {
            lx->pos++;
            scan_result r = scan_fstring_field(lx, quote, triple, depth + 1);
            if (r != SCAN_OK) return r;
        } else if (c == '}') {
            lx->pos++;
            return SCAN_OK;
        } else if (c == '\\') {
            skip_escape(lx);
        } else {
            lx->pos++;
        }
    }
}

/* A replacement field's expression, from after '{' to after its '}'. Nested string literals
 * (of either quote kind, PEP 701) are scanned as strings, brackets are counted, and ':' at
 * bracket depth 0 starts the format spec. */
static scan_result scan_fstring_field(lexer *lx, char quote, bool triple, int depth) {
    if (depth > FSTRING_MAX_NESTING) {
        fail_here(lx, lx->pos, "f-string nested too deeply");
        return SCAN_ERROR;
    }
    int brackets = 0;
    while (true) {
        if (lx->pos >= lx->len) return SCAN_UNTERMINATED;
        unsigned char c = (unsigned char)lx->src[lx->pos];
        if (c == '\n') {
            if (!triple) return SCAN_UNTERMINATED;
            pass_newline(lx);
        } else if (c == '\'' || c == '"') {
            size_t bs, be;
            scan_result r = scan_string_body(lx, false, depth + 1, &bs, &be);
            if (r != SCAN_OK) return SCAN_ERROR;  /* the nested string reported itself */
        } else if (is_id_start(c)) {
            size_t s = lx->pos;
            while (is_id_char(at(lx, lx->pos))) lx->pos++;
            bool raw, bytes, f;
            char q = (char)at(lx, lx->pos);
            if ((q == '\'' || q == '"') && string_prefix(lx->src + s, lx->pos - s, &raw, &bytes, &f)) {
                size_t bs, be;
                if (scan_string_body(lx, f, depth + 1, &bs, &be) != SCAN_OK) return SCAN_ERROR;
            }
        } else if (c == '(' || c == '[' || c == '{') {
            brackets++;
            lx->pos++;
        } else if (c == ')' || c == ']') {
            if (brackets > 0) brackets--;
            lx->pos++;
        } else if (c == '}') {
            lx->pos++;
            if (brackets == 0) return SCAN_OK;
            brackets--;
        } else if (c == ':' && brackets == 0) {
            lx->pos++;
            return scan_format_spec(lx, quote, triple, depth);
        } else if (c == '!' && at(lx, lx->pos + 1) == '=') {
            lx->pos += 2;
        } else if (c == '\\') {
            skip_escape(lx);
        } else {
            lx->pos++;
        }
    }
}

/* Scans a string from its opening quote at lx->pos to after its closing quote. Reports an
 * unterminated string at its opening quote. */
static scan_result scan_string_body(lexer *lx, bool is_f, int depth, size_t *body_start, size_t *body_end) {
    size_t qpos = lx->pos;
    int qline = lx->line, qcol = col_of(lx, qpos);
    char quote = lx->src[qpos];
    bool triple = at(lx, qpos + 1) == (unsigned char)quote && at(lx, qpos + 2) == (unsigned char)quote;
    lx->pos = qpos + (triple ? 3 : 1);
    *body_start = lx->pos;
    scan_result r = SCAN_OK;
    while (r == SCAN_OK) {
        if (lx->pos >= lx->len) {
            r = SCAN_UNTERMINATED;
            break;
        }
        char c = lx->src[lx->pos];
        if (c == '\\') {
            skip_escape(lx);
        } else if (c == '\n') {
            if (!triple) {
                r = SCAN_UNTERMINATED;
                break;
            }
            pass_newline(lx);
        } else if (c == quote && (!triple || (at(lx, lx->pos + 1) == (unsigned char)quote &&
                                              at(lx, lx->pos + 2) == (unsigned char)quote))) {
            *body_end = lx->pos;
            lx->pos += triple ? 3 : 1;
            return SCAN_OK;
        } else if (is_f && c == '{') {
            if (at(lx, lx->pos + 1) == '{') {
                lx->pos += 2;
            } else {
                lx->pos++;
                r = scan_fstring_field(lx, quote, triple, depth + 1);
            }
        } else {
            lx->pos++;  /* includes `}}` and a lone `}` (Python rejects the latter later) */
        }
    }
    if (r == SCAN_UNTERMINATED) {
        fail(lx, qline, qcol, triple ? "unterminated triple-quoted string literal" : "unterminated string literal");
        return SCAN_ERROR;
    }
    return r;
}

static void put_utf8(char *out, size_t *n, uint32_t cp) {
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Reads exactly n hex digits at s; -1 if there are fewer. */
static long read_hex(const char *s, const char *end, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (s + i >= end) return -1;
        int d = hex_value((unsigned char)s[i]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Decodes the escapes of a non-raw str literal. Unknown or malformed escapes are kept as
 * written (Python warns about those); \N{...} is kept literally. The output is never longer
 * than the input (every escape's UTF-8 is at most as long as its spelling). */
static char *decode_escapes(arena *a, const char *s, size_t n, size_t *out_len) {
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    const char *end = s + n;
    while (s < end) {
        if (*s != '\\' || s + 1 >= end) {
            out[o++] = *s++;
            continue;
        }
        char e = s[1];
        const char *simple = strchr("\n\\'\"abfnrtv", e);
        if (e && simple) {
            static const char values[] = "\0\\'\"\a\b\f\n\r\t\v";
            if (e != '\n') out[o++] = values[simple - "\n\\'\"abfnrtv"];
            s += 2;
        } else if (e >= '0' && e <= '7') {
            uint32_t v = 0;
            int k = 1;
            while (k <= 3 && s + k < end && s[k] >= '0' && s[k] <= '7') v = v * 8 + (uint32_t)(s[k++] - '0');
            put_utf8(out, &o, v);
            s += k;
        } else if (e == 'x' || e == 'u' || e == 'U') {
            int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            long v = read_hex(s + 2, end, digits);
            if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                out[o++] = *s++;  /* keep the malformed escape as written */
                continue;
            }
            put_utf8(out, &o, (uint32_t)v);
            s += 2 + digits;
        } else {
            out[o++] = *s++;  /* unknown escape, \N{...}: kept literally */
        }
    }
    out[o] = 0;
    *out_len = o;
    return out;
}

static bool scan_string(lexer *lx, size_t start, bool raw, bool bytes, bool f) {
    int line = lx->line, col = col_of(lx, start);
    size_t bs = 0, be = 0;
    if (scan_string_body(lx, f, 0, &bs, &be) != SCAN_OK) return false;
    token *t = emit(lx, TOK_STRING, start, lx->pos, line, col);
    t->is_raw = raw;
    t->is_bytes = bytes;
    t->is_fstring = f;
    if (raw || bytes || f) {
        t->str_value = arena_strndup(lx->a, lx->src + bs, be - bs);
        t->str_len = be - bs;
    } else {
        t->str_value = decode_escapes(lx->a, lx->src + bs, be - bs, &t->str_len);
    }
    return true;
}

/* ---- indentation ------------------------------------------------------------------------- */

/* Measures the indentation of the line starting at lx->pos. Returns false on error; sets
 * *blank when the line holds no token (only whitespace or a comment). */
static bool handle_indentation(lexer *lx, bool *blank) {
    int col = 0, alt = 0;
    while (true) {
        char c = (char)at(lx, lx->pos);
        if (c == ' ') {
            col++;
            alt++;
        } else if (c == '\t') {
            col = (col / 8 + 1) * 8;
            alt++;
        } else if (c == '\f') {
            col = alt = 0;  /* a form feed resets the count, as in CPython */
        } else {
            break;
        }
        lx->pos++;
    }
    char c = (char)at(lx, lx->pos);
    *blank = lx->pos >= lx->len || c == '#' || c == '\n';
    if (*blank) return true;

    int line = lx->line, tcol = col_of(lx, lx->pos);
    int top = lx->indents.items[lx->indents.len - 1];
    int alt_top = lx->alt_indents.items[lx->alt_indents.len - 1];
    if (col == top) {
        if (alt != alt_top) return fail(lx, line, tcol, "inconsistent use of tabs and spaces in indentation");
    } else if (col > top) {
        if (alt <= alt_top) return fail(lx, line, tcol, "inconsistent use of tabs and spaces in indentation");
        vec_push(&lx->indents, col);
        vec_push(&lx->alt_indents, alt);
        emit(lx, TOK_INDENT, lx->pos, lx->pos, line, tcol);
    } else {
        while (lx->indents.len > 1 && col < lx->indents.items[lx->indents.len - 1]) {
            lx->indents.len--;
            lx->alt_indents.len--;
            emit(lx, TOK_DEDENT, lx->pos, lx->pos, line, tcol);
        }
        if (col != lx->indents.items[lx->indents.len - 1])
            return fail(lx, line, tcol, "unindent does not match any outer indentation level");
        if (alt != lx->alt_indents.items[lx->alt_indents.len - 1])
            return fail(lx, line, tcol, "inconsistent use of tabs and spaces in indentation");
    }
    return true;
}

/* ---- operators and brackets -------------------------------------------------------------- */

static bool scan_operator(lexer *lx) {
    size_t start = lx->pos;
    int line = lx->line, col = col_of(lx, start);
    const char *s = lx->src + start;
    if (s[0] == '<' && s[1] == '>')
        return fail(lx, line, col, "'<>' is not a Python 3 operator; use '!='");
    for (size_t i = 0; i < sizeof OPERATORS / sizeof *OPERATORS; i++) {
        size_t n = strlen(OPERATORS[i]);
        if (strncmp(s, OPERATORS[i], n) != 0 || start + n > lx->len) continue;
        char c = s[0];
        if (n == 1 && (c == '(' || c == '[' || c == '{')) {
            vec_push(&lx->brackets, ((open_bracket){c, line, col}));
        } else if (n == 1 && (c == ')' || c == ']' || c == '}')) {
            if (lx->brackets.len == 0) return fail(lx, line, col, "unmatched '%c'", c);
            open_bracket ob = lx->brackets.items[lx->brackets.len - 1];
            char want = ob.ch == '(' ? ')' : ob.ch == '[' ? ']' : '}';
            if (c != want) {
                if (ob.line == line)
                    return fail(lx, line, col, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, ob.ch);
                return fail(lx, line, col, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
                            c, ob.ch, ob.line);
            }
            lx->brackets.len--;
        }
        lx->pos += n;
        emit(lx, TOK_OP, start, lx->pos, line, col);
        return true;
    }
    unsigned char c = (unsigned char)s[0];
    if (c == 0) return fail(lx, line, col, "source code cannot contain null bytes");
    if (c < 0x20 || c == 0x7F) return fail(lx, line, col, "invalid character U+%04X", c);
    return fail(lx, line, col, "invalid character '%c'", c);
}

/* ---- driver ------------------------------------------------------------------------------ */

/* Universal newlines and BOM removal, so the scanner only ever sees '\n'. */
static char *normalise(arena *a, const char *src, size_t len, size_t *out_len) {
    char *out = arena_alloc(a, len + 1);
    size_t i = 0, o = 0;
    if (len >= 3 && (unsigned char)src[0] == 0xEF && (unsigned char)src[1] == 0xBB && (unsigned char)src[2] == 0xBF)
        i = 3;
    for (; i < len; i++) {
        if (src[i] == '\r') {
            out[o++] = '\n';
            if (i + 1 < len && src[i + 1] == '\n') i++;
        } else {
            out[o++] = src[i];
        }
    }
    out[o] = 0;
    *out_len = o;
    return out;
}

/* Python rejects a NUL byte anywhere in the source, even in a comment or a string. */
static bool check_no_nul(lexer *lx) {
    const char *nul = memchr(lx->src, 0, lx->len);
    if (!nul) return true;
    int line = 1, col = 1;
    for (const char *p = lx->src; p < nul; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            col++;
        }
    }
    return fail(lx, line, col, "source code cannot contain null bytes");
}

static bool lex_all(lexer *lx) {
    bool at_line_start = true;
    while (true) {
        if (at_line_start && lx->brackets.len == 0) {
            bool blank;
            if (!handle_indentation(lx, &blank)) return false;
            if (!blank) at_line_start = false;
        }
        while (lx->pos < lx->len && (lx->src[lx->pos] == ' ' || lx->src[lx->pos] == '\t' || lx->src[lx->pos] == '\f'))
            lx->pos++;
        if (lx->pos >= lx->len) break;
        unsigned char c = (unsigned char)lx->src[lx->pos];
        if (c == '#') {
            while (lx->pos < lx->len && lx->src[lx->pos] != '\n') lx->pos++;
            continue;
        }
        if (c == '\n') {
            if (lx->brackets.len == 0 && lx->line_has_tokens) {
                emit(lx, TOK_NEWLINE, lx->pos, lx->pos, lx->line, col_of(lx, lx->pos));
                lx->line_has_tokens = false;
            }
            pass_newline(lx);
            if (lx->brackets.len == 0) at_line_start = true;
            continue;
        }
        if (c == '\\') {
            if (at(lx, lx->pos + 1) == '\n') {
                int line = lx->line, col = col_of(lx, lx->pos);
                lx->pos++;
                pass_newline(lx);
                if (lx->pos >= lx->len)
                    return fail(lx, line, col, "unexpected end of file after line continuation character");
                continue;
            }
            if (lx->pos + 1 >= lx->len)
                return fail_here(lx, lx->pos, "unexpected end of file after line continuation character");
            return fail_here(lx, lx->pos, "unexpected character after line continuation character");
        }
        if (is_id_start(c)) {
            size_t start = lx->pos;
            while (is_id_char(at(lx, lx->pos))) lx->pos++;
            char q = (char)at(lx, lx->pos);
            bool raw, bytes, f;
            if ((q == '\'' || q == '"') && string_prefix(lx->src + start, lx->pos - start, &raw, &bytes, &f)) {
                if (!scan_string(lx, start, raw, bytes, f)) return false;
            } else {
                emit(lx, TOK_NAME, start, lx->pos, lx->line, col_of(lx, start));
            }
            continue;
        }
        if (is_digit(c) || (c == '.' && is_digit(at(lx, lx->pos + 1)))) {
            if (!scan_number(lx)) return false;
            continue;
        }
        if (c == '\'' || c == '"') {
            if (!scan_string(lx, lx->pos, false, false, false)) return false;
            continue;
        }
        if (!scan_operator(lx)) return false;
    }
    if (lx->brackets.len > 0) {
        open_bracket ob = lx->brackets.items[lx->brackets.len - 1];
        return fail(lx, ob.line, ob.col, "'%c' was never closed", ob.ch);
    }
    int line = lx->line, col = col_of(lx, lx->pos);
    if (lx->line_has_tokens) emit(lx, TOK_NEWLINE, lx->pos, lx->pos, line, col);
    while (lx->indents.len > 1) {
        lx->indents.len--;
        emit(lx, TOK_DEDENT, lx->pos, lx->pos, line, col);
    }
    emit(lx, TOK_END, lx->pos, lx->pos, line, col);
    return true;
}

bool lex_python(arena *a, const char *file, const char *src, size_t len, token_list *out, diag *err) {
    lexer lx;
    memset(&lx, 0, sizeof lx);
    lx.a = a;
    lx.file = file;
    lx.err = err;
    lx.src = normalise(a, src, len, &lx.len);
    lx.line = 1;
    lx.col_cache_line = 0;
    bool ok = check_no_nul(&lx);
    vec_push(&lx.indents, 0);
    vec_push(&lx.alt_indents, 0);
    ok = ok && lex_all(&lx);
    if (ok) {
        out->len = lx.toks.len;
        out->items = arena_alloc(a, lx.toks.len * sizeof(token));
        memcpy(out->items, lx.toks.items, lx.toks.len * sizeof(token));
    } else {
        out->items = NULL;
        out->len = 0;
    }
    vec_free(&lx.toks);
    vec_free(&lx.indents);
    vec_free(&lx.alt_indents);
    vec_free(&lx.brackets);
    return ok;
}

bool tok_is_keyword(const token *t) {
    if (t->kind != TOK_NAME) return false;
    for (size_t i = 0; i < sizeof KEYWORDS / sizeof *KEYWORDS; i++)
        if (strcmp(t->text, KEYWORDS[i]) == 0) return true;
    return false;
}

bool tok_is(const token *t, tok_kind k, const char *text) {
    return t->kind == k && strcmp(t->text, text) == 0;
}

const char *tok_kind_name(tok_kind k) {
    switch (k) {
    case TOK_END: return "END";
    case TOK_NEWLINE: return "NEWLINE";
    case TOK_INDENT: return "INDENT";
    case TOK_DEDENT: return "DEDENT";
    case TOK_NAME: return "NAME";
    case TOK_NUMBER: return "NUMBER";
    case TOK_STRING: return "STRING";
    case TOK_OP: return "OP";
    }
    return "?";
}
