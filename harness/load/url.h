/*
 * url.h: the target of a load: http://HOST[:PORT][/PATH] and
 * tcp://HOST:PORT, HOST a name, an IPv4 address or [IPv6], parsed and
 * resolved once before the run.
 */
#ifndef PACER_URL_H
#define PACER_URL_H

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

/* The same without resolving: every field but addr and addrlen. */
int target_url_split(const char *url, struct target_url *u, struct err *e);

#endif
