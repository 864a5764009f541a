/*
 * test_result.c: the result model (result.c): settings, benchmarks,
 * parameters, metrics, errors, statistics and the names of kinds and
 * directions.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/stats.h"
#include "harness/result/result.h"
#include "harness/result/version.h"
#include "helpers.h"

/* ---- the model ---------------------------------------------------------- */

Test(model, settings_default)
{
    struct settings s;

    memset(&s, 0xff, sizeof s);
    settings_default(&s);
    cr_expect_eq(s.warmup_ns, 200000000u);
    cr_expect_eq(s.sample_target_ns, 10000000u);
    cr_expect_eq(s.samples, 30u);
    cr_expect_eq(s.budget_ns, 0u);
    cr_expect_eq(s.ci_target, 0.0);
    cr_expect_eq(s.processes, 1u);
    cr_expect_eq(s.timeout_ns, 60000000000u);
    cr_expect_eq(s.warmup_runs, 1u);
    cr_expect_eq(s.seed, STATS_DEFAULT_SEED);
    cr_expect_eq(s.ci_level, 0.95);
}

Test(model, init_and_add_bench)
{
    struct result r;
    struct bench *b;

    result_init(&r);
    cr_expect_eq(r.schema_major, RESULT_SCHEMA_MAJOR);
    cr_expect_eq(r.schema_minor, RESULT_SCHEMA_MINOR);
    cr_expect_eq(r.complete, 1);
    cr_expect_eq(r.ctx.git_dirty, -1);
    cr_expect_eq(r.ctx.cpus, -1);
    cr_expect(isnan(r.ctx.loadavg[0]) && isnan(r.ctx.clock_read_ns));
    cr_expect_eq(r.set.samples, 30u);
    cr_expect_eq(r.nbenches, 0u);

    b = result_add_bench(&r);
    cr_assert_not_null(b);
    cr_expect_eq(b->iterations, 1u);
    cr_expect_eq(b->processes, 1u);
    cr_expect_eq(b->dir, DIR_LOWER);
    cr_expect_eq(b->kind, KIND_MICRO);
    cr_expect_str_eq(b->unit, "ns");
    cr_expect_null(b->error);
    cr_expect_eq(b->nsamples, 0u);
    b->name = xstrdup("a");
    b = result_add_bench(&r);
    cr_assert_not_null(b);
    b->name = xstrdup("b");
    cr_expect_eq(r.nbenches, 2u);
    cr_expect_eq(result_find(&r, "b"), &r.benches[1]);
    cr_expect_eq(result_find(&r, "a"), &r.benches[0]);
    cr_expect_null(result_find(&r, "c"));
    cr_expect_null(result_find(&r, NULL));
    result_free(&r);
    cr_expect_eq(r.nbenches, 0u);
    cr_expect_null(r.benches);
    result_free(&r);   /* freeing twice is harmless */
}

Test(model, params_and_metrics)
{
    struct result r;
    struct bench *b;
    struct metric *m;

    result_init(&r);
    b = result_add_bench(&r);
    cr_assert_not_null(b);
    cr_assert_eq(bench_add_param_int(b, "size", -9223372036854775807LL - 1), 0);
    cr_assert_eq(bench_add_param_str(b, "mode", "x"), 0);
    cr_assert_eq(b->nparams, 2u);
    cr_expect_str_eq(b->params[0].name, "size");
    cr_expect_str_eq(b->params[0].value, "-9223372036854775808");
    cr_expect(b->params[0].is_int);
    cr_expect_eq(b->params[0].ival, -9223372036854775807LL - 1);
    cr_expect_str_eq(b->params[1].value, "x");
    cr_expect_not(b->params[1].is_int);
    cr_expect_eq(bench_add_param_str(b, "bad", NULL), -1);
    cr_expect_eq(b->nparams, 2u);

    m = bench_add_metric(b, "sys", "ns", DIR_LOWER);
    cr_assert_not_null(m);
    cr_expect_str_eq(m->name, "sys");
    cr_expect_str_eq(m->unit, "ns");
    cr_expect_eq(b->nmetrics, 1u);
    cr_expect_null(bench_add_metric(b, "x", NULL, DIR_LOWER));
    result_free(&r);
}

