/* scenario.c: one point of a load scenario against its own target (scenario.h). */
#include "scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "capscen.h"
#include "child.h"
#include "launch.h"
#include "harness/result/limit.h"
#include "harness/result/loadres.h"
#include "target.h"
#include "words.h"

/* ---- the matrix ------------------------------------------------------------------ */

size_t scenario_npoints(const struct suite_scenario *sc)
{
    return sc->nconnections * sc->nrates;
}

void scenario_point_get(const struct suite *s, size_t scenario, size_t k,
                        struct scenario_point *p)
{
    const struct suite_scenario *sc = &s->scenarios[scenario];

    p->suite = s;
    p->sc = sc;
    p->tg = sc->target == SUITE_NO_TARGET ? NULL : &s->targets[sc->target];
    p->connections = sc->connections[k / sc->nrates];
    p->rate = sc->rates[k % sc->nrates];
}

static void rate_text(char *buf, size_t len, double rate)
{
    snprintf(buf, len, "%.15g", rate);
}

char *scenario_point_name(const struct scenario_point *p)
{
    char c[48] = "", r[64] = "", *out;
    size_t len;

    if (p->sc->connections_axis)
        snprintf(c, sizeof c, "/connections=%u", p->connections);
    if (p->sc->rate_axis) {
        char rt[40];
        rate_text(rt, sizeof rt, p->rate);
        snprintf(r, sizeof r, "/rate=%s", rt);
    }
    len = strlen(p->sc->name) + strlen(c) + strlen(r) + 1;
    out = malloc(len);
    if (out)
        snprintf(out, len, "%s%s%s", p->sc->name, c, r);
    return out;
}

/* ---- running one point ----------------------------------------------------------- */

/* Name b, make it a load benchmark in the point's unit, with the axes as
 * params.  -1 when out of memory. */
static int bench_begin(const struct scenario_point *p, struct bench *b)
{
    char *name = scenario_point_name(p);
    size_t len;
    int rc = 0;

    if (!name)
        return -1;
    len = strlen(p->suite->name) + strlen(name) + 2;
    free(b->name);
    if ((b->name = malloc(len)))
        snprintf(b->name, len, "%s/%s", p->suite->name, name);
    free(name);
    free(b->unit);
    b->unit = strdup(p->rate > 0 ? "ns" : "req/s");
    b->dir = p->rate > 0 ? DIR_LOWER : DIR_HIGHER;
    b->kind = KIND_LOAD;
    b->iterations = 1;
    if (p->sc->connections_axis)
        rc |= bench_add_param_int(b, "connections", p->connections);
    if (p->sc->rate_axis) {
        if (p->rate == floor(p->rate) && p->rate < 1e15)
            rc |= bench_add_param_int(b, "rate", (long long)p->rate);
        else {
            char rt[40];
            rate_text(rt, sizeof rt, p->rate);
            rc |= bench_add_param_str(b, "rate", rt);
        }
    }
    return !b->name || !b->unit || rc ? -1 : 0;
}

/* Repetition k's agreed start (first: the first slot reserved for the
 * point, 0 without one) waited for, its lag kept.  0, or -1 when
 * interrupted. */
static int slot_wait(const struct scenario_opts *mo, const struct load_opts *lo, double first,
                     unsigned k, struct bench *b)
{
    struct segment_plan *sp = mo->split;
    double at, lag;

    if (!first)
        return 0;
    at = segment_slot(sp, first, lo, k);
    if (segment_sleep_until(at, mo->interrupt)) {
        bench_set_error(b, "interrupted (waiting for the agreed start of repetition %u)", k + 1);
        return -1;
    }
    lag = segment_now() - at;
    if (lag > sp->max_lag_s)
        sp->max_lag_s = lag;
    if (lag > sp->slack_s && mo->on_warn) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s: repetition %u began %.1f s after its agreed start "
                 "(the other segments' did not wait for it)", b->name, k + 1, lag);
        mo->on_warn(mo->arg, msg);
    }
    return 0;
}

/* The repetitions against a ready target (t, or NULL without one), the
 * first at first (a slot, or 0: at once).  -1 when interrupted. */
