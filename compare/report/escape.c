/* escape.c: names shown safely on a terminal and in markdown (escape.h). */
#include "escape.h"

#include <string.h>

#include "harness/result/utf8.h"

/* The length of the character at s that may be shown as it is, or 0 when
 * its bytes must be escaped: a control character (C0, DEL, C1 U+0080 to
 * U+009F), a bidirectional embedding or override (U+202A to U+202E) or
 * isolate (U+2066 to U+2069), or a byte that does not start valid UTF-8. */
static size_t shown_len(const unsigned char *s)
{
    size_t n = utf8_len(s);

    if (n == 1 && (s[0] < 0x20 || s[0] == 0x7f))
        return 0;
    if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
        return 0;
    if (n == 3 && s[0] == 0xe2 && ((s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
                                   (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)))
        return 0;
    return n;
}

/* The visible form of the bytes of one character that cannot be shown
 * (shown_len 0): "\n", "\r", "\t", else "\xHH" per byte; the number of
 * bytes it stands for in *used. */
static const char *visible(const unsigned char *s, char out[16], size_t *used)
{
    size_t n = utf8_len(s), i, o = 0;

    if (n == 0)
        n = 1;   /* not UTF-8: one byte at a time */
    *used = n;
    if (s[0] == '\n')
        return "\\n";
    if (s[0] == '\r')
        return "\\r";
    if (s[0] == '\t')
        return "\\t";
    for (i = 0; i < n; i++)
        o += (size_t)snprintf(out + o, 16 - o, "\\x%02x", s[i]);
    return out;
}

const char *escape_term(char *buf, size_t len, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i, o = 0;

    for (i = 0; p[i]; i += shown_len(p + i))
        if (shown_len(p + i) == 0)
            break;
    if (!p[i])
        return s;
    if (len < 16)
        return "\"...\"";
    buf[o++] = '"';
    for (i = 0; p[i];) {
        char v[16];
        const char *t = v;
        size_t n = shown_len(p + i), used = n, tl;

        if (n == 0) {
            t = visible(p + i, v, &used);
        } else if (p[i] == '"' || p[i] == '\\') {
            t = p[i] == '"' ? "\\\"" : "\\\\";
        } else {
            memcpy(v, p + i, n);
            v[n] = '\0';
        }
        tl = strlen(t);
        if (o + tl + 5 > len) {   /* room for "...", the quote and NUL */
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, t, tl);
        o += tl;
        i += used;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

/* s to f with the characters that cannot be shown made visible, and
 * escaped the ASCII bytes of esc ('\\' before them; NULL none). */
static void put_visible(FILE *f, const char *s, const char *esc)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (p[i]) {
        size_t n = shown_len(p + i);
        char v[16];

        if (n == 0) {
            fputs(visible(p + i, v, &n), f);
        } else {
            if (n == 1 && esc && strchr(esc, p[i]))
                fputc('\\', f);
            fwrite(p + i, 1, n, f);
        }
        i += n;
    }
}

void escape_md_code(FILE *f, const char *s, int in_table)
{
    size_t run = 0, longest = 0, i, n = strlen(s);
    int pad = n && (s[0] == '`' || s[n - 1] == '`');

    for (i = 0; i < n; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (i = 0; i <= longest; i++)
        fputc('`', f);
    if (pad)
        fputc(' ', f);
    put_visible(f, s, in_table ? "|" : NULL);
    if (pad)
        fputc(' ', f);
    for (i = 0; i <= longest; i++)
        fputc('`', f);
}

void escape_md_text(FILE *f, const char *s)
{
    put_visible(f, s, "\\`*_[]<>|#~");
}

void escape_term_put(FILE *f, const char *s)
{
    char buf[ESCAPE_MAX];

    fputs(escape_term(buf, sizeof buf, s), f);
}

void escape_md_put(FILE *f, const char *s)
{
    escape_md_code(f, s, 0);
}
