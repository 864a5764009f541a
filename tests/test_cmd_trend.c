/*
 * test_cmd_trend.c: `pacer trend` as a user runs it (harness/cli/cmd_trend.c):
 * the table, the other formats, --fail-on-new, --plot, and the exit code 2
 * for bad input and usage.  The result files are written by tf_write.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(cmd_trend, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

/* n hourly runs with commits c000, c001, ...: "a" (ns, lower is better)
 * at a_level(i), "b" (req/s, higher is better) at b_level(i). */
static void history(size_t n, double (*a_level)(size_t), double (*b_level)(size_t))
{
    size_t i;

    for (i = 0; i < n; i++) {
        char name[32], time[32], commit[48];
        struct tf_bench b[] = {{"a", a_level(i), NULL, DIR_LOWER, 0},
                               {"b", b_level(i), "req/s", DIR_HIGHER, 0}};

        snprintf(name, sizeof name, "r%03zu.json", i);
        snprintf(time, sizeof time, "2026-01-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        snprintf(commit, sizeof commit, "c%03zu0000000000000000000000000000000000000", i);
        tf_write(tmp_path(name), time, commit, NULL, b, 2);
    }
}

static double a_step(size_t i)
{
    return tf_wobble(i < 15 ? 100 : 110, i);
}

static double a_back(size_t i)
{
    return tf_wobble(i < 15 || i >= 30 ? 100 : 110, i);
}

static double b_flat(size_t i)
{
    return tf_wobble(5000, i);
}

static double b_up(size_t i)
{
    return tf_wobble(i < 20 ? 5000 : 6000, i);
}

Test(cmd_trend, table_of_change_points)
{
    struct out o;

    history(30, a_step, b_flat);
    o = run_pacer("trend", tmp_dir());
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_str_eq(o.stdout_s,
                     "benchmark        run   commit    before   after         change      p\n"
                     "a          r015.json  c015000  100.0 ns  110 ns  +10.0% slower  <1e-6\n"
                     "30 runs, 2 benchmarks, 1 change point\n"
                     "worse at the newest run: a\n");
    cr_expect_str_eq(o.stderr_s, "");
    out_free(&o);
}

Test(cmd_trend, fail_on_new)
{
    struct out o;

    history(30, a_step, b_flat);
    o = run_pacer("trend", "--fail-on-new", tmp_dir());
    cr_expect_eq(o.code, 1, "%s", o.stderr_s);
    out_free(&o);
    /* the same history without the step: --last keeps the runs after it */
    o = run_pacer("trend", "--fail-on-new", "--last", "12", tmp_dir());
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "12 runs, 2 benchmarks, 0 change points\n"));
    out_free(&o);
}

Test(cmd_trend, no_failure_for_a_recovered_level_or_an_improvement)
{
    struct out o;

    history(45, a_back, b_up);
    o = run_pacer("trend", "--fail-on-new", tmp_dir());
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "45 runs, 2 benchmarks, 3 change points\n"), "%s",
                       o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "+20.0% faster"), "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "-9.1% faster"), "%s", o.stdout_s);
    cr_expect_null(strstr(o.stdout_s, "worse at the newest run"));
    out_free(&o);
}

Test(cmd_trend, json_parses)
{
    json_error_t je;
    json_t *j, *b, *cp;
    struct out o;

    history(30, a_step, b_flat);
    o = run_pacer("trend", "--format", "json", tmp_dir());
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    cr_expect_eq(json_array_size(json_object_get(j, "runs")), 30);
    cr_expect_eq(json_integer_value(json_object_get(j, "change_points")), 1);
    cr_expect(json_is_true(json_object_get(j, "new_regression")));
    b = json_array_get(json_object_get(j, "benchmarks"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(b, "name")), "a");
    cr_expect_eq(json_array_size(json_object_get(b, "points")), 30);
    cp = json_array_get(json_object_get(b, "change_points"), 0);
    cr_assert_not_null(cp);
    cr_expect_eq(json_integer_value(json_object_get(cp, "index")), 15);
    cr_expect_eq(json_integer_value(json_object_get(cp, "run")), 15);
    cr_expect(json_is_true(json_object_get(cp, "worse")));
    cr_expect_str_eq(json_string_value(json_object_get(cp, "commit")),
                     "c0150000000000000000000000000000000000000");
    json_decref(j);
    out_free(&o);
}

