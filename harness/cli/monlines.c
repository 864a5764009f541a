/* monlines.c: the monitor's lines of a load summary (monlines.h). */
#include "monlines.h"

#include <math.h>
#include <string.h>

#include "harness/lib/fmt.h"

/* "conns: 256 inbound :8080, 10 out :6379; 1 listening", each the most
 * seen in one sample. */
static void conns_line(FILE *f, const struct mon_row *rows, size_t n, double from, double to)
{
    struct mon_tcp_summary t;
    size_t i;

    mon_tcp_summarise(rows, n, from, to, &t);
    if (!t.rows)
        return;
    fprintf(f, "  %-12sconns:", "");
    if (!t.established_max)
        fputs(" none established", f);
    for (i = 0; i < t.nports; i++)
        fprintf(f, "%s %.0f %s :%d", i ? "," : "", t.ports[i].max,
                t.ports[i].inbound ? "inbound" : "out", (int)t.ports[i].port);
    if (t.other_max > 0)
        fprintf(f, ", %.0f closing or opening", t.other_max);
    if (t.listen_max > 0)
        fprintf(f, "; %.0f listening", t.listen_max);
    fputs(" (most in a sample)\n", f);
}

void monlines_proc(FILE *f, const char *label, const struct mon_row *rows, size_t n, int gone,
                   double from, double to)
{
    struct mon_series s = { (char *)label, 0, (struct mon_row *)rows, n, n, gone };
    struct mon_summary ms;
    char a[32];

    if (n < 2)
        return;
    mon_summarise(&s, from, to, &ms);
    fprintf(f, "  %-12sCPU %.2f cores mean, %.2f max; RSS %s max; %.0f threads, %.0f fds; "
               "%.0f context switches/s%s\n",
            label, ms.cpu_mean, ms.cpu_max, fmt_bytes(a, sizeof a, ms.rss_max), ms.threads_max,
            ms.fds_max, ms.ctxsw_per_s + ms.invol_ctxsw_per_s, gone ? " (it exited)" : "");
    conns_line(f, rows, n, from, to);
}

void monlines_net(FILE *f, const struct mon_net_row *rows, size_t n, double from, double to)
{
    struct mon_net_summary ns;
    char a[32], b[32], c[32];

    mon_net_summarise(rows, n, from, to, &ns);
    if (!(ns.duration > 0) || ns.lo_rx_bytes_per_s < 0)
        return;
    fprintf(f, "  %-12slo %s (%.0f packets/s); other interfaces %s in, %s out", "net",
            fmt_bytes_rate(a, sizeof a, ns.lo_rx_bytes_per_s), ns.lo_rx_packets_per_s,
            fmt_bytes_rate(b, sizeof b, ns.rx_bytes_per_s),
            fmt_bytes_rate(c, sizeof c, ns.tx_bytes_per_s));
    if (ns.time_wait_max >= 0)
        fprintf(f, "; %.0f TCP in TIME_WAIT", ns.time_wait_max);
    fputc('\n', f);
}

void monlines_monitor(FILE *f, const struct monitor *m, double from, double to)
{
    size_t i;

    for (i = 0; i < m->nseries; i++) {
        const struct mon_series *s = &m->series[i];

        if (strcmp(s->label, "pacer"))
            monlines_proc(f, s->label, s->rows, s->n, s->gone, from, to);
    }
    monlines_net(f, m->net.rows, m->net.n, from, to);
}

void monlines_rep(FILE *f, const struct load_rep *r)
{
    int known = isfinite(r->window_s[0]) && isfinite(r->window_s[1]);
    double from = known ? r->window_s[0] : 0, to = known ? r->window_s[1] : -1;
    size_t i;

    for (i = 0; i < r->nmon; i++) {
        const struct load_rep_mon *m = &r->mon[i];

        if (strcmp(m->label, "pacer"))
            monlines_proc(f, m->label, m->rows, m->nrows, m->gone, from, to);
    }
    monlines_net(f, r->net, r->nnet, from, to);
}
