/*
 * hist.h: a log-linear latency histogram (HDR style).  Values are integers
 * (ns).  Every power of two [2^b, 2^(b+1)) above the first range is split
 * into 2^(sub_bits-1) equal linear sub-buckets; values below 2^sub_bits are
 * exact.  sub_bits comes from the significant digits asked for (3 digits:
 * relative error below 1/2^(sub_bits-1) <= 0.1 %), so memory is bounded by
 * the highest trackable value, recording is O(1) (one clz and a shift), two
 * histograms of the same layout merge by adding counts, and a percentile
 * is one scan.
 *
 * Values above the highest trackable value are counted in the last bucket
 * and in `clamped`; min, max, sum and count are kept exactly.
 */
#ifndef PACER_HIST_H
#define PACER_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "harness/lib/err.h"

#define HIST_MIN_DIGITS 1   /* significant digits a histogram can keep */
#define HIST_MAX_DIGITS 5

struct hist {
    int digits;             /* significant decimal digits (1..5) */
    int sub_bits;           /* log2 of the sub-bucket count of the first range */
    uint64_t highest;       /* highest trackable value */
    size_t nbuckets;
    uint64_t *counts;       /* nbuckets, owned */
    uint64_t count;         /* values recorded */
    uint64_t min, max;      /* exact, min = UINT64_MAX when empty */
    double sum;             /* for the mean */
    uint64_t clamped;       /* values above highest */
};

/* Set up an empty histogram tracking 1..highest with `digits` significant
 * digits.  Returns 0, or -1 with the cause in e (digits out of range,
 * highest < 2, out of memory). */
int hist_init(struct hist *h, int digits, uint64_t highest, struct err *e);
void hist_free(struct hist *h);
/* Forget every value, keep the layout. */
void hist_reset(struct hist *h);

/* The bucket index of v (v above highest: the last bucket). */
size_t hist_index(const struct hist *h, uint64_t v);
/* The lowest and highest value that land in bucket i. */
uint64_t hist_bucket_low(const struct hist *h, size_t i);
uint64_t hist_bucket_high(const struct hist *h, size_t i);

/* Record one value, or n of the same value.  O(1), no allocation. */
void hist_record(struct hist *h, uint64_t v);
void hist_record_n(struct hist *h, uint64_t v, uint64_t n);

/* Add src's counts into dst.  The layouts (digits, highest) must be equal:
 * otherwise -1 with the cause in e and dst unchanged. */
int hist_merge(struct hist *dst, const struct hist *src, struct err *e);

/* The value at percentile p (0..100): the highest value of the bucket that
 * holds the ceil(p/100 * count)-th smallest value (p = 0: min, p = 100:
 * max, both exact), capped to [min, max].  0 when empty. */
uint64_t hist_percentile(const struct hist *h, double p);
/* Several percentiles (ps ascending) in one scan into out[n]. */
void hist_percentiles(const struct hist *h, const double *ps, size_t n, uint64_t *out);
double hist_mean(const struct hist *h);    /* NAN when empty */
double hist_stddev(const struct hist *h);  /* from bucket midpoints; NAN if count < 2 */

#endif
