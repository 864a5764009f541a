/*
 * loadrep.h: a load repetition.  Each repetition of a load benchmark
 * leaves one record in its bench (result.h: load, nload): the settings it
 * ran with, its totals, latency histograms and percentiles, errors, time
 * series, generator figures and monitor series.  This module builds the
 * record from a finished run and is the only code that knows its JSON (the
 * blocks of a benchmark's "load" array): it writes it and reads it back.
 *
 * Ownership: every pointer inside a struct load_rep is owned by it and
 * freed by load_rep_free().
 */
#ifndef PACER_LOADREP_H
#define PACER_LOADREP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "harness/lib/err.h"
#include "harness/load/hist.h"
#include "harness/load/loadgen.h"
#include "harness/load/monitor.h"
#include "jsonread.h"

/* What the run was asked to do. */
struct load_settings {
    char *url;                   /* as given ("" when none) */
    int open;                    /* mode: 1 open loop, 0 closed loop */
    unsigned connections, threads, pipeline;
    int keepalive;
    double rate;                 /* requests per second, 0: closed loop */
    enum arrival arrival;
    uint64_t duration_ns, warmup_ns, timeout_ns, late_ns;
    uint64_t seed;
    int digits;                  /* of the latency histograms */
    int nap;                     /* closed loop: pauses let responses gather
                                    (false in blocks that predate the choice) */
    struct load_stage *stages;   /* the shape: of connections (closed) or of
                                    rate (open); NULL, 0 without (and in
                                    blocks that predate stages) */
    size_t nstages;
};

/* The percentiles of a latency histogram, in ns: their ranks, their keys
 * in a block's percentiles and the metrics a run records (latency.KEY). */
#define LOAD_NPCT 7
enum { LOAD_P50, LOAD_P90, LOAD_P95, LOAD_P99, LOAD_P999, LOAD_P9999, LOAD_PMAX };
extern const double load_pct_ranks[LOAD_NPCT];        /* 50, 90, 95, ... 100 */
extern const char *const load_pct_keys[LOAD_NPCT];    /* "p50", ... "max" */
extern const char *const load_pct_metrics[LOAD_NPCT]; /* "latency.p50", ... */
struct load_pct {
    int have;                    /* 0: no response (all below are 0) */
    uint64_t p[LOAD_NPCT];
    uint64_t min;
    double mean, stddev;         /* NaN: unknown */
};

/* One kind of error: its class, the system error (0: none) and what it
 * says. */
struct load_rep_errno {
    enum load_class cls;
    int errnum;
    char *text;
    uint64_t count;
};

/* What the generator's threads cost and saw. */
struct load_gen {
    double cpu_user, cpu_sys;    /* seconds in the window */
    double busy_max;             /* busiest thread: CPU time / wall time */
    uint64_t reads, stamped_reads, naps;   /* 0 in blocks that predate them */
    double wait_max;             /* the thread that waited longest for a CPU:
                                    that wait / wall time; NaN unknown */
    char io[12];                 /* "epoll", "io_uring" ("" before recorded) */
};

/* One process tree the monitor sampled. */
struct load_rep_mon {
    char *label;                 /* "server", "pacer" */
    pid_t pid;
    uint64_t period_ns;
    int gone;
    struct mon_row *rows;        /* all rows, on the monitor's clock */
    size_t nrows;
    struct mon_summary summary;  /* over the measured window */
};

