/* test_cluster.c: the two-stage bootstrap over worker processes (cluster.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "compare/cluster.h"
#include "harness/lib/rng.h"
#include "harness/lib/stats.h"

static void lognormal(double *x, size_t n, double center, double sigma, uint64_t seed)
{
    struct rng r;
    size_t i;

    rng_seed(&r, seed);
    for (i = 0; i < n; i++)
        x[i] = center * exp(sigma * rng_normal(&r));
}

/* The median of the processes' medians, computed here independently. */
static double centre(const double *x, const size_t *counts, size_t k)
{
    double meds[16];
    size_t i, o = 0;

    for (i = 0; i < k; o += counts[i], i++)
        meds[i] = stats_median(x + o, counts[i]);
    return stats_median(meds, k);
}

Test(cluster, one_process_far_off_does_not_move_the_centre)
{
    double a[30], b[30];
    size_t counts[5] = {6, 6, 6, 6, 6}, i;
    struct clustered ca = {a, 30, counts, 5}, cb = {b, 30, counts, 5};
    struct effect e;

    lognormal(a, 30, 100, 0.003, 11);
    lognormal(b, 30, 103, 0.003, 12);
    /* new's last process ran during a slow spell: 60 % slower. */
    for (i = 24; i < 30; i++)
        b[i] *= 1.6;
    cr_assert_eq(cluster_effect(&ca, &cb, 0.95, 4000, 3, &e), 0);
    cr_assert_float_eq(e.ratio, 1.03, 0.005);
    cr_assert_gt(e.ci.lo, 1.01, "[%g, %g]", e.ci.lo, e.ci.hi);
    cr_assert_lt(e.ci.lo, 1.03);
}

