/* yaml_tree: builds a ynode tree from libyaml's event stream; see yaml_tree.h.
 * Besides manifest.c this is the only file that includes yaml.h. Nothing here recurses: open
 * collections live on a fixed stack of YTREE_MAX_DEPTH frames. */
#include "bench/yaml_tree.h"
#include "util/hash.h"
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Keys seen so far in one open mapping: open addressing over the key nodes, for duplicates. */
typedef struct key_table {
    ynode **slots;
    size_t cap, count;
} key_table;

typedef struct frame {
    ynode *node;        /* the open sequence or mapping */
    int cap;            /* capacity of node->items / node->pairs */
    ynode *pending_key; /* mappings: a key waiting for its value */
    key_table keys;     /* mappings: scalar keys seen */
    const char *anchor; /* registered when the collection ends (so it cannot contain itself) */
} frame;

typedef struct anchor_entry {
    const char *name;
    ynode *node;
} anchor_entry;

typedef struct builder {
    arena *a;
    const char *file;
    const unsigned char *text;
    size_t len;
    diag *err;
    size_t *line_starts; /* byte offset of each line; built on first use */
    size_t n_lines;
    /* The last position offset_of resolved: events come in document order, so the next one is
     * usually further on the same line, and resuming from here keeps a manifest written on one
     * long line (flow style) linear instead of quadratic in the line's length. */
    size_t memo_line, memo_column, memo_off;
    bool memo_valid;
    frame stack[YTREE_MAX_DEPTH];
    int depth;
    anchor_entry *anchors; /* open addressing by name; later definitions replace earlier */
    size_t anchor_cap, anchor_count;
    ynode *root;
    int documents;
    size_t alias_nodes; /* nodes added by expanding aliases */
} builder;

static int to_int(size_t v) { return v > 0x7fffffff ? 0x7fffffff : (int)v; }

