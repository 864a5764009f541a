/*
 * hist.c: the log-linear latency histogram of hist.h, after Gil Tene's
 * HdrHistogram (https://github.com/HdrHistogram/HdrHistogram).
 *
 * With S = sub_bits and H = 2^(S-1), values below 2^S are their own bucket
 * and the power of two [2^b, 2^(b+1)), b >= S, is split into H buckets of
 * width 2^(b-S+1).  The bucket of v is then
 *
 *     shift = bitlength(v | (2^S - 1)) - S     (0 below 2^S)
 *     index = shift * H + (v >> shift)
 *
 * which numbers the buckets contiguously: v >> shift lies in [H, 2H) once
 * v >= 2^S, so each power of two adds H indices.  A bucket's width over its
 * lowest value is at most 2^shift / (H << shift) = 1 / 2^(S-1), and S is
 * the least with 2^(S-1) >= 10^digits.
 */
#include "hist.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bit length of x > 0. */
static int bitlen(uint64_t x)
{
    return 64 - __builtin_clzll(x);
}

/* The bucket of v without the clamp to the last bucket. */
static size_t raw_index(int sub_bits, uint64_t v)
{
    uint64_t mask = ((uint64_t)1 << sub_bits) - 1;
    int shift = bitlen(v | mask) - sub_bits;

    return ((size_t)shift << (sub_bits - 1)) + (size_t)(v >> shift);
}

int hist_init(struct hist *h, int digits, uint64_t highest, struct err *e)
{
    uint64_t need = 2;
    int sub_bits = 0;

    memset(h, 0, sizeof *h);
    if (digits < HIST_MIN_DIGITS || digits > HIST_MAX_DIGITS)
        return err_set(e, "histogram digits %d out of range (%d to %d)", digits,
                       HIST_MIN_DIGITS, HIST_MAX_DIGITS);
    /* the JSON encoding stores values as int64 */
    if (highest < 2 || highest > (uint64_t)INT64_MAX)
        return err_set(e, "histogram highest value %" PRIu64 " out of range (2 to %" PRId64 ")",
                       highest, INT64_MAX);
    /* sub_bits = ceil(log2(2 * 10^digits)) */
    for (int d = 0; d < digits; d++)
        need *= 10;
    while (((uint64_t)1 << sub_bits) < need)
        sub_bits++;
    h->digits = digits;
    h->sub_bits = sub_bits;
    h->highest = highest;
    h->nbuckets = raw_index(sub_bits, highest) + 1;
    h->counts = calloc(h->nbuckets, sizeof *h->counts);
    if (!h->counts) {
        memset(h, 0, sizeof *h);
        return err_set(e, "histogram: out of memory");
    }
    h->min = UINT64_MAX;
    return 0;
}

void hist_free(struct hist *h)
{
    free(h->counts);
    h->counts = NULL;
    h->nbuckets = 0;
}

void hist_reset(struct hist *h)
{
    if (h->counts)
        memset(h->counts, 0, h->nbuckets * sizeof *h->counts);
    h->count = 0;
    h->min = UINT64_MAX;
    h->max = 0;
    h->sum = 0.0;
    h->clamped = 0;
}

size_t hist_index(const struct hist *h, uint64_t v)
{
    if (v > h->highest)
        return h->nbuckets - 1;
    return raw_index(h->sub_bits, v);
}

uint64_t hist_bucket_low(const struct hist *h, size_t i)
{
    size_t half = (size_t)1 << (h->sub_bits - 1);
    int shift;

    if (i < 2 * half)
        return i;
    shift = (int)(i / half) - 1;
    return (uint64_t)(i - ((size_t)shift << (h->sub_bits - 1))) << shift;
}

uint64_t hist_bucket_high(const struct hist *h, size_t i)
{
    size_t half = (size_t)1 << (h->sub_bits - 1);
    int shift;

    if (i < 2 * half)
        return i;
    shift = (int)(i / half) - 1;
    /* low + (width - 1): no overflow even for the top bucket of 2^64 */
    return hist_bucket_low(h, i) + (((uint64_t)1 << shift) - 1);
}

