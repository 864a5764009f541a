/*
 * testsrv.c: the server the load generator's tests and benchmarks run
 * against.  One process, one thread, one epoll loop on loopback, one mode
 * per run: well-behaved HTTP/1.1 (ok, chunked, status, slow), a server that
 * stops the world on a fixed schedule (stall), servers that misbehave in
 * one precise way (reset, close, garbage, bighdr, hang), and a raw TCP echo.
 * Prints "listening on PORT" once it accepts; exits on SIGTERM or SIGINT,
 * or by itself after --max-time.
 *
 * The ok path is meant to cost one recv and one send per request (or per
 * batch of pipelined requests): replies are built once at start and queued
 * by reference, and each connection is registered once, edge-triggered for
 * both directions, so no request needs an epoll_ctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define READ_MAX   (64 * 1024)  /* one recv; also the input a connection may hold */
#define HEAD_MAX   (32 * 1024)  /* a longer request head gets 431 */
#define OUT_HIGH   (256 * 1024) /* queued reply bytes at which parsing pauses */
#define QUEUE_MAX  1024         /* queued (or delayed) replies at which parsing pauses */
#define BATCH_IOV  64           /* iovecs per sendmsg */
#define BODY_MAX   ((size_t)256 << 20)
#define FRAME_MAX  ((size_t)16 << 20)
#define PAD_LINE   1024         /* bighdr: bytes per "X-Pad" header line */
#define NS         1000000000LL

enum mode { M_OK, M_CHUNKED, M_STATUS, M_STALL, M_RESET, M_CLOSE, M_GARBAGE,
            M_BIGHDR, M_HANG, M_SLOW, M_ECHO, M_BADMIX, M_NOACCEPT, M_RSTCONN, M_LONGBODY,
            M_CLOSEEACH, M_HTTP10, M_SERIAL };

static const char *const mode_names[] = {
    "ok", "chunked", "status", "stall", "reset", "close", "garbage",
    "bighdr", "hang", "slow", "echo", "badmix", "noaccept", "rstconnect", "longbody",
    "closeeach", "http10", "serial",
};

struct opts {
    const char *host;
    int port, status, backlog, fail_first;
    enum mode mode;
    size_t body_size, header_bytes, frame_bytes;
    int64_t delay, stall_for, stall_every, max_time; /* ns */
};

/* A prebuilt reply; head is the length of its header section (for HEAD). */
struct reply {
    char *buf;
    size_t len, head;
};

enum { R_KEEP, R_CLOSE, R_KEEP10, R_NVARIANT };

/* A queued piece of output: static memory at p, or (p NULL) the
 * connection's copy buffer at off. */
struct seg {
    const char *p;
    size_t off, len;
};

struct conn {
    int fd;
    uint64_t id;
    char *in;                 /* unconsumed input: an unfinished request */
    size_t inlen, incap;
    size_t scan;              /* bytes of in already searched for an end */
    uint64_t body_left;       /* request body bytes still to skip */
    struct seg *seg;          /* output queue, seg[shead..nseg) */
    size_t shead, nseg, segcap, queued;
    char *copy;               /* bytes queued by copy (echo) */
    size_t copylen, copycap;
    unsigned pending;         /* replies waiting on the slow timer */
    unsigned can_read : 1, eof : 1, stalled : 1, discard : 1, want_close : 1,
             rst : 1, fail : 1;
};

/* A reply the slow timer sends at `at` to connection fd if it is still id. */
struct due {
    int64_t at;
    uint64_t id;
    const char *p;
    size_t len;
    int fd;
    bool close;
};

struct server {
    struct opts o;
    int ep, lfd, sigfd, endfd, stallfd, slowfd, spare;
    struct conn **conns;      /* by fd */
    size_t conncap;
    uint64_t next_id;
    int64_t next_stall;
    int64_t serial_free;      /* serial mode: when the one worker is free */
    struct due *q;            /* ring of delayed replies, oldest first */
    size_t qhead, qlen, qcap;
    size_t in_max;
    char *body;
    struct reply reply[R_NVARIANT], err400, err431, err501, half, garbage, badchunk, err503,
        longbody, http10;
    int failed;               /* replies failed so far (--fail-first) */
    bool quit;
    int rc;
    char rbuf[READ_MAX];
};

static const char cont100[] = "HTTP/1.1 100 Continue\r\n\r\n";

/* ---- small helpers ------------------------------------------------------- */

