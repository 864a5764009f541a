/*
 * test_basis.c: what a comparison rests on (compare/basis.c): CPU time
 * when it tracks wall time in the least disturbed sample of each side, or
 * once each sample's recorded wait for a core is taken off, the samples
 * otherwise; and what that does to an A/A comparison whose
 * runs waited for a core.
 */
#include "tests/helpers.h"

#include "compare/basis.h"
#include "compare/compare.h"
#include "compare/report/report.h"

/* n samples of a benchmark whose work costs cpu_ns an iteration: each
 * sample waits for a core a random fraction up to wait (the first one not
 * at all), and scale multiplies its wall time (3: it sleeps twice its
 * work; 0.5: two threads work in parallel). */
static struct bench *add(struct result *r, const char *name, double cpu_ns, double wait,
                         double scale, size_t n, size_t k, uint64_t seed)
{
    struct bench *b = result_add_bench(r);
    struct metric *m;
    struct rng g;
    size_t i;

    cr_assert_not_null(b);
    rng_seed(&g, seed);
    b->name = xstrdup(name);
    b->samples = malloc(n * sizeof *b->samples);
    m = bench_add_metric(b, BASIS_CPU_METRIC, "ns", DIR_LOWER);
    cr_assert(b->samples && m);
    m->samples = malloc(n * sizeof *m->samples);
    cr_assert_not_null(m->samples);
    b->nsamples = m->nsamples = n;
    for (i = 0; i < n; i++) {
        double c = cpu_ns * exp(0.002 * rng_normal(&g));
        m->samples[i] = c;
        b->samples[i] = c * scale * (1 + (i ? wait * rng_uniform(&g) : 0));
    }
    if (k > 1) {
        b->proc_samples = malloc(k * sizeof *b->proc_samples);
        cr_assert_not_null(b->proc_samples);
        b->nproc_samples = k;
        b->processes = (unsigned)k;
        for (i = 0; i < k; i++)
            b->proc_samples[i] = n / k + (i < n % k);
    }
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
    return b;
}

Test(basis, cpu_time_when_it_tracks_wall_time)
{
    struct result a, b;
    struct basis bs;

    result_init(&a);
    result_init(&b);
    /* CPU-bound, waiting up to 60 % for a core: CPU time */
    add(&a, "busy", 1000, 0.6, 1, 40, 1, 1);
    add(&b, "busy", 1000, 0.6, 1, 40, 1, 2);
    basis_pick(&a.benches[0], &b.benches[0], &bs);
    cr_expect(bs.on_cpu);
    cr_expect_eq(bs.base, a.benches[0].metrics[0].samples);
    cr_expect_gt(bs.wait_base, 0.1);
    /* quiet: CPU time too (the two agree) */
    add(&a, "quiet", 1000, 0, 1, 40, 1, 3);
    add(&b, "quiet", 1000, 0, 1, 40, 1, 4);
    basis_pick(&a.benches[1], &b.benches[1], &bs);
    cr_expect(bs.on_cpu);
    cr_expect_lt(fabs(bs.wait_new), 0.001);
    /* it sleeps: its wall time is not its CPU time */
    add(&a, "sleeps", 1000, 0, 3, 40, 1, 5);
    add(&b, "sleeps", 1000, 0, 3, 40, 1, 6);
    basis_pick(&a.benches[2], &b.benches[2], &bs);
    cr_expect_not(bs.on_cpu);
    cr_expect_eq(bs.base, a.benches[2].samples);
    /* threads in parallel: neither */
    add(&a, "parallel", 1000, 0, 0.5, 40, 1, 7);
    add(&b, "parallel", 1000, 0, 0.5, 40, 1, 8);
    basis_pick(&a.benches[3], &b.benches[3], &bs);
    cr_expect_not(bs.on_cpu);
    /* the new build starts to sleep: wall time, where the change is */
    add(&a, "starts", 1000, 0, 1, 40, 1, 9);
    add(&b, "starts", 1000, 0, 1.5, 40, 1, 10);
    basis_pick(&a.benches[4], &b.benches[4], &bs);
    cr_expect_not(bs.on_cpu);
    result_free(&a);
    result_free(&b);
}

/* Record each sample's wait for a core as the worker does (metric
 * "wait"): its wall time above its CPU time times scale; every sample of
 * every side waited (first included), as on a machine with both cores
 * busy, so no sample ever ran undisturbed. */
static void waited_always(struct bench *b, double scale, double sleep_share)
{
    struct metric *w = bench_add_metric(b, BASIS_WAIT_METRIC, "ns", DIR_LOWER);
    const struct metric *c = &b->metrics[0];
    size_t i;

    cr_assert(w);
    w->samples = malloc(b->nsamples * sizeof *w->samples);
    cr_assert_not_null(w->samples);
    w->nsamples = b->nsamples;
    for (i = 0; i < b->nsamples; i++) {
        b->samples[i] = c->samples[i] * scale;
        /* of the time above the CPU time, sleep_share was not a wait for a core */
        w->samples[i] = (b->samples[i] - c->samples[i]) * (1 - sleep_share);
    }
}

