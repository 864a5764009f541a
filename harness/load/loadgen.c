/*
 * loadgen.c: the load generator's threads and connections (see loadgen.h).
 *
 * Each thread owns an epoll instance and its connections.  A socket is
 * added to the epoll set once, edge-triggered for input and output, when it
 * is created; afterwards a request is one write() and a response one or
 * more recvmsg()s: a short read means the socket was drained and a short
 * write that its buffer is full, and in both cases the next edge wakes the
 * loop.  Each read carries the kernel's arrival time of its last byte,
 * where a response's latency ends.  A thread sleeps until its next event,
 * the next time a request or connect can time out, (open loop) the next
 * request is due, or (closed loop, a busy server) a short nap has let
 * responses gather; an early stop reaches it through an eventfd.  Per-thread counts are merged when
 * the threads end; the time series' intervals are merged under a lock once
 * per interval and thread.
 */
#include "loadgen.h"

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "harness/lib/rng.h"
#include "http.h"

#define RBUF_SIZE 65536
#define MAX_EVENTS 256
#define MAX_ERRNOS 32
#define IV_DIGITS 2
#define SPIN_NS 20000          /* wait less than this: poll without sleeping */
#define STOP_KEY UINT64_MAX    /* the epoll key of the stop event */
#define NAP_BATCH 16           /* closed loop: nap only when fewer events are ready */
#define RATE_WINDOW_NS 2000000 /* the response rate is measured over this */
#define STOP_POLL_NS 20000000  /* how often the main thread looks at the stop flag */
#define REOPEN_NS 10000000ull  /* a connection lost to an error is reopened this much later */
#define BACKOFF_MIN_NS 10000000ull
#define BACKOFF_MAX_NS 1000000000ull

static const char *const class_names[LC_NCLASS] = {
    "connect", "read", "write", "timeout", "parse", "status_4xx", "status_5xx",
};

const char *load_class_name(enum load_class c)
{
    return (unsigned)c < LC_NCLASS ? class_names[c] : "?";
}

void load_opts_default(struct load_opts *o)
{
    memset(o, 0, sizeof *o);
    o->connections = 10;
    o->threads = 2;
    o->pipeline = 1;
    o->keepalive = 1;
    o->arrival = ARRIVAL_CONSTANT;
    o->duration_ns = 10000000000ull;
    o->timeout_ns = 2000000000ull;
    o->interval_ns = 1000000000ull;
    o->late_ns = 1000000;
    o->digits = 3;
    o->monitor_period_ns = 100000000ull;
}

enum conn_state { CS_CLOSED, CS_CONNECTING, CS_OPEN };

struct conn {
    int fd;
    uint32_t gen;             /* tells a stale event of a closed socket */
    uint8_t state;
    uint8_t wblocked;         /* wait for the output edge */
    uint8_t want_out;         /* registered for output events */
    uint8_t in_free;          /* on the thread's free stack */
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
};

/* The time series, merged across threads. */
struct ivslot {
    struct load_interval row;
    struct hist h;
    unsigned contributed;
};

struct shared {
    const struct load_opts *o;
    uint64_t t0, t_warm, t_end;
    pthread_mutex_t lock;
    struct ivslot *slots;
    size_t nslots;
    unsigned nthreads;
    int stopfd;               /* readable once the run is to stop early */
};

struct thread {
    struct shared *sh;
    const struct load_opts *o;
    unsigned index;
    pthread_t tid;
    int ep;
    struct conn *conns;
    size_t nconns;
    char *rbuf;
    char *wbuf;               /* the request, `pipeline` times */
    /* open loop */
    double gap_ns;            /* mean spacing of this thread's schedule */
    double next_due;
    uint64_t wake_lag;        /* how late a sleep ends, learnt */
    uint64_t sweep_at;        /* no timeout or retry falls due before this */
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
    uint64_t errors[LC_NCLASS];
    struct load_errno errnos[MAX_ERRNOS];
    size_t nerrnos;
    uint64_t inflight_end, unsent_end;
    const char *parse_reason;
    struct hist lat, lat_sent;
    struct rusage ru0, ru1;
    uint64_t w0, w1;          /* wall clock of the rusage readings */
    int measuring;
    int failed;
    struct err e;
};

static int open_loop(const struct thread *t)
{
    return t->o->rate > 0;
}

/* Something may time out or be retried at `at`: sweep no later.  The
 * thread sleeps until the sweep or the next event and never sets a
 * shorter timer: a sleep whose timer is the next one due on the CPU costs
 * two timer reprogrammings (on a virtual machine, exits to the host),
 * which was 8 % of the CPU of a closed loop that swept every 10 ms. */
static void sweep_by(struct thread *t, uint64_t at)
{
    if (at < t->sweep_at)
        t->sweep_at = at;
}

/* The system calls of the loop, without the thread-cancellation
 * bookkeeping the libc wrappers add in a threaded process (nothing here is
 * cancelled): it was a sixth of the generator's user time. */
