/*
 * stats_boot.c: the percentile bootstrap intervals of stats.h, from the
 * bootstrap distribution itself rather than from B resamples, so that their
 * cost does not grow with resamples x samples.
 *
 * Median.  A resample is n positions drawn independently and uniformly from
 * the sorted data x_(1) <= ... <= x_(n).  Its k-th smallest lies at a
 * position <= i exactly when at least k draws fall at or below i:
 *   G_k(i) = P(Binomial(n, i/n) >= k) = I_{i/n}(k, n - k + 1)
 * (Maritz and Jarrett 1978, "A note on estimating the variance of the
 * sample median"; Efron 1982, "The Jackknife, the Bootstrap and Other
 * Resampling Plans", 10.4).  Odd n: the median is the k = (n+1)/2-th, at
 * position i with probability G_k(i) - G_k(i-1).  Even n: the type-7
 * median averages the k = n/2-th and the k+1-th, at positions I <= J.  For
 * I = i < J = j exactly k draws fall in [1, i], at least one at i, none in
 * (i, j), and the other r = n - k in [j, n], at least one at j:
 *   P(I = i, J = j) = C(n, k) a(i) b(j),  a(i) = (i/n)^k - ((i-1)/n)^k,
 *                                          b(j) = ((n-j+1)/n)^r - ((n-j)/n)^r,
 * whose sum over j > i telescopes to C(n, k) a(i) ((n-i)/n)^r, so
 *   P(I = J = i) = G_k(i) - G_k(i-1) - C(n, k) a(i) ((n-i)/n)^r.
 * Only positions within 5 sqrt(n) + 20 of the middle are visited (10
 * standard deviations of I and more), and values less likely than
 * BOOT_TINY are left out (the probabilities depend on n alone): what is
 * lost is 1.2e-6 in all for n = 30, 4.1e-6 for 100, 1.6e-5 for 1,000 and
 * 3.3e-5 for 4,000, so an interval's end is the exact quantile at a level
 * within that of its own (tests/ref/boot_exact.py checks it at -+5e-5),
 * fifty times less than one standard error of the level a bootstrap of
 * 10,000 resamples reaches (1.6e-3 at 2.5 %); it keeps 198 atoms at n =
 * 30 where a limit of 1e-11 kept 303, 449 at n = 100 where 860, and the
 * intervals built on them cost as much less (a compare of 10,000
 * one-process benchmarks of 30 samples: 0.44 s where 0.55 s).
 *
 * The mean's interval is in stats_mean.c.
 */
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "stats_private.h"

#define BOOT_TINY 1e-7         /* atoms below this probability are left out */
#define RATIO_FINISH 64        /* candidate ratios few enough to sort */

int stats_atoms_add(struct stats_atoms *s, double v, double p)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        struct stats_atom *na = realloc(s->a, cap * sizeof *na);

        if (!na)
            return -1;
        s->a = na;
        s->cap = cap;
    }
    s->a[s->n].v = v;
    s->a[s->n].p = p;
    s->n++;
    return 0;
}

int stats_atom_cmp(const void *pa, const void *pb)
{
    double a = ((const struct stats_atom *)pa)->v, b = ((const struct stats_atom *)pb)->v;

    return (a > b) - (a < b);
}

void stats_boot_free(struct stats_boot_dist *d)
{
    free(d->v);
    free(d->p);
    free(d->cum);
    memset(d, 0, sizeof *d);
}

int stats_atoms_dist(struct stats_atoms *s, struct stats_boot_dist *d)
{
    double total = 0, run = 0;
    size_t i;

    memset(d, 0, sizeof *d);
    d->v = malloc((s->n + STATS_BOOT_PAD) * sizeof *d->v);
    d->p = malloc((s->n ? s->n : 1) * sizeof *d->p);
    d->cum = malloc((s->n ? s->n : 1) * sizeof *d->cum);
    if (!d->v || !d->p || !d->cum) {
        free(s->a);
        stats_boot_free(d);
        return -1;
    }
    for (i = 0; i < s->n; i++)
        total += s->a[i].p;
    for (i = 0; i < s->n; i++) {
        d->v[i] = s->a[i].v;
        d->p[i] = s->a[i].p / total;
        run += s->a[i].p;
        d->cum[i] = run / total;
    }
    if (s->n)
        d->cum[s->n - 1] = 1.0;
    for (i = 0; i < STATS_BOOT_PAD; i++)
        d->v[s->n + i] = INFINITY;
    d->n = s->n;
    free(s->a);
    return 0;
}

