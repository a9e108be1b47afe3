/* bench: the `vlift bench` command — manifests in, one results directory out:
 *
 *   DIR/results.csv   one row per finished job, appended and fsync'ed as each job ends
 *   DIR/meta.yaml     how the run was made (meta.h); rewritten at the start and the end
 *   DIR/logs/JOB.log   each job's output, command, limits and exit details
 *   DIR/.lock         while a driver works on DIR (lock.h)
 *
 * A run is resumable at any moment: rows are only ever appended whole, a torn last row (the
 * driver killed mid-write) is dropped on --resume, and --resume skips every job whose key
 * (suite, op, tool, config, rep) already has a row. SIGINT/SIGTERM stop the workers from
 * starting jobs and kill the running ones (which are not recorded: they run again on resume). */
#include "bench/cli.h"
#include "bench/interrupt.h"
#include "bench/jobs.h"
#include "bench/lock.h"
#include "bench/meta.h"
#include "bench/pool.h"
#include "bench/progress.h"
#include "bench/results.h"
#include "bench/runner.h"
#include "bench/shard.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char bench_help[] =
    "usage: vlift bench SUITE.yaml... [-j N] [-o DIR] [--tools a,b] [--ops x,y] [--reps R]\n"
    "                   [--limit KEY=VALUE]... [--shard i/n] [--run-id ID] [--grace S] [--quiet]\n"
    "       vlift bench --resume DIR [-j N]          complete an interrupted run\n"
    "       vlift bench SUITE.yaml... -o DIR --resume\n"
    "       vlift bench SUITE.yaml... --dry-run      list the jobs, run nothing\n"
    "\n"
    "Runs every tool x configuration x operator x repetition of the manifests (several may be\n"
    "combined) in parallel, each job in its own process group with its limits, and writes\n"
    "DIR/results.csv (one row per finished job), DIR/meta.yaml and DIR/logs/. DIR defaults to\n"
    "results/<UTC time>; the run id is DIR's last component unless --run-id is given.\n"
    "\n"
    "  -j N             parallel jobs (default: the number of online cores)\n"
    "  --tools a,b      only these tools (NAME or NAME/CONFIG)\n"
    "  --ops x,y        only these operators (OP or SUITE/OP)\n"
    "  --reps R         repetitions of every job (overrides the manifests)\n"
    "  --limit KEY=V    symexec|synth|verify|simplify|check|wall=SECONDS or memory_mb=MIB;\n"
    "                   overrides the manifests (order: built-in < defaults < tool < op < here)\n"
    "  --shard i/n      only jobs k with k mod n = i (0 <= i < n) of the ordered job list\n"
    "  --resume [DIR]   skip jobs already in DIR/results.csv; without manifests, reuse the\n"
    "                   manifests and options stored in DIR/meta.yaml\n"
    "  --grace S        seconds between SIGTERM and SIGKILL when a limit expires (default 2)\n"
    "  --quiet          no progress output\n"
    "\n"
    "Progress goes to stderr: one updating line on a terminal, one line per job otherwise.\n"
    "Exit: 0 when every job ran (whatever their statuses), 2 bad usage or input, 130/143 when\n"
    "interrupted by SIGINT/SIGTERM (finished rows are kept; --resume completes the run).\n";

typedef struct bench_options {
    const char **manifests;
    int n_manifests;
    int workers;
    const char *out_dir;
    const char *tools, *ops;
    job_settings cli;
    bool resume;
    const char *run_id;
    shard shard;
    double grace_s;
    bool dry_run, quiet;
} bench_options;

static int usage(const char *fmt, const char *arg) {
    fprintf(stderr, "vlift bench: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see 'vlift bench --help')\n");
    return 2;
}

