/* series.h: a growable array of doubles: samples as they come in. */
#ifndef PACER_SERIES_H
#define PACER_SERIES_H

#include <stddef.h>

struct series {
    double *x;      /* owned; hand it on and set it NULL to keep it */
    size_t n, cap;
};

/* Append v; 0, or -1 when out of memory (the series is unchanged). */
int series_add(struct series *s, double v);

/* Append v to a plain array of *n doubles (grown by one); 0, or -1 when out
 * of memory (unchanged). */
int doubles_append(double **x, size_t *n, double v);

#endif
