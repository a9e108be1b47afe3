/* shard: a deterministic slice of a run's job list, for spreading one run over several
 * processes or machines. With the jobs ordered by (suite, op, tool, config, rep) and numbered
 * from 0, job k belongs to shard k mod n; shards are written i/n with 0 <= i < n. Every job is in
 * exactly one shard, and shard sizes differ by at most one. */
#ifndef VLIFT_BENCH_SHARD_H
#define VLIFT_BENCH_SHARD_H
#include <stdbool.h>
#include <stddef.h>

typedef struct shard {
    int index, count;   /* count 1: the whole run */
} shard;

/* Parses "i/n" (0 <= i < n, 1 <= n <= 100000). */
bool shard_parse(const char *text, shard *out, char *err, size_t err_size);
bool shard_contains(shard s, size_t job_index);

#endif
