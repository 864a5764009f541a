/*
 * request.c: the request of a load run: HTTP/1.1 requests (request.h), and
 * load_prepare (loadgen.h), which turns what a user gives into the bytes
 * of one request and the options that go with them.
 */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chars.h"
#include "loadgen.h"

struct out {
    char *p; /* NULL: only count */
    size_t n;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->p)
        memcpy(o->p + o->n, s, n);
    o->n += n;
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static int header_is(const char *h, size_t namelen, const char *name)
{
    return namelen == strlen(name) && strncasecmp(h, name, namelen) == 0;
}

char *http_request_build(const struct target_url *u, const char *method,
                         const char *const *headers, size_t nheaders, const char *body,
                         size_t bodylen, int keepalive, size_t *len, struct err *e)
{
    int has_host = 0, has_ua = 0, has_clen = 0, has_conn = 0, pass;
    const char *path = u->path[0] ? u->path : "/", *m;
    char clen[48];
    struct out o = {NULL, 0};
    size_t i;

    if (!method)
        method = body ? "POST" : "GET";
    for (m = method; *m; m++)
        if (!char_is_token((unsigned char)*m))
            break;
    if (m == method || *m) {
        err_set(e, "bad method '%s'", method);
        return NULL;
    }
    if (strpbrk(path, "\r\n")) {
        err_set(e, "path contains CR or LF");
        return NULL;
    }
    for (i = 0; i < nheaders; i++) {
        const char *h = headers[i], *colon = strchr(h, ':');
        size_t nl, k;

        if (strpbrk(h, "\r\n")) {
            err_set(e, "header '%.*s': contains CR or LF", (int)strcspn(h, ":\r\n"), h);
            return NULL;
        }
        if (!colon) {
            err_set(e, "header '%s': missing ':'", h);
            return NULL;
        }
        nl = (size_t)(colon - h);
        for (k = 0; k < nl; k++)
            if (!char_is_token((unsigned char)h[k]))
                break;
        if (nl == 0 || k < nl) {
            err_set(e, "header '%s': bad name", h);
            return NULL;
        }
        has_host |= header_is(h, nl, "host");
        has_ua |= header_is(h, nl, "user-agent");
        has_clen |= header_is(h, nl, "content-length");
        has_conn |= header_is(h, nl, "connection");
    }
    snprintf(clen, sizeof clen, "Content-Length: %zu\r\n", bodylen);

    /* pass 0 counts, pass 1 writes */
    for (pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            o.p = malloc(o.n + 1);
            if (!o.p) {
                err_set(e, "out of memory");
                return NULL;
            }
            o.n = 0;
        }
        puts_(&o, method);
        put(&o, " ", 1);
        puts_(&o, path);
        puts_(&o, " HTTP/1.1\r\n");
        if (!has_host) {
            puts_(&o, "Host: ");
            puts_(&o, u->hostport);
            put(&o, "\r\n", 2);
        }
        if (!has_ua)
            puts_(&o, "User-Agent: pacer\r\n");
        for (i = 0; i < nheaders; i++) {
            puts_(&o, headers[i]);
            put(&o, "\r\n", 2);
        }
        if (body && !has_clen)
            puts_(&o, clen);
        if (!keepalive && !has_conn)
            puts_(&o, "Connection: close\r\n");
        put(&o, "\r\n", 2);
        if (body)
            put(&o, body, bodylen);
    }
    o.p[o.n] = '\0';
    *len = o.n;
    return o.p;
}

int load_prepare(struct load_opts *o, const struct load_request *rq, char **buf, struct err *e)
{
    size_t len;

    *buf = NULL;
    if (!o->url_text)
        return err_set(e, "no url");
    if (o->threads > o->connections)   /* a thread has one connection at least */
        o->threads = o->connections;
    if (target_url_parse(o->url_text, &o->url, e) < 0)
        return -1;
    if (o->url.scheme == SCHEME_HTTP) {
        if (rq->payload || rq->framing)
            return err_set(e, "--payload and --framing are for tcp:// targets");
        *buf = http_request_build(&o->url, rq->method, rq->headers, rq->nheaders, rq->body,
                                  rq->bodylen, o->keepalive, &len, e);
        if (!*buf)
            return -1;
        o->head = rq->method && !strcmp(rq->method, "HEAD");
    } else {
        if (rq->method || rq->nheaders || rq->body)
            return err_set(e, "method, headers and body are for http:// targets");
        if (!rq->payload || !*rq->payload)
            return err_set(e, "a tcp:// target needs a payload (--payload)");
        if (framer_parse(rq->framing ? rq->framing : "delim:\\n", &o->framing, e) < 0)
            return -1;
        *buf = unescape_bytes(rq->payload, &len, e);
        if (!*buf)
            return -1;
        if (!len) {
            free(*buf);
            *buf = NULL;
            return err_set(e, "the payload is empty");
        }
        o->head = 0;
    }
    o->request = *buf;
    o->reqlen = len;
    return 0;
}
