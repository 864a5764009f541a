/*
 * test_result_write.c: writing result files (result_write.c): round trips
 * of the golden good files and of a fully populated result (saving what
 * was loaded is stable: save(load(save(x))) is byte-identical to save(x)),
 * doubles kept bit for bit, UTF-8 repaired, and atomic saves that leave
 * nothing behind when they fail.  Run from the repository root (the paths
 * are relative to it).
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/lib/stats.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "harness/result/version.h"
#include "helpers.h"

#define DATA "tests/data/result"

/* ---- helpers ---------------------------------------------------------- */

/* Names in the scratch directory (or its subdirectory sub) other than "."
 * and "..", comma-separated, sorted by the directory (so tests can say
 * "only a.json is there"). */
static void tmp_listing(char *buf, size_t size, const char *sub)
{
    char dir[512];
    struct dirent *de;
    DIR *d;

    snprintf(dir, sizeof dir, "%s%s%s", tmp_dir(), sub ? "/" : "", sub ? sub : "");
    d = opendir(dir);
    cr_assert_not_null(d);
    buf[0] = '\0';
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (buf[0])
            strncat(buf, ",", size - strlen(buf) - 1);
        strncat(buf, de->d_name, size - strlen(buf) - 1);
    }
    closedir(d);
}

static void expect_same_doubles(const double *a, size_t na, const double *b, size_t nb,
                                const char *what)
{
    size_t i;

    cr_expect_eq(na, nb, "%s: %zu vs %zu values", what, na, nb);
    for (i = 0; i < na && i < nb; i++)
        cr_expect(same_double(a[i], b[i]), "%s[%zu]: %.17g vs %.17g", what, i, a[i], b[i]);
}

/* With no samples there are no statistics: written as null, read back
 * as n 0 and NaN, whatever the struct held. */
static void expect_same_stats(const struct stats *a, const struct stats *b, const char *what)
{
    cr_expect_eq(a->n, b->n, "%s.n", what);
    if (a->n == 0 && b->n == 0)
        return;
    cr_expect(same_double(a->mean, b->mean), "%s.mean", what);
    cr_expect(same_double(a->median, b->median), "%s.median", what);
    cr_expect(same_double(a->stddev, b->stddev), "%s.stddev", what);
    cr_expect(same_double(a->mad, b->mad), "%s.mad", what);
    cr_expect(same_double(a->min, b->min), "%s.min", what);
    cr_expect(same_double(a->max, b->max), "%s.max", what);
    cr_expect(same_double(a->p5, b->p5), "%s.p5", what);
    cr_expect(same_double(a->p25, b->p25), "%s.p25", what);
    cr_expect(same_double(a->p75, b->p75), "%s.p75", what);
    cr_expect(same_double(a->p95, b->p95), "%s.p95", what);
    cr_expect(same_double(a->p99, b->p99), "%s.p99", what);
    cr_expect(same_double(a->cv, b->cv), "%s.cv", what);
    cr_expect(same_double(a->ci_median.lo, b->ci_median.lo), "%s.ci.median lo", what);
    cr_expect(same_double(a->ci_median.hi, b->ci_median.hi), "%s.ci.median hi", what);
    cr_expect(same_double(a->ci_mean.lo, b->ci_mean.lo), "%s.ci.mean lo", what);
    cr_expect(same_double(a->ci_mean.hi, b->ci_mean.hi), "%s.ci.mean hi", what);
    cr_expect(same_double(a->ci_level, b->ci_level), "%s.ci.level", what);
    cr_expect_eq(a->resamples, b->resamples, "%s.ci.resamples", what);
    cr_expect_eq(a->seed, b->seed, "%s.ci.seed", what);
    cr_expect_eq(a->outliers.low_severe, b->outliers.low_severe, "%s.outliers", what);
    cr_expect_eq(a->outliers.low_mild, b->outliers.low_mild, "%s.outliers", what);
    cr_expect_eq(a->outliers.high_mild, b->outliers.high_mild, "%s.outliers", what);
    cr_expect_eq(a->outliers.high_severe, b->outliers.high_severe, "%s.outliers", what);
}

