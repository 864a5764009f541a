/*
 * trend_private.h: what the files of pacer trend (history.c, trend.c)
 * share: arrays that grow as the files are read.
 */
#ifndef PACER_TREND_PRIVATE_H
#define PACER_TREND_PRIVATE_H

#include <stdlib.h>

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

#endif
