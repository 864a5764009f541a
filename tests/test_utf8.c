/*
 * test_utf8.c: UTF-8 checking and repair (harness/result/utf8.c): the
 * sequences RFC 3629 allows and what jansson refuses (overlong forms,
 * surrogates, code points above U+10FFFF, cut sequences).
 */
#include <criterion/criterion.h>

#include <stdlib.h>

#include "harness/result/utf8.h"

static size_t len_of(const char *s)
{
    return utf8_len((const unsigned char *)s);
}

Test(utf8, valid_sequences)
{
    cr_expect_eq(len_of("a"), 1);
    cr_expect_eq(len_of(""), 1);   /* the terminating NUL */
    cr_expect_eq(len_of("\xc3\xa9"), 2);                 /* U+00E9 */
    cr_expect_eq(len_of("\xe2\x82\xac"), 3);             /* U+20AC */
    cr_expect_eq(len_of("\xef\xbf\xbd"), 3);             /* U+FFFD */
    cr_expect_eq(len_of("\xf0\x9f\x98\x80"), 4);         /* U+1F600 */
    cr_expect_eq(len_of("\xf4\x8f\xbf\xbf"), 4);         /* U+10FFFF */
}

Test(utf8, invalid_sequences)
{
    cr_expect_eq(len_of("\x80"), 0);                     /* a lone continuation */
    cr_expect_eq(len_of("\xc0\x80"), 0);                 /* overlong NUL */
    cr_expect_eq(len_of("\xc1\xbf"), 0);                 /* overlong */
    cr_expect_eq(len_of("\xe0\x9f\xbf"), 0);             /* overlong, 3 bytes */
    cr_expect_eq(len_of("\xf0\x8f\xbf\xbf"), 0);         /* overlong, 4 bytes */
    cr_expect_eq(len_of("\xed\xa0\x80"), 0);             /* surrogate U+D800 */
    cr_expect_eq(len_of("\xf4\x90\x80\x80"), 0);         /* above U+10FFFF */
    cr_expect_eq(len_of("\xf5\x80\x80\x80"), 0);
    cr_expect_eq(len_of("\xe2\x82"), 0);                 /* cut at the end */
    cr_expect_eq(len_of("\xe2\x82z"), 0);
    cr_expect_eq(len_of("\xff"), 0);
}

Test(utf8, repair_replaces_each_bad_byte)
{
    char *s = utf8_repair("ok \xff\xc0\x80 \xed\xa0\x80 \xc3\xa9");

    cr_assert_not_null(s);
    cr_expect_str_eq(s, "ok \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xc3\xa9");
    free(s);
    s = utf8_repair("");
    cr_assert_not_null(s);
    cr_expect_str_eq(s, "");
    free(s);
    s = utf8_repair("v\xe2\x82");
    cr_assert_not_null(s);
    cr_expect_str_eq(s, "v\xef\xbf\xbd\xef\xbf\xbd");
    free(s);
}
