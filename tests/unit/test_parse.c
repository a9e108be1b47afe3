/* Tests of the Python parser and AST dump (src/triton/parse.c, ast.c, dump.c): expression
 * precedence, every statement kind, FlagGems decorator stacks, module constants and aliases,
 * syntax errors with their positions, robustness limits, and the corpus in tests/corpus. */
#include "test.h"
#include "triton/parse.h"
#include "util/file.h"
#include "util/strbuf.h"
#include <dirent.h>
#include <stdlib.h>

/* The module dump of src, or "ERR line:col: message". */
static char *dump_of(const char *src) {
    arena a;
    arena_init(&a);
    diag d = {0};
    strbuf sb;
    strbuf_init(&sb);
    ast_module *m = parse_module(&a, "k.py", src, strlen(src), &d);
    if (m) ast_dump_module(m, &sb);
    else strbuf_printf(&sb, "ERR %d:%d: %s", d.line, d.col, d.message);
    arena_free(&a);
    return strbuf_take(&sb);
}

/* The error of a module that must fail, as "line:col: message". */
static char *error_of(const char *src) {
    arena a;
    arena_init(&a);
    diag d = {0};
    strbuf sb;
    strbuf_init(&sb);
    if (parse_module(&a, "k.py", src, strlen(src), &d)) strbuf_append(&sb, "(no error)");
    else strbuf_printf(&sb, "%d:%d: %s", d.line, d.col, d.message);
    arena_free(&a);
    return strbuf_take(&sb);
}

/* A standalone expression printed back, or "ERR line:col: message". */
static char *expr_of(const char *text) {
    arena a;
    arena_init(&a);
    diag d = {0};
    strbuf sb;
    strbuf_init(&sb);
    ast_expr *e = parse_expression(&a, "e.yaml", 1, 1, text, &d);
    if (e) ast_dump_expr(e, &sb);
    else strbuf_printf(&sb, "ERR %d:%d: %s", d.line, d.col, d.message);
    arena_free(&a);
    return strbuf_take(&sb);
}

#define CHECK_DUMP(src, expected)   do { char *g_ = dump_of(src); CHECK_STR(g_, expected); free(g_); } while (0)
#define CHECK_ERROR(src, expected)  do { char *g_ = error_of(src); CHECK_STR(g_, expected); free(g_); } while (0)
#define CHECK_EXPR(text, expected)  do { char *g_ = expr_of(text); CHECK_STR(g_, expected); free(g_); } while (0)

/* A jitted function around body lines (each indented by 4), for statement tests. */
#define KERNEL(body) "import triton\n@triton.jit\ndef k(x):\n" body
#define KERNEL_DUMP(body) "import triton = triton\n\n@triton.jit\ndef k(x):  # line 3\n" body

/* ---- expressions ------------------------------------------------------------------------- */

TEST(parse_expr_precedence_arithmetic) {
    CHECK_EXPR("a + b * c", "(a + (b * c))");
    CHECK_EXPR("a * b + c", "((a * b) + c)");
    CHECK_EXPR("a - b - c", "((a - b) - c)");
    CHECK_EXPR("a / b / c", "((a / b) / c)");
    CHECK_EXPR("a // b % c @ d * e", "((((a // b) % c) @ d) * e)");
    CHECK_EXPR("a ** b ** c", "(a ** (b ** c))");
    CHECK_EXPR("-x ** 2", "(-(x ** 2))");
    CHECK_EXPR("2 ** -1", "(2 ** (-1))");
    CHECK_EXPR("-2 ** -x ** 2", "(-(2 ** (-(x ** 2))))");
    CHECK_EXPR("~a + -b - +c", "(((~a) + (-b)) - (+c))");
    CHECK_EXPR("- - a", "(-(-a))");
    CHECK_EXPR("a.b ** c[0]", "(a.b ** c[0])");
    CHECK_EXPR("(a + b) * c", "((a + b) * c)");
    CHECK_EXPR("((a))", "a");
}

TEST(parse_expr_precedence_bitwise_and_shifts) {
    CHECK_EXPR("a | b ^ c & d << e + f", "(a | (b ^ (c & (d << (e + f)))))");
    CHECK_EXPR("a + b << c - d", "((a + b) << (c - d))");
    CHECK_EXPR("a >> b >> c", "((a >> b) >> c)");
    CHECK_EXPR("a & b | c & d", "((a & b) | (c & d))");
    CHECK_EXPR("a ^ b | c ^ d", "((a ^ b) | (c ^ d))");
    CHECK_EXPR("a | b < c | d", "((a | b) < (c | d))");
}

TEST(parse_expr_comparisons_and_logic) {
    CHECK_EXPR("a < b", "(a < b)");
    CHECK_EXPR("a < b <= c != d", "(a < b <= c != d)");
    CHECK_EXPR("a == b > c >= d", "(a == b > c >= d)");
    CHECK_EXPR("a is b", "(a is b)");
    CHECK_EXPR("a is not None", "(a is not None)");
    CHECK_EXPR("a in b", "(a in b)");
    CHECK_EXPR("a not in b", "(a not in b)");
    CHECK_EXPR("not a in b", "(not (a in b))");
    CHECK_EXPR("not a and b or c", "(((not a) and b) or c)");
    CHECK_EXPR("a or b and c", "(a or (b and c))");
    CHECK_EXPR("a and b and c", "(a and b and c)");
    CHECK_EXPR("a or b or c and d", "(a or b or (c and d))");
    CHECK_EXPR("not not a", "(not (not a))");
    CHECK_EXPR("x if c else y", "(x if c else y)");
    CHECK_EXPR("x if c else y if d else z", "(x if c else (y if d else z))");
    CHECK_EXPR("a or b if c and d else e", "((a or b) if (c and d) else e)");
    CHECK_EXPR("(x if c else y) if d else z", "((x if c else y) if d else z)");
}

TEST(parse_expr_primaries) {
    CHECK_EXPR("f(x, axis=1)", "f(x, axis=1)");
    CHECK_EXPR("f()", "f()");
    CHECK_EXPR("f(a,)", "f(a)");
    CHECK_EXPR("f(*a, k=1, **kw)", "f(*a, k=1, **kw)");
    CHECK_EXPR("f(a, *b, c, k=1, *d, **e)", "f(a, *b, c, *d, k=1, **e)");
    CHECK_EXPR("tl.load(x_ptr + offs, mask=mask, other=0.0)", "tl.load((x_ptr + offs), mask=mask, other=0.0)");
    CHECK_EXPR("a.b.c(d)[e].f", "a.b.c(d)[e].f");
    CHECK_EXPR("f(x)(y)[0][1]", "f(x)(y)[0][1]");
    CHECK_EXPR("x[:, None]", "x[:, None]");
    CHECK_EXPR("x[None, :]", "x[None, :]");
    CHECK_EXPR("x[1:2:3, ::2, a:, :b, ::]", "x[1:2:3, ::2, a:, :b, :]");
    CHECK_EXPR("x[i, j + 1]", "x[i, (j + 1)]");
    CHECK_EXPR("x[(i, j)]", "x[(i, j)]");
    CHECK_EXPR("x[a,]", "x[a]");
    CHECK_EXPR("x[-1]", "x[(-1)]");
    CHECK_EXPR("x[*idx]", "x[*idx]");
    CHECK_EXPR("(rm < M)[:, None] & (rn < N)[None, :]", "((rm < M)[:, None] & (rn < N)[None, :])");
}

