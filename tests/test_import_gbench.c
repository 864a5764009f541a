/*
 * test_import_gbench.c: Google Benchmark's JSON read as a result
 * (compare/import/import_gbench.c).  tests/data/import/good/ holds files
 * Google Benchmark 1.7.1 wrote itself (a g++ benchmark with Arg, Range,
 * Threads, UseRealTime, Unit, SetBytesProcessed, SetItemsProcessed,
 * SkipWithError and Complexity; --benchmark_format=json, with
 * --benchmark_repetitions=5 under TZ=America/New_York, and
 * --benchmark_out=FILE --benchmark_out_format=json under TZ=Asia/Kolkata).
 * The expected numbers below are copied from those files; the statistics
 * are checked against the aggregates Google Benchmark computed itself.
 * Run from the repository root (the paths are relative to it).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/import/import.h"
#include "helpers.h"

#define DATA "tests/data/import"

/* b's parameter named name (borrowed), or NULL. */
static const struct param *param(const struct bench *b, const char *name)
{
    size_t i;

    for (i = 0; i < b->nparams; i++)
        if (strcmp(b->params[i].name, name) == 0)
            return &b->params[i];
    return NULL;
}

Test(gbench, single_run)
{
    struct result r;
    const struct bench *b;
    const struct metric *m;
    const struct param *p;

    import_ok(DATA "/good/gbench_single.json", &r, IMPORT_GBENCH);
    cr_expect_eq(r.schema_major, (unsigned)RESULT_SCHEMA_MAJOR);
    cr_expect_eq(r.schema_minor, (unsigned)RESULT_SCHEMA_MINOR);
    cr_expect_str_eq(r.suite, "gbench_single");
    cr_expect_eq(r.complete, 1);
    cr_expect_null(r.argv);
    cr_expect_eq(r.set.samples, 30u);   /* settings_default */

    /* context: "2026-11-24T01:00:18+00:00" */
    cr_expect_str_eq(r.ctx.pacer_version, "imported");
    cr_expect_str_eq(r.ctx.time, "2026-11-24T01:00:18Z");
    cr_expect_str_eq(r.ctx.hostname, "vm");
    cr_expect_eq(r.ctx.cpus, 2);
    cr_expect_null(r.ctx.governor);   /* cpu_scaling_enabled false */
    cr_expect_str_eq(r.ctx.compiler, "google-benchmark");
    cr_expect_str_eq(r.ctx.cflags, "google-benchmark debug");
    cr_expect_null(r.ctx.cpu_model);
    cr_expect(rel_eq(r.ctx.loadavg[0], 0.57959, 0) && rel_eq(r.ctx.loadavg[1], 0.66748, 0) &&
              rel_eq(r.ctx.loadavg[2], 0.595703, 0));
    cr_assert_not_null(r.ctx.fingerprint);
    cr_expect(is_hex16(r.ctx.fingerprint), "fingerprint %s", r.ctx.fingerprint);

    cr_assert_eq(r.nbenches, 9u);
    cr_expect_str_eq(r.benches[0].name, "BM_memcpy/64");   /* the file's order */
    cr_expect_str_eq(r.benches[8].name, "BM_copy_rt/real_time");

    b = bench_named(&r, "BM_memcpy/64");
    cr_expect_eq(b->kind, KIND_MICRO);
    cr_expect_str_eq(b->unit, "ns");
    cr_expect_eq(b->dir, DIR_LOWER);
    cr_expect_eq(b->processes, 1u);
    cr_expect_str_eq(b->binary, "./bm");
    cr_expect_null(b->command);
    cr_expect_null(b->error);
    cr_expect_eq(b->iterations, 10229708u);
    cr_assert_eq(b->nsamples, 1u);
    cr_expect_eq(b->samples[0], 1.2233341362173917);
    /* 52315356368.185265 B/s x 1.2233501679617835 ns of CPU time */
    cr_expect_eq(b->bytes_per_op, 64.0);
    cr_expect_eq(b->items_per_op, 0.0);
    m = metric(b, "cpu");
    cr_assert_not_null(m);
    cr_expect_str_eq(m->unit, "ns");
    cr_assert_eq(m->nsamples, 1u);
    cr_expect_eq(m->samples[0], 1.2233501679617835);
    cr_expect_eq(m->st.n, 1u);
    p = param(b, "arg0");
    cr_assert_not_null(p);
    cr_expect(p->is_int && p->ival == 64);
    cr_expect_eq(b->st.n, 1u);
    cr_expect_eq(b->st.mean, 1.2233341362173917);

    b = bench_named(&r, "BM_memcpy/4096");
    cr_expect_eq(b->bytes_per_op, 4096.0);

    b = bench_named(&r, "BM_sum/512");
    cr_expect_eq(b->iterations, 110775u);
    cr_expect_eq(b->items_per_op, 512.0);
    cr_expect_eq(b->bytes_per_op, 0.0);

    /* time_unit us: 284.26190606643655 us */
    b = bench_named(&r, "BM_sleep");
    cr_assert_eq(b->nsamples, 1u);
    cr_expect(rel_eq(b->samples[0], 284261.90606643655, 1e-15), "%.17g", b->samples[0]);
    cr_expect(rel_eq(metric(b, "cpu")->samples[0], 22211.029354207415, 1e-15));
    cr_expect_eq(b->nparams, 0u);

    /* time_unit ms and rates by real time: 1670005204.335082 B/s x
     * 0.6278878636294394 ms = 1 MiB */
    b = bench_named(&r, "BM_copy_rt/real_time");
    cr_expect(rel_eq(b->samples[0], 627887.8636294394, 1e-15), "%.17g", b->samples[0]);
    cr_expect_eq(b->bytes_per_op, 1048576.0);
    cr_expect_eq(b->nparams, 0u);

    b = bench_named(&r, "BM_fails");
    cr_assert_not_null(b->error);
    cr_expect_str_eq(b->error->message, "resource not available");
    cr_expect_eq(b->error->exit_code, -1);
    cr_expect_eq(b->nsamples, 0u);
    cr_expect_eq(b->st.n, 0u);
    cr_expect_eq(metric(b, "cpu")->nsamples, 0u);

    b = bench_named(&r, "BM_threads/threads:2");
    p = param(b, "threads");
    cr_assert_not_null(p);
    cr_expect(p->is_int && p->ival == 2);
    cr_expect_eq(b->nparams, 1u);
    cr_expect_eq(b->samples[0], 0.13176212577280136);
    result_free(&r);
}

