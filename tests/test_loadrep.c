/*
 * test_loadrep.c: harness/result/loadrep.c, the record of a load
 * repetition: built from a hand-made run (what it copies, the monitor's
 * summary over the measured window), its JSON block (its shape, unknown
 * numbers as null), and read back exactly.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/hist.h"
#include "harness/load/loadgen.h"
#include "harness/result/loadrep.h"
#include "helpers.h"

#define SAVE_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(17) | JSON_INDENT(1))

/*
 * The server's rows are hand_series() (helpers.h): over [0.25, 0.75], cpu 1
 * core mean and 1.25 max, user 0.75, sys 0.25, rss mean 11000 / 3 and max
 * 6000, threads 4, fds 9, switches 44 and 4 per second, reads 400 per
 * second, writes unknown (-1).  Pacer's own rows follow.
 */
static struct mon_row pacer_rows[] = {
    { 0.125, 0.5, 0.25, 4096, 3, 8, 1, 0, 10, 20, 1 },
    { 0.875, 0.75, 0.25, 8192, 3, 8, 2, 0, 30, 40, 1 },
};

/* What a run leaves, made by hand (nothing allocated but the histograms). */
struct fake {
    struct load_opts o;
    struct load_out out;
    struct load_errno errnos[3];
    struct load_interval iv[2];
    struct mon_series series[2];
};

static void fake_run(struct fake *f, int open)
{
    static const uint64_t lat[] = { 1000, 2000, 3000, 5000, 8000, 13000, 21000, 34000 };
    size_t i;

    memset(f, 0, sizeof *f);
    load_opts_default(&f->o);
    f->o.url_text = "http://127.0.0.1:8080/x";
    f->o.rate = open ? 1000 : 0;
    f->o.arrival = open ? ARRIVAL_POISSON : ARRIVAL_CONSTANT;
    f->o.seed = UINT64_MAX - 1;      /* above INT64_MAX: written as -2 */
    f->o.warmup_ns = 500000000;
    f->o.duration_ns = 2000000000;
    f->o.interval_ns = 1000000000;
    hist_init_ok(&f->out.latency, 3, H60);
    hist_init_ok(&f->out.latency_sent, 3, H60);
    for (i = 0; i < sizeof lat / sizeof *lat; i++) {
        hist_record(&f->out.latency, lat[i]);
        hist_record(&f->out.latency_sent, lat[i] / 2);
    }
    f->out.complete = 1;
    f->out.valid = 0;
    snprintf(f->out.invalid, sizeof f->out.invalid, "the generator was the bottleneck");
    f->out.elapsed_s = 2.0000000004;
    f->out.requests = 300;
    f->out.sent = 304;
    f->out.bytes = 4096;
    f->out.connects = 10;
    f->out.server_closed = 7;
    f->out.late = 2;
    f->out.queued = 1;
    f->out.inflight_end = 2;
    f->out.errors[LC_READ] = 3;
    f->out.errors[LC_PARSE] = 1;
    f->out.nerrors = 4;
    f->errnos[0] = (struct load_errno){ LC_READ, ECONNRESET, 2 };
    f->errnos[1] = (struct load_errno){ LC_READ, 0, 1 };
    f->errnos[2] = (struct load_errno){ LC_PARSE, 0, 1, "bad status line" };
    f->out.errnos = f->errnos;
    f->out.nerrnos = 3;
    f->iv[0] = (struct load_interval){ 0.0, 150, 152, { 0, 2, 0, 0, 1, 0, 0 }, 1, 2048,
                                       2000, 8000, 13000, 13000, 13000 };
    f->iv[1] = (struct load_interval){ 1.0, 150, 152, { 0, 1, 0, 0, 0, 0, 0 }, 1, 2048,
                                       3000, 21000, 34000, 34000, 34000 };
    f->iv[0].target = 20;
    f->iv[1].target = 40;
    f->iv[0].achieved = f->iv[1].achieved = NAN;
    f->out.iv = f->iv;
    f->out.niv = 2;
    f->out.cpu_user = 0.25;
    f->out.cpu_sys = 0.125;
    f->out.busy_max = 0.5;
    f->out.reads = 290;
    f->out.stamped = 280;
    f->out.naps = 7;
    f->out.io = LOAD_IO_URING;
    f->series[0] = hand_series();
    f->series[1] = (struct mon_series){ "pacer", 77, pacer_rows, 2, 2, 1 };
    f->out.mon.period_ns = 100000000;
    f->out.mon.series = f->series;
    f->out.mon.nseries = 2;
    f->out.mon_from = 0.25;
    f->out.mon_to = 0.75;
}

