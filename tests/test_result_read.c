/*
 * test_result_read.c: reading result files (result_read.c) against the
 * golden files under tests/data/result/: bad/<case>.json is rejected by
 * result_load with exactly the one-line message in <case>.err; the files in
 * good/ load with the values they hold.  Run from the repository root (the
 * paths are relative to it).
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/lib/stats.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "helpers.h"

#define DATA "tests/data/result"

/* ---- golden files ------------------------------------------------------- */

/* The cases the reader must reject; each has bad/<case>.json and .err. */
static const char *const required_bad[] = {
    "truncated",        "empty",           "not_object",         "schema_missing",
    "schema_newer_major", "schema_not_string", "benchmarks_missing", "benchmarks_not_array",
    "bench_name_missing", "samples_wrong_type", "sample_string",    "sample_negative",
    "nan_literal",      "inf_overflow",    "stats_n_mismatch",   "kind_unknown",
    "direction_unknown", "iterations_zero", "context_missing",    "duplicate_name",
};

/* result_load, its result freed. */
static int read_result(const char *path, struct err *e)
{
    struct result r;
    int rc = result_load(path, &r, e);

    result_free(&r);
    return rc;
}

Test(golden, required_bad_cases_present)
{
    golden_present(DATA "/bad", required_bad, COUNT(required_bad));
}

Test(golden, bad_files_rejected_with_exact_message)
{
    golden_refused(DATA "/bad", read_result, COUNT(required_bad));
}

Test(golden, unreadable_files)
{
    golden_unreadable(DATA "/bad", read_result);
}

Test(golden, from_json_names_the_document)
{
    struct result r;
    struct err e = {0};
    json_t *root = json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}]}", "schema", "1.0", "context",
                             "pacer_version", "0.1.0", "time", "t", "fingerprint",
                             "0123456789abcdef", "benchmarks", "name", "x");

    cr_assert_not_null(root);
    cr_expect_eq(result_from_json(root, "<memory>", &r, &e), -1);
    cr_expect_str_eq(e.msg, "<memory>: benchmarks[0].kind: missing");
    result_free(&r);
    json_decref(root);
    err_clear(&e);
    root = json_integer(3);
    cr_expect_eq(result_from_json(root, "<memory>", &r, &e), -1);
    cr_expect_str_eq(e.msg, "<memory>: $: expected object, got integer");
    result_free(&r);
    json_decref(root);
}

Test(golden, minimal)
{
    struct result r;
    const struct bench *b;

    load_ok(DATA "/good/minimal.json", &r);
    cr_expect_eq(r.schema_major, 1u);
    cr_expect_eq(r.schema_minor, 0u);
    cr_expect_null(r.suite);
    cr_expect_eq(r.complete, 1);
    cr_expect_null(r.argv);
    cr_expect_str_eq(r.ctx.pacer_version, "0.1.0");
    cr_expect_str_eq(r.ctx.time, "2026-11-24T10:00:00Z");
    cr_expect_str_eq(r.ctx.fingerprint, "3f2a9c0d11e4b7a5");
    cr_expect_null(r.ctx.hostname);
    cr_expect_eq(r.ctx.cpus, -1);
    cr_expect_eq(r.ctx.git_dirty, -1);
    cr_expect_eq(r.set.samples, 30u);   /* settings absent: the defaults */
    cr_expect_eq(r.set.seed, STATS_DEFAULT_SEED);
    cr_assert_eq(r.nbenches, 1u);
    b = &r.benches[0];
    cr_expect_str_eq(b->name, "noop");
    cr_expect_eq(b->processes, 1u);
    cr_expect_eq(b->nsamples, 0u);
    cr_expect_eq(b->nparams, 0u);
    cr_expect_eq(b->st.n, 0u);
    cr_expect(isnan(b->st.mean) && isnan(b->st.median) && isnan(b->st.ci_median.lo));
    cr_expect_null(b->error);
    result_free(&r);
}

