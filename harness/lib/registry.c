/* registry.c: registration and expansion of benchmark definitions. */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct pacer_def *defs;   /* prepended; sorted at expansion */

void pacer_register(struct pacer_def *def)
{
    def->next = defs;
    defs = def;
}

void registry_reset(void)
{
    defs = NULL;
}

/* Names go into file names, regexes and protocol lines: keep them plain. */
static int name_ok(const char *s, int slash_ok)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || (slash_ok && c == '/')))
            return 0;
    }
    return 1;
}

int registry_axis_values(const struct pacer_axis *ax, long long **vals, size_t *n, struct err *e)
{
    long long *v, x;
    size_t cap = 8, k = 0;

    if (ax->values) {
        if (ax->nvalues == 0)
            return err_set(e, "parameter %s: empty list", ax->name);
        v = malloc(ax->nvalues * sizeof *v);
        if (!v)
            return err_set(e, "out of memory");
        memcpy(v, ax->values, ax->nvalues * sizeof *v);
        *vals = v;
        *n = ax->nvalues;
        return 0;
    }
    if (ax->lo < 0 || ax->hi < ax->lo)
        return err_set(e, "parameter %s: range %lld..%lld is empty or negative", ax->name, ax->lo,
                       ax->hi);
    if (ax->mult < 2)
        return err_set(e, "parameter %s: range multiplier %lld must be at least 2", ax->name,
                       ax->mult);
    v = malloc(cap * sizeof *v);
    if (!v)
        return err_set(e, "out of memory");
    /* lo, lo*mult, ... below hi, then hi itself (Google Benchmark's Range). */
    for (x = ax->lo;;) {
        if (k == cap) {
            long long *nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv) {
                free(v);
                return err_set(e, "out of memory");
            }
            v = nv;
        }
        if (x >= ax->hi) {
            v[k++] = ax->hi;
            break;
        }
        v[k++] = x;
        if (x == 0)
            x = 1;
        else if (x > ax->hi / ax->mult)
            x = ax->hi;
        else
            x *= ax->mult;
    }
    *vals = v;
    *n = k;
    return 0;
}

static int def_cmp(const void *a, const void *b)
{
    const struct pacer_def *x = *(const struct pacer_def *const *)a;
    const struct pacer_def *y = *(const struct pacer_def *const *)b;
    int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");

    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int inst_cmp(const void *a, const void *b)
{
    return strcmp(((const struct instance *)a)->name, ((const struct instance *)b)->name);
}

/* The thread counts of d's instances (->Threads(n), ->ThreadRange(lo,
 * hi): lo, 2lo, ... below hi, then hi); {0} when it declares none. */
static int thread_counts(const struct pacer_def *d, unsigned *tc, size_t *ntc, struct err *e)
{
    unsigned t;

    *ntc = 0;
    for (t = 0; d->threads && t < PACER_MAX_AXES && d->params[t].name; t++)
        if (!strcmp(d->params[t].name, "threads"))
            return err_set(e, "%s:%d: benchmark %s: a parameter named threads and .threads",
                           d->file, d->line, d->name);
    if (d->threads == 0) {
        if (d->threads_max)
            return err_set(e, "%s:%d: benchmark %s: .threads_max without .threads", d->file,
                           d->line, d->name);
        tc[(*ntc)++] = 0;
        return 0;
    }
    if (d->threads > REGISTRY_MAX_THREADS || d->threads_max > REGISTRY_MAX_THREADS)
        return err_set(e, "%s:%d: benchmark %s: at most %d threads", d->file, d->line, d->name,
                       REGISTRY_MAX_THREADS);
    if (d->threads_max && d->threads_max < d->threads)
        return err_set(e, "%s:%d: benchmark %s: .threads_max %u is below .threads %u", d->file,
                       d->line, d->name, d->threads_max, d->threads);
    for (t = d->threads; t < d->threads_max; t *= 2)
        tc[(*ntc)++] = t;
    tc[(*ntc)++] = d->threads_max ? d->threads_max : d->threads;
    return 0;
}

/* Append the instance of d at the point idx of its axes, run by threads. */
static int add_instance(const struct pacer_def *d, size_t naxes, long long *const *vals,
                        const size_t *idx, unsigned threads, struct instance **out, size_t *n,
                        size_t *cap, struct err *e)
{
    struct instance *in;
    size_t len, i;

    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        struct instance *nv = realloc(*out, ncap * sizeof **out);
        if (!nv)
            return err_set(e, "out of memory");
        *out = nv;
        *cap = ncap;
    }
    in = &(*out)[(*n)++];
    memset(in, 0, sizeof *in);
    in->def = d;
    in->nargs = naxes;
    in->threads = threads;
    len = (size_t)snprintf(in->name, sizeof in->name, "%s%s%s", d->group ? d->group : "",
                           d->group ? "/" : "", d->name);
    for (i = 0; i < naxes && len < sizeof in->name; i++) {
        in->args[i] = vals[i][idx[i]];
        len += (size_t)snprintf(in->name + len, sizeof in->name - len, "/%s=%lld",
                                d->params[i].name, in->args[i]);
    }
    if (d->manual_time && len < sizeof in->name)
        len += (size_t)snprintf(in->name + len, sizeof in->name - len, "/manual_time");
    if (threads && len < sizeof in->name)
        len += (size_t)snprintf(in->name + len, sizeof in->name - len, "/threads:%u", threads);
    if (len >= sizeof in->name)
        return err_set(e, "%s:%d: benchmark name %s... is too long", d->file, d->line, d->name);
    return 0;
}

