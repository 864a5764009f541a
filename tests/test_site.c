/*
 * test_site.c: the report site (site/): from a folder of results (a
 * history with a step and a family, an A/B result, a load run, a foreign
 * file, a truncated one, a copy of a run) every page is written, every
 * link and picture it names is there, the files that cannot be reported
 * are named in warnings, the charts' data are JSON as the page's script
 * reads it, and names are escaped wherever they appear.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "harness/result/profile.h"
#include "site/html.h"
#include "site/site.h"

TestSuite(site, .init = tmp_setup, .fini = tmp_teardown, .timeout = 120);

static const char *const SIZES[] = {"fam/copy/size=64", "fam/copy/size=1024",
                                    "fam/copy/size=16384"};

/* n hourly runs of three benchmarks of a family (the first steps up 10 %
 * at n/2) and "odd" (whatever name is asked), into folder r/. */
static char *results(size_t n, const char *odd)
{
    char *dir = xstrdup(tmp_path("r"));

    cr_assert_eq(mkdir(dir, 0777), 0);
    for (size_t i = 0; i < n; i++) {
        char name[600], time[32], commit[48];
        struct tf_bench b[4] = {{SIZES[0], tf_wobble(i < n / 2 ? 100 : 110, i), NULL, DIR_LOWER, 0},
                                {SIZES[1], tf_wobble(900, i), NULL, DIR_LOWER, 0},
                                {SIZES[2], tf_wobble(15000, i), NULL, DIR_LOWER, 0},
                                {odd, tf_wobble(50, i), NULL, DIR_LOWER, 0}};

        snprintf(name, sizeof name, "%s/run%03zu.json", dir, i);
        snprintf(time, sizeof time, "2026-02-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        snprintf(commit, sizeof commit, "%03zu0000000000000000000000000000000000000", i);
        tf_write(name, time, commit, NULL, b, 4);
    }
    return dir;
}

static void add_others(const char *dir)
{
    sh("cp tests/data/result/good/ab.json '%s/ab.json'", dir);
    sh("cp tests/data/result/good/load_monitor.json '%s/load.json'", dir);
    sh("echo '{\"name\": \"not a result\"}' > '%s/foreign.json'", dir);
    sh("head -c 200 '%s/run001.json' > '%s/truncated.json'", dir, dir);
    sh("cp '%s/run003.json' '%s/run003_copy.json'", dir, dir);
}

/* Two callgrind profiles of the A/B result's benchmark (as pacer ab
 * --explain keeps them), the new side spending 40 more in lcg. */
static void ab_profiles(const char *dir)
{
    static const char head[] = "# callgrind format\nversion: 1\npositions: line\nevents: Ir\n"
                               "fl=/src/bench.c\nfn=bench'measure_once\n10 3\n"
                               "cfn=lcg'bench'measure_once\ncalls=1 20\n11 %d\n"
                               "fn=lcg'bench'measure_once\n21 %d\n";
    char pdir[700], f[256], path[1000], text[512];

    snprintf(pdir, sizeof pdir, "%s/ab.json.profiles", dir);
    cr_assert_eq(mkdir(pdir, 0777), 0);
    snprintf(path, sizeof path, "%s/%s", pdir,
             profile_file_name(f, sizeof f, "command/ab", ".base.callgrind"));
    snprintf(text, sizeof text, head, 100, 100);
    write_file(path, text);
    snprintf(path, sizeof path, "%s/%s", pdir,
             profile_file_name(f, sizeof f, "command/ab", ".callgrind"));
    snprintf(text, sizeof text, head, 140, 140);
    write_file(path, text);
}

static int has_warning(const struct site_out *o, const char *a, const char *b)
{
    for (size_t i = 0; i < o->nwarnings; i++)
        if (strstr(o->warnings[i], a) && strstr(o->warnings[i], b))
            return 1;
    return 0;
}

/* Every href= and src= of the page at path names a file that is there
 * (links to other sites there are none: the site needs no network). */
static size_t check_links(const char *path)
{
    char *text = slurp(path, NULL), dir[600], *p;
    size_t n = 0;

    cr_assert_not_null(text, "%s", path);
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    for (p = text; (p = strstr(p, "=\"")); p += 2) {
        char target[1200], *end;
        size_t len;

        if (!((p - text >= 4 && !strncmp(p - 4, "href", 4)) ||
              (p - text >= 3 && !strncmp(p - 3, "src", 3))))
            continue;
        end = strchr(p + 2, '"');
        cr_assert_not_null(end);
        len = (size_t)(end - (p + 2));
        cr_expect(strncmp(p + 2, "http", 4) != 0, "%s: a link out: %.*s", path, (int)len, p + 2);
        snprintf(target, sizeof target, "%s/%.*s", dir, (int)len, p + 2);
        cr_expect(exists(target), "%s: broken link %.*s", path, (int)len, p + 2);
        n++;
    }
    free(text);
    return n;
}

static size_t check_folder(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t pages = 0;

    cr_assert_not_null(d, "%s", dir);
    while ((de = readdir(d)))
        if (ends_with(de->d_name, ".html")) {
            char path[1200];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            cr_expect_gt(check_links(path), 2, "%s", path);
            pages++;
        } else
            cr_expect(!ends_with(de->d_name, ".tmp"), "left half-written: %s", de->d_name);
    closedir(d);
    return pages;
}

/* The charts' data of the page at path (the JSON of pacer-data). */
static json_t *chart_data(const char *path)
{
    char *text = slurp(path, NULL), *a, *b;
    json_error_t je;
    json_t *j;

    cr_assert_not_null(text);
    a = strstr(text, "<script type=\"application/json\" id=\"pacer-data\">");
    cr_assert_not_null(a, "%s: no chart data", path);
    a = strchr(a, '>') + 1;
    b = strstr(a, "</script>");
    cr_assert_not_null(b);
    j = json_loadb(a, (size_t)(b - a), 0, &je);
    cr_assert_not_null(j, "%s: %s", path, je.text);
    free(text);
    return j;
}

static char *page_of(const char *site, const char *name)
{
    char slug[96], *p = malloc(1200);

    snprintf(p, 1200, "%s/bench/%s.html", site, site_slug(slug, sizeof slug, name, name));
    return p;
}

Test(site, every_page_and_link)
{
    char *dir = results(24, "plain"), *site = xstrdup(tmp_path("site")), *page, idx[700];
    char *paths[] = {dir};
    struct site_opts o = {site, NULL, 1};
    struct site_out out;
    struct err e = {0};
    json_t *j, *h;
    size_t i;

    add_others(dir);
    ab_profiles(dir);
    cr_assert_eq(site_build(paths, 1, &o, &out, &e), 0, "%s", e.msg);
    cr_expect_eq(out.runs, 25, "24 runs and the load run");
    cr_expect_eq(out.ab, 1);
    cr_expect_eq(out.loads, 1);
    cr_expect(has_warning(&out, "foreign.json", "skipped"));
    cr_expect(has_warning(&out, "truncated.json", "skipped"));
    cr_expect(has_warning(&out, "run003_copy.json", "the same run as"));
    for (i = 0; i < out.nwarnings; i++)
        cr_log_info("warning: %s", out.warnings[i]);
    snprintf(idx, sizeof idx, "%s/index.html", site);
    cr_expect_gt(check_links(idx), 10);
    {
        char sub[700];
        size_t pages = 1;
        for (const char *f = "bench\0cmp\0load\0"; *f; f += strlen(f) + 1) {
            snprintf(sub, sizeof sub, "%s/%s", site, f);
            pages += check_folder(sub);
        }
        cr_expect_eq(pages, out.pages);
    }
    /* the A/B page: its profiles' differences and flame graph */
    {
        char slug[96], ab[1200], *text;

        snprintf(ab, sizeof ab, "%s/cmp/%s.html", site,
                 site_slug(slug, sizeof slug, "ab.json", tmp_path("r/ab.json")));
        text = slurp(ab, NULL);
        cr_assert_not_null(text, "%s", ab);
        cr_expect(strstr(text, "Why: the profiles of both sides"), "%s", ab);
        cr_expect(strstr(text, "<tr><td>lcg</td><td class=\"num\">100.0</td>"
                               "<td class=\"num\">140.0</td><td class=\"num\">+40.0%</td>"),
                  "%s", ab);
        cr_expect(strstr(text, ".diff.svg"), "%s", ab);
        free(text);
    }
    /* the stepping benchmark's page: 24 points, its change point, its
     * latest run's distribution and its family of three by size */
    page = page_of(site, SIZES[0]);
    j = chart_data(page);
    cr_assert_eq(json_array_size(j), 3, "history, distribution, family");
    h = json_array_get(j, 0);
    cr_expect_str_eq(json_string_value(json_object_get(h, "kind")), "history");
    cr_expect_eq(json_array_size(json_object_get(h, "v")), 24);
    cr_expect_eq(json_array_size(json_object_get(h, "runs")), 24);
    cr_expect_eq(json_array_size(json_object_get(h, "cps")), 1);
    cr_expect_eq(json_integer_value(json_object_get(json_array_get(json_object_get(h, "cps"), 0), "i")),
                 12);
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h, "runs"), 23),
                                                       "file")),
                     "run023.json");
    h = json_array_get(j, 2);
    cr_expect_str_eq(json_string_value(json_object_get(h, "kind")), "family");
    cr_expect_str_eq(json_string_value(json_object_get(h, "param")), "size");
    cr_expect_eq(json_array_size(json_object_get(h, "x")), 3);
    cr_expect_eq(json_number_value(json_array_get(json_object_get(h, "x"), 2)), 16384);
    json_decref(j);
    free(page);
    site_out_free(&out);
    free(dir);
    free(site);
}

