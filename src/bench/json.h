/* json: a small reader for one flat JSON object — the result line of `vlift lift --json` and of
 * external tools that speak the same format. Members with string, number, boolean or null
 * values are kept; nested objects and arrays are parsed (so the text must be valid) but kept
 * only as JSON_NESTED without content. Strings may hold every JSON escape, including \uXXXX
 * surrogate pairs (decoded to UTF-8); a \u0000 ends the kept string. Duplicate keys: the last
 * one wins. Everything is heap memory owned by the json_object. */
#ifndef VLIFT_BENCH_JSON_H
#define VLIFT_BENCH_JSON_H
#include <stdbool.h>
#include <stddef.h>

typedef enum json_kind { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_NESTED } json_kind;

typedef struct json_member {
    char *key;
    json_kind kind;
    char *str;      /* JSON_STRING: the decoded text */
    double num;     /* JSON_NUMBER */
    bool boolean;   /* JSON_BOOL */
} json_member;

typedef struct json_object {
    json_member *members;
    int n;
} json_object;

/* Parses text[0..len) as one object with only whitespace around it. On failure returns false,
 * leaves *out empty and writes "offset N: what" into err. */
bool json_parse_object(const char *text, size_t len, json_object *out, char *err, size_t err_size);
void json_object_free(json_object *o);

const json_member *json_get(const json_object *o, const char *key);   /* NULL when absent */
/* The member as text: strings as they are, numbers formatted (integers without a fraction),
 * booleans as true/false; NULL for null, nested values and absent keys. Heap (free). */
char *json_get_text(const json_object *o, const char *key);
/* A number member, or a string holding a number; false otherwise. */
bool json_get_number(const json_object *o, const char *key, double *out);

#endif
