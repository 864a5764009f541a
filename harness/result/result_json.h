/*
 * result_json.h: result files.  Written with jansson, sorted keys and
 * 17-digit reals, to a temporary file in the same directory that is then
 * renamed (never a half-written result).  Read back with full validation:
 * every error names the file, the JSON path and the cause, e.g.
 *   results/a.json: benchmarks[3].samples: expected array, got string
 */
#ifndef PACER_RESULT_JSON_H
#define PACER_RESULT_JSON_H

#include <stdio.h>
#include <jansson.h>

#include "harness/lib/err.h"
#include "result.h"

/* A new JSON object for r (caller owns the reference), NULL on failure. */
json_t *result_to_json(const struct result *r, struct err *e);

/* The context block alone as a new JSON object (pacer env --format json). */
json_t *context_to_json(const struct context *c);

/* Write r to path atomically (path.tmp.PID, fsync, rename).  A result
 * that result_load would reject is not written ("path: not written: ..."). */
int result_save(const struct result *r, const char *path, struct err *e);

/* Where --save DIR puts r: DIR/<UTC time>-<commit 7>[suffix].json (or
 * without the commit outside git), as a new string; NULL out of memory. */
char *result_save_path(const char *dir, const struct context *ctx, const char *suffix);

/* Print r as JSON (indented) to f. */
int result_dump(const struct result *r, FILE *f, struct err *e);

/* Read and validate a result file into out (initialised here; the caller
 * frees it with result_free, also after a failure).  Rejects malformed and
 * truncated JSON, a newer major schema, missing fields, wrong types,
 * non-finite or negative samples, and stats whose n disagrees with the
 * samples.  Returns 0 or -1 with "path: json.path: cause" in e. */
int result_load(const char *path, struct result *out, struct err *e);

/* The same from an already parsed document; name is used in messages. */
int result_from_json(const json_t *root, const char *name, struct result *out, struct err *e);

#endif
