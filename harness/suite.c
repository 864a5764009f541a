/* suite.c: reading suite files (suite.h). */
#include "suite.h"

#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

void settings_apply(struct settings *dst, const struct settings_ov *ov)
{
    const struct settings *s = &ov->s;

    if (ov->mask & OV_SAMPLES)
        dst->samples = s->samples;
    if (ov->mask & OV_WARMUP)
        dst->warmup_ns = s->warmup_ns;
    if (ov->mask & OV_SAMPLE_TIME)
        dst->sample_target_ns = s->sample_target_ns;
    if (ov->mask & OV_BUDGET)
        dst->budget_ns = s->budget_ns;
    if (ov->mask & OV_PROCESSES)
        dst->processes = s->processes;
    if (ov->mask & OV_TIMEOUT)
        dst->timeout_ns = s->timeout_ns;
    if (ov->mask & OV_WARMUP_RUNS)
        dst->warmup_runs = s->warmup_runs;
    if (ov->mask & OV_CI_TARGET)
        dst->ci_target = s->ci_target;
    if (ov->mask & OV_SEED)
        dst->seed = s->seed;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, prev[64], cur[64];

    if (la >= 63 || lb >= 63)
        return 99;
    for (j = 0; j <= lb; j++)
        prev[j] = j;
    for (i = 1; i <= la; i++) {
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof cur[0]);
    }
    return prev[lb];
}

const char *suite_suggest(const char *s, const char *const *known)
{
    const char *best = NULL;
    size_t bd = 3, d;

    for (; *known; known++)
        if ((d = edit_distance(s, *known)) < bd) {
            bd = d;
            best = *known;
        }
    return best;
}

struct ctx {
    const char *file;
    const char *dir;      /* the suite file's directory */
    const char *build;    /* what {build} expands to */
    struct err *e;
};

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

static int fail(struct ctx *c, const char *path, const char *fmt, const char *arg)
{
    char msg[512];

    snprintf(msg, sizeof msg, fmt, arg);
    return err_set(c->e, "%s: %s: %s", c->file, path, msg);
}

static int check_keys(struct ctx *c, const json_t *obj, const char *path,
                      const char *const *known)
{
    const char *key, *const *k;
    json_t *v;

    json_object_foreach((json_t *)obj, key, v) {
        char p[512], msg[256];
        const char *sug;
        for (k = known; *k; k++)
            if (!strcmp(*k, key))
                break;
        if (*k)
            continue;
        snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", key);
        sug = suite_suggest(key, known);
        if (sug)
            snprintf(msg, sizeof msg, "unknown field (did you mean \"%s\"?)", sug);
        else
            snprintf(msg, sizeof msg, "unknown field");
        return err_set(c->e, "%s: %s: %s", c->file, p, msg);
    }
    return 0;
}

static int get_string(struct ctx *c, const json_t *obj, const char *key, const char *path,
                      int required, char **out)
{
    json_t *v = json_object_get(obj, key);
    char p[512];

    snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", key);
    if (!v) {
        if (required)
            return fail(c, p, "missing%s", "");
        return 0;
    }
    if (!json_is_string(v))
        return fail(c, p, "expected string, got %s", type_name(v));
    *out = strdup(json_string_value(v));
    return 0;
}

static int get_bool(struct ctx *c, const json_t *obj, const char *key, const char *path, int *out)
{
    json_t *v = json_object_get(obj, key);
    char p[512];

    if (!v)
        return 0;
    snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", key);
    if (!json_is_boolean(v))
        return fail(c, p, "expected boolean, got %s", type_name(v));
    *out = json_is_true(v);
    return 0;
}

