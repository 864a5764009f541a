/* team.c: the start and stop barriers of a threaded call (team.h). */
#include "team.h"

int team_init(struct team *t, unsigned n)
{
    t->n = n;
    t->started = t->stopped = 0;
    t->broken = 0;
    if (pthread_mutex_init(&t->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&t->cv, NULL) != 0) {
        pthread_mutex_destroy(&t->mu);
        return -1;
    }
    return 0;
}

void team_destroy(struct team *t)
{
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
}

/* Arrive at the barrier counted by *count; wait for the rest if asked. */
static void arrive(struct team *t, unsigned *count, int wait)
{
    pthread_mutex_lock(&t->mu);
    if (++*count >= t->n)
        pthread_cond_broadcast(&t->cv);
    while (wait && *count < t->n && !t->broken)
        pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
}

void team_start(struct team *t)
{
    arrive(t, &t->started, 1);
}

void team_stop(struct team *t)
{
    arrive(t, &t->stopped, 1);
}

void team_leave(struct team *t, int passed)
{
    if (passed < 1)
        arrive(t, &t->started, 0);
    if (passed < 2)
        arrive(t, &t->stopped, 0);
}

void team_break(struct team *t)
{
    pthread_mutex_lock(&t->mu);
    t->broken = 1;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}
