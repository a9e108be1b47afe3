/* Fuzz target: the formula parser (src/formula), its printer (whose output must parse back to an
 * equal formula) and its evaluator at one small index per output, with every tensor element
 * and parameter defined (value 0.5), so evaluation reaches the operators and reductions. */
#include "formula/formula.h"
#include "fuzz_input.h"
#include "util/strbuf.h"
#include <stdlib.h>

static bool any_tensor(void *ctx, const char *name, int rank, const int64_t *index, double *out) {
    (void)ctx; (void)name;
    for (int i = 0; i < rank; i++)
        if (index[i] < 0 || index[i] >= 4) return false;
    *out = 0.5;
    return true;
}

static bool any_param(void *ctx, const char *name, double *out) {
    (void)ctx; (void)name;
    *out = 3;
    return true;
}

/* Evaluation is only bounded by the sizes written in the formula (sum(k in 0..10^9: ...) is a
 * legal, slow formula); evaluate only formulas whose literals are small and whose reductions
 * nest at most three deep, so that every run is fast and a hang is a real bug. */
static bool cheap(const fexpr *e, int reductions) {
    if (e->kind == FX_NUM && (e->num > 64 || e->num < -64)) return false;
    if (e->kind == FX_REDUCE && ++reductions > 3) return false;
    for (int i = 0; i < e->n_args; i++)
        if (!cheap(e->args[i], reductions)) return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    arena a;
    arena_init(&a);
    char *text = fuzz_text(&a, data, size);
    diag err = {0};
    formula *f = formula_parse(&a, "fuzz.txt", 1, 1, text, &err);
    if (f) {
        strbuf s;
        strbuf_init(&s);
        formula_print_text(f, &s);
        diag err2 = {0};
        formula *g = formula_parse(&a, "printed.txt", 1, 1, strbuf_cstr(&s), &err2);
        if (!g || !formula_equal(f, g)) abort();   /* the printer's contract */
        strbuf_clear(&s);
        formula_print_latex(f, &s);
        strbuf_clear(&s);
        formula_print_pytorch(f, &s);
        strbuf_free(&s);
        for (int i = 0; i < f->n_eqs; i++)
            if (!cheap(f->eqs[i].rhs, 0)) goto done;
        formula_env env = {any_tensor, any_param, NULL};
        formula_evaluator *ev = formula_evaluator_new(f, &env);
        for (int i = 0; i < f->n_eqs; i++) {
            int64_t index[8] = {1, 0, 2, 1, 0, 1, 0, 1};
            if (f->eqs[i].n_indices > 8) continue;
            double v;
            diag e3 = {0};
            formula_eval(ev, f->eqs[i].output, index, &v, &e3);
        }
        formula_evaluator_free(ev);
    }
done:
    arena_free(&a);
    return 0;
}
