/*
 * plot_capacity.c: the steps of a capacity search (plot.h): against the
 * offered rate, the p50 and p99 latency of every step (log scale; a
 * step that held, failed or was not counted marked so) and the
 * throughput achieved (right axis, beside the line where it equals the
 * offered rate); the latency objectives as horizontal lines, the
 * answer as a vertical one and the bracket around it shaded.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "harness/result/capres.h"
#include "harness/result/limit.h"
#include "plot.h"

/* What the axes need. */
struct span {
    double xlo, xhi;             /* offered rates */
    double ylo, yhi;             /* latency, ms */
    double thi;                  /* achieved, req/s */
};

static int by_rate(const void *a, const void *b)
{
    const struct capacity_step *x = *(const struct capacity_step *const *)a,
                               *y = *(const struct capacity_step *const *)b;

    return x->rate < y->rate ? -1 : x->rate > y->rate;
}

/* The steps into the data file, by rate: block 0 the search steps, block
 * 1 the confirms; columns rate, achieved, p50 and p99 (ms), held (1),
 * failed (1), not counted (1). */
static int write_data(struct gp *g, const struct capacity *c, struct span *sp, struct err *e)
{
    const struct capacity_step **v = malloc((c->nsteps + 1) * sizeof *v);
    struct gp_data d;
    size_t i, n;
    int block;

    if (!v)
        return err_set(e, "out of memory");
    if (gp_data_open(g, NULL, &d, e) < 0) {
        free(v);
        return -1;
    }
    fputs("# rate/s\tachieved/s\tp50_ms\tp99_ms\theld\tfailed\tnot_counted\n", d.f);
    for (block = 0; block < 2; block++) {
        for (i = n = 0; i < c->nsteps; i++)
            if (c->steps[i].confirm == block)
                v[n++] = &c->steps[i];
        qsort(v, n, sizeof *v, by_rate);
        if (block)
            fputs("\n\n", d.f);
        for (i = 0; i < n; i++) {
            double row[7] = {v[i]->rate, v[i]->achieved, (double)v[i]->p50 / 1e6,
                             (double)v[i]->p99 / 1e6, v[i]->valid && v[i]->pass,
                             v[i]->valid && !v[i]->pass, !v[i]->valid};
            gp_nums(d.f, row, 7);
            fputc('\n', d.f);
            sp->xlo = fmin(sp->xlo, v[i]->rate);
            sp->xhi = fmax(sp->xhi, v[i]->rate);
            if (v[i]->p50 > 0)
                sp->ylo = fmin(sp->ylo, row[2]);
            sp->yhi = fmax(sp->yhi, row[3]);
            sp->thi = fmax(sp->thi, fmax(v[i]->achieved, v[i]->rate));
        }
        if (!n)   /* an empty block would end the file early for gnuplot */
            fputs("NaN\tNaN\tNaN\tNaN\t0\t0\t0\n", d.f);
    }
    free(v);
    return gp_data_close(&d, e);
}

/* The latency objectives as horizontal lines (ms), within the y span. */
static void write_objectives(FILE *f, const struct capacity *c, struct span *sp)
{
    size_t i;

    for (i = 0; i < c->nobjectives; i++) {
        struct limit l;
        struct err e = {0};
        char q[300];
        if (limit_parse(c->objectives[i], &l, &e) < 0)
            continue;
        if (!strncmp(l.metric, "latency.", 8) && l.value > 0) {
            double ms = l.value / 1e6;
            sp->ylo = fmin(sp->ylo, ms);
            sp->yhi = fmax(sp->yhi, ms);
            fprintf(f, "set arrow from graph 0, first %.6g to graph 1, first %.6g nohead "
                       "lc '%s' dt 2 lw 1.5\n", ms, ms, GP_RED);
            fprintf(f, "set label %s at graph 0.01, first %.6g offset 0, 0.6 tc rgb '%s' "
                       "font ',9'\n", gp_quote(q, sizeof q, l.text), ms, GP_RED);
        }
        limit_free(&l);
    }
}

