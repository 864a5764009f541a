/*
 * test_launch.c: targets that need other targets (launch.c), end to end
 * through `pacer run` on suites written here: the needs start first, each
 * on its own port, which the target that needs them is given as
 * {port:NAME}; files are written into the start's {tmp} folder, which is
 * gone afterwards; a need that fails is the benchmark's error and its
 * target never starts; a need whose port is taken under it is started
 * again on another; a program that is not installed is named with its
 * Debian package.  Then the real thing: redis-server behind the asyncio
 * app (suites/targets/aio.py), after a success, a failure and a Ctrl-C no
 * process of theirs is left.  Every target carries a mark in its
 * environment (PACER_TEST_MARK) that whatever it starts inherits: a
 * process alive with the mark after pacer ended is an orphan.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static char testsrv[512], mark[128], aio[4096];

static void init(void)
{
    const char *b = getenv("PACER_BUILD");
    char *a;

    if (!b || !*b)
        setenv("PACER_BUILD", "build", 1);
    build_path(testsrv, sizeof testsrv, "suites/targets/testsrv");
    tmp_setup();
    snprintf(mark, sizeof mark, "launch-%d-%ld", (int)getpid(), (long)random());
    a = realpath("suites/targets/aio.py", NULL);
    cr_assert_not_null(a, "run the tests from the source tree");
    snprintf(aio, sizeof aio, "%s", a);
    free(a);
}

TestSuite(launch, .init = init, .fini = tmp_teardown, .timeout = 120);

/* Live processes whose environment holds PACER_TEST_MARK=<mark>. */
static int marked(void)
{
    char want[200], path[300], buf[32768];
    struct dirent *de;
    DIR *d = opendir("/proc");
    int n = 0;

    cr_assert_not_null(d);
    snprintf(want, sizeof want, "PACER_TEST_MARK=%s", mark);
    while ((de = readdir(d))) {
        FILE *f;
        size_t len, i;
        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/environ", de->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        for (i = 0; i < len; i += strlen(buf + i) + 1)
            if (!strcmp(buf + i, want) && proc_alive((pid_t)atoi(de->d_name)))
                n++;
    }
    closedir(d);
    return n;
}

/* No marked process left, allowing a moment for the last to be reaped. */
static void assert_no_orphans(void)
{
    int i;

    for (i = 0; i < 40 && marked() > 0; i++)
        usleep(50000);
    cr_assert_eq(marked(), 0, "a target's process outlived pacer");
}

static char *read_line(const char *name)
{
    char path[512], *s;
    size_t len;

    snprintf(path, sizeof path, "%s/%s", tmp_dir(), name);
    if (!(s = slurp(path, &len)))
        return NULL;
    while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
        s[--len] = '\0';
    return s;
}

static void need_testsrv(void)
{
    if (access(testsrv, X_OK) != 0)
        cr_skip_test("%s is not built", testsrv);
}

/* The scenario every suite here runs: the target "front", briefly. */
#define FRONT_LOAD "\"scenarios\": [{\"name\": \"s\", \"target\": \"front\", " \
                   "\"url\": \"http://127.0.0.1:{port}/\", \"connections\": 2, " \
                   "\"threads\": 1, \"duration\": \"300ms\", \"repetitions\": 1}]}\n"

Test(launch, needs_start_first_and_are_handed_to_their_target)
{
    const char *path = tmp_path("needs.json"), *out = tmp_path("needs-out.json");
    char *own, *given, *cfg, tmpdir[4096];
    FILE *f = fopen(path, "w");
    struct out o;

    need_testsrv();
    cr_assert_not_null(f);
    fprintf(f,
            "{\"name\": \"n\", \"targets\": [\n"
            " {\"name\": \"back\", \"shell\": true, \"env\": {\"PACER_TEST_MARK\": \"%s\"},\n"
            "  \"command\": \"echo {port} > {suite_dir}/back.own; exec {build}/suites/targets/"
            "testsrv --port {port} --max-time 60s\"},\n"
            " {\"name\": \"front\", \"shell\": true, \"needs\": [\"back\"],\n"
            "  \"env\": {\"PACER_TEST_MARK\": \"%s\"},\n"
            "  \"files\": {\"front.cfg\": \"back={port:back} self={port} tmp={tmp}\\n\"},\n"
            "  \"command\": \"cp {tmp}/front.cfg {suite_dir}/front.seen; "
            "echo {port:back} > {suite_dir}/back.given; exec {build}/suites/targets/testsrv "
            "--port {port} --max-time 60s\"}],\n" FRONT_LOAD,
            mark, mark);
    fclose(f);
    o = run_pacer("run", path, "--out", out);
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    own = read_line("back.own");
    given = read_line("back.given");
    cfg = read_line("front.seen");
    cr_assert(own && given && cfg);
    cr_assert_str_eq(given, own, "front was given the port back was started on");
    cr_assert_eq(sscanf(cfg, "back=%*d self=%*d tmp=%4095s", tmpdir), 1, "%s", cfg);
    cr_assert(!strncmp(cfg + 5, own, strlen(own)) && cfg[5 + strlen(own)] == ' ', "%s", cfg);
    cr_assert(access(tmpdir, F_OK) != 0, "%s was not removed", tmpdir);
    assert_no_orphans();
    free(own);
    free(given);
    free(cfg);
    out_free(&o);
}

