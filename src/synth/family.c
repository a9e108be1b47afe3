/* family: the members of a family of terms to lift, and the scopes they live in (see
 * synth_internal.h). */
#include "synth/synth_internal.h"
#include <string.h>

void family_init(family *f, const scope *sc) {
    f->sc = sc;
    f->m = NULL;
    f->n = f->cap = 0;
}

void family_add(family *f, term_id t, int run, const int64_t *env) {
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 16;
        f->m = xrealloc(f->m, (size_t)f->cap * sizeof *f->m);
    }
    member *m = &f->m[f->n++];
    memset(m, 0, sizeof *m);
    m->t = t;
    m->run = run;
    if (env && f->sc) memcpy(m->env, env, sizeof(int64_t) * (size_t)f->sc->n);
}

void family_free(family *f) {
    free(f->m);
    f->m = NULL;
    f->n = f->cap = 0;
}

const scope *scope_child(synth_ctx *C, const scope *sc) {
    if (sc->n >= SYNTH_MAX_SCOPE) return NULL;
    scope *c = arena_alloc(&C->scratch, sizeof *c);
    *c = *sc;
    c->names[c->n] = C->binder_names[sc->n - sc->n_outer];
    c->n = sc->n + 1;
    c->parent = sc;
    return c;
}
