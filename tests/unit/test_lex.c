/* Tests of the Python lexer (src/triton/lex.c): token streams for every lexical form,
 * INDENT/DEDENT sequences, decoded string values, numeric values, and every lexical error
 * with its exact line:col. */
#include "test.h"
#include "triton/lex.h"
#include "util/strbuf.h"
#include <stdlib.h>

/* The token stream as "KIND:text" words ("KIND" alone for NEWLINE/INDENT/DEDENT/END). */
static char *tokens_of(const char *src) {
    arena a;
    arena_init(&a);
    diag d = {0};
    token_list tl;
    strbuf sb;
    strbuf_init(&sb);
    if (!lex_python(&a, "t.py", src, strlen(src), &tl, &d)) {
        strbuf_printf(&sb, "ERR %d:%d: %s", d.line, d.col, d.message);
    } else {
        for (size_t i = 0; i < tl.len; i++) {
            const token *t = &tl.items[i];
            if (i) strbuf_putc(&sb, ' ');
            if (t->kind == TOK_NAME || t->kind == TOK_NUMBER || t->kind == TOK_STRING || t->kind == TOK_OP)
                strbuf_printf(&sb, "%s:%s", tok_kind_name(t->kind), t->text);
            else
                strbuf_append(&sb, tok_kind_name(t->kind));
        }
    }
    arena_free(&a);
    return strbuf_take(&sb);
}

/* The error of a source that must fail to lex, as "line:col: message". */
static char *lex_error(const char *src) {
    arena a;
    arena_init(&a);
    diag d = {0};
    token_list tl;
    strbuf sb;
    strbuf_init(&sb);
    if (lex_python(&a, "t.py", src, strlen(src), &tl, &d)) strbuf_append(&sb, "(no error)");
    else strbuf_printf(&sb, "%d:%d: %s", d.line, d.col, d.message);
    arena_free(&a);
    return strbuf_take(&sb);
}

/* Positions "line:col" of every token. */
static char *positions_of(const char *src) {
    arena a;
    arena_init(&a);
    diag d = {0};
    token_list tl;
    strbuf sb;
    strbuf_init(&sb);
    if (lex_python(&a, "t.py", src, strlen(src), &tl, &d)) {
        for (size_t i = 0; i < tl.len; i++) strbuf_printf(&sb, "%s%d:%d", i ? " " : "", tl.items[i].line, tl.items[i].col);
    } else {
        strbuf_printf(&sb, "ERR %d:%d: %s", d.line, d.col, d.message);
    }
    arena_free(&a);
    return strbuf_take(&sb);
}

#define CHECK_TOKENS(src, expected)              \
    do {                                         \
        char *got_ = tokens_of(src);             \
        CHECK_STR(got_, expected);               \
        free(got_);                              \
    } while (0)

#define CHECK_LEX_ERROR(src, expected)           \
    do {                                         \
        char *got_ = lex_error(src);             \
        CHECK_STR(got_, expected);               \
        free(got_);                              \
    } while (0)

#define CHECK_POSITIONS(src, expected)           \
    do {                                         \
        char *got_ = positions_of(src);          \
        CHECK_STR(got_, expected);               \
        free(got_);                              \
    } while (0)

/* Lexes src, which must succeed, and returns its first token (arena-owned). */
static const token *first_token(arena *a, const char *src) {
    diag d = {0};
    token_list tl;
    if (!lex_python(a, "t.py", src, strlen(src), &tl, &d)) return NULL;
    return &tl.items[0];
}

TEST(lex_simple_statement) {
    CHECK_TOKENS("x = 1\n", "NAME:x OP:= NUMBER:1 NEWLINE END");
    CHECK_TOKENS("x = 1", "NAME:x OP:= NUMBER:1 NEWLINE END");  /* no final newline */
    CHECK_TOKENS("", "END");
    CHECK_TOKENS("\n\n   \n", "END");
    CHECK_TOKENS("# only a comment", "END");
    CHECK_POSITIONS("x = 1\n", "1:1 1:3 1:5 1:6 2:1");
    CHECK_POSITIONS("x = 1", "1:1 1:3 1:5 1:6 1:6");
}

