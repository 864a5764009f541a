/* warn.c: warnings about a finished benchmark (warn.h). */
#include "warn.h"

#include <math.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "harness/lib/stats.h"

/* Counted samples (--mode instructions) whose loop waited: the counts
 * leave the waiting out. */
static int warn_waited(FILE *f, const struct bench *b)
{
    const struct metric *m = bench_metric(b, "waited");

    if (!b->unit || strcmp(b->unit, "instr") || !m || !m->nsamples)
        return 0;
    if (stats_median(m->samples, m->nsamples) <= WARN_WAITED)
        return 0;
    fprintf(f, "pacer: warning: %s: its timed loop waited %.0f%% of its time (sleeps, I/O, "
               "locks): instruction counts leave waiting out; wall time (--mode time) is the "
               "metric to watch for it\n", b->name,
            100 * stats_median(m->samples, m->nsamples));
    return 1;
}

int warn_bench(FILE *f, const struct bench *b, const struct context *ctx, double cv_limit)
{
    const struct stats *st = &b->st;
    const struct outliers *o = &st->outliers;
    size_t nout = o->low_mild + o->low_severe + o->high_mild + o->high_severe;
    int n = 0;

    if (b->error || st->n == 0)
        return 0;
    if (cv_limit > 0 && isfinite(st->cv) && st->cv > cv_limit) {
        fprintf(f, "pacer: warning: %s: CV %.1f%% is above %.1f%%: the samples are noisy\n",
                b->name, 100 * st->cv, 100 * cv_limit);
        n++;
    }
    if (st->n >= 10 && ((double)nout > WARN_OUTLIER_FRACTION * (double)st->n ||
                        (double)(o->low_severe + o->high_severe) >
                            WARN_SEVERE_FRACTION * (double)st->n)) {
        fprintf(f, "pacer: warning: %s: %zu of %zu samples are outliers (%zu severe)\n", b->name,
                nout, st->n, o->low_severe + o->high_severe);
        n++;
    }
    if (ctx && ctx->clock_resolution_ns > 0 && b->unit && !strcmp(b->unit, "ns")) {
        double sample_ns = st->median * (double)b->iterations;
        if (sample_ns < WARN_RESOLUTION_FACTOR * ctx->clock_resolution_ns) {
            char s[32], r[32];
            fprintf(f,
                    "pacer: warning: %s: a sample lasts %s, under 1000 x the clock resolution "
                    "(%s): raise --sample-time\n",
                    b->name, fmt_time(s, sizeof s, sample_ns),
                    fmt_time(r, sizeof r, ctx->clock_resolution_ns));
            n++;
        }
    }
    n += warn_waited(f, b);
    return n;
}
