/* config: the table of named lift configurations (see config.h). */
#include "lift/config.h"
#include "synth/guided.h"
#include "util/file.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct config_def {
    const char *name;
    bool no_topdown, no_prune, no_patterns, no_simplify, no_verify;
    synth_grammar grammar;
    bool growing_bounds, numeric_check_only, guided;
    bool uninterpreted_functions;   /* verification without the axioms of exp, log, ... */
} config_def;

static const config_def configs[] = {
    {.name = "full"},
    {.name = "no-topdown", .no_topdown = true},
    {.name = "no-prune", .no_prune = true},
    {.name = "no-patterns", .no_patterns = true},
    {.name = "no-simplify", .no_simplify = true},
    /* Tenspiler: its grammar, bottom-up, growing bounds, the fixed template, full SMT check */
    {.name = "tenspiler-style", .no_topdown = true, .no_patterns = true, .no_simplify = true, .grammar = SYNTH_GRAMMAR_TENSIR,
     .growing_bounds = true, .uninterpreted_functions = true},
    /* C2TACO: TACO templates enumerated bottom-up, input/output examples only, no proof */
    {.name = "c2taco-style", .no_topdown = true, .no_simplify = true, .no_verify = true, .grammar = SYNTH_GRAMMAR_TACO,
     .numeric_check_only = true},
    /* guided: weighted bottom-up enumeration, bounded (sampled-size) checking, no proof */
    {.name = "guided", .no_topdown = true, .no_simplify = true, .no_verify = true, .guided = true},
};
#define N_CONFIGS ((int)(sizeof configs / sizeof configs[0]))

static const config_def *find(const char *name) {
    for (int i = 0; i < N_CONFIGS; i++)
        if (strcmp(configs[i].name, name) == 0) return &configs[i];
    return NULL;
}

bool lift_config_known(const char *name) { return find(name) != NULL; }

const char *lift_config_names(void) {
    return "full, no-topdown, no-prune, no-patterns, no-simplify, tenspiler-style, c2taco-style, guided";
}

const char *lift_config_weights_path(char *buf, size_t size) {
    const char *env = getenv("VLIFT_GUIDED_WEIGHTS");
    if (env && *env) {
        snprintf(buf, size, "%s", env);
        return buf;
    }
    char self[PATH_MAX];
    if (path_exe_dir(self, sizeof self)) {
        snprintf(buf, size, "%s/../suites/guided_weights.tsv", self);
        if (access(buf, R_OK) == 0) return buf;
    }
    snprintf(buf, size, "suites/guided_weights.tsv");
    return buf;
}

bool lift_config_apply(const char *name, const char *suite, const char *op, arena *a, lift_options *o, char *err,
                       size_t err_size) {
    const config_def *c = find(name);
    if (!c) {
        snprintf(err, err_size, "unknown configuration '%s' (%s)", name, lift_config_names());
        return false;
    }
    if (c->no_topdown) o->synth.topdown = false;
    if (c->no_prune) o->synth.prune = false;
    if (c->no_patterns) o->verify.no_patterns = true;
    if (c->no_simplify) o->stages[LS_SIMPLIFY] = false;
    if (c->no_verify) o->stages[LS_VERIFY] = false;
    o->verify.uninterpreted_functions = c->uninterpreted_functions;
    o->synth.grammar = c->grammar;
    o->synth.growing_bounds = c->growing_bounds;
    o->synth.numeric_check_only = c->numeric_check_only;
    if (c->guided) {
        char path[PATH_MAX + 64];
        synth_weights *w = arena_alloc(a, sizeof *w);
        if (!guided_weights_load(lift_config_weights_path(path, sizeof path), suite, op, w, err, err_size)) return false;
        o->synth.weights = w;
    }
    return true;
}
