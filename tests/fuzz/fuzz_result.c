/* fuzz_result.c: pacer's result reader (result_load) on any file. */
#include "fuzz.h"

#include "harness/result/result.h"
#include "harness/result/result_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct result r;
    struct err e = {0};
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof path);

    if (fd < 0)
        return 0;
    result_load(path, &r, &e);
    result_free(&r);   /* also after a failure, as result_load asks */
    close(fd);
    return 0;
}
