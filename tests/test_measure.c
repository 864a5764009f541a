/*
 * test_measure.c: the timed loop and in-process measurement (state.c,
 * measure.c).  Timing is asserted only through lower bounds that sleeping
 * guarantees, never through upper bounds a noisy machine could break.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "harness/lib/measure.h"
#include "helpers.h"

static uint64_t body_runs, calls;

static void counting(pacer_state *st)
{
    calls++;
    while (pacer_loop(st))
        body_runs++;
    pacer_set_bytes_per_op(st, 64);
    pacer_set_items_per_op(st, 2);
}

static void counting_macro(pacer_state *st)
{
    calls++;
    PACER_LOOP(st) {
        body_runs++;
        pacer_clobber();
    }
}

static void macro_skip_break(pacer_state *st)
{
    PACER_LOOP(st) {
        if (++body_runs == 3) {
            pacer_skip(st, "third time");
            break;
        }
    }
}

static void macro_break(pacer_state *st)
{
    PACER_LOOP(st)
        break;
}

static void sleepy(pacer_state *st)
{
    while (pacer_loop(st))
        sleep_ms(2);
}

static void paused_sleep(pacer_state *st)
{
    while (pacer_loop(st)) {
        pacer_pause(st);
        sleep_ms(20);
        pacer_resume(st);
    }
}

static struct pacer_def def_of(pacer_fn fn)
{
    struct pacer_def d = {.name = "t", .fn = fn, .file = "t.c", .line = 1};

    return d;
}

Test(measure, loop_runs_exactly_iterations)
{
    struct pacer_def d = def_of(counting);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns, n;

    measure_init(&m, &in);
    for (n = 1; n <= 1000; n *= 10) {
        body_runs = 0;
        cr_assert_eq(measure_once(&m, n, &ns, &e), 0, "%s", e.msg);
        cr_assert_eq(body_runs, n);
    }
    cr_assert_eq(m.priv.bytes_per_op, 64);
    cr_assert_eq(m.priv.items_per_op, 2);
}

Test(measure, time_covers_the_body)
{
    struct pacer_def d = def_of(sleepy);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns;

    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 3, &ns, &e), 0);
    cr_assert_geq(ns, 6000000ULL, "3 sleeps of 2 ms took %llu ns", (unsigned long long)ns);
}

Test(measure, pause_excludes_time)
{
    struct pacer_def d = def_of(paused_sleep);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns;

    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 3, &ns, &e), 0);
    /* Unpaused this would be at least 60 ms by nanosleep's guarantee. */
    cr_assert_lt(ns, 60000000ULL, "paused sleeps counted: %llu ns", (unsigned long long)ns);
}

Test(measure, calibration_reaches_target)
{
    struct pacer_def d = def_of(counting);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t iters, ns;

    measure_init(&m, &in);
    cr_assert_eq(measure_calibrate(&m, 1000000, 0, &iters, &ns, &e), 0);
    cr_assert_geq(ns, 1000000ULL);
    cr_assert_gt(iters, 1);
    /* A cap on iterations stops calibration short of the target. */
    cr_assert_eq(measure_calibrate(&m, 1000000000ULL, 50, &iters, &ns, &e), 0);
    cr_assert_eq(iters, 50);
}

Test(measure, calibration_of_slow_body_is_one)
{
    struct pacer_def d = def_of(sleepy);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t iters, ns;

    measure_init(&m, &in);
    cr_assert_eq(measure_calibrate(&m, 1000000, 0, &iters, &ns, &e), 0);
    cr_assert_eq(iters, 1);
}

Test(measure, warmup_takes_samples_and_keeps_fixed_iters)
{
    struct pacer_def d = def_of(counting);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct warmup_out w;
    struct err e = {0};

    measure_init(&m, &in);
    calls = 0;
    cr_assert_eq(measure_warmup(&m, 1000, 1000000, 1000000000ULL, 1, &w, &e), 0);
    cr_assert_geq(w.samples, 1);
    cr_assert_eq(calls, w.samples);
    cr_assert_eq(w.iters, 1000, "fixed iterations must not change");
}

Test(measure, warmup_raises_iters_when_samples_are_short)
{
    struct pacer_def d = def_of(sleepy);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct warmup_out w;
    struct err e = {0};

    measure_init(&m, &in);
    /* One 2 ms iteration against a 20 ms target: the count must grow. */
    cr_assert_eq(measure_warmup(&m, 1, 0, 20000000ULL, 0, &w, &e), 0);
    cr_assert_gt(w.iters, 1);
}

