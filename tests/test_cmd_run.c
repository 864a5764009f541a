/*
 * test_cmd_run.c: `pacer run` as a user runs it (harness/cli/cmd_run.c):
 * its help and usage errors, a failing benchmark, command benchmarks, a suite file with
 * a typo, --out, --save and --format json, and Ctrl-C: exit codes, what
 * goes to stdout and stderr, and which files exist afterwards.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness/lib/clock.h"
#include "helpers.h"

TestSuite(cmd_run, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

Test(cmd_run, run_usage_errors)
{
    struct out o = run_pacer("run", "--help");

    cr_assert_eq(o.code, 0);
    cr_assert_not_null(strstr(o.stdout_s, "usage: pacer run"));
    out_free(&o);
    o = run_pacer("run");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: run: nothing to run: give a suite file, a suite binary "
                                 "or --cmd (see --help)\n");
    out_free(&o);
    o = run_pacer("run", "--samples", "many", "--cmd", "true");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: run: --samples: 'many' is not a count from 1 to 1000000\n");
    out_free(&o);
    o = run_pacer("run", "no/such/thing");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: run: no/such/thing: not a suite file (*.json), an "
                                 "executable suite binary nor a readable Python file (*.py)\n");
    out_free(&o);
    o = run_pacer("run", faulty_bin(), "--filter", "matches-nothing");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: run: no benchmark matches matches-nothing (searched in the "
                                 "names the binaries give; start it with ^ to match full "
                                 "names, as in '^suite/')\n");
    out_free(&o);
}

Test(cmd_run, failing_benchmark_gives_3_and_keeps_the_rest)
{
    const char *out = tmp_path("r.json");
    struct out o = run_pacer("run", faulty_bin(), "--filter", "^faulty/(ok|segv)$", "--samples",
                             "3", "--warmup", "1ms", "--sample-time", "1ms", "--out", out, "-q");
    json_t *j, *b;

    cr_assert_eq(o.code, 3, "stderr: %s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "faulty/ok"));
    cr_assert_not_null(strstr(o.stdout_s, "faulty/segv: killed by signal 11 (SIGSEGV)"));
    j = load_json(out);
    b = json_object_get(j, "benchmarks");
    cr_assert_eq(json_array_size(b), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(b, 0), "name")), "faulty/ok");
    cr_assert_eq(json_array_size(json_object_get(json_array_get(b, 0), "samples")), 3);
    cr_assert_eq(json_integer_value(json_object_get(
                     json_object_get(json_array_get(b, 1), "error"), "signal")), 11);
    json_decref(j);
    out_free(&o);
}

/* A benchmark that skips itself (pacer_skip: no AVX-512 here) is said and
 * stored as skipped, not failed: exit 0; compare calls it skipped and
 * exits 0 too. */
Test(cmd_run, an_expected_skip_is_not_a_failure)
{
    const char *out = tmp_path("skip.json");
    struct out o = run_pacer("run", faulty_bin(), "--filter", "^faulty/(ok|skipped)$",
                             "--samples", "3", "--warmup", "1ms", "--sample-time", "1ms",
                             "--out", out);
    json_t *j, *b;

    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "\n1 benchmark skipped:\n  faulty/skipped: no "
                                          "database here\n"), "%s", o.stdout_s);
    cr_assert_null(strstr(o.stdout_s, "failed"), "%s", o.stdout_s);
    j = load_json(out);
    b = json_array_get(json_object_get(j, "benchmarks"), 1);
    cr_assert_str_eq(json_string_value(json_object_get(b, "name")), "faulty/skipped");
    cr_assert_str_eq(json_string_value(json_object_get(b, "skipped")), "no database here");
    cr_assert(json_is_null(json_object_get(b, "error")));
    json_decref(j);
    out_free(&o);
    o = run_pacer("compare", out, out);
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "faulty/skipped: skipped in new: no database here"),
                       "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "1 skipped"), "%s", o.stdout_s);
    out_free(&o);
}

