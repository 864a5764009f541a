/*
 * trend.c: result files as series over runs, with their change points
 * (trend.h).  Files are read by trend_read.c (a lean scan of pacer
 * results, import_load for the rest) and ordered as runs by history.c;
 * benchmark names are interned in one hash table as they come, so each
 * file costs a scan and a lookup per benchmark, and what is kept is a few
 * numbers per point.
 */
#include "trend.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rx.h"
#include "history.h"
#include "trend_private.h"
#include "store.h"
#include "trend_read.h"

void trend_opts_default(struct trend_opts *o)
{
    memset(o, 0, sizeof *o);
    cp_opts_default(&o->cp);
}

int trend_worse(enum direction d, double change)
{
    return d == DIR_HIGHER ? change < 0 : change > 0;
}

/* ---- warnings ------------------------------------------------------------ */

static int warn(struct trend *t, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int warn(struct trend *t, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    char *s;

    if (trend_grow((void **)&t->warnings, cap, t->nwarnings + 1, sizeof *t->warnings) < 0)
        return -1;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    if (!s)
        return -1;
    t->warnings[t->nwarnings++] = s;
    return 0;
}

/* ---- names and points ---------------------------------------------------- */

struct point_raw {
    uint32_t file;            /* index into the files read */
    uint32_t unit;            /* index into the unit table */
    double value, lo, hi;
    size_t n;
};

/* One benchmark name seen in some file. */
struct name_ent {
    char *name;
    uint64_t hash;
    int matched;              /* by the filter */
    size_t last_file;         /* the last file that had it, + 1 (a name
                                 twice in one file is an error) */
    struct point_raw *pts;
    size_t npts, cap;
};

struct unit_ent {
    char *unit;
    enum direction dir;
};

struct state {
    const struct trend_opts *o;
    regex_t re;
    int have_re;
    struct name_ent **tab;    /* open addressing, power-of-two size */
    size_t tabsize, nnames;
    struct unit_ent *units;
    size_t nunits, unitcap;
    struct history h;         /* the files and their runs */
    size_t warncap;
};

/* FNV-1a, 64 bits (Fowler, Noll and Vo). */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static int tab_grow(struct state *st)
{
    size_t size = st->tabsize ? 2 * st->tabsize : 256, i;
    struct name_ent **t = calloc(size, sizeof *t);

    if (!t)
        return -1;
    for (i = 0; i < st->tabsize; i++) {
        struct name_ent *n = st->tab[i];
        size_t k;

        if (!n)
            continue;
        for (k = n->hash & (size - 1); t[k]; k = (k + 1) & (size - 1))
            ;
        t[k] = n;
    }
    free(st->tab);
    st->tab = t;
    st->tabsize = size;
    return 0;
}

/* The entry of name, made (with the filter applied) when new. */
static struct name_ent *intern(struct state *st, const char *name)
{
    uint64_t h = hash_str(name);
    struct name_ent *n;
    size_t k;

    if (2 * (st->nnames + 1) > st->tabsize && tab_grow(st) < 0)
        return NULL;
    for (k = h & (st->tabsize - 1); st->tab[k]; k = (k + 1) & (st->tabsize - 1))
        if (st->tab[k]->hash == h && !strcmp(st->tab[k]->name, name))
            return st->tab[k];
    if (!(n = calloc(1, sizeof *n)) || !(n->name = strdup(name))) {
        free(n);
        return NULL;
    }
    n->hash = h;
    n->matched = !st->have_re || regexec(&st->re, name, 0, NULL, 0) == 0;
    st->tab[k] = n;
    st->nnames++;
    return n;
}

static long unit_of(struct state *st, const char *unit, enum direction dir)
{
    size_t i;

    for (i = 0; i < st->nunits; i++)
        if (st->units[i].dir == dir && !strcmp(st->units[i].unit, unit))
            return (long)i;
    if (trend_grow((void **)&st->units, &st->unitcap, st->nunits + 1, sizeof *st->units) < 0 ||
        !(st->units[st->nunits].unit = strdup(unit)))
        return -1;
    st->units[st->nunits].dir = dir;
    return (long)st->nunits++;
}

/* The points of file number fi (path) as read into f.  trend_file_read
 * gives each name once; should one come twice all the same, the file is
 * refused rather than read as two runs. */
static int take_points(struct state *st, const struct trend_file *f, const char *path,
                       size_t fi, struct err *e)
{
    size_t i;

    for (i = 0; i < f->nb; i++) {
        const struct trend_bench_rec *b = &f->b[i];
        struct name_ent *n = intern(st, b->name);
        struct point_raw *p;
        long u;

        if (!n)
            return err_set(e, "out of memory");
        if (n->last_file == fi + 1)
            return err_set(e, "%s: benchmarks: duplicate names", path);
        n->last_file = fi + 1;
        if (!n->matched || b->failed || !isfinite(b->centre))
            continue;
        if ((u = unit_of(st, b->unit, b->dir)) < 0 ||
            trend_grow((void **)&n->pts, &n->cap, n->npts + 1, sizeof *n->pts) < 0)
            return err_set(e, "out of memory");
        p = &n->pts[n->npts++];
        p->file = (uint32_t)fi;
        p->unit = (uint32_t)u;
        p->value = b->centre;
        p->lo = isfinite(b->lo) ? b->lo : NAN;
        p->hi = isfinite(b->hi) ? b->hi : NAN;
        p->n = b->n;
    }
    return 0;
}

/* File number i into f: from the store when it has it unchanged, else
 * from the file (then added to the store). */
static int read_one(struct state *st, struct trend_file *f, size_t i, struct trend *t,
                    struct err *e)
{
    const char *path = st->h.files[i];
    int r = st->o->store ? store_lookup(st->o->store, path, f, e) : 0;

    if (r != 0) {
        t->from_store += r > 0;
        return r < 0 ? -1 : 0;
    }
    if (trend_file_read(f, path, 0, e) < 0)
        return -1;
    if (st->o->store) {
        if (store_add(st->o->store, path, f, e) < 0)
            return -1;
        t->added++;
    }
    return 0;
}

/* Every file: its run and its points. */
static int read_all(struct state *st, struct trend *t, struct err *e)
{
    const struct history *h = &st->h;
    struct trend_file f;
    size_t i;
    int rc = 0;

    if (h->nfiles > UINT32_MAX)
        return err_set(e, "too many files (%zu)", h->nfiles);
    if (st->o->store && store_begin(st->o->store, e) < 0)
        return -1;
    trend_file_init(&f);
    f.want_samples = st->o->store != NULL;   /* what the store keeps */
    for (i = 0; i < h->nfiles && rc == 0; i++)
        if (read_one(st, &f, i, t, e) < 0 || history_add(&st->h, &f, h->files[i], i, e) < 0 ||
            take_points(st, &f, h->files[i], i, e) < 0)
            rc = -1;
    trend_file_free(&f);
    if (rc == 0 && st->o->store && store_commit(st->o->store, e) < 0)
        rc = -1;
    return rc;
}

/* ---- series --------------------------------------------------------------- */

/* Benchmarks in name order with numbers by value: size=64 before
 * size=256 (strverscmp). */
static int by_name(const void *a, const void *b)
{
    return strverscmp((*(struct name_ent *const *)a)->name, (*(struct name_ent *const *)b)->name);
}

static int by_run(const void *a, const void *b)
{
    const struct trend_point *x = a, *y = b;

    return x->run < y->run ? -1 : x->run > y->run;
}

/* The series of n over the kept runs (rank: file index -> run index, or
 * SIZE_MAX when not kept). */
static int make_series(struct state *st, struct trend *t, struct name_ent *n,
                       const size_t *rank, struct err *e)
{
    struct trend_series *s = &t->series[t->nseries];
    size_t i, k = 0, newest = 0, dropped = 0;
    uint32_t unit = 0;
    double *x;

    for (i = 0; i < n->npts; i++)
        if (rank[n->pts[i].file] != SIZE_MAX &&
            (k++ == 0 || rank[n->pts[i].file] > rank[n->pts[newest].file]))
            newest = i;
    if (k == 0)
        return 0;
    unit = n->pts[newest].unit;
    memset(s, 0, sizeof *s);
    if (!(s->name = strdup(n->name)) || !(s->unit = strdup(st->units[unit].unit)) ||
        !(s->pts = malloc(k * sizeof *s->pts))) {
        free(s->name);
        free(s->unit);
        return err_set(e, "out of memory");
    }
    s->dir = st->units[unit].dir;
    t->nseries++;
    for (i = 0; i < n->npts; i++) {
        const struct point_raw *p = &n->pts[i];
        struct trend_point *q;

        if (rank[p->file] == SIZE_MAX)
            continue;
        if (p->unit != unit) {
            dropped++;
            continue;
        }
        q = &s->pts[s->n++];
        q->run = rank[p->file];
        q->value = p->value;
        q->lo = p->lo;
        q->hi = p->hi;
        q->n = p->n;
    }
    qsort(s->pts, s->n, sizeof *s->pts, by_run);
    if (dropped && warn(t, &st->warncap, "%s: %zu run%s with another unit or direction than "
                        "the newest (%s, %s is better) left out", s->name, dropped,
                        dropped == 1 ? "" : "s", s->unit,
                        s->dir == DIR_LOWER ? "lower" : "higher") < 0)
        return err_set(e, "out of memory");
    if (!(x = malloc((s->n ? s->n : 1) * sizeof *x)))
        return err_set(e, "out of memory");
    for (i = 0; i < s->n; i++)
        x[i] = s->pts[i].value;
    if (trend_detect(t, s, x, &st->o->cp, e) < 0) {
        free(x);
        return err_prefix(e, "%s", s->name);
    }
    free(x);
    return 0;
}

/* Order the runs (warning of those git does not list, and of those
 * without a time of their own). */
static int order(struct state *st, struct trend *t, struct err *e)
{
    const char *dir = st->o->git_dir;
    size_t unlisted, untimed, n = st->h.nruns;

    if (history_order(&st->h, st->o->git_order, dir, &unlisted, &untimed, e) < 0)
        return -1;
    if (unlisted && warn(t, &st->warncap,
                         "%zu of %zu runs have no commit in git rev-list --topo-order HEAD%s%s: "
                         "they go last, by time", unlisted, n, dir ? " of " : "",
                         dir ? dir : "") < 0)
        return err_set(e, "out of memory");
    if (untimed && warn(t, &st->warncap,
                        "%zu of %zu runs hold no time of their own (hyperfine records none): "
                        "they are ordered as their files are named (a directory's by name)%s",
                        untimed, n, untimed < n ? ", after the runs that do" : "") < 0)
        return err_set(e, "out of memory");
    return 0;
}

static int build(struct state *st, struct trend *t, struct err *e)
{
    struct history *h = &st->h;
    struct name_ent **names = NULL;
    size_t *rank = NULL, i, k, first, nfiles = h->nfiles;
    int rc = -1;

    if (order(st, t, e) < 0)
        return -1;
    first = st->o->last && st->o->last < h->nruns ? h->nruns - st->o->last : 0;
    if (!(rank = malloc((nfiles ? nfiles : 1) * sizeof *rank)) ||
        !(t->runs = calloc(h->nruns - first ? h->nruns - first : 1, sizeof *t->runs))) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < nfiles; i++)
        rank[i] = SIZE_MAX;
    for (i = first; i < h->nruns; i++) {
        rank[h->runs[i].file] = i - first;
        t->runs[i - first] = h->runs[i].run;
        memset(&h->runs[i].run, 0, sizeof h->runs[i].run);
    }
    t->nruns = h->nruns - first;
    t->min_runs = cp_min_length(&st->o->cp);
    if (trend_find_machines(t, e) < 0)
        goto cleanup;

    if (!(names = malloc((st->nnames ? st->nnames : 1) * sizeof *names)) ||
        !(t->series = calloc(st->nnames ? st->nnames : 1, sizeof *t->series))) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (i = 0, k = 0; i < st->tabsize; i++)
        if (st->tab[i])
            names[k++] = st->tab[i];
    qsort(names, k, sizeof *names, by_name);
    for (i = 0; i < k; i++)
        if (names[i]->matched && make_series(st, t, names[i], rank, e) < 0)
            goto cleanup;
    rc = 0;
cleanup:
    free(names);
    free(rank);
    return rc;
}

