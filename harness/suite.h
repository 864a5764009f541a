/*
 * suite.h: suite files.  A suite file (JSON) names what `pacer run` runs:
 *
 *   {
 *     "name": "default",                      (default: the file name)
 *     "settings": { SETTINGS },               (defaults for every entry)
 *     "micro": [
 *       {"binary": "{build}/suites/micro/hash", "filter": "REGEX", "settings": {}}
 *     ],
 *     "commands": [
 *       {"name": "gzip", "command": "gzip -c README.md" | ["gzip", "-c", "README.md"],
 *        "shell": false, "prepare": "sh command", "cleanup": "sh command",
 *        "ignore_failure": false, "show_output": false, "settings": {}}
 *     ],
 *     "compare": { POLICY }                   (thresholds and limits for
 *                                              pacer compare and pacer ab)
 *   }
 *
 * SETTINGS: "samples": int, "warmup": "200ms", "sample_time": "10ms",
 * "budget": "2s", "processes": int, "timeout": "60s", "warmup_runs": int,
 * "ci_target": "1%" (durations also as numbers of seconds).
 *
 * Relative paths are relative to the suite file's directory.  "{build}" in
 * a binary or command is the build directory: $PACER_BUILD (relative to the
 * current directory) or else ../build beside the suite file's directory.
 * Unknown fields are errors, with the nearest known name suggested.
 */
#ifndef PACER_SUITE_H
#define PACER_SUITE_H

#include <stddef.h>

#include "cmdbench.h"
#include "err.h"
#include "result.h"

enum {
    OV_SAMPLES = 1 << 0,
    OV_WARMUP = 1 << 1,
    OV_SAMPLE_TIME = 1 << 2,
    OV_BUDGET = 1 << 3,
    OV_PROCESSES = 1 << 4,
    OV_TIMEOUT = 1 << 5,
    OV_WARMUP_RUNS = 1 << 6,
    OV_CI_TARGET = 1 << 7,
    OV_SEED = 1 << 8,
};

/* Settings some of which are set (mask says which). */
struct settings_ov {
    unsigned mask;
    struct settings s;
};

/* Copy the fields set in ov into dst. */
void settings_apply(struct settings *dst, const struct settings_ov *ov);

struct suite_micro {
    char *binary;
    char *filter;         /* or NULL */
    struct settings_ov ov;
};

struct suite_cmd {
    struct cmd_spec spec;
    struct settings_ov ov;
};

struct suite {
    char *path;
    char *name;
    struct settings_ov ov;
    struct suite_micro *micro;
    size_t nmicro;
    struct suite_cmd *cmds;
    size_t ncmds;
    struct json_t *compare;   /* the "compare" section as written (owned
                                 reference), read by compare/policy.c */
};

/* Read and check a suite file ("path: json.path: cause" on failure; the
 * caller frees s with suite_free also after a failure). */
int suite_load(const char *path, struct suite *s, struct err *e);
void suite_free(struct suite *s);

/* The known name nearest to s (edit distance at most 2), or NULL. */
const char *suite_suggest(const char *s, const char *const *known);

#endif
