/*
 * measure.h: taking samples of one benchmark instance inside the process
 * that defines it: setup, calibration, warmup, samples, teardown.  Used by
 * the worker (under pacer run) and by the standalone mode alike.
 */
#ifndef PACER_MEASURE_H
#define PACER_MEASURE_H

#include <stdint.h>

#include "err.h"
#include "hwcount.h"
#include "pacer.h"
#include "registry.h"

#define MEASURE_MAX_ITERS (1ULL << 40)
#define SKIP_MAX 256

#define COUNTER_NAME_MAX 64

/* A user counter (pacer_counter): as set, or finished (flags applied). */
struct user_counter {
    char name[COUNTER_NAME_MAX];
    unsigned flags;
    double value;
};

/* What pacer_state hides from benchmark authors. */
struct pacer_priv {
    const struct instance *inst;
    uint64_t t_start, t_stop;
    uint64_t paused_ns, pause_start;
    uint64_t c_start, c_stop;     /* CPU time (clock_cpu_ns) at the same points */
    uint64_t c_paused, c_pause_start;
    int paused;
    int counting;                 /* count instructions in the loop (counts.h) */
    int collecting;               /* callgrind collects right now */
    struct hwcount *hw;           /* perf counters around the loop, or NULL */
    int hw_on;                    /* they count right now */
    double bytes_per_op, items_per_op;
    void *data;
    int skipped;                  /* pacer_skip or pacer_error came */
    int skip_error;               /* it was pacer_error (or a misuse) */
    char skip_reason[SKIP_MAX];
    double manual_ns;             /* pacer_set_iteration_time's sum, ns */
    uint64_t manual_sets;         /* its calls in this call */
    struct team *team;            /* the threads of a threaded call (team.h),
                                     or NULL */
    int team_passed;              /* its barriers this thread passed (0-2) */
    int thread_index, nthreads;   /* pacer_thread_index(), pacer_threads() */
    struct user_counter uc[PACER_MAX_COUNTERS];   /* set in this call */
    unsigned nuc;
    long long complexity_n;       /* pacer_set_complexity_n's, if set */
    int complexity_n_set;
};

struct measure {
    const struct instance *inst;
    pacer_state st;
    struct pacer_priv priv;
    int set_up;
    uint64_t cpu_ns;      /* CPU time of the last measure_once's loop */
    struct user_counter uc[PACER_MAX_COUNTERS];   /* the last measure_once's
                                                     counters, finished */
    unsigned nuc;
    double complexity_n;  /* the n of .complexity of the last measure_once
                             (pacer_set_complexity_n's, else the one
                             parameter), NaN without .complexity */
};

struct warmup_out {
    unsigned samples;     /* warmup samples taken */
    int settled;          /* ended early because the samples settled */
    uint64_t iters;       /* iterations per sample to use from now on */
    uint64_t median_ns;   /* median warmup sample (at the final iters) */
};

void measure_init(struct measure *m, const struct instance *inst);

/* Run the definition's setup, if any. */
int measure_setup(struct measure *m, struct err *e);

/* One call of the benchmark with iters iterations; *ns is the time of its
 * loop without paused time (with .manual_time: the sum of the times it
 * gave), m->cpu_ns the CPU time the process spent in it (all its threads;
 * without paused time).  Fails when the benchmark skipped itself, did not
 * run its loop to the end, or declared manual time and gave none.
 *
 * A threaded instance (inst->threads > 1) is called by that many threads at
 * once, thread 0 the calling one, each with iters iterations.  As Google
 * Benchmark reports them, *ns is then the threads' mean loop time divided
 * by the thread count (so *ns / iters is that time per iteration of all
 * threads, threads * iters), and m->cpu_ns the sum of the threads' own CPU
 * times divided by the thread count (*ns / iters: CPU time per
 * iteration).  m->uc holds the call's user counters (pacer_counter),
 * summed over threads and finished as their flags say.  With .complexity,
 * a benchmark that has not exactly one parameter and gives no
 * pacer_set_complexity_n fails. */
int measure_once(struct measure *m, uint64_t iters, uint64_t *ns, struct err *e);

/* Grow the iteration count until one sample lasts at least target_ns (or
 * iterations reach max_iters).  *iters gets the count, *ns that sample. */
int measure_calibrate(struct measure *m, uint64_t target_ns, uint64_t max_iters,
                      uint64_t *iters, uint64_t *ns, struct err *e);

/* Samples at iters for up to duration_ns, ending early once the last five
 * agree within 2 % (settled).  At least one sample.  Unless fixed, when the
 * warm samples run under 90 % of target_ns the count is raised to reach it
 * (calibration ran cold). */
int measure_warmup(struct measure *m, uint64_t iters, uint64_t duration_ns, uint64_t target_ns,
                   int fixed, struct warmup_out *w, struct err *e);

/* Run the definition's teardown, if setup ran. */
void measure_teardown(struct measure *m);

#endif
