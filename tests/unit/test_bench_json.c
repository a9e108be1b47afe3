/* Tests of the flat JSON object reader (src/bench/json.c) used for `vlift lift --json` results. */
#include "bench/json.h"
#include "test.h"
#include <stdlib.h>
#include <string.h>

static bool parse(const char *text, json_object *o) {
    char err[128];
    return json_parse_object(text, strlen(text), o, err, sizeof err);
}

TEST(bench_json_result_object) {
    const char *text =
        " {\"status\": \"VERIFIED\", \"stage\": \"\", \"blocks\": \"symbolic\", \"formula\": \"y[i] = x[i] / \\\"N\\\"\\n\","
        " \"message\": null, \"t_symexec\": 0.01, \"t_synth\": 2e-1, \"candidates\": 12, \"smt_queries\": -3,"
        " \"nested\": {\"a\": [1, 2, {\"b\": null}]}, \"flag\": true, \"ok\": false, \"candidates\": 13} \n";
    json_object o;
    REQUIRE(parse(text, &o));
    char *s = json_get_text(&o, "status");
    CHECK_STR(s, "VERIFIED");
    free(s);
    s = json_get_text(&o, "formula");
    CHECK_STR(s, "y[i] = x[i] / \"N\"\n");
    free(s);
    CHECK(json_get_text(&o, "message") == NULL);
    CHECK(json_get(&o, "message")->kind == JSON_NULL);
    CHECK(json_get(&o, "nested")->kind == JSON_NESTED);
    CHECK(json_get(&o, "absent") == NULL);
    double t = 0;
    CHECK(json_get_number(&o, "t_synth", &t) && t == 0.2);
    CHECK(!json_get_number(&o, "status", &t));
    s = json_get_text(&o, "candidates");   /* duplicate key: the last wins; integers print plainly */
    CHECK_STR(s, "13");
    free(s);
    s = json_get_text(&o, "t_symexec");
    CHECK_STR(s, "0.01");
    free(s);
    s = json_get_text(&o, "flag");
    CHECK_STR(s, "true");
    free(s);
    json_object_free(&o);
}

TEST(bench_json_unicode_escapes) {
    json_object o;
    REQUIRE(parse("{\"s\": \"caf\\u00e9 \\ud83d\\ude00 \\t\\/\\\\\\b\\f\\r\"}", &o));
    CHECK_STR(json_get(&o, "s")->str, "caf\xc3\xa9 \xf0\x9f\x98\x80 \t/\\\b\f\r");
    json_object_free(&o);
    REQUIRE(parse("{}", &o));
    CHECK(o.n == 0);
    json_object_free(&o);
}

TEST(bench_json_errors) {
    static const char *const bad[] = {
        "", "[]", "{", "{\"a\"}", "{\"a\": }", "{\"a\": 1,}", "{\"a\": 1} x", "{\"a\": \"unterminated}",
        "{\"a\": \"bad \\q escape\"}", "{\"a\": \"\\ud800 lone\"}", "{\"a\": \"\\udc00\"}", "{\"a\": 01}",
        "{\"a\": 1.}", "{\"a\": -}", "{\"a\": tru}", "{\"a\": \"ctl \x01\"}", "{a: 1}", "{\"a\": \"\\u12\"}",
        NULL};
    for (int i = 0; bad[i]; i++) {
        json_object o;
        char err[128] = "";
        bool ok = json_parse_object(bad[i], strlen(bad[i]), &o, err, sizeof err);
        if (ok) printf("    accepted: %s\n", bad[i]);
        CHECK(!ok && strstr(err, "offset"));
    }
    /* deep nesting is refused, not a stack overflow */
    char deep[400];
    strcpy(deep, "{\"a\": ");
    for (int i = 0; i < 150; i++) strcat(deep, "[");
    json_object o;
    char err[128];
    CHECK(!json_parse_object(deep, strlen(deep), &o, err, sizeof err) && strstr(err, "too deep"));
}
