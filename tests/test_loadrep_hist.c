/*
 * test_loadrep_hist.c: harness/result/loadrep_hist.c, the JSON of a
 * latency histogram in a load block: an exact round trip through text,
 * the encoding itself, and the reader's errors.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rng.h"
#include "harness/load/hist.h"
#include "harness/result/loadrep.h"
#include "helpers.h"

/* h to JSON text and back. */
static void round_trip(const struct hist *h)
{
    json_t *j = hist_to_json(h), *back;
    struct err e = { 0 };
    struct hist r;
    char *text;

    cr_assert_not_null(j);
    text = json_dumps(j, JSON_COMPACT);
    cr_assert_not_null(text);
    back = json_loads(text, 0, NULL);
    cr_assert_not_null(back, "%s", text);
    cr_assert_eq(hist_from_json(&r, back, "r.json", "latency", &e), 0, "%s", e.msg);
    assert_same_hist(h, &r);
    hist_free(&r);
    json_decref(back);
    json_decref(j);
    free(text);
}

Test(hist_json, empty)
{
    struct hist h;
    json_t *j;

    hist_init_ok(&h, 3, H60);
    j = hist_to_json(&h);
    cr_assert_not_null(j);
    cr_assert(json_is_null(json_object_get(j, "min")));
    cr_assert(json_is_null(json_object_get(j, "max")));
    cr_assert_eq(json_array_size(json_object_get(j, "buckets")), 0);
    json_decref(j);
    hist_free(&h);
}

Test(hist_json, round_trip_exact)
{
    size_t n = 100000;
    uint64_t *x = lognormal_ns(n, 16.0, 2.5, SEED + 1);
    struct hist h;

    hist_init_ok(&h, 3, H60);
    round_trip(&h);                     /* empty */
    for (size_t i = 0; i < n; i++)
        hist_record(&h, x[i]);
    hist_record(&h, 0);
    hist_record_n(&h, 3 * H60, 4);      /* clamped */
    cr_assert_gt(h.clamped, 0);
    round_trip(&h);
    hist_free(&h);
    hist_init_ok(&h, 1, 2);                  /* the smallest layout */
    hist_record(&h, 1);
    hist_record(&h, 2);
    round_trip(&h);
    hist_free(&h);
    free(x);
}

Test(hist_json, encoding)
{
    struct hist h;
    json_t *j, *b;

    hist_init_ok(&h, 3, H60);
    hist_record(&h, 3000);              /* bucket [3000, 3001] */
    hist_record(&h, 3001);
    hist_record(&h, 5);
    j = hist_to_json(&h);
    cr_assert_not_null(j);
    cr_assert_eq(json_integer_value(json_object_get(j, "digits")), 3);
    cr_assert_eq(json_integer_value(json_object_get(j, "highest")), (json_int_t)H60);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 3);
    cr_assert_eq(json_integer_value(json_object_get(j, "min")), 5);
    cr_assert_eq(json_integer_value(json_object_get(j, "max")), 3001);
    cr_assert(json_is_real(json_object_get(j, "sum")));
    cr_assert_eq(json_real_value(json_object_get(j, "sum")), 6006.0);
    b = json_object_get(j, "buckets");
    cr_assert_eq(json_array_size(b), 2);
    cr_assert_eq(json_integer_value(json_array_get(json_array_get(b, 0), 0)), 5);
    cr_assert_eq(json_integer_value(json_array_get(json_array_get(b, 0), 1)), 1);
    cr_assert_eq(json_integer_value(json_array_get(json_array_get(b, 1), 0)), 3000);
    cr_assert_eq(json_integer_value(json_array_get(json_array_get(b, 1), 1)), 2);
    json_decref(j);
    hist_free(&h);
}

/* hist_from_json on text; returns the message ("" when it was read). */
static const char *read_msg(const char *text, struct err *e)
{
    json_error_t je;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &je);
    struct hist h;
    int rc;

    cr_assert_not_null(j, "%s: %s", text, je.text);
    err_clear(e);
    rc = hist_from_json(&h, j, "r.json", "benchmarks[0].load.latency", e);
    json_decref(j);
    if (rc == 0) {
        hist_free(&h);
        return "";
    }
    cr_assert_eq(rc, -1);
    cr_assert_null(h.counts, "nothing left allocated after an error");
    hist_free(&h);
    return e->msg;
}

