/*
 * test_plot_latency.c: the latency picture (plots/plot_latency.c): the
 * percentiles of the histogram merged over the repetitions, on a 1/(1-p)
 * axis, the curve from the send after it; a result without a load
 * benchmark refused.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/loadres.h"
#include "helpers.h"
#include "plots/plot.h"

TestSuite(plot_latency, .init = plot_setup, .fini = tmp_teardown, .timeout = 60);

Test(plot_latency, latency_percentiles_from_the_merged_histogram)
{
    struct result r;
    const struct result *rp[1] = {&r};
    struct plot_opts o;
    struct err e = {0};
    struct hist h;
    struct dat d;
    unsigned w, h2;
    size_t i, nrows0 = 0;
    char *gp;

    make_load_result(&r, "http://127.0.0.1:8080/", 1, 2);
    plot_opts_default(&o);
    o.out = tmp_path("lat.png");
    cr_assert_eq(plot_latency(rp, 1, NULL, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("lat.png"), &w, &h2);
    cr_expect_eq(w, 1000u);
    cr_assert_eq(load_merge_latency(&r.benches[0], 0, &h, &e), 0, "%s", e.msg);
    d = dat_read(tmp_path("lat.dat"));
    for (i = 0; i < d.n && d.rows[i].block == 0; i++) {
        double p = dat_num(&d.rows[i], 0), x = dat_num(&d.rows[i], 1);
        nrows0++;
        if (p < 100)
            assert_close(x, 1 / (1 - p / 100), "1/(1-p)");
        assert_close(dat_num(&d.rows[i], 2), (double)hist_percentile(&h, p), "latency");
    }
    cr_expect_gt(nrows0, 50u);
    /* the last point is the maximum, at 1/(1-p) = the count */
    assert_close(dat_num(&d.rows[nrows0 - 1], 2), 2000000000.0, "max");
    assert_close(dat_num(&d.rows[nrows0 - 1], 1), (double)h.count, "count");
    /* open loop: the curve from the send follows as block 1 */
    cr_expect_eq(d.rows[d.n - 1].block, 1);
    dat_free(&d);
    gp = slurp(tmp_path("lat.gp"), NULL);
    cr_assert_not_null(gp);
    cr_expect_not_null(strstr(gp, "'99%%' 100"), "the percentile axis: %s", gp);
    cr_expect_not_null(strstr(gp, "set logscale x"));
    free(gp);
    hist_free(&h);
    result_free(&r);
}

Test(plot_latency, latency_needs_a_load_benchmark)
{
    struct result r;
    const struct result *rp[1] = {&r};
    struct plot_opts o;
    struct err e = {0};

    make_result(&r, names3, 3, 10, 1.0);
    plot_opts_default(&o);
    o.out = tmp_path("x.png");
    cr_assert_eq(plot_latency(rp, 1, NULL, &o, &e), -1);
    cr_expect_str_eq(e.msg, "no load benchmark with a latency histogram");
    result_free(&r);
}
