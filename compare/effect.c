/*
 * effect.c: effect sizes with confidence intervals (effect.h holds the
 * definitions).  Methods:
 *   - unpaired: ratio of medians with the percentile bootstrap (Efron and
 *     Tibshirani 1993, "An Introduction to the Bootstrap", ch. 13), from
 *     the exact bootstrap distributions of the two medians (stats.h);
 *   - paired: the median of the per-pair log ratios with the
 *     distribution-free interval between two order statistics, whose
 *     coverage is a binomial(n, 1/2) sum (Conover 1999, "Practical
 *     Nonparametric Statistics", ch. 3.2), taken from rank.c's sign-test
 *     distribution;
 *   - minimum detectable effect from the usual normal power formula,
 *     scaled by the asymptotic relative efficiency 3/pi of the rank tests
 *     (Lehmann 1975, "Nonparametrics: Statistical Methods Based on Ranks");
 *   - normal quantile by Acklam's rational approximation (Acklam 2003,
 *     "An algorithm for computing the inverse normal cumulative
 *     distribution function"), refined by one Halley step on erfc.
 */
#include "effect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/dist.h"
#include "rank.h"

static int positive(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !(x[i] > 0.0))
            return 0;
    return 1;
}

static int level_ok(double level)
{
    return level > 0.0 && level < 1.0;
}

/* A new sorted copy of x[0..n), NULL when out of memory. */
static double *sorted_copy(const double *x, size_t n)
{
    double *t = malloc(n * sizeof *t);

    if (t) {
        memcpy(t, x, n * sizeof *t);
        stats_sort(t, n);
    }
    return t;
}

int effect_unpaired(const double *base, size_t n, const double *nw, size_t m, double level,
                    struct effect *out)
{
    struct stats_boot_dist db = {0}, dn = {0};
    double *sb = NULL, *sn = NULL;
    int rc = -1;

    out->ratio = out->ci.lo = out->ci.hi = NAN;
    out->level = level;
    out->ci_narrowed = 0;
    out->resamples = 0;
    if (n == 0 || m == 0 || !level_ok(level) || !positive(base, n) || !positive(nw, m))
        return -1;
    sb = sorted_copy(base, n);
    sn = sorted_copy(nw, m);
    if (!sb || !sn)
        goto cleanup;
    out->ratio = stats_quantile_sorted(sn, m, 0.5) / stats_quantile_sorted(sb, n, 0.5);
    if (stats_boot_median(sb, n, &db) < 0 || stats_boot_median(sn, m, &dn) < 0)
        goto cleanup;
    out->ci.lo = stats_boot_ratio_quantile(&db, &dn, (1.0 - level) / 2.0);
    out->ci.hi = stats_boot_ratio_quantile(&db, &dn, (1.0 + level) / 2.0);
    rc = isnan(out->ci.lo) || isnan(out->ci.hi) ? -1 : 0;
cleanup:
    stats_boot_free(&db);
    stats_boot_free(&dn);
    free(sb);
    free(sn);
    return rc;
}

int effect_paired(const double *base, const double *nw, size_t n, double level,
                  struct effect *out)
{
    double *r;
    size_t k;

    out->ratio = out->ci.lo = out->ci.hi = NAN;
    out->level = level;
    out->ci_narrowed = 0;
    out->resamples = 0;
    if (n == 0 || !level_ok(level) || !positive(base, n) || !positive(nw, n))
        return -1;
    r = malloc(n * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < n; i++)
        r[i] = log(nw[i] / base[i]);
    stats_sort(r, n);
    out->ratio = exp(stats_quantile_sorted(r, n, 0.5));
    k = rank_sign_k(n, (n + 1) / 2, (1.0 - level) / 2.0);
    if (k == 0) {
        out->ci.lo = exp(r[0]);
        out->ci.hi = exp(r[n - 1]);
        out->ci_narrowed = 1;
    } else {
        out->ci.lo = exp(r[k - 1]);          /* r_(k), 1-based */
        out->ci.hi = exp(r[n - k]);          /* r_(n+1-k) */
    }
    free(r);
    return 0;
}

/* MAD (1.4826 scale) of log(x[0..n)); NaN on a bad value or no memory. */
static double log_mad(const double *x, size_t n)
{
    double *l, s;

    if (!positive(x, n))
        return NAN;
    l = malloc(n * sizeof *l);
    if (!l)
        return NAN;
    for (size_t i = 0; i < n; i++)
        l[i] = log(x[i]);
    s = stats_mad(l, n);
    free(l);
    return s;
}

/* z(1 - alpha/2) + z(power), over sqrt(3/pi). */
static double mde_factor(double alpha, double power)
{
    return (effect_norm_quantile(1.0 - alpha / 2.0) + effect_norm_quantile(power)) /
           sqrt(3.0 / M_PI);
}