Test(cmd_run, unwritable_out_leaves_nothing)
{
    struct out o = run_pacer("run", "--cmd", "true", "--samples", "2", "--out",
                             "/nonexistent-dir/r.json", "-q");

    cr_assert_eq(o.code, 2);
    cr_assert_not_null(strstr(o.stderr_s, "/nonexistent-dir/r.json"));
    cr_assert(!exists("/nonexistent-dir/r.json"));
    out_free(&o);
}

Test(cmd_run, suite_with_a_typo)
{
    const char *suite = tmp_path("typo.json");
    FILE *f = fopen(suite, "w");
    struct out o;
    char want[512];

    fputs("{\"commands\": [{\"command\": \"true\", \"setings\": {}}]}\n", f);
    fclose(f);
    o = run_pacer("run", suite);
    cr_assert_eq(o.code, 2);
    snprintf(want, sizeof want,
             "pacer: %s: commands[0].setings: unknown field (did you mean \"settings\"?)\n", suite);
    cr_assert_str_eq(o.stderr_s, want);
    out_free(&o);
}

/* A k6 threshold in a load scenario is refused as the file is read, with
 * pacer's spelling, before the target starts (it would leave a file). */
Test(cmd_run, k6_threshold_refused_before_the_target_starts)
{
    const char *suite = tmp_path("k6.json"), *mark = tmp_path("started");
    struct out o;

    write_file(suite,
               "{\"name\": \"k6\", \"targets\": [{\"name\": \"srv\", \"shell\": true,\n"
               " \"command\": \"touch {suite_dir}/started; exec {build}/suites/targets/testsrv "
               "--port {port}\"}],\n"
               " \"scenarios\": [{\"name\": \"s\", \"url\": \"http://127.0.0.1:{port}/\",\n"
               " \"duration\": \"30s\", \"thresholds\": [\"http_req_duration: p(95)<200\"]}]}\n");
    o = run_pacer("run", suite, "-q");
    cr_assert_eq(o.code, 2, "%s%s", o.stdout_s, o.stderr_s);
    cr_assert(strstr(o.stderr_s, "scenarios[0].thresholds[0]: limit 'http_req_duration: "
                                 "p(95)<200': k6's spelling; pacer's is 'latency.p95 < 200ms'"),
              "%s", o.stderr_s);
    cr_assert_not(exists(mark), "the target was started");
    out_free(&o);
}

/* A load scenario's repetitions: each one's summary as it ends, then the
 * table across them (on stderr, beside the progress). */
Test(cmd_run, load_repetitions_summed_up)
{
    const char *suite = tmp_path("reps.json");
    struct out o;
    const char *t;

    write_file(suite,
               "{\"name\": \"reps\", \"targets\": [{\"name\": \"srv\", \"command\": "
               "[\"{build}/suites/targets/testsrv\", \"--port\", \"{port}\"]}],\n"
               " \"scenarios\": [{\"name\": \"s\", \"url\": \"http://127.0.0.1:{port}/\",\n"
               " \"connections\": 2, \"threads\": 1, \"duration\": \"200ms\", "
               "\"repetitions\": 3}]}\n");
    o = run_pacer("run", suite);
    cr_assert(o.code == 0 || o.code == 3, "%s%s", o.stdout_s, o.stderr_s);
    cr_assert(strstr(o.stderr_s, "reps/s: repetition 3/3\n"), "%s", o.stderr_s);
    t = strstr(o.stderr_s, "\nacross the 3 repetitions:\nrepetition ");
    cr_assert(t, "%s", o.stderr_s);
    cr_assert(strstr(t, "\n3 ") && strstr(t, "\nmedian ") && strstr(t, "\nmin..max "), "%s", t);
    out_free(&o);
}

