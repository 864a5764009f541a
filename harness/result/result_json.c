/*
 * result_json.c: result files (result_json.h): struct result to JSON and
 * back, atomic saves, and a reader that names the file, the JSON path and
 * the cause of every rejection.
 *
 * Schema 1.0.  Keys are written sorted, reals with 17 significant digits
 * (a double reads back bit for bit), times in ns, never pre-scaled.  NaN
 * and infinities are never written: such a double is written as null and
 * null reads back as NaN.  "req" marks what a reader requires; every other
 * key may be absent (then the default of result_init), and keys it does
 * not know are ignored, so any 1.x file reads.
 *
 * {
 *   "schema": "1.0",                 req; "MAJOR.MINOR", major <= ours
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
 *   "benchmarks": [                  req
 *     {
 *       "name": str,                 req; non-empty, unique in the file
 *       "kind": "micro"|"command"|"load",   req
 *       "unit": str,                 req; non-empty
 *       "direction": "lower"|"higher",      req
 *       "params": {name: int|str, ...}|null,   {} when none
 *       "iterations": int >= 1,      req
 *       "processes": int >= 1,       absent: 1
 *       "samples": [num >= 0, ...],  req
 *       "process_samples": [int, ...],  (1.1) samples from each worker
 *                                    process in order, summing to the
 *                                    number of samples; absent: one
 *       "stats": STATS|null,         req (an object) when samples is non-empty
 *       "throughput": {"bytes_per_op": num >= 0, "items_per_op": num >= 0},
 *                                    written only when one is non-zero,
 *                                    with only the non-zero ones
 *       "metrics": {name: {"unit": str (req), "direction": (req),
 *                          "samples": [...] (req), "stats": STATS|null}},
 *                                    written only when there are metrics
 *       "source": {"binary": str|null, "command": str|null},
 *                                    written only when one is set
 *       "load": [LOAD, ...],         (1.2) kind "load": one record per
 *                                    repetition, see loadrep.h
 *       "error": null | {"message": str (req), "signal": int|null,
 *                        "exit_code": int|null, "timed_out": bool,
 *                        "stderr_tail": str|null}
 *                                    signal null: none (0); exit_code
 *                                    null: did not exit with one (-1)
 *     }, ...
 *   ]
 * }
 *
 * STATS, every key req:
 *   {"n": int (== number of samples), "mean", "median", "stddev", "mad",
 *    "min", "max", "p5", "p25", "p75", "p95", "p99", "cv": num|null,
 *    "ci": {"level": num|null, "method": "percentile-bootstrap" (not req),
 *           "resamples": int, "seed": int,
 *           "median": [lo, hi]|null, "mean": [lo, hi]|null},
 *    "outliers": {"low_severe", "low_mild", "high_mild", "high_severe": int}}
 *
 * No samples, no statistics: a benchmark (or metric) with no samples and
 * n == 0 is written with "stats": null.  A reader also accepts the key
 * absent, or a STATS object with "n": 0 and nulls; all read as n = 0 and
 * NaN in every number.
 */
#include "jsonread.h"
#include "result_json.h"
#include "loadres.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "version.h"

#define SAVE_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(17) | JSON_INDENT(1))
#define DUMP_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(17) | JSON_INDENT(2))


/* The doubles of struct stats, in one table for the writer and the reader. */
static const struct stat_field {
    const char *key;
    size_t off;
} stat_fields[] = {
    {"mean", offsetof(struct stats, mean)},     {"median", offsetof(struct stats, median)},
    {"stddev", offsetof(struct stats, stddev)}, {"mad", offsetof(struct stats, mad)},
    {"min", offsetof(struct stats, min)},       {"max", offsetof(struct stats, max)},
    {"p5", offsetof(struct stats, p5)},         {"p25", offsetof(struct stats, p25)},
    {"p75", offsetof(struct stats, p75)},       {"p95", offsetof(struct stats, p95)},
    {"p99", offsetof(struct stats, p99)},       {"cv", offsetof(struct stats, cv)},
};
#define NSTAT_FIELDS (sizeof stat_fields / sizeof stat_fields[0])

static double *stat_field(struct stats *st, size_t i)
{
    return (double *)(void *)((char *)st + stat_fields[i].off);
}

/* ---- writing -------------------------------------------------------------- */

/* Length of the UTF-8 sequence starting at s, or 0 when it is not valid
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF;
 * what jansson accepts). */
static size_t utf8_len(const unsigned char *s)
{
    uint32_t cp;
    size_t n, i;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2;
        cp = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
        cp = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)   /* also stops at the terminating JR_NUL */
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* A new copy of s in which every byte that does not start a valid UTF-8
 * sequence is replaced by U+FFFD.  Strings pacer records (stderr of a
 * crashed process, a CPU model) may hold any bytes; JSON holds only UTF-8.
 * NULL when out of memory. */
