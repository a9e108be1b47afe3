/* manifest: loads a suite manifest (YAML) into a plan_suite; see manifest.h for the contract
 * and the format. libyaml is only used through yaml_tree, which turns the file into a tree of
 * positioned nodes; this file walks that tree against the manifest schema, so that every
 * complaint names the offending key and its context (suite / operator 'X' / variant 'Y' of
 * operator 'X' / tensor 'x' of ... / launch step N of ...) at its file:line:col.
 *
 * Lenient on purpose: an optional collection written as an empty value (`params:`) counts as
 * absent. Strict on purpose: names used in expressions (sizes, params, tensors, temps,
 * constexprs, kernel arguments) must be Python identifiers; suite, operator and variant names
 * may only hold letters, digits, '_', '-' and '.' (they end up in file names and CSV cells);
 * sizes, params and tensors of an operator share one namespace; call bindings must name a
 * tensor or size of the operator (that is all a call may rebind).
 *
 * Beyond the documented format, tensor specs accept `values: [numbers...]` (plan_tensor.values:
 * explicit contents of an input or inout tensor, for tests and replays).
 *
 * The tree, context strings and lookup tables live in a scratch arena freed before returning;
 * the suite and everything it points to live in the caller's arena. */
#include "bench/manifest.h"
#include "lift/config.h"
#include "bench/command.h"
#include "bench/yaml_tree.h"
#include "util/file.h"
#include "util/hash.h"
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

typedef struct loader {
    arena *out;       /* the caller's arena: the suite */
    arena *tmp;       /* scratch: tree, messages' contexts, tables */
    const char *file; /* manifest path as given (in out) */
    diag *err;
    const char *source_root; /* resolved directory (relative to the working directory if relative) */
    const char *root_origin; /* the environment variable that set source_root, or NULL */
    bool root_is_manifest_dir; /* no source_root key or override: sources join like path_join_dir */
    manifest_harness *harness; /* non-NULL: also load the harness keys (defaults, tools, limits) */
} loader;

/* ---- errors ---- */

