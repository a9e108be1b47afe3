/* command: see command.h. */
#include "bench/command.h"
#include "util/strbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const command_placeholders[] = {"kernel_file", "kernel", "op",     "suite",     "variant", "manifest",
                                            "config",      "rep",    "wall",   "memory_mb", "workdir", NULL};

static bool known_placeholder(const char *name, size_t len) {
    for (int i = 0; command_placeholders[i]; i++)
        if (strlen(command_placeholders[i]) == len && !memcmp(command_placeholders[i], name, len)) return true;
    return false;
}

/* Checks the placeholders of one finished word (braces are still raw text here: quoting does
 * not hide them). */
static bool check_braces(const char *text, size_t from, size_t to, size_t *err_offset, char *err, size_t err_size) {
    for (size_t i = from; i < to; i++) {
        if (text[i] == '{' && i + 1 < to && text[i + 1] == '{') { i++; continue; }
        if (text[i] == '}' && i + 1 < to && text[i + 1] == '}') { i++; continue; }
        if (text[i] == '}') {
            *err_offset = i;
            snprintf(err, err_size, "unmatched '}' in command (write '}}' for a literal brace)");
            return false;
        }
        if (text[i] != '{') continue;
        size_t j = i + 1;
        while (j < to && text[j] != '}' && text[j] != '{') j++;
        if (j >= to || text[j] != '}') {
            *err_offset = i;
            snprintf(err, err_size, "unterminated placeholder in command (write '{{' for a literal brace)");
            return false;
        }
        if (!known_placeholder(text + i + 1, j - i - 1)) {
            *err_offset = i;
            char known[256];
            size_t used = 0;
            for (int k = 0; command_placeholders[k] && used < sizeof known; k++)
                used += (size_t)snprintf(known + used, sizeof known - used, "%s{%s}", k ? ", " : "", command_placeholders[k]);
            snprintf(err, err_size, "unknown placeholder '{%.*s}' in command (known: %s)", (int)(j - i - 1), text + i + 1, known);
            return false;
        }
        i = j;
    }
    return true;
}

bool command_split(arena *a, const char *text, const char ***words, int *n_words, size_t *err_offset, char *err,
                   size_t err_size) {
    const char **out = NULL;
    int n = 0, cap = 0;
    strbuf word;
    strbuf_init(&word);
    size_t i = 0, len = strlen(text);
    while (true) {
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) i++;
        if (i >= len) break;
        size_t start = i;
        strbuf_clear(&word);
        bool any = false;
        while (i < len && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) {
            char ch = text[i];
            any = true;
            if (ch == '\'') {
                size_t close = i + 1;
                while (close < len && text[close] != '\'') close++;
                if (close >= len) {
                    *err_offset = i;
                    snprintf(err, err_size, "unterminated single quote in command");
                    goto fail;
                }
                strbuf_appendn(&word, text + i + 1, close - i - 1);
                i = close + 1;
            } else if (ch == '"') {
                i++;
                while (i < len && text[i] != '"') {
                    if (text[i] == '\\' && i + 1 < len && strchr("\"\\$`", text[i + 1])) i++;
                    strbuf_putc(&word, text[i++]);
                }
                if (i >= len) {
                    *err_offset = start;
                    snprintf(err, err_size, "unterminated double quote in command");
                    goto fail;
                }
                i++;
            } else if (ch == '\\' && i + 1 < len) {
                strbuf_putc(&word, text[i + 1]);
                i += 2;
            } else {
                strbuf_putc(&word, ch);
                i++;
            }
        }
        if (!check_braces(text, start, i, err_offset, err, err_size)) goto fail;
        if (!any) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            const char **grown = arena_alloc(a, (size_t)cap * sizeof *grown);
            if (n) memcpy(grown, out, (size_t)n * sizeof *grown);
            out = grown;
        }
        out[n++] = arena_strdup(a, strbuf_cstr(&word));
    }
    strbuf_free(&word);
    if (n == 0) {
        *err_offset = 0;
        snprintf(err, err_size, "the command is empty");
        return false;
    }
    *words = out;
    *n_words = n;
    return true;
fail:
    strbuf_free(&word);
    return false;
}

char **command_expand(const char *const *words, int n_words, const command_value *values, int n_values) {
    char **argv = xcalloc((size_t)n_words + 1, sizeof *argv);
    strbuf s;
    strbuf_init(&s);
    for (int w = 0; w < n_words; w++) {
        strbuf_clear(&s);
        for (const char *p = words[w]; *p; p++) {
            if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) { strbuf_putc(&s, *p++); continue; }
            const char *close = p[0] == '{' ? strchr(p, '}') : NULL;
            if (!close) { strbuf_putc(&s, *p); continue; }
            size_t len = (size_t)(close - p - 1);
            for (int v = 0; v < n_values; v++)
                if (strlen(values[v].name) == len && !memcmp(values[v].name, p + 1, len)) {
                    strbuf_append(&s, values[v].value ? values[v].value : "");
                    break;
                }
            p = close;
        }
        argv[w] = xstrdup(strbuf_cstr(&s));
    }
    strbuf_free(&s);
    return argv;
}

void command_free(char **argv) {
    if (!argv) return;
    for (char **p = argv; *p; p++) free(*p);
    free(argv);
}
