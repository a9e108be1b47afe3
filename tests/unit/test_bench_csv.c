/* Tests of RFC 4180 CSV writing and reading (src/bench/csv.c) and of results.csv handling
 * (src/bench/results.c): quoting, round trips, torn last rows, repair, header and row checks. */
#include "bench/csv.h"
#include "bench/results.h"
#include "test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

TEST(bench_csv_quoting) {
    strbuf s;
    strbuf_init(&s);
    const char *fields[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "", " padded", "cr\r"};
    csv_append_record(&s, fields, 7);
    CHECK_STR(strbuf_cstr(&s), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\" padded\",\"cr\r\"\n");
    strbuf_free(&s);
}

TEST(bench_csv_round_trip) {
    strbuf s;
    strbuf_init(&s);
    const char *row1[] = {"y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))", "\"", ",", "\n\n", "ünïcödé"};
    const char *row2[] = {"", "", "", "", ""};
    csv_append_record(&s, row1, 5);
    csv_append_record(&s, row2, 5);
    csv_table t;
    csv_parse(s.data, s.len, &t);
    REQUIRE(t.n == 2);
    CHECK(!t.torn_tail && t.complete_len == s.len);
    REQUIRE(t.records[0].n == 5 && t.records[1].n == 5);
    for (int i = 0; i < 5; i++) {
        CHECK_STR(t.records[0].fields[i], row1[i]);
        CHECK_STR(t.records[1].fields[i], "");
    }
    CHECK(t.records[0].line == 1 && t.records[1].line == 4);
    csv_table_free(&t);
    strbuf_free(&s);
}