TEST(lex_indent_dedent) {
    CHECK_TOKENS("if x:\n    y\n    if z:\n        w\nv\n",
                 "NAME:if NAME:x OP:: NEWLINE INDENT NAME:y NEWLINE NAME:if NAME:z OP:: NEWLINE "
                 "INDENT NAME:w NEWLINE DEDENT DEDENT NAME:v NEWLINE END");
    /* dedents pending at end of file, with and without a final newline */
    CHECK_TOKENS("def f():\n  if a:\n    b\n", "NAME:def NAME:f OP:( OP:) OP:: NEWLINE INDENT NAME:if NAME:a OP:: "
                 "NEWLINE INDENT NAME:b NEWLINE DEDENT DEDENT END");
    CHECK_TOKENS("def f():\n  if a:\n    b", "NAME:def NAME:f OP:( OP:) OP:: NEWLINE INDENT NAME:if NAME:a OP:: "
                 "NEWLINE INDENT NAME:b NEWLINE DEDENT DEDENT END");
    /* a dedent by two levels at once, to an intermediate level */
    CHECK_TOKENS("a:\n b:\n   c\n d\n",
                 "NAME:a OP:: NEWLINE INDENT NAME:b OP:: NEWLINE INDENT NAME:c NEWLINE DEDENT NAME:d NEWLINE DEDENT END");
    /* INDENT and DEDENT sit at the first token of their line */
    CHECK_POSITIONS("if x:\n    y\nz\n", "1:1 1:4 1:5 1:6 2:5 2:5 2:6 3:1 3:1 3:2 4:1");
}

TEST(lex_blank_and_comment_lines) {
    CHECK_TOKENS("if x:\n\n    # comment at another depth\n  # and another\n    y\n\n# c\nz\n",
                 "NAME:if NAME:x OP:: NEWLINE INDENT NAME:y NEWLINE DEDENT NAME:z NEWLINE END");
    CHECK_TOKENS("x = 1  # trailing\n", "NAME:x OP:= NUMBER:1 NEWLINE END");
    CHECK_TOKENS("   \t  \n", "END");
}

TEST(lex_implicit_line_joining) {
    CHECK_TOKENS("f(a,\n  b,  # comment\n\n      c)\n",
                 "NAME:f OP:( NAME:a OP:, NAME:b OP:, NAME:c OP:) NEWLINE END");
    CHECK_TOKENS("x = [\n1,\n    2]\ny = {\n}\n",
                 "NAME:x OP:= OP:[ NUMBER:1 OP:, NUMBER:2 OP:] NEWLINE NAME:y OP:= OP:{ OP:} NEWLINE END");
    /* indentation inside brackets never produces INDENT */
    CHECK_TOKENS("if (a and\n        b):\n    c\n",
                 "NAME:if OP:( NAME:a NAME:and NAME:b OP:) OP:: NEWLINE INDENT NAME:c NEWLINE DEDENT END");
}

TEST(lex_backslash_continuation) {
    CHECK_TOKENS("x = 1 + \\\n    2\n", "NAME:x OP:= NUMBER:1 OP:+ NUMBER:2 NEWLINE END");
    CHECK_TOKENS("if a and \\\n        b:\n    c\n",
                 "NAME:if NAME:a NAME:and NAME:b OP:: NEWLINE INDENT NAME:c NEWLINE DEDENT END");
    CHECK_POSITIONS("x = \\\n  y\n", "1:1 1:3 2:3 2:4 3:1");
}

TEST(lex_tabs) {
    /* a tab advances to the next multiple of 8, consistently used */
    CHECK_TOKENS("if x:\n\tif y:\n\t\tz\n\tw\n",
                 "NAME:if NAME:x OP:: NEWLINE INDENT NAME:if NAME:y OP:: NEWLINE INDENT NAME:z NEWLINE DEDENT "
                 "NAME:w NEWLINE DEDENT END");
    /* a tab and spaces reaching beyond it are consistent in both readings */
    CHECK_TOKENS("if x:\n\ty\n\tif z:\n\t    w\n",
                 "NAME:if NAME:x OP:: NEWLINE INDENT NAME:y NEWLINE NAME:if NAME:z OP:: NEWLINE INDENT NAME:w "
                 "NEWLINE DEDENT DEDENT END");
    /* eight spaces and one tab are the same column but not the same with tab size 1 */
    CHECK_LEX_ERROR("if x:\n        y\n\tz\n", "3:2: inconsistent use of tabs and spaces in indentation");
    CHECK_LEX_ERROR("if x:\n    \ty\n\t    z\n", "3:6: inconsistent use of tabs and spaces in indentation");
}

