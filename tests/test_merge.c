/*
 * test_merge.c: the segments of a split load run merged (harness/result/
 * merge.c), on synthetic segments built here: latency histograms of known
 * values whose merge has the percentiles of one histogram holding them
 * all, counts and throughput summed, the metrics recomputed; every
 * refusal (different runs, a segment missing or twice, counts or settings
 * that differ, a file that is no segment, an incomplete segment) and
 * --partial; and 256 segments of one run merged.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/load/hist.h"
#include "harness/result/loadrep.h"
#include "harness/result/merge.h"
#include "harness/result/result.h"
#include "harness/result/series.h"
#include "helpers.h"

#define NAME "http://127.0.0.1:8080/"

/* r (initialised here) as segment index of count of run id: one closed-loop
 * load benchmark of one repetition whose latencies are lo..hi ns (step 1),
 * 2 connections, 100 req/s, 3 errors of class LC_CONNECT. */
static void make_seg(struct result *r, const char *id, unsigned index, unsigned count,
                     uint64_t lo, uint64_t hi)
{
    struct bench *b;
    struct load_rep *rep;
    uint64_t v;

    result_init(r);
    r->seg.run_id = xstrdup(id);
    r->seg.index = index;
    r->seg.count = count;
    r->seg.start_at = xstrdup("2026-12-07T03:30:00.000Z");
    r->seg.start_lag_s = 0.001 * index;
    r->ctx.time = xstrdup("2026-12-07T03:30:01Z");
    b = result_add_bench(r);
    cr_assert_not_null(b);
    b->name = xstrdup(NAME);
    b->kind = KIND_LOAD;
    b->dir = DIR_HIGHER;
    cr_assert_eq(doubles_append(&b->samples, &b->nsamples, 100), 0);
    cr_assert_not_null(bench_add_metric(b, "throughput", "req/s", DIR_HIGHER));
    cr_assert_not_null(bench_add_metric(b, "latency.p99", "ns", DIR_LOWER));
    cr_assert_eq(doubles_append(&b->metrics[0].samples, &b->metrics[0].nsamples, 100), 0);
    cr_assert_eq(doubles_append(&b->metrics[1].samples, &b->metrics[1].nsamples, 0), 0);
    b->load = calloc(1, sizeof *b->load);
    cr_assert_not_null(b->load);
    b->nload = 1;
    rep = &b->load[0];
    rep->set.url = xstrdup(NAME);
    rep->set.connections = 2;
    rep->set.duration_ns = 1000000000;
    rep->set.digits = 3;
    rep->complete = rep->valid = 1;
    rep->elapsed_ns = 1000000000;
    cr_assert_eq(hist_init(&rep->latency, 3, H60, NULL), 0);
    for (v = lo; v <= hi; v++)
        hist_record(&rep->latency, v);
    rep->requests = rep->sent = hi - lo + 1;
    rep->throughput = 100;
    rep->errors[LC_CONNECT] = rep->errors_total = 3;
    rep->gen.wait_max = NAN;
    load_pct_of(&rep->pct, &rep->latency);
}

static const char *const files[] = {"a.json", "b.json", "c.json", "d.json"};

/* merge_segments on n segments, expecting status want; the merged index. */
static size_t merge_expect(struct result *segs, size_t n, int partial, enum merge_status want,
                           const char *msg)
{
    struct merge_info mi;
    struct err e = {0};
    size_t k = 99;
    enum merge_status st = merge_segments(segs, files, n, partial, &k, &mi, &e);

    cr_assert_eq(st, want, "%d: %s", st, e.msg);
    if (msg)
        cr_assert_str_eq(e.msg, msg);
    return k;
}

static void free_segs(struct result *segs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        result_free(&segs[i]);
}

