/*
 * loadrep.c: a load repetition (loadrep.h): the record built from a
 * finished run, its JSON block written, and the records freed.  The
 * reader is loadrep_read.c, the histograms' encoding loadrep_hist.c.
 */
#include "loadrep.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonwrite.h"
#include "loadrep_private.h"

/* ---- the names of the fields -------------------------------------------------- */

#define FIELD(T, m) { #m, offsetof(T, m) }

const struct load_field load_counts[LOAD_NCOUNTS] = {
    FIELD(struct load_rep, elapsed_ns),   FIELD(struct load_rep, requests),
    FIELD(struct load_rep, sent),         FIELD(struct load_rep, bytes),
    FIELD(struct load_rep, connects),     FIELD(struct load_rep, late),
    FIELD(struct load_rep, queued),       FIELD(struct load_rep, inflight_end),
    FIELD(struct load_rep, unsent_end),
};

const struct load_field load_counts_opt[LOAD_NCOUNTS_OPT] = {
    FIELD(struct load_rep, due),          { "no_free_connection", offsetof(struct load_rep, no_conn) },
    FIELD(struct load_rep, late_wake),    { "warmup_requests", offsetof(struct load_rep, warm_requests) },
    { "warmup_errors", offsetof(struct load_rep, warm_errors) },
    FIELD(struct load_rep, server_closed),
};

const struct load_field load_times[LOAD_NTIMES] = {
    FIELD(struct load_settings, duration_ns), FIELD(struct load_settings, warmup_ns),
    FIELD(struct load_settings, timeout_ns),  FIELD(struct load_settings, late_ns),
};

const double load_pct_ranks[LOAD_NPCT] = {50, 90, 95, 99, 99.9, 99.99, 100};
const char *const load_pct_keys[LOAD_NPCT] = {"p50", "p90", "p95", "p99", "p99.9", "p99.99", "max"};
const char *const load_pct_metrics[LOAD_NPCT] = {
    "latency.p50", "latency.p90", "latency.p95", "latency.p99",
    "latency.p99.9", "latency.p99.99", "latency.max"};

const struct load_field load_iv_counts[LOAD_NIVCOUNTS] = {
    FIELD(struct load_interval, requests), FIELD(struct load_interval, sent),
    FIELD(struct load_interval, late),     FIELD(struct load_interval, bytes),
    FIELD(struct load_interval, p50),      FIELD(struct load_interval, p90),
    FIELD(struct load_interval, p99),      { "p99.9", offsetof(struct load_interval, p999) },
    FIELD(struct load_interval, max),
};

const struct load_field load_mon_reals[LOAD_MON_NREALS] = {
    FIELD(struct mon_row, t), FIELD(struct mon_row, cpu_user), FIELD(struct mon_row, cpu_sys),
};

const struct load_field load_mon_ints[LOAD_MON_NINTS] = {
    FIELD(struct mon_row, rss),         FIELD(struct mon_row, threads),
    FIELD(struct mon_row, fds),         FIELD(struct mon_row, vol_ctxsw),
    FIELD(struct mon_row, invol_ctxsw), FIELD(struct mon_row, read_bytes),
    FIELD(struct mon_row, write_bytes), FIELD(struct mon_row, procs),
};

const struct load_field load_summary[LOAD_NSUMMARY] = {
    FIELD(struct mon_summary, duration),          FIELD(struct mon_summary, cpu_mean),
    FIELD(struct mon_summary, cpu_max),           FIELD(struct mon_summary, cpu_user_mean),
    FIELD(struct mon_summary, cpu_sys_mean),      FIELD(struct mon_summary, rss_mean),
    FIELD(struct mon_summary, rss_max),           FIELD(struct mon_summary, threads_max),
    FIELD(struct mon_summary, fds_max),           FIELD(struct mon_summary, ctxsw_per_s),
    FIELD(struct mon_summary, invol_ctxsw_per_s), FIELD(struct mon_summary, read_bytes_per_s),
    FIELD(struct mon_summary, write_bytes_per_s),
};

const char *const load_tcp_cols[LOAD_TCP_NCOLS] = {"listen", "established", "other", "ports"};

