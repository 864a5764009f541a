/*
 * test_stats_boot.c: the bootstrap intervals of harness/lib/stats_boot.c and
 * harness/lib/stats_mean.c (one module with stats.c; its intervals apart).
 *
 * Exactness: tests/ref/boot_exact.py (Python, exact fractions) computes the
 * bootstrap distribution of the median by its definition (every resample,
 * n <= 7) and by the order-statistic law in integers (any n), the mean's
 * by every resample (n <= 6), and the ratio of two medians by every pair
 * (each end also at its level -+ 5e-5, as stats_boot.c may leave out
 * atoms of that much mass in all); its output tests/ref/boot_exact.out is
 * included below.
 *
 * Accuracy against the resampled percentile bootstrap (B = 10,000
 * resamples from the default seed, the generator of boot_ref.py; the same
 * script):
 * each end of each interval lies within RESAMPLE_TOL of the resampled
 * interval's width of the resampled end.  At B = 10,000 one standard error
 * of a 2.5 % quantile is about 0.7 % of a 95 % interval's width (normal
 * case), so the tolerance is 7 standard errors; the median's distribution
 * is lumpy, where one step between its values is the resolution.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rng.h"
#include "harness/lib/stats.h"
#include "helpers.h"

#define RESAMPLE_TOL 0.05

struct exact_ref {
    const char *name;
    size_t off, n;
    double level, med_lo, med_hi, mean_lo, mean_hi;
};

struct ratio_ref {
    const char *base;
    size_t boff, bn;
    const char *nw;
    size_t noff, nn;
    double level, lo, lo_below, lo_above, hi, hi_below, hi_above;
};

struct resampled_ref {
    const char *name;
    double level, med_lo, med_hi, mean_lo, mean_hi;
};

#include "ref/boot_exact.out"

/* n values of data_<name>.txt from off on, as a new array. */
static double *part(const char *name, size_t off, size_t n)
{
    size_t all;
    double *x = read_data(name, &all), *y = malloc(n * sizeof *y);

    cr_assert_not_null(y);
    cr_assert_leq(off + n, all, "%s: %zu values", name, all);
    memcpy(y, x + off, n * sizeof *y);
    free(x);
    return y;
}

Test(stats_boot, median_is_exact)
{
    for (size_t i = 0; i < COUNT(exact_ref); i++) {
        const struct exact_ref *w = &exact_ref[i];
        double *x = part(w->name, w->off, w->n);
        struct ci med, mean;

        cr_assert_eq(stats_bootstrap(x, w->n, w->level, &med, &mean), 0);
        cr_assert_eq(med.lo, w->med_lo, "%s %zu at %g: lo %.17g", w->name, w->n, w->level,
                     med.lo);
        cr_assert_eq(med.hi, w->med_hi, "%s %zu at %g: hi %.17g", w->name, w->n, w->level,
                     med.hi);
        if (!isnan(w->mean_lo)) {
            assert_rel(mean.lo, w->mean_lo, 1e-14, w->name);
            assert_rel(mean.hi, w->mean_hi, 1e-14, w->name);
        }
        free(x);
    }
}

/* The interval against the resampled one, and stats_compute against
 * stats_bootstrap (same numbers, resamples 0: nothing was drawn). */
Test(stats_boot, close_to_resampling)
{
    for (size_t i = 0; i < COUNT(resampled_ref); i++) {
        const struct resampled_ref *w = &resampled_ref[i];
        struct stats_opts o = { w->level, STATS_DEFAULT_RESAMPLES, STATS_DEFAULT_SEED };
        size_t n;
        double *x = read_data(w->name, &n);
        double wm = w->med_hi - w->med_lo, wa = w->mean_hi - w->mean_lo;
        struct ci med, mean;
        struct stats s;

        cr_assert_eq(stats_bootstrap(x, n, w->level, &med, &mean), 0);
        cr_assert_leq(fabs(med.lo - w->med_lo), RESAMPLE_TOL * wm, "%s: median lo %.17g",
                      w->name, med.lo);
        cr_assert_leq(fabs(med.hi - w->med_hi), RESAMPLE_TOL * wm, "%s: median hi %.17g",
                      w->name, med.hi);
        cr_assert_leq(fabs(mean.lo - w->mean_lo), RESAMPLE_TOL * wa, "%s: mean lo %.17g",
                      w->name, mean.lo);
        cr_assert_leq(fabs(mean.hi - w->mean_hi), RESAMPLE_TOL * wa, "%s: mean hi %.17g",
                      w->name, mean.hi);
        cr_assert_eq(stats_compute(x, n, &o, &s), 0);
        cr_assert_eq(s.resamples, 0);
        cr_assert_eq(s.seed, STATS_DEFAULT_SEED);
        cr_assert_eq(s.ci_level, w->level);
        cr_assert(s.ci_median.lo == med.lo && s.ci_median.hi == med.hi);
        cr_assert(s.ci_mean.lo == mean.lo && s.ci_mean.hi == mean.hi);
        free(x);
    }
}

