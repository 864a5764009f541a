/*
 * test_cmd_compare.c: `pacer compare` as a user runs it
 * (harness/cli/cmd_compare.c): the golden cases of tests/data/compare
 * (exit code and exact stderr), --strict and the formats, limits on one
 * file, and Google Benchmark's JSON compared as it is.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(cmd_compare, .timeout = 60);

/* Every case in tests/data/compare/: base.json, new.json and expect (the
 * exit code, then the exact stderr, all its lines; empty when none). */
Test(cmd_compare, compare_golden_cases)
{
    DIR *d = opendir("tests/data/compare");
    struct dirent *de;
    int n = 0;

    cr_assert_not_null(d);
    while ((de = readdir(d))) {
        char base[512], nw[512], ex[512], want_err[2048] = "";
        size_t got;
        int code;
        FILE *f;
        struct out o;
        if (de->d_name[0] == '.')
            continue;
        snprintf(base, sizeof base, "tests/data/compare/%s/base.json", de->d_name);
        snprintf(nw, sizeof nw, "tests/data/compare/%s/new.json", de->d_name);
        snprintf(ex, sizeof ex, "tests/data/compare/%s/expect", de->d_name);
        f = fopen(ex, "r");
        cr_assert_not_null(f, "%s", ex);
        cr_assert_eq(fscanf(f, "%d\n", &code), 1);
        got = fread(want_err, 1, sizeof want_err - 1, f);
        want_err[got] = '\0';
        if (!strcmp(want_err, "\n"))
            want_err[0] = '\0';
        fclose(f);
        o = run_pacer("compare", base, nw, "--color", "never");
        cr_expect_eq(o.code, code, "%s: exit %d, want %d; stderr: %s", de->d_name, o.code, code,
                     o.stderr_s);
        cr_expect_str_eq(o.stderr_s, want_err, "%s", de->d_name);
        out_free(&o);
        n++;
    }
    closedir(d);
    cr_assert_geq(n, 9);
}

Test(cmd_compare, compare_strict_and_formats)
{
    const char *b = "tests/data/compare/one_side_only/base.json";
    const char *n = "tests/data/compare/one_side_only/new.json";
    struct out o = run_pacer("compare", b, n, "--strict");
    json_error_t je;
    json_t *j;

    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: compare: --strict: 1 benchmarks only in base, 1 only "
                                 "in new\n");
    out_free(&o);
    o = run_pacer("compare", b, n, "--format", "json");
    cr_assert_eq(o.code, 0);
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "counts"), "base only")), 1);
    json_decref(j);
    out_free(&o);
    o = run_pacer("compare", b, n, "--format", "markdown");
    cr_assert_eq(o.code, 0);
    cr_assert_not_null(strstr(o.stdout_s, "| `x` |"));
    out_free(&o);
    o = run_pacer("compare", b, n, "--format", "csv");
    cr_assert_eq(strncmp(o.stdout_s, "benchmark,unit,", 15), 0);
    out_free(&o);
    o = run_pacer("compare", b, n, "--format", "yaml");
    cr_assert_eq(o.code, 2);
    out_free(&o);
}

Test(cmd_compare, compare_limits_alone_and_imported)
{
    const char *g = "tests/data/import/good/gbench_reps.json";
    struct out o = run_pacer("compare", "tests/data/compare/unchanged/new.json", "--limit",
                             "x: median < 150ns");

    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_str_eq(o.stdout_s, "limits:\n  ok    x: 99.9 ns  x: median < 150ns\n"
                                 "PASS: 1 limit held\n");
    out_free(&o);
    o = run_pacer("compare", "tests/data/compare/unchanged/new.json", "--limit",
                  "x: median < 150ns", "--limit", "y: median < 150ns");
    cr_assert_eq(o.code, 1, "y's median is about 200 ns");
    cr_assert_not_null(strstr(o.stdout_s, "FAIL  y:"));
    out_free(&o);
    o = run_pacer("compare", "tests/data/compare/unchanged/new.json");
    cr_assert_eq(o.code, 2);
    out_free(&o);
    /* Google Benchmark JSON on both sides, as is; its BM_fails failed. */
    o = run_pacer("compare", g, g, "--color", "never");
    cr_assert_eq(o.code, 3, "%s", o.stderr_s);
    cr_assert_str_eq(o.stderr_s, "pacer: warning: BM_fails: base failed: resource not "
                                 "available\n");
    cr_assert_not_null(strstr(o.stdout_s, "BM_memcpy/64"));
    out_free(&o);
    o = run_pacer("compare", g, g, "--filter", "memcpy|copy", "--color", "never");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("show", g);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "BM_memcpy/64"));
    out_free(&o);
}

/* An interrupted run is refused (exit 3) unless --allow-incomplete, then
 * compared on what finished; a --filter that matches nothing says so. */
Test(cmd_compare, compare_incomplete_and_empty_filter)
{
    const char *b = "tests/data/compare/incomplete/base.json";
    const char *n = "tests/data/compare/incomplete/new.json";
    struct out o = run_pacer("compare", b, n, "--allow-incomplete", "--color", "never");

    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_str_eq(o.stderr_s, "");
    cr_expect_not_null(strstr(o.stdout_s, "PASS: 0 regressed"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("compare", n, "--limit", "median < 1s");
    cr_expect_eq(o.code, 3, "limits of an interrupted run: refused too");
    out_free(&o);
    o = run_pacer("compare", b, b, "--filter", "^nothing$");
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: compare: --filter: '^nothing$' matches no benchmark in "
                                 "tests/data/compare/incomplete/base.json or "
                                 "tests/data/compare/incomplete/base.json\n");
    out_free(&o);
    o = run_pacer("compare", b, n, "--filter", "^z$", "--allow-incomplete");
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: compare: --filter: '^z$' matches no benchmark in "
                                 "tests/data/compare/incomplete/base.json (1 in "
                                 "tests/data/compare/incomplete/new.json)\n");
    out_free(&o);
}

/* hyperfine -i: a command failing in every run is a failed benchmark
 * (exit 3) unless --ignore-failure. */
Test(cmd_compare, compare_hyperfine_failures)
{
    const char *h = "tests/data/import/good/hyperfine_fail.json";
    struct out o = run_pacer("compare", h, h, "--filter", "exit3", "--color", "never");

    cr_assert_eq(o.code, 3, "%s", o.stderr_s);
    cr_expect_str_eq(o.stderr_s, "pacer: warning: exit3: base failed: exited with status 3 in "
                                 "all 4 runs (hyperfine -i): refused unless --ignore-failure\n");
    out_free(&o);
    o = run_pacer("compare", h, h, "--filter", "exit3", "--ignore-failure", "--color", "never");
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
}
