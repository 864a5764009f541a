/*
 * test_hwcount.c: harness/lib/hwcount.c, perf event counters around a
 * loop, with the software counters every Linux has (this VM has no
 * hardware ones: asking for them must say so), and pacer run --counters
 * end to end.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "harness/lib/hwcount.h"
#include "helpers.h"

TestSuite(hwcount, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

static void spin_ms(long ms)
{
    struct timespec a, b;
    volatile unsigned long x = 0;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
    do {
        for (int i = 0; i < 10000; i++)
            x += (unsigned long)i;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    } while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

Test(hwcount, software_counters_around_a_loop)
{
    struct hwcount h;
    struct err e = {0};
    uint64_t v[2];

    if (hwcount_open(&h, "task-clock,context-switches", &e) < 0)
        cr_skip_test("perf_event_open is not allowed here: %s", e.msg);
    cr_assert_eq(h.n, 2);
    hwcount_start(&h);
    spin_ms(30);
    hwcount_stop(&h);
    spin_ms(30);              /* stopped: not counted */
    cr_assert_eq(hwcount_read(&h, v), 0);
    /* task-clock counts ns of this thread on a CPU: at least the 30 ms of
     * CPU time spun.  On a virtual machine whose host is busy it counts
     * the time stolen by the host too (perf's clock, where the thread CPU
     * clock leaves steal out): 74 ms was seen for these 30, so the upper
     * bound only catches a counter that never stopped. */
    cr_expect(v[0] > 20000000 && v[0] < 1000000000, "task-clock %lu", (unsigned long)v[0]);
    hwcount_resume(&h);
    spin_ms(10);
    hwcount_stop(&h);
    {
        uint64_t before = v[0];
        cr_assert_eq(hwcount_read(&h, v), 0);
        cr_expect(v[0] >= before + 8000000 && v[0] < before + 1000000000,
                  "task-clock %lu after %lu", (unsigned long)v[0], (unsigned long)before);
    }
    hwcount_close(&h);
}

Test(hwcount, unknown_and_hardware)
{
    struct hwcount h;
    struct err e = {0};

    cr_expect_eq(hwcount_open(&h, "task-clock,bogus", &e), -1);
    cr_expect_str_eq(e.msg, "bogus: not a counter");
    cr_expect(hwcount_known("cache-misses") && !hwcount_known("misses"));
    e = (struct err){0};
    if (hwcount_open(&h, "cycles", &e) == 0)
        hwcount_close(&h);    /* a machine with counters */
    else
        cr_expect_not_null(strstr(e.msg, "cycles: perf_event_open: "), "%s", e.msg);
}

Test(hwcount, run_counters)
{
    char bin[512];
    const char *out = tmp_path("r.json");
    json_t *j, *m;
    struct out o;
    double tc, cpu;

    build_path(bin, sizeof bin, "tests/fixtures/counted");
    o = run_pacer("run", bin, "--filter", "work$", "--counters", "task-clock,page-faults",
                  "--samples", "5", "--warmup", "20ms", "--out", out, "-q");
    if (o.code == 2 && strstr(o.stderr_s, "perf_event_open"))
        cr_skip_test("perf_event_open is not allowed here: %s", o.stderr_s);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    j = load_json(out);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "settings"),
                                                        "counters")), "task-clock,page-faults");
    m = json_object_get(json_array_get(json_object_get(j, "benchmarks"), 0), "metrics");
    cr_assert_eq(json_array_size(json_object_get(json_object_get(m, "hw.task-clock"),
                                                 "samples")), 5);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(m, "hw.page-faults"),
                                                 "samples")), 5);
    /* the task clock an iteration is the loop's CPU time an iteration */
    tc = json_real_value(json_object_get(json_object_get(json_object_get(m, "hw.task-clock"),
                                                         "stats"), "median"));
    cpu = json_real_value(json_object_get(json_object_get(json_object_get(m, "cpu"), "stats"),
                                          "median"));
    cr_expect(tc > 0.5 * cpu && tc < 2 * cpu, "task-clock %g ns, cpu %g ns", tc, cpu);
    json_decref(j);
}
