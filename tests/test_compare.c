/*
 * test_compare.c: verdicts, correction, allowance, limits and exit codes of
 * compare.c, on results built in memory from seeded noise (no timing).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "compare/whole.h"
#include "harness/cli/cmd.h"
#include "harness/lib/rng.h"

/* k processes of n/k lognormal samples around center (sigma in log units),
 * each process shifted by its own offset of sigma_p. */
static void fill(struct bench *b, const char *name, double center, double sigma, size_t n,
                 size_t k, double sigma_p, uint64_t seed)
{
    struct rng r;
    size_t i, p, per = n / k;

    rng_seed(&r, seed);
    b->name = strdup(name);
    b->samples = malloc(n * sizeof *b->samples);
    b->nsamples = n;
    if (k > 1) {
        b->proc_samples = malloc(k * sizeof *b->proc_samples);
        b->nproc_samples = k;
        b->processes = (unsigned)k;
    }
    for (p = 0, i = 0; p < k; p++) {
        double off = sigma_p * rng_normal(&r);
        size_t cnt = p + 1 == k ? n - i : per;
        if (k > 1)
            b->proc_samples[p] = cnt;
        for (size_t j = 0; j < cnt; j++, i++)
            b->samples[i] = center * exp(off + sigma * rng_normal(&r));
    }
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
}

static struct bench *add(struct result *r, const char *name, double center, double sigma,
                         size_t n, size_t k, double sigma_p, uint64_t seed)
{
    struct bench *b = result_add_bench(r);

    cr_assert_not_null(b);
    fill(b, name, center, sigma, n, k, sigma_p, seed);
    return b;
}

static const struct compare_row *row(const struct comparison *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->nrows; i++)
        if (!strcmp(c->rows[i].name, name))
            return &c->rows[i];
    cr_assert_fail("no row %s", name);
    return NULL;
}

/* Two empty results and the default options without drift widening:
 * the opening of the tests that build their runs by hand. */
static void begin(struct result *a, struct result *b, struct compare_opts *o)
{
    result_init(a);
    result_init(b);
    compare_opts_default(o);
    o->drift = 0;
}

static void run(const struct result *a, const struct result *b, const struct compare_opts *o,
                struct comparison *c)
{
    struct err e = {0};

    cr_assert_eq(compare_results(a, b, o, c, &e), 0, "%s", e.msg);
}

Test(compare, verdicts_unpaired_with_processes)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    o.drift = 0;   /* a small suite: no drift allowance, to test the verdicts */
    /* 5 processes of 6 samples, 1 % noise, 0.3 % between processes. */
    add(&a, "same", 100, 0.01, 30, 5, 0.003, 1);
    add(&b, "same", 100, 0.01, 30, 5, 0.003, 2);
    add(&a, "slower", 100, 0.01, 30, 5, 0.003, 3);
    add(&b, "slower", 110, 0.01, 30, 5, 0.003, 4);
    add(&a, "faster", 100, 0.01, 30, 5, 0.003, 5);
    add(&b, "faster", 90, 0.01, 30, 5, 0.003, 6);
    add(&a, "noisy", 100, 0.30, 30, 5, 0.05, 7);
    add(&b, "noisy", 105, 0.30, 30, 5, 0.05, 8);
    run(&a, &b, &o, &c);
    cr_assert_eq(row(&c, "same")->verdict, VERDICT_UNCHANGED);
    cr_assert_eq(row(&c, "slower")->verdict, VERDICT_REGRESSED);
    cr_assert_float_eq(row(&c, "slower")->change, 0.10, 0.02);
    cr_assert_lt(row(&c, "slower")->change_lo, 0.10);
    cr_assert_gt(row(&c, "slower")->change_hi, 0.10);
    cr_assert_eq(row(&c, "faster")->verdict, VERDICT_IMPROVED);
    cr_assert_eq(row(&c, "noisy")->verdict, VERDICT_INCONCLUSIVE);
    cr_assert_eq(row(&c, "same")->k_base, 5);
    cr_assert_eq(row(&c, "same")->allowance, 0);
    cr_assert(!c.drift_estimated, "4 benchmarks are too few to measure drift");
    cr_assert_eq(c.count[VERDICT_REGRESSED], 1);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_REGRESSION);
    cr_assert_eq(compare_exit_code(&c, 1), EXIT_UNTRUSTED, "noisy is inconclusive");
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

/* Slow the first `hit` processes of b by `by` (interference: another
 * process on the core's sibling for their whole life) and recompute. */
static void slow_processes(struct bench *b, size_t hit, double by)
{
    size_t p, i = 0, j;

    for (p = 0; p < b->nproc_samples; p++)
        for (j = 0; j < b->proc_samples[p]; j++, i++)
            if (p < hit)
                b->samples[i] *= 1 + by;
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
}

