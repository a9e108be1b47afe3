/* memory: the buffers a launch sequence reads and writes (inputs, outputs, intermediates).
 * A buffer is flat storage of lanes with a logical view (shape + strides) used to name its
 * elements (x[i,j]) in specs. Each element knows whether it holds a defined value and which
 * program of the current launch last wrote it, so that out-of-bounds accesses, reads of
 * never-written memory and conflicting writes by two programs are caught. */
#ifndef VLIFT_MEMORY_H
#define VLIFT_MEMORY_H
#include "exec/domain.h"

typedef struct exec_buffer {
    const char *name;
    vtype ty;                 /* element type (not a pointer type) */
    tensor_role role;
    int rank;
    int64_t shape[MAX_RANK], strides[MAX_RANK];
    int64_t storage;          /* number of elements of storage */
    elem *data;
    uint8_t *defined;         /* 1 when data[i] holds a value */
    int32_t *writer;          /* 1 + linear program id that wrote it in the current launch */
    elem *initial;            /* inout tensors: the input values, kept for checking (else NULL) */
} exec_buffer;

typedef struct exec_memory {
    exec_buffer **buffers;    /* id = index */
    int n, cap;
} exec_memory;

void exec_memory_init(exec_memory *m);
void exec_memory_free(exec_memory *m);
/* Adds a buffer; storage is derived from shape and strides. Returns its id or -1 when the size
 * is negative or too large (limit in elements). */
int exec_memory_add(exec_memory *m, const char *name, vtype ty, tensor_role role, int rank,
                    const int64_t *shape, const int64_t *strides, int64_t max_elements);
void exec_memory_new_launch(exec_memory *m);          /* clears the writer marks */
/* Number of logical elements (product of the shape). */
int64_t exec_buffer_numel(const exec_buffer *b);
/* Storage offset of the flat-th element in row-major logical order; fills index (may be NULL). */
int64_t exec_buffer_flat_offset(const exec_buffer *b, int64_t flat, int64_t *index);
/* "y[2,3]" (or "y" for rank 0). */
void exec_buffer_format_element(const exec_buffer *b, const int64_t *index, char *buf, int size);
/* Logical index of storage offset `off` (the first in row-major order that maps to it);
 * false if no logical index does. */
bool exec_buffer_logical_index(const exec_buffer *b, int64_t off, int64_t *index);

#endif
