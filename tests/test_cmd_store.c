/*
 * test_cmd_store.c: `pacer store` as a user runs it (harness/cli/cmd_store.c),
 * and the store where the other commands use it: pacer trend DIR reading
 * DIR/pacer.db, pacer run --save DIR adding to it, pacer compare
 * --baseline NAME|latest; exit code 2 for a store that is not one.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(cmd_store, .init = tmp_setup, .fini = tmp_teardown, .timeout = 120);

static double level(size_t i)
{
    return tf_wobble(i < 10 ? 100 : 112, i);
}

/* n hourly runs h/r000.json.. of "a" stepping up 12 % at run 10. */
static char *history(size_t n)
{
    char *dir = xstrdup(tmp_path("h"));

    sh("mkdir -p '%s'", dir);
    for (size_t i = 0; i < n; i++) {
        char name[600], time[32], commit[48];
        struct tf_bench b[] = {{"a", level(i), NULL, DIR_LOWER, 0}};

        snprintf(name, sizeof name, "%s/r%03zu.json", dir, i);
        snprintf(time, sizeof time, "2026-01-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
        snprintf(commit, sizeof commit, "c%03zu0000000000000000000000000000000000000", i);
        tf_write(name, time, commit, NULL, b, 1);
    }
    return dir;
}

Test(cmd_store, add_trend_and_baselines)
{
    char *dir = history(20), db[600], r5[600], r19[600];
    struct out o, plain;

    snprintf(db, sizeof db, "%s/pacer.db", dir);
    snprintf(r5, sizeof r5, "%s/r005.json", dir);
    snprintf(r19, sizeof r19, "%s/r019.json", dir);
    plain = run_pacer("trend", dir);
    cr_assert_eq(plain.code, 0, "%s", plain.stderr_s);

    o = run_pacer("store", "add", "--store", db, dir);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stdout_s, "added 20 runs (0 already in, unchanged)\n"), "%s", o.stdout_s);
    cr_expect(strstr(o.stdout_s, ": 20 runs, 1 benchmarks, 20 points, "), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("store", "add", "--store", db, dir);
    cr_expect(strstr(o.stdout_s, "added 0 runs (20 already in, unchanged)\n"), "%s", o.stdout_s);
    out_free(&o);

    /* trend DIR reads DIR/pacer.db without being asked: the same table */
    o = run_pacer("trend", dir);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_str_eq(o.stdout_s, plain.stdout_s);
    cr_expect(strstr(o.stderr_s, "pacer: trend: 20 runs from "), "%s", o.stderr_s);
    cr_expect(strstr(o.stderr_s, "0 read from their files and added"), "%s", o.stderr_s);
    out_free(&o);

    /* pacer run --save DIR adds its result to DIR's store */
    o = run_pacer("run", "--cmd", "true", "--samples", "3", "--warmup-runs", "0", "--save", dir);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("store", "show", "--store", db);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stdout_s, ": 21 runs, 2 benchmarks, 21 points, "), "%s", o.stdout_s);
    out_free(&o);

    /* named baselines and latest */
    o = run_pacer("store", "baseline", "--store", db, "v1", r5);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("store", "show", "--store", db);
    cr_expect(strstr(o.stdout_s, "1 baselines\n  baseline v1: r005.json\n"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("compare", "--baseline", "v1", r19);
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stdout_s, "a          100 ns  112 ns  +12.0%"), "r005 against r019: %s",
              o.stdout_s);
    cr_expect(strstr(o.stderr_s, "pacer: compare: baseline v1: "), "%s", o.stderr_s);
    cr_expect(strstr(o.stderr_s, "/r005.json"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("compare", "--baseline", "latest", r19);
    cr_expect(strstr(o.stderr_s, "baseline latest: "), "%s", o.stderr_s);
    cr_expect(strstr(o.stderr_s, "/r018.json"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("compare", "--baseline", "v9", r19);
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "no baseline v9 in "), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("compare", "--baseline", "v1", r5, r19);
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "give the one result to compare with it"), "%s", o.stderr_s);
    out_free(&o);

    /* rebuild: the same runs again, the baseline kept */
    o = run_pacer("store", "rebuild", "--store", db);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stdout_s, "made again: 21 runs"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("store", "show", "--store", db);
    cr_expect(strstr(o.stdout_s, "baseline v1: r005.json"), "%s", o.stdout_s);
    out_free(&o);
    out_free(&plain);
    free(dir);
}

