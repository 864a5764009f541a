/* explain.c: what changed between two profiles (explain.h). */
#include "explain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double size_of(const struct fn_change *c)
{
    if (!c->in_base || !c->in_new)   /* new or gone: all it costs */
        return fabs(c->n_incl - c->b_incl);
    return fabs(c->n_self - c->b_self);
}

static int by_change(const void *pa, const void *pb)
{
    const struct fn_change *a = pa, *b = pb;
    double x = size_of(a), y = size_of(b);

    if (x != y)
        return (x < y) - (x > y);
    x = fabs(a->n_incl - a->b_incl);
    y = fabs(b->n_incl - b->b_incl);
    if (x != y)
        return (x < y) - (x > y);
    return strcmp(a->name, b->name);
}

int explain_profiles(const struct profile *b, const struct profile *n, struct explanation *x)
{
    size_t i, k = 0;

    memset(x, 0, sizeof *x);
    x->b_total = b->total;
    x->n_total = n->total;
    if (!(x->ch = calloc(b->nfns + n->nfns + 1, sizeof *x->ch)))
        return -1;
    for (i = 0; i < n->nfns; i++) {
        const struct prof_fn *f = &n->fns[i], *g = profile_fn(b, f->name);
        struct fn_change *c = &x->ch[k++];
        c->name = f->name;
        c->n_self = f->self;
        c->n_incl = f->incl;
        c->in_new = 1;
        if (g) {
            c->b_self = g->self;
            c->b_incl = g->incl;
            c->in_base = 1;
        }
    }
    for (i = 0; i < b->nfns; i++) {
        const struct prof_fn *g = &b->fns[i];
        struct fn_change *c;
        if (profile_fn(n, g->name))
            continue;
        c = &x->ch[k++];
        c->name = g->name;
        c->b_self = g->self;
        c->b_incl = g->incl;
        c->in_base = 1;
    }
    x->n = k;
    qsort(x->ch, x->n, sizeof *x->ch, by_change);
    return 0;
}

void explain_free(struct explanation *x)
{
    free(x->ch);
    memset(x, 0, sizeof *x);
}

char *explain_line(char *buf, size_t len, const struct explanation *x, size_t top)
{
    size_t i, shown = 0, o = 0;
    double floor = 1e-3 * x->b_total;

    buf[0] = '\0';
    for (i = 0; i < x->n && shown < top && o < len; i++) {
        const struct fn_change *c = &x->ch[i];
        /* a function one side lacks counts by all it costs */
        double d = !c->in_base ? c->n_incl : !c->in_new ? -c->b_incl : c->n_self - c->b_self;
        if (!(fabs(d) >= floor) || fabs(d) < 0.05)
            continue;
        o += (size_t)snprintf(buf + o, len - o, "%s", shown ? ", " : "");
        if (o >= len)
            break;
        if (!c->in_base)
            o += (size_t)snprintf(buf + o, len - o, "%s new (+%.1f)", c->name, c->n_incl);
        else if (!c->in_new)
            o += (size_t)snprintf(buf + o, len - o, "%s gone (-%.1f)", c->name, c->b_incl);
        else if (c->b_self > 0)
            o += (size_t)snprintf(buf + o, len - o, "%s self %+.1f (%+.1f%%)", c->name, d,
                                  100 * d / c->b_self);
        else
            o += (size_t)snprintf(buf + o, len - o, "%s self %+.1f", c->name, d);
        shown++;
    }
    if (!shown)
        snprintf(buf, len, "no function's own cost changed by 0.1%% of the total or more");
    return buf;
}
