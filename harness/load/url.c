/*
 * url.c: target URLs (url.h): the scheme, host, port and path of
 * http:// and tcp:// targets, and the resolution of the host.
 */
#include "url.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chars.h"

static int resolve(const char *url, struct target_url *u, int literal, struct err *e)
{
    struct addrinfo hints, *res = NULL;
    int rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (literal ? AI_NUMERICHOST : 0);
    rc = getaddrinfo(u->host, u->port, &hints, &res);
    if (rc != 0)
        return err_set(e, "url '%s': cannot resolve '%s': %s", url, u->host,
                       rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
    if (!res || res->ai_addrlen > sizeof u->addr) {
        if (res)
            freeaddrinfo(res);
        return err_set(e, "url '%s': cannot resolve '%s': no address", url, u->host);
    }
    memcpy(&u->addr, res->ai_addr, res->ai_addrlen);
    u->addrlen = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

int target_url_split(const char *url, struct target_url *u, struct err *e)
{
    const char *s = url, *host, *hend, *auth_end, *rest, *port = NULL;
    size_t hl, pl = 0, i;
    int bracket = 0;

    memset(u, 0, sizeof *u);
    while (*s && (char_is_token((unsigned char)*s)))
        s++;
    if (s == url || strncmp(s, "://", 3) != 0)
        return err_set(e, "url '%s': missing scheme (http:// or tcp://)", url);
    if (s - url == 4 && strncasecmp(url, "http", 4) == 0)
        u->scheme = SCHEME_HTTP;
    else if (s - url == 3 && strncasecmp(url, "tcp", 3) == 0)
        u->scheme = SCHEME_TCP;
    else
        return err_set(e, "url '%s': unknown scheme '%.*s' (http or tcp)", url, (int)(s - url),
                       url);

    host = s + 3;
    auth_end = host + strcspn(host, "/?#");
    if (*host == '[') {
        host++;
        hend = memchr(host, ']', (size_t)(auth_end - host));
        if (!hend)
            return err_set(e, "url '%s': missing ']' after the IPv6 address", url);
        rest = hend + 1;
        bracket = 1;
    } else {
        const char *colon = memchr(host, ':', (size_t)(auth_end - host));
        if (colon && memchr(colon + 1, ':', (size_t)(auth_end - colon - 1)))
            return err_set(e, "url '%s': an IPv6 address needs brackets: [addr]:port", url);
        hend = colon ? colon : auth_end;
        rest = hend;
    }
    hl = (size_t)(hend - host);
    if (hl == 0)
        return err_set(e, "url '%s': missing host", url);
    if (hl >= sizeof u->host)
        return err_set(e, "url '%s': host too long", url);
    for (i = 0; i < hl; i++) {
        unsigned char c = (unsigned char)host[i];
        if (c <= ' ' || c == 0x7f || c == '@' || c == '[' || c == ']' ||
            (c == ':' && !bracket))
            return err_set(e, "url '%s': bad host '%.*s'", url, (int)hl, host);
    }
    if (bracket && !memchr(host, ':', hl))
        return err_set(e, "url '%s': bad IPv6 address '%.*s'", url, (int)hl, host);
    memcpy(u->host, host, hl);

    if (*rest == ':') {
        unsigned long v = 0;
        port = rest + 1;
        pl = (size_t)(auth_end - port);
        for (i = 0; i < pl && v <= 65535; i++) {
            unsigned k = (unsigned char)port[i] - '0';
            if (k > 9)
                break;
            v = v * 10 + k;
        }
        if (pl == 0 || i < pl || v == 0 || v > 65535)
            return err_set(e, "url '%s': bad port '%.*s'", url, (int)pl, port);
        snprintf(u->port, sizeof u->port, "%lu", v);
        rest = auth_end;
    } else if (rest != auth_end) {
        return err_set(e, "url '%s': bad host '%.*s'", url, (int)(auth_end - s - 3), s + 3);
    }

    if (u->scheme == SCHEME_TCP) {
        if (!port)
            return err_set(e, "url '%s': tcp needs a port", url);
        if (*rest && strcmp(rest, "/") != 0)
            return err_set(e, "url '%s': tcp takes no path", url);
    } else {
        size_t rl = strcspn(rest, "#"); /* the fragment is not sent */
        size_t off = *rest == '/' ? 0 : 1;

        if (!port)
            memcpy(u->port, "80", 3);
        if (rl + off >= sizeof u->path)
            return err_set(e, "url '%s': path too long", url);
        for (i = 0; i < rl; i++) {
            unsigned char c = (unsigned char)rest[i];
            if (c <= ' ' || c == 0x7f)
                return err_set(e, "url '%s': bad character in the path", url);
        }
        u->path[0] = '/';
        memcpy(u->path + off, rest, rl);
        u->path[off + rl] = '\0';
    }
    snprintf(u->hostport, sizeof u->hostport, "%s%s%s%s%s", bracket ? "[" : "", u->host,
             bracket ? "]" : "", port ? ":" : "", port ? u->port : "");
    return 0;
}

int target_url_parse(const char *url, struct target_url *u, struct err *e)
{
    if (target_url_split(url, u, e) < 0)
        return -1;
    return resolve(url, u, u->hostport[0] == '[', e);
}
