/*
 * loadgen.h: the load generator.  T threads, each with its own epoll loop
 * and its share of the connections; nothing shared on the hot path; the
 * threads' counts and histograms are merged at the end (and per interval
 * under a lock taken once per interval).
 *
 * Closed loop (rate 0): each connection keeps `pipeline` requests in
 * flight and writes the next request as soon as a response is complete,
 * as wrk does.  Latency runs from the write of the request (with a new
 * connection per request: from the connect).  In both loops it ends when
 * the response's last byte arrived, as the kernel stamped it
 * (SO_TIMESTAMPNS), or when it was read where there is no stamp.
 *
 * Open loop (rate R): a schedule of intended start times at R per second
 * (constant spacing, or Poisson arrivals), split across the threads.  A
 * request is written when it is due, on any connection with room for it;
 * when none has room it waits in a queue.  Its latency runs from its
 * intended start, so a server that stalls is charged for every request it
 * held up (no coordinated omission); the latency from the actual write is
 * kept beside it.  A request the generator itself got to late (its loop
 * was busy or descheduled) is counted as late; requests queued for want of
 * a connection are counted as queued; at the end, requests written and
 * not answered, and due and not written, are counted, never dropped.
 *
 * Sockets are registered once, edge-triggered, for input and output: no
 * epoll_ctl per request.  A request waiting longer than the timeout is a
 * timeout error and its connection is closed and opened again.
 */
#ifndef PACER_LOADGEN_H
#define PACER_LOADGEN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "flow.h"
#include "frame.h"
#include "harness/lib/err.h"
#include "hist.h"
#include "monitor.h"
#include "url.h"

enum load_class {
    LC_CONNECT, LC_READ, LC_WRITE, LC_TIMEOUT, LC_PARSE, LC_STATUS_4XX, LC_STATUS_5XX,
    LC_TOO_LARGE,   /* flows: an answer larger than a flow keeps, where a check
                       or capture must read it */
    LC_NCLASS
};
/* The classes result files held before "too_large" (schema 1.10). */
#define LC_NCLASS_OLD 7
/* "connect", "read", ... "status_4xx", "status_5xx", "too_large". */
const char *load_class_name(enum load_class c);

enum arrival { ARRIVAL_CONSTANT, ARRIVAL_POISSON };

/* A stage of a load shape: over duration_ns the target goes linearly from
 * the previous stage's target (the first stage's from 0) to this one's,
 * as k6's ramping-vus and ramping-arrival-rate read their stages.  The
 * target is connections active (closed loop: a connection is a user) or
 * arrivals per second (open loop).  A stage at 0 after one at 0 holds
 * the load at nothing: nothing is sent, nothing divided by it. */
struct load_stage {
    uint64_t duration_ns;
    double target;
};

/* How a load thread makes its system calls.  epoll (the default): a write
 * per request and a recvmsg per response, woken by epoll_wait.  io_uring
 * (the closed loop with keep-alive, without --nap): one multishot receive
 * per connection into buffers the thread provides, and the sends of a
 * batch submitted with the wait for the next completions, one system call
 * for many requests.  Measured against each other on loopback
 * (suites/self/load_vs_wrk.py --case io) they cost the same CPU a request:
 * the kernel's TCP work, not the system calls, is the cost; so epoll,
 * which serves every kind of load, stays the default. */
enum load_io { LOAD_IO_EPOLL, LOAD_IO_URING };
/* "epoll", "io_uring"; load_io_parse: -1 when neither. */
const char *load_io_name(enum load_io io);
int load_io_parse(const char *s, enum load_io *io);

struct load_interval;

