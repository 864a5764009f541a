/* profile.c: callgrind's output read as stacks and functions (profile.h). */
#include "profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"

/* The frames the worker's own code adds below the benchmark: a stack is
 * cut after the last of them (from the root). */
static const char *const cut_at[] = {"measure_once", "do_profile", NULL};

struct reader {
    const char *name;
    unsigned lineno;
    struct profile *p;
    struct err *e;
    char *file;                   /* fl= in force */
    long ctx;                     /* the stack of fn= in force, -1 none */
    int in_call;                  /* the next cost line is a call's */
    size_t cap;
    char **ctx_names;             /* fn= text of each stack, to merge repeats */
};

static int fail(struct reader *r, const char *cause)
{
    return err_set(r->e, "%s: line %u: %s", r->name, r->lineno, cause);
}

/* The stack of context text s (callee first, "'"-separated), added when
 * new; its index, or -1 when out of memory. */
static long stack_of(struct reader *r, const char *s, size_t len)
{
    struct profile *p = r->p;
    struct prof_stack *st;
    char *copy, *at, *next, **fr;
    size_t i, n = 1, k, cut = 0;

    for (i = 0; i < p->nstacks; i++)
        if (strlen(r->ctx_names[i]) == len && !memcmp(r->ctx_names[i], s, len))
            return (long)i;
    if (p->nstacks == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        struct prof_stack *ns = realloc(p->stacks, cap * sizeof *ns);
        char **nn;
        if (!ns)
            return -1;
        p->stacks = ns;
        if (!(nn = realloc(r->ctx_names, cap * sizeof *nn)))
            return -1;
        r->ctx_names = nn;
        r->cap = cap;
    }
    if (!(copy = strndup(s, len)) || !(r->ctx_names[p->nstacks] = strndup(s, len))) {
        free(copy);
        return -1;
    }
    for (i = 0; i < len; i++)
        n += s[i] == '\'';
    if (!(fr = calloc(n, sizeof *fr))) {
        free(copy);
        free(r->ctx_names[p->nstacks]);
        return -1;
    }
    /* callee first in the text: root first in frames */
    for (at = copy, k = n; at; at = next) {
        next = strchr(at, '\'');
        if (next)
            *next++ = '\0';
        fr[--k] = at;
    }
    for (i = 0; i < n; i++)
        for (k = 0; cut_at[k]; k++)
            if (!strcmp(fr[i], cut_at[k]))
                cut = i + 1;
    st = &p->stacks[p->nstacks];
    st->n = n - cut;
    st->frames = malloc((st->n ? st->n : 1) * sizeof *st->frames);
    if (!st->frames) {
        free(copy);
        free(fr);
        free(r->ctx_names[p->nstacks]);
        return -1;
    }
    for (i = 0; i < st->n; i++)
        if (!(st->frames[i] = strdup(fr[cut + i]))) {
            while (i)
                free(st->frames[--i]);
            free(st->frames);
            free(copy);
            free(fr);
            free(r->ctx_names[p->nstacks]);
            return -1;
        }
    st->cost = 0;
    free(copy);
    free(fr);
    return (long)p->nstacks++;
}

/* The function named name, added when new; NULL when out of memory. */
static struct prof_fn *fn_of(struct profile *p, const char *name, size_t *cap)
{
    size_t i;

    for (i = 0; i < p->nfns; i++)
        if (!strcmp(p->fns[i].name, name))
            return &p->fns[i];
    if (p->nfns == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        struct prof_fn *nf = realloc(p->fns, nc * sizeof *nf);
        if (!nf)
            return NULL;
        p->fns = nf;
        *cap = nc;
    }
    memset(&p->fns[p->nfns], 0, sizeof p->fns[0]);
    if (!(p->fns[p->nfns].name = strdup(name)))
        return NULL;
    return &p->fns[p->nfns++];
}

/* A cost line "line Ir ...": Ir to the context's self cost (not a
 * call's), and the leaf function's file and line. */
static int cost_line(struct reader *r, const char *s, size_t *fcap)
{
    char *end;
    unsigned long line = strtoul(s, &end, 10);
    double ir;

    if (end == s)
        return fail(r, "malformed cost line");
    ir = strtod(end, &end);
    if (r->in_call) {
        r->in_call = 0;
        return 0;
    }
    if (r->ctx < 0)
        return fail(r, "a cost before any fn=");
    r->p->stacks[r->ctx].cost += ir;
    if (r->p->stacks[r->ctx].n) {
        const struct prof_stack *st = &r->p->stacks[r->ctx];
        struct prof_fn *f = fn_of(r->p, st->frames[st->n - 1], fcap);
        if (!f)
            return err_set(r->e, "%s: out of memory", r->name);
        if (!f->file && r->file && !(f->file = strdup(r->file)))
            return err_set(r->e, "%s: out of memory", r->name);
        if (line && (!f->line || line < f->line))
            f->line = (unsigned)line;
    }
    return 0;
}

static int by_incl(const void *a, const void *b)
{
    double x = ((const struct prof_fn *)a)->incl, y = ((const struct prof_fn *)b)->incl;

    return (x < y) - (x > y);
}

