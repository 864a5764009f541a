/*
 * test_changepoint.c: compare/changepoint.c against an independent model and
 * against the properties its header promises.
 *
 * Reference values: tests/ref/changepoint.py (Python 3.11.2, scipy
 * 1.10.1): Q of every split by the double sums of its definition, the best
 * split, Welch p-values from scipy.stats.ttest_ind(equal_var=False),
 * Mann-Whitney p-values from scipy.stats.mannwhitneyu, the whole detection
 * (recursion and merge) with either test as changepoint.h states it, and
 * the fewest points that can hold a change point.  Its output
 * tests/ref/changepoint_ref.out is C and is included as it is.
 *
 * Properties, on seeded series of harness/rng.c: nothing in constant or
 * pure-noise series, one and two steps at their index, min_size and the
 * magnitude floor respected, the same answer every time; a step beside one
 * wild run, which the rank test finds and Welch's misses.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/changepoint.h"
#include "compare/rank.h"
#include "harness/lib/rng.h"
#include "helpers.h"

struct cp_ref_point {
    size_t index;
    double before, after, change, pvalue, q;
};

struct cp_ref {
    const char *name;
    size_t n;
    const double *x, *q;
    size_t best;
    double best_q, best_p, best_p_rank;
    const struct cp_ref_point *found;        /* by Welch's test */
    size_t nfound;
    const struct cp_ref_point *found_rank;   /* by Mann-Whitney's */
    size_t nfound_rank;
};

struct cp_min_ref {
    double pvalue;
    size_t min_size, welch, rank;
};

struct welch_ref {
    const double *a;
    size_t na;
    const double *b;
    size_t nb;
    double p;
};

#include "ref/changepoint_ref.out"

/* |got - want| within rel of want, or within abs_tol (Q near zero). */
static int near(double got, double want, double rel, double abs_tol)
{
    return fabs(got - want) <= rel * fabs(want) || fabs(got - want) <= abs_tol;
}

static void detect(const double *x, size_t n, const struct cp_opts *o, struct changepoint **cps,
                   size_t *ncps)
{
    struct err e = {0};

    cr_assert_eq(cp_detect(x, n, o, cps, ncps, &e), 0, "%s", e.msg);
}

Test(changepoint, energy_matches_the_definition)
{
    size_t i, t;

    for (i = 0; i < COUNT(cp_ref); i++) {
        const struct cp_ref *r = &cp_ref[i];
        double *q = malloc((r->n + 1) * sizeof *q), scale = fabs(r->best_q);

        cr_assert_eq(cp_energy(r->x, r->n, q), 0);
        for (t = 0; t <= r->n; t++)
            cr_expect(near(q[t], r->q[t], 1e-9, 1e-10 * scale), "%s: Q(%zu) = %.17g, want %.17g",
                      r->name, t, q[t], r->q[t]);
        free(q);
    }
}

Test(changepoint, best_split_and_its_p)
{
    struct rank_result rr;
    size_t i, t;

    for (i = 0; i < COUNT(cp_ref); i++) {
        const struct cp_ref *r = &cp_ref[i];
        double *q = malloc((r->n + 1) * sizeof *q), p;
        size_t best = 5;

        cr_assert_eq(cp_energy(r->x, r->n, q), 0);
        for (t = 6; t <= r->n - 5; t++)
            if (q[t] > q[best])
                best = t;
        cr_expect_eq(best, r->best, "%s: best split %zu, want %zu", r->name, best, r->best);
        cr_expect(near(q[best], r->best_q, 1e-9, 0), "%s: Q %.17g, want %.17g", r->name, q[best],
                  r->best_q);
        p = cp_welch_p(r->x, best, r->x + best, r->n - best);
        cr_expect(near(p, r->best_p, 1e-8, 0), "%s: p %.17g, want %.17g", r->name, p, r->best_p);
        cr_assert_eq(rank_mwu(r->x, best, r->x + best, r->n - best, &rr), 0);
        cr_expect(near(rr.p, r->best_p_rank, 1e-8, 0), "%s: Mann-Whitney p %.17g, want %.17g",
                  r->name, rr.p, r->best_p_rank);
        free(q);
    }
}