TEST(parse_expr_atoms) {
    CHECK_EXPR("None", "None");
    CHECK_EXPR("True", "True");
    CHECK_EXPR("False", "False");
    CHECK_EXPR("...", "...");
    CHECK_EXPR("42", "42");
    CHECK_EXPR("0x10", "16");
    CHECK_EXPR("1_000", "1000");
    CHECK_EXPR("0xFFFFFFFFFFFFFFFF", "18446744073709551615");
    CHECK_EXPR("1.5", "1.5");
    CHECK_EXPR("1e-5", "1e-05");
    CHECK_EXPR("100.0", "100.0");
    CHECK_EXPR("1.", "1.0");
    CHECK_EXPR("0.1", "0.1");
    CHECK_EXPR("1e16", "1e+16");
    CHECK_EXPR("123456789.125", "123456789.125");
    CHECK_EXPR("0.7071067811865476", "0.7071067811865476");
    CHECK_EXPR("1e999", "inf");
    CHECK_EXPR("'a' 'b' \"c\"", "'abc'");
    CHECK_EXPR("'it''s'", "'its'");
    CHECK_EXPR("\"it's\"", "\"it's\"");
    CHECK_EXPR("'a\\nb\\\\'", "'a\\nb\\\\'");
    CHECK_EXPR("'x' f'{y}' '{z}'", "f'x{y}{{z}}'");
    CHECK_EXPR("()", "()");
    CHECK_EXPR("(a,)", "(a,)");
    CHECK_EXPR("(a, b)", "(a, b)");
    CHECK_EXPR("(a, *b)", "(a, *b)");
    CHECK_EXPR("[]", "[]");
    CHECK_EXPR("[a, [b, c],]", "[a, [b, c]]");
    CHECK_EXPR("[*a]", "[*a]");
    CHECK_EXPR("{}", "{}");
    CHECK_EXPR("{'k': v, 1: (2, 3),}", "{'k': v, 1: (2, 3)}");
    CHECK_EXPR("a, b", "(a, b)");
    CHECK_EXPR("a,", "(a,)");
}

TEST(parse_expr_tree_structure) {
    arena a;
    arena_init(&a);
    diag d = {0};
    ast_expr *e = parse_expression(&a, "e", 1, 1, "x[:, None] + f(1, k=2.5)", &d);
    REQUIRE(e);
    CHECK(e->kind == EX_BINOP && e->op == OP_ADD);
    const ast_expr *sub = e->lhs;
    CHECK(sub->kind == EX_SUBSCRIPT && sub->n_items == 2);
    CHECK(sub->lhs->kind == EX_NAME);
    CHECK_STR(sub->lhs->name, "x");
    CHECK(sub->items[0]->kind == EX_SLICE);
    CHECK(!sub->items[0]->slice[0] && !sub->items[0]->slice[1] && !sub->items[0]->slice[2]);
    CHECK(sub->items[1]->kind == EX_NONE);
    const ast_expr *call = e->rhs;
    CHECK(call->kind == EX_CALL && call->n_items == 1 && call->n_kwargs == 1);
    CHECK(call->items[0]->kind == EX_INT && call->items[0]->ival == 1);
    CHECK_STR(call->kwargs[0].name, "k");
    CHECK(call->kwargs[0].value->kind == EX_FLOAT);
    CHECK_NEAR(call->kwargs[0].value->fval, 2.5, 0);
    CHECK_STR(call->kwargs[0].value->str, "2.5");
    /* positions: 1-based, the node's first token */
    CHECK(e->line == 1 && e->col == 1);
    CHECK(call->col == 14 && call->lhs->col == 14 && call->items[0]->col == 16);

    e = parse_expression(&a, "e", 1, 1, "a < b < c", &d);
    REQUIRE(e);
    CHECK(e->kind == EX_COMPARE && e->n_items == 3 && e->cmp_ops[0] == CMP_LT && e->cmp_ops[1] == CMP_LT);
    e = parse_expression(&a, "e", 1, 1, "a or b", &d);
    REQUIRE(e);
    CHECK(e->kind == EX_BOOLOP && e->op == 1 && e->n_items == 2);
    e = parse_expression(&a, "e", 1, 1, "not a", &d);
    REQUIRE(e);
    CHECK(e->kind == EX_UNARY && e->op == UN_NOT);
    e = parse_expression(&a, "e", 1, 1, "b if c else d", &d);
    REQUIRE(e);
    CHECK(e->kind == EX_IFEXP && e->lhs->name[0] == 'b' && e->cond->name[0] == 'c' && e->rhs->name[0] == 'd');
    e = parse_expression(&a, "e", 1, 1, "{1: 2}", &d);
    REQUIRE(e);
    CHECK(e->kind == EX_DICT && e->n_items == 2);
    e = parse_expression(&a, "e", 1, 1, "True", &d);
    REQUIRE(e);
    CHECK(e->kind == EX_BOOL && e->ival == 1);
    e = parse_expression(&a, "e", 1, 1, "f'{x}' 'y'", &d);
    REQUIRE(e);
    CHECK(e->kind == EX_STR && e->is_fstring);
    CHECK_STR(e->str, "{x}y");
    e = parse_expression(&a, "e", 1, 1, "x.y", &d);
    REQUIRE(e);
    CHECK(e->kind == EX_ATTR && e->lhs->kind == EX_NAME);
    CHECK_STR(e->name, "y");
    CHECK(!diag_failed(&d));
    arena_free(&a);
}

TEST(parse_expression_errors_point_into_the_file) {
    arena a;
    arena_init(&a);
    diag d = {0};
    CHECK(!parse_expression(&a, "m.yaml", 10, 5, "a +", &d));
    CHECK(d.line == 10 && d.col == 8);
    CHECK_STR(d.message, "invalid syntax");
    CHECK_STR(d.file, "m.yaml");
    memset(&d, 0, sizeof d);
    CHECK(!parse_expression(&a, "m.yaml", 10, 5, "(a +\n  $)", &d));
    CHECK(d.line == 11 && d.col == 3);
    CHECK_STR(d.message, "invalid character '$'");
    memset(&d, 0, sizeof d);
    CHECK(!parse_expression(&a, "m.yaml", 3, 7, "f(x", &d));
    CHECK(d.line == 3 && d.col == 8);
    CHECK_STR(d.message, "'(' was never closed");
    memset(&d, 0, sizeof d);
    CHECK(!parse_expression(&a, "m.yaml", 3, 7, "(a,\n b,\n c d)", &d));
    CHECK(d.line == 5 && d.col == 4);
    memset(&d, 0, sizeof d);
    CHECK(!parse_expression(&a, "m.yaml", 4, 9, "", &d));
    CHECK(d.line == 4 && d.col == 9);
    CHECK_STR(d.message, "expected an expression");
    memset(&d, 0, sizeof d);
    CHECK(!parse_expression(&a, "m.yaml", 4, 9, "a b", &d));
    CHECK(d.line == 4 && d.col == 11);
    memset(&d, 0, sizeof d);
    CHECK(!parse_expression(&a, "m.yaml", 4, 9, "lambda: 1", &d));
    CHECK_STR(d.message, "lambda is not supported in this expression");
    memset(&d, 0, sizeof d);
    /* surrounding whitespace and a multi-line bracketed expression are fine */
    ast_expr *e = parse_expression(&a, "m.yaml", 4, 9, "  (triton.cdiv(N,\n BLOCK), 1)  \n", &d);
    REQUIRE(e);
    CHECK(e->line == 4 && e->col == 11);
    strbuf sb;
    strbuf_init(&sb);
    ast_dump_expr(e, &sb);
    CHECK_STR(strbuf_cstr(&sb), "(triton.cdiv(N, BLOCK), 1)");
    strbuf_free(&sb);
    arena_free(&a);
}

