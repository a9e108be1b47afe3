/* Fuzz target: the manifest loader (src/bench/manifest.c over yaml_tree.c, filling plan.c's
 * structures) with the harness keys, on manifest text as if read from
 * <tmp>/vlift-fuzz-manifest/m.yaml. That directory holds k.py (a small kernel) so that
 * `source: k.py` resolves; when a manifest loads, its first operator's first variant is run
 * concretely under a small budget, which evaluates every size, grid and binding expression. */
#include "bench/manifest.h"
#include "exec/launch.h"
#include "fuzz_input.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char kernel[] =
    "import triton\nimport triton.language as tl\n"
    "@triton.jit\n"
    "def k(x, y, N, B: tl.constexpr = 4):\n"
    "    o = tl.program_id(0) * B + tl.arange(0, B)\n"
    "    tl.store(y + o, tl.load(x + o, mask=o < N) * 2, mask=o < N)\n";

/* The fixture directory; (re)created when missing. Returns the manifest path to report. */
static const char *fixture(char *dir, size_t size) {
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/vlift-fuzz-manifest", tmp && *tmp ? tmp : "/tmp");
    char path[4200];
    snprintf(path, sizeof path, "%s/k.py", dir);
    if (access(path, R_OK) != 0) {
        mkdir(dir, 0700);
        FILE *f = fopen(path, "w");
        if (f) {
            fputs(kernel, f);
            fclose(f);
        }
    }
    return dir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char dir[4096];
    fixture(dir, sizeof dir);
    arena a;
    arena_init(&a);
    char *text = fuzz_text(&a, data, size);
    char *path = arena_printf(&a, "%s/m.yaml", dir);
    diag err = {0};
    manifest_harness h = {0};
    plan_suite *s = manifest_load_text(&a, path, text, size, &h, &err);
    if (s && s->n_ops > 0 && s->ops[0].n_variants > 0) {
        const plan_op *op = &s->ops[0];
        exec_sources src;
        if (exec_load_sources(&a, op, &src, &err)) {
            exec_options opt = {.mode = EXEC_CONCRETE, .seed = 1, .max_steps = 20000, .max_elements = 4096, .max_memory_mb = 64};
            exec_result r;
            exec_operator(op, &op->variants[0], &src, &opt, &r);
            exec_result_free(&r);
        }
    }
    arena_free(&a);
    return 0;
}
