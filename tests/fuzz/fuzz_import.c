/* fuzz_import.c: the importers (pacer, Google Benchmark and hyperfine
 * files, told apart by import_detect) on any file. */
#include "fuzz.h"

#include "compare/import/import.h"
#include "harness/result/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct result r;
    struct err e = {0};
    enum import_format fmt;
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof path);

    if (fd < 0)
        return 0;
    import_load(path, &r, &fmt, &e);
    result_free(&r);
    close(fd);
    return 0;
}
