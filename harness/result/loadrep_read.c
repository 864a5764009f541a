/*
 * loadrep_read.c: a load block read back into a struct load_rep
 * (loadrep.h: load_rep_from_json, load_reps_from_json), every field typed
 * and checked, the first fault named by file, JSON path and cause.
 */
#include "loadrep.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "loadrep_private.h"

/* ---- pieces ---------------------------------------------------------------------- */

/* obj[key], a string that must be one of names[0..n), into *out (its
 * index): "unknown KEY "x" (expected a, b or c)". */
static int get_name(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                    const char *const *names, size_t n, int *out)
{
    char path[JR_PATH_LEN], q[JR_QUOTE_BUF], list[256] = "", *s = NULL;
    size_t i, len = 0;

    if (jr_get_str(rd, obj, parent, key, JR_REQ, &s) < 0)
        return -1;
    for (i = 0; i < n && strcmp(s, names[i]); i++)
        ;
    *out = (int)i;
    if (i < n) {
        free(s);
        return 0;
    }
    for (i = 0; i < n && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                i == 0 ? "" : i + 1 < n ? ", " : " or ", names[i]);
    jr_fail(rd, jr_join(path, parent, key), "unknown %s %s (expected %s)", key,
            jr_quote(q, sizeof q, s), list);
    free(s);
    return -1;
}

/* obj[key] as a count (an integer >= 0); absent is an error with JR_REQ. */
static int get_count(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                     int flags, uint64_t *out)
{
    return jr_get_u64(rd, obj, parent, key, flags, 0, out);
}

/* The object obj[key] (required) and its path into p. */
static int get_part(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                    const json_t **out, char *p)
{
    jr_join(p, parent, key);
    return jr_get_obj(rd, obj, parent, key, JR_REQ, out);
}

/* obj[key] is exactly the n columns name(0) .. name(n-1). */
static int check_columns(const struct jr *rd, const json_t *obj, const char *parent, size_t n,
                         const char *(*name)(size_t i, char *buf, size_t size))
{
    char p[JR_PATH_LEN], q[JR_PATH_LEN], want[64], got[JR_QUOTE_BUF];
    const json_t *cols, *c;
    size_t i;

    if (jr_get_arr(rd, obj, parent, "columns", JR_REQ, &cols) < 0)
        return -1;
    jr_join(p, parent, "columns");
    if (json_array_size(cols) != n)
        return jr_fail(rd, p, "expected %zu columns, got an array of %zu", n,
                       json_array_size(cols));
    for (i = 0; i < n; i++) {
        c = json_array_get(cols, i);
        name(i, want, sizeof want);
        if (!json_is_string(c) || strcmp(json_string_value(c), want))
            return jr_fail(rd, jr_index(q, p, i), "expected \"%s\", got %s", want,
                           json_is_string(c) ? jr_quote(got, sizeof got, json_string_value(c))
                                             : jr_type(c));
    }
    return 0;
}

/* Row i of rows (at path p): an array of n values, else NULL after the
 * error; its path into q. */
static const json_t *row_at(const struct jr *rd, const json_t *rows, const char *p, size_t i,
                            size_t n, char *q)
{
    const json_t *row = json_array_get(rows, i);

    jr_index(q, p, i);
    if (!json_is_array(row)) {
        jr_expected(rd, q, "array", row);
        return NULL;
    }
    if (json_array_size(row) != n) {
        jr_fail(rd, q, "expected %zu values, got an array of %zu", n, json_array_size(row));
        return NULL;
    }
    return row;
}

/* Element i of row (at path q) as a count. */
static int cell_count(const struct jr *rd, const json_t *row, const char *q, size_t i,
                      uint64_t *out)
{
    char p[JR_PATH_LEN];
    long long x = 0;

    if (jr_int(rd, json_array_get(row, i), jr_index(p, q, i), 0, 0, LLONG_MAX, &x) < 0)
        return -1;
    *out = (uint64_t)x;
    return 0;
}

/* ---- the parts of a block ---------------------------------------------------------- */

