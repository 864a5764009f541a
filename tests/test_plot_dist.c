/*
 * test_plot_dist.c: the distribution pictures (plots/plot_dist.c, box and
 * histogram): every sample in the data file, the boxes' quartiles, the
 * histogram's counts, and a filter that matches nothing.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "plots/plot.h"

TestSuite(plot_dist, .init = plot_setup, .fini = tmp_teardown, .timeout = 60);

Test(plot_dist, dist_box_holds_every_sample)
{
    struct result r[2];
    const struct result *rp[2] = {&r[0], &r[1]};
    const char *const files[] = {"runs/one.json", "runs/two.json"};
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    size_t i, k, row = 0;

    make_result(&r[0], names3, 3, 12, 1.0);
    make_result(&r[1], names3, 2, 12, 1.1);
    plot_opts_default(&o);
    o.out = tmp_path("dist.png");
    o.names = files;
    o.width = 800;
    o.height = 500;
    cr_assert_eq(plot_dist(rp, 2, NULL, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("dist.png"), &w, &h);
    cr_expect_eq(w, 800u);
    cr_expect_eq(h, 500u);
    d = dat_read(tmp_path("dist.dat"));
    cr_assert_eq(d.n, 5 * 12u);
    /* by benchmark, then result, samples in their order */
    for (i = 0; i < 3; i++)
        for (k = 0; k < 2; k++) {
            const struct bench *b = i < r[k].nbenches ? &r[k].benches[i] : NULL;
            size_t j;
            for (j = 0; b && j < b->nsamples; j++, row++) {
                assert_close(dat_num(&d.rows[row], 0), (double)i, "group");
                assert_close(dat_num(&d.rows[row], 1), (double)k, "result");
                assert_close(dat_num(&d.rows[row], 3), b->samples[j], "sample");
            }
        }
    /* the outlier (3 x) is severe */
    cr_expect_str_eq(d.rows[11].f[5], "2");
    dat_free(&d);
    /* the boxes: quartiles (type 7) and their deviation from the median of
     * the first result, which the script draws */
    d = dat_read(tmp_path("dist-box.dat"));
    cr_assert_eq(d.n, 5u);
    {
        const struct bench *b = &r[1].benches[0];
        double s[12], ref = stats_median(r[0].benches[0].samples, 12), q1;
        memcpy(s, b->samples, sizeof s);
        stats_sort(s, 12);
        q1 = stats_quantile_sorted(s, 12, 0.25);
        assert_close(dat_num(&d.rows[1], 2), 1, "result");
        assert_close(dat_num(&d.rows[1], 4), ref, "ref median");
        assert_close(dat_num(&d.rows[1], 5), q1, "q1");
        assert_close(dat_num(&d.rows[1], 6), stats_quantile_sorted(s, 12, 0.5), "median");
        assert_close(dat_num(&d.rows[1], 10), 100 * (q1 / ref - 1), "q1 deviation");
        cr_expect_eq(d.rows[1].nf, 15);
    }
    dat_free(&d);
    result_free(&r[0]);
    result_free(&r[1]);
}

Test(plot_dist, dist_hist_counts_add_up)
{
    struct result r;
    const struct result *rp[1] = {&r};
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    size_t i;
    double total = 0;

    make_result(&r, names3, 3, 30, 1.0);
    plot_opts_default(&o);
    o.out = tmp_path("hist.svg");
    o.dist = PLOT_DIST_HIST;
    cr_assert_eq(plot_dist(rp, 1, "crc32", &o, &e), 0, "%s", e.msg);
    svg_size(tmp_path("hist.svg"), &w, &h);
    cr_expect_eq(w, 1000u);
    d = dat_read(tmp_path("hist-hist.dat"));
    for (i = 0; i < d.n; i++)
        total += dat_num(&d.rows[i], 3);
    /* two benchmarks match; each keeps its far outlier out of the bins */
    assert_close(total, 2 * 29.0, "binned samples");
    dat_free(&d);
    result_free(&r);
}

Test(plot_dist, dist_filter_matching_nothing)
{
    struct result r;
    const struct result *rp[1] = {&r};
    struct plot_opts o;
    struct err e = {0};

    make_result(&r, names3, 3, 10, 1.0);
    plot_opts_default(&o);
    o.out = tmp_path("x.png");
    cr_assert_eq(plot_dist(rp, 1, "^nothing$", &o, &e), -1);
    cr_expect_str_eq(e.msg, "no benchmark with samples matching '^nothing$'");
    result_free(&r);
}
