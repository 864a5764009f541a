/*
 * plot_load.c: the timeline of one load benchmark (plot.h): stacked panels
 * on one time axis (seconds from the end of the warmup): with stages, the
 * shape asked (users or arrivals/s, dashed) beside the shape achieved;
 * throughput, p99 (and p50) latency, errors per second, the CPU of the
 * server, of each labelled process and of pacer in % of one core, and
 * their RSS (pacer's only when nothing else was monitored); where the
 * records have them, the TCP connections by process and port and the
 * network's bytes per second (plot_load_mon.c).  Each repetition is one
 * colour, or with labelled processes each process is.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "harness/result/loadrep.h"
#include "plot.h"
#include "plot_load_private.h"

#define NPANELS 5

#define MAXBLOCKS 64

/* What the data files hold, for the axes and the plot commands. */
struct extent {
    double t_lo, t_hi;          /* s */
    double tput, lat, err, cpu, rss, shape;
    int have_server, have_cpu, have_rss;
    size_t nlabels;             /* the processes monitored, pacer's last */
    const char *labels[8];
    int have_shape;             /* a repetition ran in stages: a panel of its own */
    int shape_open;             /* of arrivals/s, else of users */
    size_t nblocks;             /* monitor blocks (same in the cpu file) */
    struct {
        size_t rep;
        int server;
        int pacer;
        size_t label;           /* in labels[] */
    } blocks[MAXBLOCKS];
};

#define NSERIES 13

static void put_row(FILE *f, const double *v)
{
    int i;

    for (i = 0; i < NSERIES; i++) {
        if (i)
            fputc('\t', f);
        gp_num(f, v[i]);
    }
    fputc('\n', f);
}

/* A latency of an interval, NAN for one without responses (0). */
static double lat_ns(uint64_t v)
{
    return v > 0 ? (double)v : NAN;
}

/* One block per repetition: the per-interval series with throughput and
 * errors per second beside the recorded columns. */
static int write_series(FILE *f, const struct bench *b, struct extent *x, struct err *e)
{
    size_t k;

    fprintf(f, "# t_s\tt_mid_s\trequests\tthroughput_per_s\tp50_ns\tp90_ns\tp99_ns\tp999_ns\t"
               "max_ns\terrors\terrors_per_s\ttarget\tachieved\n");
    for (k = 0; k < b->nload; k++) {
        const struct load_rep *r = &b->load[k];
        double last[NSERIES];
        double iv = (double)r->interval_ns / 1e9;
        size_t i;
        if (!(iv > 0))
            return err_set(e, "%s: repetition %zu: the series has no interval", b->name, k + 1);
        if (k)
            fputs("\n\n", f);
        fprintf(f, "# repetition %zu\n", k + 1);
        last[0] = NAN;
        for (i = 0; i < r->niv; i++) {
            const struct load_interval *row = &r->iv[i];
            double t = row->t, req = (double)row->requests, errs = 0, v[NSERIES];
            int c;
            if (!isfinite(t))
                return err_set(e, "%s: repetition %zu, interval %zu: no start time", b->name,
                               k + 1, i + 1);
            for (c = 0; c < LC_NCLASS; c++)
                errs += (double)row->errors[c];
            v[0] = t;
            v[1] = t + iv / 2;
            v[2] = req;
            v[3] = req / iv;
            v[4] = lat_ns(row->p50);
            v[5] = lat_ns(row->p90);
            v[6] = lat_ns(row->p99);
            v[7] = lat_ns(row->p999);
            v[8] = lat_ns(row->max);
            v[9] = errs;
            v[10] = errs / iv;
            v[11] = row->target;     /* NaN in blocks from before 1.9 */
            v[12] = row->achieved;
            put_row(f, v);
            memcpy(last, v, sizeof last);
            x->t_hi = fmax(x->t_hi, t + iv);
            x->tput = fmax(x->tput, isfinite(v[3]) ? v[3] : 0);
            x->lat = fmax(x->lat, fmax(isfinite(v[4]) ? v[4] : 0, isfinite(v[6]) ? v[6] : 0));
            x->err = fmax(x->err, v[10]);
            if (r->set.nstages)
                x->shape = fmax(x->shape, fmax(isfinite(v[11]) ? v[11] : 0,
                                               isfinite(v[12]) ? v[12] : 0));
        }
        if (isfinite(last[0])) {
            /* steps draw each row to the next: the last interval needs its end */
            fprintf(f, "# the end of the last interval\n");
            last[0] += iv;
            last[1] = NAN;
            put_row(f, last);
        }
    }
    return 0;
}