Test(cmd_trend, csv_and_markdown)
{
    struct out o;

    history(30, a_step, b_flat);
    o = run_pacer("trend", "--format", "csv", tmp_dir());
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_eq(strncmp(o.stdout_s, "benchmark,unit,direction,run,file,commit,time,"
                                     "before,after,change,p,q,verdict\r\n\"a\",\"ns\","
                                     "\"lower\",15,",
                         98), 0, "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, ",\"slower\"\r\n"));
    out_free(&o);
    o = run_pacer("trend", "--format", "markdown", tmp_dir());
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_eq(strncmp(o.stdout_s, "### pacer trend: 30 runs, 2 benchmarks, 1 change point\n",
                         55), 0, "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "| `a` | `r015.json` | c015000 | 100.0 ns | 110 ns | "
                                          "**+10.0% slower** | <1e-6 |\n"), "%s", o.stdout_s);
    out_free(&o);
}

Test(cmd_trend, same_input_same_output)
{
    struct out a, b;

    history(30, a_step, b_up);
    a = run_pacer("trend", "--format", "json", tmp_dir());
    b = run_pacer("trend", "--format", "json", tmp_dir());
    cr_expect_eq(a.code, 0);
    cr_expect_str_eq(a.stdout_s, b.stdout_s);
    out_free(&a);
    out_free(&b);
}

Test(cmd_trend, options_change_the_detection)
{
    struct out o;

    history(30, a_step, b_flat);
    o = run_pacer("trend", "--min-change", "20%", tmp_dir());
    cr_expect_eq(o.code, 0);
    cr_expect_not_null(strstr(o.stdout_s, "30 runs, 2 benchmarks, 0 change points\n"));
    out_free(&o);
    o = run_pacer("trend", "--min-size", "16", tmp_dir());
    cr_expect_not_null(strstr(o.stdout_s, "30 runs, 2 benchmarks, 0 change points\n"));
    out_free(&o);
    o = run_pacer("trend", "--filter", "^b$", "--pvalue", "0.01", tmp_dir());
    cr_expect_str_eq(o.stdout_s, "30 runs, 1 benchmark, 0 change points\n");
    out_free(&o);
    o = run_pacer("trend", "--window", "0", tmp_dir());
    cr_expect_eq(o.code, 0);
    cr_expect_not_null(strstr(o.stdout_s, "30 runs, 2 benchmarks, 1 change point\n"));
    out_free(&o);
}

/* 30 runs of "a" at 100 ns with a +10 % step at 15 and one run at five
 * times the level (run 5): Mann-Whitney's test (the default) finds the
 * step, Welch's does not. */
static double a_step_wild(size_t i)
{
    return i == 5 ? 500 : a_step(i);
}

Test(cmd_trend, test_chooses_the_split_test)
{
    struct out o;

    history(30, a_step_wild, b_flat);
    o = run_pacer("trend", tmp_dir());
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "a          r015.json  c015000  100.0 ns  110 ns  "
                                          "+10.0% slower"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("trend", "--test", "welch", tmp_dir());
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_str_eq(o.stdout_s, "30 runs, 2 benchmarks, 0 change points\n");
    out_free(&o);
    o = run_pacer("trend", "--test", "t", tmp_dir());
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: trend: --test: 't' is not mann-whitney or welch\n");
    out_free(&o);
}

/* 40 hourly runs of "a" (and "b" from run 28): machine A for runs 0..19,
 * B from 20, where "a" is 30 % slower; "b" has 12 runs, too few to test. */
