/* Unit tests of the interpreter's building blocks: value domains, broadcasting, memory, host
 * expressions, and exec_operator's error paths on programmatically built plans. */
#include "exec/host_expr.h"
#include "exec/launch.h"
#include "test.h"
#include "triton/parse.h"
#include "util/strbuf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static elem arith(arith_op op, vclass cls, elem a, elem b) {
    elem out;
    const char *why = NULL;
    if (!concrete_arith(op, cls, a, b, &out, &why)) out = elem_int(-999999);
    return out;
}

TEST(concrete_division_semantics) {
    /* Python floor semantics and C truncation semantics differ on negative operands. */
    CHECK(arith(AR_FLOORDIV, VC_INT, elem_int(-7), elem_int(2)).u.i == -4);
    CHECK(arith(AR_MOD, VC_INT, elem_int(-7), elem_int(2)).u.i == 1);
    CHECK(arith(AR_TRUNCDIV, VC_INT, elem_int(-7), elem_int(2)).u.i == -3);
    CHECK(arith(AR_TRUNCMOD, VC_INT, elem_int(-7), elem_int(2)).u.i == -1);
    CHECK(arith(AR_FLOORDIV, VC_INT, elem_int(7), elem_int(-2)).u.i == -4);
    CHECK(arith(AR_MOD, VC_INT, elem_int(7), elem_int(-2)).u.i == -1);
    elem out;
    const char *why = NULL;
    CHECK(!concrete_arith(AR_TRUNCDIV, VC_INT, elem_int(1), elem_int(0), &out, &why));
    CHECK(why && strstr(why, "division by zero"));
    CHECK(!concrete_arith(AR_BITAND, VC_FLOAT, elem_float(1), elem_float(1), &out, &why));
}

TEST(concrete_math_and_conversions) {
    elem out;
    const char *why = NULL;
    CHECK(concrete_math(MF_SIGMOID, VC_FLOAT, elem_float(0), &out, &why) && out.u.f == 0.5);
    CHECK(concrete_math(MF_RSQRT, VC_FLOAT, elem_float(4), &out, &why) && out.u.f == 0.5);
    CHECK(!concrete_math(MF_EXP, VC_INT, elem_int(1), &out, &why));
    CHECK(concrete_convert(VC_FLOAT, VC_INT, elem_float(-2.7), &out) && out.u.i == -2);
    CHECK(concrete_convert(VC_INT, VC_FLOAT, elem_int(3), &out) && out.u.f == 3.0);
    CHECK(concrete_convert(VC_FLOAT, VC_BOOL, elem_float(0.5), &out) && out.u.i == 1);
    CHECK(!concrete_convert(VC_FLOAT, VC_INT, elem_float(NAN), &out));
    CHECK(!concrete_convert(VC_FLOAT, VC_PTR, elem_float(1), &out));
    CHECK(concrete_compare(CMP_LE, VC_FLOAT, elem_float(1), elem_float(1), &out) && out.u.i == 1);
    /* Pointers into different buffers are never equal and cannot be ordered. */
    CHECK(concrete_compare(CMP_EQ, VC_PTR, elem_ptr(0, 3), elem_ptr(1, 3), &out) && out.u.i == 0);
    CHECK(!concrete_compare(CMP_LT, VC_PTR, elem_ptr(0, 3), elem_ptr(1, 3), &out));
}

