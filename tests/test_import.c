/*
 * test_import.c: reading other tools' result files (compare/import/import.c):
 * each format detected by the shape of its document, and every file of
 * tests/data/import/bad refused by import_load with exactly the one-line
 * message of its .err (real files: gbench_aggregates_only from
 * --benchmark_report_aggregates_only, gbench_csv from
 * --benchmark_format=csv, hyperfine_aborted from a failing command without
 * -i, hyperfine_duplicate_command from `hyperfine true true`; the others,
 * pytestbench_* among them, are real files with one field broken).  pacer's own files load as
 * result_load reads them, and every imported file of tests/data/import/good
 * is a result pacer saves and loads back.  The Google Benchmark, hyperfine
 * and pytest-benchmark converters are tested in test_import_gbench.c,
 * test_import_hyperfine.c and test_import_pytestbench.c.  Run from the repository root (the paths are
 * relative to it).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/import/import.h"
#include "helpers.h"

#define DATA "tests/data/import"

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
        {"{\"benchmarks\": [{\"fullname\": \"t.py::t\", \"stats\": {}}]}", IMPORT_PYTESTBENCH},
        {"{\"machine_info\": {}, \"benchmarks\": []}", IMPORT_PYTESTBENCH},
        {"{\"benchmarks\": [{\"name\": \"t\", \"stats\": {}}]}", -1},
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
    cr_expect_str_eq(import_format_name(IMPORT_PYTESTBENCH), "pytest-benchmark");
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
    "pytestbench_data_negative", "pytestbench_data_string", "pytestbench_data_short",
    "pytestbench_stats_missing", "pytestbench_median_missing",
    "pytestbench_quartiles_out_of_order", "pytestbench_rounds_zero",
    "pytestbench_duplicate_name", "pytestbench_datetime_bad", "pytestbench_no_benchmarks",
    "pytestbench_fullname_not_string", "pytestbench_iterations_zero", "pytestbench_truncated",
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

/* What compare without limits asks for (no_stats): every benchmark's
 * samples, counts per process and reference as the full read gives them,
 * no statistics (st.n 0), and a file whose stored statistics are damaged
 * read all the same (the comparison never looks at them; pacer show
 * refuses the file). */
Test(pacer, samples_without_stats)
{
    static const char *const files[] = {
        "tests/data/result/good/full.json", "tests/data/result/good/every_field.json",
        "tests/data/result/good/ab.json", "tests/data/result/good/load.json",
        "tests/data/result/good/reference.json", "tests/data/result/good/escapes.json",
    };
    struct import_opts io = {0, 1};
    size_t i, j, k;

    for (i = 0; i < COUNT(files); i++) {
        struct result a, b;
        struct err e = {0};

        cr_assert_eq(import_load_with(files[i], &io, &a, NULL, &e), 0, "%s: %s", files[i], e.msg);
        cr_assert_eq(result_load(files[i], &b, &e), 0, "%s", e.msg);
        cr_assert_eq(a.nbenches, b.nbenches, "%s", files[i]);
        for (j = 0; j < a.nbenches; j++) {
            const struct bench *x = &a.benches[j], *y = &b.benches[j];

            cr_expect_str_eq(x->name, y->name);
            cr_expect_eq(x->st.n, 0, "%s: %s has statistics", files[i], x->name);
            cr_assert_eq(x->nsamples, y->nsamples, "%s: %s", files[i], x->name);
            for (k = 0; k < x->nsamples; k++)
                cr_expect(same_double(x->samples[k], y->samples[k]));
            cr_assert_eq(x->nproc_samples, y->nproc_samples, "%s: %s", files[i], x->name);
            for (k = 0; k < x->nproc_samples; k++)
                cr_expect_eq(x->proc_samples[k], y->proc_samples[k]);
            cr_expect_eq(x->nmetrics, y->nmetrics);
        }
        result_free(&a);
        result_free(&b);
    }
}

TestSuite(roundtrip, .init = tmp_setup, .fini = tmp_teardown);

Test(roundtrip, damaged_stats_unread_without_stats)
{
    size_t len;
    char *text = slurp("tests/data/result/good/full.json", &len), *at, *path = tmp_path("d.json");
    struct import_opts io = {0, 1};
    struct result r;
    struct err e = {0};

    cr_assert_not_null(text);
    cr_assert_not_null(at = strstr(text, "\"n\": 8"));
    memcpy(at, "\"n\": 9", 6);
    write_file(path, text);
    free(text);
    cr_assert_lt(result_load(path, &r, &e), 0);
    cr_expect(strstr(e.msg, "stats.n: expected 8 (the number of samples), got 9"), "%s", e.msg);
    result_free(&r);
    e = (struct err){0};
    cr_assert_eq(import_load_with(path, &io, &r, NULL, &e), 0, "%s", e.msg);
    cr_expect_eq(r.benches[0].nsamples, 8);
    result_free(&r);
}

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