TEST(bench_csv_torn_tail) {
    const char *no_newline = "a,b\nc,d";
    csv_table t;
    csv_parse(no_newline, strlen(no_newline), &t);
    CHECK(t.n == 1 && t.torn_tail && t.complete_len == 4);
    csv_table_free(&t);
    const char *open_quote = "a,b\n\"c\nd,e";
    csv_parse(open_quote, strlen(open_quote), &t);
    CHECK(t.n == 1 && t.torn_tail && t.complete_len == 4);
    csv_table_free(&t);
    const char *crlf = "a,b\r\nc,\"d\"\r\n";
    csv_parse(crlf, strlen(crlf), &t);
    REQUIRE(t.n == 2);
    CHECK(!t.torn_tail);
    CHECK_STR(t.records[1].fields[1], "d");
    csv_table_free(&t);
    csv_parse("", 0, &t);
    CHECK(t.n == 0 && !t.torn_tail);
    csv_table_free(&t);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (f) { fputs(text, f); fclose(f); }
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

#define HEADER "run_id,suite,op,category,tool,config,rep,status,stage,blocks,t_symexec,t_synth,t_verify,t_simplify," \
               "t_check,t_total,peak_rss_kb,candidates,smt_queries,size_lifted,size_simplified,matches_expected,formula,message\n"
#define ROW1 "r,s,softmax,normalization,vlift,full,1,VERIFIED,,symbolic,0.1,0.2,0.3,0.4,0.5,1.5,1000,1,2,3,4,yes,\"y = x, z\",\n"
#define ROW2 "r,s,cumsum,scan,vlift,full,2,TIMEOUT,synth,,,,,,,10.0,,,,,,,,\"limit, expired\"\n"

TEST(bench_results_read_and_repair) {
    char dir[] = "/tmp/vlift-unit-XXXXXX", path[128];
    REQUIRE(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/results.csv", dir);
    write_file(path, HEADER ROW1 ROW2 "r,s,torn,scan,vlift,full,1,VERI");
    results_set set;
    bool dropped = false;
    char err[512];
    REQUIRE(results_read(path, false, &set, &dropped, err, sizeof err));
    CHECK(set.n == 2 && dropped);
    CHECK_STR(set.rows[0].f[RC_FORMULA], "y = x, z");
    CHECK_STR(set.rows[1].f[RC_MESSAGE], "limit, expired");
    CHECK_STR(read_file(path), HEADER ROW1 ROW2 "r,s,torn,scan,vlift,full,1,VERI");   /* untouched */
    results_sort(&set);
    CHECK_STR(set.rows[0].f[RC_OP], "cumsum");
    char key[256];
    result_row_key(&set.rows[1], key, sizeof key);
    CHECK_STR(key, "s/softmax/vlift/full/1");
    results_free(&set);
    REQUIRE(results_read(path, true, &set, &dropped, err, sizeof err));
    CHECK(set.n == 2 && dropped);
    CHECK_STR(read_file(path), HEADER ROW1 ROW2);                                     /* repaired */
    results_free(&set);

    /* appending after a repair continues cleanly */
    results_writer w;
    REQUIRE(results_writer_open(&w, path, err, sizeof err));
    result_row row = result_row_copy(&(result_row){{0}});
    for (int c = 0; c < N_RESULT_COLUMNS; c++) { free(row.f[c]); row.f[c] = strdup(c == RC_STATUS ? "CRASH" : c == RC_REP ? "3" : "v"); }
    CHECK(results_writer_append(&w, &row, err, sizeof err));
    results_writer_close(&w);
    result_row_free(&row);
    REQUIRE(results_read(path, false, &set, &dropped, err, sizeof err));
    CHECK(set.n == 3 && !dropped);
    results_free(&set);
    unlink(path);
    rmdir(dir);
}

TEST(bench_results_errors) {
    char dir[] = "/tmp/vlift-unit-XXXXXX", path[128];
    REQUIRE(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/results.csv", dir);
    results_set set;
    char err[512];
    write_file(path, "a,b,c\n");
    CHECK(!results_read(path, false, &set, NULL, err, sizeof err) && strstr(err, ":1: not a results.csv header"));
    write_file(path, HEADER "r,s,op\n");
    CHECK(!results_read(path, false, &set, NULL, err, sizeof err) && strstr(err, ":2: row has 3 fields, expected 24"));
    write_file(path, HEADER ROW1 "r,s,x,c,t,c,1,MAYBE,,,,,,,,,,,,,,,,\n");
    CHECK(!results_read(path, false, &set, NULL, err, sizeof err) && strstr(err, ":3: unknown status 'MAYBE'"));
    write_file(path, HEADER "r,s,x,c,t,c,0,ERROR,,,,,,,,,,,,,,,,\n");
    CHECK(!results_read(path, false, &set, NULL, err, sizeof err) && strstr(err, "rep must be a positive integer"));
    write_file(path, "");
    CHECK(!results_read(path, false, &set, NULL, err, sizeof err) && strstr(err, "no header"));
    unlink(path);
    CHECK(!results_read(path, false, &set, NULL, err, sizeof err) && strstr(err, "cannot read"));
    rmdir(dir);
}

/* A row that does not fit (a full disk, here a file-size limit in a child process) is not left
 * half-written: the file keeps exactly its earlier rows, and the error says why. */
TEST(bench_results_append_all_or_nothing) {
    char dir[] = "/tmp/vlift-unit-XXXXXX", path[128];
    REQUIRE(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/results.csv", dir);
    write_file(path, HEADER ROW1);
    long before = (long)strlen(HEADER ROW1);
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {(rlim_t)before + 20, (rlim_t)before + 20};
        setrlimit(RLIMIT_FSIZE, &lim);
        results_writer w;
        char err[512];
        if (!results_writer_open(&w, path, err, sizeof err)) _exit(10);
        result_row row = result_row_copy(&(result_row){{0}});
        for (int c = 0; c < N_RESULT_COLUMNS; c++) { free(row.f[c]); row.f[c] = strdup(c == RC_STATUS ? "CRASH" : c == RC_REP ? "3" : "value"); }
        bool ok = results_writer_append(&w, &row, err, sizeof err);
        results_writer_close(&w);
        _exit(ok ? 11 : strstr(err, "cannot append to") && strstr(err, "File too large") ? 0 : 12);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_STR(read_file(path), HEADER ROW1);
    unlink(path);
    rmdir(dir);
}
