/*
 * test_loadrep_read.c: harness/result/loadrep_read.c, load blocks read
 * back: the golden files of tests/data/result/good (written by pacer
 * load) written back unchanged, one of them an older block without the
 * fields recorded later; and the reader's one-line errors, one per kind of
 * fault, on blocks of those files with one field spoilt.  The latency of
 * their repetitions merged is tested in test_loadres.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/loadrep.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "helpers.h"

#define DATA "tests/data/result"

static json_t *bench_load(json_t *root)
{
    return json_object_get(json_array_get(json_object_get(root, "benchmarks"), 0), "load");
}

/* A block as written since schema 1.9 from one that predates the fields
 * of 1.5 and 1.9: those fields added at what reading leaves them (0,
 * false, unknown). */
static void add_1_5_fields(json_t *blk)
{
    static const char *const counts[] = {"due", "no_free_connection", "late_wake",
                                         "warmup_requests", "warmup_errors", "server_closed"};
    json_t *gen = json_object_get(blk, "generator"), *set = json_object_get(blk, "settings");
    size_t i;

    for (i = 0; i < sizeof counts / sizeof *counts; i++)
        if (!json_object_get(blk, counts[i]))
            json_object_set_new(blk, counts[i], json_integer(0));
    if (!json_object_get(set, "nap"))
        json_object_set_new(set, "nap", json_false());
    if (!json_object_get(gen, "wait_max"))
        json_object_set_new(gen, "wait_max", json_null());
}

/* The files predate schema 1.13: p95, between their p90 and p99, as
 * written back from their histograms (test_loadrep.c checks its value). */
static void add_1_13_p95(json_t *blk, const json_t *back)
{
    static const char *const keys[] = {"percentiles", "percentiles_from_send"};
    size_t i;

    for (i = 0; i < 2; i++) {
        json_t *p = json_object_get(blk, keys[i]);
        const json_t *b = json_object_get(back, keys[i]);
        json_int_t v;

        if (!p || json_object_size(p) == 0 || json_object_get(p, "p95"))
            continue;
        v = json_integer_value(json_object_get(b, "p95"));
        cr_assert(v >= json_integer_value(json_object_get(p, "p90")) &&
                  v <= json_integer_value(json_object_get(p, "p99")), "%s: p95 %lld", keys[i],
                  (long long)v);
        json_object_set_new(p, "p95", json_integer(v));
    }
}

Test(golden, blocks_written_back_unchanged)
{
    static const char *const files[] = { DATA "/good/load_open.json",
                                         DATA "/good/load_closed.json",
                                         DATA "/good/load_monitor.json" };
    size_t i;

    for (i = 0; i < sizeof files / sizeof *files; i++) {
        struct err e = { 0 };
        struct jr rd = { files[i], &e };
        json_t *root = load_json(files[i]), *load = bench_load(root), *back;
        struct load_rep *reps;
        size_t n;

        cr_assert(json_array_size(load) > 0, "%s: no load block", files[i]);
        cr_assert_eq(load_reps_from_json(&rd, load, "benchmarks[0].load", &reps, &n), 0, "%s",
                     e.msg);
        cr_assert_eq(n, json_array_size(load));
        back = load_reps_to_json(reps, n);
        for (size_t k = 0; k < n; k++) {
            add_1_5_fields(json_array_get(load, k));
            add_1_13_p95(json_array_get(load, k), json_array_get(back, k));
        }
        cr_assert(json_equal(back, load), "%s: the blocks changed", files[i]);
        json_decref(back);
        load_reps_free(reps, n);
        json_decref(root);
    }
}

Test(golden, what_the_files_hold)
{
    struct result r;
    struct err e = { 0 };
    const struct load_rep *a;

    cr_assert_eq(result_load(DATA "/good/load_open.json", &r, &e), 0, "%s", e.msg);
    cr_assert_eq(r.benches[0].nload, 2);
    a = &r.benches[0].load[1];
    cr_assert_eq(a->set.open, 1);
    cr_assert_eq(a->set.rate, 100.0);
    cr_assert_eq(a->requests, 30);
    cr_assert_eq(a->from_send, 1);
    cr_assert_eq(a->latency.count, 30);
    cr_assert_eq(a->pct.have, 1);
    cr_assert_eq(a->niv, 3);
    cr_assert_eq(a->nmon, 2);
    cr_assert_str_eq(a->mon[0].label, "server");
    cr_assert(a->window_s[0] > 0);
    result_free(&r);
    cr_assert_eq(result_load(DATA "/good/load_closed.json", &r, &e), 0, "%s", e.msg);
    a = &r.benches[0].load[0];
    cr_assert_eq(a->set.open, 0);
    cr_assert_eq(a->from_send, 0);
    cr_assert_eq(a->pct.have, 0, "no response: no percentiles");
    cr_assert_eq(a->latency.count, 0);
    cr_assert_eq(a->errors[LC_READ], 19);
    cr_assert_eq(a->nerrnos, 1);
    cr_assert_eq(a->errnos[0].errnum, ECONNRESET);
    result_free(&r);
}

