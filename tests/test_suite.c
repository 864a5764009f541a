/*
 * test_suite.c: suite files (harness/run/suite*.c).  Every bad file under
 * tests/data/suite/bad/ must be refused with exactly the message in its
 * .err file; the good ones must be read field by field.  The suggestion
 * for a misspelt field is tested in test_jsonread.c, the metrics a
 * threshold may name in test_loadres.c.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/run/suite.h"
#include "helpers.h"

#define BAD_DIR "tests/data/suite/bad"

/* suite_load, its suite freed. */
static int read_suite(const char *path, struct err *e)
{
    struct suite s;
    int rc = suite_load(path, &s, e);

    suite_free(&s);
    return rc;
}

Test(suite, bad_files_give_exact_errors)
{
    golden_refused(BAD_DIR, read_suite, 20);
}

Test(suite, missing_file)
{
    struct suite s;
    struct err e = {0};

    cr_assert_eq(suite_load("tests/data/suite/nope.json", &s, &e), -1);
    cr_assert_str_eq(e.msg, "tests/data/suite/nope.json: unable to open "
                            "tests/data/suite/nope.json: No such file or directory");
    suite_free(&s);
}

Test(suite, good_file)
{
    struct suite s;
    struct err e = {0};
    struct settings set;

    unsetenv("PACER_BUILD");
    cr_assert_eq(suite_load("tests/data/suite/good/full.json", &s, &e), 0, "%s", e.msg);
    cr_assert_str_eq(s.name, "sample");
    cr_assert_eq(s.nmicro, 2);
    cr_assert_str_eq(s.micro[0].binary, "tests/data/suite/good/../build/suites/micro/hash");
    cr_assert_str_eq(s.micro[0].filter, "copy");
    cr_assert_str_eq(s.micro[1].binary, "tests/data/suite/good/bin/local");
    cr_assert_eq(s.micro[1].ov.mask, OV_PROCESSES | OV_CI_TARGET);
    cr_assert_eq(s.micro[1].ov.s.processes, 3);
    cr_assert_float_eq(s.micro[1].ov.s.ci_target, 0.01, 1e-12);
    cr_assert_eq(s.ncmds, 2);
    cr_assert_str_eq(s.cmds[0].spec.name, "sleep 0.01");
    cr_assert_str_eq(s.cmds[0].spec.line, "sleep 0.01");
    cr_assert_null(s.cmds[0].spec.argv);
    cr_assert_str_eq(s.cmds[1].spec.name, "ls");
    cr_assert_str_eq(s.cmds[1].spec.argv[2], "tests/data/suite/good/../build");
    cr_assert_null(s.cmds[1].spec.argv[3]);
    cr_assert_str_eq(s.cmds[1].spec.prepare, "sync");
    cr_assert_str_eq(s.cmds[1].spec.cleanup, "true");
    cr_assert_eq(s.cmds[1].spec.ignore_failure, 1);
    /* Suite settings, then the entry's. */
    settings_default(&set);
    settings_apply(&set, &s.ov);
    settings_apply(&set, &s.cmds[1].ov);
    cr_assert_eq(set.samples, 7);
    cr_assert_eq(set.warmup_ns, 50000000ULL);
    cr_assert_eq(set.sample_target_ns, 5000000ULL);
    cr_assert_eq(set.timeout_ns, 30000000000ULL);
    cr_assert_eq(set.warmup_runs, 0);
    cr_assert_eq(set.budget_ns, 2000000000ULL);
    suite_free(&s);
}

Test(suite, build_dir_from_environment)
{
    struct suite s;
    struct err e = {0};

    setenv("PACER_BUILD", "build/san", 1);
    cr_assert_eq(suite_load("tests/data/suite/good/full.json", &s, &e), 0, "%s", e.msg);
    cr_assert_str_eq(s.micro[0].binary, "build/san/suites/micro/hash");
    suite_free(&s);
}

