/*
 * test_plan.c: the job planner of pacer run and pacer ab (plan.c): jobs
 * from suite binaries (tests/fixtures/faulty.c), suite files and commands,
 * their settings, names and rounds, what is left out, and the messages of
 * inputs that cannot be planned.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/run/plan.h"
#include "helpers.h"

static char faulty[512], hash[512], noisy[512];

static void init(void)
{
    build_path(faulty, sizeof faulty, "tests/fixtures/faulty");
    build_path(noisy, sizeof noisy, "tests/fixtures/noisy");
    build_path(hash, sizeof hash, "suites/micro/hash");
}

TestSuite(plan, .init = init, .timeout = 60);

static struct settings_ov cli_ov;

/* Options for pacer run with the inputs and commands given (NULL-ended). */
static struct plan_run_opts run_opts(char **inputs, const char **cmds)
{
    struct plan_run_opts o = {.inputs = inputs, .cmds = cmds, .ov = &cli_ov};

    memset(&cli_ov, 0, sizeof cli_ov);
    settings_default(&cli_ov.s);
    while (inputs && inputs[o.ninputs])
        o.ninputs++;
    while (cmds && cmds[o.ncmds])
        o.ncmds++;
    return o;
}

static const struct job *find(const struct plan *p, const char *suite, const char *name)
{
    size_t i;

    for (i = 0; i < p->njobs; i++)
        if (!strcmp(p->jobs[i].suite, suite) && !strcmp(p->jobs[i].name, name))
            return &p->jobs[i];
    cr_assert_fail("no job %s/%s", suite, name);
    return NULL;
}

Test(plan, a_binary_gives_a_job_per_benchmark)
{
    char *in[] = {faulty, NULL};
    struct plan_run_opts o = run_opts(in, NULL);
    struct plan p;
    struct err e = {0};
    const struct job *j;

    cli_ov.s.processes = 3;
    cli_ov.mask = OV_PROCESSES;
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.njobs, p.listings[0].n);
    cr_assert_str_eq(p.name, "faulty");
    cr_assert_eq(p.rounds, 3);
    cr_assert_not_null(p.compiler);
    cr_assert_eq(p.nlistings, 1);
    cr_assert_str_eq(p.listed_from[0], faulty);
    j = find(&p, "faulty", "ok");
    cr_assert_str_eq(j->binary, faulty);
    cr_assert_str_eq(j->li->name, "ok");
    cr_assert_null(j->cs);
    cr_assert_eq(j->set.processes, 3);
    cr_assert_eq(j->set.samples, 30, "the default");
    plan_free(&p);
}

Test(plan, the_same_benchmark_is_planned_once)
{
    char *in[] = {faulty, faulty, NULL};
    const char *cmds[] = {"true", "true", NULL};
    struct plan_run_opts o = run_opts(in, cmds);
    struct plan p;
    struct err e = {0};
    struct name_filter re = {.full = 1};   /* it starts with ^: full names */

    cr_assert_eq(regcomp(&re.re, "^faulty/ok$|^command/", REG_EXTENDED | REG_NOSUB), 0);
    o.re = &re;
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.njobs, 2);
    cr_assert_str_eq(p.jobs[0].name, "ok");
    cr_assert_str_eq(p.jobs[1].suite, "command");
    cr_assert_str_eq(p.jobs[1].name, "true");
    cr_assert_str_eq(p.name, "mixed");
    cr_assert_eq(p.nlistings, 2, "both listed");
    plan_free(&p);
    regfree(&re.re);
}

/* A filter without ^ is searched in the names the binary gives, as Google
 * Benchmark's is: "faulty" is in no name of the binary faulty; "ok" is. */
Test(plan, a_filter_searches_the_binarys_own_names)
{
    char *in[] = {faulty, NULL};
    struct plan_run_opts o = run_opts(in, NULL);
    struct plan p;
    struct err e = {0};
    struct name_filter re = {.full = 0};

    cr_assert_eq(regcomp(&re.re, "faulty", REG_EXTENDED | REG_NOSUB), 0);
    o.re = &re;
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.njobs, 0);
    plan_free(&p);
    regfree(&re.re);
    cr_assert_eq(regcomp(&re.re, "^ok$", REG_EXTENDED | REG_NOSUB), 0);
    o = run_opts(in, NULL);
    o.re = &re;
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.njobs, 1);
    cr_assert_str_eq(p.jobs[0].name, "ok");
    plan_free(&p);
    regfree(&re.re);
}

static char warned[1024];

static void on_warn(void *arg, const char *msg)
{
    (void)arg;
    snprintf(warned, sizeof warned, "%s", msg);
}

