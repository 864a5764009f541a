/*
 * test_cmd_load.c: `pacer load` as a user runs it: the pacer binary against
 * build/suites/targets/testsrv on loopback; exit codes, messages, the
 * result file, limits, --monitor and Ctrl-C.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/cli/loadforeign.h"
#include "helpers.h"

static char pacer[512];
static struct srv srv;
static struct out last;     /* of the last run */

/* Start testsrv in mode. */
static void start_server(const char *mode)
{
    const char *args[] = {"--mode", mode, NULL};

    srv = srv_start(args);
}

static void init(void)
{
    build_path(pacer, sizeof pacer, "pacer");
    tmp_setup();
}

static void fini(void)
{
    srv_stop(&srv);
    out_free(&last);
    tmp_teardown();
}

TestSuite(cmd_load, .init = init, .fini = fini, .timeout = 60);

/* Run pacer with args (NULL-terminated), SIGINT after sigint_ms if > 0; the
 * output stays valid until the next run. */
static const struct out *run(int sigint_ms, const char *const *args)
{
    out_free(&last);
    last = pacer_exec(pacer, sigint_ms, args);
    return &last;
}

/* The test server's URL. */
static const char *url(void)
{
    static char u[64];

    snprintf(u, sizeof u, "http://127.0.0.1:%d/", srv.port);
    return u;
}

Test(cmd_load, usage_errors)
{
    const struct out *o;
    const char *a1[] = {"load", NULL};
    const char *a2[] = {"load", "ftp://127.0.0.1/", NULL};
    const char *a3[] = {"load", "http://127.0.0.1:1/", "-c", "0", NULL};
    const char *a4[] = {"load", "tcp://127.0.0.1:9", NULL};
    const char *a5[] = {"load", "http://127.0.0.1:1/", "-R", "fast", NULL};

    o = run(0, a1);
    cr_assert_eq(o->code, 2);
    cr_assert_str_eq(o->stderr_s, "pacer: load: no URL (see pacer load --help)\n");
    o = run(0, a2);
    cr_assert_eq(o->code, 2);
    cr_assert(strstr(o->stderr_s, "load: url 'ftp://127.0.0.1/': unknown scheme 'ftp'"), "%s", o->stderr_s);
    o = run(0, a3);
    cr_assert_eq(o->code, 2);
    cr_assert(strstr(o->stderr_s, "--connections: '0' is not a whole number from 1"), "%s", o->stderr_s);
    o = run(0, a4);
    cr_assert_eq(o->code, 2);
    cr_assert(strstr(o->stderr_s, "needs a payload"), "%s", o->stderr_s);
    o = run(0, a5);
    cr_assert_eq(o->code, 2);
    cr_assert(strstr(o->stderr_s, "--rate: 'fast' is not"), "%s", o->stderr_s);
}

/* Other tools' options (k6's --vus, Locust's -u, ab's -k ...) are none
 * of pacer's (none is taken, not even as an abbreviation of a long one):
 * each gets its one line in pacer's words, exit 2, before any load; a
 * misspelt option of pacer's gets the nearest; -n of ab and hey, which
 * counts requests, is warned of when it would repeat the run for long. */
Test(cmd_load, other_tools_options)
{
    const struct out *o;
    size_t i;

    for (i = 0; load_foreign_at(i); i++) {
        const char *a[] = {"load", "http://127.0.0.1:1/", load_foreign_at(i), "10", NULL};
        char want[64];

        o = run(0, a);
        snprintf(want, sizeof want, "pacer: load: %s: ", load_foreign_at(i));
        cr_assert_eq(o->code, 2, "%s: %s", load_foreign_at(i), o->stderr_s);
        cr_assert_eq(strncmp(o->stderr_s, want, strlen(want)), 0, "%s", o->stderr_s);
        cr_assert_eq(strchr(o->stderr_s, '\n'), o->stderr_s + strlen(o->stderr_s) - 1, "one line");
    }
    {
        const char *a[] = {"load", "http://127.0.0.1:1/", "-u10", NULL};
        o = run(0, a);
        cr_assert(strstr(o->stderr_s, "pacer: load: -u: k6's virtual users, Locust's users; "
                                      "pacer's are -c N"), "joined to its value: %s",
                  o->stderr_s);
    }
    {
        const char *a[] = {"load", "http://127.0.0.1:1/", "--duratoin", "3s", NULL};
        o = run(0, a);
        cr_assert_eq(o->code, 2);
        cr_assert_str_eq(o->stderr_s, "pacer: load: unknown option '--duratoin' (did you mean "
                                      "--duration?)\n");
    }
    {
        const char *a[] = {"load", "http://127.0.0.1:1/", "-n", "400", "-c", "1", "-q", NULL};
        o = run(300, a);   /* interrupted: 400 runs of 10 s are not waited for */
        cr_assert(strstr(o->stderr_s, "pacer: warning: load: -n 400: 400 repetitions of 10 s "
                                      "each, 67 minutes in all (pacer's -n repeats the whole "
                                      "run; ab's and hey's -n count requests)\n"), "%s",
                  o->stderr_s);
    }
}

