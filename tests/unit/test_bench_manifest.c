/* Tests of the harness's manifest keys (src/bench/manifest.c, manifest_load_harness): defaults,
 * tools (built-in and external, output rules, configurations), per-operator limits and reps;
 * and one error per mistake, each at the file:line:col of the offending key or value. The
 * operator part is the loader's own business (test_manifest.c). Tests run from the repository
 * root (the kernels come from tests/kernels). */
#include "bench/manifest.h"
#include "test.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes a manifest: suite and source_root (lines 1-2), `head` from line 3, then one operator
 * whose last lines are `op_extra`. Returns the path (static). */
static const char *write_manifest(const char *head, const char *op_extra) {
    static char dir[64], path[128];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/vlift-manifest-XXXXXX");
        if (!mkdtemp(dir)) return NULL;
    }
    snprintf(path, sizeof path, "%s/suite.yaml", dir);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return NULL;
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fprintf(f, "suite: demo\nsource_root: \"%s/tests/kernels\"\n%s", cwd, head);
    fprintf(f, "operators:\n"
               "  - name: softmax\n"
               "    category: normalization\n"
               "    source: softmax.py\n"
               "    sizes: {M: 4, N: 8}\n"
               "    tensors: {x: {shape: [M, N], role: input}, y: {shape: [M, N], role: output}}\n"
               "    launches: [{kernel: softmax_kernel_inner, grid: [M]}]\n"
               "%s",
            op_extra);
    fclose(f);
    return path;
}

static const char good_head[] =
    "defaults:\n"
    "  limits: {symexec: 5, synth: 10, verify: 20.5, simplify: 3, check: 4, wall: 60, memory_mb: 2048}\n"
    "  reps: 3\n"
    "tools:\n"
    "  - vlift\n"
    "  - {name: vlift, builtin: vlift, config: [no-prune, no-topdown]}\n"
    "  - name: mytool\n"
    "    command: \"mytool --kernel {kernel_file} --fn {kernel} --op {op} --timeout {wall}\"\n"
    "    output:\n"
    "      status_regex: \"^RESULT: (\\\\w+)\"\n"
    "      status_map: {verified: VERIFIED, lifted: LIFTED, failed: REFUTED}\n"
    "      formula_regex: \"^FORMULA: (.*)$\"\n"
    "    limits: {wall: 30}\n"
    "    reps: 2\n"
    "  - {name: jsontool, command: \"jt {op}\", config: v2, output: json}\n";