static size_t add_saturating(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

static bool fail_at(builder *b, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool fail_at(builder *b, int line, int col, const char *fmt, ...) {
    char message[sizeof b->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    diag_set(b->err, DIAG_ERROR, b->file, line, col, "%s", message);
    return false;
}

#define MARK_LINE(m) (to_int((m).line) + 1)
#define MARK_COL(m) (to_int((m).column) + 1)

/* ---- source positions: libyaml marks count lines and characters; we need byte offsets ---- */

/* Length of the line break at p (libyaml's: CR LF, CR, LF, NEL, LS, PS), 0 if none. */
static size_t break_len(const unsigned char *p, const unsigned char *end) {
    if (p >= end) return 0;
    if (p[0] == '\r') return (p + 1 < end && p[1] == '\n') ? 2 : 1;
    if (p[0] == '\n') return 1;
    if (p[0] == 0xC2 && p + 1 < end && p[1] == 0x85) return 2;
    if (p[0] == 0xE2 && p + 2 < end && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) return 3;
    return 0;
}

static void build_line_table(builder *b) {
    if (b->line_starts) return;
    const unsigned char *p = b->text, *end = b->text + b->len;
    size_t n = 1;
    for (const unsigned char *q = p; q < end;) {
        size_t k = break_len(q, end);
        q += k ? k : 1;
        if (k) n++;
    }
    b->line_starts = arena_alloc(b->a, n * sizeof *b->line_starts);
    b->n_lines = 0;
    b->line_starts[b->n_lines++] = 0;
    if (b->len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) b->line_starts[0] = 3; /* BOM */
    for (const unsigned char *q = p; q < end;) {
        size_t k = break_len(q, end);
        q += k ? k : 1;
        if (k) b->line_starts[b->n_lines++] = (size_t)(q - p);
    }
}

static size_t utf8_len(unsigned char c) {
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Byte offset of the 0-based (line, column), or SIZE_MAX when outside the text. */
static size_t offset_of(builder *b, size_t line, size_t column) {
    build_line_table(b);
    if (line >= b->n_lines) return SIZE_MAX;
    const unsigned char *end = b->text + b->len;
    size_t off = b->line_starts[line], c = 0;
    if (b->memo_valid && b->memo_line == line && b->memo_column <= column) {
        off = b->memo_off;
        c = b->memo_column;
    }
    for (; c < column; c++) {
        if (off >= b->len || break_len(b->text + off, end)) return SIZE_MAX;
        off += utf8_len(b->text[off]);
    }
    if (off > b->len) return SIZE_MAX;
    b->memo_line = line;
    b->memo_column = column;
    b->memo_off = off;
    b->memo_valid = true;
    return off;
}

/* 1-based line and column of a byte offset. */
static void position_of(builder *b, size_t off, int *line, int *col) {
    build_line_table(b);
    size_t lo = 0, hi = b->n_lines; /* the last line starting at or before off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    size_t column = 0;
    for (size_t p = b->line_starts[lo]; p < off && p < b->len; p += utf8_len(b->text[p])) column++;
    *line = to_int(lo) + 1;
    *col = to_int(column) + 1;
}

static bool is_blank_byte(unsigned char c) { return c == ' ' || c == '\t'; }

/* Skips whitespace, line breaks and comments from off; returns the new offset. */
static size_t skip_space(builder *b, size_t off, size_t limit) {
    const unsigned char *end = b->text + b->len;
    while (off < limit) {
        size_t k = break_len(b->text + off, end);
        if (k) {
            off += k;
            continue;
        }
        if (is_blank_byte(b->text[off])) {
            off++;
            continue;
        }
        if (b->text[off] == '#') {
            while (off < limit && !break_len(b->text + off, end)) off++;
            continue;
        }
        break;
    }
    return off;
}

/* A node's start mark points at its anchor or tag when it has them; this skips those
 * properties (anchors are [A-Za-z0-9_-]+ in libyaml; tags end at a blank, or '>' when
 * verbatim) and returns the offset of the value itself, or SIZE_MAX when unsure. */
static size_t skip_properties(builder *b, size_t off, size_t limit) {
    const unsigned char *t = b->text;
    const unsigned char *end = t + b->len;
    for (int guard = 0; guard < 4 && off < limit; guard++) {
        off = skip_space(b, off, limit);
        if (off >= limit) return SIZE_MAX;
        if (t[off] == '&') {
            off++;
            while (off < limit && (isalnum(t[off]) || t[off] == '_' || t[off] == '-')) off++;
        } else if (t[off] == '!') {
            if (off + 1 < limit && t[off + 1] == '<') {
                while (off < limit && t[off] != '>') off++;
                off++;
            } else {
                while (off < limit && !is_blank_byte(t[off]) && !break_len(t + off, end)) off++;
            }
        } else {
            return off;
        }
    }
    return SIZE_MAX;
}

/* First non-space character of the first non-empty line after a block scalar's header
 * (indicator line), searching no further than limit; SIZE_MAX when there is none. */
static size_t block_content_start(builder *b, size_t off, size_t limit) {
    const unsigned char *t = b->text, *end = t + b->len;
    while (off < limit && !break_len(t + off, end)) off++; /* rest of the header line */
    while (off < limit) {
        off += break_len(t + off, end);
        size_t p = off;
        while (p < limit && t[p] == ' ') p++;
        if (p >= limit) return SIZE_MAX;
        if (!break_len(t + p, end)) return p;
        off = p;
    }
    return SIZE_MAX;
}

/* Sets the node's line/col and text_line/text_col for a scalar event. */
static void scalar_positions(builder *b, const yaml_event_t *ev, ynode *n, yscalar_style style) {
    n->line = n->text_line = to_int(ev->start_mark.line) + 1;
    n->col = n->text_col = to_int(ev->start_mark.column) + 1;
    size_t start = offset_of(b, ev->start_mark.line, ev->start_mark.column);
    size_t limit = offset_of(b, ev->end_mark.line, ev->end_mark.column);
    if (limit == SIZE_MAX) limit = b->len;
    if (start == SIZE_MAX || start > limit) {
        if (style == YSTYLE_QUOTED) n->text_col++;
        return;
    }
    if (ev->data.scalar.anchor || ev->data.scalar.tag) {
        size_t value = skip_properties(b, start, limit);
        if (value == SIZE_MAX) return; /* e.g. an empty value after a tag */
        start = value;
        position_of(b, start, &n->line, &n->col);
        n->text_line = n->line;
        n->text_col = n->col;
    }
    if (style == YSTYLE_QUOTED) {
        if (b->text[start] == '"' || b->text[start] == '\'') n->text_col = n->col + 1;
    } else if (style == YSTYLE_BLOCK) {
        if (b->text[start] != '|' && b->text[start] != '>') return;
        size_t first = block_content_start(b, start, limit);
        if (first != SIZE_MAX) position_of(b, first, &n->text_line, &n->text_col);
    }
}

/* ---- plain scalar types (YAML 1.2 core schema) ---- */

static bool all_digits(const char *s, const char *digits) {
    if (!*s) return false;
    for (; *s; s++)
        if (!strchr(digits, *s)) return false;
    return true;
}

static bool is_float_text(const char *s) {
    if (*s == '+' || *s == '-') s++;
    if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF")) return true;
    bool digits = false, dot = false;
    while (isdigit((unsigned char)*s)) {
        s++;
        digits = true;
    }
    if (*s == '.') {
        dot = true;
        s++;
        while (isdigit((unsigned char)*s)) {
            s++;
            digits = true;
        }
    }
    if (!digits) return false;
    bool exponent = false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') s++;
        if (!isdigit((unsigned char)*s)) return false;
        while (isdigit((unsigned char)*s)) s++;
        exponent = true;
    }
    return *s == 0 && (dot || exponent);
}

static yscalar_type plain_type(const char *s, size_t len) {
    if (strlen(s) != len) return YSCALAR_STRING;
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        if (!strcmp(s, nulls[i])) return YSCALAR_NULL;
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++)
        if (!strcmp(s, bools[i])) return YSCALAR_BOOL;
    const char *digits = s + (*s == '+' || *s == '-');
    if (all_digits(digits, "0123456789")) return YSCALAR_INT;
    if (!strncmp(s, "0o", 2) && all_digits(s + 2, "01234567")) return YSCALAR_INT;
    if (!strncmp(s, "0x", 2) && all_digits(s + 2, "0123456789abcdefABCDEF")) return YSCALAR_INT;
    if (is_float_text(s) || !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
        return YSCALAR_FLOAT;
    return YSCALAR_STRING;
}

bool ynode_int64(const ynode *n, int64_t *out) {
    if (!n || n->kind != YNODE_SCALAR || n->type != YSCALAR_INT) return false;
    const char *s = n->text;
    bool negative = false;
    unsigned base = 10;
    if (*s == '+' || *s == '-')
        negative = *s++ == '-';
    else if (!strncmp(s, "0o", 2)) {
        base = 8;
        s += 2;
    } else if (!strncmp(s, "0x", 2)) {
        base = 16;
        s += 2;
    }
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
    for (; *s; s++) {
        unsigned d = isdigit((unsigned char)*s) ? (unsigned)(*s - '0') : (unsigned)(tolower(*s) - 'a' + 10);
        if (v > (limit - d) / base) return false;
        v = v * base + d;
    }
    *out = negative ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

bool ynode_number(const ynode *n, double *out) {
    if (!n || n->kind != YNODE_SCALAR) return false;
    int64_t i;
    if (n->type == YSCALAR_INT) {
        if (ynode_int64(n, &i)) {
            *out = (double)i;
            return true;
        }
        if (n->text[0] == '0' && (n->text[1] == 'o' || n->text[1] == 'x')) return false;
        *out = strtod(n->text, NULL); /* a decimal integer beyond int64 */
        return true;
    }
    if (n->type != YSCALAR_FLOAT) return false;
    const char *s = n->text;
    double sign = *s == '-' ? -1.0 : 1.0;
    if (*s == '+' || *s == '-') s++;
    if (s[0] == '.' && (s[1] == 'i' || s[1] == 'I')) {
        *out = sign * INFINITY;
        return true;
    }
    if (s[0] == '.' && (s[1] == 'n' || s[1] == 'N')) {
        *out = NAN;
        return true;
    }
    *out = strtod(n->text, NULL);
    return true;
}

const char *ynode_describe(const ynode *n) {
    if (n->kind == YNODE_SEQUENCE) return "a sequence";
    if (n->kind == YNODE_MAPPING) return "a mapping";
    switch (n->type) {
    case YSCALAR_NULL:
        return "empty (null)";
    case YSCALAR_BOOL:
        return "a boolean";
    case YSCALAR_INT:
        return "an integer";
    case YSCALAR_FLOAT:
        return "a number";
    case YSCALAR_STRING:
        break;
    }
    return "a string";
}

/* ---- anchors ---- */

static anchor_entry *anchor_slot(builder *b, const char *name) {
    size_t mask = b->anchor_cap - 1, i = hash_bytes(name, strlen(name)) & mask;
    while (b->anchors[i].name && strcmp(b->anchors[i].name, name)) i = (i + 1) & mask;
    return &b->anchors[i];
}

static void anchor_define(builder *b, const char *name, ynode *node) {
    if (2 * (b->anchor_count + 1) > b->anchor_cap) {
        anchor_entry *old = b->anchors;
        size_t old_cap = b->anchor_cap;
        b->anchor_cap = old_cap ? 2 * old_cap : 16;
        b->anchors = arena_alloc(b->a, b->anchor_cap * sizeof *b->anchors);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].name) *anchor_slot(b, old[i].name) = old[i];
    }
    anchor_entry *e = anchor_slot(b, name);
    if (!e->name) b->anchor_count++;
    e->name = name;
    e->node = node;
}

static ynode *anchor_find(builder *b, const char *name) {
    if (!b->anchor_cap) return NULL;
    return anchor_slot(b, name)->node;
}

/* ---- duplicate keys ---- */

static bool same_key(const ynode *x, const ynode *y) {
    return x->len == y->len && memcmp(x->text, y->text, x->len) == 0;
}

static ynode **key_slot(key_table *t, const ynode *key) {
    size_t mask = t->cap - 1, i = hash_bytes(key->text, key->len) & mask;
    while (t->slots[i] && !same_key(t->slots[i], key)) i = (i + 1) & mask;
    return &t->slots[i];
}

/* Records a scalar key; returns the earlier equal key if there is one. */
static ynode *key_insert(builder *b, key_table *t, ynode *key) {
    if (2 * (t->count + 1) > t->cap) {
        ynode **old = t->slots;
        size_t old_cap = t->cap;
        t->cap = old_cap ? 2 * old_cap : 16;
        t->slots = arena_alloc(b->a, t->cap * sizeof *t->slots);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i]) *key_slot(t, old[i]) = old[i];
    }
    ynode **slot = key_slot(t, key);
    if (*slot) return *slot;
    *slot = key;
    t->count++;
    return NULL;
}

/* ---- building ---- */

static bool attach(builder *b, ynode *child) {
    if (b->depth == 0) {
        b->root = child;
        return true;
    }
    frame *f = &b->stack[b->depth - 1];
    ynode *parent = f->node;
    parent->expanded = add_saturating(parent->expanded, child->expanded);
    if (parent->kind == YNODE_SEQUENCE) {
        if (parent->n == f->cap) {
            int cap = f->cap ? 2 * f->cap : 8;
            parent->items = arena_realloc(b->a, parent->items, (size_t)f->cap * sizeof *parent->items,
                                          (size_t)cap * sizeof *parent->items);
            f->cap = cap;
        }
        parent->items[parent->n++] = child;
        return true;
    }
    if (!f->pending_key) {
        if (child->kind == YNODE_SCALAR) {
            ynode *first = key_insert(b, &f->keys, child);
            if (first) {
                return fail_at(
                    b, child->line, child->col, "duplicate key '%.*s' (first at line %d, column %d)",
                    child->len > 100 ? 100 : (int)child->len, child->text, first->line, first->col);
            }
        }
        f->pending_key = child;
        return true;
    }
    if (parent->n == f->cap) {
        int cap = f->cap ? 2 * f->cap : 8;
        parent->pairs = arena_realloc(b->a, parent->pairs, (size_t)f->cap * sizeof *parent->pairs,
                                      (size_t)cap * sizeof *parent->pairs);
        f->cap = cap;
    }
    parent->pairs[parent->n++] = (ypair){f->pending_key, child};
    f->pending_key = NULL;
    return true;
}

static bool on_scalar(builder *b, const yaml_event_t *ev) {
    ynode *n = arena_alloc(b->a, sizeof *n);
    n->kind = YNODE_SCALAR;
    n->expanded = 1;
    n->len = ev->data.scalar.length;
    n->text = arena_strndup(b->a, (const char *)ev->data.scalar.value, n->len);
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        n->style = YSTYLE_QUOTED;
        break;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
        n->style = YSTYLE_BLOCK;
        break;
    default:
        n->style = YSTYLE_PLAIN;
        break;
    }
    n->type = n->style == YSTYLE_PLAIN ? plain_type(n->text, n->len) : YSCALAR_STRING;
    scalar_positions(b, ev, n, n->style);
    if (ev->data.scalar.anchor) anchor_define(b, arena_strdup(b->a, (const char *)ev->data.scalar.anchor), n);
    return attach(b, n);
}

