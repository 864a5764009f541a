/*
 * loop.c: the event loop of a load thread.  Each thread owns an epoll
 * instance and its connections (conn.c).  It sleeps until its next event,
 * the next time a request or connect can time out, (open loop) the next
 * request is due, or (closed loop, a busy server) a short nap has let
 * responses gather; an early stop reaches it through an eventfd.
 */
#include "loadgen_private.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "harness/lib/clock.h"

#define MAX_EVENTS 256
#define SPIN_NS 20000          /* wait less than this: poll without sleeping */
#define TIMER_ONLY_NS 2000000  /* open loop: a send this close is waited for on
                                  the timer alone (responses read after it) */
#define NAP_BATCH 16           /* closed loop: nap only when fewer events are ready */
#define RATE_WINDOW_NS 2000000 /* the response rate is measured over this */
#define LAZY_EARLY_NS 1000000  /* flows, lazy: users due this soon go together */
#define LAZY_MAX_NS 5000000    /* flows, lazy: the longest wait on the timer alone */

/* Wait up to wait_ns for events (epoll_pwait2; in ms before Linux 5.11). */
static int ep_wait(int ep, struct epoll_event *evs, int max, uint64_t wait_ns)
{
    struct timespec ts;
    int n;

    ts.tv_sec = (time_t)(wait_ns / 1000000000u);
    ts.tv_nsec = (long)(wait_ns % 1000000000u);
    n = (int)syscall(SYS_epoll_pwait2, ep, evs, max, &ts, NULL, 0);
    if (n < 0 && errno == ENOSYS)
        n = (int)syscall(SYS_epoll_pwait, ep, evs, max,
                         (int)((wait_ns + 999999) / 1000000), NULL, 0);
    return n;
}

/* The window starts: take the thread's CPU time and the wall clock. */
static void measure_start(struct thread *t, uint64_t now)
{
    if (!t->measuring && now >= t->sh->t_warm) {
        uint64_t run;

        t->measuring = 1;
        getrusage(RUSAGE_THREAD, &t->ru0);
        t->have_q = clock_sched_times(&run, &t->q0) == 0;
        t->w0 = clock_now_ns();
    }
}

/* Timeouts, reconnects, and requests that waited too long in the queue;
 * then when the next of these can fall due. */
static void sweep(struct thread *t, uint64_t now)
{
    t->sweep_at = UINT64_MAX;
    conn_sweep(t, now);
    sched_sweep(t, now);
    shape_check(t, now);
}

/* With a live view: hand each interval in as it ends, also when the thread
 * has nothing else to do then (the view waits for every thread); then
 * when the next one ends. */
static void tick(struct thread *t, uint64_t now)
{
    const struct shared *sh = t->sh;
    uint64_t k;

    if (!t->o->progress || now < t->tick_at)
        return;
    timeline_at(t, now);
    k = now < sh->t_warm ? 0 : (now - sh->t_warm) / t->o->interval_ns;
    t->tick_at = sh->t_warm + (k + 1) * t->o->interval_ns;
}

static int wait_events(struct thread *t, struct epoll_event *evs, uint64_t wait_ns)
{
    return ep_wait(t->ep, evs, MAX_EVENTS, wait_ns < SPIN_NS ? 0 : wait_ns);
}

/* Open loop: sleep on the timer alone until target, then take the events
 * that came meanwhile.  Responses then wait to be read until the next send
 * (their latency ends at the kernel's arrival stamp, not at the read), so
 * the thread wakes once a send rather than once a send and once a
 * response. */
static int timer_sleep(struct thread *t, struct epoll_event *evs, uint64_t target)
{
    struct timespec ts = {(time_t)(target / 1000000000u), (long)(target % 1000000000u)};

    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    return ep_wait(t->ep, evs, MAX_EVENTS, 0);
}

/* Open loop: wait for events until the next request is due.  Waking from
 * a sleep takes time (tens of microseconds on a virtual machine), and a
 * late wake would be charged to the server as latency: so sleep until
 * wake_lag before the time, the lag learnt from the wakes so far, and spin
 * the rest.  Whenever the send is further away than that lag the thread
 * sleeps; when it is nearer, it spins and lowers the lag a little, so that
 * a few late wakes cannot keep it spinning for the rest of the run: the
 * next sleep measures the lag again. */