struct load_opts {
    const char *url_text;        /* as given, for the record */
    struct target_url url;
    const char *request;         /* the bytes of one request (borrowed) */
    size_t reqlen;
    int head;                    /* the request is a HEAD (no response body) */
    struct framer framing;       /* tcp: how a response ends */
    unsigned connections;
    unsigned threads;
    unsigned pipeline;           /* requests in flight per connection */
    int keepalive;               /* 0: a new connection per request */
    double rate;                 /* requests per second, 0: closed loop */
    enum arrival arrival;
    /* Load shapes (borrowed; at most one of the two lists): stages of
     * connections active (closed loop) or of the arrival rate (open loop).
     * With either, load_opts_shape sets duration_ns to their sum and
     * connections (closed) or rate (open) to their peak; the warmup must
     * be 0: the shape is measured whole, its ramp-up included (k6 has no
     * warmup either; a warmup before a ramp that starts at 0 would load
     * nothing).  A connection that becomes inactive finishes the
     * requests it has in flight, then idles, open (k6's graceful ramp-down,
     * and a connection made active again sends at once, without a new
     * handshake); the activity is checked every 10 ms. */
    const struct load_stage *stages;
    size_t nstages;
    const struct load_stage *rate_stages;
    size_t nrate_stages;
    uint64_t duration_ns;        /* measured, after the warmup */
    uint64_t warmup_ns;
    uint64_t timeout_ns;         /* per request (and per connect) */
    uint64_t interval_ns;        /* of the time series */
    uint64_t late_ns;            /* open loop: later than this is late */
    uint32_t max_header;         /* http: header section limit */
    int digits;                  /* of the latency histogram */
    uint64_t seed;               /* Poisson arrivals */
    pid_t monitor_pid;           /* 0: none; pacer itself is always sampled */
    /* processes sampled beside the server, each as its own tree and series
     * under its label (monitor.h: a database the server uses, "redis");
     * borrowed for the run */
    const struct mon_proc *monitor_procs;
    size_t nmonitor_procs;
    /* called (from the thread that started the load) as the measured
     * window starts and as it ends (also when stopped early): a profiler
     * of the server, for that window only; NULL: none */
    void (*window_start)(void *arg);
    void (*window_end)(void *arg);
    void *window_arg;
    uint64_t monitor_period_ns;
    int nap;                     /* closed loop: pause to let responses
                                    gather (see nap_allowed in loop.c) */
    enum load_io io;             /* the back end asked for (epoll) */
    /* virtual users (flow.h, compiled): each connection a user running
     * the flows from the url's host; NULL: the one request above.  Closed
     * loop: `connections` users, each step's latency from its write; open
     * loop: `rate` new iterations a second, each given to a user that is
     * free (the users are the pool), each step's latency from its intended
     * start (the arrival, or the end of the think time before it). */
    const struct load_flows *flows;
    /* A segment of a load split over generators (segment.h): rows of data
     * taken in turn are this segment's only, rows row_first + k*row_stride
     * (0, 1 when not split); rows at random are drawn from all of them. */
    unsigned row_first, row_stride;
    volatile int *stop;          /* set (by a signal handler) to end early */
    /* The live view: called from the thread that started the load (never
     * from a load thread, which never waits for it) with each interval of
     * the time series once every thread has handed it in, in order; its
     * percentiles, target and achieved are filled.  span_s: the
     * interval's length.  NULL: none. */
    void (*progress)(void *arg, const struct load_interval *iv, double span_s);
    void *progress_arg;
};

/* With stages, set duration_ns to their sum and connections (closed) or
 * rate (open) to their peak; without, nothing.  -1 when both lists are
 * given. */
int load_opts_shape(struct load_opts *o);
/* The target of the shape t_ns after its start (after the last stage:
 * the last target). */
double load_stage_target(const struct load_stage *s, size_t n, uint64_t t_ns);
/* The highest target; the sum of the durations. */
double load_stage_peak(const struct load_stage *s, size_t n);
uint64_t load_stage_total(const struct load_stage *s, size_t n);
/* Where a walk along a shape has come to (zero it to start). */
struct load_stage_cursor {
    size_t i;                    /* the stage */
    double t0, n0, from;         /* its start (s), arrivals before it, its
                                    start target */
};
/* The time (s after the start) by which k arrivals have come at the
 * shape's rate: N^-1(k), N the integral of the piecewise-linear rate;
 * INFINITY past the last stage.  k must not decrease between calls with
 * one cursor. */
double load_stage_invert(const struct load_stage *s, size_t n, double k,
                         struct load_stage_cursor *cur);
/* Parse "DURATION:TARGET,..." (10s:50,30s:50,10s:0) into a new array *out
 * of *n stages.  -1 with "stage K 'TEXT': cause" in e: not two parts, a
 * duration that is not one, zero or negative, a target that is not a
 * number or negative, or every target 0. */
int load_stages_parse(const char *text, struct load_stage **out, size_t *n, struct err *e);

/* Defaults: 10 connections, 2 threads, pipeline 1, keepalive, closed loop
 * without pauses, 10 s, no warmup, timeout 2 s, interval 1 s, late 1 ms,
 * 3 digits. */
void load_opts_default(struct load_opts *o);

/* One cause of errors: its class, the system error (0: none) and, where
 * the class has several causes without one (a parse error), what went
 * wrong (a static text; NULL: none). */
struct load_errno {
    enum load_class cls;
    int errnum;                  /* 0: not a system error (EOF, parse) */
    uint64_t count;
    const char *why;
};

/* One interval of the time series (t from the end of the warmup). */
struct load_interval {
    double t;                    /* start, seconds */
    uint64_t requests;           /* responses completed */
    uint64_t sent;
    uint64_t errors[LC_NCLASS];
    uint64_t late;
    uint64_t bytes;
    uint64_t p50, p90, p99, p999, max;   /* latency, ns (0 when no request) */
    /* the shape asked (connections, or arrivals/s, at the middle of the
     * interval) and achieved (closed loop: mean connections active and
     * open, NaN where not sampled, i.e. without stages; open loop:
     * requests written per second) */
    double target, achieved;
    uint64_t checks_failed;      /* flows (not kept in result files; the
                                    live view shows them when any) */
};

/* What a connect error says when the server's kernel never acknowledged
 * the request written on a connection this side took as open: the server's
 * accept queue was full (a wait for the server to accept, not a slow
 * answer). */
#define LOAD_WHY_UNACCEPTED "not accepted: the request was never acknowledged (server's accept queue full)"

/* Closed loop with load_opts.nap: the pause that lets responses gather
 * when few are ready (see nap_allowed in loop.c). */
#define LOAD_NAP_NS 100000

