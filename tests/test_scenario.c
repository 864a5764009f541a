/*
 * test_scenario.c: load scenarios of suite files (scenario.c): the points
 * of a scenario's matrix and their names, and end to end (with cmd_run.c)
 * `pacer run` on suites written here, against the test server
 * (suites/targets/testsrv) on loopback: the load benchmarks in the result
 * file, thresholds and exit codes, a target that never gets ready, Ctrl-C,
 * compare on two runs, and never a server left running.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/run/scenario.h"
#include "harness/run/suite.h"
#include "helpers.h"

static char testsrv[512];

/* The suites name {build}: PACER_BUILD is set for them. */
static void init(void)
{
    const char *b = getenv("PACER_BUILD");

    if (!b || !*b)
        setenv("PACER_BUILD", "build", 1);
    build_path(testsrv, sizeof testsrv, "suites/targets/testsrv");
    tmp_setup();
}

TestSuite(scenario, .init = init, .fini = tmp_teardown, .timeout = 90);

/* A testsrv target that writes its pid to NAME.pid beside the suite. */
static void target_json(FILE *f, const char *name, const char *mode, const char *ready,
                        const char *ready_timeout)
{
    fprintf(f,
            "{\"name\": \"%s\", \"shell\": true,\n"
            " \"command\": \"echo $$ > {suite_dir}/%s.pid; exec {build}/suites/targets/testsrv "
            "--port {port} --max-time 60s --mode %s\",\n"
            " \"ready\": %s, \"ready_timeout\": \"%s\", \"stop_timeout\": \"2s\"}",
            name, name, mode, ready, ready_timeout);
}

/* Write a suite: one testsrv target and the scenarios given as JSON text. */
static const char *write_suite(const char *file, const char *mode, const char *ready,
                               const char *ready_timeout, const char *scenarios)
{
    const char *path = tmp_path(file);
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f);
    fprintf(f, "{\"name\": \"e2e\", \"targets\": [");
    target_json(f, "srv", mode, ready, ready_timeout);
    fprintf(f, "],\n \"scenarios\": [%s]}\n", scenarios);
    fclose(f);
    return path;
}

