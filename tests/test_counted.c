/*
 * test_counted.c: pacer run --mode instructions (harness/run/counted.c,
 * harness/lib/counts.c) on the fixture tests/fixtures/counted, under the
 * real valgrind: counts of one build agree exactly run after run, a known
 * +1 % of instructions is regressed, paused work is not counted, and
 * compare decides on counts without a test.  Valgrind cannot run the
 * sanitizer builds (their shadow memory): those skip the runs.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(counted, .init = tmp_setup, .fini = tmp_teardown, .timeout = 120);

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

static const char *counted_bin(void)
{
    static char path[512];

    if (!path[0])
        build_path(path, sizeof path, "tests/fixtures/counted");
    return path;
}

/* A counted run of the fixture's benchmarks into out, COUNTED_WORK=work. */
static void counted_run(const char *work, const char *out)
{
    struct out o;

    setenv("COUNTED_WORK", work, 1);
    o = run_pacer("run", counted_bin(), "--mode", "instructions", "--filter", "work$|paused$",
                  "--out", out, "-q");
    unsetenv("COUNTED_WORK");
    cr_assert_eq(o.code, 0, "stdout: %s stderr: %s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, " instr "), "%s", o.stdout_s);
    out_free(&o);
}

static const json_t *json_bench(const json_t *j, const char *suffix)
{
    const json_t *bs = json_object_get(j, "benchmarks"), *b;
    size_t i;

    json_array_foreach(bs, i, b)
        if (ends_with(json_string_value(json_object_get(b, "name")), suffix))
            return b;
    cr_assert_fail("no benchmark ending in %s", suffix);
    return NULL;
}

static double first_sample(const json_t *b)
{
    return json_real_value(json_array_get(json_object_get(b, "samples"), 0));
}

Test(counted, counts_are_exact_and_a_one_percent_change_is_regressed)
{
    char a[300], a2[300], slow[300];
    const json_t *w, *p, *m;
    json_t *j, *j2;
    struct out o;
    size_t i;

    if (SANITIZED)
        cr_skip_test("valgrind cannot run sanitizer builds");
    snprintf(a, sizeof a, "%s", tmp_path("a.json"));
    snprintf(a2, sizeof a2, "%s", tmp_path("a2.json"));
    snprintf(slow, sizeof slow, "%s", tmp_path("slow.json"));
    counted_run("1000", a);
    counted_run("1000", a2);
    counted_run("1010", slow);

    j = load_json(a);
    j2 = load_json(a2);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "settings"), "mode")),
                     "instructions");
    cr_assert_eq(strncmp(json_string_value(json_object_get(json_object_get(json_object_get(
                             j, "context"), "build"), "valgrind")), "valgrind-", 9), 0);
    w = json_bench(j, "/work");
    cr_assert_str_eq(json_string_value(json_object_get(w, "unit")), "instr");
    cr_assert_eq(json_array_size(json_object_get(w, "samples")), 5);
    /* the same count in every sample and in both runs */
    for (i = 0; i < 5; i++)
        cr_assert_eq(json_real_value(json_array_get(json_object_get(w, "samples"), i)),
                     first_sample(w));
    cr_assert_eq(first_sample(w), first_sample(json_bench(j2, "/work")));
    /* 1000 LCG steps: a few instructions each, and cycles beside them */
    cr_assert(first_sample(w) > 3000 && first_sample(w) < 20000, "%g", first_sample(w));
    m = json_object_get(json_object_get(w, "metrics"), "cycles");
    cr_assert_not_null(m);
    cr_assert_geq(json_real_value(json_array_get(json_object_get(m, "samples"), 0)),
                  first_sample(w));
    /* the paused part (50 times the work) is not counted */
    p = json_bench(j, "/paused");
    cr_assert(rel_eq(first_sample(p), first_sample(w), 0.05), "paused %g, work %g",
              first_sample(p), first_sample(w));
    json_decref(j);
    json_decref(j2);

    o = run_pacer("compare", a, a2, "--color", "never");
    cr_assert_eq(o.code, 0, "%s%s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "2 unchanged"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "compared on counts"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("compare", a, slow, "--color", "never", "--format", "csv");
    cr_assert_eq(o.code, 1, "%s%s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "regressed"), "%s", o.stdout_s);
    {
        /* +1 % of the steps: just under +1 % of the instructions (the loop's own) */
        json_t *c;
        o.code = 0;
        out_free(&o);
        o = run_pacer("compare", a, slow, "--format", "json");
        c = json_loads(o.stdout_s, 0, NULL);
        cr_assert_not_null(c, "%s", o.stdout_s);
        json_array_foreach(json_object_get(c, "benchmarks"), i, w) {
            double ch = json_real_value(json_object_get(w, "change"));
            cr_assert(ch > 0.009 && ch < 0.0101, "%s %g",
                      json_string_value(json_object_get(w, "name")), ch);
            cr_assert_str_eq(json_string_value(json_object_get(w, "verdict")), "regressed");
        }
        json_decref(c);
    }
    out_free(&o);
}

Test(counted, without_valgrind_one_line_and_exit_2)
{
    const char *path = getenv("PATH");
    char *saved = path ? xstrdup(path) : NULL;
    struct out o;

    setenv("PATH", "/nonexistent", 1);
    o = run_pacer("run", counted_bin(), "--mode", "instructions", "-q");
    if (saved) {
        setenv("PATH", saved, 1);
        free(saved);
    }
    cr_assert_eq(o.code, 2, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stderr_s, "Debian's package valgrind"), "%s", o.stderr_s);
    cr_assert_eq(strchr(o.stderr_s, '\n') - o.stderr_s + 1, (long)strlen(o.stderr_s), "%s",
                 o.stderr_s);
    out_free(&o);
}

