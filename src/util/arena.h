/* arena: a bump allocator whose memory is released all at once.
 * Every lift, parse and interpretation owns one arena; nothing it allocates is freed
 * individually, so error paths never leak. Allocation failure aborts the process
 * (the harness runs each job in its own process and classifies that as OUT_OF_MEMORY). */
#ifndef VLIFT_ARENA_H
#define VLIFT_ARENA_H
#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
    arena_chunk *head;   /* newest chunk first */
    size_t total;        /* bytes handed out, for statistics */
} arena;

void  arena_init(arena *a);
void *arena_alloc(arena *a, size_t size);          /* zeroed, 16-byte aligned */
void *arena_realloc(arena *a, void *old, size_t old_size, size_t new_size);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void  arena_free(arena *a);                        /* releases everything; arena reusable */

/* Process-wide out-of-memory exit used by every allocator in vlift. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

#endif
