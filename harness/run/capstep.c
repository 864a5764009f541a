/*
 * capstep.c: capacity steps as real loads, and the probe (capstep.h).
 */
#include "capstep.h"

#include <stdio.h>
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

/* Whether the generator kept the rate: 1, or 0 with why. */
static int step_valid(const struct load_out *out, char *why, size_t len)
{
    if (!out->valid && out->requests && load_successes(out)) {
        snprintf(why, len, "not the server's: %.400s", out->invalid);
        return 0;
    }
    /* no response at all is the server's failure (the step fails) */
    if (out->due && (double)out->sent < CAPSTEP_SENT_MIN * (double)out->due &&
        out->no_conn * 10 < out->due) {
        snprintf(why, len, "not the server's: the generator sent %llu of the %llu requests due",
                 (unsigned long long)out->sent, (unsigned long long)out->due);
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
    uint64_t v[4];
    int rc = 0;

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
    s->why = NULL;
    cs->why[0] = '\0';
    s->valid = step_valid(&cs->last, cs->why, sizeof cs->why);
    if (s->valid) {
        if (load_bench_add(&b, &lo, &cs->last) < 0 || bench_compute_stats(&b, NULL) < 0)
            rc = err_set(e, "out of memory");
        else
            s->pass = capacity_goal_holds(cs->goal, &b, cs->why, sizeof cs->why);
        bench_free(&b);
        if (s->pass && !cs->last.valid)   /* nothing answered: cannot hold */
            s->pass = 0;
        if (!s->pass && !cs->why[0])
            snprintf(cs->why, sizeof cs->why, "%s", cs->last.invalid);
    }
    if (cs->why[0])
        s->why = cs->why;
    return rc;
}

void capstep_free(struct capstep *cs)
{
    if (cs->have_last)
        load_out_free(&cs->last);
    cs->have_last = 0;
}
