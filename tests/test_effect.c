/*
 * test_effect.c: compare/effect.c against an independent model and against
 * its own statistical properties.
 *
 * Reference values: tests/ref/effect_ref.py (Python 3.11.2, scipy 1.10.1),
 * a pure-Python model of the unpaired bootstrap as pacer resampled it
 * (B resamples on the generator of tests/ref/boot_ref.py), of the paired
 * order-statistic CI (k from scipy.stats.binom), of the MDE formulas, and
 * scipy.stats.norm quantiles and tails; its output tests/ref/effect_ref.out
 * is C and is included below as it is.  Data are the tests/ref/data_*.txt
 * files of stats_ref.R.  The unpaired interval, now computed from the
 * exact bootstrap distributions (its exactness is tested in
 * test_stats_boot.c), lies within RESAMPLE_TOL of the resampled interval's
 * width of each resampled end, as there.
 *
 * Properties, on seeded streams of harness/rng.c: the unpaired and paired
 * CIs contain the true ratio at about their nominal rate, the paired CI is
 * flagged as narrowed below n = 6 at level 0.95, and bad input is refused.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/effect.h"
#include "harness/lib/rng.h"
#include "helpers.h"

#define REL 1e-12
#define RESAMPLE_TOL 0.05

struct unpaired_ref {
    const char *base, *nw;
    double level;
    unsigned resamples;
    uint64_t seed;
    unsigned used;
    double ratio, lo, hi;
};

struct count_ref {
    size_t nm;
    unsigned resamples, used;
};

struct paired_ref {
    const char *base;
    size_t base_off;
    const char *nw;
    size_t nw_off, n;
    double level;
    size_t k;
    int narrowed;
    double ratio, lo, hi;
};

struct mde_ref {
    int paired;
    const char *base;
    size_t base_off;
    const char *nw;
    size_t nw_off, n, m;
    double alpha, power, mde;
};

struct norm_ref {
    double in, out;
};

#include "ref/effect_ref.out"

/* data_<name>.txt from value off on, at least want values of it. */
static double *read_part(const char *name, size_t off, size_t want, double **whole)
{
    size_t n;

    *whole = read_data(name, &n);
    cr_assert_leq(off + want, n, "%s: %zu values", name, n);
    return *whole + off;
}

Test(effect, unpaired_close_to_resampling)
{
    for (size_t i = 0; i < COUNT(unpaired_ref); i++) {
        const struct unpaired_ref *w = &unpaired_ref[i];
        size_t n, m;
        double *b = read_data(w->base, &n), *x = read_data(w->nw, &m);
        double width = w->hi - w->lo;
        struct effect e;
        char what[64];

        snprintf(what, sizeof what, "%s / %s", w->nw, w->base);
        cr_assert_eq(effect_unpaired(b, n, x, m, w->level, &e), 0);
        cr_assert_eq(e.resamples, 0, "%s: nothing drawn", what);
        cr_assert_eq(e.ci_narrowed, 0);
        cr_assert_eq(e.level, w->level);
        assert_rel(e.ratio, w->ratio, 0.0, what);
        cr_assert_leq(fabs(e.ci.lo - w->lo), RESAMPLE_TOL * width, "%s: lo %.17g", what,
                      e.ci.lo);
        cr_assert_leq(fabs(e.ci.hi - w->hi), RESAMPLE_TOL * width, "%s: hi %.17g", what,
                      e.ci.hi);
        cr_assert(e.ci.lo <= e.ratio && e.ratio <= e.ci.hi, "%s", what);
        free(b);
        free(x);
    }
}

/* The work cap on B of the two-stage bootstrap (cluster.h): lowered to
 * max(1000, WORK / (n + m)), never raised; 0 stays 0. */
Test(effect, resample_count)
{
    for (size_t i = 0; i < COUNT(count_ref); i++) {
        const struct count_ref *w = &count_ref[i];

        cr_assert_eq(stats_boot_count(w->nm, w->resamples), w->used, "n + m %zu, B %u",
                     w->nm, w->resamples);
    }
}

