/*
 * test_runner.c: micro benchmarks under the driver (runner.c, with child.c
 * and worker.c), against the real suite binary tests/fixtures/faulty.c whose
 * benchmarks crash, abort, exit, hang and skip on purpose.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/run/runner.h"
#include "harness/run/query.h"
#include "helpers.h"

TestSuite(runner, .timeout = 60);

static struct run_opts quick(void)
{
    struct run_opts o = {0};

    settings_default(&o.set);
    o.set.samples = 5;
    o.set.warmup_ns = 1000000;
    o.set.sample_target_ns = 1000000;
    o.set.timeout_ns = 5000000000ULL;
    o.clock_resolution_ns = 1;
    return o;
}

static const struct listed *find(const struct listing *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].name, name))
            return &l->items[i];
    cr_assert_fail("%s not listed", name);
    return NULL;
}

/* Run one benchmark of the faulty suite into a fresh result. */
static struct bench *run_one(struct result *r, const char *name, const struct run_opts *o)
{
    struct listing l;
    struct err e = {0};
    struct bench *b;

    cr_assert_eq(runner_list(faulty_bin(), 10000000000ULL, &l, &e), 0, "%s", e.msg);
    result_init(r);
    b = result_add_bench(r);
    cr_assert_eq(runner_bench(faulty_bin(), "faulty", find(&l, name), o, b), 0);
    listing_free(&l);
    return b;
}

Test(runner, lists_benchmarks_and_build)
{
    struct listing l;
    struct err e = {0};
    const struct listed *p;

    cr_assert_eq(runner_list(faulty_bin(), 10000000000ULL, &l, &e), 0, "%s", e.msg);
    cr_assert_eq(l.n, 10);
    cr_assert_str_eq(l.items[0].name, "ok");
    p = find(&l, "param_typo/size=2");
    cr_assert_eq(p->nparams, 1);
    cr_assert_str_eq(p->pnames[0], "size");
    cr_assert_str_eq(p->pvalues[0], "2");
    cr_assert_not_null(strstr(l.compiler, "gcc"));
    cr_assert_not_null(strstr(l.cflags, "optimized (-O1 or more)"), "%s", l.cflags);
    listing_free(&l);
}

Test(runner, measures_a_good_benchmark)
{
    struct run_opts o = quick();
    struct result r;
    struct bench *b = run_one(&r, "ok", &o);
    size_t i;

    cr_assert_null(b->error, "%s", b->error ? b->error->message : "");
    cr_assert_str_eq(b->name, "faulty/ok");
    cr_assert_eq(b->kind, KIND_MICRO);
    cr_assert_str_eq(b->unit, "ns");
    cr_assert_eq(b->nsamples, 5);
    cr_assert_eq(b->st.n, 5);
    cr_assert_geq(b->iterations, 1);
    for (i = 0; i < b->nsamples; i++)
        cr_assert_gt(b->samples[i], 0);
    cr_assert_str_eq(b->binary, faulty_bin());
    result_free(&r);
}

/* Beside each sample, its CPU time and its wait for a core (where the
 * kernel keeps schedstat, as here): one of each per sample, the wait
 * never more than the sample's time in its window of the call. */
Test(runner, cpu_time_and_wait_of_each_sample)
{
    struct run_opts o = quick();
    struct result r;
    struct bench *b;
    const struct metric *cpu = NULL, *wait = NULL;
    size_t i;

    o.set.samples = 6;
    o.set.processes = 2;
    b = run_one(&r, "ok", &o);
    cr_assert_null(b->error);
    for (i = 0; i < b->nmetrics; i++) {
        if (!strcmp(b->metrics[i].name, QUERY_CPU_METRIC))
            cpu = &b->metrics[i];
        if (!strcmp(b->metrics[i].name, QUERY_WAIT_METRIC))
            wait = &b->metrics[i];
    }
    cr_assert_not_null(cpu);
    cr_assert_not_null(wait);
    cr_assert_eq(cpu->nsamples, 6);
    cr_assert_eq(wait->nsamples, 6);
    for (i = 0; i < 6; i++) {
        cr_assert_gt(cpu->samples[i], 0);
        cr_assert_geq(wait->samples[i], 0);
    }
    result_free(&r);
}