TEST(symbolic_domain_folds_concrete_lanes) {
    term_store *ts = term_store_new();
    rng r;
    rng_seed(&r, 1);
    value_domain d = {&symbolic_domain_ops, ts, &r, 0, NULL};
    elem out;
    /* All-concrete operands stay concrete. */
    CHECK(d.ops->arith(&d, AR_ADD, VC_INT, elem_int(2), elem_int(3), &out) && !out.sym && out.u.i == 5);
    int64_t idx = 0;
    elem x = d.ops->input(&d, "x", 1, &idx, (vtype){VC_FLOAT, DT_FLOAT32}, 0.3);
    CHECK(x.sym);
    /* Integer inputs are concrete even in the symbolic domain. */
    elem k = d.ops->input(&d, "k", 1, &idx, (vtype){VC_INT, DT_INT64}, 7);
    CHECK(!k.sym && k.u.i == 7);
    /* x + 0 folds back to x; x * 2 is a term. */
    CHECK(d.ops->arith(&d, AR_ADD, VC_FLOAT, x, elem_float(0), &out) && out.sym && out.u.t == x.u.t);
    CHECK(d.ops->arith(&d, AR_MUL, VC_FLOAT, x, elem_float(2), &out) && out.sym);
    strbuf s;
    strbuf_init(&s);
    term_print(ts, out.u.t, &s);
    CHECK(strstr(strbuf_cstr(&s), "x[0]") != NULL);
    strbuf_free(&s);
    /* A comparison with a symbolic operand is symbolic; it has no concrete value. */
    CHECK(d.ops->compare(&d, CMP_GT, VC_FLOAT, x, elem_float(0), &out) && out.sym);
    int64_t v;
    CHECK(!d.ops->concrete_int(&d, VC_BOOL, out, &v));
    /* Selecting on a concrete condition picks a lane without building a term. */
    elem picked;
    CHECK(d.ops->select(&d, VC_FLOAT, elem_bool(true), x, elem_float(1), &picked) && picked.u.t == x.u.t);
    /* Floor division of symbolic floats is not modelled: a clean failure with a reason. */
    CHECK(!d.ops->arith(&d, AR_FLOORDIV, VC_FLOAT, x, elem_float(2), &out) && d.why);
    /* Unspecified values are distinct variables. */
    elem u1 = d.ops->unspecified(&d, (vtype){VC_FLOAT, DT_FLOAT32});
    elem u2 = d.ops->unspecified(&d, (vtype){VC_FLOAT, DT_FLOAT32});
    CHECK(u1.sym && u2.sym && u1.u.t != u2.u.t);
    /* -inf stays a constant; max(-inf, x) is x. */
    CHECK(d.ops->arith(&d, AR_MAX, VC_FLOAT, elem_float(-INFINITY), x, &out) && out.sym && out.u.t == x.u.t);
    term_store_free(ts);
}

TEST(broadcasting) {
    int r;
    int64_t shape[MAX_RANK];
    CHECK(shape_broadcast(2, (int64_t[]){4, 1}, 1, (int64_t[]){8}, &r, shape) && r == 2 && shape[0] == 4 && shape[1] == 8);
    CHECK(!shape_broadcast(1, (int64_t[]){3}, 1, (int64_t[]){4}, &r, shape));
    arena a;
    arena_init(&a);
    block *col = block_new(&a, (vtype){VC_INT, DT_INT32}, 2, (int64_t[]){3, 1});
    for (int i = 0; i < 3; i++) col->data[i] = elem_int(i);
    /* [3,1] broadcast to [3,4]: lane (i, j) reads row i. */
    CHECK(broadcast_index(col, 2, (int64_t[]){3, 4}, 2 * 4 + 3) == 2);
    block *row = block_new(&a, (vtype){VC_INT, DT_INT32}, 1, (int64_t[]){4});
    CHECK(broadcast_index(row, 2, (int64_t[]){3, 4}, 2 * 4 + 3) == 3);
    arena_free(&a);
}

TEST(memory_buffers_and_logical_indices) {
    exec_memory m;
    exec_memory_init(&m);
    int id = exec_memory_add(&m, "x", (vtype){VC_FLOAT, DT_FLOAT32}, ROLE_INPUT, 2, (int64_t[]){3, 4}, (int64_t[]){4, 1}, 1000);
    CHECK(id == 0 && m.buffers[0]->storage == 12);
    int64_t idx[MAX_RANK];
    CHECK(exec_buffer_logical_index(m.buffers[0], 7, idx) && idx[0] == 1 && idx[1] == 3);
    CHECK(!exec_buffer_logical_index(m.buffers[0], 12, idx));
    /* A transposed view: strides (1, 3). */
    int t = exec_memory_add(&m, "xt", (vtype){VC_FLOAT, DT_FLOAT32}, ROLE_INPUT, 2, (int64_t[]){4, 3}, (int64_t[]){1, 4}, 1000);
    CHECK(t == 1 && m.buffers[1]->storage == 12);
    CHECK(exec_buffer_logical_index(m.buffers[1], 5, idx) && idx[0] == 1 && idx[1] == 1);
    /* Too large and negative sizes are refused. */
    CHECK(exec_memory_add(&m, "big", (vtype){VC_FLOAT, DT_FLOAT32}, ROLE_TEMP, 1, (int64_t[]){2000}, (int64_t[]){1}, 1000) < 0);
    CHECK(exec_memory_add(&m, "neg", (vtype){VC_FLOAT, DT_FLOAT32}, ROLE_TEMP, 1, (int64_t[]){-1}, (int64_t[]){1}, 1000) < 0);
    exec_memory_free(&m);
}

