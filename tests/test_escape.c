/* test_escape.c: names shown safely on a terminal and in markdown
 * (compare/report/escape.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/report/escape.h"

static char *md(const char *s, int in_table, int text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (text)
        escape_md_text(f, s);
    else
        escape_md_code(f, s, in_table);
    fclose(f);
    return buf;
}

Test(escape, term_leaves_plain_names)
{
    char buf[ESCAPE_MAX];
    const char *s = "json/parse/n=100 caf\xc3\xa9 \"q\" a\\b";

    cr_assert_eq(escape_term(buf, sizeof buf, s), s, "nothing to escape: the name itself");
}

Test(escape, term_quotes_controls)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"a\033[31mred", "\"a\\x1b[31mred\""},
        {"two\nlines\tand\r", "\"two\\nlines\\tand\\r\""},
        {"del\x7f", "\"del\\x7f\""},
        {"c1 \xc2\x9b" "2J", "\"c1 \\xc2\\x9b2J\""},            /* U+009B, CSI */
        {"rtl \xe2\x80\xae" "x", "\"rtl \\xe2\\x80\\xaex\""},   /* U+202E */
        {"bad \xff utf8", "\"bad \\xff utf8\""},
        {"q\" \\ \033", "\"q\\\" \\\\ \\x1b\""},
        {"ok \xe2\x82\xac \a", "\"ok \xe2\x82\xac \\x07\""},    /* the euro sign stays */
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[ESCAPE_MAX];
        cr_expect_str_eq(escape_term(buf, sizeof buf, cases[i].in), cases[i].want, "case %zu",
                         i);
    }
}

Test(escape, term_cuts_to_fit)
{
    char buf[20], big[600];

    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[0] = '\033';
    cr_expect_str_eq(escape_term(buf, sizeof buf, big), "\"\\x1bxxxxxxxxxx...\"");
    cr_expect_str_eq(escape_term(buf, 8, big), "\"...\"");
}

Test(escape, md_code_spans)
{
    static const struct {
        const char *in;
        int in_table;
        const char *want;
    } cases[] = {
        {"json/parse", 1, "`json/parse`"},
        {"a|b", 1, "`a\\|b`"},
        {"a|b", 0, "`a|b`"},
        {"a`b", 1, "``a`b``"},
        {"a``b`", 1, "``` a``b` ```"},
        {"`x", 0, "`` `x ``"},
        {"new\nline\033", 1, "`new\\nline\\x1b`"},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = md(cases[i].in, cases[i].in_table, 0);
        cr_expect_str_eq(s, cases[i].want, "case %zu", i);
        free(s);
    }
}

Test(escape, md_text)
{
    char *s = md("a *b* _c_ <x> [l](u) `d` #1 | ~s~ \\ e\n", 0, 1);

    cr_expect_str_eq(s, "a \\*b\\* \\_c\\_ \\<x\\> \\[l\\](u) \\`d\\` \\#1 \\| \\~s\\~ \\\\ e\\n");
    free(s);
}
