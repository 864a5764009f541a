/*
 * evloop.c: the primitives an event loop (asyncio, libuv, nginx, redis ae)
 * pays for on every turn: an epoll wakeup through a pipe or an eventfd, a
 * wakeup that crosses threads, reading a socket that is already readable,
 * re-arming interest with epoll_ctl, the timer heap, and the clock read.
 * A server's request rate is bounded by the sum of these; comparing them
 * across kernels, libcs and machines shows where per-request time goes
 * before any application code runs.
 *
 * Every benchmark keeps its descriptors and buffers in a context made by
 * its setup (pacer_set_data) and released by its teardown, so it behaves
 * the same alone in a worker process or after others in one process.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pacer.h"

/* ---- shared helpers ------------------------------------------------------ */

/* Skip with "what: strerror(err)". */
static void skip_err(pacer_state *st, const char *what, int err)
{
    char msg[200];

    snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
    pacer_skip(st, msg);
}

/* Descriptors and buffer of one benchmark; -1 or NULL when unused. */
struct fds {
    int ep;           /* epoll instance */
    int rfd, wfd;     /* read and write side (one eventfd may be both) */
    char *buf;        /* payload for the socket benchmarks */
    size_t size;
};

/* A fresh context handed to the benchmark; NULL (and skipped) on failure. */
static struct fds *fds_new(pacer_state *st)
{
    struct fds *f = malloc(sizeof *f);

    if (!f) {
        pacer_skip(st, "out of memory");
        return NULL;
    }
    f->ep = f->rfd = f->wfd = -1;
    f->buf = NULL;
    f->size = 0;
    pacer_set_data(st, f);
    return f;
}

/* Teardown of every fds benchmark; also runs after a setup that skipped. */
static void fds_free(pacer_state *st)
{
    struct fds *f = pacer_data(st);

    if (!f)
        return;
    if (f->ep >= 0)
        close(f->ep);
    if (f->rfd >= 0)
        close(f->rfd);
    if (f->wfd >= 0 && f->wfd != f->rfd)
        close(f->wfd);
    free(f->buf);
    free(f);
    pacer_set_data(st, NULL);
}

/* Create f->ep and register fd for events; 0, or -1 after skipping. */
static int fds_watch(pacer_state *st, struct fds *f, int fd, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.fd = fd};

    f->ep = epoll_create1(EPOLL_CLOEXEC);
    if (f->ep < 0) {
        skip_err(st, "epoll_create1", errno);
        return -1;
    }
    if (epoll_ctl(f->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        skip_err(st, "epoll_ctl ADD", errno);
        return -1;
    }
    return 0;
}

/* ---- epoll wakeups in one thread ----------------------------------------- */

static void pipe_setup(pacer_state *st)
{
    struct fds *f = fds_new(st);
    int p[2];

    if (!f)
        return;
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0) {
        skip_err(st, "pipe2", errno);
        return;
    }
    f->rfd = p[0];
    f->wfd = p[1];
    fds_watch(st, f, f->rfd, EPOLLIN);
}

/* Write 1 byte to a pipe, epoll_wait (timeout 0) reports it, read it back. */
static void pipe_wakeup(pacer_state *st)
{
    struct fds *f = pacer_data(st);
    struct epoll_event ev;
    char c = 'w';

    PACER_LOOP(st) {
        if (write(f->wfd, &c, 1) != 1) {
            skip_err(st, "write to the pipe", errno);
            break;
        }
        if (epoll_wait(f->ep, &ev, 1, 0) != 1) {
            pacer_skip(st, "epoll_wait: the pipe did not turn ready");
            break;
        }
        if (read(f->rfd, &c, 1) != 1) {
            skip_err(st, "read from the pipe", errno);
            break;
        }
    }
}
PACER_BENCHMARK(pipe_wakeup, .group = "epoll", .setup = pipe_setup, .teardown = fds_free);

