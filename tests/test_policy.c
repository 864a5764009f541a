/* test_policy.c: thresholds and limits from files and suites (policy.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "compare/policy.h"
#include "helpers.h"

TestSuite(policy, .init = tmp_setup, .fini = tmp_teardown);

static char path[256];

/* Write text to the policy file, path in the scratch directory. */
static void write_policy(const char *text)
{
    snprintf(path, sizeof path, "%s", tmp_path("policy"));
    write_file(path, text);
}

static void fails(const char *text, const char *msg_after_path)
{
    struct compare_opts o;
    struct err e = {0};
    char want[512];

    write_policy(text);
    compare_opts_default(&o);
    cr_assert_eq(policy_load(path, &o, 0, 0, &e), -1, "%s accepted", text);
    snprintf(want, sizeof want, "%s: %s", path, msg_after_path);
    cr_assert_str_eq(e.msg, want);
    compare_opts_free(&o);
}

Test(policy, standalone_file)
{
    struct compare_opts o;
    struct err e = {0};

    write_policy("{\"threshold\": \"2%\", \"drift\": 0.05,"
               " \"thresholds\": {\"^evloop/thread\": \"25%\", \"^json\": \"5%\"},"
               " \"limits\": [\"median < 1ms\", \"hash/.*: throughput > 1GiB/s\"]}");
    compare_opts_default(&o);
    cr_assert_eq(policy_load(path, &o, 0, 0, &e), 0, "%s", e.msg);
    cr_assert_float_eq(o.threshold, 0.02, 1e-12);
    cr_assert_float_eq(o.drift, 0.05, 1e-12);
    cr_assert_eq(o.nrules, 2);
    cr_assert_str_eq(o.rules[0].pattern, "^evloop/thread");
    cr_assert_float_eq(o.rules[0].threshold, 0.25, 1e-12);
    cr_assert_eq(o.nlimits, 2);
    cr_assert_str_eq(o.limits[1].pattern, "hash/.*");
    compare_opts_free(&o);
    /* Options given on the command line win over the file. */
    compare_opts_default(&o);
    o.threshold = 0.07;
    cr_assert_eq(policy_load(path, &o, 1, 1, &e), 0);
    cr_assert_float_eq(o.threshold, 0.07, 1e-12);
    cr_assert_float_eq(o.drift, COMPARE_DRIFT_DEFAULT, 1e-12);
    compare_opts_free(&o);
}

Test(policy, suite_section)
{
    struct compare_opts o;
    struct err e = {0};

    write_policy("{\"commands\": [{\"command\": \"true\"}],"
               " \"compare\": {\"threshold\": \"4%\"}}");
    compare_opts_default(&o);
    cr_assert_eq(policy_load(path, &o, 0, 0, &e), 0, "%s", e.msg);
    cr_assert_float_eq(o.threshold, 0.04, 1e-12);
    compare_opts_free(&o);
}

Test(policy, bad_files)
{
    fails("{\"treshold\": \"2%\"}",
          "treshold: unknown field (expected threshold, thresholds, limits or drift)");
    fails("{\"threshold\": \"lots\"}", "threshold: expected a percentage such as \"3%\"");
    fails("{\"thresholds\": {\"(\": \"2%\"}}",
          "thresholds.(: '(' is not a valid regular expression");
    fails("{\"limits\": [\"median == 2\"]}",
          "limits[0]: limit 'median == 2': expected METRIC < VALUE or METRIC > VALUE");
    fails("{\"limits\": \"median < 2\"}", "limits: expected array of strings");
    fails("{\"commands\": [{\"command\": \"true\"}]}",
          "compare: missing (a suite file names its thresholds there)");
    fails("{\"threshold\": ", "line 1 column 14: unexpected token near end of file");
}
