/*
 * test_limit.c: limits (parsing, the value of a named metric of a
 * benchmark, checking them against benchmarks) of harness/result/limit.c,
 * on benchmarks built in memory from seeded noise.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rng.h"
#include "harness/lib/rx.h"
#include "harness/result/limit.h"

/* n lognormal samples around center (sigma in log units), one process. */
static struct bench *add(struct result *r, const char *name, double center, double sigma,
                         size_t n, uint64_t seed)
{
    struct bench *b = result_add_bench(r);
    struct rng g;
    size_t i;

    cr_assert_not_null(b);
    rng_seed(&g, seed);
    b->name = strdup(name);
    b->samples = malloc(n * sizeof *b->samples);
    b->nsamples = n;
    for (i = 0; i < n; i++)
        b->samples[i] = center * exp(sigma * rng_normal(&g));
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
    return b;
}

/* Add a metric of three samples to b. */
static void metric3(struct bench *b, const char *name, const char *unit, double a, double c,
                    double d)
{
    struct metric *m = bench_add_metric(b, name, unit, DIR_LOWER);

    m->samples = calloc(3, sizeof *m->samples);
    m->samples[0] = a;
    m->samples[1] = c;
    m->samples[2] = d;
    m->nsamples = 3;
}

Test(limit, syntax)
{
    struct limit l;
    struct err e = {0};

    cr_assert_eq(limit_parse("latency.p99 < 50ms", &l, &e), 0);
    cr_assert_str_eq(l.metric, "latency.p99");
    cr_assert_eq(l.op, LIMIT_LT);
    cr_assert_float_eq(l.value, 50e6, 1e-6);
    cr_assert_null(l.pattern);
    limit_free(&l);
    cr_assert_eq(limit_parse("throughput>=20k/s", &l, &e), 0);
    cr_assert_eq(l.op, LIMIT_GE);
    cr_assert_float_eq(l.value, 20000, 1e-9);
    limit_free(&l);
    cr_assert_eq(limit_parse("errors.rate < 0.1%", &l, &e), 0);
    cr_assert_float_eq(l.value, 0.001, 1e-15);
    limit_free(&l);
    cr_assert_eq(limit_parse("max_rss.median < 64MiB", &l, &e), 0);
    cr_assert_float_eq(l.value, 64.0 * 1024 * 1024, 1e-6);
    limit_free(&l);
    cr_assert_eq(limit_parse("median = 3", &l, &e), -1);
    cr_assert_str_eq(e.msg, "limit 'median = 3': expected METRIC < VALUE or METRIC > VALUE");
    err_clear(&e);
    cr_assert_eq(limit_parse("median < fast", &l, &e), -1);
    cr_assert_str_eq(e.msg, "limit 'median < fast': 'fast' is not a number with a unit (ns us "
                            "ms s, B KiB MiB, %, k M)");
    err_clear(&e);
    cr_assert_eq(limit_parse(" < 3ms", &l, &e), -1);
    cr_assert_str_eq(e.msg, "limit ' < 3ms': no metric before the operator");
    err_clear(&e);
    cr_assert_eq(limit_parse("(: median < 3ms", &l, &e), -1);
    cr_assert_str_eq(e.msg, "limit '(: median < 3ms': '(' is not a valid regular expression");
}

Test(limit, metric_values)
{
    struct result r;
    struct bench *b;
    double v;

    result_init(&r);
    b = add(&r, "c", 1000, 0.01, 10, 91);
    metric3(b, "user", "ns", 1, 2, 3);
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
    cr_assert_eq(bench_metric_value(b, "median", &v), 0);
    cr_assert_float_eq(v, b->st.median, 1e-12);
    cr_assert_eq(bench_metric_value(b, "p99", &v), 0);
    cr_assert_eq(bench_metric_value(b, "user.max", &v), 0);
    cr_assert_float_eq(v, 3, 1e-12);
    cr_assert_eq(bench_metric_value(b, "metrics.user.median", &v), 0);
    cr_assert_float_eq(v, 2, 1e-12);
    cr_assert_eq(bench_metric_value(b, "user", &v), 0);
    cr_assert_float_eq(v, 2, 1e-12);
    cr_assert_eq(bench_metric_value(b, "throughput", &v), 0);
    cr_assert_float_eq(v, 1e9 / b->st.median, 1e-6);
    cr_assert_eq(bench_metric_value(b, "latency.p99", &v), -1);
    cr_assert_eq(bench_metric_value(b, "nonsense", &v), -1);
    result_free(&r);
}

