/*
 * test_plot_trend.c: the trend picture (plots/plot_trend.c).  gnuplot
 * really runs: each picture must exist with the size asked for (the PNG's
 * IHDR, the SVG's root element), its script must be kept, and its data
 * file must hold the trend's numbers; a grid of panels grows with the
 * benchmarks, or each has a picture of its own; changes of machine are
 * marked apart from change points.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "plots/plot.h"

TestSuite(plot_trend, .init = plot_setup, .fini = tmp_teardown, .timeout = 60);

Test(plot_trend, trend_png_has_the_size_and_the_data)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    size_t i, k, row = 0;

    make_trend(&t, 3, 8, names3);
    plot_opts_default(&o);
    o.out = tmp_path("tr.png");
    o.width = 900;
    o.height = 700;
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("tr.png"), &w, &h);
    cr_expect_eq(w, 900u);
    cr_expect_eq(h, 700u);
    cr_assert(nonempty(tmp_path("tr.gp")), "the script is kept");
    d = dat_read(tmp_path("tr.dat"));
    cr_assert_eq(d.n, 3 * 8u);
    for (k = 0; k < 3; k++)
        for (i = 0; i < 8; i++, row++) {
            const struct trend_point *p = &t.series[k].pts[i];
            cr_assert_eq(d.rows[row].block, (int)k);
            assert_close(dat_num(&d.rows[row], 0), (double)p->run, "run");
            assert_close(dat_num(&d.rows[row], 2), p->value, "median");
            assert_close(dat_num(&d.rows[row], 3), p->lo, "ci lo");
            assert_close(dat_num(&d.rows[row], 4), p->hi, "ci hi");
            assert_close(dat_num(&d.rows[row], 5), (double)p->n, "n");
        }
    dat_free(&d);
    free_trend(&t);
}

Test(plot_trend, trend_svg_has_the_size)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    unsigned w, h;

    make_trend(&t, 2, 12, names3);
    plot_opts_default(&o);
    o.out = tmp_path("tr.svg");
    o.width = 640;
    o.height = 480;
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    svg_size(tmp_path("tr.svg"), &w, &h);
    cr_expect_eq(w, 640u);
    cr_expect_eq(h, 480u);
    /* no extension: the format's is added */
    o.out = tmp_path("tr2");
    o.format = PLOT_SVG;
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    svg_size(tmp_path("tr2.svg"), &w, &h);
    cr_expect_eq(w, 640u);
    free_trend(&t);
}

Test(plot_trend, trend_grid_grows_with_the_benchmarks)
{
    static const char *const many[] = {"a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "a/7",
                                       "a/8", "a/9", "a/10", "a/11", "a/12", "a/13"};
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    unsigned w, h, w1, h1;

    make_trend(&t, 13, 6, many);
    plot_opts_default(&o);
    o.out = tmp_path("grid.png");
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("grid.png"), &w, &h);
    t.nseries = 2;
    o.out = tmp_path("small.png");
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("small.png"), &w1, &h1);
    t.nseries = 13;
    cr_expect_gt(h, h1, "13 panels (%ux%u) are taller than 2 (%ux%u)", w, h, w1, h1);
    free_trend(&t);
}

Test(plot_trend, trend_one_picture_per_benchmark)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    unsigned w, h;

    make_trend(&t, 3, 6, names3);
    plot_opts_default(&o);
    o.out = tmp_path("each");
    o.grid = 0;
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("each/hash_crc32_size=64.png"), &w, &h);
    cr_expect_eq(w, 1000u);
    cr_expect(nonempty(tmp_path("each/hash_crc32_size=4096.png")));
    cr_expect(nonempty(tmp_path("each/hash_fnv1a_size=64.png")));
    cr_expect(nonempty(tmp_path("each/hash_fnv1a_size=64.gp")));
    cr_expect(nonempty(tmp_path("each/hash_fnv1a_size=64.dat")));
    free_trend(&t);
}

/* A change of machine at run 6 of 8, and runs without commit or time (as
 * hyperfine's): the machine's line and label, and the files' names on the
 * axis. */
Test(plot_trend, changes_of_machine_are_marked)
{
    struct trend_machine m = {6, "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"};
    struct trend_break b = {6, 2000, 2600, 0.3, 1};
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    size_t i, len;
    char *gp;

    make_trend(&t, 1, 8, names3);
    t.machines = &m;
    t.nmachines = 1;
    t.series[0].breaks = &b;
    t.series[0].nbreaks = 1;
    for (i = 0; i < t.nruns; i++) {
        free(t.runs[i].commit);
        free(t.runs[i].time);
        t.runs[i].commit = t.runs[i].time = NULL;
        t.runs[i].file = i == 7 ? "results/last-run.json" : "results/r.json";
    }
    plot_opts_default(&o);
    o.out = tmp_path("m.png");
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    gp = slurp(tmp_path("m.gp"), &len);
    cr_assert_not_null(gp);
    cr_expect_not_null(strstr(gp, "set label 'machine' at 5.5, graph 0.85"), "%s", gp);
    cr_expect_not_null(strstr(gp, "dt 4"), "%s", gp);
    cr_expect_not_null(strstr(gp, "dash-dot: changes of machine"), "%s", gp);
    cr_expect_not_null(strstr(gp, "''last-run.json''"), "%s", gp);
    cr_expect_not_null(strstr(gp, "run (file)"), "%s", gp);
    free(gp);
    t.series[0].breaks = NULL;
    t.series[0].nbreaks = 0;
    for (i = 0; i < t.nruns; i++)
        t.runs[i].file = NULL;
    free_trend(&t);
}
