/* suite.c: reading suite files (suite.h): the file, its top level, micro and command entries. */
#include "suite.h"

#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/result/limit.h"
#include "suite_private.h"
#include "words.h"

/* Expand {build} and make a relative path relative to the suite's directory. */
static char *resolve(const struct sr *c, const char *s, int is_path)
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

static int parse_micro(const struct sr *c, const json_t *arr, struct suite *s)
{
    static const char *const known[] = {"binary", "filter", "settings", NULL};
    size_t i;
    json_t *it;

    if (!json_is_array(arr))
        return jr_fail(&c->jr, "micro", "expected array, got %s", jr_type(arr));
    s->micro = calloc(json_array_size(arr) + 1, sizeof *s->micro);
    if (!s->micro)
        return sr_oom(c);
    json_array_foreach(arr, i, it) {
        struct suite_micro *m = &s->micro[i];
        char path[JR_PATH_LEN], sp[JR_PATH_LEN], *bin = NULL;
        jr_index(path, "micro", i);
        if (!json_is_object(it))
            return jr_fail(&c->jr, path, "expected object, got %s", jr_type(it));
        s->nmicro = i + 1;
        if (sr_keys(c, it, path, known) < 0 ||
            jr_get_str(&c->jr, it, path, "binary", JR_REQ, &bin) < 0)
            return -1;
        m->binary = resolve(c, bin, 1);
        free(bin);   /* also when the filter is wrong (a leak fuzzing found) */
        if (jr_get_str(&c->jr, it, path, "filter", 0, &m->filter) < 0)
            return -1;
        if (sr_settings(c, json_object_get(it, "settings"), jr_join(sp, path, "settings"),
                        &m->ov) < 0)
            return -1;
    }
    return 0;
}

/* A command given as a list of words: its argv, and its line (the words
 * joined by blanks). */
static int parse_cmd_words(const struct sr *c, const json_t *cmd, const char *p,
                           struct cmd_spec *cs)
{
    size_t i, n = json_array_size(cmd), len = 0;
    json_t *w;

    if (n == 0)
        return jr_fail(&c->jr, p, "empty command");
    cs->argv = calloc(n + 1, sizeof *cs->argv);
    if (!cs->argv)
        return sr_oom(c);
    json_array_foreach(cmd, i, w) {
        char wp[JR_PATH_LEN];
        if (!json_is_string(w))
            return jr_fail(&c->jr, jr_index(wp, p, i), "expected string, got %s", jr_type(w));
        cs->argv[i] = resolve(c, json_string_value(w), 0);
        len += strlen(cs->argv[i]) + 1;
    }
    cs->line = calloc(len + 1, 1);
    for (i = 0; cs->line && i < n; i++) {
        if (i)
            strcat(cs->line, " ");
        strcat(cs->line, cs->argv[i]);
    }
    return 0;
}

static int parse_cmd(const struct sr *c, const json_t *it, const char *path, struct suite_cmd *sc)
{
    static const char *const known[] = {"name", "command", "shell", "prepare", "cleanup",
                                        "ignore_failure", "show_output", "settings", NULL};
    struct cmd_spec *cs = &sc->spec;
    json_t *cmd = json_object_get(it, "command");
    char p[JR_PATH_LEN], sp[JR_PATH_LEN];

    if (!json_is_object(it))
        return jr_fail(&c->jr, path, "expected object, got %s", jr_type(it));
    if (sr_keys(c, it, path, known) < 0)
        return -1;
    jr_join(p, path, "command");
    if (!cmd)
        return jr_fail(&c->jr, p, "missing");
    if (json_is_string(cmd)) {
        cs->line = resolve(c, json_string_value(cmd), 0);
        if (!*cs->line)
            return jr_fail(&c->jr, p, "empty command");
    } else if (json_is_array(cmd)) {
        if (parse_cmd_words(c, cmd, p, cs) < 0)
            return -1;
    } else
        return jr_fail(&c->jr, p, "expected string or array of strings, got %s", jr_type(cmd));
    if (jr_get_str(&c->jr, it, path, "name", 0, &cs->name) < 0 ||
        jr_get_bool(&c->jr, it, path, "shell", 0, &cs->shell) < 0 ||
        jr_get_str(&c->jr, it, path, "prepare", 0, &cs->prepare) < 0 ||
        jr_get_str(&c->jr, it, path, "cleanup", 0, &cs->cleanup) < 0 ||
        jr_get_bool(&c->jr, it, path, "ignore_failure", 0, &cs->ignore_failure) < 0 ||
        jr_get_bool(&c->jr, it, path, "show_output", 0, &cs->show_output) < 0)
        return -1;
    if (cs->shell && cs->argv)
        return jr_fail(&c->jr, p, "a shell command is one string, not a list");
    if (!cs->name)
        cs->name = strdup(cs->line);
    return sr_settings(c, json_object_get(it, "settings"), jr_join(sp, path, "settings"),
                       &sc->ov);
}