static void skip_in_setup(pacer_state *st)
{
    pacer_skip(st, "no\ndatabase");
}

static void never_loops(pacer_state *st)
{
    (void)st;
}

static void breaks_out(pacer_state *st)
{
    while (pacer_loop(st))
        break;
}

static void unknown_param(pacer_state *st)
{
    long long v = pacer_param(st, "nope");

    while (pacer_loop(st))
        pacer_do_not_optimize(v);
}

Test(measure, misuse_is_an_error)
{
    struct pacer_def d1 = def_of(counting), d2 = def_of(never_loops), d3 = def_of(breaks_out),
                     d4 = def_of(unknown_param);
    struct instance in = {.name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns;

    d1.setup = skip_in_setup;
    in.def = &d1;
    measure_init(&m, &in);
    cr_assert_eq(measure_setup(&m, &e), -1);
    cr_assert_str_eq(e.msg, "skipped in setup: no database");

    in.def = &d2;
    err_clear(&e);
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "the benchmark function returned without running its timed loop");

    in.def = &d3;
    err_clear(&e);
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "the benchmark function left its timed loop before it ended");

    in.def = &d4;
    err_clear(&e);
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    /* a misuse is an error (pacer_error), not a skip */
    cr_assert_str_eq(e.msg, "pacer_param: no parameter named 'nope'");
    cr_assert(m.priv.skip_error);
}

static void *handed;
static int torn_down;

static void setup_data(pacer_state *st)
{
    static int token = 42;

    pacer_set_data(st, &token);
}

static void uses_data(pacer_state *st)
{
    handed = pacer_data(st);
    while (pacer_loop(st))
        ;
}

static void teardown_data(pacer_state *st)
{
    torn_down = *(int *)pacer_data(st);
}

Test(measure, setup_data_reaches_benchmark_and_teardown)
{
    struct pacer_def d = def_of(uses_data);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns;

    d.setup = setup_data;
    d.teardown = teardown_data;
    measure_init(&m, &in);
    cr_assert_eq(measure_setup(&m, &e), 0);
    cr_assert_eq(measure_once(&m, 5, &ns, &e), 0);
    cr_assert_eq(*(int *)handed, 42);
    measure_teardown(&m);
    cr_assert_eq(torn_down, 42);
}

static long long seen_size, seen_arg;

static void params(pacer_state *st)
{
    seen_size = pacer_param(st, "size");
    seen_arg = pacer_arg(st, 1);
    while (pacer_loop(st))
        ;
}

Test(measure, params_by_name_and_position)
{
    struct pacer_def d = {.name = "p", .fn = params, .file = "t.c", .line = 1,
                          .params = {PACER_LIST("size", 64), PACER_LIST("depth", 3)}};
    struct instance in = {.def = &d, .name = "p", .args = {64, 3}, .nargs = 2};
    struct measure m;
    struct err e = {0};
    uint64_t ns;

    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 1, &ns, &e), 0, "%s", e.msg);
    cr_assert_eq(seen_size, 64);
    cr_assert_eq(seen_arg, 3);
}

Test(measure, macro_loop_runs_exactly_iterations)
{
    struct pacer_def d = def_of(counting_macro);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns, n;

    measure_init(&m, &in);
    for (n = 1; n <= 100000; n *= 10) {
        body_runs = 0;
        cr_assert_eq(measure_once(&m, n, &ns, &e), 0, "%s", e.msg);
        cr_assert_eq(body_runs, n);
    }
}

Test(measure, macro_loop_skip_and_break)
{
    struct pacer_def d1 = def_of(macro_skip_break), d2 = def_of(macro_break);
    struct instance in = {.def = &d1, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns;

    body_runs = 0;
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "skipped: third time");
    cr_assert_eq(body_runs, 3);
    in.def = &d2;
    err_clear(&e);
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "the benchmark function left its timed loop before it ended");
}

Test(measure, macro_loop_after_skip_in_setup_does_not_run)
{
    struct pacer_def d = def_of(counting_macro);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns;

    measure_init(&m, &in);
    pacer_skip(&m.st, "gone");
    body_runs = 0;
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_eq(body_runs, 0);
    cr_assert_str_eq(e.msg, "skipped: gone");
    cr_assert_not(m.priv.skip_error);

    /* pacer_error: the reason is the error */
    measure_init(&m, &in);
    pacer_error(&m.st, "no device");
    err_clear(&e);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "no device");
    cr_assert(m.priv.skip_error);
}