/* cp_detect of every model series with test t against the model's
 * change points. */
static void expect_model(enum cp_test t)
{
    struct cp_opts o;
    size_t i, k;

    cp_opts_default(&o);
    o.test = t;
    for (i = 0; i < COUNT(cp_ref); i++) {
        const struct cp_ref *r = &cp_ref[i];
        const struct cp_ref_point *want = t == CP_TEST_RANK ? r->found_rank : r->found;
        size_t nwant = t == CP_TEST_RANK ? r->nfound_rank : r->nfound;
        struct changepoint *cps;
        size_t n;

        detect(r->x, r->n, &o, &cps, &n);
        cr_assert_eq(n, nwant, "%s, %s: %zu change points, want %zu", cp_test_name(t), r->name,
                     n, nwant);
        for (k = 0; k < n; k++) {
            const struct cp_ref_point *w = &want[k];

            cr_expect_eq(cps[k].index, w->index, "%s", r->name);
            cr_expect(near(cps[k].before, w->before, 1e-12, 0), "%s", r->name);
            cr_expect(near(cps[k].after, w->after, 1e-12, 0), "%s", r->name);
            cr_expect(near(cps[k].change, w->change, 1e-9, 0), "%s", r->name);
            cr_expect(near(cps[k].pvalue, w->pvalue, 1e-8, 0), "%s: p %.17g, want %.17g",
                      r->name, cps[k].pvalue, w->pvalue);
            cr_expect(near(cps[k].q, w->q, 1e-9, 0), "%s", r->name);
        }
        free(cps);
    }
}

Test(changepoint, detection_matches_the_model)
{
    expect_model(CP_TEST_WELCH);
}

Test(changepoint, rank_detection_matches_the_model)
{
    expect_model(CP_TEST_RANK);
}

Test(changepoint, shortest_series_that_can_hold_a_change_point)
{
    struct cp_opts o;
    size_t i;

    cp_opts_default(&o);
    for (i = 0; i < COUNT(cp_min_ref); i++) {
        const struct cp_min_ref *r = &cp_min_ref[i];

        o.pvalue = r->pvalue;
        o.min_size = r->min_size;
        o.test = CP_TEST_WELCH;
        cr_expect_eq(cp_min_length(&o), r->welch, "welch, p %g, min %zu", r->pvalue, r->min_size);
        o.test = CP_TEST_RANK;
        cr_expect_eq(cp_min_length(&o), r->rank, "rank, p %g, min %zu", r->pvalue, r->min_size);
    }
    /* a min_size below 2 counts as 2 */
    o.min_size = 0;
    o.pvalue = 0.05;
    o.test = CP_TEST_WELCH;
    cr_expect_eq(cp_min_length(&o), 4);
}

Test(changepoint, names_of_the_tests)
{
    enum cp_test t;

    cr_expect_str_eq(cp_test_name(CP_TEST_RANK), "mann-whitney");
    cr_expect_str_eq(cp_test_name(CP_TEST_WELCH), "welch");
    cr_expect_eq(cp_test_parse("welch", &t), 0);
    cr_expect_eq(t, CP_TEST_WELCH);
    cr_expect_eq(cp_test_parse("mann-whitney", &t), 0);
    cr_expect_eq(t, CP_TEST_RANK);
    cr_expect_eq(cp_test_parse("t", &t), -1);
}

Test(changepoint, welch_against_scipy)
{
    size_t i;

    for (i = 0; i < COUNT(welch_ref); i++) {
        const struct welch_ref *r = &welch_ref[i];
        double p = cp_welch_p(r->a, r->na, r->b, r->nb);

        cr_expect(near(p, r->p, 1e-8, 0), "case %zu: p %.17g, want %.17g", i, p, r->p);
    }
}

