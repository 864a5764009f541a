/*
 * store.c: the history in SQLite (store.h).
 *
 * Tables: runs (one per file: its key, size and modification time, and
 * the run's context), benches (one per name, unit and direction), points
 * (a run's benchmark: centre, CI, n, failed; keyed by run and bench, so a
 * benchmark's history is one index range) and baselines (name -> run).
 * Reading a run is two prepared statements; the names of the benchmarks
 * are read once and kept, so that the strings a lookup gives stay valid.
 */
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_private.h"
#include "trend_read_private.h"

static const char SCHEMA_SQL[] =
    "CREATE TABLE runs(id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE,"
    " size INTEGER NOT NULL, mtime INTEGER NOT NULL, time TEXT, git_commit TEXT,"
    " commit_time TEXT, branch TEXT, fingerprint TEXT, untimed INTEGER NOT NULL,"
    " kind INTEGER NOT NULL);"
    "CREATE INDEX runs_by_machine ON runs(branch, fingerprint, time);"
    "CREATE TABLE benches(id INTEGER PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL,"
    " dir INTEGER NOT NULL, UNIQUE(name, unit, dir));"
    "CREATE TABLE points(run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " bench INTEGER NOT NULL REFERENCES benches(id), centre REAL, lo REAL, hi REAL,"
    " n INTEGER NOT NULL, failed INTEGER NOT NULL, PRIMARY KEY(run, bench)) WITHOUT ROWID;"
    "CREATE INDEX points_by_bench ON points(bench, run);"
    "CREATE TABLE samples(run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " bench INTEGER NOT NULL REFERENCES benches(id), x BLOB NOT NULL, UNIQUE(run, bench));"
    "CREATE TABLE baselines(name TEXT PRIMARY KEY,"
    " run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE);";

int store_db_fail(struct store *s, struct err *e, const char *what)
{
    return err_set(e, "%s: %s: %s (pacer store rebuild makes it again from the result files)",
                   s->path, what, sqlite3_errmsg(s->db));
}

static int exec(struct store *s, const char *sql, struct err *e)
{
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, "%s: %s (pacer store rebuild makes it again from the result files)", s->path,
                msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* The one integer a pragma answers; -1 with the cause in e. */
int store_int(struct store *s, const char *sql, long long *v, struct err *e)
{
    sqlite3_stmt *q;
    int rc;

    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return store_db_fail(s, e, "cannot read");
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW)
        return store_db_fail(s, e, "cannot read");
    return 0;
}

int store_prepare(struct store *s, sqlite3_stmt **q, const char *sql, struct err *e)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, q, NULL) != SQLITE_OK)
        return store_db_fail(s, e, "not a store pacer can read");
    return 0;
}

/* Room for one more benchmark name at s->benches[s->nbenches] (not
 * counted yet): the entry, or NULL when out of memory. */
static struct bench_ent *bench_room(struct store *s)
{
    if (s->nbenches == s->benchcap) {
        size_t cap = s->benchcap ? 2 * s->benchcap : 256;
        struct bench_ent *nb = realloc(s->benches, cap * sizeof *nb);

        if (!nb)
            return NULL;
        s->benches = nb;
        s->benchcap = cap;
    }
    return &s->benches[s->nbenches];
}

/* The names of the benchmarks by id: those not read yet (another process
 * may have added some since: they are only ever appended). */