static int get_duration(struct ctx *c, const json_t *v, const char *p, uint64_t *ns)
{
    if (json_is_number(v)) {
        double d = json_number_value(v);
        if (d < 0 || d > 1e9)
            return fail(c, p, "duration out of range%s", "");
        *ns = (uint64_t)(d * 1e9);
        return 0;
    }
    if (!json_is_string(v))
        return fail(c, p, "expected a duration such as \"200ms\", got %s", type_name(v));
    if (fmt_parse_duration(json_string_value(v), ns) < 0)
        return fail(c, p, "'%s' is not a duration (e.g. 200ms, 1.5s)", json_string_value(v));
    return 0;
}

static int get_count(struct ctx *c, const json_t *v, const char *p, long long lo, long long hi,
                     unsigned *out)
{
    char range[96];

    if (!json_is_integer(v))
        return fail(c, p, "expected integer, got %s", type_name(v));
    if (json_integer_value(v) < lo || json_integer_value(v) > hi) {
        snprintf(range, sizeof range, "%lld to %lld", lo, hi);
        return fail(c, p, "expected an integer from %s", range);
    }
    *out = (unsigned)json_integer_value(v);
    return 0;
}

static int parse_settings(struct ctx *c, const json_t *obj, const char *path,
                          struct settings_ov *ov)
{
    static const char *const known[] = {"samples", "warmup", "sample_time", "budget",
                                        "processes", "timeout", "warmup_runs", "ci_target", NULL};
    const char *key;
    json_t *v;

    if (!obj)
        return 0;
    if (!json_is_object(obj))
        return fail(c, path, "expected object, got %s", type_name(obj));
    if (check_keys(c, obj, path, known) < 0)
        return -1;
    json_object_foreach((json_t *)obj, key, v) {
        char p[512];
        snprintf(p, sizeof p, "%s.%s", path, key);
        if (!strcmp(key, "samples")) {
            if (get_count(c, v, p, 1, 1000000, &ov->s.samples) < 0)
                return -1;
            ov->mask |= OV_SAMPLES;
        } else if (!strcmp(key, "processes")) {
            if (get_count(c, v, p, 1, 1000, &ov->s.processes) < 0)
                return -1;
            ov->mask |= OV_PROCESSES;
        } else if (!strcmp(key, "warmup_runs")) {
            if (get_count(c, v, p, 0, 1000000, &ov->s.warmup_runs) < 0)
                return -1;
            ov->mask |= OV_WARMUP_RUNS;
        } else if (!strcmp(key, "warmup")) {
            if (get_duration(c, v, p, &ov->s.warmup_ns) < 0)
                return -1;
            ov->mask |= OV_WARMUP;
        } else if (!strcmp(key, "sample_time")) {
            if (get_duration(c, v, p, &ov->s.sample_target_ns) < 0)
                return -1;
            if (ov->s.sample_target_ns == 0)
                return fail(c, p, "must be above zero%s", "");
            ov->mask |= OV_SAMPLE_TIME;
        } else if (!strcmp(key, "budget")) {
            if (get_duration(c, v, p, &ov->s.budget_ns) < 0)
                return -1;
            ov->mask |= OV_BUDGET;
        } else if (!strcmp(key, "timeout")) {
            if (get_duration(c, v, p, &ov->s.timeout_ns) < 0)
                return -1;
            if (ov->s.timeout_ns == 0)
                return fail(c, p, "must be above zero%s", "");
            ov->mask |= OV_TIMEOUT;
        } else if (!strcmp(key, "ci_target")) {
            double f;
            if (!json_is_string(v) || fmt_parse_percent(json_string_value(v), &f) < 0 || f <= 0 ||
                f >= 1)
                return fail(c, p, "expected a percentage such as \"1%%\"%s", "");
            ov->s.ci_target = f;
            ov->mask |= OV_CI_TARGET;
        }
    }
    return 0;
}

