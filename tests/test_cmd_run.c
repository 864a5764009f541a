/*
 * test_cmd_run.c: `pacer run` as a user runs it (harness/cli/cmd_run.c):
 * its help and usage errors, a failing benchmark, command benchmarks, a suite file with
 * a typo, --out, --save and --format json, and Ctrl-C: exit codes, what
 * goes to stdout and stderr, and which files exist afterwards.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    cr_assert_str_eq(o.stderr_s, "pacer: run: no/such/thing: not a suite file (*.json) nor an "
                                 "executable suite binary\n");
    out_free(&o);
    o = run_pacer("run", faulty_bin(), "--filter", "matches-nothing");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: run: no benchmark matches matches-nothing\n");
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
    out_free(&o);
}