static bool fail_at(loader *L, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool fail_at(loader *L, int line, int col, const char *fmt, ...) {
    char message[sizeof L->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    diag_set(L->err, DIAG_ERROR, L->file, line, col, "%s", message);
    return false;
}

#define FAIL(L, node, ...) fail_at((L), (node)->line, (node)->col, __VA_ARGS__)

static const char *ctx_printf(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *ctx_printf(loader *L, const char *fmt, ...) {
    char text[sizeof L->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return arena_strdup(L->tmp, text);
}

/* ---- names ---- */

static const char *const python_keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
    "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
};

static bool is_identifier(const char *s) {
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) return false;
    for (const char *p = s; *p; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    for (size_t i = 0; i < sizeof python_keywords / sizeof python_keywords[0]; i++)
        if (!strcmp(s, python_keywords[i])) return false;
    return true;
}

static bool is_simple_name(const char *s) {
    if (!*s) return false;
    for (const char *p = s; *p; p++)
        if (!(*p == '_' || *p == '-' || *p == '.' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

/* A set of names with where they were defined and what they are, for uniqueness checks and
 * lookups that stay linear in the manifest's size. */
typedef struct name_entry {
    const char *name;
    const char *what; /* "size", "param", "tensor", "operator", "variant" */
    int index;
    int line, col;
} name_entry;

typedef struct name_table {
    name_entry *slots;
    size_t cap, count;
} name_table;

static name_entry *names_slot(const name_table *t, const char *name) {
    size_t mask = t->cap - 1, i = hash_bytes(name, strlen(name)) & mask;
    while (t->slots[i].name && strcmp(t->slots[i].name, name)) i = (i + 1) & mask;
    return &t->slots[i];
}

static const name_entry *names_find(const name_table *t, const char *name) {
    if (!t->cap) return NULL;
    const name_entry *e = names_slot(t, name);
    return e->name ? e : NULL;
}

/* Adds name; returns the existing entry instead when the name is already there. */
static const name_entry *names_add(loader *L, name_table *t, const char *name, const char *what, int index,
                                   const ynode *at) {
    const name_entry *existing = names_find(t, name);
    if (existing) return existing;
    if (2 * (t->count + 1) > t->cap) {
        name_entry *old = t->slots;
        size_t old_cap = t->cap;
        t->cap = old_cap ? 2 * old_cap : 16;
        t->slots = arena_alloc(L->tmp, t->cap * sizeof *t->slots);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].name) *names_slot(t, old[i].name) = old[i];
    }
    *names_slot(t, name) = (name_entry){name, what, index, at->line, at->col};
    t->count++;
    return NULL;
}

/* ---- mappings ---- */

static const ynode *lookup(const ynode *map, const char *key, const ynode **key_node) {
    for (int i = 0; i < map->n; i++) {
        const ynode *k = map->pairs[i].key;
        if (k->kind == YNODE_SCALAR && !strcmp(k->text, key)) {
            if (key_node) *key_node = k;
            return map->pairs[i].value;
        }
    }
    return NULL;
}

static bool present(const ynode *map, const char *key) { return lookup(map, key, NULL) != NULL; }

/* Of two keys of one mapping, the one written second (where a conflict is reported). */
static const ynode *later_of(const ynode *a, const ynode *b) {
    return a->line > b->line || (a->line == b->line && a->col > b->col) ? a : b;
}

/* Levenshtein distance, for "did you mean"; long strings are simply "far". */
static int edit_distance(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    if (n > 40 || m > 40) return 99;
    int row[41];
    for (size_t j = 0; j <= m; j++) row[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        int diagonal = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int up = row[j];
            int best = diagonal + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diagonal = up;
        }
    }
    return row[m];
}

static void join_names(char *out, size_t size, const char *const *names) {
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; names[i] && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "", names[i]);
}

/* Every key of map must be one of allowed (NULL-terminated). */
static bool check_keys(loader *L, const ynode *map, const char *ctx, const char *const *allowed) {
    for (int i = 0; i < map->n; i++) {
        const ynode *k = map->pairs[i].key;
        if (k->kind != YNODE_SCALAR || k->type == YSCALAR_NULL)
            return FAIL(L, k, "keys in %s must be names, not %s", ctx, ynode_describe(k));
        bool known = false;
        for (int j = 0; allowed[j] && !known; j++) known = !strcmp(k->text, allowed[j]);
        if (known) continue;
        if (!strcmp(k->text, "<<"))
            return FAIL(L, k, "YAML merge keys ('<<') are not supported (in %s); write the keys out", ctx);
        char expected[256];
        join_names(expected, sizeof expected, allowed);
        const char *suggestion = NULL;
        int best = 3;
        for (int j = 0; allowed[j]; j++) {
            int d = edit_distance(k->text, allowed[j]);
            if (d < best && d < (int)strlen(allowed[j])) {
                best = d;
                suggestion = allowed[j];
            }
        }
        if (suggestion)
            return FAIL(L, k, "unknown key '%s' in %s (expected one of: %s); did you mean '%s'?", k->text,
                        ctx, expected, suggestion);
        return FAIL(L, k, "unknown key '%s' in %s (expected one of: %s)", k->text, ctx, expected);
    }
    return true;
}

static const ynode *require(loader *L, const ynode *map, const char *key, const char *ctx) {
    const ynode *v = lookup(map, key, NULL);
    if (!v) FAIL(L, map, "missing required key '%s' in %s", key, ctx);
    return v;
}

static const char *key_what(loader *L, const char *key, const char *ctx) {
    return ctx_printf(L, "key '%s' in %s", key, ctx);
}

/* ---- values ---- */

static bool is_null(const ynode *v) { return v->kind == YNODE_SCALAR && v->type == YSCALAR_NULL; }

static bool expect_kind(loader *L, const ynode *v, ynode_kind kind, const char *what) {
    if (v->kind == kind) return true;
    return FAIL(L, v, "%s must be a %s, not %s", what, kind == YNODE_MAPPING ? "mapping" : "sequence",
                ynode_describe(v));
}

/* An optional collection: absent or an empty value yields NULL without error. */
static bool optional_collection(loader *L, const ynode *map, const char *key, const char *ctx,
                                ynode_kind kind, const ynode **out) {
    const ynode *v = lookup(map, key, NULL);
    *out = NULL;
    if (!v || is_null(v)) return true;
    if (!expect_kind(L, v, kind, key_what(L, key, ctx))) return false;
    *out = v;
    return true;
}

static bool as_string(loader *L, const ynode *v, const char *what, const char **out) {
    if (v->kind != YNODE_SCALAR || v->type == YSCALAR_NULL)
        return FAIL(L, v, "%s must be a string, not %s", what, ynode_describe(v));
    if (v->len == 0) return FAIL(L, v, "%s must not be empty", what);
    if (strlen(v->text) != v->len) return FAIL(L, v, "%s must not contain a NUL character", what);
    *out = arena_strdup(L->out, v->text);
    return true;
}

static bool as_simple_name(loader *L, const ynode *v, const char *what, const char **out) {
    if (!as_string(L, v, what, out)) return false;
    if (!is_simple_name(*out))
        return FAIL(L, v, "%s ('%s') may only contain letters, digits, '_', '-' and '.'", what, *out);
    return true;
}

/* A mapping key that names something used in expressions: "size name 'M-1' in operator 'x'". */
static bool as_identifier(loader *L, const ynode *k, const char *kind, const char *ctx, const char **out) {
    if (k->kind != YNODE_SCALAR || k->type == YSCALAR_NULL || !is_identifier(k->text) ||
        strlen(k->text) != k->len)
        return FAIL(L, k, "%s name '%s' in %s is not a valid Python identifier", kind,
                    k->kind == YNODE_SCALAR ? k->text : ynode_describe(k), ctx);
    *out = arena_strdup(L->out, k->text);
    return true;
}

static bool as_expr(loader *L, const ynode *v, const char *what, plan_expr *e) {
    if (v->kind != YNODE_SCALAR || v->type == YSCALAR_NULL)
        return FAIL(L, v, "%s must be an expression (a string or a number), not %s", what, ynode_describe(v));
    const char *text = v->text;
    if (v->type == YSCALAR_BOOL) text = (text[0] == 't' || text[0] == 'T') ? "True" : "False";
    if (strspn(text, " \t\r\n") == v->len) return FAIL(L, v, "%s must not be an empty expression", what);
    if (strlen(text) != v->len && v->type != YSCALAR_BOOL)
        return FAIL(L, v, "%s must not contain a NUL character", what);
    e->text = arena_strdup(L->out, text);
    e->file = L->file;
    e->line = v->text_line;
    e->col = v->text_col;
    return true;
}

static bool as_positive_int(loader *L, const ynode *v, const char *what, int64_t *out) {
    if (v->kind != YNODE_SCALAR || v->type != YSCALAR_INT)
        return FAIL(L, v, "%s must be a positive integer, not %s", what, ynode_describe(v));
    if (!ynode_int64(v, out)) return FAIL(L, v, "%s must be a positive integer that fits in 64 bits", what);
    if (*out <= 0) return FAIL(L, v, "%s must be a positive integer, not %s", what, v->text);
    return true;
}

static bool as_number(loader *L, const ynode *v, const char *what, double *out) {
    if (v->kind != YNODE_SCALAR || !ynode_number(v, out))
        return FAIL(L, v, "%s must be a number, not %s", what, ynode_describe(v));
    return true;
}

static bool as_bool(loader *L, const ynode *v, const char *what, bool *out) {
    if (v->kind != YNODE_SCALAR || v->type != YSCALAR_BOOL)
        return FAIL(L, v, "%s must be a boolean (true or false), not %s", what, ynode_describe(v));
    *out = v->text[0] == 't' || v->text[0] == 'T';
    return true;
}

/* The value of key 'dtype' in ctx. */
static bool as_dtype(loader *L, const ynode *v, const char *ctx, elem_dtype *out) {
    const char *name;
    if (!as_string(L, v, key_what(L, "dtype", ctx), &name)) return false;
    if (elem_dtype_parse(name, out)) return true;
    char allowed[256];
    size_t used = 0;
    for (int t = DT_FLOAT32; t <= DT_BOOL && used < sizeof allowed; t++)
        used += (size_t)snprintf(allowed + used, sizeof allowed - used, "%s%s", t ? ", " : "",
                                 elem_dtype_name((elem_dtype)t));
    return FAIL(L, v, "unknown dtype '%s' for %s (expected one of: %s)", name, ctx, allowed);
}

/* Optional scalar keys: *out untouched when the key is absent. */
static bool optional_expr(loader *L, const ynode *map, const char *key, const char *ctx, plan_expr *out) {
    const ynode *v = lookup(map, key, NULL);
    return !v || as_expr(L, v, key_what(L, key, ctx), out);
}

static bool required_string(loader *L, const ynode *map, const char *key, const char *ctx, const char **out) {
    const ynode *v = require(L, map, key, ctx);
    return v && as_string(L, v, key_what(L, key, ctx), out);
}

/* A sequence of expressions (grid entries, shape, strides, preconditions). */
static bool expr_list(loader *L, const ynode *seq, const char *key, const char *ctx, plan_expr *out) {
    for (int i = 0; i < seq->n; i++)
        if (!as_expr(L, seq->items[i], ctx_printf(L, "entry %d of '%s' in %s", i + 1, key, ctx), &out[i]))
            return false;
    return true;
}

/* ---- files ---- */

static const char *absolute(loader *L, const char *path) {
    if (path[0] == '/') return path;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return path;
    return arena_printf(L->tmp, "%s/%s", cwd, path);
}

static bool resolve_source(loader *L, const ynode *at, const char *rel, const char **out) {
    const char *path;
    if (rel[0] == '/') path = arena_strdup(L->out, rel);
    else if (L->root_is_manifest_dir) path = path_join_dir(L->out, L->file, rel);   /* no "./" */
    else path = arena_printf(L->out, "%s/%s", L->source_root, rel);
    const char *note =
        L->root_origin ? ctx_printf(L, "; the source root comes from $%s", L->root_origin) : "";
    struct stat st;
    if (stat(path, &st) != 0)
        return FAIL(L, at, "source file '%s' not found (looked in %s%s)", rel, absolute(L, path), note);
    if (!S_ISREG(st.st_mode))
        return FAIL(L, at, "source '%s' is not a regular file (%s%s)", rel, absolute(L, path), note);
    *out = path;
    return true;
}

/* source_root: $VLIFT_SOURCE_ROOT_<SUITE> as given, else the `source_root` key joined to the
 * manifest's directory, else that directory. Paths stay as written — relative ones are relative
 * to the working directory, like the manifest's own path — so that messages and CSV cells read
 * like the command line; only "looked in" messages show absolute paths. */
static bool resolve_source_root(loader *L, plan_suite *s, const ynode *suite_node, const ynode *root_node) {
    char *var = arena_printf(L->tmp, "VLIFT_SOURCE_ROOT_%s", s->name);
    for (char *p = var + strlen("VLIFT_SOURCE_ROOT_"); *p; p++) {
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        else if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) *p = '_';
    }
    const char *env = getenv(var), *text = NULL;
    char *dir;
    const ynode *at = suite_node;
    if (env && *env) {
        dir = arena_strdup(L->out, env);
        L->root_origin = var;
    } else if (root_node) {
        if (!as_string(L, root_node, "key 'source_root' in suite", &text)) return false;
        dir = path_join_dir(L->out, L->file, text);
        at = root_node;
    } else {
        const char *slash = strrchr(L->file, '/');
        dir = !slash ? arena_strdup(L->out, ".")
                     : arena_strndup(L->out, L->file, slash == L->file ? 1 : (size_t)(slash - L->file));
        L->root_is_manifest_dir = true;
    }
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--) dir[n - 1] = 0;   /* "kernels/" */
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (L->root_origin)
            return FAIL(L, at, "source root directory '%s' from $%s not found (looked in %s)", env, var,
                        absolute(L, dir));
        return FAIL(L, at, "source_root directory '%s' not found (looked in %s)", text ? text : ".",
                    absolute(L, dir));
    }
    s->source_root = L->source_root = dir;
    return true;
}