/* The absolute form of a path relative to the current directory. */
static char *abs_of(const char *rel)
{
    static char buf[4][1024];
    static int k;
    char cwd[900];

    k = (k + 1) % 4;
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(buf[k], sizeof buf[k], "%s/%s", cwd, rel);
    return buf[k];
}

Test(suite, load_targets_and_scenarios)
{
    struct suite s;
    struct err e = {0};
    const struct suite_target *t;
    const struct suite_scenario *sc;
    char want[1200];

    unsetenv("PACER_BUILD");
    cr_assert_eq(suite_load("tests/data/suite/good/load.json", &s, &e), 0, "%s", e.msg);
    cr_assert_str_eq(s.name, "web");
    cr_assert_eq(s.nmicro + s.ncmds, 0, "targets and scenarios alone make a suite");
    cr_assert_eq(s.ntargets, 3);
    /* An argv list: {python} and the port placeholder kept for each start. */
    t = &s.targets[0];
    cr_assert_str_eq(t->name, "aio");
    cr_assert_str_eq(t->argv[0], "/usr/bin/python3");
    cr_assert_str_eq(t->argv[1], "servers/aio.py");
    cr_assert_str_eq(t->argv[3], "{port}");
    cr_assert_null(t->argv[4]);
    snprintf(want, sizeof want, "DATA=%s/data", abs_of("tests/data/suite/good"));
    cr_assert_str_eq(t->env[0], want);
    cr_assert_str_eq(t->env[1], "PORT={port}");
    cr_assert_null(t->env[2]);
    cr_assert_str_eq(t->cwd, abs_of("tests/data/suite/good"), "default cwd: the suite's dir");
    cr_assert_eq(t->ready, READY_HTTP);
    cr_assert_str_eq(t->ready_arg, "/health");
    cr_assert_eq(t->ready_timeout_ns, 3000000000ULL);
    cr_assert_eq(t->stop_timeout_ns, 1500000000ULL);
    cr_assert_eq(t->port, 0);
    /* A string split into words, {build} absolute, cwd relative to the suite. */
    t = &s.targets[1];
    snprintf(want, sizeof want, "%s/suites/targets/testsrv",
             abs_of("tests/data/suite/good/../build"));
    cr_assert_str_eq(t->argv[0], want);
    cr_assert_str_eq(t->argv[2], "{port}");
    cr_assert_str_eq(t->argv[4], "ok");
    cr_assert_null(t->argv[5]);
    cr_assert_str_eq(t->cwd, abs_of("tests/data/suite/good/run"));
    cr_assert_eq(t->ready, READY_STDOUT);
    cr_assert_str_eq(t->ready_arg, "listening on");
    cr_assert_eq(t->ready_timeout_ns, SUITE_READY_TIMEOUT_NS);
    cr_assert_eq(t->stop_timeout_ns, SUITE_STOP_TIMEOUT_NS);
    /* A shell line, a fixed port, tcp readiness by default. */
    t = &s.targets[2];
    cr_assert_str_eq(t->argv[0], "/bin/sh");
    cr_assert_str_eq(t->argv[1], "-c");
    cr_assert_str_eq(t->argv[2], "exec ./serve --port={port} >log 2>&1");
    cr_assert_str_eq(t->cwd, "/tmp");
    cr_assert_eq(t->port, 8123);
    cr_assert_eq(t->ready, READY_TCP);
    cr_assert_null(t->env);
    /* Every load setting. */
    cr_assert_eq(s.nscenarios, 2);
    sc = &s.scenarios[0];
    cr_assert_str_eq(sc->name, "hello");
    cr_assert_eq(sc->target, 0);
    cr_assert_str_eq(sc->url, "http://127.0.0.1:{port}/hello");
    cr_assert_eq(sc->nconnections, 2);
    cr_assert_eq(sc->connections[1], 64);
    cr_assert(sc->connections_axis);
    cr_assert_eq(sc->nrates, 3);
    cr_assert_float_eq(sc->rates[2], 2500.5, 1e-9);
    cr_assert(sc->rate_axis);
    cr_assert_eq(sc->load.threads, 1);
    cr_assert_eq(sc->load.duration_ns, 2000000000ULL);
    cr_assert_eq(sc->load.warmup_ns, 500000000ULL);
    cr_assert_eq(sc->load.arrival, ARRIVAL_POISSON);
    cr_assert_eq(sc->load.pipeline, 2);
    cr_assert_eq(sc->load.keepalive, 0);
    cr_assert_eq(sc->load.timeout_ns, 1000000000ULL);
    cr_assert_eq(sc->load.interval_ns, 250000000ULL);
    cr_assert_eq(sc->load.late_ns, 2000000ULL);
    cr_assert_eq(sc->load.digits, 2);
    cr_assert_eq(sc->load.seed, 7);
    cr_assert_str_eq(sc->method, "POST");
    cr_assert_eq(sc->nheaders, 2);
    cr_assert_str_eq(sc->headers[1], "X-B: 2");
    cr_assert_str_eq(sc->body, "{}");
    cr_assert_eq(sc->repetitions, 5);
    cr_assert_eq(sc->nthresholds, 6);
    cr_assert_str_eq(sc->thresholds[2], "connections=64: throughput > 1k");
    /* Defaults: one point, closed loop at pacer load's connections. */
    sc = &s.scenarios[1];
    cr_assert_eq(sc->target, 1);
    cr_assert_eq(sc->nconnections, 1);
    cr_assert_eq(sc->connections[0], 10);
    cr_assert_eq(sc->connections_axis, 0);
    cr_assert_eq(sc->nrates, 1);
    cr_assert_float_eq(sc->rates[0], 500, 1e-9);
    cr_assert_eq(sc->rate_axis, 0);
    cr_assert_eq(sc->repetitions, SUITE_REPETITIONS);
    cr_assert_eq(sc->load.duration_ns, 10000000000ULL);
    cr_assert_str_eq(sc->payload, "ping\\n");
    suite_free(&s);
}