static void eventfd_setup(pacer_state *st)
{
    struct fds *f = fds_new(st);

    if (!f)
        return;
    f->rfd = f->wfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (f->rfd < 0) {
        skip_err(st, "eventfd", errno);
        return;
    }
    fds_watch(st, f, f->rfd, EPOLLIN);
}

/* Add 1 to an eventfd, epoll_wait (timeout 0) reports it, read it back. */
static void eventfd_wakeup(pacer_state *st)
{
    struct fds *f = pacer_data(st);
    struct epoll_event ev;
    uint64_t v;

    PACER_LOOP(st) {
        v = 1;
        if (write(f->wfd, &v, sizeof v) != (ssize_t)sizeof v) {
            skip_err(st, "write to the eventfd", errno);
            break;
        }
        if (epoll_wait(f->ep, &ev, 1, 0) != 1) {
            pacer_skip(st, "epoll_wait: the eventfd did not turn ready");
            break;
        }
        if (read(f->rfd, &v, sizeof v) != (ssize_t)sizeof v) {
            skip_err(st, "read from the eventfd", errno);
            break;
        }
    }
}
PACER_BENCHMARK(eventfd_wakeup, .group = "epoll", .setup = eventfd_setup, .teardown = fds_free);

static void ctl_setup(pacer_state *st)
{
    struct fds *f = fds_new(st);
    int sv[2];

    if (!f)
        return;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0) {
        skip_err(st, "socketpair", errno);
        return;
    }
    f->rfd = sv[0];
    f->wfd = sv[1];
    fds_watch(st, f, f->rfd, EPOLLIN);
}

/* EPOLL_CTL_MOD of a registered socket, toggling EPOLLOUT as a server does
 * when a response is queued or flushed. */
static void ctl_mod(pacer_state *st)
{
    struct fds *f = pacer_data(st);
    struct epoll_event ev = {.data.fd = f->rfd};
    unsigned i = 0;

    PACER_LOOP(st) {
        ev.events = (i++ & 1) ? EPOLLIN : EPOLLIN | EPOLLOUT;
        if (epoll_ctl(f->ep, EPOLL_CTL_MOD, f->rfd, &ev) < 0) {
            skip_err(st, "epoll_ctl MOD", errno);
            break;
        }
    }
}
PACER_BENCHMARK(ctl_mod, .group = "epoll", .setup = ctl_setup, .teardown = fds_free);

/* ---- wakeup across threads ----------------------------------------------- */

/* The helper thread waits in epoll_wait on ping and answers on pong. */
struct pingpong {
    int ping;             /* main -> helper, non-blocking, watched by ep */
    int pong;             /* helper -> main, blocking */
    int ep;
    int started;          /* the helper thread exists and must be joined */
    pthread_t thread;
    atomic_int stop;
};

#define PONG_OK 1       /* a normal answer */
#define PONG_FAILED 2   /* the helper hit an error and is exiting */

static void *pong_main(void *arg)
{
    struct pingpong *pp = arg;
    struct epoll_event ev;
    uint64_t v;
    int n;

    for (;;) {
        n = epoll_wait(pp->ep, &ev, 1, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != 1)
            break;
        if (read(pp->ping, &v, sizeof v) != (ssize_t)sizeof v) {
            if (errno == EAGAIN)
                continue;
            break;
        }
        if (atomic_load(&pp->stop))
            return NULL;
        v = PONG_OK;
        if (write(pp->pong, &v, sizeof v) != (ssize_t)sizeof v)
            break;
    }
    /* Wake the main thread rather than leave it blocked on pong; should
     * this write fail too, nothing is left to try. */
    v = PONG_FAILED;
    if (write(pp->pong, &v, sizeof v) < 0)
        return NULL;
    return NULL;
}

