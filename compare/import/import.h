/*
 * import.h: reading result files of any supported tool into pacer's result
 * model, the format detected from the content:
 *   pacer        harness/result/result_json.h
 *   gbench       Google Benchmark JSON (--benchmark_format=json or
 *                --benchmark_out=FILE), with or without repetitions
 *   hyperfine    hyperfine --export-json
 *   pytest-benchmark  pytest --benchmark-json=FILE (and its saved runs)
 * so compare, trend and plot work on other tools' output too.
 */
#ifndef PACER_IMPORT_H
#define PACER_IMPORT_H

#include <jansson.h>

#include "harness/lib/err.h"
#include "harness/result/result.h"

enum import_format { IMPORT_PACER, IMPORT_GBENCH, IMPORT_HYPERFINE, IMPORT_PYTESTBENCH };

/* What a reader may take that it refuses by default. */
struct import_opts {
    int ignore_failure;   /* hyperfine: a command that exited with the same
                             non-zero code in every run is measured as it
                             is (as hyperfine -i measured it); by default
                             the benchmark is an error */
    int no_stats;         /* the benchmarks' statistics (struct stats, with
                             their intervals) are left uncomputed (Google
                             Benchmark) or unread (pacer: st.n is 0), for
                             a caller that needs only the samples: compare
                             without limits */
};

/* Read path in whatever supported format it is.  Errors are one line
 * "path: json.path: cause" (or "path: not a pacer, Google Benchmark,
 * hyperfine or pytest-benchmark result" when nothing matches).  out is initialised here and
 * freed by the caller with result_free, also after a failure.  fmt may be
 * NULL.  The defaults of struct import_opts. */
int import_load(const char *path, struct result *out, enum import_format *fmt, struct err *e);
/* The same with options io (NULL: the defaults). */
int import_load_with(const char *path, const struct import_opts *io, struct result *out,
                     enum import_format *fmt, struct err *e);

/* Which format a parsed document is; -1 when none. */
int import_detect(const json_t *root, enum import_format *fmt);

/* The converters, from an already parsed document (name is used in
 * messages and to fill what the format lacks, such as the time). */
int import_gbench(const json_t *root, const char *name, struct result *out, struct err *e);
/* import_gbench with options io (NULL: the defaults). */
int import_gbench_with(const json_t *root, const char *name, const struct import_opts *io,
                       struct result *out, struct err *e);
/* The same from the text buf[0..len) (NUL after it) without parsing it
 * whole: 0 with out as import_gbench makes it, or -1 (out initialised and
 * empty) whenever the text is not a Google Benchmark file this reader is
 * sure of; then parse it and call import_gbench, which words any error. */
int import_gbench_lean(const char *buf, size_t len, const char *name,
                       const struct import_opts *io, struct result *out);
int import_hyperfine(const json_t *root, const char *name, struct result *out, struct err *e);
/* import_hyperfine with options io (NULL: the defaults). */
int import_hyperfine_with(const json_t *root, const char *name, const struct import_opts *io,
                          struct result *out, struct err *e);

/* pytest-benchmark's JSON (import_pytestbench.c says what is kept, and
 * what is approximated when the file holds no raw rounds). */
int import_pytestbench(const json_t *root, const char *name, struct result *out, struct err *e);

const char *import_format_name(enum import_format f);

#endif
