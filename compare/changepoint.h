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
 *   - the candidate is kept as a weak change point when a two-sample test
 *     of its two sides gives p below the first-pass threshold (10 x the
 *     threshold below 0.05, 2 x below 0.5, as Otava), and both sides are
 *     split again, until no candidate is kept.  This first pass runs over the
 *     whole series, then again over windows of `window` runs, as Otava's
 *     does (each window starts half a window after the last, or at the
 *     last split it kept when that is further), where a split is kept at a
 *     third of the threshold (the windows are many tests) and the rank
 *     test takes its normal approximation; the weak change points of all
 *     are pooled.  No permutations: the same input gives the
 *     same answer;
 *   - then the merge (Hunter's): each change point is tested against its
 *     neighbouring segments (to the change points before and after it);
 *     while one fails, by p not below the threshold, by a relative change
 *     of the level below the magnitude floor, or by a neighbouring segment
 *     shorter than min_size (windows can keep two splits closer), the
 *     weakest of those that fail (the smallest |change|) is dropped and the
 *     rest are evaluated again.
 * The test is Mann-Whitney's rank test by default (Mann and Whitney 1947;
 * compare/rank.h), with a segment's median as its level: one wild run
 * moves either by one rank at most.  Welch's t-test, which Hunter uses,
 * with the mean as the level, is kept as an option: one run far off
 * inflates its variance and can hide a step beside it.  Ties between splits
 * of equal Q go to the first.  Every step is deterministic: the same
 * series gives the same change points.
 */
#ifndef PACER_CHANGEPOINT_H
#define PACER_CHANGEPOINT_H

#include <stddef.h>

#include "harness/lib/err.h"

/* The test that accepts a split. */
enum cp_test {
    CP_TEST_RANK,           /* Mann-Whitney U, levels by the median */
    CP_TEST_WELCH,          /* Welch's t-test, levels by the mean */
};

struct cp_opts {
    double pvalue;          /* accept a split below this (default 0.001) */
    size_t min_size;        /* points on each side at least (default 5;
                               below 2 counts as 2: a test needs two) */
    double min_magnitude;   /* relative change of the level (default 0.01) */
    enum cp_test test;      /* default CP_TEST_RANK */
    size_t window;          /* runs in a window of the first pass (default
                               50, Otava's; 0: the whole history at once) */
};

void cp_opts_default(struct cp_opts *o);

/* "mann-whitney" or "welch". */
const char *cp_test_name(enum cp_test t);

/* The test named s (as cp_test_name) into *t: 0, or -1 for another name. */
int cp_test_parse(const char *s, enum cp_test *t);

/* The fewest points in which cp_detect can find a change point with o:
 * 2 x min_size (2 at least), and for the rank test also the fewest n whose
 * most lopsided ranking of an even split gives p below the threshold: the
 * exact two-sided p of two sides that do not overlap at all is
 * 2 / C(n, n/2) at best (at p < 0.001, n = 14; at p < 0.01, n = 10). */
size_t cp_min_length(const struct cp_opts *o);

struct changepoint {
    size_t index;           /* first point of the new segment */
    double before;          /* level of the segment before (to the previous
                               change point): median or mean, by the test */
    double after;           /* level of the segment after (to the next) */
    double change;          /* after / before - 1 */
    double pvalue;          /* the test of the two segments */
    double q;               /* the energy statistic at the split */
};

/* Change points of x[0..n), ascending by index, in a new array *out (free
 * it; NULL when none); none when n < cp_min_length(o).  -1 with the cause
 * in e (out of memory, a value that is not finite). */
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

/* The level of a segment x[0..n) (n >= 1) as o's test takes it: its
 * median (rank test) or its mean (Welch's).  NaN when out of memory. */
double cp_level(const struct cp_opts *o, const double *x, size_t n);

/* Welch's two-sample t-test of a[0..na) and b[0..nb): the two-sided p-value
 * (1 when either side has fewer than 2 points or both have no spread and
 * equal means, 0 when no spread and different means). */
double cp_welch_p(const double *a, size_t na, const double *b, size_t nb);

#endif
