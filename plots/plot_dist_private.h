/*
 * plot_dist_private.h: what the two pictures of plot_dist share (internal
 * to plot_dist*.c): the benchmarks of the results grouped by name, the box
 * of a sample set (quartiles, whiskers, Tukey's fences as stats.h), and the
 * data file of every sample.
 */
#ifndef PACER_PLOT_DIST_PRIVATE_H
#define PACER_PLOT_DIST_PRIVATE_H

#include <stddef.h>
#include <stdio.h>

#include "harness/lib/err.h"
#include "harness/result/result.h"
#include "plot.h"

#define DIST_MAXRES 16

/* One benchmark name and its bench in each result (NULL: not there). */
struct dist_group {
    const char *name;
    const struct bench *b[DIST_MAXRES];
    double ref;                 /* the median of the first result that has it */
    const char *unit;
};

/* The box of one benchmark in one result. */
struct dist_box {
    double q1, med, q3, wlo, whi, lf, hf, lf3, hf3;
};

/* Quartiles, whiskers and Tukey fences of x[0..n), n > 0 (a sorted copy
 * of x goes into s, which holds n values). */
void dist_box_of(const double *x, size_t n, double *s, struct dist_box *bx);

/* Result i's name in keys and titles: its file's name, else "run I".
 * Into buf; returns buf. */
const char *dist_result_name(const struct plot_opts *o, size_t i, char *buf, size_t len);

/* Every sample: group, result, row, value, deviation (%), outlier class,
 * to f (rowy: the y of each row of a box plot, or NULL; sorted: room for
 * the largest sample set).  Counts into cnt the mild and severe outliers
 * with a deviation inside [xlo, xhi] and the samples outside it; into
 * gout[group] (when not NULL) its outliers.  Returns 0. */
int dist_write_samples(FILE *f, const struct dist_group *gs, size_t ng, size_t nres,
                       const double *rowy, double *sorted, double xlo, double xhi,
                       size_t cnt[3], size_t *gout);

/* The pictures of the groups gs[0..ng) of nres results (plot_dist); pre:
 * the length of the prefix their names share (gp_common_prefix). */
int dist_plot_box(const struct dist_group *gs, size_t ng, size_t nres, size_t pre,
                  const struct plot_opts *o, struct err *e);
int dist_plot_hist(const struct dist_group *gs, size_t ng, size_t nres, size_t pre,
                   const struct plot_opts *o, struct err *e);

#endif