/* pacer's statistics of the repetitions against the aggregates Google
 * Benchmark computed from the same repetitions (mean, median, and the
 * n-1 standard deviation; time_unit us and ms scaled to ns). */
Test(gbench, repetitions)
{
    static const struct {
        const char *name;
        double mean, median, stddev;             /* real_time aggregates, ns */
        double cpu_mean, cpu_median, cpu_stddev; /* cpu_time aggregates, ns */
    } agg[] = {
        {"BM_memcpy/64", 1.4506072833136456, 1.4456272980560352, 0.015288882785109778,
         1.44980613868896, 1.4457033723308497, 0.014484453303077061},
        {"BM_sleep", 289427.55704206263, 289574.6478873367, 1033.232536249768,
         25556.217253521126, 25542.33274647887, 631.8097274719816},
        {"BM_threads/threads:2", 0.17521879176051045, 0.1788271947126656,
         0.03631457480795284, 0.2565670911168295, 0.24915556494529228,
         0.01649768494851129},
        {"BM_copy_rt/real_time", 622671.5999970189, 626231.086955712, 5852.704170366859,
         61090.01739130397, 61023.13043478317, 924.5494087725904},
    };
    struct result r;
    const struct bench *b;
    size_t i;

    import_ok(DATA "/good/gbench_reps.json", &r, IMPORT_GBENCH);
    /* "2026-11-23T20:00:18-05:00": the next day in UTC */
    cr_expect_str_eq(r.ctx.time, "2026-11-24T01:00:18Z");
    cr_expect_str_eq(r.suite, "gbench_reps");
    /* 68 entries: 5 x 5 repetitions, 4 x 4 aggregates; BM_fails errs */
    cr_assert_eq(r.nbenches, 5u);
    for (i = 0; i < sizeof agg / sizeof agg[0]; i++) {
        const struct metric *m;

        b = bench_named(&r, agg[i].name);
        cr_expect_null(b->error, "%s", b->name);
        cr_assert_eq(b->nsamples, 5u, "%s", b->name);
        cr_expect_eq(b->st.n, 5u);
        cr_expect(rel_eq(b->st.mean, agg[i].mean, 1e-12), "%s mean %.17g", b->name, b->st.mean);
        cr_expect(rel_eq(b->st.median, agg[i].median, 1e-12), "%s median %.17g", b->name,
                  b->st.median);
        /* Google Benchmark's one-pass variance: agreement to 1e-6 */
        cr_expect(rel_eq(b->st.stddev, agg[i].stddev, 1e-6), "%s stddev %.17g", b->name,
                  b->st.stddev);
        cr_expect(isfinite(b->st.ci_median.lo) && isfinite(b->st.ci_mean.hi), "%s ci",
                  b->name);
        m = metric(b, "cpu");
        cr_assert_not_null(m);
        cr_assert_eq(m->nsamples, 5u);
        cr_expect(rel_eq(m->st.mean, agg[i].cpu_mean, 1e-12), "%s cpu mean", b->name);
        cr_expect(rel_eq(m->st.median, agg[i].cpu_median, 1e-12), "%s cpu median", b->name);
        cr_expect(rel_eq(m->st.stddev, agg[i].cpu_stddev, 1e-6), "%s cpu stddev", b->name);
    }
    b = bench_named(&r, "BM_memcpy/64");
    cr_expect_eq(b->iterations, 9766776u);
    cr_expect_eq(b->bytes_per_op, 64.0);
    b = bench_named(&r, "BM_sleep");
    cr_expect_eq(b->samples[0], 287829.92781713455);   /* the first repetition, us */
    b = bench_named(&r, "BM_fails");
    cr_expect_eq(b->nsamples, 0u);
    cr_assert_not_null(b->error);
    cr_expect_str_eq(b->error->message, "resource not available");
    result_free(&r);
}