TEST(parse_expr_errors) {
    CHECK_EXPR("a +", "ERR 1:4: invalid syntax");
    CHECK_EXPR("f(a b)", "ERR 1:5: expected ')'");
    CHECK_EXPR("x[]", "ERR 1:3: invalid syntax");
    CHECK_EXPR("x[1 2]", "ERR 1:5: expected ']'");
    CHECK_EXPR("a.if", "ERR 1:3: invalid syntax");
    CHECK_EXPR("a if b", "ERR 1:7: expected 'else' after 'if' expression");
    CHECK_EXPR("{1: 2, 3}", "ERR 1:9: expected ':'");
    CHECK_EXPR("[x for x in y]", "ERR 1:4: a list comprehension is not supported in this expression");
    CHECK_EXPR("(x for x in y)", "ERR 1:4: a generator expression is not supported in this expression");
    CHECK_EXPR("f(x for x in y)", "ERR 1:5: a generator expression is not supported in this expression");
    CHECK_EXPR("{k: v for k in y}", "ERR 1:7: a dict comprehension is not supported in this expression");
    CHECK_EXPR("{a, b}", "ERR 1:1: a set is not supported in this expression");
    CHECK_EXPR("{**a}", "ERR 1:2: dict unpacking is not supported in this expression");
    CHECK_EXPR("(y := 1)", "ERR 1:4: an assignment expression (:=) is not supported in this expression");
    CHECK_EXPR("1j", "ERR 1:1: a complex number is not supported in this expression");
    CHECK_EXPR("'a' b'c'", "ERR 1:5: cannot mix bytes and nonbytes literals");
    CHECK_EXPR("f(k=1, a)", "ERR 1:8: positional argument follows keyword argument");
    CHECK_EXPR("f(**k, a)", "ERR 1:8: positional argument follows keyword argument unpacking");
    CHECK_EXPR("f(k=1, k=2)", "ERR 1:8: keyword argument repeated: k");
    CHECK_EXPR("*a", "ERR 1:1: cannot use starred expression here");
    CHECK_EXPR("(*a)", "ERR 1:1: cannot use starred expression here");
    CHECK_EXPR("123456789012345678901234567890", "ERR 1:1: integer literal is too large for 64 bits");
    CHECK_EXPR("yield", "ERR 1:1: yield is not supported in this expression");
    CHECK_EXPR("await x", "ERR 1:1: await is not supported in this expression");
    CHECK_EXPR("a\nb", "ERR 2:1: invalid syntax");
    CHECK_EXPR("a)", "ERR 1:2: unmatched ')'");
}

TEST(parse_expr_nesting_limit) {
    /* 100 nested brackets are fine; 200 are an error at the 200th bracket, not a crash */
    strbuf sb;
    strbuf_init(&sb);
    for (int i = 0; i < 100; i++) strbuf_putc(&sb, '(');
    strbuf_putc(&sb, 'x');
    for (int i = 0; i < 100; i++) strbuf_putc(&sb, ')');
    CHECK_EXPR(strbuf_cstr(&sb), "x");
    strbuf_clear(&sb);
    for (int i = 0; i < 200; i++) strbuf_putc(&sb, '[');
    strbuf_putc(&sb, 'x');
    for (int i = 0; i < 200; i++) strbuf_putc(&sb, ']');
    CHECK_EXPR(strbuf_cstr(&sb), "ERR 1:200: expression nested too deeply");
    strbuf_clear(&sb);
    for (int i = 0; i < 100000; i++) strbuf_putc(&sb, '(');
    for (int i = 0; i < 100000; i++) strbuf_putc(&sb, ')');
    CHECK_EXPR(strbuf_cstr(&sb), "ERR 1:200: expression nested too deeply");
    /* unary chains, power towers, calls and long operator chains are bounded too */
    strbuf_clear(&sb);
    for (int i = 0; i < 100000; i++) strbuf_putc(&sb, '-');
    strbuf_putc(&sb, 'x');
    CHECK_EXPR(strbuf_cstr(&sb), "ERR 1:200: expression nested too deeply");
    strbuf_clear(&sb);
    for (int i = 0; i < 10000; i++) strbuf_append(&sb, "not ");
    strbuf_putc(&sb, 'x');
    CHECK_EXPR(strbuf_cstr(&sb), "ERR 1:797: expression nested too deeply");
    strbuf_clear(&sb);
    for (int i = 0; i < 10000; i++) strbuf_append(&sb, "x**");
    strbuf_putc(&sb, 'x');
    CHECK_EXPR(strbuf_cstr(&sb), "ERR 1:599: expression nested too deeply");
    strbuf_clear(&sb);
    for (int i = 0; i < 10000; i++) strbuf_append(&sb, "a+");
    strbuf_putc(&sb, 'a');
    CHECK_EXPR(strbuf_cstr(&sb), "ERR 1:400: expression nested too deeply");
    strbuf_clear(&sb);
    strbuf_putc(&sb, 'a');
    for (int i = 0; i < 10000; i++) strbuf_append(&sb, ".b");
    CHECK_EXPR(strbuf_cstr(&sb), "ERR 1:400: expression nested too deeply");
    strbuf_clear(&sb);
    for (int i = 0; i < 10000; i++) strbuf_append(&sb, "a if b else ");
    strbuf_putc(&sb, 'c');
    CHECK_EXPR(strbuf_cstr(&sb), "ERR 1:2391: expression nested too deeply");
    /* many keyword arguments: the repeat check stays fast and finds the first repeat */
    strbuf_clear(&sb);
    strbuf_append(&sb, "f(");
    for (int i = 0; i < 50000; i++) strbuf_printf(&sb, "k%05d=0, ", i);
    strbuf_putc(&sb, ')');
    char *many = expr_of(strbuf_cstr(&sb));
    CHECK(strncmp(many, "f(k00000=0, k00001=0, ", 22) == 0);
    free(many);
    sb.len -= 1;
    strbuf_append(&sb, "k00007=1, k00003=1)");
    CHECK_EXPR(strbuf_cstr(&sb), "ERR 1:500003: keyword argument repeated: k00007");
    /* but long flat lists are fine */
    strbuf_clear(&sb);
    strbuf_putc(&sb, 'f');
    strbuf_putc(&sb, '(');
    for (int i = 0; i < 10000; i++) strbuf_append(&sb, "a, ");
    strbuf_putc(&sb, ')');
    char *got = expr_of(strbuf_cstr(&sb));
    CHECK(strncmp(got, "f(a, a, ", 8) == 0);
    free(got);
    strbuf_free(&sb);
}

/* ---- statements -------------------------------------------------------------------------- */

TEST(parse_statements_assignments) {
    CHECK_DUMP(KERNEL("    a = 1\n"
                      "    a, b = b, a\n"
                      "    (c, d) = [e, f] = g\n"
                      "    a = b = 0\n"
                      "    first, *rest = x\n"
                      "    x.y = x[0] = 1\n"
                      "    a: tl.constexpr = 4\n"
                      "    b: int\n"
                      "    x[i].z: float = 2.0\n"
                      "    t = 1,\n"),
               KERNEL_DUMP("  a = 1\n"
                           "  (a, b) = (b, a)\n"
                           "  (c, d) = [e, f] = g\n"
                           "  a = b = 0\n"
                           "  (first, *rest) = x\n"
                           "  x.y = x[0] = 1\n"
                           "  a: tl.constexpr = 4\n"
                           "  b: int\n"
                           "  x[i].z: float = 2.0\n"
                           "  t = (1,)\n"));
}

