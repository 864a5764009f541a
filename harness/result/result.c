/*
 * result.c: the in-memory result model of result.h: building a result,
 * freeing it, and the names of its enums.  The JSON form is result_json.h.
 */
#include "result.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capres.h"
#include "fits.h"
#include "loadrep.h"
#include "version.h"

/* The state of a context that holds nothing yet: unknown is NULL for
 * strings, -1 for git_dirty and NaN for measured numbers (written as
 * null), so an unmeasured value never reads as a real zero. */
static void context_init(struct context *c)
{
    memset(c, 0, sizeof *c);
    c->git_dirty = -1;
    c->cpus = -1;
    c->loadavg[0] = c->loadavg[1] = c->loadavg[2] = NAN;
    c->clock_resolution_ns = NAN;
    c->clock_read_ns = NAN;
}

void result_init(struct result *r)
{
    memset(r, 0, sizeof *r);
    r->schema_major = RESULT_SCHEMA_MAJOR;
    r->schema_minor = RESULT_SCHEMA_MINOR;
    r->complete = 1;
    context_init(&r->ctx);
    settings_default(&r->set);
    r->seg.start_lag_s = r->seg.clock_offset_s = r->seg.clock_maxerror_s = NAN; r->seg.clock_synced = -1;
}

void result_free(struct result *r)
{
    size_t i;

    if (!r)
        return;
    free(r->suite);
    if (r->argv) {
        for (i = 0; r->argv[i]; i++)
            free(r->argv[i]);
        free(r->argv);
    }
    context_free(&r->ctx);
    for (i = 0; i < r->nbenches; i++)
        bench_free(&r->benches[i]);
    free(r->benches);
    if (r->ab) {
        for (i = 0; i < r->ab->nbase; i++)
            bench_free(&r->ab->base[i]);
        free(r->ab->base);
        free(r->ab->base_label);
        free(r->ab->new_label);
        free(r->ab->order);
        json_decref(r->ab->analysis);
        free(r->ab);
    }
    fits_free(r);
    json_decref(r->merge);
    free(r->seg.run_id);
    free(r->seg.start_at);
    result_init(r);
}

struct ab_block *result_ab(struct result *r)
{
    if (!r->ab)
        r->ab = calloc(1, sizeof *r->ab);
    return r->ab;
}

/* Append a benchmark with the defaults of result_add_bench to an array. */
static struct bench *bench_push(struct bench **arr, size_t *n)
{
    struct bench *nb, *b;

    nb = realloc(*arr, (*n + 1) * sizeof *nb);
    if (!nb)
        return NULL;
    *arr = nb;
    b = &nb[*n];
    memset(b, 0, sizeof *b);
    b->unit = strdup("ns");
    if (!b->unit)
        return NULL;
    b->kind = KIND_MICRO;
    b->dir = DIR_LOWER;
    b->iterations = 1;
    b->processes = 1;
    (*n)++;
    return b;
}

struct bench *result_add_bench(struct result *r)
{
    return bench_push(&r->benches, &r->nbenches);
}

struct bench *ab_add_base(struct ab_block *ab)
{
    return bench_push(&ab->base, &ab->nbase);
}

struct bench *result_find(const struct result *r, const char *name)
{
    size_t i;

    if (!name)
        return NULL;
    for (i = 0; i < r->nbenches; i++)
        if (r->benches[i].name && strcmp(r->benches[i].name, name) == 0)
            return &r->benches[i];
    return NULL;
}

/* FNV-1a, 64 bits (Fowler, Noll and Vo; IETF draft-eastlake-fnv). */
static uint64_t name_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/* The slot of name in ix: where it is, or the empty slot that ends its
 * probe sequence. */
static size_t index_slot(const struct result_index *ix, const char *name)
{
    size_t i = (size_t)name_hash(name) & ix->mask;

    while (ix->slot[i] && strcmp(ix->r->benches[ix->slot[i] - 1].name, name) != 0)
        i = (i + 1) & ix->mask;
    return i;
}

/* At most half full, so a probe sequence stays short. */
int result_index_build(struct result_index *ix, const struct result *r)
{
    size_t i, cap = 16;

    while (cap < 2 * r->nbenches)
        cap *= 2;
    ix->r = r;
    ix->mask = cap - 1;
    ix->slot = calloc(cap, sizeof *ix->slot);
    if (!ix->slot)
        return -1;
    for (i = 0; i < r->nbenches; i++) {
        size_t s;

        if (!r->benches[i].name)
            continue;
        s = index_slot(ix, r->benches[i].name);
        if (!ix->slot[s])
            ix->slot[s] = i + 1;
    }
    return 0;
}

