/* runner: runs one job — one tool on one operator, one repetition — as a child process and
 * classifies how it ended. This is where process isolation happens:
 *
 *  - the child runs in its own process group (setpgid), with RLIMIT_AS = the memory limit and
 *    RLIMIT_CORE = 0, stdin from /dev/null, and PR_SET_PDEATHSIG so that it dies with the driver;
 *  - its stdout and stderr go through pipes into the job's log file (capped at RUNNER_LOG_CAP
 *    with a truncation note); the first RUNNER_STDOUT_CAP bytes of stdout are kept for parsing;
 *  - stage events arrive on a third pipe, passed as file descriptor 3 and named in the
 *    environment variable VLIFT_EVENT_FD: lines `start STAGE` and `end STAGE SECONDS`;
 *  - the parent enforces the limit of the running stage and the wall limit: SIGTERM to the
 *    process group, SIGKILL after the grace period. A stage may be entered several times (once
 *    per variant of an operator, again after a counterexample); its limit bounds the total
 *    time of its entries, as the parent saw them (from each start event to its end event);
 *  - when the tool's main process ends, whatever is left of its process group (children that
 *    outlived it) is killed before it is reaped; processes that left the group (setsid) are out
 *    of reach — a limitation without cgroups;
 *  - wall time is measured by the parent; CPU time and peak RSS come from wait4's rusage, which
 *    counts the tool and those of its descendants it waited for (not orphans). CPU time is not a
 *    CSV column: it is written to the job's log with the exit details.
 *
 * Classification, first match wins:
 *   NOT_RUN        the command could not be executed (not found, not executable);
 *   TIMEOUT        the harness killed it for a limit (stage = the stage, or "wall");
 *   (the tool's)   it exited (any exit code) with a parseable result: the JSON object, or the
 *                  output rule's status line;
 *   OUT_OF_MEMORY  it died or failed with peak RSS >= 90% of the memory limit, or printed an
 *                  out-of-memory message, or (built-in tool) exited with status 3;
 *   CRASH          killed by a signal the harness did not send (message names it);
 *   ERROR          any other end without a result (message: the last line of stderr). */
#ifndef VLIFT_BENCH_RUNNER_H
#define VLIFT_BENCH_RUNNER_H
#include "bench/limits.h"
#include "bench/status.h"
#include "bench/tools.h"
#include "exec/plan.h"
#include <stdbool.h>
#include <stddef.h>

#define RUNNER_STDOUT_CAP (1u << 20)
#define RUNNER_LOG_CAP (8u << 20)

typedef struct job {
    size_t index;               /* position in the full, ordered job list */
    const char *suite;          /* suite name */
    const char *manifest;       /* path of the suite manifest */
    const plan_op *op;
    const bench_tool *tool;
    int rep;                    /* 1-based */
    job_settings limits;        /* resolved */
    const char *name;           /* suite__op__tool__config__rep: log and work directory names */
} job;

typedef struct runner_config {
    const char *vlift_path;     /* this binary (the built-in tool runs `vlift lift`) */
    const char *log_dir;        /* DIR/logs */
    const char *work_dir;       /* DIR/work: per-job scratch directories ({workdir}) */
    double grace_s;             /* between SIGTERM and SIGKILL */
    bool (*stop_requested)(void);   /* polled: true = kill the job, it is not recorded */
} runner_config;

typedef struct job_result {
    job_status status;
    bool interrupted;           /* stopped because the driver was interrupted: no CSV row */
    char *stage, *blocks, *formula, *message, *matches_expected;   /* heap, never NULL */
    char *candidates, *smt_queries, *size_lifted, *size_simplified; /* text of counts, "" if unknown */
    double t_stage[N_STAGES];
    bool has_t_stage[N_STAGES];
    double t_total;             /* wall seconds, measured by the harness */
    double cpu_s;
    long peak_rss_kb;
} job_result;

void runner_run(const runner_config *cfg, const job *j, job_result *out);
void job_result_free(job_result *r);

/* Classifies a finished tool's stdout by its output rule (exposed for the tests): fills status,
 * formula, message and the statistics from a JSON object or the regex rule. Returns false when
 * the output holds no usable result; *why then says what was wrong. */
bool runner_parse_output(const tool_output *rule, const char *stdout_text, size_t len, job_result *r, char *why,
                         size_t why_size);

#endif
