/*
 * test_rng.c: harness/rng.c against tests/ref/boot_ref.py, an independent
 * pure-Python model of splitmix64, xoshiro256**, Lemire's rng_below, the
 * uniform double and the polar normal (its output is tests/ref/boot_ref.out,
 * Python 3.11.2), plus distribution checks on seeded streams.  Every stream
 * is seeded, so every check is deterministic.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "harness/lib/rng.h"
#include "helpers.h"

#define DRAWS 100000

/* Pearson's chi-square statistic of counts against equal expectations. */
static double chi_square(const unsigned long *count, size_t k, unsigned long total)
{
    double e = (double)total / (double)k, x2 = 0.0;

    for (size_t i = 0; i < k; i++)
        x2 += ((double)count[i] - e) * ((double)count[i] - e) / e;
    return x2;
}

/* The published splitmix64 test vector (seed 1234567 gives 6457827717110365317,
 * 3203168211198807973, ...): rng_seed stores the first four outputs. */
Test(rng, seed_is_splitmix64)
{
    struct rng r;

    rng_seed(&r, 1234567);
    cr_assert_eq(r.s[0], 6457827717110365317ULL);
    cr_assert_eq(r.s[1], 3203168211198807973ULL);
    cr_assert_eq(r.s[2], 9817491932198370423ULL);
    cr_assert_eq(r.s[3], 4593380528125082431ULL);
}

Test(rng, next_matches_reference)
{
    static const uint64_t seed0[] = {
        0x99ec5f36cb75f2b4ULL, 0xbf6e1f784956452aULL, 0x1a5f849d4933e6e0ULL,
        0x6aa594f1262d2d2cULL, 0xbba5ad4a1f842e59ULL, 0xffef8375d9ebcacaULL,
        0x6c160deed2f54c98ULL, 0x8920ad648fc30a3fULL,
    };
    static const uint64_t seed1234567[] = {
        0x30a3a1c363600467ULL, 0x19405f0f579929caULL, 0x115beaac046ddbd9ULL,
        0xeb17caf48f27d7f6ULL, 0xa0c94fe1cce9d136ULL, 0x70e3326578802da2ULL,
        0xe54cf8877c3f5477ULL, 0x5cb9160d2c396c0eULL,
    };
    struct rng r;

    rng_seed(&r, 0);
    for (size_t i = 0; i < 8; i++)
        cr_assert_eq(rng_next(&r), seed0[i], "seed 0, output %zu", i);
    rng_seed(&r, 1234567);
    for (size_t i = 0; i < 8; i++)
        cr_assert_eq(rng_next(&r), seed1234567[i], "seed 1234567, output %zu", i);
}

Test(rng, same_seed_same_stream)
{
    struct rng a, b, c;
    int differ = 0;

    rng_seed(&a, 77);
    rng_seed(&b, 77);
    rng_seed(&c, 78);
    for (int i = 0; i < 1000; i++) {
        uint64_t x = rng_next(&a);

        cr_assert_eq(x, rng_next(&b));
        differ += x != rng_next(&c);
    }
    cr_assert_eq(differ, 1000);
}

/* One stream, seed 42, four draws per bound in this order. */
Test(rng, below_matches_reference)
{
    static const uint64_t bound[] = {
        1, 2, 3, 10, 1000003, (1ULL << 63) + 1, 3ULL << 62, UINT64_MAX,
    };
    static const uint64_t want[][4] = {
        { 0ULL, 0ULL, 0ULL, 0ULL },
        { 1ULL, 1ULL, 1ULL, 1ULL },
        { 2ULL, 1ULL, 2ULL, 0ULL },
        { 8ULL, 3ULL, 7ULL, 8ULL },
        { 616763ULL, 851392ULL, 707542ULL, 707831ULL },
        { 856482903962274924ULL, 1651193980749278997ULL, 4023201167124370654ULL,
          7278365104559628892ULL },
        { 8786047039938813691ULL, 3200526724541204707ULL, 5731462061962161405ULL,
          8615523931081416811ULL },
        { 15922541051541229927ULL, 17427729060094510353ULL, 15019402249650998665ULL,
          13779713116400403979ULL },
    };
    struct rng r;

    rng_seed(&r, 42);
    for (size_t b = 0; b < sizeof bound / sizeof *bound; b++)
        for (size_t i = 0; i < 4; i++)
            cr_assert_eq(rng_below(&r, bound[b]), want[b][i], "bound %llu, draw %zu",
                         (unsigned long long)bound[b], i);
}