/* A block written before generator.reads, stamped_reads and naps and
 * monitor_window_s were recorded reads with 0 and NaN, and is written
 * back with the counts (0) and still without the window. */
Test(golden, older_block_without_later_fields)
{
    struct result r;
    struct err e = { 0 };
    const struct load_rep *a;
    json_t *root = load_json(DATA "/good/load_first_block.json"), *want, *gen, *back;

    cr_assert_eq(result_load(DATA "/good/load_first_block.json", &r, &e), 0, "%s", e.msg);
    a = &r.benches[0].load[0];
    cr_assert_eq(a->gen.reads, 0);
    cr_assert_eq(a->gen.stamped_reads, 0);
    cr_assert_eq(a->gen.naps, 0);
    cr_assert(isnan(a->window_s[0]) && isnan(a->window_s[1]));
    want = json_deep_copy(json_array_get(bench_load(root), 0));
    gen = json_object_get(want, "generator");
    cr_assert_null(json_object_get(gen, "naps"));
    json_object_set_new(gen, "reads", json_integer(0));
    json_object_set_new(gen, "stamped_reads", json_integer(0));
    json_object_set_new(gen, "naps", json_integer(0));
    add_1_5_fields(want);
    back = load_rep_to_json(a);
    add_1_13_p95(want, back);
    cr_assert(json_equal(back, want));
    cr_assert_null(json_object_get(back, "monitor_window_s"));
    json_decref(back);
    json_decref(want);
    json_decref(root);
    result_free(&r);
}

/* ---- the reader's errors ------------------------------------------------------------ */

/* One step of a path: a key, or an index when key is NULL. */
struct step {
    const char *key;
    size_t len, index;
};

/* "load[0].series.rows[1][2]" into steps; returns their number. */
static size_t parse_path(const char *s, struct step *st, size_t max)
{
    size_t n = 0;

    while (*s && n < max) {
        if (*s == '.') {
            s++;
        } else if (*s == '[') {
            st[n].key = NULL;
            st[n++].index = strtoul(s + 1, (char **)&s, 10);
            s++;   /* ] */
        } else {
            st[n].key = s;
            st[n].len = strcspn(s, ".[");
            s += st[n++].len;
        }
    }
    return n;
}

/* file's benchmarks[0] with the member at path replaced by the JSON text
 * value (NULL: removed), read back as "f.json": the message, "" when it
 * was read. */
static const char *spoilt(const char *file, const char *path, const char *value,
                          struct err *e)
{
    json_t *root = load_json(file), *at, *v = NULL;
    struct step st[8];
    size_t n = parse_path(path, st, 8), i;
    struct result r;
    char key[64];
    int rc;

    at = json_array_get(json_object_get(root, "benchmarks"), 0);
    for (i = 0; i + 1 < n; i++) {
        snprintf(key, sizeof key, "%.*s", (int)st[i].len, st[i].key ? st[i].key : "");
        at = st[i].key ? json_object_get(at, key) : json_array_get(at, st[i].index);
        cr_assert_not_null(at, "%s: no step %zu", path, i);
    }
    if (value) {
        json_error_t je;
        v = json_loads(value, JSON_DECODE_ANY, &je);
        cr_assert_not_null(v, "%s: %s", value, je.text);
    }
    if (st[n - 1].key) {
        snprintf(key, sizeof key, "%.*s", (int)st[n - 1].len, st[n - 1].key);
        cr_assert_not_null(json_object_get(at, key), "%s: not in %s", path, file);
        if (v)
            json_object_set_new(at, key, v);
        else
            json_object_del(at, key);
    } else {
        cr_assert(v && json_array_set_new(at, st[n - 1].index, v) == 0, "%s", path);
    }
    err_clear(e);
    rc = result_from_json(root, "f.json", &r, e);
    result_free(&r);
    json_decref(root);
    return rc == 0 ? "" : e->msg;
}

