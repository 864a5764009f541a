/*
 * trendcli.h: a trend as the commands take it (pacer trend, pacer plot
 * trend): built from the files, its warnings said, and one that follows no
 * benchmark refused.
 */
#ifndef PACER_TRENDCLI_H
#define PACER_TRENDCLI_H

#include <stddef.h>

#include "compare/trend.h"

/* Build the trend of paths[0..n) with o (trend_build) and warn its
 * warnings.  With a store (db, or when db is NULL and the
 * one path is a folder holding a store, DIR/pacer.db) the runs it has
 * come from it and the others are added to it, and one line says how
 * many of each.  Returns 0, or -1 when it cannot be built or has no
 * series, the reason said (die_msg).  t is new: trend_free it either
 * way. */
int trend_cli_build(char *const *paths, size_t n, const struct trend_opts *o,
                    const char *db, struct trend *t);

#endif