static int load_benches(struct store *s, struct err *e)
{
    sqlite3_stmt *q;
    size_t before = s->nbenches;
    int rc;

    if (store_prepare(s, &q, "SELECT id, name, unit, dir FROM benches WHERE id > ?1 ORDER BY id",
                      e) < 0)
        return -1;
    sqlite3_bind_int64(q, 1, (long long)s->nbenches);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        const char *unit = (const char *)sqlite3_column_text(q, 2);
        struct bench_ent *b;

        if (id != (long long)s->nbenches + 1 || !name || !unit) {
            sqlite3_finalize(q);
            return err_set(e, "%s: benches: ids not in sequence (pacer store rebuild makes it "
                           "again from the result files)", s->path);
        }
        if (!(b = bench_room(s))) {
            sqlite3_finalize(q);
            return err_set(e, "out of memory");
        }
        b->name = strdup(name);
        b->unit = strdup(unit);
        b->dir = sqlite3_column_int(q, 3);
        if (!b->name || !b->unit) {
            free(b->name);
            free(b->unit);
            sqlite3_finalize(q);
            return err_set(e, "out of memory");
        }
        s->nbenches++;
    }
    sqlite3_finalize(q);
    if (s->nbenches != before) {   /* bench_id's hash made again when next asked */
        free(s->slot);
        s->slot = NULL;
    }
    if (rc != SQLITE_DONE)
        return store_db_fail(s, e, "cannot read");
    return 0;
}

/* A store pacer made, of a schema it knows, its tables made when new. */
static int check_schema(struct store *s, int create, int fresh, struct err *e)
{
    long long app, ver, objects;

    /* a database with nothing in it yet: one another process is making
     * (its tables not committed yet), or an empty file: made here too */
    if (!fresh && create &&
        (store_int(s, "PRAGMA application_id", &app, e) < 0 ||
         store_int(s, "PRAGMA user_version", &ver, e) < 0 ||
         store_int(s, "SELECT count(*) FROM sqlite_master", &objects, e) < 0))
        return -1;
    if (!fresh && create && app == 0 && ver == 0 && objects == 0)
        fresh = 1;
    if (fresh) {   /* made here, unless another process made it meanwhile */
        char sql[64];

        snprintf(sql, sizeof sql, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
                 STORE_APP_ID, STORE_SCHEMA);
        if (exec(s, "BEGIN IMMEDIATE", e) < 0 ||
            store_int(s, "PRAGMA user_version", &ver, e) < 0 ||
            (ver == 0 && (exec(s, SCHEMA_SQL, e) < 0 || exec(s, sql, e) < 0)) ||
            exec(s, "COMMIT", e) < 0)
            return -1;
    }
    if (store_int(s, "PRAGMA application_id", &app, e) < 0 ||
        store_int(s, "PRAGMA user_version", &ver, e) < 0)
        return -1;
    if (app != STORE_APP_ID)
        return err_set(e, "%s: not a pacer store (a SQLite database of application id %lld)",
                       s->path, app);
    if (ver > STORE_SCHEMA)
        return err_set(e, "%s: store schema %lld is newer than this pacer's %d: use a newer "
                       "pacer, or make it again with pacer store rebuild",
                       s->path, ver, STORE_SCHEMA);
    if (ver < 1)
        return err_set(e, "%s: store schema %lld is not one pacer wrote", s->path, ver);
    return 0;
}

static int prepare_all(struct store *s, struct err *e)
{
    return store_prepare(s, &s->q_run,
                   "SELECT id, size, mtime, time, git_commit, commit_time, branch, fingerprint,"
                   " untimed, kind FROM runs WHERE file = ?1", e) < 0 ||
                   store_prepare(s, &s->q_points,
                           "SELECT bench, centre, lo, hi, n, failed FROM points WHERE run = ?1",
                           e) < 0 ||
                   store_prepare(s, &s->q_del, "DELETE FROM runs WHERE file = ?1", e) < 0 ||
                   store_prepare(s, &s->q_ins_run,
                           "INSERT INTO runs(file, size, mtime, time, git_commit, commit_time,"
                           " branch, fingerprint, untimed, kind)"
                           " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                           e) < 0 ||
                   store_prepare(s, &s->q_ins_point,
                           "INSERT INTO points(run, bench, centre, lo, hi, n, failed)"
                           " VALUES(?1,?2,?3,?4,?5,?6,?7)", e) < 0 ||
                   store_prepare(s, &s->q_ins_samples,
                           "INSERT INTO samples(run, bench, x) VALUES(?1,?2,?3)", e) < 0 ||
                   store_prepare(s, &s->q_ins_bench,
                           "INSERT INTO benches(id, name, unit, dir) VALUES(?1,?2,?3,?4)", e) < 0
               ? -1
               : 0;
}

/* The real path of the folder of path into a new string, NULL when it
 * cannot be made. */
static char *real_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *d, *r;

    if (!slash)
        return realpath(".", NULL);
    if (!(d = strndup(path, slash == path ? 1 : (size_t)(slash - path))))
        return NULL;
    r = realpath(d, NULL);
    free(d);
    return r;
}

