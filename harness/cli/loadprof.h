/*
 * loadprof.h: pacer run --profile for a suite's load benchmarks: the target
 * of each is profiled for the measured window of its last repetition
 * (srvprof.h: a Python target profiles itself, any other is sampled by perf
 * record), and the profile, in costs per request, is kept with the micro
 * benchmarks' (profiles.h: <result>.profiles/<benchmark>.callgrind).  The
 * targets the run starts get PACER_PROFILE=KIND in their environment, which
 * makes suites/targets/aio.py install its profiler (pyprofile.py).  A
 * target that cannot be profiled (Python without the profiler, native where
 * perf does not run) is said in one line and left alone: it is never sent
 * a signal it does not handle.
 */
#ifndef PACER_LOADPROF_H
#define PACER_LOADPROF_H

#include "harness/run/scenario.h"
#include "srvprof.h"

struct loadprof {
    char env[64];                 /* "PACER_PROFILE=KIND" */
    char *envv[2];                /* scenario_opts.target_env */
    const char *dir;              /* where the profiles go (borrowed) */
    char bench[1024];             /* the load benchmark under way */
    unsigned rep, reps;           /* its repetitions started, and all of them */
    int open;                     /* sp profiles this repetition's window */
    int quiet;
    struct srvprof sp;
    struct scenario_opts inner;   /* the hooks it wraps */
};

/* Whether kind is one loadprof knows ("sample", "yappi"). */
int loadprof_kind_ok(const char *kind);

/* Ready to profile load benchmarks with Python targets' profiler kind into
 * the folder dir (borrowed; it must exist).  quiet: only warnings. */
void loadprof_init(struct loadprof *lp, const char *kind, const char *dir, int quiet);

/* Make so's on_load and on_rep hooks lp's (which call the ones so had,
 * with so's arg), and set so's target_env. */
void loadprof_hook(struct loadprof *lp, struct scenario_opts *so);

/* Before the load benchmark SUITE/NAME runs reps repetitions, and after it
 * ran (its target stopped): a profile left unfetched is removed. */
void loadprof_begin(struct loadprof *lp, const char *suite, const char *name, unsigned reps);
void loadprof_end(struct loadprof *lp);

#endif