static void machine_history(void)
{
    size_t i;

    for (i = 0; i < 40; i++) {
        char name[32], time[32], commit[48];
        struct tf_bench b[] = {{"a", tf_wobble(i < 20 ? 100 : 130, i), NULL, DIR_LOWER, 0},
                               {"b", tf_wobble(50, i), NULL, DIR_LOWER, 0}};

        snprintf(name, sizeof name, "r%03zu.json", i);
        snprintf(time, sizeof time, "2026-01-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        snprintf(commit, sizeof commit, "c%03zu0000000000000000000000000000000000000", i);
        tf_write_fp(tmp_path(name), time, commit, NULL,
                    i < 20 ? "aaaaaaaaaaaaaaaa" : "bbbbbbbbbbbbbbbb", b, i < 28 ? 1 : 2);
    }
}

Test(cmd_trend, machine_changed)
{
    json_error_t je;
    json_t *j, *m, *b;
    struct out o;

    machine_history();
    /* a 30 % step where the machine changed: no change point, no failure */
    o = run_pacer("trend", "--fail-on-new", tmp_dir());
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_str_eq(o.stdout_s,
                     "benchmark        run  commit    before   after                  change  p\n"
                     "a          r020.json       -  100.0 ns  130 ns  +30.0% machine changed  -\n"
                     "40 runs, 2 benchmarks, 0 change points, 1 change of machine\n"
                     "machine changed at r020.json (aaaaaaaaaaaaaaaa -> bbbbbbbbbbbbbbbb): change "
                     "points are sought on each machine's runs apart\n"
                     "too few runs to test for change points (fewer than 14 in a row on one "
                     "machine): b (12 runs)\n");
    out_free(&o);
    o = run_pacer("trend", "--format", "csv", tmp_dir());
    cr_expect_not_null(strstr(o.stdout_s, "r020.json\",\"\",\"2026-01-01T20:00:00Z\","),
                       "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, ",,,\"machine changed\"\r\n"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("trend", "--format", "markdown", tmp_dir());
    cr_expect_not_null(strstr(o.stdout_s, "| `a` | `r020.json` | - | 100.0 ns | 130 ns | "
                                          "+30.0% machine changed | - |\n\nmachine changed at "
                                          "`r020.json` (aaaaaaaaaaaaaaaa -> bbbbbbbbbbbbbbbb): "
                                          "change points are sought on each machine's runs "
                                          "apart\n\ntoo few runs to test for change points "
                                          "(fewer than 14 in a row on one machine): `b` (12 "
                                          "runs)\n\n"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("trend", "--format", "json", tmp_dir());
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    m = json_array_get(json_object_get(j, "machine_changes"), 0);
    cr_expect_eq(json_integer_value(json_object_get(m, "run")), 20);
    cr_expect_str_eq(json_string_value(json_object_get(m, "from")), "aaaaaaaaaaaaaaaa");
    cr_expect_str_eq(json_string_value(json_object_get(m, "to")), "bbbbbbbbbbbbbbbb");
    cr_expect_eq(json_integer_value(json_object_get(j, "min_runs")), 14);
    b = json_array_get(json_object_get(j, "benchmarks"), 0);
    cr_expect_eq(json_array_size(json_object_get(b, "change_points")), 0);
    m = json_array_get(json_object_get(b, "machine_changes"), 0);
    cr_expect_eq(json_integer_value(json_object_get(m, "index")), 20);
    cr_expect_eq(json_integer_value(json_object_get(json_array_get(json_object_get(j, "benchmarks"),
                                                                   1), "untested")), 12);
    json_decref(j);
    out_free(&o);
}

Test(cmd_trend, a_history_too_short_is_said)
{
    struct out o;

    history(9, a_step, b_flat);
    o = run_pacer("trend", tmp_dir());
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_str_eq(o.stdout_s, "9 runs, 2 benchmarks, 0 change points\n"
                                 "too few runs to test for change points (fewer than 14 in a "
                                 "row): a (9 runs), b (9 runs)\n");
    out_free(&o);
    o = run_pacer("trend", "--test", "welch", tmp_dir());
    cr_expect_str_eq(o.stdout_s, "9 runs, 2 benchmarks, 0 change points\n"
                                 "too few runs to test for change points (fewer than 10 in a "
                                 "row): a (9 runs), b (9 runs)\n");
    out_free(&o);
}

Test(cmd_trend, bad_input_exits_2)
{
    char want[512];
    struct out o;
    FILE *f;

    history(3, a_step, b_flat);
    f = fopen(tmp_path("zz.json"), "w");
    cr_assert_not_null(f);
    fputs("{\"schema\": \"1.2\",", f);
    fclose(f);
    o = run_pacer("trend", tmp_dir());
    cr_expect_eq(o.code, 2);
    snprintf(want, sizeof want, "pacer: %s: line 1 column ", tmp_path("zz.json"));
    cr_expect_eq(strncmp(o.stderr_s, want, strlen(want)), 0, "%s", o.stderr_s);
    cr_expect_str_eq(o.stdout_s, "");
    out_free(&o);

    o = run_pacer("trend", tmp_path("nothing-here"));
    cr_expect_eq(o.code, 2);
    snprintf(want, sizeof want, "pacer: %s: cannot open: No such file or directory\n",
             tmp_path("nothing-here"));
    cr_expect_str_eq(o.stderr_s, want);
    out_free(&o);
}

Test(cmd_trend, usage)
{
    struct out o = run_pacer("trend", "--help");

    cr_expect_eq(o.code, 0);
    cr_expect_eq(strncmp(o.stdout_s, "usage: pacer trend", 18), 0);
    out_free(&o);
    o = run_pacer("trend");
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: trend: give a directory of results or result files "
                                 "(see --help)\n");
    out_free(&o);
    o = run_pacer("trend", "--format", "xml", tmp_dir());
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: trend: --format: 'xml' is not table, markdown, json or "
                                 "csv\n");
    out_free(&o);
    o = run_pacer("trend", "--pvalue", "2", tmp_dir());
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: trend: --pvalue: '2' is not a probability between 0 "
                                 "and 1\n");
    out_free(&o);
    o = run_pacer("trend", "--filter", "(", tmp_dir());
    cr_expect_eq(o.code, 2);
    out_free(&o);
    o = run_pacer("trend", "--window", "x", tmp_dir());
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: trend: --window: 'x' is not a count of runs (0: none)\n");
    out_free(&o);
    history(3, a_step, b_flat);
    o = run_pacer("trend", "--filter", "zzz", tmp_dir());
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: trend: no benchmark matches zzz in the 3 runs\n");
    out_free(&o);
}

Test(cmd_trend, plot_draws_the_picture)
{
    char png[300];
    struct out o;

    if (system("command -v gnuplot >/dev/null 2>&1") != 0)
        cr_skip_test("gnuplot is not installed");
    history(30, a_step, b_flat);
    snprintf(png, sizeof png, "%s/plots/trend.png", tmp_dir());
    o = run_pacer("trend", "--plot", tmp_path("plots"), tmp_dir());
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_eq(access(png, F_OK), 0, "no %s", png);
    out_free(&o);
}

/* A name from a file reaches the terminal quoted and visible, and
 * markdown as a code span a '|' cannot break. */
Test(cmd_trend, names_escaped)
{
    size_t i;
    struct out o;

    for (i = 0; i < 30; i++) {
        char name[32], time[32], commit[48];
        struct tf_bench b[] = {{"a|\033[2J", a_step(i), NULL, DIR_LOWER, 0}};

        snprintf(name, sizeof name, "r%03zu.json", i);
        snprintf(time, sizeof time, "2026-01-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        snprintf(commit, sizeof commit, "c%03zu0000000000000000000000000000000000000", i);
        tf_write(tmp_path(name), time, commit, NULL, b, 1);
    }
    o = run_pacer("trend", tmp_dir());
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_null(strchr(o.stdout_s, '\033'), "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "\"a|\\x1b[2J\""), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("trend", "--format", "markdown", tmp_dir());
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_null(strchr(o.stdout_s, '\033'), "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "| `a\\|\\x1b[2J` |"), "%s", o.stdout_s);
    out_free(&o);
}
