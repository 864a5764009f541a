/*
 * changepoint.c: E-divisive means change points, deterministic variant
 * (changepoint.h).  Matteson and James 2014 with alpha = 1 and the
 * permutation test replaced by a two-sample test of the two sides: the
 * Mann-Whitney rank test by default, Welch's t-test as Apache Otava /
 * Hunter use it (Fleming et al. 2023).  Q is computed for all splits of a
 * segment at once in O(n log n), so a series of 1000 points costs a few of
 * those per level of the recursion; each test costs a sort of the segment.
 */
#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "effect.h"
#include "harness/lib/stats.h"
#include "rank.h"

void cp_opts_default(struct cp_opts *o)
{
    o->pvalue = 0.001;
    o->min_size = 5;
    o->min_magnitude = 0.01;
    o->test = CP_TEST_RANK;
    o->window = 50;
}

static const char *const test_names[] = {"mann-whitney", "welch"};

const char *cp_test_name(enum cp_test t)
{
    return (unsigned)t < sizeof test_names / sizeof *test_names ? test_names[t] : "?";
}

int cp_test_parse(const char *s, enum cp_test *t)
{
    size_t i;

    for (i = 0; i < sizeof test_names / sizeof *test_names; i++)
        if (!strcmp(s, test_names[i])) {
            *t = (enum cp_test)i;
            return 0;
        }
    return -1;
}

static size_t min_side(const struct cp_opts *o)
{
    return o->min_size < 2 ? 2 : o->min_size;
}

/* The exact Mann-Whitney p of two sides of k = n/2 and n - k points that
 * do not overlap is 2 / C(n, k): the smallest p any split of n points can
 * give (C(n, k) is largest in the middle).  In logarithms, so that no
 * length overflows; a threshold of a double's range is met by n = 1100. */
size_t cp_min_length(const struct cp_opts *o)
{
    size_t n = 2 * min_side(o);

    if (o->test != CP_TEST_RANK || !(o->pvalue > 0))
        return n;
    for (;; n++) {
        double k = (double)(n / 2);
        double logc = lgamma((double)n + 1) - lgamma(k + 1) - lgamma((double)n - k + 1);

        if (log(2.0) - logc < log(o->pvalue))
            return n;
    }
}

/* Scratch space for cp_energy on up to cap points, reused over a series. */
struct work {
    size_t cap;
    size_t *order;       /* indexes sorted by value */
    size_t *rank;        /* rank[i]: position of i in order */
    double *cnt, *sum;   /* Fenwick trees over ranks: count, sum of values */
    double *dleft;       /* sum of |x_i - x_t| over i < t */
    double *dright;      /* sum of |x_t - x_j| over j > t */
    double *c;           /* centred values */
};

static void work_free(struct work *w)
{
    free(w->order);
    free(w->rank);
    free(w->cnt);
    free(w->sum);
    free(w->dleft);
    free(w->dright);
    free(w->c);
    memset(w, 0, sizeof *w);
}

static int work_init(struct work *w, size_t n)
{
    memset(w, 0, sizeof *w);
    if (n == 0)
        n = 1;
    w->cap = n;
    w->order = malloc(n * sizeof *w->order);
    w->rank = malloc(n * sizeof *w->rank);
    w->cnt = malloc((n + 1) * sizeof *w->cnt);
    w->sum = malloc((n + 1) * sizeof *w->sum);
    w->dleft = malloc(n * sizeof *w->dleft);
    w->dright = malloc(n * sizeof *w->dright);
    w->c = malloc(n * sizeof *w->c);
    if (!w->order || !w->rank || !w->cnt || !w->sum || !w->dleft || !w->dright || !w->c) {
        work_free(w);
        return -1;
    }
    return 0;
}

/* Sort indexes by value, ties by index (a stable merge sort: qsort has no
 * context argument and ties must be deterministic). */
