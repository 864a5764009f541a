/*
 * limit.h: absolute limits on what a benchmark measured, as k6 writes them
 * ("latency.p99 < 50ms"), the value of a named metric of a benchmark, and
 * checking limits against benchmarks.  Below both the measuring side (a
 * suite's thresholds, pacer load --limit) and the verdict side (pacer
 * compare and pacer ab --limit, policy files).
 */
#ifndef PACER_LIMIT_H
#define PACER_LIMIT_H

#include <regex.h>
#include <stddef.h>

#include "harness/lib/err.h"
#include "result.h"

enum limit_op { LIMIT_LT, LIMIT_LE, LIMIT_GT, LIMIT_GE };

/* An absolute limit on a metric: "[REGEX:] METRIC OP VALUE[UNIT]", e.g.
 * "latency.p99 < 50ms", "throughput > 20000", "hash/.*: median <= 2us". */
/* What a limit's value measures, by its unit: a time (ns us ms s) holds
 * only for metrics in ns, a size (B KiB ... GB) only for metrics in bytes;
 * a plain number, k M G or % for any. */
enum limit_dim { LIMIT_ANY, LIMIT_TIME, LIMIT_BYTES };

struct limit {
    char *text;
    char *pattern;        /* NULL: every benchmark that has the metric */
    regex_t re;
    char *metric;
    enum limit_op op;
    double value;         /* in base units (ns, bytes, fraction, 1/s) */
    enum limit_dim dim;
};

/* Parse a limit (l is new: free it with limit_free); fails with "limit
 * 'TEXT': cause", l then empty. */
int limit_parse(const char *text, struct limit *l, struct err *e);
void limit_free(struct limit *l);
/* Whether value v keeps the limit. */
int limit_holds(const struct limit *l, double v);

/* The value of a named metric of a benchmark: the median of the metric of
 * that full name first ("latency.p99" of a load benchmark: its median over
 * the repetitions), else NAME.STAT of one of its metrics split at the last
 * dot ("user.median", "latency.p99.max", also "metrics.user.median"), a
 * statistic of its samples (median, mean, min, max, p5 ... p99, stddev,
 * mad, cv), or "throughput" (bytes/s, items/s or runs/s).  Returns 0, or
 * -1 when the benchmark has no such metric. */
int bench_metric_value(const struct bench *b, const char *metric, double *v);
/* The unit of what bench_metric_value(b, metric) gives: the metric's or
 * the samples' unit, "/s" or "bytes/s" for throughput, "" for cv. */
const char *bench_metric_unit(const struct bench *b, const char *metric);

/* One limit checked on one benchmark. */
struct limit_check {
    const struct limit *limit;  /* borrowed */
    const char *bench;          /* borrowed name */
    const char *unit;           /* of value (bench_metric_unit), borrowed */
    double value;
    int pass;
};

/* A growing list of checks (zero it to start; free with limit_checks_free). */
struct limit_checks {
    struct limit_check *v;
    size_t n, cap;
    size_t failed;              /* checks that did not pass */
};

/* Check l on every benchmark of bs[0..nb) that its pattern and filter (a
 * name filter, or NULL) select and that has the metric, appending one check
 * each to out.  A limit that selects benchmarks none of which has its metric
 * fails with limit_missing()'s text, as does one that selects none unless
 * skip_unmatched. */
int limit_check(const struct limit *l, const struct bench *bs, size_t nb, const regex_t *filter,
                int skip_unmatched, struct limit_checks *out, struct err *e);
void limit_checks_free(struct limit_checks *c);

/* "limit 'TEXT': no benchmark [matching P ]has the metric 'M'" into buf. */
char *limit_missing(char *buf, size_t len, const struct limit *l);

#endif
