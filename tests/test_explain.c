/*
 * test_explain.c: compare/explain.c, the functions whose cost changed
 * between two profiles.  The profiles are written by hand; the expected
 * changes are their differences worked by hand.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "compare/explain.h"
#include "helpers.h"

/* base: bench 10 self, lcg 100, memchr 20 (under bench).
 * new:  bench 10, lcg 130 (+30 %), parse 5 (new, under bench); memchr gone. */
static const char base[] = "events: Ir\n"
                           "fn=bench'measure_once\n1 10\n"
                           "fn=lcg'bench'measure_once\n2 100\n"
                           "fn=memchr'bench'measure_once\n3 20\n";
static const char nw[] = "events: Ir\n"
                         "fn=bench'measure_once\n1 10\n"
                         "fn=lcg'bench'measure_once\n2 130\n"
                         "fn=parse'bench'measure_once\n4 5\n";

Test(explain, changes_in_order)
{
    struct profile b, n;
    struct explanation x;
    struct err e = {0};
    char line[512];

    cr_assert_eq(profile_parse(base, "b", &b, &e), 0, "%s", e.msg);
    cr_assert_eq(profile_parse(nw, "n", &n, &e), 0, "%s", e.msg);
    cr_assert_eq(explain_profiles(&b, &n, &x), 0);
    cr_expect_eq(x.b_total, 130);
    cr_expect_eq(x.n_total, 145);
    cr_assert_eq(x.n, 4);
    /* by the size of the change: lcg +30, memchr -20 (gone), parse +5 (new) */
    cr_expect_str_eq(x.ch[0].name, "lcg");
    cr_expect_eq(x.ch[0].b_self, 100);
    cr_expect_eq(x.ch[0].n_self, 130);
    cr_expect_str_eq(x.ch[1].name, "memchr");
    cr_expect(x.ch[1].in_base && !x.ch[1].in_new);
    cr_expect_str_eq(x.ch[2].name, "parse");
    cr_expect(!x.ch[2].in_base && x.ch[2].in_new);
    /* bench: self unchanged, inclusive 130 -> 145 */
    cr_expect_str_eq(x.ch[3].name, "bench");
    cr_expect_eq(x.ch[3].b_incl, 130);
    cr_expect_eq(x.ch[3].n_incl, 145);
    cr_expect_str_eq(explain_line(line, sizeof line, &x, 5),
                     "lcg self +30.0 (+30.0%), memchr gone (-20.0), parse new (+5.0)");
    cr_expect_str_eq(explain_line(line, sizeof line, &x, 1), "lcg self +30.0 (+30.0%)");
    explain_free(&x);
    /* identical profiles: nothing to name */
    cr_assert_eq(explain_profiles(&b, &b, &x), 0);
    cr_expect_str_eq(explain_line(line, sizeof line, &x, 5),
                     "no function's own cost changed by 0.1% of the total or more");
    explain_free(&x);
    profile_free(&b);
    profile_free(&n);
}