Test(launch, a_need_that_fails_is_the_error_and_its_target_never_starts)
{
    const char *path = tmp_path("fail.json"), *out = tmp_path("fail-out.json");
    FILE *f = fopen(path, "w");
    json_t *r, *b;
    struct out o;

    cr_assert_not_null(f);
    fprintf(f,
            "{\"name\": \"n\", \"targets\": [\n"
            " {\"name\": \"back\", \"shell\": true, \"env\": {\"PACER_TEST_MARK\": \"%s\"},\n"
            "  \"command\": \"echo no store here >&2; exit 7\"},\n"
            " {\"name\": \"front\", \"shell\": true, \"needs\": [\"back\"],\n"
            "  \"command\": \"touch {suite_dir}/front.started; exec sleep 30\"}],\n" FRONT_LOAD,
            mark);
    fclose(f);
    o = run_pacer("run", path, "--out", out);
    cr_assert_eq(o.code, 3, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    r = load_json(out);
    b = json_array_get(json_object_get(r, "benchmarks"), 0);
    cr_assert_not_null(strstr(json_string_value(json_object_get(json_object_get(b, "error"),
                                                                "message")),
                              "target back: exited with status 7 before it was ready"),
                       "%s", o.stdout_s);
    cr_assert_not_null(strstr(json_dumps(b, 0), "no store here"), "the need's stderr tail");
    cr_assert_not(exists(tmp_path("front.started")), "front started without what it needs");
    assert_no_orphans();
    json_decref(r);
    out_free(&o);
}

Test(launch, a_program_not_installed_names_its_package)
{
    const char *path = tmp_path("pkg.json"), *out = tmp_path("pkg-out.json");
    struct out o;

    write_file(path, "{\"name\": \"n\", \"targets\": [\n"
                     " {\"name\": \"back\", \"package\": \"no-such-package\",\n"
                     "  \"command\": [\"no-such-program-pacer\", \"--port\", \"{port}\"]},\n"
                     " {\"name\": \"front\", \"needs\": [\"back\"], \"command\": [\"true\"]}],\n"
                     FRONT_LOAD);
    o = run_pacer("run", path, "--out", out);
    cr_assert_eq(o.code, 3);
    cr_assert_not_null(strstr(o.stdout_s, "target back: cannot run no-such-program-pacer: No "
                                          "such file or directory (install the Debian package "
                                          "no-such-package)"),
                       "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    out_free(&o);
}

/* The port pacer chose for a need is taken by another program before the
 * need binds it (its first start holds the port with a socket bound and
 * not listening, then exits 1): the need is started again on another
 * port, with a warning, and the benchmark runs. */
Test(launch, a_port_taken_under_a_need_is_chosen_again)
{
    const char *path = tmp_path("race.json"), *out = tmp_path("race-out.json");
    FILE *f = fopen(path, "w");
    struct out o;

    need_testsrv();
    cr_assert_not_null(f);
    fprintf(f,
            "{\"name\": \"n\", \"targets\": [\n"
            " {\"name\": \"back\", \"shell\": true, \"env\": {\"PACER_TEST_MARK\": \"%s\"},\n"
            "  \"command\": \"if [ -e {suite_dir}/race.flag ]; then exec "
            "{build}/suites/targets/testsrv --port {port} --max-time 60s; fi; "
            "touch {suite_dir}/race.flag; /usr/bin/python3 -c 'import socket, time; "
            "s = socket.socket(); s.bind((\\\"127.0.0.1\\\", {port})); time.sleep(3)' & "
            "sleep 0.5; exit 1\",\n"
            "  \"ready_timeout\": \"5s\", \"stop_timeout\": \"2s\"},\n"
            " {\"name\": \"front\", \"needs\": [\"back\"], \"env\": {\"PACER_TEST_MARK\": \"%s\"},\n"
            "  \"command\": [\"{build}/suites/targets/testsrv\", \"--port\", \"{port}\", "
            "\"--max-time\", \"60s\"]}],\n" FRONT_LOAD,
            mark, mark);
    fclose(f);
    o = run_pacer("run", path, "--out", out);
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stderr_s, "target back: port "), "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stderr_s, "was taken before it could bind it; starting it "
                                          "again on another port"), "%s", o.stderr_s);
    assert_no_orphans();
    out_free(&o);
}

/* A Python package that is missing is named, with its Debian package, in
 * one line, by the asyncio app's import of it. */
