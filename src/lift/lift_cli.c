/* lift_cli: `vlift lift` — options, manifest loading, one lift per variant, and the output: a
 * text report per variant, or (--json) one JSON object with the keys of the harness's CSV row.
 * Exit status: 0 when every variant is VERIFIED or LIFTED (or every requested stage succeeded),
 * 1 otherwise, 2 on bad usage or bad input. */
#include "bench/manifest.h"
#include "lift/config.h"
#include "lift/lift.h"
#include "util/strbuf.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char lift_help[] =
    "usage: vlift lift SUITE.yaml OP [--variant V] [--config NAME] [--stages symexec,synth,verify,simplify,check]\n"
    "                  [--json] [--no-topdown] [--no-prune] [--timeout-synth S] [--timeout-verify S]\n"
    "                  [--timeout-query S] [--max-size N] [--seed N]\n"
    "\n"
    "Lifts an operator into a formula: symbolic execution at several small sizes chosen\n"
    "automatically (symexec), top-down and bottom-up synthesis of a formula matching every\n"
    "sampled size (synth), a proof for all sizes with z3 (verify; a counterexample sends\n"
    "synthesis back with its sizes), e-graph simplification into textbook form (simplify), and a\n"
    "numeric cross-check of the printed formula against the kernel at sizes never used in\n"
    "synthesis (check). Each variant (or only --variant V) is lifted; the operator's status is\n"
    "its worst variant's.\n"
    "\n"
    "Statuses: VERIFIED (every verification condition proved, cross-check holds), LIFTED (the\n"
    "formula matches the spec and the cross-check; not proved for all sizes, the message says\n"
    "why), REFUTED (a counterexample and no other formula), WRONG (the cross-check disagrees: a\n"
    "vlift bug), UNSUPPORTED (a construct the interpreter does not model, or no formula of the\n"
    "grammar matches), TIMEOUT (a stage's time limit), ERROR (bad input), NOT_RUN (stage not\n"
    "requested).\n"
    "\n"
    "  --config NAME       full (default); ablations no-topdown, no-prune, no-patterns (one generic\n"
    "                      prefix-invariant template instead of the pattern library), no-simplify;\n"
    "                      re-implemented baselines tenspiler-style, c2taco-style, guided (README,\n"
    "                      \"Baselines\"; guided reads suites/guided_weights.tsv or\n"
    "                      $VLIFT_GUIDED_WEIGHTS)\n"
    "  --no-topdown        bottom-up enumeration of whole right-hand sides only\n"
    "  --no-prune          no observational-equivalence or shape pruning\n"
    "  --stages LIST       stages to run: symexec, then synth, then any of verify, simplify,\n"
    "                      check (default: all)\n"
    "  --timeout-synth S   synthesis time limit in seconds (default 60)\n"
    "  --timeout-verify S  verification time limit per variant (default 300)\n"
    "  --timeout-query S   per SMT query (default 10)\n"
    "                      --timeout-symexec, --timeout-simplify, --timeout-check are accepted\n"
    "                      (the harness enforces them from outside)\n"
    "  --max-size N        largest bottom-up candidate in AST nodes (default 10)\n"
    "  --seed N            random inputs of synthesis and cross-check (default 1)\n"
    "  --json              one JSON object on stdout: status, stage, blocks, formula, message,\n"
    "                      t_symexec, t_synth, t_verify, t_simplify, t_check, candidates,\n"
    "                      smt_queries, size_lifted, size_simplified, matches_expected, and\n"
    "                      patterns, vcs, t_smt\n"
    "\n"
    "When the environment variable VLIFT_EVENT_FD names an open file descriptor, stage events\n"
    "'start STAGE' and 'end STAGE SECONDS' are written to it.\n";

typedef struct lift_request {
    const char *suite, *op, *variant;
    const char *config;         /* --config NAME; NULL: full */
    bool json;
    lift_options opt;
} lift_request;

static int usage(const char *fmt, const char *arg) {
    fprintf(stderr, "vlift lift: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see 'vlift lift --help')\n");
    return 2;
}

static bool parse_seconds(const char *s, double *out) {
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return !errno && end != s && !*end && *out >= 0;
}

