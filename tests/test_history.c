/*
 * test_history.c: compare/history.c, through trend_build: which files a
 * trend reads (a directory's *.json files, files named one by one, other
 * tools' files), how runs are ordered (commit time, run time, file name;
 * git's order in a repository made here; files without a time of their
 * own, as named, never by modification time), and times or paths that
 * cannot be read, named with the file.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "compare/trend.h"
#include "helpers.h"

TestSuite(history, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

Test(history, ordered_by_commit_time_then_run_time_then_name)
{
    struct trend_opts o;
    struct trend t;

    /* file names in another order than the commits */
    tf_write(tmp_path("a.json"), "2026-01-01T10:00:00Z", "aaaa", "2026-01-01T03:00:00Z", tf_one, 1);
    tf_write(tmp_path("b.json"), "2026-01-01T12:00:00Z", "bbbb", "2026-01-01T01:00:00Z", tf_one, 1);
    tf_write(tmp_path("c.json"), "2026-01-01T09:00:00Z", "cccc", "2026-01-01T02:00:00Z", tf_one, 1);
    /* same commit time: by run time */
    tf_write(tmp_path("d.json"), "2026-01-01T08:00:00Z", "dddd", "2026-01-01T02:00:00Z", tf_one, 1);
    /* same commit and run time: by file name (e before f) */
    tf_write(tmp_path("f.json"), "2026-01-01T11:00:00Z", "ffff", "2026-01-01T03:00:00Z", tf_one, 1);
    tf_write(tmp_path("e.json"), "2026-01-01T11:00:00Z", "eeee", "2026-01-01T03:00:00Z", tf_one, 1);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nruns, 6);
    cr_expect_str_eq(file_name(t.runs[0].file), "b.json");
    cr_expect_str_eq(file_name(t.runs[1].file), "d.json");
    cr_expect_str_eq(file_name(t.runs[2].file), "c.json");
    cr_expect_str_eq(file_name(t.runs[3].file), "a.json");
    cr_expect_str_eq(file_name(t.runs[4].file), "e.json");
    cr_expect_str_eq(file_name(t.runs[5].file), "f.json");
    cr_expect_str_eq(t.runs[0].commit, "bbbb");
    cr_expect_str_eq(t.runs[0].commit_time, "2026-01-01T01:00:00Z");
    cr_expect_str_eq(t.runs[0].time, "2026-01-01T12:00:00Z");
    cr_expect_str_eq(t.runs[0].branch, "main");
    trend_free(&t);
}

Test(history, ordered_by_run_time_without_commits)
{
    struct trend_opts o;
    struct trend t;

    /* an offset counts: 10:00+02:00 is 08:00 UTC */
    tf_write(tmp_path("1.json"), "2026-01-01T09:00:00Z", NULL, NULL, tf_one, 1);
    tf_write(tmp_path("2.json"), "2026-01-01T10:00:00+02:00", NULL, NULL, tf_one, 1);
    tf_write(tmp_path("3.json"), "2026-01-01T08:30:00.5Z", NULL, NULL, tf_one, 1);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nruns, 3);
    cr_expect_str_eq(file_name(t.runs[0].file), "2.json");
    cr_expect_str_eq(file_name(t.runs[1].file), "3.json");
    cr_expect_str_eq(file_name(t.runs[2].file), "1.json");
    cr_expect_null(t.runs[0].commit);
    cr_expect_null(t.runs[0].commit_time);
    trend_free(&t);
}