/* io_uring where asked: the run says and records it; a load it does not
 * run (open loop, no keep-alive) and an unknown back end are refused
 * before anything is sent. */
Test(cmd_load, io_uring_back_end)
{
    const struct out *o;
    const char *out = tmp_path("io.json");
    json_t *r, *g;
    json_error_t je;

    start_server("ok");
    {
        const char *a[] = {"load", url(), "-c", "4", "-d", "300ms", "--io", "io_uring",
                           "--out", out, "-q", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 0, "%s", o->stderr_s);
    cr_assert(strstr(o->stdout_s, "; io_uring\n"), "%s", o->stdout_s);
    r = json_load_file(out, 0, &je);
    cr_assert(r, "%s", je.text);
    g = json_object_get(json_array_get(json_object_get(json_array_get(
            json_object_get(r, "benchmarks"), 0), "load"), 0), "generator");
    cr_assert_str_eq(json_string_value(json_object_get(g, "io")), "io_uring");
    json_decref(r);
    {
        const char *a[] = {"load", url(), "-c", "4", "-d", "300ms", "-R", "100", "--io",
                           "io_uring", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 2);
    cr_assert(strstr(o->stderr_s, "--io io_uring runs the closed loop with keep-alive, without "
                                  "--nap; this load (open loop) runs on epoll"), "%s", o->stderr_s);
    {
        const char *a[] = {"load", url(), "--io", "kqueue", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 2);
    cr_assert(strstr(o->stderr_s, "--io: 'kqueue' is not epoll or io_uring"), "%s", o->stderr_s);
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "300ms", "-q", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 0, "%s", o->stderr_s);
    cr_assert(strstr(o->stdout_s, "; epoll\n"), "%s", o->stdout_s);
}

Test(cmd_load, run_writes_a_result)
{
    const struct out *o, *s;
    char pid[16];
    json_t *r, *b, *blk;
    json_error_t je;
    const char *out = tmp_path("r.json");

    start_server("ok");
    snprintf(pid, sizeof pid, "%d", (int)srv.pid);
    {
        const char *a[] = {"load", url(), "-c", "4", "-d", "500ms", "--warmup", "200ms",
                           "--monitor", pid, "-n", "2", "--out", out, "-q", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 0, "%s", o->stderr_s);
    cr_assert(strstr(o->stdout_s, "closed loop, 4 connections, 2 threads"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "p99.99"));
    cr_assert(strstr(o->stdout_s, "  p95 "), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "server      CPU"), "%s", o->stdout_s);
    /* after the repetitions' summaries, the table across them */
    {
        const char *t = strstr(o->stdout_s, "\nacross the 2 repetitions:\nrepetition ");
        cr_assert(t, "%s", o->stdout_s);
        cr_assert(strstr(t, " req/s ") && strstr(t, " p99.9 ") && strstr(t, " errors\n1 ") &&
                  strstr(t, "\n2 ") && strstr(t, "\nmedian ") && strstr(t, "\nmin..max "),
                  "%s", t);
        cr_assert(strstr(t, " us..") || strstr(t, " ms.."), "%s", t);
    }
    r = json_load_file(out, 0, &je);
    cr_assert(r, "%s", je.text);
    b = json_array_get(json_object_get(r, "benchmarks"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(b, "kind")), "load");
    cr_assert_str_eq(json_string_value(json_object_get(b, "unit")), "req/s");
    cr_assert_eq(json_array_size(json_object_get(b, "samples")), 2);
    cr_assert_eq(json_array_size(json_object_get(b, "load")), 2);
    blk = json_array_get(json_object_get(b, "load"), 0);
    cr_assert_eq(json_array_size(json_object_get(blk, "monitor")), 2, "server and pacer");
    cr_assert(json_object_get(json_object_get(b, "metrics"), "latency.p99"));
    cr_assert(json_object_get(json_object_get(b, "metrics"), "server.cpu"));
    {   /* k6's percentile, in the block and among the metrics */
        const json_t *pc = json_object_get(blk, "percentiles");
        json_int_t p95 = json_integer_value(json_object_get(pc, "p95"));
        const json_t *m = json_object_get(json_object_get(b, "metrics"), "latency.p95");

        cr_assert(p95 > 0 && p95 >= json_integer_value(json_object_get(pc, "p90")) &&
                  p95 <= json_integer_value(json_object_get(pc, "p99")), "p95 %lld",
                  (long long)p95);
        cr_assert(m, "no metric latency.p95");
        cr_assert_eq(json_real_value(json_array_get(json_object_get(m, "samples"), 0)),
                     (double)p95);
    }
    json_decref(r);
    {
        const char *a[] = {"show", out, NULL};
        s = run(0, a);
    }
    cr_assert_eq(s->code, 0, "%s", s->stderr_s);
    cr_assert(strstr(s->stdout_s, url()), "%s", s->stdout_s);
}

Test(cmd_load, limits_decide_the_exit_code)
{
    const struct out *o;

    start_server("ok");
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "300ms", "--limit",
                           "latency.p99 < 1ns", "--limit", "errors.rate < 1%", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 1, "%s%s", o->stdout_s, o->stderr_s);
    cr_assert(strstr(o->stdout_s, "latency.p99 < 1ns: FAILED"), "%s", o->stdout_s);
    cr_assert_null(strstr(o->stdout_s, "across the"), "one repetition: %s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "errors.rate < 1%: holds"), "%s", o->stdout_s);
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "300ms", "--limit", "latency.p99 < 10s",
                           "--limit", "latency.p95 < 10s", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 0, "%s%s", o->stdout_s, o->stderr_s);
    cr_assert(strstr(o->stdout_s, "latency.p95 < 10s: holds"), "%s", o->stdout_s);
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "300ms", "--limit", "latncy.p99 < 1s",
                           NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 2, "%s%s", o->stdout_s, o->stderr_s);
    cr_assert(strstr(o->stderr_s, "a load run has no metric 'latncy.p99' (did you mean "
                                  "\"latency.p99\"?)"), "%s", o->stderr_s);
}

