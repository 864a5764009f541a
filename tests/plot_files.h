/*
 * plot_files.h: the inputs the plot tests draw, made by hand (a trend with
 * change points, results of micro benchmarks, a load benchmark with its
 * records), and what they read back from the files a plot leaves: the size
 * of a PNG or SVG picture and the rows of a gnuplot data file.  Part of
 * helpers.h, which includes it; a test file includes helpers.h.
 */
#ifndef PACER_TESTS_PLOT_FILES_H
#define PACER_TESTS_PLOT_FILES_H

#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/trend.h"
#include "harness/load/hist.h"
#include "harness/result/loadrep.h"
#include "harness/result/result.h"
#include "helpers.h"

/* A plot test suite's .init: a scratch directory (tmp_setup), and gnuplot
 * found as a user's would be (PACER_GNUPLOT and PACER_GNUPLOT_TIMEOUT
 * unset). */
static inline void plot_setup(void)
{
    unsetenv("PACER_GNUPLOT");
    unsetenv("PACER_GNUPLOT_TIMEOUT");
    tmp_setup();
}

/* ---- inputs made by hand ------------------------------------------------- */

/* Three benchmark names, two of them of one group. */
static const char *const names3[] = {"hash/crc32/size=64", "hash/crc32/size=4096",
                                     "hash/fnv1a/size=64"};

/* A trend of ns series named names over nr runs: series k's level doubles
 * at run nr / 2 when k is even (with a change point there).  Free it with
 * free_trend. */
static inline void make_trend(struct trend *t, size_t ns, size_t nr, const char *const *names)
{
    size_t i, k;

    memset(t, 0, sizeof *t);
    t->nruns = nr;
    t->runs = calloc(nr, sizeof *t->runs);
    cr_assert_not_null(t->runs);
    for (i = 0; i < nr; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%07zxabcdef0123456789", 0x1000 + 37 * i);
        t->runs[i].commit = strdup(buf);
        snprintf(buf, sizeof buf, "2026-11-%02zuT10:00:00Z", i + 1);
        t->runs[i].time = strdup(buf);
    }
    t->nseries = ns;
    t->series = calloc(ns, sizeof *t->series);
    cr_assert_not_null(t->series);
    for (k = 0; k < ns; k++) {
        struct trend_series *s = &t->series[k];
        double level = 1000.0 * (double)(k + 1);
        s->name = strdup(names[k]);
        s->unit = strdup("ns");
        s->dir = DIR_LOWER;
        s->n = nr;
        s->pts = calloc(nr, sizeof *s->pts);
        cr_assert_not_null(s->pts);
        for (i = 0; i < nr; i++) {
            double v = level * (k % 2 == 0 && i >= nr / 2 ? 2 : 1) * (1 + 0.01 * (double)(i % 3));
            s->pts[i].run = i;
            s->pts[i].value = v;
            s->pts[i].lo = i == 1 ? NAN : v * 0.98;
            s->pts[i].hi = i == 1 ? NAN : v * 1.03;
            s->pts[i].n = 10 + i;
        }
        if (k % 2 == 0) {
            s->ncps = 1;
            s->cps = calloc(1, sizeof *s->cps);
            s->cps[0].index = nr / 2;
            s->cps[0].before = level;
            s->cps[0].after = 2 * level;
            s->cps[0].change = 1.0;
            s->cps[0].pvalue = 1e-6;
        }
    }
}

/* Free what make_trend made. */
static inline void free_trend(struct trend *t)
{
    size_t i;

    for (i = 0; i < t->nruns; i++) {
        free(t->runs[i].commit);
        free(t->runs[i].time);
    }
    for (i = 0; i < t->nseries; i++) {
        free(t->series[i].name);
        free(t->series[i].unit);
        free(t->series[i].pts);
        free(t->series[i].cps);
    }
    free(t->runs);
    free(t->series);
}

/* A result of nb micro benchmarks named names (free it with result_free):
 * benchmark i has n samples scale * (100 (i + 1) + (7 j mod n)), the last
 * one three times as large (a far outlier). */