/* settings.stages (o at path p), absent before stages: each a positive
 * duration_ns and a target >= 0. */
static int read_stages(const struct jr *rd, const json_t *o, const char *p,
                       struct load_settings *s)
{
    char ap[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *a, *st;
    size_t i;

    if (jr_get_arr(rd, o, p, "stages", 0, &a) < 0)
        return -1;
    if (!a || !json_array_size(a))
        return 0;
    jr_join(ap, p, "stages");
    if (!(s->stages = calloc(json_array_size(a), sizeof *s->stages)))
        return jr_oom(rd);
    s->nstages = json_array_size(a);
    json_array_foreach(a, i, st) {
        jr_index(q, ap, i);
        if (!json_is_object(st))
            return jr_expected(rd, q, "object", st);
        if (jr_get_u64(rd, st, q, "duration_ns", JR_REQ, 1, &s->stages[i].duration_ns) < 0 ||
            jr_get_num(rd, st, q, "target", JR_REQ | JR_NONNEG, &s->stages[i].target) < 0)
            return -1;
    }
    return 0;
}

static int read_settings(const struct jr *rd, const json_t *blk, const char *path,
                         struct load_settings *s)
{
    char p[JR_PATH_LEN];
    const json_t *o;
    long long seed = 0, digits = 0;
    int mode = 0, arrival = 0;
    size_t i;

    if (get_part(rd, blk, path, "settings", &o, p) < 0 ||
        jr_get_str(rd, o, p, "url", JR_REQ, &s->url) < 0 ||
        get_name(rd, o, p, "mode", load_modes, 2, &mode) < 0 ||
        jr_get_uint(rd, o, p, "connections", JR_REQ, 1, &s->connections) < 0 ||
        jr_get_uint(rd, o, p, "threads", JR_REQ, 1, &s->threads) < 0 ||
        jr_get_uint(rd, o, p, "pipeline", JR_REQ, 1, &s->pipeline) < 0 ||
        jr_get_bool(rd, o, p, "keepalive", JR_REQ, &s->keepalive) < 0 ||
        jr_get_num(rd, o, p, "rate", JR_REQ | JR_NONNEG, &s->rate) < 0 ||
        get_name(rd, o, p, "arrival", load_arrivals, 2, &arrival) < 0)
        return -1;
    for (i = 0; i < LOAD_NTIMES; i++)
        if (get_count(rd, o, p, load_times[i].key, JR_REQ,
                      LOAD_AT(uint64_t, s, &load_times[i])) < 0)
            return -1;
    /* the seed is a uint64_t written as a JSON integer: above INT64_MAX,
     * negative */
    if (jr_get_int(rd, o, p, "seed", JR_REQ, LLONG_MIN, LLONG_MAX, &seed) < 0 ||
        jr_get_int(rd, o, p, "digits", JR_REQ, HIST_MIN_DIGITS, HIST_MAX_DIGITS, &digits) < 0 ||
        jr_get_bool(rd, o, p, "nap", 0, &s->nap) < 0)
        return -1;
    if (read_stages(rd, o, p, s) < 0)
        return -1;
    s->open = mode;
    s->arrival = arrival ? ARRIVAL_POISSON : ARRIVAL_CONSTANT;
    s->seed = (uint64_t)seed;
    s->digits = (int)digits;
    return 0;
}

/* blk[key]: {} when there was no response, else every percentile; p95,
 * which blocks before schema 1.13 lack, is then taken from their
 * histogram h as the writer takes it. */
static int read_pct(const struct jr *rd, const json_t *blk, const char *path, const char *key,
                    const struct hist *h, struct load_pct *pc)
{
    char p[JR_PATH_LEN];
    const json_t *o;
    size_t i;

    memset(pc, 0, sizeof *pc);
    pc->mean = pc->stddev = NAN;
    if (get_part(rd, blk, path, key, &o, p) < 0)
        return -1;
    if (json_object_size(o) == 0)
        return 0;
    for (i = 0; i < LOAD_NPCT; i++)
        if (get_count(rd, o, p, load_pct_keys[i], i == LOAD_P95 ? 0 : JR_REQ, &pc->p[i]) < 0)
            return -1;
    if (!json_object_get(o, load_pct_keys[LOAD_P95]))
        hist_percentiles(h, &load_pct_ranks[LOAD_P95], 1, &pc->p[LOAD_P95]);
    if (get_count(rd, o, p, "min", JR_REQ, &pc->min) < 0 ||
        jr_get_num(rd, o, p, "mean", JR_REQ | JR_NUL, &pc->mean) < 0 ||
        jr_get_num(rd, o, p, "stddev", JR_REQ | JR_NUL, &pc->stddev) < 0)
        return -1;
    pc->have = 1;
    return 0;
}

/* The latency histograms and their percentiles; those from the send only
 * in the open loop. */
static int read_latency(const struct jr *rd, const json_t *blk, const char *path,
                        struct load_rep *r)
{
    char p[JR_PATH_LEN];
    const json_t *h;