Test(counted, bad_modes)
{
    struct out o = run_pacer("run", counted_bin(), "--mode", "cycles", "-q");

    cr_assert_eq(o.code, 2, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stderr_s, "hardware counters"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("run", counted_bin(), "--counters", "instructions,cache-misses", "-q");
    cr_assert_eq(o.code, 2, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stderr_s, "--counters: this machine has"), "%s", o.stderr_s);
    cr_expect_eq(strchr(o.stderr_s, '\n') - o.stderr_s + 1, (long)strlen(o.stderr_s));
    out_free(&o);
    o = run_pacer("run", counted_bin(), "--counters", "misses", "-q");
    cr_assert_eq(o.code, 2, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stderr_s, "'misses' is not a counter"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("run", counted_bin(), "--mode", "instr", "-q");
    cr_assert_eq(o.code, 2, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stderr_s, "--mode: 'instr' is not time, instructions or cycles"),
                       "%s", o.stderr_s);
    out_free(&o);
}

/* pacer ab --mode instructions: each side counted, the same rule. */
Test(counted, ab_counts_two_builds)
{
    char copy[300], cmd[1400];
    struct out o;

    if (SANITIZED)
        cr_skip_test("valgrind cannot run sanitizer builds");
    snprintf(copy, sizeof copy, "%s", tmp_path("counted2"));
    snprintf(cmd, sizeof cmd, "cp %s %s", counted_bin(), copy);
    cr_assert_eq(system(cmd), 0);
    o = run_pacer("ab", counted_bin(), copy, "--mode", "instructions", "--filter", "work$",
                  "--color", "never");
    cr_assert_eq(o.code, 0, "%s%s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "1 unchanged"), "%s", o.stdout_s);
    cr_assert_null(strstr(o.stderr_s, "cannot be significant"), "%s", o.stderr_s);
    out_free(&o);
}

/* pacer run --profile, pacer show --profile, pacer compare --explain: the
 * second run calls one more function (extra_step), which the explanation
 * must name. */
Test(counted, profiles_and_explain)
{
    char a[300], b[300], svg[700], cmd[1600];
    struct out o;

    if (SANITIZED)
        cr_skip_test("valgrind cannot run sanitizer builds");
    snprintf(a, sizeof a, "%s", tmp_path("a.json"));
    snprintf(b, sizeof b, "%s", tmp_path("b.json"));
    o = run_pacer("run", counted_bin(), "--mode", "instructions", "--filter", "work$",
                  "--profile", "--out", a, "-q");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    setenv("COUNTED_EXTRA", "1", 1);
    o = run_pacer("run", counted_bin(), "--mode", "instructions", "--filter", "work$",
                  "--profile", "--out", b, "-q");
    unsetenv("COUNTED_EXTRA");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);

    o = run_pacer("show", "--profile", a);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "lcg "), "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "counted.c:"), "%s", o.stdout_s);
    cr_expect_null(strstr(o.stdout_s, "extra_step"), "%s", o.stdout_s);
    out_free(&o);
    snprintf(svg, sizeof svg, "%s.profiles/counted%%2Fwork.svg", a);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c \"import xml.dom.minidom as m; "
                              "m.parse('%s')\"", svg);
    cr_expect_eq(system(cmd), 0, "%s is not well-formed", svg);

    o = run_pacer("compare", a, b, "--explain", "--color", "never");
    cr_assert_eq(o.code, 1, "%s%s", o.stdout_s, o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "extra_step new (+"), "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "differential flame graph: "), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("compare", a, b, "--explain", "--format", "markdown");
    cr_expect_not_null(strstr(o.stdout_s, "| `extra_step` |"), "%s", o.stdout_s);
    out_free(&o);
    snprintf(svg, sizeof svg, "%s.profiles/counted%%2Fwork.diff.svg", b);
    cr_expect(exists(svg), "%s", svg);
    /* without profiles: said, not failed */
    o = run_pacer("show", "--profile", b, "--filter", "nothing");
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "no profiles beside it"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("run", counted_bin(), "--profile", "-q");
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "--profile needs --out FILE or --save DIR"), "%s",
                       o.stderr_s);
    out_free(&o);
}