Test(site, names_escaped_everywhere)
{
    const char *odd = "x/</script><img src=x onerror=alert(1)>&\"'";
    char *dir = results(3, odd), *site = xstrdup(tmp_path("site")), *page, *text, idx[700];
    char *paths[] = {dir};
    struct site_opts o = {site, NULL, 0};
    struct site_out out;
    struct err e = {0};
    json_t *j;

    cr_assert_eq(site_build(paths, 1, &o, &out, &e), 0, "%s", e.msg);
    page = page_of(site, odd);
    text = slurp(page, NULL);
    cr_assert_not_null(text, "%s", page);
    cr_expect_null(strstr(text, "<img src=x"), "unescaped in the page");
    cr_expect_not_null(strstr(text, "x/&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;"));
    free(text);
    j = chart_data(page);   /* the data still one JSON list */
    json_decref(j);
    snprintf(idx, sizeof idx, "%s/index.html", site);
    text = slurp(idx, NULL);
    cr_expect_null(strstr(text, "<img src=x"), "unescaped in the index");
    free(text);
    free(page);
    site_out_free(&out);
    free(dir);
    free(site);
}

Test(site, nothing_readable_or_nowhere_to_write)
{
    char *dir = xstrdup(tmp_path("only_bad")), *paths[1], *file = xstrdup(tmp_path("file"));
    struct site_opts o = {NULL, NULL, 0};
    struct site_out out;
    struct err e = {0};

    cr_assert_eq(mkdir(dir, 0777), 0);
    sh("echo '[1, 2' > '%s/a.json'", dir);
    paths[0] = dir;
    o.out = tmp_path("site");
    cr_expect_neq(site_build(paths, 1, &o, &out, &e), 0);
    cr_expect(strstr(e.msg, "no result file could be read (1 skipped)"), "%s", e.msg);
    cr_expect(has_warning(&out, "a.json", "skipped"));
    cr_expect(!exists(tmp_path("site")), "no site of nothing");
    site_out_free(&out);
    free(dir);

    dir = results(2, "plain");
    paths[0] = dir;
    write_file(file, "a file, not a folder\n");
    o.out = file;
    e = (struct err){0};
    cr_expect_neq(site_build(paths, 1, &o, &out, &e), 0);
    cr_expect(strstr(e.msg, "cannot make it"), "%s", e.msg);
    site_out_free(&out);
    free(dir);
    free(file);
}

/* Without gnuplot the pages are all there, with no picture and no link to
 * one, and one warning says so. */
Test(site, without_gnuplot)
{
    char *dir = results(4, "plain"), *site = xstrdup(tmp_path("site")), sub[700];
    char *paths[] = {dir};
    struct site_opts o = {site, NULL, 1};
    struct site_out out;
    struct err e = {0};
    size_t i, n = 0;

    add_others(dir);
    setenv("PACER_GNUPLOT", "/nonexistent/gnuplot", 1);
    cr_assert_eq(site_build(paths, 1, &o, &out, &e), 0, "%s", e.msg);
    for (i = 0; i < out.nwarnings; i++)
        n += strstr(out.warnings[i], "the gnuplot pictures are left out") != NULL;
    cr_expect_eq(n, 1, "one warning for all the pictures");
    for (const char *f = "bench\0cmp\0load\0"; *f; f += strlen(f) + 1) {
        snprintf(sub, sizeof sub, "%s/%s", site, f);
        check_folder(sub);
    }
    site_out_free(&out);
    free(dir);
    free(site);
}
