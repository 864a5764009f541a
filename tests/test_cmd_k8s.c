/*
 * test_cmd_k8s.c: `pacer k8s-job` as a user runs it (harness/cli/
 * cmd_k8s.c): the printed manifest read back by Debian's python3-yaml
 * (an Indexed Job, completions = parallelism = N, the segment's arguments
 * with one start and one run id, the volume when asked), decoded by
 * kubectl where it is installed, every refusal one line and exit code 2;
 * and the pods' command run here as a pod runs it: JOB_COMPLETION_INDEX 0
 * and 1 set, the arguments as Kubernetes expands them, against
 * build/suites/targets/testsrv on loopback, the results collected from a
 * log of both streams (kubectl logs) or from the claim's directory, and
 * merged by pacer merge into the sum of both.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/isotime.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "helpers.h"

static char pacer[512];
static struct out last;

static void init(void)
{
    build_path(pacer, sizeof pacer, "pacer");
    tmp_setup();
}

static void fini(void)
{
    out_free(&last);
    tmp_teardown();
}

TestSuite(cmd_k8s, .init = init, .fini = fini, .timeout = 60);

static const struct out *run(const char *const *args)
{
    out_free(&last);
    last = pacer_exec(pacer, 0, args);
    return &last;
}

/* pacer with args: exit 0, its manifest kept as the scratch file name
 * and read back by python3-yaml (new). */
static json_t *manifest(const char *const *args, const char *name)
{
    cr_assert_eq(run(args)->code, 0, "%s", last.stderr_s);
    write_file(tmp_path(name), last.stdout_s);
    return load_yaml(tmp_path(name));
}

static const char *get_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    cr_assert(json_is_string(v), "%s is not a string", key);
    return json_string_value(v);
}

/* The value after option opt in the string array args, or NULL. */
static const char *after(json_t *args, const char *opt)
{
    size_t i;

    for (i = 0; i + 1 < json_array_size(args); i++)
        if (!strcmp(json_string_value(json_array_get(args, i)), opt))
            return json_string_value(json_array_get(args, i + 1));
    return NULL;
}

Test(cmd_k8s, the_printed_job)
{
    const char *a[] = {"k8s-job", "--name", "lt", "--parallelism", "3", "--image",
                       "reg.example/pacer:1", "--start-at", "+90s", "--ttl", "10m", "--cpu", "1",
                       "--memory", "256Mi", "--namespace", "perf", "--image-pull-policy",
                       "Never", "--", "load", "http://web:8080/", "-c", "30", "-d", "10s",
                       "--limit", "latency.p99 < 50ms", NULL};
    time_t before = time(NULL);
    json_t *doc = manifest(a, "job.yaml"), *spec = json_object_get(doc, "spec"), *c, *args;
    const char *start, *id;
    char want_id[128], line[256];
    double t;

    cr_expect_str_eq(get_str(doc, "apiVersion"), "batch/v1");
    cr_expect_str_eq(get_str(doc, "kind"), "Job");
    cr_expect_str_eq(get_str(json_object_get(doc, "metadata"), "name"), "lt");
    cr_expect_str_eq(get_str(json_object_get(doc, "metadata"), "namespace"), "perf");
    cr_expect_str_eq(get_str(spec, "completionMode"), "Indexed");
    cr_expect_eq(json_integer_value(json_object_get(spec, "completions")), 3);
    cr_expect_eq(json_integer_value(json_object_get(spec, "parallelism")), 3);
    cr_expect_eq(json_integer_value(json_object_get(spec, "backoffLimit")), 0);
    cr_expect_eq(json_integer_value(json_object_get(spec, "ttlSecondsAfterFinished")), 600);
    cr_expect_str_eq(get_str(pod_of(doc), "restartPolicy"), "Never");
    c = container_of(doc);
    cr_expect_str_eq(get_str(c, "imagePullPolicy"), "Never");
    cr_expect_str_eq(get_str(json_object_get(json_object_get(c, "resources"), "limits"), "cpu"),
                     "1");
    args = json_object_get(c, "args");
    cr_expect_str_eq(json_string_value(json_array_get(args, 0)), "load");
    cr_expect_str_eq(json_string_value(json_array_get(args, 7)), "latency.p99 < 50ms");
    cr_expect_str_eq(after(args, "--segment"), "auto");
    cr_expect_str_eq(after(args, "--segments"), "3");
    cr_expect_str_eq(after(args, "--format"), "json", "the result on stdout");
    start = after(args, "--start-at");
    id = after(args, "--run-id");
    cr_assert(start && id);
    /* +90s resolved once, here, to a whole second, and said on stderr */
    cr_assert_eq(iso_time_parse(start, &t), 0, "%s", start);
    cr_expect(t >= (double)before + 90 && t <= (double)time(NULL) + 91, "%s", start);
    cr_expect_str_eq(get_str(json_object_get(json_object_get(doc, "metadata"), "annotations"),
                             "pacer/start-at"), start);
    snprintf(want_id, sizeof want_id, "lt-%.4s%.2s%.2sT%.2s%.2s%.2sZ", start, start + 5,
             start + 8, start + 11, start + 14, start + 17);
    cr_expect_str_eq(id, want_id);
    snprintf(line, sizeof line, "pacer: k8s-job: 3 pods of run %s start at %s", id, start);
    cr_expect(strstr(last.stderr_s, line), "%s", last.stderr_s);
    json_decref(doc);
}

