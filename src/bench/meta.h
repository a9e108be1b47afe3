/* meta: results/<run>/meta.yaml — what a run needs to be reproduced and trusted: the command
 * line (and the bench arguments, which `--resume DIR` re-reads), start and end times, the
 * versions of vlift, git, z3, libyaml and gnuplot, the host (name, cores, memory, OS, CPU), the
 * limits and shard, and the sha256 of every manifest and kernel file. Versions of external
 * programs are asked at run time (git rev-parse, pkg-config/dpkg-query, gnuplot --version);
 * missing ones are written as null. */
#ifndef VLIFT_BENCH_META_H
#define VLIFT_BENCH_META_H
#include "bench/limits.h"
#include "bench/shard.h"
#include "util/strbuf.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct meta_system {      /* collected once per run */
    char *vlift_version, *git_revision, *z3_version, *gnuplot_version;
    bool git_dirty;
    char *host, *os, *cpu;
    int cores;
    long memory_mb;
} meta_system;

void meta_collect_system(meta_system *s, const char *vlift_path);
void meta_system_free(meta_system *s);

typedef struct meta_file {        /* a hashed input */
    const char *path;
    const char *suite;            /* manifests: the suite's name; kernels: NULL */
} meta_file;

typedef struct meta_info {
    const char *run_id;
    const char *const *command;   /* the full command line */
    int n_command;
    const char *const *args;      /* the bench arguments (re-read by --resume DIR) */
    int n_args;
    const char *cwd;
    const char *start_time, *end_time;   /* end NULL while running */
    const char *state;            /* running, complete, interrupted */
    const char *const *resumed;   /* times of --resume */
    int n_resumed;
    job_settings command_line;    /* --limit / --reps (0 = not given) */
    int workers;
    double grace_s;
    shard shard;
    size_t jobs_total, jobs_in_shard, jobs_recorded;
    const meta_file *manifests;
    int n_manifests;
    const meta_file *kernels;
    int n_kernels;
    const meta_system *system;
} meta_info;

/* Writes meta.yaml (via a temporary file and rename). */
bool meta_write(const char *path, const meta_info *m, char *err, size_t err_size);

/* What --resume and merge read back. */
typedef struct meta_record {
    char *run_id, *start_time;
    char **args;
    int n_args;
    char **resumed;
    int n_resumed;
    char *text;                   /* the whole file */
} meta_record;

bool meta_read(const char *path, meta_record *out, char *err, size_t err_size);
void meta_record_free(meta_record *m);

/* YAML double-quoted scalar of text (or null for NULL). */
void meta_yaml_string(strbuf *out, const char *text);
/* The current UTC time as 2026-11-21T15:56:19Z. */
void meta_utc_now(char *buf, size_t size);

#endif