const struct load_field load_net_ints[LOAD_NET_NINTS] = {
    { "lo.rx_bytes", offsetof(struct mon_net_row, lo_rx_bytes) },
    { "lo.tx_bytes", offsetof(struct mon_net_row, lo_tx_bytes) },
    { "lo.rx_packets", offsetof(struct mon_net_row, lo_rx_packets) },
    { "lo.tx_packets", offsetof(struct mon_net_row, lo_tx_packets) },
    { "other.rx_bytes", offsetof(struct mon_net_row, rx_bytes) },
    { "other.tx_bytes", offsetof(struct mon_net_row, tx_bytes) },
    { "other.rx_packets", offsetof(struct mon_net_row, rx_packets) },
    { "other.tx_packets", offsetof(struct mon_net_row, tx_packets) },
    { "tcp_time_wait", offsetof(struct mon_net_row, time_wait) },
};

const char *const load_modes[2] = {"closed", "open"};
const char *const load_arrivals[2] = {"constant", "poisson"};

const char *load_series_column(size_t i, char *buf, size_t size)
{
    if (i == 0)
        snprintf(buf, size, "t");
    else if (i <= LOAD_NIVCOUNTS)
        snprintf(buf, size, "%s", load_iv_counts[i - 1].key);
    else if (i >= 1 + LOAD_NIVCOUNTS + LC_NCLASS)
        snprintf(buf, size, "%s", i == 1 + LOAD_NIVCOUNTS + LC_NCLASS ? "target" : "achieved");
    else
        snprintf(buf, size, "errors.%s",
                 load_class_name((enum load_class)(i - 1 - LOAD_NIVCOUNTS)));
    return buf;
}

/* ---- a record from a run ------------------------------------------------------ */

/* dst (initialised here) as a copy of src. */
static int hist_copy(struct hist *dst, const struct hist *src)
{
    if (hist_init(dst, src->digits, src->highest, NULL) < 0)
        return -1;
    return hist_merge(dst, src, NULL);
}

void load_pct_of(struct load_pct *p, const struct hist *h)
{
    memset(p, 0, sizeof *p);
    hist_percentiles(h, load_pct_ranks, LOAD_NPCT, p->p);
    p->have = h->count > 0;
    p->min = p->have ? h->min : 0;
    p->mean = hist_mean(h);
    p->stddev = hist_stddev(h);
}

static int settings_of(struct load_settings *s, const struct load_opts *o, unsigned out_threads)
{
    s->url = strdup(o->url_text ? o->url_text : "");
    s->open = o->rate > 0;
    s->connections = o->connections;
    s->threads = out_threads ? out_threads : o->threads;
    s->pipeline = o->pipeline;
    s->keepalive = o->keepalive;
    s->rate = o->rate;
    s->arrival = o->arrival;
    s->duration_ns = o->duration_ns;
    s->warmup_ns = o->warmup_ns;
    s->timeout_ns = o->timeout_ns;
    s->late_ns = o->late_ns;
    s->seed = o->seed;
    s->digits = o->digits;
    s->nap = o->nap;
    s->nstages = o->nstages ? o->nstages : o->nrate_stages;
    if (s->nstages) {
        if (!(s->stages = malloc(s->nstages * sizeof *s->stages)))
            return -1;
        memcpy(s->stages, o->nstages ? o->stages : o->rate_stages,
               s->nstages * sizeof *s->stages);
    }
    return s->url ? 0 : -1;
}

/* What an errno entry says: the system's text, the parser's reason, or
 * what a read error without one means. */
static const char *errno_text(const struct load_errno *en)
{
    if (en->errnum)
        return strerror(en->errnum);
    return load_errno_text(en) ? load_errno_text(en) : "";
}

static int errnos_of(struct load_rep *r, const struct load_out *out)
{
    size_t i;

    if (!out->nerrnos)
        return 0;
    r->errnos = calloc(out->nerrnos, sizeof *r->errnos);
    if (!r->errnos)
        return -1;
    r->nerrnos = out->nerrnos;
    for (i = 0; i < out->nerrnos; i++) {
        const struct load_errno *en = &out->errnos[i];

        r->errnos[i].cls = en->cls;
        r->errnos[i].errnum = en->errnum;
        r->errnos[i].count = en->count;
        if (!(r->errnos[i].text = strdup(errno_text(en))))
            return -1;
    }
    return 0;
}

static int series_of(struct load_rep *r, const struct load_opts *o, const struct load_out *out)
{
    r->interval_ns = o->interval_ns;
    if (!out->niv)
        return 0;
    r->iv = malloc(out->niv * sizeof *r->iv);
    if (!r->iv)
        return -1;
    memcpy(r->iv, out->iv, out->niv * sizeof *r->iv);
    r->niv = out->niv;
    return 0;
}

