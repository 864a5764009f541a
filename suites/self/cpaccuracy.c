/*
 * cpaccuracy.c: how well the change points of pacer trend (E-divisive
 * means, compare/changepoint.c) find known steps, with the Mann-Whitney
 * test (the default) and with Welch's t-test, at the default settings
 * (p < 0.001, 5 runs a side, 1 % magnitude floor); and what they find in
 * Apache Otava's example histories beside what Otava finds there.
 *
 *   make build/self/cpaccuracy && build/self/cpaccuracy [SERIES] [SEED]
 *   build/self/cpaccuracy --histories tests/data/trend
 *
 * Synthetic: for each length (50, 200, 1000 runs), noise (a run's value
 * scattered normally with CV 1, 2, 5 %), step (+2, +5, +10 % from a random
 * run between the 5th and the 5th from the end) and outliers (none, or
 * each run slowed by 50 to 200 % with probability 2 %: interference adds
 * time, it never takes any away), SERIES series (default 200) with one
 * step and SERIES without any.  A step counts as detected when a change
 * point lies within 5 runs of it (2 for length 50); every other change
 * point is false.  Printed per cell and test: the detection rate, false
 * change points per 1000 runs in the series with a step and in those
 * without.  Then temporary regressions (+10 % for 10 or 20 runs of 200,
 * then back: both edges must be found), and the time cp_detect takes for
 * 100 series of 1000 runs with each test.  Every draw comes from
 * harness/rng.c seeded with SEED (default 1).
 *
 * Histories: each DIR/NAME.txt holds one history (a value a line, oldest
 * first) and "# otava: SETTINGS: INDEXES" lines, the change points Otava
 * reports with those settings (tests/data/trend names the sources).  For
 * each such line pacer's change points are printed at the same p,
 * magnitude floor and window, with each test, with 5 runs a side (and 3
 * for a history of fewer than 30 runs).
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compare/changepoint.h"
#include "harness/lib/rng.h"

static const size_t lengths[] = {50, 200, 1000};
static const double cvs[] = {0.01, 0.02, 0.05};
static const double steps[] = {0.02, 0.05, 0.10};
static const double outlier_rates[] = {0, 0.02};
static const enum cp_test tests[] = {CP_TEST_RANK, CP_TEST_WELCH};

#define COUNT(a) (sizeof (a) / sizeof *(a))
#define NTESTS COUNT(tests)

/* level 100, noise cv, a factor of 1 + step on [from, to) (none when
 * to == 0), and each run slowed by 50-200 % with probability rate. */
static void series(struct rng *r, double *x, size_t n, double cv, double step, size_t from,
                   size_t to, double rate)
{
    size_t i;

    for (i = 0; i < n; i++) {
        x[i] = 100 * (i >= from && i < to ? 1 + step : 1) * (1 + cv * rng_normal(r));
        if (rate > 0 && rng_uniform(r) < rate)
            x[i] *= 1.5 + 1.5 * rng_uniform(r);
    }
}

static size_t detect(const double *x, size_t n, const struct cp_opts *o,
                     struct changepoint **cps)
{
    struct err e = {0};
    size_t k;