/* Per iteration, inclusive costs, the order. */
static int finish(struct reader *r, size_t *fcap)
{
    struct profile *p = r->p;
    size_t i, k, j;

    if (!(p->iters > 0))
        p->iters = 1;
    p->total = 0;
    for (i = 0; i < p->nstacks; i++) {
        struct prof_stack *st = &p->stacks[i];
        st->cost /= p->iters;
        p->total += st->cost;
        for (k = 0; k < st->n; k++) {
            struct prof_fn *f;
            for (j = 0; j < k && strcmp(st->frames[j], st->frames[k]); j++)
                ;
            if (!(f = fn_of(p, st->frames[k], fcap)))
                return err_set(r->e, "%s: out of memory", r->name);
            if (k == st->n - 1)
                f->self += st->cost;
            if (j == k)       /* recursion: inclusive once per stack */
                f->incl += st->cost;
        }
    }
    qsort(p->fns, p->nfns, sizeof *p->fns, by_incl);
    return 0;
}

static int one_line(struct reader *r, const char *s, size_t len, size_t *fcap)
{
    const char *t;

    if (len == 0 || s[0] == '#')
        return 0;
    if (s[0] >= '0' && s[0] <= '9')
        return cost_line(r, s, fcap);
    if (s[0] == '+' || s[0] == '-' || s[0] == '*')
        return fail(r, "compressed positions (write with --compress-pos=no)");
    if (!strncmp(s, "fn=", 3)) {
        if (s[3] == '(' && len > 4 && s[4] >= '0' && s[4] <= '9')
            return fail(r, "compressed names (write with --compress-strings=no)");
        if ((r->ctx = stack_of(r, s + 3, len - 3)) < 0)
            return err_set(r->e, "%s: out of memory", r->name);
        r->in_call = 0;
        return 0;
    }
    if (!strncmp(s, "fl=", 3)) {
        free(r->file);
        if (!(r->file = strndup(s + 3, len - 3)))
            return err_set(r->e, "%s: out of memory", r->name);
        return 0;
    }
    if (!strncmp(s, "calls=", 6)) {
        r->in_call = 1;
        return 0;
    }
    if (!strncmp(s, "desc: Trigger:", 14) && (t = strstr(s, "iters=")) && t < s + len)
        r->p->iters = strtod(t + 6, NULL);
    return 0;
}

int profile_parse(const char *text, const char *name, struct profile *p, struct err *e)
{
    struct reader r = {name, 0, p, e, NULL, -1, 0, 0, NULL};
    const char *s = text, *nl;
    size_t fcap = 0, i;
    int rc = 0, seen_events = 0;

    memset(p, 0, sizeof *p);
    while (*s && rc == 0) {
        r.lineno++;
        nl = strchr(s, '\n');
        if (!nl)
            nl = s + strlen(s);
        if (!strncmp(s, "events:", 7)) {
            const char *ev = s + 7 + strspn(s + 7, " ");
            size_t len = strcspn(ev, " \n");
            seen_events = 1;
            /* the cost is the first event: cost lines are read by position */
            if (len == 0 || len >= sizeof p->event)
                rc = fail(&r, "no first event");
            else
                memcpy(p->event, ev, len);
        } else
            rc = one_line(&r, s, (size_t)(nl - s), &fcap);
        s = *nl ? nl + 1 : nl;
    }
    if (rc == 0 && !seen_events)
        rc = err_set(e, "%s: not a callgrind profile (no events: line)", name);
    if (rc == 0)
        rc = finish(&r, &fcap);
    free(r.file);
    for (i = 0; i < p->nstacks; i++)
        free(r.ctx_names[i]);
    free(r.ctx_names);
    if (rc < 0)
        profile_free(p);
    return rc;
}

int profile_load(const char *path, struct profile *p, struct err *e)
{
    char *text;
    size_t len;
    int rc;

    memset(p, 0, sizeof *p);
    if (jr_read_file(path, &text, &len, e) < 0)
        return -1;
    if (strlen(text) != len) {
        free(text);
        return err_set(e, "%s: not a callgrind profile (a NUL byte)", path);
    }
    rc = profile_parse(text, path, p, e);
    free(text);
    return rc;
}

void profile_free(struct profile *p)
{
    size_t i, k;

    for (i = 0; i < p->nfns; i++) {
        free(p->fns[i].name);
        free(p->fns[i].file);
    }
    for (i = 0; i < p->nstacks; i++) {
        for (k = 0; k < p->stacks[i].n; k++)
            free(p->stacks[i].frames[k]);
        free(p->stacks[i].frames);
    }
    free(p->fns);
    free(p->stacks);
    memset(p, 0, sizeof *p);
}

const char *profile_unit(const struct profile *p)
{
    return !strcmp(p->event, "Ir") ? "instructions" : !strcmp(p->event, "us") ? "microseconds"
                                                                              : p->event;
}

const char *profile_per(const struct profile *p)
{
    return !strcmp(p->event, "Ir") ? "an iteration" : !strcmp(p->event, "us") ? "a request"
                                                                              : "a repetition";
}

const struct prof_fn *profile_fn(const struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->nfns; i++)
        if (!strcmp(p->fns[i].name, name))
            return &p->fns[i];
    return NULL;
}

char *profile_file_name(char *buf, size_t len, const char *bench, const char *ext)
{
    size_t o = 0;
    const unsigned char *s;

    for (s = (const unsigned char *)bench; *s && o + 4 < len; s++) {
        if (*s == '/' || *s == '%' || *s <= ' ' || *s >= 0x7f)
            o += (size_t)snprintf(buf + o, len - o, "%%%02X", *s);
        else
            buf[o++] = (char)*s;
    }
    buf[o] = '\0';
    snprintf(buf + o, len - o, "%s", ext);
    return buf;
}

char *profile_dir(char *buf, size_t len, const char *result_path)
{
    snprintf(buf, len, "%s.profiles", result_path);
    return buf;
}