    if (get_part(rd, blk, path, "latency", &h, p) < 0 ||
        hist_from_json(&r->latency, h, rd->name, p, rd->e) < 0 ||
        read_pct(rd, blk, path, "percentiles", &r->latency, &r->pct) < 0 ||
        jr_get_obj(rd, blk, path, "latency_from_send", 0, &h) < 0)
        return -1;
    if (!h)
        return 0;
    r->from_send = 1;
    jr_join(p, path, "latency_from_send");
    if (hist_from_json(&r->latency_sent, h, rd->name, p, rd->e) < 0 ||
        read_pct(rd, blk, path, "percentiles_from_send", &r->latency_sent, &r->pct_sent) < 0)
        return -1;
    return 0;
}

static int read_errors(const struct jr *rd, const json_t *blk, const char *path,
                       struct load_rep *r)
{
    const char *classes[LC_NCLASS];
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *o, *a, *en;
    size_t i;
    int c;

    if (get_part(rd, blk, path, "errors", &o, p) < 0)
        return -1;
    for (c = 0; c < LC_NCLASS; c++) {
        classes[c] = load_class_name((enum load_class)c);
        /* too_large came with schema 1.10 */
        if (get_count(rd, o, p, classes[c], c < LC_NCLASS_OLD ? JR_REQ : 0, &r->errors[c]) < 0)
            return -1;
    }
    if (get_count(rd, o, p, "total", JR_REQ, &r->errors_total) < 0 ||
        jr_get_arr(rd, blk, path, "errnos", JR_REQ, &a) < 0)
        return -1;
    if (!json_array_size(a))
        return 0;
    jr_join(p, path, "errnos");
    if (!(r->errnos = calloc(json_array_size(a), sizeof *r->errnos)))
        return jr_oom(rd);
    r->nerrnos = json_array_size(a);
    json_array_foreach(a, i, en) {
        struct load_rep_errno *x = &r->errnos[i];
        long long num = 0;

        jr_index(q, p, i);
        if (!json_is_object(en))
            return jr_expected(rd, q, "object", en);
        if (get_name(rd, en, q, "class", classes, LC_NCLASS, &c) < 0 ||
            jr_get_int(rd, en, q, "errno", JR_REQ, 0, INT_MAX, &num) < 0 ||
            jr_get_str(rd, en, q, "text", JR_REQ, &x->text) < 0 ||
            get_count(rd, en, q, "count", JR_REQ, &x->count) < 0)
            return -1;
        x->cls = (enum load_class)c;
        x->errnum = (int)num;
    }
    return 0;
}

/* A row whose every cell is as it should be, read without building a
 * path: 1, or 0 when one is not (series_row then names it). */
static int series_row_fast(const json_t *row, struct load_interval *iv, int old)
{
    const json_t *v = json_array_get(row, 0);
    size_t i, n = 1 + LOAD_NIVCOUNTS + (old ? LC_NCLASS_OLD : LC_NCLASS);
    int c;

    if (!json_is_number(v))
        return 0;
    for (i = 1; i < n; i++)
        if (!json_is_integer(v = json_array_get(row, i)) || json_integer_value(v) < 0)
            return 0;
    for (i = n; !old && i < n + 2; i++)
        if (!json_is_number(v = json_array_get(row, i)) && !json_is_null(v))
            return 0;
    iv->t = json_number_value(json_array_get(row, 0));
    for (i = 0; i < LOAD_NIVCOUNTS; i++)
        *LOAD_AT(uint64_t, iv, &load_iv_counts[i]) =
            (uint64_t)json_integer_value(json_array_get(row, 1 + i));
    for (c = 0; c < (old ? LC_NCLASS_OLD : LC_NCLASS); c++)
        iv->errors[c] = (uint64_t)json_integer_value(json_array_get(row, 1 + LOAD_NIVCOUNTS +
                                                                       (size_t)c));
    iv->target = iv->achieved = NAN;
    if (!old) {
        v = json_array_get(row, n);
        iv->target = json_is_null(v) ? NAN : json_number_value(v);
        v = json_array_get(row, n + 1);
        iv->achieved = json_is_null(v) ? NAN : json_number_value(v);
    }
    return 1;
}

static int series_row(const struct jr *rd, const json_t *row, const char *q,
                      struct load_interval *iv, int old)
{
    char p[JR_PATH_LEN];
    size_t i;
    int c;