/* The folder of a new store at path, made when missing (one level, as
 * pacer run --save makes its folder). */
static int make_folder(const char *path, struct err *e)
{
    const char *slash = strrchr(path, '/');
    char *d;
    int rc = 0;

    if (!slash || slash == path)
        return 0;
    if (!(d = strndup(path, (size_t)(slash - path))))
        return err_set(e, "out of memory");
    if (mkdir(d, 0777) != 0 && errno != EEXIST)
        rc = err_set(e, "%s: cannot make its folder %s: %s", path, d, strerror(errno));
    free(d);
    return rc;
}

int store_foreign(const char *path, struct err *e)
{
    unsigned char h[100];
    size_t got = 0;
    FILE *f = fopen(path, "rb");
    uint32_t app;

    if (!f)
        return 0;   /* opening it says what is wrong */
    got = fread(h, 1, sizeof h, f);
    fclose(f);
    if (got == 0)
        return 0;   /* empty: a store is made in it */
    if (got < sizeof h || memcmp(h, "SQLite format 3", 16) != 0) {
        err_set(e, "%s: not a pacer store (not a SQLite database)", path);
        return 1;
    }
    app = (uint32_t)h[68] << 24 | (uint32_t)h[69] << 16 | (uint32_t)h[70] << 8 | h[71];
    if (app != 0 && app != STORE_APP_ID) {
        err_set(e, "%s: not a pacer store (a SQLite database of application id %u)", path,
                (unsigned)app);
        return 1;
    }
    return 0;
}

int store_open(struct store **out, const char *path, int create, struct err *e)
{
    struct store *s = calloc(1, sizeof *s);
    struct stat st;
    int fresh = stat(path, &st) != 0;

    *out = NULL;
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return err_set(e, "out of memory");
    }
    if (fresh && (errno != ENOENT || !create)) {
        err_set(e, errno == ENOENT ? "%s: no store here (pacer store add RESULTS... makes one)"
                                   : "%s: cannot open: %s",
                path, strerror(errno));
        store_close(s);
        return -1;
    }
    if (fresh && make_folder(path, e) < 0) {
        store_close(s);
        return -1;
    }
    if (!fresh && !S_ISREG(st.st_mode)) {
        err_set(e, "%s: not a regular file", path);
        store_close(s);
        return -1;
    }
    if (!fresh && store_foreign(path, e)) {
        store_close(s);
        return -1;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | (fresh ? SQLITE_OPEN_CREATE : 0),
                        NULL) != SQLITE_OK) {
        if (!s->db)
            err_set(e, "out of memory");
        else
            store_db_fail(s, e, "cannot open");
        store_close(s);
        return -1;
    }
    sqlite3_busy_timeout(s->db, 10000);
    if (!(s->dir = real_dir(path))) {
        err_set(e, "%s: cannot resolve its folder: %s", path, strerror(errno));
        store_close(s);
        return -1;
    }
    /* WAL: readers go on while a run is added, and two adders wait
     * their turn (the busy timeout) rather than fail */
    if (exec(s, "PRAGMA foreign_keys=ON", e) < 0 || check_schema(s, create, fresh, e) < 0 ||
        exec(s, "PRAGMA journal_mode=WAL", e) < 0 ||
        prepare_all(s, e) < 0 || load_benches(s, e) < 0) {
        store_close(s);
        if (fresh && stat(path, &st) == 0 && st.st_size == 0)
            unlink(path);   /* nothing made */
        return -1;
    }
    *out = s;
    return 0;
}