/* ---- tensors, sizes, params ---- */

static const char *const tensor_keys[] = {"shape", "role", "dtype", "strides", "range", "values", NULL};
static const char *const temp_keys[] = {"shape", "dtype", "strides", "range", NULL};
static const char *const param_keys[] = {"value", "dtype", "symbolic", NULL};

static bool load_tensor(loader *L, const ynode *spec, const char *ctx, bool temp, plan_tensor *t) {
    t->line = spec->line;
    t->col = spec->col;
    t->lo = -1;
    t->hi = 1;
    t->dtype = DT_FLOAT32;
    t->role = ROLE_TEMP;
    if (spec->kind != YNODE_MAPPING)
        return FAIL(L, spec, "%s must be a mapping with keys %s, not %s", ctx,
                    temp ? "shape, dtype, strides, range" : "shape, role, dtype, strides, range, values",
                    ynode_describe(spec));
    const ynode *role_key = NULL;
    if (temp && lookup(spec, "role", &role_key))
        return FAIL(L, role_key, "%s must not have a 'role' (temps are always temporary buffers)", ctx);
    if (!check_keys(L, spec, ctx, temp ? temp_keys : tensor_keys)) return false;

    const ynode *shape = require(L, spec, "shape", ctx);
    if (!shape || !expect_kind(L, shape, YNODE_SEQUENCE, key_what(L, "shape", ctx))) return false;
    if (shape->n > PLAN_MAX_RANK)
        return FAIL(L, shape, "'shape' of %s has %d dimensions; at most %d are supported", ctx, shape->n,
                    PLAN_MAX_RANK);
    t->rank = shape->n;
    if (!expr_list(L, shape, "shape", ctx, t->shape)) return false;

    if (!temp) {
        const char *role;
        const ynode *v = require(L, spec, "role", ctx);
        if (!v || !as_string(L, v, key_what(L, "role", ctx), &role)) return false;
        if (!strcmp(role, "input"))
            t->role = ROLE_INPUT;
        else if (!strcmp(role, "output"))
            t->role = ROLE_OUTPUT;
        else if (!strcmp(role, "inout"))
            t->role = ROLE_INOUT;
        else
            return FAIL(L, v, "unknown role '%s' for %s (expected one of: input, output, inout)", role, ctx);
    }
    const ynode *v = lookup(spec, "dtype", NULL);
    if (v && !as_dtype(L, v, ctx, &t->dtype)) return false;

    if ((v = lookup(spec, "strides", NULL))) {
        if (!expect_kind(L, v, YNODE_SEQUENCE, key_what(L, "strides", ctx))) return false;
        if (v->n != t->rank)
            return FAIL(L, v, "'strides' of %s has %d entries but 'shape' has %d", ctx, v->n, t->rank);
        if (!expr_list(L, v, "strides", ctx, t->strides)) return false;
    }
    if ((v = lookup(spec, "range", NULL))) {
        const char *what = key_what(L, "range", ctx);
        if (v->kind != YNODE_SEQUENCE || v->n != 2)
            return FAIL(L, v, "%s must be a sequence [lo, hi] of two numbers", what);
        if (!as_number(L, v->items[0], ctx_printf(L, "the low end of %s", what), &t->lo) ||
            !as_number(L, v->items[1], ctx_printf(L, "the high end of %s", what), &t->hi))
            return false;
        if (!isfinite(t->lo) || !isfinite(t->hi) || t->lo > t->hi)
            return FAIL(L, v, "%s must be [lo, hi] with finite lo <= hi", what);
    }
    /* explicit input values (tests, replays); their count is checked against the shape at run
     * time, when the sizes are known */
    const ynode *values_key = NULL;
    if ((v = lookup(spec, "values", &values_key))) {
        const char *what = key_what(L, "values", ctx);
        if (t->role != ROLE_INPUT && t->role != ROLE_INOUT)
            return FAIL(L, values_key, "%s: only input and inout tensors can have 'values'", ctx);
        if (!expect_kind(L, v, YNODE_SEQUENCE, what)) return false;
        if (v->n == 0) return FAIL(L, v, "%s must not be empty", what);
        double *values = arena_alloc(L->out, (size_t)v->n * sizeof *values);
        for (int i = 0; i < v->n; i++)
            if (!as_number(L, v->items[i], ctx_printf(L, "entry %d of %s", i + 1, what), &values[i]))
                return false;
        t->values = values;
        t->n_values = v->n;
    }
    return true;
}

