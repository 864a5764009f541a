/*
 * test_request.c: the request of a load run (harness/load/request.c):
 * HTTP/1.1 requests, and load_prepare for http:// and tcp:// targets.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/loadgen.h"
#include "harness/load/request.h"
#include "helpers.h"

static void request_is(const struct target_url *u, const char *method,
                       const char *const *headers, size_t nheaders, const char *body,
                       size_t bodylen, int keepalive, const char *want, size_t wantlen)
{
    struct err e = {0};
    size_t len = 0;
    char *req = http_request_build(u, method, headers, nheaders, body, bodylen, keepalive, &len,
                                   &e);

    cr_assert_not_null(req, "%s", e.msg);
    cr_assert_eq(len, wantlen, "length %zu, expected %zu: %.*s", len, wantlen, (int)len, req);
    cr_assert_eq(memcmp(req, want, len), 0, "got:\n%.*s\nexpected:\n%s", (int)len, req, want);
    free(req);
}

#define REQUEST_IS(u, m, h, nh, b, bl, ka, want) \
    request_is(u, m, h, nh, b, bl, ka, want, sizeof(want) - 1)

Test(request, defaults)
{
    struct target_url u;

    url_ok("http://127.0.0.1:8080/x?y=1", &u);
    REQUEST_IS(&u, NULL, NULL, 0, NULL, 0, 1,
               "GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: pacer\r\n\r\n");
    REQUEST_IS(&u, NULL, NULL, 0, "hello", 5, 0,
               "POST /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: pacer\r\n"
               "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
    REQUEST_IS(&u, "POST", NULL, 0, "", 0, 1,
               "POST /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: pacer\r\n"
               "Content-Length: 0\r\n\r\n");
    REQUEST_IS(&u, "HEAD", NULL, 0, NULL, 0, 0,
               "HEAD /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: pacer\r\n"
               "Connection: close\r\n\r\n");
    REQUEST_IS(&u, "PUT", NULL, 0, "a\0b", 3, 1,
               "PUT /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: pacer\r\n"
               "Content-Length: 3\r\n\r\na\0b");

    url_ok("http://[::1]", &u);
    REQUEST_IS(&u, NULL, NULL, 0, NULL, 0, 1,
               "GET / HTTP/1.1\r\nHost: [::1]\r\nUser-Agent: pacer\r\n\r\n");
}

Test(request, user_headers)
{
    struct target_url u;
    const char *const replace[] = {"host: example.com", "X-A: 1", "CONTENT-LENGTH: 3",
                                   "User-Agent: me", "Connection: keep-alive"};
    const char *const similar[] = {"Hostname: h", "X-Content-Length: 1", "User-Agents: u"};

    url_ok("http://127.0.0.1:8080/", &u);
    REQUEST_IS(&u, "PUT", replace, 5, "abc", 3, 0,
               "PUT / HTTP/1.1\r\nhost: example.com\r\nX-A: 1\r\nCONTENT-LENGTH: 3\r\n"
               "User-Agent: me\r\nConnection: keep-alive\r\n\r\nabc");
    REQUEST_IS(&u, NULL, similar, 3, "z", 1, 1,
               "POST / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: pacer\r\nHostname: h\r\n"
               "X-Content-Length: 1\r\nUser-Agents: u\r\nContent-Length: 1\r\n\r\nz");
}

static void request_fails(const struct target_url *u, const char *method,
                          const char *const *headers, size_t nheaders, const char *msg)
{
    struct err e = {0};
    size_t len = 99;

    cr_assert_null(http_request_build(u, method, headers, nheaders, NULL, 0, 1, &len, &e));
    cr_assert_str_eq(e.msg, msg);
}

Test(request, errors)
{
    struct target_url u;

    url_ok("http://127.0.0.1:8080/", &u);
    request_fails(&u, NULL, (const char *[]){"NoColon"}, 1, "header 'NoColon': missing ':'");
    request_fails(&u, NULL, (const char *[]){"X-A: a\r\nEvil: 1"}, 1,
                  "header 'X-A': contains CR or LF");
    request_fails(&u, NULL, (const char *[]){"X-A: a\n"}, 1, "header 'X-A': contains CR or LF");
    request_fails(&u, NULL, (const char *[]){" Bad: x"}, 1, "header ' Bad: x': bad name");
    request_fails(&u, NULL, (const char *[]){": x"}, 1, "header ': x': bad name");
    request_fails(&u, "GE T", NULL, 0, "bad method 'GE T'");
    request_fails(&u, "", NULL, 0, "bad method ''");
    strcpy(u.path, "/a\r\nX: y");
    request_fails(&u, NULL, NULL, 0, "path contains CR or LF");
}

/* A target without a path asks for "/". */
Test(request, tcp_target_path)
{
    struct target_url u;

    url_ok("tcp://127.0.0.1:7000", &u);
    REQUEST_IS(&u, NULL, NULL, 0, NULL, 0, 1,
               "GET / HTTP/1.1\r\nHost: 127.0.0.1:7000\r\nUser-Agent: pacer\r\n\r\n");
}

