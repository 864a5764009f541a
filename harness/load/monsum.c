/*
 * monsum.c: what the monitor's series come to over a window (monitor.h):
 * a process tree's CPU, memory, switches and I/O (mon_summarise), its
 * connections by port (mon_tcp_summarise), and the network's rates
 * (mon_net_summarise).
 */
#include "monitor.h"

#include <stdlib.h>
#include <string.h>

static double row_cpu(const struct mon_row *r)
{
    return r->cpu_user + r->cpu_sys;
}

/* Means of levels (RSS) are over the rows, which are evenly spaced; rates
 * are the change between the first and the last row over the time between
 * them; ctxsw_per_s counts both kinds.  Fewer than two rows give rates of
 * 0 (I/O: -1) and duration 0. */
void mon_summarise(const struct mon_series *s, double from, double to, struct mon_summary *out)
{
    const struct mon_row *a, *b;
    size_t lo = 0, hi, k;
    double rss_sum = 0, dt;
    int have_max = 0;

    memset(out, 0, sizeof *out);
    out->read_bytes_per_s = out->write_bytes_per_s = -1;
    while (lo < s->n && s->rows[lo].t < from)
        lo++;
    for (hi = lo; hi < s->n && (to < 0 || s->rows[hi].t <= to); hi++)
        ;
    if (hi == lo)
        return;
    a = &s->rows[lo];
    b = &s->rows[hi - 1];
    out->rss_max = (double)a->rss;
    out->threads_max = (double)a->threads;
    out->fds_max = (double)a->fds;
    for (k = lo; k < hi; k++) {
        const struct mon_row *r = &s->rows[k];

        rss_sum += (double)r->rss;
        if ((double)r->rss > out->rss_max)
            out->rss_max = (double)r->rss;
        if ((double)r->threads > out->threads_max)
            out->threads_max = (double)r->threads;
        if ((double)r->fds > out->fds_max)
            out->fds_max = (double)r->fds;
        if (k > lo && r->t > r[-1].t) {
            double c = (row_cpu(r) - row_cpu(&r[-1])) / (r->t - r[-1].t);

            if (!have_max || c > out->cpu_max)
                out->cpu_max = c;
            have_max = 1;
        }
    }
    out->rss_mean = rss_sum / (double)(hi - lo);
    dt = b->t - a->t;
    out->duration = dt;
    if (dt <= 0)
        return;
    out->cpu_mean = (row_cpu(b) - row_cpu(a)) / dt;
    out->cpu_user_mean = (b->cpu_user - a->cpu_user) / dt;
    out->cpu_sys_mean = (b->cpu_sys - a->cpu_sys) / dt;
    if (a->vol_ctxsw >= 0 && a->invol_ctxsw >= 0 && b->vol_ctxsw >= 0 && b->invol_ctxsw >= 0) {
        out->ctxsw_per_s = (double)((b->vol_ctxsw + b->invol_ctxsw) -
                                    (a->vol_ctxsw + a->invol_ctxsw)) / dt;
        out->invol_ctxsw_per_s = (double)(b->invol_ctxsw - a->invol_ctxsw) / dt;
    }
    if (a->read_bytes >= 0 && b->read_bytes >= 0)
        out->read_bytes_per_s = (double)(b->read_bytes - a->read_bytes) / dt;
    if (a->write_bytes >= 0 && b->write_bytes >= 0)
        out->write_bytes_per_s = (double)(b->write_bytes - a->write_bytes) / dt;
}

/* The rows [*lo, *hi) with t in [from, to]. */
#define WINDOW(rows, n, from, to, lo, hi)                                        \
    do {                                                                         \
        for ((lo) = 0; (lo) < (n) && (rows)[lo].t < (from); (lo)++)              \
            ;                                                                    \
        for ((hi) = (lo); (hi) < (n) && ((to) < 0 || (rows)[hi].t <= (to)); (hi)++) \
            ;                                                                    \
    } while (0)

/* The slot of a port group in out, added when new and there is room;
 * NULL when full. */
static size_t port_slot(struct mon_tcp_summary *out, const struct mon_port *p, size_t cap,
                        int32_t (*keys)[2], double *sum, double *max)
{
    size_t i;

    for (i = 0; i < out->nports; i++)
        if (keys[i][0] == p->port && keys[i][1] == p->inbound)
            return i;
    if (out->nports == cap)
        return cap;
    keys[i][0] = p->port;
    keys[i][1] = p->inbound;
    sum[i] = max[i] = 0;
    out->nports++;
    return i;
}