static bool parse_stages(const char *list, lift_options *o) {
    bool want[LS_COUNT] = {false};
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        bool known = false;
        for (int s = 0; s < LS_COUNT; s++)
            if (strlen(lift_stage_name((lift_stage)s)) == n && strncmp(lift_stage_name((lift_stage)s), p, n) == 0) {
                want[s] = known = true;
            }
        if (!known) return false;
        p = comma ? comma + 1 : p + n;
    }
    /* symexec is needed by everything; every later stage needs a formula from synth */
    if (!want[LS_SYMEXEC] || ((want[LS_VERIFY] || want[LS_SIMPLIFY] || want[LS_CHECK]) && !want[LS_SYNTH])) return false;
    memcpy(o->stages, want, sizeof want);
    return true;
}

static int parse_request(int argc, char **argv, lift_request *req) {
    memset(req, 0, sizeof *req);
    lift_options_default(&req->opt);
    req->opt.synth.time_limit = 60;
    int positional = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool valued = strcmp(a, "--variant") == 0 || strcmp(a, "--config") == 0 || strcmp(a, "--stages") == 0 ||
                      strcmp(a, "--seed") == 0 || strcmp(a, "--max-size") == 0 || strncmp(a, "--timeout-", 10) == 0;
        if (valued && i + 1 >= argc) return usage("%s needs a value", a);
        if (strcmp(a, "--variant") == 0) {
            req->variant = argv[++i];
        } else if (strcmp(a, "--config") == 0) {
            req->config = argv[++i];   /* applied once the operator is known (lift/config.h) */
            if (!lift_config_known(req->config)) {
                fprintf(stderr, "vlift lift: unknown configuration '%s' (%s)\n", req->config, lift_config_names());
                return usage("%s", "--config takes one of the names above");
            }
        } else if (strcmp(a, "--stages") == 0) {
            if (!parse_stages(argv[++i], &req->opt))
                return usage("--stages takes symexec,synth[,verify][,simplify][,check], got '%s'", argv[i]);
        } else if (strcmp(a, "--seed") == 0 || strcmp(a, "--max-size") == 0) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (errno || *end || !*argv[i]) return usage("expected a non-negative integer, got '%s'", argv[i]);
            if (a[2] == 's') req->opt.seed = req->opt.synth.seed = v;
            else if (v < 1 || v > 20) return usage("--max-size takes 1..20, got '%s'", argv[i]);
            else req->opt.synth.max_size = (int)v;
        } else if (strncmp(a, "--timeout-", 10) == 0) {
            const char *stage = a + 10;
            double s;
            if (strcmp(stage, "symexec") && strcmp(stage, "synth") && strcmp(stage, "verify") && strcmp(stage, "simplify") &&
                strcmp(stage, "check") && strcmp(stage, "query"))
                return usage("unknown option '%s'", a);
            if (!parse_seconds(argv[++i], &s)) return usage("a timeout takes a non-negative number of seconds, got '%s'", argv[i]);
            if (strcmp(stage, "synth") == 0) req->opt.synth.time_limit = s;
            else if (strcmp(stage, "verify") == 0) req->opt.verify.timeout_s = s;
            else if (strcmp(stage, "query") == 0) req->opt.verify.query_timeout_s = s;
        } else if (strcmp(a, "--json") == 0) {
            req->json = true;
        } else if (strcmp(a, "--no-topdown") == 0) {
            req->opt.synth.topdown = false;
        } else if (strcmp(a, "--no-prune") == 0) {
            req->opt.synth.prune = false;
        } else if (a[0] == '-' && a[1]) {
            return usage("unknown option '%s'", a);
        } else if (positional == 0) {
            req->suite = a;
            positional++;
        } else if (positional == 1) {
            req->op = a;
            positional++;
        } else {
            return usage("unexpected argument '%s'", a);
        }
    }
    if (positional < 2) return usage("expected SUITE.yaml and OP%s", "");
    /* Under an address-space limit (the harness's memory limit), candidate banks get at most half
     * of it, so that running out of memory ends as a clean search failure, not an abort. */
    struct rlimit as;
    if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
        size_t half_mb = (size_t)(as.rlim_cur / 2 / (1024 * 1024));
        if (half_mb < req->opt.synth.max_memory_mb) req->opt.synth.max_memory_mb = half_mb ? half_mb : 1;
    }
    const char *fd = getenv("VLIFT_EVENT_FD");
    if (fd && *fd) {
        char *end;
        long v = strtol(fd, &end, 10);
        if (!*end && v >= 0 && v < 65536) req->opt.event_fd = (int)v;
    }
    return 0;
}