Test(reader, errors_name_the_field)
{
    static const struct {
        const char *file, *path, *value, *want;
    } cases[] = {
        /* the array and its blocks */
        { "open", "load", "{}", "load: expected array, got object" },
        { "open", "load[1]", "\"x\"", "load[1]: expected object, got string" },
        /* totals */
        { "open", "load[0].requests", "\"x\"", "load[0].requests: expected integer, got string" },
        { "open", "load[1].sent", "-1", "load[1].sent: expected an integer >= 0, got -1" },
        { "open", "load[0].queued", NULL, "load[0].queued: missing" },
        { "open", "load[0].complete", "\"yes\"", "load[0].complete: expected boolean, got string" },
        { "open", "load[0].invalid_reason", "1",
          "load[0].invalid_reason: expected string or null, got integer" },
        { "open", "load[0].throughput", "\"fast\"",
          "load[0].throughput: expected number or null, got string" },
        /* settings */
        { "open", "load[0].settings", NULL, "load[0].settings: missing" },
        { "open", "load[0].settings", "[]", "load[0].settings: expected object, got array" },
        { "open", "load[0].settings.mode", "\"half\"",
          "load[0].settings.mode: unknown mode \"half\" (expected closed or open)" },
        { "open", "load[0].settings.arrival", "3",
          "load[0].settings.arrival: expected string, got integer" },
        { "open", "load[0].settings.connections", "0",
          "load[0].settings.connections: expected an integer from 1 to 4294967295, got 0" },
        { "open", "load[0].settings.digits", "9",
          "load[0].settings.digits: expected an integer from 1 to 5, got 9" },
        { "open", "load[0].settings.warmup_ns", "0.5",
          "load[0].settings.warmup_ns: expected integer, got number" },
        /* latency */
        { "open", "load[0].percentiles.p99", NULL, "load[0].percentiles.p99: missing" },
        { "open", "load[0].latency", "{\"digits\": 3}", "load[0].latency.highest: missing" },
        { "open", "load[0].latency.count", "31",
          "load[0].latency.buckets: counts add up to 30, not to the count 31" },
        { "open", "load[1].latency_from_send", "[]",
          "load[1].latency_from_send: expected object, got array" },
        { "open", "load[1].percentiles_from_send", NULL,
          "load[1].percentiles_from_send: missing" },
        /* errors */
        { "closed", "load[0].errors.read", NULL, "load[0].errors.read: missing" },
        { "closed", "load[0].errnos", "{}", "load[0].errnos: expected array, got object" },
        { "closed", "load[0].errnos[0]", "5", "load[0].errnos[0]: expected object, got integer" },
        { "closed", "load[0].errnos[0].class", "\"disk\"",
          "load[0].errnos[0].class: unknown class \"disk\" (expected connect, read, write, "
          "timeout, parse, status_4xx, status_5xx or too_large)" },
        { "closed", "load[0].errnos[0].text", NULL, "load[0].errnos[0].text: missing" },
        /* series */
        { "open", "load[0].series.columns", NULL, "load[0].series.columns: missing" },
        { "open", "load[0].series.columns[1]", "\"reqs\"",
          "load[0].series.columns[1]: expected \"requests\", got \"reqs\"" },
        { "open", "load[0].series.columns[16]", "7",
          "load[0].series.columns[16]: expected \"errors.status_5xx\", got integer" },
        { "open", "load[0].series.rows[0]", "[0.0]",
          "load[0].series.rows[0]: expected 17 values, got an array of 1" },
        { "open", "load[0].series.rows[1][2]", "-3",
          "load[0].series.rows[1][2]: expected an integer >= 0, got -3" },
        { "open", "load[0].series.rows[1][0]", "\"0\"",
          "load[0].series.rows[1][0]: expected number or null, got string" },
        /* generator */
        { "open", "load[0].generator", NULL, "load[0].generator: missing" },
        { "open", "load[0].generator.busy_max", "\"x\"",
          "load[0].generator.busy_max: expected number or null, got string" },
        { "open", "load[0].generator.naps", "1.5",
          "load[0].generator.naps: expected integer, got number" },
        { "open", "load[0].generator.io", "\"kqueue\"",
          "load[0].generator.io: unknown back end \"kqueue\" (expected epoll or io_uring)" },
        { "open", "load[0].generator.io", "1",
          "load[0].generator.io: expected string, got integer" },
        /* monitor */
        { "open", "load[0].monitor", "{}", "load[0].monitor: expected array, got object" },
        { "open", "load[0].monitor[1]", "[]", "load[0].monitor[1]: expected object, got array" },
        { "open", "load[0].monitor[0].label", NULL, "load[0].monitor[0].label: missing" },
        { "open", "load[0].monitor[0].pid", "-1",
          "load[0].monitor[0].pid: expected an integer from 0 to 2147483647, got -1" },
        { "open", "load[0].monitor[0].columns[3]", "\"rss_bytes\"",
          "load[0].monitor[0].columns[3]: expected \"rss\", got \"rss_bytes\"" },
        { "open", "load[0].monitor[0].rows[2]", "[1, 2]",
          "load[0].monitor[0].rows[2]: expected 11 values, got an array of 2" },
        { "open", "load[0].monitor[0].rows[0][3]", "\"big\"",
          "load[0].monitor[0].rows[0][3]: expected integer, got string" },
        { "open", "load[0].monitor[0].summary.cpu_mean", NULL,
          "load[0].monitor[0].summary.cpu_mean: missing" },
        /* since 1.11: labelled series, their connections, the network
         * (load_monitor.json: server, db, pacer; five rows each) */
        { "monitor", "load[0].monitor[1].tcp.rows", "[]",
          "load[0].monitor[1].tcp.rows: expected 5 rows (one a monitor row), got 0" },
        { "monitor", "load[0].monitor[1].tcp.rows[0]", "[1, 2, 0]",
          "load[0].monitor[1].tcp.rows[0]: expected 4 values, got an array of 3" },
        { "monitor", "load[0].monitor[1].tcp.rows[0]", "[1, 2, 0, [[\"out\", 80, 3]]]",
          "load[0].monitor[1].tcp.rows[0][3]: the ports hold 3 connections, more than the 2 "
          "established" },
        { "monitor", "load[0].monitor[1].tcp.rows[0]", "[1, -2, 0, []]",
          "load[0].monitor[1].tcp.rows[0][1]: expected an integer >= 0, got -2" },
        { "monitor", "load[0].monitor[1].tcp.rows[0]", "[1, 2, 0, [[\"sideways\", 80, 1]]]",
          "load[0].monitor[1].tcp.rows[0][3][0][0]: expected \"in\" or \"out\", got "
          "\"sideways\"" },
        { "monitor", "load[0].monitor[1].tcp.columns[0]", "\"listening\"",
          "load[0].monitor[1].tcp.columns[0]: expected \"listen\", got \"listening\"" },
        { "monitor", "load[0].monitor[1].tcp", "[]",
          "load[0].monitor[1].tcp: expected object, got array" },
        { "monitor", "load[0].monitor_net.rows[2]", "[1.0, 2]",
          "load[0].monitor_net.rows[2]: expected 10 values, got an array of 2" },
        { "monitor", "load[0].monitor_net.rows[0][0]", "null",
          "load[0].monitor_net.rows[0][0]: expected number, got null" },
        { "monitor", "load[0].monitor_net.rows[0][3]", "-5",
          "load[0].monitor_net.rows[0][3]: expected an integer >= -1, got -5" },
        { "monitor", "load[0].monitor_net.columns", NULL,
          "load[0].monitor_net.columns: missing" },
        { "open", "load[0].monitor_window_s", "[1.0]",
          "load[0].monitor_window_s: expected [from, to], got an array of 1" },
        { "open", "load[0].monitor_window_s[1]", "null",
          "load[0].monitor_window_s[1]: expected number, got null" },
    };
    struct err e;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        char file[256], want[ERR_MAX];

        snprintf(file, sizeof file, DATA "/good/load_%s.json", cases[i].file);
        snprintf(want, sizeof want, "f.json: benchmarks[0].%s", cases[i].want);
        cr_expect_str_eq(spoilt(file, cases[i].path, cases[i].value, &e), want, "case %zu: %s", i,
                         e.msg);
    }
}

