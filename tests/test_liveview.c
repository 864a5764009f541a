/*
 * test_liveview.c: the live view of `pacer load` (harness/cli/liveview.c)
 * as a user sees it: the pacer binary against testsrv on loopback; one
 * line a second appended with --progress when stderr is not a terminal,
 * none without it or with -q, and on a terminal (a pty) lines replaced in
 * place.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "helpers.h"

static struct srv srv;
static char url[64];

static void init(void)
{
    const char *args[] = {"--mode", "ok", NULL};

    srv = srv_start(args);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", srv.port);
    if (!getenv("PACER_BUILD") || !*getenv("PACER_BUILD"))
        setenv("PACER_BUILD", "build", 1);   /* the suite names {build} */
    tmp_setup();
}

static void fini(void)
{
    srv_stop(&srv);
    tmp_teardown();
}

TestSuite(liveview, .init = init, .fini = fini, .timeout = 60);

/* The live lines in text (separated by \n or \r), their number; the
 * smallest req/s any of them shows into *min_rps. */
static int live_lines(const char *text, double *min_rps)
{
    const char *p = text;
    int n = 0;

    *min_rps = 1e300;
    while ((p = strstr(p, " req/s"))) {
        const char *q = p;
        while (q > text && q[-1] != ' ')
            q--;
        if (atof(q) < *min_rps)
            *min_rps = atof(q);
        n++;
        p++;
    }
    return n;
}

Test(liveview, progress_appends_a_line_a_second_off_a_terminal)
{
    struct out o = run_pacer("load", url, "-c", "2", "-d", "3s", "--progress");
    double rps;
    int n = live_lines(o.stderr_s, &rps);

    cr_assert(o.code == 0 || o.code == 3, "%s", o.stderr_s);   /* 3: a busy machine */
    cr_assert_geq(n, 2, "%d lines: %s", n, o.stderr_s);
    cr_assert_leq(n, 3, "%s", o.stderr_s);
    cr_assert_gt(rps, 100, "a line with %g req/s: %s", rps, o.stderr_s);
    cr_assert(strstr(o.stderr_s, "     1s  users 2  "), "%s", o.stderr_s);
    cr_assert(strstr(o.stderr_s, "p99 "), "%s", o.stderr_s);
    cr_assert(strstr(o.stderr_s, "errors 0\n"), "%s", o.stderr_s);
    cr_assert_null(strchr(o.stderr_s, '\r'), "appended, not replaced: %s", o.stderr_s);
    cr_assert_null(strstr(o.stdout_s, "req/s"), "the view is on stderr only");
    out_free(&o);
}