static bool load_param(loader *L, const ynode *key, const ynode *v, const char *ctx, plan_param *p) {
    p->line = key->line;
    p->col = key->col;
    if (v->kind == YNODE_SCALAR) {
        if (!ynode_number(v, &p->value))
            return FAIL(L, v, "%s must be a number or a mapping with keys value, dtype, symbolic; not %s",
                        ctx, ynode_describe(v));
        p->dtype = v->type == YSCALAR_INT ? DT_INT64 : DT_FLOAT32;
        p->symbolic = v->type != YSCALAR_INT;
        return true;
    }
    if (v->kind != YNODE_MAPPING)
        return FAIL(L, v, "%s must be a number or a mapping with keys value, dtype, symbolic; not %s", ctx,
                    ynode_describe(v));
    p->line = v->line;
    p->col = v->col;
    if (!check_keys(L, v, ctx, param_keys)) return false;
    const ynode *value = require(L, v, "value", ctx);
    if (!value || !as_number(L, value, key_what(L, "value", ctx), &p->value)) return false;
    p->dtype = value->type == YSCALAR_INT ? DT_INT64 : DT_FLOAT32;
    const ynode *dtype = lookup(v, "dtype", NULL);
    if (dtype && !as_dtype(L, dtype, ctx, &p->dtype)) return false;
    if (!elem_dtype_is_float(p->dtype) && (!isfinite(p->value) || p->value != floor(p->value)))
        return FAIL(L, value, "key 'value' in %s must be an integer for dtype %s", ctx,
                    elem_dtype_name(p->dtype));
    if (p->dtype == DT_BOOL && p->value != 0 && p->value != 1)
        return FAIL(L, value, "key 'value' in %s must be 0 or 1 for dtype bool", ctx);
    p->symbolic = elem_dtype_is_float(p->dtype);
    const ynode *symbolic = lookup(v, "symbolic", NULL);
    return !symbolic || as_bool(L, symbolic, key_what(L, "symbolic", ctx), &p->symbolic);
}

/* ---- variants and steps ---- */

/* A call step whose variant name is checked once all variants of the operator are loaded. */
typedef struct pending_call {
    plan_step *step;
    const ynode *at;
    const char *ctx;
    struct pending_call *next;
} pending_call;

typedef struct op_loader {
    loader *L;
    plan_op *op;
    const char *ctx;  /* "operator 'softmax'" */
    name_table scope; /* sizes, params and tensors of the operator */
    name_table variant_names;
    pending_call *calls;
} op_loader;

static const char *const launch_keys[] = {"kernel", "source", "grid", "args", "when", NULL};
static const char *const call_keys[] = {"call", "bind", "when", NULL};

static bool load_bindings(loader *L, const ynode *map, const char *what, const char *ctx, plan_binding **out,
                          int *n_out) {
    *out = arena_alloc(L->out, (size_t)map->n * sizeof **out);
    *n_out = map->n;
    for (int i = 0; i < map->n; i++) {
        const ypair *pair = &map->pairs[i];
        plan_binding *b = &(*out)[i];
        if (!as_identifier(L, pair->key, what, ctx, &b->name) ||
            !as_expr(L, pair->value, ctx_printf(L, "%s '%s' in %s", what, b->name, ctx), &b->value))
            return false;
    }
    return true;
}

static bool load_step(op_loader *O, const ynode *map, const char *ctx, plan_step *step) {
    loader *L = O->L;
    step->line = map->line;
    step->col = map->col;
    if (map->kind != YNODE_MAPPING)
        return FAIL(L, map,
                    "%s must be a mapping with 'kernel' (a launch) or 'call' (a variant call), not %s", ctx,
                    ynode_describe(map));
    const ynode *kernel_key = NULL, *call_key = NULL;
    const ynode *kernel = lookup(map, "kernel", &kernel_key), *call = lookup(map, "call", &call_key);
    if (kernel && call) {
        return FAIL(L, later_of(kernel_key, call_key),
                    "%s has both 'kernel' and 'call' (a step either launches a kernel or calls a variant)",
                    ctx);
    }
    if (!check_keys(L, map, ctx, call ? call_keys : launch_keys)) return false;
    if (!call && !kernel) return FAIL(L, map, "missing required key 'kernel' (or 'call') in %s", ctx);
    if (!optional_expr(L, map, "when", ctx, &step->when)) return false;

    if (call) {
        step->kind = STEP_CALL;
        if (!as_simple_name(L, call, key_what(L, "call", ctx), &step->variant)) return false;
        pending_call *p = arena_alloc(L->tmp, sizeof *p);
        *p = (pending_call){step, call, ctx, O->calls};
        O->calls = p;
        const ynode *bind;
        if (!optional_collection(L, map, "bind", ctx, YNODE_MAPPING, &bind)) return false;
        if (!bind) return true;
        if (!load_bindings(L, bind, "binding", ctx, &step->bind, &step->n_bind)) return false;
        for (int i = 0; i < bind->n; i++) {
            const name_entry *e = names_find(&O->scope, step->bind[i].name);
            if (!e || !strcmp(e->what, "param"))
                return FAIL(L, bind->pairs[i].key, "binding '%s' in %s does not name a tensor or size of %s",
                            step->bind[i].name, ctx, O->ctx);
        }
        return true;
    }
    step->kind = STEP_LAUNCH;
    if (!as_string(L, kernel, key_what(L, "kernel", ctx), &step->kernel)) return false;
    if (!is_identifier(step->kernel))
        return FAIL(L, kernel, "key 'kernel' in %s ('%s') is not a valid Python identifier", ctx,
                    step->kernel);
    const ynode *source = lookup(map, "source", NULL);
    const char *rel;
    if (source && (!as_string(L, source, key_what(L, "source", ctx), &rel) ||
                   !resolve_source(L, source, rel, &step->source)))
        return false;
    const ynode *grid = require(L, map, "grid", ctx);
    if (!grid) return false;
    if (grid->kind == YNODE_SEQUENCE) {
        if (grid->n < 1 || grid->n > 3)
            return FAIL(L, grid, "key 'grid' in %s must have 1 to 3 entries, not %d", ctx, grid->n);
        step->grid_rank = grid->n;
        if (!expr_list(L, grid, "grid", ctx, step->grid)) return false;
    } else {
        step->grid_rank = 1;
        if (!as_expr(L, grid, key_what(L, "grid", ctx), &step->grid[0])) return false;
    }
    const ynode *args;
    if (!optional_collection(L, map, "args", ctx, YNODE_MAPPING, &args)) return false;
    return !args || load_bindings(L, args, "argument", ctx, &step->args, &step->n_args);
}

/* The variant keys of map (a variant, or the operator itself in the single-variant form). */
static bool load_variant_body(op_loader *O, const ynode *map, const char *ctx, plan_variant *v) {
    loader *L = O->L;
    const ynode *c;
    if (!optional_collection(L, map, "constexprs", ctx, YNODE_MAPPING, &c)) return false;
    if (c && !load_bindings(L, c, "constexpr", ctx, &v->constexprs, &v->n_constexprs)) return false;

    if (!optional_collection(L, map, "preconditions", ctx, YNODE_SEQUENCE, &c)) return false;
    if (c) {
        v->n_preconditions = c->n;
        v->preconditions = arena_alloc(L->out, (size_t)c->n * sizeof *v->preconditions);
        if (!expr_list(L, c, "preconditions", ctx, v->preconditions)) return false;
    }

    if (!optional_collection(L, map, "temps", ctx, YNODE_MAPPING, &c)) return false;
    if (c) {
        v->n_temps = c->n;
        v->temps = arena_alloc(L->out, (size_t)c->n * sizeof *v->temps);
        for (int i = 0; i < c->n; i++) {
            plan_tensor *t = &v->temps[i];
            const ynode *key = c->pairs[i].key;
            if (!as_identifier(L, key, "temp", ctx, &t->name)) return false;
            const name_entry *clash = names_find(&O->scope, t->name);
            if (clash)
                return FAIL(L, key, "temp '%s' in %s has the name of a %s of %s (line %d)", t->name, ctx,
                            clash->what, O->ctx, clash->line);
            if (!load_tensor(L, c->pairs[i].value, ctx_printf(L, "temp '%s' of %s", t->name, ctx), true, t))
                return false;
        }
    }

    const ynode *launches = require(L, map, "launches", ctx);
    if (!launches || !expect_kind(L, launches, YNODE_SEQUENCE, key_what(L, "launches", ctx))) return false;
    if (launches->n == 0) return FAIL(L, launches, "key 'launches' in %s must not be empty", ctx);
    v->n_steps = launches->n;
    v->steps = arena_alloc(L->out, (size_t)launches->n * sizeof *v->steps);
    for (int i = 0; i < launches->n; i++)
        if (!load_step(O, launches->items[i], ctx_printf(L, "launch step %d of %s", i + 1, ctx),
                       &v->steps[i]))
            return false;
    return true;
}

