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

#include "harness/result/jsonread.h"

#define HIST_MIN_DIGITS 1
#define HIST_MAX_DIGITS 5

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

/* ---- JSON --------------------------------------------------------------- */

/* A new integer, or NULL when v does not fit in a JSON integer. */
static json_t *json_u64(uint64_t v)
{
    if (v > (uint64_t)INT64_MAX)
        return NULL;
    return json_integer((json_int_t)v);
}

/* The encoding of hist.h.  min and max are null when the histogram is
 * empty (min is then UINT64_MAX, which no JSON integer holds).  NULL also
 * when a value, a count or the total is above INT64_MAX. */
json_t *hist_to_json(const struct hist *h)
{
    json_t *o = json_object(), *b = json_array();

    if (!o || !b)
        goto fail;
    if (json_object_set_new(o, "digits", json_integer(h->digits)) < 0 ||
        json_object_set_new(o, "highest", json_u64(h->highest)) < 0 ||
        json_object_set_new(o, "count", json_u64(h->count)) < 0 ||
        json_object_set_new(o, "min", h->count ? json_u64(h->min) : json_null()) < 0 ||
        json_object_set_new(o, "max", h->count ? json_u64(h->max) : json_null()) < 0 ||
        json_object_set_new(o, "sum", json_real(h->sum)) < 0 ||
        json_object_set_new(o, "clamped", json_u64(h->clamped)) < 0)
        goto fail;
    for (size_t i = 0; i < h->nbuckets; i++) {
        json_t *pair;

        if (!h->counts[i])
            continue;
        pair = json_array();
        /* append_new takes (and on failure frees) the value, NULL included */
        if (json_array_append_new(pair, json_u64(hist_bucket_low(h, i))) < 0 ||
            json_array_append_new(pair, json_u64(h->counts[i])) < 0) {
            json_decref(pair);
            goto fail;
        }
        if (json_array_append_new(b, pair) < 0)
            goto fail;
    }
    if (json_object_set_new(o, "buckets", b) < 0) {
        b = NULL;   /* stolen, and freed, by the failed set */
        goto fail;
    }
    return o;

fail:
    json_decref(b);
    json_decref(o);
    return NULL;
}

/* obj[key] as an integer in [lo, hi] into *out.  With nullable, null is
 * accepted and *is_null set. */
static int get_int(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                   json_int_t lo, json_int_t hi, json_int_t *out, int *is_null)
{
    char path[JR_PATH_LEN];
    const json_t *v = json_object_get(obj, key);

    jr_join(path, parent, key);
    if (!v)
        return jr_fail(rd, path, "missing");
    if (is_null) {
        *is_null = json_is_null(v);
        if (*is_null)
            return 0;
    }
    if (!json_is_integer(v))
        return jr_expected(rd, path, is_null ? "integer or null" : "integer", v);
    *out = json_integer_value(v);
    if (*out < lo || *out > hi) {
        if (hi == INT64_MAX)
            return jr_fail(rd, path, "expected an integer >= %" PRId64 ", got %" PRId64,
                           (int64_t)lo, (int64_t)*out);
        return jr_fail(rd, path, "expected an integer from %" PRId64 " to %" PRId64
                       ", got %" PRId64, (int64_t)lo, (int64_t)hi, (int64_t)*out);
    }
    return 0;
}

/* One [low, count] pair, element i of the array at path: a bucket's low
 * above prev_low (-1 before the first) and a count >= 1. */
static int read_pair(const struct jr *rd, struct hist *h, const json_t *pair, const char *path,
                     size_t i, json_int_t prev_low, json_int_t *low, uint64_t *total)
{
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *jl, *jc;
    json_int_t n;
    size_t b;

    jr_index(p, path, i);
    if (!json_is_array(pair))
        return jr_expected(rd, p, "[low, count]", pair);
    if (json_array_size(pair) != 2)
        return jr_fail(rd, p, "expected [low, count], got an array of %zu",
                       json_array_size(pair));
    jl = json_array_get(pair, 0);
    jc = json_array_get(pair, 1);
    jr_index(q, p, 0);
    if (!json_is_integer(jl))
        return jr_expected(rd, q, "integer", jl);
    *low = json_integer_value(jl);
    if (*low < 0 || (uint64_t)*low > h->highest)
        return jr_fail(rd, q, "expected a bucket low from 0 to %" PRIu64 ", got %" PRId64,
                       h->highest, (int64_t)*low);
    b = hist_index(h, (uint64_t)*low);
    if (hist_bucket_low(h, b) != (uint64_t)*low)
        return jr_fail(rd, q, "%" PRId64 " is not the low of a bucket (it is in [%" PRIu64
                       ", %" PRIu64 "])", (int64_t)*low, hist_bucket_low(h, b),
                       hist_bucket_high(h, b));
    if (*low <= prev_low)
        return jr_fail(rd, q, "%" PRId64 " is not above the previous low %" PRId64,
                       (int64_t)*low, (int64_t)prev_low);
    jr_index(q, p, 1);
    if (!json_is_integer(jc))
        return jr_expected(rd, q, "integer", jc);
    n = json_integer_value(jc);
    if (n < 1)
        return jr_fail(rd, q, "expected a count >= 1, got %" PRId64, (int64_t)n);
    if (__builtin_add_overflow(*total, (uint64_t)n, total))
        return jr_fail(rd, q, "counts overflow");
    h->counts[b] = (uint64_t)n;
    return 0;
}

/* The first and the last non-empty bucket (count > 0). */
static void span(const struct hist *h, size_t *first, size_t *last)
{
    size_t i = 0, j = h->nbuckets - 1;

    while (!h->counts[i])
        i++;
    while (!h->counts[j])
        j--;
    *first = i;
    *last = j;
}

