/*
 * test_suite_flows.c: flows read from a flow file and from a suite's
 * scenario (harness/run/suite_flows.c): what is accepted, and every bad
 * input refused before any load with "file: json.path: cause" (an unknown
 * field, a step without a path, a variable never defined or captured only
 * later, a capture that can never match, bad think times and patterns, a
 * data file missing or empty, duplicate step names); and pacer load --flow
 * refusing one with exit 2 and no request sent.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/load/flow.h"
#include "harness/run/suite.h"
#include "helpers.h"

static void init(void)
{
    tmp_setup();
}

static void fini(void)
{
    tmp_teardown();
}

TestSuite(suite_flows, .init = init, .fini = fini, .timeout = 30);

/* Read text as a flow file: 0, or -1 with the message in msg. */
static int load_text(const char *text, struct load_flows *fs, char *msg, size_t len)
{
    struct err e = {0};
    char *path = tmp_path("f.json");
    int rc;

    write_file(path, text);
    rc = flowfile_load(path, fs, &e);
    snprintf(msg, len, "%s", e.msg);
    return rc;
}

/* text is refused with a message holding each of the NULL-ended parts. */
static void refused(const char *text, ...)
{
    struct load_flows fs;
    char msg[ERR_MAX];
    const char *part;
    va_list ap;

    cr_assert_eq(load_text(text, &fs, msg, sizeof msg), -1, "accepted: %s", text);
    va_start(ap, text);
    while ((part = va_arg(ap, const char *)))
        cr_assert(strstr(msg, part), "'%s' lacks '%s'", msg, part);
    va_end(ap);
    cr_assert(strstr(msg, "f.json: "), "'%s' does not name the file", msg);
    load_flows_free(&fs);
}

#define STEPS(x) "\"flows\": [{\"name\": \"f\", \"steps\": [" x "]}]}"
#define STEP(x) "{" STEPS(x)

Test(suite_flows, a_good_file)
{
    struct load_flows fs;
    char msg[ERR_MAX];

    write_file(tmp_path("rows.csv"), "name,pass\nann,1\n");
    cr_assert_eq(load_text("{\"data\": {\"w\": {\"pick\": [\"a\"]}, \"r\": {\"csv\": \"rows.csv\","
                           " \"order\": \"random\"}},"
                           " \"flows\": [{\"name\": \"f\", \"weight\": 2, \"think\": {\"uniform\": "
                           "[\"1ms\", \"2ms\"]}, \"steps\": ["
                           "{\"name\": \"a\", \"path\": \"/x/${w}/${r.pass}\", \"capture\": "
                           "[{\"var\": \"v\", \"json\": \"a.0\"}], \"think\": {\"exponential\": "
                           "\"5ms\"}},"
                           "{\"name\": \"b\", \"path\": \"/y?v=${v}&u=${user}\", \"headers\": "
                           "[\"X-N: ${iteration}\"], \"body\": \"$${v}\", \"status\": 201}]}]}",
                           &fs, msg, sizeof msg), 0, "%s", msg);
    cr_assert_eq(fs.nflows, 1);
    cr_assert_eq(fs.nsteps, 2);
    cr_assert_eq(fs.ncaptures, 1);
    cr_assert_eq(fs.data[1].nrows, 1);
    cr_assert_eq(fs.data[1].random, 1);
    cr_assert_eq(fs.flows[0].think.kind, THINK_UNIFORM);
    cr_assert_eq(fs.flows[0].steps[0].think.kind, THINK_EXP);
    cr_assert_eq(fs.flows[0].steps[0].think.a, 5000000);
    cr_assert_eq(fs.flows[0].steps[1].status, 201);
    /* "$${v}" is the text ${v} */
    cr_assert_eq(fs.flows[0].steps[1].body.nparts, 2);
    load_flows_free(&fs);
}

/* A body written as JSON ("json", Locust's json=): its compact text, a
 * template like "body", with Content-Type: application/json unless the
 * step gives a content type of its own. */
