/* runner: see runner.h. The parent side is one poll() loop per job over the child's stdout,
 * stderr and event pipes and a pidfd (the child's exit); deadlines shorten the poll timeout.
 * Everything the child needs (argv, envp, the resolved executable) is prepared before fork():
 * the driver is multi-threaded, so between fork and exec the child only makes async-signal-safe
 * calls. All descriptors are created close-on-exec so that concurrent jobs never inherit each
 * other's pipes. */
#include "bench/runner.h"
#include "bench/command.h"
#include "bench/json.h"
#include "util/arena.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/timing.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define EVENT_FD 3                 /* the child's end of the event pipe */
#define STDERR_TAIL 4096           /* bytes of stderr kept for the message */
#define POLL_SLICE_MS 100          /* how often a running job checks the stop flag */
#define DRAIN_LIMIT_S 1.0          /* after the tool ended, how long escaped writers may hold pipes */

/* The built-in tool is this very binary; in a sanitizer build it cannot start under RLIMIT_AS
 * (AddressSanitizer reserves terabytes of address space), so its memory limit is not applied. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED_BUILD 1
#else
#define SANITIZED_BUILD 0
#endif

/* ---- small helpers ---- */

static char *dup_or_empty(const char *s) { return xstrdup(s ? s : ""); }

static void set_text(char **field, const char *value) {
    free(*field);
    *field = dup_or_empty(value);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* The executable for argv[0]: as given when it contains a '/', else searched in $PATH. */
static char *resolve_executable(const char *name) {
    if (strchr(name, '/')) return access(name, F_OK) == 0 ? xstrdup(name) : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    strbuf candidate;
    strbuf_init(&candidate);
    for (const char *p = path; ; ) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        strbuf_clear(&candidate);
        if (n) strbuf_appendn(&candidate, p, n);
        else strbuf_append(&candidate, ".");
        strbuf_printf(&candidate, "/%s", name);
        struct stat st;
        if (stat(strbuf_cstr(&candidate), &st) == 0 && S_ISREG(st.st_mode) && access(strbuf_cstr(&candidate), X_OK) == 0)
            return strbuf_take(&candidate);
        if (!colon) break;
        p = colon + 1;
    }
    strbuf_free(&candidate);
    return NULL;
}

static const char *first_kernel(const plan_op *op) {
    for (int v = 0; v < op->n_variants; v++)
        for (int s = 0; s < op->variants[v].n_steps; s++)
            if (op->variants[v].steps[s].kind == STEP_LAUNCH) return op->variants[v].steps[s].kernel;
    return "";
}

/* argv of the job's command (heap, NULL-terminated). */
static char **build_argv(const runner_config *cfg, const job *j, const char *workdir) {
    if (j->tool->kind == TOOL_BUILTIN) {
        char **argv = xcalloc(8 + 2 * N_STAGES, sizeof *argv);
        int n = 0;
        argv[n++] = xstrdup(cfg->vlift_path);
        argv[n++] = xstrdup("lift");
        argv[n++] = xstrdup(j->manifest);
        argv[n++] = xstrdup(j->op->name);
        argv[n++] = xstrdup("--config");
        argv[n++] = xstrdup(j->tool->config);
        argv[n++] = xstrdup("--json");
        for (int s = 0; s < N_STAGES; s++) {
            if (j->limits.stage_s[s] <= 0) continue;
            char opt[32], value[32];
            snprintf(opt, sizeof opt, "--timeout-%s", stage_name((bench_stage)s));
            snprintf(value, sizeof value, "%g", j->limits.stage_s[s]);
            argv[n++] = xstrdup(opt);
            argv[n++] = xstrdup(value);
        }
        return argv;
    }
    char wall[32], memory[32], rep[16];
    snprintf(wall, sizeof wall, "%g", j->limits.wall_s);
    snprintf(memory, sizeof memory, "%lld", (long long)j->limits.memory_mb);
    snprintf(rep, sizeof rep, "%d", j->rep);
    const command_value values[] = {
        {"kernel_file", j->op->n_sources ? j->op->sources[0] : ""},
        {"kernel", first_kernel(j->op)},
        {"op", j->op->name},
        {"suite", j->suite},
        {"variant", j->op->n_variants ? j->op->variants[0].name : ""},
        {"manifest", j->manifest},
        {"config", j->tool->config},
        {"rep", rep},
        {"wall", wall},
        {"memory_mb", memory},
        {"workdir", workdir},
    };
    return command_expand(j->tool->command, j->tool->n_command, values, (int)(sizeof values / sizeof values[0]));
}

