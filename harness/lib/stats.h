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
 *   ci        percentile bootstrap (Efron and Tibshirani 1993, ch. 13): the
 *             quantiles (1-level)/2 and (1+level)/2 of the distribution of
 *             the statistic over resamples (n values drawn with
 *             replacement), computed rather than sampled (stats_boot.c):
 *             the ideal bootstrap of B = infinity resamples, so no seed
 *             and no resample count enter it.  Median: the exact
 *             distribution of a resample's type-7 median; the interval's
 *             ends are values it takes, lo the smallest v with P(median*
 *             <= v) >= (1-level)/2, hi likewise.  Mean: exact for n <= 6
 *             (every resample enumerated), else the saddlepoint
 *             approximation of the distribution (Davison and Hinkley
 *             1988), which follows the resampled one to within its Monte
 *             Carlo noise at 10,000 resamples except where a few far values
 *             make that distribution lumpy.  n == 1 gives lo = hi = the
 *             value.
 */
#ifndef PACER_STATS_H
#define PACER_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_DEFAULT_SEED 0x70616365ULL /* "pace" */
#define STATS_DEFAULT_RESAMPLES 10000u
#define STATS_BOOT_WORK 20000000ULL     /* draws a resampling loop may make */

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
    unsigned resamples;   /* 0: the intervals were computed, not resampled */
    uint64_t seed;        /* the seed asked for (unused by the intervals) */
    struct outliers outliers;
};

struct stats_opts {
    double ci_level;      /* default 0.95 */
    unsigned resamples;   /* 0 skips the bootstrap (ci = NaN); any other
                             value computes it (default STATS_DEFAULT_RESAMPLES) */
    uint64_t seed;        /* default STATS_DEFAULT_SEED */
};

void stats_opts_default(struct stats_opts *o);

/* What this thread keeps between calls (the bootstrap median's shapes),
 * given back: a thread that computed statistics calls it before it ends. */
void stats_thread_free(void);

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
/* The same by selection in place: reorders x[0..n), n > 0. */
double stats_median_inplace(double *x, size_t n);
/* 1.4826 * median absolute deviation from the median. */
double stats_mad(const double *x, size_t n);
/* Sort doubles ascending in place. */
void stats_sort(double *x, size_t n);
/* Count outliers by Tukey fences. */
void stats_outliers(const double *x, size_t n, struct outliers *out);
/* B, the resamples a resampling loop over n values (n > 0) draws:
 * resamples, lowered to max(1000, STATS_BOOT_WORK / n) when n * B would
 * exceed STATS_BOOT_WORK.  A request already below that floor is kept as
 * it is (the cap only ever lowers B). */
unsigned stats_boot_count(size_t n, unsigned resamples);

/* ---- bootstrap intervals (stats_boot.c) ---- */

/* Percentile bootstrap CIs of the median and the mean of x[0..n) as
 * described above.  n == 0 leaves both NaN.  Returns 0, or -1 when out of
 * memory. */
int stats_bootstrap(const double *x, size_t n, double level, struct ci *median,
                    struct ci *mean);
/* The median's interval alone, from the values already sorted. */
int stats_ci_median(const double *sorted, size_t n, double level, struct ci *out);
/* The mean's interval alone (x in any order, not modified). */
int stats_ci_mean(const double *x, size_t n, double level, struct ci *out);

/* The bootstrap distribution of a resample's median: the values it takes,
 * ascending, with their probabilities and P(median* <= v[i]) in cum[i]
 * (cum[n - 1] == 1); v[n .. n + STATS_BOOT_PAD) hold +inf, an end for
 * scans.  Values whose probability is below 1e-7 are left out and the
 * rest scaled to add up to 1 (stats_boot.c says how little that moves an
 * interval).  Owned: stats_boot_free. */
#define STATS_BOOT_PAD 4
struct stats_boot_dist {
    double *v, *p, *cum;
    size_t n;
};

/* The distribution of the median of x_sorted[0..n) (n > 0, ascending).
 * Returns 0, or -1 when out of memory. */
int stats_boot_median(const double *sorted, size_t n, struct stats_boot_dist *d);
/* The smallest value v of d with P(median* <= v) >= p. */
double stats_boot_quantile(const struct stats_boot_dist *d, double p);
/* For two independent resamples, the smallest value r of median*(nw) /
 * median*(base) with P(ratio <= r) >= p; every value of both must be > 0.
 * NaN when out of memory. */
double stats_boot_ratio_quantile(const struct stats_boot_dist *base,
                                 const struct stats_boot_dist *nw, double p);
void stats_boot_free(struct stats_boot_dist *d);

#endif
