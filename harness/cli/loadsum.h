/*
 * loadsum.h: the human summary of one load run: what `pacer load` prints
 * and what `pacer run` prints after each repetition of a load scenario.
 */
#ifndef PACER_LOADSUM_H
#define PACER_LOADSUM_H

#include <stdio.h>

#include "harness/load/loadgen.h"

/* The summary of out (a run with options o) to f: settings, requests and
 * throughput, latency percentiles, errors by class and errno, the
 * generator's CPU, the resources and connections of the server and of
 * each labelled process (monlines.h), the network, and why the run is
 * invalid. */
void load_print_summary(FILE *f, const struct load_opts *o, const struct load_out *out);

/* The figures of each repetition of one load, kept as they finish for the
 * table across them (zero it to start; free with repsum_free). */
#define REPSUM_NCOLS 5            /* req/s, p50, p99, p99.9, errors.rate */
struct repsum {
    double (*rows)[REPSUM_NCOLS + 1];   /* and 1 for a valid run, 0 not */
    size_t n, cap;
};

/* Add the figures of a finished repetition: 0, or -1 (out of memory). */
int repsum_add(struct repsum *s, const struct load_out *out);
/* The table across the repetitions to f: one row each (those not valid
 * marked so), then their median and spread (min..max); nothing for fewer
 * than two. */
void repsum_print(FILE *f, const struct repsum *s);
void repsum_free(struct repsum *s);

#endif
