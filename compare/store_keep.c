/*
 * store_keep.c: the store's baselines, its counts, and its rebuild from
 * the result files (store.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
#include "store_private.h"

/* ---- baselines ---------------------------------------------------------------- */

int store_name_baseline(struct store *s, const char *name, const char *path,
                        struct trend_file *f, struct err *e)
{
    char key[PATH_MAX + 2];
    sqlite3_stmt *q;
    int rc;

    if (!strcmp(name, "latest"))
        return err_set(e, "baseline name 'latest' is kept for the newest run: choose another");
    if (store_add_file(s, path, f, e) < 0)
        return -1;
    if (store_key(s, path, key, sizeof key) < 0)
        return err_set(e, "%s: cannot resolve its folder: %s", path, strerror(errno));
    if (store_prepare(s, &q, "INSERT OR REPLACE INTO baselines(name, run)"
                       " SELECT ?1, id FROM runs WHERE file = ?2", e) < 0)
        return -1;
    store_bind_text(q, 1, name);
    store_bind_text(q, 2, key);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : store_db_fail(s, e, "cannot write");
}

int store_baseline(struct store *s, const char *name, const char *branch, const char *fp,
                   const char *exclude, char **path, struct err *e)
{
    char key[PATH_MAX + 2] = "";
    sqlite3_stmt *q;
    int latest = !strcmp(name, "latest"), rc;

    *path = NULL;
    if (exclude && store_key(s, exclude, key, sizeof key) < 0)
        key[0] = '\0';
    if (store_prepare(s, &q,
                latest ? "SELECT file FROM runs WHERE branch IS ?1 AND fingerprint IS ?2"
                         " AND file <> ?3 AND time IS NOT NULL ORDER BY time DESC, id DESC LIMIT 1"
                       : "SELECT runs.file FROM baselines JOIN runs ON runs.id = baselines.run"
                         " WHERE baselines.name = ?1",
                e) < 0)
        return -1;
    if (latest) {
        store_bind_text(q, 1, branch);
        store_bind_text(q, 2, fp);
        store_bind_text(q, 3, key);
    } else
        store_bind_text(q, 1, name);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *path = store_file_path(s, (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE) {
        if (latest)
            return err_set(e, "no baseline latest in %s: no other run on branch %s and "
                           "machine %s", s->path, branch ? branch : "(none)", fp ? fp : "(none)");
        return err_set(e, "no baseline %s in %s (pacer store baseline %s FILE names one)", name,
                       s->path, name);
    }
    if (rc != SQLITE_ROW)
        return store_db_fail(s, e, "cannot read");
    return *path ? 0 : err_set(e, "out of memory");
}

int store_baselines(struct store *s, void (*each)(const char *name, const char *file, void *arg),
                    void *arg, struct err *e)
{
    sqlite3_stmt *q;
    int rc;

    if (store_prepare(s, &q, "SELECT baselines.name, runs.file FROM baselines JOIN runs"
                       " ON runs.id = baselines.run ORDER BY baselines.name", e) < 0)
        return -1;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        each((const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
             arg);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : store_db_fail(s, e, "cannot read");
}

/* ---- info and rebuild ----------------------------------------------------------- */

static int count(struct store *s, const char *sql, size_t *n, struct err *e)
{
    long long v = 0;

    if (store_int(s, sql, &v, e) < 0)
        return -1;
    *n = (size_t)v;
    return 0;
}

/* fn of each file the store indexes, by its path (borrowed for the
 * call); fn's -1 (out of memory) stops it. */
static int each_file(struct store *s, int (*fn)(const char *path, void *arg), void *arg,
                     struct err *e)
{
    sqlite3_stmt *q;
    int rc;

    if (store_prepare(s, &q, "SELECT file FROM runs ORDER BY id", e) < 0)
        return -1;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char *p = store_file_path(s, (const char *)sqlite3_column_text(q, 0));
        int r = p ? fn(p, arg) : -1;

        free(p);
        if (r < 0) {
            sqlite3_finalize(q);
            return err_set(e, "out of memory");
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : store_db_fail(s, e, "cannot read");
}

static int count_missing(const char *path, void *arg)
{
    struct stat st;

    if (stat(path, &st) != 0)
        ++*(size_t *)arg;
    return 0;
}

int store_info(struct store *s, struct store_info *in, struct err *e)
{
    struct stat st;

    memset(in, 0, sizeof *in);
    if (count(s, "SELECT count(*) FROM runs", &in->runs, e) < 0 ||
        count(s, "SELECT count(*) FROM benches", &in->benchmarks, e) < 0 ||
        count(s, "SELECT count(*) FROM points", &in->points, e) < 0 ||
        count(s, "SELECT count(*) FROM baselines", &in->baselines, e) < 0 ||
        each_file(s, count_missing, &in->missing, e) < 0)
        return -1;
    if (stat(s->path, &st) == 0)
        in->bytes = (uint64_t)st.st_size;
    return 0;
}

struct file_list {
    char **p;
    size_t n, cap;
};

static int list_add(const char *path, void *arg)
{
    struct file_list *l = arg;

    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **np = realloc(l->p, cap * sizeof *np);
        if (!np)
            return -1;
        l->p = np;
        l->cap = cap;
    }
    return (l->p[l->n] = strdup(path)) ? (int)(l->n++, 0) : -1;
}

struct named {
    struct file_list names, files;
};

static void keep_baseline(const char *name, const char *file, void *arg)
{
    struct named *k = arg;

    list_add(name, &k->names);
    list_add(file, &k->files);
}

static void list_free(struct file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->p[i]);
    free(l->p);
}

/* What the old store at path indexes: its files and baselines (their
 * files as paths); nothing when it cannot be read. */
static void old_contents(const char *path, struct file_list *files, struct named *bl)
{
    struct store *old;
    struct err ignore = {0};
    size_t i;

    if (store_open(&old, path, 0, &ignore) < 0)
        return;
    each_file(old, list_add, files, &ignore);
    store_baselines(old, keep_baseline, bl, &ignore);
    for (i = 0; i < bl->files.n; i++) {   /* their keys as paths */
        char *p = store_file_path(old, bl->files.p[i]);
        if (p) {
            free(bl->files.p[i]);
            bl->files.p[i] = p;
        }
    }
    store_close(old);
}

static int fill_new(struct store *s, const struct file_list *files, const struct history *h,
                    const struct named *bl, size_t *gone, struct err *e)
{
    struct trend_file f;
    struct stat st;
    size_t i;
    int rc = -1;

    trend_file_init(&f);
    if (store_begin(s, e) < 0)
        goto done;
    for (i = 0; i < files->n; i++) {
        if (stat(files->p[i], &st) != 0) {
            ++*gone;
            continue;
        }
        if (store_add_file(s, files->p[i], &f, e) < 0)
            goto done;
    }
    for (i = 0; i < h->nfiles; i++)
        if (store_add_file(s, h->files[i], &f, e) < 0)
            goto done;
    for (i = 0; i < bl->names.n && i < bl->files.n; i++)
        if (stat(bl->files.p[i], &st) == 0 &&
            store_name_baseline(s, bl->names.p[i], bl->files.p[i], &f, e) < 0)
            goto done;
    rc = store_commit(s, e);
done:
    trend_file_free(&f);
    return rc;
}

int store_rebuild(const char *path, char *const *extra, size_t nextra, size_t *runs,
                  size_t *gone, struct err *e)
{
    struct file_list files = {0};
    struct named bl = {{0}, {0}};
    struct history h = {0};
    struct store *s = NULL;
    struct store_info in;
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    int rc = -1;

    *runs = *gone = 0;
    if (!tmp)
        return err_set(e, "out of memory");
    snprintf(tmp, n, "%s.new", path);
    if (store_foreign(path, e)) {   /* never replaced by a store */
        free(tmp);
        return -1;
    }
    unlink(tmp);
    old_contents(path, &files, &bl);
    if (nextra && history_expand(&h, extra, nextra, e) < 0)
        goto done;
    if (store_open(&s, tmp, 1, e) < 0)
        goto done;
    if (fill_new(s, &files, &h, &bl, gone, e) < 0 || store_info(s, &in, e) < 0)
        goto done;
    store_close(s);
    s = NULL;
    if (rename(tmp, path) != 0) {
        err_set(e, "%s: cannot replace it: %s", path, strerror(errno));
        goto done;
    }
    *runs = in.runs;
    rc = 0;
done:
    store_close(s);
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    list_free(&files);
    list_free(&bl.names);
    list_free(&bl.files);
    history_free(&h);
    return rc;
}
