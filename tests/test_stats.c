/*
 * test_stats.c: harness/stats.c against independent computations.
 *
 * Descriptive statistics: R's mean, sd, median, quantile(type = 7), mad(),
 * min, max and Tukey fence counts, from tests/ref/stats_ref.R (R 4.2.2);
 * its output tests/ref/stats_ref.out is copied into r_ref[] below, and the
 * data sets are read from the tests/ref/data_*.txt files that script wrote.
 *
 * The bootstrap intervals (stats_boot.c) are tested in test_stats_boot.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rng.h"
#include "harness/lib/stats.h"
#include "helpers.h"

#define REL 1e-12

struct r_row {
    const char *name;
    size_t n;
    double mean, sd, median, p5, p25, p75, p95, p99, mad, min, max, cv;
    size_t low_severe, low_mild, high_mild, high_severe;
};

/* Copied from tests/ref/stats_ref.out:
 * R version 4.2.2 Patched (2022-11-10 r83330), Rscript stats_ref.R */
static const struct r_row r_ref[] = {
{ "one", 1, 42.5, NAN, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 0, 42.5, 42.5, NAN, 0, 0, 0, 0 },
{ "two", 2, 2, 1.4142135623730951, 2, 1.1000000000000001, 1.5, 2.5, 2.8999999999999995, 2.9799999999999995, 1.4825999999999999, 1, 3, 0.70710678118654757, 0, 0, 0, 0 },
{ "three", 3, 2, 1, 2, 1.1000000000000001, 1.5, 2.5, 2.8999999999999999, 2.98, 1.4825999999999999, 1, 3, 0.5, 0, 0, 0, 0 },
{ "even10", 10, 8.5875000000000004, 5.6847291785390563, 7.5625, 2.1187499999999999, 4.0625, 11.96875, 17.162499999999994, 19.232500000000002, 6.6716999999999995, 1.5, 19.75, 0.66197719691866741, 0, 0, 0, 0 },
{ "odd11", 11, 3.2181818181818183, 4.5503446422920941, 3.2999999999999998, -2.9500000000000002, -0.25, 6.5999999999999996, 9.3500000000000014, 9.7900000000000009, 5.7821399999999992, -4.2000000000000002, 9.9000000000000004, 1.4139489001472609, 0, 0, 0, 0 },
{ "ties", 15, 4.8666666666666663, 1.9591057240729093, 5, 1.7000000000000002, 5, 5, 8.2999999999999989, 8.8599999999999994, 0, 1, 9, 0.40255597069991289, 3, 0, 0, 2 },
{ "equal", 8, 7, 0, 7, 7, 7, 7, 7, 7, 0, 7, 7, 0, 0, 0, 0, 0 },
{ "fences", 9, 20, 40.697051490249265, 20, -38, 10, 30, 78, 87.599999999999994, 14.825999999999999, -50, 90, 2.0348525745124633, 0, 1, 1, 0 },
{ "outliers", 25, 140.12, 206.1937438430177, 100, 87.200000000000003, 99, 102, 423.59999999999889, 879.99999999999898, 2.9651999999999998, -200, 1000, 1.4715511264845682, 2, 0, 0, 3 },
{ "spiky", 501, 2046.8021672603268, 450.92045788945268, 2000.8206464795428, 1976.1269159303372, 1990.739418682477, 2011.5373129198567, 2030.3511893110342, 3161.848796302239, 15.513262130792437, 1801.8265144967484, 9333.7951477613078, 0.22030485657195487, 1, 2, 0, 10 },
{ "lognormal", 1000, 102393.23848063225, 25902.903459208501, 98832.878518122074, 66045.259067136358, 83159.299990402389, 118340.13002753707, 148855.35612073619, 175633.26433515587, 25775.593269139714, 46380.574303620328, 209102.73347804751, 0.25297474563330713, 0, 0, 13, 0 },
};

#define NREF (sizeof r_ref / sizeof *r_ref)

static void check_outliers(const struct outliers *o, const struct r_row *w)
{
    cr_assert_eq(o->low_severe, w->low_severe, "%s: low_severe %zu", w->name, o->low_severe);
    cr_assert_eq(o->low_mild, w->low_mild, "%s: low_mild %zu", w->name, o->low_mild);
    cr_assert_eq(o->high_mild, w->high_mild, "%s: high_mild %zu", w->name, o->high_mild);
    cr_assert_eq(o->high_severe, w->high_severe, "%s: high_severe %zu", w->name,
                 o->high_severe);
}

