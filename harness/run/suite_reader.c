/* suite_reader.c: the typed fields of a suite file (suite_private.h). */
#include "suite_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "placeholder.h"

int sr_oom(const struct sr *c)
{
    return err_set(c->jr.e, "out of memory");
}

int sr_keys(const struct sr *c, const json_t *obj, const char *path, const char *const *known)
{
    const char *key, *const *k;
    json_t *v;

    json_object_foreach((json_t *)obj, key, v) {
        char p[JR_PATH_LEN];
        const char *sug;
        for (k = known; *k; k++)
            if (!strcmp(*k, key))
                break;
        if (*k)
            continue;
        jr_join(p, path, key);
        sug = jr_suggest(key, known);
        if (sug)
            return jr_fail(&c->jr, p, "unknown field (did you mean \"%s\"?)", sug);
        return jr_fail(&c->jr, p, "unknown field");
    }
    return 0;
}

int sr_duration(const struct sr *c, const json_t *v, const char *p, uint64_t *ns)
{
    if (json_is_number(v)) {
        double d = json_number_value(v);
        if (d < 0 || d > 1e9)
            return jr_fail(&c->jr, p, "duration out of range");
        *ns = (uint64_t)(d * 1e9);
        return 0;
    }
    if (!json_is_string(v))
        return jr_fail(&c->jr, p, "expected a duration such as \"200ms\", got %s", jr_type(v));
    if (fmt_parse_duration(json_string_value(v), ns) < 0)
        return jr_fail(&c->jr, p, "'%s' is not a duration (e.g. 200ms, 1.5s)",
                       json_string_value(v));
    return 0;
}

int sr_positive_duration(const struct sr *c, const json_t *obj, const char *key,
                         const char *path, uint64_t *ns)
{
    char p[JR_PATH_LEN];
    const json_t *v;

    if (jr_member(&c->jr, obj, path, key, 0, &v, p) <= 0)
        return 0;
    if (sr_duration(c, v, p, ns) < 0)
        return -1;
    if (*ns == 0)
        return jr_fail(&c->jr, p, "must be above zero");
    return 0;
}

int sr_count(const struct sr *c, const json_t *v, const char *p, long long lo, long long hi,
             unsigned *out)
{
    long long x;

    if (jr_int(&c->jr, v, p, 0, lo, hi, &x) < 0)
        return -1;
    *out = (unsigned)x;
    return 0;
}

int sr_strings(const struct sr *c, const json_t *v, const char *p, char ***out, size_t *n)
{
    json_t *x;
    size_t i;

    if (!json_is_array(v))
        return jr_fail(&c->jr, p, "expected array of strings, got %s", jr_type(v));
    *out = calloc(json_array_size(v) + 1, sizeof **out);
    if (!*out)
        return sr_oom(c);
    json_array_foreach(v, i, x) {
        char ip[JR_PATH_LEN];
        jr_index(ip, p, i);
        if (!json_is_string(x))
            return jr_fail(&c->jr, ip, "expected string, got %s", jr_type(x));
        if (!((*out)[i] = strdup(json_string_value(x))))
            return sr_oom(c);
        *n = i + 1;
    }
    return 0;
}

int sr_name(const struct sr *c, const char *name, const char *path)
{
    char p[JR_PATH_LEN];

    jr_join(p, path, "name");
    if (!*name)
        return jr_fail(&c->jr, p, "empty name");
    if (strchr(name, '/') || strpbrk(name, " \t\n"))
        return jr_fail(&c->jr, p,
                       "'%s' has a '/' or a blank (it becomes part of benchmark names)", name);
    return 0;
}

char *sr_expand(const struct sr *c, const char *s)
{
    const char *names[] = {"build", "suite_dir", "python", NULL};
    const char *values[] = {c->abs_build, c->abs_dir, SUITE_PYTHON, NULL};
    char *out = placeholder_expand(s, names, values);

    if (!out)
        sr_oom(c);
    return out;
}
