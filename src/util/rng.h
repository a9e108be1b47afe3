/* rng: a seeded, reproducible pseudo-random generator (xoshiro256**), one per context. */
#ifndef VLIFT_RNG_H
#define VLIFT_RNG_H
#include <stdint.h>
typedef struct rng { uint64_t s[4]; } rng;
void     rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
double   rng_uniform(rng *r, double lo, double hi);   /* [lo, hi) */
#endif