static void expect_same_bench(const struct bench *a, const struct bench *b)
{
    char what[256];
    size_t i;

    cr_expect_str_eq(a->name, b->name);
    cr_expect_eq(a->kind, b->kind, "%s: kind", a->name);
    cr_expect_str_eq(a->unit, b->unit, "%s: unit", a->name);
    cr_expect_eq(a->dir, b->dir, "%s: direction", a->name);
    cr_expect_eq(a->iterations, b->iterations, "%s: iterations", a->name);
    cr_expect_eq(a->processes, b->processes, "%s: processes", a->name);
    cr_assert_eq(a->nparams, b->nparams, "%s: params", a->name);
    for (i = 0; i < a->nparams; i++) {
        /* written with sorted keys: a's order may differ from b's */
        const struct param *pa = &a->params[i], *pb = NULL;
        size_t j;

        for (j = 0; j < b->nparams; j++)
            if (!strcmp(b->params[j].name, pa->name))
                pb = &b->params[j];
        cr_assert_not_null(pb, "%s: param %s lost", a->name, pa->name);
        cr_expect_eq(pa->is_int, pb->is_int, "%s: param %s", a->name, pa->name);
        cr_expect_str_eq(pa->value, pb->value, "%s: param %s", a->name, pa->name);
        if (pa->is_int)
            cr_expect_eq(pa->ival, pb->ival, "%s: param %s", a->name, pa->name);
    }
    snprintf(what, sizeof what, "%s: samples", a->name);
    expect_same_doubles(a->samples, a->nsamples, b->samples, b->nsamples, what);
    cr_expect_eq(a->nproc_samples, b->nproc_samples, "%s: process_samples", a->name);
    for (i = 0; i < a->nproc_samples && i < b->nproc_samples; i++)
        cr_expect_eq(a->proc_samples[i], b->proc_samples[i], "%s: process_samples[%zu]", a->name,
                     i);
    snprintf(what, sizeof what, "%s: reference compute", a->name);
    expect_same_doubles(a->ref_compute, a->nref, b->ref_compute, b->nref, what);
    snprintf(what, sizeof what, "%s: reference memory", a->name);
    expect_same_doubles(a->ref_memory, a->nref, b->ref_memory, b->nref, what);
    snprintf(what, sizeof what, "%s: stats", a->name);
    expect_same_stats(&a->st, &b->st, what);
    cr_expect(same_double(a->bytes_per_op, b->bytes_per_op), "%s: bytes_per_op", a->name);
    cr_expect(same_double(a->items_per_op, b->items_per_op), "%s: items_per_op", a->name);
    cr_assert_eq(a->nmetrics, b->nmetrics, "%s: metrics", a->name);
    for (i = 0; i < a->nmetrics; i++) {
        const struct metric *ma = &a->metrics[i], *mb = NULL;
        size_t j;

        for (j = 0; j < b->nmetrics; j++)
            if (!strcmp(b->metrics[j].name, ma->name))
                mb = &b->metrics[j];
        cr_assert_not_null(mb, "%s: metric %s lost", a->name, ma->name);
        cr_expect_str_eq(ma->unit, mb->unit);
        cr_expect_eq(ma->dir, mb->dir);
        snprintf(what, sizeof what, "%s: metric %s", a->name, ma->name);
        expect_same_doubles(ma->samples, ma->nsamples, mb->samples, mb->nsamples, what);
        expect_same_stats(&ma->st, &mb->st, what);
    }
    cr_assert_eq(a->ncounters, b->ncounters, "%s: counters", a->name);
    for (i = 0; i < a->ncounters; i++) {
        const struct metric *ca = &a->counters[i], *cb = bench_counter(b, ca->name);

        cr_assert_not_null(cb, "%s: counter %s lost", a->name, ca->name);
        cr_expect_str_eq(ca->unit, cb->unit);
        cr_expect_eq(ca->flags, cb->flags, "%s: counter %s flags", a->name, ca->name);
        snprintf(what, sizeof what, "%s: counter %s", a->name, ca->name);
        expect_same_doubles(ca->samples, ca->nsamples, cb->samples, cb->nsamples, what);
        expect_same_stats(&ca->st, &cb->st, what);
    }
    cr_expect(same_str(a->binary, b->binary), "%s: binary", a->name);
    cr_expect(same_str(a->command, b->command), "%s: command", a->name);
    cr_expect(same_str(a->skipped, b->skipped), "%s: skipped", a->name);
    cr_assert_eq(!a->error, !b->error, "%s: error", a->name);
    if (a->error) {
        cr_expect_str_eq(a->error->message, b->error->message);
        cr_expect_eq(a->error->signal, b->error->signal, "%s: signal", a->name);
        cr_expect_eq(a->error->exit_code, b->error->exit_code, "%s: exit_code", a->name);
        cr_expect_eq(a->error->timed_out, b->error->timed_out, "%s: timed_out", a->name);
        cr_expect(same_str(a->error->stderr_tail, b->error->stderr_tail), "%s: stderr_tail",
                  a->name);
    }
}

