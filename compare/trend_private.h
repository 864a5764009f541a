/*
 * trend_private.h: what the files of pacer trend (history.c, trend.c,
 * trend_detect.c) share: arrays that grow as the files are read, and the
 * detection machine by machine.
 */
#ifndef PACER_TREND_PRIVATE_H
#define PACER_TREND_PRIVATE_H

#include <stdlib.h>

#include "harness/lib/err.h"
#include "trend.h"

/* Room for need elements of size bytes in *v (capacity *cap, doubled from
 * 16 as needed).  0, or -1 when out of memory (*v is then left as it was). */
static inline int trend_grow(void **v, size_t *cap, size_t need, size_t size)
{
    size_t cap2;
    void *nv;

    if (need <= *cap)
        return 0;
    cap2 = *cap ? *cap : 16;
    while (cap2 < need)
        cap2 *= 2;
    nv = realloc(*v, cap2 * size);
    if (!nv)
        return -1;
    *v = nv;
    *cap = cap2;
    return 0;
}

/* The changes of machine between t's runs (in order) into t->machines
 * (new; the fingerprints are borrowed from t->runs).  -1 when out of
 * memory. */
int trend_find_machines(struct trend *t, struct err *e);

/* The change points of series s (values x[0..s->n), its points' values)
 * with o, sought on each machine's stretch of points apart, into s->cps;
 * the changes of machine s crosses into s->breaks with their levels;
 * s->untested the points on stretches shorter than cp_min_length(o).
 * t->machines must be found.  -1 with the cause in e (its cps and breaks
 * are s's to free either way). */
int trend_detect(const struct trend *t, struct trend_series *s, const double *x,
                 const struct cp_opts *o, struct err *e);

#endif
