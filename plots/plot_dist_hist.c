/*
 * plot_dist_hist.c: the samples of benchmarks as histograms (plot_dist,
 * --kind hist): a grid of panels, one per benchmark, with a histogram per
 * result in the benchmark's own unit (Freedman-Diaconis bins over the
 * samples inside the 3 IQR fences; the samples outside are counted in the
 * panel), the medians as dashed lines and the outliers as red triangles on
 * the axis.
 */
#include "plot_dist_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "harness/lib/stats.h"

#define HIST_MAXBINS 30

/* Margins and spacing of the grid, in pixels. */
enum { L = 70, R = 20, B = 70, T = 80, SX = 70, SY = 72 };

/* One benchmark's panel. */
struct hist_panel {
    double lo, hi;              /* the range of its bins */
    size_t beyond;              /* samples outside it */
    size_t top;                 /* the count of its highest bin */
};

/* The picture: its groups, their panels and the room to sort samples in. */
struct hist_plot {
    const struct dist_group *gs;
    size_t ng, nres;
    size_t pre;                 /* the length of the names' common prefix */
    struct gp_grid gr;
    struct hist_panel *panels;
    size_t *gout;               /* Tukey outliers per group */
    double *all, *sorted;       /* room for one group's samples */
};

static void hist_free(struct hist_plot *h)
{
    free(h->panels);
    free(h->gout);
    free(h->all);
    free(h->sorted);
}

/* Set h up for the groups; -1 out of memory. */
static int hist_init(struct hist_plot *h, const struct dist_group *gs, size_t ng, size_t nres,
                     size_t pre)
{
    size_t gi, r, total, maxn = 0;

    memset(h, 0, sizeof *h);
    h->gs = gs;
    h->ng = ng;
    h->nres = nres;
    h->pre = pre;
    for (gi = 0; gi < ng; gi++) {
        total = 0;
        for (r = 0; r < nres; r++)
            total += gs[gi].b[r] ? gs[gi].b[r]->nsamples : 0;
        maxn = total > maxn ? total : maxn;
    }
    h->all = calloc(maxn ? maxn : 1, sizeof *h->all);
    h->sorted = calloc(maxn ? maxn : 1, sizeof *h->sorted);
    h->panels = calloc(ng, sizeof *h->panels);
    h->gout = calloc(ng, sizeof *h->gout);
    if (!h->all || !h->sorted || !h->panels || !h->gout)
        return -1;
    gp_grid_layout(ng, 330, 240, &h->gr);
    h->gr.height += B + T - 40;
    return 0;
}

/* The picture's title: the common prefix, the results and their colours,
 * and what the marks mean. */
static void hist_title(const struct hist_plot *h, const struct plot_opts *o, char *title,
                       size_t len)
{
    char nm[160];
    size_t r, l;

    snprintf(title, len, "samples per bin%s%.*s%s%s%s\n",
             h->pre ? " (" : "", (int)h->pre, h->gs[0].name, h->pre ? "...)" : "",
             h->nres == 1 ? ": " : "",
             h->nres == 1 ? dist_result_name(o, 0, nm, sizeof nm) : "");
    for (r = 0; r < h->nres && h->nres > 1; r++) {
        l = strlen(title);
        snprintf(title + l, len - l, "%s%s %s", r ? ", " : "",
                 dist_result_name(o, r, nm, sizeof nm), gp_colour_names[r % GP_NCOLOURS]);
    }
    l = strlen(title);
    snprintf(title + l, len - l, "%sdashed: medians; triangles: outliers",
             h->nres > 1 ? "; " : "");
}

/* Freedman-Diaconis bins over [lo, hi] for n samples with that IQR. */
static size_t nbins_of(double lo, double hi, double iqr, size_t n)
{
    double h = 2 * iqr / cbrt((double)(n ? n : 1));
    size_t k = h > 0 && hi > lo ? (size_t)ceil((hi - lo) / h) : 10;

    return k < 5 ? 5 : k > HIST_MAXBINS ? HIST_MAXBINS : k;
}

/* The range of group gi's histogram: its samples of every result inside
 * the 3 IQR fences.  Sets lo, hi and beyond of its panel; returns the
 * number of bins. */
