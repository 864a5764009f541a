/*
 * result_read.c: result files into struct result (result_json.h, where the
 * schema is), with full validation: every rejection names the file, the
 * JSON path and the cause.  Statistics are read as written, never
 * recomputed.
 */
#include "result_json.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fits.h"
#include "jsonread.h"
#include "capres.h"
#include "loadres.h"
#include "result_json_private.h"
#include "segrec.h"
#include "version.h"

static int get_kind(const struct jr *rd, const json_t *obj, const char *parent,
                    enum bench_kind *k)
{
    char path[JR_PATH_LEN], q[JR_QUOTE_BUF], *s = NULL;
    int rc;

    if (jr_get_str(rd, obj, parent, "kind", JR_REQ, &s) < 0)
        return -1;
    rc = kind_parse(s, k);
    if (rc < 0)
        jr_fail(rd, jr_join(path, parent, "kind"),
                "unknown kind %s (expected micro, command or load)", jr_quote(q, sizeof q, s));
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

/* "reference": {"compute_ns": [...], "memory_ns": [...]}, one time above
 * zero per worker process in each, the two of the same length. */
static int read_reference(const struct jr *rd, const json_t *jb, const char *path,
                          struct bench *b)
{
    const json_t *ref, *c, *m;
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    size_t nc, nm, i;

    if (jr_get_obj(rd, jb, path, "reference", JR_NUL, &ref) < 0)
        return -1;
    if (!ref)
        return 0;
    jr_join(p, path, "reference");
    if (jr_get_arr(rd, ref, p, "compute_ns", JR_REQ, &c) < 0 ||
        jr_get_arr(rd, ref, p, "memory_ns", JR_REQ, &m) < 0 ||
        read_samples(rd, c, jr_join(q, p, "compute_ns"), &b->ref_compute, &nc) < 0 ||
        read_samples(rd, m, jr_join(q, p, "memory_ns"), &b->ref_memory, &nm) < 0)
        return -1;
    if (nc == 0 || nm == 0)
        return jr_fail(rd, p, "expected a time per worker process, got none");
    if (nc != nm)
        return jr_fail(rd, p, "compute_ns has %zu times and memory_ns %zu: expected one of "
                       "each per worker process", nc, nm);
    for (i = 0; i < nc; i++)
        if (!(b->ref_compute[i] > 0) || !(b->ref_memory[i] > 0)) {
            char a[JR_PATH_LEN];
            jr_join(a, p, b->ref_compute[i] > 0 ? "memory_ns" : "compute_ns");
            return jr_fail(rd, jr_index(q, a, i), "expected a time above zero");
        }
    b->nref = nc;
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
    if (rd->flags & RESULT_NO_STATS)
        return 0;
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

/* A user counter (1.7): flags by name (a name this reader does not know,
 * from a later minor version, is passed over), samples, stats. */
static int read_counter(const struct jr *rd, const json_t *co, const char *path,
                        const char *name, struct bench *b)
{
    const json_t *fl, *samples, *v;
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    unsigned flags = 0;
    struct metric *m;
    size_t i, k;

    if (!json_is_object(co))
        return jr_expected(rd, path, "object", co);
    if (jr_get_arr(rd, co, path, "flags", JR_REQ, &fl) < 0)
        return -1;
    jr_join(p, path, "flags");
    json_array_foreach(fl, i, v) {
        jr_pathf(q, "%s[%zu]", p, i);
        if (!json_is_string(v))
            return jr_expected(rd, q, "string", v);
        for (k = 0; counter_flags[k].name; k++)
            if (!strcmp(json_string_value(v), counter_flags[k].name))
                flags |= counter_flags[k].bit;
    }
    if (!(m = bench_add_counter(b, name, flags)))
        return jr_oom(rd);
    if (jr_get_arr(rd, co, path, "samples", JR_REQ, &samples) < 0 ||
        read_samples(rd, samples, jr_join(p, path, "samples"), &m->samples, &m->nsamples) < 0)
        return -1;
    if (m->nsamples != b->nsamples)
        return jr_fail(rd, p, "expected %zu values (one per sample), got %zu", b->nsamples,
                       m->nsamples);
    return read_stats(rd, co, path, m->nsamples, &m->st);
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

/* The "load" array of a load benchmark (at path.load), checked, into b. */
static int read_load(const struct jr *rd, const json_t *jb, const char *path, struct bench *b)
{
    char p[JR_PATH_LEN];
    const json_t *v = json_object_get(jb, "load");

    if (v && !json_is_null(v)) {
        if (load_reps_from_json(rd, v, jr_join(p, path, "load"), &b->load, &b->nload) < 0)
            return -1;
    }
    v = json_object_get(jb, "capacity");
    if (v && !json_is_null(v)) {
        if (!(b->capacity = calloc(1, sizeof *b->capacity)))
            return jr_oom(rd);
        if (capacity_from_json(rd, v, jr_join(p, path, "capacity"), b->capacity) < 0)
            return -1;
    }
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
    if (read_proc_samples(rd, jb, path, b) < 0 || read_reference(rd, jb, path, b) < 0)
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
    if (jr_get_obj(rd, jb, path, "counters", JR_NUL, &ms) < 0)
        return -1;
    json_object_foreach((json_t *)ms, key, v) {
        jr_pathf(p, "%s.counters.%s", path, key);
        if (read_counter(rd, v, p, key, b) < 0)
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
    if (jr_get_str(rd, jb, path, "skipped", JR_NUL, &b->skipped) < 0)
        return -1;
    return read_load(rd, jb, path, b);
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
                jr_get_str(rd, git, "context.git", "commit_time", JR_NUL,
                           &c->git_commit_time) < 0 ||
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
                return jr_fail(rd, "context.host.loadavg",
                               "expected 3 numbers, got an array of %zu", json_array_size(la));
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
                  jr_get_str(rd, build, "context.build", "cflags", JR_NUL, &c->cflags) < 0 ||
                  jr_get_str(rd, build, "context.build", "valgrind", JR_NUL, &c->valgrind) < 0))
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
    char *mode = NULL;

    if (jr_get_str(rd, so, p, "mode", JR_NUL, &mode) < 0)
        return -1;
    if (mode && strcmp(mode, "time") && strcmp(mode, "instructions")) {
        char q[JR_PATH_LEN];

        jr_fail(rd, jr_join(q, p, "mode"), "expected \"time\" or \"instructions\", got \"%.40s\"",
                mode);
        free(mode);
        return -1;
    }
    s->mode = mode && !strcmp(mode, "instructions") ? RUN_MODE_INSTRUCTIONS : RUN_MODE_TIME;
    free(mode);
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
        return jr_fail(rd, path, "version %u.%u is newer than this pacer reads (%d.x)", major,
                       minor, RESULT_SCHEMA_MAJOR);
    if (major < RESULT_SCHEMA_MAJOR)
        return jr_fail(rd, path, "version %u.%u is older than this pacer reads (%d.x)", major,
                       minor, RESULT_SCHEMA_MAJOR);
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
    return result_from_json_with(root, name, 0, out, e);
}

int result_from_json_with(const json_t *root, const char *name, unsigned flags,
                          struct result *out, struct err *e)
{
    struct jr rd = {name, e, flags};
    const json_t *co, *so, *ba;