Test(cmd_store, stores_that_are_not_refused)
{
    char *dir = history(3), db[600], junk[600];
    struct out o;
    sqlite3 *h;

    snprintf(db, sizeof db, "%s/pacer.db", dir);
    snprintf(junk, sizeof junk, "%s/junk.db", dir);
    write_file(junk, "not a database at all, only some text long enough for a header.....\n");
    o = run_pacer("store", "show", "--store", junk);
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "junk.db: not a pacer store (not a SQLite database)"), "%s",
              o.stderr_s);
    out_free(&o);
    o = run_pacer("trend", "--store", junk, dir);
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "not a pacer store (not a SQLite database)"), "%s", o.stderr_s);
    cr_expect_str_eq(o.stdout_s, "");
    out_free(&o);
    /* rebuild never puts a store in place of a file that is not one */
    o = run_pacer("store", "rebuild", "--store", junk, dir);
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "junk.db: not a pacer store"), "%s", o.stderr_s);
    out_free(&o);
    {
        char *text = slurp(junk, NULL);
        cr_expect(text && !strncmp(text, "not a database at all", 21), "junk.db replaced");
        free(text);
    }

    o = run_pacer("store", "add", "--store", db, dir);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(h, "PRAGMA user_version=7", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    o = run_pacer("trend", dir);
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "pacer.db: store schema 7 is newer than this pacer's 1"), "%s",
              o.stderr_s);
    out_free(&o);
    /* pacer run --save still saves its file, and says the store did not take it */
    o = run_pacer("run", "--cmd", "true", "--samples", "3", "--warmup-runs", "0", "--save", dir);
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stderr_s, "the result is saved but not in the store: "), "%s", o.stderr_s);
    out_free(&o);
    /* rebuild makes a store it cannot read again from the files named */
    o = run_pacer("store", "rebuild", "--store", db, dir);
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stdout_s, "made again: 4 runs"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("store", "frob");
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "'frob' is not add, baseline, show or rebuild"), "%s",
              o.stderr_s);
    out_free(&o);
    o = run_pacer("store", "show", "--store", "/nonexistent/pacer.db");
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "no store here"), "%s", o.stderr_s);
    out_free(&o);
    free(dir);
}

/* Two processes adding to one store at once: both land (WAL, and the
 * second waits its turn on the busy timeout). */
Test(cmd_store, two_adders_at_once)
{
    char *a = history(40), b[600], db[600], bin[600], line[256];
    struct out o;

    snprintf(b, sizeof b, "%s/b", tmp_dir());
    snprintf(db, sizeof db, "%s/both.db", tmp_dir());
    build_path(bin, sizeof bin, "pacer");
    sh("mkdir -p '%s' && for f in '%s'/*.json; do cp \"$f\" '%s'/b_$(basename \"$f\"); done", b,
       a, b);
    /* the store is made by one of them, the other waits for it */
    sh_line(line, sizeof line,
            "'%s' store add --store '%s' '%s' >/dev/null & pa=$!; '%s' store add --store '%s' "
            "'%s' >/dev/null & pb=$!; wait $pa && wait $pb && echo both",
            bin, db, a, bin, db, b);
    cr_expect_str_eq(line, "both");
    o = run_pacer("store", "show", "--store", db);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stdout_s, ": 80 runs, "), "%s", o.stdout_s);
    out_free(&o);
    free(a);
}

/* pacer run --save DIR --save-baseline NAME: the run saved, DIR's store made
 * and the run named there, found again by compare --baseline NAME. */
Test(cmd_store, run_saves_a_named_baseline)
{
    char dir[600], db[700], *name;
    struct out o;

    snprintf(dir, sizeof dir, "%s/res", tmp_dir());
    snprintf(db, sizeof db, "%s/pacer.db", dir);
    o = run_pacer("run", "--cmd", "true", "--samples", "3", "--warmup-runs", "0", "--save", dir,
                  "--save-baseline", "before");
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stderr_s, "pacer: baseline before: "), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("store", "show", "--store", db);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(strstr(o.stdout_s, ": 1 runs, 1 benchmarks, 1 points, "), "%s", o.stdout_s);
    cr_expect(strstr(o.stdout_s, "  baseline before: 2"), "%s", o.stdout_s);
    name = strstr(o.stdout_s, "  baseline before: ");
    cr_assert_not_null(name);
    out_free(&o);
    sleep_ms(20);
    o = run_pacer("run", "--cmd", "true", "--samples", "3", "--warmup-runs", "0", "--save", dir);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    {
        char newest[700];
        sh_line(newest, sizeof newest, "ls '%s'/*.json | tail -1", dir);
        o = run_pacer("compare", "--baseline", "before", newest);
        cr_expect_eq(o.code, 0, "%s", o.stderr_s);
        cr_expect(strstr(o.stdout_s, "command/true"), "%s", o.stdout_s);
        out_free(&o);
    }
    o = run_pacer("run", "--cmd", "true", "--save-baseline", "x");
    cr_expect_eq(o.code, 2);
    cr_expect(strstr(o.stderr_s, "give --save too"), "%s", o.stderr_s);
    out_free(&o);
}
