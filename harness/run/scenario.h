/*
 * scenario.h: load benchmarks of suite files ("targets" and "scenarios",
 * suite.h).  A scenario is a matrix (connections x rate) of points; each
 * point is one benchmark, run against its target started fresh: a port,
 * the start, the readiness wait, the repetitions (one load run each, the
 * target monitored), the stop.  Whatever goes wrong with the target is the
 * benchmark's error, with the tail of the target's stderr, and the run
 * goes on; the target never outlives the point, also on Ctrl-C.  A
 * scenario without a target loads a server pacer does not start (its url
 * as written), unmonitored.
 */
#ifndef PACER_SCENARIO_H
#define PACER_SCENARIO_H

#include "harness/load/segment.h"
#include "harness/result/result.h"
#include "suite.h"

/* One combination of a scenario's matrix. */
struct scenario_point {
    const struct suite *suite;          /* borrowed, as the two below */
    const struct suite_scenario *sc;
    const struct suite_target *tg;      /* NULL: no target */
    unsigned connections;
    double rate;                        /* 0: closed loop */
};

/* The number of points of a scenario and the k-th of them (connections
 * outer, rate inner). */
size_t scenario_npoints(const struct suite_scenario *sc);
void scenario_point_get(const struct suite *s, size_t scenario, size_t k,
                        struct scenario_point *p);

/* The benchmark name without the suite: "SCENARIO", with
 * "/connections=N" and "/rate=R" for the axes given as arrays (a new
 * string, or NULL when out of memory). */
char *scenario_point_name(const struct scenario_point *p);

struct scenario_opts {
    unsigned repetitions;               /* 0: the scenario's */
    volatile int *interrupt;            /* set on Ctrl-C (child_interrupted) */
    /* Told of each finished repetition k of n (1-based) of the benchmark
     * of that name, and of what goes wrong beside the benchmark (a target
     * that had to be killed); either may be NULL.  arg is theirs. */
    void (*on_rep)(void *arg, const char *bench, unsigned k, unsigned n,
                   const struct load_opts *lo, const struct load_out *out);
    void (*on_warn)(void *arg, const char *msg);
    /* Told as each repetition's load starts (starting 1: it may set lo's
     * progress hook, the live view) and as it ends (0); may be NULL. */
    void (*on_load)(void *arg, struct load_opts *lo, int starting);
    void *arg;
    /* "NAME=VALUE" set in the environment of the scenario's target on top
     * of the target's own (which it overrides), NULL-terminated; may be
     * NULL.  Borrowed. */
    char *const *target_env;
    /* The load split over generators (pacer run --segment): each point
     * cut to the segment's share, each repetition begun at its agreed
     * slot; NULL or count 0: not split.  Its running fields change. */
    struct segment_plan *split;
};

/* Run point p into b (zeroed; named SUITE/NAME here, with the axes as
 * params).  Target failures (cannot start, not ready in time, exits
 * during a repetition) become b's error with the stderr tail, as a
 * crashing micro benchmark's do.  Returns 0; -1 when interrupted (b then
 * holds the repetitions that finished and the error "interrupted ...").
 * *invalid is set when a repetition was not valid (the generator was the
 * bottleneck). */
int scenario_run(const struct scenario_point *p, const struct scenario_opts *o,
                 struct bench *b, int *invalid);

/* Check the scenario's thresholds on b's repetitions (the median of each
 * metric over them), appending one check each to out.  A threshold whose
 * pattern does not match b is skipped; one whose metric b lacks is a check
 * that fails with value NaN (limit_missing() says why).  Nothing is checked
 * for a failed b.  Returns the number failed. */
size_t scenario_thresholds(const struct bench *b, const struct suite_scenario *sc,
                           struct limit_checks *out);

#endif