#define HEAD "{\"digits\": 3, \"highest\": 60000000000, "
#define P "r.json: benchmarks[0].load.latency"

Test(hist_json, reader_accepts_valid)
{
    struct err e;

    cr_assert_str_eq(read_msg(HEAD "\"count\": 3, \"min\": 5, \"max\": 3001, \"sum\": 6006, "
                              "\"clamped\": 0, \"buckets\": [[5, 1], [3000, 2]]}", &e), "");
    cr_assert_str_eq(read_msg(HEAD "\"count\": 0, \"min\": null, \"max\": null, \"sum\": 0.0, "
                              "\"clamped\": 0, \"buckets\": []}", &e), "");
}

Test(hist_json, reader_errors_exact)
{
    struct err e;

    cr_assert_str_eq(read_msg(HEAD "\"min\": 5, \"max\": 5, \"sum\": 5, \"clamped\": 0, "
                              "\"buckets\": [[5, 1]]}", &e),
                     P ".count: missing");
    cr_assert_str_eq(read_msg(HEAD "\"count\": 1, \"min\": 2049, \"max\": 2049, \"sum\": 2049, "
                              "\"clamped\": 0, \"buckets\": [[2049, 1]]}", &e),
                     P ".buckets[0][0]: 2049 is not the low of a bucket (it is in [2048, 2049])");
    cr_assert_str_eq(read_msg(HEAD "\"count\": 4, \"min\": 5, \"max\": 3001, \"sum\": 6006, "
                              "\"clamped\": 0, \"buckets\": [[5, 1], [3000, 2]]}", &e),
                     P ".buckets: counts add up to 3, not to the count 4");
    cr_assert_str_eq(read_msg("[1, 2]", &e), P ": expected object, got array");
}

