/*
 * store.h: the history in SQLite.  A store indexes result files: for each
 * file read, its run (time, commit, commit time, branch, machine
 * fingerprint) and per benchmark what a trend takes of it (trend_read.h:
 * the centre of its samples, the stored CI of its median, n, whether it
 * failed) and its samples, by benchmark as well as by run; and named
 * baselines.  The
 * files stay the source of truth: a run is keyed by its file (the name
 * alone when the file lies in the store's folder, so that the folder can
 * move, else its absolute path) with the file's size and modification
 * time, and a file that changed since is read again; the store can be
 * rebuilt from the files whenever it is lost.
 *
 * A store is a SQLite database whose application_id is pacer's and whose
 * user_version is its schema: anything else (another database, a file
 * that is not a database, a newer schema, a damaged page) is refused
 * with "PATH: cause", never used.
 */
#ifndef PACER_STORE_H
#define PACER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "harness/lib/err.h"
#include "trend_read.h"

#define STORE_SCHEMA 1
#define STORE_APP_ID 0x70616365   /* "pace" */
/* The store of a folder of results, by default: FOLDER/STORE_NAME. */
#define STORE_NAME "pacer.db"

struct store;

/* Open the store at path: create it (and its tables) when missing and
 * create is set, else refuse ("PATH: no store here (pacer store add
 * makes one)").  0 with *s, or -1 with "PATH: cause" in e. */
int store_open(struct store **s, const char *path, int create, struct err *e);
/* 1 with "PATH: not a pacer store (...)" in e when the file at path is
 * something else than a store pacer may open or replace (not a SQLite
 * database, or another application's); 0 when it is a store, may be one
 * (empty, damaged past its header) or is not there. */
int store_foreign(const char *path, struct err *e);

/* Close s (NULL is fine); anything not committed is rolled back. */
void store_close(struct store *s);
const char *store_path(const struct store *s);

/* The store a history of paths[0..n) reads: path when not NULL, else the
 * one folder's own (FOLDER/pacer.db) when paths is one folder holding one;
 * opened into *s (NULL when there is none).  0, or -1 with "PATH: cause"
 * in e. */
int store_open_for(struct store **s, const char *path, char *const *paths, size_t n,
                   struct err *e);

/* A transaction around many adds (much faster than one each).  0, or -1
 * with the cause in e. */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);

/* The run of the file at path from the store into f (as trend_file_read
 * would read the file) when the store has it with the file's present size
 * and modification time: 1; 0 when it has not (or the file changed); -1
 * with the cause in e.  f's strings are then valid until the next lookup
 * or store_close. */
int store_lookup(struct store *s, const char *path, struct trend_file *f, struct err *e);

/* Index the file at path as read into f (trend_file_read; with
 * f->want_samples its benchmarks' samples are kept too), replacing what
 * the store had of it.  0, or -1 with the cause in e. */
int store_add(struct store *s, const char *path, const struct trend_file *f, struct err *e);

/* The samples of benchmark name in the run of the file at path, as the
 * store keeps them: 1 with *x (to free) and *n, 0 when it has none, -1
 * with the cause in e. */
int store_samples(struct store *s, const char *path, const char *name, double **x, size_t *n,
                  struct err *e);

/* Read the file at path (unless the store has it unchanged) and index it,
 * its samples too:
 * 1 added or read again, 0 already there, -1 with "PATH: ..." in e.  f is
 * scratch space. */
int store_add_file(struct store *s, const char *path, struct trend_file *f, struct err *e);

/* Name the run of the file at path (added first when the store has not
 * got it) as baseline name.  0, or -1 with the cause in e. */
int store_name_baseline(struct store *s, const char *name, const char *path,
                        struct trend_file *f, struct err *e);

/* The file of baseline name: a name given with store_name_baseline, or
 * "latest": the newest run (by its time) on branch and fingerprint (NULL
 * matches a run without one) other than the file exclude (NULL: none).
 * 0 with *path (to free), or -1 with "no baseline NAME in PATH (...)" or
 * the cause in e. */
int store_baseline(struct store *s, const char *name, const char *branch, const char *fp,
                   const char *exclude, char **path, struct err *e);

struct store_info {
    size_t runs, benchmarks, points, baselines, missing;   /* missing: files gone */
    uint64_t bytes;
};
int store_info(struct store *s, struct store_info *in, struct err *e);

/* The baselines of s, one call of each (name, file). */
int store_baselines(struct store *s, void (*each)(const char *name, const char *file, void *arg),
                    void *arg, struct err *e);

/* Make the store at path again from the files it indexes (those that are
 * still there) and the files in extra (folders by their *.json files),
 * keeping its baselines whose file is still there: written to a file of its
 * own beside it, and renamed over it only when complete.  A store that
 * cannot be read is rebuilt from extra alone.  *runs is the number of
 * runs the new store holds, *gone the files that were not there any more.
 * 0, or -1 with the cause in e (the old store untouched). */
int store_rebuild(const char *path, char *const *extra, size_t nextra, size_t *runs,
                  size_t *gone, struct err *e);

#endif
