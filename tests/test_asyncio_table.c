/*
 * test_asyncio_table.c: the before/after table of the asyncio tuning suite
 * (suites/macro/asyncio_table.py) on a result written here: a point whose
 * repetition pacer judged not valid is marked, "> X" when it was for
 * requests never sent (its p99 a floor), with pacer's reason under the
 * table; --overload-ok SCENARIO exits 0 when that scenario's overload is
 * the only thing wrong, 3 otherwise (make bench-asyncio).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

TestSuite(asyncio_table, .init = tmp_setup, .fini = tmp_teardown, .timeout = 30);

#define UNSENT "412 of 4805 requests due were never sent, waiting for a connection the server held"
#define LATE "the machine did not run the generator on time"

/* One load point: p99 in ns, and its repetition's validity. */
static void point(FILE *f, const char *name, double p99, const char *reason, int last)
{
    fprintf(f,
            "{\"name\": \"asyncio-tuning/%s/rate=2400\", \"kind\": \"load\", \"error\": null,"
            " \"metrics\": {\"latency.p99\": {\"stats\": {\"median\": %g}},"
            " \"throughput\": {\"stats\": {\"median\": 1000}},"
            " \"errors.rate\": {\"stats\": {\"median\": 0}}},"
            " \"load\": [{\"settings\": {\"rate\": 2400, \"connections\": 512},"
            " \"valid\": %s, \"invalid_reason\": %s%s%s}]}%s\n",
            name, p99, reason ? "false" : "true", reason ? "\"" : "", reason ? reason : "null",
            reason ? "\"" : "", last ? "" : ",");
}

static char *result(const char *file, const char *no_limit_reason, const char *limit_reason)
{
    char *path = tmp_path(file);
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f);
    fprintf(f, "{\"suite\": \"asyncio-tuning\", \"context\": {\"time\": \"t\", \"git\": null},\n"
               " \"benchmarks\": [\n");
    point(f, "no-limit", 1.6e9, no_limit_reason, 0);
    point(f, "limit-16", 4.05e7, limit_reason, 1);
    fprintf(f, "]}\n");
    fclose(f);
    return path;
}

static struct out table(const char *overload_ok, const char *path)
{
    const char *args[] = {"suites/macro/asyncio_table.py", "--overload-ok", overload_ok, path,
                          NULL};

    return pacer_exec("/usr/bin/python3", 0, overload_ok ? args : (const char *[]){
                                                              args[0], path, NULL});
}

Test(asyncio_table, an_overload_past_capacity_is_marked_and_expected)
{
    struct out o = table("no-limit", result("over.json", UNSENT, NULL));

    cr_assert_eq(o.code, 0, "%s%s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "| > 1.6 s (1) |"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "| 40.5 ms |"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "(1) asyncio-tuning/no-limit/rate=2400: not a valid "
                                          "run, so its p99 is a floor: " UNSENT),
                       "%s", o.stdout_s);
    cr_assert_null(strstr(o.stdout_s, "p99 x"), "no ratio of a floor: %s", o.stdout_s);
    out_free(&o);
}

Test(asyncio_table, any_other_invalid_run_fails)
{
    char *late = result("late.json", UNSENT, LATE);
    struct out o = table("no-limit", late);

    cr_assert_eq(o.code, 3, "%s%s", o.stdout_s, o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "| 40.5 ms (2) |"), "not a floor: %s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "(2) asyncio-tuning/limit-16/rate=2400: not a valid "
                                          "run: " LATE), "%s", o.stdout_s);
    out_free(&o);
    o = table("limit-16", result("other.json", UNSENT, NULL));
    cr_assert_eq(o.code, 3, "the overload of another scenario: %s", o.stdout_s);
    out_free(&o);
    o = table("limit-16,no-limit", tmp_path("other.json"));
    cr_assert_eq(o.code, 0, "a list of scenarios: %s", o.stdout_s);
    out_free(&o);
    o = table(NULL, late);
    cr_assert_eq(o.code, 0, "without --overload-ok only the table: %s", o.stderr_s);
    out_free(&o);
}
