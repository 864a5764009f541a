/*
 * plot_curve.c: throughput against latency (plot.h).  The load benchmarks
 * of an open-loop scenario run at several rates (SCENARIO/rate=R) are one
 * curve: for each rate, x the successful responses a second (throughput
 * less errors: what a concurrency limit sheds does not count) and y the
 * latency (p99 solid, p50 dashed, log scale; medians over the repetitions), points in
 * the order of the rate asked.  Below saturation the points move right at
 * low latency; past it the throughput stops growing and the latency
 * climbs: the knee is the capacity.  Each point is labelled with the rate
 * asked, and a curve per scenario (before and after a change) shows what
 * the change bought.
 */
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "harness/lib/rx.h"
#include "plot.h"

struct point {
    double rate, tput, p50, p99;
};

struct line {
    char name[256];             /* the benchmark name without "/rate=R" */
    struct point *pts;
    size_t n, cap;
};

/* b's offered rate (its "rate" parameter), or -1. */
static double bench_rate(const struct bench *b)
{
    size_t i;

    for (i = 0; i < b->nparams; i++)
        if (!strcmp(b->params[i].name, "rate"))
            return b->params[i].is_int ? (double)b->params[i].ival
                                       : strtod(b->params[i].value, NULL);
    return -1;
}

static double metric_median(const struct bench *b, const char *name)
{
    const struct metric *m = bench_metric(b, name);

    return m && m->nsamples ? m->st.median : NAN;
}

/* name without its "/rate=..." part into buf. */
static void line_name(char *buf, size_t len, const char *name)
{
    const char *r = strstr(name, "/rate=");
    size_t k = r ? (size_t)(r - name) : strlen(name);
    const char *rest = r ? strchr(r + 1, '/') : NULL;

    snprintf(buf, len, "%.*s%s", (int)k, name, rest ? rest : "");
}

static int cmp_point(const void *a, const void *b)
{
    const struct point *x = a, *y = b;

    return x->rate < y->rate ? -1 : x->rate > y->rate;
}

static void free_lines(struct line *ls, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(ls[i].pts);
    free(ls);
}

/* The lines of the open-loop load benchmarks of r matching re. */
static int collect_lines(const struct result *r, const regex_t *re, struct line **ls,
                         size_t *n, struct err *e)
{
    size_t cap = 0, i, k;

    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        struct point p;
        char name[256];
        struct line *l;
        if (b->kind != KIND_LOAD || b->error || (re && regexec(re, b->name, 0, NULL, 0)))
            continue;
        p.rate = bench_rate(b);
        p.tput = metric_median(b, "throughput");
        if (bench_metric(b, "errors.rate"))
            p.tput *= 1 - fmin(1, fmax(0, metric_median(b, "errors.rate")));
        p.p50 = metric_median(b, "latency.p50");
        p.p99 = metric_median(b, "latency.p99");
        if (p.rate <= 0 || !(p.tput > 0) || !(p.p99 > 0))
            continue;   /* closed loop, or nothing measured */
        line_name(name, sizeof name, b->name);
        for (k = 0; k < *n && strcmp((*ls)[k].name, name); k++)
            ;
        if (k == *n) {
            if (*n == cap) {
                struct line *nl = realloc(*ls, (cap = cap ? 2 * cap : 4) * sizeof *nl);
                if (!nl)
                    return err_set(e, "out of memory");
                *ls = nl;
            }
            memset(&(*ls)[k], 0, sizeof **ls);
            snprintf((*ls)[k].name, sizeof (*ls)[k].name, "%s", name);
            (*n)++;
        }
        l = &(*ls)[k];
        if (l->n == l->cap) {
            struct point *np = realloc(l->pts, (l->cap = l->cap ? 2 * l->cap : 8) * sizeof *np);
            if (!np)
                return err_set(e, "out of memory");
            l->pts = np;
        }
        l->pts[l->n++] = p;
    }
    for (k = 0; k < *n; k++)
        qsort((*ls)[k].pts, (*ls)[k].n, sizeof *(*ls)[k].pts, cmp_point);
    return 0;
}

