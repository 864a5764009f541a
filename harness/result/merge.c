/* merge.c: the segments of a split load run merged into one result (merge.h). */
#include "merge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "isotime.h"
#include "jsonwrite.h"
#include "loadrep.h"

/* 1 when r has a benchmark of kind load. */
static int has_load(const struct result *r)
{
    size_t i;

    for (i = 0; i < r->nbenches; i++)
        if (r->benches[i].kind == KIND_LOAD && r->benches[i].nload)
            return 1;
    return 0;
}

/* A file that can be a segment at all. */
static int check_one(const struct result *r, const char *file, struct err *e)
{
    if (!r->seg.run_id)
        return err_set(e, "%s: not a segment of a load run (no \"segment\")", file);
    if (r->seg.index == 0)
        return err_set(e, "%s: already a merge of run %s, not a segment", file, r->seg.run_id);
    if (!has_load(r))
        return err_set(e, "%s: not a load result (no load benchmark)", file);
    return 0;
}

/* Two repetitions ran the same load: URL, loop, duration, warmup and the
 * stages' durations (the connections or rate of each are its share). */
static int same_settings(const struct load_settings *a, const struct load_settings *b,
                         const char **what)
{
    size_t i;

    *what = strcmp(a->url, b->url) ? "URL" : a->open != b->open ? "loop (open or closed)"
            : a->duration_ns != b->duration_ns                  ? "duration"
            : a->warmup_ns != b->warmup_ns                      ? "warmup"
            : a->nstages != b->nstages                          ? "stages"
                                                                : NULL;
    for (i = 0; !*what && i < a->nstages; i++)
        if (a->stages[i].duration_ns != b->stages[i].duration_ns)
            *what = "stages";
    return *what == NULL;
}

/* b ran what a ran: the same load benchmarks, repetitions and settings. */
static int check_same(const struct result *a, const char *fa, const struct result *b,
                      const char *fb, struct err *e)
{
    const char *what;
    size_t i, k;

    for (i = 0; i < a->nbenches; i++) {
        const struct bench *x = &a->benches[i], *y;
        if (x->kind != KIND_LOAD)
            continue;
        if (!(y = result_find(b, x->name)) || y->kind != KIND_LOAD)
            return err_set(e, "%s and %s: different loads (%s is not in the second)", fa, fb,
                           x->name);
        if (x->nload != y->nload)
            return err_set(e, "%s and %s: %s: %zu repetitions against %zu", fa, fb, x->name,
                           x->nload, y->nload);
        for (k = 0; k < x->nload; k++)
            if (!same_settings(&x->load[k].set, &y->load[k].set, &what))
                return err_set(e, "%s and %s: %s: different settings (%s)", fa, fb, x->name,
                               what);
    }
    return 0;
}

/* Same run, same count, each index once, none missing (unless partial). */
static int check_run(const struct result *segs, const char *const *files, size_t n, int partial,
                     unsigned *missing, struct err *e)
{
    const struct result *a = &segs[0];
    unsigned idx, first_missing = 0;
    size_t i, j;

    for (i = 1; i < n; i++) {
        const struct result *b = &segs[i];
        if (strcmp(a->seg.run_id, b->seg.run_id))
            return err_set(e, "%s and %s: segments of different runs (%s, %s)", files[0],
                           files[i], a->seg.run_id, b->seg.run_id);
        if (a->seg.count != b->seg.count)
            return err_set(e, "%s and %s: run %s split in %u and in %u segments", files[0],
                           files[i], a->seg.run_id, a->seg.count, b->seg.count);
        for (j = 0; j < i; j++)
            if (segs[j].seg.index == b->seg.index)
                return err_set(e, "%s and %s: both segment %u of run %s", files[j], files[i],
                               b->seg.index, b->seg.run_id);
        if (check_same(a, files[0], b, files[i], e) < 0)
            return -1;
    }
    *missing = 0;
    for (idx = 1; idx <= a->seg.count; idx++) {
        for (i = 0; i < n && segs[i].seg.index != idx; i++)
            ;
        if (i == n && !(*missing)++)
            first_missing = idx;
    }
    if (*missing && !partial)
        return err_set(e, "segments of run %s: %u of %u is missing%s", a->seg.run_id,
                       first_missing, a->seg.count,
                       *missing > 1 ? " (and others; --partial merges what is there)"
                                    : " (--partial merges what is there)");
    return 0;
}

