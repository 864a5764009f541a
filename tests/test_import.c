/*
 * test_import.c: reading other tools' result files (compare/import*.c).
 *
 * tests/data/import/good/ holds files written by the tools themselves:
 * Google Benchmark 1.7.1 (a g++ benchmark with Arg, Range, Threads,
 * UseRealTime, Unit, SetBytesProcessed, SetItemsProcessed, SkipWithError
 * and Complexity; --benchmark_format=json, with --benchmark_repetitions=5
 * under TZ=America/New_York, and --benchmark_out=FILE
 * --benchmark_out_format=json under TZ=Asia/Kolkata) and hyperfine 1.15.0
 * (--export-json with --runs, -n, --parameter-scan, and -i with failing
 * commands).  The expected numbers below are copied from those files; the
 * statistics are checked against the aggregates Google Benchmark and
 * hyperfine computed themselves.
 *
 * tests/data/import/bad/<case>.json is rejected by import_load with exactly
 * the one-line message in <case>.err (real files: gbench_aggregates_only
 * from --benchmark_report_aggregates_only, gbench_csv from
 * --benchmark_format=csv, hyperfine_aborted from a failing command without
 * -i, hyperfine_duplicate_command from `hyperfine true true`; the others
 * are real files with one field broken).
 * Run from the repository root (the paths are relative to it).
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "compare/import/import.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "harness/result/version.h"
#include "helpers.h"

#define DATA "tests/data/import"

/* ---- helpers ---------------------------------------------------------- */

static const struct param *param(const struct bench *b, const char *name)
{
    size_t i;

    for (i = 0; i < b->nparams; i++)
        if (strcmp(b->params[i].name, name) == 0)
            return &b->params[i];
    return NULL;
}

/* ---- detection -------------------------------------------------------- */

Test(detect, by_shape)
{
    static const struct {
        const char *doc;
        int want;   /* an import_format, or -1 */
    } cases[] = {
        {"{\"schema\": \"1.0\", \"context\": {}, \"benchmarks\": []}", IMPORT_PACER},
        {"{\"context\": {}, \"benchmarks\": [{\"run_name\": \"a\"}]}", IMPORT_GBENCH},
        {"{\"context\": {}, \"benchmarks\": [{\"name\": \"a\", \"real_time\": 1}]}",
         IMPORT_GBENCH},
        {"{\"context\": {}, \"benchmarks\": []}", IMPORT_GBENCH},
        {"{\"benchmarks\": [\"x\", {\"run_name\": \"a\"}]}", IMPORT_GBENCH},
        {"{\"results\": [{\"command\": \"true\"}]}", IMPORT_HYPERFINE},
        {"{\"results\": [{\"times\": [1]}]}", IMPORT_HYPERFINE},
        {"{\"results\": []}", IMPORT_HYPERFINE},
        /* a pacer file is never taken for Google Benchmark's */
        {"{\"schema\": \"1.0\", \"context\": {}, \"benchmarks\": [{\"run_name\": \"a\"}]}",
         IMPORT_PACER},
        {"{\"schema\": 1, \"context\": {}, \"benchmarks\": [{\"run_name\": \"a\"}]}", -1},
        {"{\"benchmarks\": []}", -1},
        {"{\"benchmarks\": [{\"name\": \"a\"}]}", -1},
        {"{\"results\": [{\"mean\": 1}]}", -1},
        {"{\"results\": {}}", -1},
        {"[]", -1},
        {"3", -1},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *root = json_loads(cases[i].doc, JSON_DECODE_ANY, NULL);
        enum import_format f = (enum import_format)99;
        int rc;

        cr_assert_not_null(root, "%s", cases[i].doc);
        rc = import_detect(root, &f);
        if (cases[i].want < 0) {
            cr_expect_eq(rc, -1, "%s: detected as %s", cases[i].doc, import_format_name(f));
        } else {
            cr_expect_eq(rc, 0, "%s: not detected", cases[i].doc);
            cr_expect_eq(f, (enum import_format)cases[i].want, "%s: detected as %s",
                         cases[i].doc, import_format_name(f));
        }
        json_decref(root);
    }
}

Test(detect, format_names)
{
    cr_expect_str_eq(import_format_name(IMPORT_PACER), "pacer");
    cr_expect_str_eq(import_format_name(IMPORT_GBENCH), "gbench");
    cr_expect_str_eq(import_format_name(IMPORT_HYPERFINE), "hyperfine");
    cr_expect_str_eq(import_format_name((enum import_format)42), "unknown");
}

/* ---- rejected files --------------------------------------------------- */

