/*
 * test_loadgen.c: the load generator against real servers on loopback:
 * build/suites/targets/testsrv in its modes (ok, chunked, status, reset,
 * close, garbage, bighdr, hang, stall, echo), closed and open loop,
 * pipelining, a new connection per request, errors by class, and the load
 * block of a result read back.  Counts are checked, never speed.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "harness/load/loadgen.h"
#include "harness/load/loadgen_private.h"
#include "harness/result/env.h"
#include "harness/result/loadres.h"
#include "harness/result/result_json.h"
#include "helpers.h"

/* The back end the test runs on (IO_TEST): epoll for the others. */
static enum load_io test_io = LOAD_IO_EPOLL;

/* A test of the closed loop with keep-alive, run on each back end: epoll
 * and io_uring (where this kernel allows it, as here); the run must say
 * it ran on the one asked for. */
#define IO_TEST(name)                                                          \
    static void name##_body(void);                                            \
    Test(loadgen, name##_epoll)                                                \
    {                                                                          \
        test_io = LOAD_IO_EPOLL;                                               \
        name##_body();                                                         \
    }                                                                          \
    Test(loadgen, name##_io_uring)                                             \
    {                                                                          \
        test_io = LOAD_IO_URING;                                               \
        name##_body();                                                         \
    }                                                                          \
    static void name##_body(void)

struct run {
    struct load_opts o;
    struct load_out out;
    char *req;
    const char *scheme, *path;
    char url[128];
};

/* Defaults for a short run; the port comes with run_go. */
static void run_setup(struct run *r, const char *scheme, const char *path)
{
    memset(r, 0, sizeof *r);
    load_opts_default(&r->o);
    r->scheme = scheme;
    r->path = path;
    r->o.url_text = r->url;
    r->o.connections = 4;
    r->o.threads = 2;
    r->o.duration_ns = 600000000;
    r->o.interval_ns = 200000000;
    r->o.io = test_io;
}

/* Load 127.0.0.1:port. */
static void run_go(struct run *r, int port, const struct load_request *rq)
{
    struct load_request none = {0};
    struct err e = {0};

    snprintf(r->url, sizeof r->url, "%s://127.0.0.1:%d%s", r->scheme, port, r->path);
    cr_assert(load_prepare(&r->o, rq ? rq : &none, &r->req, &e) == 0, "%s", e.msg);
    cr_assert(load_run(&r->o, &r->out, &e) == 0, "%s", e.msg);
    cr_assert_eq(r->out.io, r->o.io, "ran on %s: %s", load_io_name(r->out.io), r->out.io_note);
}

/* Start testsrv with args, load it, stop it. */
static void run_against(struct run *r, const char *const *args, const struct load_request *rq)
{
    struct srv s = srv_start(args);

    run_go(r, s.port, rq);
    srv_stop(&s);
}

static void run_free(struct run *r)
{
    load_out_free(&r->out);
    free(r->req);
}

/* The count of errors of class c whose cause reads why. */
static uint64_t why_count(const struct load_out *o, enum load_class c, const char *why)
{
    size_t i;
    uint64_t n = 0;

    for (i = 0; i < o->nerrnos; i++)
        if (o->errnos[i].cls == c && o->errnos[i].why && !strcmp(o->errnos[i].why, why))
            n += o->errnos[i].count;
    return n;
}

static uint64_t errno_count(const struct load_out *o, enum load_class c, int errnum)
{
    size_t i;
    uint64_t n = 0;

    for (i = 0; i < o->nerrnos; i++)
        if (o->errnos[i].cls == c && o->errnos[i].errnum == errnum)
            n += o->errnos[i].count;
    return n;
}

/* The totals agree with each other and with the series. */
static void check_consistent(const struct run *r)
{
    uint64_t req = 0, sent = 0, errs = 0;
    size_t i;
    int c;

    cr_assert_eq(r->out.latency.count, r->out.requests);
    cr_assert_eq(r->out.niv, 3);
    for (i = 0; i < r->out.niv; i++) {
        req += r->out.iv[i].requests;
        sent += r->out.iv[i].sent;
        for (c = 0; c < LC_NCLASS; c++)
            errs += r->out.iv[i].errors[c];
    }
    cr_assert_eq(req, r->out.requests);
    cr_assert_eq(sent, r->out.sent);
    cr_assert_eq(errs, r->out.nerrors);
    cr_assert(r->out.complete);
}

IO_TEST(closed_loop_ok)
{
    const char *args[] = {"--mode", "ok", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 100);
    cr_assert_eq(r.out.nerrors, 0);
    cr_assert_leq(r.out.inflight_end, 4);
    /* keep-alive: each connection opened once (counted when that falls in
     * the window), never again */
    cr_assert_leq(r.out.connects, 4);
    cr_assert_eq(r.out.server_closed, 0);
    cr_assert_gt(r.out.bytes, r.out.requests * 13);
    cr_assert_gt(r.out.latency.min, 0);
    check_consistent(&r);
    run_free(&r);
}

IO_TEST(pipelined_and_chunked)
{
    const char *args[] = {"--mode", "chunked", NULL};
    struct run r;

    run_setup(&r, "http", "/x");
    r.o.pipeline = 8;
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 100);
    cr_assert_eq(r.out.nerrors, 0);
    cr_assert_leq(r.out.inflight_end, 4 * 8);
    check_consistent(&r);
    run_free(&r);
}

/* Latency ends at the kernel's arrival time of each response.  A server
 * that answers 5 ms after each request, with 128 connections, answers
 * fast enough that the loop pauses to gather responses (naps) and reads
 * them late: their latency never falls below the 5 ms the server waited
 * (an arrival time converted wrongly would), and its median stays near
 * it (twice it: the bound allows for a busy machine, where 8.3 ms was
 * seen). */
Test(loadgen, latency_ends_at_arrival_across_naps)
{
    const char *args[] = {"--mode", "slow", "--delay", "5ms", NULL};
    uint64_t p50;
    struct run r;

    run_setup(&r, "http", "/");
    r.o.connections = 128;
    r.o.threads = 1;
    r.o.nap = 1;
    r.o.duration_ns = 1000000000;
    r.o.interval_ns = 500000000;
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.nerrors, 0);
    cr_assert_gt(r.out.requests, 2000);
    cr_assert_gt(r.out.reads, 0);
    cr_assert_eq(r.out.stamped, r.out.reads, "%llu of %llu reads carried an arrival time",
                 (unsigned long long)r.out.stamped, (unsigned long long)r.out.reads);
    cr_assert_gt(r.out.naps, 0);
    cr_assert_geq(r.out.latency.min, 5000000);
    p50 = hist_percentile(&r.out.latency, 50);
    cr_assert_lt(p50, 10000000, "p50 %llu ns", (unsigned long long)p50);
    run_free(&r);
}

