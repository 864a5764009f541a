/*
 * test_hist.c: harness/load/hist.c, the log-linear latency histogram.
 *
 * The layout is checked bucket by bucket (contiguous, each bucket's low and
 * high map back to it, width within the relative error of the digits);
 * percentiles against the nearest-rank percentiles of the sorted data
 * (the ceil(p/100 n)-th smallest), computed here in integers; merging
 * against recording everything into one histogram.  Its JSON encoding is
 * tested in test_loadrep_hist.c.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rng.h"
#include "harness/load/hist.h"
#include "helpers.h"

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

    return (a > b) - (a < b);
}

/* A log-uniform value in [1, hi]: every magnitude equally likely. */
static uint64_t log_uniform(struct rng *r, uint64_t hi)
{
    double v = exp(rng_uniform(r) * log((double)hi));

    if (v < 1.0)
        return 1;
    if (v >= (double)hi)
        return hi;
    return (uint64_t)v;
}

/* ---- layout ---------------------------------------------------------- */

Test(hist, sub_bits_from_digits)
{
    /* ceil(log2(2 * 10^d)) */
    static const int want[] = { 0, 5, 8, 11, 15, 18 };

    for (int d = 1; d <= 5; d++) {
        struct hist h;

        hist_init_ok(&h, d, 1000000);
        cr_assert_eq(h.sub_bits, want[d], "digits %d: sub_bits %d", d, h.sub_bits);
        cr_assert_eq(h.min, UINT64_MAX);
        cr_assert_eq(h.max, 0);
        hist_free(&h);
    }
}

Test(hist, bucket_counts_for_60s)
{
    struct hist h3, h2;

    hist_init_ok(&h3, 3, H60);
    hist_init_ok(&h2, 2, H60);
    /* 2048 exact buckets, 1024 per power of two from 2^11 to 2^34, and
     * 2^35..60e9 in steps of 2^25: 2048 + 24 * 1024 + 741 */
    cr_assert_eq(h3.nbuckets, 27389, "digits 3: %zu buckets", h3.nbuckets);
    cr_assert_eq(h2.nbuckets, 3808, "digits 2: %zu buckets", h2.nbuckets);
    cr_assert_eq(hist_index(&h3, H60), h3.nbuckets - 1);
    cr_assert_leq(hist_bucket_low(&h3, h3.nbuckets - 1), H60);
    cr_assert_geq(hist_bucket_high(&h3, h3.nbuckets - 1), H60);
    hist_free(&h3);
    hist_free(&h2);
}

Test(hist, buckets_are_contiguous)
{
    for (int d = 1; d <= 4; d++) {
        struct hist h;

        hist_init_ok(&h, d, H60);
        cr_assert_eq(hist_bucket_low(&h, 0), 0);
        for (size_t i = 0; i < h.nbuckets; i++) {
            uint64_t lo = hist_bucket_low(&h, i), hi = hist_bucket_high(&h, i);

            cr_assert_leq(lo, hi);
            cr_assert_eq(hist_index(&h, lo), i, "digits %d: low %" PRIu64 " of %zu", d, lo, i);
            cr_assert_eq(hist_index(&h, hi), i, "digits %d: high %" PRIu64 " of %zu", d, hi,
                         i);
            if (i + 1 < h.nbuckets)
                cr_assert_eq(hist_bucket_low(&h, i + 1), hi + 1, "digits %d: gap after %zu", d,
                             i);
        }
        hist_free(&h);
    }
}

Test(hist, small_values_are_exact)
{
    struct hist h;

    hist_init_ok(&h, 3, H60);
    for (uint64_t v = 0; v < 2048; v++) {
        cr_assert_eq(hist_index(&h, v), v);
        cr_assert_eq(hist_bucket_low(&h, v), v);
        cr_assert_eq(hist_bucket_high(&h, v), v);
    }
    hist_free(&h);
}

