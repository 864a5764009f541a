/*
 * test_cli.c: the pacer binary as a user runs it (main.c, cmd_run.c,
 * cmd_show.c, cmd_env.c): exit codes, what goes to stdout and stderr, and
 * which files exist afterwards.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static char faulty[512];

static void init(void)
{
    build_path(faulty, sizeof faulty, "tests/fixtures/faulty");
    tmp_setup();
}

TestSuite(cli, .init = init, .fini = tmp_teardown, .timeout = 60);

Test(cli, usage_and_unknown_command)
{
    struct out o = run_pacer("--help");

    cr_assert_eq(o.code, 0);
    cr_assert_not_null(strstr(o.stdout_s, "run"));
    out_free(&o);
    o = run_pacer("fly");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: 'fly' is not a pacer command (see pacer --help)\n");
    out_free(&o);
    o = run_pacer("run", "--help");
    cr_assert_eq(o.code, 0);
    cr_assert_not_null(strstr(o.stdout_s, "usage: pacer run"));
    out_free(&o);
}

Test(cli, run_usage_errors)
{
    struct out o = run_pacer("run");

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
    cr_assert_str_eq(o.stderr_s, "pacer: run: no/such/thing: not a suite file (*.json) nor an "
                                 "executable suite binary\n");
    out_free(&o);
    o = run_pacer("run", faulty, "--filter", "matches-nothing");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: run: no benchmark matches matches-nothing\n");
    out_free(&o);
}

Test(cli, failing_benchmark_gives_3_and_keeps_the_rest)
{
    const char *out = tmp_path("r.json");
    struct out o = run_pacer("run", faulty, "--filter", "^faulty/(ok|segv)$", "--samples", "3",
                             "--warmup", "1ms", "--sample-time", "1ms", "--out", out, "-q");
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

Test(cli, run_show_roundtrip)
{
    const char *out = tmp_path("ok.json");
    struct out o = run_pacer("run", faulty, "--filter", "ok$", "--samples", "4", "--warmup", "1ms",
                             "--sample-time", "1ms", "--out", out, "-q");

    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    out_free(&o);
    o = run_pacer("show", out);
    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "faulty/ok"));
    cr_assert_not_null(strstr(o.stdout_s, "fingerprint"));
    out_free(&o);
}

Test(cli, show_rejects_truncated_file)
{
    const char *out = tmp_path("full.json"), *cut = tmp_path("cut.json");
    struct out o = run_pacer("run", "--cmd", "true", "--samples", "2", "--out", out, "-q");
    char buf[65536];
    FILE *f;
    size_t n;

    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    out_free(&o);
    f = fopen(out, "r");
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    f = fopen(cut, "w");
    fwrite(buf, 1, n / 2, f);
    fclose(f);
    o = run_pacer("show", cut);
    cr_assert_eq(o.code, 2);
    cr_assert_not_null(strstr(o.stderr_s, cut), "message names the file: %s", o.stderr_s);
    cr_assert_eq(strchr(o.stderr_s, '\n'), o.stderr_s + strlen(o.stderr_s) - 1,
                 "one line: %s", o.stderr_s);
    cr_assert_str_eq(o.stdout_s, "");
    out_free(&o);
}

Test(cli, unwritable_out_leaves_nothing)
{
    struct out o = run_pacer("run", "--cmd", "true", "--samples", "2", "--out",
                             "/nonexistent-dir/r.json", "-q");

    cr_assert_eq(o.code, 2);
    cr_assert_not_null(strstr(o.stderr_s, "/nonexistent-dir/r.json"));
    cr_assert(!exists("/nonexistent-dir/r.json"));
    out_free(&o);
}

Test(cli, suite_with_a_typo)
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

Test(cli, command_json_to_stdout)
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

Test(cli, save_names_the_file)
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

Test(cli, interrupt_writes_what_finished)
{
    const char *out = tmp_path("int.json");
    struct out o = run_pacer_sig(3000, "run", faulty, "--filter", "^faulty/(ok|hangs)$",
                                 "--samples", "3", "--warmup", "1ms", "--sample-time", "1ms",
                                 "--timeout", "50s", "--out", out, "-q");
    json_t *j;

    cr_assert_eq(o.code, 3, "stderr: %s", o.stderr_s);
    j = load_json(out);
    cr_assert(json_is_false(json_object_get(j, "complete")));
    cr_assert_eq(json_array_size(json_object_get(j, "benchmarks")), 2);
    json_decref(j);
    out_free(&o);
}

Test(cli, env_json)
{
    struct out o = run_pacer("env", "--format", "json");
    json_error_t je;
    json_t *j;

    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    cr_assert(json_is_string(json_object_get(j, "fingerprint")));
    json_decref(j);
    out_free(&o);
}

/* Every case in tests/data/compare/: base.json, new.json and expect (the
 * exit code, then the exact stderr, empty when none). */