/* An A/A pair where interference hit none of 10 processes of the base
 * run and 8 of the new (each 30 % slower for its whole life): the
 * processes' shift is large and sure, the best process's none, so that is
 * not a regression; a real 10 % slowdown with the same interference moves
 * the best process too and stays one. */
Test(compare, interference_in_some_processes_is_not_the_code)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    const struct compare_row *r;

    begin(&a, &b, &o);
    add(&a, "aa", 100, 0.01, 100, 10, 0.003, 1);
    slow_processes(add(&b, "aa", 100, 0.01, 100, 10, 0.003, 2), 8, 0.30);
    add(&a, "real", 100, 0.01, 100, 10, 0.003, 3);
    slow_processes(add(&b, "real", 110, 0.01, 100, 10, 0.003, 4), 8, 0.30);
    run(&a, &b, &o, &c);
    r = row(&c, "aa");
    cr_assert_gt(r->change_lo, 0.05, "the processes' median moved: %g", r->change_lo);
    cr_assert(r->floor_known);
    cr_assert_lt(fabs(r->floor_change), 0.01, "%g", r->floor_change);
    cr_assert_eq(r->verdict, VERDICT_INCONCLUSIVE);
    cr_assert(strstr(r->note, "the best process moved"), "%s", r->note);
    r = row(&c, "real");
    cr_assert_float_eq(r->floor_change, 0.10, 0.01);
    cr_assert_eq(r->verdict, VERDICT_REGRESSED);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_REGRESSION);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

/* Two speeds a process, and a run that drew more slow processes than the
 * one before (as heap_insert_pop/n=4096 in two default runs: 3 of 10 slow,
 * then 9 of 10): the new side's one fast process is as fast as the base's,
 * within the gap to its next: not the code.  A real 17 % slowdown moves
 * every process, fast ones too: still regressed. */
Test(compare, a_run_that_drew_slower_processes_is_not_the_code)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    const struct compare_row *r;

    begin(&a, &b, &o);
    slow_processes(add(&a, "mix", 60, 0.003, 30, 10, 0.002, 1), 3, 0.18);
    slow_processes(add(&b, "mix", 61.2, 0.003, 30, 10, 0.002, 2), 9, 0.18);
    slow_processes(add(&a, "real", 60, 0.003, 30, 10, 0.002, 3), 3, 0.18);
    slow_processes(add(&b, "real", 60 * 1.17, 0.003, 30, 10, 0.002, 4), 3, 0.18);
    run(&a, &b, &o, &c);
    r = row(&c, "mix");
    cr_assert_gt(r->change_lo, 0.015, "the processes' median moved: %g", r->change_lo);
    cr_assert(r->floor_known);
    cr_assert_gt(r->floor_change, 0.015, "beyond the threshold: %g", r->floor_change);
    cr_assert_gt(r->floor_gap, 0.15, "%g", r->floor_gap);
    cr_assert_eq(r->verdict, VERDICT_INCONCLUSIVE);
    cr_assert(strstr(r->note, "gap to the next"), "%s", r->note);
    r = row(&c, "real");
    cr_assert_float_eq(r->floor_change, 0.17, 0.01);
    cr_assert_lt(r->floor_gap, 0.02, "%g", r->floor_gap);
    cr_assert_eq(r->verdict, VERDICT_REGRESSED);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

Test(compare, higher_is_better)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    o.drift = 0;   /* a small suite: no drift allowance, to test the verdicts */
    add(&a, "rps", 1000, 0.01, 30, 5, 0.002, 11)->dir = DIR_HIGHER;
    add(&b, "rps", 900, 0.01, 30, 5, 0.002, 12)->dir = DIR_HIGHER;
    run(&a, &b, &o, &c);
    /* 10 % fewer per second is 11 % worse. */
    cr_assert_eq(row(&c, "rps")->verdict, VERDICT_REGRESSED);
    cr_assert_float_eq(row(&c, "rps")->change, 1000.0 / 900 - 1, 0.02);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

Test(compare, one_process_gets_the_drift_allowance)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    /* A tight 6 % shift from single processes: within 1.5 % + 10 %. */
    add(&a, "x", 100, 0.005, 30, 1, 0, 21);
    add(&b, "x", 106, 0.005, 30, 1, 0, 22);
    run(&a, &b, &o, &c);
    cr_assert_eq(row(&c, "x")->verdict, VERDICT_INCONCLUSIVE);
    cr_assert_float_eq(row(&c, "x")->allowance, COMPARE_DRIFT_DEFAULT, 1e-12);
    cr_assert_eq(c.n_allowance, 1);
    cr_assert_lt(row(&c, "x")->change_lo, 0);
    comparison_free(&c);
    /* --drift 0 trusts the run: now it is a regression. */
    o.drift = 0;
    run(&a, &b, &o, &c);
    cr_assert_eq(row(&c, "x")->verdict, VERDICT_REGRESSED);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