static size_t hist_range(const struct hist_plot *h, size_t gi)
{
    const struct dist_group *grp = &h->gs[gi];
    struct hist_panel *p = &h->panels[gi];
    double *s = h->sorted, lo, hi;
    size_t r, i, k, nb, total = 0;
    struct dist_box bx;

    for (r = 0; r < h->nres; r++)
        if (grp->b[r]) {
            memcpy(h->all + total, grp->b[r]->samples, grp->b[r]->nsamples * sizeof *h->all);
            total += grp->b[r]->nsamples;
        }
    dist_box_of(h->all, total, s, &bx);
    lo = s[0] < bx.lf3 ? bx.lf3 : s[0];
    hi = s[total - 1] > bx.hf3 ? bx.hf3 : s[total - 1];
    for (i = 0; i < total && s[i] < lo; i++)
        ;
    lo = s[i];
    for (k = total; k > 0 && s[k - 1] > hi; k--)
        ;
    hi = s[k - 1];
    p->beyond = total - (k - i);
    nb = nbins_of(lo, hi, bx.q3 - bx.q1, total);
    if (hi <= lo) {
        lo -= fabs(lo) * 0.01 + 1e-9;
        hi += fabs(hi) * 0.01 + 1e-9;
    }
    p->lo = lo;
    p->hi = hi;
    return nb;
}

/* Group gi's data block: per bin its edges, centre and a count per result.
 * Sets the panel's top. */
static void write_block(FILE *f, const struct hist_plot *h, size_t gi)
{
    const struct dist_group *grp = &h->gs[gi];
    struct hist_panel *p = &h->panels[gi];
    size_t nb = hist_range(h, gi), b, r, i;
    double w = (p->hi - p->lo) / (double)nb;

    if (gi)
        fputs("\n\n", f);
    fprintf(f, "# ");
    gp_field(f, grp->name);
    fprintf(f, " (%s)\n# bin_lo\tbin_hi\tcentre", grp->unit ? grp->unit : "");
    for (r = 0; r < h->nres; r++)
        fprintf(f, "\tcount_%zu", r + 1);
    fputc('\n', f);
    p->top = 0;
    for (b = 0; b < nb; b++) {
        double a = p->lo + w * (double)b, z = b + 1 == nb ? p->hi : p->lo + w * (double)(b + 1);
        double edges[3] = {a, z, (a + z) / 2};
        gp_nums(f, edges, 3);
        for (r = 0; r < h->nres; r++) {
            const struct bench *bn = grp->b[r];
            size_t c = 0;
            for (i = 0; bn && i < bn->nsamples; i++) {
                double v = bn->samples[i];
                if (v >= a && (v < z || (b + 1 == nb && v <= z)))
                    c++;
            }
            p->top = c > p->top ? c : p->top;
            if (bn)
                fprintf(f, "\t%zu", c);
            else
                fputs("\tNaN", f);
        }
        fputc('\n', f);
    }
}

/* What every panel shares: colours, style, the grid, the data files. */
static void script_setup(struct gp *g, const struct hist_plot *h)
{
    char name[512], q[1024];
    size_t r;

    for (r = 0; r < h->nres; r++)
        fprintf(g->f, "set linetype %zu lc '%s'\n", r + 1, gp_colours[r % GP_NCOLOURS]);
    fprintf(g->f, "set border 3\nset xtics nomirror out font ',8'\n"
                  "set ytics nomirror out font ',8'\nset format y '%%g'\nset format x '%%g'\n"
                  "set style fill transparent solid 0.35 border\nunset key\nset xlabel ''\n"
                  "set ylabel ''\n");
    gp_multiplot(g, &h->gr, L, R, B, T, SX, SY);
    snprintf(name, sizeof name, "%s-hist.dat", g->name);
    gp_quote(q, sizeof q, name);
    fprintf(g->f, "hist = %s\n", q);
    snprintf(name, sizeof name, "%s.dat", g->name);
    gp_quote(q, sizeof q, name);
    fprintf(g->f, "samples = %s\nedge(x, lo, hi) = x < lo ? lo : x > hi ? hi : x\n", q);
}

/* Group gi's panel: axes in its unit, the medians, a histogram per result
 * and the outliers on the axis (those outside the histogram at its edge). */
