/*
 * liveview.h: the live view of a load run: one line a second on stderr
 * (elapsed, users or rate, req/s, p50 and p99 of that second, errors, and
 * failed checks when there are any), fed by load_opts.progress.  On a
 * terminal the line is replaced in place; elsewhere it is appended, one a
 * second, only when asked (--progress), so logs and pipes stay clean.
 */
#ifndef PACER_LIVEVIEW_H
#define PACER_LIVEVIEW_H

#include <stdio.h>

#include "harness/load/loadgen.h"

enum live_mode { LIVE_OFF, LIVE_INPLACE, LIVE_APPEND };

struct liveview {
    FILE *f;
    enum live_mode mode;
    int open;                    /* an open loop: show the rate, not users */
    int shown;                   /* a line is on the terminal, to clear */
};

/* The mode for stream f: off when quiet; in place on a terminal; appended
 * elsewhere when asked (progress), else off. */
enum live_mode liveview_mode(FILE *f, int quiet, int progress);
/* Ready v for a run with options o, and set o->progress to show its
 * intervals on v (nothing when mode is LIVE_OFF). */
void liveview_attach(struct liveview *v, FILE *f, enum live_mode mode, struct load_opts *o);
/* The run is over: clear the line left in place. */
void liveview_end(struct liveview *v);
/* One interval to v (arg), as load_opts.progress. */
void liveview_interval(void *arg, const struct load_interval *iv, double span_s);

#endif
