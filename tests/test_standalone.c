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

/* A definition's own samples and sample time (->Repetitions(),
 * ->MinTime()), unless the command line says otherwise. */
Test(standalone, a_definition_says_how_to_measure_it)
{
    const char *args[] = {"--filter", "wants", NULL};
    const char *args3[] = {"--filter", "wants", "--samples", "3", NULL};
    struct out o = pacer_exec(noisy_bin(), 0, args);
    const char *row;
    unsigned samples = 0;

    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    row = strstr(o.stdout_s, "\nwants ");
    cr_assert_not_null(row, "%s", o.stdout_s);
    {
        /* the samples column is the one before the last (iters) */
        char line[256], *w[16], *save = NULL, *tok;
        size_t n = 0, len = strcspn(row + 1, "\n");
        snprintf(line, sizeof line, "%.*s", (int)len, row + 1);
        for (tok = strtok_r(line, " ", &save); tok && n < 16; tok = strtok_r(NULL, " ", &save))
            w[n++] = tok;
        cr_assert_geq(n, 3, "%s", row);
        cr_assert_eq(sscanf(w[n - 2], "%u", &samples), 1, "%s", row);
    }
    out_free(&o);
    o = pacer_exec(noisy_bin(), 0, args3);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "       3 "), "%s", o.stdout_s);
    out_free(&o);
    cr_assert_eq(samples, 7);
}

static const char *gbfeat_bin(void)
{
    static char path[512];

    if (!path[0])
        build_path(path, sizeof path, "tests/fixtures/gbfeat");
    return path;
}

/* Manual time and threads as Google Benchmark names and times them: the
 * rows hold the times the benchmarks gave; a benchmark that declares
 * manual time and gives none is an error that says so (exit 3); user
 * counters are columns of their own. */
Test(standalone, manual_time_threads_and_counters)
{
    const char *args[] = {"--samples", "3", "--sample-time", "1ms", "--warmup", "1ms", NULL};
    struct out o = pacer_exec(gbfeat_bin(), 0, args);

    cr_assert_eq(o.code, 3, "%s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "\nmanual/manual_time "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "\nteam/manual_time/threads:1 "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, "\nteam/manual_time/threads:2 "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(strstr(o.stdout_s, "\nmanual/"), " 1.00 us "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(strstr(o.stdout_s, "threads:1 "), " 1.00 us "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(strstr(o.stdout_s, "threads:2 "), " 750 ns "), "%s", o.stdout_s);
    /* user counters: a column each, their medians */
    cr_assert_not_null(strstr(o.stdout_s, " items "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stdout_s, " per_op "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(strstr(o.stdout_s, "\ncounted/"), " 3.00M/s "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(strstr(o.stdout_s, "\ncounted/"), " 2.00 "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(strstr(o.stdout_s, "\ncounted/"), " 42.0"), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stderr_s, "forgot/manual_time: error: the benchmark declares "
                                          ".manual_time but its loop never called "
                                          "pacer_set_iteration_time\n"), "%s", o.stderr_s);
    out_free(&o);
}

/* Complexity fits printed as Google Benchmark prints them, after the
 * family's rows: _BigO (coefficient and shape) and _RMS (percent); n from
 * the one parameter or from pacer_set_complexity_n; two parameters and no
 * n given is the benchmark's error. */
Test(standalone, complexity_rows)
{
    const char *args[] = {"--filter", "linear|square|no_n", "--samples", "3", "--sample-time",
                          "1ms", "--warmup", "1ms", NULL};
    struct out o = pacer_exec(gbfeat_bin(), 0, args);
    const char *big, *rms, *last;

    cr_assert_eq(o.code, 3, "%s", o.stderr_s);
    big = strstr(o.stdout_s, "\nlinear/manual_time_BigO ");
    rms = strstr(o.stdout_s, "\nlinear/manual_time_RMS ");
    last = strstr(o.stdout_s, "\nlinear/n=1024/manual_time ");
    cr_assert(big && rms && last && last < big && big < rms, "%s", o.stdout_s);
    cr_assert_not_null(strstr(big, " 2.50 N "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(rms, " 0 % "), "%s", o.stdout_s);
    big = strstr(o.stdout_s, "\nsquare/manual_time_BigO ");
    cr_assert_not_null(big, "%s", o.stdout_s);
    cr_assert_not_null(strstr(big, " 1.00 N^2 "), "%s", o.stdout_s);
    cr_assert_not_null(strstr(o.stderr_s, "no_n/a=2/b=8/manual_time: error: the benchmark "
                                          "declares .complexity but has 2 parameters and never "
                                          "called pacer_set_complexity_n\n"), "%s", o.stderr_s);
    out_free(&o);
}