/* Why r cannot be trusted whole (interrupted, a benchmark failed), or NULL. */
static const char *incomplete(const struct result *r)
{
    size_t i, k;

    if (!r->complete)
        return "interrupted";
    for (i = 0; i < r->nbenches; i++) {
        if (r->benches[i].error)
            return "a benchmark failed";
        for (k = 0; k < r->benches[i].nload; k++)
            if (!r->benches[i].load[k].complete)
                return "stopped early";
    }
    return NULL;
}

/* x + y where either may be unknown (NaN): the known one, or NaN. */
static double add_known(double x, double y)
{
    return isnan(x) ? y : isnan(y) ? x : x + y;
}

static uint64_t max_u64(uint64_t x, uint64_t y)
{
    return x > y ? x : y;
}

/* src's series added into dst's, interval by interval.  Every segment
 * starts its warmup at the agreed wall-clock time (start_at), so interval
 * i of each covers the same wall-clock window, up to the spread of their
 * starts (in the record).  Counts, target and achieved (connections or
 * rates, each a share) add up; an interval's percentiles cannot be
 * recovered from the segments' percentiles, so it keeps the highest of
 * them (an upper bound).  Only series of the same interval; intervals
 * beyond src's stay dst's alone. */
static void series_add(struct load_rep *dst, const struct load_rep *src)
{
    size_t i;
    int c;

    if (dst->interval_ns != src->interval_ns)
        return;
    for (i = 0; i < dst->niv && i < src->niv; i++) {
        struct load_interval *d = &dst->iv[i];
        const struct load_interval *s = &src->iv[i];
        d->requests += s->requests;
        d->sent += s->sent;
        for (c = 0; c < LC_NCLASS; c++)
            d->errors[c] += s->errors[c];
        d->late += s->late;
        d->bytes += s->bytes;
        d->p50 = max_u64(d->p50, s->p50);
        d->p90 = max_u64(d->p90, s->p90);
        d->p99 = max_u64(d->p99, s->p99);
        d->p999 = max_u64(d->p999, s->p999);
        d->max = max_u64(d->max, s->max);
        d->target = add_known(d->target, s->target);
        d->achieved = add_known(d->achieved, s->achieved);
    }
}

/* src's kinds of error added into dst's (the same class, errno and text
 * are one kind). */
static int errnos_add(struct load_rep *dst, const struct load_rep *src)
{
    size_t i, j;

    for (j = 0; j < src->nerrnos; j++) {
        const struct load_rep_errno *s = &src->errnos[j];
        struct load_rep_errno *grown;
        for (i = 0; i < dst->nerrnos; i++) {
            struct load_rep_errno *d = &dst->errnos[i];
            if (d->cls == s->cls && d->errnum == s->errnum &&
                !strcmp(d->text ? d->text : "", s->text ? s->text : ""))
                break;
        }
        if (i < dst->nerrnos) {
            dst->errnos[i].count += s->count;
            continue;
        }
        if (!(grown = realloc(dst->errnos, (dst->nerrnos + 1) * sizeof *grown)))
            return -1;
        dst->errnos = grown;
        grown[dst->nerrnos] = *s;
        if (s->text && !(grown[dst->nerrnos].text = strdup(s->text)))
            return -1;
        dst->nerrnos++;
    }
    return 0;
}

/* src's monitor series appended to dst's, each labelled "HOST:label" (the
 * segment's number in place of an unknown host).  Their times stay on
 * src's monitor's clock. */
static int mon_add(struct load_rep *dst, const struct load_rep *src, const char *host,
                   unsigned index)
{
    struct load_rep_mon *grown;
    char num[16];
    size_t i;

    snprintf(num, sizeof num, "segment%u", index);
    for (i = 0; i < src->nmon; i++) {
        const struct load_rep_mon *s = &src->mon[i];
        struct load_rep_mon *d;
        size_t len = strlen(host ? host : num) + strlen(s->label) + 2;
        if (!(grown = realloc(dst->mon, (dst->nmon + 1) * sizeof *grown)))
            return -1;
        dst->mon = grown;
        d = &grown[dst->nmon];
        *d = *s;
        d->rows = NULL;
        d->label = malloc(len);
        if (s->nrows && (d->rows = malloc(s->nrows * sizeof *d->rows)))
            memcpy(d->rows, s->rows, s->nrows * sizeof *d->rows);
        if (!d->label || (s->nrows && !d->rows)) {
            free(d->label);
            free(d->rows);
            return -1;
        }
        snprintf(d->label, len, "%s:%s", host ? host : num, s->label);
        dst->nmon++;
    }
    return 0;
}