static char *utf8_repair(const char *s)
{
    size_t i = 0, o = 0, n;
    char *out = malloc(strlen(s) * 3 + 1);

    if (!out)
        return NULL;
    while (s[i]) {
        n = utf8_len((const unsigned char *)s + i);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

/* A new JSON string for s (repaired when not UTF-8), null for NULL. */
static json_t *jstr(const char *s)
{
    json_t *v;
    char *fixed;

    if (!s)
        return json_null();
    v = json_string(s);
    if (v)
        return v;
    fixed = utf8_repair(s);   /* json_string failed: invalid UTF-8 or no memory */
    if (!fixed)
        return NULL;
    v = json_string(fixed);
    free(fixed);
    return v;
}

/* A new JSON real, or null when v is NaN or infinite. */
static json_t *jreal(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* A new JSON integer for an unsigned 64-bit field; NULL with a message
 * when it does not fit a JSON integer (jansson's are signed 64-bit). */
static json_t *ju64(struct err *e, const char *at, const char *key, uint64_t v)
{
    if (v > (uint64_t)INT64_MAX) {
        err_set(e, "%s.%s: %" PRIu64 " is above the largest JSON integer (%" PRId64 ")", at,
                key, v, INT64_MAX);
        return NULL;
    }
    return json_integer((json_int_t)v);
}

/* obj[key] = v, stealing v, also when it fails.  NULL-safe for obj and v,
 * so a failed allocation anywhere surfaces as -1 here. */
static int put(json_t *obj, const char *key, json_t *v)
{
    if (!v)
        return -1;
    return json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

/* obj[name] = v for a name taken from the struct (a parameter or metric
 * name): repaired to UTF-8, and refused when already there (the JSON
 * object would silently keep one).  Steals v. */
static int put_named(json_t *obj, const char *name, json_t *v, struct err *e, const char *at,
                     const char *what)
{
    char *key = utf8_repair(name ? name : "");
    int rc = -1;

    if (!key) {
        json_decref(v);
        return -1;
    }
    if (json_object_get(obj, key)) {
        err_set(e, "%s: duplicate %s \"%s\"", at, what, key);
        json_decref(v);
    } else {
        rc = put(obj, key, v);
    }
    free(key);
    return rc;
}

static json_t *jreals(const double *x, size_t n)
{
    json_t *a = json_array();
    size_t i;

    if (!a)
        return NULL;
    for (i = 0; i < n; i++) {
        if (json_array_append_new(a, jreal(x[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *jci(struct ci ci)
{
    if (!isfinite(ci.lo) || !isfinite(ci.hi))
        return json_null();
    return json_pack("[ff]", ci.lo, ci.hi);
}

/* Statistics of nsamples samples; at is the path of the stats object. */
static json_t *stats_json(const struct stats *st, size_t nsamples, struct err *e, const char *at)
{
    struct stats s = *st;
    json_t *o, *ci, *out;
    char p[JR_PATH_LEN];
    size_t i;
    int rc = 0;

    if (s.n == 0 && nsamples == 0)
        return json_null();   /* no samples, no statistics */
    o = json_object();
    ci = json_object();
    out = json_object();
    rc |= put(o, "n", json_integer((json_int_t)s.n));
    for (i = 0; i < NSTAT_FIELDS; i++)
        rc |= put(o, stat_fields[i].key, jreal(*stat_field(&s, i)));
    jr_pathf(p, "%s.ci", at);
    rc |= put(ci, "level", jreal(s.ci_level));
    rc |= put(ci, "method", json_string("percentile-bootstrap"));
    rc |= put(ci, "resamples", json_integer(s.resamples));
    rc |= put(ci, "seed", ju64(e, p, "seed", s.seed));
    rc |= put(ci, "median", jci(s.ci_median));
    rc |= put(ci, "mean", jci(s.ci_mean));
    rc |= put(o, "ci", ci);
    rc |= put(out, "low_severe", json_integer((json_int_t)s.outliers.low_severe));
    rc |= put(out, "low_mild", json_integer((json_int_t)s.outliers.low_mild));
    rc |= put(out, "high_mild", json_integer((json_int_t)s.outliers.high_mild));
    rc |= put(out, "high_severe", json_integer((json_int_t)s.outliers.high_severe));
    rc |= put(o, "outliers", out);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *metric_json(const struct metric *m, struct err *e, const char *at)
{
    json_t *o = json_object();
    char p[JR_PATH_LEN];
    int rc = 0;

    jr_pathf(p, "%s.stats", at);
    rc |= put(o, "unit", jstr(m->unit));
    rc |= put(o, "direction", json_string(direction_name(m->dir)));
    rc |= put(o, "samples", jreals(m->samples, m->nsamples));
    rc |= put(o, "stats", stats_json(&m->st, m->nsamples, e, p));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *error_json(const struct bench_error *be)
{
    json_t *o;
    int rc = 0;

    if (!be)
        return json_null();
    o = json_object();
    rc |= put(o, "message", jstr(be->message));
    rc |= put(o, "signal", be->signal ? json_integer(be->signal) : json_null());
    rc |= put(o, "exit_code", be->exit_code != -1 ? json_integer(be->exit_code) : json_null());
    rc |= put(o, "timed_out", json_boolean(be->timed_out));
    rc |= put(o, "stderr_tail", jstr(be->stderr_tail));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *bench_json(const struct bench *b, size_t idx, struct err *e)
{
    json_t *o = json_object(), *params = json_object(), *tp, *ms, *src;
    char at[JR_PATH_LEN], p[JR_PATH_LEN];
    size_t i;
    int rc = 0;

    jr_pathf(at, "benchmarks[%zu]", idx);
    rc |= put(o, "name", jstr(b->name));
    rc |= put(o, "kind", json_string(kind_name(b->kind)));
    rc |= put(o, "unit", jstr(b->unit));
    rc |= put(o, "direction", json_string(direction_name(b->dir)));
    jr_pathf(p, "%s.params", at);
    for (i = 0; i < b->nparams && rc == 0; i++) {
        const struct param *pa = &b->params[i];

        rc |= put_named(params, pa->name, pa->is_int ? json_integer(pa->ival) : jstr(pa->value),
                        e, p, "parameter");
    }
    rc |= put(o, "params", params);
    rc |= put(o, "iterations", ju64(e, at, "iterations", b->iterations));
    rc |= put(o, "processes", json_integer(b->processes));
    rc |= put(o, "samples", jreals(b->samples, b->nsamples));
    if (b->nproc_samples > 1) {
        json_t *ps = json_array();
        for (i = 0; i < b->nproc_samples; i++)
            rc |= json_array_append_new(ps, json_integer((json_int_t)b->proc_samples[i]));
        rc |= put(o, "process_samples", ps);
    }
    jr_pathf(p, "%s.stats", at);
    rc |= put(o, "stats", stats_json(&b->st, b->nsamples, e, p));
    if (b->bytes_per_op != 0 || b->items_per_op != 0) {
        tp = json_object();
        if (b->bytes_per_op != 0)
            rc |= put(tp, "bytes_per_op", jreal(b->bytes_per_op));
        if (b->items_per_op != 0)
            rc |= put(tp, "items_per_op", jreal(b->items_per_op));
        rc |= put(o, "throughput", tp);
    }
    if (b->nmetrics > 0) {
        char mp[JR_PATH_LEN];

        ms = json_object();
        jr_pathf(mp, "%s.metrics", at);
        for (i = 0; i < b->nmetrics && rc == 0; i++) {
            const struct metric *m = &b->metrics[i];

            jr_pathf(p, "%s.%s", mp, m->name ? m->name : "");
            rc |= put_named(ms, m->name, metric_json(m, e, p), e, mp, "metric");
        }
        rc |= put(o, "metrics", ms);
    }
    if (b->binary || b->command) {
        src = json_object();
        if (b->binary)
            rc |= put(src, "binary", jstr(b->binary));
        if (b->command)
            rc |= put(src, "command", jstr(b->command));
        rc |= put(o, "source", src);
    }
    rc |= put(o, "error", error_json(b->error));
    if (b->nload)
        rc |= put(o, "load", load_reps_to_json(b->load, b->nload));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *context_json(const struct context *c, struct err *e)
{
    json_t *o = json_object(), *git = json_object(), *host = json_object();
    json_t *build = json_object(), *clk = json_object();
    int rc = 0;

    rc |= put(o, "pacer_version", jstr(c->pacer_version));
    rc |= put(o, "time", jstr(c->time));
    rc |= put(o, "fingerprint", jstr(c->fingerprint));

    rc |= put(git, "commit", jstr(c->git_commit));
    rc |= put(git, "branch", jstr(c->git_branch));
    rc |= put(git, "commit_time", jstr(c->git_commit_time));
    rc |= put(git, "dirty", c->git_dirty < 0 ? json_null() : json_boolean(c->git_dirty));
    rc |= put(o, "git", git);

    rc |= put(host, "hostname", jstr(c->hostname));
    rc |= put(host, "cpu_model", jstr(c->cpu_model));
    rc |= put(host, "cpus", c->cpus > 0 ? json_integer(c->cpus) : json_null());
    rc |= put(host, "memory_bytes",
              c->memory_bytes ? ju64(e, "context.host", "memory_bytes", c->memory_bytes)
                              : json_null());
    rc |= put(host, "kernel", jstr(c->kernel));
    rc |= put(host, "os", jstr(c->os));
    rc |= put(host, "governor", jstr(c->governor));
    rc |= put(host, "turbo", jstr(c->turbo));
    rc |= put(host, "loadavg", jreals(c->loadavg, 3));
    rc |= put(o, "host", host);

    rc |= put(build, "compiler", jstr(c->compiler));
    rc |= put(build, "cflags", jstr(c->cflags));
    rc |= put(o, "build", build);

    rc |= put(clk, "resolution_ns", jreal(c->clock_resolution_ns));
    rc |= put(clk, "read_ns", jreal(c->clock_read_ns));
    rc |= put(o, "clock", clk);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *context_to_json(const struct context *c)
{
    return context_json(c, NULL);
}

static json_t *settings_json(const struct settings *s, struct err *e)
{
    json_t *o = json_object();
    int rc = 0;

    rc |= put(o, "warmup_ns", ju64(e, "settings", "warmup_ns", s->warmup_ns));
    rc |= put(o, "sample_target_ns", ju64(e, "settings", "sample_target_ns", s->sample_target_ns));
    rc |= put(o, "samples", json_integer(s->samples));
    rc |= put(o, "budget_ns", ju64(e, "settings", "budget_ns", s->budget_ns));
    rc |= put(o, "ci_target", jreal(s->ci_target));
    rc |= put(o, "processes", json_integer(s->processes));
    rc |= put(o, "timeout_ns", ju64(e, "settings", "timeout_ns", s->timeout_ns));
    rc |= put(o, "warmup_runs", json_integer(s->warmup_runs));
    rc |= put(o, "seed", ju64(e, "settings", "seed", s->seed));
    rc |= put(o, "ci_level", jreal(s->ci_level));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Builds the document as it is; it does not validate it (result_save
 * does, by reading it back).  Errors name the JSON path, no file. */
json_t *result_to_json(const struct result *r, struct err *e)
{
    struct err le = {0};
    json_t *o = json_object(), *argv = NULL, *benches = json_array();
    char schema[32];
    size_t i;
    int rc = 0;

    snprintf(schema, sizeof schema, "%d.%d", RESULT_SCHEMA_MAJOR, RESULT_SCHEMA_MINOR);
    rc |= put(o, "schema", json_string(schema));
    rc |= put(o, "suite", jstr(r->suite));
    rc |= put(o, "complete", json_boolean(r->complete));
    if (r->argv) {
        argv = json_array();
        for (i = 0; r->argv[i] && rc == 0; i++)
            rc |= json_array_append_new(argv, jstr(r->argv[i])) == 0 ? 0 : -1;
    }
    rc |= put(o, "argv", r->argv ? argv : json_null());
    rc |= put(o, "context", context_json(&r->ctx, &le));
    rc |= put(o, "settings", settings_json(&r->set, &le));
    for (i = 0; i < r->nbenches && rc == 0; i++)
        rc |= json_array_append_new(benches, bench_json(&r->benches[i], i, &le)) == 0 ? 0 : -1;
    rc |= put(o, "benchmarks", benches);
    if (r->ab && rc == 0) {
        json_t *ab = json_object(), *bb = json_array();
        rc |= put(ab, "base_label", jstr(r->ab->base_label));
        rc |= put(ab, "new_label", jstr(r->ab->new_label));
        rc |= put(ab, "order", jstr(r->ab->order));
        for (i = 0; i < r->ab->nbase && rc == 0; i++)
            rc |= json_array_append_new(bb, bench_json(&r->ab->base[i], i, &le)) == 0 ? 0 : -1;
        rc |= put(ab, "base_benchmarks", bb);
        rc |= put(ab, "analysis", r->ab->analysis ? json_incref(r->ab->analysis) : json_null());
        rc |= put(o, "ab", ab);
    }
    if (rc) {
        json_decref(o);
        err_set(&le, "out of memory");
        err_set(e, "%s", le.msg);
        return NULL;
    }
    return o;
}

/* Validates r by reading its document back (a file pacer writes is one
 * pacer reads), then writes it to path.tmp.PID in path's directory,
 * flushes and fsyncs it, and renames it over path.  On any failure the
 * temporary file is removed and path is left as it was.  Creates no
 * directories.  Messages start with path; "path: not written: ..." when
 * r itself is at fault. */
int result_save(const struct result *r, const char *path, struct err *e)
{
    struct err le = {0};
    struct result check;
    json_t *root;
    char *name = NULL, *tmp = NULL;
    FILE *f = NULL;
    int fd, rc = -1, created = 0, closed;

    root = result_to_json(r, &le);
    if (!root)
        return err_set(e, "%s: not written: %s", path, le.msg);
    if (asprintf(&name, "%s: not written", path) < 0) {
        name = NULL;
        err_set(e, "%s: out of memory", path);
        goto cleanup;
    }
    rc = result_from_json(root, name, &check, e);
    result_free(&check);
    if (rc < 0)
        goto cleanup;
    rc = -1;
    if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
        tmp = NULL;
        err_set(e, "%s: out of memory", path);
        goto cleanup;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        err_set(e, "%s: cannot create %s: %s", path, tmp, strerror(errno));
        goto cleanup;
    }
    created = 1;
    f = fdopen(fd, "w");
    if (!f) {
        err_set(e, "%s: cannot write %s: %s", path, tmp, strerror(errno));
        close(fd);
        goto cleanup;
    }
    errno = 0;
    if (json_dumpf(root, f, SAVE_FLAGS) != 0 || fputc('\n', f) == EOF || fflush(f) != 0) {
        err_set(e, "%s: cannot write %s: %s", path, tmp, errno ? strerror(errno) : "write error");
        goto cleanup;
    }
    if (fsync(fileno(f)) != 0) {
        err_set(e, "%s: cannot sync %s: %s", path, tmp, strerror(errno));
        goto cleanup;
    }
    closed = fclose(f);
    f = NULL;
    if (closed != 0) {
        err_set(e, "%s: cannot write %s: %s", path, tmp, strerror(errno));
        goto cleanup;
    }
    if (rename(tmp, path) != 0) {
        err_set(e, "%s: cannot rename %s into place: %s", path, tmp, strerror(errno));
        goto cleanup;
    }
    created = 0;
    rc = 0;
cleanup:
    if (f)
        fclose(f);
    if (created)
        unlink(tmp);
    free(tmp);
    free(name);
    json_decref(root);
    return rc;
}

int result_dump(const struct result *r, FILE *f, struct err *e)
{
    json_t *root = result_to_json(r, e);
    int rc = 0;

    if (!root)
        return -1;
    errno = 0;
    if (json_dumpf(root, f, DUMP_FLAGS) != 0 || fputc('\n', f) == EOF || fflush(f) != 0)
        rc = err_set(e, "cannot write the result: %s", errno ? strerror(errno) : "write error");
    json_decref(root);
    return rc;
}

/* ---- reading -------------------------------------------------------------- */


static int get_kind(const struct jr *rd, const json_t *obj, const char *parent,
                    enum bench_kind *k)
{
    char path[JR_PATH_LEN], q[JR_QUOTE_BUF], *s = NULL;
    int rc;

    if (jr_get_str(rd, obj, parent, "kind", JR_REQ, &s) < 0)
        return -1;
    rc = kind_parse(s, k);
    if (rc < 0)
        jr_fail(rd, jr_join(path, parent, "kind"), "unknown kind %s (expected micro, command or load)",
             jr_quote(q, sizeof q, s));
    free(s);
    return rc;
}

static int get_direction(const struct jr *rd, const json_t *obj, const char *parent,
                         enum direction *d)
{
    char path[JR_PATH_LEN], q[JR_QUOTE_BUF], *s = NULL;
    int rc;

    if (jr_get_str(rd, obj, parent, "direction", JR_REQ, &s) < 0)
        return -1;
    rc = direction_parse(s, d);
    if (rc < 0)
        jr_fail(rd, jr_join(path, parent, "direction"),
             "unknown direction %s (expected lower or higher)", jr_quote(q, sizeof q, s));
    free(s);
    return rc;
}

/* The samples array a (at path) into a new array *x of *n finite,
 * non-negative doubles; *x is set first, so the caller's free covers a
 * failure halfway. */
static int read_samples(const struct jr *rd, const json_t *a, const char *path, double **x,
                        size_t *n)
{
    char p[JR_PATH_LEN];
    size_t i, len = json_array_size(a);

    *x = NULL;
    *n = 0;
    if (len == 0)
        return 0;
    *x = malloc(len * sizeof **x);
    if (!*x)
        return jr_oom(rd);
    *n = len;
    for (i = 0; i < len; i++) {
        const json_t *v = json_array_get(a, i);
        double d;

        if (!json_is_number(v))
            return jr_expected(rd, jr_index(p, path, i), "number", v);
        d = json_number_value(v);
        if (!isfinite(d))
            return jr_fail(rd, jr_index(p, path, i), "expected a finite number");
        if (d < 0)
            return jr_fail(rd, jr_index(p, path, i), "expected a number >= 0, got %g", d);
        (*x)[i] = d;
    }
    return 0;
}

/* "process_samples": counts per worker process that add up to the samples. */
static int read_proc_samples(const struct jr *rd, const json_t *jb, const char *path,
                             struct bench *b)
{
    const json_t *a;
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    size_t i, len, sum = 0;

    if (jr_get_arr(rd, jb, path, "process_samples", JR_NUL, &a) < 0)
        return -1;
    if (!a)
        return 0;
    jr_join(p, path, "process_samples");
    len = json_array_size(a);
    if (len == 0)
        return jr_fail(rd, p, "expected at least one count");
    b->proc_samples = malloc(len * sizeof *b->proc_samples);
    if (!b->proc_samples)
        return jr_oom(rd);
    b->nproc_samples = len;
    for (i = 0; i < len; i++) {
        const json_t *v = json_array_get(a, i);
        if (!json_is_integer(v))
            return jr_expected(rd, jr_index(q, p, i), "integer", v);
        if (json_integer_value(v) < 0)
            return jr_fail(rd, jr_index(q, p, i), "expected an integer >= 0, got %lld",
                        (long long)json_integer_value(v));
        b->proc_samples[i] = (size_t)json_integer_value(v);
        sum += b->proc_samples[i];
    }
    if (sum != b->nsamples)
        return jr_fail(rd, p, "counts add up to %zu, not to the %zu samples", sum, b->nsamples);
    return 0;
}

/* The statistics of no samples: n 0, NaN in every number. */
static void stats_none(struct stats *st)
{
    size_t i;

    memset(st, 0, sizeof *st);
    for (i = 0; i < NSTAT_FIELDS; i++)
        *stat_field(st, i) = NAN;
    st->ci_median.lo = st->ci_median.hi = NAN;
    st->ci_mean.lo = st->ci_mean.hi = NAN;
    st->ci_level = NAN;
}

/* [lo, hi] or null (NaN, NaN). */
static int read_ci(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                   struct ci *ci)
{
    char path[JR_PATH_LEN], p[JR_PATH_LEN];
    const json_t *a;
    double *ends[2] = {&ci->lo, &ci->hi};
    size_t i;

    ci->lo = ci->hi = NAN;
    if (jr_get_arr(rd, obj, parent, key, JR_REQ | JR_NUL, &a) < 0)
        return -1;
    if (!a)
        return 0;
    jr_join(path, parent, key);
    if (json_array_size(a) != 2)
        return jr_fail(rd, path, "expected [lo, hi], got an array of %zu", json_array_size(a));
    for (i = 0; i < 2; i++) {
        const json_t *v = json_array_get(a, i);

        if (!json_is_number(v))
            return jr_expected(rd, jr_index(p, path, i), "number", v);
        *ends[i] = json_number_value(v);
    }
    return 0;
}

/* The stats object of a benchmark or metric (at path), or null / absent
 * when it has no samples.  Read as written, not recomputed. */
static int read_stats(const struct jr *rd, const json_t *obj, const char *parent,
                      size_t nsamples, struct stats *st)
{
    static const char *const outlier_keys[] = {"low_severe", "low_mild", "high_mild",
                                               "high_severe"};
    size_t *outlier_vals[] = {&st->outliers.low_severe, &st->outliers.low_mild,
                              &st->outliers.high_mild, &st->outliers.high_severe};
    char path[JR_PATH_LEN], p[JR_PATH_LEN], *method = NULL;
    const json_t *so, *ci, *out;
    size_t i, n = 0;

    stats_none(st);
    if (jr_get_obj(rd, obj, parent, "stats", nsamples > 0 ? JR_REQ : JR_NUL, &so) < 0)
        return -1;
    if (!so)
        return 0;
    jr_join(path, parent, "stats");
    if (jr_get_size(rd, so, path, "n", JR_REQ, &n) < 0)
        return -1;
    if (n != nsamples)
        return jr_fail(rd, jr_join(p, path, "n"), "expected %zu (the number of samples), got %zu",
                    nsamples, n);
    st->n = n;
    for (i = 0; i < NSTAT_FIELDS; i++)
        if (jr_get_num(rd, so, path, stat_fields[i].key, JR_REQ | JR_NUL, stat_field(st, i)) < 0)
            return -1;

    if (jr_get_obj(rd, so, path, "ci", JR_REQ, &ci) < 0)
        return -1;
    jr_join(p, path, "ci");
    if (jr_get_num(rd, ci, p, "level", JR_REQ | JR_NUL, &st->ci_level) < 0 ||
        jr_get_str(rd, ci, p, "method", 0, &method) < 0 ||
        jr_get_uint(rd, ci, p, "resamples", JR_REQ, 0, &st->resamples) < 0 ||
        jr_get_u64(rd, ci, p, "seed", JR_REQ, 0, &st->seed) < 0 ||
        read_ci(rd, ci, p, "median", &st->ci_median) < 0 ||
        read_ci(rd, ci, p, "mean", &st->ci_mean) < 0) {
        free(method);
        return -1;
    }
    free(method);   /* checked, not kept: the struct knows one method */

    if (jr_get_obj(rd, so, path, "outliers", JR_REQ, &out) < 0)
        return -1;
    jr_join(p, path, "outliers");
    for (i = 0; i < 4; i++)
        if (jr_get_size(rd, out, p, outlier_keys[i], JR_REQ, outlier_vals[i]) < 0)
            return -1;
    return 0;
}

static int read_metric(const struct jr *rd, const json_t *mo, const char *path, const char *name,
                       struct bench *b)
{
    struct metric *m;
    const json_t *samples;
    enum direction dir = DIR_LOWER;
    char p[JR_PATH_LEN], *unit = NULL;

    if (!json_is_object(mo))
        return jr_expected(rd, path, "object", mo);
    if (jr_get_str(rd, mo, path, "unit", JR_REQ | JR_NONEMPTY, &unit) < 0)
        return -1;
    if (get_direction(rd, mo, path, &dir) < 0) {
        free(unit);
        return -1;
    }
    m = bench_add_metric(b, name, unit, dir);
    free(unit);
    if (!m)
        return jr_oom(rd);
    if (jr_get_arr(rd, mo, path, "samples", JR_REQ, &samples) < 0 ||
        read_samples(rd, samples, jr_join(p, path, "samples"), &m->samples, &m->nsamples) < 0)
        return -1;
    return read_stats(rd, mo, path, m->nsamples, &m->st);
}

static int read_error(const struct jr *rd, const json_t *eo, const char *path, struct bench *b)
{
    struct bench_error *be = calloc(1, sizeof *be);
    long long x;

    if (!be)
        return jr_oom(rd);
    be->exit_code = -1;
    b->error = be;
    if (jr_get_str(rd, eo, path, "message", JR_REQ, &be->message) < 0)
        return -1;
    x = 0;
    if (jr_get_int(rd, eo, path, "signal", JR_NUL, INT_MIN, INT_MAX, &x) < 0)
        return -1;
    be->signal = (int)x;
    x = -1;
    if (jr_get_int(rd, eo, path, "exit_code", JR_NUL, INT_MIN, INT_MAX, &x) < 0)
        return -1;
    be->exit_code = (int)x;
    if (jr_get_bool(rd, eo, path, "timed_out", 0, &be->timed_out) < 0 ||
        jr_get_str(rd, eo, path, "stderr_tail", JR_NUL, &be->stderr_tail) < 0)
        return -1;
    return 0;
}

/* Benchmark number idx (at path) into b.  seen maps the names read so far
 * to their index (duplicate names make a comparison ambiguous). */
static int read_bench(const struct jr *rd, const json_t *jb, const char *path, size_t idx,
                      json_t *seen, struct bench *b)
{
    char p[JR_PATH_LEN], q[JR_QUOTE_BUF];
    const json_t *v, *params, *samples, *tp, *ms, *src, *eo, *prev;
    const char *key;

    if (!json_is_object(jb))
        return jr_expected(rd, path, "object", jb);
    if (jr_get_str(rd, jb, path, "name", JR_REQ | JR_NONEMPTY, &b->name) < 0)
        return -1;
    prev = json_object_get(seen, b->name);
    if (prev)
        return jr_fail(rd, jr_join(p, path, "name"), "duplicate name %s (also benchmarks[%lld])",
                    jr_quote(q, sizeof q, b->name), (long long)json_integer_value(prev));
    if (json_object_set_new(seen, b->name, json_integer((json_int_t)idx)) != 0)
        return jr_oom(rd);
    if (get_kind(rd, jb, path, &b->kind) < 0)
        return -1;
    free(b->unit);
    b->unit = NULL;
    if (jr_get_str(rd, jb, path, "unit", JR_REQ | JR_NONEMPTY, &b->unit) < 0 ||
        get_direction(rd, jb, path, &b->dir) < 0)
        return -1;

    if (jr_get_obj(rd, jb, path, "params", JR_NUL, &params) < 0)
        return -1;
    /* jansson's iterator takes a non-const object; it is only read */
    json_object_foreach((json_t *)params, key, v) {
        int rc;

        jr_pathf(p, "%s.params.%s", path, key);
        if (json_is_integer(v))
            rc = bench_add_param_int(b, key, json_integer_value(v));
        else if (json_is_string(v))
            rc = bench_add_param_str(b, key, json_string_value(v));
        else
            return jr_expected(rd, p, "integer or string", v);
        if (rc < 0)
            return jr_oom(rd);
    }

    if (jr_get_u64(rd, jb, path, "iterations", JR_REQ, 1, &b->iterations) < 0 ||
        jr_get_uint(rd, jb, path, "processes", 0, 1, &b->processes) < 0)
        return -1;
    if (jr_get_arr(rd, jb, path, "samples", JR_REQ, &samples) < 0 ||
        read_samples(rd, samples, jr_join(p, path, "samples"), &b->samples, &b->nsamples) < 0 ||
        read_stats(rd, jb, path, b->nsamples, &b->st) < 0)
        return -1;
    if (read_proc_samples(rd, jb, path, b) < 0)
        return -1;

    if (jr_get_obj(rd, jb, path, "throughput", JR_NUL, &tp) < 0)
        return -1;
    if (tp) {
        jr_join(p, path, "throughput");
        if (jr_get_num(rd, tp, p, "bytes_per_op", JR_NONNEG, &b->bytes_per_op) < 0 ||
            jr_get_num(rd, tp, p, "items_per_op", JR_NONNEG, &b->items_per_op) < 0)
            return -1;
    }

    if (jr_get_obj(rd, jb, path, "metrics", JR_NUL, &ms) < 0)
        return -1;
    json_object_foreach((json_t *)ms, key, v) {
        jr_pathf(p, "%s.metrics.%s", path, key);
        if (read_metric(rd, v, p, key, b) < 0)
            return -1;
    }

    if (jr_get_obj(rd, jb, path, "source", JR_NUL, &src) < 0)
        return -1;
    if (src) {
        jr_join(p, path, "source");
        if (jr_get_str(rd, src, p, "binary", JR_NUL, &b->binary) < 0 ||
            jr_get_str(rd, src, p, "command", JR_NUL, &b->command) < 0)
            return -1;
    }

    if (jr_get_obj(rd, jb, path, "error", JR_NUL, &eo) < 0)
        return -1;
    if (eo && read_error(rd, eo, jr_join(p, path, "error"), b) < 0)
        return -1;
    v = json_object_get(jb, "load");
    if (v && !json_is_null(v)) {
        if (load_reps_from_json(rd, v, jr_join(p, path, "load"), &b->load, &b->nload) < 0)
            return -1;
    }
    return 0;
}

static int is_hex16(const char *s)
{
    size_t i;

    for (i = 0; i < 16; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return s[16] == '\0';
}

static int read_context(const struct jr *rd, const json_t *co, struct context *c)
{
    static const char *const host_strs[] = {"hostname", "cpu_model", "kernel", "os", "governor",
                                            "turbo"};
    char **host_vals[] = {&c->hostname, &c->cpu_model, &c->kernel, &c->os, &c->governor,
                          &c->turbo};
    char q[JR_QUOTE_BUF];
    const json_t *git, *host, *build, *clk, *la;
    long long cpus = -1;
    size_t i;

    if (jr_get_str(rd, co, "context", "pacer_version", JR_REQ, &c->pacer_version) < 0 ||
        jr_get_str(rd, co, "context", "time", JR_REQ, &c->time) < 0 ||
        jr_get_str(rd, co, "context", "fingerprint", JR_REQ, &c->fingerprint) < 0)
        return -1;
    if (!is_hex16(c->fingerprint))
        return jr_fail(rd, "context.fingerprint", "expected 16 hex digits, got %s",
                    jr_quote(q, sizeof q, c->fingerprint));

    if (jr_get_obj(rd, co, "context", "git", JR_NUL, &git) < 0)
        return -1;
    if (git && (jr_get_str(rd, git, "context.git", "commit", JR_NUL, &c->git_commit) < 0 ||
                jr_get_str(rd, git, "context.git", "branch", JR_NUL, &c->git_branch) < 0 ||
                jr_get_str(rd, git, "context.git", "commit_time", JR_NUL, &c->git_commit_time) < 0 ||
                jr_get_bool(rd, git, "context.git", "dirty", JR_NUL, &c->git_dirty) < 0))
        return -1;

    if (jr_get_obj(rd, co, "context", "host", JR_NUL, &host) < 0)
        return -1;
    if (host) {
        for (i = 0; i < sizeof host_strs / sizeof host_strs[0]; i++)
            if (jr_get_str(rd, host, "context.host", host_strs[i], JR_NUL, host_vals[i]) < 0)
                return -1;
        if (jr_get_int(rd, host, "context.host", "cpus", JR_NUL, 0, INT_MAX, &cpus) < 0 ||
            jr_get_u64(rd, host, "context.host", "memory_bytes", JR_NUL, 0, &c->memory_bytes) < 0 ||
            jr_get_arr(rd, host, "context.host", "loadavg", JR_NUL, &la) < 0)
            return -1;
        c->cpus = (int)cpus;
        if (la) {
            char p[JR_PATH_LEN];

            if (json_array_size(la) != 3)
                return jr_fail(rd, "context.host.loadavg", "expected 3 numbers, got an array of %zu",
                            json_array_size(la));
            for (i = 0; i < 3; i++) {
                const json_t *v = json_array_get(la, i);

                jr_index(p, "context.host.loadavg", i);
                if (json_is_null(v))
                    c->loadavg[i] = NAN;
                else if (json_is_number(v))
                    c->loadavg[i] = json_number_value(v);
                else
                    return jr_expected(rd, p, "number or null", v);
            }
        }
    }

    if (jr_get_obj(rd, co, "context", "build", JR_NUL, &build) < 0)
        return -1;
    if (build && (jr_get_str(rd, build, "context.build", "compiler", JR_NUL, &c->compiler) < 0 ||
                  jr_get_str(rd, build, "context.build", "cflags", JR_NUL, &c->cflags) < 0))
        return -1;

    if (jr_get_obj(rd, co, "context", "clock", JR_NUL, &clk) < 0)
        return -1;
    if (clk && (jr_get_num(rd, clk, "context.clock", "resolution_ns", JR_NUL,
                        &c->clock_resolution_ns) < 0 ||
                jr_get_num(rd, clk, "context.clock", "read_ns", JR_NUL, &c->clock_read_ns) < 0))
        return -1;
    return 0;
}

/* Settings only describe how the run was made; each may be absent (the
 * default of settings_default). */
static int read_settings(const struct jr *rd, const json_t *so, struct settings *s)
{
    const char *p = "settings";

    if (jr_get_u64(rd, so, p, "warmup_ns", 0, 0, &s->warmup_ns) < 0 ||
        jr_get_u64(rd, so, p, "sample_target_ns", 0, 0, &s->sample_target_ns) < 0 ||
        jr_get_uint(rd, so, p, "samples", 0, 0, &s->samples) < 0 ||
        jr_get_u64(rd, so, p, "budget_ns", 0, 0, &s->budget_ns) < 0 ||
        jr_get_num(rd, so, p, "ci_target", JR_NUL, &s->ci_target) < 0 ||
        jr_get_uint(rd, so, p, "processes", 0, 0, &s->processes) < 0 ||
        jr_get_u64(rd, so, p, "timeout_ns", 0, 0, &s->timeout_ns) < 0 ||
        jr_get_uint(rd, so, p, "warmup_runs", 0, 0, &s->warmup_runs) < 0 ||
        jr_get_u64(rd, so, p, "seed", 0, 0, &s->seed) < 0 ||
        jr_get_num(rd, so, p, "ci_level", JR_NUL, &s->ci_level) < 0)
        return -1;
    return 0;
}

/* "MAJOR.MINOR", each one to nine digits. */
static int parse_version(const char *s, unsigned *major, unsigned *minor)
{
    unsigned *dst[2] = {major, minor};
    int k;

    for (k = 0; k < 2; k++) {
        unsigned v = 0, digits = 0;

        while (isdigit((unsigned char)*s) && digits < 9) {
            v = v * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || isdigit((unsigned char)*s))
            return -1;
        *dst[k] = v;
        if (k == 0 && *s++ != '.')
            return -1;
    }
    return *s ? -1 : 0;
}

/* Checked first: a newer major may have changed everything else. */
static int read_schema(const struct jr *rd, const json_t *root, struct result *out)
{
    char path[JR_PATH_LEN], q[JR_QUOTE_BUF];
    const json_t *v;
    const char *s;
    unsigned major, minor;

    if (jr_member(rd, root, "", "schema", JR_REQ, &v, path) < 0)
        return -1;
    if (!json_is_string(v))
        return jr_expected(rd, path, "string", v);
    s = json_string_value(v);
    if (parse_version(s, &major, &minor) < 0)
        return jr_fail(rd, path, "expected \"MAJOR.MINOR\", got %s", jr_quote(q, sizeof q, s));
    if (major > RESULT_SCHEMA_MAJOR)
        return jr_fail(rd, path, "version %u.%u is newer than this pacer reads (%d.x)", major, minor,
                    RESULT_SCHEMA_MAJOR);
    if (major < RESULT_SCHEMA_MAJOR)
        return jr_fail(rd, path, "version %u.%u is older than this pacer reads (%d.x)", major, minor,
                    RESULT_SCHEMA_MAJOR);
    out->schema_major = major;
    out->schema_minor = minor;
    return 0;
}

static int read_argv(const struct jr *rd, const json_t *root, struct result *out)
{
    char p[JR_PATH_LEN];
    const json_t *a;
    size_t i, n;

    if (jr_get_arr(rd, root, "", "argv", JR_NUL, &a) < 0)
        return -1;
    if (!a)
        return 0;
    n = json_array_size(a);
    out->argv = calloc(n + 1, sizeof *out->argv);
    if (!out->argv)
        return jr_oom(rd);
    for (i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);

        if (!json_is_string(v))
            return jr_expected(rd, jr_index(p, "argv", i), "string", v);
        out->argv[i] = strdup(json_string_value(v));
        if (!out->argv[i])
            return jr_oom(rd);
    }
    return 0;
}

static int read_benches(const struct jr *rd, const json_t *a, struct result *out)
{
    char p[JR_PATH_LEN];
    json_t *seen = json_object();
    size_t i;
    int rc = 0;

    if (!seen)
        return jr_oom(rd);
    for (i = 0; i < json_array_size(a) && rc == 0; i++) {
        struct bench *b = result_add_bench(out);

        if (!b)
            rc = jr_oom(rd);
        else
            rc = read_bench(rd, json_array_get(a, i), jr_index(p, "benchmarks", i), i, seen,
                            b);
    }
    json_decref(seen);
    return rc;
}

/* "ab": the base side of a paired run; every base benchmark pairs with the
 * new benchmark of its name, sample for sample. */
static int read_ab(const struct jr *rd, const json_t *root, struct result *out)
{
    const json_t *ab, *bb, *an;
    struct ab_block *blk;
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    json_t *seen;
    size_t i;
    int rc = 0;

    if (jr_get_obj(rd, root, "", "ab", JR_NUL, &ab) < 0)
        return -1;
    if (!ab)
        return 0;
    if (!(blk = result_ab(out)))
        return jr_oom(rd);
    if (jr_get_str(rd, ab, "ab", "base_label", JR_NUL, &blk->base_label) < 0 ||
        jr_get_str(rd, ab, "ab", "new_label", JR_NUL, &blk->new_label) < 0 ||
        jr_get_str(rd, ab, "ab", "order", JR_NUL, &blk->order) < 0 ||
        jr_get_arr(rd, ab, "ab", "base_benchmarks", JR_REQ, &bb) < 0 ||
        jr_get_obj(rd, ab, "ab", "analysis", JR_NUL, &an) < 0)
        return -1;
    if (an)
        blk->analysis = json_deep_copy(an);
    if (!(seen = json_object()))
        return jr_oom(rd);
    for (i = 0; i < json_array_size(bb) && rc == 0; i++) {
        struct bench *b = ab_add_base(blk), *n;

        jr_index(p, "ab.base_benchmarks", i);
        if (!b) {
            rc = jr_oom(rd);
            break;
        }
        rc = read_bench(rd, json_array_get(bb, i), p, i, seen, b);
        if (rc == 0 && !(n = result_find(out, b->name)))
            rc = jr_fail(rd, jr_join(q, p, "name"), "%s has no new side in benchmarks", b->name);
        else if (rc == 0 && n->nsamples != b->nsamples && !n->error && !b->error)
            rc = jr_fail(rd, jr_join(q, p, "samples"), "%zu samples, but the new side has %zu: "
                                                   "pairs need equal counts",
                      b->nsamples, n->nsamples);
    }
    json_decref(seen);
    return rc;
}

int result_from_json(const json_t *root, const char *name, struct result *out, struct err *e)
{
    struct jr rd = {name, e};
    const json_t *co, *so, *ba;

    result_init(out);
    if (!json_is_object(root))
        return jr_expected(&rd, "$", "object", root);
    if (read_schema(&rd, root, out) < 0 || jr_get_str(&rd, root, "", "suite", JR_NUL, &out->suite) < 0 ||
        jr_get_bool(&rd, root, "", "complete", 0, &out->complete) < 0 ||
        read_argv(&rd, root, out) < 0)
        return -1;
    if (jr_get_obj(&rd, root, "", "context", JR_REQ, &co) < 0 || read_context(&rd, co, &out->ctx) < 0)
        return -1;
    if (jr_get_obj(&rd, root, "", "settings", JR_NUL, &so) < 0 ||
        (so && read_settings(&rd, so, &out->set) < 0))
        return -1;
    if (jr_get_arr(&rd, root, "", "benchmarks", JR_REQ, &ba) < 0 || read_benches(&rd, ba, out) < 0)
        return -1;
    return read_ab(&rd, root, out);
}

int result_load(const char *path, struct result *out, struct err *e)
{
    json_t *root;
    int rc;

    result_init(out);
    if (!(root = jr_load(path, e)))
        return -1;
    rc = result_from_json(root, path, out, e);
    json_decref(root);
    return rc;
}

/* results/20261124T101500Z-abc1234.json */
char *result_save_path(const char *dir, const struct context *ctx, const char *suffix)
{
    char stamp[32] = "unknown", *path;
    const char *t = ctx->time;
    size_t i, k = 0, len;

    for (i = 0; t && t[i] && k + 1 < sizeof stamp; i++)
        if (t[i] != '-' && t[i] != ':')
            stamp[k++] = t[i];
    if (k)
        stamp[k] = '\0';
    len = strlen(dir) + strlen(stamp) + strlen(suffix) + 32;
    path = malloc(len);
    if (!path)
        return NULL;
    if (ctx->git_commit)
        snprintf(path, len, "%s/%s-%.7s%s.json", dir, stamp, ctx->git_commit, suffix);
    else
        snprintf(path, len, "%s/%s%s.json", dir, stamp, suffix);
    return path;
}
