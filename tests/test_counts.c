/*
 * test_counts.c: harness/lib/counts.c, callgrind's summary line read and
 * weighed into estimated cycles.  The expected cycles are worked by hand
 * from the formula in counts.h (L1 hits + 5 LL hits + 35 RAM hits).
 */
#include <criterion/criterion.h>

#include "harness/lib/counts.h"

Test(counts, summary_weighed)
{
    /* a real dump of callgrind 3.19 (cache simulation on), trailing zero
     * columns left out as callgrind writes them:
     *   Ir 6013, Dr 1000, Dw 1007, I1mr 2, D1mr 0, D1mw 0, ILmr 2, DLmr 0, DLmw 0
     *   L1 misses 2, RAM hits 2, LL hits 0, L1 hits 6013+1000+1007-2 = 8018
     *   cycles = 8018 + 5*0 + 35*2 = 8088 */
    static const char text[] = "version: 1\ncreator: callgrind-3.19.0\ncmd:  ./t\npart: 1\n"
                               "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
                               "summary: 6013 1000 1007 2 0 0 2\ntotals: 6004 1000 1001 1\n";
    struct counts c;
    struct err e = {0};

    cr_assert_eq(counts_parse(text, &c, &e), 0, "%s", e.msg);
    cr_expect_eq(c.ir, 6013);
    cr_expect_eq(c.cycles, 8088);
}

Test(counts, every_level)
{
    /* Ir 1000, Dr 400, Dw 100, I1mr 10, D1mr 30, D1mw 10, ILmr 1, DLmr 4, DLmw 5:
     * L1 misses 50, RAM hits 10, LL hits 40, L1 hits 1500-50 = 1450,
     * cycles = 1450 + 200 + 350 = 2000 */
    static const char text[] = "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
                               "summary: 1000 400 100 10 30 10 1 4 5\n";
    struct counts c;
    struct err e = {0};

    cr_assert_eq(counts_parse(text, &c, &e), 0, "%s", e.msg);
    cr_expect_eq(c.ir, 1000);
    cr_expect_eq(c.cycles, 2000);
}

Test(counts, instructions_only)
{
    /* without the cache simulation: every instruction an L1 hit */
    struct counts c;
    struct err e = {0};

    cr_assert_eq(counts_parse("events: Ir\nsummary: 4242\n", &c, &e), 0, "%s", e.msg);
    cr_expect_eq(c.ir, 4242);
    cr_expect_eq(c.cycles, 4242);
}

Test(counts, malformed)
{
    struct counts c;
    struct err e = {0};

    cr_expect_eq(counts_parse("events: Ir\n", &c, &e), -1);
    cr_expect_str_eq(e.msg, "no summary: line in callgrind's output");
    cr_expect_eq(counts_parse("summary: 12\n", &c, &e), -1);
    cr_expect_eq(counts_parse("events: Dr Ir\nsummary: 1 2\n", &c, &e), -1);
    cr_expect_eq(counts_parse("events: Ir\nsummary: x\n", &c, &e), -1);
}

Test(counts, outside_valgrind)
{
    /* the requests do nothing here */
    cr_expect_eq(counts_available(), 0);
    counts_start();
    counts_resume();
    counts_stop();
}