TEST(lex_form_feed) {
    CHECK_TOKENS("\fx = 1\n", "NAME:x OP:= NUMBER:1 NEWLINE END");
    /* a form feed resets the indentation count */
    CHECK_TOKENS("if x:\n    y\n    \fz\n", "NAME:if NAME:x OP:: NEWLINE INDENT NAME:y NEWLINE DEDENT NAME:z NEWLINE END");
    CHECK_TOKENS("a \f b\n", "NAME:a NAME:b NEWLINE END");
}

TEST(lex_line_endings_and_bom) {
    CHECK_TOKENS("x = 1\r\nif y:\r\n    z\r\n", "NAME:x OP:= NUMBER:1 NEWLINE NAME:if NAME:y OP:: NEWLINE INDENT NAME:z "
                 "NEWLINE DEDENT END");
    CHECK_POSITIONS("a\r\nb\rc\n", "1:1 1:2 2:1 2:2 3:1 3:2 4:1");
    CHECK_TOKENS("\xEF\xBB\xBFx = 1\n", "NAME:x OP:= NUMBER:1 NEWLINE END");
    CHECK_POSITIONS("\xEF\xBB\xBFx\n", "1:1 1:2 2:1");
    /* a CRLF inside a triple-quoted string reads as "\n" */
    arena a;
    arena_init(&a);
    const token *t = first_token(&a, "'''a\r\nb'''\r\n");
    REQUIRE(t);
    CHECK_STR(t->str_value, "a\nb");
    arena_free(&a);
}

TEST(lex_unicode_identifiers) {
    CHECK_TOKENS("h\xC3\xA9llo = \xCF\x80\n", "NAME:h\xC3\xA9llo OP:= NAME:\xCF\x80 NEWLINE END");
    /* columns count code points, not bytes */
    CHECK_POSITIONS("h\xC3\xA9llo = \xCF\x80 + \xE5\x90\x8D\n", "1:1 1:7 1:9 1:11 1:13 1:14 2:1");
    CHECK_TOKENS("_x1 = __init__\n", "NAME:_x1 OP:= NAME:__init__ NEWLINE END");
    CHECK_LEX_ERROR("\xC3\xA9 = $\n", "1:5: invalid character '$'");
}

TEST(lex_keywords) {
    arena a;
    arena_init(&a);
    diag d = {0};
    token_list tl;
    const char *src = "if else lambda None True False await match case _ type print\n";
    REQUIRE(lex_python(&a, "t.py", src, strlen(src), &tl, &d));
    bool expected[] = {true, true, true, true, true, true, true, false, false, false, false, false};
    for (int i = 0; i < 12; i++) CHECK(tok_is_keyword(&tl.items[i]) == expected[i]);
    CHECK(tok_is(&tl.items[0], TOK_NAME, "if"));
    CHECK(!tok_is(&tl.items[0], TOK_OP, "if"));
    CHECK(!tok_is(&tl.items[0], TOK_NAME, "else"));
    CHECK_STR(tok_kind_name(TOK_END), "END");
    CHECK_STR(tok_kind_name(TOK_NEWLINE), "NEWLINE");
    CHECK_STR(tok_kind_name(TOK_INDENT), "INDENT");
    CHECK_STR(tok_kind_name(TOK_DEDENT), "DEDENT");
    CHECK_STR(tok_kind_name(TOK_NAME), "NAME");
    CHECK_STR(tok_kind_name(TOK_NUMBER), "NUMBER");
    CHECK_STR(tok_kind_name(TOK_STRING), "STRING");
    CHECK_STR(tok_kind_name(TOK_OP), "OP");
    arena_free(&a);
}

