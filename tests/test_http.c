/*
 * test_http.c: the HTTP/1.1 response parser (harness/load/http.c).
 * Every response is parsed whole, cut at every byte, byte by byte and at
 * seeded random cuts, each piece copied into a buffer of its exact size (so
 * ASan sees any read past it, and any use of a piece after it was fed), and
 * must give the same result every way.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rng.h"
#include "harness/load/http.h"
#include "helpers.h"

/* ---- driving the parser ---------------------------------------------- */

struct outcome {
    int rc;
    int status;
    uint64_t body;
    int close;
    size_t used;
    const char *error;
};

/* Parse data fed in pieces ending at cuts[0..ncuts) (increasing, inside
 * the data) and then at the end; eof: the server closes after the data. */
static struct outcome parse_cuts(const char *data, size_t len, const size_t *cuts,
                                 size_t ncuts, int head, uint32_t max, int eof)
{
    struct http_parser p;
    struct outcome o = {PARSE_MORE, 0, 0, 0, 0, NULL};
    size_t off = 0, i;

    http_parser_init(&p, head, max);
    for (i = 0; i <= ncuts && o.rc == PARSE_MORE; i++) {
        size_t stop = i < ncuts ? cuts[i] : len, n = stop - off, u = 12345;
        char *piece = malloc(n ? n : 1);

        cr_assert_not_null(piece);
        memcpy(piece, data + off, n);
        o.rc = http_parse(&p, piece, n, &u);
        free(piece);
        if (o.rc == PARSE_MORE)
            cr_assert_eq(u, n, "PARSE_MORE must take every byte");
        if (o.rc == PARSE_DONE) {
            cr_assert_leq(u, n);
            o.used = off + u;
        }
        off = stop;
    }
    if (o.rc == PARSE_MORE) {
        o.used = len;
        if (eof)
            o.rc = http_parse_eof(&p);
    }
    if (o.rc == PARSE_ERROR) {
        cr_assert_not_null(p.error);
        o.error = p.error;
        o.used = 0;
    } else if (o.rc == PARSE_DONE) {
        o.status = p.status;
        o.body = p.body_bytes;
        o.close = p.close;
    }
    return o;
}

static const char *rc_name(int rc)
{
    return rc == PARSE_DONE ? "done" : rc == PARSE_MORE ? "more" : "error";
}

static void assert_same(const struct outcome *got, const struct outcome *want,
                        const char *name, const char *how)
{
    cr_assert_eq(got->rc, want->rc, "%s (%s): %s, expected %s (%s)", name, how,
                 rc_name(got->rc), rc_name(want->rc), got->error ? got->error : "");
    if (want->rc == PARSE_ERROR) {
        cr_assert_str_eq(got->error, want->error, "%s (%s)", name, how);
    } else if (want->rc == PARSE_DONE) {
        cr_assert_eq(got->status, want->status, "%s (%s): status", name, how);
        cr_assert_eq(got->body, want->body, "%s (%s): body %llu, expected %llu", name, how,
                     (unsigned long long)got->body, (unsigned long long)want->body);
        cr_assert_eq(got->close, want->close, "%s (%s): close", name, how);
        cr_assert_eq(got->used, want->used, "%s (%s): used %zu, expected %zu", name, how,
                     got->used, want->used);
    }
}

/* Parse whole, at every single cut, byte by byte and at random cuts: all
 * must give want (or, want NULL, the same as the whole). */
static struct outcome check_splits(const char *name, const char *data, size_t len, int head,
                                   uint32_t max, int eof, const struct outcome *want)
{
    struct outcome whole = parse_cuts(data, len, NULL, 0, head, max, eof), o;
    size_t *cuts = malloc((len + 1) * sizeof *cuts), i, n;
    struct rng r;
    char how[64];

    cr_assert_not_null(cuts);
    if (want)
        assert_same(&whole, want, name, "whole");
    for (i = 1; i < len; i++) {
        o = parse_cuts(data, len, &i, 1, head, max, eof);
        snprintf(how, sizeof how, "cut at %zu", i);
        assert_same(&o, &whole, name, how);
    }
    for (i = 1; i < len; i++)
        cuts[i - 1] = i;
    o = parse_cuts(data, len, cuts, len ? len - 1 : 0, head, max, eof);
    assert_same(&o, &whole, name, "byte by byte");
    rng_seed(&r, SEED ^ len);
    for (i = 0; i < 20; i++) {
        n = random_cuts(&r, len, cuts, 6);
        o = parse_cuts(data, len, cuts, n, head, max, eof);
        assert_same(&o, &whole, name, "random cuts");
    }
    free(cuts);
    return whole;
}

