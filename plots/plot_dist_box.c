/*
 * plot_dist_box.c: the samples of benchmarks as boxes (plot_dist, the
 * default): one row per benchmark, a box per result (a colour each), every
 * sample as a dot, on one axis of the deviation from the benchmark's
 * median in the first result (%), so benchmarks of any size and unit share
 * it; the median itself is printed beside the name.  Boxes span the
 * quartiles (type 7), whiskers reach the furthest sample within 1.5 IQR,
 * and Tukey's outliers are marked: mild (beyond 1.5 IQR) as open, severe
 * (beyond 3 IQR) as filled red circles (Tukey 1977, as stats.h).  Outliers
 * far beyond the rest are drawn at the edge as triangles.
 */
#include "plot_dist_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "harness/lib/fmt.h"

/* Where the rows go and what the axis spans. */
struct box_layout {
    size_t nrows;               /* a row per benchmark and result */
    size_t pre;                 /* the length of the names' common prefix */
    size_t maxname;             /* the longest name label, in characters */
    double *rowy;               /* each row's y, from the top */
    double *sorted;             /* room for the largest sample set */
    double bottom;              /* y below the last row */
    double xlo, xhi;            /* the deviation axis, % */
};

static void layout_free(struct box_layout *l)
{
    free(l->rowy);
    free(l->sorted);
}

/* Rows from the top: a group's results one under another, a gap after;
 * the range of the whiskers (xlo, xhi) and of all samples (olo, ohi). */
static void place_rows(const struct dist_group *gs, size_t ng, size_t nres,
                       struct box_layout *l, double *olo, double *ohi)
{
    size_t gi, r, row;
    double y = (double)l->nrows + 0.6 * (double)ng;

    for (gi = 0, row = 0; gi < ng; gi++) {
        size_t len = strlen(gs[gi].name + l->pre) + 12;
        l->maxname = len > l->maxname ? len : l->maxname;
        for (r = 0; r < nres; r++)
            if (gs[gi].b[r]) {
                const struct bench *b = gs[gi].b[r];
                struct dist_box bx;
                l->rowy[row++] = y;
                y -= 1;
                dist_box_of(b->samples, b->nsamples, l->sorted, &bx);
                l->xlo = fmin(l->xlo, 100 * (bx.wlo / gs[gi].ref - 1));
                l->xhi = fmax(l->xhi, 100 * (bx.whi / gs[gi].ref - 1));
                *olo = fmin(*olo, 100 * (l->sorted[0] / gs[gi].ref - 1));
                *ohi = fmax(*ohi, 100 * (l->sorted[b->nsamples - 1] / gs[gi].ref - 1));
            }
        y -= 0.6;
    }
    l->bottom = y;
}

/* The rows and the axis of the picture (pre: the length of the names'
 * common prefix); -1 out of memory. */
static int layout(const struct dist_group *gs, size_t ng, size_t nres, size_t pre,
                  struct box_layout *l)
{
    size_t gi, r, maxn = 0;
    double olo = 0, ohi = 0, span;

    memset(l, 0, sizeof *l);
    for (gi = 0; gi < ng; gi++)
        for (r = 0; r < nres; r++)
            if (gs[gi].b[r]) {
                l->nrows++;
                maxn = gs[gi].b[r]->nsamples > maxn ? gs[gi].b[r]->nsamples : maxn;
            }
    l->rowy = calloc(l->nrows, sizeof *l->rowy);
    l->sorted = calloc(maxn ? maxn : 1, sizeof *l->sorted);
    if (!l->rowy || !l->sorted)
        return -1;
    l->pre = pre;
    place_rows(gs, ng, nres, l, &olo, &ohi);
    if (l->maxname > 56)
        l->maxname = 56;
    /* outliers stretch the axis up to three times the whiskers' span */
    span = fmax(l->xhi - l->xlo, 0.5);
    l->xlo = fmax(olo, l->xlo - 2 * span);
    l->xhi = fmin(ohi, l->xhi + 2 * span);
    span = l->xhi - l->xlo > 0 ? l->xhi - l->xlo : 1;
    l->xlo -= 0.04 * span;
    l->xhi += 0.04 * span;
    return 0;
}

/* The box data file: a line per row, the figures in the benchmark's unit
 * and as deviations from its median. */
