/*
 * cpaccuracy.c: how well the change points of pacer trend (E-divisive means
 * with a Welch t-test, compare/changepoint.c) find known steps, at the
 * default settings (p < 0.001, 5 runs a side, 1 % magnitude floor).
 *
 *   make build/self/cpaccuracy && build/self/cpaccuracy [SERIES] [SEED]
 *
 * For each length (50, 200, 1000 runs), noise (a run's median scattered
 * normally with CV 1, 2, 5 %) and step (+2, +5, +10 % from a random run
 * between the 5th and the 5th from the end), SERIES series (default 200)
 * with one step and SERIES without any.  A step counts as detected when a
 * change point lies within 5 runs of it (2 for length 50); every other
 * change point is false.  Printed per cell: the detection rate, false
 * change points per 1000 runs (in the series with a step, and in those
 * without), and the mean absolute distance of the detected change point
 * from the true one.  Then the time cp_detect takes for 100 series of 1000
 * runs.  Every draw comes from harness/rng.c seeded with SEED (default 1).
 */
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

#define COUNT(a) (sizeof (a) / sizeof *(a))

/* level 100, noise cv; a step of `step` from index at (none when at == 0). */
static void series(struct rng *r, double *x, size_t n, double cv, double step, size_t at)
{
    size_t i;

    for (i = 0; i < n; i++)
        x[i] = 100 * (at && i >= at ? 1 + step : 1) * (1 + cv * rng_normal(r));
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

int main(int argc, char **argv)
{
    size_t reps = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
    unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    struct cp_opts o;
    struct rng r;
    double *x, t0, t1;
    size_t li, ci, si, k;

    if (reps == 0) {
        fprintf(stderr, "usage: cpaccuracy [SERIES] [SEED]\n");
        return 2;
    }
    cp_opts_default(&o);
    rng_seed(&r, seed);
    x = malloc(1000 * sizeof *x);
    if (!x)
        return 1;
    printf("E-divisive means + Welch t-test: p < %g, min size %zu, magnitude floor %g %%;\n"
           "%zu series per cell with one step, %zu without; seed %llu\n\n", o.pvalue,
           o.min_size, 100 * o.min_magnitude, reps, reps, seed);
    printf("%6s %5s %5s %9s %13s %13s %11s\n", "length", "noise", "step", "detected",
           "false/1000", "false/1000", "mean |err|");
    printf("%6s %5s %5s %9s %13s %13s %11s\n", "", "CV", "", "", "(with step)", "(no step)",
           "(runs)");
    for (li = 0; li < COUNT(lengths); li++) {
        size_t n = lengths[li], tol = n <= 50 ? 2 : 5;

        for (ci = 0; ci < COUNT(cvs); ci++) {
            size_t null_false = 0;

            /* the series without a step, shared by the three steps */
            for (k = 0; k < reps; k++) {
                struct changepoint *cps;

                series(&r, x, n, cvs[ci], 0, 0);
                null_false += detect(x, n, &o, &cps);
                free(cps);
            }
            for (si = 0; si < COUNT(steps); si++) {
                size_t found = 0, falsep = 0;
                double err = 0;

                for (k = 0; k < reps; k++) {
                    struct changepoint *cps;
                    size_t at = o.min_size + (size_t)rng_below(&r, n - 2 * o.min_size + 1);
                    size_t m, j, best = SIZE_MAX, dist = SIZE_MAX;

                    series(&r, x, n, cvs[ci], steps[si], at);
                    m = detect(x, n, &o, &cps);
                    for (j = 0; j < m; j++) {
                        size_t d = cps[j].index > at ? cps[j].index - at : at - cps[j].index;
                        if (d < dist) {
                            dist = d;
                            best = j;
                        }
                    }
                    if (best != SIZE_MAX && dist <= tol) {
                        found++;
                        err += (double)dist;
                        falsep += m - 1;
                    } else {
                        falsep += m;
                    }
                    free(cps);
                }
                printf("%6zu %4.0f%% %4.0f%% %8.1f%% %13.2f %13.2f %11.2f\n", n, 100 * cvs[ci],
                       100 * steps[si], 100.0 * (double)found / (double)reps,
                       1000.0 * (double)falsep / (double)(reps * n),
                       1000.0 * (double)null_false / (double)(reps * n),
                       found ? err / (double)found : NAN);
            }
        }
    }

    /* speed: 100 series of 1000 runs, each with a 5 % step, 2 % noise */
    {
        double *all = malloc(100 * 1000 * sizeof *all);
        size_t total = 0;

        if (!all)
            return 1;
        for (k = 0; k < 100; k++)
            series(&r, all + 1000 * k, 1000, 0.02, 0.05, 200 + 6 * k);
        t0 = now();
        for (k = 0; k < 100; k++) {
            struct changepoint *cps;

            total += detect(all + 1000 * k, 1000, &o, &cps);
            free(cps);
        }
        t1 = now();
        printf("\ncp_detect on 100 series x 1000 runs: %.1f ms (%zu change points)\n",
               1000 * (t1 - t0), total);
        free(all);
    }
    free(x);
    return 0;
}