/* A pause must not leave the server idle: with 2 connections there is
 * never enough queued at the server, and the loop never pauses. */
Test(loadgen, no_naps_without_work_queued)
{
    const char *args[] = {"--mode", "ok", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.connections = 2;
    r.o.threads = 1;
    r.o.nap = 1;
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 100);
    cr_assert_eq(r.out.naps, 0);
    cr_assert_eq(r.out.stamped, r.out.reads, "%llu of %llu reads stamped",
                 (unsigned long long)r.out.stamped, (unsigned long long)r.out.reads);
    run_free(&r);
}

/* By default the closed loop never pauses (wrk's loop): with 128
 * connections to a server that answers after 5 ms, where --nap pauses. */
Test(loadgen, closed_loop_does_not_pause_by_default)
{
    const char *args[] = {"--mode", "slow", "--delay", "5ms", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.connections = 128;
    r.o.threads = 1;
    r.o.interval_ns = 300000000;
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 1000);
    cr_assert_eq(r.out.naps, 0);
    run_free(&r);
}

Test(loadgen, new_connection_per_request)
{
    const char *args[] = {"--mode", "ok", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.keepalive = 0;
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 20);
    cr_assert_eq(r.out.nerrors, 0);
    /* one connection per response, give or take those at the edges */
    cr_assert_geq(r.out.connects + 4, r.out.requests);
    cr_assert_leq(r.out.connects, r.out.requests + 4);
    run_free(&r);
}

