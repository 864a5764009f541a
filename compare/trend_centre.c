/*
 * trend_centre.c: the centre of a benchmark's samples for a trend
 * (trend_read_private.h): their median, or with several processes the
 * median of the processes' medians, as pacer compare takes a side
 * (compare/cluster.h).  From values (the full reader), or from the text of
 * the numbers in the file (the lean reader), where converting every sample
 * with strtod would cost more than all the rest of the read: the numbers
 * are ordered by their decimal digits (jscan takes them as it checks the
 * text), which is their order as doubles too (rounding to the nearest
 * double never reverses two numbers), and only the one or two in the
 * middle of each process are converted.  Both give the
 * same double: the middle values are converted as jansson converts them
 * (jscan_number) and combined by stats_median.
 */
#include "trend_read_private.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cluster.h"
#include "harness/lib/stats.h"
#include "harness/result/jscan.h"

/* The median of the process medians in meds (one process: its median). */
static double of_medians(double *meds, size_t m)
{
    if (m == 0)
        return NAN;
    stats_sort(meds, m);
    return stats_quantile_sorted(meds, m, 0.5);
}

/* ---- numbers by their text ----------------------------------------------- */

/* A number >= 0 as m x 10^e with m of exactly 19 digits (0: m = 0, e the
 * least), so that (e, m) order the numbers as their values. */
struct key {
    uint64_t m;
    long e;
    const struct jscan_dec *d;   /* the number */
};

#define SIG_DIGITS 19

static const uint64_t tens[SIG_DIGITS] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
    100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
    10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, 1000000000000000000ULL,
};

/* The key of a number >= 0 ("-0" too) from its digits: -1 when it has
 * more than 19 significant digits (they do not fit the key: the caller
 * converts every value then). */
static int key_of(const struct jscan_dec *d, struct key *k)
{
    uint64_t m = d->m;
    long e = d->e, nd = d->nd;

    k->d = d;
    if (nd > SIG_DIGITS)
        return -1;
    if (m == 0) {
        k->m = 0;
        k->e = LONG_MIN;
        return 0;
    }
    k->m = m * tens[SIG_DIGITS - nd];
    k->e = e - (SIG_DIGITS - nd);
    return 0;
}

static int key_less(const struct key *a, const struct key *b)
{
    return a->e != b->e ? a->e < b->e : a->m < b->m;
}

static void key_swap(struct key *a, struct key *b)
{
    struct key t = *a;

    *a = *b;
    *b = t;
}

/* Reorder k[0..n) so that k[want] is the one a sort would put there, the
 * ones before it not greater, the ones after not less (Hoare's selection,
 * the middle of three as the pivot: deterministic). */
static void key_select(struct key *k, size_t n, size_t want)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, w = (ptrdiff_t)want;

    while (hi > lo) {
        ptrdiff_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
        struct key pivot;

        if (key_less(&k[mid], &k[lo]))
            key_swap(&k[mid], &k[lo]);
        if (key_less(&k[hi], &k[lo]))
            key_swap(&k[hi], &k[lo]);
        if (key_less(&k[hi], &k[mid]))
            key_swap(&k[hi], &k[mid]);
        pivot = k[mid];
        while (i <= j) {
            while (key_less(&k[i], &pivot))
                i++;
            while (key_less(&pivot, &k[j]))
                j--;
            if (i <= j)
                key_swap(&k[i++], &k[j--]);
        }
        if (w <= j)
            hi = j;
        else if (w >= i)
            lo = i;
        else
            return;
    }
}

/* The median of the n keys k[0..n) (reordered): the middle value, or the
 * two middle ones combined as stats_median combines them. */
static double key_median(struct key *k, size_t n)
{
    size_t mid = (n - 1) / 2, i;
    double two[2];
    struct key *up;

    key_select(k, n, mid);
    two[0] = jscan_dec_value(k[mid].d);
    if (n % 2)
        return two[0];
    up = &k[mid + 1];
    for (i = mid + 2; i < n; i++)
        if (key_less(&k[i], up))
            up = &k[i];
    two[1] = jscan_dec_value(up->d);
    return stats_median(two, 2);
}

/* trend_centre of the numbers' values, each converted. */
static double centre_by_values(const struct jscan_dec *d, size_t n, const size_t *counts,
                               size_t k)
{
    double *x = malloc(n * sizeof *x), c;
    size_t i;

    if (!x)
        return NAN;
    for (i = 0; i < n; i++)
        x[i] = jscan_dec_value(&d[i]);
    {
        struct clustered cl = {x, n, counts, k};
        c = cluster_centre(&cl);
    }
    free(x);
    return c;
}

double trend_centre_text(const struct jscan_dec *d, size_t n, const size_t *counts, size_t k)
{
    struct key *keys;
    double *meds = NULL, c = NAN;
    size_t i, from = 0, m = 0;

    if (n == 0)
        return NAN;
    if (!counts || k <= 1) {
        counts = &n;
        k = 1;
    }
    if (!(keys = malloc(n * sizeof *keys)) || !(meds = malloc(k * sizeof *meds)))
        goto cleanup;
    for (i = 0; i < n; i++)
        if (key_of(&d[i], &keys[i]) < 0) {
            c = centre_by_values(d, n, counts == &n ? NULL : counts, k);
            goto cleanup;
        }
    for (i = 0; i < k; i++) {
        if (counts[i])
            meds[m++] = key_median(keys + from, counts[i]);
        from += counts[i];
    }
    c = of_medians(meds, m);
cleanup:
    free(keys);
    free(meds);
    return c;
}
