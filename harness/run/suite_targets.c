/* suite_targets.c: the "targets" of a suite file, the servers its scenarios load (suite.h). */
#include "suite_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/monitor.h"
#include "words.h"

/* Append w (stolen; NULL: out of memory) to the NULL-terminated *argv of
 * *n words. */
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

static int parse_target_command(const struct sr *c, const json_t *it, const char *path,
                                int shell, struct suite_target *t)
{
    json_t *cmd = json_object_get(it, "command"), *w;
    struct err we = {0};
    char p[JR_PATH_LEN], wp[JR_PATH_LEN], **words = NULL;
    size_t n = 0, i;

    jr_join(p, path, "command");
    if (!cmd)
        return jr_fail(&c->jr, p, "missing");
    if (json_is_array(cmd)) {
        if (shell)
            return jr_fail(&c->jr, p, "a shell command is one string, not a list");
        if (json_array_size(cmd) == 0)
            return jr_fail(&c->jr, p, "empty command");
        json_array_foreach(cmd, i, w) {
            jr_index(wp, p, i);
            if (!json_is_string(w))
                return jr_fail(&c->jr, wp, "expected string, got %s", jr_type(w));
            if (push_word(&t->argv, &n, sr_expand(c, json_string_value(w))) < 0)
                return sr_oom(c);
        }
        return 0;
    }
    if (!json_is_string(cmd))
        return jr_fail(&c->jr, p, "expected string or array of strings, got %s", jr_type(cmd));
    if (shell) {
        if (!*json_string_value(cmd))
            return jr_fail(&c->jr, p, "empty command");
        if (push_word(&t->argv, &n, strdup("/bin/sh")) < 0 ||
            push_word(&t->argv, &n, strdup("-c")) < 0 ||
            push_word(&t->argv, &n, sr_expand(c, json_string_value(cmd))) < 0)
            return sr_oom(c);
        return 0;
    }
    if (words_split(json_string_value(cmd), &words, &we) < 0)
        return jr_fail(&c->jr, p, "%s", we.msg);
    for (i = 0; words[i]; i++)
        if (push_word(&t->argv, &n, sr_expand(c, words[i])) < 0) {
            words_free(words);
            return sr_oom(c);
        }
    words_free(words);
    return 0;
}

static int parse_env(const struct sr *c, const json_t *env, const char *path,
                     struct suite_target *t)
{
    const char *key;
    json_t *v;
    size_t n = 0;
    char p[JR_PATH_LEN];

    jr_join(p, path, "env");
    if (!json_is_object(env))
        return jr_fail(&c->jr, p, "expected object, got %s", jr_type(env));
    json_object_foreach((json_t *)env, key, v) {
        char kp[JR_PATH_LEN], *val, *kv;
        size_t len;
        jr_join(kp, p, key);
        if (!*key || strchr(key, '='))
            return jr_fail(&c->jr, kp, "not a variable name");
        if (!json_is_string(v))
            return jr_fail(&c->jr, kp, "expected string, got %s", jr_type(v));
        if (!(val = sr_expand(c, json_string_value(v))))
            return -1;
        len = strlen(key) + strlen(val) + 2;
        kv = malloc(len);
        if (kv)
            snprintf(kv, len, "%s=%s", key, val);
        free(val);
        if (push_word(&t->env, &n, kv) < 0)
            return sr_oom(c);
    }
    return 0;
}

static int parse_ready(const struct sr *c, const json_t *r, const char *path,
                       struct suite_target *t)
{
    static const char *const known[] = {"tcp", "http", "stdout", NULL};
    char p[JR_PATH_LEN], kp[JR_PATH_LEN];
    json_t *v;