/* Parses the bench arguments into o (manifests allocated in a). Returns 0 or an exit status. */
static int parse_options(arena *a, int argc, char **argv, bench_options *o) {
    o->manifests = arena_alloc(a, (size_t)(argc + 1) * sizeof *o->manifests);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        char err[300];
        bool takes_value = !strcmp(arg, "-j") || !strcmp(arg, "--jobs") || !strcmp(arg, "-o") || !strcmp(arg, "--output") ||
                           !strcmp(arg, "--tools") || !strcmp(arg, "--ops") || !strcmp(arg, "--reps") ||
                           !strcmp(arg, "--limit") || !strcmp(arg, "--shard") || !strcmp(arg, "--run-id") ||
                           !strcmp(arg, "--grace");
        if (takes_value && !value) return usage("%s needs a value", arg);
        if (!strcmp(arg, "-j") || !strcmp(arg, "--jobs")) {
            char *end;
            long n = strtol(value, &end, 10);
            if (*end || end == value || n < 1 || n > 4096) return usage("-j needs a number of jobs from 1 to 4096, not '%s'", value);
            o->workers = (int)n;
        } else if (!strcmp(arg, "-o") || !strcmp(arg, "--output")) {
            o->out_dir = value;
        } else if (!strcmp(arg, "--tools")) {
            o->tools = value;
        } else if (!strcmp(arg, "--ops")) {
            o->ops = value;
        } else if (!strcmp(arg, "--reps")) {
            char *end;
            long n = strtol(value, &end, 10);
            if (*end || end == value || n < 1 || n > 1000) return usage("--reps needs a number from 1 to 1000, not '%s'", value);
            o->cli.reps = (int)n;
        } else if (!strcmp(arg, "--limit")) {
            if (!settings_set_option(&o->cli, value, err, sizeof err)) return usage("%s", err);
        } else if (!strcmp(arg, "--shard")) {
            if (!shard_parse(value, &o->shard, err, sizeof err)) return usage("%s", err);
        } else if (!strcmp(arg, "--run-id")) {
            if (!*value || strchr(value, '/') || strchr(value, '\n')) return usage("--run-id needs a name without '/', not '%s'", value);
            o->run_id = value;
        } else if (!strcmp(arg, "--grace")) {
            char *end;
            double g = strtod(value, &end);
            if (*end || end == value || !(g >= 0) || g > 3600) return usage("--grace needs seconds from 0 to 3600, not '%s'", value);
            o->grace_s = g;
        } else if (!strcmp(arg, "--resume")) {
            o->resume = true;
            struct stat st;   /* an optional DIR: a directory, where manifests are files */
            if (value && value[0] != '-' && stat(value, &st) == 0 && S_ISDIR(st.st_mode)) {
                o->out_dir = value;
                i++;
            }
            continue;
        } else if (!strncmp(arg, "--resume=", 9)) {
            o->resume = true;
            o->out_dir = arg + 9;
            continue;
        } else if (!strcmp(arg, "--dry-run")) {
            o->dry_run = true;
            continue;
        } else if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) {
            o->quiet = true;
            continue;
        } else if (arg[0] == '-' && arg[1]) {
            return usage("unknown option '%s'", arg);
        } else {
            o->manifests[o->n_manifests++] = arg;
            continue;
        }
        i++;
    }
    return 0;
}

/* ---- one run ---- */

typedef struct bench_run {
    const job *jobs;
    const size_t *todo;           /* indices into jobs of the jobs to run */
    runner_config runner;
    results_writer writer;
    progress progress;
    const char *run_id;
    atomic_int write_failed;      /* a row could not be appended: no further job starts */
    char write_error[600];        /* the first failure's message (written by the thread that set
                                     write_failed first, read after the pool has finished) */
} bench_run;

static void format_time(char *buf, size_t size, bool has, double t) {
    if (!has) buf[0] = 0;
    else snprintf(buf, size, "%.4f", t);
}

/* "yes" when the tool gave no verdict but its formula equals the expected one up to white space. */
static const char *textual_match(const job *j, const job_result *r) {
    if (*r->matches_expected || !*r->formula || !j->op->expected.text) return r->matches_expected;
    const char *a = r->formula, *b = j->op->expected.text;
    while (true) {
        while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r') a++;
        while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r') b++;
        if (*a != *b) return "";
        if (!*a) return "yes";
        a++;
        b++;
    }
}