static inline void make_result(struct result *r, const char *const *names, size_t nb, size_t n,
                               double scale)
{
    size_t i, j;

    result_begin(r, "plot", "2026-11-24T10:00:00Z");
    for (i = 0; i < nb; i++) {
        struct bench *b = result_add_bench(r);
        cr_assert_not_null(b);
        b->name = strdup(names[i]);
        b->nsamples = n;
        b->samples = malloc(n * sizeof *b->samples);
        for (j = 0; j < n; j++)
            b->samples[j] = scale * (100.0 * (double)(i + 1) + (double)((j * 7) % n));
        /* one far outlier per benchmark */
        b->samples[n - 1] *= 3;
        cr_assert_eq(bench_compute_stats(b, NULL), 0);
    }
}

/* A load record as pacer load leaves it: a histogram of latencies
 * (1000 + 10 i us for i < count, and one stall of 2 s), two intervals of
 * series and a server monitor of four rows; open loop when open. */
static inline void make_rep(struct load_rep *r, size_t count, int open)
{
    static const struct mon_row rows[] = {
        { 0.0, 0.0, 0.0, 1048576, 0, 0, 0, 0, 0, 0, 0 },
        { 1.0, 0.25, 0.05, 2097152, 0, 0, 0, 0, 0, 0, 0 },
        { 2.0, 0.75, 0.15, 3145728, 0, 0, 0, 0, 0, 0, 0 },
        { 3.0, 1.0, 0.2, 3145728, 0, 0, 0, 0, 0, 0, 0 },
    };
    struct err e = {0};
    size_t i;

    memset(r, 0, sizeof *r);
    r->set.url = strdup("http://127.0.0.1:8080/");
    r->set.open = open;
    r->set.rate = open ? 500.0 : 0.0;
    r->set.connections = 4;
    r->set.threads = r->set.pipeline = 1;
    r->set.digits = 3;
    r->set.warmup_ns = 1000000000;
    r->requests = r->sent = count + 1;
    r->bytes = 1000;
    r->errors[LC_TIMEOUT] = r->errors_total = 3;
    r->throughput = NAN;
    r->window_s[0] = r->window_s[1] = NAN;
    cr_assert_eq(hist_init(&r->latency, 3, 60000000000ull, &e), 0, "%s", e.msg);
    for (i = 0; i < count; i++)
        hist_record(&r->latency, 1000000 + 10000 * (uint64_t)i);
    hist_record(&r->latency, 2000000000);
    if (open) {
        r->from_send = 1;
        cr_assert_eq(hist_init(&r->latency_sent, 3, 60000000000ull, &e), 0, "%s", e.msg);
        cr_assert_eq(hist_merge(&r->latency_sent, &r->latency, &e), 0, "%s", e.msg);
    }
    r->interval_ns = 1000000000;
    r->niv = 2;
    r->iv = calloc(2, sizeof *r->iv);
    cr_assert_not_null(r->iv);
    r->iv[0] = (struct load_interval){ .t = 0.0, .requests = 600, .sent = 600, .bytes = 600,
                                       .p50 = 1500000, .p90 = 1800000, .p99 = 1900000,
                                       .p999 = 2000000, .max = 2000000 };
    r->iv[1] = (struct load_interval){ .t = 1.0, .requests = 400, .sent = 400, .bytes = 400,
                                       .p50 = 1600000, .p90 = 1900000, .p99 = 2000000000,
                                       .p999 = 2000000000, .max = 2000000000 };
    r->iv[1].errors[LC_TIMEOUT] = 3;
    r->nmon = 1;
    r->mon = calloc(1, sizeof *r->mon);
    cr_assert_not_null(r->mon);
    r->mon[0].label = strdup("server");
    r->mon[0].nrows = 4;
    r->mon[0].rows = malloc(sizeof rows);
    cr_assert_not_null(r->mon[0].rows);
    memcpy(r->mon[0].rows, rows, sizeof rows);
}

/* A result of one load benchmark named name with reps records of make_rep
 * (free it with result_free). */
static inline void make_load_result(struct result *r, const char *name, int open, size_t reps)
{
    struct bench *b;
    size_t i;

    result_begin(r, "load", "2026-11-24T10:00:00Z");
    b = result_add_bench(r);
    cr_assert_not_null(b);
    b->name = strdup(name);
    b->kind = KIND_LOAD;
    free(b->unit);
    b->unit = strdup("req/s");
    b->dir = DIR_HIGHER;
    b->load = calloc(reps, sizeof *b->load);
    cr_assert_not_null(b->load);
    b->nload = reps;
    b->nsamples = reps;
    b->samples = malloc(reps * sizeof *b->samples);
    for (i = 0; i < reps; i++) {
        make_rep(&b->load[i], 100 + 10 * i, open);
        b->samples[i] = 500 + (double)i;
    }
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
}

