/* jsonread.c: reading JSON with one-line errors (jsonread.h). */
#include "jsonread.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "jsonparse.h"

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
        return "number";
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
/* s appended at *at, cut where buf (JR_PATH_LEN bytes) ends, as
 * jr_pathf cuts. */
static void path_put(char *buf, size_t *at, const char *s)
{
    size_t n = strlen(s), room = JR_PATH_LEN - 1 - *at;

    if (n > room)
        n = room;
    memmove(buf + *at, s, n);
    *at += n;
}

/* Every member read makes its path: joined by hand, not by a vsnprintf. */
const char *jr_join(char *buf, const char *parent, const char *key)
{
    size_t at = 0;

    if (*parent) {
        path_put(buf, &at, parent);
        path_put(buf, &at, ".");
    }
    path_put(buf, &at, key);
    buf[at] = '\0';
    return buf;
}

const char *jr_index(char *buf, const char *parent, size_t i)
{
    jr_pathf(buf, "%s[%zu]", parent, i);
    return buf;
}

#define JR_HUGE_FILE (8u << 20)

/* A buffer for a file of size bytes: one the size of a regular file and
 * its NUL (a larger file would otherwise grow it by copies, each a remap
 * of the kernel's), in huge pages when large (a fault per 2 MiB rather
 * than per 4 KiB as the read fills it). */
