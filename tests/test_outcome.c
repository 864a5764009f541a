/*
 * test_outcome.c: the exit code a comparison calls for (compare/outcome.c),
 * rule by rule, on comparisons built by hand: bad input before untrusted
 * before a regression before a pass.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "compare/compare.h"

static struct compare_row row;
static struct comparison c;

static void init(void)
{
    memset(&row, 0, sizeof row);
    memset(&c, 0, sizeof c);
    row.name = "b";
    row.verdict = VERDICT_UNCHANGED;
    c.rows = &row;
    c.nrows = 1;
    c.whole = WHOLE_STEADY;
    c.whole_shift = NAN;
}

static void verdict(enum verdict v)
{
    row.verdict = v;
    memset(c.count, 0, sizeof c.count);
    c.count[v] = 1;
}

TestSuite(outcome, .init = init);

Test(outcome, each_rule)
{
    verdict(VERDICT_UNCHANGED);
    cr_expect_eq(compare_exit_code(&c, 0), 0);
    verdict(VERDICT_INCONCLUSIVE);
    cr_expect_eq(compare_exit_code(&c, 0), 0);
    cr_expect_eq(compare_exit_code(&c, 1), 3, "--require-conclusive");
    verdict(VERDICT_REGRESSED);
    cr_expect_eq(compare_exit_code(&c, 0), 1);
    verdict(VERDICT_ERROR);
    cr_expect_eq(compare_exit_code(&c, 0), 3);
    verdict(VERDICT_INCONCLUSIVE);
    row.untrusted = 1;
    cr_expect_eq(compare_exit_code(&c, 0), 3, "too few samples");
    row.untrusted = 0;
    row.bad_side = 2;
    cr_expect_eq(compare_exit_code(&c, 0), 2, "a time of zero");
    row.bad_side = 0;
    verdict(VERDICT_UNCHANGED);
    c.limits_failed = 1;
    cr_expect_eq(compare_exit_code(&c, 0), 1, "a failed limit");
}

Test(outcome, the_run_as_a_whole)
{
    verdict(VERDICT_INCONCLUSIVE);
    c.whole = WHOLE_CODE;
    c.whole_shift = 0.05;
    cr_expect_eq(compare_exit_code(&c, 0), 1, "the code made the run worse");
    c.whole_shift = -0.05;
    cr_expect_eq(compare_exit_code(&c, 0), 0, "the code made it better");
    c.whole = WHOLE_UNTOLD;
    c.whole_shift = 0.05;
    cr_expect_eq(compare_exit_code(&c, 0), 3, "worse, machine or code");
    c.whole = WHOLE_MACHINE;
    cr_expect_eq(compare_exit_code(&c, 0), 3, "worse, likely the machine: not a pass");
    cr_expect_not(compare_machine_worse(&c));
    c.whole_shift = -0.05;
    cr_expect_eq(compare_exit_code(&c, 0), 0, "better, as the machine");
    c.whole_shift = 0.05;
    verdict(VERDICT_REGRESSED);
    cr_expect(compare_machine_worse(&c));
    cr_expect_eq(compare_exit_code(&c, 0), 3, "regressed on a slower machine");
    c.whole_shift = -0.05;
    cr_expect_not(compare_machine_worse(&c));
    cr_expect_eq(compare_exit_code(&c, 0), 1, "regressed on a faster machine");
}