static void fake_free(struct fake *f)
{
    hist_free(&f->out.latency);
    hist_free(&f->out.latency_sent);
}

static void rep_of(struct load_rep *r, struct fake *f, int open)
{
    struct err e = { 0 };

    fake_run(f, open);
    cr_assert_eq(load_rep_from_run(r, &f->o, &f->out, &e), 0, "%s", e.msg);
}

/* r's block as text, as a result file holds it. */
static char *block_text(const struct load_rep *r)
{
    json_t *j = load_rep_to_json(r);
    char *text;

    cr_assert_not_null(j);
    text = json_dumps(j, SAVE_FLAGS);
    cr_assert_not_null(text);
    json_decref(j);
    return text;
}

/* text (a block) read back, as benchmarks[0].load[0] of "f.json". */
static int block_read(struct load_rep *r, const char *text, struct err *e)
{
    struct jr rd = { "f.json", e };
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    int rc;

    cr_assert_not_null(j, "%s", je.text);
    rc = load_rep_from_json(&rd, j, "benchmarks[0].load[0]", r);
    json_decref(j);
    return rc;
}

Test(record, from_run_copies_the_run)
{
    struct fake f;
    struct load_rep r;

    rep_of(&r, &f, 1);
    cr_assert_str_eq(r.set.url, "http://127.0.0.1:8080/x");
    cr_assert_eq(r.set.open, 1);
    cr_assert_eq(r.set.arrival, ARRIVAL_POISSON);
    cr_assert_eq(r.set.seed, UINT64_MAX - 1);
    cr_assert_eq(r.set.connections, 10);
    cr_assert_eq(r.valid, 0);
    cr_assert_str_eq(r.invalid_reason, "the generator was the bottleneck");
    cr_assert_eq(r.elapsed_ns, 2000000000);
    cr_assert_eq(r.throughput, 300 / 2.0000000004);
    cr_assert_eq(r.requests, 300);
    cr_assert_eq(r.server_closed, 7);
    cr_assert_eq(r.errors[LC_READ], 3);
    cr_assert_eq(r.errors_total, 4);
    assert_same_hist(&r.latency, &f.out.latency);
    cr_assert_eq(r.from_send, 1);
    assert_same_hist(&r.latency_sent, &f.out.latency_sent);
    cr_assert_eq(r.pct.have, 1);
    cr_assert_eq(r.pct.p[LOAD_P99], hist_percentile(&f.out.latency, 99));
    cr_assert_eq(r.pct.p[LOAD_PMAX], 34000);
    cr_assert_eq(r.pct.min, 1000);
    cr_assert_eq(r.pct_sent.min, 500);
    cr_assert_eq(r.nerrnos, 3);
    cr_assert_str_eq(r.errnos[0].text, strerror(ECONNRESET));
    cr_assert_str_eq(r.errnos[1].text, "closed by the server");
    cr_assert_str_eq(r.errnos[2].text, "bad status line");
    cr_assert_eq(r.niv, 2);
    cr_assert_eq(memcmp(r.iv, f.iv, sizeof f.iv), 0);
    cr_assert_eq(r.gen.naps, 7);
    cr_assert_str_eq(r.gen.io, "io_uring");
    cr_assert_eq(r.nmon, 2);
    cr_assert_str_eq(r.mon[0].label, "server");
    cr_assert_eq(r.mon[0].nrows, 5);
    cr_assert_eq(r.mon[0].period_ns, 100000000);
    /* the summary over the measured window, not all the rows */
    cr_assert_eq(r.mon[0].summary.cpu_mean, 1.0);
    cr_assert_eq(r.mon[0].summary.cpu_max, 1.25);
    cr_assert_eq(r.mon[0].summary.rss_mean, 11000.0 / 3.0);
    cr_assert_eq(r.mon[0].summary.write_bytes_per_s, -1.0);
    cr_assert_eq(r.mon[1].gone, 1);
    cr_assert_eq(r.window_s[0], 0.25);
    cr_assert_eq(r.window_s[1], 0.75);
    load_rep_free(&r);
    fake_free(&f);

    rep_of(&r, &f, 0);
    cr_assert_eq(r.set.open, 0);
    cr_assert_eq(r.from_send, 0);
    cr_assert_null(r.latency_sent.counts);
    load_rep_free(&r);
    fake_free(&f);
}