static plan_expr px(const char *text) { return (plan_expr){text, "test.yaml", 3, 7}; }

TEST(host_expressions) {
    arena a;
    arena_init(&a);
    host_scope s;
    host_scope_init(&s, NULL, NULL);
    host_value n = {0};
    n.kind = HV_INT;
    n.i = 10;
    host_scope_set(&s, "N", n);
    diag err = {0};
    int64_t v;
    plan_expr e1 = px("cdiv(N, 4) * 2 + next_pow2(N) - ceil_sqrt(N)");
    CHECK(host_eval_int(&a, &e1, &s, &v, &err) && v == 6 + 16 - 4);
    plan_expr e2 = px("-7 // 2");
    CHECK(host_eval_int(&a, &e2, &s, &v, &err) && v == -4);
    plan_expr e3 = px("max(N, 3, 12) if N > 5 else 0");
    CHECK(host_eval_int(&a, &e3, &s, &v, &err) && v == 12);
    bool b;
    plan_expr e4 = px("N >= 8 and not N > 10");
    CHECK(host_eval_bool(&a, &e4, &s, &b, &err) && b);
    /* Errors point into the manifest at the expression's position. */
    plan_expr e5 = px("N + K");
    CHECK(!host_eval_int(&a, &e5, &s, &v, &err));
    CHECK(err.line == 3 && err.col == 11 && strstr(err.message, "name 'K' is not defined"));
    diag err2 = {0};
    plan_expr e6 = px("frob(N)");
    CHECK(!host_eval_int(&a, &e6, &s, &v, &err2) && strstr(err2.message, "unknown function 'frob'"));
    diag err3 = {0};
    plan_expr e7 = px("N // 0");
    CHECK(!host_eval_int(&a, &e7, &s, &v, &err3) && strstr(err3.message, "division by zero"));
    diag err4 = {0};
    plan_expr e8 = px("N +");
    CHECK(!host_eval_int(&a, &e8, &s, &v, &err4) && err4.line == 3);
    host_scope_free(&s);
    arena_free(&a);
}

/* ---- exec_operator on hand-built plans ---- */

static const char *write_kernel(const char *src) {
    static char path[64];
    snprintf(path, sizeof path, "/tmp/vlift_test_kernel_%d.py", (int)getpid());
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fputs(src, f);
    fclose(f);
    return path;
}

typedef struct mini_op {
    plan_op op;
    plan_variant var;
    plan_step step;
    plan_tensor tensors[2];
    plan_size size;
    const char *source;
    exec_sources src;
    arena a;
} mini_op;

