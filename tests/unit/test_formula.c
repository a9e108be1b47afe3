/* Unit tests of the formula language: parsing of every construct and precedence level, every
 * error with its exact position, the canonical text printer (fixed point, round trip), the
 * LaTeX and PyTorch printers, and numeric evaluation (softmax, layer_norm, cumsum, argmax
 * ties, matmul, empty ranges, cross-output references, cycles, unknown names, index counts),
 * plus a robustness loop over every prefix of a long formula text. */
#include "test.h"
#include "formula/formula.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------------------------ */

/* Every formula the suites use; each must parse, print and evaluate. */
static const char *const suite_formulas[] = {
    "y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))",
    "y[i,j,l] = x[i,j,l] - log(sum(k in 0..N: exp(x[i,k,l])))",
    "mean[i] = sum(k in 0..N: x[i,k]) / N",
    "rstd[i] = 1 / sqrt(sum(k in 0..N: (x[i,k] - mean[i])^2) / N + eps)",
    "y[i,j] = (x[i,j] - mean[i]) * rstd[i] * w[j] + b[j]",
    "y[i,j] = x[i,j] / sqrt(sum(k in 0..N: x[i,k]^2) / N + eps) * w[j]",
    "C[i,j] = sum(k in 0..K: A[i,k] * B[k,j])",
    "C[b,i,j] = sum(k in 0..K: A[b,i,k] * B[b,k,j])",
    "out[i,j] = beta * bias[j] + alpha * sum(k in 0..K: A[i,k] * B[k,j])",
    "y[i] = sum(k in 0..i+1: x[k])",
    "out = sqrt(sum(k in 0..n: x[k]^2))",
    "out[i] = max(k in 0..N: x[i,k]); idx[i] = argmax(k in 0..N: x[i,k])",
    "var[i] = sum(k in 0..N: (x[i,k] - mean[i])^2) / (N - correction)",
    "y[i] = 0.5 * x[i] * (1 + erf(x[i] / sqrt(2)))",
    "y[i] = 0.5 * x[i] * (1 + tanh(sqrt(2 / 3.141592653589793) * (x[i] + 0.044715 * x[i]^3)))",
    "y[i] = where(x[i] > 0, x[i], 0)",
    "y[i] = x[i] * sigmoid(x[i])",
    "y[i] = pow(x[i], e)",
    "y[n,c,s] = (x[n,c,s] - mean[n, c // CG]) * rstd[n, c // CG] * w[c] + b[c]",
    "mean[n,g] = sum(k in 0..CG: sum(s in 0..HW: x[n, g*CG + k, s])) / (CG * HW)",
    "y[i] = x[i] - max(k in 0..N: x[k])   # max with a binder is a reduction",
    "z[i] = max(x[i], y[i])                # two arguments: binary",
};

static formula *parse_ok(arena *a, const char *text) {
    diag err = {0};
    formula *f = formula_parse(a, "t.yaml", 1, 1, text, &err);
    if (!f) {
        char msg[600];
        diag_format(&err, msg, sizeof msg);
        printf("    unexpected parse error for \"%s\": %s\n", text, msg);
    }
    return f;
}

/* The canonical text of text's formula, in a static buffer ("<error>" when it fails). */
static const char *canon(const char *text) {
    static char buf[4096];
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, text);
    strbuf out;
    strbuf_init(&out);
    if (f) formula_print_text(f, &out);
    snprintf(buf, sizeof buf, "%s", f ? strbuf_cstr(&out) : "<error>");
    strbuf_free(&out);
    arena_free(&a);
    return buf;
}

/* The error message "file:line:col: message" of parsing text at line 1 col 1. */
static const char *parse_error_at(const char *text, int line, int col) {
    static char buf[600];
    arena a;
    arena_init(&a);
    diag err = {0};
    formula *f = formula_parse(&a, "t.yaml", line, col, text, &err);
    if (f) snprintf(buf, sizeof buf, "<parsed>");
    else diag_format(&err, buf, sizeof buf);
    arena_free(&a);
    return buf;
}
static const char *parse_error(const char *text) { return parse_error_at(text, 1, 1); }

/* ---- parsing --------------------------------------------------------------------------- */

TEST(formula_parse_structure) {
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, "y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))");
    REQUIRE(f && f->n_eqs == 1);
    const fequation *eq = &f->eqs[0];
    CHECK_STR(eq->output, "y");
    CHECK(eq->n_indices == 2);
    CHECK_STR(eq->indices[0], "i");
    CHECK_STR(eq->indices[1], "j");
    CHECK(eq->line == 1 && eq->col == 1);
    const fexpr *r = eq->rhs;
    REQUIRE(r->kind == FX_BINOP && r->op == '/');
    CHECK(r->args[0]->kind == FX_CALL);
    CHECK_STR(r->args[0]->name, "exp");
    CHECK(r->args[0]->args[0]->kind == FX_ACCESS && r->args[0]->args[0]->n_args == 2);
    const fexpr *s = r->args[1];
    REQUIRE(s->kind == FX_REDUCE && s->n_args == 3);
    CHECK_STR(s->name, "sum");
    CHECK_STR(s->var, "k");
    CHECK(s->args[0]->kind == FX_NUM && s->args[0]->num == 0);
    CHECK(s->args[1]->kind == FX_NAME);
    CHECK_STR(s->args[1]->name, "N");
    CHECK(s->line == 1 && s->col == 24);
    CHECK(formula_find(f, "y") == eq);
    CHECK(formula_find(f, "z") == NULL);
    CHECK(f->file && strcmp(f->file, "t.yaml") == 0);
    arena_free(&a);
}

TEST(formula_parse_numbers) {
    arena a;
    arena_init(&a);
    const char *texts[] = {"y = 12", "y = 1.5", "y = 1e-5", "y = 1.0E+3", "y = inf", "y = .25", "y = 2.", "y = 3e2"};
    double values[] = {12, 1.5, 1e-5, 1000, INFINITY, 0.25, 2, 300};
    for (int i = 0; i < 8; i++) {
        formula *f = parse_ok(&a, texts[i]);
        REQUIRE(f);
        CHECK(f->eqs[0].rhs->kind == FX_NUM && f->eqs[0].rhs->num == values[i]);
    }
    /* '..' is never a decimal point */
    formula *f = parse_ok(&a, "y[i] = sum(k in 0..N: x[k]) + sum(k in 1..N-1: x[k]) + sum(k in 0..i+1: x[k]) + sum(k in 2..3: k)");
    REQUIRE(f);
    const fexpr *e = f->eqs[0].rhs;   /* ((s1 + s2) + s3) + s4 */
    const fexpr *s4 = e->args[1], *s3 = e->args[0]->args[1], *s2 = e->args[0]->args[0]->args[1];
    CHECK(s4->args[0]->num == 2 && s4->args[1]->num == 3);
    CHECK(s3->args[1]->kind == FX_BINOP && s3->args[1]->op == '+');
    CHECK(s2->args[0]->num == 1 && s2->args[1]->kind == FX_BINOP && s2->args[1]->op == '-');
    /* 2e is 2 followed by the name e: an error, not a malformed number */
    CHECK_STR(parse_error("y = 2e"), "t.yaml:1:6: expected an operator or the end of the equation, found 'e'");
    arena_free(&a);
}

