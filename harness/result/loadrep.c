/*
 * loadrep.c: the JSON of a load repetition (the "load" blocks of a load
 * benchmark, loadrep.h): the whole record a load run leaves, with its
 * histograms, series, errors and monitor, written and read back.
 */
#include "loadrep.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"

/* ---- histograms --------------------------------------------------------------- */

/* A new integer, or NULL when v does not fit in a JSON integer. */
static json_t *json_u64(uint64_t v)
{
    if (v > (uint64_t)INT64_MAX)
        return NULL;
    return json_integer((json_int_t)v);
}

/* The encoding of hist.h.  min and max are null when the histogram is
 * empty (min is then UINT64_MAX, which no JSON integer holds).  NULL also
 * when a value, a count or the total is above INT64_MAX. */
json_t *hist_to_json(const struct hist *h)
{
    json_t *o = json_object(), *b = json_array();

    if (!o || !b)
        goto fail;
    if (json_object_set_new(o, "digits", json_integer(h->digits)) < 0 ||
        json_object_set_new(o, "highest", json_u64(h->highest)) < 0 ||
        json_object_set_new(o, "count", json_u64(h->count)) < 0 ||
        json_object_set_new(o, "min", h->count ? json_u64(h->min) : json_null()) < 0 ||
        json_object_set_new(o, "max", h->count ? json_u64(h->max) : json_null()) < 0 ||
        json_object_set_new(o, "sum", json_real(h->sum)) < 0 ||
        json_object_set_new(o, "clamped", json_u64(h->clamped)) < 0)
        goto fail;
    for (size_t i = 0; i < h->nbuckets; i++) {
        json_t *pair;

        if (!h->counts[i])
            continue;
        pair = json_array();
        /* append_new takes (and on failure frees) the value, NULL included */
        if (json_array_append_new(pair, json_u64(hist_bucket_low(h, i))) < 0 ||
            json_array_append_new(pair, json_u64(h->counts[i])) < 0) {
            json_decref(pair);
            goto fail;
        }
        if (json_array_append_new(b, pair) < 0)
            goto fail;
    }
    if (json_object_set_new(o, "buckets", b) < 0) {
        b = NULL;   /* stolen, and freed, by the failed set */
        goto fail;
    }
    return o;

fail:
    json_decref(b);
    json_decref(o);
    return NULL;
}

/* obj[key] as an integer in [lo, hi] into *out.  With nullable, null is
 * accepted and *is_null set. */
static int get_int(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                   json_int_t lo, json_int_t hi, json_int_t *out, int *is_null)
{
    char path[JR_PATH_LEN];
    const json_t *v = json_object_get(obj, key);

    jr_join(path, parent, key);
    if (!v)
        return jr_fail(rd, path, "missing");
    if (is_null) {
        *is_null = json_is_null(v);
        if (*is_null)
            return 0;
    }
    if (!json_is_integer(v))
        return jr_expected(rd, path, is_null ? "integer or null" : "integer", v);
    *out = json_integer_value(v);
    if (*out < lo || *out > hi) {
        if (hi == INT64_MAX)
            return jr_fail(rd, path, "expected an integer >= %" PRId64 ", got %" PRId64,
                           (int64_t)lo, (int64_t)*out);
        return jr_fail(rd, path, "expected an integer from %" PRId64 " to %" PRId64
                       ", got %" PRId64, (int64_t)lo, (int64_t)hi, (int64_t)*out);
    }
    return 0;
}

/* One [low, count] pair, element i of the array at path: a bucket's low
 * above prev_low (-1 before the first) and a count >= 1. */
static int read_pair(const struct jr *rd, struct hist *h, const json_t *pair, const char *path,
                     size_t i, json_int_t prev_low, json_int_t *low, uint64_t *total)
{
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *jl, *jc;
    json_int_t n;
    size_t b;

    jr_index(p, path, i);
    if (!json_is_array(pair))
        return jr_expected(rd, p, "[low, count]", pair);
    if (json_array_size(pair) != 2)
        return jr_fail(rd, p, "expected [low, count], got an array of %zu",
                       json_array_size(pair));
    jl = json_array_get(pair, 0);
    jc = json_array_get(pair, 1);
    jr_index(q, p, 0);
    if (!json_is_integer(jl))
        return jr_expected(rd, q, "integer", jl);
    *low = json_integer_value(jl);
    if (*low < 0 || (uint64_t)*low > h->highest)
        return jr_fail(rd, q, "expected a bucket low from 0 to %" PRIu64 ", got %" PRId64,
                       h->highest, (int64_t)*low);
    b = hist_index(h, (uint64_t)*low);
    if (hist_bucket_low(h, b) != (uint64_t)*low)
        return jr_fail(rd, q, "%" PRId64 " is not the low of a bucket (it is in [%" PRIu64
                       ", %" PRIu64 "])", (int64_t)*low, hist_bucket_low(h, b),
                       hist_bucket_high(h, b));
    if (*low <= prev_low)
        return jr_fail(rd, q, "%" PRId64 " is not above the previous low %" PRId64,
                       (int64_t)*low, (int64_t)prev_low);
    jr_index(q, p, 1);
    if (!json_is_integer(jc))
        return jr_expected(rd, q, "integer", jc);
    n = json_integer_value(jc);
    if (n < 1)
        return jr_fail(rd, q, "expected a count >= 1, got %" PRId64, (int64_t)n);
    if (__builtin_add_overflow(*total, (uint64_t)n, total))
        return jr_fail(rd, q, "counts overflow");
    h->counts[b] = (uint64_t)n;
    return 0;
}

