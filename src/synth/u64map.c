/* u64map: see u64map.h. Linear probing, power-of-two capacity, load at most 1/2. */
#include "synth/u64map.h"
#include "util/arena.h"
#include "util/hash.h"
#include <stdlib.h>

void u64map_init(u64map *m) {
    m->keys = m->values = NULL;
    m->used = NULL;
    m->cap = m->count = 0;
}

void u64map_free(u64map *m) {
    free(m->keys);
    free(m->values);
    free(m->used);
    u64map_init(m);
}

static size_t slot_of(uint64_t key, size_t cap) { return (size_t)hash_mix(0x51ed27u, key) & (cap - 1); }

bool u64map_get(const u64map *m, uint64_t key, uint64_t *value) {
    if (!m->cap) return false;
    for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->used[i]) return false;
        if (m->keys[i] == key) {
            if (value) *value = m->values[i];
            return true;
        }
    }
}

static void grow(u64map *m) {
    size_t old_cap = m->cap;
    uint64_t *ok = m->keys, *ov = m->values;
    uint8_t *ou = m->used;
    m->cap = old_cap ? old_cap * 2 : 64;
    m->keys = xcalloc(m->cap, sizeof *m->keys);
    m->values = xcalloc(m->cap, sizeof *m->values);
    m->used = xcalloc(m->cap, 1);
    for (size_t i = 0; i < old_cap; i++) {
        if (!ou[i]) continue;
        size_t j = slot_of(ok[i], m->cap);
        while (m->used[j]) j = (j + 1) & (m->cap - 1);
        m->used[j] = 1;
        m->keys[j] = ok[i];
        m->values[j] = ov[i];
    }
    free(ok);
    free(ov);
    free(ou);
}

void u64map_put(u64map *m, uint64_t key, uint64_t value) {
    if (2 * (m->count + 1) > m->cap) grow(m);
    size_t i = slot_of(key, m->cap);
    while (m->used[i] && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
    if (!m->used[i]) {
        m->used[i] = 1;
        m->keys[i] = key;
        m->count++;
    }
    m->values[i] = value;
}