static void state_free(struct state *st)
{
    size_t i;

    for (i = 0; i < st->tabsize; i++)
        if (st->tab[i]) {
            free(st->tab[i]->name);
            free(st->tab[i]->pts);
            free(st->tab[i]);
        }
    free(st->tab);
    for (i = 0; i < st->nunits; i++)
        free(st->units[i].unit);
    free(st->units);
    history_free(&st->h);
    if (st->have_re)
        regfree(&st->re);
}

int trend_build(char *const *paths, size_t npaths, const struct trend_opts *o, struct trend *t,
                struct err *e)
{
    struct state st;
    int rc = -1;

    memset(t, 0, sizeof *t);
    memset(&st, 0, sizeof st);
    st.o = o;
    if (o->filter) {
        if (rx_compile(&st.re, o->filter) != 0)
            return err_set(e, "'%s' is not a valid regular expression", o->filter);
        st.have_re = 1;
    }
    if (npaths == 0) {
        err_set(e, "no result files given");
        goto cleanup;
    }
    if (history_expand(&st.h, paths, npaths, e) < 0 || read_all(&st, t, e) < 0 ||
        build(&st, t, e) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    state_free(&st);
    return rc;
}

void trend_free(struct trend *t)
{
    size_t i;

    for (i = 0; i < t->nruns; i++)
        history_run_free(&t->runs[i]);
    free(t->runs);
    for (i = 0; i < t->nseries; i++) {
        free(t->series[i].name);
        free(t->series[i].unit);
        free(t->series[i].pts);
        free(t->series[i].cps);
        free(t->series[i].breaks);
    }
    free(t->series);
    free(t->machines);
    for (i = 0; i < t->nwarnings; i++)
        free(t->warnings[i]);
    free(t->warnings);
    memset(t, 0, sizeof *t);
}

int trend_series_regressed(const struct trend *t, const struct trend_series *s)
{
    const struct changepoint *c;

    if (!s->ncps || !s->n || !t->nruns || s->pts[s->n - 1].run != t->nruns - 1)
        return 0;
    c = &s->cps[s->ncps - 1];
    if (s->nbreaks && s->breaks[s->nbreaks - 1].index > c->index)
        return 0;   /* the machine changed since */
    return trend_worse(s->dir, c->change);
}

int trend_new_regression(const struct trend *t)
{
    size_t i;

    for (i = 0; i < t->nseries; i++)
        if (trend_series_regressed(t, &t->series[i]))
            return 1;
    return 0;
}