Test(hist_json, reader_errors)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        /* missing fields */
        { "{\"highest\": 100}", ".digits: missing" },
        { "{\"digits\": 3}", ".highest: missing" },
        { HEAD "\"count\": 0, \"min\": null, \"max\": null, \"sum\": 0, \"clamped\": 0}",
          ".buckets: missing" },
        { HEAD "\"count\": 0, \"min\": null, \"max\": null, \"clamped\": 0, \"buckets\": []}",
          ".sum: missing" },
        { HEAD "\"count\": 0, \"min\": null, \"max\": null, \"sum\": 0, \"buckets\": []}",
          ".clamped: missing" },
        /* wrong types and ranges */
        { "{\"digits\": \"3\", \"highest\": 100}", ".digits: expected integer, got string" },
        { "{\"digits\": 6, \"highest\": 100}", ".digits: expected an integer from 1 to 5, got 6" },
        { "{\"digits\": 3, \"highest\": 1}", ".highest: expected an integer >= 2, got 1" },
        { "{\"digits\": 3, \"highest\": 1.5e10}", ".highest: expected integer, got number" },
        { HEAD "\"count\": 0, \"min\": null, \"max\": null, \"sum\": 0, \"clamped\": 0, "
          "\"buckets\": {}}", ".buckets: expected array, got object" },
        { HEAD "\"count\": -1, \"min\": null, \"max\": null, \"sum\": 0, \"clamped\": 0, "
          "\"buckets\": []}", ".count: expected an integer >= 0, got -1" },
        { HEAD "\"count\": 1, \"min\": 5, \"max\": 5, \"sum\": \"5\", \"clamped\": 0, "
          "\"buckets\": [[5, 1]]}", ".sum: expected number, got string" },
        { HEAD "\"count\": 1, \"min\": 5, \"max\": 5, \"sum\": 5, \"clamped\": 0, "
          "\"buckets\": [5]}", ".buckets[0]: expected [low, count], got integer" },
        { HEAD "\"count\": 1, \"min\": 5, \"max\": 5, \"sum\": 5, \"clamped\": 0, "
          "\"buckets\": [[5, 1, 0]]}", ".buckets[0]: expected [low, count], got an array of 3" },
        { HEAD "\"count\": 1, \"min\": 5, \"max\": 5, \"sum\": 5, \"clamped\": 0, "
          "\"buckets\": [[5, 1.0]]}", ".buckets[0][1]: expected integer, got number" },
        { HEAD "\"count\": 1, \"min\": 5, \"max\": 5, \"sum\": 5, \"clamped\": 0, "
          "\"buckets\": [[\"5\", 1]]}", ".buckets[0][0]: expected integer, got string" },
        { HEAD "\"count\": 0, \"min\": null, \"max\": null, \"sum\": 0, \"clamped\": 0, "
          "\"buckets\": [[5, 0]]}", ".buckets[0][1]: expected a count >= 1, got 0" },
        { HEAD "\"count\": 1, \"min\": 5, \"max\": 5, \"sum\": 5, \"clamped\": 0, "
          "\"buckets\": [[-5, 1]]}", ".buckets[0][0]: expected a bucket low from 0 to "
          "60000000000, got -5" },
        { HEAD "\"count\": 1, \"min\": 5, \"max\": 5, \"sum\": 5, \"clamped\": 0, "
          "\"buckets\": [[60000000001, 1]]}", ".buckets[0][0]: expected a bucket low from 0 "
          "to 60000000000, got 60000000001" },
        /* order */
        { HEAD "\"count\": 3, \"min\": 5, \"max\": 3001, \"sum\": 6006, \"clamped\": 0, "
          "\"buckets\": [[3000, 2], [5, 1]]}", ".buckets[1][0]: 5 is not above the previous "
          "low 3000" },
        { HEAD "\"count\": 3, \"min\": 5, \"max\": 5, \"sum\": 15, \"clamped\": 0, "
          "\"buckets\": [[5, 1], [5, 2]]}", ".buckets[1][0]: 5 is not above the previous "
          "low 5" },
        /* the fields against the counts */
        { HEAD "\"count\": 1, \"min\": null, \"max\": 5, \"sum\": 5, \"clamped\": 0, "
          "\"buckets\": [[5, 1]]}", ".min: expected integer, got null" },
        { HEAD "\"count\": 0, \"min\": 0, \"max\": null, \"sum\": 0, \"clamped\": 0, "
          "\"buckets\": []}", ".min: expected null in an empty histogram" },
        { HEAD "\"count\": 0, \"min\": null, \"max\": null, \"sum\": 3, \"clamped\": 0, "
          "\"buckets\": []}", ".sum: expected 0 in an empty histogram, got 3" },
        { HEAD "\"count\": 2, \"min\": 4, \"max\": 3001, \"sum\": 3006, \"clamped\": 0, "
          "\"buckets\": [[5, 1], [3000, 1]]}", ".min: 4 is not in the first bucket, [5, 5]" },
        { HEAD "\"count\": 2, \"min\": 5, \"max\": 3002, \"sum\": 3006, \"clamped\": 0, "
          "\"buckets\": [[5, 1], [3000, 1]]}", ".max: 3002 is not in the last bucket, "
          "[3000, 3001]" },
        { HEAD "\"count\": 2, \"min\": 5, \"max\": 3001, \"sum\": 3006, \"clamped\": 1, "
          "\"buckets\": [[5, 1], [3000, 1]]}", ".clamped: 1 does not fit max 3001 and "
          "highest 60000000000" },
    };
    struct err e;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char want[ERR_MAX];

        snprintf(want, sizeof want, "%s%s", P, cases[i].want);
        cr_assert_str_eq(read_msg(cases[i].text, &e), want, "case %zu", i);
    }
}

Test(hist_json, reader_clamped_counts)
{
    struct hist h;
    char text[512];
    struct err e;
    uint64_t last;

    /* the last bucket of 2 digits up to 1000000 and more clamped values
     * than it holds */
    hist_init_ok(&h, 2, 1000000);
    last = hist_bucket_low(&h, h.nbuckets - 1);
    hist_free(&h);
    snprintf(text, sizeof text, "{\"digits\": 2, \"highest\": 1000000, \"count\": 2, "
             "\"min\": 2000000, \"max\": 2000000, \"sum\": 4000000, \"clamped\": 3, "
             "\"buckets\": [[%" PRIu64 ", 2]]}", last);
    cr_assert_str_eq(read_msg(text, &e),
                     P ".clamped: 3 is above the count of the last bucket, 2");
    snprintf(text, sizeof text, "{\"digits\": 2, \"highest\": 1000000, \"count\": 2, "
             "\"min\": 2000000, \"max\": 2000000, \"sum\": 4000000, \"clamped\": 2, "
             "\"buckets\": [[%" PRIu64 ", 2]]}", last);
    cr_assert_str_eq(read_msg(text, &e), "");
}