/* What the counts say of count, min, max and clamped. */
static int check_totals(const struct jr *rd, const struct hist *h, const char *path,
                        uint64_t total)
{
    char p[JR_PATH_LEN];
    size_t first, last;

    if (total != h->count)
        return jr_fail(rd, jr_join(p, path, "buckets"),
                       "counts add up to %" PRIu64 ", not to the count %" PRIu64, total,
                       h->count);
    if (h->count == 0) {
        if (h->clamped)
            return jr_fail(rd, jr_join(p, path, "clamped"),
                           "expected 0 in an empty histogram, got %" PRIu64, h->clamped);
        if (h->sum != 0.0)
            return jr_fail(rd, jr_join(p, path, "sum"),
                           "expected 0 in an empty histogram, got %g", h->sum);
        return 0;
    }
    span(h, &first, &last);
    if (hist_index(h, h->min) != first)
        return jr_fail(rd, jr_join(p, path, "min"),
                       "%" PRIu64 " is not in the first bucket, [%" PRIu64 ", %" PRIu64 "]",
                       h->min, hist_bucket_low(h, first), hist_bucket_high(h, first));
    if (hist_index(h, h->max) != last)
        return jr_fail(rd, jr_join(p, path, "max"),
                       "%" PRIu64 " is not in the last bucket, [%" PRIu64 ", %" PRIu64 "]",
                       h->max, hist_bucket_low(h, last), hist_bucket_high(h, last));
    if (h->min > h->max)
        return jr_fail(rd, jr_join(p, path, "min"), "%" PRIu64 " is above max %" PRIu64,
                       h->min, h->max);
    /* values above highest make max above highest and are in the last bucket */
    if ((h->clamped > 0) != (h->max > h->highest))
        return jr_fail(rd, jr_join(p, path, "clamped"),
                       "%" PRIu64 " does not fit max %" PRIu64 " and highest %" PRIu64,
                       h->clamped, h->max, h->highest);
    if (h->clamped > h->counts[h->nbuckets - 1])
        return jr_fail(rd, jr_join(p, path, "clamped"),
                       "%" PRIu64 " is above the count of the last bucket, %" PRIu64,
                       h->clamped, h->counts[h->nbuckets - 1]);
    return 0;
}

/* The scalar fields after digits and highest; min and max are null
 * exactly when count is 0. */
static int read_fields(const struct jr *rd, struct hist *h, const json_t *obj, const char *path)
{
    char p[JR_PATH_LEN];
    json_int_t count, min = 0, max = 0, clamped;
    int min_null, max_null;
    const json_t *v;

    if (get_int(rd, obj, path, "count", 0, INT64_MAX, &count, NULL) < 0 ||
        get_int(rd, obj, path, "min", 0, INT64_MAX, &min, &min_null) < 0 ||
        get_int(rd, obj, path, "max", 0, INT64_MAX, &max, &max_null) < 0 ||
        get_int(rd, obj, path, "clamped", 0, INT64_MAX, &clamped, NULL) < 0)
        return -1;
    if (min_null != (count == 0))
        return jr_fail(rd, jr_join(p, path, "min"), count ? "expected integer, got null"
                                                          : "expected null in an empty histogram");
    if (max_null != (count == 0))
        return jr_fail(rd, jr_join(p, path, "max"), count ? "expected integer, got null"
                                                          : "expected null in an empty histogram");
    v = json_object_get(obj, "sum");
    jr_join(p, path, "sum");
    if (!v)
        return jr_fail(rd, p, "missing");
    if (!json_is_number(v))
        return jr_expected(rd, p, "number", v);
    if (!isfinite(json_number_value(v)) || json_number_value(v) < 0)
        return jr_fail(rd, p, "expected a finite number >= 0, got %g", json_number_value(v));
    h->count = (uint64_t)count;
    h->min = count ? (uint64_t)min : UINT64_MAX;
    h->max = count ? (uint64_t)max : 0;
    h->clamped = (uint64_t)clamped;
    h->sum = json_number_value(v);
    return 0;
}

int hist_from_json(struct hist *h, const json_t *obj, const char *name, const char *path,
                   struct err *e)
{
    struct jr rd = { name, e };
    char p[JR_PATH_LEN];
    json_int_t digits, highest, low = -1;
    const json_t *buckets;
    uint64_t total = 0;

    memset(h, 0, sizeof *h);
    if (!json_is_object(obj))
        return jr_expected(&rd, path, "object", obj);
    if (get_int(&rd, obj, path, "digits", HIST_MIN_DIGITS, HIST_MAX_DIGITS, &digits, NULL) < 0 ||
        get_int(&rd, obj, path, "highest", 2, INT64_MAX, &highest, NULL) < 0)
        return -1;
    buckets = json_object_get(obj, "buckets");
    jr_join(p, path, "buckets");
    if (!buckets)
        return jr_fail(&rd, p, "missing");
    if (!json_is_array(buckets))
        return jr_expected(&rd, p, "array", buckets);
    if (hist_init(h, (int)digits, (uint64_t)highest, NULL) < 0)
        return jr_oom(&rd);
    if (read_fields(&rd, h, obj, path) < 0)
        goto fail;
    for (size_t i = 0; i < json_array_size(buckets); i++)
        if (read_pair(&rd, h, json_array_get(buckets, i), p, i, low, &low, &total) < 0)
            goto fail;
    if (check_totals(&rd, h, path, total) < 0)
        goto fail;
    return 0;

fail:
    hist_free(h);
    return -1;
}
