/*
 * rank.c: the rank tests of rank.h, computed as R's wilcox.test and
 * binom.test do (R's src/library/stats/R/wilcox.test.R, nmath/wilcox.c,
 * nmath/signrank.c), so that a p-value here can be checked against R.
 *
 * Methods:
 *   - Mann-Whitney U (Mann and Whitney 1947, "On a test of whether one of
 *     two random variables is stochastically larger than the other"): the
 *     exact null distribution as the coefficients of a Gaussian binomial,
 *     kept between calls of the same sizes; else the normal approximation
 *     with the tie correction of the variance and a continuity correction
 *     of 0.5;
 *   - Wilcoxon signed-rank (Wilcoxon 1945, "Individual comparisons by
 *     ranking methods"): the exact distribution by counting the subsets of
 *     {1..n} with a given sum (exact integers in doubles for n < 50, as the
 *     largest count is below 2^49); else the normal approximation;
 *   - sign test: the exact binomial tail with p = 1/2 (Conover 1999,
 *     "Practical Nonparametric Statistics", ch. 3.4).
 */
#include "rank.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/stats.h"

#define EXACT_MAX 50   /* exact distribution below this size, as R */

/* One observation of a rank test: its value and whether it counts towards
 * the statistic (from x for Mann-Whitney, positive for signed-rank). */
struct obs {
    double v;
    int tagged;
};

static int cmp_obs(const void *pa, const void *pb)
{
    double a = ((const struct obs *)pa)->v, b = ((const struct obs *)pb)->v;

    return (a > b) - (a < b);
}

/* Sort o[0..n) by value and return the sum of the ranks of the tagged
 * observations, tied values sharing their average rank (as R's rank());
 * *ties gets sum(t^3 - t) over the groups of t equal values. */
static double tagged_rank_sum(struct obs *o, size_t n, double *ties)
{
    double sum = 0.0, tie = 0.0;
    size_t i = 0;

    qsort(o, n, sizeof *o, cmp_obs);
    while (i < n) {
        size_t j = i + 1, tagged = 0;
        double t, avg;

        while (j < n && o[j].v == o[i].v)
            j++;
        for (size_t k = i; k < j; k++)
            tagged += o[k].tagged != 0;
        t = (double)(j - i);
        avg = ((double)(i + 1) + (double)j) / 2.0;  /* ranks i+1 .. j */
        sum += avg * (double)tagged;
        tie += t * t * t - t;
        i = j;
    }
    *ties = tie;
    return sum;
}

/* Two-sided p-value of a standardized statistic: 2 P(Z > |z|). */
static double normal_two_sided(double z)
{
    double p = erfc(fabs(z) / M_SQRT2);

    return p > 1.0 ? 1.0 : p;
}

/* The normal approximation of R's wilcox.test: z = stat - mean, continuity
 * correction sign(z) * 0.5, sd from var (already tie-corrected).  A zero
 * variance happens only when every value is tied: p = 1. */
static double normal_p(double stat, double mean, double var)
{
    double z = stat - mean;

    if (!(var > 0.0))
        return 1.0;
    z -= (z > 0.0) ? 0.5 : (z < 0.0) ? -0.5 : 0.0;
    return normal_two_sided(z / sqrt(var));
}

/* The null distribution of the Mann-Whitney U of sizes m and n without
 * ties: the number of arrangements with U = u is the coefficient of q^u in
 * the Gaussian binomial [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) /
 * (1 - q^i) (Andrews 1976, "The Theory of Partitions", 3.3; Mann and
 * Whitney's recurrence counts the same arrangements), built factor by
 * factor: multiply by (1 - q^(n+i)), then divide the series by (1 - q^i),
 * O(min(m,n) m n) operations in all.  Each step only reads lower powers,
 * so counts of small u stay exact integers; the counts are turned into
 * probabilities of U <= u at the end.
 *
 * The distribution depends on the sizes alone, and a suite compares
 * hundreds of benchmarks of the same sizes, so the last few computed are
 * kept for the next calls (compare asks for two sizes per benchmark: the
 * samples' and the processes'), as R's nmath/wilcox.c keeps its counts
 * between calls (per thread: the cache is thread-local). */
#define MWU_KEEP 4

static _Thread_local struct mwu_kept {
    size_t m, n;          /* m <= n; 0 when empty */
    double *cdf;          /* P(U <= u), u = 0 .. m n */
} mwu_cache[MWU_KEEP];
static _Thread_local unsigned mwu_next;   /* the slot to replace next */

