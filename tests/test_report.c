/* test_report.c: the four report formats of a comparison (report_*.c). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/report/escape.h"
#include "compare/report/report.h"

static struct compare_row rows[2];
static struct comparison cmp;

static void init(void)
{
    memset(rows, 0, sizeof rows);
    rows[0].name = "hash/copy";
    rows[0].unit = "ns";
    rows[0].base_value = 100;
    rows[0].new_value = 110;
    rows[0].ratio = 1.1;
    rows[0].change = 0.1;
    rows[0].change_lo = 0.08;
    rows[0].change_hi = 0.12;
    rows[0].p = 1e-5;
    rows[0].p_adj = 2e-5;
    rows[0].mde = 0.015;
    rows[0].threshold = 0.03;
    rows[0].n_base = rows[0].n_new = 30;
    rows[0].verdict = VERDICT_REGRESSED;
    rows[1].name = "a|b";
    rows[1].unit = "ns";
    rows[1].base_value = 2000;
    rows[1].new_value = NAN;
    rows[1].ratio = rows[1].change = rows[1].change_lo = rows[1].change_hi = NAN;
    rows[1].p = rows[1].p_adj = rows[1].mde = NAN;
    rows[1].verdict = VERDICT_BASE_ONLY;
    rows[1].n_base = 10;
    snprintf(rows[1].note, sizeof rows[1].note, "says \"hi\"");
    memset(&cmp, 0, sizeof cmp);
    cmp.rows = rows;
    cmp.nrows = 2;
    cmp.alpha = 0.05;
    cmp.ci_level = 0.95;
    cmp.adjust = ADJUST_HOLM;
    cmp.geomean = 1.1;
    cmp.ngeomean = 1;
    cmp.count[VERDICT_REGRESSED] = 1;
    cmp.count[VERDICT_BASE_ONLY] = 1;
}

TestSuite(report, .init = init);

static char *render(const char *format, int color)
{
    struct report_opts ro = {.color = color};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    cr_assert_eq(report_find(format)->print(f, &cmp, &ro), 0);
    fclose(f);
    return buf;
}

Test(report, table)
{
    char *s = render("table", 0);

    cr_assert_str_eq(s,
        "benchmark     base     new  change           95% CI  p (adj)   MDE    verdict\n"
        "hash/copy   100 ns  110 ns  +10.0%  [+8.0%, +12.0%]  2.0e-05  1.5%  regressed\n"
        "a|b        2.00 us       -       -                -        -     -  base only\n"
        "geometric mean of the changes (1 benchmark): +10.0%\n"
        "1 compared: 1 regressed, 0 improved, 0 unchanged, 0 inconclusive; 1 only in base, 0 "
        "only in new\n"
        "unpaired (two runs), holm correction, alpha 0.05, 95% CI; change > 0 is worse\n"
        "legend: base: median; new: base moved by the change; change and CI: > 0 is worse; "
        "MDE: the least change these runs can detect; regressed/improved: p (adj) < 0.05 and "
        "the CI above +3%/below -3%; unchanged: the CI within +-3%; inconclusive: neither\n"
        "notes:\n"
        "  a|b: says \"hi\"\n"
        "FAIL: 1 regressed: hash/copy +10.0% [+8.0%, +12.0%]\n");
    free(s);
}

/* The outcome line says what the exit code says, in words. */
Test(report, outcome_lines)
{
    static const struct {
        enum verdict v;
        int untrusted, require_conclusive;
        const char *want;
    } cases[] = {
        {VERDICT_REGRESSED, 0, 0, "FAIL: 1 regressed: hash/copy +10.0% [+8.0%, +12.0%]\n"},
        {VERDICT_UNCHANGED, 0, 0, "PASS: 0 regressed; 1 unchanged\n"},
        {VERDICT_IMPROVED, 0, 0, "PASS: 0 regressed; 1 improved\n"},
        {VERDICT_INCONCLUSIVE, 0, 0,
         "PASS: 0 regressed, but nothing shown unchanged: 1 inconclusive\n"},
        {VERDICT_INCONCLUSIVE, 0, 1,
         "UNTRUSTED: 1 inconclusive (--require-conclusive): hash/copy\n"},
        {VERDICT_INCONCLUSIVE, 1, 0,
         "UNTRUSTED: 1 with too few samples for a verdict: hash/copy\n"},
        {VERDICT_ERROR, 0, 0, "UNTRUSTED: 1 failed: hash/copy\n"},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        memset(cmp.count, 0, sizeof cmp.count);
        rows[0].verdict = cases[i].v;
        rows[0].untrusted = cases[i].untrusted;
        cmp.count[cases[i].v] = 1;
        cmp.nrows = 1;
        report_outcome(f, &cmp, cases[i].require_conclusive, escape_term_put);
        fclose(f);
        cr_expect_str_eq(buf, cases[i].want, "case %zu", i);
        free(buf);
    }
}