Test(cmd_k8s, given_start_run_id_and_claim)
{
    char start[64];
    const char *a[] = {"k8s-job", "--name", "lt", "--parallelism", "2", "--image", "img",
                       "--start-at", start, "--run-id", "r42", "--volume-claim", "results",
                       "--", "load", "http://web:8080/", NULL};
    json_t *doc, *c, *args;

    iso_time_ms((double)time(NULL) + 3600.5, start, sizeof start);
    doc = manifest(a, "job.yaml");
    c = container_of(doc);
    args = json_object_get(c, "args");
    cr_expect_str_eq(after(args, "--start-at"), start);
    cr_expect_str_eq(after(args, "--run-id"), "r42");
    cr_expect_str_eq(after(args, "--out"), "/results/lt-seg-$(PACER_SEGMENT_INDEX).json");
    cr_expect_null(after(args, "--format"));
    cr_expect_str_eq(get_str(json_array_get(json_object_get(c, "volumeMounts"), 0),
                             "mountPath"), "/results");
    cr_expect_str_eq(get_str(json_object_get(json_array_get(json_object_get(pod_of(doc),
                             "volumes"), 0), "persistentVolumeClaim"), "claimName"), "results");
    json_decref(doc);
}

/* The shell command's exit status (0 when it ran and succeeded). */
static int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int shell(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

/* kubectl decodes the manifest into a batch/v1 Job (its typed structs:
 * a field of the wrong type fails, an unknown one is dropped) and keeps
 * what python3-yaml read.  A client dry run needs an API server for the
 * kinds it knows; without one, kubectl set env --local decodes offline. */
Test(cmd_k8s, kubectl_reads_it)
{
    const char *a[] = {"k8s-job", "--name", "lt", "--parallelism", "4", "--image", "img",
                       "--volume-claim", "results", "--ttl", "1h", "--", "load",
                       "http://web:8080/?q=$x", "--limit", "latency.p99 < 50ms", NULL};
    json_t *mine, *kube, *c1, *c2;
    const char *f = tmp_path("job.yaml"), *k = tmp_path("kube.json");
    char *text;

    if (access("/usr/bin/kubectl", X_OK) != 0) {
        cr_log_info("kubectl is not installed: the manifest is checked by python3-yaml alone");
        return;
    }
    mine = manifest(a, "job.yaml");
    if (shell("timeout 60 kubectl create --dry-run=client --validate=false -o json -f '%s' "
              ">'%s' 2>'%s.err'", f, k, k) != 0) {
        cr_log_info("kubectl create --dry-run=client needs an API server (none here); the "
                    "manifest is decoded offline by kubectl set env --local instead");
        cr_assert_eq(shell("timeout 60 kubectl set env --local -f '%s' PACER_CHECKED=1 -o json "
                           ">'%s'", f, k), 0, "kubectl could not decode %s", f);
    }
    kube = load_json(k);
    cr_expect_str_eq(get_str(kube, "kind"), "Job");
    cr_expect(json_equal(json_object_get(json_object_get(kube, "metadata"), "annotations"),
                         json_object_get(json_object_get(mine, "metadata"), "annotations")));
    {
        static const char *const keys[] = {"completionMode", "completions", "parallelism",
                                           "backoffLimit", "ttlSecondsAfterFinished"};
        for (size_t i = 0; i < COUNT(keys); i++)
            cr_expect(json_equal(json_object_get(json_object_get(kube, "spec"), keys[i]),
                                 json_object_get(json_object_get(mine, "spec"), keys[i])),
                      "spec.%s", keys[i]);
    }
    cr_expect(json_equal(json_object_get(pod_of(kube), "volumes"),
                         json_object_get(pod_of(mine), "volumes")));
    cr_expect_str_eq(get_str(pod_of(kube), "restartPolicy"), "Never");
    c1 = container_of(kube);
    c2 = container_of(mine);
    cr_expect(json_equal(json_object_get(c1, "args"), json_object_get(c2, "args")));
    cr_expect(json_equal(json_object_get(c1, "command"), json_object_get(c2, "command")));
    cr_expect(json_equal(json_object_get(c1, "volumeMounts"),
                         json_object_get(c2, "volumeMounts")));
    cr_expect(json_equal(json_array_get(json_object_get(c1, "env"), 0),
                         json_array_get(json_object_get(c2, "env"), 0)));
    /* and kubectl refuses a field of the wrong type: it did read the Job */
    text = slurp(f, NULL);
    cr_assert_not_null(text);
    write_file(tmp_path("bad.yaml"), text);
    cr_assert_eq(shell("sed -i 's/^  completions: 4$/  completions: \"4\"/' '%s'",
                       tmp_path("bad.yaml")), 0);
    cr_expect_neq(shell("timeout 60 kubectl set env --local -f '%s' A=1 -o json >/dev/null "
                        "2>&1", tmp_path("bad.yaml")), 0);
    free(text);
    json_decref(mine);
    json_decref(kube);
}

Test(cmd_k8s, help)
{
    const char *a[] = {"k8s-job", "--help", NULL};

    cr_assert_eq(run(a)->code, 0);
    cr_expect(strstr(last.stdout_s, "usage: pacer k8s-job --name NAME --parallelism N --image "
                                    "IMAGE [options] -- load ARGS...\n"), "%s", last.stdout_s);
    cr_expect(strstr(last.stdout_s, "backoffLimit 0"));
}

Test(cmd_k8s, bad_input)
{
    static const struct {
        const char *args[16], *want;
    } cases[] = {
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "load", "http://h/"},
         "expected -- and the load"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--"},
         "the command after -- must be load"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--", "run", "s.json"},
         "the command after -- must be load"},
        {{"--name", "lt", "--parallelism", "0", "--image", "i", "--", "load", "http://h/"},
         "--parallelism '0': not a whole number from 1 to 1000"},
        {{"--name", "lt", "--parallelism", "1001", "--image", "i", "--", "load", "http://h/"},
         "--parallelism '1001'"},
        {{"--name", "lt", "--parallelism", "two", "--image", "i", "--", "load", "http://h/"},
         "--parallelism 'two'"},
        {{"--name", "Load_Test", "--parallelism", "2", "--image", "i", "--", "load", "h"},
         "--name 'Load_Test': not a DNS-1123 label"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--", "load", "http://h/",
          "--segment", "1/2"}, "load's '--segment': the Job sets --segment itself"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--", "load", "http://h/",
          "--out", "r.json"}, "the Job sets --out itself"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--", "load", "http://h/",
          "--start-at=+5s"}, "the Job sets --start-at itself"},
        {{"--name", "lt", "--parallelism", "2", "--", "load", "http://h/"},
         "--name, --parallelism and --image are needed"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--start-at",
          "2020-01-01T00:00:00Z", "--", "load", "http://h/"}, "already past"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--start-at", "+1 day", "--",
          "load", "http://h/"}, "--start-at '+1 day': not a duration"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--cpu", "lots", "--", "load",
          "http://h/"}, "--cpu 'lots': not a quantity"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--ttl", "soon", "--", "load",
          "http://h/"}, "--ttl 'soon': not a duration"},
        {{"--name", "lt", "--parallelism", "2", "--image", "i", "--bogus", "--", "load"},
         "'--bogus' is not an option of k8s-job"},
        {{"--name", "lt", "--parallelism", "2", "--image"}, "--image needs a value"},
    };
    size_t i, k;

    for (i = 0; i < COUNT(cases); i++) {
        const char *a[20] = {"k8s-job"};
        for (k = 0; cases[i].args[k]; k++)
            a[k + 1] = cases[i].args[k];
        run(a);
        cr_expect_eq(last.code, 2, "case %zu: exit %d, %s", i, last.code, last.stderr_s);
        cr_expect_str_eq(last.stdout_s, "", "case %zu: nothing printed", i);
        cr_expect(!strncmp(last.stderr_s, "pacer: k8s-job: ", 16) &&
                  strstr(last.stderr_s, cases[i].want) &&
                  strchr(last.stderr_s, '\n') == last.stderr_s + strlen(last.stderr_s) - 1,
                  "case %zu: want one line with %s, got %s", i, cases[i].want, last.stderr_s);
    }
}