/* With --format json stdout is the result alone: the limits' lines go to
 * stderr, so a log of stdout (kubectl logs of a pod) is a result file. */
Test(cmd_load, json_on_stdout_alone)
{
    const struct out *o;
    json_error_t je;
    json_t *doc;

    start_server("ok");
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "300ms", "--format", "json",
                           "--limit", "latency.p99 < 1ns", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 1, "%s%s", o->stdout_s, o->stderr_s);
    doc = json_loads(o->stdout_s, 0, &je);
    cr_assert_not_null(doc, "stdout is not one JSON document: %s: %s", je.text, o->stdout_s);
    cr_expect_str_eq(json_string_value(json_object_get(doc, "suite")), "load");
    cr_expect(strstr(o->stderr_s, "latency.p99 < 1ns: FAILED"), "%s", o->stderr_s);
    json_decref(doc);
}

/* A loopback port that listens and never accepts: a server no request
 * can reach unseen (its accept queue keeps every connection made). */
static int listener(int *port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

    cr_assert(fd >= 0);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(fd, 64), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* Limits are checked before any load: a k6 spelling, a bare latency, a
 * pattern that names another benchmark, the server's figures without
 * --monitor each exit 2 with one line, and no connection was made (the
 * listener's queue is empty), no result written, the 60 s never run. */
Test(cmd_load, limits_checked_before_the_load)
{
    static const char *const cases[][2] = {
        {"p(99)<50", "--limit 'p(99)<50': k6's spelling; pacer's is 'latency.p99 < 50ms' "
                     "(k6 counts times in ms, pacer reads a bare number as ns)\n"},
        {"http_req_failed: rate<0.01", "pacer's is 'errors.rate < 1%'\n"},
        {"avg<100", "pacer's is 'latency.mean < 100ms'"},
        {"latency.p99 < 50", "'50' has no unit, so pacer would read ns; write it with one, "
                             "e.g. 'latency.p99 < 50ms'\n"},
        {"other: latency.p99 < 1s", "'other' does not match the benchmark's name"},
        {"server.cpu < 1", "the server's figures need --monitor PID"},
    };
    const char *out = tmp_path("k6.json");
    char u[64];
    size_t i;
    int port, fd = listener(&port), c;

    snprintf(u, sizeof u, "http://127.0.0.1:%d/", port);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *a[] = {"load", u, "-c", "2", "-d", "60s", "--out", out, "--limit",
                           cases[i][0], NULL};
        const struct out *o = run(0, a);
        cr_assert_eq(o->code, 2, "%s: %s%s", cases[i][0], o->stdout_s, o->stderr_s);
        cr_assert(strstr(o->stderr_s, cases[i][1]), "%s", o->stderr_s);
        cr_assert_eq(strchr(o->stderr_s, '\n') - o->stderr_s + 1, (long)strlen(o->stderr_s),
                     "one line: %s", o->stderr_s);
        cr_assert_eq(o->stdout_s[0], '\0', "%s", o->stdout_s);
        cr_assert_not(exists(out));
    }
    c = accept(fd, NULL, NULL);
    cr_assert(c < 0 && errno == EAGAIN, "pacer connected to the server");
    close(fd);
}

/* The count of connections the server closed in the first load block of
 * the result file at path (-1: absent). */
static long long server_closed_in(const char *path)
{
    json_t *r = json_load_file(path, 0, NULL), *v;
    long long n;

    cr_assert(r, "%s", path);
    v = json_object_get(json_array_get(json_object_get(json_array_get(
            json_object_get(r, "benchmarks"), 0), "load"), 0), "server_closed");
    n = json_is_integer(v) ? json_integer_value(v) : -1;
    json_decref(r);
    return n;
}

/* An HTTP/1.0 server that closes every connection: with keep-alive asked
 * the summary says it was not in effect, and the result keeps the count;
 * with --no-keepalive the closes were asked for and no warning is given;
 * a keep-alive server closes none. */
Test(cmd_load, server_closes_are_counted_and_said)
{
    const struct out *o;
    const char *out = tmp_path("closes.json");
    long long n;

    start_server("http10");
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "300ms", "--out", out, "-q", NULL};
        o = run(0, a);
    }
    cr_assert(o->code == 0 || o->code == 3, "%s", o->stderr_s);
    n = server_closed_in(out);
    cr_assert_gt(n, 10, "%lld", n);
    {
        char want[96];
        snprintf(want, sizeof want, "connections server closed %lld connections: keep-alive "
                                    "not in effect", n);
        cr_assert(strstr(o->stdout_s, want), "%s\nnot in:\n%s", want, o->stdout_s);
    }
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "300ms", "--no-keepalive", "-q", NULL};
        o = run(0, a);
    }
    cr_assert(strstr(o->stdout_s, "connections ") && strstr(o->stdout_s, " opened, a new one "
                                                             "per request (--no-keepalive)"),
              "%s", o->stdout_s);
    cr_assert_null(strstr(o->stdout_s, "keep-alive not in effect"), "%s", o->stdout_s);
    srv_stop(&srv);
    start_server("ok");
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "300ms", "--out", out, "-q", NULL};
        o = run(0, a);
    }
    cr_assert_eq(server_closed_in(out), 0);
    cr_assert_null(strstr(o->stdout_s, "server closed"), "%s", o->stdout_s);
}

