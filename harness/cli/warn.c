/* warn.c: warnings about a finished benchmark (warn.h). */
#include "warn.h"

#include <math.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "harness/lib/stats.h"

/* The share of its time a counted loop (--mode instructions) waited, or
 * 0: the counts leave waiting out. */
static double waited(const struct bench *b)
{
    const struct metric *m = bench_metric(b, "waited");

    if (!b->unit || strcmp(b->unit, "instr") || !m || !m->nsamples)
        return 0;
    return stats_median(m->samples, m->nsamples);
}

static size_t outliers_of(const struct stats *st, size_t *severe)
{
    const struct outliers *o = &st->outliers;

    *severe = o->low_severe + o->high_severe;
    return o->low_mild + o->low_severe + o->high_mild + o->high_severe;
}

/* The time of one sample, or 0 when it is not a time. */
static double sample_ns(const struct bench *b)
{
    return b->unit && !strcmp(b->unit, "ns") ? b->st.median * (double)b->iterations : 0;
}

/* The median's CI as +-fraction of it. */
static double ci_half(const struct stats *st)
{
    return st->median > 0 && isfinite(st->ci_median.lo) && isfinite(st->ci_median.hi)
               ? (st->ci_median.hi - st->ci_median.lo) / 2 / st->median
               : NAN;
}

void warn_tally_init(struct warn_tally *t, const struct context *ctx, double cv_limit)
{
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    t->cv_limit = cv_limit;
}

/* b is of kind k with badness v (larger is worse): counted, and kept if it
 * is among the worst. */
static void note(struct warn_tally *t, enum warn_kind k, const struct bench *b, double v,
                 double aux)
{
    size_t have = t->n[k] < WARN_SHOWN ? t->n[k] : WARN_SHOWN, i;

    t->n[k]++;
    if (have == WARN_SHOWN && v <= t->worst[k][have - 1].v)
        return;
    i = have == WARN_SHOWN ? have - 1 : have;
    for (; i > 0 && t->worst[k][i - 1].v < v; i--)
        t->worst[k][i] = t->worst[k][i - 1];
    t->worst[k][i].b = b;
    t->worst[k][i].v = v;
    t->worst[k][i].aux = aux;
}

void warn_tally_add(struct warn_tally *t, const struct bench *b, double ci_target)
{
    const struct stats *st = &b->st;
    size_t nout, severe;
    double w, ns, half;

    if (b->error || st->n == 0)
        return;
    if (t->cv_limit > 0 && isfinite(st->cv) && st->cv > t->cv_limit)
        note(t, WARN_NOISY, b, st->cv, 0);
    nout = outliers_of(st, &severe);
    if (st->n >= 10 && ((double)nout > WARN_OUTLIER_FRACTION * (double)st->n ||
                        (double)severe > WARN_SEVERE_FRACTION * (double)st->n))
        note(t, WARN_OUTLIERS, b, (double)nout / (double)st->n, 0);
    ns = sample_ns(b);
    if (t->ctx && t->ctx->clock_resolution_ns > 0 && ns > 0 &&
        ns < WARN_RESOLUTION_FACTOR * t->ctx->clock_resolution_ns)
        note(t, WARN_SHORT, b, -ns, 0);
    if ((w = waited(b)) > WARN_WAITED)
        note(t, WARN_WAIT, b, w, 0);
    half = ci_half(st);
    if (ci_target > 0 && isfinite(half) && half > ci_target)
        note(t, WARN_CI, b, half / ci_target, ci_target);
}

