/* fuzz_url.c: target URLs (http://HOST:PORT/PATH, tcp://HOST:PORT): the
 * split into scheme, host, port and path, then the resolution where the
 * host is an address (a name would ask the resolver, a thousand times
 * slower and not this parser's code). */
#include "fuzz.h"

#include <arpa/inet.h>

#include "harness/load/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    struct target_url u;
    struct err e = {0};
    unsigned char a[16];

    if (!s)
        return 0;
    if (target_url_split(s, &u, &e) == 0 &&
        (inet_pton(AF_INET, u.host, a) == 1 || inet_pton(AF_INET6, u.host, a) == 1))
        target_url_parse(s, &u, &e);
    free(s);
    return 0;
}