static int run_reps(const struct scenario_point *p, const struct scenario_opts *mo,
                    struct target *t, struct load_opts *lo, double first, struct bench *b,
                    int *invalid)
{
    unsigned reps = mo->repetitions ? mo->repetitions : p->sc->repetitions, k;
    volatile int halt = 0;
    struct err e = {0};
    int status, rc = 0;

    lo->monitor_pid = t ? t->pid : 0;
    lo->stop = t ? &halt : mo->interrupt;
    if (t)
        target_link(t, &halt, mo->interrupt);
    for (k = 0; k < reps; k++) {
        struct load_out out;
        char how[96], msg[256];
        lo->seed = p->sc->load.seed + k;
        err_clear(&e);
        if (slot_wait(mo, lo, first, k, b) < 0) {
            rc = -1;
            break;
        }
        if (mo->on_load)
            mo->on_load(mo->arg, lo, 1);
        rc = load_run(lo, &out, &e);
        if (mo->on_load)
            mo->on_load(mo->arg, lo, 0);
        if (rc < 0) {
            rc = 0;
            if (!t || !target_exited(t, &status))
                bench_set_error(b, "load: %s", e.msg);
            else {
                child_describe_status(status, how, sizeof how);
                snprintf(msg, sizeof msg, "target %s: %s during the run", t->name, how);
                launch_failed(b, t, status, 0, msg);
            }
            break;
        }
        if (t && target_exited(t, &status)) {
            child_describe_status(status, how, sizeof how);
            snprintf(msg, sizeof msg, "target %s: %s in repetition %u", t->name, how, k + 1);
            launch_failed(b, t, status, 0, msg);
            load_out_free(&out);
            break;
        }
        if (!out.complete || (mo->interrupt && *mo->interrupt)) {
            bench_set_error(b, "interrupted (in repetition %u of %u)", k + 1, reps);
            load_out_free(&out);
            rc = -1;
            break;
        }
        if (mo->on_rep)
            mo->on_rep(mo->arg, b->name, k + 1, reps, lo, &out);
        if (!out.valid)
            *invalid = 1;
        if (load_bench_add(b, lo, &out) < 0 ||
            (lo->flows && load_bench_add_parts(b, lo, &out) < 0)) {
            bench_set_error(b, "out of memory");
            load_out_free(&out);
            break;
        }
        load_out_free(&out);
    }
    if (t)
        target_unlink(t);
    return rc;
}

/* How often a target is started when the port pacer chose for it was
 * taken under it. */
#define PORT_ATTEMPTS 3

/* A target started on one port, what it needs, and the load aimed at it. */
struct start {
    char port[16], **argv, **env, *url, *req;
    char *const *env_over;      /* scenario_opts.target_env */
    struct load_opts lo;
    struct target t;
    int started;
    struct launch needs;
    struct mon_proc procs[LAUNCH_MAX];
    struct load_stage *stages;  /* the segment's share of the stages, or NULL */
};

static void start_free(struct start *l)
{
    free(l->req);
    free(l->url);
    words_free(l->argv);
    words_free(l->env);
    free(l->stages);
    l->req = l->url = NULL;
    l->argv = l->env = NULL;
    l->stages = NULL;
}

/* l->lo cut to the segment's share of the load (split, not NULL): 0, or
 * -1 with b's error set. */
static int split_apply(struct start *l, const struct segment_plan *sp, const char *scenario,
                       struct bench *b)
{
    size_t n = l->lo.nstages ? l->lo.nstages : l->lo.nrate_stages;
    struct err e = {0};

    if (n) {
        if (!(l->stages = malloc(n * sizeof *l->stages))) {
            bench_set_error(b, "out of memory");
            return -1;
        }
        memcpy(l->stages, l->lo.nstages ? l->lo.stages : l->lo.rate_stages,
               n * sizeof *l->stages);
        if (l->lo.nstages)
            l->lo.stages = l->stages;
        else
            l->lo.rate_stages = l->stages;
    }
    if (segment_apply(&l->lo, l->stages, sp->index, sp->count, &e) < 0) {
        bench_set_error(b, "scenario %s: %s", scenario, e.msg);
        return -1;
    }
    return 0;
}

/* p's load aimed at l->url (its share when split), its request built:
 * 0, or -1 with b's error set. */
