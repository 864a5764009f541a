/*
 * loadpath.c: the load generator's own work per response, outside the
 * kernel: parsing the response and recording its latency.  Against a fast
 * server on loopback this is what pacer adds to the system calls, so it is
 * what `pacer load` can still make cheaper (suites/self/load_vs_wrk.py
 * measures the whole).
 *
 *   make build/self/loadpath && build/self/loadpath
 *
 * The responses are what the servers of suites/self and suites/macro send:
 * nginx's static file (headers of 240 bytes, 627 bytes of body) whole, and
 * in 64-byte reads; aiohttp's chunked answer.  Latencies recorded are
 * spread over 50 us to 5 ms as a loopback run's are.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/hist.h"
#include "harness/load/http.h"
#include "pacer.h"

static const char nginx_head[] =
    "HTTP/1.1 200 OK\r\n"
    "Server: nginx/1.22.1\r\n"
    "Date: Tue, 24 Nov 2026 05:23:41 GMT\r\n"
    "Content-Type: text/html\r\n"
    "Content-Length: 627\r\n"
    "Last-Modified: Tue, 24 Nov 2026 04:59:33 GMT\r\n"
    "Connection: keep-alive\r\n"
    "ETag: \"6b0519b5-273\"\r\n"
    "Accept-Ranges: bytes\r\n"
    "\r\n";

static const char aiohttp_chunked[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Transfer-Encoding: chunked\r\n"
    "Date: Tue, 24 Nov 2026 05:23:41 GMT\r\n"
    "Server: Python/3.11 aiohttp/3.8.4\r\n"
    "\r\n"
    "d\r\nHello, world!\r\n"
    "0\r\n\r\n";

struct resp {
    char *buf;
    size_t len;
};

static void resp_free(pacer_state *st)
{
    struct resp *r = pacer_data(st);

    if (r)
        free(r->buf);
    free(r);
    pacer_set_data(st, NULL);
}

/* A response of head and then body_len bytes of body. */
static void resp_setup(pacer_state *st, const char *head, size_t body_len)
{
    struct resp *r = calloc(1, sizeof *r);
    size_t hl = strlen(head);

    if (r)
        r->buf = malloc(hl + body_len);
    if (!r || !r->buf) {
        free(r);
        pacer_skip(st, "out of memory");
        return;
    }
    r->len = hl + body_len;
    memcpy(r->buf, head, hl);
    memset(r->buf + hl, 'p', body_len);
    pacer_set_data(st, r);
}

static void nginx_setup(pacer_state *st)
{
    resp_setup(st, nginx_head, 627);
}

static void chunked_setup(pacer_state *st)
{
    resp_setup(st, aiohttp_chunked, 0);
}

/* One response, fed in reads of at most `step` bytes; aborts on a parse
 * that does not end exactly at the end of the response. */
static void parse_in_steps(pacer_state *st, size_t step)
{
    struct resp *r = pacer_data(st);
    struct http_parser p;

    PACER_LOOP(st) {
        size_t off = 0, used = 0;
        enum parse_status s = PARSE_MORE;

        http_parser_init(&p, 0, 0);
        while (off < r->len && s == PARSE_MORE) {
            size_t n = r->len - off < step ? r->len - off : step;
            s = http_parse(&p, r->buf + off, n, &used);
            off += used;
        }
        if (s != PARSE_DONE || off != r->len) {
            fprintf(stderr, "loadpath: the response did not parse (%s)\n",
                    p.error ? p.error : "incomplete");
            exit(1);
        }
        pacer_do_not_optimize(p.status);
    }
    pacer_set_bytes_per_op(st, (double)r->len);
}

static void parse_nginx(pacer_state *st)
{
    parse_in_steps(st, SIZE_MAX);
}
PACER_BENCHMARK(parse_nginx, .group = "parse", .setup = nginx_setup, .teardown = resp_free);

static void parse_nginx_64b_reads(pacer_state *st)
{
    parse_in_steps(st, 64);
}
PACER_BENCHMARK(parse_nginx_64b_reads, .group = "parse", .setup = nginx_setup,
                .teardown = resp_free);

static void parse_chunked(pacer_state *st)
{
    parse_in_steps(st, SIZE_MAX);
}
PACER_BENCHMARK(parse_chunked, .group = "parse", .setup = chunked_setup, .teardown = resp_free);

/* Record one latency in a histogram of 3 digits, as the generator does
 * twice per response (the run's and the interval's). */
static void hist_record_latency(pacer_state *st)
{
    struct hist h;
    uint64_t x = 0x853c49e6748fea9bULL;

    if (hist_init(&h, 3, 10000000000ull, NULL) < 0) {
        pacer_skip(st, "out of memory");
        return;
    }
    PACER_LOOP(st) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        hist_record(&h, 50000 + x % 4950000);
    }
    pacer_do_not_optimize(h.count);
    hist_free(&h);
}
PACER_BENCHMARK(hist_record_latency, .group = "record");
