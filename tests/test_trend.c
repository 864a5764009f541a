/*
 * test_trend.c: compare/trend.c and compare/trend_read.c: how runs are
 * ordered (commit time, run time, file name; git's order in a repository
 * made here), --last and --filter, the series built from the files, their
 * change points, and bad files refused with the file named.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pacer_exec.h"

#include "compare/trend.h"
#include "trend_files.h"
#include "compare/trend_read.h"

static char dir[64];

static void init(void)
{
    snprintf(dir, sizeof dir, "/tmp/pacer-trend-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void fini(void)
{
    tmpdir_remove(dir);
}

TestSuite(trend, .init = init, .fini = fini, .timeout = 60);

static char *in_dir(const char *name)
{
    static char p[8][256];
    static int i;

    i = (i + 1) % 8;
    snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
    return p[i];
}

static void build_ok(char *const *paths, size_t n, const struct trend_opts *o, struct trend *t)
{
    struct err e = {0};

    cr_assert_eq(trend_build(paths, n, o, t, &e), 0, "%s", e.msg);
}

static void build_dir(const struct trend_opts *o, struct trend *t)
{
    char *p = dir;

    build_ok(&p, 1, o, t);
}

static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

static const struct tf_bench one[] = {{"a", 100, NULL, DIR_LOWER, 0}};

Test(trend, ordered_by_commit_time_then_run_time_then_name)
{
    struct trend_opts o;
    struct trend t;

    /* file names in another order than the commits */
    tf_write(in_dir("a.json"), "2026-01-01T10:00:00Z", "aaaa", "2026-01-01T03:00:00Z", one, 1);
    tf_write(in_dir("b.json"), "2026-01-01T12:00:00Z", "bbbb", "2026-01-01T01:00:00Z", one, 1);
    tf_write(in_dir("c.json"), "2026-01-01T09:00:00Z", "cccc", "2026-01-01T02:00:00Z", one, 1);
    /* same commit time: by run time */
    tf_write(in_dir("d.json"), "2026-01-01T08:00:00Z", "dddd", "2026-01-01T02:00:00Z", one, 1);
    /* same commit and run time: by file name (e before f) */
    tf_write(in_dir("f.json"), "2026-01-01T11:00:00Z", "ffff", "2026-01-01T03:00:00Z", one, 1);
    tf_write(in_dir("e.json"), "2026-01-01T11:00:00Z", "eeee", "2026-01-01T03:00:00Z", one, 1);
    trend_opts_default(&o);
    build_dir(&o, &t);
    cr_assert_eq(t.nruns, 6);
    cr_expect_str_eq(base(t.runs[0].file), "b.json");
    cr_expect_str_eq(base(t.runs[1].file), "d.json");
    cr_expect_str_eq(base(t.runs[2].file), "c.json");
    cr_expect_str_eq(base(t.runs[3].file), "a.json");
    cr_expect_str_eq(base(t.runs[4].file), "e.json");
    cr_expect_str_eq(base(t.runs[5].file), "f.json");
    cr_expect_str_eq(t.runs[0].commit, "bbbb");
    cr_expect_str_eq(t.runs[0].commit_time, "2026-01-01T01:00:00Z");
    cr_expect_str_eq(t.runs[0].time, "2026-01-01T12:00:00Z");
    cr_expect_str_eq(t.runs[0].branch, "main");
    trend_free(&t);
}

Test(trend, ordered_by_run_time_without_commits)
{
    struct trend_opts o;
    struct trend t;

    /* an offset counts: 10:00+02:00 is 08:00 UTC */
    tf_write(in_dir("1.json"), "2026-01-01T09:00:00Z", NULL, NULL, one, 1);
    tf_write(in_dir("2.json"), "2026-01-01T10:00:00+02:00", NULL, NULL, one, 1);
    tf_write(in_dir("3.json"), "2026-01-01T08:30:00.5Z", NULL, NULL, one, 1);
    trend_opts_default(&o);
    build_dir(&o, &t);
    cr_assert_eq(t.nruns, 3);
    cr_expect_str_eq(base(t.runs[0].file), "2.json");
    cr_expect_str_eq(base(t.runs[1].file), "3.json");
    cr_expect_str_eq(base(t.runs[2].file), "1.json");
    cr_expect_null(t.runs[0].commit);
    cr_expect_null(t.runs[0].commit_time);
    trend_free(&t);
}