/* The keys of an object, sorted and joined by spaces. */
static void keys_of(const json_t *o, char *buf, size_t size)
{
    const char *k;
    json_t *v;
    char *text;
    json_t *sorted = json_object();

    json_object_foreach((json_t *)o, k, v)
        json_object_set_new(sorted, k, json_null());
    text = json_dumps(sorted, JSON_SORT_KEYS | JSON_COMPACT);
    snprintf(buf, size, "%s", text);
    free(text);
    json_decref(sorted);
}

Test(record_json, block_shape)
{
    struct fake f;
    struct load_rep r;
    json_t *j, *s, *en, *ser, *gen;
    char keys[2048];

    rep_of(&r, &f, 1);
    j = load_rep_to_json(&r);
    cr_assert_not_null(j);
    keys_of(j, keys, sizeof keys);
    cr_assert_str_eq(keys, "{\"bytes\":null,\"complete\":null,\"connects\":null,"
                     "\"due\":null,\"elapsed_ns\":null,\"errnos\":null,\"errors\":null,"
                     "\"generator\":null,\"inflight_end\":null,\"invalid_reason\":null,"
                     "\"late\":null,\"late_wake\":null,\"latency\":null,"
                     "\"latency_from_send\":null,\"monitor\":null,"
                     "\"monitor_window_s\":null,\"no_free_connection\":null,"
                     "\"percentiles\":null,\"percentiles_from_send\":null,\"queued\":null,"
                     "\"requests\":null,\"sent\":null,\"series\":null,\"server_closed\":null,"
                     "\"settings\":null,\"throughput\":null,\"unsent_end\":null,\"valid\":null,"
                     "\"warmup_errors\":null,\"warmup_requests\":null}");
    s = json_object_get(j, "settings");
    keys_of(s, keys, sizeof keys);
    cr_assert_str_eq(keys, "{\"arrival\":null,\"connections\":null,\"digits\":null,"
                     "\"duration_ns\":null,\"keepalive\":null,\"late_ns\":null,\"mode\":null,"
                     "\"nap\":null,\"pipeline\":null,\"rate\":null,\"seed\":null,\"threads\":null,"
                     "\"timeout_ns\":null,\"url\":null,\"warmup_ns\":null}");
    cr_assert_str_eq(json_string_value(json_object_get(s, "mode")), "open");
    cr_assert_str_eq(json_string_value(json_object_get(s, "arrival")), "poisson");
    cr_assert_eq(json_integer_value(json_object_get(s, "seed")), -2);
    cr_assert(json_is_real(json_object_get(s, "rate")));
    cr_assert(json_is_true(json_object_get(s, "keepalive")));
    cr_assert_eq(json_integer_value(json_object_get(j, "elapsed_ns")), 2000000000);
    cr_assert(json_is_real(json_object_get(j, "throughput")));
    cr_assert_str_eq(json_string_value(json_object_get(j, "invalid_reason")),
                     "the generator was the bottleneck");
    keys_of(json_object_get(j, "percentiles"), keys, sizeof keys);
    cr_assert_str_eq(keys, "{\"max\":null,\"mean\":null,\"min\":null,\"p50\":null,"
                     "\"p90\":null,\"p95\":null,\"p99\":null,\"p99.9\":null,\"p99.99\":null,"
                     "\"stddev\":null}");
    keys_of(json_object_get(j, "errors"), keys, sizeof keys);
    cr_assert_str_eq(keys, "{\"connect\":null,\"parse\":null,\"read\":null,"
                     "\"status_4xx\":null,\"status_5xx\":null,\"timeout\":null,"
                     "\"total\":null,\"write\":null}");
    en = json_array_get(json_object_get(j, "errnos"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(en, "class")), "read");
    cr_assert_eq(json_integer_value(json_object_get(en, "errno")), ECONNRESET);
    cr_assert_eq(json_integer_value(json_object_get(en, "count")), 2);
    ser = json_object_get(j, "series");
    cr_assert_eq(json_integer_value(json_object_get(ser, "interval_ns")), 1000000000);
    /* since 1.10 errors.too_large, then the shape asked and achieved, end
     * each row */
    cr_assert_eq(json_array_size(json_object_get(ser, "columns")), 20);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(ser, "columns"), 17)),
                     "errors.too_large");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(ser, "columns"), 18)),
                     "target");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(ser, "columns"), 19)),
                     "achieved");
    cr_assert_eq(json_real_value(json_array_get(json_array_get(json_object_get(ser, "rows"),
                                                               1), 18)), 40.0);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(ser, "columns"), 9)),
                     "max");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(ser, "columns"), 16)),
                     "errors.status_5xx");
    cr_assert_eq(json_integer_value(json_array_get(json_array_get(json_object_get(ser, "rows"),
                                                                  1), 11)), 1);
    gen = json_object_get(j, "generator");
    cr_assert_eq(json_integer_value(json_object_get(gen, "stamped_reads")), 280);
    cr_assert_eq(json_real_value(json_object_get(gen, "busy_max")), 0.5);
    cr_assert_eq(json_real_value(json_array_get(json_object_get(j, "monitor_window_s"), 1)),
                 0.75);
    json_decref(j);
    load_rep_free(&r);
    fake_free(&f);

    rep_of(&r, &f, 0);
    j = load_rep_to_json(&r);
    cr_assert_null(json_object_get(j, "latency_from_send"));
    cr_assert_null(json_object_get(j, "percentiles_from_send"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "settings"), "mode")),
                     "closed");
    json_decref(j);
    load_rep_free(&r);
    fake_free(&f);
}