/* The pid the target wrote, or 0. */
static pid_t target_pid(const char *name)
{
    char p[256];
    FILE *f;
    int pid = 0;

    snprintf(p, sizeof p, "%s/%s.pid", tmp_dir(), name);
    if ((f = fopen(p, "r"))) {
        if (fscanf(f, "%d", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return (pid_t)pid;
}

static json_t *bench(json_t *r, const char *name)
{
    json_t *b;
    size_t i;

    json_array_foreach(json_object_get(r, "benchmarks"), i, b)
        if (!strcmp(json_string_value(json_object_get(b, "name")), name))
            return b;
    cr_assert_fail("no benchmark %s", name);
    return NULL;
}

static void need_testsrv(void)
{
    if (access(testsrv, X_OK) != 0)
        cr_skip_test("%s is not built", testsrv);
}

Test(scenario, matrix_points_and_names)
{
    static const char *const names[] = {
        "hello/connections=8/rate=0", "hello/connections=8/rate=1000",
        "hello/connections=8/rate=2500.5", "hello/connections=64/rate=0",
        "hello/connections=64/rate=1000", "hello/connections=64/rate=2500.5"};
    struct suite s;
    struct err e = {0};
    struct scenario_point p;
    size_t k;
    char *n;

    cr_assert_eq(suite_load("tests/data/suite/good/load.json", &s, &e), 0, "%s", e.msg);
    cr_assert_eq(scenario_npoints(&s.scenarios[0]), 6);
    for (k = 0; k < 6; k++) {
        scenario_point_get(&s, 0, k, &p);
        cr_assert_eq(p.tg, &s.targets[0]);
        cr_assert_eq(p.connections, k < 3 ? 8u : 64u);
        n = scenario_point_name(&p);
        cr_assert_str_eq(n, names[k]);
        free(n);
    }
    cr_assert_eq(scenario_npoints(&s.scenarios[1]), 1);
    scenario_point_get(&s, 1, 0, &p);
    n = scenario_point_name(&p);
    cr_assert_str_eq(n, "echo", "scalars are not part of the name");
    free(n);
    cr_assert_eq(p.connections, 10);
    cr_assert_float_eq(p.rate, 500, 1e-9);
    suite_free(&s);
}

/* The server answers after 1 ms (testsrv's slow mode), so the generator
 * idles, and open-loop sends count as late only after 100 ms: the runs
 * stay valid on a busy machine (and under the sanitizers). */
#define HELLO "{\"name\": \"hello\", \"url\": \"http://127.0.0.1:{port}/\", " \
              "\"connections\": 2, \"threads\": 1, \"duration\": \"1s\", \"repetitions\": 2"

/* Exit 3 because the machine was too busy to send the open loop on time,
 * or stalled the server until requests due were never sent (and for no
 * other reason). */
static int machine_too_busy(const struct out *o)
{
    return o->code == 3 &&
           (strstr(o->stderr_s, "INVALID     the machine did not run the generator on time") ||
            strstr(o->stderr_s, "requests due were never sent, waiting for a connection")) &&
           !strstr(o->stdout_s, "failed");
}

Test(scenario, load_benches_in_the_result_and_compare)
{
    const char *suite = write_suite("ok.json", "slow --delay 1ms",
                                    "{\"stdout\": \"listening on\"}", "5s",
                                    HELLO ", \"thresholds\": [\"errors.rate < 1%\", "
                                    "\"latency.p99 < 10s\"]},\n"
                                    "{\"name\": \"open\", \"url\": \"http://127.0.0.1:{port}/\", "
                                    "\"connections\": 2, \"threads\": 1, \"duration\": 0.5, "
                                    "\"rate\": [100, 200], \"repetitions\": 2, "
                                    "\"late\": \"100ms\"}");
    const char *a = tmp_path("a.json"), *b2 = tmp_path("b.json");
    struct out o = run_pacer("run", suite, "--out", a);
    json_t *r, *b, *m;
    char *text;

    need_testsrv();
    /* exit 3 only when a busy machine made an open-loop run invalid (its
     * summary says so): the scenario's plumbing is what is tested here */
    cr_assert(o.code == 0 || machine_too_busy(&o), "stdout: %s\nstderr: %s", o.stdout_s,
              o.stderr_s);
    cr_assert_not(proc_alive(target_pid("srv")), "the server outlived the run");
    cr_assert_not_null(strstr(o.stdout_s, "e2e/hello"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "req/s"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "errors.rate < 1%: holds"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stderr_s, "e2e/hello: repetition 2/2"), "%s", o.stderr_s);
    r = load_json(a);
    cr_assert(json_is_true(json_object_get(r, "complete")));
    cr_assert_eq(json_array_size(json_object_get(r, "benchmarks")), 3);
    b = bench(r, "e2e/hello");
    cr_assert_str_eq(json_string_value(json_object_get(b, "kind")), "load");
    cr_assert_str_eq(json_string_value(json_object_get(b, "unit")), "req/s");
    cr_assert_str_eq(json_string_value(json_object_get(b, "direction")), "higher");
    cr_assert_eq(json_array_size(json_object_get(b, "samples")), 2);
    cr_assert_eq(json_array_size(json_object_get(b, "load")), 2);
    cr_assert_gt(json_number_value(json_array_get(json_object_get(b, "samples"), 0)), 0);
    m = json_object_get(b, "metrics");
    text = json_dumps(m, 0);
    cr_assert(text && strstr(text, "\"latency.p99\""), "%s", text ? text : "no metrics");
    free(text);
    cr_assert(json_is_null(json_object_get(b, "error")) || !json_object_get(b, "error"));
    /* The rate axis: open loop, p99 in ns, the rate as a param. */
    b = bench(r, "e2e/open/rate=200");
    cr_assert_str_eq(json_string_value(json_object_get(b, "unit")), "ns");
    cr_assert_str_eq(json_string_value(json_object_get(b, "direction")), "lower");
    text = json_dumps(json_object_get(b, "params"), 0);
    cr_assert(text && strstr(text, "rate") && strstr(text, "200"), "%s", text ? text : "no params");
    free(text);
    json_decref(r);
    out_free(&o);
    /* A second run: compare gives each load benchmark a verdict. */
    o = run_pacer("run", suite, "--out", b2);
    cr_assert(o.code == 0 || machine_too_busy(&o), "stderr: %s", o.stderr_s);
    out_free(&o);
    o = run_pacer("compare", a, b2);
    cr_assert(o.code == 0 || o.code == 1, "code %d: %s", o.code, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "e2e/hello"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "e2e/open/rate=100"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "3 compared"), "%s", o.stdout_s);
    cr_assert_null(strstr(o.stdout_s, "error"), "%s", o.stdout_s);
    out_free(&o);
    /* A limit on a load metric by its whole name. */
    o = run_pacer("compare", "--limit", "latency.p99 < 1ns", a);
    cr_assert_eq(o.code, 1, "%s%s", o.stdout_s, o.stderr_s);
    out_free(&o);
}

Test(scenario, a_failed_threshold_exits_1)
{
    const char *suite = write_suite("slow.json", "slow --delay 1ms", "{\"tcp\": true}", "5s",
                                    HELLO ", \"thresholds\": [\"latency.p99 < 1ns\", "
                                    "\"errors.rate < 50%\"]}");
    struct out o = run_pacer("run", suite, "--out", tmp_path("slow-out.json"));

    need_testsrv();
    cr_assert_eq(o.code, 1, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "e2e/hello: latency.p99 < 1ns: FAILED"), "%s",
                       o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "e2e/hello: errors.rate < 50%: holds"), "%s",
                       o.stdout_s);
    cr_assert_not(proc_alive(target_pid("srv")));
    out_free(&o);
}

