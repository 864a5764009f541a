/*
 * test_loadforeign.c: harness/cli/loadforeign.c, other load tools' options
 * in pacer's words, the nearest of pacer's options to a misspelt one, and
 * the warning for a -n that ab's and hey's users mean as requests.  That
 * pacer load itself takes none of the other tools' options is tested in
 * test_cmd_load.c (cmd_load/other_tools_options).
 */
#include <criterion/criterion.h>
#include <getopt.h>
#include <string.h>

#include "harness/cli/loadforeign.h"

Test(loadforeign, every_form_of_an_option)
{
    static const char *const cases[][2] = {
        {"--vus", "k6's virtual users; pacer's are -c N"},
        {"--vus=10", "k6's virtual users; pacer's are -c N"},
        {"-u", "Locust's users; pacer's are -c N"},
        {"-u10", "Locust's users; pacer's are -c N"},
        {"--spawn-rate", "--stages 10s:50,1m:50"},
        {"--run-time=1m", "pacer's is -d TIME (its -t is threads)"},
        {"-s", "pacer's --stages 30s:20,1m:20,10s:0; wrk's Lua script is pacer's --flow FILE"},
        {"-k", "unless --no-keepalive"},
        {"--rps", "-R N"},
        {"-T", "-H 'Content-Type: TYPE'"},
    };
    char buf[320];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = load_foreign_option(cases[i][0], buf, sizeof buf);

        cr_assert_not_null(s, "%s", cases[i][0]);
        cr_assert(strstr(s, cases[i][1]), "%s: %s", cases[i][0], s);
    }
}

Test(loadforeign, none_for_what_no_tool_spells)
{
    static const char *const none[] = {"--xyzzy", "--vusx", "-", "--", "x", "-Z", "--users-x"};
    char buf[320];
    size_t i;

    for (i = 0; i < sizeof none / sizeof none[0]; i++)
        cr_assert_null(load_foreign_option(none[i], buf, sizeof buf), "%s", none[i]);
    cr_assert_null(load_foreign_option(NULL, buf, sizeof buf));
}

Test(loadforeign, a_small_buffer_is_cut_not_overrun)
{
    char buf[16];

    cr_assert_eq(load_foreign_option("--vus", buf, sizeof buf), buf);
    cr_assert_eq(strlen(buf), sizeof buf - 1);
}

Test(loadforeign, the_table_is_listed_to_its_end)
{
    size_t i;

    for (i = 0; load_foreign_at(i); i++)
        cr_assert_eq(load_foreign_at(i)[0], '-', "%s", load_foreign_at(i));
    cr_assert_geq(i, 20);
    cr_assert_null(load_foreign_at(i + 1));
}

Test(loadforeign, nearest_option)
{
    static const struct option opts[] = {
        {"connections", required_argument, 0, 'c'}, {"duration", required_argument, 0, 'd'},
        {"rate", required_argument, 0, 'R'}, {"rate-stages", required_argument, 0, 1},
        {0, 0, 0, 0},
    };

    cr_assert_str_eq(load_option_near("--duratoin", opts), "duration");
    cr_assert_str_eq(load_option_near("--conections=3", opts), "connections");
    cr_assert_str_eq(load_option_near("--rate-stage", opts), "rate-stages");
    cr_assert_null(load_option_near("--xyzzy", opts));
    cr_assert_null(load_option_near("-d", opts), "a short option has no nearest");
    cr_assert_null(load_option_near("--", opts));
}

/* 400 runs of 10 s: 4,000 s, 67 minutes; 1,000 of 10 s 2.8 hours; 50 runs always; 49 of a second
 * never; 3 of 1,000 s (under the hour) never, 2 of 30 minutes (the hour)
 * always. */
Test(loadforeign, repeat_warning)
{
    char buf[240];

    cr_assert_str_eq(load_repeat_warning(1, 5000000000000ull, buf, sizeof buf), "");
    cr_assert_str_eq(load_repeat_warning(49, 1000000000, buf, sizeof buf), "");
    cr_assert_str_eq(load_repeat_warning(3, 1000000000000ull, buf, sizeof buf), "");
    cr_assert(strstr(load_repeat_warning(2, 1800000000000ull, buf, sizeof buf), "60 minutes"),
              "%s", buf);
    cr_assert(strstr(load_repeat_warning(400, 10000000000ull, buf, sizeof buf),
                     "-n 400: 400 repetitions of 10 s each, 67 minutes in all (pacer's -n "
                     "repeats the whole run; ab's and hey's -n count requests)"), "%s", buf);
    cr_assert(strstr(load_repeat_warning(1000, 10000000000ull, buf, sizeof buf),
                     "1000 repetitions of 10 s each, 2.8 hours in all"), "%s", buf);
    cr_assert(strstr(load_repeat_warning(50, 1000000000, buf, sizeof buf),
                     "50 repetitions of 1 s each, 50.0 s in all"), "%s", buf);
}