/* Rows that regressed while the machine made the whole run slower: exit 3,
 * the outcome says machine and code cannot be told apart; a machine that
 * ran faster leaves them a failure. */
Test(report, outcome_machine_worse)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    cmp.whole = WHOLE_MACHINE;
    cmp.whole_shift = 0.071;
    cr_assert_eq(compare_exit_code(&cmp, 0), 3);
    report_outcome(f, &cmp, 0, escape_term_put);
    fclose(f);
    cr_expect_str_eq(buf, "UNTRUSTED: 1 regressed while the machine itself ran slower: "
                          "hash/copy +10.0% [+8.0%, +12.0%] (machine or code cannot be told "
                          "apart: run both again, or pair the builds with pacer ab)\n");
    free(buf);
    cmp.whole_shift = -0.071;
    cr_expect_eq(compare_exit_code(&cmp, 0), 1);
    cmp.whole = WHOLE_CODE;
    cmp.whole_shift = 0.071;
    cr_expect_eq(compare_exit_code(&cmp, 0), 1);
}

/* Many regressions: three named, the rest counted; a failed limit beside
 * them, its value in its unit; limits alone. */
Test(report, outcome_many_and_limits)
{
    struct compare_row many[5];
    struct limit lim = {0};
    struct limit_check chk[2] = {{&lim, "x", "ns", 1437.7, 0}, {&lim, "y", "ns", 10, 1}};
    char *buf = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);

    lim.text = "median < 1us";
    for (i = 0; i < 5; i++) {
        many[i] = rows[0];
        many[i].change = 0.041;
        many[i].change_lo = 0.03;
        many[i].change_hi = 0.052;
    }
    many[1].name = "json/\033[31mparse";
    cmp.rows = many;
    cmp.nrows = 5;
    cmp.count[VERDICT_REGRESSED] = 5;
    cmp.checks = chk;
    cmp.nchecks = 2;
    cmp.limits_failed = 1;
    report_outcome(f, &cmp, 0, escape_term_put);
    cmp.nrows = 0;
    cmp.limits_failed = 0;
    memset(cmp.count, 0, sizeof cmp.count);
    report_outcome(f, &cmp, 0, escape_term_put);
    fclose(f);
    cr_expect_str_eq(buf, "FAIL: 5 regressed: hash/copy +4.1% [+3.0%, +5.2%], "
                          "\"json/\\x1b[31mparse\" +4.1% [+3.0%, +5.2%], "
                          "hash/copy +4.1% [+3.0%, +5.2%], and 2 more; "
                          "1 of 2 limits failed: x: median < 1us (1.44 us)\n"
                          "PASS: 2 limits held\n");
    free(buf);
    cmp.rows = rows;
    cmp.checks = NULL;
    cmp.nchecks = 0;
}

/* Names from a file reach the terminal and markdown escaped: a control
 * character shown, a pipe, a backtick and a newline unable to break the
 * table. */
Test(report, names_escaped)
{
    char *s;

    rows[0].name = "evil\033[2J|`x`\nrow";
    s = render("table", 0);
    cr_assert_null(strchr(s, '\033'), "%s", s);
    cr_assert_not_null(strstr(s, "\"evil\\x1b[2J|`x`\\nrow\""), "%s", s);
    free(s);
    s = render("markdown", 0);
    cr_assert_null(strchr(s, '\033'), "%s", s);
    cr_assert_not_null(strstr(s, "| ``evil\\x1b[2J\\|`x`\\nrow`` |"), "%s", s);
    free(s);
}

