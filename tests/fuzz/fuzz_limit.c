/* fuzz_limit.c: limit expressions ('latency.p99 < 50ms', 'errors.rate <
 * 0.1%') and the durations, counts and percentages of the command line. */
#include "fuzz.h"

#include "harness/lib/fmt.h"
#include "harness/result/limit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    struct limit l;
    struct err e = {0};
    uint64_t ns;
    unsigned long long n;
    double f;

    if (!s)
        return 0;
    if (limit_parse(s, &l, &e) == 0)
        limit_free(&l);
    fmt_parse_duration(s, &ns);
    fmt_parse_count(s, &n);
    fmt_parse_percent(s, &f);
    free(s);
    return 0;
}
