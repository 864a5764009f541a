/*
 * uring.c: the io_uring back end of a load thread's loop (closed loop
 * with keep-alive; loadgen.h's io option).  The connection state machine
 * is conn.c's; this file only changes how its system calls are made:
 *
 *   - a connection's responses arrive through one multishot recvmsg,
 *     armed once when it opens, into buffers the thread provides (a
 *     buffer ring): no system call per response, and the kernel's arrival
 *     stamp comes with each;
 *   - a request is a send queued in the submission ring; the sends a batch
 *     of completions produced leave together, in the one io_uring_enter
 *     that also waits for the next completions.  Their write time is the
 *     time of that submission (uring_submit stamps it), so latency still
 *     runs from the write;
 *   - a connect is a nonblocking connect() and a poll for its end;
 *   - a connection closed is first cancelled (its recvmsg and send hold
 *     the socket open otherwise), in a submission made before close().
 *
 * The ring is set up with a single issuer and deferred task work where
 * the kernel has them (6.1): completions are produced when the thread
 * asks for them, not by interrupting it.
 */
#include "loadgen_private.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness/lib/clock.h"

#ifdef PACER_HAVE_URING
#include <liburing.h>

#define BUF_SIZE 2048           /* a provided buffer: header, stamp, data */
#define BGID 0
#define MAX_CQES 512            /* completions taken in one go */

enum uop { UOP_RECV = 1, UOP_SEND, UOP_POLL, UOP_CANCEL, UOP_STOP };

/* A send queued and not yet submitted: stamped at its submission. */
struct queued {
    uint32_t idx, gen;
    uint32_t slot, k;           /* its requests: k ring slots of c from slot */
};

struct uring {
    struct io_uring ring;
    struct io_uring_buf_ring *br;
    size_t br_bytes;
    char *bufs;
    unsigned nbufs;
    struct msghdr msg;          /* the recvmsg's template: stamp space, no name */
    struct queued *q;
    size_t nq, qcap;
    int stop_armed;
};

static uint64_t key(enum uop op, const struct thread *t, const struct conn *c)
{
    return (uint64_t)op << 56 | (uint64_t)c->gen << 24 | (uint64_t)(c - t->conns);
}

static void buf_give(struct uring *u, unsigned bid)
{
    io_uring_buf_ring_add(u->br, u->bufs + (size_t)bid * BUF_SIZE, BUF_SIZE, (unsigned short)bid,
                          io_uring_buf_ring_mask(u->nbufs), 0);
    io_uring_buf_ring_advance(u->br, 1);
}

/* The smallest power of two >= n, at most max. */
static unsigned pow2(size_t n, unsigned max)
{
    unsigned v = 1;

    while (v < n && v < max)
        v <<= 1;
    return v;
}

int uring_init(struct thread *t, struct err *e)
{
    struct io_uring_params p;
    struct io_uring_buf_reg reg;
    struct uring *u = calloc(1, sizeof *u);
    unsigned i, entries = pow2(t->nconns * 2 + 16, 4096);
    int rc;

    if (!u)
        return err_set(e, "out of memory");
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    p.cq_entries = pow2(t->nconns * 4 + 64, 65536);
    rc = io_uring_queue_init_params(entries, &u->ring, &p);
    if (rc == -EINVAL) {   /* before 6.1: cooperative task work */
        memset(&p, 0, sizeof p);
        p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN;
        p.cq_entries = pow2(t->nconns * 4 + 64, 65536);
        rc = io_uring_queue_init_params(entries, &u->ring, &p);
    }
    if (rc < 0) {
        free(u);
        return err_set(e, "io_uring_setup: %s", strerror(-rc));
    }
    if (!(p.features & IORING_FEAT_EXT_ARG)) {
        io_uring_queue_exit(&u->ring);
        free(u);
        return err_set(e, "io_uring: the kernel cannot wait with a timeout (before 5.11)");
    }
    t->u = u;
    u->nbufs = pow2(t->nconns * 2 + 64, 1024);
    u->br_bytes = u->nbufs * sizeof(struct io_uring_buf);
    u->br = mmap(NULL, u->br_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    u->bufs = malloc((size_t)u->nbufs * BUF_SIZE);
    if (u->br == MAP_FAILED) {
        u->br = NULL;
        return err_set(e, "out of memory");
    }
    if (!u->bufs)
        return err_set(e, "out of memory");
    memset(&reg, 0, sizeof reg);
    reg.ring_addr = (unsigned long)u->br;
    reg.ring_entries = u->nbufs;
    reg.bgid = BGID;
    if ((rc = io_uring_register_buf_ring(&u->ring, &reg, 0)) < 0)
        return err_set(e, "io_uring: provided buffer rings: %s (before 5.19)", strerror(-rc));
    io_uring_buf_ring_init(u->br);
    for (i = 0; i < u->nbufs; i++)
        buf_give(u, i);
    u->msg.msg_controllen = CMSG_SPACE(sizeof(struct timespec));
    return 0;
}

void uring_free(struct thread *t)
{
    struct uring *u = t->u;

    if (!u)
        return;
    io_uring_queue_exit(&u->ring);
    if (u->br)
        munmap(u->br, u->br_bytes);
    free(u->bufs);
    free(u->q);
    free(u);
    t->u = NULL;
}

/* Stamp the sends queued since the last submission with its time: each
 * request's write (and, closed loop, its latency) starts there. */
static void stamp_queued(struct thread *t, uint64_t now)
{
    struct uring *u = t->u;
    size_t i;

    for (i = 0; i < u->nq; i++) {
        struct queued *q = &u->q[i];
        struct conn *c = &t->conns[q->idx];
        uint32_t j;
        if (c->gen != q->gen)
            continue;   /* closed since: nothing of it was sent */
        for (j = 0; j < q->k; j++) {
            uint32_t slot = q->slot + j;
            if (slot >= t->o->pipeline)
                slot -= t->o->pipeline;
            if (c->origin[slot] == c->sent[slot])
                c->origin[slot] = now;
            c->sent[slot] = now;
        }
    }
    u->nq = 0;
}

/* Submit what is queued: -errno, or the count submitted. */
static int submit(struct thread *t)
{
    int rc = io_uring_submit(&t->u->ring);

    stamp_queued(t, clock_now_ns());
    return rc;
}

/* A free submission entry (submitting what is queued when the ring is
 * full). */
static struct io_uring_sqe *sqe_get(struct thread *t)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&t->u->ring);

    if (!sqe) {
        submit(t);
        sqe = io_uring_get_sqe(&t->u->ring);
    }
    return sqe;
}

