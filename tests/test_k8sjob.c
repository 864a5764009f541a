/*
 * test_k8sjob.c: the Kubernetes Indexed Job of a split load
 * (harness/run/k8sjob.c): the manifest read back by Debian's python3-yaml
 * has the Job's shape (Indexed, completions = parallelism = N, no retry,
 * the segment's arguments after load's, the volume when asked); every
 * string survives YAML's quoting and Kubernetes' $(VAR) expansion; every
 * refusal names its cause; the start resolved and the default run id.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/run/k8sjob.h"
#include "helpers.h"

TestSuite(k8sjob, .init = tmp_setup, .fini = tmp_teardown, .timeout = 30);

static char *load_args[] = {"load", "http://web.default.svc:8080/", "-c", "64", "-d", "30s",
                            "--limit", "latency.p99 < 50ms"};

static struct k8sjob job(void)
{
    struct k8sjob j = {.name = "loadtest", .image = "registry.example/pacer:1", .pods = 4,
                       .start_at = "2026-12-07T03:30:00Z",
                       .run_id = "loadtest-20261207T033000Z", .ttl_s = -1,
                       .args = load_args, .nargs = COUNT(load_args)};
    return j;
}

/* The manifest of j read back by python3-yaml (new). */
static json_t *read_back(const struct k8sjob *j)
{
    struct err e = {0};
    char *text = k8sjob_manifest(j, &e);
    json_t *doc;

    cr_assert_not_null(text, "%s", e.msg);
    write_file(tmp_path("job.yaml"), text);
    free(text);
    doc = load_yaml(tmp_path("job.yaml"));
    return doc;
}

/* spec.KEY of Job doc, an integer. */
static json_int_t spec_int(json_t *doc, const char *key)
{
    json_t *v = json_object_get(json_object_get(doc, "spec"), key);

    cr_assert(json_is_integer(v), "spec.%s is not an integer", key);
    return json_integer_value(v);
}

/* String i of array a. */
static const char *str_at(json_t *a, size_t i)
{
    cr_assert(json_is_string(json_array_get(a, i)), "item %zu is not a string", i);
    return json_string_value(json_array_get(a, i));
}

Test(k8sjob, the_jobs_shape)
{
    struct k8sjob j = job();
    json_t *doc = read_back(&j), *c, *args, *pod;
    static const char *const tail[] = {"--segment", "auto", "--segments", "4", "--start-at",
                                       "2026-12-07T03:30:00Z", "--run-id",
                                       "loadtest-20261207T033000Z", "--format", "json", "-q"};
    size_t i, n = COUNT(load_args);

    cr_expect_str_eq(json_string_value(json_object_get(doc, "apiVersion")), "batch/v1");
    cr_expect_str_eq(json_string_value(json_object_get(doc, "kind")), "Job");
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(doc, "metadata"),
                                                       "name")), "loadtest");
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(doc, "spec"),
                                                       "completionMode")), "Indexed");
    cr_expect_eq(spec_int(doc, "completions"), 4);
    cr_expect_eq(spec_int(doc, "parallelism"), 4);
    cr_expect_eq(spec_int(doc, "backoffLimit"), 0);
    cr_expect_null(json_object_get(json_object_get(doc, "spec"), "ttlSecondsAfterFinished"));
    pod = pod_of(doc);
    cr_expect_str_eq(json_string_value(json_object_get(pod, "restartPolicy")), "Never");
    cr_expect_null(json_object_get(pod, "volumes"));
    c = container_of(doc);
    cr_expect_str_eq(json_string_value(json_object_get(c, "image")), "registry.example/pacer:1");
    cr_expect_str_eq(str_at(json_object_get(c, "command"), 0), "pacer");
    cr_expect_null(json_object_get(c, "resources"));
    cr_expect_null(json_object_get(c, "imagePullPolicy"));
    args = json_object_get(c, "args");
    cr_assert_eq(json_array_size(args), n + COUNT(tail));
    for (i = 0; i < n; i++)
        cr_expect_str_eq(str_at(args, i), load_args[i]);
    for (i = 0; i < COUNT(tail); i++)
        cr_expect_str_eq(str_at(args, n + i), tail[i]);
    json_decref(doc);
}

