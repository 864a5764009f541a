/* fuzz_suite.c: suite files (micro, command and load scenarios, targets,
 * thresholds) on any file; nothing is run. */
#include "fuzz.h"

#include "harness/run/suite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct suite s;
    struct err e = {0};
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof path);

    if (fd < 0)
        return 0;
    suite_load(path, &s, &e);
    suite_free(&s);
    close(fd);
    return 0;
}