/* Runs that cannot support a verdict never get one beyond inconclusive:
 * one worker process a side (whatever the samples say), and too few
 * processes or worker pairs for the CI's level. */
Test(compare, weak_runs_are_never_regressed)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    struct bench *x, *y;
    size_t i;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    /* a tight 45 % slowdown, one process a side: the run-to-run spread of
     * one process is unseen, so no verdict */
    add(&a, "one", 100, 0.002, 30, 1, 0, 71);
    add(&b, "one", 145, 0.002, 30, 1, 0, 72);
    /* 2 processes a side: the Hodges-Lehmann interval of 2 x 2 process
     * medians cannot reach 95 % (its least two-sided level is 1 - 2/6) */
    add(&a, "two", 100, 0.002, 30, 2, 0.001, 73);
    add(&b, "two", 145, 0.002, 30, 2, 0.001, 74);
    /* 4 processes a side can: 2/C(8,4) = 0.029 */
    add(&a, "four", 100, 0.002, 32, 4, 0.001, 75);
    add(&b, "four", 145, 0.002, 32, 4, 0.001, 76);
    run(&a, &b, &o, &c);
    cr_expect_eq(row(&c, "one")->verdict, VERDICT_INCONCLUSIVE);
    cr_expect(row(&c, "one")->weak);
    cr_expect_not_null(strstr(row(&c, "one")->note, "one worker process a side"));
    cr_expect_not_null(strstr(row(&c, "one")->note, "--processes 10"));
    cr_expect_eq(row(&c, "two")->verdict, VERDICT_INCONCLUSIVE);
    cr_expect_str_eq(row(&c, "two")->note,
                     "2 and 2 worker processes are too few for a 95% CI (run with "
                     "--processes 10)");
    cr_expect_eq(row(&c, "four")->verdict, VERDICT_REGRESSED);
    cr_expect_not(row(&c, "four")->weak);
    cr_expect_eq(compare_exit_code(&c, 0), 1);   /* "four" */
    comparison_free(&c);
    result_free(&a);
    result_free(&b);

    /* paired: 3 worker pairs that all say +5 % are too few for a 95 %
     * sign-test interval (it needs 6): inconclusive, exit 0 */
    result_init(&a);
    result_init(&b);
    o.paired = 1;
    x = add(&a, "p", 100, 0.001, 12, 3, 0, 77);
    y = add(&b, "p", 100, 0.001, 12, 3, 0, 78);
    for (i = 0; i < 12; i++)
        y->samples[i] = x->samples[i] * 1.05;
    run(&a, &b, &o, &c);
    cr_expect_eq(row(&c, "p")->verdict, VERDICT_INCONCLUSIVE);
    cr_expect(row(&c, "p")->weak);
    cr_expect_gt(row(&c, "p")->change_lo, 0.04);
    cr_expect_eq(compare_exit_code(&c, 0), 0);
    cr_expect_eq(compare_exit_code(&c, 1), 3);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

Test(compare, threshold_rules_first_match)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    struct err e = {0};

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    o.drift = 0;   /* a small suite: no drift allowance, to test the verdicts */
    cr_assert_eq(compare_add_rule(&o, "^loose", 0.20, &e), 0);
    cr_assert_eq(compare_add_rule(&o, "^lo", 0.01, &e), 0);
    add(&a, "loose/x", 100, 0.01, 30, 5, 0.002, 31);
    add(&b, "loose/x", 110, 0.01, 30, 5, 0.002, 32);
    add(&a, "low/x", 100, 0.01, 30, 5, 0.002, 33);
    add(&b, "low/x", 110, 0.01, 30, 5, 0.002, 34);
    run(&a, &b, &o, &c);
    cr_assert_float_eq(row(&c, "loose/x")->threshold, 0.20, 1e-12);
    cr_assert_eq(row(&c, "loose/x")->verdict, VERDICT_UNCHANGED);
    cr_assert_float_eq(row(&c, "low/x")->threshold, 0.01, 1e-12);
    cr_assert_eq(row(&c, "low/x")->verdict, VERDICT_REGRESSED);
    comparison_free(&c);
    compare_opts_free(&o);
    result_free(&a);
    result_free(&b);
}