/* G_k(i) above for one n and k: P(the k-th smallest of a resample of n is
 * at or below position i); lbeta = log B(k, n - k + 1). */
struct order_cdf {
    size_t n, k;
    double lbeta;
};

static void order_cdf_init(struct order_cdf *g, size_t n, size_t k)
{
    g->n = n;
    g->k = k;
    g->lbeta = lgamma((double)k) + lgamma((double)(n - k + 1)) - lgamma((double)n + 1);
}

static double order_cdf(const struct order_cdf *g, size_t i)
{
    if (i == 0)
        return 0;
    if (i >= g->n)
        return 1;
    return dist_beta_inc_lb((double)g->k, (double)(g->n - g->k + 1), (double)i / (double)g->n,
                            g->lbeta);
}

/* log of t^e - (t-1)^e over n^e, t >= 1: a(i) with t = i, e = k, and b(j)
 * with t = n - j + 1, e = r. */
static double log_step(size_t t, size_t e, size_t n)
{
    return (double)e * log((double)t / (double)n) +
           log(-expm1((double)e * log1p(-1.0 / (double)t)));
}

/* Merge the sorted runs of s (run i from start[i] to start[i + 1]) pairwise
 * until one is left: O(atoms x log runs). */
static int merge_runs(struct stats_atoms *s, size_t *start, size_t runs)
{
    struct stats_atom *tmp = malloc((s->n ? s->n : 1) * sizeof *tmp), *t;

    if (!tmp)
        return -1;
    while (runs > 1) {
        size_t r, m = 0;

        for (r = 0; r < runs; r += 2) {
            size_t a = start[r], am = start[r + 1], b = am, bm = r + 2 <= runs ? start[r + 2] : am;
            size_t o = a;

            while (a < am && b < bm)
                tmp[o++] = s->a[b].v < s->a[a].v ? s->a[b++] : s->a[a++];
            while (a < am)
                tmp[o++] = s->a[a++];
            while (b < bm)
                tmp[o++] = s->a[b++];
            start[m++] = start[r];
        }
        start[m] = s->n;
        runs = m;
        t = s->a;
        s->a = tmp;
        tmp = t;
    }
    free(tmp);
    return 0;
}

/* The shape of the distribution of a resample's median for n values,
 * which depends on n alone: for each value it can take, the positions
 * i <= j whose average it is (i == j: the value at i) and its probability;
 * one run ascending in j for each i. */
struct median_shape {
    size_t n, len, cap, runs;
    size_t *i, *j, *start;     /* start: runs + 1 */
    double *p;
};

static void shape_free(struct median_shape *sh)
{
    free(sh->i);
    free(sh->j);
    free(sh->start);
    free(sh->p);
    memset(sh, 0, sizeof *sh);
}

static int shape_add(struct median_shape *sh, size_t i, size_t j, double p)
{
    if (sh->len == sh->cap) {
        size_t cap = sh->cap ? 2 * sh->cap : 256;
        size_t *ni = realloc(sh->i, cap * sizeof *ni), *nj;
        double *np;

        if (!ni)
            return -1;
        sh->i = ni;
        if (!(nj = realloc(sh->j, cap * sizeof *nj)))
            return -1;
        sh->j = nj;
        if (!(np = realloc(sh->p, cap * sizeof *np)))
            return -1;
        sh->p = np;
        sh->cap = cap;
    }
    sh->i[sh->len] = i;
    sh->j[sh->len] = j;
    sh->p[sh->len++] = p;
    return 0;
}

/* Even n: the pairs of positions i <= j.  Each probability is one product
 * ea[i] eb[j] q[j - i] of exp(log C(n, k) / 2 + log a(i) - c (i - k)),
 * exp(log C(n, k) / 2 + log b(j) + c (j - k)) and exp(-c (j - i)): near
 * the middle a(i) grows and b(j) falls by about e^c a step, so with c =
 * k log(1 + 1/k) none of the three overflows where it matters. */
