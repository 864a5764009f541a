/*
 * statcost.c: how long the driver's statistics of one benchmark take, for
 * figure 2 of suites/self/run.sh.  Reads sample values (ns/op, one a line)
 * on stdin, runs stats_compute() on them with the default options (those
 * `pacer run` uses unless a suite sets a seed) REPS times, and prints the
 * median time of one call in ns.  It links the harness's internal stats
 * module from libpacer.a on purpose: the cost measured is that of the very
 * code the driver runs after the samples.
 *
 * usage: statcost REPS < values
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "harness/lib/stats.h"

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int read_values(double **out, size_t *n)
{
    size_t cap = 1024;
    double v, *x = malloc(cap * sizeof *x);

    *n = 0;
    if (!x)
        return -1;
    while (scanf("%lf", &v) == 1) {
        if (*n == cap) {
            double *nx = realloc(x, 2 * cap * sizeof *nx);
            if (!nx) {
                free(x);
                return -1;
            }
            x = nx;
            cap *= 2;
        }
        x[(*n)++] = v;
    }
    *out = x;
    return 0;
}

int main(int argc, char **argv)
{
    struct stats st;
    double *x = NULL, *t = NULL;
    size_t n, r;
    long reps = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
    int rc = 1;

    if (reps < 1 || reps > 100) {
        fprintf(stderr, "usage: statcost REPS (1 to 100) < values\n");
        return 2;
    }
    if (read_values(&x, &n) < 0 || n == 0) {
        fprintf(stderr, "statcost: no values on stdin (or out of memory)\n");
        goto cleanup;
    }
    t = malloc((size_t)reps * sizeof *t);
    if (!t) {
        fprintf(stderr, "statcost: out of memory\n");
        goto cleanup;
    }
    for (r = 0; r < (size_t)reps; r++) {
        uint64_t t0 = now_ns();
        if (stats_compute(x, n, NULL, &st) < 0) {
            fprintf(stderr, "statcost: stats_compute: out of memory\n");
            goto cleanup;
        }
        t[r] = (double)(now_ns() - t0);
    }
    printf("%.0f %zu %u\n", stats_median(t, (size_t)reps), n, st.resamples);
    rc = 0;
cleanup:
    free(x);
    free(t);
    return rc;
}