TEST(parse_statements_augmented) {
    CHECK_DUMP(KERNEL("    a += 1\n    a -= 1\n    a *= 1\n    a /= 1\n    a //= 1\n    a %= 1\n    a **= 1\n"
                      "    a @= 1\n    a <<= 1\n    a >>= 1\n    a &= 1\n    a |= 1\n    a ^= 1\n"
                      "    x[0] += 1\n    x.y -= 1, 2\n"),
               KERNEL_DUMP("  a += 1\n  a -= 1\n  a *= 1\n  a /= 1\n  a //= 1\n  a %= 1\n  a **= 1\n"
                           "  a @= 1\n  a <<= 1\n  a >>= 1\n  a &= 1\n  a |= 1\n  a ^= 1\n"
                           "  x[0] += 1\n  x.y -= (1, 2)\n"));
    arena a;
    arena_init(&a);
    diag d = {0};
    const char *src = KERNEL("    a //= 2\n");
    ast_module *m = parse_module(&a, "k.py", src, strlen(src), &d);
    REQUIRE(m && m->n_funcs == 1);
    const ast_stmt *s = m->funcs[0]->body[0];
    CHECK(s->kind == ST_AUGASSIGN && s->op == OP_FLOORDIV && s->n_targets == 1);
    arena_free(&a);
}

TEST(parse_statements_control_flow) {
    CHECK_DUMP(KERNEL("    if a:\n"
                      "        b = 1\n"
                      "    elif c:\n"
                      "        b = 2\n"
                      "    elif d:\n"
                      "        pass\n"
                      "    else:\n"
                      "        b = 3\n"
                      "    if e: f = 1\n"
                      "    else: f = 2\n"
                      "    for i in tl.range(0, n, 2):\n"
                      "        if i > 5: break\n"
                      "        continue\n"
                      "    for i, (j, k) in pairs:\n"
                      "        pass\n"
                      "    for i in a, b:\n"
                      "        pass\n"
                      "    while x < 3:\n"
                      "        x += 1\n"
                      "    if a:\n"
                      "        pass\n"
                      "    else:\n"
                      "        if b:\n"
                      "            pass\n"
                      "        c = 1\n"),
               KERNEL_DUMP("  if a:\n"
                           "    b = 1\n"
                           "  elif c:\n"
                           "    b = 2\n"
                           "  elif d:\n"
                           "    pass\n"
                           "  else:\n"
                           "    b = 3\n"
                           "  if e:\n"
                           "    f = 1\n"
                           "  else:\n"
                           "    f = 2\n"
                           "  for i in tl.range(0, n, 2):\n"
                           "    if (i > 5):\n"
                           "      break\n"
                           "    continue\n"
                           "  for (i, (j, k)) in pairs:\n"
                           "    pass\n"
                           "  for i in (a, b):\n"
                           "    pass\n"
                           "  while (x < 3):\n"
                           "    x += 1\n"
                           "  if a:\n"
                           "    pass\n"
                           "  else:\n"
                           "    if b:\n"
                           "      pass\n"
                           "    c = 1\n"));
    /* elif is a nested ST_IF in orelse */
    arena a;
    arena_init(&a);
    diag d = {0};
    const char *src = KERNEL("    if a:\n        pass\n    elif b:\n        pass\n    else:\n        pass\n");
    ast_module *m = parse_module(&a, "k.py", src, strlen(src), &d);
    REQUIRE(m && m->n_funcs == 1 && m->funcs[0]->n_body == 1);
    const ast_stmt *s = m->funcs[0]->body[0];
    CHECK(s->kind == ST_IF && s->n_body == 1 && s->n_orelse == 1);
    CHECK(s->orelse[0]->kind == ST_IF && s->orelse[0]->line == 6 && s->orelse[0]->col == 5);
    CHECK(s->orelse[0]->n_orelse == 1 && s->orelse[0]->orelse[0]->kind == ST_PASS);
    arena_free(&a);
}

TEST(parse_statements_simple) {
    CHECK_DUMP(KERNEL("    \"\"\"Docstring.\"\"\"\n"
                      "    tl.store(p, v); x = 1; pass;\n"
                      "    assert a > 0\n"
                      "    assert a, 'message'\n"
                      "    tl.static_print(f'{a}')\n"
                      "    return\n"
                      "    return a\n"
                      "    return a, b\n"
                      "    return (a, b)\n"
                      "    return *a, b\n"),
               KERNEL_DUMP("  'Docstring.'\n"
                           "  tl.store(p, v)\n"
                           "  x = 1\n"
                           "  pass\n"
                           "  assert (a > 0)\n"
                           "  assert a, 'message'\n"
                           "  tl.static_print(f'{a}')\n"
                           "  return\n"
                           "  return a\n"
                           "  return (a, b)\n"
                           "  return (a, b)\n"
                           "  return (*a, b)\n"));
    arena a;
    arena_init(&a);
    diag d = {0};
    const char *src = KERNEL("    return a, b\n");
    ast_module *m = parse_module(&a, "k.py", src, strlen(src), &d);
    REQUIRE(m && m->n_funcs == 1);
    const ast_stmt *s = m->funcs[0]->body[0];
    CHECK(s->kind == ST_RETURN && s->value->kind == EX_TUPLE && s->value->n_items == 2);
    CHECK(s->line == 4 && s->col == 5);
    arena_free(&a);
}