Test(runner, samples_split_across_processes)
{
    struct run_opts o = quick();
    struct result r;
    struct bench *b;

    o.set.samples = 7;
    o.set.processes = 3;
    b = run_one(&r, "ok", &o);
    cr_assert_null(b->error);
    cr_assert_eq(b->nsamples, 7);
    cr_assert_eq(b->processes, 3);
    result_free(&r);
}

Test(runner, budget_without_count)
{
    struct run_opts o = quick();
    struct result r;
    struct bench *b;

    o.set.samples = 0;
    o.set.budget_ns = 50000000;
    b = run_one(&r, "ok", &o);
    cr_assert_null(b->error);
    cr_assert_geq(b->nsamples, 3);
    result_free(&r);
}

Test(runner, adaptive_stops_at_ci_target)
{
    struct run_opts o = quick();
    struct result r;
    struct bench *b;

    o.set.samples = 0;
    o.set.budget_ns = 2000000000ULL;
    o.set.ci_target = 0.5;
    b = run_one(&r, "ok", &o);
    cr_assert_null(b->error);
    cr_assert_geq(b->nsamples, RUNNER_ADAPTIVE_MIN);
    result_free(&r);
}

Test(runner, adaptive_rule)
{
    double tight[12], loose[12];
    size_t i;

    /* Values within +-0.5 % of 100: the median's CI is far inside +-1 %. */
    for (i = 0; i < 12; i++) {
        tight[i] = 100 + (double)(i % 3) * 0.5 - 0.5;
        loose[i] = i % 2 ? 50 : 150;
    }
    cr_assert(runner_ci_done(tight, 12, 0.01));
    cr_assert(!runner_ci_done(tight, 9, 0.01), "needs at least 10 samples");
    /* Half the values at 50, half at 150: the CI spans about 50..150. */
    cr_assert(!runner_ci_done(loose, 12, 0.01));
    cr_assert(runner_ci_done(loose, 12, 0.6));
}

static void expect_error(const char *name, const char *msg, int sig, int code, int timed_out,
                         const char *tail)
{
    struct run_opts o = quick();
    struct result r;
    struct bench *b;

    o.set.timeout_ns = 1000000000ULL;
    b = run_one(&r, name, &o);
    cr_assert_not_null(b->error, "%s: no error", name);
    cr_assert_str_eq(b->error->message, msg);
    cr_assert_eq(b->error->signal, sig, "%s: signal %d", name, b->error->signal);
    cr_assert_eq(b->error->exit_code, code, "%s: exit %d", name, b->error->exit_code);
    cr_assert_eq(b->error->timed_out, timed_out);
    if (tail)
        cr_assert_str_eq(b->error->stderr_tail ? b->error->stderr_tail : "(none)", tail);
    cr_assert_eq(result_nerrors(&r), 1);
    result_free(&r);
}

Test(runner, segfault_is_recorded)
{
    expect_error("segv", "killed by signal 11 (SIGSEGV) (in calibration)", SIGSEGV, -1, 0,
                 "about to crash");
}

Test(runner, abort_is_recorded)
{
    expect_error("aborts", "killed by signal 6 (SIGABRT) (in calibration)", SIGABRT, -1, 0, NULL);
}

Test(runner, exit_code_is_recorded)
{
    expect_error("exits", "exited with status 7 (in calibration)", 0, 7, 0, "giving up with 7");
}

Test(runner, hang_times_out)
{
    expect_error("hangs", "timed out after 1 s (in calibration)", 0, -1, 1, NULL);
}

/* pacer_skip is recorded as skipped, not as an error; a misuse is one. */
Test(runner, skip_and_misuse_are_recorded)
{
    struct run_opts o = quick();
    struct result r;
    struct bench *b = run_one(&r, "skipped", &o);

    cr_expect_null(b->error);
    cr_assert_not_null(b->skipped);
    cr_expect_str_eq(b->skipped, "no database here");
    cr_expect_eq(b->nsamples, 0);
    result_free(&r);
    expect_error("no_loop",
                 "calibration: the benchmark function returned without running its timed "
                 "loop", 0, -1, 0, NULL);
    expect_error("param_typo/size=1",
                 "calibration: pacer_param: no parameter named 'sise'", 0, -1, 0, NULL);
}

