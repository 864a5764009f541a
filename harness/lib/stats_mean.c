/*
 * stats_mean.c: the percentile bootstrap interval of the mean (stats.h),
 * from the bootstrap distribution of the resample mean rather than from B
 * resamples.
 *
 * For n <= MEAN_EXACT_MAX every resample, as the counts c_i of each value
 * (a composition of n, probability n! / prod c_i! / n^n), is enumerated.
 * Above, the saddlepoint approximation of the distribution of the resample
 * mean (Davison and Hinkley 1988, "Saddlepoint approximations in resampling
 * methods", Biometrika 75), with Lugannani and Rice's tail formula (1980):
 * for standardized values y (mean 0, sd 1 with divisor n) and K(t) = log
 * mean exp(t y), the saddlepoint t of a mean v solves K'(t) = v and
 *   P(mean* <= v) ~ Phi(w) + phi(w) (1/w - 1/u),
 *   w = sign(t) sqrt(2 n (t v - K(t))),  u = t sqrt(n K''(t)).
 * The quantile is found in t, each step one pass over the data (or over
 * the grouped bulk of a large sample, below).
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

#include "stats_private.h"

#define MEAN_EXACT_MAX 6       /* 462 resamples to enumerate at n = 6 */

/* Every composition c[0..n) of left over the values from i on, each an
 * atom of the resample mean with probability n! / prod c! / n^n (kept as
 * its log, lp, and the sum so far, sum). */
static int mean_compositions(const double *x, size_t n, size_t i, size_t left, double sum,
                             double lp, struct stats_atoms *s)
{
    size_t c;

    if (i == n - 1)
        return stats_atoms_add(s, (sum + (double)left * x[i]) / (double)n,
                         exp(lp - lgamma((double)left + 1)));
    for (c = 0; c <= left; c++)
        if (mean_compositions(x, n, i + 1, left - c, sum + (double)c * x[i],
                              lp - lgamma((double)c + 1), s) < 0)
            return -1;
    return 0;
}

/* The standardized values y of the saddlepoint, and for large n their
 * bulk grouped: values in [-GROUP_SPAN, GROUP_SPAN) fall in bins of width
 * GROUP_H, each kept as its count and the power sums S_1..S_4 of the
 * offsets d from its centre; the others stay as they are.  Then
 * sum exp(t y) y^m over a bin is exp(t c) times the Taylor series of
 * exp(t d) in those sums, whose remainder is below 1e-9 of the sum while
 * |t| GROUP_H <= GROUP_TH (the saddlepoint of a large sample has |t|
 * about 2/sqrt(n)); a step with a larger t passes over every value. */
#define GROUP_MIN 65536        /* samples from which the bulk is grouped */
#define GROUP_SPAN 40.0
#define GROUP_H 0.05
#define GROUP_TH 0.01
#define GROUP_BINS 1600        /* 2 GROUP_SPAN / GROUP_H */

struct ysample {
    const double *y;
    size_t n;
    double ymin, ymax;
    double *sums;              /* GROUP_BINS x 5 (count, S_1..S_4), or NULL */
    double *rest;              /* the values outside the bins */
    size_t nrest;
};

static int ysample_group(struct ysample *ys)
{
    size_t i;

    ys->sums = calloc(GROUP_BINS * 5, sizeof *ys->sums);
    ys->rest = malloc(ys->n * sizeof *ys->rest);
    if (!ys->sums || !ys->rest)
        return -1;
    for (i = 0; i < ys->n; i++) {
        double y = ys->y[i], b = floor((y + GROUP_SPAN) / GROUP_H), d, *s;

        if (!(b >= 0 && b < GROUP_BINS)) {
            ys->rest[ys->nrest++] = y;
            continue;
        }
        s = ys->sums + 5 * (size_t)b;
        d = y - (-GROUP_SPAN + (b + 0.5) * GROUP_H);
        s[0] += 1;
        s[1] += d;
        s[2] += d * d;
        s[3] += d * d * d;
        s[4] += d * d * d * d;
    }
    return 0;
}

/* sum exp(t (y - sh)) y^m, m = 0, 1, 2, into s[0..3) over the bins. */
static void tilt_groups(const struct ysample *ys, double t, double sh, double *s)
{
    for (size_t b = 0; b < GROUP_BINS; b++) {
        const double *q = ys->sums + 5 * b;
        double c = -GROUP_SPAN + ((double)b + 0.5) * GROUP_H, e, m0, m1, m2;

        if (q[0] == 0)
            continue;
        /* sum exp(t d) d^j = sum_k t^k S_{j+k} / k!, to S_4 */
        m0 = q[0] + t * (q[1] + t * (q[2] / 2 + t * (q[3] / 6 + t * q[4] / 24)));
        m1 = q[1] + t * (q[2] + t * (q[3] / 2 + t * q[4] / 6));
        m2 = q[2] + t * (q[3] + t * q[4] / 2);
        e = exp(t * (c - sh));
        s[0] += e * m0;
        s[1] += e * (c * m0 + m1);
        s[2] += e * (c * c * m0 + 2 * c * m1 + m2);
    }
}

/* K(t) = log mean exp(t y) and its first two derivatives, the exponents
 * shifted by t max(y) (or min) so that none overflows. */
