/*
 * test_cmd_show.c: `pacer show` as a user runs it (harness/cli/cmd_show.c):
 * a result pacer run wrote, a cut file refused in one line, and names
 * from a file shown escaped.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(cmd_show, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

Test(cmd_show, run_show_roundtrip)
{
    const char *out = tmp_path("ok.json");
    struct out o = run_pacer("run", faulty_bin(), "--filter", "ok$", "--samples", "4", "--warmup",
                             "1ms", "--sample-time", "1ms", "--out", out, "-q");

    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    out_free(&o);
    o = run_pacer("show", out);
    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    cr_assert_not_null(strstr(o.stdout_s, "faulty/ok"));
    cr_assert_not_null(strstr(o.stdout_s, "fingerprint"));
    out_free(&o);
}

Test(cmd_show, show_rejects_truncated_file)
{
    const char *out = tmp_path("full.json"), *cut = tmp_path("cut.json");
    struct out o = run_pacer("run", "--cmd", "true", "--samples", "2", "--out", out, "-q");
    char buf[65536];
    FILE *f;
    size_t n;

    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    out_free(&o);
    f = fopen(out, "r");
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    f = fopen(cut, "w");
    fwrite(buf, 1, n / 2, f);
    fclose(f);
    o = run_pacer("show", cut);
    cr_assert_eq(o.code, 2);
    cr_assert_not_null(strstr(o.stderr_s, cut), "message names the file: %s", o.stderr_s);
    cr_assert_eq(strchr(o.stderr_s, '\n'), o.stderr_s + strlen(o.stderr_s) - 1,
                 "one line: %s", o.stderr_s);
    cr_assert_str_eq(o.stdout_s, "");
    out_free(&o);
}

/* A name holding an escape sequence reaches the terminal quoted and
 * visible, never raw. */
Test(cmd_show, show_escapes_names)
{
    struct out o = run_pacer("show", "tests/data/compare/escaped_name/base.json");

    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    cr_expect_null(strchr(o.stdout_s, '\033'), "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "\"y\\x1b[31m\""), "%s", o.stdout_s);
    out_free(&o);
}