Test(k8sjob, volume_resources_and_the_rest)
{
    struct k8sjob j = job();
    json_t *doc, *c, *pod, *args, *env, *res;
    size_t n;

    j.claim = "pacer-results";
    j.cpu = "1500m";
    j.memory = "2Gi";
    j.ns = "perf";
    j.pull_policy = "IfNotPresent";
    j.ttl_s = 3600;
    j.command = "/usr/local/bin/pacer";
    doc = read_back(&j);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(doc, "metadata"),
                                                       "namespace")), "perf");
    cr_expect_eq(spec_int(doc, "ttlSecondsAfterFinished"), 3600);
    pod = pod_of(doc);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(
                         json_object_get(pod, "volumes"), 0), "persistentVolumeClaim"),
                         "claimName")), "pacer-results");
    c = container_of(doc);
    cr_expect_str_eq(json_string_value(json_object_get(c, "imagePullPolicy")), "IfNotPresent");
    cr_expect_str_eq(str_at(json_object_get(c, "command"), 0), "/usr/local/bin/pacer");
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(
                         json_object_get(c, "volumeMounts"), 0), "mountPath")), "/results");
    args = json_object_get(c, "args");
    n = json_array_size(args);
    cr_assert_geq(n, 2);
    cr_expect_str_eq(str_at(args, n - 2), "--out");
    cr_expect_str_eq(str_at(args, n - 1), "/results/loadtest-seg-$(PACER_SEGMENT_INDEX).json");
    env = json_array_get(json_object_get(c, "env"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(env, "name")), K8SJOB_INDEX_VAR);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(
                         env, "valueFrom"), "fieldRef"), "fieldPath")),
                     "metadata.annotations['batch.kubernetes.io/job-completion-index']");
    res = json_object_get(c, "resources");
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(res, "requests"),
                                                       "cpu")), "1500m");
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(res, "limits"),
                                                       "memory")), "2Gi");
    json_decref(doc);
}

/* Kubernetes' expansion of command and args: $(VAR) of the container's
 * env replaced, "$$" made "$". */
static char *expand(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;

    cr_assert_not_null(out);
    while (*s) {
        if (s[0] == '$' && s[1] == '$')
            *o++ = '$', s += 2;
        else
            *o++ = *s++;
    }
    *o = '\0';
    return out;
}

Test(k8sjob, every_string_survives)
{
    static char *tricky[] = {
        "load", "http://h:1/p?q=\"x\"&r=\\y", "line one\nline two", "tab\there", "\x01\x1f\x7f",
        "$(HOME) and $x and $$", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80", "nel\xc2\x85",
        "ls\xe2\x80\xa8ps\xe2\x80\xa9", "bom\xef\xbb\xbf", "latency.p99 < 50ms", "# no comment",
        ": colon", "- dash", "'single'", "{braces}", "[list]", "yes", "null", "0x10", "~", "",
        " spaces ", "*anchor", "&ref", "!tag", "%pct", "@at", "`tick`"};
    struct k8sjob j = job();
    json_t *doc, *args;
    size_t i;

    j.args = tricky;
    j.nargs = COUNT(tricky);
    j.run_id = "run \"$1\"";
    j.image = "reg.example:5000/pacer@sha256:0123";
    doc = read_back(&j);
    args = json_object_get(container_of(doc), "args");
    for (i = 0; i < COUNT(tricky); i++) {
        char *got = expand(str_at(args, i));
        cr_expect_str_eq(got, tricky[i], "argument %zu", i);
        free(got);
    }
    {
        char *id = expand(str_at(args, COUNT(tricky) + 7));
        cr_expect_str_eq(id, "run \"$1\"");
        free(id);
    }
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(doc,
                         "metadata"), "annotations"), "pacer/run-id")), "run \"$1\"");
    json_decref(doc);
}

/* j refused with a message holding want. */
static void refused(const struct k8sjob *j, const char *want)
{
    struct err e = {0};
    char *text = k8sjob_manifest(j, &e);

    cr_expect_null(text, "accepted, expected: %s", want);
    free(text);
    cr_expect(strstr(e.msg, want), "want %s, got %s", want, e.msg);
    cr_expect_null(strchr(e.msg, '\n'), "one line: %s", e.msg);
}

