/* Tests of external tools' command templates (src/bench/command.c), of output rules
 * (runner_parse_output in src/bench/runner.c) and of grouping results over repetitions
 * (src/bench/summary.c). */
#include "bench/command.h"
#include "bench/runner.h"
#include "bench/summary.h"
#include "test.h"
#include <stdlib.h>
#include <string.h>

TEST(bench_command_split_and_expand) {
    arena a;
    arena_init(&a);
    const char **words;
    int n;
    size_t offset;
    char err[300];
    REQUIRE(command_split(&a, "mytool --kernel {kernel_file} 'a b' \"q\\\"{op}\" x\\ y {{lit}} --t={wall}s", &words, &n,
                          &offset, err, sizeof err));
    REQUIRE(n == 8);
    CHECK_STR(words[0], "mytool");
    CHECK_STR(words[3], "a b");
    CHECK_STR(words[4], "q\"{op}");
    CHECK_STR(words[5], "x y");
    const command_value values[] = {{"kernel_file", "/k/soft max.py"}, {"op", "softmax"}, {"wall", "30"}};
    char **argv = command_expand(words, n, values, 3);
    CHECK_STR(argv[2], "/k/soft max.py");   /* a value with a space stays one word */
    CHECK_STR(argv[4], "q\"softmax");
    CHECK_STR(argv[6], "{lit}");
    CHECK_STR(argv[7], "--t=30s");
    CHECK(argv[8] == NULL);
    command_free(argv);
    arena_free(&a);
}

TEST(bench_command_errors) {
    arena a;
    arena_init(&a);
    const char **words;
    int n;
    size_t offset;
    char err[400];
    CHECK(!command_split(&a, "tool {kernal}", &words, &n, &offset, err, sizeof err) && offset == 5 &&
          strstr(err, "unknown placeholder '{kernal}'"));
    CHECK(!command_split(&a, "tool 'open", &words, &n, &offset, err, sizeof err) && offset == 5 &&
          strstr(err, "unterminated single quote"));
    CHECK(!command_split(&a, "tool \"open", &words, &n, &offset, err, sizeof err) && strstr(err, "unterminated double quote"));
    CHECK(!command_split(&a, "tool {op", &words, &n, &offset, err, sizeof err) && offset == 5 &&
          strstr(err, "unterminated placeholder"));
    CHECK(!command_split(&a, "tool op}", &words, &n, &offset, err, sizeof err) && offset == 7 && strstr(err, "unmatched '}'"));
    CHECK(!command_split(&a, "   ", &words, &n, &offset, err, sizeof err) && strstr(err, "empty"));
    arena_free(&a);
}

static job_result blank_result(void) {
    job_result r;
    memset(&r, 0, sizeof r);
    char **texts[] = {&r.stage, &r.blocks, &r.formula, &r.message, &r.matches_expected,
                      &r.candidates, &r.smt_queries, &r.size_lifted, &r.size_simplified};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) *texts[i] = strdup("");
    return r;
}

TEST(bench_output_rule_regex) {
    tool_status_map map[] = {{"verified", ST_VERIFIED}, {"failed", ST_REFUTED}};
    tool_output rule = {.status_regex = "^RESULT: (\\w+)", .formula_regex = "^FORMULA: (.*)$",
                        .message_regex = "^NOTE: (.*)$", .status_map = map, .n_status_map = 2};
    const char *out = "log line\nRESULT: verified\nFORMULA: y[i] = 2*x[i]\nNOTE: took a while\n";
    job_result r = blank_result();
    char why[200];
    REQUIRE(runner_parse_output(&rule, out, strlen(out), &r, why, sizeof why));
    CHECK(r.status == ST_VERIFIED);
    CHECK_STR(r.formula, "y[i] = 2*x[i]");
    CHECK_STR(r.message, "took a while");
    job_result_free(&r);

    r = blank_result();   /* not in the map, but a status name in any case */
    CHECK(runner_parse_output(&rule, "RESULT: timeout\n", 16, &r, why, sizeof why) && r.status == ST_TIMEOUT);
    job_result_free(&r);
    r = blank_result();
    CHECK(!runner_parse_output(&rule, "RESULT: dunno\n", 14, &r, why, sizeof why) && strstr(why, "'dunno'"));
    job_result_free(&r);
    r = blank_result();
    CHECK(!runner_parse_output(&rule, "nothing here\n", 13, &r, why, sizeof why) && strstr(why, "status_regex"));
    job_result_free(&r);
}

