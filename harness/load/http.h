/*
 * http.h: an incremental HTTP/1.1 response parser (status line, headers,
 * Content-Length, chunked, Connection: close, body until close), fed the
 * bytes as they arrive, with no buffering of its own: it keeps a few
 * numbers per connection, so 10,000 connections cost little.
 *
 * A response that is not HTTP, has a header section above the limit, or a
 * bad length is a parse error with a short static reason.
 */
#ifndef PACER_HTTP_H
#define PACER_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

struct http_parser {
    /* internal state (zeroed by http_parser_init) */
    int state;
    int substate;
    uint32_t header_bytes;    /* bytes of status line and headers so far */
    uint32_t max_header;      /* limit of the header section */
    uint64_t remaining;       /* body or chunk bytes still to come */
    uint64_t content_length;
    uint32_t flags;
    char name[20];            /* the start of the header name being read */
    uint8_t namelen;
    char num[24];             /* digits of a number being read */
    uint8_t numlen;
    /* results, valid once a response is done */
    int status;               /* 200 */
    int close;                /* the server will close: Connection: close, or
                                 HTTP/1.0 without keep-alive */
    uint64_t body_bytes;
    const char *error;        /* static reason after PARSE_ERROR */
};

/* Ready for the next response.  head: the request was HEAD (no body).
 * max_header: limit of the status line plus headers (0: 64 KiB). */
void http_parser_init(struct http_parser *p, int head, uint32_t max_header);
/* Feed len bytes.  Returns PARSE_DONE when a response is complete (then
 * *used is the number of bytes it took: the rest belongs to the next
 * response), PARSE_MORE when all len bytes were taken and more are needed,
 * PARSE_ERROR with p->error set. */
enum parse_status http_parse(struct http_parser *p, const char *buf, size_t len, size_t *used);
/* The connection was closed by the server: PARSE_DONE when that ends the
 * response (a body read until close), PARSE_ERROR ("closed mid-response")
 * when a response was started and is not complete, PARSE_MORE when no byte
 * of a response had arrived (a clean close between responses). */
enum parse_status http_parse_eof(struct http_parser *p);

#endif
