/* simplify_cli: `vlift simplify "FORMULA"` — runs the simplification stage on formula text
 * (for testing rules from the shell) and prints the result, its statistics and, with
 * --expected, whether it equals the expected formula up to commutativity/associativity. */
#include "simplify/ac_equal.h"
#include "simplify/equiv.h"
#include "simplify/simplify.h"
#include "util/strbuf.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char simplify_help[] =
    "usage: vlift simplify \"FORMULA\" [--expected \"FORMULA\"] [--json] [--iter-limit N]\n"
    "                      [--node-limit N] [--time-limit S] [--sizes N,M,...] [--no-approx]\n"
    "\n"
    "Simplifies a formula (equations separated by ';' or newlines) by equality saturation with\n"
    "the built-in rules and prints the cheapest equivalent formula, then '#' lines: sizes before\n"
    "and after (AST nodes), iterations, e-graph nodes and classes, the stop reason (saturated,\n"
    "iter, nodes, time), how the result is known equal to the input ('egraph', or\n"
    "'approximate: ...' when a decimal literal was printed as the named constant it rounds),\n"
    "the rules that fired, and a numeric check of the result against the input on random inputs.\n"
    "\n"
    "  --expected F     also compare with F up to commutativity/associativity (exit 1 if unequal)\n"
    "  --json           one JSON object instead\n"
    "  --iter-limit N   saturation iterations (default 30)\n"
    "  --node-limit N   e-graph nodes (default 10000)\n"
    "  --time-limit S   seconds of saturation (default 1)\n"
    "  --sizes LIST     names of sizes (integers >= 1); default: the names used as range bounds\n"
    "  --no-approx      never print a recognised constant for a literal\n"
    "\n"
    "Exit status: 0 simplified (and equal to --expected), 1 not equal to --expected or not\n"
    "simplifiable, 2 bad usage or a formula that does not parse.\n";

static int usage(const char *fmt, const char *arg) {
    fprintf(stderr, "vlift simplify: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see 'vlift simplify --help')\n");
    return 2;
}

static void json_string(strbuf *out, const char *s) {
    strbuf_putc(out, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') strbuf_printf(out, "\\%c", c);
        else if (c == '\n') strbuf_append(out, "\\n");
        else if (c < 0x20) strbuf_printf(out, "\\u%04x", c);
        else strbuf_putc(out, (char)c);
    }
    strbuf_putc(out, '"');
}

static formula *parse_arg(arena *a, const char *what, const char *text) {
    diag err = {0};
    formula *f = formula_parse(a, what, 1, 1, text, &err);
    if (!f) {
        char msg[700];
        diag_format(&err, msg, sizeof msg);
        fprintf(stderr, "vlift simplify: %s\n", msg);
    }
    return f;
}

/* "N,M" -> names (arena copies). */
static int split_sizes(arena *a, const char *list, const char ***out) {
    int n = 1;
    for (const char *s = list; *s; s++) n += *s == ',';
    const char **names = arena_alloc(a, (size_t)n * sizeof *names);
    int k = 0;
    const char *s = list;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len) names[k++] = arena_strndup(a, s, len);
        s += len + (e ? 1 : 0);
    }
    *out = names;
    return k;
}

