/*
 * thread.c: the load threads: each is set up with its share of the
 * connections before any starts, runs its loop (loop.c) with signals
 * blocked, and is joined by the main thread, which passes an early stop
 * on to it.
 */
#include "loadgen_private.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define STOP_POLL_NS 20000000  /* how often the main thread looks at the stop flag */

int thread_init(struct thread *t, struct shared *sh, unsigned index, size_t nconns,
                struct err *e)
{
    const struct load_opts *o = sh->o;
    uint64_t highest = o->timeout_ns * 4 + o->duration_ns + o->warmup_ns;
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = STOP_KEY};
    size_t i;

    memset(t, 0, sizeof *t);
    t->sh = sh;
    t->o = o;
    t->index = index;
    t->nconns = nconns;
    t->ep = epoll_create1(EPOLL_CLOEXEC);
    if (t->ep < 0)
        return err_set(e, "epoll_create1: %s", strerror(errno));
    /* level-triggered and never read: every thread sees it */
    if (epoll_ctl(t->ep, EPOLL_CTL_ADD, sh->stopfd, &ev) < 0)
        return err_set(e, "epoll_ctl: %s", strerror(errno));
    t->conns = calloc(nconns, sizeof *t->conns);
    t->rbuf = malloc(RBUF_SIZE);
    t->wbuf = malloc(o->reqlen * o->pipeline);
    t->freestack = malloc(nconns * sizeof *t->freestack);
    if (!t->conns || !t->rbuf || !t->wbuf || !t->freestack)
        return err_set(e, "out of memory");
    for (i = 0; i < o->pipeline; i++)
        memcpy(t->wbuf + i * o->reqlen, o->request, o->reqlen);
    for (i = 0; i < nconns; i++) {
        struct conn *c = &t->conns[i];
        c->fd = -1;
        c->active = !shape_closed(t);   /* with stages: as the target says */
        c->origin = calloc(o->pipeline, sizeof *c->origin);
        c->sent = calloc(o->pipeline, sizeof *c->sent);
        if (!c->origin || !c->sent)
            return err_set(e, "out of memory");
    }
    if (hist_init(&t->lat, o->digits, highest, e) < 0 ||
        hist_init(&t->lat_sent, o->digits, highest, e) < 0 ||
        hist_init(&t->ivh, IV_DIGITS, highest, e) < 0)
        return -1;
    if (o->rate > 0) {
        t->gap_ns = 1e9 * sh->nthreads / o->rate;
        rng_seed(&t->rng, o->seed * 1000003u + index + 1);
        shape_first_due(t);
    }
    return 0;
}

void thread_free(struct thread *t)
{
    size_t i;

    uring_free(t);
    vuser_free(t);
    if (t->ep > 0)
        close(t->ep);
    for (i = 0; t->conns && i < t->nconns; i++) {
        free(t->conns[i].origin);
        free(t->conns[i].sent);
    }
    free(t->conns);
    free(t->rbuf);
    free(t->wbuf);
    free(t->freestack);
    free(t->pending);
    hist_free(&t->lat);
    hist_free(&t->lat_sent);
    hist_free(&t->ivh);
}

void *thread_main(void *arg)
{
    struct thread *t = arg;
    sigset_t set;

    /* signals go to the main thread */
    sigfillset(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    /* open loop: sends on time; closed loop: naps as long as asked */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    /* the ring is the thread's own (a single issuer): made here; where it
     * cannot be, the thread runs on epoll and says why */
    if (t->sh->io == LOAD_IO_URING && uring_init(t, &t->io_err) < 0)
        uring_free(t);
    loop_run(t);
    return NULL;
}

/* Wait for a load thread.  Meanwhile pass a stop request (a signal
 * handler's flag) on to the threads, which sleep until their next event or
 * timeout. */
void thread_join(struct shared *sh, pthread_t tid)
{
    const struct load_opts *o = sh->o;
    struct timespec ts;

    for (;;) {
        if (o->stop && *o->stop) {
            uint64_t one = 1;
            if (write(sh->stopfd, &one, sizeof one) < 0) {
                /* the counter is full: it is readable already */
            }
        }
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += STOP_POLL_NS;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        if (pthread_timedjoin_np(tid, NULL, &ts) != ETIMEDOUT)
            return;
        shape_report(sh);
    }
}