/* Every monitored tree, its summary over the measured window. */
static int monitor_of(struct load_rep *r, const struct load_out *out)
{
    size_t i;

    if (!out->mon.nseries)
        return 0;
    r->mon = calloc(out->mon.nseries, sizeof *r->mon);
    if (!r->mon)
        return -1;
    r->nmon = out->mon.nseries;
    for (i = 0; i < out->mon.nseries; i++) {
        const struct mon_series *s = &out->mon.series[i];
        struct load_rep_mon *m = &r->mon[i];

        m->label = strdup(s->label ? s->label : "");
        m->pid = s->pid;
        m->period_ns = out->mon.period_ns;
        m->gone = s->gone;
        mon_summarise(s, out->mon_from, out->mon_to, &m->summary);
        if (!m->label)
            return -1;
        if (s->n) {
            m->rows = malloc(s->n * sizeof *m->rows);
            if (!m->rows)
                return -1;
            memcpy(m->rows, s->rows, s->n * sizeof *m->rows);
            m->nrows = s->n;
        }
    }
    if (out->mon.net.n) {
        if (!(r->net = malloc(out->mon.net.n * sizeof *r->net)))
            return -1;
        memcpy(r->net, out->mon.net.rows, out->mon.net.n * sizeof *r->net);
        r->nnet = out->mon.net.n;
    }
    return 0;
}

int load_rep_from_run(struct load_rep *r, const struct load_opts *o, const struct load_out *out,
                      struct err *e)
{
    size_t c;

    memset(r, 0, sizeof *r);
    r->complete = out->complete;
    r->valid = out->valid;
    r->elapsed_ns = (uint64_t)(out->elapsed_s * 1e9 + 0.5);
    r->requests = out->requests;
    r->sent = out->sent;
    r->bytes = out->bytes;
    r->connects = out->connects;
    r->server_closed = out->server_closed;
    r->throughput = out->elapsed_s > 0 ? out->requests / out->elapsed_s : NAN;
    r->late = out->late;
    r->queued = out->queued;
    r->inflight_end = out->inflight_end;
    r->unsent_end = out->unsent_end;
    r->due = out->due;
    r->no_conn = out->no_conn;
    r->late_wake = out->late_wake;
    r->warm_requests = out->warm_requests;
    r->warm_errors = out->warm_errors;
    for (c = 0; c < LC_NCLASS; c++)
        r->errors[c] = out->errors[c];
    r->errors_total = out->nerrors;
    r->gen = (struct load_gen){ out->cpu_user, out->cpu_sys, out->busy_max, out->reads,
                                out->stamped, out->naps, out->wait_max, "" };
    snprintf(r->gen.io, sizeof r->gen.io, "%s", load_io_name(out->io));
    r->window_s[0] = out->mon_from;
    r->window_s[1] = out->mon_to;
    load_pct_of(&r->pct, &out->latency);
    r->from_send = o->rate > 0;
    if (r->from_send)
        load_pct_of(&r->pct_sent, &out->latency_sent);
    if (settings_of(&r->set, o, out->threads) < 0 ||
        (!out->valid && !(r->invalid_reason = strdup(out->invalid))) ||
        hist_copy(&r->latency, &out->latency) < 0 ||
        (r->from_send && hist_copy(&r->latency_sent, &out->latency_sent) < 0) ||
        errnos_of(r, out) < 0 || series_of(r, o, out) < 0 || monitor_of(r, out) < 0) {
        load_rep_free(r);
        return err_set(e, "out of memory");
    }
    return 0;
}

void load_rep_free(struct load_rep *r)
{
    size_t i;

    if (!r)
        return;
    free(r->set.url);
    free(r->set.stages);
    free(r->invalid_reason);
    hist_free(&r->latency);
    hist_free(&r->latency_sent);
    for (i = 0; i < r->nerrnos; i++)
        free(r->errnos[i].text);
    free(r->errnos);
    free(r->iv);
    for (i = 0; i < r->nmon; i++) {
        free(r->mon[i].label);
        free(r->mon[i].rows);
    }
    free(r->mon);
    free(r->net);
    memset(r, 0, sizeof *r);
}

void load_reps_free(struct load_rep *reps, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        load_rep_free(&reps[i]);
    free(reps);
}

/* ---- writing ------------------------------------------------------------------- */

