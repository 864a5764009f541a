/*
 * test_bigo.c: complexity fits (harness/lib/bigo.c) against values
 * computed independently with Python 3 from the definition
 * (c = sum(t g) / sum(g^2), rms = sqrt(mean((t - c g)^2)) / mean(t),
 * g(n) from 1, log2 n, n, n log2 n, n^2, n^3):
 *
 *   import math
 *   def fit(n, t, g):
 *       G = [g(x) for x in n]
 *       c = sum(a * b for a, b in zip(t, G)) / sum(b * b for b in G)
 *       rms = math.sqrt(sum((a - c * b) ** 2 for a, b in zip(t, G)) / len(n)) / (sum(t) / len(t))
 *       return c, rms
 *   shapes = [('(1)', lambda x: 1.0), ('lgN', math.log2), ('N', lambda x: x),
 *             ('NlgN', lambda x: x * math.log2(x)), ('N^2', lambda x: x * x),
 *             ('N^3', lambda x: x ** 3)]
 *   data = {'A': ([16, 64, 256, 1024], [41.0, 166.0, 640.0, 2570.0]),
 *           'B': ([8, 16, 32, 64], [70.0, 260.0, 1030.0, 4100.0]),
 *           'C': ([2, 4, 8, 16, 32], [1.1, 1.9, 3.2, 3.9, 5.1])}
 *   for k, (n, t) in data.items():
 *       for name, g in shapes:
 *           c, r = fit(n, t, g)
 *           print(k, name, repr(c), repr(r))
 */
#include <criterion/criterion.h>
#include <math.h>

#include "harness/lib/bigo.h"
#include "helpers.h"

static const double na[] = {16, 64, 256, 1024}, ta[] = {41.0, 166.0, 640.0, 2570.0};
static const double nb[] = {8, 16, 32, 64}, tb[] = {70.0, 260.0, 1030.0, 4100.0};
static const double nc[] = {2, 4, 8, 16, 32}, tc[] = {1.1, 1.9, 3.2, 3.9, 5.1};

/* Python's figures (above) for each shape of data set A. */
static const struct {
    enum bigo_shape s;
    double coef, rms;
} ref_a[] = {
    {BIGO_1, 854.25, 1.188733793261188},
    {BIGO_LOGN, 148.05555555555554, 0.889384366162407},
    {BIGO_N, 2.509513046463722, 0.003501163404230228},
    {BIGO_NLOGN, 0.2535990069764825, 0.0839964021262917},
    {BIGO_N2, 0.002479992450057469, 0.2954636389749252},
    {BIGO_N3, 2.402263498866271e-06, 0.3649399913599343},
};

Test(bigo, each_shape_as_python_computes_it)
{
    struct bigo_fit f;

    for (size_t i = 0; i < COUNT(ref_a); i++) {
        cr_assert_eq(bigo_fit(na, ta, 4, ref_a[i].s, &f), 0);
        cr_expect_eq(f.shape, ref_a[i].s);
        cr_expect_float_eq(f.coef, ref_a[i].coef, 1e-12 * fabs(ref_a[i].coef), "%s: %.17g",
                           bigo_name(ref_a[i].s), f.coef);
        cr_expect_float_eq(f.rms, ref_a[i].rms, 1e-12, "%s: %.17g", bigo_name(ref_a[i].s),
                           f.rms);
    }
}

/* Auto takes the shape of lowest RMS: N for A, N^2 for B (1.0013375486381324,
 * 0.0031078257125463312), lgN for C (1.010909090909091,
 * 0.03987041462320325). */
Test(bigo, auto_takes_the_lowest_rms)
{
    struct bigo_fit f;

    cr_assert_eq(bigo_fit(na, ta, 4, BIGO_AUTO, &f), 0);
    cr_expect_eq(f.shape, BIGO_N);
    cr_expect_float_eq(f.coef, 2.509513046463722, 1e-12);
    cr_assert_eq(bigo_fit(nb, tb, 4, BIGO_AUTO, &f), 0);
    cr_expect_eq(f.shape, BIGO_N2);
    cr_expect_float_eq(f.coef, 1.0013375486381324, 1e-12);
    cr_expect_float_eq(f.rms, 0.0031078257125463312, 1e-12);
    cr_assert_eq(bigo_fit(nc, tc, 5, BIGO_AUTO, &f), 0);
    cr_expect_eq(f.shape, BIGO_LOGN);
    cr_expect_float_eq(f.coef, 1.010909090909091, 1e-12);
    cr_expect_float_eq(f.rms, 0.03987041462320325, 1e-12);
}

/* What cannot be fitted: one point, n below 1, lg n of n = 1 alone (all
 * g zero); the names as Google Benchmark prints them. */
Test(bigo, refusals_and_names)
{
    static const double one[] = {1, 1}, t2[] = {5, 6}, zero[] = {0, 4};
    struct bigo_fit f;

    cr_expect_eq(bigo_fit(na, ta, 1, BIGO_N, &f), -1);
    cr_expect_eq(bigo_fit(zero, t2, 2, BIGO_N, &f), -1);
    cr_expect_eq(bigo_fit(one, t2, 2, BIGO_LOGN, &f), -1);
    cr_assert_eq(bigo_fit(one, t2, 2, BIGO_AUTO, &f), 0);   /* (1) fits */
    cr_expect_eq(f.shape, BIGO_1);
    cr_expect_float_eq(f.coef, 5.5, 1e-15);
    cr_expect_str_eq(bigo_name(BIGO_1), "(1)");
    cr_expect_str_eq(bigo_name(BIGO_NLOGN), "NlgN");
    cr_expect_str_eq(bigo_name(BIGO_N3), "N^3");
    cr_expect_str_eq(bigo_name(BIGO_AUTO), "");
    cr_expect_eq(bigo_parse("N^2"), BIGO_N2);
    cr_expect_eq(bigo_parse("auto"), BIGO_AUTO);
    cr_expect_eq(bigo_parse("n"), BIGO_NONE);
}
