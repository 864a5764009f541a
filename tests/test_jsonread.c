/*
 * test_jsonread.c: the typed JSON getters (harness/result/jsonread.c):
 * what each reads, what absent and null give with each flag, and the one
 * line each error is worded in ("name: path: cause").
 */
#include <criterion/criterion.h>

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/result/jsonread.h"

static json_t *doc;
static struct err e;
static struct jr rd = {"f.json", &e};

static void setup(void)
{
    json_error_t je;

    doc = json_loads("{\"s\": \"text\", \"empty\": \"\", \"i\": -3, \"big\": 5000000000, "
                     "\"r\": 2.5, \"t\": true, \"n\": null, \"o\": {}, \"a\": [1]}",
                     0, &je);
    cr_assert_not_null(doc, "%s", je.text);
    memset(&e, 0, sizeof e);
}

static void teardown(void)
{
    json_decref(doc);
}

TestSuite(jsonread, .init = setup, .fini = teardown);

static void expect_error(const char *want)
{
    cr_expect_str_eq(e.msg, want);
    memset(&e, 0, sizeof e);
}

Test(jsonread, strings_borrowed_and_copied)
{
    const char *s = NULL;
    char *c = NULL;

    cr_expect_eq(jr_get_cstr(&rd, doc, "x", "s", JR_REQ, &s), 0);
    cr_expect_str_eq(s, "text");
    cr_expect_eq(s, json_string_value(json_object_get(doc, "s")));   /* borrowed */
    cr_expect_eq(jr_get_str(&rd, doc, "x", "s", JR_REQ, &c), 0);
    cr_expect_str_eq(c, "text");
    cr_expect_neq(c, s);                                              /* a copy */
    free(c);

    s = "kept";
    cr_expect_eq(jr_get_cstr(&rd, doc, "x", "absent", 0, &s), 0);
    cr_expect_str_eq(s, "kept");                                      /* left alone */
    cr_expect_eq(jr_get_cstr(&rd, doc, "x", "n", JR_NUL, &s), 0);
    cr_expect_str_eq(s, "kept");

    cr_expect_eq(jr_get_cstr(&rd, doc, "x", "absent", JR_REQ, &s), -1);
    expect_error("f.json: x.absent: missing");
    cr_expect_eq(jr_get_cstr(&rd, doc, "", "n", 0, &s), -1);
    expect_error("f.json: n: expected string, got null");
    cr_expect_eq(jr_get_cstr(&rd, doc, "", "i", JR_NUL, &s), -1);
    expect_error("f.json: i: expected string or null, got integer");
    cr_expect_eq(jr_get_str(&rd, doc, "", "empty", JR_NONEMPTY, &c), -1);
    expect_error("f.json: empty: expected a non-empty string");
}

Test(jsonread, integers_in_range)
{
    long long v = 7;
    unsigned u = 0;
    uint64_t w = 0;

    cr_expect_eq(jr_get_int(&rd, doc, "", "i", 0, -5, 5, &v), 0);
    cr_expect_eq(v, -3);
    cr_expect_eq(jr_get_int(&rd, doc, "", "i", 0, 0, 5, &v), -1);
    expect_error("f.json: i: expected an integer from 0 to 5, got -3");
    cr_expect_eq(jr_get_u64(&rd, doc, "", "i", 0, 0, &w), -1);
    expect_error("f.json: i: expected an integer >= 0, got -3");
    cr_expect_eq(jr_get_u64(&rd, doc, "", "big", 0, 0, &w), 0);
    cr_expect_eq(w, 5000000000u);
    cr_expect_eq(jr_get_uint(&rd, doc, "", "big", 0, 0, &u), -1);
    expect_error("f.json: big: expected an integer from 0 to 4294967295, got 5000000000");
    cr_expect_eq(jr_get_int(&rd, doc, "", "r", 0, 0, 5, &v), -1);
    expect_error("f.json: r: expected integer, got number");
}

Test(jsonread, numbers_and_booleans)
{
    double d = 0;
    int b = 0;

    cr_expect_eq(jr_get_num(&rd, doc, "", "r", JR_NONNEG, &d), 0);
    cr_expect_eq(d, 2.5);
    cr_expect_eq(jr_get_num(&rd, doc, "", "i", 0, &d), 0);
    cr_expect_eq(d, -3);
    cr_expect_eq(jr_get_num(&rd, doc, "", "i", JR_NONNEG, &d), -1);
    expect_error("f.json: i: expected a number >= 0, got -3");
    cr_expect_eq(jr_get_num(&rd, doc, "", "n", JR_NUL, &d), 0);
    cr_expect(isnan(d));
    cr_expect_eq(jr_get_bool(&rd, doc, "", "t", 0, &b), 0);
    cr_expect_eq(b, 1);
    cr_expect_eq(jr_get_bool(&rd, doc, "", "n", JR_NUL, &b), 0);
    cr_expect_eq(b, -1);
    cr_expect_eq(jr_get_bool(&rd, doc, "", "s", 0, &b), -1);
    expect_error("f.json: s: expected boolean, got string");
}