Test(changepoint, welch_edge_cases)
{
    static const double one[] = {1}, same[] = {2, 2, 2}, other[] = {3, 3, 3, 3};

    cr_expect_eq(cp_welch_p(one, 1, same, 3), 1);
    cr_expect_eq(cp_welch_p(same, 3, same, 3), 1);
    cr_expect_eq(cp_welch_p(same, 3, other, 4), 0);
}

/* level * (1 + cv * N(0,1)) for n points, seeded. */
static double *noisy(size_t n, double level, double cv, uint64_t seed)
{
    struct rng r;
    double *x = malloc(n * sizeof *x);
    size_t i;

    rng_seed(&r, seed);
    for (i = 0; i < n; i++)
        x[i] = level * (1 + cv * rng_normal(&r));
    return x;
}

Test(changepoint, nothing_in_a_constant_series)
{
    struct cp_opts o;
    struct changepoint *cps;
    double x[200];
    size_t i, n;

    cp_opts_default(&o);
    for (i = 0; i < COUNT(x); i++)
        x[i] = 42.5;
    detect(x, COUNT(x), &o, &cps, &n);
    cr_expect_eq(n, 0);
    cr_expect_null(cps);
}

Test(changepoint, nothing_in_pure_noise)
{
    struct cp_opts o;
    uint64_t seed;

    cp_opts_default(&o);
    for (seed = 1; seed <= 20; seed++) {
        double *x = noisy(seed % 2 ? 200 : 1000, 1000, 0.02, seed);
        struct changepoint *cps;
        size_t n;

        detect(x, seed % 2 ? 200 : 1000, &o, &cps, &n);
        cr_expect_eq(n, 0, "seed %llu: %zu change points, the first at %zu",
                     (unsigned long long)seed, n, n ? cps[0].index : 0);
        free(cps);
        free(x);
    }
}

Test(changepoint, one_step_at_its_index)
{
    struct cp_opts o;
    struct changepoint *cps;
    double *x = noisy(300, 100, 0.01, 11);
    size_t i, n;

    for (i = 137; i < 300; i++)
        x[i] *= 1.05;
    cp_opts_default(&o);
    detect(x, 300, &o, &cps, &n);
    cr_assert_eq(n, 1);
    cr_expect_eq(cps[0].index, 137);
    cr_expect(fabs(cps[0].change - 0.05) < 0.01, "change %g", cps[0].change);
    cr_expect_lt(cps[0].pvalue, 1e-10);
    cr_expect_gt(cps[0].q, 0);
    free(cps);
    free(x);
}

Test(changepoint, two_steps_at_their_indexes)
{
    struct cp_opts o;
    struct changepoint *cps;
    double *x = noisy(400, 100, 0.01, 12);
    size_t i, n;

    for (i = 90; i < 400; i++)
        x[i] *= i < 250 ? 1.10 : 0.95;
    cp_opts_default(&o);
    detect(x, 400, &o, &cps, &n);
    cr_assert_eq(n, 2);
    cr_expect_eq(cps[0].index, 90);
    cr_expect_eq(cps[1].index, 250);
    cr_expect_gt(cps[0].change, 0.08);
    cr_expect_lt(cps[1].change, -0.03);
    /* The segments are the neighbours: the first's after is the second's
     * before. */
    cr_expect_eq(cps[0].after, cps[1].before);
    free(cps);
    free(x);
}