/* One block per line: rate, throughput, p50 and p99 (ns). */
static int write_data(struct gp *g, const struct line *ls, size_t n, double *ymin,
                      double *ymax, struct err *e)
{
    struct gp_data d;
    size_t i, k;

    if (gp_data_open(g, NULL, &d, e) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        fprintf(d.f, "%s# ", i ? "\n\n" : "");
        gp_field(d.f, ls[i].name);
        fprintf(d.f, "\n# rate_asked\tsuccessful_req_s\tp50_ns\tp99_ns\n");
        for (k = 0; k < ls[i].n; k++) {
            const struct point *p = &ls[i].pts[k];
            fprintf(d.f, "%.10g\t%.10g\t%.10g\t%.10g\n", p->rate, p->tput, p->p50, p->p99);
            if (p->p50 > 0)
                *ymin = fmin(*ymin, p->p50);
            *ymax = fmax(*ymax, p->p99);
        }
    }
    return gp_data_close(&d, e);
}

/* Decade tics of the latency axis in time units. */
static void write_y_axis(FILE *f, double lo, double hi)
{
    static const char *const units[] = {"ns", "us", "ms", "s"};
    int d, d0 = (int)floor(log10(lo)), d1 = (int)ceil(log10(hi));

    fprintf(f, "set logscale y\nset yrange [%g:%g]\nset ytics nomirror out (", pow(10, d0),
            pow(10, d1));
    for (d = d0; d <= d1; d++) {
        int u = d < 3 ? 0 : d < 6 ? 1 : d < 9 ? 2 : 3;
        fprintf(f, "%s'%g %s' %g", d > d0 ? ", " : "", pow(10, d - 3 * u), units[u],
                pow(10, d));
    }
    fprintf(f, ")\nset ylabel 'latency (p99 solid, p50 dashed; log scale)'\n");
}

static void write_plot(FILE *f, const struct line *ls, size_t n, const char *dat)
{
    const char *sep = "plot ";
    size_t i;

    for (i = 0; i < n; i++) {
        char t[600], dq[300];
        const char *c = gp_colours[i % GP_NCOLOURS];
        gp_quote(dq, sizeof dq, dat);
        fprintf(f, "%s%s index %zu using 2:4 with linespoints lw 2 pt 7 ps 0.8 lc '%s' "
                   "title %s, \\\n     %s index %zu using 2:3 with linespoints lw 1.2 dt 2 "
                   "pt 6 ps 0.6 lc '%s' notitle, \\\n     %s index %zu using 2:4:"
                   "(sprintf('%%g/s', $1)) with labels offset char 0.6, char 0.6 font ',8' "
                   "tc '%s' notitle",
                sep, dq, i, c, gp_quote(t, sizeof t, ls[i].name), dq, i, c, dq, i, c);
        sep = ", \\\n     ";
    }
    fputc('\n', f);
}

int plot_curve(const struct result *r, const char *filter, const struct plot_opts *o,
               struct err *e)
{
    struct line *ls = NULL;
    size_t n = 0;
    regex_t re;
    int have_re = 0, rc = -1;
    double ymin = INFINITY, ymax = 0;
    char q[256];
    struct gp g;

    if (filter) {
        if (rx_compile(&re, filter) != 0)
            return err_set(e, "filter '%s': not a valid regular expression", filter);
        have_re = 1;
    }
    if (collect_lines(r, have_re ? &re : NULL, &ls, &n, e) < 0)
        goto out;
    if (!n) {
        err_set(e, "no open-loop load benchmark (SCENARIO/rate=R)%s%s%s with throughput and "
                   "latency", filter ? " matching '" : "", filter ? filter : "",
                filter ? "'" : "");
        goto out;
    }
    if (gp_open(&g, o, "curve", 1000, 600 + 16 * (int)(n > 4 ? n - 4 : 0),
                "throughput against latency", e) < 0)
        goto out;
    if (write_data(&g, ls, n, &ymin, &ymax, e) < 0)
        goto close;
    gp_title(&g);
    write_y_axis(g.f, ymin > 0 && isfinite(ymin) ? ymin : 1e3, ymax > 0 ? ymax : 1e6);
    fprintf(g.f, "set xrange [0:*]\nset xtics nomirror out\nset border 3\n"
                 "set grid xtics ytics lc '#e8e8e8'\n"
                 "set xlabel 'successful responses a second; each point labelled with the "
                 "rate asked'\nset key top left Left reverse font ',9' samplen 3\n");
    snprintf(q, sizeof q, "%s.dat", g.name);
    write_plot(g.f, ls, n, q);
    rc = gp_run(&g, e);
close:
    gp_free(&g);
out:
    free_lines(ls, n);
    if (have_re)
        regfree(&re);
    return rc;
}
