/*
 * stats.c: descriptive statistics of a sample set (stats.h holds the
 * definitions).  Methods:
 *   - mean and variance by Welford's update (Welford 1962, "Note on a method
 *     for calculating corrected sums of squares and products"), which avoids
 *     the cancellation of the one-pass E[x^2] - E[x]^2;
 *   - quantiles by definition 7 of Hyndman and Fan (1996, "Sample quantiles
 *     in statistical packages"), R's default and numpy's "linear";
 *   - outliers by Tukey's fences (Tukey 1977, "Exploratory Data Analysis");
 *   - medians by an expected O(n) selection (Floyd and Rivest's SELECT, a
 *     quickselect with sampled pivots, 1975, bounded by a sorting fallback
 *     as in Musser's introselect, 1997) where nothing else needs a sort.
 * The bootstrap intervals are in stats_boot.c.
 */
#include "stats.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "stats_private.h"

#define MAD_SCALE 1.4826          /* 1 / Phi^-1(3/4), as R's mad() */
#define BOOT_MIN_RESAMPLES 1000u  /* floor of B when the work cap lowers it */

void stats_opts_default(struct stats_opts *o)
{
    o->ci_level = 0.95;
    o->resamples = STATS_DEFAULT_RESAMPLES;
    o->seed = STATS_DEFAULT_SEED;
}

/* Welford's running mean and sum of squared deviations m2. */
static void welford(const double *x, size_t n, double *mean, double *m2)
{
    double m = 0.0, s = 0.0;

    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m;

        m += d / (double)(i + 1);
        s += d * (x[i] - m);
    }
    *mean = m;
    *m2 = s;
}

double stats_mean(const double *x, size_t n)
{
    double m, m2;

    if (n == 0)
        return NAN;
    welford(x, n, &m, &m2);
    return m;
}

double stats_stddev(const double *x, size_t n)
{
    double m, m2;

    if (n < 2)
        return NAN;
    welford(x, n, &m, &m2);
    return sqrt(m2 / (double)(n - 1));
}

/* The bits of v as an unsigned key in the order of the values: negative
 * values have every bit flipped, the others only the sign bit. */
static uint64_t sort_key(double v)
{
    uint64_t u;

    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u | 1ULL << 63;
}

/* LSD radix sort of the keys of x[0..n) (no NaN), a byte a pass, with tmp
 * of n values; a byte all keys share skips its pass (the exponents of a
 * sample mostly do).  O(n), against qsort's n log n calls of a
 * comparison.  Returns -1 when tmp cannot be had. */
static int radix_sort(double *x, size_t n)
{
    double *tmp = malloc(n * sizeof *tmp), *src = x, *dst = tmp;
    size_t count[8][256] = {{0}}, i;

    if (!tmp)
        return -1;
    for (i = 0; i < n; i++) {
        uint64_t k = sort_key(x[i]);

        for (int b = 0; b < 8; b++)
            count[b][(k >> (8 * b)) & 0xff]++;
    }
    for (int b = 0; b < 8; b++) {
        size_t pos = 0, *c = count[b];
        double *t;

        if (c[(sort_key(x[0]) >> (8 * b)) & 0xff] == n)
            continue;
        for (int d = 0; d < 256; d++) {
            size_t k = c[d];

            c[d] = pos;
            pos += k;
        }
        for (i = 0; i < n; i++)
            dst[c[(sort_key(src[i]) >> (8 * b)) & 0xff]++] = src[i];
        t = src;
        src = dst;
        dst = t;
    }
    if (src != x)
        memcpy(x, src, n * sizeof *x);
    free(tmp);
    return 0;
}

/* Insertion sort of x[0..n) (no NaN): the fastest for a few values. */
static void insertion_sort(double *x, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double v = x[i];
        size_t j = i;

        for (; j > 0 && x[j - 1] > v; j--)
            x[j] = x[j - 1];
        x[j] = v;
    }
}

/* Quicksort of x[0..n) (no NaN): the median of three as the pivot, the
 * smaller part by recursion (depth log n), the larger by the loop, parts
 * of a few values by insertion.  Without a call of a comparison function
 * per pair, several times qsort's speed on the short arrays compare sorts
 * by the million. */
