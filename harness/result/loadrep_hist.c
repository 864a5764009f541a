/*
 * loadrep_hist.c: the JSON of a latency histogram in a load block
 * (loadrep.h: hist_to_json, hist_from_json): sparse, lossless, and checked
 * on the way in against the layout it names.
 */
#include "loadrep.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "jsonread.h"
#include "jsonwrite.h"

/* The encoding of hist.h.  min and max are null when the histogram is
 * empty (min is then UINT64_MAX, which no JSON integer holds).  NULL also
 * when a value, a count or the total is above INT64_MAX. */
json_t *hist_to_json(const struct hist *h)
{
    json_t *o = json_object(), *b = json_array();

    if (!o || !b)
        goto fail;
    if (json_object_set_new(o, "digits", json_integer(h->digits)) < 0 ||
        json_object_set_new(o, "highest", jw_u64(h->highest)) < 0 ||
        json_object_set_new(o, "count", jw_u64(h->count)) < 0 ||
        json_object_set_new(o, "min", h->count ? jw_u64(h->min) : json_null()) < 0 ||
        json_object_set_new(o, "max", h->count ? jw_u64(h->max) : json_null()) < 0 ||
        json_object_set_new(o, "sum", json_real(h->sum)) < 0 ||
        json_object_set_new(o, "clamped", jw_u64(h->clamped)) < 0)
        goto fail;
    for (size_t i = 0; i < h->nbuckets; i++) {
        json_t *pair;

        if (!h->counts[i])
            continue;
        pair = json_array();
        /* append_new takes (and on failure frees) the value, NULL included */
        if (json_array_append_new(pair, jw_u64(hist_bucket_low(h, i))) < 0 ||
            json_array_append_new(pair, jw_u64(h->counts[i])) < 0) {
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

/* One [low, count] pair, element i of the array at path: a bucket's low
 * above prev_low (-1 before the first) and a count >= 1. */
static int read_pair_checked(const struct jr *rd, struct hist *h, const json_t *pair,
                             const char *path, size_t i, json_int_t prev_low, json_int_t *low,
                             uint64_t *total)
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

/* The same, its paths built only to name what is wrong: a histogram of a
 * long run has thousands of pairs, and a merge of many segments reads
 * them all. */
static int read_pair(const struct jr *rd, struct hist *h, const json_t *pair, const char *path,
                     size_t i, json_int_t prev_low, json_int_t *low, uint64_t *total)
{
    const json_t *jl = json_array_get(pair, 0), *jc = json_array_get(pair, 1);
    uint64_t sum;
    json_int_t l, n;
    size_t b;

    if (!json_is_array(pair) || json_array_size(pair) != 2 || !json_is_integer(jl) ||
        !json_is_integer(jc))
        return read_pair_checked(rd, h, pair, path, i, prev_low, low, total);
    l = json_integer_value(jl);
    n = json_integer_value(jc);
    if (l <= prev_low || (uint64_t)l > h->highest || n < 1 ||
        hist_bucket_low(h, (b = hist_index(h, (uint64_t)l))) != (uint64_t)l ||
        __builtin_add_overflow(*total, (uint64_t)n, &sum))
        return read_pair_checked(rd, h, pair, path, i, prev_low, low, total);
    *low = l;
    *total = sum;
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
    long long count, min = 0, max = 0, clamped;
    int min_null, max_null;
    const json_t *v;

    if (jr_get_int(rd, obj, path, "count", JR_REQ, 0, LLONG_MAX, &count) < 0 ||
        jr_get_int(rd, obj, path, "min", JR_REQ | JR_NUL, 0, LLONG_MAX, &min) < 0 ||
        jr_get_int(rd, obj, path, "max", JR_REQ | JR_NUL, 0, LLONG_MAX, &max) < 0 ||
        jr_get_int(rd, obj, path, "clamped", JR_REQ, 0, LLONG_MAX, &clamped) < 0)
        return -1;
    min_null = json_is_null(json_object_get(obj, "min"));
    max_null = json_is_null(json_object_get(obj, "max"));
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
    long long digits, highest;
    json_int_t low = -1;
    const json_t *buckets;
    uint64_t total = 0;

    memset(h, 0, sizeof *h);
    if (!json_is_object(obj))
        return jr_expected(&rd, path, "object", obj);
    if (jr_get_int(&rd, obj, path, "digits", JR_REQ, HIST_MIN_DIGITS, HIST_MAX_DIGITS,
                   &digits) < 0 ||
        jr_get_int(&rd, obj, path, "highest", JR_REQ, 2, LLONG_MAX, &highest) < 0)
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
