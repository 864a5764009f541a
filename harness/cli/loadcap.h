/*
 * loadcap.h: pacer load --capacity: its options and help, the search run
 * against the server (capacity.h, capstep.h) with each step printed as it
 * ends, the answer line, and the result's benchmark made from it (the
 * confirming run, the capacity as its sample and as the metric
 * "capacity", the search's record).  The step table and the answer are
 * also what pacer run prints for a scenario's "capacity" and pacer show
 * for a saved one.
 */
#ifndef PACER_LOADCAP_H
#define PACER_LOADCAP_H

#include <stdint.h>
#include <stdio.h>

#include "harness/load/loadgen.h"
#include "harness/result/capres.h"
#include "harness/result/result.h"
#include "harness/run/capacity.h"

/* The options' codes (getopt_long's val), above cmd_load's own. */
enum {
    O_CAPACITY = 512, O_CAPACITY_STEP, O_CAPACITY_RANGE, O_CAPACITY_PRECISION, O_PLOT,
};
#define LOADCAP_OPTIONS                                                                \
    {"capacity", required_argument, 0, O_CAPACITY},                                    \
    {"capacity-step", required_argument, 0, O_CAPACITY_STEP},                          \
    {"capacity-range", required_argument, 0, O_CAPACITY_RANGE},                        \
    {"capacity-precision", required_argument, 0, O_CAPACITY_PRECISION},                \
    {"plot", required_argument, 0, O_PLOT}

struct loadcap {
    const char **texts;          /* --capacity, in order (argv's) */
    size_t ntexts;
    uint64_t step_ns;            /* --capacity-step (0: the default) */
    double range_low, range_high;   /* --capacity-range (0: none) */
    double precision;            /* --capacity-precision (0: the default) */
    const char *plot;            /* --plot FILE */
    struct capacity_goal goal;   /* parsed by loadcap_prepare */
};

/* The help of the options above. */
void loadcap_usage(FILE *f);

/* Take option opt with its value arg: 0 taken, -1 a bad value (said), 1
 * not one of these. */
int loadcap_option(struct loadcap *lc, int opt, const char *arg);

/* Before any load: the objectives parsed, and what --capacity cannot go
 * with refused (said, -1): the other options without --capacity, -R,
 * stages, -n, flows, a server figure without --monitor; and a --limit on
 * the capacity (limits[0..n), parsed) without --capacity.  o is the load
 * (rate_given: -R was given). */
int loadcap_prepare(struct loadcap *lc, const struct load_opts *o, int rate_given,
                    unsigned repeat, const struct limit *limits, size_t nlimits);

/* Search against the server of o (prepared; its duration and warmup are
 * the confirming run's), each step printed to out as it ends (the live
 * view on stderr unless quiet), into b (named; the confirming run, or the
 * last step when none held, as its repetition): the capacity as its
 * sample and metric, and its record.  Returns the exit code so far
 * (EXIT_OK found; EXIT_REGRESSION nothing held, or no confirm did;
 * EXIT_UNTRUSTED the generator was the limit), or -1 after saying why it
 * could not run (interrupted: nothing kept). */
int loadcap_run(struct loadcap *lc, struct load_opts *o, struct bench *b, FILE *out,
                int quiet, int progress);

/* A search's steps as a table (a header, then one row each) and its
 * answer line, to f; b (its benchmark, may be NULL) for the confirmed
 * figures. */
void loadcap_print_step(FILE *f, const struct capacity *c, size_t k);
void loadcap_print_answer(FILE *f, const struct capacity *c, const struct bench *b);
void loadcap_print(FILE *f, const struct capacity *c, const struct bench *b);

/* Draw --plot of b (the bench loadcap_run filled), after the result is
 * saved, so that a missing gnuplot loses nothing.  0, or -1 after saying
 * why not. */
int loadcap_draw(const struct loadcap *lc, const struct bench *b);

void loadcap_free(struct loadcap *lc);

#endif