static json_t *settings_json(const struct load_settings *s)
{
    json_t *o = json_object();
    size_t i;
    int rc = 0;

    rc |= jw_put(o, "url", json_string(s->url ? s->url : ""));
    rc |= jw_put(o, "mode", json_string(load_modes[s->open != 0]));
    rc |= jw_put(o, "connections", json_integer(s->connections));
    rc |= jw_put(o, "threads", json_integer(s->threads));
    rc |= jw_put(o, "pipeline", json_integer(s->pipeline));
    rc |= jw_put(o, "keepalive", json_boolean(s->keepalive));
    rc |= jw_put(o, "rate", jw_real(s->rate));
    rc |= jw_put(o, "arrival", json_string(load_arrivals[s->arrival == ARRIVAL_POISSON]));
    for (i = 0; i < LOAD_NTIMES; i++)
        rc |= jw_put(o, load_times[i].key, jw_count(*LOAD_AT_C(uint64_t, s, &load_times[i])));
    rc |= jw_put(o, "seed", json_integer((json_int_t)s->seed));
    rc |= jw_put(o, "digits", json_integer(s->digits));
    rc |= jw_put(o, "nap", json_boolean(s->nap));
    if (s->nstages) {
        json_t *a = json_array();
        for (i = 0; i < s->nstages && !rc; i++) {
            json_t *st = json_object();
            rc |= jw_put(st, "duration_ns", jw_count(s->stages[i].duration_ns));
            rc |= jw_put(st, "target", jw_real(s->stages[i].target));
            rc |= jw_push(a, jw_done(st, rc));
        }
        rc |= jw_put(o, "stages", jw_done(a, rc));
    }
    return jw_done(o, rc);
}

/* {} when there was no response. */
static json_t *pct_json(const struct load_pct *p)
{
    json_t *o = json_object();
    size_t i;
    int rc = 0;

    if (!p->have)
        return o;
    for (i = 0; i < LOAD_NPCT; i++)
        rc |= jw_put(o, load_pct_keys[i], jw_count(p->p[i]));
    rc |= jw_put(o, "min", jw_count(p->min));
    rc |= jw_put(o, "mean", jw_real(p->mean));
    rc |= jw_put(o, "stddev", jw_real(p->stddev));
    return jw_done(o, rc);
}

static json_t *errors_json(const struct load_rep *r)
{
    json_t *o = json_object();
    int c, rc = 0;

    /* a class added later (too_large) only when it counted some: a block
     * read from an older file is written back as it was */
    for (c = 0; c < LC_NCLASS; c++)
        if (c < LC_NCLASS_OLD || r->errors[c])
            rc |= jw_put(o, load_class_name((enum load_class)c), jw_count(r->errors[c]));
    rc |= jw_put(o, "total", jw_count(r->errors_total));
    return jw_done(o, rc);
}

static json_t *errnos_json(const struct load_rep *r)
{
    json_t *a = json_array();
    size_t i;
    int rc = 0;

    for (i = 0; i < r->nerrnos && !rc; i++) {
        const struct load_rep_errno *en = &r->errnos[i];
        json_t *o = json_object();

        rc |= jw_put(o, "class", json_string(load_class_name(en->cls)));
        rc |= jw_put(o, "errno", json_integer(en->errnum));
        rc |= jw_put(o, "text", json_string(en->text ? en->text : ""));
        rc |= jw_put(o, "count", jw_count(en->count));
        rc |= jw_push(a, jw_done(o, rc));
    }
    return jw_done(a, rc);
}

/* Whether the series is written as schema 1.10 has it (the shape, target
 * and achieved, and errors too_large): not when read from a block written
 * before, which holds neither and is written back as it was. */
static int series_has_shape(const struct load_rep *r)
{
    size_t i;

    for (i = 0; i < r->niv; i++)
        if (!isnan(r->iv[i].target) || r->iv[i].errors[LC_TOO_LARGE])
            return 1;
    return 0;
}

static json_t *series_row(const struct load_interval *iv, int shape)
{
    json_t *row = json_array();
    size_t i;
    int c, rc = 0;

    rc |= jw_push(row, jw_real(iv->t));
    for (i = 0; i < LOAD_NIVCOUNTS; i++)
        rc |= jw_push(row, jw_count(*LOAD_AT_C(uint64_t, iv, &load_iv_counts[i])));
    for (c = 0; c < (shape ? LC_NCLASS : LC_NCLASS_OLD); c++)
        rc |= jw_push(row, jw_count(iv->errors[c]));
    if (shape) {
        rc |= jw_push(row, jw_real(iv->target));
        rc |= jw_push(row, jw_real(iv->achieved));
    }
    return jw_done(row, rc);
}

