/*
 * test_trend.c: compare/trend.c and trend_detect.c: --last and --filter,
 * the series built from the files (the centres of their samples), units
 * that change, their change points and regressions at the newest run,
 * changes of machine (fingerprint) that break a history and are never
 * taken for a change point, runs too few to test, and files that fail a
 * trend (a bad field, a cut file, a name twice) named with the file.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare/trend.h"
#include "helpers.h"

TestSuite(trend, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

/* Runs 0..n-1 of one benchmark "a" at level(i), hourly. */
static void history(size_t n, double (*level)(size_t))
{
    size_t i;

    for (i = 0; i < n; i++) {
        char name[32], time[32];
        struct tf_bench b[] = {{"a", level(i), NULL, DIR_LOWER, 0}};

        snprintf(name, sizeof name, "r%03zu.json", i);
        snprintf(time, sizeof time, "2026-01-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        tf_write(tmp_path(name), time, NULL, NULL, b, 1);
    }
}

static double step_at_15(size_t i)
{
    return tf_wobble(i < 15 ? 100 : 110, i);
}

static double step_and_back(size_t i)
{
    return tf_wobble(i < 15 || i >= 30 ? 100 : 110, i);
}

Test(trend, last_keeps_the_newest_runs)
{
    struct trend_opts o;
    struct trend t;
    size_t i;

    history(30, step_at_15);
    trend_opts_default(&o);
    o.last = 12;
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nruns, 12);
    cr_expect_str_eq(file_name(t.runs[0].file), "r018.json");
    cr_expect_str_eq(file_name(t.runs[11].file), "r029.json");
    cr_assert_eq(t.nseries, 1);
    cr_assert_eq(t.series[0].n, 12);
    for (i = 0; i < 12; i++)
        cr_expect_eq(t.series[0].pts[i].run, i);
    cr_expect_eq(t.series[0].ncps, 0);   /* the step is before them */
    trend_free(&t);
    o.last = 100;   /* more than there are */
    trend_of_dir(&o, &t);
    cr_expect_eq(t.nruns, 30);
    trend_free(&t);
}

Test(trend, filter_selects_series)
{
    static const struct tf_bench bs[] = {
        {"hash/fnv", 10, NULL, DIR_LOWER, 0},
        {"hash/xx", 20, NULL, DIR_LOWER, 0},
        {"json/parse", 30, NULL, DIR_LOWER, 0},
    };
    struct trend_opts o;
    struct trend t;
    struct err e = {0};
    char *p = tmp_dir();

    tf_write(tmp_path("a.json"), "2026-01-01T10:00:00Z", NULL, NULL, bs, 3);
    tf_write(tmp_path("b.json"), "2026-01-01T11:00:00Z", NULL, NULL, bs, 3);
    trend_opts_default(&o);
    o.filter = "^hash/";
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nseries, 2);
    cr_expect_str_eq(t.series[0].name, "hash/fnv");
    cr_expect_str_eq(t.series[1].name, "hash/xx");
    trend_free(&t);
    o.filter = "nothing";
    trend_of_dir(&o, &t);
    cr_expect_eq(t.nseries, 0);
    cr_expect_eq(t.nruns, 2);
    trend_free(&t);
    o.filter = "(";
    cr_expect_eq(trend_build(&p, 1, &o, &t, &e), -1);
    cr_expect_str_eq(e.msg, "'(' is not a valid regular expression");
}