TEST(formula_parse_precedence) {
    /* the canonical text shows the grouping: parentheses appear exactly where needed */
    CHECK_STR(canon("y = a + b * c"), "y = a + b * c");
    CHECK_STR(canon("y = (a + b) * c"), "y = (a + b) * c");
    CHECK_STR(canon("y = a - (b - c)"), "y = a - (b - c)");
    CHECK_STR(canon("y = (a - b) - c"), "y = a - b - c");
    CHECK_STR(canon("y = a / (b * c)"), "y = a / (b * c)");
    CHECK_STR(canon("y = -x^2"), "y = -x ^ 2");
    CHECK_STR(canon("y = (-x)^2"), "y = (-x) ^ 2");
    CHECK_STR(canon("y = a^b^c"), "y = a ^ b ^ c");
    CHECK_STR(canon("y = (a^b)^c"), "y = (a ^ b) ^ c");
    CHECK_STR(canon("y = 2^-k"), "y = 2 ^ -k");
    CHECK_STR(canon("y = - -x"), "y = - -x");
    CHECK_STR(canon("y = -(a + b)"), "y = -(a + b)");
    CHECK_STR(canon("y = a * -b"), "y = a * -b");
    CHECK_STR(canon("y = c // G % 2"), "y = c // G % 2");
    CHECK_STR(canon("y = c // (G % 2)"), "y = c // (G % 2)");
    CHECK_STR(canon("y = a < b + 1"), "y = a < b + 1");
    CHECK_STR(canon("y = (a < b) == (c >= d)"), "y = (a < b) == (c >= d)");
    CHECK_STR(canon("y = not a < b and c != d or e <= f"), "y = not a < b and c != d or e <= f");
    CHECK_STR(canon("y = not (a and b)"), "y = not (a and b)");
    CHECK_STR(canon("y = a or (b or c)"), "y = a or (b or c)");
    CHECK_STR(canon("y = (a or b) and c"), "y = (a or b) and c");
    CHECK_STR(canon("y = 2 * where(c > 0, a, b)"), "y = 2 * where(c > 0, a, b)");
    CHECK_STR(canon("y = (a < b) + 1"), "y = (a < b) + 1");
    CHECK_STR(canon("y = -inf"), "y = -inf");

    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, "y = -x^2");
    REQUIRE(f);
    CHECK(f->eqs[0].rhs->kind == FX_NEG && f->eqs[0].rhs->args[0]->kind == FX_BINOP);
    f = parse_ok(&a, "y = a^b^c");
    REQUIRE(f);
    CHECK(f->eqs[0].rhs->args[1]->kind == FX_BINOP && f->eqs[0].rhs->args[0]->kind == FX_NAME);
    f = parse_ok(&a, "y = a <= b");
    REQUIRE(f);
    CHECK(f->eqs[0].rhs->kind == FX_CMP && f->eqs[0].rhs->op == FC_LE);
    f = parse_ok(&a, "y = c // 2");
    REQUIRE(f);
    CHECK(f->eqs[0].rhs->kind == FX_BINOP && f->eqs[0].rhs->op == FOP_FLOORDIV);
    arena_free(&a);
}

TEST(formula_parse_constructs) {
    CHECK_STR(canon("y[i] = max(k in 0..N: x[k])"), "y[i] = max(k in 0..N: x[k])");
    CHECK_STR(canon("z[i] = max(x[i], y[i])"), "z[i] = max(x[i], y[i])");
    CHECK_STR(canon("z[i] = min(k in 1..N-1: x[k]) + argmin(k in 0..N: x[k]) + prod(k in 0..3: x[k])"),
              "z[i] = min(k in 1..N-1: x[k]) + argmin(k in 0..N: x[k]) + prod(k in 0..3: x[k])");
    CHECK_STR(canon("y = exp2(a) + log2(b) + rsqrt(c) + abs(d) + sin(e) + cos(f) + pow(g, 2)"),
              "y = exp2(a) + log2(b) + rsqrt(c) + abs(d) + sin(e) + cos(f) + pow(g, 2)");
    CHECK_STR(canon("y[n,c] = x[n, c // CG]"), "y[n,c] = x[n, c // CG]");
    CHECK_STR(canon("y[i] = sum(k in 0 .. i + 1 : x[k])"), "y[i] = sum(k in 0..i+1: x[k])");
    /* functions are functions only before '(': a tensor may be called max */
    CHECK_STR(canon("y[i] = max[i] + exp"), "y[i] = max[i] + exp");
    /* separators: newlines, ';', blank lines, comments; continuation inside brackets */
    CHECK_STR(canon("\n# softmax\n\nm[i] = max(k in 0..N:\n    x[i,k])   # row max\n\ny[i,j] = exp(x[i,j] -\n  m[i]); z = 1;\n"),
              "m[i] = max(k in 0..N: x[i,k])\ny[i,j] = exp(x[i,j] - m[i])\nz = 1");
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, "a = 1; b = 2\n\n c[i] = 3");
    REQUIRE(f);
    CHECK(f->n_eqs == 3);
    CHECK(f->eqs[2].line == 3 && f->eqs[2].col == 2);
    CHECK(f->eqs[0].n_indices == 0 && f->eqs[0].indices == NULL);
    arena_free(&a);
}

TEST(formula_parse_all_suite_formulas) {
    arena a;
    arena_init(&a);
    for (size_t i = 0; i < sizeof suite_formulas / sizeof *suite_formulas; i++) {
        formula *f = parse_ok(&a, suite_formulas[i]);
        CHECK(f != NULL);
    }
    arena_free(&a);
}

TEST(formula_parse_errors) {
    CHECK_STR(parse_error("y[i] = sum(k in 0..N x[k])"), "t.yaml:1:22: expected ':' after the range of sum");
    CHECK_STR(parse_error("y[i] = sum(k in 0 N: x[k])"), "t.yaml:1:19: expected '..' in the range of sum, found 'N'");
    CHECK_STR(parse_error("y[i] = sum(k in 0..N: x[k]"), "t.yaml:1:27: expected ')' to close sum, found end of input");
    CHECK_STR(parse_error("y[i] = foo(x[i])"), "t.yaml:1:8: unknown function 'foo'");
    CHECK_STR(parse_error("y = 1\ny = 2"), "t.yaml:2:1: duplicate equation for 'y'");
    CHECK_STR(parse_error("y = max(a)"), "t.yaml:1:5: 'max' takes 2 arguments or a binder");
    CHECK_STR(parse_error("y = min(a, b, c)"), "t.yaml:1:5: 'min' takes 2 arguments or a binder");
    CHECK_STR(parse_error("y = exp(a, b)"), "t.yaml:1:5: 'exp' takes 1 argument");
    CHECK_STR(parse_error("y = pow(a)"), "t.yaml:1:5: 'pow' takes 2 arguments");
    CHECK_STR(parse_error("y = where(a, b)"), "t.yaml:1:5: 'where' takes 3 arguments");
    CHECK_STR(parse_error("y = sum(x)"), "t.yaml:1:5: 'sum' takes a binder: sum(k in lo..hi: body)");
    CHECK_STR(parse_error("y[i,j,i] = 1"), "t.yaml:1:7: index variable 'i' repeated on the left side");
    CHECK_STR(parse_error("y[] = 1"), "t.yaml:1:3: expected an index variable, found ']'");
    CHECK_STR(parse_error("y[i = 1"), "t.yaml:1:5: expected ',' or ']' after an index variable, found '='");
    CHECK_STR(parse_error("y[i] x[i]"), "t.yaml:1:6: expected '=' after the left side, found 'x'");
    CHECK_STR(parse_error("3 = x"), "t.yaml:1:1: expected an output name, found number '3'");
    CHECK_STR(parse_error("y = "), "t.yaml:1:5: expected an expression, found end of input");
    CHECK_STR(parse_error("y = a +\nb"), "t.yaml:1:8: expected an expression, found end of line");
    CHECK_STR(parse_error("y = (a +\n b"), "t.yaml:2:3: expected ')', found end of input");
    CHECK_STR(parse_error("y = a b"), "t.yaml:1:7: expected an operator or the end of the equation, found 'b'");
    CHECK_STR(parse_error("y = a < b < c"), "t.yaml:1:11: comparisons do not chain; use parentheses or 'and'");
    CHECK_STR(parse_error("y = a @ b"), "t.yaml:1:7: unexpected character '@'");
    CHECK_STR(parse_error("y = a ! b"), "t.yaml:1:7: unexpected '!' (logical negation is 'not')");
    CHECK_STR(parse_error("y = a.b"), "t.yaml:1:6: unexpected '.' (a range is written lo..hi)");
    CHECK_STR(parse_error("y = x[]"), "t.yaml:1:7: expected an expression, found ']'");
    CHECK_STR(parse_error("y = x[1,]"), "t.yaml:1:9: expected an expression, found ']'");
    CHECK_STR(parse_error("y = where"), "t.yaml:1:10: expected '(' after 'where', found end of input");
    CHECK_STR(parse_error("in = 1"), "t.yaml:1:1: expected an output name, found 'in'");
    CHECK_STR(parse_error("y = sum(in in 0..3: 1)"), "t.yaml:1:9: 'in' cannot name a reduction variable");
    CHECK_STR(parse_error(""), "t.yaml:1:1: empty formula (expected an equation such as y[i] = x[i])");
    CHECK_STR(parse_error("  # only a comment\n"), "t.yaml:1:1: empty formula (expected an equation such as y[i] = x[i])");
    CHECK_STR(parse_error("y = 1;;\nz = (1 +"), "t.yaml:2:9: expected an expression, found end of input");
    CHECK_STR(parse_error("y = \x01"), "t.yaml:1:5: unexpected character byte 0x01");
    /* positions are relative to the given start: the first line starts at col, later at 1 */
    CHECK_STR(parse_error_at("y = foo(1)", 12, 9), "t.yaml:12:13: unknown function 'foo'");
    CHECK_STR(parse_error_at("y = 1\n  z = foo(1)", 12, 9), "t.yaml:13:7: unknown function 'foo'");
    CHECK_STR(parse_error_at("y = sum(k in 0..N\n   x[k])", 7, 20), "t.yaml:8:4: expected ':' after the range of sum");
}