static void sort_order(const double *c, size_t *ix, size_t *tmp, size_t n)
{
    size_t width, i;

    for (i = 0; i < n; i++)
        ix[i] = i;
    for (width = 1; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            size_t a = i, mid = i + width < n ? i + width : n, b = mid;
            size_t end = i + 2 * width < n ? i + 2 * width : n, k = i;

            while (a < mid && b < end)
                tmp[k++] = c[ix[b]] < c[ix[a]] ? ix[b++] : ix[a++];
            while (a < mid)
                tmp[k++] = ix[a++];
            while (b < end)
                tmp[k++] = ix[b++];
        }
        memcpy(ix, tmp, n * sizeof *ix);
    }
}

/* Q of every split into q[0..n], with w's scratch (w->cap >= n). */
static void energy(const double *x, size_t n, double *q, struct work *w)
{
    double mean = 0, total = 0, prefix = 0, wl, wr, a, all;
    size_t i, r, t;

    for (i = 0; i <= n; i++)
        q[i] = 0;
    if (n < 2)
        return;
    /* Distances do not change under a shift; centring keeps the sums of
     * values (used only in differences) small. */
    for (i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    for (i = 0; i < n; i++)
        w->c[i] = x[i] - mean;
    sort_order(w->c, w->order, w->rank, n);   /* rank as the merge buffer */
    for (r = 0; r < n; r++)
        w->rank[w->order[r]] = r;

    /* Sum of |c_t - c_j| over all j, from the sorted values: below rank r
     * the r values sum to P, above it the rest. */
    for (r = 0; r < n; r++)
        total += w->c[w->order[r]];
    for (r = 0; r < n; r++) {
        double v = w->c[w->order[r]];
        all = v * (double)r - prefix + (total - prefix - v) - v * (double)(n - 1 - r);
        w->dright[w->order[r]] = all;   /* completed below */
        prefix += v;
    }

    /* Sum over i < t by a Fenwick tree of the values seen so far. */
    memset(w->cnt, 0, (n + 1) * sizeof *w->cnt);
    memset(w->sum, 0, (n + 1) * sizeof *w->sum);
    prefix = 0;
    for (t = 0; t < n; t++) {
        double v = w->c[t], nless = 0, sless = 0;
        size_t k;

        for (k = w->rank[t]; k > 0; k -= k & -k) {
            nless += w->cnt[k];
            sless += w->sum[k];
        }
        w->dleft[t] = v * nless - sless + (prefix - sless) - v * ((double)t - nless);
        w->dright[t] -= w->dleft[t];
        for (k = w->rank[t] + 1; k <= n; k += k & -k) {
            w->cnt[k] += 1;
            w->sum[k] += v;
        }
        prefix += v;
    }

    /* Pairs inside the left side are counted at their later point, pairs
     * inside the right side at their earlier one; the cross sum is what
     * is left of all pairs. */
    all = 0;
    for (t = 0; t < n; t++)
        all += w->dleft[t];
    wr = 0;
    for (t = 0; t < n; t++)
        wr += w->dright[t];
    wl = 0;
    for (t = 1; t < n; t++) {
        double m = (double)t, k = (double)(n - t), within;

        wl += w->dleft[t - 1];
        wr -= w->dright[t - 1];
        a = all - wl - wr;
        within = (t >= 2 ? 2 * wl / (m * (m - 1)) : 0) +
                 (n - t >= 2 ? 2 * wr / (k * (k - 1)) : 0);
        q[t] = m * k / (double)n * (2 * a / (m * k) - within);
    }
}

int cp_energy(const double *x, size_t n, double *q)
{
    struct work w;

    if (work_init(&w, n) < 0)
        return -1;
    energy(x, n, q, &w);
    work_free(&w);
    return 0;
}

/* Mean and n-1 variance of x[0..n), two passes. */
static void moments(const double *x, size_t n, double *mean, double *var)
{
    double m = 0, s = 0;
    size_t i;

    for (i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m);
    *mean = m;
    *var = n > 1 ? s / (double)(n - 1) : 0;
}

/* Welch 1947: t = (ma - mb) / sqrt(va/na + vb/nb) with the
 * Welch-Satterthwaite degrees of freedom; the two-sided p is
 * 2 P(T < -|t|), from the regularized incomplete beta of effect.h
 * (continued fraction, Lentz; Numerical Recipes 6.4). */
double cp_welch_p(const double *a, size_t na, const double *b, size_t nb)
{
    double ma, va, mb, vb, sa, sb, se2, t, df;

    if (na < 2 || nb < 2)
        return 1;
    moments(a, na, &ma, &va);
    moments(b, nb, &mb, &vb);
    sa = va / (double)na;
    sb = vb / (double)nb;
    se2 = sa + sb;
    if (!(se2 > 0))
        return ma == mb ? 1 : 0;
    t = (ma - mb) / sqrt(se2);
    df = se2 * se2 / (sa * sa / (double)(na - 1) + sb * sb / (double)(nb - 1));
    return 2 * effect_t_cdf(-fabs(t), df);
}

/* The p of o's test between a[0..na) and b[0..nb) (both at least 2 long)
 * into *p: Mann-Whitney's (rank.h: exact below 50 a side without ties,
 * else normal with the tie correction) or Welch's.  -1 when out of
 * memory. */
static int test_p(const struct cp_opts *o, const double *a, size_t na, const double *b,
                  size_t nb, double *p)
{
    struct rank_result r;

    if (o->test == CP_TEST_WELCH) {
        *p = cp_welch_p(a, na, b, nb);
        return 0;
    }
    if (rank_mwu(a, na, b, nb, &r) < 0)
        return -1;
    *p = r.p;
    return 0;
}

double cp_level(const struct cp_opts *o, const double *x, size_t n)
{
    double m, v;

    if (o->test == CP_TEST_RANK)
        return stats_median(x, n);
    moments(x, n, &m, &v);
    return m;
}

/* Accepted splits, in the order found. */
struct cplist {
    struct changepoint *v;
    size_t n, cap;
};

static int cplist_add(struct cplist *l, size_t index, double q, double p)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        struct changepoint *nv = realloc(l->v, cap * sizeof *nv);

        if (!nv)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    memset(&l->v[l->n], 0, sizeof l->v[l->n]);
    l->v[l->n].index = index;
    l->v[l->n].q = q;
    l->v[l->n].pvalue = p;
    l->n++;
    return 0;
}

