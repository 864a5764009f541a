/*
 * test_gnuplot.c: what every plot shares (plots/gnuplot.c): names and
 * titles passed to gnuplot as text, never run; the default picture name;
 * missing directories made; and a missing, failing or hanging gnuplot
 * given as its one-line error.  gnuplot really runs (or a script in its
 * place).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "plots/plot.h"

TestSuite(gnuplot, .init = plot_setup, .fini = tmp_teardown, .timeout = 60);

/* Write an executable script to path. */
static void write_script(const char *path, const char *text)
{
    write_file(path, text);
    cr_assert_eq(chmod(path, 0755), 0);
}

Test(gnuplot, names_are_text_to_gnuplot)
{
    char evil[256], *gp;
    const char *names[3];
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    unsigned w, h;

    /* quotes, a backquote command, an @ macro, a % format, underscores */
    snprintf(evil, sizeof evil, "it's \"a_b\" `touch %s/pwned` @x 50%%_{up}", tmp_dir());
    names[0] = evil;
    names[1] = "with space/and_under_score";
    names[2] = "x/y";
    make_trend(&t, 3, 6, names);
    plot_opts_default(&o);
    o.out = tmp_path("evil.png");
    o.title = "title's `touch /tmp/never` \"x\"";
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(tmp_path("evil.png"), &w, &h);
    cr_expect(!exists(tmp_path("pwned")), "a backquote in a name ran a command");
    gp = slurp(tmp_path("evil.gp"), NULL);
    cr_assert_not_null(gp);
    cr_expect_not_null(strstr(gp, "'title''s `touch /tmp/never` \"x\"'"), "%s", gp);
    free(gp);
    free_trend(&t);
}

Test(gnuplot, default_picture_name)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    char cwd[512];

    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(tmp_dir()), 0);
    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    cr_expect(nonempty(tmp_path("plot-trend.png")));
    cr_expect(nonempty(tmp_path("plot-trend.gp")));
    cr_expect(nonempty(tmp_path("plot-trend.dat")));
    free_trend(&t);
    cr_assert_eq(chdir(cwd), 0);
}

Test(gnuplot, gnuplot_missing)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    char path[4096];
    int rc;

    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    o.out = tmp_path("m.png");
    setenv("PACER_GNUPLOT", tmp_path("no-such-gnuplot"), 1);
    cr_assert_eq(plot_trend(&t, &o, &e), -1);
    cr_expect_str_eq(e.msg, "gnuplot not found: install gnuplot-nox");
    cr_expect(!nonempty(tmp_path("m.png")));
    /* not in PATH either */
    unsetenv("PACER_GNUPLOT");
    mkdir(tmp_path("emptybin"), 0755);
    snprintf(path, sizeof path, "%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", tmp_path("emptybin"), 1);
    memset(&e, 0, sizeof e);
    rc = plot_trend(&t, &o, &e);
    setenv("PATH", path, 1);
    cr_assert_eq(rc, -1);
    cr_expect_str_eq(e.msg, "gnuplot not found: install gnuplot-nox");
    free_trend(&t);
}

Test(gnuplot, gnuplot_failing_gives_its_first_error)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};

    write_script(tmp_path("badplot"),
                 "#!/bin/sh\n"
                 "echo '\"m.gp\" line 3: warning: Cannot find or open file \"x.dat\"' >&2\n"
                 "echo '\"m.gp\" line 3: No data in plot' >&2\n"
                 "touch m.png\nexit 1\n");
    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    o.out = tmp_path("m.png");
    setenv("PACER_GNUPLOT", tmp_path("badplot"), 1);
    cr_assert_eq(plot_trend(&t, &o, &e), -1);
    cr_expect_str_eq(e.msg, "gnuplot failed: \"m.gp\" line 3: No data in plot");
    cr_expect(access(tmp_path("m.png"), F_OK) != 0, "the partial picture is removed");
    free_trend(&t);
}

Test(gnuplot, gnuplot_hanging_is_killed)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};

    write_script(tmp_path("slowplot"), "#!/bin/sh\nexec sleep 30\n");
    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    o.out = tmp_path("m.png");
    setenv("PACER_GNUPLOT", tmp_path("slowplot"), 1);
    setenv("PACER_GNUPLOT_TIMEOUT", "1", 1);
    cr_assert_eq(plot_trend(&t, &o, &e), -1);
    cr_expect_not_null(strstr(e.msg, "gnuplot failed: "), "%s", e.msg);
    cr_expect_not_null(strstr(e.msg, "m.gp: no picture after 1 s"), "%s", e.msg);
    free_trend(&t);
}

Test(gnuplot, unwritable_directory)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};

    FILE *f;

    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    /* missing directories are made */
    o.out = tmp_path("new/dir/x.png");
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    cr_assert(access(tmp_path("new/dir/x.png"), F_OK) == 0);
    /* a file where a directory should be */
    f = fopen(tmp_path("afile"), "w");
    cr_assert_not_null(f);
    fclose(f);
    o.out = tmp_path("afile/dir/x.png");
    cr_assert_eq(plot_trend(&t, &o, &e), -1);
    cr_expect_not_null(strstr(e.msg, "afile/dir: cannot create the directory: Not a directory"),
                       "%s", e.msg);
    free_trend(&t);
}