static void expect_same_result(const struct result *a, const struct result *b)
{
    const struct context *x = &a->ctx, *y = &b->ctx;
    size_t i;

    cr_expect(same_str(a->suite, b->suite), "suite");
    cr_expect_eq(a->complete, b->complete, "complete");
    cr_assert_eq(!a->argv, !b->argv, "argv");
    for (i = 0; a->argv && (a->argv[i] || b->argv[i]); i++)
        cr_assert(same_str(a->argv[i], b->argv[i]), "argv[%zu]", i);

    cr_expect(same_str(x->pacer_version, y->pacer_version));
    cr_expect(same_str(x->time, y->time));
    cr_expect(same_str(x->git_commit, y->git_commit));
    cr_expect(same_str(x->git_branch, y->git_branch));
    cr_expect(same_str(x->git_commit_time, y->git_commit_time));
    cr_expect_eq(x->git_dirty, y->git_dirty);
    cr_expect(same_str(x->hostname, y->hostname));
    cr_expect(same_str(x->cpu_model, y->cpu_model));
    cr_expect_eq(x->cpus, y->cpus);
    cr_expect_eq(x->memory_bytes, y->memory_bytes);
    cr_expect(same_str(x->kernel, y->kernel));
    cr_expect(same_str(x->os, y->os));
    cr_expect(same_str(x->governor, y->governor));
    cr_expect(same_str(x->turbo, y->turbo));
    for (i = 0; i < 3; i++)
        cr_expect(same_double(x->loadavg[i], y->loadavg[i]), "loadavg[%zu]", i);
    cr_expect(same_str(x->compiler, y->compiler));
    cr_expect(same_str(x->cflags, y->cflags));
    cr_expect(same_double(x->clock_resolution_ns, y->clock_resolution_ns));
    cr_expect(same_double(x->clock_read_ns, y->clock_read_ns));
    cr_expect(same_str(x->fingerprint, y->fingerprint));

    cr_expect_eq(a->set.warmup_ns, b->set.warmup_ns);
    cr_expect_eq(a->set.sample_target_ns, b->set.sample_target_ns);
    cr_expect_eq(a->set.samples, b->set.samples);
    cr_expect_eq(a->set.budget_ns, b->set.budget_ns);
    cr_expect(same_double(a->set.ci_target, b->set.ci_target));
    cr_expect_eq(a->set.processes, b->set.processes);
    cr_expect_eq(a->set.timeout_ns, b->set.timeout_ns);
    cr_expect_eq(a->set.warmup_runs, b->set.warmup_runs);
    cr_expect_eq(a->set.seed, b->set.seed);
    cr_expect(same_double(a->set.ci_level, b->set.ci_level));

    cr_assert_eq(a->nbenches, b->nbenches);
    for (i = 0; i < a->nbenches; i++)
        expect_same_bench(&a->benches[i], &b->benches[i]);
    cr_assert_eq(a->nfits, b->nfits, "complexity");
    for (i = 0; i < a->nfits; i++) {
        const struct fit *fa = &a->fits[i], *fb = &b->fits[i];

        cr_expect(same_str(fa->family, fb->family), "complexity[%zu].family", i);
        cr_expect(same_str(fa->big_o, fb->big_o), "complexity[%zu].big_o", i);
        cr_expect(same_str(fa->error, fb->error), "complexity[%zu].error", i);
        cr_expect(same_double(fa->coefficient, fb->coefficient), "complexity[%zu]", i);
        cr_expect(same_double(fa->rms, fb->rms), "complexity[%zu].rms", i);
        cr_assert_eq(fa->nbench, fb->nbench);
        for (size_t k = 0; k < fa->nbench; k++) {
            cr_expect_str_eq(fa->benchmarks[k], fb->benchmarks[k]);
            cr_expect(same_double(fa->n[k], fb->n[k]));
        }
    }
}

/* A result with every field set: context, settings, params of both
 * kinds, throughput, metrics, a crash with a signal, a timeout, a
 * benchmark with no samples and one with a single sample (NaN stddev and
 * cv, no bootstrap: NaN CIs). */