Test(record_json, monitor_shape)
{
    static const char *const cols[] = { "t", "cpu_user", "cpu_sys", "rss", "threads", "fds",
                                        "vol_ctxsw", "invol_ctxsw", "read_bytes",
                                        "write_bytes", "procs" };
    static const struct { const char *key; double want; } sum[] = {
        { "duration", 0.5 }, { "cpu_mean", 1.0 }, { "cpu_max", 1.25 },
        { "cpu_user_mean", 0.75 }, { "cpu_sys_mean", 0.25 }, { "rss_mean", 11000.0 / 3.0 },
        { "rss_max", 6000 }, { "threads_max", 4 }, { "fds_max", 9 },
        { "ctxsw_per_s", 44 }, { "invol_ctxsw_per_s", 4 }, { "read_bytes_per_s", 400 },
        { "write_bytes_per_s", -1 },
    };
    struct fake f;
    struct load_rep rep;
    json_t *blk, *j, *c, *rows, *r, *su;
    size_t i;

    rep_of(&rep, &f, 0);
    blk = load_rep_to_json(&rep);
    cr_assert_not_null(blk);
    cr_assert_eq(json_array_size(json_object_get(blk, "monitor")), 2);
    j = json_array_get(json_object_get(blk, "monitor"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(j, "label")), "server");
    cr_assert_eq(json_integer_value(json_object_get(j, "pid")), 4242);
    cr_assert_eq(json_integer_value(json_object_get(j, "period_ns")), 100000000);
    cr_assert(json_is_false(json_object_get(j, "gone")));
    c = json_object_get(j, "columns");
    cr_assert_eq(json_array_size(c), 11);
    for (i = 0; i < 11; i++)
        cr_assert_str_eq(json_string_value(json_array_get(c, i)), cols[i]);
    rows = json_object_get(j, "rows");
    cr_assert_eq(json_array_size(rows), 5, "all rows, not only the summary window");
    for (i = 0; i < 5; i++)
        cr_assert_eq(json_array_size(json_array_get(rows, i)), 11);
    r = json_array_get(rows, 3);
    cr_assert(json_is_real(json_array_get(r, 0)));
    cr_assert_eq(json_real_value(json_array_get(r, 0)), 0.75);
    cr_assert_eq(json_real_value(json_array_get(r, 1)), 1.5);
    cr_assert_eq(json_real_value(json_array_get(r, 2)), 0.625);
    cr_assert(json_is_integer(json_array_get(r, 3)));
    cr_assert_eq(json_integer_value(json_array_get(r, 3)), 6000);
    cr_assert_eq(json_integer_value(json_array_get(r, 6)), 40);
    cr_assert_eq(json_integer_value(json_array_get(r, 9)), -1);
    cr_assert_eq(json_integer_value(json_array_get(r, 10)), 1);
    su = json_object_get(j, "summary");
    cr_assert(json_is_object(su));
    cr_assert_eq(json_object_size(su), sizeof sum / sizeof *sum);
    for (i = 0; i < sizeof sum / sizeof *sum; i++) {
        json_t *v = json_object_get(su, sum[i].key);

        cr_assert(json_is_number(v), "summary.%s", sum[i].key);
        cr_assert_eq(json_number_value(v), sum[i].want, "summary.%s = %.17g", sum[i].key,
                     json_number_value(v));
    }
    j = json_array_get(json_object_get(blk, "monitor"), 1);
    cr_assert_str_eq(json_string_value(json_object_get(j, "label")), "pacer");
    cr_assert(json_is_true(json_object_get(j, "gone")));
    json_decref(blk);
    load_rep_free(&rep);
    fake_free(&f);
}

