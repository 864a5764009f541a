/* fuzz_trend.c: trend's lean reader of result files (with the full
 * reader behind it where the lean one gives up) on any file. */
#include "fuzz.h"

#include "compare/trend_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct trend_file f;
    struct err e = {0};
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof path);

    if (fd < 0)
        return 0;
    trend_file_init(&f);
    trend_file_read(&f, path, 0, &e);
    trend_file_free(&f);
    close(fd);
    return 0;
}
