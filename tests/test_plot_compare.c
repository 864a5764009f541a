/*
 * test_plot_compare.c: the comparison picture (plots/plot_compare.c): bars
 * sorted by change with their intervals and thresholds in the data file,
 * and a comparison with nothing to draw refused.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "plots/plot.h"

TestSuite(plot_compare, .init = plot_setup, .fini = tmp_teardown, .timeout = 60);

Test(plot_compare, compare_bars_sorted_with_the_numbers)
{
    static const char *const nm[] = {"s/a", "s/b", "s/c", "s/d", "s/e"};
    static const double ch[] = {0.30, -0.20, 0.001, 0.04, NAN};
    static const enum verdict vd[] = {VERDICT_REGRESSED, VERDICT_IMPROVED, VERDICT_UNCHANGED,
                                      VERDICT_INCONCLUSIVE, VERDICT_NEW_ONLY};
    struct compare_row rows[5];
    struct comparison c;
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    size_t i;
    char *gp;

    memset(&c, 0, sizeof c);
    memset(rows, 0, sizeof rows);
    for (i = 0; i < 5; i++) {
        rows[i].name = nm[i];
        rows[i].unit = "ns";
        rows[i].change = ch[i];
        rows[i].change_lo = ch[i] - 0.02;
        rows[i].change_hi = ch[i] + 0.03;
        rows[i].threshold = 0.015;
        rows[i].base_value = 100;
        rows[i].new_value = 100 * (1 + ch[i]);
        rows[i].verdict = vd[i];
        c.count[vd[i]]++;
    }
    c.rows = rows;
    c.nrows = 5;
    c.geomean = 1.02;
    c.ngeomean = 4;
    snprintf(c.base_name, sizeof c.base_name, "results/base.json");
    snprintf(c.new_name, sizeof c.new_name, "results/new.json");
    plot_opts_default(&o);
    o.out = tmp_path("cmp.png");
    cr_assert_eq(plot_compare(&c, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("cmp.png"), &w, &h);
    cr_expect_eq(w, 1000u);
    cr_expect_geq(h, 300u);
    d = dat_read(tmp_path("cmp.dat"));
    /* four drawn (the one-sided row is not), by change: b, c, d, a */
    cr_assert_eq(d.n, 4u);
    cr_expect_str_eq(d.rows[0].f[1], "\"b\"");
    cr_expect_str_eq(d.rows[3].f[1], "\"a\"");
    cr_expect_str_eq(d.rows[3].f[2], "regressed");
    assert_close(dat_num(&d.rows[0], 4), -0.20, "change");
    assert_close(dat_num(&d.rows[0], 5), -0.22, "change lo");
    assert_close(dat_num(&d.rows[0], 6), -0.17, "change hi");
    assert_close(dat_num(&d.rows[3], 7), 0.015, "threshold");
    dat_free(&d);
    gp = slurp(tmp_path("cmp.gp"), NULL);
    cr_assert_not_null(gp);
    cr_expect_not_null(strstr(gp, "base.json -> new.json"));
    cr_expect_not_null(strstr(gp, "1 only in new"));
    free(gp);
}

Test(plot_compare, compare_with_nothing_to_draw_fails)
{
    struct compare_row row;
    struct comparison c;
    struct plot_opts o;
    struct err e = {0};

    memset(&c, 0, sizeof c);
    memset(&row, 0, sizeof row);
    row.name = "x";
    row.verdict = VERDICT_ERROR;
    row.change = NAN;
    c.rows = &row;
    c.nrows = 1;
    plot_opts_default(&o);
    o.out = tmp_path("none.png");
    cr_assert_eq(plot_compare(&c, &o, &e), -1);
    cr_expect_str_eq(e.msg, "compare: no benchmark with a change to plot");
}