Test(record_json, round_trip_exact)
{
    struct err e = { 0 };
    int open;

    for (open = 0; open < 2; open++) {
        struct fake f;
        struct load_rep r, back;
        char *a, *b;

        rep_of(&r, &f, open);
        a = block_text(&r);
        cr_assert_eq(block_read(&back, a, &e), 0, "%s", e.msg);
        b = block_text(&back);
        cr_assert_str_eq(a, b);
        assert_same_hist(&back.latency, &r.latency);
        cr_assert_eq(back.set.seed, UINT64_MAX - 1);
        cr_assert_eq(back.throughput, r.throughput);
        cr_assert_eq(back.server_closed, 7);
        cr_assert_eq(back.mon[0].summary.rss_mean, 11000.0 / 3.0);
        cr_assert_eq(memcmp(back.mon[0].rows, f.series[0].rows,
                            f.series[0].n * sizeof *f.series[0].rows), 0);
        cr_assert_eq(memcmp(back.iv, r.iv, r.niv * sizeof *r.iv), 0);
        cr_assert_eq(back.from_send, open);
        free(a);
        free(b);
        load_rep_free(&back);
        load_rep_free(&r);
        fake_free(&f);
    }
}

/* Blocks before schema 1.13 have no p95: the reader takes it from their
 * histogram as the writer does.  fake_run's 8 latencies, 1 us to 34 us,
 * and their halves from the send: the 95th percentile by nearest rank is
 * the 8th of 8 (ceil(0.95 * 8) = 8), 34 us and 17 us; the histogram keeps
 * 3 digits. */
