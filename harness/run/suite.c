/* suite.c: reading suite files (suite.h). */
#include "suite.h"

#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/lib/fmt.h"
#include "harness/result/jsonread.h"
#include "harness/result/limit.h"
#include "harness/result/loadres.h"
#include "words.h"

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

struct ctx {
    const char *file;
    const char *dir;      /* the suite file's directory */
    const char *build;    /* what {build} expands to */
    const char *abs_dir;  /* the same two as absolute paths (targets) */
    const char *abs_build;
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
    char msg[ERR_MAX];

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
        sug = jr_suggest(key, known);
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

/* ---- placeholders ------------------------------------------------------------- */

char *suite_expand(const char *s, const char *const *names, const char *const *values)
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

/* The placeholders known when the file is read ({port} waits for a start). */
static char *expand_static(struct ctx *c, const char *s)
{
    const char *names[] = {"build", "suite_dir", "python", NULL};
    const char *values[] = {c->abs_build, c->abs_dir, SUITE_PYTHON, NULL};
    char *out = suite_expand(s, names, values);

    if (!out)
        err_set(c->e, "out of memory");
    return out;
}

/* ---- targets ------------------------------------------------------------------ */

static int push_word(char ***argv, size_t *n, char *w)
{
    char **na;

    if (!w)
        return -1;
    na = realloc(*argv, (*n + 2) * sizeof *na);
    if (!na) {
        free(w);
        return -1;
    }
    na[(*n)++] = w;
    na[*n] = NULL;
    *argv = na;
    return 0;
}

static int check_name(struct ctx *c, const char *name, const char *path)
{
    char p[128];

    snprintf(p, sizeof p, "%s.name", path);
    if (!*name)
        return fail(c, p, "empty name%s", "");
    if (strchr(name, '/') || strpbrk(name, " \t\n"))
        return fail(c, p, "'%s' has a '/' or a blank (it becomes part of benchmark names)", name);
    return 0;
}

static int parse_target_command(struct ctx *c, const json_t *it, const char *path, int shell,
                                struct suite_target *t)
{
    json_t *cmd = json_object_get(it, "command"), *w;
    struct err we = {0};
    char p[128], wp[160], **words = NULL;
    size_t n = 0, i;