/* Expand {build} and make a relative path relative to the suite's directory. */
static char *resolve(struct ctx *c, const char *s, int is_path)
{
    const char *ph = strstr(s, "{build}");
    size_t len;
    char *out;

    if (ph) {
        len = strlen(s) - 7 + strlen(c->build) + 1;
        out = malloc(len);
        if (out)
            snprintf(out, len, "%.*s%s%s", (int)(ph - s), s, c->build, ph + 7);
        return out;
    }
    if (is_path && s[0] != '/') {
        len = strlen(c->dir) + strlen(s) + 2;
        out = malloc(len);
        if (out)
            snprintf(out, len, "%s/%s", c->dir, s);
        return out;
    }
    return strdup(s);
}

static int parse_micro(struct ctx *c, const json_t *arr, struct suite *s)
{
    static const char *const known[] = {"binary", "filter", "settings", NULL};
    size_t i;
    json_t *it;

    if (!json_is_array(arr))
        return fail(c, "micro", "expected array, got %s", type_name(arr));
    s->micro = calloc(json_array_size(arr) + 1, sizeof *s->micro);
    if (!s->micro)
        return err_set(c->e, "out of memory");
    json_array_foreach(arr, i, it) {
        struct suite_micro *m = &s->micro[i];
        char path[64], sp[80], *bin = NULL;
        snprintf(path, sizeof path, "micro[%zu]", i);
        if (!json_is_object(it))
            return fail(c, path, "expected object, got %s", type_name(it));
        s->nmicro = i + 1;
        if (check_keys(c, it, path, known) < 0 || get_string(c, it, "binary", path, 1, &bin) < 0 ||
            get_string(c, it, "filter", path, 0, &m->filter) < 0)
            return -1;
        m->binary = resolve(c, bin, 1);
        free(bin);
        snprintf(sp, sizeof sp, "%s.settings", path);
        if (parse_settings(c, json_object_get(it, "settings"), sp, &m->ov) < 0)
            return -1;
    }
    return 0;
}

static int parse_cmd(struct ctx *c, const json_t *it, const char *path, struct suite_cmd *sc)
{
    static const char *const known[] = {"name", "command", "shell", "prepare", "cleanup",
                                        "ignore_failure", "show_output", "settings", NULL};
    struct cmd_spec *cs = &sc->spec;
    json_t *cmd = json_object_get(it, "command");
    char p[96], sp[96];

    if (!json_is_object(it))
        return fail(c, path, "expected object, got %s", type_name(it));
    if (check_keys(c, it, path, known) < 0)
        return -1;
    snprintf(p, sizeof p, "%s.command", path);
    if (!cmd)
        return fail(c, p, "missing%s", "");
    if (json_is_string(cmd)) {
        cs->line = resolve(c, json_string_value(cmd), 0);
        if (!*cs->line)
            return fail(c, p, "empty command%s", "");
    } else if (json_is_array(cmd)) {
        size_t i, n = json_array_size(cmd), len = 0;
        json_t *w;
        if (n == 0)
            return fail(c, p, "empty command%s", "");
        cs->argv = calloc(n + 1, sizeof *cs->argv);
        if (!cs->argv)
            return err_set(c->e, "out of memory");
        json_array_foreach(cmd, i, w) {
            char wp[128];
            if (!json_is_string(w)) {
                snprintf(wp, sizeof wp, "%s[%zu]", p, i);
                return fail(c, wp, "expected string, got %s", type_name(w));
            }
            cs->argv[i] = resolve(c, json_string_value(w), 0);
            len += strlen(cs->argv[i]) + 1;
        }
        cs->line = calloc(len + 1, 1);
        for (i = 0; cs->line && i < n; i++) {
            if (i)
                strcat(cs->line, " ");
            strcat(cs->line, cs->argv[i]);
        }
    } else
        return fail(c, p, "expected string or array of strings, got %s", type_name(cmd));
    if (get_string(c, it, "name", path, 0, &cs->name) < 0 ||
        get_bool(c, it, "shell", path, &cs->shell) < 0 ||
        get_string(c, it, "prepare", path, 0, &cs->prepare) < 0 ||
        get_string(c, it, "cleanup", path, 0, &cs->cleanup) < 0 ||
        get_bool(c, it, "ignore_failure", path, &cs->ignore_failure) < 0 ||
        get_bool(c, it, "show_output", path, &cs->show_output) < 0)
        return -1;
    if (cs->shell && cs->argv)
        return fail(c, p, "a shell command is one string, not a list%s", "");
    if (!cs->name)
        cs->name = strdup(cs->line);
    snprintf(sp, sizeof sp, "%s.settings", path);
    return parse_settings(c, json_object_get(it, "settings"), sp, &sc->ov);
}

