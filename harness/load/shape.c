/*
 * shape.c: the load's shape in a run (loadgen_private.h).  Closed loop
 * with stages: connection j of thread i has the global number j x T + i
 * (T threads), so that the active set, the numbers below the target, is
 * spread over the threads; every 10 ms each thread marks its connections
 * active or not and samples how many are active and open.  Open loop with
 * stages: the k-th arrival of the whole run is at N^-1(k), N the integral
 * of the rate; thread i takes every T-th of them (constant), or draws
 * exponential gaps of mean T in N's domain (Poisson, rate/T each).  And
 * the live view's feed: the intervals every thread has handed in.
 */
#include "loadgen_private.h"

#include <math.h>

#define SHAPE_CHECK_NS 10000000ull   /* closed loop: activity checked this often */

/* The time of arrival n of the rate stages, on the loop's clock. */
static double staged_due(struct thread *t)
{
    const struct load_opts *o = t->o;
    double s = load_stage_invert(o->rate_stages, o->nrate_stages, t->next_n, &t->cursor);

    return isinf(s) ? INFINITY : (double)t->sh->t0 + s * 1e9;
}

/* The gap to this thread's next arrival in N's domain: every T-th, or an
 * exponential gap of mean T (Poisson arrivals at rate/T). */
static double staged_gap(struct thread *t)
{
    double T = (double)t->sh->nthreads;

    if (t->o->arrival == ARRIVAL_POISSON)
        return -log(1.0 - rng_uniform(&t->rng)) * T;
    return T;
}

void shape_first_due(struct thread *t)
{
    const struct load_opts *o = t->o;

    if (!o->nrate_stages) {
        /* constant: the threads' schedules interleave */
        t->next_due = (double)t->sh->t0 + (o->arrival == ARRIVAL_POISSON
                                               ? sched_gap(t) : t->index * 1e9 / o->rate);
        return;
    }
    /* constant: the k-th arrival (k = 1, 2, ...) at N^-1(k - 1/2), the
     * middle of its share of the count, so none falls on a stage's edge */
    t->next_n = o->arrival == ARRIVAL_POISSON ? staged_gap(t) : (double)t->index + 0.5;
    t->next_due = staged_due(t);
}

void shape_next_due(struct thread *t)
{
    if (!t->o->nrate_stages) {
        t->next_due += sched_gap(t);
        return;
    }
    t->next_n += staged_gap(t);
    t->next_due = staged_due(t);
}

/* Whether c counts as a user in place: established (with keep-alive), or
 * busy with its request's connection (without). */
static int conn_in_place(const struct thread *t, const struct conn *c)
{
    return c->active && (t->o->keepalive ? c->state == CS_OPEN : c->state != CS_CLOSED);
}

/* Integrate the users in place over time, each sample holding until the
 * next (the checks are 10 ms apart only while the thread keeps up: a
 * plain mean of samples would lean towards the times it was idle). */
static void shape_sample(struct thread *t, double users, uint64_t now)
{
    /* timeline_at closes the intervals before now (users_hand_in) */
    if (timeline_at(t, now)) {
        uint64_t from = t->users_at > t->iv_from ? t->users_at : t->iv_from;
        if (now > from) {
            t->users_sum += t->users_last * (double)(now - from);
            t->users_w += (double)(now - from);
        }
    }
    t->users_last = users;
    t->users_at = now;
}

void shape_check(struct thread *t, uint64_t now)
{
    const struct load_opts *o = t->o;
    double target, users = 0;
    uint64_t want;
    size_t j;

    if (!shape_closed(t))
        return;
    if (now >= t->shape_at) {
        target = load_stage_target(o->stages, o->nstages, now - t->sh->t0);
        want = (uint64_t)floor(target + 0.5);
        for (j = 0; j < t->nconns; j++) {
            struct conn *c = &t->conns[j];
            int on = shape_number(t->index, j, t->sh->nthreads) < want;
            if (on && !c->active) {
                c->active = 1;
                conn_wake(t, c, now);
            } else if (!on) {
                c->active = 0;   /* finishes what it has in flight, then idles */
            }
        }
        for (j = 0; j < t->nconns; j++)
            users += conn_in_place(t, &t->conns[j]);
        shape_sample(t, users, now);
        t->shape_at = now + SHAPE_CHECK_NS;
    }
    sweep_by(t, t->shape_at);
}

void shape_report(struct shared *sh)
{
    const struct load_opts *o = sh->o;

    if (!o->progress)
        return;
    for (;;) {
        struct load_interval row;
        uint64_t from, span;
        size_t i;

        pthread_mutex_lock(&sh->lock);
        i = sh->reported;
        if (i >= sh->nslots || sh->slots[i].contributed < sh->nthreads) {
            pthread_mutex_unlock(&sh->lock);
            return;
        }
        row = sh->slots[i].row;
        sh->reported++;
        pthread_mutex_unlock(&sh->lock);
        from = (uint64_t)i * o->interval_ns;
        span = from + o->interval_ns > o->duration_ns ? o->duration_ns - from : o->interval_ns;
        row.t = (double)from / 1e9;
        o->progress(o->progress_arg, &row, (double)span / 1e9);
    }
}