/* ---- output ----------------------------------------------------------------------------------- */

static void json_string(strbuf *out, const char *key, const char *s, bool comma) {
    strbuf_printf(out, "\"%s\": \"", key);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') strbuf_printf(out, "\\%c", *p);
        else if (*p == '\n') strbuf_append(out, "\\n");
        else if (*p == '\t') strbuf_append(out, "\\t");
        else if (*p < 0x20) strbuf_printf(out, "\\u%04x", *p);
        else strbuf_putc(out, (char)*p);
    }
    strbuf_printf(out, "\"%s", comma ? ", " : "");
}

/* Equations on one line, separated by "; " (the formula syntax accepts ';'). */
static char *formula_one_line(const formula *f) {
    strbuf s;
    strbuf_init(&s);
    formula_print_text(f, &s);
    char *text = strbuf_take(&s);
    for (char *p = text; p && *p; p++)
        if (*p == '\n') *p = ';';
    strbuf_init(&s);
    for (char *p = text; p && *p; p++) {
        strbuf_putc(&s, *p);
        if (*p == ';') strbuf_putc(&s, ' ');
    }
    free(text);
    return strbuf_take(&s);
}

static const char *worse_match(const char *a, const char *b) {
    static const char *const order[] = {"yes", "equivalent", "no"};
    int ia = -1, ib = -1;
    for (int i = 0; i < 3; i++) {
        if (strcmp(a, order[i]) == 0) ia = i;
        if (strcmp(b, order[i]) == 0) ib = i;
    }
    return ia >= ib ? a : b;
}

/* The patterns used by the proofs of the variants, each once, comma-separated. */
static void patterns_union(const lift_result *res, int n, strbuf *out) {
    for (int i = 0; i < n; i++) {
        if (!res[i].verify_ran) continue;
        for (int p = 0; p < res[i].verify.n_patterns; p++) {
            const char *name = res[i].verify.patterns[p];
            bool seen = false;
            for (int j = 0; j < i && !seen; j++)
                for (int q = 0; q < res[j].verify.n_patterns && !seen; q++) seen = strcmp(res[j].verify.patterns[q], name) == 0;
            for (int q = 0; q < p && !seen; q++) seen = strcmp(res[i].verify.patterns[q], name) == 0;
            if (!seen) strbuf_printf(out, "%s%s", out->len ? "," : "", name);
        }
    }
}

static bool has_formula_status(lift_status s) { return s == LIFT_VERIFIED || s == LIFT_LIFTED; }

