/*
 * rng.h: the one seeded random number generator (xoshiro256**, seeded by
 * splitmix64; Blackman and Vigna 2018).  Every random draw pacer makes comes
 * from here, and the seed is recorded next to what it produced, so the same
 * input gives the same output.
 */
#ifndef PACER_RNG_H
#define PACER_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s[4];
};

/* Seed the state: s[0..3] are four successive splitmix64 outputs of seed. */
void rng_seed(struct rng *r, uint64_t seed);

/* Next 64-bit output of xoshiro256**. */
uint64_t rng_next(struct rng *r);

/* Uniform integer in [0, n), n > 0, without modulo bias: Lemire's
 * multiply-shift with rejection (Lemire 2019, "Fast random integer
 * generation in an interval"):
 *   m = (u128)rng_next * n; l = (u64)m;
 *   if (l < n) { t = (-n) % n; while (l < t) { m = (u128)rng_next * n; l = (u64)m; } }
 *   return m >> 64; */
uint64_t rng_below(struct rng *r, uint64_t n);

/* Uniform double in [0, 1): (rng_next >> 11) * 2^-53. */
double rng_uniform(struct rng *r);

/* Standard normal deviate (Marsaglia polar method, both values of a pair are
 * not cached: each call consumes fresh draws until one is accepted). */
double rng_normal(struct rng *r);

#endif
