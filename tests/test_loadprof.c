/*
 * test_loadprof.c: pacer run --profile on a suite's load benchmarks
 * (harness/cli/loadprof.c), and pacer show --profile --diff on what it
 * kept: the asyncio target (suites/targets/aio.py, which installs its
 * profiler for PACER_PROFILE) answering /hello and /file-blocking, whose
 * time goes to a blocking read; targets that cannot be profiled (a Python
 * server without the profiler, a native one where perf does not run) are
 * said in one line, never signalled, and their benchmarks stand.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(loadprof, .init = tmp_setup, .fini = tmp_teardown, .timeout = 120);

/* A suite "tuning" with one target (target: its "command" and "ready" as
 * JSON members) and a scenario against it for each NAME:PATH of
 * scenarios (comma-separated), written to path. */
static void write_suite(const char *path, const char *target, const char *scenarios)
{
    char text[4096], *sc, *tok, *save = NULL;
    size_t o;

    o = (size_t)snprintf(text, sizeof text,
                         "{\"name\": \"tuning\",\n \"targets\": [{\"name\": \"t\", %s,\n"
                         "   \"ready_timeout\": \"20s\"}],\n \"scenarios\": [\n", target);
    sc = xstrdup(scenarios);
    for (tok = strtok_r(sc, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        cr_assert_not_null(colon);
        *colon = '\0';
        o += (size_t)snprintf(text + o, sizeof text - o,
                              "%s  {\"name\": \"%s\", \"target\": \"t\", "
                              "\"url\": \"http://127.0.0.1:{port}%s\", \"connections\": 4, "
                              "\"threads\": 1, \"duration\": \"700ms\", \"warmup\": \"200ms\", "
                              "\"repetitions\": 2}", tok == sc ? "" : ",\n", tok, colon + 1);
    }
    free(sc);
    snprintf(text + o, sizeof text - o, "\n]}\n");
    write_file(path, text);
}

/* The processes pacer named as profiled ("(process N, ...") that still
 * live. */
static int profiled_alive(const char *err)
{
    const char *at = err;
    int n = 0;

    while ((at = strstr(at, "(process "))) {
        at += 9;
        n += proc_alive((pid_t)atoi(at));
    }
    return n;
}

/* Files of the scratch directory whose name starts with prefix. */
static int files_named(const char *prefix)
{
    DIR *d = opendir(tmp_dir());
    struct dirent *de;
    int n = 0;

    cr_assert_not_null(d);
    while ((de = readdir(d)))
        n += !strncmp(de->d_name, prefix, strlen(prefix));
    closedir(d);
    return n;
}

static int has_aiohttp(void)
{
    return system("/usr/bin/python3 -c 'import aiohttp' 2>/dev/null") == 0;
}

Test(loadprof, asyncio_pair_profiled_and_diffed)
{
    char suite[512], aio[600], target[1024], prof[600];
    const char *out = tmp_path("r.json");
    struct out o;

    if (!has_aiohttp())
        cr_skip_test("/usr/bin/python3 has no aiohttp (python3-aiohttp)");
    setenv("TMPDIR", tmp_dir(), 1);   /* where the server writes its profile */
    snprintf(suite, sizeof suite, "%s", tmp_path("s.json"));
    cr_assert_not_null(realpath("suites/targets/aio.py", aio));
    snprintf(target, sizeof target,
             "\"command\": [\"{python}\", \"%s\", \"--port\", \"{port}\"], "
             "\"ready\": {\"http\": \"/hello\"}", aio);
    write_suite(suite, target, "hello:/hello,file-blocking:/file-blocking");
    o = run_pacer("run", suite, "--profile", "--out", out);
    cr_assert_eq(o.code, 0, "%s%s", o.stdout_s, o.stderr_s);
    /* the last of the two repetitions, by the server's own profiler */
    cr_expect_not_null(strstr(o.stderr_s, "pacer: profiling the target of tuning/hello "
                                          "(process "), "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stderr_s, "its own profiler) in repetition 2"), "%s",
                       o.stderr_s);
    cr_expect_null(strstr(o.stderr_s, "no profile"), "%s", o.stderr_s);
    cr_expect_eq(profiled_alive(o.stderr_s), 0, "%s", o.stderr_s);
    out_free(&o);
    snprintf(prof, sizeof prof, "%s.profiles/tuning%%2Fhello.callgrind", out);
    cr_expect(nonempty(prof), "%s", prof);
    snprintf(prof, sizeof prof, "%s.profiles/tuning%%2Ffile-blocking.callgrind", out);
    cr_expect(nonempty(prof), "%s", prof);
    cr_expect_eq(files_named("pacer-profile-"), 0, "a server's profile left behind");

    o = run_pacer("show", "--profile", out);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "tuning/hello: "), "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "microseconds a request"), "%s", o.stdout_s);
    {
        /* the blocking read is at the top of the blocking scenario: the
         * first row under its header */
        const char *fb = strstr(o.stdout_s, "tuning/file-blocking: ");
        char top[512] = "";
        cr_assert_not_null(fb, "%s", o.stdout_s);
        fb = strchr(strchr(fb, '\n') + 1, '\n') + 1;
        snprintf(top, sizeof top, "%.*s", (int)strcspn(fb, "\n"), fb);
        cr_expect(strstr(top, "slow_read") || strstr(top, "sleep"), "%s", o.stdout_s);
    }
    out_free(&o);

    /* the pair, by scenario name: slow_read is what file-blocking adds */
    o = run_pacer("show", "--profile", "--diff", "hello", "file-blocking", out);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "tuning/hello -> tuning/file-blocking (microseconds "
                                          "a request"), "%s", o.stdout_s);
    {
        const char *at = strstr(o.stdout_s, "slow_read (aio.py:");
        cr_expect(at && !strncmp(at + strcspn(at, ")"), ") new", 5), "%s", o.stdout_s);
    }
    cr_expect_not_null(strstr(o.stdout_s, "differential flame graph: "), "%s", o.stdout_s);
    out_free(&o);
    snprintf(prof, sizeof prof, "%s.profiles/tuning%%2Ffile-blocking.diff.svg", out);
    cr_expect(nonempty(prof), "%s", prof);

    /* by full names, the other way: it is gone */
    o = run_pacer("show", out, "--diff", "tuning/file-blocking", "tuning/hello", "--profile");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    {
        const char *at = strstr(o.stdout_s, "slow_read (aio.py:");
        cr_expect(at && !strncmp(at + strcspn(at, ")"), ") gone", 6), "%s", o.stdout_s);
    }
    out_free(&o);

    /* a name that is only part of a part pairs nothing */
    o = run_pacer("show", "--diff", "file", "hello", out);
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "--diff file hello: no pair of benchmarks with "
                                          "profiles"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("show", "--diff", "hello", out);
    cr_expect_eq(o.code, 2);
    out_free(&o);
}