Test(gbench, out_file_with_offset)
{
    struct result r;
    const struct bench *b;

    import_ok(DATA "/good/gbench_out.json", &r, IMPORT_GBENCH);
    /* "2026-11-24T06:30:19+05:30" */
    cr_expect_str_eq(r.ctx.time, "2026-11-24T01:00:19Z");
    cr_assert_eq(r.nbenches, 3u);
    b = bench_named(&r, "BM_sum/64");
    cr_expect_eq(b->items_per_op, 64.0);
    cr_expect_eq(b->iterations, 608411u);
    cr_expect_eq(b->samples[0], 22.700478787762936);
    result_free(&r);
}

/* BigO and RMS are aggregates of a run_name with no iteration entry of
 * its own: skipped, not taken for --benchmark_report_aggregates_only. */
Test(gbench, complexity_aggregates_skipped)
{
    struct result r;

    import_ok(DATA "/good/gbench_complexity.json", &r, IMPORT_GBENCH);
    cr_assert_eq(r.nbenches, 4u);
    cr_expect_null(result_find(&r, "BM_fill"));
    cr_expect_str_eq(r.benches[3].name, "BM_fill/1024");
    cr_expect_eq(r.benches[3].nmetrics, 1u);
    /* the user counter (state.counters["elems"]) is kept as one */
    cr_assert_eq(r.benches[3].ncounters, 1u);
    cr_expect_str_eq(r.benches[3].counters[0].name, "elems");
    cr_expect_eq(r.benches[3].counters[0].flags, 0u);
    cr_assert_eq(r.benches[3].counters[0].nsamples, 1u);
    cr_expect_eq(r.benches[3].counters[0].samples[0], 1024.0);
    cr_expect_eq(r.benches[3].counters[0].st.median, 1024.0);
    result_free(&r);
}

/* User counters are the numeric fields that are not Google Benchmark's
 * own, in the file's order; one a repetition lacks is not kept; strings
 * and Google Benchmark's own numbers are not counters. */