static ssize_t sock_recvmsg(int fd, struct msghdr *msg)
{
    return syscall(SYS_recvmsg, fd, msg, 0);
}

static ssize_t sock_write(int fd, const void *buf, size_t n)
{
    return syscall(SYS_write, fd, buf, n);
}

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

/* ---- the time series ---------------------------------------------------- */

static void slot_finish(struct ivslot *s)
{
    static const double ps[] = {50, 90, 99, 99.9, 100};
    uint64_t v[5];

    if (s->h.counts && s->h.count) {
        hist_percentiles(&s->h, ps, 5, v);
        s->row.p50 = v[0];
        s->row.p90 = v[1];
        s->row.p99 = v[2];
        s->row.p999 = v[3];
        s->row.max = v[4];
    }
    hist_free(&s->h);
}

/* Hand the thread's interval t->cur to the shared slot, and empty ones up
 * to (not including) upto. */
static void iv_flush(struct thread *t, size_t upto)
{
    struct shared *sh = t->sh;
    size_t i;
    int c;

    pthread_mutex_lock(&sh->lock);
    for (i = t->cur; i < upto && i < sh->nslots; i++) {
        struct ivslot *s = &sh->slots[i];
        if (i == t->cur && t->iv.requests + t->iv.sent + t->iv.late + t->iv.bytes) {
            s->row.requests += t->iv.requests;
            s->row.sent += t->iv.sent;
            s->row.late += t->iv.late;
            s->row.bytes += t->iv.bytes;
            if (t->ivh.count) {
                if (!s->h.counts && hist_init(&s->h, IV_DIGITS, t->ivh.highest, NULL) < 0)
                    t->failed = 1;
                else
                    hist_merge(&s->h, &t->ivh, NULL);
            }
        }
        if (i == t->cur)
            for (c = 0; c < LC_NCLASS; c++)
                s->row.errors[c] += t->iv.errors[c];
        if (++s->contributed == sh->nthreads)
            slot_finish(s);
    }
    pthread_mutex_unlock(&sh->lock);
    memset(&t->iv, 0, sizeof t->iv);
    hist_reset(&t->ivh);
    t->cur = upto;
    t->iv_from = t->iv_to = 0;
}

/* The interval row for an event at now, or NULL outside the window.  It
 * runs several times per request: the division only when now leaves the
 * current interval. */
static struct load_interval *iv_at(struct thread *t, uint64_t now)
{
    const struct shared *sh = t->sh;
    size_t idx;

    if (now >= t->iv_from && now < t->iv_to)
        return &t->iv;
    if (now < sh->t_warm || now >= sh->t_end)
        return NULL;
    idx = (now - sh->t_warm) / t->o->interval_ns;
    if (idx > t->cur)
        iv_flush(t, idx);
    if (idx == t->cur) {
        t->iv_from = sh->t_warm + idx * t->o->interval_ns;
        t->iv_to = t->iv_from + t->o->interval_ns;
        if (t->iv_to > sh->t_end)
            t->iv_to = sh->t_end;
    }
    return &t->iv;
}

/* The slot k places after c's oldest request in its ring of `pipeline`
 * (k <= pipeline): without a division, as this runs per request. */
static uint32_t ring_slot(const struct thread *t, const struct conn *c, uint32_t k)
{
    uint32_t slot = c->head + k;

    return slot >= t->o->pipeline ? slot - t->o->pipeline : slot;
}

/* ---- counting ------------------------------------------------------------ */

static void count_error(struct thread *t, enum load_class cls, int errnum, uint64_t n,
                        uint64_t now)
{
    struct load_interval *iv = iv_at(t, now);
    size_t i;

    if (!iv || !n)
        return;
    iv->errors[cls] += n;
    t->errors[cls] += n;
    for (i = 0; i < t->nerrnos; i++)
        if (t->errnos[i].cls == cls && t->errnos[i].errnum == errnum)
            break;
    if (i == t->nerrnos) {
        if (i == MAX_ERRNOS)
            i--;   /* the last slot collects the rest */
        else {
            t->nerrnos++;
            t->errnos[i].cls = cls;
            t->errnos[i].errnum = errnum;
        }
    }
    t->errnos[i].count += n;
}

static void measure_start(struct thread *t, uint64_t now)
{
    if (!t->measuring && now >= t->sh->t_warm) {
        t->measuring = 1;
        getrusage(RUSAGE_THREAD, &t->ru0);
        t->w0 = clock_now_ns();
    }
}

/* ---- connections ----------------------------------------------------------- */

static void parser_reset(struct thread *t, struct conn *c)
{
    if (t->o->url.scheme == SCHEME_HTTP)
        http_parser_init(&c->p.h, t->o->head, t->o->max_header);
    else {
        c->p.f = t->o->framing;
        framer_reset(&c->p.f);
    }
}