    snprintf(p, sizeof p, "%s.command", path);
    if (!cmd)
        return fail(c, p, "missing%s", "");
    if (json_is_array(cmd)) {
        if (shell)
            return fail(c, p, "a shell command is one string, not a list%s", "");
        if (json_array_size(cmd) == 0)
            return fail(c, p, "empty command%s", "");
        json_array_foreach(cmd, i, w) {
            snprintf(wp, sizeof wp, "%s[%zu]", p, i);
            if (!json_is_string(w))
                return fail(c, wp, "expected string, got %s", type_name(w));
            if (push_word(&t->argv, &n, expand_static(c, json_string_value(w))) < 0)
                return err_set(c->e, "out of memory");
        }
        return 0;
    }
    if (!json_is_string(cmd))
        return fail(c, p, "expected string or array of strings, got %s", type_name(cmd));
    if (shell) {
        if (!*json_string_value(cmd))
            return fail(c, p, "empty command%s", "");
        if (push_word(&t->argv, &n, strdup("/bin/sh")) < 0 ||
            push_word(&t->argv, &n, strdup("-c")) < 0 ||
            push_word(&t->argv, &n, expand_static(c, json_string_value(cmd))) < 0)
            return err_set(c->e, "out of memory");
        return 0;
    }
    if (words_split(json_string_value(cmd), &words, &we) < 0)
        return fail(c, p, "%s", we.msg);
    for (i = 0; words[i]; i++)
        if (push_word(&t->argv, &n, expand_static(c, words[i])) < 0) {
            words_free(words);
            return err_set(c->e, "out of memory");
        }
    words_free(words);
    return 0;
}

static int parse_env(struct ctx *c, const json_t *env, const char *path, struct suite_target *t)
{
    const char *key;
    json_t *v;
    size_t n = 0;
    char p[160];

    snprintf(p, sizeof p, "%s.env", path);
    if (!json_is_object(env))
        return fail(c, p, "expected object, got %s", type_name(env));
    json_object_foreach((json_t *)env, key, v) {
        char kp[256], *val, *kv;
        size_t len;
        snprintf(kp, sizeof kp, "%s.%s", p, key);
        if (!*key || strchr(key, '='))
            return fail(c, kp, "not a variable name%s", "");
        if (!json_is_string(v))
            return fail(c, kp, "expected string, got %s", type_name(v));
        if (!(val = expand_static(c, json_string_value(v))))
            return -1;
        len = strlen(key) + strlen(val) + 2;
        kv = malloc(len);
        if (kv)
            snprintf(kv, len, "%s=%s", key, val);
        free(val);
        if (push_word(&t->env, &n, kv) < 0)
            return err_set(c->e, "out of memory");
    }
    return 0;
}

static int parse_ready(struct ctx *c, const json_t *r, const char *path, struct suite_target *t)
{
    static const char *const known[] = {"tcp", "http", "stdout", NULL};
    char p[160], kp[192];
    json_t *v;

    snprintf(p, sizeof p, "%s.ready", path);
    if (!json_is_object(r))
        return fail(c, p, "expected object, got %s", type_name(r));
    if (check_keys(c, r, p, known) < 0)
        return -1;
    if (json_object_size(r) != 1)
        return fail(c, p, "expected one of {\"tcp\": true}, {\"http\": \"/path\"} or "
                          "{\"stdout\": \"TEXT\"}%s", "");
    if ((v = json_object_get(r, "tcp"))) {
        snprintf(kp, sizeof kp, "%s.tcp", p);
        if (!json_is_true(v))
            return fail(c, kp, "expected true, got %s", json_is_false(v) ? "false" : type_name(v));
        t->ready = READY_TCP;
    } else if ((v = json_object_get(r, "http"))) {
        snprintf(kp, sizeof kp, "%s.http", p);
        if (!json_is_string(v))
            return fail(c, kp, "expected a path such as \"/health\", got %s", type_name(v));
        if (json_string_value(v)[0] != '/' || strpbrk(json_string_value(v), " \r\n"))
            return fail(c, kp, "'%s' is not a path (it starts with '/' and has no blanks)",
                        json_string_value(v));
        t->ready = READY_HTTP;
        t->ready_arg = strdup(json_string_value(v));
    } else {
        v = json_object_get(r, "stdout");
        snprintf(kp, sizeof kp, "%s.stdout", p);
        if (!json_is_string(v))
            return fail(c, kp, "expected string, got %s", type_name(v));
        if (!*json_string_value(v) || strchr(json_string_value(v), '\n') ||
            strlen(json_string_value(v)) > 1024)
            return fail(c, kp, "expected one line of text (1 to 1024 bytes)%s", "");
        t->ready = READY_STDOUT;
        t->ready_arg = strdup(json_string_value(v));
    }
    if (t->ready != READY_TCP && !t->ready_arg)
        return err_set(c->e, "out of memory");
    return 0;
}

static int get_positive_duration(struct ctx *c, const json_t *obj, const char *key,
                                 const char *path, uint64_t *ns)
{
    json_t *v = json_object_get(obj, key);
    char p[160];

    if (!v)
        return 0;
    snprintf(p, sizeof p, "%s.%s", path, key);
    if (get_duration(c, v, p, ns) < 0)
        return -1;
    if (*ns == 0)
        return fail(c, p, "must be above zero%s", "");
    return 0;
}

static int parse_target(struct ctx *c, const json_t *it, const char *path, struct suite *s,
                        size_t idx)
{
    static const char *const known[] = {"name", "command", "shell", "env", "cwd", "port",
                                        "ready", "ready_timeout", "stop_timeout", NULL};
    struct suite_target *t = &s->targets[idx];
    char p[160], *cwd = NULL;
    int shell = 0;
    size_t i;
    json_t *v;

    t->ready = READY_TCP;
    t->ready_timeout_ns = SUITE_READY_TIMEOUT_NS;
    t->stop_timeout_ns = SUITE_STOP_TIMEOUT_NS;
    if (!json_is_object(it))
        return fail(c, path, "expected object, got %s", type_name(it));
    if (check_keys(c, it, path, known) < 0 || get_string(c, it, "name", path, 1, &t->name) < 0 ||
        check_name(c, t->name, path) < 0)
        return -1;
    for (i = 0; i < idx; i++)
        if (!strcmp(s->targets[i].name, t->name)) {
            snprintf(p, sizeof p, "%s.name", path);
            return fail(c, p, "a second target named \"%s\"", t->name);
        }
    if (get_bool(c, it, "shell", path, &shell) < 0 ||
        parse_target_command(c, it, path, shell, t) < 0)
        return -1;
    if ((v = json_object_get(it, "env")) && parse_env(c, v, path, t) < 0)
        return -1;
    if (get_string(c, it, "cwd", path, 0, &cwd) < 0)
        return -1;
    if (cwd) {
        char *x = expand_static(c, cwd);
        free(cwd);
        if (!x)
            return -1;
        if (x[0] == '/')
            t->cwd = x;
        else {
            size_t len = strlen(c->abs_dir) + strlen(x) + 2;
            if ((t->cwd = malloc(len)))
                snprintf(t->cwd, len, "%s/%s", c->abs_dir, x);
            free(x);
        }
    } else
        t->cwd = strdup(c->abs_dir);
    if (!t->cwd)
        return err_set(c->e, "out of memory");
    if ((v = json_object_get(it, "port"))) {
        unsigned port;
        snprintf(p, sizeof p, "%s.port", path);
        if (get_count(c, v, p, 1, 65535, &port) < 0)
            return -1;
        t->port = (int)port;
    }
    if ((v = json_object_get(it, "ready")) && parse_ready(c, v, path, t) < 0)
        return -1;
    if (get_positive_duration(c, it, "ready_timeout", path, &t->ready_timeout_ns) < 0 ||
        get_positive_duration(c, it, "stop_timeout", path, &t->stop_timeout_ns) < 0)
        return -1;
    return 0;
}

/* ---- scenarios ---------------------------------------------------------------- */

/* An integer, or a non-empty array of them (*axis set), into *out (n
 * values; *out holds a one-value default that a scalar overwrites). */
static int get_counts(struct ctx *c, const json_t *v, const char *p, long long lo, long long hi,
                      unsigned **out, size_t *n, int *axis)
{
    json_t *x;
    size_t i;

    if (json_is_array(v)) {
        if (json_array_size(v) == 0)
            return fail(c, p, "empty list%s", "");
        *axis = 1;
        *n = json_array_size(v);
        free(*out);
        if (!(*out = calloc(*n, sizeof **out)))
            return err_set(c->e, "out of memory");
        json_array_foreach(v, i, x) {
            char ip[256];
            snprintf(ip, sizeof ip, "%s[%zu]", p, i);
            if (get_count(c, x, ip, lo, hi, &(*out)[i]) < 0)
                return -1;
        }
        return 0;
    }
    if (!json_is_integer(v))
        return err_set(c->e, "%s: %s: expected an integer from %lld to %lld or an array of them, "
                       "got %s", c->file, p, lo, hi, type_name(v));
    *n = 1;
    if (!*out && !(*out = calloc(1, sizeof **out)))
        return err_set(c->e, "out of memory");
    return get_count(c, v, p, lo, hi, &(*out)[0]);
}

static int get_rate(struct ctx *c, const json_t *v, const char *p, double *out)
{
    if (!json_is_number(v))
        return fail(c, p, "expected a rate in requests/s (a number >= 0; 0: closed loop), got %s",
                    type_name(v));
    *out = json_number_value(v);
    if (!(*out >= 0) || *out > 1e8)
        return fail(c, p, "expected a rate from 0 (closed loop) to 1e8 requests/s%s", "");
    return 0;
}

static int get_rates(struct ctx *c, const json_t *v, const char *p, struct suite_scenario *sc)
{
    json_t *x;
    size_t i;

    if (!json_is_array(v)) {
        if (!json_is_number(v))
            return fail(c, p, "expected a rate in requests/s (a number >= 0; 0: closed loop) or an "
                              "array of them, got %s", type_name(v));
        return get_rate(c, v, p, &sc->rates[0]);
    }
    if (json_array_size(v) == 0)
        return fail(c, p, "empty list%s", "");
    free(sc->rates);
    sc->rate_axis = 1;
    sc->nrates = json_array_size(v);
    if (!(sc->rates = calloc(sc->nrates, sizeof *sc->rates)))
        return err_set(c->e, "out of memory");
    json_array_foreach(v, i, x) {
        char ip[256];
        snprintf(ip, sizeof ip, "%s[%zu]", p, i);
        if (get_rate(c, x, ip, &sc->rates[i]) < 0)
            return -1;
    }
    return 0;
}

static int get_strings(struct ctx *c, const json_t *v, const char *p, char ***out, size_t *n)
{
    json_t *x;
    size_t i;

    if (!json_is_array(v))
        return fail(c, p, "expected array of strings, got %s", type_name(v));
    *out = calloc(json_array_size(v) + 1, sizeof **out);
    if (!*out)
        return err_set(c->e, "out of memory");
    json_array_foreach(v, i, x) {
        char ip[256];
        snprintf(ip, sizeof ip, "%s[%zu]", p, i);
        if (!json_is_string(x))
            return fail(c, ip, "expected string, got %s", type_name(x));
        if (!((*out)[i] = strdup(json_string_value(x))))
            return err_set(c->e, "out of memory");
        *n = i + 1;
    }
    return 0;
}

static int parse_thresholds(struct ctx *c, const json_t *v, const char *p,
                            struct suite_scenario *sc)
{
    size_t i;