static void print_json(const lift_result *res, int n, lift_status status) {
    const lift_result *worst = NULL, *with_formula = NULL;
    double t[LS_COUNT] = {0}, t_smt = 0;
    long long candidates = 0;
    int smt_queries = 0, vcs = 0;
    bool any_fixed = false;
    const char *match = "";
    strbuf msg;
    strbuf_init(&msg);
    for (int i = 0; i < n; i++) {
        const lift_result *r = &res[i];
        if (!worst || r->status > worst->status) worst = r;
        if (!with_formula && r->f) with_formula = r;
        for (int s = 0; s < LS_COUNT; s++) t[s] += r->t_stage[s];
        candidates += r->synth.candidates;
        if (r->verify_ran) {
            smt_queries += r->smt_queries;
            t_smt += r->smt_seconds;
            vcs += r->verify.vcs;
            any_fixed = any_fixed || (r->status == LIFT_VERIFIED && strcmp(r->verify.blocks, "fixed") == 0);
        }
        if (r->f) match = match[0] ? worse_match(match, r->matches_expected) : r->matches_expected;
        if (r->status == LIFT_VERIFIED)
            strbuf_printf(&msg, "%s%s: VERIFIED (%s blocks, %d VCs%s%s)", msg.len ? "; " : "", r->variant, r->verify.blocks,
                          r->verify.vcs, r->refinements ? ", after counterexamples" : "",
                          strcmp(r->verified_form, "simplified") == 0 ? ", proved for the simplified form" : "");
        else if (r->status != LIFT_LIFTED)
            strbuf_printf(&msg, "%s%s: %s %s", msg.len ? "; " : "", r->variant, lift_status_name(r->status), r->message);
        else if (r->verify_ran)
            strbuf_printf(&msg, "%s%s: LIFTED, %s check; %s", msg.len ? "; " : "", r->variant, r->check_kind, r->message);
        else
            strbuf_printf(&msg, "%s%s: %s check", msg.len ? "; " : "", r->variant, r->check_kind);
    }
    /* the formula and its comparison stand for the operator only when it was lifted (or, for a
     * WRONG one, to show what disagrees) */
    if (status == LIFT_WRONG) with_formula = worst;
    else if (!has_formula_status(status)) with_formula = NULL, match = "";
    char *formula_text = with_formula && with_formula->f ? formula_one_line(with_formula->f) : NULL;
    strbuf patterns;
    strbuf_init(&patterns);
    patterns_union(res, n, &patterns);
    strbuf out;
    strbuf_init(&out);
    strbuf_append(&out, "{");
    json_string(&out, "status", lift_status_name(status), true);
    json_string(&out, "stage", worst && !has_formula_status(status) ? worst->stage : "", true);
    json_string(&out, "blocks", status == LIFT_VERIFIED ? (any_fixed ? "fixed" : "symbolic") : "", true);
    json_string(&out, "formula", formula_text ? formula_text : "", true);
    json_string(&out, "message", strbuf_cstr(&msg), true);
    strbuf_printf(&out, "\"t_symexec\": %.6f, \"t_synth\": %.6f, \"t_verify\": %.6f, \"t_simplify\": %.6f, \"t_check\": %.6f, ",
                  t[LS_SYMEXEC], t[LS_SYNTH], t[LS_VERIFY], t[LS_SIMPLIFY], t[LS_CHECK]);
    strbuf_printf(&out, "\"candidates\": %lld, \"smt_queries\": %d, \"size_lifted\": %d, \"size_simplified\": %d, ", candidates,
                  smt_queries, formula_text ? with_formula->size_lifted : 0, formula_text ? with_formula->size_simplified : 0);
    json_string(&out, "matches_expected", match, true);
    json_string(&out, "patterns", strbuf_cstr(&patterns), true);
    strbuf_printf(&out, "\"vcs\": %d, \"t_smt\": %.6f}\n", vcs, t_smt);
    fputs(strbuf_cstr(&out), stdout);
    strbuf_free(&out);
    strbuf_free(&msg);
    strbuf_free(&patterns);
    free(formula_text);
}

static void print_text(const plan_op *op, const lift_result *res, int n, lift_status status) {
    for (int i = 0; i < n; i++) {
        const lift_result *r = &res[i];
        if (r->stage[0]) printf("%s/%s: %s (stage %s)\n", op->name, r->variant, lift_status_name(r->status), r->stage);
        else printf("%s/%s: %s\n", op->name, r->variant, lift_status_name(r->status));
        if (r->f) {
            strbuf s;
            strbuf_init(&s);
            formula_print_text(r->f, &s);
            char *text = strbuf_take(&s);
            for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) printf("  %s\n", line);
            free(text);
        }
        if (r->message[0]) printf("  %s\n", r->message);
        printf("  symexec: %.3f s, %d size points (%s)\n", r->t_stage[LS_SYMEXEC], r->spec_points, r->spec_sizes);
        if (r->t_stage[LS_SYNTH] > 0 || r->f)
            printf("  synth:   %.3f s, %lld candidates, %lld pruned, %d pieces top-down, %d bottom-up; check %s "
                   "(%d outputs exact, %d numeric)\n",
                   r->t_stage[LS_SYNTH], r->synth.candidates, r->synth.pruned, r->synth.topdown_pieces, r->synth.bottomup_pieces,
                   r->check_kind[0] ? r->check_kind : "-", r->synth.outputs_exact, r->synth.outputs_numeric);
        if (r->verify_ran) {
            printf("  verify:  %.3f s, %s", r->t_stage[LS_VERIFY], verify_status_name(r->verify.status));
            if (r->verify.status == VERIFY_VERIFIED) printf(" (%s blocks, %s formula)", r->verify.blocks, r->verified_form);
            printf(", %d/%d VCs proved, %d SMT queries in %.3f s", r->verify.vcs_proved, r->verify.vcs, r->smt_queries,
                   r->smt_seconds);
            if (r->refinements) printf(", %d counterexample%s sent synthesis back", r->refinements, r->refinements == 1 ? "" : "s");
            printf("\n");
            if (r->verify.n_patterns) {
                printf("  patterns:");
                for (int p = 0; p < r->verify.n_patterns; p++) printf("%s %s", p ? "," : "", r->verify.patterns[p]);
                printf("\n");
            }
        }
        if (r->simplify_info[0])
            printf("  simplify: %.3f s, %d -> %d nodes: %s\n", r->t_stage[LS_SIMPLIFY], r->size_lifted, r->size_simplified,
                   r->simplify_info);
        if (r->f && r->check_points)
            printf("  check:   %.3f s, %d unseen size points, %lld elements\n", r->t_stage[LS_CHECK], r->check_points,
                   (long long)r->check_elements);
        if (r->matches_expected[0]) printf("  matches expected: %s\n", r->matches_expected);
    }
    printf("%s: %s (%d variant%s)\n", op->name, lift_status_name(status), n, n == 1 ? "" : "s");
}

