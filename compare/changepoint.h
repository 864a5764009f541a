/*
 * changepoint.h: change points in a series of measurements (one value per
 * run, in run order) by E-divisive means in its deterministic form
 * (Matteson and James 2014, "A nonparametric approach for multiple change
 * point analysis of multivariate data", JASA 109(505); the deterministic
 * variant of Apache Otava / Hunter, Fleming et al. 2023, "Hunter: using
 * change point detection to hunt for performance regressions"):
 *
 *   - over every split tau of a segment with at least min_size points on
 *     each side, the energy statistic
 *       Q = mn/(m+n) * (2/(mn) sum|x_i - y_j| - 1/C(m,2) sum|x_i - x_k|
 *                                              - 1/C(n,2) sum|y_j - y_l|)
 *     is computed and the split where it is largest is the candidate;
 *   - the candidate is accepted when a two-sample (Welch) t-test of the two
 *     sides gives p below the threshold (no permutations: the same input
 *     gives the same answer);
 *   - accepted splits are recursed into until none is accepted;
 *   - finally change points whose relative change of the mean between the
 *     neighbouring segments is below the magnitude floor are dropped (and
 *     the remaining ones re-evaluated against their new neighbours): one at
 *     a time, the weakest first (the smallest |change|), where a change
 *     point whose t-test against its neighbours is no longer below the
 *     threshold counts as weak too (Hunter's merge of change points).
 * Ties between splits of equal Q go to the first.  Every step is
 * deterministic: the same series gives the same change points.
 */
#ifndef PACER_CHANGEPOINT_H
#define PACER_CHANGEPOINT_H

#include <stddef.h>

#include "harness/lib/err.h"

struct cp_opts {
    double pvalue;          /* accept a split below this (default 0.001) */
    size_t min_size;        /* points on each side at least (default 5;
                               below 2 counts as 2: a t-test needs two) */
    double min_magnitude;   /* relative change of the mean (default 0.01) */
};

void cp_opts_default(struct cp_opts *o);

struct changepoint {
    size_t index;           /* first point of the new segment */
    double mean_before;     /* mean of the segment before (to the previous
                               change point) */
    double mean_after;      /* mean of the segment after (to the next) */
    double change;          /* mean_after / mean_before - 1 */
    double pvalue;          /* Welch t-test of the two segments */
    double q;               /* the energy statistic at the split */
};

/* Change points of x[0..n), ascending by index, in a new array *out (free
 * it; NULL when none).  -1 with the cause in e (out of memory, a value that
 * is not finite). */
int cp_detect(const double *x, size_t n, const struct cp_opts *o, struct changepoint **out,
              size_t *nout, struct err *e);

/* The energy statistic Q (alpha = 1) of every split of x[0..n) into
 * x[0..tau) and x[tau..n), into q[tau] for tau in 0..n (n + 1 values; a
 * side with fewer than 2 points contributes no within-side term, and
 * q[0] = q[n] = 0).  O(n log n): the sums of distances of each point to
 * the points before it come from a Fenwick tree over the ranks (Fenwick
 * 1994), the sums to all points from the sorted values, and the three
 * double sums of Q follow by prefix sums.  -1 when out of memory. */
int cp_energy(const double *x, size_t n, double *q);

/* Welch's two-sample t-test of a[0..na) and b[0..nb): the two-sided p-value
 * (1 when either side has fewer than 2 points or both have no spread and
 * equal means, 0 when no spread and different means). */
double cp_welch_p(const double *a, size_t na, const double *b, size_t nb);

#endif
