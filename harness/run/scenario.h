/*
 * macro.h: load benchmarks of suite files ("targets" and "scenarios",
 * suite.h).  A scenario is a matrix (connections x rate) of points; each
 * point is one benchmark, run against its target started fresh: a port,
 * the start, the readiness wait, the repetitions (one load run each, the
 * target monitored), the stop.  Whatever goes wrong with the target is the
 * benchmark's error, with the tail of the target's stderr, and the run
 * goes on; the target never outlives the point, also on Ctrl-C.
 */
#ifndef PACER_MACRO_H
#define PACER_MACRO_H

#include <stdio.h>

#include "harness/result/result.h"
#include "suite.h"

/* One combination of a scenario's matrix. */
struct macro_point {
    const struct suite *suite;          /* borrowed, as the two below */
    const struct suite_scenario *sc;
    const struct suite_target *tg;
    unsigned connections;
    double rate;                        /* 0: closed loop */
};

/* The number of points of a scenario and the k-th of them (connections
 * outer, rate inner). */
size_t macro_npoints(const struct suite_scenario *sc);
void macro_point_get(const struct suite *s, size_t scenario, size_t k, struct macro_point *p);

/* The benchmark name without the suite: "SCENARIO", with
 * "/connections=N" and "/rate=R" for the axes given as arrays (a new
 * string, or NULL when out of memory). */
char *macro_point_name(const struct macro_point *p);

struct macro_opts {
    unsigned repetitions;               /* 0: the scenario's */
    FILE *log;                          /* per repetition summaries, or NULL */
    volatile int *interrupt;            /* set on Ctrl-C (child_interrupted) */
};

/* Run point p into b (zeroed; named SUITE/NAME here, with the axes as
 * params).  Target failures (cannot start, not ready in time, exits
 * during a repetition) become b's error with the stderr tail, as a
 * crashing micro benchmark's do.  Returns 0; -1 when interrupted (b then
 * holds the repetitions that finished and the error "interrupted ...").
 * *invalid is set when a repetition was not valid (the generator was the
 * bottleneck). */
int macro_run(const struct macro_point *p, const struct macro_opts *o, struct bench *b,
              int *invalid);

/* Check the scenario's thresholds on b's repetitions (the median of each
 * metric), one line each to every non-NULL f[0..nf): "  threshold   TEXT:
 * holds (VALUE)" or FAILED, naming b when names.  A threshold whose
 * pattern does not match b is skipped; one that cannot be evaluated
 * counts as failed.  Nothing is checked for a failed b.  Returns the
 * number failed. */
int macro_thresholds(const struct bench *b, const struct suite_scenario *sc, FILE *const *f,
                     size_t nf, int names);

/* 1 when metric (of a limit) is one a load benchmark records or a
 * statistic of its samples (loadres.h), possibly as NAME.STAT; else 0 with
 * the nearest known name in *suggest (or NULL). */
int macro_metric_known(const char *metric, const char **suggest);

#endif
