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
#include <sys/wait.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "harness/load/loadgen.h"
#include "harness/result/env.h"
#include "harness/result/loadres.h"
#include "harness/result/result_json.h"
#include "helpers.h"

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
}

/* Load 127.0.0.1:port. */
static void run_go(struct run *r, int port, const struct load_request *rq)
{
    struct load_request none = {0};
    struct err e = {0};

    snprintf(r->url, sizeof r->url, "%s://127.0.0.1:%d%s", r->scheme, port, r->path);
    cr_assert(load_prepare(&r->o, rq ? rq : &none, &r->req, &e) == 0, "%s", e.msg);
    cr_assert(load_run(&r->o, &r->out, &e) == 0, "%s", e.msg);
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

Test(loadgen, closed_loop_ok)
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
    cr_assert_gt(r.out.bytes, r.out.requests * 13);
    cr_assert_gt(r.out.latency.min, 0);
    check_consistent(&r);
    run_free(&r);
}

Test(loadgen, pipelined_and_chunked)
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
 * it (the bound allows for a busy machine). */
Test(loadgen, latency_ends_at_arrival_across_naps)
{
    const char *args[] = {"--mode", "slow", "--delay", "5ms", NULL};
    uint64_t p50;
    struct run r;

    run_setup(&r, "http", "/");
    r.o.connections = 128;
    r.o.threads = 1;
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
    cr_assert_lt(p50, 8000000, "p50 %llu ns", (unsigned long long)p50);
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
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 100);
    cr_assert_eq(r.out.naps, 0);
    cr_assert_eq(r.out.stamped, r.out.reads);
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

Test(loadgen, status_errors)
{
    const char *args[] = {"--mode", "status", "--status", "503", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    cr_assert_gt(r.out.requests, 10);
    cr_assert_eq(r.out.errors[LC_STATUS_5XX], r.out.requests);
    cr_assert_eq(r.out.nerrors, r.out.requests);
    run_free(&r);
}

Test(loadgen, reset_is_a_read_error)
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

Test(loadgen, close_mid_response)
{
    const char *args[] = {"--mode", "close", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_READ], 0);
    run_free(&r);
}

Test(loadgen, garbage_is_a_parse_error)
{
    const char *args[] = {"--mode", "garbage", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_PARSE], 0);
    cr_assert_str_eq(r.out.parse_reason, "not an HTTP response");
    run_free(&r);
}

Test(loadgen, oversized_headers)
{
    const char *args[] = {"--mode", "bighdr", NULL};
    struct run r;

    run_setup(&r, "http", "/");
    r.o.connections = 2;
    run_against(&r, args, NULL);
    cr_assert_eq(r.out.requests, 0);
    cr_assert_gt(r.out.errors[LC_PARSE], 0);
    cr_assert_str_eq(r.out.parse_reason, "header section too large");
    run_free(&r);
}

Test(loadgen, hang_times_out)
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
Test(loadgen, stop_wakes_idle_threads)
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
    pthread_join(tid, NULL);
    srv_stop(&s);
    /* far from the 40 s it would run without the stop, even on a slow build */
    cr_assert_lt(clock_now_ns() - t0, 20000000000ull);
    cr_assert_not(r.out.complete);
    cr_assert_eq(r.out.inflight_end, 4);
    run_free(&r);
}

Test(loadgen, refused_connections_back_off)
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

Test(loadgen, tcp_echo_with_framing)
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
