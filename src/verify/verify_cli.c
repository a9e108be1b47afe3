/* verify_cli: `vlift verify SUITE.yaml OP [--variant V] [--formula TEXT] [--json]
 * [--timeout-verify S]` — proves the manifest's expected formula (or the given one) against
 * every variant of the operator (or one) and prints, per variant, the status, the `blocks`
 * column, the invariant patterns used, the VC and SMT statistics and the reason for anything
 * but VERIFIED. The operator's status is its worst variant's. Exit 0 when every variant is
 * VERIFIED, 1 when one is not, 2 on bad usage or input. */
#include "bench/manifest.h"
#include "util/strbuf.h"
#include "verify/verify.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: vlift verify SUITE.yaml OP [--variant V] [--formula TEXT] [--json] [--timeout-verify S]\n"
    "                    [--timeout-query S] [--fixed-blocks] [--no-patterns] [--no-replay]\n"
    "                    [--no-testing]\n"
    "\n"
    "Proves, for all sizes, that the kernels of operator OP compute its expected formula (or the\n"
    "formula given with --formula): VCs over the kernel with symbolic sizes, block sizes, program\n"
    "id and lanes, loop invariants from the pattern library, discharged by z3. Per variant:\n"
    "  VERIFIED     every VC proved (blocks: symbolic, or fixed when the proof needed the\n"
    "               manifest's block sizes)\n"
    "  REFUTED      a counterexample, replayed on the interpreter\n"
    "  UNKNOWN      a VC not proved (timeout, or a model that does not reproduce)\n"
    "  UNSUPPORTED  a construct the verifier does not model (with its line)\n"
    "  TIMEOUT      --timeout-verify reached\n"
    "  --json               one JSON object: status, blocks, patterns, vcs, smt_queries, t_verify, message\n"
    "  --timeout-verify S   time limit for the whole operator (default 300)\n"
    "  --timeout-query S    per SMT query (default 10)\n"
    "  --fixed-blocks       keep the manifest's block sizes (no generalization)\n"
    "  --no-patterns        ablation: only the generic prefix invariant template\n"
    "  --no-replay          do not replay counterexamples on the interpreter\n"
    "  --no-testing         skip the concrete test at the check sizes before the proof\n"
    "                       (it only ever refutes; this measures what the proof finds alone)\n"
    "  --debug              print every VC (goal and hypotheses) to stderr as it is discharged\n"
    "Exit status: 0 all variants VERIFIED, 1 otherwise, 2 bad usage or input.\n";

static void json_str(strbuf *out, const char *key, const char *s, bool comma) {
    strbuf_printf(out, "\"%s\": \"", key);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') strbuf_printf(out, "\\%c", *p);
        else if (*p == '\n') strbuf_append(out, "\\n");
        else if (*p < 0x20) strbuf_printf(out, "\\u%04x", *p);
        else strbuf_putc(out, (char)*p);
    }
    strbuf_append(out, comma ? "\", " : "\"");
}

static int worse(verify_status a, verify_status b) {
    /* ERROR > UNSUPPORTED > REFUTED > TIMEOUT > UNKNOWN > VERIFIED */
    static const int rank[] = {0, 4, 2, 5, 3, 6};
    return rank[b] > rank[a] ? (int)b : (int)a;
}

