/*
 * jsonparse.c: the parser of jsonparse.h.  A recursive descent over the
 * buffer (RFC 8259), building values with jansson's own constructors in
 * the order jansson's parser does (so objects keep the keys in file
 * order).  jansson reads its input through a character stream with a call
 * and a UTF-8 check per byte and copies every token into a growing buffer;
 * here a string without escapes is one scan and one copy, and a number is
 * converted from a small copy of its text by the same strtoll or strtod,
 * or, for a real of at most 19 significant digits and a small exponent
 * (what result files hold), exactly without it (jp_real).
 * Where jansson would refuse the text, or where matching it exactly would
 * take its own code (Unicode escapes and UTF-8 checks), this parser gives
 * up instead.
 */
#include "jsonparse.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define JP_MAX_DEPTH 2048      /* jansson's JSON_PARSER_MAX_DEPTH */
#define JP_NUM_MAX 64          /* longest number text taken here */

struct jp {
    const char *p, *end;
    int depth;
    char *buf;                 /* the last string decoded */
    size_t cap;
    int flags;                 /* JP_NO_BENCH_STATS */
    int in_benches;            /* inside the root's "benchmarks" */
};

static json_t *jp_value(struct jp *s);

#if LDBL_MANT_DIG == 64
/* Whether long double arithmetic keeps its 64 bits here (not under an
 * emulator that computes it in double, as valgrind does). */
static int ldbl_exact(void)
{
    static _Thread_local int known, exact;   /* threads read files at once */

    if (!known) {
        volatile long double one = 1.0L, tiny = 0x1p-63L;

        exact = one + tiny != one;
        known = 1;
    }
    return exact;
}
#endif

/* The real of the JSON number text t[0..len) (valid JSON), correctly
 * rounded as strtod rounds it, into *out; 0 when it is not one of the
 * cases done here (strtod then).  w, the significant digits (at most 19:
 * below 2^64), times 10^q:
 *   - w < 2^53 and |q| <= 22: both exact doubles, one rounding (Clinger
 *     1990, "How to read floating point numbers accurately");
 *   - |q| <= 27: w and 10^|q| (5^27 < 2^64) are exact long doubles (64-bit
 *     significand), so the product or quotient is rounded once to 64 bits;
 *     rounding that to 53 bits gives the correctly rounded double unless
 *     the 64-bit result lies exactly halfway between two doubles (its low
 *     11 bits 0x400), where strtod decides. */
int jp_real(const char *t, size_t len, double *out)
{
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
                                 1e22};
    const char *p = t, *e = t + len;
    uint64_t w = 0;
    int neg = 0, digits = 0, q = 0, x = 0, xneg = 0;

    if (*p == '-')
        neg = 1, p++;
    for (; p < e && *p >= '0' && *p <= '9'; p++) {
        if (w == 0 && *p == '0')
            continue;                  /* leading zeros count for nothing */
        if (++digits > 19)
            return 0;
        w = w * 10 + (uint64_t)(*p - '0');
    }
    if (p < e && *p == '.')
        for (p++; p < e && *p >= '0' && *p <= '9'; p++) {
            q--;
            if (w == 0 && *p == '0')
                continue;
            if (++digits > 19)
                return 0;
            w = w * 10 + (uint64_t)(*p - '0');
        }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            xneg = *p++ == '-';
        for (; p < e && *p >= '0' && *p <= '9'; p++) {
            if (x > 10000)
                return 0;
            x = x * 10 + (*p - '0');
        }
        q += xneg ? -x : x;
    }
    if (w == 0) {
        *out = neg ? -0.0 : 0.0;
        return 1;
    }
    if (w < (1ULL << 53) && q >= -22 && q <= 22) {
        double v = (double)w;

        v = q < 0 ? v / p10[-q] : v * p10[q];
        *out = neg ? -v : v;
        return 1;
    }
#if LDBL_MANT_DIG == 64
    if (q >= -27 && q <= 27 && ldbl_exact()) {
        long double r = (long double)w, pw = 1.0L;
        uint64_t mant;
        int k = q < 0 ? -q : q;

        while (k--)
            pw *= 10.0L;               /* exact: 10^27 = 2^27 5^27, 5^27 < 2^64 */
        r = q < 0 ? r / pw : r * pw;
        memcpy(&mant, &r, sizeof mant);   /* x87: the significand comes first */
        if ((mant & 0x7ff) == 0x400 || r < DBL_MIN || r > DBL_MAX)
            return 0;
        *out = neg ? -(double)r : (double)r;
        return 1;
    }
#endif
    return 0;
}

