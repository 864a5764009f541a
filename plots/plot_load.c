/*
 * plot_load.c: the timeline of one load benchmark (plot.h): stacked panels
 * on one time axis (seconds from the end of the warmup): throughput, p99
 * (and p50) latency, errors per second, the CPU of the server and of pacer
 * in % of one core, and the server's RSS.  Each repetition is one colour.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gp.h"
#include "plot.h"

#define NPANELS 5

#define MAXBLOCKS 64

/* What the data files hold, for the axes and the plot commands. */
struct extent {
    double t_lo, t_hi;          /* s */
    double tput, lat, err, cpu, rss;
    int have_server, have_cpu, have_rss;
    size_t nblocks;             /* monitor blocks (same in the cpu file) */
    struct {
        size_t rep;
        int server;             /* else pacer */
    } blocks[MAXBLOCKS];
};

static int col(const json_t *cols, const char *name)
{
    size_t i;
    const json_t *c;

    json_array_foreach(cols, i, c)
        if (json_is_string(c) && !strcmp(json_string_value(c), name))
            return (int)i;
    return -1;
}

static double cell(const json_t *row, int c)
{
    const json_t *v = c >= 0 ? json_array_get(row, (size_t)c) : NULL;

    return json_is_number(v) ? json_number_value(v) : NAN;
}

