/* cluster.c: two-stage bootstrap CI of a change between runs (cluster.h). */
#include "cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "stats.h"

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

/* One resample of a side into buf (which holds c->n values). */
static void resample(struct rng *r, const struct clustered *c, const struct groups *g,
                     double *buf)
{
    size_t i, j, o = 0;

    if (g->k == 1) {
        for (i = 0; i < c->n; i++)
            buf[i] = c->x[rng_below(r, c->n)];
        return;
    }
    /* K processes drawn with replacement, then samples within each; the
     * resample keeps the drawn processes' sizes, so its length varies. */
    for (i = 0; i < g->k; i++) {
        size_t p = (size_t)rng_below(r, g->k);
        for (j = 0; j < g->cnt[p]; j++)
            buf[o++] = c->x[g->start[p] + rng_below(r, g->cnt[p])];
    }
    buf[o] = NAN;   /* not read: o is passed on through the caller */
}

static size_t resample_len(const struct groups *g, size_t n)
{
    size_t i, mx = 0;

    if (g->k == 1)
        return n;
    for (i = 0; i < g->k; i++)
        if (g->cnt[i] > mx)
            mx = g->cnt[i];
    return mx * g->k;
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

/* Median of buf[0..len) where len is found from the first NaN (or cap). */
static double median_of(double *buf, size_t cap)
{
    size_t len = 0;

    while (len < cap && !isnan(buf[len]))
        len++;
    stats_sort(buf, len);
    return stats_quantile_sorted(buf, len, 0.5);
}

int cluster_effect(const struct clustered *base, const struct clustered *nw, double level,
                   unsigned resamples, uint64_t seed, struct effect *out)
{
    struct groups gb = {0}, gn = {0};
    double *bb = NULL, *bn = NULL, *ratios = NULL, a = (1 - level) / 2;
    size_t lb, ln, i;
    unsigned b, nb = resamples;
    struct rng r;
    int rc = -1;

    memset(out, 0, sizeof *out);
    out->level = level;
    if (!valid(base) || !valid(nw))
        return -1;
    if (groups_of(base, &gb) < 0 || groups_of(nw, &gn) < 0)
        goto cleanup;
    out->ratio = stats_median(nw->x, nw->n) / stats_median(base->x, base->n);
    if ((unsigned long long)(base->n + nw->n) * nb > STATS_BOOT_WORK) {
        unsigned long long cap = STATS_BOOT_WORK / (base->n + nw->n);
        nb = (unsigned)(cap < 1000 ? 1000 : cap);
        if (nb > resamples)
            nb = resamples;
    }
    if (nb == 0) {
        out->ci.lo = out->ci.hi = NAN;
        rc = 0;
        goto cleanup;
    }
    lb = resample_len(&gb, base->n);
    ln = resample_len(&gn, nw->n);
    bb = malloc((lb + 1) * sizeof *bb);
    bn = malloc((ln + 1) * sizeof *bn);
    ratios = malloc(nb * sizeof *ratios);
    if (!bb || !bn || !ratios)
        goto cleanup;
    rng_seed(&r, seed);
    for (b = 0; b < nb; b++) {
        double mb, mn;
        for (i = 0; i <= lb; i++)
            bb[i] = NAN;
        for (i = 0; i <= ln; i++)
            bn[i] = NAN;
        resample(&r, base, &gb, bb);
        resample(&r, nw, &gn, bn);
        mb = median_of(bb, lb + 1);
        mn = median_of(bn, ln + 1);
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

int cluster_paired(const double *base, const double *nw, size_t n, const size_t *counts,
                   size_t k, double level, unsigned resamples, uint64_t seed,
                   struct effect *out)
{
    struct clustered c;
    struct groups g = {0};
    double *r = NULL, *buf = NULL, *meds = NULL, a = (1 - level) / 2;
    size_t i, len;
    unsigned b, nb = resamples;
    struct rng rg;
    int rc = -1;

    memset(out, 0, sizeof *out);
    out->level = level;
    if (n == 0)
        return -1;
    r = malloc(n * sizeof *r);
    if (!r)
        return -1;
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
    out->ratio = exp(stats_median(r, n));
    if ((unsigned long long)n * nb > STATS_BOOT_WORK) {
        unsigned long long cap = STATS_BOOT_WORK / n;
        nb = (unsigned)(cap < 1000 ? 1000 : cap);
        if (nb > resamples)
            nb = resamples;
    }
    if (nb == 0) {
        out->ci.lo = out->ci.hi = NAN;
        rc = 0;
        goto cleanup;
    }
    len = resample_len(&g, n);
    buf = malloc((len + 1) * sizeof *buf);
    meds = malloc(nb * sizeof *meds);
    if (!buf || !meds)
        goto cleanup;
    rng_seed(&rg, seed);
    for (b = 0; b < nb; b++) {
        for (i = 0; i <= len; i++)
            buf[i] = NAN;
        resample(&rg, &c, &g, buf);
        meds[b] = median_of(buf, len + 1);
    }
    stats_sort(meds, nb);
    out->ci.lo = exp(stats_quantile_sorted(meds, nb, a));
    out->ci.hi = exp(stats_quantile_sorted(meds, nb, 1 - a));
    out->resamples = nb;
    rc = 0;
cleanup:
    groups_free(&g);
    free(r);
    free(buf);
    free(meds);
    return rc;
}
