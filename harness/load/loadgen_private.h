/*
 * loadgen_private.h: what the files of the load generator share: a load
 * thread, its connections and the run the threads share, and the calls
 * between the files (loadgen.h is the generator's public header):
 *
 *   loadgen.c   load_run: start the threads, merge what they counted
 *   thread.c    a thread's setup, entry point, teardown, and its join
 *   loop.c      a thread's event loop: waits, naps, sweeps
 *   conn.c      the connection state machine: connect, write, read, parse,
 *               complete a response, fail and reconnect
 *   sched.c     the open-loop schedule: due requests, their queue, dispatch
 *   timeline.c  counting in the measured window: the time series, errors
 *   stage.c     load shapes: targets of stages, the open loop's arrivals
 *   shape.c     the shape in a run: which connections are active, the
 *               staged schedule, the live view's feed
 *   uring.c     the io_uring back end of the loop (closed loop, keep-alive)
 *
 * A response is read, parsed, recorded and the next request written
 * without leaving conn.c: what that path needs from elsewhere is inline
 * here (timeline_at, conn_has_room, conn_free_push).
 */
#ifndef PACER_LOADGEN_PRIVATE_H
#define PACER_LOADGEN_PRIVATE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include "harness/lib/err.h"
#include "harness/lib/rng.h"
#include "hist.h"
#include "http.h"
#include "loadgen.h"

#define RBUF_SIZE 65536
#define MAX_ERRNOS 32
#define IV_DIGITS 2
#define STOP_KEY UINT64_MAX    /* the epoll key of the stop event */

enum conn_state { CS_CLOSED, CS_CONNECTING, CS_OPEN };

struct conn {
    int fd;
    uint32_t gen;             /* tells a stale event of a closed socket */
    uint8_t state;
    uint8_t wblocked;         /* wait for the output edge */
    uint8_t want_out;         /* registered for output events */
    uint8_t in_free;          /* on the thread's free stack */
    uint8_t active;           /* closed loop: sends (with stages: while its
                                 global number is below the target) */
    uint32_t unaccepted;      /* of its oldest requests, those counted as not
                                 accepted (unacknowledged by the server's
                                 kernel in a timeout): their answers, if
                                 any come, are not counted again */
    uint32_t nreq;            /* requests assigned, oldest at head */
    uint32_t nsent;           /* of those, written (or being written) */
    uint32_t head;
    uint32_t woff, wlen;      /* the write in progress */
    uint64_t connect_start;
    uint64_t retry_at;
    uint64_t backoff;
    union {
        struct http_parser h;
        struct framer f;
    } p;
    uint64_t *origin;         /* ring of `pipeline`: where latency starts */
    uint64_t *sent;           /* ring: when the write started */
    struct vuser *u;          /* flows: the user on this connection */
};

/* A virtual user (flows): the connection's, in what it does next. */
struct cookie {
    char *name, *value;
};

struct vuser {
    uint32_t number;          /* 1.. across the run */
    uint32_t flow, step;      /* what it does next */
    uint8_t busy;             /* open loop: in an iteration */
    uint8_t thinking;         /* waits until ready_at (on the thread's heap) */
    uint64_t ready_at;
    uint64_t iter_start;      /* the intended start of the iteration */
    uint64_t iteration;       /* of this user, from 0 */
    uint64_t counter;         /* of the iteration: unique across the run */
    size_t *rows;             /* of each data file: the iteration's row */
    char **cap;               /* captured values (NULL: none yet) */
    struct cookie *jar;
    size_t njar;
    char *req;                /* the request being sent */
    size_t reqlen, reqcap;
    char *body;               /* its body, made before its head (kept) */
    size_t bodycap;
    char *resp;               /* the answer as it arrives (NUL after) */
    size_t resplen, respcap;
    int overflow;             /* the answer was larger than max_body */
    int headed;               /* a step that reads no body: its headers are in */
};

