/*
 * site.h: `pacer report`: a static HTML site of result files, to open from
 * disk or serve from any web server, with nothing fetched from the
 * network (its scripts and styles are written into it, assets/).
 *
 *   index.html        the latest run of each machine (fingerprint) and
 *                     branch against the run before it there: regressed and
 *                     improved counts, the worst five; every benchmark with
 *                     its latest level and last change; the A/B and load
 *                     results; the files skipped
 *   bench/SLUG.html   a benchmark's history (level, CI band, change points
 *                     with their size and commit range, changes of machine;
 *                     interactive), the distribution of its latest run's
 *                     samples, and its family against its parameter
 *   cmp/SLUG.html     a comparison (latest against previous, or an A/B
 *                     result): the table as the terminal shows it and its
 *                     picture
 *   load/SLUG.html    a load run: each benchmark's throughput, percentiles,
 *                     errors and server; latency by percentile, each
 *                     benchmark's timeline, capacity searches (gnuplot SVG,
 *                     kept with their .dat and .gp)
 *
 * Files that cannot be read (not JSON, truncated, another tool's format
 * pacer does not import, a newer schema) and files that hold a run already
 * read from another file are skipped, each with a warning; the rest are
 * reported.
 */
#ifndef PACER_SITE_H
#define PACER_SITE_H

#include <stddef.h>

#include "harness/lib/err.h"

struct site_opts {
    const char *out;          /* the site's folder (made when missing) */
    const char *store;        /* a store to read the history from (store.h),
                                 or NULL: the one folder's own when it has one */
    int plots;                /* draw the gnuplot pictures (load and compare
                                 pages); 0 leaves them out */
};

struct site_out {
    char **warnings;          /* one line each: skipped files, the trend's */
    size_t nwarnings;
    size_t runs, benchmarks, ab, loads, pages;
};

/* The site of the result files of paths (folders by their *.json files).
 * 0, or -1 with the cause in e (nothing readable, the folder cannot be
 * written); out's warnings are set either way: free with site_out_free. */
int site_build(char *const *paths, size_t n, const struct site_opts *o, struct site_out *out,
               struct err *e);
void site_out_free(struct site_out *out);

#endif
