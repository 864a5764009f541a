/* words.c: shell-like word splitting without expansion (words.h). */
#include "words.h"

#include <stdlib.h>
#include <string.h>

void words_free(char **argv)
{
    char **p;

    if (!argv)
        return;
    for (p = argv; *p; p++)
        free(*p);
    free(argv);
}

static int push(char ***argv, size_t *n, char *w)
{
    char **na = realloc(*argv, (*n + 2) * sizeof *na);

    if (!na)
        return -1;
    na[(*n)++] = w;
    na[*n] = NULL;
    *argv = na;
    return 0;
}

int words_split(const char *s, char ***out, struct err *e)
{
    size_t n = 0, len = strlen(s), k;
    char **argv = NULL, *w = malloc(len + 1);
    int in_word = 0;

    if (!w)
        return err_set(e, "out of memory");
    k = 0;
    while (*s) {
        char c = *s;
        if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) {
                w[k] = '\0';
                if (push(&argv, &n, strdup(w)) < 0)
                    goto oom;
                k = 0;
                in_word = 0;
            }
            s++;
            continue;
        }
        in_word = 1;
        if (c == '\'') {
            const char *end = strchr(s + 1, '\'');
            if (!end) {
                err_set(e, "unterminated single quote");
                goto fail;
            }
            memcpy(w + k, s + 1, (size_t)(end - s - 1));
            k += (size_t)(end - s - 1);
            s = end + 1;
        } else if (c == '"') {
            s++;
            while (*s && *s != '"') {
                if (*s == '\\' && s[1] && strchr("\\\"$`\n", s[1])) {
                    if (s[1] != '\n')
                        w[k++] = s[1];
                    s += 2;
                } else
                    w[k++] = *s++;
            }
            if (*s != '"') {
                err_set(e, "unterminated double quote");
                goto fail;
            }
            s++;
        } else if (c == '\\') {
            if (!s[1]) {
                err_set(e, "trailing backslash");
                goto fail;
            }
            if (s[1] != '\n')
                w[k++] = s[1];
            s += 2;
        } else
            w[k++] = *s++;
    }
    if (in_word) {
        w[k] = '\0';
        if (push(&argv, &n, strdup(w)) < 0)
            goto oom;
    }
    if (n == 0) {
        err_set(e, "empty command");
        goto fail;
    }
    for (k = 0; k < n; k++)
        if (!argv[k])
            goto oom;
    free(w);
    *out = argv;
    return 0;
oom:
    err_set(e, "out of memory");
fail:
    free(w);
    words_free(argv);
    return -1;
}

char words_shell_char(const char *s)
{
    const char *p = s;

    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '#')
        return '#';
    for (; *p; p++) {
        if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (!end)
                return 0;
            p = end;
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '$' || *p == '`')
                    return *p;
            }
            if (!*p)
                return 0;
        } else if (*p == '\\') {
            if (!p[1])
                return 0;
            p++;
        } else if (strchr("|&;<>()$`*?[~", *p))
            return *p;
    }
    return 0;
}
