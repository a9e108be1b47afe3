/* patterns_multi: invariant patterns that relate several loop-carried variables (see the
 * table in patterns.c). */
#include "verify/verify_internal.h"

bool patterns_multi(vctx *X, loop_shape *L, char *why, int why_size) {
    (void)X;
    (void)L;
    (void)why;
    (void)why_size;
    return true;
}
