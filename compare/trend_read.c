/*
 * trend_read.c: the fast reader of trend_read.h.  A single pass over the
 * file's bytes (RFC 8259 grammar), strings copied out only where they are
 * kept, numbers converted only where they are used.  Any doubt sends the
 * file to import_load, so every error a user sees is worded by the one
 * full reader.
 */
#include "trend_read.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare/import/import.h"
#include "harness/result/utf8.h"
#include "harness/result/version.h"

#define MAX_DEPTH 2048      /* jansson's JSON_PARSER_MAX_DEPTH */

/* The scanner: p walks a NUL-terminated buffer; strings that are kept are
 * copied into the arena (never longer than their quoted form, so an arena
 * of the file's size is enough). */
struct lean {
    const char *p, *end;
    char *arena;
    size_t alen;
};

/* Every function below returns 0, or -1 when the lean reader gives up. */
#define GIVE_UP (-1)

static void ws(struct lean *s)
{
    const char *p = s->p;

    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    s->p = p;
}

static int expect(struct lean *s, char c)
{
    ws(s);
    if (*s->p != c)
        return GIVE_UP;
    s->p++;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A string at s->p (the opening quote).  With out, its decoded text is
 * appended to the arena and *out points to it.  \u escapes of surrogates
 * and of NUL are left to the full reader. */
static int string(struct lean *s, const char **out)
{
    const unsigned char *p = (const unsigned char *)s->p;
    char *dst = out ? s->arena + s->alen : NULL;
    size_t k = 0;

    if (*p != '"')
        return GIVE_UP;
    p++;
    for (;;) {
        unsigned char c = *p;

        if (c == '"')
            break;
        if (c < 0x20)
            return GIVE_UP;   /* control character, or the end */
        if (c == '\\') {
            char d;

            switch (p[1]) {
            case '"': d = '"'; break;
            case '\\': d = '\\'; break;
            case '/': d = '/'; break;
            case 'b': d = '\b'; break;
            case 'f': d = '\f'; break;
            case 'n': d = '\n'; break;
            case 'r': d = '\r'; break;
            case 't': d = '\t'; break;
            case 'u': {
                unsigned cp = 0;
                int i, h;

                for (i = 2; i < 6; i++) {   /* stops at the NUL at the end */
                    if ((h = hexval((char)p[i])) < 0)
                        return GIVE_UP;
                    cp = cp << 4 | (unsigned)h;
                }
                if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
                    return GIVE_UP;
                if (dst) {
                    if (cp < 0x80) {
                        dst[k++] = (char)cp;
                    } else if (cp < 0x800) {
                        dst[k++] = (char)(0xc0 | cp >> 6);
                        dst[k++] = (char)(0x80 | (cp & 0x3f));
                    } else {
                        dst[k++] = (char)(0xe0 | cp >> 12);
                        dst[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
                        dst[k++] = (char)(0x80 | (cp & 0x3f));
                    }
                }
                p += 6;
                continue;
            }
            default:
                return GIVE_UP;
            }
            if (dst)
                dst[k++] = d;
            p += 2;
            continue;
        }
        if (c >= 0x80) {
            size_t n = utf8_len(p);

            if (n == 0)
                return GIVE_UP;
            if (dst)
                memcpy(dst + k, p, n);
            k += dst ? n : 0;
            p += n;
            continue;
        }
        if (dst)
            dst[k++] = (char)c;
        p++;
    }
    s->p = (const char *)p + 1;
    if (dst) {
        dst[k] = '\0';
        *out = dst;
        s->alen += k + 1;
    }
    return 0;
}

/* A number at s->p; *is_int when it has neither fraction nor exponent;
 * with v, its value (strtod: correctly rounded, as jansson reads it).
 * What jansson refuses is left to it: integers beyond long long, reals
 * beyond double (only long integers and large exponents can be). */
static int number(struct lean *s, int *is_int, double *v)
{
    const char *p = s->p, *start = p, *exp = NULL;
    int integral = 1;

    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return GIVE_UP;
    if (p - start >= 19 && *p != '.' && *p != 'e' && *p != 'E')
        return GIVE_UP;   /* an integer that may not fit */
    if (*p == '.') {
        integral = 0;
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return GIVE_UP;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        integral = 0;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return GIVE_UP;
        exp = p;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if ((exp && (p - exp > 2 || p - start > 24)) && !isfinite(strtod(start, NULL)))
        return GIVE_UP;
    s->p = p;
    if (is_int)
        *is_int = integral;
    if (v) {
        *v = strtod(start, NULL);
        if (!isfinite(*v))
            return GIVE_UP;   /* out of range: the full reader words it */
    }
    return 0;
}

static int literal(struct lean *s, const char *word)
{
    size_t n = strlen(word);

    if (strncmp(s->p, word, n) != 0)
        return GIVE_UP;
    s->p += n;
    return 0;
}

static int skip(struct lean *s, int depth);

/* Iterate an object: calls each(key, klen) with s->p at the value, which
 * each must consume.  Keys with escapes are decoded first.  The keys must
 * come in ascending byte order, as pacer writes them: then no key repeats
 * (jansson refuses repeated keys), and checking that costs one comparison
 * per key.  Other files go to the full reader. */
typedef int (*member_fn)(struct lean *s, const char *key, size_t klen, void *ctx, int depth);

static int object(struct lean *s, member_fn each, void *ctx, int depth)
{
    const char *prev = NULL;
    size_t plen = 0;

    if (depth > MAX_DEPTH || expect(s, '{') < 0)
        return GIVE_UP;
    ws(s);
    if (*s->p == '}') {
        s->p++;
        return 0;
    }
    for (;;) {
        const char *k, *q;
        size_t klen;
        int order;

        ws(s);
        k = s->p + 1;
        if (string(s, NULL) < 0)
            return GIVE_UP;
        klen = (size_t)(s->p - 1 - k);
        if (memchr(k, '\\', klen)) {
            /* rare: decode it into the arena (the space is given back) */
            struct lean t = *s;
            const char *dk;

            t.p = k - 1;
            if (string(&t, &dk) < 0)
                return GIVE_UP;
            k = dk;
            klen = strlen(dk);
            s->alen = t.alen;
        }
        if (prev) {
            order = memcmp(prev, k, plen < klen ? plen : klen);
            if (order > 0 || (order == 0 && plen >= klen))
                return GIVE_UP;
        }
        prev = k;
        plen = klen;
        if (expect(s, ':') < 0)
            return GIVE_UP;
        ws(s);
        q = s->p;
        if (each(s, k, klen, ctx, depth + 1) < 0)
            return GIVE_UP;
        if (s->p == q)
            return GIVE_UP;   /* each must consume the value */
        ws(s);
        if (*s->p == ',') {
            s->p++;
            continue;
        }
        if (*s->p == '}') {
            s->p++;
            return 0;
        }
        return GIVE_UP;
    }
}

static int skip_member(struct lean *s, const char *key, size_t klen, void *ctx, int depth)
{
    (void)key;
    (void)klen;
    (void)ctx;
    return skip(s, depth);
}

/* Any value, checked for syntax only. */
static int skip(struct lean *s, int depth)
{
    ws(s);
    switch (*s->p) {
    case '{':
        return object(s, skip_member, NULL, depth);
    case '[':
        if (depth > MAX_DEPTH)
            return GIVE_UP;
        s->p++;
        ws(s);
        if (*s->p == ']') {
            s->p++;
            return 0;
        }
        for (;;) {
            if (skip(s, depth + 1) < 0)
                return GIVE_UP;
            ws(s);
            if (*s->p == ',') {
                s->p++;
                continue;
            }
            if (*s->p == ']') {
                s->p++;
                return 0;
            }
            return GIVE_UP;
        }
    case '"':
        return string(s, NULL);
    case 't':
        return literal(s, "true");
    case 'f':
        return literal(s, "false");
    case 'n':
        return literal(s, "null");
    default:
        return number(s, NULL, NULL);
    }
}

static int is_null(struct lean *s)
{
    ws(s);
    if (strncmp(s->p, "null", 4) == 0) {
        s->p += 4;
        return 1;
    }
    return 0;
}

#define KEY(k) (klen == sizeof(k) - 1 && memcmp(key, k, sizeof(k) - 1) == 0)

/* Each key at most once: a repeated one makes the file ambiguous. */
static int once(unsigned *seen, unsigned bit)
{
    if (*seen & bit)
        return GIVE_UP;
    *seen |= bit;
    return 0;
}

/* ---- the pacer result ---------------------------------------------------- */

struct ctx_read {
    struct trend_file *f;
    unsigned seen;
};

static int str_or_null(struct lean *s, const char **out)
{
    if (is_null(s)) {
        *out = NULL;
        return 0;
    }
    return string(s, out);
}

static int git_member(struct lean *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct ctx_read *c = ctx;

    if (KEY("commit"))
        return once(&c->seen, 1 << 8) < 0 ? GIVE_UP : str_or_null(s, &c->f->commit);
    if (KEY("branch"))
        return once(&c->seen, 1 << 9) < 0 ? GIVE_UP : str_or_null(s, &c->f->branch);
    if (KEY("commit_time"))
        return once(&c->seen, 1 << 10) < 0 ? GIVE_UP : str_or_null(s, &c->f->commit_time);
    return skip(s, depth);
}

static int context_member(struct lean *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct ctx_read *c = ctx;

    if (KEY("time"))
        return once(&c->seen, 1) < 0 ? GIVE_UP : string(s, &c->f->time);
    if (KEY("pacer_version"))
        return once(&c->seen, 4) < 0 ? GIVE_UP : string(s, NULL);
    if (KEY("fingerprint")) {
        const char *q = s->p + 1;
        size_t i;

        if (once(&c->seen, 8) < 0 || string(s, NULL) < 0 || s->p - q != 17)
            return GIVE_UP;
        for (i = 0; i < 16; i++)
            if (hexval(q[i]) < 0)
                return GIVE_UP;
        return 0;
    }
    if (KEY("git")) {
        if (once(&c->seen, 2) < 0)
            return GIVE_UP;
        if (is_null(s))
            return 0;
        return object(s, git_member, ctx, depth);
    }
    return skip(s, depth);
}

struct bench_read {
    struct trend_bench_rec *b;
    unsigned seen;
    size_t nsamples, n;
    int have_stats;
};

enum {
    B_NAME = 1, B_UNIT = 2, B_DIR = 4, B_SAMPLES = 8, B_STATS = 16, B_ERROR = 32,
    S_N = 64, S_MEDIAN = 128, S_CI = 256, C_MEDIAN = 512, E_MESSAGE = 1024,
    B_KIND = 2048, B_ITER = 4096
};
#define B_REQ (B_NAME | B_UNIT | B_DIR | B_SAMPLES | B_KIND | B_ITER)

/* [lo, hi] or null. */
static int ci_member(struct lean *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct bench_read *r = ctx;

    if (!KEY("median"))
        return skip(s, depth);
    if (once(&r->seen, C_MEDIAN) < 0)
        return GIVE_UP;
    if (is_null(s))
        return 0;
    if (expect(s, '[') < 0)
        return GIVE_UP;
    ws(s);
    if (number(s, NULL, &r->b->lo) < 0 || expect(s, ',') < 0)
        return GIVE_UP;
    ws(s);
    if (number(s, NULL, &r->b->hi) < 0 || expect(s, ']') < 0)
        return GIVE_UP;
    return 0;
}

static int stats_member(struct lean *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct bench_read *r = ctx;
    int is_int;
    double v;

    if (KEY("n")) {
        if (once(&r->seen, S_N) < 0 || number(s, &is_int, &v) < 0 || !is_int || v < 0 ||
            v > 9e15)
            return GIVE_UP;
        r->n = (size_t)v;
        return 0;
    }
    if (KEY("median")) {
        if (once(&r->seen, S_MEDIAN) < 0)
            return GIVE_UP;
        if (is_null(s))
            return 0;
        return number(s, NULL, &r->b->median);
    }
    if (KEY("ci")) {
        if (once(&r->seen, S_CI) < 0)
            return GIVE_UP;
        return object(s, ci_member, ctx, depth);
    }
    return skip(s, depth);
}

static int error_member(struct lean *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct bench_read *r = ctx;

    if (KEY("message")) {
        return once(&r->seen, E_MESSAGE) < 0 ? GIVE_UP : string(s, NULL);
    }
    return skip(s, depth);
}

/* The samples: an array of numbers >= 0, counted. */
static int samples(struct lean *s, size_t *n)
{
    *n = 0;
    if (expect(s, '[') < 0)
        return GIVE_UP;
    ws(s);
    if (*s->p == ']') {
        s->p++;
        return 0;
    }
    for (;;) {
        const char *start;

        ws(s);
        start = s->p;
        if (number(s, NULL, NULL) < 0)
            return GIVE_UP;
        if (*start == '-' && strtod(start, NULL) < 0)
            return GIVE_UP;
        (*n)++;
        ws(s);
        if (*s->p == ',') {
            s->p++;
            continue;
        }
        if (*s->p == ']') {
            s->p++;
            return 0;
        }
        return GIVE_UP;
    }
}

static int bench_member(struct lean *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct bench_read *r = ctx;
    const char *v;

    if (KEY("name")) {
        if (once(&r->seen, B_NAME) < 0 || string(s, &r->b->name) < 0 || !r->b->name[0])
            return GIVE_UP;
        return 0;
    }
    if (KEY("unit")) {
        if (once(&r->seen, B_UNIT) < 0 || string(s, &r->b->unit) < 0 || !r->b->unit[0])
            return GIVE_UP;
        return 0;
    }
    if (KEY("direction")) {
        size_t mark = s->alen;

        if (once(&r->seen, B_DIR) < 0 || string(s, &v) < 0 || direction_parse(v, &r->b->dir) < 0)
            return GIVE_UP;
        s->alen = mark;
        return 0;
    }
    if (KEY("samples"))
        return once(&r->seen, B_SAMPLES) < 0 ? GIVE_UP : samples(s, &r->nsamples);
    if (KEY("kind")) {
        size_t mark = s->alen;
        enum bench_kind k;

        if (once(&r->seen, B_KIND) < 0 || string(s, &v) < 0 || kind_parse(v, &k) < 0)
            return GIVE_UP;
        s->alen = mark;
        return 0;
    }
    if (KEY("iterations")) {
        int is_int;
        double it;

        if (once(&r->seen, B_ITER) < 0 || number(s, &is_int, &it) < 0 || !is_int || it < 1)
            return GIVE_UP;
        return 0;
    }
    if (KEY("stats")) {
        if (once(&r->seen, B_STATS) < 0)
            return GIVE_UP;
        if (is_null(s))
            return 0;
        r->have_stats = 1;
        return object(s, stats_member, ctx, depth);
    }
    if (KEY("error")) {
        if (once(&r->seen, B_ERROR) < 0)
            return GIVE_UP;
        if (is_null(s))
            return 0;
        r->b->failed = 1;
        if (object(s, error_member, ctx, depth) < 0 || !(r->seen & E_MESSAGE))
            return GIVE_UP;
        return 0;
    }
    return skip(s, depth);
}

static int add_bench(struct trend_file *f, struct trend_bench_rec **b)
{
    if (f->nb == f->bcap) {
        size_t cap = f->bcap ? 2 * f->bcap : 64;
        struct trend_bench_rec *nb = realloc(f->b, cap * sizeof *nb);

        if (!nb)
            return GIVE_UP;
        f->b = nb;
        f->bcap = cap;
    }
    *b = &f->b[f->nb++];
    memset(*b, 0, sizeof **b);
    (*b)->median = (*b)->lo = (*b)->hi = NAN;
    return 0;
}

/* One benchmark object, checked as result_load checks what is used. */
static int bench(struct lean *s, struct trend_file *f, int depth)
{
    struct bench_read r = {0};

    if (add_bench(f, &r.b) < 0 || object(s, bench_member, &r, depth) < 0)
        return GIVE_UP;
    if ((r.seen & B_REQ) != B_REQ)
        return GIVE_UP;
    if (r.nsamples > 0 && !r.have_stats)
        return GIVE_UP;
    if (r.have_stats) {
        if ((r.seen & (S_N | S_MEDIAN | S_CI)) != (S_N | S_MEDIAN | S_CI) ||
            !(r.seen & C_MEDIAN) || r.n != r.nsamples)
            return GIVE_UP;
    }
    r.b->n = r.nsamples;
    return 0;
}

static int benchmarks(struct lean *s, struct trend_file *f, int depth)
{
    if (expect(s, '[') < 0)
        return GIVE_UP;
    ws(s);
    if (*s->p == ']') {
        s->p++;
        return 0;
    }
    for (;;) {
        if (bench(s, f, depth + 1) < 0)
            return GIVE_UP;
        ws(s);
        if (*s->p == ',') {
            s->p++;
            continue;
        }
        if (*s->p == ']') {
            s->p++;
            return 0;
        }
        return GIVE_UP;
    }
}

/* "MAJOR.MINOR" with our major. */
static int schema_ok(const char *v)
{
    unsigned major = 0, digits = 0;

    while (*v >= '0' && *v <= '9' && digits < 9) {
        major = major * 10 + (unsigned)(*v++ - '0');
        digits++;
    }
    if (digits == 0 || *v++ != '.' || major != RESULT_SCHEMA_MAJOR)
        return 0;
    digits = 0;
    while (*v >= '0' && *v <= '9' && digits < 9) {
        v++;
        digits++;
    }
    return digits > 0 && *v == '\0';
}

struct root_read {
    struct trend_file *f;
    unsigned seen;
};

static int root_member(struct lean *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct root_read *r = ctx;

    if (KEY("schema")) {
        const char *v;

        if (once(&r->seen, 1) < 0 || string(s, &v) < 0 || !schema_ok(v))
            return GIVE_UP;
        return 0;
    }
    if (KEY("context")) {
        struct ctx_read c = {r->f, 0};

        if (once(&r->seen, 2) < 0 || object(s, context_member, &c, depth) < 0 ||
            (c.seen & 13) != 13)
            return GIVE_UP;
        return 0;
    }
    if (KEY("benchmarks"))
        return once(&r->seen, 4) < 0 ? GIVE_UP : benchmarks(s, r->f, depth);
    return skip(s, depth);
}

static int lean_read(struct trend_file *f, size_t len)
{
    struct lean s = {f->buf, f->buf + len, f->arena, 0};
    struct root_read r = {f, 0};

    if (object(&s, root_member, &r, 1) < 0 || r.seen != 7)
        return GIVE_UP;
    ws(&s);
    return s.p == s.end ? 0 : GIVE_UP;
}

/* ---- files --------------------------------------------------------------- */

void trend_file_init(struct trend_file *f)
{
    memset(f, 0, sizeof *f);
    result_init(&f->r);
}

void trend_file_free(struct trend_file *f)
{
    free(f->b);
    free(f->buf);
    free(f->arena);
    result_free(&f->r);
    memset(f, 0, sizeof *f);
}

static void reset(struct trend_file *f)
{
    f->time = f->commit = f->commit_time = f->branch = NULL;
    f->nb = 0;
    f->full = 0;
}

/* The whole file into f->buf, NUL-terminated; -1 on any failure (the full
 * reader then says what it is). */
static int slurp(struct trend_file *f, const char *path, size_t *len)
{
    struct stat st;
    size_t n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
        (uint64_t)st.st_size > SIZE_MAX / 2 - 2) {
        close(fd);
        return -1;
    }
    if ((size_t)st.st_size + 1 > f->bufcap || (size_t)st.st_size + 1 > f->arenacap) {
        size_t cap = (size_t)st.st_size + 1;
        char *b = realloc(f->buf, cap), *a;

        if (b)
            f->buf = b;
        a = b ? realloc(f->arena, cap) : NULL;
        if (a)
            f->arena = a;
        if (!b || !a) {
            close(fd);
            return -1;
        }
        f->bufcap = f->arenacap = cap;
    }
    while (n < (size_t)st.st_size) {
        ssize_t got = read(fd, f->buf + n, (size_t)st.st_size - n);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    if (n != (size_t)st.st_size)
        return -1;
    f->buf[n] = '\0';
    *len = n;
    return 0;
}

/* The fields from a fully read result. */
static int from_result(struct trend_file *f)
{
    const struct result *r = &f->r;
    size_t i;

    f->full = 1;
    f->time = r->ctx.time;
    f->commit = r->ctx.git_commit;
    f->commit_time = r->ctx.git_commit_time;
    f->branch = r->ctx.git_branch;
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        struct trend_bench_rec *t;

        if (add_bench(f, &t) < 0)
            return -1;
        t->name = b->name;
        t->unit = b->unit;
        t->dir = b->dir;
        t->median = b->st.n ? b->st.median : NAN;
        t->lo = b->st.n ? b->st.ci_median.lo : NAN;
        t->hi = b->st.n ? b->st.ci_median.hi : NAN;
        t->n = b->nsamples;
        t->failed = b->error != NULL;
    }
    return 0;
}

int trend_file_read(struct trend_file *f, const char *path, int force_full, struct err *e)
{
    size_t len;

    reset(f);
    result_free(&f->r);
    result_init(&f->r);
    if (!force_full && slurp(f, path, &len) == 0 && lean_read(f, len) == 0)
        return 0;
    reset(f);
    if (import_load(path, &f->r, NULL, e) < 0)
        return -1;
    if (from_result(f) < 0)
        return err_set(e, "%s: out of memory", path);
    return 0;
}
