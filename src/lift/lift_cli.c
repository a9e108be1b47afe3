/* lift_cli: `vlift lift` — options, manifest loading, one lift per variant, and the output: a
 * text report per variant, or (--json) one JSON object with the keys of the harness's CSV row.
 * Exit status: 0 when every variant is LIFTED (or every requested stage succeeded), 1 otherwise,
 * 2 on bad usage or bad input. */
#include "bench/manifest.h"
#include "lift/lift.h"
#include "util/strbuf.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char lift_help[] =
    "usage: vlift lift SUITE.yaml OP [--variant V] [--config NAME] [--stages symexec,synth,simplify,check]\n"
    "                  [--json] [--no-topdown] [--no-prune] [--timeout-synth S] [--max-size N] [--seed N]\n"
    "\n"
    "Lifts an operator into a formula: symbolic execution at several small sizes chosen\n"
    "automatically (symexec), top-down and bottom-up synthesis of a formula matching every\n"
    "sampled size (synth), e-graph simplification into textbook form (simplify), and a numeric\n"
    "cross-check of the printed formula against the kernel at sizes never used in synthesis\n"
    "(check). The proof for all sizes (verify) is not wired into lift in this version. Each\n"
    "variant (or only --variant V) is lifted; the operator's status is its worst variant's.\n"
    "\n"
    "Statuses: LIFTED (the formula matches the spec and the cross-check), WRONG (the cross-check\n"
    "disagrees: a vlift bug), UNSUPPORTED (a construct the interpreter does not model, or no\n"
    "formula of the grammar matches), TIMEOUT (the synthesis time limit expired), ERROR (bad\n"
    "input), NOT_RUN (stage not requested).\n"
    "\n"
    "  --config NAME       full (default), no-topdown, no-prune, no-simplify; no-patterns is\n"
    "                      accepted and equals full in this version (no verification in lift)\n"
    "  --no-topdown        bottom-up enumeration of whole right-hand sides only\n"
    "  --no-prune          no observational-equivalence or shape pruning\n"
    "  --stages LIST       stages to run: symexec, then synth, then simplify and/or check\n"
    "                      (default: all)\n"
    "  --timeout-synth S   synthesis time limit in seconds (default 60); --timeout-symexec,\n"
    "                      --timeout-verify, --timeout-simplify, --timeout-check are accepted\n"
    "                      (the harness enforces them from outside)\n"
    "  --max-size N        largest bottom-up candidate in AST nodes (default 10)\n"
    "  --seed N            random inputs of synthesis and cross-check (default 1)\n"
    "  --json              one JSON object on stdout: status, stage, blocks, formula, message,\n"
    "                      t_symexec, t_synth, t_verify, t_simplify, t_check, candidates,\n"
    "                      smt_queries, size_lifted, size_simplified, matches_expected\n"
    "\n"
    "When the environment variable VLIFT_EVENT_FD names an open file descriptor, stage events\n"
    "'start STAGE' and 'end STAGE SECONDS' are written to it.\n";

typedef struct lift_request {
    const char *suite, *op, *variant;
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
    if (want[LS_VERIFY]) return false;   /* not wired in this version */
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
            const char *c = argv[++i];
            if (strcmp(c, "no-topdown") == 0) req->opt.synth.topdown = false;
            else if (strcmp(c, "no-prune") == 0) req->opt.synth.prune = false;
            else if (strcmp(c, "no-simplify") == 0) req->opt.stages[LS_SIMPLIFY] = false;
            else if (strcmp(c, "full") && strcmp(c, "no-patterns"))
                return usage("unknown configuration '%s' (full, no-topdown, no-prune, no-patterns, no-simplify)", c);
        } else if (strcmp(a, "--stages") == 0) {
            if (!parse_stages(argv[++i], &req->opt)) return usage("--stages takes symexec,synth[,simplify][,check], got '%s'", argv[i]);
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
                strcmp(stage, "check"))
                return usage("unknown option '%s'", a);
            if (!parse_seconds(argv[++i], &s)) return usage("a timeout takes a non-negative number of seconds, got '%s'", argv[i]);
            if (strcmp(stage, "synth") == 0) req->opt.synth.time_limit = s;
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

static void print_json(const lift_result *res, int n, lift_status status) {
    const lift_result *worst = NULL, *with_formula = NULL;
    double t[LS_COUNT] = {0};
    long long candidates = 0;
    const char *match = "";
    strbuf msg;
    strbuf_init(&msg);
    for (int i = 0; i < n; i++) {
        if (!worst || res[i].status > worst->status) worst = &res[i];
        if (!with_formula && res[i].f) with_formula = &res[i];
        for (int s = 0; s < LS_COUNT; s++) t[s] += res[i].t_stage[s];
        candidates += res[i].synth.candidates;
        if (res[i].f) match = match[0] ? worse_match(match, res[i].matches_expected) : res[i].matches_expected;
        if (res[i].status != LIFT_LIFTED)
            strbuf_printf(&msg, "%s%s: %s %s", msg.len ? "; " : "", res[i].variant, lift_status_name(res[i].status), res[i].message);
        else
            strbuf_printf(&msg, "%s%s: %s check", msg.len ? "; " : "", res[i].variant, res[i].check_kind);
    }
    /* the formula and its comparison stand for the operator only when it was lifted (or, for a
     * WRONG one, to show what disagrees) */
    if (status == LIFT_WRONG) with_formula = worst;
    else if (status != LIFT_LIFTED) with_formula = NULL, match = "";
    char *formula_text = with_formula && with_formula->f ? formula_one_line(with_formula->f) : NULL;
    strbuf out;
    strbuf_init(&out);
    strbuf_append(&out, "{");
    json_string(&out, "status", lift_status_name(status), true);
    json_string(&out, "stage", worst && status != LIFT_LIFTED ? worst->stage : "", true);
    json_string(&out, "blocks", "", true);
    json_string(&out, "formula", formula_text ? formula_text : "", true);
    json_string(&out, "message", strbuf_cstr(&msg), true);
    strbuf_printf(&out, "\"t_symexec\": %.6f, \"t_synth\": %.6f, \"t_verify\": %.6f, \"t_simplify\": %.6f, \"t_check\": %.6f, ",
                  t[LS_SYMEXEC], t[LS_SYNTH], t[LS_VERIFY], t[LS_SIMPLIFY], t[LS_CHECK]);
    strbuf_printf(&out, "\"candidates\": %lld, \"smt_queries\": 0, \"size_lifted\": %d, \"size_simplified\": %d, ", candidates,
                  formula_text ? with_formula->size_lifted : 0, formula_text ? with_formula->size_simplified : 0);
    json_string(&out, "matches_expected", match, false);
    strbuf_append(&out, "}\n");
    fputs(strbuf_cstr(&out), stdout);
    strbuf_free(&out);
    strbuf_free(&msg);
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
    lift_status status = LIFT_LIFTED;
    for (int v = 0; v < op->n_variants; v++) {
        if (req.variant && strcmp(req.variant, op->variants[v].name) != 0) continue;
        lift_variant(&a, op, &op->variants[v], &src, &req.opt, &res[n]);
        status = lift_status_worst(status, res[n].status);
        n++;
    }
    if (req.json) print_json(res, n, status);
    else print_text(op, res, n, status);
    bool only_symexec = !req.opt.stages[LS_SYNTH];
    rc = status == LIFT_LIFTED || (only_symexec && status == LIFT_NOT_RUN) ? 0 : 1;
    arena_free(&a);
    return rc;
}