    if (cp_detect(x, n, o, cps, &k, &e) < 0) {
        fprintf(stderr, "cpaccuracy: %s\n", e.msg);
        exit(1);
    }
    return k;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* How many of the true edges at[0..nat) a change point of cps[0..m) lies
 * within tol of (each change point counts for one edge); *falsep gets the
 * change points that match none. */
static size_t matched(const struct changepoint *cps, size_t m, const size_t *at, size_t nat,
                      size_t tol, size_t *falsep)
{
    size_t a, j, found = 0, used = 0;
    unsigned long long taken = 0;   /* m is small: a bit per change point */

    for (a = 0; a < nat; a++)
        for (j = 0; j < m && j < 64; j++) {
            size_t d = cps[j].index > at[a] ? cps[j].index - at[a] : at[a] - cps[j].index;

            if (d <= tol && !(taken >> j & 1)) {
                taken |= 1ULL << j;
                found++;
                used++;
                break;
            }
        }
    *falsep = m - used;
    return found;
}

struct cell {
    size_t found, falsep, null_false;
};

/* One cell of the table: reps series with a step and reps without, the
 * same draws for every test. */
static void run_cell(struct rng *r, double *x, size_t n, double cv, double step, double rate,
                     size_t reps, struct cell *c)
{
    size_t tol = n <= 50 ? 2 : 5, k, t;
    struct cp_opts o;

    cp_opts_default(&o);
    memset(c, 0, NTESTS * sizeof *c);
    for (k = 0; k < reps; k++) {
        size_t at = o.min_size + (size_t)rng_below(r, n - 2 * o.min_size + 1);

        for (t = 0; t < NTESTS; t++) {
            struct changepoint *cps;
            size_t m, f;
            struct rng keep = *r;

            o.test = tests[t];
            series(r, x, n, cv, step, at, n, rate);
            m = detect(x, n, &o, &cps);
            c[t].found += matched(cps, m, &at, 1, tol, &f);
            c[t].falsep += f;
            free(cps);
            series(r, x, n, cv, 0, 0, 0, rate);
            c[t].null_false += detect(x, n, &o, &cps);
            free(cps);
            if (t + 1 < NTESTS)
                *r = keep;   /* the next test sees the same series */
        }
    }
}

static void synthetic(size_t reps, unsigned long long seed)
{
    double *x = malloc(1000 * sizeof *x);
    size_t li, ci, si, oi, t;
    struct cp_opts o;
    struct rng r;

    if (!x)
        exit(1);
    cp_opts_default(&o);
    rng_seed(&r, seed);
    printf("E-divisive means: p < %g, min size %zu, magnitude floor %g %%; %zu series per cell "
           "with one step, %zu without; seed %llu\noutliers: each run slowed by 50-200 %% with "
           "probability 2 %%\n\n", o.pvalue, o.min_size, 100 * o.min_magnitude, reps, reps,
           seed);
    printf("%6s %5s %5s %8s", "", "", "", "");
    for (t = 0; t < NTESTS; t++)
        printf("   %-31s", cp_test_name(tests[t]));
    printf("\n%6s %5s %5s %8s", "length", "noise", "step", "outliers");
    for (t = 0; t < NTESTS; t++)
        printf("   %8s %11s %10s", "detected", "false/1000", "(no step)");
    printf("\n");
    for (li = 0; li < COUNT(lengths); li++)
        for (ci = 0; ci < COUNT(cvs); ci++)
            for (si = 0; si < COUNT(steps); si++)
                for (oi = 0; oi < COUNT(outlier_rates); oi++) {
                    size_t n = lengths[li];
                    struct cell c[NTESTS];

                    run_cell(&r, x, n, cvs[ci], steps[si], outlier_rates[oi], reps, c);
                    printf("%6zu %4.0f%% %4.0f%% %8s", n, 100 * cvs[ci], 100 * steps[si],
                           outlier_rates[oi] > 0 ? "2 %" : "none");
                    for (t = 0; t < NTESTS; t++)
                        printf("   %7.1f%% %11.2f %10.2f",
                               100.0 * (double)c[t].found / (double)reps,
                               1000.0 * (double)c[t].falsep / (double)(reps * n),
                               1000.0 * (double)c[t].null_false / (double)(reps * n));
                    printf("\n");
                }
    free(x);
}

/* Temporary regressions: +10 % for len runs of 200 from a random run, 2 %
 * noise; both edges must be found. */
static void temporary(size_t reps, unsigned long long seed)
{
    static const size_t lens[] = {10, 20};
    double x[200];
    size_t li, oi, k, t;
    struct cp_opts o;
    struct rng r;

    cp_opts_default(&o);
    rng_seed(&r, seed + 1);
    printf("\ntemporary regressions: +10 %% for 10 or 20 of 200 runs, then back; 2 %% noise; "
           "edges found (of 2 a series)\n%6s %8s", "runs", "outliers");
    for (t = 0; t < NTESTS; t++)
        printf("   %12s %10s", cp_test_name(tests[t]), "false/1000");
    printf("\n");
    for (li = 0; li < COUNT(lens); li++)
        for (oi = 0; oi < COUNT(outlier_rates); oi++) {
            size_t found[NTESTS] = {0}, falsep[NTESTS] = {0};

            for (k = 0; k < reps; k++) {
                size_t at[2];

                at[0] = 10 + (size_t)rng_below(&r, 200 - 20 - lens[li] + 1);
                at[1] = at[0] + lens[li];
                for (t = 0; t < NTESTS; t++) {
                    struct changepoint *cps;
                    struct rng keep = r;
                    size_t m, f;

                    o.test = tests[t];
                    series(&r, x, 200, 0.02, 0.10, at[0], at[1], outlier_rates[oi]);
                    m = detect(x, 200, &o, &cps);
                    found[t] += matched(cps, m, at, 2, 5, &f);
                    falsep[t] += f;
                    free(cps);
                    if (t + 1 < NTESTS)
                        r = keep;
                }
            }
            printf("%6zu %8s", lens[li], outlier_rates[oi] > 0 ? "2 %" : "none");
            for (t = 0; t < NTESTS; t++)
                printf("   %11.1f%% %10.2f", 50.0 * (double)found[t] / (double)reps,
                       1000.0 * (double)falsep[t] / (double)(reps * 200));
            printf("\n");
        }
}

/* cp_detect's time on 100 series of 1000 runs, each with a 5 % step and
 * 2 % noise, with each test. */
static void speed(unsigned long long seed)
{
    double *all = malloc(100 * 1000 * sizeof *all);
    struct cp_opts o;
    struct rng r;
    size_t k, t;

    if (!all)
        exit(1);
    rng_seed(&r, seed);
    for (k = 0; k < 100; k++)
        series(&r, all + 1000 * k, 1000, 0.02, 0.05, 200 + 6 * k, 1000, 0);
    cp_opts_default(&o);
    printf("\n");
    for (t = 0; t < NTESTS; t++) {
        size_t total = 0;
        double t0 = now();

        o.test = tests[t];
        for (k = 0; k < 100; k++) {
            struct changepoint *cps;

            total += detect(all + 1000 * k, 1000, &o, &cps);
            free(cps);
        }
        printf("cp_detect (%s) on 100 series x 1000 runs: %.1f ms (%zu change points)\n",
               cp_test_name(tests[t]), 1000 * (now() - t0), total);
    }
    free(all);
}

/* ---- Otava's example histories ---------------------------------------------- */

#define MAX_OTAVA 16

struct history {
    double *x;
    size_t n;
    char *otava[MAX_OTAVA];   /* "SETTINGS: INDEXES" */
    size_t notava;
};

static void history_read(const char *path, struct history *h)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    size_t cap = 0;

