/* Tests of the suite manifest loader (src/bench/manifest.c): every field and position of the
 * complete example tests/manifests/example.yaml, the source_root override from the environment,
 * aliases, one file per error in tests/manifests/bad/ (each starts with the comment
 * `# error: LINE:COL: <part of the message>`), and truncated or mutated manifests that must
 * fail cleanly. Tests run from the repository root. */
#include "bench/manifest.h"
#include "test.h"
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXAMPLE "tests/manifests/example.yaml"
#define BAD_DIR "tests/manifests/bad"

static bool expr_is(const plan_expr *e, const char *text, int line, int col) {
    bool ok = e->text && !strcmp(e->text, text) && e->line == line && e->col == col && e->file &&
              !strcmp(e->file, EXAMPLE);
    if (!ok)
        printf("    expression: got '%s' at %d:%d, expected '%s' at %d:%d\n", e->text ? e->text : "(null)",
               e->line, e->col, text, line, col);
    return ok;
}

static bool binding_is(const plan_binding *b, const char *name, const char *text, int line, int col) {
    return b->name && !strcmp(b->name, name) && expr_is(&b->value, text, line, col);
}

#define KERNELS "tests/manifests/kernels"   /* the example's source_root, as the loader joins it */

static bool is_source(const char *path, const char *dir, const char *file) {
    char expected[PATH_MAX];
    snprintf(expected, sizeof expected, "%s/%s", dir, file);
    return path && !strcmp(path, expected);
}