/* Every prefix of a long text, and single-byte corruptions of it: errors, never a crash. */
TEST(formula_parse_robustness) {
    strbuf text;
    strbuf_init(&text);
    for (size_t i = 0; i < sizeof suite_formulas / sizeof *suite_formulas; i++) {
        char name[16];
        snprintf(name, sizeof name, "o%zu", i);
        const char *eq = strchr(suite_formulas[i], '[');
        const char *eqsign = strchr(suite_formulas[i], '=');
        strbuf_append(&text, name);   /* unique output names keep the whole text valid */
        if (eq && eq < eqsign) strbuf_appendn(&text, eq, (size_t)(eqsign - eq) - 1);
        strbuf_append(&text, " = ");
        const char *semi = strchr(eqsign, ';');
        strbuf_append(&text, eqsign + 2);
        if (semi) text.data[text.len - strlen(semi)] = '#';
        strbuf_append(&text, "\n");
    }
    strbuf_append(&text, "w = where(not a < b and c >= d or e != f, -x ^ -2 // 3 % 4, inf) \n");
    const char *full = strbuf_cstr(&text);
    size_t n = strlen(full);
    CHECK_STR(parse_error(full), "<parsed>");
    char *buf = malloc(n + 1);
    int parsed = 0;
    for (size_t len = 0; len <= n; len++) {
        memcpy(buf, full, len);
        buf[len] = 0;
        if (strcmp(parse_error(buf), "<parsed>") == 0) parsed++;
    }
    CHECK(parsed > 20);
    const char noise[] = "()[]:.,;=+-*/^%<>!#\n a0_";
    for (size_t pos = 0; pos < n; pos += 3) {
        for (size_t c = 0; c < sizeof noise - 1; c += 4) {
            memcpy(buf, full, n + 1);
            buf[pos] = noise[c];
            (void)parse_error(buf);
        }
    }
    free(buf);
    strbuf_free(&text);
}

/* ---- text printer ---------------------------------------------------------------------- */

TEST(formula_print_text_numbers) {
    CHECK_STR(canon("y = 0.5 + 1e-5 + 2.0 + 100 + 1.0E+3 + 3.141592653589793 + 0.1 + 1e20 + 1e300 + 2.5e-7"),
              "y = 0.5 + 1e-05 + 2 + 100 + 1000 + 3.141592653589793 + 0.1 + 1e+20 + 1e+300 + 2.5e-07");
    CHECK_STR(canon("y = inf - inf"), "y = inf - inf");
}

TEST(formula_print_text_suite) {
    CHECK_STR(canon(suite_formulas[0]), "y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))");
    CHECK_STR(canon(suite_formulas[3]), "rstd[i] = 1 / sqrt(sum(k in 0..N: (x[i,k] - mean[i]) ^ 2) / N + eps)");
    CHECK_STR(canon(suite_formulas[11]), "out[i] = max(k in 0..N: x[i,k])\nidx[i] = argmax(k in 0..N: x[i,k])");
    CHECK_STR(canon(suite_formulas[19]), "mean[n,g] = sum(k in 0..CG: sum(s in 0..HW: x[n, g * CG + k, s])) / (CG * HW)");
    CHECK_STR(canon(suite_formulas[20]), "y[i] = x[i] - max(k in 0..N: x[k])");
}

/* print(parse(t)) is a fixed point and parse(print(f)) equals f. */
static void check_round_trip(int *test_failures_, const char *text) {
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, text);
    CHECK(f != NULL);
    if (f) {
        strbuf once, twice;
        strbuf_init(&once);
        strbuf_init(&twice);
        formula_print_text(f, &once);
        formula *g = parse_ok(&a, strbuf_cstr(&once));
        CHECK(g != NULL);
        if (g) {
            CHECK(formula_equal(f, g));
            formula_print_text(g, &twice);
            CHECK_STR(strbuf_cstr(&twice), strbuf_cstr(&once));
        }
        strbuf_free(&once);
        strbuf_free(&twice);
    }
    arena_free(&a);
}

TEST(formula_print_text_round_trip) {
    for (size_t i = 0; i < sizeof suite_formulas / sizeof *suite_formulas; i++)
        check_round_trip(test_failures_, suite_formulas[i]);
    const char *more[] = {
        "y = a - (b - c) - -d * (e / (f * g)) ^ -h ^ 2",
        "y = ((a))",
        "y = (a + b) % (c // d) // e",
        "y = not not (a or b) and not (c < d)",
        "y = (a and b) or (c and (d or e))",
        "y = where(a, where(b, 1, 2), (3 < 4) + (5 == 6))",
        "y[i] = sum(k in -1..-(i): x[k])",
        "y[i] = sum(k in (a < b)..max(j in 0..N: j): x[k] ^ (2 ^ k))",
        "y = -(-2) ^ 2 + (-2) ^ 2 + 2 ^ -2",
        "y = 0.1 + 0.2 + 1.7976931348623157e308 + 5e-324 + 123456789012345678",
        "y = inf + -inf",
        "y[a,b,c,d] = x[a, b + 1, c * 2, d // 3] * max[a] * exp",
    };
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) check_round_trip(test_failures_, more[i]);
}

/* Random expressions over every construct: parse(print(e)) == e and print is a fixed point. */
static void random_expr(strbuf *s, unsigned *seed, int depth) {
    *seed = *seed * 1103515245u + 12345u;
    unsigned r = (*seed >> 16) % (depth > 4 ? 4 : 16);
    static const char *const leaves[] = {"a", "b", "3", "0.5", "x[i]", "inf"};
    static const char *const ops[] = {" + ", " - ", " * ", " / ", " % ", " // ", " ^ ", " < ",
                                      " == ", " and ", " or "};
    switch (r) {
    case 0: case 1: case 2: case 3:
        strbuf_append(s, leaves[(*seed >> 8) % 6]);
        break;
    case 4: case 5: case 6: case 7: case 8:
        strbuf_putc(s, '(');
        random_expr(s, seed, depth + 1);
        strbuf_append(s, ops[(*seed >> 4) % 11]);
        random_expr(s, seed, depth + 1);
        strbuf_putc(s, ')');
        break;
    case 9: strbuf_append(s, "(-"); random_expr(s, seed, depth + 1); strbuf_putc(s, ')'); break;
    case 10: strbuf_append(s, "(not "); random_expr(s, seed, depth + 1); strbuf_putc(s, ')'); break;
    case 11: strbuf_append(s, "exp("); random_expr(s, seed, depth + 1); strbuf_putc(s, ')'); break;
    case 12:
        strbuf_append(s, "max(");
        random_expr(s, seed, depth + 1);
        strbuf_append(s, ", ");
        random_expr(s, seed, depth + 1);
        strbuf_putc(s, ')');
        break;
    case 13:
        strbuf_append(s, "where(");
        random_expr(s, seed, depth + 1);
        strbuf_append(s, ", ");
        random_expr(s, seed, depth + 1);
        strbuf_append(s, ", ");
        random_expr(s, seed, depth + 1);
        strbuf_putc(s, ')');
        break;
    default:
        strbuf_append(s, "sum(k in ");
        random_expr(s, seed, depth + 1);
        strbuf_append(s, "..");
        random_expr(s, seed, depth + 1);
        strbuf_append(s, ": ");
        random_expr(s, seed, depth + 1);
        strbuf_putc(s, ')');
        break;
    }
}

