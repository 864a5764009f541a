/* test_words.c: shell-like word splitting without expansion (words.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "harness/run/words.h"

static void check(const char *line, const char *const *want)
{
    struct err e = {0};
    char **argv = NULL;
    size_t i;

    cr_assert_eq(words_split(line, &argv, &e), 0, "%s: %s", line, e.msg);
    for (i = 0; want[i]; i++) {
        cr_assert_not_null(argv[i], "%s: word %zu missing", line, i);
        cr_assert_str_eq(argv[i], want[i], "%s: word %zu", line, i);
    }
    cr_assert_null(argv[i], "%s: extra word '%s'", line, argv[i]);
    words_free(argv);
}

static void check_fail(const char *line, const char *msg)
{
    struct err e = {0};
    char **argv = NULL;

    cr_assert_eq(words_split(line, &argv, &e), -1, "%s should fail", line);
    cr_assert_str_eq(e.msg, msg);
    cr_assert_null(argv);
}

Test(words, blanks_separate)
{
    check("sleep 0.1", (const char *[]){"sleep", "0.1", NULL});
    check("  a \t b\n c  ", (const char *[]){"a", "b", "c", NULL});
}

Test(words, quotes)
{
    check("grep -c \"a b\" f", (const char *[]){"grep", "-c", "a b", "f", NULL});
    check("echo 'it''s' \"x\"y", (const char *[]){"echo", "its", "xy", NULL});
    check("echo '' \"\"", (const char *[]){"echo", "", "", NULL});
    check("echo '$HOME \\n'", (const char *[]){"echo", "$HOME \\n", NULL});
}

Test(words, backslashes)
{
    check("echo a\\ b", (const char *[]){"echo", "a b", NULL});
    check("echo \"a\\\"b\\\\c\\d\"", (const char *[]){"echo", "a\"b\\c\\d", NULL});
}

Test(words, no_expansion)
{
    check("ls * | wc", (const char *[]){"ls", "*", "|", "wc", NULL});
}

Test(words, errors)
{
    check_fail("echo 'open", "unterminated single quote");
    check_fail("echo \"open", "unterminated double quote");
    check_fail("echo \\", "trailing backslash");
    check_fail("   ", "empty command");
}

Test(words, shell_chars)
{
    cr_assert_eq(words_shell_char("ls | wc"), '|');
    cr_assert_eq(words_shell_char("echo $HOME"), '$');
    cr_assert_eq(words_shell_char("echo \"$HOME\""), '$');
    cr_assert_eq(words_shell_char("echo '$HOME | x'"), 0);
    cr_assert_eq(words_shell_char("sort -n data.txt"), 0);
    cr_assert_eq(words_shell_char("a > b"), '>');
    cr_assert_eq(words_shell_char("echo \\|"), 0);
}
