/* Fuzz target: the Python lexer and parser (src/triton) on a whole module, then the AST
 * printer on whatever parsed (it walks every node the parser built). */
#include "fuzz_input.h"
#include "triton/parse.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    arena a;
    arena_init(&a);
    char *src = fuzz_text(&a, data, size);
    diag err = {0};
    ast_module *m = parse_module(&a, "fuzz.py", src, strlen(src), &err);
    if (m) {
        strbuf out;
        strbuf_init(&out);
        ast_dump_module(m, &out);
        strbuf_free(&out);
    }
    /* A standalone expression, as manifests use them. */
    diag err2 = {0};
    parse_expression(&a, "fuzz.yaml", 1, 1, src, &err2);
    arena_free(&a);
    return 0;
}