/* The counts and figures of src added into dst. */
static void counts_add(struct load_rep *d, const struct load_rep *s)
{
    int c;

    d->complete = d->complete && s->complete;
    d->elapsed_ns = max_u64(d->elapsed_ns, s->elapsed_ns);
    d->requests += s->requests;
    d->sent += s->sent;
    d->bytes += s->bytes;
    d->connects += s->connects;
    d->throughput = add_known(d->throughput, s->throughput);
    d->late += s->late;
    d->queued += s->queued;
    d->inflight_end += s->inflight_end;
    d->unsent_end += s->unsent_end;
    d->due += s->due;
    d->no_conn += s->no_conn;
    d->late_wake += s->late_wake;
    d->warm_requests += s->warm_requests;
    d->warm_errors += s->warm_errors;
    d->server_closed += s->server_closed;
    for (c = 0; c < LC_NCLASS; c++)
        d->errors[c] += s->errors[c];
    d->errors_total += s->errors_total;
    d->set.connections += s->set.connections;
    d->set.threads += s->set.threads;
    d->set.rate += s->set.rate;
    d->gen.cpu_user += s->gen.cpu_user;
    d->gen.cpu_sys += s->gen.cpu_sys;
    d->gen.busy_max = fmax(d->gen.busy_max, s->gen.busy_max);
    d->gen.wait_max = fmax(d->gen.wait_max, s->gen.wait_max);
    d->gen.reads += s->gen.reads;
    d->gen.stamped_reads += s->gen.stamped_reads;
    d->gen.naps += s->gen.naps;
}

/* One repetition of another segment added into d. */
static int rep_add(struct load_rep *d, const struct load_rep *s, const char *host,
                   unsigned index, struct err *e)
{
    size_t i;

    if (hist_merge(&d->latency, &s->latency, e) < 0)
        return -1;
    if (d->from_send && s->from_send && hist_merge(&d->latency_sent, &s->latency_sent, e) < 0)
        return -1;
    d->from_send = d->from_send && s->from_send;
    counts_add(d, s);
    if (!s->valid && d->valid) {
        d->valid = 0;
        free(d->invalid_reason);
        d->invalid_reason = s->invalid_reason ? strdup(s->invalid_reason) : NULL;
    }
    for (i = 0; i < d->set.nstages && i < s->set.nstages; i++)
        d->set.stages[i].target += s->set.stages[i].target;
    series_add(d, s);
    if (errnos_add(d, s) < 0 || mon_add(d, s, host, index) < 0)
        return err_set(e, "out of memory");
    load_pct_of(&d->pct, &d->latency);
    if (d->from_send)
        load_pct_of(&d->pct_sent, &d->latency_sent);
    return 0;
}

/* Repetition k's value of b's metric of that name, when it has one. */
static void metric_put(struct bench *b, const char *name, size_t k, double v)
{
    struct metric *m = bench_metric(b, name);

    if (m && k < m->nsamples)
        m->samples[k] = v;
}

/* b's samples and metrics recomputed from its merged records, as
 * load_bench_add makes them (loadres.c); checks.failed is merge_into's;
 * metrics of the server stay the first segment's (its monitor: with one
 * server, only the segment that started it has one). */
static int bench_refresh(struct bench *b)
{
    size_t k;
    int i;

    for (k = 0; k < b->nload && k < b->nsamples; k++) {
        const struct load_rep *r = &b->load[k];
        double s = r->elapsed_ns / 1e9;
        uint64_t status = r->errors[LC_STATUS_4XX] + r->errors[LC_STATUS_5XX] +
                          r->errors[LC_TOO_LARGE];
        double attempts = (double)r->requests + (double)(r->errors_total - status);
        b->samples[k] = r->set.open ? (double)r->pct.p[LOAD_P99] : r->throughput;
        metric_put(b, "throughput", k, r->throughput);
        for (i = 0; i < LOAD_NPCT; i++)
            metric_put(b, load_pct_metrics[i], k, (double)r->pct.p[i]);
        metric_put(b, "latency.mean", k, r->latency.count ? hist_mean(&r->latency) : 0);
        metric_put(b, "errors.rate", k, attempts > 0 ? (double)r->errors_total / attempts : 0);
        metric_put(b, "generator.cpu", k, s > 0 ? (r->gen.cpu_user + r->gen.cpu_sys) / s : 0);
    }
    return bench_compute_stats(b, NULL);
}