Test(history, git_order_from_a_repository)
{
    char repo[320], c[3][64], abbrev[8], *res, cmd[600];
    struct trend_opts o;
    struct trend t;
    int i;

    snprintf(repo, sizeof repo, "%s/repo", tmp_dir());
    sh("git init -q %s", repo);
    for (i = 0; i < 3; i++) {
        /* committed with fixed dates; the results claim other times */
        sh("cd %s && echo %d > f && git add f && "
           "GIT_AUTHOR_DATE='2026-01-0%dT10:00:00Z' "
           "GIT_COMMITTER_DATE='2026-01-0%dT10:00:00Z' "
           "git -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false "
           "commit -q -m c%d", repo, i, i + 1, i + 1, i);
        sh_line(c[i], sizeof c[i], "git -C %s rev-parse HEAD", repo);
    }
    snprintf(abbrev, sizeof abbrev, "%.7s", c[1]);
    mkdir(tmp_path("res"), 0777);
    res = tmp_path("res");
    /* commit times in reverse of git's order, run times too */
    snprintf(cmd, sizeof cmd, "%s/x.json", res);
    tf_write(cmd, "2026-02-03T00:00:00Z", c[0], "2026-02-03T00:00:00Z", tf_one, 1);
    snprintf(cmd, sizeof cmd, "%s/y.json", res);
    tf_write(cmd, "2026-02-02T00:00:00Z", abbrev, "2026-02-02T00:00:00Z", tf_one, 1);
    snprintf(cmd, sizeof cmd, "%s/z.json", res);
    tf_write(cmd, "2026-02-01T00:00:00Z", c[2], "2026-02-01T00:00:00Z", tf_one, 1);
    /* two runs of commits git does not list: last, by time */
    snprintf(cmd, sizeof cmd, "%s/u.json", res);
    tf_write(cmd, "2026-01-20T00:00:00Z", "0123456789abcdef0123456789abcdef01234567",
             "2026-01-20T00:00:00Z", tf_one, 1);
    snprintf(cmd, sizeof cmd, "%s/v.json", res);
    tf_write(cmd, "2026-01-10T00:00:00Z", NULL, NULL, tf_one, 1);

    trend_opts_default(&o);
    o.git_order = 1;
    o.git_dir = repo;
    trend_ok(&res, 1, &o, &t);
    cr_assert_eq(t.nruns, 5);
    cr_expect_str_eq(file_name(t.runs[0].file), "x.json");
    cr_expect_str_eq(file_name(t.runs[1].file), "y.json");
    cr_expect_str_eq(file_name(t.runs[2].file), "z.json");
    cr_expect_str_eq(file_name(t.runs[3].file), "v.json");
    cr_expect_str_eq(file_name(t.runs[4].file), "u.json");
    cr_assert_eq(t.nwarnings, 1);
    cr_expect_not_null(strstr(t.warnings[0], "2 of 5 runs have no commit in git rev-list"),
                       "%s", t.warnings[0]);
    trend_free(&t);

    /* without git: by commit time, the other way round */
    o.git_order = 0;
    trend_ok(&res, 1, &o, &t);
    cr_expect_str_eq(file_name(t.runs[0].file), "v.json");
    cr_expect_str_eq(file_name(t.runs[4].file), "x.json");
    trend_free(&t);
}

Test(history, git_order_outside_a_repository_fails)
{
    struct trend_opts o;
    struct trend t;
    struct err e = {0};
    char *p = tmp_dir();

    tf_write(tmp_path("a.json"), "2026-01-01T10:00:00Z", "aaaa", NULL, tf_one, 1);
    trend_opts_default(&o);
    o.git_order = 1;
    o.git_dir = tmp_dir();
    cr_assert_eq(trend_build(&p, 1, &o, &t, &e), -1);
    cr_expect_not_null(strstr(e.msg, "--git-order: git rev-list --topo-order HEAD in "), "%s",
                       e.msg);
    trend_free(&t);
}

Test(history, files_named_one_by_one_and_other_tools)
{
    char *paths[3];
    struct trend_opts o;
    struct trend t;

    tf_write(tmp_path("x.json"), "2026-01-01T10:00:00Z", NULL, NULL, tf_one, 1);
    paths[0] = tmp_path("x.json");
    paths[1] = "tests/data/import/good/gbench_reps.json";
    paths[2] = "tests/data/import/good/hyperfine_basic.json";
    if (access(paths[1], R_OK) != 0)
        cr_skip_test("run from the source directory to read tests/data");
    trend_opts_default(&o);
    trend_ok(paths, 3, &o, &t);
    cr_expect_eq(t.nruns, 3);
    cr_expect_gt(t.nseries, 2);
    trend_free(&t);
}