    if (jr_num(rd, json_array_get(row, 0), jr_index(p, q, 0), JR_NUL, &iv->t) < 0)
        return -1;
    for (i = 0; i < LOAD_NIVCOUNTS; i++)
        if (cell_count(rd, row, q, 1 + i, LOAD_AT(uint64_t, iv, &load_iv_counts[i])) < 0)
            return -1;
    for (c = 0; c < (old ? LC_NCLASS_OLD : LC_NCLASS); c++)
        if (cell_count(rd, row, q, 1 + LOAD_NIVCOUNTS + (size_t)c, &iv->errors[c]) < 0)
            return -1;
    iv->target = iv->achieved = NAN;   /* unknown before schema 1.10 */
    i = 1 + LOAD_NIVCOUNTS + LC_NCLASS;
    if (!old && (jr_num(rd, json_array_get(row, i), jr_index(p, q, i), JR_NUL, &iv->target) < 0 ||
                 jr_num(rd, json_array_get(row, i + 1), jr_index(p, q, i + 1), JR_NUL,
                        &iv->achieved) < 0))
        return -1;
    return 0;
}

/* The series' columns: since schema 1.10 with target and achieved, before
 * without: how many o's columns are (0 when neither). */
static size_t series_ncols(const json_t *o)
{
    const json_t *cols = json_object_get(o, "columns");

    return json_is_array(cols) && json_array_size(cols) == LOAD_SERIES_NCOLS_OLD
               ? LOAD_SERIES_NCOLS_OLD : LOAD_SERIES_NCOLS;
}

static int read_series(const struct jr *rd, const json_t *blk, const char *path,
                       struct load_rep *r)
{
    char p[JR_PATH_LEN], q[JR_PATH_LEN], rp[JR_PATH_LEN];
    const json_t *o, *rows, *row;
    size_t i, ncols;

    if (get_part(rd, blk, path, "series", &o, p) < 0)
        return -1;
    ncols = series_ncols(o);
    if (get_count(rd, o, p, "interval_ns", JR_REQ, &r->interval_ns) < 0 ||
        check_columns(rd, o, p, ncols, load_series_column) < 0 ||
        jr_get_arr(rd, o, p, "rows", JR_REQ, &rows) < 0)
        return -1;
    if (!json_array_size(rows))
        return 0;
    jr_join(rp, p, "rows");
    if (!(r->iv = calloc(json_array_size(rows), sizeof *r->iv)))
        return jr_oom(rd);
    r->niv = json_array_size(rows);
    for (i = 0; i < r->niv; i++) {
        row = json_array_get(rows, i);
        if (json_is_array(row) && json_array_size(row) == ncols &&
            series_row_fast(row, &r->iv[i], ncols == LOAD_SERIES_NCOLS_OLD))
            continue;
        if (!(row = row_at(rd, rows, rp, i, ncols, q)) ||
            series_row(rd, row, q, &r->iv[i], ncols == LOAD_SERIES_NCOLS_OLD) < 0)
            return -1;
    }
    return 0;
}

static int read_generator(const struct jr *rd, const json_t *blk, const char *path,
                          struct load_gen *g)
{
    char p[JR_PATH_LEN];
    const json_t *o;

