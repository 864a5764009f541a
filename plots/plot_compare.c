/*
 * plot_compare.c: a comparison as a picture (plot.h): one horizontal bar
 * per benchmark for its relative change (oriented so that right is
 * worse), sorted with the worst at the top, coloured by verdict, with the
 * CI as whiskers, the threshold as dashed lines and the figures beside
 * each bar.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "harness/lib/stats.h"
#include "plot.h"

static int drawn(const struct compare_row *r)
{
    return (r->verdict == VERDICT_UNCHANGED || r->verdict == VERDICT_IMPROVED ||
            r->verdict == VERDICT_REGRESSED || r->verdict == VERDICT_INCONCLUSIVE) &&
           isfinite(r->change);
}

static int by_change(const void *a, const void *b)
{
    const struct compare_row *x = *(const struct compare_row *const *)a;
    const struct compare_row *y = *(const struct compare_row *const *)b;

    if (x->change != y->change)
        return x->change < y->change ? -1 : 1;
    return strcmp(x->name, y->name);
}

static const char *base_of(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;

    return s ? s + 1 : path ? path : "";
}

/* The row's CI of the change, the change itself where the CI is missing. */
static void ci_of(const struct compare_row *r, double *lo, double *hi)
{
    *lo = isfinite(r->change_lo) ? r->change_lo : r->change;
    *hi = isfinite(r->change_hi) ? r->change_hi : r->change;
}

/* The x range in %: every change, the thresholds, and the CIs unless a
 * few of them would squash the rest (those are cut at the edge). */
static void x_range(const struct compare_row *const *rows, size_t n, double *lo, double *hi)
{
    double *ext = malloc(n * sizeof *ext), cap = 0, mch = 0, thr = 0;
    size_t i;

    *lo = 0;
    *hi = 0;
    for (i = 0; i < n; i++) {
        const struct compare_row *r = rows[i];
        double l, h;
        ci_of(r, &l, &h);
        if (ext)
            ext[i] = fmax(fabs(l), fabs(h));
        mch = fmax(mch, fabs(r->change));
        if (isfinite(r->threshold))
            thr = fmax(thr, r->threshold);
    }
    if (ext && n) {
        stats_sort(ext, n);
        cap = fmax(fmax(1.5 * ext[(size_t)(0.9 * (double)(n - 1))], 1.15 * mch), 1.6 * thr);
    }
    for (i = 0; i < n; i++) {
        double l, h;
        ci_of(rows[i], &l, &h);
        *lo = fmin(*lo, fmax(l, -cap));
        *hi = fmax(*hi, fmin(h, cap));
    }
    *lo = fmin(*lo, -1.3 * thr);
    *hi = fmax(*hi, 1.3 * thr);
    if (*hi - *lo <= 0) {
        *lo = -0.01;
        *hi = 0.01;
    }
    {
        double pad = 0.06 * (*hi - *lo);
        *lo = 100 * (*lo - pad);
        *hi = 100 * (*hi + pad);
    }
    free(ext);
}

static void write_data(FILE *f, const struct compare_row *const *rows, size_t n, size_t pre,
                       size_t maxname)
{
    size_t i;

    fprintf(f, "# y\tname\tverdict\tverdict_code\tchange\tchange_lo\tchange_hi\tthreshold\t"
               "base_median\tnew_median\tunit\tp_adj\n"
               "# changes are fractions, oriented so that > 0 is worse; verdict_code: 0 "
               "unchanged, 1 improved, 2 regressed, 3 inconclusive\n");
    for (i = 0; i < n; i++) {
        const struct compare_row *r = rows[i];
        char shortn[256];
        fprintf(f, "%zu\t", i);
        gp_field(f, gp_shorten(shortn, sizeof shortn, r->name + pre, maxname));
        double fig[6] = {r->change, r->change_lo, r->change_hi, r->threshold, r->base_value,
                         r->new_value};
        fprintf(f, "\t%s\t%d\t", verdict_name(r->verdict), (int)r->verdict);
        gp_nums(f, fig, 6);
        fputc('\t', f);
        gp_field(f, r->unit ? r->unit : "");
        fputc('\t', f);
        gp_num(f, r->p_adj);
        fputc('\n', f);
    }
}