Test(changepoint, min_size_respected)
{
    struct cp_opts o;
    struct changepoint *cps;
    double x[40];
    size_t i, n;

    /* A clean step after 3 points: too close to the start for 5, found
     * with 3 (by Welch's test: three ranks a side cannot reach p < 0.001). */
    for (i = 0; i < COUNT(x); i++)
        x[i] = i < 3 ? 10 : 20 + 0.01 * (double)(i % 3);
    cp_opts_default(&o);
    o.test = CP_TEST_WELCH;
    detect(x, COUNT(x), &o, &cps, &n);
    for (i = 0; i < n; i++)
        cr_expect(cps[i].index >= 5 && cps[i].index <= COUNT(x) - 5, "index %zu", cps[i].index);
    free(cps);
    o.min_size = 3;
    detect(x, COUNT(x), &o, &cps, &n);
    cr_assert_eq(n, 1);
    cr_expect_eq(cps[0].index, 3);
    free(cps);
    /* Segments never shorter than min_size, on a staircase. */
    {
        double y[120];

        for (i = 0; i < COUNT(y); i++)
            y[i] = 100 + 10 * (double)(i / 7) + 0.1 * (double)(i % 2);
        o.min_size = 10;
        detect(y, COUNT(y), &o, &cps, &n);
        cr_assert_gt(n, 0);
        for (i = 0; i <= n; i++) {
            size_t from = i ? cps[i - 1].index : 0, to = i < n ? cps[i].index : COUNT(y);
            cr_expect_geq(to - from, 10, "segment [%zu, %zu)", from, to);
        }
        free(cps);
    }
    /* Too short for any split. */
    o.min_size = 5;
    detect(x, 9, &o, &cps, &n);
    cr_expect_eq(n, 0);
}

Test(changepoint, magnitude_floor_respected)
{
    struct cp_opts o;
    struct changepoint *cps;
    size_t i, n;

    /* The model's "small" case: a 0.5 % step, clear to the t-test, under
     * the default 1 % floor. */
    for (i = 0; i < COUNT(cp_ref); i++)
        if (!strcmp(cp_ref[i].name, "small"))
            break;
    cr_assert_lt(i, COUNT(cp_ref));
    cp_opts_default(&o);
    detect(cp_ref[i].x, cp_ref[i].n, &o, &cps, &n);
    cr_expect_eq(n, 0);
    o.min_magnitude = 0.001;
    detect(cp_ref[i].x, cp_ref[i].n, &o, &cps, &n);
    cr_assert_eq(n, 1);
    cr_expect_eq(cps[0].index, 15);
    free(cps);
    /* Every kept change point is at least the floor. */
    {
        double *x = noisy(500, 50, 0.01, 5);

        for (i = 100; i < 500; i++)
            x[i] *= i < 200 ? 1.03 : i < 300 ? 1.035 : i < 400 ? 0.98 : 1.0;
        o.min_magnitude = 0.02;
        detect(x, 500, &o, &cps, &n);
        cr_expect_gt(n, 0);
        for (i = 0; i < n; i++)
            cr_expect_geq(fabs(cps[i].change), 0.02, "change %g at %zu", cps[i].change,
                          cps[i].index);
        free(cps);
        free(x);
    }
}

Test(changepoint, deterministic)
{
    struct cp_opts o;
    struct changepoint *a, *b;
    double *x = noisy(1000, 10, 0.03, 99);
    size_t i, na, nb;

    for (i = 300; i < 1000; i++)
        x[i] *= i < 700 ? 1.2 : 1.1;
    cp_opts_default(&o);
    detect(x, 1000, &o, &a, &na);
    detect(x, 1000, &o, &b, &nb);
    cr_assert_eq(na, nb);
    cr_assert_gt(na, 0);
    cr_expect_eq(memcmp(a, b, na * sizeof *a), 0);
    free(a);
    free(b);
    free(x);
}

Test(changepoint, refuses_non_finite_values)
{
    struct cp_opts o;
    struct changepoint *cps;
    struct err e = {0};
    double x[20] = {0};
    size_t n;

    x[7] = NAN;
    cp_opts_default(&o);
    cr_expect_eq(cp_detect(x, 20, &o, &cps, &n, &e), -1);
    cr_expect_str_eq(e.msg, "point 7: nan is not a finite number");
    cr_expect_null(cps);
}

/* A +5 % step at 150 of 300 runs with 1 % noise, and one run at five times
 * the level in the first half: the rank test finds the step, the t-test's
 * variance is swollen by the one run and it does not. */
