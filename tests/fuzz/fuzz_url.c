/* fuzz_url.c: target URLs (http://HOST:PORT/PATH, tcp://HOST:PORT). */
#include "fuzz.h"

#include "harness/load/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    struct target_url u;
    struct err e = {0};

    if (!s)
        return 0;
    target_url_parse(s, &u, &e);
    free(s);
    return 0;
}
