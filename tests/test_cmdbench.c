/* test_cmdbench.c: command benchmarks (cmdbench.c) with real processes. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "harness/run/cmdbench.h"
#include "helpers.h"

TestSuite(cmdbench, .timeout = 30);

static struct settings quick(unsigned samples)
{
    struct settings s;

    settings_default(&s);
    s.samples = samples;
    s.warmup_runs = 1;
    s.timeout_ns = 10000000000ULL;
    return s;
}

static struct bench *run(struct result *r, struct cmd_spec *cs, const struct settings *s)
{
    struct bench *b;

    result_init(r);
    b = result_add_bench(r);
    if (!cs->name)
        cs->name = strdup(cs->line);
    cr_assert_eq(cmdbench_run(cs, "cmd", s, 0, b), 0);
    return b;
}

Test(cmdbench, times_runs_with_rusage)
{
    struct cmd_spec cs = {.line = strdup("true")};
    struct settings s = quick(5);
    struct result r;
    struct bench *b = run(&r, &cs, &s);

    cr_assert_null(b->error, "%s", b->error ? b->error->message : "");
    cr_assert_str_eq(b->name, "cmd/true");
    cr_assert_eq(b->kind, KIND_COMMAND);
    cr_assert_eq(b->nsamples, 5);
    cr_assert_eq(metric(b, "user")->nsamples, 5);
    cr_assert_eq(metric(b, "sys")->nsamples, 5);
    cr_assert_eq(metric(b, "max_rss")->nsamples, 5);
    cr_assert_gt(metric(b, "max_rss")->st.median, 0);
    cr_assert_str_eq(metric(b, "max_rss")->unit, "bytes");
    cr_assert_str_eq(b->command, "true");
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, max_rss_sees_memory)
{
    /* dd allocates its 64 MiB block and touches it. */
    struct cmd_spec cs = {.line = strdup("dd if=/dev/zero of=/dev/null bs=64M count=1")};
    struct settings s = quick(3);
    struct result r;
    struct bench *b = run(&r, &cs, &s);

    cr_assert_null(b->error);
    cr_assert_geq(metric(b, "max_rss")->st.median, 64.0 * 1024 * 1024);
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, sleep_is_timed)
{
    struct cmd_spec cs = {.line = strdup("sleep 0.02")};
    struct settings s = quick(3);
    struct result r;
    struct bench *b = run(&r, &cs, &s);

    cr_assert_null(b->error);
    cr_assert_geq(b->st.min, 20e6, "sleep 0.02 took %g ns", b->st.min);
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, nonzero_exit_is_an_error)
{
    struct cmd_spec cs = {.line = strdup("false")};
    struct settings s = quick(3);
    struct result r;
    struct bench *b = run(&r, &cs, &s);

    cr_assert_not_null(b->error);
    cr_assert_str_eq(b->error->message, "exited with status 1 (in warmup run 1)");
    cr_assert_eq(b->error->exit_code, 1);
    cr_assert_eq(b->nsamples, 0);
    cmd_spec_free(&cs);
    result_free(&r);

    cs = (struct cmd_spec){.line = strdup("false")};
    s.warmup_runs = 0;
    b = run(&r, &cs, &s);
    cr_assert_str_eq(b->error->message, "exited with status 1 (in timed run 1)");
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, ignore_failure)
{
    struct cmd_spec cs = {.line = strdup("false"), .ignore_failure = 1};
    struct settings s = quick(3);
    struct result r;
    struct bench *b = run(&r, &cs, &s);

    cr_assert_null(b->error);
    cr_assert_eq(b->nsamples, 3);
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, stderr_tail_and_signal)
{
    char *argv[] = {"sh", "-c", "echo first >&2; echo oops >&2; kill -SEGV $$", NULL};
    struct cmd_spec cs = {.name = strdup("segv"), .line = strdup("sh -c ...")};
    struct settings s = quick(3);
    struct result r;
    struct bench *b;
    size_t i;

    cs.argv = calloc(4, sizeof *cs.argv);
    for (i = 0; argv[i]; i++)
        cs.argv[i] = strdup(argv[i]);
    b = run(&r, &cs, &s);
    cr_assert_not_null(b->error);
    cr_assert_str_eq(b->error->message, "killed by signal 11 (SIGSEGV) (in warmup run 1)");
    cr_assert_eq(b->error->signal, SIGSEGV);
    cr_assert_str_eq(b->error->stderr_tail, "first\noops");
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, missing_program)
{
    struct cmd_spec cs = {.line = strdup("no-such-program-here --x")};
    struct settings s = quick(3);
    struct result r;
    struct bench *b = run(&r, &cs, &s);

    cr_assert_str_eq(b->error->message, "cannot run 'no-such-program-here': No such file or directory");
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, no_shell_unless_asked)
{
    /* Without a shell '>' is an argument of echo; with one it redirects. */
    char dir[] = "/tmp/pacer-cmdbench-XXXXXX", line[400], path[64];
    struct cmd_spec cs;
    struct settings s = quick(1);
    struct result r;
    struct bench *b;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out", dir);
    snprintf(line, sizeof line, "echo hi > %s", path);
    cs = (struct cmd_spec){.line = strdup(line)};
    b = run(&r, &cs, &s);
    cr_assert_null(b->error);
    cr_assert_neq(access(path, F_OK), 0, "a redirection happened without a shell");
    cmd_spec_free(&cs);
    result_free(&r);
    cs = (struct cmd_spec){.line = strdup(line), .shell = 1};
    b = run(&r, &cs, &s);
    cr_assert_null(b->error);
    cr_assert_eq(access(path, F_OK), 0, "--shell did not redirect");
    unlink(path);
    rmdir(dir);
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, prepare_each_run_cleanup_once)
{
    char dir[] = "/tmp/pacer-cmdbench-XXXXXX", prep[128], clean[128], path[64];
    struct cmd_spec cs;
    struct settings s = quick(4);
    struct result r;
    struct bench *b;
    FILE *f;
    char line[64];
    int preps = 0, cleans = 0;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/log", dir);
    snprintf(prep, sizeof prep, "echo prepare >> %s", path);
    snprintf(clean, sizeof clean, "echo cleanup >> %s", path);
    cs = (struct cmd_spec){.line = strdup("true"), .prepare = strdup(prep), .cleanup = strdup(clean)};
    b = run(&r, &cs, &s);
    cr_assert_null(b->error);
    f = fopen(path, "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f)) {
        preps += !strcmp(line, "prepare\n");
        cleans += !strcmp(line, "cleanup\n");
    }
    fclose(f);
    cr_assert_eq(preps, 5, "1 warmup + 4 timed runs, got %d prepares", preps);
    cr_assert_eq(cleans, 1);
    unlink(path);
    rmdir(dir);
    cmd_spec_free(&cs);
    result_free(&r);
}