static void write_boxes(FILE *f, const struct dist_group *gs, size_t ng, size_t nres,
                        const struct box_layout *l)
{
    size_t gi, r, i, row;

    fprintf(f, "# y\tgroup\tresult\tn\tref_median\tq1\tmedian\tq3\twhisker_lo\twhisker_hi\t"
               "q1_pct\tmedian_pct\tq3_pct\twlo_pct\twhi_pct\n"
               "# (the _pct columns: deviation from ref_median in %%)\n");
    for (gi = 0, row = 0; gi < ng; gi++)
        for (r = 0; r < nres; r++) {
            const struct bench *b = gs[gi].b[r];
            struct dist_box bx;
            double v[5], pct[5], ref = gs[gi].ref;
            if (!b)
                continue;
            dist_box_of(b->samples, b->nsamples, l->sorted, &bx);
            v[0] = bx.q1;
            v[1] = bx.med;
            v[2] = bx.q3;
            v[3] = bx.wlo;
            v[4] = bx.whi;
            for (i = 0; i < 5; i++)
                pct[i] = 100 * (v[i] / ref - 1);
            fprintf(f, "%.6g\t%zu\t%zu\t%zu\t", l->rowy[row++], gi, r, b->nsamples);
            gp_num(f, ref);
            fputc('\t', f);
            gp_nums(f, v, 5);
            fputc('\t', f);
            gp_nums(f, pct, 5);
            fputc('\n', f);
        }
}

/* A tic label (a format to gnuplot: % doubled), quoted. */
static const char *tic_quote(char *buf, size_t len, const char *s)
{
    char tmp[512];
    size_t n = 0;

    for (; *s && n + 2 < sizeof tmp; s++) {
        if (*s == '%')
            tmp[n++] = '%';
        tmp[n++] = *s;
    }
    tmp[n] = '\0';
    return gp_quote(buf, len, tmp);
}

/* The axes: colours, margins, ranges, and a tic per benchmark with its
 * name and median, between its rows. */
static void script_axes(struct gp *g, const struct dist_group *gs, size_t ng, size_t nres,
                        const struct box_layout *l)
{
    int left = 30 + (int)(6.8 * (double)l->maxname);
    char q[1024];
    size_t gi, r, row;

    gp_title(g);
    for (r = 0; r < nres; r++)
        fprintf(g->f, "set linetype %zu lc '%s'\n", r + 1, gp_colours[r % GP_NCOLOURS]);
    fprintf(g->f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\nset bmargin %d\n"
                  "set border 3\nset xtics nomirror out\nset grid xtics noytics\n"
                  "set format x '%%+g%%%%'\nset xrange [%.6g:%.6g]\nset yrange [%.3f:%.3f]\n"
                  "set xlabel 'deviation from the median, %%'\n"
                  "set key outside below horizontal font ',9'\n",
            (double)left / g->width, 1 - 30.0 / g->width, nres > 1 ? 6 : 5, l->xlo, l->xhi,
            l->bottom + 0.4, (double)l->nrows + 0.6 * (double)ng + 0.6);
    fprintf(g->f, "set ytics nomirror out scale 0 font ',9' (");
    for (gi = 0, row = 0; gi < ng; gi++) {
        char shortn[256], med[32], lab[320];
        size_t first = row, k = 0;
        for (r = 0; r < nres; r++)
            k += gs[gi].b[r] != NULL;
        row += k;
        gp_shorten(shortn, sizeof shortn, gs[gi].name + l->pre, l->maxname - 10);
        snprintf(lab, sizeof lab, "%s  %s", shortn,
                 fmt_value(med, sizeof med, gs[gi].ref, gs[gi].unit ? gs[gi].unit : ""));
        fprintf(g->f, "%s%s %.3f", gi ? ", " : "", tic_quote(q, sizeof q, lab),
                (l->rowy[first] + l->rowy[row - 1]) / 2);
    }
    fprintf(g->f, ")\n");
}

/* The plot command: boxes, whiskers and medians from the box file, the
 * samples and (only what there is: gnuplot warns about empty plots) the
 * outliers from the samples file, a key entry per result. */