static int has_room(const struct thread *t, const struct conn *c, uint64_t now)
{
    if (t->o->keepalive)
        return c->state == CS_OPEN && c->nreq < t->o->pipeline;
    return c->state == CS_CLOSED && c->nreq == 0 && now >= c->retry_at;
}

static void free_push(struct thread *t, struct conn *c)
{
    if (!c->in_free) {
        c->in_free = 1;
        t->freestack[t->nfree++] = (uint32_t)(c - t->conns);
    }
}

static void pend_push_front(struct thread *t, uint64_t v);
static int conn_connect(struct thread *t, struct conn *c, uint64_t now);

/* Close c.  Every request written on it and not answered is an error of
 * class cls (errnum the cause); a connect failure counts once, and the
 * next attempt waits, longer after each failure in a row.  Requests not
 * yet written go back to the queue (open loop).  A clean close (no
 * request outstanding) counts nothing. */
static void conn_fail(struct thread *t, struct conn *c, enum load_class cls, int errnum,
                      uint64_t now)
{
    uint32_t i;

    if (cls == LC_CONNECT)
        count_error(t, cls, errnum, 1, now);
    else
        count_error(t, cls, errnum, c->nsent, now);
    if (open_loop(t))   /* not written: back to the queue, oldest first */
        for (i = c->nreq; i > c->nsent; i--)
            pend_push_front(t, c->origin[ring_slot(t, c, i - 1)]);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->gen++;
    c->state = CS_CLOSED;
    t->outstanding -= c->nsent;
    c->nreq = c->nsent = 0;
    c->head = 0;
    c->woff = c->wlen = 0;
    c->wblocked = 0;
    c->retry_at = now;
    if (cls == LC_CONNECT) {
        c->backoff = c->backoff ? c->backoff * 2 : BACKOFF_MIN_NS;
        if (c->backoff > BACKOFF_MAX_NS)
            c->backoff = BACKOFF_MAX_NS;
        c->retry_at = now + c->backoff;
        sweep_by(t, c->retry_at);
    }
}

/* c failed on a read or write error (the server reset it, say): reopen it
 * a little later, at a sweep, rather than at once into the same error. */
static void conn_lost(struct thread *t, struct conn *c, enum load_class cls, int errnum,
                      uint64_t now)
{
    conn_fail(t, c, cls, errnum, now);
    c->retry_at = now + REOPEN_NS;
    sweep_by(t, c->retry_at);
}

/* The epoll events of a socket: output only while connecting or while a
 * write waits for room, so that the ACKs of every request do not make the
 * socket ready again (each such event is a tcp_poll and may be a wakeup). */
static void conn_events(struct thread *t, struct conn *c, uint32_t events)
{
    struct epoll_event ev;

    ev.events = events | EPOLLIN | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = ((uint64_t)c->gen << 32) | (uint32_t)(c - t->conns);
    epoll_ctl(t->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* A write found the socket full: wait for room (rare, so one epoll_ctl is
 * cheap here). */
static void conn_block(struct thread *t, struct conn *c)
{
    c->wblocked = 1;
    if (!c->want_out) {
        c->want_out = 1;
        conn_events(t, c, EPOLLOUT);
    }
}

/* Write what is assigned and not yet written.  -1 when c failed. */
static int conn_write(struct thread *t, struct conn *c, uint64_t now)
{
    const struct load_opts *o = t->o;
    struct load_interval *iv;
    uint32_t i, k;
    ssize_t n;

    if (c->state != CS_OPEN || c->wblocked)
        return 0;
    for (;;) {
        if (c->woff < c->wlen) {
            n = sock_write(c->fd, t->wbuf + c->woff, c->wlen - c->woff);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN) {
                    conn_block(t, c);
                    return 0;
                }
                conn_lost(t, c, LC_WRITE, errno, now);
                return -1;
            }
            c->woff += (uint32_t)n;
            if (c->woff < c->wlen) {   /* the socket buffer is full */
                conn_block(t, c);
                return 0;
            }
        }
        if (c->nsent == c->nreq)
            return 0;
        k = c->nreq - c->nsent;
        iv = iv_at(t, now);
        for (i = 0; i < k; i++) {
            uint32_t slot = ring_slot(t, c, c->nsent + i);
            c->sent[slot] = now;
            if (iv && open_loop(t) && now - c->origin[slot] > o->late_ns)
                t->queued++;
            if (!open_loop(t) && (o->keepalive || c->nsent + i > 0))
                c->origin[slot] = now;
        }
        if (iv) {
            iv->sent += k;
            t->sent += k;
        }
        sweep_by(t, now + o->timeout_ns);
        t->outstanding += k;
        c->nsent = c->nreq;
        c->wlen = k * (uint32_t)o->reqlen;
        c->woff = 0;
    }
}

/* One response is complete: its last byte arrived at `now` (never before
 * its request was written; a receive time converted between clocks could
 * seem to be). */
