/*
 * suite_flows.c: the flows of a load scenario (harness/load/flow.h), from a
 * suite file or a flow file of their own (pacer load --flow): the flows
 * and their steps, and the data their variables draw from (lists, CSV
 * files).  Everything is checked here and compiled (load_flows_compile)
 * before any target starts: a typo costs a line, not a run.
 */
#include "suite_private.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness/lib/fmt.h"

/* ---- think times ---------------------------------------------------------- */

/* "1s" (fixed), {"uniform": ["50ms", "150ms"]}, {"exponential": "1s"}. */
static int get_think(const struct sr *c, const json_t *v, const char *p, struct think *th)
{
    char q[JR_PATH_LEN];
    const json_t *x;

    if (json_is_string(v) || json_is_number(v)) {
        th->kind = THINK_FIXED;
        return sr_duration(c, v, p, &th->a);
    }
    if (!json_is_object(v) || json_object_size(v) != 1)
        return jr_fail(&c->jr, p, "expected a think time: \"1s\", {\"uniform\": [\"0.5s\", "
                                  "\"1.5s\"]} or {\"exponential\": \"1s\"}, got %s",
                       jr_type(v));
    if ((x = json_object_get(v, "uniform"))) {
        jr_join(q, p, "uniform");
        if (!json_is_array(x) || json_array_size(x) != 2)
            return jr_fail(&c->jr, q, "expected [LOW, HIGH], two durations");
        th->kind = THINK_UNIFORM;
        if (sr_duration(c, json_array_get(x, 0), q, &th->a) < 0 ||
            sr_duration(c, json_array_get(x, 1), q, &th->b) < 0)
            return -1;
        if (th->b < th->a)
            return jr_fail(&c->jr, q, "the high end is below the low end");
        return 0;
    }
    if ((x = json_object_get(v, "exponential"))) {
        th->kind = THINK_EXP;
        return sr_duration(c, x, jr_join(q, p, "exponential"), &th->a);
    }
    return jr_fail(&c->jr, p, "unknown think time '%s' (uniform or exponential)",
                   json_object_iter_key(json_object_iter((json_t *)v)));
}

/* ---- checks and captures ------------------------------------------------------ */

/* {"var": NAME, "header"|"regex"|"json": EXPR} */
static int get_capture(const struct sr *c, const json_t *v, const char *p, struct capture *cp)
{
    static const char *const known[] = {"var", "header", "regex", "json", NULL};
    static const char *const kinds[] = {"header", "regex", "json"};
    size_t k, found = 0;

    if (!json_is_object(v))
        return jr_fail(&c->jr, p, "expected {\"var\": NAME, \"json\"|\"regex\"|\"header\": "
                                  "...}, got %s", jr_type(v));
    if (sr_keys(c, v, p, known) < 0 || jr_get_str(&c->jr, v, p, "var", JR_REQ, &cp->var) < 0)
        return -1;
    for (k = 0; k < 3; k++)
        if (json_object_get(v, kinds[k])) {
            found++;
            cp->kind = (enum capture_kind)k;
            if (jr_get_str(&c->jr, v, p, kinds[k], JR_REQ, &cp->expr) < 0)
                return -1;
        }
    if (found != 1)
        return jr_fail(&c->jr, p, "give one of \"header\", \"regex\" or \"json\"");
    return 0;
}