Test(rng, below_stays_below)
{
    static const uint64_t bound[] = {
        1, 2, 3, 7, 1000, (1ULL << 63) + 1, 3ULL << 62, UINT64_MAX,
    };
    struct rng r;

    rng_seed(&r, 5);
    for (size_t b = 0; b < sizeof bound / sizeof *bound; b++)
        for (int i = 0; i < DRAWS; i++) {
            uint64_t v = rng_below(&r, bound[b]);

            cr_assert_lt(v, bound[b], "bound %llu gave %llu",
                         (unsigned long long)bound[b], (unsigned long long)v);
        }
}

/* Chi-square critical values at p = 0.001 from scipy 1.10.1,
 * chi2.ppf(0.999, df): df 1 10.8276, df 2 13.8155, df 9 27.8772. */
Test(rng, below_small_bound_is_uniform)
{
    unsigned long count[10] = { 0 };
    struct rng r;

    rng_seed(&r, 2024);
    for (int i = 0; i < DRAWS; i++)
        count[rng_below(&r, 10)]++;
    cr_assert_lt(chi_square(count, 10, DRAWS), 27.8772);
}

/* n = 3 * 2^62: a plain (rng_next % n) would put half of all draws in the
 * lowest third; unbiased draws put a third in each. */
Test(rng, below_large_bound_is_uniform)
{
    unsigned long count[3] = { 0 };
    struct rng r;

    rng_seed(&r, 2025);
    for (int i = 0; i < DRAWS; i++)
        count[rng_below(&r, 3ULL << 62) >> 62]++;
    cr_assert_lt(chi_square(count, 3, DRAWS), 13.8155);
}

/* n = 2^63 + 1 rejects almost half of the raw draws (threshold 2^63 - 1):
 * the loop must still give halves of equal weight. */
Test(rng, below_rejection_heavy_bound_is_uniform)
{
    unsigned long count[2] = { 0 };
    struct rng r;

    rng_seed(&r, 2026);
    for (int i = 0; i < DRAWS; i++)
        count[rng_below(&r, (1ULL << 63) + 1) >= (1ULL << 62)]++;
    cr_assert_lt(chi_square(count, 2, DRAWS), 10.8276);
}

Test(rng, uniform_matches_reference)
{
    static const double want[] = {
        0.34870385642514956, 0.5640000247384211, 0.37821456048755686,
        0.8556280223341497,
    };
    struct rng r;

    rng_seed(&r, 99);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(rng_uniform(&r), want[i], "draw %zu", i);
}

Test(rng, uniform_range_and_mean)
{
    struct rng r;
    double sum = 0.0;

    rng_seed(&r, 11);
    for (int i = 0; i < DRAWS; i++) {
        double u = rng_uniform(&r);

        cr_assert(u >= 0.0 && u < 1.0, "draw %d = %.17g", i, u);
        sum += u;
    }
    /* standard error of the mean is 0.0009 */
    cr_assert_float_eq(sum / DRAWS, 0.5, 0.005);
}

/* Python's math.log and math.sqrt may differ from the C library by an ulp,
 * hence a relative tolerance. */
Test(rng, normal_matches_reference)
{
    static const double want[] = {
        -1.9433183975157287, -0.346085395080965, 0.6199390360205708,
        -0.09801200232790566, 1.1319246020291176, 0.5400291996067232,
    };
    struct rng r;

    rng_seed(&r, 99);
    for (size_t i = 0; i < 6; i++)
        assert_rel(rng_normal(&r), want[i], 1e-12, "normal");
}

Test(rng, normal_moments)
{
    enum { N = 200000 };
    struct rng r;
    double mean = 0.0, m2 = 0.0;
    unsigned long beyond2 = 0;

    rng_seed(&r, 13);
    for (int i = 0; i < N; i++) {
        double z = rng_normal(&r), d = z - mean;

        cr_assert(isfinite(z));
        mean += d / (i + 1);
        m2 += d * (z - mean);
        beyond2 += fabs(z) > 2.0;
    }
    /* standard errors: mean 0.0022, variance 0.0032, P(|z| > 2) 0.0005 */
    cr_assert_float_eq(mean, 0.0, 0.015);
    cr_assert_float_eq(m2 / (N - 1), 1.0, 0.02);
    cr_assert_float_eq((double)beyond2 / N, 0.0455, 0.003);
}