    if (get_strings(c, v, p, &sc->thresholds, &sc->nthresholds) < 0)
        return -1;
    if (sc->nthresholds && !(sc->limits = calloc(sc->nthresholds, sizeof *sc->limits)))
        return err_set(c->e, "out of memory");
    for (i = 0; i < sc->nthresholds; i++) {
        struct limit *l = &sc->limits[i];
        struct err le = {0};
        const char *sug;
        char ip[256];
        snprintf(ip, sizeof ip, "%s[%zu]", p, i);
        if (limit_parse(sc->thresholds[i], l, &le) < 0)
            return fail(c, ip, "%s", le.msg);
        if (!load_metric_known(l->metric, &sug)) {
            char msg[256];
            snprintf(msg, sizeof msg, "unknown metric '%s'%s%s%s", l->metric,
                     sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
            return fail(c, ip, "%s", msg);
        }
    }
    return 0;
}

/* The load settings a scenario shares with pacer load. */
static int parse_load(struct ctx *c, const json_t *it, const char *path, struct suite_scenario *sc)
{
    struct load_opts *o = &sc->load;
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)it, key, v) {
        char p[192];
        unsigned u;
        snprintf(p, sizeof p, "%s.%s", path, key);
        if (!strcmp(key, "connections")) {
            if (get_counts(c, v, p, 1, 1000000, &sc->connections, &sc->nconnections,
                           &sc->connections_axis) < 0)
                return -1;
        } else if (!strcmp(key, "rate")) {
            if (get_rates(c, v, p, sc) < 0)
                return -1;
        } else if (!strcmp(key, "threads")) {
            if (get_count(c, v, p, 1, 256, &o->threads) < 0)
                return -1;
        } else if (!strcmp(key, "pipeline")) {
            if (get_count(c, v, p, 1, 1024, &o->pipeline) < 0)
                return -1;
        } else if (!strcmp(key, "digits")) {
            if (get_count(c, v, p, 1, 5, &u) < 0)
                return -1;
            o->digits = (int)u;
        } else if (!strcmp(key, "repetitions")) {
            if (get_count(c, v, p, 1, 1000, &sc->repetitions) < 0)
                return -1;
        } else if (!strcmp(key, "seed")) {
            if (!json_is_integer(v) || json_integer_value(v) < 0)
                return fail(c, p, "expected an integer >= 0, got %s",
                            json_is_integer(v) ? "a negative one" : type_name(v));
            o->seed = (uint64_t)json_integer_value(v);
        } else if (!strcmp(key, "keepalive")) {
            if (!json_is_boolean(v))
                return fail(c, p, "expected boolean, got %s", type_name(v));
            o->keepalive = json_is_true(v);
        } else if (!strcmp(key, "arrival")) {
            const char *a = json_is_string(v) ? json_string_value(v) : "";
            if (!strcmp(a, "constant"))
                o->arrival = ARRIVAL_CONSTANT;
            else if (!strcmp(a, "poisson"))
                o->arrival = ARRIVAL_POISSON;
            else
                return fail(c, p, "expected \"constant\" or \"poisson\"%s", "");
        } else if (!strcmp(key, "duration") || !strcmp(key, "timeout") ||
                   !strcmp(key, "interval") || !strcmp(key, "late")) {
            uint64_t *dst = key[0] == 'd' ? &o->duration_ns : key[0] == 't' ? &o->timeout_ns
                          : key[0] == 'i' ? &o->interval_ns : &o->late_ns;
            if (get_duration(c, v, p, dst) < 0)
                return -1;
            if (*dst == 0)
                return fail(c, p, "must be above zero%s", "");
        } else if (!strcmp(key, "warmup")) {
            if (get_duration(c, v, p, &o->warmup_ns) < 0)
                return -1;
        } else if (!strcmp(key, "headers")) {
            if (get_strings(c, v, p, &sc->headers, &sc->nheaders) < 0)
                return -1;
        } else if (!strcmp(key, "thresholds")) {
            if (parse_thresholds(c, v, p, sc) < 0)
                return -1;
        }
    }
    return 0;
}