/* ---- what a plot leaves, read back --------------------------------------- */

/* The width and height of a PNG: the 8-byte signature, then the IHDR
 * chunk. */
static inline void png_size(const char *path, unsigned *w, unsigned *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char b[24];
    FILE *f = fopen(path, "rb");

    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    cr_assert_eq(fread(b, 1, 24, f), 24u, "%s: shorter than a PNG header", path);
    fclose(f);
    cr_assert(memcmp(b, sig, 8) == 0, "%s: not a PNG", path);
    cr_assert(memcmp(b + 12, "IHDR", 4) == 0, "%s: no IHDR first", path);
    *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
}

/* The width and height of an SVG: the attributes of its root <svg>
 * element. */
static inline void svg_size(const char *path, unsigned *w, unsigned *h)
{
    char *s = slurp(path, NULL), *root, *end, *p;

    cr_assert_not_null(s, "%s: %s", path, strerror(errno));
    root = strstr(s, "<svg");
    cr_assert_not_null(root, "%s: no <svg> element", path);
    end = strchr(root, '>');
    cr_assert_not_null(end);
    *end = '\0';
    p = strstr(root, " width=\"");
    cr_assert_not_null(p, "%s: no width", path);
    *w = (unsigned)strtoul(p + 8, NULL, 10);
    p = strstr(root, " height=\"");
    cr_assert_not_null(p, "%s: no height", path);
    *h = (unsigned)strtoul(p + 9, NULL, 10);
    free(s);
}

/* A row of a data file: its fields, split at tabs; block counts the double
 * blank lines (gnuplot's index) before it. */
struct dat_row {
    int block;
    int nf;
    char *f[40];
};

/* The rows of a data file (comments and blank lines skipped). */
struct dat {
    struct dat_row *rows;
    size_t n;
    char *text;
};

/* The rows of the data file path (free them with dat_free). */
static inline struct dat dat_read(const char *path)
{
    struct dat d = {0};
    char *line, *save = NULL, *p;
    int block = 0, blanks = 0;

    d.text = slurp(path, NULL);
    cr_assert_not_null(d.text, "%s: %s", path, strerror(errno));
    d.rows = calloc(strlen(d.text) / 2 + 1, sizeof *d.rows);
    cr_assert_not_null(d.rows);
    for (p = d.text; p && *p;) {
        char *nl = strchr(p, '\n');
        line = p;
        if (nl)
            *nl = '\0';
        p = nl ? nl + 1 : NULL;
        if (!*line) {
            if (++blanks == 2)
                block++;
            continue;
        }
        blanks = 0;
        if (line[0] == '#')
            continue;
        {
            struct dat_row *r = &d.rows[d.n++];
            char *tok;
            r->block = block;
            for (tok = strtok_r(line, "\t", &save); tok && r->nf < 40;
                 tok = strtok_r(NULL, "\t", &save))
                r->f[r->nf++] = tok;
        }
    }
    return d;
}

/* Field i of r as a number ("NaN" is NaN); the test fails without one. */
static inline double dat_num(const struct dat_row *r, int i)
{
    cr_assert_lt(i, r->nf, "row has %d fields, wanted field %d", r->nf, i);
    return strcmp(r->f[i], "NaN") ? strtod(r->f[i], NULL) : NAN;
}

/* Free what dat_read returned. */
static inline void dat_free(struct dat *d)
{
    free(d->rows);
    free(d->text);
}

/* got is want within 1e-12 of the larger of 1 and |want| (NaN: NaN). */
static inline void assert_close(double got, double want, const char *what)
{
    if (isnan(want)) {
        cr_assert(isnan(got), "%s: got %.17g, want NaN", what, got);
        return;
    }
    cr_assert(fabs(got - want) <= 1e-12 * fmax(1, fabs(want)), "%s: got %.17g, want %.17g",
              what, got, want);
}

#endif
