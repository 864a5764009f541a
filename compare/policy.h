/*
 * policy.h: what counts as a regression for a suite, written down once: a
 * global threshold, per-benchmark thresholds and absolute limits.  The
 * same object stands alone in a file or as the "compare" section of a suite
 * file:
 *
 *   {
 *     "threshold": "3%",                         (default of the mode)
 *     "thresholds": {"evloop/thread/.*": "25%"}, (POSIX ERE on full names;
 *                                                 the first match wins)
 *     "limits": ["latency.p99 < 50ms", "hash/mem/.*: throughput > 10GiB/s"],
 *     "drift": "10%"                             (allowance, see compare.h)
 *   }
 */
#ifndef PACER_POLICY_H
#define PACER_POLICY_H

#include <jansson.h>

#include "compare.h"
#include "harness/lib/err.h"

/* Apply a policy object to o (rules and limits are appended; threshold and
 * drift set unless keep_threshold / keep_drift).  where names it in errors
 * ("file: compare.thresholds.x: cause"). */
int policy_apply(const json_t *obj, const char *where, const char *prefix,
                 struct compare_opts *o, int keep_threshold, int keep_drift, struct err *e);

/* Read a policy file, or the "compare" section of a suite file. */
int policy_load(const char *path, struct compare_opts *o, int keep_threshold, int keep_drift,
                struct err *e);

/* One of the options pacer compare and pacer ab share, by its long name:
 * threshold, limit, correction, alpha, drift, basis (auto or wall),
 * no-reference (no argument: arg is not read).  Applied to o.  Returns 1
 * when applied, 0 when name is none of them, -1 with the cause in e. */
int policy_option(const char *name, const char *arg, struct compare_opts *o, struct err *e);

#endif