Test(hist, relative_error_across_magnitudes)
{
    struct rng r;

    rng_seed(&r, SEED);
    for (int d = 1; d <= 5; d++) {
        struct hist h;
        double bound = pow(10.0, -d);

        hist_init_ok(&h, d, H60);
        for (int k = 0; k < 200000; k++) {
            uint64_t v = log_uniform(&r, H60);
            size_t i = hist_index(&h, v);
            uint64_t lo = hist_bucket_low(&h, i), hi = hist_bucket_high(&h, i);

            cr_assert(lo <= v && v <= hi, "%" PRIu64 " outside [%" PRIu64 ", %" PRIu64 "]", v,
                      lo, hi);
            /* the width within 1 / 2^(sub_bits-1) of the value, and of the low */
            cr_assert_leq(hi - lo, v >> (h.sub_bits - 1), "digits %d: %" PRIu64 " in [%" PRIu64
                          ", %" PRIu64 "]", d, v, lo, hi);
            cr_assert_leq((double)(hi - lo) / (double)lo, bound);
        }
        hist_free(&h);
    }
}

/* ---- recording --------------------------------------------------------- */

Test(hist, min_max_sum_exact)
{
    static const uint64_t v[] = { 123456789, 7, 0, 59999999999ull, 1000001 };
    struct hist h;
    double sum = 0;

    hist_init_ok(&h, 3, H60);
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        hist_record(&h, v[i]);
        sum += (double)v[i];
    }
    cr_assert_eq(h.count, 5);
    cr_assert_eq(h.min, 0);
    cr_assert_eq(h.max, 59999999999ull);
    cr_assert_eq(h.sum, sum);
    cr_assert_eq(h.clamped, 0);
    cr_assert_eq(h.counts[0], 1, "0 goes to bucket 0");
    cr_assert_eq(hist_percentile(&h, 0), 0);
    cr_assert_eq(hist_percentile(&h, 100), 59999999999ull);
    cr_assert_float_eq(hist_mean(&h), sum / 5, 1e-6);
    hist_free(&h);
}

Test(hist, record_n_equals_repeated_record)
{
    struct hist a, b;

    hist_init_ok(&a, 3, H60);
    hist_init_ok(&b, 3, H60);
    hist_record_n(&a, 5000123, 7);
    hist_record_n(&a, 42, 3);
    hist_record_n(&a, 999, 0);          /* nothing */
    hist_record_n(&a, 2 * H60, 2);      /* clamped twice */
    for (int k = 0; k < 7; k++)
        hist_record(&b, 5000123);
    for (int k = 0; k < 3; k++)
        hist_record(&b, 42);
    hist_record(&b, 2 * H60);
    hist_record(&b, 2 * H60);
    assert_same_hist(&a, &b);
    cr_assert_eq(a.count, 12);
    cr_assert_eq(a.min, 42);
    cr_assert_eq(a.clamped, 2);
    hist_free(&a);
    hist_free(&b);
}

Test(hist, clamping_above_highest)
{
    struct hist h;
    uint64_t ps[3];
    static const double p[] = { 25, 50, 100 };

    hist_init_ok(&h, 2, 1000000);
    hist_record(&h, 10);
    hist_record(&h, 1000000);           /* the highest: tracked, not clamped */
    hist_record(&h, 1000001);
    hist_record(&h, UINT64_MAX);
    cr_assert_eq(h.clamped, 2);
    cr_assert_eq(h.max, UINT64_MAX);
    cr_assert_eq(hist_index(&h, UINT64_MAX), h.nbuckets - 1);
    cr_assert_eq(h.counts[h.nbuckets - 1], 3);
    hist_percentiles(&h, p, 3, ps);
    /* rank 1, then rank 2 (1000000): the last bucket's high; then max exactly */
    cr_assert_eq(ps[0], 10);
    cr_assert_eq(ps[1], hist_bucket_high(&h, h.nbuckets - 1));
    cr_assert_eq(ps[2], UINT64_MAX);
    hist_free(&h);
}

