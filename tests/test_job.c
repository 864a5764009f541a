/*
 * test_job.c: measuring one planned benchmark (job.c): which round a job
 * has a part in, a command job and a pair of commands measured, and the
 * name and error of a job that never ran.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness/run/job.h"

TestSuite(job, .timeout = 30);

static struct cmd_spec spec(char *line)
{
    struct cmd_spec cs = {.name = line, .line = line};

    return cs;
}

static struct job command_job(const struct cmd_spec *cs)
{
    struct job j = {.suite = "command", .name = cs->name, .cs = cs};

    settings_default(&j.set);
    j.set.samples = 2;
    j.set.warmup_runs = 0;
    return j;
}

Test(job, rounds)
{
    struct listed li = {.name = "x"};
    struct cmd_spec cs = spec("true");
    struct suite_scenario sc = {0};
    struct job micro = {.suite = "s", .name = "x", .li = &li}, cmd = command_job(&cs);
    struct job load = {.suite = "s", .name = "p", .mp = {.sc = &sc}};

    micro.set.processes = 3;
    cr_assert(job_in_round(&micro, 0));
    cr_assert(job_in_round(&micro, 2));
    cr_assert_not(job_in_round(&micro, 3));
    micro.set.processes = 0;
    cr_assert(job_in_round(&micro, 0), "no count is one process");
    cr_assert_not(job_in_round(&micro, 1));
    cr_assert(job_in_round(&cmd, 0));
    cr_assert_not(job_in_round(&cmd, 1));
    cmd.set.processes = 3;   /* 2 runs: 2 spells (cmdbench.h) */
    cr_assert(job_in_round(&cmd, 1));
    cr_assert_not(job_in_round(&cmd, 2));
    cr_assert(job_in_round(&load, 0));
    cr_assert_not(job_in_round(&load, 1));
}

Test(job, a_command_job_is_measured)
{
    struct cmd_spec cs = spec("true");
    struct job j = command_job(&cs);
    struct scenario_opts so = {0};
    struct result r;
    struct bench *b;
    int invalid = 0;

    result_init(&r);
    b = result_add_bench(&r);
    cr_assert_eq(job_run(&j, 0, 1, &so, b, &invalid), 0);
    job_finish(&j, b);
    cr_assert_str_eq(b->name, "command/true");
    cr_assert_eq(b->kind, KIND_COMMAND);
    cr_assert_eq(b->nsamples, 2);
    cr_assert_null(b->error);
    result_free(&r);
}

Test(job, a_pair_of_commands_is_measured)
{
    struct cmd_spec base = spec("true"), nw = spec("sleep 0");
    struct job j = command_job(&nw);
    struct bench bb = {0}, nb = {0};

    j.base_cs = &base;
    j.name = "ab";
    cr_assert_eq(job_run_pair(&j, 1, &bb, &nb), 0);
    cr_assert_str_eq(bb.name, "command/ab");
    cr_assert_str_eq(nb.name, "command/ab");
    cr_assert_str_eq(bb.command, "true");
    cr_assert_str_eq(nb.command, "sleep 0");
    cr_assert_eq(bb.nsamples, 2);
    cr_assert_eq(nb.nsamples, 2);
    bench_free(&bb);
    bench_free(&nb);
}

Test(job, a_job_that_never_ran)
{
    struct listed li = {.name = "x"};
    struct cmd_spec cs = spec("true");
    struct suite_scenario sc = {0};
    struct job micro = {.suite = "s", .name = "x", .li = &li}, cmd = command_job(&cs);
    struct job load = {.suite = "s", .name = "p/rate=5", .mp = {.sc = &sc}};
    struct bench b[3] = {{0}};
    size_t i;

    job_finish(&micro, &b[0]);
    job_finish(&cmd, &b[1]);
    job_finish(&load, &b[2]);
    cr_assert_str_eq(b[0].name, "s/x");
    cr_assert_str_eq(b[1].name, "command/true");
    cr_assert_str_eq(b[2].name, "s/p/rate=5");
    cr_assert_eq(b[2].kind, KIND_LOAD);
    for (i = 0; i < 3; i++) {
        cr_assert_not_null(b[i].error);
        cr_assert_str_eq(b[i].error->message, "interrupted before it ran");
        bench_free(&b[i]);
    }
}
