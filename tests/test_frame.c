/*
 * test_frame.c: raw TCP framing and escapes (harness/load/frame.c).
 * Delimited streams are framed whole, cut at every byte, byte by byte and
 * at seeded random cuts, against a naive search for the delimiter.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rng.h"
#include "harness/load/frame.h"
#include "helpers.h"

Test(frame, parse)
{
    struct framer f;
    struct err e = {0};

    cr_assert_eq(framer_parse("length:10", &f, &e), 0, "%s", e.msg);
    cr_assert_eq(f.kind, FRAME_LENGTH);
    cr_assert_eq(f.length, 10);

    cr_assert_eq(framer_parse("delim:\\r\\n", &f, &e), 0, "%s", e.msg);
    cr_assert_eq(f.kind, FRAME_DELIM);
    cr_assert_eq(f.dlen, 2);
    cr_assert_eq(memcmp(f.delim, "\r\n", 2), 0);

    cr_assert_eq(framer_parse("delim:\\x00END\\t", &f, &e), 0, "%s", e.msg);
    cr_assert_eq(f.dlen, 5);
    cr_assert_eq(memcmp(f.delim, "\0END\t", 5), 0);

    cr_assert_eq(framer_parse("delim:0123456789abcdef", &f, &e), 0, "%s", e.msg);
    cr_assert_eq(f.dlen, 16);
}

static void framer_fails(const char *spec, const char *msg)
{
    struct framer f;
    struct err e = {0};

    cr_assert_eq(framer_parse(spec, &f, &e), -1, "%s should fail", spec);
    cr_assert_str_eq(e.msg, msg);
}

Test(frame, parse_errors)
{
    framer_fails("length:", "framing 'length:': missing length");
    framer_fails("length:abc", "framing 'length:abc': bad length 'abc'");
    framer_fails("length:-1", "framing 'length:-1': bad length '-1'");
    framer_fails("length:99999999999999999999",
                 "framing 'length:99999999999999999999': bad length '99999999999999999999'");
    framer_fails("length:0", "framing 'length:0': length must be above 0");
    framer_fails("delim:", "framing 'delim:': the delimiter must be 1 to 16 bytes");
    framer_fails("delim:0123456789abcdefg",
                 "framing 'delim:0123456789abcdefg': the delimiter must be 1 to 16 bytes");
    framer_fails("delim:\\q",
                 "framing 'delim:\\q': bad escape '\\q' (\\r \\n \\t \\\\ \\0 \\xHH)");
    framer_fails("delim:\\x4", "framing 'delim:\\x4': bad escape '\\x4' (\\xHH)");
    framer_fails("delim:\\xg0", "framing 'delim:\\xg0': bad escape '\\xg0' (\\xHH)");
    framer_fails("delim:a\\", "framing 'delim:a\\': trailing backslash");
    framer_fails("lines", "framing 'lines': expected length:N or delim:TEXT");
    framer_fails("Length:4", "framing 'Length:4': expected length:N or delim:TEXT");
}

Test(frame, unescape)
{
    struct err e = {0};
    size_t n;
    char *b = unescape_bytes("a\\r\\n\\t\\\\\\0\\x41\\xfF.", &n, &e);

    cr_assert_not_null(b, "%s", e.msg);
    cr_assert_eq(n, 9);
    cr_assert_eq(memcmp(b, "a\r\n\t\\\0A\xff.", 9), 0);
    free(b);
    b = unescape_bytes("", &n, &e);
    cr_assert_not_null(b);
    cr_assert_eq(n, 0);
    free(b);
}

Test(frame, length)
{
    struct framer f;
    struct err e = {0};
    size_t used;

    cr_assert_eq(framer_parse("length:4", &f, &e), 0);
    cr_assert_eq(framer_feed(&f, "abcdefghij", 10, &used), PARSE_DONE);
    cr_assert_eq(used, 4);
    cr_assert_eq(framer_feed(&f, "efghij", 6, &used), PARSE_DONE);
    cr_assert_eq(used, 4);
    cr_assert_eq(framer_feed(&f, "ij", 2, &used), PARSE_MORE);
    cr_assert_eq(used, 2);
    cr_assert_eq(framer_feed(&f, "k", 1, &used), PARSE_MORE);
    cr_assert_eq(framer_feed(&f, "lmn", 3, &used), PARSE_DONE);
    cr_assert_eq(used, 1);
    cr_assert_eq(f.seen, 4);
    framer_reset(&f);
    cr_assert_eq(framer_feed(&f, "", 0, &used), PARSE_MORE);
    cr_assert_eq(used, 0);
    cr_assert_eq(framer_feed(&f, "wxyz", 4, &used), PARSE_DONE);
}

/* Feed stream in pieces ending at cuts; return the sizes of the framed
 * responses (the tail without a delimiter is left out). */