/* The answer and its bracket. */
static void write_answer(FILE *f, const struct capacity *c)
{
    double lo = c->low, hi = c->high;

    if (!isnan(lo) && !isnan(hi) && hi > lo)
        fprintf(f, "set object 1 rect from first %.10g, graph 0 to first %.10g, graph 1 "
                   "fc rgb '%s' fs solid 0.15 noborder behind\n", lo, hi, GP_GREEN);
    if (c->answer > 0)
        fprintf(f, "set arrow from first %.10g, graph 0 to first %.10g, graph 1 nohead "
                   "lc '%s' lw 2\nset label 'capacity %.4g/s' at first %.10g, graph 0.97 "
                   "left offset 0.5, 0 tc rgb '%s' font ',10'\n",
                c->answer, c->answer, GP_GREEN, c->answer, c->answer, GP_GREEN);
}

static void write_axes(FILE *f, const struct span *sp)
{
    double xlo = sp->xlo / 1.15, xhi = sp->xhi * 1.15;

    if (sp->xhi / sp->xlo > 8)
        fputs("set logscale x\n", f);
    fprintf(f, "set xrange [%.6g:%.6g]\nset xlabel 'offered rate (requests/s)'\n"
               "set logscale y\nset yrange [%.6g:%.6g]\nset ylabel 'latency (ms, log scale)'\n"
               "set y2range [0:%.6g]\nset y2label 'achieved (requests/s)'\n"
               "set ytics nomirror out\nset y2tics out\nset xtics nomirror out\n"
               "set grid xtics ytics lc '#e8e8e8'\nset border 11\n"
               "set key outside bottom center horizontal font ',9'\n",
            xlo, xhi, sp->ylo / 1.5, sp->yhi * 2, sp->thi * 1.1);
}

static void write_plot(FILE *f, const char *dat)
{
    char q[300];

    gp_quote(q, sizeof q, dat);
    fprintf(f,
            "plot %s index 0 using 1:3 with linespoints lc '%s' pt 7 ps 0.8 title 'p50', \\\n"
            "     '' index 0 using 1:4 with lines lc '%s' lw 2 notitle, \\\n"
            "     '' index 0 using 1:($5 > 0 ? $4 : NaN) with points pt 7 ps 1.3 lc '%s' "
            "title 'p99: held', \\\n"
            "     '' index 0 using 1:($6 > 0 ? $4 : NaN) with points pt 5 ps 1.3 lc '%s' "
            "title 'p99: failed', \\\n"
            "     '' index 0 using 1:($7 > 0 ? $4 : NaN) with points pt 6 ps 1.3 lc '%s' "
            "title 'p99: not counted (generator)', \\\n"
            "     '' index 1 using 1:4 with points pt 9 ps 1.8 lc '#000000' "
            "title 'p99: confirm', \\\n"
            "     '' index 0 using 1:2 axes x1y2 with linespoints lc '%s' pt 2 dt 3 "
            "title 'achieved/s', \\\n"
            "     x axes x1y2 with lines lc '%s' dt 2 lw 0.8 title 'achieved = offered'\n",
            q, gp_colours[0], gp_colours[1], GP_GREEN, GP_RED, GP_GREY, GP_ORANGE, GP_GREY);
}

int plot_capacity(const struct bench *b, const struct plot_opts *o, struct err *e)
{
    const struct capacity *c = b->capacity;
    struct span sp = {INFINITY, 0, INFINITY, 0, 0};
    char title[600], dat[300];
    struct gp g;
    int rc = -1;

    if (!c || !c->nsteps)
        return err_set(e, "%s: no capacity search", b->name ? b->name : "benchmark");
    snprintf(title, sizeof title, "capacity: %s", b->name ? b->name : "");
    if (gp_open(&g, o, "capacity", 1000, 620, title, e) < 0)
        return -1;
    if (write_data(&g, c, &sp, e) < 0)
        goto close;
    if (!(sp.xlo > 0))
        sp.xlo = 1;
    if (!(sp.ylo > 0) || isinf(sp.ylo))
        sp.ylo = 0.001;
    if (!(sp.yhi > sp.ylo))
        sp.yhi = sp.ylo * 10;
    gp_title(&g);
    write_objectives(g.f, c, &sp);
    write_answer(g.f, c);
    write_axes(g.f, &sp);
    snprintf(dat, sizeof dat, "%s.dat", g.name);
    write_plot(g.f, dat);
    rc = gp_run(&g, e);
close:
    gp_free(&g);
    return rc;
}
