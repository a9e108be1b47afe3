/* synth_fixture: what the synthesis unit tests share — an operator of a test manifest loaded,
 * its spec built, and a synthesis context over it. Header-only: each test file includes it. */
#ifndef VLIFT_TEST_SYNTH_FIXTURE_H
#define VLIFT_TEST_SYNTH_FIXTURE_H
#include "bench/manifest.h"
#include "synth/synth_internal.h"
#include "util/strbuf.h"
#include <string.h>

typedef struct fixture {
    arena a;
    plan_suite *suite;
    const plan_op *op;
    const plan_variant *variant;
    exec_sources src;
    spec sp;
    diag err;
    bool spec_ok;
    synth_options opt;
    synth_stats stats;
    synth_ctx C;
    bool ctx;
} fixture;

/* Loads OP (and VARIANT, or its first) of MANIFEST and builds its spec; false on any failure
 * before the spec (the spec's own outcome is in spec_ok / err). */
static inline bool fixture_load(fixture *F, const char *manifest, const char *op, const char *variant) {
    memset(F, 0, sizeof *F);
    arena_init(&F->a);
    synth_options_default(&F->opt);
    F->suite = manifest_load(&F->a, manifest, &F->err);
    if (!F->suite || !(F->op = plan_find_op(F->suite, op))) return false;
    F->variant = variant ? plan_find_variant(F->op, variant) : &F->op->variants[0];
    if (!F->variant || !exec_load_sources(&F->a, F->op, &F->src, &F->err)) return false;
    F->spec_ok = spec_build(&F->a, F->op, F->variant, &F->src, NULL, &F->sp, &F->err);
    return true;
}

/* A synthesis context over the spec, lifting output tensor `output` (by name). */
static inline const scope *fixture_context(fixture *F, const char *output) {
    synth_ctx_init(&F->C, &F->a, &F->sp, &F->opt, &F->stats);
    F->ctx = true;
    return synth_begin_output(&F->C, spec_tensor_index(&F->sp, output));
}

/* The family of every element of the current output. */
static inline void fixture_output_family(fixture *F, const scope *sc, family *f) {
    family_init(f, sc);
    for (int r = 0; r < F->sp.n_runs; r++) {
        const spec_tensor *st = &F->sp.runs[r].tensors[sc->output];
        int64_t env[SYNTH_MAX_SCOPE] = {0};
        for (int64_t flat = 0; flat < st->numel; flat++) {
            int64_t rem = flat;
            for (int d = st->rank - 1; d >= 0; d--) {
                env[d] = rem % st->shape[d];
                rem /= st->shape[d];
            }
            family_add(f, st->elems[flat], r, env);
        }
    }
}

/* Synthesis of the whole spec with F->opt; the formula as text (in F's arena) or NULL. */
static inline const char *fixture_synth(fixture *F, synth_result *r) {
    if (!synth_run(&F->a, &F->sp, &F->opt, r)) return NULL;
    strbuf s;
    strbuf_init(&s);
    formula_print_text(r->f, &s);
    char *text = arena_strdup(&F->a, strbuf_cstr(&s));
    strbuf_free(&s);
    return text;
}

static inline const char *fixture_text(fixture *F, const fexpr *e) {
    if (!e) return NULL;
    strbuf s;
    strbuf_init(&s);
    fexpr_print_text(e, &s);
    char *text = arena_strdup(&F->a, strbuf_cstr(&s));
    strbuf_free(&s);
    return text;
}

static inline void fixture_free(fixture *F) {
    if (F->ctx) synth_ctx_free(&F->C);
    spec_free(&F->sp);
    arena_free(&F->a);
}

#define SYNTH_CASES "tests/kernels/synth_cases.yaml"
#define SOFTMAX "tests/kernels/softmax.yaml"

#endif