Test(gbench, user_counters)
{
    static const char doc[] =
        "{\"context\": {\"date\": \"2026-11-23T20:00:18Z\"}, \"benchmarks\": ["
        "{\"name\": \"BM_c\", \"run_name\": \"BM_c\", \"run_type\": \"iteration\", "
        "\"repetitions\": 2, \"repetition_index\": 0, \"threads\": 1, \"iterations\": 10, "
        "\"real_time\": 5, \"cpu_time\": 5, \"time_unit\": \"ns\", \"zeta\": 2e6, "
        "\"label\": \"x\", \"bytes_per_second\": 100, \"alpha\": -1, \"only_once\": 3},"
        "{\"name\": \"BM_c\", \"run_name\": \"BM_c\", \"run_type\": \"iteration\", "
        "\"repetitions\": 2, \"repetition_index\": 1, \"threads\": 1, \"iterations\": 10, "
        "\"real_time\": 6, \"cpu_time\": 6, \"time_unit\": \"ns\", \"alpha\": -3, "
        "\"zeta\": 4e6},"
        "{\"name\": \"BM_c_mean\", \"run_name\": \"BM_c\", \"run_type\": \"aggregate\", "
        "\"aggregate_name\": \"mean\", \"iterations\": 2, \"real_time\": 5.5, "
        "\"cpu_time\": 5.5, \"time_unit\": \"ns\", \"zeta\": 3e6, \"alpha\": -2}]}";
    struct result r, lean;
    struct err e = {0};
    const struct bench *b;

    cr_assert_eq(convert_text(import_gbench, doc, &r, &e), 0, "%s", e.msg);
    /* the lean reader takes it and makes the same counters */
    cr_assert_eq(import_gbench_lean(doc, strlen(doc), "<memory>", NULL, &lean), 0);
    cr_assert_eq(lean.nbenches, 1u);
    cr_assert_eq(lean.benches[0].ncounters, 2u);
    for (size_t k = 0; k < 2; k++) {
        cr_expect_str_eq(lean.benches[0].counters[k].name, r.benches[0].counters[k].name);
        cr_expect_eq(lean.benches[0].counters[k].samples[1], r.benches[0].counters[k].samples[1]);
    }
    result_free(&lean);
    cr_assert_eq(r.nbenches, 1u);
    b = &r.benches[0];
    cr_assert_eq(b->nsamples, 2u);
    cr_assert_eq(b->ncounters, 2u);
    cr_expect_str_eq(b->counters[0].name, "zeta");
    cr_expect_str_eq(b->counters[1].name, "alpha");
    cr_assert_eq(b->counters[0].nsamples, 2u);
    cr_expect_eq(b->counters[0].samples[0], 2e6);
    cr_expect_eq(b->counters[0].samples[1], 4e6);
    cr_expect_eq(b->counters[0].st.median, 3e6);
    cr_expect_eq(b->counters[1].samples[1], -3.0);
    result_free(&r);
}

/* What the files above do not show: named arguments, the suffixes Google
 * Benchmark adds, skips (1.8), differing iteration counts, entries without
 * run_name and run_type. */