/* ---- the pods' command, run here ------------------------------------------ */

/* s as Kubernetes expands command and args for a pod whose
 * PACER_SEGMENT_INDEX is index: $(PACER_SEGMENT_INDEX) replaced, "$$" made
 * "$"; /results (the claim's mount) made dir (new). */
static char *expand(const char *s, int index, const char *dir)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    cr_assert_not_null(f);
    if (!strncmp(s, "/results/", 9)) {
        fputs(dir, f);
        s += 8;
    }
    while (*s) {
        if (!strncmp(s, "$$", 2))
            fputc('$', f), s += 2;
        else if (!strncmp(s, "$(PACER_SEGMENT_INDEX)", 22))
            fprintf(f, "%d", index), s += 22;
        else
            fputc(*s++, f);
    }
    fclose(f);
    return out;
}

/* Pod index of Job doc started here: pacer (the image's) with the
 * container's args as Kubernetes gives them, JOB_COMPLETION_INDEX set as
 * Kubernetes sets it, stdout and stderr both into log (as kubectl logs
 * has them).  Its pid. */
static pid_t pod_start(json_t *doc, int index, const char *log)
{
    json_t *args = json_object_get(container_of(doc), "args");
    char *argv[64], num[16];
    size_t i, n = json_array_size(args);
    pid_t pid;

    cr_assert_lt(n, 62);
    cr_expect_str_eq(json_string_value(json_array_get(json_object_get(container_of(doc),
                                                                      "command"), 0)), "pacer");
    argv[0] = pacer;
    for (i = 0; i < n; i++)
        argv[i + 1] = expand(json_string_value(json_array_get(args, i)), index, tmp_dir());
    argv[n + 1] = NULL;
    snprintf(num, sizeof num, "%d", index);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || setenv("JOB_COMPLETION_INDEX", num, 1) < 0)
            _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    for (i = 1; i <= n; i++)
        free(argv[i]);
    return pid;
}

