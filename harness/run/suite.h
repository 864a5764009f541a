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
 *     "targets": [
 *       {"name": "aio", "command": ["{python}", "servers/aio.py", "--port", "{port}"],
 *        "shell": false, "env": {"K": "V"}, "cwd": "dir", "port": 0,
 *        "ready": {"tcp": true} | {"http": "/path"} | {"stdout": "TEXT"},
 *        "ready_timeout": "10s", "stop_timeout": "5s", "needs": ["redis"],
 *        "files": {"redis.conf": "port {port}\n"}, "package": "redis-server"}
 *     ],
 *     "scenarios": [
 *       {"name": "hello", "target": "aio", "url": "http://127.0.0.1:{port}/hello",
 *        "connections": 64 | [16, 64], "rate": 0 | [1000, 2000], "threads": 2,
 *        "duration": "10s", "warmup": "0s", "arrival": "constant", "pipeline": 1,
 *        "keepalive": true, "timeout": "2s", "method": "GET", "headers": ["N: V"],
 *        "body": "TEXT", "payload": "TEXT", "framing": "delim:\n", "interval": "1s",
 *        "late": "1ms", "digits": 3, "seed": 0, "repetitions": 3,
 *        "thresholds": ["latency.p99 < 50ms", "errors.rate < 0.1%"],
 *        "capacity": "latency.p99 < 50ms" | [...], "capacity_step": "2s",
 *        "capacity_precision": "5%"}
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
 * current directory) or else ../build beside the suite file's directory
 * (../../build when only that one exists: suites/macro/X.json).
 * Unknown fields are errors, with the nearest known name suggested.
 * Placeholders are filled in by placeholder.h.
 *
 * Targets are servers started for load scenarios (target.h, scenario.h).
 * A command is argv (a string is split as words.h splits it; with "shell"
 * it runs as /bin/sh -c STRING) run in "cwd" (default: the suite file's
 * directory).  In commands, env values, "cwd" and urls, "{build}" is the
 * build directory as an absolute path, "{suite_dir}" the suite file's
 * directory (absolute), "{python}" /usr/bin/python3 (Debian's Python and
 * its packages, whatever python3 comes first on PATH), and "{port}" the
 * port of the target's current start: "port" when given, else a free
 * loopback port chosen at each start.  Readiness defaults to a TCP connect.
 * A target's "needs" are targets (named before it) started first, each
 * on its own port, every time it starts, and stopped after it: a backing
 * store behind an app.  "{port:NAME}" is the port of the needed target
 * NAME, "{tmp}" a folder of the start's own (removed after the stop),
 * where "files" are written first.  "package" names the Debian package
 * of the program, for the message when it is not installed.  The
 * scenario's load goes to its own target; every started target is
 * monitored, under its name.
 *
 * A scenario puts load (the settings of pacer load, by their long option
 * names; defaults as there) on one target.  "connections" and "rate" (0:
 * closed loop) may be arrays: one benchmark per combination, named
 * SUITE/SCENARIO/connections=64/rate=1000 (only the axes given as arrays
 * appear).  Each runs "repetitions" times against a freshly started target;
 * "thresholds" are limits (limit.h) checked on its repetitions.
 * With "capacity" (objectives, capacity.h) a scenario runs a capacity
 * search instead of fixed rates (no "rate", stages, flows or
 * "repetitions"): its benchmark is the confirming run, its sample the
 * capacity (req/s, higher is better), its record every step.
 * A suite needs micro benchmarks, commands or scenarios.
 */
#ifndef PACER_SUITE_H
#define PACER_SUITE_H

#include <stddef.h>

#include "capacity.h"
#include "cmdbench.h"
#include "harness/lib/err.h"
#include "harness/load/loadgen.h"
#include "harness/result/limit.h"
#include "harness/result/result.h"
#include "target.h"

#define SUITE_PYTHON "/usr/bin/python3"
#define SUITE_REPETITIONS 5
#define SUITE_READY_TIMEOUT_NS 10000000000ULL
#define SUITE_STOP_TIMEOUT_NS 5000000000ULL

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
    OV_MODE = 1 << 9,
    OV_COUNTERS = 1 << 10,
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

/* A server the scenarios run against.  Strings may still hold "{port}";
 * the other placeholders are expanded. */
struct suite_target {
    char *name;
    char **argv;              /* NULL-terminated; with "shell": /bin/sh -c */
    char **env;               /* "NAME=VALUE", NULL-terminated, or NULL */
    char *cwd;                /* absolute */
    int port;                 /* fixed, or 0: a free one per start */
    enum ready_kind ready;
    char *ready_arg;          /* http: the path; stdout: the text; else NULL */
    uint64_t ready_timeout_ns, stop_timeout_ns;
    size_t *needs;            /* targets started before it (indices, each
                                 smaller than its own), or NULL */
    size_t nneeds;
    char **files;             /* NAME, TEXT, ...: written into {tmp} before
                                 it starts; NULL-terminated, or NULL */
    char *package;            /* the Debian package of its program, or NULL */
};

#define SUITE_NO_TARGET ((size_t)-1)

/* A load scenario: the load, the target, the matrix. */
struct suite_scenario {
    char *name;
    size_t target;            /* index into the suite's targets, or
                                 SUITE_NO_TARGET: the url's server is not
                                 started by pacer (shared by all the
                                 generators of a split run) */
    char *url;                /* may hold "{port}" (with a target) */
    struct load_opts load;    /* threads, duration, warmup, arrival, pipeline,
                                 keepalive, timeout, interval, late, digits,
                                 seed; connections and rate come from below */
    unsigned *connections;    /* at least one */
    size_t nconnections;
    int connections_axis;     /* given as an array: part of the names */
    double *rates;            /* at least one; 0 is the closed loop */
    size_t nrates;
    int rate_axis;
    char *method, *body, *payload, *framing;   /* or NULL */
    char **headers;
    size_t nheaders;
    unsigned repetitions;
    struct load_flows flows;  /* compiled; nflows 0: the one request above */
    char **thresholds;        /* limit texts (limit.h), checked at load */
    struct limit *limits;     /* the same, parsed (nthresholds of them) */
    size_t nthresholds;
    struct load_stage *stages;   /* "stages" or "rate_stages" (owned; the
                                    load's lists point into it), or NULL */
    char **capacity;          /* "capacity": its objectives' texts, or NULL */
    size_t ncapacity;
    struct capacity_goal goal;   /* the same, parsed (capacity.h) */
    uint64_t capacity_step_ns;   /* "capacity_step" (default 2s) */
    double capacity_precision;   /* "capacity_precision" (default 5%) */
};

struct suite {
    char *path;
    char *name;
    struct settings_ov ov;
    struct suite_micro *micro;
    size_t nmicro;
    struct suite_cmd *cmds;
    size_t ncmds;
    struct suite_target *targets;
    size_t ntargets;
    struct suite_scenario *scenarios;
    size_t nscenarios;
    struct json_t *compare;   /* the "compare" section as written (owned
                                 reference), read by compare/policy.c */
};

/* Read, check and compile a flow file ({"flows": [...], "data": {...}},
 * the same fields as a scenario's) for pacer load --flow: "path:
 * json.path: cause" on failure (free fs with load_flows_free also then). */
int flowfile_load(const char *path, struct load_flows *fs, struct err *e);

/* Read and check a suite file ("path: json.path: cause" on failure; the
 * caller frees s with suite_free also after a failure). */
int suite_load(const char *path, struct suite *s, struct err *e);
void suite_free(struct suite *s);

#endif
