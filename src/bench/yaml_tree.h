/* yaml_tree: one YAML document as a small tree of nodes that remember where they were written.
 * The manifest loader parses with libyaml's event API into this tree first and then walks it,
 * so that every check can point at a key or value (file:line:col) and the walk needs no
 * streaming state. The tree builder itself rejects what is wrong in any YAML document we
 * accept: syntax errors, a second document, duplicate keys, undefined aliases, nesting deeper
 * than YTREE_MAX_DEPTH and aliases that expand to more than YTREE_MAX_ALIAS_NODES nodes
 * (a "billion laughs" document would otherwise make the walk exponential).
 *
 * Aliases are resolved to the anchored node itself (the tree is then a DAG); tags are ignored.
 * Only plain scalars are typed (YAML 1.2 core schema: null, bool, int, float); quoted and
 * block scalars are always strings. Positions are 1-based, columns count characters. */
#ifndef VLIFT_YAML_TREE_H
#define VLIFT_YAML_TREE_H
#include "util/arena.h"
#include "util/diag.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YTREE_MAX_DEPTH 64
#define YTREE_MAX_ALIAS_NODES 100000

typedef enum ynode_kind { YNODE_SCALAR, YNODE_SEQUENCE, YNODE_MAPPING } ynode_kind;

typedef enum yscalar_type {
    YSCALAR_STRING, /* any quoted or block scalar, and plain scalars of no other type */
    YSCALAR_NULL,   /* plain: empty, ~, null, Null, NULL */
    YSCALAR_BOOL,   /* plain: true/false, True/False, TRUE/FALSE */
    YSCALAR_INT,    /* plain: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+ */
    YSCALAR_FLOAT,  /* plain: decimal with '.' or exponent, [-+]?.inf, .nan */
} yscalar_type;

typedef enum yscalar_style { YSTYLE_PLAIN, YSTYLE_QUOTED, YSTYLE_BLOCK } yscalar_style;

typedef struct ynode ynode;
typedef struct ypair {
    ynode *key, *value;
} ypair;

struct ynode {
    ynode_kind kind;
    int line, col; /* where the node starts, after any anchor or tag: a scalar's
                                 first character, opening quote or block indicator; a
                                 collection's first key, first '-', '[' or '{' */
    /* YNODE_SCALAR */
    const char *text; /* the value as YAML defines it, NUL-terminated */
    size_t len;       /* may differ from strlen(text) when the value holds "\0" */
    yscalar_type type;
    yscalar_style style;
    int text_line, text_col; /* the value's first character in the source: the scalar's start
                                 (plain), one past the opening quote (quoted), the first
                                 non-space character of the first content line (block) */
    /* YNODE_SEQUENCE: items; YNODE_MAPPING: pairs, in document order */
    ynode **items;
    ypair *pairs;
    int n;
    size_t expanded; /* node count of this subtree with aliases expanded (saturating) */
};

/* Parses text (len bytes, the contents of file) as at most one YAML document into a (all
 * memory in a). On success returns true and sets *root (NULL for a stream without a
 * document: empty or only comments). On failure returns false with err set. */
bool ytree_parse(arena *a, const char *file, const char *text, size_t len, ynode **root, diag *err);

/* "scalar", "sequence", "mapping" — or for scalars with a type, "null", "boolean", "integer",
 * "number", "string": for "must be X, not Y" messages. */
const char *ynode_describe(const ynode *n);

/* The value of an integer scalar when it fits in int64. */
bool ynode_int64(const ynode *n, int64_t *out);
/* The value of an integer or float scalar. */
bool ynode_number(const ynode *n, double *out);

#endif
