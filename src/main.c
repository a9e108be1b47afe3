/* main: the vlift command line — argument parsing and dispatch only. Stages never print; the
 * commands here format their results. Exit status: 0 success, 1 ran but the answer is negative,
 * 2 bad usage or bad input. */
#include "bench/cli.h"
#include "bench/manifest.h"
#include "check/crosscheck.h"
#include "exec/launch.h"
#include "lift/lift.h"
#include "simplify/simplify.h"
#include "synth/guided.h"
#include "triton/parse.h"
#include "util/strbuf.h"
#include "verify/verify.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VLIFT_VERSION "0.1.0"

static int usage_error(const char *cmd, const char *fmt, const char *arg) {
    fprintf(stderr, "vlift %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see 'vlift %s --help')\n", cmd);
    return 2;
}

static int report_diag(const diag *d) {
    char msg[700];
    diag_format(d, msg, sizeof msg);
    fprintf(stderr, "%s\n", msg);
    return d->kind == DIAG_ERROR ? 2 : 1;
}

static bool wants_help(int argc, char **argv) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
    return false;
}

/* ---- vlift parse ---- */

static const char parse_help[] =
    "usage: vlift parse FILE.py\n"
    "\n"
    "Lexes the whole file and parses its @triton.jit functions (under any decorator stack), the\n"
    "module-level constants and the import aliases; prints them as an indented tree. Host code\n"
    "(classes, other functions, ...) is lexed and skipped. Syntax errors: file:line:col, exit 2.\n";

static int cmd_parse(int argc, char **argv) {
    if (wants_help(argc, argv)) { fputs(parse_help, stdout); return 0; }
    if (argc != 1) return usage_error("parse", "expected one file, got %s", argc ? "several" : "none");
    arena a;
    arena_init(&a);
    diag err = {0};
    ast_module *m = parse_file(&a, argv[0], &err);
    if (!m) {
        arena_free(&a);
        return report_diag(&err);
    }
    strbuf out;
    strbuf_init(&out);
    ast_dump_module(m, &out);
    fputs(strbuf_cstr(&out), stdout);
    strbuf_free(&out);
    arena_free(&a);
    return 0;
}

/* ---- shared by run and spec ---- */

typedef struct op_request {
    const char *suite_path, *op_name, *variant;
    exec_size sizes[16];
    int n_sizes;
    uint64_t seed;
    bool show_all, show_time;
} op_request;

static int parse_op_request(const char *cmd, int argc, char **argv, op_request *req) {
    memset(req, 0, sizeof *req);
    req->seed = 1;
    int positional = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--size") == 0 || strcmp(a, "--variant") == 0 || strcmp(a, "--seed") == 0) {
            if (i + 1 >= argc) return usage_error(cmd, "%s needs a value", a);
            const char *v = argv[++i];
            if (a[2] == 'v') { req->variant = v; continue; }
            if (a[3] == 'e') {
                char *end;
                errno = 0;
                req->seed = strtoull(v, &end, 10);
                if (errno || *end || !*v) return usage_error(cmd, "--seed needs a non-negative integer, got '%s'", v);
                continue;
            }
            const char *eq = strchr(v, '=');
            if (!eq || eq == v) return usage_error(cmd, "--size takes NAME=VALUE, got '%s'", v);
            if (req->n_sizes == 16) return usage_error(cmd, "too many --size options%s", "");
            char *end;
            errno = 0;
            long long n = strtoll(eq + 1, &end, 10);
            if (errno || *end || !eq[1] || n < 0) return usage_error(cmd, "size value must be a non-negative integer: '%s'", v);
            req->sizes[req->n_sizes].name = strndup(v, (size_t)(eq - v));
            req->sizes[req->n_sizes++].value = n;
        } else if (strcmp(a, "--all") == 0) {
            req->show_all = true;
        } else if (strcmp(a, "--time") == 0) {
            req->show_time = true;
        } else if (a[0] == '-' && a[1]) {
            return usage_error(cmd, "unknown option '%s'", a);
        } else if (positional == 0) {
            req->suite_path = a; positional++;
        } else if (positional == 1) {
            req->op_name = a; positional++;
        } else {
            return usage_error(cmd, "unexpected argument '%s'", a);
        }
    }
    if (positional < 2) return usage_error(cmd, "expected SUITE.yaml and OP%s", "");
    return 0;
}