int cmd_simplify(int argc, char **argv) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(simplify_help, stdout);
            return 0;
        }
    arena a;
    arena_init(&a);
    simplify_options opt;
    simplify_options_default(&opt);
    const char *text = NULL, *expected_text = NULL;
    bool json = false;
    int rc = 0;
    for (int i = 0; i < argc && !rc; i++) {
        const char *o = argv[i];
        bool takes = strcmp(o, "--expected") == 0 || strcmp(o, "--iter-limit") == 0 || strcmp(o, "--node-limit") == 0 ||
                     strcmp(o, "--time-limit") == 0 || strcmp(o, "--sizes") == 0;
        if (takes && i + 1 >= argc) { rc = usage("%s needs a value", o); break; }
        if (strcmp(o, "--expected") == 0) {
            expected_text = argv[++i];
        } else if (strcmp(o, "--json") == 0) {
            json = true;
        } else if (strcmp(o, "--no-approx") == 0) {
            opt.no_approximations = true;
        } else if (strcmp(o, "--sizes") == 0) {
            const char **names;
            opt.n_sizes = split_sizes(&a, argv[++i], &names);
            opt.sizes = names;
        } else if (strcmp(o, "--iter-limit") == 0 || strcmp(o, "--node-limit") == 0) {
            char *end;
            errno = 0;
            long v = strtol(argv[++i], &end, 10);
            if (errno || *end || !*argv[i] || v < 0 || v > 100000000) { rc = usage("%s needs a non-negative integer", o); break; }
            if (o[2] == 'i') opt.iter_limit = (int)v;
            else opt.node_limit = (uint32_t)v;
        } else if (strcmp(o, "--time-limit") == 0) {
            char *end;
            errno = 0;
            double v = strtod(argv[++i], &end);
            if (errno || *end || !*argv[i] || !(v >= 0) || !isfinite(v)) { rc = usage("--time-limit needs a non-negative number of seconds%s", ""); break; }
            opt.time_limit = v;
        } else if (o[0] == '-' && o[1] == '-') {
            rc = usage("unknown option '%s'", o);
        } else if (!text) {
            text = o;
        } else {
            rc = usage("unexpected argument '%s' (quote the formula)", o);
        }
    }
    if (!rc && !text) rc = usage("expected a formula%s", "");
    formula *in = NULL, *want = NULL;
    if (!rc && !(in = parse_arg(&a, "<formula>", text))) rc = 2;
    if (!rc && expected_text && !(want = parse_arg(&a, "<expected>", expected_text))) rc = 2;
    if (rc) {
        arena_free(&a);
        return rc;
    }

    simplify_result r;
    bool ok = simplify_formula(&a, in, &opt, &r);
    char why[300] = "";
    bool numeric = ok && equiv_numeric(in, r.f, 1, 3, why, sizeof why);
    const char *match = "";
    if (want) match = ac_equal_formula(r.f, want) ? "yes" : ac_equal_formula_unfold(r.f, want) ? "definitions" : "no";

    strbuf out;
    strbuf_init(&out);
    strbuf printed;
    strbuf_init(&printed);
    formula_print_text(r.f, &printed);
    if (json) {
        strbuf_append(&out, "{\"ok\": ");
        strbuf_append(&out, ok ? "true" : "false");
        strbuf_append(&out, ", \"formula\": ");
        json_string(&out, strbuf_cstr(&printed));
        strbuf_printf(&out, ", \"size_before\": %d, \"size_after\": %d, \"iterations\": %d, \"enodes\": %u, \"eclasses\": %u",
                      r.size_before, r.size_after, r.iterations, r.enodes, r.eclasses);
        strbuf_printf(&out, ", \"stop\": \"%s\", \"seconds\": %.6f, \"equality\": ", simplify_stop_name(r.stop), r.seconds);
        json_string(&out, r.equality);
        strbuf_append(&out, ", \"rules_fired\": ");
        json_string(&out, r.rules_fired);
        strbuf_printf(&out, ", \"numeric_check\": \"%s\"", !ok ? "" : numeric ? "agrees" : "DIFFERS");
        strbuf_append(&out, ", \"expected\": ");
        json_string(&out, match);
        strbuf_append(&out, ", \"message\": ");
        json_string(&out, ok ? (numeric ? "" : why) : r.message);
        strbuf_append(&out, "}\n");
    } else {
        strbuf_printf(&out, "%s\n", strbuf_cstr(&printed));
        if (!ok) strbuf_printf(&out, "# not simplified: %s\n", r.message);
        strbuf_printf(&out, "# size %d -> %d, %d iteration%s, %u e-nodes, %u e-classes, stop: %s, %.3f s\n", r.size_before,
                      r.size_after, r.iterations, r.iterations == 1 ? "" : "s", r.enodes, r.eclasses, simplify_stop_name(r.stop),
                      r.seconds);
        strbuf_printf(&out, "# equality: %s\n", r.equality);
        if (r.rules_fired[0]) strbuf_printf(&out, "# rules: %s\n", r.rules_fired);
        if (ok) strbuf_printf(&out, "# numeric check: %s%s\n", numeric ? "agrees with the input" : "DIFFERS: ", numeric ? "" : why);
        if (want)
            strbuf_printf(&out, "# expected: %s\n", match[0] == 'y' ? "yes (equal up to commutativity/associativity)"
                                                  : match[0] == 'd' ? "no (equal only after unfolding sigmoid/rsqrt definitions)"
                                                                    : "no");
    }
    fputs(strbuf_cstr(&out), stdout);
    strbuf_free(&out);
    strbuf_free(&printed);
    arena_free(&a);
    if (!ok || (ok && !numeric)) return 1;
    return want && strcmp(match, "yes") != 0 ? 1 : 0;
}
