/* test_reach.c: the least p-value sample counts can give (compare/reach.c),
 * against the closed forms 2 / C(n+m, n) (Mann-Whitney) and 2 / 2^n
 * (signed-rank); values from python3 -c 'import math; print(2 /
 * math.comb(6, 3), 2 / math.comb(8, 4), 2 / 2**5, 2 / 2**6)'. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare/reach.h"

Test(reach, least_p_closed_forms)
{
    cr_expect_float_eq(reach_least_p(3, 3, 0), 0.1, 1e-12);
    cr_expect_float_eq(reach_least_p(4, 4, 0), 0.02857142857142857, 1e-12);
    cr_expect_float_eq(reach_least_p(2, 2, 0), 1.0 / 3, 1e-12);
    cr_expect_float_eq(reach_least_p(5, 0, 1), 0.0625, 1e-12);
    cr_expect_float_eq(reach_least_p(6, 0, 1), 0.03125, 1e-12);
    cr_expect_eq(reach_least_p(1, 1, 0), 1.0);
    cr_expect_eq(reach_least_p(0, 5, 0), 1.0);
    cr_expect_eq(reach_least_p(100, 100, 0), 0.0, "large counts: far below any alpha");
}

Test(reach, count_for)
{
    cr_expect_eq(reach_count_for(0.05, 0), 4u);
    cr_expect_eq(reach_count_for(0.05, 1), 6u);
    /* Holm over 10 benchmarks: 2 / C(12, 6) = 0.0022 < 0.005 <= 2 / C(10, 5) */
    cr_expect_eq(reach_count_for(0.005, 0), 6u);
}

Test(reach, unreachable_rows_and_advice)
{
    struct bench nb = {0};
    struct compare_row rows[3];
    struct comparison c;
    const struct compare_row *first;
    char buf[64];

    memset(rows, 0, sizeof rows);
    memset(&c, 0, sizeof c);
    nb.kind = KIND_MICRO;
    rows[0].name = "a";
    rows[0].n_base = rows[0].n_new = 30;
    rows[1].name = "b";
    rows[1].n_base = rows[1].n_new = 3;
    rows[1].nw = &nb;
    rows[2].name = "c";
    rows[2].n_base = rows[2].n_new = 3;
    rows[2].verdict = VERDICT_ERROR;
    c.rows = rows;
    c.nrows = 3;
    c.alpha = 0.05;
    cr_assert_eq(reach_unreachable(&c, &first), 1u);
    cr_assert_eq(first, &rows[1]);
    cr_expect_str_eq(reach_option(buf, sizeof buf, &c, first, 8), "--samples 8");
    c.new_imported = 1;
    cr_expect_str_eq(reach_option(buf, sizeof buf, &c, first, 8), "--benchmark_repetitions=8");
    c.from_pytest = 1;
    cr_expect_str_eq(reach_option(buf, sizeof buf, &c, first, 8), "--benchmark-min-rounds=8");
    c.from_pytest = 0;
    nb.kind = KIND_COMMAND;
    cr_expect_str_eq(reach_option(buf, sizeof buf, &c, first, 8), "--runs 8");
    c.paired = 1;
    cr_expect_str_eq(reach_option(buf, sizeof buf, &c, first, 8), "--pairs 8");
}