/* Null where the writer puts null for an unknown number, and the fields
 * that came later left out: the blocks read. */
Test(reader, accepts_what_the_writer_may_write)
{
    static const struct {
        const char *path, *value;
    } cases[] = {
        { "load[0].throughput", "null" },
        { "load[0].percentiles.stddev", "null" },
        { "load[0].series.rows[0][0]", "null" },
        { "load[0].generator.cpu_user", "null" },
        { "load[0].monitor[0].rows[0][1]", "null" },
        { "load[0].monitor[0].summary.rss_mean", "null" },
        { "load[0].generator.reads", NULL },
        { "load[0].monitor_window_s", NULL },
        { "load[0].invalid_reason", "\"why\"" },
    };
    static const char *const monitored[][2] = {
        { "load[0].monitor_net", NULL },
        { "load[0].monitor[0].tcp", NULL },
        { "load[0].monitor[1].tcp.rows[2]", "null" },
        { "load[0].monitor_net.rows[1][9]", "-1" },
    };
    struct err e;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_str_eq(spoilt(DATA "/good/load_open.json", cases[i].path, cases[i].value, &e),
                         "", "case %zu", i);
    for (i = 0; i < sizeof monitored / sizeof *monitored; i++)
        cr_expect_str_eq(spoilt(DATA "/good/load_monitor.json", monitored[i][0],
                                monitored[i][1], &e), "", "monitored case %zu", i);
}
