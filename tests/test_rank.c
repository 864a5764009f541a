/*
 * test_rank.c: compare/rank.c against R and against its own properties.
 *
 * Reference values: tests/ref/rank_ref.R (R 4.2.2 Patched, wilcox.test,
 * binom.test, pbinom); its output tests/ref/rank_ref.out is C and is
 * included below as it is, data arrays and expected rows together.  It
 * covers exact and normal Mann-Whitney cases on both sides of the n < 50
 * rule, ties, one observation on a side, all values tied, identical
 * samples and p-values down to 1e-99; signed-rank cases with zeros, ties,
 * n = 1 and the n < 50 rule; the sign test and the binomial cdf.
 *
 * Properties, on seeded streams of harness/rng.c: the Mann-Whitney p-value
 * does not depend on which sample is x; under the null hypothesis about 5 %
 * of p-values fall below 0.05; a shift of 3 standard deviations is found.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "compare/rank.h"
#include "harness/lib/rng.h"
#include "helpers.h"

#define REL 1e-12

struct mwu_ref {
    const char *name;
    const double *x;
    size_t n;
    const double *y;
    size_t m;
    double w, p;
    int exact;
};

struct sr_ref {
    const char *name;
    const double *d;
    size_t n;
    double v, p;
    int exact;
    size_t nonzero;
};

struct sign_ref {
    size_t pos, neg;
    double p;
};

struct cdf_ref {
    size_t k, n;
    double p;
};

#include "ref/rank_ref.out"

Test(rank, mwu_matches_r)
{
    for (size_t i = 0; i < COUNT(mwu_ref); i++) {
        const struct mwu_ref *w = &mwu_ref[i];
        struct rank_result r;

        cr_assert_eq(rank_mwu(w->x, w->n, w->y, w->m, &r), 0, "%s", w->name);
        assert_rel(r.stat, w->w, 0.0, w->name);
        cr_assert_eq(r.exact, w->exact, "%s: exact %d", w->name, r.exact);
        /* all values tied: R answers NA, rank.h documents p = 1 */
        assert_rel(r.p, isnan(w->p) ? 1.0 : w->p, REL, w->name);
    }
}

/* Swapping the samples turns U into nm - U and leaves p as it is. */
Test(rank, mwu_symmetric)
{
    for (size_t i = 0; i < COUNT(mwu_ref); i++) {
        const struct mwu_ref *w = &mwu_ref[i];
        struct rank_result a, b;

        cr_assert_eq(rank_mwu(w->x, w->n, w->y, w->m, &a), 0);
        cr_assert_eq(rank_mwu(w->y, w->m, w->x, w->n, &b), 0);
        assert_rel(b.stat, (double)(w->n * w->m) - a.stat, 0.0, w->name);
        assert_rel(b.p, a.p, 1e-13, w->name);
        cr_assert_eq(a.exact, b.exact, "%s", w->name);
    }
}

Test(rank, mwu_rejects_bad_input)
{
    const double x[] = { 1, 2, 3 }, bad[] = { 1, NAN, 3 }, inf[] = { 1, INFINITY };
    struct rank_result r;

    cr_assert_eq(rank_mwu(x, 0, x, 3, &r), -1);
    cr_assert_eq(rank_mwu(x, 3, x, 0, &r), -1);
    cr_assert_eq(rank_mwu(bad, 3, x, 3, &r), -1);
    cr_assert_eq(rank_mwu(x, 3, inf, 2, &r), -1);
}

/* Under the null hypothesis the p-value is (nearly, the exact test being
 * discrete) uniform: about 5 % below 0.05 out of 2000 pairs of normal
 * samples of 20 (binomial sd 0.5 %, so 3-7 % is four sd either way). */
Test(rank, mwu_null_calibrated)
{
    struct rng r;
    double x[20], y[20];
    unsigned below = 0;

    rng_seed(&r, 20240601);
    for (int rep = 0; rep < 2000; rep++) {
        struct rank_result res;

        for (int i = 0; i < 20; i++) {
            x[i] = rng_normal(&r);
            y[i] = rng_normal(&r);
        }
        cr_assert_eq(rank_mwu(x, 20, y, 20, &res), 0);
        cr_assert(res.exact);
        cr_assert(res.p >= 0.0 && res.p <= 1.0);
        below += res.p < 0.05;
    }
    cr_assert(below >= 60 && below <= 140, "%u of 2000 below 0.05", below);
}

Test(rank, mwu_detects_shift)
{
    struct rng r;
    double x[20], y[20];

    rng_seed(&r, 7);
    for (int rep = 0; rep < 200; rep++) {
        struct rank_result res;

        for (int i = 0; i < 20; i++) {
            x[i] = rng_normal(&r);
            y[i] = rng_normal(&r) + 3.0;
        }
        cr_assert_eq(rank_mwu(x, 20, y, 20, &res), 0);
        cr_assert_lt(res.p, 1e-3, "rep %d: p = %g", rep, res.p);
    }
}