TEST(parse_statement_errors) {
    CHECK_ERROR(KERNEL("    def inner():\n        pass\n"), "4:5: def is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    class A:\n        pass\n"), "4:5: class is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    f = lambda v: v\n"), "4:9: lambda is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    yield x\n"), "4:5: yield is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    y = yield\n"), "4:9: yield is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    global g\n"), "4:5: global is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    nonlocal g\n"), "4:5: nonlocal is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    with a:\n        pass\n"), "4:5: with is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    try:\n        pass\n    except:\n        pass\n"),
                "4:5: try is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    del x\n"), "4:5: del is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    import math\n"), "4:5: import is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    from math import exp\n"), "4:5: import is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    raise ValueError()\n"), "4:5: raise is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    async for a in b:\n        pass\n"), "4:5: async is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    @dec\n    def f():\n        pass\n"), "4:5: a decorator is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    if a: def f(): pass\n"), "4:11: def is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    y = [v for v in x]\n"), "4:12: a list comprehension is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    if (n := 3) > 2:\n        pass\n"),
                "4:11: an assignment expression (:=) is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    for i in range(3):\n        pass\n    else:\n        pass\n"),
                "6:5: for-else is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    while a:\n        pass\n    else:\n        pass\n"),
                "6:5: while-else is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    if a\n        pass\n"), "4:9: expected ':'");
    CHECK_ERROR(KERNEL("    if a:\n    pass\n"), "5:5: expected an indented block");
    CHECK_ERROR(KERNEL("    a = 1\n        b = 2\n"), "5:9: unexpected indent");
    CHECK_ERROR(KERNEL("    x = tl.load(p mask=m)\n"), "4:19: expected ')'");
    CHECK_ERROR(KERNEL("    x = a +* 2\n"), "4:12: invalid syntax");
    CHECK_ERROR(KERNEL("    x = 1 y = 2\n"), "4:11: invalid syntax");
    CHECK_ERROR(KERNEL("    else:\n        pass\n"), "4:5: invalid syntax");
    CHECK_ERROR(KERNEL("    for i range(3):\n        pass\n"), "4:11: expected 'in'");
    CHECK_ERROR(KERNEL("    f() = 1\n"), "4:5: cannot assign to function call");
    CHECK_ERROR(KERNEL("    1 = a\n"), "4:5: cannot assign to literal");
    CHECK_ERROR(KERNEL("    a, f() = 1, 2\n"), "4:8: cannot assign to function call");
    CHECK_ERROR(KERNEL("    None = 1\n"), "4:5: cannot assign to None");
    CHECK_ERROR(KERNEL("    a + 1 += 1\n"), "4:5: 'expression' is an illegal expression for augmented assignment");
    CHECK_ERROR(KERNEL("    a, b: int = 1\n"), "4:5: only single target (not tuple) can be annotated");
    CHECK_ERROR(KERNEL("    *a = b\n"), "4:5: starred assignment target must be in a list or tuple");
    CHECK_ERROR(KERNEL("    a = *b\n"), "4:9: cannot use starred expression here");
    CHECK_ERROR(KERNEL("    for f() in x:\n        pass\n"), "4:9: cannot assign to function call");
    CHECK_ERROR(KERNEL("    x = 1j\n"), "4:9: a complex number is not supported in a @triton.jit function");
    CHECK_ERROR(KERNEL("    x = 0xFFFFFFFFFFFFFFFFF\n"), "4:9: integer literal is too large for 64 bits");
    CHECK_ERROR("import triton\n@triton.jit\ndef k(x):\nreturn x\n", "4:1: expected an indented block");
    CHECK_ERROR("import triton\n@triton.jit\ndef k(x)\n    pass\n", "3:9: expected ':'");
    CHECK_ERROR("import triton\n@triton.jit\ndef (x):\n    pass\n", "3:5: invalid syntax");
    CHECK_ERROR("import triton\n@triton.jit\nx = 1\n", "3:1: invalid syntax");
}

TEST(parse_block_nesting_limit) {
    /* deeply nested blocks are an error, not a stack overflow; moderate nesting is fine */
    strbuf sb;
    strbuf_init(&sb);
    strbuf_append(&sb, "import triton\n@triton.jit\ndef k(x):\n");
    for (int i = 1; i <= 50; i++) {
        for (int j = 0; j < i; j++) strbuf_putc(&sb, ' ');
        strbuf_append(&sb, "if x:\n");
    }
    for (int j = 0; j <= 50; j++) strbuf_putc(&sb, ' ');
    strbuf_append(&sb, "pass\n");
    char *got = dump_of(strbuf_cstr(&sb));
    CHECK(strncmp(got, "import triton = triton", 22) == 0);
    free(got);
    strbuf_clear(&sb);
    strbuf_append(&sb, "import triton\n@triton.jit\ndef k(x):\n");
    for (int i = 1; i <= 150; i++) {
        for (int j = 0; j < i; j++) strbuf_putc(&sb, ' ');
        strbuf_append(&sb, "if x:\n");
    }
    for (int j = 0; j <= 150; j++) strbuf_putc(&sb, ' ');
    strbuf_append(&sb, "pass\n");
    got = error_of(strbuf_cstr(&sb));
    CHECK_STR(got, "103:101: too many levels of indentation");
    free(got);
    /* a long elif chain is bounded as well (its depth is the tree's depth) */
    strbuf_clear(&sb);
    strbuf_append(&sb, "import triton\n@triton.jit\ndef k(x):\n    if x == 0:\n        pass\n");
    for (int i = 1; i < 1000; i++) strbuf_printf(&sb, "    elif x == %d:\n        pass\n", i);
    got = error_of(strbuf_cstr(&sb));
    CHECK_STR(got, "200:5: too many elif branches");
    free(got);
    strbuf_free(&sb);
}

TEST(parse_nested_brackets_in_kernel) {
    strbuf sb;
    strbuf_init(&sb);
    strbuf_append(&sb, "import triton\n@triton.jit\ndef k(x):\n    y = ");
    for (int i = 0; i < 200; i++) strbuf_putc(&sb, '(');
    strbuf_putc(&sb, 'x');
    for (int i = 0; i < 200; i++) strbuf_putc(&sb, ')');
    strbuf_append(&sb, "\n");
    char *got = error_of(strbuf_cstr(&sb));
    CHECK_STR(got, "4:208: expression nested too deeply");
    free(got);
    /* at module level a too-deep constant is just not a constant */
    strbuf_clear(&sb);
    strbuf_append(&sb, "Y = ");
    for (int i = 0; i < 300; i++) strbuf_putc(&sb, '(');
    strbuf_putc(&sb, '1');
    for (int i = 0; i < 300; i++) strbuf_putc(&sb, ')');
    strbuf_append(&sb, "\nZ = 2\n");
    got = dump_of(strbuf_cstr(&sb));
    CHECK_STR(got, "const Z = 2\n");
    free(got);
    strbuf_free(&sb);
}

/* ---- functions and decorators ------------------------------------------------------------ */

TEST(parse_function_parameters) {
    const char *src = "import triton\nimport triton.language as tl\n"
                      "@triton.jit\n"
                      "def k(a, b: tl.constexpr, c=1, d: tl.constexpr = 2, /, e=3, *args, f, g: int = 4, **kwargs):\n"
                      "    pass\n"
                      "@triton.jit\n"
                      "def k2(x, *, BLOCK: 'tl.constexpr', N: constexpr, M: tl.constexpr_like) -> None:\n"
                      "    pass\n";
    CHECK_DUMP(src, "import triton = triton\nimport tl = triton.language\n\n"
                    "@triton.jit\n"
                    "def k(a, b: tl.constexpr, c=1, d: tl.constexpr = 2, /, e=3, *args, f, g: int = 4, **kwargs):"
                    "  # line 4\n"
                    "  pass\n\n"
                    "@triton.jit\n"
                    "def k2(x, *, BLOCK: 'tl.constexpr', N: constexpr, M: tl.constexpr_like):  # line 7\n"
                    "  pass\n");
    arena a;
    arena_init(&a);
    diag d = {0};
    ast_module *m = parse_module(&a, "k.py", src, strlen(src), &d);
    REQUIRE(m && m->n_funcs == 2);
    const ast_func *f = m->funcs[0];
    REQUIRE(f->n_params == 10);
    const char *names[] = {"a", "b", "c", "d", "/", "e", "*args", "f", "g", "**kwargs"};
    bool constexpr_[] = {false, true, false, true, false, false, false, false, false, false};
    for (int i = 0; i < 10; i++) {
        CHECK_STR(f->params[i].name, names[i]);
        CHECK(f->params[i].is_constexpr == constexpr_[i]);
    }
    CHECK(f->params[2].default_value && f->params[2].default_value->ival == 1);
    CHECK(!f->params[0].default_value && !f->params[0].annotation);
    CHECK(f->params[1].line == 4 && f->params[1].col == 10);
    CHECK(f->line == 4 && f->col == 1);
    const ast_func *g = m->funcs[1];
    REQUIRE(g->n_params == 5);
    CHECK_STR(g->params[1].name, "*");
    CHECK(g->params[2].is_constexpr && g->params[3].is_constexpr && !g->params[4].is_constexpr);
    arena_free(&a);

    CHECK_ERROR("import triton\n@triton.jit\ndef k(a, a):\n    pass\n", "3:10: duplicate argument 'a' in function definition");
    CHECK_ERROR("import triton\n@triton.jit\ndef k(a=1, b):\n    pass\n",
                "3:12: parameter without a default follows parameter with a default");
    CHECK_ERROR("import triton\n@triton.jit\ndef k(a, **):\n    pass\n", "3:12: expected parameter name");
    CHECK_ERROR("import triton\n@triton.jit\ndef k(a b):\n    pass\n", "3:9: expected ')'");
    CHECK_ERROR("import triton\n@triton.jit\ndef k(1):\n    pass\n", "3:7: invalid syntax");
}

