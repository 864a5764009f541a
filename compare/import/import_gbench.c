/*
 * import_gbench.c: Google Benchmark's JSON (--benchmark_format=json, or
 * --benchmark_out=FILE --benchmark_out_format=json) into a struct result
 * (import.h).  Checked against the output of Google Benchmark 1.7.1.
 *
 * Context:
 *   date                 time, in UTC ("2026-11-23T20:00:18-05:00" becomes
 *                        "2026-11-24T01:00:18Z"); required.  A date without
 *                        an offset is taken as UTC
 *   host_name            hostname
 *   num_cpus             cpus
 *   cpu_scaling_enabled  true: governor "scaling enabled" (Google Benchmark
 *                        says true when a CPU's governor is not
 *                        "performance"); false: governor unknown (NULL), as
 *                        it also says false when it cannot tell
 *   load_avg             loadavg (an empty array: unknown)
 *   library_build_type   cflags "google-benchmark <type>"
 *   executable           each benchmark's binary
 *   mhz_per_cpu, caches  not kept: the context has no field for them
 * and compiler "google-benchmark", pacer_version "imported", fingerprint
 * computed by env_fingerprint.
 *
 * Benchmarks: every entry with run_type "iteration" is one sample; the
 * entries that share a run_name (the repetitions of one instance) make one
 * benchmark, named run_name as is ("BM_memcpy/64", "BM_x/threads:2"), in the
 * order they first appear; kind micro, unit ns, direction lower, processes 1.
 *   sample        real_time in ns per iteration (time_unit ns, us, ms or s)
 *   metric "cpu"  cpu_time in ns per iteration, one value per sample
 *   iterations    of the first repetition that ran (Google Benchmark fixes
 *                 the count in the first repetition and reuses it)
 *   bytes_per_op, items_per_op
 *                 bytes_per_second (items_per_second) times the time
 *                 Google Benchmark divided by: cpu_time, or real_time for
 *                 instances named .../real_time or .../manual_time; rounded
 *                 to the nearest integer when within 1e-9 of it (the rate
 *                 is a ratio of integers printed with 17 digits)
 *   error_occurred true   the benchmark's error is error_message; the entry
 *                 gives no sample.  error_message with error_occurred false
 *                 (a skip, Google Benchmark 1.8's SkipWithMessage): the
 *                 benchmark is skipped with that reason (not a failure)
 *   params        the arguments in the name: positional ones ("BM_x/64")
 *                 as arg0, arg1, ..., named ones ("BM_x/size:64") by name,
 *                 integers when they are; what Google Benchmark appends
 *                 itself (threads:, real_time, min_time:, ...) is not a
 *                 parameter, but threads > 1 gives a parameter "threads"
 * Entries with run_type "aggregate" (mean, median, stddev, cv, BigO, RMS)
 * are skipped: pacer computes its statistics from the repetitions.  A
 * run_name that has a mean aggregate but no iteration entry was run with
 * --benchmark_report_aggregates_only, and is refused: one mean per
 * benchmark is not a sample set, and passing it off as one sample would
 * make every comparison of it meaningless.  User counters (state.counters:
 * the numeric fields of an entry that are not Google Benchmark's own,
 * gb_is_counter) are kept as the benchmark's counters, their values as
 * written (Google Benchmark applied their flags, which it does not write:
 * they read as none); the first GB_MAX_COUNTERS of an entry, and only
 * those every repetition has (bench_trim_counters).
 * An entry without run_name is named by its "name"; one without run_type is
 * an aggregate when it has an "aggregate_name".
 */
#include "import.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/env.h"
#include "harness/result/isotime.h"
#include "harness/result/jsonread.h"
#include "harness/result/series.h"
#include "import_gbench_private.h"
#include "import_private.h"

#define COMP_MAX 256    /* one '/'-separated part of a benchmark name */

/* ---- context -------------------------------------------------------------- */

