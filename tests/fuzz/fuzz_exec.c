/* Fuzz target: the interpreter (src/exec) on a parsed kernel. The input is a Python module; its
 * jitted function `k` is launched over a grid of 2 programs as the operator
 * y[N] = k(x[N]) with N = 4 (parameters x, y, N are bound by name, others take their
 * defaults), once concretely and once symbolically, under a small step and element budget so
 * that every run is quick. Inputs without `k` stop at the parser. */
#include "exec/launch.h"
#include "fuzz_input.h"
#include "triton/parse.h"

static plan_expr expr(const char *text) { return (plan_expr){text, "fuzz.yaml", 1, 1}; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    arena a;
    arena_init(&a);
    char *text = fuzz_text(&a, data, size);
    diag err = {0};
    const ast_module *mod = parse_module(&a, "fuzz.py", text, strlen(text), &err);
    if (!mod) {
        arena_free(&a);
        return 0;
    }
    plan_size n = {"N", 4, 1, 1};
    plan_tensor tensors[2] = {
        {.name = "x", .role = ROLE_INPUT, .dtype = DT_FLOAT32, .rank = 1, .lo = -1, .hi = 1},
        {.name = "y", .role = ROLE_OUTPUT, .dtype = DT_FLOAT32, .rank = 1},
    };
    tensors[0].shape[0] = expr("N");
    tensors[1].shape[0] = expr("N");
    plan_step step = {.kind = STEP_LAUNCH, .kernel = "k", .grid_rank = 1};
    step.grid[0] = expr("2");
    plan_variant var = {.name = "default", .steps = &step, .n_steps = 1};
    const char *source = "fuzz.py";
    plan_op op = {.name = "fuzz", .manifest = "fuzz.yaml", .sources = &source, .n_sources = 1,
                  .sizes = &n, .n_sizes = 1, .tensors = tensors, .n_tensors = 2,
                  .variants = &var, .n_variants = 1};
    exec_sources src = {&mod, 1};
    for (int mode = EXEC_CONCRETE; mode <= EXEC_SYMBOLIC; mode++) {
        exec_options opt = {.mode = (exec_mode)mode, .seed = 1, .max_steps = 20000, .max_elements = 4096, .max_memory_mb = 64};
        exec_result r;
        exec_operator(&op, &var, &src, &opt, &r);
        exec_result_free(&r);
    }
    arena_free(&a);
    return 0;
}
