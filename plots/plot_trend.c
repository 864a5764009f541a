/*
 * plot_trend.c: a history of runs per benchmark (plot.h): the centre of
 * each run with the CI of the median as a band, on an axis of runs
 * labelled by commit (or time, else file name), change points as dashed
 * lines labelled with their change, changes of machine as dash-dotted
 * lines labelled "machine", and the segments' levels between them.
 * Several benchmarks share one picture as a grid of panels, or get one
 * picture each.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gp.h"
#include "plot.h"

#define PANEL_W 360
#define PANEL_H 230
#define MACHINE_COLOUR "#4a6fb5"

/* A run's label on the axis: its commit (7 hex digits), its time
 * ("11-24 10:00") or its file's name (a run without a time of its own),
 * kept to characters that need no quoting. */
static void run_label(const struct trend_run *r, char *buf, size_t len)
{
    const char *s = r->commit ? r->commit : r->time ? r->time : r->file ? r->file : "";
    size_t n = 0, i, max = r->commit ? 7 : r->time ? 11 : 16;

    if (!r->commit && !r->time && strrchr(s, '/'))
        s = strrchr(s, '/') + 1;

    if (!r->commit && r->time && strlen(r->time) >= 16)
        s = r->time + 5;    /* drop the year: MM-DDTHH:MM */
    for (i = 0; s[i] && n < max && n + 1 < len; i++) {
        char c = s[i];
        if (c == 'T')
            c = ' ';
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == ':' || c == '.' || c == ' ' || c == '_'))
            c = '_';
        buf[n++] = c;
    }
    buf[n] = '\0';
}

/* The macros xt_on / xt_off: tics at every step-th run counted back from
 * the newest, labelled or blank (panels with another panel below them). */
static void write_xtics(FILE *f, const struct trend *t, size_t step, int font)
{
    size_t i;
    int on;

    for (on = 1; on >= 0; on--) {
        int first = 1;
        fprintf(f, "%s = 'set xtics nomirror %s font '',%d'' (", on ? "xt_on" : "xt_off",
                on ? "rotate by 45 right" : "norotate", font);
        for (i = 0; i < t->nruns; i++) {
            char lab[32];
            if ((t->nruns - 1 - i) % step)
                continue;
            run_label(&t->runs[i], lab, sizeof lab);
            if (on)
                fprintf(f, "%s''%s'' %zu", first ? "" : ", ", lab, i);
            else
                fprintf(f, "%s\"\" %zu", first ? "" : ", ", i);
            first = 0;
        }
        fprintf(f, ")'\n");
    }
}

/* One data block: the series' points. */
static void write_block(FILE *f, const struct trend *t, const struct trend_series *s)
{
    size_t i;

    fprintf(f, "# ");
    gp_field(f, s->name);
    fprintf(f, " (%s, %s is better)\n# run\tlabel\tmedian\tci_lo\tci_hi\tn\n",
            s->unit ? s->unit : "", s->dir == DIR_LOWER ? "lower" : "higher");
    for (i = 0; i < s->n; i++) {
        const struct trend_point *p = &s->pts[i];
        char lab[32] = "";
        if (p->run < t->nruns)
            run_label(&t->runs[p->run], lab, sizeof lab);
        fprintf(f, "%zu\t", p->run);
        gp_field(f, lab);
        fputc('\t', f);
        gp_num(f, p->value);
        fputc('\t', f);
        gp_num(f, p->lo);
        fputc('\t', f);
        gp_num(f, p->hi);
        fprintf(f, "\t%zu\n", p->n);
    }
}

/* The series' range over its medians and CIs. */
static void series_range(const struct trend_series *s, double *lo, double *hi)
{
    size_t i;

    *lo = INFINITY;
    *hi = -INFINITY;
    for (i = 0; i < s->n; i++) {
        const struct trend_point *p = &s->pts[i];
        double v[3] = {p->value, p->lo, p->hi};
        int k;
        for (k = 0; k < 3; k++)
            if (isfinite(v[k])) {
                *lo = v[k] < *lo ? v[k] : *lo;
                *hi = v[k] > *hi ? v[k] : *hi;
            }
    }
}