static double get_num(const json_t *o, const char *k1, const char *k2)
{
    const json_t *v = json_object_get(o, k1);

    if (k2)
        v = json_object_get(v, k2);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int table_ok(const json_t *t)
{
    return json_is_object(t) && json_is_array(json_object_get(t, "columns")) &&
           json_is_array(json_object_get(t, "rows"));
}

#define NSERIES 11

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

/* One block per repetition: the per-interval series with throughput and
 * errors per second beside the recorded columns. */
static int write_series(FILE *f, const struct bench *b, struct extent *x, struct err *e)
{
    const json_t *blk;
    size_t k;

    fprintf(f, "# t_s\tt_mid_s\trequests\tthroughput_per_s\tp50_ns\tp90_ns\tp99_ns\tp999_ns\t"
               "max_ns\terrors\terrors_per_s\n");
    json_array_foreach(b->load, k, blk) {
        const json_t *s = json_object_get(blk, "series"), *cols, *rows, *row;
        double last[NSERIES];
        double iv = get_num(s, "interval_ns", NULL) / 1e9;
        int ct, creq, cp[5], cerr[16], nerr = 0;
        size_t i, j;
        if (!table_ok(s) || !(iv > 0))
            return err_set(e, "%s: load[%zu].series: expected interval_ns, columns and rows",
                           b->name, k);
        cols = json_object_get(s, "columns");
        rows = json_object_get(s, "rows");
        ct = col(cols, "t");
        creq = col(cols, "requests");
        cp[0] = col(cols, "p50");
        cp[1] = col(cols, "p90");
        cp[2] = col(cols, "p99");
        cp[3] = col(cols, "p99.9");
        cp[4] = col(cols, "max");
        if (ct < 0 || creq < 0)
            return err_set(e, "%s: load[%zu].series.columns: no t or requests", b->name, k);
        json_array_foreach(cols, i, row)
            if (json_is_string(row) && !strncmp(json_string_value(row), "errors.", 7) && nerr < 16)
                cerr[nerr++] = (int)i;
        if (k)
            fputs("\n\n", f);
        fprintf(f, "# repetition %zu\n", k + 1);
        last[0] = NAN;
        json_array_foreach(rows, i, row) {
            double t = cell(row, ct), req = cell(row, creq), errs = 0, v[NSERIES];
            int c;
            if (!json_is_array(row) || !isfinite(t))
                return err_set(e, "%s: load[%zu].series.rows[%zu]: expected numbers", b->name,
                               k, i);
            for (c = 0; c < nerr; c++)
                errs += isfinite(cell(row, cerr[c])) ? cell(row, cerr[c]) : 0;
            v[0] = t;
            v[1] = t + iv / 2;
            v[2] = req;
            v[3] = req / iv;
            for (j = 0; j < 5; j++) /* 0: an interval without responses */
                v[4 + j] = cell(row, cp[j]) > 0 ? cell(row, cp[j]) : NAN;
            v[9] = errs;
            v[10] = errs / iv;
            put_row(f, v);
            memcpy(last, v, sizeof last);
            x->t_hi = fmax(x->t_hi, t + iv);
            x->tput = fmax(x->tput, isfinite(v[3]) ? v[3] : 0);
            x->lat = fmax(x->lat, fmax(isfinite(v[4]) ? v[4] : 0, isfinite(v[6]) ? v[6] : 0));
            x->err = fmax(x->err, v[10]);
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

/* Cumulative CPU seconds of a monitor table at time T (linear between
 * rows); NAN outside them. */
static double cpu_at(const json_t *rows, int ct, int cu, int cs, double T, double slack)
{
    size_t i, n = json_array_size(rows);
    double first = n ? cell(json_array_get(rows, 0), ct) : NAN;
    double lastt = n ? cell(json_array_get(rows, n - 1), ct) : NAN;

    /* the first and last rows stand for a little before and after them */
    if (T < first && T >= first - slack)
        T = first;
    if (T > lastt && T <= lastt + slack)
        T = lastt;
    for (i = 0; i + 1 < n; i++) {
        const json_t *a = json_array_get(rows, i), *b = json_array_get(rows, i + 1);
        double ta = cell(a, ct), tb = cell(b, ct);
        if (T >= ta && T <= tb && tb > ta) {
            double ca = cell(a, cu) + cell(a, cs), cb = cell(b, cu) + cell(b, cs);
            return ca + (cb - ca) * (T - ta) / (tb - ta);
        }
    }
    return NAN;
}

/* The monitor's rows (time moved to the series' axis) and its CPU use
 * over windows, one block per repetition and process tree. */
static int write_monitor(FILE *raw, FILE *cpu, const struct bench *b, struct extent *x,
                         struct err *e)
{
    const json_t *blk;
    size_t k, nblock = 0;

    fprintf(raw, "# t_s\tcpu_user_s\tcpu_sys_s\trss_bytes\t(t from the end of the warmup; "
                 "CPU seconds cumulative)\n");
    fprintf(cpu, "# t_mid_s\tcpu_percent\t(CPU time over each window, %% of one core)\n");
    json_array_foreach(b->load, k, blk) {
        const json_t *mon = json_object_get(blk, "monitor"), *m;
        const json_t *mw = json_object_get(blk, "monitor_window_s");
        double warm = get_num(blk, "settings", "warmup_ns") / 1e9, win, ivs;
        size_t j;
        /* the window's start on the monitor's clock, when recorded */
        if (json_is_number(json_array_get(mw, 0)))
            warm = json_number_value(json_array_get(mw, 0));
        ivs = get_num(json_object_get(blk, "series"), "interval_ns", NULL) / 1e9;
        win = isfinite(ivs) && ivs > 0 && ivs < 0.5 ? ivs : 0.5;
        if (!isfinite(warm))
            warm = 0;
        json_array_foreach(mon, j, m) {
            const char *label = json_string_value(json_object_get(m, "label"));
            const json_t *cols, *rows, *row;
            int ct, cu, cs, cr, server;
            double t0, t1, w;
            size_t i;
            if (!table_ok(m) || !label)
                return err_set(e, "%s: load[%zu].monitor[%zu]: expected label, columns and rows",
                               b->name, k, j);
            server = !strcmp(label, "server");
            if ((strcmp(label, "server") && strcmp(label, "pacer")) || x->nblocks == MAXBLOCKS)
                continue;
            cols = json_object_get(m, "columns");
            rows = json_object_get(m, "rows");
            ct = col(cols, "t");
            cu = col(cols, "cpu_user");
            cs = col(cols, "cpu_sys");
            cr = col(cols, "rss");
            if (ct < 0 || cu < 0 || cs < 0 || cr < 0)
                return err_set(e, "%s: load[%zu].monitor[%zu].columns: no t, cpu_user, cpu_sys "
                                  "or rss", b->name, k, j);
            if (nblock++) {
                fputs("\n\n", raw);
                fputs("\n\n", cpu);
            }
            x->blocks[x->nblocks].rep = k;
            x->blocks[x->nblocks++].server = server;
            fprintf(raw, "# repetition %zu, %s\n", k + 1, label);
            fprintf(cpu, "# repetition %zu, %s\n", k + 1, label);
            x->have_server |= server;
            json_array_foreach(rows, i, row) {
                double t = cell(row, ct) - warm, rss = cell(row, cr);
                gp_num(raw, t);
                fputc('\t', raw);
                gp_num(raw, cell(row, cu));
                fputc('\t', raw);
                gp_num(raw, cell(row, cs));
                fputc('\t', raw);
                gp_num(raw, rss >= 0 ? rss : NAN);
                fputc('\n', raw);
                x->t_lo = fmin(x->t_lo, t);
                if ((server || !x->have_server) && rss > 0) {
                    x->rss = fmax(x->rss, rss);
                    x->have_rss = 1;
                }
            }
            if (json_array_size(rows) < 2) {
                fputs("NaN\tNaN\n", cpu);   /* the block stays, empty */
                continue;
            }
            t0 = cell(json_array_get(rows, 0), ct) - warm;
            t1 = cell(json_array_get(rows, json_array_size(rows) - 1), ct) - warm;
            for (w = floor(t0 / win) * win; w < t1; w += win) {
                double a = cpu_at(rows, ct, cu, cs, w + warm, win / 4);
                double c = cpu_at(rows, ct, cu, cs, w + win + warm, win / 4);
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
    }
    /* an empty file would make gnuplot fail: one row that draws nothing */
    if (!nblock) {
        fputs("NaN\tNaN\tNaN\tNaN\n", raw);
        fputs("NaN\tNaN\n", cpu);
    }
    return 0;
}

static const struct bench *find_load(const struct result *r, const char *name, struct err *e)
{
    size_t i, nload = 0;

    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        if (b->kind != KIND_LOAD || !b->load)
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

/* yrange [0:max] with about 4 tics. */
static void y_axis(FILE *f, double max, double div, const char *label)
{
    double top = max > 0 && isfinite(max) ? max / div * 1.15 : 1;

    fprintf(f, "set yrange [0:%.6g]\nset ytics %.6g\nset ylabel '%s'\n", top,
            gp_tic_step(top, 4), label);
}

static const char *rep_colour(size_t rep, size_t nrep, const char *one)
{
    return nrep > 1 ? gp_colours[rep % GP_NCOLOURS] : one;
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
        y_axis(f, x->tput, ut->div, axis);
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
        y_axis(f, x->lat, ul->div, axis);
        for (k = 0; k < nrep; k++, sep = ", \\\n     ")
            fprintf(f, "%s%s index %zu using 1:($7/%.6g) with steps lw 1.5 lc '%s' title '%s', "
                       "\\\n     %s index %zu using 1:($5/%.6g) with steps lw 1 dt 2 lc '%s' "
                       "title '%s'",
                    sep, ser, k, ul->div, rep_colour(k, nrep, gp_colours[0]), k ? "" : "p99", ser,
                    k, ul->div, rep_colour(k, nrep, gp_colours[0]), k ? "" : "p50");
        break;
    case 2:
        y_axis(f, x->err, 1, "errors/s");
        if (x->err <= 0)
            fputs("set label 2 'no errors' at graph 0.5, graph 0.5 center tc '#909090'\n", f);
        for (k = 0; k < nrep; k++, sep = ", \\\n     ")
            fprintf(f, "%s%s index %zu using 1:11 with steps lw 1.5 lc '%s' notitle", sep, ser,
                    k, rep_colour(k, nrep, GP_RED));
        break;
    case 3:
        y_axis(f, x->cpu, 1, "CPU (% of a core)");
        if (!x->have_cpu)
            fputs("set label 2 'no monitor' at graph 0.5, graph 0.5 center tc '#909090'\n", f);
        for (k = 0; k < x->nblocks; k++, sep = ", \\\n     ")
            fprintf(f, "%s%s index %zu using 1:2 with lines lw %s %s lc '%s' title '%s'", sep, cpu,
                    k, x->blocks[k].server ? "1.5" : "1", x->blocks[k].server ? "" : "dt 2",
                    rep_colour(x->blocks[k].rep, nrep, x->blocks[k].server ? gp_colours[0] : GP_GREY),
                    x->blocks[k].rep == 0 ? (x->blocks[k].server ? "server" : "pacer") : "");
        if (!x->nblocks)
            fprintf(f, "plot NaN notitle");
        break;
    default:
        y_axis(f, x->rss, 1048576, x->have_server ? "server RSS (MiB)" : "pacer RSS (MiB)");
        for (k = 0; k < x->nblocks; k++) {
            if (x->blocks[k].server != x->have_server)
                continue;
            fprintf(f, "%s%s index %zu using 1:($4/1048576) with lines lw 1.5 lc '%s' notitle",
                    sep, mon, k, rep_colour(x->blocks[k].rep, nrep, gp_colours[0]));
            sep = ", \\\n     ";
        }
        if (!strcmp(sep, "plot "))
            fprintf(f, "plot NaN notitle");
        break;
    }
    fputs("\nunset label 2\n", f);
}

int plot_load(const struct result *r, const char *bench, const struct plot_opts *o,
              struct err *e)
{
    const struct bench *b = find_load(r, bench, e);
    struct extent x = {0};
    struct gp g;
    struct gp_data ds = {0}, dm = {0}, dc = {0};
    struct gp_unit ut, ul;
    char title[1024], ser[1024], mon[1024], cpu[1024], shortn[200], q[1024], how[64];
    const json_t *set;
    double rate, conns;
    size_t nrep;
    int rc = -1, p;
    const char *mode;

    if (!b)
        return -1;
    nrep = json_array_size(b->load);
    if (!nrep)
        return err_set(e, "%s: the load record is empty", b->name);
    set = json_object_get(json_array_get(b->load, 0), "settings");
    mode = json_string_value(json_object_get(set, "mode"));
    rate = get_num(set, "rate", NULL);
    conns = get_num(set, "connections", NULL);
    gp_shorten(shortn, sizeof shortn, b->name, 90);
    if (mode && !strcmp(mode, "open") && rate > 0)
        snprintf(how, sizeof how, "open loop at %g/s", rate);
    else
        snprintf(how, sizeof how, "closed loop");
    snprintf(title, sizeof title, "%s\n%s, %g connection%s, %zu repetition%s", shortn, how,
             isfinite(conns) ? conns : 0, conns == 1 ? "" : "s", nrep, nrep == 1 ? "" : "s");
    if (gp_open(&g, o, "load", 1000, 980, title, e) < 0)
        return -1;
    if (gp_data_open(&g, "series", &ds, e) < 0 || write_series(ds.f, b, &x, e) < 0 ||
        gp_data_close(&ds, e) < 0)
        goto out;
    if (gp_data_open(&g, "monitor", &dm, e) < 0 || gp_data_open(&g, "cpu", &dc, e) < 0 ||
        write_monitor(dm.f, dc.f, b, &x, e) < 0 || gp_data_close(&dm, e) < 0 ||
        gp_data_close(&dc, e) < 0)
        goto out;
    snprintf(title, sizeof title, "%s-series.dat", g.name);
    gp_quote(ser, sizeof ser, title);
    snprintf(title, sizeof title, "%s-monitor.dat", g.name);
    gp_quote(mon, sizeof mon, title);
    snprintf(title, sizeof title, "%s-cpu.dat", g.name);
    gp_quote(cpu, sizeof cpu, title);
    gp_unit_pick("req/s", x.tput, &ut);
    gp_unit_pick("ns", x.lat, &ul);
    x.t_lo = fmin(x.t_lo, 0);
    fprintf(g.f, "set border 3\nset xtics nomirror out\nset ytics nomirror out font ',9'\n"
                 "set grid xtics ytics\nset xrange [%.6g:%.6g]\nset format y '%%g'\n"
                 "set key outside right top vertical font ',8' samplen 2\n",
            x.t_lo, x.t_hi > 0 ? x.t_hi : 1);
    if (x.t_lo < 0)
        fprintf(g.f, "set object 1 rect from %.6g, graph 0 to 0, graph 1 fc '#eeeeee' "
                     "fs solid noborder behind\n"
                     "set label 1 'warmup' at %.6g, graph 0.88 center tc '#909090' font ',8'\n",
                x.t_lo, x.t_lo / 2);
    fprintf(g.f, "set multiplot layout %d,1 margins %.4f,%.4f,%.4f,%.4f spacing 0,%.4f", NPANELS,
            80.0 / g.width, 1 - 110.0 / g.width, 60.0 / g.height, 1 - 70.0 / g.height,
            14.0 / g.height);
    if (g.title)
        fprintf(g.f, " title %s font ',12'", gp_quote(q, sizeof q, g.title));
    fputc('\n', g.f);
    for (p = 0; p < NPANELS; p++) {
        fprintf(g.f, "\n%s\n", p == NPANELS - 1 ? "set format x '%g'\nset xlabel 'time (s)'"
                                                : "set format x ''\nset xlabel ''");
        panel(g.f, p, &x, nrep, ser, mon, cpu, &ut, &ul);
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
    gp_free(&g);
    return rc;
}