/* With several processes the runs go in spells, one a round (cmdbench.h):
 * each spell its own warmup run and group of samples, cleanup once after
 * the last; a failure in a spell ends the benchmark there. */
Test(cmdbench, runs_spread_over_rounds)
{
    char dir[] = "/tmp/pacer-cmdbench-XXXXXX", prep[128], clean[128], path[64], line[64];
    struct cmd_spec cs;
    struct settings s = quick(7);
    struct result r;
    struct bench *b;
    unsigned round;
    FILE *f;
    int preps = 0, cleans = 0;

    s.processes = 3;
    cr_assert_eq(cmdbench_rounds(&s), 3);
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/log", dir);
    snprintf(prep, sizeof prep, "echo prepare >> %s", path);
    snprintf(clean, sizeof clean, "echo cleanup >> %s", path);
    cs = (struct cmd_spec){.line = strdup("true"), .prepare = strdup(prep),
                           .cleanup = strdup(clean)};
    b = run(&r, &cs, &s);
    for (round = 1; round < 4; round++)   /* round 3 is past the last: nothing */
        cr_assert_eq(cmdbench_run(&cs, "cmd", &s, round, b), 0);
    cr_assert_null(b->error, "%s", b->error ? b->error->message : "");
    cr_assert_eq(b->nsamples, 7);
    cr_assert_eq(b->processes, 3);
    cr_assert_eq(b->nproc_samples, 3);
    cr_assert_eq(b->proc_samples[0], 3);
    cr_assert_eq(b->proc_samples[1], 2);
    cr_assert_eq(b->proc_samples[2], 2);
    cr_assert_eq(metric(b, "user")->nsamples, 7);
    cr_assert_eq(metric(b, "max_rss")->nsamples, 7);
    cr_assert_not_null(f = fopen(path, "r"));
    while (fgets(line, sizeof line, f)) {
        preps += !strcmp(line, "prepare\n");
        cleans += !strcmp(line, "cleanup\n");
    }
    fclose(f);
    cr_assert_eq(preps, 3 + 7, "a warmup run a spell and 7 timed runs: %d prepares", preps);
    cr_assert_eq(cleans, 1);
    result_free(&r);

    /* a spell that fails: the error is the benchmark's, later rounds idle */
    unlink(path);
    free(cs.line);
    cs.line = strdup("false");
    free(cs.name);
    cs.name = strdup("f");
    s.warmup_runs = 0;
    b = run(&r, &cs, &s);
    cr_assert_not_null(b->error);
    cr_assert_eq(cmdbench_run(&cs, "cmd", &s, 1, b), 0);
    cr_assert_eq(b->nsamples, 0);
    cr_assert_not_null(f = fopen(path, "r"));
    cleans = 0;
    while (fgets(line, sizeof line, f))
        cleans += !strcmp(line, "cleanup\n");
    fclose(f);
    cr_assert_eq(cleans, 1, "cleanup after the failing spell");
    unlink(path);
    rmdir(dir);
    cmd_spec_free(&cs);
    result_free(&r);

    s.samples = 2;
    cr_assert_eq(cmdbench_rounds(&s), 2, "at most a spell a run");
    s.samples = 0;
    cr_assert_eq(cmdbench_rounds(&s), 1, "a count decided as the runs go: one spell");
    s.samples = 7;
    s.mode = RUN_MODE_INSTRUCTIONS;
    cr_assert_eq(cmdbench_rounds(&s), 1, "counts: one spell");
}