Test(record_json, p95_of_older_blocks_from_their_histogram)
{
    struct err e = { 0 };
    struct fake f;
    struct load_rep r, back;
    json_t *j;
    char *text;

    rep_of(&r, &f, 1);
    cr_assert_lt(llabs((long long)r.pct.p[LOAD_P95] - 34000), 35, "%llu",
                 (unsigned long long)r.pct.p[LOAD_P95]);
    cr_assert_lt(llabs((long long)r.pct_sent.p[LOAD_P95] - 17000), 18, "%llu",
                 (unsigned long long)r.pct_sent.p[LOAD_P95]);
    j = load_rep_to_json(&r);
    cr_assert_eq(json_object_del(json_object_get(j, "percentiles"), "p95"), 0);
    cr_assert_eq(json_object_del(json_object_get(j, "percentiles_from_send"), "p95"), 0);
    text = json_dumps(j, SAVE_FLAGS);
    cr_assert_eq(block_read(&back, text, &e), 0, "%s", e.msg);
    cr_assert_eq(back.pct.p[LOAD_P95], r.pct.p[LOAD_P95]);
    cr_assert_eq(back.pct_sent.p[LOAD_P95], r.pct_sent.p[LOAD_P95]);
    cr_assert_eq(back.pct.p[LOAD_P99], r.pct.p[LOAD_P99]);
    /* a p95 that is there is read as it is, not recomputed */
    json_object_set_new(json_object_get(j, "percentiles"), "p95", json_integer(12345));
    free(text);
    text = json_dumps(j, SAVE_FLAGS);
    load_rep_free(&back);
    cr_assert_eq(block_read(&back, text, &e), 0, "%s", e.msg);
    cr_assert_eq(back.pct.p[LOAD_P95], 12345);
    free(text);
    json_decref(j);
    load_rep_free(&back);
    load_rep_free(&r);
    fake_free(&f);
}

Test(record_json, unknown_numbers_are_null)
{
    struct err e = { 0 };
    struct fake f;
    struct load_rep r, back;
    json_t *j;
    char *text;

    rep_of(&r, &f, 0);
    r.throughput = NAN;
    r.pct.stddev = NAN;
    r.gen.busy_max = NAN;
    r.window_s[0] = NAN;
    r.valid = 1;
    free(r.invalid_reason);
    r.invalid_reason = NULL;
    j = load_rep_to_json(&r);
    cr_assert_not_null(j);
    cr_assert(json_is_null(json_object_get(j, "throughput")));
    cr_assert(json_is_null(json_object_get(json_object_get(j, "percentiles"), "stddev")));
    cr_assert(json_is_null(json_object_get(json_object_get(j, "generator"), "busy_max")));
    cr_assert(json_is_null(json_object_get(j, "invalid_reason")));
    cr_assert_null(json_object_get(j, "monitor_window_s"), "written only when known");
    text = json_dumps(j, SAVE_FLAGS);
    cr_assert_eq(block_read(&back, text, &e), 0, "%s", e.msg);
    cr_assert(isnan(back.throughput));
    cr_assert(isnan(back.pct.stddev));
    cr_assert(isnan(back.gen.busy_max));
    cr_assert(isnan(back.window_s[0]) && isnan(back.window_s[1]));
    cr_assert_null(back.invalid_reason);
    free(text);
    json_decref(j);
    load_rep_free(&back);
    load_rep_free(&r);
    fake_free(&f);
}

Test(record_json, reps_array)
{
    struct err e = { 0 };
    struct jr rd = { "f.json", &e };
    struct fake f1, f2;
    struct load_rep rs[2], *back;
    size_t n;
    json_t *a, *b, *empty = json_array();

    rep_of(&rs[0], &f1, 0);
    rep_of(&rs[1], &f2, 1);
    a = load_reps_to_json(rs, 2);
    cr_assert_eq(json_array_size(a), 2);
    cr_assert_eq(load_reps_from_json(&rd, a, "load", &back, &n), 0, "%s", e.msg);
    cr_assert_eq(n, 2);
    b = load_reps_to_json(back, n);
    cr_assert(json_equal(a, b));
    load_reps_free(back, n);
    cr_assert_eq(load_reps_from_json(&rd, empty, "load", &back, &n), 0, "%s", e.msg);
    cr_assert_null(back);
    cr_assert_eq(n, 0);
    json_decref(a);
    json_decref(b);
    json_decref(empty);
    load_rep_free(&rs[0]);
    load_rep_free(&rs[1]);
    fake_free(&f1);
    fake_free(&f2);
}

/* The stages a run was shaped by are kept in its settings and read back
 * exactly; a block without them reads with none. */
