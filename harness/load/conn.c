/*
 * conn.c: the connection state machine of a load thread (closed,
 * connecting, open), and the path of every response.
 *
 * A socket is added to the thread's epoll set once, edge-triggered for
 * input and output, when it is created; afterwards a request is one
 * write() and a response one or more recvmsg()s: a short read means the
 * socket was drained and a short write that its buffer is full, and in
 * both cases the next edge wakes the loop.  Each read carries the kernel's
 * arrival time of its last byte, where a response's latency ends.  A read
 * is parsed, its responses recorded and the next requests written here,
 * in one file, so that the compiler keeps that path together.
 */
#include "loadgen_private.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/lib/clock.h"

#define REOPEN_NS 10000000ull  /* a connection lost to an error is reopened this much later */
#define BACKOFF_MIN_NS 10000000ull
#define BACKOFF_MAX_NS 1000000000ull

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

/* Ready c's parser (HTTP, or the framer) for the next response. */
static void parser_reset(struct thread *t, struct conn *c)
{
    if (t->o->url.scheme == SCHEME_HTTP)
        http_parser_init(&c->p.h, t->o->head, t->o->max_header);
    else {
        c->p.f = t->o->framing;
        framer_reset(&c->p.f);
    }
}

/* Close c.  Every request written on it and not answered is an error of
 * class cls (errnum the cause, why what went wrong where no errno says
 * it); a connect failure counts once, and the
 * next attempt waits, longer after each failure in a row.  Requests not
 * yet written go back to the queue (open loop).  A clean close (no
 * request outstanding) counts nothing. */
static void conn_fail_why(struct thread *t, struct conn *c, enum load_class cls, int errnum,
                          const char *why, uint64_t now)
{
    uint32_t i;

    if (cls == LC_CONNECT)
        timeline_add_errors(t, cls, errnum, NULL, 1, now);
    else   /* those not accepted were counted then */
        timeline_add_errors(t, cls, errnum, why, c->nsent - c->unaccepted, now);
    if (c->u && c->nreq)   /* the user's step failed: its iteration ends */
        vuser_failed(t, c, cls, now);
    else if (open_loop(t))   /* not written: back to the queue, oldest first */
        for (i = c->nreq; i > c->nsent; i--)
            sched_requeue(t, c->origin[ring_slot(t, c, i - 1)]);
    if (c->fd >= 0) {
        if (t->u)
            uring_close(t, c);
        close(c->fd);
    }
    c->fd = -1;
    c->gen++;
    c->state = CS_CLOSED;
    t->outstanding -= c->nsent;
    c->nreq = c->nsent = 0;
    c->head = 0;
    c->woff = c->wlen = 0;
    c->wblocked = 0;
    c->unaccepted = 0;
    c->retry_at = now;
    if (cls == LC_CONNECT) {
        c->backoff = c->backoff ? c->backoff * 2 : BACKOFF_MIN_NS;
        if (c->backoff > BACKOFF_MAX_NS)
            c->backoff = BACKOFF_MAX_NS;
        c->retry_at = now + c->backoff;
        sweep_by(t, c->retry_at);
    }
}

