/*
 * plot_dist.c: the samples of benchmarks, as distributions (plot.h).
 *
 * Box (the default): one row per benchmark, a box per result (a colour
 * each), every sample as a dot, on one axis of the deviation from the
 * benchmark's median in the first result (%), so benchmarks of any size
 * and unit share it; the median itself is printed beside the name.  Boxes
 * span the quartiles (type 7), whiskers reach the furthest sample within
 * 1.5 IQR, and Tukey's outliers are marked: mild (beyond 1.5 IQR) as open,
 * severe (beyond 3 IQR) as filled red circles (Tukey 1977, as stats.h).
 * Outliers far beyond the rest are drawn at the edge as triangles.
 *
 * Hist: a grid of panels, one per benchmark, with a histogram per result
 * in the benchmark's own unit (Freedman-Diaconis bins over the samples
 * inside the 3 IQR fences; the samples outside are counted in the panel),
 * the medians as dashed lines and the outliers as red triangles on the
 * axis.
 */
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "gp.h"
#include "plot.h"
#include "harness/lib/stats.h"

#define MAXRES 16
#define HIST_MAXBINS 30

/* One benchmark name and its bench in each result (NULL: not there). */
struct group {
    const char *name;
    const struct bench *b[MAXRES];
    double ref;                 /* the median of the first result that has it */
    const char *unit;
};

/* The box of one benchmark in one result. */
struct box {
    double q1, med, q3, wlo, whi, lf, hf, lf3, hf3;
};

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Quartiles, whiskers and Tukey fences of x[0..n) (sorted copy in s). */
static void box_of(const double *x, size_t n, double *s, struct box *bx)
{
    double iqr;
    size_t i;

    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, by_double);
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

static int outlier_class(const struct box *bx, double v)
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

/* The benchmarks that match, by name, in first-appearance order. */
static int collect(const struct result *const *rs, size_t nrs, const char *filter,
                   struct group **out, size_t *nout, struct err *e)
{
    struct group *gs = NULL;
    size_t n = 0, cap = 0, i, j, k;
    regex_t re;
    int have_re = 0;

