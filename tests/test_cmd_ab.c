/*
 * test_cmd_ab.c: `pacer ab` as a user runs it (harness/cli/cmd_ab.c): two
 * builds of a suite binary paired in ABBA order, a failing benchmark,
 * usage errors, and two commands.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(cmd_ab, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

Test(cmd_ab, ab_pairs_two_builds)
{
    const char *out = tmp_path("ab.json");
    char copy[300], cmd[1024];
    struct out o;
    json_t *j, *ab;

    /* A second copy of the same suite binary is the "new build". */
    snprintf(copy, sizeof copy, "%s", tmp_path("faulty2"));
    snprintf(cmd, sizeof cmd, "cp %s %s", faulty_bin(), copy);
    cr_assert_eq(system(cmd), 0);
    /* --no-confirm: one look, at the 3 worker pairs this test is about */
    o = run_pacer("ab", faulty_bin(), copy, "--filter", "ok$", "--pairs", "12", "--processes",
                  "3", "--warmup", "1ms", "--sample-time", "1ms", "--no-confirm", "--out", out,
                  "-q", "--color", "never");
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

/* Sequential looks: an undecided benchmark gets more rounds of pairs, up
 * to --looks, each round deciding at level 1 - alpha/looks; identical
 * builds are never called regressed. */
Test(cmd_ab, ab_decides_in_looks)
{
    const char *out = tmp_path("ab.json");
    char copy[300], cmd[1024];
    struct out o;
    json_t *j;
    size_t n;

    snprintf(copy, sizeof copy, "%s", tmp_path("faulty2"));
    snprintf(cmd, sizeof cmd, "cp %s %s", faulty_bin(), copy);
    cr_assert_eq(system(cmd), 0);
    /* 3 worker pairs of 4 pairs a round: too few to decide at 97.5 %, so
     * both looks run */
    o = run_pacer("ab", faulty_bin(), copy, "--filter", "ok$", "--pairs", "12", "--processes",
                  "3", "--warmup", "1ms", "--sample-time", "1ms", "--looks", "2", "--out", out,
                  "--color", "never");
    cr_assert_eq(o.code, 0, "stdout: %s stderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "alpha 0.025 and 97.5% CIs in each of up to 2 looks "
                                          "(0.05 and 95% over all)"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stderr_s, "is not decided: look 2 of 2, 12 more pairs"), "%s",
                       o.stderr_s);
    j = load_json(out);
    n = json_array_size(json_object_get(json_array_get(json_object_get(j, "benchmarks"), 0),
                                        "samples"));
    cr_assert_eq(n, 24, "two rounds of 12 pairs, got %zu", n);
    cr_assert_eq(json_array_size(json_object_get(json_array_get(json_object_get(j, "benchmarks"),
                                 0), "process_samples")), 6);
    json_decref(j);
    out_free(&o);
    o = run_pacer("ab", faulty_bin(), copy, "--looks", "0");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: ab: --looks: '0' is not a count from 1 to 10\n");
    out_free(&o);
}

Test(cmd_ab, ab_failures_and_usage)
{
    struct out o = run_pacer("ab", faulty_bin(), faulty_bin(), "--filter", "segv$", "--pairs", "4",
                             "--processes", "2", "--warmup", "1ms", "--sample-time", "1ms", "-q",
                             "--color", "never");

    cr_assert_eq(o.code, 3, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stderr_s, "faulty/segv: base failed: killed by signal 11"),
                       "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("ab", faulty_bin());
    cr_assert_eq(o.code, 2);
    out_free(&o);
    o = run_pacer("ab", "--cmd", "true");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: ab: give exactly two --cmd (base, then new) and no "
                                 "other input\n");
    out_free(&o);
}

Test(cmd_ab, ab_commands)
{
    struct out o = run_pacer("ab", "--cmd", "true", "--cmd", "true", "--pairs", "6",
                             "--warmup-runs", "0", "-q", "--format", "json");
    json_error_t je;
    json_t *j;

    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j,
                     "benchmarks"), 0), "name")), "command/true");
    json_decref(j);
    out_free(&o);
    /* -n names it; --processes does not apply to commands: a note, and no
     * groups of pairs */
    o = run_pacer("ab", "--cmd", "true", "--cmd", "true", "--pairs", "6", "--processes", "4",
                  "--warmup-runs", "0", "-n", "noop", "--format", "json");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stderr_s, "every run of a command is a process of its own: it "
                                          "does not apply"), "%s", o.stderr_s);
    j = json_loads(o.stdout_s, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j,
                     "benchmarks"), 0), "name")), "command/noop");
    cr_assert_null(strstr(o.stdout_s, "worker pairs"), "%s", o.stdout_s);
    json_decref(j);
    out_free(&o);
}

/* A benchmark that skips itself skips the pair: said, and no failure. */
Test(cmd_ab, a_skip_skips_the_pair)
{
    const char *out = tmp_path("skip-ab.json");
    struct out o = run_pacer("ab", faulty_bin(), faulty_bin(), "--filter", "^faulty/skipped$",
                             "--pairs", "4", "--out", out);
    json_t *j;

    cr_assert_eq(o.code, 0, "stdout: %s\nstderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "faulty/skipped: skipped in new: no database here"),
                       "%s", o.stdout_s);
    j = load_json(out);
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(j, "benchmarks"), 0), "skipped")),
                     "no database here");
    json_decref(j);
    out_free(&o);
}