static void fill_result(struct result *r)
{
    static const double hash[] = {41.5, 41.0, 42.25, 40.75, 41.5, 43.0, 41.25, 41.0,
                                  0.1, 1e-300, 123456789.123456789, 41.5};
    static const double wall[] = {1210334.0, 1189020.0, 1201577.0, 1222190.0};
    static const double user[] = {812000.0, 790000.0, 805000.0, 820000.0};
    static const double rss[] = {3260416.0, 3260416.0, 3264512.0, 3260416.0};
    static const double once[] = {5000.0};
    struct stats_opts so;
    struct bench_error *be;
    struct metric *m;
    struct bench *b;

    result_init(r);
    r->suite = xstrdup("default");
    r->complete = 0;
    r->argv = calloc(4, sizeof *r->argv);
    cr_assert_not_null(r->argv);
    r->argv[0] = xstrdup("pacer");
    r->argv[1] = xstrdup("run");
    r->argv[2] = xstrdup("suites/default.json");

    r->ctx.pacer_version = xstrdup(PACER_VERSION);
    r->ctx.time = xstrdup("2026-11-24T10:00:00Z");
    r->ctx.git_commit = xstrdup("9fceb02d0ae598e95dc970b74767f19372d61af8");
    r->ctx.git_branch = xstrdup("main");
    r->ctx.git_commit_time = xstrdup("2026-11-23T18:42:10Z");
    r->ctx.git_dirty = 1;
    r->ctx.hostname = xstrdup("ci-runner-3");
    r->ctx.cpu_model = xstrdup("AMD EPYC 7B13 \"quoted\"\ttab");
    r->ctx.cpus = 8;
    r->ctx.memory_bytes = 33654026240u;
    r->ctx.kernel = xstrdup("6.1.0-27-amd64 #1 SMP PREEMPT_DYNAMIC");
    r->ctx.os = xstrdup("Debian GNU/Linux 12 (bookworm)");
    r->ctx.governor = xstrdup("performance");
    r->ctx.turbo = xstrdup("off");
    r->ctx.loadavg[0] = 0.52;
    r->ctx.loadavg[1] = 0.61;
    r->ctx.loadavg[2] = 0.7;
    r->ctx.compiler = xstrdup("gcc (Debian 12.2.0-14) 12.2.0");
    r->ctx.cflags = xstrdup("-std=gnu11 -O2 -g");
    r->ctx.clock_resolution_ns = 20.0;
    r->ctx.clock_read_ns = 18.5;
    r->ctx.fingerprint = xstrdup("3f2a9c0d11e4b7a5");

    r->set.samples = 12;
    r->set.budget_ns = 5000000000u;
    r->set.ci_target = 0.01;
    r->set.processes = 3;
    r->set.seed = 42;
    r->set.ci_level = 0.99;

    stats_opts_default(&so);
    so.resamples = 200;   /* enough to have CIs, quick */

    b = result_add_bench(r);
    cr_assert_not_null(b);
    b->name = xstrdup("hash/fnv1a/size=64/mode=fast");
    cr_assert_eq(bench_add_param_int(b, "size", 64), 0);
    cr_assert_eq(bench_add_param_str(b, "mode", "fast"), 0);
    cr_assert_eq(bench_add_param_int(b, "neg", -7), 0);
    b->iterations = 1u << 20;
    b->processes = 3;
    set_samples(&b->samples, &b->nsamples, hash, sizeof hash / sizeof hash[0]);
    b->proc_samples = calloc(3, sizeof *b->proc_samples);
    cr_assert_not_null(b->proc_samples);
    b->nproc_samples = 3;
    b->proc_samples[0] = b->nsamples - 2;
    b->proc_samples[1] = 1;
    b->proc_samples[2] = 1;
    cr_assert_eq(bench_add_reference(b, 138794.0, 469620.5), 0);
    cr_assert_eq(bench_add_reference(b, 138793.0, 559653.0), 0);
    cr_assert_eq(bench_add_reference(b, 1.0e-3, 1e300), 0);
    b->bytes_per_op = 64;
    b->items_per_op = 1;
    b->binary = xstrdup("build/suites/micro/hash");
    /* user counters (1.7): a rate, an inverted rate, a plain one; one a
     * sample lacks is dropped */
    cr_assert_not_null(m = bench_add_counter(b, "hashes", COUNTER_RATE));
    set_samples(&m->samples, &m->nsamples, hash, sizeof hash / sizeof hash[0]);
    cr_assert_not_null(m = bench_add_counter(b, "s_per_hash", COUNTER_RATE | COUNTER_INVERT |
                                                               COUNTER_AVG_THREADS));
    set_samples(&m->samples, &m->nsamples, hash, sizeof hash / sizeof hash[0]);
    cr_assert_not_null(m = bench_add_counter(b, "collisions", 0));
    set_samples(&m->samples, &m->nsamples, hash, sizeof hash / sizeof hash[0]);
    cr_assert_not_null(m = bench_add_counter(b, "partial", 0));
    set_samples(&m->samples, &m->nsamples, hash, 3);
    cr_assert_eq(bench_compute_stats(b, &so), 0);
    cr_assert_eq(b->ncounters, 3);
    cr_assert_str_eq(bench_counter(b, "s_per_hash")->unit, "s");
    /* a complexity fit (1.8) of a family of one benchmark, and one that
     * could not be made */
    r->fits = calloc(2, sizeof *r->fits);
    cr_assert_not_null(r->fits);
    r->nfits = 2;
    r->fits[0].family = xstrdup("hash/fnv1a");
    r->fits[0].big_o = xstrdup("NlgN");
    r->fits[0].coefficient = 0.123456789012345678;
    r->fits[0].rms = 0.021;
    r->fits[0].benchmarks = calloc(1, sizeof(char *));
    r->fits[0].n = calloc(1, sizeof(double));
    cr_assert(r->fits[0].benchmarks && r->fits[0].n);
    r->fits[0].benchmarks[0] = xstrdup("hash/fnv1a/size=64/mode=fast");
    r->fits[0].n[0] = 64;
    r->fits[0].nbench = 1;
    r->fits[1].family = xstrdup("hash/other");
    r->fits[1].error = xstrdup("fewer than 2 of its benchmarks were measured");
    r->fits[1].coefficient = r->fits[1].rms = NAN;

    b = result_add_bench(r);
    cr_assert_not_null(b);
    b->name = xstrdup("cmd/crashy");
    b->kind = KIND_COMMAND;
    b->command = xstrdup("./crashy --fast");
    set_samples(&b->samples, &b->nsamples, wall, 4);
    m = bench_add_metric(b, "user", "ns", DIR_LOWER);
    cr_assert_not_null(m);
    set_samples(&m->samples, &m->nsamples, user, 4);
    m = bench_add_metric(b, "max_rss", "bytes", DIR_LOWER);
    cr_assert_not_null(m);
    set_samples(&m->samples, &m->nsamples, rss, 4);
    m = bench_add_metric(b, "empty", "count", DIR_HIGHER);   /* no samples: stats null */
    cr_assert_not_null(m);
    cr_assert_eq(bench_compute_stats(b, &so), 0);
    be = bench_set_error(b, "killed by signal %d (%s) (in %s)", 11, "SIGSEGV", "samples");
    cr_assert_not_null(be);
    be->signal = 11;
    be->stderr_tail = xstrdup("line one\nline two\n");

    b = result_add_bench(r);
    cr_assert_not_null(b);
    b->name = xstrdup("slow/hang");
    b->kind = KIND_LOAD;
    free(b->unit);
    b->unit = xstrdup("req/s");
    b->dir = DIR_HIGHER;
    be = bench_set_error(b, "timed out after 60 s (in warmup)");
    cr_assert_not_null(be);
    be->timed_out = 1;
    be->exit_code = 3;

    b = result_add_bench(r);
    cr_assert_not_null(b);
    b->name = xstrdup("simd/avx512");   /* skipped itself: no samples, no error */
    b->skipped = xstrdup("no AVX-512 here");

    b = result_add_bench(r);
    cr_assert_not_null(b);
    b->name = xstrdup("once/only");
    set_samples(&b->samples, &b->nsamples, once, 1);
    so.resamples = 0;   /* no bootstrap: NaN CIs */
    cr_assert_eq(bench_compute_stats(b, &so), 0);
}

