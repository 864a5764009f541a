/*
 * test_plot_curve.c: throughput against latency (plots/plot_curve.c): the
 * open-loop benchmarks of a scenario run at several rates are one curve, a
 * point per rate in the order of the rate asked, x the successful
 * responses a second (throughput less its errors), y p50 and p99 (medians
 * over the repetitions); closed-loop and failed benchmarks left out; no
 * such benchmark is an error.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "plots/plot.h"

TestSuite(plot_curve, .init = plot_setup, .fini = tmp_teardown, .timeout = 60);

/* A load benchmark NAME at rate (0: closed loop) with two repetitions of
 * the throughputs, p50s, p99s and error rates given. */
static void add_point(struct result *r, const char *name, long long rate, const double tput[2],
                      const double p50[2], const double p99[2], const double err[2])
{
    struct bench *b = result_add_bench(r);
    static const char *const names[] = {"throughput", "latency.p50", "latency.p99",
                                        "errors.rate"};
    const double *vals[] = {tput, p50, p99, err};
    size_t k;

    cr_assert_not_null(b);
    b->name = strdup(name);
    b->kind = KIND_LOAD;
    free(b->unit);
    b->unit = strdup(rate ? "ns" : "req/s");
    b->dir = rate ? DIR_LOWER : DIR_HIGHER;
    b->nsamples = 2;
    b->samples = malloc(2 * sizeof *b->samples);
    b->samples[0] = rate ? p99[0] : tput[0];
    b->samples[1] = rate ? p99[1] : tput[1];
    if (rate)
        cr_assert_eq(bench_add_param_int(b, "rate", rate), 0);
    for (k = 0; k < 4; k++) {
        struct metric *m = bench_add_metric(b, names[k], k == 0 ? "req/s" : "ns", DIR_LOWER);
        cr_assert_not_null(m);
        m->samples = malloc(2 * sizeof *m->samples);
        m->samples[0] = vals[k][0];
        m->samples[1] = vals[k][1];
        m->nsamples = 2;
    }
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
}

Test(plot_curve, a_curve_per_scenario_a_point_per_rate)
{
    struct result r;
    const double none[2] = {0, 0};
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    char *gp;

    result_begin(&r, "s", "2026-12-07T10:00:00Z");
    /* written out of order: the curve goes by the rate asked */
    add_point(&r, "s/before/rate=2000", 2000, (double[2]){1400, 1500}, (double[2]){4e8, 6e8},
              (double[2]){9e8, 1.1e9}, none);
    add_point(&r, "s/before/rate=500", 500, (double[2]){499, 501}, (double[2]){6e5, 8e5},
              (double[2]){2e6, 2e6}, none);
    add_point(&r, "s/after/rate=500", 500, (double[2]){500, 500}, (double[2]){5e5, 5e5},
              (double[2]){1e6, 3e6}, none);
    /* half of what it sent was shed: 1000 successful a second */
    add_point(&r, "s/after/rate=2000", 2000, (double[2]){2000, 2000}, (double[2]){1e7, 1e7},
              (double[2]){4e7, 4e7}, (double[2]){0.5, 0.5});
    add_point(&r, "s/closed", 0, (double[2]){3000, 3000}, (double[2]){1e6, 1e6},
              (double[2]){2e6, 2e6}, none);
    plot_opts_default(&o);
    o.out = tmp_path("curve.png");
    cr_assert_eq(plot_curve(&r, NULL, &o, &e), 0, "%s", e.msg);
    d = dat_read(tmp_path("curve.dat"));
    cr_assert_eq(d.n, 4u, "the closed loop is not a point");
    /* block 0: s/before, rates 500 then 2000; medians of the two reps */
    cr_expect_eq(d.rows[0].block, 0);
    assert_close(dat_num(&d.rows[0], 0), 500, "rate");
    assert_close(dat_num(&d.rows[0], 1), 500, "throughput");
    assert_close(dat_num(&d.rows[0], 2), 7e5, "p50");
    assert_close(dat_num(&d.rows[1], 0), 2000, "rate");
    assert_close(dat_num(&d.rows[1], 1), 1450, "throughput");
    assert_close(dat_num(&d.rows[1], 3), 1e9, "p99");
    cr_expect_eq(d.rows[3].block, 1);
    assert_close(dat_num(&d.rows[3], 1), 1000, "successful responses a second");
    dat_free(&d);
    gp = slurp(tmp_path("curve.gp"), NULL);
    cr_assert_not_null(gp);
    cr_expect_not_null(strstr(gp, "'s/before'"), "%s", gp);
    cr_expect_not_null(strstr(gp, "'s/after'"), "%s", gp);
    cr_expect_not_null(strstr(gp, "set logscale y"));
    free(gp);
    result_free(&r);
}

Test(plot_curve, no_open_loop_benchmark_is_an_error)
{
    struct result r;
    const double none[2] = {0, 0};
    struct plot_opts o;
    struct err e = {0};

    result_begin(&r, "s", "2026-12-07T10:00:00Z");
    add_point(&r, "s/closed", 0, (double[2]){3000, 3000}, (double[2]){1e6, 1e6},
              (double[2]){2e6, 2e6}, none);
    plot_opts_default(&o);
    o.out = tmp_path("none.png");
    cr_assert_eq(plot_curve(&r, NULL, &o, &e), -1);
    cr_expect_str_eq(e.msg, "no open-loop load benchmark (SCENARIO/rate=R) with throughput "
                            "and latency");
    err_clear(&e);
    cr_assert_eq(plot_curve(&r, "(", &o, &e), -1);
    cr_expect_str_eq(e.msg, "filter '(': not a valid regular expression");
    result_free(&r);
}