Test(model, first_error_wins)
{
    struct result r;
    struct bench *b;
    struct bench_error *be, *again;
    char longmsg[3000];

    result_init(&r);
    b = result_add_bench(&r);
    cr_assert_not_null(b);
    cr_expect_eq(result_nerrors(&r), 0u);
    memset(longmsg, 'x', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    be = bench_set_error(b, "exit code %d: %s", 3, longmsg);
    cr_assert_not_null(be);
    cr_expect_eq(strlen(be->message), strlen("exit code 3: ") + sizeof longmsg - 1);
    cr_expect_eq(strncmp(be->message, "exit code 3: xxx", 16), 0);
    cr_expect_eq(be->signal, 0);
    cr_expect_eq(be->exit_code, -1);
    cr_expect_eq(be->timed_out, 0);
    cr_expect_null(be->stderr_tail);
    again = bench_set_error(b, "second");
    cr_expect_eq(again, be);
    cr_expect_eq(strncmp(b->error->message, "exit code 3", 11), 0);
    result_add_bench(&r);
    cr_expect_eq(result_nerrors(&r), 1u);
    result_free(&r);
}

Test(model, compute_stats_covers_metrics)
{
    static const double x[] = {3, 1, 2};
    struct result r;
    struct bench *b;
    struct metric *m;

    result_init(&r);
    b = result_add_bench(&r);
    cr_assert_not_null(b);
    set_samples(&b->samples, &b->nsamples, x, 3);
    m = bench_add_metric(b, "user", "ns", DIR_LOWER);
    cr_assert_not_null(m);
    set_samples(&m->samples, &m->nsamples, x, 2);
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
    cr_expect_eq(b->st.n, 3u);
    cr_expect_eq(b->st.median, 2.0);
    cr_expect_eq(b->metrics[0].st.n, 2u);
    cr_expect_eq(b->metrics[0].st.mean, 2.0);
    result_free(&r);
}

Test(model, enum_names)
{
    enum bench_kind k;
    enum direction d;

    cr_expect_str_eq(kind_name(KIND_MICRO), "micro");
    cr_expect_str_eq(kind_name(KIND_COMMAND), "command");
    cr_expect_str_eq(kind_name(KIND_LOAD), "load");
    cr_expect_str_eq(direction_name(DIR_LOWER), "lower");
    cr_expect_str_eq(direction_name(DIR_HIGHER), "higher");
    cr_expect_eq(kind_parse("command", &k), 0);
    cr_expect_eq(k, KIND_COMMAND);
    cr_expect_eq(kind_parse("load", &k), 0);
    cr_expect_eq(k, KIND_LOAD);
    cr_expect_eq(kind_parse("micro", &k), 0);
    cr_expect_eq(k, KIND_MICRO);
    cr_expect_eq(kind_parse("Micro", &k), -1);
    cr_expect_eq(kind_parse("", &k), -1);
    cr_expect_eq(kind_parse(NULL, &k), -1);
    cr_expect_eq(direction_parse("higher", &d), 0);
    cr_expect_eq(d, DIR_HIGHER);
    cr_expect_eq(direction_parse("lower", &d), 0);
    cr_expect_eq(d, DIR_LOWER);
    cr_expect_eq(direction_parse("up", &d), -1);
    cr_expect_eq(kind_parse(kind_name((enum bench_kind)7), &k), -1);
}

/* ---- the name index ------------------------------------------------------- */

Test(model, index_finds_every_name)
{
    struct result r;
    struct result_index ix;
    char name[32];

    result_init(&r);
    for (int i = 0; i < 1000; i++) {
        struct bench *b = result_add_bench(&r);

        cr_assert_not_null(b);
        snprintf(name, sizeof name, "suite/bench%d", i);
        b->name = strdup(name);
    }
    result_add_bench(&r);   /* one without a name */
    r.benches[500].name[6] = 'B';   /* "suite/Bench500" */
    free(r.benches[7].name);
    r.benches[7].name = strdup("suite/bench3");   /* a second "suite/bench3" */
    cr_assert_eq(result_index_build(&ix, &r), 0);
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "suite/bench%d", i);
        cr_assert_eq(result_index_find(&ix, name), result_find(&r, name), "%s", name);
    }
    cr_assert_eq(result_index_find(&ix, "suite/bench3"), &r.benches[3], "the first one");
    cr_assert_eq(result_index_find(&ix, "suite/Bench500"), &r.benches[500]);
    cr_assert_null(result_index_find(&ix, "suite/bench500"));
    cr_assert_null(result_index_find(&ix, "suite/bench7"));
    cr_assert_null(result_index_find(&ix, ""));
    cr_assert_null(result_index_find(&ix, NULL));
    result_index_free(&ix);
    result_free(&r);
}

Test(model, index_of_an_empty_result)
{
    struct result r;
    struct result_index ix;

    result_init(&r);
    cr_assert_eq(result_index_build(&ix, &r), 0);
    cr_assert_null(result_index_find(&ix, "x"));
    result_index_free(&ix);
    result_free(&r);
}