static int shape_even(struct median_shape *sh, size_t lo, size_t hi)
{
    size_t n = sh->n, k = n / 2, r = n - k, i, j, jmax = n > 1000 && hi + 100 < n ? hi + 100 : n;
    double half = (lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)r + 1)) / 2;
    double c = (double)k * log1p(1.0 / (double)k), g_prev;
    double *eb = malloc(2 * (jmax - lo + 1) * sizeof *eb), *q = eb + (jmax - lo + 1);
    struct order_cdf g;
    int rc = -1;

    if (!eb)
        return -1;
    order_cdf_init(&g, n, k);
    g_prev = order_cdf(&g, lo - 1);
    for (j = lo; j <= jmax; j++) {
        eb[j - lo] = exp(half + log_step(n - j + 1, r, n) + c * ((double)j - (double)k));
        q[j - lo] = exp(-c * (double)(j - lo));
    }
    for (i = lo; i <= hi; i++) {
        double gi = order_cdf(&g, i), la = half + log_step(i, k, n), pii = gi - g_prev;
        double ea = exp(la - c * ((double)i - (double)k));

        g_prev = gi;
        sh->start[sh->runs++] = sh->len;
        if (i < n)
            pii -= exp(la + half + (double)r * log((double)(n - i) / (double)n));
        if (pii > BOOT_TINY && shape_add(sh, i, i, pii) < 0)
            goto cleanup;
        for (j = i + 1; j <= jmax; j++) {
            double pij = ea * eb[j - lo] * q[j - i];

            if (!(pij >= BOOT_TINY))   /* b(j) falls with j: the rest is smaller */
                break;
            if (shape_add(sh, i, j, pij) < 0)
                goto cleanup;
        }
    }
    rc = 0;
cleanup:
    free(eb);
    return rc;
}

/* The shape for n (n > 0) into sh; odd n is one run of single positions. */
static int shape_make(size_t n, struct median_shape *sh)
{
    size_t k = (n + 1) / 2, w = (size_t)(5.0 * sqrt((double)n)) + 20, lo, hi, i;
    struct order_cdf g;
    double g_prev;

    memset(sh, 0, sizeof *sh);
    sh->n = n;
    lo = k > w ? k - w : 1;
    hi = k + 1 + w < n ? k + 1 + w : n;
    if (!(sh->start = malloc((hi - lo + 2) * sizeof *sh->start)))
        return -1;
    if (n % 2 == 0) {
        if (shape_even(sh, lo, hi) < 0)
            return -1;
        sh->start[sh->runs] = sh->len;
        return 0;
    }
    order_cdf_init(&g, n, k);
    g_prev = order_cdf(&g, lo - 1);
    sh->start[sh->runs++] = 0;
    for (i = lo; i <= hi; i++) {
        double gi = order_cdf(&g, i), p = gi - g_prev;

        g_prev = gi;
        if (p > BOOT_TINY && shape_add(sh, i, i, p) < 0)
            return -1;
    }
    sh->start[sh->runs] = sh->len;
    return 0;
}

/* The shapes of the last two n up to SHAPE_KEEP_MAX are kept (per
 * thread): a comparison asks for the same n benchmark after benchmark.
 * Larger n get theirs in own. */
#define SHAPE_KEEP_MAX 4096

static _Thread_local struct median_shape shape_kept[2];
static _Thread_local unsigned shape_next;

void stats_thread_free(void)
{
    shape_free(&shape_kept[0]);
    shape_free(&shape_kept[1]);
    shape_next = 0;
}

static const struct median_shape *shape_get(size_t n, struct median_shape *own)
{
    struct median_shape *sh = own;

    if (n <= SHAPE_KEEP_MAX) {
        for (unsigned k = 0; k < 2; k++)
            if (shape_kept[k].n == n)
                return &shape_kept[k];
        sh = &shape_kept[shape_next];
        shape_next = (shape_next + 1) % 2;
        shape_free(sh);
    }
    if (shape_make(n, sh) < 0) {
        shape_free(sh);
        return NULL;
    }
    return sh;
}

int stats_boot_median(const double *sorted, size_t n, struct stats_boot_dist *d)
{
    struct median_shape own = {0};
    const struct median_shape *sh;
    struct stats_atoms s = {0};
    size_t e, *start = NULL;
    int rc = -1;

    memset(d, 0, sizeof *d);
    if (n == 0 || !(sh = shape_get(n, &own)))
        return -1;
    s.a = malloc((sh->len ? sh->len : 1) * sizeof *s.a);
    start = malloc((sh->runs + 1) * sizeof *start);
    if (!s.a || !start)
        goto cleanup;
    for (e = 0; e < sh->len; e++) {
        size_t i = sh->i[e], j = sh->j[e];

        s.a[e].v = i == j ? sorted[i - 1] : stats_lerp(sorted[i - 1], sorted[j - 1], 0.5);
        s.a[e].p = sh->p[e];
    }
    s.n = s.cap = sh->len;
    memcpy(start, sh->start, (sh->runs + 1) * sizeof *start);
    if (merge_runs(&s, start, sh->runs) < 0)
        goto cleanup;
    rc = stats_atoms_dist(&s, d);
    s.a = NULL;
cleanup:
    free(s.a);
    free(start);
    shape_free(&own);
    return rc;
}