TestSuite(roundtrip, .init = tmp_setup, .fini = tmp_teardown);

/* Every good file: load, save, load, save; the two saves are identical
 * and the two loads hold the same values. */
Test(roundtrip, good_files_are_stable)
{
    char src[512];
    const char *a = tmp_path("a.json"), *b = tmp_path("b.json");
    struct dirent *de;
    DIR *d = opendir(DATA "/good");
    size_t n = 0;

    cr_assert_not_null(d);
    while ((de = readdir(d))) {
        struct result r1, r2;
        char *ta, *tb;

        if (!ends_with(de->d_name, ".json"))
            continue;
        snprintf(src, sizeof src, DATA "/good/%s", de->d_name);
        load_ok(src, &r1);
        save_ok(&r1, a);
        load_ok(a, &r2);
        expect_same_result(&r1, &r2);
        save_ok(&r2, b);
        ta = slurp(a, NULL);
        tb = slurp(b, NULL);
        cr_assert(ta && tb);
        cr_expect_str_eq(ta, tb, "%s: the second save differs", src);
        free(ta);
        free(tb);
        result_free(&r1);
        result_free(&r2);
        n++;
    }
    closedir(d);
    cr_expect_geq(n, 3u);
}

Test(roundtrip, fully_populated)
{
    struct result r, back, again;
    const char *a = tmp_path("a.json"), *b = tmp_path("b.json");
    char *ta, *tb;
    const struct bench *once;

    fill_result(&r);
    save_ok(&r, a);
    load_ok(a, &back);
    expect_same_result(&r, &back);
    cr_expect_eq(back.schema_major, RESULT_SCHEMA_MAJOR);
    cr_expect_eq(back.schema_minor, RESULT_SCHEMA_MINOR);

    /* NaN statistics are written as null and read back as NaN */
    once = result_find(&back, "once/only");
    cr_assert_not_null(once);
    cr_expect(isnan(once->st.stddev));
    cr_expect(isnan(once->st.cv));
    cr_expect(isnan(once->st.ci_median.lo) && isnan(once->st.ci_mean.hi));
    cr_expect_eq(once->st.median, 5000.0);

    save_ok(&back, b);
    ta = slurp(a, NULL);
    tb = slurp(b, NULL);
    cr_assert(ta && tb);
    cr_expect_str_eq(ta, tb);
    cr_expect_not_null(strstr(ta, "\"stddev\": null"));
    cr_expect_not_null(strstr(ta, "\"stats\": null"));   /* no samples, no statistics */
    cr_expect_null(strstr(ta, "nan"));
    cr_expect_null(strstr(ta, "inf"));
    cr_expect_not_null(strstr(ta, "\"schema\": \"1.13\""));
    cr_expect_not_null(strstr(ta, "\"big_o\": \"NlgN\""));
    cr_expect_not_null(strstr(ta, "\"flags\": ["), "%s", ta);
    cr_expect_not_null(strstr(ta, "\"invert\""));
    cr_expect_not_null(strstr(ta, "\"counters\": {"));
    cr_expect_not_null(strstr(ta, "\"skipped\": \"no AVX-512 here\""));
    cr_expect_not_null(strstr(ta, "\"reference\": {"));
    cr_expect_not_null(strstr(ta, "\"process_samples\": ["));
    cr_expect_eq(ta[strlen(ta) - 1], '\n');
    cr_expect_str_eq(dir_has_temp_file(tmp_dir()) ? "temp file left" : "", "");

    /* and the JSON document alone gives the same result */
    {
        struct err e = {0};
        json_t *root = result_to_json(&r, &e);

        cr_assert_not_null(root, "%s", e.msg);
        cr_assert_eq(result_from_json(root, "doc", &again, &e), 0, "%s", e.msg);
        expect_same_result(&r, &again);
        json_decref(root);
        result_free(&again);
    }
    free(ta);
    free(tb);
    result_free(&r);
    result_free(&back);
}

