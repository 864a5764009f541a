/*
 * loadres.c: load runs as benchmarks of a result (see loadres.h), and the
 * summary `pacer load` prints.
 */
#include "loadres.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "jsonread.h"
#include "series.h"

static int metric_append(struct bench *b, const char *name, const char *unit,
                         enum direction dir, double v)
{
    struct metric *m = NULL;
    size_t i;

    for (i = 0; i < b->nmetrics; i++)
        if (!strcmp(b->metrics[i].name, name))
            m = &b->metrics[i];
    if (!m && !(m = bench_add_metric(b, name, unit, dir)))
        return -1;
    return doubles_append(&m->samples, &m->nsamples, v);
}

int load_bench_add(struct bench *b, const struct load_opts *o, const struct load_out *out)
{
    static const double ps[] = {50, 90, 99, 99.9, 99.99, 100};
    static const char *const names[] = {"latency.p50", "latency.p90", "latency.p99",
                                        "latency.p99.9", "latency.p99.99", "latency.max"};
    const struct mon_series *srv = out->mon.nseries > 1 ? &out->mon.series[0] : NULL;
    double tput = out->elapsed_s > 0 ? out->requests / out->elapsed_s : 0;
    uint64_t v[6];
    json_t *blk;
    size_t i;
    int rc = 0;

    if (b->nsamples == 0) {
        b->kind = KIND_LOAD;
        free(b->unit);
        b->unit = strdup(o->rate > 0 ? "ns" : "req/s");
        if (!b->unit)
            return -1;
        b->dir = o->rate > 0 ? DIR_LOWER : DIR_HIGHER;
        b->iterations = 1;
    }
    hist_percentiles(&out->latency, ps, 6, v);
    if (doubles_append(&b->samples, &b->nsamples, o->rate > 0 ? (double)v[2] : tput) < 0)
        return -1;
    /* each repetition is a run of its own, as a worker process is for a
     * micro benchmark: compare then takes its interval across them */
    {
        size_t *counts = realloc(b->proc_samples, b->nsamples * sizeof *counts);
        if (!counts)
            return -1;
        b->proc_samples = counts;
        counts[b->nsamples - 1] = 1;
        b->nproc_samples = b->nsamples;
        b->processes = (unsigned)b->nsamples;
    }
    rc |= metric_append(b, "throughput", "req/s", DIR_HIGHER, tput);
    for (i = 0; i < 6; i++)
        rc |= metric_append(b, names[i], "ns", DIR_LOWER, (double)v[i]);
    rc |= metric_append(b, "latency.mean", "ns", DIR_LOWER,
                        out->latency.count ? hist_mean(&out->latency) : 0);
    rc |= metric_append(b, "errors.rate", "ratio", DIR_LOWER,
                        out->requests + out->nerrors
                            ? (double)out->nerrors / (double)(out->requests + out->nerrors)
                            : 0);
    rc |= metric_append(b, "generator.cpu", "cores", DIR_LOWER,
                        out->elapsed_s > 0 ? (out->cpu_user + out->cpu_sys) / out->elapsed_s : 0);
    if (srv && srv->n >= 2) {
        struct mon_summary ms;
        mon_summarise(srv, out->mon_from, out->mon_to, &ms);
        rc |= metric_append(b, "server.cpu", "cores", DIR_LOWER, ms.cpu_mean);
        rc |= metric_append(b, "server.rss_max", "bytes", DIR_LOWER, ms.rss_max);
    }
    if (rc)
        return -1;
    if (!b->load && !(b->load = json_array()))
        return -1;
    blk = load_out_json(o, out);
    if (!blk || json_array_append_new(b->load, blk) < 0)
        return -1;
    return 0;
}

/* What load_bench_add records per repetition (loadres.h), and the
 * statistics bench_metric_value knows (limit.h). */
static const char *const load_metrics[] = {
    "throughput", "latency.p50", "latency.p90", "latency.p99", "latency.p99.9",
    "latency.p99.99", "latency.max", "latency.mean", "errors.rate", "generator.cpu",
    "server.cpu", "server.rss_max", NULL};
static const char *const sample_stats[] = {"median", "mean", "min", "max", "p5", "p25", "p50",
                                           "p75", "p95", "p99", "stddev", "mad", "cv", NULL};

static int in_list(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && !strncmp(*list, s, len))
            return 1;
    return 0;
}