static double cpu_of(const struct mon_row *row)
{
    return row->cpu_user + row->cpu_sys;
}

/* Cumulative CPU seconds of a monitored tree at time T (linear between
 * rows); NAN outside them. */
static double cpu_at(const struct load_rep_mon *m, double T, double slack)
{
    size_t i, n = m->nrows;
    double first = n ? m->rows[0].t : NAN;
    double lastt = n ? m->rows[n - 1].t : NAN;

    /* the first and last rows stand for a little before and after them */
    if (T < first && T >= first - slack)
        T = first;
    if (T > lastt && T <= lastt + slack)
        T = lastt;
    for (i = 0; i + 1 < n; i++) {
        const struct mon_row *a = &m->rows[i], *b = &m->rows[i + 1];
        double ta = a->t, tb = b->t;
        if (T >= ta && T <= tb && tb > ta) {
            double ca = cpu_of(a), cb = cpu_of(b);
            return ca + (cb - ca) * (T - ta) / (tb - ta);
        }
    }
    return NAN;
}

/* The rows of one tree, time moved to the series' axis (warm: the end of
 * the warmup on the monitor's clock). */
static void write_mon_rows(FILE *raw, const struct load_rep_mon *m, double warm, int pacer,
                           struct extent *x)
{
    size_t i;

    for (i = 0; i < m->nrows; i++) {
        const struct mon_row *row = &m->rows[i];
        double t = row->t - warm, rss = (double)row->rss;
        gp_num(raw, t);
        fputc('\t', raw);
        gp_num(raw, row->cpu_user);
        fputc('\t', raw);
        gp_num(raw, row->cpu_sys);
        fputc('\t', raw);
        gp_num(raw, rss >= 0 ? rss : NAN);
        fputc('\n', raw);
        x->t_lo = fmin(x->t_lo, t);
        if ((!pacer || x->nlabels == 1) && rss > 0) {
            x->rss = fmax(x->rss, rss);
            x->have_rss = 1;
        }
    }
}

/* The CPU use of one tree over windows of win seconds. */
static void write_mon_cpu(FILE *cpu, const struct load_rep_mon *m, double warm, double win,
                          struct extent *x)
{
    double t0, t1, w;

    if (m->nrows < 2) {
        fputs("NaN\tNaN\n", cpu);   /* the block stays, empty */
        return;
    }
    t0 = m->rows[0].t - warm;
    t1 = m->rows[m->nrows - 1].t - warm;
    for (w = floor(t0 / win) * win; w < t1; w += win) {
        double a = cpu_at(m, w + warm, win / 4);
        double c = cpu_at(m, w + win + warm, win / 4);
        double pct = 100 * (c - a) / win;
        if (!isfinite(pct))
            continue;
        gp_num(cpu, w + win / 2);
        fputc('\t', cpu);
        gp_num(cpu, pct);
        fputc('\n', cpu);
        x->cpu = fmax(x->cpu, pct);
        x->have_cpu = 1;
    }
}

double load_warm_s(const struct load_rep *r)
{
    /* the window's start on the monitor's clock, when recorded */
    return isfinite(r->window_s[0]) ? r->window_s[0] : (double)r->set.warmup_ns / 1e9;
}

/* The index of label in x->labels, added (before pacer's) when new;
 * MAXLABELS when there is no room. */
#define MAXLABELS 8
static size_t label_of(struct extent *x, const char *label)
{
    size_t i;

    for (i = 0; i < x->nlabels; i++)
        if (!strcmp(x->labels[i], label))
            return i;
    if (x->nlabels == MAXLABELS)
        return MAXLABELS;
    x->labels[x->nlabels] = label;
    return x->nlabels++;
}