static int load_ready(const struct scenario_point *p, const struct load_request *rq,
                      const struct scenario_opts *mo, struct start *l, struct bench *b)
{
    const struct suite_scenario *sc = p->sc;
    struct err e = {0};

    l->lo = sc->load;
    l->lo.flows = sc->flows.nflows ? &sc->flows : NULL;
    l->lo.url_text = l->url;
    l->lo.connections = p->connections;
    l->lo.rate = p->rate;
    if (mo->split && mo->split->count && split_apply(l, mo->split, sc->name, b) < 0)
        return -1;
    if (load_prepare(&l->lo, rq, &l->req, &e) < 0) {
        bench_set_error(b, "scenario %s: %s", sc->name, e.msg);
        return -1;
    }
    return 0;
}

/* p's target started on port pn, its load prepared: 0, or -1 with b's
 * error set. */
static int start_target(const struct scenario_point *p, const struct load_request *rq,
                        const struct scenario_opts *mo, int pn, struct start *l,
                        struct bench *b)
{
    const struct suite_target *tg = p->tg;
    size_t i;
    int ok;

    snprintf(l->port, sizeof l->port, "%d", pn);
    l->argv = launch_expand_list(&l->needs, tg->argv, l->port, &ok);
    if (ok)
        l->env = launch_expand_list(&l->needs, tg->env, l->port, &ok);
    l->url = launch_expand(&l->needs, p->sc->url, l->port);
    if (!ok || !l->url) {
        bench_set_error(b, "out of memory");
        return -1;
    }
    if (load_ready(p, rq, mo, l, b) < 0)
        return -1;
    for (i = 0; i < l->needs.nneed; i++) {   /* what it needs, monitored beside it */
        l->procs[i].label = l->needs.need[i].tg->name;
        l->procs[i].pid = l->needs.need[i].t.pid;
    }
    l->lo.monitor_procs = l->procs;
    l->lo.nmonitor_procs = l->needs.nneed;
    if (launch_one(&l->needs, tg, l->argv, l->env, l->env_over, pn, &l->t, b) < 0)
        return -1;
    l->started = 1;
    return 0;
}

/* Stop the target; what that says (killed, or died before) into b. */
static void start_stop(struct start *l, const struct suite_target *tg,
                       const struct scenario_opts *mo, struct bench *b)
{
    int how = target_stop(&l->t);

    if (how == 1 && mo->on_warn) {
        char msg[256];
        snprintf(msg, sizeof msg, "target %s did not stop within %gs of SIGTERM: killed",
                 tg->name, (double)tg->stop_timeout_ns / 1e9);
        mo->on_warn(mo->arg, msg);
    }
    if (how == 2 && !b->error) {
        /* It died after the last repetition, before it was asked to stop. */
        char what[96], msg[256];
        child_describe_status(l->t.status, what, sizeof what);
        snprintf(msg, sizeof msg, "target %s: %s before it was stopped", tg->name, what);
        launch_failed(b, &l->t, l->t.status, 0, msg);
    }
}

/* p against its target started afresh (on a port of pacer's choosing,
 * again on another when that was taken under it), the first repetition
 * at first (0: at once).  0, or -1 when interrupted. */
static int run_started(const struct scenario_point *p, const struct load_request *rq,
                       const struct scenario_opts *mo, struct start *l, double first,
                       struct bench *b, int *invalid)
{
    const struct suite_target *tg = p->tg;
    struct launch_ctl ctl = {mo->interrupt, mo->on_warn, mo->arg};
    enum target_wait w = TARGET_READY;
    struct err e = {0};
    int pn, rc, status, attempt;

    if ((rc = launch_needs(&l->needs, p->suite, tg, &ctl, b)) < 0) {
        launch_end(&l->needs, &ctl, b);   /* those started before the one that failed */
        return rc == -2 ? -1 : 0;
    }
    for (attempt = 1;; attempt++) {
        pn = tg->port ? tg->port : target_free_port(&e);
        if (pn < 0) {
            bench_set_error(b, "target %s: %s", tg->name, e.msg);
            break;
        }
        if (start_target(p, rq, mo, pn, l, b) < 0)
            break;
        err_clear(&e);
        w = target_wait_ready(&l->t, mo->interrupt, &e);
        /* The port pacer chose was taken by another program between its
         * check and the target's bind: the target exited; start it again
         * on another port (a port written in the suite is the user's). */
        if (w != TARGET_EXITED || tg->port || attempt == PORT_ATTEMPTS ||
            !target_port_taken(pn))
            break;
        if (mo->on_warn) {
            char msg[256];
            snprintf(msg, sizeof msg,
                     "target %s: port %d was taken before it could bind it; "
                     "starting it again on another port", tg->name, pn);
            mo->on_warn(mo->arg, msg);
        }
        target_stop(&l->t);
        l->started = 0;
        start_free(l);
    }
    if (!l->started) {
        /* b's error says why */
    } else if (w == TARGET_INTERRUPTED) {
        bench_set_error(b, "interrupted (starting target %s)", tg->name);
        rc = -1;
    } else if (w != TARGET_READY) {
        char msg[ERR_MAX + 128];
        snprintf(msg, sizeof msg, "target %s: %s", tg->name, e.msg);
        launch_failed(b, &l->t, target_exited(&l->t, &status) ? status : -1,
                      w == TARGET_TIMEOUT, msg);
    } else if (p->sc->ncapacity)   /* a capacity search instead of fixed rates */
        rc = capscen_run(p, mo, &l->t, &l->lo, b, invalid);
    else
        rc = run_reps(p, mo, &l->t, &l->lo, first, b, invalid);
    if (l->started)
        start_stop(l, tg, mo, b);
    launch_end(&l->needs, &ctl, b);
    return rc;
}

