/*
 * team.h: the barriers of a threaded benchmark call (pacer.h's .threads):
 * every thread waits for all the others before it starts its clock, and
 * after it stops it (Google Benchmark's StartStopBarrier).  A thread that
 * ends its call without reaching a barrier (a skip, an error, a loop left
 * early) arrives at it on its way out, so the others never wait forever.
 */
#ifndef PACER_TEAM_H
#define PACER_TEAM_H

#include <pthread.h>

struct team {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned n;            /* threads in the team */
    unsigned started;      /* arrived at the start barrier */
    unsigned stopped;      /* arrived at the stop barrier */
    int broken;            /* a thread could not be started: nobody waits */
};

/* A team of n threads; 0, or -1 when the mutex or condition fails. */
int team_init(struct team *t, unsigned n);
void team_destroy(struct team *t);

/* Wait at the start barrier (passed 0 -> 1) or the stop barrier (1 -> 2)
 * until all n arrived (or the team broke). */
void team_start(struct team *t);
void team_stop(struct team *t);

/* A thread ends its call having passed `passed` barriers: it arrives,
 * without waiting, at those it did not pass. */
void team_leave(struct team *t, int passed);

/* Release every waiter now: the team will not be complete. */
void team_break(struct team *t);

#endif