    result_init(out);
    if (!json_is_object(root))
        return jr_expected(&rd, "$", "object", root);
    if (read_schema(&rd, root, out) < 0 ||
        jr_get_str(&rd, root, "", "suite", JR_NUL, &out->suite) < 0 ||
        jr_get_bool(&rd, root, "", "complete", 0, &out->complete) < 0 ||
        read_argv(&rd, root, out) < 0)
        return -1;
    if (jr_get_obj(&rd, root, "", "context", JR_REQ, &co) < 0 ||
        read_context(&rd, co, &out->ctx) < 0)
        return -1;
    if (jr_get_obj(&rd, root, "", "settings", JR_NUL, &so) < 0 ||
        (so && read_settings(&rd, so, &out->set) < 0))
        return -1;
    if (jr_get_arr(&rd, root, "", "benchmarks", JR_REQ, &ba) < 0 || read_benches(&rd, ba, out) < 0)
        return -1;
    if (fits_read(&rd, root, out) < 0 || segment_read(&rd, root, out) < 0)
        return -1;
    return read_ab(&rd, root, out);
}

int result_load(const char *path, struct result *out, struct err *e)
{
    struct jr_arena arena = {0};
    json_t *root;
    int rc;

    result_init(out);
    /* the document lives only for the reading, which copies what it
     * keeps: its values in one arena, freed at once (a merge of hundreds
     * of segments spent a third of its time in malloc and free) */
    if (!(root = jr_load_arena(path, &arena, e))) {
        jr_arena_free(&arena);
        return -1;
    }
    rc = result_from_json(root, path, out, e);
    jr_arena_free(&arena);
    return rc;
}
