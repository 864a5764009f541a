/*
 * frame.c: raw TCP response framing, by length or delimiter, and the
 * escapes of payloads and delimiters (frame.h).
 */
#include "frame.h"

#include <stdlib.h>
#include <string.h>

#include "chars.h"

char *unescape_bytes(const char *s, size_t *len, struct err *e)
{
    char *out = malloc(strlen(s) + 1);
    size_t n = 0;

    if (!out) {
        err_set(e, "out of memory");
        return NULL;
    }
    while (*s) {
        int hi, lo;

        if (*s != '\\') {
            out[n++] = *s++;
            continue;
        }
        switch (s[1]) {
        case 'r':
            out[n++] = '\r';
            break;
        case 'n':
            out[n++] = '\n';
            break;
        case 't':
            out[n++] = '\t';
            break;
        case '\\':
            out[n++] = '\\';
            break;
        case '0':
            out[n++] = '\0';
            break;
        case 'x':
            hi = char_hexval((unsigned char)s[2]);
            lo = hi < 0 ? -1 : char_hexval((unsigned char)s[3]);
            if (lo < 0) {
                err_set(e, "bad escape '%.4s' (\\xHH)", s);
                goto fail;
            }
            out[n++] = (char)(hi << 4 | lo);
            s += 2;
            break;
        case '\0':
            err_set(e, "trailing backslash");
            goto fail;
        default:
            err_set(e, "bad escape '\\%c' (\\r \\n \\t \\\\ \\0 \\xHH)", s[1]);
            goto fail;
        }
        s += 2;
    }
    out[n] = '\0';
    *len = n;
    return out;
fail:
    free(out);
    return NULL;
}

int framer_parse(const char *spec, struct framer *f, struct err *e)
{
    memset(f, 0, sizeof *f);
    if (strncmp(spec, "length:", 7) == 0) {
        const char *d = spec + 7;
        uint64_t v = 0;

        if (!*d)
            return err_set(e, "framing '%s': missing length", spec);
        for (; *d; d++) {
            unsigned k = (unsigned char)*d - '0';
            if (k > 9 || v > (UINT64_MAX - k) / 10)
                return err_set(e, "framing '%s': bad length '%s'", spec, spec + 7);
            v = v * 10 + k;
        }
        if (v == 0)
            return err_set(e, "framing '%s': length must be above 0", spec);
        f->kind = FRAME_LENGTH;
        f->length = v;
        return 0;
    }
    if (strncmp(spec, "delim:", 6) == 0) {
        struct err ue = {0};
        size_t n;
        char *d = unescape_bytes(spec + 6, &n, &ue);

        if (!d)
            return err_set(e, "framing '%s': %s", spec, ue.msg);
        if (n == 0 || n > sizeof f->delim) {
            free(d);
            return err_set(e, "framing '%s': the delimiter must be 1 to %zu bytes", spec,
                           sizeof f->delim);
        }
        f->kind = FRAME_DELIM;
        memcpy(f->delim, d, n);
        f->dlen = (uint8_t)n;
        free(d);
        return 0;
    }
    return err_set(e, "framing '%s': expected length:N or delim:TEXT", spec);
}

void framer_reset(struct framer *f)
{
    f->seen = 0;
    f->matched = 0;
    f->error = NULL;
}

/* After k bytes of d matched, the next byte is c: the length of the longest
 * prefix of d that ends the text (the KMP failure step, computed directly:
 * d is at most 16 bytes and this runs only after a partial match). */
static unsigned delim_step(const char *d, unsigned k, char c)
{
    unsigned j;

    if (d[k] == c)
        return k + 1;
    for (j = k; j > 0; j--)
        if (d[j - 1] == c && memcmp(d, d + k - j + 1, j - 1) == 0)
            return j;
    return 0;
}

enum parse_status framer_feed(struct framer *f, const char *buf, size_t len, size_t *used)
{
    const char *s = buf, *end = buf + len;

    *used = 0;
    if (f->kind == FRAME_LENGTH) {
        uint64_t n;

        if (f->length == 0) {
            f->error = "framer not set up";
            return PARSE_ERROR;
        }
        if (f->seen == f->length) /* the previous response is done */
            f->seen = 0;
        n = f->length - f->seen;
        if (n > len)
            n = len;
        f->seen += n;
        *used = (size_t)n;
        return f->seen == f->length ? PARSE_DONE : PARSE_MORE;
    }
    if (f->kind != FRAME_DELIM || f->dlen == 0 || f->dlen > sizeof f->delim) {
        f->error = "framer not set up";
        return PARSE_ERROR;
    }
    if (f->matched == f->dlen) {
        f->seen = 0;
        f->matched = 0;
    }
    if (!len)
        return PARSE_MORE;
    {
        unsigned k = f->matched, m = f->dlen;

        while (s < end) {
            if (k == 0) {
                const char *hit = memchr(s, f->delim[0], (size_t)(end - s));
                if (!hit) {
                    s = end;
                    break;
                }
                s = hit + 1;
                k = 1;
            } else
                k = delim_step(f->delim, k, *s++);
            if (k == m) {
                f->matched = (uint8_t)k;
                f->seen += (uint64_t)(s - buf);
                *used = (size_t)(s - buf);
                return PARSE_DONE;
            }
        }
        f->matched = (uint8_t)k;
    }
    f->seen += len;
    *used = len;
    return PARSE_MORE;
}