Test(roundtrip, extreme_doubles_exact)
{
    static const double x[] = {0.0, 5e-324, 2.2250738585072014e-308, 0.1, 1.0 / 3.0,
                               1.7976931348623157e308, 123456789012345678.0};
    struct result r, back;
    struct bench *b;
    const char *a = tmp_path("a.json");
    size_t i;

    fill_result(&r);
    b = &r.benches[0];
    free(b->samples);
    free(b->proc_samples);
    b->proc_samples = NULL;
    b->nproc_samples = 0;
    set_samples(&b->samples, &b->nsamples, x, sizeof x / sizeof x[0]);
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
    save_ok(&r, a);
    load_ok(a, &back);
    for (i = 0; i < sizeof x / sizeof x[0]; i++)
        cr_expect_eq(back.benches[0].samples[i], x[i], "%.17g read as %.17g", x[i],
                     back.benches[0].samples[i]);
    result_free(&r);
    result_free(&back);
}

Test(roundtrip, invalid_utf8_is_repaired)
{
    struct result r, back;
    const char *a = tmp_path("a.json");

    fill_result(&r);
    free(r.benches[1].error->stderr_tail);
    r.benches[1].error->stderr_tail = xstrdup("ok \xff\xc0\x80 \xed\xa0\x80 \xc3\xa9");
    cr_assert_eq(bench_add_param_str(&r.benches[0], "w\xfe", "v\xe2\x82"), 0);
    save_ok(&r, a);
    load_ok(a, &back);
    /* each bad byte is one U+FFFD; the valid e-acute stays */
    cr_expect_str_eq(back.benches[1].error->stderr_tail,
                     "ok \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
                     "\xc3\xa9");
    cr_expect_not_null(result_find(&back, "hash/fnv1a/size=64/mode=fast"));
    result_free(&r);
    result_free(&back);
}

Test(roundtrip, dump_is_indented_json)
{
    struct result r, back;
    struct err e = {0};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    json_error_t je;
    json_t *root;

    cr_assert_not_null(f);
    fill_result(&r);
    cr_assert_eq(result_dump(&r, f, &e), 0, "%s", e.msg);
    fclose(f);
    cr_expect_eq(strncmp(buf, "{\n  \"argv\": [\n    \"pacer\",", 25), 0, "%.40s", buf);
    root = json_loads(buf, 0, &je);
    cr_assert_not_null(root, "%s", je.text);
    cr_assert_eq(result_from_json(root, "dump", &back, &e), 0, "%s", e.msg);
    expect_same_result(&r, &back);
    json_decref(root);
    free(buf);
    result_free(&r);
    result_free(&back);
}

Test(roundtrip, context_alone)
{
    struct result r;
    json_t *c;

    result_init(&r);
    c = context_to_json(&r.ctx);   /* nothing collected: unknowns are null */
    cr_assert_not_null(c);
    cr_expect(json_is_null(json_object_get(c, "time")));
    cr_expect(json_is_null(json_object_get(json_object_get(c, "git"), "dirty")));
    cr_expect(json_is_null(json_object_get(json_object_get(c, "host"), "cpus")));
    cr_expect(json_is_null(json_object_get(json_object_get(c, "clock"), "read_ns")));
    cr_expect_eq(json_array_size(json_object_get(json_object_get(c, "host"), "loadavg")), 3u);
    json_decref(c);
    result_free(&r);
}

