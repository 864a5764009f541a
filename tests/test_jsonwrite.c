/*
 * test_jsonwrite.c: building JSON for result files
 * (harness/result/jsonwrite.c): what each constructor gives, and that a
 * failed part surfaces once, at the end.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/jsonwrite.h"

static char *dumped(json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);

    cr_assert_not_null(s);
    json_decref(v);
    return s;
}

Test(jsonwrite, values)
{
    char *s;

    s = dumped(jw_real(2.5));
    cr_expect_str_eq(s, "2.5");
    free(s);
    s = dumped(jw_real(NAN));
    cr_expect_str_eq(s, "null");
    free(s);
    s = dumped(jw_real(INFINITY));
    cr_expect_str_eq(s, "null");
    free(s);
    s = dumped(jw_count(UINT64_MAX));
    cr_expect_str_eq(s, "9223372036854775807");
    free(s);
    s = dumped(jw_u64((uint64_t)INT64_MAX));
    cr_expect_str_eq(s, "9223372036854775807");
    free(s);
    cr_expect_null(jw_u64((uint64_t)INT64_MAX + 1));
    s = dumped(jw_str(NULL));
    cr_expect_str_eq(s, "null");
    free(s);
    s = dumped(jw_str("caf\xc3\xa9"));
    cr_expect_str_eq(s, "\"caf\xc3\xa9\"");
    free(s);
    /* an invalid byte is repaired (U+FFFD), never dropped */
    s = dumped(jw_str("a\xff" "b"));
    cr_expect_str_eq(s, "\"a\xef\xbf\xbd" "b\"");
    free(s);
}

Test(jsonwrite, a_failed_part_fails_the_whole)
{
    json_t *o = json_object(), *a = json_array();
    int rc = 0;
    char *s;

    rc |= jw_put(o, "x", jw_real(1));
    rc |= jw_push(a, jw_count(3));
    rc |= jw_put(o, "a", a);
    cr_assert_eq(rc, 0);
    o = jw_done(o, rc);
    s = dumped(o);
    cr_expect_str_eq(s, "{\"a\":[3],\"x\":1.0}");
    free(s);

    o = json_object();
    rc = jw_put(o, "ok", jw_real(1));
    rc |= jw_put(o, "big", jw_u64(UINT64_MAX));   /* NULL: a failure */
    cr_expect_neq(rc, 0);
    cr_expect_null(jw_done(o, rc));
}
