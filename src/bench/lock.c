/* lock: see lock.h. */
#include "bench/lock.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void lock_path(const char *dir, char *buf, size_t size) { snprintf(buf, size, "%s/.lock", dir); }

bool lock_acquire(const char *dir, char *err, size_t err_size, char *warning, size_t warning_size) {
    char path[4200], host[256] = "";
    lock_path(dir, path, sizeof path);
    gethostname(host, sizeof host - 1);
    warning[0] = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            char text[300];
            int n = snprintf(text, sizeof text, "%ld %s\n", (long)getpid(), host);
            bool ok = write(fd, text, (size_t)n) == n;
            close(fd);
            if (!ok) {
                snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
                unlink(path);
            }
            return ok;
        }
        if (errno != EEXIST) {
            snprintf(err, err_size, "cannot create %s: %s", path, strerror(errno));
            return false;
        }
        FILE *f = fopen(path, "r");
        long pid = 0;
        char owner_host[256] = "";
        if (f) {
            if (fscanf(f, "%ld %255s", &pid, owner_host) < 1) pid = 0;
            fclose(f);
        }
        bool same_host = !owner_host[0] || !strcmp(owner_host, host);
        bool alive = pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
        if (pid > 0 && (!same_host || alive)) {
            snprintf(err, err_size,
                     "%s is in use by another vlift bench (pid %ld on %s); wait for it, or remove %s if that run is gone",
                     dir, pid, owner_host[0] ? owner_host : host, path);
            return false;
        }
        snprintf(warning, warning_size, "taking over the stale lock %s (pid %ld is gone)", path, pid);
        unlink(path);
    }
    snprintf(err, err_size, "cannot take the lock %s", path);
    return false;
}

void lock_release(const char *dir) {
    char path[4200];
    lock_path(dir, path, sizeof path);
    unlink(path);
}
