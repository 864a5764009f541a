/*
 * jscan.c: the lean JSON scanner of jscan.h: a single pass over the bytes
 * (RFC 8259 grammar), giving up wherever jansson would read the text
 * differently or refuse it.
 */
#include "jscan.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonparse.h"
#include "utf8.h"

void jscan_ws(struct jscan *s)
{
    const char *p = s->p;

    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    s->p = p;
}

int jscan_expect(struct jscan *s, char c)
{
    jscan_ws(s);
    if (*s->p != c)
        return JSCAN_GIVE_UP;
    s->p++;
    return 0;
}

int jscan_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* \u escapes of surrogates and of NUL are left to the full reader. */
int jscan_string(struct jscan *s, const char **out)
{
    const unsigned char *p = (const unsigned char *)s->p;
    char *dst = out ? s->arena + s->alen : NULL;
    size_t k = 0;

    if (*p != '"')
        return JSCAN_GIVE_UP;
    p++;
    for (;;) {
        unsigned char c = *p;

        if (c == '"')
            break;
        if (c < 0x20)
            return JSCAN_GIVE_UP;   /* control character, or the end */
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
                    if ((h = jscan_hex((char)p[i])) < 0)
                        return JSCAN_GIVE_UP;
                    cp = cp << 4 | (unsigned)h;
                }
                if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
                    return JSCAN_GIVE_UP;
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
                return JSCAN_GIVE_UP;
            }
            if (dst)
                dst[k++] = d;
            p += 2;
            continue;
        }
        if (c >= 0x80) {
            size_t n = utf8_len(p);

            if (n == 0)
                return JSCAN_GIVE_UP;
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

/* The digits at p, appended to *m when m is given (it wraps past 19
 * digits: the count tells); the first character after them. */
static const char *digit_run(const char *p, uint64_t *m)
{
    uint64_t v;
    unsigned d;

    if (!m) {
        while (*p >= '0' && *p <= '9')
            p++;
        return p;
    }
    for (v = *m; (d = (unsigned)(*p - '0')) < 10; p++)
        v = 10 * v + d;
    *m = v;
    return p;
}

/* The syntax of the number at s->p checked, s->p moved past it; its start
 * into *startp, whether it is an integer into *integral, and with dec its
 * digits.  What jansson refuses is left to it: integers beyond long long,
 * reals beyond double (only long integers and large exponents can be). */
static int scan_number(struct jscan *s, const char **startp, int *integral,
                       struct jscan_dec *dec)
{
    const char *p = s->p, *start = p, *exp = NULL, *q;
    uint64_t *m = dec ? &dec->m : NULL;
    long nd = 0, e = 0, x = 0;

    *integral = 1;
    if (dec)
        dec->m = 0;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9') {
        q = p;
        p = digit_run(p, m);
        nd = p - q;
    } else {
        return JSCAN_GIVE_UP;
    }
    if (p - start >= 19 && *p != '.' && *p != 'e' && *p != 'E')
        return JSCAN_GIVE_UP;   /* an integer that may not fit */
    if (*p == '.') {
        *integral = 0;
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return JSCAN_GIVE_UP;
        if (nd == 0)
            for (; *p == '0'; p++)
                e--;            /* the zeros that lead a fraction of 0 */
        q = p;
        p = digit_run(p, m);
        nd += p - q;
        e -= p - q;
    }
    if (*p == 'e' || *p == 'E') {
        *integral = 0;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return JSCAN_GIVE_UP;
        exp = p;
        for (; *p >= '0' && *p <= '9'; p++)
            if (x < 100000)
                x = 10 * x + (*p - '0');
        e += exp[-1] == '-' ? -x : x;
    }
    /* beyond DBL_MAX (1.8e308) only with a long exponent or 309 digits */
    if (((exp && (p - exp > 2 || p - start > 24)) || p - start > 300) &&
        !isfinite(strtod(start, NULL)))
        return JSCAN_GIVE_UP;
    s->p = p;
    *startp = start;
    if (dec) {
        dec->at = start;
        dec->e = e;
        dec->nd = nd;
        dec->integral = *integral;
    }
    return 0;
}

/* A real's value is strtod's (correctly rounded, as jansson reads it;
 * jp_real gives it without strtod in the common cases), an integer's that
 * of its long long ("-0" is 0). */
static double value_at(const char *start, int integral)
{
    const char *p = start;
    double v;

    if (integral)
        return (double)strtoll(start, NULL, 10);
    while ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.' || *p == 'e' ||
           *p == 'E')
        p++;
    return jp_real(start, (size_t)(p - start), &v) ? v : strtod(start, NULL);
}

