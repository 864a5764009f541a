/*
 * test_clock.c: the clock module.  No wall-clock limits (tests run in
 * parallel on noisy machines): only properties every correct clock has.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "harness/lib/clock.h"

Test(clock, now_never_goes_back)
{
    uint64_t prev = clock_now_ns();
    int i;

    for (i = 0; i < 100000; i++) {
        uint64_t t = clock_now_ns();

        cr_assert_geq(t, prev, "read %d went back: %llu after %llu", i,
                      (unsigned long long)t, (unsigned long long)prev);
        prev = t;
    }
}

Test(clock, now_moves)
{
    uint64_t t0 = clock_now_ns(), t1 = t0;
    long i;

    for (i = 0; i < 100000000L && t1 == t0; i++)
        t1 = clock_now_ns();
    cr_assert_gt(t1, t0, "the clock never moved");
}

Test(clock, process_cpu_never_goes_back_and_advances)
{
    uint64_t start = clock_process_cpu_ns(), prev = start, t = start;
    uint64_t wall0 = clock_now_ns();

    cr_assert_gt(start, 0);
    /* spin until the CPU clock moves; the wall-clock bound only ends a
     * broken clock's test, it is not a limit on the code */
    while (t == start && clock_now_ns() - wall0 < 10000000000ULL) {
        t = clock_process_cpu_ns();
        cr_assert_geq(t, prev);
        prev = t;
    }
    cr_assert_gt(t, start, "no cpu time was counted while spinning");
}

Test(clock, measure_properties)
{
    struct clock_info ci;

    clock_measure(&ci);
    cr_assert(isfinite(ci.getres_ns) && isfinite(ci.resolution_ns) && isfinite(ci.read_ns));
    cr_assert_gt(ci.getres_ns, 0);
    cr_assert_geq(ci.resolution_ns, ci.getres_ns);
    cr_assert_gt(ci.read_ns, 0);
}

Test(clock, measure_twice_agrees_on_getres)
{
    struct clock_info a, b;

    clock_measure(&a);
    clock_measure(&b);
    cr_assert_eq(a.getres_ns, b.getres_ns);
    cr_assert_geq(b.resolution_ns, b.getres_ns);
}
