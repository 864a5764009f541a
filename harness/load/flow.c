/*
 * flow.c: flows checked and compiled before a load starts (flow.h): the
 * templates into parts with their variables resolved, the patterns
 * compiled, the order of captures and uses checked; and the JSON fields
 * the checks and captures read from answers.
 */
#include "flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chars.h"
#include "harness/lib/rx.h"

/* ---- templates --------------------------------------------------------- */

/* Where a compile is: the flow, the step, the field, for the messages. */
struct where {
    size_t flow, step;
    const char *field;
    struct err *e;
};

static int where_err(const struct where *w, const char *what, const char *name)
{
    return err_set(w->e, "flows[%zu].steps[%zu].%s: %s '%s'", w->flow, w->step, w->field,
                   what, name);
}

static int capture_slot(const struct load_flows *fs, const char *name, size_t n)
{
    size_t i;

    for (i = 0; i < fs->ncaptures; i++)
        if (strlen(fs->capture_names[i]) == n && !strncmp(fs->capture_names[i], name, n))
            return (int)i;
    return -1;
}

/* Whether the capture named [name, name+n) is set by a step of flow f
 * before step `before`. */
static int captured_before(const struct load_flow *f, size_t before, const char *name, size_t n)
{
    size_t s, k;

    for (s = 0; s < before; s++)
        for (k = 0; k < f->steps[s].ncaptures; k++) {
            const char *v = f->steps[s].captures[k].var;
            if (strlen(v) == n && !strncmp(v, name, n))
                return 1;
        }
    return 0;
}

/* Resolve the reference [name, name+n) of a template into p. */
static int tpl_resolve(const struct load_flows *fs, const struct load_flow *f,
                       const struct where *w, const char *name, size_t n, struct tpl_part *p)
{
    static const struct { const char *word; enum tpl_kind kind; } builtin[] = {
        {"user", TPL_USER}, {"iteration", TPL_ITERATION}, {"counter", TPL_COUNTER}};
    const char *dot = memchr(name, '.', n);
    size_t base = dot ? (size_t)(dot - name) : n, i, c;
    char ref[256];

    snprintf(ref, sizeof ref, "%.*s", (int)n, name);
    for (i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strlen(builtin[i].word) == n && !strncmp(builtin[i].word, name, n)) {
            p->kind = builtin[i].kind;
            return 0;
        }
    for (i = 0; i < fs->ndata; i++) {
        const struct load_data *d = &fs->data[i];
        if (strlen(d->name) != base || strncmp(d->name, name, base))
            continue;
        p->idx = i;
        if (d->kind == DATA_PICK) {
            if (dot)
                return where_err(w, "a list has no columns: variable", ref);
            p->kind = TPL_PICK;
            return 0;
        }
        p->kind = TPL_ROW;
        if (!dot)
            return 0;   /* the first column */
        for (c = 0; c < d->ncols; c++)
            if (strlen(d->cols[c]) == n - base - 1 && !strncmp(d->cols[c], dot + 1, n - base - 1)) {
                p->col = c;
                return 0;
            }
        return where_err(w, "no such column in its data file: variable", ref);
    }
    if (!captured_before(f, w->step, name, n)) {
        int anywhere = capture_slot(fs, name, n) >= 0;
        return where_err(w, anywhere ? "captured only by a later step or another flow: variable"
                                     : "never defined (not user, iteration, counter, a data "
                                       "name or a capture): variable", ref);
    }
    p->kind = TPL_CAPTURE;
    p->idx = (size_t)capture_slot(fs, name, n);
    return 0;
}

static int tpl_push(struct tpl *t, const struct tpl_part *p)
{
    struct tpl_part *np = realloc(t->parts, (t->nparts + 1) * sizeof *np);

    if (!np)
        return -1;
    t->parts = np;
    t->parts[t->nparts++] = *p;
    return 0;
}