Test(merge, percentiles_of_the_merged_histogram)
{
    static const double ps[] = {50, 90, 99, 99.9};
    struct result s[2];
    struct hist all;
    const struct load_rep *m;
    size_t k, i;
    uint64_t v;

    make_seg(&s[0], "r1", 2, 2, 1000, 50999);       /* given out of order */
    make_seg(&s[1], "r1", 1, 2, 40000, 2000000);
    k = merge_expect(s, 2, 0, MERGE_OK, NULL);
    cr_assert_eq(k, 1, "the lowest index holds the merge");
    cr_assert_eq(hist_init(&all, 3, H60, NULL), 0);
    for (v = 1000; v <= 50999; v++)
        hist_record(&all, v);
    for (v = 40000; v <= 2000000; v++)
        hist_record(&all, v);
    m = &s[k].benches[0].load[0];
    cr_assert_eq(m->latency.count, all.count);
    for (i = 0; i < COUNT(ps); i++)
        cr_expect_eq(hist_percentile(&m->latency, ps[i]), hist_percentile(&all, ps[i]), "p%g",
                     ps[i]);
    cr_expect_eq(m->pct.p[LOAD_P95], hist_percentile(&all, 95));
    cr_expect_eq(m->pct.p[LOAD_P99], hist_percentile(&all, 99));
    cr_expect_eq(bench_metric(&s[k].benches[0], "latency.p99")->samples[0],
                 (double)hist_percentile(&all, 99));
    cr_expect_eq(m->requests, 50000 + 1960001);
    cr_expect_eq(m->errors[LC_CONNECT], 6);
    cr_expect_eq(m->errors_total, 6);
    cr_expect_eq(m->set.connections, 4);
    cr_expect_eq(m->throughput, 200);
    cr_expect_eq(s[k].benches[0].samples[0], 200, "closed loop: the sample is the throughput");
    cr_expect_eq(s[k].seg.index, 0);
    cr_expect_eq(s[k].seg.count, 2);
    cr_expect(s[k].complete);
    cr_assert_not_null(s[k].merge);
    cr_expect_eq(json_array_size(json_object_get(s[k].merge, "segments")), 2);
    assert_rel(json_real_value(json_object_get(s[k].merge, "start_spread_s")), 0.001, 1e-3,
               "start spread");
    hist_free(&all);
    free_segs(s, 2);
}

/* Each refusal: the pair made by a, b with one thing changed. */
Test(merge, refusals_name_the_files)
{
    struct result s[3];

    make_seg(&s[0], "r1", 1, 2, 1, 100);
    make_seg(&s[1], "r2", 2, 2, 1, 100);
    merge_expect(s, 2, 0, MERGE_BAD, "a.json and b.json: segments of different runs (r1, r2)");
    free_segs(s, 2);

    make_seg(&s[0], "r1", 1, 3, 1, 100);
    make_seg(&s[1], "r1", 2, 3, 1, 100);
    merge_expect(s, 2, 0, MERGE_BAD,
                 "segments of run r1: 3 of 3 is missing (--partial merges what is there)");
    free_segs(s, 2);

    make_seg(&s[0], "r1", 1, 2, 1, 100);
    make_seg(&s[1], "r1", 1, 2, 1, 100);
    merge_expect(s, 2, 0, MERGE_BAD, "a.json and b.json: both segment 1 of run r1");
    free_segs(s, 2);

    make_seg(&s[0], "r1", 1, 2, 1, 100);
    make_seg(&s[1], "r1", 2, 3, 1, 100);
    merge_expect(s, 2, 0, MERGE_BAD, "a.json and b.json: run r1 split in 2 and in 3 segments");
    free_segs(s, 2);

    make_seg(&s[0], "r1", 1, 2, 1, 100);
    make_seg(&s[1], "r1", 2, 2, 1, 100);
    s[1].benches[0].load[0].set.duration_ns *= 2;
    merge_expect(s, 2, 0, MERGE_BAD, "a.json and b.json: " NAME ": different settings (duration)");
    free_segs(s, 2);

    make_seg(&s[0], "r1", 1, 2, 1, 100);
    make_seg(&s[1], "r1", 2, 2, 1, 100);
    free(s[1].benches[0].load[0].set.url);
    s[1].benches[0].load[0].set.url = xstrdup("http://127.0.0.1:8081/");
    merge_expect(s, 2, 0, MERGE_BAD, "a.json and b.json: " NAME ": different settings (URL)");
    free_segs(s, 2);

    make_seg(&s[0], "r1", 1, 2, 1, 100);
    make_seg(&s[1], "r1", 2, 2, 1, 100);
    free(s[1].seg.run_id);
    s[1].seg.run_id = NULL;
    merge_expect(s, 2, 0, MERGE_BAD, "b.json: not a segment of a load run (no \"segment\")");
    free_segs(s, 2);

    make_seg(&s[0], "r1", 1, 2, 1, 100);
    make_seg(&s[1], "r1", 2, 2, 1, 100);
    s[1].benches[0].kind = KIND_MICRO;
    merge_expect(s, 2, 0, MERGE_BAD, "b.json: not a load result (no load benchmark)");
    free_segs(s, 2);
}