Test(cluster, one_process_is_the_plain_bootstrap)
{
    double a[25], b[31];
    struct clustered ca = {a, 25, NULL, 0}, cb = {b, 31, NULL, 1};
    struct effect e1, e2;

    lognormal(a, 25, 100, 0.02, 1);
    lognormal(b, 31, 103, 0.02, 2);
    cr_assert_eq(cluster_effect(&ca, &cb, 0.95, 2000, 7, &e1), 0);
    cr_assert_eq(effect_unpaired(a, 25, b, 31, 0.95, &e2), 0);
    /* Computed, not drawn: the same numbers, bit for bit. */
    cr_assert_eq(e1.ratio, e2.ratio);
    cr_assert_eq(e1.ci.lo, e2.ci.lo);
    cr_assert_eq(e1.ci.hi, e2.ci.hi);
    cr_assert_eq(e1.resamples, 0);
    /* resamples 0 asks for no interval */
    cr_assert_eq(cluster_effect(&ca, &cb, 0.95, 0, 7, &e1), 0);
    cr_assert(isnan(e1.ci.lo) && isnan(e1.ci.hi));
    cr_assert_eq(e1.ratio, e2.ratio);
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
    cr_assert_float_eq(clus.ratio, centre(b, counts, 5) / centre(a, counts, 5), 1e-15);
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

Test(cluster, hodges_lehmann_on_process_medians)
{
    /* One sample per process: the process medians are the values.
     * Expected from R 4.2.2: b <- c(100, 101, 99.5, 100.7, 100.2);
     * n <- c(103, 102.1, 104, 103.3, 102.8, 103.9);
     * w <- wilcox.test(log(n), log(b), conf.int = TRUE, exact = TRUE);
     * exp(w$estimate); exp(w$conf.int) */
    double b[5] = {100, 101, 99.5, 100.7, 100.2}, n[6] = {103, 102.1, 104, 103.3, 102.8, 103.9};
    size_t cb[5] = {1, 1, 1, 1, 1}, cn[6] = {1, 1, 1, 1, 1, 1};
    struct clustered ca = {b, 5, cb, 5}, cc = {n, 6, cn, 6}, one = {b, 5, NULL, 0};
    struct effect e;

    cr_assert_eq(cluster_hl_unpaired(&ca, &cc, 0.95, &e), 0);
    cr_assert_float_eq(e.ratio, 1.0292078017325468, 1e-12);
    cr_assert_float_eq(e.ci.lo, 1.0189620758483033, 1e-12);
    cr_assert_float_eq(e.ci.hi, 1.0389999999999993, 1e-12);
    cr_assert(!e.ci_narrowed);
    cr_assert_eq(cluster_hl_unpaired(&one, &cc, 0.95, &e), -1, "one process: no interval");
}

Test(cluster, hodges_lehmann_ignores_one_slow_process_below)
{
    /* R 4.2.2: n5 <- c(103, 102.1, 104, 103.3, 140), same b: estimate
     * 1.0309381237524953, CI (1.0189620758483033, 1.3972055888223551):
     * the process far off only stretches the side it is on. */
    double b[5] = {100, 101, 99.5, 100.7, 100.2}, n[5] = {103, 102.1, 104, 103.3, 140};
    size_t c5[5] = {1, 1, 1, 1, 1};
    struct clustered ca = {b, 5, c5, 5}, cc = {n, 5, c5, 5};
    struct effect e;

    cr_assert_eq(cluster_hl_unpaired(&ca, &cc, 0.95, &e), 0);
    cr_assert_float_eq(e.ratio, 1.0309381237524953, 1e-12);
    cr_assert_float_eq(e.ci.lo, 1.0189620758483033, 1e-12);
    cr_assert_float_eq(e.ci.hi, 1.3972055888223551, 1e-12);
}

Test(cluster, hodges_lehmann_too_few_processes)
{
    double b[2] = {100, 101}, n[2] = {103, 104};
    size_t c2[2] = {1, 1};
    struct clustered ca = {b, 2, c2, 2}, cc = {n, 2, c2, 2};
    struct effect e;

    /* 2 against 2: P(U <= 0) = 1/6, no 95 % interval exists. */
    cr_assert_eq(cluster_hl_unpaired(&ca, &cc, 0.95, &e), 0);
    cr_assert(e.ci_narrowed);
    cr_assert_float_eq(e.ci.lo, 103.0 / 101, 1e-12);
    cr_assert_float_eq(e.ci.hi, 104.0 / 100, 1e-12);
}

Test(cluster, sign_interval_on_worker_pairs)
{
    /* Ten worker pairs of one pair each; one far off at -8 %.  R 4.2.2:
     * pbinom(0:2, 10, .5) = 0.00098 0.0107 0.0547, so j = 2 and the CI is
     * (m_(2), m_(9)): s <- sort(m); exp(c(median(m), s[2], s[9])). */
    double m[10] = {0.021, 0.019, 0.024, 0.018, 0.02, 0.022, -0.08, 0.0215, 0.023, 0.017};
    double a[10], b[10];
    size_t counts[10], i;
    struct effect e;

    for (i = 0; i < 10; i++) {
        a[i] = 50;
        b[i] = 50 * exp(m[i]);
        counts[i] = 1;
    }
    cr_assert_eq(cluster_sign_paired(a, b, 10, counts, 10, 0.95, &e), 0);
    cr_assert_float_eq(e.ratio, 1.0207115682431935, 1e-12);
    cr_assert_float_eq(e.ci.lo, 1.0171453223252407, 1e-12);
    cr_assert_float_eq(e.ci.hi, 1.0232665395472176, 1e-12);
    cr_assert(!e.ci_narrowed);
    /* Four clusters cannot give 95 %: the full range, flagged. */
    cr_assert_eq(cluster_sign_paired(a, b, 4, counts, 4, 0.95, &e), 0);
    cr_assert(e.ci_narrowed);
    cr_assert_eq(cluster_sign_paired(a, b, 10, NULL, 0, 0.95, &e), -1);
    b[3] = 0;
    cr_assert_eq(cluster_sign_paired(a, b, 10, counts, 10, 0.95, &e), -1);
}

Test(cluster, paired_median_per_worker_pair)
{
    /* Three worker pairs of 5 pairs: each one's summary is the Hodges-Lehmann
     * centre of its log ratios, which one wild pair in five (99) cannot move
     * far (its breakdown point is 29 %). */
    double a[15], b[15] = {10.15, 10.2, 99, 10.25, 10.2, 10.2, 10.25, 10.15, 10.2, 10.2,
                           10.2, 10.2, 10.15, 10.25, 10.2};
    size_t counts[3] = {5, 5, 5}, i;
    struct effect e;

    for (i = 0; i < 15; i++)
        a[i] = 10;
    cr_assert_eq(cluster_sign_paired(a, b, 15, counts, 3, 0.95, &e), 0);
    cr_assert_float_eq(e.ratio, 1.02, 0.003);
    cr_assert_lt(e.ci.hi, 1.03, "the wild pair stays out: [%g, %g]", e.ci.lo, e.ci.hi);
    cr_assert(e.ci_narrowed);
}