TEST(formula_print_text_random_round_trip) {
    unsigned seed = 7;
    strbuf s;
    strbuf_init(&s);
    for (int i = 0; i < 400; i++) {
        strbuf_clear(&s);
        strbuf_append(&s, "y[i] = ");
        random_expr(&s, &seed, 0);
        check_round_trip(test_failures_, strbuf_cstr(&s));
    }
    strbuf_free(&s);
}

/* ---- evaluation ------------------------------------------------------------------------ */

/* A test environment: up to 8 dense row-major tensors and 8 parameters. */
typedef struct test_tensor { const char *name; int rank; int64_t shape[4]; const double *data; } test_tensor;
typedef struct test_env {
    test_tensor tensors[8];
    int n_tensors;
    const char *param_names[8];
    double param_values[8];
    int n_params;
    long tensor_reads;
} test_env;

static bool env_tensor(void *ctx, const char *name, int rank, const int64_t *index, double *out) {
    test_env *env = ctx;
    for (int t = 0; t < env->n_tensors; t++) {
        const test_tensor *x = &env->tensors[t];
        if (strcmp(x->name, name) != 0) continue;
        if (x->rank != rank) return false;
        int64_t offset = 0;
        for (int d = 0; d < rank; d++) {
            if (index[d] < 0 || index[d] >= x->shape[d]) return false;
            offset = offset * x->shape[d] + index[d];
        }
        env->tensor_reads++;
        *out = x->data[offset];
        return true;
    }
    return false;
}

static bool env_param(void *ctx, const char *name, double *out) {
    test_env *env = ctx;
    for (int p = 0; p < env->n_params; p++) {
        if (strcmp(env->param_names[p], name) == 0) {
            *out = env->param_values[p];
            return true;
        }
    }
    return false;
}

static void add_tensor(test_env *env, const char *name, int rank, const int64_t *shape, const double *data) {
    test_tensor *t = &env->tensors[env->n_tensors++];
    t->name = name;
    t->rank = rank;
    for (int d = 0; d < rank; d++) t->shape[d] = shape[d];
    t->data = data;
}

static void add_param(test_env *env, const char *name, double value) {
    env->param_names[env->n_params] = name;
    env->param_values[env->n_params++] = value;
}

static formula_env as_env(test_env *env) { return (formula_env){env_tensor, env_param, env}; }

/* Evaluates output at index; NAN (and a printed message) on an error. */
static double eval_at(formula_evaluator *ev, const char *output, const int64_t *index) {
    diag err = {0};
    double v = 0;
    if (!formula_eval(ev, output, index, &v, &err)) {
        char msg[600];
        diag_format(&err, msg, sizeof msg);
        printf("    unexpected evaluation error: %s\n", msg);
        return NAN;
    }
    return v;
}

/* The error message of evaluating output at index, "" when it succeeds. */
static const char *eval_error(formula_evaluator *ev, const char *output, const int64_t *index) {
    static char msg[600];
    diag err = {0};
    double v;
    msg[0] = 0;
    if (!formula_eval(ev, output, index, &v, &err)) diag_format(&err, msg, sizeof msg);
    return msg;
}

TEST(formula_parse_depth_limits) {
    /* deep nesting is an error, never a stack overflow */
    strbuf s;
    strbuf_init(&s);
    strbuf_append(&s, "y = ");
    for (int i = 0; i < 5000; i++) strbuf_putc(&s, '(');
    strbuf_append(&s, "x");
    for (int i = 0; i < 5000; i++) strbuf_putc(&s, ')');
    CHECK(strstr(parse_error(strbuf_cstr(&s)), "nested too deeply") != NULL);
    strbuf_clear(&s);
    strbuf_append(&s, "y = ");
    for (int i = 0; i < 100000; i++) strbuf_append(&s, "x + ");
    strbuf_append(&s, "x");
    CHECK(strstr(parse_error(strbuf_cstr(&s)), "nested too deeply") != NULL);
    strbuf_clear(&s);
    strbuf_append(&s, "y = ");
    for (int i = 0; i < 100000; i++) strbuf_append(&s, "-");
    strbuf_append(&s, "x");
    CHECK(strstr(parse_error(strbuf_cstr(&s)), "nested too deeply") != NULL);
    strbuf_clear(&s);
    strbuf_append(&s, "y = ");
    for (int i = 0; i < 100000; i++) strbuf_append(&s, "x ^ ");
    strbuf_append(&s, "x");
    CHECK(strstr(parse_error(strbuf_cstr(&s)), "nested too deeply") != NULL);
    strbuf_clear(&s);
    /* moderate nesting is fine */
    strbuf_append(&s, "y = ");
    for (int i = 0; i < 150; i++) strbuf_append(&s, "exp(");
    strbuf_append(&s, "x");
    for (int i = 0; i < 150; i++) strbuf_putc(&s, ')');
    for (int i = 0; i < 500; i++) strbuf_append(&s, " + x");
    CHECK_STR(parse_error(strbuf_cstr(&s)), "<parsed>");
    /* the deepest tree the parser accepts goes through every printer and the evaluator */
    strbuf_clear(&s);
    strbuf_append(&s, "y[i] = x[i]");
    for (int i = 0; i < 990; i++) strbuf_append(&s, i % 2 ? " + x[i]" : " - -x[i]");
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, strbuf_cstr(&s));
    REQUIRE(f);
    strbuf out;
    strbuf_init(&out);
    formula_print_text(f, &out);
    formula_print_latex(f, &out);
    formula_print_pytorch(f, &out);
    CHECK(out.len > 3 * 990 * 4);
    strbuf_free(&out);
    static const double x[1] = {1};
    test_env env = {0};
    add_tensor(&env, "x", 1, (int64_t[]){1}, x);
    formula_env fenv = as_env(&env);
    formula_evaluator *ev = formula_evaluator_new(f, &fenv);
    CHECK(eval_at(ev, "y", (int64_t[]){0}) == 991);
    formula_evaluator_free(ev);
    arena_free(&a);
    strbuf_free(&s);
}

TEST(formula_eval_softmax) {
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, suite_formulas[0]);
    REQUIRE(f);
    static const double x[6] = {1, 2, 3, 0, 0, -1};
    test_env env = {0};
    add_tensor(&env, "x", 2, (int64_t[]){2, 3}, x);
    add_param(&env, "N", 3);
    formula_env fenv = as_env(&env);
    formula_evaluator *ev = formula_evaluator_new(f, &fenv);
    double row0 = exp(1) + exp(2) + exp(3), row1 = 2 + exp(-1);
    for (int64_t i = 0; i < 2; i++) {
        double total = 0;
        for (int64_t j = 0; j < 3; j++) {
            double want = exp(x[i * 3 + j]) / (i == 0 ? row0 : row1);
            double got = eval_at(ev, "y", (int64_t[]){i, j});
            CHECK_NEAR(got, want, 1e-15);
            total += got;
        }
        CHECK_NEAR(total, 1, 1e-15);
    }
    CHECK_NEAR(eval_at(ev, "y", (int64_t[]){0, 2}), exp(3) / row0, 1e-15);
    /* out of range: the message names the element */
    CHECK_STR(eval_error(ev, "y", (int64_t[]){2, 0}), "t.yaml:1:14: no value for x[2,0]: unknown tensor or index out of range");
    CHECK_STR(eval_error(ev, "q", (int64_t[]){0}), "t.yaml: unknown output 'q'");
    formula_evaluator_free(ev);
    arena_free(&a);
}