/* The environment with VLIFT_EVENT_FD set (heap array of heap strings). */
static char **build_envp(void) {
    size_t n = 0;
    while (environ[n]) n++;
    char **envp = xcalloc(n + 2, sizeof *envp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "VLIFT_EVENT_FD=", 15)) envp[k++] = xstrdup(environ[i]);
    char var[32];
    snprintf(var, sizeof var, "VLIFT_EVENT_FD=%d", EVENT_FD);
    envp[k++] = xstrdup(var);
    return envp;
}

static void free_strings(char **v) {
    if (!v) return;
    for (char **p = v; *p; p++) free(*p);
    free(v);
}

static void shell_quote(strbuf *out, const char *word) {
    if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%") == strlen(word)) {
        strbuf_append(out, word);
        return;
    }
    strbuf_putc(out, '\'');
    for (const char *p = word; *p; p++) {
        if (*p == '\'') strbuf_append(out, "'\\''");
        else strbuf_putc(out, *p);
    }
    strbuf_putc(out, '\'');
}

static const char *signal_label(int sig, char *buf, size_t size) {
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev) snprintf(buf, size, "%d (SIG%s)", sig, abbrev);
    else snprintf(buf, size, "%d", sig);
    return buf;
}

/* ---- the child ---- */

/* Moves fd to a number >= 10, close-on-exec, so that the dup2 calls onto 0..3 cannot clobber it. */
static int lift_fd(int fd) {
    if (fd >= 10) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    return moved < 0 ? fd : moved;
}

static void put_fd(int from, int to) {
    if (from == to) fcntl(to, F_SETFD, 0);
    else dup2(from, to);
}

/* Only async-signal-safe calls from here to execve. */
static void child_exec(const char *exe, char **argv, char **envp, int out_fd, int err_fd, int event_fd, int status_fd,
                       pid_t driver, const job *j, bool limit_memory) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != driver) _exit(127);   /* the driver died before prctl took effect */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, NULL);   /* fails harmlessly for KILL/STOP */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    if (limit_memory) {
        rlim_t bytes = (rlim_t)j->limits.memory_mb * 1024 * 1024;
        struct rlimit as = {bytes, bytes};
        setrlimit(RLIMIT_AS, &as);
    }
    out_fd = lift_fd(out_fd);
    err_fd = lift_fd(err_fd);
    event_fd = lift_fd(event_fd);
    status_fd = lift_fd(status_fd);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) put_fd(lift_fd(null_fd), 0);
    put_fd(out_fd, 1);
    put_fd(err_fd, 2);
    put_fd(event_fd, EVENT_FD);
    execve(exe, argv, envp);
    int e = errno;
    ssize_t ignored = write(status_fd, &e, sizeof e);
    (void)ignored;
    _exit(127);
}

/* ---- the parent's view of a running job ---- */

typedef struct job_io {
    int log_fd;
    size_t log_bytes;
    bool log_truncated;
    strbuf out;                   /* first RUNNER_STDOUT_CAP bytes of stdout */
    bool out_truncated;
    char err_tail[STDERR_TAIL];   /* last bytes of stderr */
    size_t err_len;
    strbuf event_line;            /* partial event line */
    int current_stage;            /* -1: none */
    double stage_started;
    double t_event[N_STAGES];     /* per stage: the entries' times (the tool's SECONDS) */
    double t_spent[N_STAGES];     /* per stage: the entries' times as the harness saw them, which
                                     the limit counts (a tool cannot report its way past it) */
    bool has_event[N_STAGES];
} job_io;

static void log_write(job_io *io, const char *data, size_t len) {
    if (io->log_fd < 0 || io->log_truncated) return;
    if (io->log_bytes + len > RUNNER_LOG_CAP) {
        size_t room = RUNNER_LOG_CAP - io->log_bytes;
        fd_write_all(io->log_fd, data, room);
        static const char note[] = "\n# [log truncated: the tool's output beyond 8 MiB was discarded]\n";
        fd_write_all(io->log_fd, note, sizeof note - 1);
        io->log_truncated = true;
        io->log_bytes = RUNNER_LOG_CAP;
        return;
    }
    fd_write_all(io->log_fd, data, len);
    io->log_bytes += len;
}