double stats_boot_quantile(const struct stats_boot_dist *d, double p)
{
    size_t lo = 0, hi = d->n - 1;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (d->cum[mid] >= p)
            hi = mid;
        else
            lo = mid + 1;
    }
    return d->v[lo];
}

/* From j on, the index of the first value of v above t (t finite):
 * four at a time without a branch on each, the +inf that pad v ending
 * the run.  Inlined: the sweeps below are mostly this. */
static inline __attribute__((always_inline)) size_t count_upto(const double *v, size_t j,
                                                                double t)
{
    for (;;) {
        size_t c = (size_t)(v[j] <= t) + (size_t)(v[j + 1] <= t) + (size_t)(v[j + 2] <= t) +
                   (size_t)(v[j + 3] <= t);

        j += c;
        if (c < 4)
            return j;
    }
}

/* P(nw* / base* <= r), and in cnt[i] how many values of nw over base's
 * i-th are <= r.  The ratio falls as base's value rises, so the counts
 * never fall with i and one sweep finds them all: two sweeps at once, from
 * the first row and from the middle one (its count by bisection), so that
 * neither waits on the other's loads (a third less time).  The test is nw <= r
 * base, not a division: it may differ from nw / base <= r only where the
 * two are within a rounding of each other, and the search only ever uses
 * it to split the values; the quantile it returns is a quotient. */
static double ratio_cdf(const struct stats_boot_dist *b, const struct stats_boot_dist *nw,
                        double r, size_t *cnt)
{
    double f = 0, g = 0, t = r * b->v[b->n / 2];   /* v is padded: b->n may be 0 */
    size_t i, j = 0, h = b->n / 2, k, lo = 0, hi = nw->n;

    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (nw->v[m] <= t)
            lo = m + 1;
        else
            hi = m;
    }
    k = lo;
    for (i = 0; i < h; i++) {
        size_t q = h + i;

        j = count_upto(nw->v, j, r * b->v[i]);
        k = count_upto(nw->v, k, r * b->v[q]);
        cnt[i] = j;
        cnt[q] = k;
        if (j)
            f += b->p[i] * nw->cum[j - 1];
        if (k)
            g += b->p[q] * nw->cum[k - 1];
    }
    for (i = 2 * h; i < b->n; i++) {
        k = count_upto(nw->v, k, r * b->v[i]);
        cnt[i] = k;
        if (k)
            g += b->p[i] * nw->cum[k - 1];
    }
    return f + g;
}

/* The few ratios between lo (P = f_lo < p) and hi: sorted, and walked
 * from f_lo until p is reached. */
static double ratio_finish(const struct stats_boot_dist *b, const struct stats_boot_dist *nw,
                           const size_t *clo, const size_t *chi, double f_lo, double p,
                           double hi)
{
    struct stats_atom c[RATIO_FINISH];
    size_t i, j, m = 0;

    for (i = 0; i < b->n; i++)
        for (j = clo[i]; j < chi[i]; j++) {
            c[m].v = nw->v[j] / b->v[i];
            c[m++].p = b->p[i] * nw->p[j];
        }
    /* at most RATIO_FINISH: an insertion sort beats qsort's calls */
    for (i = 1; i < m; i++) {
        struct stats_atom x = c[i];
        for (j = i; j > 0 && c[j - 1].v > x.v; j--)
            c[j] = c[j - 1];
        c[j] = x;
    }
    for (i = 0; i < m; i++) {
        f_lo += c[i].p;
        if (f_lo >= p)
            return c[i].v;
    }
    return hi;
}

/* A bracket of the quantile p of nw* / base* from the two sides' own
 * quantiles Q: with independent sides and P(X < Q(q)) < q <= P(X <= Q(q)),
 *   P(ratio <= Qn(a) / Qb(c)) >= P(nw* <= Qn(a)) P(base* >= Qb(c))
 *                             >= a (1 - c) >= p     for a = 1 - c = sqrt p,
 *   P(ratio <= r) <= P(nw* <= r Qb(c)) + P(base* > Qb(c)) < a + 1 - c = p
 *                                      for r below Qn(a) / Qb(c), a = p/2,
 *                                      c = 1 - p/2. */
