/* u64map: an open-addressing hash map from 64-bit keys to 64-bit values, used by synthesis for
 * memo tables keyed by term ids (signatures, normal forms, output elements). Key 0 is allowed:
 * occupancy is tracked separately. Heap memory; u64map_free releases it. */
#ifndef VLIFT_SYNTH_U64MAP_H
#define VLIFT_SYNTH_U64MAP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct u64map {
    uint64_t *keys, *values;
    uint8_t *used;
    size_t cap, count;
} u64map;

void u64map_init(u64map *m);
void u64map_free(u64map *m);
bool u64map_get(const u64map *m, uint64_t key, uint64_t *value);
void u64map_put(u64map *m, uint64_t key, uint64_t value);   /* inserts or replaces */

#endif
