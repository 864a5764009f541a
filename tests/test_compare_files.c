/*
 * test_compare_files.c: comparing result files (compare_files.c): two runs,
 * one A/B result as pairs, one plain run, and the failures, on files
 * written from results built in memory.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/compare_files.h"
#include "harness/result/result_json.h"
#include "harness/result/version.h"
#include "helpers.h"

TestSuite(compare_files, .init = tmp_setup, .fini = tmp_teardown);

/* n samples around centre, 1 % apart. */
static void fill(struct bench *b, const char *name, double centre, size_t n)
{
    size_t i;

    cr_assert_not_null(b);
    b->name = strdup(name);
    b->samples = malloc(n * sizeof *b->samples);
    b->nsamples = n;
    for (i = 0; i < n; i++)
        b->samples[i] = centre * (1 + 0.01 * (double)(i % 5));
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
}

/* A result of benchmarks a/x and a/y (their centres scaled by f), written
 * as name in the scratch directory; with ab, its base side too (centres
 * not scaled). */
static const char *write_result(const char *name, double f, int ab)
{
    const char *path = tmp_path(name);
    struct result r;

    result_begin(&r, "a", "2026-11-24T10:00:00Z");
    fill(result_add_bench(&r), "a/x", 100 * f, 12);
    fill(result_add_bench(&r), "a/y", 200 * f, 12);
    if (ab) {
        struct ab_block *b = result_ab(&r);
        cr_assert_not_null(b);
        fill(ab_add_base(b), "a/x", 100, 12);
        fill(ab_add_base(b), "a/y", 200, 12);
        b->base_label = strdup("old");
        b->new_label = strdup("new");
        b->order = strdup("ABBA");
    }
    save_ok(&r, path);
    result_free(&r);
    return path;
}

Test(compare_files, two_runs)
{
    char base[128], nw[128];
    char *paths[2] = {base, nw};
    struct compare_files_opts fo = {0};
    struct compare_opts o;
    struct compare_files cf;
    struct err e = {0};

    snprintf(base, sizeof base, "%s", write_result("base.json", 1, 0));
    snprintf(nw, sizeof nw, "%s", write_result("new.json", 1.5, 0));
    compare_opts_default(&o);
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), 0, "%s", e.msg);
    cr_assert_not(cf.paired);
    cr_assert_not(cf.ab_side);
    cr_assert_eq(cf.cmp.nrows, 2);
    cr_assert_str_eq(cf.cmp.base_name, base);
    cr_assert_str_eq(cf.cmp.new_name, nw);
    compare_files_free(&cf);
    compare_opts_free(&o);
}

Test(compare_files, filter_and_thresholds_file)
{
    char base[128], nw[128], policy[128];
    char *paths[2] = {base, nw};
    struct compare_files_opts fo = {policy, 0, 0, "x$"};
    struct compare_opts o;
    struct compare_files cf;
    struct err e = {0};
    FILE *f;

    snprintf(base, sizeof base, "%s", write_result("base.json", 1, 0));
    snprintf(nw, sizeof nw, "%s", write_result("new.json", 1, 0));
    snprintf(policy, sizeof policy, "%s", tmp_path("policy.json"));
    f = fopen(policy, "w");
    cr_assert_not_null(f);
    fputs("{\"threshold\": \"4%\"}\n", f);
    fclose(f);
    compare_opts_default(&o);
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), 0, "%s", e.msg);
    cr_assert_eq(cf.cmp.nrows, 1);
    cr_assert_str_eq(cf.cmp.rows[0].name, "a/x");
    cr_assert_float_eq(cf.cmp.rows[0].threshold, 0.04, 1e-12);
    compare_files_free(&cf);
    compare_opts_free(&o);
}

Test(compare_files, one_ab_result_is_paired)
{
    char ab[128];
    char *paths[1] = {ab};
    struct compare_files_opts fo = {0};
    struct compare_opts o;
    struct compare_files cf;
    struct err e = {0};

    snprintf(ab, sizeof ab, "%s", write_result("ab.json", 1.2, 1));
    compare_opts_default(&o);
    cr_assert_eq(compare_files(paths, 1, &fo, &o, &cf, &e), 0, "%s", e.msg);
    cr_assert(cf.paired);
    cr_assert(o.paired);
    cr_assert(cf.cmp.paired);
    cr_assert_eq(cf.cmp.nrows, 2);
    cr_assert_str_eq(cf.cmp.base_name, "base");
    cr_assert_str_eq(cf.cmp.new_name, ab);
    cr_assert_float_eq(cf.cmp.rows[0].ratio, 1.2, 1e-9);
    compare_files_free(&cf);
    compare_opts_free(&o);
}

Test(compare_files, ab_result_as_one_side)
{
    char base[128], ab[128];
    char *paths[2] = {base, ab};
    struct compare_files_opts fo = {0};
    struct compare_opts o;
    struct compare_files cf;
    struct err e = {0};

    snprintf(base, sizeof base, "%s", write_result("base.json", 1, 0));
    snprintf(ab, sizeof ab, "%s", write_result("ab.json", 1, 1));
    compare_opts_default(&o);
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), 0, "%s", e.msg);
    cr_assert(cf.ab_side);
    cr_assert_not(cf.paired);
    compare_files_free(&cf);
    compare_opts_free(&o);
}