Test(cli, compare_golden_cases)
{
    DIR *d = opendir("tests/data/compare");
    struct dirent *de;
    int n = 0;

    cr_assert_not_null(d);
    while ((de = readdir(d))) {
        char base[512], nw[512], ex[512], want_err[1024] = "", line[1024];
        int code;
        FILE *f;
        struct out o;
        if (de->d_name[0] == '.')
            continue;
        snprintf(base, sizeof base, "tests/data/compare/%s/base.json", de->d_name);
        snprintf(nw, sizeof nw, "tests/data/compare/%s/new.json", de->d_name);
        snprintf(ex, sizeof ex, "tests/data/compare/%s/expect", de->d_name);
        f = fopen(ex, "r");
        cr_assert_not_null(f, "%s", ex);
        cr_assert_eq(fscanf(f, "%d\n", &code), 1);
        if (fgets(line, sizeof line, f) && line[0] != '\n')
            snprintf(want_err, sizeof want_err, "%s", line);
        fclose(f);
        o = run_pacer("compare", base, nw, "--color", "never");
        cr_expect_eq(o.code, code, "%s: exit %d, want %d; stderr: %s", de->d_name, o.code, code,
                     o.stderr_s);
        cr_expect_str_eq(o.stderr_s, want_err, "%s", de->d_name);
        out_free(&o);
        n++;
    }
    closedir(d);
    cr_assert_geq(n, 9);
}

Test(cli, compare_strict_and_formats)
{
    const char *b = "tests/data/compare/one_side_only/base.json";
    const char *n = "tests/data/compare/one_side_only/new.json";
    struct out o = run_pacer("compare", b, n, "--strict");
    json_error_t je;
    json_t *j;

    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: compare: --strict: 1 benchmarks only in base, 1 only "
                                 "in new\n");
    out_free(&o);
    o = run_pacer("compare", b, n, "--format", "json");
    cr_assert_eq(o.code, 0);
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "counts"), "base only")), 1);
    json_decref(j);
    out_free(&o);
    o = run_pacer("compare", b, n, "--format", "markdown");
    cr_assert_eq(o.code, 0);
    cr_assert_not_null(strstr(o.stdout_s, "| `x` |"));
    out_free(&o);
    o = run_pacer("compare", b, n, "--format", "csv");
    cr_assert_eq(strncmp(o.stdout_s, "benchmark,unit,", 15), 0);
    out_free(&o);
    o = run_pacer("compare", b, n, "--format", "yaml");
    cr_assert_eq(o.code, 2);
    out_free(&o);
}