/* A hyperfine file of one command "x" at level s seconds, modified at
 * mtime (seconds since the epoch). */
static void hyperfine_file(const char *name, double s, time_t mtime)
{
    char text[512];
    struct utimbuf ut = {mtime, mtime};

    snprintf(text, sizeof text,
             "{\"results\": [{\"command\": \"x\", \"times\": [%.17g, %.17g, %.17g], "
             "\"exit_codes\": [0, 0, 0]}]}", s, s * 1.001, s * 0.999);
    write_file(tmp_path(name), text);
    cr_assert_eq(utime(tmp_path(name), &ut), 0);
}

/* hyperfine records no time: its runs go by the files' names, whatever
 * their modification times, after the runs that have a time, with a
 * warning that says so. */
Test(history, hyperfine_files_by_name_not_modification_time)
{
    struct trend_opts o;
    struct trend t;

    hyperfine_file("b.json", 0.2, 1700000000);
    hyperfine_file("c.json", 0.3, 1600000000);
    hyperfine_file("a.json", 0.1, 1800000000);
    trend_opts_default(&o);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nruns, 3);
    cr_expect_str_eq(file_name(t.runs[0].file), "a.json");
    cr_expect_str_eq(file_name(t.runs[1].file), "b.json");
    cr_expect_str_eq(file_name(t.runs[2].file), "c.json");
    cr_expect_null(t.runs[0].time);
    cr_assert_eq(t.nwarnings, 1);
    cr_expect_str_eq(t.warnings[0], "3 of 3 runs hold no time of their own (hyperfine records "
                                    "none): they are ordered as their files are named (a "
                                    "directory's by name)");
    cr_assert_eq(t.nseries, 1);
    cr_expect(fabs(t.series[0].pts[0].value - 0.1e9) < 1, "%g", t.series[0].pts[0].value);
    trend_free(&t);

    /* with a run that has its time: it comes first */
    tf_write(tmp_path("z.json"), "2020-01-01T10:00:00Z", NULL, NULL, tf_one, 1);
    trend_of_dir(&o, &t);
    cr_assert_eq(t.nruns, 4);
    cr_expect_str_eq(file_name(t.runs[0].file), "z.json");
    cr_expect_str_eq(file_name(t.runs[1].file), "a.json");
    cr_expect_str_eq(file_name(t.runs[3].file), "c.json");
    cr_assert_eq(t.nwarnings, 1);
    cr_expect_str_eq(t.warnings[0], "3 of 4 runs hold no time of their own (hyperfine records "
                                    "none): they are ordered as their files are named (a "
                                    "directory's by name), after the runs that do");
    trend_free(&t);
}

Test(history, bad_times_and_paths_are_named)
{
    struct trend_opts o;
    struct trend t;
    struct err e = {0};
    char *paths[2], want[512];

    trend_opts_default(&o);
    tf_write(tmp_path("good.json"), "2026-01-01T10:00:00Z", NULL, NULL, tf_one, 1);
    paths[0] = tmp_path("good.json");

    /* a time that cannot be ordered */
    tf_write(tmp_path("when.json"), "yesterday", NULL, NULL, tf_one, 1);
    paths[1] = tmp_path("when.json");
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: context.time: expected an ISO 8601 time, got \"yesterday\"",
             paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);

    /* missing, and a directory without results */
    memset(&e, 0, sizeof e);
    paths[1] = tmp_path("none.json");
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);
    memset(&e, 0, sizeof e);
    mkdir(tmp_path("empty"), 0777);
    paths[1] = tmp_path("empty");
    cr_assert_eq(trend_build(paths + 1, 1, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: no *.json result files", paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);
}