/* The best split of x[lo..hi) by Q, with min points a side, into *best;
 * 0 when the segment is too short. */
static int best_split(const double *x, size_t lo, size_t hi, size_t min, double *q,
                      struct work *w, size_t *best, double *bq)
{
    size_t n = hi - lo, t;

    if (n < 2 * min)
        return 0;
    energy(x + lo, n, q, w);
    *best = min;
    *bq = q[min];
    for (t = min + 1; t <= n - min; t++)
        if (q[t] > *bq) {
            *bq = q[t];
            *best = t;
        }
    return 1;
}

/* The threshold of the first pass: the split phase keeps "weak" change
 * points at a looser p, and the merge holds each one to o->pvalue against
 * its final neighbours.  A level that moves away and comes back (a
 * regression fixed a few runs later) splits weakly at first: one side is
 * the mixture of both levels.  The factors are Apache Otava's
 * (otava/analysis.py, compute_change_points; Fleming et al. 2023, 3.2). */
static double first_pass(double p)
{
    return p < 0.05 ? 10 * p : p < 0.5 ? 2 * p : p;
}

/* The two-sided p of the Mann-Whitney test of a segment's split at t, by
 * the normal approximation with the tie correction of the variance and a
 * continuity correction of 0.5 (as rank.h's large-sample form), from the
 * order energy() left in w for that segment of n points: ties are runs of
 * equal values in that order and share their average rank. */
