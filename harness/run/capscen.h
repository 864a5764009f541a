/*
 * capscen.h: a suite scenario's "capacity" (suite.h): the capacity search
 * (capacity.h, capstep.h) run against the scenario's target once it is
 * ready, in place of its repetitions at fixed rates.
 */
#ifndef PACER_CAPSCEN_H
#define PACER_CAPSCEN_H

#include "harness/load/loadgen.h"
#include "harness/result/result.h"
#include "scenario.h"
#include "target.h"

/* Search the capacity of point p's ready target t (NULL: a server pacer
 * did not start) with the load lo (its url prepared; its duration and
 * warmup the confirming run's) into b:
 * the confirming run as its one repetition (told to o->on_rep), the
 * capacity as its sample and metric, the steps as its record.  The target
 * exiting, or a load that cannot run, is b's error.  Returns 0; -1 when
 * interrupted (b's error says so).  *invalid is set when the answer is a
 * lower bound (the generator could not offer more). */
int capscen_run(const struct scenario_point *p, const struct scenario_opts *o,
                struct target *t, struct load_opts *lo, struct bench *b, int *invalid);

#endif