TEST(lex_operators) {
    CHECK_TOKENS("a **= b //= c >>= d <<= e -> f := g ... h @ i @= j != k\n",
                 "NAME:a OP:**= NAME:b OP://= NAME:c OP:>>= NAME:d OP:<<= NAME:e OP:-> NAME:f OP::= NAME:g OP:... "
                 "NAME:h OP:@ NAME:i OP:@= NAME:j OP:!= NAME:k NEWLINE END");
    CHECK_TOKENS("+ - * / % ** // << >> & | ^ ~ < > <= >= == = . , : ; += -= *= /= %= &= |= ^=\n",
                 "OP:+ OP:- OP:* OP:/ OP:% OP:** OP:// OP:<< OP:>> OP:& OP:| OP:^ OP:~ OP:< OP:> OP:<= OP:>= "
                 "OP:== OP:= OP:. OP:, OP:: OP:; OP:+= OP:-= OP:*= OP:/= OP:%= OP:&= OP:|= OP:^= NEWLINE END");
    CHECK_TOKENS("( ) [ ] { }\n", "OP:( OP:) OP:[ OP:] OP:{ OP:} NEWLINE END");
    CHECK_TOKENS("a....b\n", "NAME:a OP:... OP:. NAME:b NEWLINE END");
    CHECK_TOKENS("x.y\n", "NAME:x OP:. NAME:y NEWLINE END");
    CHECK_TOKENS("a<-b\n", "NAME:a OP:< OP:- NAME:b NEWLINE END");
    CHECK_TOKENS("a***b\n", "NAME:a OP:** OP:* NAME:b NEWLINE END");
}

TEST(lex_numbers) {
    CHECK_TOKENS("0 00 0_0 7 1_000 0x1F 0XdeadBEEF 0x_1f 0o17 0O7_7 0b1010 0B_1\n",
                 "NUMBER:0 NUMBER:00 NUMBER:0_0 NUMBER:7 NUMBER:1_000 NUMBER:0x1F NUMBER:0XdeadBEEF NUMBER:0x_1f "
                 "NUMBER:0o17 NUMBER:0O7_7 NUMBER:0b1010 NUMBER:0B_1 NEWLINE END");
    CHECK_TOKENS("1. .5 1e-5 1_000.0_1 1E+3 1.e5 09.5 0e0 00.0\n",
                 "NUMBER:1. NUMBER:.5 NUMBER:1e-5 NUMBER:1_000.0_1 NUMBER:1E+3 NUMBER:1.e5 NUMBER:09.5 NUMBER:0e0 "
                 "NUMBER:00.0 NEWLINE END");
    CHECK_TOKENS("1j 1.5J 1e3j 09j .5j\n", "NUMBER:1j NUMBER:1.5J NUMBER:1e3j NUMBER:09j NUMBER:.5j NEWLINE END");
    /* a number directly followed by some keywords is accepted, as by CPython */
    CHECK_TOKENS("1if x else 2\n", "NUMBER:1 NAME:if NAME:x NAME:else NUMBER:2 NEWLINE END");
    CHECK_TOKENS("[0x1for x in y]\n", "OP:[ NUMBER:0x1f NAME:or NAME:x NAME:in NAME:y OP:] NEWLINE END");
    CHECK_TOKENS("1 .real\n", "NUMBER:1 OP:. NAME:real NEWLINE END");
    CHECK_TOKENS("1..2\n", "NUMBER:1. NUMBER:.2 NEWLINE END");
}

