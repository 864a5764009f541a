/*
 * rank.h: rank tests for comparing two runs.
 *
 * Mann-Whitney U (Mann and Whitney 1947; Wilcoxon rank-sum), two-sided, as
 * R's wilcox.test(x, y): the statistic is U = (sum of the ranks of x in the
 * pooled sample, average ranks for ties) - n(n+1)/2.  The p-value is exact
 * (the distribution of U by counting, as R's pwilcox) when n < 50, m < 50 and
 * there are no ties; otherwise the normal approximation with the tie
 * correction of the variance and a continuity correction of 0.5 (R's
 * correct = TRUE).  When every value is tied the variance is 0 and R
 * answers NA; here p = 1 (no evidence of a difference).
 *
 * Wilcoxon signed-rank (Wilcoxon 1945), two-sided, as R's wilcox.test(d):
 * zero differences are dropped (Wilcoxon's method); V = sum of the ranks of
 * |d| of the positive d; exact (R's psignrank) when the remaining n < 50,
 * there are no ties among |d| and no zero was dropped (as R), else the
 * normal approximation with tie correction and continuity correction 0.5.
 *
 * Sign test: two-sided exact binomial test of pos successes in pos + neg
 * trials with p = 1/2 (R's binom.test(pos, pos + neg)).
 */
#ifndef PACER_RANK_H
#define PACER_RANK_H

#include <stddef.h>

struct rank_result {
    double stat;      /* U (Mann-Whitney) or V (signed-rank) */
    double p;         /* two-sided p-value, in [0, 1] */
    int exact;        /* 1 when the exact distribution was used */
    size_t n;         /* signed-rank: differences left after dropping zeros */
};

/* x[0..n) against y[0..m); n, m >= 1.  Returns 0, or -1 when a side is
 * empty, a value is not finite, or memory runs out. */
int rank_mwu(const double *x, size_t n, const double *y, size_t m, struct rank_result *out);

/* What this thread keeps between calls (the exact U distributions), given
 * back: a thread that compared calls it before it ends. */
void rank_thread_free(void);

/* The exact null distribution of the Mann-Whitney U of sizes m and n
 * (m, n >= 1) without ties: cdf[u] = P(U <= u), u = 0 .. m n.  Borrowed:
 * the last few distributions computed are kept (per thread); this one
 * stays valid until calls with three other pairs of sizes.  NULL when out
 * of memory.  Costs O(min(m,n) m n) the first time, nothing for the same
 * sizes again. */
const double *rank_mwu_cdf(size_t m, size_t n);

/* Paired differences d[0..n).  All zero (or n == 0) gives p = 1, n = 0.
 * Returns -1 when a value is not finite or memory runs out. */
int rank_signrank(const double *d, size_t n, struct rank_result *out);

/* Exact two-sided binomial p-value of pos against neg (p = 1/2); 1 when
 * pos + neg == 0 (R refuses n = 0). */
double rank_sign_test(size_t pos, size_t neg);

/* P(X <= k) for X ~ Binomial(n, 1/2), the distribution of the sign test;
 * also used by effect.c for the order-statistic CI of a median.  Relative
 * error about k * 1e-16; values below about 1e-308 come out as 0. */
double rank_binom_half_cdf(size_t k, size_t n);

/* The largest j <= max with P(Binomial(n, 1/2) < j) <= tail (0 when even
 * j = 1 fails): the rank of the lower end of the distribution-free
 * interval of a median, (x_(j), x_(n+1-j)) (Conover 1999, 3.2).  A binary
 * search: the cdf only grows with j, so O(log n) evaluations. */
size_t rank_sign_k(size_t n, size_t max, double tail);

#endif