struct bench *result_index_find(const struct result_index *ix, const char *name)
{
    size_t s;

    if (!name)
        return NULL;
    s = index_slot(ix, name);
    return ix->slot[s] ? &ix->r->benches[ix->slot[s] - 1] : NULL;
}

void result_index_free(struct result_index *ix)
{
    free(ix->slot);
    ix->slot = NULL;
}

size_t result_nerrors(const struct result *r)
{
    size_t i, n = 0;

    for (i = 0; i < r->nbenches; i++)
        if (r->benches[i].error)
            n++;
    return n;
}

static void metric_free(struct metric *m)
{
    free(m->name);
    free(m->unit);
    free(m->samples);
}

void bench_free(struct bench *b)
{
    size_t i;

    if (!b)
        return;
    free(b->proc_samples);
    free(b->ref_compute);
    free(b->ref_memory);
    load_reps_free(b->load, b->nload);
    capacity_free(b->capacity);
    free(b->capacity);
    free(b->name);
    free(b->unit);
    for (i = 0; i < b->nparams; i++) {
        free(b->params[i].name);
        free(b->params[i].value);
    }
    free(b->params);
    free(b->samples);
    for (i = 0; i < b->nmetrics; i++)
        metric_free(&b->metrics[i]);
    free(b->metrics);
    for (i = 0; i < b->ncounters; i++)
        metric_free(&b->counters[i]);
    free(b->counters);
    free(b->binary);
    free(b->command);
    if (b->error) {
        free(b->error->message);
        free(b->error->stderr_tail);
        free(b->error);
    }
    free(b->skipped);
    free(b->family);
    for (i = 0; i < b->nparts; i++)
        bench_free(&b->parts[i]);
    free(b->parts);
    memset(b, 0, sizeof *b);
}

struct bench *bench_add_part(struct bench *b)
{
    return bench_push(&b->parts, &b->nparts);
}

int result_take_parts(struct result *r)
{
    size_t i, n = r->nbenches, k;
    struct bench *nb;

    for (i = 0; i < r->nbenches; i++)
        n += r->benches[i].nparts;
    if (n == r->nbenches)
        return 0;
    if (!(nb = calloc(n, sizeof *nb)))
        return -1;
    for (i = 0, n = 0; i < r->nbenches; i++) {
        struct bench *b = &r->benches[i];
        nb[n++] = *b;
        for (k = 0; k < b->nparts; k++)
            nb[n++] = b->parts[k];
        free(b->parts);
        nb[n - 1 - b->nparts].parts = NULL;
        nb[n - 1 - b->nparts].nparts = 0;
    }
    free(r->benches);
    r->benches = nb;
    r->nbenches = n;
    return 0;
}

struct metric *bench_metric(const struct bench *b, const char *name)
{
    size_t i;

    for (i = 0; i < b->nmetrics; i++)
        if (!strcmp(b->metrics[i].name, name))
            return &b->metrics[i];
    return NULL;
}

/* Append a metric to the array *arr of *n. */
static struct metric *metric_append(struct metric **arr, size_t *n, const char *name,
                                    const char *unit, enum direction dir)
{
    struct metric *nm, *m;

    if (!name || !unit)
        return NULL;
    nm = realloc(*arr, (*n + 1) * sizeof *nm);
    if (!nm)
        return NULL;
    *arr = nm;
    m = &nm[*n];
    memset(m, 0, sizeof *m);
    m->name = strdup(name);
    m->unit = strdup(unit);
    if (!m->name || !m->unit) {
        metric_free(m);
        return NULL;
    }
    m->dir = dir;
    (*n)++;
    return m;
}

struct metric *bench_add_metric(struct bench *b, const char *name, const char *unit,
                                enum direction dir)
{
    return metric_append(&b->metrics, &b->nmetrics, name, unit, dir);
}

const struct counter_flag counter_flags[] = {
    {COUNTER_RATE, "rate"},
    {COUNTER_AVG_THREADS, "avg_threads"},
    {COUNTER_ITERATION_INVARIANT, "iteration_invariant"},
    {COUNTER_AVG_ITERATIONS, "avg_iterations"},
    {COUNTER_INVERT, "invert"},
    {0, NULL},
};

