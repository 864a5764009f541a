/*
 * test_import_hyperfine.c: hyperfine's JSON read as a result
 * (compare/import/import_hyperfine.c).  tests/data/import/good/ holds files
 * hyperfine 1.15.0 wrote itself (--export-json with --runs, -n,
 * --parameter-scan, and -i with failing commands).  The expected numbers
 * below are copied from those files; the statistics are checked against
 * the ones hyperfine computed itself.  Run from the repository root (the
 * paths are relative to it).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "compare/import/import.h"
#include "helpers.h"

#define DATA "tests/data/import"

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
    const char *path = tmp_path("run.json");
    char *text;
    struct result r;

    text = slurp(DATA "/good/hyperfine_basic.json", NULL);
    cr_assert_not_null(text);
    write_file(path, text);
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

/* -i: a command that always exits 3 is refused unless ignore_failure; one
 * whose exit code changes between runs is flagged either way, its samples
 * kept. */
Test(hyperfine, exit_codes)
{
    struct import_opts io = {1};
    struct result r;
    struct err e = {0};
    const struct bench *b;

    import_ok(DATA "/good/hyperfine_fail.json", &r, IMPORT_HYPERFINE);
    cr_assert_eq(r.nbenches, 3u);
    b = bench_named(&r, "exit3");
    cr_assert_not_null(b->error);
    cr_expect_str_eq(b->error->message, "exited with status 3 in all 4 runs (hyperfine -i): "
                                        "refused unless --ignore-failure");
    cr_expect_eq(b->error->exit_code, 3);
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
    cr_expect_eq(r.nbenches - result_nerrors(&r), 1u);
    result_free(&r);

    cr_assert_eq(import_load_with(DATA "/good/hyperfine_fail.json", &io, &r, NULL, &e), 0, "%s",
                 e.msg);
    cr_expect_null(bench_named(&r, "exit3")->error, "--ignore-failure: measured as it is");
    cr_expect_not_null(bench_named(&r, "flaky")->error, "codes that differ: still an error");
    result_free(&r);
}

Test(hyperfine, exit_codes_in_memory)
{
    static const struct {
        const char *codes, *msg;   /* msg NULL: no error */
        int exit_code;
    } cases[] = {
        {"[0, 0, 0]", NULL, 0},
        {"[2, 2, 2]", "exited with status 2 in all 3 runs (hyperfine -i): refused unless "
                      "--ignore-failure", 2},
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

/* A time no run of a command hyperfine timed can last is a broken file. */
Test(hyperfine, absurd_time_refused)
{
    struct result r;
    struct err e = {0};

    cr_assert_eq(convert_text(import_hyperfine, "{\"results\": [{\"command\": \"x\", "
                                                "\"times\": [0.1, 1e299, 0.3]}]}", &r, &e), -1);
    cr_expect_str_eq(e.msg, "<memory>: results[0].times[1]: expected a time below 1e+06 s, got "
                            "1e+299");
    result_free(&r);
}
