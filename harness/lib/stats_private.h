/*
 * stats_private.h: what the files of the stats module share (stats.c, the
 * descriptive statistics; stats_boot.c, the bootstrap intervals).
 */
#ifndef PACER_STATS_PRIVATE_H
#define PACER_STATS_PRIVATE_H

/* a + t (b - a), a when t is 0 or a == b: the interpolation of the type-7
 * quantile, written once so that every median agrees to the last bit. */
double stats_lerp(double a, double b, double t);

#endif
