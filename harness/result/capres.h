/*
 * capres.h: the record of a capacity search (pacer load --capacity, a
 * suite scenario's "capacity"): the objectives, the answer (the highest
 * open-loop arrival rate at which they held), the bracket around it, the
 * precision asked, and every step run on the way.  A load benchmark that
 * was found by a search holds one (result.h: bench.capacity); this module
 * is the only code that knows its JSON (a benchmark's "capacity" object,
 * schema 1.11): it writes it and reads it back.
 *
 * Ownership: every pointer inside a struct capacity is owned by it and
 * freed by capacity_free().
 */
#ifndef PACER_CAPRES_H
#define PACER_CAPRES_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "jsonread.h"

/* How a search ended. */
enum capacity_status {
    CAP_FOUND,          /* bracketed to the precision (or as far as the
                           steps allowed) and confirmed */
    CAP_UNCONFIRMED,    /* bracketed, but no confirming run held */
    CAP_LIMITED,        /* the generator could not offer more: the answer
                           is a lower bound */
    CAP_NONE,           /* no rate tried held the objectives */
};
/* "found", "unconfirmed", "limited", "none"; capacity_status_parse: -1
 * when none of them. */
const char *capacity_status_name(enum capacity_status s);
int capacity_status_parse(const char *s, enum capacity_status *out);

/* One step: an open-loop run at an asked rate, judged on the objectives. */
struct capacity_step {
    double rate;                 /* asked, arrivals per second */
    double achieved;             /* responses per second in the window */
    uint64_t p50, p90, p99, p999;   /* latency from the intended start, ns */
    double errors;               /* the error rate (errors.rate), 0..1 */
    int pass;                    /* every objective held (valid steps only) */
    int valid;                   /* 0: the generator could not keep the
                                    rate; the step says nothing of the
                                    server */
    int confirm;                 /* a confirming run (the full duration) */
    char *why;                   /* the objective that failed, or why the
                                    step is not valid; NULL when it passed */
};

struct capacity {
    char **objectives;           /* as written ("latency.p99 < 50ms") */
    size_t nobjectives;
    enum capacity_status status;
    double answer;               /* req/s; 0 when none */
    double low, high;            /* the bracket: the highest rate that held,
                                    the lowest above it that did not (or that
                                    the generator could not offer); NaN when
                                    that side was never found */
    double precision;            /* the bracket's width asked, as a fraction
                                    (0.05: high within 5 % of low) */
    struct capacity_step *steps; /* in the order they ran */
    size_t nsteps;
};

/* Append a copy of step (its why copied) to c.  -1 when out of memory. */
int capacity_add_step(struct capacity *c, const struct capacity_step *step);
/* Append a copy of the objective text.  -1 when out of memory. */
int capacity_add_objective(struct capacity *c, const char *text);
void capacity_free(struct capacity *c);

/* c as its JSON object (new), or NULL when out of memory:
 *   {"objectives": ["latency.p99 < 50ms", ...], "status": "found",
 *    "answer": 2150.0, "bracket": [2050.0, 2150.0], "precision": 0.05,
 *    "steps": [{"rate": .., "achieved": .., "p50": ns, "p90": ns,
 *               "p99": ns, "p999": ns, "errors": 0.0, "pass": true,
 *               "valid": true, "confirm": false, "why": null}, ...]}
 * An unknown side of the bracket is written as null. */
json_t *capacity_to_json(const struct capacity *c);
/* Read that object (obj, at JSON path) into c (zeroed here).  -1 with
 * "name: path: cause" in rd->e (missing, wrong type, out of range); c is
 * then empty. */
int capacity_from_json(const struct jr *rd, const json_t *obj, const char *path,
                       struct capacity *c);

#endif