TEST(formula_eval_softmax_is_linear_per_row) {
    /* the row sum is cached across a row: 64x64 elements read x about 2 * 64 * 64 times,
     * not 64 * 64 * 64 */
    enum { R = 64, C = 64 };
    static double x[R * C];
    for (int i = 0; i < R * C; i++) x[i] = sin(i * 0.37);
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, suite_formulas[0]);
    REQUIRE(f);
    test_env env = {0};
    add_tensor(&env, "x", 2, (int64_t[]){R, C}, x);
    add_param(&env, "N", C);
    formula_env fenv = as_env(&env);
    formula_evaluator *ev = formula_evaluator_new(f, &fenv);
    double total = 0;
    for (int64_t i = 0; i < R; i++)
        for (int64_t j = 0; j < C; j++) total += eval_at(ev, "y", (int64_t[]){i, j});
    CHECK_NEAR(total, R, 1e-9);
    CHECK(env.tensor_reads <= 2 * R * C);
    /* a second pass hits the memo: no reads at all */
    long reads = env.tensor_reads;
    CHECK_NEAR(eval_at(ev, "y", (int64_t[]){5, 7}), exp(x[5 * C + 7]) / (exp(x[5 * C + 7]) / eval_at(ev, "y", (int64_t[]){5, 7})), 1e-12);
    CHECK(env.tensor_reads == reads);
    formula_evaluator_free(ev);
    arena_free(&a);
}

TEST(formula_eval_layer_norm) {
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, "mean[i] = sum(k in 0..N: x[i,k]) / N\n"
                              "rstd[i] = 1 / sqrt(sum(k in 0..N: (x[i,k] - mean[i])^2) / N + eps)\n"
                              "y[i,j] = (x[i,j] - mean[i]) * rstd[i] * w[j] + b[j]");
    REQUIRE(f);
    static const double x[8] = {1, 2, 3, 6, -1, -1, 1, 1};
    static const double w[4] = {1, 2, 0.5, 1}, b[4] = {0, 0.25, 0, -1};
    test_env env = {0};
    add_tensor(&env, "x", 2, (int64_t[]){2, 4}, x);
    add_tensor(&env, "w", 1, (int64_t[]){4}, w);
    add_tensor(&env, "b", 1, (int64_t[]){4}, b);
    add_param(&env, "N", 4);
    add_param(&env, "eps", 1e-5);
    formula_env fenv = as_env(&env);
    formula_evaluator *ev = formula_evaluator_new(f, &fenv);
    /* row 0: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5; row 1: mean 0, variance 1 */
    CHECK_NEAR(eval_at(ev, "mean", (int64_t[]){0}), 3, 1e-15);
    CHECK_NEAR(eval_at(ev, "mean", (int64_t[]){1}), 0, 1e-15);
    double r0 = 1 / sqrt(3.5 + 1e-5), r1 = 1 / sqrt(1 + 1e-5);
    CHECK_NEAR(eval_at(ev, "rstd", (int64_t[]){0}), r0, 1e-15);
    CHECK_NEAR(eval_at(ev, "y", (int64_t[]){0, 3}), 3 * r0 * 1 - 1, 1e-14);
    CHECK_NEAR(eval_at(ev, "y", (int64_t[]){0, 1}), -1 * r0 * 2 + 0.25, 1e-14);
    CHECK_NEAR(eval_at(ev, "y", (int64_t[]){1, 0}), -1 * r1, 1e-14);
    CHECK_NEAR(eval_at(ev, "y", (int64_t[]){1, 2}), 1 * r1 * 0.5, 1e-14);
    formula_evaluator_free(ev);
    arena_free(&a);
}

TEST(formula_eval_suite_formulas) {
    /* every suite formula on small inputs, against hand-computed values */
    static const double v[4] = {0.5, -1, 2, 3};
    static const double m[6] = {1, 2, 3, 4, 5, 6};          /* 2x3 */
    static const double mt[6] = {1, 0, 0, 1, 2, -1};       /* 3x2 */
    static const double t3[8] = {1, 2, 3, 4, 5, 6, 7, 8};   /* 2x2x2 */
    test_env env = {0};
    add_tensor(&env, "v", 1, (int64_t[]){4}, v);
    add_tensor(&env, "A", 2, (int64_t[]){2, 3}, m);
    add_tensor(&env, "B", 2, (int64_t[]){3, 2}, mt);
    add_tensor(&env, "T", 3, (int64_t[]){2, 2, 2}, t3);
    add_tensor(&env, "bias", 1, (int64_t[]){2}, (const double[]){10, 20});
    add_param(&env, "K", 3);
    add_param(&env, "n", 4);
    add_param(&env, "alpha", 2);
    add_param(&env, "beta", 0.5);
    add_param(&env, "e", 3);
    formula_env fenv = as_env(&env);
    struct { const char *text, *output; int64_t index[3]; double want; } cases[] = {
        {"C[i,j] = sum(k in 0..K: A[i,k] * B[k,j])", "C", {1, 0}, 4 + 2 * 6},
        {"C[i,j] = sum(k in 0..K: A[i,k] * B[k,j])", "C", {0, 1}, 2 - 3},
        {"out[i,j] = beta * bias[j] + alpha * sum(k in 0..K: A[i,k] * B[k,j])", "out", {1, 1}, 10 + 2 * (5 - 6)},
        {"C[b,i,j] = sum(k in 0..2: T[b,i,k] * T[b,k,j])", "C", {1, 0, 1}, 5 * 6 + 6 * 8},
        {"y[i] = sum(k in 0..i+1: v[k])", "y", {2}, 0.5 - 1 + 2},
        {"y[i] = sum(k in 0..i+1: v[k])", "y", {0}, 0.5},
        {"out = sqrt(sum(k in 0..n: v[k]^2))", "out", {0}, sqrt(0.25 + 1 + 4 + 9)},
        {"y[i] = 0.5 * v[i] * (1 + erf(v[i] / sqrt(2)))", "y", {1}, -0.5 * (1 + erf(-1 / sqrt(2)))},
        {"y[i] = 0.5 * v[i] * (1 + tanh(sqrt(2 / 3.141592653589793) * (v[i] + 0.044715 * v[i]^3)))", "y", {2},
         0.5 * 2 * (1 + tanh(sqrt(2 / 3.141592653589793) * (2 + 0.044715 * 8)))},
        {"y[i] = where(v[i] > 0, v[i], 0)", "y", {1}, 0},
        {"y[i] = where(v[i] > 0, v[i], 0)", "y", {3}, 3},
        {"y[i] = v[i] * sigmoid(v[i])", "y", {2}, 2 / (1 + exp(-2))},
        {"y[i] = pow(v[i], e)", "y", {1}, -1},
        {"y[i] = v[i] - max(k in 0..n: v[k])", "y", {0}, 0.5 - 3},
        {"z[i] = max(v[i], A[0, i])", "z", {2}, 3},
        {"z[i] = min(v[i], A[0, i])", "z", {2}, 2},
        {"y[i,j,l] = T[i,j,l] - log(sum(k in 0..2: exp(T[i,k,l])))", "y", {1, 0, 1}, 6 - log(exp(6) + exp(8))},
        {"y = 7 % 3 + -7 % 3 * 10 + 7 % -3 * 100 + -7 // 2 * 1000 + 7.5 % 2 * 10000", "y", {0},
         1 + 2 * 10 + -2 * 100 + -4 * 1000 + 1.5 * 10000},
        {"y = 2 ^ 10 + exp2(3) + log2(8) + rsqrt(4) + abs(-2) + sin(0) + cos(0)", "y", {0}, 1024 + 8 + 3 + 0.5 + 2 + 0 + 1},
        {"y = (1 < 2) + (2 <= 2) * 2 + (1 > 2) * 4 + (2 >= 3) * 8 + (2 == 2) * 16 + (2 != 2) * 32", "y", {0}, 19},
        {"y = (1 and 0) + (1 or 0) * 2 + (not 0) * 4 + (not 3) * 8 + (0.5 and 2) * 16", "y", {0}, 2 + 4 + 16},
        {"y = prod(k in 1..5: k) + sum(k in 3..3: 1) + prod(k in 3..2: 5)", "y", {0}, 24 + 0 + 1},
        {"y = max(k in 0..0: 1) + min(k in 0..0: 1)", "y", {0}, NAN},
        {"y = max(k in 0..0: 1)", "y", {0}, -INFINITY},
        {"y = min(k in 5..2: 1)", "y", {0}, INFINITY},
        {"y = argmin(k in 0..n: v[k]) + 10 * argmax(k in 1..n: -v[k])", "y", {0}, 1 + 10 * 1},
        {"y[i] = sum(i in 0..3: i) + i", "y", {10}, 13},   /* a binder shadows the index */
        {"y = sum(k in 0..3: sum(k in 0..k: 1))", "y", {0}, 0 + 1 + 2},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        arena a;
        arena_init(&a);
        formula *f = parse_ok(&a, cases[c].text);
        CHECK(f != NULL);
        if (f) {
            formula_evaluator *ev = formula_evaluator_new(f, &fenv);
            double got = eval_at(ev, cases[c].output, cases[c].index);
            if (isnan(cases[c].want)) {
                CHECK(isnan(got));
            } else if (isinf(cases[c].want)) {
                CHECK(got == cases[c].want);
            } else {
                CHECK_NEAR(got, cases[c].want, 1e-12);
            }
            if (!(isnan(cases[c].want) ? isnan(got) : fabs(got - cases[c].want) <= 1e-12 || got == cases[c].want))
                printf("    in case %zu: %s\n", c, cases[c].text);
            formula_evaluator_free(ev);
        }
        arena_free(&a);
    }
}