/* Signs: a change always shows its sign; a huge one stays short. */
Test(report, pct_signs)
{
    char b[24];

    cr_expect_str_eq(report_pct(b, sizeof b, 0.0003), "+0.03%");
    cr_expect_str_eq(report_pct(b, sizeof b, -0.0003), "-0.03%");
    cr_expect_str_eq(report_pct(b, sizeof b, 0.002), "+0.2%");
    cr_expect_str_eq(report_pct(b, sizeof b, 0), "0.00%");
    cr_expect_str_eq(report_pct(b, sizeof b, 1e16), "+1e+18%");
    cr_expect_str_eq(report_pct(b, sizeof b, INFINITY), "+inf%");
    cr_expect_str_eq(report_pct(b, sizeof b, NAN), "-");
}

/* Each side in its own unit: a load benchmark's req/s is never shown as a
 * time because the other side (failed before its first repetition) kept
 * the default unit. */
Test(report, each_side_in_its_unit)
{
    struct bench b = {0}, n = {0};
    struct report_cells k;

    b.unit = "req/s";
    n.unit = "ns";
    rows[0].base = &b;
    rows[0].nw = &n;
    rows[0].unit = "ns";
    rows[0].base_value = 2610;
    rows[0].new_value = NAN;
    rows[0].ratio = NAN;
    report_row_cells(&rows[0], &k);
    cr_expect_str_eq(k.base, "2.61k req/s");
    cr_expect_str_eq(k.nw, "-");
    /* compared: new is base moved by the estimated change */
    b.unit = n.unit = "ns";
    rows[0].ratio = 1.05;
    rows[0].new_value = 104;
    report_row_cells(&rows[0], &k);
    cr_expect_str_eq(k.base, "2.61 us");
    cr_expect_str_eq(k.nw, "2.74 us");
}

Test(report, table_colour)
{
    char *s = render("table", 1);

    cr_assert_not_null(strstr(s, "\033[1;31mregressed\033[0m\n"));
    free(s);
}

Test(report, markdown)
{
    char *s = render("markdown", 0);

    cr_assert_not_null(strstr(s, "### pacer compare: 1 compared: 1 regressed"));
    cr_assert_not_null(strstr(s, "| benchmark | base | new | change | 95% CI | p (adj) | MDE | "
                                 "verdict |\n|---|---:|---:|---:|---|---:|---:|---|\n"));
    cr_assert_not_null(strstr(s, "| `hash/copy` | 100 ns | 110 ns | +10.0% | [+8.0%, +12.0%] | "
                                 "2.0e-05 | 1.5% | **regressed** |\n"));
    cr_assert_not_null(strstr(s, "| `a\\|b` |"), "a '|' in a name must be escaped:\n%s", s);
    free(s);
}

Test(report, csv)
{
    char *s = render("csv", 0);
    const char *line2 = strstr(s, "\r\n") + 2;

    cr_assert_eq(strncmp(s, "benchmark,unit,direction,base_median,", 37), 0);
    cr_assert_not_null(strstr(line2, "\"hash/copy\",\"ns\",\"lower\",100,110,30,30,"
                                     "1.1000000000000001,0.10000000000000001,"), "%s", line2);
    cr_assert_not_null(strstr(s, "\"a|b\",\"ns\",\"lower\",2000,,10,0,,,,,,,,0,0,\"base only\","
                                 "\"says \"\"hi\"\"\"\r\n"), "%s", s);
    free(s);
}

Test(report, json)
{
    char *s = render("json", 0);
    json_error_t je;
    json_t *j = json_loads(s, 0, &je), *b0, *b1;

    cr_assert_not_null(j, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(j, "mode")), "unpaired");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "counts"), "regressed")), 1);
    b0 = json_array_get(json_object_get(j, "benchmarks"), 0);
    b1 = json_array_get(json_object_get(j, "benchmarks"), 1);
    cr_assert_str_eq(json_string_value(json_object_get(b0, "verdict")), "regressed");
    cr_assert_float_eq(json_real_value(json_array_get(json_object_get(b0, "change_ci"), 1)), 0.12,
                       1e-15);
    cr_assert(json_is_null(json_object_get(b1, "change")), "NaN is written as null");
    cr_assert_null(json_object_get(b0, "ratio_ci"), "one interval: change_ci");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(b0, "base"), "unit")),
                     "ns");
    json_decref(j);
    free(s);
}