/* A Python target without the profiler (it ignores PACER_PROFILE): said,
 * never sent SIGUSR1 (which would end it: its benchmark would fail). */
Test(loadprof, python_without_profiler_left_alone)
{
    const char *suite = tmp_path("s.json"), *out = tmp_path("r.json");
    struct out o;

    write_suite(suite,
                "\"command\": [\"{python}\", \"-m\", \"http.server\", \"--bind\", "
                "\"127.0.0.1\", \"{port}\"], \"ready\": {\"tcp\": true}",
                "plain:/");
    o = run_pacer("run", suite, "--profile", "--out", out);
    cr_assert_eq(o.code, 0, "%s%s", o.stdout_s, o.stderr_s);
    cr_expect_not_null(strstr(o.stderr_s, "pacer: warning: tuning/plain: no profile of its "
                                          "target: process "), "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stderr_s, "is Python without its profiler"), "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "tuning/plain"), "%s", o.stdout_s);
    cr_expect_null(strstr(o.stdout_s, "failed"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("show", "--profile", out);
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "no profiles beside it"), "%s", o.stderr_s);
    out_free(&o);
}

/* A native target (testsrv) where perf does not run (none on PATH): one
 * line, and the benchmark stands; where perf runs, its profile is kept
 * or it says it caught no samples. */
Test(loadprof, native_target_without_perf)
{
    const char *suite = tmp_path("s.json"), *out = tmp_path("r.json");
    const char *path = getenv("PATH");
    char *saved = xstrdup(path ? path : "/usr/bin:/bin"), *w;
    struct out o;
    size_t n = 0;

    write_suite(suite,
                "\"command\": [\"{build}/suites/targets/testsrv\", \"--port\", \"{port}\"], "
                "\"ready\": {\"tcp\": true}",
                "native:/");
    setenv("PATH", tmp_dir(), 1);
    o = run_pacer("run", suite, "--profile", "--out", out);
    setenv("PATH", saved, 1);
    cr_assert_eq(o.code, 0, "%s%s", o.stdout_s, o.stderr_s);
    cr_expect_not_null(strstr(o.stderr_s, "pacer: warning: tuning/native: no profile of its "
                                          "target: process "), "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stderr_s, "perf does not run here"), "%s", o.stderr_s);
    for (w = o.stderr_s; (w = strstr(w, "no profile of its target")); w++)
        n++;
    cr_expect_eq(n, 1, "said once: %s", o.stderr_s);
    cr_expect_null(strstr(o.stdout_s, "failed"), "%s", o.stdout_s);
    out_free(&o);

    if (system("perf record -q -e cpu-clock -o /dev/null -- true >/dev/null 2>&1") == 0) {
        char prof[600];
        o = run_pacer("run", suite, "--profile", "--out", out, "-q");
        cr_assert_eq(o.code, 0, "%s%s", o.stdout_s, o.stderr_s);
        snprintf(prof, sizeof prof, "%s.profiles/tuning%%2Fnative.callgrind", out);
        cr_expect(nonempty(prof) || strstr(o.stderr_s, "perf recorded no samples"), "%s",
                  o.stderr_s);
        out_free(&o);
    }
    free(saved);
}

Test(loadprof, profile_kind_checked)
{
    struct out o = run_pacer("run", "--profile=cprofile", "x.json", "--out", "r.json");

    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "--profile: 'cprofile' is not sample or yappi"), "%s",
                       o.stderr_s);
    out_free(&o);
}
