/*
 * site.c: the report site's driver (site.h): the files read (from the store
 * where it has them) and sorted out (unreadable and duplicate runs skipped
 * with a warning), the history built from them (trend.h), the runs grouped
 * by machine and branch with the newest compared with the one before it,
 * then the pages.
 */
#include "site_private.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare/history.h"
#include "compare/import/import.h"
#include "compare/store.h"
#include "compare/trend_read.h"

void site_warn(struct site *s, const char *fmt, ...)
{
    char line[1024], **w;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    w = realloc(s->out->warnings, (s->out->nwarnings + 1) * sizeof *w);
    if (!w)
        return;
    s->out->warnings = w;
    if ((w[s->out->nwarnings] = strdup(line)))
        s->out->nwarnings++;
}

int site_kind(const struct site *s, const char *path)
{
    for (size_t i = 0; i < s->nfiles; i++)
        if (!strcmp(s->files[i].path, path))
            return s->files[i].kind;
    return TREND_RUN;
}

const char *site_base(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

char *site_bench_href(char *buf, size_t len, const char *name, int top)
{
    char slug[96];

    snprintf(buf, len, "%sbench/%s.html", top ? "" : "../", site_slug(slug, sizeof slug, name, name));
    return buf;
}

size_t site_series(const struct site *s, const char *name)
{
    for (size_t i = 0; s->have_trend && i < s->t.nseries; i++)
        if (!strcmp(s->t.series[i].name, name))
            return i;
    return SIZE_MAX;
}

void site_tick(char *buf, size_t len, const struct trend_run *r, size_t i, int mode)
{
    if (mode == TICK_COMMIT && r->commit && strlen(r->commit) >= 7)
        snprintf(buf, len, "%.7s", r->commit);
    else if (mode == TICK_CLOCK && r->time && strlen(r->time) >= 19)
        snprintf(buf, len, "%.8s", r->time + 11);
    else if (r->time && strlen(r->time) >= 16)
        snprintf(buf, len, "%.5s %.5s", r->time + 5, r->time + 11);
    else
        snprintf(buf, len, "%zu", i + 1);
}

int site_tick_mode(const struct site *s, const struct trend_series *ser)
{
    const struct trend_run *a = &s->t.runs[ser->pts[0].run];
    const struct trend_run *b = &s->t.runs[ser->pts[ser->n - 1].run];
    size_t i;

    for (i = 1; i < ser->n; i++) {
        const struct trend_run *x = &s->t.runs[ser->pts[i - 1].run];
        const struct trend_run *y = &s->t.runs[ser->pts[i].run];
        if (!x->commit || !y->commit || !strcmp(x->commit, y->commit))
            break;
    }
    if (i == ser->n && a->commit)
        return TICK_COMMIT;   /* a commit a run */
    if (a->time && b->time && strlen(a->time) >= 19 && !strncmp(a->time, b->time, 10))
        return TICK_CLOCK;    /* all in one day */
    return TICK_DATE;
}

const struct result *site_result(struct site *s, const char *path)
{
    struct site_loaded *l;
    struct err e = {0};

    for (size_t i = 0; i < s->nloaded; i++)
        if (!strcmp(s->loaded[i].path, path))
            return s->loaded[i].ok ? &s->loaded[i].r : NULL;
    if (s->nloaded == s->loadcap) {
        size_t cap = s->loadcap ? 2 * s->loadcap : 16;
        struct site_loaded *n = realloc(s->loaded, cap * sizeof *n);
        if (!n)
            return NULL;
        s->loaded = n;
        s->loadcap = cap;
    }
    l = &s->loaded[s->nloaded];
    if (!(l->path = strdup(path)))
        return NULL;
    s->nloaded++;
    l->ok = import_load(path, &l->r, NULL, &e) == 0;
    if (!l->ok)
        site_warn(s, "%s: left out of its pages", e.msg);
    return l->ok ? &l->r : NULL;
}

/* ---- the files ---------------------------------------------------------------- */

static char *dup_or_null(const char *t)
{
    return t ? strdup(t) : NULL;
}

static int keep_file(struct site *s, const char *path, const struct trend_file *f)
{
    struct site_file *k;

    if (s->nfiles == s->filecap) {
        size_t cap = s->filecap ? 2 * s->filecap : 64;
        struct site_file *n = realloc(s->files, cap * sizeof *n);
        if (!n)
            return -1;
        s->files = n;
        s->filecap = cap;
    }
    k = &s->files[s->nfiles];
    memset(k, 0, sizeof *k);
    k->kind = f->kind;
    k->nb = f->nb;
    if (!(k->path = strdup(path)) || (f->time && !(k->time = dup_or_null(f->time))) ||
        (f->commit && !(k->commit = dup_or_null(f->commit))) ||
        (f->branch && !(k->branch = dup_or_null(f->branch))) ||
        (f->fingerprint && !(k->fp = dup_or_null(f->fingerprint))))
        return -1;
    s->nfiles++;
    return 0;
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* The file kept before that holds the same run (time, machine and commit
 * all the same), or NULL. */
static const struct site_file *same_run(const struct site *s, const struct trend_file *f)
{
    if (!f->time || f->untimed)
        return NULL;
    for (size_t i = s->nfiles; i-- > 0;) {
        const struct site_file *k = &s->files[i];
        if (same_str(k->time, f->time) && same_str(k->fp, f->fingerprint) &&
            same_str(k->commit, f->commit) && k->kind == f->kind)
            return k;
    }
    return NULL;
}

/* Each file read (from the store when it has it) and kept, or skipped. */
static int scan(struct site *s, const struct history *h, struct store *db, struct err *e)
{
    struct trend_file f;
    size_t i;
    int rc = 0;

    trend_file_init(&f);
    f.want_samples = db != NULL;   /* what the store keeps */
    if (db && store_begin(db, e) < 0)
        rc = -1;
    for (i = 0; i < h->nfiles && rc == 0; i++) {
        const struct site_file *dup;
        struct err fe = {0};
        int got = db ? store_lookup(db, h->files[i], &f, e) : 0;

        if (got < 0) {   /* the store's fault, not the file's */
            rc = -1;
            break;
        }
        if (got == 0 && trend_file_read(&f, h->files[i], 0, &fe) < 0) {
            site_warn(s, "%s: skipped", fe.msg);
            continue;
        }
        if (got == 0 && db && store_add(db, h->files[i], &f, e) < 0) {
            rc = -1;
            break;
        }
        if ((dup = same_run(s, &f))) {
            site_warn(s, "%s: the same run as %s (time %s): skipped", h->files[i], dup->path,
                      f.time);
            continue;
        }
        if (keep_file(s, h->files[i], &f) < 0)
            rc = err_set(e, "out of memory");
    }
    trend_file_free(&f);
    if (db && rc == 0 && store_commit(db, e) < 0)
        rc = -1;
    return rc;
}

/* ---- the history and its groups ------------------------------------------------ */

static int build_trend(struct site *s, struct store *db, struct err *e)
{
    struct trend_opts to;
    char **paths = malloc((s->nfiles + 1) * sizeof *paths);
    size_t i, n = 0;
    int rc = 0;

    if (!paths)
        return err_set(e, "out of memory");
    for (i = 0; i < s->nfiles; i++)
        if (s->files[i].kind != TREND_AB)
            paths[n++] = s->files[i].path;
    trend_opts_default(&to);
    to.store = db;
    if (n) {
        rc = trend_build(paths, n, &to, &s->t, e);
        s->have_trend = rc == 0;
        for (i = 0; rc == 0 && i < s->t.nwarnings; i++)
            site_warn(s, "%s", s->t.warnings[i]);
    }
    free(paths);
    return rc;
}

/* The groups of runs by machine and branch, each newest compared with the
 * run before it. */
static int make_groups(struct site *s, struct err *e)
{
    size_t i, g;

    if (!s->have_trend)
        return 0;
    if (!(s->groups = calloc(s->t.nruns + 1, sizeof *s->groups)))
        return err_set(e, "out of memory");
    for (i = 0; i < s->t.nruns; i++) {
        const struct trend_run *r = &s->t.runs[i];

        for (g = 0; g < s->ngroups; g++)
            if (same_str(s->groups[g].fp, r->fingerprint) && same_str(s->groups[g].branch, r->branch))
                break;
        if (g == s->ngroups) {
            s->groups[g].fp = r->fingerprint;
            s->groups[g].branch = r->branch;
            s->groups[g].prev = SIZE_MAX;
            s->ngroups++;
        } else
            s->groups[g].prev = s->groups[g].latest;
        s->groups[g].latest = i;
        s->groups[g].nruns++;
    }
    for (g = 0; g < s->ngroups; g++) {
        struct site_group *gr = &s->groups[g];
        struct compare_files_opts fo = {0};
        char *pair[2];
        struct err ce = {0};

        compare_opts_default(&gr->co);
        site_slug(gr->slug, sizeof gr->slug, site_base(s->t.runs[gr->latest].file), s->t.runs[gr->latest].file);
        if (gr->prev == SIZE_MAX)
            continue;
        pair[0] = s->t.runs[gr->prev].file;
        pair[1] = s->t.runs[gr->latest].file;
        if (compare_files(pair, 2, &fo, &gr->co, &gr->cf, &ce) == 0)
            gr->compared = 1;
        else
            site_warn(s, "%s against %s: not compared: %s", pair[1], pair[0], ce.msg);
    }
    return 0;
}

/* ---- the site -------------------------------------------------------------------- */

static int make_dirs(const char *out, struct err *e)
{
    static const char *const sub[] = {"", "/bench", "/cmp", "/load", "/assets"};
    char d[4096];

    for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
        snprintf(d, sizeof d, "%s%s", out, sub[i]);
        if (mkdir(d, 0777) != 0 && errno != EEXIST)
            return err_set(e, "%s: cannot make it: %s", d, strerror(errno));
    }
    return 0;
}

static void site_free(struct site *s)
{
    size_t i;

    for (i = 0; i < s->nfiles; i++) {
        free(s->files[i].path);
        free(s->files[i].time);
        free(s->files[i].commit);
        free(s->files[i].branch);
        free(s->files[i].fp);
    }
    free(s->files);
    for (i = 0; i < s->ngroups; i++) {
        compare_files_free(&s->groups[i].cf);
        compare_opts_free(&s->groups[i].co);
    }
    free(s->groups);
    for (i = 0; i < s->nloaded; i++) {
        free(s->loaded[i].path);
        result_free(&s->loaded[i].r);
    }
    free(s->loaded);
    if (s->have_trend)
        trend_free(&s->t);
}

int site_build(char *const *paths, size_t n, const struct site_opts *o, struct site_out *out,
               struct err *e)
{
    struct site s;
    struct history h = {0};
    struct store *db = NULL;
    size_t i;
    int rc = -1;

    memset(out, 0, sizeof *out);
    memset(&s, 0, sizeof s);
    s.o = o;
    s.out = out;
    if (history_expand(&h, paths, n, e) < 0 || store_open_for(&db, o->store, paths, n, e) < 0 ||
        scan(&s, &h, db, e) < 0)
        goto done;
    if (s.nfiles == 0) {
        err_set(e, "no result file could be read (%zu skipped)", h.nfiles);
        goto done;
    }
    s.db = db;
    if (build_trend(&s, db, e) < 0 || make_groups(&s, e) < 0 || make_dirs(o->out, e) < 0 ||
        site_assets(o->out, e) < 0 || site_benches(&s, e) < 0 || site_cmps(&s, e) < 0 ||
        site_loads(&s, e) < 0 || site_index(&s, e) < 0)
        goto done;
    out->runs = s.have_trend ? s.t.nruns : 0;
    out->benchmarks = s.have_trend ? s.t.nseries : 0;
    for (i = 0; i < s.nfiles; i++) {
        out->ab += s.files[i].kind == TREND_AB;
        out->loads += s.files[i].kind == TREND_LOAD;
    }
    rc = 0;
done:
    store_close(db);
    history_free(&h);
    site_free(&s);
    return rc;
}

void site_out_free(struct site_out *out)
{
    for (size_t i = 0; i < out->nwarnings; i++)
        free(out->warnings[i]);
    free(out->warnings);
    memset(out, 0, sizeof *out);
}
