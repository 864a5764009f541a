/* test_table.c: aligned tables and the benchmark row (table.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness/lib/table.h"

static char *print_to_string(const struct table *t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    table_print(t, f);
    fclose(f);
    return buf;
}

Test(table, aligns_columns)
{
    struct table t;
    char *s;

    table_init(&t, 3);
    table_add(&t, (const char *[]){"name", "a", "bb"});
    table_add(&t, (const char *[]){"x", "1000", NULL});
    table_add(&t, (const char *[]){"y", "2", "3"});
    s = print_to_string(&t);
    cr_assert_str_eq(s, "name     a  bb\n"
                        "x     1000    \n"
                        "y        2   3\n");
    free(s);
    table_free(&t);
}

/* A column with nothing under its header (the throughput of benchmarks
 * that set none, the iterations of commands) is left out. */
Test(table, empty_columns_are_left_out)
{
    struct table t;
    char *s;

    table_init(&t, 4);
    table_add(&t, (const char *[]){"name", "throughput", "a", "iters"});
    table_add(&t, (const char *[]){"x", "", "1000", NULL});
    table_add(&t, (const char *[]){"y", NULL, "2", ""});
    s = print_to_string(&t);
    cr_assert_str_eq(s, "name     a\n"
                        "x     1000\n"
                        "y        2\n");
    free(s);
    table_free(&t);
}

Test(table, utf8_width)
{
    struct table t;
    char *s;

    table_init(&t, 2);
    table_add(&t, (const char *[]){"a", "±1%"});
    table_add(&t, (const char *[]){"b", "10%"});
    s = print_to_string(&t);
    cr_assert_str_eq(s, "a  ±1%\nb  10%\n");
    free(s);
    table_free(&t);
}

Test(table, bench_row)
{
    struct table t;
    struct stats st = {0};
    char *s;

    st.n = 30;
    st.median = 100;
    st.ci_median.lo = 99;
    st.ci_median.hi = 101;
    st.cv = 0.012;
    table_init(&t, BENCH_COLS);
    table_bench_header(&t, NULL);
    table_add_bench(&t, "hash/copy/size=64", "ns", &st, 64, 0, 1000);
    s = print_to_string(&t);
    /* 64 bytes per 100 ns = 640 MB/s = 610 MiB/s. */
    cr_assert_str_eq(s, "benchmark          time/op  ±95% CI    CV  throughput  samples  iters\n"
                        "hash/copy/size=64   100 ns    ±1.0%  1.2%   610 MiB/s       30   1000\n");
    free(s);
    table_free(&t);
}

Test(table, bench_row_without_stats)
{
    struct table t;
    struct stats st = {0};
    char *s;

    st.cv = NAN;
    table_init(&t, BENCH_COLS);
    table_add_bench(&t, "x", "ns", &st, 0, 0, 1);
    s = print_to_string(&t);
    cr_assert_str_eq(s, "x  -  -  -    0  1\n");
    free(s);
    table_free(&t);
}

Test(table, colour_codes_have_no_width)
{
    struct table t;
    char *s;

    table_init(&t, 2);
    table_add(&t, (const char *[]){"a", "\033[1;31mregressed\033[0m"});
    table_add(&t, (const char *[]){"b", "unchanged"});
    s = print_to_string(&t);
    cr_assert_str_eq(s, "a  \033[1;31mregressed\033[0m\nb  unchanged\n");
    free(s);
    table_free(&t);
}
