/*
 * test_main.c: the pacer binary's command table (harness/cli/main.c): its
 * usage, and a word that is not a command.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(main, .timeout = 60);

Test(main, usage_and_unknown_command)
{
    struct out o = run_pacer("--help");

    cr_assert_eq(o.code, 0);
    cr_assert_not_null(strstr(o.stdout_s, "run"));
    out_free(&o);
    o = run_pacer("fly");
    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: 'fly' is not a pacer command (see pacer --help)\n");
    out_free(&o);
}
