/*
 * merge.h: the segments of a load run split over several generators (pacer
 * load --segment I/N, result.h's struct run_segment) merged into one
 * ordinary result (pacer merge).  For each load benchmark and repetition:
 * the latency histograms added bucket by bucket, the counts, errors,
 * throughput and generator CPU summed, the percentiles and the metrics
 * recomputed from the merged histogram (never averaged), the series summed
 * interval by interval, every other segment's monitor series kept beside
 * the first's as "HOST:label".  The result carries "segment" with index 0
 * and the merge's record (segrec.h):
 *
 *   "merge": {"segments": [{"index": int, "file": str, "host": str|null,
 *                           "start": str|null, "start_lag_s": num|null,
 *                           "clock_offset_s": num|null, "complete": bool}],
 *             "missing": [int, ...], "start_spread_s": num|null}
 */
#ifndef PACER_MERGE_H
#define PACER_MERGE_H

#include <stddef.h>

#include "harness/lib/err.h"
#include "result.h"

enum merge_status {
    MERGE_OK = 0,
    MERGE_BAD = -1,         /* bad input: not segments of one run, settings
                               that differ, a segment missing or twice */
    MERGE_INCOMPLETE = -2,  /* a segment failed or was interrupted */
};

/* What merge_segments did. */
struct merge_info {
    size_t merged;          /* segments merged */
    unsigned missing;       /* segment numbers absent (partial) */
    double start_spread_s;  /* latest start - earliest start, NaN unknown */
};

/* Merge the n segments segs[i] (read from files[i], named in messages) into
 * segs[k], the one of lowest index, whose index is stored in *into: it is
 * then the merged result, the others are left as they were read.  partial:
 * merge a run with segments missing or incomplete, marked incomplete
 * (complete false) with the missing ones named in the record.  MERGE_OK,
 * else the status with one line naming the files and the cause in e:
 * nothing merged when the segments are refused; when merging itself fails
 * (histograms of different layouts, out of memory: MERGE_BAD) the segment
 * of lowest index may be half merged, to be freed, never saved. */
enum merge_status merge_segments(struct result *segs, const char *const *files, size_t n,
                                 int partial, size_t *into, struct merge_info *info,
                                 struct err *e);

#endif
