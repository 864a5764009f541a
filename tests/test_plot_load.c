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

/* A labelled process beside the server, rows with connections by port and
 * the network's rows: CPU and RSS a line per process, a panel of
 * connections (a stepped line per process and port) and one of the
 * network's bytes/s, their data beside the picture. */
Test(plot_load, connections_and_network_panels)
{
    static const struct mon_row redis[] = {
        { .t = 0.0, .cpu_user = 0.0, .rss = 8388608,
          .tcp = { 1, 1, 10, 0, 1, { { 6379, 1, 10 } } } },
        { .t = 1.0, .cpu_user = 0.5, .rss = 8388608 },
        { .t = 2.0, .cpu_user = 1.0, .rss = 9437184,
          .tcp = { 1, 1, 64, 0, 1, { { 6379, 1, 64 } } } },
    };
    static const struct mon_net_row net[] = {
        { 0.0, 0, 0, 0, 0, 100, 50, 1, 1, 3 },
        { 1.0, 2000000, 2000000, 100, 100, 100, 50, 1, 1, 3 },
        { 2.0, 6000000, 6000000, 300, 300, 1100, 50, 2, 1, 3 },
    };
    struct result r;
    struct plot_opts o;
    struct err e = {0};
    struct load_rep *rep;
    struct load_rep_mon *m;
    struct dat d;
    char *gp;

    make_load_result(&r, "http://127.0.0.1:8080/", 0, 1);
    rep = &r.benches[0].load[0];
    m = realloc(rep->mon, 2 * sizeof *m);
    cr_assert_not_null(m);
    rep->mon = m;
    rep->nmon = 2;
    memset(&m[1], 0, sizeof m[1]);
    m[1].label = strdup("redis");
    m[1].rows = malloc(sizeof redis);
    cr_assert_not_null(m[1].rows);
    memcpy(m[1].rows, redis, sizeof redis);
    m[1].nrows = 3;
    m[0].rows[1].tcp = (struct mon_tcp){ 1, 1, 4, 0, 2, { { 8080, 1, 4 }, { 6379, 0, 2 } } };
    m[0].rows[2].tcp = (struct mon_tcp){ 1, 1, 3, 0, 1, { { 8080, 1, 3 } } };
    rep->net = malloc(sizeof net);
    cr_assert_not_null(rep->net);
    memcpy(rep->net, net, sizeof net);
    rep->nnet = 3;
    plot_opts_default(&o);
    o.out = tmp_path("mon.png");
    cr_assert_eq(plot_load(&r, NULL, &o, &e), 0, "%s", e.msg);
    cr_assert(nonempty(tmp_path("mon.png")));

    /* groups by their most connections: redis in :6379, server in :8080,
     * server out :6379; a block each, time from the end of the warmup (1 s) */
    d = dat_read(tmp_path("mon-conns.dat"));
    cr_assert_eq(d.n, 3 + 4 + 4, "a row per monitor row of each group's process");
    assert_close(dat_num(&d.rows[0], 0), -1, "t");
    assert_close(dat_num(&d.rows[0], 1), 10, "redis in :6379");
    cr_assert(isnan(dat_num(&d.rows[1], 1)), "a row not read: NaN");
    assert_close(dat_num(&d.rows[2], 1), 64, "redis in :6379");
    cr_assert_eq(d.rows[3].block, 1);
    cr_assert(isnan(dat_num(&d.rows[3], 1)), "the server's first row not read");
    assert_close(dat_num(&d.rows[4], 1), 4, "server in :8080");
    assert_close(dat_num(&d.rows[8], 1), 2, "server out :6379");
    assert_close(dat_num(&d.rows[9], 1), 0, "server out :6379 in a row without it");
    dat_free(&d);
    d = dat_read(tmp_path("mon-net.dat"));
    cr_assert_eq(d.n, 2, "rates between the rows");
    assert_close(dat_num(&d.rows[0], 0), -0.5, "t mid");
    assert_close(dat_num(&d.rows[0], 1), 2000000, "lo rx bytes/s");
    assert_close(dat_num(&d.rows[1], 3), 1000, "other rx bytes/s");
    assert_close(dat_num(&d.rows[1], 4), 0, "other tx bytes/s");
    dat_free(&d);
    d = dat_read(tmp_path("mon-monitor.dat"));
    cr_assert_eq(d.n, 4 + 3, "the server's rows, then redis's");
    assert_close(dat_num(&d.rows[4], 3), 8388608, "redis rss");
    dat_free(&d);
    gp = slurp(tmp_path("mon.gp"), NULL);
    cr_assert_not_null(gp);
    cr_expect_not_null(strstr(gp, "layout 7,1"), "%s", gp);
    cr_expect_not_null(strstr(gp, "set ylabel 'TCP connections'"), "%s", gp);
    cr_expect_not_null(strstr(gp, "with steps lw 1.5 lc '"), "%s", gp);
    cr_expect_not_null(strstr(gp, "title 'redis in :6379'"), "%s", gp);
    cr_expect_not_null(strstr(gp, "title 'server out :6379'"), "%s", gp);
    cr_expect_not_null(strstr(gp, "set ylabel 'network (MiB/s)'"), "%s", gp);
    cr_expect_not_null(strstr(gp, "set ylabel 'RSS (MiB)'"), "%s", gp);
    cr_expect_not_null(strstr(gp, "title 'redis'"), "%s", gp);
    free(gp);
    result_free(&r);
}