/* Load benchmarks' metrics have dots in their names: the whole name wins,
 * then NAME.STAT at the last dot. */
Test(limit, metric_values_with_dotted_names)
{
    struct result r;
    struct bench *b;
    double v;

    result_init(&r);
    b = add(&r, "load", 1000, 0.01, 3, 92);
    metric3(b, "latency.p99", "ns", 3e6, 1e6, 2e6);
    metric3(b, "latency.p99.9", "ns", 9e6, 7e6, 8e6);
    metric3(b, "throughput", "req/s", 100, 300, 200);
    metric3(b, "errors.rate", "ratio", 0, 0.002, 0.001);
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
    cr_assert_eq(bench_metric_value(b, "latency.p99", &v), 0);
    cr_assert_float_eq(v, 2e6, 1e-6, "the median over the repetitions");
    cr_assert_eq(bench_metric_value(b, "latency.p99.9", &v), 0);
    cr_assert_float_eq(v, 8e6, 1e-6);
    cr_assert_eq(bench_metric_value(b, "latency.p99.max", &v), 0);
    cr_assert_float_eq(v, 3e6, 1e-6);
    cr_assert_eq(bench_metric_value(b, "latency.p99.9.min", &v), 0);
    cr_assert_float_eq(v, 7e6, 1e-6);
    cr_assert_eq(bench_metric_value(b, "metrics.errors.rate", &v), 0);
    cr_assert_float_eq(v, 0.001, 1e-12);
    cr_assert_eq(bench_metric_value(b, "throughput", &v), 0, "the metric, not 1/median");
    cr_assert_float_eq(v, 200, 1e-9);
    cr_assert_eq(bench_metric_value(b, "latency.p50", &v), -1);
    cr_assert_str_eq(bench_metric_unit(b, "latency.p99"), "ns");
    cr_assert_str_eq(bench_metric_unit(b, "throughput"), "req/s");
    cr_assert_str_eq(bench_metric_unit(b, "errors.rate.max"), "ratio");
    cr_assert_str_eq(bench_metric_unit(b, "latency.p99.cv"), "");
    cr_assert_str_eq(bench_metric_unit(b, "median"), "ns");
    result_free(&r);
}

/* texts[0..n) parsed into l, each one holding. */
static void parse_all(const char *const *texts, struct limit *l, size_t n)
{
    struct err e = {0};
    size_t i;

    for (i = 0; i < n; i++)
        cr_assert_eq(limit_parse(texts[i], &l[i], &e), 0, "%s", e.msg);
}

/* A limit whose pattern names none of the benchmarks is left out when
 * asked (a scenario's thresholds checked on one of its benchmarks), else it
 * is an error. */
Test(limit, check_on_some_benchmarks)
{
    static const char *const texts[] = {"latency.p99 < 5ms", "^other: latency.p99 < 1ms"};
    struct limit l[2];
    struct limit_checks lc = {0};
    struct result r;
    struct bench *b;
    struct err e = {0};
    size_t i;

    result_init(&r);
    b = add(&r, "load", 1000, 0.01, 3, 93);
    metric3(b, "latency.p99", "ns", 3e6, 1e6, 2e6);
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
    parse_all(texts, l, 2);
    for (i = 0; i < 2; i++)
        cr_assert_eq(limit_check(&l[i], b, 1, NULL, 1, &lc, &e), 0, "%s", e.msg);
    cr_assert_eq(lc.n, 1, "the limit for other benchmarks is left out");
    cr_assert(lc.v[0].pass);
    cr_assert_eq(lc.failed, 0);
    cr_assert_str_eq(lc.v[0].unit, "ns");
    limit_checks_free(&lc);
    cr_assert_eq(limit_check(&l[1], b, 1, NULL, 0, &lc, &e), -1);
    cr_assert_str_eq(e.msg, "limit '^other: latency.p99 < 1ms': no benchmark matching ^other has "
                            "the metric 'latency.p99'");
    limit_checks_free(&lc);
    for (i = 0; i < 2; i++)
        limit_free(&l[i]);
    result_free(&r);
}