static void conn_fail(struct thread *t, struct conn *c, enum load_class cls, int errnum,
                      uint64_t now)
{
    conn_fail_why(t, c, cls, errnum, NULL, now);
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

int conn_write(struct thread *t, struct conn *c, uint64_t now)
{
    const struct load_opts *o = t->o;
    struct load_interval *iv;
    uint32_t i, k = 0, first = 0;
    ssize_t n;

    if (c->state != CS_OPEN || c->wblocked)
        return 0;
    for (;;) {
        if (c->woff < c->wlen && t->u) {
            /* queued, to leave with the batch; its requests' write time
             * is that of the submission (uring.c) */
            if (uring_send(t, c, first, k) < 0) {
                conn_lost(t, c, LC_WRITE, ENOMEM, now);
                return -1;
            }
            c->wblocked = 1;
            return 0;
        }
        if (c->woff < c->wlen) {
            n = sock_write(c->fd, (c->u ? c->u->req : t->wbuf) + c->woff, c->wlen - c->woff);
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
        first = ring_slot(t, c, c->nsent);
        iv = timeline_at(t, now);
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
        c->wlen = c->u ? (uint32_t)c->u->reqlen : k * (uint32_t)o->reqlen;
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
    iv = c->unaccepted ? NULL : timeline_at(t, now);

    if (c->unaccepted) {
        c->unaccepted--;   /* counted as not accepted already */
    } else if (iv) {
        uint64_t lat = now - c->origin[slot];
        hist_record(&t->lat, lat);
        hist_record(&t->ivh, lat);
        if (open_loop(t))
            hist_record(&t->lat_sent, now - c->sent[slot]);
        iv->requests++;
        t->requests++;
        if (c->u)
            vuser_done(t, c, now, 1, lat, now - c->sent[slot]);
        else if (o->url.scheme == SCHEME_HTTP) {
            if (c->p.h.status >= 500)
                timeline_add_errors(t, LC_STATUS_5XX, 0, NULL, 1, now);
            else if (c->p.h.status >= 400)
                timeline_add_errors(t, LC_STATUS_4XX, 0, NULL, 1, now);
        }
    } else {
        if (now < t->sh->t_warm) {
            t->warm_requests++;
            if (o->url.scheme == SCHEME_HTTP && c->p.h.status >= 400 && !c->u)
                t->warm_errors++;
        }
        if (c->u)   /* the user goes on, its answer not counted */
            vuser_done(t, c, now, 0, 0, 0);
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

/* After a response or a (re)connection: keep c busy (unless a stage made
 * it inactive: then it idles, a user once its iteration is over). */
void conn_next(struct thread *t, struct conn *c, uint64_t now)
{
    if (!conn_goes_on(c))
        return;
    if (c->u) {   /* a user: keep-alive, one request at a time */
        if (c->state == CS_CLOSED) {
            if (now >= c->retry_at && !c->u->thinking)
                conn_connect(t, c, now);
            return;
        }
        if (c->state != CS_OPEN)
            return;
        if (vuser_assign(t, c, now))
            conn_write(t, c, now);
        else if (open_loop(t) && conn_has_room(t, c, now))
            conn_free_push(t, c);
        return;
    }
    if (open_loop(t) && (c->state != CS_CLOSED || !t->o->keepalive)) {
        if (conn_has_room(t, c, now))
            conn_free_push(t, c);
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

int conn_connect(struct thread *t, struct conn *c, uint64_t now)
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
    if (!t->u && epoll_ctl(t->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        conn_fail(t, c, LC_CONNECT, errno, now);
        return -1;
    }
    parser_reset(t, c);
    if (connect(fd, (const struct sockaddr *)&u->addr, u->addrlen) < 0 && errno != EINPROGRESS) {
        conn_fail(t, c, LC_CONNECT, errno, now);
        return -1;
    }
    if (t->u && uring_connect_wait(t, c) < 0) {
        conn_fail(t, c, LC_CONNECT, ENOMEM, now);
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
    if (t->u) {
        if (uring_opened(t, c) < 0) {
            conn_fail(t, c, LC_CONNECT, ENOMEM, now);
            return;
        }
    } else if (t->o->keepalive) {
        conn_events(t, c, 0);
    }
    if (timeline_at(t, now))
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
    if (timeline_at(t, now))
        t->server_closed++;
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

    if (timeline_at(t, now)) {
        t->iv.bytes += (uint64_t)n;
        t->bytes += (uint64_t)n;
    }
    while (off < n) {
        enum parse_status st;
        if (!c->nsent) {
            /* an answer nobody asked for */
            timeline_add_errors(t, LC_PARSE, 0, "data with no request outstanding", 1, now);
            conn_fail(t, c, LC_PARSE, 0, now);
            conn_next(t, c, now);
            return -1;
        }
        st = conn_parse(t, c, buf + off, n - off, &used);
        if (c->u && st != PARSE_ERROR)   /* a user reads its answers */
            vuser_take(t, c, buf + off, st == PARSE_DONE ? used : n - off);
        if (st == PARSE_ERROR) {
            conn_fail_why(t, c, LC_PARSE, 0, parse_error(t, c), now);
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
        if (closing && timeline_at(t, now))
            t->server_closed++;   /* it would have: pacer closes first */
        if (closing || !t->o->keepalive) {
            conn_fail(t, c, LC_READ, 0, now);   /* an error only if some were pipelined */
            conn_next(t, c, now);
            return -1;
        }
        if (t->sh->t_end <= now || (t->o->stop && *t->o->stop) || !conn_goes_on(c))
            continue;
        if (c->u)
            vuser_assign(t, c, now);
        else if (!open_loop(t))
            closed_assign(t, c, now);
    }
    if (open_loop(t) && conn_has_room(t, c, now))
        conn_free_push(t, c);
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

void conn_event(struct thread *t, uint64_t key, uint32_t ev)
{
    uint32_t idx = (uint32_t)key, gen = (uint32_t)(key >> 32);
    struct conn *c = &t->conns[idx];

    if (c->gen != gen || c->fd < 0)
        return;   /* closed since */
    if (c->state == CS_CONNECTING) {
        if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            conn_connected(t, c, clock_now_ns());
        if (c->gen != gen || c->state != CS_OPEN)
            return;
    }
    if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        conn_read(t, c, (ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
    if (c->gen == gen && c->state == CS_OPEN && (ev & EPOLLOUT) && c->wblocked) {
        c->wblocked = 0;
        conn_write(t, c, clock_now_ns());
    }
}

/* Whether the server's kernel acknowledged every byte written on c.  A
 * request it never acknowledged did not reach a connection the server
 * holds: on loopback, the server's accept queue was full when the
 * handshake ended, so the server still waits for it (SYN_RECV) while this
 * side took it as open. */
static int peer_acked(const struct conn *c)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;

    if (getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
        return 1;
    return ti.tcpi_unacked == 0;
}

/* c's requests timed out unacknowledged: the server has not accepted the
 * connection.  That is a failed connect, not a slow answer: counted once as
 * such, and c kept (closing it would only put it at the tail of the same
 * full queue): its answers, if they come, are not counted again; another
 * timeout without one closes it as usual. */
static void conn_unaccepted(struct thread *t, struct conn *c, uint64_t now)
{
    timeline_add_errors(t, LC_CONNECT, ETIMEDOUT, LOAD_WHY_UNACCEPTED, c->nsent, now);
    c->unaccepted = c->nsent;
    c->sent[c->head] = now;   /* one more timeout */
}

void conn_sweep(struct thread *t, uint64_t now)
{
    const struct load_opts *o = t->o;
    size_t i;

    for (i = 0; i < t->nconns; i++) {
        struct conn *c = &t->conns[i];
        if (c->state == CS_CONNECTING && now - c->connect_start >= o->timeout_ns) {
            conn_fail(t, c, LC_CONNECT, ETIMEDOUT, now);
        } else if (c->state == CS_OPEN && c->nsent && now - c->sent[c->head] >= o->timeout_ns) {
            if (!c->unaccepted && !peer_acked(c))
                conn_unaccepted(t, c, now);
            else
                conn_fail(t, c, LC_TIMEOUT, 0, now);
        }
        if (c->state == CS_CLOSED && now >= c->retry_at) {
            if (open_loop(t) && !o->keepalive)
                conn_free_push(t, c);
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
}

void conn_wake(struct thread *t, struct conn *c, uint64_t now)
{
    conn_next(t, c, now);
}

/* ---- completions of the io_uring back end (uring.c) ----------------------- */

void conn_received(struct thread *t, struct conn *c, const char *buf, size_t n,
                   uint64_t arrived, uint64_t now)
{
    if (n == 0)
        conn_eof(t, c, now);
    else
        conn_input(t, c, buf, n, arrived, now);
}

void conn_sent(struct thread *t, struct conn *c, int res, uint64_t now)
{
    c->wblocked = 0;
    if (res < 0) {
        conn_lost(t, c, LC_WRITE, -res, now);
        return;
    }
    c->woff += (uint32_t)res;
    conn_write(t, c, now);
}

void conn_connect_done(struct thread *t, struct conn *c, uint64_t now)
{
    if (c->state == CS_CONNECTING)
        conn_connected(t, c, now);
}

void conn_io_failed(struct thread *t, struct conn *c, enum load_class cls, int errnum,
                    uint64_t now)
{
    conn_lost(t, c, cls, errnum, now);
}