static double split_normal_p(const struct work *w, size_t n, size_t t)
{
    double rsum = 0, ties = 0, m = (double)t, k = (double)(n - t), nn = (double)n, u, var, z;
    size_t i = 0, j, r;

    while (i < n) {
        size_t left = 0;

        for (j = i; j < n && w->c[w->order[j]] == w->c[w->order[i]]; j++)
            left += w->order[j] < t;
        rsum += (double)left * ((double)(i + 1) + (double)j) / 2;
        r = j - i;
        ties += (double)r * (double)r * (double)r - (double)r;
        i = j;
    }
    u = rsum - m * (m + 1) / 2;
    var = m * k / 12 * ((nn + 1) - ties / (nn * (nn - 1)));
    if (!(var > 0))
        return 1;
    z = fabs(u - m * k / 2) - 0.5;
    if (z < 0)
        z = 0;
    return fmin(1, erfc(z / sqrt(var) / M_SQRT2));
}

/* Bisect x[from..to): test the best split of each segment, and split both
 * sides again when it is accepted at the first-pass threshold.  Splits not
 * yet in seen are added to l; *last is the largest one accepted here (0
 * when none).  The segments wait on an explicit stack (a staircase would
 * nest n / min deep). */
static int bisect(const double *x, size_t from, size_t to, const struct cp_opts *o, double alpha,
                  int approx, double *q, struct work *w, struct cplist *l, unsigned char *seen,
                  size_t *last)
{
    size_t min = min_side(o), (*stack)[2], top = 0, cap = (to - from) / min + 2;
    int rc = 0;

    *last = 0;
    if (!(stack = malloc(cap * sizeof *stack)))
        return -1;
    stack[top][0] = from;
    stack[top++][1] = to;
    while (top > 0) {
        size_t lo = stack[top - 1][0], hi = stack[top - 1][1], best;
        double bq, p;

        top--;
        if (!best_split(x, lo, hi, min, q, w, &best, &bq))
            continue;
        if (approx && o->test == CP_TEST_RANK)
            p = split_normal_p(w, hi - lo, best);
        else if (test_p(o, x + lo, best, x + lo + best, hi - lo - best, &p) < 0) {
            rc = -1;
            break;
        }
        if (!(p < alpha))
            continue;
        if (lo + best > *last)
            *last = lo + best;
        if (!seen[lo + best] && cplist_add(l, lo + best, bq, p) < 0) {
            rc = -1;
            break;
        }
        seen[lo + best] = 1;
        /* every segment on the stack is disjoint and at least min long */
        stack[top][0] = lo + best;
        stack[top++][1] = hi;
        stack[top][0] = lo;
        stack[top++][1] = lo + best;
    }
    free(stack);
    return rc;
}

/* The first pass over x[0..n): the whole history at the first-pass
 * threshold, then windows of o->window runs that advance by half a window,
 * or to past the last split a window kept, whichever is further (Otava's
 * split, Fleming et al. 2023, 3.2).  A change that holds for a few runs and
 * ends is a large part of a window where it is a small part of the whole
 * history, which hides it from a test of the whole; a small change that
 * holds is seen best by the whole.  The windows are many tests: a split in
 * one is kept at a third of o->pvalue, which keeps the false change points
 * in noise about where the whole alone has them (suites/self/cpaccuracy.c
 * measures both).  A window's rank test takes the normal approximation
 * whatever its size (split_normal_p): the exact distribution of a window
 * would cost more than the rest of the detection, and the merge tests
 * every split kept exactly.  Window 0 (or one as long as the history):
 * the whole only. */
static int split(const double *x, size_t n, const struct cp_opts *o, double *q, struct work *w,
                 struct cplist *l)
{
    size_t win = o->window && o->window < n ? o->window : n, step = win / 2, start = 0, last;
    unsigned char *seen = calloc(n, 1);
    int rc;

    if (!seen)
        return -1;
    rc = bisect(x, 0, n, o, first_pass(o->pvalue), 0, q, w, l, seen, &last);
    while (win < n && start < n && rc == 0) {
        size_t end = start + win < n ? start + win : n;

        rc = bisect(x, start, end, o, o->pvalue / 3, 1, q, w, l, seen, &last);
        start = last > start + step ? last : start + step;
    }
    free(seen);
    return rc;
}

