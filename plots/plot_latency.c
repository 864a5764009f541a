/*
 * plot_latency.c: latency by percentile, HDR style (plot.h).  The x axis is
 * 1/(1-p) on a log scale, labelled 0%, 90%, 99%, 99.9% ..., so the tail
 * gets as much room as the body; one curve per load benchmark of each
 * result, its repetitions merged (load_merge_latency); in open loop a
 * dashed curve of the latency from the actual send beside the one from
 * the intended start (their gap is what coordinated omission would hide).
 */
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "harness/lib/rx.h"
#include "harness/load/hist.h"
#include "harness/result/loadres.h"
#include "plot.h"

#define STEPS_PER_DECADE 40

struct curve {
    const struct bench *b;
    size_t result;
    int from_send;
    char title[256];
    struct hist h;
};

/* Percentiles from 0 up to the resolution of the count (1/(1-p) <= n),
 * then the maximum at 1/(1-p) = n. */
static double write_curve(FILE *f, const struct curve *c)
{
    uint64_t n = c->h.count;
    double xmax = n > 1 ? (double)n : 10, x;
    int i;

    fprintf(f, "# ");
    gp_field(f, c->title);
    fprintf(f, "\n# percentile\tinv_1_minus_p\tlatency_ns\t(%llu responses)\n",
            (unsigned long long)n);
    for (i = 0;; i++) {
        double p;
        x = pow(10, (double)i / STEPS_PER_DECADE);
        if (x >= xmax)
            break;
        p = 100 * (1 - 1 / x);
        fprintf(f, "%.17g\t%.17g\t%llu\n", p, x,
                (unsigned long long)hist_percentile(&c->h, p));
    }
    fprintf(f, "100\t%.10g\t%llu\n", xmax, (unsigned long long)c->h.max);
    return xmax;
}

static const char *file_part(const char *s)
{
    const char *sl = s ? strrchr(s, '/') : NULL;

    return sl ? sl + 1 : s;
}

static void curve_title(struct curve *c, const struct plot_opts *o, size_t nres, size_t nbench,
                        const char *bname, int open_loop)
{
    char who[160] = "";

    if (nres > 1) {
        if (o->names && o->names[c->result])
            snprintf(who, sizeof who, "%s", file_part(o->names[c->result]));
        else
            snprintf(who, sizeof who, "run %zu", c->result + 1);
    }
    snprintf(c->title, sizeof c->title, "%s%s%s%s", who, *who && nbench > 1 ? ": " : "",
             nbench > 1 || !*who ? bname : "",
             c->from_send ? " (from send)" : open_loop ? " (from intended start)" : "");
}

/* Decade tics of a log axis in ns, labelled in time units: '10 us' 1e4. */
static void write_log_tics(FILE *f, double lo, double hi)
{
    static const char *const units[] = {"ns", "us", "ms", "s"};
    int d, d0 = (int)floor(log10(lo)), d1 = (int)ceil(log10(hi));

    for (d = d0; d <= d1; d++) {
        int u = d < 3 ? 0 : d < 6 ? 1 : d < 9 ? 2 : 3;
        double v = pow(10, d - 3 * u);
        fprintf(f, "%s'%g %s' %g", d > d0 ? ", " : "", v, units[u], pow(10, d));
    }
}

static void free_curves(struct curve *cs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        hist_free(&cs[i].h);
    free(cs);
}

/* The curves of every load benchmark of rs whose name re matches (NULL:
 * all), its repetitions merged: the latency, and in the open loop the
 * latency from the send after it.  -1 with the cause in e (the curves so
 * far stay in *cs, *n for the caller to free). */
static int collect_curves(const struct result *const *rs, size_t nrs, const regex_t *re,
                          struct curve **cs, size_t *n, struct err *e)
{
    size_t cap = 0, i, j;

