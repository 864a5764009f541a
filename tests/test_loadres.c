/*
 * test_loadres.c: load benchmarks in results (harness/result/loadres.c):
 * the latency of the repetitions of the golden files of
 * tests/data/result/good merged into one histogram, and the metrics a
 * threshold or limit may name, with a suggestion for a misspelt one.  Run
 * from the repository root (the paths are relative to it).
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "harness/load/hist.h"
#include "harness/result/loadres.h"
#include "harness/result/result.h"
#include "helpers.h"

#define DATA "tests/data/result"

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