void hist_record_n(struct hist *h, uint64_t v, uint64_t n)
{
    if (n == 0)
        return;
    h->counts[hist_index(h, v)] += n;
    h->count += n;
    h->sum += (double)v * (double)n;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
    if (v > h->highest)
        h->clamped += n;
}

void hist_record(struct hist *h, uint64_t v)
{
    hist_record_n(h, v, 1);
}

int hist_merge(struct hist *dst, const struct hist *src, struct err *e)
{
    if (dst->digits != src->digits || dst->highest != src->highest)
        return err_set(e, "histograms differ in layout: %d digits up to %" PRIu64
                       " vs %d digits up to %" PRIu64,
                       dst->digits, dst->highest, src->digits, src->highest);
    if (src->count == 0)
        return 0;
    for (size_t i = 0; i < dst->nbuckets; i++)
        dst->counts[i] += src->counts[i];
    dst->count += src->count;
    dst->sum += src->sum;
    dst->clamped += src->clamped;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
    return 0;
}

/* The nearest rank ceil(p/100 * count), in 1..count, for 0 < p < 100.
 * p * count / 100 in doubles may land a hair above the integer it stands
 * for; a relative slack of 1e-12 keeps such a rank from being rounded up
 * to the next one. */
static uint64_t rank_of(double p, uint64_t count)
{
    double x = p * (double)count / 100.0;
    double r = ceil(x - x * 1e-12);

    if (r < 1.0)
        return 1;
    if (r >= (double)count)
        return count;
    return (uint64_t)r;
}

void hist_percentiles(const struct hist *h, const double *ps, size_t n, uint64_t *out)
{
    size_t i = 0;
    uint64_t cum, last_rank = 0;

    if (h->count == 0) {
        for (size_t k = 0; k < n; k++)
            out[k] = 0;
        return;
    }
    cum = h->counts[0];
    for (size_t k = 0; k < n; k++) {
        uint64_t rank, v;

        if (!(ps[k] > 0.0)) {           /* also a NaN p */
            out[k] = h->min;
            continue;
        }
        if (ps[k] >= 100.0) {
            out[k] = h->max;
            continue;
        }
        rank = rank_of(ps[k], h->count);
        if (rank < last_rank) {         /* not ascending: scan again */
            i = 0;
            cum = h->counts[0];
        }
        last_rank = rank;
        while (cum < rank)
            cum += h->counts[++i];
        v = hist_bucket_high(h, i);
        if (v < h->min)
            v = h->min;
        if (v > h->max)
            v = h->max;
        out[k] = v;
    }
}

uint64_t hist_percentile(const struct hist *h, double p)
{
    uint64_t v;

    hist_percentiles(h, &p, 1, &v);
    return v;
}

double hist_mean(const struct hist *h)
{
    if (h->count == 0)
        return NAN;
    return h->sum / (double)h->count;
}

/* The middle of bucket i, kept within [min, max] so that the last bucket
 * of a clamped histogram and a lone value do not stand for more than was
 * seen. */
static double midpoint(const struct hist *h, size_t i)
{
    double lo = (double)hist_bucket_low(h, i), hi = (double)hist_bucket_high(h, i);
    double m = lo + (hi - lo) / 2.0;

    if (m < (double)h->min)
        m = (double)h->min;
    if (m > (double)h->max)
        m = (double)h->max;
    return m;
}

/* Two passes over the buckets (mean of the midpoints, then the squared
 * deviations), n - 1 in the denominator. */
double hist_stddev(const struct hist *h)
{
    double mean = 0.0, ss = 0.0;

    if (h->count < 2)
        return NAN;
    for (size_t i = 0; i < h->nbuckets; i++)
        if (h->counts[i])
            mean += (double)h->counts[i] * midpoint(h, i);
    mean /= (double)h->count;
    for (size_t i = 0; i < h->nbuckets; i++)
        if (h->counts[i]) {
            double d = midpoint(h, i) - mean;

            ss += (double)h->counts[i] * d * d;
        }
    return sqrt(ss / (double)(h->count - 1));
}
