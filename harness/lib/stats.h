/*
 * stats.h: descriptive statistics of a sample set, with bootstrap confidence
 * intervals and Tukey outlier counts.  Shared by the harness and compare/.
 *
 * Definitions (each checked against an independent computation in
 * tests/test_stats.c; see tests/ref/):
 *   mean      arithmetic mean (Welford's update, Welford 1962)
 *   stddev    sample standard deviation, n-1 denominator (Welford); NaN if n < 2
 *   quantile  R's type 7 / numpy's "linear": h = (n-1)p, x[floor h] +
 *             (h - floor h)(x[floor h + 1] - x[floor h]) on the sorted values
 *   median    quantile 0.5
 *   mad       1.4826 * median(|x - median|)  (R's mad(), consistent for normal)
 *   cv        stddev / mean; NaN when undefined (n < 2 or mean == 0)
 *   outliers  Tukey fences (Tukey 1977) on q1 = quantile .25, q3 = quantile
 *             .75, iqr = q3 - q1: mild outside [q1 - 1.5 iqr, q3 + 1.5 iqr]
 *             but inside the 3 iqr fences, severe outside [q1 - 3 iqr,
 *             q3 + 3 iqr].  Counted, never dropped.
 *   ci        percentile bootstrap (Efron and Tibshirani 1993, ch. 13):
 *             B resamples; resample b draws n indices, one after another,
 *             with rng_below(n) from one rng seeded once with `seed`; its
 *             median and its mean are both recorded; the interval is the
 *             type-7 quantiles (1-level)/2 and (1+level)/2 of the B sorted
 *             medians (resp. means).  B = resamples, but when n * B would
 *             exceed STATS_BOOT_WORK it is lowered to max(1000,
 *             STATS_BOOT_WORK / n).  n == 1 gives lo = hi = the value.
 */
#ifndef PACER_STATS_H
#define PACER_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_DEFAULT_SEED 0x70616365ULL /* "pace" */
#define STATS_DEFAULT_RESAMPLES 10000u
#define STATS_BOOT_WORK 20000000ULL

struct ci {
    double lo, hi;
};

struct outliers {
    size_t low_severe, low_mild, high_mild, high_severe;
};

struct stats {
    size_t n;
    double mean, median, stddev, mad, min, max;
    double p5, p25, p75, p95, p99;
    double cv;
    struct ci ci_median, ci_mean;
    double ci_level;      /* e.g. 0.95 */
    unsigned resamples;   /* B actually used */
    uint64_t seed;        /* seed of the bootstrap */
    struct outliers outliers;
};

struct stats_opts {
    double ci_level;      /* default 0.95 */
    unsigned resamples;   /* default STATS_DEFAULT_RESAMPLES; 0 skips the bootstrap (ci = NaN) */
    uint64_t seed;        /* default STATS_DEFAULT_SEED */
};

void stats_opts_default(struct stats_opts *o);

/* Compute every field of out from x[0..n).  x is borrowed, not modified.
 * o may be NULL for the defaults.  n == 0 yields n = 0 and NaN in every
 * double field.  Returns 0, or -1 (out of memory). */
int stats_compute(const double *x, size_t n, const struct stats_opts *o, struct stats *out);

/* Building blocks, exported for compare/ and the tests. */
double stats_mean(const double *x, size_t n);
double stats_stddev(const double *x, size_t n);               /* n-1 */
/* Type-7 quantile of already sorted values, 0 <= p <= 1, n > 0. */
double stats_quantile_sorted(const double *sorted, size_t n, double p);
/* Median of x[0..n) (x not modified); NaN for n == 0. */
double stats_median(const double *x, size_t n);
/* 1.4826 * median absolute deviation from the median. */
double stats_mad(const double *x, size_t n);
/* Sort doubles ascending in place. */
void stats_sort(double *x, size_t n);
/* Count outliers by Tukey fences. */
void stats_outliers(const double *x, size_t n, struct outliers *out);
/* B, the resamples a bootstrap over n values (n > 0) draws: resamples,
 * lowered to max(1000, STATS_BOOT_WORK / n) when n * B would exceed
 * STATS_BOOT_WORK.  A request already below that floor is kept as it is
 * (the cap only ever lowers B). */
unsigned stats_boot_count(size_t n, unsigned resamples);
/* Percentile bootstrap CIs of the median and the mean as described above.
 * Returns the number of resamples used, or 0 on allocation failure. */
unsigned stats_bootstrap(const double *x, size_t n, double level, unsigned resamples,
                         uint64_t seed, struct ci *median, struct ci *mean);

#endif