    if (get_part(rd, blk, path, "generator", &o, p) < 0 ||
        jr_get_num(rd, o, p, "cpu_user", JR_REQ | JR_NUL, &g->cpu_user) < 0 ||
        jr_get_num(rd, o, p, "cpu_sys", JR_REQ | JR_NUL, &g->cpu_sys) < 0 ||
        jr_get_num(rd, o, p, "busy_max", JR_REQ | JR_NUL, &g->busy_max) < 0)
        return -1;
    /* recorded since the closed loop naps, and since the wait for a CPU is
     * read: absent before */
    g->wait_max = NAN;
    if (get_count(rd, o, p, "reads", 0, &g->reads) < 0 ||
        get_count(rd, o, p, "stamped_reads", 0, &g->stamped_reads) < 0 ||
        get_count(rd, o, p, "naps", 0, &g->naps) < 0 ||
        jr_get_num(rd, o, p, "wait_max", JR_NUL, &g->wait_max) < 0)
        return -1;
    /* the back end, recorded since there are two */
    g->io[0] = 0;
    {
        const char *io = NULL;
        enum load_io v;
        if (jr_get_cstr(rd, o, p, "io", 0, &io) < 0)
            return -1;
        if (io && load_io_parse(io, &v) < 0)
            return err_set(rd->e, "%s: %s.io: unknown back end \"%s\" (expected epoll or io_uring)",
                           rd->name, p, io);
        if (io)
            snprintf(g->io, sizeof g->io, "%s", io);
    }
    return 0;
}

/* ---- the monitor ------------------------------------------------------------------ */

static const char *mon_column(size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "%s", i < LOAD_MON_NREALS ? load_mon_reals[i].key
                                                  : load_mon_ints[i - LOAD_MON_NREALS].key);
    return buf;
}

static int mon_row(const struct jr *rd, const json_t *row, const char *q, struct mon_row *m)
{
    char p[JR_PATH_LEN];
    long long x;
    size_t i;

    for (i = 0; i < LOAD_MON_NREALS; i++)
        if (jr_num(rd, json_array_get(row, i), jr_index(p, q, i), JR_NUL,
                   LOAD_AT(double, m, &load_mon_reals[i])) < 0)
            return -1;
    for (i = 0; i < LOAD_MON_NINTS; i++) {
        x = 0;
        if (jr_int(rd, json_array_get(row, LOAD_MON_NREALS + i),
                   jr_index(p, q, LOAD_MON_NREALS + i), 0, LLONG_MIN, LLONG_MAX, &x) < 0)
            return -1;
        *LOAD_AT(int64_t, m, &load_mon_ints[i]) = x;
    }
    return 0;
}

static int mon_rows(const struct jr *rd, const json_t *o, const char *p, struct load_rep_mon *m)
{
    char rp[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *rows, *row;
    size_t i;

    if (jr_get_arr(rd, o, p, "rows", JR_REQ, &rows) < 0)
        return -1;
    if (!json_array_size(rows))
        return 0;
    jr_join(rp, p, "rows");
    if (!(m->rows = calloc(json_array_size(rows), sizeof *m->rows)))
        return jr_oom(rd);
    m->nrows = json_array_size(rows);
    for (i = 0; i < m->nrows; i++)
        if (!(row = row_at(rd, rows, rp, i, LOAD_MON_NCOLS, q)) ||
            mon_row(rd, row, q, &m->rows[i]) < 0)
            return -1;
    return 0;
}

static const char *tcp_column(size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "%s", load_tcp_cols[i]);
    return buf;
}