/* The cases the importer must reject; each has bad/<case>.json and .err. */
static const char *const required_bad[] = {
    "gbench_aggregates_only",   "gbench_real_time_string", "gbench_real_time_negative",
    "gbench_real_time_missing", "gbench_time_unit_unknown", "gbench_iterations_zero",
    "gbench_bench_not_object",  "gbench_no_benchmarks",     "gbench_context_missing",
    "gbench_date_bad",          "gbench_error_message_missing", "gbench_csv",
    "hyperfine_times_not_array", "hyperfine_time_negative", "hyperfine_time_string",
    "hyperfine_command_missing", "hyperfine_exit_codes_short", "hyperfine_no_results",
    "hyperfine_duplicate_command", "hyperfine_aborted",     "unknown_format",
    "not_object",               "pacer_sample_negative",
};

/* import_load, its result freed. */
static int read_import(const char *path, struct err *e)
{
    struct result r;
    int rc = import_load(path, &r, NULL, e);

    result_free(&r);
    return rc;
}

Test(golden, required_bad_cases_present)
{
    golden_present(DATA "/bad", required_bad, COUNT(required_bad));
}

Test(golden, bad_files_rejected_with_exact_message)
{
    golden_refused(DATA "/bad", read_import, COUNT(required_bad));
}

Test(golden, unreadable_files)
{
    golden_unreadable(DATA "/bad", read_import);
}

Test(golden, converters_name_the_document)
{
    struct result r;
    struct err e = {0};
    json_t *root = json_integer(3);

    cr_expect_eq(import_gbench(root, "<memory>", &r, &e), -1);
    cr_expect_str_eq(e.msg, "<memory>: $: expected object, got integer");
    result_free(&r);
    err_clear(&e);
    cr_expect_eq(import_hyperfine(root, "<memory>", &r, &e), -1);
    cr_expect_str_eq(e.msg, "<memory>: $: expected object, got integer");
    result_free(&r);
    json_decref(root);
    err_clear(&e);
    cr_expect_eq(convert_text(import_hyperfine, "{}", &r, &e), -1);
    cr_expect_str_eq(e.msg, "<memory>: results: missing");
    result_free(&r);
    err_clear(&e);
    cr_expect_eq(convert_text(import_gbench, "{\"context\": {\"date\": \"2026-11-24T10:00:00Z\"}}",
                              &r, &e),
                 -1);
    cr_expect_str_eq(e.msg, "<memory>: benchmarks: missing");
    result_free(&r);
}

/* ---- Google Benchmark ---------------------------------------------------- */

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
    cr_expect_eq(r.benches[3].nmetrics, 1u);   /* the user counter is not kept */
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
    cr_assert_not_null(b->error);
    cr_expect_str_eq(b->error->message, "skipped: not on this machine");
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

/* ---- hyperfine ------------------------------------------------------------ */

Test(hyperfine, basic)
{
    /* hyperfine's own statistics of the same times, in seconds */
    static const double times[] = {0.01125404338, 0.01096919738, 0.010948996380000001,
                                   0.011023176380000001, 0.01090642138};
    struct result r;
    const struct bench *b;
    size_t i;

    import_ok(DATA "/good/hyperfine_basic.json", &r, IMPORT_HYPERFINE);
    cr_expect_str_eq(r.suite, "hyperfine_basic");
    cr_expect_str_eq(r.ctx.pacer_version, "imported");
    cr_expect_str_eq(r.ctx.compiler, "hyperfine");
    cr_expect_null(r.ctx.hostname);
    cr_expect_null(r.ctx.cpu_model);
    cr_expect_eq(r.ctx.cpus, -1);
    cr_expect(is_hex16(r.ctx.fingerprint));
    cr_assert_eq(r.nbenches, 2u);

    b = &r.benches[0];
    cr_expect_str_eq(b->name, "sleep 0.01");
    cr_expect_eq(b->kind, KIND_COMMAND);
    cr_expect_str_eq(b->unit, "ns");
    cr_expect_eq(b->dir, DIR_LOWER);
    cr_expect_eq(b->iterations, 1u);
    cr_expect_eq(b->processes, 1u);
    cr_expect_null(b->command);
    cr_expect_null(b->error);
    cr_expect_eq(b->nmetrics, 0u);   /* user and system are only means */
    cr_expect_eq(b->nparams, 0u);
    cr_assert_eq(b->nsamples, 5u);
    for (i = 0; i < 5; i++)
        cr_expect(rel_eq(b->samples[i], times[i] * 1e9, 1e-15), "samples[%zu] %.17g", i,
                  b->samples[i]);
    cr_expect_eq(b->st.n, 5u);
    cr_expect(rel_eq(b->st.mean, 0.011020366979999998e9, 1e-12), "mean %.17g", b->st.mean);
    cr_expect(rel_eq(b->st.median, 0.01096919738e9, 1e-12), "median %.17g", b->st.median);
    cr_expect(rel_eq(b->st.stddev, 0.00013721173684601477e9, 1e-9), "stddev %.17g",
              b->st.stddev);
    cr_expect_eq(b->st.min, 0.01090642138 * 1e9);
    cr_expect_eq(b->st.max, 0.01125404338 * 1e9);

    b = &r.benches[1];
    cr_expect_str_eq(b->name, "true");
    cr_assert_eq(b->nsamples, 5u);
    cr_expect_eq(b->samples[4], 0.0);   /* hyperfine clamps at 0 */
    cr_expect_eq(b->st.mean, 0.0);
    result_free(&r);
}