int cmd_lift(int argc, char **argv) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(lift_help, stdout);
            return 0;
        }
    lift_request req;
    int rc = parse_request(argc, argv, &req);
    if (rc) return rc;
    arena a;
    arena_init(&a);
    diag err = {0};
    plan_suite *suite = manifest_load(&a, req.suite, &err);
    const plan_op *op = suite ? plan_find_op(suite, req.op) : NULL;
    exec_sources src = {0};
    char problem[800] = "";
    if (!suite) diag_format(&err, problem, sizeof problem);
    else if (!op) snprintf(problem, sizeof problem, "suite '%s' has no operator '%s'", suite->name, req.op);
    else if (req.variant && !plan_find_variant(op, req.variant))
        snprintf(problem, sizeof problem, "operator '%s' has no variant '%s'", op->name, req.variant);
    else if (!exec_load_sources(&a, op, &src, &err)) diag_format(&err, problem, sizeof problem);
    else if (req.config) lift_config_apply(req.config, suite->name, op->name, &a, &req.opt, problem, sizeof problem);
    if (problem[0]) {
        if (req.json) {
            strbuf out;
            strbuf_init(&out);
            strbuf_append(&out, "{");
            json_string(&out, "status", "ERROR", true);
            json_string(&out, "stage", "symexec", true);
            json_string(&out, "blocks", "", true);
            json_string(&out, "formula", "", true);
            json_string(&out, "message", problem, true);
            strbuf_append(&out, "\"t_symexec\": 0, \"t_synth\": 0, \"t_verify\": 0, \"t_simplify\": 0, \"t_check\": 0, "
                                "\"candidates\": 0, \"smt_queries\": 0, \"size_lifted\": 0, \"size_simplified\": 0, ");
            json_string(&out, "matches_expected", "", false);
            strbuf_append(&out, "}\n");
            fputs(strbuf_cstr(&out), stdout);
            strbuf_free(&out);
        }
        fprintf(stderr, "vlift lift: %s\n", problem);
        arena_free(&a);
        return 2;
    }
    lift_result *res = arena_alloc(&a, (size_t)(op->n_variants + 1) * sizeof *res);
    int n = 0;
    lift_status status = LIFT_VERIFIED;
    for (int v = 0; v < op->n_variants; v++) {
        if (req.variant && strcmp(req.variant, op->variants[v].name) != 0) continue;
        lift_variant(&a, op, &op->variants[v], &src, &req.opt, &res[n]);
        status = lift_status_worst(status, res[n].status);
        n++;
    }
    if (req.json) print_json(res, n, status);
    else print_text(op, res, n, status);
    bool only_symexec = !req.opt.stages[LS_SYNTH];
    rc = has_formula_status(status) || (only_symexec && status == LIFT_NOT_RUN) ? 0 : 1;
    arena_free(&a);
    return rc;
}
