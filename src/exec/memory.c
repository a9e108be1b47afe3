/* memory: see memory.h. */
#include "exec/memory.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void exec_memory_init(exec_memory *m) { memset(m, 0, sizeof *m); }

void exec_memory_free(exec_memory *m) {
    for (int i = 0; i < m->n; i++) {
        exec_buffer *b = m->buffers[i];
        free(b->data);
        free(b->defined);
        free(b->writer);
        free(b->initial);
        free(b);
    }
    free(m->buffers);
    exec_memory_init(m);
}

int exec_memory_add(exec_memory *m, const char *name, vtype ty, tensor_role role, int rank,
                    const int64_t *shape, const int64_t *strides, int64_t max_elements) {
    int64_t storage = 1;
    for (int d = 0; d < rank; d++) {
        if (shape[d] < 0 || strides[d] < 0) return -1;
        if (shape[d] == 0) { storage = 0; break; }
        if (shape[d] > max_elements) return -1;
    }
    if (storage) {
        int64_t last = 0;
        for (int d = 0; d < rank; d++) {
            if (strides[d] > max_elements) return -1;
            last += (shape[d] - 1) * strides[d];
            if (last >= max_elements) return -1;
        }
        storage = last + 1;
    }
    exec_buffer *b = xcalloc(1, sizeof *b);
    b->name = name;
    b->ty = ty;
    b->role = role;
    b->rank = rank;
    for (int d = 0; d < rank; d++) { b->shape[d] = shape[d]; b->strides[d] = strides[d]; }
    b->storage = storage;
    b->data = xcalloc((size_t)(storage ? storage : 1), sizeof(elem));
    b->defined = xcalloc((size_t)(storage ? storage : 1), 1);
    b->writer = xcalloc((size_t)(storage ? storage : 1), sizeof(int32_t));
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->buffers = xrealloc(m->buffers, (size_t)m->cap * sizeof *m->buffers);
    }
    m->buffers[m->n] = b;
    return m->n++;
}

void exec_memory_new_launch(exec_memory *m) {
    for (int i = 0; i < m->n; i++)
        memset(m->buffers[i]->writer, 0, (size_t)(m->buffers[i]->storage ? m->buffers[i]->storage : 1) * sizeof(int32_t));
}

bool exec_buffer_logical_index(const exec_buffer *b, int64_t off, int64_t *index) {
    /* Fast path: contiguous row-major. */
    int64_t expect = 1;
    bool contiguous = true;
    for (int d = b->rank - 1; d >= 0; d--) {
        if (b->strides[d] != expect && b->shape[d] != 1) contiguous = false;
        expect *= b->shape[d];
    }
    if (contiguous) {
        if (off < 0 || off >= expect) return false;
        for (int d = b->rank - 1; d >= 0; d--) {
            index[d] = off % b->shape[d];
            off /= b->shape[d];
        }
        return true;
    }
    /* General strides: search row-major for the first index mapping to off. */
    int64_t total = 1;
    for (int d = 0; d < b->rank; d++) total *= b->shape[d];
    for (int64_t flat = 0; flat < total; flat++) {
        int64_t rem = flat, o = 0;
        for (int d = b->rank - 1; d >= 0; d--) {
            index[d] = rem % b->shape[d];
            rem /= b->shape[d];
            o += index[d] * b->strides[d];
        }
        if (o == off) return true;
    }
    return false;
}

int64_t exec_buffer_numel(const exec_buffer *b) {
    int64_t n = 1;
    for (int d = 0; d < b->rank; d++) n *= b->shape[d];
    return n;
}

int64_t exec_buffer_flat_offset(const exec_buffer *b, int64_t flat, int64_t *index) {
    int64_t off = 0;
    for (int d = b->rank - 1; d >= 0; d--) {
        int64_t i = flat % b->shape[d];
        flat /= b->shape[d];
        off += i * b->strides[d];
        if (index) index[d] = i;
    }
    return off;
}

void exec_buffer_format_element(const exec_buffer *b, const int64_t *index, char *buf, int size) {
    int n = snprintf(buf, (size_t)size, "%s", b->name);
    if (b->rank == 0 || n >= size) return;
    n += snprintf(buf + n, (size_t)(size - n), "[");
    for (int d = 0; d < b->rank && n < size; d++) n += snprintf(buf + n, (size_t)(size - n), "%s%lld", d ? "," : "", (long long)index[d]);
    if (n < size) snprintf(buf + n, (size_t)(size - n), "]");
}
