/*
 * basis.h: what a comparison of one benchmark rests on: its samples (wall
 * time), or the CPU time of the same samples.  On a shared machine most of
 * the noise between runs is time the benchmark spent waiting for a core
 * (another process held it): wall time counts it, CPU time does not (on
 * this project's 2-core VM with both cores busy, two runs of one build
 * differed by -24 % to +33 % in wall time and by at most 3.5 % in CPU
 * time).  When a benchmark's CPU time tracks its wall time whenever it
 * runs undisturbed, on both sides (its work is its own CPU work: no
 * sleeping, no waiting on I/O, no threads working in parallel; seen in its
 * least disturbed sample, since on a busy machine nearly every sample
 * waits a little; and where the run recorded how long each sample waited
 * for a core (the scheduler's run-queue delay, metric "wait"), with that
 * wait taken off, since with every core busy every sample waits), the
 * comparison rests on CPU time: on a quiet machine the two agree, on a
 * busy one only CPU time is the benchmark's.  Otherwise it rests on the
 * samples as measured.
 */
#ifndef PACER_BASIS_H
#define PACER_BASIS_H

#include <stddef.h>

#include "harness/result/result.h"

#define BASIS_CPU_METRIC "cpu"     /* the metric pacer run keeps CPU times in */
#define BASIS_WAIT_METRIC "wait"   /* and each sample's wait for a core */
#define BASIS_TRACK_LO 0.95        /* undisturbed: wall / CPU within these in */
#define BASIS_TRACK_HI 1.05        /* the least disturbed sample of each side */

struct basis {
    const double *base, *nw;  /* the series compared (borrowed) */
    int on_cpu;               /* 1: CPU times */
    double wait_base, wait_new;  /* median wall / CPU - 1 of each side, NaN
                                    when the side has no CPU times */
};

/* The basis of comparing b with n (both with samples). */
void basis_pick(const struct bench *b, const struct bench *n, struct basis *out);

#endif
