/* lex: a lexer for the whole lexical grammar of Python 3 (the language Triton kernels are
 * written in). It produces the token stream of the Python reference tokenizer:
 * NEWLINE at the end of each logical line, INDENT/DEDENT from an indentation stack, no
 * NEWLINE inside brackets (implicit joining) or after a backslash continuation, comments and
 * blank lines dropped. Every string form (prefixes r b u f and their combinations in any case,
 * single/double quotes, triple-quoted, f-strings with nested replacement fields) is one STRING
 * token; every numeric form (decimal, hex, octal, binary, underscores, floats with exponent,
 * imaginary) is one NUMBER token. Errors are reported as file:line:col and stop the lexer. */
#ifndef VLIFT_LEX_H
#define VLIFT_LEX_H
#include "util/arena.h"
#include "util/diag.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum tok_kind {
    TOK_END = 0,     /* ENDMARKER */
    TOK_NEWLINE,
    TOK_INDENT,
    TOK_DEDENT,
    TOK_NAME,        /* identifiers and keywords (see tok_is_keyword) */
    TOK_NUMBER,
    TOK_STRING,
    TOK_OP,          /* operators and delimiters, e.g. "+", "**=", "->", ":=", "..." */
} tok_kind;

typedef enum num_kind { NUM_INT, NUM_FLOAT, NUM_IMAG } num_kind;

typedef struct token {
    tok_kind kind;
    int line, col;          /* 1-based position of the first character */
    const char *text;       /* exact source text, NUL-terminated copy in the arena */
    size_t len;
    /* TOK_NUMBER */
    num_kind num;
    bool int_overflow;      /* integer literal does not fit in int64 */
    int64_t ival;
    double fval;            /* value for floats (and ints, converted) */
    /* TOK_STRING */
    const char *str_value;  /* decoded contents (escapes processed unless raw; f-strings and
                               bytes keep their literal text between the quotes) */
    size_t str_len;
    bool is_bytes, is_fstring, is_raw;
} token;

typedef struct token_list {
    token *items;
    size_t len;
} token_list;

/* Tokenizes src (NUL-terminated, length len) into an arena-allocated list ending in TOK_END.
 * Returns false and fills err (DIAG_ERROR with line/col) on a lexical error:
 * unterminated string, bad indentation (dedent to an unknown level, tabs/spaces inconsistency
 * that changes meaning), unmatched or mismatched bracket, invalid character, malformed number,
 * stray backslash. */
bool lex_python(arena *a, const char *file, const char *src, size_t len, token_list *out, diag *err);

bool tok_is_keyword(const token *t);              /* Python 3 hard keywords */
bool tok_is(const token *t, tok_kind k, const char *text);  /* kind and exact text */
const char *tok_kind_name(tok_kind k);

#endif
