/* fuzz_frame.c: the raw-TCP framer: its spec (length:N, delim:TEXT) from
 * the input's first line, then the rest fed to it in pieces of the size
 * its first byte picks. */
#include "fuzz.h"

#include "harness/load/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    struct framer f;
    struct err e = {0};
    char *spec;
    size_t off, used, cut, rounds = 0;

    if (!nl)
        return 0;
    spec = fuzz_string(data, (size_t)(nl - data));
    if (!spec)
        return 0;
    if (framer_parse(spec, &f, &e) < 0) {
        free(spec);
        return 0;
    }
    off = (size_t)(nl - data) + 1;
    cut = off < size ? (size_t)data[off] % 64 + 1 : 1;
    framer_reset(&f);
    /* parse.h: MORE takes every byte given, DONE at most those */
    while (off < size) {
        size_t len = size - off < cut ? size - off : cut;
        enum parse_status st = framer_feed(&f, (const char *)data + off, len, &used);

        if (st == PARSE_ERROR)
            break;
        if (used > len || (st == PARSE_MORE && used != len) || ++rounds > 2 * size + 8)
            abort();
        off += used;
        if (st == PARSE_DONE)
            framer_reset(&f);
    }
    free(spec);
    return 0;
}
