/* replay: runs one fuzz target's LLVMFuzzerTestOneInput on each file named on the command line
 * (or every file of each directory named), with the normal compiler and no libFuzzer, so that
 * `make test` replays the seed corpora and every input that once crashed a target. Prints
 * "replay: N inputs" and exits 0 when none crashed (a crash ends the process). */
#include "fuzz_input.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 1;
}

int main(int argc, char **argv) {
    int n = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (replay_file(argv[i]) < 0) return 1;
            n++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) return 1;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            struct stat fst;
            if (stat(path, &fst) != 0 || !S_ISREG(fst.st_mode)) continue;   /* e.g. tests/kernels/expected/ */
            if (replay_file(path) < 0) { closedir(d); return 1; }
            n++;
        }
        closedir(d);
    }
    printf("replay: %d inputs\n", n);
    return 0;
}
