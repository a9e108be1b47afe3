/* fake_tool: a test double for the benchmark harness (vlift bench). It performs a list of
 * actions, given as arguments or read from a script file, so that one manifest can make every
 * operator behave differently:
 *
 *   fake_tool ACTION...
 *   fake_tool --script FILE [--op NAME] [ACTION...]   FILE's line "# fake NAME: ACTIONS" (or
 *                                                     "# fake: ACTIONS" for any NAME) comes first
 * Actions (TEXT may be one word or a "quoted string" in script files):
 *   result STATUS [FORMULA]  print a vlift --json result object with that status
 *   out TEXT / err TEXT      print a line on stdout / stderr
 *   sleep S                  sleep S seconds            cpu S      busy-loop S seconds
 *   stage NAME S             report `start NAME`, sleep S, report `end NAME S` (VLIFT_EVENT_FD)
 *   start NAME / end NAME    report only the start / the end of a stage
 *   crash SIG                raise a signal (SEGV, ABRT, BUS, FPE, KILL, or a number)
 *   alloc MB                 allocate and touch MB MiB; on failure print "out of memory", exit 1
 *   flood MB                 write MB MiB to stdout
 *   orphan S MARKER          fork a child that sleeps S seconds, then creates the file MARKER
 *   ignore-term              ignore SIGTERM from now on
 *   garbage                  print text that is neither JSON nor a status line
 *   touch FILE               append a line to FILE (to count runs)
 *   pidfile FILE             write this process's id to FILE (created atomically by rename), so
 *                            that a test can kill the tool from outside at a known point
 *   exit CODE                exit now with CODE
 * Without an exit action it exits 0. Built without sanitizers (it runs under RLIMIT_AS). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void sleep_s(double s) {
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0) {}
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void event(const char *line) {
    const char *fd_text = getenv("VLIFT_EVENT_FD");
    if (!fd_text) return;
    int fd = atoi(fd_text);
    ssize_t ignored = write(fd, line, strlen(line));
    (void)ignored;
}

static int parse_signal(const char *name) {
    static const struct { const char *name; int sig; } table[] = {
        {"SEGV", SIGSEGV}, {"ABRT", SIGABRT}, {"BUS", SIGBUS}, {"FPE", SIGFPE}, {"KILL", SIGKILL},
        {"ILL", SIGILL}, {"TERM", SIGTERM}, {"INT", SIGINT},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(name, table[i].name) || (!strncmp(name, "SIG", 3) && !strcmp(name + 3, table[i].name)))
            return table[i].sig;
    return atoi(name);
}

static void print_result(const char *status, const char *formula) {
    printf("{\"status\": \"%s\", \"stage\": \"\", \"blocks\": \"symbolic\", \"formula\": \"%s\", \"message\": \"\", "
           "\"t_symexec\": 0.01, \"t_synth\": 0.02, \"t_verify\": 0.03, \"t_simplify\": 0.004, \"t_check\": 0.005, "
           "\"candidates\": 12, \"smt_queries\": 30, \"size_lifted\": 40, \"size_simplified\": 12, "
           "\"matches_expected\": \"yes\"}\n",
           status, formula);
    fflush(stdout);
}

/* Splits a script line into words; "..." groups (with \" and \\ escapes). */
static int split(char *line, char **words, int max) {
    int n = 0;
    char *p = line;
    while (*p && n < max) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '\n') break;
        if (*p == '"') {
            char *w = ++p, *o = p;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1]) p++;
                *o++ = *p++;
            }
            if (*p) p++;
            *o = 0;
            words[n++] = w;
        } else {
            words[n++] = p;
            while (*p && *p != ' ' && *p != '\t' && *p != '\n') p++;
            if (*p) *p++ = 0;
        }
    }
    return n;
}

static int run(int argc, char **argv);

static int run_script(const char *file, const char *op, int argc, char **argv) {
    FILE *f = fopen(file, "r");
    if (!f) { fprintf(stderr, "fake_tool: cannot open %s\n", file); return 2; }
    static char line[4096];
    char *words[256];
    int n = -1;
    while (fgets(line, sizeof line, f)) {
        char prefix[300];
        snprintf(prefix, sizeof prefix, "# fake %s:", op ? op : "");
        char *rest = NULL;
        if (op && !strncmp(line, prefix, strlen(prefix))) rest = line + strlen(prefix);
        else if (!strncmp(line, "# fake:", 7)) rest = line + 7;
        if (!rest) continue;
        n = split(rest, words, 200);
        break;
    }
    fclose(f);
    if (n < 0) { fprintf(stderr, "fake_tool: no '# fake' line for %s in %s\n", op ? op : "(any)", file); return 2; }
    for (int i = 0; i < argc && n < 255; i++) words[n++] = argv[i];
    return run(n, words);
}

