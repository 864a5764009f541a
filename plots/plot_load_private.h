/*
 * plot_load_private.h: what the load timeline (plot_load.c) shares with
 * its monitor panels (plot_load_mon.c): the connections of each monitored
 * process by port (stepped lines) and the machine's network in bytes per
 * second, drawn only when the records hold them (schema 1.11).
 */
#ifndef PACER_PLOT_LOAD_PRIVATE_H
#define PACER_PLOT_LOAD_PRIVATE_H

#include <stddef.h>
#include <stdio.h>

#include "harness/lib/err.h"
#include "harness/result/result.h"

/* The lines of the connections panel: the groups (process, in or out,
 * port) with most connections over every repetition. */
#define LOAD_MAXKEYS 6
struct load_key {
    const char *label;           /* borrowed from the records */
    int port, inbound;
    double max;
};
struct load_mon {
    size_t nkeys;
    struct load_key keys[LOAD_MAXKEYS];   /* most connections first */
    double conns_max;            /* connections */
    double net_max;              /* bytes/s */
    int have_net;
};

/* The time on the series' axis of a record's monitor rows start from: the
 * end of the warmup on the monitor's clock. */
double load_warm_s(const struct load_rep *r);

/* yrange [0:max] with about 4 tics, and the axis' label. */
void load_y_axis(FILE *f, double max, double div, const char *label);

/* The groups of b's connections and whether it has network rows into m
 * (no sizes: those load_mon_write finds). */
void load_mon_scan(const struct bench *b, struct load_mon *m);
/* Write b's connections (a block per repetition and group) to conns and
 * its network's rates (a block per repetition) to net; what they hold
 * into m. */
void load_mon_write(FILE *conns, FILE *net, const struct bench *b, struct load_mon *m);

/* The plot commands of the connections and of the network panels (data
 * files quoted for gnuplot).  A group's colour is its process's, by its
 * place in labels[0..nlabels) (as the CPU panel colours them), solid
 * inbound and dashed outbound. */
void load_mon_conns_panel(FILE *f, const struct load_mon *m, size_t nrep, const char *conns,
                          const char *const *labels, size_t nlabels);
void load_mon_net_panel(FILE *f, const struct load_mon *m, size_t nrep, const char *net);

#endif