Test(suite_flows, json_body)
{
    struct load_flows fs;
    char msg[ERR_MAX];
    const struct flow_step *a, *b;

    cr_assert_eq(load_text(STEP("{\"name\": \"a\", \"method\": \"POST\", \"path\": \"/\", "
                                "\"json\": {\"user\": \"u${user}\", \"n\": [1, 2.5, null]}},"
                                "{\"name\": \"b\", \"path\": \"/\", \"json\": 7, \"headers\": "
                                "[\"content-type: application/json; charset=utf-8\"]}"),
                           &fs, msg, sizeof msg), 0, "%s", msg);
    a = &fs.flows[0].steps[0];
    b = &fs.flows[0].steps[1];
    cr_assert_str_eq(a->body.src, "{\"user\":\"u${user}\",\"n\":[1,2.5,null]}");
    cr_assert_eq(a->body.nparts, 3, "text, ${user}, text");
    cr_assert_eq(a->json_body, 1);
    cr_assert_eq(a->nheaders, 1);
    cr_assert_str_eq(a->headers[0].src, "Content-Type: application/json");
    cr_assert_str_eq(b->body.src, "7");
    cr_assert_eq(b->nheaders, 1, "the step's own content type, not a second one");
    cr_assert_str_eq(b->headers[0].src, "content-type: application/json; charset=utf-8");
    load_flows_free(&fs);
    refused(STEP("{\"name\": \"a\", \"path\": \"/\", \"json\": {}, \"body\": \"x\"}"),
            "flows[0].steps[0].json: give \"body\" or \"json\", not both", NULL);
    refused(STEP("{\"name\": \"a\", \"path\": \"/\", \"json\": {\"u\": \"${nope}\"}}"),
            "flows[0].steps[0].json", "never defined", "nope", NULL);
}

Test(suite_flows, unknown_field)
{
    refused(STEP("{\"name\": \"a\", \"path\": \"/\", \"chekcs\": []}"), "flows[0].steps[0]",
            "chekcs", "checks", NULL);
}

Test(suite_flows, step_without_path)
{
    refused(STEP("{\"name\": \"a\"}"), "flows[0].steps[0].path", "missing", NULL);
}

Test(suite_flows, variable_never_defined)
{
    refused(STEP("{\"name\": \"a\", \"path\": \"/${nope}\"}"), "flows[0].steps[0].path",
            "never defined", "nope", NULL);
}

Test(suite_flows, variable_captured_only_later)
{
    refused(STEP("{\"name\": \"a\", \"path\": \"/${id}\"},"
                 "{\"name\": \"b\", \"path\": \"/\", \"capture\": [{\"var\": \"id\", \"json\": "
                 "\"id\"}]}"),
            "flows[0].steps[0].path", "only by a later step", "id", NULL);
}

Test(suite_flows, capture_that_can_never_match)
{
    refused(STEP("{\"name\": \"a\", \"method\": \"HEAD\", \"path\": \"/\", \"capture\": "
                 "[{\"var\": \"x\", \"regex\": \"a(b)\"}]}"),
            "flows[0].steps[0].capture[0]", "can never match", NULL);
    refused(STEP("{\"name\": \"a\", \"path\": \"/\", \"status\": 204, \"capture\": "
                 "[{\"var\": \"x\", \"json\": \"id\"}]}"),
            "can never match", NULL);
    refused(STEP("{\"name\": \"a\", \"path\": \"/\", \"capture\": [{\"var\": \"x\", \"regex\": "
                 "\"a(\"}]}"),
            "flows[0].steps[0].capture[0].regex", "not a valid", NULL);
    refused(STEP("{\"name\": \"a\", \"path\": \"/\", \"capture\": [{\"var\": \"x\", \"json\": "
                 "\"a..b\"}]}"),
            "capture[0].json", "not a path", NULL);
    refused(STEP("{\"name\": \"a\", \"path\": \"/\", \"capture\": [{\"var\": \"x\"}]}"),
            "capture[0]", "one of", NULL);
}

Test(suite_flows, bad_think_times_and_weights)
{
    refused("{\"flows\": [{\"name\": \"f\", \"think\": \"soon\", \"steps\": [{\"name\": \"a\", "
            "\"path\": \"/\"}]}]}", "flows[0].think", "not a duration", NULL);
    refused("{\"flows\": [{\"name\": \"f\", \"think\": {\"uniform\": [\"2s\", \"1s\"]}, "
            "\"steps\": [{\"name\": \"a\", \"path\": \"/\"}]}]}", "below the low end", NULL);
    refused("{\"flows\": [{\"name\": \"f\", \"weight\": 0, \"steps\": [{\"name\": \"a\", "
            "\"path\": \"/\"}]}]}", "flows[0].weight", NULL);
    refused("{\"flows\": [{\"name\": \"f\", \"steps\": []}]}", "flows[0].steps", "one step",
            NULL);
    refused("{\"flows\": []}", "flows", NULL);
}