Test(effect, unpaired_reproducible)
{
    const double b[] = { 10, 11, 9.5, 10.2, 10.8, 9.9, 10.1 };
    const double x[] = { 10.6, 11.2, 10.1, 10.9, 11.5, 10.4 };
    const double br[] = { 10.1, 9.9, 10.8, 10.2, 9.5, 11, 10 };
    struct effect e1, e2, e3;

    cr_assert_eq(effect_unpaired(b, 7, x, 6, 0.95, &e1), 0);
    cr_assert_eq(effect_unpaired(b, 7, x, 6, 0.95, &e2), 0);
    cr_assert_eq(effect_unpaired(br, 7, x, 6, 0.95, &e3), 0);
    cr_assert_eq(e1.ci.lo, e2.ci.lo);
    cr_assert_eq(e1.ci.hi, e2.ci.hi);
    cr_assert(e1.ci.lo == e3.ci.lo && e1.ci.hi == e3.ci.hi, "the order does not matter");
}

Test(effect, paired_matches_reference)
{
    for (size_t i = 0; i < COUNT(paired_ref); i++) {
        const struct paired_ref *w = &paired_ref[i];
        double *wb, *wn;
        double *b = read_part(w->base, w->base_off, w->n, &wb);
        double *x = read_part(w->nw, w->nw_off, w->n, &wn);
        struct effect e;
        char what[96];

        snprintf(what, sizeof what, "%s+%zu / %s+%zu, n %zu, level %g", w->nw, w->nw_off,
                 w->base, w->base_off, w->n, w->level);
        cr_assert_eq(effect_paired(b, x, w->n, w->level, &e), 0);
        cr_assert_eq(e.ci_narrowed, w->narrowed, "%s: narrowed %d", what, e.ci_narrowed);
        cr_assert_eq(e.resamples, 0);
        assert_rel(e.ratio, w->ratio, REL, what);
        assert_rel(e.ci.lo, w->lo, REL, what);
        assert_rel(e.ci.hi, w->hi, REL, what);
        free(wb);
        free(wn);
    }
}

/* At level 0.95 the widest interval (r_(1), r_(n)) covers the median with
 * probability 1 - 2^(1-n), which reaches 0.95 only from n = 6 on. */
Test(effect, paired_narrowed_below_six)
{
    struct rng r;
    double b[12], x[12];

    rng_seed(&r, 3);
    for (size_t i = 0; i < 12; i++) {
        b[i] = 100.0 + rng_uniform(&r);
        x[i] = 101.0 + rng_uniform(&r);
    }
    for (size_t n = 1; n <= 12; n++) {
        struct effect e;
        double lo = INFINITY, hi = 0.0;

        cr_assert_eq(effect_paired(b, x, n, 0.95, &e), 0);
        cr_assert_eq(e.ci_narrowed, n < 6, "n %zu", n);
        for (size_t i = 0; i < n; i++) {
            double q = x[i] / b[i];

            lo = q < lo ? q : lo;
            hi = q > hi ? q : hi;
        }
        if (n <= 6) {           /* k = 0 or 1: the extremes */
            assert_rel(e.ci.lo, lo, REL, "min");
            assert_rel(e.ci.hi, hi, REL, "max");
        }
        cr_assert(e.ci.lo <= e.ratio && e.ratio <= e.ci.hi);
    }
}

Test(effect, mde_matches_reference)
{
    for (size_t i = 0; i < COUNT(mde_ref); i++) {
        const struct mde_ref *w = &mde_ref[i];
        double *wb, *wn;
        double *b = read_part(w->base, w->base_off, w->n, &wb);
        double *x = read_part(w->nw, w->nw_off, w->m, &wn);
        double got = w->paired ? effect_mde_paired(b, x, w->n, w->alpha, w->power)
                               : effect_mde_unpaired(b, w->n, x, w->m, w->alpha, w->power);
        char what[96];

        snprintf(what, sizeof what, "%s %s / %s", w->paired ? "paired" : "unpaired", w->nw,
                 w->base);
        assert_rel(got, w->mde, REL, what);
        free(wb);
        free(wn);
    }
}