static void tilt(const struct ysample *ys, double t, double *k0, double *k1, double *k2)
{
    double sh = t >= 0 ? ys->ymax : ys->ymin, s[3] = {0, 0, 0}, m;
    const double *y = ys->y;
    size_t n = ys->n;

    if (ys->sums && fabs(t) * GROUP_H <= GROUP_TH) {
        tilt_groups(ys, t, sh, s);
        y = ys->rest;
        n = ys->nrest;
    }
    for (size_t i = 0; i < n; i++) {
        double e = exp(t * (y[i] - sh));

        s[0] += e;
        s[1] += e * y[i];
        s[2] += e * y[i] * y[i];
    }
    m = s[1] / s[0];
    *k0 = t * sh + log(s[0] / (double)ys->n);
    *k1 = m;
    *k2 = fmax(s[2] / s[0] - m * m, 0);
}

/* Lugannani and Rice's P(mean* <= K'(t)) at the saddlepoint t; *v gets
 * K'(t) and *dfdt the slope in t, about the saddlepoint density times
 * dv/dt = K''(t): phi(w) sqrt(n K''(t)). */
static double lr_cdf(const struct ysample *ys, double t, double *v, double *dfdt)
{
    double k0, k1, k2, w, u, e, phi, n = (double)ys->n;

    tilt(ys, t, &k0, &k1, &k2);
    *v = k1;
    *dfdt = 0;
    e = 2.0 * n * (t * k1 - k0);
    if (t == 0 || !(e > 0) || !(k2 > 0))
        return t < 0 ? 0.0 : t > 0 ? 1.0 : 0.5;
    w = copysign(sqrt(e), t);
    u = t * sqrt(n * k2);
    phi = exp(-w * w / 2) / sqrt(2 * M_PI);
    *dfdt = phi * sqrt(n * k2);
    return 0.5 * erfc(-w / M_SQRT2) + phi * (1 / w - 1 / u);
}

/* The saddlepoint quantile p of the mean of the standardized y, in y's
 * units.  Newton steps in t from the normal guess t = z/sqrt(n) (|z| =
 * 2), kept inside the bracket that the values seen so far give (t = 0,
 * the centre, is on one side): a step that leaves it bisects, and a
 * bracket still open on one side doubles.  Each step is one pass; about
 * four reach the rounding of the sums.  A step of t below 1e-9 of t moves
 * the quantile by less than 1e-9 of its distance from the mean. */
static double mean_saddle(const struct ysample *ys, double p)
{
    double t = (p < 0.5 ? -2.0 : 2.0) / sqrt((double)ys->n), lo = -INFINITY, hi = INFINITY;
    double v = 0, f, d, tn;

    if (p < 0.5)
        hi = 0;     /* P(mean* <= mean) is about 1/2 > p */
    else
        lo = 0;
    for (int i = 0; i < 200; i++) {
        f = lr_cdf(ys, t, &v, &d) - p;
        if (fabs(f) < 1e-10)   /* rounding in the sums over y is about this */
            break;
        if (f < 0)
            lo = t;
        else
            hi = t;
        tn = d > 0 ? t - f / d : NAN;
        if (!(tn > lo && tn < hi))
            tn = isinf(lo) ? 2 * hi : isinf(hi) ? 2 * lo : lo + (hi - lo) / 2;
        if (fabs(tn - t) <= 1e-9 * fabs(t) || fabs(tn) > 1e300)
            break;
        t = tn;
    }
    return isfinite(v) ? v : p < 0.5 ? ys->ymin : ys->ymax;
}

/* Above MEAN_EXACT_MAX: standardize (population sd), then both ends. */
static int mean_ci_saddle(const double *x, size_t n, double level, struct ci *out)
{
    double m = stats_mean(x, n), s = 0, *y;
    struct ysample ys = {0};
    size_t i;
    int rc = -1;

    for (i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m);
    s = sqrt(s / (double)n);
    if (!(s > 0) || !isfinite(s)) {
        out->lo = out->hi = m;
        return 0;
    }
    if (!(y = malloc(n * sizeof *y)))
        return -1;
    ys.y = y;
    ys.n = n;
    ys.ymin = INFINITY;
    ys.ymax = -INFINITY;
    for (i = 0; i < n; i++) {
        y[i] = (x[i] - m) / s;
        ys.ymin = fmin(ys.ymin, y[i]);
        ys.ymax = fmax(ys.ymax, y[i]);
    }
    if (n >= GROUP_MIN && ysample_group(&ys) < 0)
        goto cleanup;
    out->lo = m + s * mean_saddle(&ys, (1.0 - level) / 2.0);
    out->hi = m + s * mean_saddle(&ys, (1.0 + level) / 2.0);
    rc = 0;
cleanup:
    free(ys.sums);
    free(ys.rest);
    free(y);
    return rc;
}

int stats_ci_mean(const double *x, size_t n, double level, struct ci *out)
{
    struct stats_boot_dist d;
    struct stats_atoms s = {0};

    out->lo = out->hi = NAN;
    if (n == 0)
        return 0;
    if (n > MEAN_EXACT_MAX)
        return mean_ci_saddle(x, n, level, out);
    if (mean_compositions(x, n, 0, n, 0.0, lgamma((double)n + 1) - (double)n * log((double)n),
                          &s) < 0) {
        free(s.a);
        return -1;
    }
    qsort(s.a, s.n, sizeof *s.a, stats_atom_cmp);
    if (stats_atoms_dist(&s, &d) < 0)
        return -1;
    out->lo = stats_boot_quantile(&d, (1.0 - level) / 2.0);
    out->hi = stats_boot_quantile(&d, (1.0 + level) / 2.0);
    stats_boot_free(&d);
    return 0;
}