double jscan_dec_value(const struct jscan_dec *d)
{
    return value_at(d->at, d->integral);
}

int jscan_number(struct jscan *s, int *is_int, double *v)
{
    const char *start;
    int integral;

    if (scan_number(s, &start, &integral, NULL) < 0)
        return JSCAN_GIVE_UP;
    if (is_int)
        *is_int = integral;
    if (v) {
        *v = value_at(start, integral);
        if (!isfinite(*v))
            return JSCAN_GIVE_UP;   /* out of range: the full reader words it */
    }
    return 0;
}

int jscan_int(struct jscan *s, long long *v)
{
    const char *p = s->p;
    long long x = 0;
    int is_int, neg = *p == '-';

    if (jscan_number(s, &is_int, NULL) < 0 || !is_int)
        return JSCAN_GIVE_UP;
    for (p += neg; p < s->p; p++)   /* at most 18 digits: it fits */
        x = x * 10 + (*p - '0');
    *v = neg ? -x : x;
    return 0;
}

static int literal(struct jscan *s, const char *word)
{
    size_t n = strlen(word);

    if (strncmp(s->p, word, n) != 0)
        return JSCAN_GIVE_UP;
    s->p += n;
    return 0;
}

/* The opening bracket of a container (after white space): 1 when
 * elements follow, 0 when it is empty (then consumed whole). */
static int open_container(struct jscan *s, char open, char close, int depth)
{
    if (depth > JSCAN_MAX_DEPTH || jscan_expect(s, open) < 0)
        return JSCAN_GIVE_UP;
    jscan_ws(s);
    if (*s->p != close)
        return 1;
    s->p++;
    return 0;
}

/* After an element: 1 at a comma (another element follows), 0 at the
 * closing bracket (consumed). */
static int next_element(struct jscan *s, char close)
{
    jscan_ws(s);
    if (*s->p == ',') {
        s->p++;
        return 1;
    }
    if (*s->p == close) {
        s->p++;
        return 0;
    }
    return JSCAN_GIVE_UP;
}

/* The key at s->p into *k, *klen: in the buffer, or decoded into the
 * arena (where it stays) when it has escapes. */
static int read_key(struct jscan *s, const char **kp, size_t *klenp)
{
    const char *k = s->p + 1;
    size_t klen;

    if (jscan_string(s, NULL) < 0)
        return JSCAN_GIVE_UP;
    klen = (size_t)(s->p - 1 - k);
    if (memchr(k, '\\', klen)) {
        struct jscan t = *s;
        const char *dk;

        t.p = k - 1;
        if (jscan_string(&t, &dk) < 0)
            return JSCAN_GIVE_UP;
        k = dk;
        klen = strlen(dk);
        s->alen = t.alen;
    }
    *kp = k;
    *klenp = klen;
    return 0;
}

/* The key at s->p, after the previous key (*prev, *plen) in ascending
 * byte order; it becomes the previous key. */
static int next_key(struct jscan *s, const char **prev, size_t *plen)
{
    const char *k;
    size_t klen;
    int order;

    if (read_key(s, &k, &klen) < 0)
        return JSCAN_GIVE_UP;
    if (*prev) {
        order = memcmp(*prev, k, *plen < klen ? *plen : klen);
        if (order > 0 || (order == 0 && *plen >= klen))
            return JSCAN_GIVE_UP;
    }
    *prev = k;
    *plen = klen;
    return 0;
}

int jscan_object(struct jscan *s, jscan_member_fn each, void *ctx, int depth)
{
    const char *key = NULL, *q;
    size_t klen = 0;
    int rc = open_container(s, '{', '}', depth);

    while (rc > 0) {
        jscan_ws(s);
        if (next_key(s, &key, &klen) < 0 || jscan_expect(s, ':') < 0)
            return JSCAN_GIVE_UP;
        jscan_ws(s);
        q = s->p;
        if (each(s, key, klen, ctx, depth + 1) < 0 || s->p == q)
            return JSCAN_GIVE_UP;   /* each must consume the value */
        rc = next_element(s, '}');
    }
    return rc;
}

