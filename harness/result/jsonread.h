/*
 * jsonread.h: reading JSON files with one-line errors that name the file,
 * the JSON path and the cause ("results/a.json: benchmarks[3].samples:
 * expected array, got string").  Shared by the result reader and the
 * importers of other tools' files.
 */
#ifndef PACER_JSONREAD_H
#define PACER_JSONREAD_H

#include <stddef.h>

#include <jansson.h>

#include "harness/lib/err.h"

#define JR_PATH_LEN 512    /* a JSON path in a message (longer ones are cut) */
#define JR_QUOTE_MAX 64    /* bytes of a file's string quoted in a message */
#define JR_QUOTE_BUF (JR_QUOTE_MAX * 4 + 16)   /* room for JR_QUOTE_MAX escaped bytes */

/* What is being read: the file's name (first in every message) and where
 * the error goes. */
struct jr {
    const char *name;
    struct err *e;
};

/* A JSON path into buf (JR_PATH_LEN bytes), cut when longer. */
void jr_pathf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "parent.key", or "key" at the root (parent ""); "parent[i]". */
const char *jr_join(char *buf, const char *parent, const char *key);
const char *jr_index(char *buf, const char *parent, size_t i);

/* jansson's type of v as a word ("object", ... "nothing" for NULL). */
const char *jr_type(const json_t *v);
/* Record "name: path: cause" in rd->e; return -1. */
int jr_fail(const struct jr *rd, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "expected WHAT, got TYPE". */
int jr_expected(const struct jr *rd, const char *path, const char *what, const json_t *v);
int jr_oom(const struct jr *rd);
/* s for a one-line message: quoted, control characters escaped, cut after
 * JR_QUOTE_MAX bytes (never inside a UTF-8 sequence). */
const char *jr_quote(char *buf, size_t size, const char *s);

/* The whole file into a new buffer (free it): "path: cannot open: cause",
 * "path: cannot read: cause". */
int jr_read_file(const char *path, char **buf, size_t *len, struct err *e);

/* Read and parse a whole file (any root, duplicate keys refused): the
 * document, or NULL with "path: cannot open: ...", "path: empty file" or
 * "path: line L column C: <jansson's text>" in e. */
json_t *jr_load(const char *path, struct err *e);

/* s is the canonical decimal text of a long long (what "%lld" prints):
 * 1 with *v set, else 0. */
int jr_parse_int(const char *s, long long *v);

/* The known name nearest to s (edit distance at most 2), or NULL: the
 * "did you mean" of an unknown field or name. */
const char *jr_suggest(const char *s, const char *const *known);

#endif
