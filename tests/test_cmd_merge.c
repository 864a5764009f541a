/*
 * test_cmd_merge.c: `pacer merge` as a user runs it (harness/cli/
 * cmd_merge.c): two real short loads of build/suites/targets/testsrv on
 * loopback written with --out, given a "segment" block here, merged: the
 * total requests their sum, the merged p99 that of their two histograms
 * merged, the result read by pacer show; every refusal with its exit code
 * and one line naming the files, OUT never an input, --partial, --limit.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/hist.h"
#include "harness/result/loadrep.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "helpers.h"

static char pacer[512];
static struct srv srv;
static struct out last;

static void init(void)
{
    build_path(pacer, sizeof pacer, "pacer");
    tmp_setup();
    srv = srv_start(NULL);
}

static void fini(void)
{
    srv_stop(&srv);
    out_free(&last);
    tmp_teardown();
}

TestSuite(cmd_merge, .init = init, .fini = fini, .timeout = 60);

/* The path of name in the scratch directory, in one of 64 buffers used in
 * turn (tmp_path's eight are too few for a command line of them). */
static const char *tp(const char *name)
{
    static char p[64][512];
    static int i;

    i = (i + 1) % 64;
    snprintf(p[i], sizeof p[i], "%s/%s", tmp_dir(), name);
    return p[i];
}

static const struct out *run(const char *const *args)
{
    out_free(&last);
    last = pacer_exec(pacer, 0, args);
    return &last;
}

/* A short load of the test server written to the scratch file name. */
static void load_to(const char *name)
{
    char u[64];
    const char *a[] = {"load", u, "-c", "2", "-t", "1", "-d", "200ms", "--warmup", "0", "-q",
                       "--out", tp(name), NULL};

    snprintf(u, sizeof u, "http://127.0.0.1:%d/", srv.port);
    cr_assert_eq(run(a)->code, 0, "%s", last.stderr_s);
}

/* The scratch file src given the segment block of index of count of run
 * id, written to dst. */
static void segment(const char *src, const char *dst, const char *id, int index, int count)
{
    json_t *root = load_json(tp(src));

    cr_assert_not_null(root);
    json_object_set_new(root, "segment",
                        json_pack("{s:s, s:i, s:i, s:s, s:f, s:{s:f, s:f, s:b}}", "run_id", id,
                                  "index", index, "count", count, "start_at",
                                  "2026-12-07T03:30:00.000Z", "start_lag_s", 0.001 * index,
                                  "clock", "offset_s", 1e-5, "max_error_s", 0.016, "synced",
                                  1));
    cr_assert_eq(json_dump_file(root, tp(dst), JSON_SORT_KEYS | JSON_INDENT(1)), 0);
    json_decref(root);
}

static struct result read_ok(const char *name)
{
    struct result r;
    struct err e = {0};

    cr_assert_eq(result_load(tp(name), &r, &e), 0, "%s", e.msg);
    return r;
}

Test(cmd_merge, two_real_loads)
{
    struct result a, b, m;
    struct hist h;
    const char *args[] = {"merge", tp("m.json"), tp("s1.json"), tp("s2.json"),
                          "--limit", "latency.p99 < 10s", NULL};
    const char *show[] = {"show", tp("m.json"), NULL};

    load_to("a.json");
    load_to("b.json");
    segment("a.json", "s1.json", "run7", 1, 2);
    segment("b.json", "s2.json", "run7", 2, 2);
    cr_assert_eq(run(args)->code, 0, "%s", last.stderr_s);
    cr_expect(strstr(last.stdout_s, "merged 2 segments of run run7, start spread 1.00 ms"), "%s",
              last.stdout_s);
    cr_expect(strstr(last.stdout_s, "holds"), "%s", last.stdout_s);
    a = read_ok("s1.json");
    b = read_ok("s2.json");
    m = read_ok("m.json");
    cr_expect_eq(m.benches[0].load[0].requests,
                 a.benches[0].load[0].requests + b.benches[0].load[0].requests);
    cr_assert_eq(hist_init(&h, a.benches[0].load[0].latency.digits,
                           a.benches[0].load[0].latency.highest, NULL), 0);
    cr_assert_eq(hist_merge(&h, &a.benches[0].load[0].latency, NULL), 0);
    cr_assert_eq(hist_merge(&h, &b.benches[0].load[0].latency, NULL), 0);
    cr_expect_eq(m.benches[0].load[0].pct.p[LOAD_P99], hist_percentile(&h, 99));
    cr_expect_eq(bench_metric(&m.benches[0], "latency.p99")->samples[0],
                 (double)hist_percentile(&h, 99));
    cr_expect_eq(m.benches[0].load[0].pct.p[LOAD_P95], hist_percentile(&h, 95));
    cr_expect_eq(bench_metric(&m.benches[0], "latency.p95")->samples[0],
                 (double)hist_percentile(&h, 95));
    cr_expect_eq(m.seg.index, 0);
    cr_expect_eq(m.seg.count, 2);
    cr_expect_str_eq(m.seg.run_id, "run7");
    cr_expect(m.complete);
    cr_assert_eq(run(show)->code, 0, "%s", last.stderr_s);
    {   /* an ordinary result: compared with a segment, in a trend, drawn */
        const char *cmp[] = {"compare", tp("s1.json"), tp("m.json"), NULL};
        const char *trend[] = {"trend", tp("s1.json"), tp("m.json"), NULL};
        const char *plot[] = {"plot", "latency", tp("m.json"), "-o", tp("lat.png"), NULL};
        int code = run(cmp)->code;
        cr_expect(code == 0 || code == 1 || code == 3, "compare: %d %s", code, last.stderr_s);
        cr_expect(strstr(last.stdout_s, "http://127.0.0.1:"), "%s", last.stdout_s);
        cr_expect_eq(run(trend)->code, 0, "trend: %s", last.stderr_s);
        cr_expect_eq(run(plot)->code, 0, "plot: %s", last.stderr_s);
        cr_expect(exists(tp("lat.png")), "no picture");
    }
    hist_free(&h);
    result_free(&a);
    result_free(&b);
    result_free(&m);
}

