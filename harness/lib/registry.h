/*
 * registry.h: the benchmarks a suite binary defines (PACER_BENCHMARK),
 * expanded into instances: one per point of the cartesian product of their
 * parameter axes (and, inside it, one per thread count), named
 * group/name/param=value/...[/manual_time][/threads:N] (Google
 * Benchmark's order), in source order.
 */
#ifndef PACER_REGISTRY_H
#define PACER_REGISTRY_H

#include <stddef.h>

#include "err.h"
#include "pacer.h"

#define INSTANCE_NAME_MAX 256

struct instance {
    const struct pacer_def *def;
    char name[INSTANCE_NAME_MAX];
    long long args[PACER_MAX_AXES];
    size_t nargs;
    unsigned threads;     /* threads that run it at once (pacer.h's
                             .threads), 0 when the definition has none */
};

/* Most threads one instance may run with. */
#define REGISTRY_MAX_THREADS 1024

/* Expand every registered definition into *out (new array, free()).
 * Fails on a bad name, a bad range, or two instances with one name. */
int registry_expand(struct instance **out, size_t *n, struct err *e);

/* Values of one axis into vals (new array, free()); fails on a bad range. */
int registry_axis_values(const struct pacer_axis *ax, long long **vals, size_t *n, struct err *e);

/* Drop every registered definition (tests register their own). */
void registry_reset(void);

#endif