int store_open_for(struct store **s, const char *path, char *const *paths, size_t n,
                   struct err *e)
{
    char own[4096];
    struct stat st;

    *s = NULL;
    if (!path && n == 1 && stat(paths[0], &st) == 0 && S_ISDIR(st.st_mode) &&
        snprintf(own, sizeof own, "%s/%s", paths[0], STORE_NAME) < (int)sizeof own &&
        stat(own, &st) == 0)
        path = own;
    return path ? store_open(s, path, 1, e) : 0;
}

static void free_run_str(struct store *s)
{
    for (size_t i = 0; i < 5; i++) {
        free(s->run_str[i]);
        s->run_str[i] = NULL;
    }
}

void store_close(struct store *s)
{
    size_t i;

    if (!s)
        return;
    sqlite3_finalize(s->q_run);
    sqlite3_finalize(s->q_points);
    sqlite3_finalize(s->q_del);
    sqlite3_finalize(s->q_ins_run);
    sqlite3_finalize(s->q_ins_point);
    sqlite3_finalize(s->q_ins_samples);
    sqlite3_finalize(s->q_ins_bench);
    if (s->db && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(s->db);
    for (i = 0; i < s->nbenches; i++) {
        free(s->benches[i].name);
        free(s->benches[i].unit);
    }
    free(s->benches);
    free(s->slot);
    free_run_str(s);
    free(s->lastdir);
    free(s->lastreal);
    free(s->path);
    free(s->dir);
    free(s);
}

const char *store_path(const struct store *s)
{
    return s->path;
}

int store_begin(struct store *s, struct err *e)
{
    /* the benchmarks other processes added before the lock was ours */
    return exec(s, "BEGIN IMMEDIATE", e) < 0 || load_benches(s, e) < 0 ? -1 : 0;
}

int store_commit(struct store *s, struct err *e)
{
    return exec(s, "COMMIT", e);
}

/* ---- keys ------------------------------------------------------------------ */

/* The key of the file at path into buf: its name when its folder is the
 * store's, else its absolute path (the folder made real once for a run
 * of files in one folder).  -1 when it cannot be made. */
int store_key(struct store *s, const char *path, char *buf, size_t len)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    size_t dl = slash ? (size_t)(slash - path) : 0;

    if (!s->lastdir || strlen(s->lastdir) != dl || strncmp(s->lastdir, path, dl) != 0) {
        free(s->lastdir);
        free(s->lastreal);
        s->lastdir = strndup(path, dl);
        s->lastreal = real_dir(path);
        if (!s->lastdir || !s->lastreal) {
            free(s->lastdir);
            s->lastdir = NULL;
            return -1;
        }
    }
    if (!strcmp(s->lastreal, s->dir))
        return snprintf(buf, len, "%s", base) < (int)len ? 0 : -1;
    return snprintf(buf, len, "%s/%s", strcmp(s->lastreal, "/") ? s->lastreal : "", base) <
                   (int)len
               ? 0
               : -1;
}

/* The path of a key: in the store's folder when it is a name alone. */
char *store_file_path(const struct store *s, const char *key)
{
    size_t n = strlen(s->dir) + strlen(key) + 2;
    char *p = malloc(n);

    if (p)
        snprintf(p, n, "%s%s%s", strchr(key, '/') ? "" : s->dir, strchr(key, '/') ? "" : "/",
                 key);
    return p;
}

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* ---- reading ---------------------------------------------------------------- */

static int dup_col(struct store *s, sqlite3_stmt *q, int col, size_t slot, const char **dst)
{
    const unsigned char *t = sqlite3_column_text(q, col);

    *dst = NULL;
    if (!t)
        return 0;
    if (!(s->run_str[slot] = strdup((const char *)t)))
        return -1;
    *dst = s->run_str[slot];
    return 0;
}