/* A step of a flow, over the window: its latency (as the run's: closed,
 * from the write; open, from the intended start; latency_sent from the
 * write), answers, errors, checks. */
struct load_step_out {
    const char *flow, *name;     /* borrowed from the options' flows */
    struct hist latency, latency_sent;
    uint64_t requests;           /* answers complete */
    uint64_t errors[LC_NCLASS];
    uint64_t nerrors;
    uint64_t checks, checks_failed;
};

/* A flow, over the window: iterations ended (every step answered),
 * iterations given up (a step failed: its connection, a capture with no
 * match, a request that could not be made), and the duration of the whole
 * iterations, from the intended start of the first step to the last
 * answer (think times included). */
struct load_flow_out {
    const char *name;
    struct hist duration;
    uint64_t iterations, aborted;
};

struct load_out {
    int complete;                /* 0: stopped early */
    double elapsed_s;            /* measured window */
    uint64_t requests;           /* responses completed in the window */
    uint64_t sent;               /* requests written in the window */
    uint64_t bytes;              /* response bytes read in the window */
    uint64_t errors[LC_NCLASS];
    uint64_t nerrors;
    struct load_errno *errnos;   /* the errors by cause */
    size_t nerrnos;
    uint64_t warm_requests;      /* responses before the window (warmup) */
    uint64_t warm_errors;        /* errors before the window (warmup) */
    uint64_t connects;           /* connections opened in the window */
    uint64_t server_closed;      /* connections the server closed in the
                                    window (end of file, or a response
                                    saying Connection: close or HTTP/1.0
                                    without keep-alive): each one reopened */
    unsigned threads;            /* threads that ran (at most one a connection) */
    uint64_t due;                /* open loop: requests due in the window */
    uint64_t late;               /* open loop: due, and seen to by the
                                    generator more than late_ns after */
    uint64_t late_wake;          /* of those, seen to after a sleep that
                                    ended too late (the machine did not run
                                    the generator in time) */
    uint64_t queued;             /* open loop: written more than late_ns
                                    after their intended start */
    uint64_t no_conn;            /* open loop: due while every connection
                                    was busy, so they waited for one */
    uint64_t inflight_end;       /* written, not answered at the end */
    uint64_t unsent_end;         /* due, not written at the end */
    struct hist latency;         /* closed: from the write; open: from the
                                    intended start */
    struct hist latency_sent;    /* open loop: from the actual write */
    struct load_interval *iv;
    size_t niv;
    double cpu_user, cpu_sys;    /* the generator's threads, window, seconds */
    double busy_max;             /* busiest thread: CPU time / wall time */
    double wait_max;             /* the thread that waited longest for a CPU
                                    (runnable, not running): that wait / wall
                                    time; NaN where the kernel does not say */
    uint64_t reads;              /* reads that returned data (whole run) */
    uint64_t stamped;            /* of those, with the kernel's receive time */
    uint64_t naps;               /* closed loop: pauses to gather responses */
    enum load_io io;             /* the back end the threads ran on */
    char io_note[256];           /* why not io_uring where it was to be used */
    struct load_step_out *steps; /* flows: each step (in flow order) */
    size_t nsteps;
    struct load_flow_out *flows;
    size_t nflows;
    uint64_t checks, checks_failed;   /* flows: over every step */
    struct monitor mon;          /* server (if any) and pacer */
    double mon_from, mon_to;     /* the window in the monitor's time */
    int valid;
    char invalid[512];           /* why not, when !valid */
};

/* The share of attempts that failed: failed responses (4xx, 5xx) and
 * attempts without one (connect, read, write, timeout, parse errors) over
 * all attempts (responses and attempts without one); 0 when none. */
double load_error_rate(const struct load_out *out);
/* Responses that were not errors. */
uint64_t load_successes(const struct load_out *out);
/* What an error cause says in a line: the errno's name (ECONNREFUSED),
 * what went wrong, or for a read error without either "closed by the
 * server"; NULL when nothing more than the class. */
const char *load_errno_text(const struct load_errno *en);

/* Run the load described by o.  Returns 0 with out filled (free it with
 * load_out_free), or -1 with the cause in e (cannot create threads or the
 * epoll instance; out is then empty).  Errors of the server are counted in
 * out, never returned. */
int load_run(const struct load_opts *o, struct load_out *out, struct err *e);
void load_out_free(struct load_out *out);

/* What to send, as a user gives it. */
struct load_request {
    const char *method;           /* http: NULL: GET, or POST with a body */
    const char *const *headers;   /* http: "Name: value" */
    size_t nheaders;
    const char *body;             /* http, may be NULL */
    size_t bodylen;
    const char *payload;          /* tcp: the request, with \r \n \xHH escapes */
    const char *framing;          /* tcp: "length:N" or "delim:TEXT" (default
                                     "delim:\n") */
};

/* Parse o->url_text into o->url, build the bytes of one request into a new
 * *buf (free it after the run; o->request points into it) and set
 * o->framing and o->head.  -1 with a one-line cause in e. */
int load_prepare(struct load_opts *o, const struct load_request *rq, char **buf, struct err *e);

#endif