int suite_load(const char *path, struct suite *s, struct err *e)
{
    static const char *const known[] = {"name", "settings", "micro", "commands", "compare",
                                        NULL};
    json_error_t je;
    json_t *root, *v;
    struct ctx c;
    char *dcopy = strdup(path), *build = NULL;
    const char *env = getenv("PACER_BUILD");
    int rc = -1;
    size_t i;

    memset(s, 0, sizeof *s);
    s->path = strdup(path);
    c.file = path;
    c.e = e;
    c.dir = dcopy ? dirname(dcopy) : ".";
    if (env && *env)
        build = strdup(env);
    else {
        size_t len = strlen(c.dir) + 10;
        build = malloc(len);
        if (build)
            snprintf(build, len, "%s/../build", c.dir);
    }
    c.build = build ? build : "build";
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (je.line <= 0)
            err_set(e, "%s: %s", path, je.text);
        else
            err_set(e, "%s: line %d column %d: %s", path, je.line, je.column, je.text);
        goto cleanup;
    }
    if (!json_is_object(root)) {
        fail(&c, "$", "expected object, got %s", type_name(root));
        goto cleanup;
    }
    if (check_keys(&c, root, "", known) < 0 || get_string(&c, root, "name", "", 0, &s->name) < 0 ||
        parse_settings(&c, json_object_get(root, "settings"), "settings", &s->ov) < 0)
        goto cleanup;
    if (!s->name) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        s->name = strndup(base, strlen(base) > 5 && !strcmp(base + strlen(base) - 5, ".json")
                                    ? strlen(base) - 5 : strlen(base));
    }
    if ((v = json_object_get(root, "micro")) && parse_micro(&c, v, s) < 0)
        goto cleanup;
    if ((v = json_object_get(root, "commands"))) {
        json_t *it;
        if (!json_is_array(v)) {
            fail(&c, "commands", "expected array, got %s", type_name(v));
            goto cleanup;
        }
        s->cmds = calloc(json_array_size(v) + 1, sizeof *s->cmds);
        if (!s->cmds) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        json_array_foreach(v, i, it) {
            char p[64];
            snprintf(p, sizeof p, "commands[%zu]", i);
            s->ncmds = i + 1;
            if (parse_cmd(&c, it, p, &s->cmds[i]) < 0)
                goto cleanup;
        }
    }
    if ((v = json_object_get(root, "compare"))) {
        if (!json_is_object(v)) {
            fail(&c, "compare", "expected object, got %s", type_name(v));
            goto cleanup;
        }
        s->compare = json_incref(v);
    }
    if (s->nmicro == 0 && s->ncmds == 0) {
        err_set(e, "%s: $: the suite names no benchmarks (\"micro\" or \"commands\")", path);
        goto cleanup;
    }
    rc = 0;
cleanup:
    json_decref(root);
    free(dcopy);
    free(build);
    return rc;
}

void suite_free(struct suite *s)
{
    size_t i;

    for (i = 0; i < s->nmicro; i++) {
        free(s->micro[i].binary);
        free(s->micro[i].filter);
    }
    for (i = 0; i < s->ncmds; i++)
        cmd_spec_free(&s->cmds[i].spec);
    free(s->micro);
    free(s->cmds);
    json_decref(s->compare);
    free(s->name);
    free(s->path);
    memset(s, 0, sizeof *s);
}