/* ---- atomic saves ------------------------------------------------------- */

TestSuite(save, .init = tmp_setup, .fini = tmp_teardown);

Test(save, into_missing_directory_fails_and_leaves_nothing)
{
    struct result r;
    struct err e = {0};
    const char *dir = tmp_path("missing");
    char path[600], want[1536], list[1024];

    fill_result(&r);
    snprintf(path, sizeof path, "%s/a.json", dir);
    cr_expect_eq(result_save(&r, path, &e), -1);
    snprintf(want, sizeof want, "%s: cannot create %s.tmp.%ld: No such file or directory", path,
             path, (long)getpid());
    cr_expect_str_eq(e.msg, want);
    cr_expect_not(exists(path));
    cr_expect_not(exists(dir), "a directory was created");
    tmp_listing(list, sizeof list, NULL);
    cr_expect_str_eq(list, "");
    result_free(&r);
}

Test(save, replaces_an_existing_file)
{
    struct result r, back;
    const char *path = tmp_path("a.json");
    char list[1024], *text;

    fill_result(&r);
    write_file(path, "old contents\n");
    save_ok(&r, path);
    text = slurp(path, NULL);
    cr_assert_not_null(text);
    cr_expect_eq(text[0], '{');
    free(text);
    load_ok(path, &back);
    expect_same_result(&r, &back);
    tmp_listing(list, sizeof list, NULL);
    cr_expect_str_eq(list, "a.json");
    result_free(&r);
    result_free(&back);
}

Test(save, invalid_result_is_not_written)
{
    struct result r;
    struct err e = {0};
    const char *path = tmp_path("a.json");
    char want[1024], list[1024], *text;

    fill_result(&r);
    r.benches[1].samples[2] = -1.5;
    write_file(path, "old contents\n");
    cr_expect_eq(result_save(&r, path, &e), -1);
    snprintf(want, sizeof want,
             "%s: not written: benchmarks[1].samples[2]: expected a number >= 0, got -1.5", path);
    cr_expect_str_eq(e.msg, want);
    text = slurp(path, NULL);
    cr_expect_str_eq(text, "old contents\n");
    free(text);
    tmp_listing(list, sizeof list, NULL);
    cr_expect_str_eq(list, "a.json");
    result_free(&r);
}

Test(save, what_json_cannot_hold_is_not_written)
{
    struct result r;
    struct err e = {0};
    const char *path = tmp_path("a.json");
    char want[1024];

    fill_result(&r);
    r.set.seed = UINT64_MAX;
    cr_expect_eq(result_save(&r, path, &e), -1);
    snprintf(want, sizeof want,
             "%s: not written: settings.seed: 18446744073709551615 is above the largest JSON "
             "integer (9223372036854775807)",
             path);
    cr_expect_str_eq(e.msg, want);
    result_free(&r);

    err_clear(&e);
    fill_result(&r);
    cr_assert_eq(bench_add_param_int(&r.benches[0], "size", 128), 0);
    cr_expect_eq(result_save(&r, path, &e), -1);
    snprintf(want, sizeof want,
             "%s: not written: benchmarks[0].params: duplicate parameter \"size\"", path);
    cr_expect_str_eq(e.msg, want);
    result_free(&r);

    err_clear(&e);
    fill_result(&r);
    free(r.benches[3].name);
    r.benches[3].name = xstrdup("slow/hang");
    cr_expect_eq(result_save(&r, path, &e), -1);
    snprintf(want, sizeof want,
             "%s: not written: benchmarks[3].name: duplicate name \"slow/hang\" "
             "(also benchmarks[2])",
             path);
    cr_expect_str_eq(e.msg, want);
    result_free(&r);

    err_clear(&e);
    fill_result(&r);
    r.benches[0].st.n = 0;   /* stats not computed */
    cr_expect_eq(result_save(&r, path, &e), -1);
    snprintf(want, sizeof want,
             "%s: not written: benchmarks[0].stats.n: expected 12 (the number of samples), got 0",
             path);
    cr_expect_str_eq(e.msg, want);
    result_free(&r);

    cr_expect_not(exists(path));
    cr_expect_not(dir_has_temp_file(tmp_dir()));
}

Test(save, failed_rename_removes_the_temp_file)
{
    struct result r;
    struct err e = {0};
    const char *path = tmp_path("taken");
    char list[1024];

    fill_result(&r);
    cr_assert_eq(mkdir(path, 0755), 0);   /* a directory is in the way */
    cr_expect_eq(result_save(&r, path, &e), -1);
    cr_expect_not_null(strstr(e.msg, ": cannot rename "), "%s", e.msg);
    cr_expect_eq(strncmp(e.msg, path, strlen(path)), 0, "%s", e.msg);
    tmp_listing(list, sizeof list, NULL);
    cr_expect_str_eq(list, "taken");
    tmp_listing(list, sizeof list, "taken");
    cr_expect_str_eq(list, "");
    result_free(&r);
}