/* The open loop's late sends say whose delay each was: the server's
 * (every connection held: one connection and a server that answers in
 * 10 ms, at 400/s) or the generator's. */
Test(cmd_load, late_sends_say_whose_delay)
{
    const struct out *o;
    const char *args[] = {"--mode", "slow", "--delay", "10ms", NULL};
    unsigned long long late, waited;
    const char *p;

    srv = srv_start(args);
    {
        const char *a[] = {"load", url(), "-c", "1", "-t", "1", "-d", "500ms", "-R", "400",
                           "-q", NULL};
        o = run(0, a);
    }
    p = strstr(o->stdout_s, "sent late   ");
    cr_assert(p, "%s", o->stdout_s);
    cr_assert_eq(sscanf(p, "sent late   %llu more than 1.00 ms after their intended start:",
                        &late), 1, "%s", p);
    p = strstr(p, "\n");
    cr_assert_eq(sscanf(p, "\n              %llu waited for a free connection (the server "
                           "held every connection)", &waited), 1, "%s", p);
    cr_assert_gt(waited, 0, "%s", o->stdout_s);
    /* most of them the server's, unless the machine itself kept the
     * generator from running on time (then said, and that is right too) */
    if (!strstr(o->stdout_s, "INVALID     the machine did not run the generator on time"))
        cr_assert_gt(waited, late / 2, "%s", o->stdout_s);
    cr_assert(strstr(p, " the generator reached late (it was not running in time"), "%s", p);
}