Test(trend, series_from_the_files)
{
    static const struct tf_bench r1[] = {
        {"b/time", 200, NULL, DIR_LOWER, 0},
        {"a/rate", 5000, "req/s", DIR_HIGHER, 0},
        {"c/crash", 1, NULL, DIR_LOWER, 1},
    };
    static const struct tf_bench r2[] = {
        {"a/rate", 5100, "req/s", DIR_HIGHER, 0},
        {"c/crash", 2, NULL, DIR_LOWER, 0},
    };
    static const struct tf_bench r3[] = {
        {"b/time", 210, NULL, DIR_LOWER, 0},
        {"a/rate", 5200, "req/s", DIR_HIGHER, 0},
        {"c/crash", 3, NULL, DIR_LOWER, 1},
    };
    struct trend_opts o;
    struct trend t;
    const struct trend_series *s;

    tf_write(tmp_path("1.json"), "2026-01-01T10:00:00Z", NULL, NULL, r1, 3);
    tf_write(tmp_path("2.json"), "2026-01-01T11:00:00Z", NULL, NULL, r2, 2);
    tf_write(tmp_path("3.json"), "2026-01-01T12:00:00Z", NULL, NULL, r3, 3);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nruns, 3);
    cr_assert_eq(t.nseries, 3);
    s = &t.series[0];
    cr_expect_str_eq(s->name, "a/rate");
    cr_expect_str_eq(s->unit, "req/s");
    cr_expect_eq(s->dir, DIR_HIGHER);
    cr_assert_eq(s->n, 3);
    cr_expect_eq(s->pts[0].value, 5000);
    cr_expect_eq(s->pts[2].value, 5200);
    cr_expect_eq(s->pts[1].n, 5);
    cr_expect(s->pts[1].lo <= 5100 && s->pts[1].hi >= 5100 && s->pts[1].hi > s->pts[1].lo);
    s = &t.series[1];   /* missing in run 2 */
    cr_expect_str_eq(s->name, "b/time");
    cr_assert_eq(s->n, 2);
    cr_expect_eq(s->pts[0].run, 0);
    cr_expect_eq(s->pts[1].run, 2);
    cr_expect_eq(s->pts[1].value, 210);
    s = &t.series[2];   /* failed in runs 1 and 3 */
    cr_expect_str_eq(s->name, "c/crash");
    cr_assert_eq(s->n, 1);
    cr_expect_eq(s->pts[0].run, 1);
    cr_expect_eq(t.nwarnings, 0);
    trend_free(&t);
}

/* A run of one process at 10 and one of three processes, two at 10 and one
 * at 20 with more samples: the stored median of the second is 20, but its
 * centre as compare takes it is 10, and so is the trend's point. */
Test(trend, points_are_the_centres_of_the_samples)
{
    static const double one[] = {10, 10, 10, 10, 10};
    static const double three[] = {10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20, 20};
    static const size_t c1[] = {5}, c3[] = {3, 3, 7};
    struct trend_opts o;
    struct trend t;

    tf_write_procs(tmp_path("1.json"), "2026-01-01T10:00:00Z", one, 5, c1, 1);
    tf_write_procs(tmp_path("2.json"), "2026-01-01T11:00:00Z", three, 13, c3, 3);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nseries, 1);
    cr_assert_eq(t.series[0].n, 2);
    cr_expect_eq(t.series[0].pts[0].value, 10);
    cr_expect_eq(t.series[0].pts[1].value, 10);
    cr_expect_eq(t.series[0].pts[1].n, 13);
    trend_free(&t);
}

Test(trend, unit_change_leaves_the_older_points_out)
{
    static const struct tf_bench ns[] = {{"a", 100, "ns", DIR_LOWER, 0}};
    static const struct tf_bench bytes[] = {{"a", 100, "bytes", DIR_LOWER, 0}};
    struct trend_opts o;
    struct trend t;

    tf_write(tmp_path("1.json"), "2026-01-01T10:00:00Z", NULL, NULL, ns, 1);
    tf_write(tmp_path("2.json"), "2026-01-01T11:00:00Z", NULL, NULL, ns, 1);
    tf_write(tmp_path("3.json"), "2026-01-01T12:00:00Z", NULL, NULL, bytes, 1);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nseries, 1);
    cr_expect_str_eq(t.series[0].unit, "bytes");
    cr_expect_eq(t.series[0].n, 1);
    cr_assert_eq(t.nwarnings, 1);
    cr_expect_str_eq(t.warnings[0], "a: 2 runs with another unit or direction than the newest "
                                    "(bytes, lower is better) left out");
    trend_free(&t);
}