Test(loadgen, open_loop_sends_on_schedule)
{
    const char *args[] = {"--mode", "ok", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.rate = 500;
    r.o.duration_ns = 1000000000;
    r.o.interval_ns = 1000000000;
    r.o.warmup_ns = 100000000;
    run_against(&r, args, NULL);
    /* the schedule holds 500 requests in the window; each is written,
     * answered, or counted as left at the end */
    cr_assert_geq(r.out.sent + r.out.unsent_end, 495);
    cr_assert_leq(r.out.sent, 505);
    cr_assert_eq(r.out.nerrors, 0);
    cr_assert_eq(r.out.latency_sent.count, r.out.requests);
    /* from the intended start is never shorter than from the write */
    cr_assert_geq(r.out.latency.max, r.out.latency_sent.max);
    cr_assert_geq(hist_percentile(&r.out.latency, 50), hist_percentile(&r.out.latency_sent, 50));
    run_free(&r);
}

Test(loadgen, poisson_arrivals)
{
    const char *args[] = {"--mode", "ok", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.rate = 1000;
    r.o.arrival = ARRIVAL_POISSON;
    r.o.seed = 7;
    r.o.duration_ns = 1000000000;
    run_against(&r, args, NULL);
    /* Poisson(1000): 5 standard deviations is +-158 */
    cr_assert_gt(r.out.sent + r.out.unsent_end, 1000 - 160);
    cr_assert_lt(r.out.sent, 1000 + 160);
    cr_assert_eq(r.out.nerrors, 0);
    run_free(&r);
}

IO_TEST(status_errors)
{
    const char *args[] = {"--mode", "status", "--status", "503", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 10);
    cr_assert_eq(r.out.errors[LC_STATUS_5XX], r.out.requests);
    cr_assert_eq(r.out.nerrors, r.out.requests);
    /* every attempt failed: the rate is 1, not a half, and a run without
     * one successful response is not to be trusted */
    cr_assert_float_eq(load_error_rate(&r.out), 1.0, 1e-12);
    cr_assert_eq(load_successes(&r.out), 0);
    cr_assert_not(r.out.valid);
    cr_assert(strstr(r.out.invalid, "no successful response"), "%s", r.out.invalid);
    run_free(&r);
}

/* A server that fails only at first: its first 3 answers are 503s.  With
 * no warmup they are errors of the window (nothing happens before it);
 * with a warmup they are the warmup's, counted, not lost. */
IO_TEST(errors_at_the_start_are_counted)
{
    const char *args[] = {"--mode", "ok", "--fail-first", "3", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.errors[LC_STATUS_5XX], 3);
    cr_assert_eq(r.out.warm_requests + r.out.warm_errors, 0);
    cr_assert(r.out.valid, "%s", r.out.invalid);
    check_consistent(&r);
    run_free(&r);

    run_setup(&r, "http", "/");
    r.o.warmup_ns = 200000000;
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.errors[LC_STATUS_5XX], 0);
    cr_assert_eq(r.out.warm_errors, 3);
    cr_assert_geq(r.out.warm_requests, 3);
    run_free(&r);
}

/* Half the errors and a quarter of the attempts: the rate counts failed
 * attempts (no response) and failed responses over all attempts. */
Test(loadgen, error_rate_over_attempts)
{
    struct load_out o;

    memset(&o, 0, sizeof o);
    o.requests = 100;                 /* 100 responses, 20 of them 5xx */
    o.errors[LC_STATUS_5XX] = 20;
    o.errors[LC_TIMEOUT] = 25;        /* and 25 attempts without one */
    o.nerrors = 45;
    cr_assert_float_eq(load_error_rate(&o), 45.0 / 125.0, 1e-12);
    cr_assert_eq(load_successes(&o), 80);
}

/* -t 20 -c 10: a thread needs a connection, so 10 run, and 10 are said. */
IO_TEST(threads_at_most_connections)
{
    const char *args[] = {"--mode", "ok", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.connections = 3;
    r.o.threads = 20;
    run_against(&r, args, NULL);
    cr_assert_eq(r.o.threads, 3);
    cr_assert_eq(r.out.threads, 3);
    run_free(&r);
}

IO_TEST(reset_is_a_read_error)
{
    const char *args[] = {"--mode", "reset", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_READ], 0);
    cr_assert_gt(errno_count(&r.out, LC_READ, ECONNRESET), 0);
    check_consistent(&r);
    run_free(&r);
}

IO_TEST(close_mid_response)
{
    const char *args[] = {"--mode", "close", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_READ], 0);
    /* each close (an end of file) is the server's, counted */
    cr_assert_geq(r.out.server_closed, r.out.errors[LC_READ]);
    run_free(&r);
}

