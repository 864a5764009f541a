/*
 * test_plot_capacity.c: the picture of a capacity search
 * (plots/plot_capacity.c): its steps in the data file by rate (the search
 * steps, then the confirms), marked held, failed or not counted; the
 * objective's line and the answer with its bracket in the script; a
 * benchmark without a search refused.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/capres.h"
#include "helpers.h"
#include "plots/plot.h"

TestSuite(plot_capacity, .init = plot_setup, .fini = tmp_teardown, .timeout = 60);

/* A search: 1000 held, 2000 failed, 1414 not counted, 1189 failed, and a
 * confirm at 1000 that held. */
static void make_search(struct bench *b)
{
    static const double rates[] = {1000, 2000, 1414, 1189, 1000};
    static const int pass[] = {1, 0, 0, 0, 1}, valid[] = {1, 1, 0, 1, 1};
    struct capacity *c = calloc(1, sizeof *c);
    size_t i;

    cr_assert_not_null(c);
    memset(b, 0, sizeof *b);
    b->name = xstrdup("http://127.0.0.1:8080/");
    b->capacity = c;
    cr_assert_eq(capacity_add_objective(c, "latency.p99 < 20ms"), 0);
    cr_assert_eq(capacity_add_objective(c, "errors.rate < 1%"), 0);
    c->status = CAP_FOUND;
    c->answer = c->low = 1000;
    c->high = 1189;
    c->precision = 0.05;
    for (i = 0; i < COUNT(rates); i++) {
        struct capacity_step s = {rates[i], fmin(rates[i], 1000), 2000000, 3000000,
                                  pass[i] ? 5000000 : 80000000, 90000000, 0, pass[i],
                                  valid[i], i == 4, NULL};
        cr_assert_eq(capacity_add_step(c, &s), 0);
    }
}

Test(plot_capacity, steps_objective_answer_and_bracket)
{
    struct bench b;
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    char *gp;

    make_search(&b);
    plot_opts_default(&o);
    o.out = tmp_path("cap.png");
    cr_assert_eq(plot_capacity(&b, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("cap.png"), &w, &h);
    cr_expect_eq(w, 1000u);
    d = dat_read(tmp_path("cap.dat"));
    cr_assert_eq(d.n, 5u);
    /* the search steps by rate, then the confirm */
    assert_close(dat_num(&d.rows[0], 0), 1000, "rate");
    assert_close(dat_num(&d.rows[1], 0), 1189, "rate");
    assert_close(dat_num(&d.rows[2], 0), 1414, "rate");
    assert_close(dat_num(&d.rows[3], 0), 2000, "rate");
    assert_close(dat_num(&d.rows[3], 1), 1000, "achieved");
    assert_close(dat_num(&d.rows[0], 3), 5, "p99 ms");
    assert_close(dat_num(&d.rows[0], 4), 1, "held");
    assert_close(dat_num(&d.rows[1], 5), 1, "failed");
    assert_close(dat_num(&d.rows[2], 6), 1, "not counted");
    cr_assert_eq(d.rows[3].block, 0);
    cr_assert_eq(d.rows[4].block, 1);
    assert_close(dat_num(&d.rows[4], 0), 1000, "confirm");
    dat_free(&d);
    gp = slurp(tmp_path("cap.gp"), NULL);
    cr_assert_not_null(gp);
    cr_assert(strstr(gp, "first 20 to graph 1, first 20 nohead"), "the objective: %s", gp);
    cr_assert(strstr(gp, "'latency.p99 < 20ms'"), "%s", gp);
    cr_assert(strstr(gp, "rect from first 1000, graph 0 to first 1189, graph 1"), "%s", gp);
    cr_assert(strstr(gp, "set label 'capacity 1000/s'"), "%s", gp);
    cr_assert(strstr(gp, "set logscale y"), "%s", gp);
    free(gp);
    bench_free(&b);
}

Test(plot_capacity, a_benchmark_without_a_search)
{
    struct bench b = {0};
    struct plot_opts o;
    struct err e = {0};

    b.name = xstrdup("x");
    plot_opts_default(&o);
    o.out = tmp_path("none.png");
    cr_assert_eq(plot_capacity(&b, &o, &e), -1);
    cr_assert_str_eq(e.msg, "x: no capacity search");
    cr_assert_not(exists(tmp_path("none.png")));
    bench_free(&b);
}