static int wait_due(struct thread *t, struct epoll_event *evs, uint64_t now, uint64_t due)
{
    uint64_t target;
    int n;

    t->woke_late = 0;
    if (due > now + t->wake_lag) {
        target = due - t->wake_lag;
        if (t->stamps && due - now <= TIMER_ONLY_NS)
            n = timer_sleep(t, evs, target);
        else
            n = ep_wait(t->ep, evs, MAX_EVENTS, target - now);
        now = clock_now_ns();
        if (n == 0 || now >= target) {   /* the timer, not an event, ended it */
            t->wake_lag = wake_lag_learn(t->wake_lag, now > target ? now - target : 0);
            t->woke_late = now > due + t->o->late_ns;
        }
        if (n != 0)
            return n;
    } else if (due > now) {
        t->wake_lag = wake_lag_spun(t->wake_lag);
    }
    /* the rest on the clock alone: with arrival stamps, responses can wait
     * to be read until the send is out; without, read them as they come */
    while (now < due) {
        if (!t->stamps && (n = ep_wait(t->ep, evs, MAX_EVENTS, 0)) != 0)
            return n;
        now = clock_now_ns();
    }
    return 0;
}

/* The offset of the kernel's receive stamps from the loop's clock. */
static void clocks_align(struct thread *t)
{
    struct timespec rt, mono;

    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    t->rt_off = ((int64_t)rt.tv_sec - mono.tv_sec) * 1000000000 + (rt.tv_nsec - mono.tv_nsec);
}

/* Closed loop: whether a pause before reading may be taken, `ready`
 * responses being in already (answered, so not queued at the server).
 * Each sleep in epoll_wait costs the server a wakeup of this thread for
 * the next response (tens of microseconds of its CPU on a virtual
 * machine), and the thread a wake; a short pause instead lets responses
 * gather and be read in one batch.  Their latency still ends at their arrival, stamped by the
 * kernel, so pauses are taken only with stamps.  And only while the server
 * has work queued for 1.5 pauses at the highest rate it reached lately: a
 * pause must never leave it idle, or the load would fall. */
static int nap_allowed(struct thread *t, uint64_t now, int ready)
{
    double rate, gather;

    if (now - t->rate_t0 >= RATE_WINDOW_NS) {
        rate = (double)(t->answered - t->rate_n0) / (double)(now - t->rate_t0);
        t->rate = rate > t->rate * 0.99 ? rate : t->rate * 0.99;
        t->rate_t0 = now;
        t->rate_n0 = t->answered;
    }
    if (!t->o->nap || !t->stamps || open_loop(t))
        return 0;
    gather = t->rate * t->nap_ns;   /* responses a pause gathers */
    return gather >= 2 && t->outstanding >= (uint64_t)ready &&
           (double)(t->outstanding - (uint64_t)ready) >= 1.5 * gather;
}

/* Closed loop: wait for events as wait_events does; but when a pause is
 * allowed and fewer than NAP_BATCH events are ready, pause first and take
 * what gathered. */
static int wait_batch(struct thread *t, struct epoll_event *evs, uint64_t now, uint64_t wait_ns)
{
    struct timespec ts = {0, LOAD_NAP_NS};
    uint64_t slept;
    int n, m;

    if (wait_ns < LOAD_NAP_NS || !nap_allowed(t, now, 0))
        return wait_events(t, evs, wait_ns);
    n = ep_wait(t->ep, evs, MAX_EVENTS, 0);
    if (n < 0 || n >= NAP_BATCH || !nap_allowed(t, now, n))
        return n;
    now = clock_now_ns();
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    slept = clock_now_ns() - now;
    if (slept > 4 * LOAD_NAP_NS)   /* descheduled: not what a nap costs */
        slept = 4 * LOAD_NAP_NS;
    t->nap_ns = (7 * t->nap_ns + (double)slept) / 8;
    t->naps++;
    m = ep_wait(t->ep, evs + n, MAX_EVENTS - n, 0);
    return m > 0 ? n + m : n;
}

/* Flows: the users whose think time is over take their next step (with
 * lazy waits, also those due within LAZY_EARLY_NS: a think time kept to
 * within that, for fewer wakes); then the next user due bounds the wait. */
static uint64_t users_due(struct thread *t, uint64_t now, uint64_t deadline)
{
    uint64_t upto = now + (t->lazy ? LAZY_EARLY_NS : 0);

    if (vuser_next_wake(t) <= upto) {
        vuser_wake_due(t, upto, now);
        if (open_loop(t))
            sched_dispatch(t, now);
    }
    return vuser_next_wake(t) < deadline ? vuser_next_wake(t) : deadline;
}

/* Flows whose every think time is long (thread.lazy), with the kernel's
 * arrival stamps: wait on the timer alone for the next user due (at most
 * LAZY_MAX_NS), then take what came meanwhile.  An answer read late still
 * ends at its arrival, and its user's think time runs from there, so it
 * is not late for its next step; the thread wakes once for the users due
 * together rather than once a send and once an answer. */