TEST(parse_flaggems_decorator_stacks) {
    const char *src =
        "import triton\n"
        "import triton.language as tl\n"
        "from flag_gems import runtime\n"
        "from flag_gems.utils import libentry, libtuner, pointwise_dynamic\n"
        "\n"
        "@libentry()\n"
        "@libtuner(configs=runtime.get_triton_config(\"mm\"), key=[\"M\",\"N\"])\n"
        "@triton.jit\n"
        "def k1(x):\n"
        "    pass\n"
        "\n"
        "@triton.autotune(configs=[triton.Config({\"BLOCK\": 128}, num_warps=4)], key=[\"n\"])\n"
        "@triton.heuristics({\"BLOCK_M\": lambda args: triton.next_power_of_2(args[\"M\"])})\n"
        "@triton.jit(do_not_specialize=[\"eps\"])\n"
        "def k2(x, eps):\n"
        "    pass\n"
        "\n"
        "@pointwise_dynamic(promotion_methods=[(0, \"DEFAULT\")])\n"
        "@triton.jit\n"
        "def k3(x):\n"
        "    return x * 2\n"
        "\n"
        "@pointwise_dynamic(is_tensor=[True, False], promotion_methods=[(0, \"DEFAULT\")])\n"
        "def not_jitted(x):\n"
        "    return [v for v in x]\n";
    CHECK_DUMP(src, "import triton = triton\n"
                    "import tl = triton.language\n"
                    "import runtime = flag_gems.runtime\n"
                    "import libentry = flag_gems.utils.libentry\n"
                    "import libtuner = flag_gems.utils.libtuner\n"
                    "import pointwise_dynamic = flag_gems.utils.pointwise_dynamic\n"
                    "\n"
                    "@libentry(...)\n"
                    "@libtuner(...)\n"
                    "@triton.jit\n"
                    "def k1(x):  # line 9\n"
                    "  pass\n"
                    "\n"
                    "@triton.autotune(...)\n"
                    "@triton.heuristics(...)\n"
                    "@triton.jit(...)\n"
                    "def k2(x, eps):  # line 15\n"
                    "  pass\n"
                    "\n"
                    "@pointwise_dynamic(...)\n"
                    "@triton.jit\n"
                    "def k3(x):  # line 20\n"
                    "  return (x * 2)\n");
    arena a;
    arena_init(&a);
    diag d = {0};
    ast_module *m = parse_module(&a, "k.py", src, strlen(src), &d);
    REQUIRE(m && m->n_funcs == 3);
    const ast_func *k2 = ast_find_func(m, "k2");
    REQUIRE(k2 && k2->n_decorators == 3);
    CHECK_STR(k2->decorators[0].dotted, "triton.autotune");
    CHECK(k2->decorators[0].is_call && k2->decorators[0].line == 12 && k2->decorators[0].col == 1);
    CHECK_STR(k2->decorators[2].dotted, "triton.jit");
    CHECK(k2->decorators[2].is_call);
    const ast_func *k1 = ast_find_func(m, "k1");
    REQUIRE(k1 && k1->n_decorators == 3);
    CHECK(!k1->decorators[2].is_call);
    CHECK(!ast_find_func(m, "not_jitted"));
    arena_free(&a);
}

TEST(parse_jit_resolution_through_aliases) {
    CHECK_DUMP("from triton import jit\n@jit\ndef a(x):\n    pass\n",
               "import jit = triton.jit\n\n@jit\ndef a(x):  # line 3\n  pass\n");
    CHECK_DUMP("import triton as tr\n@tr.jit()\ndef a(x):\n    pass\n",
               "import tr = triton\n\n@tr.jit(...)\ndef a(x):  # line 3\n  pass\n");
    CHECK_DUMP("from triton import jit as J\n@J\ndef a(x):\n    pass\n",
               "import J = triton.jit\n\n@J\ndef a(x):  # line 3\n  pass\n");
    CHECK_DUMP("@triton.jit\ndef a(x):\n    pass\n", "@triton.jit\ndef a(x):  # line 2\n  pass\n");
    CHECK_DUMP("from triton.runtime import jit\n@jit\ndef a(x):\n    pass\n",
               "import jit = triton.runtime.jit\n\n@jit\ndef a(x):  # line 3\n  pass\n");
    /* not triton.jit: skipped */
    CHECK_DUMP("import triton.language as tl\n@tl.jit\ndef a(x):\n    pass\n", "import tl = triton.language\n");
    CHECK_DUMP("import numba\n@numba.jit\ndef a(x):\n    return [i for i in x]\n", "import numba = numba\n");
    CHECK_DUMP("from jax import jit\n@jit\ndef a(x):\n    return [i for i in x]\n", "import jit = jax.jit\n");
    CHECK_DUMP("import triton\n@triton.jit.x\ndef a(x):\n    return [i for i in x]\n", "import triton = triton\n");
    CHECK_DUMP("import triton\n@triton.jit[0]\ndef a(x):\n    return [i for i in x]\n", "import triton = triton\n");
    CHECK_DUMP("import triton\n@triton.jit\nasync def a(x):\n    return [i for i in x]\n", "import triton = triton\n");
    CHECK_DUMP("import triton\n@triton.jit\nclass A:\n    x = [i for i in y]\n", "import triton = triton\n");
    CHECK_DUMP("import triton\ndef a(x):\n    return [i for i in x]\n", "import triton = triton\n");
    /* one-line kernel */
    CHECK_DUMP("import triton\n@triton.jit\ndef a(x): return x + 1\n",
               "import triton = triton\n\n@triton.jit\ndef a(x):  # line 3\n  return (x + 1)\n");
}

/* ---- module level ------------------------------------------------------------------------ */

TEST(parse_module_aliases) {
    const char *src = "import triton.language as tl\n"
                      "from triton.language.extra import libdevice\n"
                      "from flag_gems.utils import tl_extra_shim\n"
                      "from ..utils import triton_lang_extension as tle\n"
                      "import os.path\n"
                      "import a.b as c, d\n"
                      "from a.b import c as d, e\n"
                      "from . import sibling\n"
                      "from .. import parent\n"
                      "from .mod import (\n    x,\n    y as z,\n)\n"
                      "from ...deep.er import w\n"
                      "from star import *\n"
                      "import m1; import m2\n";
    CHECK_DUMP(src, "import tl = triton.language\n"
                    "import libdevice = triton.language.extra.libdevice\n"
                    "import tl_extra_shim = flag_gems.utils.tl_extra_shim\n"
                    "import tle = ..utils.triton_lang_extension\n"
                    "import os = os\n"
                    "import c = a.b\n"
                    "import d = d\n"
                    "import d = a.b.c\n"
                    "import e = a.b.e\n"
                    "import sibling = .sibling\n"
                    "import parent = ..parent\n"
                    "import x = .mod.x\n"
                    "import z = .mod.y\n"
                    "import w = ...deep.er.w\n"
                    "import m1 = m1\n"
                    "import m2 = m2\n");
    arena a;
    arena_init(&a);
    diag d = {0};
    ast_module *m = parse_module(&a, "k.py", src, strlen(src), &d);
    REQUIRE(m);
    CHECK_STR(ast_alias_target(m, "tl"), "triton.language");
    CHECK_STR(ast_alias_target(m, "d"), "a.b.c");  /* the last binding */
    CHECK_STR(ast_alias_target(m, "tle"), "..utils.triton_lang_extension");
    CHECK(!ast_alias_target(m, "nothing"));
    CHECK(m->aliases[11].line == 11);  /* `x` in the parenthesised list */
    arena_free(&a);
    CHECK_ERROR("import\n", "1:7: invalid syntax");
    CHECK_ERROR("from a\n", "1:7: expected 'import'");
    CHECK_ERROR("from a import (b\n", "1:15: '(' was never closed");
    CHECK_ERROR("import a as\n", "1:12: invalid syntax");
}

