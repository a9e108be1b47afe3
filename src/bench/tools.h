/* tools: the tools a suite is benchmarked with, as declared under `tools:` in a manifest.
 *
 * A tool is built in — vlift itself, run as `vlift lift SUITE.yaml OP --config C --json` — or
 * external: a command template (see command.h) and an output rule that maps what it prints on
 * stdout to a status and a formula. One bench_tool is one (name, config) pair; a manifest entry
 * with `config: [a, b]` becomes two. A suite without `tools:` is run with vlift/full.
 *
 *   tools:
 *     - {name: vlift, builtin: vlift, config: [full, no-prune]}
 *     - name: mytool
 *       command: "mytool --kernel {kernel_file} --fn {kernel} --timeout {wall}"
 *       output:                                   # absent or `output: json`: stdout is one JSON
 *         status_regex: "^RESULT: (\\w+)"         # object in vlift's --json format
 *         status_map: {verified: VERIFIED, lifted: LIFTED, failed: REFUTED}
 *         formula_regex: "^FORMULA: (.*)$"
 *         message_regex: "^NOTE: (.*)$"           # optional
 *       limits: {wall: 60}                        # optional, as in `defaults:`
 *       reps: 3                                   # optional
 *
 * Regexes are POSIX extended (with GNU \w, \s, \b), matched against stdout with ^ and $ at
 * line boundaries; the first match counts, its group 1 if it has one, else the whole match. The
 * status text is looked up in status_map, else taken as a status name (any case). */
#ifndef VLIFT_BENCH_TOOLS_H
#define VLIFT_BENCH_TOOLS_H
#include "bench/limits.h"
#include "bench/status.h"
#include <stdbool.h>

typedef enum tool_kind { TOOL_BUILTIN, TOOL_EXTERNAL } tool_kind;

typedef struct tool_status_map {
    const char *text;
    job_status status;
} tool_status_map;

typedef struct tool_output {
    bool json;                       /* stdout is a vlift JSON result object */
    const char *status_regex;        /* the rest: json == false */
    const char *formula_regex;       /* optional */
    const char *message_regex;       /* optional */
    tool_status_map *status_map;
    int n_status_map;
} tool_output;

typedef struct bench_tool {
    const char *name;                /* letters, digits, '_', '-', '.' (used in file names) */
    const char *config;              /* built-in: the lifter configuration; external: a label
                                        ("default" unless given) */
    tool_kind kind;
    const char *const *command;      /* external: the template's words */
    int n_command;
    tool_output output;
    job_settings settings;           /* the tool's limits and reps (0 = not set) */
    const char *manifest;
    int line, col;
} bench_tool;

/* The tool used when a suite declares none: vlift, built in, configuration "full". */
bench_tool tools_default(const char *manifest);

#endif
