/*
 * test_jsonparse.c: harness/result/jsonparse.c against jansson itself, the
 * independent reference: whatever jp_loadb accepts, json_loadb (with the
 * flags of jr_load) accepts too and builds the same tree, dumped byte for
 * byte alike (key order, integer or real, every digit); whatever jansson
 * refuses, jp_loadb refuses.  The same for jp_loadb_with(JP_NO_BENCH_STATS),
 * whose tree is jansson's less each benchmark's stats after its samples.  Over every JSON file under tests/data and a
 * table of texts at the edges of the grammar.  Run from the repository
 * root, as make check does.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/result/jsonparse.h"
#include "harness/result/jsonread.h"
#include "helpers.h"

#define DUMP_FLAGS (JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(17))

/* jansson's tree of text as JP_NO_BENCH_STATS leaves it: each element of
 * the root's "benchmarks" without the "stats" that follows its "samples"
 * (jansson keeps members in file order). */
static void drop_bench_stats(json_t *root)
{
    json_t *ba = json_is_object(root) ? json_object_get(root, "benchmarks") : NULL, *b;
    size_t i;

    json_array_foreach(ba, i, b) {
        const char *key;
        json_t *v;
        int samples = 0;

        json_object_foreach(b, key, v) {
            if (!strcmp(key, "samples"))
                samples = 1;
            if (!strcmp(key, "stats")) {
                if (samples)
                    json_object_del(b, "stats");
                break;
            }
        }
    }
}

/* Checks text against jansson, read by jp_loadb_with(flags): whatever it
 * takes, jansson takes and builds the same tree (but for what flags leave
 * out); whatever jansson refuses, it refuses.  Returns 1 when it took
 * text. */
static int agrees_with(const char *text, size_t len, int flags, const char *what)
{
    json_error_t je;
    json_t *want = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    json_t *got = jp_loadb_with(text, len, flags);
    int took = got != NULL;

    if (!want) {
        cr_assert_null(got, "%s: jansson refuses (%s), jp_loadb took it", what, je.text);
        return 0;
    }
    if (got) {
        char *a, *b;

        if (flags & JP_NO_BENCH_STATS)
            drop_bench_stats(want);
        a = json_dumps(want, DUMP_FLAGS);
        b = json_dumps(got, DUMP_FLAGS);
        cr_assert(a && b);
        cr_assert_str_eq(b, a, "%s", what);
        free(a);
        free(b);
        json_decref(got);
    }
    json_decref(want);
    return took;
}

/* The whole tree, as jp_loadb reads it. */
static int agrees(const char *text, size_t len, const char *what)
{
    return agrees_with(text, len, 0, what);
}

/* Every *.json under dir, recursively; *took counts those jp_loadb took. */
static size_t walk(const char *dir, size_t *took)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0;

    cr_assert_not_null(d, "%s (run from the repository root)", dir);
    while ((de = readdir(d))) {
        char path[1024];
        struct stat st;

        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += walk(path, took);
        } else if (ends_with(de->d_name, ".json")) {
            struct err e = {0};
            char *buf;
            size_t len;

            cr_assert_eq(jr_read_file(path, &buf, &len, &e), 0, "%s", e.msg);
            *took += (size_t)agrees(buf, len, path);
            agrees_with(buf, len, JP_NO_BENCH_STATS, path);
            free(buf);
            n++;
        }
    }
    closedir(d);
    return n;
}

Test(jsonparse, every_data_file_as_jansson)
{
    size_t took = 0, n = walk("tests/data", &took);

    cr_assert_gt(n, 50, "%zu files", n);
    cr_assert_gt(took, n / 2, "the fast path took only %zu of %zu files", took, n);
}

