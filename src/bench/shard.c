/* shard: see shard.h. */
#include "bench/shard.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

bool shard_parse(const char *text, shard *out, char *err, size_t err_size) {
    char *end;
    errno = 0;
    long i = strtol(text, &end, 10);
    bool ok = !errno && end != text && *end == '/' && text[0] >= '0' && text[0] <= '9';
    long n = 0;
    if (ok) {
        const char *rest = end + 1;
        n = strtol(rest, &end, 10);
        ok = !errno && end != rest && !*end && rest[0] >= '0' && rest[0] <= '9' && n >= 1 && n <= 100000 && i < n;
    }
    if (!ok) {
        snprintf(err, err_size, "--shard takes i/n with 0 <= i < n (e.g. 0/4 ... 3/4), not '%s'", text);
        return false;
    }
    out->index = (int)i;
    out->count = (int)n;
    return true;
}

bool shard_contains(shard s, size_t job_index) {
    return s.count <= 1 || job_index % (size_t)s.count == (size_t)s.index;
}
