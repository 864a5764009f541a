/*
 * plot.h: pictures drawn by gnuplot.  Every plot writes, beside the
 * picture, the data it shows (NAME.dat, or NAME-KEY.dat for several data
 * blocks) and the gnuplot script that draws it (NAME.gp), so a user can
 * restyle and re-render with `gnuplot NAME.gp`; then runs gnuplot on it.
 * PNG through the pngcairo terminal, SVG through the svg terminal; size and
 * title settable.  A missing gnuplot is an error ("gnuplot not found: install
 * gnuplot-nox"), which the commands turn into exit code 2.
 */
#ifndef PACER_PLOT_H
#define PACER_PLOT_H

#include <stddef.h>

#include "compare/compare.h"
#include "compare/trend.h"
#include "harness/lib/err.h"
#include "harness/result/result.h"

enum plot_format { PLOT_PNG, PLOT_SVG };
enum plot_dist_kind { PLOT_DIST_BOX, PLOT_DIST_HIST };

struct plot_opts {
    const char *out;          /* the picture's path: "dir/name.png" (its
                                 extension decides the format when given);
                                 NULL: plot-KIND.png in the current
                                 directory */
    enum plot_format format;
    int width, height;        /* pixels; 0: a size that suits the plot
                                 (1000 wide; grids and long lists grow) */
    const char *title;        /* NULL: a title from the input */
    const char *const *names; /* dist, latency: a name per result (its
                                 file) for keys and labels, or NULL */
    int grid;                 /* trend: several benchmarks on one picture
                                 (1) or one file each (0: out is then a
                                 directory) */
    enum plot_dist_kind dist; /* dist: boxes (default) or histograms */
};

/* PNG, automatic size, grid on, everything else NULL. */
void plot_opts_default(struct plot_opts *o);

/* Per benchmark: the median per run with its CI band on a per-run axis
 * (labelled by commit or time), change points as labelled vertical lines. */
int plot_trend(const struct trend *t, const struct plot_opts *o, struct err *e);
/* Relative change per benchmark with CI whiskers, coloured by verdict,
 * threshold lines. */
int plot_compare(const struct comparison *c, const struct plot_opts *o, struct err *e);
/* The sample distribution of the benchmarks of one or more runs (boxes or
 * histograms, o->dist), outliers marked.  filter: a POSIX ERE on the names,
 * or NULL. */
int plot_dist(const struct result *const *rs, size_t nrs, const char *filter,
              const struct plot_opts *o, struct err *e);
/* Latency by percentile on a 1/(1-p) axis (HDR style), one curve per load
 * benchmark of each result (repetitions merged; open loop: also the
 * latency from the actual send, dashed). */
int plot_latency(const struct result *const *rs, size_t nrs, const char *filter,
                 const struct plot_opts *o, struct err *e);
/* Throughput against latency: a curve per open-loop scenario run at
 * several rates (SCENARIO/rate=R) of r (filter: a POSIX ERE on the names,
 * or NULL), a point per rate (medians over its repetitions). */
int plot_curve(const struct result *r, const char *filter, const struct plot_opts *o,
               struct err *e);
/* Throughput, p99, errors and the server's CPU and RSS over time, from one
 * load benchmark's record (bench: its name; NULL: the first load
 * benchmark). */
int plot_load(const struct result *r, const char *bench, const struct plot_opts *o,
              struct err *e);

/* The steps of b's capacity search (bench.capacity): p50 and p99 latency
 * (log scale) and the throughput achieved against the offered rate, each
 * step marked held, failed or not counted, the latency objectives, the
 * answer and its bracket.  -1 with "NAME: no capacity search" when b has
 * none. */
int plot_capacity(const struct bench *b, const struct plot_opts *o, struct err *e);

#endif
