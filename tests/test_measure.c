/*
 * test_measure.c: the timed loop and in-process measurement (state.c,
 * measure.c).  Timing is asserted only through lower bounds that sleeping
 * guarantees, never through upper bounds a noisy machine could break.
 */
#include <criterion/criterion.h>
#include <pthread.h>
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

/* ---- manual timing (.manual_time, pacer_set_iteration_time) ---------------- */

static void manual_us(pacer_state *st)
{
    PACER_LOOP(st) {
        pacer_set_iteration_time(st, 1e-6);
    }
}

static void manual_never(pacer_state *st)
{
    PACER_LOOP(st) {
        pacer_clobber();
    }
}

static void manual_negative(pacer_state *st)
{
    while (pacer_loop(st))
        pacer_set_iteration_time(st, -0.5);
}

/* A sample is the sum of the times given, whatever the clock says (the
 * body takes far less than a microsecond); a benchmark that declares
 * manual time and gives none, gives a bad time, or gives one without
 * declaring it, is an error that says so. */
Test(measure, manual_time_is_the_sum_given)
{
    struct pacer_def d = def_of(manual_us), dn = def_of(manual_never),
                     dneg = def_of(manual_negative), dund = def_of(manual_us);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns, iters;

    d.manual_time = dn.manual_time = dneg.manual_time = 1;
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 1000, &ns, &e), 0, "%s", e.msg);
    cr_assert_eq(ns, 1000000);
    /* calibration reaches its target on the given times too */
    cr_assert_eq(measure_calibrate(&m, 5000000, 0, &iters, &ns, &e), 0, "%s", e.msg);
    cr_assert_geq(ns, 5000000);
    cr_assert_eq(ns, iters * 1000);

    in.def = &dn;
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "the benchmark declares .manual_time but its loop never called "
                            "pacer_set_iteration_time");

    in.def = &dneg;
    err_clear(&e);
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "pacer_set_iteration_time: -0.5 is not a time in seconds");

    in.def = &dund;
    err_clear(&e);
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "pacer_set_iteration_time: the benchmark does not declare "
                            ".manual_time = 1");
}

/* ---- threads (.threads) ------------------------------------------------------ */

static int arrived, early, seen[8], seen_n[8];
static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;

/* Each thread gives (index + 1) us per iteration; notes who it is; checks
 * that every thread arrived before any started its loop (the barrier). */
static void team_member(pacer_state *st)
{
    int i = pacer_thread_index(st), first = 1;

    __atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
    PACER_LOOP(st) {
        if (first && __atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < pacer_threads(st))
            __atomic_store_n(&early, 1, __ATOMIC_SEQ_CST);
        first = 0;
        pacer_set_iteration_time(st, (i + 1) * 1e-6);
    }
    pthread_mutex_lock(&seen_mu);
    if (i >= 0 && i < 8) {
        seen[i]++;
        seen_n[i] = pacer_threads(st);
    }
    pthread_mutex_unlock(&seen_mu);
}

/* Thread 2 sleeps before its loop: the others must wait for it. */
static void late_member(pacer_state *st)
{
    __atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
    if (pacer_thread_index(st) == 2)
        sleep_ms(30);
    PACER_LOOP(st) {
        if (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < pacer_threads(st))
            __atomic_store_n(&early, 1, __ATOMIC_SEQ_CST);
        pacer_clobber();
    }
}

static void member_skips(pacer_state *st)
{
    if (pacer_thread_index(st) == 1) {
        pacer_skip(st, "thread 1 has no GPU");
        return;
    }
    PACER_LOOP(st) {
        pacer_clobber();
    }
}

static void member_breaks(pacer_state *st)
{
    PACER_LOOP(st) {
        if (pacer_thread_index(st) == 2)
            break;
    }
}

static void member_cpu(pacer_state *st)
{
    volatile unsigned long x = 0;

    PACER_LOOP(st) {
        for (int k = 0; k < 20000; k++)
            x = x + (unsigned long)k;
    }
}

/* Four threads, each with its own state and index, start together; the
 * sample is Google Benchmark's: the threads' mean time over all their
 * iterations.  Thread i gives (i + 1) us per iteration, so over 4 threads
 * of 100 iterations: mean (1+2+3+4)/4 * 100 us = 250 us over 400
 * iterations, 625 ns each: 62500 ns for the call's 100. */
Test(measure, threads_start_together_and_average)
{
    struct pacer_def d = def_of(team_member);
    struct instance in = {.def = &d, .name = "t", .threads = 4};
    struct measure m;
    struct err e = {0};
    uint64_t ns;
    int i;

    d.manual_time = 1;
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 100, &ns, &e), 0, "%s", e.msg);
    cr_assert_eq(ns, 62500);
    for (i = 0; i < 4; i++) {
        cr_assert_eq(seen[i], 1, "thread %d ran %d times", i, seen[i]);
        cr_assert_eq(seen_n[i], 4);
    }
    cr_assert_eq(seen[4], 0);
    cr_assert_eq(early, 0, "a thread started before all had arrived");

    /* one thread late to its loop: the others wait at the barrier */
    struct pacer_def dl = def_of(late_member);
    in.def = &dl;
    arrived = 0;
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), 0, "%s", e.msg);
    cr_assert_eq(early, 0, "a thread started before the late one arrived");
}

/* The CPU time of a threaded sample is the threads' own CPU times summed
 * and divided by the threads, as its time: per iteration of all threads,
 * at least what one thread spends (never the whole process's). */