Test(basis, the_wait_for_a_core_taken_off)
{
    struct result a, b;
    struct basis bs;

    result_init(&a);
    result_init(&b);
    /* every sample waited for a core, 1.5 to 2.5 times its work: without
     * the waits no sample tracks, with them the work is the CPU's */
    waited_always(add(&a, "busy", 1000, 0, 1, 40, 1, 1), 2.5, 0);
    waited_always(add(&b, "busy", 1000, 0, 1, 40, 1, 2), 1.5, 0);
    basis_pick(&a.benches[0], &b.benches[0], &bs);
    cr_expect(bs.on_cpu);
    cr_expect_gt(bs.wait_base, 1.4);
    /* the same waits, but a third of the time above the CPU time is sleep:
     * not the CPU's work */
    waited_always(add(&a, "sleeps", 1000, 0, 1, 40, 1, 3), 2.5, 0.3);
    waited_always(add(&b, "sleeps", 1000, 0, 1, 40, 1, 4), 2.5, 0.3);
    basis_pick(&a.benches[1], &b.benches[1], &bs);
    cr_expect_not(bs.on_cpu);
    /* threads in parallel (less wall time than CPU time): never */
    waited_always(add(&a, "parallel", 1000, 0, 1, 40, 1, 5), 0.5, 0);
    waited_always(add(&b, "parallel", 1000, 0, 1, 40, 1, 6), 0.5, 0);
    basis_pick(&a.benches[2], &b.benches[2], &bs);
    cr_expect_not(bs.on_cpu);
    result_free(&a);
    result_free(&b);
}

Test(basis, without_cpu_times_the_samples)
{
    struct result a, b;
    struct basis bs;

    result_init(&a);
    result_init(&b);
    add(&a, "x", 1000, 0.5, 1, 20, 1, 11);
    add(&b, "x", 1000, 0.5, 1, 20, 1, 12);
    b.benches[0].metrics[0].nsamples = 19;   /* not one per sample: unusable */
    basis_pick(&a.benches[0], &b.benches[0], &bs);
    cr_expect_not(bs.on_cpu);
    cr_expect(isnan(bs.wait_new));
    cr_expect_eq(bs.nw, b.benches[0].samples);
    result_free(&a);
    result_free(&b);
}

/* Two runs of one build, each waiting up to 80 % for a core: on wall time
 * the processes disagree by far more than any threshold; on CPU time the
 * comparison says unchanged, and the report says why. */
Test(basis, a_busy_a_a_is_unchanged)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    struct err e = {0};
    char line[512];
    size_t i;

    result_init(&a);
    result_init(&b);
    for (i = 0; i < 10; i++) {
        char name[16];
        snprintf(name, sizeof name, "b%zu", i);
        add(&a, name, 1000 * (double)(i + 1), 0.8, 1, 40, 10, 100 + i);
        add(&b, name, 1000 * (double)(i + 1), 0.8, 1, 40, 10, 200 + i);
    }
    compare_opts_default(&o);
    cr_assert_eq(compare_results(&a, &b, &o, &c, &e), 0, "%s", e.msg);
    cr_expect_eq(c.n_cpu, 10);
    cr_expect_gt(c.wait_max, 0.2);
    for (i = 0; i < c.nrows; i++) {
        cr_expect(c.rows[i].on_cpu);
        cr_expect_eq(c.rows[i].verdict, VERDICT_UNCHANGED, "%s: %g [%g, %g]", c.rows[i].name,
                     c.rows[i].change, c.rows[i].change_lo, c.rows[i].change_hi);
        /* the columns show the CPU times the change is taken between */
        cr_expect(rel_eq(c.rows[i].base_value, 1000 * (double)(i + 1), 0.01));
    }
    report_method(line, sizeof line, &c);
    cr_expect_not_null(strstr(line, "10 of 10 benchmarks compared on CPU time"), "%s", line);
    cr_expect_not_null(strstr(line, "the runs waited for a core"), "%s", line);
    comparison_free(&c);
    /* the same runs without their CPU times: the waits decide */
    for (i = 0; i < a.nbenches; i++)
        a.benches[i].metrics[0].nsamples = 0;
    cr_assert_eq(compare_results(&a, &b, &o, &c, &e), 0, "%s", e.msg);
    cr_expect_eq(c.n_cpu, 0);
    cr_expect_lt(c.count[VERDICT_UNCHANGED], 10);
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}
