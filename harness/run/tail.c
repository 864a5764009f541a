/* tail.c: a bounded ring of a stream's last bytes (tail.h). */
#include "tail.h"

#include <stdlib.h>
#include <string.h>

void tail_add(struct tail *t, const char *p, size_t n)
{
    size_t i;

    if (n > TAIL_MAX) {
        p += n - TAIL_MAX;
        n = TAIL_MAX;
    }
    for (i = 0; i < n; i++) {
        t->buf[t->pos] = p[i];
        t->pos = (t->pos + 1) % TAIL_MAX;
    }
    t->len = t->len + n < TAIL_MAX ? t->len + n : TAIL_MAX;
}

char *tail_text(const struct tail *t)
{
    size_t i, first, len, lines = 0;
    char *s, *start;

    if (t->len == 0)
        return NULL;
    s = malloc(t->len + 1);
    if (!s)
        return NULL;
    first = (t->pos + TAIL_MAX - t->len) % TAIL_MAX;
    for (i = 0; i < t->len; i++)
        s[i] = t->buf[(first + i) % TAIL_MAX];
    len = t->len;
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    s[len] = '\0';
    /* Keep the last TAIL_LINES lines. */
    start = s + len;
    while (start > s && lines < TAIL_LINES) {
        start--;
        if (*start == '\n')
            lines++;
    }
    if (*start == '\n')
        start++;
    memmove(s, start, strlen(start) + 1);
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}
