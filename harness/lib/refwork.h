/*
 * refwork.h: the reference workload.  Every worker process times a short,
 * fixed piece of work beside its benchmark, so that each process carries a
 * measure of how fast the machine was at that moment: a compute part (a
 * chain of dependent integer multiplies and shifts, which the core's
 * frequency and its share of the CPU set) and a memory part (a random walk
 * through a buffer larger than the L2 caches, which the shared cache and
 * memory set).  A whole run that slowed as its reference slowed is the
 * machine; one that slowed while the reference held is the code.
 */
#ifndef PACER_REFWORK_H
#define PACER_REFWORK_H

#include <stdint.h>

#include "err.h"

#define REFWORK_COMPUTE_STEPS 50000u      /* dependent steps of the compute part */
#define REFWORK_MEMORY_BYTES (4u << 20)   /* the memory part's buffer */
#define REFWORK_MEMORY_LOADS 4096u        /* dependent loads of the memory part */

/* Time one round of each part (ns of CLOCK_MONOTONIC) into *compute_ns and
 * *memory_ns.  The first call makes the memory part's buffer (a single
 * random cycle, the same in every process); -1 with the cause in e only
 * when it cannot be allocated. */
int refwork_run(uint64_t *compute_ns, uint64_t *memory_ns, struct err *e);

#endif
