/* policy.c: thresholds and limits from a file or a suite (policy.h). */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "harness/result/jsonread.h"

/* A percentage at path ("3%" or 0.03), from 0 up to 10 (1000 %). */
static int pct_field(const struct jr *rd, const json_t *v, const char *path, double *out)
{
    if (json_is_string(v) && fmt_parse_percent(json_string_value(v), out) == 0 && *out >= 0 &&
        *out < 10)
        return 0;
    if (json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) < 10) {
        *out = json_number_value(v);
        return 0;
    }
    return jr_fail(rd, path, "expected a percentage such as \"3%%\"");
}

/* "thresholds" (at path): {REGEX: PCT, ...}, appended to o's rules. */
static int apply_thresholds(const struct jr *rd, json_t *v, const char *path,
                            struct compare_opts *o)
{
    char p[JR_PATH_LEN + 88];   /* room for a long pattern after the path */
    const char *pat;
    json_t *w;
    double d;

    if (!json_is_object(v))
        return jr_fail(rd, path, "expected object of REGEX: \"PCT\"");
    json_object_foreach(v, pat, w) {
        snprintf(p, sizeof p, "%s.%s", path, pat);
        if (pct_field(rd, w, p, &d) < 0)
            return -1;
        if (compare_add_rule(o, pat, d, rd->e) < 0)
            return err_prefix(rd->e, "%s: %s", rd->name, p);
    }
    return 0;
}

/* "limits" (at path): ["METRIC OP VALUE", ...], appended to o's limits. */
static int apply_limits(const struct jr *rd, const json_t *v, const char *path,
                        struct compare_opts *o)
{
    char p[JR_PATH_LEN];
    const json_t *w;
    size_t i;

    if (!json_is_array(v))
        return jr_fail(rd, path, "expected array of strings");
    json_array_foreach(v, i, w) {
        jr_index(p, path, i);
        if (!json_is_string(w))
            return jr_fail(rd, p, "expected string");
        if (compare_add_limit(o, json_string_value(w), rd->e) < 0)
            return err_prefix(rd->e, "%s: %s", rd->name, p);
    }
    return 0;
}

int policy_apply(const json_t *obj, const char *where, const char *prefix,
                 struct compare_opts *o, int keep_threshold, int keep_drift, struct err *e)
{
    static const char *const known[] = {"threshold", "thresholds", "limits", "drift", NULL};
    struct jr rd = {where, e};
    const char *key, *const *k;
    char path[JR_PATH_LEN];
    json_t *v;
    double d;

    if (!json_is_object(obj))
        return jr_fail(&rd, prefix[0] ? prefix : "$", "expected object");
    /* jansson's iterator takes a non-const object; it is only read */
    json_object_foreach((json_t *)obj, key, v) {
        for (k = known; *k && strcmp(*k, key); k++)
            ;
        jr_join(path, prefix, key);
        if (!*k)
            return jr_fail(&rd, path, "unknown field (expected threshold, thresholds, limits "
                                      "or drift)");
        if (!strcmp(key, "thresholds")) {
            if (apply_thresholds(&rd, v, path, o) < 0)
                return -1;
        } else if (!strcmp(key, "limits")) {
            if (apply_limits(&rd, v, path, o) < 0)
                return -1;
        } else {
            if (pct_field(&rd, v, path, &d) < 0)
                return -1;
            if (!strcmp(key, "threshold") && !keep_threshold)
                o->threshold = d;
            else if (!strcmp(key, "drift") && !keep_drift)
                o->drift = d;
        }
    }
    return 0;
}

int policy_load(const char *path, struct compare_opts *o, int keep_threshold, int keep_drift,
                struct err *e)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je), *sec;
    int rc;

    if (!root) {
        if (je.line <= 0)
            return err_set(e, "%s: %s", path, je.text);
        return err_set(e, "%s: line %d column %d: %s", path, je.line, je.column, je.text);
    }
    /* A suite file: its "compare" section. */
    if (json_is_object(root) &&
        (json_object_get(root, "micro") || json_object_get(root, "commands"))) {
        sec = json_object_get(root, "compare");
        if (!sec) {
            json_decref(root);
            return err_set(e, "%s: compare: missing (a suite file names its thresholds there)",
                           path);
        }
        rc = policy_apply(sec, path, "compare", o, keep_threshold, keep_drift, e);
    } else
        rc = policy_apply(root, path, "", o, keep_threshold, keep_drift, e);
    json_decref(root);
    return rc;
}

int policy_option(const char *name, const char *arg, struct compare_opts *o, struct err *e)
{
    char *end;
    double d;

    if (!strcmp(name, "threshold") || !strcmp(name, "drift")) {
        if (fmt_parse_percent(arg, &d) < 0 || d < 0 || d >= 10)
            return err_set(e, "'%s' is not a percentage (e.g. 2%%)", arg);
        *(!strcmp(name, "threshold") ? &o->threshold : &o->drift) = d;
        return 1;
    }
    if (!strcmp(name, "limit"))
        return compare_add_limit(o, arg, e) < 0 ? -1 : 1;
    if (!strcmp(name, "correction")) {
        if (adjust_parse(arg, &o->adjust) < 0)
            return err_set(e, "'%s' is not holm, bh or none", arg);
        return 1;
    }
    if (!strcmp(name, "basis")) {
        if (strcmp(arg, "auto") && strcmp(arg, "wall"))
            return err_set(e, "'%s' is not auto or wall", arg);
        o->wall_only = !strcmp(arg, "wall");
        return 1;
    }
    if (!strcmp(name, "no-reference")) {
        o->ignore_reference = 1;
        return 1;
    }
    if (!strcmp(name, "alpha")) {
        o->alpha = strtod(arg, &end);
        if (*end || end == arg || !(o->alpha > 0 && o->alpha < 1))
            return err_set(e, "'%s' is not a number between 0 and 1", arg);
        return 1;
    }
    return 0;
}