static void on_stdout(job_io *io, const char *data, size_t len) {
    log_write(io, data, len);
    if (io->out.len < RUNNER_STDOUT_CAP) {
        size_t room = RUNNER_STDOUT_CAP - io->out.len;
        strbuf_appendn(&io->out, data, len < room ? len : room);
        if (len > room) io->out_truncated = true;
    } else {
        io->out_truncated = true;
    }
}

static void on_stderr(job_io *io, const char *data, size_t len) {
    log_write(io, data, len);
    if (len >= STDERR_TAIL) {
        memcpy(io->err_tail, data + len - STDERR_TAIL, STDERR_TAIL);
        io->err_len = STDERR_TAIL;
        return;
    }
    if (io->err_len + len > STDERR_TAIL) {
        size_t drop = io->err_len + len - STDERR_TAIL;
        memmove(io->err_tail, io->err_tail + drop, io->err_len - drop);
        io->err_len -= drop;
    }
    memcpy(io->err_tail + io->err_len, data, len);
    io->err_len += len;
}

static void close_stage(job_io *io, double now, double reported) {
    if (io->current_stage < 0) return;
    double t = reported >= 0 ? reported : now - io->stage_started;
    io->t_event[io->current_stage] += t;
    io->t_spent[io->current_stage] += now - io->stage_started;
    io->has_event[io->current_stage] = true;
    io->current_stage = -1;
}

static void on_event_line(job_io *io, const char *line, double now) {
    char word[16], name[32];
    double seconds = -1;
    int n = sscanf(line, "%15s %31s %lf", word, name, &seconds);
    bench_stage st;
    if (n < 2 || !stage_parse(name, &st)) return;   /* unknown events are ignored */
    if (!strcmp(word, "start")) {
        close_stage(io, now, -1);
        io->current_stage = (int)st;
        io->stage_started = now;
    } else if (!strcmp(word, "end") && io->current_stage == (int)st) {
        close_stage(io, now, n == 3 && seconds >= 0 && isfinite(seconds) ? seconds : -1);
    }
}

static void on_events(job_io *io, const char *data, size_t len, double now) {
    for (size_t i = 0; i < len; i++) {
        if (data[i] != '\n') {
            if (io->event_line.len < 256) strbuf_putc(&io->event_line, data[i]);
            continue;
        }
        on_event_line(io, strbuf_cstr(&io->event_line), now);
        strbuf_clear(&io->event_line);
    }
}

/* Reads what is available on fd; returns false at EOF or error (the fd is then closed). */
static bool pump(int *fd, job_io *io, int which) {
    char buf[65536];
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) {
        close(*fd);
        *fd = -1;
        return false;
    }
    if (which == 0) on_stdout(io, buf, (size_t)n);
    else if (which == 1) on_stderr(io, buf, (size_t)n);
    else on_events(io, buf, (size_t)n, time_now());
    return true;
}

/* The last non-empty line of stderr ("" when none). */
static void last_stderr_line(const job_io *io, char *out, size_t size) {
    size_t end = io->err_len;
    while (end > 0 && (io->err_tail[end - 1] == '\n' || io->err_tail[end - 1] == '\r' || io->err_tail[end - 1] == ' ')) end--;
    size_t start = end;
    while (start > 0 && io->err_tail[start - 1] != '\n') start--;
    size_t n = end - start < size - 1 ? end - start : size - 1;
    memcpy(out, io->err_tail + start, n);
    out[n] = 0;
}

static bool mentions_oom(const char *text, size_t len) {
    static const char *const patterns[] = {"out of memory", "cannot allocate memory", "bad_alloc", "memoryerror", NULL};
    for (int p = 0; patterns[p]; p++) {
        size_t m = strlen(patterns[p]);
        for (size_t i = 0; i + m <= len; i++)
            if (!strncasecmp(text + i, patterns[p], m)) return true;
    }
    return false;
}

/* ---- output rules ---- */

