/*
 * stats_private.h: what the files of the stats module share (stats.c, the
 * descriptive statistics; stats_boot.c, the bootstrap distribution of the
 * median and the ratio of two; stats_mean.c, the mean's interval).
 */
#ifndef PACER_STATS_PRIVATE_H
#define PACER_STATS_PRIVATE_H

#include <stddef.h>

#include "stats.h"

/* a + t (b - a), a when t is 0 or a == b: the interpolation of the type-7
 * quantile, written once so that every median agrees to the last bit. */
double stats_lerp(double a, double b, double t);

/* A value of a bootstrap distribution and its probability, and a growing
 * list of them (stats_boot.c). */
struct stats_atom {
    double v, p;
};

struct stats_atoms {
    struct stats_atom *a;
    size_t n, cap;
};

/* Append (v, p); 0, or -1 when out of memory. */
int stats_atoms_add(struct stats_atoms *s, double v, double p);
/* qsort's comparison of two atoms by value. */
int stats_atom_cmp(const void *a, const void *b);
/* The atoms, already sorted by value, into d with their probabilities
 * scaled to add up to 1 and their running sums; frees s's list.  0, or -1
 * when out of memory. */
int stats_atoms_dist(struct stats_atoms *s, struct stats_boot_dist *d);

#endif