/* The line for one benchmark of kind k. */
static void line_one(FILE *f, const struct warn_tally *t, enum warn_kind k,
                     const struct bench *b, double aux)
{
    const struct stats *st = &b->st;
    char s[32], r[32];
    size_t nout, severe;

    fprintf(f, "pacer: warning: %s: ", b->name);
    switch (k) {
    case WARN_NOISY:
        fprintf(f, "CV %.1f%% is above %.1f%%: the samples are noisy\n", 100 * st->cv,
                100 * t->cv_limit);
        break;
    case WARN_OUTLIERS:
        nout = outliers_of(st, &severe);
        fprintf(f, "%zu of %zu samples are outliers (%zu severe)\n", nout, st->n, severe);
        break;
    case WARN_SHORT:
        fprintf(f, "a sample lasts %s, under 1000 x the clock resolution (%s): raise "
                   "--sample-time\n", fmt_time(s, sizeof s, sample_ns(b)),
                fmt_time(r, sizeof r, t->ctx->clock_resolution_ns));
        break;
    case WARN_WAIT:
        fprintf(f, "its timed loop waited %.0f%% of its time (sleeps, I/O, locks): instruction "
                   "counts leave waiting out; wall time (--mode time) is the metric to watch "
                   "for it\n", 100 * waited(b));
        break;
    case WARN_CI:
        fprintf(f, "the median's 95%% CI is +-%.1f%% after %zu samples, above the --ci-target "
                   "of %.1f%%: give it more --budget or --processes\n", 100 * ci_half(st), st->n,
                100 * aux);
        break;
    default:
        break;
    }
}

/* The value shown beside a benchmark in a grouped line. */
static void value_of(char *buf, size_t len, enum warn_kind k, const struct bench *b)
{
    size_t severe;

    switch (k) {
    case WARN_NOISY:
        snprintf(buf, len, "%.1f%%", 100 * b->st.cv);
        break;
    case WARN_OUTLIERS:
        snprintf(buf, len, "%zu of %zu", outliers_of(&b->st, &severe), b->st.n);
        break;
    case WARN_SHORT:
        fmt_time(buf, len, sample_ns(b));
        break;
    case WARN_WAIT:
        snprintf(buf, len, "%.0f%%", 100 * waited(b));
        break;
    default:
        snprintf(buf, len, "+-%.1f%%", 100 * ci_half(&b->st));
        break;
    }
}

int warn_tally_print(FILE *f, const struct warn_tally *t)
{
    static const char *const what[WARN_KINDS] = {
        [WARN_NOISY] = "are noisy (CV above %.1f%%)",
        [WARN_OUTLIERS] = "have many outliers (over 20%% of their samples, or 10%% severe)",
        [WARN_SHORT] = "take samples under 1000 x the clock resolution",
        [WARN_WAIT] = "waited in their counted loops (sleeps, I/O, locks)",
        [WARN_CI] = "did not reach their --ci-target",
    };
    static const char *const advice[WARN_KINDS] = {
        [WARN_NOISY] = "each one's statistics are in the result",
        [WARN_OUTLIERS] = "each one's statistics are in the result",
        [WARN_SHORT] = "raise --sample-time",
        [WARN_WAIT] = "instruction counts leave waiting out; watch their wall time "
                      "(--mode time)",
        [WARN_CI] = "give them more --budget or --processes",
    };
    char v[48];
    int lines = 0;
    size_t i, shown;

    for (int k = 0; k < WARN_KINDS; k++) {
        if (t->n[k] == 0)
            continue;
        lines++;
        if (t->n[k] == 1) {
            line_one(f, t, (enum warn_kind)k, t->worst[k][0].b, t->worst[k][0].aux);
            continue;
        }
        fprintf(f, "pacer: warning: %zu benchmarks ", t->n[k]);
        fprintf(f, what[k], 100 * t->cv_limit);
        fputs(", the worst:", f);
        shown = t->n[k] < WARN_SHOWN ? t->n[k] : WARN_SHOWN;
        for (i = 0; i < shown; i++) {
            value_of(v, sizeof v, (enum warn_kind)k, t->worst[k][i].b);
            fprintf(f, "%s %s %s", i ? "," : "", t->worst[k][i].b->name, v);
        }
        fprintf(f, "%s; %s\n", t->n[k] > shown ? ", ..." : "", advice[k]);
    }
    return lines;
}

int warn_bench(FILE *f, const struct bench *b, const struct context *ctx, double cv_limit)
{
    struct warn_tally t;

    warn_tally_init(&t, ctx, cv_limit);
    warn_tally_add(&t, b, 0);
    return warn_tally_print(f, &t);
}