static void take_json_fields(const json_object *o, job_result *r) {
    static const struct { const char *key; size_t offset; } texts[] = {
        {"stage", offsetof(job_result, stage)},
        {"blocks", offsetof(job_result, blocks)},
        {"formula", offsetof(job_result, formula)},
        {"message", offsetof(job_result, message)},
        {"matches_expected", offsetof(job_result, matches_expected)},
        {"candidates", offsetof(job_result, candidates)},
        {"smt_queries", offsetof(job_result, smt_queries)},
        {"size_lifted", offsetof(job_result, size_lifted)},
        {"size_simplified", offsetof(job_result, size_simplified)},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *value = json_get_text(o, texts[i].key);
        if (!value) continue;
        char **field = (char **)((char *)r + texts[i].offset);
        free(*field);
        *field = value;
    }
    for (int s = 0; s < N_STAGES; s++) {
        char key[32];
        snprintf(key, sizeof key, "t_%s", stage_name((bench_stage)s));
        double t;
        if (json_get_number(o, key, &t) && t >= 0) {
            r->t_stage[s] = t;
            r->has_t_stage[s] = true;
        }
    }
}

/* The JSON object: the whole output, or else from the last line that starts with '{'. */
static bool parse_json_output(const char *text, size_t len, job_result *r, char *why, size_t why_size) {
    json_object o;
    char err[160];
    bool ok = json_parse_object(text, len, &o, err, sizeof err);
    if (!ok) {
        const char *last = NULL;
        for (size_t i = 0; i < len; i++)
            if (text[i] == '{' && (i == 0 || text[i - 1] == '\n')) last = text + i;
        if (last) ok = json_parse_object(last, len - (size_t)(last - text), &o, err, sizeof err);
    }
    if (!ok) {
        snprintf(why, why_size, "no JSON result object in the tool's output (%s)", len ? err : "the output is empty");
        return false;
    }
    const json_member *status = json_get(&o, "status");
    job_status st;
    if (!status || status->kind != JSON_STRING || !status_parse_nocase(status->str, &st)) {
        snprintf(why, why_size, "the tool's JSON result has %s", status ? "an unknown status" : "no 'status'");
        json_object_free(&o);
        return false;
    }
    r->status = st;
    take_json_fields(&o, r);
    json_object_free(&o);
    return true;
}

/* The first match of pattern in text: group 1 if the pattern has groups, else the whole match. */
static bool regex_capture(const char *pattern, const char *text, char **out) {
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE)) return false;
    regmatch_t m[2];
    bool found = regexec(&re, text, 2, m, 0) == 0;
    if (found) {
        int g = re.re_nsub >= 1 && m[1].rm_so >= 0 ? 1 : 0;
        size_t n = (size_t)(m[g].rm_eo - m[g].rm_so);
        char *value = xcalloc(n + 1, 1);
        memcpy(value, text + m[g].rm_so, n);
        free(*out);
        *out = value;
    }
    regfree(&re);
    return found;
}

bool runner_parse_output(const tool_output *rule, const char *text, size_t len, job_result *r, char *why,
                         size_t why_size) {
    if (rule->json) return parse_json_output(text, len, r, why, why_size);
    char *status_text = xstrdup("");
    if (!regex_capture(rule->status_regex, text, &status_text)) {
        snprintf(why, why_size, "no line of the tool's output matches the status_regex");
        free(status_text);
        return false;
    }
    bool known = false;
    for (int i = 0; i < rule->n_status_map && !known; i++)
        if (!strcmp(rule->status_map[i].text, status_text)) {
            r->status = rule->status_map[i].status;
            known = true;
        }
    if (!known) known = status_parse_nocase(status_text, &r->status);
    if (!known) {
        snprintf(why, why_size, "the tool reported '%.80s', which status_map does not name", status_text);
        free(status_text);
        return false;
    }
    free(status_text);
    if (rule->formula_regex) regex_capture(rule->formula_regex, text, &r->formula);
    if (rule->message_regex) regex_capture(rule->message_regex, text, &r->message);
    return true;
}

/* ---- one job ---- */

static void init_result(job_result *r) {
    memset(r, 0, sizeof *r);
    r->status = ST_ERROR;
    char **texts[] = {&r->stage, &r->blocks, &r->formula, &r->message, &r->matches_expected,
                      &r->candidates, &r->smt_queries, &r->size_lifted, &r->size_simplified};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) *texts[i] = xstrdup("");
}