/* When a segment began: its agreed start plus its lag when both are
 * known, else the time of its result (seconds since the epoch), or NaN. */
static double began(const struct result *r)
{
    double t;

    if (r->seg.start_at && iso_time_parse(r->seg.start_at, &t) == 0)
        return isnan(r->seg.start_lag_s) ? t : t + r->seg.start_lag_s;
    if (r->ctx.time && iso_time_parse(r->ctx.time, &t) == 0)
        return t;
    return NAN;
}

/* The generator's figures of r over all its load repetitions: CPU seconds
 * (user and system) and the busiest thread's share at most. */
static void generator_of(const struct result *r, double *cpu_user, double *cpu_sys,
                         double *busy_max)
{
    size_t i, k;

    *cpu_user = *cpu_sys = 0;
    *busy_max = NAN;
    for (i = 0; i < r->nbenches; i++)
        for (k = 0; k < r->benches[i].nload; k++) {
            const struct load_gen *g = &r->benches[i].load[k].gen;
            *cpu_user = add_known(*cpu_user, g->cpu_user);
            *cpu_sys = add_known(*cpu_sys, g->cpu_sys);
            *busy_max = isnan(*busy_max) ? g->busy_max : fmax(*busy_max, g->busy_max);
        }
}

/* The record of one segment merged: where and when it ran, its clock, its
 * generator. */
static json_t *segment_entry(const struct result *r, const char *file)
{
    json_t *o = json_object(), *g = json_object();
    double user, sys, busy;
    int rc = 0;

    generator_of(r, &user, &sys, &busy);
    rc |= jw_put(g, "cpu_user", jw_real(user));
    rc |= jw_put(g, "cpu_sys", jw_real(sys));
    rc |= jw_put(g, "busy_max", jw_real(busy));
    rc |= jw_put(o, "generator", g);

    rc |= jw_put(o, "index", json_integer(r->seg.index));
    rc |= jw_put(o, "file", jw_str(file));
    rc |= jw_put(o, "host", jw_str(r->ctx.hostname));
    rc |= jw_put(o, "start", jw_str(r->seg.start_at ? r->seg.start_at : r->ctx.time));
    rc |= jw_put(o, "start_lag_s", jw_real(r->seg.start_lag_s));
    rc |= jw_put(o, "clock_offset_s", jw_real(r->seg.clock_offset_s));
    rc |= jw_put(o, "clock_max_error_s", jw_real(r->seg.clock_maxerror_s));
    rc |= jw_put(o, "clock_synced", r->seg.clock_synced < 0 ? json_null()
                                    : json_boolean(r->seg.clock_synced));
    rc |= jw_put(o, "complete", json_boolean(incomplete(r) == NULL));
    return jw_done(o, rc);
}

/* The merge's record (merge.h), and the spread of the starts into info. */
static json_t *record(const struct result *segs, const char *const *files, size_t n,
                      struct merge_info *info)
{
    json_t *o = json_object(), *a = json_array(), *miss = json_array();
    double lo = INFINITY, hi = -INFINITY;
    unsigned idx;
    size_t i;
    int rc = 0, unknown = 0;

    for (i = 0; i < n; i++) {
        double t = began(&segs[i]);
        unknown |= isnan(t);
        lo = fmin(lo, t);
        hi = fmax(hi, t);
        rc |= jw_push(a, segment_entry(&segs[i], files[i]));
    }
    for (idx = 1; idx <= segs[0].seg.count; idx++) {
        for (i = 0; i < n && segs[i].seg.index != idx; i++)
            ;
        if (i == n)
            rc |= jw_push(miss, json_integer(idx));
    }
    info->start_spread_s = unknown ? NAN : hi - lo;
    rc |= jw_put(o, "segments", a);
    rc |= jw_put(o, "missing", miss);
    rc |= jw_put(o, "start_spread_s", jw_real(info->start_spread_s));
    return jw_done(o, rc);
}

