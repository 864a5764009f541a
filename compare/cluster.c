/* cluster.c: two-stage bootstrap CI of a change between runs (cluster.h). */
#include "cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rng.h"
#include "harness/lib/stats.h"
#include "rank.h"

size_t cluster_nonempty(const struct clustered *c)
{
    size_t i, k = 0;

    if (!c->counts || c->k <= 1)
        return c->n ? 1 : 0;
    for (i = 0; i < c->k; i++)
        k += c->counts[i] > 0;
    return k;
}

/* Process boundaries: start[i] and cnt[i] for the non-empty processes. */
struct groups {
    size_t *start, *cnt, k;
};

static int groups_of(const struct clustered *c, struct groups *g)
{
    size_t i, off = 0;

    g->k = 0;
    g->start = malloc((c->k > 1 ? c->k : 1) * sizeof *g->start);
    g->cnt = malloc((c->k > 1 ? c->k : 1) * sizeof *g->cnt);
    if (!g->start || !g->cnt)
        return -1;
    if (!c->counts || c->k <= 1) {
        g->start[0] = 0;
        g->cnt[0] = c->n;
        g->k = 1;
        return 0;
    }
    for (i = 0; i < c->k; i++) {
        if (c->counts[i] > 0) {
            g->start[g->k] = off;
            g->cnt[g->k] = c->counts[i];
            g->k++;
        }
        off += c->counts[i];
    }
    return off == c->n ? 0 : -1;
}

static void groups_free(struct groups *g)
{
    free(g->start);
    free(g->cnt);
}

/* The centre of a side: the median of its samples (one process), or the
 * median of its processes' medians (robust to one process far off: a slow
 * spell, an unlucky memory layout). */
static double centre(const struct clustered *c, const struct groups *g, double *tmp)
{
    size_t i;

    if (g->k == 1)
        return stats_median(c->x, c->n);
    for (i = 0; i < g->k; i++)
        tmp[i] = stats_median(c->x + g->start[i], g->cnt[i]);
    stats_sort(tmp, g->k);
    return stats_quantile_sorted(tmp, g->k, 0.5);
}

/* One resample of a side and its centre.  One process: n samples drawn
 * with replacement, their median.  K processes: K processes drawn with
 * replacement, then each one's samples within it, and the median of the
 * drawn processes' medians.  buf holds the largest process (or n). */
static double resample(struct rng *r, const struct clustered *c, const struct groups *g,
                       double *buf, double *meds)
{
    size_t i, j;

    if (g->k == 1) {
        for (i = 0; i < c->n; i++)
            buf[i] = c->x[rng_below(r, c->n)];
        return stats_median_inplace(buf, c->n);
    }
    for (i = 0; i < g->k; i++) {
        size_t p = (size_t)rng_below(r, g->k);
        for (j = 0; j < g->cnt[p]; j++)
            buf[j] = c->x[g->start[p] + rng_below(r, g->cnt[p])];
        meds[i] = stats_median_inplace(buf, g->cnt[p]);
    }
    return stats_median_inplace(meds, g->k);
}

static size_t resample_len(const struct groups *g, size_t n)
{
    size_t i, mx = 0;

    if (g->k == 1)
        return n;
    for (i = 0; i < g->k; i++)
        if (g->cnt[i] > mx)
            mx = g->cnt[i];
    return mx > g->k ? mx : g->k;
}

static int valid(const struct clustered *c)
{
    size_t i;

    if (c->n == 0)
        return 0;
    for (i = 0; i < c->n; i++)
        if (!isfinite(c->x[i]) || c->x[i] <= 0)
            return 0;
    return 1;
}