/* ---- response cases ---------------------------------------------------- */

struct rcase {
    const char *name;
    const char *text;
    int head;
    uint32_t max;  /* max_header; 0: the default */
    int eof;       /* the server closes after the text */
    int rc;
    int status;
    uint64_t body;
    int close;
    const char *error;
};

#define OK(name, text, status, body, close) {name, text, 0, 0, 0, PARSE_DONE, status, body, close, NULL}
#define OK_EOF(name, text, status, body) {name, text, 0, 0, 1, PARSE_DONE, status, body, 1, NULL}
#define FAIL(name, text, why) {name, text, 0, 0, 0, PARSE_ERROR, 0, 0, 0, why}
#define FAIL_EOF(name, text, why) {name, text, 0, 0, 1, PARSE_ERROR, 0, 0, 0, why}

static void run_cases(const struct rcase *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++, c++) {
        struct outcome want = {c->rc, c->status, c->body, c->close, strlen(c->text), c->error};
        check_splits(c->name, c->text, strlen(c->text), c->head, c->max, c->eof, &want);
    }
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

Test(http, lengths)
{
    static const struct rcase cases[] = {
        OK("content_length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, 5, 0),
        OK("zero_length", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200, 0, 0),
        OK("header_case",
           "HTTP/1.1 201 Created\r\ncOnTeNt-LeNgTh:  12 \t\r\n"
           "X-A-Very-Long-Header-Name-Indeed: 1\r\nCONNECTION: Keep-Alive\r\n"
           "Server: x\r\n\r\nhello world!",
           201, 12, 0),
        OK("near_names",
           "HTTP/1.1 200 OK\r\nContent-Lengthy: 99\r\nContent-Lengt: 99\r\n"
           "XContent-Length: 99\r\nContent-Length : 99\r\nConnection-X: close\r\n"
           "Connection: closed\r\nTransfer-Encodings: chunked\r\n"
           "Content-Length: 3\r\n\r\nabc",
           200, 3, 0),
        OK("same_length_twice",
           "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd", 200, 4, 0),
        OK("length_list", "HTTP/1.1 200 OK\r\nContent-Length: 4 , 4,4\r\n\r\nabcd", 200, 4, 0),
        OK("bare_lf", "HTTP/1.1 200 OK\nContent-Length: 2\nX: y\n\nhi", 200, 2, 0),
        OK("no_reason", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 200, 0, 0),
        OK("empty_reason", "HTTP/1.1 404 \r\nContent-Length: 1\r\n\r\n!", 404, 1, 0),
        OK("folded_header",
           "HTTP/1.1 200 OK\r\nX-Folded: a\r\n  b\r\nContent-Length: 1\r\n\r\nz", 200, 1, 0),
        OK("identity", "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 3\r\n\r\nabc",
           200, 3, 0),
        OK("minor_version", "HTTP/1.2 500 Oops\r\nContent-Length: 1\r\n\r\nx", 500, 1, 0),
        OK("empty_header_value", "HTTP/1.1 200 OK\r\nX-Empty:\r\nContent-Length: 1\r\n\r\nx",
           200, 1, 0),
    };
    RUN(cases);
}

Test(http, chunked)
{
    static const struct rcase cases[] = {
        OK("chunked",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
           200, 11, 0),
        OK("extensions_trailers",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5;name=value\r\nhello\r\nA ; q=\"a;b\"\r\n0123456789\r\n"
           "000;last\r\nExpires: never\r\nX-Checksum: 1\r\n\r\n",
           200, 15, 0),
        OK("hex_case",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
           "1F\r\n0123456789012345678901234567890\r\n1f\r\n0123456789012345678901234567890\r\n"
           "0\r\n\r\n",
           200, 62, 0),
        OK("bare_lf_chunks",
           "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n", 200, 3, 0),
        OK("chunked_wins",
           "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
           "3\r\nabc\r\n0\r\n\r\n",
           200, 3, 0),
        OK("chunked_wins_after",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n"
           "3\r\nabc\r\n0\r\n\r\n",
           200, 3, 0),
        OK("two_te_lines",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
           "2\r\nab\r\n0\r\n\r\n",
           200, 2, 0),
        OK("chunked_close",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
           "1\r\na\r\n0\r\n\r\n",
           200, 1, 1),
        OK_EOF("chunked_not_last",
               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n", 200, 8),
    };
    RUN(cases);
}

Test(http, no_body_and_interim)
{
    static const struct rcase cases[] = {
        OK("continue",
           "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, 2,
           0),
        OK("two_interim",
           "HTTP/1.1 100 Continue\r\nConnection: close\r\n\r\n"
           "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
           "HTTP/1.1 204 No Content\r\n\r\n",
           204, 0, 0),
        {"head", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", 1, 0, 0, PARSE_DONE, 200, 0,
         0, NULL},
        {"head_chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 1, 0, 0,
         PARSE_DONE, 200, 0, 0, NULL},
        {"head_no_length", "HTTP/1.1 200 OK\r\n\r\n", 1, 0, 0, PARSE_DONE, 200, 0, 0, NULL},
        {"head_continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n", 1, 0, 0,
         PARSE_DONE, 404, 0, 0, NULL},
        OK("no_content", "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", 204, 0, 0),
        OK("not_modified", "HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\nETag: x\r\n\r\n",
           304, 0, 0),
        OK("switching",
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
           101, 0, 1),
    };
    RUN(cases);
}

Test(http, connection)
{
    static const struct rcase cases[] = {
        OK("http10_close", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", 200, 2, 1),
        OK("http10_keepalive",
           "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi", 200, 2, 0),
        OK("http10_keepalive_case",
           "HTTP/1.0 200 OK\r\nconnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nhi", 200, 2, 0),
        OK_EOF("http10_until_close", "HTTP/1.0 200 OK\r\n\r\nsome body", 200, 9),
        OK("close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 200, 0, 1),
        OK("close_in_list", "HTTP/1.1 200 OK\r\nConnection: Upgrade,  CLOSE \r\nContent-Length: 0\r\n\r\n",
           200, 0, 1),
        OK("close_second_line",
           "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: foo,close\r\n"
           "Content-Length: 0\r\n\r\n",
           200, 0, 1),
        OK("long_token",
           "HTTP/1.1 200 OK\r\nConnection: a-very-long-connection-token-beyond-the-buffer, te\r\n"
           "Content-Length: 0\r\n\r\n",
           200, 0, 0),
        OK_EOF("until_close", "HTTP/1.1 200 OK\r\nServer: x\r\n\r\nabcdef", 200, 6),
        OK_EOF("until_close_empty", "HTTP/1.1 200 OK\r\n\r\n", 200, 0),
    };
    RUN(cases);
}

Test(http, errors)
{
    static const struct rcase cases[] = {
        FAIL("ssh", "SSH-2.0-OpenSSH_9.2\r\n", "not an HTTP response"),
        FAIL("lowercase", "http/1.1 200 OK\r\n\r\n", "not an HTTP response"),
        FAIL("html", "<html><body>", "not an HTTP response"),
        FAIL("leading_blank", "\r\nHTTP/1.1 200 OK\r\n\r\n", "not an HTTP response"),
        FAIL("http2", "HTTP/2 200\r\n\r\n", "unsupported HTTP version"),
        FAIL("http09", "HTTP/0.9 200 OK\r\n\r\n", "unsupported HTTP version"),
        FAIL("minor_letter", "HTTP/1.x 200 OK\r\n\r\n", "unsupported HTTP version"),
        FAIL("no_space", "HTTP/1.1200 OK\r\n\r\n", "bad status line"),
        FAIL("code_letters", "HTTP/1.1 2x0 OK\r\n\r\n", "bad status code"),
        FAIL("code_099", "HTTP/1.1 099 Low\r\n\r\n", "bad status code"),
        FAIL("code_4_digits", "HTTP/1.1 2000 OK\r\n\r\n", "bad status code"),
        FAIL("code_2_digits", "HTTP/1.1 20 OK\r\n\r\n", "bad status code"),
        FAIL("length_conflict",
             "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
             "conflicting Content-Length values"),
        FAIL("length_list_conflict", "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello",
             "conflicting Content-Length values"),
        FAIL("length_letters", "HTTP/1.1 200 OK\r\nContent-Length: 5a\r\n\r\n",
             "bad Content-Length"),
        FAIL("length_hex", "HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\n", "bad Content-Length"),
        FAIL("length_negative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
             "bad Content-Length"),
        FAIL("length_plus", "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\n", "bad Content-Length"),
        FAIL("length_empty", "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", "bad Content-Length"),
        FAIL("length_trailing_comma", "HTTP/1.1 200 OK\r\nContent-Length: 1,\r\n\r\n",
             "bad Content-Length"),
        FAIL("length_two_numbers", "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n",
             "bad Content-Length"),
        FAIL("length_overflow",
             "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
             "bad Content-Length"),
        FAIL("no_colon", "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n", "bad header line"),
        FAIL("empty_name", "HTTP/1.1 200 OK\r\n: x\r\n\r\n", "bad header line"),
        FAIL("cr_without_lf", "HTTP/1.1 200 OK\r\n\rX", "bad header line"),
        FAIL("chunk_size_letters",
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"),
        FAIL("chunk_size_empty", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
             "bad chunk size"),
        FAIL("chunk_size_only_ext",
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n;x=1\r\n", "bad chunk size"),
        FAIL("chunk_size_negative",
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "bad chunk size"),
        FAIL("chunk_size_overflow",
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
             "bad chunk size"),
        FAIL("chunk_no_crlf",
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n",
             "bad chunk terminator"),
        FAIL("chunk_cr_no_lf",
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\r\n0\r\n\r\n",
             "bad chunk terminator"),
        FAIL("trailer_cr_no_lf",
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\rX", "bad trailer section"),
        {"header_too_large",
         "HTTP/1.1 200 OK\r\nX-Big: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
         0, 64, 0, PARSE_ERROR, 0, 0, 0, "header section too large"},
        {"status_line_too_large",
         "HTTP/1.1 200 OKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOK", 0, 32, 0,
         PARSE_ERROR, 0, 0, 0, "header section too large"},
        {"chunk_line_too_long",
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
         "1;ext=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nx\r\n",
         0, 64, 0, PARSE_ERROR, 0, 0, 0, "chunk size line too long"},
        {"trailers_too_large",
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
         "X-T: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
         0, 64, 0, PARSE_ERROR, 0, 0, 0, "trailer section too large"},
        FAIL_EOF("closed_in_headers", "HTTP/1.1 200 OK\r\nContent-Le", "closed mid-response"),
        FAIL_EOF("closed_in_status", "HTT", "closed mid-response"),
        FAIL_EOF("closed_in_body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
                 "closed mid-response"),
        FAIL_EOF("closed_in_chunks",
                 "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
                 "closed mid-response"),
        FAIL_EOF("closed_in_trailers",
                 "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\n",
                 "closed mid-response"),
        FAIL_EOF("closed_after_continue", "HTTP/1.1 100 Continue\r\n\r\n", "closed mid-response"),
        FAIL_EOF("closed_huge_length",
                 "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\nabc",
                 "closed mid-response"),
    };
    RUN(cases);
}

/* A response still waiting for bytes, cut anywhere, is still waiting. */
Test(http, incomplete)
{
    static const char *const texts[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhell",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n",
        "HTTP/1.1 200 OK\r\n\r\nbody until close",
    };
    struct outcome want = {PARSE_MORE, 0, 0, 0, 0, NULL};
    size_t i;

    for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
        check_splits("incomplete", texts[i], strlen(texts[i]), 0, 0, 0, &want);
}

/* The limit counts the status line, the headers and the empty line. */
Test(http, header_limit_boundary)
{
    const char *text = "HTTP/1.1 200 OK\r\nServer: pacer-test\r\nContent-Length: 3\r\n\r\nabc";
    uint32_t h = (uint32_t)(strlen(text) - 3);
    struct outcome ok = {PARSE_DONE, 200, 3, 0, strlen(text), NULL};
    struct outcome big = {PARSE_ERROR, 0, 0, 0, 0, "header section too large"};

    check_splits("limit", text, strlen(text), 0, h, 0, &ok);
    check_splits("limit-1", text, strlen(text), 0, h - 1, 0, &big);
}

/* max_header 0 is 64 KiB. */
Test(http, default_limit)
{
    size_t n = 70000, head = strlen("HTTP/1.1 200 OK\r\nX: ");
    char *text = malloc(n + 64);
    struct http_parser p;
    size_t used;

    cr_assert_not_null(text);
    memcpy(text, "HTTP/1.1 200 OK\r\nX: ", head);
    memset(text + head, 'a', n);
    memcpy(text + head + n, "\r\nContent-Length: 0\r\n\r\n", 24);
    http_parser_init(&p, 0, 0);
    cr_assert_eq(http_parse(&p, text, head + n + 23, &used), PARSE_ERROR);
    cr_assert_str_eq(p.error, "header section too large");

    n = 60000;
    memset(text + head, 'a', n);
    memcpy(text + head + n, "\r\nContent-Length: 0\r\n\r\n", 24);
    http_parser_init(&p, 0, 0);
    cr_assert_eq(http_parse(&p, text, head + n + 23, &used), PARSE_DONE);
    cr_assert_eq(used, head + n + 23);
    free(text);
}

/* Responses back to back: each takes its bytes and leaves the rest. */
static const char pipelined[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
    "3;x\r\nabc\r\n0\r\nT: 1\r\n\r\n"
    "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"
    "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    "HTTP/1.1 404 Not Found\nContent-Length: 2\n\nno"
    "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nz";
static const int pipe_status[] = {200, 201, 304, 200, 404, 200};
static const uint64_t pipe_body[] = {5, 3, 0, 0, 2, 1};
static const int pipe_head[] = {0, 0, 0, 1, 0, 0};
static const int pipe_close[] = {0, 0, 0, 0, 0, 1};

Test(http, pipelined_one_buffer)
{
    const char *s = pipelined;
    size_t left = sizeof pipelined - 1, used, i;
    struct http_parser p;

    for (i = 0; i < 6; i++) {
        http_parser_init(&p, pipe_head[i], 0);
        cr_assert_eq(http_parse(&p, s, left, &used), PARSE_DONE, "response %zu", i);
        cr_assert_eq(p.status, pipe_status[i], "response %zu", i);
        cr_assert_eq(p.body_bytes, pipe_body[i], "response %zu", i);
        cr_assert_eq(p.close, pipe_close[i], "response %zu", i);
        cr_assert_gt(used, 0);
        s += used;
        left -= used;
    }
    cr_assert_eq(left, 0);
    http_parser_init(&p, 0, 0);
    cr_assert_eq(http_parse_eof(&p), PARSE_MORE, "a close between responses is clean");
}

/* The same stream read in random pieces, as a connection sees it. */
Test(http, pipelined_random_reads)
{
    const size_t total = sizeof pipelined - 1;
    struct rng r;
    int round;

    rng_seed(&r, SEED);
    for (round = 0; round < 500; round++) {
        struct http_parser p;
        size_t off = 0, k = 0;

        http_parser_init(&p, pipe_head[0], 0);
        while (off < total) {
            size_t n = 1 + (size_t)rng_below(&r, round % 2 ? 8 : 64), at = 0;
            char *piece;

            if (n > total - off)
                n = total - off;
            piece = malloc(n);
            memcpy(piece, pipelined + off, n);
            while (at < n) {
                size_t used;
                enum parse_status st = http_parse(&p, piece + at, n - at, &used);

                cr_assert_neq(st, PARSE_ERROR, "%s", p.error);
                at += used;
                if (st == PARSE_DONE) {
                    cr_assert_lt(k, 6);
                    cr_assert_eq(p.status, pipe_status[k]);
                    cr_assert_eq(p.body_bytes, pipe_body[k]);
                    k++;
                    http_parser_init(&p, k < 6 ? pipe_head[k] : 0, 0);
                }
            }
            free(piece);
            off += n;
        }
        cr_assert_eq(k, 6, "round %d: %zu responses", round, k);
    }
}

Test(http, eof_states)
{
    struct http_parser p;
    size_t used;
    const char *r = "HTTP/1.1 200 OK\r\n\r\nab";

    http_parser_init(&p, 0, 0);
    cr_assert_eq(http_parse_eof(&p), PARSE_MORE, "nothing arrived");
    cr_assert_eq(http_parse(&p, "", 0, &used), PARSE_MORE);
    cr_assert_eq(used, 0);
    cr_assert_eq(http_parse_eof(&p), PARSE_MORE, "an empty read is not a byte");

    http_parser_init(&p, 0, 0);
    cr_assert_eq(http_parse(&p, r, strlen(r), &used), PARSE_MORE);
    cr_assert_eq(http_parse_eof(&p), PARSE_DONE);
    cr_assert_eq(p.body_bytes, 2);
    cr_assert_eq(p.close, 1);
    cr_assert_eq(p.status, 200);

    http_parser_init(&p, 0, 0);
    cr_assert_eq(http_parse(&p, "H", 1, &used), PARSE_MORE);
    cr_assert_eq(http_parse_eof(&p), PARSE_ERROR);
    cr_assert_str_eq(p.error, "closed mid-response");
}

Test(http, after_done_and_error)
{
    struct http_parser p;
    size_t used;
    const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    http_parser_init(&p, 0, 0);
    cr_assert_eq(http_parse(&p, ok, strlen(ok), &used), PARSE_DONE);
    cr_assert_eq(http_parse_eof(&p), PARSE_MORE, "closed after a complete response");
    cr_assert_eq(http_parse(&p, ok, strlen(ok), &used), PARSE_ERROR);
    cr_assert_eq(used, 0);
    cr_assert_str_eq(p.error, "response already complete");

    http_parser_init(&p, 0, 0);
    cr_assert_eq(http_parse(&p, "XTTP", 4, &used), PARSE_ERROR);
    cr_assert_eq(http_parse(&p, ok, strlen(ok), &used), PARSE_ERROR);
    cr_assert_eq(http_parse_eof(&p), PARSE_ERROR);
    cr_assert_str_eq(p.error, "not an HTTP response");
}

/* ---- fuzzing ------------------------------------------------------------- */

static const char alphabet[] = "HTTP/1.0 \r\n:;,0123456789abcdefABCDEFXx\t-chunkedlosCLT";

/* Random bytes (half from an alphabet that reaches deep states) and
 * mutated valid responses: no crash, no read out of bounds, the same
 * result however the bytes are cut. */
Test(http, fuzz)
{
    static const char *const seeds[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: x\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 204 No Content\r\nConnection: keep-alive\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 2, 2\n\nhi",
    };
    char buf[512];
    struct rng r;
    int iter;

    rng_seed(&r, SEED);
    for (iter = 0; iter < 3000; iter++) {
        size_t len, i, cuts[8], ncuts;
        struct outcome whole, o;
        uint32_t max = (uint32_t)rng_below(&r, 4) == 0 ? 16 + (uint32_t)rng_below(&r, 64) : 0;
        int head = (int)rng_below(&r, 4) == 0, eof = (int)rng_below(&r, 2);

        if (iter % 3 == 0) {
            len = (size_t)rng_below(&r, 200);
            for (i = 0; i < len; i++)
                buf[i] = iter % 2 ? (char)rng_below(&r, 256)
                                  : alphabet[rng_below(&r, sizeof alphabet - 1)];
        } else {
            const char *s = seeds[rng_below(&r, 4)];
            int m, nm = 1 + (int)rng_below(&r, 4);

            len = strlen(s);
            memcpy(buf, s, len);
            for (m = 0; m < nm && len > 0 && len < sizeof buf - 1; m++) {
                size_t at = (size_t)rng_below(&r, len);
                char c = rng_below(&r, 2) ? alphabet[rng_below(&r, sizeof alphabet - 1)]
                                         : (char)rng_below(&r, 256);
                switch (rng_below(&r, 3)) {
                case 0:
                    buf[at] = c;
                    break;
                case 1:
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = c;
                    len++;
                    break;
                default:
                    memmove(buf + at, buf + at + 1, len - at - 1);
                    len--;
                }
            }
        }
        whole = parse_cuts(buf, len, NULL, 0, head, max, eof);
        ncuts = random_cuts(&r, len, cuts, 8);
        o = parse_cuts(buf, len, cuts, ncuts, head, max, eof);
        assert_same(&o, &whole, "fuzz", "random cuts");
        if (iter % 10 == 0) {
            size_t *all = malloc((len + 1) * sizeof *all);
            for (i = 1; i < len; i++)
                all[i - 1] = i;
            o = parse_cuts(buf, len, all, len ? len - 1 : 0, head, max, eof);
            assert_same(&o, &whole, "fuzz", "byte by byte");
            free(all);
        }
        if (whole.rc == PARSE_DONE)
            cr_assert_leq(whole.used, len);
    }
}
