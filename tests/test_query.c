/*
 * test_query.c: the driver's queries to a worker (query.c), against the
 * real suite binary tests/fixtures/faulty.c, and against a scripted worker
 * whose answers break the protocol.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "harness/run/query.h"
#include "helpers.h"

TestSuite(query, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

/* A worker that answers each request with the line given for its first
 * word, and "ok" to the others (a script in the scratch directory). */
static const char *scripted(const char *calibrate, const char *warmup, const char *sample)
{
    const char *script = tmp_path("worker");
    char text[1024];

    snprintf(text, sizeof text,
             "#!/bin/sh\n"
             "while read -r line <&3; do\n"
             "  case \"$line\" in\n"
             "    calibrate*) echo '%s' >&4;;\n"
             "    warmup*) echo '%s' >&4;;\n"
             "    sample*) echo '%s' >&4;;\n"
             "    quit) exit 0;;\n"
             "    *) echo ok >&4;;\n"
             "  esac\n"
             "done\n",
             calibrate, warmup, sample);
    write_file(script, text);
    chmod(script, 0700);
    return script;
}

Test(query, a_benchmark_from_select_to_teardown)
{
    uint64_t dl = clock_now_ns() + 10000000000ULL, iters = 0;
    struct warmup_answer wa;
    struct series s = {0};
    struct bench b = {0};
    struct child c;
    struct err e = {0};

    cr_assert_eq(child_start(&c, faulty_bin(), &e), 0, "%s", e.msg);
    cr_assert_eq(query_select(&c, "ok", dl, &e), CHILD_OK, "%s", e.msg);
    cr_assert_eq(query_plain(&c, "setup", dl, &e), CHILD_OK, "%s", e.msg);
    cr_assert_eq(query_calibrate(&c, 1000000, dl, &iters, &e), CHILD_OK, "%s", e.msg);
    cr_assert_gt(iters, 0);
    cr_assert_eq(query_warmup(&c, iters, 1000000, 1000000, 1, dl, &wa, &e), CHILD_OK, "%s",
                 e.msg);
    cr_assert_eq(wa.iters, iters, "a fixed count stays");
    cr_assert_eq(query_samples(&c, iters, 3, dl, &s, &b, &e), CHILD_OK, "%s", e.msg);
    cr_assert_eq(s.n, 3);
    cr_assert_gt(s.x[0], 0);
    cr_assert_eq(query_plain(&c, "teardown", dl, &e), CHILD_OK, "%s", e.msg);
    cr_assert_eq(child_stop(&c, 2000000000ULL, &e), 0, "%s", e.msg);
    child_free(&c);
    free(s.x);
}

Test(query, an_unknown_benchmark_is_the_workers_error)
{
    uint64_t dl = clock_now_ns() + 10000000000ULL;
    struct child c;
    struct err e = {0};

    cr_assert_eq(child_start(&c, faulty_bin(), &e), 0, "%s", e.msg);
    cr_assert_eq(query_select(&c, "nothing", dl, &e), CHILD_ERR_ANSWER);
    cr_assert_str_eq(e.msg, "no benchmark of that name in this binary");
    child_kill(&c);
    child_free(&c);
}

Test(query, malformed_answers)
{
    uint64_t dl = clock_now_ns() + 10000000000ULL, iters = 0;
    struct warmup_answer wa;
    struct series s = {0};
    struct bench b = {0};
    struct child c;
    struct err e = {0};

    cr_assert_eq(child_start(&c, scripted("ok many", "ok 0 1 1 5", "ok 0 0 100"), &e), 0, "%s",
                 e.msg);
    cr_assert_eq(query_calibrate(&c, 1000000, dl, &iters, &e), CHILD_PROTOCOL);
    cr_assert_str_eq(e.msg, "malformed calibrate answer 'many'");
    err_clear(&e);
    cr_assert_eq(query_warmup(&c, 10, 1000000, 1000000, 0, dl, &wa, &e), CHILD_PROTOCOL);
    cr_assert_str_eq(e.msg, "malformed warmup answer '0 1 1 5'");
    err_clear(&e);
    cr_assert_eq(query_samples(&c, 10, 2, dl, &s, &b, &e), CHILD_PROTOCOL);
    cr_assert_str_eq(e.msg, "asked for 2 samples, got 1");
    cr_assert_eq(s.n, 1, "what came is kept");
    cr_assert_float_eq(s.x[0], 10.0, 1e-12);
    child_kill(&c);
    child_free(&c);
    free(s.x);
}