IO_TEST(garbage_is_a_parse_error)
{
    const char *args[] = {"--mode", "garbage", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_PARSE], 0);
    cr_assert_eq(why_count(&r.out, LC_PARSE, "not an HTTP response"), r.out.errors[LC_PARSE]);
    run_free(&r);
}

/* Two causes of parse errors keep a text each (not the first one's). */
IO_TEST(each_parse_error_keeps_its_cause)
{
    const char *args[] = {"--mode", "badmix", NULL};
    struct run r;
    uint64_t garbage, chunk;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    garbage = why_count(&r.out, LC_PARSE, "not an HTTP response");
    chunk = why_count(&r.out, LC_PARSE, "bad chunk size");
    cr_assert_gt(garbage, 0);
    cr_assert_gt(chunk, 0);
    cr_assert_eq(garbage + chunk, r.out.errors[LC_PARSE]);
    run_free(&r);
}

IO_TEST(oversized_headers)
{
    const char *args[] = {"--mode", "bighdr", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.connections = 2;
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_PARSE], 0);
    cr_assert_eq(why_count(&r.out, LC_PARSE, "header section too large"),
                 r.out.errors[LC_PARSE]);
    run_free(&r);
}

IO_TEST(hang_times_out)
{
    const char *args[] = {"--mode", "hang", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.timeout_ns = 150000000;
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.requests, 0);
    /* 4 connections, a timeout every 150 ms each: about 16 in 0.6 s */
    cr_assert_geq(r.out.errors[LC_TIMEOUT], 4);
    cr_assert(r.out.complete);
    run_free(&r);
}

/* A server whose accept queue is full (backlog 1, never accepting): the
 * connections its kernel finished wait in the queue, their requests
 * acknowledged: those time out as requests ("timeout"); the rest never
 * connect (the server drops their SYNs): connect ETIMEDOUT.  A connection
 * this side took as open whose request the server's kernel never
 * acknowledged (the server still waits to finish the handshake: a race of
 * a burst of connects) is a connect error "not accepted", counted once;
 * that race cannot be forced here, so only the first two are checked, and
 * that nothing is counted twice. */
IO_TEST(full_accept_queue)
{
    const char *args[] = {"--mode", "noaccept", "--backlog", "1", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.connections = 8;
    r.o.threads = 1;
    r.o.timeout_ns = 200000000;
    r.o.duration_ns = 1000000000;
    r.o.interval_ns = 500000000;
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_TIMEOUT], 0);
    cr_assert_gt(errno_count(&r.out, LC_CONNECT, ETIMEDOUT), 0);
    /* a timeout every 200 ms at most, per connection */
    cr_assert_leq(r.out.errors[LC_TIMEOUT] + r.out.errors[LC_CONNECT], 8 * 6);
    cr_assert_not(r.out.valid);
    run_free(&r);
}

