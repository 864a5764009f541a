/*
 * result_files.h: results built in memory and saved (result_begin,
 * tf_write), read back and looked into, other tools' files imported, the
 * golden corpora of tests/data/<format>/bad, and trends of result files.
 * Part of helpers.h, which includes it; a test file includes helpers.h.
 */
#ifndef PACER_TESTS_RESULT_FILES_H
#define PACER_TESTS_RESULT_FILES_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/import/import.h"
#include "compare/trend.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "harness/result/version.h"
#include "helpers.h"

/* ---- results ------------------------------------------------------------- */

/* result_init, and what a file needs: the suite's name, pacer's version, the
 * time of the run and a fingerprint (free r with result_free). */
static inline void result_begin(struct result *r, const char *suite, const char *time)
{
    result_init(r);
    r->suite = xstrdup(suite);
    r->ctx.pacer_version = xstrdup(PACER_VERSION);
    r->ctx.time = xstrdup(time);
    r->ctx.fingerprint = xstrdup("3f2a9c0d11e4b7a5");
}

/* *x (new) and *n: a copy of the len values v. */
static inline void set_samples(double **x, size_t *n, const double *v, size_t len)
{
    *x = malloc(len * sizeof **x);
    cr_assert_not_null(*x);
    memcpy(*x, v, len * sizeof **x);
    *n = len;
}

/* Load the result file path into r; the test fails when that fails. */
static inline void load_ok(const char *path, struct result *r)
{
    struct err e = {0};

    cr_assert_eq(result_load(path, r, &e), 0, "%s", e.msg);
}

/* Save r to path; the test fails when that fails. */
static inline void save_ok(const struct result *r, const char *path)
{
    struct err e = {0};

    cr_assert_eq(result_save(r, path, &e), 0, "%s", e.msg);
}

/* The benchmark named name in r (borrowed); the test fails without one. */
static inline const struct bench *bench_named(const struct result *r, const char *name)
{
    const struct bench *b = result_find(r, name);

    cr_assert_not_null(b, "no benchmark %s", name);
    return b;
}

/* b's metric named name (borrowed); the test fails without one. */
static inline const struct metric *metric(const struct bench *b, const char *name)
{
    size_t i;

    for (i = 0; i < b->nmetrics; i++)
        if (!strcmp(b->metrics[i].name, name))
            return &b->metrics[i];
    cr_assert_fail("%s: no metric %s", b->name, name);
    return NULL;
}

/* ---- other tools' results ------------------------------------------------ */

/* Import path into r, which must be read as the format want. */
static inline void import_ok(const char *path, struct result *r, enum import_format want)
{
    struct err e = {0};
    enum import_format f = (enum import_format)-1;

    cr_assert_eq(import_load(path, r, &f, &e), 0, "%s: %s", path, e.msg);
    cr_assert_eq(f, want, "%s: detected as %s", path, import_format_name(f));
    cr_assert_not(e.set);
}

/* The conversion by fn of the JSON document text, named "<memory>". */
static inline int convert_text(int (*fn)(const json_t *, const char *, struct result *,
                                         struct err *),
                               const char *text, struct result *r, struct err *e)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    int rc;

    cr_assert_not_null(root, "test document: %s", je.text);
    rc = fn(root, "<memory>", r, e);
    json_decref(root);
    return rc;
}

/* s is 16 lowercase hexadecimal digits (a fingerprint). */
static inline int is_hex16(const char *s)
{
    size_t i;

    for (i = 0; i < 16; i++)
        if (!s[i] || !strchr("0123456789abcdef", s[i]))
            return 0;
    return s[16] == '\0';
}

/* ---- golden corpora: tests/data/<format>/bad ----------------------------- */

/* A reader of files under test: 0, or -1 with its message in e. */
typedef int (*golden_read_fn)(const char *path, struct err *e);

/* Each of the n cases named is in bad (run from the repository root): its
 * <case>.json and the <case>.err that holds the message it must give. */
static inline void golden_present(const char *bad, const char *const *cases, size_t n)
{
    char path[256];
    size_t i;

    for (i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s.json", bad, cases[i]);
        cr_expect(exists(path), "%s missing", path);
        snprintf(path, sizeof path, "%s/%s.err", bad, cases[i]);
        cr_expect(exists(path), "%s missing", path);
    }
}

/* Every <case>.json in bad is refused by reader with exactly the one-line
 * message of its <case>.err; there are at least at_least cases. */
static inline void golden_refused(const char *bad, golden_read_fn reader, size_t at_least)
{
    char json[512], errf[512];
    struct dirent *de;
    DIR *d = opendir(bad);
    size_t ncases = 0;

    cr_assert_not_null(d, "%s: %s (run from the repository root)", bad, strerror(errno));
    while ((de = readdir(d))) {
        struct err e = {0};
        char *want;
        size_t len;
        int rc;

        if (!ends_with(de->d_name, ".json"))
            continue;
        snprintf(json, sizeof json, "%s/%s", bad, de->d_name);
        snprintf(errf, sizeof errf, "%.*s.err", (int)(strlen(json) - 5), json);
        want = slurp(errf, &len);
        cr_expect_not_null(want, "%s: no .err file", json);
        if (!want)
            continue;
        while (len > 0 && want[len - 1] == '\n')
            want[--len] = '\0';
        cr_expect_null(strchr(want, '\n'), "%s: expected message is not one line", errf);

        rc = reader(json, &e);
        cr_expect_eq(rc, -1, "%s: accepted", json);
        cr_expect_str_eq(e.msg, want, "%s:\n  got  %s\n  want %s", json, e.msg, want);
        cr_expect_null(strchr(e.msg, '\n'), "%s: message is not one line", json);
        free(want);
        ncases++;
    }
    closedir(d);
    cr_expect_geq(ncases, at_least);
}

