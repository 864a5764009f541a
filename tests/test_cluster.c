/* test_cluster.c: the two-stage bootstrap over worker processes (cluster.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "cluster.h"
#include "rng.h"

static void lognormal(double *x, size_t n, double center, double sigma, uint64_t seed)
{
    struct rng r;
    size_t i;

    rng_seed(&r, seed);
    for (i = 0; i < n; i++)
        x[i] = center * exp(sigma * rng_normal(&r));
}

Test(cluster, one_process_is_the_plain_bootstrap)
{
    double a[25], b[31];
    struct clustered ca = {a, 25, NULL, 0}, cb = {b, 31, NULL, 1};
    struct effect e1, e2;

    lognormal(a, 25, 100, 0.02, 1);
    lognormal(b, 31, 103, 0.02, 2);
    cr_assert_eq(cluster_effect(&ca, &cb, 0.95, 2000, 7, &e1), 0);
    cr_assert_eq(effect_unpaired(a, 25, b, 31, 0.95, 2000, 7, &e2), 0);
    /* Same draws from the same seed: the same numbers, bit for bit. */
    cr_assert_eq(e1.ratio, e2.ratio);
    cr_assert_eq(e1.ci.lo, e2.ci.lo);
    cr_assert_eq(e1.ci.hi, e2.ci.hi);
    cr_assert_eq(e1.resamples, e2.resamples);
}

Test(cluster, spread_between_processes_widens_the_ci)
{
    double a[30], b[30];
    size_t counts[5] = {6, 6, 6, 6, 6}, i, p;
    struct clustered ca = {a, 30, counts, 5}, cb = {b, 30, counts, 5};
    struct clustered fa = {a, 30, NULL, 0}, fb = {b, 30, NULL, 0};
    struct effect clus, flat;
    struct rng r;

    /* Tight samples inside each process, 3 % offsets between processes. */
    rng_seed(&r, 3);
    for (p = 0; p < 5; p++) {
        double oa = 0.03 * rng_normal(&r), ob = 0.03 * rng_normal(&r);
        for (i = 0; i < 6; i++) {
            a[p * 6 + i] = 100 * exp(oa + 0.002 * rng_normal(&r));
            b[p * 6 + i] = 100 * exp(ob + 0.002 * rng_normal(&r));
        }
    }
    cr_assert_eq(cluster_effect(&ca, &cb, 0.95, 4000, 9, &clus), 0);
    cr_assert_eq(cluster_effect(&fa, &fb, 0.95, 4000, 9, &flat), 0);
    cr_assert_eq(clus.ratio, flat.ratio);
    /* Theory: about sqrt(30 / 5) / sqrt(1 + within/between) ~ 1.9 times. */
    cr_assert_gt(clus.ci.hi - clus.ci.lo, 1.5 * (flat.ci.hi - flat.ci.lo),
                 "clustered [%g, %g] vs flat [%g, %g]", clus.ci.lo, clus.ci.hi, flat.ci.lo,
                 flat.ci.hi);
    cr_assert_eq(cluster_nonempty(&ca), 5);
    cr_assert_eq(cluster_nonempty(&fa), 1);
}

Test(cluster, empty_processes_and_bad_values)
{
    double a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 2, 3, 4, 5, 0};
    size_t counts[3] = {3, 0, 3};
    struct clustered ca = {a, 6, counts, 3}, cb = {b, 6, NULL, 0};
    struct effect e;

    cr_assert_eq(cluster_nonempty(&ca), 2);
    cr_assert_eq(cluster_effect(&ca, &ca, 0.95, 500, 1, &e), 0);
    cr_assert_float_eq(e.ratio, 1, 1e-12);
    cr_assert_eq(cluster_effect(&ca, &cb, 0.95, 500, 1, &e), -1, "a zero cannot enter a ratio");
}

Test(cluster, paired_clusters)
{
    double a[30], b[30];
    size_t counts[3] = {10, 10, 10}, i, p;
    struct effect clus, flat;
    struct rng r;

    /* Each worker pair has its own layout offset between the sides. */
    rng_seed(&r, 5);
    for (p = 0; p < 3; p++) {
        double off = 0.04 * rng_normal(&r);
        for (i = 0; i < 10; i++) {
            double m = 100 * exp(0.05 * rng_normal(&r));
            a[p * 10 + i] = m;
            b[p * 10 + i] = m * exp(0.02 + off + 0.002 * rng_normal(&r));
        }
    }
    cr_assert_eq(cluster_paired(a, b, 30, counts, 3, 0.95, 4000, 2, &clus), 0);
    cr_assert_eq(cluster_paired(a, b, 30, NULL, 0, 0.95, 4000, 2, &flat), 0);
    cr_assert_eq(clus.ratio, flat.ratio);
    cr_assert_gt(clus.ci.hi - clus.ci.lo, 1.5 * (flat.ci.hi - flat.ci.lo), "[%g, %g] vs [%g, %g]",
                 clus.ci.lo, clus.ci.hi, flat.ci.lo, flat.ci.hi);
    cr_assert_leq(clus.ci.lo, clus.ratio);
    cr_assert_geq(clus.ci.hi, clus.ratio);
    b[4] = -1;
    cr_assert_eq(cluster_paired(a, b, 30, counts, 3, 0.95, 500, 2, &clus), -1);
}
