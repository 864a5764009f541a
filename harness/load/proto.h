/*
 * proto.h: what the load generator says and how it reads the answers.
 *
 *  - target addresses: http://HOST[:PORT][/PATH] and tcp://HOST:PORT, HOST a
 *    name, an IPv4 address or [IPv6];
 *  - HTTP/1.1 requests, built once and sent many times;
 *  - an incremental HTTP/1.1 response parser (status line, headers,
 *    Content-Length, chunked, Connection: close, body until close), fed the
 *    bytes as they arrive, with no buffering of its own: it keeps a few
 *    numbers per connection, so 10,000 connections cost little;
 *  - raw TCP responses framed by a fixed length or a delimiter.
 *
 * A response that is not HTTP, has a header section above the limit, or a
 * bad length is a parse error with a short static reason.
 */
#ifndef PACER_PROTO_H
#define PACER_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "harness/lib/err.h"

enum scheme { SCHEME_HTTP, SCHEME_TCP };

struct target_url {
    enum scheme scheme;
    char host[256];               /* as written, without brackets */
    char port[8];                 /* "80" when http and not given */
    char path[2048];              /* http: "/" when not given; tcp: "" */
    char hostport[300];           /* for the Host header: "h:p", "[::1]:p"; just "h"
                                   * when the url gives no port (as curl and wrk send) */
    struct sockaddr_storage addr; /* resolved (first address) */
    socklen_t addrlen;
};

/* Parse and resolve url.  -1 with "url 'x': cause" in e (unknown scheme,
 * missing host, bad port, tcp without port, name not resolved). */
int target_url_parse(const char *url, struct target_url *u, struct err *e);

/* A request: method (NULL: GET, or POST when a body is given), headers as
 * "Name: value" strings (a Host or Content-Length header given here
 * replaces pacer's), body (may be NULL), keepalive 0 adds
 * "Connection: close".  Returns a new buffer of *len bytes, or NULL with
 * the cause in e (a header without ':', CR or LF in a header or path). */
char *http_request_build(const struct target_url *u, const char *method,
                         const char *const *headers, size_t nheaders, const char *body,
                         size_t bodylen, int keepalive, size_t *len, struct err *e);

enum parse_status { PARSE_MORE = 0, PARSE_DONE = 1, PARSE_ERROR = -1 };

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
    int close;                /* the server will close: Connection: close or HTTP/1.0 without keep-alive */
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

/* Raw TCP response framing. */
enum frame_kind { FRAME_LENGTH, FRAME_DELIM };
struct framer {
    enum frame_kind kind;
    uint64_t length;          /* FRAME_LENGTH: bytes per response */
    char delim[16];           /* FRAME_DELIM: the terminator, e.g. "\r\n" */
    uint8_t dlen;
    /* state */
    uint64_t seen;
    uint8_t matched;          /* bytes of delim matched so far */
    const char *error;
};

/* Parse a framing spec: "length:N" or "delim:TEXT" (TEXT with \r \n \t
 * \\ \0 and \xHH escapes, 1..16 bytes).  -1 with "framing 'x': cause". */
int framer_parse(const char *spec, struct framer *f, struct err *e);
void framer_reset(struct framer *f);
/* Same contract as http_parse. */
enum parse_status framer_feed(struct framer *f, const char *buf, size_t len, size_t *used);

/* Decode the escapes above in s into a new buffer (*len bytes), NULL with
 * the cause in e. */
char *unescape_bytes(const char *s, size_t *len, struct err *e);

#endif
