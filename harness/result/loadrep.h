/*
 * loadrep.h: the JSON of a load repetition.  Each repetition of a load
 * benchmark leaves one block in its "load" array: settings, totals,
 * latency histograms, percentiles, errors, time series, generator and
 * monitor.  This is the only code that writes that block (and its parts).
 */
#ifndef PACER_LOADREP_H
#define PACER_LOADREP_H

#include <stdint.h>

#include <jansson.h>

#include "harness/lib/err.h"
#include "harness/load/hist.h"
#include "harness/load/loadgen.h"
#include "harness/load/monitor.h"

/* Sparse, lossless encoding (a new object):
 *   {"digits": 3, "highest": 60000000000, "count": N, "min": .., "max": ..,
 *    "sum": .., "clamped": 0,
 *    "buckets": [[low, count], ...]}
 * one pair per non-empty bucket, by its lowest value, ascending.  NULL when
 * out of memory. */
json_t *hist_to_json(const struct hist *h);
/* Read that encoding into h (initialised here; free with hist_free).  On bad
 * input -1 with "name: path: cause" in e (path is the JSON path of obj,
 * e.g. "benchmarks[0].load.latency"): a missing field, a count that does
 * not add up, a low that is not the low of a bucket of that layout, values
 * out of order. */
int hist_from_json(struct hist *h, const json_t *obj, const char *name, const char *path,
                   struct err *e);

/* A series as JSON (a new object):
 *   {"label": "server", "pid": 123, "period_ns": 100000000,
 *    "columns": ["t", "cpu_user", "cpu_sys", "rss", "threads", "fds",
 *                "vol_ctxsw", "invol_ctxsw", "read_bytes", "write_bytes", "procs"],
 *    "rows": [[0.0, ...], ...],
 *    "summary": {"cpu_mean": .., ...}}
 * summary over [from, to]. */
json_t *mon_series_to_json(const struct mon_series *s, uint64_t period_ns, double from, double to);

/* The load block of a result (a new object): settings, totals, latency
 * histograms, percentiles, errors, time series, generator and monitor. */
json_t *load_out_json(const struct load_opts *o, const struct load_out *out);

#endif
