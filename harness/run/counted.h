/*
 * counted.h: one worker process of a micro benchmark under valgrind's
 * callgrind, for pacer run --mode instructions (harness/lib/counts.h): the
 * samples are the instructions each iteration of the timed loop executed,
 * with the estimated cycles beside them (metric "cycles").  There is no
 * reference workload and no CPU time: counts do not depend on the
 * machine's speed.
 */
#ifndef PACER_COUNTED_H
#define PACER_COUNTED_H

#include <stdint.h>

#include "child.h"
#include "harness/result/result.h"
#include "harness/result/series.h"
#include "runner.h"

#define COUNTED_SAMPLES 5        /* per benchmark when --samples is not given */
#define COUNTED_TARGET_IR 1000000.0 /* instructions a sample aims at */
#define COUNTED_MAX_ITERS 1000000000ULL

/* Whether valgrind runs here: its version ("valgrind-3.19.0") into buf, 0;
 * else -1 with the cause (and Debian's package) in e. */
int counted_valgrind(char *buf, size_t len, struct err *e);

/* The process's share (samples; 0: COUNTED_SAMPLES / processes): select,
 * setup, (when first, the iteration count: one counted iteration, then
 * as many as make COUNTED_TARGET_IR instructions, so that the count, like
 * the samples, does not depend on the machine's speed), one warmup
 * sample, the counted samples, teardown.  Appends to s and b; *iters as
 * runner_process. */
enum child_fail counted_process(const char *binary, const struct listed *li,
                                const struct run_opts *o, unsigned samples, int first,
                                uint64_t deadline, uint64_t *iters, struct series *s,
                                struct bench *b);

/* Profile one sample of li (iters iterations; 0: as many as make
 * COUNTED_TARGET_IR instructions) under callgrind with whole call stacks
 * (harness/result/profile.h), the dump moved to dest.  0, or -1 with the
 * cause in e. */
int counted_profile(const char *binary, const struct listed *li, const struct run_opts *o,
                    uint64_t iters, const char *dest, struct err *e);

#endif