/* Compile t->src: text, and ${name} references ($${ is a literal ${). */
static int tpl_compile(const struct load_flows *fs, const struct load_flow *f,
                       const struct where *w, struct tpl *t)
{
    const char *s = t->src, *start = s;

    free(t->parts);
    t->parts = NULL;
    t->nparts = 0;
    while (s && *s) {
        struct tpl_part p = {TPL_TEXT, start, 0, 0, 0};
        const char *end;
        if (s[0] == '$' && s[1] == '$' && s[2] == '{') {
            p.len = (size_t)(s + 1 - start);   /* up to the first $ */
            if (tpl_push(t, &p) < 0)
                return err_set(w->e, "out of memory");
            start = s += 2;
            continue;
        }
        if (s[0] != '$' || s[1] != '{') {
            s++;
            continue;
        }
        p.len = (size_t)(s - start);
        if (p.len && tpl_push(t, &p) < 0)
            return err_set(w->e, "out of memory");
        end = strchr(s + 2, '}');
        if (!end || end == s + 2)
            return where_err(w, end ? "empty reference" : "unterminated reference", s);
        memset(&p, 0, sizeof p);
        if (tpl_resolve(fs, f, w, s + 2, (size_t)(end - s - 2), &p) < 0)
            return -1;
        if (tpl_push(t, &p) < 0)
            return err_set(w->e, "out of memory");
        start = s = end + 1;
    }
    if (s && s > start) {
        struct tpl_part p = {TPL_TEXT, start, (size_t)(s - start), 0, 0};
        if (tpl_push(t, &p) < 0)
            return err_set(w->e, "out of memory");
    }
    return 0;
}

static void tpl_free(struct tpl *t)
{
    free(t->src);
    free(t->parts);
    t->src = NULL;
    t->parts = NULL;
    t->nparts = 0;
}

/* ---- JSON fields --------------------------------------------------------- */

struct jcur {
    const char *p, *end;
};