Test(jsonread, objects_and_arrays)
{
    const json_t *v = doc;

    cr_expect_eq(jr_get_obj(&rd, doc, "", "o", JR_REQ, &v), 0);
    cr_expect(json_is_object(v));
    cr_expect_eq(jr_get_arr(&rd, doc, "", "a", JR_REQ, &v), 0);
    cr_expect(json_is_array(v));
    cr_expect_eq(jr_get_obj(&rd, doc, "", "absent", 0, &v), 0);
    cr_expect_null(v);
    cr_expect_eq(jr_get_arr(&rd, doc, "", "o", JR_NUL, &v), -1);
    expect_error("f.json: o: expected array or null, got object");
}

Test(jsonread, suggestions)
{
    static const char *const known[] = {"binary", "filter", "settings", NULL};

    cr_assert_str_eq(jr_suggest("bianry", known), "binary");
    cr_assert_str_eq(jr_suggest("filtre", known), "filter");
    cr_assert_null(jr_suggest("colour", known));
}

/* jr_join gives what jr_pathf("%s.%s") gives, cut alike when the path is
 * longer than JR_PATH_LEN. */
Test(jsonread, join_as_snprintf)
{
    static const size_t lens[] = { 0, 1, 5, JR_PATH_LEN - 3, JR_PATH_LEN - 2, JR_PATH_LEN - 1,
                                   JR_PATH_LEN, JR_PATH_LEN + 7 };
    char parent[JR_PATH_LEN + 8], key[JR_PATH_LEN + 8], got[JR_PATH_LEN], want[JR_PATH_LEN];

    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
        for (size_t j = 0; j < sizeof lens / sizeof *lens; j++) {
            memset(parent, 'p', lens[i]);
            parent[lens[i]] = '\0';
            memset(key, 'k', lens[j]);
            key[lens[j]] = '\0';
            if (lens[i])
                jr_pathf(want, "%s.%s", parent, key);
            else
                jr_pathf(want, "%s", key);
            cr_assert_str_eq(jr_join(got, parent, key), want, "parent %zu key %zu", lens[i],
                             lens[j]);
        }
}

/* Threads load at once, each into its own arena (a large document takes
 * blocks past 2 MiB, mapped), while this thread makes and frees jansson
 * values with malloc: each tree reads back whole. */
#define NDOC 20000

static void *load_big(void *arg)
{
    const char *path = arg;
    struct jr_arena a = {0};
    struct err le = {0};
    json_t *root = jr_load_arena(path, &a, &le), *v;
    size_t i, ok = 0;

    if (root && json_array_size(root) == NDOC)
        for (i = 0; i < NDOC; i++) {
            v = json_array_get(root, i);
            ok += json_integer_value(json_object_get(v, "i")) == (json_int_t)i &&
                  json_number_value(json_object_get(v, "x")) == (double)i / 4;
        }
    jr_arena_free(&a);
    return (void *)(uintptr_t)ok;
}

Test(jsonread, threads_load_into_their_own_arenas)
{
    char path[2][64];
    pthread_t t[2];
    int k, i;

    for (k = 0; k < 2; k++) {
        FILE *f;
        snprintf(path[k], sizeof path[k], "/tmp/pacer-jsonread-%d-%d.json", (int)getpid(), k);
        cr_assert_not_null(f = fopen(path[k], "w"));
        fputc('[', f);
        for (i = 0; i < NDOC; i++)
            fprintf(f, "%s{\"i\": %d, \"name\": \"bench/%d/with/a/long/name\", \"x\": %.17g}",
                    i ? ",\n" : "", i, i, (double)i / 4);
        fputs("]\n", f);
        fclose(f);
    }
    for (k = 0; k < 2; k++)
        cr_assert_eq(pthread_create(&t[k], NULL, load_big, path[k]), 0);
    for (i = 0; i < 20000; i++) {
        json_t *o = json_pack("{s:i, s:s}", "i", i, "s", "made meanwhile");
        cr_assert_not_null(o);
        json_decref(o);
    }
    for (k = 0; k < 2; k++) {
        void *ok;
        pthread_join(t[k], &ok);
        cr_expect_eq((size_t)(uintptr_t)ok, NDOC, "thread %d read %zu of %d", k,
                     (size_t)(uintptr_t)ok, NDOC);
        unlink(path[k]);
    }
}