Test(jsonparse, edges_of_the_grammar)
{
    static const char *const texts[] = {
        "1", "-0", "0", "01", "-01", "1.", ".5", "-", "+1", "1e5", "1E+5", "1e-5", "1e",
        "1e+", "0.1e1", "-0.0", "12345678901234567890", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "1e400",
        "-1e400", "1e-400", "4.9406564584124654e-324", "1.7976931348623157e308",
        "0.10000000000000000555", "123456789012345678901234567890123456789012345678901234567890.5",
        "\"\"", "\"a\"", "\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"", "\"\\u0041\"",
        "\"\\u0000\"", "\"\\ud83d\\ude00\"", "\"\\udc00\"", "\"\xc3\xa9\"", "\"\xc3\"",
        "\"\xed\xa0\x80\"", "\"a\x01\"", "\"a\\qb\"", "\"abc", "true", "false", "null",
        "truex", "true1", "nul", "True", "[]", "{}", "[ ]", "{ }", "[1,2,3]", "[1,]", "[,1]",
        "[1 2]", "[1", "{\"a\":1}", "{\"b\":1,\"a\":2}", "{\"a\":1,\"a\":2}", "{\"a\":1,}",
        "{\"a\" 1}", "{\"a\":}", "{1:2}", "{\"a\":1", " \t\r\n[1]\n ", "[1]x", "[1] [2]",
        "\xef\xbb\xbf[1]", "{\"k\":[{\"x\":null,\"y\":[true,false]},-1.5e-3]}",
        "[\"\xe2\x82\xac\",1]", "{\"a\\u0062\":1}", "{\"a\":1,\"b\":{\"a\":2}}",
    };
    char deep[5000];
    size_t i;

    for (i = 0; i < COUNT(texts); i++)
        agrees(texts[i], strlen(texts[i]), texts[i]);
    agrees("[1,\0 2]", 6, "a NUL byte");
    agrees("\"a\0b\"", 5, "a NUL byte in a string");
    /* jansson's depth limit is 2048 */
    for (size_t depth = 2047; depth <= 2049; depth++) {
        for (i = 0; i < depth; i++) {
            deep[i] = '[';
            deep[depth + i] = ']';
        }
        agrees(deep, 2 * depth, "nesting");
    }
}

/* What a result file holds in bulk goes the fast way. */
Test(jsonparse, takes_the_usual)
{
    static const char *const texts[] = {
        "{\"samples\":[1.5,2,3e-7,1234567.0625],\"name\":\"a/b:c=1\",\"n\":3}",
        "{\"benchmarks\":[{\"name\":\"BM_x/64\",\"real_time\":1.4334793794937370e+00}]}",
        "[null,true,false,-0.0,\"x\\ny\"]",
    };

    for (size_t i = 0; i < COUNT(texts); i++)
        cr_assert_eq(agrees(texts[i], strlen(texts[i]), texts[i]), 1, "%s", texts[i]);
}

/* A pacer result's stored statistics left out of its tree: only a
 * benchmark's, only after its samples, only where the text is sure (keys
 * in ascending order: none can repeat); the rest as jansson reads it. */
Test(jsonparse, leaves_out_the_benchmarks_stats)
{
    static const struct {
        const char *text;
        int took;
    } cases[] = {
        {"{\"benchmarks\":[{\"name\":\"a\",\"samples\":[1,2],\"stats\":{\"ci\":{\"level\":"
         "0.95,\"median\":[1,2]},\"n\":2,\"p5\":1e-3}},{\"samples\":[],\"stats\":null}],"
         "\"z\":1}", 1},
        /* before its samples, in another object, in an element that is no
         * object, deeper: kept */
        {"{\"benchmarks\":[{\"stats\":{\"n\":1},\"samples\":[1]}]}", 1},
        {"{\"x\":{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":1}}]}}", 1},
        {"{\"benchmarks\":[[{\"samples\":[1],\"stats\":{\"n\":1}}], 2]}", 1},
        {"{\"benchmarks\":[{\"m\":{\"samples\":[1],\"stats\":{\"n\":1}}}]}", 1},
        /* keys out of order in what is left out: given up (jansson takes it) */
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":1,\"mad\":0}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"a\":{\"y\":1,\"x\":2}}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"u\\u0041\":1}}]}", 0},
        /* what jansson refuses, refused */
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":1,\"n\":2}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{},\"stats\":{}}]}", 0},
        {"{\"benchmarks\":[{\"stats\":{},\"samples\":[1],\"stats\":{}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":1e400}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":99999999999999999999}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":01}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":[1,]}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":tru}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":\"a\x01\"}}]}", 0},
        {"{\"benchmarks\":[{\"samples\":[1],\"stats\":{\"n\":1}", 0},
    };

    for (size_t i = 0; i < COUNT(cases); i++)
        cr_expect_eq(agrees_with(cases[i].text, strlen(cases[i].text), JP_NO_BENCH_STATS,
                                 cases[i].text),
                     cases[i].took, "%s", cases[i].text);
}