/* Every label of b's records, pacer's last. */
static void find_labels(const struct bench *b, struct extent *x)
{
    size_t k, j;

    for (k = 0; k < b->nload; k++)
        for (j = 0; j < b->load[k].nmon; j++)
            if (strcmp(b->load[k].mon[j].label, "pacer"))
                label_of(x, b->load[k].mon[j].label);
    label_of(x, "pacer");
}

/* The monitor's rows (time moved to the series' axis) and its CPU use
 * over windows, one block per repetition and process tree. */
static void write_monitor(FILE *raw, FILE *cpu, const struct bench *b, struct extent *x)
{
    size_t k, nblock = 0;

    find_labels(b, x);

    fprintf(raw, "# t_s\tcpu_user_s\tcpu_sys_s\trss_bytes\t(t from the end of the warmup; "
                 "CPU seconds cumulative)\n");
    fprintf(cpu, "# t_mid_s\tcpu_percent\t(CPU time over each window, %% of one core)\n");
    for (k = 0; k < b->nload; k++) {
        const struct load_rep *r = &b->load[k];
        double warm = load_warm_s(r), win;
        double ivs = (double)r->interval_ns / 1e9;
        size_t j;
        win = ivs > 0 && ivs < 0.5 ? ivs : 0.5;
        for (j = 0; j < r->nmon; j++) {
            const struct load_rep_mon *m = &r->mon[j];
            int server = !strcmp(m->label, "server"), pacer = !strcmp(m->label, "pacer");
            size_t lab = label_of(x, m->label);
            if (lab == MAXLABELS || x->nblocks == MAXBLOCKS)
                continue;
            if (nblock++) {
                fputs("\n\n", raw);
                fputs("\n\n", cpu);
            }
            x->blocks[x->nblocks].rep = k;
            x->blocks[x->nblocks].pacer = pacer;
            x->blocks[x->nblocks].label = lab;
            x->blocks[x->nblocks++].server = server;
            fprintf(raw, "# repetition %zu, %.*s\n", k + 1, (int)strcspn(m->label, "\r\n"),
                    m->label);
            fprintf(cpu, "# repetition %zu, %.*s\n", k + 1, (int)strcspn(m->label, "\r\n"),
                    m->label);
            x->have_server |= server;
            write_mon_rows(raw, m, warm, pacer, x);
            write_mon_cpu(cpu, m, warm, win, x);
        }
    }
    /* an empty file would make gnuplot fail: one row that draws nothing */
    if (!nblock) {
        fputs("NaN\tNaN\tNaN\tNaN\n", raw);
        fputs("NaN\tNaN\n", cpu);
    }
}

static const struct bench *find_load(const struct result *r, const char *name, struct err *e)
{
    size_t i, nload = 0;

    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        if (b->kind != KIND_LOAD || !b->nload)
            continue;
        nload++;
        if (!name || !strcmp(b->name, name))
            return b;
    }
    if (name)
        err_set(e, "no load benchmark named '%s' (%zu load benchmark%s)", name, nload,
                nload == 1 ? "" : "s");
    else
        err_set(e, "no load benchmark with a load record");
    return NULL;
}

void load_y_axis(FILE *f, double max, double div, const char *label)
{
    double top = max > 0 && isfinite(max) ? max / div * 1.15 : 1;

    fprintf(f, "set yrange [0:%.6g]\nset ytics %.6g\nset ylabel '%s'\n", top,
            gp_tic_step(top, 4), label);
}

static const char *rep_colour(size_t rep, size_t nrep, const char *one)
{
    return nrep > 1 ? gp_colours[rep % GP_NCOLOURS] : one;
}

