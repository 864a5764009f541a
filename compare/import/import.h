/*
 * import.h: reading result files of any supported tool into pacer's result
 * model, the format detected from the content:
 *   pacer        harness/result/result_json.h
 *   gbench       Google Benchmark JSON (--benchmark_format=json or
 *                --benchmark_out=FILE), with or without repetitions
 *   hyperfine    hyperfine --export-json
 * so compare, trend and plot work on other tools' output too.
 */
#ifndef PACER_IMPORT_H
#define PACER_IMPORT_H

#include <jansson.h>

#include "harness/lib/err.h"
#include "harness/result/result.h"

enum import_format { IMPORT_PACER, IMPORT_GBENCH, IMPORT_HYPERFINE };

/* Read path in whatever supported format it is.  Errors are one line
 * "path: json.path: cause" (or "path: not a pacer, Google Benchmark or
 * hyperfine result" when nothing matches).  out is initialised here and
 * freed by the caller with result_free, also after a failure.  fmt may be
 * NULL. */
int import_load(const char *path, struct result *out, enum import_format *fmt, struct err *e);

/* Which format a parsed document is; -1 when none. */
int import_detect(const json_t *root, enum import_format *fmt);

/* The converters, from an already parsed document (name is used in
 * messages and to fill what the format lacks, such as the time). */
int import_gbench(const json_t *root, const char *name, struct result *out, struct err *e);
int import_hyperfine(const json_t *root, const char *name, struct result *out, struct err *e);

const char *import_format_name(enum import_format f);

#endif