/* The bits of the real jp_loadb reads from text, against strtod's. */
static void same_real(const char *text)
{
    json_t *got = jp_loadb(text, strlen(text));
    double want = strtod(text, NULL), v;

    cr_assert(json_is_real(got), "%s", text);
    v = json_real_value(got);
    cr_assert(memcmp(&v, &want, sizeof v) == 0, "%s: %.17g, strtod %.17g", text, v, want);
    json_decref(got);
}

/* Reals are read without strtod where that is exact: every one must be
 * strtod's bit for bit.  Random doubles written with 17 digits (as result
 * files hold them) and with fewer, random decimal texts of up to 20
 * digits, and texts at the edges: halfway cases, 2^53 + 1, powers of ten
 * at the ends of the exact range, the smallest and largest doubles. */
Test(jsonparse, reals_as_strtod_reads_them)
{
    static const char *const edges[] = {
        "9007199254740993.0", "9007199254740992.5", "1e22", "1e23", "1e-22", "1e-23", "1e27",
        "1e-27", "1e28", "0.1", "0.30000000000000004", "2.2250738585072014e-308",
        "4.9406564584124654e-324", "1.7976931348623157e308", "123456789012345678.9",
        "1234567890123456789e-10", "12345678901234567890e-10", "0.000000000000000000001",
        "-0.0", "0.0", "-1.5e-5", "18446744073709551615.0", "9.999999999999999e22",
        "1.00000000000000011102230246251565404236316680908203125", "5e-324", "1e-400",
        "0.5000000000000000277555756156289135105907917022705078125", "3.0e0",
        "7.2057594037927933e16", "7.2057594037927935e16", "4.35679845e-9",
    };
    char buf[64];
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    size_t i;

    for (i = 0; i < sizeof edges / sizeof *edges; i++)
        same_real(edges[i]);
    for (i = 0; i < 300000; i++) {
        double d;
        uint64_t bits;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bits = x;
        memcpy(&d, &bits, sizeof d);
        if (!isfinite(d))
            continue;
        snprintf(buf, sizeof buf, "%.*e", (int)(x % 17) + 1, d);
        same_real(buf);
        snprintf(buf, sizeof buf, "%.17g", d);
        if (!strchr(buf, '.') && !strchr(buf, 'e'))
            strcat(buf, ".0");
        same_real(buf);
        /* timings: 1 ns .. 100 s, in ns, with 17 digits */
        snprintf(buf, sizeof buf, "%.17g", (double)(x >> 11) / (double)(1ULL << 53) *
                                           pow(10, (double)(x % 11)));
        if (!strchr(buf, '.') && !strchr(buf, 'e'))
            strcat(buf, ".0");
        same_real(buf);
        /* decimal texts of up to 20 digits around the point */
        snprintf(buf, sizeof buf, "%llu.%llue%d", (unsigned long long)(x % 100000000000ULL),
                 (unsigned long long)((x >> 20) % 1000000000ULL), (int)(x % 61) - 30);
        same_real(buf);
    }
}