static char *file_buffer(FILE *f, size_t *cap)
{
    struct stat st;
    char *b;

    *cap = 65536;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size < SIZE_MAX / 2)
        *cap = (size_t)st.st_size + 1;
    if (!(b = malloc(*cap)))
        return NULL;
    if (*cap >= JR_HUGE_FILE) {
        uintptr_t lo = ((uintptr_t)b + 4095) & ~(uintptr_t)4095;
        uintptr_t hi = ((uintptr_t)b + *cap) & ~(uintptr_t)4095;

        if (hi > lo)
            madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
    return b;
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
    if (!(b = file_buffer(f, &cap))) {
        fclose(f);
        return err_set(e, "%s: out of memory", path);
    }
    for (;;) {
        if (n == cap) {
            cap *= 2;
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
    b[n] = '\0';   /* the loop always leaves room: it grows the buffer before a read */
    *buf = b;
    *len = n;
    return 0;
}

#define JR_BLOCK_MIN (64u << 10)   /* the first block; each next one twice as big */
#define JR_BLOCK_MAX (4u << 20)
#define JR_HUGE (2u << 20)         /* a huge page of x86-64 */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23     /* <sys/mman.h> of glibc before 2.35 */
#endif

struct jr_block {
    struct jr_block *next;
    size_t used, cap;
    max_align_t data[];
};

/* The arena of the parse under way in this thread, NULL outside one:
 * jansson's allocator is global, so it is set once to functions that look
 * here (each thread parses into its own arena, and everything else uses
 * malloc and free as before). */
static _Thread_local struct jr_arena *arena_now;

static void *arena_malloc(size_t n)
{
    struct jr_arena *a = arena_now;
    struct jr_block *b = a->blocks;
    size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    void *p;

    if (!b || b->cap - b->used < need) {
        size_t cap = b ? (b->cap < JR_BLOCK_MAX ? 2 * b->cap : JR_BLOCK_MAX) : JR_BLOCK_MIN;
        void *m = NULL;

        if (cap < need)
            cap = need;
        /* a small file takes a small block; a large one's blocks grow to
         * huge pages, mapped, advised so and filled at once: its tree then
         * costs one fault per 2 MiB rather than one per 4 KiB touched (on
         * a virtual machine a fault costs microseconds) */
        if (cap >= JR_HUGE) {
            m = mmap(NULL, sizeof *b + cap, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (m == MAP_FAILED)
                return NULL;
            madvise(m, sizeof *b + cap, MADV_HUGEPAGE);
            madvise(m, sizeof *b + cap, MADV_POPULATE_WRITE);   /* from Linux 5.14 */
        } else if (!(m = malloc(sizeof *b + cap))) {
            return NULL;
        }
        b = m;
        b->used = 0;
        b->cap = cap;
        b->next = a->blocks;
        a->blocks = b;
    }
    p = (char *)b->data + b->used;
    b->used += need;
    return p;
}

static void *jr_malloc(size_t n)
{
    return arena_now ? arena_malloc(n) : malloc(n);
}

static void jr_free(void *p)
{
    if (!arena_now)
        free(p);   /* in an arena: all at once, in jr_arena_free */
}

static void set_alloc(void)
{
    json_set_alloc_funcs(jr_malloc, jr_free);
}

json_t *jr_load_arena(const char *path, struct jr_arena *a, struct err *e)
{
    json_t *root;
    char *buf;
    size_t len;

    if (jr_read_file(path, &buf, &len, e) < 0)
        return NULL;
    root = jr_load_buf_arena(path, buf, len, a, 0, e);
    free(buf);
    return root;
}

static json_t *load_buf(const char *path, const char *buf, size_t len, int flags,
                        struct err *e);

json_t *jr_load_buf_arena(const char *path, const char *buf, size_t len, struct jr_arena *a,
                          int flags, struct err *e)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    json_t *root;

    pthread_once(&once, set_alloc);
    arena_now = a;
    root = load_buf(path, buf, len, flags, e);
    arena_now = NULL;
    return root;
}

void jr_arena_free(struct jr_arena *a)
{
    while (a->blocks) {
        struct jr_block *next = a->blocks->next;
        if (a->blocks->cap >= JR_HUGE)
            munmap(a->blocks, sizeof *a->blocks + a->blocks->cap);
        else
            free(a->blocks);
        a->blocks = next;
    }
}

json_t *jr_load(const char *path, struct err *e)
{
    json_t *root;
    char *buf;
    size_t len;

    if (jr_read_file(path, &buf, &len, e) < 0)
        return NULL;
    root = jr_load_buf(path, buf, len, e);
    free(buf);
    return root;
}

json_t *jr_load_buf(const char *path, const char *buf, size_t len, struct err *e)
{
    return load_buf(path, buf, len, 0, e);
}

static json_t *load_buf(const char *path, const char *buf, size_t len, int flags,
                        struct err *e)
{
    json_error_t je;
    json_t *root;
    size_t i;

    for (i = 0; i < len && buf[i] && strchr(" \t\r\n", buf[i]); i++)
        ;
    if (i == len) {
        err_set(e, "%s: empty file", path);
        return NULL;
    }
    /* any root, so that "$: expected object" can name what it got;
     * duplicate keys make a file ambiguous.  The faster parser takes what
     * it can; jansson the rest, and words every error. */
    root = jp_loadb_with(buf, len, flags);
    if (!root)
        root = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
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

/* ---- typed getters ----------------------------------------------------------- */

/* obj[key] into *v, its path into path.  Returns 1 when there is a value
 * to read, 0 when it is absent (optional) or null (with JR_NUL; *v is then
 * the null), -1 after recording "missing". */
int jr_member(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
              int flags, const json_t **v, char *path)
{
    jr_join(path, parent, key);
    *v = json_object_get(obj, key);
    if (!*v)
        return (flags & JR_REQ) ? jr_fail(rd, path, "missing") : 0;
    if (json_is_null(*v) && (flags & JR_NUL))
        return 0;
    return 1;
}

/* The string obj[key] itself into *out, borrowed from the document (left
 * alone when absent or null). */
int jr_get_cstr(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                int flags, const char **out)
{
    char path[JR_PATH_LEN];
    const json_t *v;
    int rc = jr_member(rd, obj, parent, key, flags, &v, path);

    if (rc <= 0)
        return rc;
    if (!json_is_string(v))
        return jr_expected(rd, path, (flags & JR_NUL) ? "string or null" : "string", v);
    if ((flags & JR_NONEMPTY) && json_string_length(v) == 0)
        return jr_fail(rd, path, "expected a non-empty string");
    *out = json_string_value(v);
    return 0;
}

/* A new copy of the string obj[key] into *out (left alone when absent or
 * null). */
int jr_get_str(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, char **out)
{
    const char *s = NULL;

    if (jr_get_cstr(rd, obj, parent, key, flags, &s) < 0)
        return -1;
    if (!s)
        return 0;
    *out = strdup(s);
    return *out ? 0 : jr_oom(rd);
}

int jr_get_int(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, long long lo, long long hi, long long *out)
{
    char path[JR_PATH_LEN];
    const json_t *v;
    int rc = jr_member(rd, obj, parent, key, flags, &v, path);

    if (rc <= 0)
        return rc;
    return jr_int(rd, v, path, flags, lo, hi, out);
}

int jr_int(const struct jr *rd, const json_t *v, const char *path, int flags, long long lo,
           long long hi, long long *out)
{
    long long x;

    if (!v)
        return jr_fail(rd, path, "missing");
    if (json_is_null(v) && (flags & JR_NUL))
        return 0;
    if (!json_is_integer(v))
        return jr_expected(rd, path, (flags & JR_NUL) ? "integer or null" : "integer", v);
    x = json_integer_value(v);
    if (x < lo || x > hi) {
        if (hi == LLONG_MAX)
            return jr_fail(rd, path, "expected an integer >= %lld, got %lld", lo, x);
        return jr_fail(rd, path, "expected an integer from %lld to %lld, got %lld", lo, hi, x);
    }
    *out = x;
    return 0;
}

int jr_get_u64(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, long long lo, uint64_t *out)
{
    long long x = (long long)*out;

    if (jr_get_int(rd, obj, parent, key, flags, lo, LLONG_MAX, &x) < 0)
        return -1;
    *out = (uint64_t)x;
    return 0;
}

int jr_get_uint(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                int flags, long long lo, unsigned *out)
{
    long long x = *out;

    if (jr_get_int(rd, obj, parent, key, flags, lo, UINT_MAX, &x) < 0)
        return -1;
    *out = (unsigned)x;
    return 0;
}

int jr_get_size(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                int flags, size_t *out)
{
    long long x = (long long)*out;

    if (jr_get_int(rd, obj, parent, key, flags, 0, LLONG_MAX, &x) < 0)
        return -1;
    *out = (size_t)x;
    return 0;
}

/* An integer or a real into *out; null (with JR_NUL) reads as NaN. */
int jr_get_num(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, double *out)
{
    char path[JR_PATH_LEN];
    const json_t *v;
    int rc = jr_member(rd, obj, parent, key, flags, &v, path);

    if (rc < 0 || !v)
        return rc;
    return jr_num(rd, v, path, flags, out);
}

int jr_num(const struct jr *rd, const json_t *v, const char *path, int flags, double *out)
{
    double x;

    if (!v)
        return jr_fail(rd, path, "missing");
    if (json_is_null(v) && (flags & JR_NUL)) {
        *out = NAN;
        return 0;
    }
    if (!json_is_number(v))
        return jr_expected(rd, path, (flags & JR_NUL) ? "number or null" : "number", v);
    x = json_number_value(v);
    if (!isfinite(x))
        return jr_fail(rd, path, "expected a finite number");
    if ((flags & JR_NONNEG) && x < 0)
        return jr_fail(rd, path, "expected a number >= 0, got %g", x);
    *out = x;
    return 0;
}

/* true / false into 1 / 0; null (with JR_NUL) reads as -1. */
int jr_get_bool(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
                int flags, int *out)
{
    char path[JR_PATH_LEN];
    const json_t *v;
    int rc = jr_member(rd, obj, parent, key, flags, &v, path);

    if (rc <= 0) {
        if (rc == 0 && v)
            *out = -1;
        return rc;
    }
    if (!json_is_boolean(v))
        return jr_expected(rd, path, (flags & JR_NUL) ? "boolean or null" : "boolean", v);
    *out = json_is_true(v);
    return 0;
}

/* The object (or array, with is_array) obj[key] into *out; NULL when
 * absent or null. */
int jr_get_container(const struct jr *rd, const json_t *obj, const char *parent,
                     const char *key, int flags, int is_array, const json_t **out)
{
    char path[JR_PATH_LEN];
    const json_t *v;
    int rc = jr_member(rd, obj, parent, key, flags, &v, path);

    *out = NULL;
    if (rc <= 0)
        return rc;
    if (is_array ? !json_is_array(v) : !json_is_object(v)) {
        const char *what = is_array ? ((flags & JR_NUL) ? "array or null" : "array")
                                    : ((flags & JR_NUL) ? "object or null" : "object");
        return jr_expected(rd, path, what, v);
    }
    *out = v;
    return 0;
}

int jr_get_obj(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, const json_t **out)
{
    return jr_get_container(rd, obj, parent, key, flags, 0, out);
}

int jr_get_arr(const struct jr *rd, const json_t *obj, const char *parent, const char *key,
               int flags, const json_t **out)
{
    return jr_get_container(rd, obj, parent, key, flags, 1, out);
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
