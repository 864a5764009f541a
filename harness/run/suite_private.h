/*
 * suite_private.h: what the files of the suite reader share (suite.c,
 * suite_reader.c, suite_settings.c, suite_targets.c, suite_scenarios.c): the
 * file being read and its typed fields, whose messages read "file:
 * json.path: cause" (jsonread.h) with the suite's own words for types (a
 * real is a "number") and ranges.
 */
#ifndef PACER_SUITE_PRIVATE_H
#define PACER_SUITE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "harness/result/jsonread.h"
#include "suite.h"

/* A suite file being read. */
struct sr {
    struct jr jr;             /* the file's name (first in messages), the error */
    const char *dir;          /* the suite file's directory */
    const char *build;        /* what {build} expands to */
    const char *abs_dir;      /* the same two as absolute paths (targets) */
    const char *abs_build;
};

/* "out of memory" (without the file's name); -1. */
int sr_oom(const struct sr *c);

/* Refuse a key of obj (at path) that is not in known (NULL-terminated):
 * "unknown field", with the nearest known name suggested. */
int sr_keys(const struct sr *c, const json_t *obj, const char *path, const char *const *known);

/* v (at path p) as a duration: "200ms", "1.5s", or a number of seconds. */
int sr_duration(const struct sr *c, const json_t *v, const char *p, uint64_t *ns);
/* obj[key] as a duration above zero, left alone when absent. */
int sr_positive_duration(const struct sr *c, const json_t *obj, const char *key,
                         const char *path, uint64_t *ns);
/* v as an integer from lo to hi (jr_int, narrowed). */
int sr_count(const struct sr *c, const json_t *v, const char *p, long long lo, long long hi,
             unsigned *out);
/* v as an array of strings: *out a new NULL-terminated array of n of them
 * (*n counts those copied, also after a failure). */
int sr_strings(const struct sr *c, const json_t *v, const char *p, char ***out, size_t *n);
/* A target's or scenario's name (at path.name): not empty, no '/' nor
 * blank, as it becomes part of benchmark names. */
int sr_name(const struct sr *c, const char *name, const char *path);

/* s with the placeholders known when the file is read ({build},
 * {suite_dir}, {python}; {port} waits for a start): a new string, or NULL
 * with "out of memory" recorded. */
char *sr_expand(const struct sr *c, const char *s);

/* The sections of a suite file, each into s (suite_settings.c,
 * suite_targets.c, suite_scenarios.c).  A target or scenario is entry idx
 * of its array (at path), checked against those before it. */
int sr_settings(const struct sr *c, const json_t *obj, const char *path, struct settings_ov *ov);
int sr_target(const struct sr *c, const json_t *it, const char *path, struct suite *s,
              size_t idx);
int sr_scenario(const struct sr *c, const json_t *it, const char *path, struct suite *s,
                size_t idx);

/* obj's "flows" and "data" (a scenario's, or a flow file's at path ""),
 * read into fs and compiled (suite_flows.c). */
int sr_flows(const struct sr *c, const json_t *obj, const char *path, struct load_flows *fs);

#endif
