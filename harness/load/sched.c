/*
 * sched.c: the open loop's schedule.  Each thread has its share of the
 * intended start times (constant spacing, or Poisson arrivals, from the
 * run's seed).  A request due is queued, with its intended start, until a
 * connection has room for it (the thread's stack of free connections); one
 * that waits longer than the timeout is a timeout error.
 */
#include "loadgen_private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

/* The queue of due requests is a ring of intended starts: make room for
 * one more (doubling).  -1 when out of memory. */
static int pend_grow(struct thread *t)
{
    if (t->pend_n == t->pend_cap) {
        size_t ncap = t->pend_cap ? t->pend_cap * 2 : 1024, i;
        uint64_t *np = malloc(ncap * sizeof *np);
        if (!np)
            return -1;
        for (i = 0; i < t->pend_n; i++)
            np[i] = t->pending[(t->pend_head + i) % t->pend_cap];
        free(t->pending);
        t->pending = np;
        t->pend_cap = ncap;
        t->pend_head = 0;
    }
    return 0;
}

/* Queue a request due at v, last. */
static int pend_push(struct thread *t, uint64_t v)
{
    if (pend_grow(t) < 0)
        return -1;
    t->pending[(t->pend_head + t->pend_n) % t->pend_cap] = v;
    t->pend_n++;
    sweep_by(t, v + t->o->timeout_ns);
    return 0;
}

void sched_requeue(struct thread *t, uint64_t v)
{
    if (pend_grow(t) < 0)
        return;
    t->pend_head = (t->pend_head + t->pend_cap - 1) % t->pend_cap;
    t->pending[t->pend_head] = v;
    t->pend_n++;
    sweep_by(t, v + t->o->timeout_ns);
}

double sched_gap(struct thread *t)
{
    if (t->o->arrival == ARRIVAL_POISSON)
        return -log(1.0 - rng_uniform(&t->rng)) * t->gap_ns;
    return t->gap_ns;
}

void sched_due(struct thread *t, uint64_t now)
{
    while (t->next_due <= (double)now && t->next_due < (double)t->sh->t_end) {
        uint64_t due = (uint64_t)t->next_due;
        struct load_interval *iv = timeline_at(t, now);
        if (iv) {
            t->due++;
            /* reached late, and it would have gone at once: the
             * generator's delay.  Behind others waiting for a connection
             * it would have waited anyway: the server's (counted as
             * queued when it is sent). */
            if (now - due > t->o->late_ns && t->pend_n < t->nfree * t->o->pipeline) {
                iv->late++;
                t->late++;
                t->late_wake += t->woke_late;
            }
        }
        if (pend_push(t, due) < 0) {
            timeline_add_errors(t, LC_TIMEOUT, ENOMEM, NULL, 1, now);
        } else if (iv && t->pend_n > t->nfree * t->o->pipeline) {
            t->no_conn++;   /* more are waiting than connections have room */
        }
        shape_next_due(t);
    }
}

void sched_dispatch(struct thread *t, uint64_t now)
{
    while (t->pend_n && t->nfree) {
        struct conn *c = &t->conns[t->freestack[--t->nfree]];
        c->in_free = 0;
        if (c->u && conn_has_room(t, c, now)) {   /* a free user: a new iteration */
            uint64_t v = t->pending[t->pend_head];
            t->pend_head = (t->pend_head + 1) % t->pend_cap;
            t->pend_n--;
            vuser_begin(t, c, v, now);
        }
        while (!c->u && t->pend_n && conn_has_room(t, c, now)) {
            uint32_t slot = ring_slot(t, c, c->nreq);
            c->origin[slot] = t->pending[t->pend_head];
            t->pend_head = (t->pend_head + 1) % t->pend_cap;
            t->pend_n--;
            c->nreq++;
            if (!t->o->keepalive) {
                conn_connect(t, c, now);
                break;
            }
        }
        if (c->state == CS_OPEN)
            conn_write(t, c, now);
        if (conn_has_room(t, c, now))
            conn_free_push(t, c);
    }
}

void sched_sweep(struct thread *t, uint64_t now)
{
    const struct load_opts *o = t->o;

    while (t->pend_n && now - t->pending[t->pend_head] >= o->timeout_ns) {
        timeline_add_errors(t, LC_TIMEOUT, 0, "waited for a free connection", 1, now);
        t->pend_head = (t->pend_head + 1) % t->pend_cap;
        t->pend_n--;
    }
    if (t->pend_n)
        sweep_by(t, t->pending[t->pend_head] + o->timeout_ns);
}
