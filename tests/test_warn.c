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

static char *tally_lines(struct bench *b, size_t n, const struct context *ctx, double ci,
                         int *lines)
{
    struct warn_tally t;
    char *buf = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);

    warn_tally_init(&t, ctx, 0.05);
    for (i = 0; i < n; i++)
        warn_tally_add(&t, &b[i], ci);
    *lines = warn_tally_print(f, &t);
    fclose(f);
    return buf;
}

/* A run with many noisy benchmarks says so once: their number and the
 * worst three, worst first (what make bench on a busy machine shows). */
Test(warn, a_run_says_each_kind_once)
{
    struct bench b[6];
    char names[6][8] = {"s/a", "s/b", "s/c", "s/d", "s/e", "s/f"};
    double cvs[6] = {0.07, 0.22, 0.01, 0.09, 0.30, 0.06};
    int lines;
    size_t i;
    char *s;

    for (i = 0; i < 6; i++) {
        b[i] = base();
        b[i].name = names[i];
        b[i].st.cv = cvs[i];
    }
    s = tally_lines(b, 6, NULL, 0, &lines);
    cr_assert_eq(lines, 1);
    cr_assert_str_eq(s, "pacer: warning: 5 benchmarks are noisy (CV above 5.0%), the worst: "
                        "s/e 30.0%, s/b 22.0%, s/d 9.0%, ...; each one's statistics are in the "
                        "result\n");
    free(s);
    /* one alone keeps its own line */
    s = tally_lines(&b[1], 1, NULL, 0, &lines);
    cr_assert_eq(lines, 1);
    cr_assert_str_eq(s, "pacer: warning: s/b: CV 22.0% is above 5.0%: the samples are noisy\n");
    free(s);
}

/* --ci-target not reached: the CI it got, the samples, what to do. */
Test(warn, ci_target_not_reached)
{
    struct bench b[2] = {base(), base()};
    int lines;
    char *s;

    b[0].st.ci_median.lo = 9.8;   /* +-2 % of 10 */
    b[0].st.ci_median.hi = 10.2;
    b[1].st.ci_median.lo = 9.95;  /* +-0.5 % */
    b[1].st.ci_median.hi = 10.05;
    b[1].name = "s/y";
    s = tally_lines(b, 2, NULL, 0.01, &lines);
    cr_assert_eq(lines, 1);
    cr_assert_str_eq(s, "pacer: warning: s/x: the median's 95% CI is +-2.0% after 30 samples, "
                        "above the --ci-target of 1.0%: give it more --budget or --processes\n");
    free(s);
    b[1].st.ci_median.lo = 9.7;   /* +-3 % */
    b[1].st.ci_median.hi = 10.3;
    s = tally_lines(b, 2, NULL, 0.01, &lines);
    cr_assert_str_eq(s, "pacer: warning: 2 benchmarks did not reach their --ci-target, the "
                        "worst: s/y +-3.0%, s/x +-2.0%; give them more --budget or "
                        "--processes\n");
    free(s);
    /* without a target nothing is said */
    s = tally_lines(b, 2, NULL, 0, &lines);
    cr_assert_eq(lines, 0);
    free(s);
}