TestSuite(hyperfine_time, .init = tmp_setup, .fini = tmp_teardown);

/* hyperfine records no time: the file's modification time, in UTC. */
Test(hyperfine_time, from_file_mtime)
{
    struct timeval tv[2] = {{1795000000, 0}, {1795000000, 0}};
    char path[256], *text;
    struct result r;
    FILE *f;

    text = slurp(DATA "/good/hyperfine_basic.json", NULL);
    cr_assert_not_null(text);
    snprintf(path, sizeof path, "%s", tmp_path("run.json"));
    f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
    free(text);
    cr_assert_eq(utimes(path, tv), 0, "%s", strerror(errno));

    import_ok(path, &r, IMPORT_HYPERFINE);
    cr_expect_str_eq(r.ctx.time, "2026-11-18T11:06:40Z");   /* date -u -d @1795000000 */
    cr_expect_str_eq(r.suite, "run");
    result_free(&r);
}

Test(hyperfine, named_commands)
{
    struct result r;

    import_ok(DATA "/good/hyperfine_named.json", &r, IMPORT_HYPERFINE);
    cr_assert_eq(r.nbenches, 2u);
    cr_expect_str_eq(r.benches[0].name, "short");
    cr_expect_str_eq(r.benches[1].name, "nothing");
    cr_assert_eq(r.benches[1].nsamples, 3u);
    cr_expect(rel_eq(r.benches[1].samples[1], 2.1969400000001376e-06 * 1e9, 1e-15));
    cr_expect_eq(r.benches[1].samples[2], 0.0);
    result_free(&r);
}

Test(hyperfine, parameter_scan)
{
    struct result r;
    size_t i;

    import_ok(DATA "/good/hyperfine_scan.json", &r, IMPORT_HYPERFINE);
    cr_assert_eq(r.nbenches, 3u);
    for (i = 0; i < 3; i++) {
        const struct bench *b = &r.benches[i];
        char name[32], value[8];

        snprintf(name, sizeof name, "sleep 0.0%zu", i + 1);
        snprintf(value, sizeof value, "%zu", i + 1);
        cr_expect_str_eq(b->name, name);
        cr_assert_eq(b->nparams, 1u);
        cr_expect_str_eq(b->params[0].name, "n");
        cr_expect_str_eq(b->params[0].value, value);
        cr_expect(b->params[0].is_int && b->params[0].ival == (long long)i + 1);
        cr_expect_eq(b->nsamples, 3u);
        /* sleep 0.0n takes at least n * 10 ms */
        cr_expect_geq(b->st.min, (double)(i + 1) * 1e7);
    }
    result_free(&r);
}

/* -i: a command that always exits 3 is what it does; one whose exit code
 * changes between runs is flagged, its samples kept. */
Test(hyperfine, exit_codes)
{
    struct result r;
    const struct bench *b;

    import_ok(DATA "/good/hyperfine_fail.json", &r, IMPORT_HYPERFINE);
    cr_assert_eq(r.nbenches, 3u);
    b = bench_named(&r, "exit3");
    cr_expect_null(b->error);
    cr_expect_eq(b->nsamples, 4u);
    b = bench_named(&r, "flaky");   /* exit codes 0, 1, 0, 1 */
    cr_assert_not_null(b->error);
    cr_expect_str_eq(b->error->message, "exited with status 1 (in run 2), with status 0 in run 1");
    cr_expect_eq(b->error->exit_code, 1);
    cr_expect_eq(b->error->signal, 0);
    cr_expect_eq(b->nsamples, 4u);
    cr_expect_eq(b->st.n, 4u);
    b = bench_named(&r, "sleep 0.01");
    cr_expect_null(b->error);
    cr_expect_eq(r.nbenches - result_nerrors(&r), 2u);
    result_free(&r);
}