Test(cmd_load, errors_are_reported_by_class)
{
    const struct out *o;

    start_server("reset");
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "300ms", NULL};
        o = run(0, a);
    }
    /* every attempt failed: nothing was measured, so exit 3 */
    cr_assert_eq(o->code, 3, "%s", o->stderr_s);
    cr_assert(strstr(o->stdout_s, "read"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "ECONNRESET"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "no response in the window"), "%s", o->stdout_s);
}

/* Repetitions without a response: the table across them marks each as
 * not valid, shows no latency and the whole error rate. */
Test(cmd_load, invalid_repetitions_marked_in_the_table)
{
    const struct out *o;
    const char *t;

    start_server("reset");
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "200ms", "-n", "2", "-q", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 3, "%s", o->stderr_s);
    t = strstr(o->stdout_s, "across the 2 repetitions:");
    cr_assert(t, "%s", o->stdout_s);
    cr_assert(strstr(t, "\n1 INVALID ") && strstr(t, "\n2 INVALID "), "%s", t);
    cr_assert(strstr(t, "  -  ") || strstr(t, " - "), "%s", t);
    cr_assert(strstr(t, "100%\n"), "%s", t);
    cr_assert(strstr(t, "\nmin..max ") && strstr(t, "100%..100%\n"), "%s", t);
}

/* A server that fails every request: the error rate is 100 % of the
 * attempts (it was 50 %), so a limit of 60 % fails; no successful
 * response makes the run untrustworthy (exit 3).  -t 5 -c 2: 2 threads
 * run and are said. */
