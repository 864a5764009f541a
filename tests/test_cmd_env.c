/*
 * test_cmd_env.c: `pacer env` as a user runs it (harness/cli/cmd_env.c):
 * the context as JSON.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(cmd_env, .timeout = 60);

Test(cmd_env, env_json)
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

/* The build recorded is the measured code's: a benchmark compiled at -O0
 * says so (not pacer's own -O2), one that gives PACER_CFLAGS has exactly
 * those, and pacer env BINARY prints the fingerprint the binary's results
 * get. */
Test(cmd_env, the_build_is_the_benchmarks, .init = tmp_setup, .fini = tmp_teardown)
{
    const char *b = getenv("PACER_BUILD");
    char cmd[2048];
    const char *bin0 = tmp_path("o0"), *bin1 = tmp_path("given"), *res = tmp_path("r.json");
    struct out o;
    json_t *j, *r;

    write_spin_bench(tmp_path("b.c"));
    /* a sanitized build's library needs the sanitizers' runtime */
    snprintf(cmd, sizeof cmd,
             "L=%s/libpacer.a; S=$(nm $L 2>/dev/null | grep -q __asan_ && "
             "echo -fsanitize=address,undefined); "
             "cc -O0 -Iharness/lib %s $L -lm -lpthread $S -o %s && "
             "cc -O2 -DPACER_CFLAGS='\"-O2 -march=x86-64-v2\"' -Iharness/lib %s $L -lm "
             "-lpthread $S -o %s",
             b && *b ? b : "build", tmp_path("b.c"), bin0, tmp_path("b.c"), bin1);
    cr_assert_eq(system(cmd), 0, "%s", cmd);

    o = run_pacer("env", "--format", "json", bin0);
    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    j = json_loads(o.stdout_s, 0, NULL);
    cr_assert_not_null(j);
    cr_assert_not_null(strstr(json_string_value(json_object_get(json_object_get(j, "build"),
                                                                "cflags")),
                              "not optimized (-O0)"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(json_string_value(json_object_get(json_object_get(j, "build"),
                                                                "compiler")), "gcc"));
    out_free(&o);

    /* its micro result has the fingerprint pacer env gave */
    o = run_pacer("run", bin0, "--samples", "2", "--sample-time", "1ms", "--warmup", "1ms",
                  "--out", res, "-q");
    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    out_free(&o);
    r = load_json(res);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "context"),
                                                       "fingerprint")),
                     json_string_value(json_object_get(j, "fingerprint")));
    json_decref(r);
    json_decref(j);

    o = run_pacer("env", bin1);
    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "cflags               -O2 -march=x86-64-v2\n"), "%s",
                       o.stdout_s);
    out_free(&o);

    /* what is not a suite binary is said so, in one line, exit 2 */
    o = run_pacer("env", tmp_path("none"));
    cr_assert_eq(o.code, 2);
    cr_assert_not_null(strstr(o.stderr_s, "none: No such file or directory\n"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("env", tmp_path("b.c"));
    cr_assert_eq(o.code, 2);
    cr_assert_not_null(strstr(o.stderr_s, "b.c: not an executable suite binary\n"), "%s",
                       o.stderr_s);
    out_free(&o);

    /* no binary: the machine alone, no build */
    o = run_pacer("env");
    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "cflags               -\n"), "%s", o.stdout_s);
    out_free(&o);
}
