/*
 * segrec.h: the "segment" object of a result file (schema 1.12): the
 * identity of one segment of a load run split over several generators
 * (struct run_segment, result.h), and in a result of pacer merge the
 * merge's own record (merge.h), kept as written.
 *
 *   "segment": {"run_id": str (req, non-empty), "index": int (req),
 *               "count": int >= 1 (req), "start_at": str|null,
 *               "start_lag_s": num|null,
 *               "clock": {"offset_s": num|null, "max_error_s": num|null,
 *                         "synced": bool|null},
 *               "merge": {...}}
 *
 * index is 1..count for a segment, 0 for a merged result.
 */
#ifndef PACER_SEGREC_H
#define PACER_SEGREC_H

#include <jansson.h>

#include "jsonread.h"
#include "result.h"

/* r's "segment" object (new), or NULL when out of memory.  Only when
 * r->seg.run_id is set. */
json_t *segment_json(const struct result *r);

/* The "segment" object of root, if any, into r->seg and r->merge (checked:
 * a malformed one is named by path and cause). */
int segment_read(const struct jr *rd, const json_t *root, struct result *r);

#endif
