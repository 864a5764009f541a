/*
 * result_json.h: result files.  Written with jansson (result_write.c),
 * sorted keys and 17-digit reals, to a temporary file in the same directory
 * that is then renamed (never a half-written result).  Read back with full
 * validation (result_read.c): every error names the file, the JSON path and
 * the cause, e.g.
 *   results/a.json: benchmarks[3].samples: expected array, got string
 *
 * The schema, version RESULT_SCHEMA_MAJOR.RESULT_SCHEMA_MINOR (version.h),
 * now 1.13.  Times in ns, never pre-scaled; a real reads back bit for bit.
 * NaN and infinities are never written: such a double is written as null
 * and null reads back as NaN.  "req" marks what the reader requires; every
 * other key may be absent (then the default of result_init), and keys it
 * does not know are ignored, so a file of any 1.x version reads.
 *
 * {
 *   "schema": "1.13",                req; "MAJOR.MINOR", MAJOR ours (1)
 *   "suite": str|null,
 *   "complete": bool,                absent: true
 *   "argv": [str, ...]|null,
 *   "context": {                     req
 *     "pacer_version": str,          req
 *     "time": str,                   req; UTC ISO 8601
 *     "fingerprint": str,            req; 16 hex digits
 *     "git": {"commit": str|null, "branch": str|null,
 *             "commit_time": str|null, "dirty": bool|null},
 *     "host": {"hostname": str|null, "cpu_model": str|null,
 *              "cpus": int|null (null: unknown, read as -1),
 *              "memory_bytes": int|null (null: unknown, read as 0),
 *              "kernel": str|null, "os": str|null, "governor": str|null,
 *              "turbo": str|null, "loadavg": [num|null x 3]|null},
 *     "build": {"compiler": str|null, "cflags": str|null},
 *     "clock": {"resolution_ns": num|null, "read_ns": num|null}
 *   },
 *   "settings": {"warmup_ns": int, "sample_target_ns": int,
 *                "samples": int, "budget_ns": int, "ci_target": num|null,
 *                "processes": int, "timeout_ns": int, "warmup_runs": int,
 *                "seed": int, "ci_level": num|null},
 *   "benchmarks": [BENCH, ...],      req
 *   "ab": {                          a paired run (pacer ab) only
 *     "base_label": str|null, "new_label": str|null, "order": str|null,
 *     "base_benchmarks": [BENCH, ...],  req; the base side: each pairs
 *                                    with the benchmark of its name in
 *                                    "benchmarks" (the new side), sample
 *                                    for sample (equal counts unless one
 *                                    side failed)
 *     "analysis": {...}|null         the paired analysis, kept as written
 *                                    (report_json_object; 1.3: its
 *                                    benchmarks hold one interval,
 *                                    change_ci, no longer ratio_ci, and a
 *                                    unit for each side)
 *   },
 *   "complexity": [FIT, ...]         (1.8) the complexity fits of benchmark
 *                                    families (FIT: fits.h); absent: none
 *   "segment": {                     (1.12) a segment of a load run split
 *                                    over several generators; written only
 *                                    when run_id is set, absent: none
 *     "run_id": str,                 req; non-empty, shared by the segments
 *     "index": int,                  req; 1..count (0: a merged result)
 *     "count": int,                  req; >= 1
 *     "start_at": str|null,          UTC ISO 8601 (ms): the agreed start
 *     "start_lag_s": num|null,       how late its warmup began after it
 *     "clock": {"offset_s": num|null, "max_error_s": num|null,
 *               "synced": bool|null},   the host clock (adjtimex)
 *     "merge": {...}                 pacer merge's record (merge.h), kept
 *                                    as written
 *   }
 * }
 *
 * BENCH:
 *   {
 *     "name": str,                   req; non-empty, unique in its array
 *     "kind": "micro"|"command"|"load",   req
 *     "unit": str,                   req; non-empty
 *     "direction": "lower"|"higher", req
 *     "params": {name: int|str, ...}|null,   {} when none
 *     "iterations": int >= 1,        req
 *     "processes": int >= 1,         absent: 1
 *     "samples": [num >= 0, ...],    req
 *     "process_samples": [int, ...], (1.1) samples from each worker
 *                                    process in order, summing to the
 *                                    number of samples; absent: one
 *     "reference": {"compute_ns": [num > 0, ...], "memory_ns": [...]},
 *                                    (1.3) per worker process, the median
 *                                    time of its rounds of the reference
 *                                    workload's two parts (refwork.h), as
 *                                    many of each; absent: none measured
 *     "stats": STATS|null,           req (an object) when samples is non-empty
 *     "throughput": {"bytes_per_op": num >= 0, "items_per_op": num >= 0},
 *                                    written only when one is non-zero,
 *                                    with only the non-zero ones
 *     "metrics": {name: {"unit": str (req), "direction": (req),
 *                        "samples": [...] (req), "stats": STATS|null}},
 *                                    written only when there are metrics
 *     "counters": {name: {"flags": [str, ...] (req), "samples": [...] (req),
 *                         "stats": STATS|null}},
 *                                    (1.7) user counters (pacer_counter):
 *                                    flags among "rate", "avg_threads",
 *                                    "iteration_invariant", "avg_iterations",
 *                                    "invert" (others are passed over), a
 *                                    value per sample (req: as many as
 *                                    samples); written only when there are
 *                                    counters
 *     "source": {"binary": str|null, "command": str|null},
 *                                    written only when one is set
 *     "load": [LOAD, ...],           (1.2) kind "load": one block per
 *                                    repetition, see loadrep.h; (1.10)
 *                                    its settings.stages and its series'
 *                                    target and achieved columns; (1.11)
 *                                    monitor[].tcp (connections by port)
 *                                    and monitor_net (the network)
 *     "capacity": {...},             (1.11) a load found by a capacity
 *                                    search: its objectives, answer,
 *                                    bracket and steps, see capres.h
 *     "error": null | {"message": str (req), "signal": int|null,
 *                      "exit_code": int|null, "timed_out": bool,
 *                      "stderr_tail": str|null}
 *                                    signal null: none (0); exit_code
 *                                    null: did not exit with one (-1)
 *   }
 *
 * STATS, every key req:
 *   {"n": int (== number of samples), "mean", "median", "stddev", "mad",
 *    "min", "max", "p5", "p25", "p75", "p95", "p99", "cv": num|null,
 *    "ci": {"level": num|null, "method": "percentile-bootstrap" (not req),
 *           "resamples": int, "seed": int,
 *           "median": [lo, hi]|null, "mean": [lo, hi]|null},
 *         (resamples 0: the intervals come from the bootstrap distribution
 *         itself, not from resamples, and the seed played no part (stats.h);
 *         earlier files hold the B they drew with that seed)
 *    "outliers": {"low_severe", "low_mild", "high_mild", "high_severe": int}}
 *
 * No samples, no statistics: a benchmark (or metric) with no samples and
 * n == 0 is written with "stats": null.  A reader also accepts the key
 * absent, or a STATS object with "n": 0 and nulls; all read as n = 0 and
 * NaN in every number.
 */