/* The first and the last non-empty bucket (count > 0). */
static void span(const struct hist *h, size_t *first, size_t *last)
{
    size_t i = 0, j = h->nbuckets - 1;

    while (!h->counts[i])
        i++;
    while (!h->counts[j])
        j--;
    *first = i;
    *last = j;
}

/* What the counts say of count, min, max and clamped. */
static int check_totals(const struct jr *rd, const struct hist *h, const char *path,
                        uint64_t total)
{
    char p[JR_PATH_LEN];
    size_t first, last;

    if (total != h->count)
        return jr_fail(rd, jr_join(p, path, "buckets"),
                       "counts add up to %" PRIu64 ", not to the count %" PRIu64, total,
                       h->count);
    if (h->count == 0) {
        if (h->clamped)
            return jr_fail(rd, jr_join(p, path, "clamped"),
                           "expected 0 in an empty histogram, got %" PRIu64, h->clamped);
        if (h->sum != 0.0)
            return jr_fail(rd, jr_join(p, path, "sum"),
                           "expected 0 in an empty histogram, got %g", h->sum);
        return 0;
    }
    span(h, &first, &last);
    if (hist_index(h, h->min) != first)
        return jr_fail(rd, jr_join(p, path, "min"),
                       "%" PRIu64 " is not in the first bucket, [%" PRIu64 ", %" PRIu64 "]",
                       h->min, hist_bucket_low(h, first), hist_bucket_high(h, first));
    if (hist_index(h, h->max) != last)
        return jr_fail(rd, jr_join(p, path, "max"),
                       "%" PRIu64 " is not in the last bucket, [%" PRIu64 ", %" PRIu64 "]",
                       h->max, hist_bucket_low(h, last), hist_bucket_high(h, last));
    if (h->min > h->max)
        return jr_fail(rd, jr_join(p, path, "min"), "%" PRIu64 " is above max %" PRIu64,
                       h->min, h->max);
    /* values above highest make max above highest and are in the last bucket */
    if ((h->clamped > 0) != (h->max > h->highest))
        return jr_fail(rd, jr_join(p, path, "clamped"),
                       "%" PRIu64 " does not fit max %" PRIu64 " and highest %" PRIu64,
                       h->clamped, h->max, h->highest);
    if (h->clamped > h->counts[h->nbuckets - 1])
        return jr_fail(rd, jr_join(p, path, "clamped"),
                       "%" PRIu64 " is above the count of the last bucket, %" PRIu64,
                       h->clamped, h->counts[h->nbuckets - 1]);
    return 0;
}

/* The scalar fields after digits and highest; min and max are null
 * exactly when count is 0. */
static int read_fields(const struct jr *rd, struct hist *h, const json_t *obj, const char *path)
{
    char p[JR_PATH_LEN];
    json_int_t count, min = 0, max = 0, clamped;
    int min_null, max_null;
    const json_t *v;

    if (get_int(rd, obj, path, "count", 0, INT64_MAX, &count, NULL) < 0 ||
        get_int(rd, obj, path, "min", 0, INT64_MAX, &min, &min_null) < 0 ||
        get_int(rd, obj, path, "max", 0, INT64_MAX, &max, &max_null) < 0 ||
        get_int(rd, obj, path, "clamped", 0, INT64_MAX, &clamped, NULL) < 0)
        return -1;
    if (min_null != (count == 0))
        return jr_fail(rd, jr_join(p, path, "min"), count ? "expected integer, got null"
                                                          : "expected null in an empty histogram");
    if (max_null != (count == 0))
        return jr_fail(rd, jr_join(p, path, "max"), count ? "expected integer, got null"
                                                          : "expected null in an empty histogram");
    v = json_object_get(obj, "sum");
    jr_join(p, path, "sum");
    if (!v)
        return jr_fail(rd, p, "missing");
    if (!json_is_number(v))
        return jr_expected(rd, p, "number", v);
    if (!isfinite(json_number_value(v)) || json_number_value(v) < 0)
        return jr_fail(rd, p, "expected a finite number >= 0, got %g", json_number_value(v));
    h->count = (uint64_t)count;
    h->min = count ? (uint64_t)min : UINT64_MAX;
    h->max = count ? (uint64_t)max : 0;
    h->clamped = (uint64_t)clamped;
    h->sum = json_number_value(v);
    return 0;
}

int hist_from_json(struct hist *h, const json_t *obj, const char *name, const char *path,
                   struct err *e)
{
    struct jr rd = { name, e };
    char p[JR_PATH_LEN];
    json_int_t digits, highest, low = -1;
    const json_t *buckets;
    uint64_t total = 0;

    memset(h, 0, sizeof *h);
    if (!json_is_object(obj))
        return jr_expected(&rd, path, "object", obj);
    if (get_int(&rd, obj, path, "digits", HIST_MIN_DIGITS, HIST_MAX_DIGITS, &digits, NULL) < 0 ||
        get_int(&rd, obj, path, "highest", 2, INT64_MAX, &highest, NULL) < 0)
        return -1;
    buckets = json_object_get(obj, "buckets");
    jr_join(p, path, "buckets");
    if (!buckets)
        return jr_fail(&rd, p, "missing");
    if (!json_is_array(buckets))
        return jr_expected(&rd, p, "array", buckets);
    if (hist_init(h, (int)digits, (uint64_t)highest, NULL) < 0)
        return jr_oom(&rd);
    if (read_fields(&rd, h, obj, path) < 0)
        goto fail;
    for (size_t i = 0; i < json_array_size(buckets); i++)
        if (read_pair(&rd, h, json_array_get(buckets, i), p, i, low, &low, &total) < 0)
            goto fail;
    if (check_totals(&rd, h, path, total) < 0)
        goto fail;
    return 0;

fail:
    hist_free(h);
    return -1;
}

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
