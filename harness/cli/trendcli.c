/* trendcli.c: a trend as the commands take it (trendcli.h). */
#include "trendcli.h"

#include <string.h>

#include "cmd.h"

int trend_cli_build(char *const *paths, size_t n, const struct trend_opts *o, struct trend *t)
{
    struct err e = {0};
    size_t i;

    if (trend_build(paths, n, o, t, &e) < 0) {
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