int scenario_run(const struct scenario_point *p, const struct scenario_opts *mo,
                 struct bench *b, int *invalid)
{
    const struct suite_scenario *sc = p->sc;
    struct load_request rq = {sc->method, (const char *const *)sc->headers, sc->nheaders,
                              sc->body, sc->body ? strlen(sc->body) : 0, sc->payload,
                              sc->framing};
    unsigned reps = mo->repetitions ? mo->repetitions : sc->repetitions;
    double first = 0;
    struct start l;
    struct stats_opts so;
    int rc = 0;
    size_t i;

    memset(&l, 0, sizeof l);
    l.env_over = mo->target_env;
    if (bench_begin(p, b) < 0) {
        bench_set_error(b, "out of memory");
        return 0;
    }
    /* the slots are taken whatever becomes of the point: the next point
     * begins where the other segments' does */
    if (mo->split && mo->split->start_at)
        first = segment_reserve(mo->split, &sc->load, sc->ncapacity ? 1 : reps);
    if (p->tg)
        rc = run_started(p, &rq, mo, &l, first, b, invalid);
    else if (!(l.url = strdup(sc->url)))   /* a server pacer does not start */
        bench_set_error(b, "out of memory");
    else if (load_ready(p, &rq, mo, &l, b) == 0)
        rc = sc->ncapacity ? capscen_run(p, mo, NULL, &l.lo, b, invalid)
                           : run_reps(p, mo, NULL, &l.lo, first, b, invalid);
    stats_opts_default(&so);
    if (b->nsamples && bench_compute_stats(b, &so) < 0)
        bench_set_error(b, "out of memory");
    for (i = 0; i < b->nparts; i++)   /* the steps' and flows' benchmarks */
        if (b->parts[i].nsamples && bench_compute_stats(&b->parts[i], &so) < 0)
            bench_set_error(b, "out of memory");
    start_free(&l);
    return rc;
}

/* ---- thresholds ---------------------------------------------------------------- */

size_t scenario_thresholds(const struct bench *b, const struct suite_scenario *sc,
                           struct limit_checks *out)
{
    size_t i, failed = 0;

    if (b->error || b->nsamples == 0)
        return 0;
    for (i = 0; i < sc->nthresholds; i++) {
        size_t before = out->failed;
        struct err e = {0};
        /* a limit without a pattern is the whole load's; with one (step:S),
         * its steps' and flows' too */
        const struct bench *on = sc->limits[i].pattern && b->nparts ? b->parts : b;
        size_t non = sc->limits[i].pattern && b->nparts ? b->nparts : 1;
        if (limit_check(&sc->limits[i], on, non, NULL, on == b, out, &e) < 0) {
            /* b is selected and lacks the metric: a check that cannot pass */
            struct limit_check *c;
            if (out->n == out->cap) {
                size_t ncap = out->cap ? out->cap * 2 : 8;
                struct limit_check *nc = realloc(out->v, ncap * sizeof *nc);
                if (!nc) {
                    failed++;
                    continue;
                }
                out->v = nc;
                out->cap = ncap;
            }
            c = &out->v[out->n++];
            c->limit = &sc->limits[i];
            c->bench = b->name;
            c->unit = "";
            c->value = NAN;
            c->pass = 0;
            out->failed++;
        }
        failed += out->failed - before;
    }
    return failed;
}