Test(k8sjob, refusals)
{
    static const char *const names[] = {"", "Load", "-a", "a-", "a_b", "a.b",
        "a123456789012345678901234567890123456789012345678901234567890123"};
    static const struct {
        const char *arg, *want;
    } bad_args[] = {
        {"--segment", "the Job sets --segment itself"},
        {"--segments=3", "the Job sets --segments itself"},
        {"--start-at", "the Job sets --start-at itself"},
        {"--start", "the Job sets --start-at itself"},
        {"--run-id=x", "the Job sets --run-id itself"},
        {"--out", "the Job sets --out itself"},
        {"--save", "the Job sets --save itself"},
        {"--format=json", "the Job sets --format itself"},
        {"--", "'--' among load's arguments"},
        {"bad \xff byte", "load's argument 1 is not UTF-8"},
    };
    struct k8sjob j;
    size_t i;

    for (i = 0; i < COUNT(names); i++) {
        j = job();
        j.name = names[i];
        refused(&j, "not a DNS-1123 label");
    }
    j = job(), j.pods = 0, refused(&j, "--parallelism 0: not from 1 to 1000");
    j = job(), j.pods = 1001, refused(&j, "--parallelism 1001: not from 1 to 1000");
    j = job(), j.ns = "Perf", refused(&j, "--namespace 'Perf'");
    j = job(), j.image = "a b", refused(&j, "--image 'a b': not an image name");
    j = job(), j.cpu = "two", refused(&j, "--cpu 'two': not a quantity");
    j = job(), j.cpu = "1.", refused(&j, "--cpu '1.': not a quantity");
    j = job(), j.memory = "2GB", refused(&j, "--memory '2GB': not a quantity");
    j = job(), j.pull_policy = "always", refused(&j, "--image-pull-policy 'always'");
    j = job(), j.claim = "My_Claim", refused(&j, "--volume-claim 'My_Claim'");
    j = job(), j.run_id = "", refused(&j, "--run-id");
    {
        char *run[] = {"run", "suite.json"};
        j = job(), j.args = run, j.nargs = 2;
        refused(&j, "the command after -- must be load");
        j.nargs = 0;
        refused(&j, "the command after -- must be load");
    }
    for (i = 0; i < COUNT(bad_args); i++) {
        char *a[] = {"load", (char *)bad_args[i].arg, "http://h/"};
        j = job(), j.args = a, j.nargs = 3;
        refused(&j, bad_args[i].want);
    }
    {
        char *ok[] = {"load", "--seed", "7", "--stages", "10:1s", "-q", "http://h/"};
        struct err e = {0};
        j = job(), j.args = ok, j.nargs = COUNT(ok);
        cr_expect_eq(k8sjob_check(&j, &e), 0, "%s", e.msg);
    }
}

Test(k8sjob, start_and_run_id)
{
    char out[64], id[128];
    struct err e = {0};
    double now = 1796614200.25, t;   /* 2026-12-07T03:30:00.250Z */

    cr_assert_eq(k8sjob_start("+60s", now, out, sizeof out, &t, &e), 0, "%s", e.msg);
    cr_expect_str_eq(out, "2026-12-07T03:31:01Z", "rounded up to a second");
    cr_expect_eq(t, 1796614261.0);
    cr_assert_eq(k8sjob_start("2026-12-07T03:45:00.125Z", now, out, sizeof out, &t, &e), 0,
                 "%s", e.msg);
    cr_expect_str_eq(out, "2026-12-07T03:45:00.125Z");
    cr_assert_eq(k8sjob_start("2026-12-07T04:00:00z", now, out, sizeof out, &t, &e), 0);
    cr_expect_str_eq(out, "2026-12-07T04:00:00Z");
    k8sjob_run_id("loadtest", out, id, sizeof id);
    cr_expect_str_eq(id, "loadtest-20261207T040000Z");
    k8sjob_run_id("x", "2026-12-07T03:45:00.125Z", id, sizeof id);
    cr_expect_str_eq(id, "x-20261207T034500.125Z");
    {
        static const struct {
            const char *spec, *want;
        } bad[] = {
            {"+soon", "not a duration after +"},
            {"2026-12-07T03:29:00Z", "already past"},
            {"2026-12-07T03:30:00", "not a UTC time"},
            {"2026-12-07T03:30:00+01:00", "not a UTC time"},
            {"2026-12-09T03:30:00Z", "more than 24 h ahead"},
            {"+25h", "more than 24 h ahead"},
            {"tomorrow", "not a UTC time"},
        };
        for (size_t i = 0; i < COUNT(bad); i++) {
            err_clear(&e);
            cr_expect_eq(k8sjob_start(bad[i].spec, now, out, sizeof out, &t, &e), -1, "%s",
                         bad[i].spec);
            cr_expect(strstr(e.msg, bad[i].want), "%s: want %s, got %s", bad[i].spec,
                      bad[i].want, e.msg);
        }
    }
}
