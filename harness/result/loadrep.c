/*
 * loadrep.c: the JSON of a load repetition (the "load" blocks of a load
 * benchmark, loadrep.h): the whole record a load run leaves, with its
 * series, errors and monitor.  The histograms' encoding is loadrep_hist.c.
 */
#include "loadrep.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- monitor series ------------------------------------------------------- */

static const char *const columns[] = {
    "t", "cpu_user", "cpu_sys", "rss", "threads", "fds",
    "vol_ctxsw", "invol_ctxsw", "read_bytes", "write_bytes", "procs",
};

static json_t *row_json(const struct mon_row *r)
{
    return json_pack("[fffIIIIIIII]", r->t, r->cpu_user, r->cpu_sys, (json_int_t)r->rss,
                     (json_int_t)r->threads, (json_int_t)r->fds, (json_int_t)r->vol_ctxsw,
                     (json_int_t)r->invol_ctxsw, (json_int_t)r->read_bytes,
                     (json_int_t)r->write_bytes, (json_int_t)r->procs);
}

static json_t *summary_json(const struct mon_summary *u)
{
    return json_pack("{sf sf sf sf sf sf sf sf sf sf sf sf sf}",
                     "duration", u->duration, "cpu_mean", u->cpu_mean, "cpu_max", u->cpu_max,
                     "cpu_user_mean", u->cpu_user_mean, "cpu_sys_mean", u->cpu_sys_mean,
                     "rss_mean", u->rss_mean, "rss_max", u->rss_max,
                     "threads_max", u->threads_max, "fds_max", u->fds_max,
                     "ctxsw_per_s", u->ctxsw_per_s, "invol_ctxsw_per_s", u->invol_ctxsw_per_s,
                     "read_bytes_per_s", u->read_bytes_per_s,
                     "write_bytes_per_s", u->write_bytes_per_s);
}

json_t *mon_series_to_json(const struct mon_series *s, uint64_t period_ns, double from, double to)
{
    json_t *o = json_object(), *cols = json_array(), *rows = json_array();
    struct mon_summary u;
    int bad = !o || !cols || !rows;
    size_t i;

    for (i = 0; !bad && i < sizeof columns / sizeof *columns; i++)
        bad = json_array_append_new(cols, json_string(columns[i])) < 0;
    for (i = 0; !bad && i < s->n; i++)
        bad = json_array_append_new(rows, row_json(&s->rows[i])) < 0;
    mon_summarise(s, from, to, &u);
    if (bad ||
        json_object_set_new(o, "label", json_string(s->label ? s->label : "")) < 0 ||
        json_object_set_new(o, "pid", json_integer(s->pid)) < 0 ||
        json_object_set_new(o, "period_ns", json_integer((json_int_t)period_ns)) < 0 ||
        json_object_set_new(o, "gone", json_boolean(s->gone)) < 0 ||
        json_object_set(o, "columns", cols) < 0 || json_object_set(o, "rows", rows) < 0 ||
        json_object_set_new(o, "summary", summary_json(&u)) < 0) {
        json_decref(o);
        o = NULL;
    }
    json_decref(cols);
    json_decref(rows);
    return o;
}

/* ---- the result's load block ------------------------------------------------ */