/* The rows to draw, worst on top, and what their names share. */
struct rows {
    const struct compare_row **v;
    size_t n;
    size_t pre;                 /* the length of the names' common prefix */
    size_t maxname;             /* the longest name after it, at most 48 */
    double thr;                 /* the threshold, when all rows share it */
    int same_thr;
};

/* The rows of c that have a change to draw; -1 with e set. */
static int pick_rows(const struct comparison *c, struct rows *rs, struct err *e)
{
    char **names;
    size_t i;

    memset(rs, 0, sizeof *rs);
    rs->thr = NAN;
    rs->same_thr = 1;
    rs->v = calloc(c->nrows ? c->nrows : 1, sizeof *rs->v);
    names = calloc(c->nrows ? c->nrows : 1, sizeof *names);
    if (!rs->v || !names) {
        free(names);
        return err_set(e, "out of memory");
    }
    for (i = 0; i < c->nrows; i++)
        if (drawn(&c->rows[i])) {
            rs->v[rs->n] = &c->rows[i];
            names[rs->n++] = (char *)c->rows[i].name;
        }
    if (!rs->n) {
        free(names);
        return err_set(e, "compare: no benchmark with a change to plot");
    }
    qsort(rs->v, rs->n, sizeof *rs->v, by_change);
    rs->pre = gp_common_prefix(names, rs->n);
    free(names);
    for (i = 0; i < rs->n; i++) {
        size_t l = strlen(rs->v[i]->name + rs->pre);
        rs->maxname = l > rs->maxname ? l : rs->maxname;
        if (i == 0)
            rs->thr = rs->v[i]->threshold;
        else if (rs->v[i]->threshold != rs->thr)
            rs->same_thr = 0;
    }
    if (rs->maxname > 48)
        rs->maxname = 48;
    return 0;
}

/* "base -> new (prefix...)", the verdicts, the geometric mean and what
 * is not drawn. */
static void compare_title(const struct comparison *c, const struct rows *rs, size_t nother,
                          char *title, size_t len)
{
    size_t l;

    snprintf(title, len, "%s -> %s%s%.*s%s\n%zu regressed, %zu improved, %zu unchanged, "
             "%zu inconclusive",
             c->base_name[0] ? base_of(c->base_name) : "base",
             c->new_name[0] ? base_of(c->new_name) : "new", rs->pre ? " (" : "", (int)rs->pre,
             rs->v[0]->name, rs->pre ? "...)" : "",
             c->count[VERDICT_REGRESSED], c->count[VERDICT_IMPROVED],
             c->count[VERDICT_UNCHANGED], c->count[VERDICT_INCONCLUSIVE]);
    if (c->ngeomean && isfinite(c->geomean)) {
        l = strlen(title);
        snprintf(title + l, len - l, "; geometric mean %+.2f%%", 100 * (c->geomean - 1));
    }
    if (nother) {
        l = strlen(title);
        snprintf(title + l, len - l,
                 "\nnot drawn: %zu only in base, %zu only in new, %zu failed, %zu skipped",
                 c->count[VERDICT_BASE_ONLY], c->count[VERDICT_NEW_ONLY],
                 c->count[VERDICT_ERROR], c->count[VERDICT_SKIPPED]);
    }
}

/* The axes: verdict colours, margins, ranges, zero and threshold lines,
 * the key. */
static void script_axes(struct gp *g, const struct rows *rs, size_t nother, double xlo,
                        double xhi)
{
    int left = 30 + (int)(7.2 * (double)rs->maxname);

    gp_title(g);
    fprintf(g->f, "vc(v) = v == 2 ? 0x%s : v == 1 ? 0x%s : v == 3 ? 0x%s : 0x%s\n", &GP_RED[1],
            &GP_GREEN[1], &GP_ORANGE[1], &GP_GREY[1]);
    fprintf(g->f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
                  "set tmargin %d\nset bmargin %d\n",
            (double)left / g->width, 1 - 240.0 / g->width, nother ? 5 : 4, 7);
    fprintf(g->f, "set border 3\nset xtics nomirror out\nset ytics nomirror out scale 0 font ',9'\n"
                  "set grid xtics noytics\nset xrange [%.6g:%.6g]\nset yrange [-0.7:%.1f]\n"
                  "set format x '%%+g%%%%'\n"
                  "set xlabel 'change of the median, %% (right: worse)'\n",
            xlo, xhi, (double)rs->n - 0.3);
    fprintf(g->f, "set arrow from 0, graph 0 to 0, graph 1 nohead lc '#404040' lw 1\n");
    if (rs->same_thr && isfinite(rs->thr) && rs->thr > 0) {
        fprintf(g->f, "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lc '#606060' dt 2\n"
                      "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lc '#606060' dt 2\n",
                -100 * rs->thr, -100 * rs->thr, 100 * rs->thr, 100 * rs->thr);
    }
    /* the key under the axis name, two rows */
    fprintf(g->f, "set key at screen 0.5, screen 0.01 center bottom horizontal maxcols 3 "
                  "font ',9' width 1\n");
}