Test(stats_boot, ratio_is_exact)
{
    for (size_t i = 0; i < COUNT(ratio_ref); i++) {
        const struct ratio_ref *w = &ratio_ref[i];
        double *b = part(w->base, w->boff, w->bn), *x = part(w->nw, w->noff, w->nn);
        struct stats_boot_dist db, dn;

        stats_sort(b, w->bn);
        stats_sort(x, w->nn);
        cr_assert_eq(stats_boot_median(b, w->bn, &db), 0);
        cr_assert_eq(stats_boot_median(x, w->nn, &dn), 0);
        double lo = stats_boot_ratio_quantile(&db, &dn, (1 - w->level) / 2);
        double hi = stats_boot_ratio_quantile(&db, &dn, (1 + w->level) / 2);

        /* an exact quantile, at a level within the mass left out of the
         * medians' distributions (stats_boot.c) */
        cr_assert(lo >= w->lo_below && lo <= w->lo_above, "%s / %s at %g: lo %.17g, %.17g",
                  w->nw, w->base, w->level, lo, w->lo);
        cr_assert(hi >= w->hi_below && hi <= w->hi_above, "%s / %s at %g: hi %.17g, %.17g",
                  w->nw, w->base, w->level, hi, w->hi);
        stats_boot_free(&db);
        stats_boot_free(&dn);
        free(b);
        free(x);
    }
}

/* The distribution: ascending values, probabilities that add up, and the
 * quantile at the ends of the range. */
Test(stats_boot, median_distribution_shape)
{
    static const size_t sizes[] = { 1, 2, 3, 10, 11, 100, 101, 4000, 4001 };
    struct rng r;

    rng_seed(&r, 17);
    for (size_t s = 0; s < COUNT(sizes); s++) {
        size_t n = sizes[s];
        double *x = malloc(n * sizeof *x), sum = 0;
        struct stats_boot_dist d;

        cr_assert_not_null(x);
        for (size_t i = 0; i < n; i++)
            x[i] = exp(rng_normal(&r));
        stats_sort(x, n);
        cr_assert_eq(stats_boot_median(x, n, &d), 0);
        cr_assert_gt(d.n, 0);
        for (size_t i = 0; i < d.n; i++) {
            cr_assert(d.p[i] >= 0, "n %zu", n);
            cr_assert(i == 0 || d.v[i - 1] <= d.v[i], "n %zu: not ascending at %zu", n, i);
            sum += d.p[i];
        }
        cr_assert_float_eq(sum, 1.0, 1e-12, "n %zu", n);
        cr_assert_eq(d.cum[d.n - 1], 1.0);
        cr_assert_eq(stats_boot_quantile(&d, 1.0), d.v[d.n - 1]);
        cr_assert_eq(stats_boot_quantile(&d, 0.0), d.v[0]);
        cr_assert(d.v[0] >= x[0] && d.v[d.n - 1] <= x[n - 1]);
        stats_boot_free(&d);
        free(x);
    }
}

/* The same values in another order give the same intervals: nothing is
 * drawn, so there is no seed to vary. */
Test(stats_boot, order_does_not_matter)
{
    size_t n;
    double *x = read_data("lognormal", &n), *y = malloc(n * sizeof *y);
    struct ci m1, a1, m2, a2;
    struct rng r;

    cr_assert_not_null(y);
    memcpy(y, x, n * sizeof *y);
    rng_seed(&r, 3);
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)rng_below(&r, i + 1);
        double t = y[i];

        y[i] = y[j];
        y[j] = t;
    }
    cr_assert_eq(stats_bootstrap(x, n, 0.95, &m1, &a1), 0);
    cr_assert_eq(stats_bootstrap(y, n, 0.95, &m2, &a2), 0);
    cr_assert(m1.lo == m2.lo && m1.hi == m2.hi);
    assert_rel(a1.lo, a2.lo, 1e-12, "mean lo");
    assert_rel(a1.hi, a2.hi, 1e-12, "mean hi");
    free(x);
    free(y);
}

/* A higher level can only widen the interval, and every interval holds
 * the estimate. */