Test(stats, compute_matches_r)
{
    struct stats_opts o;

    stats_opts_default(&o);
    o.resamples = 0;
    for (size_t i = 0; i < NREF; i++) {
        const struct r_row *w = &r_ref[i];
        struct stats s;
        size_t n;
        double *x = read_data(w->name, &n);

        cr_assert_eq(n, w->n, "%s: read %zu values", w->name, n);
        cr_assert_eq(stats_compute(x, n, &o, &s), 0);
        cr_assert_eq(s.n, w->n);
        assert_rel(s.mean, w->mean, REL, w->name);
        assert_rel(s.stddev, w->sd, REL, w->name);
        assert_rel(s.median, w->median, REL, w->name);
        assert_rel(s.p5, w->p5, REL, w->name);
        assert_rel(s.p25, w->p25, REL, w->name);
        assert_rel(s.p75, w->p75, REL, w->name);
        assert_rel(s.p95, w->p95, REL, w->name);
        assert_rel(s.p99, w->p99, REL, w->name);
        assert_rel(s.mad, w->mad, REL, w->name);
        assert_rel(s.min, w->min, REL, w->name);
        assert_rel(s.max, w->max, REL, w->name);
        assert_rel(s.cv, w->cv, REL, w->name);
        check_outliers(&s.outliers, w);
        free(x);
    }
}

Test(stats, building_blocks_match_r)
{
    for (size_t i = 0; i < NREF; i++) {
        const struct r_row *w = &r_ref[i];
        struct outliers out;
        size_t n;
        double *x = read_data(w->name, &n), *sorted = malloc(n * sizeof *sorted);

        cr_assert_not_null(sorted);
        memcpy(sorted, x, n * sizeof *x);
        stats_sort(sorted, n);
        for (size_t k = 1; k < n; k++)
            cr_assert_leq(sorted[k - 1], sorted[k], "%s: not sorted at %zu", w->name, k);
        assert_rel(stats_mean(x, n), w->mean, REL, w->name);
        assert_rel(stats_stddev(x, n), w->sd, REL, w->name);
        assert_rel(stats_median(x, n), w->median, REL, w->name);
        assert_rel(stats_mad(x, n), w->mad, REL, w->name);
        assert_rel(stats_quantile_sorted(sorted, n, 0.05), w->p5, REL, w->name);
        assert_rel(stats_quantile_sorted(sorted, n, 0.99), w->p99, REL, w->name);
        assert_rel(stats_quantile_sorted(sorted, n, 0.0), w->min, REL, w->name);
        assert_rel(stats_quantile_sorted(sorted, n, 1.0), w->max, REL, w->name);
        stats_outliers(x, n, &out);
        check_outliers(&out, w);
        free(sorted);
        free(x);
    }
}

static void assert_all_nan(const struct stats *s)
{
    const double v[] = {
        s->mean, s->median, s->stddev, s->mad, s->min, s->max, s->p5, s->p25,
        s->p75, s->p95, s->p99, s->cv, s->ci_median.lo, s->ci_median.hi,
        s->ci_mean.lo, s->ci_mean.hi,
    };

    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        cr_assert(isnan(v[i]), "field %zu = %g, expected nan", i, v[i]);
}

Test(stats, empty)
{
    struct stats s;
    struct outliers out = { 1, 1, 1, 1 };
    struct ci med, mean;
    double x[1] = { 1.0 };

    cr_assert_eq(stats_compute(x, 0, NULL, &s), 0);
    cr_assert_eq(s.n, 0);
    assert_all_nan(&s);
    cr_assert_eq(s.resamples, 0);
    cr_assert_eq(s.outliers.low_severe + s.outliers.low_mild + s.outliers.high_mild +
                 s.outliers.high_severe, 0);
    cr_assert(isnan(stats_mean(x, 0)));
    cr_assert(isnan(stats_stddev(x, 0)));
    cr_assert(isnan(stats_median(x, 0)));
    cr_assert(isnan(stats_mad(x, 0)));
    cr_assert(isnan(stats_quantile_sorted(x, 0, 0.5)));
    stats_outliers(x, 0, &out);
    cr_assert_eq(out.low_severe + out.low_mild + out.high_mild + out.high_severe, 0);
    cr_assert_eq(stats_bootstrap(x, 0, 0.95, &med, &mean), 0);
    cr_assert(isnan(med.lo) && isnan(med.hi) && isnan(mean.lo) && isnan(mean.hi));
}