TEST(bench_manifest_harness_keys) {
    const char *path = write_manifest(good_head, "    limits: {verify: 100}\n    reps: 5\n");
    REQUIRE(path);
    arena a;
    arena_init(&a);
    diag d = {0};
    manifest_harness h;
    plan_suite *s = manifest_load_harness(&a, path, &h, &d);
    if (!s) printf("    %s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    REQUIRE(s && s->n_ops == 1);
    CHECK(h.defaults.stage_s[STAGE_SYMEXEC] == 5 && h.defaults.stage_s[STAGE_SYNTH] == 10);
    CHECK(h.defaults.stage_s[STAGE_VERIFY] == 20.5 && h.defaults.stage_s[STAGE_SIMPLIFY] == 3);
    CHECK(h.defaults.stage_s[STAGE_CHECK] == 4 && h.defaults.wall_s == 60 && h.defaults.memory_mb == 2048);
    CHECK(h.defaults.reps == 3);
    REQUIRE(h.n_tools == 5);
    CHECK_STR(h.tools[0].name, "vlift");
    CHECK_STR(h.tools[0].config, "full");
    CHECK(h.tools[0].kind == TOOL_BUILTIN && h.tools[0].output.json && h.tools[0].line == 7);
    CHECK_STR(h.tools[1].config, "no-prune");
    CHECK_STR(h.tools[2].config, "no-topdown");
    CHECK(h.tools[2].kind == TOOL_BUILTIN);
    const bench_tool *t = &h.tools[3];
    CHECK_STR(t->name, "mytool");
    CHECK_STR(t->config, "default");
    CHECK(t->kind == TOOL_EXTERNAL && t->n_command == 9 && !t->output.json);
    CHECK_STR(t->command[2], "{kernel_file}");
    CHECK_STR(t->output.status_regex, "^RESULT: (\\w+)");
    CHECK_STR(t->output.formula_regex, "^FORMULA: (.*)$");
    CHECK(t->output.message_regex == NULL);
    REQUIRE(t->output.n_status_map == 3);
    CHECK_STR(t->output.status_map[2].text, "failed");
    CHECK(t->output.status_map[2].status == ST_REFUTED);
    CHECK(t->settings.wall_s == 30 && t->settings.reps == 2 && t->settings.memory_mb == 0);
    CHECK_STR(h.tools[4].config, "v2");
    CHECK(h.tools[4].output.json);
    CHECK(h.op_settings[0].stage_s[STAGE_VERIFY] == 100 && h.op_settings[0].reps == 5 && h.op_settings[0].wall_s == 0);
    arena_free(&a);

    /* run/spec read the same manifest without looking at the harness keys */
    arena_init(&a);
    CHECK(manifest_load(&a, path, &d) != NULL);
    arena_free(&a);
    unlink(path);
}

TEST(bench_manifest_default_tool) {
    const char *path = write_manifest("", "");
    REQUIRE(path);
    arena a;
    arena_init(&a);
    diag d = {0};
    manifest_harness h;
    REQUIRE(manifest_load_harness(&a, path, &h, &d));
    REQUIRE(h.n_tools == 1);
    CHECK_STR(h.tools[0].name, "vlift");
    CHECK_STR(h.tools[0].config, "full");
    CHECK(h.tools[0].kind == TOOL_BUILTIN);
    CHECK(h.defaults.wall_s == 0 && h.op_settings[0].reps == 0);
    arena_free(&a);
    unlink(path);
    CHECK(strlen(manifest_yaml_version()) >= 5);
}

typedef struct bad_case {
    const char *head, *op_extra;
    const char *marker;   /* the error's position: the first occurrence of marker (+ skip bytes) */
    int skip;
    const char *message;
} bad_case;

static const bad_case bad_cases[] = {
    {"defaults: {limits: {synth: -1}}\n", "", "-1", 0, "limit 'synth' in 'defaults' of suite must be a positive number of seconds, not -1"},
    {"defaults: {limits: {synt: 1}}\n", "", "synt", 0, "unknown key 'synt' in 'limits' of 'defaults' of suite"},
    {"defaults: {limits: {wall: 0}}\n", "", "0}", 0, "must be a positive number of seconds, not 0"},
    {"defaults: {limits: {wall: [1]}}\n", "", "[1]", 0, "must be a positive number of seconds, not a sequence"},
    {"defaults: {limits: {memory_mb: 1.5}}\n", "", "1.5", 0, "limit 'memory_mb' in 'defaults' of suite must be a positive integer"},
    {"defaults: {limits: 5}\n", "", "5", 0, "key 'limits' in 'defaults' of suite must be a mapping"},
    {"defaults: {reps: 0}\n", "", "0", 0, "key 'reps' in 'defaults' of suite must be a positive integer"},
    {"defaults: {timeout: 10}\n", "", "timeout", 0, "unknown key 'timeout' in 'defaults' of suite (expected one of: limits, reps)"},
    {"tools: {a: 1}\n", "", "{a", 0, "key 'tools' in suite must be a sequence"},
    {"tools: [other]\n", "", "other", 0, "tool 1 in suite must be a mapping"},
    {"tools: [{name: x}]\n", "", "{name", 0, "missing required key 'builtin' (or 'command') in tool 'x'"},
    {"tools: [{builtin: vlift}]\n", "", "{builtin", 0, "missing required key 'name' in tool 1"},
    {"tools: [{name: x, builtin: vlift, command: y}]\n", "", "command", 0, "tool 'x' has both 'builtin' and 'command'"},
    {"tools: [{name: x, builtin: angr}]\n", "", "angr", 0, "unknown built-in tool 'angr' in tool 'x'"},
    {"tools: [{name: x, builtin: vlift, output: json}]\n", "", "output", 0, "unknown key 'output' in tool 'x'"},
    {"tools: [{name: \"a b\", builtin: vlift}]\n", "", "\"a b\"", 0, "may only contain letters"},
    {"tools: [{name: x, builtin: vlift, config: [full, full]}]\n", "", ", full]", 2, "duplicate tool 'x' with configuration 'full'"},
    {"tools: [vlift, {name: vlift, builtin: vlift}]\n", "", "vlift, builtin", 0, "duplicate tool 'vlift' with configuration 'full'"},
    {"tools: [{name: x, builtin: vlift, config: []}]\n", "", "[]", 0, "key 'config' in tool 'x' must not be empty"},
    {"tools: [{name: x, command: \"t {kernal}\"}]\n", "", "{kernal}", 0, "unknown placeholder '{kernal}'"},
    {"tools: [{name: x, command: \"t 'open\"}]\n", "", "'open", 0, "unterminated single quote in command"},
    {"tools: [{name: x, command: \"\"}]\n", "", "\"\"", 0, "key 'command' in tool 'x' must not be empty"},
    {"tools: [{name: x, command: t, output: yaml}]\n", "", "yaml", 0, "key 'output' in tool 'x' must be 'json' or a mapping"},
    {"tools: [{name: x, command: t, output: {formula: a}}]\n", "", "formula", 0, "unknown key 'formula' in 'output' of tool 'x'"},
    {"tools: [{name: x, command: t, output: {formula_regex: a}}]\n", "", "{formula_regex", 0, "missing required key 'status_regex'"},
    {"tools: [{name: x, command: t, output: {status_regex: \"((\"}}]\n", "", "\"((\"", 0, "is not a valid POSIX extended regular expression"},
    {"tools: [{name: x, command: t, output: {status_regex: a, status_map: {ok: FINE}}}]\n", "", "FINE", 0, "unknown status 'FINE' in status_map entry 'ok'"},
    {"tools: [{name: x, command: t, output: {status_regex: a, status_map: [ok]}}]\n", "", "[ok]", 0, "key 'status_map' in 'output' of tool 'x' must be a mapping"},
    {"tools: [{name: x, command: t, limits: {wall: no}}]\n", "", "no}", 0, "limit 'wall' in tool 'x' must be a positive number of seconds"},
    {"tools: [{name: x, command: t, reps: 2.5}]\n", "", "2.5", 0, "key 'reps' in tool 'x' must be a positive integer"},
    {"", "    limits: {verify: \"10\"}\n", "\"10\"", 0, "limit 'verify' in operator 'softmax' must be a positive number of seconds"},
    {"", "    limits: {verfy: 10}\n", "verfy", 0, "unknown key 'verfy' in 'limits' of operator 'softmax' (expected one of: symexec, synth, verify, simplify, check, wall, memory_mb); did you mean 'verify'?"},
    {"", "    reps: 1001\n", "1001", 0, "key 'reps' in operator 'softmax' must be at most 1000"},
};

TEST(bench_manifest_harness_errors) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        const char *path = write_manifest(c->head, c->op_extra);
        REQUIRE(path);
        /* where the marker is: in head (from line 3) or in op_extra (after the 7 operator lines) */
        int head_lines = 0;
        for (const char *p = c->head; *p; p++) head_lines += *p == '\n';
        const char *text = *c->op_extra ? c->op_extra : c->head;
        int line = *c->op_extra ? 3 + head_lines + 7 : 3;
        const char *at = strstr(text, c->marker);
        REQUIRE(at);
        const char *line_start = text;
        for (const char *p = text; p < at; p++)
            if (*p == '\n') { line++; line_start = p + 1; }
        int col = (int)(at - line_start) + 1 + c->skip;
        arena a;
        arena_init(&a);
        diag d = {0};
        manifest_harness h;
        plan_suite *s = manifest_load_harness(&a, path, &h, &d);
        bool ok = !s && d.kind == DIAG_ERROR && d.line == line && d.col == col && d.file && !strcmp(d.file, path) &&
                  strstr(d.message, c->message);
        if (!ok)
            printf("    case %zu (%s%s): expected %d:%d: ...%s...\n      got %d:%d: %s\n", i, c->head, c->op_extra, line, col,
                   c->message, d.line, d.col, s ? "(loaded without error)" : d.message);
        CHECK(ok);
        arena_free(&a);
        /* the operator-only loader ignores every harness key */
        arena_init(&a);
        CHECK(manifest_load(&a, path, &d) != NULL);
        arena_free(&a);
        unlink(path);
    }
}

TEST(bench_manifest_example_is_not_a_bench_manifest) {
    /* tests/manifests/example.yaml has `defaults: {timeout: 10, ...}`: fine for the operator
     * loader, an error for the harness, at the key */
    arena a;
    arena_init(&a);
    diag d = {0};
    manifest_harness h;
    CHECK(!manifest_load_harness(&a, "tests/manifests/example.yaml", &h, &d));
    CHECK(d.line == 6 && d.col == 12 && strstr(d.message, "unknown key 'timeout'"));
    arena_free(&a);
}