Test(trend, change_point_and_regression_at_the_newest_run)
{
    struct trend_opts o;
    struct trend t;
    const struct changepoint *c;

    history(30, step_at_15);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nseries, 1);
    cr_assert_eq(t.series[0].ncps, 1);
    c = &t.series[0].cps[0];
    cr_expect_eq(c->index, 15);
    cr_expect_eq(t.series[0].pts[c->index].run, 15);
    cr_expect(fabs(c->change - 0.10) < 0.005, "change %g", c->change);
    cr_expect_lt(c->pvalue, 1e-6);
    cr_expect(trend_worse(DIR_LOWER, c->change));
    cr_expect(!trend_worse(DIR_HIGHER, c->change));
    cr_expect_eq(trend_series_regressed(&t, &t.series[0]), 1);
    cr_expect_eq(trend_new_regression(&t), 1);
    trend_free(&t);
}

Test(trend, no_regression_once_the_level_is_back)
{
    struct trend_opts o;
    struct trend t;

    history(45, step_and_back);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.series[0].ncps, 2);
    cr_expect_eq(t.series[0].cps[0].index, 15);
    cr_expect_eq(t.series[0].cps[1].index, 30);
    cr_expect_eq(trend_new_regression(&t), 0);
    trend_free(&t);
}

#define FP_A "aaaaaaaaaaaaaaaa"
#define FP_B "bbbbbbbbbbbbbbbb"

/* Runs 0..n-1 of one benchmark "a" at level(i), hourly, on the machine
 * machine(i). */
static void history_on(size_t n, double (*level)(size_t), const char *(*machine)(size_t))
{
    size_t i;

    for (i = 0; i < n; i++) {
        char name[32], time[32];
        struct tf_bench b[] = {{"a", level(i), NULL, DIR_LOWER, 0}};

        snprintf(name, sizeof name, "r%03zu.json", i);
        snprintf(time, sizeof time, "2026-01-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        tf_write_fp(tmp_path(name), time, NULL, NULL, machine(i), b, 1);
    }
}

/* 40 runs: A for 0..19 at 100, B from 20 on, 30 % slower. */
static const char *a_then_b(size_t i)
{
    return i < 20 ? FP_A : FP_B;
}

static const char *always_a(size_t i)
{
    (void)i;
    return FP_A;
}

static double slower_on_b(size_t i)
{
    return tf_wobble(i < 20 ? 100 : 130, i);
}

Test(trend, a_change_of_machine_is_no_change_point)
{
    struct trend_opts o;
    struct trend t;
    const struct trend_series *s;

    history_on(40, slower_on_b, a_then_b);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nmachines, 1);
    cr_expect_eq(t.machines[0].run, 20);
    cr_expect_str_eq(t.machines[0].from, FP_A);
    cr_expect_str_eq(t.machines[0].to, FP_B);
    cr_expect_str_eq(t.runs[20].fingerprint, FP_B);
    s = &t.series[0];
    cr_expect_eq(s->ncps, 0, "%zu change points, the first at %zu", s->ncps,
                 s->ncps ? s->cps[0].index : 0);
    cr_assert_eq(s->nbreaks, 1);
    cr_expect_eq(s->breaks[0].index, 20);
    cr_expect(fabs(s->breaks[0].change - 0.30) < 0.01, "change %g", s->breaks[0].change);
    cr_expect(s->breaks[0].moved);
    cr_expect_eq(s->untested, 0);
    cr_expect_eq(trend_new_regression(&t), 0);
    trend_free(&t);
    /* the same levels on one machine: a change point, and a regression */
    history_on(40, slower_on_b, always_a);
    trend_of_dir(&o, &t);
    cr_expect_eq(t.nmachines, 0);
    cr_assert_eq(t.series[0].ncps, 1);
    cr_expect_eq(t.series[0].cps[0].index, 20);
    cr_expect_eq(t.series[0].nbreaks, 0);
    cr_expect_eq(trend_new_regression(&t), 1);
    trend_free(&t);
}

/* A from 0 to 19, B from 20: on B a step of +10 % at 35. */
static double step_on_b(size_t i)
{
    return tf_wobble(i < 20 ? 100 : i < 35 ? 130 : 143, i);
}

