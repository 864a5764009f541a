/* policy.c: thresholds and limits from a file or a suite (policy.h). */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"

static int pct_field(const json_t *v, const char *where, const char *path, double *out,
                     struct err *e)
{
    if (json_is_string(v) && fmt_parse_percent(json_string_value(v), out) == 0 && *out >= 0 &&
        *out < 10)
        return 0;
    if (json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) < 10) {
        *out = json_number_value(v);
        return 0;
    }
    return err_set(e, "%s: %s: expected a percentage such as \"3%%\"", where, path);
}

int policy_apply(const json_t *obj, const char *where, const char *prefix,
                 struct compare_opts *o, int keep_threshold, int keep_drift, struct err *e)
{
    static const char *const known[] = {"threshold", "thresholds", "limits", "drift", NULL};
    const char *key, *const *k;
    json_t *v, *w;
    char path[512];
    size_t i;
    double d;

    if (!json_is_object(obj))
        return err_set(e, "%s: %s: expected object", where, prefix[0] ? prefix : "$");
    json_object_foreach((json_t *)obj, key, v) {
        for (k = known; *k && strcmp(*k, key); k++)
            ;
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", key);
        if (!*k)
            return err_set(e, "%s: %s: unknown field (expected threshold, thresholds, limits "
                              "or drift)", where, path);
        if (!strcmp(key, "threshold")) {
            if (pct_field(v, where, path, &d, e) < 0)
                return -1;
            if (!keep_threshold)
                o->threshold = d;
        } else if (!strcmp(key, "drift")) {
            if (pct_field(v, where, path, &d, e) < 0)
                return -1;
            if (!keep_drift)
                o->drift = d;
        } else if (!strcmp(key, "thresholds")) {
            const char *pat;
            if (!json_is_object(v))
                return err_set(e, "%s: %s: expected object of REGEX: \"PCT\"", where, path);
            json_object_foreach(v, pat, w) {
                char p2[600];
                snprintf(p2, sizeof p2, "%s.%s", path, pat);
                if (pct_field(w, where, p2, &d, e) < 0)
                    return -1;
                if (compare_add_rule(o, pat, d, e) < 0)
                    return err_prefix(e, "%s: %s", where, p2);
            }
        } else {
            if (!json_is_array(v))
                return err_set(e, "%s: %s: expected array of strings", where, path);
            json_array_foreach(v, i, w) {
                if (!json_is_string(w))
                    return err_set(e, "%s: %s[%zu]: expected string", where, path, i);
                if (compare_add_limit(o, json_string_value(w), e) < 0)
                    return err_prefix(e, "%s: %s[%zu]", where, path, i);
            }
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
    if (json_is_object(root) && (json_object_get(root, "micro") || json_object_get(root, "commands"))) {
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
    if (!strcmp(name, "alpha")) {
        o->alpha = strtod(arg, &end);
        if (*end || end == arg || !(o->alpha > 0 && o->alpha < 1))
            return err_set(e, "'%s' is not a number between 0 and 1", arg);
        return 1;
    }
    return 0;
}