/* reader names the file it cannot open, and the directory it cannot read. */
static inline void golden_unreadable(const char *bad, golden_read_fn reader)
{
    char path[512], want[1024];
    struct err e = {0};

    snprintf(path, sizeof path, "%s/no_such_file.json", bad);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
    cr_expect_eq(reader(path, &e), -1);
    cr_expect_str_eq(e.msg, want);
    err_clear(&e);
    snprintf(want, sizeof want, "%s: cannot read: Is a directory", bad);
    cr_expect_eq(reader(bad, &e), -1);
    cr_expect_str_eq(e.msg, want);
}

/* ---- trends of result files ---------------------------------------------- */

/* One benchmark of a result file for a trend. */
struct tf_bench {
    const char *name;
    double median;            /* the samples' median, exactly */
    const char *unit;         /* NULL: "ns" */
    enum direction dir;
    int failed;               /* recorded with an error */
};

/* One benchmark "a" of 100 ns. */
static const struct tf_bench tf_one[] = {{"a", 100, NULL, DIR_LOWER, 0}};

/* Write a result to path with result_save (so it is what pacer writes):
 * context time, commit and commit time (NULL: none), fingerprint (NULL:
 * result_begin's), and the nb benchmarks bs, each with 5 samples around
 * its median. */
static inline void tf_write_fp(const char *path, const char *time, const char *commit,
                               const char *commit_time, const char *fp,
                               const struct tf_bench *bs, size_t nb)
{
    static const double spread[] = {-2e-4, -1e-4, 0, 1e-4, 2e-4};
    struct stats_opts so;
    struct result r;
    size_t i, k;

    result_begin(&r, "trend", time);
    r.ctx.git_commit = xstrdup(commit);
    r.ctx.git_commit_time = xstrdup(commit_time);
    r.ctx.git_branch = commit ? xstrdup("main") : NULL;
    if (fp) {
        free(r.ctx.fingerprint);
        r.ctx.fingerprint = xstrdup(fp);
    }
    stats_opts_default(&so);
    so.resamples = 100;
    for (i = 0; i < nb; i++) {
        struct bench *b = result_add_bench(&r);

        cr_assert_not_null(b);
        b->name = xstrdup(bs[i].name);
        if (bs[i].unit) {
            free(b->unit);
            b->unit = xstrdup(bs[i].unit);
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
    save_ok(&r, path);
    result_free(&r);
}

/* tf_write_fp with result_begin's fingerprint. */
static inline void tf_write(const char *path, const char *time, const char *commit,
                            const char *commit_time, const struct tf_bench *bs, size_t nb)
{
    tf_write_fp(path, time, commit, commit_time, NULL, bs, nb);
}

/* Write a result of one benchmark "a" (ns, lower is better) to path, its
 * samples x[0..n) from k processes of counts[0..k) samples in order. */
static inline void tf_write_procs(const char *path, const char *time, const double *x, size_t n,
                                  const size_t *counts, size_t k)
{
    struct stats_opts so;
    struct result r;
    struct bench *b;

    result_begin(&r, "trend", time);
    stats_opts_default(&so);
    so.resamples = 100;
    cr_assert_not_null(b = result_add_bench(&r));
    b->name = xstrdup("a");
    b->dir = DIR_LOWER;
    b->processes = (unsigned)k;
    set_samples(&b->samples, &b->nsamples, x, n);
    b->proc_samples = malloc(k * sizeof *b->proc_samples);
    cr_assert_not_null(b->proc_samples);
    memcpy(b->proc_samples, counts, k * sizeof *counts);
    b->nproc_samples = k;
    cr_assert_eq(bench_compute_stats(b, &so), 0);
    save_ok(&r, path);
    result_free(&r);
}

/* A level with a little deterministic wobble (0.2 %) for run i. */
static inline double tf_wobble(double level, size_t i)
{
    return level * (1 + 0.002 * sin(1.7 * (double)i));
}

/* The trend of the n files or directories paths into t; the test fails
 * when it cannot be built. */
static inline void trend_ok(char *const *paths, size_t n, const struct trend_opts *o,
                            struct trend *t)
{
    struct err e = {0};

    cr_assert_eq(trend_build(paths, n, o, t, &e), 0, "%s", e.msg);
}

/* The trend of the files in the scratch directory. */
static inline void trend_of_dir(const struct trend_opts *o, struct trend *t)
{
    char *p = tmp_dir();

    trend_ok(&p, 1, o, t);
}

/* The last component of path (borrowed). */
static inline const char *file_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

#endif