TEST(lex_number_values) {
    struct { const char *src; num_kind kind; int64_t ival; double fval; bool overflow; } cases[] = {
        {"0", NUM_INT, 0, 0, false},
        {"1_000", NUM_INT, 1000, 1000, false},
        {"0x1F", NUM_INT, 31, 31, false},
        {"0o17", NUM_INT, 15, 15, false},
        {"0b1010", NUM_INT, 10, 10, false},
        {"9223372036854775807", NUM_INT, INT64_MAX, 9223372036854775807.0, false},
        {"9223372036854775808", NUM_INT, INT64_MIN, 9223372036854775808.0, true},
        {"0xFFFFFFFFFFFFFFFF", NUM_INT, -1, 18446744073709551615.0, true},
        {"1.5", NUM_FLOAT, 0, 1.5, false},
        {"1e-5", NUM_FLOAT, 0, 1e-5, false},
        {"1_000.0_1", NUM_FLOAT, 0, 1000.01, false},
        {".5", NUM_FLOAT, 0, 0.5, false},
        {"1E+3", NUM_FLOAT, 0, 1000.0, false},
        {"2.5j", NUM_IMAG, 0, 2.5, false},
        {"3J", NUM_IMAG, 0, 3, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        arena a;
        arena_init(&a);
        const token *t = first_token(&a, cases[i].src);
        CHECK(t && t->kind == TOK_NUMBER);
        if (t) {
            CHECK(t->num == cases[i].kind);
            CHECK(t->int_overflow == cases[i].overflow);
            if (cases[i].kind == NUM_INT) CHECK(t->ival == cases[i].ival);
            CHECK_NEAR(t->fval, cases[i].fval, 1e-9 * (cases[i].fval > 1 ? cases[i].fval : 1));
        }
        arena_free(&a);
    }
    arena a;
    arena_init(&a);
    const token *t = first_token(&a, "123456789012345678901234567890");
    REQUIRE(t);
    CHECK(t->int_overflow);
    CHECK_NEAR(t->fval, 1.2345678901234568e29, 1e14);
    arena_free(&a);
}

TEST(lex_string_prefixes) {
    static const struct { const char *src; bool raw, bytes, f; } cases[] = {
        {"'a'", false, false, false}, {"\"a\"", false, false, false},
        {"r'a'", true, false, false}, {"R'a'", true, false, false},
        {"u'a'", false, false, false}, {"U\"a\"", false, false, false},
        {"b'a'", false, true, false}, {"B'a'", false, true, false},
        {"br'a'", true, true, false}, {"Br'a'", true, true, false}, {"bR'a'", true, true, false},
        {"BR'a'", true, true, false}, {"rb'a'", true, true, false}, {"Rb'a'", true, true, false},
        {"rB'a'", true, true, false}, {"RB'a'", true, true, false},
        {"f'a'", false, false, true}, {"F'a'", false, false, true},
        {"fr'a'", true, false, true}, {"Fr'a'", true, false, true}, {"fR'a'", true, false, true},
        {"FR'a'", true, false, true}, {"rf'a'", true, false, true}, {"rF'a'", true, false, true},
        {"Rf'a'", true, false, true}, {"RF'a'", true, false, true},
        {"f'''a'''", false, false, true}, {"rb\"\"\"a\"\"\"", true, true, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        arena a;
        arena_init(&a);
        const token *t = first_token(&a, cases[i].src);
        CHECK(t && t->kind == TOK_STRING);
        if (t && t->kind == TOK_STRING) {
            CHECK_STR(t->text, cases[i].src);
            CHECK_STR(t->str_value, "a");
            if (t->is_raw != cases[i].raw || t->is_bytes != cases[i].bytes || t->is_fstring != cases[i].f)
                printf("    prefix flags wrong for %s\n", cases[i].src);
            CHECK(t->is_raw == cases[i].raw);
            CHECK(t->is_bytes == cases[i].bytes);
            CHECK(t->is_fstring == cases[i].f);
        }
        arena_free(&a);
    }
    /* not prefixes: the name and the string are separate tokens */
    CHECK_TOKENS("ur'a' bu'a' x'a'\n", "NAME:ur STRING:'a' NAME:bu STRING:'a' NAME:x STRING:'a' NEWLINE END");
}

/* The decoded value of the first (string) token of src. */
static char *string_value(const char *src) {
    arena a;
    arena_init(&a);
    const token *t = first_token(&a, src);
    char *out = strdup(t && t->kind == TOK_STRING ? t->str_value : "(not a string)");
    arena_free(&a);
    return out;
}

#define CHECK_STRING_VALUE(src, expected)        \
    do {                                         \
        char *got_ = string_value(src);          \
        CHECK_STR(got_, expected);               \
        free(got_);                              \
    } while (0)

TEST(lex_string_escapes) {
    CHECK_STRING_VALUE("'a\\nb\\tc'", "a\nb\tc");
    CHECK_STRING_VALUE("'\\\\ \\' \\\"'", "\\ ' \"");
    CHECK_STRING_VALUE("\"\\a\\b\\f\\v\\r\"", "\a\b\f\v\r");
    CHECK_STRING_VALUE("'\\x41\\101\\7'", "AA\a");
    CHECK_STRING_VALUE("'\\u00e9\\U0001F600'", "\xC3\xA9\xF0\x9F\x98\x80");
    CHECK_STRING_VALUE("'\\N{BULLET}'", "\\N{BULLET}");            /* kept literally */
    CHECK_STRING_VALUE("'\\d\\q'", "\\d\\q");                      /* unknown escapes kept */
    CHECK_STRING_VALUE("'\\xZZ'", "\\xZZ");                        /* malformed: kept */
    CHECK_STRING_VALUE("'ab\\\ncd'", "abcd");                      /* line continuation */
    CHECK_STRING_VALUE("'''line1\nline2'''", "line1\nline2");
    CHECK_STRING_VALUE("\"it's\"", "it's");
    CHECK_STRING_VALUE("''", "");
    CHECK_STRING_VALUE("''''''", "");
    CHECK_STRING_VALUE("'''a''b'''", "a''b");
    CHECK_STRING_VALUE("\"\"\"a\"\"b\\\"\"\"\"", "a\"\"b\"");
    /* raw strings keep backslashes; an escaped quote does not end them */
    CHECK_STRING_VALUE("r'\\n'", "\\n");
    CHECK_STRING_VALUE("r'\\''", "\\'");
    CHECK_STRING_VALUE("r'C:\\path\\\\'", "C:\\path\\\\");
    CHECK_LEX_ERROR("r'C:\\path\\'", "1:2: unterminated string literal");
    /* bytes and f-strings keep their source text */
    CHECK_STRING_VALUE("b'\\x00\\n'", "\\x00\\n");
    CHECK_STRING_VALUE("f'{x}\\n'", "{x}\\n");
}

TEST(lex_fstrings) {
    CHECK_STRING_VALUE("f\"{x!r:>{width}}\"", "{x!r:>{width}}");
    CHECK_STRING_VALUE("f'{a[\"b\"]} and {c}'", "{a[\"b\"]} and {c}");
    CHECK_STRING_VALUE("f\"{{literal}} {x}\"", "{{literal}} {x}");
    CHECK_STRING_VALUE("f\"{x:{'>'}10}\"", "{x:{'>'}10}");
    CHECK_STRING_VALUE("f\"{f'{x}'}\"", "{f'{x}'}");
    CHECK_STRING_VALUE("f\"{'}'}\"", "{'}'}");                          /* a brace inside a nested string */
    CHECK_STRING_VALUE("f\"{d['k']:>{w}.{p}f} {x=}\"", "{d['k']:>{w}.{p}f} {x=}");
    CHECK_STRING_VALUE("f'{a!=b}'", "{a!=b}");
    CHECK_STRING_VALUE("f'{ {1: 2}[1] }'", "{ {1: 2}[1] }");           /* a dict inside a field */
    CHECK_STRING_VALUE("f'{x:%H:%M}'", "{x:%H:%M}");
    CHECK_STRING_VALUE("f'{\"a\" if x else \"b\"}'", "{\"a\" if x else \"b\"}");
    CHECK_STRING_VALUE("f\"{x[\"k\"]}\"", "{x[\"k\"]}");                 /* PEP 701: same quotes nested */
    CHECK_STRING_VALUE("f\"\"\"{x\n+ y}\n\"\"\"", "{x\n+ y}\n");           /* multi-line field */
    CHECK_STRING_VALUE("rf'\\d{x}'", "\\d{x}");
    /* the tokens after an f-string are where they should be */
    CHECK_TOKENS("f'{a}' + f\"{b['c']}\"\n", "STRING:f'{a}' OP:+ STRING:f\"{b['c']}\" NEWLINE END");
    CHECK_POSITIONS("x = f'''{a\n}''' + y\n", "1:1 1:3 1:5 2:6 2:8 2:9 3:1");
}

TEST(lex_adjacent_strings_are_separate_tokens) {
    CHECK_TOKENS("x = 'a' \"b\" r'c' f'{d}'\n", "NAME:x OP:= STRING:'a' STRING:\"b\" STRING:r'c' STRING:f'{d}' NEWLINE END");
    CHECK_TOKENS("('a'\n 'b')\n", "OP:( STRING:'a' STRING:'b' OP:) NEWLINE END");
}

TEST(lex_triple_quoted_positions) {
    /* the token after a multi-line string is on the right line and column */
    CHECK_POSITIONS("x = '''a\nbc''' + y\nz\n", "1:1 1:3 1:5 2:7 2:9 2:10 3:1 3:2 4:1");
    CHECK_POSITIONS("s = 'a\\\nb' ; t\n", "1:1 1:3 1:5 2:4 2:6 2:7 3:1");
}

TEST(lex_errors_strings) {
    CHECK_LEX_ERROR("x = 'abc\n", "1:5: unterminated string literal");
    CHECK_LEX_ERROR("x = \"abc", "1:5: unterminated string literal");
    CHECK_LEX_ERROR("x = rb'abc\n", "1:7: unterminated string literal");
    CHECK_LEX_ERROR("x = 1\ny = '''abc\n\ndef\n", "2:5: unterminated triple-quoted string literal");
    CHECK_LEX_ERROR("x = \"\"\"abc\"\"\n", "1:5: unterminated triple-quoted string literal");
    CHECK_LEX_ERROR("x = 'abc\\", "1:5: unterminated string literal");
    CHECK_LEX_ERROR("x = f'{a\n", "1:6: unterminated string literal");
    CHECK_LEX_ERROR("x = f'{a:>10\n", "1:6: unterminated string literal");
    CHECK_LEX_ERROR("x = f'{a}'+ f'{b[\"c]}'\n", "1:18: unterminated string literal");  /* the nested one */
    CHECK_LEX_ERROR("x = f'''{a\n", "1:6: unterminated triple-quoted string literal");
    CHECK_LEX_ERROR("\xC3\xA9 = 'abc\n", "1:5: unterminated string literal");
}

TEST(lex_errors_indentation) {
    CHECK_LEX_ERROR("if x:\n    y\n  z\n", "3:3: unindent does not match any outer indentation level");
    CHECK_LEX_ERROR("if x:\n    if y:\n        z\n      w\n", "4:7: unindent does not match any outer indentation level");
}

TEST(lex_errors_brackets) {
    CHECK_LEX_ERROR("x = (1,\n", "1:5: '(' was never closed");
    CHECK_LEX_ERROR("x = (1, [2\n", "1:9: '[' was never closed");
    CHECK_LEX_ERROR("x = {\n  'a': (1,\n  2\n", "2:8: '(' was never closed");
    CHECK_LEX_ERROR("x = 1)\n", "1:6: unmatched ')'");
    CHECK_LEX_ERROR("x = ]\n", "1:5: unmatched ']'");
    CHECK_LEX_ERROR("}\n", "1:1: unmatched '}'");
    CHECK_LEX_ERROR("x = (1]\n", "1:7: closing parenthesis ']' does not match opening parenthesis '('");
    CHECK_LEX_ERROR("x = [1,\n  2)\n", "2:4: closing parenthesis ')' does not match opening parenthesis '[' on line 1");
}

TEST(lex_errors_characters) {
    CHECK_LEX_ERROR("x = $\n", "1:5: invalid character '$'");
    CHECK_LEX_ERROR("x = a ? b\n", "1:7: invalid character '?'");
    CHECK_LEX_ERROR("x = `a`\n", "1:5: invalid character '`'");
    CHECK_LEX_ERROR("x = !a\n", "1:5: invalid character '!'");
    CHECK_LEX_ERROR("x = 1\x01\n", "1:6: invalid character U+0001");
    CHECK_LEX_ERROR("x = 1\v\n", "1:6: invalid character U+000B");
    CHECK_LEX_ERROR("x = 1 <> 2\n", "1:7: '<>' is not a Python 3 operator; use '!='");
    CHECK_LEX_ERROR("x = 1 \\ y\n", "1:7: unexpected character after line continuation character");
    CHECK_LEX_ERROR("x = 1 \\", "1:7: unexpected end of file after line continuation character");
    CHECK_LEX_ERROR("x = 1 + \\\n", "1:9: unexpected end of file after line continuation character");
    arena a;
    arena_init(&a);
    diag d = {0};
    token_list tl;
    const char src[] = "x = 1\ny = '\0'\n";
    CHECK(!lex_python(&a, "t.py", src, sizeof src - 1, &tl, &d));
    CHECK(d.line == 2 && d.col == 6);
    CHECK_STR(d.message, "source code cannot contain null bytes");
    CHECK_STR(d.file, "t.py");
    CHECK(d.kind == DIAG_ERROR);
    arena_free(&a);
}

TEST(lex_errors_numbers) {
    CHECK_LEX_ERROR("x = 0x\n", "1:7: invalid hexadecimal literal");
    CHECK_LEX_ERROR("x = 0xg\n", "1:7: invalid hexadecimal literal");
    CHECK_LEX_ERROR("x = 0x1g\n", "1:8: invalid hexadecimal literal");
    CHECK_LEX_ERROR("x = 0o\n", "1:7: invalid octal literal");
    CHECK_LEX_ERROR("x = 0b\n", "1:7: invalid binary literal");
    CHECK_LEX_ERROR("x = 0o8\n", "1:7: invalid digit '8' in octal literal");
    CHECK_LEX_ERROR("x = 0o1_9\n", "1:9: invalid digit '9' in octal literal");
    CHECK_LEX_ERROR("x = 0b102\n", "1:9: invalid digit '2' in binary literal");
    CHECK_LEX_ERROR("x = 0x_\n", "1:7: invalid hexadecimal literal");
    CHECK_LEX_ERROR("x = 0x1__2\n", "1:8: invalid hexadecimal literal");
    CHECK_LEX_ERROR("x = 1__0\n", "1:6: invalid decimal literal");
    CHECK_LEX_ERROR("x = 1_\n", "1:6: invalid decimal literal");
    CHECK_LEX_ERROR("x = 1_.5\n", "1:6: invalid decimal literal");
    CHECK_LEX_ERROR("x = 1._5\n", "1:7: invalid decimal literal");
    CHECK_LEX_ERROR("x = 1.5_\n", "1:8: invalid decimal literal");
    CHECK_LEX_ERROR("x = 1e\n", "1:6: invalid decimal literal");
    CHECK_LEX_ERROR("x = 1e+\n", "1:6: invalid decimal literal");
    CHECK_LEX_ERROR("x = 1e_5\n", "1:6: invalid decimal literal");
    CHECK_LEX_ERROR("x = 1abc\n", "1:6: invalid decimal literal");
    CHECK_LEX_ERROR("x = 1jx\n", "1:7: invalid imaginary literal");
    CHECK_LEX_ERROR("x = 09\n",
                    "1:5: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
    CHECK_LEX_ERROR("x = 0_7\n",
                    "1:5: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
    CHECK_LEX_ERROR("x = 1\ny = 2 + 3e\n", "2:10: invalid decimal literal");
}

TEST(lex_deep_brackets_and_long_input) {
    /* the lexer is iterative: deep nesting is not its concern */
    size_t depth = 5000;
    char *src = malloc(depth * 2 + 4);
    REQUIRE(src);
    memset(src, '(', depth);
    src[depth] = 'x';
    memset(src + depth + 1, ')', depth);
    strcpy(src + 2 * depth + 1, "\n");
    arena a;
    arena_init(&a);
    diag d = {0};
    token_list tl;
    CHECK(lex_python(&a, "t.py", src, strlen(src), &tl, &d));
    CHECK(tl.len == 2 * depth + 3);
    free(src);
    /* a very long line of tokens */
    strbuf sb;
    strbuf_init(&sb);
    for (int i = 0; i < 20000; i++) strbuf_append(&sb, "a+");
    strbuf_append(&sb, "a\n");
    CHECK(lex_python(&a, "t.py", sb.data, sb.len, &tl, &d));
    CHECK(tl.len == 40003);
    CHECK(tl.items[40000].col == 40001);
    strbuf_free(&sb);
    arena_free(&a);
}

TEST(lex_every_prefix_of_a_tricky_source) {
    /* every truncation of a source mixing all forms lexes or fails cleanly (run under ASan) */
    const char *src =
        "import triton.language as tl\n"
        "@triton.jit(do_not_specialize=['eps'])\n"
        "def k(x_ptr, n: tl.constexpr = 0x1_F, *a, **kw) -> None:\n"
        "\tif n > 1.5e-3j and not x_ptr is None:  # comment\n"
        "\t\ty = f\"{x!r:>{n}} {'q'} {{}}\" + rb'\\x00' + '''tri\r\nple''' \\\n"
        "\t\t    + u'\\N{DASH}\\u00e9'\n"
        "\telse: z = [1, (2, {3: 4})]; w @= .5\n"
        "\f\xC3\xA9 = 0o17 | 0b1 ^ ~1 // 2 ** -3 >> 1 ... \n";
    size_t n = strlen(src);
    int ok = 0;
    for (size_t len = 0; len <= n; len++) {
        arena a;
        arena_init(&a);
        diag d = {0};
        token_list tl;
        char *copy = malloc(len + 1);
        memcpy(copy, src, len);
        copy[len] = 0;
        if (lex_python(&a, "t.py", copy, len, &tl, &d)) {
            ok++;
            CHECK(tl.len > 0 && tl.items[tl.len - 1].kind == TOK_END);
        } else {
            CHECK(d.line >= 1 && d.col >= 1 && d.message[0]);
        }
        free(copy);
        arena_free(&a);
    }
    CHECK(ok > 10);
}