static const char *const variant_keys[] = {"name",  "description", "constexprs", "preconditions",
                                           "temps", "launches",    NULL};
static const char *const variant_only_keys[] = {"constexprs", "preconditions", "temps", "launches", NULL};

static bool load_variants(op_loader *O, const ynode *op_map) {
    loader *L = O->L;
    plan_op *op = O->op;
    const ynode *variants_key = NULL;
    const ynode *variants = lookup(op_map, "variants", &variants_key);
    if (!variants) {
        /* the single-variant form: the operator itself carries the variant keys */
        if (!present(op_map, "launches"))
            return FAIL(L, op_map, "missing required key 'launches' (or 'variants') in %s", O->ctx);
        op->n_variants = 1;
        op->variants = arena_alloc(L->out, sizeof *op->variants);
        op->variants[0].name = "default";
        op->variants[0].line = op_map->line;
        op->variants[0].col = op_map->col;
        names_add(L, &O->variant_names, "default", "variant", 0, op_map);
        return load_variant_body(O, op_map, O->ctx, &op->variants[0]);
    }
    for (int i = 0; variant_only_keys[i]; i++) {
        const ynode *key = NULL;
        if (lookup(op_map, variant_only_keys[i], &key))
            return FAIL(L, later_of(key, variants_key),
                        "%s has both 'variants' and '%s'; move '%s' into its variants", O->ctx,
                        variant_only_keys[i], variant_only_keys[i]);
    }
    if (!expect_kind(L, variants, YNODE_SEQUENCE, key_what(L, "variants", O->ctx))) return false;
    if (variants->n == 0) return FAIL(L, variants, "key 'variants' in %s must not be empty", O->ctx);
    op->n_variants = variants->n;
    op->variants = arena_alloc(L->out, (size_t)variants->n * sizeof *op->variants);
    for (int i = 0; i < variants->n; i++) {
        const ynode *map = variants->items[i];
        plan_variant *v = &op->variants[i];
        if (map->kind != YNODE_MAPPING)
            return FAIL(L, map, "variant %d of %s must be a mapping, not %s", i + 1, O->ctx,
                        ynode_describe(map));
        v->line = map->line;
        v->col = map->col;
        const ynode *name = lookup(map, "name", NULL);
        const char *ctx = name && name->kind == YNODE_SCALAR && name->len
                              ? ctx_printf(L, "variant '%s' of %s", name->text, O->ctx)
                              : ctx_printf(L, "variant %d of %s", i + 1, O->ctx);
        if (!check_keys(L, map, ctx, variant_keys)) return false;
        if (!(name = require(L, map, "name", ctx)) ||
            !as_simple_name(L, name, key_what(L, "name", ctx), &v->name))
            return false;
        const name_entry *first = names_add(L, &O->variant_names, v->name, "variant", i, name);
        if (first)
            return FAIL(L, name, "duplicate variant name '%s' in %s (first at line %d)", v->name, O->ctx,
                        first->line);
        if (!load_variant_body(O, map, ctx, v)) return false;
    }
    return true;
}

static bool resolve_calls(op_loader *O) {
    for (const pending_call *p = O->calls; p; p = p->next) {
        if (names_find(&O->variant_names, p->step->variant)) continue;
        char known[256];
        size_t used = 0;
        known[0] = 0;
        for (int i = 0; i < O->op->n_variants && used < sizeof known; i++)
            used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
                                     O->op->variants[i].name);
        return FAIL(O->L, p->at, "unknown variant '%s' called in %s (the variants of %s are: %s)",
                    p->step->variant, p->ctx, O->ctx, known);
    }
    return true;
}

/* ---- operators ---- */

static const char *const op_keys[] = {"name",       "category",      "source",  "sources",  "description",
                                      "sizes",      "params",        "tensors", "expected", "variants",
                                      "constexprs", "preconditions", "temps",   "launches", "check_sizes",
                                      "limits",     "reps",          NULL};

static bool load_sources(loader *L, const ynode *map, const char *ctx, plan_op *op) {
    const ynode *source_key = NULL, *sources_key = NULL;
    const ynode *source = lookup(map, "source", &source_key), *sources = lookup(map, "sources", &sources_key);
    if (source && sources) {
        return FAIL(L, later_of(source_key, sources_key),
                    "%s has both 'source' and 'sources' (use one of them)", ctx);
    }
    if (!source && !sources) return FAIL(L, map, "missing required key 'source' (or 'sources') in %s", ctx);
    if (source) {
        const char *rel;
        op->n_sources = 1;
        op->sources = arena_alloc(L->out, sizeof *op->sources);
        return as_string(L, source, key_what(L, "source", ctx), &rel) &&
               resolve_source(L, source, rel, &op->sources[0]);
    }
    if (!expect_kind(L, sources, YNODE_SEQUENCE, key_what(L, "sources", ctx))) return false;
    if (sources->n == 0) return FAIL(L, sources, "key 'sources' in %s must not be empty", ctx);
    op->n_sources = sources->n;
    op->sources = arena_alloc(L->out, (size_t)sources->n * sizeof *op->sources);
    for (int i = 0; i < sources->n; i++) {
        const char *rel;
        const ynode *item = sources->items[i];
        if (!as_string(L, item, ctx_printf(L, "entry %d of 'sources' in %s", i + 1, ctx), &rel) ||
            !resolve_source(L, item, rel, &op->sources[i]))
            return false;
    }
    return true;
}

/* Adds a size, param or tensor name to the operator's namespace. */
static bool define_name(op_loader *O, const ynode *key, const char *name, const char *what, int index) {
    const name_entry *first = names_add(O->L, &O->scope, name, what, index, key);
    if (!first) return true;
    return FAIL(O->L, key,
                "%s '%s' of %s has the name of a %s (line %d); sizes, params and tensors need distinct names",
                what, name, O->ctx, first->what, first->line);
}

/* check_sizes: {N: [1, 7, 37], ...} — each key a size of the operator, each value a non-empty
 * sequence of positive integers. */