static size_t frame_cuts(struct framer *f, const char *data, size_t len, const size_t *cuts,
                         size_t ncuts, size_t *sizes, size_t maxsizes)
{
    size_t off = 0, i, k = 0, start = 0;

    framer_reset(f);
    for (i = 0; i <= ncuts; i++) {
        size_t stop = i < ncuts ? cuts[i] : len, n = stop - off, at = 0;
        char *piece = malloc(n ? n : 1);

        memcpy(piece, data + off, n);
        while (at < n) {
            size_t used;
            enum parse_status st = framer_feed(f, piece + at, n - at, &used);

            cr_assert_neq(st, PARSE_ERROR);
            at += used;
            if (st == PARSE_DONE) {
                cr_assert_lt(k, maxsizes);
                sizes[k++] = off + at - start;
                start = off + at;
                framer_reset(f);
            } else
                cr_assert_eq(at, n);
        }
        free(piece);
        off = stop;
    }
    return k;
}

/* The reference: the first occurrence of the delimiter, again and again. */
static size_t frame_naive(const char *d, size_t dl, const char *data, size_t len, size_t *sizes)
{
    size_t k = 0, off = 0;

    for (;;) {
        const char *hit = memmem(data + off, len - off, d, dl);
        if (!hit)
            return k;
        sizes[k++] = (size_t)(hit - data) + dl - off;
        off = (size_t)(hit - data) + dl;
    }
}

static void check_delim(const char *spec, const char *data, size_t len, const size_t *want,
                        size_t nwant)
{
    struct framer f;
    struct err e = {0};
    size_t sizes[64], n, i, cut, all[256];

    cr_assert_eq(framer_parse(spec, &f, &e), 0, "%s", e.msg);
    n = frame_cuts(&f, data, len, NULL, 0, sizes, 64);
    cr_assert_eq(n, nwant, "%s: %zu responses, expected %zu", spec, n, nwant);
    for (i = 0; i < n; i++)
        cr_assert_eq(sizes[i], want[i], "%s: response %zu", spec, i);
    for (cut = 1; cut < len; cut++) {
        n = frame_cuts(&f, data, len, &cut, 1, sizes, 64);
        cr_assert_eq(n, nwant, "%s: cut at %zu", spec, cut);
        for (i = 0; i < n; i++)
            cr_assert_eq(sizes[i], want[i], "%s: cut at %zu, response %zu", spec, cut, i);
    }
    for (i = 1; i < len; i++)
        all[i - 1] = i;
    n = frame_cuts(&f, data, len, all, len - 1, sizes, 64);
    cr_assert_eq(n, nwant, "%s: byte by byte", spec);
    for (i = 0; i < n; i++)
        cr_assert_eq(sizes[i], want[i], "%s: byte by byte, response %zu", spec, i);
}

Test(frame, delimiter)
{
    check_delim("delim:\\r\\n\\r\\n", "\r\n\r\r\n\r\n", 7, (size_t[]){7}, 1);
    check_delim("delim:\\r\\n\\r\\n", "a\r\n\r\n\r\n\r\nb\r\r\n\r\n\r\n", 17,
                (size_t[]){5, 4, 6}, 3);
    check_delim("delim:aab", "aaab", 4, (size_t[]){4}, 1);
    check_delim("delim:abab", "abaabababab", 11, (size_t[]){7, 4}, 2);
    check_delim("delim:\\n", "one\ntwo\n\nrest", 13, (size_t[]){4, 4, 1}, 3);
    check_delim("delim:\\0", "a\0b\0", 4, (size_t[]){2, 2}, 2);
    check_delim("delim:END", "no delimiter here", 17, NULL, 0);
}

/* Random streams over {a, b} and random delimiters against memmem. */
Test(frame, delimiter_random)
{
    struct rng r;
    int iter;

    rng_seed(&r, SEED);
    for (iter = 0; iter < 2000; iter++) {
        char spec[32] = "delim:", data[200];
        size_t dl = 1 + (size_t)rng_below(&r, 6), len = (size_t)rng_below(&r, 200), i, n, nn;
        size_t want[200], got[200], cuts[8], ncuts;
        struct framer f;
        struct err e = {0};

        for (i = 0; i < dl; i++)
            spec[6 + i] = (char)('a' + rng_below(&r, 2));
        spec[6 + dl] = '\0';
        for (i = 0; i < len; i++)
            data[i] = (char)('a' + rng_below(&r, 2));
        cr_assert_eq(framer_parse(spec, &f, &e), 0);
        nn = frame_naive(spec + 6, dl, data, len, want);
        ncuts = random_cuts(&r, len, cuts, 8);
        n = frame_cuts(&f, data, len, cuts, ncuts, got, 200);
        cr_assert_eq(n, nn, "%s", spec);
        for (i = 0; i < n; i++)
            cr_assert_eq(got[i], want[i], "%s: response %zu", spec, i);
    }
}