/* The shape panel: asked (dashed) and achieved (solid), per repetition. */
static void shape_panel(FILE *f, const struct extent *x, size_t nrep, const char *ser)
{
    const char *sep = "plot ";
    size_t k;

    load_y_axis(f, x->shape, 1, x->shape_open ? "rate (req/s)" : "users");
    for (k = 0; k < nrep; k++, sep = ", \\\n     ")
        fprintf(f, "%s%s index %zu using 1:12 with steps lw 1 dt 2 lc '%s' title '%s', "
                   "\\\n     %s index %zu using 1:13 with steps lw 1.5 lc '%s' title '%s'",
                sep, ser, k, GP_GREY, k ? "" : "asked", ser, k,
                rep_colour(k, nrep, gp_colours[0]), k ? "" : x->shape_open ? "sent" : "in place");
    fputs("\nunset label 2\n", f);
}

/* The colour of monitor block k: with labelled processes each one's
 * (pacer grey), else each repetition's (the server blue, pacer grey). */
static const char *block_colour(const struct extent *x, size_t k, size_t nrep)
{
    if (x->blocks[k].pacer)
        return rep_colour(x->blocks[k].rep, nrep, GP_GREY);
    if (x->nlabels > 2)
        return gp_colours[x->blocks[k].label % GP_NCOLOURS];
    return rep_colour(x->blocks[k].rep, nrep, gp_colours[0]);
}

/* The CPU panel: a line per process tree (pacer dashed). */
static void cpu_panel(FILE *f, const struct extent *x, size_t nrep, const char *cpu)
{
    const char *sep = "plot ";
    char q[256];
    size_t k;

    load_y_axis(f, x->cpu, 1, "CPU (% of a core)");
    if (!x->have_cpu)
        fputs("set label 2 'no monitor' at graph 0.5, graph 0.5 center tc '#909090'\n", f);
    for (k = 0; k < x->nblocks; k++, sep = ", \\\n     ")
        fprintf(f, "%s%s index %zu using 1:2 with lines lw %s %s lc '%s' title %s", sep, cpu,
                k, x->blocks[k].pacer ? "1" : "1.5", x->blocks[k].pacer ? "dt 2" : "",
                block_colour(x, k, nrep),
                gp_quote(q, sizeof q,
                         x->blocks[k].rep == 0 ? x->labels[x->blocks[k].label] : ""));
    if (!x->nblocks)
        fprintf(f, "plot NaN notitle");
}

/* The RSS panel: every process tree but pacer (pacer alone when nothing
 * else was monitored). */
static void rss_panel(FILE *f, const struct extent *x, size_t nrep, const char *mon)
{
    const char *sep = "plot ";
    char q[256];
    size_t k;

    load_y_axis(f, x->rss, 1048576, x->nlabels > 2 ? "RSS (MiB)"
                                  : x->have_server ? "server RSS (MiB)" : "pacer RSS (MiB)");
    for (k = 0; k < x->nblocks; k++) {
        if (x->blocks[k].pacer != (x->nlabels == 1))
            continue;
        fprintf(f, "%s%s index %zu using 1:($4/1048576) with lines lw 1.5 lc '%s' ", sep, mon, k,
                block_colour(x, k, nrep));
        if (x->nlabels > 2 && x->blocks[k].rep == 0)
            fprintf(f, "title %s", gp_quote(q, sizeof q, x->labels[x->blocks[k].label]));
        else
            fputs("notitle", f);
        sep = ", \\\n     ";
    }
    if (!strcmp(sep, "plot "))
        fprintf(f, "plot NaN notitle");
}