/* The url and the request it makes must hold together (scheme, payload,
 * headers), checked now with a stand-in port rather than after minutes of
 * running. */
static int check_request(struct ctx *c, const char *path, struct suite_scenario *sc)
{
    const char *names[] = {"port", NULL}, *values[] = {"1", NULL};
    const char *http_only = sc->method ? "method" : sc->nheaders ? "headers" : sc->body ? "body"
                          : NULL;
    struct load_request rq = {sc->method, (const char *const *)sc->headers, sc->nheaders,
                              sc->body, sc->body ? strlen(sc->body) : 0, sc->payload,
                              sc->framing};
    struct load_opts o = sc->load;
    struct err le = {0};
    char p[192], *url = suite_expand(sc->url, names, values), *buf = NULL;
    int rc;

    if (!url)
        return err_set(c->e, "out of memory");
    snprintf(p, sizeof p, "%s.url", path);
    rc = target_url_parse(url, &o.url, &le);
    if (rc == 0 && o.url.scheme == SCHEME_HTTP && (sc->payload || sc->framing)) {
        snprintf(p, sizeof p, "%s.%s", path, sc->payload ? "payload" : "framing");
        rc = fail(c, p, "only for tcp:// urls%s", "");
    } else if (rc == 0 && o.url.scheme == SCHEME_TCP && http_only) {
        snprintf(p, sizeof p, "%s.%s", path, http_only);
        rc = fail(c, p, "only for http:// urls%s", "");
    } else if (rc == 0 && o.url.scheme == SCHEME_TCP && !sc->payload) {
        snprintf(p, sizeof p, "%s.payload", path);
        rc = fail(c, p, "missing (a tcp:// url needs the bytes to send)%s", "");
    } else if (rc < 0) {
        /* "url 'X': cause" names the url with the stand-in port: name it
         * as written. */
        const char *cause = strstr(le.msg, "': ");
        rc = err_set(c->e, "%s: %s: url '%s': %s", c->file, p, sc->url,
                     cause ? cause + 3 : le.msg);
    } else if ((o.url_text = url, load_prepare(&o, &rq, &buf, &le)) < 0) {
        const char *field = !strncmp(le.msg, "header", 6) ? "headers"
                          : !strncmp(le.msg, "bad method", 10) ? "method"
                          : !strncmp(le.msg, "framing", 7) ? "framing"
                          : sc->payload ? "payload" : "url";
        snprintf(p, sizeof p, "%s.%s", path, field);
        rc = fail(c, p, "%s", le.msg);
    }
    free(buf);
    free(url);
    return rc;
}