Test(scenario, a_target_never_ready_is_the_benchmarks_error)
{
    const char *suite = write_suite("never.json", "ok", "{\"stdout\": \"not a word it says\"}",
                                    "500ms", HELLO "}");
    const char *out = tmp_path("never-out.json");
    struct out o = run_pacer("run", suite, "--out", out);
    json_t *r, *err;
    pid_t pid;

    need_testsrv();
    cr_assert_eq(o.code, 3, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    pid = target_pid("srv");
    cr_assert_gt(pid, 0, "the target ran");
    cr_assert_not(proc_alive(pid), "the server outlived the run");
    cr_assert_not_null(strstr(o.stdout_s, "e2e/hello: target srv: not ready after 0.5s"), "%s",
                       o.stdout_s);
    r = load_json(out);
    err = json_object_get(bench(r, "e2e/hello"), "error");
    cr_assert_not_null(err);
    cr_assert_str_eq(json_string_value(json_object_get(err, "message")),
                     "target srv: not ready after 0.5s (no line with \"not a word it says\" on "
                     "its stdout)");
    cr_assert(json_is_true(json_object_get(err, "timed_out")));
    /* Its stderr is empty: the tail of its stdout stands in. */
    cr_assert(json_is_string(json_object_get(err, "stderr_tail")));
    cr_assert_not_null(strstr(json_string_value(json_object_get(err, "stderr_tail")),
                              "listening on"));
    json_decref(r);
    out_free(&o);
}

Test(scenario, a_target_that_dies_is_the_benchmarks_error)
{
    const char *suite = write_suite("dies.json", "ok --max-time 500ms", "{\"tcp\": true}", "5s",
                                    "{\"name\": \"hello\", \"url\": \"http://127.0.0.1:{port}/\", "
                                    "\"connections\": 2, \"threads\": 1, \"duration\": \"20s\"}");
    const char *out = tmp_path("dies-out.json");
    struct out o = run_pacer("run", suite, "--out", out, "-q");
    json_t *r, *err;

    need_testsrv();
    cr_assert_eq(o.code, 3, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    r = load_json(out);
    err = json_object_get(bench(r, "e2e/hello"), "error");
    cr_assert_str_eq(json_string_value(json_object_get(err, "message")),
                     "target srv: exited with status 0 in repetition 1");
    cr_assert_eq(json_integer_value(json_object_get(err, "exit_code")), 0);
    cr_assert_not_null(strstr(json_string_value(json_object_get(err, "stderr_tail")),
                              "--max-time reached"));
    json_decref(r);
    out_free(&o);
}

Test(scenario, interrupt_stops_the_server_and_keeps_what_finished)
{
    const char *suite = write_suite("int.json", "ok", "{\"tcp\": true}", "5s",
                                    HELLO "},\n{\"name\": \"long\", \"url\": "
                                    "\"http://127.0.0.1:{port}/\", \"connections\": 2, "
                                    "\"threads\": 1, \"duration\": \"30s\"}");
    const char *out = tmp_path("int-out.json");
    struct out o = run_pacer_sig(6000, "run", suite, "--out", out, "-q");
    json_t *r;

    need_testsrv();
    cr_assert_eq(o.code, 3, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not(proc_alive(target_pid("srv")), "the server outlived the run");
    r = load_json(out);
    cr_assert(json_is_false(json_object_get(r, "complete")));
    cr_assert_eq(json_array_size(json_object_get(bench(r, "e2e/hello"), "samples")), 2);
    cr_assert_not_null(strstr(json_string_value(json_object_get(
                                  json_object_get(bench(r, "e2e/long"), "error"), "message")),
                              "interrupted"));
    json_decref(r);
    out_free(&o);
}

Test(scenario, suite_errors_are_bad_input)
{
    const char *suite = write_suite("typo.json", "ok", "{\"tcp\": true}", "5s",
                                    "{\"name\": \"hello\", \"url\": \"http://127.0.0.1:{port}/\", "
                                    "\"conections\": 2}");
    struct out o = run_pacer("run", suite);
    char want[512];

    cr_assert_eq(o.code, 2);
    snprintf(want, sizeof want, "pacer: %s: scenarios[0].conections: unknown field (did you mean "
             "\"connections\"?)\n", suite);
    cr_assert_str_eq(o.stderr_s, want);
    out_free(&o);
}

/* The port pacer chose is taken by another program before the target
 * binds it: the first start of this target takes its own port with a
 * socket that is bound and not listening (so no probe can mistake it for
 * the server) and exits 1; pacer starts it again on another port, says
 * so, and the benchmark runs. */
Test(scenario, a_port_taken_under_the_target_is_chosen_again)
{
    const char *path = tmp_path("taken.json");
    const char *out = tmp_path("taken-out.json");
    FILE *f = fopen(path, "w");
    struct out o;
    json_t *r;

    cr_assert_not_null(f);
    fprintf(f,
            "{\"name\": \"e2e\", \"targets\": [{\"name\": \"srv\", \"shell\": true,\n"
            " \"command\": \"if [ -e {suite_dir}/taken.flag ]; then exec "
            "{build}/suites/targets/testsrv --port {port} --max-time 60s; fi; "
            "touch {suite_dir}/taken.flag; /usr/bin/python3 -c 'import socket, time; "
            "s = socket.socket(); s.bind((\\\"127.0.0.1\\\", {port})); time.sleep(3)' & "
            "sleep 0.5; echo {port} > {suite_dir}/taken.port; exit 1\",\n"
            " \"ready\": {\"tcp\": true}, \"ready_timeout\": \"5s\", \"stop_timeout\": \"2s\"}],\n"
            " \"scenarios\": [" HELLO "}]}\n");
    fclose(f);
    o = run_pacer("run", path, "--out", out);
    need_testsrv();
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stderr_s, "was taken before it could bind it; starting it "
                                          "again on another port"),
                       "%s", o.stderr_s);
    r = load_json(out);
    cr_assert_eq(json_array_size(json_object_get(bench(r, "e2e/hello"), "samples")), 2);
    json_decref(r);
    out_free(&o);
}