Test(record_json, stages_round_trip)
{
    static const struct load_stage st[] = {{10000000000ull, 50}, {30000000000ull, 50.5},
                                           {5000000000ull, 0}};
    struct err e = { 0 };
    struct fake f;
    struct load_rep r, back;
    char *a;

    rep_of(&r, &f, 1);
    r.set.stages = malloc(sizeof st);
    cr_assert_not_null(r.set.stages);
    memcpy(r.set.stages, st, sizeof st);
    r.set.nstages = 3;
    a = block_text(&r);
    cr_assert_not_null(strstr(a, "\"stages\""));
    cr_assert_eq(block_read(&back, a, &e), 0, "%s", e.msg);
    cr_assert_eq(back.set.nstages, 3);
    cr_assert_eq(memcmp(back.set.stages, st, sizeof st), 0);
    free(a);
    load_rep_free(&back);
    free(r.set.stages);
    r.set.stages = NULL;
    r.set.nstages = 0;
    a = block_text(&r);
    cr_assert_null(strstr(a, "\"stages\""));
    cr_assert_eq(block_read(&back, a, &e), 0, "%s", e.msg);
    cr_assert_eq(back.set.nstages, 0);
    cr_assert_null(back.set.stages);
    free(a);
    load_rep_free(&back);
    load_rep_free(&r);
    fake_free(&f);
}

/* A labelled process beside the server, each row's connections by port
 * (one row not read), and the machine's network (schema 1.11). */
static struct mon_row redis_rows[] = {
    { .t = 0.25, .rss = 9000000, .threads = 4, .procs = 1,
      .tcp = { 1, 1, 10, 0, 1, { { 6379, 1, 10 } } } },
    { .t = 0.5, .rss = 9000000, .threads = 4, .procs = 1 },
    { .t = 0.75, .rss = 9500000, .threads = 4, .procs = 1,
      .tcp = { 1, 1, 64, 2, 2, { { 6379, 1, 60 }, { 6380, 1, 4 } } } },
};

static struct mon_net_row net_rows[] = {
    { 0.25, 1000, 1000, 10, 10, 500, 400, 5, 4, 12 },
    { 0.75, 6000, 6000, 60, 60, 500, 400, 5, 4, -1 },
};

static void rep_with_redis(struct load_rep *r, struct fake *f, struct mon_series *s)
{
    struct err e = { 0 };

    fake_run(f, 0);
    s[0] = f->series[0];
    s[1] = (struct mon_series){ "redis", 99, redis_rows, 3, 3, 0 };
    s[2] = f->series[1];
    f->out.mon.series = s;
    f->out.mon.nseries = 3;
    f->out.mon.net = (struct mon_net){ net_rows, 2, 2 };
    cr_assert_eq(load_rep_from_run(r, &f->o, &f->out, &e), 0, "%s", e.msg);
}

