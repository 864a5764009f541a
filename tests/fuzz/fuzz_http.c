/* fuzz_http.c: the HTTP/1.1 response parser of the load generator, fed
 * the input in pieces (the first byte picks where it is cut, as reads cut
 * a stream), responses after responses, then the end of the stream. */
#include "fuzz.h"

#include "harness/load/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_parser p;
    size_t cut, off = 0, used, rounds = 0;
    int head;

    if (size < 2)
        return 0;
    cut = (size_t)data[0] + 1;
    head = data[1] & 1;
    data += 2;
    size -= 2;
    http_parser_init(&p, head, 4096);
    /* parse.h: MORE takes every byte given, DONE at most those */
    while (off < size) {
        size_t len = size - off < cut ? size - off : cut;
        enum parse_status st = http_parse(&p, (const char *)data + off, len, &used);

        if (st == PARSE_ERROR)
            return 0;
        if (used > len || (st == PARSE_MORE && used != len) || ++rounds > 2 * size + 8)
            abort();
        off += used;
        if (st == PARSE_DONE)
            http_parser_init(&p, head, 4096);
    }
    http_parse_eof(&p);
    return 0;
}
