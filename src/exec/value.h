/* value: what the interpreter computes with.
 *
 * An `elem` is one scalar lane: a concrete number (double / int64 / bool), a pointer
 * (buffer id + element offset), or — in the symbolic domain — a term id. A `block` is a
 * Triton tensor: a class (bool, int, float, pointer), a dtype tag, a shape of rank 0..4 and
 * row-major lanes. A `pyval` is any Python-level value a kernel can hold: a block, None, a
 * tuple, a string, a module namespace, a jitted function, a built-in, a dtype, a block pointer.
 * All values of one program instance live in that instance's arena. */
#ifndef VLIFT_VALUE_H
#define VLIFT_VALUE_H
#include "exec/plan.h"
#include "term/term.h"
#include "triton/ast.h"
#include "util/arena.h"
#include <stdbool.h>
#include <stdint.h>

#define MAX_RANK 4

typedef enum vclass { VC_BOOL, VC_INT, VC_FLOAT, VC_PTR } vclass;

typedef struct vtype {
    vclass cls;
    elem_dtype dtype;      /* width tag for ints/floats; pointee dtype for pointers */
} vtype;

typedef struct elem {
    union {
        double f;          /* VC_FLOAT */
        int64_t i;         /* VC_INT, VC_BOOL (0/1), VC_PTR (element offset) */
        term_id t;         /* symbolic lanes */
    } u;
    int32_t buf;           /* VC_PTR: buffer id */
    uint8_t sym;           /* 1: u.t holds a term (of the class's term type) */
} elem;

typedef struct block {
    vtype ty;
    int rank;
    int64_t shape[MAX_RANK];
    int64_t n;             /* number of lanes */
    bool py;               /* a Python number (literal, constexpr, host int): Python // and % */
    elem *data;
} block;

typedef enum pykind {
    PV_NONE, PV_BLOCK, PV_TUPLE, PV_STR, PV_MODULE, PV_FUNC, PV_BUILTIN, PV_DTYPE,
    PV_BLOCKPTR, PV_RANGE,
} pykind;

typedef struct builtin_def builtin_def;
typedef struct pyval pyval;

typedef struct block_ptr {      /* tl.make_block_ptr */
    elem base;                  /* pointer lane */
    vtype ty;                   /* pointer type */
    int rank;
    int64_t shape[MAX_RANK], strides[MAX_RANK], offsets[MAX_RANK], block_shape[MAX_RANK];
    int order[MAX_RANK];
} block_ptr;

typedef struct range_val { int64_t start, stop, step; } range_val;

struct pyval {
    pykind kind;
    union {
        block *blk;
        struct { pyval **items; int n; } tuple;
        const char *str;
        const char *module;            /* canonical namespace: "tl", "tl.math", "libdevice", ... */
        struct { const ast_func *fn; const ast_module *mod; } func;
        struct { const builtin_def *def; pyval *self; } builtin;   /* self: bound method receiver */
        vtype dtype;                   /* PV_DTYPE; cls VC_PTR for pointer types */
        block_ptr *bptr;
        range_val range;
    } u;
};

term_type vclass_term_type(vclass c);
vtype vtype_of_dtype(elem_dtype d);        /* int dtypes -> VC_INT, floats -> VC_FLOAT, bool */
const char *vtype_name(vtype t, char *buf, int size);   /* "fp32", "int32", "pointer<fp32>" */

block *block_new(arena *a, vtype ty, int rank, const int64_t *shape);
block *block_scalar(arena *a, vtype ty, elem e);
pyval *pv_block(arena *a, block *b);
pyval *pv_none(arena *a);
pyval *pv_tuple(arena *a, int n, pyval **items);
pyval *pv_str(arena *a, const char *s);
pyval *pv_int(arena *a, int64_t v, bool py);
pyval *pv_float(arena *a, double v, bool py);
pyval *pv_bool(arena *a, bool v, bool py);
pyval *pv_dtype(arena *a, vtype t);
pyval *pv_module(arena *a, const char *ns);
const char *pykind_name(pykind k);

/* Shape helpers: numpy broadcasting of two shapes (false if incompatible). */
bool shape_broadcast(int ra, const int64_t *sa, int rb, const int64_t *sb, int *rank, int64_t *shape);
/* Lane index in a block of shape `from` broadcast to `to` (same rank after left-padding). */
int64_t broadcast_index(const block *from, int rank, const int64_t *to_shape, int64_t flat);
void shape_format(int rank, const int64_t *shape, char *buf, int size);

static inline elem elem_int(int64_t v) { elem e = {0}; e.u.i = v; return e; }
static inline elem elem_float(double v) { elem e = {0}; e.u.f = v; return e; }
static inline elem elem_bool(bool v) { elem e = {0}; e.u.i = v ? 1 : 0; return e; }
static inline elem elem_term(term_id t) { elem e = {0}; e.u.t = t; e.sym = 1; return e; }
static inline elem elem_ptr(int32_t buf, int64_t off) { elem e = {0}; e.u.i = off; e.buf = buf; return e; }

#endif