static void jp_ws(struct jp *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

static int jp_put(struct jp *s, size_t at, const char *src, size_t n)
{
    if (at + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        char *nb;

        while (cap < at + n + 1)
            cap *= 2;
        if (!(nb = realloc(s->buf, cap)))
            return -1;
        s->buf = nb;
        s->cap = cap;
    }
    memcpy(s->buf + at, src, n);
    return 0;
}

/* The string at s->p (its opening quote) decoded into s->buf, its length
 * in *len: printable ASCII and the escapes other than \u. */
static int jp_string(struct jp *s, size_t *len)
{
    static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
    const char *p = s->p + 1;
    size_t n = 0;

    for (;;) {
        const char *start = p, *e;

        while (p < s->end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20 &&
               (unsigned char)*p < 0x80)
            p++;
        if (jp_put(s, n, start, (size_t)(p - start)) < 0)
            return -1;
        n += (size_t)(p - start);
        if (p >= s->end)
            return -1;
        if (*p == '"')
            break;
        if (*p != '\\' || p + 1 >= s->end || !(e = memchr(esc_in, p[1], sizeof esc_in - 1)))
            return -1;
        if (jp_put(s, n, &esc_out[e - esc_in], 1) < 0)
            return -1;
        n++;
        p += 2;
    }
    s->buf[n] = '\0';
    s->p = p + 1;
    *len = n;
    return 0;
}

static int is_digit(const struct jp *s, const char *p)
{
    return p < s->end && *p >= '0' && *p <= '9';
}

/* A number as jansson lexes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
 * an integer (strtoll's, into *iv) without fraction and exponent, else a
 * real (strtod's, into *dv).  Returns 0 for an integer, 1 for a real, -1
 * for what jansson refuses or this parser leaves to it. */
static int jp_lex_number(struct jp *s, long long *iv, double *dv)
{
    const char *p = s->p;
    char tok[JP_NUM_MAX], *end;
    int real = 0;
    size_t len;

    if (*p == '-')
        p++;
    if (!is_digit(s, p))
        return -1;
    if (*p++ == '0') {
        if (is_digit(s, p))
            return -1;
    } else {
        while (is_digit(s, p))
            p++;
    }
    if (p < s->end && *p == '.') {
        real = 1;
        if (!is_digit(s, ++p))
            return -1;
        while (is_digit(s, p))
            p++;
    }
    if (p < s->end && (*p == 'e' || *p == 'E')) {
        real = 1;
        p++;
        if (p < s->end && (*p == '+' || *p == '-'))
            p++;
        if (!is_digit(s, p))
            return -1;
        while (is_digit(s, p))
            p++;
    }
    len = (size_t)(p - s->p);
    if (len >= sizeof tok)
        return -1;
    memcpy(tok, s->p, len);
    tok[len] = '\0';
    s->p = p;
    errno = 0;
    if (!real) {
        *iv = strtoll(tok, &end, 10);
        return errno == ERANGE ? -1 : 0;
    }
    if (jp_real(tok, len, dv))
        return 1;
    *dv = strtod(tok, &end);
    return (*dv == HUGE_VAL || *dv == -HUGE_VAL) && errno == ERANGE ? -1 : 1;
}

static json_t *jp_number(struct jp *s)
{
    long long iv;
    double dv;
    int kind = jp_lex_number(s, &iv, &dv);

    return kind < 0 ? NULL : kind == 0 ? json_integer(iv) : json_real(dv);
}

/* true, false or null, not run on into more letters. */
static json_t *jp_word(struct jp *s)
{
    static const struct {
        const char *w;
        size_t n;
    } words[] = {{"true", 4}, {"false", 5}, {"null", 4}};

    for (size_t i = 0; i < 3; i++) {
        const char *after = s->p + words[i].n;

        if ((size_t)(s->end - s->p) >= words[i].n && !memcmp(s->p, words[i].w, words[i].n) &&
            (after == s->end || !((*after >= 'a' && *after <= 'z') ||
                                  (*after >= 'A' && *after <= 'Z')))) {
            s->p = after;
            return i == 0 ? json_true() : i == 1 ? json_false() : json_null();
        }
    }
    return NULL;
}

/* After a member or element: 1 at the closer (passed), 0 after a comma
 * (passed), -1 at anything else. */
static int jp_next(struct jp *s, char close)
{
    jp_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return 1;
    }
    if (s->p < s->end && *s->p == ',') {
        s->p++;
        jp_ws(s);
        return 0;
    }
    return -1;
}

static json_t *jp_array(struct jp *s)
{
    json_t *a = json_array();
    int more;

    s->p++;
    jp_ws(s);
    if (!a)
        return NULL;
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return a;
    }
    do {
        json_t *v = jp_value(s);

        if (!v || json_array_append_new(a, v) < 0 || (more = jp_next(s, ']')) < 0) {
            json_decref(a);
            return NULL;
        }
    } while (!more);
    return a;
}

static int jp_skip(struct jp *s);

/* The members or elements of the object or array at s->p, checked as
 * jp_object and jp_array check them and passed over.  An object's keys
 * must come in ascending byte order: then none repeats (jansson refuses a
 * repeated key), and a pacer result writes them so. */