/* pacer merge with args; exit code want and stderr holding msg. */
static void refused(const char *const *args, int want, const char *msg)
{
    const struct out *o = run(args);

    cr_expect_eq(o->code, want, "%s %s: %d %s", args[2], args[3], o->code, o->stderr_s);
    cr_expect(strstr(o->stderr_s, msg), "want %s, got %s", msg, o->stderr_s);
    cr_expect_not(exists(tp("m.json")), "nothing written");
}

Test(cmd_merge, refusals)
{
    char *before, *after;
    const char *s1 = tp("s1.json"), *m = tp("m.json");

    load_to("a.json");
    segment("a.json", "s1.json", "run7", 1, 2);
    segment("a.json", "s2.json", "run7", 2, 2);
    segment("a.json", "x2.json", "other", 2, 2);
    segment("a.json", "c3.json", "run7", 2, 3);
    {
        const char *a[] = {"merge", m, s1, tp("x2.json"), NULL};
        refused(a, 2, "segments of different runs (run7, other)");
    }
    {
        const char *a[] = {"merge", m, s1, NULL};
        refused(a, 2, "pacer: merge: segments of run run7: 2 of 2 is missing");
    }
    {
        const char *a[] = {"merge", m, s1, s1, NULL};
        refused(a, 2, "both segment 1 of run run7");
    }
    {
        const char *a[] = {"merge", m, s1, tp("c3.json"), NULL};
        refused(a, 2, "run run7 split in 2 and in 3 segments");
    }
    {
        const char *a[] = {"merge", m, s1, tp("a.json"), NULL};
        refused(a, 2, "a.json: not a segment of a load run (no \"segment\")");
    }
    {
        json_t *root = load_json(tp("s2.json"));
        json_t *set = json_object_get(json_array_get(json_object_get(
                          json_array_get(json_object_get(root, "benchmarks"), 0), "load"), 0),
                                      "settings");
        const char *a[] = {"merge", m, s1, tp("u2.json"), NULL};
        json_object_set_new(set, "url", json_string("http://127.0.0.1:9/"));
        cr_assert_eq(json_dump_file(root, tp("u2.json"), JSON_SORT_KEYS), 0);
        json_decref(root);
        refused(a, 2, "different settings (URL)");
    }
    {
        const char *a[] = {"merge", m, s1, "--limit", "latency.p99 < 50", tp("s2.json"),
                           NULL};
        refused(a, 2, "latency");
    }
    before = slurp(s1, NULL);
    {
        const char *a[] = {"merge", s1, s1, tp("s2.json"), NULL};
        refused(a, 2, "OUT is one of the segments");
    }
    after = slurp(s1, NULL);
    cr_assert(before && after);
    cr_expect_str_eq(after, before, "the input is unchanged");
    free(before);
    free(after);
}

Test(cmd_merge, partial_and_incomplete)
{
    struct result r;
    const char *m = tp("m.json");

    load_to("a.json");
    segment("a.json", "s1.json", "run7", 1, 3);
    segment("a.json", "s3.json", "run7", 3, 3);
    {
        json_t *root = load_json(tp("s3.json"));
        json_object_set_new(root, "complete", json_false());
        cr_assert_eq(json_dump_file(root, tp("s3.json"), JSON_SORT_KEYS), 0);
        json_decref(root);
    }
    {
        const char *a[] = {"merge", m, tp("s1.json"), tp("s3.json"), NULL};
        refused(a, 2, "segments of run run7: 2 of 3 is missing");
    }
    {
        const char *a[] = {"merge", m, tp("s1.json"), tp("s3.json"), "--partial",
                           NULL};
        cr_assert_eq(run(a)->code, 3, "%s", last.stderr_s);
    }
    r = read_ok("m.json");
    cr_expect_not(r.complete);
    cr_expect_eq(json_integer_value(json_array_get(json_object_get(r.merge, "missing"), 0)), 2);
    cr_expect_eq(json_array_size(json_object_get(r.merge, "segments")), 2);
    result_free(&r);
    remove(m);
    segment("a.json", "s2.json", "run7", 2, 3);
    {
        const char *a[] = {"merge", m, tp("s1.json"), tp("s2.json"),
                           tp("s3.json"), NULL};
        refused(a, 3, "s3.json: segment 3 of run run7 is incomplete (interrupted");
    }
}
