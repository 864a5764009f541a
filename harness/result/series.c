/* series.c: a growable array of doubles (series.h). */
#include "series.h"

#include <stdlib.h>

int series_add(struct series *s, double v)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        double *nx = realloc(s->x, ncap * sizeof *nx);
        if (!nx)
            return -1;
        s->x = nx;
        s->cap = ncap;
    }
    s->x[s->n++] = v;
    return 0;
}

int doubles_append(double **x, size_t *n, double v)
{
    double *nx = realloc(*x, (*n + 1) * sizeof *nx);

    if (!nx)
        return -1;
    nx[(*n)++] = v;
    *x = nx;
    return 0;
}
