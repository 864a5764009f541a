/*
 * plot_load_mon.c: the monitor's panels of the load timeline
 * (plot_load_private.h): the TCP connections of each monitored process by
 * port as stepped lines (one colour a group: "server in :8080", "app out
 * :6379", "redis in :6379"; the LOAD_MAXKEYS groups with most connections,
 * so the picture stays readable), and the network's bytes per second (lo,
 * and the other interfaces in and out) between the monitor's rows.
 */
#include <math.h>
#include <string.h>

#include "gp.h"
#include "harness/result/loadrep.h"
#include "plot_load_private.h"

/* The count of a group in one row's counts (0 when not among them). */
static double port_count(const struct mon_tcp *c, int port, int inbound)
{
    size_t i;

    for (i = 0; i < c->nports; i++)
        if (c->ports[i].port == port && c->ports[i].inbound == inbound)
            return (double)c->ports[i].count;
    return 0;
}

/* Add a group p of label to the keys (those with most connections kept). */
static void key_add(struct load_mon *m, const char *label, const struct mon_port *p)
{
    size_t i, low = 0;

    for (i = 0; i < m->nkeys; i++)
        if (m->keys[i].port == p->port && m->keys[i].inbound == p->inbound &&
            !strcmp(m->keys[i].label, label)) {
            m->keys[i].max = fmax(m->keys[i].max, (double)p->count);
            return;
        }
    if (m->nkeys < LOAD_MAXKEYS) {
        low = m->nkeys++;
    } else {
        for (i = 1; i < m->nkeys; i++)
            if (m->keys[i].max < m->keys[low].max)
                low = i;
        if (m->keys[low].max >= (double)p->count)
            return;
    }
    m->keys[low].label = label;
    m->keys[low].port = p->port;
    m->keys[low].inbound = p->inbound;
    m->keys[low].max = (double)p->count;
}

/* The groups of every process but pacer (whose connections are the
 * load's), over every repetition. */
static void find_keys(const struct bench *b, struct load_mon *m)
{
    size_t k, j, i, q;

    for (k = 0; k < b->nload; k++)
        for (j = 0; j < b->load[k].nmon; j++) {
            const struct load_rep_mon *mon = &b->load[k].mon[j];

            if (!strcmp(mon->label, "pacer"))
                continue;
            for (i = 0; i < mon->nrows; i++)
                for (q = 0; q < mon->rows[i].tcp.nports && mon->rows[i].tcp.known; q++)
                    key_add(m, mon->label, &mon->rows[i].tcp.ports[q]);
        }
}

static const struct load_rep_mon *mon_of(const struct load_rep *r, const char *label)
{
    size_t j;

    for (j = 0; j < r->nmon; j++)
        if (!strcmp(r->mon[j].label, label))
            return &r->mon[j];
    return NULL;
}

/* One block: a group's connections at each row that has them. */
static void write_key(FILE *f, const struct load_rep *r, size_t k, const struct load_mon *m,
                      size_t key)
{
    const struct load_rep_mon *mon = mon_of(r, m->keys[key].label);
    double warm = load_warm_s(r);
    size_t i, n = 0;

    fprintf(f, "# repetition %zu, %.*s %s :%d\n", k + 1,
            (int)strcspn(m->keys[key].label, "\r\n"), m->keys[key].label,
            m->keys[key].inbound ? "in" : "out", m->keys[key].port);
    for (i = 0; mon && i < mon->nrows; i++) {
        const struct mon_row *row = &mon->rows[i];
        double v = row->tcp.known
                       ? port_count(&row->tcp, m->keys[key].port, m->keys[key].inbound)
                       : NAN;

        gp_num(f, row->t - warm);
        fputc('\t', f);
        gp_num(f, v);
        fputc('\n', f);
        n++;
    }
    if (!n)
        fputs("NaN\tNaN\n", f);   /* the block stays, empty */
}

/* One block: the rates between the network's rows of a repetition. */
static void write_net(FILE *f, const struct load_rep *r, size_t k, struct load_mon *m)
{
    double warm = load_warm_s(r);
    size_t i, n = 0;

    fprintf(f, "# repetition %zu\n", k + 1);
    for (i = 0; i + 1 < r->nnet; i++) {
        const struct mon_net_row *a = &r->net[i], *b = &r->net[i + 1];
        double dt = b->t - a->t, v[5];
        int64_t from[4] = {a->lo_rx_bytes, a->lo_tx_bytes, a->rx_bytes, a->tx_bytes};
        int64_t to[4] = {b->lo_rx_bytes, b->lo_tx_bytes, b->rx_bytes, b->tx_bytes};
        size_t c;

        if (!(dt > 0))
            continue;
        v[0] = (a->t + b->t) / 2 - warm;
        for (c = 0; c < 4; c++) {
            v[c + 1] = from[c] >= 0 && to[c] >= from[c] ? (double)(to[c] - from[c]) / dt : NAN;
            if (isfinite(v[c + 1]))
                m->net_max = fmax(m->net_max, v[c + 1]);
        }
        gp_nums(f, v, 5);
        fputc('\n', f);
        n++;
        m->have_net = 1;
    }
    if (!n)
        fputs("NaN\tNaN\tNaN\tNaN\tNaN\n", f);
}

