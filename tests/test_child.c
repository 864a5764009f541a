/*
 * test_child.c: worker processes the driver talks to (child.c): requests
 * and answers over the protocol pipes, against the real suite binary
 * tests/fixtures/faulty.c, and how a wait status is described.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness/lib/clock.h"
#include "harness/run/child.h"
#include "helpers.h"

TestSuite(child, .timeout = 60);

Test(child, worker_refuses_malformed_requests)
{
    struct child c;
    struct err e = {0};
    char *rest;
    uint64_t dl = clock_now_ns() + 5000000000ULL;

    cr_assert_eq(child_start(&c, faulty_bin(), &e), 0, "%s", e.msg);
    cr_assert_eq(child_call(&c, "setup", &rest, dl, &e), CHILD_ERR_ANSWER);
    cr_assert_str_eq(e.msg, "no benchmark selected");
    err_clear(&e);
    cr_assert_eq(child_call(&c, "select nothing", &rest, dl, &e), CHILD_ERR_ANSWER);
    cr_assert_str_eq(e.msg, "no benchmark of that name in this binary");
    err_clear(&e);
    cr_assert_eq(child_call(&c, "select ok", &rest, dl, &e), CHILD_OK);
    cr_assert_eq(child_call(&c, "sample 0 1", &rest, dl, &e), CHILD_ERR_ANSWER);
    cr_assert_str_eq(e.msg, "iterations must be at least 1");
    err_clear(&e);
    cr_assert_eq(child_call(&c, "sample 10 0", &rest, dl, &e), CHILD_ERR_ANSWER);
    cr_assert_str_eq(e.msg, "sample count out of range");
    err_clear(&e);
    cr_assert_eq(child_call(&c, "fly", &rest, dl, &e), CHILD_ERR_ANSWER);
    cr_assert_str_eq(e.msg, "malformed request");
    err_clear(&e);
    cr_assert_eq(child_call(&c, "sample 10 3", &rest, dl, &e), CHILD_OK);
    cr_assert_eq(child_stop(&c, 2000000000ULL, &e), 0, "%s", e.msg);
    child_free(&c);
}

Test(child, describe_status)
{
    char buf[96];

    child_describe_status(7 << 8, buf, sizeof buf);
    cr_assert_str_eq(buf, "exited with status 7");
    child_describe_status(SIGKILL, buf, sizeof buf);
    cr_assert_str_eq(buf, "killed by signal 9 (SIGKILL)");
}