Test(plan, commands_with_names_and_settings)
{
    const char *cmds[] = {"true", "sleep 0 | cat", NULL}, *names[] = {"t"};
    struct plan_run_opts o = run_opts(NULL, cmds);
    struct plan p;
    struct err e = {0};

    o.names = names;
    o.nnames = 1;
    o.prepare = "sync";
    o.ignore_failure = 1;
    o.on_warn = on_warn;
    cli_ov.s.budget_ns = 1000000000ULL;
    cli_ov.mask = OV_BUDGET;
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_str_eq(p.name, "command");
    cr_assert_eq(p.njobs, 2);
    cr_assert_str_eq(p.jobs[0].name, "t");
    cr_assert_str_eq(p.jobs[0].cs->line, "true");
    cr_assert_str_eq(p.jobs[0].cs->prepare, "sync");
    cr_assert_eq(p.jobs[0].cs->ignore_failure, 1);
    cr_assert_str_eq(p.jobs[1].name, "sleep 0 | cat");
    cr_assert_eq(p.jobs[0].set.samples, 0, "a budget alone: sample until it is spent");
    cr_assert_eq(p.jobs[0].set.budget_ns, 1000000000ULL);
    cr_assert_eq(p.rounds, 1);
    /* shell syntax: run through the shell, with a word (hyperfine's users
     * expect a pipe to work) */
    cr_assert_eq(p.jobs[1].cs->shell, 1);
    cr_assert_eq(p.jobs[0].cs->shell, 0);
    cr_assert_str_eq(warned, "--cmd 'sleep 0 | cat' has '|', which only a shell understands: "
                             "it runs through /bin/sh -c, whose start its time includes "
                             "(--shell runs every command so, and says nothing)");
    plan_free(&p);
}

Test(plan, command_settings_default_to_hyperfines_rule)
{
    const char *cmds[] = {"true", NULL};
    struct plan_run_opts o = run_opts(NULL, cmds);
    struct plan p;
    struct err e = {0};

    cli_ov.s.ci_target = 0.02;
    cli_ov.mask = OV_CI_TARGET;
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.jobs[0].set.samples, 0);
    cr_assert_eq(p.jobs[0].set.budget_ns, 10000000000ULL, "a CI target gets a budget");
    plan_free(&p);
    o = run_opts(NULL, cmds);
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    /* neither count nor budget: hyperfine's rule, in cmdbench */
    cr_assert_eq(p.jobs[0].set.samples, 0);
    cr_assert_eq(p.jobs[0].set.budget_ns, 0);
    plan_free(&p);
}

Test(plan, load_points_from_a_suite_file)
{
    char *in[] = {"tests/data/suite/good/load.json", NULL};
    struct plan_run_opts o = run_opts(in, NULL);
    struct plan p;
    struct err e = {0};
    const struct job *j;

    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_str_eq(p.name, "web");
    cr_assert_eq(p.njobs, 7);
    j = find(&p, "web", "hello/connections=64/rate=1000");
    cr_assert_eq(j->mp.connections, 64);
    cr_assert_float_eq(j->mp.rate, 1000, 1e-9);
    cr_assert_eq(j->set.samples, 5, "the scenario's repetitions");
    j = find(&p, "web", "echo");
    cr_assert_str_eq(j->mp.tg->name, "srv");
    plan_free(&p);
    o = run_opts(in, NULL);
    cli_ov.s.samples = 2;
    cli_ov.mask = OV_SAMPLES;
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(find(&p, "web", "echo")->set.samples, 2, "--samples overrides repetitions");
    plan_free(&p);
}

static void expect_run_error(char **in, const char **cmds, const char *msg)
{
    struct plan_run_opts o = run_opts(in, cmds);
    struct plan p;
    struct err e = {0};

    cr_assert_eq(plan_run(&p, &o, &e), -1);
    cr_assert_str_eq(e.msg, msg);
    plan_free(&p);
}

Test(plan, inputs_that_cannot_be_planned)
{
    char *nope[] = {"tests/data/nope", NULL}, *bad[] = {"tests/data/suite/bad/typo_top.json", NULL};
    char *notworker[] = {"/bin/true", NULL};
    const char *quote[] = {"a \"b", NULL};

    expect_run_error(nope, NULL, "run: tests/data/nope: not a suite file (*.json), an "
                                 "executable suite binary nor a readable Python file (*.py)");
    expect_run_error(bad, NULL, "tests/data/suite/bad/typo_top.json: comands: unknown field "
                                "(did you mean \"commands\"?)");
    expect_run_error(notworker, NULL, "/bin/true: does not answer the pacer worker protocol "
                                      "(exited with status 0)");
    expect_run_error(NULL, quote, "run: --cmd 'a \"b': unterminated double quote");
}

/* Options for pacer ab. */
static struct plan_ab_opts ab_opts(char **inputs, size_t ninputs)
{
    struct plan_ab_opts o = {.inputs = inputs, .ninputs = ninputs};

    settings_default(&o.set);
    o.set.samples = 4;
    return o;
}