static int by_index(const void *a, const void *b)
{
    const struct changepoint *x = a, *y = b;

    return x->index < y->index ? -1 : x->index > y->index;
}

/* Levels, change and p of every change point against its neighbours.
 * -1 when out of memory. */
static int evaluate(const double *x, size_t n, struct changepoint *v, size_t nv,
                    const struct cp_opts *o)
{
    size_t i;

    for (i = 0; i < nv; i++) {
        size_t from = i ? v[i - 1].index : 0, to = i + 1 < nv ? v[i + 1].index : n;
        const double *a = x + from, *b = x + v[i].index;
        size_t na = v[i].index - from, nb = to - v[i].index;

        v[i].before = cp_level(o, a, na);
        v[i].after = cp_level(o, b, nb);
        if (v[i].before != 0)
            v[i].change = v[i].after / v[i].before - 1;
        else
            v[i].change = v[i].after == 0 ? 0 : copysign(INFINITY, v[i].after);
        if (isnan(v[i].before) || isnan(v[i].after))
            return -1;   /* stats_median ran out of memory */
        if (test_p(o, a, na, b, nb, &v[i].pvalue) < 0)
            return -1;
    }
    return 0;
}

/* Whether change point i of v[0..nv) (in x[0..n)) has a segment shorter
 * than min runs on either side: windows of the first pass can keep two
 * splits closer than that. */
static int too_close(const struct changepoint *v, size_t nv, size_t i, size_t n, size_t min)
{
    size_t from = i ? v[i - 1].index : 0, to = i + 1 < nv ? v[i + 1].index : n;

    return v[i].index - from < min || to - v[i].index < min;
}

/* Drop the weakest failing change point until none fails: the smallest
 * |change| among those below the magnitude floor, no longer below the p
 * threshold, or beside a segment shorter than min_size (ties: the larger
 * p, then the earlier one).  The number left, or -1 when out of memory. */
static long merge(const double *x, size_t n, struct changepoint *v, size_t nv,
                  const struct cp_opts *o)
{
    for (;;) {
        size_t i, weak = nv;

        if (evaluate(x, n, v, nv, o) < 0)
            return -1;
        for (i = 0; i < nv; i++) {
            double c = fabs(v[i].change);

            if (c >= o->min_magnitude && v[i].pvalue < o->pvalue &&
                !too_close(v, nv, i, n, min_side(o)))
                continue;
            if (weak == nv || c < fabs(v[weak].change) ||
                (c == fabs(v[weak].change) && v[i].pvalue > v[weak].pvalue))
                weak = i;
        }
        if (weak == nv)
            return (long)nv;
        memmove(&v[weak], &v[weak + 1], (nv - weak - 1) * sizeof *v);
        nv--;
    }
}

int cp_detect(const double *x, size_t n, const struct cp_opts *o, struct changepoint **out,
              size_t *nout, struct err *e)
{
    struct cplist l = {0};
    struct work w;
    double *q;
    size_t i;
    long kept;
    int rc;

    *out = NULL;
    *nout = 0;
    for (i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return err_set(e, "point %zu: %g is not a finite number", i, x[i]);
    if (n < cp_min_length(o))
        return 0;
    q = malloc((n + 1) * sizeof *q);
    if (!q || work_init(&w, n) < 0) {
        free(q);
        return err_set(e, "out of memory");
    }
    rc = split(x, n, o, q, &w, &l);
    work_free(&w);
    free(q);
    if (rc < 0) {
        free(l.v);
        return err_set(e, "out of memory");
    }
    if (l.n == 0) {
        free(l.v);
        return 0;
    }
    qsort(l.v, l.n, sizeof *l.v, by_index);
    kept = merge(x, n, l.v, l.n, o);
    if (kept <= 0) {
        free(l.v);
        return kept < 0 ? err_set(e, "out of memory") : 0;
    }
    *out = l.v;
    *nout = (size_t)kept;
    return 0;
}
