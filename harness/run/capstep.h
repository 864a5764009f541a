/*
 * capstep.h: the steps of a capacity search as real loads: capacity.h's
 * step function over load_run (an open-loop run at the asked rate, judged
 * on the objectives), and the short closed-loop probe of the most the
 * server answers with the given connections, which the search starts
 * from.  Used by pacer load --capacity and by a suite scenario's
 * "capacity".
 */
#ifndef PACER_CAPSTEP_H
#define PACER_CAPSTEP_H

#include <stdint.h>

#include "capacity.h"
#include "harness/load/loadgen.h"

/* The probe: closed loop for this long after a short warmup. */
#define CAPSTEP_PROBE_NS 1000000000ull
#define CAPSTEP_PROBE_WARMUP_NS 200000000ull

/* Before a load, the server is given the slowest answer of the load
 * before it (when above the first, at most the second) to work off the
 * backlog that load left. */
#define CAPSTEP_DRAIN_MIN_NS 10000000ull
#define CAPSTEP_DRAIN_MAX_NS 10000000000ull

/* A step is the generator's failure, not the server's, when it sent less
 * than this share of the requests due (and not for want of a free
 * connection, which is the server holding them). */
#define CAPSTEP_SENT_MIN 0.9
/* A step that failed is the generator's when it reached more than this
 * share of the requests late (or was saturated). */
#define CAPSTEP_LATE_MAX 0.05

struct capstep {
    const struct load_opts *base;   /* the load (prepared), borrowed: its
                                       rate, duration and warmup are the
                                       step's own */
    const struct capacity_goal *goal;   /* borrowed */
    uint64_t step_ns, step_warmup_ns;   /* a search step */
    uint64_t confirm_ns, confirm_warmup_ns;   /* a confirming run */
    /* Told as each load starts (1: it may set lo's progress hook) and
     * ends (0); may be NULL. */
    void (*on_load)(void *arg, struct load_opts *lo, int starting);
    /* Told after each load: -1 with the cause in e stops the search (the
     * target exited); may be NULL. */
    int (*after)(void *arg, const struct load_out *out, struct err *e);
    void *arg;
    /* the last load run and its options (have_last: 1), the caller's to
     * keep (a confirming run is the benchmark's repetition) */
    struct load_out last;
    struct load_opts last_opts;
    int have_last;
    char why[512];
};

/* The probe: the responses a second of a closed-loop load with base's
 * connections into *rate.  -1 with the cause in e: the load could not
 * run, was stopped, or had no successful response. */
int capstep_probe(struct capstep *cs, double *rate, struct err *e);

/* The step function (capacity_step_fn, arg a struct capstep): run the
 * load at rate, fill s.  -1 with the cause in e: it could not run, was
 * stopped ("interrupted"), or after() said so. */
int capstep_run(void *arg, double rate, int confirm, struct capacity_step *s, struct err *e);

/* Make b (holding one repetition, the confirming run) the benchmark of
 * the search c: its sample the capacity (req/s, higher is better; 0 when
 * none was found), its metric "capacity" the same, and c moved into
 * b->capacity (c is then empty).  -1 when out of memory. */
int capstep_bench(struct bench *b, struct capacity *c);

/* Free the last load (if any). */
void capstep_free(struct capstep *cs);

#endif