/* {"contains": TEXT} | {"regex": PATTERN} | {"json": PATH[, "equals": VALUE]} */
static int get_check(const struct sr *c, const json_t *v, const char *p, struct check *ck)
{
    static const char *const known[] = {"contains", "regex", "json", "equals", NULL};
    const json_t *eq;
    char q[JR_PATH_LEN];

    if (!json_is_object(v))
        return jr_fail(&c->jr, p, "expected {\"contains\": ...}, {\"regex\": ...} or {\"json\": "
                                  "PATH, \"equals\": VALUE}, got %s", jr_type(v));
    if (sr_keys(c, v, p, known) < 0)
        return -1;
    if (json_object_get(v, "contains")) {
        ck->kind = CHECK_CONTAINS;
        return jr_get_str(&c->jr, v, p, "contains", JR_REQ, &ck->expr);
    }
    if (json_object_get(v, "regex")) {
        ck->kind = CHECK_REGEX;
        return jr_get_str(&c->jr, v, p, "regex", JR_REQ, &ck->expr);
    }
    if (!json_object_get(v, "json"))
        return jr_fail(&c->jr, p, "give one of \"contains\", \"regex\" or \"json\"");
    ck->kind = CHECK_JSON;
    if (jr_get_str(&c->jr, v, p, "json", JR_REQ, &ck->expr) < 0)
        return -1;
    if (!(eq = json_object_get(v, "equals")))
        return 0;
    /* a string's contents, else the value as JSON writes it */
    ck->equals = json_is_string(eq) ? strdup(json_string_value(eq))
                                    : json_dumps(eq, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!ck->equals)
        return sr_oom(c);
    if (json_is_object(eq) || json_is_array(eq))
        return jr_fail(&c->jr, jr_join(q, p, "equals"), "expected a string, number, boolean "
                                                        "or null");
    return 0;
}

/* ---- steps and flows ---------------------------------------------------------- */

static int get_tpl(const struct sr *c, const json_t *obj, const char *p, const char *key,
                   int flags, struct tpl *t)
{
    return jr_get_str(&c->jr, obj, p, key, flags, &t->src);
}

static int get_list(const struct sr *c, const json_t *obj, const char *p, const char *key,
                    size_t size, void **arr, size_t *n, const json_t **v, char *q)
{
    int has = jr_member(&c->jr, obj, p, key, 0, v, q);

    if (has <= 0)
        return has;
    if (!json_is_array(*v))
        return jr_expected(&c->jr, q, "array", *v);
    *n = json_array_size(*v);
    if (*n && !(*arr = calloc(*n, size)))
        return sr_oom(c);
    return 1;
}

/* "json": a body written as JSON (Locust's json=): its compact text, a
 * template as "body" is, sent with Content-Type: application/json unless
 * the step's headers give one.  After the headers are read. */
static int get_json_body(const struct sr *c, const json_t *v, const char *p, struct flow_step *s)
{
    static const char ctype[] = "Content-Type: application/json";
    const json_t *x = json_object_get(v, "json");
    struct tpl *h;
    char q[JR_PATH_LEN];
    size_t i, n;

    if (!x)
        return 0;
    if (s->body.src)
        return jr_fail(&c->jr, jr_join(q, p, "json"), "give \"body\" or \"json\", not both");
    /* into a buffer of pacer's (jansson's allocator may be an arena's) */
    n = json_dumpb(x, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!n || !(s->body.src = malloc(n + 1)))
        return sr_oom(c);
    json_dumpb(x, s->body.src, n, JSON_COMPACT | JSON_ENCODE_ANY);
    s->body.src[n] = '\0';
    s->json_body = 1;
    for (i = 0; i < s->nheaders; i++)
        if (!strncasecmp(s->headers[i].src, ctype, 13))
            return 0;
    if (!(h = realloc(s->headers, (s->nheaders + 1) * sizeof *h)))
        return sr_oom(c);
    s->headers = h;
    memset(&h[s->nheaders], 0, sizeof *h);
    if (!(h[s->nheaders].src = strdup(ctype)))
        return sr_oom(c);
    s->nheaders++;
    return 0;
}