static int read_context(const struct jr *rd, const json_t *co, struct context *c,
                        const char **executable)
{
    char path[JR_PATH_LEN], q[JR_QUOTE_BUF], utc[32];
    const char *date = NULL, *host = NULL, *build = NULL;
    const json_t *la;
    long long cpus = -1;
    int scaling = 0;
    size_t i;

    if (jr_get_cstr(rd, co, "context", "date", JR_REQ, &date) < 0 ||
        jr_get_cstr(rd, co, "context", "host_name", 0, &host) < 0 ||
        jr_get_cstr(rd, co, "context", "executable", 0, executable) < 0 ||
        jr_get_int(rd, co, "context", "num_cpus", 0, 0, LLONG_MAX, &cpus) < 0 ||
        jr_get_bool(rd, co, "context", "cpu_scaling_enabled", 0, &scaling) < 0 ||
        jr_get_cstr(rd, co, "context", "library_build_type", 0, &build) < 0)
        return -1;
    if (iso_time_utc(date, utc, sizeof utc) < 0)
        return jr_fail(rd, "context.date",
                       "expected a date like \"2026-11-24T10:00:00+01:00\", got %s",
                    jr_quote(q, sizeof q, date));
    if (cpus > INT_MAX)
        return jr_fail(rd, "context.num_cpus", "expected an integer from 0 to %d, got %lld",
                       INT_MAX, cpus);
    if (jr_get_arr(rd, co, "context", "load_avg", 0, &la) < 0)
        return -1;
    if (la && json_array_size(la) != 0 && json_array_size(la) != 3)
        return jr_fail(rd, "context.load_avg", "expected 3 numbers, got an array of %zu",
                       json_array_size(la));
    for (i = 0; la && i < json_array_size(la); i++) {
        const json_t *v = json_array_get(la, i);

        if (!json_is_number(v))
            return jr_expected(rd, jr_index(path, "context.load_avg", i), "number", v);
        c->loadavg[i] = json_number_value(v);
    }

    c->pacer_version = strdup("imported");
    c->time = strdup(utc);
    c->compiler = strdup("google-benchmark");
    if (!c->pacer_version || !c->time || !c->compiler)
        return jr_oom(rd);
    if ((host && !(c->hostname = strdup(host))) ||
        (scaling && !(c->governor = strdup("scaling enabled"))))
        return jr_oom(rd);
    if (build) {
        size_t n = strlen(build) + sizeof "google-benchmark ";

        c->cflags = malloc(n);
        if (!c->cflags)
            return jr_oom(rd);
        snprintf(c->cflags, n, "google-benchmark %s", build);
    }
    c->cpus = (int)cpus;
    return env_fingerprint(c) < 0 ? jr_oom(rd) : 0;
}

/* ---- benchmarks ------------------------------------------------------------ */

static int has_param(const struct bench *b, const char *name)
{
    size_t i;

    for (i = 0; i < b->nparams; i++)
        if (strcmp(b->params[i].name, name) == 0)
            return 1;
    return 0;
}