/* Hostile servers end in their error class, the run on time. */
static void run_timed(struct run *r, const char *const *args)
{
    uint64_t t0 = clock_now_ns();

    run_against(r, args, NULL);
    /* 0.6 s of load and the server's start and stop, even on a slow build */
    cr_assert_lt(clock_now_ns() - t0, 5000000000ull);
    cr_assert(r->out.complete);
}

/* A server that accepts and resets at once: no request answered, resets
 * counted.  Where a reset lands is a race: before the request is written
 * it is the connection's (connect), after it the read's or the write's;
 * all of a short run's can land before (1 run in 30 of this test, and 1 in
 * 40 of pacer load -c 4 -d 300ms, on this machine). */
IO_TEST(reset_on_connect)
{
    const char *args[] = {"--mode", "rstconnect", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_timed(&r, args);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(errno_count(&r.out, LC_CONNECT, ECONNRESET) +
                 errno_count(&r.out, LC_READ, ECONNRESET) +
                 errno_count(&r.out, LC_WRITE, ECONNRESET) +
                 errno_count(&r.out, LC_WRITE, EPIPE) + r.out.errors[LC_READ], 0);
    cr_assert_not(r.out.valid);
    run_free(&r);
}

/* A body longer than its Content-Length: the reply is complete at its
 * length, the bytes after it are an answer nobody asked for. */
IO_TEST(body_longer_than_its_length)
{
    const char *args[] = {"--mode", "longbody", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_timed(&r, args);
    cr_assert_gt(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_PARSE], 0);
    cr_assert_gt(why_count(&r.out, LC_PARSE, "data with no request outstanding") +
                 why_count(&r.out, LC_PARSE, "not an HTTP response"), 0);
    run_free(&r);
}

/* Connection: close after every reply is no error: each connection
 * serves one request and is opened again, and each close is counted as
 * the server's (keep-alive was asked: the summary says it was not in
 * effect); give or take the 4 connections at the window's edges. */
IO_TEST(server_closes_after_each_reply)
{
    const char *args[] = {"--mode", "closeeach", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_timed(&r, args);
    cr_assert_gt(r.out.requests, 50);
    cr_assert_eq(r.out.nerrors, 0);
    cr_assert_geq(r.out.connects + 4, r.out.requests);
    cr_assert_geq(r.out.server_closed + 4, r.out.requests);
    cr_assert_leq(r.out.server_closed, r.out.requests + 4);
    run_free(&r);
}

/* An HTTP/1.0 server without keep-alive (no Connection header, then a
 * close): the same, from the response's version alone. */
IO_TEST(http10_server_closes_each_connection)
{
    const char *args[] = {"--mode", "http10", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_timed(&r, args);
    cr_assert_gt(r.out.requests, 50);
    cr_assert_eq(r.out.nerrors, 0);
    cr_assert_geq(r.out.server_closed + 4, r.out.requests);
    cr_assert_leq(r.out.server_closed, r.out.requests + 4);
    run_free(&r);
}

/* A server that answers one byte a second: each request times out (its
 * answer would take 5 s), the run ends on time. */
IO_TEST(server_answers_a_byte_a_second)
{
    const char *argv[] = {"/usr/bin/python3", "tests/fixtures/hostile.py", "drip", NULL};
    struct srv s = srv_exec(argv);
    struct run r;
    uint64_t t0 = clock_now_ns();

    run_setup(&r, "http", "/");
    r.o.timeout_ns = 300000000;
    run_go(&r, s.port, NULL);
    srv_stop(&s);
    cr_assert_lt(clock_now_ns() - t0, 5000000000ull);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_TIMEOUT], 0);
    cr_assert_gt(r.out.bytes, 0);   /* the bytes that did come were read */
    run_free(&r);
}

/* A 1 GiB answer is read through one buffer and dropped: the memory of
 * the run stays bounded (its peak grows by far less than the bytes read),
 * and the run ends on time with the answer in flight. */
IO_TEST(a_gigabyte_answer_in_bounded_memory)
{
    const char *argv[] = {"/usr/bin/python3", "tests/fixtures/hostile.py", "huge", NULL};
    struct srv s = srv_exec(argv);
    struct rusage ru0, ru1;
    struct run r;
    uint64_t t0 = clock_now_ns();

    getrusage(RUSAGE_SELF, &ru0);
    run_setup(&r, "http", "/");
    r.o.connections = 2;
    r.o.threads = 1;
    r.o.duration_ns = 1000000000;
    r.o.interval_ns = 500000000;
    r.o.timeout_ns = 10000000000ull;
    run_go(&r, s.port, NULL);
    srv_stop(&s);
    getrusage(RUSAGE_SELF, &ru1);
    cr_assert_lt(clock_now_ns() - t0, 5000000000ull);
    cr_assert_gt(r.out.bytes, 50u << 20, "%llu bytes", (unsigned long long)r.out.bytes);
    /* ru_maxrss in KiB: less than 64 MiB more than before */
    cr_assert_lt(ru1.ru_maxrss - ru0.ru_maxrss, 64 * 1024, "peak RSS %ld -> %ld KiB",
                 ru0.ru_maxrss, ru1.ru_maxrss);
    cr_assert_eq(r.out.inflight_end, 2);
    run_free(&r);
}

static volatile int stop_flag;

static void *stop_later(void *arg)
{
    (void)arg;
    usleep(200000);
    stop_flag = 1;
    return NULL;
}

/* The threads sleep until their next event or timeout: with a server that
 * never answers and a 60 s timeout, nothing wakes them but the stop. */
IO_TEST(stop_wakes_idle_threads)
{
    const char *args[] = {"--mode", "hang", NULL};
    struct srv s = srv_start(args);
    struct run r;
    struct err e = {0};
    pthread_t tid;
    uint64_t t0;

    run_setup(&r, "http", "/");
    r.o.timeout_ns = 60000000000ull;
    r.o.duration_ns = 40000000000ull;
    r.o.interval_ns = 1000000000;
    r.o.stop = &stop_flag;
    snprintf(r.url, sizeof r.url, "http://127.0.0.1:%d/", s.port);
    cr_assert(load_prepare(&r.o, &(struct load_request){0}, &r.req, &e) == 0, "%s", e.msg);
    cr_assert(pthread_create(&tid, NULL, stop_later, NULL) == 0);
    t0 = clock_now_ns();
    cr_assert(load_run(&r.o, &r.out, &e) == 0, "%s", e.msg);
    cr_assert_eq(r.out.io, test_io);
    pthread_join(tid, NULL);
    srv_stop(&s);
    /* far from the 40 s it would run without the stop, even on a slow build */
    cr_assert_lt(clock_now_ns() - t0, 20000000000ull);
    cr_assert_not(r.out.complete);
    cr_assert_eq(r.out.inflight_end, 4);
    run_free(&r);
}

IO_TEST(refused_connections_back_off)
{
    struct srv s;
    const char *args[] = {"--mode", "ok", NULL};
    struct run r;
    int port;

    s = srv_start(args);   /* a port that was just free */
    port = s.port;
    srv_stop(&s);
    run_setup(&r, "http", "/");
    r.o.connections = 2;
    run_go(&r, port, NULL);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_CONNECT], 0);
    cr_assert_eq(errno_count(&r.out, LC_CONNECT, ECONNREFUSED), r.out.errors[LC_CONNECT]);
    /* 10 ms doubling to 1 s: a handful per connection, not thousands */
    cr_assert_lt(r.out.errors[LC_CONNECT], 30);
    /* nothing was measured: not to be trusted */
    cr_assert_not(r.out.valid);
    cr_assert(strstr(r.out.invalid, "no response in the window"), "%s", r.out.invalid);
    cr_assert(strstr(r.out.invalid, "ECONNREFUSED"), "%s", r.out.invalid);
    run_free(&r);
}