static void script_panel(struct gp *g, const struct hist_plot *h, size_t gi,
                         const struct plot_opts *o)
{
    const struct dist_group *grp = &h->gs[gi];
    const struct hist_panel *p = &h->panels[gi];
    double panel_px = fmax(60, ((double)g->width - L - R - (h->gr.cols - 1) * SX) / h->gr.cols);
    double top = (double)p->top;
    const char *sep = "plot ";
    char shortn[256], axis[300], t[400], nm[160];
    struct gp_unit u;
    size_t r;

    gp_unit_pick(grp->unit, fmax(fabs(p->lo), fabs(p->hi)), &u);
    gp_shorten(shortn, sizeof shortn, grp->name + h->pre, (size_t)(panel_px / 6.5));
    snprintf(axis, sizeof axis, "%s (%s)", shortn, u.label);
    fprintf(g->f, "\nset title %s font ',9'\nunset label\nunset arrow\n",
            gp_quote(t, sizeof t, axis));
    fprintf(g->f, "set yrange [0:%.6g]\nset ytics %.6g\nset xtics %.6g\n", top * 1.15 + 0.5,
            fmax(1, gp_tic_step(top * 1.15, 4)), gp_tic_step((p->hi - p->lo) / u.div, 3));
    fprintf(g->f, "set xrange [%.10g:%.10g]\n", p->lo / u.div, p->hi / u.div);
    if (p->beyond > 0)
        fprintf(g->f, "set label '%.0f beyond the axis' at graph 0.98, graph 0.95 right "
                      "font ',8' tc '%s'\n",
                (double)p->beyond, GP_RED);
    for (r = 0; r < h->nres; r++) {
        double med;
        if (!grp->b[r])
            continue;
        med = stats_median(grp->b[r]->samples, grp->b[r]->nsamples);
        fprintf(g->f, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lc %zu\n",
                med / u.div, med / u.div, r + 1);
    }
    for (r = 0; r < h->nres; r++) {
        if (!grp->b[r])
            continue;
        fprintf(g->f, "%shist index %zu using ($3/%.10g):%zu:(($2-$1)/%.10g) with boxes lc %zu "
                      "%s%s",
                sep, gi, u.div, 4 + r, u.div, r + 1, h->nres > 1 ? "title " : "notitle",
                h->nres > 1 ? gp_quote(t, sizeof t, dist_result_name(o, r, nm, sizeof nm)) : "");
        sep = ", \\\n     ";
    }
    if (h->gout[gi])
        fprintf(g->f, "%ssamples using ($1 == %zu && $6 > 0 ? edge($4/%.10g, %.10g, %.10g) : "
                      "NaN):(0) with points pt 9 ps 1 lc '%s' notitle",
                sep, gi, u.div, p->lo / u.div, p->hi / u.div, GP_RED);
    fputc('\n', g->f);
}

int dist_plot_hist(const struct dist_group *gs, size_t ng, size_t nres, size_t pre,
                   const struct plot_opts *o, struct err *e)
{
    struct hist_plot h;
    struct gp g;
    struct gp_data d;
    char title[512];
    size_t gi, cnt[3] = {0, 0, 0};
    int rc = -1;

    if (hist_init(&h, gs, ng, nres, pre) < 0) {
        err_set(e, "out of memory");
        goto out;
    }
    hist_title(&h, o, title, sizeof title);
    if (gp_open(&g, o, "dist", h.gr.width, h.gr.height, title, e) < 0)
        goto out;
    if (gp_data_open(&g, NULL, &d, e) < 0)
        goto close;
    dist_write_samples(d.f, gs, ng, nres, NULL, h.sorted, -INFINITY, INFINITY, cnt, h.gout);
    if (gp_data_close(&d, e) < 0)
        goto close;
    if (gp_data_open(&g, "hist", &d, e) < 0)
        goto close;
    for (gi = 0; gi < ng; gi++)
        write_block(d.f, &h, gi);
    if (gp_data_close(&d, e) < 0)
        goto close;
    script_setup(&g, &h);
    for (gi = 0; gi < ng; gi++)
        script_panel(&g, &h, gi, o);
    fprintf(g.f, "\nunset multiplot\n");
    rc = gp_run(&g, e);
close:
    gp_free(&g);
out:
    hist_free(&h);
    return rc;
}