static bool on_collection_start(builder *b, const yaml_event_t *ev, ynode_kind kind) {
    if (b->depth == YTREE_MAX_DEPTH) {
        return fail_at(b, MARK_LINE(ev->start_mark), MARK_COL(ev->start_mark),
                       "YAML nesting is deeper than %d levels", YTREE_MAX_DEPTH);
    }
    ynode *n = arena_alloc(b->a, sizeof *n);
    n->kind = kind;
    n->expanded = 1;
    n->line = to_int(ev->start_mark.line) + 1;
    n->col = to_int(ev->start_mark.column) + 1;
    const yaml_char_t *anchor =
        kind == YNODE_SEQUENCE ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
    const yaml_char_t *tag =
        kind == YNODE_SEQUENCE ? ev->data.sequence_start.tag : ev->data.mapping_start.tag;
    if (anchor || tag) { /* position the node at its '[', '{', '-' or first key, not its anchor */
        size_t start = offset_of(b, ev->start_mark.line, ev->start_mark.column);
        size_t value = start == SIZE_MAX ? SIZE_MAX : skip_properties(b, start, b->len);
        if (value != SIZE_MAX) position_of(b, value, &n->line, &n->col);
    }
    frame *f = &b->stack[b->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->anchor = anchor ? arena_strdup(b->a, (const char *)anchor) : NULL;
    return true;
}

static bool on_collection_end(builder *b) {
    if (b->depth == 0) return true; /* cannot happen with a well-formed event stream */
    frame f = b->stack[--b->depth];
    if (f.anchor) anchor_define(b, f.anchor, f.node);
    return attach(b, f.node);
}

static bool on_alias(builder *b, const yaml_event_t *ev) {
    const char *name = (const char *)ev->data.alias.anchor;
    ynode *target = anchor_find(b, name);
    if (!target)
        return fail_at(b, MARK_LINE(ev->start_mark), MARK_COL(ev->start_mark),
                       "undefined YAML alias '*%.100s' (an alias must follow its anchor '&%.100s' "
                       "and cannot refer to a node that contains it)",
                       name, name);
    b->alias_nodes = add_saturating(b->alias_nodes, target->expanded);
    if (b->alias_nodes > YTREE_MAX_ALIAS_NODES)
        return fail_at(b, MARK_LINE(ev->start_mark), MARK_COL(ev->start_mark),
                       "YAML aliases expand to more than %d nodes", YTREE_MAX_ALIAS_NODES);
    return attach(b, target);
}

static bool on_event(builder *b, const yaml_event_t *ev, bool *done) {
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        *done = true;
        return true;
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++ > 0)
            return fail_at(b, MARK_LINE(ev->start_mark), MARK_COL(ev->start_mark),
                           "expected one YAML document, but a second one starts here");
        return true;
    case YAML_SCALAR_EVENT:
        return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_collection_start(b, ev, YNODE_SEQUENCE);
    case YAML_MAPPING_START_EVENT:
        return on_collection_start(b, ev, YNODE_MAPPING);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_collection_end(b);
    case YAML_ALIAS_EVENT:
        return on_alias(b, ev);
    default:
        return true; /* stream start, document end, no event */
    }
}