/* Suffixes Google Benchmark adds to an instance's name by itself. */
static int reserved_key(const char *key)
{
    static const char *const keys[] = {"min_time", "min_warmup_time", "iterations", "repeats",
                                       "threads"};
    size_t i;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

/* One '/'-separated part of the name after the function name: "64" is
 * positional argument *argi, "size:64" a named one; other parts (a
 * BENCHMARK_CAPTURE label, "real_time") are not parameters. */
static int name_part_param(struct bench *b, char *part, size_t *argi)
{
    char *colon = strchr(part, ':'), key[32];
    const char *name = part, *val = part;
    long long v;

    if (colon) {
        *colon = '\0';
        val = colon + 1;
        if (reserved_key(part))
            return 0;
    } else if (!jr_parse_int(part, &v)) {
        return 0;
    } else {
        snprintf(key, sizeof key, "arg%zu", *argi);
        name = key;
    }
    (*argi)++;
    if (!*name || has_param(b, name))
        return 0;
    return jr_parse_int(val, &v) ? bench_add_param_int(b, name, v)
                                 : bench_add_param_str(b, name, val);
}

static int name_params(struct bench *b)
{
    const char *s = strchr(b->name, '/');
    char part[COMP_MAX];
    size_t argi = 0;

    while (s) {
        const char *p = s + 1;
        size_t len;

        s = strchr(p, '/');
        len = s ? (size_t)(s - p) : strlen(p);
        if (len == 0 || len >= sizeof part)
            continue;
        memcpy(part, p, len);
        part[len] = '\0';
        if (name_part_param(b, part, &argi) < 0)
            return -1;
    }
    return 0;
}

/* Whether name has the '/'-separated part word. */
static int has_part(const char *name, const char *word)
{
    size_t n = strlen(word);
    const char *s;

    for (s = strchr(name, '/'); s; s = strchr(s + 1, '/'))
        if (strncmp(s + 1, word, n) == 0 && (s[n + 1] == '\0' || s[n + 1] == '/'))
            return 1;
    return 0;
}

/* Whether the rates of this instance were divided by real (or manual)
 * time rather than CPU time: Google Benchmark then appends that to its
 * name (UseRealTime, UseManualTime). */
static int rates_by_real_time(const char *name)
{
    return has_part(name, "real_time") || has_part(name, "manual_time");
}

/* rate per second times the seconds of one iteration: the amount per
 * operation, rounded when it is an integer but for the printing. */
static double per_op(double rate, double seconds)
{
    double x = rate * seconds, r = nearbyint(x);

    if (r != 0 && fabs(x - r) <= 1e-9 * fabs(r))
        return r;
    return x;
}

static const struct time_unit {
    const char *name;
    double ns;
} time_units[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};

/* The benchmark of that run_name, made on first sight. */
static struct bench *bench_of(struct gb *g, const char *name)
{
    const json_t *idx = json_object_get(g->seen, name);
    struct bench *b;

    if (idx)
        return &g->out->benches[json_integer_value(idx)];
    b = result_add_bench(g->out);
    if (!b)
        return NULL;
    b->name = strdup(name);
    if (!b->name || (g->binary && !(b->binary = strdup(g->binary))) || name_params(b) < 0 ||
        !bench_add_metric(b, "cpu", "ns", DIR_LOWER) ||
        json_object_set_new(g->seen, name, json_integer((json_int_t)(g->out->nbenches - 1))) != 0)
        return NULL;
    return b;
}

/* Whether an entry is an aggregate; *name its run_name (or name). */
static int entry_kind(const struct gb *g, const json_t *jb, const char *at, const char **name,
                      int *is_agg)
{
    const struct jr *rd = &g->rd;
    const char *rt = NULL, *nm = NULL;
    char path[JR_PATH_LEN], q[JR_QUOTE_BUF];

    *name = NULL;
    if (jr_get_cstr(rd, jb, at, "run_name", 0, name) < 0 ||
        jr_get_cstr(rd, jb, at, "name", 0, &nm) < 0 ||
        jr_get_cstr(rd, jb, at, "run_type", 0, &rt) < 0)
        return -1;
    jr_pathf(path, "%s.run_name", at);
    if (!*name)
        *name = nm;
    if (!*name)
        return jr_fail(rd, path, "missing");
    if (!**name)
        return jr_fail(rd, path, "expected a non-empty string");
    if (!rt) {
        *is_agg = json_object_get(jb, "aggregate_name") != NULL;
    } else if (strcmp(rt, "iteration") == 0 || strcmp(rt, "aggregate") == 0) {
        *is_agg = rt[0] == 'a';
    } else {
        jr_pathf(path, "%s.run_type", at);
        return jr_fail(rd, path, "unknown run type %s (expected iteration or aggregate)",
                       jr_quote(q, sizeof q, rt));
    }
    return 0;
}

double gb_time_unit(const char *unit)
{
    size_t i;

    for (i = 0; i < sizeof time_units / sizeof time_units[0]; i++)
        if (strcmp(unit, time_units[i].name) == 0)
            return time_units[i].ns;
    return 0;
}

int gb_is_counter(const char *name, size_t len)
{
    static const char *const own[] = {"family_index", "per_family_instance_index",
                                      "repetitions", "repetition_index", "threads",
                                      "iterations", "real_time", "cpu_time",
                                      "bytes_per_second", "items_per_second",
                                      "cpu_coefficient", "real_coefficient", "rms"};
    size_t i;

    if (len == 0 || memchr(name, '\0', len))
        return 0;
    for (i = 0; i < sizeof own / sizeof own[0]; i++)
        if (strlen(own[i]) == len && memcmp(own[i], name, len) == 0)
            return 0;
    return 1;
}

/* An iteration entry's user counters, in the object's order. */
static void read_counters(const json_t *jb, struct gb_entry *en)
{
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)jb, key, v) {
        if (en->nuc < GB_MAX_COUNTERS && json_is_number(v) &&
            isfinite(json_number_value(v)) && gb_is_counter(key, strlen(key))) {
            en->uc[en->nuc].name = key;
            en->uc[en->nuc].len = strlen(key);
            en->uc[en->nuc++].v = json_number_value(v);
        }
    }
}

