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
 * BOOT_TINY are left out: what is lost is below 1e-9 in all.
 *
 * Mean.  For n <= MEAN_EXACT_MAX every resample, as the counts c_i of each
 * value (a composition of n, probability n! / prod c_i! / n^n), is
 * enumerated.  Above, the saddlepoint approximation of the distribution of
 * the resample mean (Davison and Hinkley 1988, "Saddlepoint approximations
 * in resampling methods", Biometrika 75), with Lugannani and Rice's tail
 * formula (1980), the root found by regula falsi with the Illinois
 * modification (Dowell and Jarratt 1971): for standardized values y (mean 0, sd 1 with divisor n)
 * and K(t) = log mean exp(t y), the saddlepoint t of a mean v solves
 * K'(t) = v and
 *   P(mean* <= v) ~ Phi(w) + phi(w) (1/w - 1/u),
 *   w = sign(t) sqrt(2 n (t v - K(t))),  u = t sqrt(n K''(t)).
 * The quantile is found in t, each step one pass over the data.
 */
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "stats_private.h"

#define BOOT_TINY 1e-15        /* atoms below this probability are left out */
#define MEAN_EXACT_MAX 6       /* 462 resamples to enumerate at n = 6 */
#define RATIO_FINISH 64        /* candidate ratios few enough to sort */

struct atom {
    double v, p;
};

struct atoms {
    struct atom *a;
    size_t n, cap;
};

static int atoms_add(struct atoms *s, double v, double p)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        struct atom *na = realloc(s->a, cap * sizeof *na);

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

static int cmp_atom(const void *pa, const void *pb)
{
    double a = ((const struct atom *)pa)->v, b = ((const struct atom *)pb)->v;

    return (a > b) - (a < b);
}

void stats_boot_free(struct stats_boot_dist *d)
{
    free(d->v);
    free(d->p);
    free(d->cum);
    memset(d, 0, sizeof *d);
}

/* The atoms, sorted by value, into d with their running sums scaled to
 * end at 1.  Frees s. */
static int dist_from_atoms(struct atoms *s, struct stats_boot_dist *d)
{
    double total = 0, run = 0;
    size_t i;

    memset(d, 0, sizeof *d);
    d->v = malloc((s->n ? s->n : 1) * sizeof *d->v);
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
static int merge_runs(struct atoms *s, size_t *start, size_t runs)
{
    struct atom *tmp = malloc((s->n ? s->n : 1) * sizeof *tmp), *t;

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

/* Even n: the atoms (x_i + x_j) / 2 of the pairs of positions i <= j, one
 * run ascending in j for each i.  Each probability is one product
 * ea[i] eb[j] q[j - i] of exp(log C(n, k) / 2 + log a(i) - c (i - k)),
 * exp(log C(n, k) / 2 + log b(j) + c (j - k)) and exp(-c (j - i)): near
 * the middle a(i) grows and b(j) falls by about e^c a step, so with c =
 * k log(1 + 1/k) none of the three overflows where it matters. */
static int median_even(const double *x, size_t n, size_t lo, size_t hi, struct atoms *s)
{
    size_t k = n / 2, r = n - k, i, j, jmax = n > 1000 && hi + 100 < n ? hi + 100 : n;
    double half = (lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)r + 1)) / 2;
    double c = (double)k * log1p(1.0 / (double)k), g_prev;
    double *eb = malloc(2 * (jmax - lo + 1) * sizeof *eb), *q = eb + (jmax - lo + 1);
    size_t *start = malloc((hi - lo + 2) * sizeof *start);
    struct order_cdf g;
    int rc = -1;

    if (!eb || !start)
        goto cleanup;
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
        start[i - lo] = s->n;
        if (i < n)
            pii -= exp(la + half + (double)r * log((double)(n - i) / (double)n));
        if (pii > BOOT_TINY && atoms_add(s, x[i - 1], pii) < 0)
            goto cleanup;
        for (j = i + 1; j <= jmax; j++) {
            double pij = ea * eb[j - lo] * q[j - i];

            if (!(pij >= BOOT_TINY))   /* b(j) falls with j: the rest is smaller */
                break;
            if (atoms_add(s, stats_lerp(x[i - 1], x[j - 1], 0.5), pij) < 0)
                goto cleanup;
        }
    }
    start[hi - lo + 1] = s->n;
    rc = merge_runs(s, start, hi - lo + 1);
cleanup:
    free(eb);
    free(start);
    return rc;
}