static void ratio_bracket(const struct stats_boot_dist *b, const struct stats_boot_dist *nw,
                          double p, double *lo, double *hi)
{
    double a = sqrt(p);

    *hi = stats_boot_quantile(nw, a) / stats_boot_quantile(b, 1 - a);
    *lo = nextafter(stats_boot_quantile(nw, p / 2) / stats_boot_quantile(b, 1 - p / 2), 0);
}

/* The search of a ratio quantile: the bracket (lo, hi], the counts at
 * both ends for every base value (cl, ch), and the base values whose count
 * still differs between the ends (act); the others add f_fixed to P. */
struct ratio_search {
    const struct stats_boot_dist *b, *nw;
    double lo, hi, f_lo, f_hi, f_fixed;
    size_t *cl, *ch, *act, nact;
};

/* Keep in act only the rows whose counts still differ; the rest join
 * f_fixed.  Returns the number of ratios left between lo and hi. */
static size_t ratio_narrow(struct ratio_search *rs)
{
    size_t i, k = 0, cand = 0;

    for (i = 0; i < rs->nact; i++) {
        size_t r = rs->act[i];

        if (rs->cl[r] == rs->ch[r]) {
            if (rs->cl[r])
                rs->f_fixed += rs->b->p[r] * rs->nw->cum[rs->cl[r] - 1];
            continue;
        }
        cand += rs->ch[r] - rs->cl[r];
        rs->act[k++] = r;
    }
    rs->nact = k;
    return cand;
}

/* P(ratio <= mid), moving the counts of the active rows to mid (they lie
 * between the counts at lo and hi, and never fall from row to row): the
 * rows taken two at a time, in two chains, each starting from its own
 * last count, so that neither waits on the other. */
static double ratio_step(struct ratio_search *rs, double mid, size_t *cm)
{
    double f = rs->f_fixed, g = 0;
    size_t i, j = 0, k = 0;
    const double *v = rs->nw->v, *cum = rs->nw->cum, *bv = rs->b->v, *bp = rs->b->p;

    for (i = 0; i + 1 < rs->nact; i += 2) {
        size_t r = rs->act[i], s = rs->act[i + 1];

        j = count_upto(v, j < rs->cl[r] ? rs->cl[r] : j, mid * bv[r]);
        k = count_upto(v, k < rs->cl[s] ? rs->cl[s] : k, mid * bv[s]);
        if (j > rs->ch[r])
            j = rs->ch[r];
        if (k > rs->ch[s])
            k = rs->ch[s];
        cm[r] = j;
        cm[s] = k;
        if (j)
            f += bp[r] * cum[j - 1];
        if (k)
            g += bp[s] * cum[k - 1];
    }
    if (i < rs->nact) {
        size_t r = rs->act[i];

        j = count_upto(v, j < rs->cl[r] ? rs->cl[r] : j, mid * bv[r]);
        if (j > rs->ch[r])
            j = rs->ch[r];
        cm[r] = j;
        if (j)
            f += bp[r] * cum[j - 1];
    }
    return f + g;
}

/* A rough normal quantile, |error| < 4.5e-4 (Abramowitz and Stegun 1964,
 * 26.2.23): enough for a first guess. */
static double z_rough(double p)
{
    double q = p < 0.5 ? p : 1 - p, t = sqrt(-2 * log(q));
    double z = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                   (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)));

    return p < 0.5 ? -z : z;
}

/* Narrow the safe bracket of ratio_bracket around a guess: log nw* - log
 * base* taken as normal, its centre and spread from the two sides'
 * quartile-like quantiles (Q(0.8413) / Q(0.1587) spans two standard
 * deviations); from the guess, steps of a quarter of that spread, doubled
 * until P crosses p.  Every probe is one sweep; the bracket stays valid
 * whatever the guess. */
static void ratio_guess(struct ratio_search *rs, double p, size_t *cm)
{
    const struct stats_boot_dist *b = rs->b, *nw = rs->nw;
    double sb = log(stats_boot_quantile(b, 0.8413) / stats_boot_quantile(b, 0.1587)) / 2;
    double sn = log(stats_boot_quantile(nw, 0.8413) / stats_boot_quantile(nw, 0.1587)) / 2;
    double sd = sqrt(sb * sb + sn * sn), step = sd / 4;
    double r = stats_boot_quantile(nw, 0.5) / stats_boot_quantile(b, 0.5) *
               exp(z_rough(p) * sd);

    for (int k = 0; k < 60 && step > 0 && r > rs->lo && r < rs->hi; k++) {
        double f = ratio_cdf(b, nw, r, cm);
        size_t *t = cm;

        if (f >= p) {
            memcpy(rs->ch, t, b->n * sizeof *t);
            rs->hi = r;
            rs->f_hi = f;
            r *= exp(-step);
        } else {
            memcpy(rs->cl, t, b->n * sizeof *t);
            rs->lo = r;
            rs->f_lo = f;
            r *= exp(step);
        }
        if (k > 0 && (rs->lo == r || rs->hi == r))
            break;
        step *= 2;
    }
}

