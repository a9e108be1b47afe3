/* parse: builds the ast_module of a Python file: every function whose decorator stack holds
 * triton.jit (under whatever alias: `triton.jit`, `jit` from `from triton import jit`,
 * `triton.jit(...)`), the module-level constant assignments, and the import aliases.
 * Everything else (classes, host functions, try/with, lambdas, comprehensions, decorators'
 * arguments) is lexed and skipped without error. Inside jitted functions the statement and
 * expression grammar of Python is parsed in full; a syntax error there, or any lexical error
 * anywhere, is reported as file:line:col. */
#ifndef VLIFT_PARSE_H
#define VLIFT_PARSE_H
#include "triton/ast.h"
#include "util/diag.h"

/* Parses src (NUL-terminated) in the arena. Returns NULL and fills err on failure. */
ast_module *parse_module(arena *a, const char *file, const char *src, size_t len, diag *err);

/* Reads and parses a file. I/O errors are reported as "file: cannot read: <strerror>". */
ast_module *parse_file(arena *a, const char *path, diag *err);

/* Parses one standalone expression (used for manifest expressions such as grids and size
 * formulas). line/col give the position of the text's first character in its own file so that
 * errors point into that file. */
ast_expr *parse_expression(arena *a, const char *file, int line, int col, const char *text, diag *err);

/* Writes the module's AST in a readable indented form (the output of `vlift parse`). */
struct strbuf;
void ast_dump_module(const ast_module *m, struct strbuf *out);
void ast_dump_expr(const ast_expr *e, struct strbuf *out);  /* Python-like source form */

#endif
