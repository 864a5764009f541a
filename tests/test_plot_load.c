/*
 * test_plot_load.c: the picture of a load run (plots/plot_load.c): the
 * timeline of its series, the server's monitor rows from the end of the
 * warmup, and its CPU in half-second windows.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "plots/plot.h"

TestSuite(plot_load, .init = plot_setup, .fini = tmp_teardown, .timeout = 60);

Test(plot_load, load_timeline_series_and_monitor)
{
    struct result r;
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    char *gp;

    make_load_result(&r, "http://127.0.0.1:8080/", 0, 2);
    plot_opts_default(&o);
    o.out = tmp_path("load.png");
    o.width = 900;
    o.height = 900;
    cr_assert_eq(plot_load(&r, NULL, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("load.png"), &w, &h);
    cr_expect_eq(w, 900u);
    cr_expect_eq(h, 900u);
    d = dat_read(tmp_path("load-series.dat"));
    /* two intervals and the closing row, per repetition */
    cr_assert_eq(d.n, 6u);
    assert_close(dat_num(&d.rows[0], 0), 0, "t");
    assert_close(dat_num(&d.rows[0], 2), 600, "requests");
    assert_close(dat_num(&d.rows[0], 3), 600, "throughput");
    assert_close(dat_num(&d.rows[1], 6), 2000000000.0, "p99");
    assert_close(dat_num(&d.rows[1], 10), 3, "errors/s");
    cr_expect_eq(d.rows[3].block, 1);
    dat_free(&d);
    d = dat_read(tmp_path("load-monitor.dat"));
    cr_assert_eq(d.n, 8u);
    /* time from the end of the warmup (1 s) */
    assert_close(dat_num(&d.rows[0], 0), -1, "t");
    assert_close(dat_num(&d.rows[2], 1), 0.75, "cpu_user");
    assert_close(dat_num(&d.rows[2], 3), 3145728, "rss");
    dat_free(&d);
    d = dat_read(tmp_path("load-cpu.dat"));
    /* half-second windows from -1 s: 0.6 CPU seconds in the second after
     * the warmup, so 60 % in [0, 0.5] */
    cr_assert_eq(d.n, 2 * 6u);
    assert_close(dat_num(&d.rows[0], 0), -0.75, "window centre");
    assert_close(dat_num(&d.rows[0], 1), 30, "cpu % in [-1, -0.5]");
    assert_close(dat_num(&d.rows[2], 1), 60, "cpu % in [0, 0.5]");
    dat_free(&d);
    gp = slurp(tmp_path("load.gp"), NULL);
    cr_assert_not_null(gp);
    cr_expect_not_null(strstr(gp, "RSS (MiB)"));
    cr_expect_not_null(strstr(gp, "latency (s)"), "p99 of 2 s: seconds");
    free(gp);
    cr_assert_eq(plot_load(&r, "nope", &o, &e), -1);
    cr_expect_str_eq(e.msg, "no load benchmark named 'nope' (1 load benchmark)");
    result_free(&r);
}

/* A run in stages gets a panel of its own above the throughput: the users
 * asked (dashed) beside those in place, from the series' target and
 * achieved columns. */
Test(plot_load, stages_show_the_shape_asked_and_achieved)
{
    static const struct load_stage st[] = {{1000000000, 8}, {1000000000, 8}};
    struct result r;
    struct plot_opts o;
    struct err e = {0};
    struct load_rep *rep;
    struct dat d;
    char *gp;

    make_load_result(&r, "http://127.0.0.1:8080/", 0, 1);
    rep = &r.benches[0].load[0];
    rep->set.stages = malloc(sizeof st);
    cr_assert_not_null(rep->set.stages);
    memcpy(rep->set.stages, st, sizeof st);
    rep->set.nstages = 2;
    rep->iv[0].target = 4;
    rep->iv[0].achieved = 3.5;
    rep->iv[1].target = 8;
    rep->iv[1].achieved = 7.75;
    plot_opts_default(&o);
    o.out = tmp_path("staged.png");
    cr_assert_eq(plot_load(&r, NULL, &o, &e), 0, "%s", e.msg);
    d = dat_read(tmp_path("staged-series.dat"));
    assert_close(dat_num(&d.rows[0], 11), 4, "target");
    assert_close(dat_num(&d.rows[1], 12), 7.75, "achieved");
    dat_free(&d);
    gp = slurp(tmp_path("staged.gp"), NULL);
    cr_assert_not_null(gp);
    cr_expect_not_null(strstr(gp, "set ylabel 'users'"), "%s", gp);
    cr_expect_not_null(strstr(gp, "using 1:12 with steps lw 1 dt 2"), "%s", gp);
    cr_expect_not_null(strstr(gp, "layout 6,1"), "%s", gp);
    cr_expect_not_null(strstr(gp, "closed loop in 2 stages"), "%s", gp);
    free(gp);
    result_free(&r);
}