Test(report, unknown_format)
{
    cr_assert_null(report_find("xml"));
}

/* Files of another tool: where their noise comes from, their median MDE,
 * and the repetitions that would resolve the threshold (MDE about k A +
 * s / sqrt(n), k = (z(0.975) + z(0.8)) / z(0.975) = 1.4294: 10 x ((0.03 -
 * 0.00715) / (0.015 - 0.00715))^2 = 84.7), or why none would. */
Test(report, import_advice)
{
    struct bench nb = {0};
    char line[2048];

    nb.kind = KIND_MICRO;
    rows[0].nw = &nb;
    rows[0].mde = 0.03;
    rows[0].allowance = 0.005;
    rows[0].threshold = 0.015;
    rows[0].n_base = rows[0].n_new = 10;
    cmp.nrows = 1;
    cmp.new_imported = cmp.base_imported = 1;
    cmp.drift_estimated = 1;
    report_method(line, sizeof line, &cmp);
    cr_expect_not_null(strstr(line, ".\nGoogle Benchmark files: each benchmark's noise is from "
                                    "its repetitions (median 10 a side) and the drift from the "
                                    "suite; the median MDE is 3.0%; to resolve 1.5%, run with "
                                    "--benchmark_repetitions=85"), "%s", line);
    rows[0].allowance = 0.02;
    nb.kind = KIND_COMMAND;
    report_method(line, sizeof line, &cmp);
    cr_expect_not_null(strstr(line, "hyperfine files: each benchmark's noise is from its runs"),
                       "%s", line);
    cr_expect_not_null(strstr(line, "the drift between the files (2.0%) leaves too little of the "
                                    "threshold for more runs to reach it: pair the builds (pacer "
                                    "ab --cmd OLD --cmd NEW)"), "%s", line);
    nb.kind = KIND_MICRO;
    report_method(line, sizeof line, &cmp);
    cr_expect_not_null(strstr(line, "for more repetitions to reach it: run with "
                                    "--benchmark_enable_random_interleaving=true"), "%s", line);
    /* pytest-benchmark's files: its rounds, and pytest's own option */
    cmp.from_pytest = 1;
    report_method(line, sizeof line, &cmp);
    cr_expect_not_null(strstr(line, "pytest-benchmark files: each benchmark's noise is from "
                                    "its rounds"), "%s", line);
    cr_expect_not_null(strstr(line, "pacer run bench.py --processes 10"), "%s", line);
    cr_expect_null(strstr(line, "Google"), "%s", line);
    rows[0].allowance = 0.005;
    report_method(line, sizeof line, &cmp);
    cr_expect_not_null(strstr(line, "to resolve 1.5%, run pytest with "
                                    "--benchmark-min-rounds=85"), "%s", line);
    cmp.from_pytest = 0;
}

/* The drift line says what the suite gave. */
Test(report, drift_line_from_the_suite)
{
    char line[2048];

    cmp.drift_estimated = 1;
    cmp.n_allowance = 2;
    cmp.suite_shift = 0.004;
    cmp.drift_tau = 0.011;
    cmp.suite_allowance = 0.026;
    cmp.allowance = 0.026;
    rows[0].allowance = 0.026;
    report_method(line, sizeof line, &cmp);
    cr_expect_not_null(strstr(line, "differs as a whole by +0.4% and spreads 1.1% beyond the "
                                    "CIs; every CI is widened by 2.6% "), "%s", line);
}

/* JSON keeps a name's every byte, control characters escaped by jansson. */
Test(report, json_escapes_controls)
{
    char *s;

    rows[0].name = "a\033[31m\"b";
    s = render("json", 0);
    cr_expect_null(strchr(s, '\033'));
    cr_expect_not_null(strstr(s, "\"a\\u001B[31m\\\"b\""), "%s", s);
    free(s);
}
