/*
 * dist.h: distribution functions the statistics of pacer need below
 * compare/ (the bootstrap of stats.h and the tests of compare/ alike).
 */
#ifndef PACER_DIST_H
#define PACER_DIST_H

/* The regularized incomplete beta function I_x(a, b), a, b > 0: the
 * distribution function of Beta(a, b) at x (0 below 0, 1 above 1).  Also
 * P(Binomial(n, x) >= k) = I_x(k, n - k + 1) for 1 <= k <= n.  Relative
 * error about 1e-14 where the value is not tiny; a, b up to several
 * million. */
double dist_beta_inc(double a, double b, double x);
/* The same with lbeta = log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b)
 * given, for many x at the same a and b. */
double dist_beta_inc_lb(double a, double b, double x, double lbeta);

#endif