Test(hyperfine, exit_codes_in_memory)
{
    static const struct {
        const char *codes, *msg;   /* msg NULL: no error */
        int exit_code;
    } cases[] = {
        {"[0, 0, 0]", NULL, 0},
        {"[2, 2, 2]", NULL, 0},
        {"[3, 3, 4]", "exited with status 3 (in run 1), with status 4 in run 3", 3},
        {"[0, null, 1]", "killed by a signal (in run 2)", -1},
        {"[0, 0, 1]", "exited with status 1 (in run 3), with status 0 in run 1", 1},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[256];
        struct result r;
        struct err e = {0};

        snprintf(doc, sizeof doc,
                 "{\"results\": [{\"command\": \"x\", \"times\": [0.1, 0.2, 0.3],"
                 " \"exit_codes\": %s}]}",
                 cases[i].codes);
        cr_assert_eq(convert_text(import_hyperfine, doc, &r, &e), 0, "%s", e.msg);
        cr_assert_eq(r.nbenches, 1u);
        cr_expect_eq(r.benches[0].nsamples, 3u);
        if (!cases[i].msg) {
            cr_expect_null(r.benches[0].error, "%s", cases[i].codes);
        } else {
            cr_assert_not_null(r.benches[0].error, "%s", cases[i].codes);
            cr_expect_str_eq(r.benches[0].error->message, cases[i].msg);
            cr_expect_eq(r.benches[0].error->exit_code, cases[i].exit_code);
        }
        result_free(&r);
    }
}

/* ---- pacer's own files, and round trips ---------------------------------- */

Test(pacer, own_files_load_unchanged)
{
    static const char *const files[] = {"tests/data/result/good/full.json",
                                        "tests/data/result/good/minimal.json"};
    size_t i, j;

    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct result a, b;
        struct err e = {0};

        import_ok(files[i], &a, IMPORT_PACER);
        cr_assert_eq(result_load(files[i], &b, &e), 0, "%s", e.msg);
        cr_expect_str_eq(a.ctx.fingerprint, b.ctx.fingerprint);
        cr_expect_str_eq(a.ctx.time, b.ctx.time);
        cr_assert_eq(a.nbenches, b.nbenches);
        for (j = 0; j < a.nbenches; j++) {
            cr_expect_str_eq(a.benches[j].name, b.benches[j].name);
            cr_expect_eq(a.benches[j].nsamples, b.benches[j].nsamples);
        }
        result_free(&a);
        result_free(&b);
    }
}

TestSuite(roundtrip, .init = tmp_setup, .fini = tmp_teardown);

/* Every imported file is a valid pacer result: saved, it loads back with
 * the same benchmarks, samples and statistics. */
Test(roundtrip, imported_results_save_and_load)
{
    struct dirent *de;
    DIR *d = opendir(DATA "/good");
    size_t nfiles = 0;

    cr_assert_not_null(d, DATA "/good: %s (run from the repository root)", strerror(errno));
    while ((de = readdir(d))) {
        char in[512], out[512];
        struct result a, b;
        struct err e = {0};
        size_t i, j;

        if (!ends_with(de->d_name, ".json"))
            continue;
        snprintf(in, sizeof in, DATA "/good/%s", de->d_name);
        snprintf(out, sizeof out, "%s", tmp_path(de->d_name));
        cr_assert_eq(import_load(in, &a, NULL, &e), 0, "%s", e.msg);
        cr_assert_eq(result_save(&a, out, &e), 0, "%s: %s", in, e.msg);
        cr_assert_eq(result_load(out, &b, &e), 0, "%s: %s", in, e.msg);
        cr_expect_str_eq(a.suite, b.suite);
        cr_expect_str_eq(a.ctx.time, b.ctx.time);
        cr_expect_str_eq(a.ctx.fingerprint, b.ctx.fingerprint);
        cr_assert_eq(a.nbenches, b.nbenches, "%s", in);
        for (i = 0; i < a.nbenches; i++) {
            const struct bench *x = &a.benches[i], *y = &b.benches[i];

            cr_expect_str_eq(x->name, y->name);
            cr_expect_eq(x->kind, y->kind);
            cr_expect_eq(x->iterations, y->iterations);
            cr_expect_eq(x->nparams, y->nparams);
            cr_expect_eq(x->nmetrics, y->nmetrics);
            cr_expect_eq(x->bytes_per_op, y->bytes_per_op);
            cr_expect_eq(!x->error, !y->error, "%s: error", x->name);
            cr_assert_eq(x->nsamples, y->nsamples, "%s", x->name);
            for (j = 0; j < x->nsamples; j++)
                cr_expect_eq(x->samples[j], y->samples[j], "%s[%zu]", x->name, j);
            cr_expect_eq(x->st.n, y->st.n);
            if (x->st.n)
                cr_expect_eq(x->st.median, y->st.median, "%s", x->name);
        }
        result_free(&a);
        result_free(&b);
        nfiles++;
    }
    closedir(d);
    cr_expect_geq(nfiles, 8u);
}