    memset(h, 0, sizeof *h);
    if (!f) {
        perror(path);
        exit(1);
    }
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "# otava: ", 9) && h->notava < MAX_OTAVA) {
            if (!(h->otava[h->notava++] = strdup(line + 9)))
                exit(1);
        } else if (line[0] && line[0] != '#') {
            if (h->n == cap) {
                cap = cap ? 2 * cap : 256;
                if (!(h->x = realloc(h->x, cap * sizeof *h->x)))
                    exit(1);
            }
            h->x[h->n++] = strtod(line, NULL);
        }
    }
    fclose(f);
}

/* A setting "name=value" of an otava line, or def. */
static double setting(const char *line, const char *name, double def)
{
    const char *p = strstr(line, name);

    return p && p[strlen(name)] == '=' ? strtod(p + strlen(name) + 1, NULL) : def;
}

static void print_pacer(const struct history *h, const struct cp_opts *o)
{
    struct changepoint *cps;
    size_t k, m = detect(h->x, h->n, o, &cps);

    printf("    pacer %-12s window %zu, min size %zu: ", cp_test_name(o->test), o->window,
           o->min_size);
    if (h->n < cp_min_length(o))
        printf("too few runs (fewer than %zu)", cp_min_length(o));
    for (k = 0; k < m; k++)
        printf("%s%zu (%+.1f%%)", k ? " " : "", cps[k].index, 100 * cps[k].change);
    if (!m && h->n >= cp_min_length(o))
        printf("none");
    printf("\n");
    free(cps);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void histories(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char *names[64];
    size_t nn = 0, i, j, t, ms;

    if (!d) {
        perror(dir);
        exit(1);
    }
    while ((de = readdir(d)) && nn < COUNT(names)) {
        size_t len = strlen(de->d_name);

        if (len > 4 && !strcmp(de->d_name + len - 4, ".txt") && !(names[nn++] = strdup(de->d_name)))
            exit(1);
    }
    closedir(d);
    qsort(names, nn, sizeof *names, by_name);
    for (i = 0; i < nn; i++) {
        char path[4096];
        struct history h;

        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        history_read(path, &h);
        printf("%s (%zu runs)\n", names[i], h.n);
        for (j = 0; j < h.notava; j++) {
            struct cp_opts o;

            cp_opts_default(&o);
            o.pvalue = setting(h.otava[j], "max_pvalue", o.pvalue);
            o.min_magnitude = setting(h.otava[j], "min_magnitude", o.min_magnitude);
            o.window = (size_t)setting(h.otava[j], "window_len", (double)o.window);
            printf("  otava %s\n", h.otava[j]);
            for (ms = 5; ms >= (h.n < 30 ? 3 : 5); ms -= 2)
                for (t = 0; t < NTESTS; t++) {
                    o.min_size = ms;
                    o.test = tests[t];
                    print_pacer(&h, &o);
                }
            free(h.otava[j]);
        }
        free(h.x);
        free(names[i]);
    }
}

int main(int argc, char **argv)
{
    size_t reps;
    unsigned long long seed;

    if (argc == 3 && !strcmp(argv[1], "--histories")) {
        histories(argv[2]);
        return 0;
    }
    reps = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
    seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    if (reps == 0) {
        fprintf(stderr, "usage: cpaccuracy [SERIES] [SEED]\n"
                        "       cpaccuracy --histories DIR\n");
        return 2;
    }
    synthetic(reps, seed);
    temporary(reps, seed);
    speed(seed);
    return 0;
}
