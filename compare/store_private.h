/*
 * store_private.h: what the two files of the store share (store.c opens,
 * reads and adds; store_keep.c names baselines, counts and rebuilds).
 */
#ifndef PACER_STORE_PRIVATE_H
#define PACER_STORE_PRIVATE_H

#include <sqlite3.h>
#include <stddef.h>

#include "store.h"

struct bench_ent {
    char *name, *unit;
    int dir;
};

struct store {
    sqlite3 *db;
    char *path, *dir;            /* the store's path, its folder's real path */
    sqlite3_stmt *q_run, *q_points, *q_del, *q_ins_run, *q_ins_point, *q_ins_bench;
    sqlite3_stmt *q_ins_samples;
    struct bench_ent *benches;   /* by id - 1 */
    size_t nbenches, benchcap;
    size_t *slot, mask;          /* benches by name, unit and dir (bench_id) */
    char *run_str[5];            /* the strings of the last lookup */
    char *lastdir, *lastreal;    /* the last folder made real (key_of) */
};

/* "PATH: what: SQLite's message (rebuild it)" into e: -1. */
int store_db_fail(struct store *s, struct err *e, const char *what);
/* sql prepared into *q: 0, or -1 with the cause in e. */
int store_prepare(struct store *s, sqlite3_stmt **q, const char *sql, struct err *e);
/* The one integer a query answers: 0, or -1 with the cause in e. */
int store_int(struct store *s, const char *sql, long long *v, struct err *e);
/* The key of the file at path (store.h) into buf: 0, or -1. */
int store_key(struct store *s, const char *path, char *buf, size_t len);
/* The path of a key (to free), NULL when out of memory. */
char *store_file_path(const struct store *s, const char *key);
/* Bind text t (NULL: SQL NULL) to column col of q. */
void store_bind_text(sqlite3_stmt *q, int col, const char *t);

#endif