Test(compare, correction_across_the_suite)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c1, c2;
    char name[32];
    int i;

    /* 40 benchmarks of 6 samples, one shifted by 30 %: its samples all
     * lie above the base's, the smallest exact p of 6 against 6 (2/924);
     * significant alone, not after Holm's x40. */
    begin(&a, &b, &o);
    o.threshold = 0.005;
    for (i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "b%02d", i);
        add(&a, name, 100, 0.02, 6, 1, 0, 100 + (uint64_t)i);
        add(&b, name, i == 0 ? 130 : 100, 0.02, 6, 1, 0, 200 + (uint64_t)i);
    }
    o.adjust = ADJUST_NONE;
    run(&a, &b, &o, &c1);
    o.adjust = ADJUST_HOLM;
    run(&a, &b, &o, &c2);
    cr_assert_float_eq(row(&c1, "b00")->p_adj, 2.0 / 924, 1e-12);
    cr_assert_eq(row(&c1, "b00")->verdict, VERDICT_REGRESSED);
    cr_assert_float_eq(row(&c2, "b00")->p_adj, 40 * 2.0 / 924, 1e-12);
    cr_assert_neq(row(&c2, "b00")->verdict, VERDICT_REGRESSED);
    comparison_free(&c1);
    comparison_free(&c2);
    result_free(&a);
    result_free(&b);
}

Test(compare, bad_benchmarks)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    struct bench *x;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    o.drift = 0;   /* a small suite: no drift allowance, to test the verdicts */
    add(&a, "ok", 100, 0.01, 30, 5, 0.002, 41);
    add(&b, "ok", 100, 0.01, 30, 5, 0.002, 42);
    add(&a, "one", 100, 0.01, 1, 1, 0, 43);
    add(&b, "one", 150, 0.01, 1, 1, 0, 44);
    add(&a, "zero", 100, 0.01, 10, 1, 0, 45);
    x = add(&b, "zero", 100, 0.01, 10, 1, 0, 46);
    x->samples[3] = 0;
    add(&a, "crashed", 100, 0.01, 10, 1, 0, 47);
    x = add(&b, "crashed", 100, 0.01, 10, 1, 0, 48);
    bench_set_error(x, "killed by signal 11 (SIGSEGV) (in sampling)");
    add(&a, "gone", 100, 0.01, 10, 1, 0, 49);
    add(&b, "fresh", 100, 0.01, 10, 1, 0, 50);
    run(&a, &b, &o, &c);
    cr_assert_eq(row(&c, "ok")->verdict, VERDICT_UNCHANGED);
    cr_assert_eq(row(&c, "one")->verdict, VERDICT_INCONCLUSIVE);
    cr_assert_str_eq(row(&c, "one")->note,
                     "1 sample in base, 1 in new: noise cannot be told from change");
    cr_assert_eq(row(&c, "zero")->verdict, VERDICT_ERROR);
    cr_assert_str_eq(row(&c, "zero")->note, "new sample 3 is 0: ratios need values above zero");
    cr_assert_eq(row(&c, "crashed")->verdict, VERDICT_ERROR);
    cr_assert_str_eq(row(&c, "crashed")->note,
                     "new failed: killed by signal 11 (SIGSEGV) (in sampling)");
    cr_assert_eq(row(&c, "gone")->verdict, VERDICT_BASE_ONLY);
    cr_assert_eq(row(&c, "fresh")->verdict, VERDICT_NEW_ONLY);
    cr_assert_eq(row(&c, "zero")->bad_side, 2);
    cr_assert_eq(row(&c, "zero")->bad_index, 3);
    cr_assert(row(&c, "one")->untrusted);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_BAD_INPUT, "a zero time is bad input");
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

Test(compare, nothing_in_common)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    struct err e = {0};

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    add(&a, "x", 100, 0.01, 10, 1, 0, 51);
    add(&b, "y", 100, 0.01, 10, 1, 0, 52);
    cr_assert_eq(compare_results(&a, &b, &o, &c, &e), -1);
    cr_assert_str_eq(e.msg, "no benchmark in common: the two results ran different suites");
    result_free(&a);
    result_free(&b);
}

