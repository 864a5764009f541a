/* fuzz_import.c: the importers (pacer, Google Benchmark, hyperfine and
 * pytest-benchmark files, told apart by import_detect) on any file, also
 * as compare reads them (no_stats: a pacer result's stored statistics
 * left out of its tree); and,
 * differentially, the lean reader of Google Benchmark files against the
 * full one: where the lean one takes an input, the full one must take it
 * too and give the same result (else abort, which libFuzzer reports as a
 * crash). */
#include "fuzz.h"

#include "compare/import/import.h"
#include "harness/result/jsonread.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"

static void lean_as_full(const char *buf, size_t len)
{
    struct result rl, rf;
    struct err e = {0};
    enum import_format f;
    json_t *root, *jl, *jf;
    int full = -1;

    result_init(&rl);
    result_init(&rf);
    if (import_gbench_lean(buf, len, "fuzz.json", NULL, &rl) < 0) {
        if (rl.nbenches)
            abort();   /* a give-up leaves nothing behind */
        return;
    }
    root = jr_load_buf("fuzz.json", buf, len, &e);
    if (root && import_detect(root, &f) == 0 && f == IMPORT_GBENCH)
        full = import_gbench_with(root, "fuzz.json", NULL, &rf, &e);
    json_decref(root);
    if (full < 0)
        abort();   /* the lean reader took what the full one refuses */
    jl = result_to_json(&rl, &e);
    jf = result_to_json(&rf, &e);
    if (!jl || !jf || !json_equal(jl, jf))
        abort();   /* the two readers differ */
    json_decref(jl);
    json_decref(jf);
    result_free(&rl);
    result_free(&rf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct result r;
    struct err e = {0};
    struct import_opts samples_only = {0, 1};
    enum import_format fmt;
    char path[64], *s;
    int fd = fuzz_file(data, size, path, sizeof path);

    if (fd < 0)
        return 0;
    import_load(path, &r, &fmt, &e);
    result_free(&r);
    e = (struct err){0};
    import_load_with(path, &samples_only, &r, &fmt, &e);
    result_free(&r);
    close(fd);
    if ((s = fuzz_string(data, size))) {
        lean_as_full(s, size);
        free(s);
    }
    return 0;
}
