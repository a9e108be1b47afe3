/* fuzz_input: the shared contract of vlift's fuzz targets. Each target defines
 * LLVMFuzzerTestOneInput (the libFuzzer entry point); `make fuzz` links it with libFuzzer,
 * and replay.c links it with a plain main() so that `make test` can replay the committed
 * regression inputs without clang. A target must never crash, leak or hang on any input:
 * bad input is a diag, nothing else. */
#ifndef VLIFT_FUZZ_INPUT_H
#define VLIFT_FUZZ_INPUT_H
#include "util/arena.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string in the arena (every parser here takes C strings;
 * an embedded NUL simply ends the text early). */
static inline char *fuzz_text(arena *a, const uint8_t *data, size_t size) {
    char *s = arena_alloc(a, size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
