/*
 * cluster.h: the CI of a change between two runs whose samples come in
 * clusters: the worker processes of each run.  Samples inside one process
 * share its memory layout, its place in time and its neighbours' load, so
 * they are not independent; the spread between processes is the part of the
 * run-to-run drift one run can see.
 *
 * The centre of a side is the median of its samples when it comes from one
 * process, else the median of its processes' medians: one process far off
 * (a slow spell of the machine during its round, an unlucky memory layout)
 * cannot move it.
 *
 * Two-stage (hierarchical) bootstrap (Davison and Hinkley 1997, 3.8; Field
 * and Welsh 2007): one rng seeded once with seed; each of the B resamples
 * draws, for base then new, K process indices with rng_below(K), then for
 * each drawn process as many sample indices within it as it holds, with
 * rng_below(its count), and takes the centre of what it drew; the
 * resample's statistic is centre(new*) / centre(base*).  The CI is the
 * type-7 quantiles (1-level)/2 and (1+level)/2 of the B sorted ratios.
 * B is capped as in stats.h by (n + m).  With one process per side this
 * is the ordinary bootstrap, whose distribution effect.h's effect_unpaired
 * computes exactly instead (resamples > 0 asks for it; 0 leaves the CI
 * NaN either way).
 */
#ifndef PACER_CLUSTER_H
#define PACER_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "effect.h"

/* Samples in process order: counts[0] from the first process, and so on
 * (counts sum to n); counts NULL or k <= 1 means one process. */
struct clustered {
    const double *x;
    size_t n;
    const size_t *counts;
    size_t k;
};

/* Ratio of the medians new/base and its two-stage bootstrap CI.  Values
 * must be finite and > 0.  Returns 0, or -1 (empty side, bad value,
 * memory). */
int cluster_effect(const struct clustered *base, const struct clustered *nw, double level,
                   unsigned resamples, uint64_t seed, struct effect *out);

/* With a few clusters per side the bootstrap above is lumpy and, drawing
 * at both stages, counts the noise inside a process twice (Davison and
 * Hinkley 1997, 3.8), and one cluster far off (a slow spell during its
 * round, an unlucky memory layout) stretches it.  The clusters' summaries
 * carry the spread that matters on a shared machine; the distribution-free
 * intervals of the two rank tests, on those summaries, ignore a cluster far
 * off once there are about ten:
 *
 * Unpaired, both sides with K >= 2 processes: l_b, l_n the log medians of
 * the processes; the estimate is exp of the Hodges-Lehmann shift, the
 * median of the K_b x K_n differences l_n[j] - l_b[i]; the CI is exp of
 * (D_(c), D_(N+1-c)) of the sorted differences, c - 1 the largest u with
 * P(U <= u) <= (1-level)/2 under the exact Mann-Whitney distribution
 * (Bauer 1972; R's wilcox.test(conf.int = TRUE)).  With too few processes
 * for the level, the CI is the full range and ci_narrowed is set.  Returns
 * -1 when a side has fewer than two non-empty processes or a bad value. */
int cluster_hl_unpaired(const struct clustered *base, const struct clustered *nw, double level,
                        struct effect *out);

/* Paired, k >= 2 clusters of pairs (the worker pairs of an A/B run): m_j
 * the median of r_i = log(nw[i] / base[i]) in cluster j; the estimate is
 * exp(median m); the CI exp(m_(j), m_(K+1-j)), the sign-test interval of
 * the median (Conover 1999, 3.2), j the largest with P(Binomial(K, 1/2) <
 * j) <= (1-level)/2 (K >= 9 at 95 % drops one cluster at each end; below 6
 * no j exists: the full range, ci_narrowed set).  Returns -1 for fewer than
 * two clusters or a bad value. */
int cluster_sign_paired(const double *base, const double *nw, size_t n, const size_t *counts,
                        size_t k, double level, struct effect *out);

/* Processes with at least one sample. */
size_t cluster_nonempty(const struct clustered *c);

/* The centre of a side: the median of its samples when they come from one
 * process, else the median of the medians of its processes with samples
 * (robust to one process far off: a slow spell, an unlucky memory layout).
 * NaN when it has no sample or memory runs out. */
double cluster_centre(const struct clustered *c);

/* The q-quantile of the medians of c's processes (two or more with
 * samples; else NaN): e.g. where its fastest quarter of processes ran. */
double cluster_quantile(const struct clustered *c, double q);

#endif
