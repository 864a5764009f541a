/*
 * dist.c: the regularized incomplete beta function (dist.h), by its
 * continued fraction (Abramowitz and Stegun 1964, 26.5.8) evaluated with
 * the modified Lentz method (Lentz 1976; Thompson and Barnett 1986, "Coulomb
 * and Bessel functions of complex arguments and order"), on the side of
 * the mean where it converges fast, the other side by I_x(a, b) =
 * 1 - I_{1-x}(b, a) (Press et al. 2007, "Numerical Recipes", 6.4).
 */
#include "dist.h"

#include <math.h>

#define LENTZ_TINY 1e-300

/* One term aa of the modified Lentz recurrence: updates d and c, returns
 * the factor the fraction's value is multiplied by. */
static double lentz_step(double aa, double *c, double *d)
{
    *d = 1 + aa * *d;
    if (fabs(*d) < LENTZ_TINY)
        *d = LENTZ_TINY;
    *c = 1 + aa / *c;
    if (fabs(*c) < LENTZ_TINY)
        *c = LENTZ_TINY;
    *d = 1 / *d;
    return *d * *c;
}

/* The continued fraction for x < (a + 1) / (a + b + 2).  It needs about
 * sqrt(a + b) / 3 terms near the mean (590 at a = b = 1.5e6), so the bound
 * grows with a + b. */
static double beta_cf(double a, double b, double x)
{
    double c = 1, d = 1 - (a + b) * x / (a + 1), h, limit = 500 + sqrt(a + b);
    int m;

    if (fabs(d) < LENTZ_TINY)
        d = LENTZ_TINY;
    d = 1 / d;
    h = d;
    for (m = 1; m <= limit; m++) {
        double m2 = 2.0 * m, del;
        h *= lentz_step(m * (b - m) * x / ((a + m2 - 1) * (a + m2)), &c, &d);
        del = lentz_step(-(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)), &c, &d);
        h *= del;
        if (fabs(del - 1) < 1e-16)
            break;
    }
    return h;
}

double dist_beta_inc(double a, double b, double x)
{
    return dist_beta_inc_lb(a, b, x, lgamma(a) + lgamma(b) - lgamma(a + b));
}

double dist_beta_inc_lb(double a, double b, double x, double lbeta)
{
    double front;

    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    front = exp(a * log(x) + b * log1p(-x) - lbeta);
    if (x < (a + 1) / (a + b + 2))
        return front * beta_cf(a, b, x) / a;
    return 1 - front * beta_cf(b, a, 1 - x) / b;
}