static void pingpong_teardown(pacer_state *st)
{
    struct pingpong *pp = pacer_data(st);
    uint64_t v = 1;

    if (!pp)
        return;
    if (pp->started) {
        atomic_store(&pp->stop, 1);
        if (write(pp->ping, &v, sizeof v) != (ssize_t)sizeof v)
            pthread_cancel(pp->thread);   /* epoll_wait is a cancellation point */
        pthread_join(pp->thread, NULL);
    }
    if (pp->ep >= 0)
        close(pp->ep);
    if (pp->ping >= 0)
        close(pp->ping);
    if (pp->pong >= 0)
        close(pp->pong);
    free(pp);
    pacer_set_data(st, NULL);
}

static void pingpong_setup(pacer_state *st)
{
    struct pingpong *pp = malloc(sizeof *pp);
    struct epoll_event ev = {.events = EPOLLIN};
    int rc;

    if (!pp) {
        pacer_skip(st, "out of memory");
        return;
    }
    pp->ping = pp->pong = pp->ep = -1;
    pp->started = 0;
    atomic_init(&pp->stop, 0);
    pacer_set_data(st, pp);
    pp->ping = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    pp->pong = eventfd(0, EFD_CLOEXEC);
    if (pp->ping < 0 || pp->pong < 0) {
        skip_err(st, "eventfd", errno);
        return;
    }
    pp->ep = epoll_create1(EPOLL_CLOEXEC);
    if (pp->ep < 0) {
        skip_err(st, "epoll_create1", errno);
        return;
    }
    ev.data.fd = pp->ping;
    if (epoll_ctl(pp->ep, EPOLL_CTL_ADD, pp->ping, &ev) < 0) {
        skip_err(st, "epoll_ctl ADD", errno);
        return;
    }
    rc = pthread_create(&pp->thread, NULL, pong_main, pp);
    if (rc != 0) {
        skip_err(st, "pthread_create", rc);
        return;
    }
    pp->started = 1;
}

/* Round trip: signal a thread blocked in epoll_wait, block until it answers
 * on a second eventfd (the cost of handing work to another loop thread). */
static void eventfd_pingpong(pacer_state *st)
{
    struct pingpong *pp = pacer_data(st);
    uint64_t v;

    PACER_LOOP(st) {
        v = 1;
        if (write(pp->ping, &v, sizeof v) != (ssize_t)sizeof v) {
            skip_err(st, "write to the ping eventfd", errno);
            break;
        }
        if (read(pp->pong, &v, sizeof v) != (ssize_t)sizeof v) {
            skip_err(st, "read from the pong eventfd", errno);
            break;
        }
        if (v != PONG_OK) {
            pacer_skip(st, "the helper thread failed");
            break;
        }
    }
}
PACER_BENCHMARK(eventfd_pingpong, .group = "thread", .setup = pingpong_setup,
                .teardown = pingpong_teardown);

/* ---- reading a ready socket ---------------------------------------------- */

/* The payload of size "size"; 0, or -1 after skipping. */
static int payload_new(pacer_state *st, struct fds *f)
{
    long long n = pacer_param(st, "size");

    if (n <= 0) {
        pacer_skip(st, "size must be positive");
        return -1;
    }
    f->size = (size_t)n;
    f->buf = malloc(f->size);
    if (!f->buf) {
        pacer_skip(st, "out of memory");
        return -1;
    }
    memset(f->buf, 'r', f->size);
    return 0;
}

/* A connected AF_UNIX stream pair: wfd writes, rfd reads. */
static void unix_setup(pacer_state *st)
{
    struct fds *f = fds_new(st);
    int sv[2];

    if (!f || payload_new(st, f) < 0)
        return;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        skip_err(st, "socketpair", errno);
        return;
    }
    f->wfd = sv[0];
    f->rfd = sv[1];
}

/* A loopback TCP connection with TCP_NODELAY: the client (wfd) writes, the
 * accepted side (rfd) reads, as a server reads a request. */
