/*
 * test_loadseg.c: pacer load split over generators (harness/cli/loadseg.c)
 * as a launcher runs it: two segments against build/suites/targets/testsrv
 * on loopback started together at one --start-at, and bad values refused
 * before anything is sent; --out's %t and %j.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static char pacer[512];
static struct srv srv;

static void init(void)
{
    build_path(pacer, sizeof pacer, "pacer");
    tmp_setup();
}

static void fini(void)
{
    srv_stop(&srv);
    tmp_teardown();
}

TestSuite(loadseg, .init = init, .fini = fini, .timeout = 60);

/* pacer load as segment seg with its stdout into the file out: its pid. */
static pid_t start_segment(const char *url, const char *seg, const char *at, const char *res,
                           const char *out)
{
    pid_t pid = fork();

    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0)
            _exit(127);
        execl(pacer, pacer, "load", url, "-c", "4", "-t", "1", "-d", "300ms", "--segment",
              seg, "--start-at", at, "--run-id", "r1", "--out", res, "-q", (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* The segment's summary line checked: its share and a start within 50 ms. */
static void check_segment(const char *out, const char *res, unsigned i, const char *at)
{
    char *text = slurp(out, NULL), want[160];
    const char *p;
    double lag;
    json_t *r;

    cr_assert(text);
    snprintf(want, sizeof want, "segment %u/2 of run r1: 2 of 4 connections; started ", i);
    p = strstr(text, want);
    cr_assert(p, "%s", text);
    cr_assert_eq(sscanf(p + strlen(want), "%lf ms after ", &lag), 1, "%s", text);
    cr_assert(lag >= 0 && lag < 50, "segment %u began %.1f ms late", i, lag);
    cr_assert(strstr(p, at) || strstr(p, "after 20"), "%s", text);
    r = load_json(res);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(json_array_get(
                     json_object_get(json_array_get(json_object_get(r, "benchmarks"), 0),
                                     "load"), 0), "settings"), "connections")), 2);
    json_decref(r);
    free(text);
}

/* Two segments forked together, one agreed start 1.5 s ahead: each ran
 * half the connections and began on time. */
Test(loadseg, two_segments_start_together)
{
    const char *args[] = {"--mode", "ok", NULL};
    char url[64], at[64];
    pid_t a, b;
    int st;

    srv = srv_start(args);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", srv.port);
    iso_ahead(at, sizeof at, 1500);
    a = start_segment(url, "1/2", at, tmp_path("s1.json"), tmp_path("o1.txt"));
    b = start_segment(url, "2/2", at, tmp_path("s2.json"), tmp_path("o2.txt"));
    cr_assert_eq(waitpid(a, &st, 0), a);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "segment 1: %d", st);
    cr_assert_eq(waitpid(b, &st, 0), b);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "segment 2: %d", st);
    check_segment(tmp_path("o1.txt"), tmp_path("s1.json"), 1, at);
    check_segment(tmp_path("o2.txt"), tmp_path("s2.json"), 2, at);
    /* their files carry the segment record, and pacer merge adds them up */
    {
        const char *m[] = {"merge", tmp_path("m.json"), tmp_path("s1.json"),
                           tmp_path("s2.json"), NULL};
        struct out o = pacer_exec(pacer, 0, m);
        json_t *r1 = load_json(tmp_path("s1.json")), *r2 = load_json(tmp_path("s2.json"));
        json_t *rm = load_json(tmp_path("m.json"));
        double n1, n2, nm;
        cr_assert_eq(o.code, 0, "%s%s", o.stdout_s, o.stderr_s);
        cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r1, "segment"),
                                                           "run_id")),
                         json_string_value(json_object_get(json_object_get(r2, "segment"),
                                                           "run_id")));
        n1 = json_number_value(json_object_get(json_array_get(json_object_get(
                 json_array_get(json_object_get(r1, "benchmarks"), 0), "load"), 0), "requests"));
        n2 = json_number_value(json_object_get(json_array_get(json_object_get(
                 json_array_get(json_object_get(r2, "benchmarks"), 0), "load"), 0), "requests"));
        nm = json_number_value(json_object_get(json_array_get(json_object_get(
                 json_array_get(json_object_get(rm, "benchmarks"), 0), "load"), 0), "requests"));
        cr_assert(n1 > 0 && n2 > 0);
        cr_assert_eq(nm, n1 + n2, "merged %g, segments %g + %g", nm, n1, n2);
        json_decref(r1);
        json_decref(r2);
        json_decref(rm);
        out_free(&o);
    }
}