static int parse_cmds(const struct sr *c, const json_t *v, struct suite *s)
{
    json_t *it;
    size_t i;

    if (!json_is_array(v))
        return jr_fail(&c->jr, "commands", "expected array, got %s", jr_type(v));
    s->cmds = calloc(json_array_size(v) + 1, sizeof *s->cmds);
    if (!s->cmds)
        return sr_oom(c);
    json_array_foreach(v, i, it) {
        char p[JR_PATH_LEN];
        s->ncmds = i + 1;
        if (parse_cmd(c, it, jr_index(p, "commands", i), &s->cmds[i]) < 0)
            return -1;
    }
    return 0;
}

/* "targets" or "scenarios": an array of objects, each parsed by one(). */
static int parse_list(const struct sr *c, const json_t *root, const char *key, struct suite *s,
                      void **arr, size_t size, size_t *n,
                      int (*one)(const struct sr *, const json_t *, const char *, struct suite *,
                                 size_t))
{
    json_t *v = json_object_get(root, key), *it;
    size_t i;

    if (!v)
        return 0;
    if (!json_is_array(v))
        return jr_fail(&c->jr, key, "expected array, got %s", jr_type(v));
    if (!(*arr = calloc(json_array_size(v) + 1, size)))
        return sr_oom(c);
    json_array_foreach(v, i, it) {
        char p[JR_PATH_LEN];
        *n = i + 1;
        if (one(c, it, jr_index(p, key, i), s, i) < 0)
            return -1;
    }
    return 0;
}

/* The top level of the file, root, into s. */
static int parse_root(const struct sr *c, const json_t *root, struct suite *s)
{
    static const char *const known[] = {"name", "settings", "micro", "commands", "targets",
                                        "scenarios", "compare", NULL};
    const char *path = c->jr.name;
    json_t *v;

    if (!json_is_object(root))
        return jr_fail(&c->jr, "$", "expected object, got %s", jr_type(root));
    if (sr_keys(c, root, "", known) < 0 || jr_get_str(&c->jr, root, "", "name", 0, &s->name) < 0 ||
        sr_settings(c, json_object_get(root, "settings"), "settings", &s->ov) < 0)
        return -1;
    if (!s->name) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        s->name = strndup(base, strlen(base) > 5 && !strcmp(base + strlen(base) - 5, ".json")
                                    ? strlen(base) - 5 : strlen(base));
    }
    if ((v = json_object_get(root, "micro")) && parse_micro(c, v, s) < 0)
        return -1;
    if ((v = json_object_get(root, "commands")) && parse_cmds(c, v, s) < 0)
        return -1;
    if (parse_list(c, root, "targets", s, (void **)&s->targets, sizeof *s->targets,
                   &s->ntargets, sr_target) < 0 ||
        parse_list(c, root, "scenarios", s, (void **)&s->scenarios, sizeof *s->scenarios,
                   &s->nscenarios, sr_scenario) < 0)
        return -1;
    if ((v = json_object_get(root, "compare"))) {
        if (!json_is_object(v))
            return jr_fail(&c->jr, "compare", "expected object, got %s", jr_type(v));
        s->compare = json_incref(v);
    }
    if (s->nmicro == 0 && s->ncmds == 0 && s->nscenarios == 0)
        return err_set(c->jr.e, "%s: $: the suite names no benchmarks (\"micro\", \"commands\" "
                       "or \"scenarios\")", path);
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

/* What {build} means for a suite in dir: $PACER_BUILD, else build/ beside
 * the suite's directory, or beside its parent (a suite in suites/macro/ of
 * the source tree).  A new string, or NULL. */
static char *build_dir(const char *dir)
{
    const char *env = getenv("PACER_BUILD");
    size_t len = strlen(dir) + 16;
    struct stat sb;
    char *build;

    if (env && *env)
        return strdup(env);
    build = malloc(len);
    if (build) {
        snprintf(build, len, "%s/../build", dir);
        if (stat(build, &sb) < 0) {
            snprintf(build, len, "%s/../../build", dir);
            if (stat(build, &sb) < 0 || !S_ISDIR(sb.st_mode))
                snprintf(build, len, "%s/../build", dir);
        }
    }
    return build;
}

int suite_load(const char *path, struct suite *s, struct err *e)
{
    json_error_t je;
    json_t *root;
    struct sr c;
    char *dcopy = strdup(path), *build, *abs_dir, *abs_build;
    int rc = -1;

    memset(s, 0, sizeof *s);
    s->path = strdup(path);
    c.jr.name = path;
    c.jr.e = e;
    c.dir = dcopy ? dirname(dcopy) : ".";
    build = build_dir(c.dir);
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
    } else
        rc = parse_root(&c, root, s);
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
        free(t->needs);
        words_free(t->files);
        free(t->package);
    }
    for (i = 0; i < s->nscenarios; i++) {
        struct suite_scenario *sc = &s->scenarios[i];
        free(sc->name);
        free(sc->url);
        free(sc->connections);
        free(sc->rates);
        free(sc->stages);
        free(sc->method);
        free(sc->body);
        free(sc->payload);
        free(sc->framing);
        words_free(sc->headers);
        load_flows_free(&sc->flows);
        for (k = 0; sc->limits && k < sc->nthresholds; k++)
            limit_free(&sc->limits[k]);
        free(sc->limits);
        words_free(sc->thresholds);
        words_free(sc->capacity);
        capacity_goal_free(&sc->goal);
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
