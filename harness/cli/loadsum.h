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
 * generator's CPU, the server's resources, and why the run is invalid. */
void load_print_summary(FILE *f, const struct load_opts *o, const struct load_out *out);

#endif