Test(trend, change_points_within_one_machine)
{
    struct trend_opts o;
    struct trend t;
    const struct trend_series *s;

    history_on(50, step_on_b, a_then_b);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    s = &t.series[0];
    cr_assert_eq(s->ncps, 1);
    cr_expect_eq(s->cps[0].index, 35);
    cr_expect(fabs(s->cps[0].change - 0.10) < 0.01, "change %g", s->cps[0].change);
    cr_assert_eq(s->nbreaks, 1);
    cr_expect_eq(s->breaks[0].index, 20);
    /* the level after the break runs to the change point */
    cr_expect(fabs(s->breaks[0].after - 130) < 0.5, "after %g", s->breaks[0].after);
    cr_expect_eq(trend_new_regression(&t), 1);
    trend_free(&t);
}

/* Machines by turns: A for 0..9, B for 10..29, A again from 30. */
static const char *by_turns(size_t i)
{
    return i < 10 || i >= 30 ? FP_A : FP_B;
}

static double flat(size_t i)
{
    return tf_wobble(100, i);
}

Test(trend, runs_too_few_to_test)
{
    struct trend_opts o;
    struct trend t;
    const struct trend_series *s;

    history_on(36, flat, by_turns);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_expect_eq(t.min_runs, 14);
    cr_assert_eq(t.nmachines, 2);
    cr_expect_eq(t.machines[0].run, 10);
    cr_expect_eq(t.machines[1].run, 30);
    s = &t.series[0];
    cr_assert_eq(s->nbreaks, 2);
    cr_expect(!s->breaks[0].moved);
    /* 10 runs on A, then 20 on B (tested), then 6 on A */
    cr_expect_eq(s->untested, 16);
    trend_free(&t);
    /* Welch's test needs 2 x min_size */
    o.cp.test = CP_TEST_WELCH;
    trend_of_dir(&o, &t);
    cr_expect_eq(t.min_runs, 10);
    cr_expect_eq(t.series[0].untested, 6);
    trend_free(&t);
}

/* Write text to name in the scratch directory; its path. */
static char *text_file(const char *name, const char *text)
{
    char *p = tmp_path(name);

    write_file(p, text);
    return p;
}

Test(trend, bad_files_are_named)
{
    struct trend_opts o;
    struct trend t;
    struct err e = {0};
    char *paths[2], want[512], *p;

    trend_opts_default(&o);
    tf_write(tmp_path("good.json"), "2026-01-01T10:00:00Z", NULL, NULL, tf_one, 1);
    paths[0] = tmp_path("good.json");

    /* a field the trend reads */
    paths[1] = text_file("unit.json",
                         "{\"schema\": \"1.2\", \"context\": {\"pacer_version\": \"0.1.0\", "
                         "\"time\": \"2026-01-01T11:00:00Z\", \"fingerprint\": "
                         "\"3f2a9c0d11e4b7a5\"}, \"benchmarks\": [{\"name\": \"a\", \"kind\": "
                         "\"micro\", \"unit\": \"\", \"direction\": \"lower\", \"iterations\": 1, "
                         "\"samples\": []}]}");
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: benchmarks[0].unit: expected a non-empty string", paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);

    /* truncated */
    memset(&e, 0, sizeof e);
    paths[1] = text_file("cut.json", "{\"schema\": \"1.2\", \"context\": {\"time\"");
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: line 1 column ", paths[1]);
    cr_expect_eq(strncmp(e.msg, want, strlen(want)), 0, "%s", e.msg);
    trend_free(&t);

    /* a duplicate name */
    memset(&e, 0, sizeof e);
    {
        static const struct tf_bench dup[] = {{"a", 1, NULL, DIR_LOWER, 0},
                                              {"b", 1, NULL, DIR_LOWER, 0}};
        FILE *f;
        char buf[65536];
        size_t n;

        tf_write(tmp_path("dup.json"), "2026-01-01T12:00:00Z", NULL, NULL, dup, 2);
        f = fopen(tmp_path("dup.json"), "r");
        n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        p = strstr(buf, "\"name\": \"b\"");
        cr_assert_not_null(p);
        p[9] = 'a';
        paths[1] = text_file("dup.json", buf);
    }
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: benchmarks[1].name: duplicate name \"a\" (also "
                                "benchmarks[0])", paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);
}