/* Bad values: one line naming the option, value and cause, exit 2, and
 * nothing run (no server is there to load). */
Test(loadseg, bad_values_refused)
{
    static const struct { const char *opt, *val, *msg; } cases[] = {
        {"--start-at", "tomorrow", "pacer: load: --start-at 'tomorrow': not a UTC time"},
        {"--start-at", "2026-12-07T03:30:00", "--start-at '2026-12-07T03:30:00': not a UTC"},
        {"--start-at", "2001-01-01T00:00:00Z", "past by more than 1 s"},
        {"--start-at", "+30h", "more than 24 h ahead"},
        {"--start-at", "+x", "--start-at '+x': not a duration after +"},
        {"--segment", "5/4", "pacer: load: --segment '5/4': the index must be from 1 to 4"},
        {"--segment", "3/4", "pacer: load: --segment 3/4: 2 connections cannot be split 4"},
        {"--segment", "auto", "--segment auto: neither SLURM_PROCID"},
        {"--segments", "2", "--segments 2: only with --segment auto"},
    };
    size_t k;

    unsetenv("SLURM_PROCID");
    unsetenv("SLURM_NTASKS");
    unsetenv("JOB_COMPLETION_INDEX");
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *a[] = {"load", "http://127.0.0.1:1/", "-c", "2", cases[k].opt,
                           cases[k].val, NULL};
        struct out o = pacer_exec(pacer, 0, a);
        cr_assert_eq(o.code, 2, "%s %s: %d %s", cases[k].opt, cases[k].val, o.code, o.stderr_s);
        cr_assert(strstr(o.stderr_s, cases[k].msg), "%s", o.stderr_s);
        cr_assert_eq(strchr(o.stderr_s, '\n') - o.stderr_s + 1, (long)strlen(o.stderr_s),
                     "one line: %s", o.stderr_s);
        cr_assert_str_eq(o.stdout_s, "");
        out_free(&o);
    }
}

/* Ctrl-C while waiting for --start-at: exit 3, nothing kept. */
Test(loadseg, interrupted_while_waiting)
{
    const char *a[] = {"load", "http://127.0.0.1:1/", "--start-at", "+20s", "--out",
                       tmp_path("never.json"), "-q", NULL};
    /* Ctrl-C at 3 s: by then it waits (its preparation, the context read
     * with git and /proc, took over 600 ms in a busy CI) */
    struct out o = pacer_exec(pacer, 3000, a);

    cr_assert_eq(o.code, 3, "%d %s", o.code, o.stderr_s);
    cr_assert(!exists(tmp_path("never.json")));
    cr_assert(strstr(o.stderr_s, "--start-at +20s is 20"), "%s", o.stderr_s);
    out_free(&o);
}

/* --out with a segment: %t is the segment from 0 (SLURM_PROCID under
 * srun, which expands %t only in its own file names), %j the run id
 * (SLURM_JOB_ID), %% a %; another escape is refused before the wait. */
Test(loadseg, out_pattern_per_segment)
{
    const char *args[] = {"--mode", "ok", NULL};
    char url[64], pat[512], want[512];
    struct out o;

    srv = srv_start(args);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", srv.port);
    snprintf(pat, sizeof pat, "%s/seg-%%t-%%j-%%%%.json", tmp_dir());
    snprintf(want, sizeof want, "%s/seg-1-77-%%.json", tmp_dir());
    setenv("SLURM_PROCID", "1", 1);
    setenv("SLURM_NTASKS", "2", 1);
    setenv("SLURM_JOB_ID", "77", 1);
    {
        const char *a[] = {"load", url, "-c", "2", "-t", "1", "-d", "200ms", "--warmup", "0",
                           "--segment", "auto", "--out", pat, "-q", NULL};
        o = pacer_exec(pacer, 0, a);
    }
    cr_assert_eq(o.code, 0, "%d %s", o.code, o.stderr_s);
    cr_assert(nonempty(want), "no %s", want);
    out_free(&o);
    {
        const char *a[] = {"load", url, "--segment", "1/2", "--start-at", "+20s", "--out",
                           tmp_path("x-%q.json"), "-q", NULL};
        time_t t0 = time(NULL);
        o = pacer_exec(pacer, 0, a);
        cr_assert_eq(o.code, 2, "%d %s", o.code, o.stderr_s);
        cr_assert(strstr(o.stderr_s, "%q is not %t (the segment from 0), %j (the run id) or %%"),
                  "%s", o.stderr_s);
        cr_assert_lt(time(NULL) - t0, 10, "refused only after the wait");
    }
    out_free(&o);
}