TEST(parse_module_constants) {
    const char *src = "BLOCK = 1024\n"
                      "EPS: float = 1e-5\n"
                      "N: tl.constexpr = tl.constexpr(128)\n"
                      "A = B = 7\n"
                      "X = 1; Y = 2\n"
                      "FN = lambda x: x\n"
                      "L = [i for i in range(3)]\n"
                      "T = 1, 2\n"
                      "D = {\"a\": [1, 2], \"b\": (3,)}\n"
                      "ANN: int\n"
                      "S = x.y = 3\n"
                      "W = (n := 3)\n"
                      "COND = 1 if a else 2\n"
                      "BLOCK = 2048\n"
                      "C = 1j\n"
                      "STAR = *a, b\n";
    CHECK_DUMP(src, "const BLOCK = 1024\n"
                    "const EPS = 1e-05\n"
                    "const N = tl.constexpr(128)\n"
                    "const A = 7\n"
                    "const B = 7\n"
                    "const X = 1\n"
                    "const Y = 2\n"
                    "const T = (1, 2)\n"
                    "const D = {'a': [1, 2], 'b': (3,)}\n"
                    "const COND = (1 if a else 2)\n"
                    "const BLOCK = 2048\n"
                    "const STAR = (*a, b)\n");
    arena a;
    arena_init(&a);
    diag d = {0};
    ast_module *m = parse_module(&a, "k.py", src, strlen(src), &d);
    REQUIRE(m);
    const ast_const *c = ast_find_const(m, "BLOCK");
    REQUIRE(c);
    CHECK(c->value->ival == 2048 && c->line == 14 && c->col == 1);
    CHECK(!ast_find_const(m, "FN"));
    CHECK(!ast_find_const(m, "L"));
    CHECK(!ast_find_const(m, "ANN"));
    CHECK(!ast_find_const(m, "S"));
    CHECK(ast_find_const(m, "Y")->col == 8);
    arena_free(&a);
}

TEST(parse_module_skips_host_code) {
    const char *src =
        "import triton\n"
        "class Foo(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x):\n"
        "        return [v for v in x if v]\n"
        "if __name__ == '__main__':\n"
        "    print(f\"{x!r:>{10}}\")\n"
        "try:\n"
        "    import fast as impl\n"
        "    LIMIT = 4\n"
        "except ImportError:\n"
        "    import slow as impl\n"
        "finally:\n"
        "    pass\n"
        "with open(f) as g: data = g.read()\n"
        "async def main():\n"
        "    async with a as b:\n"
        "        await b\n"
        "match command.split():\n"
        "    case [action]:\n"
        "        pass\n"
        "    case _:\n"
        "        pass\n"
        "for i in range(3): print(i)\n"
        "while False:\n"
        "    pass\n"
        "x += 1\n"
        "print('a'); Z = 3\n"
        "del x\n"
        "global q\n"
        "assert True, 'msg'\n"
        "raise SystemExit\n"
        "@decorator(lambda f: f)\n"
        "class Bar: pass\n"
        "@triton.jit\n"
        "def kernel(x):\n"
        "    pass\n";
    CHECK_DUMP(src, "import triton = triton\n"
                    "import impl = fast\n"
                    "const LIMIT = 4\n"
                    "const Z = 3\n"
                    "\n"
                    "@triton.jit\n"
                    "def kernel(x):  # line 36\n"
                    "  pass\n");
    /* errors in host code structure are still syntax errors */
    CHECK_ERROR("x = 1\n    y = 2\n", "2:5: unexpected indent");
    CHECK_ERROR("def f():\nreturn 1\n", "2:1: expected an indented block");
    CHECK_ERROR("match x:\ny = 1\n", "2:1: expected an indented block");
    CHECK_ERROR("@decorator\nx = 1\n", "2:1: invalid syntax");
    CHECK_ERROR("import a b\n", "1:10: invalid syntax");
}

TEST(parse_module_lexical_errors_anywhere) {
    CHECK_ERROR("def host():\n    return 'abc\n", "2:12: unterminated string literal");
    CHECK_ERROR("class A:\n    x = 0x\n", "2:11: invalid hexadecimal literal");
    CHECK_ERROR("if x:\n    y = 1\n  z = 2\n", "3:3: unindent does not match any outer indentation level");
}

TEST(parse_dump_module_layout) {
    const char *src =
        "import triton\n"
        "import triton.language as tl\n"
        "from ..utils import triton_lang_extension as tle\n"
        "BLOCK = 1024\n"
        "@triton.jit\n"
        "def add_kernel(x_ptr, y_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):\n"
        "    pid = tle.program_id(axis=0)\n"
        "    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)\n"
        "    mask = offsets < n_elements\n"
        "    x = tl.load(x_ptr + offsets, mask=mask, other=0.0)\n"
        "    y = tl.load(y_ptr + offsets, mask=mask)\n"
        "    tl.store(out_ptr + offsets, tl.where(x > 0, x + y, -x), mask=mask)\n"
        "@triton.jit\n"
        "def helper(a, b):\n"
        "    return tl.maximum(a, b) ** 2 // 3\n";
    CHECK_DUMP(src, "import triton = triton\n"
                    "import tl = triton.language\n"
                    "import tle = ..utils.triton_lang_extension\n"
                    "const BLOCK = 1024\n"
                    "\n"
                    "@triton.jit\n"
                    "def add_kernel(x_ptr, y_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):  # line 6\n"
                    "  pid = tle.program_id(axis=0)\n"
                    "  offsets = ((pid * BLOCK_SIZE) + tl.arange(0, BLOCK_SIZE))\n"
                    "  mask = (offsets < n_elements)\n"
                    "  x = tl.load((x_ptr + offsets), mask=mask, other=0.0)\n"
                    "  y = tl.load((y_ptr + offsets), mask=mask)\n"
                    "  tl.store((out_ptr + offsets), tl.where((x > 0), (x + y), (-x)), mask=mask)\n"
                    "\n"
                    "@triton.jit\n"
                    "def helper(a, b):  # line 14\n"
                    "  return ((tl.maximum(a, b) ** 2) // 3)\n");
    CHECK_DUMP("", "");
    CHECK_DUMP("@triton.jit\ndef k():\n    pass\n", "@triton.jit\ndef k():  # line 2\n  pass\n");
}

/* ---- helpers ----------------------------------------------------------------------------- */

