/* test_warn.c: warnings about a finished benchmark (warn.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness/cli/warn.h"

static char *warnings(const struct bench *b, const struct context *ctx, double cv, int *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    *n = warn_bench(f, b, ctx, cv);
    fclose(f);
    return buf;
}

static struct bench base(void)
{
    struct bench b = {0};

    b.name = "s/x";
    b.unit = "ns";
    b.iterations = 1000000;
    b.st.n = 30;
    b.st.median = 10;
    b.st.cv = 0.01;
    return b;
}

Test(warn, quiet_when_all_is_well)
{
    struct bench b = base();
    struct context ctx = {.clock_resolution_ns = 20};
    int n;
    char *s = warnings(&b, &ctx, 0.05, &n);

    cr_assert_eq(n, 0);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(warn, noisy_samples)
{
    struct bench b = base();
    int n;
    char *s;

    b.st.cv = 0.123;
    s = warnings(&b, NULL, 0.05, &n);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(s, "pacer: warning: s/x: CV 12.3% is above 5.0%: the samples are noisy\n");
    free(s);
}

Test(warn, many_outliers)
{
    struct bench b = base();
    int n;
    char *s;

    /* 7 of 30 (23 %) are outliers. */
    b.st.outliers.high_mild = 6;
    b.st.outliers.high_severe = 1;
    s = warnings(&b, NULL, 0.05, &n);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(s, "pacer: warning: s/x: 7 of 30 samples are outliers (1 severe)\n");
    free(s);
    /* 6 of 30 is 20 %, 1 severe: not above either limit. */
    b.st.outliers.high_mild = 5;
    s = warnings(&b, NULL, 0.05, &n);
    cr_assert_eq(n, 0);
    free(s);
    /* 4 severe of 30 is above 10 %. */
    b.st.outliers.high_mild = 0;
    b.st.outliers.low_severe = 2;
    b.st.outliers.high_severe = 2;
    s = warnings(&b, NULL, 0.05, &n);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(s, "pacer: warning: s/x: 4 of 30 samples are outliers (4 severe)\n");
    free(s);
}

Test(warn, sample_near_clock_resolution)
{
    struct bench b = base();
    struct context ctx = {.clock_resolution_ns = 20};
    int n;
    char *s;

    b.iterations = 100;   /* 100 x 10 ns = 1 us < 1000 x 20 ns */
    s = warnings(&b, &ctx, 0.05, &n);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(s, "pacer: warning: s/x: a sample lasts 1.00 us, under 1000 x the clock "
                        "resolution (20.0 ns): raise --sample-time\n");
    free(s);
}

Test(warn, failed_benchmarks_get_none)
{
    struct bench b = base();
    struct bench_error be = {.message = "boom"};
    int n;
    char *s;

    b.st.cv = 0.5;
    b.error = &be;
    s = warnings(&b, NULL, 0.05, &n);
    cr_assert_eq(n, 0);
    free(s);
}