static result_row make_row(const bench_run *run, const job *j, const job_result *r) {
    char rep[16], times[N_STAGES + 1][32], rss[32];
    snprintf(rep, sizeof rep, "%d", j->rep);
    for (int s = 0; s < N_STAGES; s++) format_time(times[s], sizeof times[s], r->has_t_stage[s], r->t_stage[s]);
    format_time(times[N_STAGES], sizeof times[N_STAGES], true, r->t_total);
    if (r->peak_rss_kb > 0) snprintf(rss, sizeof rss, "%ld", r->peak_rss_kb);
    else rss[0] = 0;
    const char *f[N_RESULT_COLUMNS] = {
        [RC_RUN_ID] = run->run_id, [RC_SUITE] = j->suite, [RC_OP] = j->op->name, [RC_CATEGORY] = j->op->category,
        [RC_TOOL] = j->tool->name, [RC_CONFIG] = j->tool->config, [RC_REP] = rep, [RC_STATUS] = status_name(r->status),
        [RC_STAGE] = r->stage, [RC_BLOCKS] = r->blocks, [RC_T_SYMEXEC] = times[STAGE_SYMEXEC],
        [RC_T_SYNTH] = times[STAGE_SYNTH], [RC_T_VERIFY] = times[STAGE_VERIFY], [RC_T_SIMPLIFY] = times[STAGE_SIMPLIFY],
        [RC_T_CHECK] = times[STAGE_CHECK], [RC_T_TOTAL] = times[N_STAGES], [RC_PEAK_RSS_KB] = rss,
        [RC_CANDIDATES] = r->candidates, [RC_SMT_QUERIES] = r->smt_queries, [RC_SIZE_LIFTED] = r->size_lifted,
        [RC_SIZE_SIMPLIFIED] = r->size_simplified, [RC_MATCHES_EXPECTED] = textual_match(j, r),
        [RC_FORMULA] = r->formula, [RC_MESSAGE] = r->message,
    };
    result_row row;
    for (int c = 0; c < N_RESULT_COLUMNS; c++) row.f[c] = xstrdup(f[c] ? f[c] : "");
    /* one line per message keeps the CSV readable with line tools; formulas keep their lines */
    for (char *p = row.f[RC_MESSAGE]; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    return row;
}

static void run_one(void *ctx, size_t task) {
    bench_run *run = ctx;
    const job *j = &run->jobs[run->todo[task]];
    job_result r;
    runner_run(&run->runner, j, &r);
    if (!r.interrupted) {
        result_row row = make_row(run, j, &r);
        char err[600];
        if (!results_writer_append(&run->writer, &row, err, sizeof err)) {
            /* The row is not in the file (the writer undid the partial write), so --resume
             * runs this job again; stop starting new jobs whose rows could not be kept either. */
            int expected = 0;
            if (atomic_compare_exchange_strong(&run->write_failed, &expected, 1))
                snprintf(run->write_error, sizeof run->write_error, "%s", err);
        }
        result_row_free(&row);
        char label[600];
        snprintf(label, sizeof label, "%s/%s %s/%s rep %d", j->suite, j->op->name, j->tool->name, j->tool->config, j->rep);
        progress_job(&run->progress, label, r.status, r.stage, r.t_total, r.message);
    }
    job_result_free(&r);
}

static void tick(void *ctx) { progress_tick(&((bench_run *)ctx)->progress); }

static bool stop_requested(void) { return interrupt_requested(); }

/* The pool stops handing out jobs on an interrupt or after a row could not be written. */
static bool stop_run(void *ctx) { return interrupt_requested() || atomic_load(&((bench_run *)ctx)->write_failed); }

/* ---- the results directory ---- */

static bool make_dirs(const char *path) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return false;
        *p = '/';
    }
    return mkdir(buf, 0755) == 0 || errno == EEXIST;
}

/* The last component of path, without trailing slashes, into name. */
static const char *base_name(const char *path, char *name, size_t size) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    const char *end = path + n, *p = end;
    while (p > path && p[-1] != '/') p--;
    snprintf(name, size, "%.*s", (int)(end - p), p);
    return name;
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The kernel files of every operator, each once, for meta.yaml. */
static meta_file *kernel_files(arena *a, const bench_suite_file *files, int n_files, int *n_out) {
    size_t cap = 0;
    for (int f = 0; f < n_files; f++)
        for (int o = 0; o < files[f].suite->n_ops; o++) {
            const plan_op *op = &files[f].suite->ops[o];
            cap += (size_t)op->n_sources;
            for (int v = 0; v < op->n_variants; v++) cap += (size_t)op->variants[v].n_steps;
        }
    const char **paths = arena_alloc(a, (cap + 1) * sizeof *paths);
    size_t n = 0;
    for (int f = 0; f < n_files; f++)
        for (int o = 0; o < files[f].suite->n_ops; o++) {
            const plan_op *op = &files[f].suite->ops[o];
            for (int s = 0; s < op->n_sources; s++) paths[n++] = op->sources[s];
            for (int v = 0; v < op->n_variants; v++)
                for (int s = 0; s < op->variants[v].n_steps; s++)
                    if (op->variants[v].steps[s].source) paths[n++] = op->variants[v].steps[s].source;
        }
    qsort(paths, n, sizeof *paths, compare_strings);
    meta_file *out = arena_alloc(a, (n + 1) * sizeof *out);
    int k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(paths[i], paths[i - 1])) out[k++] = (meta_file){paths[i], NULL};
    *n_out = k;
    return out;
}

