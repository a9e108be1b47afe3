/* tools: see tools.h. */
#include "bench/tools.h"

bench_tool tools_default(const char *manifest) {
    bench_tool t = {0};
    t.name = "vlift";
    t.config = "full";
    t.kind = TOOL_BUILTIN;
    t.output.json = true;
    t.manifest = manifest;
    return t;
}
