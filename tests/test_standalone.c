/*
 * test_standalone.c: a suite binary run on its own (harness/lib/
 * standalone.c), as Google Benchmark's are: its table, a filter that
 * selects nothing (exit 2, as pacer run, and no empty table), and noisy
 * benchmarks named in one warning after the table, the worst first.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

TestSuite(standalone, .timeout = 60);

static const char *noisy_bin(void)
{
    static char path[512];

    if (!path[0])
        build_path(path, sizeof path, "tests/fixtures/noisy");
    return path;
}

Test(standalone, a_filter_that_selects_nothing_exits_2)
{
    const char *args[] = {"--filter", "no such", NULL};
    struct out o = pacer_exec(noisy_bin(), 0, args);

    cr_assert_eq(o.code, 2, "%s", o.stderr_s);
    cr_assert_str_eq(o.stdout_s, "");
    cr_assert_not_null(strstr(o.stderr_s, "no benchmark matches 'no such' (--list shows the "
                                          "names)"), "%s", o.stderr_s);
    out_free(&o);
}

Test(standalone, noisy_benchmarks_are_named_once)
{
    const char *args[] = {"--samples", "10", "--sample-time", "200us", "--warmup", "1ms", NULL};
    struct out o = pacer_exec(noisy_bin(), 0, args);
    const char *w;

    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "jumpy"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "steady"), "%s", o.stdout_s);
    /* jumpy's CV is about 50 %; steady's is small on a quiet machine, but
     * a busy one can make it noisy too: then both are in the one line */
    w = strstr(o.stderr_s, "warning: ");
    cr_assert_not_null(w, "%s", o.stderr_s);
    cr_assert(strstr(w, "benchmark is noisy (CV above 5%): jumpy ") ||
                  strstr(w, "benchmarks are noisy (CV above 5%): "),
              "%s", o.stderr_s);
    cr_assert_not_null(strstr(w, "jumpy "), "%s", o.stderr_s);
    cr_assert_not_null(strstr(w, "; a quieter machine, more --samples, or pacer run "
                                 "--processes N (fresh processes) give steadier figures\n"),
                       "%s", o.stderr_s);
    cr_assert_null(strstr(w + 1, "warning"), "one line: %s", o.stderr_s);
    out_free(&o);
}

/* A benchmark that skips itself is said so on stderr and is no failure. */
Test(standalone, an_expected_skip_exits_0)
{
    const char *args[] = {"--filter", "^(ok|skipped)$", "--samples", "3", "--sample-time", "1ms",
                          "--warmup", "1ms", NULL};
    struct out o = pacer_exec(faulty_bin(), 0, args);

    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "ok"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stderr_s, "skipped: skipped: no database here\n"), "%s",
                       o.stderr_s);
    out_free(&o);
}