Test(cmd_load, all_failed_is_all_errors)
{
    const struct out *o;
    const char *args[] = {"--mode", "status", "--status", "503", NULL};

    srv = srv_start(args);
    {
        const char *a[] = {"load", url(), "-c", "2", "-t", "5", "-d", "300ms", "--limit",
                           "errors.rate < 60%", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 3, "%s%s", o->stdout_s, o->stderr_s);
    cr_assert(strstr(o->stdout_s, "(100% of attempts)"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "errors.rate < 60%: FAILED"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "no successful response"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "2 connections, 2 threads"), "%s", o->stdout_s);
    cr_assert(strstr(o->stderr_s, "5 threads for 2 connections: 2 run"), "%s", o->stderr_s);
}

/* More connections than the open-file limit allows: the soft limit is
 * raised up to the hard one; above that, what to do, said in one line,
 * exit 2, nothing run. */
Test(cmd_load, more_connections_than_files)
{
    const struct out *o;
    struct rlimit rl = {256, 1024};   /* soft 256, hard 1024 */

    start_server("ok");
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);   /* inherited by pacer */
    {
        const char *a[] = {"load", url(), "-c", "5000", "-d", "300ms", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 2, "%s%s", o->stdout_s, o->stderr_s);
    cr_assert(strstr(o->stderr_s, "5000 connections need 5064 open files; the hard limit is "
                                  "1024 (ulimit -Hn)"), "%s", o->stderr_s);
    cr_assert_eq(o->stdout_s[0], '\0', "%s", o->stdout_s);
    {
        const char *a[] = {"load", url(), "-c", "900", "-d", "300ms", "-q", NULL};
        o = run(0, a);   /* 964 files: the soft limit is raised to them */
    }
    /* it ran (3 only where a busy machine made the run invalid) */
    cr_assert(o->code == 0 || o->code == 3, "%d %s%s", o->code, o->stdout_s, o->stderr_s);
    cr_assert_null(strstr(o->stderr_s, "open files"), "%s", o->stderr_s);
}

Test(cmd_load, interrupted_run_is_kept_and_exits_3)
{
    const struct out *o;
    json_t *r;
    const char *out = tmp_path("int.json");

    start_server("ok");
    {
        const char *a[] = {"load", url(), "-c", "2", "-d", "20s", "--out", out, NULL};
        o = run(1500, a);   /* its preparation took over 400 ms in a busy sanitized CI */
    }
    cr_assert_eq(o->code, 3, "%d %s", o->code, o->stderr_s);
    cr_assert(strstr(o->stdout_s, "stopped early"), "%s", o->stdout_s);
    r = json_load_file(out, 0, NULL);
    cr_assert(r);
    cr_assert(json_is_false(json_object_get(r, "complete")));
    json_decref(r);
    cr_assert_not(dir_has_temp_file(tmp_dir()));
}

Test(cmd_load, missing_monitor_process)
{
    const struct out *o;

    start_server("ok");
    {
        const char *a[] = {"load", url(), "-d", "200ms", "--monitor", "999999999", NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 2, "%s", o->stderr_s);
    cr_assert(strstr(o->stderr_s, "monitor: process 999999999"), "%s", o->stderr_s);
}

/* --monitor NAME=PID: a bad value exits 2 with one line naming it, before
 * any load. */
Test(cmd_load, monitor_name_pid_bad_values)
{
    static const char *const cases[][2] = {
        {"redis=abc", "--monitor 'redis=abc': \"abc\" after '=' is not a process id (a whole "
                      "number above 0)\n"},
        {"redis=0", "\"0\" after '=' is not a process id"},
        {"redis=-4", "\"-4\" after '=' is not a process id"},
        {"=42", "--monitor '=42': empty label\n"},
        {"pacer=42", "label \"pacer\" is pacer's own (server, pacer, net)\n"},
        {"my db=42", "label \"my db\": ' ' is not a letter, digit, '-', '_' or '.'\n"},
        {"abc", "--monitor: 'abc' is not a process id, or NAME=PID\n"},
    };
    int port, fd = listener(&port), c;
    char u[64];
    size_t i;

    snprintf(u, sizeof u, "http://127.0.0.1:%d/", port);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *a[] = {"load", u, "-d", "60s", "--monitor", cases[i][0], NULL};
        const struct out *o = run(0, a);
        cr_assert_eq(o->code, 2, "%s: %s%s", cases[i][0], o->stdout_s, o->stderr_s);
        cr_assert(strstr(o->stderr_s, cases[i][1]), "%s", o->stderr_s);
        cr_assert_eq(strchr(o->stderr_s, '\n') - o->stderr_s + 1, (long)strlen(o->stderr_s),
                     "one line: %s", o->stderr_s);
    }
    {
        const char *a[] = {"load", u, "-d", "60s", "--monitor", "db=1", "--monitor", "db=1",
                           NULL};
        const struct out *o = run(0, a);
        cr_assert_eq(o->code, 2);
        cr_assert(strstr(o->stderr_s, "--monitor 'db=1': label \"db\" given twice\n"), "%s",
                  o->stderr_s);
    }
    c = accept(fd, NULL, NULL);
    cr_assert(c < 0 && errno == EAGAIN, "pacer connected to the server");
    close(fd);
}

/* A labelled process beside the server: its own series with its
 * connections, its line in the summary and in pacer show. */
Test(cmd_load, monitor_a_labelled_process)
{
    const struct out *o;
    const char *out = tmp_path("db.json");
    char spid[16], dpid[32];
    json_t *r, *mon, *db;
    pid_t d;

    start_server("ok");
    d = fork();
    cr_assert_geq(d, 0);
    if (d == 0) {
        alarm(20);
        execl("/usr/bin/python3", "python3", "-c",
              "import socket, time\n"
              "s = socket.socket()\n"
              "s.bind(('127.0.0.1', 0))\n"
              "s.listen(8)\n"
              "time.sleep(30)\n", (char *)NULL);
        _exit(127);
    }
    snprintf(spid, sizeof spid, "%d", (int)srv.pid);
    snprintf(dpid, sizeof dpid, "db=%d", (int)d);
    sleep_ms(300);   /* python is up and listening */
    {
        const char *a[] = {"load", url(), "-c", "3", "-d", "400ms", "--monitor", spid,
                           "--monitor", dpid, "--out", out, "-q", NULL};
        o = run(0, a);
    }
    kill(d, SIGKILL);
    waitpid(d, NULL, 0);
    cr_assert_eq(o->code, 0, "%s", o->stderr_s);
    cr_assert(strstr(o->stdout_s, "  server      CPU"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "conns: 3 inbound :"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "\n  db          CPU"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "conns: none established; 1 listening"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "\n  net         lo "), "%s", o->stdout_s);
    r = json_load_file(out, 0, NULL);
    cr_assert(r);
    mon = json_object_get(json_array_get(json_object_get(json_array_get(
              json_object_get(r, "benchmarks"), 0), "load"), 0), "monitor");
    cr_assert_eq(json_array_size(mon), 3, "server, db, pacer");
    db = json_array_get(mon, 1);
    cr_assert_str_eq(json_string_value(json_object_get(db, "label")), "db");
    cr_assert(json_object_get(db, "tcp"));
    cr_assert(json_object_get(json_array_get(json_object_get(json_array_get(
        json_object_get(r, "benchmarks"), 0), "load"), 0), "monitor_net"));
    json_decref(r);
    {
        const char *a[] = {"show", out, NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 0, "%s", o->stderr_s);
    cr_assert(strstr(o->stdout_s, "repetition 1 of 1, monitored:\n  server      CPU"), "%s",
              o->stdout_s);
    cr_assert(strstr(o->stdout_s, "\n  db          CPU"), "%s", o->stdout_s);
}

Test(cmd_load, too_many_connections_for_the_open_file_limit)
{
    char po[] = "/tmp/pacer-lr-XXXXXX", *err;
    int fe = mkstemp(po), st;
    pid_t pid;

    unlink(po);
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {256, 256};
        setrlimit(RLIMIT_NOFILE, &rl);
        dup2(fe, 2);
        execl(pacer, pacer, "load", "http://127.0.0.1:9/", "-c", "1000", "-d", "1s",
              (char *)NULL);
        _exit(127);
    }
    waitpid(pid, &st, 0);
    err = read_all(fe);
    cr_assert_eq(WEXITSTATUS(st), 2, "%s", err);
    cr_assert(strstr(err, "1000 connections need 1064 open files; the hard limit is 256"), "%s",
              err);
    free(err);
}

Test(cmd_load, generator_bottleneck_is_invalid)
{
    const struct out *o;

    start_server("ok");
    {
        /* 3 million requests/s from one thread: pacer cannot keep that
         * schedule, and says so: its own thread saturated, or (on a busy
         * machine) not run in time, or, where it kept up, the requests
         * that never found a free connection */
        const char *a[] = {"load", url(), "-c", "2", "-t", "1", "-d", "300ms", "-R", "3000000",
                           NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 3, "%s%s", o->stdout_s, o->stderr_s);
    cr_assert(strstr(o->stdout_s, "INVALID     the generator ") ||
              strstr(o->stdout_s, "INVALID     the machine did not run the generator") ||
              strstr(o->stdout_s, "requests due were never sent, waiting for a connection "
                                  "the server held"),
              "%s", o->stdout_s);
}

/* Bad stages are refused before any load (no server is needed), exit 2,
 * one line naming the option, the stage and the cause. */
Test(cmd_load, bad_stages_exit_2_before_any_load)
{
    static const char *const bad[][3] = {
        {"--stages", "10s:50,0s:50", "pacer: load: --stages: stage 2 '0s:50': zero duration\n"},
        {"--stages", "-3s:5", "pacer: load: --stages: stage 1 '-3s:5': negative duration\n"},
        {"--rate-stages", "5s:-100",
         "pacer: load: --rate-stages: stage 1 '5s:-100': negative target\n"},
        {"--rate-stages", "5s:many",
         "pacer: load: --rate-stages: stage 1 '5s:many': 'many' is not a number\n"},
        {"--stages", "soon", "pacer: load: --stages: stage 1 'soon': not DURATION:TARGET "
                             "(e.g. 30s:50)\n"},
    };
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *a[] = {"load", "http://127.0.0.1:1/", bad[i][0], bad[i][1], NULL};
        const struct out *o = run(0, a);
        cr_assert_eq(o->code, 2, "%s", o->stderr_s);
        cr_assert_str_eq(o->stderr_s, bad[i][2]);
        cr_assert_str_eq(o->stdout_s, "");
    }
    {   /* given again, the lists join and are checked whole */
        const char *a[] = {"load", "http://127.0.0.1:1/", "--stages", "1s:5", "--stages", "0s:1",
                           NULL};
        const struct out *o = run(0, a);
        cr_assert_eq(o->code, 2);
        cr_assert_str_eq(o->stderr_s, "pacer: load: --stages: stage 2 '0s:1': zero duration\n");
    }
    {
        const char *a[] = {"load", "http://127.0.0.1:1/", "--stages", "1s:5", "--rate-stages",
                           "1s:5", NULL};
        const struct out *o = run(0, a);
        cr_assert_eq(o->code, 2);
        cr_assert_str_eq(o->stderr_s, "pacer: load: --stages and --rate-stages: give one of "
                                      "them (stages of users or of a rate)\n");
    }
    {
        const char *a[] = {"load", "http://127.0.0.1:1/", "--stages", "1s:5", "-d", "3s", NULL};
        const struct out *o = run(0, a);
        cr_assert_eq(o->code, 2);
        cr_assert(strstr(o->stderr_s, "leave -d out"), "%s", o->stderr_s);
    }
    {
        const char *a[] = {"load", "http://127.0.0.1:1/", "--stages", "1s:5", "--warmup", "1s",
                           NULL};
        const struct out *o = run(0, a);
        cr_assert_eq(o->code, 2);
        cr_assert(strstr(o->stderr_s, "no --warmup with stages"), "%s", o->stderr_s);
    }
}

/* A staged run says its stages, and its result keeps them and the shape
 * asked and achieved in every interval.  The stages are given as k6 gives
 * them, one an option: the lists join. */
Test(cmd_load, stages_are_kept_in_the_result)
{
    const struct out *o;
    json_t *r, *blk, *ser, *row;
    json_error_t je;
    const char *out = tmp_path("staged.json");
    size_t ncols;

    start_server("ok");
    {
        const char *a[] = {"load", url(), "--stages", "1s:4", "--stages", "1s:4", "--out", out,
                           "-q", NULL};
        o = run(0, a);
    }
    cr_assert(o->code == 0 || o->code == 3, "%s", o->stderr_s);   /* 3: a busy machine */
    cr_assert(strstr(o->stdout_s, "closed loop in stages of users 1s:4,1s:4, 4 connections"),
              "%s", o->stdout_s);
    r = json_load_file(out, 0, &je);
    cr_assert(r, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(r, "schema")), "1.13");
    blk = json_array_get(json_object_get(json_array_get(json_object_get(r, "benchmarks"), 0),
                                         "load"), 0);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(blk, "settings"), "stages")),
                 2);
    ser = json_object_get(blk, "series");
    ncols = json_array_size(json_object_get(ser, "columns"));
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(ser, "columns"),
                                                      ncols - 2)), "target");
    row = json_array_get(json_object_get(ser, "rows"), 1);
    cr_assert(fabs(json_number_value(json_array_get(row, ncols - 2)) - 4) < 1e-9);
    cr_assert_gt(json_number_value(json_array_get(row, ncols - 1)), 3, "users in place");
    json_decref(r);
    {
        const char *a[] = {"show", out, NULL};
        o = run(0, a);
    }
    cr_assert_eq(o->code, 0, "%s", o->stderr_s);
}