int cmd_verify(int argc, char **argv) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { fputs(help, stdout); return 0; }
    const char *suite_path = NULL, *op_name = NULL, *variant = NULL, *formula_text = NULL;
    bool json = false;
    verify_options opt;
    verify_options_default(&opt);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool takes = strcmp(a, "--variant") == 0 || strcmp(a, "--formula") == 0 || strcmp(a, "--timeout-verify") == 0 ||
                     strcmp(a, "--timeout-query") == 0;
        if (takes && i + 1 >= argc) { fprintf(stderr, "vlift verify: %s needs a value\n(see 'vlift verify --help')\n", a); return 2; }
        if (strcmp(a, "--variant") == 0) variant = argv[++i];
        else if (strcmp(a, "--formula") == 0) formula_text = argv[++i];
        else if (strcmp(a, "--timeout-verify") == 0 || strcmp(a, "--timeout-query") == 0) {
            char *end;
            errno = 0;
            double v = strtod(argv[++i], &end);
            if (errno || *end || v < 0) { fprintf(stderr, "vlift verify: %s needs a non-negative number of seconds\n", a); return 2; }
            if (a[10] == 'v') opt.timeout_s = v;
            else opt.query_timeout_s = v;
        } else if (strcmp(a, "--json") == 0) json = true;
        else if (strcmp(a, "--fixed-blocks") == 0) opt.fixed_blocks = true;
        else if (strcmp(a, "--no-patterns") == 0) opt.no_patterns = true;
        else if (strcmp(a, "--no-replay") == 0) opt.no_replay = true;
        else if (strcmp(a, "--no-testing") == 0) opt.no_testing = true;
        else if (strcmp(a, "--debug") == 0) opt.debug = true;
        else if (a[0] == '-' && a[1]) { fprintf(stderr, "vlift verify: unknown option '%s'\n(see 'vlift verify --help')\n", a); return 2; }
        else if (!suite_path) suite_path = a;
        else if (!op_name) op_name = a;
        else { fprintf(stderr, "vlift verify: unexpected argument '%s'\n(see 'vlift verify --help')\n", a); return 2; }
    }
    if (!suite_path || !op_name) { fprintf(stderr, "vlift verify: expected SUITE.yaml and OP\n(see 'vlift verify --help')\n"); return 2; }
    arena a;
    arena_init(&a);
    diag err = {0};
    char msg[800];
    plan_suite *suite = manifest_load(&a, suite_path, &err);
    const plan_op *op = suite ? plan_find_op(suite, op_name) : NULL;
    int rc = 0;
    if (!suite) { diag_format(&err, msg, sizeof msg); fprintf(stderr, "%s\n", msg); rc = 2; goto done; }
    if (!op) { fprintf(stderr, "vlift verify: suite '%s' has no operator '%s'\n", suite->name, op_name); rc = 2; goto done; }
    if (variant && !plan_find_variant(op, variant)) { fprintf(stderr, "vlift verify: operator '%s' has no variant '%s'\n", op->name, variant); rc = 2; goto done; }
    formula *f = NULL;
    if (formula_text) f = formula_parse(&a, "--formula", 1, 1, formula_text, &err);
    else if (op->expected.text) f = formula_parse(&a, op->expected.file, op->expected.line, op->expected.col, op->expected.text, &err);
    else { fprintf(stderr, "vlift verify: operator '%s' has no expected formula (give one with --formula)\n", op->name); rc = 2; goto done; }
    if (!f) { diag_format(&err, msg, sizeof msg); fprintf(stderr, "%s\n", msg); rc = 2; goto done; }
    exec_sources src;
    if (!exec_load_sources(&a, op, &src, &err)) { diag_format(&err, msg, sizeof msg); fprintf(stderr, "%s\n", msg); rc = 2; goto done; }
    verify_status worst = VERIFY_VERIFIED;
    int vcs = 0, queries = 0;
    double seconds = 0, smt_seconds = 0;
    bool fixed = false;
    strbuf messages, patterns;
    strbuf_init(&messages);
    strbuf_init(&patterns);
    for (int v = 0; v < op->n_variants; v++) {
        const plan_variant *var = &op->variants[v];
        if (variant && strcmp(variant, var->name) != 0) continue;
        verify_result r;
        verify_options per_variant = opt;   /* the time limit is the operator's: variants share it */
        if (opt.timeout_s > 0) per_variant.timeout_s = opt.timeout_s > seconds + 0.1 ? opt.timeout_s - seconds : 0.1;
        verify_formula(op, var, &src, f, &per_variant, &r);
        worst = (verify_status)worse(worst, r.status);
        vcs += r.vcs;
        queries += r.smt_queries;
        seconds += r.seconds;
        smt_seconds += r.smt_seconds;
        if (strcmp(r.blocks, "fixed") == 0) fixed = true;
        for (int p = 0; p < r.n_patterns; p++)
            if (!strstr(strbuf_cstr(&patterns), r.patterns[p])) strbuf_printf(&patterns, "%s%s", patterns.len ? "," : "", r.patterns[p]);
        if (r.status != VERIFY_VERIFIED || r.message[0])
            strbuf_printf(&messages, "%s%s: %s%s%s", messages.len ? "; " : "", var->name, verify_status_name(r.status),
                          r.message[0] ? ": " : "", r.message);
        if (!json) {
            printf("%-10s %s/%s  blocks=%s  vcs=%d/%d  smt=%d queries %.2fs  time=%.2fs", verify_status_name(r.status), op->name,
                   var->name, r.blocks, r.vcs_proved, r.vcs, r.smt_queries, r.smt_seconds, r.seconds);
            if (r.n_patterns) {
                printf("  patterns=");
                for (int p = 0; p < r.n_patterns; p++) printf("%s%s", p ? "," : "", r.patterns[p]);
            }
            printf("\n");
            if (r.message[0]) printf("    %s\n", r.message);
            if (r.status != VERIFY_VERIFIED && r.failed_vc[0]) printf("    failed VC: %s\n", r.failed_vc);
            fflush(stdout);
        }
    }
    if (json) {
        strbuf out;
        strbuf_init(&out);
        strbuf_append(&out, "{");
        json_str(&out, "op", op->name, true);
        json_str(&out, "status", verify_status_name(worst), true);
        json_str(&out, "blocks", fixed ? "fixed" : "symbolic", true);
        json_str(&out, "patterns", strbuf_cstr(&patterns), true);
        strbuf_printf(&out, "\"vcs\": %d, \"smt_queries\": %d, \"t_verify\": %.3f, \"t_smt\": %.3f, ", vcs, queries, seconds, smt_seconds);
        json_str(&out, "message", strbuf_cstr(&messages), false);
        strbuf_append(&out, "}\n");
        fputs(strbuf_cstr(&out), stdout);
        strbuf_free(&out);
    }
    strbuf_free(&messages);
    strbuf_free(&patterns);
    rc = worst == VERIFY_VERIFIED ? 0 : worst == VERIFY_ERROR ? 2 : 1;
done:
    arena_free(&a);
    return rc;
}
