/*
 * trend_detect.c: the change points of a trend's series, machine by
 * machine (trend.h).  The runs break where the fingerprint changes; each
 * series is cut at the breaks it crosses, change points are sought in
 * each piece apart (changepoint.h), and each break gets the levels of the
 * series either side of it, so that a change of machine is reported as
 * one and never as a change of the code.
 */
#include "trend_private.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Both NULL, or the same text. */
static int same_fp(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

int trend_find_machines(struct trend *t, struct err *e)
{
    size_t i, n = 0;

    for (i = 1; i < t->nruns; i++)
        n += !same_fp(t->runs[i - 1].fingerprint, t->runs[i].fingerprint);
    t->nmachines = 0;
    if (n == 0)
        return 0;
    if (!(t->machines = malloc(n * sizeof *t->machines)))
        return err_set(e, "out of memory");
    for (i = 1; i < t->nruns; i++)
        if (!same_fp(t->runs[i - 1].fingerprint, t->runs[i].fingerprint)) {
            struct trend_machine *m = &t->machines[t->nmachines++];

            m->run = i;
            m->from = t->runs[i - 1].fingerprint;
            m->to = t->runs[i].fingerprint;
        }
    return 0;
}

/* The points of s where a change of machine falls just before: the first
 * point at or after each change's run that is not before the previous
 * break, as indexes into s->breaks (levels filled later). */
static int find_breaks(const struct trend *t, struct trend_series *s)
{
    size_t m, i = 0;

    s->nbreaks = 0;
    if (t->nmachines == 0 || s->n == 0)
        return 0;
    if (!(s->breaks = calloc(t->nmachines, sizeof *s->breaks)))
        return -1;
    for (m = 0; m < t->nmachines; m++) {
        while (i < s->n && s->pts[i].run < t->machines[m].run)
            i++;
        if (i == 0 || i == s->n)
            continue;   /* the series has no point on one side */
        if (s->nbreaks && s->breaks[s->nbreaks - 1].index == i)
            continue;   /* two changes between two of its points: one break */
        s->breaks[s->nbreaks++].index = i;
    }
    return 0;
}

/* Append the change points of x[from..to) (indexes shifted by from) to
 * s->cps, which has room for them. */
static int detect_piece(const double *x, size_t from, size_t to, const struct cp_opts *o,
                        struct trend_series *s, size_t *cap, struct err *e)
{
    struct changepoint *cps;
    size_t n, i;

    if (cp_detect(x + from, to - from, o, &cps, &n, e) < 0)
        return -1;
    if (n && trend_grow((void **)&s->cps, cap, s->ncps + n, sizeof *s->cps) < 0) {
        free(cps);
        return err_set(e, "out of memory");
    }
    for (i = 0; i < n; i++) {
        cps[i].index += from;
        s->cps[s->ncps++] = cps[i];
    }
    free(cps);
    return 0;
}

/* The levels either side of each break: to the nearest change point or
 * break before and after it. */
static int break_levels(const double *x, struct trend_series *s, const struct cp_opts *o)
{
    size_t b, c = 0;

    for (b = 0; b < s->nbreaks; b++) {
        struct trend_break *k = &s->breaks[b];
        size_t from = b ? s->breaks[b - 1].index : 0, to = b + 1 < s->nbreaks
                                                            ? s->breaks[b + 1].index
                                                            : s->n;

        while (c < s->ncps && s->cps[c].index < k->index) {
            from = s->cps[c].index > from ? s->cps[c].index : from;
            c++;
        }
        if (c < s->ncps && s->cps[c].index < to)
            to = s->cps[c].index;
        k->before = cp_level(o, x + from, k->index - from);
        k->after = cp_level(o, x + k->index, to - k->index);
        if (isnan(k->before) || isnan(k->after))
            return -1;
        if (k->before != 0)
            k->change = k->after / k->before - 1;
        else
            k->change = k->after == 0 ? 0 : copysign(INFINITY, k->after);
        k->moved = fabs(k->change) >= o->min_magnitude;
    }
    return 0;
}

int trend_detect(const struct trend *t, struct trend_series *s, const double *x,
                 const struct cp_opts *o, struct err *e)
{
    size_t b, from = 0, cap = 0, min = cp_min_length(o);

    s->untested = 0;
    if (find_breaks(t, s) < 0)
        return err_set(e, "out of memory");
    for (b = 0; b <= s->nbreaks; b++) {
        size_t to = b < s->nbreaks ? s->breaks[b].index : s->n;

        if (to - from < min)
            s->untested += to - from;
        else if (detect_piece(x, from, to, o, s, &cap, e) < 0)
            return -1;
        from = to;
    }
    if (break_levels(x, s, o) < 0)
        return err_set(e, "out of memory");
    return 0;
}