double effect_mde_unpaired(const double *base, size_t n, const double *nw, size_t m,
                           double alpha, double power)
{
    double sb, sn;

    if (n < 2 || m < 2)
        return NAN;
    sb = log_mad(base, n);
    sn = log_mad(nw, m);
    return expm1(mde_factor(alpha, power) *
                 sqrt(sb * sb / (double)n + sn * sn / (double)m));
}

double effect_mde_paired(const double *base, const double *nw, size_t n, double alpha,
                         double power)
{
    double *r, s;

    if (n < 2 || !positive(base, n) || !positive(nw, n))
        return NAN;
    r = malloc(n * sizeof *r);
    if (!r)
        return NAN;
    for (size_t i = 0; i < n; i++)
        r[i] = log(nw[i] / base[i]);
    s = stats_mad(r, n);
    free(r);
    return expm1(mde_factor(alpha, power) * s / sqrt((double)n));
}

/* Acklam's coefficients: rational approximations on the central region
 * |p - 1/2| <= 1/2 - P_LOW and on the tail in q = sqrt(-2 log p), relative
 * error below 1.15e-9 before the refinement. */
static const double ack_a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
                                -2.759285104469687e+02, 1.383577518672690e+02,
                                -3.066479806614716e+01, 2.506628277459239e+00 };
static const double ack_b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
                                -1.556989798598866e+02, 6.680131188771972e+01,
                                -1.328068155288572e+01 };
static const double ack_c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
                                -2.400758277161838e+00, -2.549732539343734e+00,
                                4.374664141464968e+00, 2.938163982698783e+00 };
static const double ack_d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
                                2.445134137142996e+00, 3.754408661907416e+00 };
#define P_LOW 0.02425

/* The quantile for 0 < p <= 1/2 (x <= 0), where erfc(-x / sqrt 2) is
 * computed without cancellation, so the Halley step can refine even the
 * far tail.  Above 1/2 the symmetry x(p) = -x(1 - p) is used, 1 - p being
 * exact there (Sterbenz). */
static double lower_quantile(double p)
{
    double x, e, u;

    if (p < P_LOW) {
        double q = sqrt(-2.0 * log(p));

        x = (((((ack_c[0] * q + ack_c[1]) * q + ack_c[2]) * q + ack_c[3]) * q + ack_c[4]) * q +
             ack_c[5]) /
            ((((ack_d[0] * q + ack_d[1]) * q + ack_d[2]) * q + ack_d[3]) * q + 1.0);
    } else {
        double q = p - 0.5, r = q * q;

        x = (((((ack_a[0] * r + ack_a[1]) * r + ack_a[2]) * r + ack_a[3]) * r + ack_a[4]) * r +
             ack_a[5]) * q /
            (((((ack_b[0] * r + ack_b[1]) * r + ack_b[2]) * r + ack_b[3]) * r + ack_b[4]) * r +
             1.0);
    }
    /* Halley's step on f(x) = Phi(x) - p: u = f / f', x -= u / (1 + x u / 2).
     * exp(x^2 / 2) overflows only beyond p ~ 1e-308; then the step is
     * skipped. */
    e = 0.5 * erfc(-x / M_SQRT2) - p;
    u = e * sqrt(2.0 * M_PI) * exp(x * x / 2.0);
    if (isfinite(u))
        x -= u / (1.0 + x * u / 2.0);
    return x;
}

double effect_norm_quantile(double p)
{
    if (isnan(p) || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 0.0)
        return -INFINITY;
    if (p == 1.0)
        return INFINITY;
    if (p > 0.5)
        return -lower_quantile(1.0 - p);
    return lower_quantile(p);
}

double effect_norm_sf(double z)
{
    return 0.5 * erfc(z / M_SQRT2);
}

double effect_t_cdf(double t, double df)
{
    double x = df / (df + t * t), tail = 0.5 * dist_beta_inc(df / 2, 0.5, x);

    return t >= 0 ? 1 - tail : tail;
}

double effect_t_quantile(double p, double df)
{
    double lo = -1, hi = 1, x;
    int i;

    if (!(p > 0 && p < 1) || !(df > 0))
        return NAN;
    if (p == 0.5)
        return 0;
    while (effect_t_cdf(lo, df) > p)
        lo *= 2;
    while (effect_t_cdf(hi, df) < p)
        hi *= 2;
    /* Bisection to a bracket, then Newton steps on the density. */
    for (i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2;
        if (effect_t_cdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
        if (hi - lo < 1e-6 * (1 + fabs(mid)))
            break;
    }
    x = (lo + hi) / 2;
    for (i = 0; i < 8; i++) {
        double dens = exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * M_PI) -
                          (df + 1) / 2 * log1p(x * x / df));
        double step = (effect_t_cdf(x, df) - p) / dens;
        x -= step;
        if (fabs(step) < 1e-15 * (1 + fabs(x)))
            break;
    }
    return x;
}