/* The share of failed checks of repetition r over all segments: each
 * segment's weighted by its requests (they ran the same flows, so their
 * checks per request are alike).  NaN where no segment has it. */
static double checks_failed(const struct result *segs, size_t n, const char *name, size_t r)
{
    double num = 0, den = 0;
    size_t j;

    for (j = 0; j < n; j++) {
        const struct bench *y = result_find(&segs[j], name);
        const struct metric *m = y ? bench_metric(y, "checks.failed") : NULL;
        if (!m || r >= m->nsamples || r >= y->nload)
            continue;
        num += m->samples[r] * (double)y->load[r].requests;
        den += (double)y->load[r].requests;
    }
    return den > 0 ? num / den : NAN;
}

/* Every other segment's records added into the load benchmarks of
 * segs[k]; their samples and metrics recomputed. */
static int merge_into(struct result *segs, const char *const *files, size_t n, size_t k,
                      struct err *e)
{
    struct result *out = &segs[k];
    struct err le = {0};
    size_t i, j, r;

    for (i = 0; i < out->nbenches; i++) {
        struct bench *x = &out->benches[i];
        double *failed;
        if (x->kind != KIND_LOAD)
            continue;
        if (!(failed = malloc((x->nload + 1) * sizeof *failed)))
            return err_set(e, "out of memory");
        for (r = 0; r < x->nload; r++)   /* before the requests add up */
            failed[r] = checks_failed(segs, n, x->name, r);
        for (j = 0; j < n; j++) {
            const struct bench *y = j == k ? NULL : result_find(&segs[j], x->name);
            for (r = 0; y && r < x->nload; r++)
                if (rep_add(&x->load[r], &y->load[r], segs[j].ctx.hostname, segs[j].seg.index,
                            &le) < 0) {
                    free(failed);
                    return err_set(e, "%s and %s: %s: %s", files[k], files[j], x->name,
                                   le.msg);
                }
        }
        for (r = 0; r < x->nload; r++)
            if (!isnan(failed[r]))
                metric_put(x, "checks.failed", r, failed[r]);
        free(failed);
        if (bench_refresh(x) < 0)
            return err_set(e, "%s: out of memory", x->name);
    }
    return 0;
}

enum merge_status merge_segments(struct result *segs, const char *const *files, size_t n,
                                 int partial, size_t *into, struct merge_info *info,
                                 struct err *e)
{
    struct result *out;
    const char *why;
    size_t i, k = 0;
    int whole = 1;

    memset(info, 0, sizeof *info);
    if (n == 0)
        return err_set(e, "no segment to merge"), MERGE_BAD;
    for (i = 0; i < n; i++)
        if (check_one(&segs[i], files[i], e) < 0)
            return MERGE_BAD;
    if (check_run(segs, files, n, partial, &info->missing, e) < 0)
        return MERGE_BAD;
    for (i = 0; i < n; i++) {
        if ((why = incomplete(&segs[i])) && !partial) {
            err_set(e, "%s: segment %u of run %s is incomplete (%s; --partial merges it)",
                    files[i], segs[i].seg.index, segs[i].seg.run_id, why);
            return MERGE_INCOMPLETE;
        }
        whole = whole && !why;
        if (segs[i].seg.index < segs[k].seg.index)
            k = i;
    }
    out = &segs[k];
    json_decref(out->merge);
    if (!(out->merge = record(segs, files, n, info)))
        return err_set(e, "out of memory"), MERGE_BAD;
    if (merge_into(segs, files, n, k, e) < 0)
        return MERGE_BAD;
    for (i = 0; i < n; i++)
        if (!out->seg.start_at || !segs[i].seg.start_at ||
            strcmp(out->seg.start_at, segs[i].seg.start_at)) {
            free(out->seg.start_at);
            out->seg.start_at = NULL;
        }
    out->seg.index = 0;
    out->seg.start_lag_s = out->seg.clock_offset_s = out->seg.clock_maxerror_s = NAN;
    out->seg.clock_synced = -1;
    out->complete = whole && info->missing == 0;
    info->merged = n;
    *into = k;
    return MERGE_OK;
}
