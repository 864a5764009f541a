/*
 * capstep.c: capacity steps as real loads, and the probe (capstep.h).
 */
#include "capstep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/lib/clock.h"

#include "harness/result/loadres.h"

/* Let the server work off what the last load left queued: a step past
 * the capacity ends with a backlog about as long as its slowest answer,
 * which the next step would otherwise be charged for.  Waits that long
 * (at most CAPSTEP_DRAIN_MAX_NS), in slices, ending early on a stop. */
static void drain(const struct capstep *cs, const struct load_opts *lo)
{
    uint64_t wait = cs->have_last ? cs->last.latency.max : 0, t0 = clock_now_ns();

    if (wait < CAPSTEP_DRAIN_MIN_NS)
        return;
    if (wait > CAPSTEP_DRAIN_MAX_NS)
        wait = CAPSTEP_DRAIN_MAX_NS;
    while (clock_now_ns() - t0 < wait && !(lo->stop && *lo->stop)) {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
}

/* Run lo into cs->last (the load before freed).  0, or -1 with e set. */
static int run_load(struct capstep *cs, struct load_opts *lo, struct err *e)
{
    int rc;

    drain(cs, lo);
    capstep_free(cs);
    if (cs->on_load)
        cs->on_load(cs->arg, lo, 1);
    rc = load_run(lo, &cs->last, e);
    if (cs->on_load)
        cs->on_load(cs->arg, lo, 0);
    if (rc < 0)
        return -1;
    cs->have_last = 1;
    cs->last_opts = *lo;
    cs->last_opts.progress = NULL;
    cs->last_opts.progress_arg = NULL;
    if (cs->after && cs->after(cs->arg, &cs->last, e) < 0)
        return -1;
    if (!cs->last.complete || (lo->stop && *lo->stop))
        return err_set(e, "interrupted");
    return 0;
}

int capstep_probe(struct capstep *cs, double *rate, struct err *e)
{
    struct load_opts lo = *cs->base;

    lo.rate = 0;
    lo.duration_ns = CAPSTEP_PROBE_NS;
    lo.warmup_ns = CAPSTEP_PROBE_WARMUP_NS;
    lo.rate_stages = lo.stages = NULL;
    lo.nrate_stages = lo.nstages = 0;
    if (run_load(cs, &lo, e) < 0)
        return -1;
    if (!load_successes(&cs->last) || !(cs->last.elapsed_s > 0))
        return err_set(e, "the closed-loop probe of %u connections had no successful "
                       "response: %s", lo.connections, cs->last.invalid);
    *rate = (double)load_successes(&cs->last) / cs->last.elapsed_s;
    return 0;
}

/* Whether the objectives hold on out (a run with options lo); the first
 * that failed into why.  from_send: the latency from the actual write
 * (the server's own part) in place of the latency from the intended
 * start.  -1 when out of memory. */
static int holds(const struct capstep *cs, const struct load_opts *lo, const struct load_out *out,
                 int from_send, char *why, size_t len)
{
    struct load_out v = *out;
    struct bench b = {0};
    int rc;

    if (from_send)
        v.latency = out->latency_sent;
    if (load_bench_add(&b, lo, &v) < 0 || bench_compute_stats(&b, NULL) < 0)
        rc = -1;
    else
        rc = capacity_goal_holds(cs->goal, &b, why, len);
    bench_free(&b);
    return rc;
}

/* Whether the generator kept the rate of a step that passed or not: 1,
 * or 0 with why.  Its lateness only adds to the latency it measures (from
 * the intended start), so a step that passed in spite of it holds; one
 * that failed is the generator's when it was saturated or reached more
 * than CAPSTEP_LATE_MAX of the requests late, unless the objectives fail
 * on the latency from the actual write too (the server's own time).
 * Whatever happened, a step that sent well under the requests due (not
 * for want of a free connection: that is the server holding them) is the
 * generator's.  -1 when out of memory. */
static int step_valid(const struct capstep *cs, const struct load_opts *lo, int pass, char *why,
                      size_t len)
{
    const struct load_out *out = &cs->last;
    const char *gen = !out->valid && out->requests && load_successes(out) ? out->invalid : NULL;
    char ignored[256];
    int own;

    if (out->due && (double)out->sent < CAPSTEP_SENT_MIN * (double)out->due &&
        out->no_conn * 10 < out->due) {
        snprintf(why, len, "not the server's: the generator sent %llu of the %llu requests due",
                 (unsigned long long)out->sent, (unsigned long long)out->due);
        return 0;
    }
    if (pass || !gen || !(out->busy_max > 0.97 ||
                          (double)out->late > CAPSTEP_LATE_MAX * (double)out->due))
        return 1;
    if ((own = holds(cs, lo, out, 1, ignored, sizeof ignored)) < 0)
        return -1;
    if (!own)
        return 1;   /* the server's own time fails the objectives */
    snprintf(why, len, "not the server's: %.400s", gen);
    return 0;
}

int capstep_run(void *arg, double rate, int confirm, struct capacity_step *s, struct err *e)
{
    static const double ps[] = {50, 90, 99, 99.9};
    struct capstep *cs = arg;
    struct load_opts lo = *cs->base;
    char why[512] = "";
    uint64_t v[4];
    int rc;

    lo.rate = rate;
    lo.duration_ns = confirm ? cs->confirm_ns : cs->step_ns;
    lo.warmup_ns = confirm ? cs->confirm_warmup_ns : cs->step_warmup_ns;
    lo.rate_stages = lo.stages = NULL;
    lo.nrate_stages = lo.nstages = 0;
    if (run_load(cs, &lo, e) < 0)
        return -1;
    hist_percentiles(&cs->last.latency, ps, 4, v);
    s->rate = rate;
    s->achieved = cs->last.elapsed_s > 0 ? (double)cs->last.requests / cs->last.elapsed_s : 0;
    s->p50 = v[0];
    s->p90 = v[1];
    s->p99 = v[2];
    s->p999 = v[3];
    s->errors = load_error_rate(&cs->last);
    if (!load_successes(&cs->last))   /* nothing answered: it cannot hold */
        snprintf(why, sizeof why, "%.400s", cs->last.invalid);
    else if ((rc = holds(cs, &lo, &cs->last, 0, why, sizeof why)) < 0)
        return err_set(e, "out of memory");
    else
        s->pass = rc;
    cs->why[0] = '\0';
    if ((rc = step_valid(cs, &lo, s->pass, cs->why, sizeof cs->why)) < 0)
        return err_set(e, "out of memory");
    s->valid = rc;
    if (s->valid && !s->pass)
        snprintf(cs->why, sizeof cs->why, "%s", why);
    s->why = cs->why[0] ? cs->why : NULL;
    return 0;
}

int capstep_bench(struct bench *b, struct capacity *c)
{
    struct metric *m;
    size_t i;

    if (!b->nsamples || !(b->capacity = malloc(sizeof *b->capacity)))
        return -1;
    *b->capacity = *c;
    memset(c, 0, sizeof *c);
    free(b->unit);
    if (!(b->unit = strdup("req/s")))
        return -1;
    b->dir = DIR_HIGHER;
    for (i = 0; i < b->nsamples; i++)
        b->samples[i] = b->capacity->answer;
    if (!(m = bench_add_metric(b, "capacity", "req/s", DIR_HIGHER)))
        return -1;
    if (!(m->samples = malloc(b->nsamples * sizeof *m->samples)))
        return -1;
    for (i = 0; i < b->nsamples; i++)
        m->samples[i] = b->capacity->answer;
    m->nsamples = b->nsamples;
    return 0;
}

void capstep_free(struct capstep *cs)
{
    if (cs->have_last)
        load_out_free(&cs->last);
    cs->have_last = 0;
}