Test(hist, empty)
{
    struct hist h;

    hist_init_ok(&h, 3, H60);
    cr_assert_eq(h.count, 0);
    cr_assert_eq(hist_percentile(&h, 0), 0);
    cr_assert_eq(hist_percentile(&h, 50), 0);
    cr_assert_eq(hist_percentile(&h, 100), 0);
    cr_assert(isnan(hist_mean(&h)));
    cr_assert(isnan(hist_stddev(&h)));
    hist_record(&h, 5);
    cr_assert(isnan(hist_stddev(&h)), "one value: no deviation");
    hist_reset(&h);
    cr_assert_eq(h.count, 0);
    cr_assert_eq(h.min, UINT64_MAX);
    cr_assert_eq(h.max, 0);
    cr_assert_eq(h.counts[5], 0);
    cr_assert_eq(h.nbuckets, 27389, "reset keeps the layout");
    hist_free(&h);
}

Test(hist, init_errors)
{
    struct hist h;
    struct err e = { 0 };

    cr_assert_eq(hist_init(&h, 0, H60, &e), -1);
    cr_assert_str_eq(e.msg, "histogram digits 0 out of range (1 to 5)");
    err_clear(&e);
    cr_assert_eq(hist_init(&h, 6, H60, &e), -1);
    err_clear(&e);
    cr_assert_eq(hist_init(&h, 3, 1, &e), -1);
    cr_assert_not_null(strstr(e.msg, "highest value 1 out of range"), "%s", e.msg);
    cr_assert_null(h.counts);
    hist_free(&h);                      /* harmless after a failure */
}

/* ---- statistics --------------------------------------------------------- */

/* The nearest-rank percentile of sorted x[n], p given in hundredths of a
 * percent (9999 = 99.99 %), in integers. */
static uint64_t nearest_rank(const uint64_t *x, size_t n, unsigned pp)
{
    uint64_t rank = ((uint64_t)pp * n + 9999) / 10000;

    if (rank == 0)
        return x[0];
    return x[rank - 1];
}

static void check_percentiles(const uint64_t *data, size_t n, int digits)
{
    static const unsigned pp[] = { 0, 1, 10, 100, 1000, 2500, 5000, 7500, 9000, 9900, 9990,
                                   9999, 10000 };
    enum { NP = sizeof pp / sizeof *pp };
    uint64_t *x = malloc(n * sizeof *x), got[NP];
    double ps[NP];
    struct hist h;

    cr_assert_not_null(x);
    memcpy(x, data, n * sizeof *x);
    qsort(x, n, sizeof *x, cmp_u64);
    hist_init_ok(&h, digits, H60);
    for (size_t i = 0; i < n; i++)
        hist_record(&h, data[i]);
    for (size_t k = 0; k < NP; k++)
        ps[k] = pp[k] / 100.0;
    hist_percentiles(&h, ps, NP, got);
    for (size_t k = 0; k < NP; k++) {
        uint64_t want = nearest_rank(x, n, pp[k]);
        uint64_t bound = want >> (h.sub_bits - 1);

        cr_assert_eq(got[k], hist_percentile(&h, ps[k]), "p%g: one scan vs one each", ps[k]);
        /* the highest value of the bucket of the exact one */
        cr_assert(got[k] >= want && got[k] - want <= bound,
                  "p%g: %" PRIu64 ", exact %" PRIu64, ps[k], got[k], want);
        if (pp[k] > 0 && pp[k] < 10000) {
            uint64_t hi = hist_bucket_high(&h, hist_index(&h, want));

            cr_assert_eq(got[k], hi < x[n - 1] ? hi : x[n - 1], "p%g", ps[k]);
        }
    }
    cr_assert_eq(got[0], x[0]);
    cr_assert_eq(got[NP - 1], x[n - 1]);
    hist_free(&h);
    free(x);
}

Test(hist, percentiles_of_1_to_100000)
{
    size_t n = 100000;
    uint64_t *x = malloc(n * sizeof *x);

    cr_assert_not_null(x);
    for (size_t i = 0; i < n; i++)
        x[i] = n - i;                   /* recorded in descending order */
    check_percentiles(x, n, 3);
    check_percentiles(x, n, 2);
    free(x);
}