static bool load_check_sizes(loader *L, const ynode *map, const char *ctx, plan_op *op) {
    const ynode *cs;
    if (!optional_collection(L, map, "check_sizes", ctx, YNODE_MAPPING, &cs)) return false;
    if (!cs) return true;
    op->n_check_sizes = cs->n;
    op->check_sizes = arena_alloc(L->out, (size_t)cs->n * sizeof *op->check_sizes);
    for (int i = 0; i < cs->n; i++) {
        plan_check_size *c = &op->check_sizes[i];
        const ynode *key = cs->pairs[i].key, *list = cs->pairs[i].value;
        c->line = key->line;
        c->col = key->col;
        if (!as_identifier(L, key, "check size", ctx, &c->name)) return false;
        bool known = false;
        for (int k = 0; k < op->n_sizes; k++) known = known || strcmp(op->sizes[k].name, c->name) == 0;
        if (!known) return FAIL(L, key, "check_sizes of %s names '%s', which is not one of its sizes", ctx, c->name);
        const char *what = ctx_printf(L, "check_sizes '%s' of %s", c->name, ctx);
        if (!expect_kind(L, list, YNODE_SEQUENCE, what)) return false;
        if (list->n == 0) return FAIL(L, list, "%s must not be empty", what);
        int64_t *values = arena_alloc(L->out, (size_t)list->n * sizeof *values);
        for (int k = 0; k < list->n; k++)
            if (!as_positive_int(L, list->items[k], what, &values[k])) return false;
        c->values = values;
        c->n_values = list->n;
    }
    return true;
}

static bool load_op(loader *L, const ynode *map, int index, plan_op *op, name_table *op_names) {
    op->manifest = L->file;
    op->line = map->line;
    op->col = map->col;
    const ynode *name = lookup(map, "name", NULL);
    op_loader O = {.L = L, .op = op};
    O.ctx = name && name->kind == YNODE_SCALAR && name->len ? ctx_printf(L, "operator '%s'", name->text)
                                                            : ctx_printf(L, "operator %d", index + 1);
    if (!check_keys(L, map, O.ctx, op_keys)) return false;
    if (!(name = require(L, map, "name", O.ctx)) ||
        !as_simple_name(L, name, key_what(L, "name", O.ctx), &op->name))
        return false;
    const name_entry *first = names_add(L, op_names, op->name, "operator", index, name);
    if (first) return FAIL(L, name, "duplicate operator name '%s' (first at line %d)", op->name, first->line);
    if (!required_string(L, map, "category", O.ctx, &op->category)) return false;
    if (!load_sources(L, map, O.ctx, op)) return false;

    const ynode *sizes = require(L, map, "sizes", O.ctx);
    if (!sizes || !expect_kind(L, sizes, YNODE_MAPPING, key_what(L, "sizes", O.ctx))) return false;
    op->n_sizes = sizes->n;
    op->sizes = arena_alloc(L->out, (size_t)sizes->n * sizeof *op->sizes);
    for (int i = 0; i < sizes->n; i++) {
        plan_size *s = &op->sizes[i];
        const ynode *key = sizes->pairs[i].key;
        s->line = key->line;
        s->col = key->col;
        if (!as_identifier(L, key, "size", O.ctx, &s->name) || !define_name(&O, key, s->name, "size", i) ||
            !as_positive_int(L, sizes->pairs[i].value, ctx_printf(L, "size '%s' of %s", s->name, O.ctx),
                             &s->value))
            return false;
    }

    const ynode *params;
    if (!optional_collection(L, map, "params", O.ctx, YNODE_MAPPING, &params)) return false;
    if (params) {
        op->n_params = params->n;
        op->params = arena_alloc(L->out, (size_t)params->n * sizeof *op->params);
        for (int i = 0; i < params->n; i++) {
            plan_param *p = &op->params[i];
            const ynode *key = params->pairs[i].key;
            if (!as_identifier(L, key, "param", O.ctx, &p->name) ||
                !define_name(&O, key, p->name, "param", i) ||
                !load_param(L, key, params->pairs[i].value, ctx_printf(L, "param '%s' of %s", p->name, O.ctx),
                            p))
                return false;
        }
    }

    const ynode *tensors = require(L, map, "tensors", O.ctx);
    if (!tensors || !expect_kind(L, tensors, YNODE_MAPPING, key_what(L, "tensors", O.ctx))) return false;
    op->n_tensors = tensors->n;
    op->tensors = arena_alloc(L->out, (size_t)tensors->n * sizeof *op->tensors);
    bool has_output = false;
    for (int i = 0; i < tensors->n; i++) {
        plan_tensor *t = &op->tensors[i];
        const ynode *key = tensors->pairs[i].key;
        if (!as_identifier(L, key, "tensor", O.ctx, &t->name) ||
            !define_name(&O, key, t->name, "tensor", i) ||
            !load_tensor(L, tensors->pairs[i].value, ctx_printf(L, "tensor '%s' of %s", t->name, O.ctx),
                         false, t))
            return false;
        has_output |= t->role == ROLE_OUTPUT || t->role == ROLE_INOUT;
    }
    if (!has_output) return FAIL(L, tensors, "%s has no tensor with role output or inout", O.ctx);

    if (!optional_expr(L, map, "expected", O.ctx, &op->expected)) return false;
    if (!load_check_sizes(L, map, O.ctx, op)) return false;
    return load_variants(&O, map) && resolve_calls(&O);
}

/* ---- the harness keys: defaults, tools, per-operator limits (see manifest.h, tools.h) ---- */

/* `limits:` of ctx into s. */
static bool load_limits(loader *L, const ynode *map, const char *ctx, job_settings *s) {
    const ynode *v;
    if (!optional_collection(L, map, "limits", ctx, YNODE_MAPPING, &v)) return false;
    if (!v) return true;
    const char *lctx = ctx_printf(L, "'limits' of %s", ctx);
    if (!check_keys(L, v, lctx, limit_keys)) return false;
    for (int i = 0; i < v->n; i++) {
        const char *key = v->pairs[i].key->text;
        const ynode *value = v->pairs[i].value;
        const char *what = ctx_printf(L, "limit '%s' in %s", key, ctx);
        if (!strcmp(key, "memory_mb")) {
            if (!as_positive_int(L, value, what, &s->memory_mb)) return false;
            continue;
        }
        double seconds;
        if (value->kind != YNODE_SCALAR || (value->type != YSCALAR_INT && value->type != YSCALAR_FLOAT) ||
            !ynode_number(value, &seconds) || !isfinite(seconds) || seconds <= 0)
            return FAIL(L, value, "%s must be a positive number of seconds, not %s", what,
                        value->kind == YNODE_SCALAR && value->type != YSCALAR_NULL ? value->text : ynode_describe(value));
        bench_stage st;
        if (stage_parse(key, &st)) s->stage_s[st] = seconds;
        else s->wall_s = seconds;
    }
    return true;
}

static bool load_reps(loader *L, const ynode *map, const char *ctx, job_settings *s) {
    const ynode *v = lookup(map, "reps", NULL);
    if (!v) return true;
    const char *what = key_what(L, "reps", ctx);
    int64_t reps;
    if (!as_positive_int(L, v, what, &reps)) return false;
    if (reps > 1000) return FAIL(L, v, "%s must be at most 1000, not %s", what, v->text);
    s->reps = (int)reps;
    return true;
}

