/* trendcli.c: a trend as the commands take it (trendcli.h). */
#include "trendcli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "compare/store.h"

/* The store of the trend: the one named, or a folder's own; NULL with
 * none.  -1 after saying why it cannot be used. */
static int open_store(char *const *paths, size_t n, const char *path, struct store **s)
{
    char own[4096];
    struct stat st;
    struct err e = {0};

    *s = NULL;
    if (!path && n == 1 && stat(paths[0], &st) == 0 && S_ISDIR(st.st_mode) &&
        snprintf(own, sizeof own, "%s/%s", paths[0], STORE_NAME) < (int)sizeof own &&
        stat(own, &st) == 0)
        path = own;
    if (!path)
        return 0;
    if (store_open(s, path, 1, &e) < 0) {
        die_msg("trend: %s", e.msg);
        return -1;
    }
    return 0;
}

int trend_cli_build(char *const *paths, size_t n, const struct trend_opts *o,
                    const char *db, struct trend *t)
{
    struct trend_opts with = *o;
    struct err e = {0};
    size_t i;
    int rc;

    memset(t, 0, sizeof *t);
    if (open_store(paths, n, db, &with.store) < 0)
        return -1;
    rc = trend_build(paths, n, &with, t, &e);
    if (with.store && rc == 0)
        fprintf(stderr, "pacer: trend: %zu run%s from %s, %zu read from %s file%s and added\n",
                t->from_store,
                 t->from_store == 1 ? "" : "s", store_path(with.store), t->added,
                 t->added == 1 ? "its" : "their", t->added == 1 ? "" : "s");
    store_close(with.store);
    if (rc < 0) {
        if (o->filter && !strncmp(e.msg, "'", 1))
            die_msg("trend: --filter: %s", e.msg);
        else
            die_msg("%s", e.msg);
        return -1;
    }
    for (i = 0; i < t->nwarnings; i++)
        warn_msg("%s", t->warnings[i]);
    if (t->nseries == 0) {
        if (o->filter)
            die_msg("trend: no benchmark matches %s in the %zu run%s", o->filter, t->nruns,
                    t->nruns == 1 ? "" : "s");
        else
            die_msg("trend: no benchmark with a result in the %zu run%s", t->nruns,
                    t->nruns == 1 ? "" : "s");
        return -1;
    }
    return 0;
}