/* pacer ab --explain on two builds of the fixture, one with extra_step. */
Test(counted, ab_explain)
{
    char extra[300], cmd[1600], out[300], svg[700];
    struct out o;

    if (SANITIZED)
        cr_skip_test("valgrind cannot run sanitizer builds");
    snprintf(extra, sizeof extra, "%s", tmp_path("counted_extra"));
    snprintf(out, sizeof out, "%s", tmp_path("ab.json"));
    snprintf(cmd, sizeof cmd, "cc -std=gnu11 -O2 -g -D_GNU_SOURCE -DCOUNTED_EXTRA -Iharness/lib "
                              "tests/fixtures/counted.c %s/libpacer.a -lm -o %s",
             getenv("PACER_BUILD") && *getenv("PACER_BUILD") ? getenv("PACER_BUILD") : "build",
             extra);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    o = run_pacer("ab", counted_bin(), extra, "--mode", "instructions", "--filter", "work$",
                  "--explain", "--out", out, "--color", "never", "-q");
    cr_assert_eq(o.code, 1, "%s%s", o.stdout_s, o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "regressed"), "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "extra_step new (+"), "%s", o.stdout_s);
    out_free(&o);
    snprintf(svg, sizeof svg, "%s.profiles/counted_extra%%2Fwork.diff.svg", out);
    cr_expect(exists(svg), "%s", svg);
    /* the A/B result re-explained from the profiles beside it */
    o = run_pacer("compare", out, "--explain", "--color", "never");
    cr_expect_eq(o.code, 1, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "extra_step new (+"), "%s", o.stdout_s);
    out_free(&o);
}

/* A loop that sleeps: counted, with the warning that counts leave the
 * waiting out. */