int cluster_effect(const struct clustered *base, const struct clustered *nw, double level,
                   unsigned resamples, uint64_t seed, struct effect *out)
{
    struct groups gb = {0}, gn = {0};
    double *bb = NULL, *bn = NULL, *ratios = NULL, a = (1 - level) / 2;
    size_t lb, ln;
    unsigned b, nb;
    struct rng r;
    int rc = -1;

    memset(out, 0, sizeof *out);
    out->level = level;
    if (!valid(base) || !valid(nw))
        return -1;
    if (groups_of(base, &gb) < 0 || groups_of(nw, &gn) < 0)
        goto cleanup;
    if (gb.k == 1 && gn.k == 1 && resamples > 0) {
        /* One process a side: the ordinary bootstrap, computed exactly. */
        rc = effect_unpaired(base->x, base->n, nw->x, nw->n, level, out);
        goto cleanup;
    }
    lb = resample_len(&gb, base->n);
    ln = resample_len(&gn, nw->n);
    bb = malloc((lb + gb.k + 1) * sizeof *bb);
    bn = malloc((ln + gn.k + 1) * sizeof *bn);
    if (!bb || !bn)
        goto cleanup;
    out->ratio = centre(nw, &gn, bn) / centre(base, &gb, bb);
    nb = stats_boot_count(base->n + nw->n, resamples);
    if (nb == 0) {
        out->ci.lo = out->ci.hi = NAN;
        rc = 0;
        goto cleanup;
    }
    ratios = malloc(nb * sizeof *ratios);
    if (!ratios)
        goto cleanup;
    rng_seed(&r, seed);
    for (b = 0; b < nb; b++) {
        double mb = resample(&r, base, &gb, bb, bb + lb);
        double mn = resample(&r, nw, &gn, bn, bn + ln);
        ratios[b] = mn / mb;
    }
    stats_sort(ratios, nb);
    out->ci.lo = stats_quantile_sorted(ratios, nb, a);
    out->ci.hi = stats_quantile_sorted(ratios, nb, 1 - a);
    out->resamples = nb;
    rc = 0;
cleanup:
    groups_free(&gb);
    groups_free(&gn);
    free(bb);
    free(bn);
    free(ratios);
    return rc;
}

/* log of each non-empty cluster's median into out; returns how many. */
static size_t log_medians(const struct clustered *c, double *out)
{
    struct groups g = {0};
    size_t i, k = 0;

    if (groups_of(c, &g) == 0)
        for (i = 0; i < g.k; i++)
            out[k++] = log(stats_median(c->x + g.start[i], g.cnt[i]));
    groups_free(&g);
    return k;
}

int cluster_hl_unpaired(const struct clustered *base, const struct clustered *nw, double level,
                        struct effect *out)
{
    double *lb = NULL, *ln = NULL, *d = NULL, a = (1 - level) / 2;
    const double *cdf;
    size_t kb, kn, N, i, j, c;
    int rc = -1, found = 0;

    memset(out, 0, sizeof *out);
    out->level = level;
    if (!valid(base) || !valid(nw))
        return -1;
    lb = malloc((base->k > 1 ? base->k : 1) * sizeof *lb);
    ln = malloc((nw->k > 1 ? nw->k : 1) * sizeof *ln);
    if (!lb || !ln)
        goto cleanup;
    kb = log_medians(base, lb);
    kn = log_medians(nw, ln);
    if (kb < 2 || kn < 2)
        goto cleanup;
    N = kb * kn;
    d = malloc(N * sizeof *d);
    if (!d || !(cdf = rank_mwu_cdf(kb, kn)))
        goto cleanup;
    for (i = 0; i < kb; i++)
        for (j = 0; j < kn; j++)
            d[i * kn + j] = ln[j] - lb[i];
    stats_sort(d, N);
    /* c = 1 + the largest u with P(U <= u) <= (1-level)/2; the CI is
     * (D_(c), D_(N+1-c)) (Bauer 1972), as R's wilcox.test computes it. */
    for (c = 0; c < N && cdf[c] <= a; c++)
        found = 1;
    if (!found) {
        c = 1;
        out->ci_narrowed = 1;
    }
    out->ratio = exp(stats_quantile_sorted(d, N, 0.5));
    out->ci.lo = exp(d[c - 1]);
    out->ci.hi = exp(d[N - c]);
    rc = 0;
cleanup:
    free(lb);
    free(ln);
    free(d);
    return rc;
}

