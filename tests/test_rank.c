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