/* A server that answers in 10 ms, one connection: about 100 requests/s at
 * most.  Asked for 25 then 225/s on average, the summary says where the
 * generator fell short of the rate and why. */
Test(cmd_load, stages_say_where_the_rate_fell_short)
{
    const char *args[] = {"--mode", "slow", "--delay", "10ms", NULL};
    const struct out *o;

    srv = srv_start(args);
    {
        const char *a[] = {"load", url(), "--rate-stages", "1s:50,1s:400", "-c", "1", "-t", "1",
                           NULL};
        o = run(0, a);
    }
    cr_assert(o->code == 0 || o->code == 3, "%s", o->stderr_s);
    cr_assert(strstr(o->stdout_s, "  shape       from 1 s to 2 s: "), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "% of the asked rate sent ("), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "due while every connection was busy (-c 1)"), "%s",
              o->stdout_s);
    cr_assert_null(strstr(o->stdout_s, "from 0 s"), "the first second kept up: %s", o->stdout_s);
}

/* Users that cannot connect: the summary says the users asked were not in
 * place, and why (no server listens on port 1). */
Test(cmd_load, stages_say_where_users_were_not_connected)
{
    const char *a[] = {"load", "http://127.0.0.1:1/", "--stages", "500ms:4,500ms:4", "-t", "1",
                       NULL};
    const struct out *o = run(0, a);

    cr_assert_eq(o->code, 3, "%s", o->stderr_s);
    cr_assert(strstr(o->stdout_s, "  shape       from 0 s to 1 s: 0 % of the asked users "
                                  "connected (4.0 users on average short)"), "%s", o->stdout_s);
    cr_assert(strstr(o->stdout_s, "connections not established in time"), "%s", o->stdout_s);
}