/* The Hodges-Lehmann centre of x[0..n): the median of the n(n+1)/2 Walsh
 * averages (x_i + x_j)/2, i <= j (Hodges and Lehmann 1963): nearly as
 * efficient as the mean for normal noise, and one wild value cannot move
 * it far.  NaN when out of memory. */
static double hodges_lehmann(const double *x, size_t n)
{
    size_t i, j, k = 0, nw = n * (n + 1) / 2;
    double *w = malloc(nw * sizeof *w), c;

    if (!w)
        return NAN;
    for (i = 0; i < n; i++)
        for (j = i; j < n; j++)
            w[k++] = (x[i] + x[j]) / 2;
    stats_sort(w, nw);
    c = stats_quantile_sorted(w, nw, 0.5);
    free(w);
    return c;
}

int cluster_sign_paired(const double *base, const double *nw, size_t n, const size_t *counts,
                        size_t k, double level, struct effect *out)
{
    struct clustered c;
    double *r = NULL, *m = NULL, a = (1 - level) / 2;
    struct groups g = {0};
    size_t i, km = 0, j;
    int rc = -1, found = 0;

    memset(out, 0, sizeof *out);
    out->level = level;
    if (n == 0 || !counts || k < 2)
        return -1;
    r = malloc(n * sizeof *r);
    m = malloc(k * sizeof *m);
    if (!r || !m)
        goto cleanup;
    for (i = 0; i < n; i++) {
        if (!(base[i] > 0) || !(nw[i] > 0) || !isfinite(base[i]) || !isfinite(nw[i]))
            goto cleanup;
        r[i] = log(nw[i] / base[i]);
    }
    c.x = r;
    c.n = n;
    c.counts = counts;
    c.k = k;
    if (groups_of(&c, &g) < 0)
        goto cleanup;
    for (i = 0; i < g.k; i++) {
        m[km] = hodges_lehmann(r + g.start[i], g.cnt[i]);
        if (isnan(m[km++]))
            goto cleanup;
    }
    if (km < 2)
        goto cleanup;
    stats_sort(m, km);
    /* The largest j with P(Binomial(K, 1/2) < j) <= (1-level)/2: the CI is
     * (m_(j), m_(K+1-j)) (Conover 1999, 3.2). */
    j = rank_sign_k(km, km / 2, a);
    found = j > 0;
    j = found ? j : 1;
    out->ci_narrowed = !found;
    out->ratio = exp(stats_quantile_sorted(m, km, 0.5));
    out->ci.lo = exp(m[j - 1]);
    out->ci.hi = exp(m[km - j]);
    rc = 0;
cleanup:
    groups_free(&g);
    free(r);
    free(m);
    return rc;
}

/* The q-quantile of the medians of c's processes with samples (q 0.5:
 * their median); of its samples when they come from one process. */
static double medians_quantile(const struct clustered *c, double q)
{
    double *m, v;
    size_t i, k = 0, at = 0;

    if (c->n == 0)
        return NAN;
    if (!c->counts || c->k <= 1) {
        if (q == 0.5)
            return stats_median(c->x, c->n);
        return NAN;
    }
    if (!(m = malloc(c->k * sizeof *m)))
        return NAN;
    for (i = 0; i < c->k; at += c->counts[i], i++)
        if (c->counts[i])
            m[k++] = stats_median(c->x + at, c->counts[i]);
    if (k && q == 0.5)
        v = stats_median(m, k);
    else if (k >= 2) {
        stats_sort(m, k);
        v = stats_quantile_sorted(m, k, q);
    } else
        v = NAN;
    free(m);
    return v;
}

double cluster_centre(const struct clustered *c)
{
    return medians_quantile(c, 0.5);
}

double cluster_quantile(const struct clustered *c, double q)
{
    return medians_quantile(c, q);
}
