/* fuzz_policy.c: compare's policy files (thresholds, options by name) on
 * any file. */
#include "fuzz.h"

#include "compare/compare.h"
#include "compare/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct compare_opts o;
    struct err e = {0};
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof path);

    if (fd < 0)
        return 0;
    compare_opts_default(&o);
    policy_load(path, &o, 0, 0, &e);
    compare_opts_free(&o);
    close(fd);
    return 0;
}