static json_t *series_json(const struct load_rep *r)
{
    json_t *o = json_object(), *cols = json_array(), *rows = json_array();
    char name[64];
    size_t i;
    int rc = 0, shape = series_has_shape(r);

    for (i = 0; i < (shape ? LOAD_SERIES_NCOLS : LOAD_SERIES_NCOLS_OLD); i++)
        rc |= jw_push(cols, json_string(load_series_column(i, name, sizeof name)));
    for (i = 0; i < r->niv && !rc; i++)
        rc |= jw_push(rows, series_row(&r->iv[i], shape));
    rc |= jw_put(o, "interval_ns", jw_count(r->interval_ns));
    rc |= jw_put(o, "columns", cols);
    rc |= jw_put(o, "rows", rows);
    return jw_done(o, rc);
}

static json_t *mon_row_json(const struct mon_row *row)
{
    json_t *a = json_array();
    size_t i;
    int rc = 0;

    for (i = 0; i < LOAD_MON_NREALS; i++)
        rc |= jw_push(a, jw_real(*LOAD_AT_C(double, row, &load_mon_reals[i])));
    for (i = 0; i < LOAD_MON_NINTS; i++)
        rc |= jw_push(a, json_integer(*LOAD_AT_C(int64_t, row, &load_mon_ints[i])));
    return jw_done(a, rc);
}

/* A row's TCP counts, null when not read. */
static json_t *tcp_row_json(const struct mon_tcp *c)
{
    json_t *a, *ports;
    size_t i;
    int rc = 0;

    if (!c->known)
        return json_null();
    a = json_array();
    ports = json_array();
    rc |= jw_push(a, json_integer(c->listen));
    rc |= jw_push(a, json_integer(c->established));
    rc |= jw_push(a, json_integer(c->other));
    for (i = 0; i < c->nports && i < MON_NPORTS && !rc; i++)
        rc |= jw_push(ports, json_pack("[s, i, I]", c->ports[i].inbound ? "in" : "out",
                                       (int)c->ports[i].port, (json_int_t)c->ports[i].count));
    rc |= jw_push(a, ports);
    return jw_done(a, rc);
}

/* {"columns": [...], "rows": [...]}, a row per monitor row; NULL (and
 * nothing written) when no row has its counts. */
static int put_tcp(json_t *o, const struct load_rep_mon *m)
{
    json_t *t, *cols, *rows;
    size_t i;
    int rc = 0, any = 0;

    for (i = 0; i < m->nrows && !any; i++)
        any = m->rows[i].tcp.known;
    if (!any)
        return 0;
    t = json_object();
    cols = json_array();
    rows = json_array();
    for (i = 0; i < LOAD_TCP_NCOLS; i++)
        rc |= jw_push(cols, json_string(load_tcp_cols[i]));
    for (i = 0; i < m->nrows && !rc; i++)
        rc |= jw_push(rows, tcp_row_json(&m->rows[i].tcp));
    rc |= jw_put(t, "columns", cols);
    rc |= jw_put(t, "rows", rows);
    return jw_put(o, "tcp", jw_done(t, rc));
}

/* The network's rows: {"columns": ["t", ...], "rows": [...]}. */
static json_t *net_json(const struct load_rep *r)
{
    json_t *o = json_object(), *cols = json_array(), *rows = json_array();
    size_t i, k;
    int rc = 0;

    rc |= jw_push(cols, json_string("t"));
    for (k = 0; k < LOAD_NET_NINTS; k++)
        rc |= jw_push(cols, json_string(load_net_ints[k].key));
    for (i = 0; i < r->nnet && !rc; i++) {
        json_t *row = json_array();

        rc |= jw_push(row, jw_real(r->net[i].t));
        for (k = 0; k < LOAD_NET_NINTS; k++)
            rc |= jw_push(row, json_integer(*LOAD_AT_C(int64_t, &r->net[i], &load_net_ints[k])));
        rc |= jw_push(rows, jw_done(row, rc));
    }
    rc |= jw_put(o, "columns", cols);
    rc |= jw_put(o, "rows", rows);
    return jw_done(o, rc);
}

