/*
 * result_json_private.h: what the writer (result_write.c) and the reader
 * (result_read.c) of result files share: the doubles of a STATS object,
 * one table for both, so the two always agree on its keys.
 */
#ifndef PACER_RESULT_JSON_PRIVATE_H
#define PACER_RESULT_JSON_PRIVATE_H

#include <stddef.h>

#include "harness/lib/stats.h"

static const struct stat_field {
    const char *key;
    size_t off;
} stat_fields[] = {
    {"mean", offsetof(struct stats, mean)},     {"median", offsetof(struct stats, median)},
    {"stddev", offsetof(struct stats, stddev)}, {"mad", offsetof(struct stats, mad)},
    {"min", offsetof(struct stats, min)},       {"max", offsetof(struct stats, max)},
    {"p5", offsetof(struct stats, p5)},         {"p25", offsetof(struct stats, p25)},
    {"p75", offsetof(struct stats, p75)},       {"p95", offsetof(struct stats, p95)},
    {"p99", offsetof(struct stats, p99)},       {"cv", offsetof(struct stats, cv)},
};
#define NSTAT_FIELDS (sizeof stat_fields / sizeof stat_fields[0])

/* The double of st that stat_fields[i] names. */
static inline double *stat_field(struct stats *st, size_t i)
{
    return (double *)(void *)((char *)st + stat_fields[i].off);
}

#endif