/* The x of a change point: between the run before it and its own. */
static double cp_x(const struct trend_series *s, size_t idx)
{
    if (idx == 0 || idx >= s->n)
        return idx < s->n ? (double)s->pts[idx].run - 0.5 : (double)s->pts[s->n - 1].run + 0.5;
    return ((double)s->pts[idx - 1].run + (double)s->pts[idx].run) / 2;
}

/* A boundary between segments of a series: a change point or a change of
 * machine, with the levels either side. */
struct bound {
    size_t index;
    double before, after;
};

/* The change points and changes of machine of s by index into a new
 * array (NULL when none or out of memory: no marks are drawn then). */
static struct bound *bounds_of(const struct trend_series *s, size_t *n)
{
    struct bound *v = malloc((s->ncps + s->nbreaks + 1) * sizeof *v);
    size_t c = 0, b = 0;

    *n = 0;
    if (!v)
        return NULL;
    while (c < s->ncps || b < s->nbreaks) {
        if (b == s->nbreaks || (c < s->ncps && s->cps[c].index < s->breaks[b].index)) {
            v[*n] = (struct bound){s->cps[c].index, s->cps[c].before, s->cps[c].after};
            c++;
        } else {
            v[*n] = (struct bound){s->breaks[b].index, s->breaks[b].before, s->breaks[b].after};
            b++;
        }
        ++*n;
    }
    return v;
}

/* Segment levels between the boundaries, then the changes of machine and
 * the change points as vertical lines with their labels. */
static void write_marks(FILE *f, const struct trend_series *s, double xmax, double div)
{
    size_t k, n, seg_from = 0;
    struct bound *v = bounds_of(s, &n);

    for (k = 0; v && k <= n && s->n; k++) {
        size_t seg_to = k < n ? v[k].index : s->n;
        double lv = k < n ? v[k].before : n ? v[n - 1].after : NAN;
        if (isfinite(lv) && seg_to > seg_from)
            fprintf(f, "set arrow from %.6g,%.10g to %.6g,%.10g nohead lc '#606060' dt 3 lw 1\n",
                    cp_x(s, seg_from), lv / div, cp_x(s, seg_to), lv / div);
        seg_from = seg_to;
    }
    free(v);
    for (k = 0; k < s->nbreaks; k++) {
        double x = cp_x(s, s->breaks[k].index);
        int right = x > 0.7 * xmax;
        fprintf(f, "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lc '%s' dt 4 lw 1.5\n",
                x, x, MACHINE_COLOUR);
        fprintf(f, "set label 'machine' at %.6g, graph 0.85 %s offset %s,0 tc '%s' font ',8' "
                   "front\n", x, right ? "right" : "left", right ? "-0.4" : "0.4",
                MACHINE_COLOUR);
    }
    for (k = 0; k < s->ncps; k++) {
        const struct changepoint *cp = &s->cps[k];
        const char *c = trend_worse(s->dir, cp->change) ? GP_RED : GP_GREEN;
        double x = cp_x(s, cp->index);
        int right = x > 0.7 * xmax;
        fprintf(f, "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lc '%s' dt 2 lw 1.5\n", x,
                x, c);
        fprintf(f,
                "set label '%+.1f%%' at %.6g, graph 0.93 %s offset %s,0 tc '%s' font ',8' front\n",
                100 * cp->change, x, right ? "right" : "left", right ? "-0.4" : "0.4", c);
    }
}

/* One panel: band, medians, change points, changes of machine and segment
 * levels. */