const char *counter_unit(unsigned flags)
{
    if (!(flags & COUNTER_RATE))
        return "";
    return flags & COUNTER_INVERT ? "s" : "/s";
}

struct metric *bench_counter(const struct bench *b, const char *name)
{
    size_t i;

    for (i = 0; i < b->ncounters; i++)
        if (!strcmp(b->counters[i].name, name))
            return &b->counters[i];
    return NULL;
}

struct metric *bench_add_counter(struct bench *b, const char *name, unsigned flags)
{
    struct metric *m = metric_append(&b->counters, &b->ncounters, name, counter_unit(flags),
                                     DIR_LOWER);   /* not known: never written */

    if (m)
        m->flags = flags;
    return m;
}

void bench_trim_counters(struct bench *b)
{
    size_t i, k, keep = 0;

    for (i = 0; i < b->ncounters; i++) {
        struct metric *m = &b->counters[i];
        int ok = m->nsamples == b->nsamples;

        for (k = 0; ok && k < m->nsamples; k++)
            ok = isfinite(m->samples[k]);
        if (ok)
            b->counters[keep++] = *m;
        else
            metric_free(m);
    }
    b->ncounters = keep;
}

/* Append a parameter; value is a new string that becomes b's (freed here
 * on failure). */
static int add_param(struct bench *b, const char *name, char *value, int is_int,
                     long long ival)
{
    struct param *np, *p;
    char *n = name ? strdup(name) : NULL;

    if (!n || !value)
        goto fail;
    np = realloc(b->params, (b->nparams + 1) * sizeof *np);
    if (!np)
        goto fail;
    b->params = np;
    p = &np[b->nparams++];
    p->name = n;
    p->value = value;
    p->is_int = is_int;
    p->ival = ival;
    return 0;
fail:
    free(n);
    free(value);
    return -1;
}

int bench_add_param_int(struct bench *b, const char *name, long long v)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%lld", v);
    return add_param(b, name, strdup(buf), 1, v);
}

int bench_add_param_str(struct bench *b, const char *name, const char *v)
{
    return add_param(b, name, v ? strdup(v) : NULL, 0, 0);
}

/* The first error of a benchmark wins: when b already has one it is
 * returned unchanged.  Otherwise a new error with the formatted message,
 * no signal (0), no exit code (-1) and no timeout.  NULL when out of
 * memory. */
struct bench_error *bench_set_error(struct bench *b, const char *fmt, ...)
{
    struct bench_error *be;
    va_list ap;
    int len;