TEST(parse_ast_helpers) {
    const char *src = "import triton\n@triton.jit\ndef k(x):\n    return 1\n@triton.jit\ndef k(x):\n    return 2\n"
                      "@triton.jit\ndef other(x):\n    pass\n";
    arena a;
    arena_init(&a);
    diag d = {0};
    ast_module *m = parse_module(&a, "k.py", src, strlen(src), &d);
    REQUIRE(m && m->n_funcs == 3);
    CHECK_STR(m->file, "k.py");
    const ast_func *f = ast_find_func(m, "k");
    REQUIRE(f);
    CHECK(f->line == 6);  /* the later definition wins */
    CHECK(ast_find_func(m, "other") == m->funcs[2]);
    CHECK(!ast_find_func(m, "missing"));
    CHECK(!ast_find_const(m, "missing"));
    arena_free(&a);

    const char *bins[] = {"+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^"};
    for (int i = OP_ADD; i <= OP_BITXOR; i++) CHECK_STR(binop_symbol((binop_kind)i), bins[i]);
    const char *cmps[] = {"<", "<=", ">", ">=", "==", "!=", "is", "is not", "in", "not in"};
    for (int i = CMP_LT; i <= CMP_NOT_IN; i++) CHECK_STR(cmp_symbol((cmp_kind)i), cmps[i]);
    const char *uns[] = {"-", "+", "~", "not"};
    for (int i = UN_NEG; i <= UN_NOT; i++) CHECK_STR(unary_symbol((unary_kind)i), uns[i]);
}

TEST(parse_file_errors) {
    arena a;
    arena_init(&a);
    diag d = {0};
    CHECK(!parse_file(&a, "/nonexistent/dir/kernel.py", &d));
    CHECK(d.kind == DIAG_ERROR && d.line == 0 && d.col == 0);
    CHECK_STR(d.file, "/nonexistent/dir/kernel.py");
    CHECK_STR(d.message, "cannot read: No such file or directory");
    char buf[600];
    diag_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "/nonexistent/dir/kernel.py: cannot read: No such file or directory");
    memset(&d, 0, sizeof d);
    ast_module *m = parse_file(&a, "tests/corpus/good/softmax_autograd.py", &d);
    CHECK(m && m->n_funcs == 1);
    if (m) CHECK_STR(m->file, "tests/corpus/good/softmax_autograd.py");
    memset(&d, 0, sizeof d);
    CHECK(!parse_file(&a, "tests/corpus/bad/stray_dollar.py", &d));
    diag_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "tests/corpus/bad/stray_dollar.py:10:28: invalid character '$'");
    arena_free(&a);
}

TEST(parse_long_file) {
    /* 100k lines of host code and a kernel with 20k statements */
    strbuf sb;
    strbuf_init(&sb);
    strbuf_append(&sb, "import triton\n");
    for (int i = 0; i < 50000; i++) strbuf_printf(&sb, "def host%d(x):\n    return [x for _ in range(%d)]\n", i, i);
    strbuf_append(&sb, "@triton.jit\ndef k(x):\n");
    for (int i = 0; i < 20000; i++) strbuf_printf(&sb, "    v%d = x * %d + 1\n", i, i);
    strbuf_append(&sb, "C = 5\n");
    arena a;
    arena_init(&a);
    diag d = {0};
    ast_module *m = parse_module(&a, "k.py", sb.data, sb.len, &d);
    REQUIRE(m);
    CHECK(m->n_funcs == 1 && m->funcs[0]->n_body == 20000 && m->funcs[0]->line == 100003);
    CHECK(m->n_consts == 1 && m->consts[0].line == 120004);
    arena_free(&a);
    strbuf_free(&sb);
}

TEST(parse_every_prefix_of_a_module) {
    /* every truncation of a kernel file parses or fails cleanly with a position (under ASan) */
    const char *src =
        "import triton\nimport triton.language as tl\nfrom ..utils import triton_lang_extension as tle\n"
        "B = {'a': (1, [2.5, -3])}\n"
        "@libtuner(configs=[triton.Config({'B': 64})], key=['n'], fn=lambda a: a)\n"
        "@triton.jit(do_not_specialize=['eps'])\n"
        "def k(x_ptr, y_ptr, n, eps, BLOCK: tl.constexpr = 4, *, F: tl.constexpr):\n"
        "    pid = tle.program_id(0); offs = pid * BLOCK + tl.arange(0, BLOCK)\n"
        "    mask = (offs < n) & (offs >= 0) and not F\n"
        "    x = tl.load(x_ptr + offs[:, None], mask=mask, other=-float('inf'))\n"
        "    if F is not None:\n        x = x ** -2 if eps else ~x\n    elif F: pass\n    else:\n        x += 1\n"
        "    for i in tl.range(0, n, BLOCK):\n        while x < 3: x, y = y, x\n"
        "    assert n > 0, f\"{n!r}\"\n"
        "    tl.store(y_ptr + offs, tl.where(mask, x, 0.0), mask=mask)\n"
        "    return x, y\n"
        "class A:\n    def f(self): return [v for v in self]\n";
    size_t n = strlen(src);
    int ok = 0;
    for (size_t len = 0; len <= n; len++) {
        arena a;
        arena_init(&a);
        diag d = {0};
        char *copy = malloc(len + 1);
        memcpy(copy, src, len);
        copy[len] = 0;
        if (parse_module(&a, "k.py", copy, len, &d)) ok++;
        else CHECK(d.line >= 1 && d.col >= 1 && d.message[0]);
        free(copy);
        arena_free(&a);
    }
    CHECK(ok > 20);
}

/* ---- corpus ------------------------------------------------------------------------------ */

/* Calls fn on every .py file of dir (sorted by name); returns the number of files. */
static int for_each_py(const char *dir, void (*fn)(const char *path, int *failures), int *failures) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 3 && strcmp(e->d_name + len - 3, ".py") == 0) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    for (int i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        fn(path, failures);
        free(names[i]);
    }
    return n;
}

static void check_good_file(const char *path, int *failures) {
    arena a;
    arena_init(&a);
    diag d = {0};
    ast_module *m = parse_file(&a, path, &d);
    if (!m || m->n_funcs < 1) {
        char buf[600];
        diag_format(&d, buf, sizeof buf);
        printf("    corpus/good: %s: %s\n", path, m ? "no jitted function found" : buf);
        (*failures)++;
    } else {
        strbuf sb;  /* the dump of every good file must work too */
        strbuf_init(&sb);
        ast_dump_module(m, &sb);
        if (sb.len == 0) (*failures)++;
        strbuf_free(&sb);
    }
    arena_free(&a);
}

static void check_bad_file(const char *path, int *failures) {
    arena a;
    arena_init(&a);
    diag d = {0};
    size_t len;
    char *src = file_read(&a, path, &len);
    int line = 0, col = 0;
    if (!src || sscanf(src, "# error: %d:%d", &line, &col) != 2) {
        printf("    corpus/bad: %s: no '# error: LINE:COL' first line\n", path);
        (*failures)++;
    } else if (parse_module(&a, path, src, len, &d)) {
        printf("    corpus/bad: %s: parsed without error (expected %d:%d)\n", path, line, col);
        (*failures)++;
    } else if (d.line != line || d.col != col) {
        printf("    corpus/bad: %s: error at %d:%d (%s), expected %d:%d\n", path, d.line, d.col, d.message, line, col);
        (*failures)++;
    }
    arena_free(&a);
}

TEST(parse_corpus_good) {
    int n = for_each_py("tests/corpus/good", check_good_file, test_failures_);
    CHECK(n >= 12);
}

TEST(parse_corpus_bad) {
    int n = for_each_py("tests/corpus/bad", check_bad_file, test_failures_);
    CHECK(n >= 12);
}