Test(suite_flows, data_missing_or_empty)
{
    refused("{\"data\": {\"r\": {\"csv\": \"nowhere.csv\"}}, " STEPS("{\"name\": \"a\", "
            "\"path\": \"/\"}"), "data.r.csv", "nowhere.csv", NULL);
    write_file(tmp_path("empty.csv"), "");
    refused("{\"data\": {\"r\": {\"csv\": \"empty.csv\"}}, " STEPS("{\"name\": \"a\", "
            "\"path\": \"/\"}"), "data.r.csv", "empty", NULL);
    write_file(tmp_path("head.csv"), "name\n");
    refused("{\"data\": {\"r\": {\"csv\": \"head.csv\"}}, " STEPS("{\"name\": \"a\", "
            "\"path\": \"/\"}"), "no rows", NULL);
    write_file(tmp_path("ragged.csv"), "a,b\n1,2\n3\n");
    refused("{\"data\": {\"r\": {\"csv\": \"ragged.csv\"}}, " STEPS("{\"name\": \"a\", "
            "\"path\": \"/\"}"), "line 3 has 1 fields", NULL);
    refused("{\"data\": {\"r\": {\"pick\": []}}, " STEPS("{\"name\": \"a\", \"path\": \"/\"}"),
            "data.r.pick", NULL);
    write_file(tmp_path("ok.csv"), "a\n1\n");
    refused("{\"data\": {\"r\": {\"csv\": \"ok.csv\"}}, " STEPS("{\"name\": \"a\", "
            "\"path\": \"/${r.zz}\"}"), "no such column", NULL);
}

Test(suite_flows, step_names_are_unique)
{
    refused("{\"flows\": [{\"name\": \"f\", \"steps\": [{\"name\": \"a\", \"path\": \"/\"}]},"
            " {\"name\": \"g\", \"steps\": [{\"name\": \"a\", \"path\": \"/\"}]}]}",
            "flows[1].steps[0].name", "a second step named", NULL);
}

Test(suite_flows, not_json)
{
    refused("{\"flows\": [", "f.json", NULL);
}

/* A scenario's flows: errors name the scenario's path; what flows cannot
 * do is refused. */
Test(suite_flows, in_a_suite)
{
    struct suite s;
    struct err e = {0};
    char *path = tmp_path("s.json");

    write_file(path, "{\"name\": \"s\", \"targets\": [{\"name\": \"t\", \"command\": [\"true\"]}],"
                     " \"scenarios\": [{\"name\": \"x\", \"url\": \"http://127.0.0.1:{port}\","
                     " \"users\": 3, \"flows\": [{\"name\": \"f\", \"steps\": [{\"name\": \"a\","
                     " \"path\": \"/${q}\"}]}]}]}");
    cr_assert_eq(suite_load(path, &s, &e), -1);
    cr_assert(strstr(e.msg, "s.json: scenarios[0].flows[0].steps[0].path: "), "%s", e.msg);
    suite_free(&s);
    memset(&e, 0, sizeof e);
    write_file(path, "{\"name\": \"s\", \"targets\": [{\"name\": \"t\", \"command\": [\"true\"]}],"
                     " \"scenarios\": [{\"name\": \"x\", \"url\": \"http://127.0.0.1:{port}\","
                     " \"keepalive\": false, \"flows\": [{\"name\": \"f\", \"steps\": "
                     "[{\"name\": \"a\", \"path\": \"/\"}]}]}]}");
    cr_assert_eq(suite_load(path, &s, &e), -1);
    cr_assert(strstr(e.msg, "scenarios[0].keepalive"), "%s", e.msg);
    suite_free(&s);
    memset(&e, 0, sizeof e);
    write_file(path, "{\"name\": \"s\", \"targets\": [{\"name\": \"t\", \"command\": [\"true\"]}],"
                     " \"scenarios\": [{\"name\": \"x\", \"url\": \"http://127.0.0.1:{port}\","
                     " \"users\": 3, \"flows\": [{\"name\": \"f\", \"steps\": [{\"name\": \"a\","
                     " \"path\": \"/\"}]}]}]}");
    cr_assert_eq(suite_load(path, &s, &e), 0, "%s", e.msg);
    cr_assert_eq(s.scenarios[0].flows.nflows, 1);
    cr_assert_eq(s.scenarios[0].connections[0], 3);
    suite_free(&s);
}