/* The plot command: bars, CIs, markers, thresholds (one pair of lines
 * when all rows share it, else per row), the figures, the verdicts' key. */
static void script_plot(struct gp *g, const struct rows *rs, double xhi)
{
    char q[256];

    snprintf(q, sizeof q, "'%s.dat'", g->name);
    fprintf(g->f,
            "plot %s using (50*$5):1:(50*abs($5)):(0.32):(vc($4)):ytic(2) with boxxyerror "
            "fs solid 0.6 noborder lc rgb variable notitle, \\\n"
            "     '' using (100*$5):1:(100*$6):(100*$7) with xerrorbars lc '#303030' pt -1 "
            "title 'CI of the change', \\\n"
            "     '' using (100*$5):1:(vc($4)) with points pt 13 ps 1.1 lc rgb variable "
            "notitle, \\\n",
            q);
    if (!(rs->same_thr && isfinite(rs->thr)))
        fprintf(g->f, "     '' using (100*$8):($1-0.4):(0):(0.8) with vectors nohead lc '#606060' "
                      "dt 2 title 'threshold', \\\n"
                      "     '' using (-100*$8):($1-0.4):(0):(0.8) with vectors nohead lc '#606060' "
                      "dt 2 notitle, \\\n");
    else
        fprintf(g->f, "     keyentry with lines lc '#606060' dt 2 title 'threshold +-%.3g%%', \\\n",
                100 * rs->thr);
    fprintf(g->f,
            "     '' using (%.6g):1:(sprintf('%%+.1f%%%% [%%+.1f, %%+.1f] %%s', 100*$5, 100*$6, "
            "100*$7, strcol(3))) with labels left offset 1,0 font ',8' notitle, \\\n"
            "     keyentry with boxes fs solid 0.6 fc '%s' title 'regressed', \\\n"
            "     keyentry with boxes fs solid 0.6 fc '%s' title 'improved', \\\n"
            "     keyentry with boxes fs solid 0.6 fc '%s' title 'unchanged', \\\n"
            "     keyentry with boxes fs solid 0.6 fc '%s' title 'inconclusive'\n",
            xhi, GP_RED, GP_GREEN, GP_GREY, GP_ORANGE);
}

int plot_compare(const struct comparison *c, const struct plot_opts *o, struct err *e)
{
    struct rows rs;
    char title[1024];
    size_t nother;
    double xlo, xhi;
    int rc = -1, height;
    struct gp g;
    struct gp_data d;

    if (pick_rows(c, &rs, e) < 0)
        goto out;
    x_range(rs.v, rs.n, &xlo, &xhi);
    nother = c->count[VERDICT_BASE_ONLY] + c->count[VERDICT_NEW_ONLY] + c->count[VERDICT_ERROR] +
             c->count[VERDICT_SKIPPED];
    compare_title(c, &rs, nother, title, sizeof title);
    height = 150 + 22 * (int)rs.n;
    if (height < 360)
        height = 360;
    if (gp_open(&g, o, "compare", 1000, height, title, e) < 0)
        goto out;
    if (gp_data_open(&g, NULL, &d, e) < 0)
        goto close;
    write_data(d.f, rs.v, rs.n, rs.pre, rs.maxname);
    if (gp_data_close(&d, e) < 0)
        goto close;
    script_axes(&g, &rs, nother, xlo, xhi);
    script_plot(&g, &rs, xhi);
    rc = gp_run(&g, e);
close:
    gp_free(&g);
out:
    free(rs.v);
    return rc;
}