    jr_join(p, path, "ready");
    if (!json_is_object(r))
        return jr_fail(&c->jr, p, "expected object, got %s", jr_type(r));
    if (sr_keys(c, r, p, known) < 0)
        return -1;
    if (json_object_size(r) != 1)
        return jr_fail(&c->jr, p, "expected one of {\"tcp\": true}, {\"http\": \"/path\"} or "
                                  "{\"stdout\": \"TEXT\"}");
    if ((v = json_object_get(r, "tcp"))) {
        jr_join(kp, p, "tcp");
        if (!json_is_true(v))
            return jr_fail(&c->jr, kp, "expected true, got %s",
                           json_is_false(v) ? "false" : jr_type(v));
        t->ready = READY_TCP;
    } else if ((v = json_object_get(r, "http"))) {
        jr_join(kp, p, "http");
        if (!json_is_string(v))
            return jr_fail(&c->jr, kp, "expected a path such as \"/health\", got %s",
                           jr_type(v));
        if (json_string_value(v)[0] != '/' || strpbrk(json_string_value(v), " \r\n"))
            return jr_fail(&c->jr, kp,
                           "'%s' is not a path (it starts with '/' and has no blanks)",
                           json_string_value(v));
        t->ready = READY_HTTP;
        t->ready_arg = strdup(json_string_value(v));
    } else {
        v = json_object_get(r, "stdout");
        jr_join(kp, p, "stdout");
        if (!json_is_string(v))
            return jr_fail(&c->jr, kp, "expected string, got %s", jr_type(v));
        if (!*json_string_value(v) || strchr(json_string_value(v), '\n') ||
            strlen(json_string_value(v)) > 1024)
            return jr_fail(&c->jr, kp, "expected one line of text (1 to 1024 bytes)");
        t->ready = READY_STDOUT;
        t->ready_arg = strdup(json_string_value(v));
    }
    if (t->ready != READY_TCP && !t->ready_arg)
        return sr_oom(c);
    return 0;
}

/* "cwd" with its placeholders, relative to the suite's directory (default:
 * that directory). */
static int parse_cwd(const struct sr *c, const json_t *it, const char *path,
                     struct suite_target *t)
{
    char *cwd = NULL;

    if (jr_get_str(&c->jr, it, path, "cwd", 0, &cwd) < 0)
        return -1;
    if (cwd) {
        char *x = sr_expand(c, cwd);
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
        return sr_oom(c);
    return 0;
}

/* "needs": the targets started before this one (each named earlier in
 * the list, so that an order to start them always exists). */
static int parse_needs(const struct sr *c, const json_t *v, const char *path, struct suite *s,
                       size_t idx)
{
    struct suite_target *t = &s->targets[idx];
    char p[JR_PATH_LEN], wp[JR_PATH_LEN];
    json_t *w;
    size_t i, k;

    jr_join(p, path, "needs");
    if (!json_is_array(v))
        return jr_fail(&c->jr, p, "expected a list of target names, got %s", jr_type(v));
    if (!(t->needs = calloc(json_array_size(v) + 1, sizeof *t->needs)))
        return sr_oom(c);
    json_array_foreach(v, i, w) {
        const char *name = json_is_string(w) ? json_string_value(w) : NULL;
        jr_index(wp, p, i);
        if (!name)
            return jr_fail(&c->jr, wp, "expected a target name, got %s", jr_type(w));
        for (k = 0; k < idx && strcmp(s->targets[k].name, name); k++)
            ;
        if (k == idx)
            return jr_fail(&c->jr, wp, !strcmp(name, t->name)
                           ? "a target cannot need itself"
                           : "no target named \"%s\" before this one (a target needs "
                             "targets named earlier in the list)", name);
        {
            /* a need is monitored under its name beside the server */
            struct err le = {0};
            if (mon_label_check(name, strlen(name), &le) < 0)
                return jr_fail(&c->jr, wp, "\"%s\" cannot be monitored under its name: %s "
                               "(rename the target)", name, le.msg);
        }
        for (size_t j = 0; j < t->nneeds; j++)
            if (t->needs[j] == k)
                return jr_fail(&c->jr, wp, "\"%s\" is named twice", name);
        t->needs[t->nneeds++] = k;
    }
    return 0;
}

/* "files": {"NAME": "TEXT"}, written into the start's own temporary
 * folder ({tmp}) before the target starts, placeholders filled in. */
static int parse_files(const struct sr *c, const json_t *v, const char *path,
                       struct suite_target *t)
{
    char p[JR_PATH_LEN], kp[JR_PATH_LEN];
    const char *key;
    json_t *w;
    size_t n = 0;