int jscan_object_any(struct jscan *s, jscan_member_fn each, void *ctx, int depth)
{
    const char *keys[JSCAN_ANY_KEYS], *k, *q;
    size_t lens[JSCAN_ANY_KEYS], nk = 0, klen, i;
    int rc = open_container(s, '{', '}', depth);

    while (rc > 0) {
        jscan_ws(s);
        if (read_key(s, &k, &klen) < 0 || jscan_expect(s, ':') < 0 || nk == JSCAN_ANY_KEYS)
            return JSCAN_GIVE_UP;
        for (i = 0; i < nk; i++)
            if (lens[i] == klen && memcmp(keys[i], k, klen) == 0)
                return JSCAN_GIVE_UP;   /* a repeated key: jansson refuses it */
        keys[nk] = k;
        lens[nk++] = klen;
        jscan_ws(s);
        q = s->p;
        if (each(s, k, klen, ctx, depth + 1) < 0 || s->p == q)
            return JSCAN_GIVE_UP;
        rc = next_element(s, '}');
    }
    return rc;
}

static int skip_member(struct jscan *s, const char *key, size_t klen, void *ctx, int depth)
{
    (void)key;
    (void)klen;
    (void)ctx;
    return jscan_skip(s, depth);
}

int jscan_array(struct jscan *s, jscan_elem_fn each, void *ctx, int depth)
{
    const char *q;
    size_t i = 0;
    int rc = open_container(s, '[', ']', depth);

    while (rc > 0) {
        jscan_ws(s);
        q = s->p;
        if (each(s, i++, ctx, depth + 1) < 0 || s->p == q)
            return JSCAN_GIVE_UP;   /* each must consume the element */
        rc = next_element(s, ']');
    }
    return rc;
}

/* Room for one more number in nums; -1 when out of memory. */
static int nums_room(struct jscan_nums *nums)
{
    struct jscan_dec *d;
    size_t cap;

    if (nums->n < nums->cap)
        return 0;
    cap = nums->cap ? 2 * nums->cap : 64;
    if (!(d = realloc(nums->d, cap * sizeof *d)))
        return -1;
    nums->d = d;
    nums->cap = cap;
    return 0;
}

int jscan_numbers(struct jscan *s, int nonneg, size_t *n, struct jscan_nums *nums, int depth)
{
    struct jscan_dec dec;
    const char *start;
    int rc = open_container(s, '[', ']', depth), integral;

    *n = 0;
    while (rc > 0) {
        jscan_ws(s);
        if (scan_number(s, &start, &integral, nums ? &dec : NULL) < 0 ||
            (nonneg && *start == '-' && strtod(start, NULL) < 0))
            return JSCAN_GIVE_UP;   /* "-0" and "-0.0" are >= 0 */
        if (nums) {
            if (nums_room(nums) < 0)
                return JSCAN_GIVE_UP;
            nums->d[nums->n++] = dec;
        }
        (*n)++;
        rc = next_element(s, ']');
    }
    return rc;
}

static int skip_elem(struct jscan *s, size_t i, void *ctx, int depth)
{
    (void)i;
    (void)ctx;
    return jscan_skip(s, depth);
}

int jscan_skip(struct jscan *s, int depth)
{
    jscan_ws(s);
    switch (*s->p) {
    case '{':
        return jscan_object(s, skip_member, NULL, depth);
    case '[':
        return jscan_array(s, skip_elem, NULL, depth);
    case '"':
        return jscan_string(s, NULL);
    case 't':
        return literal(s, "true");
    case 'f':
        return literal(s, "false");
    case 'n':
        return literal(s, "null");
    default:
        return jscan_number(s, NULL, NULL);
    }
}

static int skip_member_any(struct jscan *s, const char *key, size_t klen, void *ctx,
                           int depth)
{
    (void)key;
    (void)klen;
    (void)ctx;
    return jscan_skip_any(s, depth);
}

static int skip_elem_any(struct jscan *s, size_t i, void *ctx, int depth)
{
    (void)i;
    (void)ctx;
    return jscan_skip_any(s, depth);
}

int jscan_skip_any(struct jscan *s, int depth)
{
    jscan_ws(s);
    if (*s->p == '{')
        return jscan_object_any(s, skip_member_any, NULL, depth);
    if (*s->p == '[')
        return jscan_array(s, skip_elem_any, NULL, depth);
    return jscan_skip(s, depth);
}

int jscan_null(struct jscan *s)
{
    const char *p;

    jscan_ws(s);
    p = s->p;
    if (p[0] == 'n' && p[1] == 'u' && p[2] == 'l' && p[3] == 'l') {
        s->p += 4;
        return 1;
    }
    return 0;
}