static int jp_skip_container(struct jp *s)
{
    char close = *s->p == '{' ? '}' : ']', prev[256];
    size_t klen;
    int more, first = 1;

    s->p++;
    jp_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return 0;
    }
    do {
        if (close == '}') {
            /* keys hold no NUL (jp_string leaves \u to jansson) */
            if (s->p >= s->end || *s->p != '"' || jp_string(s, &klen) < 0 ||
                klen >= sizeof prev || (!first && strcmp(s->buf, prev) <= 0))
                return -1;
            memcpy(prev, s->buf, klen + 1);
            first = 0;
            jp_ws(s);
            if (s->p >= s->end || *s->p != ':')
                return -1;
            s->p++;
            jp_ws(s);
        }
        if (jp_skip(s) < 0 || (more = jp_next(s, close)) < 0)
            return -1;
    } while (!more);
    return 0;
}

/* A value checked as jp_value checks it, and passed over: nothing is
 * built. */
static int jp_skip(struct jp *s)
{
    long long iv;
    double dv;
    size_t len;
    int rc;

    if (s->p >= s->end)
        return -1;
    switch (*s->p) {
    case '{':
    case '[':
        if (++s->depth > JP_MAX_DEPTH)
            return -1;
        rc = jp_skip_container(s);
        s->depth--;
        return rc;
    case '"':
        return jp_string(s, &len);
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return jp_lex_number(s, &iv, &dv) < 0 ? -1 : 0;
    default:
        return jp_word(s) ? 0 : -1;   /* true, false and null are jansson's own, not made */
    }
}

/* Whether the member key of o, an object at depth s->depth, stays out of
 * the tree: under JP_NO_BENCH_STATS, a benchmark's "stats" after its
 * "samples" (and not after another "stats": that one repeats). */
static int jp_left_out(const struct jp *s, const json_t *o, const char *key, size_t klen)
{
    return s->in_benches && s->depth == 3 && klen == 5 && !memcmp(key, "stats", 5) &&
           json_object_get(o, "samples") && !json_object_get(o, "stats");
}

/* The value of member key of o. */
static int jp_member(struct jp *s, json_t *o, const char *key, size_t klen, int *left_out)
{
    size_t size = json_object_size(o);
    json_t *v;

    if (jp_left_out(s, o, key, klen))
        return (*left_out)++ ? -1 : jp_skip(s);   /* a second one repeats the key */
    if (s->depth == 1)      /* the root's members */
        s->in_benches = (s->flags & JP_NO_BENCH_STATS) && klen == 10 &&
                        !memcmp(key, "benchmarks", 10);
    v = jp_value(s);
    /* a key seen before leaves the size as it was */
    if (!v || json_object_setn_new_nocheck(o, key, klen, v) < 0 || json_object_size(o) == size)
        return -1;
    return 0;
}

/* Members in file order. */
static json_t *jp_object(struct jp *s)
{
    json_t *o = json_object();
    char small[256], *key;
    size_t klen;
    int more, left_out = 0;

    s->p++;
    jp_ws(s);
    if (!o)
        return NULL;
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return o;
    }
    do {
        int rc = -1;

        if (s->p >= s->end || *s->p != '"' || jp_string(s, &klen) < 0)
            break;
        key = klen < sizeof small ? small : malloc(klen + 1);
        if (!key)
            break;
        memcpy(key, s->buf, klen + 1);
        jp_ws(s);
        if (s->p < s->end && *s->p == ':') {
            s->p++;
            jp_ws(s);
            rc = jp_member(s, o, key, klen, &left_out);
        }
        if (key != small)
            free(key);
        if (rc < 0 || (more = jp_next(s, '}')) < 0)
            break;
        if (more)
            return o;
    } while (1);
    json_decref(o);
    return NULL;
}

static json_t *jp_value(struct jp *s)
{
    json_t *v = NULL;
    size_t len;

    if (s->p >= s->end)
        return NULL;
    switch (*s->p) {
    case '{':
    case '[':
        if (++s->depth > JP_MAX_DEPTH)
            return NULL;
        v = *s->p == '{' ? jp_object(s) : jp_array(s);
        s->depth--;
        return v;
    case '"':
        return jp_string(s, &len) < 0 ? NULL : json_stringn_nocheck(s->buf, len);
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return jp_number(s);
    default:
        return jp_word(s);
    }
}

json_t *jp_loadb(const char *buf, size_t len)
{
    return jp_loadb_with(buf, len, 0);
}

json_t *jp_loadb_with(const char *buf, size_t len, int flags)
{
    struct jp s = {buf, buf + len, 0, NULL, 0, flags, 0};
    json_t *v;

    jp_ws(&s);
    v = jp_value(&s);
    if (v) {
        jp_ws(&s);
        if (s.p != s.end) {
            json_decref(v);
            v = NULL;
        }
    }
    free(s.buf);
    return v;
}
