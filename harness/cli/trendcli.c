/* trendcli.c: a trend as the commands take it (trendcli.h). */
#include "trendcli.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "compare/store.h"

int trend_cli_build(char *const *paths, size_t n, const struct trend_opts *o,
                    const char *db, struct trend *t)
{
    struct trend_opts with = *o;
    struct err e = {0};
    size_t i;
    int rc;

    memset(t, 0, sizeof *t);
    if (store_open_for(&with.store, db, paths, n, &e) < 0) {
        die_msg("trend: %s", e.msg);
        return -1;
    }
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