static void j_ws(struct jcur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* Skip a string (at its opening quote).  -1 when unterminated. */
static int j_string(struct jcur *c)
{
    for (c->p++; c->p < c->end; c->p++) {
        if (*c->p == '\\') {
            c->p++;
            continue;
        }
        if (*c->p == '"') {
            c->p++;
            return 0;
        }
    }
    return -1;
}

/* Skip one value; depth bounds nesting. */
static int j_skip(struct jcur *c, int depth)
{
    j_ws(c);
    if (c->p >= c->end || depth > 256)
        return -1;
    if (*c->p == '"')
        return j_string(c);
    if (*c->p == '{' || *c->p == '[') {
        char close = *c->p == '{' ? '}' : ']';
        int obj = *c->p == '{';
        c->p++;
        j_ws(c);
        if (c->p < c->end && *c->p == close) {
            c->p++;
            return 0;
        }
        for (;;) {
            if (obj) {
                j_ws(c);
                if (c->p >= c->end || *c->p != '"' || j_string(c) < 0)
                    return -1;
                j_ws(c);
                if (c->p >= c->end || *c->p++ != ':')
                    return -1;
            }
            if (j_skip(c, depth + 1) < 0)
                return -1;
            j_ws(c);
            if (c->p >= c->end)
                return -1;
            if (*c->p == ',') {
                c->p++;
                continue;
            }
            if (*c->p++ != close)
                return -1;
            return 0;
        }
    }
    while (c->p < c->end && !strchr(",}] \t\r\n", *c->p))
        c->p++;
    return 0;
}

/* The next element of path: its text in *k, *kn; returns the rest. */
static const char *path_next(const char *path, const char **k, size_t *kn)
{
    const char *dot = strchr(path, '.');

    *k = path;
    *kn = dot ? (size_t)(dot - path) : strlen(path);
    return dot ? dot + 1 : NULL;
}

static int all_digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

int json_path_valid(const char *path)
{
    const char *k;
    size_t kn;

    if (!path || !*path)
        return 0;
    while (path) {
        path = path_next(path, &k, &kn);
        if (!kn)
            return 0;
    }
    return 1;
}

/* Step into the member k of the object, or element k of the array, at c. */
static int j_enter(struct jcur *c, const char *k, size_t kn)
{
    j_ws(c);
    if (c->p >= c->end)
        return -1;
    if (*c->p == '[' && all_digits(k, kn)) {
        long want = strtol(k, NULL, 10), i;
        c->p++;
        for (i = 0;; i++) {
            j_ws(c);
            if (c->p < c->end && *c->p == ']')
                return 0;
            if (i == want)
                return 1;
            if (j_skip(c, 0) < 0)
                return -1;
            j_ws(c);
            if (c->p < c->end && *c->p == ',')
                c->p++;
        }
    }
    if (*c->p != '{')
        return j_skip(c, 0) < 0 ? -1 : 0;
    c->p++;
    for (;;) {
        const char *name;
        int match;
        j_ws(c);
        if (c->p >= c->end || *c->p == '}')
            return c->p < c->end ? 0 : -1;
        if (*c->p != '"')
            return -1;
        name = c->p + 1;
        if (j_string(c) < 0)
            return -1;
        match = (size_t)(c->p - 1 - name) == kn && !strncmp(name, k, kn);
        j_ws(c);
        if (c->p >= c->end || *c->p++ != ':')
            return -1;
        if (match)
            return 1;
        if (j_skip(c, 0) < 0)
            return -1;
        j_ws(c);
        if (c->p < c->end && *c->p == ',')
            c->p++;
    }
}

int json_field(const char *s, size_t n, const char *path, const char **v, size_t *vn)
{
    struct jcur c = {s, s + n};
    const char *k, *start;
    size_t kn;
    int rc;

    while (path) {
        path = path_next(path, &k, &kn);
        rc = j_enter(&c, k, kn);
        if (rc <= 0)
            return rc;
    }
    j_ws(&c);
    start = c.p;
    if (j_skip(&c, 0) < 0)
        return -1;
    if (*start == '"') {
        *v = start + 1;
        *vn = (size_t)(c.p - start - 2);
    } else {
        *v = start;
        *vn = (size_t)(c.p - start);
    }
    return 1;
}

/* ---- limits on steps and flows ------------------------------------------------ */

int flow_part_of(const char *text, int *step, const char **name, size_t *n)
{
    while (*text == ' ' || *text == '\t')
        text++;
    if (strncmp(text, "step:", 5) && strncmp(text, "flow:", 5))
        return 0;
    *step = text[0] == 's';
    *name = text + 5;
    *n = strcspn(*name, " \t<>");
    return 1;
}

int load_flows_has(const struct load_flows *fs, int step, const char *name, size_t n)
{
    size_t f, k;

    for (f = 0; fs && f < fs->nflows; f++) {
        if (!step && strlen(fs->flows[f].name) == n && !strncmp(fs->flows[f].name, name, n))
            return 1;
        for (k = 0; step && k < fs->flows[f].nsteps; k++)
            if (strlen(fs->flows[f].steps[k].name) == n &&
                !strncmp(fs->flows[f].steps[k].name, name, n))
                return 1;
    }
    return 0;
}

/* ---- steps ------------------------------------------------------------------ */

static int add_capture_name(struct load_flows *fs, const char *name, size_t *slot)
{
    int k = capture_slot(fs, name, strlen(name));
    char **nn;

    if (k >= 0) {
        *slot = (size_t)k;
        return 0;
    }
    nn = realloc(fs->capture_names, (fs->ncaptures + 1) * sizeof *nn);
    if (!nn)
        return -1;
    fs->capture_names = nn;
    if (!(nn[fs->ncaptures] = strdup(name)))
        return -1;
    *slot = fs->ncaptures++;
    return 0;
}

static int name_ok(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* The captures of step s: names, patterns, and whether they can match. */
static int captures_compile(struct load_flows *fs, struct flow_step *s, size_t fi, size_t si,
                            struct err *e)
{
    size_t k;

    for (k = 0; k < s->ncaptures; k++) {
        struct capture *c = &s->captures[k];
        const char *m;
        if (!name_ok(c->var))
            return err_set(e, "flows[%zu].steps[%zu].capture[%zu].var: '%s' is not a name "
                              "(letters, digits, _ and -)", fi, si, k, c->var ? c->var : "");
        if (c->kind != CAPTURE_HEADER && (s->head || s->status == 204 || s->status == 304))
            return err_set(e, "flows[%zu].steps[%zu].capture[%zu]: can never match: the "
                              "answer to %s has no body", fi, si, k,
                           s->head ? "a HEAD request" : "this status");
        if (c->kind == CAPTURE_HEADER) {
            for (m = c->expr; *m && char_is_token((unsigned char)*m); m++)
                ;
            if (!*c->expr || *m)
                return err_set(e, "flows[%zu].steps[%zu].capture[%zu].header: '%s' is not a "
                                  "header name", fi, si, k, c->expr);
        } else if (c->kind == CAPTURE_JSON && !json_path_valid(c->expr)) {
            return err_set(e, "flows[%zu].steps[%zu].capture[%zu].json: '%s' is not a path "
                              "(names and indices separated by dots)", fi, si, k, c->expr);
        } else if (c->kind == CAPTURE_REGEX) {
            if (regcomp(&c->re, c->expr, REG_EXTENDED) != 0 || rx_nodes(c->expr) > RX_MAX_NODES)
                return err_set(e, "flows[%zu].steps[%zu].capture[%zu].regex: '%s' is not a "
                                  "valid extended regular expression", fi, si, k, c->expr);
            c->compiled = 1;
            if (c->re.re_nsub > 1)
                return err_set(e, "flows[%zu].steps[%zu].capture[%zu].regex: '%s' has %zu "
                                  "groups: one at most (its text is captured)", fi, si, k,
                               c->expr, c->re.re_nsub);
        }
        if (c->kind != CAPTURE_HEADER)
            s->needs_body = 1;
        if (add_capture_name(fs, c->var, &c->slot) < 0)
            return err_set(e, "out of memory");
    }
    return 0;
}

static int checks_compile(struct flow_step *s, size_t fi, size_t si, struct err *e)
{
    size_t k;

    for (k = 0; k < s->nchecks; k++) {
        struct check *c = &s->checks[k];
        if (s->head || s->status == 204 || s->status == 304)
            return err_set(e, "flows[%zu].steps[%zu].checks[%zu]: can never pass: the answer "
                              "to %s has no body", fi, si, k,
                           s->head ? "a HEAD request" : "this status");
        if (c->kind == CHECK_JSON && !json_path_valid(c->expr))
            return err_set(e, "flows[%zu].steps[%zu].checks[%zu].json: '%s' is not a path",
                           fi, si, k, c->expr);
        if (c->kind == CHECK_REGEX) {
            if (regcomp(&c->re, c->expr, REG_EXTENDED | REG_NOSUB) != 0 ||
                rx_nodes(c->expr) > RX_MAX_NODES)
                return err_set(e, "flows[%zu].steps[%zu].checks[%zu].regex: '%s' is not a "
                                  "valid extended regular expression", fi, si, k, c->expr);
            c->compiled = 1;
        }
        s->needs_body = 1;
    }
    return 0;
}

static int step_compile(struct load_flows *fs, struct load_flow *f, size_t fi, size_t si,
                        struct err *e)
{
    struct flow_step *s = &f->steps[si];
    struct where w = {fi, si, "path", e};
    size_t k;

    s->index = fs->nsteps++;
    if (!s->name || !*s->name)
        return err_set(e, "flows[%zu].steps[%zu].name: missing", fi, si);
    if (!s->path.src || !*s->path.src)
        return err_set(e, "flows[%zu].steps[%zu].path: missing (every step requests a path)",
                       fi, si);
    if (s->path.src[0] != '/' && strncmp(s->path.src, "${", 2))
        return err_set(e, "flows[%zu].steps[%zu].path: '%s' does not start with / (or with "
                          "a variable that holds a path)", fi, si, s->path.src);
    if (s->status && (s->status < 100 || s->status > 599))
        return err_set(e, "flows[%zu].steps[%zu].status: %d is not an HTTP status", fi, si,
                       s->status);
    if (s->method) {
        const char *m;
        for (m = s->method; *m && char_is_token((unsigned char)*m); m++)
            ;
        if (!*s->method || *m)
            return err_set(e, "flows[%zu].steps[%zu].method: '%s' is not a method", fi, si,
                           s->method);
    }
    if (tpl_compile(fs, f, &w, &s->path) < 0)
        return -1;
    w.field = "headers";
    for (k = 0; k < s->nheaders; k++) {
        const char *h = s->headers[k].src, *colon = h ? strchr(h, ':') : NULL, *m;
        for (m = h; m && m < colon && char_is_token((unsigned char)*m); m++)
            ;
        if (!colon || colon == h || m != colon)
            return err_set(e, "flows[%zu].steps[%zu].headers[%zu]: '%s' is not 'Name: value'",
                           fi, si, k, h ? h : "");
        if (strpbrk(h, "\r\n"))
            return err_set(e, "flows[%zu].steps[%zu].headers[%zu]: contains CR or LF", fi, si, k);
        if (tpl_compile(fs, f, &w, &s->headers[k]) < 0)
            return -1;
    }
    w.field = s->json_body ? "json" : "body";
    return s->body.src ? tpl_compile(fs, f, &w, &s->body) : 0;
}

/* Whether a step before step si of flow fi is named name. */
static int step_named(const struct load_flows *fs, size_t fi, size_t si, const char *name)
{
    size_t f, k;

    for (f = 0; f <= fi; f++)
        for (k = 0; k < (f == fi ? si : fs->flows[f].nsteps); k++)
            if (!strcmp(fs->flows[f].steps[k].name, name))
                return 1;
    return 0;
}

int load_flows_compile(struct load_flows *fs, struct err *e)
{
    size_t fi, si, d;

    fs->nsteps = 0;
    if (!fs->nflows)
        return err_set(e, "flows: none (a flow needs one step at least)");
    for (d = 0; d < fs->ndata; d++)
        if (!fs->data[d].nrows)
            return err_set(e, "data.%s: empty (no %s)", fs->data[d].name,
                           fs->data[d].kind == DATA_PICK ? "items" : "rows");
    for (fi = 0; fi < fs->nflows; fi++) {
        struct load_flow *f = &fs->flows[fi];
        if (!f->name || !*f->name)
            return err_set(e, "flows[%zu].name: missing", fi);
        if (!(f->weight > 0))
            return err_set(e, "flows[%zu].weight: %g is not above 0", fi, f->weight);
        if (!f->nsteps)
            return err_set(e, "flows[%zu].steps: none (a flow needs one step at least)", fi);
        /* every capture's name first, so that a use before its capture
         * can be told from a name defined nowhere */
        for (si = 0; si < f->nsteps; si++) {
            struct flow_step *st = &f->steps[si];
            st->head = st->method && !strcmp(st->method, "HEAD");
            if (captures_compile(fs, st, fi, si, e) < 0 || checks_compile(st, fi, si, e) < 0)
                return -1;
        }
    }
    for (fi = 0; fi < fs->nflows; fi++) {
        struct load_flow *f = &fs->flows[fi];
        for (si = 0; si < f->nsteps; si++) {
            if (step_compile(fs, f, fi, si, e) < 0)
                return -1;
            if (step_named(fs, fi, si, f->steps[si].name))
                return err_set(e, "flows[%zu].steps[%zu].name: a second step named '%s' (a "
                                  "step's name is its benchmark's: name them apart)", fi, si,
                               f->steps[si].name);
        }
    }
    fs->compiled = 1;
    return 0;
}

static void step_free(struct flow_step *s)
{
    size_t k;

    free(s->name);
    free(s->method);
    tpl_free(&s->path);
    tpl_free(&s->body);
    for (k = 0; k < s->nheaders; k++)
        tpl_free(&s->headers[k]);
    free(s->headers);
    for (k = 0; k < s->ncaptures; k++) {
        free(s->captures[k].var);
        free(s->captures[k].expr);
        if (s->captures[k].compiled)
            regfree(&s->captures[k].re);
    }
    free(s->captures);
    for (k = 0; k < s->nchecks; k++) {
        free(s->checks[k].expr);
        free(s->checks[k].equals);
        if (s->checks[k].compiled)
            regfree(&s->checks[k].re);
    }
    free(s->checks);
}

void load_flows_free(struct load_flows *fs)
{
    size_t i, k;

    for (i = 0; i < fs->nflows; i++) {
        for (k = 0; k < fs->flows[i].nsteps; k++)
            step_free(&fs->flows[i].steps[k]);
        free(fs->flows[i].steps);
        free(fs->flows[i].name);
    }
    free(fs->flows);
    for (i = 0; i < fs->ndata; i++) {
        struct load_data *d = &fs->data[i];
        size_t ncells = d->kind == DATA_PICK ? d->nrows : d->nrows * d->ncols;
        for (k = 0; k < ncells; k++)
            free(d->cells[k]);
        for (k = 0; k < d->ncols; k++)
            free(d->cols[k]);
        free(d->cells);
        free(d->cols);
        free(d->name);
    }
    free(fs->data);
    for (i = 0; i < fs->ncaptures; i++)
        free(fs->capture_names[i]);
    free(fs->capture_names);
    memset(fs, 0, sizeof *fs);
}