Test(changepoint, one_wild_run_cannot_hide_a_step)
{
    struct cp_opts o;
    struct changepoint *cps;
    double *x = noisy(300, 100, 0.01, 21);
    size_t i, n;

    for (i = 150; i < 300; i++)
        x[i] *= 1.05;
    x[60] *= 5;
    cp_opts_default(&o);
    detect(x, 300, &o, &cps, &n);
    cr_assert_eq(n, 1);
    cr_expect_eq(cps[0].index, 150);
    cr_expect(fabs(cps[0].change - 0.05) < 0.01, "change %g", cps[0].change);
    free(cps);
    o.test = CP_TEST_WELCH;
    detect(x, 300, &o, &cps, &n);
    cr_expect_eq(n, 0, "Welch found %zu, the first at %zu", n, n ? cps[0].index : 0);
    free(cps);
    free(x);
}

/* A regression that lasts 10 runs of 300 and is fixed: a test of the whole
 * history sees a mixture on one side of either edge and keeps neither;
 * the windows of the first pass find both. */
Test(changepoint, windows_find_a_change_that_ends)
{
    struct cp_opts o;
    struct changepoint *cps;
    double *x = noisy(300, 100, 0.02, 31);
    size_t i, n;

    for (i = 140; i < 150; i++)
        x[i] *= 1.10;
    cp_opts_default(&o);
    cr_expect_eq(o.window, 50);
    detect(x, 300, &o, &cps, &n);
    cr_assert_eq(n, 2);
    cr_expect_eq(cps[0].index, 140);
    cr_expect_eq(cps[1].index, 150);
    cr_expect(fabs(cps[0].change - 0.10) < 0.03, "change %g", cps[0].change);
    free(cps);
    o.window = 0;
    detect(x, 300, &o, &cps, &n);
    cr_expect_eq(n, 0, "%zu change points, the first at %zu", n, n ? cps[0].index : 0);
    free(cps);
    free(x);
}

/* A history of tests/data/trend (the values on lines not starting with
 * '#') into a new array, its length into *n. */
static double *read_history(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    double *x = NULL;
    char line[256];
    size_t cap = 0;

    *n = 0;
    cr_assert_not_null(f, "%s", path);
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            x = realloc(x, cap * sizeof *x);
            cr_assert_not_null(x);
        }
        x[(*n)++] = strtod(line, NULL);
    }
    fclose(f);
    return x;
}

/* TigerBeetle's history (Apache Otava's example, tests/data/trend): an
 * outlier run (10) beside a -12 % step (15).  The rank test finds the step
 * and the +3.4 % one at 61, as Otava does; Welch's test finds neither: the
 * model's change points for both. */
Test(changepoint, tigerbeetle_history_as_the_model)
{
    struct cp_opts o;
    struct changepoint *cps;
    size_t n, k, len;
    double *x;

    if (access("tests/data/trend/tigerbeetle.txt", R_OK) != 0)
        cr_skip_test("run from the source directory to read tests/data");
    x = read_history("tests/data/trend/tigerbeetle.txt", &len);
    cr_assert_eq(len, 365);
    cp_opts_default(&o);
    detect(x, len, &o, &cps, &n);
    cr_assert_eq(n, COUNT(cp_tigerbeetle_rank));
    for (k = 0; k < n; k++)
        cr_expect_eq(cps[k].index, cp_tigerbeetle_rank[k], "change point %zu", k);
    cr_expect_eq(cps[0].index, 15);
    cr_expect(fabs(cps[0].change + 0.12) < 0.01, "change %g", cps[0].change);
    free(cps);
    o.test = CP_TEST_WELCH;
    detect(x, len, &o, &cps, &n);
    cr_assert_eq(n, COUNT(cp_tigerbeetle_welch));
    for (k = 0; k < n; k++)
        cr_expect_eq(cps[k].index, cp_tigerbeetle_welch[k], "change point %zu", k);
    free(cps);
    free(x);
}
