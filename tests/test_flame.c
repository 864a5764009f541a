/*
 * test_flame.c: plots/flame.c, flame graph SVGs: well-formed XML (read
 * back by Python's XML parser), one box per stack frame wide enough, the
 * names escaped, the differential colours, and drawn by a real renderer
 * (rsvg-convert, Debian's librsvg2-bin) into a PNG of the SVG's size.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "plots/flame.h"

TestSuite(flame, .init = tmp_setup, .fini = tmp_teardown);

static const char base[] = "events: Ir\n"
                           "fn=bench'measure_once\n1 10\n"
                           "fn=lcg'bench'measure_once\n2 100\n"
                           "fn=a<b>&\"c\"'bench'measure_once\n3 20\n";
static const char nw[] = "events: Ir\n"
                         "fn=bench'measure_once\n1 10\n"
                         "fn=lcg'bench'measure_once\n2 150\n"
                         "fn=parse'lcg'bench'measure_once\n4 50\n";

static int count(const char *s, const char *what)
{
    int n = 0;

    for (; (s = strstr(s, what)); s++)
        n++;
    return n;
}

Test(flame, plain_and_differential)
{
    struct profile b, n;
    struct err e = {0};
    const char *svg = tmp_path("f.svg"), *diff = tmp_path("d.svg");
    char *text;
    size_t len;
    char cmd[1200];

    cr_assert_eq(profile_parse(base, "b", &b, &e), 0, "%s", e.msg);
    cr_assert_eq(profile_parse(nw, "n", &n, &e), 0, "%s", e.msg);
    cr_assert_eq(flame_svg(&b, NULL, "t <&> 'x'", svg, &e), 0, "%s", e.msg);
    text = slurp(svg, &len);
    /* all, bench, lcg, the escaped one: four boxes */
    cr_expect_eq(count(text, "<rect x="), 4 + 1, "%s", text);   /* + the background */
    cr_expect_not_null(strstr(text, "a&lt;b&gt;&amp;&quot;c&quot;"));
    cr_expect_not_null(strstr(text, "t &lt;&amp;&gt; &apos;x&apos;"));
    cr_expect_not_null(strstr(text, "lcg: 100.0 instructions an iteration (76.92%)"));
    free(text);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c \"import xml.dom.minidom as m; "
                              "m.parse('%s')\"", svg);
    cr_expect_eq(system(cmd), 0, "not well-formed XML");

    cr_assert_eq(flame_svg(&n, &b, "diff", diff, &e), 0, "%s", e.msg);
    text = slurp(diff, &len);
    /* lcg +50 %: full red; parse is new: full red; bench's own box: 130 -> 210 */
    cr_expect_not_null(strstr(text, "lcg: 200.0 instructions an iteration"), "%s", text);
    cr_expect_not_null(strstr(text, "; base 100.0 (+100.00%)"), "%s", text);
    cr_expect_not_null(strstr(text, "parse: 50.0 instructions an iteration (23.81%); not in the "
                                    "base"), "%s", text);
    cr_expect_not_null(strstr(text, "fill=\"rgb(255,0,0)\""));
    free(text);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c \"import xml.dom.minidom as m; "
                              "m.parse('%s')\"", diff);
    cr_expect_eq(system(cmd), 0, "not well-formed XML");
    if (system("command -v rsvg-convert >/dev/null") == 0) {
        snprintf(cmd, sizeof cmd, "rsvg-convert '%s' -o '%s.png' && test -s '%s.png'", diff,
                 diff, diff);
        cr_expect_eq(system(cmd), 0, "rsvg-convert could not draw it");
    }
    profile_free(&b);
    profile_free(&n);
}

Test(flame, unwritable)
{
    struct profile p;
    struct err e = {0};
    char path[600];

    /* a file where the folder should be */
    write_file(tmp_path("file"), "x");
    snprintf(path, sizeof path, "%s/f.svg", tmp_path("file"));
    cr_assert_eq(profile_parse(base, "b", &p, &e), 0, "%s", e.msg);
    cr_expect_eq(flame_svg(&p, NULL, "t", path, &e), -1);
    cr_expect_not_null(strstr(e.msg, "f.svg.tmp: Not a directory"), "%s", e.msg);
    profile_free(&p);
}