/* What a thread counted of a step or a flow (merged into load_out). */
struct step_tally {
    struct hist lat, lat_sent;
    uint64_t requests, errors[LC_NCLASS], checks, checks_failed;
};

struct flow_tally {
    struct hist dur;
    uint64_t iterations, aborted;
};

/* A user's wake-up after its think time: on a min-heap by time. */
struct wake {
    uint64_t at;
    uint32_t conn;
};

/* The time series, merged across threads. */
struct ivslot {
    struct load_interval row;
    struct hist h;
    unsigned contributed;
    unsigned sampled;         /* threads that sampled their active connections */
};

/* What the threads of a run share: its options, its clock marks (start of
 * the schedule, end of the warmup, end), the time series, the stop event. */
struct shared {
    const struct load_opts *o;
    uint64_t t0, t_warm, t_end;
    pthread_mutex_t lock;
    struct ivslot *slots;
    size_t nslots;
    unsigned nthreads;
    enum load_io io;          /* the back end the threads are to use */
    int stopfd;               /* readable once the run is to stop early */
    size_t reported;          /* slots handed to o->progress so far */
};

/* A load thread: its connections, its epoll set, its schedule (open loop),
 * what it learnt of naps and wakes, and what it counted. */
struct thread {
    struct shared *sh;
    const struct load_opts *o;
    unsigned index;
    pthread_t tid;
    int ep;
    struct uring *u;          /* the io_uring back end (uring.c); NULL: epoll */
    struct err io_err;        /* why not io_uring, when asked and not set up */
    struct conn *conns;
    size_t nconns;
    char *rbuf;
    char *wbuf;               /* the request, `pipeline` times */
    /* open loop */
    double gap_ns;            /* mean spacing of this thread's schedule */
    double next_due;
    uint64_t wake_lag;        /* how late a sleep ends, learnt */
    int woke_late;            /* the last sleep ended more than late_ns late */
    uint64_t sweep_at;        /* no timeout or retry falls due before this */
    /* stages */
    double next_n;            /* open loop: the next arrival, in the shape's
                                 count of arrivals (N domain) */
    struct load_stage_cursor cursor;
    uint64_t shape_at;        /* closed loop: when activity is checked next */
    double users_sum;         /* closed loop: active connections in place,
                                 integrated over the current interval (ns) */
    double users_w;           /*   the time integrated (ns) */
    double users_last;        /*   the last sample, and when it was taken */
    uint64_t users_at;
    uint64_t tick_at;         /* with a live view: the next interval's start */
    /* receive times and pauses (closed loop) */
    int stamps;               /* the kernel stamps arrivals (until a read comes without) */
    int64_t rt_off;           /* CLOCK_REALTIME - CLOCK_MONOTONIC, as of the last wake */
    uint64_t outstanding;     /* requests written and not answered */
    uint64_t answered;        /* responses so far (the rate's count) */
    uint64_t rate_t0, rate_n0;
    double rate;              /* responses per ns: the highest window lately */
    double nap_ns;            /* how long a nap lasts, learnt */
    uint64_t reads, stamped, naps;
    struct rng rng;
    uint64_t *pending;        /* ring of intended starts, due, not written */
    size_t pend_head, pend_n, pend_cap;
    uint32_t *freestack;
    size_t nfree;
    /* interval being filled */
    size_t cur;
    uint64_t iv_from, iv_to;  /* its time span, once known */
    struct load_interval iv;
    struct hist ivh;
    /* totals of the window */
    uint64_t requests, sent, bytes, late, queued, connects;
    uint64_t server_closed;   /* connections the server closed (conn.c) */
    uint64_t due, no_conn;    /* open loop: due, due with no connection free */
    uint64_t late_wake;       /* of late: seen to after a sleep that overran */
    uint64_t errors[LC_NCLASS];
    struct load_errno errnos[MAX_ERRNOS];
    size_t nerrnos;
    uint64_t inflight_end, unsent_end;
    uint64_t warm_requests, warm_errors;   /* before the window */
    struct hist lat, lat_sent;
    struct rusage ru0, ru1;
    uint64_t w0, w1;          /* wall clock of the rusage readings */
    uint64_t q0, q1;          /* time waiting for a CPU (schedstat), ns */
    int have_q;               /* q0 and q1 were read */
    /* flows */
    size_t conn_base;         /* the global number of this thread's first connection */
    struct vuser *users;
    struct step_tally *steps;
    struct flow_tally *flows;
    double *flow_cum;         /* cumulative weights */
    struct wake *wakes;       /* min-heap of thinking users */
    size_t nwakes;
    uint64_t iter_seq;        /* iterations begun by this thread */
    int lazy;                 /* closed loop, every think time at least
                                 LAZY_THINK_NS: answers may wait to be read
                                 (loop.c, lazy_wait) */
    int measuring;
    int failed;
    struct err e;
};