    if (filter) {
        if (regcomp(&re, filter, REG_EXTENDED | REG_NOSUB) != 0)
            return err_set(e, "filter '%s': not a valid regular expression", filter);
        have_re = 1;
    }
    for (i = 0; i < nrs && i < MAXRES; i++)
        for (j = 0; j < rs[i]->nbenches; j++) {
            const struct bench *b = &rs[i]->benches[j];
            if (b->nsamples == 0 || (have_re && regexec(&re, b->name, 0, NULL, 0)))
                continue;
            for (k = 0; k < n && strcmp(gs[k].name, b->name); k++)
                ;
            if (k == n) {
                if (n == cap) {
                    struct group *ng = realloc(gs, (cap = cap ? 2 * cap : 16) * sizeof *gs);
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

static const char *result_name(const struct plot_opts *o, size_t i, char *buf, size_t len)
{
    if (o->names && o->names[i])
        snprintf(buf, len, "%s", file_part(o->names[i]));
    else
        snprintf(buf, len, "run %zu", i + 1);
    return buf;
}

/* Every sample: group, result, row, value, deviation (%), outlier class.
 * Counts into cnt the mild and severe outliers with a deviation inside
 * [xlo, xhi] and the samples outside it; into gout[group] its outliers. */
static int write_samples(FILE *f, const struct group *gs, size_t ng, size_t nres,
                         const double *rowy, double *sorted, double xlo, double xhi,
                         size_t cnt[3], size_t *gout)
{
    size_t gi, r, i, row = 0;

    fprintf(f, "# group\tresult\ty\tsample\tdeviation_pct\toutlier (0 no, 1 mild, 2 severe)\n");
    for (gi = 0; gi < ng; gi++)
        for (r = 0; r < nres; r++) {
            const struct bench *b = gs[gi].b[r];
            struct box bx;
            if (!b)
                continue;
            box_of(b->samples, b->nsamples, sorted, &bx);
            for (i = 0; i < b->nsamples; i++) {
                double v = b->samples[i], dev = 100 * (v / gs[gi].ref - 1);
                int cls = outlier_class(&bx, v);
                fprintf(f, "%zu\t%zu\t%.6g\t", gi, r, rowy ? rowy[row] : 0.0);
                gp_num(f, v);
                fputc('\t', f);
                gp_num(f, dev);
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

static int plot_box(const struct group *gs, size_t ng, size_t nres, const struct plot_opts *o,
                    struct err *e)
{
    size_t nrows = 0, gi, r, row, maxname = 0, pre, i, maxn = 0;
    double *rowy = NULL, *sorted = NULL, y, xlo = 0, xhi = 0, olo = 0, ohi = 0;
    size_t cnt[3] = {0, 0, 0};
    char **names = NULL, title[512], q[1024], nm[160];
    struct gp g;
    struct gp_data d;
    int rc = -1, left;

    for (gi = 0; gi < ng; gi++)
        for (r = 0; r < nres; r++)
            if (gs[gi].b[r]) {
                nrows++;
                maxn = gs[gi].b[r]->nsamples > maxn ? gs[gi].b[r]->nsamples : maxn;
            }
    rowy = calloc(nrows, sizeof *rowy);
    sorted = calloc(maxn ? maxn : 1, sizeof *sorted);
    names = calloc(ng, sizeof *names);
    if (!rowy || !sorted || !names) {
        err_set(e, "out of memory");
        goto out;
    }
    for (gi = 0; gi < ng; gi++)
        names[gi] = (char *)gs[gi].name;
    pre = gp_common_prefix(names, ng);
    /* rows from the top: a group's results one under another, a gap after */
    y = (double)nrows + 0.6 * (double)ng;
    for (gi = 0, row = 0; gi < ng; gi++) {
        size_t l = strlen(gs[gi].name + pre) + 12;
        maxname = l > maxname ? l : maxname;
        for (r = 0; r < nres; r++)
            if (gs[gi].b[r]) {
                const struct bench *b = gs[gi].b[r];
                struct box bx;
                rowy[row++] = y;
                y -= 1;
                box_of(b->samples, b->nsamples, sorted, &bx);
                xlo = fmin(xlo, 100 * (bx.wlo / gs[gi].ref - 1));
                xhi = fmax(xhi, 100 * (bx.whi / gs[gi].ref - 1));
                olo = fmin(olo, 100 * (sorted[0] / gs[gi].ref - 1));
                ohi = fmax(ohi, 100 * (sorted[b->nsamples - 1] / gs[gi].ref - 1));
            }
        y -= 0.6;
    }
    if (maxname > 56)
        maxname = 56;
    /* outliers stretch the axis up to three times the whiskers' span */
    {
        double span = fmax(xhi - xlo, 0.5);
        xlo = fmax(olo, xlo - 2 * span);
        xhi = fmin(ohi, xhi + 2 * span);
        span = xhi - xlo > 0 ? xhi - xlo : 1;
        xlo -= 0.04 * span;
        xhi += 0.04 * span;
    }
    snprintf(title, sizeof title, "sample distributions%s%.*s%s\ndeviation from each "
             "benchmark's median in %s",
             pre ? " (" : "", (int)pre, gs[0].name, pre ? "...)" : "",
             result_name(o, 0, nm, sizeof nm));
    left = 30 + (int)(6.8 * (double)maxname);
    if (gp_open(&g, o, "dist", 1000, 150 + 20 * (int)nrows + 12 * (int)ng, title, e) < 0)
        goto out;
    if (gp_data_open(&g, NULL, &d, e) < 0)
        goto close;
    write_samples(d.f, gs, ng, nres, rowy, sorted, xlo, xhi, cnt, NULL);
    if (gp_data_close(&d, e) < 0)
        goto close;
    if (gp_data_open(&g, "box", &d, e) < 0)
        goto close;
    fprintf(d.f, "# y\tgroup\tresult\tn\tref_median\tq1\tmedian\tq3\twhisker_lo\twhisker_hi\t"
                 "q1_pct\tmedian_pct\tq3_pct\twlo_pct\twhi_pct\n"
                 "# (the _pct columns: deviation from ref_median in %%)\n");
    for (gi = 0, row = 0; gi < ng; gi++)
        for (r = 0; r < nres; r++) {
            const struct bench *b = gs[gi].b[r];
            struct box bx;
            double v[5], ref = gs[gi].ref;
            if (!b)
                continue;
            box_of(b->samples, b->nsamples, sorted, &bx);
            v[0] = bx.q1;
            v[1] = bx.med;
            v[2] = bx.q3;
            v[3] = bx.wlo;
            v[4] = bx.whi;
            fprintf(d.f, "%.6g\t%zu\t%zu\t%zu\t", rowy[row++], gi, r, b->nsamples);
            gp_num(d.f, ref);
            for (i = 0; i < 5; i++) {
                fputc('\t', d.f);
                gp_num(d.f, v[i]);
            }
            for (i = 0; i < 5; i++) {
                fputc('\t', d.f);
                gp_num(d.f, 100 * (v[i] / ref - 1));
            }
            fputc('\n', d.f);
        }
    if (gp_data_close(&d, e) < 0)
        goto close;
    gp_title(&g);
    for (r = 0; r < nres; r++)
        fprintf(g.f, "set linetype %zu lc '%s'\n", r + 1, gp_colours[r % GP_NCOLOURS]);
    fprintf(g.f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\nset bmargin %d\n"
                 "set border 3\nset xtics nomirror out\nset grid xtics noytics\n"
                 "set format x '%%+g%%%%'\nset xrange [%.6g:%.6g]\nset yrange [%.3f:%.3f]\n"
                 "set xlabel 'deviation from the median, %%'\n"
                 "set key outside below horizontal font ',9'\n",
            (double)left / g.width, 1 - 30.0 / g.width, nres > 1 ? 6 : 5, xlo, xhi,
            y + 0.4, (double)nrows + 0.6 * (double)ng + 0.6);
    fprintf(g.f, "set ytics nomirror out scale 0 font ',9' (");
    for (gi = 0, row = 0; gi < ng; gi++) {
        char shortn[256], med[32], lab[320];
        size_t first = row, k = 0;
        for (r = 0; r < nres; r++)
            k += gs[gi].b[r] != NULL;
        row += k;
        gp_shorten(shortn, sizeof shortn, gs[gi].name + pre, maxname - 10);
        snprintf(lab, sizeof lab, "%s  %s", shortn,
                 fmt_value(med, sizeof med, gs[gi].ref, gs[gi].unit ? gs[gi].unit : ""));
        fprintf(g.f, "%s%s %.3f", gi ? ", " : "", tic_quote(q, sizeof q, lab),
                (rowy[first] + rowy[row - 1]) / 2);
    }
    fprintf(g.f, ")\nset arrow from 0, graph 0 to 0, graph 1 nohead lc '#808080'\n");
    snprintf(title, sizeof title, "%s-box.dat", g.name);
    gp_quote(q, sizeof q, title);
    fprintf(g.f, "box = %s\n", q);
    snprintf(title, sizeof title, "%s.dat", g.name);
    gp_quote(q, sizeof q, title);
    fprintf(g.f, "samples = %s\nxlo = %.6g\nxhi = %.6g\nclip(x) = x < xlo ? xlo : x > xhi ? xhi : x\n"
                 "beyond(x) = x < xlo || x > xhi\n",
            q, xlo, xhi);
    fprintf(g.f,
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
    /* only what there is: gnuplot warns about empty plots */
    if (cnt[0])
        fprintf(g.f, ", \\\n     samples using ($6 == 1 && !beyond($5) ? $5 : NaN):3 with points "
                     "pt 6 ps 0.8 lc '%s' title 'outlier (1.5 IQR)'", GP_RED);
    if (cnt[1])
        fprintf(g.f, ", \\\n     samples using ($6 == 2 && !beyond($5) ? $5 : NaN):3 with points "
                     "pt 7 ps 0.8 lc '%s' title 'outlier (3 IQR)'", GP_RED);
    if (cnt[2])
        fprintf(g.f, ", \\\n     samples using (beyond($5) ? clip($5) : NaN):3 with points pt 9 "
                     "ps 0.9 lc '%s' title 'beyond the axis'", GP_RED);
    for (r = 0; r < nres && nres > 1; r++) {
        char t[256];
        fprintf(g.f, ", \\\n     keyentry with boxes fs solid 0.35 lc %zu title %s", r + 1,
                gp_quote(t, sizeof t, result_name(o, r, nm, sizeof nm)));
    }
    fputc('\n', g.f);
    rc = gp_run(&g, e);
close:
    gp_free(&g);
out:
    free(rowy);
    free(sorted);
    free(names);
    return rc;
}

/* Freedman-Diaconis bins over [lo, hi] for n samples with that IQR. */
static size_t nbins_of(double lo, double hi, double iqr, size_t n)
{
    double h = 2 * iqr / cbrt((double)(n ? n : 1));
    size_t k = h > 0 && hi > lo ? (size_t)ceil((hi - lo) / h) : 10;

    return k < 5 ? 5 : k > HIST_MAXBINS ? HIST_MAXBINS : k;
}

static int plot_hist(const struct group *gs, size_t ng, size_t nres, const struct plot_opts *o,
                     struct err *e)
{
    enum { L = 70, R = 20, B = 70, T = 80, SX = 70, SY = 72 };
    struct gp g;
    struct gp_grid gr;
    struct gp_data d;
    struct box *bins = NULL;
    char **names = NULL, title[512], q[1024], nm[160];
    double *all = NULL, *sorted = NULL;
    size_t gi, r, i, k, pre, maxn = 0, total, cnt[3] = {0, 0, 0}, *gout = NULL;
    int rc = -1;

    for (gi = 0; gi < ng; gi++) {
        total = 0;
        for (r = 0; r < nres; r++)
            total += gs[gi].b[r] ? gs[gi].b[r]->nsamples : 0;
        maxn = total > maxn ? total : maxn;
    }
    all = calloc(maxn ? maxn : 1, sizeof *all);
    sorted = calloc(maxn ? maxn : 1, sizeof *sorted);
    names = calloc(ng, sizeof *names);
    bins = calloc(ng, sizeof *bins);
    gout = calloc(ng, sizeof *gout);
    if (!all || !sorted || !names || !bins || !gout) {
        err_set(e, "out of memory");
        goto out;
    }
    for (gi = 0; gi < ng; gi++)
        names[gi] = (char *)gs[gi].name;
    pre = gp_common_prefix(names, ng);
    gp_grid_layout(ng, 330, 240, &gr);
    gr.height += B + T - 40;
    snprintf(title, sizeof title, "samples per bin%s%.*s%s%s%s\n",
             pre ? " (" : "", (int)pre, gs[0].name, pre ? "...)" : "",
             nres == 1 ? ": " : "", nres == 1 ? result_name(o, 0, nm, sizeof nm) : "");
    for (r = 0; r < nres && nres > 1; r++) {
        size_t l = strlen(title);
        snprintf(title + l, sizeof title - l, "%s%s %s", r ? ", " : "",
                 result_name(o, r, nm, sizeof nm), gp_colour_names[r % GP_NCOLOURS]);
    }
    {
        size_t l = strlen(title);
        snprintf(title + l, sizeof title - l, "%sdashed: medians; triangles: outliers",
                 nres > 1 ? "; " : "");
    }
    if (gp_open(&g, o, "dist", gr.width, gr.height, title, e) < 0)
        goto out;
    if (gp_data_open(&g, NULL, &d, e) < 0)
        goto close;
    write_samples(d.f, gs, ng, nres, NULL, sorted, -INFINITY, INFINITY, cnt, gout);
    if (gp_data_close(&d, e) < 0)
        goto close;
    if (gp_data_open(&g, "hist", &d, e) < 0)
        goto close;
    for (gi = 0; gi < ng; gi++) {
        struct box *bx = &bins[gi];
        double lo, hi, w;
        size_t nb, b, beyond, cmax = 0;
        for (total = 0, r = 0; r < nres; r++)
            if (gs[gi].b[r]) {
                memcpy(all + total, gs[gi].b[r]->samples, gs[gi].b[r]->nsamples * sizeof *all);
                total += gs[gi].b[r]->nsamples;
            }
        box_of(all, total, sorted, bx);
        /* the histogram covers the samples inside the 3 IQR fences */
        lo = sorted[0] < bx->lf3 ? bx->lf3 : sorted[0];
        hi = sorted[total - 1] > bx->hf3 ? bx->hf3 : sorted[total - 1];
        for (i = 0; i < total && sorted[i] < lo; i++)
            ;
        lo = sorted[i];
        for (k = total; k > 0 && sorted[k - 1] > hi; k--)
            ;
        hi = sorted[k - 1];
        beyond = total - (k - i);
        nb = nbins_of(lo, hi, bx->q3 - bx->q1, total);
        if (hi <= lo) {
            lo -= fabs(lo) * 0.01 + 1e-9;
            hi += fabs(hi) * 0.01 + 1e-9;
        }
        w = (hi - lo) / (double)nb;
        bx->wlo = lo;    /* the histogram's range, for the script */
        bx->whi = hi;
        if (gi)
            fputs("\n\n", d.f);
        fprintf(d.f, "# ");
        gp_field(d.f, gs[gi].name);
        fprintf(d.f, " (%s)\n# bin_lo\tbin_hi\tcentre", gs[gi].unit ? gs[gi].unit : "");
        for (r = 0; r < nres; r++)
            fprintf(d.f, "\tcount_%zu", r + 1);
        fputc('\n', d.f);
        for (b = 0; b < nb; b++) {
            double a = lo + w * (double)b, z = b + 1 == nb ? hi : lo + w * (double)(b + 1);
            gp_num(d.f, a);
            fputc('\t', d.f);
            gp_num(d.f, z);
            fputc('\t', d.f);
            gp_num(d.f, (a + z) / 2);
            for (r = 0; r < nres; r++) {
                const struct bench *bn = gs[gi].b[r];
                size_t c = 0;
                for (i = 0; bn && i < bn->nsamples; i++) {
                    double v = bn->samples[i];
                    if (v >= a && (v < z || (b + 1 == nb && v <= z)))
                        c++;
                }
                cmax = c > cmax ? c : cmax;
                if (bn)
                    fprintf(d.f, "\t%zu", c);
                else
                    fputs("\tNaN", d.f);
            }
            fputc('\n', d.f);
        }
        bx->lf = (double)beyond;    /* for the script: samples outside the range */
        bx->lf3 = (double)cmax;     /* and the highest bin */
    }
    if (gp_data_close(&d, e) < 0)
        goto close;
    for (r = 0; r < nres; r++)
        fprintf(g.f, "set linetype %zu lc '%s'\n", r + 1, gp_colours[r % GP_NCOLOURS]);
    fprintf(g.f, "set border 3\nset xtics nomirror out font ',8'\nset ytics nomirror out font ',8'\n"
                 "set format y '%%g'\nset format x '%%g'\nset style fill "
                 "transparent solid 0.35 border\nunset key\nset xlabel ''\nset ylabel ''\n");
    gp_multiplot(&g, &gr, L, R, B, T, SX, SY);
    snprintf(title, sizeof title, "%s-hist.dat", g.name);
    gp_quote(q, sizeof q, title);
    fprintf(g.f, "hist = %s\n", q);
    snprintf(title, sizeof title, "%s.dat", g.name);
    gp_quote(q, sizeof q, title);
    fprintf(g.f, "samples = %s\nedge(x, lo, hi) = x < lo ? lo : x > hi ? hi : x\n", q);
    for (gi = 0; gi < ng; gi++) {
        struct gp_unit u;
        char shortn[256], axis[300], t[400];
        double panel_px = fmax(60, ((double)g.width - L - R - (gr.cols - 1) * SX) / gr.cols);
        const char *sep = "plot ";
        gp_unit_pick(gs[gi].unit, fmax(fabs(bins[gi].wlo), fabs(bins[gi].whi)), &u);
        gp_shorten(shortn, sizeof shortn, gs[gi].name + pre, (size_t)(panel_px / 6.5));
        snprintf(axis, sizeof axis, "%s (%s)", shortn, u.label);
        fprintf(g.f, "\nset title %s font ',9'\nunset label\nunset arrow\n",
                gp_quote(t, sizeof t, axis));
        fprintf(g.f, "set yrange [0:%.6g]\nset ytics %.6g\nset xtics %.6g\n",
                bins[gi].lf3 * 1.15 + 0.5, fmax(1, gp_tic_step(bins[gi].lf3 * 1.15, 4)),
                gp_tic_step((bins[gi].whi - bins[gi].wlo) / u.div, 3));
        fprintf(g.f, "set xrange [%.10g:%.10g]\n", bins[gi].wlo / u.div, bins[gi].whi / u.div);
        if (bins[gi].lf > 0)
            fprintf(g.f, "set label '%.0f beyond the axis' at graph 0.98, graph 0.95 right "
                         "font ',8' tc '%s'\n",
                    bins[gi].lf, GP_RED);
        for (r = 0; r < nres; r++) {
            double med;
            if (!gs[gi].b[r])
                continue;
            med = stats_median(gs[gi].b[r]->samples, gs[gi].b[r]->nsamples);
            fprintf(g.f, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lc %zu\n",
                    med / u.div, med / u.div, r + 1);
        }
        for (r = 0; r < nres; r++) {
            if (!gs[gi].b[r])
                continue;
            fprintf(g.f, "%shist index %zu using ($3/%.10g):%zu:(($2-$1)/%.10g) with boxes lc %zu "
                         "%s%s",
                    sep, gi, u.div, 4 + r, u.div, r + 1, nres > 1 ? "title " : "notitle",
                    nres > 1 ? gp_quote(t, sizeof t, result_name(o, r, nm, sizeof nm)) : "");
            sep = ", \\\n     ";
        }
        /* outliers on the axis; those outside the histogram at its edge */
        if (gout[gi])
            fprintf(g.f, "%ssamples using ($1 == %zu && $6 > 0 ? edge($4/%.10g, %.10g, %.10g) : "
                         "NaN):(0) with points pt 9 ps 1 lc '%s' notitle",
                    sep, gi, u.div, bins[gi].wlo / u.div, bins[gi].whi / u.div, GP_RED);
        fputc('\n', g.f);
    }
    fprintf(g.f, "\nunset multiplot\n");
    rc = gp_run(&g, e);
close:
    gp_free(&g);
out:
    free(all);
    free(sorted);
    free(names);
    free(bins);
    free(gout);
    return rc;
}

int plot_dist(const struct result *const *rs, size_t nrs, const char *filter,
              const struct plot_opts *o, struct err *e)
{
    struct group *gs = NULL;
    size_t ng = 0;
    int rc;

    if (nrs == 0)
        return err_set(e, "no result to plot");
    if (nrs > MAXRES)
        return err_set(e, "%zu results: at most %d fit on one picture", nrs, MAXRES);
    if (collect(rs, nrs, filter, &gs, &ng, e) < 0)
        return -1;
    rc = o->dist == PLOT_DIST_HIST ? plot_hist(gs, ng, nrs, o, e) : plot_box(gs, ng, nrs, o, e);
    free(gs);
    return rc;
}