Test(measure, threads_cpu_time_is_per_iteration)
{
    struct pacer_def d = def_of(member_cpu);
    struct instance in1 = {.def = &d, .name = "t"}, in2 = {.def = &d, .name = "t", .threads = 2};
    struct measure m;
    struct err e = {0};
    uint64_t ns, one, two;

    measure_init(&m, &in1);
    cr_assert_eq(measure_once(&m, 200, &ns, &e), 0, "%s", e.msg);
    one = m.cpu_ns;
    measure_init(&m, &in2);
    cr_assert_eq(measure_once(&m, 200, &ns, &e), 0, "%s", e.msg);
    two = m.cpu_ns;
    /* the same work per iteration: within a factor of 3 either way */
    cr_assert(two > one / 3 && two < one * 3, "1 thread %llu ns, 2 threads %llu ns",
              (unsigned long long)one, (unsigned long long)two);
}

/* A thread that skips skips the sample; one that leaves its loop early is
 * an error naming it; neither leaves the others waiting. */
Test(measure, a_failing_thread_fails_the_sample)
{
    struct pacer_def ds = def_of(member_skips), db = def_of(member_breaks);
    struct instance in = {.def = &ds, .name = "t", .threads = 3};
    struct measure m;
    struct err e = {0};
    uint64_t ns;

    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "skipped: thread 1 has no GPU");
    cr_assert(m.priv.skipped && !m.priv.skip_error);

    in.def = &db;
    err_clear(&e);
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "thread index 2 of 3 threads: the benchmark function left its "
                            "timed loop before it ended");
}

/* ---- user counters (pacer_counter) ------------------------------------------- */

static void counters_1us(pacer_state *st)
{
    PACER_LOOP(st) {
        pacer_set_iteration_time(st, 1e-6 * (pacer_thread_index(st) + 1));
    }
    pacer_counter(st, "rate", 500, PACER_COUNTER_RATE);
    pacer_counter(st, "avg_it", 2000, PACER_COUNTER_AVG_ITERATIONS);
    pacer_counter(st, "inv", 500, PACER_COUNTER_RATE | PACER_COUNTER_INVERT);
    pacer_counter(st, "inv_it", 3, PACER_COUNTER_ITERATION_INVARIANT);
    pacer_counter(st, "thr", 10, PACER_COUNTER_AVG_THREADS);
    pacer_counter(st, "plain", 1, PACER_COUNTER_DEFAULT);
    pacer_counter(st, "plain", 7, PACER_COUNTER_DEFAULT);   /* set again: replaced */
}

static void counter_bad_name(pacer_state *st)
{
    pacer_counter(st, "has space", 1, 0);
    PACER_LOOP(st) {
        pacer_clobber();
    }
}

static double counter_of(const struct measure *m, const char *name)
{
    for (unsigned k = 0; k < m->nuc; k++)
        if (!strcmp(m->uc[k].name, name))
            return m->uc[k].value;
    cr_assert_fail("no counter %s", name);
    return 0;
}

/* Flags applied as Google Benchmark's Finish (counter.cc) does, over the
 * sample's time: 1000 iterations of 1 us given are 1 ms, so 500 as a rate
 * is 500 / 1e-3 s = 5e5/s, inverted 2e-6 s; 2000 over the iterations 2;
 * 3 iteration-invariant 3 * 1000.  With 2 threads (thread i gives (i + 1)
 * us per iteration: mean time 1.5 ms, 2000 iterations in all) each
 * thread's values are summed first: rate 1000 / 1.5e-3; avg_it 4000 /
 * 2000; thr 20 / 2 threads. */
Test(measure, counters_finish_as_google_benchmark)
{
    struct pacer_def d = def_of(counters_1us), db = def_of(counter_bad_name);
    struct instance in = {.def = &d, .name = "t"};
    struct measure m;
    struct err e = {0};
    uint64_t ns;

    d.manual_time = 1;
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 1000, &ns, &e), 0, "%s", e.msg);
    cr_assert_eq(m.nuc, 6);
    cr_assert_float_eq(counter_of(&m, "rate"), 5e5, 1e-6);
    cr_assert_float_eq(counter_of(&m, "avg_it"), 2, 1e-12);
    cr_assert_float_eq(counter_of(&m, "inv"), 2e-6, 1e-18);
    cr_assert_float_eq(counter_of(&m, "inv_it"), 3000, 1e-9);
    cr_assert_float_eq(counter_of(&m, "thr"), 10, 1e-12);
    cr_assert_float_eq(counter_of(&m, "plain"), 7, 1e-12);
    /* the next call starts without them */
    cr_assert_eq(measure_once(&m, 1000, &ns, &e), 0, "%s", e.msg);
    cr_assert_eq(m.nuc, 6);

    in.threads = 2;
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 1000, &ns, &e), 0, "%s", e.msg);
    cr_assert_float_eq(counter_of(&m, "rate"), 1000 / 1.5e-3, 1e-6);
    cr_assert_float_eq(counter_of(&m, "avg_it"), 2, 1e-12);
    cr_assert_float_eq(counter_of(&m, "thr"), 10, 1e-12);
    cr_assert_float_eq(counter_of(&m, "plain"), 14, 1e-12);

    in.def = &db;
    in.threads = 0;
    measure_init(&m, &in);
    cr_assert_eq(measure_once(&m, 10, &ns, &e), -1);
    cr_assert_str_eq(e.msg, "pacer_counter: 'has space' is not a counter name (up to 63 "
                            "letters, digits, '_', '-', '.', ':', '/')");
}