static int get_step(const struct sr *c, const json_t *v, const char *p, struct flow_step *s)
{
    static const char *const known[] = {"name", "method", "path", "headers", "body", "json",
                                        "status", "capture", "checks", "think", NULL};
    char q[JR_PATH_LEN], r[JR_PATH_LEN];
    const json_t *x, *it;
    size_t i;
    long long st = 0;
    int has;

    if (!json_is_object(v))
        return jr_fail(&c->jr, p, "expected a step {\"name\": ..., \"path\": ...}, got %s",
                       jr_type(v));
    if (sr_keys(c, v, p, known) < 0 || jr_get_str(&c->jr, v, p, "name", JR_REQ, &s->name) < 0 ||
        sr_name(c, s->name, p) < 0 || jr_get_str(&c->jr, v, p, "method", 0, &s->method) < 0 ||
        get_tpl(c, v, p, "path", 0, &s->path) < 0 || get_tpl(c, v, p, "body", 0, &s->body) < 0 ||
        jr_get_int(&c->jr, v, p, "status", 0, 100, 599, &st) < 0)
        return -1;
    s->status = (int)st;
    if (!s->path.src)
        return jr_fail(&c->jr, jr_join(q, p, "path"), "missing (every step requests a path)");
    if ((has = get_list(c, v, p, "headers", sizeof *s->headers, (void **)&s->headers,
                        &s->nheaders, &x, q)) < 0)
        return -1;
    json_array_foreach(has ? x : NULL, i, it) {
        if (!json_is_string(it))
            return jr_expected(&c->jr, jr_index(r, q, i), "string \"Name: value\"", it);
        if (!(s->headers[i].src = strdup(json_string_value(it))))
            return sr_oom(c);
    }
    if (get_json_body(c, v, p, s) < 0)
        return -1;
    if ((has = get_list(c, v, p, "capture", sizeof *s->captures, (void **)&s->captures,
                        &s->ncaptures, &x, q)) < 0)
        return -1;
    json_array_foreach(has ? x : NULL, i, it)
        if (get_capture(c, it, jr_index(r, q, i), &s->captures[i]) < 0)
            return -1;
    if ((has = get_list(c, v, p, "checks", sizeof *s->checks, (void **)&s->checks,
                        &s->nchecks, &x, q)) < 0)
        return -1;
    json_array_foreach(has ? x : NULL, i, it)
        if (get_check(c, it, jr_index(r, q, i), &s->checks[i]) < 0)
            return -1;
    if ((has = jr_member(&c->jr, v, p, "think", 0, &x, q)) < 0)
        return -1;
    s->has_think = has > 0;
    return has ? get_think(c, x, q, &s->think) : 0;
}

static int get_flow(const struct sr *c, const json_t *v, const char *p, struct load_flow *f)
{
    static const char *const known[] = {"name", "weight", "think", "steps", NULL};
    char q[JR_PATH_LEN], r[JR_PATH_LEN];
    const json_t *x, *it;
    size_t i;
    int has;

    if (!json_is_object(v))
        return jr_fail(&c->jr, p, "expected a flow {\"name\": ..., \"steps\": [...]}, got %s",
                       jr_type(v));
    f->weight = 1;
    if (sr_keys(c, v, p, known) < 0 || jr_get_str(&c->jr, v, p, "name", JR_REQ, &f->name) < 0 ||
        sr_name(c, f->name, p) < 0 || jr_get_num(&c->jr, v, p, "weight", 0, &f->weight) < 0)
        return -1;
    if (!(f->weight > 0) || f->weight > 1e9)
        return jr_fail(&c->jr, jr_join(q, p, "weight"), "must be above 0");
    if ((has = jr_member(&c->jr, v, p, "think", 0, &x, q)) < 0 ||
        (has && get_think(c, x, q, &f->think) < 0))
        return -1;
    if ((has = get_list(c, v, p, "steps", sizeof *f->steps, (void **)&f->steps, &f->nsteps, &x,
                        q)) < 0)
        return -1;
    if (!has || !f->nsteps)
        return jr_fail(&c->jr, q, "a flow needs one step at least");
    json_array_foreach(x, i, it)
        if (get_step(c, it, jr_index(r, q, i), &f->steps[i]) < 0)
            return -1;
    return 0;
}

/* ---- data ------------------------------------------------------------------- */

/* One CSV field from *s (quotes as RFC 4180 has them) into a new string;
 * *s then at the separator or the end of the line. */