static int by_max(const void *a, const void *b)
{
    const double *x = a, *y = b;   /* max, mean, port, inbound */

    if (x[0] != y[0])
        return (x[0] < y[0]) - (x[0] > y[0]);
    if (x[3] != y[3])
        return (x[3] < y[3]) - (x[3] > y[3]);
    return (x[2] > y[2]) - (x[2] < y[2]);
}

void mon_tcp_summarise(const struct mon_row *rows, size_t n, double from, double to,
                       struct mon_tcp_summary *out)
{
    enum { CAP = 64 };
    int32_t keys[CAP][2];
    double sum[CAP], max[CAP], sorted[CAP][4], est = 0;
    size_t lo, hi, k, i;

    memset(out, 0, sizeof *out);
    WINDOW(rows, n, from, to, lo, hi);
    for (k = lo; k < hi; k++) {
        const struct mon_tcp *c = &rows[k].tcp;

        if (!c->known)
            continue;
        out->rows++;
        est += (double)c->established;
        if ((double)c->listen > out->listen_max)
            out->listen_max = (double)c->listen;
        if ((double)c->established > out->established_max)
            out->established_max = (double)c->established;
        if ((double)c->other > out->other_max)
            out->other_max = (double)c->other;
        for (i = 0; i < c->nports && i < MON_NPORTS; i++) {
            size_t s = port_slot(out, &c->ports[i], CAP, keys, sum, max);

            if (s == CAP)
                continue;
            sum[s] += (double)c->ports[i].count;
            if ((double)c->ports[i].count > max[s])
                max[s] = (double)c->ports[i].count;
        }
    }
    if (!out->rows)
        return;
    out->established_mean = est / (double)out->rows;
    for (i = 0; i < out->nports; i++) {
        sorted[i][0] = max[i];
        sorted[i][1] = sum[i] / (double)out->rows;
        sorted[i][2] = keys[i][0];
        sorted[i][3] = keys[i][1];
    }
    qsort(sorted, out->nports, sizeof *sorted, by_max);
    if (out->nports > MON_NPORTS)
        out->nports = MON_NPORTS;
    for (i = 0; i < out->nports; i++) {
        out->ports[i].max = sorted[i][0];
        out->ports[i].mean = sorted[i][1];
        out->ports[i].port = (int32_t)sorted[i][2];
        out->ports[i].inbound = (int32_t)sorted[i][3];
    }
}

/* (b - a) / dt, -1 when either is unknown. */
static double rate(int64_t a, int64_t b, double dt)
{
    return a < 0 || b < 0 ? -1 : (double)(b - a) / dt;
}

void mon_net_summarise(const struct mon_net_row *rows, size_t n, double from, double to,
                       struct mon_net_summary *out)
{
    const struct mon_net_row *a, *b;
    size_t lo, hi, k;
    double dt;

    memset(out, 0, sizeof *out);
    out->lo_rx_bytes_per_s = out->lo_tx_bytes_per_s = -1;
    out->lo_rx_packets_per_s = out->lo_tx_packets_per_s = -1;
    out->rx_bytes_per_s = out->tx_bytes_per_s = out->rx_packets_per_s = -1;
    out->tx_packets_per_s = out->time_wait_max = -1;
    WINDOW(rows, n, from, to, lo, hi);
    for (k = lo; k < hi; k++)
        if ((double)rows[k].time_wait > out->time_wait_max)
            out->time_wait_max = (double)rows[k].time_wait;
    if (hi - lo < 2)
        return;
    a = &rows[lo];
    b = &rows[hi - 1];
    dt = b->t - a->t;
    if (!(dt > 0))
        return;
    out->duration = dt;
    out->lo_rx_bytes_per_s = rate(a->lo_rx_bytes, b->lo_rx_bytes, dt);
    out->lo_tx_bytes_per_s = rate(a->lo_tx_bytes, b->lo_tx_bytes, dt);
    out->lo_rx_packets_per_s = rate(a->lo_rx_packets, b->lo_rx_packets, dt);
    out->lo_tx_packets_per_s = rate(a->lo_tx_packets, b->lo_tx_packets, dt);
    out->rx_bytes_per_s = rate(a->rx_bytes, b->rx_bytes, dt);
    out->tx_bytes_per_s = rate(a->tx_bytes, b->tx_bytes, dt);
    out->rx_packets_per_s = rate(a->rx_packets, b->rx_packets, dt);
    out->tx_packets_per_s = rate(a->tx_packets, b->tx_packets, dt);
}