static int lazy_wait(struct thread *t, struct epoll_event *evs, uint64_t now,
                     uint64_t deadline)
{
    if (deadline > now + LAZY_MAX_NS)
        deadline = now + LAZY_MAX_NS;
    if (deadline <= now)
        return ep_wait(t->ep, evs, MAX_EVENTS, 0);
    return timer_sleep(t, evs, deadline);
}

static void loop_end(struct thread *t);

void loop_run(struct thread *t)
{
    const struct load_opts *o = t->o;
    struct epoll_event evs[MAX_EVENTS];
    uint64_t now = clock_now_ns();
    size_t i;
    int n;

    /* nothing happens before the schedule starts: whatever does is in the
     * warmup or the window, never lost */
    if (now < t->sh->t0) {
        struct timespec ts = {(time_t)(t->sh->t0 / 1000000000u),
                              (long)(t->sh->t0 % 1000000000u)};
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        now = clock_now_ns();
    }
    t->sweep_at = UINT64_MAX;
    t->stamps = 1;
    t->rate_t0 = now;
    t->nap_ns = 1.25 * LOAD_NAP_NS;   /* until measured */
    clocks_align(t);
    for (i = 0; i < t->nconns; i++) {
        if (open_loop(t) && !o->keepalive)
            conn_free_push(t, &t->conns[i]);
        else if (t->conns[i].active)
            conn_connect(t, &t->conns[i], now);
    }
    shape_check(t, now);
    for (;;) {
        uint64_t deadline;

        now = clock_now_ns();
        measure_start(t, now);
        if (o->stop && *o->stop)
            break;
        if (now >= t->sh->t_end) {
            /* what fell due since the last look, up to the end, is counted
             * as due (and, not sent, as left at the end): a thread woken
             * late at the end must not shorten the schedule */
            if (open_loop(t))
                sched_due(t, t->sh->t_end - 1);
            break;
        }
        tick(t, now);
        if (open_loop(t)) {
            sched_due(t, now);
            sched_dispatch(t, now);
        }
        if (now >= t->sweep_at) {
            sweep(t, now);
            if (open_loop(t))
                sched_dispatch(t, now);
        }
        deadline = t->sweep_at < t->sh->t_end ? t->sweep_at : t->sh->t_end;
        if (t->users)
            deadline = users_due(t, now, deadline);
        if (!t->measuring && t->sh->t_warm < deadline)
            deadline = t->sh->t_warm;
        if (o->progress && t->tick_at < deadline)
            deadline = t->tick_at;
        if (t->u) {   /* completions are handled as they are taken */
            clocks_align(t);
            n = uring_wait(t, deadline > now ? deadline - now : 0);
            if (n < 0 && errno != EINTR) {
                err_set(&t->e, "io_uring_enter: %s", strerror(errno));
                t->failed = 1;
                break;
            }
            continue;
        }
        if (t->lazy && t->stamps)
            n = lazy_wait(t, evs, now, deadline);
        else if (open_loop(t) && t->next_due < (double)deadline) {
            deadline = t->next_due > (double)now ? (uint64_t)t->next_due : now;
            n = wait_due(t, evs, now, deadline);
        } else if (!open_loop(t))
            n = wait_batch(t, evs, now, deadline > now ? deadline - now : 0);
        else
            n = wait_events(t, evs, deadline > now ? deadline - now : 0);
        clocks_align(t);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            err_set(&t->e, "epoll_wait: %s", strerror(errno));
            t->failed = 1;
            break;
        }
        for (i = 0; i < (size_t)n; i++) {
            if (evs[i].data.u64 == STOP_KEY)
                continue;   /* the stop flag is read at the top of the loop */
            conn_event(t, evs[i].data.u64, evs[i].events);
        }
    }
    loop_end(t);
}

/* The loop has ended: the thread's CPU time, and what is left: written
 * and not answered, due and not written. */
static void loop_end(struct thread *t)
{
    uint64_t now = clock_now_ns();
    size_t i;

    getrusage(RUSAGE_THREAD, &t->ru1);
    if (t->have_q) {
        uint64_t run;
        t->have_q = clock_sched_times(&run, &t->q1) == 0;
    }
    t->w1 = now;
    for (i = 0; i < t->nconns; i++) {
        struct conn *c = &t->conns[i];
        t->inflight_end += c->nsent - c->unaccepted;   /* those were counted */
        t->unsent_end += c->nreq - c->nsent;
        if (c->fd >= 0)
            close(c->fd);
        c->fd = -1;
    }
    t->unsent_end += t->pend_n;
    timeline_flush(t, t->sh->nslots);
}