/* An iteration entry's times and rates. */
static int read_sample(struct gb *g, const json_t *jb, const char *at, struct gb_entry *en)
{
    const struct jr *rd = &g->rd;
    char path[JR_PATH_LEN], q[JR_QUOTE_BUF];
    const char *unit = NULL;

    if (jr_get_int(rd, jb, at, "iterations", JR_REQ, 1, LLONG_MAX, &en->iters) < 0 ||
        jr_get_cstr(rd, jb, at, "time_unit", JR_REQ, &unit) < 0)
        return -1;
    if ((en->mult = gb_time_unit(unit)) == 0) {
        jr_pathf(path, "%s.time_unit", at);
        return jr_fail(rd, path, "unknown time unit %s (expected ns, us, ms or s)",
                       jr_quote(q, sizeof q, unit));
    }
    if (jr_get_num(rd, jb, at, "real_time", JR_REQ | JR_NONNEG, &en->real) < 0 ||
        jr_get_num(rd, jb, at, "cpu_time", JR_REQ | JR_NONNEG, &en->cpu) < 0 ||
        jr_get_num(rd, jb, at, "bytes_per_second", JR_NONNEG, &en->bps) < 0 ||
        jr_get_num(rd, jb, at, "items_per_second", JR_NONNEG, &en->ips) < 0)
        return -1;
    if (!isfinite(en->real * en->mult) || !isfinite(en->cpu * en->mult)) {
        jr_pathf(path, "%s.%s", at, isfinite(en->real * en->mult) ? "cpu_time" : "real_time");
        return jr_fail(rd, path, "too large to hold in ns");
    }
    read_counters(jb, en);
    return 0;
}

/* Entry idx of the document into en, checked as gb_entry_add takes it. */
static int read_entry(struct gb *g, const json_t *jb, size_t idx, struct gb_entry *en)
{
    const struct jr *rd = &g->rd;
    char at[JR_PATH_LEN];
    const char *msg = NULL, *agg = NULL;
    int failed = 0;

    memset(en, 0, sizeof *en);
    en->threads = 1;
    jr_pathf(at, "benchmarks[%zu]", idx);
    if (!json_is_object(jb))
        return jr_expected(rd, at, "object", jb);
    if (entry_kind(g, jb, at, &en->name, &en->is_agg) < 0)
        return -1;
    if (en->is_agg) {
        if (jr_get_cstr(rd, jb, at, "aggregate_name", 0, &agg) < 0)
            return -1;
        en->mean = agg && strcmp(agg, "mean") == 0 && json_object_get(jb, "run_name");
        return 0;
    }
    if (jr_get_int(rd, jb, at, "threads", 0, 1, LLONG_MAX, &en->threads) < 0 ||
        jr_get_bool(rd, jb, at, "error_occurred", 0, &failed) < 0 ||
        jr_get_cstr(rd, jb, at, "error_message", failed ? JR_REQ : 0, &msg) < 0)
        return -1;
    if (failed)
        en->error = msg;
    else if (msg)
        en->skip = msg;
    else
        return read_sample(g, jb, at, en);
    return 0;
}

int gb_entry_add(struct gb *g, const struct gb_entry *en, size_t idx)
{
    const struct jr *rd = &g->rd;
    struct bench *b;
    double secs;

    if (en->is_agg) {
        /* where the first mean aggregate of a run_name is (an aggregate
         * without run_name cannot be matched to its instance) */
        if (en->mean && !json_object_get(g->aggs, en->name) &&
            json_object_set_new(g->aggs, en->name, json_integer((json_int_t)idx)) != 0)
            return jr_oom(rd);
        return 0;
    }
    b = bench_of(g, en->name);
    if (!b || (en->threads > 1 && !has_param(b, "threads") &&
               bench_add_param_int(b, "threads", en->threads) < 0))
        return jr_oom(rd);
    if (en->error)
        return bench_set_error(b, "%s", en->error) ? 0 : jr_oom(rd);
    if (en->skip) {   /* error_occurred false: a skip (Google Benchmark 1.8) */
        if (!b->skipped && !(b->skipped = strdup(en->skip)))
            return jr_oom(rd);
        return 0;
    }
    if (doubles_append(&b->samples, &b->nsamples, en->real * en->mult) < 0 ||
        doubles_append(&b->metrics[0].samples, &b->metrics[0].nsamples, en->cpu * en->mult) < 0)
        return jr_oom(rd);
    for (size_t k = 0; k < en->nuc; k++) {
        char name[256];
        struct metric *m;

        snprintf(name, sizeof name, "%.*s", (int)en->uc[k].len, en->uc[k].name);
        if (!(m = bench_counter(b, name)) && !(m = bench_add_counter(b, name, 0)))
            return jr_oom(rd);
        while (m->nsamples + 1 < b->nsamples)   /* not in the repetitions before */
            if (doubles_append(&m->samples, &m->nsamples, NAN) < 0)
                return jr_oom(rd);
        if (m->nsamples + 1 == b->nsamples &&   /* once per sample */
            doubles_append(&m->samples, &m->nsamples, en->uc[k].v) < 0)
            return jr_oom(rd);
    }
    if (b->nsamples == 1) {
        b->iterations = (uint64_t)en->iters;
        secs = (rates_by_real_time(b->name) ? en->real : en->cpu) * en->mult / 1e9;
        b->bytes_per_op = per_op(en->bps, secs);
        b->items_per_op = per_op(en->ips, secs);
    }
    return 0;
}