static void conn_done(struct thread *t, struct conn *c, uint64_t now)
{
    const struct load_opts *o = t->o;
    uint32_t slot = c->head;
    struct load_interval *iv;

    if (now < c->sent[slot])
        now = c->sent[slot];
    iv = iv_at(t, now);

    if (iv) {
        uint64_t lat = now - c->origin[slot];
        hist_record(&t->lat, lat);
        hist_record(&t->ivh, lat);
        if (open_loop(t))
            hist_record(&t->lat_sent, now - c->sent[slot]);
        iv->requests++;
        t->requests++;
        if (o->url.scheme == SCHEME_HTTP) {
            if (c->p.h.status >= 500)
                count_error(t, LC_STATUS_5XX, 0, 1, now);
            else if (c->p.h.status >= 400)
                count_error(t, LC_STATUS_4XX, 0, 1, now);
        }
    }
    c->head = ring_slot(t, c, 1);
    c->nreq--;
    c->nsent--;
    c->backoff = 0;
    t->outstanding--;
    t->answered++;
}

/* Assign the next request of a closed loop. */
static void closed_assign(struct thread *t, struct conn *c, uint64_t now)
{
    uint32_t slot = ring_slot(t, c, c->nreq);

    c->origin[slot] = now;
    c->nreq++;
}

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

static int pend_push(struct thread *t, uint64_t v)
{
    if (pend_grow(t) < 0)
        return -1;
    t->pending[(t->pend_head + t->pend_n) % t->pend_cap] = v;
    t->pend_n++;
    sweep_by(t, v + t->o->timeout_ns);
    return 0;
}

static void pend_push_front(struct thread *t, uint64_t v)
{
    if (pend_grow(t) < 0)
        return;
    t->pend_head = (t->pend_head + t->pend_cap - 1) % t->pend_cap;
    t->pending[t->pend_head] = v;
    t->pend_n++;
    sweep_by(t, v + t->o->timeout_ns);
}