/* ---- the request of a run ---------------------------------------------- */

Test(request, prepare_http)
{
    struct load_opts o;
    struct load_request rq = {.method = "HEAD"};
    struct err e = {0};
    char *buf;
    static const char want[] =
        "HEAD /a HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: pacer\r\n\r\n";

    load_opts_default(&o);
    o.url_text = "http://127.0.0.1:8080/a";
    cr_assert_eq(load_prepare(&o, &rq, &buf, &e), 0, "%s", e.msg);
    cr_assert_eq(o.url.scheme, SCHEME_HTTP);
    cr_assert_eq(o.head, 1);
    cr_assert_eq(o.request, buf);
    cr_assert_eq(o.reqlen, sizeof want - 1);
    cr_assert_eq(memcmp(buf, want, o.reqlen), 0, "%.*s", (int)o.reqlen, buf);
    free(buf);
}

Test(request, prepare_tcp)
{
    struct load_opts o;
    struct load_request rq = {.payload = "PING\\r\\n"};
    struct err e = {0};
    char *buf;

    load_opts_default(&o);
    o.url_text = "tcp://127.0.0.1:7000";
    cr_assert_eq(load_prepare(&o, &rq, &buf, &e), 0, "%s", e.msg);
    cr_assert_eq(o.url.scheme, SCHEME_TCP);
    cr_assert_eq(o.head, 0);
    cr_assert_eq(o.reqlen, 6);
    cr_assert_eq(memcmp(o.request, "PING\r\n", 6), 0);
    cr_assert_eq(o.framing.kind, FRAME_DELIM);   /* the default: one line */
    cr_assert_eq(o.framing.dlen, 1);
    cr_assert_eq(o.framing.delim[0], '\n');
    free(buf);

    rq.framing = "length:4";
    cr_assert_eq(load_prepare(&o, &rq, &buf, &e), 0, "%s", e.msg);
    cr_assert_eq(o.framing.kind, FRAME_LENGTH);
    cr_assert_eq(o.framing.length, 4);
    free(buf);
}

static void prepare_fails(const char *url, const struct load_request *rq, const char *msg)
{
    struct load_opts o;
    struct err e = {0};
    char sentinel, *buf = &sentinel;

    load_opts_default(&o);
    o.url_text = url;
    cr_assert_eq(load_prepare(&o, rq, &buf, &e), -1, "%s should fail", url);
    cr_assert_null(buf);
    cr_assert_str_eq(e.msg, msg);
}

Test(request, prepare_errors)
{
    const char *const hdr[] = {"X-A: 1"};

    prepare_fails(NULL, &(struct load_request){0}, "no url");
    prepare_fails("ftp://x", &(struct load_request){0},
                  "url 'ftp://x': unknown scheme 'ftp' (http or tcp)");
    prepare_fails("http://127.0.0.1/", &(struct load_request){.payload = "x"},
                  "--payload and --framing are for tcp:// targets");
    prepare_fails("http://127.0.0.1/", &(struct load_request){.framing = "length:1"},
                  "--payload and --framing are for tcp:// targets");
    prepare_fails("http://127.0.0.1/", &(struct load_request){.method = "GE T"},
                  "bad method 'GE T'");
    prepare_fails("tcp://127.0.0.1:7", &(struct load_request){.method = "GET", .payload = "x"},
                  "method, headers and body are for http:// targets");
    prepare_fails("tcp://127.0.0.1:7",
                  &(struct load_request){.headers = hdr, .nheaders = 1, .payload = "x"},
                  "method, headers and body are for http:// targets");
    prepare_fails("tcp://127.0.0.1:7", &(struct load_request){0},
                  "a tcp:// target needs a payload (--payload)");
    prepare_fails("tcp://127.0.0.1:7", &(struct load_request){.payload = ""},
                  "a tcp:// target needs a payload (--payload)");
    prepare_fails("tcp://127.0.0.1:7", &(struct load_request){.payload = "x", .framing = "x"},
                  "framing 'x': expected length:N or delim:TEXT");
    prepare_fails("tcp://127.0.0.1:7", &(struct load_request){.payload = "\\q"},
                  "bad escape '\\q' (\\r \\n \\t \\\\ \\0 \\xHH)");
}