    for (i = 0; i < nrs; i++)
        for (j = 0; j < rs[i]->nbenches; j++) {
            const struct bench *b = &rs[i]->benches[j];
            int fs;
            if (b->kind != KIND_LOAD || !b->nload || (re && regexec(re, b->name, 0, NULL, 0)))
                continue;
            for (fs = 0; fs < 2; fs++) {
                struct hist h;
                struct err e2 = {0};
                if (load_merge_latency(b, fs, &h, fs ? &e2 : e) < 0) {
                    if (!fs)
                        return -1;
                    continue;   /* closed loop: no latency from send */
                }
                if (*n == cap) {
                    struct curve *nc = realloc(*cs, (cap = cap ? 2 * cap : 8) * sizeof **cs);
                    if (!nc) {
                        hist_free(&h);
                        return err_set(e, "out of memory");
                    }
                    *cs = nc;
                }
                memset(&(*cs)[*n], 0, sizeof **cs);
                (*cs)[*n].b = b;
                (*cs)[*n].result = i;
                (*cs)[*n].from_send = fs;
                (*cs)[(*n)++].h = h;
            }
        }
    return 0;
}

/* How far the curves reach on the y axis. */
struct yspan {
    double max;                 /* the largest maximum */
    double min_max;             /* the smallest maximum above 0 */
    double min;                 /* the smallest minimum (at least 1) */
};

/* Title every curve; their span into *y.  Returns the number of distinct
 * benchmarks. */
static size_t name_curves(struct curve *cs, size_t n, const struct plot_opts *o, size_t nrs,
                          struct yspan *y)
{
    size_t i, k, nbench = 0;

    memset(y, 0, sizeof *y);
    for (i = 0; i < n; i++) {
        for (k = 0; k < i && strcmp(cs[k].b->name, cs[i].b->name); k++)
            ;
        nbench += k == i;
    }
    for (i = 0; i < n; i++) {
        char shortn[200];
        gp_shorten(shortn, sizeof shortn, cs[i].b->name, 60);
        curve_title(&cs[i], o, nrs, nbench, shortn,
                    i + 1 < n && cs[i + 1].from_send && cs[i + 1].b == cs[i].b);
        y->max = fmax(y->max, (double)cs[i].h.max);
        if (cs[i].h.max > 0 && (y->min_max == 0 || (double)cs[i].h.max < y->min_max))
            y->min_max = (double)cs[i].h.max;
        if (cs[i].h.count && (y->min == 0 || (double)cs[i].h.min < y->min))
            y->min = cs[i].h.min > 0 ? (double)cs[i].h.min : 1;
    }
    return nbench;
}

/* Every curve into the data file, one block each; the x axis's end. */
static int write_data(struct gp *g, const struct curve *cs, size_t n, double *xmax,
                      struct err *e)
{
    struct gp_data d;
    size_t i;

    if (gp_data_open(g, NULL, &d, e) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        if (i)
            fputs("\n\n", d.f);
        *xmax = fmax(*xmax, write_curve(d.f, &cs[i]));
    }
    return gp_data_close(&d, e);
}

/* The y axis into u: curves far apart (a fast run beside a stalling one)
 * need a log axis to be seen at all; else linear, which shows the tail
 * best. */
static void write_y_axis(FILE *f, const struct yspan *y, struct gp_unit *u)
{
    if (y->min_max > 0 && y->max / y->min_max > 20) {
        u->div = 1;
        fprintf(f, "set logscale xy\nset yrange [%.6g:%.6g]\nset ytics nomirror out (",
                pow(10, floor(log10(y->min))), pow(10, ceil(log10(y->max / 1.05))));
        write_log_tics(f, y->min, y->max / 1.05);
        fprintf(f, ")\nset ylabel 'latency'\n");
    } else {
        gp_unit_pick("ns", y->max, u);
        fprintf(f, "set logscale x\nset yrange [0:*]\nset ytics nomirror out\n"
                   "set ylabel 'latency (%s)'\nset format y '%%g'\n", u->label);
    }
}

