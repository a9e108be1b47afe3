/* The simplifier on every fixture of tests/simplify/: the lifted formulas of all suite
 * operators and hand-written kernel tricks. For each: the simplified formula agrees numerically
 * with its input, no e-graph merge contradicted a constant, and it compares with the expected
 * formula as the fixture's `match` line says (yes: equal up to commutativity/associativity). */
#include "simplify/ac_equal.h"
#include "simplify/equiv.h"
#include "simplify/simplify.h"
#include "test.h"
#include "util/file.h"
#include "util/strbuf.h"
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    const char *op, *lifted, *expected, *match;
} fixture;

/* Blocks of "key: value" lines separated by blank lines; '#' lines are comments. */
static int read_fixtures(arena *a, const char *path, fixture *out, int max) {
    size_t len;
    char *text = file_read(a, path, &len);
    if (!text) return -1;
    int n = 0;
    fixture cur = {0};
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
        bool op_line = line && strncmp(line, "op: ", 4) == 0;
        if ((!line || op_line) && cur.op && n < max) out[n++] = cur;
        if (!line) break;
        if (op_line) memset(&cur, 0, sizeof cur);
        char *colon = strchr(line, ':');
        if (line[0] == '#' || !colon) continue;
        *colon = 0;
        char *value = colon + 1;
        while (*value == ' ') value++;
        if (strcmp(line, "op") == 0) cur.op = value;
        else if (strcmp(line, "lifted") == 0) cur.lifted = value;
        else if (strcmp(line, "expected") == 0) cur.expected = value;
        else if (strcmp(line, "match") == 0) cur.match = value;
    }
    return n;
}

static void run_fixtures(const char *path, int *test_failures_, int *count) {
    arena a;
    arena_init(&a);
    fixture fx[128];
    int n = read_fixtures(&a, path, fx, 128);
    REQUIRE(n > 0);
    simplify_options opt;
    simplify_options_default(&opt);
    opt.node_limit = 3000;   /* enough for every fixture; keeps the sanitizer run short */
    for (int i = 0; i < n; i++) {
        diag err = {0};
        formula *in = formula_parse(&a, fx[i].op, 1, 1, fx[i].lifted, &err);
        if (!in) {
            printf("    %s: lifted formula does not parse: %s\n", fx[i].op, err.message);
            CHECK(in != NULL);
            continue;
        }
        simplify_result r;
        bool ok = simplify_formula(&a, in, &opt, &r);
        if (!ok) printf("    %s: %s\n", fx[i].op, r.message);
        CHECK(ok);
        CHECK(r.conflicts == 0);
        char why[300];
        bool same = equiv_numeric(in, r.f, 7, 3, why, sizeof why);
        if (!same) printf("    %s: simplified formula differs from its input: %s\n", fx[i].op, why);
        CHECK(same);
        if (fx[i].expected && fx[i].match) {
            formula *want = formula_parse(&a, fx[i].op, 1, 1, fx[i].expected, &err);
            REQUIRE(want);
            const char *got = ac_equal_formula(r.f, want) ? "yes" : ac_equal_formula_unfold(r.f, want) ? "definitions" : "no";
            if (strcmp(got, fx[i].match) != 0) {
                strbuf s;
                strbuf_init(&s);
                formula_print_text(r.f, &s);
                printf("    %s: match is %s, fixture says %s; simplified: %s\n", fx[i].op, got, fx[i].match, strbuf_cstr(&s));
                strbuf_free(&s);
            }
            CHECK(strcmp(got, fx[i].match) == 0);
        }
        (*count)++;
    }
    arena_free(&a);
}

TEST(simplify_fixtures_lifted_operators) {
    int count = 0;
    run_fixtures("tests/simplify/lifted.txt", test_failures_, &count);
    CHECK(count >= 70);
}

TEST(simplify_fixtures_kernel_tricks) {
    int count = 0;
    run_fixtures("tests/simplify/tricks.txt", test_failures_, &count);
    CHECK(count >= 15);
}
