/*
 * reach.h: whether a comparison's sample counts can reach significance at
 * all.  A rank test's p-value has a floor set by the counts alone: the
 * Mann-Whitney U of n against m samples can give no p below 2 / C(n+m, n)
 * (the two most extreme of the C(n+m, n) equally likely orderings), the
 * signed-rank test of n pairs none below 2 / 2^n (Hollander, Wolfe and
 * Chicken 2014, 3.1 and 4.1).  With 3 samples a side the least p is 0.1:
 * no change, however large, is ever significant at 0.05, and the user
 * should be told, with the count that would do.
 */
#ifndef PACER_REACH_H
#define PACER_REACH_H

#include <stddef.h>

#include "compare.h"

/* The least two-sided p-value the verdict's test (rank.h) gives with
 * n_base and n_new samples (pairs: n_base, when paired): the p of two
 * samples that do not overlap at all (pairs whose differences are all
 * positive), as rank_mwu and rank_signrank compute it.  1 when a side has
 * fewer than one; 0 when the counts are so large (over 50 a side) that the
 * floor is far below any alpha; NaN when out of memory. */
double reach_least_p(size_t n_base, size_t n_new, int paired);

/* The least count a side (pairs, when paired) from which the least p is
 * below p_target; at most 1000. */
size_t reach_count_for(double p_target, int paired);

/* How many of c's compared rows (every verdict but error, base only, new
 * only) cannot be significant at c's alpha: reach_least_p of their counts
 * is alpha or more.  *first is the first of them (NULL when none). */
size_t reach_unreachable(const struct comparison *c, const struct compare_row **first);

/* The option of the tool that made c's files that sets a side's count to
 * n, into buf: "--pairs N" (paired: pacer ab), "--runs N" (hyperfine),
 * "--benchmark_repetitions=N" (Google Benchmark), "--samples N" (pacer
 * run). */
char *reach_option(char *buf, size_t len, const struct comparison *c,
                   const struct compare_row *r, size_t n);

#endif
