/*
 * hwcount.h: counters of the kernel's perf events read around a
 * benchmark's timed loop (pacer run --counters LIST): hardware ones
 * (instructions, cycles, cache-misses, cache-references, branches,
 * branch-misses) where the machine has them, and software ones
 * (task-clock, page-faults, context-switches, cpu-migrations) everywhere
 * perf_event_open is allowed.  The counters of a list form one group, so
 * they count over the same instants; they count the worker process's own
 * thread, user space only for the hardware ones, and start from zero at
 * each loop's start.  Pauses stop them (pacer_pause).
 */
#ifndef PACER_HWCOUNT_H
#define PACER_HWCOUNT_H

#include <stdint.h>

#include "err.h"

#define HWCOUNT_MAX 8

struct hwcount {
    int fd[HWCOUNT_MAX];          /* fd[0] leads the group */
    int n;
    char names[HWCOUNT_MAX][24];
};

/* Whether name is a counter hwcount knows. */
int hwcount_known(const char *name);

/* Open the comma-separated list (at most HWCOUNT_MAX names) for this
 * thread.  0, or -1 with "NAME: perf_event_open: cause" in e (h closed). */
int hwcount_open(struct hwcount *h, const char *list, struct err *e);

/* From zero and counting; counting again after a pause; stopped. */
void hwcount_start(struct hwcount *h);
void hwcount_resume(struct hwcount *h);
void hwcount_stop(struct hwcount *h);

/* The values since the last start into v (h->n of them): 0, or -1. */
int hwcount_read(const struct hwcount *h, uint64_t *v);

void hwcount_close(struct hwcount *h);

#endif