static json_t *mon_json(const struct load_rep_mon *m)
{
    json_t *o = json_object(), *cols = json_array(), *rows = json_array(), *sum = json_object();
    size_t i;
    int rc = 0;

    for (i = 0; i < LOAD_MON_NREALS; i++)
        rc |= jw_push(cols, json_string(load_mon_reals[i].key));
    for (i = 0; i < LOAD_MON_NINTS; i++)
        rc |= jw_push(cols, json_string(load_mon_ints[i].key));
    for (i = 0; i < m->nrows && !rc; i++)
        rc |= jw_push(rows, mon_row_json(&m->rows[i]));
    for (i = 0; i < LOAD_NSUMMARY; i++)
        rc |= jw_put(sum, load_summary[i].key,
                  jw_real(*LOAD_AT_C(double, &m->summary, &load_summary[i])));
    rc |= jw_put(o, "label", json_string(m->label ? m->label : ""));
    rc |= jw_put(o, "pid", json_integer(m->pid));
    rc |= jw_put(o, "period_ns", jw_count(m->period_ns));
    rc |= jw_put(o, "gone", json_boolean(m->gone));
    rc |= jw_put(o, "columns", cols);
    rc |= jw_put(o, "rows", rows);
    rc |= jw_put(o, "summary", sum);
    rc |= put_tcp(o, m);
    return jw_done(o, rc);
}

static json_t *generator_json(const struct load_gen *g)
{
    json_t *o = json_object();
    int rc = 0;

    rc |= jw_put(o, "cpu_user", jw_real(g->cpu_user));
    rc |= jw_put(o, "cpu_sys", jw_real(g->cpu_sys));
    rc |= jw_put(o, "busy_max", jw_real(g->busy_max));
    rc |= jw_put(o, "reads", jw_count(g->reads));
    rc |= jw_put(o, "stamped_reads", jw_count(g->stamped_reads));
    rc |= jw_put(o, "naps", jw_count(g->naps));
    rc |= jw_put(o, "wait_max", jw_real(g->wait_max));
    if (g->io[0])
        rc |= jw_put(o, "io", json_string(g->io));
    return jw_done(o, rc);
}

/* The latency histograms and their percentiles. */
static int put_latency(json_t *o, const struct load_rep *r)
{
    int rc = 0;

    rc |= jw_put(o, "percentiles", pct_json(&r->pct));
    rc |= jw_put(o, "latency", hist_to_json(&r->latency));
    if (r->from_send) {
        rc |= jw_put(o, "percentiles_from_send", pct_json(&r->pct_sent));
        rc |= jw_put(o, "latency_from_send", hist_to_json(&r->latency_sent));
    }
    return rc;
}

json_t *load_rep_to_json(const struct load_rep *r)
{
    json_t *o = json_object(), *mon = json_array();
    size_t i;
    int rc = 0;

    rc |= jw_put(o, "settings", settings_json(&r->set));
    rc |= jw_put(o, "complete", json_boolean(r->complete));
    rc |= jw_put(o, "valid", json_boolean(r->valid));
    rc |= jw_put(o, "invalid_reason",
              r->invalid_reason ? json_string(r->invalid_reason) : json_null());
    for (i = 0; i < LOAD_NCOUNTS; i++)
        rc |= jw_put(o, load_counts[i].key, jw_count(*LOAD_AT_C(uint64_t, r, &load_counts[i])));
    for (i = 0; i < LOAD_NCOUNTS_OPT; i++)
        rc |= jw_put(o, load_counts_opt[i].key,
                     jw_count(*LOAD_AT_C(uint64_t, r, &load_counts_opt[i])));
    rc |= jw_put(o, "throughput", jw_real(r->throughput));
    rc |= put_latency(o, r);
    rc |= jw_put(o, "errors", errors_json(r));
    rc |= jw_put(o, "errnos", errnos_json(r));
    rc |= jw_put(o, "series", series_json(r));
    rc |= jw_put(o, "generator", generator_json(&r->gen));
    for (i = 0; i < r->nmon && !rc; i++)
        rc |= jw_push(mon, mon_json(&r->mon[i]));
    rc |= jw_put(o, "monitor", mon);
    if (r->nnet)
        rc |= jw_put(o, "monitor_net", net_json(r));
    /* where the measured window lies on the monitor's clock (its rows' t) */
    if (isfinite(r->window_s[0]) && isfinite(r->window_s[1]))
        rc |= jw_put(o, "monitor_window_s", json_pack("[f, f]", r->window_s[0], r->window_s[1]));
    return jw_done(o, rc);
}

json_t *load_reps_to_json(const struct load_rep *reps, size_t n)
{
    json_t *a = json_array();
    size_t i;
    int rc = 0;

    for (i = 0; i < n && !rc; i++)
        rc |= jw_push(a, load_rep_to_json(&reps[i]));
    return jw_done(a, rc);
}