/* The percentile axis up to xmax, and the key under it (n curves). */
static void write_x_axis(FILE *f, double xmax, size_t n)
{
    /* tic labels are formats: %% is a percent sign */
    static const char *const labs[] = {"0%%", "90%%", "99%%", "99.9%%", "99.99%%",
                                       "99.999%%", "99.9999%%", "99.99999%%"};
    double x = 1;
    size_t k;

    fprintf(f, "set xrange [1:%.6g]\nset xtics nomirror out (", xmax);
    for (k = 0; k < sizeof labs / sizeof *labs && x <= xmax * 1.0001; k++, x *= 10)
        fprintf(f, "%s'%s' %g", k ? ", " : "", labs[k], x);
    /* the key under the axis name, one line per curve */
    fprintf(f, ")\nset mxtics 10\nset border 3\n"
               "set grid xtics mxtics ytics lc '#e8e8e8', lc '#f4f4f4'\n"
               "set xlabel 'percentile (log scale of 1/(1-p))'\n"
               "set bmargin %zu\n"
               "set key at screen 0.5, screen 0.01 center bottom vertical Left reverse "
               "font ',9' samplen 3\n",
            5 + n);
}

/* The plot command: one line per curve, from the data file dat. */
static void write_plot(FILE *f, const struct curve *cs, size_t n, const char *dat,
                       const struct gp_unit *u)
{
    const char *sep = "plot ";
    size_t i, k;

    for (i = 0, k = 0; i < n; i++) {
        char t[512], dq[300];
        /* a benchmark's send curve takes its colour */
        size_t colour = cs[i].from_send && k ? k - 1 : k++;
        fprintf(f, "%s%s index %zu using 2:($3/%.10g) with lines lw %s %s lc '%s' title %s",
                sep, gp_quote(dq, sizeof dq, dat), i, u->div, cs[i].from_send ? "1.2" : "2",
                cs[i].from_send ? "dt 2" : "", gp_colours[colour % GP_NCOLOURS],
                gp_quote(t, sizeof t, cs[i].title));
        sep = ", \\\n     ";
    }
    fputc('\n', f);
}

int plot_latency(const struct result *const *rs, size_t nrs, const char *filter,
                 const struct plot_opts *o, struct err *e)
{
    struct curve *cs = NULL;
    size_t n = 0, nbench;
    char title[512], q[256];
    regex_t re;
    int have_re = 0, rc = -1;
    double xmax = 10;
    struct yspan y;
    struct gp_unit u;
    struct gp g;

    if (filter) {
        if (rx_compile(&re, filter) != 0)
            return err_set(e, "filter '%s': not a valid regular expression", filter);
        have_re = 1;
    }
    if (collect_curves(rs, nrs, have_re ? &re : NULL, &cs, &n, e) < 0)
        goto out;
    if (!n) {
        err_set(e, "no load benchmark%s%s%s with a latency histogram", filter ? " matching '" : "",
                filter ? filter : "", filter ? "'" : "");
        goto out;
    }
    nbench = name_curves(cs, n, o, nrs, &y);
    snprintf(title, sizeof title, "latency by percentile%s%s",
             nrs == 1 && nbench == 1 ? ": " : "", nrs == 1 && nbench == 1 ? cs[0].b->name : "");
    if (gp_open(&g, o, "latency", 1000, 600 + 16 * (int)(n > 5 ? n - 5 : 0), title, e) < 0)
        goto out;
    if (write_data(&g, cs, n, &xmax, e) < 0)
        goto close;
    gp_title(&g);
    write_y_axis(g.f, &y, &u);
    write_x_axis(g.f, xmax, n);
    snprintf(q, sizeof q, "%s.dat", g.name);
    write_plot(g.f, cs, n, q, &u);
    rc = gp_run(&g, e);
close:
    gp_free(&g);
out:
    free_curves(cs, n);
    if (have_re)
        regfree(&re);
    return rc;
}