Test(cmd_run, command_json_to_stdout)
{
    struct out o = run_pacer("run", "--cmd", "true", "-n", "noop", "--samples", "3", "--format",
                             "json", "-q");
    json_error_t je;
    json_t *j;

    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(j, "benchmarks"), 0), "name")),
                     "command/noop");
    json_decref(j);
    out_free(&o);
}

/* --processes spreads a command's runs over spells, one a round
 * (cmdbench.h): the result keeps each spell's count as a process's, and
 * the statistics are over all runs. */
Test(cmd_run, command_runs_spread_over_spells)
{
    struct out o = run_pacer("run", "--cmd", "true", "-n", "noop", "--samples", "7",
                             "--processes", "3", "--format", "json", "-q");
    json_error_t je;
    json_t *j, *b, *ps;

    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    b = json_array_get(json_object_get(j, "benchmarks"), 0);
    cr_assert_eq(json_integer_value(json_object_get(b, "processes")), 3);
    ps = json_object_get(b, "process_samples");
    cr_assert_eq(json_array_size(ps), 3, "%s", o.stdout_s);
    cr_assert_eq(json_integer_value(json_array_get(ps, 0)), 3);
    cr_assert_eq(json_integer_value(json_array_get(ps, 2)), 2);
    cr_assert_eq(json_array_size(json_object_get(b, "samples")), 7);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(b, "stats"), "n")), 7);
    json_decref(j);
    out_free(&o);
}

Test(cmd_run, save_names_the_file)
{
    const char *d = tmp_path("results");
    struct out o = run_pacer("run", "--cmd", "true", "--samples", "2", "--save", d);
    char *p;

    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    p = strstr(o.stderr_s, "result written to ");
    cr_assert_not_null(p, "%s", o.stderr_s);
    p += strlen("result written to ");
    p[strcspn(p, "\n")] = '\0';
    cr_assert(exists(p), "%s", p);
    cr_assert_eq(strncmp(p, d, strlen(d)), 0);
    out_free(&o);
}

Test(cmd_run, interrupt_writes_what_finished)
{
    const char *out = tmp_path("int.json");
    struct out o = run_pacer_sig(3000, "run", faulty_bin(), "--filter", "^faulty/(ok|hangs)$",
                                 "--samples", "3", "--warmup", "1ms", "--sample-time", "1ms",
                                 "--timeout", "50s", "--out", out, "-q");
    json_t *j;

    cr_assert_eq(o.code, 3, "stderr: %s", o.stderr_s);
    j = load_json(out);
    cr_assert(json_is_false(json_object_get(j, "complete")));
    cr_assert_eq(json_array_size(json_object_get(j, "benchmarks")), 2);
    json_decref(j);
    /* nothing left behind: no temporary file, no worker */
    cr_assert_not(dir_has_temp_file(tmp_dir()));
    cr_assert_eq(orphan_workers(faulty_bin()), 0);
    out_free(&o);
}

/* Ctrl-C of pacer ab keeps what finished too, marked incomplete, and
 * leaves nothing behind. */
Test(cmd_run, interrupted_ab_keeps_what_finished)
{
    const char *out = tmp_path("ab.json");
    struct out o = run_pacer_sig(3000, "ab", faulty_bin(), faulty_bin(), "--filter",
                                 "^faulty/(ok|hangs)$", "--timeout", "50s", "--out", out, "-q");
    json_t *j;

    cr_assert_eq(o.code, 3, "stderr: %s", o.stderr_s);
    cr_assert(strstr(o.stderr_s, "interrupted; the result holds what finished"), "%s",
              o.stderr_s);
    j = load_json(out);
    cr_assert(json_is_false(json_object_get(j, "complete")));
    json_decref(j);
    cr_assert_not(dir_has_temp_file(tmp_dir()));
    cr_assert_eq(orphan_workers(faulty_bin()), 0);
    out_free(&o);
}

