/*
 * job.h: one benchmark to measure, as the planner (plan.h) lays it out: a
 * micro benchmark a suite binary lists, a command, or a point of a load
 * scenario; for pacer ab a pair of them (the base build's and the new
 * build's, or a base and a new command).  What a job names is borrowed
 * from its plan.
 */
#ifndef PACER_JOB_H
#define PACER_JOB_H

#include "cmdbench.h"
#include "harness/result/result.h"
#include "runner.h"
#include "scenario.h"

struct job {
    const char *suite;              /* the suite part of its full name */
    const char *name;               /* the rest: suite/name */
    const char *binary;             /* micro: the suite binary (ab: the new build's) */
    const char *base_binary;        /* ab micro: the base build's */
    const struct listed *li;        /* micro: the benchmark as listed */
    const struct cmd_spec *cs;      /* command (ab: the new one) */
    const struct cmd_spec *base_cs; /* ab command: the base one */
    struct scenario_point mp;       /* load: when mp.sc */
    struct settings set;            /* how to measure it */
};

/* Whether j has a part in round (pacer run measures in rounds: round k
 * runs worker process k of every micro benchmark; commands and load
 * points run whole in round 0). */
int job_in_round(const struct job *j, unsigned round);

/* Measure j's part of round into b (b as the first part left it):
 * runner_process, cmdbench_run or scenario_run (with so, the load's
 * repetitions from j's samples; *invalid as there).  clock_res_ns is the
 * clock's resolution.  Returns -1 when interrupted, else 0. */
int job_run(const struct job *j, unsigned round, double clock_res_ns,
            const struct scenario_opts *so, struct bench *b, int *invalid);

/* After the last round: a micro benchmark's statistics; a job that never
 * ran gets its name and the error "interrupted before it ran". */
void job_finish(const struct job *j, struct bench *b);

/* Measure the pair j (pacer ab) into bb (the base side) and nb (the new
 * side) with abrun_micro or cmdbench_pairs.  Returns -1 when interrupted,
 * else 0. */
int job_run_pair(const struct job *j, double clock_res_ns, struct bench *bb, struct bench *nb);

#endif