/* The plot commands of one panel. */
static void panel(FILE *f, int which, const struct extent *x, size_t nrep, const char *ser,
                  const char *mon, const char *cpu, const struct gp_unit *ut,
                  const struct gp_unit *ul)
{
    char axis[64];
    const char *sep = "plot ";
    size_t k;

    switch (which) {
    case 0:
        snprintf(axis, sizeof axis, "throughput (%s)", ut->label);
        load_y_axis(f, x->tput, ut->div, axis);
        for (k = 0; k < nrep; k++, sep = ", \\\n     ") {
            fprintf(f, "%s%s index %zu using 1:($4/%.6g) with steps lw 1.5 lc '%s' ", sep, ser, k,
                    ut->div, rep_colour(k, nrep, gp_colours[0]));
            if (nrep > 1)
                fprintf(f, "title 'rep %zu'", k + 1);
            else
                fputs("notitle", f);
        }
        break;
    case 1:
        snprintf(axis, sizeof axis, "latency (%s)", ul->label);
        load_y_axis(f, x->lat, ul->div, axis);
        for (k = 0; k < nrep; k++, sep = ", \\\n     ")
            fprintf(f, "%s%s index %zu using 1:($7/%.6g) with steps lw 1.5 lc '%s' title '%s', "
                       "\\\n     %s index %zu using 1:($5/%.6g) with steps lw 1 dt 2 lc '%s' "
                       "title '%s'",
                    sep, ser, k, ul->div, rep_colour(k, nrep, gp_colours[0]), k ? "" : "p99", ser,
                    k, ul->div, rep_colour(k, nrep, gp_colours[0]), k ? "" : "p50");
        break;
    case 2:
        load_y_axis(f, x->err, 1, "errors/s");
        if (x->err <= 0)
            fputs("set label 2 'no errors' at graph 0.5, graph 0.5 center tc '#909090'\n", f);
        for (k = 0; k < nrep; k++, sep = ", \\\n     ")
            fprintf(f, "%s%s index %zu using 1:11 with steps lw 1.5 lc '%s' notitle", sep, ser,
                    k, rep_colour(k, nrep, GP_RED));
        break;
    case 3:
        cpu_panel(f, x, nrep, cpu);
        break;
    default:
        rss_panel(f, x, nrep, mon);
        break;
    }
    fputs("\nunset label 2\n", f);
}

/* Whether a repetition of b had a warmup. */
static int warmed_up(const struct bench *b)
{
    size_t k;

    for (k = 0; k < b->nload; k++)
        if (b->load[k].set.warmup_ns)
            return 1;
    return 0;
}

/* The picture's title: the benchmark, how it was loaded. */
static void make_title(const struct bench *b, char *title, size_t len)
{
    const struct load_settings *set = &b->load[0].set;
    double conns = set->connections;
    char shortn[200], how[64];

    gp_shorten(shortn, sizeof shortn, b->name, 90);
    if (set->nstages)
        snprintf(how, sizeof how, "%s in %zu stages", set->open ? "open loop" : "closed loop",
                 set->nstages);
    else if (set->open && set->rate > 0)
        snprintf(how, sizeof how, "open loop at %g/s", set->rate);
    else
        snprintf(how, sizeof how, "closed loop");
    snprintf(title, len, "%s\n%s, %g connection%s, %zu repetition%s", shortn, how, conns,
             conns == 1 ? "" : "s", b->nload, b->nload == 1 ? "" : "s");
}

/* The data file NAME-key.dat of g, quoted for gnuplot, into buf. */
static void dat_name(char *buf, size_t len, const struct gp *g, const char *key)
{
    char name[1024];

    snprintf(name, sizeof name, "%s-%s.dat", g->name, key);
    gp_quote(buf, len, name);
}

int plot_load(const struct result *r, const char *bench, const struct plot_opts *o,
              struct err *e)
{
    const struct bench *b = find_load(r, bench, e);
    struct extent x = {0};
    struct gp g;
    struct gp_data ds = {0}, dm = {0}, dc = {0}, dk = {0}, dn = {0};
    struct load_mon lm;
    struct gp_unit ut, ul;
    char title[1024], ser[1024], mon[1024], cpu[1024], q[1024];
    char kfile[1024], nfile[1024];
    size_t nrep;
    int npanels;
    int rc = -1, p;

