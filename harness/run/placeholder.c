/* placeholder.c: filling in the placeholders of suite files (placeholder.h). */
#include "placeholder.h"

#include <stdlib.h>
#include <string.h>

char *placeholder_expand(const char *s, const char *const *names, const char *const *values)
{
    size_t cap = strlen(s) + 1, len = 0, i;
    char *out = malloc(cap);

    while (out && *s) {
        const char *val = NULL;
        size_t skip = 1, vlen;
        if (*s == '{')
            for (i = 0; names[i]; i++) {
                size_t nl = strlen(names[i]);
                if (!strncmp(s + 1, names[i], nl) && s[1 + nl] == '}') {
                    val = values[i];
                    skip = nl + 2;
                    break;
                }
            }
        vlen = val ? strlen(val) : 1;
        if (len + vlen + 1 > cap) {
            char *no = realloc(out, (len + vlen + 1) * 2);
            if (!no) {
                free(out);
                return NULL;
            }
            out = no;
            cap = (len + vlen + 1) * 2;
        }
        memcpy(out + len, val ? val : s, vlen);
        len += vlen;
        s += skip;
    }
    if (out)
        out[len] = '\0';
    return out;
}

char **placeholder_port(char *const *v, const char *port)
{
    const char *names[] = {"port", NULL}, *values[] = {port, NULL};
    size_t n = 0, i;
    char **out;

    while (v && v[n])
        n++;
    out = calloc(n + 1, sizeof *out);
    for (i = 0; out && i < n; i++)
        if (!(out[i] = placeholder_expand(v[i], names, values))) {
            while (i > 0)
                free(out[--i]);
            free(out);
            return NULL;
        }
    return out;
}
