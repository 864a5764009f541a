/*
 * effect.h: how big a change is, with its uncertainty.  Changes are ratios
 * new/base of a central value (1.03 = 3 % more); their confidence intervals
 * come from the data alone.
 *
 * Unpaired (two runs): ratio of the medians; percentile bootstrap CI
 * (Efron and Tibshirani 1993) of median(new*) / median(base*) over
 * independent resamples of the two sides, from the exact bootstrap
 * distributions of the two medians (stats.h), not from B resamples: the
 * CI's ends are the smallest ratios r with P(ratio* <= r) >= (1-level)/2
 * and >= (1+level)/2.
 *
 * Paired (A/B pairs): r_i = log(new_i / base_i); the estimate is
 * exp(median r); the CI is exp of the distribution-free order-statistic
 * interval of the median (r_(k), r_(n+1-k)) with k the largest integer such
 * that P(Binomial(n, 1/2) < k) <= (1-level)/2 (Conover 1999, ch. 3.2); when
 * n is too small for any k >= 1 the CI is (min, max) of r, and is flagged
 * as below the asked level.
 *
 * Minimum detectable effect (MDE): the smallest relative change a two-sided
 * test at alpha would find with the given power, from the noise of these
 * samples: on log values with robust sigma = MAD (1.4826 scale),
 *   unpaired: (z(1-alpha/2) + z(power)) * sqrt(s_b^2/n + s_n^2/m) / sqrt(3/pi)
 *   paired:   (z(1-alpha/2) + z(power)) * s_r / sqrt(n) / sqrt(3/pi)
 * (3/pi: the asymptotic relative efficiency of the rank tests against the
 * t-test under normality, Lehmann 1975), returned as exp(.) - 1.
 */
#ifndef PACER_EFFECT_H
#define PACER_EFFECT_H

#include <stddef.h>
#include <stdint.h>

#include "harness/lib/stats.h"

struct effect {
    double ratio;        /* new / base */
    struct ci ci;        /* of the ratio */
    double level;
    int ci_narrowed;     /* paired: n too small for the asked level */
    unsigned resamples;  /* resamples drawn: the two-stage bootstrap of
                            cluster.h; 0 when computed exactly */
};

/* Unpaired ratio of medians with its bootstrap CI.  All values must be
 * finite and > 0, level in (0, 1).  Returns 0, or -1 (empty side, bad
 * value, memory). */
int effect_unpaired(const double *base, size_t n, const double *nw, size_t m, double level,
                    struct effect *out);

/* Paired: base[i] and nw[i] measured as a pair; values finite and > 0,
 * level in (0, 1).  Returns 0, or -1 (n == 0, bad value, memory). */
int effect_paired(const double *base, const double *nw, size_t n, double level,
                  struct effect *out);

/* MDE as a fraction (0.02 = 2 %); NaN when a side has fewer than 2 values. */
double effect_mde_unpaired(const double *base, size_t n, const double *nw, size_t m,
                           double alpha, double power);
double effect_mde_paired(const double *base, const double *nw, size_t n, double alpha,
                         double power);

/* Standard normal quantile (Acklam's algorithm refined by one Halley step;
 * |error| < 1e-15 on (0, 1)). */
double effect_norm_quantile(double p);
/* Standard normal upper tail P(Z > z), via erfc. */
double effect_norm_sf(double z);

/* Student's t distribution with df > 0 degrees of freedom (real df for
 * Welch-Satterthwaite): the CDF through the regularized incomplete beta
 * function (continued fraction, Lentz's method; Press et al., Numerical
 * Recipes, 6.4) and its quantile by bisection and Newton steps on it
 * (|error| < 1e-12). */
double effect_t_cdf(double t, double df);
double effect_t_quantile(double p, double df);

#endif