Test(stats, single_value)
{
    struct stats s;
    double x[1] = { 123.25 };

    cr_assert_eq(stats_compute(x, 1, NULL, &s), 0);
    cr_assert_eq(s.n, 1);
    cr_assert(isnan(s.stddev));
    cr_assert(isnan(s.cv));
    cr_assert_eq(s.mean, 123.25);
    cr_assert_eq(s.median, 123.25);
    cr_assert_eq(s.p5, 123.25);
    cr_assert_eq(s.p99, 123.25);
    cr_assert_eq(s.min, 123.25);
    cr_assert_eq(s.max, 123.25);
    cr_assert_eq(s.mad, 0.0);
    cr_assert_eq(s.ci_median.lo, 123.25);
    cr_assert_eq(s.ci_median.hi, 123.25);
    cr_assert_eq(s.ci_mean.lo, 123.25);
    cr_assert_eq(s.ci_mean.hi, 123.25);
    cr_assert_eq(s.resamples, 0, "computed, not resampled");
}

Test(stats, all_equal)
{
    struct stats s;
    double x[50];

    for (size_t i = 0; i < 50; i++)
        x[i] = 3.5;
    cr_assert_eq(stats_compute(x, 50, NULL, &s), 0);
    cr_assert_eq(s.stddev, 0.0);
    cr_assert_eq(s.cv, 0.0);
    cr_assert_eq(s.mad, 0.0);
    cr_assert_eq(s.p75 - s.p25, 0.0);
    cr_assert_eq(s.outliers.low_severe + s.outliers.low_mild + s.outliers.high_mild +
                 s.outliers.high_severe, 0);
    cr_assert_eq(s.ci_median.lo, 3.5);
    cr_assert_eq(s.ci_median.hi, 3.5);
    cr_assert_eq(s.ci_mean.lo, 3.5);
    cr_assert_eq(s.ci_mean.hi, 3.5);
}

Test(stats, zero_mean_has_no_cv)
{
    struct stats s;
    double x[4] = { -2.0, 2.0, -1.0, 1.0 };

    cr_assert_eq(stats_compute(x, 4, NULL, &s), 0);
    cr_assert_eq(s.mean, 0.0);
    cr_assert(isnan(s.cv));
}

Test(stats, null_opts_are_the_defaults)
{
    struct stats_opts o;
    struct stats a, b;
    size_t n;
    double *x = read_data("even10", &n);

    stats_opts_default(&o);
    cr_assert_eq(o.ci_level, 0.95);
    cr_assert_eq(o.resamples, STATS_DEFAULT_RESAMPLES);
    cr_assert_eq(o.seed, STATS_DEFAULT_SEED);
    cr_assert_eq(stats_compute(x, n, NULL, &a), 0);
    cr_assert_eq(stats_compute(x, n, &o, &b), 0);
    cr_assert_eq(a.ci_level, 0.95);
    cr_assert_eq(a.resamples, 0);
    cr_assert_eq(a.seed, STATS_DEFAULT_SEED);
    cr_assert_eq(a.ci_median.lo, b.ci_median.lo);
    cr_assert_eq(a.ci_median.hi, b.ci_median.hi);
    cr_assert_eq(a.ci_mean.lo, b.ci_mean.lo);
    cr_assert_eq(a.ci_mean.hi, b.ci_mean.hi);
    free(x);
}

Test(stats, zero_resamples_skips_bootstrap)
{
    struct stats_opts o;
    struct stats s;
    size_t n;
    double *x = read_data("odd11", &n);

    stats_opts_default(&o);
    o.resamples = 0;
    cr_assert_eq(stats_compute(x, n, &o, &s), 0);
    cr_assert_eq(s.resamples, 0);
    cr_assert(isnan(s.ci_median.lo) && isnan(s.ci_median.hi));
    cr_assert(isnan(s.ci_mean.lo) && isnan(s.ci_mean.hi));
    cr_assert(!isnan(s.median) && !isnan(s.stddev));
    free(x);
}

Test(stats, input_is_not_modified)
{
    struct stats s;
    size_t n;
    double *x = read_data("spiky", &n), *copy = malloc(n * sizeof *copy);

    cr_assert_not_null(copy);
    memcpy(copy, x, n * sizeof *x);
    cr_assert_eq(stats_compute(x, n, NULL, &s), 0);
    (void)stats_median(x, n);
    (void)stats_mad(x, n);
    cr_assert_eq(memcmp(x, copy, n * sizeof *x), 0);
    free(copy);
    free(x);
}

/* The work cap lowers B to max(1000, STATS_BOOT_WORK / n), never raises it. */
Test(stats, boot_count_caps_the_work)
{
    cr_assert_eq(stats_boot_count(10, 10000), 10000u);
    cr_assert_eq(stats_boot_count(2000, 10000), 10000u, "n * B at the cap exactly");
    cr_assert_eq(stats_boot_count(4000, 10000), 5000u);
    cr_assert_eq(stats_boot_count(100000, 10000), 1000u, "not below the floor");
    cr_assert_eq(stats_boot_count(100000, 500), 500u, "a request below the floor stands");
    cr_assert_eq(stats_boot_count(5, 0), 0u);
}

