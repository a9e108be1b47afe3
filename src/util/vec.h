/* vec: a typed growable array as a macro family (one struct per element type).
 *   VEC(int) v = {0}; vec_push(&v, 3); v.items[0]; vec_free(&v);
 * Heap-allocated with xrealloc; use arena copies for data that lives with a lift. */
#ifndef VLIFT_VEC_H
#define VLIFT_VEC_H
#include "util/arena.h"
#include <stdlib.h>

#define VEC(T) struct { T *items; size_t len, cap; }

#define vec_reserve(v, n)                                                        \
    do {                                                                         \
        if ((v)->cap < (n)) {                                                    \
            size_t vec_cap_ = (v)->cap ? (v)->cap : 8;                           \
            while (vec_cap_ < (n)) vec_cap_ *= 2;                                \
            (v)->items = xrealloc((v)->items, vec_cap_ * sizeof *(v)->items);    \
            (v)->cap = vec_cap_;                                                 \
        }                                                                        \
    } while (0)

#define vec_push(v, x)                                                           \
    do {                                                                         \
        vec_reserve((v), (v)->len + 1);                                          \
        (v)->items[(v)->len++] = (x);                                            \
    } while (0)

#define vec_free(v) do { free((v)->items); (v)->items = NULL; (v)->len = (v)->cap = 0; } while (0)

#endif
