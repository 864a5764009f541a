/*
 * test_segrec.c: the segment record of result files (harness/result/
 * segrec.c): written and read back exactly, unknowns as null, absent in
 * files written before schema 1.12 (then no segment), a merged result's
 * index 0 and record.  Malformed records are golden files
 * (tests/data/result/bad/segment_*, test_result_read.c).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>

#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "helpers.h"

TestSuite(segrec, .init = tmp_setup, .fini = tmp_teardown);

/* A result of one load-free benchmark: enough for the reader. */
static void minimal(struct result *r)
{
    struct bench *b;

    result_init(r);
    r->ctx.time = xstrdup("2026-12-07T03:30:01Z");
    r->ctx.fingerprint = xstrdup("0123456789abcdef");
    r->ctx.pacer_version = xstrdup("0.1.0");
    b = result_add_bench(r);
    cr_assert_not_null(b);
    b->name = xstrdup("x");
}

static void save_load(const struct result *r, struct result *back)
{
    struct err e = {0};
    const char *p = tmp_path("r.json");

    cr_assert_eq(result_save(r, p, &e), 0, "%s", e.msg);
    cr_assert_eq(result_load(p, back, &e), 0, "%s", e.msg);
}

Test(segrec, round_trip)
{
    struct result r, b;

    minimal(&r);
    r.seg.run_id = xstrdup("run-7");
    r.seg.index = 3;
    r.seg.count = 4;
    r.seg.start_at = xstrdup("2026-12-07T03:30:00.000Z");
    r.seg.start_lag_s = 0.0012;
    r.seg.clock_offset_s = 1e-5;
    r.seg.clock_maxerror_s = 0.016;
    r.seg.clock_synced = 1;
    save_load(&r, &b);
    cr_expect_str_eq(b.seg.run_id, "run-7");
    cr_expect_eq(b.seg.index, 3);
    cr_expect_eq(b.seg.count, 4);
    cr_expect_str_eq(b.seg.start_at, "2026-12-07T03:30:00.000Z");
    cr_expect_eq(b.seg.start_lag_s, 0.0012);
    cr_expect_eq(b.seg.clock_offset_s, 1e-5);
    cr_expect_eq(b.seg.clock_maxerror_s, 0.016);
    cr_expect_eq(b.seg.clock_synced, 1);
    cr_expect_null(b.merge);
    result_free(&r);
    result_free(&b);
}

Test(segrec, unknowns_and_a_merge_record)
{
    struct result r, b;

    minimal(&r);
    r.seg.run_id = xstrdup("run-7");
    r.seg.count = 2;
    r.merge = json_pack("{s:[], s:[i]}", "segments", "missing", 2);
    save_load(&r, &b);
    cr_expect_eq(b.seg.index, 0);
    cr_expect_null(b.seg.start_at);
    cr_expect(isnan(b.seg.start_lag_s) && isnan(b.seg.clock_offset_s) &&
              isnan(b.seg.clock_maxerror_s));
    cr_expect_eq(b.seg.clock_synced, -1);
    cr_assert_not_null(b.merge);
    cr_expect(json_equal(b.merge, r.merge));
    result_free(&r);
    result_free(&b);
}

Test(segrec, absent_in_older_files)
{
    struct result r, b;
    json_t *root;

    minimal(&r);
    save_load(&r, &b);
    cr_expect_null(b.seg.run_id);
    cr_expect_eq(b.seg.clock_synced, -1);
    root = load_json(tmp_path("r.json"));
    cr_assert_not_null(root);
    cr_expect_null(json_object_get(root, "segment"), "written only for a segment");
    json_decref(root);
    result_free(&r);
    result_free(&b);
}