/* A run_name with a mean aggregate and no iteration entry: the one that
 * appears first in the file. */
static int check_aggregates_only(struct gb *g)
{
    char at[JR_PATH_LEN], q[JR_QUOTE_BUF];
    const char *name, *first = NULL;
    long long idx = -1;
    json_t *v;

    json_object_foreach(g->aggs, name, v) {
        if (!json_object_get(g->seen, name) && (idx < 0 || json_integer_value(v) < idx)) {
            idx = json_integer_value(v);
            first = name;
        }
    }
    if (!first)
        return 0;
    jr_pathf(at, "benchmarks[%lld]", idx);
    return jr_fail(&g->rd, at,
                   "%s holds only aggregates: rerun without --benchmark_report_aggregates_only",
                jr_quote(q, sizeof q, first));
}

int gb_finish(struct gb *g)
{
    struct stats_opts so;
    size_t i;

    if (check_aggregates_only(g) < 0)
        return -1;
    if (g->out->nbenches == 0)
        return jr_fail(&g->rd, "benchmarks", "no benchmarks");
    stats_opts_default(&so);
    for (i = 0; i < g->out->nbenches; i++)
        bench_trim_counters(&g->out->benches[i]);
    for (i = 0; g->stats && i < g->out->nbenches; i++)
        if (bench_compute_stats(&g->out->benches[i], &so) < 0)
            return jr_oom(&g->rd);
    return 0;
}

static int read_benches(struct gb *g, const json_t *a)
{
    struct gb_entry en;
    size_t i;

    for (i = 0; i < json_array_size(a); i++)
        if (read_entry(g, json_array_get(a, i), i, &en) < 0 || gb_entry_add(g, &en, i) < 0)
            return -1;
    return gb_finish(g);
}

int gb_begin(struct gb *g, const char *name, const struct import_opts *io, struct result *out,
             struct err *e)
{
    memset(g, 0, sizeof *g);
    g->stats = !(io && io->no_stats);
    g->rd.name = name;
    g->rd.e = e;
    g->out = out;
    result_init(out);
    out->suite = import_suite_of(name);
    g->seen = json_object();
    g->aggs = json_object();
    if (!out->suite || !g->seen || !g->aggs)
        return jr_oom(&g->rd);
    return 0;
}

void gb_end(struct gb *g)
{
    json_decref(g->seen);
    json_decref(g->aggs);
    g->seen = g->aggs = NULL;
}

int gb_context(struct gb *g, const json_t *co)
{
    return read_context(&g->rd, co, &g->out->ctx, &g->binary);
}

int import_gbench(const json_t *root, const char *name, struct result *out, struct err *e)
{
    return import_gbench_with(root, name, NULL, out, e);
}

int import_gbench_with(const json_t *root, const char *name, const struct import_opts *io,
                       struct result *out, struct err *e)
{
    struct gb g;
    const json_t *co, *ba;
    int rc = -1;

    if (gb_begin(&g, name, io, out, e) < 0)
        goto done;
    if (!json_is_object(root)) {
        jr_expected(&g.rd, "$", "object", root);
        goto done;
    }
    if (jr_get_obj(&g.rd, root, "", "context", JR_REQ, &co) < 0 || gb_context(&g, co) < 0 ||
        jr_get_arr(&g.rd, root, "", "benchmarks", JR_REQ, &ba) < 0)
        goto done;
    rc = read_benches(&g, ba);
done:
    gb_end(&g);
    return rc;
}