Test(compare, paired)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    struct rng r;
    struct bench *x, *y;
    size_t i;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    o.paired = 1;
    /* 40 pairs sharing a drifting machine state; new is 2 % slower. */
    x = add(&a, "p", 100, 0.01, 40, 1, 0, 61);
    y = add(&b, "p", 100, 0.01, 40, 1, 0, 62);
    rng_seed(&r, 63);
    for (i = 0; i < 40; i++) {
        double m = 100 * exp(0.05 * sin((double)i / 5) + 0.002 * rng_normal(&r));
        x->samples[i] = m * exp(0.003 * rng_normal(&r));
        y->samples[i] = m * 1.02 * exp(0.003 * rng_normal(&r));
    }
    run(&a, &b, &o, &c);
    cr_assert_float_eq(row(&c, "p")->threshold, COMPARE_THRESHOLD_PAIRED, 1e-12);
    cr_assert_eq(row(&c, "p")->verdict, VERDICT_REGRESSED, "change %g [%g, %g]",
                 row(&c, "p")->change, row(&c, "p")->change_lo, row(&c, "p")->change_hi);
    cr_assert_float_eq(row(&c, "p")->change, 0.02, 0.003);
    comparison_free(&c);
    /* The same data unpaired: the drift (+-5 %) hides the 2 %. */
    o.paired = 0;
    o.drift = 0;
    o.threshold = 0.01;
    run(&a, &b, &o, &c);
    cr_assert_neq(row(&c, "p")->verdict, VERDICT_REGRESSED);
    comparison_free(&c);
    /* Unequal counts cannot be pairs. */
    y->nsamples = 39;
    o.paired = 1;
    run(&a, &b, &o, &c);
    cr_assert_eq(row(&c, "p")->verdict, VERDICT_ERROR);
    cr_assert_str_eq(row(&c, "p")->note, "not paired: 40 base and 39 new samples");
    y->nsamples = 40;
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

Test(compare, geomean)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    struct bench *x;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    x = add(&a, "up", 100, 0.01, 10, 1, 0, 71);
    for (size_t i = 0; i < x->nsamples; i++)
        x->samples[i] = 100;
    x = add(&b, "up", 100, 0.01, 10, 1, 0, 72);
    for (size_t i = 0; i < x->nsamples; i++)
        x->samples[i] = 110;
    x = add(&a, "down", 100, 0.01, 10, 1, 0, 73);
    for (size_t i = 0; i < x->nsamples; i++)
        x->samples[i] = 110;
    x = add(&b, "down", 100, 0.01, 10, 1, 0, 74);
    for (size_t i = 0; i < x->nsamples; i++)
        x->samples[i] = 100;
    run(&a, &b, &o, &c);
    cr_assert_eq(c.ngeomean, 2);
    cr_assert_float_eq(c.geomean, 1.0, 1e-12);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

Test(compare, limits)
{
    struct result b;
    struct compare_opts o;
    struct comparison c;
    struct limit l;
    struct err e = {0};
    struct bench *x;

    result_init(&b);
    compare_opts_default(&o);
    x = add(&b, "hash/copy", 2, 0.01, 10, 1, 0, 81);   /* ~2 ns */
    x->bytes_per_op = 64;                              /* ~32 GB/s */
    add(&b, "json/decode", 3000, 0.01, 10, 1, 0, 82);  /* ~3 us */
    o.limits = calloc(3, sizeof *o.limits);
    cr_assert_eq(limit_parse("median < 2.5us", &o.limits[0], &e), 0, "%s", e.msg);
    cr_assert_eq(limit_parse("hash/.*: throughput > 20GB/s", &o.limits[1], &e), 0, "%s", e.msg);
    cr_assert_eq(limit_parse("json/.*: p99 <= 1ms", &o.limits[2], &e), 0, "%s", e.msg);
    o.nlimits = 3;
    cr_assert_eq(compare_limits(&b, &o, &c, &e), 0, "%s", e.msg);
    cr_assert_eq(c.nchecks, 4);
    cr_assert_eq(c.limits_failed, 1, "json/decode's median is above 2.5 us");
    cr_assert(c.checks[0].pass);
    cr_assert(!c.checks[1].pass);
    cr_assert_str_eq(c.checks[1].bench, "json/decode");
    cr_assert(c.checks[2].pass);
    x = result_find(&b, "hash/copy");   /* (adding benches moved it) */
    cr_assert_float_eq(c.checks[2].value, 64e9 / x->st.median, 1e-6);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_REGRESSION);
    comparison_free(&c);
    compare_opts_free(&o);
    /* A metric nobody has is an error, not a silent pass. */
    compare_opts_default(&o);
    o.limits = calloc(1, sizeof *o.limits);
    cr_assert_eq(limit_parse("latency.p99 < 50ms", &o.limits[0], &e), 0);
    o.nlimits = 1;
    cr_assert_eq(compare_limits(&b, &o, &c, &e), -1);
    cr_assert_str_eq(e.msg, "limit 'latency.p99 < 50ms': no benchmark has the metric "
                            "'latency.p99'");
    compare_opts_free(&o);
    result_free(&b);
    (void)l;
}

/* Suites of n benchmarks b00, b01, ...: in a (when given) each at 100, in
 * b b00 at first and the others at rest, 10 processes each; every process
 * carries a reference, a's at 140000 + k and 500000 + k ns, b's those
 * scaled by rc (compute) and rm (memory).  Seeds from sa and sb. */