static void tcp_setup(pacer_state *st)
{
    struct fds *f = fds_new(st);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    const char *what;
    int lfd, one = 1;

    if (!f || payload_new(st, f) < 0)
        return;
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0) {
        skip_err(st, "socket", errno);
        return;
    }
    what = "bind 127.0.0.1";
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0)
        goto fail;
    what = "listen";
    if (listen(lfd, 1) < 0)
        goto fail;
    what = "getsockname";
    if (getsockname(lfd, (struct sockaddr *)&a, &alen) < 0)
        goto fail;
    what = "socket";
    f->wfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (f->wfd < 0)
        goto fail;
    what = "connect to loopback";
    if (connect(f->wfd, (struct sockaddr *)&a, sizeof a) < 0)
        goto fail;
    what = "accept4";
    f->rfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (f->rfd < 0)
        goto fail;
    what = "setsockopt TCP_NODELAY";
    if (setsockopt(f->wfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0)
        goto fail;
    close(lfd);
    return;
fail:
    skip_err(st, what, errno);
    close(lfd);
}

/* Per iteration write size bytes, then read them back with recv(flags).
 * With MSG_DONTWAIT a read that finds the data not yet queued (possible on
 * TCP) is retried, as a loop would after its next wakeup. */
static void write_read(pacer_state *st, int flags)
{
    struct fds *f = pacer_data(st);
    size_t n = f->size, got;
    ssize_t r;

    pacer_set_bytes_per_op(st, (double)n);
    PACER_LOOP(st) {
        if (write(f->wfd, f->buf, n) != (ssize_t)n) {
            skip_err(st, "write to the socket", errno);
            break;
        }
        for (got = 0, r = 0; got < n;) {
            r = recv(f->rfd, f->buf + got, n - got, flags);
            if (r > 0)
                got += (size_t)r;
            else if (r == 0 || errno != EAGAIN)
                break;
        }
        if (got < n) {
            if (r == 0)
                pacer_skip(st, "recv: the peer closed the connection");
            else
                skip_err(st, "recv", errno);
            break;
        }
    }
}

/* Write then non-blocking recv (MSG_DONTWAIT) of ready data, AF_UNIX pair. */
static void unix_read_nonblock(pacer_state *st)
{
    write_read(st, MSG_DONTWAIT);
}
PACER_BENCHMARK(unix_read_nonblock, .group = "socket", .setup = unix_setup,
                .teardown = fds_free, .params = {PACER_LIST("size", 64, 4096)});

/* Write then blocking recv of ready data, AF_UNIX pair. */
static void unix_read_block(pacer_state *st)
{
    write_read(st, 0);
}
PACER_BENCHMARK(unix_read_block, .group = "socket", .setup = unix_setup, .teardown = fds_free,
                .params = {PACER_LIST("size", 64, 4096)});

/* Write then non-blocking recv (MSG_DONTWAIT) of ready data, loopback TCP. */
static void tcp_read_nonblock(pacer_state *st)
{
    write_read(st, MSG_DONTWAIT);
}
PACER_BENCHMARK(tcp_read_nonblock, .group = "socket", .setup = tcp_setup, .teardown = fds_free,
                .params = {PACER_LIST("size", 64, 4096)});

/* Write then blocking recv of ready data, loopback TCP. */
static void tcp_read_block(pacer_state *st)
{
    write_read(st, 0);
}
PACER_BENCHMARK(tcp_read_block, .group = "socket", .setup = tcp_setup, .teardown = fds_free,
                .params = {PACER_LIST("size", 64, 4096)});

/* ---- timer heap ---------------------------------------------------------- */

/* A binary min-heap of timers ordered by deadline, as libuv and nginx keep
 * their timeouts (libuv's heap-inl.h; nginx uses a red-black tree). */
struct timer {
    uint64_t deadline;   /* ns on the loop's clock */
    uint64_t id;
};

struct theap {
    struct timer *t;     /* t[0] is the earliest */
    size_t n, cap;
    uint64_t now;        /* the loop's clock: the last deadline popped */
    uint64_t rng;        /* xorshift64 state, fixed seed */
    uint64_t next_id;
};

#define TIMER_SEED 0x9e3779b97f4a7c15ULL
#define TIMER_SPREAD ((1ULL << 20) - 1)   /* timeouts of up to about 1 ms */