    if (b->error)
        return b->error;
    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return NULL;
    be = calloc(1, sizeof *be);
    if (!be)
        return NULL;
    be->message = malloc((size_t)len + 1);
    if (!be->message) {
        free(be);
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(be->message, (size_t)len + 1, fmt, ap);
    va_end(ap);
    be->exit_code = -1;
    b->error = be;
    return be;
}

int bench_compute_stats(struct bench *b, const struct stats_opts *o)
{
    size_t i;
    int rc = 0;

    if (stats_compute(b->samples, b->nsamples, o, &b->st) < 0)
        rc = -1;
    for (i = 0; i < b->nmetrics; i++) {
        struct metric *m = &b->metrics[i];

        if (stats_compute(m->samples, m->nsamples, o, &m->st) < 0)
            rc = -1;
    }
    bench_trim_counters(b);
    for (i = 0; i < b->ncounters; i++) {
        struct metric *m = &b->counters[i];

        if (stats_compute(m->samples, m->nsamples, o, &m->st) < 0)
            rc = -1;
    }
    return rc;
}

void context_free(struct context *c)
{
    if (!c)
        return;
    free(c->pacer_version);
    free(c->time);
    free(c->git_commit);
    free(c->git_branch);
    free(c->git_commit_time);
    free(c->hostname);
    free(c->cpu_model);
    free(c->kernel);
    free(c->os);
    free(c->governor);
    free(c->turbo);
    free(c->compiler);
    free(c->cflags);
    free(c->valgrind);
    free(c->fingerprint);
    context_init(c);
}

void settings_default(struct settings *s)
{
    memset(s, 0, sizeof *s);
    s->mode = RUN_MODE_TIME;
    s->warmup_ns = 200000000u;       /* 200 ms */
    s->sample_target_ns = 10000000u; /* 10 ms */
    s->samples = 30;
    s->budget_ns = 0;
    s->ci_target = 0;
    s->processes = 1;
    s->timeout_ns = 60000000000u;    /* 60 s */
    s->warmup_runs = 1;
    s->seed = STATS_DEFAULT_SEED;
    s->ci_level = 0.95;
}

/* Unknown enum values get a name that no parser accepts, so a corrupted
 * struct is caught when its file is read back. */
const char *kind_name(enum bench_kind k)
{
    switch (k) {
    case KIND_MICRO:
        return "micro";
    case KIND_COMMAND:
        return "command";
    case KIND_LOAD:
        return "load";
    }
    return "unknown";
}

const char *direction_name(enum direction d)
{
    switch (d) {
    case DIR_LOWER:
        return "lower";
    case DIR_HIGHER:
        return "higher";
    }
    return "unknown";
}

int kind_parse(const char *s, enum bench_kind *k)
{
    if (!s)
        return -1;
    if (strcmp(s, "micro") == 0)
        *k = KIND_MICRO;
    else if (strcmp(s, "command") == 0)
        *k = KIND_COMMAND;
    else if (strcmp(s, "load") == 0)
        *k = KIND_LOAD;
    else
        return -1;
    return 0;
}

int direction_parse(const char *s, enum direction *d)
{
    if (!s)
        return -1;
    if (strcmp(s, "lower") == 0)
        *d = DIR_LOWER;
    else if (strcmp(s, "higher") == 0)
        *d = DIR_HIGHER;
    else
        return -1;
    return 0;
}

int bench_add_reference(struct bench *b, double compute_ns, double memory_ns)
{
    double *c = realloc(b->ref_compute, (b->nref + 1) * sizeof *c), *m;

    if (!c)
        return -1;
    b->ref_compute = c;
    m = realloc(b->ref_memory, (b->nref + 1) * sizeof *m);
    if (!m)
        return -1;
    b->ref_memory = m;
    c[b->nref] = compute_ns;
    m[b->nref] = memory_ns;
    b->nref++;
    return 0;
}

/* y[0..m) appended to *x of *n. */
static int append_doubles(double **x, size_t *n, const double *y, size_t m)
{
    double *nx;

    if (m == 0)
        return 0;
    nx = realloc(*x, (*n + m) * sizeof *nx);
    if (!nx)
        return -1;
    memcpy(nx + *n, y, m * sizeof *y);
    *x = nx;
    *n += m;
    return 0;
}

/* src's process counts after dst's (one process each when they have none). */
static int append_counts(struct bench *dst, const struct bench *src)
{
    size_t nd = dst->nproc_samples ? dst->nproc_samples : 1;
    size_t ns = src->nproc_samples ? src->nproc_samples : 1, i;
    size_t *c = malloc((nd + ns) * sizeof *c);

    if (!c)
        return -1;
    if (dst->nproc_samples)
        memcpy(c, dst->proc_samples, nd * sizeof *c);
    else
        c[0] = dst->nsamples;
    for (i = 0; i < ns; i++)
        c[nd + i] = src->nproc_samples ? src->proc_samples[i] : src->nsamples;
    free(dst->proc_samples);
    dst->proc_samples = c;
    dst->nproc_samples = nd + ns;
    return 0;
}

int bench_append(struct bench *dst, const struct bench *src)
{
    size_t i, k;

    /* a command's spells are counted where they run (cmdbench.c) */
    if (dst->kind != KIND_COMMAND && append_counts(dst, src) < 0)
        return -1;
    for (i = 0; i < dst->nmetrics; i++)
        for (k = 0; k < src->nmetrics; k++)
            if (!strcmp(dst->metrics[i].name, src->metrics[k].name) &&
                append_doubles(&dst->metrics[i].samples, &dst->metrics[i].nsamples,
                               src->metrics[k].samples, src->metrics[k].nsamples) < 0)
                return -1;
    for (i = 0; i < dst->ncounters; i++)
        for (k = 0; k < src->ncounters; k++)
            if (!strcmp(dst->counters[i].name, src->counters[k].name) &&
                append_doubles(&dst->counters[i].samples, &dst->counters[i].nsamples,
                               src->counters[k].samples, src->counters[k].nsamples) < 0)
                return -1;
    if (append_doubles(&dst->samples, &dst->nsamples, src->samples, src->nsamples) < 0)
        return -1;
    for (i = 0; i < src->nref; i++)
        if (bench_add_reference(dst, src->ref_compute[i], src->ref_memory[i]) < 0)
            return -1;
    if (dst->kind != KIND_COMMAND)
        dst->processes += src->processes;
    return 0;
}