static void suites(struct result *a, struct result *b, int n, double first, double rest,
                   double rc, double rm, uint64_t sa, uint64_t sb)
{
    char name[16];
    int i, k;

    for (i = 0; i < n; i++) {
        struct bench *x = NULL, *y;
        snprintf(name, sizeof name, "b%02d", i);
        if (a)
            x = add(a, name, 100, 0.003, 30, 10, 0.004, sa + (uint64_t)i);
        y = add(b, name, i == 0 ? first : rest, 0.003, 30, 10, 0.004, sb + (uint64_t)i);
        for (k = 0; k < 10; k++) {
            if (x)
                cr_assert_eq(bench_add_reference(x, 140000 + k, 500000 + k), 0);
            cr_assert_eq(bench_add_reference(y, rc * (140000 + k), rm * (500000 + k)), 0);
        }
    }
}

/* A suite of 20 whose new run is 6 % slower as a whole, one benchmark 6 % +
 * 20 % slower: the drift is measured from the suite, the others stay quiet,
 * the one far beyond it is still caught.  With the machine's reference 6 %
 * slower too, the machine moved the run, and the one may be the machine
 * too (two runs of one build once had a benchmark 76 % slower where the
 * suite was 7 %): regressed, exit 3; without a reference, machine and code
 * cannot be told apart (exit 3).  On a machine 6 % faster, the one 13 %
 * slower is the code: exit 1. */
Test(compare, drift_measured_from_the_suite)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    int i;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    suites(&a, &b, 20, 100 * 1.06 * 1.20, 106, 1.06, 1.05, 300, 400);
    run(&a, &b, &o, &c);
    cr_assert(c.drift_estimated);
    cr_assert_float_eq(c.suite_shift, 0.06, 0.005);
    cr_assert_eq(c.whole, WHOLE_MACHINE);
    cr_assert_float_eq(c.ref_compute, 0.06, 1e-9);
    cr_assert_float_eq(c.ref_memory, 0.05, 1e-9);
    cr_assert_eq(c.whole_n, 20);
    cr_assert_eq(c.whole_worse, 20);
    cr_assert_eq(c.count[VERDICT_REGRESSED], 1, "%zu regressed", c.count[VERDICT_REGRESSED]);
    cr_assert_eq(row(&c, "b00")->verdict, VERDICT_REGRESSED);
    cr_assert_eq(row(&c, "b05")->verdict, VERDICT_INCONCLUSIVE, "a 6 %% shift of the whole run");
    cr_assert_gt(row(&c, "b05")->allowance, 0.058);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_UNTRUSTED);
    comparison_free(&c);
    /* no reference on one side: cannot be told */
    for (i = 0; i < 20; i++)
        b.benches[i].nref = 0;
    run(&a, &b, &o, &c);
    cr_assert_eq(c.whole, WHOLE_UNTOLD);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_UNTRUSTED);
    comparison_free(&c);
    result_free(&b);
    /* a machine 6 % faster, reference and all */
    result_init(&b);
    suites(NULL, &b, 20, 100 * 0.94 * 1.20, 94, 0.94, 0.95, 0, 500);
    run(&a, &b, &o, &c);
    cr_assert_eq(c.whole, WHOLE_MACHINE);
    cr_assert_lt(c.whole_shift, -0.05);
    cr_assert_eq(row(&c, "b00")->verdict, VERDICT_REGRESSED);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_REGRESSION);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

/* A suite made 12 % slower by the code, in a run whose reference memory
 * part drifted 16 % (it does, between runs of this VM, 5 to 25 %) and whose
 * compute part held: neither part moved as far as the run, so the machine
 * does not explain it (it did, as anything between the two parts): exit 3,
 * not a silent pass. */
Test(compare, a_part_of_the_reference_must_move_as_far_as_the_run)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    suites(&a, &b, 20, 112, 112, 1.002, 1.16, 700, 800);
    run(&a, &b, &o, &c);
    cr_assert_float_eq(c.whole_shift, 0.12, 0.005);
    cr_assert_float_eq(c.ref_memory, 0.16, 1e-9);
    cr_assert_eq(c.whole, WHOLE_UNTOLD, "%s", whole_name(c.whole));
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_UNTRUSTED);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

/* An A/A pair whose new run met a slower machine: the suite 2 % slower
 * as a whole, the reference's memory part 13 % slower, and one benchmark
 * (one that waits on memory) 11 % slower.  The machine moved the run, and
 * the one benchmark is within what the machine alone can do: inconclusive,
 * not regressed; and a run worse as a whole that the reference only
 * likely explains is exit 3 (not 1, not a pass). */