static double col_real(sqlite3_stmt *q, int col)
{
    return sqlite3_column_type(q, col) == SQLITE_NULL ? NAN : sqlite3_column_double(q, col);
}

static int read_points(struct store *s, long long run, struct trend_file *f, struct err *e)
{
    int rc;

    f->nb = 0;
    sqlite3_reset(s->q_points);
    sqlite3_bind_int64(s->q_points, 1, run);
    while ((rc = sqlite3_step(s->q_points)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(s->q_points, 0);
        struct trend_bench_rec *b;

        if (id > 0 && (size_t)id > s->nbenches && load_benches(s, e) < 0) {
            sqlite3_reset(s->q_points);
            return -1;
        }
        if (id < 1 || (size_t)id > s->nbenches) {
            sqlite3_reset(s->q_points);
            return err_set(e, "%s: points: benchmark %lld unknown (pacer store rebuild makes "
                           "it again from the result files)", s->path, id);
        }
        if (trend_file_add_bench(f, &b) < 0) {
            sqlite3_reset(s->q_points);
            return err_set(e, "out of memory");
        }
        b->name = s->benches[id - 1].name;
        b->unit = s->benches[id - 1].unit;
        b->dir = s->benches[id - 1].dir ? DIR_HIGHER : DIR_LOWER;
        b->centre = col_real(s->q_points, 1);
        b->lo = col_real(s->q_points, 2);
        b->hi = col_real(s->q_points, 3);
        b->n = (size_t)sqlite3_column_int64(s->q_points, 4);
        b->failed = sqlite3_column_int(s->q_points, 5);
    }
    sqlite3_reset(s->q_points);
    if (rc != SQLITE_DONE)
        return store_db_fail(s, e, "cannot read");
    return 0;
}

int store_lookup(struct store *s, const char *path, struct trend_file *f, struct err *e)
{
    char key[PATH_MAX + 2];
    struct stat st;
    long long run;
    int rc;

    if (stat(path, &st) != 0 || store_key(s, path, key, sizeof key) < 0)
        return 0;   /* the file's own reading says what is wrong */
    sqlite3_reset(s->q_run);
    sqlite3_bind_text(s->q_run, 1, key, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(s->q_run);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s->q_run);
        return store_db_fail(s, e, "cannot read");
    }
    if (sqlite3_column_int64(s->q_run, 1) != (long long)st.st_size ||
        sqlite3_column_int64(s->q_run, 2) != mtime_ns(&st)) {
        sqlite3_reset(s->q_run);
        return 0;   /* changed since: read it again */
    }
    run = sqlite3_column_int64(s->q_run, 0);
    free_run_str(s);
    f->full = 0;
    f->untimed = sqlite3_column_int(s->q_run, 8);
    f->kind = sqlite3_column_int(s->q_run, 9);
    if (dup_col(s, s->q_run, 3, 0, &f->time) < 0 || dup_col(s, s->q_run, 4, 1, &f->commit) < 0 ||
        dup_col(s, s->q_run, 5, 2, &f->commit_time) < 0 ||
        dup_col(s, s->q_run, 6, 3, &f->branch) < 0 ||
        dup_col(s, s->q_run, 7, 4, &f->fingerprint) < 0) {
        sqlite3_reset(s->q_run);
        return err_set(e, "out of memory");
    }
    sqlite3_reset(s->q_run);
    return read_points(s, run, f, e) < 0 ? -1 : 1;
}

/* ---- writing ---------------------------------------------------------------- */

void store_bind_text(sqlite3_stmt *q, int col, const char *t)
{
    if (t)
        sqlite3_bind_text(q, col, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, col);
}

static void bind_real(sqlite3_stmt *q, int col, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(q, col, v);
    else
        sqlite3_bind_null(q, col);
}