/* y[N] = f(x[N]) with one launch of `kernel` over grid `grid`. */
static bool mini_setup(mini_op *m, const char *kernel_src, const char *kernel, const char *grid) {
    memset(m, 0, sizeof *m);
    arena_init(&m->a);
    m->source = write_kernel(kernel_src);
    m->op.name = "mini";
    m->op.manifest = "mini.yaml";
    m->op.sources = &m->source;
    m->op.n_sources = 1;
    m->size = (plan_size){"N", 4, 1, 1};
    m->op.sizes = &m->size;
    m->op.n_sizes = 1;
    m->tensors[0] = (plan_tensor){.name = "x", .role = ROLE_INPUT, .dtype = DT_FLOAT32, .rank = 1, .lo = -1, .hi = 1};
    m->tensors[0].shape[0] = px("N");
    m->tensors[1] = (plan_tensor){.name = "y", .role = ROLE_OUTPUT, .dtype = DT_FLOAT32, .rank = 1};
    m->tensors[1].shape[0] = px("N");
    m->op.tensors = m->tensors;
    m->op.n_tensors = 2;
    m->step.kind = STEP_LAUNCH;
    m->step.kernel = kernel;
    m->step.grid[0] = px(grid);
    m->step.grid_rank = 1;
    m->var.name = "default";
    m->var.steps = &m->step;
    m->var.n_steps = 1;
    m->op.variants = &m->var;
    m->op.n_variants = 1;
    diag err = {0};
    return exec_load_sources(&m->a, &m->op, &m->src, &err);
}

static void mini_free(mini_op *m) {
    remove(m->source);
    arena_free(&m->a);
}

static bool mini_run(mini_op *m, exec_mode mode, uint64_t max_steps, exec_result *r) {
    exec_options opt = {0};
    opt.mode = mode;
    opt.seed = 3;
    opt.max_steps = max_steps;
    return exec_operator(&m->op, &m->var, &m->src, &opt, r);
}

static const char copy_kernel[] =
    "import triton\nimport triton.language as tl\n"
    "@triton.jit\n"
    "def copy(x, y, N, B: tl.constexpr = 4):\n"
    "    o = tl.program_id(0) * B + tl.arange(0, B)\n"
    "    tl.store(y + o, tl.load(x + o, mask=o < N) * 2, mask=o < N)\n";

TEST(exec_runs_a_plan_concretely_and_symbolically) {
    mini_op m;
    REQUIRE(mini_setup(&m, copy_kernel, "copy", "cdiv(N, 4)"));
    exec_result r;
    REQUIRE(mini_run(&m, EXEC_CONCRETE, 0, &r));
    const exec_buffer *x = r.mem.buffers[0], *y = r.mem.buffers[1];
    for (int i = 0; i < 4; i++) CHECK(y->defined[i] && y->data[i].u.f == 2 * x->data[i].u.f);
    CHECK(r.n_launches == 1 && r.n_programs == 1);
    exec_result_free(&r);
    REQUIRE(mini_run(&m, EXEC_SYMBOLIC, 0, &r));
    strbuf s;
    strbuf_init(&s);
    term_print(r.terms, r.mem.buffers[1]->data[3].u.t, &s);
    CHECK(strstr(strbuf_cstr(&s), "x[3]") && strstr(strbuf_cstr(&s), "2"));
    strbuf_free(&s);
    exec_result_free(&r);
    mini_free(&m);
}

/* The input shapes the test before a proof draws from: each stays inside the tensor's range
 * [-1, 1]; the low quarter is all negative there, and three values give ties. */
TEST(exec_input_shapes_stay_in_range) {
    mini_op m;
    REQUIRE(mini_setup(&m, copy_kernel, "copy", "cdiv(N, 4)"));
    exec_size n64 = {"N", 64};
    exec_input_shape shapes[3] = {EXEC_INPUTS_UNIFORM, EXEC_INPUTS_LOW_QUARTER, EXEC_INPUTS_THREE_VALUES};
    for (int k = 0; k < 3; k++) {
        exec_options opt = {0};
        opt.mode = EXEC_CONCRETE;
        opt.seed = 5;
        opt.inputs = shapes[k];
        opt.sizes = &n64;
        opt.n_sizes = 1;
        exec_result r;
        REQUIRE(exec_operator(&m.op, &m.var, &m.src, &opt, &r));
        const exec_buffer *x = r.mem.buffers[0];
        int negative = 0, distinct = 0;
        double seen[64];
        for (int i = 0; i < 64; i++) {
            double v = x->data[i].u.f;
            CHECK(v >= -1 && v <= 1);
            if (shapes[k] == EXEC_INPUTS_LOW_QUARTER) CHECK(v <= -0.5);
            if (shapes[k] == EXEC_INPUTS_THREE_VALUES) CHECK(v == -0.75 || v == -0.25 || v == 0.75);
            negative += v < 0;
            bool known = false;
            for (int j = 0; j < distinct; j++) known = known || seen[j] == v;
            if (!known) seen[distinct++] = v;
        }
        if (shapes[k] == EXEC_INPUTS_UNIFORM) CHECK(negative > 8 && negative < 56 && distinct == 64);
        if (shapes[k] == EXEC_INPUTS_THREE_VALUES) CHECK(distinct == 3);
        exec_result_free(&r);
    }
    mini_free(&m);
}