Test(compare, the_machine_moved_as_far_as_its_reference)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    suites(&a, &b, 18, 111, 102, 1.003, 1.13, 700, 800);
    run(&a, &b, &o, &c);
    cr_assert_eq(c.whole, WHOLE_MACHINE);
    cr_assert_float_eq(c.ref_memory, 0.13, 1e-9);
    cr_assert_gt(row(&c, "b00")->allowance, 0.12);
    cr_assert_eq(row(&c, "b00")->verdict, VERDICT_INCONCLUSIVE);
    cr_assert_eq(c.count[VERDICT_REGRESSED], 0);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_UNTRUSTED);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

/* The code slows the whole suite while the machine's reference holds:
 * the run is called worse as a whole (exit 1), and its benchmarks are
 * decided against the machine's own drift, not against the suite's shift.
 * The case: a +10.7 % slowdown of a 6-benchmark suite run with
 * --processes 10. */
Test(compare, the_code_slowed_the_whole_run)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    char name[16];
    int i, k;

    result_init(&a);
    result_init(&b);
    compare_opts_default(&o);
    for (i = 0; i < 6; i++) {
        struct bench *x, *y;
        snprintf(name, sizeof name, "b%02d", i);
        x = add(&a, name, 100, 0.003, 30, 10, 0.004, 500 + (uint64_t)i);
        y = add(&b, name, 110.7, 0.003, 30, 10, 0.004, 600 + (uint64_t)i);
        for (k = 0; k < 10; k++) {
            cr_assert_eq(bench_add_reference(x, 140000 + k, 500000 + k), 0);
            cr_assert_eq(bench_add_reference(y, 140000 + k, 500000 - k), 0);
        }
    }
    run(&a, &b, &o, &c);
    cr_assert_eq(c.whole, WHOLE_CODE);
    cr_assert_float_eq(c.whole_shift, 0.107, 0.01);
    cr_assert_lt(c.whole_p, 0.05);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_REGRESSION);
    comparison_free(&c);
    /* 20 benchmarks, the code +8 %: the allowance is the machine's, so each shows */
    result_free(&a);
    result_free(&b);
    result_init(&a);
    result_init(&b);
    for (i = 0; i < 20; i++) {
        struct bench *x, *y;
        snprintf(name, sizeof name, "c%02d", i);
        x = add(&a, name, 100, 0.003, 30, 10, 0.004, 700 + (uint64_t)i);
        y = add(&b, name, 108, 0.003, 30, 10, 0.004, 800 + (uint64_t)i);
        for (k = 0; k < 10; k++) {
            cr_assert_eq(bench_add_reference(x, 140000, 500000), 0);
            cr_assert_eq(bench_add_reference(y, 140000, 500000), 0);
        }
    }
    run(&a, &b, &o, &c);
    cr_assert_eq(c.whole, WHOLE_CODE);
    cr_assert_lt(row(&c, "c03")->allowance, 0.01);
    cr_assert_eq(c.count[VERDICT_REGRESSED], 20, "%zu regressed", c.count[VERDICT_REGRESSED]);
    comparison_free(&c);
    /* an A/A of the same shape: steady */
    for (i = 0; i < 20; i++)
        for (k = 0; k < 30; k++)
            b.benches[i].samples[k] /= 1.08;
    run(&a, &b, &o, &c);
    cr_assert_eq(c.whole, WHOLE_STEADY);
    cr_assert_eq(c.count[VERDICT_REGRESSED], 0);
    cr_assert_eq(compare_exit_code(&c, 0), EXIT_OK);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

/* The fixed allowance stands in for what a side's CIs cannot see: for
 * files of other tools the replicates are what they hold, the repetitions
 * of a Google Benchmark file and the runs of a command (each a process of
 * its own), so a suite of them measures its drift and needs no fixed
 * floor; a pacer run in one process still gets it. */