Test(record_json, connections_and_network)
{
    struct err e = { 0 };
    struct mon_series s[3];
    struct fake f;
    struct load_rep r, back;
    json_t *blk, *m, *t, *row, *net;
    char *a, *b;

    rep_with_redis(&r, &f, s);
    cr_assert_eq(r.nmon, 3);
    cr_assert_eq(r.nnet, 2);
    blk = load_rep_to_json(&r);
    cr_assert_not_null(blk);
    m = json_object_get(blk, "monitor");
    cr_assert_null(json_object_get(json_array_get(m, 0), "tcp"), "no row of the server read");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 1), "label")), "redis");
    t = json_object_get(json_array_get(m, 1), "tcp");
    cr_assert_not_null(t);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(t, "columns"), 3)), "ports");
    cr_assert_eq(json_array_size(json_object_get(t, "rows")), 3, "a row per monitor row");
    cr_assert(json_is_null(json_array_get(json_object_get(t, "rows"), 1)), "not read: null");
    row = json_array_get(json_object_get(t, "rows"), 2);
    cr_assert_eq(json_integer_value(json_array_get(row, 1)), 64);
    cr_assert_eq(json_integer_value(json_array_get(row, 2)), 2);
    row = json_array_get(json_array_get(row, 3), 1);
    cr_assert_str_eq(json_string_value(json_array_get(row, 0)), "in");
    cr_assert_eq(json_integer_value(json_array_get(row, 1)), 6380);
    cr_assert_eq(json_integer_value(json_array_get(row, 2)), 4);
    net = json_object_get(blk, "monitor_net");
    cr_assert_not_null(net);
    cr_assert_eq(json_array_size(json_object_get(net, "columns")), 10);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(net, "columns"), 5)),
                     "other.rx_bytes");
    cr_assert_eq(json_integer_value(json_array_get(
                     json_array_get(json_object_get(net, "rows"), 1), 1)), 6000);
    json_decref(blk);

    a = block_text(&r);
    cr_assert_eq(block_read(&back, a, &e), 0, "%s", e.msg);
    b = block_text(&back);
    cr_assert_str_eq(a, b);
    cr_assert_eq(back.nmon, 3);
    cr_assert_eq(memcmp(back.mon[1].rows, redis_rows, sizeof redis_rows), 0);
    cr_assert_eq(back.mon[0].rows[0].tcp.known, 0);
    cr_assert_eq(back.nnet, 2);
    cr_assert_eq(memcmp(back.net, net_rows, sizeof net_rows), 0);
    free(a);
    free(b);
    load_rep_free(&back);
    load_rep_free(&r);
    fake_free(&f);
}

/* The new fields spoilt: one line naming the path and the cause. */
Test(record_json, bad_connections_and_network)
{
    static const struct {
        const char *from, *to, *want;
    } cases[] = {
        { "[\"in\", 6380, 4]", "[\"up\", 6380, 4]",
          "monitor[1].tcp.rows[2][3][1][0]: expected \"in\" or \"out\", got \"up\"" },
        { "[\"in\", 6380, 4]", "[\"in\", 70000, 4]",
          "monitor[1].tcp.rows[2][3][1][1]: expected an integer from 0 to 65535, got 70000" },
        { "[\"in\", 6380, 4]", "[\"in\", 6380]",
          "monitor[1].tcp.rows[2][3][1]: expected [\"in\" or \"out\", port, count], got an "
          "array of 2" },
        { "[\"in\", 6380, 4]", "[\"in\", 6380, 5]",
          "monitor[1].tcp.rows[2][3]: the ports hold 65 connections, more than the 64 "
          "established" },
        { "\"ports\"", "\"port\"", "monitor[1].tcp.columns[3]: expected \"ports\", got \"port\"" },
        { "\"tcp_time_wait\"", "\"tw\"",
          "monitor_net.columns[9]: expected \"tcp_time_wait\", got \"tw\"" },
        { "[0.75, 6000,", "[0.75, \"6000\",",
          "monitor_net.rows[1][1]: expected integer, got string" },
    };
    struct err e;
    struct mon_series s[3];
    struct fake f;
    struct load_rep r, back;
    char *text, *bad, want[ERR_MAX];
    size_t i;

    rep_with_redis(&r, &f, s);
    {
        json_t *j = load_rep_to_json(&r);
        text = json_dumps(j, JSON_SORT_KEYS);
        json_decref(j);
    }
    cr_assert_not_null(text);
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *at = strstr(text, cases[i].from);
        size_t lf = strlen(cases[i].from), lt = strlen(cases[i].to), n = strlen(text);

        cr_assert_not_null(at, "case %zu: %s not in %s", i, cases[i].from, text);
        bad = malloc(n - lf + lt + 1);
        cr_assert_not_null(bad);
        memcpy(bad, text, (size_t)(at - text));
        memcpy(bad + (at - text), cases[i].to, lt);
        strcpy(bad + (at - text) + lt, at + lf);
        memset(&e, 0, sizeof e);
        cr_expect_eq(block_read(&back, bad, &e), -1, "case %zu", i);
        snprintf(want, sizeof want, "f.json: benchmarks[0].load[0].%s", cases[i].want);
        cr_expect_str_eq(e.msg, want, "case %zu", i);
        free(bad);
    }
    free(text);
    load_rep_free(&r);
    fake_free(&f);
}
