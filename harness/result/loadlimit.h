/*
 * loadlimit.h: limits on a load benchmark, checked before any load starts
 * (pacer load --limit, a suite scenario's "thresholds"): their syntax, a
 * metric a load run records, a latency written with its unit, and for a
 * limit written as k6 writes its thresholds ("p(99)<50",
 * "http_req_failed: rate<0.01") the pacer spelling to use instead.
 */
#ifndef PACER_LOADLIMIT_H
#define PACER_LOADLIMIT_H

#include <stddef.h>

#include "harness/lib/err.h"
#include "limit.h"

/* Parse text as a limit on a load benchmark into l (new: free it with
 * limit_free).  -1 with "limit 'TEXT': cause" in e, l then empty: the
 * syntax (limit_parse); a k6 spelling, with pacer's; a metric no load run
 * records (load_metric_known), with the nearest name; a latency given as a
 * bare number (pacer would read ns). */
int load_limit_parse(const char *text, struct limit *l, struct err *e);

/* Whether text is a k6 threshold ("p(95)<200", "avg<100", "med<80",
 * "max<500", "http_req_duration: p(99)<50", "http_req_failed: rate<0.01",
 * "http_reqs: rate>100", "rate<0.01"): then 1, with the pacer spelling in
 * sug ("" when pacer has none) and what differs in note (both written
 * whole or cut at their size); else 0. */
int load_limit_k6(const char *text, char *sug, size_t sugsize, char *note, size_t notesize);

#endif