/* Processes that carry the mark of a target of pacer process pid. */
static int marked_processes(pid_t pid)
{
    char want[64], path[300], buf[16384];
    struct dirent *de;
    DIR *d = opendir("/proc");
    int n = 0;

    cr_assert_not_null(d);
    snprintf(want, sizeof want, "PACER_TARGET=%d.", (int)pid);
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
        for (i = 0; i < len; i += strlen(buf + i) + 1) {
            buf[len] = '\0';
            if (!strncmp(buf + i, want, strlen(want)) && proc_alive((pid_t)atoi(de->d_name)))
                n++;
        }
    }
    closedir(d);
    return n;
}

/* The first Ctrl-C stops cleanly, which here means waiting for a target
 * that ignores SIGTERM (its stop timeout is 20 s); a second one ends pacer
 * at once, by the signal, and its target (and whatever carries its mark)
 * ends with it. */
Test(cmd_run, second_interrupt_ends_at_once)
{
    const char *suite = tmp_path("stubborn.json");
    char bin[512];
    pid_t pid;
    int st, i;
    uint64_t t1;

    build_path(bin, sizeof bin, "pacer");
    write_file(suite,
               "{\"name\": \"stubborn\", \"targets\": [{\"name\": \"srv\", \"shell\": true,\n"
               " \"command\": \"trap '' TERM; {build}/suites/targets/testsrv --port {port} & "
               "while :; do sleep 0.1; done\",\n"
               " \"ready\": {\"tcp\": true}, \"stop_timeout\": \"20s\"}],\n"
               " \"scenarios\": [{\"name\": \"s\", \"target\": \"srv\", "
               "\"url\": \"http://127.0.0.1:{port}/\", \"connections\": 2, \"threads\": 1,\n"
               " \"duration\": \"30s\", \"repetitions\": 1}]}\n");
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int dn = open("/dev/null", O_RDWR);
        dup2(dn, 1);
        dup2(dn, 2);
        execl(bin, bin, "run", suite, "-q", (char *)NULL);
        _exit(127);
    }
    for (i = 0; i < 100 && marked_processes(pid) < 2; i++)
        usleep(50000);   /* the target is up (sh and testsrv) */
    cr_assert_geq(marked_processes(pid), 2);
    usleep(500000);
    kill(pid, SIGINT);   /* stop: the load ends, the target is asked to */
    usleep(500000);
    cr_assert_eq(waitpid(pid, &st, WNOHANG), 0, "pacer ended after the first Ctrl-C");
    t1 = clock_now_ns();
    kill(pid, SIGINT);   /* again: at once */
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    cr_assert_lt(clock_now_ns() - t1, 2000000000ull, "the second Ctrl-C took %.1f s",
                 (double)(clock_now_ns() - t1) / 1e9);
    cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "status %#x", st);
    for (i = 0; i < 40 && marked_processes(pid) > 0; i++)
        usleep(50000);
    cr_assert_eq(marked_processes(pid), 0, "the target outlived pacer");
}

/* Two commands, as hyperfine shows them: mean +- sigma, min ... max, and
 * which one ran how many times faster. */
Test(cmd_run, commands_compared_as_hyperfine_does)
{
    struct out o = run_pacer("run", "--cmd", "true", "--cmd", "sleep 0.2", "--samples", "5",
                             "-q");
    const char *s;
    double times, pm;

    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "mean ± σ"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "min … max"), "%s", o.stdout_s);
    s = strstr(o.stdout_s, "\nsummary: 'true' ran\n  ");
    cr_assert_not_null(s, "%s", o.stdout_s);
    cr_assert_eq(sscanf(s + strlen("\nsummary: 'true' ran\n  "), "%lf ± %lf", &times, &pm), 2,
                 "%s", s);
    /* true takes about 1 ms, 30 under valgrind (--trace-children): the
     * sleep is 200 ms so that it is slower by far under both */
    cr_assert_gt(times, 2, "sleep 0.2 against true: %s", s);
    cr_assert_geq(pm, 0);
    cr_assert_not_null(strstr(s, " times faster than 'sleep 0.2'\n"), "%s", s);
    out_free(&o);
}

