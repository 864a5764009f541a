/*
 * test_loadres.c: load benchmarks in results (harness/result/loadres.c):
 * the latency of the repetitions of the golden files of
 * tests/data/result/good merged into one histogram, and the metrics a
 * threshold or limit may name, with a suggestion for a misspelt one; a
 * run with a labelled process beside the server (and one without a
 * server) kept in a result file and read back.  Run from the repository
 * root (the paths are relative to it).
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "harness/load/hist.h"
#include "harness/result/loadres.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "helpers.h"

#define DATA "tests/data/result"

TestSuite(loadres, .init = tmp_setup, .fini = tmp_teardown);

Test(loadres, latency_merged_over_the_repetitions)
{
    struct result r;
    struct err e = { 0 };
    struct hist h;

    cr_assert_eq(result_load(DATA "/good/load_open.json", &r, &e), 0, "%s", e.msg);
    cr_assert_eq(load_merge_latency(&r.benches[0], 0, &h, &e), 0, "%s", e.msg);
    cr_assert_eq(h.count, r.benches[0].load[0].latency.count + r.benches[0].load[1].latency.count);
    cr_assert_eq(h.max, r.benches[0].load[0].latency.max > r.benches[0].load[1].latency.max
                            ? r.benches[0].load[0].latency.max
                            : r.benches[0].load[1].latency.max);
    hist_free(&h);
    cr_assert_eq(load_merge_latency(&r.benches[0], 1, &h, &e), 0, "%s", e.msg);
    cr_assert_eq(h.count, 60);
    hist_free(&h);
    result_free(&r);
    cr_assert_eq(result_load(DATA "/good/load_closed.json", &r, &e), 0, "%s", e.msg);
    cr_assert_eq(load_merge_latency(&r.benches[0], 1, &h, &e), -1);
    cr_assert_str_eq(e.msg, "load/closed: no latency from send histogram");
    cr_assert_null(h.counts);
    result_free(&r);
}

Test(loadres, threshold_metrics)
{
    const char *sug;

    cr_assert(load_metric_known("latency.p99", &sug));
    cr_assert(load_metric_known("latency.p99.9", &sug));
    cr_assert(load_metric_known("latency.p99.max", &sug));
    cr_assert(load_metric_known("metrics.errors.rate", &sug));
    cr_assert(load_metric_known("median", &sug));
    cr_assert_not(load_metric_known("latency.p999", &sug));
    cr_assert_str_eq(sug, "latency.p99");
    cr_assert_not(load_metric_known("throughput.p99.median", &sug));
    cr_assert_not(load_metric_known("colour", &sug));
    cr_assert_null(sug);
}

/* The server's series is the one labelled so: a labelled process alone
 * gives no server.* metrics; with both, the server's are the server's; the
 * whole file (labelled series, connections, network) read back as
 * written. */
Test(loadres, labelled_processes_in_a_result_file)
{
    static struct mon_row db_rows[] = {
        { .t = 0.0, .cpu_user = 0.0, .rss = 9000, .procs = 1,
          .tcp = { 1, 1, 10, 0, 1, { { 6379, 1, 10 } } } },
        { .t = 1.0, .cpu_user = 3.0, .rss = 9000, .procs = 1,
          .tcp = { 1, 1, 10, 0, 1, { { 6379, 1, 10 } } } },
    };
    static struct mon_net_row net[] = {
        { 0.0, 0, 0, 0, 0, 0, 0, 0, 0, 5 },
        { 1.0, 4096, 4096, 8, 8, 0, 0, 0, 0, 6 },
    };
    struct mon_series s[3];
    struct load_opts o;
    struct load_out out;
    struct result r, back;
    struct err e = { 0 };
    struct bench *b;
    const struct metric *cpu = NULL;
    size_t i;

    load_opts_default(&o);
    o.url_text = "http://127.0.0.1:8080/";
    memset(&out, 0, sizeof out);
    hist_init_ok(&out.latency, 3, H60);
    hist_init_ok(&out.latency_sent, 3, H60);
    hist_record(&out.latency, 1000);
    out.complete = out.valid = 1;
    out.elapsed_s = 1;
    out.requests = 1;
    s[0] = (struct mon_series){ "db", 42, db_rows, 2, 2, 0 };
    s[1] = hand_series();
    s[1].label = "pacer";
    out.mon.series = s;
    out.mon.nseries = 2;
    out.mon.period_ns = 100000000;
    out.mon.net = (struct mon_net){ net, 2, 2 };
    out.mon_from = 0;
    out.mon_to = 1;
    result_begin(&r, "load", "2026-12-07T01:00:00Z");
    b = result_add_bench(&r);
    cr_assert_not_null(b);
    b->name = strdup("load/db");
    cr_assert_eq(load_bench_add(b, &o, &out), 0);
    for (i = 0; i < b->nmetrics; i++)
        cr_assert_neq(strncmp(b->metrics[i].name, "server.", 7), 0, "%s", b->metrics[i].name);

    s[2] = s[1];
    s[1] = s[0];
    s[0] = hand_series();
    out.mon.nseries = 3;
    cr_assert_eq(load_bench_add(b, &o, &out), 0);
    for (i = 0; i < b->nmetrics; i++)
        if (!strcmp(b->metrics[i].name, "server.cpu"))
            cpu = &b->metrics[i];
    cr_assert_not_null(cpu);
    cr_assert_eq(cpu->nsamples, 1);
    cr_assert_eq(cpu->samples[0], 1.0, "the server's (hand_series), not db's 3 cores");
    cr_assert_eq(bench_compute_stats(b, NULL), 0);

    cr_assert_eq(result_save(&r, tmp_path("db.json"), &e), 0, "%s", e.msg);
    cr_assert_eq(result_load(tmp_path("db.json"), &back, &e), 0, "%s", e.msg);
    cr_assert_eq(back.benches[0].nload, 2);
    cr_assert_eq(back.benches[0].load[0].nmon, 2);
    cr_assert_str_eq(back.benches[0].load[0].mon[0].label, "db");
    cr_assert_eq(memcmp(back.benches[0].load[0].mon[0].rows, db_rows, sizeof db_rows), 0);
    cr_assert_str_eq(back.benches[0].load[1].mon[1].label, "db");
    cr_assert_eq(back.benches[0].load[1].nnet, 2);
    cr_assert_eq(memcmp(back.benches[0].load[1].net, net, sizeof net), 0);
    result_free(&back);
    result_free(&r);
    hist_free(&out.latency);
    hist_free(&out.latency_sent);
}
