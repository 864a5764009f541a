/*
 * test_cmd_plot.c: `pacer plot` as a user runs it (harness/cli/cmd_plot.c),
 * and compare's --plot: each kind of picture from result files, what goes
 * to stdout and stderr, and the exit code 2 for usage errors and a missing
 * gnuplot.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "plots/plot.h"

TestSuite(cmd_plot, .init = plot_setup, .fini = tmp_teardown, .timeout = 60);

/* Save r to path; r is freed. */
static void save(struct result *r, const char *path)
{
    save_ok(r, path);
    result_free(r);
}

/* Twelve daily runs of hash/crc32 (30 % slower from the seventh) and
 * hash/fnv1a under hist/ in the scratch directory. */
static void write_history(void)
{
    size_t i;

    mkdir(tmp_path("hist"), 0755);
    for (i = 0; i < 12; i++) {
        struct tf_bench b[2] = {{"hash/crc32", tf_wobble(i < 6 ? 100 : 130, i), NULL, DIR_LOWER, 0},
                                {"hash/fnv1a", tf_wobble(50, i), NULL, DIR_LOWER, 0}};
        char path[512], t[32], c[48];
        snprintf(path, sizeof path, "%s/hist/r%02zu.json", tmp_dir(), i);
        snprintf(t, sizeof t, "2026-11-%02zuT10:00:00Z", i + 1);
        snprintf(c, sizeof c, "%07zx0000000000000000000000000000000", 0xabc0 + i);
        tf_write(path, t, c, t, b, 2);
    }
}

Test(cmd_plot, trend_of_a_directory)
{
    struct out o;
    unsigned w, h;
    struct dat d;
    char want[600];

    write_history();
    o = run_pacer("plot", "trend", tmp_path("hist"), "-o", tmp_path("t.png"), "--size", "800x600");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    snprintf(want, sizeof want, "%s/t.png\n", tmp_dir());
    cr_expect_str_eq(o.stdout_s, want);
    png_size(tmp_path("t.png"), &w, &h);
    cr_expect_eq(w, 800u);
    cr_expect_eq(h, 600u);
    d = dat_read(tmp_path("t.dat"));
    cr_expect_eq(d.n, 24u);
    dat_free(&d);
    out_free(&o);
    o = run_pacer("plot", "trend", tmp_path("hist"), "--last", "4", "--filter", "crc", "-o",
                  tmp_path("t4.svg"));
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    d = dat_read(tmp_path("t4.dat"));
    cr_expect_eq(d.n, 4u);
    dat_free(&d);
    out_free(&o);
    o = run_pacer("plot", "trend", tmp_path("hist"), "--one-per-benchmark", "-o", tmp_path("per"));
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(nonempty(tmp_path("per/hash_crc32.png")));
    cr_expect(nonempty(tmp_path("per/hash_fnv1a.png")));
    out_free(&o);
    o = run_pacer("plot", "trend", tmp_path("hist"), "--filter", "zzz", "-o", tmp_path("z.png"));
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: trend: no benchmark matches zzz in the 12 runs\n",
                     "as pacer trend says it");
    cr_expect_not(nonempty(tmp_path("z.png")));
    out_free(&o);
}

