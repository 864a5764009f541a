/*
 * test_capscen.c: a suite scenario's "capacity" (harness/run/capscen.c)
 * as `pacer run` runs it: the target (testsrv serving one request at a
 * time, 5 ms each: a capacity of 200 requests/s) started, searched and
 * stopped; the benchmark's sample, metric and steps in the result, a
 * threshold on the capacity; and what a suite cannot say with "capacity"
 * refused as the file is read.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(capscen, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

/* A suite of one testsrv target in serial mode (5 ms a request) and the
 * scenario given (JSON text). */
static const char *write_suite(const char *file, const char *scenario)
{
    const char *path = tmp_path(file);
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f);
    fprintf(f, "{\"name\": \"cap\", \"targets\": [{\"name\": \"srv\", \"command\": "
               "[\"{build}/suites/targets/testsrv\", \"--port\", \"{port}\", \"--max-time\", "
               "\"60s\", \"--mode\", \"serial\", \"--delay\", \"5ms\"], \"ready\": "
               "{\"stdout\": \"listening on\"}, \"stop_timeout\": \"2s\"}],\n"
               " \"scenarios\": [%s]}\n", scenario);
    fclose(f);
    return path;
}

#define SCEN "{\"name\": \"serial\", \"target\": \"srv\", \"url\": " \
             "\"http://127.0.0.1:{port}/\", \"connections\": 40, \"duration\": \"1s\""

Test(capscen, a_scenario_searches_its_capacity)
{
    const char *suite = write_suite("s.json", SCEN ", \"capacity\": \"latency.p99 < 50ms\", "
                                    "\"capacity_step\": \"400ms\", "
                                    "\"thresholds\": [\"capacity > 100\"]}");
    const char *out = tmp_path("r.json");
    struct out o = run_pacer("run", suite, "--out", out);
    json_t *r, *b, *c;
    double answer;

    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert(strstr(o.stdout_s, "cap/serial: capacity > 100: holds"), "%s", o.stdout_s);
    r = load_json(out);
    b = json_array_get(json_object_get(r, "benchmarks"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(b, "name")), "cap/serial");
    cr_assert_str_eq(json_string_value(json_object_get(b, "unit")), "req/s");
    cr_assert_str_eq(json_string_value(json_object_get(b, "direction")), "higher");
    c = json_object_get(b, "capacity");
    cr_assert(json_is_object(c), "%s", o.stdout_s);
    answer = json_number_value(json_object_get(c, "answer"));
    cr_assert(answer >= 160 && answer <= 220, "capacity %g, true 200", answer);
    cr_assert_eq(json_number_value(json_array_get(json_object_get(b, "samples"), 0)), answer);
    cr_assert(json_object_get(json_object_get(b, "metrics"), "capacity"));
    cr_assert(json_object_get(json_object_get(b, "metrics"), "server.cpu"), "monitored");
    cr_assert_geq(json_array_size(json_object_get(c, "steps")), 2);
    cr_assert_eq(json_array_size(json_object_get(b, "load")), 1);
    json_decref(r);
    out_free(&o);
}

/* The suite with scenario is refused (exit 2) with "FILE: " msg. */
static void refused(const char *scenario, const char *msg)
{
    const char *suite = write_suite("bad.json", scenario);
    struct out o = run_pacer("run", suite);
    char want[1024];

    snprintf(want, sizeof want, "pacer: %s: %s\n", suite, msg);
    cr_assert_eq(o.code, 2, "%s", o.stderr_s);
    cr_assert_str_eq(o.stderr_s, want);
    out_free(&o);
}

Test(capscen, what_a_search_cannot_go_with_is_refused)
{
    refused(SCEN ", \"capacity\": \"latency.p99 < 20\"}",
            "scenarios[0].capacity: capacity 'latency.p99 < 20': '20' has no unit, so pacer "
            "would read ns; write it with one, e.g. 'latency.p99 < 20ms'");
    refused(SCEN ", \"capacity\": [\"latency.p99 < 20ms\", 5]}",
            "scenarios[0].capacity[1]: expected string, got integer");
    refused(SCEN ", \"capacity\": \"latency.p99 < 20ms\", \"rate\": 100}",
            "scenarios[0].rate: not with \"capacity\" (the search chooses the rates)");
    refused(SCEN ", \"capacity\": \"latency.p99 < 20ms\", \"repetitions\": 3}",
            "scenarios[0].repetitions: not with \"capacity\" (one search, one confirming run)");
    refused(SCEN ", \"thresholds\": [\"errors.rate < 1%\", \"capacity > 5\"]}",
            "scenarios[0].thresholds[1]: the capacity is a capacity search's: give "
            "\"capacity\"");
    refused(SCEN ", \"capacity_step\": \"1s\"}",
            "scenarios[0].capacity_step: only with \"capacity\"");
    refused(SCEN ", \"capacity\": \"latency.p99 < 20ms\", \"capacity_precision\": \"0%\"}",
            "scenarios[0].capacity_precision: expected a percentage from \"0.1%\" to \"100%\"");
}