static int parse_scenario(struct ctx *c, const json_t *it, const char *path, struct suite *s,
                          size_t idx)
{
    static const char *const known[] = {
        "name", "target", "url", "connections", "threads", "duration", "warmup", "rate",
        "arrival", "pipeline", "keepalive", "timeout", "method", "headers", "body", "payload",
        "framing", "interval", "late", "digits", "seed", "repetitions", "thresholds", NULL};
    struct suite_scenario *sc = &s->scenarios[idx];
    char p[192], *tname = NULL, *url = NULL;
    size_t i;

    load_opts_default(&sc->load);
    sc->repetitions = SUITE_REPETITIONS;
    sc->connections = calloc(1, sizeof *sc->connections);
    sc->rates = calloc(1, sizeof *sc->rates);
    if (!sc->connections || !sc->rates)
        return err_set(c->e, "out of memory");
    sc->connections[0] = sc->load.connections;
    sc->nconnections = sc->nrates = 1;
    if (!json_is_object(it))
        return fail(c, path, "expected object, got %s", type_name(it));
    if (check_keys(c, it, path, known) < 0 || get_string(c, it, "name", path, 1, &sc->name) < 0 ||
        check_name(c, sc->name, path) < 0)
        return -1;
    for (i = 0; i < idx; i++)
        if (!strcmp(s->scenarios[i].name, sc->name)) {
            snprintf(p, sizeof p, "%s.name", path);
            return fail(c, p, "a second scenario named \"%s\"", sc->name);
        }
    if (get_string(c, it, "target", path, s->ntargets != 1, &tname) < 0)
        return -1;
    if (tname) {
        const char **names = calloc(s->ntargets + 1, sizeof *names), *sug;
        if (!names) {
            free(tname);
            return err_set(c->e, "out of memory");
        }
        for (i = 0; i < s->ntargets; i++)
            names[i] = s->targets[i].name;
        for (i = 0; i < s->ntargets && strcmp(names[i], tname); i++)
            ;
        sc->target = i;
        sug = i == s->ntargets ? jr_suggest(tname, names) : NULL;
        if (i == s->ntargets) {
            char msg[256];
            snprintf(p, sizeof p, "%s.target", path);
            snprintf(msg, sizeof msg, "no target named \"%s\"%s%s%s", tname,
                     sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
            free(names);
            free(tname);
            return fail(c, p, "%s", msg);
        }
        free(names);
        free(tname);
    }
    if (get_string(c, it, "url", path, 1, &url) < 0)
        return -1;
    sc->url = expand_static(c, url);
    free(url);
    if (!sc->url || get_string(c, it, "method", path, 0, &sc->method) < 0 ||
        get_string(c, it, "body", path, 0, &sc->body) < 0 ||
        get_string(c, it, "payload", path, 0, &sc->payload) < 0 ||
        get_string(c, it, "framing", path, 0, &sc->framing) < 0 || parse_load(c, it, path, sc) < 0)
        return -1;
    return check_request(c, path, sc);
}

/* "targets" or "scenarios": an array of objects, each parsed by one(). */
static int parse_list(struct ctx *c, const json_t *root, const char *key, struct suite *s,
                      void **arr, size_t size, size_t *n,
                      int (*one)(struct ctx *, const json_t *, const char *, struct suite *,
                                 size_t))
{
    json_t *v = json_object_get(root, key), *it;
    size_t i;

    if (!v)
        return 0;
    if (!json_is_array(v))
        return fail(c, key, "expected array, got %s", type_name(v));
    if (!(*arr = calloc(json_array_size(v) + 1, size)))
        return err_set(c->e, "out of memory");
    json_array_foreach(v, i, it) {
        char p[64];
        snprintf(p, sizeof p, "%s[%zu]", key, i);
        *n = i + 1;
        if (one(c, it, p, s, i) < 0)
            return -1;
    }
    return 0;
}

/* An absolute form of path (it need not exist), or NULL. */
static char *absolute(const char *path)
{
    char cwd[4096], *r = realpath(path, NULL);
    size_t len;

    if (r || path[0] == '/')
        return r ? r : strdup(path);
    if (!getcwd(cwd, sizeof cwd))
        return strdup(path);
    len = strlen(cwd) + strlen(path) + 2;
    if ((r = malloc(len)))
        snprintf(r, len, "%s/%s", cwd, path);
    return r;
}

int suite_load(const char *path, struct suite *s, struct err *e)
{
    static const char *const known[] = {"name", "settings", "micro", "commands", "targets",
                                        "scenarios", "compare", NULL};
    json_error_t je;
    json_t *root, *v;
    struct ctx c;
    char *dcopy = strdup(path), *build = NULL, *abs_dir = NULL, *abs_build = NULL;
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
        /* build/ beside the suite's directory, or beside its parent (a
         * suite in suites/macro/ of the source tree). */
        size_t len = strlen(c.dir) + 16;
        struct stat sb;
        build = malloc(len);
        if (build) {
            snprintf(build, len, "%s/../build", c.dir);
            if (stat(build, &sb) < 0) {
                snprintf(build, len, "%s/../../build", c.dir);
                if (stat(build, &sb) < 0 || !S_ISDIR(sb.st_mode))
                    snprintf(build, len, "%s/../build", c.dir);
            }
        }
    }
    c.build = build ? build : "build";
    abs_dir = absolute(c.dir);
    abs_build = absolute(c.build);
    c.abs_dir = abs_dir ? abs_dir : c.dir;
    c.abs_build = abs_build ? abs_build : c.build;
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
    if (parse_list(&c, root, "targets", s, (void **)&s->targets, sizeof *s->targets,
                   &s->ntargets, parse_target) < 0 ||
        parse_list(&c, root, "scenarios", s, (void **)&s->scenarios, sizeof *s->scenarios,
                   &s->nscenarios, parse_scenario) < 0)
        goto cleanup;
    if ((v = json_object_get(root, "compare"))) {
        if (!json_is_object(v)) {
            fail(&c, "compare", "expected object, got %s", type_name(v));
            goto cleanup;
        }
        s->compare = json_incref(v);
    }
    if (s->nmicro == 0 && s->ncmds == 0 && s->nscenarios == 0) {
        err_set(e, "%s: $: the suite names no benchmarks (\"micro\", \"commands\" or "
                "\"scenarios\")", path);
        goto cleanup;
    }
    rc = 0;
cleanup:
    json_decref(root);
    free(dcopy);
    free(build);
    free(abs_dir);
    free(abs_build);
    return rc;
}

void suite_free(struct suite *s)
{
    size_t i, k;

    for (i = 0; i < s->nmicro; i++) {
        free(s->micro[i].binary);
        free(s->micro[i].filter);
    }
    for (i = 0; i < s->ncmds; i++)
        cmd_spec_free(&s->cmds[i].spec);
    for (i = 0; i < s->ntargets; i++) {
        struct suite_target *t = &s->targets[i];
        free(t->name);
        words_free(t->argv);
        words_free(t->env);
        free(t->cwd);
        free(t->ready_arg);
    }
    for (i = 0; i < s->nscenarios; i++) {
        struct suite_scenario *sc = &s->scenarios[i];
        free(sc->name);
        free(sc->url);
        free(sc->connections);
        free(sc->rates);
        free(sc->method);
        free(sc->body);
        free(sc->payload);
        free(sc->framing);
        words_free(sc->headers);
        for (k = 0; sc->limits && k < sc->nthresholds; k++)
            limit_free(&sc->limits[k]);
        free(sc->limits);
        words_free(sc->thresholds);
    }
    free(s->targets);
    free(s->scenarios);
    free(s->micro);
    free(s->cmds);
    json_decref(s->compare);
    free(s->name);
    free(s->path);
    memset(s, 0, sizeof *s);
}
