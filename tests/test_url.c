/*
 * test_url.c: target URLs, parsed and resolved (harness/load/url.c).
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "harness/load/url.h"
#include "helpers.h"

static void url_fails(const char *url, const char *msg)
{
    struct target_url u;
    struct err e = {0};

    cr_assert_eq(target_url_parse(url, &u, &e), -1, "%s should fail", url);
    cr_assert_str_eq(e.msg, msg);
}

static int addr_port(const struct target_url *u)
{
    if (u->addr.ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)&u->addr)->sin_port);
    return ntohs(((const struct sockaddr_in6 *)&u->addr)->sin6_port);
}

Test(url, http)
{
    struct target_url u;
    const struct sockaddr_in *in = (const struct sockaddr_in *)&u.addr;

    url_ok("http://127.0.0.1:8080/path?q=1", &u);
    cr_assert_eq(u.scheme, SCHEME_HTTP);
    cr_assert_str_eq(u.host, "127.0.0.1");
    cr_assert_str_eq(u.port, "8080");
    cr_assert_str_eq(u.path, "/path?q=1");
    cr_assert_str_eq(u.hostport, "127.0.0.1:8080");
    cr_assert_eq(u.addr.ss_family, AF_INET);
    cr_assert_eq(u.addrlen, sizeof(struct sockaddr_in));
    cr_assert_eq(ntohl(in->sin_addr.s_addr), INADDR_LOOPBACK);
    cr_assert_eq(addr_port(&u), 8080);

    url_ok("HTTP://127.0.0.1?x=1#frag", &u);
    cr_assert_str_eq(u.port, "80");
    cr_assert_str_eq(u.path, "/?x=1");
    cr_assert_str_eq(u.hostport, "127.0.0.1");
    cr_assert_eq(addr_port(&u), 80);

    url_ok("http://127.0.0.1:080", &u);
    cr_assert_str_eq(u.port, "80");
    cr_assert_str_eq(u.path, "/");
    cr_assert_str_eq(u.hostport, "127.0.0.1:80");
}

Test(url, localhost)
{
    struct target_url u;

    url_ok("http://localhost", &u);
    cr_assert_str_eq(u.host, "localhost");
    cr_assert_str_eq(u.port, "80");
    cr_assert_str_eq(u.path, "/");
    cr_assert_str_eq(u.hostport, "localhost");
    cr_assert(u.addr.ss_family == AF_INET || u.addr.ss_family == AF_INET6);
    cr_assert_eq(addr_port(&u), 80);

    url_ok("tcp://localhost:7000/", &u);
    cr_assert_eq(u.scheme, SCHEME_TCP);
    cr_assert_str_eq(u.path, "");
    cr_assert_eq(addr_port(&u), 7000);
}

Test(url, ipv6)
{
    struct target_url u;
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&u.addr;

    url_ok("http://[::1]:9000/x", &u);
    cr_assert_str_eq(u.host, "::1");
    cr_assert_str_eq(u.port, "9000");
    cr_assert_str_eq(u.path, "/x");
    cr_assert_str_eq(u.hostport, "[::1]:9000");
    cr_assert_eq(u.addr.ss_family, AF_INET6);
    cr_assert_eq(u.addrlen, sizeof(struct sockaddr_in6));
    cr_assert(IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr));
    cr_assert_eq(addr_port(&u), 9000);

    url_ok("http://[::1]", &u);
    cr_assert_str_eq(u.hostport, "[::1]");
    cr_assert_str_eq(u.path, "/");

    url_ok("tcp://[::1]:7", &u);
    cr_assert_str_eq(u.hostport, "[::1]:7");
}

Test(url, tcp)
{
    struct target_url u;

    url_ok("tcp://127.0.0.1:7000", &u);
    cr_assert_eq(u.scheme, SCHEME_TCP);
    cr_assert_str_eq(u.host, "127.0.0.1");
    cr_assert_str_eq(u.port, "7000");
    cr_assert_str_eq(u.path, "");
    cr_assert_str_eq(u.hostport, "127.0.0.1:7000");
    cr_assert_eq(addr_port(&u), 7000);
}

Test(url, errors)
{
    char longhost[300 + 16];

    url_fails("ftp://x", "url 'ftp://x': unknown scheme 'ftp' (http or tcp)");
    url_fails("https://127.0.0.1/", "url 'https://127.0.0.1/': unknown scheme 'https' (http or tcp)");
    url_fails("localhost:8080", "url 'localhost:8080': missing scheme (http:// or tcp://)");
    url_fails("/just/a/path", "url '/just/a/path': missing scheme (http:// or tcp://)");
    url_fails("", "url '': missing scheme (http:// or tcp://)");
    url_fails("http://", "url 'http://': missing host");
    url_fails("http://:80/", "url 'http://:80/': missing host");
    url_fails("http://[]:80/", "url 'http://[]:80/': missing host");
    url_fails("http://127.0.0.1:99999/", "url 'http://127.0.0.1:99999/': bad port '99999'");
    url_fails("http://127.0.0.1:65536", "url 'http://127.0.0.1:65536': bad port '65536'");
    url_fails("http://127.0.0.1:8o/", "url 'http://127.0.0.1:8o/': bad port '8o'");
    url_fails("http://127.0.0.1:/", "url 'http://127.0.0.1:/': bad port ''");
    url_fails("http://127.0.0.1:0", "url 'http://127.0.0.1:0': bad port '0'");
    url_fails("http://127.0.0.1:-1", "url 'http://127.0.0.1:-1': bad port '-1'");
    url_fails("tcp://127.0.0.1", "url 'tcp://127.0.0.1': tcp needs a port");
    url_fails("tcp://127.0.0.1:80/x", "url 'tcp://127.0.0.1:80/x': tcp takes no path");
    url_fails("http://[::1:80/", "url 'http://[::1:80/': missing ']' after the IPv6 address");
    url_fails("http://::1:80/", "url 'http://::1:80/': an IPv6 address needs brackets: [addr]:port");
    url_fails("http://[127.0.0.1]:80/", "url 'http://[127.0.0.1]:80/': bad IPv6 address '127.0.0.1'");
    url_fails("http://[::1]x/", "url 'http://[::1]x/': bad host '[::1]x'");
    url_fails("http://user@127.0.0.1/", "url 'http://user@127.0.0.1/': bad host 'user@127.0.0.1'");
    url_fails("http://127.0.0.1/a b", "url 'http://127.0.0.1/a b': bad character in the path");
    memcpy(longhost, "http://", 7);
    memset(longhost + 7, 'a', 300);
    longhost[307] = '\0';
    {
        struct target_url u;
        struct err e = {0};
        cr_assert_eq(target_url_parse(longhost, &u, &e), -1);
        cr_assert(strstr(e.msg, "': host too long") != NULL, "%s", e.msg);
    }
}

Test(url, unresolved)
{
    struct target_url u;
    struct err e = {0};
    const char *want = "url 'http://[::zz]:80/': cannot resolve '::zz': ";

    cr_assert_eq(target_url_parse("http://[::zz]:80/", &u, &e), -1);
    cr_assert_eq(strncmp(e.msg, want, strlen(want)), 0, "%s", e.msg);
    cr_assert_gt(strlen(e.msg), strlen(want));
}