Test(liveview, nothing_off_a_terminal_by_default_or_with_quiet)
{
    struct out o = run_pacer("load", url, "-c", "2", "-d", "2s");
    double rps;

    cr_assert(o.code == 0 || o.code == 3, "%s", o.stderr_s);   /* 3: a busy machine */
    cr_assert_eq(live_lines(o.stderr_s, &rps), 0, "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("load", url, "-c", "2", "-d", "2s", "--progress", "-q");
    cr_assert(o.code == 0 || o.code == 3, "%s", o.stderr_s);   /* 3: a busy machine */
    cr_assert_eq(live_lines(o.stderr_s, &rps), 0, "%s", o.stderr_s);
    out_free(&o);
}

/* The rate stages show the rate sent beside the rate asked. */
Test(liveview, rate_stages_show_the_rate)
{
    struct out o = run_pacer("load", url, "--rate-stages", "1s:200,2s:200", "--progress");

    cr_assert(o.code == 0 || o.code == 3, "%s%s", o.stdout_s, o.stderr_s);   /* 3: a busy machine */
    cr_assert(strstr(o.stderr_s, "     1s  rate "), "%s", o.stderr_s);
    cr_assert(strstr(o.stderr_s, "/s of 100/s  "), "%s", o.stderr_s);
    cr_assert(strstr(o.stderr_s, "     3s  rate "), "%s", o.stderr_s);
    cr_assert(strstr(o.stderr_s, "/s of 200/s  "), "%s", o.stderr_s);
    out_free(&o);
}

/* All a pty's master side gives until the child is gone (read fails with
 * EIO then), as a new string. */
static char *pty_drain(int fd)
{
    char *s = NULL, buf[4096];
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    ssize_t r;

    while ((r = read(fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR))
        if (r > 0)
            fwrite(buf, 1, (size_t)r, f);
    fclose(f);
    return s;
}

/* bin with the arguments (NULL-terminated) on a new terminal: all it
 * wrote there; its exit status into *st. */
static char *pty_run(const char *const *argv, int *st)
{
    char *text;
    int fd;
    pid_t pid = forkpty(&fd, NULL, NULL, NULL);

    cr_assert_geq(pid, 0);
    if (pid == 0) {
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    text = pty_drain(fd);
    close(fd);
    waitpid(pid, st, 0);
    return text;
}

/* A suite's load scenario in stages, run by `pacer run` on a terminal:
 * its live view shows the rate asked, in place, and its result keeps the
 * shape. */
Test(liveview, suite_scenario_on_a_terminal)
{
    const char *path = tmp_path("staged.json"), *res = tmp_path("staged-result.json");
    char bin[512], *text, *p;
    int st, n = 0;
    FILE *f = fopen(path, "w");
    json_t *r;

    cr_assert_not_null(f);
    fprintf(f, "{\"name\": \"live\", \"targets\": [{\"name\": \"srv\", \"command\": "
               "\"{build}/suites/targets/testsrv --port {port} --max-time 60s\", "
               "\"ready\": {\"tcp\": true}}],\n"
               " \"scenarios\": [{\"name\": \"ramp\", \"url\": \"http://127.0.0.1:{port}/\", "
               "\"repetitions\": 1, \"rate_stages\": [{\"duration\": \"1s\", \"target\": 100}, "
               "{\"duration\": \"2s\", \"target\": 100}]}]}\n");
    fclose(f);
    build_path(bin, sizeof bin, "pacer");
    {
        const char *argv[] = {bin, "run", path, "--out", res, NULL};
        text = pty_run(argv, &st);
    }
    cr_assert(WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 3), "%s", text);
    for (p = text; (p = strstr(p, "\r     ")); p++)
        n += strstr(p, "/s of 100/s") != NULL;
    cr_assert_geq(n, 2, "%d lines in place: %s", n, text);
    r = json_load_file(res, 0, NULL);
    cr_assert_not_null(r);
    json_decref(r);
    free(text);
}

/* On a terminal the line is replaced in place: each starts with \r and
 * ends by clearing to the end of the line, and the last is cleared before
 * the summary. */
Test(liveview, terminal_lines_are_replaced_in_place)
{
    char bin[512], *text, *p;
    int fd, st, n = 0;
    pid_t pid;

    build_path(bin, sizeof bin, "pacer");
    pid = forkpty(&fd, NULL, NULL, NULL);
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        execl(bin, bin, "load", url, "-c", "2", "-d", "3s", (char *)NULL);
        _exit(127);
    }
    text = pty_drain(fd);
    close(fd);
    waitpid(pid, &st, 0);
    cr_assert(WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 3), "%s", text);
    for (p = text; (p = strstr(p, "\r     ")); p++) {
        cr_assert(strstr(p, "req/s"), "%s", text);
        n++;
    }
    cr_assert_geq(n, 2, "%d lines in place: %s", n, text);
    cr_assert(strstr(text, "errors 0\033[K"), "%s", text);
    cr_assert(strstr(text, "\r\033[K"), "the last line is cleared: %s", text);
    cr_assert(strstr(text, "closed loop, 2 connections"), "%s", text);
    free(text);
}

/* Failed checks of flows are shown once there are any: a check that can
 * never hold (testsrv answers "hello, world") fails on every answer. */
Test(liveview, failed_checks_are_shown)
{
    const char *flow = tmp_path("flow.json");
    struct out o;

    write_file(flow, "{\"flows\": [{\"name\": \"f\", \"steps\": [{\"name\": \"a\", \"path\": \"/\", "
                     "\"checks\": [{\"contains\": \"nope\"}]}]}]}");
    o = run_pacer("load", url, "--flow", flow, "-c", "2", "-d", "2s", "--progress");
    cr_assert(o.code == 0 || o.code == 3, "%s", o.stderr_s);   /* 3: a busy machine */
    cr_assert(strstr(o.stderr_s, "  checks failed "), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("load", url, "-c", "2", "-d", "1s", "--progress");
    cr_assert_null(strstr(o.stderr_s, "checks failed"), "none without flows: %s", o.stderr_s);
    out_free(&o);
}
