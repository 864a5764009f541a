/*
 * monlines.h: the monitor's lines of a load summary: one per monitored
 * process tree (the server, each labelled process: CPU, RSS, threads,
 * fds, context switches, and its TCP connections by port) and one for the
 * machine's network, over the measured window.  What `pacer load` prints
 * after a run and `pacer show` prints from a result's load records.
 */
#ifndef PACER_MONLINES_H
#define PACER_MONLINES_H

#include <stdio.h>

#include "harness/load/monitor.h"
#include "harness/result/loadrep.h"

/* The lines of one tree (rows[0..n), gone: it exited) over the rows with
 * t in [from, to] (to < 0: to the end): nothing with fewer than two. */
void monlines_proc(FILE *f, const char *label, const struct mon_row *rows, size_t n, int gone,
                   double from, double to);
/* The network's line, as above. */
void monlines_net(FILE *f, const struct mon_net_row *rows, size_t n, double from, double to);
/* Every line of a live monitor (pacer's own tree left out: it is the
 * generator's line). */
void monlines_monitor(FILE *f, const struct monitor *m, double from, double to);
/* Every line of a load record, over its window (all its rows in blocks
 * that predate the window). */
void monlines_rep(FILE *f, const struct load_rep *r);

#endif