/* --save: a new name every time, never a file replaced, even for saves in
 * the same millisecond (-2, -3 ...): 40 saves, 40 files, each read back. */
Test(save, new_names_never_replace)
{
    struct result r, back;
    struct err e = {0};
    const char *dir = tmp_path("results");
    char *paths[40];
    int i, j;

    fill_result(&r);
    for (i = 0; i < 40; i++) {
        cr_assert_eq(result_save_new(&r, dir, "-x", &paths[i], &e), 0, "%s", e.msg);
        cr_assert(strstr(paths[i], "-x") && strstr(paths[i], ".json"), "%s", paths[i]);
        for (j = 0; j < i; j++)
            cr_assert_str_neq(paths[i], paths[j]);
    }
    for (i = 0; i < 40; i++) {
        load_ok(paths[i], &back);
        expect_same_result(&r, &back);
        result_free(&back);
        free(paths[i]);
    }
    cr_expect_not(dir_has_temp_file(tmp_dir()));
    result_free(&r);
}

/* A save that cannot be written leaves what was there as it was, and no
 * temporary file: past RLIMIT_FSIZE (EFBIG, not a SIGXFSZ that ends
 * pacer), in a folder that is a file, in a read-only folder, on a full
 * disk.  The last two need a file system of their own, mounted in a mount
 * namespace of this test's process (root; otherwise the read-only folder
 * is a chmod and the full disk is skipped). */
static void save_fails(const struct result *r, const char *dir, const char *cause)
{
    struct err e = {0};
    char *path = NULL, old[600], list[1024], *text;

    snprintf(old, sizeof old, "%s/kept.json", dir);
    cr_expect_eq(result_save_new(r, dir, "", &path, &e), -1, "saved %s", path ? path : "");
    cr_expect_null(path);
    cr_expect(strstr(e.msg, cause), "%s", e.msg);
    cr_expect(strstr(e.msg, dir), "%s", e.msg);
    tmp_listing(list, sizeof list, strrchr(dir, '/') + 1);
    cr_expect_str_eq(list, "kept.json", "%s", list);
    text = slurp(old, NULL);
    cr_expect_str_eq(text, "old run\n");
    free(text);
}

Test(save, past_the_file_size_limit)
{
    struct result r;
    const char *dir = tmp_path("d");
    char old[600];
    struct rlimit rl = {4096, 4096};

    fill_result(&r);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(old, sizeof old, "%s/kept.json", dir);
    write_file(old, "old run\n");
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    save_fails(&r, dir, "File too large");
    result_free(&r);
}

Test(save, into_a_file)
{
    struct result r;
    struct err e = {0};
    char *path = NULL;
    const char *file = tmp_path("f");

    fill_result(&r);
    write_file(file, "not a folder\n");
    cr_expect_eq(result_save_new(&r, file, "", &path, &e), -1);
    cr_expect(strstr(e.msg, "Not a directory"), "%s", e.msg);
    result_free(&r);
}

/* dir as a file system of its own (tmpfs of size bytes), in this test's
 * own mount namespace; 0 when that cannot be had (not root). */
static int own_tmpfs(const char *dir, const char *size)
{
    char opts[64];

    snprintf(opts, sizeof opts, "size=%s", size);
    if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return 0;
    return mount("tmpfs", dir, "tmpfs", 0, opts) == 0;
}

Test(save, into_a_read_only_folder)
{
    struct result r;
    const char *dir = tmp_path("ro");
    char old[600];
    int own;

    fill_result(&r);
    cr_assert_eq(mkdir(dir, 0755), 0);
    own = own_tmpfs(dir, "1m");
    if (!own && geteuid() == 0)   /* root writes through a chmod */
        cr_skip_test("no mount namespace to be had here");
    snprintf(old, sizeof old, "%s/kept.json", dir);
    write_file(old, "old run\n");
    if (own)
        cr_assert_eq(mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0, "%s",
                     strerror(errno));
    else
        cr_assert_eq(chmod(dir, 0555), 0);
    save_fails(&r, dir, own ? "Read-only file system" : "Permission denied");
    if (own)
        umount(dir);
    else
        chmod(dir, 0755);
    result_free(&r);
}

Test(save, on_a_full_disk)
{
    struct result r;
    const char *dir = tmp_path("full");
    char old[600];

    fill_result(&r);
    cr_assert_eq(mkdir(dir, 0755), 0);
    if (!own_tmpfs(dir, "8k"))
        cr_skip_test("a file system of its own needs root");
    snprintf(old, sizeof old, "%s/kept.json", dir);
    write_file(old, "old run\n");
    save_fails(&r, dir, "No space left on device");
    umount(dir);
    result_free(&r);
}