static void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warnf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("testsrv: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

static struct timespec ts_of(int64_t ns)
{
    struct timespec ts = {.tv_sec = ns / NS, .tv_nsec = ns % NS};

    return ts;
}

/* Arm timerfd fd to fire once at monotonic time at (0 disarms). */
static int timer_at(int fd, int64_t at)
{
    struct itimerspec its = {.it_value = ts_of(at)};

    return timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* A growable byte string; oom records the first allocation failure. */
struct sb {
    char *p;
    size_t len, cap;
    bool oom;
};

static void sb_grow(struct sb *b, size_t n)
{
    size_t cap = b->cap ? b->cap : 256;
    char *p;

    if (b->oom || b->len + n <= b->cap)
        return;
    while (cap < b->len + n)
        cap *= 2;
    p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return;
    }
    b->p = p;
    b->cap = cap;
}

static void sb_add(struct sb *b, const void *d, size_t n)
{
    sb_grow(b, n);
    if (b->oom)
        return;
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void sb_fill(struct sb *b, char ch, size_t n)
{
    sb_grow(b, n);
    if (b->oom)
        return;
    memset(b->p + b->len, ch, n);
    b->len += n;
}

static void sb_fmt(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_fmt(struct sb *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        b->oom = true;
        return;
    }
    sb_add(b, tmp, (size_t)n);
}

/* ---- options --------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
"usage: testsrv [options]\n"
"\n"
"A single-threaded epoll test server.  Prints \"listening on PORT\" once ready;\n"
"exits on SIGTERM/SIGINT or after --max-time.\n"
"\n"
"options:\n"
"  --host ADDR          address to listen on (default 127.0.0.1; ::1 works)\n"
"  --port N             port, 0 for an ephemeral one (default 0)\n"
"  --mode MODE          what to do with requests (default ok), see below\n"
"  --body-size BYTES    reply body size (default 13, \"hello, world\\n\")\n"
"  --status N           status mode: the status code, 200-599 (default 500)\n"
"  --delay DUR          slow, serial: delay before each reply (default 10ms)\n"
"  --stall-every DUR    stall mode: pause period from start (default 5s)\n"
"  --stall-for DUR      stall mode: pause length (default 1s)\n"
"  --header-bytes BYTES bighdr mode: header section size (default 1MiB)\n"
"  --frame-bytes N      echo mode: answer each N-byte frame, not each line\n"
"  --max-time DUR       exit after this long (default 600s)\n"
"  --backlog N          listen backlog (default 4096)\n"
"  --fail-first N       answer the first N requests with 503 (keep-alive)\n"
"  --help               this text\n"
"\n"
"modes:\n"
"  ok       200 with a Content-Length body; keep-alive, pipelining, HEAD,\n"
"           \"Connection: close\", request bodies by Content-Length\n"
"  chunked  as ok, the body in Transfer-Encoding: chunked pieces\n"
"  status   as ok, with the --status code\n"
"  stall    as ok, but the whole loop sleeps --stall-for every --stall-every\n"
"  reset    read a request, then close with RST\n"
"  close    send a head with Content-Length 100 and 10 body bytes, then close\n"
"  garbage  answer with \"SSH-2.0-garbage\" and random bytes, then close\n"
"  bighdr   as ok, with a --header-bytes header section of X-Pad lines\n"
"  hang     read requests, never answer\n"
"  slow     as ok, each reply sent --delay after its request (timerfd)\n"
"  serial   as slow, but one request served at a time: each reply sent\n"
"           --delay after the one before it (or after its request when the\n"
"           server was idle): a queue of capacity 1/--delay requests/s\n"
"  echo     raw TCP: send back each line (or each --frame-bytes frame)\n"
"  badmix   odd connections get garbage, even ones a bad chunk size; close\n"
"  noaccept listen (--backlog) and never accept: a full accept queue\n"
"  rstconnect  accept, then reset at once (RST), reading nothing\n"
"  longbody as ok, with 7 bytes beyond the Content-Length of each reply\n"
"  closeeach  as ok, every reply with Connection: close, then close\n"
"  http10   an HTTP/1.0 server without keep-alive: every reply \"HTTP/1.0 200\n"
"           OK\" with a 13-byte body and no Connection header, then close\n"
"\n"
"DUR: a number with ns, us, ms, s or m (plain numbers are seconds).\n"
"BYTES: a number with an optional k, M or G (KiB, MiB, GiB).\n"
"Malformed requests get 400 and a close; heads over 32 KiB get 431.\n");
}

/* Parse a duration ("10ms", "1s", "500us", "2.5") into *ns. */
static int parse_dur(const char *arg, int64_t *ns)
{
    static const struct { const char *unit; double scale; } units[] = {
        {"", 1e9}, {"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"ns", 1}, {"m", 60e9},
    };
    char *end;
    double v, t;
    size_t i;

    errno = 0;
    v = strtod(arg, &end);
    if (end == arg || errno || !(v >= 0))
        return -1;
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].unit))
            continue;
        t = v * units[i].scale;
        if (t > 9e18)
            return -1;
        *ns = (int64_t)(t + 0.5);
        return 0;
    }
    return -1;
}

