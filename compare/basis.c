/* basis.c: comparing on wall time or on CPU time (basis.h). */
#include "basis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/stats.h"

/* b's metric `name`, one value per sample, or NULL. */
static const struct metric *per_sample(const struct bench *b, const char *name)
{
    size_t i;

    for (i = 0; i < b->nmetrics; i++)
        if (!strcmp(b->metrics[i].name, name))
            return b->metrics[i].nsamples == b->nsamples && b->nsamples ? &b->metrics[i]
                                                                         : NULL;
    return NULL;
}

/* Whether b's samples are its own CPU work, and the median wall / CPU
 * (*q50).  Its least wall / CPU is within the band: it ran undisturbed
 * at least once and then took the time it computed; or, where the run
 * recorded each sample's wait for a core, that least is not below the
 * band (no threads working in parallel) and with the wait taken off, the
 * median sample's wall time is within the band of its CPU time (no
 * sleeping, no I/O: the rest of its wall time was the wait).  The median,
 * as the wait is read around the whole call of the benchmark and may hold
 * a little of its untimed setup.  -1 when a CPU time is not above zero
 * (then the side cannot be judged). */
static int cpu_work(const struct bench *b, const struct metric *cpu, const struct metric *wait,
                    double *q50)
{
    double *r = malloc(2 * b->nsamples * sizeof *r), *own, lo;
    size_t i;
    int yes;

    if (!r)
        return -1;
    own = r + b->nsamples;
    for (i = 0; i < b->nsamples; i++) {
        if (!(cpu->samples[i] > 0)) {
            free(r);
            return -1;
        }
        r[i] = b->samples[i] / cpu->samples[i];
        if (wait)
            own[i] = (b->samples[i] - wait->samples[i]) / cpu->samples[i];
    }
    stats_sort(r, b->nsamples);
    lo = r[0];
    *q50 = stats_quantile_sorted(r, b->nsamples, 0.50);
    yes = lo >= BASIS_TRACK_LO && lo <= BASIS_TRACK_HI;
    if (!yes && wait && lo >= BASIS_TRACK_LO) {
        stats_sort(own, b->nsamples);
        yes = stats_quantile_sorted(own, b->nsamples, 0.50) <= BASIS_TRACK_HI;
    }
    free(r);
    return yes;
}

void basis_pick(const struct bench *b, const struct bench *n, struct basis *out)
{
    const struct metric *cb = per_sample(b, BASIS_CPU_METRIC), *cn = per_sample(n, BASIS_CPU_METRIC);
    const struct metric *wb = per_sample(b, BASIS_WAIT_METRIC);
    const struct metric *wn = per_sample(n, BASIS_WAIT_METRIC);
    double b50, n50;
    int bw, nw;

    out->base = b->samples;
    out->nw = n->samples;
    out->on_cpu = 0;
    out->wait_base = out->wait_new = NAN;
    if (!cb || !cn || (bw = cpu_work(b, cb, wb, &b50)) < 0 || (nw = cpu_work(n, cn, wn, &n50)) < 0)
        return;
    out->wait_base = b50 - 1;
    out->wait_new = n50 - 1;
    if (!bw || !nw)
        return;
    out->base = cb->samples;
    out->nw = cn->samples;
    out->on_cpu = 1;
}