static const char *const defaults_keys[] = {"limits", "reps", NULL};
static const char *const builtin_tool_keys[] = {"name", "builtin", "config", "limits", "reps", "description", NULL};
static const char *const external_tool_keys[] = {"name",   "command", "config",      "output",
                                                 "limits", "reps",    "description", NULL};
static const char *const output_keys[] = {"status_regex", "status_map", "formula_regex", "message_regex", NULL};

/* A POSIX extended regex, compiled once here so that a bad one is reported where it is written. */
static bool as_regex(loader *L, const ynode *v, const char *what, const char **out) {
    if (!as_string(L, v, what, out)) return false;
    regex_t re;
    int rc = regcomp(&re, *out, REG_EXTENDED | REG_NEWLINE);
    if (rc == 0) {
        regfree(&re);
        return true;
    }
    char why[200];
    regerror(rc, &re, why, sizeof why);
    return FAIL(L, v, "%s is not a valid POSIX extended regular expression: %s", what, why);
}

static bool load_output_rule(loader *L, const ynode *v, const char *ctx, tool_output *out) {
    const char *what = key_what(L, "output", ctx);
    if (v->kind == YNODE_SCALAR && v->type == YSCALAR_STRING && !strcmp(v->text, "json")) {
        out->json = true;
        return true;
    }
    if (v->kind != YNODE_MAPPING)
        return FAIL(L, v, "%s must be 'json' or a mapping with keys %s, not %s", what,
                    "status_regex, status_map, formula_regex, message_regex", ynode_describe(v));
    const char *octx = ctx_printf(L, "'output' of %s", ctx);
    if (!check_keys(L, v, octx, output_keys)) return false;
    const ynode *re = require(L, v, "status_regex", octx);
    if (!re || !as_regex(L, re, key_what(L, "status_regex", octx), &out->status_regex)) return false;
    const ynode *f = lookup(v, "formula_regex", NULL);
    if (f && !as_regex(L, f, key_what(L, "formula_regex", octx), &out->formula_regex)) return false;
    const ynode *m = lookup(v, "message_regex", NULL);
    if (m && !as_regex(L, m, key_what(L, "message_regex", octx), &out->message_regex)) return false;
    const ynode *map;
    if (!optional_collection(L, v, "status_map", octx, YNODE_MAPPING, &map)) return false;
    if (!map) return true;
    out->n_status_map = map->n;
    out->status_map = arena_alloc(L->out, (size_t)map->n * sizeof *out->status_map);
    for (int i = 0; i < map->n; i++) {
        const ynode *k = map->pairs[i].key, *val = map->pairs[i].value;
        tool_status_map *e = &out->status_map[i];
        const char *name;
        if (!as_string(L, k, ctx_printf(L, "a key of 'status_map' in %s", octx), &e->text) ||
            !as_string(L, val, ctx_printf(L, "status_map entry '%s' in %s", k->text, octx), &name))
            return false;
        if (!status_parse(name, &e->status)) {
            char known[256];
            size_t used = 0;
            for (int st = 0; st < N_STATUSES && used < sizeof known; st++)
                used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", st ? ", " : "",
                                         status_name((job_status)st));
            return FAIL(L, val, "unknown status '%s' in status_map entry '%s' of %s (expected one of: %s)", name,
                        e->text, octx, known);
        }
    }
    return true;
}

/* The command template: split into words now, so that quoting and placeholder errors point into
 * the string (exactly for a one-line plain or quoted scalar without escapes before the error). */
static bool load_command(loader *L, const ynode *v, const char *ctx, bench_tool *t) {
    const char *text;
    if (!as_string(L, v, key_what(L, "command", ctx), &text)) return false;
    size_t offset = 0;
    char why[300];
    const char **words;
    if (command_split(L->out, text, &words, &t->n_command, &offset, why, sizeof why)) {
        t->command = words;
        return true;
    }
    int line = v->text_line, col = v->text_col;
    if (v->style != YSTYLE_BLOCK && !memchr(text, '\n', offset)) col += (int)offset;
    return fail_at(L, line, col, "%s: %s", key_what(L, "command", ctx), why);
}

static bool load_tool(loader *L, const ynode *item, int index, manifest_harness *h, int *n_tools) {
    const char *ctx;
    bench_tool t = {0};
    t.manifest = L->file;
    t.line = item->line;
    t.col = item->col;
    if (item->kind == YNODE_SCALAR && item->type == YSCALAR_STRING && !strcmp(item->text, "vlift")) {
        t = tools_default(L->file);   /* the shorthand `- vlift` */
        t.line = item->line;
        t.col = item->col;
        h->tools[(*n_tools)++] = t;
        return true;
    }
    if (item->kind != YNODE_MAPPING)
        return FAIL(L, item,
                    "tool %d in suite must be a mapping with 'name' and 'builtin' or 'command' (or the bare name "
                    "'vlift'), not %s",
                    index + 1, item->kind == YNODE_SCALAR && item->type == YSCALAR_STRING
                                   ? ctx_printf(L, "'%s'", item->text) : ynode_describe(item));
    const ynode *name = lookup(item, "name", NULL);
    ctx = name && name->kind == YNODE_SCALAR && name->len ? ctx_printf(L, "tool '%s'", name->text)
                                                         : ctx_printf(L, "tool %d", index + 1);
    const ynode *builtin_key = NULL, *command_key = NULL;
    const ynode *builtin = lookup(item, "builtin", &builtin_key), *command = lookup(item, "command", &command_key);
    if (builtin && command)
        return FAIL(L, later_of(builtin_key, command_key), "%s has both 'builtin' and 'command' (use one of them)", ctx);
    if (!check_keys(L, item, ctx, builtin ? builtin_tool_keys : external_tool_keys)) return false;
    if (!(name = require(L, item, "name", ctx)) || !as_simple_name(L, name, key_what(L, "name", ctx), &t.name))
        return false;
    if (!builtin && !command) return FAIL(L, item, "missing required key 'builtin' (or 'command') in %s", ctx);
    if (builtin) {
        const char *which;
        if (!as_string(L, builtin, key_what(L, "builtin", ctx), &which)) return false;
        if (strcmp(which, "vlift"))
            return FAIL(L, builtin, "unknown built-in tool '%s' in %s (the only built-in tool is 'vlift')", which, ctx);
        t.kind = TOOL_BUILTIN;
        t.output.json = true;
    } else {
        t.kind = TOOL_EXTERNAL;
        if (!load_command(L, command, ctx, &t)) return false;
        const ynode *output = lookup(item, "output", NULL);
        if (!output || is_null(output)) t.output.json = true;
        else if (!load_output_rule(L, output, ctx, &t.output)) return false;
    }
    if (!load_limits(L, item, ctx, &t.settings) || !load_reps(L, item, ctx, &t.settings)) return false;

    /* config: one name or a sequence of names; one bench_tool each */
    const ynode *config = lookup(item, "config", NULL);
    const ynode *const *configs = config && config->kind == YNODE_SEQUENCE ? (const ynode *const *)config->items : &config;
    int n_configs = config && config->kind == YNODE_SEQUENCE ? config->n : 1;
    if (config && config->kind == YNODE_SEQUENCE && config->n == 0)
        return FAIL(L, config, "key 'config' in %s must not be empty", ctx);
    for (int c = 0; c < n_configs; c++) {
        bench_tool u = t;
        if (!configs[c]) u.config = t.kind == TOOL_BUILTIN ? "full" : "default";
        else if (!as_simple_name(L, configs[c],
                                 n_configs > 1 || config->kind == YNODE_SEQUENCE
                                     ? ctx_printf(L, "entry %d of 'config' in %s", c + 1, ctx)
                                     : key_what(L, "config", ctx),
                                 &u.config))
            return false;
        if (u.kind == TOOL_BUILTIN && configs[c] && !lift_config_known(u.config))
            return FAIL(L, configs[c], "unknown configuration '%s' of the built-in tool (%s)", u.config, lift_config_names());
        for (int k = 0; k < *n_tools; k++)
            if (!strcmp(h->tools[k].name, u.name) && !strcmp(h->tools[k].config, u.config))
                return FAIL(L, configs[c] ? configs[c] : name,
                            "duplicate tool '%s' with configuration '%s' (first at line %d)", u.name, u.config,
                            h->tools[k].line);
        h->tools[(*n_tools)++] = u;
    }
    return true;
}