static void free_op_request(op_request *req) {
    for (int i = 0; i < req->n_sizes; i++) free((char *)req->sizes[i].name);
}

typedef struct loaded_op {
    arena a;
    plan_suite *suite;
    const plan_op *op;
    exec_sources src;
} loaded_op;

static int load_op(const op_request *req, loaded_op *L) {
    arena_init(&L->a);
    diag err = {0};
    L->suite = manifest_load(&L->a, req->suite_path, &err);
    if (!L->suite) return report_diag(&err);
    L->op = plan_find_op(L->suite, req->op_name);
    if (!L->op) {
        fprintf(stderr, "vlift: suite '%s' has no operator '%s'\n", L->suite->name, req->op_name);
        return 2;
    }
    if (req->variant && !plan_find_variant(L->op, req->variant)) {
        fprintf(stderr, "vlift: operator '%s' has no variant '%s'\n", L->op->name, req->variant);
        return 2;
    }
    if (!exec_load_sources(&L->a, L->op, &L->src, &err)) return report_diag(&err);
    return 0;
}

/* "y[2,3]": the flat-th element of an output in row-major logical order. */
static void format_index(const exec_buffer *b, int64_t flat, char *buf, int size) {
    int64_t idx[MAX_RANK];
    exec_buffer_flat_offset(b, flat, idx);
    exec_buffer_format_element(b, idx, buf, size);
}

static int64_t storage_offset(const exec_buffer *b, int64_t flat) { return exec_buffer_flat_offset(b, flat, NULL); }

static int64_t numel(const exec_buffer *b) { return exec_buffer_numel(b); }

static double lane_value(const exec_buffer *b, int64_t off) {
    return b->ty.cls == VC_FLOAT ? b->data[off].u.f : (double)b->data[off].u.i;
}

/* ---- vlift run ---- */

static const char run_help[] =
    "usage: vlift run SUITE.yaml OP [--variant V] [--size NAME=VALUE]... [--seed N] [--all]\n"
    "\n"
    "Runs the operator's launch sequence concretely on random inputs (drawn from --seed) for each\n"
    "variant (or only --variant V) and prints every output: all values when small (or --all),\n"
    "otherwise a checksum. Exit 1 when an output element is never written or the variants\n"
    "disagree; kernel faults (out-of-bounds access, write conflicts) are reported with their line.\n";

