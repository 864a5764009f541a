/*
 * capstep.c: capacity steps as real loads, and the probe (capstep.h).
 */
#include "capstep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/loadres.h"

/* Run lo into cs->last (the load before freed).  0, or -1 with e set. */
static int run_load(struct capstep *cs, struct load_opts *lo, struct err *e)
{
    int rc;

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

/* Whether the generator kept the rate of a step that passed or not:
 * 1, or 0 with why.  Its lateness only adds to the latency it measures
 * (from the intended start), so a step that passed in spite of it holds;
 * one that failed is the generator's when it was saturated or reached
 * more than CAPSTEP_LATE_MAX of the requests late.  Whatever happened, a
 * step that sent well under the requests due (not for want of a free
 * connection: that is the server holding them) is the generator's. */
static int step_valid(const struct load_out *out, int pass, char *why, size_t len)
{
    const char *gen = !out->valid && out->requests && load_successes(out) ? out->invalid : NULL;

    if (out->due && (double)out->sent < CAPSTEP_SENT_MIN * (double)out->due &&
        out->no_conn * 10 < out->due) {
        snprintf(why, len, "not the server's: the generator sent %llu of the %llu requests due",
                 (unsigned long long)out->sent, (unsigned long long)out->due);
        return 0;
    }
    if (!pass && gen && (out->busy_max > 0.97 ||
                         (double)out->late > CAPSTEP_LATE_MAX * (double)out->due)) {
        snprintf(why, len, "not the server's: %.400s", gen);
        return 0;
    }
    return 1;
}

int capstep_run(void *arg, double rate, int confirm, struct capacity_step *s, struct err *e)
{
    static const double ps[] = {50, 90, 99, 99.9};
    struct capstep *cs = arg;
    struct load_opts lo = *cs->base;
    struct bench b = {0};
    char why[512] = "";
    uint64_t v[4];

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
    else if (load_bench_add(&b, &lo, &cs->last) < 0 || bench_compute_stats(&b, NULL) < 0) {
        bench_free(&b);
        return err_set(e, "out of memory");
    } else
        s->pass = capacity_goal_holds(cs->goal, &b, why, sizeof why);
    bench_free(&b);
    cs->why[0] = '\0';
    s->valid = step_valid(&cs->last, s->pass, cs->why, sizeof cs->why);
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