/* Marsaglia's xorshift64 (13, 7, 17). */
static inline uint64_t xorshift64(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Insert x; the caller guarantees h->n < h->cap. */
static inline void theap_push(struct theap *h, struct timer x)
{
    size_t i = h->n++, parent;

    while (i > 0) {
        parent = (i - 1) / 2;
        if (h->t[parent].deadline <= x.deadline)
            break;
        h->t[i] = h->t[parent];
        i = parent;
    }
    h->t[i] = x;
}

/* Remove and return the earliest timer; the caller guarantees h->n > 0. */
static inline struct timer theap_pop(struct theap *h)
{
    struct timer top = h->t[0], last = h->t[--h->n];
    size_t i = 0, child, n = h->n;

    for (;;) {
        child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && h->t[child + 1].deadline < h->t[child].deadline)
            child++;
        if (last.deadline <= h->t[child].deadline)
            break;
        h->t[i] = h->t[child];
        i = child;
    }
    if (n > 0)
        h->t[i] = last;
    return top;
}

static void theap_setup(pacer_state *st)
{
    long long n = pacer_param(st, "n");
    struct theap *h;
    size_t i;

    if (n <= 0) {
        pacer_skip(st, "n must be positive");
        return;
    }
    h = calloc(1, sizeof *h);
    if (!h) {
        pacer_skip(st, "out of memory");
        return;
    }
    pacer_set_data(st, h);
    h->cap = (size_t)n + 1;
    h->t = malloc(h->cap * sizeof *h->t);
    if (!h->t) {
        pacer_skip(st, "out of memory");
        return;
    }
    h->rng = TIMER_SEED;
    for (i = 0; i < (size_t)n; i++) {
        struct timer x = {xorshift64(&h->rng) & TIMER_SPREAD, h->next_id++};
        theap_push(h, x);
    }
}

static void theap_teardown(pacer_state *st)
{
    struct theap *h = pacer_data(st);

    if (!h)
        return;
    free(h->t);
    free(h);
    pacer_set_data(st, NULL);
}

/* Insert a timer due now + random timeout, then pop the earliest, on a heap
 * of n timers: the "hold" model of priority-queue benchmarks (Jones, CACM
 * 29(4), 1986), where the popped deadline becomes the new now. */
static void heap_insert_pop(pacer_state *st)
{
    struct theap *h = pacer_data(st);
    struct timer x;

    pacer_set_items_per_op(st, 1);
    PACER_LOOP(st) {
        x.deadline = h->now + (xorshift64(&h->rng) & TIMER_SPREAD);
        x.id = h->next_id++;
        theap_push(h, x);
        x = theap_pop(h);
        h->now = x.deadline;
        pacer_do_not_optimize(x.id);
    }
}
PACER_BENCHMARK(heap_insert_pop, .group = "timer", .setup = theap_setup,
                .teardown = theap_teardown, .params = {PACER_RANGE("n", 16, 65536, 16)});

/* ---- clock reads --------------------------------------------------------- */

static void clock_read(pacer_state *st, clockid_t id, const char *what)
{
    struct timespec ts;

    PACER_LOOP(st) {
        if (clock_gettime(id, &ts) != 0) {
            skip_err(st, what, errno);
            break;
        }
        pacer_do_not_optimize(ts.tv_nsec);
    }
}

/* clock_gettime(CLOCK_MONOTONIC): what a loop reads once per turn. */
static void monotonic(pacer_state *st)
{
    clock_read(st, CLOCK_MONOTONIC, "clock_gettime CLOCK_MONOTONIC");
}
PACER_BENCHMARK(monotonic, .group = "clock");

/* clock_gettime(CLOCK_MONOTONIC_COARSE): tick resolution, no counter read. */
static void monotonic_coarse(pacer_state *st)
{
    clock_read(st, CLOCK_MONOTONIC_COARSE, "clock_gettime CLOCK_MONOTONIC_COARSE");
}
PACER_BENCHMARK(monotonic_coarse, .group = "clock");
