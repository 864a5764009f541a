/* test_report.c: the four report formats of a comparison (report_*.c). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        "notes:\n"
        "  a|b: says \"hi\"\n");
    free(s);
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
    json_decref(j);
    free(s);
}

Test(report, unknown_format)
{
    cr_assert_null(report_find("xml"));
}
