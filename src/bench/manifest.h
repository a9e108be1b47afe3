/* manifest: loads suite manifests (YAML, via libyaml; with yaml_tree.c the only files that
 * include yaml.h) into a plan_suite. Every error — YAML syntax, a missing or unknown key, a value of the
 * wrong type, a file that does not exist — is reported as file:line:col naming the key. */
#ifndef VLIFT_MANIFEST_H
#define VLIFT_MANIFEST_H
#include "bench/limits.h"
#include "bench/tools.h"
#include "exec/plan.h"
#include "util/arena.h"
#include "util/diag.h"

/* Loads the manifest at path into the arena. Paths in it are relative to the manifest's
 * directory, or to `source_root` for kernel sources; the environment variable
 * VLIFT_SOURCE_ROOT_<SUITE> (suite name upper-cased, non-alphanumerics as '_') overrides
 * source_root. Returns NULL and fills err on failure. */
plan_suite *manifest_load(arena *a, const char *path, diag *err);

/* The harness's keys of a manifest (read by `vlift bench`; `run`, `spec` and the lifter read
 * only the operators and ignore them):
 *
 *   defaults: {limits: {symexec: S, synth: S, verify: S, simplify: S, check: S, wall: S,
 *                       memory_mb: N}, reps: R}
 *   tools: [...]                       see bench/tools.h
 *   operators: [{..., limits: {...}, reps: R}]     per-operator overrides
 *
 * Seconds are positive numbers, memory_mb and reps positive integers (reps at most 1000).
 * Resolution order: see bench/limits.h. */
typedef struct manifest_harness {
    job_settings defaults;      /* the suite's `defaults:` (0 = not set) */
    bench_tool *tools;          /* at least one: tools_default() when the suite declares none */
    int n_tools;
    job_settings *op_settings;  /* per operator, parallel to plan_suite.ops */
} manifest_harness;

/* Loads the manifest like manifest_load and also validates and fills the harness keys; every
 * error in them is reported as file:line:col naming the key, like the rest. */
plan_suite *manifest_load_harness(arena *a, const char *path, manifest_harness *h, diag *err);

/* Loads manifest text held in memory as if it were the contents of `path` (positions in errors
 * name it; relative paths resolve against its directory). h may be NULL (no harness keys).
 * Used by the fuzz target, which has no file to read. */
plan_suite *manifest_load_text(arena *a, const char *path, const char *text, size_t len,
                               manifest_harness *h, diag *err);

/* The version of libyaml in use ("0.2.5"), for meta.yaml. */
const char *manifest_yaml_version(void);

#endif