static const char *net_column(size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "%s", i ? load_net_ints[i - 1].key : "t");
    return buf;
}

/* A count of a row (v at path p) into *out. */
static int tcp_count_at(const struct jr *rd, const json_t *v, const char *p, int64_t *out)
{
    long long x = 0;

    if (jr_int(rd, v, p, 0, 0, LLONG_MAX, &x) < 0)
        return -1;
    *out = x;
    return 0;
}

/* One port group ["in"|"out", port, count] (at path p). */
static int tcp_port(const struct jr *rd, const json_t *g, const char *p, struct mon_port *out)
{
    char q[JR_PATH_LEN], got[JR_QUOTE_BUF];
    const json_t *dir = json_array_get(g, 0);
    long long port = 0;

    if (!json_is_array(g) || json_array_size(g) != 3)
        return json_is_array(g)
                   ? jr_fail(rd, p, "expected [\"in\" or \"out\", port, count], got an array "
                                    "of %zu", json_array_size(g))
                   : jr_expected(rd, p, "array", g);
    if (!json_is_string(dir) ||
        (strcmp(json_string_value(dir), "in") && strcmp(json_string_value(dir), "out")))
        return jr_fail(rd, jr_index(q, p, 0), "expected \"in\" or \"out\", got %s",
                       json_is_string(dir) ? jr_quote(got, sizeof got, json_string_value(dir))
                                           : jr_type(dir));
    out->inbound = !strcmp(json_string_value(dir), "in");
    if (jr_int(rd, json_array_get(g, 1), jr_index(q, p, 1), 0, 0, 65535, &port) < 0 ||
        tcp_count_at(rd, json_array_get(g, 2), jr_index(q, p, 2), &out->count) < 0)
        return -1;
    out->port = (int32_t)port;
    return 0;
}

/* One row of a tree's TCP counts (at path q; null: not read). */
static int tcp_row(const struct jr *rd, const json_t *row, const char *q, struct mon_tcp *c)
{
    char p[JR_PATH_LEN], pp[JR_PATH_LEN];
    const json_t *ports;
    int64_t sum = 0;
    size_t i;

    memset(c, 0, sizeof *c);
    if (json_is_null(row))
        return 0;
    if (!json_is_array(row))
        return jr_expected(rd, q, "array or null", row);
    if (json_array_size(row) != LOAD_TCP_NCOLS)
        return jr_fail(rd, q, "expected %d values, got an array of %zu", LOAD_TCP_NCOLS,
                       json_array_size(row));
    if (tcp_count_at(rd, json_array_get(row, 0), jr_index(p, q, 0), &c->listen) < 0 ||
        tcp_count_at(rd, json_array_get(row, 1), jr_index(p, q, 1), &c->established) < 0 ||
        tcp_count_at(rd, json_array_get(row, 2), jr_index(p, q, 2), &c->other) < 0)
        return -1;
    ports = json_array_get(row, 3);
    jr_index(p, q, 3);
    if (!json_is_array(ports))
        return jr_expected(rd, p, "array", ports);
    if (json_array_size(ports) > MON_NPORTS)
        return jr_fail(rd, p, "expected at most %d ports, got %zu", MON_NPORTS,
                       json_array_size(ports));
    c->nports = json_array_size(ports);
    for (i = 0; i < c->nports; i++) {
        if (tcp_port(rd, json_array_get(ports, i), jr_index(pp, p, i), &c->ports[i]) < 0)
            return -1;
        sum += c->ports[i].count;
    }
    if (sum > c->established)
        return jr_fail(rd, p, "the ports hold %lld connections, more than the %lld established",
                       (long long)sum, (long long)c->established);
    c->known = 1;
    return 0;
}