TEST(exec_reports_binding_and_kernel_errors) {
    mini_op m;
    REQUIRE(mini_setup(&m, copy_kernel, "nosuch", "1"));
    exec_result r;
    CHECK(!mini_run(&m, EXEC_CONCRETE, 0, &r));
    CHECK(r.err.kind == DIAG_ERROR && strstr(r.err.message, "kernel 'nosuch' is not a @triton.jit function") &&
          strstr(r.err.message, "found: copy"));
    exec_result_free(&r);
    /* An argument that names no kernel parameter. */
    m.step.kernel = "copy";
    plan_binding extra = {"Q", px("1")};
    m.step.args = &extra;
    m.step.n_args = 1;
    CHECK(!mini_run(&m, EXEC_CONCRETE, 0, &r) && strstr(r.err.message, "'Q' is not a parameter of kernel 'copy'"));
    exec_result_free(&r);
    /* A parameter with no binding. */
    m.step.n_args = 0;
    m.op.n_sizes = 0;
    m.tensors[0].shape[0] = px("4");
    m.tensors[1].shape[0] = px("4");
    CHECK(!mini_run(&m, EXEC_CONCRETE, 0, &r) && strstr(r.err.message, "kernel parameter 'N' of 'copy' has no binding"));
    exec_result_free(&r);
    mini_free(&m);
}

TEST(exec_limits_steps_and_recursion) {
    static const char loop_kernel[] =
        "import triton\nimport triton.language as tl\n"
        "@triton.jit\n"
        "def spin(x, y, N):\n"
        "    i = 0\n"
        "    while i >= 0:\n"
        "        i += 1\n";
    mini_op m;
    REQUIRE(mini_setup(&m, loop_kernel, "spin", "1"));
    exec_result r;
    CHECK(!mini_run(&m, EXEC_CONCRETE, 10000, &r));
    CHECK(r.err.kind == DIAG_LIMIT && strstr(r.err.message, "step limit"));
    CHECK(r.err.line >= 6);
    exec_result_free(&r);
    mini_free(&m);
    static const char recursive_kernel[] =
        "import triton\nimport triton.language as tl\n"
        "@triton.jit\n"
        "def f(v):\n"
        "    return f(v)\n"
        "@triton.jit\n"
        "def rec(x, y, N):\n"
        "    f(1)\n";
    REQUIRE(mini_setup(&m, recursive_kernel, "rec", "1"));
    CHECK(!mini_run(&m, EXEC_CONCRETE, 0, &r));
    CHECK(r.err.kind == DIAG_LIMIT && strstr(r.err.message, "call depth"));
    exec_result_free(&r);
    mini_free(&m);
    /* A launch step calling its own variant unconditionally recurses until the limit. */
    REQUIRE(mini_setup(&m, copy_kernel, "copy", "1"));
    plan_step self_call = {0};
    self_call.kind = STEP_CALL;
    self_call.variant = "default";
    m.var.steps = &self_call;
    CHECK(!mini_run(&m, EXEC_CONCRETE, 0, &r) && r.err.kind == DIAG_LIMIT && strstr(r.err.message, "call depth"));
    exec_result_free(&r);
    mini_free(&m);
}