Test(hist, percentiles_of_lognormal)
{
    /* median e^13 ns (about 0.44 ms), a long right tail */
    size_t n = 200000;
    uint64_t *x = lognormal_ns(n, 13.0, 1.2, SEED);

    check_percentiles(x, n, 3);
    check_percentiles(x, n, 1);
    free(x);
}

Test(hist, percentiles_not_ascending)
{
    static const double ps[] = { 90, 10, 50, 0, 100, 99 };
    uint64_t got[6];
    struct hist h;

    hist_init_ok(&h, 3, H60);
    for (uint64_t v = 1; v <= 1000; v++)
        hist_record(&h, v);
    hist_percentiles(&h, ps, 6, got);
    for (size_t k = 0; k < 6; k++)
        cr_assert_eq(got[k], hist_percentile(&h, ps[k]), "p%g", ps[k]);
    cr_assert_eq(got[0], 900);
    cr_assert_eq(got[1], 100);
    cr_assert_eq(got[5], 990);
    hist_free(&h);
}

Test(hist, mean_and_stddev)
{
    size_t n = 100000;
    struct hist h;

    hist_init_ok(&h, 3, H60);
    for (uint64_t v = 1; v <= n; v++)
        hist_record(&h, v);
    /* 1..n: mean (n+1)/2, sd sqrt(n(n+1)/12) */
    cr_assert_float_eq(hist_mean(&h), 50000.5, 1e-9);
    cr_assert(fabs(hist_stddev(&h) / sqrt(n * (n + 1.0) / 12.0) - 1.0) < 1e-3,
              "sd %.17g", hist_stddev(&h));
    hist_reset(&h);
    hist_record_n(&h, 123456789, 10);
    cr_assert_float_eq(hist_stddev(&h), 0.0, 1e-12);
    hist_free(&h);
}

/* ---- merge --------------------------------------------------------------- */

Test(hist, merge_equals_recording_into_one)
{
    struct hist a, b, all, empty;
    struct err e = { 0 };
    struct rng r;

    rng_seed(&r, SEED);
    hist_init_ok(&a, 3, H60);
    hist_init_ok(&b, 3, H60);
    hist_init_ok(&all, 3, H60);
    hist_init_ok(&empty, 3, H60);
    for (int k = 0; k < 50000; k++) {
        /* integers up to 2^53 keep every partial sum exact in a double */
        uint64_t v = log_uniform(&r, 2 * H60);

        hist_record(k % 3 ? &a : &b, v);
        hist_record(&all, v);
    }
    cr_assert_eq(hist_merge(&a, &b, &e), 0, "%s", e.msg);
    cr_assert_eq(hist_merge(&a, &empty, &e), 0, "%s", e.msg);
    cr_assert_gt(all.clamped, 0);
    assert_same_hist(&a, &all);
    cr_assert_eq(hist_merge(&empty, &all, &e), 0, "%s", e.msg);
    assert_same_hist(&empty, &all);
    hist_free(&a);
    hist_free(&b);
    hist_free(&all);
    hist_free(&empty);
}

Test(hist, merge_refuses_other_layouts)
{
    struct hist a, b, c;
    struct err e = { 0 };

    hist_init_ok(&a, 3, H60);
    hist_init_ok(&b, 2, H60);
    hist_init_ok(&c, 3, 1000000);
    hist_record(&a, 77);
    hist_record(&b, 88);
    hist_record(&c, 99);
    cr_assert_eq(hist_merge(&a, &b, &e), -1);
    cr_assert_str_eq(e.msg, "histograms differ in layout: 3 digits up to 60000000000 vs "
                            "2 digits up to 60000000000");
    err_clear(&e);
    cr_assert_eq(hist_merge(&a, &c, &e), -1);
    cr_assert_str_eq(e.msg, "histograms differ in layout: 3 digits up to 60000000000 vs "
                            "3 digits up to 1000000");
    cr_assert_eq(a.count, 1, "dst unchanged");
    cr_assert_eq(a.max, 77);
    cr_assert_eq(a.counts[77], 1);
    cr_assert_eq(a.counts[88], 0);
    hist_free(&a);
    hist_free(&b);
    hist_free(&c);
}