void rank_thread_free(void)
{
    for (unsigned i = 0; i < MWU_KEEP; i++) {
        free(mwu_cache[i].cdf);
        mwu_cache[i].cdf = NULL;
        mwu_cache[i].m = mwu_cache[i].n = 0;
    }
    mwu_next = 0;
}

static double *mwu_compute(size_t m, size_t n)
{
    size_t N = m * n, i, j;
    double *c = calloc(N + 1, sizeof *c), total = 0;

    if (!c)
        return NULL;
    c[0] = 1;
    for (i = 1; i <= m; i++) {
        for (j = N; j >= n + i && j <= N; j--)
            c[j] -= c[j - (n + i)];
        for (j = i; j <= N; j++)
            c[j] += c[j - i];
    }
    for (j = 0; j <= N; j++)
        total += c[j];
    for (j = 0; j <= N; j++)
        c[j] = (j ? c[j - 1] : 0) + c[j] / total;
    return c;
}

const double *rank_mwu_cdf(size_t m, size_t n)
{
    struct mwu_kept *k;
    double *c;
    unsigned i;

    if (m > n) {
        size_t t = m;

        m = n;
        n = t;
    }
    for (i = 0; i < MWU_KEEP; i++)
        if (mwu_cache[i].cdf && mwu_cache[i].m == m && mwu_cache[i].n == n)
            return mwu_cache[i].cdf;
    if (m == 0 || n > SIZE_MAX / m - 1 || !(c = mwu_compute(m, n)))
        return NULL;
    k = &mwu_cache[mwu_next];
    mwu_next = (mwu_next + 1) % MWU_KEEP;
    free(k->cdf);
    k->cdf = c;
    k->m = m;
    k->n = n;
    return c;
}

/* P(V <= q) for the signed-rank V of n untied nonzero differences: the
 * number of subsets of {1..n} with sum s, by adding the ranks one by one
 * (w[s] += w[s - j], s downwards), over 2^n.  The counts stay below 2^49
 * for n < 50, so they are exact in doubles. */
static int signrank_lower(size_t n, size_t q, double *out)
{
    double *w = calloc(q + 1, sizeof *w), sum = 0.0;

    if (!w)
        return -1;
    w[0] = 1.0;
    for (size_t j = 1; j <= n; j++) {
        size_t top = j * (j + 1) / 2 < q ? j * (j + 1) / 2 : q;

        for (size_t s = top; s >= j; s--)
            w[s] += w[s - j];
    }
    for (size_t s = 0; s <= q; s++)
        sum += w[s];
    free(w);
    *out = ldexp(sum, -(int)n);
    return 0;
}

/* The sum of the ranks of x[0..n) among x and y[0..m), both sorted, tied
 * values sharing their average rank (as R's rank()), by one merge; *ties
 * gets sum(t^3 - t) over the groups of t equal values. */
static double merged_rank_sum(const double *x, size_t n, const double *y, size_t m,
                              double *ties)
{
    double sum = 0.0, tie = 0.0, r = 0.0;
    size_t i = 0, j = 0;

    while (i < n || j < m) {
        double v = j >= m || (i < n && x[i] <= y[j]) ? x[i] : y[j], t;
        size_t cx = 0, cy = 0;

        while (i < n && x[i] == v)
            i++, cx++;
        while (j < m && y[j] == v)
            j++, cy++;
        t = (double)(cx + cy);
        sum += (r + (t + 1.0) / 2.0) * (double)cx;   /* ranks r+1 .. r+t */
        tie += t * t * t - t;
        r += t;
    }
    *ties = tie;
    return sum;
}