static int step_done(struct store *s, sqlite3_stmt *q, struct err *e)
{
    int rc = sqlite3_step(q);

    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? 0 : store_db_fail(s, e, "cannot write");
}

/* The id of benchmark (name, unit, dir), made when new: a linear search
 * would cost a history of many benchmarks dear, so by a hash of the
 * three (FNV-1a), made again as the table grows. */
static uint64_t bench_key(const char *name, const char *unit, int dir)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)dir;

    for (; *name; name++)
        h = (h ^ (unsigned char)*name) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
    for (; *unit; unit++)
        h = (h ^ (unsigned char)*unit) * 1099511628211ULL;
    return h;
}

static int hash_fill(struct store *s)
{
    size_t cap = 1024, i, k;

    while (cap < 2 * (s->nbenches + 1))
        cap *= 2;
    free(s->slot);
    if (!(s->slot = calloc(cap, sizeof *s->slot)))
        return -1;
    s->mask = cap - 1;
    for (i = 0; i < s->nbenches; i++) {
        const struct bench_ent *b = &s->benches[i];

        for (k = bench_key(b->name, b->unit, b->dir) & s->mask; s->slot[k];
             k = (k + 1) & s->mask)
            ;
        s->slot[k] = i + 1;
    }
    return 0;
}

static long long bench_id(struct store *s, const struct trend_bench_rec *r, struct err *e)
{
    int dir = r->dir == DIR_HIGHER;
    size_t i;
    struct bench_ent *b;

    if ((!s->slot || 2 * (s->nbenches + 1) > s->mask + 1) && hash_fill(s) < 0)
        return err_set(e, "out of memory");
    for (i = bench_key(r->name, r->unit, dir) & s->mask; s->slot[i]; i = (i + 1) & s->mask) {
        b = &s->benches[s->slot[i] - 1];
        if (b->dir == dir && !strcmp(b->name, r->name) && !strcmp(b->unit, r->unit))
            return (long long)s->slot[i];
    }
    if (!(b = bench_room(s)))
        return err_set(e, "out of memory");
    b->dir = dir;
    if (!(b->name = strdup(r->name)) || !(b->unit = strdup(r->unit))) {
        free(b->name);
        return err_set(e, "out of memory");
    }
    sqlite3_bind_int64(s->q_ins_bench, 1, (long long)s->nbenches + 1);
    store_bind_text(s->q_ins_bench, 2, r->name);
    store_bind_text(s->q_ins_bench, 3, r->unit);
    sqlite3_bind_int(s->q_ins_bench, 4, dir);
    if (step_done(s, s->q_ins_bench, e) < 0) {
        free(b->name);
        free(b->unit);
        return -1;
    }
    s->nbenches++;
    s->slot[i] = s->nbenches;
    return (long long)s->nbenches;
}

/* A benchmark's samples as a blob: IEEE doubles, little-endian. */
static int put_samples(struct store *s, long long run, long long bench, const double *x,
                       size_t n, struct err *e)
{
    unsigned char *blob = malloc(8 * n);
    int rc;

    if (!blob)
        return err_set(e, "out of memory");
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        memcpy(&u, &x[i], 8);
        for (int k = 0; k < 8; k++)
            blob[8 * i + (size_t)k] = (unsigned char)(u >> (8 * k));
    }
    sqlite3_bind_int64(s->q_ins_samples, 1, run);
    sqlite3_bind_int64(s->q_ins_samples, 2, bench);
    sqlite3_bind_blob(s->q_ins_samples, 3, blob, (int)(8 * n), free);
    rc = step_done(s, s->q_ins_samples, e);
    return rc;
}

int store_samples(struct store *s, const char *path, const char *name, double **x, size_t *n,
                  struct err *e)
{
    char key[PATH_MAX + 2];
    sqlite3_stmt *q;
    int rc;

