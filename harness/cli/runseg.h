/*
 * runseg.h: pacer run's part of a load split over generators: a suite's
 * load scenarios run as segment I of N (--segment, --segments, --run-id,
 * --start-at as pacer load's, loadseg.h), each point cut to its share and
 * each repetition begun at its agreed slot (scenario_opts.split).
 */
#ifndef PACER_RUNSEG_H
#define PACER_RUNSEG_H

#include "harness/load/segment.h"
#include "harness/result/result.h"
#include "harness/run/plan.h"
#include "loadseg.h"

/* The seconds between one slot's planned end and the next one's start:
 * time for the connections of the next to be made. */
#define RUNSEG_GAP_S 2.0

/* After the plan: nothing when none of the options was given; else every
 * job must be a load scenario, and when split one without a target of its
 * own (every segment loads one shared server) and no capacity search; sp
 * set up, r->seg recorded, the segment's line said unless quiet.  0, or
 * -1 after saying why not (exit 2). */
int runseg_setup(struct loadseg *s, const struct plan *p, struct segment_plan *sp,
                 struct result *r, int quiet);

/* Just before the first job: without a split, --start-at waited for once
 * (with a split each repetition waits for its slot).  0, or 1 when
 * interrupted. */
int runseg_wait(const struct loadseg *s, struct result *r);

/* After the run: the latest a repetition began after its slot into r. */
void runseg_finish(const struct loadseg *s, const struct segment_plan *sp, struct result *r);

#endif
