/*
 * stage.c: load shapes (loadgen.h, struct load_stage): a list of stages,
 * each a linear ramp from the previous stage's target (the first from 0)
 * to its own over its duration, as k6's ramping-vus and
 * ramping-arrival-rate executors read them.  The closed loop asks
 * stage_target() how many connections are active; the open loop places
 * its k-th arrival at N^-1(k), N being the integral of the rate
 * (stage_invert).  Also the text of --stages, parsed and checked.
 */
#include "loadgen.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"

#define MAX_TARGET 1e8   /* the largest rate (-R's bound) or number of users */

double load_stage_target(const struct load_stage *s, size_t n, uint64_t t_ns)
{
    double from = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (t_ns < s[i].duration_ns)
            return from + (s[i].target - from) * (double)t_ns / (double)s[i].duration_ns;
        t_ns -= s[i].duration_ns;
        from = s[i].target;
    }
    return from;   /* after the last stage: its target */
}

double load_stage_peak(const struct load_stage *s, size_t n)
{
    double peak = 0;
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i].target > peak)
            peak = s[i].target;
    return peak;
}

uint64_t load_stage_total(const struct load_stage *s, size_t n)
{
    uint64_t sum = 0;
    size_t i;

    for (i = 0; i < n; i++)
        sum += s[i].duration_ns;
    return sum;
}

/* Arrivals in stage i: the area under its ramp, (from + to) / 2 x D. */
static double stage_area(const struct load_stage *s, size_t i, double from)
{
    return (from + s[i].target) / 2 * ((double)s[i].duration_ns / 1e9);
}

/* The time u (s) into a ramp from a to b (per s) over d seconds at which
 * m arrivals have come: a u + (b - a) u^2 / (2 d) = m.  Written as
 * 2m / (a + sqrt(a^2 + 2 (b - a) m / d)), the root that does not cancel
 * when b is near a, nor divide by zero when a ramp starts at 0. */
static double ramp_solve(double a, double b, double d, double m)
{
    double disc;

    if (m <= 0)
        return 0;
    disc = a * a + 2 * (b - a) * m / d;
    if (disc < 0)
        disc = 0;   /* rounding at the very end of a ramp down to 0 */
    return 2 * m / (a + sqrt(disc));
}

double load_stage_invert(const struct load_stage *s, size_t n, double k,
                         struct load_stage_cursor *cur)
{
    /* the cursor only moves forward: k grows along a thread's schedule */
    while (cur->i < n) {
        double area = stage_area(s, cur->i, cur->from);
        if (k <= cur->n0 + area && area > 0) {
            double u = ramp_solve(cur->from, s[cur->i].target,
                                  (double)s[cur->i].duration_ns / 1e9, k - cur->n0);
            double d = (double)s[cur->i].duration_ns / 1e9;
            return cur->t0 + (u < d ? u : d);
        }
        cur->n0 += area;
        cur->t0 += (double)s[cur->i].duration_ns / 1e9;
        cur->from = s[cur->i].target;
        cur->i++;
    }
    return INFINITY;   /* after the last stage: no more arrivals */
}

/* One "DURATION:TARGET" of text (len bytes) into st; -1 with the cause. */
static int stage_parse_one(const char *text, size_t len, struct load_stage *st, char *why,
                           size_t whylen)
{
    char buf[64], *colon, *end;

    if (len >= sizeof buf)
        return snprintf(why, whylen, "too long"), -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (!(colon = strchr(buf, ':')))
        return snprintf(why, whylen, "not DURATION:TARGET (e.g. 30s:50)"), -1;
    *colon = '\0';
    if (buf[0] == '-')
        return snprintf(why, whylen, "negative duration"), -1;
    if (fmt_parse_duration(buf, &st->duration_ns) < 0)
        return snprintf(why, whylen, "'%.40s' is not a duration (10s, 500ms, 2m)", buf), -1;
    if (!st->duration_ns)
        return snprintf(why, whylen, "zero duration"), -1;
    errno = 0;
    st->target = strtod(colon + 1, &end);
    if (end == colon + 1 || *end || errno || isnan(st->target) || isinf(st->target))
        return snprintf(why, whylen, "'%.40s' is not a number", colon + 1), -1;
    if (st->target < 0)
        return snprintf(why, whylen, "negative target"), -1;
    if (st->target > MAX_TARGET)
        return snprintf(why, whylen, "target above %.0e", MAX_TARGET), -1;
    return 0;
}

int load_stages_parse(const char *text, struct load_stage **out, size_t *n, struct err *e)
{
    struct load_stage *s = NULL, *ns;
    const char *p = text;
    size_t cnt = 0;
    char why[160];

    *out = NULL;
    *n = 0;
    for (;;) {
        size_t len = strcspn(p, ",");
        if (!(ns = realloc(s, (cnt + 1) * sizeof *s))) {
            free(s);
            return err_set(e, "out of memory");
        }
        s = ns;
        if (stage_parse_one(p, len, &s[cnt], why, sizeof why) < 0) {
            err_set(e, "stage %zu '%.*s': %s", cnt + 1, (int)(len > 64 ? 64 : len), p, why);
            free(s);
            return -1;
        }
        cnt++;
        if (!p[len])
            break;
        p += len + 1;
    }
    if (load_stage_peak(s, cnt) <= 0) {
        free(s);
        return err_set(e, "every stage's target is 0: nothing would be sent");
    }
    *out = s;
    *n = cnt;
    return 0;
}

int load_opts_shape(struct load_opts *o)
{
    double peak;

    if (o->nstages) {
        peak = load_stage_peak(o->stages, o->nstages);
        o->duration_ns = load_stage_total(o->stages, o->nstages);
        o->connections = (unsigned)floor(peak + 0.5);
        if (!o->connections)
            o->connections = 1;
        o->rate = 0;
    } else if (o->nrate_stages) {
        o->duration_ns = load_stage_total(o->rate_stages, o->nrate_stages);
        o->rate = load_stage_peak(o->rate_stages, o->nrate_stages);
    }
    return o->nstages && o->nrate_stages ? -1 : 0;
}