static void write_panel(FILE *f, const struct trend *t, const struct trend_series *s,
                        const char *data, size_t block, const char *title, int labelled,
                        const char *xlabel, int ytics, const char *colour)
{
    struct gp_unit u;
    char q[1024], axis[64];
    double xmax = t->nruns ? (double)t->nruns - 0.5 : 0.5, lo, hi;

    series_range(s, &lo, &hi);
    gp_unit_pick(s->unit, fmax(fabs(lo), fabs(hi)), &u);
    if (title)
        fprintf(f, "\nset title %s font ',9'\n", gp_quote(q, sizeof q, title));
    fprintf(f, "set ylabel '%s' font ',9'\n", gp_unit_axis(&u, axis, sizeof axis));
    if (isfinite(lo) && isfinite(hi)) {
        /* at least +-5 % of the level: run-to-run noise of a percent
         * should look like what it is, not fill the panel */
        double mid = (lo + hi) / 2, half = fmax((hi - lo) / 2 * 1.25, 0.05 * fabs(mid));
        int positive = lo >= 0;
        if (!(half > 0))
            half = 1;
        lo = mid - half;
        hi = mid + half + 0.12 * half;  /* room for the change point labels */
        if (positive && lo < 0)
            lo = 0;
        fprintf(f, "set yrange [%.10g:%.10g]\nset ytics %.10g\n", lo / u.div, hi / u.div,
                gp_tic_step((hi - lo) / u.div, ytics));
    } else {
        fprintf(f, "set yrange [*:*]\nset ytics autofreq\n");
    }
    fprintf(f, "@%s\n", labelled ? "xt_on" : "xt_off");
    fprintf(f, "set xlabel '%s' font ',9'\n", labelled && xlabel ? xlabel : "");
    fprintf(f, "unset arrow\nunset label\n");
    write_marks(f, s, xmax, u.div);
    fprintf(f, "set xrange [-0.5:%.1f]\n", xmax);
    fprintf(f, "plot %s index %zu using 1:($4/%.10g):($5/%.10g) with filledcurves "
               "fc '%s' fs transparent solid 0.18 noborder notitle, \\\n"
               "     '' index %zu using 1:($3/%.10g) with linespoints lc '%s' lw 1.5 pt 7 ps 0.45 "
               "notitle\n",
            gp_quote(q, sizeof q, data), block, u.div, u.div, colour, block, u.div, colour);
}

/* Tics every step runs so that labels are at least 24 px apart. */
static size_t tic_step(size_t nruns, double px)
{
    size_t fit = px > 24 ? (size_t)(px / 24) : 1;

    return fit >= nruns ? 1 : (nruns + fit - 1) / fit;
}

static const char *xlabel_of(const struct trend *t)
{
    size_t i, with = 0, untimed = 0;

    for (i = 0; i < t->nruns; i++) {
        with += t->runs[i].commit != NULL;
        untimed += !t->runs[i].commit && !t->runs[i].time;
    }
    if (untimed)
        return untimed == t->nruns ? "run (file)" : "run (commit, else time UTC, else file)";
    return with == t->nruns ? "run (commit)"
           : with ? "run (commit, else time UTC)" : "run (time UTC, MM-DD hh:mm)";
}

static int plot_grid(const struct trend *t, const struct plot_opts *o, struct err *e)
{
    enum { L = 78, R = 20, B = 92, T = 74, SX = 80, SY = 34 };
    struct gp g;
    struct gp_grid gr;
    struct gp_data d;
    char **names = NULL, title[512], q[1024];
    size_t i, pre, step, maxname;
    double panel_px;
    int rc = -1;

    gp_grid_layout(t->nseries, PANEL_W, PANEL_H, &gr);
    gr.height += B + T - 40;
    names = calloc(t->nseries, sizeof *names);
    if (!names)
        return err_set(e, "out of memory");
    for (i = 0; i < t->nseries; i++)
        names[i] = t->series[i].name;
    pre = gp_common_prefix(names, t->nseries);
    snprintf(title, sizeof title, "%.*s%s%zu benchmark%s over %zu run%s\n"
             "median per run, band: its CI; dashed: change points; %sdotted: segment levels",
             (int)pre, names[0], pre ? ": " : "", t->nseries,
             t->nseries == 1 ? "" : "s", t->nruns, t->nruns == 1 ? "" : "s",
             t->nmachines ? "dash-dot: changes of machine; " : "");
    if (gp_open(&g, o, "trend", gr.width, gr.height, title, e) < 0)
        goto out;
    if (gp_data_open(&g, NULL, &d, e) < 0)
        goto close;
    for (i = 0; i < t->nseries; i++) {
        if (i)
            fputs("\n\n", d.f);
        write_block(d.f, t, &t->series[i]);
    }
    if (gp_data_close(&d, e) < 0)
        goto close;
    panel_px = fmax(60, ((double)g.width - L - R - (gr.cols - 1) * SX) / gr.cols);
    step = tic_step(t->nruns, panel_px);
    maxname = (size_t)(panel_px / 6.5);
    fprintf(g.f, "set border 3\nset ytics nomirror font ',8'\nset format y '%%g'\n"
                 "set xlabel ''\n");
    write_xtics(g.f, t, step, 8);
    gp_multiplot(&g, &gr, L, R, B, T, SX, SY);
    snprintf(q, sizeof q, "%s.dat", g.name);
    for (i = 0; i < t->nseries; i++) {
        const struct trend_series *s = &t->series[i];
        char shortn[256];
        int labelled = i + (size_t)gr.cols >= t->nseries;
        gp_shorten(shortn, sizeof shortn, s->name + pre, maxname);
        write_panel(g.f, t, s, q, i, shortn, labelled, xlabel_of(t), 5, gp_colours[0]);
    }
    fprintf(g.f, "\nunset multiplot\n");
    rc = gp_run(&g, e);
close:
    gp_free(&g);
out:
    free(names);
    return rc;
}