static json_t *jint(uint64_t v)
{
    return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static json_t *jreal(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *percentiles_json(const struct hist *h)
{
    static const double ps[] = {50, 90, 99, 99.9, 99.99, 100};
    static const char *const names[] = {"p50", "p90", "p99", "p99.9", "p99.99", "max"};
    uint64_t v[6];
    json_t *o = json_object();
    size_t i;

    if (!o)
        return NULL;
    if (!h->count)
        return o;
    hist_percentiles(h, ps, 6, v);
    for (i = 0; i < 6; i++)
        json_object_set_new(o, names[i], jint(v[i]));
    json_object_set_new(o, "min", jint(h->min));
    json_object_set_new(o, "mean", jreal(hist_mean(h)));
    json_object_set_new(o, "stddev", jreal(hist_stddev(h)));
    return o;
}

static json_t *series_json(const struct load_opts *o, const struct load_out *out)
{
    json_t *s = json_object(), *cols = json_array(), *rows = json_array();
    static const char *const fixed[] = {"t", "requests", "sent", "late", "bytes", "p50",
                                        "p90", "p99", "p99.9", "max"};
    size_t i;
    int c;

    if (!s || !cols || !rows) {
        json_decref(s), json_decref(cols), json_decref(rows);
        return NULL;
    }
    for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        json_array_append_new(cols, json_string(fixed[i]));
    for (c = 0; c < LC_NCLASS; c++)
        json_array_append_new(cols, json_sprintf("errors.%s", load_class_name(c)));
    for (i = 0; i < out->niv; i++) {
        const struct load_interval *iv = &out->iv[i];
        json_t *r = json_array();
        if (!r)
            break;
        json_array_append_new(r, jreal(iv->t));
        json_array_append_new(r, jint(iv->requests));
        json_array_append_new(r, jint(iv->sent));
        json_array_append_new(r, jint(iv->late));
        json_array_append_new(r, jint(iv->bytes));
        json_array_append_new(r, jint(iv->p50));
        json_array_append_new(r, jint(iv->p90));
        json_array_append_new(r, jint(iv->p99));
        json_array_append_new(r, jint(iv->p999));
        json_array_append_new(r, jint(iv->max));
        for (c = 0; c < LC_NCLASS; c++)
            json_array_append_new(r, jint(iv->errors[c]));
        json_array_append_new(rows, r);
    }
    json_object_set_new(s, "interval_ns", jint(o->interval_ns));
    json_object_set_new(s, "columns", cols);
    json_object_set_new(s, "rows", rows);
    return s;
}

json_t *load_out_json(const struct load_opts *o, const struct load_out *out)
{
    json_t *j = json_object(), *set, *errs, *errnos, *gen, *mon;
    size_t i;
    int c;

    if (!j)
        return NULL;
    set = json_pack("{s:s, s:s, s:i, s:i, s:i, s:b, s:f, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
                    "url", o->url_text ? o->url_text : "",
                    "mode", o->rate > 0 ? "open" : "closed",
                    "connections", (int)o->connections, "threads", (int)o->threads,
                    "pipeline", (int)o->pipeline, "keepalive", o->keepalive,
                    "rate", o->rate,
                    "arrival", o->arrival == ARRIVAL_POISSON ? "poisson" : "constant",
                    "duration_ns", (json_int_t)o->duration_ns,
                    "warmup_ns", (json_int_t)o->warmup_ns,
                    "timeout_ns", (json_int_t)o->timeout_ns,
                    "late_ns", (json_int_t)o->late_ns,
                    "seed", (json_int_t)o->seed,
                    "digits", (json_int_t)o->digits);
    json_object_set_new(j, "settings", set);
    json_object_set_new(j, "complete", json_boolean(out->complete));
    json_object_set_new(j, "valid", json_boolean(out->valid));
    json_object_set_new(j, "invalid_reason",
                        out->valid ? json_null() : json_string(out->invalid));
    json_object_set_new(j, "elapsed_ns", jint((uint64_t)(out->elapsed_s * 1e9 + 0.5)));
    json_object_set_new(j, "requests", jint(out->requests));
    json_object_set_new(j, "sent", jint(out->sent));
    json_object_set_new(j, "bytes", jint(out->bytes));
    json_object_set_new(j, "connects", jint(out->connects));
    json_object_set_new(j, "throughput",
                        jreal(out->elapsed_s > 0 ? out->requests / out->elapsed_s : NAN));
    json_object_set_new(j, "late", jint(out->late));
    json_object_set_new(j, "queued", jint(out->queued));
    json_object_set_new(j, "inflight_end", jint(out->inflight_end));
    json_object_set_new(j, "unsent_end", jint(out->unsent_end));
    json_object_set_new(j, "percentiles", percentiles_json(&out->latency));
    json_object_set_new(j, "latency", hist_to_json(&out->latency));
    if (o->rate > 0) {
        json_object_set_new(j, "percentiles_from_send", percentiles_json(&out->latency_sent));
        json_object_set_new(j, "latency_from_send", hist_to_json(&out->latency_sent));
    }
    errs = json_object();
    for (c = 0; errs && c < LC_NCLASS; c++)
        json_object_set_new(errs, load_class_name(c), jint(out->errors[c]));
    json_object_set_new(errs, "total", jint(out->nerrors));
    json_object_set_new(j, "errors", errs);
    errnos = json_array();
    for (i = 0; errnos && i < out->nerrnos; i++) {
        const struct load_errno *en = &out->errnos[i];
        json_array_append_new(errnos, json_pack("{s:s, s:i, s:s, s:I}", "class",
                                                load_class_name(en->cls), "errno", en->errnum,
                                                "text", en->errnum ? strerror(en->errnum)
                                                                   : en->cls == LC_PARSE && out->parse_reason
                                                                         ? out->parse_reason
                                                                         : en->cls == LC_READ ? "closed by the server" : "",
                                                "count", (json_int_t)en->count));
    }
    json_object_set_new(j, "errnos", errnos);
    json_object_set_new(j, "series", series_json(o, out));
    gen = json_pack("{s:f, s:f, s:f, s:I, s:I, s:I}", "cpu_user", out->cpu_user,
                    "cpu_sys", out->cpu_sys, "busy_max", out->busy_max,
                    "reads", (json_int_t)out->reads, "stamped_reads", (json_int_t)out->stamped,
                    "naps", (json_int_t)out->naps);
    json_object_set_new(j, "generator", gen);
    mon = json_array();
    for (i = 0; mon && i < out->mon.nseries; i++)
        json_array_append_new(mon, mon_series_to_json(&out->mon.series[i], out->mon.period_ns,
                                                      out->mon_from, out->mon_to));
    json_object_set_new(j, "monitor", mon);
    /* where the measured window lies on the monitor's clock (its rows' t) */
    json_object_set_new(j, "monitor_window_s",
                        json_pack("[f, f]", out->mon_from, out->mon_to));
    return j;
}