TEST(exec_rejects_unsupported_and_data_dependent_constructs) {
    static const char branchy[] =
        "import triton\nimport triton.language as tl\n"
        "@triton.jit\n"
        "def k(x, y, N):\n"
        "    v = tl.load(x)\n"
        "    if v > 0:\n"
        "        tl.store(y, v)\n";
    mini_op m;
    REQUIRE(mini_setup(&m, branchy, "k", "1"));
    exec_result r;
    /* Concrete: fine (y[0] written or not); symbolic: a data-dependent branch is UNSUPPORTED. */
    CHECK(mini_run(&m, EXEC_CONCRETE, 0, &r));
    exec_result_free(&r);
    CHECK(!mini_run(&m, EXEC_SYMBOLIC, 0, &r));
    CHECK(r.err.kind == DIAG_UNSUPPORTED && r.err.line == 6 && strstr(r.err.message, "depends on input data"));
    exec_result_free(&r);
    mini_free(&m);
    static const char slicing[] =
        "import triton\nimport triton.language as tl\n"
        "@triton.jit\n"
        "def k(x, y, N):\n"
        "    v = tl.load(x + tl.arange(0, 4))\n"
        "    w = v[1:3]\n";
    REQUIRE(mini_setup(&m, slicing, "k", "1"));
    CHECK(!mini_run(&m, EXEC_CONCRETE, 0, &r) && r.err.kind == DIAG_UNSUPPORTED && strstr(r.err.message, "slicing"));
    exec_result_free(&r);
    mini_free(&m);
    static const char bad_arange[] =
        "import triton\nimport triton.language as tl\n"
        "@triton.jit\n"
        "def k(x, y, N):\n"
        "    v = tl.arange(0, 6)\n";
    REQUIRE(mini_setup(&m, bad_arange, "k", "1"));
    CHECK(!mini_run(&m, EXEC_CONCRETE, 0, &r) && strstr(r.err.message, "power of 2"));
    CHECK(r.err.line == 5 && r.err.file && strstr(r.err.file, "vlift_test_kernel"));
    exec_result_free(&r);
    mini_free(&m);
    static const char undefined_name[] =
        "import triton\nimport triton.language as tl\n"
        "@triton.jit\n"
        "def k(x, y, N):\n"
        "    v = w + 1\n";
    REQUIRE(mini_setup(&m, undefined_name, "k", "1"));
    CHECK(!mini_run(&m, EXEC_CONCRETE, 0, &r) && r.err.kind == DIAG_ERROR && strstr(r.err.message, "name 'w' is not defined"));
    CHECK(r.err.line == 5 && r.err.col == 9);
    exec_result_free(&r);
    mini_free(&m);
}

TEST(exec_handles_parameter_markers) {
    /* '/' and '*' separate positional-only and keyword-only parameters; they bind nothing. */
    static const char markers[] =
        "import triton\nimport triton.language as tl\n"
        "@triton.jit\n"
        "def scale(v, /, s, *, t=0.0):\n"
        "    return v * s + t\n"
        "@triton.jit\n"
        "def k(x, y, N, *, B: tl.constexpr = 4):\n"
        "    o = tl.arange(0, B)\n"
        "    tl.store(y + o, scale(tl.load(x + o, mask=o < N), 2.0, t=1.0), mask=o < N)\n";
    mini_op m;
    REQUIRE(mini_setup(&m, markers, "k", "1"));
    exec_result r;
    REQUIRE(mini_run(&m, EXEC_CONCRETE, 0, &r));
    const exec_buffer *x = r.mem.buffers[0], *y = r.mem.buffers[1];
    for (int i = 0; i < 4; i++) CHECK(y->data[i].u.f == 2 * x->data[i].u.f + 1);
    exec_result_free(&r);
    mini_free(&m);
    /* Too many positional arguments for the parameters before '*'. */
    static const char too_many[] =
        "import triton\nimport triton.language as tl\n"
        "@triton.jit\n"
        "def f(a, *, b=1):\n"
        "    return a\n"
        "@triton.jit\n"
        "def k(x, y, N):\n"
        "    f(1, 2)\n";
    REQUIRE(mini_setup(&m, too_many, "k", "1"));
    CHECK(!mini_run(&m, EXEC_CONCRETE, 0, &r) && strstr(r.err.message, "takes 1 positional arguments, 2 given"));
    exec_result_free(&r);
    mini_free(&m);
}