/* Append the instances of one definition: an odometer over its axes. */
static int expand_def(const struct pacer_def *d, struct instance **out, size_t *n, size_t *cap,
                      struct err *e)
{
    long long *vals[PACER_MAX_AXES] = {0};
    size_t nvals[PACER_MAX_AXES] = {0}, idx[PACER_MAX_AXES] = {0};
    unsigned tc[64];
    size_t naxes = 0, i, ntc = 0, t;
    int rc = -1;

    if (!name_ok(d->name, 0))
        return err_set(e, "%s:%d: benchmark name '%s' may hold only letters, digits, '_', '-', '.'",
                       d->file, d->line, d->name ? d->name : "");
    if (d->group && !name_ok(d->group, 1))
        return err_set(e, "%s:%d: group '%s' may hold only letters, digits, '_', '-', '.', '/'",
                       d->file, d->line, d->group);
    if (!d->fn)
        return err_set(e, "%s:%d: benchmark %s has no function", d->file, d->line, d->name);
    while (naxes < PACER_MAX_AXES && d->params[naxes].name)
        naxes++;
    for (i = 0; i < naxes; i++) {
        if (!name_ok(d->params[i].name, 0)) {
            err_set(e, "%s:%d: parameter name '%s' may hold only letters, digits, '_', '-', '.'",
                    d->file, d->line, d->params[i].name);
            goto cleanup;
        }
        if (registry_axis_values(&d->params[i], &vals[i], &nvals[i], e) < 0) {
            err_prefix(e, "%s:%d: benchmark %s", d->file, d->line, d->name);
            goto cleanup;
        }
    }
    if (thread_counts(d, tc, &ntc, e) < 0)
        goto cleanup;
    for (;;) {
        for (t = 0; t < ntc; t++)
            if (add_instance(d, naxes, vals, idx, tc[t], out, n, cap, e) < 0)
                goto cleanup;
        /* Next point: the last axis turns fastest. */
        for (i = naxes; i > 0; i--) {
            if (++idx[i - 1] < nvals[i - 1])
                break;
            idx[i - 1] = 0;
        }
        if (i == 0)
            break;
    }
    rc = 0;
cleanup:
    for (i = 0; i < naxes; i++)
        free(vals[i]);
    return rc;
}

int registry_expand(struct instance **out, size_t *n, struct err *e)
{
    const struct pacer_def **arr = NULL;
    struct instance *inst = NULL, *sorted = NULL;
    size_t ndefs = 0, ninst = 0, cap = 0, i;
    const struct pacer_def *d;
    int rc = -1;

    for (d = defs; d; d = d->next)
        ndefs++;
    if (ndefs) {
        arr = malloc(ndefs * sizeof *arr);
        if (!arr)
            return err_set(e, "out of memory");
        for (i = 0, d = defs; d; d = d->next)
            arr[i++] = d;
        qsort(arr, ndefs, sizeof *arr, def_cmp);
    }
    for (i = 0; i < ndefs; i++)
        if (expand_def(arr[i], &inst, &ninst, &cap, e) < 0)
            goto cleanup;
    /* Duplicate names make results ambiguous: refuse them. */
    if (ninst > 1) {
        sorted = malloc(ninst * sizeof *sorted);
        if (!sorted) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        memcpy(sorted, inst, ninst * sizeof *sorted);
        qsort(sorted, ninst, sizeof *sorted, inst_cmp);
        for (i = 1; i < ninst; i++) {
            if (!strcmp(sorted[i].name, sorted[i - 1].name)) {
                err_set(e, "two benchmarks are named %s (%s:%d and %s:%d)", sorted[i].name,
                        sorted[i - 1].def->file, sorted[i - 1].def->line, sorted[i].def->file,
                        sorted[i].def->line);
                goto cleanup;
            }
        }
    }
    *out = inst;
    *n = ninst;
    inst = NULL;
    rc = 0;
cleanup:
    free(inst);
    free(sorted);
    free(arr);
    return rc;
}
