/*
 * plot_dist.c: the samples of benchmarks, as distributions (plot.h): the
 * benchmarks grouped by name across the results, the box of a sample set,
 * every sample in one data file; the pictures themselves are boxes
 * (plot_dist_box.c, the default) or histograms (plot_dist_hist.c).
 */
#include "plot_dist_private.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "harness/lib/rx.h"
#include "harness/lib/stats.h"

void dist_box_of(const double *x, size_t n, double *s, struct dist_box *bx)
{
    double iqr;
    size_t i;

    memcpy(s, x, n * sizeof *s);
    stats_sort(s, n);
    bx->q1 = stats_quantile_sorted(s, n, 0.25);
    bx->med = stats_quantile_sorted(s, n, 0.5);
    bx->q3 = stats_quantile_sorted(s, n, 0.75);
    iqr = bx->q3 - bx->q1;
    bx->lf = bx->q1 - 1.5 * iqr;
    bx->hf = bx->q3 + 1.5 * iqr;
    bx->lf3 = bx->q1 - 3 * iqr;
    bx->hf3 = bx->q3 + 3 * iqr;
    bx->wlo = bx->q1;
    bx->whi = bx->q3;
    for (i = 0; i < n; i++) {
        if (s[i] >= bx->lf && s[i] < bx->wlo)
            bx->wlo = s[i];
        if (s[i] <= bx->hf && s[i] > bx->whi)
            bx->whi = s[i];
    }
}

static int outlier_class(const struct dist_box *bx, double v)
{
    if (v < bx->lf3 || v > bx->hf3)
        return 2;
    return v < bx->lf || v > bx->hf ? 1 : 0;
}

static const char *file_part(const char *s)
{
    const char *sl = s ? strrchr(s, '/') : NULL;

    return sl ? sl + 1 : s;
}

/* The benchmarks that match, by name, in first-appearance order. */
static int collect(const struct result *const *rs, size_t nrs, const char *filter,
                   struct dist_group **out, size_t *nout, struct err *e)
{
    struct dist_group *gs = NULL;
    size_t n = 0, cap = 0, i, j, k;
    regex_t re;
    int have_re = 0;

    if (filter) {
        if (rx_compile(&re, filter) != 0)
            return err_set(e, "filter '%s': not a valid regular expression", filter);
        have_re = 1;
    }
    for (i = 0; i < nrs && i < DIST_MAXRES; i++)
        for (j = 0; j < rs[i]->nbenches; j++) {
            const struct bench *b = &rs[i]->benches[j];
            if (b->nsamples == 0 || (have_re && regexec(&re, b->name, 0, NULL, 0)))
                continue;
            for (k = 0; k < n && strcmp(gs[k].name, b->name); k++)
                ;
            if (k == n) {
                if (n == cap) {
                    struct dist_group *ng = realloc(gs, (cap = cap ? 2 * cap : 16) * sizeof *gs);
                    if (!ng) {
                        free(gs);
                        if (have_re)
                            regfree(&re);
                        return err_set(e, "out of memory");
                    }
                    gs = ng;
                }
                memset(&gs[n], 0, sizeof gs[n]);
                gs[n].name = b->name;
                gs[n].unit = b->unit;
                gs[n++].ref = stats_median(b->samples, b->nsamples);
            }
            if (!gs[k].b[i])
                gs[k].b[i] = b;
        }
    if (have_re)
        regfree(&re);
    if (!n) {
        free(gs);
        return err_set(e, "no benchmark with samples%s%s%s", filter ? " matching '" : "",
                       filter ? filter : "", filter ? "'" : "");
    }
    *out = gs;
    *nout = n;
    return 0;
}

const char *dist_result_name(const struct plot_opts *o, size_t i, char *buf, size_t len)
{
    if (o->names && o->names[i])
        snprintf(buf, len, "%s", file_part(o->names[i]));
    else
        snprintf(buf, len, "run %zu", i + 1);
    return buf;
}

int dist_write_samples(FILE *f, const struct dist_group *gs, size_t ng, size_t nres,
                       const double *rowy, double *sorted, double xlo, double xhi,
                       size_t cnt[3], size_t *gout)
{
    size_t gi, r, i, row = 0;

    fprintf(f, "# group\tresult\ty\tsample\tdeviation_pct\toutlier (0 no, 1 mild, 2 severe)\n");
    for (gi = 0; gi < ng; gi++)
        for (r = 0; r < nres; r++) {
            const struct bench *b = gs[gi].b[r];
            struct dist_box bx;
            if (!b)
                continue;
            dist_box_of(b->samples, b->nsamples, sorted, &bx);
            for (i = 0; i < b->nsamples; i++) {
                double v = b->samples[i], dev = 100 * (v / gs[gi].ref - 1);
                double fig[2] = {v, dev};
                int cls = outlier_class(&bx, v);
                fprintf(f, "%zu\t%zu\t%.6g\t", gi, r, rowy ? rowy[row] : 0.0);
                gp_nums(f, fig, 2);
                fprintf(f, "\t%d\n", cls);
                if (dev < xlo || dev > xhi)
                    cnt[2]++;
                else if (cls)
                    cnt[cls - 1]++;
                if (gout && cls)
                    gout[gi]++;
            }
            row++;
        }
    return 0;
}

int plot_dist(const struct result *const *rs, size_t nrs, const char *filter,
              const struct plot_opts *o, struct err *e)
{
    struct dist_group *gs = NULL;
    char **names;
    size_t ng = 0, pre, i;
    int rc;

    if (nrs == 0)
        return err_set(e, "no result to plot");
    if (nrs > DIST_MAXRES)
        return err_set(e, "%zu results: at most %d fit on one picture", nrs, DIST_MAXRES);
    if (collect(rs, nrs, filter, &gs, &ng, e) < 0)
        return -1;
    names = calloc(ng, sizeof *names);
    if (!names) {
        free(gs);
        return err_set(e, "out of memory");
    }
    for (i = 0; i < ng; i++)
        names[i] = (char *)gs[i].name;
    pre = gp_common_prefix(names, ng);
    free(names);
    rc = o->dist == PLOT_DIST_HIST ? dist_plot_hist(gs, ng, nrs, pre, o, e)
                                    : dist_plot_box(gs, ng, nrs, pre, o, e);
    free(gs);
    return rc;
}