int rank_mwu(const double *x, size_t n, const double *y, size_t m, struct rank_result *out)
{
    double ties, nx = (double)n, ny = (double)m, *sx, *sy;
    size_t i;

    if (n == 0 || m == 0)
        return -1;
    for (i = 0; i < n + m; i++)
        if (!isfinite(i < n ? x[i] : y[i - n]))
            return -1;
    sx = malloc((n + m) * sizeof *sx);
    if (!sx)
        return -1;
    sy = sx + n;
    memcpy(sx, x, n * sizeof *sx);
    memcpy(sy, y, m * sizeof *sy);
    stats_sort(sx, n);
    stats_sort(sy, m);
    out->stat = merged_rank_sum(sx, n, sy, m, &ties) - nx * (nx + 1.0) / 2.0;
    free(sx);
    out->n = n + m;
    out->exact = n < EXACT_MAX && m < EXACT_MAX && ties == 0.0;
    if (out->exact) {
        /* R: P(U <= u) below the centre, P(U >= u) above it; by symmetry
         * both are P(U <= min(u, nm - u)). */
        size_t u = (size_t)out->stat, q = u < n * m - u ? u : n * m - u;
        const double *cdf = rank_mwu_cdf(n, m);

        if (!cdf)
            return -1;
        out->p = 2.0 * cdf[q] > 1.0 ? 1.0 : 2.0 * cdf[q];
    } else {
        double var = (nx * ny / 12.0) *
                     ((nx + ny + 1.0) - ties / ((nx + ny) * (nx + ny - 1.0)));

        out->p = normal_p(out->stat, nx * ny / 2.0, var);
    }
    return 0;
}

int rank_signrank(const double *d, size_t n, struct rank_result *out)
{
    struct obs *o;
    size_t k = 0;
    double ties, nn;

    out->stat = 0.0;
    out->p = 1.0;
    out->exact = 0;
    out->n = 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(d[i]))
            return -1;
    o = malloc((n ? n : 1) * sizeof *o);
    if (!o)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (d[i] == 0.0)        /* Wilcoxon's zero rule: drop them */
            continue;
        o[k].v = fabs(d[i]);
        o[k].tagged = d[i] > 0.0;
        k++;
    }
    if (k == 0) {
        free(o);
        return 0;
    }
    out->stat = tagged_rank_sum(o, k, &ties);
    free(o);
    out->n = k;
    nn = (double)k;
    out->exact = k < EXACT_MAX && ties == 0.0 && k == n;
    if (out->exact) {
        size_t v = (size_t)out->stat, top = k * (k + 1) / 2;
        size_t q = v < top - v ? v : top - v;
        double p;

        if (signrank_lower(k, q, &p) < 0)
            return -1;
        out->p = 2.0 * p > 1.0 ? 1.0 : 2.0 * p;
    } else {
        double var = nn * (nn + 1.0) * (2.0 * nn + 1.0) / 24.0 - ties / 48.0;

        out->p = normal_p(out->stat, nn * (nn + 1.0) / 4.0, var);
    }
    return 0;
}

/* P(X <= k), 2k < n: with t_i = C(n, i) 2^-n, t_k is a product of k
 * ratios kept as a mantissa and a binary exponent (no overflow, no
 * underflow before the end), and the tail is t_k (1 + t_{k-1}/t_k + ...)
 * with t_{i-1}/t_i = i / (n - i + 1) < 1, summed until the terms no
 * longer count. */
static double binom_half_lower(size_t k, size_t n)
{
    double mant = 1.0, sum = 1.0, term = 1.0;
    long e = 0;
    int ex;

    for (size_t i = 1; i <= k; i++) {
        mant = mant * (double)(n - k + i) / (double)i;
        mant = frexp(mant, &ex);
        e += ex;
    }
    for (size_t i = k; i >= 1; i--) {
        term *= (double)i / (double)(n - i + 1);
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    e -= (long)(n < (size_t)LONG_MAX / 2 ? n : (size_t)LONG_MAX / 2);
    if (e < INT_MIN / 2)
        return 0.0;
    return ldexp(mant * sum, (int)e);
}

double rank_binom_half_cdf(size_t k, size_t n)
{
    if (k >= n)
        return 1.0;
    if (2 * k < n)
        return binom_half_lower(k, n);
    /* P(X <= k) = 1 - P(X >= k + 1) = 1 - P(X <= n - k - 1) by symmetry */
    return 1.0 - binom_half_lower(n - k - 1, n);
}

size_t rank_sign_k(size_t n, size_t max, double tail)
{
    size_t lo = 0, hi = max + 1;     /* true at lo, taken false at hi */

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (rank_binom_half_cdf(mid - 1, n) <= tail)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* R's binom.test(pos, pos + neg): with p = 1/2 the distribution is
 * symmetric, so the outcomes at most as likely as pos are the two tails
 * beyond min(pos, neg) and the p-value is 2 P(X <= min(pos, neg)). */
double rank_sign_test(size_t pos, size_t neg)
{
    size_t k = pos < neg ? pos : neg;
    double p;

    if (pos == neg)
        return 1.0;
    p = 2.0 * binom_half_lower(k, pos + neg);
    return p > 1.0 ? 1.0 : p;
}