struct load_rep {
    struct load_settings set;
    int complete;                /* 0: stopped early */
    int valid;
    char *invalid_reason;        /* NULL when valid */
    uint64_t elapsed_ns;         /* the measured window */
    uint64_t requests, sent, bytes, connects;
    double throughput;           /* responses per second, NaN unknown */
    uint64_t late, queued, inflight_end, unsent_end;
    /* 0 in blocks that predate them: open loop, requests due, of them due
     * while every connection was busy, and seen to late after a sleep that
     * overran; responses and errors of the warmup */
    uint64_t due, no_conn, late_wake, warm_requests, warm_errors;
    uint64_t server_closed;      /* connections the server closed (each one
                                    reopened); 0 in blocks before 1.9 */
    struct load_pct pct;         /* of latency */
    struct hist latency;         /* closed: from the write; open: from the
                                    intended start */
    int from_send;               /* open loop: the two below are set */
    struct load_pct pct_sent;
    struct hist latency_sent;    /* from the actual write */
    uint64_t errors[LC_NCLASS];
    uint64_t errors_total;
    struct load_rep_errno *errnos;
    size_t nerrnos;
    uint64_t interval_ns;        /* of the series */
    struct load_interval *iv;    /* the series, t from the end of the warmup */
    size_t niv;
    struct load_gen gen;
    struct load_rep_mon *mon;    /* the server when monitored, the labelled
                                    processes, then pacer; each row's tcp
                                    not known in blocks before 1.11 */
    size_t nmon;
    struct mon_net_row *net;     /* the machine's network, on the monitor's
                                    clock; NULL, 0 in blocks before 1.11 */
    size_t nnet;
    double window_s[2];          /* the measured window on the monitor's clock;
                                    NaN in blocks that predate it */
};

/* Fill r (overwritten) with the record of a finished run: o and out are
 * copied, never kept.  -1 with the cause in e (out of memory); r is then
 * empty. */
int load_rep_from_run(struct load_rep *r, const struct load_opts *o, const struct load_out *out,
                      struct err *e);
void load_rep_free(struct load_rep *r);
/* p (overwritten) as the percentiles, min, mean and stddev of h. */
void load_pct_of(struct load_pct *p, const struct hist *h);

/* r as its JSON block (a new object), or NULL when out of memory or a
 * histogram holds a value above the largest JSON integer.  Numbers that
 * are unknown (NaN) are written as null; monitor_window_s only when
 * known; a series' tcp only when some row has its counts; monitor_net
 * only with rows. */
json_t *load_rep_to_json(const struct load_rep *r);
/* Read a block (obj, at JSON path) into r (overwritten).  -1 with
 * "name: path: cause" in rd->e (missing, wrong type, out of range, a
 * histogram that does not add up); r is then empty.  generator.reads,
 * stamped_reads, naps, io and wait_max, due, no_free_connection, late_wake,
 * warmup_requests, warmup_errors, server_closed, settings.nap,
 * settings.stages, the series' target and achieved columns (then NaN) and
 * monitor_window_s, monitor_net and a monitor series' tcp may be absent
 * (blocks written before they were recorded). */
int load_rep_from_json(const struct jr *rd, const json_t *obj, const char *path,
                       struct load_rep *r);

/* A benchmark's records: n of them as a new array; from an array (at
 * path) into a new *reps of *n records (NULL, 0 for an empty array); -1
 * as above, nothing allocated.  load_reps_free frees the records and the
 * array. */
json_t *load_reps_to_json(const struct load_rep *reps, size_t n);
int load_reps_from_json(const struct jr *rd, const json_t *arr, const char *path,
                        struct load_rep **reps, size_t *n);
void load_reps_free(struct load_rep *reps, size_t n);

/* Sparse, lossless encoding of a histogram (a new object):
 *   {"digits": 3, "highest": 60000000000, "count": N, "min": .., "max": ..,
 *    "sum": .., "clamped": 0,
 *    "buckets": [[low, count], ...]}
 * one pair per non-empty bucket, by its lowest value, ascending.  NULL when
 * out of memory or a value is above the largest JSON integer. */
json_t *hist_to_json(const struct hist *h);
/* Read that encoding into h (initialised here; free with hist_free).  On bad
 * input -1 with "name: path: cause" in e (path is the JSON path of obj,
 * e.g. "benchmarks[0].load[0].latency"): a missing field, a count that does
 * not add up, a low that is not the low of a bucket of that layout, values
 * out of order. */
int hist_from_json(struct hist *h, const json_t *obj, const char *name, const char *path,
                   struct err *e);

#endif