Test(counted, waiting_is_said)
{
    struct out o;

    if (SANITIZED)
        cr_skip_test("valgrind cannot run sanitizer builds");
    o = run_pacer("run", counted_bin(), "--mode", "instructions", "--filter", "sleeps$");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stderr_s, "counted/sleeps: its timed loop waited "), "%s",
                       o.stderr_s);
    cr_expect_not_null(strstr(o.stderr_s, "wall time (--mode time) is the metric to watch"));
    out_free(&o);
    o = run_pacer("run", counted_bin(), "--mode", "instructions", "--filter", "work$");
    cr_expect_null(strstr(o.stderr_s, "waited"), "%s", o.stderr_s);
    out_free(&o);
}

/* Command benchmarks counted: the whole run of the command (a shell's
 * pipeline too), the same count every run. */
Test(counted, commands)
{
    const char *out = tmp_path("c.json");
    const json_t *b;
    json_t *j;
    struct out o;
    size_t i;

    if (SANITIZED)
        cr_skip_test("valgrind cannot run sanitizer builds");
    o = run_pacer("run", "--cmd", "gzip -c /etc/services", "--cmd", "cat /etc/services | wc -l",
                  "--shell", "--mode", "instructions", "--samples", "3", "--out", out, "-q");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_null(strstr(o.stdout_s, "max RSS"), "%s", o.stdout_s);
    out_free(&o);
    j = load_json(out);
    for (i = 0; i < 2; i++) {
        b = json_array_get(json_object_get(j, "benchmarks"), i);
        cr_expect_str_eq(json_string_value(json_object_get(b, "unit")), "instr");
        cr_expect_eq(json_array_size(json_object_get(b, "samples")), 3);
        /* gzip alone: exact; a pipe's reads may split differently run to run */
        if (i == 0)
            cr_expect_eq(json_real_value(json_array_get(json_object_get(b, "samples"), 0)),
                         json_real_value(json_array_get(json_object_get(b, "samples"), 2)));
        cr_expect_gt(json_real_value(json_array_get(json_object_get(b, "samples"), 0)), 1e5);
        cr_expect_not_null(json_object_get(json_object_get(b, "metrics"), "cycles"));
    }
    json_decref(j);
}

/* A benchmark that crashes, counted and profiled: its crash recorded as
 * in any run, the others counted and profiled, no profile of it. */
Test(counted, crash_counted_and_profiled)
{
    const char *out = tmp_path("f.json");
    char path[600];
    json_t *j;
    struct out o;
    size_t i;
    int crashed = 0, counted = 0;

    if (SANITIZED)
        cr_skip_test("valgrind cannot run sanitizer builds");
    o = run_pacer("run", faulty_bin(), "--filter", "ok$|segv$", "--mode", "instructions",
                  "--profile", "--out", out, "-q");
    cr_assert_eq(o.code, 3, "%s%s", o.stdout_s, o.stderr_s);
    out_free(&o);
    j = load_json(out);
    for (i = 0; i < json_array_size(json_object_get(j, "benchmarks")); i++) {
        json_t *b = json_array_get(json_object_get(j, "benchmarks"), i);
        const char *name = json_string_value(json_object_get(b, "name"));
        if (ends_with(name, "/segv")) {
            crashed = strstr(json_string_value(json_object_get(json_object_get(b, "error"),
                                                               "message")), "SIGSEGV") != NULL;
            snprintf(path, sizeof path, "%s.profiles/faulty%%2Fsegv.callgrind", out);
            cr_expect(!exists(path), "a profile of the crashed benchmark");
        } else if (ends_with(name, "/ok")) {
            counted = !strcmp(json_string_value(json_object_get(b, "unit")), "instr");
            snprintf(path, sizeof path, "%s.profiles/faulty%%2Fok.callgrind", out);
            cr_expect(nonempty(path), "%s", path);
        }
    }
    cr_expect(crashed && counted);
    json_decref(j);
}