/* pacer load --flow with a bad file: exit 2 at once, naming the file, and
 * no load (the URL is a port nothing listens on: a load would take its
 * 5 s and fail otherwise). */
Test(suite_flows, pacer_load_refuses_a_bad_flow_file)
{
    char *path = tmp_path("bad.json");
    struct timespec a, b;
    struct out o;

    write_file(path, STEP("{\"name\": \"a\", \"path\": \"/${nope}\"}"));
    clock_gettime(CLOCK_MONOTONIC, &a);
    o = run_pacer("load", "http://127.0.0.1:9/", "--flow", path, "-d", "5s");
    clock_gettime(CLOCK_MONOTONIC, &b);
    cr_assert_eq(o.code, 2, "exit %d: %s", o.code, o.stderr_s);
    cr_assert_lt((double)(b.tv_sec - a.tv_sec), 2.0);
    cr_assert(strstr(o.stderr_s, "bad.json: flows[0].steps[0].path"), "%s", o.stderr_s);
    cr_assert(strstr(o.stderr_s, "never defined"), "%s", o.stderr_s);
    cr_assert(!strchr(strchr(o.stderr_s, '\n') + 1, '\n'), "more than one line: %s", o.stderr_s);
    out_free(&o);
}

/* A threshold on a step names one of the scenario's steps, and only a
 * scenario of flows has steps: found as the file is read. */
Test(suite_flows, step_thresholds_name_a_step)
{
    struct suite s;
    struct err e = {0};
    char *path = tmp_path("s.json");

    write_file(path, "{\"name\": \"s\", \"targets\": [{\"name\": \"t\", \"command\": [\"true\"]}],"
                     " \"scenarios\": [{\"name\": \"x\", \"url\": \"http://127.0.0.1:{port}\","
                     " \"thresholds\": [\"errors.rate < 1%\", \"step:reed latency.p99 < 1s\"],"
                     " \"flows\": [{\"name\": \"f\", \"steps\": [{\"name\": \"read\","
                     " \"path\": \"/\"}]}]}]}");
    cr_assert_eq(suite_load(path, &s, &e), -1);
    cr_assert(strstr(e.msg, "s.json: scenarios[0].thresholds[1]: no step named 'reed'"), "%s",
              e.msg);
    suite_free(&s);
    memset(&e, 0, sizeof e);
    write_file(path, "{\"name\": \"s\", \"targets\": [{\"name\": \"t\", \"command\": [\"true\"]}],"
                     " \"scenarios\": [{\"name\": \"x\", \"url\": \"http://127.0.0.1:{port}/\","
                     " \"thresholds\": [\"step:read latency.p99 < 1s\"]}]}");
    cr_assert_eq(suite_load(path, &s, &e), -1);
    cr_assert(strstr(e.msg, "scenarios[0].thresholds[0]: step: thresholds are for scenarios "
                            "of flows"), "%s", e.msg);
    suite_free(&s);
    memset(&e, 0, sizeof e);
    write_file(path, "{\"name\": \"s\", \"targets\": [{\"name\": \"t\", \"command\": [\"true\"]}],"
                     " \"scenarios\": [{\"name\": \"x\", \"url\": \"http://127.0.0.1:{port}\","
                     " \"thresholds\": [\"step:read latency.p99 < 1s\", \"flow:f latency.p50 < "
                     "2s\"], \"flows\": [{\"name\": \"f\", \"steps\": [{\"name\": \"read\","
                     " \"path\": \"/\"}]}]}]}");
    cr_assert_eq(suite_load(path, &s, &e), 0, "%s", e.msg);
    suite_free(&s);
}