/* A limit holds only for what its unit measures: a time for metrics in ns,
 * a size for metrics in bytes; a plain number, k or % for any.  A time
 * limit on a suite of counts alone is an error that says so. */
Test(limit, only_where_the_unit_fits)
{
    static const char *const texts[] = {"median < 1us", "median < 10k", "server.rss < 1MiB",
                                        "cv < 5%"};
    struct limit l[4];
    struct limit_checks lc = {0};
    struct result r;
    struct bench *b;
    struct err e = {0};
    size_t i;

    result_init(&r);
    b = add(&r, "time", 500, 0.01, 5, 1);          /* ns */
    b = add(&r, "count", 5000, 0.01, 5, 2);
    free(b->unit);
    b->unit = strdup("ops");
    metric3(b, "server.rss", "bytes", 4e5, 5e5, 6e5);
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
    parse_all(texts, l, 4);
    cr_assert_eq(l[0].dim, LIMIT_TIME);
    cr_assert_eq(l[1].dim, LIMIT_ANY);
    cr_assert_eq(l[2].dim, LIMIT_BYTES);
    cr_assert_eq(limit_check(&l[0], r.benches, 2, NULL, 0, &lc, &e), 0, "%s", e.msg);
    cr_assert_eq(lc.n, 1, "the count has no time");
    cr_assert_str_eq(lc.v[0].bench, "time");
    cr_assert(lc.v[0].pass);
    limit_checks_free(&lc);
    cr_assert_eq(limit_check(&l[1], r.benches, 2, NULL, 0, &lc, &e), 0, "%s", e.msg);
    cr_assert_eq(lc.n, 2, "a plain number holds for both");
    cr_assert_eq(lc.failed, 0);
    limit_checks_free(&lc);
    cr_assert_eq(limit_check(&l[2], r.benches, 2, NULL, 0, &lc, &e), 0, "%s", e.msg);
    cr_assert_eq(lc.n, 1);
    cr_assert(lc.v[0].pass);
    limit_checks_free(&lc);
    cr_assert_eq(limit_check(&l[3], r.benches, 2, NULL, 0, &lc, &e), 0, "%s", e.msg);
    cr_assert_eq(lc.n, 2);
    limit_checks_free(&lc);
    cr_assert_eq(limit_check(&l[0], r.benches + 1, 1, NULL, 0, &lc, &e), -1);
    cr_assert_str_eq(e.msg, "limit 'median < 1us': a time, but no benchmark has 'median' as a "
                            "time (count's is in ops)");
    limit_checks_free(&lc);
    for (i = 0; i < 4; i++)
        limit_free(&l[i]);
    result_free(&r);
}

/* A pattern whose repetitions multiply past 10,000 copies, or stack more
 * than 3 quantifiers, is refused at once: glibc would take gigabytes to
 * compile x{1000}{1000} or thirty nested +'s, and minutes for a*+++++++
 * (found by fuzzing).  Ordinary patterns still compile. */
Test(limit, huge_repetitions_are_refused)
{
    struct limit l;
    struct err e = {0};

    cr_assert_eq(limit_parse("x{1000}{1000}: median < 1us", &l, &e), -1);
    cr_assert(strstr(e.msg, "not a valid regular expression"), "%s", e.msg);
    cr_assert_eq(limit_parse("a++++++++++++++++++++++++++++++: median < 1us", &l, &e), -1);
    cr_assert_eq(limit_parse("(a(b{30}){30}){30}x: median < 1us", &l, &e), -1);
    cr_assert_eq(rx_nodes("a+b+c+d+e+f+g+h+i+j+k+l+m+n+"), 28);
    cr_assert_eq(rx_nodes("(ab|cd){3}"), 12);
    cr_assert_eq(rx_nodes("x{2,5}y{3,}"), 9);
    cr_assert_gt(rx_nodes("a*++++"), RX_MAX_NODES);
    cr_assert_gt(rx_nodes("((((a*)*)*)*)*"), RX_MAX_NODES);
    cr_assert_eq(rx_nodes("(a+)*"), 2);
    cr_assert_eq(limit_parse("size=(64|256){1,2}[{]: median < 1us", &l, &e), 0, "%s", e.msg);
    limit_free(&l);
    cr_assert_eq(limit_parse("a{100}b{100}: median < 1us", &l, &e), 0, "%s", e.msg);
    limit_free(&l);
}