/* One benchmark on a picture of its own at o->out. */
static int plot_one(const struct trend *t, const struct trend_series *s,
                    const struct plot_opts *o, struct err *e)
{
    struct plot_opts one = *o;
    struct gp g;
    struct gp_data d;
    char title[1024], q[1024];
    int rc = -1;

    snprintf(title, sizeof title, "%s%s%s\nmedian per run, band: its CI%s%s",
             o->title ? o->title : "", o->title ? "\n" : "", s->name,
             s->ncps ? "; dashed: change points" : "",
             s->nbreaks ? "; dash-dot: changes of machine" : "");
    one.title = NULL;
    if (gp_open(&g, &one, "trend", 1000, 520, title, e) < 0)
        return -1;
    if (gp_data_open(&g, NULL, &d, e) < 0)
        goto out;
    write_block(d.f, t, s);
    if (gp_data_close(&d, e) < 0)
        goto out;
    gp_title(&g);
    fprintf(g.f, "set border 3\nset ytics nomirror\nset format y '%%g'\n"
                 "set bmargin 7\n");
    write_xtics(g.f, t, tic_step(t->nruns, g.width - 150), 9);
    snprintf(q, sizeof q, "%s.dat", g.name);
    write_panel(g.f, t, s, q, 0, NULL, 1, xlabel_of(t), 8, gp_colours[0]);
    rc = gp_run(&g, e);
out:
    gp_free(&g);
    return rc;
}

/* One picture per benchmark in the directory o->out. */
static int plot_each(const struct trend *t, const struct plot_opts *o, struct err *e)
{
    const char *dir = o->out && *o->out ? o->out : "plot-trend";
    size_t i;

    if (mkdir(dir, 0777) < 0 && errno != EEXIST)
        return err_set(e, "%s: %s", dir, strerror(errno));
    for (i = 0; i < t->nseries; i++) {
        struct plot_opts one = *o;
        char slug[200], other[200], path[4096];
        size_t k, same = 0;
        gp_slug(slug, sizeof slug, t->series[i].name);
        /* names that differ only in what a file name cannot hold */
        for (k = 0; k < i; k++)
            same += !strcmp(gp_slug(other, sizeof other, t->series[k].name), slug);
        if (same)
            snprintf(slug + strlen(slug) - (strlen(slug) > 180 ? 20 : 0), 20, "-%zu", same + 1);
        snprintf(path, sizeof path, "%s/%s%s", dir, slug, o->format == PLOT_SVG ? ".svg" : ".png");
        one.out = path;
        if (plot_one(t, &t->series[i], &one, e) < 0)
            return -1;
    }
    return 0;
}

int plot_trend(const struct trend *t, const struct plot_opts *o, struct err *e)
{
    if (!t->nseries || !t->nruns)
        return err_set(e, "trend: no benchmark to plot");
    if (!o->grid)
        return plot_each(t, o, e);
    return t->nseries == 1 ? plot_one(t, &t->series[0], o, e) : plot_grid(t, o, e);
}