TEST(formula_eval_argmax_ties_and_nan) {
    static const double x[8] = {1, 3, 3, 0, 2, 2, 2, 2};
    static const double y[4] = {1, NAN, 5, NAN};
    test_env env = {0};
    add_tensor(&env, "x", 2, (int64_t[]){2, 4}, x);
    add_tensor(&env, "y", 1, (int64_t[]){4}, y);
    add_param(&env, "N", 4);
    formula_env fenv = as_env(&env);
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, "out[i] = max(k in 0..N: x[i,k]); idx[i] = argmax(k in 0..N: x[i,k])\n"
                              "low[i] = argmin(k in 0..N: x[i,k]); nanmax = argmax(k in 0..N: y[k])\n"
                              "m = max(k in 0..N: y[k]); b = max(y[0], y[1])");
    REQUIRE(f);
    formula_evaluator *ev = formula_evaluator_new(f, &fenv);
    CHECK(eval_at(ev, "out", (int64_t[]){0}) == 3);
    CHECK(eval_at(ev, "idx", (int64_t[]){0}) == 1);     /* the first of the tied maxima */
    CHECK(eval_at(ev, "idx", (int64_t[]){1}) == 0);
    CHECK(eval_at(ev, "low", (int64_t[]){0}) == 3);
    CHECK(eval_at(ev, "low", (int64_t[]){1}) == 0);
    CHECK(eval_at(ev, "nanmax", NULL) == 1);            /* NaN is the maximum, as in torch */
    CHECK(isnan(eval_at(ev, "m", NULL)));
    CHECK(isnan(eval_at(ev, "b", NULL)));
    formula_evaluator_free(ev);
    arena_free(&a);
}

TEST(formula_eval_group_norm) {
    /* N=1, C=4, groups of CG=2 channels, HW=2 */
    static const double x[8] = {1, 2, 3, 4, 10, 10, 0, 2};
    static const double w[4] = {1, 1, 2, 2}, b[4] = {0, 0, 1, 1};
    test_env env = {0};
    add_tensor(&env, "x", 3, (int64_t[]){1, 4, 2}, x);
    add_tensor(&env, "w", 1, (int64_t[]){4}, w);
    add_tensor(&env, "b", 1, (int64_t[]){4}, b);
    add_param(&env, "CG", 2);
    add_param(&env, "HW", 2);
    add_param(&env, "eps", 0);
    formula_env fenv = as_env(&env);
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a,
        "mean[n,g] = sum(k in 0..CG: sum(s in 0..HW: x[n, g*CG + k, s])) / (CG * HW)\n"
        "rstd[n,g] = rsqrt(sum(k in 0..CG: sum(s in 0..HW: (x[n, g*CG + k, s] - mean[n,g])^2)) / (CG * HW) + eps)\n"
        "y[n,c,s] = (x[n,c,s] - mean[n, c // CG]) * rstd[n, c // CG] * w[c] + b[c]");
    REQUIRE(f);
    formula_evaluator *ev = formula_evaluator_new(f, &fenv);
    CHECK_NEAR(eval_at(ev, "mean", (int64_t[]){0, 0}), 2.5, 1e-15);
    CHECK_NEAR(eval_at(ev, "mean", (int64_t[]){0, 1}), 5.5, 1e-15);
    double r1 = 1 / sqrt((4.5 * 4.5 * 2 + 5.5 * 5.5 + 3.5 * 3.5) / 4);
    CHECK_NEAR(eval_at(ev, "y", (int64_t[]){0, 3, 1}), (2 - 5.5) * r1 * 2 + 1, 1e-14);
    CHECK_NEAR(eval_at(ev, "y", (int64_t[]){0, 0, 0}), (1 - 2.5) / sqrt(1.25), 1e-14);
    formula_evaluator_free(ev);
    arena_free(&a);
}

TEST(formula_eval_errors) {
    static const double x[3] = {1, 2, 3};
    test_env env = {0};
    add_tensor(&env, "x", 1, (int64_t[]){3}, x);
    add_param(&env, "N", 3);
    formula_env fenv = as_env(&env);
    struct { const char *text, *output; int64_t index[2]; const char *message; } cases[] = {
        {"y[i] = x[i] + q", "y", {0}, "t.yaml:1:15: unknown name 'q'"},
        {"y[i] = x[i] + q[i]", "y", {0}, "t.yaml:1:15: no value for q[0]: unknown tensor or index out of range"},
        {"y[i] = N[i]", "y", {0}, "t.yaml:1:8: 'N' is a parameter, not a tensor"},
        {"y[i] = x[i + 5]", "y", {0}, "t.yaml:1:8: no value for x[5]: unknown tensor or index out of range"},
        {"y[i] = x[i / 2]", "y", {1}, "t.yaml:1:10: index 1 of 'x' is not an integer (0.5)"},
        {"m[i] = x[i]\ny[i] = m[i, 0]", "y", {0}, "t.yaml:2:8: 'm' has 1 index, used with 2"},
        {"m[i,j] = x[i]\ny[i] = m[i]", "y", {0}, "t.yaml:2:8: 'm' has 2 indices, used with 1"},
        {"m[i] = x[i]\ny[i] = m + 1", "y", {0}, "t.yaml:2:8: 'm' has 1 index, used without indices"},
        {"y[i] = argmax(k in 0..0: x[k])", "y", {0}, "t.yaml:1:8: argmax over an empty range (0..0)"},
        {"y[i] = argmin(k in i..i: x[k])", "y", {2}, "t.yaml:1:8: argmin over an empty range (2..2)"},
        {"y[i] = sum(k in 0..N / 2: x[k])", "y", {0}, "t.yaml:1:20: upper bound of the range of sum is not an integer (1.5)"},
        {"y[i] = sum(k in 0.5..N: x[k])", "y", {0}, "t.yaml:1:17: lower bound of the range of sum is not an integer (0.5)"},
        {"y[i] = z[i] + 1\nz[i] = y[i] * 2", "y", {0}, "t.yaml:2:8: cyclic definition: y[0] depends on itself"},
        {"y[i] = y[i]", "y", {1}, "t.yaml:1:8: cyclic definition: y[1] depends on itself"},
        {"s = t\nt = s", "t", {0}, "t.yaml:1:5: cyclic definition: t depends on itself"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        arena a;
        arena_init(&a);
        formula *f = parse_ok(&a, cases[c].text);
        CHECK(f != NULL);
        if (f) {
            formula_evaluator *ev = formula_evaluator_new(f, &fenv);
            CHECK_STR(eval_error(ev, cases[c].output, cases[c].index), cases[c].message);
            /* the evaluator stays usable after an error, and reports the same error again */
            CHECK_STR(eval_error(ev, cases[c].output, cases[c].index), cases[c].message);
            formula_evaluator_free(ev);
        }
        arena_free(&a);
    }
}

TEST(formula_eval_recursion) {
    /* a recurrence with a base case works; one without is a limit error, not a crash */
    static const double x[5] = {1, 2, 3, 4, 5};
    test_env env = {0};
    add_tensor(&env, "x", 1, (int64_t[]){5}, x);
    formula_env fenv = as_env(&env);
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, "c[i] = where(i == 0, x[0], c[i - 1] + x[i])\n"
                              "y[i] = z[i + 1] + 1\nz[i] = y[i + 1] * 2\n"
                              "big[i] = where(i == 0, 0, big[i - 1] + 1)");
    REQUIRE(f);
    formula_evaluator *ev = formula_evaluator_new(f, &fenv);
    CHECK(eval_at(ev, "c", (int64_t[]){4}) == 15);
    CHECK(eval_at(ev, "c", (int64_t[]){2}) == 6);
    diag err = {0};
    double v;
    CHECK(!formula_eval(ev, "y", (int64_t[]){0}, &v, &err));
    CHECK(err.kind == DIAG_LIMIT);
    CHECK(strstr(err.message, "nested too deeply") != NULL);
    /* deep but memoised from below: evaluating upwards keeps every step shallow */
    for (int64_t i = 0; i <= 20000; i += 100) CHECK(eval_at(ev, "big", (int64_t[]){i}) == (double)i);
    formula_evaluator_free(ev);
    arena_free(&a);
}