/* Parse a non-negative integer with an optional binary suffix, at most max. */
static int parse_size(const char *arg, size_t max, size_t *out)
{
    unsigned long long v;
    unsigned shift = 0;
    char *end;

    if (*arg < '0' || *arg > '9')
        return -1;
    errno = 0;
    v = strtoull(arg, &end, 10);
    if (errno)
        return -1;
    if (!strcmp(end, "k") || !strcmp(end, "K") || !strcmp(end, "KiB"))
        shift = 10;
    else if (!strcmp(end, "M") || !strcmp(end, "MiB"))
        shift = 20;
    else if (!strcmp(end, "G") || !strcmp(end, "GiB"))
        shift = 30;
    else if (*end)
        return -1;
    if (v > (max >> shift))
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

static int parse_int(const char *arg, long lo, long hi, int *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (end == arg || *end || errno || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

/* Fill *o from argv; 0 ok, 1 --help given, -1 bad usage (reported). */
static int parse_opts(int argc, char **argv, struct opts *o)
{
    enum { O_HOST = 256, O_PORT, O_MODE, O_BODY, O_STATUS, O_DELAY, O_SFOR,
           O_SEVERY, O_HDR, O_FRAME, O_MAXT, O_BACKLOG, O_FAILF, O_HELP };
    static const struct option lopts[] = {
        {"host", required_argument, NULL, O_HOST},
        {"port", required_argument, NULL, O_PORT},
        {"mode", required_argument, NULL, O_MODE},
        {"body-size", required_argument, NULL, O_BODY},
        {"status", required_argument, NULL, O_STATUS},
        {"delay", required_argument, NULL, O_DELAY},
        {"stall-for", required_argument, NULL, O_SFOR},
        {"stall-every", required_argument, NULL, O_SEVERY},
        {"header-bytes", required_argument, NULL, O_HDR},
        {"frame-bytes", required_argument, NULL, O_FRAME},
        {"max-time", required_argument, NULL, O_MAXT},
        {"backlog", required_argument, NULL, O_BACKLOG},
        {"fail-first", required_argument, NULL, O_FAILF},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    int c, bad;
    size_t i;

    *o = (struct opts){
        .host = "127.0.0.1", .status = 500, .backlog = 4096, .mode = M_OK,
        .body_size = 13, .header_bytes = (size_t)1 << 20,
        .delay = 10 * NS / 1000, .stall_for = NS, .stall_every = 5 * NS,
        .max_time = 600 * NS,
    };
    while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
        bad = 0;
        switch (c) {
        case O_HOST: o->host = optarg; break;
        case O_PORT: bad = parse_int(optarg, 0, 65535, &o->port); break;
        case O_MODE:
            bad = -1;
            for (i = 0; i < sizeof mode_names / sizeof mode_names[0]; i++)
                if (!strcmp(optarg, mode_names[i])) {
                    o->mode = (enum mode)i;
                    bad = 0;
                }
            break;
        case O_BODY: bad = parse_size(optarg, BODY_MAX, &o->body_size); break;
        case O_STATUS: bad = parse_int(optarg, 200, 599, &o->status); break;
        case O_DELAY: bad = parse_dur(optarg, &o->delay); break;
        case O_SFOR: bad = parse_dur(optarg, &o->stall_for); break;
        case O_SEVERY:
            bad = parse_dur(optarg, &o->stall_every) || o->stall_every <= 0 ? -1 : 0;
            break;
        case O_HDR: bad = parse_size(optarg, BODY_MAX, &o->header_bytes); break;
        case O_FRAME:
            bad = parse_size(optarg, FRAME_MAX, &o->frame_bytes) || !o->frame_bytes ? -1 : 0;
            break;
        case O_MAXT:
            bad = parse_dur(optarg, &o->max_time) || o->max_time <= 0 ? -1 : 0;
            break;
        case O_BACKLOG: bad = parse_int(optarg, 1, 1 << 20, &o->backlog); break;
        case O_FAILF: bad = parse_int(optarg, 0, 1 << 30, &o->fail_first); break;
        case 'h':
        case O_HELP: usage(stdout); return 1;
        default:
            /* getopt has named the option. */
            fprintf(stderr, "see testsrv --help\n");
            return -1;
        }
        if (bad) {
            warnf("--%s: bad value '%s' (see --help)", lopts[c - O_HOST].name, optarg);
            return -1;
        }
    }
    if (optind < argc) {
        warnf("%s: unexpected argument (see --help)", argv[optind]);
        return -1;
    }
    return 0;
}

/* ---- prebuilt replies ------------------------------------------------------ */

static const char *reason(int code)
{
    static const struct { int code; const char *text; } tab[] = {
        {200, "OK"}, {201, "Created"}, {202, "Accepted"}, {204, "No Content"},
        {301, "Moved Permanently"}, {302, "Found"}, {304, "Not Modified"},
        {400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"},
        {404, "Not Found"}, {408, "Request Timeout"}, {413, "Content Too Large"},
        {429, "Too Many Requests"}, {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"}, {501, "Not Implemented"},
        {502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"},
    };
    size_t i;

    for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (tab[i].code == code)
            return tab[i].text;
    return "Status";
}

/* "X-Pad: aaa..." lines that bring a header section of fixed bytes to
 * target bytes; exact unless fewer than 10 bytes are missing. */
static void pad_headers(struct sb *b, size_t target, size_t fixed)
{
    size_t pad = target > fixed ? target - fixed : 0, n;

    while (pad >= 10) {
        n = pad >= 2 * PAD_LINE ? PAD_LINE : pad;
        sb_add(b, "X-Pad: ", 7);
        sb_fill(b, 'a', n - 9);
        sb_add(b, "\r\n", 2);
        pad -= n;
    }
}

/* The reply the answering modes send, with Connection header conn_hdr. */
static int reply_build(struct reply *r, const struct opts *o, const char *body,
                       const char *conn_hdr)
{
    int code = o->mode == M_STATUS ? o->status : 200;
    bool nobody = code == 204 || code == 304;
    bool chunked = o->mode == M_CHUNKED && !nobody;
    size_t n = o->body_size, nchunks, off, k, len;
    struct sb b = {0};
    char tail[128];

    if (chunked)
        snprintf(tail, sizeof tail, "%sTransfer-Encoding: chunked\r\n\r\n", conn_hdr);
    else if (nobody)
        snprintf(tail, sizeof tail, "%s\r\n", conn_hdr);
    else
        snprintf(tail, sizeof tail, "%sContent-Length: %zu\r\n\r\n", conn_hdr, n);
    sb_fmt(&b, "HTTP/1.1 %d %s\r\n", code, reason(code));
    if (o->mode == M_BIGHDR)
        pad_headers(&b, o->header_bytes, b.len + strlen(tail));
    sb_add(&b, tail, strlen(tail));
    r->head = b.len;
    if (chunked) {
        nchunks = n < 3 ? n : 3;
        for (k = 0, off = 0; k < nchunks; k++, off += len) {
            len = k + 1 < nchunks ? n / nchunks : n - off;
            sb_fmt(&b, "%zx\r\n", len);
            sb_add(&b, body + off, len);
            sb_add(&b, "\r\n", 2);
        }
        sb_add(&b, "0\r\n\r\n", 5);
    } else if (!nobody) {
        sb_add(&b, body, n);
    }
    if (b.oom) {
        free(b.p);
        return -1;
    }
    r->buf = b.p;
    r->len = b.len;
    return 0;
}

static int reply_text(struct reply *r, const char *text)
{
    r->len = r->head = strlen(text);
    r->buf = strdup(text);
    return r->buf ? 0 : -1;
}

/* "SSH-2.0-garbage\r\n" and 512 bytes from a fixed-seed xorshift64, so
 * every run sends the same junk. */
static int garbage_build(struct reply *r)
{
    static const char banner[] = "SSH-2.0-garbage\r\n";
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    size_t i;

    r->len = r->head = sizeof banner - 1 + 512;
    r->buf = malloc(r->len);
    if (!r->buf)
        return -1;
    memcpy(r->buf, banner, sizeof banner - 1);
    for (i = sizeof banner - 1; i < r->len; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        r->buf[i] = (char)(x >> 56);
    }
    return 0;
}

static int replies_build(struct server *s)
{
    static const char pattern[] = "hello, world\n";
    const struct opts *o = &s->o;
    size_t i;

    s->body = malloc(o->body_size ? o->body_size : 1);
    if (!s->body)
        return -1;
    for (i = 0; i < o->body_size; i++)
        s->body[i] = pattern[i % (sizeof pattern - 1)];
    if (reply_build(&s->reply[R_KEEP], o, s->body, "") < 0 ||
        reply_build(&s->reply[R_CLOSE], o, s->body, "Connection: close\r\n") < 0 ||
        reply_build(&s->reply[R_KEEP10], o, s->body, "Connection: keep-alive\r\n") < 0 ||
        reply_text(&s->err400, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n") < 0 ||
        reply_text(&s->err431, "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                               "Content-Length: 0\r\nConnection: close\r\n\r\n") < 0 ||
        reply_text(&s->err501, "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n") < 0 ||
        reply_text(&s->half, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                             "0123456789") < 0 ||
        reply_text(&s->badchunk, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 "zz\r\n") < 0 ||
        reply_text(&s->err503, "HTTP/1.1 503 Service Unavailable\r\n"
                               "Content-Length: 0\r\n\r\n") < 0 ||
        reply_text(&s->longbody, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                                 "helloEXTRA!!") < 0 ||
        reply_text(&s->http10, "HTTP/1.0 200 OK\r\nContent-Length: 13\r\n\r\n"
                               "hello, world\n") < 0 ||
        garbage_build(&s->garbage) < 0)
        return -1;
    return 0;
}

static void replies_free(struct server *s)
{
    size_t i;

    for (i = 0; i < R_NVARIANT; i++)
        free(s->reply[i].buf);
    free(s->err400.buf);
    free(s->err431.buf);
    free(s->err501.buf);
    free(s->half.buf);
    free(s->garbage.buf);
    free(s->badchunk.buf);
    free(s->err503.buf);
    free(s->longbody.buf);
    free(s->http10.buf);
    free(s->body);
}

/* ---- connections: output queue --------------------------------------------- */

static bool out_room(const struct conn *c)
{
    return c->queued < OUT_HIGH && c->nseg - c->shead < QUEUE_MAX &&
           c->pending < QUEUE_MAX;
}

static struct seg *seg_new(struct conn *c)
{
    struct seg *p;
    size_t cap;

    if (c->nseg == c->segcap && c->shead > 0) {
        memmove(c->seg, c->seg + c->shead, (c->nseg - c->shead) * sizeof *c->seg);
        c->nseg -= c->shead;
        c->shead = 0;
    }
    if (c->nseg == c->segcap) {
        cap = c->segcap ? 2 * c->segcap : 4;
        p = realloc(c->seg, cap * sizeof *p);
        if (!p)
            return NULL;
        c->seg = p;
        c->segcap = cap;
    }
    return &c->seg[c->nseg++];
}

/* Queue len bytes of p, which outlives the connection (a prebuilt reply). */
static void push_static(struct conn *c, const char *p, size_t len)
{
    struct seg *sg = seg_new(c);

    if (!sg) {
        c->fail = 1;
        return;
    }
    *sg = (struct seg){.p = p, .len = len};
    c->queued += len;
}

/* Queue a copy of len bytes of p. */
static void push_copy(struct conn *c, const char *p, size_t len)
{
    struct seg *last = c->nseg > c->shead ? &c->seg[c->nseg - 1] : NULL;
    size_t cap;
    char *q;

    if (c->copylen + len > c->copycap) {
        cap = c->copycap ? c->copycap : 1024;
        while (cap < c->copylen + len)
            cap *= 2;
        q = realloc(c->copy, cap);
        if (!q) {
            c->fail = 1;
            return;
        }
        c->copy = q;
        c->copycap = cap;
    }
    memcpy(c->copy + c->copylen, p, len);
    if (last && !last->p && last->off + last->len == c->copylen) {
        last->len += len;
    } else {
        last = seg_new(c);
        if (!last) {
            c->fail = 1;
            return;
        }
        *last = (struct seg){.off = c->copylen, .len = len};
    }
    c->copylen += len;
    c->queued += len;
}

/* Send what is queued until done or the socket is full; -1 on a dead peer. */
static int flush(struct conn *c)
{
    struct iovec iov[BATCH_IOV];
    struct msghdr mh = {.msg_iov = iov};
    size_t i, n, want;
    struct seg *sg;
    ssize_t w;

    while (c->shead < c->nseg) {
        for (i = c->shead, n = 0, want = 0; i < c->nseg && n < BATCH_IOV; i++, n++) {
            sg = &c->seg[i];
            iov[n].iov_base = (void *)(sg->p ? sg->p : c->copy + sg->off);
            iov[n].iov_len = sg->len;
            want += sg->len;
        }
        mh.msg_iovlen = n;
        w = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
        c->queued -= (size_t)w;
        for (n = (size_t)w; n > 0;) {
            sg = &c->seg[c->shead];
            if (n < sg->len) {
                if (sg->p)
                    sg->p += n;
                else
                    sg->off += n;
                sg->len -= n;
                break;
            }
            n -= sg->len;
            c->shead++;
        }
        /* A short write means the socket is full: EPOLLOUT will follow. */
        if ((size_t)w < want)
            return 0;
    }
    c->shead = c->nseg = 0;
    c->copylen = 0;
    return 0;
}

/* ---- delayed replies (slow mode) ------------------------------------------- */

static int due_push(struct server *s, const struct due *d)
{
    struct due *q;
    size_t cap, i;

    if (s->qlen == s->qcap) {
        cap = s->qcap ? 2 * s->qcap : 64;
        q = malloc(cap * sizeof *q);
        if (!q)
            return -1;
        for (i = 0; i < s->qlen; i++)
            q[i] = s->q[(s->qhead + i) % s->qcap];
        free(s->q);
        s->q = q;
        s->qcap = cap;
        s->qhead = 0;
    }
    s->q[(s->qhead + s->qlen++) % s->qcap] = *d;
    if (s->qlen == 1 && timer_at(s->slowfd, d->at) < 0) {
        warnf("timerfd_settime: %s", strerror(errno));
        s->quit = true;
        s->rc = 1;
    }
    return 0;
}

/* Queue a reply now, or in slow and serial modes after --delay. */
static void deliver(struct server *s, struct conn *c, const char *p, size_t len, bool close)
{
    struct due d;

    if (close)
        c->discard = 1;
    if (s->o.mode != M_SLOW && s->o.mode != M_SERIAL) {
        push_static(c, p, len);
        if (close)
            c->want_close = 1;
        return;
    }
    d = (struct due){.at = mono_ns() + s->o.delay, .id = c->id, .p = p,
                     .len = len, .fd = c->fd, .close = close};
    if (s->o.mode == M_SERIAL) {
        /* one worker: this request's service starts when the one before
         * it is done, so replies leave at most one each --delay */
        int64_t now = mono_ns();
        d.at = (s->serial_free > now ? s->serial_free : now) + s->o.delay;
        s->serial_free = d.at;
    }
    if (due_push(s, &d) < 0)
        c->fail = 1;
    else
        c->pending++;
}

/* ---- HTTP ------------------------------------------------------------------ */

struct req {
    size_t head_len;          /* bytes up to the end of the head */
    uint64_t body;            /* Content-Length */
    bool head_only, close, keep10, expect100;
};

enum { P_DONE, P_MORE, P_BAD, P_UNSUP };

static bool is_tchar(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static bool is_ows(char ch)
{
    return ch == ' ' || ch == '\t';
}

static bool token_is(const char *p, size_t n, const char *word)
{
    return n == strlen(word) && !strncasecmp(p, word, n);
}

/* The request line: method SP target SP HTTP/1.x; sets *v10. */
static int parse_reqline(const char *p, const char *e, struct req *rq, bool *v10)
{
    const char *m = p, *t;

    while (p < e && is_tchar((unsigned char)*p))
        p++;
    if (p == m || p == e || *p != ' ')
        return P_BAD;
    rq->head_only = p - m == 4 && !memcmp(m, "HEAD", 4);
    t = ++p;
    while (p < e && (unsigned char)*p > ' ' && *p != 0x7f)
        p++;
    if (p == t || p == e || *p != ' ')
        return P_BAD;
    p++;
    if (e - p != 8 || memcmp(p, "HTTP/1.", 7) || (p[7] != '0' && p[7] != '1'))
        return P_BAD;
    *v10 = p[7] == '0';
    return P_DONE;
}

/* One "name: value" line; records the headers this server acts on. */
static int parse_header(const char *p, const char *e, struct req *rq, bool *cl_seen,
                        bool *ka, bool *te)
{
    const char *name = p, *v, *ve, *q;
    uint64_t cl = 0;
    size_t nlen;

    while (p < e && is_tchar((unsigned char)*p))
        p++;
    nlen = (size_t)(p - name);
    if (!nlen || p == e || *p != ':')
        return P_BAD;
    for (q = p + 1; q < e; q++)
        if (((unsigned char)*q < ' ' && *q != '\t') || *q == 0x7f)
            return P_BAD;
    for (v = p + 1; v < e && is_ows(*v); v++)
        ;
    for (ve = e; ve > v && is_ows(ve[-1]); ve--)
        ;
    if (token_is(name, nlen, "content-length")) {
        if (v == ve)
            return P_BAD;
        for (q = v; q < ve; q++) {
            if (*q < '0' || *q > '9' || cl > (UINT64_C(1) << 56))
                return P_BAD;
            cl = cl * 10 + (uint64_t)(*q - '0');
        }
        if (*cl_seen && cl != rq->body)
            return P_BAD;
        *cl_seen = true;
        rq->body = cl;
    } else if (token_is(name, nlen, "transfer-encoding")) {
        *te = true;
    } else if (token_is(name, nlen, "expect")) {
        rq->expect100 = token_is(v, (size_t)(ve - v), "100-continue");
    } else if (token_is(name, nlen, "connection")) {
        while (v < ve) {
            for (q = v; q < ve && *q != ','; q++)
                ;
            for (p = q; p > v && is_ows(p[-1]); p--)
                ;
            if (token_is(v, (size_t)(p - v), "close"))
                rq->close = true;
            else if (token_is(v, (size_t)(p - v), "keep-alive"))
                *ka = true;
            for (v = q + 1; v < ve && is_ows(*v); v++)
                ;
        }
    }
    return P_DONE;
}

/* Parse the request head at the start of buf: P_DONE fills *rq, P_MORE
 * means the head is unfinished (*scan remembers how far it was searched).
 * Lines end in CRLF or a bare LF; empty lines before a request are skipped. */
static int http_parse(const char *buf, size_t len, size_t *scan, struct req *rq)
{
    size_t s = 0, i, ll;
    const char *nl, *p, *e;
    bool v10 = false, cl_seen = false, ka = false, te = false;
    int r;

    for (;;) {
        if (s < len && buf[s] == '\n')
            s++;
        else if (s + 1 < len && buf[s] == '\r' && buf[s + 1] == '\n')
            s += 2;
        else
            break;
    }
    /* Find the empty line that ends the head. */
    for (i = *scan > s ? *scan : s;; i = (size_t)(nl - buf) + 1) {
        nl = memchr(buf + i, '\n', len - i);
        if (!nl) {
            *scan = i;
            return P_MORE;
        }
        ll = (size_t)(nl - buf) - i;
        if (i > s && (ll == 0 || (ll == 1 && buf[i] == '\r')))
            break;
    }
    *rq = (struct req){.head_len = (size_t)(nl - buf) + 1};
    for (p = buf + s; p < buf + i; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(buf + i - p));
        e = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
        r = p == buf + s ? parse_reqline(p, e, rq, &v10)
                         : parse_header(p, e, rq, &cl_seen, &ka, &te);
        if (r != P_DONE)
            return r;
    }
    if (te)
        return P_UNSUP;
    if (v10) {
        rq->keep10 = ka && !rq->close;
        rq->close = !rq->keep10;
    }
    return P_DONE;
}

static void http_answer(struct server *s, struct conn *c, const struct req *rq)
{
    const struct reply *r = &s->reply[rq->close ? R_CLOSE : rq->keep10 ? R_KEEP10 : R_KEEP];

    switch (s->o.mode) {
    case M_RESET:
        c->rst = 1;
        c->discard = 1;
        return;
    case M_CLOSE:
        deliver(s, c, s->half.buf, s->half.len, true);
        return;
    case M_GARBAGE:
        deliver(s, c, s->garbage.buf, s->garbage.len, true);
        return;
    case M_LONGBODY:
        deliver(s, c, s->longbody.buf, s->longbody.len, rq->close);
        return;
    case M_CLOSEEACH:
        deliver(s, c, s->reply[R_CLOSE].buf, s->reply[R_CLOSE].len, true);
        return;
    case M_HTTP10:
        deliver(s, c, s->http10.buf, s->http10.len, true);
        return;
    case M_BADMIX:
        if (c->id % 2)
            deliver(s, c, s->garbage.buf, s->garbage.len, true);
        else
            deliver(s, c, s->badchunk.buf, s->badchunk.len, true);
        return;
    default:
        break;
    }
    if (s->failed < s->o.fail_first) {
        s->failed++;
        deliver(s, c, s->err503.buf, s->err503.len, rq->close);
        return;
    }
    /* A client waiting for 100 holds its body back; only say it when no
     * delayed reply is still due ahead of it. */
    if (rq->expect100 && rq->body && !c->pending)
        push_static(c, cont100, sizeof cont100 - 1);
    deliver(s, c, r->buf, rq->head_only ? r->head : r->len, rq->close);
}

/* Consume the requests buf holds; return the bytes consumed. */
static size_t http_feed(struct server *s, struct conn *c, const char *buf, size_t len)
{
    size_t pos = 0, k;
    struct req rq;
    int r;

    while (pos < len && !c->discard) {
        if (c->body_left) {
            k = len - pos < c->body_left ? len - pos : (size_t)c->body_left;
            pos += k;
            c->body_left -= k;
            continue;
        }
        if (!out_room(c)) {
            c->stalled = 1;
            break;
        }
        r = http_parse(buf + pos, len - pos, &c->scan, &rq);
        if (r == P_MORE && len - pos < HEAD_MAX)
            break;
        c->scan = 0;
        if (r == P_MORE || rq.head_len > HEAD_MAX) {
            deliver(s, c, s->err431.buf, s->err431.len, true);
            break;
        }
        if (r != P_DONE) {
            if (r == P_UNSUP)
                deliver(s, c, s->err501.buf, s->err501.len, true);
            else
                deliver(s, c, s->err400.buf, s->err400.len, true);
            break;
        }
        pos += rq.head_len;
        c->body_left = rq.body;
        http_answer(s, c, &rq);
    }
    return c->discard ? len : pos;
}

/* Echo every complete line (or --frame-bytes frame) buf holds. */
static size_t echo_feed(struct server *s, struct conn *c, const char *buf, size_t len)
{
    const char *nl;
    size_t end;

    if (!out_room(c)) {
        c->stalled = 1;
        return 0;
    }
    if (s->o.frame_bytes) {
        end = len - len % s->o.frame_bytes;
    } else {
        nl = memrchr(buf + c->scan, '\n', len - c->scan);
        end = nl ? (size_t)(nl - buf) + 1 : 0;
        c->scan = len - end;
    }
    if (end)
        push_copy(c, buf, end);
    return end;
}

static size_t feed(struct server *s, struct conn *c, const char *buf, size_t len)
{
    if (c->discard || s->o.mode == M_HANG)
        return len;
    if (s->o.mode == M_ECHO)
        return echo_feed(s, c, buf, len);
    return http_feed(s, c, buf, len);
}

/* ---- connections: lifetime and I/O ----------------------------------------- */

static struct conn *conn_get(struct server *s, int fd)
{
    return fd >= 0 && (size_t)fd < s->conncap ? s->conns[fd] : NULL;
}

static void conn_close(struct server *s, struct conn *c)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};

    /* SO_LINGER 0 makes close send RST; failing that, a FIN will do. */
    if (c->rst)
        (void)setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(c->fd);
    s->conns[c->fd] = NULL;
    free(c->in);
    free(c->seg);
    free(c->copy);
    free(c);
}

/* Feed input, keeping what was not consumed in c->in. */
static void take_input(struct server *s, struct conn *c, const char *buf, size_t len)
{
    size_t used = feed(s, c, buf, len), left = len - used;

    if (buf == c->in) {
        if (used && left)
            memmove(c->in, c->in + used, left);
        c->inlen = left;
        return;
    }
    if (!left) {
        c->inlen = 0;
        return;
    }
    if (left > c->incap) {
        free(c->in);
        c->incap = left < 4096 ? 4096 : left;
        c->in = malloc(c->incap);
        if (!c->in) {
            c->incap = 0;
            c->fail = 1;
            return;
        }
    }
    memcpy(c->in, buf + used, left);
    c->inlen = left;
}

/* Where the next recv goes: the shared buffer when nothing is held back,
 * else after the held input (0 room: the input limit is reached). */
static char *read_room(struct server *s, struct conn *c, size_t *room)
{
    size_t cap;
    char *p;

    if (!c->inlen) {
        *room = sizeof s->rbuf;
        return s->rbuf;
    }
    if (c->incap - c->inlen < 4096 && c->incap < s->in_max) {
        cap = 2 * c->incap < s->in_max ? 2 * c->incap : s->in_max;
        p = realloc(c->in, cap);
        if (p) {
            c->in = p;
            c->incap = cap;
        }
    }
    *room = c->incap - c->inlen;
    return c->in + c->inlen;
}

/* Do all the work a connection can do now: answer held-back input, send,
 * read and answer until the socket is drained or output backs up. */
static void conn_run(struct server *s, struct conn *c)
{
    size_t room;
    ssize_t r;
    char *dst;

    for (;;) {
        if (c->stalled && out_room(c)) {
            c->stalled = 0;
            take_input(s, c, c->in, c->inlen);
        }
        if (c->rst || c->fail || flush(c) < 0) {
            conn_close(s, c);
            return;
        }
        if (c->shead == c->nseg && !c->pending &&
            (c->want_close || (c->eof && !c->stalled))) {
            conn_close(s, c);
            return;
        }
        if (c->stalled && out_room(c))
            continue;
        if (!c->can_read || c->eof || !out_room(c))
            return;
        dst = read_room(s, c, &room);
        if (!room) {
            conn_close(s, c);
            return;
        }
        r = recv(c->fd, dst, room, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                c->can_read = 0;
                continue;
            }
            conn_close(s, c);
            return;
        }
        if (r == 0) {
            c->eof = 1;
            c->can_read = 0;
            continue;
        }
        /* A short read drains the socket: the next data raises a new edge. */
        if ((size_t)r < room)
            c->can_read = 0;
        if (dst == s->rbuf) {
            take_input(s, c, s->rbuf, (size_t)r);
        } else {
            c->inlen += (size_t)r;
            take_input(s, c, c->in, c->inlen);
        }
    }
}

static int conn_open(struct server *s, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                             .data.fd = fd};
    int one = 1;
    struct conn **t, *c;
    size_t cap;

    if ((size_t)fd >= s->conncap) {
        for (cap = s->conncap ? s->conncap : 1024; cap <= (size_t)fd; cap *= 2)
            ;
        t = realloc(s->conns, cap * sizeof *t);
        if (!t)
            return -1;
        memset(t + s->conncap, 0, (cap - s->conncap) * sizeof *t);
        s->conns = t;
        s->conncap = cap;
    }
    c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    c->fd = fd;
    c->id = ++s->next_id;
    /* Nagle only adds latency to replies; a failure here is harmless. */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        free(c);
        return -1;
    }
    s->conns[fd] = c;
    return 0;
}

/* Out of descriptors: accept one pending connection on the spare
 * descriptor and drop it, so the listening socket stops firing. */
static void shed_one(struct server *s)
{
    int fd;

    if (s->spare < 0)
        return;
    close(s->spare);
    fd = accept(s->lfd, NULL, NULL);
    if (fd >= 0)
        close(fd);
    s->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void accept_some(struct server *s)
{
    int i, fd;

    for (i = 0; i < 256; i++) {
        fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE)
                shed_one(s);
            else if (errno != EAGAIN && errno != EWOULDBLOCK)
                warnf("accept: %s", strerror(errno));
            return;
        }
        if (s->o.mode == M_RSTCONN) {
            struct linger lg = {1, 0};   /* close with RST, not FIN */
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            close(fd);
            continue;
        }
        if (conn_open(s, fd) < 0) {
            warnf("connection setup: %s", strerror(errno));
            close(fd);
        }
    }
}

/* ---- timers ------------------------------------------------------------------ */

static void timer_drain(int fd)
{
    uint64_t ticks;

    /* EAGAIN only means the expiry was already consumed. */
    if (read(fd, &ticks, sizeof ticks) < 0 && errno != EAGAIN)
        warnf("timerfd read: %s", strerror(errno));
}

/* Send the delayed replies that are due. */
static void slow_fire(struct server *s)
{
    int64_t now = mono_ns();
    size_t n = s->qlen;
    struct conn *c;
    struct due d;

    timer_drain(s->slowfd);
    while (n-- > 0 && s->qlen && s->q[s->qhead].at <= now) {
        d = s->q[s->qhead];
        s->qhead = (s->qhead + 1) % s->qcap;
        s->qlen--;
        c = conn_get(s, d.fd);
        if (!c || c->id != d.id)
            continue;
        c->pending--;
        push_static(c, d.p, d.len);
        if (d.close)
            c->want_close = 1;
        conn_run(s, c);
    }
    if (s->qlen && timer_at(s->slowfd, s->q[s->qhead].at) < 0) {
        warnf("timerfd_settime: %s", strerror(errno));
        s->quit = true;
        s->rc = 1;
    }
}

/* Stop the world from the scheduled pause start for --stall-for; a signal
 * still ends the pause (and the server) at once. */
static void stall_fire(struct server *s)
{
    struct pollfd pfd = {.fd = s->sigfd, .events = POLLIN};
    int64_t now = mono_ns(), end;
    struct timespec rel;

    timer_drain(s->stallfd);
    if (now >= s->next_stall) {
        end = s->next_stall + s->o.stall_for;
        while ((now = mono_ns()) < end) {
            rel = ts_of(end - now);
            if (ppoll(&pfd, 1, &rel, NULL) > 0)
                return;
        }
        while (s->next_stall <= now)
            s->next_stall += s->o.stall_every;
    }
    if (timer_at(s->stallfd, s->next_stall) < 0) {
        warnf("timerfd_settime: %s", strerror(errno));
        s->quit = true;
        s->rc = 1;
    }
}

/* ---- setup and the loop ------------------------------------------------------ */

static void raise_nofile(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
        warnf("getrlimit: %s", strerror(errno));
        return;
    }
    if (rl.rlim_cur == rl.rlim_max)
        return;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
        warnf("cannot raise the open file limit to %llu: %s",
              (unsigned long long)rl.rlim_max, strerror(errno));
}

/* Bind and listen on --host/--port; return the port or -1 (reported). */
static int listen_on(struct server *s)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res, *ai;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char host[256], port[16];
    int one = 1, fd = -1, rc, err = 0;
    size_t n = strlen(s->o.host);

    /* Accept "[::1]" as well as "::1". */
    if (n >= 2 && n < sizeof host && s->o.host[0] == '[' && s->o.host[n - 1] == ']') {
        memcpy(host, s->o.host + 1, n - 2);
        host[n - 2] = 0;
    } else {
        snprintf(host, sizeof host, "%s", s->o.host);
    }
    snprintf(port, sizeof port, "%d", s->o.port);
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc) {
        warnf("%s: %s", s->o.host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
            bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, s->o.backlog) == 0)
            break;
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        warnf("%s port %d: %s", s->o.host, s->o.port, strerror(err));
        return -1;
    }
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
        warnf("getsockname: %s", strerror(errno));
        close(fd);
        return -1;
    }
    s->lfd = fd;
    return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                          : ((struct sockaddr_in *)&ss)->sin_port);
}