/* A scenario's stages: users ("stages", closed loop) or arrivals/s
 * ("rate_stages", open loop); its one point takes their peak, its load
 * their sum as the duration. */
Test(suite, scenario_stages)
{
    const char *path = "tests/data/suite/good/stages.json";
    struct suite s;
    struct err e = {0};
    const struct suite_scenario *sc;

    cr_assert_eq(suite_load(path, &s, &e), 0, "%s", e.msg);
    cr_assert_eq(s.nscenarios, 2);
    sc = &s.scenarios[0];
    cr_assert_eq(sc->load.nstages, 3);
    cr_assert_eq(sc->load.nrate_stages, 0);
    cr_assert_eq(sc->load.stages[1].duration_ns, 30000000000u);
    cr_assert_eq(sc->connections[0], 200);
    cr_assert_eq(sc->rates[0], 0);
    cr_assert_eq(sc->load.duration_ns, 50000000000u);
    sc = &s.scenarios[1];
    cr_assert_eq(sc->load.nrate_stages, 2);
    cr_assert(sc->rates[0] == 1000);
    cr_assert_eq(sc->connections[0], 20, "rate stages keep the scenario's connections");
    cr_assert_eq(sc->load.duration_ns, 1500000000u);
    suite_free(&s);
}

/* A scenario without a target loads a server pacer does not start: "target"
 * null, or unsaid in a suite without targets (its {port} refused: see
 * bad/no_target_port.json). */
Test(suite, scenarios_without_a_target)
{
    struct suite s;
    struct err e = {0};

    cr_assert_eq(suite_load("tests/data/suite/good/shared.json", &s, &e), 0, "%s", e.msg);
    cr_assert_eq(s.nscenarios, 2);
    cr_assert_eq(s.scenarios[0].target, 0, "one target: the scenario's when unsaid");
    cr_assert_eq(s.scenarios[1].target, SUITE_NO_TARGET);
    cr_assert_str_eq(s.scenarios[1].url, "http://10.0.0.5:8080/");
    suite_free(&s);
}