Test(compare_files, one_plain_run_is_not_compared)
{
    char one[128];
    char *paths[1] = {one};
    struct compare_files_opts fo = {0};
    struct compare_opts o;
    struct compare_files cf;
    struct err e = {0};

    snprintf(one, sizeof one, "%s", write_result("one.json", 1, 0));
    compare_opts_default(&o);
    cr_assert_eq(compare_files(paths, 1, &fo, &o, &cf, &e), 1, "%s", e.msg);
    cr_assert_not(e.set);
    cr_assert_eq(cf.nw.nbenches, 2, "the run is there for its limits");
    cr_assert_eq(cf.cmp.nrows, 0);
    compare_files_free(&cf);
    compare_opts_free(&o);
}

Test(compare_files, failures_say_where)
{
    char base[128], nw[128], ab[128], missing[128];
    char *paths[2] = {base, nw};
    struct compare_files_opts fo = {0};
    struct compare_opts o;
    struct compare_files cf;
    struct err e = {0};
    char want[512];

    snprintf(base, sizeof base, "%s", write_result("base.json", 1, 0));
    snprintf(nw, sizeof nw, "%s", write_result("new.json", 1, 0));
    snprintf(ab, sizeof ab, "%s", write_result("ab.json", 1, 1));
    snprintf(missing, sizeof missing, "%s", tmp_path("missing.json"));

    compare_opts_default(&o);
    fo.filter = "(";
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), -1);
    cr_assert_str_eq(e.msg, "compare: --filter: '(' is not a valid regular expression");
    compare_files_free(&cf);
    compare_opts_free(&o);

    compare_opts_default(&o);
    err_clear(&e);
    fo.filter = "nothing";
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), -1);
    snprintf(want, sizeof want, "compare: --filter: 'nothing' matches no benchmark in %s or %s",
             base, nw);
    cr_assert_str_eq(e.msg, want);
    compare_files_free(&cf);
    compare_opts_free(&o);

    compare_opts_default(&o);
    err_clear(&e);
    paths[0] = ab;
    cr_assert_eq(compare_files(paths, 1, &fo, &o, &cf, &e), -1);
    snprintf(want, sizeof want, "compare: --filter: 'nothing' matches no benchmark in %s", ab);
    cr_assert_str_eq(e.msg, want);
    compare_files_free(&cf);
    compare_opts_free(&o);

    compare_opts_default(&o);
    err_clear(&e);
    fo.filter = NULL;
    paths[0] = base;
    paths[1] = missing;
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), -1);
    cr_assert(strstr(e.msg, missing) == e.msg, "%s", e.msg);
    compare_files_free(&cf);
    compare_opts_free(&o);

    /* The two sides are read at once; with both bad, the first is told
     * (as when they were read in turn), and nothing leaks. */
    compare_opts_default(&o);
    err_clear(&e);
    snprintf(nw, sizeof nw, "%s", tmp_path("missing-too.json"));
    paths[0] = missing;
    paths[1] = nw;
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), -1);
    cr_assert(strstr(e.msg, missing) == e.msg, "%s", e.msg);
    compare_files_free(&cf);
    compare_opts_free(&o);

    compare_opts_default(&o);
    err_clear(&e);
    paths[0] = missing;
    paths[1] = base;
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), -1);
    cr_assert(strstr(e.msg, missing) == e.msg, "%s", e.msg);
    compare_files_free(&cf);
    compare_opts_free(&o);
}

/* An interrupted run ("complete": false) is refused when asked, naming the
 * benchmarks that did not run; else compared on what finished. */
Test(compare_files, incomplete_refused)
{
    char base[512], nw[512], want[1024];
    char *paths[2] = {base, nw};
    struct compare_files_opts fo = {0};
    struct compare_opts o;
    struct compare_files cf;
    struct err e = {0};
    struct result r;
    size_t i;

    snprintf(base, sizeof base, "%s", write_result("base.json", 1, 0));
    result_begin(&r, "a", "2026-11-24T10:00:00Z");
    fill(result_add_bench(&r), "a/x", 100, 12);
    for (i = 0; i < 5; i++) {
        struct bench *b = result_add_bench(&r);
        char name[16];
        snprintf(name, sizeof name, "a/n%zu", i);
        b->name = strdup(name);
    }
    r.complete = 0;
    snprintf(nw, sizeof nw, "%s", tmp_path("new.json"));
    save_ok(&r, nw);
    result_free(&r);

    compare_opts_default(&o);
    fo.refuse_incomplete = 1;
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), -1);
    cr_expect(cf.refused);
    snprintf(want, sizeof want, "compare: %s: the run was interrupted (\"complete\": false) "
             "before 5 of its 6 benchmarks ran: \"a/n0\", \"a/n1\", \"a/n2\" and 2 more; "
             "--allow-incomplete compares what finished", nw);
    cr_expect_str_eq(e.msg, want);
    compare_files_free(&cf);
    compare_opts_free(&o);

    compare_opts_default(&o);
    err_clear(&e);
    fo.refuse_incomplete = 0;
    cr_assert_eq(compare_files(paths, 2, &fo, &o, &cf, &e), 0, "%s", e.msg);
    cr_expect(!cf.refused);
    cr_expect_eq(cf.cmp.count[VERDICT_NEW_ONLY], 5u);
    compare_files_free(&cf);
    compare_opts_free(&o);
}