Test(cli, compare_limits_alone_and_imported)
{
    const char *g = "tests/data/import/good/gbench_reps.json";
    struct out o = run_pacer("compare", "tests/data/compare/unchanged/new.json", "--limit",
                             "x: median < 150ns");

    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_str_eq(o.stdout_s, "limits:\n  ok    x: 99.9023  x: median < 150ns\n");
    out_free(&o);
    o = run_pacer("compare", "tests/data/compare/unchanged/new.json", "--limit",
                  "x: median < 150ns", "--limit", "y: median < 150ns");
    cr_assert_eq(o.code, 1, "y's median is about 200 ns");
    cr_assert_not_null(strstr(o.stdout_s, "FAIL  y:"));
    out_free(&o);
    o = run_pacer("compare", "tests/data/compare/unchanged/new.json");
    cr_assert_eq(o.code, 2);
    out_free(&o);
    /* Google Benchmark JSON on both sides, as is; its BM_fails failed. */
    o = run_pacer("compare", g, g, "--color", "never");
    cr_assert_eq(o.code, 3, "%s", o.stderr_s);
    cr_assert_str_eq(o.stderr_s, "pacer: warning: BM_fails: base failed: resource not "
                                 "available\n");
    cr_assert_not_null(strstr(o.stdout_s, "BM_memcpy/64"));
    out_free(&o);
    o = run_pacer("compare", g, g, "--filter", "memcpy|copy", "--color", "never");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("show", g);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "BM_memcpy/64"));
    out_free(&o);
}

Test(cli, ab_pairs_two_builds)
{
    const char *out = tmp_path("ab.json");
    char copy[300], cmd[1024];
    struct out o;
    json_t *j, *ab;

    /* A second copy of the same suite binary is the "new build". */
    snprintf(copy, sizeof copy, "%s", tmp_path("faulty2"));
    snprintf(cmd, sizeof cmd, "cp %s %s", faulty, copy);
    cr_assert_eq(system(cmd), 0);
    /* --no-confirm: a chance flag on identical builds would rerun and pool
     * more worker pairs than the 3 this test is about */
    o = run_pacer("ab", faulty, copy, "--filter", "ok$", "--pairs", "12", "--processes", "3",
                  "--warmup", "1ms", "--sample-time", "1ms", "--no-confirm", "--out", out, "-q",
                  "--color", "never");
    cr_assert_eq(o.code, 0, "stdout: %s stderr: %s", o.stdout_s, o.stderr_s);
    /* Named after the new binary. */
    cr_assert_not_null(strstr(o.stdout_s, "faulty2/ok"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "paired (A/B pairs)"));
    cr_assert_not_null(strstr(o.stdout_s, "3 worker pairs are too few for a 95% CI"));
    j = load_json(out);
    ab = json_object_get(j, "ab");
    cr_assert_not_null(ab);
    cr_assert_str_eq(json_string_value(json_object_get(ab, "order")), "ABBA");
    cr_assert_eq(json_array_size(json_object_get(json_array_get(json_object_get(ab,
                                 "base_benchmarks"), 0), "samples")), 12);
    cr_assert_eq(json_array_size(json_object_get(json_array_get(json_object_get(j, "benchmarks"),
                                 0), "process_samples")), 3);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(ab, "analysis"), "mode")),
                     "paired");
    json_decref(j);
    out_free(&o);
    /* The file alone re-analyses its pairs. */
    o = run_pacer("compare", out, "--color", "never");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "paired (A/B pairs)"));
    out_free(&o);
}

Test(cli, ab_failures_and_usage)
{
    struct out o = run_pacer("ab", faulty, faulty, "--filter", "segv$", "--pairs", "4",
                             "--processes", "2", "--warmup", "1ms", "--sample-time", "1ms", "-q",
                             "--color", "never");

    cr_assert_eq(o.code, 3, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stderr_s, "faulty/segv: base failed: killed by signal 11"),
                       "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("ab", faulty);
    cr_assert_eq(o.code, 2);
    out_free(&o);
    o = run_pacer("ab", "--cmd", "true");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: ab: give exactly two --cmd (base, then new) and no "
                                 "other input\n");
    out_free(&o);
}

Test(cli, ab_commands)
{
    struct out o = run_pacer("ab", "--cmd", "true", "--cmd", "true", "--pairs", "6",
                             "--warmup-runs", "0", "-q", "--format", "json");
    json_error_t je;
    json_t *j;

    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j,
                     "benchmarks"), 0), "name")), "command/ab");
    json_decref(j);
    out_free(&o);
}