static void print_output(const exec_buffer *b, bool show_all) {
    char shape[96];
    shape_format(b->rank, b->shape, shape, sizeof shape);
    int64_t n = numel(b);
    printf("  %s %s %s:", b->name, shape, elem_dtype_name(b->ty.dtype));
    if (n <= 64 || show_all) {
        printf("\n   ");
        for (int64_t k = 0; k < n; k++) {
            int64_t off = storage_offset(b, k);
            if (!b->defined[off]) printf(" ?");
            else if (b->ty.cls == VC_FLOAT) printf(" %.6g", b->data[off].u.f);
            else printf(" %lld", (long long)b->data[off].u.i);
            if (b->rank > 0 && (k + 1) % b->shape[b->rank - 1] == 0 && k + 1 < n) printf("\n   ");
        }
        printf("\n");
        return;
    }
    double sum = 0, asum = 0, lo = INFINITY, hi = -INFINITY;
    for (int64_t k = 0; k < n; k++) {
        int64_t off = storage_offset(b, k);
        double v = lane_value(b, off);
        sum += v; asum += fabs(v);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    printf(" sum=%.9g abs_sum=%.9g min=%.6g max=%.6g\n", sum, asum, lo, hi);
}

static int cmd_run(int argc, char **argv) {
    if (wants_help(argc, argv)) { fputs(run_help, stdout); return 0; }
    op_request req;
    int rc = parse_op_request("run", argc, argv, &req);
    if (rc) return rc;
    loaded_op L;
    rc = load_op(&req, &L);
    if (rc) { arena_free(&L.a); free_op_request(&req); return rc; }
    exec_result first = {0};
    bool have_first = false;
    const char *first_name = NULL;   /* the variant the others are compared with */
    int status = 0;
    for (int v = 0; v < L.op->n_variants; v++) {
        const plan_variant *var = &L.op->variants[v];
        if (req.variant && strcmp(req.variant, var->name) != 0) continue;
        exec_options opt = {0};
        opt.mode = EXEC_CONCRETE;
        opt.seed = req.seed;
        opt.sizes = req.sizes;
        opt.n_sizes = req.n_sizes;
        exec_result r;
        bool ok = exec_operator(L.op, var, &L.src, &opt, &r);
        printf("%s/%s%s%s\n", L.op->name, var->name, r.bindings[0] ? "  " : "", r.bindings);
        if (!ok && r.precondition_failed && !req.variant) {   /* the host would not take this path */
            printf("  skipped: %s\n", r.err.message);
            exec_result_free(&r);
            continue;
        }
        if (!ok) {
            int c = report_diag(&r.err);
            status = status > c ? status : c;
            exec_result_free(&r);
            continue;
        }
        printf("  %d launch%s, %lld program%s", r.n_launches, r.n_launches == 1 ? "" : "es",
               (long long)r.n_programs, r.n_programs == 1 ? "" : "s");
        if (req.show_time) printf(", %.3f ms", r.seconds * 1e3);
        printf("\n");
        for (int t = 0; t < r.n_tensors; t++) {
            const exec_buffer *b = r.mem.buffers[t];
            if (b->role != ROLE_OUTPUT && b->role != ROLE_INOUT) continue;
            print_output(b, req.show_all);
            int64_t missing = 0, n = numel(b);
            char first_missing[96] = "";
            for (int64_t k = 0; k < n; k++)
                if (!b->defined[storage_offset(b, k)] && missing++ == 0) format_index(b, k, first_missing, sizeof first_missing);
            if (missing) {
                printf("  FAIL: %lld element%s of %s never written (first: %s)\n", (long long)missing, missing == 1 ? "" : "s", b->name, first_missing);
                status = status > 1 ? status : 1;
            }
        }
        if (!have_first) { first = r; have_first = true; first_name = var->name; continue; }
        /* Variants of one operator must agree on the same inputs. */
        double worst = 0;
        char where[96] = "";
        for (int t = 0; t < r.n_tensors; t++) {
            const exec_buffer *a = first.mem.buffers[t], *b = r.mem.buffers[t];
            if (b->role != ROLE_OUTPUT && b->role != ROLE_INOUT) continue;
            for (int64_t k = 0; k < numel(b); k++) {
                int64_t oa = storage_offset(a, k), ob = storage_offset(b, k);
                if (!a->defined[oa] || !b->defined[ob]) continue;
                double x = lane_value(a, oa), y = lane_value(b, ob);
                double d = fabs(x - y) / (1.0 + fabs(x));
                if (d > worst || isnan(d)) { worst = isnan(d) ? INFINITY : d; format_index(b, k, where, sizeof where); }
            }
        }
        bool agrees = worst <= 1e-6;
        printf("  %s %s/%s: max relative difference %.3g%s%s\n", agrees ? "agrees with" : "FAIL: differs from",
               L.op->name, first_name, worst, worst > 1e-9 ? " at " : "", worst > 1e-9 ? where : "");
        if (!agrees) status = status > 1 ? status : 1;
        exec_result_free(&r);
    }
    if (have_first) exec_result_free(&first);
    arena_free(&L.a);
    free_op_request(&req);
    return status;
}

/* ---- vlift spec ---- */

static const char spec_help[] =
    "usage: vlift spec SUITE.yaml OP [--variant V] [--size NAME=VALUE]... [--time]\n"
    "\n"
    "Executes the operator symbolically at the given sizes (defaults from the manifest): every\n"
    "floating-point input element and symbolic parameter is a variable, and each output element\n"
    "is printed as a term over them. Subterms shared by several outputs are printed once as\n"
    "%%k = ... lines. --time adds the symbolic-execution time.\n";

static int cmd_spec(int argc, char **argv) {
    if (wants_help(argc, argv)) { fputs(spec_help, stdout); return 0; }
    op_request req;
    int rc = parse_op_request("spec", argc, argv, &req);
    if (rc) return rc;
    loaded_op L;
    rc = load_op(&req, &L);
    if (rc) { arena_free(&L.a); free_op_request(&req); return rc; }
    int status = 0;
    for (int v = 0; v < L.op->n_variants; v++) {
        const plan_variant *var = &L.op->variants[v];
        if (req.variant && strcmp(req.variant, var->name) != 0) continue;
        exec_options opt = {0};
        opt.mode = EXEC_SYMBOLIC;
        opt.seed = req.seed;
        opt.sizes = req.sizes;
        opt.n_sizes = req.n_sizes;
        exec_result r;
        bool ok = exec_operator(L.op, var, &L.src, &opt, &r);
        if (!ok && r.precondition_failed && !req.variant) {
            printf("# %s/%s at %s: skipped: %s\n", L.op->name, var->name, r.bindings, r.err.message);
            exec_result_free(&r);
            continue;
        }
        if (!ok) {
            printf("# %s/%s at %s\n", L.op->name, var->name, r.bindings);
            int c = report_diag(&r.err);
            status = status > c ? status : c;
            exec_result_free(&r);
            continue;
        }
        /* Collect the output elements as roots. */
        int64_t n_roots = 0;
        for (int t = 0; t < r.n_tensors; t++)
            if (r.mem.buffers[t]->role == ROLE_OUTPUT || r.mem.buffers[t]->role == ROLE_INOUT) n_roots += numel(r.mem.buffers[t]);
        term_id *roots = xcalloc((size_t)(n_roots + 1), sizeof *roots);
        const char **names = xcalloc((size_t)(n_roots + 1), sizeof *names);
        int64_t k = 0, unwritten = 0;
        for (int t = 0; t < r.n_tensors; t++) {
            const exec_buffer *b = r.mem.buffers[t];
            if (b->role != ROLE_OUTPUT && b->role != ROLE_INOUT) continue;
            for (int64_t i = 0; i < numel(b); i++, k++) {
                char label[96];
                format_index(b, i, label, sizeof label);
                names[k] = xstrdup(label);
                int64_t off = storage_offset(b, i);
                const elem *e = &b->data[off];
                if (!b->defined[off]) { roots[k] = TERM_NONE; unwritten++; continue; }
                if (e->sym) roots[k] = e->u.t;
                else if (b->ty.cls == VC_FLOAT) roots[k] = term_real(r.terms, e->u.f);
                else if (b->ty.cls == VC_BOOL) roots[k] = term_bool(r.terms, e->u.i != 0);
                else roots[k] = term_int(r.terms, e->u.i);
            }
        }
        printf("# %s/%s at %s: %lld output elements, %zu terms", L.op->name, var->name, r.bindings,
               (long long)n_roots, term_store_size(r.terms));
        if (req.show_time) printf(", symbolic execution %.3f ms", r.seconds * 1e3);
        printf("\n");
        strbuf out;
        strbuf_init(&out);
        /* Unwritten elements are printed explicitly; the rest as one DAG. */
        int64_t w = 0;
        for (int64_t i = 0; i < n_roots; i++) {
            if (roots[i] == TERM_NONE) {
                printf("%s = <never written>\n", names[i]);
                free((char *)names[i]);
                continue;
            }
            roots[w] = roots[i];
            names[w++] = names[i];
        }
        term_print_dag(r.terms, roots, (int)w, names, &out);
        fputs(strbuf_cstr(&out), stdout);
        strbuf_free(&out);
        for (int64_t i = 0; i < w; i++) free((char *)names[i]);
        free(roots);
        free(names);
        if (unwritten) status = status > 1 ? status : 1;
        exec_result_free(&r);
    }
    arena_free(&L.a);
    free_op_request(&req);
    return status;
}

/* ---- vlift check-suite ---- */

static const char check_help[] =
    "usage: vlift check-suite SUITE.yaml [--op NAME]... [--formula TEXT] [--seed N] [--rtol X] [--atol X]\n"
    "\n"
    "For each operator (or only those named) and each variant, runs the kernels concretely on\n"
    "random inputs at several sizes per size symbol (the manifest's check_sizes, or 1, the\n"
    "default d and 2d+3) and compares every output element with the manifest's expected formula\n"
    "evaluated numerically: |kernel - formula| <= atol + rtol*|formula| (defaults 1e-9, 1e-7).\n"
    "Prints a line per variant and a summary; exit 1 if any fails. With --formula (and exactly\n"
    "one --op) the given formula is checked instead of the expected one (e.g. a lifted formula).\n";

static bool parse_double_arg(const char *s, double *out) {
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return !errno && end != s && !*end && *out >= 0;
}

static int cmd_check_suite(int argc, char **argv) {
    if (wants_help(argc, argv)) { fputs(check_help, stdout); return 0; }
    const char *suite_path = NULL, *formula_text = NULL;
    const char *only[64];
    int n_only = 0;
    crosscheck_options opt = {1, 1e-7, 1e-9, EXEC_INPUTS_UNIFORM};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool takes_value = strcmp(a, "--op") == 0 || strcmp(a, "--seed") == 0 || strcmp(a, "--rtol") == 0 ||
                           strcmp(a, "--atol") == 0 || strcmp(a, "--formula") == 0;
        if (takes_value && i + 1 >= argc) return usage_error("check-suite", "%s needs a value", a);
        if (strcmp(a, "--formula") == 0) {
            formula_text = argv[++i];
        } else if (strcmp(a, "--op") == 0) {
            if (n_only == 64) return usage_error("check-suite", "too many --op options%s", "");
            only[n_only++] = argv[++i];
        } else if (strcmp(a, "--seed") == 0) {
            char *end;
            errno = 0;
            opt.seed = strtoull(argv[++i], &end, 10);
            if (errno || *end) return usage_error("check-suite", "--seed needs a non-negative integer, got '%s'", argv[i]);
        } else if (strcmp(a, "--rtol") == 0 || strcmp(a, "--atol") == 0) {
            double *dst = a[2] == 'r' ? &opt.rtol : &opt.atol;
            if (!parse_double_arg(argv[++i], dst)) return usage_error("check-suite", "tolerance must be a non-negative number, got '%s'", argv[i]);
        } else if (a[0] == '-' && a[1]) {
            return usage_error("check-suite", "unknown option '%s'", a);
        } else if (!suite_path) {
            suite_path = a;
        } else {
            return usage_error("check-suite", "unexpected argument '%s'", a);
        }
    }
    if (!suite_path) return usage_error("check-suite", "expected SUITE.yaml%s", "");
    if (formula_text && n_only != 1) return usage_error("check-suite", "--formula needs exactly one --op%s", "");
    arena a;
    arena_init(&a);
    diag err = {0};
    plan_suite *suite = manifest_load(&a, suite_path, &err);
    if (!suite) { arena_free(&a); return report_diag(&err); }
    for (int k = 0; k < n_only; k++)
        if (!plan_find_op(suite, only[k])) {
            fprintf(stderr, "vlift check-suite: suite '%s' has no operator '%s'\n", suite->name, only[k]);
            arena_free(&a);
            return 2;
        }
    int n_ops = 0, n_variants = 0, n_passed = 0, n_failed = 0, ops_failed = 0;
    for (int i = 0; i < suite->n_ops; i++) {
        const plan_op *op = &suite->ops[i];
        bool selected = n_only == 0;
        for (int k = 0; k < n_only; k++) selected = selected || strcmp(only[k], op->name) == 0;
        if (!selected) continue;
        n_ops++;
        bool op_ok = true;
        char label[160];
        /* The expected formula and the sources, once per operator. */
        const char *problem = NULL;
        char problem_buf[800];
        formula *f = NULL;
        exec_sources src = {0};
        diag e = {0};
        if (formula_text) {
            if (!(f = formula_parse(&a, "--formula", 1, 1, formula_text, &e)) || !exec_load_sources(&a, op, &src, &e)) {
                diag_format(&e, problem_buf, sizeof problem_buf);
                problem = problem_buf;
            }
        } else if (!op->expected.text) {
            problem = "the operator has no expected formula";
        } else if (!(f = formula_parse(&a, op->expected.file, op->expected.line, op->expected.col, op->expected.text, &e)) ||
                   !exec_load_sources(&a, op, &src, &e)) {
            diag_format(&e, problem_buf, sizeof problem_buf);
            problem = problem_buf;
        }
        size_point points[64];
        int n_points = crosscheck_size_points(op, points, 64);
        for (int v = 0; v < op->n_variants; v++) {
            const plan_variant *var = &op->variants[v];
            n_variants++;
            snprintf(label, sizeof label, "%s/%s", op->name, var->name);
            if (problem) {
                printf("FAIL  %-28s %s\n", label, problem);
                n_failed++;
                op_ok = false;
                continue;
            }
            crosscheck_result r;
            if (crosscheck_variant(op, var, &src, f, points, n_points, &opt, &r)) {
                printf("ok    %-28s %d size points, %lld elements, largest error %.2g of the tolerance\n", label,
                       r.points_run, (long long)r.elements, r.max_error);
                n_passed++;
            } else {
                printf("FAIL  %-28s %s\n", label, r.message);
                n_failed++;
                op_ok = false;
            }
            fflush(stdout);
        }
        if (!op_ok) ops_failed++;
    }
    printf("check-suite %s: %d operators (%d passed, %d failed), %d variants: %d passed, %d failed\n", suite->name,
           n_ops, n_ops - ops_failed, ops_failed, n_variants, n_passed, n_failed);
    arena_free(&a);
    return n_failed ? 1 : 0;
}