Test(stats_boot, levels_nest)
{
    static const double level[] = { 0.5, 0.8, 0.9, 0.95, 0.99 };
    struct ci prev_m = { INFINITY, -INFINITY }, prev_a = { INFINITY, -INFINITY };
    size_t n;
    double *x = read_data("lognormal", &n);
    double med = stats_median(x, n), mean = stats_mean(x, n);

    for (size_t i = 0; i < COUNT(level); i++) {
        struct ci m, a;

        cr_assert_eq(stats_bootstrap(x, n, level[i], &m, &a), 0);
        cr_assert(m.lo <= med && med <= m.hi, "level %g", level[i]);
        cr_assert(a.lo <= mean && mean <= a.hi, "level %g", level[i]);
        if (i > 0) {
            cr_assert(m.lo <= prev_m.lo && m.hi >= prev_m.hi, "level %g", level[i]);
            cr_assert(a.lo <= prev_a.lo && a.hi >= prev_a.hi, "level %g", level[i]);
        }
        prev_m = m;
        prev_a = a;
    }
    free(x);
}

/* 200 data sets of 30 normal values (mean 10, sd 2) from a seeded stream:
 * the nominal 95 % interval of the mean must cover 10 in 90 to 99 % of
 * them (the percentile interval runs a little short at n = 30). */
Test(stats_boot, coverage)
{
    enum { SETS = 200, N = 30 };
    struct rng r;
    double x[N];
    int cover_mean = 0, cover_median = 0;

    rng_seed(&r, 271828);
    for (int k = 0; k < SETS; k++) {
        struct ci med, mean;

        for (int i = 0; i < N; i++)
            x[i] = 10.0 + 2.0 * rng_normal(&r);
        cr_assert_eq(stats_bootstrap(x, N, 0.95, &med, &mean), 0);
        cover_mean += mean.lo <= 10.0 && 10.0 <= mean.hi;
        cover_median += med.lo <= 10.0 && 10.0 <= med.hi;
    }
    cr_assert(cover_mean >= 180 && cover_mean <= 198, "mean covered %d / %d", cover_mean, SETS);
    cr_assert(cover_median >= 180 && cover_median <= 198, "median covered %d / %d",
              cover_median, SETS);
}

/* Large samples: the mean's interval from the grouped sums (n >= 65536)
 * against the normal interval mean +- 1.96 sd / sqrt(n), which a skew of
 * this size moves by far less than 1 % of its width; the median's holds
 * the median and is about as wide as the asymptotic 2 1.96 / (2 f(m)
 * sqrt(n)) for the normal density f. */
Test(stats_boot, large_samples)
{
    enum { BIG = 200000 };
    struct rng r;
    struct stats s;
    double *x = malloc(BIG * sizeof *x), half, f;

    cr_assert_not_null(x);
    rng_seed(&r, 31);
    for (size_t i = 0; i < BIG; i++)
        x[i] = 1000.0 + 10.0 * rng_normal(&r);
    cr_assert_eq(stats_compute(x, BIG, NULL, &s), 0);
    half = 1.959963984540054 * s.stddev / sqrt((double)BIG);
    cr_assert_float_eq(s.ci_mean.lo, s.mean - half, 0.01 * half);
    cr_assert_float_eq(s.ci_mean.hi, s.mean + half, 0.01 * half);
    f = 1.0 / (10.0 * sqrt(2 * M_PI));
    half = 1.959963984540054 / (2 * f * sqrt((double)BIG));
    cr_assert(s.ci_median.lo <= s.median && s.median <= s.ci_median.hi);
    cr_assert_float_eq(s.ci_median.hi - s.ci_median.lo, 2 * half, 0.15 * half);
    free(x);
}

Test(stats_boot, degenerate)
{
    const double one[] = { 5.0 }, same[] = { 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0 };
    struct ci m, a;

    cr_assert_eq(stats_bootstrap(one, 1, 0.95, &m, &a), 0);
    cr_assert(m.lo == 5.0 && m.hi == 5.0 && a.lo == 5.0 && a.hi == 5.0);
    cr_assert_eq(stats_bootstrap(same, 8, 0.95, &m, &a), 0);
    cr_assert(m.lo == 2.0 && m.hi == 2.0 && a.lo == 2.0 && a.hi == 2.0);
    cr_assert_eq(stats_bootstrap(one, 0, 0.95, &m, &a), 0);
    cr_assert(isnan(m.lo) && isnan(m.hi) && isnan(a.lo) && isnan(a.hi));
}