/* hyperfine's parameters: -P scans a range (-D its step), -L lists values;
 * each command holding {NAME} runs once per value (per combination with
 * several), named by what runs or by -n with NAME=value, the values kept
 * as the benchmark's parameters. */
Test(cmd_run, parameters_multiply_commands)
{
    const char *out = tmp_path("params.json");
    struct out o = run_pacer("run", "--cmd", "echo {w} {n}", "-n", "both", "--cmd", "echo {n}",
                             "-P", "n", "1", "3", "--cmd", "true", "-L", "w", "x,y",
                             "--samples", "2", "--out", out, "-q");
    /* -n names the first --cmd; the first parameter given varies fastest */
    const char *want[] = {"command/both/w=x/n=1", "command/both/w=y/n=1",
                          "command/both/w=x/n=2", "command/both/w=y/n=2",
                          "command/both/w=x/n=3", "command/both/w=y/n=3",
                          "command/echo 1", "command/echo 2", "command/echo 3", "command/true"};
    json_t *j, *b, *p;
    size_t i;

    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    out_free(&o);
    j = load_json(out);
    b = json_object_get(j, "benchmarks");
    cr_assert_eq(json_array_size(b), 10);
    for (i = 0; i < 10; i++)
        cr_expect_str_eq(json_string_value(json_object_get(json_array_get(b, i), "name")),
                         want[i]);
    p = json_object_get(json_array_get(b, 2), "params");
    cr_assert_eq(json_integer_value(json_object_get(p, "n")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(p, "w")), "x");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(b, 2),
                                                                       "source"), "command")),
                     "echo x 2");
    json_decref(j);

    o = run_pacer("run", "--cmd", "sleep {t}", "-P", "t", "0", "0.002", "-D", "0.001",
                  "--samples", "2", "-q");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "command/sleep 0.002"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("run", "--cmd", "true", "-P", "t", "3");
    cr_assert_eq(o.code, 2);
    cr_assert_not_null(strstr(o.stderr_s, "-P NAME MIN MAX"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("run", "--cmd", "true", "-P", "t", "3", "1");
    cr_assert_eq(o.code, 2);
    cr_assert_not_null(strstr(o.stderr_s, "MIN <= MAX"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("run", "--cmd", "true", "-D", "2");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: run: -D sets the step of -P\n");
    out_free(&o);
}

/* --format markdown: tables to paste, the commands' as hyperfine exports
 * them, names as code, failures and skips listed after. */
Test(cmd_run, markdown_tables)
{
    struct out o = run_pacer("run", faulty_bin(), "--filter", "^faulty/(ok|skipped|segv)$|^command/",
                             "--cmd", "true", "--cmd", "sleep 0.01", "--samples", "3",
                             "--sample-time", "1ms", "--warmup", "1ms", "--format", "markdown",
                             "-q");

    cr_assert_eq(o.code, 3, "stderr: %s", o.stderr_s);   /* segv failed */
    cr_assert(strncmp(o.stdout_s, "| benchmark | median | ±95% CI | CV | samples |\n"
                                  "|:---|---:|---:|---:|---:|\n| `faulty/ok` | ", 71) == 0,
              "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "\n| command | mean ± σ | min | max | relative |\n"),
                       "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "\n| `true` | "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, " | 1.00 |\n"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "\n- `faulty/segv` failed: killed by signal 11"), "%s",
                       o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "\n- `faulty/skipped` skipped: no database here\n"),
                       "%s", o.stdout_s);
    out_free(&o);
}

/* A suite's commands are separate benchmarks: no "ran ... times faster"
 * between them (hyperfine compares the commands it is given). */
Test(cmd_run, a_suites_commands_are_not_compared)
{
    const char *suite = tmp_path("cmds.json");
    struct out o;

    write_file(suite, "{\"name\": \"s\", \"commands\": [\n"
                      " {\"name\": \"a\", \"command\": [\"true\"], \"settings\": {\"samples\": 2}},\n"
                      " {\"name\": \"b\", \"command\": [\"sleep\", \"0.01\"], "
                      "\"settings\": {\"samples\": 2}}]}\n");
    o = run_pacer("run", suite, "-q");
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "mean ± σ"), "%s", o.stdout_s);
    cr_assert_null(strstr(o.stdout_s, "summary:"), "%s", o.stdout_s);
    out_free(&o);
}

