/* Tests of the results-directory lock (src/bench/lock.c): exclusion while held, removal on
 * release, takeover of a stale lock file, and honouring a lock file from another host. */
#include "bench/lock.h"
#include "test.h"
#include <stdlib.h>
#include <unistd.h>

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

TEST(bench_lock_excludes_a_second_holder) {
    char dir[] = "/tmp/vlift-lock-test.XXXXXX";
    REQUIRE(mkdtemp(dir));
    char err[600], warning[600], path[4200], pid_text[64];
    snprintf(path, sizeof path, "%s/.lock", dir);
    bench_lock first, second;
    REQUIRE(lock_acquire(&first, dir, err, sizeof err, warning, sizeof warning));
    CHECK(warning[0] == 0);
    CHECK(access(path, F_OK) == 0);
    /* flock belongs to the open file description, so a second acquire in this process conflicts */
    CHECK(!lock_acquire(&second, dir, err, sizeof err, warning, sizeof warning));
    snprintf(pid_text, sizeof pid_text, "(pid %ld on ", (long)getpid());
    CHECK(strstr(err, "in use by another vlift bench") && strstr(err, pid_text));
    CHECK(second.dir_fd == -1);
    lock_release(&first);
    CHECK(access(path, F_OK) != 0);
    lock_release(&first); /* a second release is harmless */
    REQUIRE(lock_acquire(&second, dir, err, sizeof err, warning, sizeof warning));
    CHECK(warning[0] == 0);
    lock_release(&second);
    rmdir(dir);
}

TEST(bench_lock_takes_over_a_stale_file_and_honours_another_host) {
    char dir[] = "/tmp/vlift-lock-test.XXXXXX";
    REQUIRE(mkdtemp(dir));
    char err[600], warning[600], path[4200], host[256] = "", text[400];
    snprintf(path, sizeof path, "%s/.lock", dir);
    gethostname(host, sizeof host - 1);
    /* a killed driver's file: nobody holds the flock, even though the pid (ours) is alive */
    snprintf(text, sizeof text, "%ld %s\n", (long)getpid(), host);
    write_text(path, text);
    bench_lock lock;
    REQUIRE(lock_acquire(&lock, dir, err, sizeof err, warning, sizeof warning));
    CHECK(strstr(warning, "taking over the stale lock") != NULL);
    lock_release(&lock);
    /* an empty file (a writer killed mid-write) is taken over silently */
    write_text(path, "");
    REQUIRE(lock_acquire(&lock, dir, err, sizeof err, warning, sizeof warning));
    CHECK(warning[0] == 0);
    lock_release(&lock);
    write_text(path, "4242 some-other-host.example\n");
    CHECK(!lock_acquire(&lock, dir, err, sizeof err, warning, sizeof warning));
    CHECK(strstr(err, "pid 4242 on some-other-host.example") && strstr(err, "remove"));
    CHECK(access(path, F_OK) == 0); /* not ours to remove */
    unlink(path);
    CHECK(!lock_acquire(&lock, "/nonexistent/vlift-lock", err, sizeof err, warning, sizeof warning));
    CHECK(strstr(err, "cannot open /nonexistent/vlift-lock") != NULL);
    rmdir(dir);
}
