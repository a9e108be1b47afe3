/* The unit-test runner: runs every TEST registered by the unit test files (tests/unit), in file and
 * name order, or only those whose name contains argv[1]. */
#include "test.h"
#include <stdlib.h>

typedef struct test_case { const char *name, *file; test_fn fn; } test_case;
static test_case *cases;   /* filled by constructors before main; read-only afterwards */
static int n_cases, cap_cases;

void test_register(const char *name, const char *file, test_fn fn) {
    if (n_cases == cap_cases) {
        cap_cases = cap_cases ? cap_cases * 2 : 64;
        cases = realloc(cases, (size_t)cap_cases * sizeof *cases);
        if (!cases) abort();
    }
    cases[n_cases++] = (test_case){name, file, fn};
}

static int by_file_then_name(const void *a, const void *b) {
    const test_case *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->name, y->name);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    qsort(cases, (size_t)n_cases, sizeof *cases, by_file_then_name);
    int passed = 0, failed = 0;
    for (int i = 0; i < n_cases; i++) {
        if (argc > 1 && !strstr(cases[i].name, argv[1])) continue;
        int failures = 0;
        cases[i].fn(&failures);
        if (failures) {
            printf("FAIL %s (%s)\n", cases[i].name, cases[i].file);
            failed++;
        } else {
            passed++;
        }
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    free(cases);
    return failed ? 1 : 0;
}
