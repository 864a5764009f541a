/*
 * rng.c: xoshiro256** seeded by splitmix64 (Blackman and Vigna 2018,
 * "Scrambled linear pseudorandom number generators"; reference code at
 * prng.di.unimi.it), with Lemire's unbiased bounded integers (Lemire 2019)
 * and Marsaglia's polar method for normal deviates (Marsaglia and Bray 1964).
 */
#include "rng.h"

#include <math.h>

/* splitmix64 (Steele, Lea and Flood 2014), the seeder the xoshiro authors
 * recommend: it never yields an all-zero state from any seed. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_seed(struct rng *r, uint64_t seed)
{
    uint64_t x = seed;

    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* The high word of the 128-bit product rng_next * n is uniform on [0, n)
 * once products whose low word falls below 2^64 mod n are rejected; the
 * division computing that threshold is needed only when the low word is
 * below n, which is rare for small n. */
uint64_t rng_below(struct rng *r, uint64_t n)
{
    unsigned __int128 m = (unsigned __int128)rng_next(r) * n;
    uint64_t l = (uint64_t)m;

    if (l < n) {
        uint64_t t = -n % n;

        while (l < t) {
            m = (unsigned __int128)rng_next(r) * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double rng_uniform(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Draw (u, v) uniform on the square [-1, 1)^2 until it falls inside the unit
 * disc (and off the origin); u * sqrt(-2 ln s / s) is then standard normal.
 * The second deviate of the pair, v * sqrt(...), is deliberately not kept,
 * so the generator has no hidden state beside s[]. */
double rng_normal(struct rng *r)
{
    double u, v, s;

    do {
        u = 2.0 * rng_uniform(r) - 1.0;
        v = 2.0 * rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt(-2.0 * log(s) / s);
}