Test(effect, mde_needs_two)
{
    const double b[] = { 1.0, 2.0 }, x[] = { 1.5, 2.5 }, bad[] = { 1.0, -2.0 };

    cr_assert(isnan(effect_mde_unpaired(b, 1, x, 2, 0.05, 0.8)));
    cr_assert(isnan(effect_mde_unpaired(b, 2, x, 1, 0.05, 0.8)));
    cr_assert(isnan(effect_mde_paired(b, x, 1, 0.05, 0.8)));
    cr_assert(isnan(effect_mde_unpaired(b, 2, bad, 2, 0.05, 0.8)));
    cr_assert(isnan(effect_mde_paired(bad, x, 2, 0.05, 0.8)));
    cr_assert(isfinite(effect_mde_paired(b, x, 2, 0.05, 0.8)));
}

Test(effect, norm_matches_scipy)
{
    char what[64];

    for (size_t i = 0; i < COUNT(quantile_ref); i++) {
        snprintf(what, sizeof what, "quantile(%.17g)", quantile_ref[i].in);
        assert_rel(effect_norm_quantile(quantile_ref[i].in), quantile_ref[i].out, REL, what);
    }
    for (size_t i = 0; i < COUNT(sf_ref); i++) {
        snprintf(what, sizeof what, "sf(%.17g)", sf_ref[i].in);
        assert_rel(effect_norm_sf(sf_ref[i].in), sf_ref[i].out, REL, what);
    }
    cr_assert_eq(effect_norm_quantile(0.5), 0.0);
    cr_assert_eq(effect_norm_quantile(0.0), -INFINITY);
    cr_assert_eq(effect_norm_quantile(1.0), INFINITY);
    cr_assert(isnan(effect_norm_quantile(-0.1)));
    cr_assert(isnan(effect_norm_quantile(1.1)));
    cr_assert(isnan(effect_norm_quantile(NAN)));
}

/* Round trip and symmetry over (0, 1), absolute error as effect.h states. */
Test(effect, norm_quantile_inverts_sf)
{
    for (int i = 1; i < 1000; i++) {
        double p = i / 1000.0, x = effect_norm_quantile(p);

        cr_assert(fabs(effect_norm_sf(-x) - p) <= 1e-15, "p %g", p);
        cr_assert(fabs(x + effect_norm_quantile(1.0 - p)) <= 1e-15, "p %g", p);
    }
}

Test(effect, rejects_bad_input)
{
    const double ok[] = { 1, 2, 3 }, zero[] = { 1, 0, 3 }, neg[] = { 1, -2, 3 };
    const double nan[] = { 1, NAN, 3 }, inf[] = { 1, INFINITY, 3 };
    const double *bad[] = { zero, neg, nan, inf };
    struct effect e;

    cr_assert_eq(effect_unpaired(ok, 0, ok, 3, 0.95, &e), -1);
    cr_assert_eq(effect_unpaired(ok, 3, ok, 0, 0.95, &e), -1);
    cr_assert_eq(effect_paired(ok, ok, 0, 0.95, &e), -1);
    for (size_t i = 0; i < COUNT(bad); i++) {
        cr_assert_eq(effect_unpaired(bad[i], 3, ok, 3, 0.95, &e), -1);
        cr_assert_eq(effect_unpaired(ok, 3, bad[i], 3, 0.95, &e), -1);
        cr_assert_eq(effect_paired(bad[i], ok, 3, 0.95, &e), -1);
        cr_assert_eq(effect_paired(ok, bad[i], 3, 0.95, &e), -1);
    }
    cr_assert_eq(effect_unpaired(ok, 3, ok, 3, 1.0, &e), -1);
    cr_assert_eq(effect_unpaired(ok, 3, ok, 3, 0.0, &e), -1);
    cr_assert_eq(effect_paired(ok, ok, 3, NAN, &e), -1);
}

