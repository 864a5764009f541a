/*
 * request.h: the bytes of an HTTP/1.1 request, built once before a run and
 * sent many times (load_prepare in loadgen.h builds a run's request, for
 * http:// and tcp:// targets alike).
 */
#ifndef PACER_REQUEST_H
#define PACER_REQUEST_H

#include <stddef.h>

#include "harness/lib/err.h"
#include "url.h"

/* A request: method (NULL: GET, or POST when a body is given), headers as
 * "Name: value" strings (a Host or Content-Length header given here
 * replaces pacer's), body (may be NULL), keepalive 0 adds
 * "Connection: close".  Returns a new buffer of *len bytes, or NULL with
 * the cause in e (a header without ':', CR or LF in a header or path). */
char *http_request_build(const struct target_url *u, const char *method,
                         const char *const *headers, size_t nheaders, const char *body,
                         size_t bodylen, int keepalive, size_t *len, struct err *e);

#endif