#ifndef PACER_RESULT_JSON_H
#define PACER_RESULT_JSON_H

#include <stdio.h>

#include <jansson.h>

#include "harness/lib/err.h"
#include "result.h"

/* ---- writing (result_write.c) ---- */

/* A new JSON object for r (caller owns the reference), NULL on failure. */
json_t *result_to_json(const struct result *r, struct err *e);

/* The context block alone as a new JSON object (pacer env --format json). */
json_t *context_to_json(const struct context *c);

/* Write r to path atomically (path.tmp.PID, fsync, rename, fsync of the
 * folder): path holds the old file or the new one, never a part.  A
 * result that result_load would reject is not written ("path: not
 * written: ...").  On failure (a full disk, EFBIG, a read-only folder)
 * nothing is left behind and path is as it was. */
int result_save(const struct result *r, const char *path, struct err *e);

/* Save r under a new name in dir (created if missing), never replacing a
 * file: DIR/<UTC time to the ms>Z-<commit 7>[suffix][-K].json (without
 * the commit outside git; -K from 2 on when the name is taken), written
 * as result_save writes and moved into place only where no file is.  The
 * name in a new *path.  -1 with the cause in e, nothing left behind. */
int result_save_new(const struct result *r, const char *dir, const char *suffix, char **path,
                    struct err *e);

/* Print r as JSON (indented) to f. */
int result_dump(const struct result *r, FILE *f, struct err *e);

/* ---- reading (result_read.c) ---- */

/* Read and validate a result file into out (initialised here; the caller
 * frees it with result_free, also after a failure).  Rejects malformed and
 * truncated JSON, a newer or older major schema, missing fields, wrong
 * types, non-finite or negative samples, and stats whose n disagrees with
 * the samples.  Returns 0 or -1 with "path: json.path: cause" in e. */
int result_load(const char *path, struct result *out, struct err *e);

/* The same from an already parsed document; name is used in messages. */
int result_from_json(const json_t *root, const char *name, struct result *out, struct err *e);

/* With flags: RESULT_NO_STATS leaves the stored statistics of benchmarks,
 * metrics and counters unread and uncomputed (st.n is 0; a reader that
 * works from the samples alone needs none), whether the document holds
 * them (jp_loadb_with's JP_NO_BENCH_STATS leaves a benchmark's out of the
 * tree) or not. */
#define RESULT_NO_STATS 1u
int result_from_json_with(const json_t *root, const char *name, unsigned flags,
                          struct result *out, struct err *e);

#endif