static int run(int argc, char **argv) {
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *arg = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "result")) {
            const char *formula = i + 2 < argc && strcmp(argv[i + 2], "exit") ? argv[i + 2] : "y[i] = x[i]";
            print_result(arg, formula);
            i += i + 2 < argc && strcmp(argv[i + 2], "exit") ? 2 : 1;
        } else if (!strcmp(a, "out")) { printf("%s\n", arg); fflush(stdout); i++; }
        else if (!strcmp(a, "err")) { fprintf(stderr, "%s\n", arg); i++; }
        else if (!strcmp(a, "sleep")) { sleep_s(atof(arg)); i++; }
        else if (!strcmp(a, "cpu")) {
            double end = now_s() + atof(arg);
            volatile unsigned long x = 0;
            while (now_s() < end) x++;
            i++;
        } else if (!strcmp(a, "stage")) {
            char line[128];
            double s = i + 2 < argc ? atof(argv[i + 2]) : 0;
            snprintf(line, sizeof line, "start %s\n", arg);
            event(line);
            sleep_s(s);
            snprintf(line, sizeof line, "end %s %.3f\n", arg, s);
            event(line);
            i += 2;
        } else if (!strcmp(a, "start") || !strcmp(a, "end")) {
            char line[128];
            snprintf(line, sizeof line, "%s %s\n", a, arg);
            event(line);
            i++;
        } else if (!strcmp(a, "crash")) {
            fflush(stdout);
            raise(parse_signal(arg));
            return 99;
        } else if (!strcmp(a, "alloc")) {
            long mb = atol(arg);
            for (long k = 0; k < mb; k++) {
                char *p = malloc(1 << 20);
                if (!p) { fprintf(stderr, "fake_tool: out of memory after %ld MiB\n", k); return 1; }
                memset(p, (int)k, 1 << 20);
            }
            i++;
        } else if (!strcmp(a, "flood")) {
            static char block[1 << 16];
            memset(block, 'x', sizeof block);
            for (long k = 0; k < atol(arg) * 16; k++) fwrite(block, 1, sizeof block, stdout);
            fflush(stdout);
            i++;
        } else if (!strcmp(a, "orphan")) {
            double s = atof(arg);
            const char *marker = i + 2 < argc ? argv[i + 2] : "/dev/null";
            fflush(stdout);
            fflush(stderr);
            if (fork() == 0) {
                sleep_s(s);
                FILE *f = fopen(marker, "a");
                if (f) { fputs("orphan survived\n", f); fclose(f); }
                _exit(0);
            }
            i += 2;
        } else if (!strcmp(a, "ignore-term")) {
            signal(SIGTERM, SIG_IGN);
        } else if (!strcmp(a, "garbage")) {
            printf("%%%% this is not a result {{{ ]]] \x01\x02 RESULT? maybe\n");
            fflush(stdout);
        } else if (!strcmp(a, "touch")) {
            FILE *f = fopen(arg, "a");
            if (f) { fputs("ran\n", f); fclose(f); }
            i++;
        } else if (!strcmp(a, "pidfile")) {
            char tmp[4096];
            snprintf(tmp, sizeof tmp, "%s.tmp", arg);
            FILE *f = fopen(tmp, "w");
            if (f) {
                fprintf(f, "%d\n", (int)getpid());
                fclose(f);
                rename(tmp, arg);
            }
            i++;
        } else if (!strcmp(a, "exit")) {
            fflush(stdout);
            return atoi(arg);
        } else {
            fprintf(stderr, "fake_tool: unknown action '%s'\n", a);
            return 2;
        }
    }
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && !strcmp(argv[1], "--script")) {
        const char *op = NULL;
        int first = 3;
        if (argc >= 5 && !strcmp(argv[3], "--op")) { op = argv[4]; first = 5; }
        return run_script(argv[2], op, argc - first, argv + first);
    }
    return run(argc - 1, argv + 1);
}