/* A tree's TCP counts (since 1.11; absent before): a row per monitor row. */
static int read_tcp(const struct jr *rd, const json_t *o, const char *p, struct load_rep_mon *m)
{
    char tp[JR_PATH_LEN], rp[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *t, *rows;
    size_t i;

    if (jr_get_obj(rd, o, p, "tcp", 0, &t) < 0)
        return -1;
    if (!t)
        return 0;
    jr_join(tp, p, "tcp");
    if (check_columns(rd, t, tp, LOAD_TCP_NCOLS, tcp_column) < 0 ||
        jr_get_arr(rd, t, tp, "rows", JR_REQ, &rows) < 0)
        return -1;
    jr_join(rp, tp, "rows");
    if (json_array_size(rows) != m->nrows)
        return jr_fail(rd, rp, "expected %zu rows (one a monitor row), got %zu", m->nrows,
                       json_array_size(rows));
    for (i = 0; i < m->nrows; i++)
        if (tcp_row(rd, json_array_get(rows, i), jr_index(q, rp, i), &m->rows[i].tcp) < 0)
            return -1;
    return 0;
}

/* The network's rows (since 1.11; absent before: none). */
static int read_net(const struct jr *rd, const json_t *blk, const char *path, struct load_rep *r)
{
    char p[JR_PATH_LEN], rp[JR_PATH_LEN], q[JR_PATH_LEN], c[JR_PATH_LEN];
    const json_t *o, *rows, *row;
    size_t i, k;

    if (jr_get_obj(rd, blk, path, "monitor_net", 0, &o) < 0)
        return -1;
    if (!o)
        return 0;
    jr_join(p, path, "monitor_net");
    if (check_columns(rd, o, p, LOAD_NET_NCOLS, net_column) < 0 ||
        jr_get_arr(rd, o, p, "rows", JR_REQ, &rows) < 0)
        return -1;
    if (!json_array_size(rows))
        return 0;
    jr_join(rp, p, "rows");
    if (!(r->net = calloc(json_array_size(rows), sizeof *r->net)))
        return jr_oom(rd);
    r->nnet = json_array_size(rows);
    for (i = 0; i < r->nnet; i++) {
        if (!(row = row_at(rd, rows, rp, i, LOAD_NET_NCOLS, q)) ||
            jr_num(rd, json_array_get(row, 0), jr_index(c, q, 0), 0, &r->net[i].t) < 0)
            return -1;
        for (k = 0; k < LOAD_NET_NINTS; k++) {
            long long x = 0;

            if (jr_int(rd, json_array_get(row, k + 1), jr_index(c, q, k + 1), 0, -1,
                       LLONG_MAX, &x) < 0)
                return -1;
            *LOAD_AT(int64_t, &r->net[i], &load_net_ints[k]) = x;
        }
    }
    return 0;
}

/* One series of the monitor (o, at path p). */
static int read_mon(const struct jr *rd, const json_t *o, const char *p, struct load_rep_mon *m)
{
    char sp[JR_PATH_LEN];
    const json_t *sum;
    long long pid = 0;
    size_t i;

    if (!json_is_object(o))
        return jr_expected(rd, p, "object", o);
    if (jr_get_str(rd, o, p, "label", JR_REQ, &m->label) < 0 ||
        jr_get_int(rd, o, p, "pid", JR_REQ, 0, INT_MAX, &pid) < 0 ||
        get_count(rd, o, p, "period_ns", JR_REQ, &m->period_ns) < 0 ||
        jr_get_bool(rd, o, p, "gone", JR_REQ, &m->gone) < 0 ||
        check_columns(rd, o, p, LOAD_MON_NCOLS, mon_column) < 0 || mon_rows(rd, o, p, m) < 0 ||
        get_part(rd, o, p, "summary", &sum, sp) < 0)
        return -1;
    m->pid = (pid_t)pid;
    for (i = 0; i < LOAD_NSUMMARY; i++)
        if (jr_get_num(rd, sum, sp, load_summary[i].key, JR_REQ | JR_NUL,
                       LOAD_AT(double, &m->summary, &load_summary[i])) < 0)
            return -1;
    return read_tcp(rd, o, p, m);
}

/* The monitor's series, and where the window lies on its clock (absent
 * in blocks written before it was recorded: NaN). */
static int read_monitor(const struct jr *rd, const json_t *blk, const char *path,
                        struct load_rep *r)
{
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *a, *w;
    size_t i;

    r->window_s[0] = r->window_s[1] = NAN;
    if (jr_get_arr(rd, blk, path, "monitor", JR_REQ, &a) < 0 || read_net(rd, blk, path, r) < 0)
        return -1;
    jr_join(p, path, "monitor");
    if (json_array_size(a)) {
        if (!(r->mon = calloc(json_array_size(a), sizeof *r->mon)))
            return jr_oom(rd);
        r->nmon = json_array_size(a);
        for (i = 0; i < r->nmon; i++)
            if (read_mon(rd, json_array_get(a, i), jr_index(q, p, i), &r->mon[i]) < 0)
                return -1;
    }
    if (jr_get_arr(rd, blk, path, "monitor_window_s", 0, &w) < 0)
        return -1;
    if (!w)
        return 0;
    jr_join(p, path, "monitor_window_s");
    if (json_array_size(w) != 2)
        return jr_fail(rd, p, "expected [from, to], got an array of %zu", json_array_size(w));
    for (i = 0; i < 2; i++)
        if (jr_num(rd, json_array_get(w, i), jr_index(q, p, i), 0, &r->window_s[i]) < 0)
            return -1;
    return 0;
}

/* ---- a block ------------------------------------------------------------------------ */

static int read_block(const struct jr *rd, const json_t *blk, const char *path,
                      struct load_rep *r)
{
    size_t i;

    if (!json_is_object(blk))
        return jr_expected(rd, path, "object", blk);
    if (read_settings(rd, blk, path, &r->set) < 0 ||
        jr_get_bool(rd, blk, path, "complete", JR_REQ, &r->complete) < 0 ||
        jr_get_bool(rd, blk, path, "valid", JR_REQ, &r->valid) < 0 ||
        jr_get_str(rd, blk, path, "invalid_reason", JR_REQ | JR_NUL, &r->invalid_reason) < 0)
        return -1;
    for (i = 0; i < LOAD_NCOUNTS; i++)
        if (get_count(rd, blk, path, load_counts[i].key, JR_REQ,
                      LOAD_AT(uint64_t, r, &load_counts[i])) < 0)
            return -1;
    for (i = 0; i < LOAD_NCOUNTS_OPT; i++)   /* absent in older blocks */
        if (get_count(rd, blk, path, load_counts_opt[i].key, 0,
                      LOAD_AT(uint64_t, r, &load_counts_opt[i])) < 0)
            return -1;
    if (jr_get_num(rd, blk, path, "throughput", JR_REQ | JR_NUL, &r->throughput) < 0 ||
        read_latency(rd, blk, path, r) < 0 || read_errors(rd, blk, path, r) < 0 ||
        read_series(rd, blk, path, r) < 0 || read_generator(rd, blk, path, &r->gen) < 0 ||
        read_monitor(rd, blk, path, r) < 0)
        return -1;
    return 0;
}

int load_rep_from_json(const struct jr *rd, const json_t *obj, const char *path,
                       struct load_rep *r)
{
    memset(r, 0, sizeof *r);
    if (read_block(rd, obj, path, r) < 0) {
        load_rep_free(r);
        return -1;
    }
    return 0;
}

int load_reps_from_json(const struct jr *rd, const json_t *arr, const char *path,
                        struct load_rep **reps, size_t *n)
{
    char p[JR_PATH_LEN];
    struct load_rep *rs;
    size_t i, len = json_array_size(arr);

    *reps = NULL;
    *n = 0;
    if (!json_is_array(arr))
        return jr_expected(rd, path, "array", arr);
    if (!len)
        return 0;
    if (!(rs = calloc(len, sizeof *rs)))
        return jr_oom(rd);
    for (i = 0; i < len; i++)
        if (load_rep_from_json(rd, json_array_get(arr, i), jr_index(p, path, i), &rs[i]) < 0) {
            load_reps_free(rs, i);
            return -1;
        }
    *reps = rs;
    *n = len;
    return 0;
}
