/* lock: see lock.h. */
#include "bench/lock.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Reads "PID HOST" from the lock file; pid 0 and an empty host when absent or unreadable. */
static void read_owner(const char *path, long *pid, char *host, size_t host_size) {
    *pid = 0;
    host[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return;
    char text[300] = "";
    if (fgets(text, sizeof text, f)) {
        char *end;
        long value = strtol(text, &end, 10);
        if (end != text && value > 0) {
            *pid = value;
            while (*end == ' ') end++;
            size_t n = strcspn(end, " \n");
            if (n >= host_size) n = host_size - 1;
            memcpy(host, end, n);
            host[n] = 0;
        }
    }
    fclose(f);
}

bool lock_acquire(bench_lock *lock, const char *dir, char *err, size_t err_size, char *warning,
                  size_t warning_size) {
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    warning[0] = 0;
    snprintf(lock->path, sizeof lock->path, "%s/.lock", dir);
    lock->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lock->dir_fd < 0) {
        snprintf(err, err_size, "cannot open %s: %s", dir, strerror(errno));
        return false;
    }
    long pid;
    char owner_host[256];
    if (flock(lock->dir_fd, LOCK_EX | LOCK_NB) != 0) {
        int saved = errno;
        close(lock->dir_fd);
        lock->dir_fd = -1;
        if (saved != EWOULDBLOCK) {
            snprintf(err, err_size, "cannot lock %s: %s", dir, strerror(saved));
            return false;
        }
        /* the holder may not have written its pid yet */
        read_owner(lock->path, &pid, owner_host, sizeof owner_host);
        if (pid > 0)
            snprintf(err, err_size,
                     "%s is in use by another vlift bench (pid %ld on %s); wait for it to finish",
                     dir, pid, owner_host[0] ? owner_host : host);
        else
            snprintf(err, err_size, "%s is in use by another vlift bench; wait for it to finish", dir);
        return false;
    }
    read_owner(lock->path, &pid, owner_host, sizeof owner_host);
    if (pid > 0 && owner_host[0] && strcmp(owner_host, host) != 0) {
        snprintf(err, err_size,
                 "%s is in use by another vlift bench (pid %ld on %s); wait for it, or remove %s if that run is gone",
                 dir, pid, owner_host, lock->path);
        close(lock->dir_fd); /* the file is not ours to remove */
        lock->dir_fd = -1;
        return false;
    }
    if (pid > 0) snprintf(warning, warning_size, "taking over the stale lock %s (pid %ld is gone)", lock->path, pid);
    /* written beside and renamed in, so a refused driver never reads it half-written */
    char temp[4300], text[300];
    snprintf(temp, sizeof temp, "%s.%ld", lock->path, (long)getpid());
    int n = snprintf(text, sizeof text, "%ld %s\n", (long)getpid(), host);
    int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && write(fd, text, (size_t)n) == n;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(temp, lock->path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(temp);
        snprintf(err, err_size, "cannot write %s: %s", lock->path, strerror(saved));
        close(lock->dir_fd);
        lock->dir_fd = -1;
        return false;
    }
    return true;
}

void lock_release(bench_lock *lock) {
    if (lock->dir_fd < 0) return;
    /* the file goes first, so the next holder never sees it as ours */
    unlink(lock->path);
    close(lock->dir_fd);
    lock->dir_fd = -1;
}