    *x = NULL;
    *n = 0;
    if (store_key(s, path, key, sizeof key) < 0 ||
        store_prepare(s, &q, "SELECT samples.x FROM samples JOIN runs ON runs.id = samples.run"
                             " JOIN benches ON benches.id = samples.bench"
                             " WHERE runs.file = ?1 AND benches.name = ?2", e) < 0)
        return -1;
    store_bind_text(q, 1, key);
    store_bind_text(q, 2, name);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(q, 0);
        size_t len = (size_t)sqlite3_column_bytes(q, 0);

        if (len % 8 || !(*x = malloc(len ? len : 1))) {
            sqlite3_finalize(q);
            return len % 8 ? err_set(e, "%s: samples: a blob of %zu bytes (pacer store rebuild "
                                     "makes it again from the result files)", s->path, len)
                           : err_set(e, "out of memory");
        }
        for (size_t i = 0; i < len / 8; i++) {
            uint64_t u = 0;
            for (int k = 0; k < 8; k++)
                u |= (uint64_t)b[8 * i + (size_t)k] << (8 * k);
            memcpy(&(*x)[i], &u, 8);
        }
        *n = len / 8;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(s, e, "cannot read");
    return rc == SQLITE_ROW;
}

int store_add(struct store *s, const char *path, const struct trend_file *f, struct err *e)
{
    char key[PATH_MAX + 2];
    struct stat st;
    long long run;
    size_t i;

    if (stat(path, &st) != 0)
        return err_set(e, "%s: cannot open: %s", path, strerror(errno));
    if (store_key(s, path, key, sizeof key) < 0)
        return err_set(e, "%s: cannot resolve its folder: %s", path, strerror(errno));
    store_bind_text(s->q_del, 1, key);
    if (step_done(s, s->q_del, e) < 0)
        return -1;
    store_bind_text(s->q_ins_run, 1, key);
    sqlite3_bind_int64(s->q_ins_run, 2, (long long)st.st_size);
    sqlite3_bind_int64(s->q_ins_run, 3, mtime_ns(&st));
    store_bind_text(s->q_ins_run, 4, f->time);
    store_bind_text(s->q_ins_run, 5, f->commit);
    store_bind_text(s->q_ins_run, 6, f->commit_time);
    store_bind_text(s->q_ins_run, 7, f->branch);
    store_bind_text(s->q_ins_run, 8, f->fingerprint);
    sqlite3_bind_int(s->q_ins_run, 9, f->untimed);
    sqlite3_bind_int(s->q_ins_run, 10, f->kind);
    if (step_done(s, s->q_ins_run, e) < 0)
        return -1;
    run = sqlite3_last_insert_rowid(s->db);
    for (i = 0; i < f->nb; i++) {
        const struct trend_bench_rec *b = &f->b[i];
        long long id = bench_id(s, b, e);

        if (id < 0)
            return -1;
        sqlite3_bind_int64(s->q_ins_point, 1, run);
        sqlite3_bind_int64(s->q_ins_point, 2, id);
        bind_real(s->q_ins_point, 3, b->centre);
        bind_real(s->q_ins_point, 4, b->lo);
        bind_real(s->q_ins_point, 5, b->hi);
        sqlite3_bind_int64(s->q_ins_point, 6, (long long)b->n);
        sqlite3_bind_int(s->q_ins_point, 7, b->failed != 0);
        if (step_done(s, s->q_ins_point, e) < 0)
            return -1;
        if (f->want_samples && b->n && put_samples(s, run, id, f->smp + b->smp, b->n, e) < 0)
            return -1;
    }
    return 0;
}

int store_add_file(struct store *s, const char *path, struct trend_file *f, struct err *e)
{
    int rc = store_lookup(s, path, f, e);

    if (rc != 0)
        return rc < 0 ? -1 : 0;
    f->want_samples = 1;
    if (trend_file_read(f, path, 0, e) < 0 || store_add(s, path, f, e) < 0)
        return -1;
    return 1;
}

