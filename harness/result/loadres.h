/*
 * loadres.h: load runs as results.  A load benchmark in a result file is a
 * struct bench of kind "load" whose samples are one value per repetition
 * (closed loop: requests per second, higher is better; open loop: the p99
 * latency in ns, lower is better), with metrics per repetition
 * (throughput, latency.p50 ... latency.max, errors.rate, generator.cpu,
 * server.cpu, server.rss_max) so that compare and limits such as
 * "latency.p99 < 50ms" work on them like on micro results, and the full
 * record of each repetition in bench->load (loadrep.h: histograms, series,
 * errors, monitor).
 */
#ifndef PACER_LOADRES_H
#define PACER_LOADRES_H

#include "harness/lib/err.h"
#include "harness/load/hist.h"
#include "harness/load/loadgen.h"
#include "loadrep.h"
#include "result.h"

/* Add one repetition to b (named and set up by the caller; kind, unit and
 * direction are set here on the first one): its sample, its metrics and
 * its record (load_rep_from_run).  Returns 0 or -1 (out of memory). */
int load_bench_add(struct bench *b, const struct load_opts *o, const struct load_out *out);

/* A load of flows: add one repetition's steps and flows to b's parts (a
 * benchmark NAME/step:S for each step, NAME/flow:F for each flow, made on
 * the first repetition), each as load_bench_add records a run: a step's
 * latency and counts, a flow's iterations (its "requests") and their
 * duration (its "latency").  -1 when out of memory. */
int load_bench_add_parts(struct bench *b, const struct load_opts *o, const struct load_out *out);

/* Merge the latency histograms of every repetition of b into h
 * (initialised here).  from_send: the open loop's latency from the actual
 * write.  -1 with the cause in e (no record, no such histogram, layouts
 * that differ). */
int load_merge_latency(const struct bench *b, int from_send, struct hist *h, struct err *e);

/* 1 when metric (of a limit) is one a load benchmark records or a
 * statistic of its samples (load_bench_add), possibly as NAME.STAT; else 0 with
 * the nearest known name in *suggest (or NULL). */
int load_metric_known(const char *metric, const char **suggest);

#endif
