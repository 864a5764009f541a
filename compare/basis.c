/* basis.c: comparing on wall time or on CPU time (basis.h). */
#include "basis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/stats.h"

/* The CPU times of b, one per sample, or NULL. */
static const struct metric *cpu_of(const struct bench *b)
{
    size_t i;

    for (i = 0; i < b->nmetrics; i++)
        if (!strcmp(b->metrics[i].name, BASIS_CPU_METRIC))
            return b->metrics[i].nsamples == b->nsamples && b->nsamples ? &b->metrics[i]
                                                                         : NULL;
    return NULL;
}

/* The least and the median wall / CPU over b's samples; 0 when a CPU time
 * is not above zero (then the side cannot be judged). */
static int wait_of(const struct bench *b, const struct metric *cpu, double *lo, double *q50)
{
    double *r = malloc(b->nsamples * sizeof *r);
    size_t i;

    if (!r)
        return 0;
    for (i = 0; i < b->nsamples; i++) {
        if (!(cpu->samples[i] > 0)) {
            free(r);
            return 0;
        }
        r[i] = b->samples[i] / cpu->samples[i];
    }
    stats_sort(r, b->nsamples);
    *lo = r[0];
    *q50 = stats_quantile_sorted(r, b->nsamples, 0.50);
    free(r);
    return 1;
}

void basis_pick(const struct bench *b, const struct bench *n, struct basis *out)
{
    const struct metric *cb = cpu_of(b), *cn = cpu_of(n);
    double b10, b50, n10, n50;

    out->base = b->samples;
    out->nw = n->samples;
    out->on_cpu = 0;
    out->wait_base = out->wait_new = NAN;
    if (!cb || !cn || !wait_of(b, cb, &b10, &b50) || !wait_of(n, cn, &n10, &n50))
        return;
    out->wait_base = b50 - 1;
    out->wait_new = n50 - 1;
    if (b10 < BASIS_TRACK_LO || b10 > BASIS_TRACK_HI || n10 < BASIS_TRACK_LO ||
        n10 > BASIS_TRACK_HI)
        return;
    out->base = cb->samples;
    out->nw = cn->samples;
    out->on_cpu = 1;
}