TEST(formula_eval_scalar_params_and_outputs) {
    test_env env = {0};
    add_param(&env, "N", 4);
    add_tensor(&env, "s", 0, NULL, (const double[]){2.5});
    formula_env fenv = as_env(&env);
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, "total = sum(k in 0..N: k) * s\ny[i] = total + i");
    REQUIRE(f);
    formula_evaluator *ev = formula_evaluator_new(f, &fenv);
    CHECK(eval_at(ev, "total", NULL) == 15);
    CHECK(eval_at(ev, "y", (int64_t[]){3}) == 18);
    formula_evaluator_free(ev);
    /* no environment at all: only closed formulas evaluate */
    ev = formula_evaluator_new(f, NULL);
    CHECK_STR(eval_error(ev, "total", NULL), "t.yaml:1:21: unknown name 'N'");
    formula_evaluator_free(ev);
    arena_free(&a);
}

/* ---- LaTeX and PyTorch printers ---------------------------------------------------------- */

static const char *printed(const char *text, void (*print)(const formula *, strbuf *)) {
    static char buf[4096];
    arena a;
    arena_init(&a);
    formula *f = parse_ok(&a, text);
    strbuf out;
    strbuf_init(&out);
    if (f) print(f, &out);
    snprintf(buf, sizeof buf, "%s", f ? strbuf_cstr(&out) : "<error>");
    strbuf_free(&out);
    arena_free(&a);
    return buf;
}
static const char *latex(const char *text) { return printed(text, formula_print_latex); }
static const char *pytorch(const char *text) { return printed(text, formula_print_pytorch); }

TEST(formula_print_latex) {
    CHECK_STR(latex(suite_formulas[0]),
              "y_{i,j} = \\frac{\\exp\\left(x_{i,j}\\right)}{\\sum_{k=0}^{N - 1} \\exp\\left(x_{i,k}\\right)}");
    CHECK_STR(latex(suite_formulas[3]),
              "\\mathrm{rstd}_{i} = \\frac{1}{\\sqrt{\\frac{\\sum_{k=0}^{N - 1} \\left(x_{i,k} - \\mathrm{mean}_{i}\\right)^{2}}{N} + \\varepsilon}}");
    CHECK_STR(latex(suite_formulas[6]), "C_{i,j} = \\sum_{k=0}^{K - 1} A_{i,k} \\cdot B_{k,j}");
    CHECK_STR(latex(suite_formulas[8]),
              "\\mathrm{out}_{i,j} = \\beta \\cdot \\mathrm{bias}_{j} + \\alpha \\cdot \\sum_{k=0}^{K - 1} A_{i,k} \\cdot B_{k,j}");
    CHECK_STR(latex(suite_formulas[9]), "y_{i} = \\sum_{k=0}^{i} x_{k}");
    CHECK_STR(latex(suite_formulas[11]),
              "\\mathrm{out}_{i} = \\max_{0 \\le k < N} x_{i,k},\\quad\n\\mathrm{idx}_{i} = \\operatorname{argmax}_{0 \\le k < N} x_{i,k}");
    CHECK_STR(latex(suite_formulas[13]),
              "y_{i} = 0.5 \\cdot x_{i} \\cdot \\left(1 + \\operatorname{erf}\\left(\\frac{x_{i}}{\\sqrt{2}}\\right)\\right)");
    CHECK_STR(latex(suite_formulas[15]),
              "y_{i} = \\begin{cases} x_{i} & \\text{if } x_{i} > 0 \\\\ 0 & \\text{otherwise} \\end{cases}");
    CHECK_STR(latex(suite_formulas[16]), "y_{i} = x_{i} \\cdot \\sigma\\left(x_{i}\\right)");
    CHECK_STR(latex(suite_formulas[18]),
              "y_{n,c,s} = \\left(x_{n,c,s} - \\mathrm{mean}_{n,\\left\\lfloor \\frac{c}{\\mathrm{CG}} \\right\\rfloor}\\right) \\cdot "
              "\\mathrm{rstd}_{n,\\left\\lfloor \\frac{c}{\\mathrm{CG}} \\right\\rfloor} \\cdot w_{c} + b_{c}");
    /* a big operator followed by more terms is closed off with parentheses */
    CHECK_STR(latex("y[i] = x[i] - max(k in 0..N: x[k]) + 1e-5 * sum(k in 1..N+2: x[k]) * 2"),
              "y_{i} = x_{i} - \\left(\\max_{0 \\le k < N} x_{k}\\right) + 10^{-5} \\cdot \\left(\\sum_{k=1}^{N + 1} x_{k}\\right) \\cdot 2");
    CHECK_STR(latex("y = 2 * where(a, b, c) + rsqrt(a)^2 + (a / b)^2 + -x^2 + x_out[i] + 2.5e-7 + inf + (a and not b)"),
              "y = 2 \\cdot \\mathrm{where}\\left(a, b, c\\right) + \\left(\\frac{1}{\\sqrt{a}}\\right)^{2} + "
              "\\left(\\frac{a}{b}\\right)^{2} + -x^{2} + \\mathrm{x\\_out}_{i} + 2.5 \\cdot 10^{-7} + \\infty + "
              "\\left(a \\land \\lnot b\\right)");
    CHECK_STR(latex("y = exp2(a) + log2(b) + abs(c) + pow(d, 3) + min(e, f) + tanh(g) % 4 + prod(k in 1..4: k)"),
              "y = 2^{a} + \\log_{2}\\left(b\\right) + \\left|c\\right| + d^{3} + \\min\\left(e, f\\right) + "
              "\\tanh\\left(g\\right) \\bmod 4 + \\prod_{k=1}^{3} k");
}