static void quick_sort(double *x, size_t n)
{
    while (n > 16) {
        size_t i = 0, j = n - 1, m = n / 2;
        double p;

        if (x[m] < x[0]) { double t = x[m]; x[m] = x[0]; x[0] = t; }
        if (x[j] < x[0]) { double t = x[j]; x[j] = x[0]; x[0] = t; }
        if (x[j] < x[m]) { double t = x[j]; x[j] = x[m]; x[m] = t; }
        p = x[m];
        for (;;) {       /* Hoare: x[0] <= p <= x[n-1] bound both scans */
            while (x[i] < p)
                i++;
            while (p < x[j])
                j--;
            if (i >= j)
                break;
            double t = x[i];
            x[i++] = x[j];
            x[j--] = t;
        }
        /* x[0..j] <= p <= x[j+1..n) */
        if (j + 1 < n - j - 1) {
            quick_sort(x, j + 1);
            x += j + 1;
            n -= j + 1;
        } else {
            quick_sort(x + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    insertion_sort(x, n);
}

/* The NaNs moved to the end (where the comparison puts them), the rest
 * sorted: large arrays by radix sort, small ones (or when memory runs
 * out) by quicksort. */
void stats_sort(double *x, size_t n)
{
    size_t i, m = 0;

    for (i = 0; i < n; i++) {
        if (x[i] == x[i]) {
            double t = x[m];

            x[m++] = x[i];
            x[i] = t;
        }
    }
    if (m >= 1024 && radix_sort(x, m) == 0)
        return;
    quick_sort(x, m);
}

double stats_lerp(double a, double b, double t)
{
    if (t == 0.0 || a == b)
        return a;
    return a + t * (b - a);
}

double stats_quantile_sorted(const double *sorted, size_t n, double p)
{
    double h;
    size_t lo;

    if (n == 0)
        return NAN;
    if (!(p > 0.0))             /* also catches a NaN p */
        p = 0.0;
    if (p > 1.0)
        p = 1.0;
    h = (double)(n - 1) * p;
    lo = (size_t)floor(h);
    if (lo >= n - 1)
        return sorted[n - 1];
    return stats_lerp(sorted[lo], sorted[lo + 1], h - (double)lo);
}

static void swap(double *x, ptrdiff_t i, ptrdiff_t j)
{
    double t = x[i];

    x[i] = x[j];
    x[j] = t;
}

/* Reorder x[left..right] so that x[k] holds the value of rank k, with
 * nothing larger before it and nothing smaller after it.  Floyd and
 * Rivest's SELECT (1975, CACM Algorithm 489): a quickselect whose pivot
 * comes from first selecting within a sample window of about n^(2/3)
 * values around the expected position of the k-th, which needs about
 * 1.5 n comparisons against 2.75 n with a median-of-three pivot.  As in
 * Musser's introselect (1997), a round budget bounds the worst case: once
 * it is spent, what remains is sorted. */
static void select_range(double *x, ptrdiff_t left, ptrdiff_t right, ptrdiff_t k,
                         unsigned budget)
{
    while (right > left) {
        ptrdiff_t i, j;
        double t;

        if (budget-- == 0) {
            stats_sort(x + left, (size_t)(right - left + 1));
            return;
        }
        if (right - left > 600) {
            double n = (double)(right - left + 1), m = (double)(k - left + 1);
            double z = log(n), s = 0.5 * exp(2.0 * z / 3.0);
            double sd = 0.5 * sqrt(z * s * (n - s) / n) * (m < n / 2.0 ? -1.0 : 1.0);
            double lo = (double)k - m * s / n + sd, hi = (double)k + (n - m) * s / n + sd;

            select_range(x, lo > (double)left ? (ptrdiff_t)lo : left,
                         hi < (double)right ? (ptrdiff_t)hi : right, k, budget);
        }
        /* Partition around t = x[k]; x[left] and x[right] end up as
         * sentinels (x[left] <= t <= x[right]) for the inner scans. */
        t = x[k];
        i = left;
        j = right;
        swap(x, left, k);
        if (x[right] > t)
            swap(x, right, left);
        while (i < j) {
            swap(x, i, j);
            i++;
            j--;
            while (x[i] < t)
                i++;
            while (x[j] > t)
                j--;
        }
        if (x[left] == t) {
            swap(x, left, j);
        } else {
            j++;
            swap(x, j, right);
        }
        /* t now sits at j */
        if (j <= k)
            left = j + 1;
        if (k <= j)
            right = j - 1;
    }
}

/* x[k] after select_range over all of x[0..n). */
static double select_kth(double *x, size_t n, size_t k)
{
    unsigned budget = 16;

    for (size_t m = n; m > 1; m >>= 1)
        budget += 2;
    select_range(x, 0, (ptrdiff_t)n - 1, (ptrdiff_t)k, budget);
    return x[k];
}

double stats_median_inplace(double *x, size_t n)
{
    size_t k = (n - 1) / 2;
    double a = select_kth(x, n, k), b;

    if (n % 2)
        return a;
    /* Even n: h = (n - 1) / 2 = k + 1/2; the upper neighbour is the
     * smallest value right of k. */
    b = x[k + 1];
    for (size_t i = k + 2; i < n; i++)
        if (x[i] < b)
            b = x[i];
    return stats_lerp(a, b, 0.5);
}

/* A new copy of x[0..n) (n > 0), or NULL when out of memory. */
static double *copy_of(const double *x, size_t n)
{
    double *t = malloc(n * sizeof *t);

    if (t)
        memcpy(t, x, n * sizeof *t);
    return t;
}

double stats_median(const double *x, size_t n)
{
    double *t, m;

    if (n == 0 || !(t = copy_of(x, n)))
        return NAN;
    m = stats_median_inplace(t, n);
    free(t);
    return m;
}

/* MAD of the values in t[0..n) (any order), overwriting t. */
static double mad_inplace(double *t, size_t n, double median)
{
    for (size_t i = 0; i < n; i++)
        t[i] = fabs(t[i] - median);
    return MAD_SCALE * stats_median_inplace(t, n);
}

double stats_mad(const double *x, size_t n)
{
    double *t, m;

    if (n == 0 || !(t = copy_of(x, n)))
        return NAN;
    m = stats_median_inplace(t, n);
    m = mad_inplace(t, n, m);
    free(t);
    return m;
}

/* Tukey's fences on sorted values: a value exactly on a fence is inside. */
static void outliers_sorted(const double *sorted, size_t n, struct outliers *out)
{
    double q1, q3, iqr, lo3, lo15, hi15, hi3;

    memset(out, 0, sizeof *out);
    if (n == 0)
        return;
    q1 = stats_quantile_sorted(sorted, n, 0.25);
    q3 = stats_quantile_sorted(sorted, n, 0.75);
    iqr = q3 - q1;
    lo3 = q1 - 3.0 * iqr;
    lo15 = q1 - 1.5 * iqr;
    hi15 = q3 + 1.5 * iqr;
    hi3 = q3 + 3.0 * iqr;
    for (size_t i = 0; i < n; i++) {
        double v = sorted[i];

        if (v < lo3)
            out->low_severe++;
        else if (v < lo15)
            out->low_mild++;
        else if (v > hi3)
            out->high_severe++;
        else if (v > hi15)
            out->high_mild++;
    }
}

/* The counts stay zero when the sorted copy cannot be allocated: the
 * signature leaves no other way to report it, and stats_compute, which
 * can, does not come through here. */
void stats_outliers(const double *x, size_t n, struct outliers *out)
{
    double *t;

    memset(out, 0, sizeof *out);
    if (n == 0 || !(t = copy_of(x, n)))
        return;
    stats_sort(t, n);
    outliers_sorted(t, n, out);
    free(t);
}

unsigned stats_boot_count(size_t n, unsigned resamples)
{
    unsigned long long cap = STATS_BOOT_WORK / n;

    if (resamples <= cap)
        return resamples;
    if (cap < BOOT_MIN_RESAMPLES)
        cap = BOOT_MIN_RESAMPLES;
    return resamples < cap ? resamples : (unsigned)cap;
}

/* On n == 0 every double field is NaN except ci_level, which echoes the
 * option like seed does; resamples is 0 then and when the bootstrap is
 * skipped. */
int stats_compute(const double *x, size_t n, const struct stats_opts *o, struct stats *out)
{
    struct stats_opts def;
    double *t, m2;

    if (!o) {
        stats_opts_default(&def);
        o = &def;
    }
    memset(out, 0, sizeof *out);
    out->n = n;
    out->ci_level = o->ci_level;
    out->seed = o->seed;
    out->mean = out->median = out->stddev = out->mad = NAN;
    out->min = out->max = NAN;
    out->p5 = out->p25 = out->p75 = out->p95 = out->p99 = NAN;
    out->cv = NAN;
    out->ci_median.lo = out->ci_median.hi = NAN;
    out->ci_mean.lo = out->ci_mean.hi = NAN;
    if (n == 0)
        return 0;

    welford(x, n, &out->mean, &m2);
    if (n > 1) {
        out->stddev = sqrt(m2 / (double)(n - 1));
        if (out->mean != 0.0)
            out->cv = out->stddev / out->mean;
    }

    if (!(t = copy_of(x, n)))
        return -1;
    stats_sort(t, n);
    out->min = t[0];
    out->max = t[n - 1];
    out->median = stats_quantile_sorted(t, n, 0.5);
    out->p5 = stats_quantile_sorted(t, n, 0.05);
    out->p25 = stats_quantile_sorted(t, n, 0.25);
    out->p75 = stats_quantile_sorted(t, n, 0.75);
    out->p95 = stats_quantile_sorted(t, n, 0.95);
    out->p99 = stats_quantile_sorted(t, n, 0.99);
    outliers_sorted(t, n, &out->outliers);
    if (o->resamples > 0 && (stats_ci_median(t, n, o->ci_level, &out->ci_median) < 0 ||
                             stats_ci_mean(x, n, o->ci_level, &out->ci_mean) < 0)) {
        free(t);
        return -1;
    }
    out->mad = mad_inplace(t, n, out->median);
    free(t);
    return 0;
}