static int arm_recv(struct thread *t, struct conn *c)
{
    struct io_uring_sqe *sqe = sqe_get(t);

    if (!sqe)
        return -1;
    io_uring_prep_recvmsg_multishot(sqe, c->fd, &t->u->msg, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = BGID;
    io_uring_sqe_set_data64(sqe, key(UOP_RECV, t, c));
    return 0;
}

int uring_connect_wait(struct thread *t, struct conn *c)
{
    struct io_uring_sqe *sqe = sqe_get(t);

    if (!sqe)
        return -1;
    io_uring_prep_poll_add(sqe, c->fd, POLLOUT);
    io_uring_sqe_set_data64(sqe, key(UOP_POLL, t, c));
    return 0;
}

int uring_opened(struct thread *t, struct conn *c)
{
    return arm_recv(t, c);
}

int uring_send(struct thread *t, struct conn *c, uint32_t slot, uint32_t k)
{
    struct uring *u = t->u;
    struct io_uring_sqe *sqe = sqe_get(t);

    if (!sqe)
        return -1;
    io_uring_prep_send(sqe, c->fd, t->wbuf + c->woff, c->wlen - c->woff, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, key(UOP_SEND, t, c));
    if (k) {
        if (u->nq == u->qcap) {
            size_t ncap = u->qcap ? u->qcap * 2 : 64;
            struct queued *nq = realloc(u->q, ncap * sizeof *nq);
            if (!nq)
                return 0;   /* unstamped: its time is its queueing */
            u->q = nq;
            u->qcap = ncap;
        }
        u->q[u->nq++] = (struct queued){(uint32_t)(c - t->conns), c->gen, slot, k};
    }
    return 0;
}

void uring_close(struct thread *t, struct conn *c)
{
    struct io_uring_sqe *sqe = sqe_get(t);

    /* cancelled before the descriptor goes: a cancel by descriptor is
     * resolved when submitted, and the number may be reused after close */
    if (sqe) {
        io_uring_prep_cancel_fd(sqe, c->fd, IORING_ASYNC_CANCEL_ALL);
        io_uring_sqe_set_data64(sqe, (uint64_t)UOP_CANCEL << 56);
        submit(t);
    }
}

/* When the payload of a recvmsg completion arrived (the kernel's stamp,
 * as arrival() in conn.c), 0 without a stamp. */
static uint64_t stamp(struct thread *t, struct io_uring_recvmsg_out *o, uint64_t now)
{
    struct cmsghdr *cm;

    for (cm = io_uring_recvmsg_cmsg_firsthdr(o, &t->u->msg); cm;
         cm = io_uring_recvmsg_cmsg_nexthdr(o, &t->u->msg, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            int64_t v;
            memcpy(&ts, CMSG_DATA(cm), sizeof ts);
            v = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - t->rt_off;
            return v <= 0 || (uint64_t)v > now ? now : (uint64_t)v;
        }
    return 0;
}

/* One completion. */
static void complete(struct thread *t, struct io_uring_cqe *cqe, uint64_t now)
{
    uint64_t k = io_uring_cqe_get_data64(cqe);
    enum uop op = (enum uop)(k >> 56);
    uint32_t gen = (uint32_t)(k >> 24), idx = (uint32_t)(k & 0xffffff);
    struct conn *c;
    int more = (cqe->flags & IORING_CQE_F_MORE) != 0;

    if (op == UOP_STOP) {
        t->u->stop_armed = 0;
        return;
    }
    if (op == UOP_CANCEL)
        return;
    c = &t->conns[idx];
    if (op == UOP_RECV && (cqe->flags & IORING_CQE_F_BUFFER)) {
        unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
        if (c->gen == gen && c->fd >= 0 && cqe->res > 0) {
            char *buf = t->u->bufs + (size_t)bid * BUF_SIZE;
            struct io_uring_recvmsg_out *o =
                io_uring_recvmsg_validate(buf, cqe->res, &t->u->msg);
            if (o) {
                uint64_t arrived = o->flags & MSG_CTRUNC ? 0 : stamp(t, o, now);
                size_t n = io_uring_recvmsg_payload_length(o, cqe->res, &t->u->msg);
                t->stamps = arrived != 0;
                t->reads++;
                t->stamped += t->stamps;
                if (n)
                    conn_received(t, c, io_uring_recvmsg_payload(o, &t->u->msg), n,
                                  arrived ? arrived : now, now);
                else
                    conn_received(t, c, NULL, 0, now, now);
            }
        }
        buf_give(t->u, bid);
    }
    if (c->gen != gen || c->fd < 0)
        return;   /* closed since */
    switch (op) {
    case UOP_RECV:
        if (cqe->res < 0 && cqe->res != -ENOBUFS && cqe->res != -ECANCELED) {
            conn_io_failed(t, c, LC_READ, -cqe->res, now);
            return;
        }
        if (cqe->res == 0 && !(cqe->flags & IORING_CQE_F_BUFFER)) {
            conn_received(t, c, NULL, 0, now, now);   /* end of file */
            return;
        }
        if (!more && c->gen == gen && c->state == CS_OPEN)
            arm_recv(t, c);   /* ended (buffers ran out, say): again */
        break;
    case UOP_SEND:
        conn_sent(t, c, cqe->res, now);
        break;
    case UOP_POLL:
        conn_connect_done(t, c, now);
        break;
    default:
        break;
    }
}

int uring_wait(struct thread *t, uint64_t wait_ns)
{
    struct uring *u = t->u;
    struct io_uring_cqe *cqe, *cqes[MAX_CQES];
    struct __kernel_timespec ts;
    unsigned n, i;
    uint64_t now;
    int rc;

    if (!u->stop_armed) {   /* an early stop: the stop event becomes readable */
        struct io_uring_sqe *sqe = sqe_get(t);
        if (sqe) {
            io_uring_prep_poll_add(sqe, t->sh->stopfd, POLLIN);
            io_uring_sqe_set_data64(sqe, (uint64_t)UOP_STOP << 56);
            u->stop_armed = 1;
        }
    }
    ts.tv_sec = (long long)(wait_ns / 1000000000u);
    ts.tv_nsec = (long long)(wait_ns % 1000000000u);
    now = clock_now_ns();
    rc = io_uring_submit_and_wait_timeout(&u->ring, &cqe, 1, &ts, NULL);
    stamp_queued(t, now);
    if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
        errno = -rc;
        return -1;
    }
    n = io_uring_peek_batch_cqe(&u->ring, cqes, MAX_CQES);
    now = clock_now_ns();
    for (i = 0; i < n; i++)
        complete(t, cqes[i], now);
    io_uring_cq_advance(&u->ring, n);
    return (int)n;
}

const char *uring_available(void)
{
    struct io_uring ring;
    struct io_uring_params p;
    int rc;

    memset(&p, 0, sizeof p);
    rc = io_uring_queue_init_params(4, &ring, &p);
    if (rc < 0)
        return strerror(-rc);
    io_uring_queue_exit(&ring);
    return NULL;
}

#else /* !PACER_HAVE_URING */

int uring_init(struct thread *t, struct err *e)
{
    (void)t;
    return err_set(e, "io_uring: pacer was built without liburing");
}

void uring_free(struct thread *t)
{
    (void)t;
}

int uring_connect_wait(struct thread *t, struct conn *c)
{
    (void)t, (void)c;
    return -1;
}

int uring_opened(struct thread *t, struct conn *c)
{
    (void)t, (void)c;
    return -1;
}

int uring_send(struct thread *t, struct conn *c, uint32_t slot, uint32_t k)
{
    (void)t, (void)c, (void)slot, (void)k;
    return -1;
}

void uring_close(struct thread *t, struct conn *c)
{
    (void)t, (void)c;
}

int uring_wait(struct thread *t, uint64_t wait_ns)
{
    (void)t, (void)wait_ns;
    errno = ENOSYS;
    return -1;
}

const char *uring_available(void)
{
    return "pacer was built without liburing";
}
#endif