TEST(manifest_example_suite) {
    arena a;
    arena_init(&a);
    diag d = {0};
    plan_suite *s = manifest_load(&a, EXAMPLE, &d);
    if (!s) printf("    %s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    REQUIRE(s);
    CHECK_STR(s->name, "example");
    CHECK_STR(s->file, EXAMPLE);
    CHECK_STR(s->source_root, KERNELS);
    CHECK(s->n_ops == 2);
    CHECK(plan_find_op(s, "softmax") == &s->ops[0]);
    CHECK(plan_find_op(s, "cumsum") == &s->ops[1]);
    arena_free(&a);
}

TEST(manifest_example_softmax) {
    arena a;
    arena_init(&a);
    diag d = {0};
    plan_suite *s = manifest_load(&a, EXAMPLE, &d);
    REQUIRE(s && s->n_ops == 2);
    const char *dir = KERNELS;
    const plan_op *op = &s->ops[0];
    CHECK_STR(op->name, "softmax");
    CHECK_STR(op->category, "normalization");
    CHECK_STR(op->manifest, EXAMPLE);
    CHECK(op->line == 9 && op->col == 5);
    REQUIRE(op->n_sources == 1);
    CHECK(is_source(op->sources[0], dir, "softmax.py"));

    REQUIRE(op->n_sizes == 2);
    CHECK_STR(op->sizes[0].name, "M");
    CHECK(op->sizes[0].value == 4 && op->sizes[0].line == 13 && op->sizes[0].col == 13);
    CHECK_STR(op->sizes[1].name, "N");
    CHECK(op->sizes[1].value == 8 && op->sizes[1].line == 13 && op->sizes[1].col == 19);

    REQUIRE(op->n_params == 3);
    CHECK_STR(op->params[0].name, "eps"); /* short form, float */
    CHECK_NEAR(op->params[0].value, 1.0e-5, 1e-20);
    CHECK(op->params[0].dtype == DT_FLOAT32 && op->params[0].symbolic);
    CHECK(op->params[0].line == 15 && op->params[0].col == 7);
    CHECK_STR(op->params[1].name, "correction"); /* long form, everything given */
    CHECK(op->params[1].value == 1 && op->params[1].dtype == DT_INT32 && op->params[1].symbolic);
    CHECK(op->params[1].line == 16 && op->params[1].col == 19);
    CHECK_STR(op->params[2].name, "alpha"); /* long form, defaults from the literal */
    CHECK(op->params[2].value == 2 && op->params[2].dtype == DT_INT64 && !op->params[2].symbolic);
    CHECK(op->params[2].line == 17 && op->params[2].col == 14);

    REQUIRE(op->n_tensors == 2);
    const plan_tensor *x = &op->tensors[0], *y = &op->tensors[1];
    CHECK_STR(x->name, "x");
    CHECK(x->role == ROLE_INPUT && x->dtype == DT_FLOAT32 && x->rank == 2);
    CHECK(x->line == 19 && x->col == 10);
    CHECK(expr_is(&x->shape[0], "M", 19, 19));
    CHECK(expr_is(&x->shape[1], "N", 19, 22));
    CHECK(!x->strides[0].text && !x->strides[1].text);
    CHECK(x->lo == -1 && x->hi == 1);
    CHECK_STR(y->name, "y");
    CHECK(y->role == ROLE_OUTPUT && y->dtype == DT_FLOAT16 && y->rank == 2);
    CHECK(y->line == 20 && y->col == 10);
    CHECK(expr_is(&y->strides[0], "N", 20, 66));
    CHECK(expr_is(&y->strides[1], "1", 20, 69));
    CHECK(y->lo == 0.5 && y->hi == 2.0);

    CHECK(expr_is(&op->expected, "y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))\n", 22, 7));

    REQUIRE(op->n_variants == 2);
    const plan_variant *v = &op->variants[0];
    CHECK_STR(v->name, "one_tile");
    CHECK(v->line == 24 && v->col == 9);
    REQUIRE(v->n_constexprs == 2);
    CHECK(binding_is(&v->constexprs[0], "TILE_N", "next_pow2(N)", 26, 31));
    CHECK(binding_is(&v->constexprs[1], "ONE_TILE_PER_CTA", "1", 26, 64));
    REQUIRE(v->n_preconditions == 2);
    CHECK(expr_is(&v->preconditions[0], "TILE_N >= N", 27, 26));
    CHECK(expr_is(&v->preconditions[1], "N > 0", 27, 41));
    CHECK(v->n_temps == 0);
    REQUIRE(v->n_steps == 1);
    const plan_step *st = &v->steps[0];
    CHECK(st->kind == STEP_LAUNCH && st->line == 29 && st->col == 13);
    CHECK_STR(st->kernel, "softmax_kernel_inner");
    CHECK(st->source == NULL);
    CHECK(!st->when.text);
    CHECK(st->grid_rank == 1 && expr_is(&st->grid[0], "M", 30, 20));
    REQUIRE(st->n_args == 3);
    CHECK(binding_is(&st->args[0], "output_ptr", "y", 31, 32));
    CHECK(binding_is(&st->args[1], "input_ptr", "x", 31, 46));
    CHECK(binding_is(&st->args[2], "FLAG", "True", 31, 55)); /* YAML booleans become Python's */

    v = &op->variants[1];
    CHECK_STR(v->name, "loop");
    CHECK(v->line == 32 && v->col == 9);
    REQUIRE(v->n_constexprs == 2);
    CHECK(binding_is(&v->constexprs[0], "TILE_N", "4", 34, 19));
    CHECK(binding_is(&v->constexprs[1], "ONE_TILE_PER_CTA", "False", 35, 29));
    CHECK(v->n_preconditions == 0);
    REQUIRE(v->n_steps == 1);
    st = &v->steps[0];
    CHECK(st->kind == STEP_LAUNCH && st->line == 37 && st->col == 13);
    CHECK(is_source(st->source, dir, "softmax_loop.py"));
    CHECK(st->grid_rank == 1 && expr_is(&st->grid[0], "M", 39, 19));
    CHECK(expr_is(&st->when, "N > 1", 40, 20));
    CHECK(st->n_args == 0);
    CHECK(plan_find_variant(op, "loop") == v);
    arena_free(&a);
}

TEST(manifest_example_single_variant_form) {
    arena a;
    arena_init(&a);
    diag d = {0};
    plan_suite *s = manifest_load(&a, EXAMPLE, &d);
    REQUIRE(s && s->n_ops == 2);
    const char *dir = KERNELS;
    const plan_op *op = &s->ops[1];
    CHECK_STR(op->name, "cumsum");
    CHECK_STR(op->category, "scan");
    CHECK(op->line == 41 && op->col == 5);
    REQUIRE(op->n_sources == 2);
    CHECK(is_source(op->sources[0], dir, "cumsum.py"));
    CHECK(is_source(op->sources[1], dir, "softmax.py"));
    REQUIRE(op->n_sizes == 1);
    CHECK(op->sizes[0].value == 16 && op->sizes[0].line == 45 && op->sizes[0].col == 7);
    CHECK(op->n_params == 0);
    REQUIRE(op->n_tensors == 2);
    CHECK(op->tensors[0].line == 47 && op->tensors[0].col == 18); /* the '{', not the anchor */
    CHECK(op->tensors[0].dtype == DT_FLOAT32 && op->tensors[0].role == ROLE_INPUT);
    CHECK(expr_is(&op->tensors[0].shape[0], "n", 47, 27));
    CHECK(op->tensors[1].line == 49 && op->tensors[1].col == 9);
    CHECK(op->tensors[1].role == ROLE_INOUT && op->tensors[1].rank == 1);
    CHECK(expr_is(&op->tensors[1].shape[0], "n", 49, 17));
    CHECK(expr_is(&op->expected, "y[i] = sum(k in 0..i+1:\n  x[k])\n", 52, 7)); /* folded block */

    REQUIRE(op->n_variants == 1);
    const plan_variant *v = &op->variants[0];
    CHECK_STR(v->name, "default");
    CHECK(v->line == 41 && v->col == 5);
    REQUIRE(v->n_constexprs == 1);
    CHECK(binding_is(&v->constexprs[0], "BLOCK", "4", 54, 25));
    REQUIRE(v->n_temps == 1);
    const plan_tensor *mid = &v->temps[0];
    CHECK_STR(mid->name, "mid");
    CHECK(mid->role == ROLE_TEMP && mid->dtype == DT_FLOAT32 && mid->rank == 1);
    CHECK(mid->line == 56 && mid->col == 12);
    CHECK(expr_is(&mid->shape[0], "cdiv(n, BLOCK)", 56, 22));

    REQUIRE(v->n_steps == 3);
    const plan_step *st = &v->steps[0];
    CHECK(st->kind == STEP_LAUNCH && st->line == 58 && st->col == 9);
    CHECK_STR(st->kernel, "block_scan");
    CHECK(st->source == NULL);
    REQUIRE(st->grid_rank == 3);
    CHECK(expr_is(&st->grid[0], "cdiv(n, BLOCK)", 59, 17));
    CHECK(expr_is(&st->grid[1], "1", 59, 34));
    CHECK(expr_is(&st->grid[2], "1", 59, 37));
    REQUIRE(st->n_args == 4);
    CHECK(binding_is(&st->args[0], "inp", "x", 60, 21));
    CHECK(binding_is(&st->args[3], "n", "n", 60, 49));

    st = &v->steps[1];
    CHECK(st->kind == STEP_CALL && st->line == 61 && st->col == 9);
    CHECK_STR(st->variant, "default");
    CHECK(expr_is(&st->when, "cdiv(n, BLOCK) > 1", 62, 16));
    REQUIRE(st->n_bind == 3);
    CHECK(binding_is(&st->bind[0], "x", "mid", 63, 19));
    CHECK(binding_is(&st->bind[2], "n", "cdiv(n, BLOCK)", 63, 36));
    CHECK(!st->kernel && st->n_args == 0 && st->grid_rank == 0);

    st = &v->steps[2];
    CHECK(st->kind == STEP_LAUNCH && st->line == 64 && st->col == 9);
    CHECK_STR(st->kernel, "add_base");
    CHECK(st->grid_rank == 1 && expr_is(&st->grid[0], "cdiv(n, BLOCK)", 65, 16));
    arena_free(&a);
}

/* ---- helpers for manifests written by the tests themselves ---- */

typedef struct scratch_dir {
    char path[64];
} scratch_dir;

static bool scratch_make(scratch_dir *s) {
    snprintf(s->path, sizeof s->path, "%s/vlift_manifest_XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    return mkdtemp(s->path) != NULL;
}

static void scratch_write(const scratch_dir *s, const char *name, const char *text, size_t len,
                          char *path_out) {
    snprintf(path_out, PATH_MAX, "%s/%s", s->path, name);
    FILE *f = fopen(path_out, "wb");
    if (!f) return;
    fwrite(text, 1, len, f);
    fclose(f);
}

static void scratch_remove(const scratch_dir *s) {
    DIR *d = opendir(s->path);
    if (d) {
        struct dirent *e;
        char path[PATH_MAX];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(path, sizeof path, "%s/%s", s->path, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(s->path);
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    *len = fread(text, 1, (size_t)n, f);
    text[*len] = 0;
    fclose(f);
    return text;
}

TEST(manifest_source_root_from_environment) {
    scratch_dir dir;
    REQUIRE(scratch_make(&dir));
    char path[PATH_MAX];
    const char *stub = "@triton.jit\ndef k(x):\n    pass\n";
    scratch_write(&dir, "softmax.py", stub, strlen(stub), path);
    scratch_write(&dir, "softmax_loop.py", stub, strlen(stub), path);
    scratch_write(&dir, "cumsum.py", stub, strlen(stub), path);
    const char *root = dir.path;   /* used as given */

    arena a;
    arena_init(&a);
    diag d = {0};
    setenv("VLIFT_SOURCE_ROOT_EXAMPLE", dir.path, 1);
    plan_suite *s = manifest_load(&a, EXAMPLE, &d);
    if (!s) printf("    %s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    REQUIRE(s);
    CHECK_STR(s->source_root, root);
    CHECK(is_source(s->ops[0].sources[0], root, "softmax.py"));
    CHECK(is_source(s->ops[0].variants[1].steps[0].source, root, "softmax_loop.py"));
    CHECK(is_source(s->ops[1].sources[0], root, "cumsum.py"));

    /* a file missing under the override: the message says where the root came from */
    unlink(path);
    diag d2 = {0};
    CHECK(manifest_load(&a, EXAMPLE, &d2) == NULL);
    CHECK(d2.line == 43 && d2.col == 15);
    CHECK(strstr(d2.message, "source file 'cumsum.py' not found (looked in ") != NULL);
    CHECK(strstr(d2.message, "$VLIFT_SOURCE_ROOT_EXAMPLE") != NULL);

    /* an override that is not a directory */
    setenv("VLIFT_SOURCE_ROOT_EXAMPLE", "/nonexistent/vlift/dir", 1);
    diag d3 = {0};
    CHECK(manifest_load(&a, EXAMPLE, &d3) == NULL);
    CHECK(d3.line == 3 && d3.col == 8);
    CHECK(strstr(d3.message, "'/nonexistent/vlift/dir' from $VLIFT_SOURCE_ROOT_EXAMPLE not found") != NULL);

    /* an empty variable does not override */
    setenv("VLIFT_SOURCE_ROOT_EXAMPLE", "", 1);
    diag d4 = {0};
    s = manifest_load(&a, EXAMPLE, &d4);
    CHECK(s && !strcmp(s->source_root, KERNELS));
    unsetenv("VLIFT_SOURCE_ROOT_EXAMPLE");
    arena_free(&a);
    scratch_remove(&dir);
}

TEST(manifest_suite_name_to_environment_variable) {
    scratch_dir dir;
    REQUIRE(scratch_make(&dir));
    char path[PATH_MAX];
    const char *stub = "@triton.jit\ndef k(x):\n    pass\n";
    scratch_write(&dir, "k.py", stub, strlen(stub), path);
    const char *yaml = "suite: my-ops.v2\nsource_root: nowhere\noperators:\n"
                       "  - {name: relu, category: elementwise, source: k.py, sizes: {n: 8},\n"
                       "     tensors: {y: {shape: [n], role: output}}, launches: [{kernel: k, grid: 1}]}\n";
    scratch_write(&dir, "suite.yaml", yaml, strlen(yaml), path);
    setenv("VLIFT_SOURCE_ROOT_MY_OPS_V2", dir.path, 1);
    arena a;
    arena_init(&a);
    diag d = {0};
    plan_suite *s = manifest_load(&a, path, &d);
    if (!s) printf("    %s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    CHECK(s && s->n_ops == 1 && s->ops[0].variants[0].steps[0].grid_rank == 1);
    unsetenv("VLIFT_SOURCE_ROOT_MY_OPS_V2");
    diag d2 = {0}; /* without the override, source_root 'nowhere' does not exist */
    CHECK(manifest_load(&a, path, &d2) == NULL);
    CHECK(d2.line == 2 && d2.col == 14 && strstr(d2.message, "source_root directory 'nowhere' not found"));
    arena_free(&a);
    scratch_remove(&dir);
}

TEST(manifest_aliases_share_nodes) {
    scratch_dir dir;
    REQUIRE(scratch_make(&dir));
    char path[PATH_MAX];
    const char *stub = "@triton.jit\ndef k(x):\n    pass\n";
    scratch_write(&dir, "k.py", stub, strlen(stub), path);
    const char *yaml = "suite: aliases\n"
                       "operators:\n"
                       "  - name: add\n"
                       "    category: elementwise\n"
                       "    source: k.py\n"
                       "    sizes: &sizes {n: 8}\n"
                       "    tensors:\n"
                       "      x: &vec {shape: [n], role: input, range: [-2, 2]}\n"
                       "      y: *vec\n"
                       "      z: {shape: [n], role: output}\n"
                       "    variants:\n"
                       "      - name: a\n"
                       "        launches: &steps\n"
                       "          - {kernel: k, grid: [\"cdiv(n, 4)\"], args: {x: x}}\n"
                       "      - name: b\n"
                       "        launches: *steps\n";
    scratch_write(&dir, "suite.yaml", yaml, strlen(yaml), path);
    arena a;
    arena_init(&a);
    diag d = {0};
    plan_suite *s = manifest_load(&a, path, &d);
    if (!s) printf("    %s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    REQUIRE(s && s->n_ops == 1);
    const plan_op *op = &s->ops[0];
    REQUIRE(op->n_tensors == 3 && op->n_variants == 2);
    CHECK_STR(op->tensors[1].name, "y");
    CHECK(op->tensors[1].role == ROLE_INPUT && op->tensors[1].lo == -2 && op->tensors[1].hi == 2);
    CHECK(op->tensors[1].line == 8 && op->tensors[1].col == 15); /* where the anchored node is */
    REQUIRE(op->variants[1].n_steps == 1);
    CHECK_STR(op->variants[1].steps[0].kernel, "k");
    CHECK(op->variants[1].steps[0].grid[0].line == 14 && op->variants[1].steps[0].grid[0].col == 33);
    CHECK_STR(op->variants[1].steps[0].grid[0].text, "cdiv(n, 4)");
    arena_free(&a);
    scratch_remove(&dir);
}

/* Tags are ignored, and anchors or tags before a value do not shift expression positions. */
TEST(manifest_tags_and_anchors_before_values) {
    scratch_dir dir;
    REQUIRE(scratch_make(&dir));
    char path[PATH_MAX];
    const char *stub = "@triton.jit\ndef k(x):\n    pass\n";
    scratch_write(&dir, "k.py", stub, strlen(stub), path);
    const char *yaml = "suite: tags\n"
                       "operators:\n"
                       "  - name: relu\n"
                       "    category: elementwise\n"
                       "    source: !!str k.py\n"
                       "    sizes: !!map {n: 8}\n"
                       "    tensors:\n"
                       "      y: {shape: [!!str \"n\"], role: output}\n"
                       "    expected: !!str &e |  # a comment\n"
                       "\n"
                       "       y[i] = 0\n"
                       "    launches:\n"
                       "      - kernel: k\n"
                       "        grid: &g \"cdiv(n, 4)\"\n"
                       "        when: !!bool true\n";
    scratch_write(&dir, "suite.yaml", yaml, strlen(yaml), path);
    arena a;
    arena_init(&a);
    diag d = {0};
    plan_suite *s = manifest_load(&a, path, &d);
    if (!s) printf("    %s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    REQUIRE(s && s->n_ops == 1);
    const plan_op *op = &s->ops[0];
    CHECK_STR(s->source_root, dir.path);   /* no source_root: the manifest's directory */
    char source[PATH_MAX];
    snprintf(source, sizeof source, "%s/k.py", dir.path);
    CHECK(op->n_sources == 1 && !strcmp(op->sources[0], source));
    CHECK(op->n_sizes == 1 && op->sizes[0].value == 8);
    CHECK(op->tensors[0].shape[0].line == 8 && op->tensors[0].shape[0].col == 26);
    CHECK_STR(op->expected.text, "\ny[i] = 0\n"); /* the empty first line is part of the value */
    CHECK(op->expected.line == 11 && op->expected.col == 8);
    const plan_step *st = &op->variants[0].steps[0];
    CHECK_STR(st->grid[0].text, "cdiv(n, 4)");
    CHECK(st->grid[0].line == 14 && st->grid[0].col == 19);
    CHECK_STR(st->when.text, "True");
    CHECK(st->when.line == 15 && st->when.col == 22);
    arena_free(&a);
    scratch_remove(&dir);
}

/* `values` gives an input tensor explicit contents (row-major); their count is checked at run
 * time against the shape, not here. */
TEST(manifest_tensor_values) {
    scratch_dir dir;
    REQUIRE(scratch_make(&dir));
    char path[PATH_MAX];
    const char *stub = "@triton.jit\ndef k(x):\n    pass\n";
    scratch_write(&dir, "k.py", stub, strlen(stub), path);
    const char *yaml = "suite: values\n"
                       "operators:\n"
                       "  - name: copy\n"
                       "    category: elementwise\n"
                       "    source: k.py\n"
                       "    sizes: {N: 3}\n"
                       "    tensors:\n"
                       "      x: {shape: [N], role: input, values: [1, -0.5, 2e3]}\n"
                       "      y: {shape: [N], role: inout, dtype: int32, values: [0x10, 0o7, -3]}\n"
                       "      z: {shape: [N], role: output}\n"
                       "    launches: [{kernel: k, grid: 1}]\n";
    scratch_write(&dir, "suite.yaml", yaml, strlen(yaml), path);
    arena a;
    arena_init(&a);
    diag d = {0};
    plan_suite *s = manifest_load(&a, path, &d);
    if (!s) printf("    %s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    REQUIRE(s && s->ops[0].n_tensors == 3);
    const plan_tensor *t = s->ops[0].tensors;
    REQUIRE(t[0].n_values == 3 && t[1].n_values == 3);
    CHECK(t[0].values[0] == 1 && t[0].values[1] == -0.5 && t[0].values[2] == 2000);
    CHECK(t[1].values[0] == 16 && t[1].values[1] == 7 && t[1].values[2] == -3);
    CHECK(t[2].n_values == 0 && t[2].values == NULL);
    arena_free(&a);
    scratch_remove(&dir);
}

/* libyaml would decode UTF-16, but positions are computed on UTF-8 bytes: rejected up front. */
TEST(manifest_rejects_utf16) {
    scratch_dir dir;
    REQUIRE(scratch_make(&dir));
    char path[PATH_MAX];
    const char yaml[] = "\xff\xfes\0u\0i\0t\0e\0:\0 \0x\0\n\0";
    scratch_write(&dir, "suite.yaml", yaml, sizeof yaml - 1, path);
    arena a;
    arena_init(&a);
    diag d = {0};
    CHECK(manifest_load(&a, path, &d) == NULL);
    CHECK(d.line == 1 && d.col == 1 && strstr(d.message, "must be UTF-8"));
    arena_free(&a);
    scratch_remove(&dir);
}

TEST(manifest_unreadable_file) {
    arena a;
    arena_init(&a);
    diag d = {0};
    CHECK(manifest_load(&a, "tests/manifests/no_such_manifest.yaml", &d) == NULL);
    CHECK(d.kind == DIAG_ERROR && d.line == 0 && strstr(d.message, "cannot read manifest"));
    diag d2 = {0};
    CHECK(manifest_load(&a, "tests/manifests", &d2) == NULL);
    CHECK(d2.kind == DIAG_ERROR && strstr(d2.message, "directory"));
    arena_free(&a);
}

static int compare_names(const void *x, const void *y) {
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every .yaml file in tests/manifests/bad/ fails at the position and with the message its first line
 * announces: `# error: LINE:COL: <substring of the message>`. */
TEST(manifest_bad_files) {
    DIR *d = opendir(BAD_DIR);
    REQUIRE(d);
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, compare_names);
    CHECK(n >= 40);
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", BAD_DIR, names[i]);
        size_t len;
        char *text = slurp(path, &len);
        int line = 0, col = 0, offset = 0;
        if (!text || sscanf(text, "# error: %d:%d: %n", &line, &col, &offset) != 2 || !offset) {
            printf("    %s: no '# error: LINE:COL: message' header\n", path);
            CHECK(false);
            free(text);
            free(names[i]);
            continue;
        }
        char *expected = text + offset;
        expected[strcspn(expected, "\n")] = 0;
        arena a;
        arena_init(&a);
        diag dg = {0};
        plan_suite *s = manifest_load(&a, path, &dg);
        bool ok = !s && dg.kind == DIAG_ERROR && dg.line == line && dg.col == col && dg.file &&
                  !strcmp(dg.file, path) && strstr(dg.message, expected);
        if (!ok) {
            printf("    %s: expected %d:%d: ...%s...\n      got %d:%d: %s\n", path, line, col, expected,
                   dg.line, dg.col, s ? "(loaded without error)" : dg.message);
            CHECK(ok);
        }
        arena_free(&a);
        free(text);
        free(names[i]);
    }
}

/* Prefixes of the example and single-byte changes to YAML-significant characters at every
 * position must load or fail with a positioned error — never crash (the ASan/UBSan build checks
 * the rest). Each position gets one replacement, rotating through the list, to stay fast. */
TEST(manifest_mutations_fail_cleanly) {
    size_t len;
    char *text = slurp(EXAMPLE, &len);
    REQUIRE(text);
    scratch_dir dir;
    REQUIRE(scratch_make(&dir));
    char *kernels = realpath(KERNELS, NULL), link_path[PATH_MAX], path[PATH_MAX];
    snprintf(link_path, sizeof link_path, "%s/kernels", dir.path);
    REQUIRE(kernels && symlink(kernels, link_path) == 0);
    static const char replacements[] = {'{',  '}',  '[', ':',  '-', '&', '*', '"',
                                        '\'', '\n', ' ', '\t', '|', '#', 0,   '\xff'};
    const size_t n_replacements = sizeof replacements;
    char *copy = malloc(len + 1);
    int loaded = 0, failed = 0, unpositioned = 0;
    for (size_t i = 0; i <= len; i++) {
        for (int kind = 0; kind < 2; kind++) {
            size_t n = len;
            memcpy(copy, text, len);
            if (kind == 0) {
                if (i % 3) continue;
                n = i; /* the prefix of length i */
            } else {
                if (i == len) continue;
                copy[i] = replacements[(i * 7) % n_replacements]; /* one byte changed */
            }
            scratch_write(&dir, "m.yaml", copy, n, path);
            arena a;
            arena_init(&a);
            diag d = {0};
            plan_suite *s = manifest_load(&a, path, &d);
            if (s)
                loaded++;
            else
                failed++;
            if (!s && (d.kind != DIAG_ERROR || d.line < 1 || d.col < 1) && unpositioned++ < 5)
                printf("    byte %zu (%s): unpositioned error: %s\n", i, kind ? "changed" : "prefix",
                       d.message);
            arena_free(&a);
        }
    }
    CHECK(unpositioned == 0);
    CHECK(loaded > 0 && failed > 0);
    free(copy);
    free(text);
    free(kernels);
    scratch_remove(&dir);
}