/* Whether the run is an open loop (a rate is given). */
static inline int open_loop(const struct thread *t)
{
    return t->o->rate > 0;
}

/* Something may time out or be retried at `at`: sweep no later.  The
 * thread sleeps until the sweep or the next event and never sets a
 * shorter timer: a sleep whose timer is the next one due on the CPU costs
 * two timer reprogrammings (on a virtual machine, exits to the host),
 * which was 8 % of the CPU of a closed loop that swept every 10 ms. */
static inline void sweep_by(struct thread *t, uint64_t at)
{
    if (at < t->sweep_at)
        t->sweep_at = at;
}

/* The slot k places after c's oldest request in its ring of `pipeline`
 * (k <= pipeline): without a division, as this runs per request. */
static inline uint32_t ring_slot(const struct thread *t, const struct conn *c, uint32_t k)
{
    uint32_t slot = c->head + k;

    return slot >= t->o->pipeline ? slot - t->o->pipeline : slot;
}

/* Whether c goes on with requests: while a stage keeps it active, and a
 * user (flows) that a stage made inactive until its iteration is over, as
 * k6's graceful ramp-down lets an iteration finish. */
static inline int conn_goes_on(const struct conn *c)
{
    return c->active || (c->u && c->u->busy);
}

/* Whether c can take another request now: with keep-alive, c is open and
 * its pipeline not full; without, c is closed, idle and due to reconnect. */
static inline int conn_has_room(const struct thread *t, const struct conn *c, uint64_t now)
{
    if (c->u && c->u->busy)
        return 0;
    if (t->o->keepalive)
        return c->state == CS_OPEN && c->nreq < t->o->pipeline;
    return c->state == CS_CLOSED && c->nreq == 0 && now >= c->retry_at;
}

/* Put c on the thread's stack of connections with room (open loop). */
static inline void conn_free_push(struct thread *t, struct conn *c)
{
    if (!c->in_free) {
        c->in_free = 1;
        t->freestack[t->nfree++] = (uint32_t)(c - t->conns);
    }
}

/* Open loop: the wake lag learnt from a sleep that ended `over` ns after
 * its target (one late wake counts at most 1 ms). */
static inline uint64_t wake_lag_learn(uint64_t lag, uint64_t over)
{
    if (over > 1000000)
        over = 1000000;
    return (7 * lag + over) / 8;
}

/* Open loop: the wake lag after a send that was too near to sleep for:
 * lowered a little, so that a few late wakes cannot keep the thread
 * spinning for the rest of the run (the next sleep measures it again). */
static inline uint64_t wake_lag_spun(uint64_t lag)
{
    return lag - lag / 16;
}

/* ---- vuser.c (flows) ------------------------------------------------------- */

/* The shortest think time after every step for which a thread of flows
 * waits lazily (loop.c): an answer read up to LAZY_MAX_NS late is then
 * never late for its user's next step. */
#define LAZY_THINK_NS 20000000

