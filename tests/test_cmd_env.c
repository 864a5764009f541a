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