static char *csv_field(const char **s)
{
    const char *p = *s;
    char *out = malloc(strlen(p) + 1), *o = out;

    if (!out)
        return NULL;
    if (*p == '"') {
        for (p++; *p; p++) {
            if (*p == '"' && p[1] == '"')
                *o++ = *p++;
            else if (*p == '"') {
                p++;
                break;
            } else
                *o++ = *p;
        }
    }
    while (*p && *p != ',' && *p != '\n' && *p != '\r')
        *o++ = *p++;
    *o = '\0';
    *s = p;
    return out;
}

/* The fields of the line at *s: appended to *cells (*n of them). */
static int csv_line(const char **s, char ***cells, size_t *n, size_t *count)
{
    *count = 0;
    for (;;) {
        char **nc = realloc(*cells, (*n + 1) * sizeof *nc);
        if (!nc)
            return -1;
        *cells = nc;
        if (!(nc[*n] = csv_field(s)))
            return -1;
        (*n)++;
        (*count)++;
        if (**s != ',')
            break;
        (*s)++;
    }
    if (**s == '\r')
        (*s)++;
    if (**s == '\n')
        (*s)++;
    return 0;
}

static int read_csv(const struct sr *c, const char *p, const char *file, struct load_data *d)
{
    char *buf = NULL, **cells = NULL;
    const char *s;
    size_t len, n = 0, cnt, i, line = 1;
    struct err fe = {0};
    int rc = -1;

    if (jr_read_file(file, &buf, &len, &fe) < 0)
        return jr_fail(&c->jr, p, "%s", fe.msg);
    if (strlen(buf) != len) {
        jr_fail(&c->jr, p, "%s: holds a NUL byte: not a CSV file", file);
        goto out;
    }
    s = buf;
    if (!*s || csv_line(&s, &d->cols, &d->ncols, &cnt) < 0) {
        jr_fail(&c->jr, p, *s ? "out of memory" : "%s: empty (a header line, then rows)", file);
        goto out;
    }
    while (*s) {
        line++;
        if (*s == '\n' || *s == '\r') {   /* blank lines are no rows */
            s++;
            continue;
        }
        if (csv_line(&s, &cells, &n, &cnt) < 0) {
            sr_oom(c);
            goto out;
        }
        if (cnt != d->ncols) {
            jr_fail(&c->jr, p, "%s: line %zu has %zu fields, the header %zu", file, line, cnt,
                    d->ncols);
            goto out;
        }
    }
    d->cells = cells;
    d->nrows = n / d->ncols;
    cells = NULL;
    n = 0;
    rc = d->nrows ? 0 : jr_fail(&c->jr, p, "%s: no rows below the header", file);
out:
    for (i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
    free(buf);
    return rc;
}

/* "NAME": {"pick": [...]} | {"csv": FILE[, "order": "sequential"|"random"]} */
static int get_data(const struct sr *c, const char *name, const json_t *v, const char *p,
                    struct load_data *d)
{
    static const char *const known[] = {"pick", "csv", "order", NULL};
    char q[JR_PATH_LEN], *file = NULL, *order = NULL, *path;
    const json_t *x, *it;
    size_t i;
    int rc;

    if (!(d->name = strdup(name)))
        return sr_oom(c);
    if (sr_name(c, name, p) < 0 || strchr(name, '.'))
        return jr_fail(&c->jr, p, "'%s' is not a name for data (no '.')", name);
    if (!json_is_object(v))
        return jr_expected(&c->jr, p, "object {\"pick\": [...]} or {\"csv\": FILE}", v);
    if (sr_keys(c, v, p, known) < 0)
        return -1;
    if ((x = json_object_get(v, "pick"))) {
        d->kind = DATA_PICK;
        jr_join(q, p, "pick");
        if (!json_is_array(x) || !json_array_size(x))
            return jr_fail(&c->jr, q, "expected a non-empty list of strings");
        if (!(d->cells = calloc(json_array_size(x), sizeof *d->cells)))
            return sr_oom(c);
        json_array_foreach(x, i, it) {
            char r[JR_PATH_LEN];
            if (!json_is_string(it))
                return jr_expected(&c->jr, jr_index(r, q, i), "string", it);
            if (!(d->cells[d->nrows++] = strdup(json_string_value(it))))
                return sr_oom(c);
        }
        return 0;
    }
    d->kind = DATA_ROWS;
    if (jr_get_str(&c->jr, v, p, "csv", JR_REQ, &file) < 0 ||
        jr_get_str(&c->jr, v, p, "order", 0, &order) < 0)
        goto fail;
    if (order && strcmp(order, "sequential") && strcmp(order, "random")) {
        jr_fail(&c->jr, jr_join(q, p, "order"), "expected \"sequential\" or \"random\"");
        goto fail;
    }
    d->random = order && !strcmp(order, "random");
    path = file[0] == '/' ? strdup(file) : NULL;
    if (!path && (path = malloc(strlen(c->dir) + strlen(file) + 2)))
        sprintf(path, "%s/%s", c->dir, file);
    rc = path ? read_csv(c, jr_join(q, p, "csv"), path, d) : sr_oom(c);
    free(path);
    free(file);
    free(order);
    return rc;
fail:
    free(file);
    free(order);
    return -1;
}

/* ---- the section --------------------------------------------------------------- */

static int get_flows(const struct sr *c, const json_t *obj, const char *path,
                     struct load_flows *fs)
{
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *v, *it;
    const char *key;
    size_t i = 0;
    int has;

    if ((has = jr_member(&c->jr, obj, path, "data", 0, &v, p)) < 0)
        return -1;
    if (has) {
        if (!json_is_object(v))
            return jr_expected(&c->jr, p, "object of named data", v);
        if (json_object_size(v) && !(fs->data = calloc(json_object_size(v), sizeof *fs->data)))
            return sr_oom(c);
        json_object_foreach((json_t *)v, key, it) {
            fs->ndata++;
            if (get_data(c, key, it, jr_join(q, p, key), &fs->data[i++]) < 0)
                return -1;
        }
    }
    if ((has = get_list(c, obj, path, "flows", sizeof *fs->flows, (void **)&fs->flows,
                        &fs->nflows, &v, p)) < 0)
        return -1;
    if (!has || !fs->nflows)
        return jr_fail(&c->jr, jr_join(q, path, "flows"), "missing (one flow at least)");
    json_array_foreach(v, i, it)
        if (get_flow(c, it, jr_index(q, p, i), &fs->flows[i]) < 0)
            return -1;
    return 0;
}

/* Compile fs, its error placed under path ("scenarios[0].flows[1]..."). */
static int compile_at(const struct sr *c, const char *path, struct load_flows *fs)
{
    struct err ce = {0};
    char p[JR_PATH_LEN];
    const char *sep;

    if (load_flows_compile(fs, &ce) == 0)
        return 0;
    sep = strstr(ce.msg, ": ");
    if (!sep)
        return jr_fail(&c->jr, path, "%s", ce.msg);
    jr_pathf(p, "%s%s%.*s", path, *path ? "." : "", (int)(sep - ce.msg), ce.msg);
    return jr_fail(&c->jr, p, "%s", sep + 2);
}

int sr_flows(const struct sr *c, const json_t *obj, const char *path, struct load_flows *fs)
{
    if (get_flows(c, obj, path, fs) < 0)
        return -1;
    return compile_at(c, path, fs);
}

int flowfile_load(const char *path, struct load_flows *fs, struct err *e)
{
    static const char *const known[] = {"flows", "data", NULL};
    char *dcopy = strdup(path);
    struct sr c;
    json_t *root;
    int rc = -1;

    memset(fs, 0, sizeof *fs);
    memset(&c, 0, sizeof c);
    c.jr.name = path;
    c.jr.e = e;
    c.dir = dcopy ? dirname(dcopy) : ".";
    c.build = c.abs_dir = c.abs_build = c.dir;
    if (!(root = jr_load(path, e)))
        goto out;
    if (!json_is_object(root))
        jr_expected(&c.jr, "", "object {\"flows\": [...], \"data\": {...}}", root);
    else if (sr_keys(&c, root, "", known) == 0)
        rc = sr_flows(&c, root, "", fs);
    json_decref(root);
out:
    free(dcopy);
    return rc;
}