Test(rank, signrank_matches_r)
{
    for (size_t i = 0; i < COUNT(sr_ref); i++) {
        const struct sr_ref *w = &sr_ref[i];
        struct rank_result r;

        cr_assert_eq(rank_signrank(w->d, w->n, &r), 0, "%s", w->name);
        assert_rel(r.stat, w->v, 0.0, w->name);
        cr_assert_eq(r.exact, w->exact, "%s: exact %d", w->name, r.exact);
        cr_assert_eq(r.n, w->nonzero, "%s: n %zu", w->name, r.n);
        assert_rel(r.p, w->p, REL, w->name);
    }
}

Test(rank, signrank_nothing_left)
{
    const double zeros[] = { 0, 0, -0.0 }, bad[] = { 1, NAN };
    struct rank_result r;

    cr_assert_eq(rank_signrank(zeros, 3, &r), 0);
    cr_assert_eq(r.n, 0);
    cr_assert_eq(r.p, 1.0);
    cr_assert_eq(rank_signrank(zeros, 0, &r), 0);
    cr_assert_eq(r.n, 0);
    cr_assert_eq(r.p, 1.0);
    cr_assert_eq(rank_signrank(bad, 2, &r), -1);
}

Test(rank, signrank_null_calibrated)
{
    struct rng r;
    double d[20];
    unsigned below = 0;

    rng_seed(&r, 99);
    for (int rep = 0; rep < 2000; rep++) {
        struct rank_result res;

        for (int i = 0; i < 20; i++)
            d[i] = rng_normal(&r);
        cr_assert_eq(rank_signrank(d, 20, &res), 0);
        below += res.p < 0.05;
    }
    cr_assert(below >= 60 && below <= 140, "%u of 2000 below 0.05", below);
}

Test(rank, sign_test_matches_r)
{
    for (size_t i = 0; i < COUNT(sign_ref); i++) {
        const struct sign_ref *w = &sign_ref[i];
        char what[64];

        snprintf(what, sizeof what, "%zu vs %zu", w->pos, w->neg);
        assert_rel(rank_sign_test(w->pos, w->neg), w->p, REL, what);
    }
    cr_assert_eq(rank_sign_test(0, 0), 1.0);
}

Test(rank, binom_cdf_matches_r)
{
    for (size_t i = 0; i < COUNT(cdf_ref); i++) {
        const struct cdf_ref *w = &cdf_ref[i];
        char what[64];

        snprintf(what, sizeof what, "k %zu n %zu", w->k, w->n);
        assert_rel(rank_binom_half_cdf(w->k, w->n), w->p, REL, what);
    }
}

/* U of x against y by its definition: pairs with x above y, ties half. */
static double u_by_pairs(const double *x, size_t n, const double *y, size_t m)
{
    double u = 0;

    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            u += x[i] > y[j] ? 1.0 : x[i] == y[j] ? 0.5 : 0.0;
    return u;
}

/* Every way of choosing which m of the m + n ranks are x's (bits of a
 * mask), counted by U: the distribution by enumeration, independent of the
 * Gaussian binomial. */
Test(rank, mwu_cdf_matches_enumeration)
{
    static const size_t sizes[][2] = {{1, 1}, {1, 6}, {3, 4}, {4, 3}, {5, 5}, {2, 9}, {6, 7}};

    for (size_t s = 0; s < COUNT(sizes); s++) {
        size_t m = sizes[s][0], n = sizes[s][1], N = m + n, total = 0;
        size_t count[64] = {0};
        const double *cdf;
        double acc = 0;

        for (unsigned long mask = 0; mask < 1ul << N; mask++) {
            double x[16], y[16];
            size_t nx = 0, ny = 0;

            if ((size_t)__builtin_popcountl(mask) != m)
                continue;
            for (size_t r = 0; r < N; r++) {
                if (mask >> r & 1)
                    x[nx++] = (double)r;
                else
                    y[ny++] = (double)r;
            }
            count[(size_t)u_by_pairs(x, nx, y, ny)]++;
            total++;
        }
        cdf = rank_mwu_cdf(m, n);
        cr_assert_not_null(cdf);
        for (size_t u = 0; u <= m * n; u++) {
            acc += (double)count[u];
            cr_assert_float_eq(cdf[u], acc / (double)total, 1e-15, "m %zu n %zu u %zu", m, n,
                               u);
        }
        cr_assert_float_eq(cdf[m * n], 1.0, 1e-15);
    }
}

/* The kept distribution is the one asked for, whichever was asked before
 * (the sizes change, swap, and come back). */
Test(rank, mwu_cdf_cache_follows_the_sizes)
{
    double a[3 * 8 + 1], b[8 * 3 + 1];
    const double *c;

    c = rank_mwu_cdf(3, 8);
    cr_assert_not_null(c);
    memcpy(a, c, sizeof a);
    cr_assert_not_null(rank_mwu_cdf(20, 20));
    c = rank_mwu_cdf(8, 3);
    cr_assert_not_null(c);
    memcpy(b, c, sizeof b);
    for (size_t u = 0; u <= 24; u++)
        cr_assert_eq(a[u], b[u], "u %zu", u);
    cr_assert_float_eq(rank_mwu_cdf(20, 20)[200], 0.5 + 0.5 * (rank_mwu_cdf(20, 20)[200] -
                                                              rank_mwu_cdf(20, 20)[199]),
                       1e-12, "the centre of a symmetric distribution");
}