Test(plan, ab_two_commands)
{
    const char *cmds[] = {"sleep 0", "true"};
    struct plan_ab_opts o = ab_opts(NULL, 0);
    struct plan p;
    struct err e = {0};

    o.cmds = cmds;
    o.ncmds = 2;
    o.shell = 1;
    cr_assert_eq(plan_ab_load(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(plan_ab(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.njobs, 1);
    cr_assert_str_eq(p.jobs[0].suite, "command");
    cr_assert_str_eq(p.jobs[0].name, "true");   /* the new command names it */
    cr_assert_str_eq(p.jobs[0].base_cs->line, "sleep 0");
    cr_assert_str_eq(p.jobs[0].cs->line, "true");
    cr_assert_eq(p.jobs[0].cs->shell, 1);
    cr_assert_eq(p.jobs[0].set.samples, 4);
    cr_assert_str_eq(p.base_label, "sleep 0");
    cr_assert_str_eq(p.new_label, "true");
    cr_assert_str_eq(p.name, "command");
    plan_free(&p);
}

Test(plan, ab_two_binaries_pair_what_both_list)
{
    char *in[] = {faulty, hash};
    struct plan_ab_opts o = ab_opts(in, 2);
    struct plan p;
    struct err e = {0};
    struct name_filter re = {.full = 0};

    cr_assert_eq(regcomp(&re.re, "(ok|segv|hashfn/crc32/size=64)$", REG_EXTENDED | REG_NOSUB),
                 0);
    o.re = &re;
    cr_assert_eq(plan_ab_load(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(plan_ab(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.njobs, 0, "nothing in common");
    cr_assert_eq(p.nonly_new, 1);
    cr_assert_str_eq(p.only_new[0], "hash/hashfn/crc32/size=64");
    cr_assert_eq(p.nonly_base, 2, "named after the new binary");
    cr_assert_str_eq(p.only_base[0], "hash/ok");
    cr_assert_str_eq(p.name, "hash");
    plan_free(&p);
    in[1] = faulty;
    cr_assert_eq(plan_ab_load(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(plan_ab(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.njobs, 2);
    cr_assert_str_eq(p.jobs[0].name, "ok");
    cr_assert_str_eq(p.jobs[0].base_binary, faulty);
    cr_assert_str_eq(p.jobs[0].binary, faulty);
    cr_assert_eq(p.nonly_new + p.nonly_base, 0);
    plan_free(&p);
    regfree(&re.re);
}

Test(plan, ab_inputs_that_cannot_be_planned)
{
    char *one[] = {"x.json"}, *three[] = {"a", "b", "c"};
    const char *cmds[] = {"true"};
    struct plan_ab_opts o = ab_opts(one, 1);
    struct plan p;
    struct err e = {0};

    cr_assert_eq(plan_ab_load(&p, &o, &e), -1);
    cr_assert_str_eq(e.msg, "ab: a suite file needs --base-build DIR and --new-build DIR");
    plan_free(&p);
    err_clear(&e);
    o = ab_opts(three, 3);
    cr_assert_eq(plan_ab_load(&p, &o, &e), -1);
    cr_assert_str_eq(e.msg, "ab: expected BASE_BINARY NEW_BINARY, a suite file with "
                            "--base-build and --new-build, or two --cmd (see --help)");
    plan_free(&p);
    err_clear(&e);
    o = ab_opts(NULL, 0);
    o.cmds = cmds;
    o.ncmds = 1;
    cr_assert_eq(plan_ab_load(&p, &o, &e), -1);
    cr_assert_str_eq(e.msg, "ab: give exactly two --cmd (base, then new) and no other input");
    plan_free(&p);
}

/* A definition's own samples, sample time and warmup (->Repetitions(),
 * ->MinTime()) where neither the suite nor the command line says; what
 * they say wins. */
Test(plan, a_definition_says_how_to_measure_it)
{
    char *in[] = {noisy, NULL};
    struct plan_run_opts o = run_opts(in, NULL);
    struct plan p;
    struct err e = {0};
    struct name_filter re = {.full = 0};
    struct settings def;

    settings_default(&def);
    cr_assert_eq(regcomp(&re.re, "^(wants|steady)$", REG_EXTENDED | REG_NOSUB), 0);
    o.re = &re;
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.njobs, 2);
    cr_assert_str_eq(p.jobs[1].name, "wants");
    cr_assert_eq(p.jobs[1].set.samples, 7);
    cr_assert_eq(p.jobs[1].set.sample_target_ns, 500000);
    cr_assert_eq(p.jobs[1].set.warmup_ns, 1000000);
    cr_assert_eq(p.jobs[0].set.samples, def.samples, "steady keeps the defaults");
    plan_free(&p);

    o = run_opts(in, NULL);
    o.re = &re;
    cli_ov.s.samples = 3;
    cli_ov.mask = OV_SAMPLES;
    cr_assert_eq(plan_run(&p, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(p.jobs[1].set.samples, 3, "the command line wins");
    cr_assert_eq(p.jobs[1].set.sample_target_ns, 500000);
    plan_free(&p);
    regfree(&re.re);
}