void job_result_free(job_result *r) {
    char *texts[] = {r->stage, r->blocks, r->formula, r->message, r->matches_expected,
                     r->candidates, r->smt_queries, r->size_lifted, r->size_simplified};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) free(texts[i]);
    memset(r, 0, sizeof *r);
}

static void log_header(int fd, const job *j, char **argv) {
    strbuf h;
    strbuf_init(&h);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    strbuf_printf(&h, "# vlift bench job: suite %s, operator %s, tool %s/%s, rep %d\n# started %s\n# command:", j->suite,
                  j->op->name, j->tool->name, j->tool->config, j->rep, when);
    for (char **p = argv; *p; p++) {
        strbuf_putc(&h, ' ');
        shell_quote(&h, *p);
    }
    strbuf_printf(&h, "\n# limits: wall %g s, memory %lld MiB", j->limits.wall_s, (long long)j->limits.memory_mb);
    for (int s = 0; s < N_STAGES; s++)
        if (j->limits.stage_s[s] > 0) strbuf_printf(&h, ", %s %g s", stage_name((bench_stage)s), j->limits.stage_s[s]);
    strbuf_append(&h, "\n# --- output (stdout and stderr as they came) ---\n");
    fd_write_all(fd, h.data, h.len);
    strbuf_free(&h);
}

static int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

/* Has the child exited? Checked without reaping it, so that its pid — the process group id —
 * stays reserved until the group has been killed. */
static bool child_exited(pid_t pid) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

