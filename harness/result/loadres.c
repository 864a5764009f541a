/*
 * loadres.c: load runs as benchmarks of a result (see loadres.h): their
 * samples, metrics and records, and the latency of all their repetitions.
 */
#include "loadres.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "loadrep.h"
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
    const struct mon_series *srv = monitor_series(&out->mon, "server");
    double tput = out->elapsed_s > 0 ? out->requests / out->elapsed_s : 0;
    struct load_rep *reps;
    uint64_t v[LOAD_NPCT];
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
    hist_percentiles(&out->latency, load_pct_ranks, LOAD_NPCT, v);
    if (doubles_append(&b->samples, &b->nsamples, o->rate > 0 ? (double)v[LOAD_P99] : tput) < 0)
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
    for (i = 0; i < LOAD_NPCT; i++)
        rc |= metric_append(b, load_pct_metrics[i], "ns", DIR_LOWER, (double)v[i]);
    rc |= metric_append(b, "latency.mean", "ns", DIR_LOWER,
                        out->latency.count ? hist_mean(&out->latency) : 0);
    rc |= metric_append(b, "errors.rate", "ratio", DIR_LOWER, load_error_rate(out));
    if (o->flows)
        rc |= metric_append(b, "checks.failed", "ratio", DIR_LOWER,
                            out->checks ? (double)out->checks_failed / (double)out->checks : 0);
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
    reps = realloc(b->load, (b->nload + 1) * sizeof *reps);
    if (!reps)
        return -1;
    b->load = reps;
    if (load_rep_from_run(&b->load[b->nload], o, out, NULL) < 0)
        return -1;
    b->nload++;
    return 0;
}

/* b's part named b->name/what:name, made (load, in b's loop's unit) when
 * it is not there yet. */
static struct bench *part_of(struct bench *b, const char *what, const char *name)
{
    size_t i, len = strlen(b->name ? b->name : "") + strlen(what) + strlen(name) + 3;
    char *full = malloc(len);
    struct bench *p;

    if (!full)
        return NULL;
    snprintf(full, len, "%s/%s:%s", b->name ? b->name : "", what, name);
    for (i = 0; i < b->nparts; i++)
        if (!strcmp(b->parts[i].name, full)) {
            free(full);
            return &b->parts[i];
        }
    if (!(p = bench_add_part(b))) {
        free(full);
        return NULL;
    }
    p->name = full;
    p->kind = KIND_LOAD;
    return p;
}

/* out seen as one step's run (or a flow's: its iterations as requests,
 * their duration as latency): the window, CPU and settings of the whole;
 * no series, no monitor, the step's own counts. */
static void view_base(struct load_out *v, const struct load_out *out)
{
    *v = *out;
    v->errnos = NULL;
    v->nerrnos = 0;
    v->iv = NULL;
    v->niv = 0;
    v->steps = NULL;
    v->nsteps = 0;
    v->flows = NULL;
    v->nflows = 0;
    memset(&v->mon, 0, sizeof v->mon);
    memset(v->errors, 0, sizeof v->errors);
    v->nerrors = 0;
    v->sent = v->due = v->late = v->queued = v->no_conn = v->late_wake = 0;
    v->inflight_end = v->unsent_end = v->warm_requests = v->warm_errors = 0;
}

int load_bench_add_parts(struct bench *b, const struct load_opts *o, const struct load_out *out)
{
    struct load_out v;
    size_t i;
    int c;

    for (i = 0; i < out->nsteps; i++) {
        const struct load_step_out *so = &out->steps[i];
        struct bench *p = part_of(b, "step", so->name);
        if (!p)
            return -1;
        view_base(&v, out);
        v.latency = so->latency;
        v.latency_sent = so->latency_sent;
        v.requests = v.sent = so->requests;
        for (c = 0; c < LC_NCLASS; c++)
            v.errors[c] = so->errors[c];
        v.nerrors = so->nerrors;
        v.checks = so->checks;
        v.checks_failed = so->checks_failed;
        if (load_bench_add(p, o, &v) < 0)
            return -1;
    }
    for (i = 0; i < out->nflows; i++) {
        const struct load_flow_out *fo = &out->flows[i];
        struct bench *p = part_of(b, "flow", fo->name);
        if (!p)
            return -1;
        view_base(&v, out);
        v.latency = fo->duration;
        v.latency_sent = fo->duration;
        v.requests = v.sent = fo->iterations;
        v.checks = v.checks_failed = 0;
        if (load_bench_add(p, o, &v) < 0)
            return -1;
    }
    return 0;
}

/* What load_bench_add records per repetition (loadres.h), and the
 * statistics bench_metric_value knows (limit.h). */
static const char *const load_metrics[] = {
    "throughput", "latency.p50", "latency.p90", "latency.p95", "latency.p99", "latency.p99.9",
    "latency.p99.99", "latency.max", "latency.mean", "errors.rate", "checks.failed",
    "generator.cpu", "server.cpu", "server.rss_max", "capacity", NULL};
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

int load_merge_latency(const struct bench *b, int from_send, struct hist *h, struct err *e)
{
    size_t i;
    int have = 0;

    memset(h, 0, sizeof *h);
    if (!b->nload)
        return err_set(e, "%s: no load record", b->name);
    for (i = 0; i < b->nload; i++) {
        const struct load_rep *r = &b->load[i];
        const struct hist *one = from_send ? &r->latency_sent : &r->latency;

        if (from_send && !r->from_send)
            continue;
        if (!have) {
            if (hist_init(h, one->digits, one->highest, e) < 0)
                return -1;
            have = 1;
        }
        if (hist_merge(h, one, e) < 0) {
            hist_free(h);
            return -1;
        }
    }
    if (!have)
        return err_set(e, "%s: no %s histogram", b->name,
                       from_send ? "latency from send" : "latency");
    return 0;
}
