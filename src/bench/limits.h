/* limits: the resource limits and repetition count of a job, and how they are resolved.
 *
 * A job's settings come from up to five levels, each overriding the previous one key by key:
 *   built-in defaults < the suite's `defaults:` < the tool's `limits:`/`reps:`
 *   < the operator's `limits:`/`reps:` < the command line (--limit KEY=V, --reps R).
 * The operator outranks the tool because an operator's limits describe its size (a big matmul
 * needs a longer verify), which holds for every tool; a tool-level limit is the general case.
 *
 * Keys (manifest `limits:` mappings and --limit): symexec, synth, verify, simplify, check
 * (seconds a stage may take, counted from its start event), wall (seconds for the whole job),
 * memory_mb (address-space limit of the tool's process, MiB). All must be positive; a stage
 * without a limit is bounded only by the wall limit. */
#ifndef VLIFT_BENCH_LIMITS_H
#define VLIFT_BENCH_LIMITS_H
#include "bench/status.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One level of settings. 0 means "not set at this level" (every real value is positive). */
typedef struct job_settings {
    double stage_s[N_STAGES];
    double wall_s;
    int64_t memory_mb;
    int reps;
} job_settings;

#define LIMITS_DEFAULT_WALL_S 300.0
#define LIMITS_DEFAULT_MEMORY_MB 4096
#define LIMITS_DEFAULT_REPS 1

/* The built-in defaults: wall 300 s, memory 4096 MiB, 1 repetition, no stage limits. */
job_settings settings_defaults(void);

/* Overrides every key set in `over` (non-zero) in *base. */
void settings_apply(job_settings *base, const job_settings *over);

/* The effective settings: the built-in defaults with each non-NULL level applied in order. */
job_settings settings_resolve(const job_settings *const *levels, int n_levels);

/* Names of the limit keys, in order: the five stages, "wall", "memory_mb". */
extern const char *const limit_keys[];

/* Sets one limit from KEY and a value text ("synth", "10"). Returns false with a message in err
 * when the key is unknown or the value not a positive number (memory_mb: positive integer). */
bool settings_set(job_settings *s, const char *key, const char *value, char *err, size_t err_size);

/* Parses a command-line "KEY=VALUE" (e.g. "synth=10", "memory_mb=2048") into *s. */
bool settings_set_option(job_settings *s, const char *option, char *err, size_t err_size);

#endif