    jr_join(p, path, "files");
    if (!json_is_object(v))
        return jr_fail(&c->jr, p, "expected object {\"NAME\": \"TEXT\"}, got %s", jr_type(v));
    if (!(t->files = calloc(2 * json_object_size(v) + 1, sizeof *t->files)))
        return sr_oom(c);
    json_object_foreach((json_t *)v, key, w) {
        jr_join(kp, p, key);
        if (!*key || strchr(key, '/') || !strcmp(key, ".") || !strcmp(key, ".."))
            return jr_fail(&c->jr, kp, "not a file name (no '/')");
        if (!json_is_string(w))
            return jr_fail(&c->jr, kp, "expected string, got %s", jr_type(w));
        if (!(t->files[n++] = strdup(key)) || !(t->files[n++] = sr_expand(c, json_string_value(w))))
            return sr_oom(c);
    }
    return 0;
}

int sr_target(const struct sr *c, const json_t *it, const char *path, struct suite *s,
              size_t idx)
{
    static const char *const known[] = {"name", "command", "shell", "env", "cwd", "port",
                                        "ready", "ready_timeout", "stop_timeout", "needs",
                                        "files", "package", NULL};
    struct suite_target *t = &s->targets[idx];
    char p[JR_PATH_LEN];
    int shell = 0;
    size_t i;
    json_t *v;

    t->ready = READY_TCP;
    t->ready_timeout_ns = SUITE_READY_TIMEOUT_NS;
    t->stop_timeout_ns = SUITE_STOP_TIMEOUT_NS;
    if (!json_is_object(it))
        return jr_fail(&c->jr, path, "expected object, got %s", jr_type(it));
    if (sr_keys(c, it, path, known) < 0 ||
        jr_get_str(&c->jr, it, path, "name", JR_REQ, &t->name) < 0 ||
        sr_name(c, t->name, path) < 0)
        return -1;
    for (i = 0; i < idx; i++)
        if (!strcmp(s->targets[i].name, t->name))
            return jr_fail(&c->jr, jr_join(p, path, "name"), "a second target named \"%s\"",
                           t->name);
    if (jr_get_bool(&c->jr, it, path, "shell", 0, &shell) < 0 ||
        parse_target_command(c, it, path, shell, t) < 0)
        return -1;
    if ((v = json_object_get(it, "env")) && parse_env(c, v, path, t) < 0)
        return -1;
    if (parse_cwd(c, it, path, t) < 0)
        return -1;
    if ((v = json_object_get(it, "port"))) {
        unsigned port;
        if (sr_count(c, v, jr_join(p, path, "port"), 1, 65535, &port) < 0)
            return -1;
        t->port = (int)port;
    }
    if ((v = json_object_get(it, "ready")) && parse_ready(c, v, path, t) < 0)
        return -1;
    if ((v = json_object_get(it, "needs")) && parse_needs(c, v, path, s, idx) < 0)
        return -1;
    if ((v = json_object_get(it, "files")) && parse_files(c, v, path, t) < 0)
        return -1;
    if (jr_get_str(&c->jr, it, path, "package", 0, &t->package) < 0)
        return -1;
    if (t->package && (!*t->package || strpbrk(t->package, " \t\n/")))
        return jr_fail(&c->jr, jr_join(p, path, "package"), "'%s' is not a package name",
                       t->package);
    if (sr_positive_duration(c, it, "ready_timeout", path, &t->ready_timeout_ns) < 0 ||
        sr_positive_duration(c, it, "stop_timeout", path, &t->stop_timeout_ns) < 0)
        return -1;
    return 0;
}