Test(golden, full)
{
    struct result r;
    const struct bench *b;
    const struct metric *m;

    load_ok(DATA "/good/full.json", &r);
    cr_expect_str_eq(r.suite, "default");
    cr_expect_eq(r.complete, 0);
    cr_assert_not_null(r.argv);
    cr_expect_str_eq(r.argv[4], "results");
    cr_expect_null(r.argv[5]);
    cr_expect_eq(r.ctx.git_dirty, 0);
    cr_expect_eq(r.ctx.cpus, 8);
    cr_expect_eq(r.ctx.memory_bytes, 33654026240u);
    cr_expect_null(r.ctx.governor);
    cr_expect_eq(r.ctx.loadavg[2], 0.7);
    cr_expect_eq(r.ctx.clock_read_ns, 18.5);
    cr_expect_eq(r.set.timeout_ns, 60000000000u);
    cr_assert_eq(r.nbenches, 5u);

    b = result_find(&r, "hash/fnv1a/size=64/mode=fast");
    cr_assert_not_null(b);
    cr_expect_eq(b->iterations, 1024u);
    cr_assert_eq(b->nparams, 2u);
    cr_expect_str_eq(b->params[0].name, "mode");
    cr_expect_str_eq(b->params[0].value, "fast");
    cr_expect_not(b->params[0].is_int);
    cr_expect_str_eq(b->params[1].name, "size");
    cr_expect_str_eq(b->params[1].value, "64");
    cr_expect_eq(b->params[1].ival, 64);
    cr_expect_eq(b->nsamples, 8u);
    cr_expect_eq(b->samples[2], 42.25);
    cr_expect_eq(b->st.n, 8u);
    cr_expect_eq(b->st.median, 41.375);   /* read, not recomputed */
    cr_expect_eq(b->st.resamples, 10000u);
    cr_expect_eq(b->st.seed, 1885430629u);
    cr_expect_eq(b->bytes_per_op, 64.0);
    cr_expect_eq(b->items_per_op, 1.0);
    cr_expect_str_eq(b->binary, "build/suites/micro/hash");
    cr_expect_null(b->command);

    b = result_find(&r, "cmd/true");
    cr_assert_not_null(b);
    cr_expect_eq(b->kind, KIND_COMMAND);
    cr_expect_str_eq(b->command, "true");
    cr_assert_eq(b->nmetrics, 3u);
    m = &b->metrics[0];
    cr_expect_str_eq(m->name, "max_rss");
    cr_expect_str_eq(m->unit, "bytes");
    cr_expect_eq(m->nsamples, 4u);
    cr_expect_eq(m->st.n, 4u);

    b = result_find(&r, "crash/segv");
    cr_assert_not_null(b);
    cr_assert_not_null(b->error);
    cr_expect_eq(b->error->signal, 11);
    cr_expect_eq(b->error->exit_code, -1);
    cr_expect_eq(b->error->timed_out, 0);
    cr_expect_str_eq(b->error->stderr_tail, "about to crash\n");
    cr_expect_eq(b->st.n, 0u);

    b = result_find(&r, "slow/hang");
    cr_assert_not_null(b);
    cr_expect_eq(b->processes, 2u);
    cr_expect_eq(b->error->signal, 0);
    cr_expect_eq(b->error->timed_out, 1);
    cr_expect_null(b->error->stderr_tail);
    cr_expect_eq(result_nerrors(&r), 2u);

    b = result_find(&r, "once/only");
    cr_assert_not_null(b);
    cr_expect_eq(b->dir, DIR_HIGHER);
    cr_expect_str_eq(b->unit, "ops");
    cr_expect(isnan(b->st.stddev) && isnan(b->st.cv));
    cr_expect(isnan(b->st.ci_median.lo) && isnan(b->st.ci_mean.hi));
    cr_expect_eq(b->st.mean, 5000.0);
    result_free(&r);
}

Test(golden, newer_minor_is_read)
{
    struct result r;

    load_ok(DATA "/good/schema_minor_newer.json", &r);
    cr_expect_eq(r.schema_major, 1u);
    cr_expect_eq(r.schema_minor, 7u);
    cr_expect_eq(r.nbenches, 5u);
    result_free(&r);
}

Test(golden, stats_object_with_n_zero)
{
    struct result r;

    load_ok(DATA "/good/stats_n0_object.json", &r);
    cr_assert_eq(r.nbenches, 1u);
    cr_expect_eq(r.benches[0].kind, KIND_LOAD);
    cr_expect_eq(r.benches[0].st.n, 0u);
    cr_expect(isnan(r.benches[0].st.p99));
    cr_expect_str_eq(r.benches[0].error->message, "server did not start");
    cr_expect_eq(r.benches[0].error->exit_code, -1);
    result_free(&r);
}