Test(cmd_plot, compare_dist_latency_load)
{
    struct result a, b, l;
    struct out o;
    unsigned w, h;
    char want[600];

    make_result(&a, names3, 3, 20, 1.0);
    save(&a, tmp_path("a.json"));
    make_result(&b, names3, 3, 20, 1.2);
    save(&b, tmp_path("b.json"));
    make_load_result(&l, "http://127.0.0.1:8080/", 1, 2);
    save(&l, tmp_path("l.json"));

    o = run_pacer("plot", "compare", tmp_path("a.json"), tmp_path("b.json"), "--threshold", "5%",
                  "-o", tmp_path("c.png"));
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    png_size(tmp_path("c.png"), &w, &h);
    cr_expect_eq(w, 1000u);
    out_free(&o);
    o = run_pacer("plot", "dist", tmp_path("a.json"), tmp_path("b.json"), "--kind", "hist",
                  "--format", "svg", "-o", tmp_path("d"));
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    snprintf(want, sizeof want, "%s/d.svg\n", tmp_dir());
    cr_expect_str_eq(o.stdout_s, want);
    svg_size(tmp_path("d.svg"), &w, &h);
    out_free(&o);
    o = run_pacer("plot", "latency", tmp_path("l.json"), "-o", tmp_path("lat.png"));
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(nonempty(tmp_path("lat.png")));
    out_free(&o);
    o = run_pacer("plot", "load", tmp_path("l.json"), "--bench", "http://127.0.0.1:8080/", "-o",
                  tmp_path("load.png"), "--title", "a title");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(nonempty(tmp_path("load.png")));
    cr_expect(nonempty(tmp_path("load-series.dat")));
    out_free(&o);
    o = run_pacer("compare", tmp_path("a.json"), tmp_path("b.json"), "--plot", tmp_path("cp.png"));
    cr_expect_neq(o.code, 2, "%s", o.stderr_s);
    cr_expect(nonempty(tmp_path("cp.png")));
    cr_expect(nonempty(tmp_path("cp.dat")));
    out_free(&o);
    o = run_pacer("plot", "compare", tmp_path("a.json"), "-o", tmp_path("c1.png"));
    cr_expect_eq(o.code, 2);
    snprintf(want, sizeof want,
             "pacer: plot compare: %s/a.json is one run: give a base to compare with\n", tmp_dir());
    cr_expect_str_eq(o.stderr_s, want);
    out_free(&o);
}

Test(cmd_plot, gnuplot_missing_exits_2_and_compare_still_works)
{
    struct result a, b;
    struct out o;

    make_result(&a, names3, 3, 20, 1.0);
    save(&a, tmp_path("a.json"));
    make_result(&b, names3, 3, 20, 1.0);
    save(&b, tmp_path("b.json"));
    setenv("PACER_GNUPLOT", tmp_path("no-such-gnuplot"), 1);
    o = run_pacer("plot", "dist", tmp_path("a.json"), "-o", tmp_path("d.png"));
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: gnuplot not found: install gnuplot-nox\n");
    out_free(&o);
    o = run_pacer("compare", tmp_path("a.json"), tmp_path("b.json"));
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("compare", tmp_path("a.json"), tmp_path("b.json"), "--plot", tmp_path("x.png"));
    cr_expect_eq(o.code, 2, "a comparison that passed, a picture that failed");
    cr_expect_not_null(strstr(o.stderr_s, "--plot: gnuplot not found: install gnuplot-nox"));
    cr_expect_not_null(strstr(o.stdout_s, "3 compared"), "the report is printed all the same");
    out_free(&o);
}

Test(cmd_plot, usage_errors_exit_2)
{
    struct result a;
    struct out o;
    char want[600];

    make_result(&a, names3, 3, 10, 1.0);
    save(&a, tmp_path("a.json"));
    o = run_pacer("plot", "pie", tmp_path("a.json"));
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s,
                     "pacer: plot: 'pie' is not a kind of plot (trend, compare, dist, latency, "
                     "load, curve, capacity)\n");
    out_free(&o);
    o = run_pacer("plot", "dist", tmp_path("a.json"), "--last", "3");
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "--last is not an option of this kind"));
    out_free(&o);
    o = run_pacer("plot", "dist", tmp_path("a.json"), "--size", "big");
    cr_expect_eq(o.code, 2);
    out_free(&o);
    o = run_pacer("plot", "dist", tmp_path("a.json"), "-o", tmp_path("x.png"), "--format", "svg");
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "disagree"));
    out_free(&o);
    o = run_pacer("plot", "dist", tmp_path("missing.json"));
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "missing.json"));
    out_free(&o);
    o = run_pacer("plot", "load", tmp_path("a.json"), "-o", tmp_path("l.png"));
    cr_expect_eq(o.code, 2);
    snprintf(want, sizeof want, "pacer: %s/a.json: no load benchmark with a load record\n",
             tmp_dir());
    cr_expect_str_eq(o.stderr_s, want);
    out_free(&o);
    o = run_pacer("plot", "--help");
    cr_expect_eq(o.code, 0);
    cr_expect_not_null(strstr(o.stdout_s, "usage: pacer plot KIND"));
    out_free(&o);
}