Test(cmdbench, failing_prepare)
{
    struct cmd_spec cs = {.line = strdup("true"), .prepare = strdup("exit 4")};
    struct settings s = quick(3);
    struct result r;
    struct bench *b = run(&r, &cs, &s);

    cr_assert_str_eq(b->error->message, "prepare command 'exit 4' exited with status 4");
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, timeout_kills)
{
    struct cmd_spec cs = {.line = strdup("sleep 20")};
    struct settings s = quick(3);
    struct result r;
    struct bench *b;

    s.timeout_ns = 300000000ULL;
    b = run(&r, &cs, &s);
    cr_assert_not_null(b->error);
    cr_assert_str_eq(b->error->message, "timed out after 0.3 s (in run 1)");
    cr_assert_eq(b->error->timed_out, 1);
    cmd_spec_free(&cs);
    result_free(&r);
}

Test(cmdbench, budget_bounds_runs)
{
    struct cmd_spec cs = {.line = strdup("true")};
    struct settings s = quick(0);
    struct result r;
    struct bench *b;

    s.budget_ns = 100000000ULL;
    b = run(&r, &cs, &s);
    cr_assert_null(b->error);
    cr_assert_geq(b->nsamples, 2);
    cmd_spec_free(&cs);
    result_free(&r);
}

/* Neither a count nor a budget: hyperfine's rule, at least 10 runs and at
 * least 3 s of them (a 0.5 s command: 10 runs; true: hundreds). */
Test(cmdbench, hyperfines_rule_without_count_or_budget)
{
    struct cmd_spec fast = {.line = strdup("true")}, slow = {.line = strdup("sleep 0.5")};
    struct settings s = quick(0);
    struct result r;
    struct bench *b;
    uint64_t t0 = clock_now_ns();
    double sum = 0;
    size_t i;

    b = run(&r, &fast, &s);
    cr_assert_null(b->error);
    cr_assert_gt(b->nsamples, CMD_MIN_RUNS, "true runs more than 10 times in 3 s");
    cr_assert_geq(clock_now_ns() - t0, CMD_MIN_TIME_NS);
    result_free(&r);
    b = run(&r, &slow, &s);
    cr_assert_null(b->error);
    cr_assert_eq(b->nsamples, CMD_MIN_RUNS, "ten runs of 0.5 s pass 3 s");
    for (i = 0; i < b->nsamples; i++)
        sum += b->samples[i];
    cr_assert_geq(sum, 3e9 * 0.9);
    result_free(&r);
    cmd_spec_free(&fast);
    cmd_spec_free(&slow);
}