Test(launch, a_python_package_not_installed_names_its_package)
{
    char line[1024];

    sh_line(line, sizeof line,
            "cd suites/targets && /usr/bin/python3 -c 'import aio_backend; "
            "aio_backend.need(\"no_such_module_pacer\", \"python3-no-such\")' "
            ">%s 2>&1; echo $?", tmp_path("need.txt"));
    cr_assert_str_eq(line, "3");
    sh_line(line, sizeof line, "cat %s", tmp_path("need.txt"));
    cr_assert_not_null(strstr(line, "aio.py: cannot import no_such_module_pacer (No module "
                                    "named 'no_such_module_pacer'): install the Debian "
                                    "package python3-no-such"),
                       "%s", line);
}

/* The suite of the asyncio app and its store, as suites/macro has it:
 * redis-server with its config in {tmp}, the app on redis.asyncio. */
static const char *store_suite(const char *name, const char *app_extra, const char *duration)
{
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f);
    fprintf(f,
            "{\"name\": \"store\", \"targets\": [\n"
            " {\"name\": \"redis\", \"package\": \"redis-server\",\n"
            "  \"env\": {\"PACER_TEST_MARK\": \"%s\"},\n"
            "  \"command\": [\"redis-server\", \"{tmp}/redis.conf\"],\n"
            "  \"files\": {\"redis.conf\": \"port {port}\\nbind 127.0.0.1\\nsave \\\"\\\"\\n"
            "appendonly no\\ndir {tmp}\\n\"}},\n"
            " {\"name\": \"app\", \"needs\": [\"redis\"], \"env\": {\"PACER_TEST_MARK\": \"%s\"},\n"
            "  \"command\": [\"{python}\", \"%s\", \"--port\", \"{port}\", \"--redis\", "
            "\"{port:redis}\"%s],\n"
            "  \"ready\": {\"http\": \"/hello\"}, \"ready_timeout\": \"20s\"}],\n"
            " \"scenarios\": [{\"name\": \"counter\", \"target\": \"app\",\n"
            "  \"url\": \"http://127.0.0.1:{port}/counter\", \"connections\": 4, "
            "\"threads\": 1, \"duration\": \"%s\", \"repetitions\": 1}]}\n",
            mark, mark, aio, app_extra, duration);
    fclose(f);
    return path;
}

static void need_store(void)
{
    if (system("command -v redis-server >/dev/null && /usr/bin/python3 -c 'import redis, "
               "aiohttp' 2>/dev/null") != 0)
        cr_skip_test("redis-server or python3-redis is not installed");
}

Test(launch, redis_behind_the_app_and_nothing_left_after_a_success)
{
    const char *out = tmp_path("store-ok.json");
    json_t *r, *b;
    struct out o;

    need_store();
    o = run_pacer("run", store_suite("store-ok-suite.json", "", "1s"), "--out", out);
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    r = load_json(out);
    b = json_array_get(json_object_get(r, "benchmarks"), 0);
    cr_assert(!json_is_object(json_object_get(b, "error")), "%s", o.stdout_s);
    cr_assert_gt(json_number_value(json_object_get(json_object_get(b, "stats"), "median")), 50,
                 "the app answered through redis");
    /* redis is monitored beside the app, and the app's connections to it
     * are counted */
    {
        json_t *mon = json_object_get(json_array_get(json_object_get(b, "load"), 0), "monitor");
        json_t *s, *row, *port;
        size_t i, k, m;
        int redis = 0, to_redis = 0;
        json_array_foreach(mon, i, s) {
            const char *label = json_string_value(json_object_get(s, "label"));
            if (label && !strcmp(label, "redis"))
                redis = 1;
            if (!label || strcmp(label, "server"))
                continue;
            json_array_foreach(json_object_get(json_object_get(s, "tcp"), "rows"), k, row)
                json_array_foreach(json_array_get(row, 3), m, port)
                    if (!strcmp(json_string_value(json_array_get(port, 0)), "out"))
                        to_redis = 1;
        }
        cr_assert(redis, "no series of redis in %s", json_dumps(mon, 0));
        cr_assert(to_redis, "no connection of the app to redis counted");
    }
    assert_no_orphans();
    json_decref(r);
    out_free(&o);
}

Test(launch, nothing_left_after_the_app_fails_to_start)
{
    const char *out = tmp_path("store-bad.json");
    struct out o;

    need_store();
    o = run_pacer("run", store_suite("store-bad-suite.json", ", \"--redis-pool\", \"x\"", "1s"),
                  "--out", out);
    cr_assert_eq(o.code, 3, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "target app: exited with status 2 before it was "
                                          "ready"), "%s", o.stdout_s);
    assert_no_orphans();
    out_free(&o);
}

Test(launch, nothing_left_after_ctrl_c)
{
    const char *out = tmp_path("store-int.json");
    struct out o;

    need_store();
    o = run_pacer_sig(3000, "run", store_suite("store-int-suite.json", "", "20s"), "--out", out);
    cr_assert_eq(o.code, 3, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    assert_no_orphans();
    out_free(&o);
}