static bool parser_error(builder *b, const yaml_parser_t *p) {
    if (p->error == YAML_MEMORY_ERROR) return fail_at(b, 0, 0, "out of memory while parsing YAML");
    const char *problem = p->problem ? p->problem : "malformed YAML";
    if (p->error == YAML_READER_ERROR) {
        /* reader errors (bad encoding, control characters) carry a byte offset, not a mark */
        int line, col;
        position_of(b, p->problem_offset < b->len ? p->problem_offset : b->len, &line, &col);
        if (p->problem_value >= 0)
            return fail_at(b, line, col, "YAML syntax error: %s (byte 0x%02X)", problem,
                           (unsigned)p->problem_value & 0xFFu);
        return fail_at(b, line, col, "YAML syntax error: %s", problem);
    }
    if (p->context)
        return fail_at(b, MARK_LINE(p->problem_mark), MARK_COL(p->problem_mark),
                       "YAML syntax error: %s %s (started at line %d, column %d)", problem, p->context,
                       MARK_LINE(p->context_mark), MARK_COL(p->context_mark));
    return fail_at(b, MARK_LINE(p->problem_mark), MARK_COL(p->problem_mark), "YAML syntax error: %s",
                   problem);
}

bool ytree_parse(arena *a, const char *file, const char *text, size_t len, ynode **root, diag *err) {
    *root = NULL;
    builder *b = arena_alloc(a, sizeof *b); /* the frame stack is too big for a small C stack */
    b->a = a;
    b->file = file;
    b->text = (const unsigned char *)text;
    b->len = len;
    b->err = err;
    /* libyaml would decode UTF-16 after a BOM, but our byte positions assume UTF-8 */
    if (len >= 2 &&
        ((b->text[0] == 0xFE && b->text[1] == 0xFF) || (b->text[0] == 0xFF && b->text[1] == 0xFE)))
        return fail_at(b, 1, 1, "YAML input must be UTF-8 (found a UTF-16 byte order mark)");

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return fail_at(b, 0, 0, "out of memory while parsing YAML");
    yaml_parser_set_input_string(&parser, b->text, len);
    bool ok = true, done = false;
    while (ok && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            ok = parser_error(b, &parser);
            break;
        }
        ok = on_event(b, &ev, &done);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (ok) *root = b->root;
    return ok;
}
