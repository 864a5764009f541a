/*
 * test_isotime.c: ISO 8601 times (harness/result/isotime.c).  The epoch
 * seconds are Python's: datetime(2026, 11, 24, 10, 0, 0,
 * tzinfo=timezone.utc).timestamp() and the like, written beside each case.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "harness/result/isotime.h"

static double parsed(const char *s)
{
    double t = -1;

    cr_assert_eq(iso_time_parse(s, &t), 0, "%s", s);
    return t;
}

Test(isotime, forms_of_one_time)
{
    /* datetime(2026, 11, 24, 10, 0, 0, tzinfo=timezone.utc).timestamp() */
    const double want = 1795514400.0;

    cr_expect_eq(parsed("2026-11-24T10:00:00Z"), want);
    cr_expect_eq(parsed("2026-11-24t10:00:00z"), want);
    cr_expect_eq(parsed("2026-11-24 10:00:00"), want);
    cr_expect_eq(parsed("2026-11-24T11:00:00+01:00"), want);
    cr_expect_eq(parsed("2026-11-24T11:00:00+0100"), want);
    cr_expect_eq(parsed("2026-11-24T09:00:00-01:00"), want);
    cr_expect_eq(parsed("2026-11-24T10:00:00.25Z"), want + 0.25);
    cr_expect_eq(parsed("2026-11-24T10:00:00,5"), want + 0.5);
    /* datetime(2026, 11, 24, 10, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))) */
    cr_expect_eq(parsed("2026-11-24T10:00:00+05:30"), 1795494600.0);
}

Test(isotime, calendar)
{
    /* datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone.utc).timestamp() */
    cr_expect_eq(parsed("2024-02-29T23:59:59Z"), 1709251199.0);
    /* datetime(2000, 3, 1, tzinfo=timezone.utc).timestamp(): 2000 is a leap year */
    cr_expect_eq(parsed("2000-03-01T00:00:00Z"), 951868800.0);
    /* datetime(1970, 1, 1, tzinfo=timezone(timedelta(hours=-1))).timestamp() */
    cr_expect_eq(parsed("1970-01-01T00:00:00-01:00"), 3600.0);
}

Test(isotime, not_times)
{
    static const char *const bad[] = {
        "", "2026-11-24", "2026-11-24T10:00", "2026-11-24X10:00:00", "26-11-24T10:00:00",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-11-24T24:00:00Z", "2026-11-24T10:60:00Z", "2026-11-24T10:00:61Z",
        "2026-11-24T10:00:00.Z", "2026-11-24T10:00:00+24:00", "2026-11-24T10:00:00+01",
        "2026-11-24T10:00:00Z ", "2026-11-24T10:00:00UTC",
    };
    double t;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(iso_time_parse(bad[i], &t), -1, "%s", bad[i]);
}

Test(isotime, utc_text)
{
    char out[32];

    cr_assert_eq(iso_time_utc("2026-11-24T11:30:15.9+01:00", out, sizeof out), 0);
    cr_expect_str_eq(out, "2026-11-24T10:30:15Z");
    cr_assert_eq(iso_time_utc("2026-12-31 23:59:59-02:00", out, sizeof out), 0);
    cr_expect_str_eq(out, "2027-01-01T01:59:59Z");
    cr_expect_eq(iso_time_utc("2026-02-30T00:00:00Z", out, sizeof out), -1);
    cr_expect_eq(iso_time_utc("2026-11-24T10:00:00Z", out, 8), -1);
}

Test(isotime, text_with_milliseconds)
{
    char out[32];

    /* 1796614200 is 2026-12-07T03:30:00Z (date -u -d @1796614200) */
    iso_time_ms(1796614200.25, out, sizeof out);
    cr_expect_str_eq(out, "2026-12-07T03:30:00.250Z");
    iso_time_ms(1796614200.9996, out, sizeof out);
    cr_expect_str_eq(out, "2026-12-07T03:30:01.000Z", "rounded into the next second");
    iso_time_ms(1796614200.0, out, sizeof out);
    cr_expect_str_eq(out, "2026-12-07T03:30:00.000Z");
}
