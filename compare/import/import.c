/*
 * import.c: reading a result file of any supported tool (import.h).  The
 * file is read and parsed as result_load does it (same messages for a
 * missing, empty or malformed file), the format is told from the shape of
 * the document, and the converter of that format fills the result.
 *
 * Detection, first match wins:
 *   pacer      an object with a "schema" string and a "context"
 *   gbench     an object without "schema" whose "benchmarks" array has an
 *              entry with "run_name" or "real_time" (or is empty, beside a
 *              "context" object: then the converter says "no benchmarks")
 *   hyperfine  an object whose "results" array has an entry with "times"
 *              or "command" (or is empty)
 *   pytest-benchmark  an object whose "benchmarks" array has an entry with
 *              "stats" and "fullname" (or is empty, beside a "machine_info"
 *              object)
 * Anything else: "path: not a pacer, Google Benchmark, hyperfine or
 * pytest-benchmark result".
 */
#include "import.h"

#include <stdlib.h>
#include <string.h>

#include "harness/result/jsonparse.h"
#include "harness/result/jsonread.h"
#include "harness/result/result_json.h"
#include "import_private.h"

/* Whether some object entry of array a has key k1 or k2. */
static int any_entry_has(const json_t *a, const char *k1, const char *k2)
{
    size_t i;

    for (i = 0; i < json_array_size(a); i++) {
        const json_t *v = json_array_get(a, i);

        if (json_is_object(v) && (json_object_get(v, k1) || json_object_get(v, k2)))
            return 1;
    }
    return 0;
}

static int is_pacer(const json_t *root)
{
    return json_is_string(json_object_get(root, "schema")) &&
           json_object_get(root, "context") != NULL;
}

static int is_gbench(const json_t *root)
{
    const json_t *a = json_object_get(root, "benchmarks");

    if (json_object_get(root, "schema") || !json_is_array(a))
        return 0;
    if (json_array_size(a) == 0)
        return json_is_object(json_object_get(root, "context"));
    return any_entry_has(a, "run_name", "real_time");
}

static int is_hyperfine(const json_t *root)
{
    const json_t *a = json_object_get(root, "results");

    if (!json_is_array(a))
        return 0;
    return json_array_size(a) == 0 || any_entry_has(a, "times", "command");
}

static int is_pytestbench(const json_t *root)
{
    const json_t *a = json_object_get(root, "benchmarks");
    size_t i;

    if (json_object_get(root, "schema") || !json_is_array(a))
        return 0;
    if (json_array_size(a) == 0)
        return json_is_object(json_object_get(root, "machine_info"));
    for (i = 0; i < json_array_size(a); i++) {
        const json_t *v = json_array_get(a, i);

        if (json_is_object(v) && json_object_get(v, "stats") && json_object_get(v, "fullname"))
            return 1;
    }
    return 0;
}

static int convert_pytestbench(const json_t *root, const char *name, const struct import_opts *io,
                               struct result *out, struct err *e)
{
    (void)io;
    return import_pytestbench(root, name, out, e);
}

static int convert_pacer(const json_t *root, const char *name, const struct import_opts *io,
                         struct result *out, struct err *e)
{
    return result_from_json_with(root, name, io && io->no_stats ? RESULT_NO_STATS : 0, out, e);
}

static int convert_gbench(const json_t *root, const char *name, const struct import_opts *io,
                          struct result *out, struct err *e)
{
    return import_gbench_with(root, name, io, out, e);
}

/* One row per format: how to recognise it and how to convert it. */
static const struct importer {
    enum import_format fmt;
    const char *name;
    int (*detect)(const json_t *root);
    int (*convert)(const json_t *root, const char *name, const struct import_opts *io,
                   struct result *out, struct err *e);
} importers[] = {
    {IMPORT_PACER, "pacer", is_pacer, convert_pacer},
    {IMPORT_GBENCH, "gbench", is_gbench, convert_gbench},
    {IMPORT_HYPERFINE, "hyperfine", is_hyperfine, import_hyperfine_with},
    {IMPORT_PYTESTBENCH, "pytest-benchmark", is_pytestbench, convert_pytestbench},
};
#define NIMPORTERS (sizeof importers / sizeof importers[0])

static const struct importer *importer_of(enum import_format f)
{
    size_t i;

    for (i = 0; i < NIMPORTERS; i++)
        if (importers[i].fmt == f)
            return &importers[i];
    return NULL;
}

char *import_suite_of(const char *path)
{
    const char *base = strrchr(path, '/'), *dot;

    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    if (!dot || dot == base)
        return strdup(base);
    return strndup(base, (size_t)(dot - base));
}

const char *import_format_name(enum import_format f)
{
    const struct importer *im = importer_of(f);

    return im ? im->name : "unknown";
}

int import_detect(const json_t *root, enum import_format *fmt)
{
    size_t i;

    if (!json_is_object(root))
        return -1;
    for (i = 0; i < NIMPORTERS; i++) {
        if (importers[i].detect(root)) {
            *fmt = importers[i].fmt;
            return 0;
        }
    }
    return -1;
}

int import_load(const char *path, struct result *out, enum import_format *fmt, struct err *e)
{
    return import_load_with(path, NULL, out, fmt, e);
}

int import_load_with(const char *path, const struct import_opts *io, struct result *out,
                     enum import_format *fmt, struct err *e)
{
    const struct importer *im;
    enum import_format f;
    struct jr_arena arena = {0};
    json_t *root;
    char *buf;
    size_t len;
    int rc;

    result_init(out);
    if (jr_read_file(path, &buf, &len, e) < 0)
        return -1;
    /* a large Google Benchmark file is read without its tree */
    if (import_gbench_lean(buf, len, path, io, out) == 0) {
        free(buf);
        if (fmt)
            *fmt = IMPORT_GBENCH;
        return 0;
    }
    /* the document only lives for the conversion, which copies what it
     * keeps: all of it in one arena, freed at once */
    root = jr_load_buf_arena(path, buf, len, &arena,
                             io && io->no_stats ? JP_NO_BENCH_STATS : 0, e);
    free(buf);
    if (!root) {
        jr_arena_free(&arena);
        return -1;
    }
    if (import_detect(root, &f) < 0) {
        jr_arena_free(&arena);
        return err_set(e, "%s: not a pacer, Google Benchmark, hyperfine or pytest-benchmark "
                             "result", path);
    }
    if (fmt)
        *fmt = f;   /* also when the conversion fails: the format is known */
    im = importer_of(f);
    rc = im->convert(root, path, io, out, e);
    jr_arena_free(&arena);
    return rc;
}
