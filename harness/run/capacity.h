/*
 * capacity.h: the capacity search.  The capacity of a server is the
 * highest open-loop arrival rate at which its objectives (limits such as
 * "latency.p99 < 50ms", all of them, and an error rate below 1 % unless
 * one of them says otherwise) still hold.  The search runs short
 * open-loop steps through a step function it is given: it first brackets
 * the answer (from a start rate, or from a range LOW:HIGH, growing or
 * shrinking geometrically by 2 until a rate that holds lies below one
 * that does not), then bisects the bracket geometrically until its high
 * end is within the precision of its low end, then confirms the answer
 * with a run of the full duration (a confirm that fails steps down and
 * confirms again, a bounded number of times).
 *
 * A step the generator could not run as asked (it fell behind its
 * schedule, was saturated) says nothing of the server: it is run again
 * once, and when it is again not valid its rate is the ceiling of what
 * can be measured; an answer below that ceiling is only a lower bound
 * (CAP_LIMITED).
 *
 * A step that fails at a rate well below what the server was already seen
 * to answer a second (the probe, or a step's throughput) is run again
 * once before it counts: on a shared machine a stall of the server's CPU
 * can fail one short step, and a failure low in the bracket would throw
 * the rest of the search away.
 *
 * This file knows nothing of loads: the step function does the running
 * (capstep.h runs real ones), so the search can be tested with a fake.
 */
#ifndef PACER_CAPACITY_H
#define PACER_CAPACITY_H

#include <stddef.h>

#include "harness/lib/err.h"
#include "harness/result/capres.h"
#include "harness/result/limit.h"
#include "harness/result/result.h"

/* Defaults of pacer load --capacity-step, --capacity-precision. */
#define CAPACITY_STEP_NS 2000000000ull
#define CAPACITY_WARMUP_NS 500000000ull
#define CAPACITY_PRECISION 0.05
#define CAPACITY_MAX_STEPS 12      /* steps before the confirms */
#define CAPACITY_MAX_CONFIRMS 3
#define CAPACITY_SUSPECT 0.9       /* a failure below this share of the
                                      most answered a second is run again */
#define CAPACITY_ERRORS_TEXT "errors.rate < 1%"   /* implied objective */

/* The objectives, parsed. */
struct capacity_goal {
    struct limit *v;
    size_t n;
    int implied_errors;          /* the last of v is CAPACITY_ERRORS_TEXT,
                                    added because none limits errors.rate */
};

/* Parse texts[0..n) (n >= 1) as load limits (loadlimit.h) into g (new:
 * free it with capacity_goal_free), adding CAPACITY_ERRORS_TEXT when none
 * is on errors.rate.  -1 with "capacity 'TEXT': cause" in e, g then
 * empty: a limit that does not parse, one with a benchmark pattern or on
 * a step or flow (the objective is the whole load's), one on the capacity
 * itself. */
int capacity_goal_parse(const char *const *texts, size_t n, struct capacity_goal *g,
                        struct err *e);
void capacity_goal_free(struct capacity_goal *g);
/* Copy the objectives' texts (the implied one too) into c.  -1 when out
 * of memory. */
int capacity_goal_record(const struct capacity_goal *g, struct capacity *c);
/* Whether the load benchmark b (one repetition) keeps every objective: 1,
 * or 0 with the first that failed ("latency.p99 81.2 ms, not < 50 ms")
 * in why. */
int capacity_goal_holds(const struct capacity_goal *g, const struct bench *b, char *why,
                        size_t len);

struct capacity_opts {
    double start;                /* the first rate without a range (> 0) */
    double range_low, range_high;   /* a range to start from; 0, 0: none */
    double precision;            /* > 0: the bracket's high within
                                    (1 + precision) of its low */
    unsigned max_steps;          /* search steps (the confirms not counted) */
    unsigned max_confirms;
    double floor;                /* no rate below this is tried (> 0) */
};

/* Defaults: precision CAPACITY_PRECISION, CAPACITY_MAX_STEPS,
 * CAPACITY_MAX_CONFIRMS, floor 1/s; no start, no range. */
void capacity_opts_default(struct capacity_opts *o);

/* Run one step: an open-loop load at rate (confirm: the confirming run of
 * the full duration), its figures, pass and valid into s (s->why, when
 * set, is the callee's and need only last until the next call).  0, or
 * -1 with the cause in e: the search stops there (interrupted, cannot
 * run). */
typedef int (*capacity_step_fn)(void *arg, double rate, int confirm, struct capacity_step *s,
                                struct err *e);
/* Told of each step once recorded (k: its index in c->steps); may be
 * NULL. */
typedef void (*capacity_seen_fn)(void *arg, const struct capacity *c, size_t k);

/* Search as o says, each step through step(arg, ...), into c (its
 * objectives set by the caller; status, answer, bracket, precision and
 * steps set here).  Returns 0 (also when nothing held: CAP_NONE), or -1
 * with e from the step function (c then holds the steps run). */
int capacity_search(const struct capacity_opts *o, capacity_step_fn step,
                    capacity_seen_fn seen, void *arg, struct capacity *c, struct err *e);

/* Whether the bracket is wider than the precision asked (the steps ran
 * out first). */
int capacity_wide(const struct capacity *c);

#endif