static int watch(struct server *s, int fd, const char *what)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

    if (fd < 0 || epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        warnf("%s: %s", what, strerror(errno));
        return -1;
    }
    return 0;
}

static int timer_new(struct server *s, int *fd, int64_t at, const char *what)
{
    *fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (watch(s, *fd, what) < 0)
        return -1;
    if (at && timer_at(*fd, at) < 0) {
        warnf("%s: %s", what, strerror(errno));
        return -1;
    }
    return 0;
}

/* Everything but the loop; 0 ok, -1 reported. */
static int server_init(struct server *s)
{
    sigset_t sigs;
    int64_t t0;
    int port;

    s->ep = s->lfd = s->sigfd = s->endfd = s->stallfd = s->slowfd = s->spare = -1;
    s->in_max = s->o.frame_bytes > READ_MAX ? s->o.frame_bytes : READ_MAX;
    raise_nofile();
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        warnf("signal: %s", strerror(errno));
        return -1;
    }
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0) {
        warnf("sigprocmask: %s", strerror(errno));
        return -1;
    }
    if (replies_build(s) < 0) {
        warnf("building the replies: %s", strerror(ENOMEM));
        return -1;
    }
    s->ep = epoll_create1(EPOLL_CLOEXEC);
    if (s->ep < 0) {
        warnf("epoll_create1: %s", strerror(errno));
        return -1;
    }
    s->sigfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
    if (watch(s, s->sigfd, "signalfd") < 0)
        return -1;
    s->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
    port = listen_on(s);
    if (port < 0 || (s->o.mode != M_NOACCEPT && watch(s, s->lfd, "epoll_ctl") < 0))
        return -1;
    /* Pauses and the time limit count from here, when the port is open. */
    t0 = mono_ns();
    s->next_stall = t0 + s->o.stall_every;
    if (timer_new(s, &s->endfd, t0 + s->o.max_time, "max-time timerfd") < 0)
        return -1;
    if (s->o.mode == M_STALL && s->o.stall_for > 0 &&
        timer_new(s, &s->stallfd, s->next_stall, "stall timerfd") < 0)
        return -1;
    if ((s->o.mode == M_SLOW || s->o.mode == M_SERIAL) && timer_new(s, &s->slowfd, 0, "slow timerfd") < 0)
        return -1;
    printf("listening on %d\n", port);
    if (fflush(stdout) == EOF) {
        warnf("stdout: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static void server_free(struct server *s)
{
    size_t i;

    for (i = 0; i < s->conncap; i++)
        if (s->conns[i])
            conn_close(s, s->conns[i]);
    free(s->conns);
    free(s->q);
    replies_free(s);
    if (s->lfd >= 0)
        close(s->lfd);
    if (s->sigfd >= 0)
        close(s->sigfd);
    if (s->endfd >= 0)
        close(s->endfd);
    if (s->stallfd >= 0)
        close(s->stallfd);
    if (s->slowfd >= 0)
        close(s->slowfd);
    if (s->spare >= 0)
        close(s->spare);
    if (s->ep >= 0)
        close(s->ep);
}

static void server_loop(struct server *s)
{
    struct epoll_event ev[256];
    struct conn *c;
    int i, n, fd;

    while (!s->quit) {
        n = epoll_wait(s->ep, ev, 256, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            warnf("epoll_wait: %s", strerror(errno));
            s->rc = 1;
            return;
        }
        for (i = 0; i < n && !s->quit; i++) {
            fd = ev[i].data.fd;
            if (fd == s->lfd) {
                accept_some(s);
            } else if (fd == s->sigfd) {
                s->quit = true;
            } else if (fd == s->endfd) {
                warnf("--max-time reached, exiting");
                s->quit = true;
            } else if (fd == s->stallfd) {
                stall_fire(s);
            } else if (fd == s->slowfd) {
                slow_fire(s);
            } else if ((c = conn_get(s, fd))) {
                if (ev[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                    c->can_read = 1;
                conn_run(s, c);
            }
        }
    }
}

int main(int argc, char **argv)
{
    static struct server s;
    int r = parse_opts(argc, argv, &s.o);

    if (r)
        return r > 0 ? 0 : 2;
    if (server_init(&s) < 0) {
        server_free(&s);
        return 1;
    }
    server_loop(&s);
    server_free(&s);
    return s.rc;
}