void runner_run(const runner_config *cfg, const job *j, job_result *r) {
    init_result(r);
    char workdir[4096], log_path[4096];
    snprintf(workdir, sizeof workdir, "%s/%s", cfg->work_dir, j->name);
    snprintf(log_path, sizeof log_path, "%s/%s.log", cfg->log_dir, j->name);
    remove_tree(workdir);
    mkdir(workdir, 0755);

    char **argv = build_argv(cfg, j, workdir);
    char **envp = build_envp();
    job_io io = {.log_fd = -1, .current_stage = -1};
    strbuf_init(&io.out);
    strbuf_init(&io.event_line);
    io.log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (io.log_fd >= 0) log_header(io.log_fd, j, argv);

    strbuf footer;
    strbuf_init(&footer);
    char *exe = resolve_executable(argv[0]);
    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, ev_pipe[2] = {-1, -1}, st_pipe[2] = {-1, -1};
    double started = time_now();
    if (!exe) {
        r->status = ST_NOT_RUN;
        char msg[600];
        snprintf(msg, sizeof msg, "command '%.500s' not found%s", argv[0], strchr(argv[0], '/') ? "" : " in $PATH");
        set_text(&r->message, msg);
        strbuf_printf(&footer, "# --- not run: %s\n", msg);
        goto done;
    }
    if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC) || pipe2(ev_pipe, O_CLOEXEC) ||
        pipe2(st_pipe, O_CLOEXEC)) {
        char msg[200];
        snprintf(msg, sizeof msg, "cannot create pipes: %s", strerror(errno));
        set_text(&r->message, msg);
        goto done;
    }
    bool limit_memory = !(j->tool->kind == TOOL_BUILTIN && SANITIZED_BUILD);
    pid_t driver = getpid();
    pid_t pid = fork();
    if (pid == 0)
        child_exec(exe, argv, envp, out_pipe[1], err_pipe[1], ev_pipe[1], st_pipe[1], driver, j, limit_memory);
    close(out_pipe[1]); close(err_pipe[1]); close(ev_pipe[1]); close(st_pipe[1]);
    out_pipe[1] = err_pipe[1] = ev_pipe[1] = st_pipe[1] = -1;
    if (pid < 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "cannot fork: %s", strerror(errno));
        set_text(&r->message, msg);
        goto done;
    }
    setpgid(pid, pid);   /* also in the child: whichever runs first */

    int exec_errno = 0;
    ssize_t got;
    do got = read(st_pipe[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    bool exec_failed = got == (ssize_t)sizeof exec_errno;

    int pidfd = exec_failed ? -1 : open_pidfd(pid);
    int fds[3] = {out_pipe[0], err_pipe[0], ev_pipe[0]};
    out_pipe[0] = err_pipe[0] = ev_pipe[0] = -1;
    bool killing = false, interrupted = false, killed_hard = false;
    const char *timeout_stage = NULL;
    double term_sent = 0, limit_hit = 0;
    while (!exec_failed) {
        double now = time_now();
        if (!killing && cfg->stop_requested && cfg->stop_requested()) {
            interrupted = killing = killed_hard = true;
            kill(-pid, SIGKILL);
        }
        double wall_deadline = started + j->limits.wall_s;
        double stage_deadline = INFINITY;
        /* a stage's limit bounds its total over every entry (a tool enters a stage once per
         * variant, and again after a counterexample): earlier entries use up part of it */
        if (io.current_stage >= 0 && j->limits.stage_s[io.current_stage] > 0)
            stage_deadline = io.stage_started + j->limits.stage_s[io.current_stage] - io.t_spent[io.current_stage];
        if (!killing && (now >= stage_deadline || now >= wall_deadline)) {
            timeout_stage = stage_deadline <= wall_deadline ? stage_name((bench_stage)io.current_stage) : "wall";
            limit_hit = stage_deadline <= wall_deadline ? j->limits.stage_s[io.current_stage] : j->limits.wall_s;
            killing = true;
            term_sent = now;
            kill(-pid, SIGTERM);
        }
        if (killing && !killed_hard && now >= term_sent + cfg->grace_s) {
            killed_hard = true;
            kill(-pid, SIGKILL);
        }
        double next = killing ? (killed_hard ? now + 0.05 : term_sent + cfg->grace_s) : fmin(stage_deadline, wall_deadline);
        double wait_s = fmax(0, fmin(next - now, POLL_SLICE_MS / 1000.0));
        if (pidfd < 0) wait_s = fmin(wait_s, 0.005);   /* no pidfd: poll the child's state */
        struct pollfd p[4];
        int np = 0, which[4];
        for (int k = 0; k < 3; k++)
            if (fds[k] >= 0) { p[np] = (struct pollfd){fds[k], POLLIN, 0}; which[np++] = k; }
        if (pidfd >= 0) { p[np] = (struct pollfd){pidfd, POLLIN, 0}; which[np++] = 3; }
        int ready = poll(p, (nfds_t)np, (int)ceil(wait_s * 1000));
        bool exited = false;
        if (ready > 0)
            for (int k = 0; k < np; k++) {
                if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                if (which[k] == 3) exited = true;
                else pump(&fds[which[k]], &io, which[k]);
            }
        if (pidfd < 0 || (ready == 0 && np == 0)) exited = child_exited(pid);
        if (exited && child_exited(pid)) break;
    }
    double ended = time_now();
    int active_stage = io.current_stage;   /* the stage the tool was in when it ended */
    close_stage(&io, ended, -1);
    /* Whatever is left of the process group dies with the job; then the pipes drain. */
    kill(-pid, SIGKILL);
    for (double drain_end = time_now() + DRAIN_LIMIT_S;;) {
        struct pollfd p[3];
        int np = 0, which[3];
        for (int k = 0; k < 3; k++)
            if (fds[k] >= 0) { p[np] = (struct pollfd){fds[k], POLLIN, 0}; which[np++] = k; }
        double left = drain_end - time_now();
        if (np == 0 || left <= 0) break;
        if (poll(p, (nfds_t)np, (int)ceil(left * 1000)) <= 0) break;
        for (int k = 0; k < np; k++)
            if (p[k].revents) pump(&fds[which[k]], &io, which[k]);
    }
    for (int k = 0; k < 3; k++)
        if (fds[k] >= 0) close(fds[k]);
    if (pidfd >= 0) close(pidfd);

    int wstatus = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &wstatus, 0, &ru) < 0 && errno == EINTR) {}
    r->t_total = ended - started;
    r->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
               ru.ru_stime.tv_usec * 1e-6;
    r->peak_rss_kb = ru.ru_maxrss;
    for (int s = 0; s < N_STAGES; s++) {
        r->t_stage[s] = io.t_event[s];
        r->has_t_stage[s] = io.has_event[s];
    }
    char sig[48], msg[700], why[300] = "", last_err[400];
    last_stderr_line(&io, last_err, sizeof last_err);
    bool signaled = WIFSIGNALED(wstatus);
    int code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    strbuf_printf(&footer, "# --- end: ");
    if (exec_failed) strbuf_printf(&footer, "could not execute %s: %s\n", exe, strerror(exec_errno));
    else if (signaled)
        strbuf_printf(&footer, "killed by signal %s%s\n", signal_label(WTERMSIG(wstatus), sig, sizeof sig),
                      killing ? " (sent by the harness)" : "");
    else strbuf_printf(&footer, "exit status %d\n", code);
    strbuf_printf(&footer, "# wall %.3f s, cpu %.3f s (user %.3f, sys %.3f), peak rss %ld kB\n", r->t_total, r->cpu_s,
                  (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6,
                  (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6, r->peak_rss_kb);
    if (io.out_truncated) strbuf_printf(&footer, "# stdout beyond %u bytes was not parsed\n", RUNNER_STDOUT_CAP);

    double limit_mb = (double)j->limits.memory_mb;
    bool near_memory_limit = limit_memory && r->peak_rss_kb >= 0.9 * limit_mb * 1024;
    if (exec_failed) {
        r->status = ST_NOT_RUN;
        snprintf(msg, sizeof msg, "cannot execute '%.500s': %s", exe, strerror(exec_errno));
        set_text(&r->message, msg);
    } else if (interrupted) {
        r->interrupted = true;
        set_text(&r->message, "interrupted");
    } else if (timeout_stage) {
        r->status = ST_TIMEOUT;
        set_text(&r->stage, timeout_stage);
        if (strcmp(timeout_stage, "wall"))
            snprintf(msg, sizeof msg, "stage %s exceeded its limit of %g s", timeout_stage, limit_hit);
        else
            snprintf(msg, sizeof msg, "wall-time limit of %g s exceeded", limit_hit);
        set_text(&r->message, msg);
    } else if (!signaled && runner_parse_output(&j->tool->output, strbuf_cstr(&io.out), io.out.len, r, why, sizeof why)) {
        /* the tool's own status */
    } else {
        bool oom_message = mentions_oom(io.err_tail, io.err_len) || mentions_oom(strbuf_cstr(&io.out), io.out.len);
        bool builtin_oom = j->tool->kind == TOOL_BUILTIN && code == 3;
        if ((signaled || code != 0) && (near_memory_limit || oom_message || builtin_oom)) {
            r->status = ST_OUT_OF_MEMORY;
            if (near_memory_limit)
                snprintf(msg, sizeof msg, "peak RSS %ld kB reached the memory limit of %lld MiB%s%.300s", r->peak_rss_kb,
                         (long long)j->limits.memory_mb, *last_err ? ": " : "", last_err);
            else snprintf(msg, sizeof msg, "%.600s", *last_err ? last_err : "out of memory");
        } else if (signaled) {
            r->status = ST_CRASH;
            snprintf(msg, sizeof msg, "killed by signal %s%s%.400s", signal_label(WTERMSIG(wstatus), sig, sizeof sig),
                     *last_err ? ": " : "", last_err);
        } else {
            r->status = ST_ERROR;
            if (code == 0) snprintf(msg, sizeof msg, "%.400s", why);
            else if (*last_err) snprintf(msg, sizeof msg, "%.600s", last_err);
            else snprintf(msg, sizeof msg, "exit status %d without a result", code);
        }
        set_text(&r->message, msg);
        if (!*r->stage && active_stage >= 0) set_text(&r->stage, stage_name((bench_stage)active_stage));
    }
    strbuf_printf(&footer, "# status: %s%s%s%s%s\n", r->interrupted ? "(interrupted: not recorded)" : status_name(r->status),
                  *r->stage ? " in stage " : "", r->stage, *r->message ? " — " : "", r->message);

done:
    if (io.log_fd >= 0) {
        fd_write_all(io.log_fd, "\n", io.log_bytes && !io.log_truncated ? 1 : 0);
        fd_write_all(io.log_fd, footer.data ? footer.data : "", footer.len);
        close(io.log_fd);
    }
    if (r->t_total == 0) r->t_total = time_now() - started;
    int all[] = {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], ev_pipe[0], ev_pipe[1], st_pipe[0], st_pipe[1]};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (all[k] >= 0) close(all[k]);
    strbuf_free(&footer);
    strbuf_free(&io.out);
    strbuf_free(&io.event_line);
    free(exe);
    free_strings(argv);
    free_strings(envp);
    remove_tree(workdir);
}