    if (!b)
        return -1;
    nrep = b->nload;
    x.have_shape = b->load[0].set.nstages > 0;
    x.shape_open = b->load[0].set.open;
    make_title(b, title, sizeof title);
    /* the monitor's panels are there when the records have their data */
    load_mon_scan(b, &lm);
    npanels = NPANELS + x.have_shape + (lm.nkeys > 0) + lm.have_net;
    if (gp_open(&g, o, "load", 1000, 980 + 170 * (npanels - NPANELS), title, e) < 0)
        return -1;
    if (gp_data_open(&g, "series", &ds, e) < 0 || write_series(ds.f, b, &x, e) < 0 ||
        gp_data_close(&ds, e) < 0)
        goto out;
    if (gp_data_open(&g, "monitor", &dm, e) < 0 || gp_data_open(&g, "cpu", &dc, e) < 0)
        goto out;
    write_monitor(dm.f, dc.f, b, &x);
    if (gp_data_close(&dm, e) < 0 || gp_data_close(&dc, e) < 0)
        goto out;
    if (lm.nkeys || lm.have_net) {
        if (gp_data_open(&g, "conns", &dk, e) < 0 || gp_data_open(&g, "net", &dn, e) < 0)
            goto out;
        load_mon_write(dk.f, dn.f, b, &lm);
        if (gp_data_close(&dk, e) < 0 || gp_data_close(&dn, e) < 0)
            goto out;
    }
    dat_name(ser, sizeof ser, &g, "series");
    dat_name(mon, sizeof mon, &g, "monitor");
    dat_name(cpu, sizeof cpu, &g, "cpu");
    dat_name(kfile, sizeof kfile, &g, "conns");
    dat_name(nfile, sizeof nfile, &g, "net");
    gp_unit_pick("req/s", x.tput, &ut);
    gp_unit_pick("ns", x.lat, &ul);
    /* before 0 is the warmup; without one, only the monitor's first
     * samples (taken as the threads connect) fall there: not shown */
    x.t_lo = warmed_up(b) ? fmin(x.t_lo, 0) : 0;
    fprintf(g.f, "set border 3\nset xtics nomirror out\nset ytics nomirror out font ',9'\n"
                 "set grid xtics ytics\nset xrange [%.6g:%.6g]\nset format y '%%g'\n"
                 "set key outside right top vertical font ',8' samplen 2\n",
            x.t_lo, x.t_hi > 0 ? x.t_hi : 1);
    if (x.t_lo < 0)
        fprintf(g.f, "set object 1 rect from %.6g, graph 0 to 0, graph 1 fc '#eeeeee' "
                     "fs solid noborder behind\n"
                     "set label 1 'warmup' at %.6g, graph 0.88 center tc '#909090' font ',8'\n",
                x.t_lo, x.t_lo / 2);
    fprintf(g.f, "set multiplot layout %d,1 margins %.4f,%.4f,%.4f,%.4f spacing 0,%.4f", npanels,
            80.0 / g.width, 1 - 110.0 / g.width, 60.0 / g.height, 1 - 70.0 / g.height,
            14.0 / g.height);
    if (g.title)
        fprintf(g.f, " title %s font ',12'", gp_quote(q, sizeof q, g.title));
    fputc('\n', g.f);
    for (p = 0; p < npanels; p++) {
        fprintf(g.f, "\n%s\n", p == npanels - 1 ? "set format x '%g'\nset xlabel 'time (s)'"
                                                : "set format x ''\nset xlabel ''");
        if (x.have_shape && p == 0)
            shape_panel(g.f, &x, nrep, ser);
        else if (p - x.have_shape < NPANELS)
            panel(g.f, p - x.have_shape, &x, nrep, ser, mon, cpu, &ut, &ul);
        else if (lm.nkeys && p - x.have_shape == NPANELS)
            load_mon_conns_panel(g.f, &lm, nrep, kfile, x.labels, x.nlabels);
        else
            load_mon_net_panel(g.f, &lm, nrep, nfile);
        if (p == 0)
            fputs("unset label 1\n", g.f);
    }
    fputs("\nunset multiplot\n", g.f);
    rc = gp_run(&g, e);
out:
    if (ds.f)
        gp_data_close(&ds, NULL);
    if (dm.f)
        gp_data_close(&dm, NULL);
    if (dc.f)
        gp_data_close(&dc, NULL);
    if (dk.f)
        gp_data_close(&dk, NULL);
    if (dn.f)
        gp_data_close(&dn, NULL);
    gp_free(&g);
    return rc;
}