void load_mon_scan(const struct bench *b, struct load_mon *m)
{
    size_t k, i;

    memset(m, 0, sizeof *m);
    find_keys(b, m);
    /* most connections first (an insertion sort: keeps the order of ties) */
    for (i = 1; i < m->nkeys; i++)
        for (k = i; k > 0 && m->keys[k].max > m->keys[k - 1].max; k--) {
            struct load_key t = m->keys[k];
            m->keys[k] = m->keys[k - 1];
            m->keys[k - 1] = t;
        }
    for (k = 0; k < b->nload; k++)
        m->have_net |= b->load[k].nnet > 1;
}

void load_mon_write(FILE *conns, FILE *net, const struct bench *b, struct load_mon *m)
{
    size_t k, j;

    load_mon_scan(b, m);
    for (j = 0; j < m->nkeys; j++)
        m->conns_max = fmax(m->conns_max, m->keys[j].max);
    fprintf(conns, "# t_s\tconnections\t(established, a block per repetition and group; "
                   "t from the end of the warmup)\n");
    fprintf(net, "# t_mid_s\tlo_rx_bytes_per_s\tlo_tx_bytes_per_s\tother_rx_bytes_per_s\t"
                 "other_tx_bytes_per_s\n");
    for (k = 0; k < b->nload; k++) {
        for (j = 0; j < m->nkeys; j++) {
            if (k || j)
                fputs("\n\n", conns);
            write_key(conns, &b->load[k], k, m, j);
        }
        if (k)
            fputs("\n\n", net);
        write_net(net, &b->load[k], k, m);
    }
    if (!m->nkeys)
        fputs("NaN\tNaN\n", conns);
}

void load_mon_conns_panel(FILE *f, const struct load_mon *m, size_t nrep, const char *conns,
                          const char *const *labels, size_t nlabels)
{
    const char *sep = "plot ";
    size_t k, j, c;

    load_y_axis(f, m->conns_max, 1, "TCP connections");
    for (k = 0; k < nrep; k++)
        for (j = 0; j < m->nkeys; j++, sep = ", \\\n     ") {
            for (c = 0; c < nlabels && strcmp(labels[c], m->keys[j].label); c++)
                ;
            fprintf(f, "%s%s index %zu using 1:2 with steps lw 1.5 %slc '%s' ", sep, conns,
                    k * m->nkeys + j, m->keys[j].inbound ? "" : "dt 2 ",
                    gp_colours[(c < nlabels ? c : j) % GP_NCOLOURS]);
            if (k == 0) {
                char t[128], q[256];

                snprintf(t, sizeof t, "%s %s :%d", m->keys[j].label,
                         m->keys[j].inbound ? "in" : "out", m->keys[j].port);
                fprintf(f, "title %s", gp_quote(q, sizeof q, t));
            } else {
                fputs("notitle", f);
            }
        }
    fputs("\n", f);
}

void load_mon_net_panel(FILE *f, const struct load_mon *m, size_t nrep, const char *net)
{
    static const struct {
        int col;
        const char *title, *dash;
        int colour;
    } lines[] = {{2, "lo", "", 0}, {4, "other in", "", 1}, {5, "other out", "dt 2 ", 1}};
    struct gp_unit u;
    char axis[64];
    const char *sep = "plot ";
    size_t k, i;

    gp_unit_pick("bytes/s", m->net_max, &u);
    snprintf(axis, sizeof axis, "network (%s)", u.label);
    load_y_axis(f, m->net_max, u.div, axis);
    for (k = 0; k < nrep; k++)
        for (i = 0; i < sizeof lines / sizeof *lines; i++, sep = ", \\\n     ")
            fprintf(f, "%s%s index %zu using 1:($%d/%.6g) with lines lw 1.5 %slc '%s' title '%s'",
                    sep, net, k, lines[i].col, u.div, lines[i].dash,
                    gp_colours[lines[i].colour], k ? "" : lines[i].title);
    fputs("\n", f);
}