/* Lognormal samples whose medians differ by exactly 5 %: the 90 %
 * percentile-bootstrap interval should contain 1.05 in about 90 % of 300
 * seeded runs (n = m = 40); the band is wide because the bootstrap of a
 * median is only approximately calibrated at this size. */
Test(effect, unpaired_coverage)
{
    struct rng r;
    double b[40], x[40];
    unsigned hit = 0;

    rng_seed(&r, 2024);
    for (int rep = 0; rep < 300; rep++) {
        struct effect e;

        for (int i = 0; i < 40; i++) {
            b[i] = 1000.0 * exp(0.1 * rng_normal(&r));
            x[i] = 1050.0 * exp(0.1 * rng_normal(&r));
        }
        cr_assert_eq(effect_unpaired(b, 40, x, 40, 0.90, &e), 0);
        hit += e.ci.lo <= 1.05 && 1.05 <= e.ci.hi;
    }
    cr_assert(hit >= 240 && hit <= 294, "%u of 300 intervals cover", hit);
}

/* Pairs whose log ratio is normal around log 1.05: the order-statistic
 * interval for n = 25 at 0.95 uses k = 8, exact coverage
 * 1 - 2 P(Binomial(25, 1/2) <= 7) = 0.957; 1000 seeded runs. */
Test(effect, paired_coverage)
{
    struct rng r;
    double b[25], x[25];
    unsigned hit = 0;

    rng_seed(&r, 4048);
    for (int rep = 0; rep < 1000; rep++) {
        struct effect e;

        for (int i = 0; i < 25; i++) {
            b[i] = 500.0 * exp(0.3 * rng_normal(&r));
            x[i] = b[i] * 1.05 * exp(0.02 * rng_normal(&r));
        }
        cr_assert_eq(effect_paired(b, x, 25, 0.95, &e), 0);
        cr_assert_eq(e.ci_narrowed, 0);
        hit += e.ci.lo <= 1.05 && 1.05 <= e.ci.hi;
    }
    cr_assert(hit >= 930 && hit <= 980, "%u of 1000 intervals cover", hit);
}

/* Student t quantiles; expected values from R 4.2.2:
 * qt(c(.975,.975,.975,.975,.975,.975,.9,.995,.025,.5,.975),
 *    c(1,2,3.5,4,8,30,4,9,4,7,1000)) */
Test(effect, t_quantiles_against_r)
{
    static const struct {
        double p, df, q;
    } cases[] = {
        {0.975, 1, 12.706204736174694},   {0.975, 2, 4.3026527297494619},
        {0.975, 3.5, 2.9400886379827291}, {0.975, 4, 2.7764451051977934},
        {0.975, 8, 2.3060041352041658},   {0.975, 30, 2.0422724563012378},
        {0.9, 4, 1.5332062740589429},     {0.995, 9, 3.2498355415921254},
        {0.025, 4, -2.7764451051977943},  {0.5, 7, 0},
        {0.975, 1000, 1.9623390808264076},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double q = effect_t_quantile(cases[i].p, cases[i].df);
        cr_expect(fabs(q - cases[i].q) <= 1e-10 * (1 + fabs(cases[i].q)), "qt(%g, %g) = %.17g, R %.17g",
                  cases[i].p, cases[i].df, q, cases[i].q);
        if (cases[i].q != 0)
            cr_expect(fabs(effect_t_cdf(cases[i].q, cases[i].df) - cases[i].p) < 1e-12);
    }
    cr_expect(isnan(effect_t_quantile(0, 3)));
    cr_expect(isnan(effect_t_quantile(0.5, 0)));
}
