/*
 * test_store.c: the history in SQLite (compare/store.c): a run read back
 * from the store as the file gives it, a changed file read again, a trend
 * from the store equal to the trend from the files, baselines by name and
 * the latest of a branch and machine, rebuild (gone files dropped,
 * baselines kept, the old store untouched when it fails), and every store
 * that must be refused: not a database, another application's, a newer
 * schema, a damaged file.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare/store.h"
#include "compare/trend.h"
#include "harness/result/result_json.h"
#include "helpers.h"

TestSuite(store, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

static const struct tf_bench two[] = {{"a", 100, NULL, DIR_LOWER, 0},
                                      {"b/size=64", 5000, "req/s", DIR_HIGHER, 0},
                                      {"c", 7, NULL, DIR_LOWER, 1}};

/* n runs r000.json.. in the temporary folder, "a" stepping up 10 % at
 * run n/2, hourly from 2026-01-01, on the machine of fingerprint fp. */
static void history(size_t n, const char *fp)
{
    for (size_t i = 0; i < n; i++) {
        char name[32], time[32], commit[48];
        struct tf_bench b[3];

        memcpy(b, two, sizeof b);
        b[0].median = tf_wobble(i < n / 2 ? 100 : 110, i);
        snprintf(name, sizeof name, "r%03zu.json", i);
        snprintf(time, sizeof time, "2026-01-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        snprintf(commit, sizeof commit, "c%03zu0000000000000000000000000000000000000", i);
        tf_write_fp(tmp_path(name), time, commit, NULL, fp, b, 3);
    }
}

/* A path in the scratch folder of its own (tmp_path's are reused). */
static char *own(const char *name)
{
    return xstrdup(tmp_path(name));
}

static struct store *open_ok(const char *path, int create)
{
    struct store *s = NULL;
    struct err e = {0};

    cr_assert_eq(store_open(&s, path, create, &e), 0, "%s", e.msg);
    return s;
}

static void add_ok(struct store *s, const char *path)
{
    struct trend_file f;
    struct err e = {0};

    trend_file_init(&f);
    cr_assert_eq(store_begin(s, &e), 0, "%s", e.msg);
    cr_assert_geq(store_add_file(s, path, &f, &e), 0, "%s", e.msg);
    cr_assert_eq(store_commit(s, &e), 0, "%s", e.msg);
    trend_file_free(&f);
}

static void same_run(const struct trend_file *a, const struct trend_file *b)
{
    cr_expect(same_str(a->time, b->time));
    cr_expect(same_str(a->commit, b->commit));
    cr_expect(same_str(a->commit_time, b->commit_time));
    cr_expect(same_str(a->branch, b->branch));
    cr_expect(same_str(a->fingerprint, b->fingerprint));
    cr_expect_eq(a->untimed, b->untimed);
    cr_assert_eq(a->nb, b->nb);
    for (size_t i = 0; i < a->nb; i++) {
        const struct trend_bench_rec *x = &a->b[i], *y = NULL;

        for (size_t k = 0; k < b->nb; k++)
            if (!strcmp(b->b[k].name, x->name))
                y = &b->b[k];
        cr_assert_not_null(y, "%s", x->name);
        cr_expect_str_eq(x->unit, y->unit);
        cr_expect_eq(x->dir, y->dir);
        cr_expect(same_double(x->centre, y->centre), "%s: %.17g %.17g", x->name, x->centre,
                  y->centre);
        cr_expect(same_double(x->lo, y->lo));
        cr_expect(same_double(x->hi, y->hi));
        cr_expect_eq(x->n, y->n);
        cr_expect_eq(x->failed, y->failed);
    }
}

Test(store, a_run_back_as_the_file_gives_it)
{
    struct trend_file fromfile, fromstore;
    struct err e = {0};
    struct store *s;
    char *db = own("pacer.db"), *r0;

    history(2, NULL);
    r0 = own("r000.json");
    s = open_ok(db, 1);
    trend_file_init(&fromfile);
    trend_file_init(&fromstore);
    cr_assert_eq(store_lookup(s, r0, &fromstore, &e), 0, "not there yet");
    add_ok(s, r0);
    store_close(s);
    /* read back by another opening */
    s = open_ok(db, 0);
    cr_assert_eq(trend_file_read(&fromfile, r0, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(store_lookup(s, r0, &fromstore, &e), 1, "%s", e.msg);
    same_run(&fromfile, &fromstore);
    /* each benchmark's samples, bit for bit */
    {
        struct result r;
        double *x;
        size_t n;

        result_init(&r);
        cr_assert_eq(result_load(r0, &r, &e), 0, "%s", e.msg);
        for (size_t i = 0; i < r.nbenches; i++) {
            const struct bench *b = &r.benches[i];
            int got = store_samples(s, r0, b->name, &x, &n, &e);

            cr_assert_geq(got, 0, "%s", e.msg);
            cr_expect_eq(got, b->nsamples > 0, "%s", b->name);
            cr_expect_eq(n, b->nsamples, "%s", b->name);
            for (size_t k = 0; k < n && k < b->nsamples; k++)
                cr_expect(same_double(x[k], b->samples[k]), "%s[%zu]", b->name, k);
            free(x);
        }
        cr_expect_eq(store_samples(s, r0, "nope", &x, &n, &e), 0);
        result_free(&r);
    }
    /* the same file named by another path is the same run */
    {
        char other[4096];
        snprintf(other, sizeof other, "%s/../%s/r000.json", tmp_dir(), strrchr(tmp_dir(), '/') + 1);
        cr_expect_eq(store_lookup(s, other, &fromstore, &e), 1, "%s: %s", other, e.msg);
    }
    /* a file that changed is not taken from the store */
    sleep_ms(20);
    history(1, NULL);
    cr_expect_eq(store_lookup(s, r0, &fromstore, &e), 0);
    cr_expect_eq(store_add_file(s, r0, &fromstore, &e), 1, "%s", e.msg);
    cr_expect_eq(store_lookup(s, r0, &fromstore, &e), 1);
    trend_file_free(&fromfile);
    trend_file_free(&fromstore);
    store_close(s);
    free(db);
    free(r0);
}

/* The trend of a history from the store is the trend from its files: the
 * same runs, series, points and change points. */
Test(store, trend_from_the_store_as_from_the_files)
{
    struct trend_opts o;
    struct trend a, b, c;
    struct err e = {0};
    char *dir = tmp_dir(), *db = own("pacer.db");
    char *paths[] = {dir};
    size_t i, k;

    history(30, NULL);
    trend_opts_default(&o);
    cr_assert_eq(trend_build(paths, 1, &o, &a, &e), 0, "%s", e.msg);
    o.store = open_ok(db, 1);
    cr_assert_eq(trend_build(paths, 1, &o, &b, &e), 0, "%s", e.msg);
    cr_expect_eq(b.from_store, 0);
    cr_expect_eq(b.added, 30);
    cr_assert_eq(trend_build(paths, 1, &o, &c, &e), 0, "%s", e.msg);
    cr_expect_eq(c.from_store, 30);
    cr_expect_eq(c.added, 0);
    store_close(o.store);
    cr_assert_eq(c.nruns, a.nruns);
    cr_assert_eq(c.nseries, a.nseries);
    for (i = 0; i < a.nruns; i++)
        cr_expect(same_str(c.runs[i].commit, a.runs[i].commit));
    for (i = 0; i < a.nseries; i++) {
        cr_expect_str_eq(c.series[i].name, a.series[i].name);
        cr_assert_eq(c.series[i].n, a.series[i].n);
        cr_assert_eq(c.series[i].ncps, a.series[i].ncps);
        for (k = 0; k < a.series[i].n; k++)
            cr_expect(same_double(c.series[i].pts[k].value, a.series[i].pts[k].value));
        for (k = 0; k < a.series[i].ncps; k++)
            cr_expect_eq(c.series[i].cps[k].index, a.series[i].cps[k].index);
    }
    cr_expect_eq(a.series[0].ncps, 1, "the step of a is found");
    trend_free(&a);
    trend_free(&b);
    trend_free(&c);
    free(db);
}

Test(store, baselines_named_and_latest)
{
    struct trend_file f;
    struct err e = {0};
    struct store *s;
    char *db = own("pacer.db"), *p = NULL, *r3 = own("r003.json");
    char *r5 = own("r005.json"), *r4 = own("r004.json");
    struct tf_bench b[3];

    history(6, "aaaaaaaaaaaaaaaa");
    memcpy(b, two, sizeof b);
    /* the newest run, r005, on another machine */
    tf_write_fp(r5, "2026-01-01T09:00:00Z", NULL, NULL, "bbbbbbbbbbbbbbbb", b, 3);
    s = open_ok(db, 1);
    trend_file_init(&f);
    cr_assert_eq(store_begin(s, &e), 0);
    for (int i = 0; i < 6; i++) {
        char name[600];
        snprintf(name, sizeof name, "%s/r%03d.json", tmp_dir(), i);
        cr_assert_geq(store_add_file(s, name, &f, &e), 0, "%s", e.msg);
    }
    cr_assert_eq(store_name_baseline(s, "v1", r3, &f, &e), 0, "%s", e.msg);
    cr_assert_eq(store_commit(s, &e), 0);
    e = (struct err){0};
    cr_expect_neq(store_name_baseline(s, "latest", r3, &f, &e), 0);
    cr_expect(strstr(e.msg, "kept for the newest run"), "%s", e.msg);

    cr_assert_eq(store_baseline(s, "v1", NULL, NULL, NULL, &p, &e), 0, "%s", e.msg);
    cr_expect(ends_with(p, "/r003.json"), "%s", p);
    free(p);
    /* latest of branch main on machine aaaa other than r005 itself: r004
     * (r005 is of bbbb, with no branch); of r004: r003 */
    cr_assert_eq(store_baseline(s, "latest", "main", "aaaaaaaaaaaaaaaa", r5, &p, &e), 0, "%s",
                 e.msg);
    cr_expect(ends_with(p, "/r004.json"), "%s", p);
    free(p);
    cr_assert_eq(store_baseline(s, "latest", "main", "aaaaaaaaaaaaaaaa", r4, &p, &e), 0, "%s",
                 e.msg);
    cr_expect(ends_with(p, "/r003.json"), "%s", p);
    free(p);
    e = (struct err){0};
    cr_expect_neq(store_baseline(s, "latest", NULL, "bbbbbbbbbbbbbbbb", r5, &p, &e), 0);
    cr_expect(strstr(e.msg, "no other run on branch (none) and machine bbbbbbbbbbbbbbbb"), "%s",
              e.msg);
    e = (struct err){0};
    cr_expect_neq(store_baseline(s, "v2", NULL, NULL, NULL, &p, &e), 0);
    cr_expect(strstr(e.msg, "no baseline v2 in"), "%s", e.msg);
    trend_file_free(&f);
    store_close(s);
    free(db);
    free(r3);
    free(r4);
    free(r5);
}

Test(store, rebuild_drops_gone_files_and_keeps_baselines)
{
    struct store_info in;
    struct trend_file f;
    struct err e = {0};
    struct store *s;
    char *db = own("pacer.db"), *r1 = own("r001.json"), *r2 = own("r002.json");
    char *paths[] = {tmp_dir()}, *p = NULL, *bad = own("bad"), *badf;
    size_t runs, gone;

    history(4, NULL);
    s = open_ok(db, 1);
    trend_file_init(&f);
    cr_assert_eq(store_begin(s, &e), 0);
    for (int i = 0; i < 4; i++) {
        char name[600];
        snprintf(name, sizeof name, "%s/r%03d.json", tmp_dir(), i);
        cr_assert_geq(store_add_file(s, name, &f, &e), 0, "%s", e.msg);
    }
    cr_assert_eq(store_name_baseline(s, "release", r2, &f, &e), 0, "%s", e.msg);
    cr_assert_eq(store_commit(s, &e), 0);
    store_close(s);
    unlink(r1);
    cr_assert_eq(store_rebuild(db, NULL, 0, &runs, &gone, &e), 0, "%s", e.msg);
    cr_expect_eq(runs, 3);
    cr_expect_eq(gone, 1);
    s = open_ok(db, 0);
    cr_assert_eq(store_info(s, &in, &e), 0);
    cr_expect_eq(in.runs, 3);
    cr_expect_eq(in.points, 9);
    cr_expect_eq(in.benchmarks, 3);
    cr_expect_eq(in.baselines, 1);
    cr_expect_eq(in.missing, 0);
    cr_assert_eq(store_baseline(s, "release", NULL, NULL, NULL, &p, &e), 0, "%s", e.msg);
    cr_expect(ends_with(p, "/r002.json"), "%s", p);
    free(p);
    store_close(s);
    /* a rebuild that meets a malformed file fails and leaves the store */
    cr_assert_eq(mkdir(bad, 0777), 0);
    badf = own("bad/x.json");
    write_file(badf, "{\"schema\": \"1.2\", \"benchmarks\": [");
    paths[0] = bad;
    e = (struct err){0};
    cr_expect_neq(store_rebuild(db, paths, 1, &runs, &gone, &e), 0);
    cr_expect(strstr(e.msg, "x.json"), "%s", e.msg);
    s = open_ok(db, 0);
    cr_assert_eq(store_info(s, &in, &e), 0);
    cr_expect_eq(in.runs, 3, "untouched");
    store_close(s);
    cr_expect(!exists(tmp_path("pacer.db.new")), "no half-made store left");
    trend_file_free(&f);
    free(db);
    free(r1);
    free(r2);
    free(bad);
    free(badf);
}

static void refused(const char *path, const char *want)
{
    struct store *s = NULL;
    struct err e = {0};

    cr_expect_neq(store_open(&s, path, 1, &e), 0, "%s opened", want);
    cr_expect_null(s);
    cr_expect(strstr(e.msg, want), "want '%s' in: %s", want, e.msg);
    cr_expect(strstr(e.msg, path), "the path in: %s", e.msg);
}

static void sql(const char *path, const char *text)
{
    sqlite3 *db;

    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, text, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

Test(store, refuses_what_is_not_its_own)
{
    char *junk = own("junk.db"), *other = own("other.db"), *newer = own("newer.db");
    char *db = own("pacer.db"), *cut = own("cut.db"), *none = own("none.db");
    struct store *s;
    struct err e = {0};
    size_t len = 0;
    char *text;

    write_file(junk, "this is not a database, but text long enough to look like a header....\n");
    refused(junk, "not a pacer store (not a SQLite database)");
    sql(other, "CREATE TABLE t(x);");
    refused(other, "not a pacer store");
    history(40, NULL);
    s = open_ok(newer, 1);
    store_close(s);
    sql(newer, "PRAGMA user_version=99;");
    refused(newer, "store schema 99 is newer than this pacer's 1");
    cr_expect_neq(store_open(&s, none, 0, &e), 0);
    cr_expect(strstr(e.msg, "no store here"), "%s", e.msg);
    cr_expect(!exists(none), "nothing made when not asked");
    /* a store cut short: refused when opened or when read, never read as
     * a shorter history */
    s = open_ok(db, 1);
    store_close(s);
    {
        char *paths[] = {tmp_dir()};
        struct trend_opts o;
        struct trend t;

        trend_opts_default(&o);
        o.store = open_ok(db, 0);
        cr_assert_eq(trend_build(paths, 1, &o, &t, &e), 0, "%s", e.msg);
        trend_free(&t);
        store_close(o.store);
        text = slurp(db, &len);
        cr_assert_gt(len, 8192);
        FILE *f = fopen(cut, "wb");
        cr_assert_not_null(f);
        fwrite(text, 1, len / 2, f);
        fclose(f);
        free(text);
        e = (struct err){0};
        if (store_open(&s, cut, 0, &e) == 0) {
            o.store = s;
            cr_expect_neq(trend_build(paths, 1, &o, &t, &e), 0, "a cut store read");
            cr_expect(strstr(e.msg, "cut.db"), "%s", e.msg);
            trend_free(&t);
            store_close(s);
        } else
            cr_expect(strstr(e.msg, "cut.db"), "%s", e.msg);
    }
    free(junk);
    free(other);
    free(newer);
    free(db);
    free(cut);
    free(none);
}
