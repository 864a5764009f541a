/* jsonread.c: reading JSON with one-line errors (jsonread.h). */
#include "jsonread.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JSON path into buf (JR_PATH_LEN bytes), cut when longer: paths only
 * ever appear in messages. */
void jr_pathf(char *buf, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, JR_PATH_LEN, fmt, ap);
    va_end(ap);
}

const char *jr_type(const json_t *v)
{
    if (!v)
        return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "real";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "unknown";
}

/* Record "name: path: cause"; returns -1. */
int jr_fail(const struct jr *rd, const char *path, const char *fmt, ...)
{
    char msg[ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(rd->e, "%s: %s: %s", rd->name, path, msg);
}

int jr_expected(const struct jr *rd, const char *path, const char *what, const json_t *v)
{
    return jr_fail(rd, path, "expected %s, got %s", what, jr_type(v));
}

int jr_oom(const struct jr *rd)
{
    return err_set(rd->e, "%s: out of memory", rd->name);
}

/* s for a one-line message: quoted, control characters escaped, cut
 * after JR_QUOTE_MAX bytes (never inside a UTF-8 sequence). */
const char *jr_quote(char *buf, size_t size, const char *s)
{
    size_t o = 0, i;

    buf[o++] = '"';
    for (i = 0; s[i] && o + 8 < size; i++) {
        unsigned char c = (unsigned char)s[i];

        if (i >= JR_QUOTE_MAX && (c & 0xc0) != 0x80) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

/* "parent.key", or "key" at the root (parent ""). */
const char *jr_join(char *buf, const char *parent, const char *key)
{
    if (*parent)
        jr_pathf(buf, "%s.%s", parent, key);
    else
        jr_pathf(buf, "%s", key);
    return buf;
}

const char *jr_index(char *buf, const char *parent, size_t i)
{
    jr_pathf(buf, "%s[%zu]", parent, i);
    return buf;
}

/* The whole file into a new buffer *buf of *len bytes. */
int jr_read_file(const char *path, char **buf, size_t *len, struct err *e)
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


json_t *jr_load(const char *path, struct err *e)
{
    json_error_t je;
    json_t *root;
    char *buf;
    size_t len, i;

    if (jr_read_file(path, &buf, &len, e) < 0)
        return NULL;
    for (i = 0; i < len && buf[i] && strchr(" \t\r\n", buf[i]); i++)
        ;
    if (i == len) {
        free(buf);
        err_set(e, "%s: empty file", path);
        return NULL;
    }
    /* any root, so that "$: expected object" can name what it got;
     * duplicate keys make a file ambiguous */
    root = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    free(buf);
    if (!root)
        err_set(e, "%s: line %d column %d: %s", path, je.line, je.column, je.text);
    return root;
}

int jr_parse_int(const char *s, long long *v)
{
    char back[32];
    char *end;

    if (!*s)
        return 0;
    *v = strtoll(s, &end, 10);
    if (*end)
        return 0;
    snprintf(back, sizeof back, "%lld", *v);
    return strcmp(back, s) == 0;
}

/* ---- suggestions ------------------------------------------------------------ */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, prev[64], cur[64];

    if (la >= 63 || lb >= 63)
        return 99;
    for (j = 0; j <= lb; j++)
        prev[j] = j;
    for (i = 1; i <= la; i++) {
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof cur[0]);
    }
    return prev[lb];
}

const char *jr_suggest(const char *s, const char *const *known)
{
    const char *best = NULL;
    size_t bd = 3, d;

    for (; *known; known++)
        if ((d = edit_distance(s, *known)) < bd) {
            bd = d;
            best = *known;
        }
    return best;
}
