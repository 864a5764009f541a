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
 * Anything else: "path: not a pacer, Google Benchmark or hyperfine result".
 */
#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result_json.h"

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

/* One row per format: how to recognise it and how to convert it. */
static const struct importer {
    enum import_format fmt;
    const char *name;
    int (*detect)(const json_t *root);
    int (*convert)(const json_t *root, const char *name, struct result *out, struct err *e);
} importers[] = {
    {IMPORT_PACER, "pacer", is_pacer, result_from_json},
    {IMPORT_GBENCH, "gbench", is_gbench, import_gbench},
    {IMPORT_HYPERFINE, "hyperfine", is_hyperfine, import_hyperfine},
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

/* The whole file into a new buffer *buf of *len bytes; the messages of
 * result_load. */
static int read_file(const char *path, char **buf, size_t *len, struct err *e)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 0, n = 0, got;
    char *b = NULL, *nb;

    *buf = NULL;
    *len = 0;
    if (!f)
        return err_set(e, "%s: cannot open: %s", path, strerror(errno));
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            nb = realloc(b, cap);
            if (!nb) {
                free(b);
                fclose(f);
                return err_set(e, "%s: out of memory", path);
            }
            b = nb;
        }
        got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int saved = errno;

        free(b);
        fclose(f);
        return err_set(e, "%s: cannot read: %s", path, strerror(saved));
    }
    fclose(f);
    *buf = b;
    *len = n;
    return 0;
}

int import_load(const char *path, struct result *out, enum import_format *fmt, struct err *e)
{
    const struct importer *im;
    enum import_format f;
    json_error_t je;
    json_t *root;
    char *buf;
    size_t len, i;
    int rc;

    result_init(out);
    if (read_file(path, &buf, &len, e) < 0)
        return -1;
    for (i = 0; i < len && buf[i] && strchr(" \t\r\n", buf[i]); i++)
        ;
    if (i == len) {
        free(buf);
        return err_set(e, "%s: empty file", path);
    }
    root = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    free(buf);
    if (!root)
        return err_set(e, "%s: line %d column %d: %s", path, je.line, je.column, je.text);
    if (import_detect(root, &f) < 0) {
        json_decref(root);
        return err_set(e, "%s: not a pacer, Google Benchmark or hyperfine result", path);
    }
    if (fmt)
        *fmt = f;   /* also when the conversion fails: the format is known */
    im = importer_of(f);
    rc = im->convert(root, path, out, e);
    json_decref(root);
    return rc;
}