int stats_boot_median(const double *sorted, size_t n, struct stats_boot_dist *d)
{
    struct atoms s = {0};
    struct order_cdf g;
    size_t k = (n + 1) / 2, w = (size_t)(5.0 * sqrt((double)n)) + 20, lo, hi, i;
    double g_prev;

    memset(d, 0, sizeof *d);
    if (n == 0)
        return -1;
    lo = k > w ? k - w : 1;
    hi = k + 1 + w < n ? k + 1 + w : n;
    if (n % 2 == 0) {
        if (median_even(sorted, n, lo, hi, &s) < 0) {
            free(s.a);
            return -1;
        }
        return dist_from_atoms(&s, d);
    }
    order_cdf_init(&g, n, k);
    g_prev = order_cdf(&g, lo - 1);
    for (i = lo; i <= hi; i++) {
        double gi = order_cdf(&g, i), p = gi - g_prev;

        g_prev = gi;
        if (p > BOOT_TINY && atoms_add(&s, sorted[i - 1], p) < 0) {
            free(s.a);
            return -1;
        }
    }
    return dist_from_atoms(&s, d);
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

/* P(nw* / base* <= r), and in cnt[i] how many values of nw over base's
 * i-th are <= r.  The ratio falls as base's value rises, so the counts
 * never fall with i and one sweep finds them all.  The test is nw <= r
 * base, not a division: it may differ from nw / base <= r only where the
 * two are within a rounding of each other, and the search only ever uses
 * it to split the values; the quantile it returns is a quotient. */
static double ratio_cdf(const struct stats_boot_dist *b, const struct stats_boot_dist *nw,
                        double r, size_t *cnt)
{
    double f = 0;
    size_t i, j = 0;

    for (i = 0; i < b->n; i++) {
        double t = r * b->v[i];

        while (j < nw->n && nw->v[j] <= t)
            j++;
        cnt[i] = j;
        if (j)
            f += b->p[i] * nw->cum[j - 1];
    }
    return f;
}

static int cmp_ratio(const void *pa, const void *pb)
{
    return cmp_atom(pa, pb);
}

/* The few ratios between lo (P = f_lo < p) and hi: sorted, and walked
 * from f_lo until p is reached. */
static double ratio_finish(const struct stats_boot_dist *b, const struct stats_boot_dist *nw,
                           const size_t *clo, const size_t *chi, double f_lo, double p,
                           double hi)
{
    struct atom c[RATIO_FINISH];
    size_t i, j, m = 0;

    for (i = 0; i < b->n; i++)
        for (j = clo[i]; j < chi[i]; j++) {
            c[m].v = nw->v[j] / b->v[i];
            c[m++].p = b->p[i] * nw->p[j];
        }
    qsort(c, m, sizeof *c, cmp_ratio);
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
 * between the counts at lo and hi, and never fall from row to row). */
static double ratio_step(struct ratio_search *rs, double mid, size_t *cm)
{
    double f = rs->f_fixed;
    size_t i, j = 0;

    for (i = 0; i < rs->nact; i++) {
        size_t r = rs->act[i], end = rs->ch[r];
        double t = mid * rs->b->v[r];

        if (j < rs->cl[r])
            j = rs->cl[r];
        while (j < end && rs->nw->v[j] <= t)
            j++;
        cm[r] = j;
        if (j)
            f += rs->b->p[r] * rs->nw->cum[j - 1];
    }
    return f;
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
    size_t *mem = calloc(4 * b->n, sizeof *mem), *cm, i, cand;
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

/* ---- the mean --------------------------------------------------------------- */

/* Every composition c[0..n) of left over the values from i on, each an
 * atom of the resample mean with probability n! / prod c! / n^n (kept as
 * its log, lp, and the sum so far, sum). */
static int mean_compositions(const double *x, size_t n, size_t i, size_t left, double sum,
                             double lp, struct atoms *s)
{
    size_t c;

    if (i == n - 1)
        return atoms_add(s, (sum + (double)left * x[i]) / (double)n,
                         exp(lp - lgamma((double)left + 1)));
    for (c = 0; c <= left; c++)
        if (mean_compositions(x, n, i + 1, left - c, sum + (double)c * x[i],
                              lp - lgamma((double)c + 1), s) < 0)
            return -1;
    return 0;
}

/* The standardized values y of the saddlepoint, and for large n their
 * bulk grouped: values in [-GROUP_SPAN, GROUP_SPAN) fall in bins of width
 * GROUP_H, each kept as its count and the power sums S_1..S_4 of the
 * offsets d from its centre; the others stay as they are.  Then
 * sum exp(t y) y^m over a bin is exp(t c) times the Taylor series of
 * exp(t d) in those sums, whose remainder is below 1e-9 of the sum while
 * |t| GROUP_H <= GROUP_TH (the saddlepoint of a large sample has |t|
 * about 2/sqrt(n)); a step with a larger t passes over every value. */
#define GROUP_MIN 65536        /* samples from which the bulk is grouped */
#define GROUP_SPAN 40.0
#define GROUP_H 0.05
#define GROUP_TH 0.01
#define GROUP_BINS 1600        /* 2 GROUP_SPAN / GROUP_H */

struct ysample {
    const double *y;
    size_t n;
    double ymin, ymax;
    double *sums;              /* GROUP_BINS x 5 (count, S_1..S_4), or NULL */
    double *rest;              /* the values outside the bins */
    size_t nrest;
};

static int ysample_group(struct ysample *ys)
{
    size_t i;

    ys->sums = calloc(GROUP_BINS * 5, sizeof *ys->sums);
    ys->rest = malloc(ys->n * sizeof *ys->rest);
    if (!ys->sums || !ys->rest)
        return -1;
    for (i = 0; i < ys->n; i++) {
        double y = ys->y[i], b = floor((y + GROUP_SPAN) / GROUP_H), d, *s;

        if (!(b >= 0 && b < GROUP_BINS)) {
            ys->rest[ys->nrest++] = y;
            continue;
        }
        s = ys->sums + 5 * (size_t)b;
        d = y - (-GROUP_SPAN + (b + 0.5) * GROUP_H);
        s[0] += 1;
        s[1] += d;
        s[2] += d * d;
        s[3] += d * d * d;
        s[4] += d * d * d * d;
    }
    return 0;
}

/* sum exp(t (y - sh)) y^m, m = 0, 1, 2, into s[0..3) over the bins. */
static void tilt_groups(const struct ysample *ys, double t, double sh, double *s)
{
    for (size_t b = 0; b < GROUP_BINS; b++) {
        const double *q = ys->sums + 5 * b;
        double c = -GROUP_SPAN + ((double)b + 0.5) * GROUP_H, e, m0, m1, m2;

        if (q[0] == 0)
            continue;
        /* sum exp(t d) d^j = sum_k t^k S_{j+k} / k!, to S_4 */
        m0 = q[0] + t * (q[1] + t * (q[2] / 2 + t * (q[3] / 6 + t * q[4] / 24)));
        m1 = q[1] + t * (q[2] + t * (q[3] / 2 + t * q[4] / 6));
        m2 = q[2] + t * (q[3] + t * q[4] / 2);
        e = exp(t * (c - sh));
        s[0] += e * m0;
        s[1] += e * (c * m0 + m1);
        s[2] += e * (c * c * m0 + 2 * c * m1 + m2);
    }
}

/* K(t) = log mean exp(t y) and its first two derivatives, the exponents
 * shifted by t max(y) (or min) so that none overflows. */
static void tilt(const struct ysample *ys, double t, double *k0, double *k1, double *k2)
{
    double sh = t >= 0 ? ys->ymax : ys->ymin, s[3] = {0, 0, 0}, m;
    const double *y = ys->y;
    size_t n = ys->n;

    if (ys->sums && fabs(t) * GROUP_H <= GROUP_TH) {
        tilt_groups(ys, t, sh, s);
        y = ys->rest;
        n = ys->nrest;
    }
    for (size_t i = 0; i < n; i++) {
        double e = exp(t * (y[i] - sh));

        s[0] += e;
        s[1] += e * y[i];
        s[2] += e * y[i] * y[i];
    }
    m = s[1] / s[0];
    *k0 = t * sh + log(s[0] / (double)ys->n);
    *k1 = m;
    *k2 = fmax(s[2] / s[0] - m * m, 0);
}

/* Lugannani and Rice's P(mean* <= K'(t)) at the saddlepoint t; *v gets
 * K'(t) and *dfdt the slope in t, about the saddlepoint density times
 * dv/dt = K''(t): phi(w) sqrt(n K''(t)). */
static double lr_cdf(const struct ysample *ys, double t, double *v, double *dfdt)
{
    double k0, k1, k2, w, u, e, phi, n = (double)ys->n;

    tilt(ys, t, &k0, &k1, &k2);
    *v = k1;
    *dfdt = 0;
    e = 2.0 * n * (t * k1 - k0);
    if (t == 0 || !(e > 0) || !(k2 > 0))
        return t < 0 ? 0.0 : t > 0 ? 1.0 : 0.5;
    w = copysign(sqrt(e), t);
    u = t * sqrt(n * k2);
    phi = exp(-w * w / 2) / sqrt(2 * M_PI);
    *dfdt = phi * sqrt(n * k2);
    return 0.5 * erfc(-w / M_SQRT2) + phi * (1 / w - 1 / u);
}

/* The saddlepoint quantile p of the mean of the standardized y, in y's
 * units.  Newton steps in t from the normal guess t = z/sqrt(n) (|z| =
 * 2), kept inside the bracket that the values seen so far give (t = 0,
 * the centre, is on one side): a step that leaves it bisects, and a
 * bracket still open on one side doubles.  Each step is one pass; about
 * four reach the rounding of the sums.  A step of t below 1e-9 of t moves
 * the quantile by less than 1e-9 of its distance from the mean. */
static double mean_saddle(const struct ysample *ys, double p)
{
    double t = (p < 0.5 ? -2.0 : 2.0) / sqrt((double)ys->n), lo = -INFINITY, hi = INFINITY;
    double v = 0, f, d, tn;

    if (p < 0.5)
        hi = 0;     /* P(mean* <= mean) is about 1/2 > p */
    else
        lo = 0;
    for (int i = 0; i < 200; i++) {
        f = lr_cdf(ys, t, &v, &d) - p;
        if (fabs(f) < 1e-10)   /* rounding in the sums over y is about this */
            break;
        if (f < 0)
            lo = t;
        else
            hi = t;
        tn = d > 0 ? t - f / d : NAN;
        if (!(tn > lo && tn < hi))
            tn = isinf(lo) ? 2 * hi : isinf(hi) ? 2 * lo : lo + (hi - lo) / 2;
        if (fabs(tn - t) <= 1e-9 * fabs(t) || fabs(tn) > 1e300)
            break;
        t = tn;
    }
    return isfinite(v) ? v : p < 0.5 ? ys->ymin : ys->ymax;
}

/* Above MEAN_EXACT_MAX: standardize (population sd), then both ends. */
static int mean_ci_saddle(const double *x, size_t n, double level, struct ci *out)
{
    double m = stats_mean(x, n), s = 0, *y;
    struct ysample ys = {0};
    size_t i;
    int rc = -1;

    for (i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m);
    s = sqrt(s / (double)n);
    if (!(s > 0) || !isfinite(s)) {
        out->lo = out->hi = m;
        return 0;
    }
    if (!(y = malloc(n * sizeof *y)))
        return -1;
    ys.y = y;
    ys.n = n;
    ys.ymin = INFINITY;
    ys.ymax = -INFINITY;
    for (i = 0; i < n; i++) {
        y[i] = (x[i] - m) / s;
        ys.ymin = fmin(ys.ymin, y[i]);
        ys.ymax = fmax(ys.ymax, y[i]);
    }
    if (n >= GROUP_MIN && ysample_group(&ys) < 0)
        goto cleanup;
    out->lo = m + s * mean_saddle(&ys, (1.0 - level) / 2.0);
    out->hi = m + s * mean_saddle(&ys, (1.0 + level) / 2.0);
    rc = 0;
cleanup:
    free(ys.sums);
    free(ys.rest);
    free(y);
    return rc;
}

int stats_ci_mean(const double *x, size_t n, double level, struct ci *out)
{
    struct stats_boot_dist d;
    struct atoms s = {0};

    out->lo = out->hi = NAN;
    if (n == 0)
        return 0;
    if (n > MEAN_EXACT_MAX)
        return mean_ci_saddle(x, n, level, out);
    if (mean_compositions(x, n, 0, n, 0.0, lgamma((double)n + 1) - (double)n * log((double)n),
                          &s) < 0) {
        free(s.a);
        return -1;
    }
    qsort(s.a, s.n, sizeof *s.a, cmp_atom);
    if (dist_from_atoms(&s, &d) < 0)
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
