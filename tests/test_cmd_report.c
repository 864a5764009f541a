/*
 * test_cmd_report.c: `pacer report` as a user runs it (harness/cli/cmd_report.c):
 * the site of a folder of results opened in a real browser (Debian's
 * chromium, headless): every kind of page renders its charts with no
 * error and nothing on the console, and screenshots are taken (kept with
 * PACER_TEST_KEEP); skipped files are warned about; exit code 2 when
 * nothing can be reported.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "site/html.h"

TestSuite(cmd_report, .init = tmp_setup, .fini = tmp_teardown, .timeout = 240);

static char *results(size_t n)
{
    char *dir = xstrdup(tmp_path("r"));

    sh("mkdir -p '%s'", dir);
    for (size_t i = 0; i < n; i++) {
        char name[600], time[32], commit[48];
        struct tf_bench b[] = {{"fam/size=64", tf_wobble(i < n / 2 ? 100 : 108, i), NULL, DIR_LOWER, 0},
                               {"fam/size=4096", tf_wobble(5000, i), NULL, DIR_LOWER, 0},
                               {"rate", tf_wobble(3000, i), "req/s", DIR_HIGHER, 0}};

        snprintf(name, sizeof name, "%s/run%03zu.json", dir, i);
        snprintf(time, sizeof time, "2026-03-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        snprintf(commit, sizeof commit, "%03zu0000000000000000000000000000000000000", i);
        tf_write(name, time, commit, NULL, b, 3);
    }
    sh("cp tests/data/result/good/ab.json '%s/ab.json'", dir);
    sh("cp tests/data/result/good/load_monitor.json '%s/load.json'", dir);
    sh("echo 'not json' > '%s/junk.json'", dir);
    return dir;
}

/* The page at path as chromium leaves it after its scripts ran: the DOM
 * into *dom, the browser's log into *log (both to free); a screenshot to
 * shot. */
static void browse(const char *path, const char *shot, char **dom, char **log)
{
    char dfile[700], lfile[700];

    snprintf(dfile, sizeof dfile, "%s.dom", shot);
    snprintf(lfile, sizeof lfile, "%s.log", shot);
    sh("chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr "
       "--v=0 --virtual-time-budget=5000 --window-size=1200,1600 --dump-dom 'file://%s' "
       ">'%s' 2>'%s'",
       path, dfile, lfile);
    sh("chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1600 "
       "--virtual-time-budget=5000 --screenshot='%s' 'file://%s' >/dev/null 2>&1",
       shot, path);
    *dom = slurp(dfile, NULL);
    *log = slurp(lfile, NULL);
    cr_assert_not_null(*dom);
    cr_assert_not_null(*log);
}

static void renders(const char *path, const char *shot, int charts)
{
    char *dom, *log, want[64];
    struct stat st;

    browse(path, shot, &dom, &log);
    snprintf(want, sizeof want, "data-charts=\"%d\"", charts);
    cr_expect(strstr(dom, want), "%s: want %s in the body: %.300s", path, want,
              strstr(dom, "<body") ? strstr(dom, "<body") : dom);
    cr_expect_null(strstr(dom, "data-error"), "%s: %.300s", path, strstr(dom, "data-error"));
    cr_expect_null(strstr(log, "CONSOLE"), "%s: the console: %.500s", path,
                   strstr(log, "CONSOLE"));
    cr_expect_eq(stat(shot, &st), 0, "%s: no screenshot", shot);
    cr_expect_gt(st.st_size, 10000, "%s: a blank screenshot?", shot);
    free(dom);
    free(log);
}

Test(cmd_report, every_kind_of_page_in_a_browser)
{
    char *dir = results(20), site[600], page[900], slug[96], shot[700];
    struct out o;

    snprintf(site, sizeof site, "%s/site", tmp_dir());
    o = run_pacer("report", "-o", site, dir);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stdout_s, "/index.html: "), "%s", o.stdout_s);
    cr_expect(strstr(o.stdout_s, "20 runs of 3 benchmarks, 1 A/B results, 1 load runs") ||
                  strstr(o.stdout_s, "21 runs of 4 benchmarks, 1 A/B results, 1 load runs"),
              "%s", o.stdout_s);
    cr_expect(strstr(o.stderr_s, "pacer: warning: report: "), "%s", o.stderr_s);
    cr_expect(strstr(o.stderr_s, "junk.json"), "%s", o.stderr_s);
    out_free(&o);

    snprintf(page, sizeof page, "%s/index.html", site);
    snprintf(shot, sizeof shot, "%s/index.png", tmp_dir());
    renders(page, shot, 0);
    snprintf(page, sizeof page, "%s/bench/%s.html", site,
             site_slug(slug, sizeof slug, "fam/size=64", "fam/size=64"));
    snprintf(shot, sizeof shot, "%s/bench.png", tmp_dir());
    renders(page, shot, 3);   /* history, distribution, family */
    snprintf(page, sizeof page, "%s/cmp/%s.html", site,
             site_slug(slug, sizeof slug, "ab.json", tmp_path("r/ab.json")));
    snprintf(shot, sizeof shot, "%s/ab.png", tmp_dir());
    renders(page, shot, 0);
    snprintf(page, sizeof page, "%s/load/%s.html", site,
             site_slug(slug, sizeof slug, "load.json", tmp_path("r/load.json")));
    snprintf(shot, sizeof shot, "%s/load.png", tmp_dir());
    renders(page, shot, 0);
    free(dir);
}

Test(cmd_report, nothing_to_report)
{
    char dir[600];
    struct out o;

    snprintf(dir, sizeof dir, "%s/empty", tmp_dir());
    sh("mkdir -p '%s' && echo '{' > '%s/a.json'", dir, dir);
    o = run_pacer("report", "-o", tmp_path("site"), dir);
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "a.json"), "%s", o.stderr_s);
    cr_expect(strstr(o.stderr_s, "pacer: report: no result file could be read (1 skipped)"), "%s",
              o.stderr_s);
    out_free(&o);
    o = run_pacer("report", "--frob");
    cr_expect_eq(o.code, 2);
    out_free(&o);
}
