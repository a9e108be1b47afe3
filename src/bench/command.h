/* command: an external tool's command template. The template is split into words once, when
 * the manifest is loaded, the way a POSIX shell splits a simple command — whitespace separates
 * words; '...' is literal; "..." allows \" \\ \$ \` escapes; a backslash outside quotes escapes
 * the next character — and no shell ever runs it (write `sh -c '...'` for pipes or redirections).
 * Placeholders {name} inside words are replaced per job, so a value with spaces stays one word;
 * `{{` and `}}` are literal braces. The placeholders:
 *   {kernel_file} the operator's (first) kernel source    {kernel} the first launched kernel
 *   {op} {suite} {variant} (the operator's first variant)  {manifest} the suite manifest's path
 *   {config} {rep} {wall} (seconds) {memory_mb} {workdir} (an empty scratch directory per job) */
#ifndef VLIFT_BENCH_COMMAND_H
#define VLIFT_BENCH_COMMAND_H
#include "util/arena.h"
#include <stdbool.h>
#include <stddef.h>

extern const char *const command_placeholders[];   /* NULL-terminated */

/* Splits text into *words (in a). On failure returns false with a message in err and the byte
 * offset in text of the offending character in *err_offset. */
bool command_split(arena *a, const char *text, const char ***words, int *n_words, size_t *err_offset, char *err,
                   size_t err_size);

typedef struct command_value {
    const char *name, *value;
} command_value;

/* The words with every placeholder replaced by its value (values[0..n_values)); a placeholder
 * without a value becomes empty. Returns a NULL-terminated heap argv (free with command_free). */
char **command_expand(const char *const *words, int n_words, const command_value *values, int n_values);
void command_free(char **argv);

#endif