/* User counters under pacer run: a column each in its table and in pacer
 * show's, and the result's benchmarks[].counters with their flags
 * (tests/fixtures/gbfeat.c: 3 items per 1 us iteration as a rate). */
Test(cmd_run, user_counters_as_columns)
{
    char bin[512];
    const char *out = tmp_path("uc.json");
    struct out o;
    json_t *j, *c;

    build_path(bin, sizeof bin, "tests/fixtures/gbfeat");
    o = run_pacer("run", bin, "--filter", "counted", "--samples", "3", "--warmup", "1ms",
                  "--sample-time", "1ms", "--out", out);
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "    items  per_op  plain\n"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "  3.00M/s    2.00   42.0\n"), "%s", o.stdout_s);
    j = load_json(out);
    c = json_object_get(json_array_get(json_object_get(j, "benchmarks"), 0), "counters");
    cr_assert_str_eq(json_string_value(json_array_get(
                         json_object_get(json_object_get(c, "items"), "flags"), 0)), "rate");
    cr_assert_eq(json_array_size(json_object_get(json_object_get(c, "plain"), "flags")), 0);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(c, "per_op"), "samples")), 3);
    json_decref(j);
    out_free(&o);
    o = run_pacer("show", out);
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "  3.00M/s    2.00   42.0\n"), "%s", o.stdout_s);
    out_free(&o);
}

/* pacer run of Google Benchmark's features: a complexity fit is printed
 * after its family's rows and stored as an object of its own (never a
 * benchmark compare would diff), user counters as columns; pacer show
 * prints both again from the file. */
Test(cmd_run, complexity_fits_and_counters)
{
    char bin[512];
    const char *out = tmp_path("cx.json");
    struct out o;
    json_t *j, *f;

    build_path(bin, sizeof bin, "tests/fixtures/gbfeat");
    o = run_pacer("run", bin, "--filter", "linear|counted", "--samples", "3", "--warmup", "1ms",
                  "--sample-time", "1ms", "--out", out);
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "\ngbfeat/linear/manual_time_BigO "), "%s",
                       o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, " 2.50 N "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "\ngbfeat/linear/manual_time_RMS "), "%s",
                       o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, " 3.00M/s"), "%s", o.stdout_s);
    j = load_json(out);
    cr_assert_eq(json_array_size(json_object_get(j, "benchmarks")), 5);
    f = json_array_get(json_object_get(j, "complexity"), 0);
    cr_assert_not_null(f);
    cr_assert_str_eq(json_string_value(json_object_get(f, "family")), "gbfeat/linear/manual_time");
    cr_assert_str_eq(json_string_value(json_object_get(f, "big_o")), "N");
    cr_assert_float_eq(json_number_value(json_object_get(f, "coefficient")), 2.5, 1e-9);
    cr_assert_lt(json_number_value(json_object_get(f, "rms")), 1e-6);
    cr_assert_eq(json_array_size(json_object_get(f, "benchmarks")), 4);
    cr_assert_float_eq(json_number_value(json_array_get(json_object_get(f, "n"), 3)), 1024, 0);
    json_decref(j);
    out_free(&o);
    o = run_pacer("show", out);
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "\ngbfeat/linear/manual_time_BigO "), "%s",
                       o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, " items"), "%s", o.stdout_s);
    out_free(&o);
    /* compare sees the benchmarks, not the fit */
    o = run_pacer("compare", out, out);
    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_null(strstr(o.stdout_s, "BigO"), "%s", o.stdout_s);
    out_free(&o);
}