int load_metric_known(const char *metric, const char **suggest)
{
    static const char *all[sizeof load_metrics / sizeof load_metrics[0] +
                           sizeof sample_stats / sizeof sample_stats[0]];
    const char *dot;
    size_t i, n = 0;

    *suggest = NULL;
    if (!strncmp(metric, "metrics.", 8))
        metric += 8;
    if (in_list(metric, strlen(metric), load_metrics) ||
        in_list(metric, strlen(metric), sample_stats))
        return 1;
    dot = strrchr(metric, '.');
    if (dot && in_list(metric, (size_t)(dot - metric), load_metrics) &&
        in_list(dot + 1, strlen(dot + 1), sample_stats))
        return 1;
    for (i = 0; load_metrics[i]; i++)
        all[n++] = load_metrics[i];
    for (i = 0; sample_stats[i]; i++)
        all[n++] = sample_stats[i];
    all[n] = NULL;
    *suggest = jr_suggest(metric, all);
    return 0;
}

/* ---- reading ---------------------------------------------------------------- */

static int need(const struct jr *rd, const json_t *o, const char *path, const char *key,
                int (*is)(const json_t *), const char *what, const json_t **out)
{
    char p[JR_PATH_LEN];
    const json_t *v = json_object_get(o, key);

    jr_join(p, path, key);
    if (!v)
        return jr_fail(rd, p, "missing");
    if (!is(v))
        return jr_expected(rd, p, what, v);
    if (out)
        *out = v;
    return 0;
}

static int is_obj(const json_t *v) { return json_is_object(v); }
static int is_count(const json_t *v) { return json_is_integer(v) && json_integer_value(v) >= 0; }
static int is_arr(const json_t *v) { return json_is_array(v); }

int load_block_check(const struct jr *rd, const json_t *load, const char *path)
{
    static const char *const counts[] = {"requests", "sent", "bytes", "late", "inflight_end",
                                         "unsent_end"};
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *blk, *lat = NULL, *errs = NULL;
    size_t i, k;
    struct hist h;

    if (!json_is_array(load))
        return jr_expected(rd, path, "array", load);
    json_array_foreach(load, i, blk) {
        jr_index(p, path, i);
        if (!json_is_object(blk))
            return jr_expected(rd, p, "object", blk);
        if (need(rd, blk, p, "settings", is_obj, "object", NULL) < 0)
            return -1;
        for (k = 0; k < sizeof counts / sizeof counts[0]; k++)
            if (need(rd, blk, p, counts[k], is_count, "integer >= 0", NULL) < 0)
                return -1;
        if (need(rd, blk, p, "errors", is_obj, "object", &errs) < 0 ||
            need(rd, errs, jr_join(q, p, "errors"), "total", is_count, "integer >= 0", NULL) < 0 ||
            need(rd, blk, p, "series", is_obj, "object", NULL) < 0 ||
            need(rd, blk, p, "monitor", is_arr, "array", NULL) < 0 ||
            need(rd, blk, p, "latency", is_obj, "object", &lat) < 0)
            return -1;
        if (hist_from_json(&h, lat, rd->name, jr_join(q, p, "latency"), rd->e) < 0)
            return -1;
        hist_free(&h);
        lat = json_object_get(blk, "latency_from_send");
        if (lat) {
            if (hist_from_json(&h, lat, rd->name, jr_join(q, p, "latency_from_send"), rd->e) < 0)
                return -1;
            hist_free(&h);
        }
    }
    return 0;
}

int load_merge_latency(const struct bench *b, int from_send, struct hist *h, struct err *e)
{
    const char *key = from_send ? "latency_from_send" : "latency";
    const json_t *blk;
    size_t i;
    int have = 0;

    memset(h, 0, sizeof *h);
    if (!b->load)
        return err_set(e, "%s: no load record", b->name);
    json_array_foreach(b->load, i, blk) {
        struct hist one;
        const json_t *lat = json_object_get(blk, key);
        if (!lat)
            continue;
        if (hist_from_json(&one, lat, b->name, key, e) < 0)
            goto fail;
        if (!have) {
            *h = one;
            have = 1;
            continue;
        }
        if (hist_merge(h, &one, e) < 0) {
            hist_free(&one);
            goto fail;
        }
        hist_free(&one);
    }
    if (!have)
        return err_set(e, "%s: no %s histogram", b->name, key);
    return 0;
fail:
    if (have)
        hist_free(h);
    return -1;
}