/* Open loop: give due requests to connections with room. */
static void dispatch(struct thread *t, uint64_t now)
{
    while (t->pend_n && t->nfree) {
        struct conn *c = &t->conns[t->freestack[--t->nfree]];
        c->in_free = 0;
        while (t->pend_n && has_room(t, c, now)) {
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
        if (has_room(t, c, now))
            free_push(t, c);
    }
}

/* After a response or a (re)connection: keep c busy. */
static void conn_next(struct thread *t, struct conn *c, uint64_t now)
{
    if (open_loop(t) && (c->state != CS_CLOSED || !t->o->keepalive)) {
        if (has_room(t, c, now))
            free_push(t, c);
        return;
    }
    if (c->state == CS_CLOSED) {
        if (now >= c->retry_at)
            conn_connect(t, c, now);
        return;
    }
    if (c->state != CS_OPEN)
        return;
    while (c->nreq < (t->o->keepalive ? t->o->pipeline : 1))
        closed_assign(t, c, now);
    conn_write(t, c, now);
}

static int conn_connect(struct thread *t, struct conn *c, uint64_t now)
{
    const struct target_url *u = &t->o->url;
    struct epoll_event ev;
    int fd, one = 1;

    c->connect_start = now;
    sweep_by(t, now + t->o->timeout_ns);
    /* without keep-alive, latency starts at the connect */
    if (!t->o->keepalive && !open_loop(t)) {
        c->nreq = 0;
        closed_assign(t, c, now);
    }
    fd = socket(u->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        conn_fail(t, c, LC_CONNECT, errno, now);
        return -1;
    }
    c->fd = fd;
    c->gen++;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = ((uint64_t)c->gen << 32) | (uint32_t)(c - t->conns);
    if (epoll_ctl(t->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        conn_fail(t, c, LC_CONNECT, errno, now);
        return -1;
    }
    parser_reset(t, c);
    if (connect(fd, (const struct sockaddr *)&u->addr, u->addrlen) < 0 && errno != EINPROGRESS) {
        conn_fail(t, c, LC_CONNECT, errno, now);
        return -1;
    }
    c->state = CS_CONNECTING;
    return 0;
}

static void conn_connected(struct thread *t, struct conn *c, uint64_t now)
{
    int err = 0;
    socklen_t len = sizeof err;

    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err) {
        conn_fail(t, c, LC_CONNECT, err, now);
        return;
    }
    c->state = CS_OPEN;
    c->wblocked = 0;
    /* without keep-alive the socket lives for one request: keep its
     * registration rather than pay a second epoll_ctl */
    c->want_out = !t->o->keepalive;
    if (t->o->keepalive)
        conn_events(t, c, 0);
    if (iv_at(t, now))
        t->connects++;
    if (c->nreq)
        conn_write(t, c, now);
    conn_next(t, c, now);
}

/* Feed the parser.  Returns PARSE_DONE, PARSE_MORE or PARSE_ERROR. */
static enum parse_status conn_parse(struct thread *t, struct conn *c, const char *buf,
                                    size_t len, size_t *used)
{
    if (t->o->url.scheme == SCHEME_HTTP)
        return http_parse(&c->p.h, buf, len, used);
    return framer_feed(&c->p.f, buf, len, used);
}

static const char *parse_error(const struct thread *t, const struct conn *c)
{
    return t->o->url.scheme == SCHEME_HTTP ? c->p.h.error : c->p.f.error;
}

/* The server closed c: a response read until close is complete, what is
 * not answered failed. */
static void conn_eof(struct thread *t, struct conn *c, uint64_t now)
{
    if (c->nsent && t->o->url.scheme == SCHEME_HTTP && http_parse_eof(&c->p.h) == PARSE_DONE)
        conn_done(t, c, now);
    conn_fail(t, c, LC_READ, 0, now);
    conn_next(t, c, now);
}

/* n bytes arrived on c (the last of them at `arrived`), read at now:
 * complete the responses they end, assign the next requests (closed loop)
 * and write them.  Returns 0, or -1 when c was closed. */
static int conn_input(struct thread *t, struct conn *c, const char *buf, size_t n,
                      uint64_t arrived, uint64_t now)
{
    size_t off = 0, used;
    int closing = 0;

    if (iv_at(t, now)) {
        t->iv.bytes += (uint64_t)n;
        t->bytes += (uint64_t)n;
    }
    while (off < n) {
        enum parse_status st;
        if (!c->nsent) {
            count_error(t, LC_PARSE, 0, 1, now);   /* an answer nobody asked for */
            if (!t->parse_reason)
                t->parse_reason = "data with no request outstanding";
            conn_fail(t, c, LC_PARSE, 0, now);
            conn_next(t, c, now);
            return -1;
        }
        st = conn_parse(t, c, buf + off, n - off, &used);
        if (st == PARSE_ERROR) {
            if (!t->parse_reason)
                t->parse_reason = parse_error(t, c);
            conn_fail(t, c, LC_PARSE, 0, now);
            conn_next(t, c, now);
            return -1;
        }
        if (st == PARSE_MORE)
            break;
        off += used;
        if (t->o->url.scheme == SCHEME_HTTP && c->p.h.close)
            closing = 1;
        conn_done(t, c, arrived);
        parser_reset(t, c);
        if (closing || !t->o->keepalive) {
            conn_fail(t, c, LC_READ, 0, now);   /* an error only if some were pipelined */
            conn_next(t, c, now);
            return -1;
        }
        if (!open_loop(t) && !(t->sh->t_end <= now || (t->o->stop && *t->o->stop)))
            closed_assign(t, c, now);
    }
    if (open_loop(t) && has_room(t, c, now))
        free_push(t, c);
    conn_write(t, c, now);
    return c->state == CS_OPEN ? 0 : -1;
}

/* When the last byte read by msg arrived, from the kernel's receive stamp
 * (CLOCK_REALTIME, converted): responses then end when they arrived, not
 * when the loop came to read them, so reads can wait and gather (nap).  0
 * when there is no stamp. */
static uint64_t arrival(struct thread *t, struct msghdr *msg, uint64_t now)
{
    struct cmsghdr *cm;

    for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            int64_t v;
            memcpy(&ts, CMSG_DATA(cm), sizeof ts);
            v = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - t->rt_off;
            if (v <= 0 || (uint64_t)v > now)
                return now;
            return (uint64_t)v;
        }
    return 0;
}

/* Input is ready on c: read until drained.  hup: the peer closed as well
 * (the same edge), so read on to the end of file. */