static bool load_harness(loader *L, const ynode *root, const ynode *ops, plan_suite *s) {
    manifest_harness *h = L->harness;
    memset(h, 0, sizeof *h);
    const ynode *defaults;
    if (!optional_collection(L, root, "defaults", "suite", YNODE_MAPPING, &defaults)) return false;
    if (defaults && (!check_keys(L, defaults, "'defaults' of suite", defaults_keys) ||
                     !load_limits(L, defaults, "'defaults' of suite", &h->defaults) ||
                     !load_reps(L, defaults, "'defaults' of suite", &h->defaults)))
        return false;

    const ynode *tools;
    if (!optional_collection(L, root, "tools", "suite", YNODE_SEQUENCE, &tools)) return false;
    int capacity = 1;
    for (int i = 0; tools && i < tools->n; i++) {
        const ynode *config = tools->items[i]->kind == YNODE_MAPPING ? lookup(tools->items[i], "config", NULL) : NULL;
        capacity += config && config->kind == YNODE_SEQUENCE ? config->n : 1;
    }
    h->tools = arena_alloc(L->out, (size_t)capacity * sizeof *h->tools);
    if (!tools || tools->n == 0) {
        h->tools[0] = tools_default(L->file);
        h->n_tools = 1;
    }
    for (int i = 0; tools && i < tools->n; i++)
        if (!load_tool(L, tools->items[i], i, h, &h->n_tools)) return false;

    h->op_settings = arena_alloc(L->out, (size_t)(s->n_ops ? s->n_ops : 1) * sizeof *h->op_settings);
    for (int i = 0; i < s->n_ops; i++) {
        const char *ctx = ctx_printf(L, "operator '%s'", s->ops[i].name);
        if (!load_limits(L, ops->items[i], ctx, &h->op_settings[i]) || !load_reps(L, ops->items[i], ctx, &h->op_settings[i]))
            return false;
    }
    return true;
}

const char *manifest_yaml_version(void) { return yaml_get_version_string(); }

/* ---- the suite ---- */

static const char *const suite_keys[] = {"suite", "source_root", "description", "defaults",
                                         "tools", "operators",   NULL};

static plan_suite *load_suite(loader *L, const ynode *root) {
    const char *ctx = "suite";
    if (!check_keys(L, root, ctx, suite_keys)) return NULL;
    plan_suite *s = arena_alloc(L->out, sizeof *s);
    s->file = L->file;
    const ynode *name = require(L, root, "suite", ctx);
    if (!name || !as_simple_name(L, name, "key 'suite' (the suite's name)", &s->name)) return NULL;
    const ynode *defaults;
    if (!optional_collection(L, root, "defaults", ctx, YNODE_MAPPING, &defaults)) return NULL;
    const ynode *ops = require(L, root, "operators", ctx);
    if (!ops || !expect_kind(L, ops, YNODE_SEQUENCE, key_what(L, "operators", ctx))) return NULL;
    if (!resolve_source_root(L, s, name, lookup(root, "source_root", NULL))) return NULL;

    name_table op_names = {0};
    s->n_ops = ops->n;
    s->ops = arena_alloc(L->out, (size_t)ops->n * sizeof *s->ops);
    for (int i = 0; i < ops->n; i++) {
        const ynode *map = ops->items[i];
        if (map->kind != YNODE_MAPPING) {
            FAIL(L, map, "operator %d in suite must be a mapping, not %s", i + 1, ynode_describe(map));
            return NULL;
        }
        if (!load_op(L, map, i, &s->ops[i], &op_names)) return NULL;
    }
    if (L->harness && !load_harness(L, root, ops, s)) return NULL;
    return s;
}

/* Parses and loads manifest text already in memory (file names it for messages and paths). */
static plan_suite *load_text(loader *L, arena *scratch, const char *text, size_t len) {
    ynode *root = NULL;
    if (!ytree_parse(scratch, L->file, text, len, &root, L->err)) return NULL;
    if (!root) {
        fail_at(L, 1, 1, "empty manifest (expected a mapping with keys 'suite' and 'operators')");
        return NULL;
    }
    if (root->kind != YNODE_MAPPING) {
        fail_at(L, 1, 1, "the manifest must be a mapping with keys 'suite' and 'operators', not %s",
                ynode_describe(root));
        return NULL;
    }
    return load_suite(L, root);
}

static plan_suite *load_file(arena *a, const char *path, manifest_harness *harness, diag *err) {
    loader L = {.out = a, .file = arena_strdup(a, path), .err = err, .harness = harness};
    arena scratch;
    arena_init(&scratch);
    L.tmp = &scratch;
    plan_suite *suite = NULL;
    struct stat st;
    size_t len = 0;
    char *text = NULL;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_set(err, DIAG_ERROR, L.file, 0, 0, "cannot read manifest: it is a directory");
    } else if (!(text = file_read(&scratch, path, &len))) {
        diag_set(err, DIAG_ERROR, L.file, 0, 0, "cannot read manifest: %s", strerror(errno));
    } else {
        suite = load_text(&L, &scratch, text, len);
    }
    arena_free(&scratch);
    return suite;
}

plan_suite *manifest_load_text(arena *a, const char *path, const char *text, size_t len,
                               manifest_harness *h, diag *err) {
    loader L = {.out = a, .file = arena_strdup(a, path), .err = err, .harness = h};
    arena scratch;
    arena_init(&scratch);
    L.tmp = &scratch;
    plan_suite *suite = load_text(&L, &scratch, text, len);
    arena_free(&scratch);
    return suite;
}

plan_suite *manifest_load(arena *a, const char *path, diag *err) { return load_file(a, path, NULL, err); }

plan_suite *manifest_load_harness(arena *a, const char *path, manifest_harness *h, diag *err) {
    return load_file(a, path, h, err);
}