/* The two pods of a Job made with extra options (NULL-terminated) run to
 * their end against the test server; their results collected (from the
 * logs with README's sed, or the claim's files) and merged: exit 0, the
 * requests the sum of both, the run id the manifest's. */
static void two_pods(const char *const *extra)
{
    struct srv srv = srv_start(NULL);
    char url[64];
    const char *a[40] = {"k8s-job", "--name", "lt", "--parallelism", "2", "--image", "img",
                         "--start-at", "+2s"};
    const char *load[] = {"--", "load", url, "-c", "2", "-t", "1", "-d", "300ms", "--warmup",
                          "0", "--limit", "errors.rate < 100%", NULL};
    const char *m[] = {"merge", tmp_path("m.json"), tmp_path("lt-seg-0.json"),
                       tmp_path("lt-seg-1.json"), NULL};
    size_t n = 9, i;
    int claim = 0, st, k;
    pid_t pid[2];
    json_t *doc;
    struct result r[3];
    struct err e = {0};
    char log[2][512];

    snprintf(url, sizeof url, "http://127.0.0.1:%d/", srv.port);
    for (i = 0; extra[i]; i++)
        claim |= !strcmp(a[n++] = extra[i], "--volume-claim");
    for (i = 0; load[i]; i++)
        a[n++] = load[i];
    doc = manifest(a, "job.yaml");
    for (k = 0; k < 2; k++) {
        snprintf(log[k], sizeof log[k], "%s/pod-%d.log", tmp_dir(), k);
        pid[k] = pod_start(doc, k, log[k]);
    }
    for (k = 0; k < 2; k++) {
        cr_assert_eq(waitpid(pid[k], &st, 0), pid[k]);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pod %d: status %d: %s", k, st,
                  slurp(log[k], NULL));
        if (!claim)
            sh("sed -n '/^{$/,/^}$/p' '%s' > '%s/lt-seg-%d.json'", log[k], tmp_dir(), k);
    }
    srv_stop(&srv);
    cr_assert_eq(run(m)->code, 0, "%s%s", last.stdout_s, last.stderr_s);
    for (k = 0; k < 2; k++) {
        char name[32];
        snprintf(name, sizeof name, "lt-seg-%d.json", k);
        cr_assert_eq(result_load(tmp_path(name), &r[k], &e), 0, "%s", e.msg);
        cr_expect_eq(r[k].seg.index, (unsigned)k + 1);
    }
    cr_assert_eq(result_load(tmp_path("m.json"), &r[2], &e), 0, "%s", e.msg);
    cr_expect_gt(r[0].benches[0].load[0].requests, 0);
    cr_expect_eq(r[2].benches[0].load[0].requests,
                 r[0].benches[0].load[0].requests + r[1].benches[0].load[0].requests);
    cr_expect_str_eq(r[2].seg.run_id, after(json_object_get(container_of(doc), "args"),
                                            "--run-id"));
    for (k = 0; k < 3; k++)
        result_free(&r[k]);
    json_decref(doc);
}

Test(cmd_k8s, two_pods_logs_merged, .timeout = 90)
{
    const char *none[] = {NULL};

    two_pods(none);
}

Test(cmd_k8s, two_pods_claim_merged, .timeout = 90)
{
    const char *claim[] = {"--volume-claim", "results", NULL};

    two_pods(claim);
}