TEST(formula_print_pytorch) {
    const char *head = "# PyTorch (import math, torch): inputs are tensors, parameters Python numbers\n";
    char want[2048];
#define PYTORCH_IS(text, body)                                                  \
    do {                                                                        \
        snprintf(want, sizeof want, "%s%s", head, body);                        \
        CHECK_STR(pytorch(text), want);                                         \
    } while (0)
    PYTORCH_IS(suite_formulas[0], "y = torch.exp(x) / torch.exp(x[:, None, :N]).sum(dim=-1)\n");
    PYTORCH_IS(suite_formulas[1], "y = x - torch.log(torch.exp(x[:, :N].permute(0, 2, 1)[:, None]).sum(dim=-1))\n");
    /* outputs are printed after the outputs they use */
    PYTORCH_IS("y[i,j] = (x[i,j] - mean[i]) * rstd[i] * w[j] + b[j]\n"
               "rstd[i] = 1 / sqrt(sum(k in 0..N: (x[i,k] - mean[i])^2) / N + eps)\n"
               "mean[i] = sum(k in 0..N: x[i,k]) / N",
               "mean = x[:, :N].sum(dim=-1) / N\n"
               "rstd = 1 / torch.sqrt(((x[:, :N] - mean[:, None]) ** 2).sum(dim=-1) / N + eps)\n"
               "y = (x - mean[:, None]) * rstd[:, None] * w + b\n");
    PYTORCH_IS(suite_formulas[5], "y = x / torch.sqrt((x[:, None, :N] ** 2).sum(dim=-1) / N + eps) * w\n");
    PYTORCH_IS(suite_formulas[6], "C = torch.einsum('ik,kj->ij', A[:, :K], B[:K])\n");
    PYTORCH_IS(suite_formulas[7], "C = torch.einsum('bik,bkj->bij', A[:, :, :K], B[:, :K])\n");
    PYTORCH_IS(suite_formulas[8], "out = beta * bias + alpha * torch.einsum('ik,kj->ij', A[:, :K], B[:K])\n");
    PYTORCH_IS(suite_formulas[9],
               "# y: no broadcast form (the range of sum depends on another variable); y(i) computes one element\n"
               "y = lambda i: sum(x[k] for k in range(0, i + 1))\n");
    PYTORCH_IS(suite_formulas[10], "out = torch.sqrt((x[:n] ** 2).sum(dim=-1))\n");
    PYTORCH_IS(suite_formulas[11], "out = x[:, :N].amax(dim=-1)\nidx = x[:, :N].argmax(dim=-1)\n");
    PYTORCH_IS(suite_formulas[14],
               "y = 0.5 * x * (1 + torch.tanh(math.sqrt(2 / 3.141592653589793) * (x + 0.044715 * x ** 3)))\n");
    PYTORCH_IS(suite_formulas[15], "y = torch.where(x > 0, x, 0)\n");
    PYTORCH_IS(suite_formulas[16], "y = x * torch.sigmoid(x)\n");
    PYTORCH_IS(suite_formulas[17], "y = x ** e\n");
    PYTORCH_IS(suite_formulas[18],
               "y = (x - mean[torch.arange(x.shape[0]).reshape(-1, 1, 1), torch.arange(x.shape[1]).reshape(-1, 1) // CG]) * "
               "rstd[torch.arange(x.shape[0]).reshape(-1, 1, 1), torch.arange(x.shape[1]).reshape(-1, 1) // CG] * "
               "w[:, None] + b[:, None]\n");
    PYTORCH_IS(suite_formulas[20], "y = x - x[:N].amax(dim=-1)\n");
    PYTORCH_IS(suite_formulas[21], "z = torch.maximum(x, y)\n");
    /* group norm's statistics have no extent for g: element functions, and so has their user */
    PYTORCH_IS("mean[n,g] = sum(k in 0..CG: sum(s in 0..HW: x[n, g*CG + k, s])) / (CG * HW)\n"
               "y[n,c,s] = (x[n,c,s] - mean[n, c // CG]) * w[c]",
               "# mean: no broadcast form (no tensor is indexed by plain 'g' to give its extent); mean(n, g) computes one element\n"
               "mean = lambda n, g: sum(sum(x[n, g * CG + k, s] for s in range(0, HW)) for k in range(0, CG)) / (CG * HW)\n"
               "# y: no broadcast form (it uses 'mean', which has no broadcast form); y(n, c, s) computes one element\n"
               "y = lambda n, c, s: (x[n, c, s] - mean(n, c // CG)) * w[c]\n");
    /* transposes, constants, diagonals, bare variables, argmax from a lower bound */
    PYTORCH_IS("C[i,j] = A[j,i] + A[0,i] + A[i,i] * j + D[j,1,i] + argmax(k in 1..N: A[i,k])",
               "C = A.permute(1, 0) + A[0, :, None] + A[torch.arange(A.shape[1]).reshape(-1, 1), torch.arange(A.shape[1]).reshape(-1, 1)] * "
               "torch.arange(A.shape[0]) + D[:, 1].permute(1, 0) + (A[:, None, 1:N].argmax(dim=-1) + 1)\n");
    /* element functions for every construct; Python names are renamed */
    PYTORCH_IS("y[i] = where(i > 0 and not lambda, prod(k in 0..i: x[k]), max(k in 0..i: x[k])) + argmin(k in 0..i+1: x[k]) "
               "+ min(k in 0..i: 2) + exp2(i) + sigmoid(i) + rsqrt(i) + abs(i) + max(i, 2) + (i // 2) % 3 + i ^ -1 + inf",
               "# y: no broadcast form (no tensor is indexed by plain 'i' to give its extent); y(i) computes one element\n"
               "y = lambda i: (math.prod(x[k] for k in range(0, i)) if float(bool(i > 0) and bool(float(not lambda_))) "
               "else max((x[k] for k in range(0, i)), default=-math.inf)) + min(range(0, i + 1), key=lambda k: float(x[k])) "
               "+ min((2 for k in range(0, i)), default=math.inf) + 2 ** i + 1 / (1 + math.exp(-i)) + 1 / math.sqrt(i) + abs(i) "
               "+ max(i, 2) + i // 2 % 3 + i ** -1 + math.inf\n");
    PYTORCH_IS("s = sum(k in 0..N: k * 2) + 1", "s = (torch.arange(0, N) * 2).sum(dim=-1) + 1\n");
    PYTORCH_IS("s = sum(k in 0..N: 2)",
               "# s: computed element by element (the body of sum does not depend on 'k')\ns = sum(2 for k in range(0, N))\n");
    PYTORCH_IS("y[i] = where(x[i] > 0 or x[i] < -1, 1, x[i] != 0)",
               "y = torch.where(torch.logical_or(x > 0, x < -1), 1, x != 0)\n");
    /* max/min with one scalar bound the tensor: max(t, s) is clamp(t, min=s) */
    PYTORCH_IS("y[i,j] = min(x[i,j], 0.2) + max(0.1, x[i,j]) + max(1, 2)",
               "y = torch.clamp(x, max=0.2) + torch.clamp(x, min=0.1) + max(1, 2)\n");
    /* a recurrence calls itself */
    PYTORCH_IS("c[i] = where(i == 0, x[0], c[i - 1] + x[i])",
               "# c: no broadcast form ('c' is defined recursively); c(i) computes one element\n"
               "c = lambda i: x[0] if i == 0 else c(i - 1) + x[i]\n");
    PYTORCH_IS("y[i,j] = sum(k in 0..N: sum(m in 0..M: A[i,k] * B[k,m] * C[m,j]))",
               "y = torch.einsum('ik,km,mj->ijk', A[:, :N], B[:N, :M], C[:M]).sum(dim=-1)\n");
#undef PYTORCH_IS
}

/* Every suite formula through every printer and the evaluator setup: no crash, no leak. */
TEST(formula_print_all_suite_formulas) {
    for (size_t i = 0; i < sizeof suite_formulas / sizeof *suite_formulas; i++) {
        CHECK(strlen(latex(suite_formulas[i])) > 5);
        CHECK(strstr(pytorch(suite_formulas[i]), " = ") != NULL);
        arena a;
        arena_init(&a);
        formula *f = parse_ok(&a, suite_formulas[i]);
        if (f) formula_evaluator_free(formula_evaluator_new(f, NULL));
        arena_free(&a);
    }
}

TEST(formula_eval_malformed_tree) {
    /* a tree built by hand with a missing argument is an error, not a crash */
    fexpr x = {.kind = FX_NUM, .num = 2};
    fexpr *args[1] = {&x};
    fexpr bad = {.kind = FX_BINOP, .op = '+', .args = args, .n_args = 1, .line = 3, .col = 4};
    const char *none[1] = {NULL};
    fequation eq = {.output = "y", .indices = none, .n_indices = 0, .rhs = &bad, .line = 3, .col = 1};
    formula f = {.eqs = &eq, .n_eqs = 1};
    formula_evaluator *ev = formula_evaluator_new(&f, NULL);
    CHECK_STR(eval_error(ev, "y", NULL), "<input>:3:4: malformed expression (kind 3 with 1 arguments)");
    formula_evaluator_free(ev);
}
