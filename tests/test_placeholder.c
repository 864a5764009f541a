/* test_placeholder.c: the placeholders of suite files (placeholder.c). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "harness/run/placeholder.h"
#include "harness/run/words.h"

Test(placeholder, named_ones_are_filled_in_others_stay)
{
    const char *names[] = {"port", "build", NULL}, *values[] = {"8080", "/b", NULL};
    char *x = placeholder_expand("{build}/srv --port={port} {port}{x} {} {port", names, values);

    cr_assert_str_eq(x, "/b/srv --port=8080 8080{x} {} {port");
    free(x);
}

Test(placeholder, port_in_every_word)
{
    char *argv[] = {"srv", "--port={port}", "{build}", NULL};
    char **x = placeholder_port(argv, "80");

    cr_assert_not_null(x);
    cr_assert_str_eq(x[0], "srv");
    cr_assert_str_eq(x[1], "--port=80");
    cr_assert_str_eq(x[2], "{build}");
    cr_assert_null(x[3]);
    words_free(x);
    x = placeholder_port(NULL, "80");
    cr_assert_not_null(x);
    cr_assert_null(x[0]);
    words_free(x);
}
