/*
 * trend_files.h: result files for the trend tests, written by result_save
 * (so they are what pacer writes).  Header only: test_trend.c and
 * test_cmd_trend.c include it.
 */
#ifndef PACER_TESTS_TREND_FILES_H
#define PACER_TESTS_TREND_FILES_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "harness/result/version.h"

struct tf_bench {
    const char *name;
    double median;            /* the samples' median, exactly */
    const char *unit;         /* NULL: "ns" */
    enum direction dir;
    int failed;               /* recorded with an error */
};

static inline char *tf_dup(const char *s)
{
    char *d = s ? strdup(s) : NULL;

    cr_assert(!s || d);
    return d;
}

/* Write a result to path: context time, commit and commit time (NULL:
 * none), and the benchmarks, each with 5 samples around its median. */
static inline void tf_write(const char *path, const char *time, const char *commit,
                            const char *commit_time, const struct tf_bench *bs, size_t nb)
{
    static const double spread[] = {-2e-4, -1e-4, 0, 1e-4, 2e-4};
    struct stats_opts so;
    struct result r;
    struct err e = {0};
    size_t i, k;

    result_init(&r);
    r.suite = tf_dup("trend");
    r.ctx.pacer_version = tf_dup(PACER_VERSION);
    r.ctx.time = tf_dup(time);
    r.ctx.git_commit = tf_dup(commit);
    r.ctx.git_commit_time = tf_dup(commit_time);
    r.ctx.git_branch = commit ? tf_dup("main") : NULL;
    r.ctx.fingerprint = tf_dup("3f2a9c0d11e4b7a5");
    stats_opts_default(&so);
    so.resamples = 100;
    for (i = 0; i < nb; i++) {
        struct bench *b = result_add_bench(&r);

        cr_assert_not_null(b);
        b->name = tf_dup(bs[i].name);
        if (bs[i].unit) {
            free(b->unit);
            b->unit = tf_dup(bs[i].unit);
        }
        b->dir = bs[i].dir;
        if (bs[i].failed) {
            cr_assert_not_null(bench_set_error(b, "killed by signal 11 (SIGSEGV)"));
            continue;
        }
        b->samples = malloc(5 * sizeof *b->samples);
        cr_assert_not_null(b->samples);
        b->nsamples = 5;
        for (k = 0; k < 5; k++)
            b->samples[k] = bs[i].median * (1 + spread[(k * 3) % 5]);
        cr_assert_eq(bench_compute_stats(b, &so), 0);
    }
    cr_assert_eq(result_save(&r, path, &e), 0, "%s", e.msg);
    result_free(&r);
}

/* A level with a little deterministic wobble (0.2 %) for run i. */
static inline double tf_wobble(double level, size_t i)
{
    return level * (1 + 0.002 * sin(1.7 * (double)i));
}

#endif