/* A server that holds every connection: the requests due wait for a free
 * one, and that (not the generator) is what makes the run untrustworthy. */
Test(loadgen, open_loop_blames_busy_connections)
{
    const char *args[] = {"--mode", "hang", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.rate = 1000;
    r.o.connections = 4;
    r.o.threads = 1;
    r.o.duration_ns = 1000000000;
    r.o.interval_ns = 500000000;
    run_against(&r, args, NULL);
    cr_assert_not(r.out.valid);
    cr_assert_geq(r.out.due, 990);
    cr_assert_gt(r.out.no_conn, 900);
    /* no successful response is said first; the waits are counted */
    cr_assert(strstr(r.out.invalid, "no response"), "%s", r.out.invalid);
    run_free(&r);
}

/* A server slower than the connections allow: most requests due wait for
 * a free connection.  That is counted and said, and not blamed on the
 * generator, which kept to its schedule; the run is not valid all the
 * same, for the requests never sent have no latency to count. */
Test(loadgen, open_loop_counts_the_connection_wait)
{
    const char *args[] = {"--mode", "slow", "--delay", "50ms", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.rate = 400;
    r.o.connections = 4;   /* 4 / 50 ms = 80/s at most: most requests wait */
    r.o.threads = 1;
    r.o.duration_ns = 1000000000;
    r.o.interval_ns = 500000000;
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 20);
    cr_assert_gt(r.out.no_conn, r.out.due / 2);
    cr_assert_lt(r.out.late * 10, r.out.due, "%llu late", (unsigned long long)r.out.late);
    /* never blamed on the generator (a machine that overslept, a busy CI
     * running the sanitized tests two at a time, may still be told) */
    cr_assert_gt(r.out.unsent_end, r.out.due / 2);
    cr_assert(!r.out.valid, "%llu of %llu never sent", (unsigned long long)r.out.unsent_end,
              (unsigned long long)r.out.due);
    cr_assert(strstr(r.out.invalid, "requests due were never sent, waiting for a connection "
                                    "the server held") ||
              strstr(r.out.invalid, "the machine did not run the generator on time"), "%s",
              r.out.invalid);
    run_free(&r);
}

/* The wake lag comes back down: after late wakes pushed it above the gap
 * between sends (333 us at 3,000/s), the thread spins only until the lag
 * is below the gap again, then sleeps and measures it (it never slept
 * again before). */
Test(loadgen, wake_lag_learns_back_down)
{
    uint64_t lag = 0, gap = 333000;
    int i, sleeps = 0, first_sleep = -1;

    for (i = 0; i < 8; i++)
        lag = wake_lag_learn(lag, 5000000);   /* late wakes, a busy machine */
    cr_assert_gt(lag, gap);
    for (i = 0; i < 200; i++) {
        if (gap > lag) {
            lag = wake_lag_learn(lag, 40000);   /* a normal wake: 40 us */
            sleeps++;
            if (first_sleep < 0)
                first_sleep = i;
        } else {
            lag = wake_lag_spun(lag);
        }
    }
    cr_assert_geq(first_sleep, 0);
    cr_assert_lt(first_sleep, 20);
    cr_assert_gt(sleeps, 150);
    cr_assert_lt(lag, 60000, "lag %llu", (unsigned long long)lag);
}

/* After a stall the open loop still sleeps between sends: a few late
 * wakes must not keep it spinning (it ran at 100 % of a core before). */
Test(loadgen, open_loop_sleeps_after_a_stall)
{
    const char *args[] = {"--mode", "stall", "--stall-every", "400ms", "--stall-for", "150ms",
                          NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.rate = 3000;
    r.o.connections = 100;
    r.o.threads = 1;
    r.o.duration_ns = 1500000000;
    r.o.interval_ns = 500000000;
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 3000);
    cr_assert_lt(r.out.busy_max, 0.7, "busiest thread %.2f of a CPU", r.out.busy_max);
    run_free(&r);
}

Test(loadgen, open_loop_charges_a_stall)
{
    const char *args[] = {"--mode", "stall", "--stall-every", "500ms", "--stall-for", "300ms",
                          NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.rate = 200;
    r.o.duration_ns = 1200000000;
    r.o.interval_ns = 400000000;
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 100);
    /* a request due at the start of a 300 ms pause waits for all of it */
    cr_assert_geq(r.out.latency.max, 200000000, "max %llu",
                  (unsigned long long)r.out.latency.max);
    cr_assert_eq(r.out.nerrors, 0);
    run_free(&r);
}

IO_TEST(tcp_echo_with_framing)
{
    const char *args[] = {"--mode", "echo", NULL};
    struct load_request rq = {.payload = "ping\\n", .framing = "delim:\\n"};
    struct run r;

    run_setup(&r, "tcp", "");
    r.o.pipeline = 2;
    run_against(&r, args, &rq);
    cr_assert_gt(r.out.requests, 100);
    cr_assert_eq(r.out.nerrors, 0);
    cr_assert_eq(r.out.bytes % 5, 0, "whole echoed lines only");
    run_free(&r);
}

Test(loadgen, result_block_reads_back_and_merges)
{
    const char *args[] = {"--mode", "ok", NULL};
    struct srv s = srv_start(args);
    struct result res, back;
    struct bench *b;
    struct hist h;
    struct err e = {0};
    char path[] = "/tmp/pacer-loadgen-XXXXXX";
    uint64_t total = 0;
    int fd, k;

    result_init(&res);
    cr_assert(env_collect(&res.ctx) == 0);
    res.suite = strdup("t");
    res.complete = 1;
    b = result_add_bench(&res);
    b->name = strdup("t/load");
    for (k = 0; k < 2; k++) {
        struct run r;
        run_setup(&r, "http", "/");
        r.o.duration_ns = 300000000;
        r.o.interval_ns = 100000000;
        run_go(&r, s.port, NULL);
        total += r.out.requests;
        cr_assert(load_bench_add(b, &r.o, &r.out) == 0);
        run_free(&r);
    }
    srv_stop(&s);
    cr_assert(bench_compute_stats(b, NULL) == 0);
    cr_assert_eq(b->nsamples, 2);
    cr_assert_str_eq(b->unit, "req/s");
    fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert(result_save(&res, path, &e) == 0, "%s", e.msg);
    result_init(&back);
    cr_assert(result_load(path, &back, &e) == 0, "%s", e.msg);
    cr_assert_eq(back.nbenches, 1);
    cr_assert_eq(back.benches[0].kind, KIND_LOAD);
    /* each repetition counts as a run of its own for compare */
    cr_assert_eq(back.benches[0].processes, 2);
    cr_assert_eq(back.benches[0].nproc_samples, 2);
    {
        json_t *a = load_reps_to_json(res.benches[0].load, res.benches[0].nload);
        json_t *b2 = load_reps_to_json(back.benches[0].load, back.benches[0].nload);

        cr_assert(a && b2 && json_equal(a, b2));
        json_decref(a);
        json_decref(b2);
    }
    cr_assert(load_merge_latency(&back.benches[0], 0, &h, &e) == 0, "%s", e.msg);
    cr_assert_eq(h.count, total);
    hist_free(&h);
    unlink(path);
    result_free(&back);
    result_free(&res);
}
