/*
 * jsonread.h: reading JSON files with one-line errors that name the file,
 * the JSON path and the cause ("results/a.json: benchmarks[3].samples:
 * expected array, got string").  Shared by the result reader and the
 * importers of other tools' files.
 */
#ifndef PACER_JSONREAD_H
#define PACER_JSONREAD_H

#include <stddef.h>
#include <stdint.h>

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
    unsigned flags;            /* the reader's own (result_read.c: RESULT_NO_STATS) */
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

/* The whole file into a new buffer (free it), NUL-terminated after its
 * len bytes: "path: cannot open: cause", "path: cannot read: cause". */
int jr_read_file(const char *path, char **buf, size_t *len, struct err *e);

/* Read and parse a whole file (any root, duplicate keys refused): the
 * document, or NULL with "path: cannot open: ...", "path: empty file" or
 * "path: line L column C: <jansson's text>" in e. */
json_t *jr_load(const char *path, struct err *e);
/* The same on the text of path already read (jr_read_file). */
json_t *jr_load_buf(const char *path, const char *buf, size_t len, struct err *e);

/* Memory that a parsed document lives in (jr_load_arena): taken in large
 * blocks and given back at once, so that a large file costs neither a
 * malloc per value nor a free per value. */
struct jr_block;
struct jr_arena {
    struct jr_block *blocks;
};

/* jr_load, the document's values in arena a (zeroed before the first
 * use).  The document must not be freed with json_decref, nor any of its
 * values kept (copy them: jansson's constructors called after this return
 * use malloc again); jr_arena_free frees it whole.  Threads may each
 * load into their own arena at the same time.  jr_load_buf_arena's flags
 * are jp_loadb_with's (jsonparse.h: what the tree may leave out), 0 for
 * the whole document. */
json_t *jr_load_arena(const char *path, struct jr_arena *a, struct err *e);
json_t *jr_load_buf_arena(const char *path, const char *buf, size_t len, struct jr_arena *a,
                          int flags, struct err *e);
void jr_arena_free(struct jr_arena *a);

/* s is the canonical decimal text of a long long (what "%lld" prints):
 * 1 with *v set, else 0. */
int jr_parse_int(const char *s, long long *v);

/* ---- typed getters ----
 * Each reads obj[key] (its path: parent.key, for messages) into *out and
 * returns 0, also when the key is absent and not JR_REQ (or null with
 * JR_NUL: *out is then left alone, or NaN / -1 where said), or -1 with
 * "name: path: cause" recorded: missing, of the wrong type, out of range. */
#define JR_REQ 1       /* the key must be there */
#define JR_NUL 2       /* null is accepted: unknown (NULL, NaN or the default) */
#define JR_NONEMPTY 4  /* strings: not "" */
#define JR_NONNEG 8    /* numbers: >= 0 */

/* obj[key] into *v, its path into path (JR_PATH_LEN bytes).  1 when there
 * is a value to read, 0 when it is absent (not JR_REQ) or null (with
 * JR_NUL: *v is then the null), -1 after recording "missing". */
int jr_member(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
              int flags, const json_t **v, char *path);
/* The string, borrowed from the document (valid as long as obj). */
int jr_get_cstr(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                int flags, const char **out);
/* A new copy of the string. */
int jr_get_str(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, char **out);
/* An integer in [lo, hi]; the next three narrow it ([lo, LLONG_MAX],
 * [lo, UINT_MAX], [0, LLONG_MAX]). */
int jr_get_int(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, long long lo, long long hi, long long *out);
int jr_get_u64(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, long long lo, uint64_t *out);
int jr_get_uint(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                int flags, long long lo, unsigned *out);
int jr_get_size(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                int flags, size_t *out);
/* A finite integer or real (>= 0 with JR_NONNEG); null (JR_NUL) reads NaN. */
int jr_get_num(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, double *out);
/* true / false into 1 / 0; null (JR_NUL) reads -1. */
int jr_get_bool(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                int flags, int *out);
/* The same checks on a value already found at path (an element of an
 * array): NULL is "missing"; null with JR_NUL returns 0 (*out is left
 * alone by jr_int, NaN from jr_num). */
int jr_int(const struct jr *rd, const json_t *v, const char *path, int flags, long long lo,
           long long hi, long long *out);
int jr_num(const struct jr *rd, const json_t *v, const char *path, int flags, double *out);
/* The object (or array) itself, borrowed; NULL when absent or null. */
int jr_get_container(const struct jr *rd, const json_t *obj, const char *parent,
                     const char *key, int flags, int is_array, const json_t **out);
int jr_get_obj(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, const json_t **out);
int jr_get_arr(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, const json_t **out);

/* The known name nearest to s (edit distance at most 2), or NULL: the
 * "did you mean" of an unknown field or name. */
const char *jr_suggest(const char *s, const char *const *known);

#endif