/* Regula falsi between lo (P < p) and hi (P >= p), P being nearly
 * linear across a narrow bracket, with a plain halving whenever a step
 * fails to move both ends in turn (Illinois-like), until few ratios lie
 * between; each step visits only the base values that still have ratios
 * inside the bracket. */
double stats_boot_ratio_quantile(const struct stats_boot_dist *b,
                                 const struct stats_boot_dist *nw, double p)
{
    /* every count is written before it is read (ratio_cdf fills a row of
     * counts whole; ratio_step only the active rows it then copies) */
    size_t *mem = malloc(4 * (b->n ? b->n : 1) * sizeof *mem), *cm, i, cand;
    struct ratio_search rs = {b, nw, 0, 0, 0, 1, 0, mem, NULL, NULL, b->n};
    int side = 0;
    double q, lo0, hi0;

    if (!mem)
        return NAN;
    rs.ch = mem + b->n;
    rs.act = mem + 2 * b->n;
    cm = mem + 3 * b->n;
    ratio_bracket(b, nw, p, &rs.lo, &rs.hi);
    lo0 = rs.lo;
    hi0 = rs.hi;
    ratio_guess(&rs, p, cm);
    if (rs.lo == lo0)       /* the counts at an end the guess did not move */
        rs.f_lo = ratio_cdf(b, nw, rs.lo, rs.cl);
    if (rs.hi == hi0)
        rs.f_hi = ratio_cdf(b, nw, rs.hi, rs.ch);
    for (i = 0; i < b->n; i++)
        rs.act[i] = i;
    for (;;) {
        double frac = (p - rs.f_lo) / (rs.f_hi - rs.f_lo), mid, f;
        size_t *t = cm;

        if (!(frac > 0.01 && frac < 0.99) || side == 2 || side == -2)
            frac = 0.5;
        mid = rs.lo + (rs.hi - rs.lo) * frac;
        cand = ratio_narrow(&rs);
        if (cand <= RATIO_FINISH || !(mid > rs.lo && mid < rs.hi))
            break;
        f = ratio_step(&rs, mid, cm);
        for (i = 0; i < rs.nact; i++) {
            size_t r = rs.act[i];

            if (f >= p)
                rs.ch[r] = t[r];
            else
                rs.cl[r] = t[r];
        }
        if (f >= p) {
            rs.hi = mid;
            rs.f_hi = f;
            side = frac == 0.5 ? 0 : side > 0 ? side + 1 : 1;
        } else {
            rs.lo = mid;
            rs.f_lo = f;
            side = frac == 0.5 ? 0 : side < 0 ? side - 1 : -1;
        }
    }
    q = cand <= RATIO_FINISH ? ratio_finish(b, nw, rs.cl, rs.ch, rs.f_lo, p, rs.hi) : rs.hi;
    free(mem);
    return q;
}

int stats_ci_median(const double *sorted, size_t n, double level, struct ci *out)
{
    struct stats_boot_dist d;

    out->lo = out->hi = NAN;
    if (n == 0)
        return 0;
    if (stats_boot_median(sorted, n, &d) < 0)
        return -1;
    out->lo = stats_boot_quantile(&d, (1.0 - level) / 2.0);
    out->hi = stats_boot_quantile(&d, (1.0 + level) / 2.0);
    stats_boot_free(&d);
    return 0;
}

int stats_bootstrap(const double *x, size_t n, double level, struct ci *median, struct ci *mean)
{
    double *t;
    int rc;

    median->lo = median->hi = mean->lo = mean->hi = NAN;
    if (n == 0)
        return 0;
    if (!(t = malloc(n * sizeof *t)))
        return -1;
    memcpy(t, x, n * sizeof *t);
    stats_sort(t, n);
    rc = stats_ci_median(t, n, level, median) < 0 || stats_ci_mean(x, n, level, mean) < 0
             ? -1 : 0;
    free(t);
    return rc;
}