Test(stats, quantile_interpolates)
{
    const double x[] = { 1.0, 2.0, 4.0, 8.0 };

    cr_assert_eq(stats_quantile_sorted(x, 4, 0.0), 1.0);
    cr_assert_eq(stats_quantile_sorted(x, 4, 0.5), 3.0);
    cr_assert_eq(stats_quantile_sorted(x, 4, 1.0), 8.0);
    cr_assert_eq(stats_quantile_sorted(x, 4, 0.75), 5.0);     /* h = 2.25 */
    cr_assert_eq(stats_quantile_sorted(x, 4, 5.0 / 6.0), 6.0);
    cr_assert_eq(stats_quantile_sorted(x, 1, 0.3), 1.0);
}

Test(stats, sort_puts_nan_last)
{
    double x[] = { 3.0, NAN, -1.0, 2.0, NAN, 0.0 };

    stats_sort(x, 6);
    cr_assert(x[0] == -1.0 && x[1] == 0.0 && x[2] == 2.0 && x[3] == 3.0);
    cr_assert(isnan(x[4]) && isnan(x[5]));
}

static int cmp_ref(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

/* Large arrays take the radix sort: the same order as a comparison sort,
 * with negative values, both zeros, infinities, ties, subnormals and NaNs
 * of either sign (last). */
Test(stats, radix_sort_agrees_with_qsort)
{
    static const size_t sizes[] = { 1024, 1500, 5000, 70000 };
    struct rng r;

    rng_seed(&r, 99);
    for (size_t s = 0; s < COUNT(sizes); s++) {
        size_t n = sizes[s], nan = 0;
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);

        cr_assert(x && y);
        for (size_t i = 0; i < n; i++) {
            switch (rng_below(&r, 10)) {
            case 0: x[i] = -rng_uniform(&r) * 1e6; break;
            case 1: x[i] = rng_below(&r, 2) ? 0.0 : -0.0; break;
            case 2: x[i] = rng_below(&r, 2) ? INFINITY : -INFINITY; break;
            case 3: x[i] = rng_below(&r, 2) ? NAN : -NAN; break;
            case 4: x[i] = (double)rng_below(&r, 5); break;
            case 5: x[i] = 4.9e-324 * (double)rng_below(&r, 100); break;
            default: x[i] = exp(10 * rng_normal(&r)); break;
            }
            nan += isnan(x[i]);
        }
        memcpy(y, x, n * sizeof *x);
        stats_sort(x, n);
        qsort(y, n, sizeof *y, cmp_ref);
        for (size_t i = 0; i < n; i++) {
            if (i >= n - nan)
                cr_assert(isnan(x[i]), "n %zu: %zu not NaN", n, i);
            else
                cr_assert(x[i] == y[i], "n %zu at %zu: %g, want %g", n, i, x[i], y[i]);
        }
        free(x);
        free(y);
    }
}

static double sorted_median(const double *x, size_t n, double *tmp)
{
    memcpy(tmp, x, n * sizeof *x);
    stats_sort(tmp, n);
    return stats_quantile_sorted(tmp, n, 0.5);
}

/* The selection behind stats_median and the bootstrap agrees bit for bit
 * with sort-then-quantile on inputs chosen to trouble a quickselect:
 * sorted, reversed, organ pipe, sawtooth, few distinct values, all equal. */
Test(stats, selection_agrees_with_sorting)
{
    enum { MAXN = 100001 };
    static double x[MAXN], tmp[MAXN];
    struct rng r;

    rng_seed(&r, 8);
    for (size_t n = 1; n <= MAXN; n = n < 40 ? n + 1 : n < 2000 ? n + 97 : 5 * n + 1) {
        for (int shape = 0; shape < 7; shape++) {
            for (size_t i = 0; i < n; i++) {
                switch (shape) {
                case 0: x[i] = rng_uniform(&r); break;
                case 1: x[i] = (double)i; break;
                case 2: x[i] = (double)(n - i); break;
                case 3: x[i] = (double)(i < n / 2 ? i : n - i); break;
                case 4: x[i] = (double)(i % 7); break;
                case 5: x[i] = (double)rng_below(&r, 3); break;
                default: x[i] = 42.0; break;
                }
            }
            cr_assert_eq(stats_median(x, n), sorted_median(x, n, tmp), "n %zu shape %d",
                         n, shape);
        }
    }
}