static int compare_keys(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int cmd_bench(int argc, char **argv) {
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(bench_help, stdout); return 0; }
    /* Under a file-size limit (ulimit -f) a write beyond it would kill the driver with SIGXFSZ;
     * ignored, the write fails with EFBIG and is reported like a full disk. Tools get the
     * default disposition back (runner.c resets every signal before exec). */
    signal(SIGXFSZ, SIG_IGN);
    arena a;
    arena_init(&a);
    bench_options o = {.grace_s = 2.0, .shard = {0, 1}};
    int rc = parse_options(&a, argc, argv, &o);
    const char **stored_args = NULL;
    int n_stored_args = 0;
    meta_record previous = {0};
    bool have_previous = false;
    char err[1200];
    if (rc) goto out;

    /* --resume DIR without manifests: the manifests and job-defining options of the stored run */
    if (o.resume && o.out_dir) {
        char meta_path[PATH_MAX];
        snprintf(meta_path, sizeof meta_path, "%s/meta.yaml", o.out_dir);
        have_previous = access(meta_path, F_OK) == 0 && meta_read(meta_path, &previous, err, sizeof err);
        if (access(meta_path, F_OK) == 0 && !have_previous) {
            fprintf(stderr, "vlift bench: %s\n", err);
            rc = 2;
            goto out;
        }
    }
    if (o.resume && o.n_manifests == 0) {
        if (!o.out_dir) { rc = usage("--resume needs the results directory (--resume DIR or -o DIR)%s", ""); goto out; }
        if (!have_previous) {
            fprintf(stderr, "vlift bench: nothing to resume in %s (no meta.yaml); give the manifests again\n", o.out_dir);
            rc = 2;
            goto out;
        }
        bench_options stored = {.grace_s = o.grace_s, .shard = {0, 1}};
        rc = parse_options(&a, previous.n_args, previous.args, &stored);
        if (rc) goto out;
        o.manifests = stored.manifests;
        o.n_manifests = stored.n_manifests;
        o.tools = stored.tools;
        o.ops = stored.ops;
        o.cli = stored.cli;
        o.shard = stored.shard;
        if (!o.run_id) o.run_id = stored.run_id;
        if (!o.workers) o.workers = stored.workers;
        stored_args = (const char **)previous.args;
        n_stored_args = previous.n_args;
    }
    if (o.n_manifests == 0) { rc = usage("expected at least one SUITE.yaml%s", ""); goto out; }
    if (!o.workers) o.workers = pool_default_workers();

    /* manifests and the job list */
    bench_suite_file *files = arena_alloc(&a, (size_t)o.n_manifests * sizeof *files);
    meta_file *manifest_files = arena_alloc(&a, (size_t)o.n_manifests * sizeof *manifest_files);
    for (int i = 0; i < o.n_manifests; i++) {
        diag d = {0};
        files[i].path = o.manifests[i];
        files[i].suite = manifest_load_harness(&a, o.manifests[i], &files[i].harness, &d);
        if (!files[i].suite) {
            char msg[700];
            diag_format(&d, msg, sizeof msg);
            fprintf(stderr, "%s\n", msg);
            rc = 2;
            goto out;
        }
        manifest_files[i] = (meta_file){o.manifests[i], files[i].suite->name};
    }
    job_filter filter = {0};
    if (o.ops) filter.ops = jobs_split_list(&a, o.ops, &filter.n_ops);
    if (o.tools) filter.tools = jobs_split_list(&a, o.tools, &filter.n_tools);
    job_list jobs;
    if (!jobs_build(&a, files, o.n_manifests, &filter, &o.cli, &jobs, err, sizeof err)) {
        fprintf(stderr, "vlift bench: %s\n", err);
        rc = 2;
        goto out;
    }
    size_t *todo = arena_alloc(&a, (jobs.n + 1) * sizeof *todo);
    size_t n_todo = 0, in_shard = 0;
    for (size_t i = 0; i < jobs.n; i++)
        if (shard_contains(o.shard, i)) todo[n_todo++] = i;
    in_shard = n_todo;
    if (o.dry_run) {
        for (size_t t = 0; t < n_todo; t++) printf("%zu %s\n", todo[t], jobs.items[todo[t]].name);
        goto out;
    }

    /* the results directory */
    char dir[PATH_MAX];
    if (o.out_dir) {
        snprintf(dir, sizeof dir, "%s", o.out_dir);
    } else {
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
        snprintf(dir, sizeof dir, "results/%s", stamp);
        for (int k = 2; access(dir, F_OK) == 0 && k < 100; k++) snprintf(dir, sizeof dir, "results/%s-%d", stamp, k);
    }
    char logs[PATH_MAX + 8], work[PATH_MAX + 8], csv_path[PATH_MAX + 16], meta_path[PATH_MAX + 16];
    snprintf(logs, sizeof logs, "%s/logs", dir);
    snprintf(work, sizeof work, "%s/work", dir);
    snprintf(csv_path, sizeof csv_path, "%s/results.csv", dir);
    snprintf(meta_path, sizeof meta_path, "%s/meta.yaml", dir);
    if (!make_dirs(dir) || !make_dirs(logs) || !make_dirs(work)) {
        fprintf(stderr, "vlift bench: cannot create %s: %s\n", dir, strerror(errno));
        rc = 2;
        goto out;
    }
    char warning[600];
    bench_lock lock;
    if (!lock_acquire(&lock, dir, err, sizeof err, warning, sizeof warning)) {
        fprintf(stderr, "vlift bench: %s\n", err);
        rc = 2;
        goto out;
    }
    if (*warning) fprintf(stderr, "vlift bench: warning: %s\n", warning);

    /* what is already done */
    results_set done = {0};
    struct stat st;
    bool csv_exists = stat(csv_path, &st) == 0 && st.st_size > 0;
    if (csv_exists && !o.resume) {
        fprintf(stderr, "vlift bench: %s already holds results; use --resume to complete that run, or another -o DIR\n", dir);
        lock_release(&lock);
        rc = 2;
        goto out;
    }
    if (csv_exists) {
        bool dropped = false;
        if (!results_read(csv_path, true, &done, &dropped, err, sizeof err)) {
            fprintf(stderr, "vlift bench: %s\n", err);
            lock_release(&lock);
            rc = 2;
            goto out;
        }
        if (dropped) fprintf(stderr, "vlift bench: dropped a torn last row of %s (its job runs again)\n", csv_path);
    }
    char **done_keys = xcalloc((size_t)done.n + 1, sizeof *done_keys);
    for (int i = 0; i < done.n; i++) {
        char key[1200];
        result_row_key(&done.rows[i], key, sizeof key);
        done_keys[i] = xstrdup(key);
    }
    qsort(done_keys, (size_t)done.n, sizeof *done_keys, compare_keys);
    size_t kept = 0, skipped = 0;
    for (size_t t = 0; t < n_todo; t++) {
        const job *j = &jobs.items[todo[t]];
        char key[1200], *k = key;
        result_job_key(j->suite, j->op->name, j->tool->name, j->tool->config, j->rep, key, sizeof key);
        if (done.n && bsearch(&k, done_keys, (size_t)done.n, sizeof *done_keys, compare_keys)) skipped++;
        else todo[kept++] = todo[t];
    }
    n_todo = kept;

    /* the run id: the stored one when resuming, else --run-id, else the directory's name */
    char dir_name[256];
    const char *run_id = o.run_id ? o.run_id : base_name(dir, dir_name, sizeof dir_name);
    if (have_previous && previous.run_id) run_id = previous.run_id;
    else if (done.n) run_id = done.rows[0].f[RC_RUN_ID];
    run_id = arena_strdup(&a, run_id);

    char vlift_path[PATH_MAX];
    ssize_t n_path = readlink("/proc/self/exe", vlift_path, sizeof vlift_path - 1);
    if (n_path <= 0) snprintf(vlift_path, sizeof vlift_path, "vlift");
    else vlift_path[n_path] = 0;
    meta_system sys;
    meta_collect_system(&sys, vlift_path);
    char now[32], cwd[PATH_MAX];
    meta_utc_now(now, sizeof now);
    if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, ".");
    const char **command = arena_alloc(&a, (size_t)(argc + 2) * sizeof *command);
    command[0] = "vlift";
    command[1] = "bench";
    for (int i = 0; i < argc; i++) command[i + 2] = argv[i];
    const char **resumed = arena_alloc(&a, (size_t)(previous.n_resumed + 2) * sizeof *resumed);
    int n_resumed = 0;
    for (int i = 0; i < previous.n_resumed; i++) resumed[n_resumed++] = previous.resumed[i];
    if (o.resume && (have_previous || done.n)) resumed[n_resumed++] = now;
    int n_kernels;
    meta_file *kernels = kernel_files(&a, files, o.n_manifests, &n_kernels);
    meta_info meta = {
        .run_id = run_id, .command = command, .n_command = argc + 2,
        .args = stored_args ? (const char *const *)stored_args : (const char *const *)argv,
        .n_args = stored_args ? n_stored_args : argc, .cwd = cwd,
        .start_time = have_previous && previous.start_time ? previous.start_time : now, .end_time = NULL,
        .state = "running", .resumed = resumed, .n_resumed = n_resumed, .command_line = o.cli,
        .workers = o.workers, .grace_s = o.grace_s, .shard = o.shard, .jobs_total = jobs.n,
        .jobs_in_shard = in_shard, .jobs_recorded = (size_t)done.n, .manifests = manifest_files,
        .n_manifests = o.n_manifests, .kernels = kernels, .n_kernels = n_kernels, .system = &sys,
    };
    bench_run run = {.jobs = jobs.items, .todo = todo, .run_id = run_id};
    run.runner = (runner_config){vlift_path, logs, work, o.grace_s, stop_requested};
    if (!meta_write(meta_path, &meta, err, sizeof err) || !results_writer_open(&run.writer, csv_path, err, sizeof err)) {
        fprintf(stderr, "vlift bench: %s\n", err);
        rmdir(work);
        rc = 2;
    } else {
        if (!o.quiet)
            fprintf(stderr, "vlift bench: run %s: %zu jobs%s%s, %zu already done, %d in parallel -> %s\n", run_id, n_todo,
                    o.shard.count > 1 ? " in shard " : "", o.shard.count > 1 ? arena_printf(&a, "%d/%d", o.shard.index, o.shard.count) : "",
                    skipped, o.workers, dir);
        progress_init(&run.progress, stderr, n_todo, o.quiet);
        interrupt_install();
        pool_run(o.workers, n_todo, run_one, &run, stop_run, tick);
        progress_finish(&run.progress);
        int sig = interrupt_signal();
        interrupt_uninstall();
        results_writer_close(&run.writer);

        results_set final = {0};
        bool dropped = false;
        if (results_read(csv_path, false, &final, &dropped, err, sizeof err)) meta.jobs_recorded = (size_t)final.n;
        results_free(&final);
        char end[32];
        meta_utc_now(end, sizeof end);
        meta.end_time = end;
        bool write_failed = atomic_load(&run.write_failed);
        meta.state = sig || write_failed ? "interrupted" : "complete";
        if (!meta_write(meta_path, &meta, err, sizeof err)) fprintf(stderr, "vlift bench: %s\n", err);
        rmdir(work);
        if (write_failed) {
            fprintf(stderr, "vlift bench: %s; stopped with %zu rows recorded (make room, then complete "
                    "the run with: vlift bench --resume %s)\n", run.write_error, meta.jobs_recorded, dir);
            rc = 2;
        }
        if (sig) {
            fprintf(stderr, "vlift bench: interrupted by signal %d; %zu rows in %s (complete it with: vlift bench --resume %s)\n",
                    sig, meta.jobs_recorded, csv_path, dir);
            rc = 128 + sig;
        } else if (!o.quiet && !write_failed) {
            fprintf(stderr, "vlift bench: %zu jobs done: verified %zu, lifted %zu, other %zu; results in %s\n",
                    run.progress.done, run.progress.verified, run.progress.lifted, run.progress.failed, csv_path);
        }
        progress_free(&run.progress);
    }
    lock_release(&lock);
    meta_system_free(&sys);
    for (int i = 0; i < done.n; i++) free(done_keys[i]);
    free(done_keys);
    results_free(&done);
out:
    meta_record_free(&previous);
    arena_free(&a);
    return rc;
}
