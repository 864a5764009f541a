/* test_fmt.c: display scaling and unit parsing (fmt.c). */
#include <criterion/criterion.h>
#include <math.h>

#include "harness/lib/fmt.h"

Test(fmt, time_scales)
{
    char b[32];

    cr_assert_str_eq(fmt_time(b, sizeof b, 0.312), "0.312 ns");
    cr_assert_str_eq(fmt_time(b, sizeof b, 12.34), "12.3 ns");
    cr_assert_str_eq(fmt_time(b, sizeof b, 999), "999 ns");
    cr_assert_str_eq(fmt_time(b, sizeof b, 4560), "4.56 us");
    cr_assert_str_eq(fmt_time(b, sizeof b, 789e6), "789 ms");
    cr_assert_str_eq(fmt_time(b, sizeof b, 1.234e9), "1.23 s");
    cr_assert_str_eq(fmt_time(b, sizeof b, NAN), "-");
}

Test(fmt, rates_and_sizes)
{
    char b[32];

    cr_assert_str_eq(fmt_bytes_rate(b, sizeof b, 1.5 * 1024 * 1024 * 1024), "1.50 GiB/s");
    cr_assert_str_eq(fmt_bytes(b, sizeof b, 512), "512 B");
    cr_assert_str_eq(fmt_bytes(b, sizeof b, 12 * 1024 * 1024), "12.0 MiB");
    cr_assert_str_eq(fmt_items_rate(b, sizeof b, 12.3e6), "12.3 M/s");
    cr_assert_str_eq(fmt_value(b, sizeof b, 2048, "bytes"), "2.00 KiB");
    cr_assert_str_eq(fmt_value(b, sizeof b, 3, "count"), "3 count");
    cr_assert_str_eq(fmt_value(b, sizeof b, 12345.6, "req/s"), "12.3k req/s");
    cr_assert_str_eq(fmt_value(b, sizeof b, 850, "req/s"), "850 req/s");
    cr_assert_str_eq(fmt_value(b, sizeof b, 1.2e6, "/s"), "1.20M/s");
    cr_assert_str_eq(fmt_value(b, sizeof b, 2048, "bytes/s"), "2.00 KiB/s");
    cr_assert_str_eq(fmt_value(b, sizeof b, 0.0015, "ratio"), "0.15%");
}

Test(fmt, durations)
{
    uint64_t ns;

    cr_assert_eq(fmt_parse_duration("200ms", &ns), 0);
    cr_assert_eq(ns, 200000000ULL);
    cr_assert_eq(fmt_parse_duration("1.5s", &ns), 0);
    cr_assert_eq(ns, 1500000000ULL);
    cr_assert_eq(fmt_parse_duration("2", &ns), 0);
    cr_assert_eq(ns, 2000000000ULL);
    cr_assert_eq(fmt_parse_duration("10us", &ns), 0);
    cr_assert_eq(ns, 10000ULL);
    cr_assert_eq(fmt_parse_duration("500ns", &ns), 0);
    cr_assert_eq(ns, 500ULL);
    cr_assert_eq(fmt_parse_duration("2m", &ns), 0);
    cr_assert_eq(ns, 120000000000ULL);
    cr_assert_eq(fmt_parse_duration("", &ns), -1);
    cr_assert_eq(fmt_parse_duration("-1s", &ns), -1);
    cr_assert_eq(fmt_parse_duration("10 ms", &ns), -1);
    cr_assert_eq(fmt_parse_duration("10parsecs", &ns), -1);
    cr_assert_eq(fmt_parse_duration("1e30s", &ns), -1);
    cr_assert_eq(fmt_parse_duration("nan", &ns), -1);
}

Test(fmt, counts)
{
    unsigned long long v;

    cr_assert_eq(fmt_parse_count("64", &v), 0);
    cr_assert_eq(v, 64);
    cr_assert_eq(fmt_parse_count("64K", &v), 0);
    cr_assert_eq(v, 65536);
    cr_assert_eq(fmt_parse_count("2k", &v), 0);
    cr_assert_eq(v, 2000);
    cr_assert_eq(fmt_parse_count("1Mi", &v), 0);
    cr_assert_eq(v, 1048576);
    cr_assert_eq(fmt_parse_count("-1", &v), -1);
    cr_assert_eq(fmt_parse_count("1.5", &v), -1);
    cr_assert_eq(fmt_parse_count("99999999999999999999", &v), -1);
    cr_assert_eq(fmt_parse_count("x", &v), -1);
}

Test(fmt, percents)
{
    double f;

    cr_assert_eq(fmt_parse_percent("2%", &f), 0);
    cr_assert_float_eq(f, 0.02, 1e-15);
    cr_assert_eq(fmt_parse_percent("0.05", &f), 0);
    cr_assert_float_eq(f, 0.05, 1e-15);
    cr_assert_eq(fmt_parse_percent("2 %", &f), -1);
    cr_assert_eq(fmt_parse_percent("", &f), -1);
}