TEST(bench_output_rule_json) {
    tool_output rule = {.json = true};
    const char *out = "progress: 10%\n{\"status\": \"lifted\", \"formula\": \"y = x\", \"t_verify\": 1.5, \"size_lifted\": 7}\n";
    job_result r = blank_result();
    char why[200];
    REQUIRE(runner_parse_output(&rule, out, strlen(out), &r, why, sizeof why));   /* the last '{' line */
    CHECK(r.status == ST_LIFTED);
    CHECK_STR(r.formula, "y = x");
    CHECK_STR(r.size_lifted, "7");
    CHECK(r.has_t_stage[STAGE_VERIFY] && r.t_stage[STAGE_VERIFY] == 1.5 && !r.has_t_stage[STAGE_SYNTH]);
    job_result_free(&r);
    r = blank_result();
    CHECK(!runner_parse_output(&rule, "{\"status\": \"GREAT\"}", 19, &r, why, sizeof why) && strstr(why, "unknown status"));
    job_result_free(&r);
    r = blank_result();
    CHECK(!runner_parse_output(&rule, "{\"formula\": \"x\"}", 16, &r, why, sizeof why) && strstr(why, "no 'status'"));
    job_result_free(&r);
    r = blank_result();
    CHECK(!runner_parse_output(&rule, "", 0, &r, why, sizeof why) && strstr(why, "empty"));
    job_result_free(&r);
}

static result_row row(const char *op, const char *tool, const char *rep, const char *status, const char *t) {
    result_row r;
    for (int c = 0; c < N_RESULT_COLUMNS; c++) r.f[c] = strdup("");
    free(r.f[RC_SUITE]); r.f[RC_SUITE] = strdup("s");
    free(r.f[RC_OP]); r.f[RC_OP] = strdup(op);
    free(r.f[RC_CATEGORY]); r.f[RC_CATEGORY] = strdup("cat");
    free(r.f[RC_TOOL]); r.f[RC_TOOL] = strdup(tool);
    free(r.f[RC_CONFIG]); r.f[RC_CONFIG] = strdup("full");
    free(r.f[RC_REP]); r.f[RC_REP] = strdup(rep);
    free(r.f[RC_STATUS]); r.f[RC_STATUS] = strdup(status);
    free(r.f[RC_T_TOTAL]); r.f[RC_T_TOTAL] = strdup(t);
    return r;
}

TEST(bench_summary_groups) {
    results_set set = {0};
    results_add(&set, row("b", "vlift", "2", "TIMEOUT", "10"));
    results_add(&set, row("a", "other", "1", "LIFTED", "1"));
    results_add(&set, row("b", "vlift", "1", "VERIFIED", "2"));
    results_add(&set, row("b", "vlift", "10", "VERIFIED", "4"));
    results_add(&set, row("a", "vlift", "1", "CRASH", "1"));
    results_add(&set, row("a", "vlift", "2", "VERIFIED", "3"));
    summary s;
    summary_build(&set, &s);
    REQUIRE(s.n == 3);
    CHECK_STR(s.groups[0].op, "a");
    CHECK_STR(s.groups[0].label, "other/full");
    CHECK_STR(s.groups[1].label, "vlift/full");
    CHECK(s.groups[1].status == ST_CRASH);        /* a tie goes to the worse status */
    CHECK(s.groups[2].status == ST_VERIFIED && s.groups[2].n_reps == 3);   /* the most frequent */
    CHECK_NEAR(s.groups[2].total.median, 4, 1e-12);
    CHECK_NEAR(s.groups[2].total.mean, 16.0 / 3, 1e-12);
    CHECK_NEAR(s.groups[2].total.sd, 4.163331998932265, 1e-9);
    CHECK(s.groups[2].stage[STAGE_SYNTH].n == 0);
    REQUIRE(s.n_tools == 2);
    CHECK_STR(s.tools[0], "vlift/full");          /* vlift first: the reference */
    CHECK(strcmp(set.rows[4].f[RC_REP], "2") == 0 && strcmp(set.rows[5].f[RC_REP], "10") == 0);   /* reps numerically */
    summary_free(&s);
    results_free(&set);
}
