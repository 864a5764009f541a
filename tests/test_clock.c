/*
 * test_clock.c: the clock module.  No wall-clock limits (tests run in
 * parallel on noisy machines): only properties every correct clock has.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <unistd.h>

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

/* The thread's scheduler times, from a descriptor kept open, agree with a
 * fresh reading and never go back; its run time grows with work done. */
Test(clock, scheduler_times_from_a_kept_descriptor)
{
    uint64_t run0, q0, run1, q1, run2, q2;
    volatile uint64_t x = 0;
    int fd = clock_sched_open();
    uint64_t i;

    cr_assert_geq(fd, 0, "this kernel keeps schedstat");
    cr_assert_eq(clock_sched_read(fd, &run0, &q0), 0);
    for (i = 0; i < 20000000; i++)
        x += i;
    cr_assert_eq(clock_sched_read(fd, &run1, &q1), 0);
    cr_assert_eq(clock_sched_times(&run2, &q2), 0);
    cr_assert_gt(run1, run0);
    cr_assert_geq(q1, q0);
    cr_assert_geq(run2, run1);
    cr_assert_geq(q2, q1);
    close(fd);
    cr_assert_lt(clock_sched_read(fd, &run0, &q0), 0, "a closed descriptor is an error");
}
