/*
 * cluster.h: the CI of a change between two runs whose samples come in
 * clusters: the worker processes of each run.  Samples inside one process
 * share its memory layout, its place in time and its neighbours' load, so
 * they are not independent; the spread between processes is the part of the
 * run-to-run drift one run can see.
 *
 * Two-stage (hierarchical) bootstrap (Davison and Hinkley 1997, 3.8; Field
 * and Welsh 2007): one rng seeded once with seed; each of the B resamples
 * draws, for base then new, K process indices with rng_below(K), then for
 * each drawn process as many sample indices within it as it holds, with
 * rng_below(its count); the resample's statistic is median(new*) /
 * median(base*).  The CI is the type-7 quantiles (1-level)/2 and (1+level)/2
 * of the B sorted ratios.  With one process per side this is the ordinary
 * bootstrap of effect.h's effect_unpaired (same draws, same result).  B is
 * capped as in stats.h by (n + m).
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

/* Paired: r_i = log(nw[i] / base[i]) in clusters of pairs (each pair of
 * worker processes of an A/B run); estimate exp(median r); CI by the same
 * two-stage bootstrap (clusters drawn with replacement, then pairs within
 * them; one rng seeded once) of the median of r, as exp of its type-7
 * quantiles.  counts as in struct clustered.  Returns 0 or -1. */
int cluster_paired(const double *base, const double *nw, size_t n, const size_t *counts,
                   size_t k, double level, unsigned resamples, uint64_t seed,
                   struct effect *out);

/* Processes with at least one sample. */
size_t cluster_nonempty(const struct clustered *c);

#endif