Test(compare, import_replicates_replace_the_fixed_floor)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    char name[16];
    int i, imported;

    compare_opts_default(&o);
    for (imported = 0; imported < 2; imported++) {
        result_init(&a);
        result_init(&b);
        if (imported) {
            a.ctx.pacer_version = strdup("imported");
            b.ctx.pacer_version = strdup("imported");
        }
        for (i = 0; i < 10; i++) {
            snprintf(name, sizeof name, "BM_%02d", i);
            add(&a, name, 100, 0.01, 10, 1, 0, 500 + (uint64_t)i);
            add(&b, name, i == 0 ? 120 : 100, 0.01, 10, 1, 0, 600 + (uint64_t)i);
        }
        run(&a, &b, &o, &c);
        cr_assert(c.drift_estimated);
        cr_expect_eq(c.base_imported, imported);
        cr_expect_eq(row(&c, "BM_05")->reps_base, imported ? 10u : 1u);
        if (imported) {
            cr_expect_lt(row(&c, "BM_05")->allowance, 0.05, "from the suite: %g",
                         row(&c, "BM_05")->allowance);
            cr_expect_eq(row(&c, "BM_00")->verdict, VERDICT_REGRESSED);
        } else {
            /* one worker process a side: no verdict (the suite's allowance) */
            cr_expect(row(&c, "BM_05")->weak);
            cr_expect_eq(row(&c, "BM_00")->verdict, VERDICT_INCONCLUSIVE);
        }
        comparison_free(&c);
        result_free(&a);
        result_free(&b);
    }
    /* A command of pacer's: its runs in one spell are one replicate (a
     * slow spell moves them all), so no verdict, as one process; spread
     * over 5 spells (pacer run --processes 5), each spell a replicate; a
     * hyperfine file's runs are all it has: each a replicate; 3 spells a
     * side are too few for the interval of their shift to reach 95 %. */
    for (i = 0; i < 4; i++) {
        result_init(&a);
        result_init(&b);
        if (i == 2) {
            a.ctx.pacer_version = strdup("imported");
            b.ctx.pacer_version = strdup("imported");
        }
        size_t spells = i == 1 ? 5 : i == 3 ? 3 : 1;

        add(&a, "cmd", 100, 0.01, 15, spells, 0, 700)->kind = KIND_COMMAND;
        add(&b, "cmd", 120, 0.01, 15, spells, 0, 701)->kind = KIND_COMMAND;
        run(&a, &b, &o, &c);
        cr_expect_eq(row(&c, "cmd")->reps_new, i == 2 ? 15u : spells, "case %d", i);
        cr_expect_float_eq(row(&c, "cmd")->allowance, COMPARE_DRIFT_DEFAULT, 1e-12,
                           "one benchmark: the suite cannot measure the drift");
        cr_expect_eq(row(&c, "cmd")->weak, i == 0 || i == 3, "case %d", i);
        cr_expect_eq(row(&c, "cmd")->verdict,
                     i == 0 || i == 3 ? VERDICT_INCONCLUSIVE : VERDICT_REGRESSED, "case %d: %s",
                     i, row(&c, "cmd")->note);
        if (i == 0)
            cr_expect(strstr(row(&c, "cmd")->note, "all runs in one spell a side"), "%s",
                      row(&c, "cmd")->note);
        if (i == 3)
            cr_expect(strstr(row(&c, "cmd")->note,
                             "3 and 3 spells of runs are too few for a 95% CI (run with "
                             "--processes 10)"),
                      "%s", row(&c, "cmd")->note);
        comparison_free(&c);
        result_free(&a);
        result_free(&b);
    }
}

/* A large compare measures its rows on several threads (compare.c,
 * rows_measure): every row's ratio, interval and p-value are those of the
 * same benchmark compared alone. */
Test(compare, many_rows_as_each_alone)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    size_t i, n = 1200;

    result_init(&a);
    result_init(&b);
    for (i = 0; i < n; i++) {
        char name[32];
        size_t k = i % 3 == 0 ? 3 : 1;
        snprintf(name, sizeof name, "m/%04zu", i);
        add(&a, name, 100 + (double)i, 0.02, 12, k, 0.005, 1000 + i);
        add(&b, name, (100 + (double)i) * (1 + 0.0001 * (double)(i % 50)), 0.02, 12, k, 0.005,
            5000 + i);
    }
    compare_opts_default(&o);
    run(&a, &b, &o, &c);
    cr_assert_eq(c.nrows, n);
    for (i = 0; i < n; i += 37) {
        struct result a1, b1;
        struct comparison c1;
        const struct compare_row *r = row(&c, a.benches[i].name), *r1;

        result_init(&a1);
        result_init(&b1);
        add(&a1, a.benches[i].name, 100 + (double)i, 0.02, 12, i % 3 == 0 ? 3 : 1, 0.005,
            1000 + i);
        add(&b1, a.benches[i].name, (100 + (double)i) * (1 + 0.0001 * (double)(i % 50)), 0.02,
            12, i % 3 == 0 ? 3 : 1, 0.005, 5000 + i);
        run(&a1, &b1, &o, &c1);
        r1 = &c1.rows[0];
        cr_expect_eq(r->ratio, r1->ratio, "%s", r->name);
        cr_expect_eq(r->ratio_ci.lo, r1->ratio_ci.lo, "%s", r->name);
        cr_expect_eq(r->ratio_ci.hi, r1->ratio_ci.hi, "%s", r->name);
        cr_expect_eq(r->p, r1->p, "%s", r->name);
        comparison_free(&c1);
        result_free(&a1);
        result_free(&b1);
    }
    comparison_free(&c);
    compare_opts_free(&o);
    result_free(&a);
    result_free(&b);
}