/* Run a shell command in dir; the test fails when it does. */
static void sh(const char *fmt, const char *arg)
{
    char cmd[2048];

    snprintf(cmd, sizeof cmd, fmt, arg);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* The hash of HEAD in the repository r. */
static void head_of(const char *r, char *out, size_t len)
{
    char cmd[512];
    FILE *p;

    snprintf(cmd, sizeof cmd, "git -C %s rev-parse HEAD", r);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_not_null(fgets(out, (int)len, p));
    out[strcspn(out, "\n")] = '\0';
    pclose(p);
}

Test(trend, git_order_from_a_repository)
{
    char repo[320], c[3][64], abbrev[8], *res, cmd[600];
    struct trend_opts o;
    struct trend t;
    int i;

    snprintf(repo, sizeof repo, "%s/repo", dir);
    sh("git init -q %s", repo);
    for (i = 0; i < 3; i++) {
        /* committed with fixed dates; the results claim other times */
        snprintf(cmd, sizeof cmd,
                 "cd %%s && echo %d > f && git add f && "
                 "GIT_AUTHOR_DATE='2026-01-0%dT10:00:00Z' GIT_COMMITTER_DATE='2026-01-0%dT10:00:00Z' "
                 "git -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false "
                 "commit -q -m c%d", i, i + 1, i + 1, i);
        sh(cmd, repo);
        head_of(repo, c[i], sizeof c[i]);
    }
    snprintf(abbrev, sizeof abbrev, "%.7s", c[1]);
    mkdir(in_dir("res"), 0777);
    res = in_dir("res");
    /* commit times in reverse of git's order, run times too */
    snprintf(cmd, sizeof cmd, "%s/x.json", res);
    tf_write(cmd, "2026-02-03T00:00:00Z", c[0], "2026-02-03T00:00:00Z", one, 1);
    snprintf(cmd, sizeof cmd, "%s/y.json", res);
    tf_write(cmd, "2026-02-02T00:00:00Z", abbrev, "2026-02-02T00:00:00Z", one, 1);
    snprintf(cmd, sizeof cmd, "%s/z.json", res);
    tf_write(cmd, "2026-02-01T00:00:00Z", c[2], "2026-02-01T00:00:00Z", one, 1);
    /* two runs of commits git does not list: last, by time */
    snprintf(cmd, sizeof cmd, "%s/u.json", res);
    tf_write(cmd, "2026-01-20T00:00:00Z", "0123456789abcdef0123456789abcdef01234567",
             "2026-01-20T00:00:00Z", one, 1);
    snprintf(cmd, sizeof cmd, "%s/v.json", res);
    tf_write(cmd, "2026-01-10T00:00:00Z", NULL, NULL, one, 1);

    trend_opts_default(&o);
    o.git_order = 1;
    o.git_dir = repo;
    build_ok(&res, 1, &o, &t);
    cr_assert_eq(t.nruns, 5);
    cr_expect_str_eq(base(t.runs[0].file), "x.json");
    cr_expect_str_eq(base(t.runs[1].file), "y.json");
    cr_expect_str_eq(base(t.runs[2].file), "z.json");
    cr_expect_str_eq(base(t.runs[3].file), "v.json");
    cr_expect_str_eq(base(t.runs[4].file), "u.json");
    cr_assert_eq(t.nwarnings, 1);
    cr_expect_not_null(strstr(t.warnings[0], "2 of 5 runs have no commit in git rev-list"),
                       "%s", t.warnings[0]);
    trend_free(&t);

    /* without git: by commit time, the other way round */
    o.git_order = 0;
    build_ok(&res, 1, &o, &t);
    cr_expect_str_eq(base(t.runs[0].file), "v.json");
    cr_expect_str_eq(base(t.runs[4].file), "x.json");
    trend_free(&t);
}

Test(trend, git_order_outside_a_repository_fails)
{
    struct trend_opts o;
    struct trend t;
    struct err e = {0};
    char *p = dir;

    tf_write(in_dir("a.json"), "2026-01-01T10:00:00Z", "aaaa", NULL, one, 1);
    trend_opts_default(&o);
    o.git_order = 1;
    o.git_dir = dir;
    cr_assert_eq(trend_build(&p, 1, &o, &t, &e), -1);
    cr_expect_not_null(strstr(e.msg, "--git-order: git rev-list --topo-order HEAD in "), "%s",
                       e.msg);
    trend_free(&t);
}

/* Runs 0..n-1 of one benchmark "a" at level(i), hourly. */
static void history(size_t n, double (*level)(size_t))
{
    size_t i;

    for (i = 0; i < n; i++) {
        char name[32], time[32];
        struct tf_bench b[] = {{"a", level(i), NULL, DIR_LOWER, 0}};

        snprintf(name, sizeof name, "r%03zu.json", i);
        snprintf(time, sizeof time, "2026-01-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        tf_write(in_dir(name), time, NULL, NULL, b, 1);
    }
}

static double step_at_15(size_t i)
{
    return tf_wobble(i < 15 ? 100 : 110, i);
}

static double step_and_back(size_t i)
{
    return tf_wobble(i < 15 || i >= 30 ? 100 : 110, i);
}

Test(trend, last_keeps_the_newest_runs)
{
    struct trend_opts o;
    struct trend t;
    size_t i;

    history(30, step_at_15);
    trend_opts_default(&o);
    o.last = 12;
    build_dir(&o, &t);
    cr_assert_eq(t.nruns, 12);
    cr_expect_str_eq(base(t.runs[0].file), "r018.json");
    cr_expect_str_eq(base(t.runs[11].file), "r029.json");
    cr_assert_eq(t.nseries, 1);
    cr_assert_eq(t.series[0].n, 12);
    for (i = 0; i < 12; i++)
        cr_expect_eq(t.series[0].pts[i].run, i);
    cr_expect_eq(t.series[0].ncps, 0);   /* the step is before them */
    trend_free(&t);
    o.last = 100;   /* more than there are */
    build_dir(&o, &t);
    cr_expect_eq(t.nruns, 30);
    trend_free(&t);
}

Test(trend, filter_selects_series)
{
    static const struct tf_bench bs[] = {
        {"hash/fnv", 10, NULL, DIR_LOWER, 0},
        {"hash/xx", 20, NULL, DIR_LOWER, 0},
        {"json/parse", 30, NULL, DIR_LOWER, 0},
    };
    struct trend_opts o;
    struct trend t;
    struct err e = {0};
    char *p = dir;

    tf_write(in_dir("a.json"), "2026-01-01T10:00:00Z", NULL, NULL, bs, 3);
    tf_write(in_dir("b.json"), "2026-01-01T11:00:00Z", NULL, NULL, bs, 3);
    trend_opts_default(&o);
    o.filter = "^hash/";
    build_dir(&o, &t);
    cr_assert_eq(t.nseries, 2);
    cr_expect_str_eq(t.series[0].name, "hash/fnv");
    cr_expect_str_eq(t.series[1].name, "hash/xx");
    trend_free(&t);
    o.filter = "nothing";
    build_dir(&o, &t);
    cr_expect_eq(t.nseries, 0);
    cr_expect_eq(t.nruns, 2);
    trend_free(&t);
    o.filter = "(";
    cr_expect_eq(trend_build(&p, 1, &o, &t, &e), -1);
    cr_expect_str_eq(e.msg, "'(' is not a valid regular expression");
}

Test(trend, series_from_the_files)
{
    static const struct tf_bench r1[] = {
        {"b/time", 200, NULL, DIR_LOWER, 0},
        {"a/rate", 5000, "req/s", DIR_HIGHER, 0},
        {"c/crash", 1, NULL, DIR_LOWER, 1},
    };
    static const struct tf_bench r2[] = {
        {"a/rate", 5100, "req/s", DIR_HIGHER, 0},
        {"c/crash", 2, NULL, DIR_LOWER, 0},
    };
    static const struct tf_bench r3[] = {
        {"b/time", 210, NULL, DIR_LOWER, 0},
        {"a/rate", 5200, "req/s", DIR_HIGHER, 0},
        {"c/crash", 3, NULL, DIR_LOWER, 1},
    };
    struct trend_opts o;
    struct trend t;
    const struct trend_series *s;

    tf_write(in_dir("1.json"), "2026-01-01T10:00:00Z", NULL, NULL, r1, 3);
    tf_write(in_dir("2.json"), "2026-01-01T11:00:00Z", NULL, NULL, r2, 2);
    tf_write(in_dir("3.json"), "2026-01-01T12:00:00Z", NULL, NULL, r3, 3);
    trend_opts_default(&o);
    build_dir(&o, &t);
    cr_assert_eq(t.nruns, 3);
    cr_assert_eq(t.nseries, 3);
    s = &t.series[0];
    cr_expect_str_eq(s->name, "a/rate");
    cr_expect_str_eq(s->unit, "req/s");
    cr_expect_eq(s->dir, DIR_HIGHER);
    cr_assert_eq(s->n, 3);
    cr_expect_eq(s->pts[0].value, 5000);
    cr_expect_eq(s->pts[2].value, 5200);
    cr_expect_eq(s->pts[1].n, 5);
    cr_expect(s->pts[1].lo <= 5100 && s->pts[1].hi >= 5100 && s->pts[1].hi > s->pts[1].lo);
    s = &t.series[1];   /* missing in run 2 */
    cr_expect_str_eq(s->name, "b/time");
    cr_assert_eq(s->n, 2);
    cr_expect_eq(s->pts[0].run, 0);
    cr_expect_eq(s->pts[1].run, 2);
    cr_expect_eq(s->pts[1].value, 210);
    s = &t.series[2];   /* failed in runs 1 and 3 */
    cr_expect_str_eq(s->name, "c/crash");
    cr_assert_eq(s->n, 1);
    cr_expect_eq(s->pts[0].run, 1);
    cr_expect_eq(t.nwarnings, 0);
    trend_free(&t);
}

Test(trend, unit_change_leaves_the_older_points_out)
{
    static const struct tf_bench ns[] = {{"a", 100, "ns", DIR_LOWER, 0}};
    static const struct tf_bench bytes[] = {{"a", 100, "bytes", DIR_LOWER, 0}};
    struct trend_opts o;
    struct trend t;

    tf_write(in_dir("1.json"), "2026-01-01T10:00:00Z", NULL, NULL, ns, 1);
    tf_write(in_dir("2.json"), "2026-01-01T11:00:00Z", NULL, NULL, ns, 1);
    tf_write(in_dir("3.json"), "2026-01-01T12:00:00Z", NULL, NULL, bytes, 1);
    trend_opts_default(&o);
    build_dir(&o, &t);
    cr_assert_eq(t.nseries, 1);
    cr_expect_str_eq(t.series[0].unit, "bytes");
    cr_expect_eq(t.series[0].n, 1);
    cr_assert_eq(t.nwarnings, 1);
    cr_expect_str_eq(t.warnings[0], "a: 2 runs with another unit or direction than the newest "
                                    "(bytes, lower is better) left out");
    trend_free(&t);
}

Test(trend, change_point_and_regression_at_the_newest_run)
{
    struct trend_opts o;
    struct trend t;
    const struct changepoint *c;

    history(30, step_at_15);
    trend_opts_default(&o);
    build_dir(&o, &t);
    cr_assert_eq(t.nseries, 1);
    cr_assert_eq(t.series[0].ncps, 1);
    c = &t.series[0].cps[0];
    cr_expect_eq(c->index, 15);
    cr_expect_eq(t.series[0].pts[c->index].run, 15);
    cr_expect(fabs(c->change - 0.10) < 0.005, "change %g", c->change);
    cr_expect_lt(c->pvalue, 1e-6);
    cr_expect(trend_worse(DIR_LOWER, c->change));
    cr_expect(!trend_worse(DIR_HIGHER, c->change));
    cr_expect_eq(trend_series_regressed(&t, &t.series[0]), 1);
    cr_expect_eq(trend_new_regression(&t), 1);
    trend_free(&t);
}

Test(trend, no_regression_once_the_level_is_back)
{
    struct trend_opts o;
    struct trend t;

    history(45, step_and_back);
    trend_opts_default(&o);
    build_dir(&o, &t);
    cr_assert_eq(t.series[0].ncps, 2);
    cr_expect_eq(t.series[0].cps[0].index, 15);
    cr_expect_eq(t.series[0].cps[1].index, 30);
    cr_expect_eq(trend_new_regression(&t), 0);
    trend_free(&t);
}

Test(trend, files_named_one_by_one_and_other_tools)
{
    char *paths[3];
    struct trend_opts o;
    struct trend t;

    tf_write(in_dir("x.json"), "2026-01-01T10:00:00Z", NULL, NULL, one, 1);
    paths[0] = in_dir("x.json");
    paths[1] = "tests/data/import/good/gbench_reps.json";
    paths[2] = "tests/data/import/good/hyperfine_basic.json";
    if (access(paths[1], R_OK) != 0)
        cr_skip_test("run from the source directory to read tests/data");
    trend_opts_default(&o);
    build_ok(paths, 3, &o, &t);
    cr_expect_eq(t.nruns, 3);
    cr_expect_gt(t.nseries, 2);
    trend_free(&t);
}

/* Write text to a file in dir. */
static char *text_file(const char *name, const char *text)
{
    char *p = in_dir(name);
    FILE *f = fopen(p, "w");

    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

Test(trend, bad_files_are_named)
{
    struct trend_opts o;
    struct trend t;
    struct err e = {0};
    char *paths[2], want[512], *p;

    trend_opts_default(&o);
    tf_write(in_dir("good.json"), "2026-01-01T10:00:00Z", NULL, NULL, one, 1);
    paths[0] = in_dir("good.json");

    /* a field the trend reads */
    paths[1] = text_file("unit.json",
                         "{\"schema\": \"1.2\", \"context\": {\"pacer_version\": \"0.1.0\", "
                         "\"time\": \"2026-01-01T11:00:00Z\", \"fingerprint\": "
                         "\"3f2a9c0d11e4b7a5\"}, \"benchmarks\": [{\"name\": \"a\", \"kind\": "
                         "\"micro\", \"unit\": \"\", \"direction\": \"lower\", \"iterations\": 1, "
                         "\"samples\": []}]}");
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: benchmarks[0].unit: expected a non-empty string", paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);

    /* truncated */
    memset(&e, 0, sizeof e);
    paths[1] = text_file("cut.json", "{\"schema\": \"1.2\", \"context\": {\"time\"");
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: line 1 column ", paths[1]);
    cr_expect_eq(strncmp(e.msg, want, strlen(want)), 0, "%s", e.msg);
    trend_free(&t);

    /* a duplicate name */
    memset(&e, 0, sizeof e);
    {
        static const struct tf_bench dup[] = {{"a", 1, NULL, DIR_LOWER, 0},
                                              {"b", 1, NULL, DIR_LOWER, 0}};
        FILE *f;
        char buf[65536];
        size_t n;

        tf_write(in_dir("dup.json"), "2026-01-01T12:00:00Z", NULL, NULL, dup, 2);
        f = fopen(in_dir("dup.json"), "r");
        n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        p = strstr(buf, "\"name\": \"b\"");
        cr_assert_not_null(p);
        p[9] = 'a';
        paths[1] = text_file("dup.json", buf);
    }
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: benchmarks[1].name: duplicate name \"a\" (also "
                                "benchmarks[0])", paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);

    /* a time that cannot be ordered */
    memset(&e, 0, sizeof e);
    tf_write(in_dir("when.json"), "yesterday", NULL, NULL, one, 1);
    paths[1] = in_dir("when.json");
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: context.time: expected an ISO 8601 time, got \"yesterday\"",
             paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);

    /* missing, and a directory without results */
    memset(&e, 0, sizeof e);
    paths[1] = in_dir("none.json");
    cr_assert_eq(trend_build(paths, 2, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);
    memset(&e, 0, sizeof e);
    mkdir(in_dir("empty"), 0777);
    paths[1] = in_dir("empty");
    cr_assert_eq(trend_build(paths + 1, 1, &o, &t, &e), -1);
    snprintf(want, sizeof want, "%s: no *.json result files", paths[1]);
    cr_expect_str_eq(e.msg, want);
    trend_free(&t);
}

Test(trend, lean_and_full_reads_agree)
{
    static const struct tf_bench bs[] = {
        {"q\"uote\\d/\xc3\xa9t\xc3\xa9", 123.5, NULL, DIR_LOWER, 0},
        {"rate", 9000, "req/s", DIR_HIGHER, 0},
        {"dead", 1, NULL, DIR_LOWER, 1},
    };
    struct trend_file f;
    struct err e = {0};
    size_t i;
    int full;

    tf_write(in_dir("a.json"), "2026-01-01T10:00:00Z", "abcdef0", "2026-01-01T09:00:00Z", bs, 3);
    trend_file_init(&f);
    for (full = 0; full <= 1; full++) {
        cr_assert_eq(trend_file_read(&f, in_dir("a.json"), full, &e), 0, "%s", e.msg);
        cr_expect_eq(f.full, full);
        cr_expect_str_eq(f.time, "2026-01-01T10:00:00Z");
        cr_expect_str_eq(f.commit, "abcdef0");
        cr_expect_str_eq(f.commit_time, "2026-01-01T09:00:00Z");
        cr_expect_str_eq(f.branch, "main");
        cr_assert_eq(f.nb, 3);
        for (i = 0; i < 3; i++) {
            cr_expect_str_eq(f.b[i].name, bs[i].name);
            cr_expect_str_eq(f.b[i].unit, bs[i].unit ? bs[i].unit : "ns");
            cr_expect_eq(f.b[i].dir, bs[i].dir);
            cr_expect_eq(f.b[i].failed, bs[i].failed);
        }
        cr_expect_eq(f.b[0].median, 123.5);
        cr_expect_eq(f.b[0].n, 5);
        cr_expect(isfinite(f.b[0].lo) && isfinite(f.b[0].hi));
        cr_expect(isnan(f.b[2].median));
    }
    trend_file_free(&f);
}