Test(runner, crash_in_teardown_keeps_samples)
{
    struct run_opts o = quick();
    struct result r;
    struct bench *b = run_one(&r, "late_crash", &o);

    cr_assert_not_null(b->error);
    cr_assert_str_eq(b->error->message, "killed by signal 11 (SIGSEGV) (in teardown)");
    cr_assert_eq(b->nsamples, 5);
    result_free(&r);
}

Test(runner, not_a_binary)
{
    struct listing l;
    struct err e = {0};

    cr_assert_eq(runner_list("/nonexistent/suite", 1000000000ULL, &l, &e), -1);
    cr_assert_str_eq(e.msg, "cannot run /nonexistent/suite: No such file or directory");
    listing_free(&l);
}

Test(runner, not_a_worker)
{
    struct listing l;
    struct err e = {0};

    cr_assert_eq(runner_list("/bin/true", 1000000000ULL, &l, &e), -1);
    cr_assert_str_eq(e.msg, "does not answer the pacer worker protocol (exited with status 0)");
    listing_free(&l);
}

/* A threaded benchmark under pacer run: its thread count is a parameter
 * (as in an import of Google Benchmark's), its samples the times its
 * threads gave (manual time): 750 ns (tests/fixtures/gbfeat.c). */
Test(runner, threads_and_manual_time_under_a_worker)
{
    struct run_opts o = quick();
    struct listing l;
    struct err e = {0};
    struct result r;
    struct bench *b;
    char bin[512];
    size_t i;

    build_path(bin, sizeof bin, "tests/fixtures/gbfeat");
    cr_assert_eq(runner_list(bin, 10000000000ULL, &l, &e), 0, "%s", e.msg);
    result_init(&r);
    b = result_add_bench(&r);
    cr_assert_eq(runner_bench(bin, "gbfeat", find(&l, "team/manual_time/threads:2"), &o, b), 0);
    cr_assert_null(b->error, "%s", b->error ? b->error->message : "");
    cr_assert_str_eq(b->name, "gbfeat/team/manual_time/threads:2");
    cr_assert_eq(b->nparams, 1);
    cr_assert_str_eq(b->params[0].name, "threads");
    cr_assert(b->params[0].is_int && b->params[0].ival == 2);
    cr_assert_eq(b->nsamples, 5);
    for (i = 0; i < b->nsamples; i++)
        cr_assert_float_eq(b->samples[i], 750, 1e-9, "%g", b->samples[i]);
    listing_free(&l);
    result_free(&r);
}

/* User counters come through the worker protocol ("user") into the
 * benchmark's counters, a value per sample, with their flags
 * (tests/fixtures/gbfeat.c: 3 items per 1 us iteration as a rate). */
Test(runner, user_counters_under_a_worker)
{
    struct run_opts o = quick();
    struct listing l;
    struct err e = {0};
    struct result r;
    struct bench *b;
    struct metric *m;
    char bin[512];
    size_t i;

    o.set.processes = 2;
    build_path(bin, sizeof bin, "tests/fixtures/gbfeat");
    cr_assert_eq(runner_list(bin, 10000000000ULL, &l, &e), 0, "%s", e.msg);
    result_init(&r);
    b = result_add_bench(&r);
    cr_assert_eq(runner_bench(bin, "gbfeat", find(&l, "counted/manual_time"), &o, b), 0);
    cr_assert_null(b->error, "%s", b->error ? b->error->message : "");
    cr_assert_eq(b->ncounters, 3);
    cr_assert_not_null(m = bench_counter(b, "items"));
    cr_assert_eq(m->flags, COUNTER_RATE);
    cr_assert_str_eq(m->unit, "/s");
    cr_assert_eq(m->nsamples, b->nsamples);
    for (i = 0; i < m->nsamples; i++)
        cr_assert_float_eq(m->samples[i], 3e6, 1e-3);
    cr_assert_float_eq(m->st.median, 3e6, 1e-3);
    cr_assert_not_null(m = bench_counter(b, "per_op"));
    cr_assert_eq(m->flags, COUNTER_AVG_ITERATIONS);
    cr_assert_float_eq(m->st.median, 2, 1e-12);
    cr_assert_not_null(m = bench_counter(b, "plain"));
    cr_assert_str_eq(m->unit, "");
    cr_assert_float_eq(m->st.median, 42, 1e-12);
    listing_free(&l);
    result_free(&r);
}
