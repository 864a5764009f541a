/*
 * test_trend_read.c: compare/trend_read.c, the lean reader of result files
 * for a trend, against the full reader (import_load).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pacer_exec.h"

#include "compare/trend_read.h"
#include "trend_files.h"

static char dir[64];

static void init(void)
{
    snprintf(dir, sizeof dir, "/tmp/pacer-trend-read-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void fini(void)
{
    tmpdir_remove(dir);
}

TestSuite(trend_read, .init = init, .fini = fini, .timeout = 60);

static char *in_dir(const char *name)
{
    static char p[8][256];
    static int i;

    i = (i + 1) % 8;
    snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
    return p[i];
}


Test(trend_read, lean_and_full_reads_agree)
{
    static const struct tf_bench bs[] = {
        {"q\"uote\\d/\xc3\xa9t\xc3\xa9", 123.5, NULL, DIR_LOWER, 0},
        {"rate", 9000, "req/s", DIR_HIGHER, 0},
        {"dead", 1, NULL, DIR_LOWER, 1},
    };
    struct trend_file f;
    struct err e = {0};
    size_t i;
    int full;

    tf_write(in_dir("a.json"), "2026-01-01T10:00:00Z", "abcdef0", "2026-01-01T09:00:00Z", bs, 3);
    trend_file_init(&f);
    for (full = 0; full <= 1; full++) {
        cr_assert_eq(trend_file_read(&f, in_dir("a.json"), full, &e), 0, "%s", e.msg);
        cr_expect_eq(f.full, full);
        cr_expect_str_eq(f.time, "2026-01-01T10:00:00Z");
        cr_expect_str_eq(f.commit, "abcdef0");
        cr_expect_str_eq(f.commit_time, "2026-01-01T09:00:00Z");
        cr_expect_str_eq(f.branch, "main");
        cr_assert_eq(f.nb, 3);
        for (i = 0; i < 3; i++) {
            cr_expect_str_eq(f.b[i].name, bs[i].name);
            cr_expect_str_eq(f.b[i].unit, bs[i].unit ? bs[i].unit : "ns");
            cr_expect_eq(f.b[i].dir, bs[i].dir);
            cr_expect_eq(f.b[i].failed, bs[i].failed);
        }
        cr_expect_eq(f.b[0].median, 123.5);
        cr_expect_eq(f.b[0].n, 5);
        cr_expect(isfinite(f.b[0].lo) && isfinite(f.b[0].hi));
        cr_expect(isnan(f.b[2].median));
    }
    trend_file_free(&f);
}
