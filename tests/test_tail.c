/*
 * test_tail.c: the bounded tail of a stream (tail.c): the last bytes kept,
 * the last lines handed out, blank output as nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/run/tail.h"

Test(tail, last_lines_without_trailing_newlines)
{
    struct tail t = {0};
    char *s;
    int i;

    for (i = 1; i <= 15; i++) {
        char line[16];
        snprintf(line, sizeof line, "line %d\n", i);
        tail_add(&t, line, strlen(line));
    }
    tail_add(&t, "\r\n\n", 3);
    s = tail_text(&t);
    cr_assert_not_null(s);
    cr_assert_str_eq(s, "line 6\nline 7\nline 8\nline 9\nline 10\nline 11\nline 12\nline 13\n"
                        "line 14\nline 15");
    free(s);
}

Test(tail, bounded_ring)
{
    struct tail t = {0};
    char *big = malloc(3 * TAIL_MAX), *s;

    memset(big, 'x', 3 * TAIL_MAX);
    tail_add(&t, big, 3 * TAIL_MAX);
    tail_add(&t, "end", 3);
    cr_assert_eq(t.len, TAIL_MAX);
    s = tail_text(&t);
    cr_assert_eq(strlen(s), TAIL_MAX);
    cr_assert_str_eq(s + TAIL_MAX - 3, "end");
    free(s);
    free(big);
}

Test(tail, blank_is_nothing)
{
    struct tail t = {0};

    cr_assert_null(tail_text(&t));
    tail_add(&t, "\n\n\n", 3);
    cr_assert_null(tail_text(&t));
}