/* ---- dispatch ---- */

static const char main_help[] =
    "usage: vlift COMMAND [ARGS]   (vlift COMMAND --help for details)\n"
    "\n"
    "  parse FILE.py                       kernels found in a Triton file, as a syntax tree\n"
    "  run SUITE.yaml OP [--size K=V]...   run an operator concretely on random inputs\n"
    "  spec SUITE.yaml OP [--size K=V]...  print its symbolic specification\n"
    "  check-suite SUITE.yaml              every operator's kernels vs its expected formula\n"
    "  lift SUITE.yaml OP [--json]         lift an operator into a formula (symexec, synth, check)\n"
    "  verify SUITE.yaml OP [--json]       prove the expected (or a given) formula for all sizes\n"
    "  simplify \"FORMULA\" [--expected F]  simplify a formula into textbook form (e-graph)\n"
    "  bench SUITE.yaml... [-o DIR]       run the benchmark: results.csv, meta.yaml, logs\n"
    "  report DIR [--paper]                tables and plots from a results directory\n"
    "  compare OLD_DIR NEW_DIR             regressions between two runs (exit 1 if any)\n"
    "  merge DIR... -o DIR                 merge shards or runs into one results directory\n"
    "  guided-weights FILE...              learn the guided baseline's production weights\n"
    "\n"
    "Exit status: 0 success, 1 ran but the answer is negative, 2 bad usage or bad input.\n";

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(main_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) { printf("vlift %s\n", VLIFT_VERSION); return 0; }
    const char *cmd = argv[1];
    if (strcmp(cmd, "parse") == 0) return cmd_parse(argc - 2, argv + 2);
    if (strcmp(cmd, "run") == 0) return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "spec") == 0) return cmd_spec(argc - 2, argv + 2);
    if (strcmp(cmd, "check-suite") == 0) return cmd_check_suite(argc - 2, argv + 2);
    if (strcmp(cmd, "lift") == 0) return cmd_lift(argc - 2, argv + 2);
    if (strcmp(cmd, "verify") == 0) return cmd_verify(argc - 2, argv + 2);
    if (strcmp(cmd, "simplify") == 0) return cmd_simplify(argc - 2, argv + 2);
    if (strcmp(cmd, "bench") == 0) return cmd_bench(argc - 2, argv + 2);
    if (strcmp(cmd, "report") == 0) return cmd_report(argc - 2, argv + 2);
    if (strcmp(cmd, "compare") == 0) return cmd_compare(argc - 2, argv + 2);
    if (strcmp(cmd, "merge") == 0) return cmd_merge(argc - 2, argv + 2);
    if (strcmp(cmd, "guided-weights") == 0) return cmd_guided_weights(argc - 2, argv + 2);
    fprintf(stderr, "vlift: unknown command '%s'\n%s", cmd, main_help);
    return 2;
}