static void conn_read(struct thread *t, struct conn *c, int hup)
{
    union {
        char buf[CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {t->rbuf, RBUF_SIZE};
    struct msghdr msg;
    uint64_t now, arrived;
    ssize_t n;

    for (;;) {
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = ctl.buf;
        msg.msg_controllen = sizeof ctl.buf;
        n = sock_recvmsg(c->fd, &msg);
        now = clock_now_ns();
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                conn_lost(t, c, LC_READ, errno, now);
            return;
        }
        if (n == 0) {
            conn_eof(t, c, now);
            return;
        }
        arrived = arrival(t, &msg, now);
        t->stamps = arrived != 0;   /* without stamps, read times and no naps */
        t->reads++;
        t->stamped += t->stamps;
        if (!arrived)
            arrived = now;
        if (conn_input(t, c, t->rbuf, (size_t)n, arrived, now) < 0)
            return;
        if ((size_t)n < RBUF_SIZE && !hup)
            return;   /* drained: the next arrival is a new edge */
    }
}

/* ---- the loop ---------------------------------------------------------- */

static double next_gap(struct thread *t)
{
    if (t->o->arrival == ARRIVAL_POISSON)
        return -log(1.0 - rng_uniform(&t->rng)) * t->gap_ns;
    return t->gap_ns;
}

/* Move requests that are due at now from the schedule to the queue. */
static void schedule(struct thread *t, uint64_t now)
{
    while (t->next_due <= (double)now && t->next_due < (double)t->sh->t_end) {
        uint64_t due = (uint64_t)t->next_due;
        struct load_interval *iv = iv_at(t, now);
        if (iv && now - due > t->o->late_ns) {
            iv->late++;
            t->late++;
        }
        if (pend_push(t, due) < 0) {
            count_error(t, LC_TIMEOUT, ENOMEM, 1, now);
        }
        t->next_due += next_gap(t);
    }
}

/* Timeouts, reconnects, and requests that waited too long in the queue;
 * then when the next of these can fall due. */
static void sweep(struct thread *t, uint64_t now)
{
    const struct load_opts *o = t->o;
    size_t i;

    t->sweep_at = UINT64_MAX;
    for (i = 0; i < t->nconns; i++) {
        struct conn *c = &t->conns[i];
        if (c->state == CS_CONNECTING && now - c->connect_start >= o->timeout_ns) {
            conn_fail(t, c, LC_CONNECT, ETIMEDOUT, now);
        } else if (c->state == CS_OPEN && c->nsent && now - c->sent[c->head] >= o->timeout_ns) {
            conn_fail(t, c, LC_TIMEOUT, 0, now);
        }
        if (c->state == CS_CLOSED && now >= c->retry_at) {
            if (open_loop(t) && !o->keepalive)
                free_push(t, c);
            else
                conn_next(t, c, now);
        }
        if (c->state == CS_CONNECTING)
            sweep_by(t, c->connect_start + o->timeout_ns);
        else if (c->state == CS_OPEN && c->nsent)
            sweep_by(t, c->sent[c->head] + o->timeout_ns);
        else if (c->state == CS_CLOSED && c->retry_at > now)
            sweep_by(t, c->retry_at);
    }
    while (t->pend_n && now - t->pending[t->pend_head] >= o->timeout_ns) {
        count_error(t, LC_TIMEOUT, 0, 1, now);
        t->pend_head = (t->pend_head + 1) % t->pend_cap;
        t->pend_n--;
    }
    if (t->pend_n)
        sweep_by(t, t->pending[t->pend_head] + o->timeout_ns);
}

static int wait_events(struct thread *t, struct epoll_event *evs, uint64_t wait_ns)
{
    return ep_wait(t->ep, evs, MAX_EVENTS, wait_ns < SPIN_NS ? 0 : wait_ns);
}

/* Open loop: wait for events until the next request is due.  Waking from
 * a sleep takes time (tens of microseconds on a virtual machine), and a
 * late wake would be charged to the server as latency: so sleep until
 * wake_lag before the time, the lag learnt from the wakes so far, and spin
 * the rest. */
static int wait_due(struct thread *t, struct epoll_event *evs, uint64_t now, uint64_t due)
{
    uint64_t target = due > now + t->wake_lag ? due - t->wake_lag : now;
    int n, slept = target - now >= SPIN_NS;

    n = wait_events(t, evs, target - now);
    if (n != 0)
        return n;
    now = clock_now_ns();
    if (slept && now > target) {
        uint64_t over = now - target;
        if (over > 1000000)
            over = 1000000;
        t->wake_lag = (7 * t->wake_lag + over) / 8;
    }
    while (now < due) {
        n = ep_wait(t->ep, evs, MAX_EVENTS, 0);
        if (n != 0)
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
    if (!t->stamps || open_loop(t))
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

static void thread_loop(struct thread *t)
{
    const struct load_opts *o = t->o;
    struct epoll_event evs[MAX_EVENTS];
    uint64_t now = clock_now_ns();
    size_t i;
    int n;

    t->sweep_at = UINT64_MAX;
    t->stamps = 1;
    t->rate_t0 = now;
    t->nap_ns = 1.25 * LOAD_NAP_NS;   /* until measured */
    clocks_align(t);
    for (i = 0; i < t->nconns; i++) {
        if (open_loop(t) && !o->keepalive)
            free_push(t, &t->conns[i]);
        else
            conn_connect(t, &t->conns[i], now);
    }
    for (;;) {
        uint64_t deadline;

        now = clock_now_ns();
        measure_start(t, now);
        if (now >= t->sh->t_end || (o->stop && *o->stop))
            break;
        if (open_loop(t)) {
            schedule(t, now);
            dispatch(t, now);
        }
        if (now >= t->sweep_at) {
            sweep(t, now);
            if (open_loop(t))
                dispatch(t, now);
        }
        deadline = t->sweep_at < t->sh->t_end ? t->sweep_at : t->sh->t_end;
        if (!t->measuring && t->sh->t_warm < deadline)
            deadline = t->sh->t_warm;
        if (open_loop(t) && t->next_due < (double)deadline) {
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
            uint32_t idx = (uint32_t)evs[i].data.u64, gen = (uint32_t)(evs[i].data.u64 >> 32);
            uint32_t ev = evs[i].events;
            struct conn *c;
            if (evs[i].data.u64 == STOP_KEY)
                continue;   /* the stop flag is read at the top of the loop */
            c = &t->conns[idx];
            if (c->gen != gen || c->fd < 0)
                continue;   /* closed since */
            if (c->state == CS_CONNECTING) {
                if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))
                    conn_connected(t, c, clock_now_ns());
                if (c->gen != gen || c->state != CS_OPEN)
                    continue;
            }
            if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                conn_read(t, c, (ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
            if (c->gen == gen && c->state == CS_OPEN && (ev & EPOLLOUT) && c->wblocked) {
                c->wblocked = 0;
                conn_write(t, c, clock_now_ns());
            }
        }
    }
    /* what is left: written and not answered, due and not written */
    now = clock_now_ns();
    getrusage(RUSAGE_THREAD, &t->ru1);
    t->w1 = now;
    for (i = 0; i < t->nconns; i++) {
        struct conn *c = &t->conns[i];
        t->inflight_end += c->nsent;
        t->unsent_end += c->nreq - c->nsent;
        if (c->fd >= 0)
            close(c->fd);
        c->fd = -1;
    }
    t->unsent_end += t->pend_n;
    iv_flush(t, t->sh->nslots);
}

static void *thread_main(void *arg)
{
    struct thread *t = arg;
    sigset_t set;

    /* signals go to the main thread */
    sigfillset(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    /* open loop: sends on time; closed loop: naps as long as asked */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    thread_loop(t);
    return NULL;
}

/* ---- setup and merge -------------------------------------------------------- */

static int thread_init(struct thread *t, struct shared *sh, unsigned index, size_t nconns,
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
        /* constant: the threads' schedules interleave */
        t->next_due = (double)sh->t0 +
                      (o->arrival == ARRIVAL_POISSON ? next_gap(t) : index * 1e9 / o->rate);
    }
    return 0;
}

static void thread_free(struct thread *t)
{
    size_t i;

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

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void merge_errnos(struct load_out *out, const struct thread *t)
{
    size_t i, j;

    for (i = 0; i < t->nerrnos; i++) {
        for (j = 0; j < out->nerrnos; j++)
            if (out->errnos[j].cls == t->errnos[i].cls &&
                out->errnos[j].errnum == t->errnos[i].errnum)
                break;
        if (j == out->nerrnos) {
            struct load_errno *ne = realloc(out->errnos, (j + 1) * sizeof *ne);
            if (!ne)
                return;
            out->errnos = ne;
            out->errnos[j] = t->errnos[i];
            out->errnos[j].count = 0;
            out->nerrnos++;
        }
        out->errnos[j].count += t->errnos[i].count;
    }
}

static int merge(struct load_out *out, struct thread *ts, unsigned n, struct shared *sh,
                 struct err *e)
{
    const struct load_opts *o = sh->o;
    unsigned i;
    int c;

    if (hist_init(&out->latency, o->digits, ts[0].lat.highest, e) < 0 ||
        hist_init(&out->latency_sent, o->digits, ts[0].lat.highest, e) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        struct thread *t = &ts[i];
        double wall, cpu;
        hist_merge(&out->latency, &t->lat, NULL);
        hist_merge(&out->latency_sent, &t->lat_sent, NULL);
        out->requests += t->requests;
        out->sent += t->sent;
        out->bytes += t->bytes;
        out->late += t->late;
        out->queued += t->queued;
        out->connects += t->connects;
        out->inflight_end += t->inflight_end;
        out->unsent_end += t->unsent_end;
        out->reads += t->reads;
        out->stamped += t->stamped;
        out->naps += t->naps;
        for (c = 0; c < LC_NCLASS; c++) {
            out->errors[c] += t->errors[c];
            out->nerrors += t->errors[c];
        }
        merge_errnos(out, t);
        if (!out->parse_reason)
            out->parse_reason = t->parse_reason;
        if (t->measuring) {
            double u = tv_s(t->ru1.ru_utime) - tv_s(t->ru0.ru_utime);
            double s = tv_s(t->ru1.ru_stime) - tv_s(t->ru0.ru_stime);
            out->cpu_user += u;
            out->cpu_sys += s;
            wall = (double)(t->w1 - t->w0) / 1e9;
            cpu = u + s;
            if (wall > 0 && cpu / wall > out->busy_max)
                out->busy_max = cpu / wall;
        }
    }
    out->niv = sh->nslots;
    out->iv = calloc(sh->nslots ? sh->nslots : 1, sizeof *out->iv);
    if (!out->iv)
        return err_set(e, "out of memory");
    for (i = 0; i < sh->nslots; i++) {
        out->iv[i] = sh->slots[i].row;
        out->iv[i].t = (double)i * (double)o->interval_ns / 1e9;
    }
    return 0;
}

/* Raise the open-file limit to what the connections need: up to the hard
 * limit; above it, -1 with the cause in e. */
/* Wait for a load thread.  Meanwhile pass a stop request (a signal
 * handler's flag) on to the threads, which sleep until their next event or
 * timeout. */
static void thread_join(struct shared *sh, pthread_t tid)
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
    }
}

static int raise_nofile(size_t need, struct err *e)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
        return 0;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
        return err_set(e, "%zu connections need %zu open files; the hard limit is %llu "
                          "(ulimit -Hn)", need - 64, need, (unsigned long long)rl.rlim_max);
    rl.rlim_cur = need;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
        return err_set(e, "cannot raise the open-file limit to %zu: %s", need, strerror(errno));
    return 0;
}

int load_run(const struct load_opts *o, struct load_out *out, struct err *e)
{
    struct shared sh;
    struct thread *ts = NULL;
    unsigned nthreads = o->threads, i, started = 0;
    uint64_t now;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (!o->connections || !nthreads || !o->pipeline || !o->reqlen || !o->interval_ns ||
        o->pipeline > 65535)
        return err_set(e, "connections, threads, pipeline and interval must be positive");
    if (nthreads > o->connections)
        nthreads = o->connections;
    if (raise_nofile((size_t)o->connections + 64, e) < 0)
        return -1;
    memset(&sh, 0, sizeof sh);
    sh.o = o;
    sh.stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (sh.stopfd < 0)
        return err_set(e, "eventfd: %s", strerror(errno));
    pthread_mutex_init(&sh.lock, NULL);
    sh.nthreads = nthreads;
    sh.nslots = (size_t)((o->duration_ns + o->interval_ns - 1) / o->interval_ns);
    sh.slots = calloc(sh.nslots ? sh.nslots : 1, sizeof *sh.slots);
    ts = calloc(nthreads, sizeof *ts);
    if (!sh.slots || !ts) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    if (monitor_start(&out->mon, o->monitor_pid, o->monitor_period_ns, e) < 0)
        goto cleanup;
    /* the schedule starts once the threads are up */
    now = clock_now_ns() + 20000000;
    sh.t0 = now;
    sh.t_warm = now + o->warmup_ns;
    sh.t_end = sh.t_warm + o->duration_ns;
    for (i = 0; i < nthreads; i++) {
        size_t share = o->connections / nthreads + (i < o->connections % nthreads);
        if (thread_init(&ts[i], &sh, i, share, e) < 0)
            goto join;
    }
    for (i = 0; i < nthreads; i++, started++)
        if (pthread_create(&ts[i].tid, NULL, thread_main, &ts[i]) != 0) {
            err_set(e, "cannot start a load thread");
            if (o->stop)
                *o->stop = 1;
            break;
        }
join:
    for (i = 0; i < started; i++)
        thread_join(&sh, ts[i].tid);
    monitor_stop(&out->mon);
    if (started < nthreads || e->set)
        goto cleanup;
    for (i = 0; i < nthreads; i++)
        if (ts[i].failed) {
            err_set(e, "%s", ts[i].e.set ? ts[i].e.msg : "out of memory");
            goto cleanup;
        }
    if (merge(out, ts, nthreads, &sh, e) < 0)
        goto cleanup;
    now = clock_now_ns();
    out->complete = !(o->stop && *o->stop);
    out->elapsed_s = (double)o->duration_ns / 1e9;
    if (!out->complete) {
        uint64_t end = ts[0].w1 > sh.t_warm ? ts[0].w1 : sh.t_warm;
        out->elapsed_s = (double)(end - sh.t_warm) / 1e9;
    }
    out->mon_from = (double)(sh.t_warm - out->mon.t0) / 1e9;
    out->mon_to = (double)(sh.t_end - out->mon.t0) / 1e9;
    out->valid = 1;
    if (out->busy_max > 0.97) {
        out->valid = 0;
        snprintf(out->invalid, sizeof out->invalid,
                 "the generator was saturated: its busiest thread used %.0f%% of a CPU",
                 out->busy_max * 100);
    } else if (o->rate > 0 && out->sent && out->late * 100 > out->sent) {
        out->valid = 0;
        snprintf(out->invalid, sizeof out->invalid,
                 "the generator fell behind its schedule: %llu of %llu requests sent more "
                 "than %.1f ms late",
                 (unsigned long long)out->late, (unsigned long long)out->sent,
                 (double)o->late_ns / 1e6);
    }
    rc = 0;
cleanup:
    for (i = 0; ts && i < nthreads; i++)
        thread_free(&ts[i]);
    free(ts);
    for (i = 0; sh.slots && i < sh.nslots; i++)
        hist_free(&sh.slots[i].h);
    free(sh.slots);
    pthread_mutex_destroy(&sh.lock);
    close(sh.stopfd);
    if (rc < 0)
        load_out_free(out);
    return rc;
}

void load_out_free(struct load_out *out)
{
    hist_free(&out->latency);
    hist_free(&out->latency_sent);
    free(out->errnos);
    free(out->iv);
    monitor_free(&out->mon);
    memset(out, 0, sizeof *out);
}