Test(merge, incomplete_segments_and_partial)
{
    struct result s[3];
    size_t k;

    make_seg(&s[0], "r1", 1, 3, 1, 100);
    make_seg(&s[1], "r1", 2, 3, 1, 100);
    s[1].complete = 0;
    make_seg(&s[2], "r1", 3, 3, 1, 100);
    merge_expect(s, 3, 0, MERGE_INCOMPLETE,
                 "b.json: segment 2 of run r1 is incomplete (interrupted; --partial merges it)");
    free_segs(s, 3);

    make_seg(&s[0], "r1", 1, 3, 1, 100);
    make_seg(&s[1], "r1", 3, 3, 101, 200);
    k = merge_expect(s, 2, 1, MERGE_OK, NULL);
    cr_expect_not(s[k].complete, "a partial merge is incomplete");
    cr_expect_eq(s[k].benches[0].load[0].requests, 200);
    cr_expect_eq(json_integer_value(json_array_get(json_object_get(s[k].merge, "missing"), 0)),
                 2);
    free_segs(s, 2);
}

/* 256 segments of one run: a merge of 256 histograms (bounded loosely,
 * for sanitizers and a busy machine). */
Test(merge, many_segments)
{
    enum { N = 256 };
    struct result *s = calloc(N, sizeof *s);
    const char **names = calloc(N, sizeof *names);
    struct merge_info mi;
    struct err e = {0};
    struct timespec t0, t1;
    size_t i, k;

    cr_assert(s && names);
    for (i = 0; i < N; i++) {
        make_seg(&s[i], "big", (unsigned)i + 1, N, 1000 * (i + 1), 1000 * (i + 1) + 99);
        names[i] = "seg.json";
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(merge_segments(s, names, N, 0, &k, &mi, &e), MERGE_OK, "%s", e.msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_expect_eq(mi.merged, N);
    cr_expect_eq(s[k].benches[0].load[0].requests, 100 * N);
    cr_expect_lt((double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, 1.0);
    cr_log_info("256 segments merged in %.3f s",
                (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    free_segs(s, N);
    free(s);
    free(names);
}

/* The share of failed checks is each segment's weighted by its requests
 * (100 at 10 % and 300 at 30 %: 10 + 90 of 400 fail, 25 %); the merge
 * record keeps each segment's clock and generator. */
Test(merge, failed_checks_weighted_and_clocks_kept)
{
    struct result s[2];
    double share[2] = {0.1, 0.3};
    const struct metric *m;
    const json_t *segs;
    size_t i, k;

    make_seg(&s[0], "r", 1, 2, 1, 100);
    make_seg(&s[1], "r", 2, 2, 1001, 1300);
    for (i = 0; i < 2; i++) {
        struct metric *c = bench_add_metric(&s[i].benches[0], "checks.failed", "ratio",
                                            DIR_LOWER);
        cr_assert_not_null(c);
        cr_assert_eq(doubles_append(&c->samples, &c->nsamples, share[i]), 0);
        s[i].seg.clock_maxerror_s = 0.25 * (double)(i + 1);
        s[i].seg.clock_synced = (int)i;
    }
    k = merge_expect(s, 2, 0, MERGE_OK, NULL);
    m = bench_metric(&s[k].benches[0], "checks.failed");
    cr_assert_not_null(m);
    cr_assert_float_eq(m->samples[0], 0.25, 1e-12);
    segs = json_object_get(s[k].merge, "segments");
    cr_assert_eq(json_array_size(segs), 2);
    for (i = 0; i < 2; i++) {
        const json_t *g = json_array_get(segs, i);
        cr_assert_float_eq(json_real_value(json_object_get(g, "clock_max_error_s")),
                           0.25 * (double)(i + 1), 1e-12);
        cr_assert(json_is_boolean(json_object_get(g, "clock_synced")));
        cr_assert_eq(json_is_true(json_object_get(g, "clock_synced")), i == 1);
        cr_assert(json_is_number(json_object_get(json_object_get(g, "generator"), "cpu_user")),
                  "each segment's generator kept");
    }
    free_segs(s, 2);
}