/* Give each of t's connections a user, and t its tallies.  -1 with e. */
int vuser_init(struct thread *t, struct err *e);
void vuser_free(struct thread *t);
/* Closed loop: c's user makes its next request now if it is not thinking
 * (c->nreq becomes 1).  1 when it did, else 0. */
int vuser_assign(struct thread *t, struct conn *c, uint64_t now);
/* Open loop: c's free user begins an iteration intended to start at v. */
void vuser_begin(struct thread *t, struct conn *c, uint64_t v, uint64_t now);
/* Bytes of the answer in progress on c. */
void vuser_take(const struct thread *t, struct conn *c, const char *buf, size_t n);
/* c's answer is complete at now (lat: its latency, sent: from its write;
 * in_window: counted): check it, capture from it, move the user on. */
void vuser_done(struct thread *t, struct conn *c, uint64_t now, int in_window, uint64_t lat,
                uint64_t lat_sent);
/* c's request failed (class cls): the step's error, the iteration given up. */
void vuser_failed(struct thread *t, struct conn *c, enum load_class cls, uint64_t now);
/* Users whose think time is over by upto (>= now, the time): their next
 * request, or their connection. */
void vuser_wake_due(struct thread *t, uint64_t upto, uint64_t now);
/* When the next thinking user wakes (UINT64_MAX: none). */
static inline uint64_t vuser_next_wake(const struct thread *t)
{
    return t->nwakes ? t->wakes[0].at : UINT64_MAX;
}

/* ---- timeline.c ---------------------------------------------------------- */

/* The slow path of timeline_at: now is outside the current interval. */
struct load_interval *timeline_advance(struct thread *t, uint64_t now);
/* Hand the thread's interval t->cur to the shared slot, and empty ones up
 * to (not including) upto. */
void timeline_flush(struct thread *t, size_t upto);
/* Count n errors of class cls at now (errnum the cause, 0: not a system
 * error; why: what went wrong, a static text, or NULL), in the interval
 * and the totals; before the window as errors of the warmup. */
void timeline_add_errors(struct thread *t, enum load_class cls, int errnum, const char *why,
                         uint64_t n, uint64_t now);

/* The interval row for an event at now, or NULL outside the window.  It
 * runs several times per request: the division (timeline_advance) only
 * when now leaves the current interval. */
static inline struct load_interval *timeline_at(struct thread *t, uint64_t now)
{
    if (now >= t->iv_from && now < t->iv_to)
        return &t->iv;
    return timeline_advance(t, now);
}

/* ---- conn.c ---------------------------------------------------------------- */

/* Open a socket for c and start connecting; its events are registered
 * once.  -1 when that failed (counted, c closed, to be retried). */
int conn_connect(struct thread *t, struct conn *c, uint64_t now);
/* Write what is assigned to c and not yet written.  -1 when c failed. */
int conn_write(struct thread *t, struct conn *c, uint64_t now);
/* Handle the epoll events ev of the socket with key (the connection's
 * generation << 32 | its index): connected, input, room to write. */
void conn_event(struct thread *t, uint64_t key, uint32_t ev);
/* After a response, a (re)connection or a user's think time: keep c busy
 * (closed loop), or offer it (open loop). */
void conn_next(struct thread *t, struct conn *c, uint64_t now);
/* Connects and requests that timed out, connections due to be opened
 * again; then when the next of these can fall due (sweep_by). */
void conn_sweep(struct thread *t, uint64_t now);
/* c has just become active (stages): connect it, or give it its next
 * request, now. */
void conn_wake(struct thread *t, struct conn *c, uint64_t now);

/* The io_uring back end's completions (uring.c calls them): n bytes
 * arrived on c (0: end of file), a send ended (res: bytes, or -errno), a
 * connect ended (poll), a receive failed. */
void conn_received(struct thread *t, struct conn *c, const char *buf, size_t n,
                   uint64_t arrived, uint64_t now);