static void script_plot(struct gp *g, size_t nres, const struct box_layout *l,
                        const size_t cnt[3], const struct plot_opts *o)
{
    char name[512], q[1024], nm[160];
    size_t r;

    fprintf(g->f, "set arrow from 0, graph 0 to 0, graph 1 nohead lc '#808080'\n");
    snprintf(name, sizeof name, "%s-box.dat", g->name);
    gp_quote(q, sizeof q, name);
    fprintf(g->f, "box = %s\n", q);
    snprintf(name, sizeof name, "%s.dat", g->name);
    gp_quote(q, sizeof q, name);
    fprintf(g->f, "samples = %s\nxlo = %.6g\nxhi = %.6g\n"
                  "clip(x) = x < xlo ? xlo : x > xhi ? xhi : x\nbeyond(x) = x < xlo || x > xhi\n",
            q, l->xlo, l->xhi);
    fprintf(g->f,
            "plot box using (($11+$13)/2):1:(($13-$11)/2):(0.34):($3+1) with boxxyerror "
            "lc variable fs solid 0.35 notitle, \\\n"
            "     box using 14:1:($15-$14):(0):($3+1) with vectors nohead lc variable notitle, \\\n"
            "     box using 14:($1-0.2):(0):(0.4):($3+1) with vectors nohead lc variable "
            "notitle, \\\n"
            "     box using 15:($1-0.2):(0):(0.4):($3+1) with vectors nohead lc variable "
            "notitle, \\\n"
            "     box using 12:($1-0.34):(0):(0.68):($3+1) with vectors nohead lw 2.5 lc variable "
            "notitle, \\\n"
            "     samples using ($6 == 0 ? $5 : NaN):3 with points pt 7 ps 0.35 lc '#505050' "
            "notitle");
    if (cnt[0])
        fprintf(g->f, ", \\\n     samples using ($6 == 1 && !beyond($5) ? $5 : NaN):3 with points "
                      "pt 6 ps 0.8 lc '%s' title 'outlier (1.5 IQR)'", GP_RED);
    if (cnt[1])
        fprintf(g->f, ", \\\n     samples using ($6 == 2 && !beyond($5) ? $5 : NaN):3 with points "
                      "pt 7 ps 0.8 lc '%s' title 'outlier (3 IQR)'", GP_RED);
    if (cnt[2])
        fprintf(g->f, ", \\\n     samples using (beyond($5) ? clip($5) : NaN):3 with points pt 9 "
                      "ps 0.9 lc '%s' title 'beyond the axis'", GP_RED);
    for (r = 0; r < nres && nres > 1; r++) {
        char t[256];
        fprintf(g->f, ", \\\n     keyentry with boxes fs solid 0.35 lc %zu title %s", r + 1,
                gp_quote(t, sizeof t, dist_result_name(o, r, nm, sizeof nm)));
    }
    fputc('\n', g->f);
}

int dist_plot_box(const struct dist_group *gs, size_t ng, size_t nres, size_t pre,
                  const struct plot_opts *o, struct err *e)
{
    struct box_layout l;
    size_t cnt[3] = {0, 0, 0};
    char title[512], nm[160];
    struct gp g;
    struct gp_data d;
    int rc = -1;

    if (layout(gs, ng, nres, pre, &l) < 0) {
        err_set(e, "out of memory");
        goto out;
    }
    snprintf(title, sizeof title, "sample distributions%s%.*s%s\ndeviation from each "
             "benchmark's median in %s",
             l.pre ? " (" : "", (int)l.pre, gs[0].name, l.pre ? "...)" : "",
             dist_result_name(o, 0, nm, sizeof nm));
    if (gp_open(&g, o, "dist", 1000, 150 + 20 * (int)l.nrows + 12 * (int)ng, title, e) < 0)
        goto out;
    if (gp_data_open(&g, NULL, &d, e) < 0)
        goto close;
    dist_write_samples(d.f, gs, ng, nres, l.rowy, l.sorted, l.xlo, l.xhi, cnt, NULL);
    if (gp_data_close(&d, e) < 0)
        goto close;
    if (gp_data_open(&g, "box", &d, e) < 0)
        goto close;
    write_boxes(d.f, gs, ng, nres, &l);
    if (gp_data_close(&d, e) < 0)
        goto close;
    script_axes(&g, gs, ng, nres, &l);
    script_plot(&g, nres, &l, cnt, o);
    rc = gp_run(&g, e);
close:
    gp_free(&g);
out:
    layout_free(&l);
    return rc;
}