Test(gbench, names_params_and_entries)
{
    static const char doc[] =
        "{\"context\": {\"date\": \"2026-03-01T00:30:00.123+0100\", "
        " \"cpu_scaling_enabled\": true, \"load_avg\": []},"
        " \"benchmarks\": ["
        "  {\"run_name\": \"BM_x/size:64/mode:fast/min_time:0.500/real_time/threads:4\","
        "   \"run_type\": \"iteration\", \"threads\": 4, \"iterations\": 10,"
        "   \"real_time\": 2.0, \"cpu_time\": 8.0, \"time_unit\": \"s\","
        "   \"bytes_per_second\": 32.0, \"items_per_second\": 0.75},"
        "  {\"run_name\": \"BM_x/size:64/mode:fast/min_time:0.500/real_time/threads:4\","
        "   \"run_type\": \"iteration\", \"threads\": 4, \"iterations\": 20,"
        "   \"real_time\": 3.0, \"cpu_time\": 9.0, \"time_unit\": \"s\"},"
        "  {\"run_name\": \"BM_skip\", \"run_type\": \"iteration\", \"error_occurred\": false,"
        "   \"error_message\": \"not on this machine\", \"iterations\": 0,"
        "   \"real_time\": 0, \"cpu_time\": 0, \"time_unit\": \"ns\"},"
        "  {\"name\": \"BM_old/8\", \"iterations\": 5, \"real_time\": 4,"
        "   \"cpu_time\": 4, \"time_unit\": \"ns\"},"
        "  {\"name\": \"BM_old/8_mean\", \"aggregate_name\": \"mean\", \"iterations\": 5,"
        "   \"real_time\": 4, \"cpu_time\": 4, \"time_unit\": \"ns\"}"
        " ]}";
    struct result r;
    struct err e = {0};
    const struct bench *b;
    const struct param *p;

    cr_assert_eq(convert_text(import_gbench, doc, &r, &e), 0, "%s", e.msg);
    cr_expect_str_eq(r.suite, "<memory>");
    cr_expect_str_eq(r.ctx.time, "2026-02-28T23:30:00Z");
    cr_expect_str_eq(r.ctx.governor, "scaling enabled");
    cr_expect_null(r.ctx.hostname);
    cr_expect_null(r.ctx.cflags);
    cr_expect_eq(r.ctx.cpus, -1);
    cr_expect(isnan(r.ctx.loadavg[0]));
    cr_assert_eq(r.nbenches, 3u);

    b = &r.benches[0];
    cr_expect_str_eq(b->name, "BM_x/size:64/mode:fast/min_time:0.500/real_time/threads:4");
    cr_expect_null(b->binary);
    cr_expect_eq(b->nparams, 3u);
    p = param(b, "size");
    cr_expect(p && p->is_int && p->ival == 64);
    p = param(b, "mode");
    cr_expect(p && !p->is_int && strcmp(p->value, "fast") == 0);
    p = param(b, "threads");
    cr_expect(p && p->is_int && p->ival == 4);
    cr_expect_null(param(b, "min_time"));
    cr_expect_eq(b->iterations, 10u);   /* the first repetition's */
    cr_assert_eq(b->nsamples, 2u);
    cr_expect_eq(b->samples[0], 2e9);
    cr_expect_eq(b->samples[1], 3e9);
    cr_expect_eq(metric(b, "cpu")->samples[1], 9e9);
    cr_expect_eq(b->bytes_per_op, 64.0);   /* by real time: 32 B/s x 2 s */
    cr_expect_eq(b->items_per_op, 1.5);

    b = &r.benches[1];
    cr_expect_str_eq(b->name, "BM_skip");
    cr_expect_null(b->error);   /* a skip is not a failure */
    cr_assert_not_null(b->skipped);
    cr_expect_str_eq(b->skipped, "not on this machine");
    cr_expect_eq(b->nsamples, 0u);

    b = &r.benches[2];
    cr_expect_str_eq(b->name, "BM_old/8");
    cr_expect_eq(b->nsamples, 1u);
    p = param(b, "arg0");
    cr_expect(p && p->is_int && p->ival == 8);
    result_free(&r);
}

Test(gbench, dates)
{
    static const struct {
        const char *date, *utc;   /* utc NULL: rejected */
    } cases[] = {
        {"2026-11-24T01:00:18+00:00", "2026-11-24T01:00:18Z"},
        {"2026-11-23T20:00:18-05:00", "2026-11-24T01:00:18Z"},
        {"2026-11-24T06:30:19+0530", "2026-11-24T01:00:19Z"},
        {"2026-12-31T23:59:59-01:00", "2027-01-01T00:59:59Z"},
        {"2028-02-29 10:00:00", "2028-02-29T10:00:00Z"},   /* no offset: UTC */
        {"2026-11-24T10:00:00Z", "2026-11-24T10:00:00Z"},
        {"2026-02-29T10:00:00Z", NULL},
        {"2026-11-24T24:00:00Z", NULL},
        {"2026-11-24T10:00:00+5", NULL},
        {"2026-11-24T10:00:00 ", NULL},
        {"26-11-24T10:00:00Z", NULL},
        {"", NULL},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[512], want[256];
        struct result r;
        struct err e = {0};
        int rc;

        snprintf(doc, sizeof doc,
                 "{\"context\": {\"date\": \"%s\"}, \"benchmarks\": [{\"run_name\": \"a\","
                 " \"iterations\": 1, \"real_time\": 1, \"cpu_time\": 1, \"time_unit\": \"ns\"}]}",
                 cases[i].date);
        rc = convert_text(import_gbench, doc, &r, &e);
        if (cases[i].utc) {
            cr_expect_eq(rc, 0, "%s: %s", cases[i].date, e.msg);
            if (rc == 0)
                cr_expect_str_eq(r.ctx.time, cases[i].utc, "%s", cases[i].date);
        } else {
            snprintf(want, sizeof want,
                     "<memory>: context.date: expected a date like "
                     "\"2026-11-24T10:00:00+01:00\", got \"%s\"",
                     cases[i].date);
            cr_expect_eq(rc, -1, "%s: accepted", cases[i].date);
            cr_expect_str_eq(e.msg, want);
        }
        result_free(&r);
    }
}