void conn_sent(struct thread *t, struct conn *c, int res, uint64_t now);
void conn_connect_done(struct thread *t, struct conn *c, uint64_t now);
void conn_io_failed(struct thread *t, struct conn *c, enum load_class cls, int errnum,
                    uint64_t now);

/* ---- uring.c --------------------------------------------------------------- */

/* Set up t's ring and its provided buffers.  -1 with the cause in e (the
 * kernel or its policy refuses io_uring, or lacks a feature). */
int uring_init(struct thread *t, struct err *e);
void uring_free(struct thread *t);
/* Queue a poll for c's connect to end. */
int uring_connect_wait(struct thread *t, struct conn *c);
/* c is open: arm its multishot receive. */
int uring_opened(struct thread *t, struct conn *c);
/* Queue a send of what c has to write; k requests from ring slot `slot`
 * are stamped as written when the send is submitted. */
int uring_send(struct thread *t, struct conn *c, uint32_t slot, uint32_t k);
/* c's socket is about to be closed: cancel what is in flight on it. */
void uring_close(struct thread *t, struct conn *c);
/* Submit what is queued, wait up to wait_ns for completions and handle
 * them.  Their count, or -1 with errno. */
int uring_wait(struct thread *t, uint64_t wait_ns);
/* NULL when this process may use io_uring, else why not (a seccomp
 * policy or kernel.io_uring_disabled can refuse it). */
const char *uring_available(void);

/* ---- sched.c --------------------------------------------------------------- */

/* The gap to the next intended start (constant, or Poisson arrivals). */
double sched_gap(struct thread *t);
/* Move requests that are due at now from the schedule to the queue. */
void sched_due(struct thread *t, uint64_t now);
/* Give queued requests to connections with room. */
void sched_dispatch(struct thread *t, uint64_t now);
/* Put back at the head of the queue a request that was not written
 * (intended start v). */
void sched_requeue(struct thread *t, uint64_t v);
/* Requests that waited too long in the queue are timeouts. */
void sched_sweep(struct thread *t, uint64_t now);

/* ---- shape.c ---------------------------------------------------------------- */

/* The global number of connection j of thread `index` of n: numbers go
 * round the threads (0 on thread 0, 1 on thread 1, ...), so that the
 * connections below any target are spread evenly over the threads. */
static inline uint64_t shape_number(unsigned index, size_t j, unsigned n)
{
    return (uint64_t)j * n + index;
}

/* Whether the run follows stages of connections (closed loop). */
static inline int shape_closed(const struct thread *t)
{
    return t->o->nstages > 0;
}

/* Thread t's first arrival (open loop) as a time, and the next after it:
 * from the rate stages when there are, else at the fixed rate. */
void shape_first_due(struct thread *t);
void shape_next_due(struct thread *t);
/* Closed loop with stages: mark t's connections active or not for the
 * target at now, start those that became active, sample how many are
 * active and open; then when to check again (sweep_by).  Without stages
 * every connection is active. */
void shape_check(struct thread *t, uint64_t now);
/* Hand the intervals every thread has finished to o->progress (from the
 * thread that started the run). */
void shape_report(struct shared *sh);

/* ---- loop.c, thread.c ------------------------------------------------------ */

/* The event loop of thread t, to the end of the run; then what is left
 * (written and not answered, due and not written) is counted. */
void loop_run(struct thread *t);

/* Set up thread t: its epoll set (with the stop event), buffers,
 * connections and histograms.  -1 with the cause in e. */
int thread_init(struct thread *t, struct shared *sh, unsigned index, size_t nconns,
                struct err *e);
/* The entry point of a load thread (arg: its struct thread). */
void *thread_main(void *arg);
/* Wait for a load thread, passing a stop request on (see thread.c). */
void thread_join(struct shared *sh, pthread_t tid);
/* Release what thread_init took (also after it failed). */
void thread_free(struct thread *t);

#endif
